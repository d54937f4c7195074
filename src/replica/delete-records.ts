/**
 * DeleteRecords on the partition leader (Kafka's ReplicaManager.deleteRecords and DelayedDeleteRecords):
 * each partition's log start offset moves up to the requested offset (-1: the high watermark), then the
 * request waits in the delete-records purgatory until the low watermark — the smallest log start offset
 * over the leader and its live followers, which learn the new one from their next fetch — reached it, or
 * the request timed out. Segments below the new log start offset go with the next retention run.
 *
 * Per-partition errors, as Kafka: UNKNOWN_TOPIC_OR_PARTITION, NOT_LEADER_OR_FOLLOWER,
 * OFFSET_OUT_OF_RANGE (negative other than -1, or above the high watermark), POLICY_VIOLATION (a topic
 * whose cleanup.policy does not include delete), INVALID_TOPIC_EXCEPTION (internal topics),
 * REQUEST_TIMED_OUT; every error answers low watermark -1.
 */
import { ErrorCode } from '../protocol/errors';
import { DelayedOperation, type DelayedOperationPurgatory } from '../server/purgatory/delayed-operation';
import { OffsetOutOfRangeError } from '../common/kafka-error';
import type { Partition } from './partition';

/** DeleteRecordsRequest.HIGH_WATERMARK: delete everything below the high watermark. */
export const DELETE_UP_TO_HIGH_WATERMARK = -1;

/** Topics clients may not delete records of (Kafka's Topic.isInternal). */
const INTERNAL_TOPICS = new Set(['__consumer_offsets', '__transaction_state']);

export interface DeleteRecordsPartitionRequest {
  topic: string;
  partition: number;
  offset: number;
}

export interface DeleteRecordsPartitionResult {
  topic: string;
  partition: number;
  lowWatermark: number;
  errorCode: number;
}

/** What deleteRecords needs from the replica manager. */
export interface DeleteRecordsContext {
  getPartition(topic: string, partition: number): Partition | undefined;
  isAlive(brokerId: number): boolean;
  purgatory: DelayedOperationPurgatory<DelayedDeleteRecords>;
}

interface WaitingPartition {
  result: DeleteRecordsPartitionResult;
  partition: Partition;
  /** Done when the low watermark reaches this offset. */
  requiredOffset: number;
  done: boolean;
}

/** A DeleteRecords request waiting for the followers to move their log start offsets. */
export class DelayedDeleteRecords extends DelayedOperation {
  constructor(
    delayMs: number,
    private readonly waiting: WaitingPartition[],
    private readonly isAlive: (brokerId: number) => boolean,
    private readonly complete: () => void,
  ) {
    super(delayMs);
  }

  override tryComplete(): boolean {
    for (const w of this.waiting) {
      if (w.done) continue;
      if (!w.partition.isLeader) {
        w.result.errorCode = ErrorCode.NOT_LEADER_OR_FOLLOWER;
        w.done = true;
        continue;
      }
      const low = w.partition.lowWatermarkIfLeader(this.isAlive);
      if (low >= w.requiredOffset) {
        w.result.lowWatermark = low;
        w.result.errorCode = ErrorCode.NONE;
        w.done = true;
      }
    }
    return this.waiting.every((w) => w.done) ? this.forceComplete() : false;
  }

  protected override onExpiration(): void {
    for (const w of this.waiting) {
      if (!w.done) w.result.errorCode = ErrorCode.REQUEST_TIMED_OUT;
    }
  }

  protected override onComplete(): void {
    this.complete();
  }
}

/** Moves the log start offsets and answers once the low watermarks reached them (or timeoutMs passed). */
export async function deleteRecords(
  ctx: DeleteRecordsContext,
  requests: readonly DeleteRecordsPartitionRequest[],
  opts: { timeoutMs: number },
): Promise<DeleteRecordsPartitionResult[]> {
  const results: DeleteRecordsPartitionResult[] = [];
  const waiting: WaitingPartition[] = [];
  await Promise.all(
    requests.map(async (r) => {
      // Pushed before the first await: results stay in request order.
      const result: DeleteRecordsPartitionResult = { topic: r.topic, partition: r.partition, lowWatermark: -1, errorCode: ErrorCode.NONE };
      results.push(result);
      const outcome = await deleteOnLocalLog(ctx, r);
      if (typeof outcome === 'number') result.errorCode = outcome;
      else waiting.push({ result, partition: outcome.partition, requiredOffset: outcome.requiredOffset, done: false });
    }),
  );
  if (waiting.length > 0) {
    await new Promise<void>((resolve) => {
      const op = new DelayedDeleteRecords(Math.max(0, opts.timeoutMs), waiting, ctx.isAlive, resolve);
      ctx.purgatory.tryCompleteElseWatch(op, waiting.map((w) => w.partition.key));
    });
  }
  return results;
}

/** Kafka's deleteRecordsOnLocalLog: an error code, or the partition and the offset to wait for. */
async function deleteOnLocalLog(
  ctx: DeleteRecordsContext,
  r: DeleteRecordsPartitionRequest,
): Promise<number | { partition: Partition; requiredOffset: number }> {
  if (INTERNAL_TOPICS.has(r.topic)) return ErrorCode.INVALID_TOPIC_EXCEPTION;
  const partition = ctx.getPartition(r.topic, r.partition);
  if (partition === undefined) return ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
  const log = partition.log;
  if (!partition.isLeader || log === undefined) return ErrorCode.NOT_LEADER_OR_FOLLOWER;
  if (!log.config.cleanupPolicy.includes('delete')) return ErrorCode.POLICY_VIOLATION;
  const offset = r.offset === DELETE_UP_TO_HIGH_WATERMARK ? log.highWatermark : r.offset;
  if (offset < 0 || offset > log.highWatermark) return ErrorCode.OFFSET_OUT_OF_RANGE;
  try {
    await log.maybeIncrementLogStartOffset(offset);
  } catch (err) {
    if (err instanceof OffsetOutOfRangeError) return ErrorCode.OFFSET_OUT_OF_RANGE;
    throw err;
  }
  return { partition, requiredOffset: offset };
}
