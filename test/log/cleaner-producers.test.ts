// The log cleaner and idempotent producers (Kafka's "retain the last batch of each active producer",
// KAFKA-5490/KAFKA-8335): on real segment files, a compacted log with batches of two idempotent
// producers whose records a plain writer supersedes keeps each producer's last batch (empty, or with
// its surviving records) with its producer id, epoch and sequences; the producer state after a clean
// reload, after an unclean reload that rebuilds it from the cleaned log alone, and on a new replica
// copying the cleaned log knows both producers; a producer that expired is cleaned like any writer.
// Also the empty-batch header and filterTo's three batch retentions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { Log } from '../../src/log/log';
import { Cleaner } from '../../src/log/cleaner/cleaner';
import { BatchRetention } from '../../src/log/cleaner/active-producers';
import { logToClean } from '../../src/log/cleaner/log-to-clean';
import { SkimpyOffsetMap } from '../../src/log/cleaner/offset-map';
import { filterTo } from '../../src/log/cleaner/record-filter';
import { buildEmptyBatch } from '../../src/log/cleaner/retained-batch';
import { Throttler } from '../../src/log/cleaner/throttler';
import { ErrorCode } from '../../src/protocol/errors';
import { BatchAttribute, batches, CompressionType, decodeRecords, type CompressionName, RecordBatchView } from '../../src/protocol/records';
import { buildRecordBatch } from '../../src/protocol/records/record-batch-builder';
import { CapturingLogger, Clock, config, ManualScheduler, tempDir } from './helpers';

const A = 1000;
const B = 2000;
const B_EPOCH = 3;
const T0 = 1_700_000_000_000;

async function openLog(dir: string, opts: { clean?: boolean; clock?: Clock } = {}) {
  await mkdir(dir, { recursive: true });
  const clock = opts.clock ?? new Clock(T0 + 1000);
  const logger = new CapturingLogger();
  const scheduler = new ManualScheduler();
  const log = await Log.load({
    topic: 't',
    partition: 0,
    dir,
    config: config({ cleanupPolicy: ['compact'], segmentBytes: 1024 }),
    logger,
    scheduler,
    now: clock.now,
    hadCleanShutdown: opts.clean ?? true,
  });
  return { log, clock, logger, scheduler };
}

async function cleanLog(f: { log: Log; clock: Clock; logger: CapturingLogger; scheduler: ManualScheduler }) {
  f.log.highWatermark = f.log.logEndOffset;
  const segments = f.log.logSegments();
  const cleaner = new Cleaner({
    id: 0,
    offsetMap: new SkimpyOffsetMap({ memory: 1024 * 1024 }),
    ioBufferSize: 8 * 1024,
    dupBufferLoadFactor: 0.9,
    throttler: new Throttler({ desiredRatePerSec: Number.MAX_VALUE, now: f.clock.now, sleep: async () => undefined }),
    now: f.clock.now,
    logger: f.logger,
    checkDone: () => undefined,
  });
  const result = await cleaner.clean(
    logToClean(f.log, { firstDirtyOffset: f.log.logStartOffset, uncleanableOffset: segments.at(-1)!.baseOffset, needCompactionNow: false, segments }),
  );
  await f.scheduler.runAll('delete-file');
  return result;
}

/** One batch of keyed records (an idempotent producer's when `producerId` is given), stamped `timestamp`. */
function keyedBatch(
  keys: string[],
  opts: { tag: string; timestamp: number; producerId?: number; epoch?: number; baseSequence?: number; compression?: CompressionName },
): Promise<Buffer> {
  return buildRecordBatch(
    keys.map((key) => ({ key, value: `${key}@${opts.tag}`, timestamp: opts.timestamp })),
    {
      producerId: opts.producerId,
      producerEpoch: opts.producerId === undefined ? undefined : (opts.epoch ?? 0),
      baseSequence: opts.baseSequence,
      compression: opts.compression,
      now: opts.timestamp,
    },
  );
}

