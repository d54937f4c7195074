/**
 * The records inside a RecordBatch v2 (KIP-98 record format, headers from KIP-82):
 *
 *   length varint (bytes after this field)  attributes int8 (unused, 0)
 *   timestampDelta varlong  offsetDelta varint
 *   keyLength varint (-1 = null)  key  valueLength varint (-1 = null)  value
 *   headerCount varint  [ headerKeyLength varint  headerKey (UTF-8)  headerValueLength varint  value ]
 *
 * Deltas are relative to the batch's baseTimestamp and baseOffset. `RecordWalker` walks records without
 * allocating (the produce-path check of uncompressed batches); `encodeRecord` and `readRecords` are for
 * building and reading batches outside the produce and fetch paths.
 */
import { type Cursor, readVarint, readVarlong, sizeOfVarint, sizeOfVarlong, type WriteCursor, writeVarint, writeVarlong } from './varint';

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

/**
 * Walks the records of an uncompressed records section without allocating: each `next()` reads one
 * record, checks that its fields add up to its declared length, and exposes the fields the produce
 * path checks.
 */
export class RecordWalker {
  timestampDelta = 0;
  offsetDelta = 0;
  /** -1 for a null key. */
  keyLength = 0;
  private readonly buf: Uint8Array;
  private readonly cursor: Cursor;
  private readonly end: number;

  constructor(buf: Uint8Array, range: { start: number; end: number }) {
    this.buf = buf;
    this.end = range.end;
    this.cursor = { pos: range.start, end: range.end };
  }

  /** Position of the next record. */
  get position(): number {
    return this.cursor.pos;
  }

  /** Whether bytes remain. */
  hasRemaining(): boolean {
    return this.cursor.pos < this.end;
  }

  /** Reads the next record; throws InvalidRecordFormatError or VarintError if it is malformed. */
  next(): void {
    const { buf, cursor } = this;
    cursor.end = this.end;
    const length = readVarint(buf, cursor);
    const bodyStart = cursor.pos;
    const bodyEnd = bodyStart + length;
    if (length < 0 || bodyEnd > this.end) {
      throw new InvalidRecordFormatError(`Invalid record size ${length} at position ${bodyStart}`);
    }
    cursor.end = bodyEnd;
    cursor.pos += 1; // attributes
    this.timestampDelta = readVarlong(buf, cursor);
    this.offsetDelta = readVarint(buf, cursor);
    this.keyLength = skipBytes(buf, cursor, 'key');
    skipBytes(buf, cursor, 'value');
    const headerCount = readVarint(buf, cursor);
    if (headerCount < 0) throw new InvalidRecordFormatError(`Found invalid number of record headers ${headerCount}`);
    for (let i = 0; i < headerCount; i++) {
      if (skipBytes(buf, cursor, 'header key') < 0) throw new InvalidRecordFormatError('Invalid negative header key size');
      skipBytes(buf, cursor, 'header value');
    }
    if (cursor.pos !== bodyEnd) {
      throw new InvalidRecordFormatError(
        `Invalid record size: expected to read ${length} bytes in record payload, but instead read ${cursor.pos - bodyStart}`,
      );
    }
  }
}

function skipBytes(buf: Uint8Array, cursor: Cursor, what: string): number {
  const length = readVarint(buf, cursor);
  if (length < -1 || cursor.pos + Math.max(length, 0) > cursor.end) {
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
export function prepareRecord(record: RecordInput, deltas: { offsetDelta: number; timestampDelta: number }): PreparedRecord {
  const { offsetDelta, timestampDelta } = deltas;
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

/** Writes a prepared record at `out.pos` and advances it. */
export function encodeRecord(out: WriteCursor & { buf: Buffer }, record: PreparedRecord): void {
  writeVarint(out, record.bodySize);
  out.buf[out.pos++] = 0; // attributes: unused in v2
  writeVarlong(out, record.timestampDelta);
  writeVarint(out, record.offsetDelta);
  writeBytes(out, record.key);
  writeBytes(out, record.value);
  writeVarint(out, record.headers.length);
  for (const h of record.headers) {
    writeBytes(out, h.key);
    writeBytes(out, h.value);
  }
}

function writeBytes(out: WriteCursor & { buf: Buffer }, bytes: Buffer | null): void {
  if (bytes === null) {
    writeVarint(out, -1);
    return;
  }
  writeVarint(out, bytes.length);
  bytes.copy(out.buf, out.pos);
  out.pos += bytes.length;
}

/** The batch fields records are decoded against. */
export interface RecordContext {
  baseOffset: number;
  baseTimestamp: number;
  /** For LogAppendTime batches: the batch's maxTimestamp, which every record then carries. */
  logAppendTime?: number;
}

/**
 * Decodes `opts.count` records from `buf[start..end)`. Keys, values and header values are views into
 * `buf`. Throws InvalidRecordFormatError on framing errors or when bytes remain after the records.
 */
export function readRecords(buf: Buffer, opts: RecordContext & { count: number; start?: number; end?: number }): DecodedRecord[] {
  const end = opts.end ?? buf.length;
  const cursor: Cursor = { pos: opts.start ?? 0, end };
  const records: DecodedRecord[] = [];
  for (let i = 0; i < opts.count; i++) {
    cursor.end = end;
    const length = readVarint(buf, cursor);
    const bodyEnd = cursor.pos + length;
    if (length < 0 || bodyEnd > end) throw new InvalidRecordFormatError(`Invalid record size ${length}`);
    cursor.end = bodyEnd;
    cursor.pos += 1;
    const timestampDelta = readVarlong(buf, cursor);
    const offsetDelta = readVarint(buf, cursor);
    const key = readBytes(buf, cursor);
    const value = readBytes(buf, cursor);
    const headerCount = readVarint(buf, cursor);
    if (headerCount < 0) throw new InvalidRecordFormatError(`Found invalid number of record headers ${headerCount}`);
    const headers: RecordHeader[] = [];
    for (let h = 0; h < headerCount; h++) {
      const hk = readBytes(buf, cursor);
      if (hk === null) throw new InvalidRecordFormatError('Invalid negative header key size');
      headers.push({ key: hk.toString('utf8'), value: readBytes(buf, cursor) });
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

function readBytes(buf: Buffer, cursor: Cursor): Buffer | null {
  const length = readVarint(buf, cursor);
  if (length < 0) {
    if (length === -1) return null;
    throw new InvalidRecordFormatError(`Invalid negative length ${length}`);
  }
  if (cursor.pos + length > cursor.end) throw new InvalidRecordFormatError(`Length ${length} runs past the record`);
  const bytes = buf.subarray(cursor.pos, cursor.pos + length);
  cursor.pos += length;
  return bytes;
}
