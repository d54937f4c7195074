/**
 * Builds RecordBatch v2 (magic 2) buffers from records, and decodes them back. Used by tools, tests,
 * the broker's own writers (coordinators) and later the log cleaner; the produce and fetch paths never
 * decode records.
 *
 * The builder follows Kafka's MemoryRecordsBuilder: baseTimestamp is the first record's timestamp,
 * maxTimestamp the largest (or the log append time), offsets deltas 0..n-1, and the records section
 * compressed as a whole with the chosen codec.
 */
import { codecFor } from './compression';
import { CompressionError } from './compression/codec';
import {
  BatchAttribute,
  BatchField,
  CompressionType,
  type CompressionName,
  MAGIC_V2,
  NO_PARTITION_LEADER_EPOCH,
  NO_PRODUCER_ID,
  NO_SEQUENCE,
  RECORD_BATCH_OVERHEAD,
  LOG_OVERHEAD,
  RecordBatchView,
  updateCrc,
  writeInt64,
} from './record-batch';
import {
  type DecodedRecord,
  encodeRecord,
  InvalidRecordFormatError,
  type PreparedRecord,
  prepareRecord,
  type RecordInput,
  readRecords,
} from './record';
import { VarintError } from './varint';

/** Options of `buildRecordBatch`. */
export interface BuildRecordBatchOptions {
  compression?: CompressionName;
  baseOffset?: number;
  partitionLeaderEpoch?: number;
  producerId?: number;
  producerEpoch?: number;
  baseSequence?: number;
  transactional?: boolean;
  /** Control batch (transaction markers); only brokers write these. */
  control?: boolean;
  /** Build a LogAppendTime batch with this time as maxTimestamp. */
  logAppendTime?: number;
  /** Timestamp for records without one (default Date.now()). */
  now?: number;
}

/** Builds one RecordBatch v2 holding `records` (at least one). */
export async function buildRecordBatch(records: RecordInput[], opts: BuildRecordBatchOptions = {}): Promise<Buffer> {
  if (records.length === 0) throw new RangeError('a record batch needs at least one record');
  const now = opts.now ?? Date.now();
  const timestamps = records.map((r) => r.timestamp ?? now);
  const baseTimestamp = timestamps[0];
  let maxTimestamp = baseTimestamp;
  for (const t of timestamps) if (t > maxTimestamp) maxTimestamp = t;

  const prepared: PreparedRecord[] = records.map((r, i) => prepareRecord(r, { offsetDelta: i, timestampDelta: timestamps[i] - baseTimestamp }));
  let recordsSize = 0;
  for (const p of prepared) recordsSize += p.size;
  let section: Buffer = Buffer.allocUnsafe(recordsSize);
  const out = { buf: section, pos: 0 };
  for (const p of prepared) encodeRecord(out, p);

  const compression = opts.compression ?? 'none';
  const compressionId = CompressionType[compression];
  if (compressionId !== CompressionType.none) section = await codecFor(compressionId).compress(section);

  const batch = Buffer.allocUnsafe(RECORD_BATCH_OVERHEAD + section.length);
  writeInt64(batch, opts.baseOffset ?? 0, BatchField.baseOffset);
  batch.writeInt32BE(batch.length - LOG_OVERHEAD, BatchField.batchLength);
  batch.writeInt32BE(opts.partitionLeaderEpoch ?? NO_PARTITION_LEADER_EPOCH, BatchField.partitionLeaderEpoch);
  batch.writeInt8(MAGIC_V2, BatchField.magic);
  let attributes: number = compressionId;
  if (opts.logAppendTime !== undefined) attributes |= BatchAttribute.timestampTypeLogAppendTime;
  if (opts.transactional) attributes |= BatchAttribute.transactional;
  if (opts.control) attributes |= BatchAttribute.control;
  batch.writeInt16BE(attributes, BatchField.attributes);
  batch.writeInt32BE(records.length - 1, BatchField.lastOffsetDelta);
  writeInt64(batch, baseTimestamp, BatchField.baseTimestamp);
  writeInt64(batch, opts.logAppendTime ?? maxTimestamp, BatchField.maxTimestamp);
  writeInt64(batch, opts.producerId ?? NO_PRODUCER_ID, BatchField.producerId);
  batch.writeInt16BE(opts.producerEpoch ?? -1, BatchField.producerEpoch);
  batch.writeInt32BE(opts.baseSequence ?? NO_SEQUENCE, BatchField.baseSequence);
  batch.writeInt32BE(records.length, BatchField.recordsCount);
  section.copy(batch, BatchField.records);
  updateCrc(batch, 0);
  return batch;
}

/** A batch whose records cannot be decoded. */
export class RecordDecodeError extends Error {
  override readonly name = 'RecordDecodeError';
}

/**
 * Decodes the records of one batch (a RecordBatchView, or a Buffer starting with a batch),
 * decompressing as needed. Offsets and timestamps are absolute; LogAppendTime batches give every
 * record the batch's maxTimestamp. Throws RecordDecodeError when the records are malformed.
 */
export async function decodeRecords(batch: RecordBatchView | Buffer): Promise<DecodedRecord[]> {
  const view = batch instanceof RecordBatchView ? batch : new RecordBatchView(batch, 0);
  const start = view.position + BatchField.records;
  const end = view.position + view.sizeInBytes;
  if (end > view.buffer.length) throw new RecordDecodeError('batch is truncated');
  const count = view.recordsCount;
  const context = {
    baseOffset: view.baseOffset,
    baseTimestamp: view.baseTimestamp,
    logAppendTime: view.isLogAppendTime ? view.maxTimestamp : undefined,
  };
  try {
    if (view.compression === CompressionType.none) {
      return readRecords(view.buffer, { ...context, count, start, end });
    }
    const section = await codecFor(view.compression).decompress(view.buffer.subarray(start, end));
    return readRecords(section, { ...context, count });
  } catch (err) {
    if (err instanceof InvalidRecordFormatError || err instanceof VarintError || err instanceof CompressionError) {
      throw new RecordDecodeError(`cannot decode batch at offset ${view.baseOffset}: ${err.message}`, { cause: err });
    }
    throw err;
  }
}
