/**
 * Leader kill under load: three brokers, a topic with RF=3, min.insync.replicas=2 and three partitions, one
 * acks=all writer per partition (see sequence-writer.ts for why duplicates are allowed only after a failed
 * attempt). The test SIGKILLs the leader of a partition, brings it back, then SIGKILLs the controller. Every
 * acknowledged record must be read back, in order; afterwards the three replicas' segment files must hold
 * the same bytes below the high watermark.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Cluster } from '../harness/cluster';
import {
  ClusterZk,
  bytesBelow,
  createTopic,
  destroyCluster,
  epochCacheMismatches,
  readPartitionWithKcat,
  readStoredBatches,
  startReplicatedCluster,
  waitForIsr,
  waitUntil,
} from './cluster-helpers';
import { SequenceWriter, checkSequence } from './sequence-writer';
import { kafkajs } from '../integration/clients';

const TOPIC = 'sequence';
const PARTITIONS = 3;

describe('leader kill under load', { timeout: 300_000 }, () => {
  let cluster: Cluster | undefined;
  let zk: ClusterZk | undefined;
  const writers: SequenceWriter[] = [];

  before(async () => {
    cluster = await startReplicatedCluster();
    zk = await ClusterZk.open(cluster);
  });
  after(async () => {
    for (const w of writers) await w.stop().catch(() => undefined);
    await zk?.close();
    await destroyCluster(cluster);
  });

  test('SIGKILL of a partition leader and then of the controller loses no acknowledged record', async () => {
    const c = cluster!;
    const z = zk!;
    await createTopic(c.bootstrap, TOPIC, { partitions: PARTITIONS, configs: { 'min.insync.replicas': '2' } });
    for (let p = 0; p < PARTITIONS; p++) writers.push(new SequenceWriter({ bootstrap: c.bootstrap, topic: TOPIC, partition: p }));
    await Promise.all(writers.map((w) => w.start()));

    /** Waits until every writer got `n` more acknowledgements than it had at `from`. */
    const progress = async (what: string, n: number) => {
      const from = writers.map((w) => w.acked.length);
      await waitUntil(`${n} more acknowledged records on every partition ${what}`, () =>
        writers.every((w, i) => w.acked.length >= from[i]! + n),
        { timeoutMs: 60_000 },
      );
    };
    await progress('before any failure', 200);

    // 1. The leader of a partition, preferably not the controller (that comes next).
    const controller = await z.controllerId();
    const leaders = await Promise.all(Array.from({ length: PARTITIONS }, (_, p) => z.partitionState(TOPIC, p)));
    const victimState = leaders.find((s) => s.leader !== controller) ?? leaders[0]!;
    const victimId = victimState.leader;
    const victim = c.brokers[victimId]!;
    await victim.kill();
    const led = leaders.map((s, p) => (s.leader === victimId ? p : -1)).filter((p) => p >= 0);
    await waitUntil(`new leaders for partitions ${led.join(',')} after broker ${victimId} died`, async () => {
      for (const p of led) {
        const s = await z.partitionState(TOPIC, p);
        if (s.leader === victimId || s.leader < 0 || s.isr.includes(victimId)) return false;
        if (s.leader_epoch <= leaders[p]!.leader_epoch) return false;
      }
      return true;
    });
    await progress(`after SIGKILL of leader ${victimId}`, 100);

    await victim.start();
    await waitForIsr(z, TOPIC, PARTITIONS, [0, 1, 2], 60_000);
    await progress(`after broker ${victimId} rejoined`, 100);

    // 2. The controller.
    const controllerId = (await z.controllerId())!;
    const beforeControllerKill = await Promise.all(Array.from({ length: PARTITIONS }, (_, p) => z.partitionState(TOPIC, p)));
    await c.brokers[controllerId]!.kill();
    const newController = await waitUntil('a new controller', async () => {
      const id = await z.controllerId();
      return id !== undefined && id !== controllerId ? id : undefined;
    });
    assert.notEqual(newController, controllerId);
    await waitUntil(`partitions led by broker ${controllerId} to get new leaders`, async () => {
      for (let p = 0; p < PARTITIONS; p++) {
        const s = await z.partitionState(TOPIC, p);
        if (s.leader === controllerId || s.leader < 0 || s.isr.includes(controllerId)) return false;
        if (beforeControllerKill[p]!.leader === controllerId && s.leader_epoch <= beforeControllerKill[p]!.leader_epoch) return false;
      }
      return true;
    });
    await progress(`after SIGKILL of controller ${controllerId}`, 100);
    await c.brokers[controllerId]!.start();
    await waitForIsr(z, TOPIC, PARTITIONS, [0, 1, 2], 60_000);
    await progress(`after broker ${controllerId} rejoined`, 100);
    for (const w of writers) await w.stop();

    // Read back through the cluster (kcat asks the current leaders).
    let totalAcked = 0;
    let totalRead = 0;
    for (const w of writers) {
      const values = await readPartitionWithKcat(c.bootstrap, TOPIC, w.partition);
      const r = checkSequence(w, values);
      totalAcked += r.acked;
      totalRead += r.read;
      console.log(
        `leader kill: partition ${w.partition}: ${r.acked} records acknowledged, ${r.read} read back ` +
          `(${r.duplicates} duplicates from ${r.retriedSends} retried sends, ${r.failedSends} sends failed after retries)`,
      );
    }
    console.log(`leader kill: ${totalAcked} records acknowledged in total, ${totalRead} read back`);

    // Replica logs: once every replica has caught up, the leaders' high watermarks are the log ends; then the
    // brokers are stopped and their segment files compared byte for byte below the high watermark.
    await waitForIsr(z, TOPIC, PARTITIONS, [0, 1, 2]);
    const admin = kafkajs(c.bootstrap).admin();
    await admin.connect();
    const offsets = await admin.fetchTopicOffsets(TOPIC);
    await admin.disconnect();
    const highWatermarks = Array.from({ length: PARTITIONS }, (_, p) => Number(offsets.find((o) => o.partition === p)!.high));
    await new Promise((r) => setTimeout(r, 1500)); // followers fetch the last high watermark
    for (const b of c.brokers) await b.kill();
    for (let p = 0; p < PARTITIONS; p++) {
      for (const b of c.brokers) assert.deepEqual(epochCacheMismatches(b, TOPIC, p), [], 'leader epoch caches match the logs');
      const hw = highWatermarks[p]!;
      const reference = readStoredBatches(c.brokers[0]!, TOPIC, p);
      const expected = bytesBelow(reference, hw);
      assert.ok(reference.some((b) => b.lastOffset === hw - 1), `broker 0 holds ${TOPIC}-${p} up to its high watermark ${hw}`);
      for (const b of c.brokers.slice(1)) {
        const batches = readStoredBatches(b, TOPIC, p);
        assert.ok(batches.some((x) => x.lastOffset === hw - 1), `broker ${b.id} holds ${TOPIC}-${p} up to the high watermark ${hw}`);
        assert.ok(bytesBelow(batches, hw).equals(expected), `broker ${b.id}'s ${TOPIC}-${p} differs from broker 0's below offset ${hw}`);
      }
    }
  });
});
