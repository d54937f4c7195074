import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BatchField,
  buildRecordBatch,
  checkProduceRequestRecords,
  decodeRecords,
  RecordsErrorCode,
  updateCrc,
  validateRecords,
  type RecordsValidation,
  type ValidRecords,
} from '../../../src/protocol/records';

const NOW = 1_700_000_000_000;
const MAX = 1048588;

function expectOk(v: RecordsValidation): ValidRecords {
  assert.equal(v.ok, true, v.ok ? '' : `${v.errorCode}: ${v.message}`);
  return v as ValidRecords;
}

function expectError(v: RecordsValidation, code: number): { message: string; recordErrors?: { batchIndex: number; message: string }[] } {
  assert.equal(v.ok, false, 'expected a validation failure');
  if (v.ok) throw new Error('unreachable');
  assert.equal(v.errorCode, code, v.message);
  return v;
}

for (const compression of ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const) {
  test(`build → validate → decode round trip with ${compression}`, async () => {
    const records = Array.from({ length: 50 }, (_, i) => ({
      key: `key-${i}`,
      value: Buffer.alloc(100 + i, i),
      timestamp: NOW - 1000 + (i % 7) * 10,
      headers: i % 3 === 0 ? [{ key: 'trace', value: Buffer.from(`t${i}`) }] : [],
    }));
    const buf = await buildRecordBatch(records, { compression, producerId: 9, producerEpoch: 0, baseSequence: 0 });
    const v = expectOk(validateRecords(buf, { maxMessageBytes: MAX, now: NOW }));
    assert.equal(v.batchCount, 1);
    assert.equal(v.shallowCount, 1);
    assert.equal(v.recordCount, 50);
    assert.equal(v.firstTimestamp, NOW - 1000);
    assert.equal(v.maxTimestamp, NOW - 1000 + 60);
    assert.equal(v.validBytes, buf.length);
    if (compression === 'none') assert.equal(v.offsetOfMaxTimestamp, 6);
    else assert.equal(v.offsetOfMaxTimestamp, 49); // compressed: the batch's last record
    const decoded = await decodeRecords(buf);
    assert.equal(decoded.length, 50);
    for (let i = 0; i < 50; i++) {
      assert.equal(decoded[i].offset, i);
      assert.equal(decoded[i].key?.toString(), `key-${i}`);
      assert.deepEqual(decoded[i].value, records[i].value);
      assert.equal(decoded[i].timestamp, records[i].timestamp);
      assert.equal(decoded[i].headers.length, i % 3 === 0 ? 1 : 0);
    }
  });
}

test('a flipped byte in the records is CORRUPT_MESSAGE (CRC mismatch)', async () => {
  const buf = await buildRecordBatch([{ value: 'hello' }], { now: NOW });
  buf[buf.length - 3] ^= 0xff;
  const e = expectError(validateRecords(buf, { maxMessageBytes: MAX, now: NOW }), RecordsErrorCode.CORRUPT_MESSAGE);
  assert.match(e.message, /crc/);
});

test('a truncated batch is CORRUPT_MESSAGE for leaders and trimmed for replication', async () => {
  const a = await buildRecordBatch([{ value: 'a' }], { now: NOW });
  expectError(validateRecords(a.subarray(0, a.length - 1), { maxMessageBytes: MAX, now: NOW }), RecordsErrorCode.CORRUPT_MESSAGE);
  expectError(validateRecords(a.subarray(0, 10), { maxMessageBytes: MAX, now: NOW }), RecordsErrorCode.CORRUPT_MESSAGE);
  const b = await buildRecordBatch([{ value: 'b' }], { now: NOW, baseOffset: 1 });
  const partial = Buffer.concat([a, b.subarray(0, 30)]);
  const v = expectOk(validateRecords(partial, { maxMessageBytes: MAX, origin: 'replication' }));
  assert.equal(v.validBytes, a.length);
  assert.equal(v.batchCount, 1);
});

test('a batch larger than max.message.bytes is MESSAGE_TOO_LARGE', async () => {
  const buf = await buildRecordBatch([{ value: Buffer.alloc(2000) }], { now: NOW });
  const e = expectError(validateRecords(buf, { maxMessageBytes: 1000, now: NOW }), RecordsErrorCode.MESSAGE_TOO_LARGE);
  assert.match(e.message, /exceeds the maximum configured value of 1000/);
  expectOk(validateRecords(buf, { maxMessageBytes: buf.length, now: NOW }));
});

