// Bounds-checked big-endian reader over one Kafka frame.
//
// Implements the primitive encodings of the Kafka protocol (KIP-482 compact forms included): fixed-width
// integers, unsigned varints, classic and compact strings/bytes/arrays, uuids and float64. `bytes` and
// `records` values are returned as subarrays of the frame, never copied, so a produced record batch travels
// from socket to log without a copy. Every read is checked against the reader's end and fails with a
// ProtocolDecodeError, so a malicious or truncated frame can never read into a neighbouring message.
// int64 values are returned as JavaScript numbers (hi * 2^32 + lo): exact up to 2^53.

import { ProtocolDecodeError } from './protocol-errors';

const TWO_POW_32 = 4294967296;

/** Reads Kafka primitives from `buffer[offset, end)`. */
export class ByteReader {
  /** The underlying frame; slices returned by the reader point into it. */
  readonly buffer: Buffer;
  /** Position of the next byte to read (absolute index into `buffer`). */
  offset: number;
  /** Exclusive upper bound of readable bytes. */
  readonly end: number;

  constructor(buffer: Buffer, options?: { offset?: number; end?: number }) {
    const offset = options?.offset ?? 0;
    const end = options?.end ?? buffer.length;
    if (offset < 0 || end > buffer.length || offset > end) {
      throw new ProtocolDecodeError(`Reader bounds [${offset}, ${end}) outside buffer of ${buffer.length} bytes`, {
        offset,
      });
    }
    this.buffer = buffer;
    this.offset = offset;
    this.end = end;
  }

  /** Bytes left before `end`. */
  get remaining(): number {
    return this.end - this.offset;
  }

  /** Throws unless `n` more bytes are available. */
  require(n: number, what: string): void {
    if (n > this.end - this.offset) {
      throw new ProtocolDecodeError(
        `Truncated ${what}: need ${n} bytes at offset ${this.offset}, ${this.end - this.offset} left`,
        { offset: this.offset },
      );
    }
  }

  readInt8(): number {
    this.require(1, 'int8');
    return this.buffer.readInt8(this.offset++);
  }

  readUInt8(): number {
    this.require(1, 'uint8');
    return this.buffer[this.offset++]!;
  }

  readBoolean(): boolean {
    this.require(1, 'bool');
    return this.buffer[this.offset++] !== 0;
  }

  readInt16(): number {
    this.require(2, 'int16');
    const v = this.buffer.readInt16BE(this.offset);
    this.offset += 2;
    return v;
  }

  readUInt16(): number {
    this.require(2, 'uint16');
    const v = this.buffer.readUInt16BE(this.offset);
    this.offset += 2;
    return v;
  }

  readInt32(): number {
    this.require(4, 'int32');
    const v = this.buffer.readInt32BE(this.offset);
    this.offset += 4;
    return v;
  }

  readUInt32(): number {
    this.require(4, 'uint32');
    const v = this.buffer.readUInt32BE(this.offset);
    this.offset += 4;
    return v;
  }

  /** int64 as a number: exact for |v| <= 2^53, nearest double beyond. */
  readInt64(): number {
    this.require(8, 'int64');
    const hi = this.buffer.readInt32BE(this.offset);
    const lo = this.buffer.readUInt32BE(this.offset + 4);
    this.offset += 8;
    return hi * TWO_POW_32 + lo;
  }

  readFloat64(): number {
    this.require(8, 'float64');
    const v = this.buffer.readDoubleBE(this.offset);
    this.offset += 8;
    return v;
  }

