/**
 * Rolling restart: the three brokers are restarted one after the other with SIGTERM (controlled shutdown)
 * while acks=all writers (sequence-writer.ts) and a kafkajs consumer group run. No client may see a
 * non-retriable error, no acknowledged record may be lost (neither for the consumer nor when read back
 * afterwards), and each broker must hand its leaderships over before it exits: its log says "Controlled
 * shutdown request returned successfully" and it received the LeaderAndIsr that made it a follower of every
 * partition it led.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Consumer } from 'kafkajs';
import type { Cluster } from '../harness/cluster';
import {
  ClusterZk,
  brokerLogFile,
  createTopic,
  destroyCluster,
  killAndCompareReplicas,
  readPartitionWithKcat,
  startReplicatedCluster,
  waitForIsr,
  waitUntil,
  withDeadline,
} from './cluster-helpers';
import { SequenceWriter, checkSequence } from './sequence-writer';
import { kafkajs } from '../integration/clients';

const TOPIC = 'rolling';
const PARTITIONS = 3;

describe('rolling restart', { timeout: 300_000 }, () => {
  let cluster: Cluster | undefined;
  let zk: ClusterZk | undefined;
  const writers: SequenceWriter[] = [];
  let consumer: Consumer | undefined;

  before(async () => {
    cluster = await startReplicatedCluster();
    zk = await ClusterZk.open(cluster);
  });
  after(async () => {
    await withDeadline(Promise.all(writers.map((w) => w.stop())), 60_000);
    if (consumer) await withDeadline(consumer.disconnect(), 15_000);
    await zk?.close().catch(() => undefined);
    await destroyCluster(cluster);
  });

  test('SIGTERM of each broker in turn under load: leadership moves first, no client error, nothing lost', async () => {
    const c = cluster!;
    const z = zk!;
    await createTopic(c.bootstrap, { topic: TOPIC, partitions: PARTITIONS, configs: { 'min.insync.replicas': '2' } });

    const consumed = Array.from({ length: PARTITIONS }, () => [] as number[]);
    const crashes: { error: Error; restart: boolean }[] = [];
    consumer = kafkajs(c.bootstrap, 'rolling-consumer').consumer({
      groupId: 'rolling-group',
      sessionTimeout: 10_000,
      heartbeatInterval: 1000,
      retry: { retries: 60, initialRetryTime: 100, maxRetryTime: 500 },
    });
    consumer.on(consumer.events.CRASH, (e) => crashes.push({ error: e.payload.error, restart: e.payload.restart }));
    await consumer.connect();
    await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        consumed[partition]!.push(Number(message.value!.toString()));
      },
    });

    for (let p = 0; p < PARTITIONS; p++) writers.push(new SequenceWriter({ bootstrap: c.bootstrap, topic: TOPIC, partition: p }));
    await Promise.all(writers.map((w) => w.start()));
    const progress = async (what: string, n: number) => {
      const from = writers.map((w) => w.acked.length);
      await waitUntil(`${n} more acknowledged records on every partition ${what}`, () =>
        writers.every((w, i) => w.acked.length >= from[i]! + n),
        { timeoutMs: 60_000 },
      );
    };
    await progress('before the restarts', 200);

    for (const broker of c.brokers) {
      const led = new Map<number, number>(); // partition → leader epoch, for the partitions it leads
      for (let p = 0; p < PARTITIONS; p++) {
        const s = await z.partitionState(TOPIC, p);
        if (s.leader === broker.id) led.set(p, s.leader_epoch);
      }
      const from = broker.output.length;
      const stateChangesFrom = brokerLogFile(broker, 'state-change.log').length;
      const code = await broker.stop(60_000);
      assert.equal(code, 0, `broker ${broker.id} exits cleanly`);
      const output = broker.output.slice(from);
      assert.match(output, /Controlled shutdown request returned successfully/, `broker ${broker.id} finished its controlled shutdown`);
      assert.ok(
        output.indexOf('Controlled shutdown request returned successfully') < output.indexOf('shut down completed'),
        'controlled shutdown happens before the rest of the shutdown',
      );
      // Before exiting it was told by the controller to follow a new leader of every partition it led. (The
      // state in ZooKeeper may have moved on since: once the broker is gone the controller takes it out of the
      // ISR with another leader epoch.)
      const stateChanges = brokerLogFile(broker, 'state-change.log').slice(stateChangesFrom);
      for (const [p, epoch] of led) {
        const s = await z.partitionState(TOPIC, p);
        assert.notEqual(s.leader, broker.id, `${TOPIC}-${p} has another leader`);
        const m = new RegExp(`Follower ${TOPIC}-${p} starts at leader epoch (\\d+) .*Current leader is (\\d+)\\.`).exec(stateChanges);
        assert.ok(m, `broker ${broker.id} became a follower of ${TOPIC}-${p} before it stopped`);
        assert.ok(Number(m[1]) > epoch, `${TOPIC}-${p}: a new leader epoch (${m[1]} > ${epoch})`);
        assert.notEqual(Number(m[2]), broker.id, `${TOPIC}-${p}: another broker leads`);
      }
      await progress(`while broker ${broker.id} is down`, 50);
      await broker.start();
      await waitForIsr(z, { topic: TOPIC, partitions: PARTITIONS, isr: [0, 1, 2], timeoutMs: 60_000 });
      await progress(`after broker ${broker.id} restarted`, 50);
    }
    for (const w of writers) await w.stop();

    // The consumer got every acknowledged record, in order per partition (at least once: a rebalance may
    // make it read some records again).
    await waitUntil('the consumer to receive every acknowledged record', () =>
      writers.every((w) => {
        const seen = new Set(consumed[w.partition]);
        return w.acked.every((k) => seen.has(k));
      }),
      { timeoutMs: 60_000 },
    );
    for (const w of writers) {
      const first = new Map<number, number>();
      consumed[w.partition]!.forEach((k, i) => {
        if (!first.has(k)) first.set(k, i);
      });
      let previous = -1;
      for (const k of w.acked) {
        assert.ok(first.get(k)! > previous, `the consumer got acknowledged record ${k} of partition ${w.partition} out of order`);
        previous = first.get(k)!;
      }
    }
    await consumer.disconnect();
    consumer = undefined;

    let acked = 0;
    let read = 0;
    for (const w of writers) {
      const r = checkSequence(w, await readPartitionWithKcat(c.bootstrap, { topic: TOPIC, partition: w.partition }));
      acked += r.acked;
      read += r.read;
      assert.deepEqual(w.failures.map((e) => e.message), [], `no send to partition ${w.partition} failed`);
    }
    // Leadership moved while followers were fetching and producers appending: the replicas' logs are the same
    // below the high watermark and each leader epoch cache is in step with its log.
    await killAndCompareReplicas(c, { zk: z, topics: [{ topic: TOPIC, partitions: PARTITIONS }] });
    const fatal = crashes.filter((x) => !x.restart || (x.error as { retriable?: boolean }).retriable === false);
    assert.deepEqual(fatal.map((x) => x.error.message), [], 'no non-retriable consumer error');
    console.log(
      `rolling restart: ${acked} records acknowledged, ${read} read back, ${consumed.reduce((n, l) => n + l.length, 0)} ` +
        `consumed by the group, ${writers.reduce((n, w) => n + w.retriedSends, 0)} sends retried, ${crashes.length} consumer restarts`,
    );
  });
});
