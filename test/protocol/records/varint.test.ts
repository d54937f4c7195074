import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  readVarint,
  readVarlong,
  sizeOfVarint,
  sizeOfVarlong,
  VarintError,
  writeVarint,
  writeVarlong,
} from '../../../src/protocol/records/varint';

function varintBytes(value: number): number[] {
  const out = { buf: Buffer.alloc(5), pos: 0 };
  writeVarint(out, value);
  return [...out.buf.subarray(0, out.pos)];
}

test('varint round-trips int32 boundaries with zig-zag sizes', () => {
  const cases: [number, number][] = [
    [0, 1],
    [-1, 1],
    [1, 1],
    [63, 1],
    [-64, 1],
    [64, 2],
    [-65, 2],
    [8191, 2],
    [8192, 3],
    [2147483647, 5],
    [-2147483648, 5],
  ];
  for (const [value, size] of cases) {
    const out = { buf: Buffer.alloc(10), pos: 0 };
    writeVarint(out, value);
    assert.equal(out.pos, size, `size of ${value}`);
    assert.equal(sizeOfVarint(value), size);
    const cursor = { pos: 0, end: out.pos };
    assert.equal(readVarint(out.buf, cursor), value);
    assert.equal(cursor.pos, size);
  }
});

test('varint encoding matches the protobuf zig-zag bytes', () => {
  assert.deepEqual(varintBytes(-1), [0x01]);
  assert.deepEqual(varintBytes(1), [0x02]);
  assert.deepEqual(varintBytes(150), [0xac, 0x02]);
});

test('varlong round-trips values beyond 32 bits', () => {
  const values = [0, -1, 1, 2 ** 31, -(2 ** 31) - 1, 2 ** 40 + 12345, -(2 ** 40), 1_700_000_000_000, 2 ** 52, -(2 ** 52)];
  for (const value of values) {
    const out = { buf: Buffer.alloc(10), pos: 0 };
    writeVarlong(out, value);
    assert.equal(out.pos, sizeOfVarlong(value));
    const cursor = { pos: 0, end: out.pos };
    assert.equal(readVarlong(out.buf, cursor), value, `value ${value}`);
    assert.equal(cursor.pos, out.pos);
  }
});

test('reading past the end throws VarintError', () => {
  const buf = Buffer.from([0x80, 0x80]);
  assert.throws(() => readVarint(buf, { pos: 0, end: 2 }), VarintError);
  assert.throws(() => readVarlong(buf, { pos: 0, end: 2 }), VarintError);
  assert.throws(() => readVarint(Buffer.from([0x02]), { pos: 0, end: 0 }), VarintError, 'the cursor end is honoured');
  assert.throws(() => readVarint(Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0x01]), { pos: 0, end: 6 }), VarintError);
});
