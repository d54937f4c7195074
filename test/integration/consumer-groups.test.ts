/**
 * Consumer groups with real clients against a real broker and ZooKeeper: kafkajs consumers sharing a
 * 6-partition topic (rebalancing when one leaves, no record consumed twice thanks to committed offsets),
 * kcat's balanced consumer (-G) with the eager and the cooperative-sticky assignors, kafka-python's group
 * consumer, a consumer killed with SIGKILL that the session timeout removes, a static member
 * (group.instance.id) that restarts without a rebalance, and committed offsets surviving a broker restart.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import type { Admin, Consumer, Kafka } from 'kafkajs';
import { startCluster, type Cluster } from '../harness/cluster';
import { startProcess } from '../tools/bin-runner';
import { kafkajs, kcat, python } from './clients';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(cond: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/** A long-running kcat balanced consumer whose output lines are collected. */
const kcatConsumer = (args: string[]) => startProcess('kcat', args);

async function stopProcess(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill(signal);
  await exited;
}

describe('consumer groups with real clients', { timeout: 300_000 }, () => {
  let cluster: Cluster;
  let kafka: Kafka;
  let admin: Admin;

  async function produce(topic: string, count: number, prefix: string): Promise<void> {
    const producer = kafka.producer();
    await producer.connect();
    const partitions = (await admin.fetchTopicMetadata({ topics: [topic] })).topics[0]!.partitions.length;
    await producer.send({
      topic,
      acks: -1,
      messages: Array.from({ length: count }, (_, i) => ({ partition: i % partitions, value: `${prefix}-${i}` })),
    });
    await producer.disconnect();
  }

  async function groupState(groupId: string) {
    const { groups } = await admin.describeGroups([groupId]);
    return groups[0]!;
  }

  before(async () => {
    cluster = await startCluster({ brokers: 1, props: { 'offsets.topic.num.partitions': '10' } });
    kafka = kafkajs(cluster.bootstrap, 'consumer-groups-test');
    admin = kafka.admin();
    await admin.connect();
  });

  after(async () => {
    await admin?.disconnect();
    await cluster?.stop();
  });

  test('kafkajs: three consumers share six partitions, two take over when one leaves, nothing is read twice', async () => {
    const topic = 'orders';
    await admin.createTopics({ topics: [{ topic, numPartitions: 6 }], waitForLeaders: true });
    const seen: string[] = [];
    const assignments = new Map<string, number[]>();
    const consumers: Consumer[] = [];
    const start = async (name: string) => {
      const consumer = kafka.consumer({ groupId: 'kafkajs-group', sessionTimeout: 10_000, heartbeatInterval: 500, rebalanceTimeout: 10_000 });
      consumer.on(consumer.events.GROUP_JOIN, (e) => assignments.set(name, [...(e.payload.memberAssignment[topic] ?? [])].sort()));
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({
        autoCommitThreshold: 1,
        eachMessage: async ({ partition, message }) => {
          seen.push(`${partition}:${message.offset}`);
        },
      });
      consumers.push(consumer);
      return consumer;
    };
    await start('a');
    await start('b');
    const c = await start('c');
    const balanced = (names: string[], each: number) => () =>
      names.every((n) => assignments.get(n)?.length === each) &&
      new Set(names.flatMap((n) => assignments.get(n)!)).size === 6;
    await waitFor(balanced(['a', 'b', 'c'], 2), 'three consumers with two partitions each');

    await produce(topic, 60, 'first');
    await waitFor(() => seen.length >= 60, '60 records consumed');
    const group = await groupState('kafkajs-group');
    assert.equal(group.state, 'Stable');
    assert.equal(group.members.length, 3);
    assert.equal(group.protocolType, 'consumer');

    await c.disconnect();
    consumers.splice(consumers.indexOf(c), 1);
    await waitFor(balanced(['a', 'b'], 3), 'two consumers with three partitions each');
    await produce(topic, 60, 'second');
    await waitFor(() => seen.length >= 120, '120 records consumed');
    await sleep(500);
    assert.equal(seen.length, 120, 'no record consumed twice');
    assert.equal(new Set(seen).size, 120);

    for (const consumer of consumers) await consumer.disconnect();
    const offsets = await admin.fetchOffsets({ groupId: 'kafkajs-group', topics: [topic] });
    assert.deepEqual(
      offsets[0]!.partitions.map((p) => [p.partition, p.offset]).sort((x, y) => Number(x[0]) - Number(y[0])),
      [0, 1, 2, 3, 4, 5].map((p) => [p, '20']),
    );
    assert.equal((await groupState('kafkajs-group')).state, 'Empty');
  });

  test('kcat balanced consumer (-G) commits its offsets: a second run reads nothing', async () => {
    const topic = 'kcat-topic';
    await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
    await produce(topic, 30, 'k');
    // auto.offset.reset, not -o: in -G mode kcat's -o overrides the committed offsets on every assignment.
    const args = ['-b', cluster.bootstrap, '-G', 'kcat-group', '-X', 'auto.offset.reset=earliest', '-e', '-q', '-f', '%p:%o\n', topic];
    const first = await kcat(args, { timeoutMs: 60_000 });
    assert.equal(first.code, 0, first.stderr);
    assert.equal(new Set(first.stdout.trim().split('\n')).size, 30);
    const offsets = await admin.fetchOffsets({ groupId: 'kcat-group', topics: [topic] });
    assert.deepEqual(offsets[0]!.partitions.map((p) => p.offset), ['10', '10', '10']);
    const second = await kcat(args, { timeoutMs: 60_000 });
    assert.equal(second.code, 0, second.stderr);
    assert.equal(second.stdout.trim(), '');
  });

  test('kafka-python group consumer', async () => {
    const topic = 'python-topic';
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
    await produce(topic, 20, 'p');
    const script = `
from kafka import KafkaConsumer
c = KafkaConsumer('${topic}', bootstrap_servers='${cluster.bootstrap}', group_id='python-group',
                  auto_offset_reset='earliest', enable_auto_commit=False, consumer_timeout_ms=15000)
n = 0
for m in c:
    n += 1
    if n == 20:
        break
c.commit()
print(n, sorted(p.partition for p in c.assignment()))
c.close()
`;
    const res = await python(script, { timeoutMs: 60_000 });
    assert.equal(res.code, 0, res.stderr);
    assert.equal(res.stdout.trim(), '20 [0, 1]');
    const offsets = await admin.fetchOffsets({ groupId: 'python-group', topics: [topic] });
    assert.deepEqual(offsets[0]!.partitions.map((p) => p.offset).sort(), ['10', '10']);
  });

  test('librdkafka cooperative-sticky: two consumers split the partitions incrementally', async () => {
    const topic = 'coop-topic';
    await admin.createTopics({ topics: [{ topic, numPartitions: 4 }], waitForLeaders: true });
    const args = [
      '-b', cluster.bootstrap, '-G', 'coop-group', '-X', 'auto.offset.reset=earliest', '-u', '-f', '%p:%o\n',
      '-X', 'partition.assignment.strategy=cooperative-sticky', '-X', 'session.timeout.ms=10000', topic,
    ];
    const a = kcatConsumer(args);
    const b = kcatConsumer(args);
    try {
      await waitFor(async () => {
        const g = await groupState('coop-group');
        return g.state === 'Stable' && g.members.length === 2 && g.protocol === 'cooperative-sticky';
      }, 'two cooperative members');
      await produce(topic, 40, 'c');
      await waitFor(() => a.lines.length + b.lines.length >= 40, '40 records consumed');
      await sleep(500);
      const all = [...a.lines, ...b.lines];
      assert.equal(all.length, 40);
      assert.equal(new Set(all).size, 40);
      const partitionsOf = (lines: string[]) => new Set(lines.map((l) => l.split(':')[0]));
      assert.ok(partitionsOf(a.lines).size > 0 && partitionsOf(b.lines).size > 0, 'both consumers got partitions');
      assert.equal([...partitionsOf(a.lines)].filter((p) => partitionsOf(b.lines).has(p)).length, 0, 'no partition read by both');
    } finally {
      await stopProcess(a.child);
      await stopProcess(b.child);
    }
  });

  test('a consumer killed with SIGKILL is removed after its session timeout', async () => {
    const topic = 'kill-topic';
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    const consumer = kcatConsumer(['-b', cluster.bootstrap, '-G', 'kill-group', '-X', 'session.timeout.ms=6000', '-q', topic]);
    await waitFor(async () => (await groupState('kill-group')).members.length === 1 && (await groupState('kill-group')).state === 'Stable', 'member joined');
    await stopProcess(consumer.child, 'SIGKILL');
    const killedAt = Date.now();
    assert.equal((await groupState('kill-group')).members.length, 1, 'still a member right after the kill');
    await waitFor(async () => (await groupState('kill-group')).state === 'Empty', 'session expiry', 20_000);
    const elapsed = Date.now() - killedAt;
    assert.ok(elapsed >= 4000, `removed after ${elapsed} ms, before the session timeout`);
    assert.equal((await groupState('kill-group')).members.length, 0);
  });

  test('a static member (group.instance.id) restarts without a rebalance', async () => {
    const topic = 'static-topic';
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
    const args = ['-b', cluster.bootstrap, '-G', 'static-group', '-X', 'group.instance.id=static-1', '-X', 'session.timeout.ms=30000', '-q', topic];
    const first = kcatConsumer(args);
    let memberId = '';
    await waitFor(async () => {
      const g = await groupState('static-group');
      memberId = g.members[0]?.memberId ?? '';
      return g.state === 'Stable' && g.members.length === 1;
    }, 'static member joined');
    assert.match(memberId, /^static-1-/);
    await stopProcess(first.child, 'SIGKILL');
    const broker = cluster.brokers[0]!;
    const from = broker.output.length;
    const second = kcatConsumer(args);
    try {
      await broker.waitForOutput(/Static member which joins during Stable stage and doesn't affect selectProtocol will not trigger rebalance/, 30_000, from);
      await waitFor(async () => {
        const g = await groupState('static-group');
        return g.state === 'Stable' && g.members.length === 1 && g.members[0]!.memberId !== memberId;
      }, 'the restarted member replaced the old one');
      assert.doesNotMatch(broker.output.slice(from), /Preparing to rebalance group static-group/);
    } finally {
      await stopProcess(second.child);
    }
  });

  test('committed offsets and groups survive a broker restart', async () => {
    const before = await admin.fetchOffsets({ groupId: 'kafkajs-group', topics: ['orders'] });
    const broker = cluster.brokers[0]!;
    await admin.disconnect();
    await broker.stop();
    await broker.start();
    admin = kafka.admin();
    await admin.connect();
    await waitFor(async () => {
      try {
        return (await groupState('kafkajs-group')).state === 'Empty';
      } catch {
        return false;
      }
    }, 'the group reloaded');
    assert.deepEqual(await admin.fetchOffsets({ groupId: 'kafkajs-group', topics: ['orders'] }), before);
    const listed = (await admin.listGroups()).groups.map((g) => g.groupId).sort();
    for (const g of ['kafkajs-group', 'kcat-group', 'python-group']) assert.ok(listed.includes(g), `${g} listed after restart: ${listed}`);
  });
});
