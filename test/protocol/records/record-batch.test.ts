import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  assignOffsets,
  BatchAttribute,
  batches,
  buildRecordBatch,
  crc32c,
  crc32cImplementation,
  decodeRecords,
  RecordBatchView,
  validBytes,
} from '../../../src/protocol/records';

test('crc32c matches the Castagnoli check value and reports its implementation', () => {
  assert.equal(crc32c(Buffer.from('123456789')), 0xe3069283);
  const whole = crc32c(Buffer.from('hello world'));
  assert.equal(crc32c(Buffer.from(' world'), crc32c(Buffer.from('hello'))), whole);
  assert.ok(['sse4.2 (native)', 'javascript'].includes(crc32cImplementation()));
});

test('built batch exposes its header fields through a view', async () => {
  const buf = await buildRecordBatch(
    [
      { key: 'k1', value: 'v1', timestamp: 1000 },
      { key: null, value: 'v2', timestamp: 1500, headers: [{ key: 'h', value: Buffer.from('x') }] },
      { value: null, timestamp: 1200 },
    ],
    { producerId: 42, producerEpoch: 3, baseSequence: 7, partitionLeaderEpoch: 5, transactional: true },
  );
  const [batch, ...rest] = [...batches(buf)];
  assert.equal(rest.length, 0);
  assert.equal(batch.sizeInBytes, buf.length);
  assert.equal(batch.magic, 2);
  assert.equal(batch.baseOffset, 0);
  assert.equal(batch.lastOffsetDelta, 2);
  assert.equal(batch.recordsCount, 3);
  assert.equal(batch.baseTimestamp, 1000);
  assert.equal(batch.maxTimestamp, 1500);
  assert.equal(batch.producerId, 42);
  assert.equal(batch.producerEpoch, 3);
  assert.equal(batch.baseSequence, 7);
  assert.equal(batch.partitionLeaderEpoch, 5);
  assert.equal(batch.isTransactional, true);
  assert.equal(batch.isControl, false);
  assert.equal(batch.isLogAppendTime, false);
  assert.equal(batch.compression, 0);
  assert.ok(batch.isValid());

  const records = await decodeRecords(batch);
  assert.deepEqual(
    records.map((r) => [r.offset, r.timestamp, r.key?.toString() ?? null, r.value?.toString() ?? null]),
    [
      [0, 1000, 'k1', 'v1'],
      [1, 1500, null, 'v2'],
      [2, 1200, null, null],
    ],
  );
  assert.deepEqual(records[1].headers.map((h) => [h.key, h.value?.toString()]), [['h', 'x']]);
});

test('base offset and leader epoch are rewritten in place without touching the CRC', async () => {
  const buf = await buildRecordBatch([{ value: 'a', timestamp: 1 }]);
  const view = new RecordBatchView(buf, 0);
  const crcBefore = view.crc;
  view.setBaseOffset(2 ** 40 + 3);
  view.setPartitionLeaderEpoch(17);
  assert.equal(view.baseOffset, 2 ** 40 + 3);
  assert.equal(view.partitionLeaderEpoch, 17);
  assert.equal(view.crc, crcBefore);
  assert.ok(view.isValid());
});

test('setLogAppendTime sets the type bit and maxTimestamp and keeps the CRC valid', async () => {
  const buf = await buildRecordBatch([
    { value: 'a', timestamp: 10 },
    { value: 'b', timestamp: 20 },
  ]);
  const view = new RecordBatchView(buf, 0);
  const crcBefore = view.crc;
  view.setLogAppendTime(99_999);
  assert.equal(view.isLogAppendTime, true);
  assert.equal(view.attributes & BatchAttribute.timestampTypeLogAppendTime, BatchAttribute.timestampTypeLogAppendTime);
  assert.equal(view.maxTimestamp, 99_999);
  assert.notEqual(view.crc, crcBefore);
  assert.ok(view.isValid());
  const records = await decodeRecords(view);
  assert.deepEqual(
    records.map((r) => r.timestamp),
    [99_999, 99_999],
  );
});

test('assignOffsets rewrites consecutive batches from the first offset', async () => {
  const a = await buildRecordBatch([{ value: '1' }, { value: '2' }, { value: '3' }]);
  const b = await buildRecordBatch([{ value: '4' }, { value: '5' }], { compression: 'gzip' });
  const buf = Buffer.concat([a, b]);
  const last = assignOffsets(buf, 100, { partitionLeaderEpoch: 4, logAppendTime: 555 });
  assert.equal(last, 104);
  const views = [...batches(buf)];
  assert.deepEqual(
    views.map((v) => [v.baseOffset, v.lastOffset, v.partitionLeaderEpoch, v.maxTimestamp, v.isValid()]),
    [
      [100, 102, 4, 555, true],
      [103, 104, 4, 555, true],
    ],
  );
  const decoded = await decodeRecords(views[1]);
  assert.deepEqual(
    decoded.map((r) => [r.offset, r.value?.toString()]),
    [
      [103, '4'],
      [104, '5'],
    ],
  );
});

test('batches() stops at a trailing partial batch and validBytes tells where', async () => {
  const a = await buildRecordBatch([{ value: 'x' }]);
  const b = await buildRecordBatch([{ value: 'y' }]);
  const buf = Buffer.concat([a, b.subarray(0, b.length - 3)]);
  assert.equal([...batches(buf)].length, 1);
  assert.equal(validBytes(buf), a.length);
  assert.equal(validBytes(Buffer.alloc(5)), 0);
});
