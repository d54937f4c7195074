/**
 * Partition reassignment and leader elections on a real three-broker cluster with a real ZooKeeper:
 * kafka-reassign-partitions --execute/--verify moves a partition from {0,1} to {1,2} while an acks=all producer
 * runs (every acknowledged record is read back, broker 0's log directory goes, kafka-topics --describe and the
 * topic znode show the final replicas); kafkajs alterPartitionReassignments/listPartitionReassignments; a
 * reassignment in progress survives a SIGKILLed controller; preferred leader election through
 * kafka-leader-election and ElectLeaders after the leader moved.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Admin as KafkajsAdmin, Kafka } from 'kafkajs';
import { KafkaClient } from '../../src/client/kafka-client';
import { ApiKeys, ErrorCode } from '../../src/protocol';
import { kafkaLeaderElectionMain } from '../../src/tools/kafka-leader-election';
import { kafkaReassignPartitionsMain } from '../../src/tools/kafka-reassign-partitions';
import { kafkaTopicsMain } from '../../src/tools/kafka-topics';
import { KafkaZkClient } from '../../src/zk/kafka-zk-client';
import { startCluster, type Cluster } from '../harness/cluster';
import { kafkajs } from './clients';
import { eventually } from '../harness/eventually';

type Tool = (args: string[], io: { out(t: string): void; err(t: string): void }) => Promise<number>;

async function tool(main: Tool, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}


/** Produces sequentially with acks=all until stopped; remembers every acknowledged value. */
function startProducing(kafka: Kafka, topic: string) {
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  const acked = new Set<string>();
  let stopped = false;
  const done = (async () => {
    await producer.connect();
    for (let i = 0; !stopped; i++) {
      const value = `record-${i}`;
      try {
        await producer.send({ topic, acks: -1, messages: [{ value }] });
        acked.add(value);
      } catch {
        // Not acknowledged (retries exhausted while leadership moved): not required to be there.
      }
    }
    await producer.disconnect();
  })();
  return {
    acked,
    async stop() {
      stopped = true;
      await done;
    },
  };
}

/** Reads the topic from the beginning until every expected value was seen. */
async function readAll(kafka: Kafka, topic: string, expected: ReadonlySet<string>): Promise<Set<string>> {
  const consumer = kafka.consumer({ groupId: `check-${topic}-${Date.now()}` });
  const seen = new Set<string>();
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let resolve!: () => void;
  const all = new Promise<void>((r) => (resolve = r));
  await consumer.run({
    eachMessage: async ({ message }) => {
      seen.add(message.value!.toString());
      if ([...expected].every((v) => seen.has(v))) resolve();
    },
  });
  if (expected.size === 0) resolve();
  await Promise.race([all, new Promise((r) => setTimeout(r, 60_000))]);
  await consumer.disconnect();
  return seen;
}

