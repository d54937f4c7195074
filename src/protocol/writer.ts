// Growable big-endian writer that produces a list of chunks for socket.writev.
//
// Small fields accumulate in one growing buffer. Large opaque payloads (the `records` fields of Produce and
// Fetch) are not copied: writeChunk() closes the current segment and appends the caller's Buffer as its own
// chunk, so a Fetch response can carry file-read (or sendfile-like) Buffers untouched. int64 values are
// JavaScript numbers, split into two 32-bit halves; values beyond 2^53 go through BigInt and are clamped to
// the int64 range (Long.MAX_VALUE read as 2^63 is written back as Long.MAX_VALUE).

import { ProtocolEncodeError } from './protocol-errors';

const TWO_POW_32 = 4294967296;
const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);
const UUID_PATTERN = /^[A-Za-z0-9_-]{22}$/;

/** Accumulates encoded bytes; finish() returns the chunks in order. */
export class ByteWriter {
  private buf: Buffer;
  private pos = 0;
  /** Start of the part of `buf` not yet pushed to `chunks`. */
  private segStart = 0;
  private readonly chunks: Buffer[] = [];
  /** Total bytes in `chunks`. */
  private flushed = 0;

  constructor(options?: { initialCapacity?: number }) {
    this.buf = Buffer.allocUnsafe(options?.initialCapacity ?? 512);
  }

