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
    await withDeadline(Promise.all(writers.map((w) => w.stop())), 60_000);
    await zk?.close().catch(() => undefined);
    await destroyCluster(cluster);
  });

  test('SIGKILL of a partition leader and then of the controller loses no acknowledged record', async () => {
    const c = cluster!;
    const z = zk!;
    await createTopic(c.bootstrap, { topic: TOPIC, partitions: PARTITIONS, configs: { 'min.insync.replicas': '2' } });
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
    await waitForIsr(z, { topic: TOPIC, partitions: PARTITIONS, isr: [0, 1, 2], timeoutMs: 60_000 });
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
    await waitForIsr(z, { topic: TOPIC, partitions: PARTITIONS, isr: [0, 1, 2], timeoutMs: 60_000 });
    await progress(`after broker ${controllerId} rejoined`, 100);
    for (const w of writers) await w.stop();

    // Read back through the cluster (kcat asks the current leaders).
    let totalAcked = 0;
    let totalRead = 0;
    for (const w of writers) {
      const values = await readPartitionWithKcat(c.bootstrap, { topic: TOPIC, partition: w.partition });
      const r = checkSequence(w, values);
      totalAcked += r.acked;
      totalRead += r.read;
      console.log(
        `leader kill: partition ${w.partition}: ${r.acked} records acknowledged, ${r.read} read back ` +
          `(${r.duplicates} duplicates from ${r.retriedSends} retried sends, ${r.failedSends} sends failed after retries)`,
      );
    }
    console.log(`leader kill: ${totalAcked} records acknowledged in total, ${totalRead} read back`);

    // Replica logs: identical below the high watermark on all three brokers.
    const hws = await killAndCompareReplicas(c, { zk: z, topics: [{ topic: TOPIC, partitions: PARTITIONS }] });
    console.log(`leader kill: replica logs identical below the high watermarks ${hws.get(TOPIC)!.join(', ')}`);
  });
});
