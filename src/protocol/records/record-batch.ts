/**
 * Zero-copy views over RecordBatch v2 (magic 2, KIP-98; delete-horizon bit from KIP-534), the only
 * record format this broker stores. Layout (big-endian), offsets from the start of the batch:
 *
 *    0 baseOffset int64            8 batchLength int32 (bytes after this field)
 *   12 partitionLeaderEpoch int32 16 magic int8          17 crc uint32 (CRC-32C of bytes 21..end)
 *   21 attributes int16           23 lastOffsetDelta int32
 *   27 baseTimestamp int64        35 maxTimestamp int64
 *   43 producerId int64           51 producerEpoch int16 53 baseSequence int32
 *   57 recordsCount int32         61 records (compressed as a whole when attributes say so)
 *
 * attributes: bits 0-2 compression (0 none, 1 gzip, 2 snappy, 3 lz4, 4 zstd), bit 3 timestamp type
 * (1 = LogAppendTime), bit 4 transactional, bit 5 control, bit 6 has delete horizon.
 *
 * The broker reads and rewrites only header fields: baseOffset and partitionLeaderEpoch are outside
 * the CRC, so rewriting them costs nothing; the timestamp type and maxTimestamp are inside it, so
 * setting LogAppendTime recomputes the CRC.
 */
import { crc32c } from './crc32c';

/** Byte offsets of the header fields of a v2 batch. */
export const BatchField = {
  baseOffset: 0,
  batchLength: 8,
  partitionLeaderEpoch: 12,
  magic: 16,
  crc: 17,
  attributes: 21,
  lastOffsetDelta: 23,
  baseTimestamp: 27,
  maxTimestamp: 35,
  producerId: 43,
  producerEpoch: 51,
  baseSequence: 53,
  recordsCount: 57,
  records: 61,
} as const;

/** baseOffset + batchLength: the bytes of a batch not counted in batchLength (Kafka's LOG_OVERHEAD). */
export const LOG_OVERHEAD = 12;
/** Size of a v2 batch header, i.e. of a batch with no records (Kafka's RECORD_BATCH_OVERHEAD). */
export const RECORD_BATCH_OVERHEAD = 61;
/** The bytes up to and including the magic byte, enough to tell the format of a batch. */
export const HEADER_SIZE_UP_TO_MAGIC = 17;
/** The current (and only supported) magic value. */
export const MAGIC_V2 = 2;
/** Kafka's NO_TIMESTAMP / NO_PRODUCER_ID / NO_SEQUENCE / NO_PARTITION_LEADER_EPOCH. */
export const NO_TIMESTAMP = -1;
export const NO_PRODUCER_ID = -1;
export const NO_SEQUENCE = -1;
export const NO_PARTITION_LEADER_EPOCH = -1;

/** Compression codec ids as stored in attribute bits 0-2. */
export const CompressionType = {
  none: 0,
  gzip: 1,
  snappy: 2,
  lz4: 3,
  zstd: 4,
} as const;
export type CompressionName = keyof typeof CompressionType;
export type CompressionId = (typeof CompressionType)[CompressionName];

/** Attribute bit masks. */
export const BatchAttribute = {
  compressionMask: 0x07,
  timestampTypeLogAppendTime: 0x08,
  transactional: 0x10,
  control: 0x20,
  deleteHorizon: 0x40,
} as const;

const TWO_POW_32 = 2 ** 32;

/** Reads an int64 as a number (exact up to 2^53). */
export function readInt64(buf: Buffer, offset: number): number {
  return buf.readInt32BE(offset) * TWO_POW_32 + buf.readUInt32BE(offset + 4);
}

/**
 * Writes an int64 given as a number (exact up to 2^53). Takes (buffer, value, offset) like Node's own
 * Buffer#writeInt32BE(value, offset) with the buffer first, which reads better than an options object
 * for a byte primitive.
 */
export function writeInt64(buf: Buffer, value: number, offset: number): void {
  const hi = Math.floor(value / TWO_POW_32);
  buf.writeInt32BE(hi, offset);
  buf.writeUInt32BE(value - hi * TWO_POW_32, offset + 4);
}

/** Name of a compression id, or undefined for ids Kafka does not define (5-7). */
export function compressionName(id: number): CompressionName | undefined {
  switch (id) {
    case 0:
      return 'none';
    case 1:
      return 'gzip';
    case 2:
      return 'snappy';
    case 3:
      return 'lz4';
    case 4:
      return 'zstd';
    default:
      return undefined;
  }
}

/**
 * A view of one batch inside a larger buffer. Getters read the buffer on each call, so a view
 * reflects in-place rewrites. Creating a view copies nothing.
 */
export class RecordBatchView {
  /** The buffer holding the batch. */
  readonly buffer: Buffer;
  /** Position of the batch's first byte (its baseOffset) in `buffer`. */
  readonly position: number;

  constructor(buffer: Buffer, position: number) {
    this.buffer = buffer;
    this.position = position;
  }

