// kafka-topics --zookeeper against a real ZooKeeper (no broker needed): the znodes it writes are Kafka's,
// and create / list / describe / alter --partitions / delete print Kafka's lines and exit codes.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startZooKeeper, type TestZooKeeper } from '../harness/zookeeper';
import { kafkaTopicsMain } from '../../src/tools/kafka-topics';
import { KafkaZkClient } from '../../src/zk/kafka-zk-client';
import { runToolMain } from './bin-runner';

let zk: TestZooKeeper;
let client: KafkaZkClient;

const run = (...args: string[]) => runToolMain(kafkaTopicsMain, ['--zookeeper', zk.connectString, ...args]);

async function registerBroker(id: number, rack?: string): Promise<void> {
  const port = 9000 + id;
  await client.registerBroker({
    id,
    endpoints: [{ listenerName: 'PLAINTEXT', host: '127.0.0.1', port, securityProtocol: 'PLAINTEXT' }],
    rack: rack ?? null,
  } as Parameters<KafkaZkClient['registerBroker']>[0]);
}

before(async () => {
  zk = await startZooKeeper();
  client = await KafkaZkClient.connect({ connectString: zk.connectString });
  await client.createTopLevelPaths();
  await registerBroker(0);
  await registerBroker(1);
  // Kafka 3.9 writes entity configs only while a controller is registered (the write is checked
  // against /controller); this session plays the controller's registration, nothing more.
  await client.registerControllerAndIncrementControllerEpoch(0);
});

after(async () => {
  await client?.close();
  await zk?.stop();
});

test('create writes the config and topic znodes as Kafka does', async () => {
  const r = await run('--create', '--topic', 'orders', '--partitions', '3', '--replication-factor', '2', '--config', 'retention.ms=60000');
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out, 'Created topic orders.\n');
  const config = await client.getDataAndStat('/config/topics/orders');
  assert.equal(config!.data.toString(), '{"version":1,"config":{"retention.ms":"60000"}}');
  const topic = JSON.parse((await client.getDataAndStat('/brokers/topics/orders'))!.data.toString());
  assert.equal(topic.version, 3);
  assert.equal(typeof topic.topic_id, 'string');
  assert.equal(Object.keys(topic.partitions).length, 3);
  for (const replicas of Object.values(topic.partitions) as number[][]) {
    assert.equal(replicas.length, 2);
    assert.deepEqual([...replicas].sort(), [0, 1]);
  }
});

test('an explicit replica assignment is written as given', async () => {
  const r = await run('--create', '--topic', 'manual', '--replica-assignment', '1:0,0:1');
  assert.equal(r.code, 0, r.err);
  const topic = JSON.parse((await client.getDataAndStat('/brokers/topics/manual'))!.data.toString());
  assert.deepEqual(topic.partitions, { '0': [1, 0], '1': [0, 1] });
  const config = await client.getDataAndStat('/config/topics/manual');
  assert.equal(config!.data.toString(), '{"version":1,"config":{}}');
});

test('creating an existing topic fails with Kafka message; --if-not-exists is silent', async () => {
  const r = await run('--create', '--topic', 'orders', '--partitions', '1', '--replication-factor', '1');
  assert.equal(r.code, 1);
  assert.equal(r.out, "Error while executing topic command : Topic 'orders' already exists.\n");
  assert.match(r.err, /ERROR org\.apache\.kafka\.common\.errors\.TopicExistsException: Topic 'orders' already exists\./);
  const quiet = await run('--create', '--topic', 'orders', '--partitions', '1', '--replication-factor', '1', '--if-not-exists');
  assert.deepEqual([quiet.code, quiet.out], [0, '']);
});

test('replication factor larger than the brokers is refused', async () => {
  const r = await run('--create', '--topic', 'big', '--partitions', '1', '--replication-factor', '3');
  assert.equal(r.code, 1);
  assert.equal(r.out, 'Error while executing topic command : Replication factor: 3 larger than available brokers: 2.\n');
});

