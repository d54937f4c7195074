import { test } from 'node:test';
import assert from 'node:assert/strict';
import { access, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { LogManager, type LogManagerOptions } from '../../src/log/log-manager';
import { batch, CapturingLogger, Clock, config, ManualScheduler, tempDir } from './helpers';

function manager(logDirs: string[], scheduler = new ManualScheduler(), clock = new Clock(), extra: Partial<LogManagerOptions> = {}) {
  const logger = new CapturingLogger();
  const lm = new LogManager({ logDirs, defaultConfig: config(), logger, scheduler, now: clock.now, initialTaskDelayMs: 0, ...extra });
  return { lm, logger, scheduler };
}

const exists = (file: string) => access(file).then(() => true, () => false);

test('startup, appends, shutdown: checkpoints in Kafka format and the clean-shutdown marker', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const dirs = [path.join(dir, 'd1'), path.join(dir, 'd2')];
    const { lm } = manager(dirs);
    await lm.startup();
    for (const d of dirs) {
      assert.equal(await readFile(path.join(d, 'recovery-point-offset-checkpoint'), 'utf8'), '', 'created empty, as Kafka does');
    }
    const a = await lm.getOrCreateLog('orders', 0, config());
    const b = await lm.getOrCreateLog('orders', 1, config());
    const c = await lm.getOrCreateLog('payments', 0, config());
    assert.equal(a.parentDir, dirs[0]);
    assert.equal(b.parentDir, dirs[1], 'new logs go to the dir with the fewest partitions');
    assert.equal(c.parentDir, dirs[0]);
    assert.equal(await lm.getOrCreateLog('orders', 0, config()), a);
    for (let i = 0; i < 3; i++) await a.appendAsLeader(await batch(2), { leaderEpoch: 0 });
    await b.appendAsLeader(await batch(1), { leaderEpoch: 0 });
    a.highWatermark = 4;
    await lm.checkpointHighWatermarks(new Map([['orders-1', 1]]));
    assert.equal(await readFile(path.join(dirs[0], 'replication-offset-checkpoint'), 'utf8'), '0\n2\norders 0 4\npayments 0 0\n');
    assert.equal(await readFile(path.join(dirs[1], 'replication-offset-checkpoint'), 'utf8'), '0\n1\norders 1 1\n');

    await lm.shutdown();
    assert.equal(await readFile(path.join(dirs[0], 'recovery-point-offset-checkpoint'), 'utf8'), '0\n2\norders 0 6\npayments 0 0\n');
    assert.equal(await readFile(path.join(dirs[1], 'recovery-point-offset-checkpoint'), 'utf8'), '0\n1\norders 1 1\n');
    assert.equal(await readFile(path.join(dirs[0], 'log-start-offset-checkpoint'), 'utf8'), '0\n0\n');
    assert.equal(await readFile(path.join(dirs[0], '.kafka_cleanshutdown'), 'utf8'), '{"broker_epoch":"-1","version":"0"}');

    // Restart: the marker makes recovery unnecessary and is removed; state comes back from the checkpoints.
    const asked: string[] = [];
    const again = manager(dirs, new ManualScheduler(), new Clock(), {
      logConfigFor: async (topic) => {
        asked.push(topic);
        return config({ retentionMs: topic === 'payments' ? 1234 : 5678 });
      },
    });
    await again.lm.startup();
    assert.deepEqual(asked.sort(), ['orders', 'payments'], 'one config lookup per topic');
    assert.equal(again.lm.getLog('payments', 0)?.config.retentionMs, 1234);
    assert.equal(await exists(path.join(dirs[0], '.kafka_cleanshutdown')), false);
    const a2 = again.lm.getLog('orders', 0);
    assert.ok(a2);
    assert.deepEqual([a2.logEndOffset, a2.highWatermark, a2.recoveryPoint], [6, 4, 6]);
    assert.equal(again.lm.getLog('orders', 1)?.highWatermark, 1);
    assert.equal(again.lm.allLogs().length, 3);
    assert.ok(!again.logger.lines.some((l) => l.includes('Attempting recovery')));
    await again.lm.shutdown();
  } finally {
    await cleanup();
  }
});

test('without the marker every log is recovered from its recovery point', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const dirs = [path.join(dir, 'd1')];
    const { lm } = manager(dirs);
    await lm.startup();
    const log = await lm.getOrCreateLog('t', 0, config());
    for (let i = 0; i < 4; i++) await log.appendAsLeader(await batch(1), { leaderEpoch: 0 });
    await lm.checkpointRecoveryPoints();
    assert.equal(await readFile(path.join(dirs[0], 'recovery-point-offset-checkpoint'), 'utf8'), '0\n1\nt 0 0\n');
    await log.close(); // a crash: no shutdown, no marker
    const logFile = path.join(dirs[0], 't-0', '00000000000000000000.log');
    await writeFile(logFile, (await readFile(logFile)).subarray(0, -5));

    const again = manager(dirs);
    await again.lm.startup();
    assert.ok(again.logger.lines.some((l) => l.includes('Attempting recovery for all logs')));
    assert.equal(again.lm.getLog('t', 0)?.logEndOffset, 3);
    await again.lm.shutdown();
  } finally {
    await cleanup();
  }
});

