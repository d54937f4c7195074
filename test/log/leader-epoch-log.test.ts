// The leader epoch cache as the Log keeps it: leader and follower appends, truncation, log start
// offset moves, OffsetsForLeaderEpoch answers and ListOffsets epochs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { CorruptRecordError, RecordBatchTooLargeError } from '../../src/common/kafka-error';
import { Log } from '../../src/log/log';
import type { LogConfig } from '../../src/log/log-config';
import { OffsetsOutOfOrderError, UnexpectedAppendOffsetError } from '../../src/log/log-errors';
import { batches, buildRecordBatch } from '../../src/protocol/records';
import { batch, CapturingLogger, Clock, config, ManualScheduler, tempDir } from './helpers';

async function withLog(
  fn: (ctx: { log: Log; partitionDir: string; logger: CapturingLogger; scheduler: ManualScheduler; clock: Clock }) => Promise<void>,
  overrides: Partial<LogConfig> = {},
): Promise<void> {
  const { dir, cleanup } = await tempDir('ts-kafka-epoch-log-');
  const partitionDir = path.join(dir, 'topic-0');
  await mkdir(partitionDir);
  const logger = new CapturingLogger();
  const scheduler = new ManualScheduler();
  const clock = new Clock();
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
  try {
    await fn({ log, partitionDir, logger, scheduler, clock });
  } finally {
    await log.close();
    await cleanup();
  }
}

/** A batch as a leader wrote it: `count` records from `baseOffset` under `epoch`, stamped from `timestamp`. */
function leaderBatch(baseOffset: number, epoch: number, count: number, opts: { timestamp?: number; valueSize?: number } = {}): Promise<Buffer> {
  const timestamp = opts.timestamp ?? 1_000;
  const records = Array.from({ length: count }, (_, i) => ({ key: `k${baseOffset + i}`, value: Buffer.alloc(opts.valueSize ?? 10, i), timestamp: timestamp + i }));
  return buildRecordBatch(records, { baseOffset, partitionLeaderEpoch: epoch, now: timestamp });
}

const entries = (log: Log) => log.leaderEpochCache.epochEntries().map((e) => [e.epoch, e.startOffset]);
const checkpointText = (partitionDir: string) => readFile(path.join(partitionDir, 'leader-epoch-checkpoint'), 'utf8');

test('leader appends start each epoch at its first offset; endOffsetForEpoch answers every case', () =>
  withLog(async ({ log, partitionDir }) => {
    assert.equal(await checkpointText(partitionDir), '', 'a new log has the empty file Kafka creates');
    assert.equal(log.latestEpoch(), undefined);
    assert.deepEqual(log.endOffsetForEpoch(0), { epoch: -1, endOffset: -1 });

    for (let i = 0; i < 3; i++) await log.appendAsLeader(await batch(1), { leaderEpoch: 1 });
    assert.equal(await checkpointText(partitionDir), '0\n1\n1 0\n');
    // A new leader assigns its epoch at its log end offset before appending anything.
    await log.maybeAssignEpochStartOffset(3, log.logEndOffset);
    assert.deepEqual(log.endOffsetForEpoch(1), { epoch: 1, endOffset: 3 });
    assert.deepEqual(log.endOffsetForEpoch(3), { epoch: 3, endOffset: 3 });
    await log.appendAsLeader(await batch(2), { leaderEpoch: 3 });
    await log.appendAsLeader(await batch(1), { leaderEpoch: 3 });
    assert.deepEqual(entries(log), [
      [1, 0],
      [3, 3],
    ]);
    assert.equal(await checkpointText(partitionDir), '0\n2\n1 0\n3 3\n');
    assert.equal(log.latestEpoch(), 3);
    assert.equal(log.logEndOffset, 6);
    const table: [number, { epoch: number; endOffset: number }][] = [
      [-1, { epoch: -1, endOffset: -1 }],
      [0, { epoch: 0, endOffset: 0 }], // older than every epoch: where the log's epochs start
      [1, { epoch: 1, endOffset: 3 }],
      [2, { epoch: 1, endOffset: 3 }], // never led: the end of the epoch before it
      [3, { epoch: 3, endOffset: 6 }], // the current epoch: the log end offset
      [4, { epoch: -1, endOffset: -1 }],
    ];
    for (const [epoch, expected] of table) assert.deepEqual(log.endOffsetForEpoch(epoch), expected, `epoch ${epoch}`);
    const stamped = (await log.read(0, { maxBytes: 1 << 20, minOneMessage: true })).records.flatMap((b) => [...batches(b)]);
    assert.deepEqual(
      stamped.map((v) => [v.baseOffset, v.partitionLeaderEpoch]),
      [
        [0, 1],
        [1, 1],
        [2, 1],
        [3, 3],
        [5, 3],
      ],
    );
  }));

