/**
 * Which segments retention deletes (Kafka's UnifiedLog.deleteOldSegments and LocalLog.deletableSegments):
 * walking from the oldest segment, stop at the first one that must stay. A segment may go only if all
 * its offsets are below the high watermark (so the log start offset never passes it) and it is not the
 * empty active segment. The rules, in Kafka's order:
 *
 * 1. log start offset breach: the next segment starts at or below the log start offset (DeleteRecords);
 * 2. retention.bytes: oldest segments while the log stays at or above retention.bytes without them;
 * 3. retention.ms: segments whose largest record timestamp (else file mtime) is older than retention.ms.
 *
 * 2 and 3 apply only with cleanup.policy=delete.
 */
import type { LogConfig } from './log-config';
import type { LogSegment } from './log-segment';

/** What the rules look at. */
export interface RetentionState {
  segments: readonly LogSegment[];
  logStartOffset: number;
  logEndOffset: number;
  highWatermark: number;
  config: LogConfig;
  now: number;
}

/** Segments to delete and why (for the log line). */
export interface DeletionPlan {
  segments: LogSegment[];
  reason: (segment: LogSegment) => string;
}

/** A rule: from the current state to the segments it deletes. */
export type RetentionRule = (state: RetentionState) => DeletionPlan;

function deletable(state: RetentionState, predicate: (segment: LogSegment, next: LogSegment | undefined) => boolean): LogSegment[] {
  const result: LogSegment[] = [];
  const { segments } = state;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i];
    const next = segments[i + 1];
    const upperBound = next ? next.baseOffset : state.logEndOffset;
    const lastAndEmpty = next === undefined && segment.size === 0;
    if (lastAndEmpty || state.highWatermark < upperBound || !predicate(segment, next)) break;
    result.push(segment);
  }
  return result;
}

export const logStartOffsetBreach: RetentionRule = (state) => ({
  segments: deletable(state, (_s, next) => next !== undefined && next.baseOffset <= state.logStartOffset),
  reason: () => `log start offset ${state.logStartOffset} breach`,
});

export const retentionSizeBreach: RetentionRule = (state) => {
  const limit = state.config.retentionBytes;
  let size = 0;
  for (const s of state.segments) size += s.size;
  let excess = size - limit;
  if (limit < 0 || excess <= 0) return { segments: [], reason: () => '' };
  return {
    segments: deletable(state, (s) => {
      if (excess - s.size < 0) return false;
      excess -= s.size;
      return true;
    }),
    reason: () => `retention size in bytes ${limit} breach. Log size before deletion ${size}`,
  };
};

export const retentionTimeBreach: RetentionRule = (state) => {
  const limit = state.config.retentionMs;
  if (limit < 0) return { segments: [], reason: () => '' };
  return {
    segments: deletable(state, (s) => state.now - s.largestTimestamp > limit),
    reason: (s) => `retention time ${limit}ms breach based on the largest record timestamp in the segment (${s.largestTimestamp})`,
  };
};

/** The rules deleteOldSegments applies for a topic config, in order. */
export function retentionRules(config: LogConfig): RetentionRule[] {
  return config.cleanupPolicy.includes('delete') ? [logStartOffsetBreach, retentionSizeBreach, retentionTimeBreach] : [logStartOffsetBreach];
}
