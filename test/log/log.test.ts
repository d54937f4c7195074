import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { CorruptRecordError, InvalidRecordError, OffsetOutOfRangeError, RecordBatchTooLargeError, RecordTooLargeError } from '../../src/common/kafka-error';
import { Log, type LogAppendInfo } from '../../src/log/log';
import type { LogConfig } from '../../src/log/log-config';
import { recordErrorsOf } from '../../src/log/log-errors';
import { batches, decodeRecords, RecordBatchView } from '../../src/protocol/records';
import { batch, CapturingLogger, Clock, config, ManualScheduler, tempDir } from './helpers';

const opened: Log[] = [];

/** Closes every log a test opened (so no file handle is left to the garbage collector). */
async function closeAll(): Promise<void> {
  for (const log of opened.splice(0)) await log.close();
}

async function openLog(dir: string, overrides: Partial<LogConfig> = {}, clock = new Clock()) {
  const scheduler = new ManualScheduler();
  const logger = new CapturingLogger();
  const partitionDir = path.join(dir, 'topic-0');
  const { mkdir } = await import('node:fs/promises');
  await mkdir(partitionDir, { recursive: true });
  const log = await Log.load({
    topic: 'topic',
    partition: 0,
    dir: partitionDir,
    config: config(overrides),
    logger,
    scheduler,
    now: clock.now,
    hadCleanShutdown: true,
  });
  opened.push(log);
  return { log, scheduler, logger, clock, partitionDir };
}

/** Appends `n` batches of `perBatch` records; returns the append infos. */
async function fill(log: Log, n: number, opts: { perBatch?: number; valueSize?: number; timestamp?: (i: number) => number } = {}) {
  const infos: LogAppendInfo[] = [];
  for (let i = 0; i < n; i++) {
    infos.push(await log.appendAsLeader(await batch(opts.perBatch ?? 1, { valueSize: opts.valueSize, timestamp: opts.timestamp?.(i) }), { leaderEpoch: 0 }));
  }
  return infos;
}

async function readAll(log: Log, from: number, maxBytes = 1 << 20) {
  const r = await log.read(from, { maxBytes, minOneMessage: true });
  return r.records.flatMap((buf) => [...batches(buf)]);
}

test('appends take dense offsets from the log end offset and are readable', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const { log, partitionDir } = await openLog(dir);
    const seen: LogAppendInfo[] = [];
    log.on('append', (info: LogAppendInfo) => seen.push(info));
    const a = await log.appendAsLeader(await batch(3), { leaderEpoch: 5 });
    const b = await log.appendAsLeader(await batch(2, { compression: 'gzip' }), { leaderEpoch: 5 });
    assert.deepEqual([a.firstOffset, a.lastOffset, a.recordCount, a.logAppendTime], [0, 2, 3, -1]);
    assert.deepEqual([b.firstOffset, b.lastOffset], [3, 4]);
    assert.equal(log.logEndOffset, 5);
    assert.equal(seen.length, 2);
    const views = await readAll(log, 0);
    assert.deepEqual(views.map((v) => [v.baseOffset, v.lastOffset, v.partitionLeaderEpoch, v.isValid()]), [
      [0, 2, 5, true],
      [3, 4, 5, true],
    ]);
    assert.deepEqual(await readdir(partitionDir), [
      '00000000000000000000.index',
      '00000000000000000000.log',
      '00000000000000000000.timeindex',
      'leader-epoch-checkpoint',
    ]);
    assert.equal((await stat(path.join(partitionDir, '00000000000000000000.log'))).size, log.size);
  } finally {
    await closeAll();
    await cleanup();
  }
});