test('a follower append of many batches under several epochs keeps offsets and records every epoch start', () =>
  withLog(async ({ log, partitionDir }) => {
    const fetched = Buffer.concat([
      await leaderBatch(0, 0, 2),
      await leaderBatch(2, 0, 1),
      await leaderBatch(3, 2, 3),
      await leaderBatch(6, 3, 1),
      await leaderBatch(7, 3, 2),
    ]);
    const partial = (await leaderBatch(9, 4, 1)).subarray(0, 30);
    const info = await log.appendAsFollower(Buffer.concat([fetched, partial]));
    assert.deepEqual([info.firstOffset, info.lastOffset, info.shallowCount, info.recordCount, info.validBytes], [0, 8, 5, 9, fetched.length]);
    assert.equal(log.logEndOffset, 9);
    assert.deepEqual(entries(log), [
      [0, 0],
      [2, 3],
      [3, 6],
    ]);
    assert.equal(await checkpointText(partitionDir), '0\n3\n0 0\n2 3\n3 6\n');

    await log.appendAsFollower(Buffer.concat([await leaderBatch(9, 3, 1), await leaderBatch(10, 6, 2), await leaderBatch(12, 6, 1)]));
    assert.deepEqual(entries(log), [
      [0, 0],
      [2, 3],
      [3, 6],
      [6, 10],
    ]);
    assert.deepEqual(log.endOffsetForEpoch(2), { epoch: 2, endOffset: 6 });
    assert.deepEqual(log.endOffsetForEpoch(4), { epoch: 3, endOffset: 10 });
    assert.deepEqual(log.endOffsetForEpoch(6), { epoch: 6, endOffset: 13 });
    const read = (await log.read(0, { maxBytes: 1 << 20, minOneMessage: true })).records.flatMap((b) => [...batches(b)]);
    assert.deepEqual(
      read.map((v) => [v.baseOffset, v.lastOffset, v.partitionLeaderEpoch]),
      [
        [0, 1, 0],
        [2, 2, 0],
        [3, 5, 2],
        [6, 6, 3],
        [7, 8, 3],
        [9, 9, 3],
        [10, 11, 6],
        [12, 12, 6],
      ],
    );
  }));

test('follower appends refuse offsets that go backwards and invalid batches, leaving the log and its epochs as they were', () =>
  withLog(async ({ log, partitionDir }) => {
    await log.appendAsFollower(Buffer.concat([await leaderBatch(0, 1, 2), await leaderBatch(2, 1, 2)]));
    const before = await checkpointText(partitionDir);
    const unchanged = () => {
      assert.equal(log.logEndOffset, 4);
      assert.deepEqual(entries(log), [[1, 0]]);
    };

    const overlapping = Buffer.concat([await leaderBatch(4, 2, 3), await leaderBatch(6, 2, 1)]);
    await assert.rejects(log.appendAsFollower(overlapping), (e: unknown) => {
      assert.ok(e instanceof OffsetsOutOfOrderError);
      assert.equal(e.name, 'OffsetsOutOfOrderError');
      assert.deepEqual([e.baseOffset, e.previousLastOffset], [6, 6]);
      assert.match(e.message, /Out of order offsets found in append to topic-0: batches \[4, 6\], \[6, 6\]/);
      return true;
    });
    unchanged();
    const descending = Buffer.concat([await leaderBatch(8, 2, 1), await leaderBatch(5, 2, 1)]);
    await assert.rejects(log.appendAsFollower(descending), OffsetsOutOfOrderError);
    unchanged();

    await assert.rejects(log.appendAsFollower(await leaderBatch(3, 2, 2)), (e: unknown) => {
      assert.ok(e instanceof UnexpectedAppendOffsetError);
      assert.deepEqual([e.firstOffset, e.lastOffset], [3, 4]);
      return true;
    });
    unchanged();

    const corrupt = await leaderBatch(4, 2, 1);
    corrupt[corrupt.length - 1] ^= 0xff;
    await assert.rejects(log.appendAsFollower(corrupt), CorruptRecordError);
    unchanged();
    assert.equal(await checkpointText(partitionDir), before);

    // The log is still online: the next valid fetch goes through.
    await log.appendAsFollower(await leaderBatch(4, 2, 1));
    assert.deepEqual(entries(log), [
      [1, 0],
      [2, 4],
    ]);
  }));

