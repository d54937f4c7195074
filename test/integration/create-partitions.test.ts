/**
 * CreatePartitions on a real three-broker cluster with a real ZooKeeper: kafkajs admin createPartitions and
 * kafka-topics --alter --partitions through --bootstrap-server add partitions whose leaders are elected
 * before the reply; /brokers/topics/<t> keeps its topic id and gets Kafka's placement for the new
 * partitions; records produced to the new partitions are read back by kcat. Refusals (fewer or as many
 * partitions, unknown topic or brokers, wrong number of assignments, duplicates, another broker than the
 * controller) carry Kafka's errors and messages; validateOnly changes nothing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Admin as KafkajsAdmin } from 'kafkajs';
import { KafkaClient } from '../../src/client/kafka-client';
import { ApiKeys, ErrorCode } from '../../src/protocol';
import { kafkaTopicsMain } from '../../src/tools/kafka-topics';
import { KafkaZkClient } from '../../src/zk/kafka-zk-client';
import { assignReplicasToBrokers } from '../../src/zk/replica-assignment';
import { startCluster, type Cluster } from '../harness/cluster';
import { kafkajs, kcat } from './clients';

async function topics(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await kafkaTopicsMain(args, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

describe('CreatePartitions', { timeout: 180_000 }, () => {
  let cluster: Cluster;
  let admin: KafkajsAdmin;
  let client: KafkaClient;
  let zk: KafkaZkClient;
  let controller: number;

  /**
   * The topic's partitions in one broker's metadata (Metadata v9 sent to it; by default the controller, which
   * answers CreatePartitions once its own cache shows the leaders): partition → leader and replicas.
   */
  async function partitions(topic: string, brokerId = controller): Promise<Map<number, { leader: number; replicas: number[] }>> {
    const conn = await client.connectionTo(brokerId);
    const response = await conn.request(ApiKeys.Metadata, 9, {
      topics: [{ name: topic }],
      allowAutoTopicCreation: false,
      includeClusterAuthorizedOperations: false,
      includeTopicAuthorizedOperations: false,
    });
    const t = response.topics.find((x) => x.name === topic)!;
    return new Map(t.partitions.map((p) => [p.partitionIndex, { leader: p.leaderId, replicas: p.replicaNodes }]));
  }

  /** CreatePartitions v3 sent to one broker. */
  async function createPartitions(
    brokerId: number,
    request: { topics: { name: string; count: number; assignments: { brokerIds: number[] }[] | null }[]; validateOnly?: boolean; timeoutMs?: number },
  ): Promise<[string, number, string | null][]> {
    const conn = await client.connectionTo(brokerId);
    const response = await conn.request(ApiKeys.CreatePartitions, 3, {
      topics: request.topics,
      timeoutMs: request.timeoutMs ?? 15_000,
      validateOnly: request.validateOnly ?? false,
    });
    return response.results.map((r) => [r.name, r.errorCode, r.errorMessage]);
  }

  before(async () => {
    cluster = await startCluster({ brokers: 3 });
    admin = kafkajs(cluster.bootstrap).admin();
    await admin.connect();
    client = new KafkaClient({ bootstrapServers: cluster.bootstrap, clientId: 'create-partitions-test' });
    zk = await KafkaZkClient.connect({ connectString: cluster.zk.connectString });
    controller = (await admin.describeCluster()).controller!;
    await admin.createTopics({ topics: [{ topic: 'events', numPartitions: 2, replicationFactor: 2 }], waitForLeaders: true });
  });

  after(async () => {
    await admin?.disconnect();
    await client?.close();
    await zk?.close();
    await cluster?.stop();
  });

  test('kafkajs createPartitions: Kafka’s placement, the same topic id, leaders before the reply, records on the new partitions', async () => {
    const [before] = await zk.getReplicaAssignmentAndTopicIdForTopics(['events']);
    const existing = new Map([...before!.assignment].map(([p, a]) => [p, [...a.replicas]]));

    await admin.createPartitions({ topicPartitions: [{ topic: 'events', count: 5 }], timeout: 15_000 });

    const [afterwards] = await zk.getReplicaAssignmentAndTopicIdForTopics(['events']);
    assert.equal(afterwards!.topicId, before!.topicId, 'the topic id is kept');
    const assignment = new Map([...afterwards!.assignment].map(([p, a]) => [p, [...a.replicas]]));
    assert.deepEqual([...assignment.keys()].sort(), [0, 1, 2, 3, 4]);
    for (const [p, replicas] of existing) assert.deepEqual(assignment.get(p), replicas, `partition ${p} unchanged`);
    // Kafka continues the placement from partition 0's first replica, at partition id 2.
    const brokers = [0, 1, 2].map((id) => ({ id, rack: null }));
    const startIndex = brokers.findIndex((b) => b.id >= existing.get(0)![0]!);
    const expected = assignReplicasToBrokers(brokers, 3, 2, { fixedStartIndex: startIndex, startPartitionId: 2 });
    for (const [p, replicas] of expected) assert.deepEqual(assignment.get(p), replicas, `partition ${p}`);

    // The reply came after the leaders were elected: every partition has one right away.
    const meta = await partitions('events');
    assert.equal(meta.size, 5);
    for (const [p, { leader, replicas }] of meta) {
      assert.ok(leader >= 0, `partition ${p} has a leader`);
      assert.deepEqual(replicas, assignment.get(p));
    }

    // The controller's UpdateMetadata reaches the other brokers too.
    for (const b of [0, 1, 2]) {
      const deadline = Date.now() + 15_000;
      for (;;) {
        const seen = await partitions('events', b);
        if (seen.size === 5 && [...seen.values()].every((p) => p.leader >= 0)) break;
        assert.ok(Date.now() < deadline, `broker ${b} never saw the new partitions`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }

    const producer = kafkajs(cluster.bootstrap).producer({ allowAutoTopicCreation: false });
    await producer.connect();
    try {
      for (const partition of [2, 3, 4]) {
        await producer.send({ topic: 'events', acks: -1, messages: [{ partition, key: `k${partition}`, value: `on partition ${partition}` }] });
      }
    } finally {
      await producer.disconnect();
    }
    for (const p of [2, 3, 4]) {
      const read = await kcat(['-b', cluster.bootstrap, '-C', '-t', 'events', '-p', String(p), '-o', 'beginning', '-e', '-q', '-f', '%k=%s\n']);
      assert.equal(read.stdout, `k${p}=on partition ${p}\n`, read.stderr);
    }
  });

  test('kafka-topics --alter --partitions through --bootstrap-server', async () => {
    const altered = await topics('--bootstrap-server', cluster.bootstrap, '--alter', '--topic', 'events', '--partitions', '6');
    assert.deepEqual(altered, { code: 0, out: '', err: '' });
    const meta = await partitions('events');
    assert.equal(meta.size, 6);
    assert.ok(meta.get(5)!.leader >= 0);

    const fewer = await topics('--bootstrap-server', cluster.bootstrap, '--alter', '--topic', 'events', '--partitions', '2');
    assert.equal(fewer.code, 1);
    assert.equal(fewer.out, 'Error while executing topic command : Topic currently has 6 partitions, which is higher than the requested 2.\n');
    assert.match(fewer.err, /ERROR org\.apache\.kafka\.common\.errors\.InvalidPartitionsException: Topic currently has 6 partitions/);
  });

  test('manual assignments and validateOnly', async () => {
    const checkOnly = await createPartitions(controller, { topics: [{ name: 'events', count: 9, assignments: null }], validateOnly: true });
    assert.deepEqual(checkOnly, [['events', ErrorCode.NONE, null]]);
    assert.equal((await partitions('events')).size, 6, 'validateOnly adds nothing');

    const manual = await createPartitions(controller, { topics: [{ name: 'events', count: 7, assignments: [{ brokerIds: [2, 0] }] }] });
    assert.deepEqual(manual, [['events', ErrorCode.NONE, null]]);
    const p6 = (await partitions('events')).get(6)!;
    assert.deepEqual(p6.replicas, [2, 0]);
    assert.ok(p6.leader === 2 || p6.leader === 0);
  });

  test("refusals carry Kafka's errors and messages", async () => {
    assert.deepEqual(await createPartitions(controller, { topics: [{ name: 'events', count: 7, assignments: null }] }), [
      ['events', ErrorCode.INVALID_PARTITIONS, 'Topic already has 7 partitions.'],
    ]);
    assert.deepEqual(await createPartitions(controller, { topics: [{ name: 'events', count: 3, assignments: null }] }), [
      ['events', ErrorCode.INVALID_PARTITIONS, 'Topic currently has 7 partitions, which is higher than the requested 3.'],
    ]);
    assert.deepEqual(await createPartitions(controller, { topics: [{ name: 'nope', count: 3, assignments: null }] }), [
      ['nope', ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, "The topic 'nope' does not exist."],
    ]);
    assert.deepEqual(
      await createPartitions(controller, { topics: [{ name: 'events', count: 8, assignments: [{ brokerIds: [9, 0] }] }] }),
      [['events', ErrorCode.INVALID_REPLICA_ASSIGNMENT, 'Unknown broker(s) in replica assignment: 9.']],
    );
    assert.deepEqual(
      await createPartitions(controller, { topics: [{ name: 'events', count: 9, assignments: [{ brokerIds: [1, 0] }] }] }),
      [['events', ErrorCode.INVALID_REPLICA_ASSIGNMENT, 'Increasing the number of partitions by 2 but 1 assignments provided.']],
    );
    assert.deepEqual(
      await createPartitions(controller, { topics: [{ name: 'events', count: 8, assignments: [{ brokerIds: [1] }] }] }),
      [['events', ErrorCode.INVALID_REPLICA_ASSIGNMENT, 'Inconsistent replication factor between partitions, partition 0 has 2 while partition 7 has 1 replicas.']],
    );
    assert.deepEqual(
      await createPartitions(controller, {
        topics: [
          { name: 'events', count: 8, assignments: null },
          { name: 'events', count: 9, assignments: null },
        ],
      }),
      [['events', ErrorCode.INVALID_REQUEST, 'Duplicate topic in request.']],
    );
    const other = [0, 1, 2].find((b) => b !== controller)!;
    assert.deepEqual(await createPartitions(other, { topics: [{ name: 'events', count: 8, assignments: null }] }), [
      ['events', ErrorCode.NOT_CONTROLLER, null],
    ]);
    await assert.rejects(
      admin.createPartitions({ topicPartitions: [{ topic: 'events', count: 2 }] }),
      (e: { type?: string }) => e.type === 'INVALID_PARTITIONS',
    );
    assert.equal((await partitions('events')).size, 7, 'nothing was added');
  });
});
