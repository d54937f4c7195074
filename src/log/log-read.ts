/**
 * The segment side of a fetch read (Kafka's LocalLog.read): find the segment holding the fetch
 * offset through a binary search on base offsets, read whole batches from it through its offset
 * index, and move on to the next segment only when that one holds nothing at or after the offset.
 *
 * Reads run outside the log's mutation queue. A read holds the segment it reads (`tryRetain`), so a
 * segment deleted meanwhile is closed only after the read; a segment already closed when the read
 * reaches it is looked up again in the current segment list.
 */
import type { LogSegment } from './log-segment';

/** What a read needs from its log. */
export interface SegmentReadContext {
  /** The log's current segments, oldest first. */
  segments(): readonly LogSegment[];
  /** Throws when the log has gone offline or was closed meanwhile. */
  checkUsable(): void;
}

/** Options of readFromSegments. */
export interface SegmentReadOptions {
  maxBytes: number;
  /** Exclusive bound on the offsets returned. */
  maxOffset: number;
  minOneMessage: boolean;
  log: SegmentReadContext;
}

/** Batches read, the base offset of the first one and the offset after the last one. */
export interface SegmentsRead {
  records: Buffer[];
  firstOffset: number;
  nextOffset: number;
}

/** Reads from the segment holding `fetchOffset` on; see the file comment. */
export async function readFromSegments(fetchOffset: number, opts: SegmentReadOptions): Promise<SegmentsRead> {
  const result: SegmentsRead = { records: [], firstOffset: fetchOffset, nextOffset: fetchOffset };
  const { log } = opts;
  let segments = log.segments();
  let segment: LogSegment | undefined = segments[Math.max(floorIndex(segments, fetchOffset), 0)];
  while (segment !== undefined) {
    if (!segment.tryRetain()) {
      // Deleted while we were reading the previous one: look it up again.
      log.checkUsable();
      segments = log.segments();
      segment = segments[Math.max(floorIndex(segments, Math.max(fetchOffset, segment.baseOffset)), 0)];
      continue;
    }
    let data;
    try {
      data = await segment.read(fetchOffset, { maxSize: opts.maxBytes, maxOffset: opts.maxOffset, minOneMessage: opts.minOneMessage });
    } finally {
      segment.release();
    }
    if (data) {
      if (data.records.length > 0) result.records.push(data.records);
      result.firstOffset = data.firstOffset;
      result.nextOffset = data.nextOffset;
      return result;
    }
    const baseOffset: number = segment.baseOffset;
    segment = log.segments().find((s) => s.baseOffset > baseOffset);
  }
  return result;
}

/** Index of the last segment with baseOffset <= offset, or -1. */
function floorIndex(segments: readonly LogSegment[], offset: number): number {
  let lo = 0;
  let hi = segments.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (segments[mid].baseOffset <= offset) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}
