// The log cleaner on real segment files: one record per key after cleaning, offsets unchanged, readers
// and ListOffsets by time still right, tombstones and the KIP-534 delete horizon, min.compaction.lag.ms,
// the active segment, compressed batches, keyless records, the leader epoch cache and a reload.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { Log } from '../../src/log/log';
import type { LogConfig } from '../../src/log/log-config';
import { Cleaner, groupSegmentsBySize } from '../../src/log/cleaner/cleaner';
import { LogCleanerManager } from '../../src/log/cleaner/log-cleaner-manager';
import { logToClean } from '../../src/log/cleaner/log-to-clean';
import { SkimpyOffsetMap } from '../../src/log/cleaner/offset-map';
import { Throttler } from '../../src/log/cleaner/throttler';
import { BatchAttribute, batches, type CompressionName, decodeRecords } from '../../src/protocol/records';
import { buildRecordBatch } from '../../src/protocol/records/record-batch-builder';
import { CapturingLogger, Clock, config, ManualScheduler, tempDir } from './helpers';

interface Fixture {
  log: Log;
  clock: Clock;
  logger: CapturingLogger;
  scheduler: ManualScheduler;
  dir: string;
  partitionDir: string;
}

async function openLog(dir: string, overrides: Partial<LogConfig>, clock = new Clock()): Promise<Fixture> {
  const partitionDir = path.join(dir, 't-0');
  await mkdir(partitionDir, { recursive: true });
  const logger = new CapturingLogger();
  const scheduler = new ManualScheduler();
  const log = await Log.load({
    topic: 't',
    partition: 0,
    dir: partitionDir,
    config: config({ cleanupPolicy: ['compact'], ...overrides }),
    logger,
    scheduler,
    now: clock.now,
    hadCleanShutdown: true,
  });
  return { log, clock, logger, scheduler, dir, partitionDir };
}

function newCleaner(clock: Clock, logger: CapturingLogger, opts: { memory?: number } = {}): Cleaner {
  return new Cleaner({
    id: 0,
    offsetMap: new SkimpyOffsetMap({ memory: opts.memory ?? 1024 * 1024 }),
    ioBufferSize: 8 * 1024,
    dupBufferLoadFactor: 0.9,
    throttler: new Throttler({ desiredRatePerSec: Number.MAX_VALUE, now: clock.now, sleep: async () => undefined }),
    now: clock.now,
    logger,
    checkDone: () => undefined,
  });
}

/** Cleans the log as the cleaner thread would: from the checkpoint (or `firstDirtyOffset`) to the active segment. */
async function cleanLog(f: Fixture, opts: { firstDirtyOffset?: number; cleaner?: Cleaner } = {}) {
  f.log.highWatermark = f.log.logEndOffset;
  const segments = f.log.logSegments();
  const ltc = logToClean(f.log, {
    firstDirtyOffset: opts.firstDirtyOffset ?? f.log.logStartOffset,
    uncleanableOffset: segments[segments.length - 1].baseOffset,
    needCompactionNow: false,
    segments,
  });
  const result = await (opts.cleaner ?? newCleaner(f.clock, f.logger)).clean(ltc);
  await f.scheduler.runAll('delete-file');
  return result;
}

/** Appends one batch of keyed records (value null = tombstone); returns the offsets assigned. */
async function append(
  log: Log,
  records: { key: string | null; value: string | null; timestamp?: number }[],
  opts: { compression?: CompressionName; epoch?: number; origin?: 'client' | 'coordinator' } = {},
): Promise<number[]> {
  const batch = await buildRecordBatch(records, { compression: opts.compression, now: 1_700_000_000_000 });
  const info = await log.appendAsLeader(batch, { leaderEpoch: opts.epoch ?? 0, origin: opts.origin });
  return records.map((_, i) => info.firstOffset + i);
}

async function readAll(log: Log): Promise<{ offset: number; key: string | null; value: string | null; timestamp: number }[]> {
  const out: { offset: number; key: string | null; value: string | null; timestamp: number }[] = [];
  let offset = log.logStartOffset;
  while (offset < log.logEndOffset) {
    const r = await log.read(offset, { maxBytes: 1 << 20, minOneMessage: true });
    if (r.records.length === 0) break;
    for (const buf of r.records) {
      for (const b of batches(buf)) {
        assert.ok(b.isValid(), `batch at ${b.baseOffset} has a valid CRC`);
        for (const rec of await decodeRecords(b)) {
          out.push({ offset: rec.offset, key: rec.key?.toString() ?? null, value: rec.value?.toString() ?? null, timestamp: rec.timestamp });
        }
        offset = b.nextOffset;
      }
    }
  }
  return out;
}

