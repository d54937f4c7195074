// The leader epoch cache on its own (cases after Kafka's LeaderEpochFileCacheTest) and its checkpoint file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { LeaderEpochFileCache, UNDEFINED_EPOCH, UNDEFINED_EPOCH_OFFSET } from '../../src/log/leader-epoch-cache';
import {
  formatLeaderEpochCheckpoint,
  LEADER_EPOCH_CHECKPOINT_FILE,
  LeaderEpochCheckpointFile,
  parseLeaderEpochCheckpoint,
} from '../../src/log/leader-epoch-checkpoint';
import { CheckpointFileError } from '../../src/log/log-errors';
import { CapturingLogger, tempDir } from './helpers';

const UNDEFINED = { epoch: UNDEFINED_EPOCH, endOffset: UNDEFINED_EPOCH_OFFSET };

/** A cache on a checkpoint file in a fresh temp dir; `entries` go in through assign, one by one. */
async function withCache(
  fn: (ctx: { cache: LeaderEpochFileCache; file: string; logger: CapturingLogger; dir: string }) => Promise<void>,
  entries: [number, number][] = [],
): Promise<void> {
  const { dir, cleanup } = await tempDir('ts-kafka-epochs-');
  try {
    const file = path.join(dir, LEADER_EPOCH_CHECKPOINT_FILE);
    const logger = new CapturingLogger();
    const cache = new LeaderEpochFileCache({ topicPartition: 'TestTopic-5', checkpoint: new LeaderEpochCheckpointFile(file), logger });
    for (const [epoch, startOffset] of entries) await cache.assign(epoch, startOffset);
    await fn({ cache, file, logger, dir });
  } finally {
    await cleanup();
  }
}

const entriesOf = (cache: LeaderEpochFileCache) => cache.epochEntries().map((e) => [e.epoch, e.startOffset]);
const warnings = (logger: CapturingLogger) => logger.lines.filter((l) => l.startsWith('WARN'));

test('assign records the first offset of each epoch and ignores later offsets of the same epoch', () =>
  withCache(async ({ cache, file }) => {
    await cache.assign(2, 10);
    assert.equal(cache.latestEpoch(), 2);
    assert.deepEqual(cache.latestEntry(), { epoch: 2, startOffset: 10 });
    assert.deepEqual(cache.endOffsetFor(2, 11), { epoch: 2, endOffset: 11 });
    await cache.assign(2, 12);
    await cache.assign(2, 14);
    assert.deepEqual(entriesOf(cache), [[2, 10]]);
    await cache.assign(3, 14);
    assert.deepEqual(entriesOf(cache), [
      [2, 10],
      [3, 14],
    ]);
    assert.equal(await readFile(file, 'utf8'), '0\n2\n2 10\n3 14\n');
  }));

test('a new epoch at the same start offset replaces the previous one without a warning', () =>
  withCache(async ({ cache, logger }) => {
    await cache.assign(2, 9);
    await cache.assign(3, 9);
    assert.deepEqual(entriesOf(cache), [[3, 9]]);
    assert.deepEqual(warnings(logger), []);
  }));

test('conflicting entries are truncated, with a warning, so epochs and offsets stay increasing', async () => {
  // An epoch in the past with a later offset: later epochs go (Kafka's shouldEnforceMonotonicallyIncreasingEpochs).
  await withCache(
    async ({ cache, logger }) => {
      await cache.assign(1, 7);
      assert.equal(cache.latestEpoch(), 1);
      assert.deepEqual(entriesOf(cache), [[1, 7]]);
      assert.deepEqual(cache.endOffsetFor(1, 8), { epoch: 1, endOffset: 8 });
      assert.deepEqual(cache.endOffsetFor(2, 8), UNDEFINED);
      assert.deepEqual(warnings(logger), [
        'WARN New epoch entry EpochEntry(epoch=1, startOffset=7) caused truncation of conflicting entries ' +
          '[EpochEntry(epoch=2, startOffset=6), EpochEntry(epoch=1, startOffset=5)]. Cache now contains 0 entries.',
      ]);
    },
    [
      [1, 5],
      [2, 6],
    ],
  );
  // A later epoch at an earlier offset: the conflicting entry goes (shouldEnforceOffsetsIncreaseMonotonically).
  await withCache(
    async ({ cache, logger }) => {
      await cache.assign(3, 5);
      assert.deepEqual(entriesOf(cache), [[3, 5]]);
      assert.equal(warnings(logger).length, 1);
    },
    [[2, 6]],
  );
  // The latest epoch again, at an earlier offset (shouldTruncateIfMatchingEpochButEarlierStartingOffset).
  await withCache(
    async ({ cache }) => {
      await cache.assign(7, 12);
      assert.deepEqual(entriesOf(cache), [
        [5, 11],
        [7, 12],
      ]);
      assert.deepEqual(cache.endOffsetFor(5, 20), { epoch: 5, endOffset: 12 });
      assert.deepEqual(cache.endOffsetFor(6, 20), { epoch: 5, endOffset: 12 });
    },
    [
      [5, 11],
      [6, 12],
      [7, 13],
    ],
  );
});

