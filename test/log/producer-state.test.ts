// Producer state of idempotent producers (KIP-98/360): duplicate detection, sequence and epoch checks,
// sequence wrap, the snapshot format, and the log keeping the state across roll, restart (clean and
// unclean), truncation, retention and expiration.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Log } from '../../src/log/log';
import type { LogConfig } from '../../src/log/log-config';
import { ErrorCode } from '../../src/protocol/errors';
import { buildRecordBatch } from '../../src/protocol/records/record-batch-builder';
import { crc32c } from '../../src/protocol/records/crc32c';
import { decodeProducerSnapshot, encodeProducerSnapshot, CorruptSnapshotError } from '../../src/log/producer-state-snapshot';
import { decrementSequence, incrementSequence, ProducerStateEntry } from '../../src/log/producer-state-entry';
import { CapturingLogger, Clock, config, ManualScheduler, tempDir } from './helpers';

const PID = 4242;
const INT32_MAX = 2147483647;

function idempotentBatch(baseSequence: number, count: number, opts: { producerId?: number; epoch?: number; timestamp?: number } = {}) {
  return buildRecordBatch(
    Array.from({ length: count }, (_, i) => ({ key: null, value: Buffer.from(`v${baseSequence}-${i}`), timestamp: opts.timestamp })),
    { producerId: opts.producerId ?? PID, producerEpoch: opts.epoch ?? 0, baseSequence },
  );
}

async function open(dir: string, opts: { clean?: boolean; overrides?: Partial<LogConfig>; clock?: Clock } = {}) {
  await mkdir(dir, { recursive: true });
  const logger = new CapturingLogger();
  const log = await Log.load({
    topic: 't',
    partition: 0,
    dir,
    config: config(opts.overrides),
    logger,
    scheduler: new ManualScheduler(),
    now: (opts.clock ?? new Clock()).now,
    hadCleanShutdown: opts.clean ?? true,
  });
  return { log, logger };
}

async function appendCode(log: Log, records: Buffer): Promise<number> {
  try {
    await log.appendAsLeader(records, { leaderEpoch: 0 });
    return ErrorCode.NONE;
  } catch (err) {
    return (err as { code: number }).code;
  }
}

test('sequence arithmetic wraps at Integer.MAX_VALUE', () => {
  assert.equal(incrementSequence(INT32_MAX, 1), 0);
  assert.equal(incrementSequence(INT32_MAX - 1, 3), 1);
  assert.equal(incrementSequence(5, 3), 8);
  assert.equal(decrementSequence(1, 3), INT32_MAX - 1);
  assert.equal(decrementSequence(8, 3), 5);
});

test('a re-sent batch among the last 5 answers with the original offsets and is not written again', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const { log } = await open(dir);
    const offsets: number[] = [];
    for (let i = 0; i < 6; i++) offsets.push((await log.appendAsLeader(await idempotentBatch(i * 2, 2), { leaderEpoch: 0 })).firstOffset);
    assert.deepEqual(offsets, [0, 2, 4, 6, 8, 10]);
    const end = log.logEndOffset;
    // The last 5 batches (sequences 2..11) are remembered.
    for (let i = 1; i < 6; i++) {
      const info = await log.appendAsLeader(await idempotentBatch(i * 2, 2), { leaderEpoch: 0 });
      assert.deepEqual([info.firstOffset, info.lastOffset, info.validBytes], [i * 2, i * 2 + 1, 0]);
    }
    assert.equal(log.logEndOffset, end, 'nothing appended');
    // The 6th newest (sequence 0-1) fell out of the window: it is now out of order.
    assert.equal(await appendCode(log, await idempotentBatch(0, 2)), ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
    // Same first sequence but another range is not a duplicate: out of order.
    assert.equal(await appendCode(log, await idempotentBatch(10, 1)), ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
    const entry = log.producerStateManager.lastEntry(PID)!;
    assert.deepEqual(entry.batchMetadata.map((b) => b.lastSeq), [3, 5, 7, 9, 11]);
    await log.close();
  } finally {
    await cleanup();
  }
});

