/**
 * ListOffsets on a log (Kafka's UnifiedLog.fetchOffsetByTimestamp): -1 latest (the log end offset),
 * -2 and -4 earliest (the log start offset; there is no tiered storage, so both are local), -3 the
 * record with the largest timestamp (KIP-734: the segment with the largest max timestamp, then its time
 * index's offset through the offset index, then the record inside that batch), -5 latest tiered (none,
 * there is no tiered storage); any other timestamp finds the first segment whose largest timestamp
 * reaches it, then the first record at or after it via the time index and a scan of that segment.
 *
 * Leader epochs (ListOffsets v4+, KIP-320) come from the leader epoch cache as Kafka reports them
 * (KIP-279): the latest epoch for -1; for -2/-4 the first entry's epoch when it starts at or below
 * the log start offset, else none (-1); for a found record the epoch whose range holds its offset,
 * falling back to its batch header only when the cache knows no epoch that far back.
 */
import type { LeaderEpochCacheView } from './leader-epoch-cache';
import { ListOffsetsTimestamp } from './log-types';
import type { LogSegment, TimestampAndOffset } from './log-segment';

/** The log state a lookup reads. */
export interface OffsetLookupContext {
  /** A snapshot of the segments, oldest first. */
  segments: readonly LogSegment[];
  logStartOffset: number;
  logEndOffset: number;
  leaderEpochCache: LeaderEpochCacheView;
  /** Runs `fn` with the segment held open; null if it was closed meanwhile. */
  withSegment<T>(segment: LogSegment, fn: (segment: LogSegment) => Promise<T>): Promise<T | null>;
}

/** Looks up `timestamp` as described in the file comment; null when there is no such record. */
export async function lookupOffsetByTimestamp(timestamp: number, ctx: OffsetLookupContext): Promise<TimestampAndOffset | null> {
  const epochs = ctx.leaderEpochCache;
  switch (timestamp) {
    case ListOffsetsTimestamp.LATEST:
      return { offset: ctx.logEndOffset, timestamp: -1, leaderEpoch: epochs.latestEpoch() ?? NO_EPOCH };
    case ListOffsetsTimestamp.EARLIEST:
    case ListOffsetsTimestamp.EARLIEST_LOCAL: {
      // The first entry usually starts at the log start offset; it may not when the oldest batches
      // carry no epoch, and then no epoch is known there.
      const earliest = epochs.earliestEntry();
      const leaderEpoch = earliest !== undefined && earliest.startOffset <= ctx.logStartOffset ? earliest.epoch : NO_EPOCH;
      return { offset: ctx.logStartOffset, timestamp: -1, leaderEpoch };
    }
    case ListOffsetsTimestamp.LATEST_TIERED:
      return null;
    case ListOffsetsTimestamp.MAX_TIMESTAMP: {
      let best: LogSegment | undefined;
      for (const s of ctx.segments) if (best === undefined || s.maxTimestampSoFar > best.maxTimestampSoFar) best = s;
      if (best === undefined || best.maxTimestampSoFar < 0) return null;
      return withCachedEpoch(await ctx.withSegment(best, (s) => s.findMaxTimestampRecord()), epochs);
    }
    default:
      break;
  }
  if (timestamp < 0) return null;
  for (const segment of ctx.segments) {
    if (segment.largestTimestamp < timestamp) continue;
    const found = await ctx.withSegment(segment, (s) => s.findOffsetByTimestamp(timestamp, ctx.logStartOffset));
    if (found) return withCachedEpoch(found, epochs);
  }
  return null;
}

/** Kafka's "no leader epoch" in ListOffsets responses. */
const NO_EPOCH = -1;

/** The found record with the cache's epoch for its offset (its batch's, when the cache has none). */
function withCachedEpoch(found: TimestampAndOffset | null, epochs: LeaderEpochCacheView): TimestampAndOffset | null {
  if (found === null) return null;
  const fromHeader = found.leaderEpoch >= 0 ? found.leaderEpoch : NO_EPOCH;
  return { ...found, leaderEpoch: epochs.epochForOffset(found.offset) ?? fromHeader };
}
