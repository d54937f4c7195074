/**
 * The records inside a RecordBatch v2 (KIP-98 record format, headers from KIP-82):
 *
 *   length varint (bytes after this field)  attributes int8 (unused, 0)
 *   timestampDelta varlong  offsetDelta varint
 *   keyLength varint (-1 = null)  key  valueLength varint (-1 = null)  value
 *   headerCount varint  [ headerKeyLength varint  headerKey (UTF-8)  headerValueLength varint  value ]
 *
 * Deltas are relative to the batch's baseTimestamp and baseOffset. `readRecordSummary` walks one record
 * without allocating (the produce-path check of uncompressed batches); `encodeRecord` and
 * `readRecords` are for building and reading batches outside the produce and fetch paths.
 */
import { type Cursor, readVarint, readVarlong, sizeOfVarint, sizeOfVarlong, writeVarint, writeVarlong } from './varint';

/** A record header as clients see it. */
export interface RecordHeader {
  key: string;
  value: Buffer | null;
}

/** A record to put in a batch. */
export interface RecordInput {
  key?: Buffer | string | null;
  value?: Buffer | string | null;
  headers?: RecordHeader[];
  /** CreateTime in ms; defaults to the builder's `now`. */
  timestamp?: number;
}

/** A record read back from a batch, with absolute offset and timestamp. */
export interface DecodedRecord {
  offset: number;
  timestamp: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: RecordHeader[];
}

/** A record whose framing does not match its declared sizes (Kafka's InvalidRecordException). */
export class InvalidRecordFormatError extends Error {
  override readonly name = 'InvalidRecordFormatError';
}

/** Per-record fields the produce-path walk needs; reused across records to avoid allocation. */
export interface RecordSummary {
  timestampDelta: number;
  offsetDelta: number;
  /** -1 for a null key. */
  keyLength: number;
}

/**
 * Reads the record at `cursor.pos` (which must lie before `end`), checks that its fields add up to
 * its declared length, fills `out`, and leaves the cursor after the record.
 */
export function readRecordSummary(buf: Uint8Array, cursor: Cursor, end: number, out: RecordSummary): void {
  const length = readVarint(buf, cursor, end);
  const bodyStart = cursor.pos;
  const bodyEnd = bodyStart + length;
  if (length < 0 || bodyEnd > end) {
    throw new InvalidRecordFormatError(`Invalid record size ${length} at position ${bodyStart}`);
  }
  cursor.pos += 1; // attributes
  out.timestampDelta = readVarlong(buf, cursor, bodyEnd);
  out.offsetDelta = readVarint(buf, cursor, bodyEnd);
  out.keyLength = skipBytes(buf, cursor, bodyEnd, 'key');
  skipBytes(buf, cursor, bodyEnd, 'value');
  const headerCount = readVarint(buf, cursor, bodyEnd);
  if (headerCount < 0) throw new InvalidRecordFormatError(`Found invalid number of record headers ${headerCount}`);
  for (let i = 0; i < headerCount; i++) {
    if (skipBytes(buf, cursor, bodyEnd, 'header key') < 0) {
      throw new InvalidRecordFormatError('Invalid negative header key size');
    }
    skipBytes(buf, cursor, bodyEnd, 'header value');
  }
  if (cursor.pos !== bodyEnd) {
    throw new InvalidRecordFormatError(
      `Invalid record size: expected to read ${length} bytes in record payload, but instead read ${cursor.pos - bodyStart}`,
    );
  }
}

function skipBytes(buf: Uint8Array, cursor: Cursor, end: number, what: string): number {
  const length = readVarint(buf, cursor, end);
  if (length < -1 || cursor.pos + Math.max(length, 0) > end) {
    throw new InvalidRecordFormatError(`Invalid ${what} size ${length} at position ${cursor.pos}`);
  }
  if (length > 0) cursor.pos += length;
  return length;
}

function toBytes(v: Buffer | string | null | undefined): Buffer | null {
  if (v === null || v === undefined) return null;
  return typeof v === 'string' ? Buffer.from(v, 'utf8') : v;
}

/** A record prepared for encoding: sizes computed once. */
export interface PreparedRecord {
  key: Buffer | null;
  value: Buffer | null;
  headers: { key: Buffer; value: Buffer | null }[];
  timestampDelta: number;
  offsetDelta: number;
  /** Size of the body (after the length varint). */
  bodySize: number;
  /** Total encoded size. */
  size: number;
}