  /** Bytes written so far. */
  get length(): number {
    return this.flushed + (this.pos - this.segStart);
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    // Only the open segment moves; chunks already pushed keep pointing into the old buffer.
    const used = this.pos - this.segStart;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, used + n + 256));
    this.buf.copy(next, 0, this.segStart, this.pos);
    this.buf = next;
    this.segStart = 0;
    this.pos = used;
  }

  writeInt8(v: number): void {
    this.ensure(1);
    this.buf.writeInt8(v, this.pos);
    this.pos += 1;
  }

  writeUInt8(v: number): void {
    this.ensure(1);
    this.buf[this.pos++] = v;
  }

  writeBoolean(v: boolean): void {
    this.ensure(1);
    this.buf[this.pos++] = v ? 1 : 0;
  }

  writeInt16(v: number): void {
    this.ensure(2);
    this.buf.writeInt16BE(v, this.pos);
    this.pos += 2;
  }

  writeUInt16(v: number): void {
    this.ensure(2);
    this.buf.writeUInt16BE(v, this.pos);
    this.pos += 2;
  }

  writeInt32(v: number): void {
    this.ensure(4);
    this.buf.writeInt32BE(v, this.pos);
    this.pos += 4;
  }

  writeUInt32(v: number): void {
    this.ensure(4);
    this.buf.writeUInt32BE(v, this.pos);
    this.pos += 4;
  }

  /** int64 from a number; non-integers are rejected, values beyond 2^53 are clamped to the int64 range. */
  writeInt64(v: number): void {
    this.ensure(8);
    if (Number.isSafeInteger(v)) {
      const hi = Math.floor(v / TWO_POW_32);
      this.buf.writeInt32BE(hi, this.pos);
      this.buf.writeUInt32BE(v - hi * TWO_POW_32, this.pos + 4);
    } else {
      if (!Number.isInteger(v)) throw new ProtocolEncodeError(`int64 value ${v} is not an integer`);
      let big = BigInt(v);
      if (big > INT64_MAX) big = INT64_MAX;
      if (big < INT64_MIN) big = INT64_MIN;
      this.buf.writeBigInt64BE(big, this.pos);
    }
    this.pos += 8;
  }

  writeFloat64(v: number): void {
    this.ensure(8);
    this.buf.writeDoubleBE(v, this.pos);
    this.pos += 8;
  }

  /** Unsigned varint (0 .. 2^32-1). */
  writeUnsignedVarint(v: number): void {
    if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) {
      throw new ProtocolEncodeError(`Unsigned varint out of range: ${v}`);
    }
    this.ensure(5);
    while (v >= 0x80) {
      this.buf[this.pos++] = (v & 0x7f) | 0x80;
      v = Math.floor(v / 128);
    }
    this.buf[this.pos++] = v;
  }

  /** A uuid given as 22 characters of URL-safe base64 (Kafka's Uuid.toString form). */
  writeUuid(v: string): void {
    if (!UUID_PATTERN.test(v)) throw new ProtocolEncodeError(`Invalid uuid "${v}": expected 22 base64url characters`);
    this.ensure(16);
    const written = this.buf.write(v, this.pos, 16, 'base64url');
    if (written !== 16) throw new ProtocolEncodeError(`Invalid uuid "${v}"`);
    this.pos += 16;
  }

  /** Copies raw bytes into the current segment. */
  writeRaw(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  /** Appends `b` as its own output chunk without copying it. */
  writeChunk(b: Buffer): void {
    if (b.length === 0) return;
    this.closeSegment();
    this.chunks.push(b);
    this.flushed += b.length;
  }

  /** Classic string: int16 length, -1 = null. */
  writeString(v: string | null): void {
    if (v === null) {
      this.writeInt16(-1);
      return;
    }
    const n = Buffer.byteLength(v, 'utf8');
    if (n > 0x7fff) throw new ProtocolEncodeError(`String of ${n} bytes exceeds the int16 length limit`);
    this.ensure(2 + n);
    this.buf.writeInt16BE(n, this.pos);
    this.buf.write(v, this.pos + 2, n, 'utf8');
    this.pos += 2 + n;
  }

  /** Compact string: unsigned varint length + 1, 0 = null. */
  writeCompactString(v: string | null): void {
    if (v === null) {
      this.writeUInt8(0);
      return;
    }
    const n = Buffer.byteLength(v, 'utf8');
    if (n > 0x7fff) throw new ProtocolEncodeError(`String of ${n} bytes exceeds the 32767-byte limit`);
    this.writeUnsignedVarint(n + 1);
    this.ensure(n);
    this.buf.write(v, this.pos, n, 'utf8');
    this.pos += n;
  }

  /** Classic bytes: int32 length, -1 = null (copied: bytes fields are small). */
  writeBytes(v: Uint8Array | null): void {
    if (v === null) {
      this.writeInt32(-1);
      return;
    }
    this.writeInt32(v.length);
    this.writeRaw(v);
  }

  /** Compact bytes: unsigned varint length + 1, 0 = null. */
  writeCompactBytes(v: Uint8Array | null): void {
    if (v === null) {
      this.writeUInt8(0);
      return;
    }
    this.writeUnsignedVarint(v.length + 1);
    this.writeRaw(v);
  }

  /**
   * Reserves 4 bytes for an int32 to be filled in later with patchInt32 (e.g. a size prefix).
   * Returns a handle: the logical position of the reserved bytes.
   */
  reserveInt32(): number {
    const at = this.length;
    this.writeInt32(0);
    return at;
  }

  /** Writes `v` into bytes reserved by reserveInt32. */
  patchInt32(handle: number, v: number): void {
    if (handle >= this.flushed) {
      this.buf.writeInt32BE(v, this.segStart + (handle - this.flushed));
      return;
    }
    // The reserved bytes were pushed as part of an earlier segment; find it. Segments are subarrays of
    // buffers we own, so writing through them is safe. An int32 never straddles two segments because
    // segments are only closed between writes.
    let base = 0;
    for (const c of this.chunks) {
      if (handle < base + c.length) {
        c.writeInt32BE(v, handle - base);
        return;
      }
      base += c.length;
    }
    throw new ProtocolEncodeError(`Invalid reserved position ${handle}`);
  }

  private closeSegment(): void {
    if (this.pos > this.segStart) {
      const seg = this.buf.subarray(this.segStart, this.pos);
      this.chunks.push(seg);
      this.flushed += seg.length;
      this.segStart = this.pos;
    }
  }

  /** Ends writing; returns the chunks (the writer must not be used afterwards). */
  finish(): Buffer[] {
    this.closeSegment();
    return this.chunks;
  }

  /** Ends writing and returns everything as one Buffer (copies only if there are several chunks). */
  toBuffer(): Buffer {
    const chunks = this.finish();
    return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
  }
}
