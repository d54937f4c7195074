/**
 * The Admin operations that move replicas and leaders, all sent to the active controller:
 *
 * - AlterPartitionReassignments v0 (KIP-455): start (target replicas) or cancel (null) reassignments;
 * - ListPartitionReassignments v0 (KIP-455): the ongoing reassignments, all or of listed partitions;
 * - ElectLeaders v0-2 (KIP-460; v1+ carries the election type, so UNCLEAN needs v1): preferred or
 *   unclean leader elections for listed partitions or all of them (null).
 *
 * Results are per partition with a KafkaResponseError when it failed, as Kafka's Admin completes each
 * partition's future; a top-level error code fails every partition (alter) or the call (list, elect).
 */

import { ApiKeys, ErrorCode, type RequestInputOf, type ResponseOf } from '../protocol';
import { type AdminContext, controllerRequest, groupBy, itemError, missingResultError } from './admin-support';
import { KafkaResponseError } from './client-errors';

/** A partition of a topic. */
export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

/** A reassignment to start (`replicas`, preferred leader first) or cancel (`replicas: null`). */
export interface ReassignmentTarget extends TopicPartition {
  readonly replicas: readonly number[] | null;
}

/** The outcome of one partition of a call: `error` null when it succeeded. */
export interface PartitionResult extends TopicPartition {
  readonly error: KafkaResponseError | null;
}

/** An ongoing reassignment (Kafka's PartitionReassignment with its partition). */
export interface PartitionReassignment extends TopicPartition {
  /** Every replica of the partition now: the target ones first, then those still to be removed. */
  readonly replicas: number[];
  readonly addingReplicas: number[];
  readonly removingReplicas: number[];
}

/** ElectLeaders election types (Kafka's ElectionType ids). */
export const ElectionType = {
  PREFERRED: 0,
  UNCLEAN: 1,
} as const;
export type ElectionType = (typeof ElectionType)[keyof typeof ElectionType];

const tpKey = (topic: string, partition: number) => `${topic}\u0000${partition}`;

/** Request timeout of a call the controller may hold for up to `timeoutMs`. */
function requestTimeout(ctx: AdminContext, timeoutMs: number): number {
  return ctx.client.requestTimeoutMs + timeoutMs;
}

/** Sends v0 of a KIP-455 reassignment API to the controller (following it when it moves). */
function reassignmentCall<K extends typeof ApiKeys.AlterPartitionReassignments | typeof ApiKeys.ListPartitionReassignments>(
  ctx: AdminContext,
  apiKey: K,
  request: { body: RequestInputOf<K>; timeoutMs: number; operation: string },
): Promise<ResponseOf<K>> {
  const { body, timeoutMs, operation } = request;
  return controllerRequest(
    ctx,
    // Both responses carry a top-level ErrorCode; the generic ResponseOf<K> cannot show it.
    (conn) =>
      conn.request(apiKey, conn.pickVersion(apiKey, 0, 0), body, { timeoutMs: requestTimeout(ctx, timeoutMs) }) as Promise<
        ResponseOf<K> & { errorCode: number }
      >,
    { operation, timeoutMs },
  );
}

/**
 * AlterPartitionReassignments: per partition in the order given, null when the controller accepted
 * it. A top-level error fails every partition with it.
 */