test('invalid appends throw typed Kafka errors and leave the log unchanged', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const { log } = await openLog(dir, { maxMessageBytes: 500, segmentBytes: 1000 });
    const corrupt = await batch(1);
    corrupt[corrupt.length - 1] ^= 1;
    await assert.rejects(log.appendAsLeader(corrupt, { leaderEpoch: 0 }), CorruptRecordError);
    await assert.rejects(log.appendAsLeader(await batch(1, { valueSize: 600 }), { leaderEpoch: 0 }), RecordTooLargeError);
    const control = await batch(1);
    control[21 + 1] |= 0x20;
    const { updateCrc } = await import('../../src/protocol/records');
    updateCrc(control, 0);
    await assert.rejects(log.appendAsLeader(control, { leaderEpoch: 0 }), InvalidRecordError);
    assert.equal(log.logEndOffset, 0);
    assert.equal(log.size, 0);

    const { log: tight } = await openLog(path.join(dir, 'x'), { messageTimestampBeforeMaxMs: 1000 });
    const err = await tight.appendAsLeader(await batch(2, { timestamp: 1 }), { leaderEpoch: 0 }).catch((e: unknown) => e);
    assert.equal((err as { code: number }).code, 32);
    assert.deepEqual(recordErrorsOf(err).map((r) => r.batchIndex), [0, 1]);

    const { log: small } = await openLog(path.join(dir, 'y'), { segmentBytes: 100 });
    await assert.rejects(small.appendAsLeader(await batch(1, { valueSize: 200 }), { leaderEpoch: 0 }), RecordBatchTooLargeError);
  } finally {
    await closeAll();
    await cleanup();
  }
});

test('LogAppendTime topics stamp the broker time into the batch with a valid CRC', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const clock = new Clock(5_000_000);
    const { log } = await openLog(dir, { messageTimestampType: 'LogAppendTime' }, clock);
    const info = await log.appendAsLeader(await batch(2, { timestamp: 1000 }), { leaderEpoch: 1 });
    assert.equal(info.logAppendTime, 5_000_000);
    const [view] = await readAll(log, 0);
    assert.equal(view.isLogAppendTime, true);
    assert.equal(view.maxTimestamp, 5_000_000);
    assert.ok(view.isValid());
    assert.deepEqual((await decodeRecords(new RecordBatchView(Buffer.from(view.bytes()), 0))).map((r) => r.timestamp), [5_000_000, 5_000_000]);
  } finally {
    await closeAll();
    await cleanup();
  }
});

test('a topic compression.type other than producer re-encodes the batch with that codec', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const { log } = await openLog(dir, { compressionType: 'gzip' });
    await log.appendAsLeader(await batch(3, { timestamp: 1234 }), { leaderEpoch: 0 });
    const { log: plain } = await openLog(path.join(dir, 'p'), { compressionType: 'uncompressed' });
    await plain.appendAsLeader(await batch(2, { compression: 'lz4', timestamp: 99 }), { leaderEpoch: 0 });
    const { log: keep } = await openLog(path.join(dir, 'k'), { compressionType: 'producer' });
    await keep.appendAsLeader(await batch(2, { compression: 'snappy' }), { leaderEpoch: 0 });
    const [gz] = await readAll(log, 0);
    const [none] = await readAll(plain, 0);
    const [snappy] = await readAll(keep, 0);
    assert.deepEqual([gz.compression, none.compression, snappy.compression], [1, 0, 2]);
    assert.ok(gz.isValid() && none.isValid());
    const records = await decodeRecords(new RecordBatchView(Buffer.from(gz.bytes()), 0));
    assert.deepEqual(records.map((r) => [r.offset, r.key?.toString(), r.timestamp]), [
      [0, 'k0', 1234],
      [1, 'k1', 1234],
      [2, 'k2', 1234],
    ]);
    assert.equal((await decodeRecords(new RecordBatchView(Buffer.from(none.bytes()), 0)))[1].timestamp, 99);
  } finally {
    await closeAll();
    await cleanup();
  }
});

test('segments roll by size, and reads at any offset find the batch holding it through the index', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    // ~150-byte batches, 1000-byte segments, an index entry every 200 bytes.
    const { log, partitionDir } = await openLog(dir, { segmentBytes: 1000, indexIntervalBytes: 200 });
    await fill(log, 40, { perBatch: 2, valueSize: 30 });
    assert.equal(log.logEndOffset, 80);
    const segments = log.logSegments();
    assert.ok(segments.length >= 6, `expected several segments, got ${segments.length}`);
    for (const s of segments) assert.ok(s.size <= 1000);
    for (let i = 1; i < segments.length; i++) assert.ok(segments[i].offsetIndex.entries > 0 || segments[i].size < 400);
    const names = (await readdir(partitionDir)).filter((n) => n.endsWith('.log'));
    assert.deepEqual(names, segments.map((s) => `${String(s.baseOffset).padStart(20, '0')}.log`));
    for (let offset = 0; offset < 80; offset++) {
      const r = await log.read(offset, { maxBytes: 1, minOneMessage: true });
      const [first] = [...batches(r.records[0])];
      assert.ok(first.baseOffset <= offset && offset <= first.lastOffset, `offset ${offset} in batch [${first.baseOffset}, ${first.lastOffset}]`);
      assert.equal(r.firstOffset, first.baseOffset);
    }
  } finally {
    await closeAll();
    await cleanup();
  }
});

