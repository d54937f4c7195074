// checkCompressedRecords: the produce-path check that compressed client batches decompress and hold the
// records their header announces (the fuzz test found garbage gzip/snappy/lz4/zstd payloads accepted).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BatchField,
  buildRecordBatch,
  checkCompressedRecords,
  RecordsErrorCode,
  updateCrc,
} from '../../../src/protocol/records';

const records = [{ key: Buffer.from('k'), value: Buffer.alloc(300, 7) }, { value: Buffer.from('second') }];

for (const compression of ['gzip', 'snappy', 'lz4', 'zstd'] as const) {
  test(`a sound ${compression} batch passes`, async () => {
    assert.equal(await checkCompressedRecords(await buildRecordBatch(records, { compression })), undefined);
  });

  test(`a ${compression} batch whose payload is garbage is CORRUPT_MESSAGE`, async () => {
    const b = await buildRecordBatch(records, { compression });
    b.fill(0x5a, BatchField.records);
    updateCrc(b, 0);
    const failure = await checkCompressedRecords(b, { topicPartition: 't-0' });
    assert.equal(failure?.errorCode, RecordsErrorCode.CORRUPT_MESSAGE);
    assert.match(failure!.message, /in topic partition t-0 does not decompress/);
  });
}

test('a batch claiming another codec than its payload uses is CORRUPT_MESSAGE', async () => {
  const b = await buildRecordBatch(records, { compression: 'gzip' });
  b.writeInt16BE(3, BatchField.attributes); // lz4
  updateCrc(b, 0);
  assert.equal((await checkCompressedRecords(b))?.errorCode, RecordsErrorCode.CORRUPT_MESSAGE);
});

test('a compressed batch whose count disagrees with its records is INVALID_RECORD', async () => {
  for (const count of [1, 3, 1_000_000]) {
    const b = await buildRecordBatch(records, { compression: 'gzip' });
    b.writeInt32BE(count, BatchField.recordsCount);
    updateCrc(b, 0);
    const failure = await checkCompressedRecords(b);
    assert.equal(failure?.errorCode, RecordsErrorCode.INVALID_RECORD, `count ${count}`);
  }
});

test('uncompressed, truncated and unknown-codec batches are left to validateRecords', async () => {
  const plain = await buildRecordBatch(records);
  plain.fill(0xff, BatchField.records);
  assert.equal(await checkCompressedRecords(plain), undefined);
  const gz = await buildRecordBatch(records, { compression: 'gzip' });
  assert.equal(await checkCompressedRecords(gz.subarray(0, gz.length - 5)), undefined);
  gz.writeInt16BE(6, BatchField.attributes);
  assert.equal(await checkCompressedRecords(gz), undefined);
  assert.equal(await checkCompressedRecords(Buffer.alloc(10)), undefined);
});

for (const compression of ['gzip', 'lz4'] as const) {
  test(`a ${compression} batch inflating past the bound is CORRUPT_MESSAGE (decompression bomb)`, async () => {
    const b = await buildRecordBatch([{ value: Buffer.alloc(64 * 1024) }], { compression });
    assert.ok(b.length < 4096, 'zeros compress well');
    const failure = await checkCompressedRecords(b, { maxDecompressedBytes: 32 * 1024 });
    assert.equal(failure?.errorCode, RecordsErrorCode.CORRUPT_MESSAGE);
    assert.match(failure!.message, /more than 32768/);
    assert.equal(await checkCompressedRecords(b, { maxDecompressedBytes: 128 * 1024 }), undefined);
  });
}

test('on a compacted topic, records without a key are INVALID_RECORD, one record error each', async () => {
  const b = await buildRecordBatch([{ value: 'a' }, { key: 'k', value: 'b' }, { value: 'c' }], { compression: 'lz4' });
  assert.equal(await checkCompressedRecords(b), undefined, 'keys do not matter elsewhere');
  const failure = await checkCompressedRecords(b, { topicPartition: 't-0', compacted: true });
  const message = 'Compacted topic cannot accept message without key in topic partition t-0.';
  assert.deepEqual(failure, {
    ok: false,
    errorCode: RecordsErrorCode.INVALID_RECORD,
    message,
    recordErrors: [
      { batchIndex: 0, message },
      { batchIndex: 2, message },
    ],
  });
  assert.equal(await checkCompressedRecords(await buildRecordBatch([{ key: 'k', value: 'v' }], { compression: 'lz4' }), { compacted: true }), undefined);
});
