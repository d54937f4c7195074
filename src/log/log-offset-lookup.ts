/**
 * ListOffsets on a log (Kafka's UnifiedLog.fetchOffsetByTimestamp): -1 latest (the log end offset
 * and the latest epoch), -2 and -4 earliest (the log start offset and the epoch of its batch), -3 the
 * record with the largest timestamp (KIP-734: the segment with the largest max timestamp, then its time
 * index's offset through the offset index, then the record inside that batch), -5 latest tiered (none,
 * there is no tiered storage); any other timestamp finds the first segment whose largest timestamp
 * reaches it, then the first record at or after it via the time index and a scan of that segment.
 */
import { ListOffsetsTimestamp } from './log-types';
import type { LogSegment, TimestampAndOffset } from './log-segment';

/** The log state a lookup reads. */
export interface OffsetLookupContext {
  /** A snapshot of the segments, oldest first. */
  segments: readonly LogSegment[];
  logStartOffset: number;
  logEndOffset: number;
  latestEpoch: number;
  /** Runs `fn` with the segment held open; null if it was closed meanwhile. */
  withSegment<T>(segment: LogSegment, fn: (segment: LogSegment) => Promise<T>): Promise<T | null>;
}

/** Looks up `timestamp` as described in the file comment; null when there is no such record. */
export async function lookupOffsetByTimestamp(timestamp: number, ctx: OffsetLookupContext): Promise<TimestampAndOffset | null> {
  switch (timestamp) {
    case ListOffsetsTimestamp.LATEST:
      return { offset: ctx.logEndOffset, timestamp: -1, leaderEpoch: ctx.latestEpoch };
    case ListOffsetsTimestamp.EARLIEST:
    case ListOffsetsTimestamp.EARLIEST_LOCAL: {
      const offset = ctx.logStartOffset;
      const segment = floorSegment(ctx.segments, offset);
      const found = segment ? await ctx.withSegment(segment, (s) => s.translateOffset(offset)) : null;
      return { offset, timestamp: -1, leaderEpoch: found ? found.partitionLeaderEpoch : -1 };
    }
    case ListOffsetsTimestamp.LATEST_TIERED:
      return null;
    case ListOffsetsTimestamp.MAX_TIMESTAMP: {
      let best: LogSegment | undefined;
      for (const s of ctx.segments) if (best === undefined || s.maxTimestampSoFar > best.maxTimestampSoFar) best = s;
      if (best === undefined || best.maxTimestampSoFar < 0) return null;
      return ctx.withSegment(best, (s) => s.findMaxTimestampRecord());
    }
    default:
      break;
  }
  if (timestamp < 0) return null;
  for (const segment of ctx.segments) {
    if (segment.largestTimestamp < timestamp) continue;
    const found = await ctx.withSegment(segment, (s) => s.findOffsetByTimestamp(timestamp, ctx.logStartOffset));
    if (found) return found;
  }
  return null;
}

function floorSegment(segments: readonly LogSegment[], offset: number): LogSegment | undefined {
  let floor: LogSegment | undefined = segments[0];
  for (const s of segments) if (s.baseOffset <= offset) floor = s;
  return floor;
}