test('legacy message sets are UNSUPPORTED_FOR_MESSAGE_FORMAT, unknown magic CORRUPT_MESSAGE', async () => {
  const buf = await buildRecordBatch([{ value: 'a' }], { now: NOW });
  const v1 = Buffer.from(buf);
  v1[BatchField.magic] = 1;
  expectError(validateRecords(v1, { maxMessageBytes: MAX, now: NOW }), RecordsErrorCode.UNSUPPORTED_FOR_MESSAGE_FORMAT);
  const v3 = Buffer.from(buf);
  v3[BatchField.magic] = 3;
  expectError(validateRecords(v3, { maxMessageBytes: MAX, now: NOW }), RecordsErrorCode.CORRUPT_MESSAGE);
});

test('a count that disagrees with lastOffsetDelta is INVALID_RECORD', async () => {
  const buf = await buildRecordBatch([{ value: 'a' }, { value: 'b' }], { now: NOW });
  buf.writeInt32BE(3, BatchField.recordsCount);
  updateCrc(buf, 0);
  const e = expectError(validateRecords(buf, { maxMessageBytes: MAX, now: NOW }), RecordsErrorCode.INVALID_RECORD);
  assert.match(e.message, /Inconsistent batch offset range/);
});

test('an uncompressed batch with fewer records than declared is INVALID_RECORD', async () => {
  const buf = await buildRecordBatch([{ value: 'a' }, { value: 'b' }], { now: NOW });
  buf.writeInt32BE(2, BatchField.lastOffsetDelta);
  buf.writeInt32BE(3, BatchField.recordsCount);
  updateCrc(buf, 0);
  const e = expectError(validateRecords(buf, { maxMessageBytes: MAX, now: NOW }), RecordsErrorCode.INVALID_RECORD);
  assert.match(e.message, /premature EOF/);
});

test('an uncompressed batch with more records than declared is INVALID_RECORD', async () => {
  const buf = await buildRecordBatch([{ value: 'a' }, { value: 'b' }], { now: NOW });
  buf.writeInt32BE(0, BatchField.lastOffsetDelta);
  buf.writeInt32BE(1, BatchField.recordsCount);
  updateCrc(buf, 0);
  const e = expectError(validateRecords(buf, { maxMessageBytes: MAX, now: NOW }), RecordsErrorCode.INVALID_RECORD);
  assert.match(e.message, /records still remaining/);
});

test('offset deltas must be 0..n-1', async () => {
  const buf = await buildRecordBatch([{ value: 'a' }, { value: 'b' }], { now: NOW });
  // The second record's offset delta follows its length varint, attributes byte and timestamp delta.
  const first = BatchField.records;
  const secondRecord = first + 1 + buf[first] / 2; // length varint is 1 byte here, zig-zag encoded
  assert.equal(buf[secondRecord + 3], 2); // offsetDelta 1 → zig-zag 2
  buf[secondRecord + 3] = 4; // offsetDelta 2
  updateCrc(buf, 0);
  const e = expectError(validateRecords(buf, { maxMessageBytes: MAX, now: NOW }), RecordsErrorCode.INVALID_RECORD);
  assert.match(e.message, /offset delta 2; expected 1/);
});

test('client checks: baseOffset 0, no control batches, sequence with producer id, one batch', async () => {
  const withOffset = await buildRecordBatch([{ value: 'a' }], { now: NOW, baseOffset: 5 });
  expectError(validateRecords(withOffset, { maxMessageBytes: MAX, now: NOW }), RecordsErrorCode.INVALID_RECORD);
  expectOk(validateRecords(withOffset, { maxMessageBytes: MAX, now: NOW, origin: 'coordinator' }));

  const control = await buildRecordBatch([{ key: Buffer.alloc(4), value: Buffer.alloc(6) }], { now: NOW, control: true });
  const e = expectError(validateRecords(control, { maxMessageBytes: MAX, now: NOW }), RecordsErrorCode.INVALID_RECORD);
  assert.match(e.message, /control records/);
  expectOk(validateRecords(control, { maxMessageBytes: MAX, now: NOW, origin: 'coordinator' }));

  const noSequence = await buildRecordBatch([{ value: 'a' }], { now: NOW, producerId: 7, producerEpoch: 0 });
  expectError(validateRecords(noSequence, { maxMessageBytes: MAX, now: NOW }), RecordsErrorCode.INVALID_RECORD);

  const one = await buildRecordBatch([{ value: 'a' }], { now: NOW });
  const two = Buffer.concat([one, one]);
  const m = expectError(validateRecords(two, { maxMessageBytes: MAX, now: NOW }), RecordsErrorCode.INVALID_RECORD);
  assert.match(m.message, /more than one batch/);
  expectError(validateRecords(Buffer.alloc(0), { maxMessageBytes: MAX, now: NOW }), RecordsErrorCode.INVALID_RECORD);
});

