// GroupConsumer against a real ZooKeeper and a real ts-kafka broker: two members of a group split a
// 4-partition topic (range: two partitions each, disjoint) and read every record once; when one closes
// (committing and leaving) the other takes all four partitions and resumes where the first stopped;
// offsets committed by one consumer are where a new consumer of the group starts; roundrobin is used
// when the members only share it; a member's LeaveGroup and the group's generations are what the
// coordinator reports (kafkajs admin describeGroups); a static member keeps its place when it closes; a
// member removed behind its back (UNKNOWN_MEMBER_ID on its heartbeat) rejoins and resumes.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Admin as KafkajsAdmin, Kafka } from 'kafkajs';
import { Kafka as KafkaJs, logLevel } from 'kafkajs';
import { Admin } from '../../src/client/admin';
import { ApiKeys } from '../../src/protocol';
import { GroupConsumer, type GroupConsumerOptions } from '../../src/client/group-consumer';
import { KafkaClient } from '../../src/client/kafka-client';
import { RoundRobinAssignor } from '../../src/client/partition-assignors';
import { Producer } from '../../src/client/producer';
import type { ConsumerRecord, TopicPartition } from '../../src/client/simple-consumer';
import { startCluster, type Cluster } from '../harness/cluster';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const names = (tps: TopicPartition[]) => tps.map((tp) => `${tp.topic}-${tp.partition}`).sort();

