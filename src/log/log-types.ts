/**
 * Result types of the Log API and Kafka's special ListOffsets timestamps.
 */

/** ListOffsets special timestamps (KIP-734 for MAX_TIMESTAMP, KIP-405 for the tiered ones). */
export const ListOffsetsTimestamp = {
  LATEST: -1,
  EARLIEST: -2,
  MAX_TIMESTAMP: -3,
  EARLIEST_LOCAL: -4,
  LATEST_TIERED: -5,
} as const;

/** The outcome of an append. */
export interface LogAppendInfo {
  firstOffset: number;
  lastOffset: number;
  /** The broker time stamped on LogAppendTime topics, -1 for CreateTime. */
  logAppendTime: number;
  logStartOffset: number;
  recordCount: number;
  maxTimestamp: number;
  offsetOfMaxTimestamp: number;
  /** Bytes appended. */
  validBytes: number;
  /** Batches appended. */
  shallowCount: number;
}

/** The outcome of a read. */
export interface LogReadInfo {
  /** Whole batches; empty when nothing is available. */
  records: Buffer[];
  /** baseOffset of the first batch returned (may be below the fetch offset), else the fetch offset. */
  firstOffset: number;
  /** The offset after the last batch returned, else the fetch offset. */
  nextOffset: number;
  highWatermark: number;
  logStartOffset: number;
  logEndOffset: number;
}