/** The idempotent batches of the history, re-buildable for resends. */
const history = {
  a0: () => keyedBatch(['a-keep', 'a-1'], { tag: 'A0', timestamp: T0, producerId: A, baseSequence: 0 }),
  b0: () => keyedBatch(['b-0', 'b-1'], { tag: 'B0', timestamp: T0 + 100, producerId: B, epoch: B_EPOCH, baseSequence: 0 }),
  a2: () => keyedBatch(['a-2', 'a-3'], { tag: 'A2', timestamp: T0 + 1, producerId: A, baseSequence: 2 }),
  a4: () => keyedBatch(['a-4', 'a-5'], { tag: 'A4', timestamp: T0 + 3, producerId: A, baseSequence: 4, compression: 'gzip' }),
  b2: () => keyedBatch(['b-2', 'b-keep'], { tag: 'B2', timestamp: T0 + 101, producerId: B, epoch: B_EPOCH, baseSequence: 2 }),
};

/**
 * Offsets 0-1 A seq 0-1 (a-keep survives), 2-3 B seq 0-1, 4-5 A seq 2-3, 6-7 A seq 4-5 (A's last,
 * gzip), 8-9 B seq 2-3 (B's last, b-keep survives), 10-17 a plain writer superseding every other key,
 * then a roll and offset 18 in the active segment.
 */
async function writeHistory(log: Log): Promise<void> {
  for (const make of [history.a0, history.b0, history.a2, history.a4, history.b2]) await log.appendAsLeader(await make(), { leaderEpoch: 0 });
  const superseding = ['a-1', 'a-2', 'a-3', 'a-4', 'a-5', 'b-0', 'b-1', 'b-2'];
  await log.appendAsLeader(await keyedBatch(superseding, { tag: 'plain', timestamp: T0 + 200 }), { leaderEpoch: 0 });
  await log.roll();
  await log.appendAsLeader(await keyedBatch(['tail'], { tag: 'plain', timestamp: T0 + 300 }), { leaderEpoch: 0 });
}

interface BatchSummary {
  offsets: [number, number];
  producerId: number;
  producerEpoch: number;
  baseSequence: number;
  keys: string[];
}

/** Every batch of the log (empty ones included), read through Log.read, CRCs checked. */
async function batchesOf(log: Log): Promise<{ summary: BatchSummary; view: RecordBatchView }[]> {
  const out: { summary: BatchSummary; view: RecordBatchView }[] = [];
  let offset = log.logStartOffset;
  while (offset < log.logEndOffset) {
    const r = await log.read(offset, { maxBytes: 1 << 20, minOneMessage: true });
    if (r.records.length === 0) break;
    for (const buf of r.records) {
      for (const b of batches(buf)) {
        assert.ok(b.isValid(), `batch at ${b.baseOffset} has a valid CRC`);
        const keys = (await decodeRecords(b)).map((rec) => rec.key!.toString());
        out.push({
          summary: { offsets: [b.baseOffset, b.lastOffset], producerId: b.producerId, producerEpoch: b.producerEpoch, baseSequence: b.baseSequence, keys },
          view: new RecordBatchView(Buffer.from(b.bytes()), 0),
        });
        offset = b.nextOffset;
      }
    }
  }
  return out;
}

const PLAIN = { producerId: -1, producerEpoch: -1, baseSequence: -1 };
const SUPERSEDING = ['a-1', 'a-2', 'a-3', 'a-4', 'a-5', 'b-0', 'b-1', 'b-2'];

/** The batches a cleaning of writeHistory's log leaves. */
const CLEANED: BatchSummary[] = [
  { offsets: [0, 1], producerId: A, producerEpoch: 0, baseSequence: 0, keys: ['a-keep'] },
  { offsets: [6, 7], producerId: A, producerEpoch: 0, baseSequence: 4, keys: [] },
  { offsets: [8, 9], producerId: B, producerEpoch: B_EPOCH, baseSequence: 2, keys: ['b-keep'] },
  { offsets: [10, 17], ...PLAIN, keys: SUPERSEDING },
  { offsets: [18, 18], ...PLAIN, keys: ['tail'] },
];

function producerSummary(log: Log): unknown[] {
  return [A, B].map((id) => {
    const e = log.producerStateManager.lastEntry(id);
    return e && { id, epoch: e.producerEpoch, lastSeq: e.lastSeq, lastDataOffset: e.lastDataOffset, lastTimestamp: e.lastTimestamp };
  });
}

