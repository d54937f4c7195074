// ByteReader: primitive decodings, zero-copy slices and bounds checks.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ProtocolDecodeError } from '../../src/protocol/protocol-errors';
import { ByteReader } from '../../src/protocol/reader';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

test('fixed-width integers are big-endian and signed where Kafka says so', () => {
  const r = new ByteReader(hex('ff 8000 80000000 ffff ffffffff 01'));
  assert.equal(r.readInt8(), -1);
  assert.equal(r.readInt16(), -32768);
  assert.equal(r.readInt32(), -2147483648);
  assert.equal(r.readUInt16(), 65535);
  assert.equal(r.readUInt32(), 4294967295);
  assert.equal(r.readBoolean(), true);
  assert.equal(r.remaining, 0);
});

test('int64 reads as hi * 2^32 + lo, exact within 2^53', () => {
  const cases: [string, number][] = [
    ['0000000000000000', 0],
    ['ffffffffffffffff', -1],
    ['fffffffffffffffe', -2],
    ['0000000100000000', 2 ** 32],
    ['001fffffffffffff', Number.MAX_SAFE_INTEGER],
    ['ffe0000000000001', Number.MIN_SAFE_INTEGER],
    ['0000018bcfe56640', 1699999999552],
  ];
  for (const [h, v] of cases) assert.equal(new ByteReader(hex(h)).readInt64(), v, h);
  // Long.MAX_VALUE has no exact double: it reads as the nearest one, 2^63.
  assert.equal(new ByteReader(hex('7fffffffffffffff')).readInt64(), 2 ** 63);
});

test('unsigned varints: 1 to 5 bytes, low group first', () => {
  const cases: [string, number][] = [
    ['00', 0],
    ['7f', 127],
    ['8001', 128],
    ['ff7f', 16383],
    ['808001', 16384],
    ['ffffffff0f', 0xffffffff],
  ];
  for (const [h, v] of cases) {
    const r = new ByteReader(hex(h));
    assert.equal(r.readUnsignedVarint(), v, h);
    assert.equal(r.remaining, 0);
  }
  assert.throws(() => new ByteReader(hex('ffffffffff01')).readUnsignedVarint(), ProtocolDecodeError);
  assert.throws(() => new ByteReader(hex('ffffffff1f')).readUnsignedVarint(), ProtocolDecodeError);
  assert.throws(() => new ByteReader(hex('8080')).readUnsignedVarint(), ProtocolDecodeError);
});

test('classic and compact strings, with null', () => {
  const r = new ByteReader(hex('0003616263 ffff 0000 04c3a974 00 01'));
  assert.equal(r.readString(), 'abc');
  assert.equal(r.readString(), null);
  assert.equal(r.readString(), '');
  assert.equal(r.readCompactString(), 'ét');
  assert.equal(r.readCompactString(), null);
  assert.equal(r.readCompactString(), '');
  assert.throws(() => new ByteReader(hex('fffe')).readString(), ProtocolDecodeError);
  assert.throws(() => new ByteReader(hex('0005616263')).readString(), ProtocolDecodeError);
});

test('bytes are zero-copy slices of the frame', () => {
  const frame = hex('00000003 aabbcc 04 010203 ffffffff 00');
  const r = new ByteReader(frame);
  const a = r.readBytes()!;
  assert.deepEqual([...a], [0xaa, 0xbb, 0xcc]);
  assert.equal(a.buffer, frame.buffer);
  assert.equal(a.byteOffset, frame.byteOffset + 4);
  frame[4] = 0x11;
  assert.equal(a[0], 0x11, 'the slice must share memory with the frame');
  const b = r.readCompactBytes()!;
  assert.deepEqual([...b], [1, 2, 3]);
  assert.equal(r.readBytes(), null);
  assert.equal(r.readCompactBytes(), null);
  assert.throws(() => new ByteReader(hex('fffffffe')).readBytes(), ProtocolDecodeError);
});

test('uuid reads as Kafka prints it (base64url, no padding)', () => {
  assert.equal(new ByteReader(Buffer.alloc(16)).readUuid(), 'AAAAAAAAAAAAAAAAAAAAAA');
  const bytes = hex('b7b5d1b2c3a14f0a8e2a9d3c0f6e1a22');
  assert.equal(new ByteReader(bytes).readUuid(), bytes.toString('base64url'));
  assert.equal(new ByteReader(bytes).readUuid().length, 22);
});

test('float64', () => {
  const b = Buffer.alloc(8);
  b.writeDoubleBE(-0.125);
  assert.equal(new ByteReader(b).readFloat64(), -0.125);
});

test('array lengths are checked against the bytes left before any allocation', () => {
  assert.equal(new ByteReader(hex('ffffffff')).readArrayLength(4), -1);
  assert.equal(new ByteReader(hex('00')).readCompactArrayLength(4), -1);
  assert.equal(new ByteReader(hex('00000002 0000000000000000')).readArrayLength(4), 2);
  assert.throws(() => new ByteReader(hex('7fffffff 00')).readArrayLength(1), ProtocolDecodeError);
  assert.throws(() => new ByteReader(hex('00000003 0000000000000000')).readArrayLength(4), ProtocolDecodeError);
  assert.throws(() => new ByteReader(hex('fffffffe')).readArrayLength(1), ProtocolDecodeError);
  assert.throws(() => new ByteReader(hex('ffffffff0f')).readCompactArrayLength(1), ProtocolDecodeError);
});

test('every read past the end throws ProtocolDecodeError with the offset', () => {
  const r = new ByteReader(hex('0001020304'), { offset: 1, end: 4 });
  assert.equal(r.remaining, 3);
  assert.equal(r.readInt16(), 0x0102);
  assert.throws(() => r.readInt16(), (e: unknown) => e instanceof ProtocolDecodeError && e.offset === 3);
  assert.equal(r.readInt8(), 3, 'a failed read does not advance');
  for (const read of ['readInt8', 'readInt16', 'readInt32', 'readInt64', 'readFloat64', 'readUuid', 'readBoolean'] as const) {
    assert.throws(() => new ByteReader(Buffer.alloc(0))[read](), ProtocolDecodeError, read);
  }
});

test('a sub-reader is bounded and shares the buffer', () => {
  const r = new ByteReader(hex('02 aabb cc'));
  const n = r.readInt8();
  const sub = r.subReader(n);
  assert.equal(sub.readUInt16(), 0xaabb);
  assert.throws(() => sub.readInt8(), ProtocolDecodeError);
  assert.equal(r.readUInt8(), 0xcc);
  assert.throws(() => new ByteReader(hex('00')).subReader(2), ProtocolDecodeError);
  assert.throws(() => new ByteReader(hex('00'), { offset: 2 }), ProtocolDecodeError);
});
