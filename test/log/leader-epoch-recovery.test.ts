// The leader epoch cache across restarts: the checkpoint read back, rebuilt when missing or
// malformed, and repaired by recovery after an unclean shutdown.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, mkdir, readFile, stat, truncate, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Log } from '../../src/log/log';
import type { LogConfig } from '../../src/log/log-config';
import { LogManager } from '../../src/log/log-manager';
import { buildRecordBatch } from '../../src/protocol/records';
import { batch, CapturingLogger, Clock, config, ManualScheduler, tempDir } from './helpers';

const SEGMENT = (offset: number) => `${String(offset).padStart(20, '0')}.log`;

async function load(partitionDir: string, opts: { clean: boolean; recoveryPoint?: number; logStartOffset?: number; overrides?: Partial<LogConfig> }) {
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
    logStartOffset: opts.logStartOffset,
  });
  return { log, logger };
}

/** Appends single-record batches under the given epochs (one per entry) and closes the log. */
async function populate(partitionDir: string, epochs: number[], overrides: Partial<LogConfig> = {}) {
  const { log } = await load(partitionDir, { clean: true, overrides });
  for (const epoch of epochs) await log.appendAsLeader(await batch(1, { valueSize: 60 }), { leaderEpoch: epoch });
  const segments = log.logSegments().map((s) => ({ baseOffset: s.baseOffset, size: s.size }));
  const entries = log.leaderEpochCache.epochEntries();
  await log.close();
  return { segments, entries };
}

const checkpointFile = (partitionDir: string) => path.join(partitionDir, 'leader-epoch-checkpoint');
const EPOCHS = [0, 0, 0, 1, 1, 3, 3, 3, 3, 6, 6, 7];
const EXPECTED = [
  { epoch: 0, startOffset: 0 },
  { epoch: 1, startOffset: 3 },
  { epoch: 3, startOffset: 5 },
  { epoch: 6, startOffset: 9 },
  { epoch: 7, startOffset: 11 },
];
const EXPECTED_TEXT = '0\n5\n0 0\n1 3\n3 5\n6 9\n7 11\n';

test('the cache is read back from leader-epoch-checkpoint after a clean restart, without scanning the log', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const partitionDir = path.join(dir, 't-0');
    const { entries } = await populate(partitionDir, EPOCHS, { segmentBytes: 500 });
    assert.deepEqual(entries, EXPECTED);
    assert.equal(await readFile(checkpointFile(partitionDir), 'utf8'), EXPECTED_TEXT);
    const mtime = (await stat(checkpointFile(partitionDir))).mtimeMs;
    const { log, logger } = await load(partitionDir, { clean: true, overrides: { segmentBytes: 500 } });
    assert.deepEqual(log.leaderEpochCache.epochEntries(), EXPECTED);
    assert.equal(log.latestEpoch(), 7);
    assert.deepEqual(log.endOffsetForEpoch(3), { epoch: 3, endOffset: 9 });
    assert.ok(!logger.lines.some((l) => /leader epoch/i.test(l)), logger.lines.join('\n'));
    assert.equal((await stat(checkpointFile(partitionDir))).mtimeMs, mtime, 'an unchanged cache is not rewritten');
    await log.close();
  } finally {
    await cleanup();
  }
});

test('a deleted checkpoint is rebuilt from the batches\' partitionLeaderEpoch', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const partitionDir = path.join(dir, 't-0');
    const { segments } = await populate(partitionDir, EPOCHS, { segmentBytes: 500 });
    assert.ok(segments.length >= 3, 'the epochs span several segments');
    await unlink(checkpointFile(partitionDir));
    const { log, logger } = await load(partitionDir, { clean: true, overrides: { segmentBytes: 500 } });
    assert.deepEqual(log.leaderEpochCache.epochEntries(), EXPECTED);
    assert.equal(await readFile(checkpointFile(partitionDir), 'utf8'), EXPECTED_TEXT);
    assert.ok(logger.lines.some((l) => l.startsWith('WARN') && l.includes('leader-epoch-checkpoint is missing')), logger.lines.join('\n'));
    assert.ok(logger.lines.some((l) => l.includes('Rebuilt the leader epoch cache from the log: 5 entries')));
    await log.close();
  } finally {
    await cleanup();
  }
});

test('a malformed checkpoint is rebuilt and rewritten', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const partitionDir = path.join(dir, 't-0');
    await populate(partitionDir, EPOCHS);
    for (const garbage of ['0\n3\n0 0\n', 'not a checkpoint', '0\n1\n-4 2\n']) {
      await writeFile(checkpointFile(partitionDir), garbage);
      const { log, logger } = await load(partitionDir, { clean: true });
      assert.deepEqual(log.leaderEpochCache.epochEntries(), EXPECTED, garbage);
      assert.equal(await readFile(checkpointFile(partitionDir), 'utf8'), EXPECTED_TEXT);
      assert.ok(logger.lines.some((l) => l.startsWith('WARN') && l.includes('Error reading leader epoch checkpoint file')));
      await log.close();
    }
  } finally {
    await cleanup();
  }
});

