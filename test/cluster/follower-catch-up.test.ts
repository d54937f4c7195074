/**
 * Follower catch-up and the ISR: with replica.lag.time.max.ms=3000 and a ZooKeeper session timeout well above
 * it, a killed follower must leave the ISR because its leader shrinks it (not because the controller saw the
 * broker die): the partition state znode shows the smaller ISR, written by the leader, and an
 * /isr_change_notification tells the controller. acks=all with min.insync.replicas=2 keeps working. Restarted,
 * the follower catches up (its log equals the leader's) and the leader writes it back into the ISR.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Cluster } from '../harness/cluster';
import {
  ClusterZk,
  brokerLogFile,
  bytesBelow,
  createTopic,
  destroyCluster,
  metadataFrom,
  readPartitionWithKcat,
  readStoredBatches,
  startReplicatedCluster,
  waitForIsr,
  waitUntil,
} from './cluster-helpers';
import { kafkajs } from '../integration/clients';

const TOPIC = 'catch-up';
const PARTITIONS = 2;

describe('follower catch-up and ISR', { timeout: 180_000 }, () => {
  let cluster: Cluster | undefined;
  let zk: ClusterZk | undefined;

  before(async () => {
    cluster = await startReplicatedCluster({
      'replica.lag.time.max.ms': '3000',
      // Long enough that only the leader's lag check can remove the follower from the ISR within the test's wait.
      'zookeeper.session.timeout.ms': '20000',
    });
    zk = await ClusterZk.open(cluster);
  });
  after(async () => {
    await zk?.close().catch(() => undefined);
    await destroyCluster(cluster);
  });

  test('a killed follower leaves the ISR after replica.lag.time.max.ms, catches up after restart and rejoins', async () => {
    const c = cluster!;
    const z = zk!;
    // Every partition led by the controller, so that the follower killed below leads nothing and is not the
    // controller: only ISRs change, and the controller is there to hear about it.
    const controller = (await z.controllerId())!;
    const follower = c.brokers.find((b) => b.id !== controller)!;
    const third = c.brokers.find((b) => b.id !== controller && b.id !== follower.id)!;
    await createTopic(c.bootstrap, {
      topic: TOPIC,
      partitions: PARTITIONS,
      assignment: [
        [controller, follower.id, third.id],
        [controller, third.id, follower.id],
      ],
      configs: { 'min.insync.replicas': '2' },
    });
    const producer = kafkajs(c.bootstrap).producer({ allowAutoTopicCreation: false });
    await producer.connect();
    let next = 0;
    const produce = async (batches: number) => {
      for (let i = 0; i < batches; i++) {
        for (let p = 0; p < PARTITIONS; p++) {
          const messages = Array.from({ length: 50 }, () => ({ partition: p, value: String(next++) }));
          await producer.send({ topic: TOPIC, acks: -1, timeout: 10_000, messages });
        }
      }
    };
    try {
      await produce(10);
      const initial = await waitForIsr(z, { topic: TOPIC, partitions: PARTITIONS, isr: [0, 1, 2] });

      const leaders = new Set(initial.map((s) => s.leader));
      assert.deepEqual([...leaders], [controller]);
      const killedAt = Date.now();
      await follower.kill();

      const survivors = [0, 1, 2].filter((id) => id !== follower.id);
      const shrunk = await waitForIsr(z, { topic: TOPIC, partitions: PARTITIONS, isr: survivors, timeoutMs: 15_000 });
      const tookMs = Date.now() - killedAt;
      // The follower was last caught up when its last fetch reached the leader, up to replica.fetch.wait.max.ms
      // (500) before the kill; the leader drops it replica.lag.time.max.ms (3000) after that, not at once.
      assert.ok(tookMs >= 2000, `ISR shrank ${tookMs} ms after the kill, before replica.lag.time.max.ms could pass`);
      for (let p = 0; p < PARTITIONS; p++) {
        assert.equal(shrunk[p]!.leader, initial[p]!.leader, 'the leader stays');
        assert.equal(shrunk[p]!.leader_epoch, initial[p]!.leader_epoch, 'an ISR change keeps the leader epoch');
        assert.ok(shrunk[p]!.zkVersion > initial[p]!.zkVersion, 'the partition epoch (zkVersion) moved');
      }
      // The follower's ZooKeeper session is still alive: the leaders shrank the ISR, not the controller.
      assert.ok((await z.brokerEpochs()).has(follower.id), `broker ${follower.id} still registered while its session lasts`);
      for (const leaderId of leaders) {
        assert.match(
          brokerLogFile(c.brokers[leaderId]!, 'server.log'),
          new RegExp(`Shrinking ISR from [0-9,]+ to [0-9,]+\\..*Out of sync replicas: ${follower.id}\\.`),
        );
      }
      // The change reaches the controller only through /isr_change_notification (the follower's session is
      // alive); the controller then sends UpdateMetadata: Metadata from each live broker shows the smaller ISR.
      await waitUntil('UpdateMetadata with the shrunk ISR on every live broker', async () => {
        for (const id of survivors) {
          const meta = await metadataFrom(c.brokers[id]!);
          const parts = meta.topics.get(TOPIC)?.partitions ?? [];
          if (parts.length !== PARTITIONS || parts.some((x) => x.isr.includes(follower.id))) return false;
        }
        return true;
      }, { timeoutMs: 20_000 });
      // acks=all still works with two in-sync replicas.
      await produce(10);

      await follower.start(60_000);
      const rejoined = await waitForIsr(z, { topic: TOPIC, partitions: PARTITIONS, isr: [0, 1, 2], timeoutMs: 30_000 });
      for (let p = 0; p < PARTITIONS; p++) {
        assert.equal(rejoined[p]!.leader, initial[p]!.leader);
        assert.ok(rejoined[p]!.zkVersion > shrunk[p]!.zkVersion);
      }
      for (const leaderId of leaders) {
        assert.match(brokerLogFile(c.brokers[leaderId]!, 'server.log'), /Expanding ISR from [0-9,]+ to [0-9,]+/);
      }

      // Caught up: what consumers read is everything produced, and the follower's log equals the leader's.
      await produce(2);
      const admin = kafkajs(c.bootstrap).admin();
      await admin.connect();
      const offsets = await admin.fetchTopicOffsets(TOPIC);
      await admin.disconnect();
      let read = 0;
      for (let p = 0; p < PARTITIONS; p++) read += (await readPartitionWithKcat(c.bootstrap, { topic: TOPIC, partition: p })).length;
      assert.equal(read, next, 'every produced record is read back');
      await new Promise((r) => setTimeout(r, 1500));
      for (let p = 0; p < PARTITIONS; p++) {
        const hw = Number(offsets.find((o) => o.partition === p)!.high);
        const leaderBytes = bytesBelow(readStoredBatches(c.brokers[initial[p]!.leader]!, { topic: TOPIC, partition: p }), hw);
        const followerBytes = bytesBelow(readStoredBatches(follower, { topic: TOPIC, partition: p }), hw);
        assert.ok(followerBytes.equals(leaderBytes), `follower ${follower.id}'s ${TOPIC}-${p} equals the leader's below ${hw}`);
      }
      console.log(`follower catch-up: ISR shrank ${tookMs} ms after the kill; ${next} records produced and read back`);
    } finally {
      await producer.disconnect();
    }
  });
});
