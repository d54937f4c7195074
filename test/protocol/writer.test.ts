// ByteWriter: primitive encodings, growth, separate record chunks and reserved size prefixes.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ProtocolEncodeError } from '../../src/protocol/protocol-errors';
import { ByteReader } from '../../src/protocol/reader';
import { ByteWriter } from '../../src/protocol/writer';

test('primitives encode as Kafka does', () => {
  const w = new ByteWriter();
  w.writeInt8(-1);
  w.writeInt16(-2);
  w.writeInt32(0x01020304);
  w.writeUInt16(65535);
  w.writeUInt32(4294967295);
  w.writeBoolean(true);
  w.writeString('abc');
  w.writeString(null);
  w.writeCompactString('é');
  w.writeCompactString(null);
  w.writeBytes(Buffer.from([9]));
  w.writeBytes(null);
  w.writeCompactBytes(Buffer.alloc(0));
  w.writeCompactBytes(null);
  assert.equal(
    w.toBuffer().toString('hex'),
    'ff' + 'fffe' + '01020304' + 'ffff' + 'ffffffff' + '01' + '0003616263' + 'ffff' + '03c3a9' + '00' + '0000000109' + 'ffffffff' + '01' + '00',
  );
});

test('int64 splits numbers into halves and clamps beyond the int64 range', () => {
  const values = [0, -1, -2, 2 ** 32, 2 ** 32 - 1, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, 1699999999552, -4294967297];
  for (const v of values) {
    const w = new ByteWriter();
    w.writeInt64(v);
    const b = w.toBuffer();
    assert.equal(b.readBigInt64BE(0), BigInt(v), String(v));
    assert.equal(new ByteReader(b).readInt64(), v);
  }
  const max = new ByteWriter();
  max.writeInt64(2 ** 63);
  assert.equal(max.toBuffer().toString('hex'), '7fffffffffffffff', 'Long.MAX_VALUE read back as 2^63 is written as Long.MAX_VALUE');
  const min = new ByteWriter();
  min.writeInt64(-(2 ** 63));
  assert.equal(min.toBuffer().toString('hex'), '8000000000000000');
  assert.throws(() => new ByteWriter().writeInt64(1.5), ProtocolEncodeError);
});

test('unsigned varints round-trip at every byte-length boundary', () => {
  for (const v of [0, 1, 127, 128, 16383, 16384, 2097151, 2097152, 268435455, 268435456, 0xffffffff]) {
    const w = new ByteWriter();
    w.writeUnsignedVarint(v);
    const b = w.toBuffer();
    const r = new ByteReader(b);
    assert.equal(r.readUnsignedVarint(), v);
    assert.equal(r.remaining, 0);
  }
  assert.throws(() => new ByteWriter().writeUnsignedVarint(-1), ProtocolEncodeError);
  assert.throws(() => new ByteWriter().writeUnsignedVarint(2 ** 32), ProtocolEncodeError);
});

test('strings longer than an int16 length can hold are refused', () => {
  assert.throws(() => new ByteWriter().writeString('x'.repeat(32768)), ProtocolEncodeError);
  assert.throws(() => new ByteWriter().writeCompactString('x'.repeat(32768)), ProtocolEncodeError);
  const w = new ByteWriter();
  w.writeString('x'.repeat(32767));
  assert.equal(w.length, 32769);
});

test('uuids: 22 base64url characters, anything else is refused', () => {
  const w = new ByteWriter();
  w.writeUuid('AAAAAAAAAAAAAAAAAAAAAA');
  w.writeUuid('_____________________w');
  const b = w.toBuffer();
  assert.equal(b.subarray(0, 16).toString('hex'), '0'.repeat(32));
  assert.equal(new ByteReader(b, { offset: 16 }).readUuid(), '_____________________w');
  for (const bad of ['', 'AAAA', 'AAAAAAAAAAAAAAAAAAAAAA==', 'AAAAAAAAAAAAAAAAAAAA+/', 'AAAAAAAAAAAAAAAAAAAAAAA']) {
    assert.throws(() => new ByteWriter().writeUuid(bad), ProtocolEncodeError, bad);
  }
});

test('the buffer grows without corrupting earlier bytes', () => {
  const w = new ByteWriter({ initialCapacity: 4 });
  for (let i = 0; i < 10_000; i++) w.writeInt32(i);
  const b = w.toBuffer();
  assert.equal(b.length, 40_000);
  for (let i = 0; i < 10_000; i++) assert.equal(b.readInt32BE(i * 4), i);
});

test('writeChunk emits caller buffers as separate chunks, uncopied', () => {
  const records = Buffer.from('a record batch');
  const more = Buffer.from('another one');
  const w = new ByteWriter({ initialCapacity: 8 });
  const size = w.reserveInt32();
  w.writeInt16(7);
  w.writeChunk(records);
  w.writeChunk(Buffer.alloc(0));
  w.writeInt32(42);
  w.writeChunk(more);
  for (let i = 0; i < 100; i++) w.writeInt32(i); // forces growth after chunks were emitted
  w.patchInt32(size, w.length - 4);
  const chunks = w.finish();
  assert.equal(chunks.length, 5);
  assert.equal(chunks[1], records, 'records must be the very same Buffer object');
  assert.equal(chunks[3], more);
  const all = Buffer.concat(chunks);
  assert.equal(all.readInt32BE(0), all.length - 4);
  assert.equal(all.readInt16BE(4), 7);
  assert.equal(all.subarray(6, 6 + records.length).toString(), 'a record batch');
  assert.equal(all.readInt32BE(6 + records.length), 42);
});

test('patchInt32 reaches a reserved slot in an open segment and in an emitted one', () => {
  const w = new ByteWriter({ initialCapacity: 4 });
  w.writeInt8(1);
  const a = w.reserveInt32();
  for (let i = 0; i < 50; i++) w.writeInt8(i); // grows: the open segment moves
  w.patchInt32(a, 0x11223344);
  const b = w.reserveInt32();
  w.writeChunk(Buffer.from('xyz')); // the reserved slot is now in an emitted chunk
  w.patchInt32(b, 0x55667788);
  const all = Buffer.concat(w.finish());
  assert.equal(all.readInt32BE(1), 0x11223344);
  assert.equal(all.readInt32BE(55), 0x55667788);
});