test('a follower append larger than segment.bytes rolls across segments like leader appends', () =>
  withLog(
    async ({ log }) => {
      const parts: Buffer[] = [];
      for (let i = 0; i < 12; i++) parts.push(await leaderBatch(i * 2, i < 6 ? 4 : 5, 2, { valueSize: 40 }));
      const batchSize = parts[0].length;
      assert.ok(batchSize * 12 > 600 && batchSize < 600);
      const info = await log.appendAsFollower(Buffer.concat(parts));
      assert.deepEqual([info.firstOffset, info.lastOffset, info.shallowCount], [0, 23, 12]);
      assert.equal(log.logEndOffset, 24);
      const segments = log.logSegments();
      assert.ok(segments.length >= 3, `${segments.length} segments`);
      for (const s of segments) assert.ok(s.size <= 600, `segment ${s.baseOffset} holds ${s.size} bytes`);
      assert.equal(segments[0].baseOffset, 0);
      for (const s of segments.slice(1)) assert.equal(s.baseOffset % 2, 0, 'segments start on batch boundaries');
      for (let offset = 0; offset < 24; offset += 2) {
        const [first] = (await log.read(offset, { maxBytes: 1, minOneMessage: true })).records.flatMap((b) => [...batches(b)]);
        assert.deepEqual([first.baseOffset, first.partitionLeaderEpoch], [offset, offset < 12 ? 4 : 5]);
      }
      assert.deepEqual(entries(log), [
        [4, 0],
        [5, 12],
      ]);

      const huge = await leaderBatch(24, 6, 1, { valueSize: 700 });
      await assert.rejects(log.appendAsFollower(huge), RecordBatchTooLargeError);
      assert.equal(log.logEndOffset, 24);
      assert.equal(log.latestEpoch(), 5);
    },
    { segmentBytes: 600 },
  ));

test('truncation drops the epochs that started past the new log end; a full truncation clears them', () =>
  withLog(async ({ log, partitionDir }) => {
    await log.appendAsFollower(
      Buffer.concat([await leaderBatch(0, 0, 3), await leaderBatch(3, 2, 3), await leaderBatch(6, 5, 1), await leaderBatch(7, 5, 2)]),
    );
    log.highWatermark = 9;
    assert.equal(await log.truncateTo(7), true);
    assert.deepEqual(entries(log), [
      [0, 0],
      [2, 3],
      [5, 6],
    ]);
    assert.equal(await log.truncateTo(6), true);
    assert.deepEqual(entries(log), [
      [0, 0],
      [2, 3],
    ]);
    assert.equal(log.latestEpoch(), 2);
    // Truncating into the middle of a batch removes the whole batch: the epoch goes with it.
    assert.equal(await log.truncateTo(4), true);
    assert.equal(log.logEndOffset, 3);
    assert.deepEqual(entries(log), [[0, 0]]);
    assert.equal(await checkpointText(partitionDir), '0\n1\n0 0\n');
    assert.deepEqual(log.endOffsetForEpoch(2), { epoch: -1, endOffset: -1 });

    // An epoch assigned as leader without data is dropped even when the log itself is not truncated.
    await log.maybeAssignEpochStartOffset(7, 3);
    assert.equal(log.latestEpoch(), 7);
    assert.equal(await log.truncateTo(3), false);
    assert.deepEqual(entries(log), [[0, 0]]);

    await log.truncateFullyAndStartAt(100);
    assert.equal(log.latestEpoch(), undefined);
    assert.equal(await checkpointText(partitionDir), '0\n0\n');
    await log.appendAsLeader(await batch(1), { leaderEpoch: 8 });
    assert.deepEqual(entries(log), [[8, 100]]);
  }));

