/**
 * Log compaction and idempotent producers on a real broker: a kafkajs idempotent producer writes to a
 * compacted topic with small segments; a plain producer supersedes every key of its later batches, so
 * that only its first batch keeps a record. The cleaner keeps the producer's last batch as an empty
 * batch (seen in the segment files). After a SIGKILL with the producer snapshots removed, the broker
 * rebuilds the producer state from the cleaned log alone, and the same producer's next sends are
 * accepted in sequence (no OUT_OF_ORDER_SEQUENCE_NUMBER, which a state built from its first batch
 * alone would answer); kcat reads every value back once.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { startCluster, type Cluster } from '../harness/cluster';
import { batches } from '../../src/protocol/records/record-batch';
import { kafkajs, kcat } from './clients';
import { eventuallyDefined } from '../harness/eventually';

const TOPIC = 'compacted-idempotent';

/** Every record of the partition from the beginning, read with kcat: key, offset, value. */
async function consumeAll(bootstrap: string): Promise<{ key: string; offset: number; value: string }[]> {
  const out = await kcat(['-b', bootstrap, '-C', '-t', TOPIC, '-p', '0', '-o', 'beginning', '-e', '-q', '-f', '%k\t%o\t%s\n'], { timeoutMs: 60_000 });
  assert.equal(out.code, 0, out.stderr);
  return out.stdout
    .split('\n')
    .filter((l) => l.length > 0)
    .map((line) => {
      const [key, offset, value] = line.split('\t');
      return { key, offset: Number(offset), value };
    });
}


/** The header fields of every batch in the partition's segment files. */
async function batchesOnDisk(partitionDir: string): Promise<{ baseOffset: number; lastOffset: number; producerId: number; baseSequence: number; recordsCount: number }[]> {
  const out = [];
  for (const name of (await readdir(partitionDir)).filter((n) => n.endsWith('.log')).sort()) {
    for (const b of batches(await readFile(path.join(partitionDir, name)))) {
      out.push({ baseOffset: b.baseOffset, lastOffset: b.lastOffset, producerId: b.producerId, baseSequence: b.baseSequence, recordsCount: b.recordsCount });
    }
  }
  return out;
}

describe('log compaction keeps the state of idempotent producers', { timeout: 300_000 }, () => {
  let cluster: Cluster;
  before(async () => {
    cluster = await startCluster({ brokers: 1, props: { 'log.cleaner.backoff.ms': '200' } });
    const admin = kafkajs(cluster.bootstrap).admin();
    await admin.connect();
    try {
      await admin.createTopics({
        topics: [
          {
            topic: TOPIC,
            numPartitions: 1,
            configEntries: Object.entries({ 'cleanup.policy': 'compact', 'min.cleanable.dirty.ratio': '0.01', 'segment.bytes': '1024' }).map(
              ([name, value]) => ({ name, value }),
            ),
          },
        ],
        waitForLeaders: true,
      });
    } finally {
      await admin.disconnect();
    }
  });
  after(async () => {
    await cluster?.stop();
  });

  test("a kafkajs idempotent producer continues its sequence after cleaning and a restart that rebuilds the state from the log", async () => {
    const broker = cluster.brokers[0]!;
    const partitionDir = path.join(broker.logDir, `${TOPIC}-0`);
    const idempotent = kafkajs(cluster.bootstrap, 'idempotent').producer({ idempotent: true, maxInFlightRequests: 1 });
    const plain = kafkajs(cluster.bootstrap, 'plain').producer();
    await Promise.all([idempotent.connect(), plain.connect()]);
    try {
      // Six idempotent batches of two records (sequences 0-11); only 'keep' survives compaction.
      await idempotent.send({ topic: TOPIC, acks: -1, messages: [{ key: 'keep', value: 'idem-keep' }, { key: 'over-0', value: 'idem-over-0' }] });
      for (let i = 1; i < 11; i += 2) {
        await idempotent.send({ topic: TOPIC, acks: -1, messages: [i, i + 1].map((k) => ({ key: `over-${k}`, value: `idem-over-${k}` })) });
      }
      const overKeys = Array.from({ length: 11 }, (_, k) => `over-${k}`);
      await plain.send({ topic: TOPIC, acks: -1, messages: overKeys.map((key) => ({ key, value: `plain-${key}` })) });
      // Unique keys that roll the segments, so that all of the above is below the active segment.
      for (let i = 0; i < 12; i++) {
        await plain.send({ topic: TOPIC, acks: -1, messages: [{ key: `fill-${i}`, value: `fill-${i}-`.padEnd(200, 'x') }] });
      }

      const compacted = await eventuallyDefined(async () => {
        const all = await consumeAll(cluster.bootstrap);
        return all.some((r) => r.value.startsWith('idem-over')) ? undefined : all;
      }, { what: 'the idempotent producer\'s superseded records to be cleaned', timeoutMs: 90_000 });
      assert.deepEqual(
        compacted.filter((r) => r.key === 'keep' || r.key.startsWith('over-')).map((r) => r.value),
        ['idem-keep', ...overKeys.map((k) => `plain-${k}`)],
      );
      // On disk: the first idempotent batch with its one record, the last one (sequences 10-11) as an empty batch.
      const producerBatches = (await batchesOnDisk(partitionDir)).filter((b) => b.producerId >= 0);
      assert.deepEqual(
        producerBatches.map((b) => [b.baseOffset, b.lastOffset, b.baseSequence, b.recordsCount]),
        [
          [0, 1, 0, 1],
          [10, 11, 10, 0],
        ],
      );

      // A crash, and no producer snapshot left: the state is rebuilt from the cleaned log.
      await broker.kill();
      for (const name of await readdir(partitionDir)) if (name.endsWith('.snapshot')) await rm(path.join(partitionDir, name));
      await broker.start();

      // The same producer goes on at sequence 12: accepted only if the broker knows sequence 11.
      for (let i = 0; i < 3; i++) {
        await idempotent.send({ topic: TOPIC, acks: -1, messages: [{ key: `after-${i}`, value: `idem-after-${i}` }] });
      }
      const all = await consumeAll(cluster.bootstrap);
      const expected = ['idem-keep', ...overKeys.map((k) => `plain-${k}`), ...Array.from({ length: 12 }, (_, i) => `fill-${i}-`.padEnd(200, 'x'))];
      expected.push('idem-after-0', 'idem-after-1', 'idem-after-2');
      assert.deepEqual(
        all.map((r) => r.value),
        expected,
        'every value once, in the order written',
      );
      assert.ok(all.every((r, i) => i === 0 || r.offset > all[i - 1].offset));
    } finally {
      await Promise.all([idempotent.disconnect(), plain.disconnect()]);
    }
  });
});
