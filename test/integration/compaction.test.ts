/**
 * Log compaction on a real broker: a compacted topic with many updates per key, produced by kafkajs,
 * is cleaned to one record per key (at the offset it was produced at) as kcat sees it reading from the
 * beginning, and log-cleaner.log carries Kafka's summary; a broker killed with SIGKILL while a
 * `.cleaned` segment is being written restarts with every latest value still there and then finishes
 * the cleaning.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { CompressionTypes, ConfigResourceTypes, Kafka, logLevel } from 'kafkajs';
import { startCluster, type Cluster } from '../harness/cluster';
import { kafkajs, kcat } from './clients';
import { eventuallyDefined } from '../harness/eventually';

interface Consumed {
  offset: number;
  key: string;
  value: string;
}

/** Every record of partition 0 from the beginning, read with kcat (key, offset and value per line). */
async function consumeAll(bootstrap: string, topic: string): Promise<Consumed[]> {
  const out = await kcat(['-b', bootstrap, '-C', '-t', topic, '-p', '0', '-o', 'beginning', '-e', '-q', '-f', '%k\t%o\t%S\t%s\n'], {
    timeoutMs: 60_000,
  });
  assert.equal(out.code, 0, out.stderr);
  return out.stdout
    .split('\n')
    .filter((l) => l.length > 0)
    .map((line) => {
      const [key, offset, size, ...rest] = line.split('\t');
      const value = rest.join('\t');
      assert.equal(value.length, Number(size), `kcat printed the whole value of offset ${offset}`);
      return { key, offset: Number(offset), value };
    });
}


/** Produces `rounds` updates of `keys` keys (one kafkajs send per round); returns the latest offset and value per key. */
async function produceUpdates(
  bootstrap: string,
  topic: string,
  opts: { keys: number; rounds: number; valueSize: number },
): Promise<Map<string, { offset: number; value: string }>> {
  const producer = kafkajs(bootstrap).producer();
  await producer.connect();
  const latest = new Map<string, { offset: number; value: string }>();
  try {
    for (let round = 0; round < opts.rounds; round++) {
      const messages = Array.from({ length: opts.keys }, (_, k) => ({
        key: `key-${k}`,
        value: `${k}-${round}-`.padEnd(opts.valueSize, 'x'),
      }));
      const [meta] = await producer.send({ topic, acks: -1, messages });
      const base = Number(meta.baseOffset);
      messages.forEach((m, i) => latest.set(m.key, { offset: base + i, value: m.value }));
    }
  } finally {
    await producer.disconnect();
  }
  return latest;
}

/** Sends one record with a fresh key after segment.ms, so that every update sits in an inactive segment. */
async function rollPastUpdates(bootstrap: string, topic: string, segmentMs: number): Promise<number> {
  await new Promise((r) => setTimeout(r, segmentMs + 50));
  const producer = kafkajs(bootstrap).producer();
  await producer.connect();
  const [meta] = await producer.send({ topic, acks: -1, messages: [{ key: 'roll', value: 'roll' }] });
  await producer.disconnect();
  return Number(meta.baseOffset);
}

function expectOnePerKey(records: Consumed[], latest: Map<string, { offset: number; value: string }>, rollOffset: number): void {
  const expected = [...latest.entries()].map(([key, v]) => ({ key, offset: v.offset, value: v.value }));
  expected.push({ key: 'roll', offset: rollOffset, value: 'roll' });
  expected.sort((a, b) => a.offset - b.offset);
  assert.deepEqual(records, expected);
}

