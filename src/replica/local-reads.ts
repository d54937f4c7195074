/**
 * The read side of the replica manager (Kafka's ReplicaManager.readFromLocalLog, fetchOffsetForTimestamp
 * and lastOffsetForLeaderEpoch): whole batches below the high watermark (consumers) or the log end
 * (followers, unless the leader's replication throttle holds a partition back), offsets by timestamp
 * through the time index (ListOffsets), and where a leader epoch ends (OffsetForLeaderEpoch). Each
 * partition answers with its own error: unknown, not the leader, fenced or unknown leader epoch, out of
 * range, or a storage error.
 */
import { KafkaError } from '../common/kafka-error';
import type { MetadataCache } from '../metadata/metadata-cache';
import { ErrorCode as Errors } from '../protocol/errors';
import type { ReplicationQuotaManager } from '../server/quota/replication-quota-manager';
import type { Partition } from './partition';

/** What the reads need of the replica manager. */
export interface LocalReadContext {
  getPartition(topic: string, partition: number): Partition | undefined;
  metadataCache: MetadataCache;
  logger: { error(msg: string, err?: unknown): void };
  leaderQuota?: ReplicationQuotaManager;
}

export interface FetchPartitionRequest {
  topic: string;
  partition: number;
  fetchOffset: number;
  partitionMaxBytes: number;
  currentLeaderEpoch: number;
  /** A follower's log start offset (Fetch v5+); -1 or absent when unknown. */
  logStartOffset?: number;
}

export interface FetchParams {
  /** -1 for consumers; a broker id for follower fetches. */
  replicaId: number;
  maxWaitMs: number;
  minBytes: number;
  maxBytes: number;
  /** 0 read_uncommitted, 1 read_committed (equal here: no transactions, so LSO = HW). */
  isolationLevel: number;
  partitions: FetchPartitionRequest[];
}

export interface FetchPartitionResult {
  topic: string;
  partition: number;
  errorCode: number;
  highWatermark: number;
  lastStableOffset: number;
  logStartOffset: number;
  records: Buffer[];
  bytes: number;
}

export interface OffsetForTimestamp {
  errorCode: number;
  offset: number;
  timestamp: number;
  leaderEpoch: number;
}

export const LATEST_TIMESTAMP = -1;
export const EARLIEST_TIMESTAMP = -2;
export const MAX_TIMESTAMP = -3;
export const EARLIEST_LOCAL_TIMESTAMP = -4;
export const LATEST_TIERED_TIMESTAMP = -5;

/**
 * Kafka's shouldLeaderThrottle: a follower outside the ISR fetching a throttled partition while the
 * leader's replication rate is above its bound gets no data for it.
 */
export function shouldLeaderThrottle(ctx: LocalReadContext, partition: Partition, replicaId: number): boolean {
  const quota = ctx.leaderQuota;
  return (
    quota !== undefined &&
    !partition.isr.includes(replicaId) &&
    quota.isThrottled(partition.topic, partition.partitionId) &&
    quota.isQuotaExceeded()
  );
}

export async function readFromLocalLogs(
  ctx: LocalReadContext,
  params: FetchParams,
  options: { isFollower: boolean },
): Promise<FetchPartitionResult[]> {
  const { isFollower } = options;
  let remaining = params.maxBytes;
  let minOneMessage = true;
  const results: FetchPartitionResult[] = [];
  for (const p of params.partitions) {
    const result: FetchPartitionResult = {
      topic: p.topic,
      partition: p.partition,
      errorCode: Errors.NONE,
      highWatermark: -1,
      lastStableOffset: -1,
      logStartOffset: -1,
      records: [],
      bytes: 0,
    };
    results.push(result);
    const partition = ctx.getPartition(p.topic, p.partition);
    const log = partition?.log;
    if (!partition || !log) {
      result.errorCode = ctx.metadataCache.partitionState(p.topic, p.partition)
        ? Errors.NOT_LEADER_OR_FOLLOWER
        : Errors.UNKNOWN_TOPIC_OR_PARTITION;
      continue;
    }
    if (!partition.isLeader) {
      result.errorCode = Errors.NOT_LEADER_OR_FOLLOWER;
      continue;
    }
    if (p.currentLeaderEpoch >= 0 && p.currentLeaderEpoch !== partition.leaderEpoch) {
      result.errorCode =
        p.currentLeaderEpoch < partition.leaderEpoch ? Errors.FENCED_LEADER_EPOCH : Errors.UNKNOWN_LEADER_EPOCH;
      continue;
    }
    result.highWatermark = log.highWatermark;
    result.lastStableOffset = log.highWatermark;
    result.logStartOffset = log.logStartOffset;
    const maxOffset = isFollower ? log.logEndOffset : log.highWatermark;
    if (p.fetchOffset < log.logStartOffset || p.fetchOffset > log.logEndOffset) {
      result.errorCode = Errors.OFFSET_OUT_OF_RANGE;
      continue;
    }
    if (p.fetchOffset >= maxOffset || remaining <= 0) continue;
    if (isFollower && shouldLeaderThrottle(ctx, partition, params.replicaId)) continue;
    try {
      const data = await log.read(p.fetchOffset, {
        maxBytes: Math.min(p.partitionMaxBytes, remaining),
        maxOffset,
        minOneMessage,
      });
      let size = 0;
      for (const b of data.records) size += b.length;
      result.records = data.records;
      result.bytes = size;
      remaining -= size;
      if (size > 0) minOneMessage = false;
    } catch (err) {
      if (err instanceof KafkaError) {
        result.errorCode = err.code;
      } else {
        ctx.logger.error(`Error processing fetch with max size ${p.partitionMaxBytes} from ${partition.key}`, err);
        result.errorCode = Errors.KAFKA_STORAGE_ERROR;
      }
    }
  }
  return results;
}