  /** Total size in bytes: LOG_OVERHEAD + batchLength. */
  get sizeInBytes(): number {
    return LOG_OVERHEAD + this.batchLength;
  }
  get baseOffset(): number {
    return readInt64(this.buffer, this.position + BatchField.baseOffset);
  }
  get batchLength(): number {
    return this.buffer.readInt32BE(this.position + BatchField.batchLength);
  }
  get partitionLeaderEpoch(): number {
    return this.buffer.readInt32BE(this.position + BatchField.partitionLeaderEpoch);
  }
  get magic(): number {
    return this.buffer.readInt8(this.position + BatchField.magic);
  }
  /** The stored CRC (unsigned). */
  get crc(): number {
    return this.buffer.readUInt32BE(this.position + BatchField.crc);
  }
  get attributes(): number {
    return this.buffer.readInt16BE(this.position + BatchField.attributes);
  }
  get compression(): number {
    return this.attributes & BatchAttribute.compressionMask;
  }
  get isLogAppendTime(): boolean {
    return (this.attributes & BatchAttribute.timestampTypeLogAppendTime) !== 0;
  }
  get isTransactional(): boolean {
    return (this.attributes & BatchAttribute.transactional) !== 0;
  }
  get isControl(): boolean {
    return (this.attributes & BatchAttribute.control) !== 0;
  }
  get lastOffsetDelta(): number {
    return this.buffer.readInt32BE(this.position + BatchField.lastOffsetDelta);
  }
  get lastOffset(): number {
    return this.baseOffset + this.lastOffsetDelta;
  }
  /** The next offset after this batch. */
  get nextOffset(): number {
    return this.lastOffset + 1;
  }
  get baseTimestamp(): number {
    return readInt64(this.buffer, this.position + BatchField.baseTimestamp);
  }
  get maxTimestamp(): number {
    return readInt64(this.buffer, this.position + BatchField.maxTimestamp);
  }
  get producerId(): number {
    return readInt64(this.buffer, this.position + BatchField.producerId);
  }
  get producerEpoch(): number {
    return this.buffer.readInt16BE(this.position + BatchField.producerEpoch);
  }
  get baseSequence(): number {
    return this.buffer.readInt32BE(this.position + BatchField.baseSequence);
  }
  get recordsCount(): number {
    return this.buffer.readInt32BE(this.position + BatchField.recordsCount);
  }
  /** The batch's bytes, as a view (no copy). */
  bytes(): Buffer {
    return this.buffer.subarray(this.position, this.position + this.sizeInBytes);
  }
  /** CRC-32C computed over attributes..end. */
  computeCrc(): number {
    return crc32c(this.buffer.subarray(this.position + BatchField.attributes, this.position + this.sizeInBytes));
  }
  /** Whether the stored CRC matches the content (the batch must be complete in the buffer). */
  isValid(): boolean {
    return this.sizeInBytes >= RECORD_BATCH_OVERHEAD && this.crc === this.computeCrc();
  }

  /** Sets the base offset (outside the CRC: no recomputation). */
  setBaseOffset(baseOffset: number): void {
    writeInt64(this.buffer, baseOffset, this.position + BatchField.baseOffset);
  }

  /** Sets the partition leader epoch (outside the CRC). */
  setPartitionLeaderEpoch(epoch: number): void {
    this.buffer.writeInt32BE(epoch, this.position + BatchField.partitionLeaderEpoch);
  }

  /**
   * Sets the timestamp type and maxTimestamp and recomputes the CRC, as Kafka's
   * DefaultRecordBatch.setMaxTimestamp does; a no-op when both already have those values.
   */
  setMaxTimestamp(maxTimestamp: number, opts: { logAppendTime: boolean }): void {
    const attributesAt = this.position + BatchField.attributes;
    const attributes = this.buffer.readInt16BE(attributesAt);
    const newAttributes = opts.logAppendTime
      ? attributes | BatchAttribute.timestampTypeLogAppendTime
      : attributes & ~BatchAttribute.timestampTypeLogAppendTime;
    if (newAttributes === attributes && this.maxTimestamp === maxTimestamp) return;
    this.buffer.writeInt16BE(newAttributes, attributesAt);
    writeInt64(this.buffer, maxTimestamp, this.position + BatchField.maxTimestamp);
    updateCrc(this.buffer, this.position);
  }

  /**
   * Marks the batch LogAppendTime with `timestamp` as its maxTimestamp (consumers then see this
   * timestamp on every record) and recomputes the CRC.
   */
  setLogAppendTime(timestamp: number): void {
    this.setMaxTimestamp(timestamp, { logAppendTime: true });
  }
}

/**
 * Size of the batch starting at `position` (LOG_OVERHEAD + batchLength), or -1 if fewer than
 * LOG_OVERHEAD bytes are left. The size is not checked against the buffer's end.
 */
export function batchSizeAt(buf: Buffer, position: number): number {
  if (buf.length - position < LOG_OVERHEAD) return -1;
  return LOG_OVERHEAD + buf.readInt32BE(position + BatchField.batchLength);
}

/**
 * Iterates the complete batches of `buf` in order. Like Kafka's ByteBufferLogInputStream it stops
 * silently at a trailing partial batch, and at a batchLength too small to hold a v2 header; use
 * `validBytes` to find where iteration stopped.
 */
export function* batches(buf: Buffer): Generator<RecordBatchView> {
  let position = 0;
  for (;;) {
    const size = batchSizeAt(buf, position);
    if (size < RECORD_BATCH_OVERHEAD || position + size > buf.length) return;
    yield new RecordBatchView(buf, position);
    position += size;
  }
}

/** Bytes at the start of `buf` covered by complete batches (where `batches()` stops). */
export function validBytes(buf: Buffer): number {
  let position = 0;
  for (;;) {
    const size = batchSizeAt(buf, position);
    if (size < RECORD_BATCH_OVERHEAD || position + size > buf.length) return position;
    position += size;
  }
}

/** Recomputes and stores the CRC of the complete batch at `position`. */
export function updateCrc(buf: Buffer, position: number): void {
  const end = position + LOG_OVERHEAD + buf.readInt32BE(position + BatchField.batchLength);
  buf.writeUInt32BE(crc32c(buf.subarray(position + BatchField.attributes, end)), position + BatchField.crc);
}