describe('log compaction', { timeout: 300_000 }, () => {
  let cluster: Cluster;
  before(async () => {
    cluster = await startCluster({ brokers: 1, props: { 'log.cleaner.backoff.ms': '200' } });
  });
  after(async () => {
    await cluster?.stop();
  });

  async function createCompactedTopic(topic: string, configs: Record<string, string>): Promise<void> {
    const admin = kafkajs(cluster.bootstrap).admin();
    await admin.connect();
    try {
      await admin.createTopics({
        topics: [
          {
            topic,
            numPartitions: 1,
            configEntries: Object.entries({ 'cleanup.policy': 'compact', 'min.cleanable.dirty.ratio': '0.01', ...configs }).map(([name, value]) => ({
              name,
              value,
            })),
          },
        ],
        waitForLeaders: true,
      });
    } finally {
      await admin.disconnect();
    }
  }

  test('many updates per key are compacted to one record per key at its original offset', async () => {
    const topic = 'compacted';
    await createCompactedTopic(topic, { 'segment.bytes': '4096', 'segment.ms': '500' });
    const latest = await produceUpdates(cluster.bootstrap, topic, { keys: 20, rounds: 50, valueSize: 40 });
    const rollOffset = await rollPastUpdates(cluster.bootstrap, topic, 500);

    const records = await eventuallyDefined(async () => {
      const all = await consumeAll(cluster.bootstrap, topic);
      return new Set(all.map((r) => r.key)).size === all.length ? all : undefined;
    }, { what: 'compaction', timeoutMs: 90_000 });
    expectOnePerKey(records, latest, rollOffset);

    const broker = cluster.brokers[0]!;
    const cleanerLog = await readFile(path.join(broker.dir, 'logs', 'log-cleaner.log'), 'utf8');
    assert.match(cleanerLog, /INFO Cleaner 0: Beginning cleaning of log compacted-0 \(kafka\.log\.LogCleaner\)/);
    assert.match(cleanerLog, /\[kafka-log-cleaner-thread-0\]: \n\tLog cleaner thread 0 cleaned log compacted-0 \(dirty section = \[0, \d+\]\)\n/);
    const checkpoint = await readFile(path.join(broker.logDir, 'cleaner-offset-checkpoint'), 'utf8');
    assert.match(checkpoint, /^0\n\d+\n(.*\n)*compacted 0 \d+\n/);
  });

  test('records without a key are refused with INVALID_RECORD, in compressed batches too', async () => {
    const topic = 'compacted-keys';
    await createCompactedTopic(topic, {});
    const producer = new Kafka({ clientId: 'keyless', brokers: [cluster.bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 0 } }).producer();
    await producer.connect();
    try {
      for (const compression of [CompressionTypes.None, CompressionTypes.GZIP]) {
        await assert.rejects(
          producer.send({ topic, acks: -1, compression, messages: [{ key: 'k', value: 'keyed' }, { value: 'keyless' }] }),
          (err: Error & { type?: string }) => {
            assert.equal(err.type, 'INVALID_RECORD', `${compression}: ${err.message}`);
            return true;
          },
        );
        await producer.send({ topic, acks: -1, compression, messages: [{ key: `k${compression}`, value: 'keyed' }] });
      }
    } finally {
      await producer.disconnect();
    }
    const all = await consumeAll(cluster.bootstrap, topic);
    assert.deepEqual(
      all.map((r) => r.key),
      [`k${CompressionTypes.None}`, `k${CompressionTypes.GZIP}`],
      'only the keyed sends were appended',
    );
  });

  test('SIGKILL while a cleaned segment is being written loses nothing', async () => {
    const topic = 'compacted-kill';
    // Produced with cleanup.policy=delete, then switched to compact: the cleaning starts after every
    // update is acknowledged, so the latest values are known when the broker dies.
    const configs = { 'segment.bytes': String(256 * 1024), 'segment.ms': '1000', 'min.cleanable.dirty.ratio': '0.01' };
    await createCompactedTopic(topic, { ...configs, 'cleanup.policy': 'delete' });
    const latest = await produceUpdates(cluster.bootstrap, topic, { keys: 100, rounds: 60, valueSize: 1000 });
    const rollOffset = await rollPastUpdates(cluster.bootstrap, topic, 1000);
    const broker = cluster.brokers[0]!;
    const partitionDir = path.join(broker.logDir, `${topic}-0`);
    let killed = false;
    const watcher = (async () => {
      for (const deadline = Date.now() + 120_000; Date.now() < deadline; ) {
        const names = await readdir(partitionDir).catch(() => [] as string[]);
        if (names.some((n) => n.endsWith('.cleaned'))) {
          await broker.kill();
          killed = true;
          return names.filter((n) => /\.(cleaned|swap)$/.test(n));
        }
        await new Promise((r) => setTimeout(r, 2));
      }
      return [];
    })();
    const admin = kafkajs(cluster.bootstrap).admin();
    await admin.connect();
    await admin.alterConfigs({
      validateOnly: false,
      resources: [
        {
          type: ConfigResourceTypes.TOPIC,
          name: topic,
          configEntries: Object.entries({ ...configs, 'cleanup.policy': 'compact' }).map(([name, value]) => ({ name, value })),
        },
      ],
    });
    await admin.disconnect();
    const seenAtKill = await watcher;
    assert.ok(killed, 'the broker was killed while a .cleaned segment existed');
    assert.ok(seenAtKill.length > 0);

    await broker.start();
    // Nothing lost: every acknowledged latest value is there at its offset, and everything read was produced.
    const afterCrash = await consumeAll(cluster.bootstrap, topic);
    const byOffset = new Map(afterCrash.map((r) => [r.offset, r]));
    assert.equal(byOffset.size, afterCrash.length, 'no offset twice');
    for (const [key, v] of latest) assert.deepEqual(byOffset.get(v.offset), { key, offset: v.offset, value: v.value }, key);
    for (let i = 1; i < afterCrash.length; i++) assert.ok(afterCrash[i].offset > afterCrash[i - 1].offset);
    for (const r of afterCrash) {
      if (r.key === 'roll') continue;
      const [k, round] = r.value.split('-');
      assert.equal(r.key, `key-${k}`);
      assert.ok(Number(round) < 60);
    }

    // The restarted cleaner finishes the job.
    const compacted = await eventuallyDefined(async () => {
      const all = await consumeAll(cluster.bootstrap, topic);
      return new Set(all.map((r) => r.key)).size === all.length ? all : undefined;
    }, { what: 'compaction after the restart', timeoutMs: 90_000 });
    expectOnePerKey(compacted, latest, rollOffset);
    const names = await readdir(partitionDir);
    assert.ok(!names.some((n) => /\.(cleaned|swap)$/.test(n)), names.join(' '));
  });
});