describe('GroupConsumer against a real broker', { timeout: 180_000 }, () => {
  let cluster: Cluster;
  let kafka: Kafka;
  let kadmin: KafkajsAdmin;
  const clients: KafkaClient[] = [];

  function newClient(clientId: string): KafkaClient {
    const c = new KafkaClient({ bootstrapServers: cluster.bootstrap, clientId });
    clients.push(c);
    return c;
  }

  function consumer(groupId: string, clientId: string, extra: Partial<GroupConsumerOptions> = {}): GroupConsumer {
    return new GroupConsumer(newClient(clientId), {
      groupId,
      autoOffsetReset: 'earliest',
      heartbeatIntervalMs: 300,
      sessionTimeoutMs: 6000,
      fetchMaxWaitMs: 100,
      ...extra,
    });
  }

  async function produce(topic: string, values: string[]): Promise<void> {
    const client = newClient('test-producer');
    const producer = new Producer(client, { acks: -1 });
    await Promise.all(values.map((value, i) => producer.send({ topic, partition: i % 4, value })));
    await producer.close();
  }

  /** Polls every consumer side by side, collecting records, until `done` holds. */
  async function pollUntil(
    consumers: GroupConsumer[],
    done: (records: ConsumerRecord[][]) => boolean,
    what: string,
    timeoutMs = 40_000,
  ): Promise<ConsumerRecord[][]> {
    const records: ConsumerRecord[][] = consumers.map(() => []);
    const deadline = Date.now() + timeoutMs;
    while (!done(records)) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${records.map((r) => r.length).join('/')} records`);
      const polled = await Promise.all(consumers.map((c) => c.poll(200)));
      polled.forEach((r, i) => records[i]!.push(...r));
    }
    return records;
  }

  const values = (records: ConsumerRecord[]) => records.map((r) => r.value!.toString());

  before(async () => {
    cluster = await startCluster({ brokers: 1, props: { 'offsets.topic.num.partitions': '3' } });
    const client = newClient('test-admin');
    await new Admin(client).createTopicsOrThrow([
      { name: 'split', numPartitions: 4, replicationFactor: 1 },
      { name: 'resume', numPartitions: 4, replicationFactor: 1 },
      { name: 'dealt', numPartitions: 4, replicationFactor: 1 },
      { name: 'removed', numPartitions: 4, replicationFactor: 1 },
    ]);
    kafka = new KafkaJs({ brokers: [cluster.bootstrap], clientId: 'group-consumer-test', logLevel: logLevel.NOTHING });
    kadmin = kafka.admin();
    await kadmin.connect();
  });

  after(async () => {
    await kadmin?.disconnect();
    for (const c of clients) await c.close();
    await cluster?.stop();
  });

  test('two members split the partitions, read each record once, and one takes over when the other closes', async () => {
    const a = consumer('split-group', 'member-a');
    const b = consumer('split-group', 'member-b');
    a.subscribe(['split']);
    b.subscribe(['split']);
    await pollUntil([a, b], () => a.assignment().length === 2 && b.assignment().length === 2, 'the split');
    const all = ['split-0', 'split-1', 'split-2', 'split-3'];
    assert.deepEqual([...names(a.assignment()), ...names(b.assignment())].sort(), all);
    assert.equal(a.groupMetadata().generationId, b.groupMetadata().generationId);

    const group = (await kadmin.describeGroups(['split-group'])).groups[0]!;
    assert.equal(group.state, 'Stable');
    assert.equal(group.protocol, 'range');
    assert.equal(group.members.length, 2);

    const first = Array.from({ length: 40 }, (_, i) => `first-${i}`);
    await produce('split', first);
    const [ra, rb] = await pollUntil([a, b], (r) => r[0]!.length + r[1]!.length >= 40, 'the first 40 records');
    assert.deepEqual([...values(ra!), ...values(rb!)].sort(), [...first].sort());
    const mine = (records: ConsumerRecord[], c: GroupConsumer) => records.every((r) => names(c.assignment()).includes(`${r.topic}-${r.partition}`));
    assert.ok(mine(ra!, a) && mine(rb!, b), 'each member only reads its own partitions');

    // a commits and leaves; b learns of the rebalance through its heartbeat and takes all four.
    await a.close();
    await pollUntil([b], () => b.assignment().length === 4, 'b to take over');
    assert.deepEqual(names(b.assignment()), all);
    const second = Array.from({ length: 20 }, (_, i) => `second-${i}`);
    await produce('split', second);
    const [after] = await pollUntil([b], (r) => r[0]!.length >= 20, 'the next 20 records');
    await sleep(300);
    after!.push(...(await b.poll(300)));
    // Nothing of the first 40 again: a's positions were committed before it left.
    assert.deepEqual(values(after!).sort(), [...second].sort());
    await b.close();
    const left = (await kadmin.describeGroups(['split-group'])).groups[0]!;
    assert.equal(left.state, 'Empty');
    const offsets = await kadmin.fetchOffsets({ groupId: 'split-group', topics: ['split'] });
    assert.deepEqual(
      offsets[0]!.partitions.map((p) => [p.partition, p.offset]).sort(),
      [
        [0, '15'],
        [1, '15'],
        [2, '15'],
        [3, '15'],
      ],
    );
  });

  test('offsets committed by one consumer are where the next consumer of the group starts', async () => {
    const produced = Array.from({ length: 40 }, (_, i) => `r-${i}`);
    await produce('resume', produced);
    const c = consumer('resume-group', 'resume-1', { enableAutoCommit: false });
    c.subscribe(['resume']);
    const seen: ConsumerRecord[] = [];
    const deadline = Date.now() + 30_000;
    while (seen.length < 10 && Date.now() < deadline) seen.push(...(await c.poll(300, { maxRecords: 10 - seen.length })));
    assert.equal(seen.length, 10);
    await c.commitSync();
    const committed = await c.committed(c.assignment());
    const perPartition = new Map<number, number>();
    for (const r of seen) perPartition.set(r.partition, Math.max(perPartition.get(r.partition) ?? 0, r.offset + 1));
    for (const tp of c.assignment()) {
      assert.equal(committed.get(`${tp.topic}\u0000${tp.partition}`)?.offset ?? 0, perPartition.get(tp.partition) ?? 0);
    }
    await c.close();

    const d = consumer('resume-group', 'resume-2');
    d.subscribe(['resume']);
    const [rest] = await pollUntil([d], (r) => r[0]!.length >= 30, 'the other 30 records');
    await sleep(200);
    rest!.push(...(await d.poll(300)));
    assert.deepEqual([...values(seen), ...values(rest!)].sort(), [...produced].sort());
    await d.close();
  });

  test('members that both offer roundrobin first get a roundrobin assignment', async () => {
    const opts = { assignors: [new RoundRobinAssignor()] };
    const a = consumer('dealt-group', 'dealt-a', opts);
    const b = consumer('dealt-group', 'dealt-b', opts);
    a.subscribe(['dealt']);
    b.subscribe(['dealt']);
    await pollUntil([a, b], () => a.assignment().length === 2 && b.assignment().length === 2, 'the split');
    const group = (await kadmin.describeGroups(['dealt-group'])).groups[0]!;
    assert.equal(group.protocol, 'roundrobin');
    // Roundrobin deals alternately: one member has 0 and 2, the other 1 and 3.
    const partitions = [a, b].map((c) => c.assignment().map((tp) => tp.partition).sort().join(','));
    assert.deepEqual(partitions.sort(), ['0,2', '1,3']);
    await Promise.all([a.close(), b.close()]);
  });

  test('a static member (group.instance.id) sends no LeaveGroup and gets its partitions back when it returns', async () => {
    const first = consumer('static-group', 'static-a', { groupInstanceId: 'instance-1' });
    first.subscribe(['dealt']);
    await pollUntil([first], () => first.assignment().length === 4, 'the assignment');
    const generation = first.groupMetadata().generationId;
    await first.close();
    // Still a member: a static member leaves only when its session times out.
    const kept = (await kadmin.describeGroups(['static-group'])).groups[0]!;
    assert.equal(kept.members.length, 1);
    assert.equal(kept.state, 'Stable');

    const again = consumer('static-group', 'static-b', { groupInstanceId: 'instance-1' });
    again.subscribe(['dealt']);
    await pollUntil([again], () => again.assignment().length === 4, 'the assignment back');
    assert.equal(names(again.assignment()).length, 4);
    // KIP-345: the returning static member replaces the old one without a new generation.
    assert.equal(again.groupMetadata().generationId, generation);
    await again.close();
  });

  test('a member the coordinator no longer knows (UNKNOWN_MEMBER_ID) rejoins with a new member id and resumes', async () => {
    await produce('removed', ['before-0', 'before-1', 'before-2', 'before-3']);
    const c = consumer('removed-group', 'removed-a');
    c.subscribe(['removed']);
    const [read] = await pollUntil([c], (r) => r[0]!.length >= 4, 'the records of the topic');
    assert.equal(read!.length, 4);
    await c.commitSync();
    const before = c.groupMetadata();
    // Another client removes the member, as an operator's tool would (single broker: it is the coordinator).
    const other = newClient('remover');
    const conn = await other.anyConnection();
    const left = await conn.request(ApiKeys.LeaveGroup, conn.pickVersion(ApiKeys.LeaveGroup, 3, 5), {
      groupId: 'removed-group',
      members: [{ memberId: before.memberId, groupInstanceId: null, reason: 'test' }],
    });
    assert.equal(left.errorCode, 0);
    await pollUntil([c], () => c.groupMetadata().generationId > before.generationId && c.assignment().length === 4, 'the rejoin');
    assert.notEqual(c.groupMetadata().memberId, before.memberId);
    assert.notEqual(c.groupMetadata().memberId, '');
    // Back at the committed offsets: nothing old is read again, new records are.
    await produce('removed', ['after-0', 'after-1']);
    const [more] = await pollUntil([c], (r) => r[0]!.length >= 2, 'the new records');
    await sleep(200);
    more!.push(...(await c.poll(300)));
    assert.deepEqual(values(more!).sort(), ['after-0', 'after-1']);
    await c.close();
  });
});