test('negative epochs and offsets are refused', () =>
  withCache(async ({ cache }) => {
    await assert.rejects(cache.assign(-1, 0), (e: unknown) => e instanceof RangeError && /EpochEntry\(epoch=-1, startOffset=0\)/.test(e.message));
    await assert.rejects(cache.assign(0, -5), RangeError);
    assert.deepEqual(entriesOf(cache), []);
  }));

test('endOffsetFor answers every case as Kafka does', async () => {
  // Empty cache.
  await withCache(async ({ cache }) => {
    assert.deepEqual(cache.endOffsetFor(0, 73), UNDEFINED);
    assert.deepEqual(cache.endOffsetFor(UNDEFINED_EPOCH, 73), UNDEFINED);
  });
  await withCache(
    async ({ cache }) => {
      const leo = 17;
      const table: [number, { epoch: number; endOffset: number }][] = [
        [UNDEFINED_EPOCH, UNDEFINED], // a bootstrapping follower
        [0, { epoch: 0, endOffset: 10 }], // older than the first entry: the requested epoch, the first start offset
        [1, { epoch: 1, endOffset: 13 }], // the next epoch's start offset
        [2, { epoch: 1, endOffset: 13 }], // unknown epoch between two: the largest epoch below it
        [3, { epoch: 3, endOffset: 15 }],
        [4, { epoch: 3, endOffset: 15 }],
        [5, { epoch: 5, endOffset: leo }], // the latest epoch: the log end offset
        [6, UNDEFINED], // newer than any known epoch
      ];
      for (const [requested, expected] of table) assert.deepEqual(cache.endOffsetFor(requested, leo), expected, `epoch ${requested}`);
    },
    [
      [1, 10],
      [3, 13],
      [5, 15],
    ],
  );
  // Kafka's shouldReturnFirstEpochIfRequestedEpochLessThanFirstEpoch and shouldIncreaseAndTrackEpochsAsLeadersChangeManyTimes.
  await withCache(async ({ cache }) => assert.deepEqual(cache.endOffsetFor(4, 0), { epoch: 4, endOffset: 11 }), [
    [5, 11],
    [6, 12],
    [7, 13],
  ]);
  await withCache(
    async ({ cache }) => {
      assert.deepEqual(cache.endOffsetFor(1, 0), { epoch: 1, endOffset: 0 });
      assert.deepEqual(cache.endOffsetFor(0, 0), { epoch: 0, endOffset: 0 });
      await cache.assign(2, 5);
      assert.deepEqual(cache.endOffsetFor(2, 10), { epoch: 2, endOffset: 10 });
      assert.deepEqual(cache.endOffsetFor(1, 10), { epoch: 1, endOffset: 5 });
      assert.deepEqual(cache.endOffsetFor(0, 10), { epoch: 0, endOffset: 0 });
    },
    [
      [0, 0],
      [1, 0],
    ],
  );
});

test('epochForOffset maps an offset to the epoch whose range holds it', () =>
  withCache(
    async ({ cache }) => {
      const table: [number, number | undefined][] = [
        [0, undefined],
        [5, undefined],
        [6, 2],
        [7, 2],
        [8, 3],
        [10, 3],
        [11, 4],
        [1000, 4],
      ];
      for (const [offset, epoch] of table) assert.equal(cache.epochForOffset(offset), epoch, `offset ${offset}`);
    },
    [
      [2, 6],
      [3, 8],
      [4, 11],
    ],
  ));

test('truncateFromEnd drops the entries starting at or after the offset', async () => {
  const entries: [number, number][] = [
    [2, 6],
    [3, 8],
    [4, 11],
  ];
  const cases: [number, [number, number][]][] = [
    [8, [[2, 6]]], // on an epoch boundary: inclusive
    [9, [
      [2, 6],
      [3, 8],
    ]],
    [6, []],
    [0, []],
    [11, [
      [2, 6],
      [3, 8],
    ]],
    [12, entries],
    [-1, entries], // an undefined offset changes nothing
  ];
  for (const [offset, expected] of cases) {
    await withCache(async ({ cache, file }) => {
      await cache.truncateFromEnd(offset);
      assert.deepEqual(entriesOf(cache), expected, `truncateFromEnd(${offset})`);
      assert.equal(await readFile(file, 'utf8'), formatLeaderEpochCheckpoint(cache.epochEntries()));
    }, entries);
  }
});