test('replication accepts several batches with increasing offsets and rejects out-of-order ones', async () => {
  const a = await buildRecordBatch([{ value: 'a' }, { value: 'b' }], { now: NOW, baseOffset: 10 });
  const b = await buildRecordBatch([{ value: 'c' }], { now: NOW + 5, baseOffset: 12 });
  const v = expectOk(validateRecords(Buffer.concat([a, b]), { maxMessageBytes: MAX, origin: 'replication' }));
  assert.deepEqual([v.firstOffset, v.lastOffset, v.recordCount, v.batchCount, v.maxTimestamp], [10, 12, 3, 2, NOW + 5]);
  assert.equal(v.offsetOfMaxTimestamp, 2);
  expectError(validateRecords(Buffer.concat([b, a]), { maxMessageBytes: MAX, origin: 'replication' }), RecordsErrorCode.INVALID_RECORD);
});

test('timestamps outside message.timestamp.before/after.max.ms are INVALID_TIMESTAMP with record errors', async () => {
  const buf = await buildRecordBatch([
    { value: 'ok', timestamp: NOW },
    { value: 'old', timestamp: NOW - 10_000 },
    { value: 'future', timestamp: NOW + 10_000 },
  ]);
  const opts = { maxMessageBytes: MAX, now: NOW, timestampBeforeMaxMs: 5000, timestampAfterMaxMs: 5000 };
  const e = expectError(validateRecords(buf, opts), RecordsErrorCode.INVALID_TIMESTAMP);
  assert.deepEqual(
    e.recordErrors?.map((r) => r.batchIndex),
    [1, 2],
  );
  expectOk(validateRecords(buf, { ...opts, timestampBeforeMaxMs: 20_000, timestampAfterMaxMs: 20_000 }));

  const compressed = await buildRecordBatch([{ value: 'x', timestamp: NOW + 10_000 }], { compression: 'gzip' });
  expectError(validateRecords(compressed, opts), RecordsErrorCode.INVALID_TIMESTAMP);
});

test('a producer may not send LogAppendTime batches to a LogAppendTime topic', async () => {
  const buf = await buildRecordBatch([{ value: 'x' }], { now: NOW, logAppendTime: NOW });
  expectError(
    validateRecords(buf, { maxMessageBytes: MAX, now: NOW, timestampType: 'LogAppendTime' }),
    RecordsErrorCode.INVALID_TIMESTAMP,
  );
  const plain = await buildRecordBatch([{ value: 'x' }], { now: NOW });
  expectOk(validateRecords(plain, { maxMessageBytes: MAX, now: NOW, timestampType: 'LogAppendTime' }));
});

test('compacted topics reject uncompressed records without a key (INVALID_RECORD, per record)', async () => {
  const buf = await buildRecordBatch([{ key: 'k', value: 'a' }, { value: 'b' }], { now: NOW });
  const e = expectError(validateRecords(buf, { maxMessageBytes: MAX, now: NOW, compacted: true }), RecordsErrorCode.INVALID_RECORD);
  assert.deepEqual(e.recordErrors?.map((r) => r.batchIndex), [1]);
});

test('checkProduceRequestRecords applies ProduceRequest.validateRecords rules', async () => {
  const one = await buildRecordBatch([{ value: 'a' }], { now: NOW });
  assert.equal(checkProduceRequestRecords(one, 9), undefined);
  assert.equal(checkProduceRequestRecords(Buffer.concat([one, one]), 9)?.errorCode, RecordsErrorCode.INVALID_RECORD);
  assert.equal(checkProduceRequestRecords(Buffer.alloc(0), 9)?.errorCode, RecordsErrorCode.INVALID_RECORD);
  const zstd = await buildRecordBatch([{ value: 'a' }], { now: NOW, compression: 'zstd' });
  assert.equal(checkProduceRequestRecords(zstd, 6)?.errorCode, RecordsErrorCode.UNSUPPORTED_COMPRESSION_TYPE);
  assert.equal(checkProduceRequestRecords(zstd, 7), undefined);
  const legacy = Buffer.from(one);
  legacy[BatchField.magic] = 1;
  assert.equal(checkProduceRequestRecords(legacy, 3)?.errorCode, RecordsErrorCode.INVALID_RECORD);
  assert.equal(checkProduceRequestRecords(legacy, 2), undefined);
});
