/**
 * Topic-level log configuration (Kafka's LogConfig / TopicConfig), as a plain typed object.
 *
 * Field names are Kafka's topic property names in camelCase (`segment.bytes` → segmentBytes). The
 * config module builds a LogConfig from broker properties plus `/config/topics/<topic>` overrides;
 * the log only reads it. Defaults are those of ZooKeeper-mode Kafka 3.9. Kafka's "unbounded" long
 * default (Long.MAX_VALUE) is represented as `Number.MAX_SAFE_INTEGER`, since int64 values are JS
 * numbers throughout the project.
 */

/** Kafka's Long.MAX_VALUE default, clamped to the largest exact JS integer. */
export const UNBOUNDED = Number.MAX_SAFE_INTEGER;

/** `message.timestamp.type` values. */
export const TimestampType = {
  CreateTime: 'CreateTime',
  LogAppendTime: 'LogAppendTime',
} as const;
export type TimestampType = (typeof TimestampType)[keyof typeof TimestampType];

/** `compression.type` values at topic level (`producer` keeps the producer's codec). */
export type TopicCompressionType = 'producer' | 'uncompressed' | 'gzip' | 'snappy' | 'lz4' | 'zstd';

/** `cleanup.policy` entries. */
export type CleanupPolicy = 'delete' | 'compact';

/** The topic-level settings the log, the replica manager and the cleaner consult. */
export interface LogConfig {
  /** `segment.bytes`: roll a new segment when the active one would exceed this size. */
  segmentBytes: number;
  /** `segment.ms`: roll this long after the first batch's timestamp of the active segment. */
  segmentMs: number;
  /** `segment.jitter.ms`: maximum random amount subtracted from segmentMs per segment. */
  segmentJitterMs: number;
  /** `segment.index.bytes`: maximum (preallocated) size of the offset and time index files. */
  segmentIndexBytes: number;
  /** `index.interval.bytes`: bytes of log between two sparse index entries. */
  indexIntervalBytes: number;
  /** `retention.ms`: delete segments whose largest timestamp is older than this; -1 = unlimited. */
  retentionMs: number;
  /** `retention.bytes`: per-partition size limit; -1 = unlimited. */
  retentionBytes: number;
  /** `cleanup.policy`: `delete`, `compact` or both. */
  cleanupPolicy: CleanupPolicy[];
  /** `max.message.bytes`: largest record batch accepted (after compression). */
  maxMessageBytes: number;
  /** `message.timestamp.type`. */
  messageTimestampType: TimestampType;
  /** `message.timestamp.before.max.ms`: reject CreateTime timestamps older than now minus this. */
  messageTimestampBeforeMaxMs: number;
  /** `message.timestamp.after.max.ms`: reject CreateTime timestamps newer than now plus this. */
  messageTimestampAfterMaxMs: number;
  /** `flush.messages`: fsync after this many appended messages. */
  flushMessages: number;
  /** `flush.ms`: fsync when the last flush is older than this. */
  flushMs: number;
  /** `file.delete.delay.ms`: delay before a `.deleted` segment is removed from disk. */
  fileDeleteDelayMs: number;
  /** `min.insync.replicas`. */
  minInSyncReplicas: number;
  /** `unclean.leader.election.enable`. */
  uncleanLeaderElectionEnable: boolean;
  /** `compression.type`. */
  compressionType: TopicCompressionType;
  /** `delete.retention.ms`: tombstone and transaction-marker retention once cleaned. */
  deleteRetentionMs: number;
  /** `min.cleanable.dirty.ratio`. */
  minCleanableDirtyRatio: number;
  /** `min.compaction.lag.ms`. */
  minCompactionLagMs: number;
  /** `max.compaction.lag.ms`. */
  maxCompactionLagMs: number;
  /** `preallocate`: preallocate segment files to segmentBytes. */
  preallocate: boolean;
}

/** Kafka 3.9's topic-config defaults. Returns a fresh object each call so callers may mutate it. */
export function defaultLogConfig(): LogConfig {
  return {
    segmentBytes: 1073741824,
    segmentMs: 604800000,
    segmentJitterMs: 0,
    segmentIndexBytes: 10485760,
    indexIntervalBytes: 4096,
    retentionMs: 604800000,
    retentionBytes: -1,
    cleanupPolicy: ['delete'],
    maxMessageBytes: 1048588,
    messageTimestampType: TimestampType.CreateTime,
    messageTimestampBeforeMaxMs: UNBOUNDED,
    messageTimestampAfterMaxMs: UNBOUNDED,
    flushMessages: UNBOUNDED,
    flushMs: UNBOUNDED,
    fileDeleteDelayMs: 60000,
    minInSyncReplicas: 1,
    uncleanLeaderElectionEnable: false,
    compressionType: 'producer',
    deleteRetentionMs: 86400000,
    minCleanableDirtyRatio: 0.5,
    minCompactionLagMs: 0,
    maxCompactionLagMs: UNBOUNDED,
    preallocate: false,
  };
}

/**
 * The segment age that makes the active segment roll (Kafka's LogConfig.maxSegmentMs): for compacted
 * logs at most max.compaction.lag.ms, so that no record stays in the uncleanable active segment longer
 * than that (KIP-354).
 */
export function maxSegmentMs(config: LogConfig): number {
  if (config.cleanupPolicy.includes('compact') && config.maxCompactionLagMs > 0) return Math.min(config.maxCompactionLagMs, config.segmentMs);
  return config.segmentMs;
}
