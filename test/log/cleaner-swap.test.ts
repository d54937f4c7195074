// Crash safety of the cleaner's swap (Kafka's .cleaned → .swap → live protocol): a directory left as
// each crash point would leave it loads with nothing lost, and a swap refused after a truncation or a
// retention deletion changes nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Log } from '../../src/log/log';
import type { LogConfig } from '../../src/log/log-config';
import { LogCleaningAbortedError } from '../../src/log/log-errors';
import { Cleaner } from '../../src/log/cleaner/cleaner';
import { CleanerStats } from '../../src/log/cleaner/cleaner-stats';
import { logToClean } from '../../src/log/cleaner/log-to-clean';
import { SkimpyOffsetMap } from '../../src/log/cleaner/offset-map';
import { Throttler } from '../../src/log/cleaner/throttler';
import { batches, decodeRecords } from '../../src/protocol/records';
import { buildRecordBatch } from '../../src/protocol/records/record-batch-builder';
import { CapturingLogger, Clock, config, ManualScheduler, tempDir } from './helpers';

type Rec = { offset: number; key: string; value: string };

async function load(partitionDir: string, overrides: Partial<LogConfig> = {}, opts: { clean?: boolean } = {}) {
  const logger = new CapturingLogger();
  const scheduler = new ManualScheduler();
  const clock = new Clock();
  const log = await Log.load({
    topic: 't',
    partition: 0,
    dir: partitionDir,
    config: config({ cleanupPolicy: ['compact'], segmentBytes: 1024, ...overrides }),
    logger,
    scheduler,
    now: clock.now,
    hadCleanShutdown: opts.clean ?? false,
    recoveryPoint: 0,
  });
  return { log, logger, scheduler, clock };
}

function newCleaner(clock: Clock, logger: CapturingLogger): Cleaner {
  return new Cleaner({
    id: 0,
    offsetMap: new SkimpyOffsetMap({ memory: 1 << 20 }),
    ioBufferSize: 4096,
    dupBufferLoadFactor: 0.9,
    throttler: new Throttler({ desiredRatePerSec: Number.MAX_VALUE, now: clock.now, sleep: async () => undefined }),
    now: clock.now,
    logger,
    checkDone: () => undefined,
  });
}

async function readAll(log: Log): Promise<Rec[]> {
  const out: Rec[] = [];
  let offset = log.logStartOffset;
  while (offset < log.logEndOffset) {
    const r = await log.read(offset, { maxBytes: 1 << 20, minOneMessage: true });
    if (r.records.length === 0) break;
    for (const buf of r.records) {
      for (const b of batches(buf)) {
        assert.ok(b.isValid());
        for (const rec of await decodeRecords(b)) out.push({ offset: rec.offset, key: rec.key!.toString(), value: rec.value!.toString() });
        offset = b.nextOffset;
      }
    }
  }
  return out;
}

/** Every surviving record can be fetched at its own offset (the rebuilt indexes agree with the data). */
async function assertReadableAtEachOffset(log: Log, records: Rec[]): Promise<void> {
  for (const rec of records) {
    const r = await log.read(rec.offset, { maxBytes: 1, minOneMessage: true });
    const first = [...batches(r.records[0])][0];
    assert.ok(first.baseOffset <= rec.offset && first.lastOffset >= rec.offset, `offset ${rec.offset} is found through the index`);
  }
}

async function snapshot(dir: string): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  for (const name of await readdir(dir)) files.set(name, await readFile(path.join(dir, name)));
  return files;
}

async function restore(dir: string, files: Map<string, Buffer>): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  for (const [name, data] of files) await writeFile(path.join(dir, name), data);
}

const SEG0 = '00000000000000000000';

/**
 * A log of 10 keys × 20 updates over several 1 KiB segments, and the same log after one cleaning
 * that merged every inactive segment into one cleaned segment at offset 0.
 */
