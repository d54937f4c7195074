// Admin verbs against a real ZooKeeper: topic creation (config node then topic node v3, no change
// notification), validation, deletion marking, partition additions, entity config changes with their
// v2 change notifications, the /controller guard on config writes, /feature, producer-id blocks and
// legacy consumer offsets.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startZooKeeper, type TestZooKeeper } from '../harness/zookeeper';
import { KafkaZkClient, RackAwareMode } from '../../src/zk/kafka-zk-client';
import { ControllerMovedError } from '../../src/zk/zk-errors';
import { CreateMode } from '../../src/zk/zk-session';
import { SecurityProtocol } from '../../src/zk/zk-types';
import { ControllerZNode } from '../../src/zk/znodes';
import {
  InvalidConfigurationError,
  InvalidReplicaAssignmentError,
  InvalidTopicError,
  TopicExistsError,
  UnknownTopicOrPartitionError,
  InvalidPartitionsError,
} from '../../src/common/kafka-error';

let zk: TestZooKeeper;
const clients: KafkaZkClient[] = [];
let chrootCounter = 0;

before(async () => {
  zk = await startZooKeeper();
});

after(async () => {
  for (const c of clients) await c.close();
  await zk.stop();
});

/** A client on a fresh chroot with bootstrap paths, a controller (broker 0) and brokers 0..n-1 registered. */
async function cluster(options: { brokers?: number; racks?: string[]; controller?: boolean } = {}): Promise<KafkaZkClient> {
  const c = await KafkaZkClient.connect({
    connectString: `${zk.connectString}/admin-${++chrootCounter}`,
    sessionTimeoutMs: 6000,
    random: () => 0,
    validateTopicConfigs: (config) => {
      if ('retention.ms' in config && !/^-?\d+$/.test(config['retention.ms'])) {
        throw new InvalidConfigurationError(`Invalid value ${config['retention.ms']} for configuration retention.ms`);
      }
    },
  });
  clients.push(c);
  await c.createTopLevelPaths();
  for (let id = 0; id < (options.brokers ?? 3); id++) {
    await c.registerBroker({
      id,
      endpoints: [{ listenerName: 'PLAINTEXT', host: 'localhost', port: 9092 + id, securityProtocol: SecurityProtocol.PLAINTEXT }],
      rack: options.racks?.[id] ?? null,
    });
  }
  if (options.controller ?? true) await c.registerControllerAndIncrementControllerEpoch(0);
  return c;
}

const raw = async (c: KafkaZkClient, path: string) => (await c.session.getData(path)).data.toString();

