/**
 * kafka-dump-log --offsets-decoder: Kafka 3.9's DumpLogSegments.OffsetsMessageParser (KAFKA-16470), which
 * reads `__consumer_offsets` records with the group coordinator's record serde and prints them as JSON:
 *
 *   key: {"type":"1","data":{"group":"g","topic":"t","partition":0}}
 *   payload: {"version":"3","data":{"offset":5,"leaderEpoch":0,"metadata":"","commitTimestamp":1700000000000}}
 *
 * The key's int16 prefix is the record type (0/1 offset commit, 2 group metadata) and also the version the
 * key is read and written with; the value's prefix is its own version. A tombstone's payload is `<DELETE>`.
 * For groups of the consumer protocol, each member's subscription and assignment bytes are replaced by their
 * ConsumerProtocolSubscription / ConsumerProtocolAssignment JSON (kept as Base64 when they do not decode).
 * An unknown record type prints `Unknown record type N at offset O, skipping.`, a record that does not
 * decode `Error at offset O, skipping. <why>`; a record without a key stops the tool (RuntimeException).
 *
 * Record types 3-8 (KIP-848 consumer group records) are written only by the new group coordinator, which a
 * ZooKeeper-mode broker does not run; they are reported as unknown types here.
 */
import {
  GroupMetadataKeySchema,
  GroupMetadataValueSchema,
  OffsetCommitKeySchema,
  OffsetCommitValueSchema,
} from '../coordinator/group/records/group-record-schemas';
import {
  CONSUMER_PROTOCOL_TYPE,
  ConsumerProtocolAssignmentSchema,
  ConsumerProtocolSubscriptionSchema,
} from '../coordinator/group/consumer-protocol';
import { ByteReader, messagePlan, type MessageDefinition } from '../protocol';
import { parseVersionRange } from '../protocol/versions';
import { jacksonString, messageJson, type JsonNode } from './dump-log-json';
import { JavaException } from './tool-support';

/** A key or payload as DumpLogSegments prints it; null prints nothing. */
export interface ParsedRecord {
  key: string | null;
  payload: string | null;
}

/** An exception DumpLogSegments does not catch: the JVM prints it and exits 1. */
export class DumpLogUncaughtError extends JavaException {
  override readonly name = 'DumpLogUncaughtError';
}

/** The key and value definitions of each record type Kafka 3.9's classic group coordinator writes. */
const RECORD_TYPES: ReadonlyMap<number, { key: MessageDefinition; value: MessageDefinition }> = new Map([
  [0, { key: OffsetCommitKeySchema, value: OffsetCommitValueSchema }],
  [1, { key: OffsetCommitKeySchema, value: OffsetCommitValueSchema }],
  [2, { key: GroupMetadataKeySchema, value: GroupMetadataValueSchema }],
]);

class UnknownRecordTypeError extends Error {
  override readonly name = 'UnknownRecordTypeError';
  constructor(readonly unknownType: number) {
    super(`Unknown record type ${unknownType}`);
  }
}

/** CoordinatorRecordSerde.readVersion. */
function readVersion(buf: Buffer, name: string): { version: number; reader: ByteReader } {
  if (buf.length < 2) throw new Error(`Could not read version from ${name}'s buffer.`);
  const reader = new ByteReader(buf);
  return { version: reader.readInt16(), reader };
}

/**
 * CoordinatorRecordSerde.readMessage: the message at `version`, with the serde's error text. A version the
 * schema lacks fails as the generated reader does (`Can't read version N of Name`); running out of bytes is
 * Java's BufferUnderflowException, whose message is null.
 */
function readMessage(definition: MessageDefinition, reader: ByteReader, options: { version: number; name: string }): Record<string, unknown> {
  const range = parseVersionRange(definition.validVersions);
  let why: string;
  if (options.version < range.min || options.version > range.max) {
    why = `Can't read version ${options.version} of ${definition.name}`;
  } else {
    try {
      return messagePlan(definition, options.version).decode(reader);
    } catch {
      why = 'null';
    }
  }
  throw new Error(`Could not read record with version ${options.version} from ${options.name}'s buffer due to: ${why}.`);
}

/** Decodes consumer protocol bytes (int16 version + data) into JSON, or undefined when they do not decode. */
function consumerProtocolJson(definition: MessageDefinition, bytes: Buffer): JsonNode | undefined {
  try {
    const reader = new ByteReader(bytes);
    const version = reader.readInt16();
    const range = parseVersionRange(definition.validVersions);
    if (version < range.min || version > range.max) return undefined;
    return messageJson(definition, version, messagePlan(definition, version).decode(reader));
  } catch {
    return undefined;
  }
}

/** OffsetsMessageParser.prepareGroupMetadataValue: consumer subscriptions and assignments as JSON. */
function groupMetadataValueJson(version: number, data: Record<string, unknown>): { [key: string]: JsonNode } {
  const json = messageJson(GroupMetadataValueSchema, version, data);
  if (json['protocolType'] !== CONSUMER_PROTOCOL_TYPE || !Array.isArray(json['members'])) return json;
  for (const member of json['members'] as { [key: string]: JsonNode }[]) {
    for (const [name, definition] of [
      ['subscription', ConsumerProtocolSubscriptionSchema],
      ['assignment', ConsumerProtocolAssignmentSchema],
    ] as const) {
      const bytes = member[name];
      if (!Buffer.isBuffer(bytes)) continue;
      const decoded = consumerProtocolJson(definition, bytes);
      if (decoded !== undefined) member[name] = decoded;
    }
  }
  return json;
}

/** OffsetsMessageParser.parse for one record of `__consumer_offsets`. */
export function parseOffsetsRecord(record: { offset: number; key: Buffer | null; value: Buffer | null }): ParsedRecord {
  if (record.key === null) {
    throw new DumpLogUncaughtError(
      `Failed to decode message at offset ${record.offset} using offset topic decoder (message had a missing key)`,
      'java.lang.RuntimeException',
    );
  }
  try {
    const { version: recordType, reader: keyReader } = readVersion(record.key, 'key');
    const types = RECORD_TYPES.get(recordType);
    if (!types) throw new UnknownRecordTypeError(recordType);
    const keyData = readMessage(types.key, keyReader, { version: recordType, name: 'key' });
    const key = jacksonString({ type: String(recordType), data: messageJson(types.key, recordType, keyData) });
    if (record.value === null) return { key, payload: '<DELETE>' };
    const { version, reader } = readVersion(record.value, 'value');
    const valueData = readMessage(types.value, reader, { version, name: 'value' });
    const data = recordType === 2 ? groupMetadataValueJson(version, valueData) : messageJson(types.value, version, valueData);
    return { key, payload: jacksonString({ version: String(version), data }) };
  } catch (err) {
    if (err instanceof UnknownRecordTypeError) {
      return { key: `Unknown record type ${err.unknownType} at offset ${record.offset}, skipping.`, payload: null };
    }
    return { key: `Error at offset ${record.offset}, skipping. ${(err as Error).message}`, payload: null };
  }
}