/**
 * The partition and log a ListOffsets or OffsetForLeaderEpoch may read, or the error code: unknown
 * partition, not hosted or not the leader (debugging clients, replica id -2, may ask followers), fenced
 * or unknown current leader epoch.
 */
function servingReplica(
  ctx: LocalReadContext,
  opts: { topic: string; partition: number; currentLeaderEpoch: number; replicaId: number },
): { partition: Partition; log: NonNullable<Partition['log']> } | number {
  const partition = ctx.getPartition(opts.topic, opts.partition);
  const log = partition?.log;
  if (!partition || !log) {
    return ctx.metadataCache.partitionState(opts.topic, opts.partition) ? Errors.NOT_LEADER_OR_FOLLOWER : Errors.UNKNOWN_TOPIC_OR_PARTITION;
  }
  if (opts.replicaId !== -2 && !partition.isLeader) return Errors.NOT_LEADER_OR_FOLLOWER;
  if (opts.currentLeaderEpoch >= 0 && opts.currentLeaderEpoch !== partition.leaderEpoch) {
    return opts.currentLeaderEpoch < partition.leaderEpoch ? Errors.FENCED_LEADER_EPOCH : Errors.UNKNOWN_LEADER_EPOCH;
  }
  return { partition, log };
}
/** ListOffsets for one partition (leader only). */
export async function fetchOffsetForTimestamp(ctx: LocalReadContext, opts: {
  topic: string;
  partition: number;
  timestamp: number;
  currentLeaderEpoch: number;
  /** -1 for consumers (bounded by the HW), -2 for debugging consumers, a broker id for followers. */
  replicaId: number;
}): Promise<OffsetForTimestamp> {
  const none = (errorCode: number): OffsetForTimestamp => ({ errorCode, offset: -1, timestamp: -1, leaderEpoch: -1 });
  const found = servingReplica(ctx, opts);
  if (typeof found === 'number') return none(found);
  const { partition, log } = found;
  const fromConsumer = opts.replicaId === -1;
  const upperBound = fromConsumer ? log.highWatermark : log.logEndOffset;
  try {
    if (opts.timestamp === LATEST_TIMESTAMP) {
      return { errorCode: Errors.NONE, offset: upperBound, timestamp: -1, leaderEpoch: partition.leaderEpoch };
    }
    if (opts.timestamp === EARLIEST_TIMESTAMP || opts.timestamp === EARLIEST_LOCAL_TIMESTAMP) {
      // The epoch of the earliest offset comes from the log's epoch cache, not the current epoch.
      const earliest = await log.fetchOffsetByTimestamp(EARLIEST_TIMESTAMP);
      return { errorCode: Errors.NONE, offset: log.logStartOffset, timestamp: -1, leaderEpoch: earliest?.leaderEpoch ?? -1 };
    }
    if (opts.timestamp === LATEST_TIERED_TIMESTAMP) {
      // No tiered storage: there is no tiered offset.
      return { errorCode: Errors.NONE, offset: -1, timestamp: -1, leaderEpoch: -1 };
    }
    const atTime = await log.fetchOffsetByTimestamp(opts.timestamp);
    if (!atTime || atTime.offset >= upperBound) {
      return { errorCode: Errors.NONE, offset: -1, timestamp: -1, leaderEpoch: -1 };
    }
    return { errorCode: Errors.NONE, offset: atTime.offset, timestamp: atTime.timestamp, leaderEpoch: atTime.leaderEpoch };
  } catch (err) {
    if (err instanceof KafkaError) return none(err.code);
    ctx.logger.error(`Error while listing offsets of ${partition.key}`, err);
    return none(Errors.KAFKA_STORAGE_ERROR);
  }
}

/** OffsetForLeaderEpoch for one partition: where `leaderEpoch` ends in the leader's log. */
export async function lastOffsetForLeaderEpoch(ctx: LocalReadContext, opts: {
  topic: string;
  partition: number;
  currentLeaderEpoch: number;
  leaderEpoch: number;
  /** -2 (debugging) may ask any replica; everyone else asks the leader. */
  replicaId: number;
}): Promise<{ errorCode: number; leaderEpoch: number; endOffset: number }> {
  const found = servingReplica(ctx, opts);
  if (typeof found === 'number') return { errorCode: found, leaderEpoch: -1, endOffset: -1 };
  const r = found.log.endOffsetForEpoch(opts.leaderEpoch);
  return { errorCode: Errors.NONE, leaderEpoch: r.epoch, endOffset: r.endOffset };
}