  /** Unsigned varint of at most 5 bytes (32 bits), as Kafka's ByteUtils.readUnsignedVarint. */
  readUnsignedVarint(): number {
    let value = 0;
    let shift = 0;
    for (let i = 0; i < 5; i++) {
      if (this.offset >= this.end) {
        throw new ProtocolDecodeError(`Truncated unsigned varint at offset ${this.offset}`, { offset: this.offset });
      }
      const b = this.buffer[this.offset++]!;
      value += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) {
        if (value > 0xffffffff) break;
        return value;
      }
      shift += 7;
    }
    throw new ProtocolDecodeError(`Unsigned varint too long at offset ${this.offset}`, { offset: this.offset });
  }

  /** 16-byte uuid as Kafka prints it: 22 characters of URL-safe base64 without padding. */
  readUuid(): string {
    this.require(16, 'uuid');
    const s = this.buffer.toString('base64url', this.offset, this.offset + 16);
    this.offset += 16;
    return s;
  }

  /** A zero-copy view of the next `n` bytes. */
  readSlice(n: number, what = 'bytes'): Buffer {
    if (n < 0) throw new ProtocolDecodeError(`Negative ${what} length ${n} at offset ${this.offset}`, { offset: this.offset });
    this.require(n, what);
    const s = this.buffer.subarray(this.offset, this.offset + n);
    this.offset += n;
    return s;
  }

  /** UTF-8 text of the next `n` bytes. */
  readUtf8(n: number): string {
    this.require(n, 'string');
    const s = this.buffer.toString('utf8', this.offset, this.offset + n);
    this.offset += n;
    return s;
  }

  /** Classic string: int16 length, -1 = null. */
  readString(): string | null {
    const n = this.readInt16();
    if (n === -1) return null;
    if (n < 0) throw new ProtocolDecodeError(`Negative string length ${n} at offset ${this.offset - 2}`, { offset: this.offset - 2 });
    return this.readUtf8(n);
  }

  /** Compact string: unsigned varint length + 1, 0 = null. */
  readCompactString(): string | null {
    const n = this.readUnsignedVarint();
    if (n === 0) return null;
    if (n - 1 > 0x7fff) {
      throw new ProtocolDecodeError(`Compact string length ${n - 1} exceeds 32767 at offset ${this.offset}`, {
        offset: this.offset,
      });
    }
    return this.readUtf8(n - 1);
  }

  /** Classic bytes: int32 length, -1 = null (a zero-copy slice). */
  readBytes(): Buffer | null {
    const n = this.readInt32();
    if (n === -1) return null;
    return this.readSlice(n);
  }

  /** Compact bytes: unsigned varint length + 1, 0 = null (a zero-copy slice). */
  readCompactBytes(): Buffer | null {
    const n = this.readUnsignedVarint();
    if (n === 0) return null;
    return this.readSlice(n - 1);
  }

  /**
   * Classic array length (int32, -1 = null), validated against the bytes left so that an absurd count
   * fails here instead of allocating: every element occupies at least `minElementSize` bytes.
   */
  readArrayLength(minElementSize: number): number {
    const n = this.readInt32();
    if (n === -1) return -1;
    this.checkCount(n, minElementSize);
    return n;
  }

  /** Compact array length (unsigned varint count + 1, 0 = null → -1), validated like readArrayLength. */
  readCompactArrayLength(minElementSize: number): number {
    const n = this.readUnsignedVarint() - 1;
    if (n === -1) return -1;
    this.checkCount(n, minElementSize);
    return n;
  }

  private checkCount(n: number, minElementSize: number): void {
    if (n < 0) throw new ProtocolDecodeError(`Negative array length ${n} at offset ${this.offset}`, { offset: this.offset });
    if (n * Math.max(1, minElementSize) > this.end - this.offset) {
      throw new ProtocolDecodeError(
        `Array of ${n} elements cannot fit in the ${this.end - this.offset} bytes left at offset ${this.offset}`,
        { offset: this.offset },
      );
    }
  }

  /** Advances past `n` bytes. */
  skip(n: number): void {
    this.require(n, 'skipped bytes');
    this.offset += n;
  }

  /** A reader over the next `n` bytes (sharing the buffer); this reader advances past them. */
  subReader(n: number): ByteReader {
    this.require(n, 'sub-structure');
    const r = new ByteReader(this.buffer, { offset: this.offset, end: this.offset + n });
    this.offset += n;
    return r;
  }
}