async function prepare(root: string) {
  const dir = path.join(root, 'work', 't-0');
  await mkdir(dir, { recursive: true });
  const { log } = await load(dir, {}, { clean: true });
  for (let round = 0; round < 20; round++) {
    for (let k = 0; k < 10; k++) {
      await log.appendAsLeader(await buildRecordBatch([{ key: `k${k}`, value: `v${k}-${round}` }], { now: 1_700_000_000_000 }), { leaderEpoch: 0 });
    }
  }
  await log.roll();
  const original = await readAll(log);
  const oldBases = log.logSegments().slice(0, -1).map((s) => s.baseOffset);
  await log.close();
  const originalFiles = await snapshot(dir);

  // Clean with a large segment.bytes so that one cleaned segment replaces all the inactive ones.
  const c = await load(dir, { segmentBytes: 1 << 20 }, { clean: true });
  c.log.highWatermark = c.log.logEndOffset;
  const segments = c.log.logSegments();
  const ltc = logToClean(c.log, { firstDirtyOffset: 0, uncleanableOffset: segments.at(-1)!.baseOffset, needCompactionNow: false, segments });
  await newCleaner(c.clock, c.logger).clean(ltc);
  await c.scheduler.runAll('delete-file');
  const cleaned = await readAll(c.log);
  await c.log.close();
  const cleanedFiles = await snapshot(dir);
  assert.ok(oldBases.length > 3, 'several segments were merged');
  assert.equal(cleaned.length, 10);
  return { dir, original, cleaned, oldBases, originalFiles, cleanedFiles };
}

const segName = (base: number, ext: string) => `${String(base).padStart(20, '0')}${ext}`;

