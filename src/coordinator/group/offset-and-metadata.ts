/**
 * Committed offsets as the group coordinator keeps them (Kafka's OffsetAndMetadata and
 * CommitRecordMetadataAndOffset), keyed by topic-partition.
 */

/** A topic partition. */
export interface TopicPartition {
  topic: string;
  partition: number;
}

/** The map key of a topic partition: `topic-partition` (unambiguous: the partition is the last dash). */
export function topicPartitionKey(topic: string, partition: number): string {
  return `${topic}-${partition}`;
}

/** A committed offset with its metadata string and timestamps. */
export interface OffsetAndMetadata {
  committedOffset: number;
  /** Leader epoch of the last consumed record, -1 when unknown. */
  leaderEpoch: number;
  metadata: string;
  commitTimestamp: number;
  /** Only for commits that asked for a retention time (OffsetCommit v2-4): absolute expiry, else null. */
  expireTimestamp: number | null;
}

/**
 * A committed offset and the offset of the `__consumer_offsets` batch that holds it (null while the
 * write is pending). The batch offset decides which of two commits is newer when loading a partition.
 */
export interface CommitRecordMetadataAndOffset {
  appendedBatchOffset: number | null;
  offsetAndMetadata: OffsetAndMetadata;
}

/** Value equality of two commits (Kafka compares its case classes by value). */
export function sameOffsetAndMetadata(a: OffsetAndMetadata, b: OffsetAndMetadata): boolean {
  return (
    a.committedOffset === b.committedOffset &&
    a.leaderEpoch === b.leaderEpoch &&
    a.metadata === b.metadata &&
    a.commitTimestamp === b.commitTimestamp &&
    a.expireTimestamp === b.expireTimestamp
  );
}

/** True when `a` was written before `b`. */
export function olderThan(a: CommitRecordMetadataAndOffset, b: CommitRecordMetadataAndOffset): boolean {
  return (a.appendedBatchOffset ?? -1) < (b.appendedBatchOffset ?? -1);
}