test('segments roll by time (segment.ms from the first batch timestamp) with an injected clock', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const clock = new Clock(1_000_000);
    const { log } = await openLog(dir, { segmentMs: 1000 }, clock);
    await log.appendAsLeader(await batch(1, { timestamp: clock.ms }), { leaderEpoch: 0 });
    clock.ms += 600;
    await log.appendAsLeader(await batch(1, { timestamp: clock.ms }), { leaderEpoch: 0 });
    assert.equal(log.numberOfSegments, 1);
    clock.ms += 600;
    await log.appendAsLeader(await batch(1, { timestamp: clock.ms }), { leaderEpoch: 0 });
    assert.deepEqual(log.logSegments().map((s) => s.baseOffset), [0, 2]);
    // The rolled segment's time index ends with its largest timestamp.
    assert.deepEqual(log.logSegments()[0].timeIndex.lastEntry, { timestamp: 1_000_600, offset: 1 });
  } finally {
    await closeAll();
    await cleanup();
  }
});

test('read honours maxBytes, minOneMessage and maxOffset, returning whole batches only', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const { log } = await openLog(dir);
    await fill(log, 10, { perBatch: 3, valueSize: 50 });
    const size = (await readAll(log, 0, 1))[0].sizeInBytes;
    const two = await log.read(0, { maxBytes: size * 2 + size / 2, minOneMessage: false });
    assert.deepEqual([...batches(two.records[0])].map((b) => b.baseOffset), [0, 3]);
    assert.equal(two.nextOffset, 6);
    const none = await log.read(0, { maxBytes: size - 1, minOneMessage: false });
    assert.deepEqual(none.records, []);
    const one = await log.read(0, { maxBytes: 1, minOneMessage: true });
    assert.equal(one.records[0].length, size);
    const bounded = await log.read(4, { maxBytes: 1 << 20, maxOffset: 12, minOneMessage: true });
    assert.deepEqual([...batches(bounded.records[0])].map((b) => b.baseOffset), [3, 6, 9]);
    assert.equal(bounded.firstOffset, 3);
    const invisible = await log.read(12, { maxBytes: 1 << 20, maxOffset: 12, minOneMessage: true });
    assert.deepEqual(invisible.records, []);
    const atEnd = await log.read(30, { maxBytes: 100, minOneMessage: true });
    assert.deepEqual(atEnd.records, []);
    await assert.rejects(log.read(31, { maxBytes: 100, minOneMessage: true }), OffsetOutOfRangeError);
    await assert.rejects(log.read(-1, { maxBytes: 100, minOneMessage: true }), OffsetOutOfRangeError);
  } finally {
    await closeAll();
    await cleanup();
  }
});

test('ListOffsets: earliest, latest, by timestamp (time index + scan) and max timestamp', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const { log } = await openLog(dir, { segmentBytes: 600, indexIntervalBytes: 100 });
    // Timestamps rise by 100 per batch, except batch 7 which carries the overall max.
    const ts = (i: number) => (i === 7 ? 10_000 + 5_000 : 10_000 + i * 100);
    await fill(log, 20, { perBatch: 2, valueSize: 20, timestamp: ts });
    assert.ok(log.numberOfSegments > 3);
    assert.deepEqual(await log.fetchOffsetByTimestamp(-2), { offset: 0, timestamp: -1, leaderEpoch: 0 });
    assert.deepEqual(await log.fetchOffsetByTimestamp(-1), { offset: 40, timestamp: -1, leaderEpoch: 0 });
    assert.deepEqual(await log.fetchOffsetByTimestamp(-3), { offset: 14, timestamp: 15_000, leaderEpoch: 0 });
    assert.deepEqual(await log.fetchOffsetByTimestamp(10_000), { offset: 0, timestamp: 10_000, leaderEpoch: 0 });
    assert.deepEqual(await log.fetchOffsetByTimestamp(10_250), { offset: 6, timestamp: 10_300, leaderEpoch: 0 });
    assert.deepEqual(await log.fetchOffsetByTimestamp(11_500), { offset: 14, timestamp: 15_000, leaderEpoch: 0 });
    assert.deepEqual(await log.fetchOffsetByTimestamp(11_800), { offset: 14, timestamp: 15_000, leaderEpoch: 0 });
    assert.equal(await log.fetchOffsetByTimestamp(20_000), null);
    for (let i = 8; i < 20; i++) {
      const found = await log.fetchOffsetByTimestamp(ts(i) - 50);
      assert.ok(found && found.timestamp >= ts(i) - 50, `search for ${ts(i) - 50}`);
    }
  } finally {
    await closeAll();
    await cleanup();
  }
});

