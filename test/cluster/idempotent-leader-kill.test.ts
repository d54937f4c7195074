/**
 * Leader kill under an idempotent producer: three brokers, a topic with RF=3, min.insync.replicas=2 and
 * three partitions, one kafkajs producer per partition with `idempotent: true`, acks=all and one request
 * in flight, writing a numbered sequence. The test SIGKILLs the leader of a partition, lets the writers go
 * on against the new leaders, brings the broker back and SIGKILLs another leader. Without idempotence a
 * send whose first attempt got no answer may be written twice (leader-kill.test.ts has to allow it); with
 * it the new leader, whose producer state came from replication, recognises the retried batch, so every
 * acknowledged record must be read back exactly once and no record at all may appear twice.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import type { Cluster } from '../harness/cluster';
import {
  ClusterZk,
  createTopic,
  destroyCluster,
  readPartitionWithKcat,
  startReplicatedCluster,
  waitForIsr,
  waitUntil,
  withDeadline,
} from './cluster-helpers';

const TOPIC = 'idempotent-sequence';
const PARTITIONS = 3;

/** Writes numbers to one partition, 20 per send, with an idempotent producer; remembers what was acknowledged. */
class IdempotentWriter {
  readonly acked: number[] = [];
  readonly failures: Error[] = [];
  next = 0;
  private stopped = false;
  private loop: Promise<void> | undefined;
  private readonly producer: Producer;

  constructor(bootstrap: string, readonly partition: number) {
    const kafka = new Kafka({
      clientId: `idempotent-writer-${partition}`,
      brokers: bootstrap.split(','),
      logLevel: logLevel.NOTHING,
      requestTimeout: 15_000,
      retry: { retries: 60, initialRetryTime: 100, maxRetryTime: 500 },
    });
    this.producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
  }

  async start(): Promise<void> {
    await this.producer.connect();
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
    await this.producer.disconnect().catch(() => undefined);
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      const first = this.next;
      this.next += 20;
      const numbers = Array.from({ length: 20 }, (_, i) => first + i);
      try {
        await this.producer.send({
          topic: TOPIC,
          acks: -1,
          timeout: 10_000,
          messages: numbers.map((k) => ({ partition: this.partition, value: String(k) })),
        });
        this.acked.push(...numbers);
      } catch (err) {
        this.failures.push(err as Error);
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  }
}

describe('leader kill under an idempotent producer', { timeout: 300_000 }, () => {
  let cluster: Cluster | undefined;
  let zk: ClusterZk | undefined;
  const writers: IdempotentWriter[] = [];

  before(async () => {
    cluster = await startReplicatedCluster();
    zk = await ClusterZk.open(cluster);
  });
  after(async () => {
    await withDeadline(Promise.all(writers.map((w) => w.stop())), 60_000);
    await zk?.close().catch(() => undefined);
    await destroyCluster(cluster);
  });

  test('every acknowledged record is read back exactly once after two leader kills', async () => {
    const c = cluster!;
    const z = zk!;
    await createTopic(c.bootstrap, { topic: TOPIC, partitions: PARTITIONS, configs: { 'min.insync.replicas': '2' } });
    for (let p = 0; p < PARTITIONS; p++) writers.push(new IdempotentWriter(c.bootstrap, p));
    await Promise.all(writers.map((w) => w.start()));
    const progress = async (what: string, n: number) => {
      const from = writers.map((w) => w.acked.length);
      await waitUntil(`${n} more acknowledged records on every partition ${what}`, () => writers.every((w, i) => w.acked.length >= from[i]! + n), {
        timeoutMs: 60_000,
      });
    };
    await progress('before any failure', 200);

    for (const round of [0, 1]) {
      const states = await Promise.all(Array.from({ length: PARTITIONS }, (_, p) => z.partitionState(TOPIC, p)));
      const victimId = states[round]!.leader;
      const victim = c.brokers[victimId]!;
      await victim.kill();
      const led = states.map((s, p) => (s.leader === victimId ? p : -1)).filter((p) => p >= 0);
      await waitUntil(`new leaders for partitions ${led.join(',')} after broker ${victimId} died`, async () => {
        for (const p of led) {
          const s = await z.partitionState(TOPIC, p);
          if (s.leader === victimId || s.leader < 0 || s.leader_epoch <= states[p]!.leader_epoch) return false;
        }
        return true;
      });
      await progress(`after SIGKILL of leader ${victimId}`, 100);
      await victim.start();
      await waitForIsr(z, { topic: TOPIC, partitions: PARTITIONS, isr: [0, 1, 2], timeoutMs: 60_000 });
      await progress(`after broker ${victimId} rejoined`, 100);
    }
    for (const w of writers) await w.stop();

    for (const w of writers) {
      const values = (await readPartitionWithKcat(c.bootstrap, { topic: TOPIC, partition: w.partition })).map(Number);
      const count = new Map<number, number>();
      for (const k of values) count.set(k, (count.get(k) ?? 0) + 1);
      const twice = [...count].filter(([, n]) => n > 1).map(([k]) => k);
      assert.deepEqual(twice.slice(0, 10), [], `partition ${w.partition}: no record is written twice`);
      for (const k of w.acked) assert.equal(count.get(k), 1, `partition ${w.partition}: acknowledged record ${k} read ${count.get(k) ?? 0} times`);
      // Acknowledged records stand in the log in the order they were acknowledged.
      const at = new Map(values.map((k, i) => [k, i]));
      for (let i = 1; i < w.acked.length; i++) assert.ok(at.get(w.acked[i]!)! > at.get(w.acked[i - 1]!)!, `partition ${w.partition}: order`);
      console.log(
        `idempotent leader kill: partition ${w.partition}: ${w.acked.length} acknowledged, ${values.length} read back, ` +
          `${w.failures.length} sends failed after retries`,
      );
    }
  });
});