const BOTH_PRODUCERS = [
  { id: A, epoch: 0, lastSeq: 5, lastDataOffset: 7, lastTimestamp: T0 + 3 },
  { id: B, epoch: B_EPOCH, lastSeq: 3, lastDataOffset: 9, lastTimestamp: T0 + 101 },
];

/** Both producers' last batches are duplicates (original offsets, nothing written); their next sequences go on. */
async function expectProducersContinue(log: Log): Promise<void> {
  const end = log.logEndOffset;
  const dupA = await log.appendAsLeader(await history.a4(), { leaderEpoch: 0 });
  assert.deepEqual([dupA.firstOffset, dupA.lastOffset, dupA.validBytes], [6, 7, 0], 'A resending its last batch');
  const dupB = await log.appendAsLeader(await history.b2(), { leaderEpoch: 0 });
  assert.deepEqual([dupB.firstOffset, dupB.lastOffset, dupB.validBytes], [8, 9, 0], 'B resending its last batch');
  assert.equal(log.logEndOffset, end, 'nothing written for the resends');
  await assert.rejects(
    log.appendAsLeader(await keyedBatch(['a-gap'], { tag: 'A7', timestamp: T0 + 400, producerId: A, baseSequence: 7 }), { leaderEpoch: 0 }),
    (err: { code?: number }) => err.code === ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER,
  );
  const nextA = await log.appendAsLeader(await keyedBatch(['a-next'], { tag: 'A6', timestamp: T0 + 400, producerId: A, baseSequence: 6 }), { leaderEpoch: 0 });
  const nextB = await log.appendAsLeader(
    await keyedBatch(['b-next'], { tag: 'B4', timestamp: T0 + 400, producerId: B, epoch: B_EPOCH, baseSequence: 4 }),
    { leaderEpoch: 0 },
  );
  assert.deepEqual([nextA.firstOffset, nextB.firstOffset], [end, end + 1]);
}

test("cleaning keeps each active producer's last batch, empty or with its surviving records, with its producer fields", async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const f = await openLog(dir);
    await writeHistory(f.log);
    const originalA4 = (await batchesOf(f.log)).find((b) => b.summary.offsets[0] === 6)!.view;
    assert.equal(originalA4.compression, CompressionType.gzip);

    const { endOffset, stats } = await cleanLog(f);
    assert.equal(endOffset, 18);
    const after = await batchesOf(f.log);
    assert.deepEqual(
      after.map((b) => b.summary),
      CLEANED,
    );
    // A's last batch is a bare header: Kafka's writeEmptyHeader.
    const empty = after[1].view;
    assert.equal(empty.sizeInBytes, 61);
    assert.equal(empty.recordsCount, 0);
    assert.equal(empty.lastOffsetDelta, 1);
    assert.equal(empty.compression, CompressionType.none);
    assert.equal(empty.attributes, 0);
    assert.equal(empty.baseTimestamp, -1);
    assert.equal(empty.maxTimestamp, originalA4.maxTimestamp);
    assert.equal(empty.partitionLeaderEpoch, originalA4.partitionLeaderEpoch);
    // B's last batch was rebuilt from its surviving record and still ends at its last offset.
    assert.equal(after[2].view.lastOffsetDelta, 1);
    assert.equal(after[2].view.recordsCount, 1);
    // 2+2+2+2+2+8 records read; a-keep, b-keep and the plain batch's 8 written (the empty batch holds none).
    assert.deepEqual([stats.messagesRead, stats.messagesWritten], [18, 10]);

    // The producer state is untouched by cleaning, and a second cleaning keeps the empty batch again.
    assert.deepEqual(producerSummary(f.log), BOTH_PRODUCERS);
    await cleanLog(f);
    assert.deepEqual(
      (await batchesOf(f.log)).map((b) => b.summary),
      CLEANED,
    );
    await expectProducersContinue(f.log);
    await f.log.close();
  } finally {
    await cleanup();
  }
});

