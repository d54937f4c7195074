/**
 * JSON for znode payloads: an order-preserving compact writer (Jackson's output: no spaces, keys in the
 * producing map's iteration order, which plain JS objects cannot keep for integer-like keys such as partition
 * numbers), and a tolerant reader that validates each payload against its schema in zk-schema/.
 *
 * The schemas are compiled once per process on first use: a compiled validator is a pure function of the
 * schema file, so caching it here is not shared mutable state.
 */
import Ajv, { type ValidateFunction } from 'ajv';
import brokerSchema from '../../../zk-schema/broker.json';
import clusterIdSchema from '../../../zk-schema/cluster-id.json';
import configChangeSchema from '../../../zk-schema/config-change.json';
import configEntitySchema from '../../../zk-schema/config-entity.json';
import controllerSchema from '../../../zk-schema/controller.json';
import featureSchema from '../../../zk-schema/feature.json';
import isrChangeSchema from '../../../zk-schema/isr-change-notification.json';
import logDirEventSchema from '../../../zk-schema/log-dir-event-notification.json';
import partitionStateSchema from '../../../zk-schema/partition-state.json';
import preferredReplicaElectionSchema from '../../../zk-schema/preferred-replica-election.json';
import producerIdBlockSchema from '../../../zk-schema/producer-id-block.json';
import reassignPartitionsSchema from '../../../zk-schema/reassign-partitions.json';
import topicSchema from '../../../zk-schema/topic.json';
import { ZNodeDecodeError } from '../zk-errors';

/** The zk-schema/ file of each JSON znode payload. */
export const ZNODE_SCHEMAS = {
  broker: brokerSchema,
  'cluster-id': clusterIdSchema,
  'config-change': configChangeSchema,
  'config-entity': configEntitySchema,
  controller: controllerSchema,
  feature: featureSchema,
  'isr-change-notification': isrChangeSchema,
  'log-dir-event-notification': logDirEventSchema,
  'partition-state': partitionStateSchema,
  'preferred-replica-election': preferredReplicaElectionSchema,
  'producer-id-block': producerIdBlockSchema,
  'reassign-partitions': reassignPartitionsSchema,
  topic: topicSchema,
} as const;

/** Name of a znode payload schema (the zk-schema/ file name without `.json`). */
export type ZNodeSchemaName = keyof typeof ZNODE_SCHEMAS;

let ajv: Ajv | undefined;
const validators = new Map<ZNodeSchemaName, ValidateFunction>();

/** Returns the compiled validator of a schema (compiled on first use). */
export function znodeValidator(name: ZNodeSchemaName): ValidateFunction {
  let validate = validators.get(name);
  if (validate === undefined) {
    ajv ??= new Ajv({ allErrors: true, strictTypes: false });
    validate = ajv.compile(ZNODE_SCHEMAS[name]);
    validators.set(name, validate);
  }
  return validate;
}

/**
 * Parses a znode's JSON payload and validates it against its schema.
 * @throws ZNodeDecodeError naming `path` when the data is not JSON or does not match the schema.
 */
export function parseZNodeJson<T>(data: Buffer, path: string, schema: ZNodeSchemaName): T {
  const text = data.toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new ZNodeDecodeError(path, `znode ${path} does not hold valid JSON: ${JSON.stringify(truncate(text))}`, {
      cause: e,
    });
  }
  const validate = znodeValidator(schema);
  if (!validate(value)) {
    const problems = (validate.errors ?? [])
      .map((err) => `${err.instancePath === '' ? '(root)' : err.instancePath} ${err.message ?? 'is invalid'}`)
      .join('; ');
    throw new ZNodeDecodeError(
      path,
      `znode ${path} does not match zk-schema/${schema}.json: ${problems} in ${JSON.stringify(truncate(text))}`,
    );
  }
  return value as T;
}

/**
 * Parses a plain-text decimal znode (`/controller_epoch`, consumer offsets).
 * @throws ZNodeDecodeError naming `path` for anything but an optionally signed decimal integer.
 */
export function parseZNodeDecimal(data: Buffer, path: string): number {
  const text = data.toString('utf8');
  if (!/^-?[0-9]+$/.test(text)) {
    throw new ZNodeDecodeError(path, `znode ${path} does not hold a decimal number: ${JSON.stringify(truncate(text))}`);
  }
  const value = Number(text);
  if (!Number.isSafeInteger(value)) {
    throw new ZNodeDecodeError(path, `znode ${path} holds ${text}, beyond the exactly representable range`);
  }
  return value;
}

/** A JSON object whose keys are written in the given order. */
export class JsonObject {
  readonly entries: ReadonlyArray<readonly [string, JsonValue]>;
  constructor(entries: ReadonlyArray<readonly [string, JsonValue]>) {
    this.entries = entries;
  }
}

/** A JSON value for {@link toJsonBytes}. */
export type JsonValue = string | number | boolean | null | JsonObject | readonly JsonValue[];

/** Builds an ordered JSON object from [key, value] pairs. */
export function jsonObject(...entries: Array<readonly [string, JsonValue]>): JsonObject {
  return new JsonObject(entries);
}

/** Builds an ordered JSON object from a map, writing its keys in `order` (every key of the map, once). */
export function jsonObjectInOrder<V extends JsonValue>(map: ReadonlyMap<string, V>, order: readonly string[]): JsonObject {
  return new JsonObject(order.map((key) => [key, map.get(key) as V] as const));
}

/** Serialises compactly, as Kafka's Jackson ObjectMapper does. */
export function toJsonString(value: JsonValue): string {
  if (value instanceof JsonObject) {
    return `{${value.entries.map(([k, v]) => `${JSON.stringify(k)}:${toJsonString(v)}`).join(',')}}`;
  }
  if (Array.isArray(value)) return `[${value.map((v: JsonValue) => toJsonString(v)).join(',')}]`;
  if (typeof value === 'number' && !Number.isFinite(value)) throw new TypeError(`cannot write ${value} as JSON`);
  return JSON.stringify(value);
}

/** Serialises to UTF-8 bytes. */
export function toJsonBytes(value: JsonValue): Buffer {
  return Buffer.from(toJsonString(value), 'utf8');
}

function truncate(text: string): string {
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}