test('retention by time deletes old segments, moves the log start offset and removes the files', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const clock = new Clock(1_000_000);
    const { log, scheduler, partitionDir } = await openLog(dir, { segmentBytes: 400, retentionMs: 10_000 }, clock);
    await fill(log, 6, { valueSize: 100, timestamp: () => clock.ms - 60_000 });
    await fill(log, 6, { valueSize: 100, timestamp: () => clock.ms });
    log.highWatermark = log.logEndOffset;
    const before = log.logSegments().map((s) => s.baseOffset);
    assert.ok(before.length >= 4);
    const deleted = await log.deleteOldSegments();
    assert.ok(deleted > 0);
    const remaining = log.logSegments();
    assert.equal(log.logStartOffset, remaining[0].baseOffset);
    assert.ok(log.logStartOffset > 0 && log.logStartOffset <= 6);
    assert.ok((await readdir(partitionDir)).some((n) => n.endsWith('.log.deleted')));
    await scheduler.runAll('delete-file');
    const files = await readdir(partitionDir);
    assert.ok(!files.some((n) => n.endsWith('.deleted')));
    assert.equal(files.filter((n) => n.endsWith('.log')).length, remaining.length);
    await assert.rejects(log.read(0, { maxBytes: 100, minOneMessage: true }), OffsetOutOfRangeError);

    // Everything expired: the active segment is rolled first, so an empty active segment remains.
    clock.ms += 100_000;
    await log.deleteOldSegments();
    assert.equal(log.numberOfSegments, 1);
    assert.equal(log.logSegments()[0].size, 0);
    assert.equal(log.logStartOffset, 12);
    assert.equal(log.logEndOffset, 12);
  } finally {
    await closeAll();
    await cleanup();
  }
});

test('retention by size keeps at most retention.bytes and only deletes below the high watermark', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const { log } = await openLog(dir, { segmentBytes: 500, retentionBytes: 1200, retentionMs: -1 });
    await fill(log, 20, { valueSize: 100 });
    log.highWatermark = 0;
    assert.equal(await log.deleteOldSegments(), 0, 'nothing goes while the high watermark is at 0');
    log.highWatermark = log.logEndOffset;
    const sizeBefore = log.size;
    const deleted = await log.deleteOldSegments();
    assert.ok(deleted > 0);
    assert.ok(log.size <= sizeBefore && log.size >= 1200 - 500, `size ${log.size}`);
    assert.ok(log.size - 1200 < log.logSegments()[0].size, 'no further whole segment could go');
    assert.equal(log.logStartOffset, log.logSegments()[0].baseOffset);
  } finally {
    await closeAll();
    await cleanup();
  }
});

test('DeleteRecords moves the log start offset and retention then drops whole segments below it', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const { log } = await openLog(dir, { segmentBytes: 400, retentionMs: -1 });
    await fill(log, 10, { valueSize: 100 });
    log.highWatermark = 8;
    await assert.rejects(log.maybeIncrementLogStartOffset(9), OffsetOutOfRangeError);
    await log.maybeIncrementLogStartOffset(5);
    assert.equal(log.logStartOffset, 5);
    await assert.rejects(log.read(4, { maxBytes: 100, minOneMessage: true }), OffsetOutOfRangeError);
    assert.equal((await log.read(5, { maxBytes: 100, minOneMessage: true })).firstOffset, 5);
    await log.deleteOldSegments();
    assert.ok(log.logSegments()[0].baseOffset <= 5);
    assert.equal(log.logStartOffset, 5);
  } finally {
    await closeAll();
    await cleanup();
  }
});

