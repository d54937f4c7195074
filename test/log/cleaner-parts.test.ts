// The cleaner's building blocks: the bounded key → offset map, the I/O throttle, the retained-batch
// builder (KIP-534 delete horizon) and Kafka's summary formatting.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SkimpyOffsetMap } from '../../src/log/cleaner/offset-map';
import { Throttler } from '../../src/log/cleaner/throttler';
import { buildRetainedBatch, deleteHorizonOf } from '../../src/log/cleaner/retained-batch';
import { CleanerStats, formatCleanerStats, javaDecimal } from '../../src/log/cleaner/cleaner-stats';
import { nonActiveSegmentsFrom, segmentsInRange } from '../../src/log/cleaner/log-to-clean';
import type { LogSegment } from '../../src/log/log-segment';
import { BatchAttribute, decodeRecords, RecordBatchView } from '../../src/protocol/records';
import { buildRecordBatch } from '../../src/protocol/records/record-batch-builder';

test('the offset map keeps the latest offset per key, grows up to its memory and refuses more keys', () => {
  const map = new SkimpyOffsetMap({ memory: 24 * 50_000 });
  assert.equal(map.slots, 50_000);
  for (let round = 0; round < 3; round++) {
    for (let i = 0; i < 40_000; i++) map.put(Buffer.from(`key-${i}`), round * 40_000 + i);
  }
  assert.equal(map.size, 40_000);
  assert.equal(map.get(Buffer.from('key-0')), 80_000);
  assert.equal(map.get(Buffer.from('key-39999')), 119_999);
  assert.equal(map.get(Buffer.from('missing')), -1);
  assert.equal(map.latestOffset, 119_999);
  assert.equal(map.utilization, 0.8);
  map.updateLatestOffset(200_000);
  assert.equal(map.latestOffset, 200_000);

  const small = new SkimpyOffsetMap({ memory: 24 * 10 });
  for (let i = 0; i < 10; i++) small.put(Buffer.from(`k${i}`), i);
  assert.throws(() => small.put(Buffer.from('k0'), 99), /full offset map/);
  assert.equal(small.get(Buffer.from('absent')), -1, 'a lookup in a full map ends');
  small.clear();
  assert.deepEqual([small.size, small.latestOffset, small.get(Buffer.from('k1'))], [0, -1, -1]);
  assert.throws(() => new SkimpyOffsetMap({ memory: 10 }), RangeError);
});

test('the throttle sleeps so that the rate stays at the limit, and does nothing without one', async () => {
  let now = 0;
  const sleeps: number[] = [];
  const throttler = new Throttler({
    desiredRatePerSec: 1000,
    checkIntervalMs: 100,
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
  });
  await throttler.maybeThrottle(500);
  assert.deepEqual(sleeps, [], 'no complete period yet');
  now = 200;
  await throttler.maybeThrottle(500);
  // 1000 bytes at 1000 B/s take 1000 ms; 200 ms have passed.
  assert.deepEqual(sleeps, [800]);
  now += 500;
  await throttler.maybeThrottle(100);
  assert.deepEqual(sleeps, [800], '100 bytes in 500 ms is below the limit');

  const unlimited = new Throttler({ desiredRatePerSec: Number.MAX_VALUE, now: () => now, sleep: async () => assert.fail('no sleep') });
  now += 1000;
  await unlimited.maybeThrottle(1e12);
  assert.equal(unlimited.limited, false);
});