test('out-of-order sequences, epochs and unknown producers follow Kafka 3.9', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const { log } = await open(dir);
    // An unknown producer may start at any sequence (no UNKNOWN_PRODUCER_ID since KIP-360).
    assert.equal(await appendCode(log, await idempotentBatch(17, 3)), ErrorCode.NONE);
    assert.equal(await appendCode(log, await idempotentBatch(21, 1)), ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER, 'gap');
    assert.equal(await appendCode(log, await idempotentBatch(20, 1)), ErrorCode.NONE);
    // A new epoch must start at 0.
    assert.equal(await appendCode(log, await idempotentBatch(21, 1, { epoch: 1 })), ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
    assert.equal(await appendCode(log, await idempotentBatch(0, 1, { epoch: 1 })), ErrorCode.NONE);
    // The old epoch is fenced.
    assert.equal(await appendCode(log, await idempotentBatch(21, 1, { epoch: 0 })), ErrorCode.INVALID_PRODUCER_EPOCH);
    // A batch equal to one of the old epoch is not a duplicate any more.
    assert.equal(await appendCode(log, await idempotentBatch(20, 1, { epoch: 0 })), ErrorCode.INVALID_PRODUCER_EPOCH);
    // Producers are independent; batches without a producer id are not checked.
    assert.equal(await appendCode(log, await idempotentBatch(5, 1, { producerId: 7 })), ErrorCode.NONE);
    assert.equal(await appendCode(log, await buildRecordBatch([{ key: null, value: Buffer.from('plain') }])), ErrorCode.NONE);
    assert.equal(log.logEndOffset, 7);
    assert.equal(log.producerStateManager.lastEntry(PID)!.producerEpoch, 1);
    await log.close();
  } finally {
    await cleanup();
  }
});

test('sequences wrap from Integer.MAX_VALUE to 0, and duplicates spanning the wrap are found', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const { log } = await open(dir);
    assert.equal(await appendCode(log, await idempotentBatch(INT32_MAX - 4, 3)), ErrorCode.NONE);
    const wrapping = await idempotentBatch(INT32_MAX - 1, 4); // sequences MAX-1, MAX, 0, 1
    assert.equal(await appendCode(log, wrapping), ErrorCode.NONE);
    assert.equal(log.producerStateManager.lastEntry(PID)!.lastSeq, 1);
    const again = await log.appendAsLeader(await idempotentBatch(INT32_MAX - 1, 4), { leaderEpoch: 0 });
    assert.deepEqual([again.firstOffset, again.validBytes], [3, 0]);
    assert.equal(await appendCode(log, await idempotentBatch(2, 1)), ErrorCode.NONE);
    await log.close();
  } finally {
    await cleanup();
  }
});

test('snapshot format: version 1, CRC-32C over the entries, 46-byte entries, round trip', () => {
  const entries = [
    new ProducerStateEntry(9, { producerEpoch: 3, lastTimestamp: 1_700_000_000_123, batch: { lastSeq: 41, lastOffset: 1000, offsetDelta: 4, timestamp: 1_700_000_000_123 } }),
    new ProducerStateEntry(2, { producerEpoch: 0, lastTimestamp: 5, batch: { lastSeq: 0, lastOffset: 0, offsetDelta: 0, timestamp: 5 } }),
  ];
  const buf = encodeProducerSnapshot(entries);
  assert.equal(buf.length, 2 + 4 + 4 + 2 * 46);
  assert.equal(buf.readInt16BE(0), 1);
  assert.equal(buf.readUInt32BE(2), crc32c(buf.subarray(6)));
  assert.equal(buf.readInt32BE(6), 2);
  // Entry layout of the first (lowest) producer id.
  assert.equal(buf.readBigInt64BE(10), 2n);
  assert.equal(buf.readInt16BE(18), 0);
  assert.equal(buf.readInt32BE(20), 0); // last_sequence
  assert.equal(buf.readBigInt64BE(24), 0n); // last_offset
  assert.equal(buf.readInt32BE(32), 0); // offset_delta
  assert.equal(buf.readBigInt64BE(36), 5n); // timestamp
  assert.equal(buf.readInt32BE(44), -1); // coordinator_epoch
  assert.equal(buf.readBigInt64BE(48), -1n); // current_txn_first_offset
  const decoded = decodeProducerSnapshot(buf);
  assert.deepEqual(
    decoded.map((e) => [e.producerId, e.producerEpoch, e.lastSeq, e.firstSeq, e.lastDataOffset, e.firstDataOffset, e.lastTimestamp]),
    [
      [2, 0, 0, 0, 0, 0, 5],
      [9, 3, 41, 37, 1000, 996, 1_700_000_000_123],
    ],
  );
  const corrupt = Buffer.from(buf);
  corrupt[20] ^= 1;
  assert.throws(() => decodeProducerSnapshot(corrupt), CorruptSnapshotError);
  const badVersion = Buffer.from(buf);
  badVersion.writeInt16BE(2, 0);
  assert.throws(() => decodeProducerSnapshot(badVersion), /unknown file version 2/);
  assert.deepEqual(decodeProducerSnapshot(encodeProducerSnapshot([])), []);
});

