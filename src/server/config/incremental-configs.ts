/**
 * IncrementalAlterConfigs operations (KIP-339) applied to a resource's stored overrides, as Kafka's
 * ConfigAdminManager.prepareIncrementalConfigs does: SET replaces a value, DELETE removes the override,
 * APPEND / SUBTRACT edit a LIST-typed config starting from its override (or, without one, from the
 * config's default). APPEND skips values already present and an empty default, as Kafka does since it
 * stopped producing ",x" lists and duplicates.
 */
import { InvalidConfigurationError, InvalidRequestError } from '../../common/kafka-error';
import { AlterConfigOpType, ConfigType } from '../../config/config-types';

// The operation ids live in config-types.ts (shared with the Admin client); re-exported for the callers of prepareIncrementalConfigs.
export { AlterConfigOpType };

/** One operation of an IncrementalAlterConfigs resource. */
export interface AlterConfigOperation {
  name: string;
  /** A ConfigOperation id; anything but 0-3 is refused. */
  op: number;
  /** Null only for DELETE. */
  value: string | null;
}

/** What the operations need to know about the config names of the resource type. */
export interface ConfigKeyInfo {
  /** The ConfigDef type of a config, or undefined for a name the resource type does not define. */
  typeOf(name: string): ConfigType | undefined;
  /** The default of a config as property text (null when it has none). */
  defaultText(name: string): string | null;
  /** The error text for an APPEND/SUBTRACT of an unknown name ("Unknown topic config name: x"). */
  unknownName(name: string): string;
}

/** Whether `op` is one of the four operations. */
export function isKnownOpType(op: number): op is AlterConfigOpType {
  return op === 0 || op === 1 || op === 2 || op === 3;
}

function splitList(text: string | null): string[] {
  if (text === null || text === '') return [];
  return text.split(',');
}

function listBase(current: Readonly<Record<string, string>>, name: string, keys: ConfigKeyInfo, verb: 'append' | 'subtract'): string[] {
  const type = keys.typeOf(name);
  if (type === undefined) throw new InvalidConfigurationError(keys.unknownName(name));
  if (type !== ConfigType.LIST) throw new InvalidRequestError(`Config value ${verb} is not allowed for config key: ${name}`);
  return splitList(Object.prototype.hasOwnProperty.call(current, name) ? current[name] : keys.defaultText(name));
}

/**
 * Applies `ops` in order to a copy of `current` (the resource's overrides) and returns the new overrides.
 * @throws InvalidRequestError for an unknown operation or APPEND/SUBTRACT of a non-list config,
 *   InvalidConfigurationError for APPEND/SUBTRACT of a name the resource type does not define.
 */
export function prepareIncrementalConfigs(
  ops: readonly AlterConfigOperation[],
  current: Readonly<Record<string, string>>,
  keys: ConfigKeyInfo,
): Record<string, string> {
  const props: Record<string, string> = { ...current };
  for (const { name, op, value } of ops) {
    switch (op) {
      case AlterConfigOpType.SET:
        props[name] = value ?? '';
        break;
      case AlterConfigOpType.DELETE:
        delete props[name];
        break;
      case AlterConfigOpType.APPEND: {
        const old = listBase(props, name, keys, 'append');
        const added = splitList(value).filter((v) => !old.includes(v));
        props[name] = [...old, ...added].join(',');
        break;
      }
      case AlterConfigOpType.SUBTRACT: {
        const remaining = listBase(props, name, keys, 'subtract');
        // Scala's List.diff: each value given removes one occurrence.
        for (const v of splitList(value)) {
          const i = remaining.indexOf(v);
          if (i >= 0) remaining.splice(i, 1);
        }
        props[name] = remaining.join(',');
        break;
      }
      default:
        throw new InvalidRequestError(`Unknown operations type ${op}`);
    }
  }
  return props;
}