/** 10 keys × `rounds` updates, one record per batch, timestamps increasing; returns the last offset of each key. */
async function fillUpdates(log: Log, rounds: number, opts: { compression?: CompressionName; perBatch?: number } = {}) {
  const last = new Map<string, { offset: number; value: string }>();
  const perBatch = opts.perBatch ?? 1;
  let ts = 1_700_000_000_000;
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < 10; k += perBatch) {
      const records = Array.from({ length: perBatch }, (_, j) => ({ key: `key-${k + j}`, value: `value-${k + j}-${round}`, timestamp: ts++ }));
      const offsets = await append(log, records, { compression: opts.compression });
      records.forEach((r, j) => last.set(r.key, { offset: offsets[j], value: r.value }));
    }
  }
  return last;
}

test('many updates per key are cleaned to one record per key with unchanged offsets; readers and ListOffsets still work', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const f = await openLog(dir, { segmentBytes: 2048 });
    const last = await fillUpdates(f.log, 30);
    const before = await readAll(f.log);
    await f.log.roll();
    const leo = f.log.logEndOffset;
    const segmentsBefore = f.log.numberOfSegments;
    assert.ok(segmentsBefore > 5, `the updates span several segments (${segmentsBefore})`);

    const { endOffset, stats } = await cleanLog(f);
    assert.equal(endOffset, leo, 'everything below the active segment was cleaned');
    assert.equal(stats.messagesRead, 300);
    assert.equal(stats.messagesWritten, 10);

    const after = await readAll(f.log);
    assert.deepEqual(
      after.map((r) => [r.offset, r.key, r.value]),
      [...last.entries()].sort((a, b) => a[1].offset - b[1].offset).map(([k, v]) => [v.offset, k, v.value]),
    );
    assert.equal(f.log.logEndOffset, leo);
    assert.equal(f.log.logStartOffset, 0);
    assert.equal(f.log.numberOfSegments, segmentsBefore, 'one cleaned segment per full segment');

    // A fetch at an offset whose record was removed gets the next surviving batch.
    const firstSurvivor = after[0].offset;
    const read = await f.log.read(5, { maxBytes: 1 << 20, minOneMessage: true });
    assert.equal([...batches(read.records[0])][0].baseOffset, firstSurvivor);
    // ListOffsets by time: the first surviving record at or after the timestamp.
    const ts = before.find((r) => r.offset === 150)!.timestamp;
    const found = await f.log.fetchOffsetByTimestamp(ts);
    const expected = after.find((r) => r.timestamp >= ts)!;
    assert.deepEqual([found?.offset, found?.timestamp], [expected.offset, expected.timestamp]);
    const max = await f.log.fetchOffsetByTimestamp(-3);
    assert.equal(max?.offset, after.at(-1)!.offset);

    const names = await readdir(f.partitionDir);
    assert.ok(!names.some((n) => /\.(cleaned|swap|deleted)$/.test(n)), `no temporary files left: ${names.join(' ')}`);
    assert.match(f.logger.lines.join('\n'), /Cleaner 0: Beginning cleaning of log t-0/);
    assert.match(f.logger.lines.join('\n'), /Cleaner 0: Swapping in cleaned segment LogSegment\(baseOffset=0, /);

    // The next cleaning merges the small cleaned segments (groups fit one segment.bytes).
    const [extra] = await append(f.log, [{ key: 'key-0', value: 'newer' }]);
    await f.log.roll();
    await cleanLog(f, { firstDirtyOffset: endOffset });
    assert.equal(f.log.numberOfSegments, 2, 'one merged cleaned segment and the active one');
    const merged = await readAll(f.log);
    assert.deepEqual(merged, [...after.filter((r) => r.key !== 'key-0'), { ...merged.at(-1)!, offset: extra }]);
    assert.equal(merged.at(-1)?.value, 'newer');

    // The cleaned segments and their indexes survive a reload, and the log keeps accepting appends.
    await f.log.close();
    const g = await openLog(dir, { segmentBytes: 2048 });
    assert.deepEqual(await readAll(g.log), merged);
    assert.equal(g.log.logEndOffset, leo + 1);
    await append(g.log, [{ key: 'key-0', value: 'again' }]);
    assert.equal((await readAll(g.log)).at(-1)?.value, 'again');
    await g.log.close();
  } finally {
    await cleanup();
  }
});