test('snapshots at roll and close; a clean restart loads the snapshot, an unclean one replays the log after it', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const { log } = await open(dir, { overrides: { segmentBytes: 400 } });
    let seq = 0;
    while (log.numberOfSegments < 3) {
      await log.appendAsLeader(await idempotentBatch(seq, 2), { leaderEpoch: 0 });
      seq += 2;
    }
    const bases = log.logSegments().map((s) => s.baseOffset);
    const snapshotsAfterRolls = (await readdir(dir)).filter((f) => f.endsWith('.snapshot')).sort();
    assert.deepEqual(snapshotsAfterRolls, bases.slice(1).map((b) => `${String(b).padStart(20, '0')}.snapshot`));
    const end = log.logEndOffset;
    await log.close();
    const atClose = `${String(end).padStart(20, '0')}.snapshot`;
    assert.ok((await readdir(dir)).includes(atClose));
    const onDisk = decodeProducerSnapshot(await readFile(path.join(dir, atClose)));
    assert.deepEqual(onDisk.map((e) => [e.producerId, e.lastSeq, e.lastDataOffset]), [[PID, seq - 1, end - 1]]);

    // Clean restart: from the snapshot; the last batch is a duplicate, the next sequence is accepted.
    let reopened = await open(dir, { clean: true });
    let dup = await reopened.log.appendAsLeader(await idempotentBatch(seq - 2, 2), { leaderEpoch: 0 });
    assert.deepEqual([dup.firstOffset, dup.validBytes], [end - 2, 0]);
    await reopened.log.appendAsLeader(await idempotentBatch(seq, 2), { leaderEpoch: 0 });
    await reopened.log.appendAsLeader(await idempotentBatch(seq + 2, 2), { leaderEpoch: 0 });
    // Leave without closing (no snapshot of the last two batches), as a SIGKILL would.
    const crashedEnd = reopened.log.logEndOffset;

    reopened = await open(dir, { clean: false });
    assert.equal(reopened.log.logEndOffset, crashedEnd);
    const entry = reopened.log.producerStateManager.lastEntry(PID)!;
    // The snapshot gave the batch at `end - 2`, the replay the two after it.
    assert.deepEqual(entry.batchMetadata.map((b) => b.lastOffset), [end - 1, end + 1, end + 3]);
    dup = await reopened.log.appendAsLeader(await idempotentBatch(seq, 2), { leaderEpoch: 0 });
    assert.deepEqual([dup.firstOffset, dup.validBytes], [end, 0]);
    assert.equal(await appendCode(reopened.log, await idempotentBatch(seq + 6, 1)), ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
    // The rebuilt state was written as a snapshot at the log end.
    assert.equal(reopened.log.producerStateManager.latestSnapshotOffset, crashedEnd);
    await reopened.log.close();
  } finally {
    await cleanup();
  }
});