test('truncateFromStart drops entries below the offset and moves the first one up to it', async () => {
  const entries: [number, number][] = [
    [2, 6],
    [3, 8],
    [4, 11],
  ];
  const cases: [number, [number, number][]][] = [
    [1, entries], // before the first entry: nothing changes
    [6, entries], // on the first entry
    [8, [
      [3, 8],
      [4, 11],
    ]], // on a boundary: that entry is kept
    [9, [
      [3, 9],
      [4, 11],
    ]], // between boundaries: the epoch holding it now starts there
    [11, [[4, 11]]],
    [15, [[4, 15]]], // beyond the last: the latest epoch is kept
  ];
  for (const [offset, expected] of cases) {
    await withCache(async ({ cache, file }) => {
      await cache.truncateFromStart(offset);
      assert.deepEqual(entriesOf(cache), expected, `truncateFromStart(${offset})`);
      assert.equal(await readFile(file, 'utf8'), formatLeaderEpochCheckpoint(cache.epochEntries()));
    }, entries);
  }
  await withCache(
    async ({ cache }) => {
      await cache.truncateFromStart(5);
      assert.deepEqual(entriesOf(cache), [
        [0, 5],
        [1, 7],
        [2, 10],
      ]);
    },
    [
      [0, 0],
      [1, 7],
      [2, 10],
    ],
  );
});

test('clear empties the cache and the file; flush rewrites it', () =>
  withCache(
    async ({ cache, file }) => {
      await cache.clear();
      assert.deepEqual(entriesOf(cache), []);
      assert.equal(cache.latestEpoch(), undefined);
      assert.equal(await readFile(file, 'utf8'), '0\n0\n');
      await writeFile(file, 'garbage');
      await cache.flush();
      assert.equal(await readFile(file, 'utf8'), '0\n0\n');
    },
    [
      [0, 0],
      [1, 4],
    ],
  ));

test('the checkpoint file is written atomically in Kafka\'s format and read back by a new cache', () =>
  withCache(async ({ cache, file, dir }) => {
    await cache.assignAll([
      { epoch: 0, startOffset: 0 },
      { epoch: 0, startOffset: 3 },
      { epoch: 4, startOffset: 9007199254740000 },
    ]);
    assert.equal(await readFile(file, 'utf8'), '0\n2\n0 0\n4 9007199254740000\n');
    assert.deepEqual(await readdir(dir), [LEADER_EPOCH_CHECKPOINT_FILE], 'the .tmp file is renamed away');
    const stored = await new LeaderEpochCheckpointFile(file).read();
    const again = new LeaderEpochFileCache({
      topicPartition: 'TestTopic-5',
      checkpoint: new LeaderEpochCheckpointFile(file),
      logger: new CapturingLogger(),
      entries: stored ?? [],
    });
    assert.deepEqual(again.epochEntries(), cache.epochEntries());
  }));

test('concurrent changes end with the file holding the latest state', () =>
  withCache(async ({ cache, file }) => {
    await Promise.all([cache.assign(0, 0), cache.assign(1, 5), cache.assign(2, 9), cache.truncateFromEnd(9), cache.assign(3, 9)]);
    assert.deepEqual(entriesOf(cache), [
      [0, 0],
      [1, 5],
      [3, 9],
    ]);
    assert.equal(await readFile(file, 'utf8'), '0\n3\n0 0\n1 5\n3 9\n');
  }));

test('checkpoint parsing: missing is null, empty is no entries, malformed is a CheckpointFileError', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const file = LeaderEpochCheckpointFile.inDir(dir);
    assert.equal(file.file, path.join(dir, 'leader-epoch-checkpoint'));
    assert.equal(await file.read(), null);
    await file.createIfMissing();
    assert.equal(await readFile(file.file, 'utf8'), '', 'created empty, as Kafka does');
    assert.deepEqual(await file.read(), []);
    assert.deepEqual(parseLeaderEpochCheckpoint('0\n2\n0 0\n3   17\n', '/p/leader-epoch-checkpoint'), [
      { epoch: 0, startOffset: 0 },
      { epoch: 3, startOffset: 17 },
    ]);
    for (const text of ['1\n0\n', '0\n2\n0 0\n', '0\n1\n0\n', '0\n1\n-1 5\n', '0\n1\n2 x\n', '0\n1\n2147483648 0\n', 'x\n']) {
      assert.throws(() => parseLeaderEpochCheckpoint(text, '/p/cp'), (e: unknown) => e instanceof CheckpointFileError && e.message.includes('/p/cp'), text);
    }
  } finally {
    await cleanup();
  }
});
