/**
 * Real clients against a replicated cluster across a failover. The broker killed is both the leader of a
 * partition and the group coordinator of a kafkajs consumer group: kcat (librdkafka) and kafkajs produce with
 * acks=all, the group consumes and commits, the broker is SIGKILLed, both produce again (kafkajs with the
 * producer it already had, which must find the new leader by itself), and with the old leader still down the
 * group resumes from the offsets it committed (now served by the new coordinator) and reads the rest from the
 * new leaders, as do kcat and kafka-python. The killed broker then returns and catches up.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import type { Cluster } from '../harness/cluster';
import { partitionFor } from '../../src/coordinator/group/offsets-topic';
import {
  CLUSTER_PROPS,
  ClusterZk,
  createTopic,
  destroyCluster,
  metadataFrom,
  readPartitionWithKcat,
  startReplicatedCluster,
  waitForIsr,
  waitUntil,
  withDeadline,
} from './cluster-helpers';
import { kafkajs, kcat, python } from '../integration/clients';

const TOPIC = 'clients';
const PARTITIONS = 2;
const GROUP = 'clients-group';

describe('real clients across a failover', { timeout: 180_000 }, () => {
  let cluster: Cluster | undefined;
  let zk: ClusterZk | undefined;

  before(async () => {
    cluster = await startReplicatedCluster();
    zk = await ClusterZk.open(cluster);
  });
  after(async () => {
    await zk?.close().catch(() => undefined);
    await destroyCluster(cluster);
  });

  test('kcat and kafkajs produce with acks=all before and after a leader dies; every client reads it all back', async () => {
    const c = cluster!;
    const z = zk!;

    // The group's coordinator is the leader of its __consumer_offsets partition, which only exists once a
    // client looked for a coordinator (and only while all three brokers live: its replication factor is 3).
    const admin = kafkajs(c.bootstrap).admin();
    await admin.connect();
    await waitUntil('__consumer_offsets', async () => {
      await admin.describeGroups([GROUP]);
      return true;
    });
    await admin.disconnect();
    const offsetsPartition = partitionFor(GROUP, Number(CLUSTER_PROPS['offsets.topic.num.partitions']));
    const coordinator = await waitUntil('a leader of the group\'s __consumer_offsets partition', async () => {
      const s = await z.partitionState('__consumer_offsets', offsetsPartition).catch(() => undefined);
      return s && s.leader >= 0 ? s.leader : undefined;
    });
    // Partition 0 of the topic is led by the coordinator: one SIGKILL takes both away.
    const others = c.brokers.map((b) => b.id).filter((id) => id !== coordinator);
    await createTopic(c.bootstrap, {
      topic: TOPIC,
      partitions: PARTITIONS,
      assignment: [
        [coordinator, others[0]!, others[1]!],
        [others[0]!, others[1]!, coordinator],
      ],
      configs: { 'min.insync.replicas': '2' },
    });
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

    try {
      await kcatProduce('before');
      await kafkajsProduce('before');
      // The group reads the first round and commits it, then leaves. (A kafkajs consumer left running would
      // keep retrying its dead coordinator over refused connections; kafkajs looks for a new one only after
      // protocol errors, so the test restarts it instead, as an application would.)
      const first = await consumeGroup(c.bootstrap, { until: (got) => got.every((l, p) => l.length >= expected[p]!.length) });
      for (let p = 0; p < PARTITIONS; p++) assert.deepEqual(first[p], expected[p], `the group reads ${TOPIC}-${p} before the failover`);
      const committed = expected.map((l) => l.length);

      const beforeKill = await z.partitionState(TOPIC, 0);
      assert.equal(beforeKill.leader, coordinator);
      const victim = c.brokers[coordinator]!;
      await victim.kill();
      const newLeader = await waitUntil(`a new leader of ${TOPIC}-0`, async () => {
        const s = await z.partitionState(TOPIC, 0);
        return s.leader >= 0 && s.leader !== victim.id && s.leader_epoch > beforeKill.leader_epoch ? s.leader : undefined;
      });
      // Every live broker's metadata names the new leaders before the clients go on.
      const live = c.brokers.filter((b) => b !== victim);
      await waitUntil('metadata naming the new leaders on the live brokers', async () => {
        for (const b of live) {
          const meta = await metadataFrom(b);
          const parts = [...meta.topics.get(TOPIC)!.partitions, ...(meta.topics.get('__consumer_offsets')?.partitions ?? [])];
          if (parts.some((x) => x.leader === victim.id || x.leader < 0)) return false;
        }
        return true;
      });

      await kafkajsProduce('after');
      await kcatProduce('after');

      // The new coordinator serves the offsets the old one committed, and the group goes on from there.
      const admin2 = kafkajs(live.map((b) => b.bootstrap).join(',')).admin();
      await admin2.connect();
      const offsets = await admin2.fetchOffsets({ groupId: GROUP, topics: [TOPIC] });
      await admin2.disconnect();
      const byPartition = new Map(offsets[0]!.partitions.map((o) => [o.partition, Number(o.offset)]));
      for (let p = 0; p < PARTITIONS; p++) assert.equal(byPartition.get(p), committed[p], `committed offset of ${TOPIC}-${p}`);
      const rest = await consumeGroup(live.map((b) => b.bootstrap).join(','), {
        until: (got) => got.every((l, p) => l.length >= expected[p]!.length - committed[p]!),
      });
      for (let p = 0; p < PARTITIONS; p++) {
        assert.deepEqual(rest[p], expected[p]!.slice(committed[p]), `the group reads the rest of ${TOPIC}-${p} after the failover`);
      }

      for (let p = 0; p < PARTITIONS; p++) {
        assert.deepEqual(await readPartitionWithKcat(c.bootstrap, { topic: TOPIC, partition: p }), expected[p], `kcat reads ${TOPIC}-${p}`);
      }
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
      const pyRead = Array.from({ length: PARTITIONS }, () => [] as string[]);
      for (const line of py.stdout.trim().split('\n')) {
        const [p, v] = line.split(' ');
        pyRead[Number(p)]!.push(v!);
      }
      for (let p = 0; p < PARTITIONS; p++) assert.deepEqual(pyRead[p], expected[p], `kafka-python reads ${TOPIC}-${p}`);

      // The old leader returns as a follower and catches up.
      await victim.start();
      await waitForIsr(z, { topic: TOPIC, partitions: PARTITIONS, isr: [0, 1, 2], timeoutMs: 60_000 });
      assert.equal((await z.partitionState(TOPIC, 0)).leader, newLeader, 'leadership stays with the new leader');
      await kafkajsProduce('rejoined');
      for (let p = 0; p < PARTITIONS; p++) {
        assert.deepEqual(await readPartitionWithKcat(c.bootstrap, { topic: TOPIC, partition: p }), expected[p], `kcat reads ${TOPIC}-${p} at the end`);
      }
    } finally {
      await withDeadline(producer.disconnect(), 10_000);
    }
  });
});

/**
 * Runs a kafkajs consumer in GROUP from its committed offsets (earliest without) until `until` holds for what it
 * received, then leaves the group (committing). Values per partition, in delivery order. On a timeout the error
 * carries the consumer's own log.
 */