test('createTopicWithAssignment writes /config/topics/<t> then /brokers/topics/<t> v3, and no change notification', { timeout: 60_000 }, async () => {
  const c = await cluster();
  const id = await c.createTopicWithAssignment(
    'orders',
    {},
    new Map([
      [0, [1, 2, 3]],
      [1, [2, 3, 1]],
      [2, [3, 1, 2]],
    ]),
    'kHq3yxsYQ3uYxT5nbL1Z7w',
  );
  assert.equal(id, 'kHq3yxsYQ3uYxT5nbL1Z7w');
  assert.equal(await raw(c, '/config/topics/orders'), '{"version":1,"config":{}}');
  assert.equal(
    await raw(c, '/brokers/topics/orders'),
    '{"removing_replicas":{},"partitions":{"2":[3,1,2],"1":[2,3,1],"0":[1,2,3]},"topic_id":"kHq3yxsYQ3uYxT5nbL1Z7w","adding_replicas":{},"version":3}',
  );
  assert.deepEqual(await c.getConfigChangeNotifications(), []);
  assert.equal(await c.topicExists('orders'), true);
  assert.equal(await c.getTopicPartitionCount('orders'), 3);
  assert.equal(await c.getTopicPartitionCount('missing'), null);
  const [assignment] = await c.getReplicaAssignmentAndTopicIdForTopics(['orders']);
  assert.equal(assignment.topicId, 'kHq3yxsYQ3uYxT5nbL1Z7w');
  assert.deepEqual(assignment.assignment.get(1)?.replicas, [2, 3, 1]);
  assert.deepEqual(await c.getAllTopicsInCluster(), ['orders']);

  const generated = await c.createTopicWithAssignment('with-config', { 'retention.ms': '86400000', 'cleanup.policy': 'compact' }, new Map([[0, [0]]]));
  assert.match(generated, /^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
  assert.equal(await raw(c, '/config/topics/with-config'), '{"version":1,"config":{"retention.ms":"86400000","cleanup.policy":"compact"}}');
  assert.deepEqual(await c.fetchEntityConfig('topics', 'with-config'), { 'retention.ms': '86400000', 'cleanup.policy': 'compact' });
});

test('topic creation is validated as Kafka does', { timeout: 60_000 }, async () => {
  const c = await cluster();
  const one = new Map([[0, [0]]]);
  await c.createTopicWithAssignment('exists', {}, one);
  await assert.rejects(c.createTopicWithAssignment('exists', {}, one), (e) => e instanceof TopicExistsError && /already exists/.test(e.message));
  await c.markTopicForDeletion('exists');
  await assert.rejects(c.createTopicWithAssignment('exists', {}, one), (e) => e instanceof TopicExistsError && /marked for deletion/.test(e.message));
  for (const bad of ['', '.', '..', 'a'.repeat(250), 'bad name', 'bad/name']) {
    await assert.rejects(c.createTopicWithAssignment(bad, {}, one), InvalidTopicError, JSON.stringify(bad));
  }
  await c.createTopicWithAssignment('metrics.a', {}, one);
  await assert.rejects(c.createTopicWithAssignment('metrics_a', {}, one), (e) => e instanceof InvalidTopicError && /collides/.test(e.message));
  await assert.rejects(
    c.createTopicWithAssignment('uneven', {}, new Map([[0, [0, 1]], [1, [1]]])),
    (e) => e instanceof InvalidReplicaAssignmentError && /same number of replicas/.test(e.message),
  );
  await assert.rejects(c.createTopicWithAssignment('dup', {}, new Map([[0, [1, 1]]])), InvalidReplicaAssignmentError);
  await assert.rejects(c.createTopicWithAssignment('gap', {}, new Map([[0, [1]], [2, [1]]])), InvalidReplicaAssignmentError);
  await assert.rejects(c.createTopicWithAssignment('bad-config', { 'retention.ms': 'forever' }, one), InvalidConfigurationError);
  assert.equal(await c.topicExists('bad-config'), false);
});

test('createTopic places replicas with Kafka\'s algorithm over the registered brokers (rack-aware)', { timeout: 60_000 }, async () => {
  const c = await cluster({ brokers: 4, racks: ['a', 'a', 'b', 'b'] });
  assert.deepEqual(await c.getBrokerMetadatas(), [
    { id: 0, rack: 'a' },
    { id: 1, rack: 'a' },
    { id: 2, rack: 'b' },
    { id: 3, rack: 'b' },
  ]);
  await c.createTopic('placed', { partitions: 4, replicationFactor: 2 });
  const assignment = await c.getPartitionAssignmentForTopic('placed');
  assert.ok(assignment !== null);
  const rack = (id: number) => (id < 2 ? 'a' : 'b');
  for (const a of assignment.values()) assert.notEqual(rack(a.replicas[0]), rack(a.replicas[1]));
  assert.deepEqual(new Set([...assignment.values()].map((a) => a.replicas[0])), new Set([0, 1, 2, 3]));

  const partial = await cluster({ brokers: 2, racks: ['a'] });
  await assert.rejects(partial.getBrokerMetadatas(RackAwareMode.Enforced), /Not all brokers have rack information/);
  assert.deepEqual(await partial.getBrokerMetadatas(RackAwareMode.Safe), [
    { id: 0, rack: null },
    { id: 1, rack: null },
  ]);
});

test('config writes need a ZooKeeper controller: none, or a KRaft one, is ControllerMovedError', { timeout: 60_000 }, async () => {
  const c = await cluster({ controller: false });
  await assert.rejects(c.createTopicWithAssignment('t', {}, new Map([[0, [0]]])), ControllerMovedError);
  assert.equal(await c.topicExists('t'), false);
  await c.session.create('/controller', ControllerZNode.encode(3000, { kraftControllerEpoch: 5 }), CreateMode.PERSISTENT);
  await assert.rejects(c.changeClientIdConfig('app', { producer_byte_rate: '1024' }), (e) => e instanceof ControllerMovedError && /KRaft/.test(e.message));
  await c.session.delete('/controller');
  await c.registerControllerAndIncrementControllerEpoch(0);
  await c.changeClientIdConfig('app', { producer_byte_rate: '1024' });
  assert.deepEqual(await c.fetchEntityConfig('clients', 'app'), { producer_byte_rate: '1024' });
});

test('markTopicForDeletion creates /admin/delete_topics/<t>; already marked is fine; unknown topics are refused', { timeout: 60_000 }, async () => {
  const c = await cluster();
  await c.createTopicWithAssignment('doomed', {}, new Map([[0, [0]]]));
  assert.equal(await c.markTopicForDeletion('doomed'), true);
  assert.equal(await c.markTopicForDeletion('doomed'), false);
  assert.equal(await c.isTopicMarkedForDeletion('doomed'), true);
  assert.equal((await c.session.getData('/admin/delete_topics/doomed')).data.length, 0);
  assert.deepEqual(await c.getTopicDeletions(), ['doomed']);
  await assert.rejects(c.markTopicForDeletion('never-existed'), UnknownTopicOrPartitionError);

  const epoch = await c.getControllerEpoch();
  assert.ok(epoch !== null);
  await c.deleteTopicZNode('doomed', epoch.zkVersion);
  await c.deleteTopicConfigs(['doomed'], epoch.zkVersion);
  await c.deleteTopicDeletions(['doomed'], epoch.zkVersion);
  assert.equal(await c.topicExists('doomed'), false);
  assert.equal(await c.session.exists('/config/topics/doomed'), null);
  assert.deepEqual(await c.getTopicDeletions(), []);
});

test('config changes write the entity node and a v2 change notification', { timeout: 60_000 }, async () => {
  const c = await cluster();
  await c.createTopicWithAssignment('orders', {}, new Map([[0, [0]]]));
  await c.changeTopicConfig('orders', { 'retention.ms': '86400000', 'cleanup.policy': 'compact' });
  assert.equal(await raw(c, '/config/topics/orders'), '{"version":1,"config":{"retention.ms":"86400000","cleanup.policy":"compact"}}');
  assert.deepEqual(await c.getConfigChangeNotifications(), ['config_change_0000000000']);
  assert.equal(await raw(c, '/config/changes/config_change_0000000000'), '{"version":2,"entity_path":"topics/orders"}');
  await assert.rejects(c.changeTopicConfig('missing', {}), UnknownTopicOrPartitionError);
  await assert.rejects(c.changeTopicConfig('orders', { 'retention.ms': 'x' }), InvalidConfigurationError);

  await c.changeUserOrUserClientIdConfig('alice/clients/app-1', { consumer_byte_rate: '2048' });
  await c.changeUserOrUserClientIdConfig('bob', { 'SCRAM-SHA-256': 'salt=c2FsdA==,stored_key=a2V5,server_key=c2tleQ==,iterations=4096' });
  await c.changeBrokerConfig([], { 'log.cleaner.threads': '2' });
  await c.changeBrokerConfig([1], { 'log.cleaner.threads': '3' });
  assert.deepEqual(await c.fetchEntityConfig('users', 'alice'), {}, 'the parent of a nested entity has no data');
  assert.deepEqual(await c.fetchEntityConfig('users', 'alice/clients/app-1'), { consumer_byte_rate: '2048' });
  assert.deepEqual([...(await c.getAllEntityConfigs('users')).keys()].sort(), ['alice', 'bob']);
  assert.deepEqual(await c.fetchEntityConfig('brokers', '<default>'), { 'log.cleaner.threads': '2' });

  const names = await c.getConfigChangeNotifications();
  assert.equal(names.length, 5);
  const paths = [];
  for (const name of names) {
    const n = await c.getConfigChangeNotification(name);
    assert.ok(n !== null);
    assert.ok(Math.abs(n.ctime - Date.now()) < 60_000);
    paths.push(n.notification.entityPath);
  }
  assert.deepEqual(paths, ['topics/orders', 'users/alice/clients/app-1', 'users/bob', 'brokers/<default>', 'brokers/1']);
  await c.deleteConfigChangeNotifications(names.slice(0, 2));
  assert.deepEqual(await c.getConfigChangeNotifications(), names.slice(2));
  assert.equal(await c.getConfigChangeNotification(names[0]), null);
});

test('addPartitions continues the assignment and keeps the topic id', { timeout: 60_000 }, async () => {
  const c = await cluster({ brokers: 3 });
  await c.createTopicWithAssignment('grow', {}, new Map([[0, [1, 2]], [1, [2, 0]]]), 'kHq3yxsYQ3uYxT5nbL1Z7w');
  const existing = (await c.getPartitionAssignmentForTopic('grow'))!;
  const allBrokers = await c.getBrokerMetadatas();
  const planned = await c.addPartitions('grow', { existingAssignment: existing, allBrokers, numPartitions: 4, validateOnly: true });
  assert.equal(planned.size, 4);
  assert.equal((await c.getTopicPartitionCount('grow')), 2, 'validateOnly writes nothing');
  const combined = await c.addPartitions('grow', { existingAssignment: existing, allBrokers, numPartitions: 4 });
  assert.deepEqual(combined, planned);
  const [stored] = await c.getReplicaAssignmentAndTopicIdForTopics(['grow']);
  assert.equal(stored.topicId, 'kHq3yxsYQ3uYxT5nbL1Z7w');
  assert.equal(stored.assignment.size, 4);
  for (const a of stored.assignment.values()) assert.equal(new Set(a.replicas).size, 2);
  await assert.rejects(c.addPartitions('grow', { existingAssignment: stored.assignment, allBrokers, numPartitions: 4 }), InvalidPartitionsError);
  const manual = await c.addPartitions('grow', {
    existingAssignment: stored.assignment,
    allBrokers,
    numPartitions: 5,
    replicaAssignment: new Map([[4, [0, 1]]]),
  });
  assert.deepEqual(manual.get(4), [0, 1]);
  await assert.rejects(
    c.addPartitions('grow', { existingAssignment: (await c.getPartitionAssignmentForTopic('grow'))!, allBrokers, numPartitions: 6, replicaAssignment: new Map([[5, [0, 9]]]) }),
    (e) => (e as { code?: number }).code === 8,
  );
});

test('/feature: created by the controller when missing; its version is the features epoch', { timeout: 60_000 }, async () => {
  const c = await cluster();
  assert.equal(await c.getFeatureZNodeVersion(), -1);
  assert.equal(await c.getFeatureZNode(), null);
  assert.equal(await c.createFeatureZNodeIfMissing(), true);
  assert.equal(await c.createFeatureZNodeIfMissing(), false);
  assert.equal(await raw(c, '/feature'), '{"features":{},"version":2,"status":1}');
  assert.equal(await c.getFeatureZNodeVersion(), 0);
  const v = await c.updateFeatureZNode({ version: 2, status: 1, features: new Map([['metadata.version', 7]]) });
  assert.equal(v, 1);
  assert.deepEqual([...(await c.getFeatureZNode())!.contents.features], [['metadata.version', 7]]);
});

test('producer-id blocks: 0-999 first, then consecutive blocks, distinct under concurrency', { timeout: 60_000 }, async () => {
  const c = await cluster();
  const other = await KafkaZkClient.connect({ connectString: `${zk.connectString}/admin-${chrootCounter}`, sessionTimeoutMs: 6000 });
  clients.push(other);
  assert.deepEqual(await c.allocateProducerIdBlock(1), { assignedBrokerId: 1, firstProducerId: 0, size: 1000 });
  assert.equal(await raw(c, '/latest_producer_id_block'), '{"version":1,"broker":1,"block_start":"0","block_end":"999"}');
  const blocks = await Promise.all([c.allocateProducerIdBlock(1), other.allocateProducerIdBlock(2), c.allocateProducerIdBlock(1)]);
  assert.deepEqual(blocks.map((b) => b.firstProducerId).sort((a, b) => a - b), [1000, 2000, 3000]);
  assert.equal(JSON.parse(await raw(c, '/latest_producer_id_block')).block_end, '3999');
});

test('legacy consumer offsets (OffsetCommit/OffsetFetch v0)', { timeout: 60_000 }, async () => {
  const c = await cluster();
  const tp = { topic: 'orders', partition: 2 };
  assert.equal(await c.getConsumerOffset('g1', tp), null);
  await c.setOrCreateConsumerOffset('g1', tp, 42);
  assert.equal(await raw(c, '/consumers/g1/offsets/orders/2'), '42');
  await c.setOrCreateConsumerOffset('g1', tp, 43);
  assert.equal(await c.getConsumerOffset('g1', tp), 43);
});
