/**
 * Kafka ConfigDef types: parsing a property string into a typed value and printing a typed value the
 * way Kafka does (ConfigDef.parseType / ConfigDef.convertToString), plus the DescribeConfigs (v3+)
 * config-type ids and value sources, and the ids the Admin client and the broker share for config
 * resources (ConfigResource.Type) and IncrementalAlterConfigs operations (AlterConfigOp.OpType, KIP-339).
 *
 * int64 values are JS numbers throughout ts-kafka. A LONG outside ±Number.MAX_SAFE_INTEGER is
 * clamped to it, so Kafka's Long.MAX_VALUE ("unbounded") becomes Number.MAX_SAFE_INTEGER, the
 * UNBOUNDED convention of src/log/log-config.ts; printing maps it back to 9223372036854775807.
 */
import { ConfigException } from './config-exception';

/** Kafka's ConfigDef.Type names. */
export const ConfigType = {
  BOOLEAN: 'BOOLEAN',
  STRING: 'STRING',
  INT: 'INT',
  SHORT: 'SHORT',
  LONG: 'LONG',
  DOUBLE: 'DOUBLE',
  LIST: 'LIST',
  CLASS: 'CLASS',
  PASSWORD: 'PASSWORD',
} as const;
export type ConfigType = (typeof ConfigType)[keyof typeof ConfigType];

/** DescribeConfigs v3+ `ConfigType` ids (DescribeConfigsResponse.ConfigType). */
export const ConfigTypeId = {
  UNKNOWN: 0,
  BOOLEAN: 1,
  STRING: 2,
  INT: 3,
  SHORT: 4,
  LONG: 5,
  DOUBLE: 6,
  LIST: 7,
  CLASS: 8,
  PASSWORD: 9,
} as const;
export type ConfigTypeId = (typeof ConfigTypeId)[keyof typeof ConfigTypeId];

/** DescribeConfigs `ConfigSource` ids (DescribeConfigsResponse.ConfigSource). */
export const ConfigSource = {
  UNKNOWN: 0,
  TOPIC_CONFIG: 1,
  DYNAMIC_BROKER_CONFIG: 2,
  DYNAMIC_DEFAULT_BROKER_CONFIG: 3,
  STATIC_BROKER_CONFIG: 4,
  DEFAULT_CONFIG: 5,
  DYNAMIC_BROKER_LOGGER_CONFIG: 6,
  CLIENT_METRICS_CONFIG: 7,
  GROUP_CONFIG: 8,
} as const;
export type ConfigSourceName = keyof typeof ConfigSource;

/** Config resource types (Kafka's ConfigResource.Type ids, the requests' ResourceType). */
export const ConfigResourceType = {
  UNKNOWN: 0,
  TOPIC: 2,
  BROKER: 4,
  BROKER_LOGGER: 8,
  CLIENT_METRICS: 16,
  GROUP: 32,
} as const;
export type ConfigResourceType = (typeof ConfigResourceType)[keyof typeof ConfigResourceType];

/** IncrementalAlterConfigs operations (Kafka's AlterConfigOp.OpType ids, the requests' ConfigOperation). */
export const AlterConfigOpType = {
  SET: 0,
  DELETE: 1,
  APPEND: 2,
  SUBTRACT: 3,
} as const;
export type AlterConfigOpType = (typeof AlterConfigOpType)[keyof typeof AlterConfigOpType];

/** A parsed config value. PASSWORD values are plain strings; describe output hides them. */
export type ConfigValue = number | boolean | string | string[] | null;

/** Kafka's Long.MAX_VALUE / MIN_VALUE as text (they have no exact JS number). */
export const LONG_MAX_TEXT = '9223372036854775807';
export const LONG_MIN_TEXT = '-9223372036854775808';
const LONG_MAX = 9223372036854775807n;
const LONG_MIN = -9223372036854775808n;