async function consumeGroup(
  bootstrap: string,
  options: { until: (got: string[][]) => boolean; timeoutMs?: number },
): Promise<string[][]> {
  const got = Array.from({ length: PARTITIONS }, () => [] as string[]);
  const log: string[] = [];
  const consumer: Consumer = new Kafka({
    clientId: 'clients-consumer',
    brokers: bootstrap.split(','),
    logLevel: logLevel.INFO,
    logCreator: () => ({ namespace, label, log: entry }) => {
      const { message, timestamp: _t, logger: _l, ...extra } = entry as { message: string; [k: string]: unknown };
      log.push(`${new Date().toISOString()} ${label} [${namespace}] ${message} ${JSON.stringify(extra)}`);
    },
    retry: { retries: 40, initialRetryTime: 100, maxRetryTime: 500 },
  }).consumer({ groupId: GROUP });
  try {
    await consumer.connect();
    await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        got[partition]!.push(message.value!.toString());
      },
    });
    await waitUntil('the kafkajs group to read everything', () => options.until(got), { timeoutMs: options.timeoutMs ?? 60_000 }).catch(
      (err: Error) => {
        const counts = got.map((l, p) => `${TOPIC}-${p}: ${l.length}`).join(', ');
        throw new Error(`${err.message}; received ${counts}; consumer log:\n${log.slice(-40).join('\n')}`);
      },
    );
    return got;
  } finally {
    await withDeadline(consumer.disconnect(), 15_000);
  }
}