test('after cleaning, a clean reload (from the snapshot) knows both producers: resends are duplicates, sequences go on', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const f = await openLog(dir);
    await writeHistory(f.log);
    await cleanLog(f);
    await f.log.close();
    const g = await openLog(dir, { clean: true });
    assert.deepEqual(
      (await batchesOf(g.log)).map((b) => b.summary),
      CLEANED,
    );
    assert.deepEqual(producerSummary(g.log), BOTH_PRODUCERS);
    await expectProducersContinue(g.log);
    await g.log.close();
  } finally {
    await cleanup();
  }
});

test('after cleaning, the producer state rebuilt from the cleaned log alone (unclean restart without snapshots, a new replica) knows both producers', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const partitionDir = path.join(dir, 't-0');
    const f = await openLog(partitionDir);
    await writeHistory(f.log);
    await cleanLog(f);
    const cleaned = await batchesOf(f.log);
    // A crash (no close) and no snapshot left: recovery replays the whole cleaned log.
    for (const name of await readdir(partitionDir)) if (name.endsWith('.snapshot')) await rm(path.join(partitionDir, name));
    const g = await openLog(partitionDir, { clean: false });
    assert.deepEqual(
      (await batchesOf(g.log)).map((b) => b.summary),
      CLEANED,
      'recovery keeps the empty batch',
    );
    assert.deepEqual(producerSummary(g.log), BOTH_PRODUCERS);
    // A's state holds its surviving first batch and the empty last one: the dropped ones are gone.
    assert.deepEqual(g.log.producerStateManager.lastEntry(A)!.batchMetadata.map((b) => b.lastOffset), [1, 7]);
    assert.deepEqual(g.log.producerStateManager.lastEntry(B)!.batchMetadata.map((b) => b.lastOffset), [9]);
    await expectProducersContinue(g.log);
    await g.log.close();

    // A follower copying the cleaned log from the start builds the same state from the same batches.
    const replica = await openLog(path.join(dir, 'replica-t-0'));
    await replica.log.appendAsFollower(Buffer.concat(cleaned.map((b) => b.view.bytes())));
    assert.equal(replica.log.logEndOffset, 19);
    assert.deepEqual(producerSummary(replica.log), BOTH_PRODUCERS);
    await expectProducersContinue(replica.log);
    await replica.log.close();
    await f.log.close(); // the crashed instance's files, left open until now
  } finally {
    await cleanup();
  }
});

test("an expired producer's batches are cleaned like any other writer's: its last batch goes when no record stays", async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const clock = new Clock(T0 + 1000);
    const f = await openLog(dir, { clock });
    await writeHistory(f.log);
    // A's last write is at T0 + 3, B's at T0 + 101: with a 99-second expiration at T0 + 100 s only A goes.
    clock.ms = T0 + 100_000;
    assert.equal(await f.log.removeExpiredProducers(clock.ms, 99_950), 1);
    assert.equal(f.log.producerStateManager.lastEntry(A), undefined);
    await cleanLog(f);
    assert.deepEqual(
      (await batchesOf(f.log)).map((b) => b.summary),
      CLEANED.filter((b) => b.offsets[0] !== 6),
      "A's empty last batch is dropped; its batch with a surviving record stays",
    );
    await f.log.close();
  } finally {
    await cleanup();
  }
});

test('the empty batch header keeps offsets, producer fields, timestamp type and flags, and drops codec and delete horizon', async () => {
  const original = new RecordBatchView(
    await buildRecordBatch(
      [
        { key: 'k1', value: 'v1' },
        { key: 'k2', value: null },
        { key: 'k3', value: 'v3' },
      ],
      { compression: 'gzip', baseOffset: 500, partitionLeaderEpoch: 7, producerId: 99, producerEpoch: 4, baseSequence: 2147483646, transactional: true, logAppendTime: T0 + 5, now: T0 },
    ),
    0,
  );
  // As if a cleaning had already given it a delete horizon.
  original.buffer.writeInt16BE(original.attributes | BatchAttribute.deleteHorizon, 21);
  const empty = new RecordBatchView(buildEmptyBatch(original), 0);
  assert.ok(empty.isValid());
  assert.deepEqual(
    [empty.baseOffset, empty.lastOffset, empty.partitionLeaderEpoch, empty.magic, empty.producerId, empty.producerEpoch, empty.baseSequence],
    [500, 502, 7, 2, 99, 4, 2147483646],
  );
  assert.equal(empty.attributes, BatchAttribute.timestampTypeLogAppendTime | BatchAttribute.transactional);
  assert.deepEqual([empty.baseTimestamp, empty.maxTimestamp, empty.recordsCount, empty.sizeInBytes], [-1, T0 + 5, 0, 61]);
  assert.deepEqual(await decodeRecords(empty), []);
});