describe('partition reassignment and leader election on three brokers', { timeout: 600_000 }, () => {
  let cluster: Cluster;
  let kafka: Kafka;
  let admin: KafkajsAdmin;
  let zk: KafkaZkClient;
  let dir: string;

  const topicZnode = async (topic: string) => JSON.parse((await zk.session.getData(`/brokers/topics/${topic}`)).data.toString());
  const metadata = async (topic: string) =>
    (await admin.fetchTopicMetadata({ topics: [topic] })).topics[0]!.partitions.sort((a, b) => a.partitionId - b.partitionId);

  before(async () => {
    cluster = await startCluster({
      brokers: 3,
      // Deleted logs go at once; no automatic rebalance moves leaders behind the tests' back.
      props: { 'log.segment.delete.delay.ms': '200', 'auto.leader.rebalance.enable': 'false' },
    });
    kafka = kafkajs(cluster.bootstrap);
    admin = kafka.admin();
    await admin.connect();
    zk = await KafkaZkClient.connect({ connectString: cluster.zk.connectString });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reassignment-test-'));
  });

  after(async () => {
    await admin?.disconnect();
    await zk?.close();
    await cluster?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  test('kafka-reassign-partitions --execute then --verify moves {0,1} to {1,2} under an acks=all producer', async () => {
    const bs = cluster.bootstrap;
    await admin.createTopics({ topics: [{ topic: 'moving', replicaAssignment: [{ partition: 0, replicas: [0, 1] }] }], waitForLeaders: true });
    const topicId = (await topicZnode('moving')).topic_id;
    const load = startProducing(kafka, 'moving');
    await eventually(async () => load.acked.size, (n) => n >= 200, { what: 'records acknowledged before the move', intervalMs: 200, ignoreErrors: true });

    const file = path.join(dir, 'moving.json');
    fs.writeFileSync(file, '{"version":1,"partitions":[{"topic":"moving","partition":0,"replicas":[1,2]}]}');
    const executed = await tool(kafkaReassignPartitionsMain, '--bootstrap-server', bs, '--execute', '--reassignment-json-file', file);
    assert.deepEqual(executed, {
      code: 0,
      out: 'Current partition replica assignment\n\n' +
        '{"version":1,"partitions":[{"topic":"moving","partition":0,"replicas":[0,1],"log_dirs":["any","any"]}]}\n\n' +
        'Save this to use as the --reassignment-json-file option during rollback\n' +
        'Successfully started partition reassignment for moving-0\n',
      err: '',
    });
    const verified = await eventually(() => tool(kafkaReassignPartitionsMain, '--bootstrap-server', bs, '--verify', '--reassignment-json-file', file),
      (r) => !r.out.includes('still in progress'), { what: 'the reassignment to complete', intervalMs: 200, ignoreErrors: true });
    assert.deepEqual(verified, {
      code: 0,
      out: 'Status of partition reassignment:\nReassignment of partition moving-0 is completed.\n\n' +
        'Clearing broker-level throttles on brokers 0,1,2\nClearing topic-level throttles on topic moving\n',
      err: '',
    });
    // The producer keeps going on the new leader for a while.
    const ackedAtCompletion = load.acked.size;
    await eventually(async () => load.acked.size, (n) => n >= ackedAtCompletion + 100, { what: 'records acknowledged after the move', intervalMs: 200, ignoreErrors: true });
    await load.stop();

    assert.deepEqual(await topicZnode('moving'), {
      removing_replicas: {}, partitions: { 0: [1, 2] }, topic_id: topicId, adding_replicas: {}, version: 3,
    });
    const described = await eventually(() => tool(kafkaTopicsMain, '--bootstrap-server', bs, '--describe', '--topic', 'moving'),
      (r) => /\tIsr: (1,2|2,1)\t/.test(r.out), { what: 'both new replicas in the ISR', intervalMs: 200, ignoreErrors: true });
    assert.match(described.out, /^Topic: moving\tTopicId: \S+\tPartitionCount: 1\tReplicationFactor: 2\tConfigs: .*\n/);
    assert.match(described.out, /\tTopic: moving\tPartition: 0\tLeader: 1\tReplicas: 1,2\tIsr: (1,2|2,1)\t/);
    // Broker 0 deleted its replica (renamed to -delete, then removed).
    await eventually(async () => fs.readdirSync(cluster.brokers[0]!.logDir), (names) => !names.some((n) => n.startsWith('moving-0')), { what: "broker 0's log directory for moving-0 to go", intervalMs: 200, ignoreErrors: true });
    assert.ok(fs.existsSync(path.join(cluster.brokers[2]!.logDir, 'moving-0')), 'broker 2 hosts the partition');

    const seen = await readAll(kafka, 'moving', load.acked);
    const missing = [...load.acked].filter((v) => !seen.has(v));
    assert.deepEqual(missing, [], `${missing.length} of ${load.acked.size} acknowledged records are missing`);
  });

  test('kafkajs alterPartitionReassignments and listPartitionReassignments', async () => {
    await admin.createTopics({ topics: [{ topic: 'api', replicaAssignment: [{ partition: 0, replicas: [1, 2] }, { partition: 1, replicas: [2, 1] }] }], waitForLeaders: true });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: 'api', acks: -1, messages: Array.from({ length: 50 }, (_, i) => ({ partition: i % 2, value: `api-${i}` })) });
    await producer.disconnect();

    await admin.alterPartitionReassignments({ topics: [{ topic: 'api', partitionAssignment: [{ partition: 0, replicas: [2, 0] }, { partition: 1, replicas: [0, 1] }] }] });
    const listed = await admin.listPartitionReassignments({});
    // Whatever is still moving is listed with the replica being added (kafkajs names the topic `name`, whatever
    // its typings say).
    for (const t of listed.topics) {
      assert.equal((t as unknown as { name: string }).name, 'api');
      for (const p of t.partitions) assert.ok(p.addingReplicas?.includes(0), JSON.stringify(p));
    }
    await eventually(() => admin.listPartitionReassignments({}), (r) => r.topics.length === 0, { what: 'no reassignment listed', intervalMs: 200, ignoreErrors: true });
    const parts = await eventually(() => metadata('api'), (ps) => ps.every((p) => p.isr.length === 2), { what: 'full ISRs', intervalMs: 200, ignoreErrors: true });
    assert.deepEqual(parts.map((p) => [p.partitionId, p.replicas]), [[0, [2, 0]], [1, [0, 1]]]);
    assert.deepEqual((await topicZnode('api')).partitions, { 0: [2, 0], 1: [0, 1] });
    const seen = await readAll(kafka, 'api', new Set(Array.from({ length: 50 }, (_, i) => `api-${i}`)));
    assert.equal(seen.size, 50);
  });

  test('preferred leader election through kafka-leader-election and ElectLeaders after the leaders moved', async () => {
    const bs = cluster.bootstrap;
    await admin.createTopics({ topics: [{ topic: 'pref', replicaAssignment: [{ partition: 0, replicas: [1, 2] }, { partition: 1, replicas: [1, 0] }] }], waitForLeaders: true });
    // A clean shutdown of broker 1 moves both leaders away; when it is back it rejoins the ISRs as a follower.
    await cluster.brokers[1]!.stop();
    await eventually(() => metadata('pref'), (ps) => ps.every((p) => p.leader !== 1 && p.leader >= 0), { what: 'leaders moved off broker 1', intervalMs: 200, ignoreErrors: true });
    await cluster.brokers[1]!.start();
    await eventually(() => metadata('pref'), (ps) => ps.every((p) => p.isr.includes(1)), { what: 'broker 1 back in the ISRs', intervalMs: 200, ignoreErrors: true });
    assert.deepEqual((await metadata('pref')).map((p) => p.leader), [2, 0]);

    const elected = await tool(kafkaLeaderElectionMain, '--bootstrap-server', bs, '--election-type', 'PREFERRED', '--topic', 'pref', '--partition', '0');
    assert.deepEqual(elected, { code: 0, out: 'Successfully completed leader election (PREFERRED) for partitions pref-0\n', err: '' });
    const again = await tool(kafkaLeaderElectionMain, '--bootstrap-server', bs, '--election-type', 'preferred', '--topic', 'pref', '--partition', '0');
    assert.deepEqual(again, { code: 0, out: 'Valid replica already elected for partitions pref-0\n', err: '' });

    // ElectLeaders v2 to the controller: the answer comes once the controller's broker knows the new leader.
    const client = new KafkaClient({ bootstrapServers: bs, clientId: 'elect-leaders-test' });
    try {
      const conn = await client.controllerConnection();
      const response = await conn.request(ApiKeys.ElectLeaders, 2, {
        electionType: 0, topicPartitions: [{ topic: 'pref', partitions: [1] }, { topic: 'missing', partitions: [0] }], timeoutMs: 15_000,
      });
      assert.equal(response.errorCode, ErrorCode.NONE);
      assert.deepEqual(response.replicaElectionResults, [
        { topic: 'pref', partitionResult: [{ partitionId: 1, errorCode: ErrorCode.NONE, errorMessage: null }] },
        { topic: 'missing', partitionResult: [{ partitionId: 0, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, errorMessage: 'The partition does not exist.' }] },
      ]);
      // A broker that is not the controller answers NOT_CONTROLLER for each partition.
      const controllerId = (await admin.describeCluster()).controller!;
      const other = await client.connectionTo([0, 1, 2].find((id) => id !== controllerId)!);
      const refused = await other.request(ApiKeys.ElectLeaders, 1, { electionType: 0, topicPartitions: [{ topic: 'pref', partitions: [0] }], timeoutMs: 1000 });
      assert.deepEqual(refused.replicaElectionResults, [{ topic: 'pref', partitionResult: [{ partitionId: 0, errorCode: ErrorCode.NOT_CONTROLLER, errorMessage: null }] }]);
    } finally {
      await client.close();
    }
    await eventually(() => metadata('pref'), (ps) => ps.every((p) => p.leader === 1), { what: 'broker 1 leads both partitions', intervalMs: 200, ignoreErrors: true });
    // Every partition: the other partitions broker 1 led before its restart go back to it (moving-0 is one);
    // then nothing is left to elect, and partitions that needed no election are not reported.
    const all = await tool(kafkaLeaderElectionMain, '--bootstrap-server', bs, '--election-type', 'preferred', '--all-topic-partitions');
    assert.equal(all.code, 0, all.out + all.err);
    assert.match(all.out, /^Successfully completed leader election \(PREFERRED\) for partitions [^\n]*moving-0[^\n]*\n$/);
    assert.doesNotMatch(all.out, /pref-/);
    await eventually(() => metadata('moving'), (ps) => ps[0]?.leader === 1, { what: 'broker 1 leads moving-0 again', intervalMs: 200, ignoreErrors: true });
    assert.deepEqual(await tool(kafkaLeaderElectionMain, '--bootstrap-server', bs, '--election-type', 'preferred', '--all-topic-partitions'),
      { code: 0, out: '', err: '' });
  });

  test('--list, --verify and --execute while a reassignment is stuck, then --cancel; --throttle and its clearing', async () => {
    const bs = cluster.bootstrap;
    const controllerId = (await admin.describeCluster()).controller!;
    const [a, b] = [0, 1, 2].filter((id) => id !== controllerId) as [number, number];
    await admin.createTopics({ topics: [{ topic: 'stuck', replicaAssignment: [{ partition: 0, replicas: [a] }] }], waitForLeaders: true });
    // Its target broker is down, so it cannot finish.
    await cluster.brokers[b]!.kill();
    await eventually(async () => (await zk.getAllBrokersInCluster()).length, (n) => n === 2, { what: `broker ${b} gone`, intervalMs: 200, ignoreErrors: true });
    await zk.createPartitionReassignment([{ topic: 'stuck', partition: 0, replicas: [b] }]);
    await eventually(() => topicZnode('stuck'), (t) => t.adding_replicas[0]?.[0] === b, { what: 'the reassignment started', intervalMs: 200, ignoreErrors: true });

    assert.deepEqual(await tool(kafkaReassignPartitionsMain, '--bootstrap-server', bs, '--list'), {
      code: 0, out: `Current partition reassignments:\nstuck-0: replicas: ${b},${a}. adding: ${b}. removing: ${a}.\n`, err: '',
    });
    const file = path.join(dir, 'stuck.json');
    fs.writeFileSync(file, `{"version":1,"partitions":[{"topic":"stuck","partition":0,"replicas":[${b}]}]}`);
    // Throttles are only cleared once nothing is moving.
    assert.deepEqual(await tool(kafkaReassignPartitionsMain, '--bootstrap-server', bs, '--verify', '--reassignment-json-file', file), {
      code: 0, out: 'Status of partition reassignment:\nReassignment of partition stuck-0 is still in progress.\n\n', err: '',
    });
    const other = path.join(dir, 'other.json');
    fs.writeFileSync(other, `{"version":1,"partitions":[{"topic":"moving","partition":0,"replicas":[2,1]}]}`);
    assert.deepEqual(await tool(kafkaReassignPartitionsMain, '--bootstrap-server', bs, '--execute', '--reassignment-json-file', other), {
      code: 1,
      out: 'Cannot execute because there is an existing partition assignment.  Use --additional to override this and create a new ' +
        'partition assignment in addition to the existing one. The --additional flag can also be used to change the throttle by ' +
        'resubmitting the current reassignment.\n',
      err: '',
    });
    // With the target broker down its throttles cannot be cleared: keep them.
    assert.deepEqual(await tool(kafkaReassignPartitionsMain, '--bootstrap-server', bs, '--cancel', '--reassignment-json-file', file, '--preserve-throttles'), {
      code: 0, out: 'Successfully cancelled partition reassignment for: stuck-0\nNone of the specified partition moves are active.', err: '',
    });
    const cancelled = await topicZnode('stuck');
    assert.deepEqual([cancelled.partitions, cancelled.adding_replicas, cancelled.removing_replicas], [{ 0: [a] }, {}, {}]);
    // The API cancellation also removed the legacy request.
    assert.equal(await zk.reassignPartitionsInProgress(), false);
    await cluster.brokers[b]!.start();

    // --execute --throttle sets the throttled replicas and rates; --verify clears them once done.
    fs.writeFileSync(file, `{"version":1,"partitions":[{"topic":"stuck","partition":0,"replicas":[${a},${b}]}]}`);
    const throttled = await tool(kafkaReassignPartitionsMain, '--bootstrap-server', bs, '--execute', '--reassignment-json-file', file, '--throttle', '50000000');
    assert.equal(throttled.code, 0, throttled.out);
    assert.match(throttled.out, /\nWarning: You must run --verify periodically, until the reassignment completes, to ensure the throttle is removed\.\n/);
    assert.match(throttled.out, /\nThe inter-broker throttle limit was set to 50000000 B\/s\nSuccessfully started partition reassignment for stuck-0\n$/);
    const topicConfig = async () => JSON.parse((await zk.session.getData('/config/topics/stuck')).data.toString()).config;
    assert.deepEqual(await topicConfig(), { 'leader.replication.throttled.replicas': `0:${a}`, 'follower.replication.throttled.replicas': `0:${b}` });
    const verified = await eventually(() => tool(kafkaReassignPartitionsMain, '--bootstrap-server', bs, '--verify', '--reassignment-json-file', file),
      (r) => !r.out.includes('still in progress'), { what: 'the throttled reassignment to complete', intervalMs: 200, ignoreErrors: true });
    assert.equal(verified.out, 'Status of partition reassignment:\nReassignment of partition stuck-0 is completed.\n\n' +
      'Clearing broker-level throttles on brokers 0,1,2\nClearing topic-level throttles on topic stuck\n');
    assert.deepEqual(await topicConfig(), {});
  });

  test('a reassignment in progress survives a SIGKILLed controller', async () => {
    const controllerId = (await admin.describeCluster()).controller!;
    const [a, b] = [0, 1, 2].filter((id) => id !== controllerId) as [number, number];
    await admin.createTopics({ topics: [{ topic: 'failover', replicaAssignment: [{ partition: 0, replicas: [a] }] }], waitForLeaders: true });
    const producer = kafka.producer();
    await producer.connect();
    const values = Array.from({ length: 300 }, (_, i) => `fo-${i}`);
    for (let i = 0; i < values.length; i += 50) {
      await producer.send({ topic: 'failover', acks: -1, messages: values.slice(i, i + 50).map((value) => ({ value })) });
    }
    await producer.disconnect();

    // With the target broker down the reassignment cannot finish (the legacy node does not check liveness).
    await cluster.brokers[b]!.kill();
    await eventually(async () => (await zk.getAllBrokersInCluster()).length, (n) => n === 2, { what: `broker ${b} gone`, intervalMs: 200, ignoreErrors: true });
    await zk.createPartitionReassignment([{ topic: 'failover', partition: 0, replicas: [b] }]);
    await eventually(() => topicZnode('failover'), (t) => t.adding_replicas[0]?.[0] === b, { what: 'the reassignment started', intervalMs: 200, ignoreErrors: true });
    assert.deepEqual((await topicZnode('failover')).partitions, { 0: [b, a] });

    await cluster.brokers[controllerId]!.kill();
    await eventually(async () => zk.getControllerId(), (id) => id === a, { what: `broker ${a} elected controller`, intervalMs: 200, ignoreErrors: true });
    await cluster.brokers[b]!.start();
    const done = await eventually(() => topicZnode('failover'), (t) => t.partitions[0].join() === String(b), { what: 'the new controller completed it', intervalMs: 200, ignoreErrors: true });
    assert.deepEqual([done.adding_replicas, done.removing_replicas], [{}, {}]);
    await eventually(async () => zk.reassignPartitionsInProgress(), (inProgress) => !inProgress, { what: '/admin/reassign_partitions deleted', intervalMs: 200, ignoreErrors: true });
    await cluster.brokers[controllerId]!.start();
    const [p] = await eventually(() => metadata('failover'), (ps) => ps[0]?.leader === b, { what: `broker ${b} leads`, intervalMs: 200, ignoreErrors: true });
    assert.deepEqual(p!.replicas, [b]);
    const seen = await readAll(kafka, 'failover', new Set(values));
    assert.equal([...values].filter((v) => seen.has(v)).length, values.length);
    await eventually(async () => fs.readdirSync(cluster.brokers[a]!.logDir), (names) => !names.some((n) => n.startsWith('failover-0')), { what: `broker ${a}'s replica deleted`, intervalMs: 200, ignoreErrors: true });
  });
});
