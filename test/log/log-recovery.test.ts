import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, mkdir, open, readFile, readdir, stat, truncate, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Log } from '../../src/log/log';
import type { LogConfig } from '../../src/log/log-config';
import { batches } from '../../src/protocol/records';
import { batch, CapturingLogger, Clock, config, ManualScheduler, tempDir } from './helpers';

const SEGMENT = (offset: number, suffix: string) => `${String(offset).padStart(20, '0')}${suffix}`;

async function load(partitionDir: string, opts: { clean: boolean; recoveryPoint?: number; overrides?: Partial<LogConfig> }) {
  await mkdir(partitionDir, { recursive: true });
  const logger = new CapturingLogger();
  const log = await Log.load({
    topic: 't',
    partition: 0,
    dir: partitionDir,
    config: config(opts.overrides),
    logger,
    scheduler: new ManualScheduler(),
    now: new Clock().now,
    hadCleanShutdown: opts.clean,
    recoveryPoint: opts.recoveryPoint,
  });
  return { log, logger };
}

/** Writes `n` single-record batches; returns the log (closed) and the batch size. */
async function populate(partitionDir: string, n: number, overrides: Partial<LogConfig> = {}) {
  const { log } = await load(partitionDir, { clean: true, overrides });
  for (let i = 0; i < n; i++) await log.appendAsLeader(await batch(1, { valueSize: 50 }), { leaderEpoch: 0 });
  const segments = log.logSegments().map((s) => ({ baseOffset: s.baseOffset, size: s.size }));
  await log.close();
  return segments;
}

async function readOffsets(log: Log): Promise<number[]> {
  const offsets: number[] = [];
  for (let offset = log.logStartOffset; offset < log.logEndOffset; ) {
    const r = await log.read(offset, { maxBytes: 1 << 20, minOneMessage: true });
    for (const buf of r.records) for (const b of batches(buf)) offsets.push(b.baseOffset);
    if (r.nextOffset === offset) break;
    offset = r.nextOffset;
  }
  return offsets;
}

test('recovery cuts a torn write (half a batch) at the end of the log', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const partitionDir = path.join(dir, 't-0');
    const [segment] = await populate(partitionDir, 10);
    const logFile = path.join(partitionDir, SEGMENT(0, '.log'));
    const half = (await batch(1, { valueSize: 50 })).subarray(0, 40);
    await appendFile(logFile, half);
    const { log, logger } = await load(partitionDir, { clean: false });
    assert.equal(log.logEndOffset, 10);
    assert.equal((await stat(logFile)).size, segment.size);
    assert.ok(logger.lines.some((l) => l.startsWith('WARN') && l.includes('truncated 40 bytes')), logger.lines.join('\n'));
    assert.equal((await log.appendAsLeader(await batch(1), { leaderEpoch: 1 })).firstOffset, 10);
    assert.deepEqual(await readOffsets(log), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    await log.close();
  } finally {
    await cleanup();
  }
});

test('recovery drops everything from a corrupt batch in the middle of the last segment on', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const partitionDir = path.join(dir, 't-0');
    const segments = await populate(partitionDir, 30, { segmentBytes: 1500 });
    assert.ok(segments.length >= 2);
    const last = segments[segments.length - 1];
    const file = path.join(partitionDir, SEGMENT(last.baseOffset, '.log'));
    const data = await readFile(file);
    const views = [...batches(data)];
    assert.ok(views.length >= 4);
    const victim = views[2];
    // Flip a byte inside the third batch's records (covered by the CRC).
    const handle = await open(file, 'r+');
    await handle.write(Buffer.from([data[victim.position + victim.sizeInBytes - 2] ^ 0xff]), 0, 1, victim.position + victim.sizeInBytes - 2);
    await handle.close();

    const { log, logger } = await load(partitionDir, { clean: false, recoveryPoint: last.baseOffset });
    assert.equal(log.logEndOffset, victim.baseOffset);
    assert.equal((await stat(file)).size, victim.position);
    assert.ok(logger.lines.some((l) => l.includes('Record is corrupt')), logger.lines.join('\n'));
    const offsets = await readOffsets(log);
    assert.equal(offsets.length, victim.baseOffset);
    await log.close();
  } finally {
    await cleanup();
  }
});