test('a corrupt latest snapshot is deleted and the state rebuilt from an older one plus the log', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const { log } = await open(dir, { overrides: { segmentBytes: 400 } });
    let seq = 0;
    while (log.numberOfSegments < 2) {
      await log.appendAsLeader(await idempotentBatch(seq, 1), { leaderEpoch: 0 });
      seq += 1;
    }
    const end = log.logEndOffset;
    await log.close();
    const latest = path.join(dir, `${String(end).padStart(20, '0')}.snapshot`);
    await writeFile(latest, Buffer.from('garbage!garbage!'));
    const { log: reopened, logger } = await open(dir, { clean: true });
    assert.ok(logger.lines.some((l) => l.startsWith('WARN Failed to load producer snapshot')), logger.lines.join('\n'));
    assert.equal(reopened.producerStateManager.lastEntry(PID)!.lastSeq, seq - 1);
    assert.equal(reopened.producerStateManager.latestSnapshotOffset, end);
    await reopened.close();
  } finally {
    await cleanup();
  }
});

test('truncation removes later snapshots and rebuilds the state below the truncation point', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const { log } = await open(dir, { overrides: { segmentBytes: 400 } });
    let seq = 0;
    while (log.numberOfSegments < 3) {
      await log.appendAsLeader(await idempotentBatch(seq, 1), { leaderEpoch: 0 });
      seq += 1;
    }
    const secondBase = log.logSegments()[1].baseOffset;
    const target = secondBase + 1;
    await log.truncateTo(target);
    assert.equal(log.logEndOffset, target);
    assert.ok(log.producerStateManager.snapshotOffsets().every((o) => o <= target), String(log.producerStateManager.snapshotOffsets()));
    // Offsets equal sequences here, so the producer's last sequence is the last offset kept.
    assert.equal(log.producerStateManager.lastEntry(PID)!.lastSeq, target - 1);
    // The sequences after the truncation point may be written again (a follower's new leader resends them).
    assert.equal(await appendCode(log, await idempotentBatch(target, 1)), ErrorCode.NONE);
    // Follower appends apply batches without checks.
    await log.truncateTo(2);
    await log.appendAsFollower(await buildRecordBatch([{ key: null, value: Buffer.from('f') }], { producerId: PID, producerEpoch: 0, baseSequence: 40, baseOffset: 2 }));
    assert.equal(log.producerStateManager.lastEntry(PID)!.lastSeq, 40);
    await log.truncateFullyAndStartAt(100);
    assert.equal(log.producerStateManager.lastEntry(PID), undefined);
    assert.deepEqual((await readdir(dir)).filter((f) => f.endsWith('.snapshot')), []);
    await log.close();
  } finally {
    await cleanup();
  }
});

test('retention deletes the snapshots of deleted segments; idle producers expire', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const clock = new Clock();
    const { log } = await open(dir, { overrides: { segmentBytes: 400, retentionBytes: 1 }, clock });
    let seq = 0;
    while (log.numberOfSegments < 3) {
      await log.appendAsLeader(await idempotentBatch(seq, 1, { timestamp: clock.ms }), { leaderEpoch: 0 });
      seq += 1;
    }
    await log.appendAsLeader(await idempotentBatch(0, 1, { producerId: 8, timestamp: clock.ms + 5000 }), { leaderEpoch: 0 });
    log.highWatermark = log.logEndOffset;
    const deleted = await log.deleteOldSegments();
    assert.ok(deleted >= 1);
    const first = log.logSegments()[0].baseOffset;
    assert.ok(log.producerStateManager.snapshotOffsets().every((o) => o >= first), String(log.producerStateManager.snapshotOffsets()));
    // Producers are not forgotten with their data (Kafka keeps them until they expire).
    assert.ok(log.producerStateManager.lastEntry(PID));
    assert.equal(await log.removeExpiredProducers(clock.ms + 1000, 1000), 1);
    assert.equal(log.producerStateManager.lastEntry(PID), undefined);
    assert.ok(log.producerStateManager.lastEntry(8));
    // Forgotten: any sequence is accepted again.
    assert.equal(await appendCode(log, await idempotentBatch(77, 1)), ErrorCode.NONE);
    await log.close();
  } finally {
    await cleanup();
  }
});
