/**
 * Encoding and decoding of `__consumer_offsets` record keys and values (Kafka's
 * GroupMetadataManager.offsetCommitKey / groupMetadataKey / offsetCommitValue / groupMetadataValue and
 * readMessageKey / readOffsetMessageValue / readGroupMessageValue), on the schemas of
 * group-record-schemas.ts. What this writes is what Kafka 3.9 writes, so Kafka's tools (the console
 * consumer's offsets formatter, kafka-dump-log --offsets-decoder) read it.
 */
import { ByteReader, ByteWriter, messagePlan, type MessageData, type MessageDefinition, type MessageInput } from '../../../protocol';
import { GroupRecordError } from '../coordinator-errors';
import type { OffsetAndMetadata, TopicPartition } from '../offset-and-metadata';
import {
  GROUP_METADATA_KEY_VERSION,
  GroupMetadataKeySchema,
  GroupMetadataValueSchema,
  OFFSET_COMMIT_KEY_VERSIONS,
  OffsetCommitKeySchema,
  OffsetCommitValueSchema,
  WRITTEN_VERSIONS,
} from './group-record-schemas';

/** A decoded record key: an offset commit, group metadata, or a version this broker does not know. */
export type GroupRecordKey =
  | { type: 'offset'; version: number; group: string; topic: string; partition: number }
  | { type: 'group'; version: number; group: string }
  | { type: 'unknown'; version: number };

/** A member as stored in a group metadata record. */
export interface StoredMember {
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  rebalanceTimeoutMs: number;
  sessionTimeoutMs: number;
  subscription: Buffer;
  assignment: Buffer;
}

/** A group as stored in a group metadata record. */
export interface StoredGroup {
  protocolType: string;
  generationId: number;
  protocolName: string | null;
  leaderId: string | null;
  /** When the group last changed state, null when unknown (value versions before 2). */
  currentStateTimestamp: number | null;
  members: StoredMember[];
}

function encode<M extends MessageDefinition>(schema: M, version: number, value: MessageInput<M>): Buffer {
  const w = new ByteWriter({ initialCapacity: 64 });
  w.writeInt16(version);
  messagePlan(schema, version).encode(w, value as Record<string, unknown>);
  return w.toBuffer();
}

function decode<M extends MessageDefinition>(schema: M, version: number, reader: ByteReader): MessageData<M> {
  try {
    return messagePlan(schema, version).decode(reader) as MessageData<M>;
  } catch (err) {
    throw new GroupRecordError(`Malformed ${schema.name} v${version}: ${(err as Error).message}`, { cause: err });
  }
}

function readVersion(buf: Buffer, what: string): { version: number; reader: ByteReader } {
  if (buf.length < 2) throw new GroupRecordError(`${what} of ${buf.length} bytes has no version`);
  const reader = new ByteReader(buf);
  return { version: reader.readInt16(), reader };
}

/** The key of the record holding the committed offset of `group` for a partition. */
export function offsetCommitKey(group: string, tp: TopicPartition): Buffer {
  return encode(OffsetCommitKeySchema, WRITTEN_VERSIONS.offsetCommitKey, { group, topic: tp.topic, partition: tp.partition });
}

/** The key of the record holding the metadata of `group`. */
export function groupMetadataKey(group: string): Buffer {
  return encode(GroupMetadataKeySchema, WRITTEN_VERSIONS.groupMetadataKey, { group });
}

/** The value of an offset commit record: v3, or v1 when the commit has an explicit expire timestamp. */
export function offsetCommitValue(offset: OffsetAndMetadata): Buffer {
  const version =
    offset.expireTimestamp !== null ? WRITTEN_VERSIONS.offsetCommitValueWithExpireTimestamp : WRITTEN_VERSIONS.offsetCommitValue;
  return encode(OffsetCommitValueSchema, version, {
    offset: offset.committedOffset,
    leaderEpoch: offset.leaderEpoch,
    metadata: offset.metadata,
    commitTimestamp: offset.commitTimestamp,
    expireTimestamp: offset.expireTimestamp ?? -1,
  });
}

/** The value of a group metadata record (v3). */
export function groupMetadataValue(group: StoredGroup): Buffer {
  return encode(GroupMetadataValueSchema, WRITTEN_VERSIONS.groupMetadataValue, {
    protocolType: group.protocolType,
    generation: group.generationId,
    protocol: group.protocolName,
    leader: group.leaderId,
    currentStateTimestamp: group.currentStateTimestamp ?? -1,
    members: group.members.map((m) => ({
      memberId: m.memberId,
      groupInstanceId: m.groupInstanceId,
      clientId: m.clientId,
      clientHost: m.clientHost,
      rebalanceTimeout: m.rebalanceTimeoutMs,
      sessionTimeout: m.sessionTimeoutMs,
      subscription: m.subscription,
      assignment: m.assignment,
    })),
  });
}

/** Decodes a record key; versions other than 0-2 come back as `unknown` (Kafka ignores them). */
export function readMessageKey(key: Buffer): GroupRecordKey {
  const { version, reader } = readVersion(key, 'Record key');
  if (version >= OFFSET_COMMIT_KEY_VERSIONS.min && version <= OFFSET_COMMIT_KEY_VERSIONS.max) {
    const k = decode(OffsetCommitKeySchema, version, reader);
    return { type: 'offset', version, group: k.group, topic: k.topic, partition: k.partition };
  }
  if (version === GROUP_METADATA_KEY_VERSION) {
    return { type: 'group', version, group: decode(GroupMetadataKeySchema, version, reader).group };
  }
  return { type: 'unknown', version };
}

/** Decodes an offset commit value; null for a tombstone. */
export function readOffsetMessageValue(value: Buffer | null): OffsetAndMetadata | null {
  if (value === null) return null;
  const { version, reader } = readVersion(value, 'Offset commit value');
  if (version < 0 || version > 4) throw new GroupRecordError(`Unknown offset message version: ${version}`);
  const v = decode(OffsetCommitValueSchema, version, reader);
  return {
    committedOffset: v.offset,
    leaderEpoch: v.leaderEpoch,
    metadata: v.metadata,
    commitTimestamp: v.commitTimestamp,
    expireTimestamp: v.expireTimestamp === -1 ? null : v.expireTimestamp,
  };
}

/** Decodes a group metadata value; null for a tombstone. */
export function readGroupMessageValue(value: Buffer | null): StoredGroup | null {
  if (value === null) return null;
  const { version, reader } = readVersion(value, 'Group metadata value');
  if (version < 0 || version > 4) throw new GroupRecordError(`Unknown group metadata message version: ${version}`);
  const v = decode(GroupMetadataValueSchema, version, reader);
  return {
    protocolType: v.protocolType,
    generationId: v.generation,
    protocolName: v.protocol,
    leaderId: v.leader,
    currentStateTimestamp: v.currentStateTimestamp === -1 ? null : v.currentStateTimestamp,
    members: v.members.map((m) => ({
      memberId: m.memberId,
      groupInstanceId: m.groupInstanceId,
      clientId: m.clientId,
      clientHost: m.clientHost,
      // Version 0 had no rebalance timeout: the session timeout served as both.
      rebalanceTimeoutMs: version === 0 ? m.sessionTimeout : m.rebalanceTimeout,
      sessionTimeoutMs: m.sessionTimeout,
      subscription: m.subscription,
      assignment: m.assignment,
    })),
  };
}
