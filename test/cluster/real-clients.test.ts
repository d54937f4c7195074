/**
 * Real clients against a replicated cluster across a failover: kcat (librdkafka) and kafkajs produce with
 * acks=all, the leader of a partition is SIGKILLed, both produce again (kafkajs with the producer it already
 * had, which must find the new leader by itself), and kcat, a kafkajs consumer group running throughout and
 * kafka-python read everything back from the new leaders while the old one is still down. The killed broker then returns and catches up.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Cluster } from '../harness/cluster';
import {
  ClusterZk,
  createTopic,
  destroyCluster,
  metadataFrom,
  readPartitionWithKcat,
  startReplicatedCluster,
  waitForIsr,
  waitUntil,
} from './cluster-helpers';
import { kafkajs, kcat, python } from '../integration/clients';

const TOPIC = 'clients';
const PARTITIONS = 2;

describe('real clients across a failover', { timeout: 180_000 }, () => {
  let cluster: Cluster | undefined;
  let zk: ClusterZk | undefined;

  before(async () => {
    cluster = await startReplicatedCluster();
    zk = await ClusterZk.open(cluster);
  });
  after(async () => {
    await zk?.close();
    await destroyCluster(cluster);
  });

  test('kcat and kafkajs produce with acks=all before and after a leader dies; every client reads it all back', async () => {
    const c = cluster!;
    const z = zk!;
    await createTopic(c.bootstrap, { topic: TOPIC, partitions: PARTITIONS, configs: { 'min.insync.replicas': '2' } });
    const expected = Array.from({ length: PARTITIONS }, () => [] as string[]);

    const kcatProduce = async (round: string) => {
      for (let p = 0; p < PARTITIONS; p++) {
        const lines = Array.from({ length: 100 }, (_, i) => `kcat-${round}-${p}-${i}`);
        const res = await kcat(['-b', c.bootstrap, '-P', '-t', TOPIC, '-p', String(p), '-X', 'acks=all', '-X', 'message.timeout.ms=30000'], {
          input: lines.join('\n') + '\n',
        });
        assert.equal(res.code, 0, res.stderr);
        // A bootstrap broker that is down is reported on stderr too; only a failed delivery matters.
        assert.doesNotMatch(res.stderr, /Delivery failed/, res.stderr);
        expected[p]!.push(...lines);
      }
    };
    const producer = kafkajs(c.bootstrap, 'clients-producer').producer({
      allowAutoTopicCreation: false,
      retry: { retries: 40, initialRetryTime: 100, maxRetryTime: 500 },
    });
    await producer.connect();
    const kafkajsProduce = async (round: string) => {
      for (let p = 0; p < PARTITIONS; p++) {
        const values = Array.from({ length: 100 }, (_, i) => `kafkajs-${round}-${p}-${i}`);
        await producer.send({ topic: TOPIC, acks: -1, timeout: 10_000, messages: values.map((value) => ({ partition: p, value })) });
        expected[p]!.push(...values);
      }
    };

    // A consumer group from the start: __consumer_offsets (RF 3) can only be created while all three brokers live.
    const consumed = Array.from({ length: PARTITIONS }, () => [] as string[]);
    const consumer = kafkajs(c.bootstrap, 'clients-consumer').consumer({
      groupId: 'clients-group',
      retry: { retries: 40, initialRetryTime: 100, maxRetryTime: 500 },
    });
    await consumer.connect();
    await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        consumed[partition]!.push(message.value!.toString());
      },
    });

    try {
      await kcatProduce('before');
      await kafkajsProduce('before');

      const before = await z.partitionState(TOPIC, 0);
      const victim = c.brokers[before.leader]!;
      await victim.kill();
      const after = await waitUntil(`a new leader of ${TOPIC}-0`, async () => {
        const s = await z.partitionState(TOPIC, 0);
        return s.leader >= 0 && s.leader !== victim.id && s.leader_epoch > before.leader_epoch ? s : undefined;
      });
      // Every live broker's metadata names the new leader before the clients go on.
      const live = c.brokers.filter((b) => b !== victim);
      await waitUntil('metadata naming the new leaders on the live brokers', async () => {
        for (const b of live) {
          const parts = (await metadataFrom(b)).topics.get(TOPIC)!.partitions;
          if (parts.some((x) => x.leader === victim.id || x.leader < 0)) return false;
        }
        return true;
      });

      await kafkajsProduce('after');
      await kcatProduce('after');

      // Read back from the new leaders (the victim is still down).
      for (let p = 0; p < PARTITIONS; p++) {
        assert.deepEqual(await readPartitionWithKcat(c.bootstrap, { topic: TOPIC, partition: p }), expected[p], `kcat reads ${TOPIC}-${p}`);
      }
      // The kafkajs group, running since before the failover, got everything (a rebalance or a coordinator
      // move may make it read a record again: compare first deliveries).
      await waitUntil('kafkajs to consume everything', () => consumed.every((l, p) => new Set(l).size >= expected[p]!.length), {
        timeoutMs: 60_000,
      });
      for (let p = 0; p < PARTITIONS; p++) assert.deepEqual([...new Set(consumed[p])], expected[p], `kafkajs reads ${TOPIC}-${p}`);

      const script = [
        'from kafka import KafkaConsumer, TopicPartition',
        `c = KafkaConsumer(bootstrap_servers=${JSON.stringify(live.map((b) => b.bootstrap))}, auto_offset_reset='earliest',`,
        '                  enable_auto_commit=False, consumer_timeout_ms=5000)',
        `tps = [TopicPartition(${JSON.stringify(TOPIC)}, p) for p in range(${PARTITIONS})]`,
        'c.assign(tps)',
        'c.seek_to_beginning()',
        'for m in c:',
        "    print('%d %s' % (m.partition, m.value.decode()))",
        'c.close()',
      ].join('\n');
      const py = await python(script, { timeoutMs: 60_000 });
      assert.equal(py.code, 0, py.stderr);
      const byPartition = Array.from({ length: PARTITIONS }, () => [] as string[]);
      for (const line of py.stdout.trim().split('\n')) {
        const [p, v] = line.split(' ');
        byPartition[Number(p)]!.push(v!);
      }
      for (let p = 0; p < PARTITIONS; p++) assert.deepEqual(byPartition[p], expected[p], `kafka-python reads ${TOPIC}-${p}`);

      // The old leader returns as a follower and catches up.
      await victim.start();
      await waitForIsr(z, { topic: TOPIC, partitions: PARTITIONS, isr: [0, 1, 2], timeoutMs: 60_000 });
      assert.equal((await z.partitionState(TOPIC, 0)).leader, after.leader, 'leadership stays with the new leader');
      await kafkajsProduce('rejoined');
      for (let p = 0; p < PARTITIONS; p++) {
        assert.deepEqual(await readPartitionWithKcat(c.bootstrap, { topic: TOPIC, partition: p }), expected[p], `kcat reads ${TOPIC}-${p} at the end`);
      }
    } finally {
      await consumer.disconnect();
      await producer.disconnect();
    }
  });
});