test('every crash point of a swap loads without losing anything', async () => {
  const { dir: root, cleanup } = await tempDir();
  try {
    const p = await prepare(root);
    const cleanedPart = (ext: string) => p.cleanedFiles.get(`${SEG0}${ext}`)!;
    const withoutOld = () => {
      const files = new Map(p.originalFiles);
      for (const base of p.oldBases) for (const ext of ['.log', '.index', '.timeindex']) files.delete(segName(base, ext));
      return files;
    };
    const oldAsDeleted = (files: Map<string, Buffer>, bases: number[]) => {
      for (const base of bases) {
        for (const ext of ['.log', '.index', '.timeindex']) {
          files.set(segName(base, ext) + '.deleted', p.originalFiles.get(segName(base, ext))!);
          files.delete(segName(base, ext));
        }
      }
      return files;
    };
    const scenarios: { name: string; files: () => Map<string, Buffer>; expected: Rec[] }[] = [
      {
        name: 'crash while writing .cleaned',
        files: () =>
          new Map([
            ...p.originalFiles,
            [`${SEG0}.log.cleaned`, cleanedPart('.log').subarray(0, Math.floor(cleanedPart('.log').length / 2))],
            [`${SEG0}.index.cleaned`, Buffer.alloc(0)],
          ]),
        expected: p.original,
      },
      {
        // As in Kafka, a .swap at or above a .cleaned file is discarded: the old segments are all still there.
        name: 'crash while renaming .cleaned to .swap',
        files: () =>
          new Map([
            ...p.originalFiles,
            [`${SEG0}.log.swap`, cleanedPart('.log')],
            [`${SEG0}.index.cleaned`, cleanedPart('.index')],
            [`${SEG0}.timeindex.cleaned`, cleanedPart('.timeindex')],
          ]),
        expected: p.original,
      },
      {
        name: 'crash after .swap, before the old segments were renamed',
        files: () =>
          new Map([
            ...p.originalFiles,
            [`${SEG0}.log.swap`, cleanedPart('.log')],
            [`${SEG0}.index.swap`, cleanedPart('.index')],
            [`${SEG0}.timeindex.swap`, cleanedPart('.timeindex')],
          ]),
        expected: p.cleaned,
      },
      {
        name: 'crash while renaming the old segments to .deleted',
        files: () => {
          const files = oldAsDeleted(new Map(p.originalFiles), p.oldBases.slice(0, 2));
          files.set(`${SEG0}.log.swap`, cleanedPart('.log'));
          files.set(`${SEG0}.index.swap`, cleanedPart('.index'));
          files.set(`${SEG0}.timeindex.swap`, cleanedPart('.timeindex'));
          return files;
        },
        expected: p.cleaned,
      },
      {
        name: 'crash while dropping the .swap suffix',
        files: () => {
          const files = oldAsDeleted(new Map(p.originalFiles), p.oldBases);
          files.set(`${SEG0}.log`, cleanedPart('.log'));
          files.set(`${SEG0}.index.swap`, cleanedPart('.index'));
          files.set(`${SEG0}.timeindex.swap`, cleanedPart('.timeindex'));
          return files;
        },
        expected: p.cleaned,
      },
      {
        name: 'crash before the .deleted files were removed',
        files: () => {
          const files = oldAsDeleted(new Map(p.originalFiles), p.oldBases);
          for (const ext of ['.log', '.index', '.timeindex']) files.set(`${SEG0}${ext}`, cleanedPart(ext));
          return files;
        },
        expected: p.cleaned,
      },
      {
        name: 'a swap whose index files were lost',
        files: () => {
          const files = withoutOld();
          files.set(`${SEG0}.log.swap`, cleanedPart('.log'));
          return files;
        },
        expected: p.cleaned,
      },
    ];
    for (const s of scenarios) {
      const files = s.files();
      await restore(p.dir, files);
      const { log, logger } = await load(p.dir);
      try {
        const records = await readAll(log);
        assert.deepEqual(records, s.expected, s.name);
        await assertReadableAtEachOffset(log, records);
        const names = await readdir(p.dir);
        assert.ok(!names.some((n) => /\.(cleaned|swap|deleted)$/.test(n)), `${s.name}: temporary files are gone: ${names.join(' ')}`);
        // Whatever survived, the latest value of every key is there at its offset.
        const latest = new Map(p.original.map((r) => [r.key, r]));
        for (const r of latest.values()) assert.ok(records.some((x) => x.offset === r.offset && x.value === r.value), `${s.name}: ${r.key}`);
        for (const name of [...files.keys()].filter((n) => n.endsWith('.swap') && s.expected === p.cleaned)) {
          assert.ok(logger.lines.includes(`INFO Recovering file ${name} by renaming from .swap files.`), `${s.name}: ${name} renamed`);
        }
        await log.appendAsLeader(await buildRecordBatch([{ key: 'k0', value: 'after' }]), { leaderEpoch: 0 });
      } finally {
        await log.close();
      }
      const again = await load(p.dir, {}, { clean: true });
      assert.equal((await readAll(again.log)).at(-1)?.value, 'after', `${s.name}: the log stays usable`);
      await again.log.close();
    }
  } finally {
    await cleanup();
  }
});

test('a swap after a truncation or a retention deletion is refused and the cleaned copy removed', async () => {
  const { dir: root, cleanup } = await tempDir();
  try {
    const dir = path.join(root, 't-0');
    await mkdir(dir, { recursive: true });
    const { log, logger, clock, scheduler } = await load(dir, { retentionMs: 1000, cleanupPolicy: ['compact', 'delete'] }, { clean: true });
    for (let i = 0; i < 60; i++) {
      await log.appendAsLeader(await buildRecordBatch([{ key: `k${i % 3}`, value: `v${i}`, timestamp: clock.ms - 5000 }]), { leaderEpoch: 0 });
    }
    await log.roll();
    log.highWatermark = log.logEndOffset;
    const before = await readAll(log);
    const cleaner = newCleaner(clock, logger);
    const group = log.logSegments().slice(0, 3);
    const stats = new CleanerStats(clock.now);

    // Truncation since the cleaning started.
    await cleaner.buildOffsetMap(log, { start: 0, end: log.logSegments().at(-1)!.baseOffset, segments: log.logSegments(), stats });
    await assert.rejects(
      cleaner.cleanSegments(log, group, { currentTime: clock.ms, stats, legacyDeleteHorizonMs: 0, truncationCount: log.truncationCount - 1 }),
      LogCleaningAbortedError,
    );
    assert.ok(!(await readdir(dir)).some((n) => n.endsWith('.cleaned')), 'the .cleaned files were removed');
    assert.deepEqual(await readAll(log), before, 'the log is unchanged');

    // Retention removed a segment of the group meanwhile.
    await log.deleteOldSegments();
    await scheduler.runAll('delete-file');
    await assert.rejects(
      cleaner.cleanSegments(log, group, { currentTime: clock.ms, stats, legacyDeleteHorizonMs: 0, truncationCount: log.truncationCount }),
      LogCleaningAbortedError,
    );
    assert.ok(!(await readdir(dir)).some((n) => n.endsWith('.cleaned')));
    await log.appendAsLeader(await buildRecordBatch([{ key: 'k', value: 'usable' }]), { leaderEpoch: 0 });
    await log.close();
  } finally {
    await cleanup();
  }
});

