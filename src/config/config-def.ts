/**
 * The shape of a config definition (one row of Kafka's ConfigDef) shared by the broker and topic
 * tables, and the validators Kafka attaches to definitions (ConfigDef.Range, ValidString, ValidList,
 * and the few custom ones the broker and topic configs use). Validator messages are Kafka's.
 */
import { ConfigException } from './config-exception';
import { ConfigType, type ConfigKey, type ConfigValue, javaToString } from './config-types';

/** ConfigDef.Importance. */
export const Importance = { HIGH: 'HIGH', MEDIUM: 'MEDIUM', LOW: 'LOW' } as const;
export type Importance = (typeof Importance)[keyof typeof Importance];

/**
 * How a broker config may change at runtime (Kafka's docs column "Dynamic Update Mode").
 * `ro` read-only, `pb` per-broker, `cw` cluster-wide (per-broker too).
 */
export const DynamicMode = { READ_ONLY: 'ro', PER_BROKER: 'pb', CLUSTER_WIDE: 'cw' } as const;
export type DynamicMode = (typeof DynamicMode)[keyof typeof DynamicMode];

/** Checks a parsed (non-null) value; throws ConfigException with Kafka's message when invalid. */
export interface Validator {
  ensureValid(key: ConfigKey, value: ConfigValue): void;
  /** Kafka's validator toString, shown as "Valid Values" in docs. */
  readonly description: string;
}

/** One config definition. `default` is the Kafka default as property text, or null for none. */
export interface ConfigDefinition {
  name: string;
  type: ConfigType;
  default: string | null;
  validator?: Validator;
  importance: Importance;
  doc: string;
  /** Internal configs are accepted but not listed by DescribeConfigs. */
  internal?: boolean;
}

function invalid(name: string, type: ConfigType, value: ConfigValue, reason: string): ConfigException {
  return ConfigException.invalidValue(name, javaToString(type, value), { reason });
}

/** ConfigDef.Range.between(min, max); either bound may be undefined (atLeast / atMost). */
export function range(min: number | undefined, max?: number): Validator {
  const lower = min === undefined ? '' : `${min},`;
  const upper = max === undefined ? '' : `,${max}`;
  return {
    description: `[${lower}...${upper}]`,
    ensureValid({ name, type }, value) {
      if (typeof value !== 'number') return;
      if (min !== undefined && value < min) throw invalid(name, type, value, `Value must be at least ${min}`);
      if (max !== undefined && value > max) throw invalid(name, type, value, `Value must be no more than ${max}`);
    },
  };
}

/** ConfigDef.Range.atLeast(min). */
export function atLeast(min: number): Validator {
  return range(min);
}

/** ConfigDef.ValidString.in(...): the value must be one of the given strings (case-sensitive). */
export function validString(...valid: string[]): Validator {
  return {
    description: `[${valid.join(', ')}]`,
    ensureValid({ name, type }, value) {
      if (typeof value === 'string' && !valid.includes(value)) {
        throw invalid(name, type, value, `String must be one of: ${valid.join(', ')}`);
      }
    },
  };
}

/** ConfigDef.ValidList.in(...): every list entry must be one of the given strings. */
export function validList(...valid: string[]): Validator {
  const entry = validString(...valid);
  return {
    description: `[${valid.join(', ')}]`,
    ensureValid({ name, type }, value) {
      if (!Array.isArray(value)) return;
      for (const item of value) entry.ensureValid({ name, type: ConfigType.STRING }, item);
    },
  };
}

/** A validator with a custom check; `check` returns an error reason or null. */
export function customValidator(description: string, check: (value: ConfigValue) => string | null): Validator {
  return {
    description,
    ensureValid({ name, type }, value) {
      const reason = check(value);
      if (reason !== null) throw invalid(name, type, value, reason);
    },
  };
}

// Release prefixes of Kafka's MetadataVersion (inter.broker.protocol.version / log.message.format.version).
const IBP_RELEASES = [
  '0.8.0', '0.8.1', '0.8.2', '0.9.0', '0.10.0', '0.10.1', '0.10.2', '0.11.0', '1.0', '1.1', '2.0', '2.1', '2.2',
  '2.3', '2.4', '2.5', '2.6', '2.7', '2.8', '3.0', '3.1', '3.2', '3.3', '3.4', '3.5', '3.6', '3.7', '3.8', '3.9',
];
// The highest IV (internal version) of each release that has them; 0.8.x and 0.9.0 have none.
const IBP_MAX_IV: Record<string, number> = {
  '0.10.0': 1, '0.10.1': 2, '0.10.2': 0, '0.11.0': 2, '1.0': 0, '1.1': 0, '2.0': 1, '2.1': 2, '2.2': 1, '2.3': 1,
  '2.4': 1, '2.5': 0, '2.6': 0, '2.7': 2, '2.8': 1, '3.0': 1, '3.1': 0, '3.2': 0, '3.3': 3, '3.4': 0, '3.5': 2,
  '3.6': 2, '3.7': 4, '3.8': 0, '3.9': 0,
};
const IBP_NAMES = new Set<string>(IBP_RELEASES);
for (const [release, max] of Object.entries(IBP_MAX_IV)) {
  for (let iv = 0; iv <= max; iv++) IBP_NAMES.add(`${release}-IV${iv}`);
}

/**
 * Whether Kafka 3.9's MetadataVersion.fromVersionString accepts a version: its first two dot
 * segments (three for 0.x) must name a release or a release-IV, so `3.9`, `3.9-IV0`, `2.8.1` and
 * `0.10.2.0` are valid.
 */
export function isKnownMetadataVersion(version: string): boolean {
  const segments = version.split('.');
  const count = version.startsWith('0.') ? 3 : 2;
  const key = segments.length <= count ? version : segments.slice(0, count).join('.');
  return IBP_NAMES.has(key);
}

/** Kafka's MetadataVersionValidator. */
export const metadataVersionValidator: Validator = customValidator(`[${IBP_RELEASES.join(', ')}]`, (value) =>
  typeof value === 'string' && !isKnownMetadataVersion(value)
    ? `Version ${value} is not a valid version. The minimum version is 0.8.0 and the maximum version is 3.9-IV0`
    : null,
);