/** Computes the encoding sizes of a record at the given deltas. */
export function prepareRecord(record: RecordInput, offsetDelta: number, timestampDelta: number): PreparedRecord {
  const key = toBytes(record.key);
  const value = toBytes(record.value);
  const headers = (record.headers ?? []).map((h) => ({ key: Buffer.from(h.key, 'utf8'), value: h.value }));
  let bodySize = 1 + sizeOfVarlong(timestampDelta) + sizeOfVarint(offsetDelta);
  bodySize += key === null ? sizeOfVarint(-1) : sizeOfVarint(key.length) + key.length;
  bodySize += value === null ? sizeOfVarint(-1) : sizeOfVarint(value.length) + value.length;
  bodySize += sizeOfVarint(headers.length);
  for (const h of headers) {
    bodySize += sizeOfVarint(h.key.length) + h.key.length;
    bodySize += h.value === null ? sizeOfVarint(-1) : sizeOfVarint(h.value.length) + h.value.length;
  }
  return { key, value, headers, timestampDelta, offsetDelta, bodySize, size: sizeOfVarint(bodySize) + bodySize };
}

/** Writes a prepared record at `offset`; returns the offset after it. */
export function encodeRecord(buf: Buffer, record: PreparedRecord, offset: number): number {
  let pos = writeVarint(buf, record.bodySize, offset);
  buf[pos++] = 0; // attributes: unused in v2
  pos = writeVarlong(buf, record.timestampDelta, pos);
  pos = writeVarint(buf, record.offsetDelta, pos);
  pos = writeBytes(buf, record.key, pos);
  pos = writeBytes(buf, record.value, pos);
  pos = writeVarint(buf, record.headers.length, pos);
  for (const h of record.headers) {
    pos = writeBytes(buf, h.key, pos);
    pos = writeBytes(buf, h.value, pos);
  }
  return pos;
}

function writeBytes(buf: Buffer, bytes: Buffer | null, pos: number): number {
  if (bytes === null) return writeVarint(buf, -1, pos);
  pos = writeVarint(buf, bytes.length, pos);
  bytes.copy(buf, pos);
  return pos + bytes.length;
}

/** The batch fields records are decoded against. */
export interface RecordContext {
  baseOffset: number;
  baseTimestamp: number;
  /** For LogAppendTime batches: the batch's maxTimestamp, which every record then carries. */
  logAppendTime?: number;
}

/**
 * Decodes `count` records from `buf[start..end)`. Keys, values and header values are views into
 * `buf`. Throws InvalidRecordFormatError on framing errors or when bytes remain after `count` records.
 */
export function readRecords(
  buf: Buffer,
  count: number,
  opts: RecordContext & { start?: number; end?: number },
): DecodedRecord[] {
  const end = opts.end ?? buf.length;
  const cursor: Cursor = { pos: opts.start ?? 0 };
  const records: DecodedRecord[] = [];
  for (let i = 0; i < count; i++) {
    const length = readVarint(buf, cursor, end);
    const bodyEnd = cursor.pos + length;
    if (length < 0 || bodyEnd > end) throw new InvalidRecordFormatError(`Invalid record size ${length}`);
    cursor.pos += 1;
    const timestampDelta = readVarlong(buf, cursor, bodyEnd);
    const offsetDelta = readVarint(buf, cursor, bodyEnd);
    const key = readBytes(buf, cursor, bodyEnd);
    const value = readBytes(buf, cursor, bodyEnd);
    const headerCount = readVarint(buf, cursor, bodyEnd);
    if (headerCount < 0) throw new InvalidRecordFormatError(`Found invalid number of record headers ${headerCount}`);
    const headers: RecordHeader[] = [];
    for (let h = 0; h < headerCount; h++) {
      const hk = readBytes(buf, cursor, bodyEnd);
      if (hk === null) throw new InvalidRecordFormatError('Invalid negative header key size');
      headers.push({ key: hk.toString('utf8'), value: readBytes(buf, cursor, bodyEnd) });
    }
    if (cursor.pos !== bodyEnd) {
      throw new InvalidRecordFormatError(`Invalid record size: expected to read ${length} bytes in record payload`);
    }
    records.push({
      offset: opts.baseOffset + offsetDelta,
      timestamp: opts.logAppendTime ?? opts.baseTimestamp + timestampDelta,
      key,
      value,
      headers,
    });
  }
  if (cursor.pos !== end) {
    throw new InvalidRecordFormatError('Incorrect declared batch size, records still remaining in file');
  }
  return records;
}

function readBytes(buf: Buffer, cursor: Cursor, end: number): Buffer | null {
  const length = readVarint(buf, cursor, end);
  if (length < 0) {
    if (length === -1) return null;
    throw new InvalidRecordFormatError(`Invalid negative length ${length}`);
  }
  if (cursor.pos + length > end) throw new InvalidRecordFormatError(`Length ${length} runs past the record`);
  const bytes = buf.subarray(cursor.pos, cursor.pos + length);
  cursor.pos += length;
  return bytes;
}
