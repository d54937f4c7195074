/**
 * Offset assignment for a leader append (Kafka's LogValidator in-place path for magic 2): every batch
 * gets its base offset from a running counter and the leader's epoch, both outside the CRC, and for
 * LogAppendTime topics the timestamp type bit and maxTimestamp, which are inside it (one CRC pass).
 * The batches must have been validated first.
 */
import { BatchField, RECORD_BATCH_OVERHEAD, RecordBatchView, batchSizeAt } from './record-batch';

/** Options of `assignOffsets`. */
export interface AssignOffsetsOptions {
  /** Broker time to stamp on LogAppendTime topics; leave undefined for CreateTime. */
  logAppendTime?: number;
  /** The leader epoch the batches are appended under. */
  partitionLeaderEpoch: number;
}

/**
 * Rewrites the batches of `buf` in place so that they take offsets from `firstOffset` on, and returns
 * the last offset assigned (firstOffset - 1 for an empty buffer).
 */
export function assignOffsets(buf: Buffer, firstOffset: number, opts: AssignOffsetsOptions): number {
  let offset = firstOffset;
  let position = 0;
  for (;;) {
    const size = batchSizeAt(buf, position);
    if (size < RECORD_BATCH_OVERHEAD || position + size > buf.length) break;
    const batch = new RecordBatchView(buf, position);
    batch.setBaseOffset(offset);
    batch.setPartitionLeaderEpoch(opts.partitionLeaderEpoch);
    if (opts.logAppendTime !== undefined) batch.setLogAppendTime(opts.logAppendTime);
    offset += buf.readInt32BE(position + BatchField.lastOffsetDelta) + 1;
    position += size;
  }
  return offset - 1;
}
