/**
 * Rebuilding a RecordBatch v2 from the records the cleaner keeps (Kafka's
 * MemoryRecords.buildRetainedRecordsInto with MemoryRecordsBuilder): the base offset, last offset delta
 * (so the batch still ends where it did, as Kafka's overrideLastOffset), partition leader epoch,
 * producer id/epoch, base sequence, timestamp type, transactional and control flags and the codec are
 * the original batch's; each record keeps its offset and timestamp, encoded as deltas.
 *
 * KIP-534 delete horizon: when `deleteHorizonMs` is given the batch gets attribute bit 6 and its
 * baseTimestamp field holds the horizon (record timestamps stay baseTimestamp + delta, so readers
 * see them unchanged). For LogAppendTime batches every record carries the batch's maxTimestamp, which
 * is kept.
 *
 * A batch the cleaner keeps for its producer although none of its records stay (KAFKA-5490, the last
 * batch of an active idempotent producer) is written as a bare header, as Kafka's
 * DefaultRecordBatch.writeEmptyHeader: the original base offset, last offset delta, partition leader
 * epoch, producer id/epoch, base sequence (so its last sequence is unchanged), timestamp type,
 * transactional and control flags and maxTimestamp; no compression, no delete horizon, baseTimestamp
 * NO_TIMESTAMP (-1) and 0 records.
 */
import { codecFor } from '../../protocol/records/compression';
import {
  BatchAttribute,
  BatchField,
  CompressionType,
  LOG_OVERHEAD,
  NO_TIMESTAMP,
  RECORD_BATCH_OVERHEAD,
  type RecordBatchView,
  updateCrc,
  writeInt64,
} from '../../protocol/records/record-batch';
import { type DecodedRecord, encodeRecord, prepareRecord } from '../../protocol/records/record';

/** The delete horizon of a batch (KIP-534), or undefined when it has none. */
export function deleteHorizonOf(batch: RecordBatchView): number | undefined {
  return (batch.attributes & BatchAttribute.deleteHorizon) !== 0 ? batch.baseTimestamp : undefined;
}

/** Builds the batch holding `records` (at least one, in offset order) of `original`; see the file comment. */
export async function buildRetainedBatch(
  original: RecordBatchView,
  records: readonly DecodedRecord[],
  opts: { deleteHorizonMs?: number } = {},
): Promise<Buffer> {
  if (records.length === 0) throw new RangeError('a retained batch needs at least one record');
  const baseOffset = original.baseOffset;
  const baseTimestamp = opts.deleteHorizonMs ?? records[0].timestamp;
  let maxTimestamp = original.isLogAppendTime ? original.maxTimestamp : -1;
  if (!original.isLogAppendTime) for (const r of records) if (r.timestamp > maxTimestamp) maxTimestamp = r.timestamp;

  const prepared = records.map((r) =>
    prepareRecord(r, { offsetDelta: r.offset - baseOffset, timestampDelta: r.timestamp - baseTimestamp }),
  );
  let size = 0;
  for (const p of prepared) size += p.size;
  let section: Buffer = Buffer.allocUnsafe(size);
  const out = { buf: section, pos: 0 };
  for (const p of prepared) encodeRecord(out, p);
  const compression = original.compression;
  if (compression !== CompressionType.none) section = await codecFor(compression).compress(section);

  let attributes = original.attributes & ~BatchAttribute.deleteHorizon;
  if (opts.deleteHorizonMs !== undefined) attributes |= BatchAttribute.deleteHorizon;
  const batch = Buffer.allocUnsafe(RECORD_BATCH_OVERHEAD + section.length);
  writeInt64(batch, baseOffset, BatchField.baseOffset);
  batch.writeInt32BE(batch.length - LOG_OVERHEAD, BatchField.batchLength);
  batch.writeInt32BE(original.partitionLeaderEpoch, BatchField.partitionLeaderEpoch);
  batch.writeInt8(original.magic, BatchField.magic);
  batch.writeInt16BE(attributes, BatchField.attributes);
  batch.writeInt32BE(original.lastOffsetDelta, BatchField.lastOffsetDelta);
  writeInt64(batch, baseTimestamp, BatchField.baseTimestamp);
  writeInt64(batch, maxTimestamp, BatchField.maxTimestamp);
  writeInt64(batch, original.producerId, BatchField.producerId);
  batch.writeInt16BE(original.producerEpoch, BatchField.producerEpoch);
  batch.writeInt32BE(original.baseSequence, BatchField.baseSequence);
  batch.writeInt32BE(records.length, BatchField.recordsCount);
  section.copy(batch, BatchField.records);
  updateCrc(batch, 0);
  return batch;
}

/** The header-only batch that keeps `original`'s producer fields and offsets (see the file comment). */
export function buildEmptyBatch(original: RecordBatchView): Buffer {
  const keptFlags = BatchAttribute.timestampTypeLogAppendTime | BatchAttribute.transactional | BatchAttribute.control;
  const batch = Buffer.alloc(RECORD_BATCH_OVERHEAD);
  writeInt64(batch, original.baseOffset, BatchField.baseOffset);
  batch.writeInt32BE(RECORD_BATCH_OVERHEAD - LOG_OVERHEAD, BatchField.batchLength);
  batch.writeInt32BE(original.partitionLeaderEpoch, BatchField.partitionLeaderEpoch);
  batch.writeInt8(original.magic, BatchField.magic);
  batch.writeInt16BE(original.attributes & keptFlags, BatchField.attributes);
  batch.writeInt32BE(original.lastOffsetDelta, BatchField.lastOffsetDelta);
  writeInt64(batch, NO_TIMESTAMP, BatchField.baseTimestamp);
  writeInt64(batch, original.maxTimestamp, BatchField.maxTimestamp);
  writeInt64(batch, original.producerId, BatchField.producerId);
  batch.writeInt16BE(original.producerEpoch, BatchField.producerEpoch);
  batch.writeInt32BE(original.baseSequence, BatchField.baseSequence);
  batch.writeInt32BE(0, BatchField.recordsCount);
  updateCrc(batch, 0);
  return batch;
}
