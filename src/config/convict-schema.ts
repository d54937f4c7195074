/**
 * Validation of layered property strings through a convict schema built from a config table.
 *
 * Convict treats dots in keys as nesting, and Kafka names collide under nesting (`broker.id` is
 * both a leaf and the parent of `broker.id.generation.enable`), so convict keys are the Kafka names
 * with `.` replaced by `_`; no Kafka broker or topic config contains `_`, so the mapping is
 * reversible. Each Kafka type is a convict format whose coerce step parses the property string the
 * way Kafka's ConfigDef does and whose validate step runs the definition's validator. Errors keep
 * Kafka's wording: the first failing definition (in table order, as Kafka reports it) is rethrown
 * as the ConfigException it produced.
 */
import convict from 'convict';
import type { ConfigDefinition } from './config-def';
import { ConfigException } from './config-exception';
import { ConfigType, parseConfigValue, type ConfigValue } from './config-types';

/** A property string that failed to parse; validation reports it. Holds no enumerable fields, so
 * convict keeps it as a leaf value instead of descending into it. */
class UnparsableValue {
  readonly #error: ConfigException;
  constructor(error: ConfigException) {
    this.#error = error;
  }
  get error(): ConfigException {
    return this.#error;
  }
}

function formatName(type: ConfigType): string {
  return `kafka-${type.toLowerCase()}`;
}

/** Maps a Kafka property name to its convict key. */
export function convictKey(name: string): string {
  return name.replace(/\./g, '_');
}

function kafkaName(key: string): string {
  return key.replace(/_/g, '.');
}

// Convict's format registry is global to the library; these registrations are stateless and
// idempotent (one parser per Kafka type), so registering them when this module loads is safe.
convict.addFormats(
  Object.fromEntries(
    Object.values(ConfigType).map((type) => [
      formatName(type),
      {
        coerce(value: unknown, _instance?: unknown, key?: string): unknown {
          if (typeof value !== 'string') return value;
          try {
            return parseConfigValue({ name: kafkaName(key ?? ''), type }, value).value;
          } catch (err) {
            if (err instanceof ConfigException) return new UnparsableValue(err);
            throw err;
          }
        },
        validate(value: unknown, schema: unknown): void {
          (schema as { kafkaCheck: (v: unknown) => void }).kafkaCheck(value);
        },
      },
    ]),
  ),
);

/**
 * Validates layers of property strings (later layers win) against a config table and returns the
 * typed effective value of every definition (defaults included). Every key of every layer must be a
 * name of the table. Throws ConfigException on the first invalid value.
 */
export function validateLayers(
  defs: readonly ConfigDefinition[],
  layers: ReadonlyArray<Readonly<Record<string, string>>>,
): Map<string, ConfigValue> {
  const errors: ConfigException[] = [];
  const schema: Record<string, unknown> = {};
  for (const def of defs) {
    const key = convictKey(def.name);
    if (key in schema || def.name.includes('_')) throw new Error(`config table cannot be mapped to convict keys: ${def.name}`);
    schema[key] = {
      doc: def.doc,
      format: formatName(def.type),
      default: def.default,
      nullable: def.default === null,
      sensitive: def.type === ConfigType.PASSWORD,
      // Convict clones schema items but keeps functions by reference, so this closure survives.
      kafkaCheck(value: unknown): void {
        try {
          if (value instanceof UnparsableValue) throw value.error;
          def.validator?.ensureValid(def, value as ConfigValue);
        } catch (err) {
          if (!(err instanceof ConfigException)) throw err;
          errors.push(err);
          // Convict decorates what it catches; hand it a throwaway error, keep ours intact.
          throw new Error(err.message);
        }
      },
    };
  }
  const config = convict(schema as convict.Schema<Record<string, unknown>>, { env: {}, args: [] });
  for (const layer of layers) {
    const converted: Record<string, string> = {};
    for (const [name, value] of Object.entries(layer)) converted[convictKey(name)] = value;
    config.load(converted);
  }
  try {
    config.validate({ allowed: 'strict' });
  } catch (err) {
    if (errors.length > 0) throw errors[0];
    throw new ConfigException(`Invalid configuration: ${(err as Error).message}`, { cause: err });
  }
  const properties = config.getProperties() as Record<string, ConfigValue>;
  const result = new Map<string, ConfigValue>();
  for (const def of defs) result.set(def.name, properties[convictKey(def.name)] ?? null);
  return result;
}