test('list and describe print Kafka lines (no controller: no leader yet)', async () => {
  const list = await run('--list');
  assert.equal(list.code, 0);
  assert.equal(list.out, 'manual\norders\n');
  const d = await run('--describe', '--topic', 'orders');
  assert.equal(d.code, 0, d.err);
  const lines = d.out.trimEnd().split('\n');
  assert.match(lines[0]!, /^Topic: orders\tTopicId: [A-Za-z0-9_-]{22}\tPartitionCount: 3\tReplicationFactor: 2\tConfigs: retention\.ms=60000$/);
  assert.equal(lines.length, 4);
  for (let p = 0; p < 3; p++) {
    assert.match(lines[p + 1]!, new RegExp(`^\\tTopic: orders\\tPartition: ${p}\\tLeader: none\\tReplicas: \\d,\\d\\tIsr: \\tElr: N/A\\tLastKnownElr: N/A$`));
  }
  const unavailable = await run('--describe', '--unavailable-partitions');
  assert.equal(unavailable.out.split('\n').filter((l) => l.includes('Partition:')).length, 5);
  const overrides = await run('--describe', '--topics-with-overrides');
  assert.match(overrides.out, /^Topic: orders\t.*Configs: retention\.ms=60000\n$/);
});

test('describe shows leaders and ISR from the partition state znodes', async () => {
  await client.createRecursive(
    '/brokers/topics/manual/partitions/0/state',
    Buffer.from('{"controller_epoch":1,"leader":1,"version":1,"leader_epoch":0,"isr":[1,0]}'),
  );
  const d = await run('--describe', '--topic', 'manual');
  const lines = d.out.trimEnd().split('\n');
  assert.equal(lines[1], '\tTopic: manual\tPartition: 0\tLeader: 1\tReplicas: 1,0\tIsr: 1,0\tElr: N/A\tLastKnownElr: N/A');
  assert.equal(lines[2], '\tTopic: manual\tPartition: 1\tLeader: none\tReplicas: 0,1\tIsr: \tElr: N/A\tLastKnownElr: N/A');
});

test('alter --partitions adds partitions keeping the existing assignment', async () => {
  const r = await run('--alter', '--topic', 'manual', '--partitions', '4');
  assert.equal(r.code, 0, r.out + r.err);
  assert.match(r.out, /Adding partitions succeeded!/);
  const topic = JSON.parse((await client.getDataAndStat('/brokers/topics/manual'))!.data.toString());
  assert.equal(Object.keys(topic.partitions).length, 4);
  assert.deepEqual(topic.partitions['0'], [1, 0]);
  const shrink = await run('--alter', '--topic', 'manual', '--partitions', '2');
  assert.equal(shrink.code, 1);
  assert.match(shrink.out, /The number of partitions for a topic can only be increased\. Topic manual currently has 4 partitions, 2 would not be an increase\./);
});

test('delete marks the topic; a second delete says it already is; unknown topics fail', async () => {
  const r = await run('--delete', '--topic', 'manual');
  assert.equal(r.code, 0);
  assert.equal(r.out, 'Topic manual is marked for deletion.\nNote: This will have no impact if delete.topic.enable is not set to true.\n');
  assert.ok(await client.pathExists('/admin/delete_topics/manual'));
  const again = await run('--delete', '--topic', 'manual');
  assert.equal(again.out, 'Topic manual is already marked for deletion.\n');
  const list = await run('--list');
  assert.equal(list.out, 'manual - marked for deletion\norders\n');
  const missing = await run('--delete', '--topic', 'nope');
  assert.equal(missing.code, 1);
  assert.equal(missing.out, "Error while executing topic command : Topic 'Optional[nope]' does not exist as expected\n");
});

test('usage errors print the message and the option table on stderr and exit 1', async () => {
  let err = '';
  const none = await kafkaTopicsMain(['--list'], { out: () => undefined, err: (t) => (err += t) });
  assert.equal(none, 1);
  assert.equal(err, 'Only one of --bootstrap-server or --zookeeper must be specified\n');
  const noAction = await run('--topic', 'x');
  assert.equal(noAction.code, 1);
  assert.match(noAction.err, /^Command must include exactly one action: --list, --describe, --create, --alter or --delete\nOption {35}Description/);
  const zkCreate = await run('--create', '--topic', 'x');
  assert.match(zkCreate.err, /^Missing required argument "\[partitions\]"/);
  const bad = await run('--list', '--partitions', '3');
  assert.match(bad.err, /^Option "\[partitions\]" can't be used with option "\[list\]"/);
  const help = await run('--help');
  assert.equal(help.code, 1);
  assert.match(help.err, /^This tool helps to create, delete, describe, or change a topic\.\n/);
  assert.match(help.err, /--zookeeper <String: hosts>/);
});