test('filterTo: DELETE drops a batch unread, DELETE_EMPTY drops it once empty, RETAIN_EMPTY keeps its header', async () => {
  const chunk = Buffer.concat(
    await Promise.all(
      [0, 2, 4].map((baseOffset, i) =>
        buildRecordBatch(
          [
            { key: `x${i}`, value: 'old' },
            { key: `y${i}`, value: 'old' },
          ],
          { baseOffset, producerId: 5, producerEpoch: 0, baseSequence: baseOffset, now: T0 },
        ),
      ),
    ),
  );
  const retention = [BatchRetention.DELETE, BatchRetention.DELETE_EMPTY, BatchRetention.RETAIN_EMPTY];
  const logger = new CapturingLogger();
  const filter = (keepKeys: string[]) => ({
    currentTime: T0,
    deleteRetentionMs: 1000,
    checkBatchRetention: (b: RecordBatchView) => retention[b.baseOffset / 2],
    shouldRetainRecord: (_b: RecordBatchView, r: { key: Buffer | null }) => keepKeys.includes(r.key!.toString()),
  });
  const dropAll = await filterTo(chunk, filter([]), { topicPartition: 't-0', maxRecordBatchSize: 1 << 20, logger });
  assert.deepEqual(
    [...batches(dropAll.output)].map((b) => [b.baseOffset, b.lastOffset, b.recordsCount, b.baseSequence]),
    [[4, 5, 0, 4]],
  );
  // The DELETE batch's records are not even read.
  assert.deepEqual([dropAll.bytesRead, dropAll.messagesRead, dropAll.messagesRetained, dropAll.bytesRetained], [chunk.length, 4, 0, 61]);

  const keepSome = await filterTo(chunk, filter(['x0', 'x1', 'y2']), { topicPartition: 't-0', maxRecordBatchSize: 1 << 20, logger });
  const kept = [...batches(keepSome.output)];
  assert.deepEqual(
    await Promise.all(kept.map(async (b) => [b.baseOffset, b.lastOffset, (await decodeRecords(b)).map((r) => r.key!.toString())])),
    [
      [2, 3, ['x1']],
      [4, 5, ['y2']],
    ],
  );
});

test('cleaning several segments into one deletes the producer snapshots of the merged-away segments', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const f = await openLog(path.join(dir, 't-0'));
    // Four small segments (a roll after every three records writes a snapshot named after the new segment's
    // base offset); together they fit one cleaned segment, so the cleaner merges them.
    for (let i = 0; i < 12; i++) {
      await f.log.appendAsLeader(await keyedBatch([`k${i % 3}`], { tag: `v${i}`, timestamp: T0 + i }), { leaderEpoch: 0 });
      if (i % 3 === 2) await f.log.roll();
    }
    const snapshotsBefore = (await readdir(path.join(dir, 't-0'))).filter((n) => n.endsWith('.snapshot')).sort();
    const segments = f.log.logSegments();
    assert.equal(segments.length, 5);
    await cleanLog(f);
    assert.equal(f.log.logSegments().length, 2, 'the four cleaned segments became one');
    const merged = new Set(segments.slice(1, -1).map((s) => s.baseOffset));
    const snapshotsAfter = (await readdir(path.join(dir, 't-0'))).filter((n) => n.endsWith('.snapshot')).sort();
    const expected = snapshotsBefore.filter((n) => !merged.has(Number(n.slice(0, 20))));
    assert.ok(expected.length < snapshotsBefore.length, 'some snapshots belonged to merged-away segments');
    assert.deepEqual(snapshotsAfter, expected);
    await f.log.close();
  } finally {
    await cleanup();
  }
});