export async function alterPartitionReassignments(
  ctx: AdminContext,
  targets: readonly ReassignmentTarget[],
  options?: { timeoutMs?: number },
): Promise<PartitionResult[]> {
  const timeoutMs = options?.timeoutMs ?? ctx.defaultApiTimeoutMs;
  const topics = [...groupBy(targets, (t) => t.topic)].map(([name, list]) => ({
    name,
    partitions: list.map((t) => ({ partitionIndex: t.partition, replicas: t.replicas === null ? null : [...t.replicas] })),
  }));
  const response = await reassignmentCall(ctx, ApiKeys.AlterPartitionReassignments, {
    body: { timeoutMs, topics },
    timeoutMs,
    operation: 'alterPartitionReassignments',
  });
  const errors = new Map<string, KafkaResponseError | null>();
  for (const t of response.responses) {
    for (const p of t.partitions) errors.set(tpKey(t.name, p.partitionIndex), itemError(p.errorCode, p.errorMessage));
  }
  const topLevel = itemError(response.errorCode, response.errorMessage);
  return targets.map(({ topic, partition }) => {
    const error = topLevel ?? errors.get(tpKey(topic, partition));
    return { topic, partition, error: error === undefined ? missingResultError() : error };
  });
}

/**
 * ListPartitionReassignments: the ongoing reassignments (of `partitions`, or all when null), sorted by
 * topic and partition. A top-level error throws its KafkaResponseError.
 */
export async function listPartitionReassignments(
  ctx: AdminContext,
  partitions: readonly TopicPartition[] | null,
  options?: { timeoutMs?: number },
): Promise<PartitionReassignment[]> {
  const timeoutMs = options?.timeoutMs ?? ctx.defaultApiTimeoutMs;
  const topics =
    partitions === null
      ? null
      : [...groupBy(partitions, (p) => p.topic)].map(([name, list]) => ({ name, partitionIndexes: list.map((p) => p.partition) }));
  const response = await reassignmentCall(ctx, ApiKeys.ListPartitionReassignments, {
    body: { timeoutMs, topics },
    timeoutMs,
    operation: 'listPartitionReassignments',
  });
  const error = itemError(response.errorCode, response.errorMessage);
  if (error) throw error;
  return response.topics
    .flatMap((t) =>
      t.partitions.map((p) => ({
        topic: t.name,
        partition: p.partitionIndex,
        replicas: [...p.replicas],
        addingReplicas: [...p.addingReplicas],
        removingReplicas: [...p.removingReplicas],
      })),
    )
    .sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition));
}

/**
 * ElectLeaders for `partitions` (every partition when null): per partition the controller reported,
 * null when a leader was elected, ELECTION_NOT_NEEDED when the wanted one already leads. A top-level
 * error throws; a controller that lost its role (NOT_CONTROLLER for every partition) is asked again.
 */
export async function electLeaders(
  ctx: AdminContext,
  request: { electionType: ElectionType; partitions: readonly TopicPartition[] | null },
  options?: { timeoutMs?: number },
): Promise<PartitionResult[]> {
  const timeoutMs = options?.timeoutMs ?? ctx.defaultApiTimeoutMs;
  const { electionType, partitions } = request;
  const topicPartitions =
    partitions === null
      ? null
      : [...groupBy(partitions, (p) => p.topic)].map(([topic, list]) => ({ topic, partitions: list.map((p) => p.partition) }));
  const response = await controllerRequest(
    ctx,
    async (conn) => {
      const version = conn.pickVersion(ApiKeys.ElectLeaders, electionType === ElectionType.UNCLEAN ? 1 : 0, 2);
      const r = await conn.request(
        ApiKeys.ElectLeaders,
        version,
        { electionType, topicPartitions, timeoutMs },
        { timeoutMs: requestTimeout(ctx, timeoutMs) },
      );
      const results = r.replicaElectionResults.flatMap((t) => t.partitionResult);
      if (results.length > 0 && results.every((p) => p.errorCode === ErrorCode.NOT_CONTROLLER)) {
        return { ...r, errorCode: ErrorCode.NOT_CONTROLLER };
      }
      return r;
    },
    { operation: 'electLeaders', timeoutMs },
  );
  if (response.errorCode !== ErrorCode.NONE) throw new KafkaResponseError(response.errorCode);
  return response.replicaElectionResults.flatMap((t) =>
    t.partitionResult.map((p) => ({ topic: t.topic, partition: p.partitionId, error: itemError(p.errorCode, p.errorMessage) })),
  );
}