test('log start offset moves (DeleteRecords, retention) truncate the epochs from the start', () =>
  withLog(
    async ({ log, partitionDir, clock }) => {
      for (let i = 0; i < 12; i++) {
        await log.appendAsLeader(await batch(1, { valueSize: 100, timestamp: clock.ms - 60_000 }), { leaderEpoch: Math.floor(i / 4) });
      }
      assert.deepEqual(entries(log), [
        [0, 0],
        [1, 4],
        [2, 8],
      ]);
      log.highWatermark = 12;
      await log.maybeIncrementLogStartOffset(5);
      assert.deepEqual(entries(log), [
        [1, 5],
        [2, 8],
      ]);
      assert.equal(await checkpointText(partitionDir), '0\n2\n1 5\n2 8\n');
      assert.deepEqual(await log.fetchOffsetByTimestamp(-2), { offset: 5, timestamp: -1, leaderEpoch: 1 });

      await log.roll();
      const deleted = await log.deleteOldSegments();
      assert.ok(deleted > 0);
      assert.ok(log.logStartOffset > 8, `log start offset ${log.logStartOffset}`);
      assert.deepEqual(entries(log), [[2, log.logStartOffset]]);
      assert.deepEqual(await log.fetchOffsetByTimestamp(-2), { offset: log.logStartOffset, timestamp: -1, leaderEpoch: 2 });
    },
    { segmentBytes: 400, retentionMs: 10_000 },
  ));

test('ListOffsets reports leader epochs from the cache', async () => {
  await withLog(async ({ log }) => {
    const epochs = [0, 2, 4];
    for (const [i, epoch] of epochs.entries()) {
      for (let j = 0; j < 3; j++) await log.appendAsLeader(await batch(1, { timestamp: (i + 1) * 1000 + j }), { leaderEpoch: epoch });
    }
    const table: [number, { offset: number; timestamp: number; leaderEpoch: number } | null][] = [
      [-1, { offset: 9, timestamp: -1, leaderEpoch: 4 }],
      [-2, { offset: 0, timestamp: -1, leaderEpoch: 0 }],
      [-4, { offset: 0, timestamp: -1, leaderEpoch: 0 }],
      [-3, { offset: 8, timestamp: 3002, leaderEpoch: 4 }],
      [1000, { offset: 0, timestamp: 1000, leaderEpoch: 0 }],
      [1500, { offset: 3, timestamp: 2000, leaderEpoch: 2 }],
      [2001, { offset: 4, timestamp: 2001, leaderEpoch: 2 }],
      [2500, { offset: 6, timestamp: 3000, leaderEpoch: 4 }],
      [4000, null],
    ];
    for (const [timestamp, expected] of table) assert.deepEqual(await log.fetchOffsetByTimestamp(timestamp), expected, `timestamp ${timestamp}`);
  });

  // Batches written without an epoch (-1): the cache decides, as Kafka's ListOffsets does.
  await withLog(async ({ log }) => {
    const noEpoch = await buildRecordBatch(
      [
        { value: 'a', timestamp: 500 },
        { value: 'b', timestamp: 600 },
      ],
      { baseOffset: 0, now: 500 },
    );
    await log.appendAsFollower(Buffer.concat([noEpoch, await leaderBatch(2, 3, 2, { timestamp: 650 })]));
    await log.appendAsFollower(await buildRecordBatch([{ value: 'd', timestamp: 800 }], { baseOffset: 4, now: 800 }));
    assert.deepEqual(entries(log), [[3, 2]]);
    // The first epoch starts after the log start offset: no epoch is known there.
    assert.deepEqual(await log.fetchOffsetByTimestamp(-2), { offset: 0, timestamp: -1, leaderEpoch: -1 });
    assert.deepEqual(await log.fetchOffsetByTimestamp(550), { offset: 1, timestamp: 600, leaderEpoch: -1 });
    assert.deepEqual(await log.fetchOffsetByTimestamp(651), { offset: 3, timestamp: 651, leaderEpoch: 3 });
    // The last batch's header has no epoch, but its offset lies in epoch 3's range.
    assert.deepEqual(await log.fetchOffsetByTimestamp(800), { offset: 4, timestamp: 800, leaderEpoch: 3 });
    assert.deepEqual(await log.fetchOffsetByTimestamp(-3), { offset: 4, timestamp: 800, leaderEpoch: 3 });
    assert.deepEqual(await log.fetchOffsetByTimestamp(-1), { offset: 5, timestamp: -1, leaderEpoch: 3 });
  });
});
