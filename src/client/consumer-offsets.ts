/**
 * Committed offsets of a group member, as Kafka's ConsumerCoordinator commits and fetches them:
 *
 * - OffsetCommit (v2-8) with the member's generation and member id (and group.instance.id from v7), so
 *   the coordinator refuses commits of a member that lost its partitions. COORDINATOR_NOT_AVAILABLE /
 *   NOT_COORDINATOR / COORDINATOR_LOAD_IN_PROGRESS are retried (the first two after looking the
 *   coordinator up again); REBALANCE_IN_PROGRESS, ILLEGAL_GENERATION and UNKNOWN_MEMBER_ID fail the
 *   commit with CommitFailedError and make the member rejoin (the last two drop its generation).
 * - OffsetFetch (v1-8; v8 in the batched groups form, requireStable from v7 as Kafka's consumer asks)
 *   for the start positions; UNSTABLE_OFFSET_COMMIT and coordinator errors are retried.
 */

import { ApiKeys, ErrorCode } from '../protocol';
import { KafkaResponseError } from './client-errors';
import type { ConsumerCoordinator } from './consumer-coordinator';
import type { KafkaClient } from './kafka-client';
import { topicPartitionKey, type TopicPartition } from './simple-consumer';

/** An offset to commit. */
export interface OffsetToCommit extends TopicPartition {
  offset: number;
  /** Leader epoch of the last consumed record (-1 when unknown). */
  leaderEpoch?: number;
  metadata?: string;
}

/** A committed offset as OffsetFetch returns it. */
export interface CommittedOffset {
  offset: number;
  leaderEpoch: number;
  metadata: string | null;
}

/** Kafka's CommitFailedException / RebalanceInProgressException: the member is no longer (or not yet) in the generation. */
export class CommitFailedError extends Error {
  override readonly name = 'CommitFailedError';
  readonly code: number;

  constructor(code: number, message: string) {
    super(message);
    this.code = code;
  }
}

const COORDINATOR_ERRORS: ReadonlySet<number> = new Set([ErrorCode.COORDINATOR_NOT_AVAILABLE, ErrorCode.NOT_COORDINATOR]);

function groupByTopic<T extends TopicPartition>(items: readonly T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const list = out.get(item.topic) ?? [];
    list.push(item);
    out.set(item.topic, list);
  }
  return out;
}

/** Commits and fetches the offsets of one member's group. */
export class ConsumerOffsets {
  constructor(
    private readonly client: KafkaClient,
    private readonly coordinator: ConsumerCoordinator,
  ) {}

  /** Commits `offsets` with the member's current generation. Throws CommitFailedError when the generation is gone. */
  async commit(offsets: readonly OffsetToCommit[]): Promise<void> {
    if (offsets.length === 0) return;
    const c = this.coordinator;
    let pending = [...offsets];
    await this.client.retry(
      async () => {
        const conn = await c.coordinatorConnection();
        const version = conn.pickVersion(ApiKeys.OffsetCommit, 2, 8);
        const { generationId, memberId } = c.currentGeneration();
        const response = await conn.request(ApiKeys.OffsetCommit, version, {
          groupId: c.groupId,
          generationIdOrMemberEpoch: generationId,
          memberId,
          groupInstanceId: c.groupInstanceId,
          retentionTimeMs: -1,
          topics: [...groupByTopic(pending)].map(([name, list]) => ({
            name,
            partitions: list.map((o) => ({
              partitionIndex: o.partition,
              committedOffset: o.offset,
              committedLeaderEpoch: o.leaderEpoch ?? -1,
              commitTimestamp: -1,
              committedMetadata: o.metadata ?? '',
            })),
          })),
        });
        const retry: OffsetToCommit[] = [];
        let retryError: KafkaResponseError | undefined;
        for (const t of response.topics) {
          for (const p of t.partitions) {
            if (p.errorCode === ErrorCode.NONE) continue;
            const err = new KafkaResponseError(p.errorCode, { context: `Offset commit failed on partition ${t.name}-${p.partitionIndex}` });
            if (COORDINATOR_ERRORS.has(p.errorCode) || p.errorCode === ErrorCode.REQUEST_TIMED_OUT) c.markCoordinatorUnknown(err.message);
            if (err.retriable) {
              retryError = err;
              const o = pending.find((x) => x.topic === t.name && x.partition === p.partitionIndex);
              if (o) retry.push(o);
              continue;
            }
            throw this.commitFailure(p.errorCode, err);
          }
        }
        pending = retry;
        if (retryError) throw retryError;
      },
      { operation: `OffsetCommit for group ${c.groupId}` },
    );
  }