const INTEGER_TEXT = /^[+-]?\d+$/;
// Java's Double.parseDouble: decimal or exponent forms, NaN/Infinity, optional f/d suffix.
const DOUBLE_TEXT = /^[+-]?(NaN|Infinity|(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?[fFdD]?)$/;
// Kafka splits lists on commas with surrounding whitespace, keeping empty trailing entries.
const LIST_SEPARATOR = /\s*,\s*/;

/** Java's Double.toString: `0.5`, `10.0`, `1.0E7`, `1.7976931348623157E308`. */
export function javaDoubleToString(d: number): string {
  if (Number.isNaN(d)) return 'NaN';
  if (d === Infinity) return 'Infinity';
  if (d === -Infinity) return '-Infinity';
  if (d === 0) return Object.is(d, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(d);
  if (abs >= 1e-3 && abs < 1e7) {
    const s = String(d);
    return s.includes('.') ? s : `${s}.0`;
  }
  const [mantissa, exponent] = d.toExponential().split('e');
  const m = mantissa.includes('.') ? mantissa : `${mantissa}.0`;
  return `${m}E${exponent.startsWith('+') ? exponent.slice(1) : exponent}`;
}

/** Prints an int64 the way Kafka would, mapping the clamped extremes back to Long.MAX/MIN_VALUE. */
export function longToString(n: number): string {
  if (n >= Number.MAX_SAFE_INTEGER) return LONG_MAX_TEXT;
  if (n <= -Number.MAX_SAFE_INTEGER) return LONG_MIN_TEXT;
  return String(Math.trunc(n));
}

function parseInteger(name: string, raw: string, trimmed: string, bits: 16 | 32): number {
  const label = bits === 16 ? 'SHORT' : 'INT';
  if (!INTEGER_TEXT.test(trimmed)) throw ConfigException.invalidValue(name, raw, { reason: `Not a number of type ${label}` });
  const n = Number(trimmed);
  const limit = 2 ** (bits - 1);
  if (n < -limit || n > limit - 1) throw ConfigException.invalidValue(name, raw, { reason: `Not a number of type ${label}` });
  return n;
}

function parseLong(name: string, raw: string, trimmed: string): { value: number; text: string } {
  if (!INTEGER_TEXT.test(trimmed)) throw ConfigException.invalidValue(name, raw, { reason: 'Not a number of type LONG' });
  const big = BigInt(trimmed);
  if (big > LONG_MAX || big < LONG_MIN) throw ConfigException.invalidValue(name, raw, { reason: 'Not a number of type LONG' });
  const max = BigInt(Number.MAX_SAFE_INTEGER);
  const clamped = big > max ? Number.MAX_SAFE_INTEGER : big < -max ? -Number.MAX_SAFE_INTEGER : Number(big);
  return { value: clamped, text: big.toString() };
}

/** What parsing needs to know of a property: its name (for error messages) and type. */
export interface ConfigKey {
  name: string;
  type: ConfigType;
}

/** A typed value with its canonical text (what Kafka's convertToString prints for it). */
export interface ParsedConfigValue {
  value: ConfigValue;
  text: string | null;
}

/**
 * Parses a property string as Kafka's ConfigDef.parseType does: the string is trimmed first, and a
 * value that does not fit the type throws ConfigException naming the property and the raw value.
 * `null` stays null (a property without a default that was not supplied).
 */
export function parseConfigValue(key: ConfigKey, raw: string | null): ParsedConfigValue {
  const { name, type } = key;
  if (raw === null) return { value: null, text: null };
  const trimmed = raw.trim();
  switch (type) {
    case ConfigType.BOOLEAN: {
      const lower = trimmed.toLowerCase();
      if (lower === 'true') return { value: true, text: 'true' };
      if (lower === 'false') return { value: false, text: 'false' };
      throw ConfigException.invalidValue(name, raw, { reason: 'Expected value to be either true or false' });
    }
    case ConfigType.STRING:
    case ConfigType.PASSWORD:
    case ConfigType.CLASS:
      return { value: trimmed, text: trimmed };
    case ConfigType.INT: {
      const n = parseInteger(name, raw, trimmed, 32);
      return { value: n, text: String(n) };
    }
    case ConfigType.SHORT: {
      const n = parseInteger(name, raw, trimmed, 16);
      return { value: n, text: String(n) };
    }
    case ConfigType.LONG:
      return parseLong(name, raw, trimmed);
    case ConfigType.DOUBLE: {
      if (!DOUBLE_TEXT.test(trimmed)) throw ConfigException.invalidValue(name, raw, { reason: 'Not a number of type DOUBLE' });
      const d = Number(trimmed.replace(/[fFdD]$/, ''));
      return { value: d, text: javaDoubleToString(d) };
    }
    case ConfigType.LIST: {
      const items = trimmed.length === 0 ? [] : trimmed.split(LIST_SEPARATOR);
      return { value: items, text: items.join(',') };
    }
  }
}

/**
 * Prints a typed value as Kafka's ConfigDef.convertToString: lists joined with commas, doubles in
 * Java notation, clamped longs as Long.MAX/MIN_VALUE. `null` stays null.
 */
export function formatConfigValue(type: ConfigType, value: ConfigValue): string | null {
  if (value === null) return null;
  if (Array.isArray(value)) return value.join(',');
  if (typeof value === 'number') {
    if (type === ConfigType.DOUBLE) return javaDoubleToString(value);
    if (type === ConfigType.LONG) return longToString(value);
    return String(value);
  }
  return String(value);
}

/**
 * How Kafka's ConfigException prints a parsed value (Java toString): doubles as `2.0`, lists as
 * `[a, b]`. Used when a validator rejects a value that parsed fine.
 */
export function javaToString(type: ConfigType, value: ConfigValue): string {
  if (Array.isArray(value)) return `[${value.join(', ')}]`;
  if (typeof value === 'number') return formatConfigValue(type, value) ?? 'null';
  if (type === ConfigType.PASSWORD) return '[hidden]';
  return String(value);
}

/** One synonym of a DescribeConfigs entry: a property that supplies or could supply its value. */
export interface ConfigSynonym {
  name: string;
  /** Null for sensitive configs. */
  value: string | null;
  source: ConfigSourceName;
}

/** One DescribeConfigs result entry, as Kafka reports it (value null when sensitive). */
export interface ConfigEntry {
  name: string;
  value: string | null;
  source: ConfigSourceName;
  readOnly: boolean;
  sensitive: boolean;
  /** DescribeConfigs v3+ config type id (ConfigTypeId). */
  type: ConfigTypeId;
  /** Synonyms in Kafka's (KIP-226) order: most specific first. The first one is the value's source. */
  synonyms: ConfigSynonym[];
  documentation: string | null;
}

/** The ConfigTypeId of a ConfigType (UNKNOWN for a property without a definition). */
export function configTypeId(type: ConfigType | undefined): ConfigTypeId {
  return type === undefined ? ConfigTypeId.UNKNOWN : ConfigTypeId[type];
}