test('the active segment is never cleaned and records above the map stay', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const f = await openLog(dir, { segmentBytes: 1024 });
    await fillUpdates(f.log, 10);
    await f.log.roll();
    const activeOffsets = await append(f.log, [
      { key: 'key-1', value: 'a' },
      { key: 'key-1', value: 'b' },
    ]);
    const active = f.log.logSegments().at(-1)!;
    const activeSize = active.size;
    await cleanLog(f);
    assert.equal(f.log.logSegments().at(-1), active, 'the same active segment object');
    assert.equal(active.size, activeSize);
    const after = await readAll(f.log);
    assert.deepEqual(
      after.filter((r) => r.offset >= activeOffsets[0]).map((r) => r.value),
      ['a', 'b'],
      'both updates in the active segment are still there',
    );
    assert.equal(after.filter((r) => r.key === 'key-1').length, 3, 'the cleaned section keeps key-1 once, the active segment twice');
    await f.log.close();
  } finally {
    await cleanup();
  }
});

test('tombstones are kept until delete.retention.ms after their first cleaning (KIP-534 delete horizon)', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const f = await openLog(dir, { segmentBytes: 1024, deleteRetentionMs: 60_000 });
    await fillUpdates(f.log, 5);
    const [tombstone] = await append(f.log, [{ key: 'key-3', value: null }]);
    await f.log.roll();
    const cleanTime = f.clock.ms;
    const first = await cleanLog(f);
    let records = await readAll(f.log);
    assert.deepEqual(
      records.filter((r) => r.key === 'key-3').map((r) => [r.offset, r.value]),
      [[tombstone, null]],
      'only the tombstone is left of key-3',
    );
    // The tombstone's batch carries the delete horizon in its base timestamp.
    const read = await f.log.read(tombstone, { maxBytes: 1 << 20, minOneMessage: true });
    const view = [...batches(read.records[0])][0];
    assert.equal(view.attributes & BatchAttribute.deleteHorizon, BatchAttribute.deleteHorizon);
    assert.equal(view.baseTimestamp, cleanTime + 60_000);
    assert.equal(records.find((r) => r.offset === tombstone)?.timestamp, 1_700_000_000_000, 'the record timestamp is unchanged');

    // A cleaning before the horizon keeps it.
    f.clock.ms += 30_000;
    await append(f.log, [{ key: 'key-9', value: 'x' }]);
    await f.log.roll();
    await cleanLog(f, { firstDirtyOffset: first.endOffset });
    records = await readAll(f.log);
    assert.ok(records.some((r) => r.offset === tombstone), 'kept before the horizon');

    // A cleaning after it drops it.
    f.clock.ms += 31_000;
    await append(f.log, [{ key: 'key-9', value: 'y' }]);
    await f.log.roll();
    await cleanLog(f, { firstDirtyOffset: f.log.logEndOffset - 1 });
    records = await readAll(f.log);
    assert.ok(!records.some((r) => r.key === 'key-3'), 'gone after the horizon');
    assert.deepEqual(records.filter((r) => r.key === 'key-9').map((r) => r.value), ['y']);
    await f.log.close();
  } finally {
    await cleanup();
  }
});

test('compressed batches are rebuilt with their codec, original offsets and last offset', async () => {
  for (const compression of ['gzip', 'snappy', 'lz4', 'zstd'] as const) {
    const { dir, cleanup } = await tempDir();
    try {
      const f = await openLog(dir, { segmentBytes: 4096 });
      const last = await fillUpdates(f.log, 6, { compression, perBatch: 5 });
      await f.log.roll();
      const batchesBefore = new Map<number, number>();
      for (const r of await f.log.read(0, { maxBytes: 1 << 20, minOneMessage: true }).then((x) => x.records)) {
        for (const b of batches(r)) batchesBefore.set(b.baseOffset, b.lastOffset);
      }
      await cleanLog(f);
      const after = await readAll(f.log);
      assert.deepEqual(
        after.map((r) => [r.offset, r.key, r.value]),
        [...last.entries()].sort((a, b) => a[1].offset - b[1].offset).map(([k, v]) => [v.offset, k, v.value]),
        compression,
      );
      let offset = 0;
      while (offset < f.log.logEndOffset) {
        const r = await f.log.read(offset, { maxBytes: 1 << 20, minOneMessage: true });
        for (const buf of r.records) {
          for (const b of batches(buf)) {
            assert.equal(b.compression, { gzip: 1, snappy: 2, lz4: 3, zstd: 4 }[compression], `${compression} kept`);
            assert.equal(batchesBefore.get(b.baseOffset), b.lastOffset, 'base and last offsets of the original batch');
            offset = b.nextOffset;
          }
        }
      }
      await f.log.close();
    } finally {
      await cleanup();
    }
  }
});

