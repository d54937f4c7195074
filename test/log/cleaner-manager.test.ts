// The cleaner owned by the LogManager: threads started with the background tasks clean compacted logs
// and write cleaner-offset-checkpoint in Kafka's format; truncation moves the checkpoint back, a deleted
// log leaves it, compact,delete logs get retention from the cleaner threads, a corrupt log is marked
// uncleanable without stopping the others, and shutdown stops the threads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { open, readFile } from 'node:fs/promises';
import path from 'node:path';
import { LogManager } from '../../src/log/log-manager';
import type { Log } from '../../src/log/log';
import { type CleanerConfig, cleanerConfigFrom, defaultCleanerConfig } from '../../src/log/cleaner/cleaner-config';
import { CLEANER_OFFSET_CHECKPOINT_FILE } from '../../src/log/cleaner/log-cleaner-manager';
import { batches, BatchField, decodeRecords } from '../../src/protocol/records';
import { buildRecordBatch } from '../../src/protocol/records/record-batch-builder';
import { CapturingLogger, config, ManualScheduler, tempDir } from './helpers';

function manager(logDir: string, cleaner: Partial<CleanerConfig> = {}) {
  const logger = new CapturingLogger();
  const lm = new LogManager({
    logDirs: [logDir],
    defaultConfig: config(),
    logConfigFor: async (topic) => config(topic === 'c' ? { cleanupPolicy: ['compact'], segmentBytes: 1024 } : {}),
    logger,
    scheduler: new ManualScheduler(),
    initialTaskDelayMs: 0,
    cleanerConfig: { ...defaultCleanerConfig(), backOffMs: 20, ...cleaner },
  });
  return { lm, logger };
}

async function fill(log: Log, rounds: number, keys = 5): Promise<void> {
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < keys; k++) {
      await log.appendAsLeader(await buildRecordBatch([{ key: `k${k}`, value: `v${k}-${round}` }]), { leaderEpoch: 0 });
    }
  }
  await log.roll();
  log.highWatermark = log.logEndOffset;
}

async function keysAndValues(log: Log): Promise<string[]> {
  const out: string[] = [];
  const r = await log.read(log.logStartOffset, { maxBytes: 1 << 22, minOneMessage: true });
  for (const buf of r.records) for (const b of batches(buf)) for (const rec of await decodeRecords(b)) out.push(`${rec.key}=${rec.value}`);
  return out;
}

async function waitFor(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('cleanerConfigFrom reads the log.cleaner.* properties', () => {
  const settings = {
    logCleanerEnable: false,
    logCleanerThreads: 3,
    logCleanerDedupeBufferSize: 99 << 20,
    logCleanerIoBufferLoadFactor: 0.5,
    logCleanerIoBufferSize: 1 << 20,
    messageMaxBytes: 2000,
    logCleanerIoMaxBytesPerSecond: 1e6,
    logCleanerBackoffMs: 100,
  };
  assert.deepEqual(cleanerConfigFrom(settings), {
    enableCleaner: false,
    numThreads: 3,
    dedupeBufferSize: 99 << 20,
    dedupeBufferLoadFactor: 0.5,
    ioBufferSize: 1 << 20,
    maxMessageSize: 2000,
    maxIoBytesPerSecond: 1e6,
    backOffMs: 100,
    hashAlgorithm: 'MD5',
  });
});

test('the cleaner threads clean compacted logs and write cleaner-offset-checkpoint; truncation and deletion update it', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const logDir = path.join(dir, 'd');
    const { lm, logger } = manager(logDir, { numThreads: 2 });
    await lm.startup();
    const compacted = await lm.getOrCreateLog('c', 0, config({ cleanupPolicy: ['compact'], segmentBytes: 1024 }));
    const other = await lm.getOrCreateLog('c', 1, config({ cleanupPolicy: ['compact'], segmentBytes: 1024 }));
    const plain = await lm.getOrCreateLog('p', 0, config({ segmentBytes: 1024 }));
    await fill(compacted, 20);
    await fill(other, 10);
    await fill(plain, 20);
    const plainBefore = await keysAndValues(plain);
    lm.startBackgroundTasks();
    assert.ok(await lm.cleaner!.awaitCleaned(compacted, compacted.logEndOffset, 10_000));
    assert.ok(await lm.cleaner!.awaitCleaned(other, other.logEndOffset, 10_000));
    assert.deepEqual((await keysAndValues(compacted)).sort(), ['k0=v0-19', 'k1=v1-19', 'k2=v2-19', 'k3=v3-19', 'k4=v4-19']);
    assert.deepEqual(await keysAndValues(plain), plainBefore, 'a delete-policy log is not cleaned');

    const file = path.join(logDir, CLEANER_OFFSET_CHECKPOINT_FILE);
    await waitFor('both entries', async () => (await readFile(file, 'utf8')).split('\n').length === 5);
    const text = await readFile(file, 'utf8');
    assert.match(text, /^0\n2\n/);
    assert.ok(text.includes(`c 0 ${compacted.logEndOffset}\n`) && text.includes(`c 1 ${other.logEndOffset}\n`), text);

    const lines = logger.lines.join('\n');
    assert.match(lines, /Starting the log cleaner/);
    assert.match(lines, /\[kafka-log-cleaner-thread-[01]\]: \n\tLog cleaner thread [01] cleaned log c-0 \(dirty section = \[0, 100\]\)\n\t[\d.]+ MB of log processed in/);
    assert.match(lines, /\tStart size: 0\.0 MB \(100 messages\)\n\tEnd size: 0\.0 MB \(5 messages\)\n/);

    // A follower truncation below the checkpoint moves it back to the new active segment.
    await compacted.truncateTo(3);
    await waitFor('the truncated checkpoint', async () => (await readFile(file, 'utf8')).includes(`c 0 ${compacted.logSegments().at(-1)!.baseOffset}\n`));

    // Deleting a log drops its entry.
    await lm.deleteLog('c', 1);
    await waitFor('the entry of the deleted log to go', async () => !(await readFile(file, 'utf8')).includes('c 1 '));

    await lm.shutdown();
    assert.match(logger.lines.join('\n'), /\[kafka-log-cleaner-thread-1\]: Shutdown completed/);
    assert.equal(lm.cleaner!.cleanerCount, 0);
  } finally {
    await cleanup();
  }
});

