/**
 * The broker settings the group coordinator uses (Kafka's GroupConfig and OffsetConfig), read once from
 * the broker configuration: `group.*` bounds for membership and `offsets.*` / `offset.metadata.max.bytes`
 * for `__consumer_offsets` and committed offsets.
 */
import type { KafkaConfig } from '../../config/broker-config';

/** Membership limits. */
export interface GroupConfig {
  /** group.min.session.timeout.ms */
  groupMinSessionTimeoutMs: number;
  /** group.max.session.timeout.ms */
  groupMaxSessionTimeoutMs: number;
  /** group.max.size */
  groupMaxSize: number;
  /** group.initial.rebalance.delay.ms */
  groupInitialRebalanceDelayMs: number;
}

/** Offset storage settings. */
export interface OffsetConfig {
  /** offset.metadata.max.bytes */
  maxMetadataSize: number;
  /** offsets.load.buffer.size */
  loadBufferSize: number;
  /** offsets.retention.minutes, in ms */
  offsetsRetentionMs: number;
  /** offsets.retention.check.interval.ms */
  offsetsRetentionCheckIntervalMs: number;
  /** offsets.topic.num.partitions */
  offsetsTopicNumPartitions: number;
  /** offsets.topic.segment.bytes */
  offsetsTopicSegmentBytes: number;
  /** offsets.topic.replication.factor */
  offsetsTopicReplicationFactor: number;
  /** offsets.topic.compression.codec (0 none, 1 gzip, 2 snappy, 3 lz4, 4 zstd) */
  offsetsTopicCompressionCodec: number;
  /** offsets.commit.timeout.ms */
  offsetCommitTimeoutMs: number;
}

type GroupSettings = Pick<
  KafkaConfig,
  'groupMinSessionTimeoutMs' | 'groupMaxSessionTimeoutMs' | 'groupMaxSize' | 'groupInitialRebalanceDelayMs'
>;

type OffsetSettings = Pick<
  KafkaConfig,
  | 'offsetMetadataMaxBytes'
  | 'offsetsLoadBufferSize'
  | 'offsetsRetentionMinutes'
  | 'offsetsRetentionCheckIntervalMs'
  | 'offsetsTopicNumPartitions'
  | 'offsetsTopicSegmentBytes'
  | 'offsetsTopicReplicationFactor'
  | 'offsetsTopicCompressionCodec'
  | 'offsetsCommitTimeoutMs'
>;

/** GroupConfig from the broker configuration. */
export function groupConfigFrom(config: GroupSettings): GroupConfig {
  return {
    groupMinSessionTimeoutMs: config.groupMinSessionTimeoutMs,
    groupMaxSessionTimeoutMs: config.groupMaxSessionTimeoutMs,
    groupMaxSize: config.groupMaxSize,
    groupInitialRebalanceDelayMs: config.groupInitialRebalanceDelayMs,
  };
}

/** OffsetConfig from the broker configuration. */
export function offsetConfigFrom(config: OffsetSettings): OffsetConfig {
  return {
    maxMetadataSize: config.offsetMetadataMaxBytes,
    loadBufferSize: config.offsetsLoadBufferSize,
    offsetsRetentionMs: config.offsetsRetentionMinutes * 60_000,
    offsetsRetentionCheckIntervalMs: config.offsetsRetentionCheckIntervalMs,
    offsetsTopicNumPartitions: config.offsetsTopicNumPartitions,
    offsetsTopicSegmentBytes: config.offsetsTopicSegmentBytes,
    offsetsTopicReplicationFactor: config.offsetsTopicReplicationFactor,
    offsetsTopicCompressionCodec: config.offsetsTopicCompressionCodec,
    offsetCommitTimeoutMs: config.offsetsCommitTimeoutMs,
  };
}