test('records without a key are dropped from the cleaned section and counted as invalid', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const f = await openLog(dir, { segmentBytes: 1024 });
    // Clients cannot write keyless records to a compacted topic; they are in the log when they were written
    // before the topic became compacted (or by an internal writer), as this coordinator-origin append does.
    await append(f.log, [{ key: null, value: 'no key' }, { key: 'k', value: 'v' }], { compression: 'gzip', origin: 'coordinator' });
    await f.log.roll();
    const { stats } = await cleanLog(f);
    assert.equal(stats.invalidMessagesRead, 1);
    assert.deepEqual((await readAll(f.log)).map((r) => [r.key, r.value]), [['k', 'v']]);
    await f.log.close();
  } finally {
    await cleanup();
  }
});

test('the leader epoch cache stays consistent: epochs and end offsets answer as before cleaning', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const f = await openLog(dir, { segmentBytes: 1024 });
    for (let epoch = 0; epoch < 3; epoch++) {
      for (let i = 0; i < 20; i++) await append(f.log, [{ key: `k${i % 4}`, value: `e${epoch}-${i}` }], { epoch });
    }
    await f.log.roll();
    const entries = f.log.leaderEpochCache.epochEntries();
    const ends = [0, 1, 2].map((e) => f.log.endOffsetForEpoch(e));
    await cleanLog(f);
    assert.deepEqual(f.log.leaderEpochCache.epochEntries(), entries);
    assert.deepEqual([0, 1, 2].map((e) => f.log.endOffsetForEpoch(e)), ends);
    // Surviving batches keep their partition leader epoch.
    const r = await f.log.read(0, { maxBytes: 1 << 20, minOneMessage: true });
    for (const buf of r.records) for (const b of batches(buf)) assert.equal(b.partitionLeaderEpoch, 2);
    await f.log.close();
    // A reload (even one that rebuilds the cache from the batches) agrees with the cache's answers.
    const g = await openLog(dir, { segmentBytes: 1024 });
    assert.deepEqual(g.log.leaderEpochCache.epochEntries(), entries);
    await g.log.close();
  } finally {
    await cleanup();
  }
});

test('min.compaction.lag.ms keeps recent segments out of the dirty section; the filthiest log is chosen', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const clock = new Clock(1_700_000_000_000);
    const f = await openLog(dir, { segmentBytes: 1024, minCompactionLagMs: 60_000, minCleanableDirtyRatio: 0.1 }, clock);
    // Records stamped "now": too recent for a 60 s lag.
    for (let i = 0; i < 60; i++) await append(f.log, [{ key: `k${i % 5}`, value: `v${i}`, timestamp: clock.ms }]);
    await f.log.roll();
    f.log.highWatermark = f.log.logEndOffset;
    const manager = new LogCleanerManager({ logDirs: [dir], logs: () => [f.log], logger: f.logger });
    assert.equal(await manager.grabFilthiestCompactedLog(clock.ms), undefined, 'nothing is old enough');
    clock.ms += 61_000;
    const ltc = await manager.grabFilthiestCompactedLog(clock.ms);
    assert.ok(ltc, 'cleanable once the lag has passed');
    assert.equal(ltc.firstUncleanableOffset, f.log.logSegments().at(-1)!.baseOffset);
    assert.ok(ltc.cleanableRatio === 1);
    assert.ok(manager.isInProgress('t-0'));
    assert.equal(await manager.grabFilthiestCompactedLog(clock.ms), undefined, 'a log in progress is not taken twice');
    await manager.doneCleaning(ltc, 42);
    assert.equal(manager.allCleanerCheckpoints().get('t-0'), 42);
    assert.equal(await readFile(path.join(dir, 'cleaner-offset-checkpoint'), 'utf8'), '0\n1\nt 0 42\n', "Kafka's checkpoint format");
    await f.log.close();
  } finally {
    await cleanup();
  }
});

