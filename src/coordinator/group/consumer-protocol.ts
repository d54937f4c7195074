// The consumer embedded protocol (protocol type "consumer"): the subscription a consumer sends as its
// JoinGroup protocol metadata and the assignment the leader hands out in SyncGroup
// (clients/src/main/resources/common/message/ConsumerProtocol{Subscription,Assignment}.json, v0-3).
//
// The coordinator reads subscriptions only to know which topics a group consumes (offset expiry and
// OffsetDelete's GROUP_SUBSCRIBED_TO_TOPIC); it parses them with v0, the prefix of every version, so it
// does not depend on newer fields — as Kafka's GroupMetadata.computeSubscribedTopics does. Both payloads
// start with an int16 version; a version newer than 3 is read with the v3 format (newer versions only
// append fields).

import { ByteReader, ByteWriter, defineMessage, field, messagePlan, type MessageData } from '../../protocol';

/** The protocol type consumers use. */
export const CONSUMER_PROTOCOL_TYPE = 'consumer';

export const ConsumerProtocolSubscriptionSchema = defineMessage({
  name: 'ConsumerProtocolSubscription',
  type: 'data',
  validVersions: '0-3',
  flexibleVersions: 'none',
  fields: [
    field('Topics', '[]string', { versions: '0+' }),
    field('UserData', 'bytes', { versions: '0+', nullableVersions: '0+', default: null, zeroCopy: true }),
    field('OwnedPartitions', '[]TopicPartition', {
      versions: '1+',
      ignorable: true,
      fields: [
        field('Topic', 'string', { versions: '1+', mapKey: true, entityType: 'topicName' }),
        field('Partitions', '[]int32', { versions: '1+' }),
      ],
    }),
    field('GenerationId', 'int32', { versions: '2+', default: -1, ignorable: true }),
    field('RackId', 'string', { versions: '3+', nullableVersions: '3+', default: null, ignorable: true }),
  ],
});

export const ConsumerProtocolAssignmentSchema = defineMessage({
  name: 'ConsumerProtocolAssignment',
  type: 'data',
  validVersions: '0-3',
  flexibleVersions: 'none',
  fields: [
    field('AssignedPartitions', '[]TopicPartition', {
      versions: '0+',
      fields: [
        field('Topic', 'string', { versions: '0+', mapKey: true, entityType: 'topicName' }),
        field('Partitions', '[]int32', { versions: '0+' }),
      ],
    }),
    field('UserData', 'bytes', { versions: '0+', nullableVersions: '0+', default: null, zeroCopy: true }),
  ],
});

export type ConsumerProtocolSubscription = MessageData<typeof ConsumerProtocolSubscriptionSchema>;
export type ConsumerProtocolAssignment = MessageData<typeof ConsumerProtocolAssignmentSchema>;

const HIGHEST_VERSION = 3;

/** The topics of a subscription, read as v0; null when the bytes are not a consumer subscription. */
export function subscribedTopics(metadata: Buffer): string[] | null {
  try {
    const reader = new ByteReader(metadata);
    if (reader.readInt16() < 0) return null;
    return (messagePlan(ConsumerProtocolSubscriptionSchema, 0).decode(reader) as ConsumerProtocolSubscription).topics;
  } catch {
    return null;
  }
}

/** Decodes a subscription with its own version (capped at 3); null when malformed. */
export function decodeSubscription(metadata: Buffer): ConsumerProtocolSubscription | null {
  try {
    const reader = new ByteReader(metadata);
    const version = reader.readInt16();
    if (version < 0) return null;
    return messagePlan(ConsumerProtocolSubscriptionSchema, Math.min(version, HIGHEST_VERSION)).decode(reader) as ConsumerProtocolSubscription;
  } catch {
    return null;
  }
}

/** Decodes an assignment; an empty buffer (no assignment) gives no partitions; null when malformed. */
export function decodeAssignment(assignment: Buffer): ConsumerProtocolAssignment | null {
  if (assignment.length === 0) return { assignedPartitions: [], userData: null };
  try {
    const reader = new ByteReader(assignment);
    const version = reader.readInt16();
    if (version < 0) return null;
    return messagePlan(ConsumerProtocolAssignmentSchema, Math.min(version, HIGHEST_VERSION)).decode(reader) as ConsumerProtocolAssignment;
  } catch {
    return null;
  }
}

/** Serializes a subscription (used by tests and tools that act as consumers). */
export function encodeSubscription(topics: readonly string[], options: { version?: number; userData?: Buffer | null } = {}): Buffer {
  const version = options.version ?? 0;
  const w = new ByteWriter();
  w.writeInt16(version);
  messagePlan(ConsumerProtocolSubscriptionSchema, version).encode(w, { topics: [...topics], userData: options.userData ?? null });
  return w.toBuffer();
}

/** Serializes an assignment. */
export function encodeAssignment(partitions: readonly { topic: string; partitions: readonly number[] }[], version = 0): Buffer {
  const w = new ByteWriter();
  w.writeInt16(version);
  messagePlan(ConsumerProtocolAssignmentSchema, version).encode(w, {
    assignedPartitions: partitions.map((p) => ({ topic: p.topic, partitions: [...p.partitions] })),
    userData: null,
  });
  return w.toBuffer();
}