test('a retained batch keeps offsets, producer fields and codec; the delete horizon goes into baseTimestamp', async () => {
  const original = await buildRecordBatch(
    [
      { key: 'a', value: '1', timestamp: 1000 },
      { key: 'b', value: null, timestamp: 1005 },
      { key: 'c', value: '3', timestamp: 1010, headers: [{ key: 'h', value: Buffer.from('x') }] },
    ],
    { baseOffset: 100, partitionLeaderEpoch: 7, producerId: 55, producerEpoch: 2, baseSequence: 9, compression: 'lz4' },
  );
  const view = new RecordBatchView(original, 0);
  const records = await decodeRecords(view);
  const rebuilt = new RecordBatchView(await buildRetainedBatch(view, [records[1], records[2]], { deleteHorizonMs: 99_999 }), 0);
  assert.ok(rebuilt.isValid());
  assert.deepEqual(
    [rebuilt.baseOffset, rebuilt.lastOffset, rebuilt.recordsCount, rebuilt.partitionLeaderEpoch, rebuilt.producerId, rebuilt.producerEpoch, rebuilt.baseSequence, rebuilt.compression],
    [100, 102, 2, 7, 55, 2, 9, 3],
  );
  assert.equal(deleteHorizonOf(rebuilt), 99_999);
  assert.equal(rebuilt.attributes & BatchAttribute.deleteHorizon, BatchAttribute.deleteHorizon);
  assert.equal(rebuilt.maxTimestamp, 1010);
  const decoded = await decodeRecords(rebuilt);
  assert.deepEqual(
    decoded.map((r) => [r.offset, r.timestamp, r.key?.toString(), r.value?.toString() ?? null, r.headers.map((h) => h.key)]),
    [
      [101, 1005, 'b', null, []],
      [102, 1010, 'c', '3', ['h']],
    ],
  );
  assert.equal(deleteHorizonOf(view), undefined);

  const logAppendTime = new RecordBatchView(await buildRecordBatch([{ key: 'a', value: '1' }, { key: 'b', value: '2' }], { logAppendTime: 5000 }), 0);
  const kept = new RecordBatchView(await buildRetainedBatch(logAppendTime, [(await decodeRecords(logAppendTime))[1]]), 0);
  assert.deepEqual([kept.isLogAppendTime, kept.maxTimestamp, (await decodeRecords(kept))[0].timestamp], [true, 5000, 5000]);
});

test('the summary is formatted as Kafka formats it', () => {
  assert.equal(javaDecimal(1234567.891, { grouping: true }), '1,234,567.9');
  assert.equal(javaDecimal(0.05), '0.1');
  assert.equal(javaDecimal(Number.NaN), 'NaN');
  assert.equal(javaDecimal(1 / 0, { grouping: true }), 'Infinity');
  let t = 0;
  const stats = new CleanerStats(() => t);
  stats.readMessages(2000, 2 * 1024 * 1024);
  stats.indexBytesRead(1024 * 1024);
  stats.recopyMessages(500, 512 * 1024);
  t = 1000;
  stats.indexDone();
  t = 4000;
  stats.allDone();
  stats.bufferUtilization = 0.25;
  assert.equal(
    formatCleanerStats(stats, { threadId: 1, name: 't-0', from: 10, to: 2010 }),
    '\n\tLog cleaner thread 1 cleaned log t-0 (dirty section = [10, 2010])\n' +
      '\t2.0 MB of log processed in 4.0 seconds (0.5 MB/sec).\n' +
      '\tIndexed 1.0 MB in 1.0 seconds (1.0 Mb/sec, 25.0% of total time)\n' +
      '\tBuffer utilization: 25.0%\n' +
      '\tCleaned 2.0 MB in 3.0 seconds (0.7 Mb/sec, 75.0% of total time)\n' +
      '\tStart size: 2.0 MB (2,000 messages)\n' +
      '\tEnd size: 0.5 MB (500 messages)\n' +
      '\t75.0% size reduction (75.0% fewer messages)\n',
  );
});

test("segment ranges follow Kafka's logSegments(from, to) and nonActiveLogSegmentsFrom", () => {
  const segments = [0, 100, 200, 300].map((baseOffset) => ({ baseOffset }) as LogSegment);
  const bases = (list: LogSegment[]) => list.map((s) => s.baseOffset);
  assert.deepEqual(bases(segmentsInRange(segments, { from: 150, to: 300 })), [100, 200], 'from the segment holding `from`');
  assert.deepEqual(bases(segmentsInRange(segments, { from: -1, to: 100 })), [0]);
  assert.deepEqual(bases(segmentsInRange(segments, { from: 0, to: 301 })), [0, 100, 200, 300]);
  assert.deepEqual(bases(segmentsInRange(segments, { from: 200, to: 200 })), []);
  assert.deepEqual(bases(nonActiveSegmentsFrom(segments, 120)), [100, 200], 'never the active segment');
  assert.deepEqual(bases(nonActiveSegmentsFrom(segments, 350)), []);
});