test('.cleaned and stray .swap files from an unfinished split are removed; segments above them stay', async () => {
  const { dir: root, cleanup } = await tempDir();
  try {
    const p = await prepare(root);
    const files = new Map(p.originalFiles);
    const top = p.oldBases.at(-1)!;
    // A .swap at or above the lowest .cleaned offset is part of an unfinished split: both go.
    files.set(segName(p.oldBases[1], '.log.cleaned'), p.originalFiles.get(segName(p.oldBases[1], '.log'))!);
    files.set(segName(top, '.log.swap'), p.originalFiles.get(segName(top, '.log'))!);
    await restore(p.dir, files);
    const { log, logger } = await load(p.dir);
    assert.deepEqual(await readAll(log), p.original);
    assert.match(logger.lines.join('\n'), /Deleting invalid swap file/);
    assert.ok(!(await readdir(p.dir)).some((n) => /\.(cleaned|swap)$/.test(n)));
    await log.close();
  } finally {
    await cleanup();
  }
});

test('a truncation during a cleaning aborts it and leaves the truncated log as it is', async () => {
  const { dir: root, cleanup } = await tempDir();
  try {
    const dir = path.join(root, 't-0');
    await mkdir(dir, { recursive: true });
    const { log, logger, clock } = await load(dir, {}, { clean: true });
    for (let i = 0; i < 200; i++) await log.appendAsLeader(await buildRecordBatch([{ key: `k${i % 7}`, value: `v${i}` }]), { leaderEpoch: 0 });
    await log.roll();
    log.highWatermark = log.logEndOffset;
    let calls = 0;
    let truncation: Promise<boolean> | undefined;
    const cleaner = new Cleaner({
      id: 0,
      offsetMap: new SkimpyOffsetMap({ memory: 1 << 20 }),
      ioBufferSize: 512,
      dupBufferLoadFactor: 0.9,
      throttler: new Throttler({ desiredRatePerSec: Number.MAX_VALUE, now: clock.now, sleep: async () => undefined }),
      now: clock.now,
      logger,
      // A follower truncation arrives while the map is being built.
      checkDone: () => {
        if (++calls === 5) truncation = log.truncateTo(50);
      },
    });
    const segments = log.logSegments();
    const ltc = logToClean(log, { firstDirtyOffset: 0, uncleanableOffset: segments.at(-1)!.baseOffset, needCompactionNow: false, segments });
    await assert.rejects(cleaner.clean(ltc), LogCleaningAbortedError);
    assert.equal(await truncation, true);
    assert.equal(log.logEndOffset, 50);
    const records = await readAll(log);
    assert.deepEqual(records.map((r) => r.offset), Array.from({ length: 50 }, (_, i) => i), 'nothing below the truncation point was touched');
    assert.ok(!(await readdir(dir)).some((n) => /\.(cleaned|swap)$/.test(n)));
    await log.close();
  } finally {
    await cleanup();
  }
});