test('corruption in an earlier segment after the recovery point deletes the later segments', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const partitionDir = path.join(dir, 't-0');
    const segments = await populate(partitionDir, 30, { segmentBytes: 1000 });
    assert.ok(segments.length >= 3);
    const second = segments[1];
    const file = path.join(partitionDir, SEGMENT(second.baseOffset, '.log'));
    await truncate(file, second.size - 10);
    const { log } = await load(partitionDir, { clean: false, recoveryPoint: 0 });
    const names = (await readdir(partitionDir)).filter((n) => n.endsWith('.log'));
    assert.deepEqual(names, [SEGMENT(0, '.log'), SEGMENT(second.baseOffset, '.log')]);
    assert.ok(log.logEndOffset < segments[2].baseOffset && log.logEndOffset > second.baseOffset);
    await log.close();
  } finally {
    await cleanup();
  }
});

test('missing or corrupt index files are rebuilt from the log, even after a clean shutdown', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const partitionDir = path.join(dir, 't-0');
    const segments = await populate(partitionDir, 40, { segmentBytes: 2000, indexIntervalBytes: 200 });
    const first = path.join(partitionDir, SEGMENT(0, '.index'));
    const original = await readFile(first);
    const originalTime = await readFile(path.join(partitionDir, SEGMENT(0, '.timeindex')));
    assert.ok(original.length > 0);
    await unlink(first);
    await writeFile(path.join(partitionDir, SEGMENT(segments[1].baseOffset, '.timeindex')), Buffer.alloc(5));
    const { log, logger } = await load(partitionDir, { clean: true, overrides: { segmentBytes: 2000, indexIntervalBytes: 200 } });
    assert.deepEqual(await readFile(first), original, 'the rebuilt offset index is byte-identical');
    assert.deepEqual(await readFile(path.join(partitionDir, SEGMENT(0, '.timeindex'))), originalTime);
    assert.equal((await readFile(path.join(partitionDir, SEGMENT(segments[1].baseOffset, '.timeindex')))).length % 12, 0);
    assert.ok(logger.lines.filter((l) => l.includes('will be rebuilt')).length >= 2);
    assert.equal(log.logEndOffset, 40);
    assert.equal((await readOffsets(log)).length, 40);
    await log.close();
  } finally {
    await cleanup();
  }
});

test('after a clean shutdown the log is trusted and not re-validated; without it, recovery runs', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const partitionDir = path.join(dir, 't-0');
    const [segment] = await populate(partitionDir, 5);
    const file = path.join(partitionDir, SEGMENT(0, '.log'));
    const handle = await open(file, 'r+');
    await handle.write(Buffer.from([0x55]), 0, 1, segment.size - 1); // corrupt the last batch's CRC-covered bytes
    await handle.close();

    const clean = await load(partitionDir, { clean: true });
    assert.equal(clean.log.logEndOffset, 5, 'clean shutdown: no CRC re-validation');
    assert.ok(!clean.logger.lines.some((l) => l.includes('Recovering')));
    await clean.log.close();

    const unclean = await load(partitionDir, { clean: false, recoveryPoint: 0 });
    assert.equal(unclean.log.logEndOffset, 4, 'unclean shutdown: the corrupt last batch is dropped');
    assert.ok(unclean.logger.lines.some((l) => l.includes('Recovering unflushed segment 0')));
    await unclean.log.close();
  } finally {
    await cleanup();
  }
});

test('segments before the recovery point are not re-validated', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const partitionDir = path.join(dir, 't-0');
    const segments = await populate(partitionDir, 20, { segmentBytes: 1000 });
    const file = path.join(partitionDir, SEGMENT(0, '.log'));
    const handle = await open(file, 'r+');
    await handle.write(Buffer.from([0x55]), 0, 1, segments[0].size - 1);
    await handle.close();
    const { log } = await load(partitionDir, { clean: false, recoveryPoint: segments[1].baseOffset });
    assert.equal(log.logEndOffset, 20);
    assert.equal(log.recoveryPoint, segments[1].baseOffset);
    await log.close();
  } finally {
    await cleanup();
  }
});

test('leftover .deleted files and orphaned indexes are removed at load', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const partitionDir = path.join(dir, 't-0');
    await populate(partitionDir, 3);
    await writeFile(path.join(partitionDir, SEGMENT(500, '.log.deleted')), 'x');
    await writeFile(path.join(partitionDir, SEGMENT(900, '.index')), Buffer.alloc(8));
    const { log } = await load(partitionDir, { clean: true });
    // The producer state snapshot at the log end offset is the one written when the log closed.
    assert.deepEqual((await readdir(partitionDir)).sort(), [
      SEGMENT(0, '.index'),
      SEGMENT(0, '.log'),
      SEGMENT(0, '.timeindex'),
      SEGMENT(3, '.snapshot'),
      'leader-epoch-checkpoint',
    ]);
    await log.close();
  } finally {
    await cleanup();
  }
});