test('after an unclean shutdown, epochs whose data was lost are dropped from the checkpoint', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const partitionDir = path.join(dir, 't-0');
    await populate(partitionDir, [0, 0, 2, 2]);
    // The broker assigned epoch 5 and wrote its checkpoint, then died while writing the batch.
    const torn = await buildRecordBatch([{ value: 'lost' }], { baseOffset: 4, partitionLeaderEpoch: 5 });
    await appendFile(path.join(partitionDir, SEGMENT(0)), torn.subarray(0, torn.length - 7));
    await writeFile(checkpointFile(partitionDir), '0\n3\n0 0\n2 2\n5 4\n');
    const { log } = await load(partitionDir, { clean: false, recoveryPoint: 0 });
    assert.equal(log.logEndOffset, 4);
    assert.equal(log.latestEpoch(), 2);
    assert.equal(await readFile(checkpointFile(partitionDir), 'utf8'), '0\n2\n0 0\n2 2\n');
    assert.deepEqual(log.endOffsetForEpoch(2), { epoch: 2, endOffset: 4 });
    await log.close();
  } finally {
    await cleanup();
  }
});

test('after an unclean shutdown, recovered segments add the epochs the checkpoint lacks', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const partitionDir = path.join(dir, 't-0');
    const { segments } = await populate(partitionDir, EPOCHS, { segmentBytes: 500 });
    const last = segments[segments.length - 1];
    assert.ok(last.baseOffset <= 9, 'epochs 6 and 7 are in the last segment');
    // A checkpoint that lags the data: only the epochs before the last segment.
    await writeFile(checkpointFile(partitionDir), '0\n3\n0 0\n1 3\n3 5\n');
    const { log } = await load(partitionDir, { clean: false, recoveryPoint: last.baseOffset, overrides: { segmentBytes: 500 } });
    assert.deepEqual(log.leaderEpochCache.epochEntries(), EXPECTED);
    assert.equal(await readFile(checkpointFile(partitionDir), 'utf8'), EXPECTED_TEXT);
    await log.close();
  } finally {
    await cleanup();
  }
});

test('a log that lost its data restarts with an empty cache', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const partitionDir = path.join(dir, 't-0');
    await populate(partitionDir, [0, 1, 2]);
    await truncate(path.join(partitionDir, SEGMENT(0)), 0);
    const { log } = await load(partitionDir, { clean: false, recoveryPoint: 0 });
    assert.equal(log.logEndOffset, 0);
    assert.equal(log.latestEpoch(), undefined);
    assert.equal(await readFile(checkpointFile(partitionDir), 'utf8'), '0\n0\n');
    await log.close();

    // Segments gone below the checkpointed log start offset: Kafka deletes them all and clears the cache.
    await populate(partitionDir, [4, 5]);
    await truncate(path.join(partitionDir, SEGMENT(0)), 0);
    const { log: restarted, logger } = await load(partitionDir, { clean: false, recoveryPoint: 0, logStartOffset: 2 });
    assert.ok(logger.lines.some((l) => l.includes('Deleting all segments because logEndOffset (0) is smaller than logStartOffset 2')));
    assert.deepEqual([restarted.logStartOffset, restarted.logEndOffset, restarted.latestEpoch()], [2, 2, undefined]);
    assert.equal(await readFile(checkpointFile(partitionDir), 'utf8'), '0\n0\n');
    await restarted.close();
  } finally {
    await cleanup();
  }
});

test('through the log manager: epochs survive a restart and the cache logs as Kafka\'s LeaderEpochFileCache', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const logDir = path.join(dir, 'logs');
    const start = async () => {
      const logger = new CapturingLogger();
      const lm = new LogManager({ logDirs: [logDir], defaultConfig: config(), logger, scheduler: new ManualScheduler(), now: new Clock().now });
      await lm.startup();
      return { lm, logger };
    };
    const first = await start();
    const log = await first.lm.getOrCreateLog('orders', 2, config());
    assert.equal(await readFile(path.join(log.dir, 'leader-epoch-checkpoint'), 'utf8'), '');
    await log.appendAsFollower(
      Buffer.concat([
        await buildRecordBatch([{ value: 'a' }], { baseOffset: 0, partitionLeaderEpoch: 1 }),
        await buildRecordBatch([{ value: 'b' }], { baseOffset: 1, partitionLeaderEpoch: 4 }),
      ]),
    );
    // A leader that went back in epochs: the conflicting entry is truncated with Kafka's warning.
    await log.appendAsFollower(await buildRecordBatch([{ value: 'c' }], { baseOffset: 2, partitionLeaderEpoch: 3 }));
    assert.ok(
      first.logger.lines.includes(
        'WARN [LeaderEpochCache orders-2] New epoch entry EpochEntry(epoch=3, startOffset=2) caused truncation of conflicting ' +
          'entries [EpochEntry(epoch=4, startOffset=1)]. Cache now contains 1 entries.',
      ),
      first.logger.lines.join('\n'),
    );
    await first.lm.shutdown();

    const second = await start();
    const reloaded = second.lm.getLog('orders', 2);
    assert.ok(reloaded);
    assert.deepEqual(reloaded.leaderEpochCache.epochEntries(), [
      { epoch: 1, startOffset: 0 },
      { epoch: 3, startOffset: 2 },
    ]);
    assert.deepEqual(reloaded.endOffsetForEpoch(3), { epoch: 3, endOffset: 3 });
    await second.lm.shutdown();
  } finally {
    await cleanup();
  }
});