test('truncateTo removes later segments and batches; appends continue from the new end', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const { log } = await openLog(dir, { segmentBytes: 400 });
    await fill(log, 12, { valueSize: 100 });
    log.highWatermark = 12;
    const segmentsBefore = log.numberOfSegments;
    assert.equal(await log.truncateTo(5), true);
    assert.equal(log.logEndOffset, 5);
    assert.equal(log.highWatermark, 5);
    assert.ok(log.numberOfSegments < segmentsBefore);
    assert.equal(await log.truncateTo(7), false);
    const info = await log.appendAsLeader(await batch(1), { leaderEpoch: 2 });
    assert.equal(info.firstOffset, 5);
    for (const offset of [4, 5]) {
      const [view] = await readAll(log, offset);
      assert.equal(view.baseOffset, offset);
      assert.equal(view.partitionLeaderEpoch, offset === 5 ? 2 : 0);
    }
    assert.deepEqual((await log.read(6, { maxBytes: 100, minOneMessage: true })).records, []);
    await assert.rejects(log.read(7, { maxBytes: 100, minOneMessage: true }), OffsetOutOfRangeError);
    await log.truncateFullyAndStartAt(100);
    assert.deepEqual([log.logStartOffset, log.logEndOffset, log.numberOfSegments], [100, 100, 1]);
    assert.equal((await log.appendAsLeader(await batch(1), { leaderEpoch: 2 })).firstOffset, 100);
  } finally {
    await closeAll();
    await cleanup();
  }
});

test('follower appends keep the leader offsets and drop a trailing partial batch', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const { log } = await openLog(dir);
    const { buildRecordBatch } = await import('../../src/protocol/records');
    const a = await buildRecordBatch([{ value: 'a' }, { value: 'b' }], { baseOffset: 0, partitionLeaderEpoch: 3 });
    const b = await buildRecordBatch([{ value: 'c' }], { baseOffset: 2, partitionLeaderEpoch: 4 });
    const info = await log.appendAsFollower(Buffer.concat([a, b, b.subarray(0, 20)]));
    assert.deepEqual([info.firstOffset, info.lastOffset, info.validBytes], [0, 2, a.length + b.length]);
    assert.equal(log.logEndOffset, 3);
    assert.deepEqual(await log.fetchOffsetByTimestamp(-1), { offset: 3, timestamp: -1, leaderEpoch: 4 });
    await assert.rejects(log.appendAsFollower(b), /Unexpected offset in append/);
  } finally {
    await closeAll();
    await cleanup();
  }
});

test('many appends without awaiting, with reads in between, keep their order and dense offsets', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const { log } = await openLog(dir, { segmentBytes: 2000, indexIntervalBytes: 300 });
    const pending: Promise<LogAppendInfo>[] = [];
    const reads: Promise<unknown>[] = [];
    for (let i = 0; i < 200; i++) {
      pending.push(log.appendAsLeader(await batch(1 + (i % 3), { prefix: `b${i}-` }), { leaderEpoch: 0 }));
      if (i % 10 === 0) reads.push(log.read(Math.floor(log.logEndOffset / 2), { maxBytes: 500, minOneMessage: true }));
    }
    const infos = await Promise.all(pending);
    await Promise.all(reads);
    let next = 0;
    infos.forEach((info, i) => {
      assert.equal(info.firstOffset, next, `append ${i}`);
      assert.equal(info.lastOffset - info.firstOffset + 1, 1 + (i % 3));
      next = info.lastOffset + 1;
    });
    assert.equal(log.logEndOffset, next);
    assert.ok(log.numberOfSegments > 3);
    let expected = 0;
    let batchNo = 0;
    for (let offset = 0; offset < next; ) {
      const r = await log.read(offset, { maxBytes: 1 << 20, minOneMessage: true });
      for (const buf of r.records) {
        for (const v of batches(buf)) {
          assert.equal(v.baseOffset, expected);
          const records = await decodeRecords(new RecordBatchView(Buffer.from(v.bytes()), 0));
          assert.equal(records[0].key?.toString(), `b${batchNo}-0`);
          expected = v.nextOffset;
          batchNo++;
        }
      }
      offset = r.nextOffset;
    }
    assert.equal(expected, next);
  } finally {
    await closeAll();
    await cleanup();
  }
});

test('flush.messages flushes and moves the recovery point; close makes the log unusable', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const { log } = await openLog(dir, { flushMessages: 3 });
    await fill(log, 2);
    assert.equal(log.recoveryPoint, 0);
    await fill(log, 1);
    assert.equal(log.recoveryPoint, 3);
    await log.close();
    await assert.rejects(log.appendAsLeader(await batch(1), { leaderEpoch: 0 }), { name: 'KafkaStorageError' });
  } finally {
    await closeAll();
    await cleanup();
  }
});
