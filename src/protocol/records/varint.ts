/**
 * Zig-zag variable-length integers as used inside RecordBatch v2 records (KIP-98): `varint` is a
 * zig-zag encoded int32 and `varlong` a zig-zag encoded int64, both in protobuf's base-128 layout
 * (Kafka's ByteUtils.readVarint/readVarlong).
 *
 * Readers and writers advance a caller-owned cursor instead of returning a `{ value, position }` pair
 * so that walking every record of a batch allocates nothing. int64 values are JavaScript numbers
 * (exact up to 2^53, which covers timestamp deltas and offsets in practice).
 */

/** A read position inside a buffer and the end it may not pass, advanced by the read functions. */
export interface Cursor {
  pos: number;
  end: number;
}

/** A buffer being written and the next position to write at, advanced by the write functions. */
export interface WriteCursor {
  buf: Uint8Array;
  pos: number;
}

/** A varint or varlong that is malformed or runs past the end of its buffer. */
export class VarintError extends Error {
  override readonly name = 'VarintError';
}

const TWO_POW_7 = 128;

/** Reads a zig-zag varint (int32). Throws VarintError past `cursor.end` or after 5 bytes. */
export function readVarint(buf: Uint8Array, cursor: Cursor): number {
  const end = cursor.end;
  let raw = 0;
  let shift = 0;
  let pos = cursor.pos;
  for (;;) {
    if (pos >= end) throw new VarintError(`varint runs past the end of its buffer at ${pos}`);
    const b = buf[pos++];
    raw |= (b & 0x7f) << shift;
    if ((b & 0x80) === 0) break;
    shift += 7;
    if (shift > 28) throw new VarintError(`varint longer than 5 bytes at ${cursor.pos}`);
  }
  cursor.pos = pos;
  return (raw >>> 1) ^ -(raw & 1);
}

/** Reads a zig-zag varlong (int64) as a number. Throws VarintError past `cursor.end` or after 10 bytes. */
export function readVarlong(buf: Uint8Array, cursor: Cursor): number {
  const end = cursor.end;
  let pos = cursor.pos;
  // Fast path: values below 2^28 fit the int32 bit operations.
  let raw = 0;
  let shift = 0;
  for (;;) {
    if (pos >= end) throw new VarintError(`varlong runs past the end of its buffer at ${pos}`);
    const b = buf[pos++];
    if (shift < 28) {
      raw |= (b & 0x7f) << shift;
    } else {
      raw += (b & 0x7f) * 2 ** shift;
    }
    if ((b & 0x80) === 0) break;
    shift += 7;
    if (shift > 63) throw new VarintError(`varlong longer than 10 bytes at ${cursor.pos}`);
  }
  cursor.pos = pos;
  if (shift < 28) return (raw >>> 1) ^ -(raw & 1);
  // Slow path with float arithmetic: raw is unsigned and may exceed 2^31.
  if (raw < 0) raw += 2 ** 32; // bits 0..27 were or-ed as int32; only bit 31 could flip the sign
  return raw % 2 === 0 ? raw / 2 : -(raw + 1) / 2;
}

/** Number of bytes the zig-zag varint encoding of `value` (int32) takes. */
export function sizeOfVarint(value: number): number {
  let v = ((value << 1) ^ (value >> 31)) >>> 0;
  let bytes = 1;
  while (v >= TWO_POW_7) {
    v >>>= 7;
    bytes++;
  }
  return bytes;
}

/** Number of bytes the zig-zag varlong encoding of `value` (int64 as number) takes. */
export function sizeOfVarlong(value: number): number {
  let v = zigzag64(value);
  let bytes = 1;
  while (v >= TWO_POW_7) {
    v = Math.floor(v / TWO_POW_7);
    bytes++;
  }
  return bytes;
}

/** Writes `value` (int32) as a zig-zag varint at `out.pos` and advances it. */
export function writeVarint(out: WriteCursor, value: number): void {
  const buf = out.buf;
  let pos = out.pos;
  let v = ((value << 1) ^ (value >> 31)) >>> 0;
  while (v >= TWO_POW_7) {
    buf[pos++] = (v & 0x7f) | 0x80;
    v >>>= 7;
  }
  buf[pos++] = v;
  out.pos = pos;
}

/** Writes `value` (int64 as number) as a zig-zag varlong at `out.pos` and advances it. */
export function writeVarlong(out: WriteCursor, value: number): void {
  const buf = out.buf;
  let pos = out.pos;
  let v = zigzag64(value);
  while (v >= TWO_POW_7) {
    buf[pos++] = (v % TWO_POW_7) | 0x80;
    v = Math.floor(v / TWO_POW_7);
  }
  buf[pos++] = v;
  out.pos = pos;
}

function zigzag64(value: number): number {
  return value >= 0 ? value * 2 : -value * 2 - 1;
}