test('compact,delete logs get retention from the cleaner threads, not from the retention task', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const { lm, logger } = manager(path.join(dir, 'd'), { backOffMs: 60_000 });
    await lm.startup();
    lm.startBackgroundTasks();
    // The thread finds nothing to do and sleeps for a minute.
    await waitFor('the cleaner thread to sleep', () => logger.lines.some((l) => l.includes('[kafka-log-cleaner-thread-0]: Starting')));
    await new Promise((r) => setTimeout(r, 100));
    const log = await lm.getOrCreateLog('cd', 0, config({ cleanupPolicy: ['compact', 'delete'], segmentBytes: 1024, retentionMs: 1000 }));
    const old = Date.now() - 60_000;
    for (let i = 0; i < 40; i++) {
      await log.appendAsLeader(await buildRecordBatch([{ key: `k${i}`, value: 'x', timestamp: old }]), { leaderEpoch: 0 });
    }
    await log.roll();
    log.highWatermark = log.logEndOffset;
    assert.equal(await lm.cleanupLogs(), 0, 'the retention task leaves compacted logs to the cleaner');
    assert.equal(log.logStartOffset, 0);
    // New settings restart the threads, which apply retention at once.
    await lm.cleaner!.reconfigure({ ...lm.cleaner!.currentConfig, backOffMs: 20 });
    await waitFor('retention by the cleaner thread', () => log.logStartOffset === log.logEndOffset);
    assert.equal(lm.cleaner!.cleanerCount, 1);
    await lm.shutdown();
  } finally {
    await cleanup();
  }
});

test('a log that cannot be cleaned is marked uncleanable and the others are still cleaned', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const logDir = path.join(dir, 'd');
    const { lm, logger } = manager(logDir);
    await lm.startup();
    const bad = await lm.getOrCreateLog('bad', 0, config({ cleanupPolicy: ['compact'], segmentBytes: 1024 }));
    const good = await lm.getOrCreateLog('good', 0, config({ cleanupPolicy: ['compact'], segmentBytes: 1024 }));
    await fill(bad, 10);
    await fill(good, 10);
    // Damage the records section of the first batch (the cleaner decodes records; the CRC is not checked on reads).
    const handle = await open(bad.logSegments()[0].log.file, 'r+');
    await handle.write(Buffer.from([0x7f, 0x7f, 0x7f, 0x7f]), 0, 4, BatchField.records);
    await handle.close();
    lm.startBackgroundTasks();
    assert.ok(await lm.cleaner!.awaitCleaned(good, good.logEndOffset, 10_000));
    await waitFor('the bad log to be marked', () => lm.cleaner!.cleanerManager.uncleanablePartitions(logDir).includes('bad-0'));
    assert.match(logger.lines.join('\n'), /Unexpected exception thrown when cleaning log bad-0\. Marking its partition \(bad-0\) as uncleanable/);
    assert.ok(!(await lm.cleaner!.awaitCleaned(bad, 1, 200)), 'the bad log has no checkpoint');
    await lm.shutdown();
  } finally {
    await cleanup();
  }
});

test('an invalid checkpoint is reset to the log start offset', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const logDir = path.join(dir, 'd');
    const first = manager(logDir);
    await first.lm.startup();
    const log = await first.lm.getOrCreateLog('c', 0, config({ cleanupPolicy: ['compact'], segmentBytes: 1024 }));
    await fill(log, 10);
    await first.lm.shutdown();
    // A checkpoint beyond the log end (e.g. the log was rebuilt) must not hide dirty data.
    const { writeFile } = await import('node:fs/promises');
    await writeFile(path.join(logDir, CLEANER_OFFSET_CHECKPOINT_FILE), '0\n1\nc 0 9999\n');
    const second = manager(logDir);
    await second.lm.startup();
    const reloaded = second.lm.getLog('c', 0)!;
    reloaded.highWatermark = reloaded.logEndOffset;
    second.lm.startBackgroundTasks();
    await waitFor('the cleaning', async () => (await keysAndValues(reloaded)).length === 5);
    assert.match(second.logger.lines.join('\n'), /The last checkpoint dirty offset for partition c-0 is 9999, which is larger than the log end offset 50\. Resetting to the log start offset 0\./);
    await second.lm.shutdown();
  } finally {
    await cleanup();
  }
});
