/**
 * What an append does to its batches before the log writes them (Kafka's UnifiedLog.append):
 *
 * - leader appends are validated (produce-validation.ts; the records of compressed client batches are
 *   checked by the Produce handler, compressed-validation.ts) and re-encoded when the topic's
 *   compression.type asks for another codec, outside the log's queue;
 * - follower appends (validateAndAssignOffsets=false) must have strictly increasing offsets
 *   (OffsetsOutOfOrderException), no batch may exceed segment.bytes, each batch's
 *   partitionLeaderEpoch starts an epoch in the leader epoch cache (KIP-101), and the append is cut
 *   into runs that each fit a segment.
 *
 * Kafka writes a whole follower append to one segment and refuses one larger than segment.bytes;
 * fetches are far smaller than segments, so that is one run in practice, but with a small
 * segment.bytes a fetch of many batches would otherwise never be accepted.
 */
import { RecordBatchTooLargeError } from '../common/kafka-error';
import { validateRecords, type AppendOrigin, type ValidateRecordsOptions, type ValidRecords } from '../protocol/records/produce-validation';
import { batches, compressionName } from '../protocol/records/record-batch';
import { recompressBatch, targetCompression } from '../protocol/records/recompress';
import type { EpochEntry } from './leader-epoch-checkpoint';
import type { LogConfig } from './log-config';
import { OffsetsOutOfOrderError, toAppendError } from './log-errors';

/**
 * Validates a leader append against the topic config and re-encodes it when compression.type asks
 * for another codec (then validates the result as the broker's own). Returns the records to write
 * and their validation; throws the KafkaError of a failed validation (with recordErrors).
 */
export async function prepareLeaderRecords(
  records: Buffer,
  opts: { config: LogConfig; now: number; origin: Exclude<AppendOrigin, 'replication'>; topicPartition: string },
): Promise<{ records: Buffer; valid: ValidRecords }> {
  const { config } = opts;
  const validation: ValidateRecordsOptions = {
    origin: opts.origin,
    maxMessageBytes: config.maxMessageBytes,
    now: opts.now,
    timestampType: config.messageTimestampType,
    timestampBeforeMaxMs: config.messageTimestampBeforeMaxMs,
    timestampAfterMaxMs: config.messageTimestampAfterMaxMs,
    compacted: config.cleanupPolicy.includes('compact'),
    topicPartition: opts.topicPartition,
  };
  let v = validateRecords(records, validation);
  if (!v.ok) throw toAppendError(v);
  const target = targetCompression(config.compressionType, v.compression);
  if (target !== compressionName(v.compression)) {
    records = await recompressBatch(records, target);
    v = validateRecords(records, { ...validation, origin: 'coordinator' });
    if (!v.ok) throw toAppendError(v);
  }
  return { records, valid: v };
}

/** Consecutive batches written to one segment, with what the segment needs to index them. */
export interface SegmentRun {
  records: Buffer;
  firstOffset: number;
  lastOffset: number;
  maxTimestamp: number;
  /** The last offset of the first batch holding maxTimestamp. */
  offsetOfMaxTimestamp: number;
}

/** Throws OffsetsOutOfOrderError unless every batch has lastOffset >= baseOffset > the previous lastOffset. */
export function checkOffsetsIncrease(records: Buffer, opts: { topicPartition: string }): void {
  let previousLast = -1;
  for (const b of batches(records)) {
    const { baseOffset, lastOffset } = b;
    if (baseOffset <= previousLast || lastOffset < baseOffset) {
      const ranges = [...batches(records)].slice(0, 10).map((x) => `[${x.baseOffset}, ${x.lastOffset}]`);
      throw new OffsetsOutOfOrderError(`Out of order offsets found in append to ${opts.topicPartition}: batches ${ranges.join(', ')}`, {
        baseOffset,
        previousLastOffset: previousLast,
      });
    }
    previousLast = lastOffset;
  }
}

/** Throws RecordBatchTooLargeError when `bytes` exceed segment.bytes (Kafka's message). */
export function checkFitsInSegment(bytes: number, opts: { segmentBytes: number; topicPartition: string }): void {
  if (bytes > opts.segmentBytes) {
    throw new RecordBatchTooLargeError(
      `Message batch size is ${bytes} bytes in append to partition ${opts.topicPartition} which exceeds the maximum ` +
        `configured segment size of ${opts.segmentBytes}.`,
    );
  }
}

/**
 * Cuts validated batches into runs of at most `segmentBytes` (one run unless the append is larger);
 * throws RecordBatchTooLargeError for a single batch larger than that.
 */
export function splitIntoSegmentRuns(data: Buffer, opts: { segmentBytes: number; topicPartition: string }): SegmentRun[] {
  const runs: SegmentRun[] = [];
  let current: SegmentRun | undefined;
  let start = 0;
  for (const b of batches(data)) {
    const size = b.sizeInBytes;
    checkFitsInSegment(size, opts);
    if (current !== undefined && b.position + size - start > opts.segmentBytes) {
      runs.push({ ...current, records: data.subarray(start, b.position) });
      current = undefined;
    }
    if (current === undefined) {
      start = b.position;
      current = { records: data, firstOffset: b.baseOffset, lastOffset: b.lastOffset, maxTimestamp: -1, offsetOfMaxTimestamp: b.lastOffset };
    }
    current.lastOffset = b.lastOffset;
    if (b.maxTimestamp > current.maxTimestamp) {
      current.maxTimestamp = b.maxTimestamp;
      current.offsetOfMaxTimestamp = b.lastOffset;
    }
  }
  if (current !== undefined) runs.push({ ...current, records: data.subarray(start) });
  return runs;
}

/**
 * (partitionLeaderEpoch, baseOffset) of every batch that has an epoch, for the leader epoch cache
 * (which keeps only the first of each epoch). Batches without one (-1) are skipped: they cannot
 * start an epoch, and Kafka would refuse them.
 */
export function epochStartsOf(data: Buffer): EpochEntry[] {
  const starts: EpochEntry[] = [];
  for (const b of batches(data)) {
    if (b.partitionLeaderEpoch >= 0) starts.push({ epoch: b.partitionLeaderEpoch, startOffset: b.baseOffset });
  }
  return starts;
}
