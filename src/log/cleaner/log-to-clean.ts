/**
 * Which part of a compacted log is dirty and whether it is worth cleaning (Kafka's
 * LogCleanerManager.cleanableOffsets, maxCompactionDelay, calculateCleanableBytes and LogToClean):
 *
 * - the first dirty offset is the cleaner checkpoint, reset to the log start offset when it is
 *   below it or beyond the log end (a truncated or rebuilt log);
 * - the first uncleanable offset is the lowest of the high watermark (Kafka's last stable offset:
 *   this broker has no transactions), the active segment's base offset and, with
 *   min.compaction.lag.ms, the first dirty inactive segment holding a record newer than the lag;
 *   cleaning stops at the base offset of the segment holding it;
 * - cleanable ratio = dirty bytes / total bytes; a log is cleaned when its ratio exceeds
 *   min.cleanable.dirty.ratio, or when it has dirty bytes whose first batch is older than
 *   max.compaction.lag.ms (KIP-354).
 */
import type { Log } from '../log';
import type { LogSegment } from '../log-segment';

/**
 * Kafka's logSegments(from, to): the segments holding offsets in [from, to), starting with the one
 * holding `from` (or the first segment).
 */
export function segmentsInRange(segments: readonly LogSegment[], range: { from: number; to: number }): LogSegment[] {
  const { from, to } = range;
  if (to <= from) return [];
  let start = 0;
  for (let i = 0; i < segments.length && segments[i].baseOffset <= from; i++) start = i;
  const result: LogSegment[] = [];
  for (let i = start; i < segments.length && segments[i].baseOffset < to; i++) result.push(segments[i]);
  return result;
}

/** Kafka's nonActiveLogSegmentsFrom: the segments from the one holding `from` up to, not including, the active one. */
export function nonActiveSegmentsFrom(segments: readonly LogSegment[], from: number): LogSegment[] {
  const active = segments[segments.length - 1];
  if (active === undefined || from > active.baseOffset) return [];
  return segmentsInRange(segments, { from, to: active.baseOffset });
}

/** The dirty range of a log (Kafka's OffsetsToClean). */
export interface OffsetsToClean {
  firstDirtyOffset: number;
  firstUncleanableDirtyOffset: number;
  /** The checkpoint was invalid and must be rewritten with firstDirtyOffset. */
  forceUpdateCheckpoint: boolean;
}

/** Kafka's cleanableOffsets; warnings about an invalid checkpoint go to `warn`. */
export function cleanableOffsets(
  log: Log,
  opts: { lastCleanOffset: number | undefined; now: number; segments: readonly LogSegment[]; warn: (message: string) => void },
): OffsetsToClean {
  const { segments, now } = opts;
  const logStartOffset = log.logStartOffset;
  const checkpointDirtyOffset = opts.lastCleanOffset ?? logStartOffset;
  let firstDirtyOffset = checkpointDirtyOffset;
  let forceUpdateCheckpoint = false;
  if (checkpointDirtyOffset < logStartOffset) {
    if (!log.config.cleanupPolicy.includes('delete')) {
      opts.warn(
        `Resetting first dirty offset of ${log.name} to log start offset ${logStartOffset} since the checkpointed offset ${checkpointDirtyOffset} is invalid.`,
      );
    }
    firstDirtyOffset = logStartOffset;
    forceUpdateCheckpoint = true;
  } else if (checkpointDirtyOffset > log.logEndOffset) {
    opts.warn(
      `The last checkpoint dirty offset for partition ${log.name} is ${checkpointDirtyOffset}, which is larger than the log end offset ` +
        `${log.logEndOffset}. Resetting to the log start offset ${logStartOffset}.`,
    );
    firstDirtyOffset = logStartOffset;
    forceUpdateCheckpoint = true;
  }
  const minCompactionLagMs = Math.max(log.config.minCompactionLagMs, 0);
  const candidates = [log.highWatermark, segments[segments.length - 1].baseOffset];
  if (minCompactionLagMs > 0) {
    const tooRecent = nonActiveSegmentsFrom(segments, firstDirtyOffset).find((s) => s.largestTimestamp > now - minCompactionLagMs);
    if (tooRecent !== undefined) candidates.push(tooRecent.baseOffset);
  }
  const firstUncleanable = Math.min(...candidates);
  return { firstDirtyOffset, firstUncleanableDirtyOffset: Math.max(firstDirtyOffset, firstUncleanable), forceUpdateCheckpoint };
}

/**
 * Kafka's maxCompactionDelay: how long past max.compaction.lag.ms the oldest dirty inactive segment's
 * first batch is (0 when none is overdue).
 */
export async function maxCompactionDelay(log: Log, opts: { firstDirtyOffset: number; now: number; segments: readonly LogSegment[] }): Promise<number> {
  let earliest = Number.POSITIVE_INFINITY;
  for (const segment of nonActiveSegmentsFrom(opts.segments, opts.firstDirtyOffset)) {
    const timestamp = await segment.firstBatchTimestamp();
    if (timestamp !== undefined && timestamp > 0) earliest = Math.min(earliest, timestamp);
  }
  const cleanUntilTime = opts.now - Math.max(log.config.maxCompactionLagMs, 0);
  return earliest < cleanUntilTime ? cleanUntilTime - earliest : 0;
}

/** A log chosen for cleaning and its dirty section (Kafka's LogToClean). */
export interface LogToClean {
  log: Log;
  firstDirtyOffset: number;
  /** The base offset of the segment holding the first uncleanable offset: cleaning stops before it. */
  firstUncleanableOffset: number;
  needCompactionNow: boolean;
  cleanBytes: number;
  cleanableBytes: number;
  totalBytes: number;
  cleanableRatio: number;
  /** The log's truncationCount when it was chosen; a truncation meanwhile aborts the cleaning. */
  truncationCount: number;
}

/** Builds a LogToClean (Kafka's LogToClean with calculateCleanableBytes). */
export function logToClean(
  log: Log,
  opts: { firstDirtyOffset: number; uncleanableOffset: number; needCompactionNow: boolean; segments: readonly LogSegment[] },
): LogToClean {
  const { segments, firstDirtyOffset } = opts;
  const active = segments[segments.length - 1];
  const firstUncleanableSegment = nonActiveSegmentsFrom(segments, opts.uncleanableOffset)[0] ?? active;
  const firstUncleanableOffset = firstUncleanableSegment.baseOffset;
  let cleanBytes = 0;
  for (const s of segmentsInRange(segments, { from: -1, to: firstDirtyOffset })) cleanBytes += s.size;
  let cleanableBytes = 0;
  for (const s of segmentsInRange(segments, { from: Math.min(firstDirtyOffset, firstUncleanableOffset), to: firstUncleanableOffset })) cleanableBytes += s.size;
  const totalBytes = cleanBytes + cleanableBytes;
  return {
    log,
    firstDirtyOffset,
    firstUncleanableOffset,
    needCompactionNow: opts.needCompactionNow,
    cleanBytes,
    cleanableBytes,
    totalBytes,
    cleanableRatio: totalBytes === 0 ? 0 : cleanableBytes / totalBytes,
    truncationCount: log.truncationCount,
  };
}