test('a full offset map cleans the mapped part and the next cleaning continues from the end offset', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const f = await openLog(dir, { segmentBytes: 1024 });
    for (let i = 0; i < 200; i++) await append(f.log, [{ key: `k${i}`, value: `v${i}` }]);
    for (let i = 0; i < 200; i++) await append(f.log, [{ key: `k${i}`, value: `w${i}` }]);
    await f.log.roll();
    // 24 bytes per entry: room for 100 slots, 90 used at load factor 0.9.
    const cleaner = newCleaner(f.clock, f.logger, { memory: 2400 });
    let dirty = 0;
    for (let round = 0; round < 10 && dirty < f.log.logEndOffset; round++) {
      const { endOffset } = await cleanLog(f, { firstDirtyOffset: dirty, cleaner });
      assert.ok(endOffset > dirty, 'each round makes progress');
      dirty = endOffset;
    }
    assert.equal(dirty, f.log.logEndOffset);
    const after = await readAll(f.log);
    assert.equal(after.length, 200);
    assert.ok(after.every((r) => r.value === `w${r.key!.slice(1)}`));
    await f.log.close();
  } finally {
    await cleanup();
  }
});

test('groupSegmentsBySize merges consecutive segments up to segment.bytes', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const f = await openLog(dir, { segmentBytes: 1024 });
    await fillUpdates(f.log, 20);
    await f.log.roll();
    const segments = f.log.logSegments().slice(0, -1);
    const sizes = segments.map((s) => s.size);
    const groups = groupSegmentsBySize(segments, { maxSize: 2 * 1024, maxIndexSize: 1 << 20, firstUncleanableOffset: f.log.logEndOffset });
    assert.deepEqual(groups.flat(), segments, 'every segment once, in order');
    for (const g of groups) assert.ok(g.length === 1 || g.reduce((n, s) => n + s.size, 0) <= 2048);
    assert.ok(groups.length < segments.length && sizes.length === segments.length);
    await f.log.close();
  } finally {
    await cleanup();
  }
});

test('max.compaction.lag.ms: an overdue dirty section is cleaned below min.cleanable.dirty.ratio, and the active segment rolls in time', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const clock = new Clock(1_700_000_000_000);
    const f = await openLog(dir, { segmentBytes: 1024, minCleanableDirtyRatio: 0.99, maxCompactionLagMs: 60_000 }, clock);
    for (let i = 0; i < 40; i++) await append(f.log, [{ key: `k${i % 4}`, value: `v${i}`, timestamp: clock.ms }]);
    await f.log.roll();
    f.log.highWatermark = f.log.logEndOffset;
    const manager = new LogCleanerManager({ logDirs: [dir], logs: () => [f.log], logger: f.logger });
    // Clean once, then add a little dirty data: the ratio stays below 0.99.
    const first = await manager.grabFilthiestCompactedLog(clock.ms);
    assert.ok(first, 'a never-cleaned log has ratio 1');
    const { endOffset } = await newCleaner(clock, f.logger).clean(first);
    await manager.doneCleaning(first, endOffset);
    await append(f.log, [{ key: 'k0', value: 'late', timestamp: clock.ms }]);
    await f.log.roll();
    f.log.highWatermark = f.log.logEndOffset;
    assert.equal(await manager.grabFilthiestCompactedLog(clock.ms), undefined, 'below the ratio and not overdue');
    clock.ms += 61_000;
    const overdue = await manager.grabFilthiestCompactedLog(clock.ms);
    assert.ok(overdue?.needCompactionNow, 'overdue by max.compaction.lag.ms');
    assert.ok(overdue.cleanableRatio < 0.99);
    await manager.doneCleaning(overdue, overdue.firstDirtyOffset);

    // Appends roll the active segment once it is max.compaction.lag.ms old, though segment.ms is a week.
    const segments = f.log.numberOfSegments;
    await append(f.log, [{ key: 'a', value: '1', timestamp: clock.ms }]);
    await append(f.log, [{ key: 'a', value: '2', timestamp: clock.ms + 1000 }]);
    assert.equal(f.log.numberOfSegments, segments);
    await append(f.log, [{ key: 'a', value: '3', timestamp: clock.ms + 61_000 }]);
    assert.equal(f.log.numberOfSegments, segments + 1);
    await f.log.close();
  } finally {
    await cleanup();
  }
});