test('deleteLog renames the directory to <tp>.<uuid>-delete and removes it later', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const dirs = [path.join(dir, 'd1')];
    const scheduler = new ManualScheduler();
    const { lm } = manager(dirs, scheduler);
    await lm.startup();
    const log = await lm.getOrCreateLog('gone-topic', 3, config());
    await log.appendAsLeader(await batch(1), { leaderEpoch: 0 });
    await lm.deleteLog('gone-topic', 3);
    assert.equal(lm.getLog('gone-topic', 3), undefined);
    const names = await readdir(dirs[0]);
    const renamed = names.find((n) => n.endsWith('-delete'));
    assert.match(renamed ?? '', /^gone-topic-3\.[0-9a-f]{32}-delete$/);
    assert.equal(await readFile(path.join(dirs[0], 'recovery-point-offset-checkpoint'), 'utf8'), '0\n0\n');
    await scheduler.runAll('delete-dir');
    assert.ok(!(await readdir(dirs[0])).some((n) => n.endsWith('-delete')));
    await lm.shutdown();
  } finally {
    await cleanup();
  }
});

test('background tasks run retention and write checkpoints', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const dirs = [path.join(dir, 'd1')];
    const scheduler = new ManualScheduler();
    const clock = new Clock(10_000_000);
    const { lm } = manager(dirs, scheduler, clock);
    await lm.startup();
    const log = await lm.getOrCreateLog('t', 0, config({ segmentBytes: 300, retentionMs: 1000 }));
    for (let i = 0; i < 6; i++) await log.appendAsLeader(await batch(1, { valueSize: 100, timestamp: clock.ms - 5000 }), { leaderEpoch: 0 });
    log.highWatermark = log.logEndOffset;
    lm.startBackgroundTasks();
    assert.deepEqual(
      scheduler.tasks.filter((t) => t.periodMs !== undefined).map((t) => t.name).sort(),
      ['kafka-log-retention', 'kafka-log-start-offset-checkpoint', 'kafka-recovery-point-checkpoint'],
    );
    await scheduler.runAll('kafka-log-retention');
    assert.equal(log.logStartOffset, 6);
    await scheduler.runAll('kafka-log-start-offset-checkpoint');
    assert.equal(await readFile(path.join(dirs[0], 'log-start-offset-checkpoint'), 'utf8'), '0\n0\n', 'the start offset is the first segment\'s');
    await log.maybeIncrementLogStartOffset(6);
    await scheduler.runAll('kafka-recovery-point-checkpoint');
    assert.match(await readFile(path.join(dirs[0], 'recovery-point-offset-checkpoint'), 'utf8'), /^0\n1\nt 0 \d+\n$/);
    await lm.shutdown();
    assert.ok(scheduler.tasks.filter((t) => t.periodMs !== undefined).every((t) => t.cancelled));
  } finally {
    await cleanup();
  }
});

test('directories that are not partitions are skipped and leftover -delete dirs are removed', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const d = path.join(dir, 'd1');
    await mkdir(path.join(d, 'lost+found'), { recursive: true });
    await mkdir(path.join(d, 'old-0.0123456789abcdef0123456789abcdef-delete'), { recursive: true });
    const scheduler = new ManualScheduler();
    const { lm, logger } = manager([d], scheduler);
    await lm.startup();
    assert.equal(lm.allLogs().length, 0);
    assert.ok(logger.lines.some((l) => l.includes('lost+found')));
    await scheduler.runAll('delete-dir');
    assert.deepEqual((await readdir(d)).filter((n) => !n.includes('checkpoint')), ['lost+found']);
    await lm.shutdown();
  } finally {
    await cleanup();
  }
});

test('a failed startup (the same partition in two log dirs) leaves no clean-shutdown marker', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const dirs = [path.join(dir, 'd1'), path.join(dir, 'd2')];
    for (const d of dirs) await mkdir(path.join(d, 'dup-0'), { recursive: true });
    const { lm } = manager(dirs);
    await assert.rejects(lm.startup(), /Duplicate log directories for dup-0/);
    await lm.shutdown();
    for (const d of dirs) assert.equal(await exists(path.join(d, '.kafka_cleanshutdown')), false);
  } finally {
    await cleanup();
  }
});