  /** The group's committed offsets of `partitions` (key: topicPartitionKey); partitions with none are absent. */
  async fetch(partitions: readonly TopicPartition[]): Promise<Map<string, CommittedOffset>> {
    const out = new Map<string, CommittedOffset>();
    if (partitions.length === 0) return out;
    const c = this.coordinator;
    const topics = [...groupByTopic(partitions)].map(([name, list]) => ({ name, partitionIndexes: list.map((tp) => tp.partition) }));
    await this.client.retry(
      async () => {
        const conn = await c.coordinatorConnection();
        const version = conn.pickVersion(ApiKeys.OffsetFetch, 1, 8);
        const response = await conn.request(
          ApiKeys.OffsetFetch,
          version,
          version >= 8
            ? { groups: [{ groupId: c.groupId, topics }], requireStable: true }
            : { groupId: c.groupId, topics, requireStable: true },
        );
        const group = version >= 8 ? response.groups[0] : { errorCode: response.errorCode, topics: response.topics };
        const groupError = group?.errorCode ?? ErrorCode.NONE;
        if (groupError !== ErrorCode.NONE) {
          const err = new KafkaResponseError(groupError, { context: `OffsetFetch for group ${c.groupId}` });
          if (COORDINATOR_ERRORS.has(groupError)) c.markCoordinatorUnknown(err.message);
          throw err;
        }
        for (const t of group?.topics ?? []) {
          for (const p of t.partitions) {
            if (p.errorCode === ErrorCode.UNSTABLE_OFFSET_COMMIT || COORDINATOR_ERRORS.has(p.errorCode)) {
              throw new KafkaResponseError(p.errorCode, { context: `OffsetFetch ${t.name}-${p.partitionIndex}` });
            }
            // A topic deleted or not yet created has no committed offset to start from.
            if (p.errorCode !== ErrorCode.NONE && p.errorCode !== ErrorCode.UNKNOWN_TOPIC_OR_PARTITION) {
              throw new KafkaResponseError(p.errorCode, { context: `OffsetFetch ${t.name}-${p.partitionIndex}` });
            }
            if (p.errorCode === ErrorCode.NONE && p.committedOffset >= 0) {
              out.set(topicPartitionKey({ topic: t.name, partition: p.partitionIndex }), {
                offset: p.committedOffset,
                leaderEpoch: p.committedLeaderEpoch ?? -1,
                metadata: p.metadata ?? null,
              });
            }
          }
        }
      },
      { operation: `OffsetFetch for group ${c.groupId}` },
    );
    return out;
  }

  private commitFailure(code: number, err: KafkaResponseError): Error {
    const c = this.coordinator;
    switch (code) {
      case ErrorCode.REBALANCE_IN_PROGRESS:
        c.requestRejoin('offset commit failed since group is rebalancing');
        return new CommitFailedError(
          code,
          'Offset commit cannot be completed since the consumer is undergoing a rebalance for auto partition assignment. ' +
            'You can try completing the rebalance by calling poll() and then retry the operation.',
        );
      case ErrorCode.ILLEGAL_GENERATION:
      case ErrorCode.UNKNOWN_MEMBER_ID:
        c.resetGeneration(`encountered ${err.errorName} from OFFSET_COMMIT response`, { resetMemberId: code === ErrorCode.UNKNOWN_MEMBER_ID });
        return new CommitFailedError(
          code,
          'Commit cannot be completed since the group has already rebalanced and assigned the partitions to another member. ' +
            'This means that the time between subsequent calls to poll() was longer than the configured max.poll.interval.ms, ' +
            'which typically implies that the poll loop is spending too much time message processing.',
        );
      default:
        return err;
    }
  }
}
