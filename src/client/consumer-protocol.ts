/**
 * The consumer side of the embedded "consumer" protocol: the subscription a member sends as its
 * JoinGroup protocol metadata and the assignment the leader returns in SyncGroup, as Kafka's
 * ConsumerProtocol (ConsumerProtocolSubscription / ConsumerProtocolAssignment v0-3: v1 owned
 * partitions (KIP-429), v2 generation id, v3 rack id (KIP-881)). Both payloads start with an int16
 * version; a payload newer than v3 is read with the v3 layout, since newer versions only append fields.
 *
 * The schemas are the ones the group coordinator reads (src/coordinator/group/consumer-protocol.ts):
 * one declarative definition for both sides.
 */

import {
  CONSUMER_PROTOCOL_TYPE,
  ConsumerProtocolAssignmentSchema,
  ConsumerProtocolSubscriptionSchema,
  type ConsumerProtocolAssignment,
  type ConsumerProtocolSubscription,
} from '../coordinator/group/consumer-protocol';
import { ByteReader, ByteWriter, messagePlan } from '../protocol';
import type { TopicPartition } from './simple-consumer';

export { CONSUMER_PROTOCOL_TYPE };

/** The newest ConsumerProtocol version this client writes (Kafka 3.9's consumer writes v3). */
export const CONSUMER_PROTOCOL_VERSION = 3;

/** A member's subscription, version-independent. */
export interface Subscription {
  /** Subscribed topics (for a pattern: the topics it matched). */
  topics: string[];
  userData: Buffer | null;
  /** v1+: the partitions the member owns (empty for the eager assignors). */
  ownedPartitions: TopicPartition[];
  /** v2+: the generation the owned partitions belong to (-1 when none). */
  generationId: number;
  /** v3+: the member's client.rack (null when not set). */
  rackId: string | null;
}

/** An assignment, version-independent. */
export interface Assignment {
  partitions: TopicPartition[];
  userData: Buffer | null;
}

/** Thrown when a subscription or assignment cannot be parsed (Kafka's SchemaException). */
export class ConsumerProtocolError extends Error {
  override readonly name = 'ConsumerProtocolError';
}

/** Groups partitions by topic, topics in first-seen order, as Kafka's ConsumerProtocol writes them. */
function byTopic(partitions: readonly TopicPartition[]): { topic: string; partitions: number[] }[] {
  const out = new Map<string, number[]>();
  for (const tp of partitions) {
    const list = out.get(tp.topic) ?? [];
    list.push(tp.partition);
    out.set(tp.topic, list);
  }
  return [...out].map(([topic, list]) => ({ topic, partitions: list }));
}

function flatten(topics: readonly { topic: string; partitions: readonly number[] }[]): TopicPartition[] {
  return topics.flatMap((t) => t.partitions.map((partition) => ({ topic: t.topic, partition })));
}

function readVersion(reader: ByteReader, what: string): number {
  const version = reader.readInt16();
  if (version < 0) throw new ConsumerProtocolError(`Unsupported ${what} version: ${version}`);
  return Math.min(version, CONSUMER_PROTOCOL_VERSION);
}

/** Serializes a subscription with `version` (default 3). */
export function serializeSubscription(subscription: Partial<Subscription> & { topics: string[] }, version = CONSUMER_PROTOCOL_VERSION): Buffer {
  const w = new ByteWriter();
  w.writeInt16(version);
  messagePlan(ConsumerProtocolSubscriptionSchema, version).encode(w, {
    topics: [...subscription.topics],
    userData: subscription.userData ?? null,
    ownedPartitions: byTopic(subscription.ownedPartitions ?? []),
    generationId: subscription.generationId ?? -1,
    rackId: subscription.rackId ?? null,
  });
  return w.toBuffer();
}

/** Parses a subscription of any version; fields a version lacks get their defaults. */
export function deserializeSubscription(bytes: Buffer): Subscription & { version: number } {
  try {
    const reader = new ByteReader(bytes);
    const version = readVersion(reader, 'subscription');
    const s = messagePlan(ConsumerProtocolSubscriptionSchema, version).decode(reader) as ConsumerProtocolSubscription;
    return {
      version,
      topics: [...s.topics],
      userData: s.userData ?? null,
      ownedPartitions: flatten(s.ownedPartitions ?? []),
      generationId: s.generationId ?? -1,
      rackId: s.rackId ?? null,
    };
  } catch (err) {
    if (err instanceof ConsumerProtocolError) throw err;
    throw new ConsumerProtocolError(`Malformed consumer subscription: ${(err as Error).message}`);
  }
}

/** Serializes an assignment with `version` (default 3). */
export function serializeAssignment(assignment: Partial<Assignment> & { partitions: TopicPartition[] }, version = CONSUMER_PROTOCOL_VERSION): Buffer {
  const w = new ByteWriter();
  w.writeInt16(version);
  messagePlan(ConsumerProtocolAssignmentSchema, version).encode(w, {
    assignedPartitions: byTopic(assignment.partitions),
    userData: assignment.userData ?? null,
  });
  return w.toBuffer();
}

/**
 * Parses an assignment. An empty payload is an empty assignment: the coordinator sends one to a member
 * the leader left out, and to every member when the group has no leader assignment.
 */
export function deserializeAssignment(bytes: Buffer): Assignment & { version: number } {
  if (bytes.length === 0) return { version: 0, partitions: [], userData: null };
  try {
    const reader = new ByteReader(bytes);
    const version = readVersion(reader, 'assignment');
    const a = messagePlan(ConsumerProtocolAssignmentSchema, version).decode(reader) as ConsumerProtocolAssignment;
    return { version, partitions: flatten(a.assignedPartitions), userData: a.userData ?? null };
  } catch (err) {
    if (err instanceof ConsumerProtocolError) throw err;
    throw new ConsumerProtocolError(`Malformed consumer assignment: ${(err as Error).message}`);
  }
}
