// AlterConfigs and IncrementalAlterConfigs as ZkAdminManager serves them, against a real ZooKeeper: what is
// written (znode and v2 change notification, exactly as Kafka writes them), validateOnly, and every refusal
// with Kafka's error code and message.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { NOOP_LOGGER } from '../../src/common/logger';
import { loadBrokerConfig } from '../../src/config/broker-config';
import { MetadataCache } from '../../src/metadata/metadata-cache';
import { ErrorCode } from '../../src/protocol';
import { AlterConfigOpType } from '../../src/server/config/incremental-configs';
import { ZkAdminManager } from '../../src/server/zk-admin-manager';
import { KafkaZkClient } from '../../src/zk/kafka-zk-client';
import { startZooKeeper, type TestZooKeeper } from '../harness/zookeeper';

const TOPIC = 2;
const BROKER = 4;

let zk: TestZooKeeper;
let client: KafkaZkClient;
let manager: ZkAdminManager;

async function znode(path: string): Promise<string | null> {
  return (await client.getDataAndStat(path))?.data.toString() ?? null;
}

/** The entity paths of the change notifications currently present. */
async function notifications(): Promise<string[]> {
  const names = await client.getConfigChangeNotifications();
  return Promise.all(names.map(async (n) => JSON.parse((await znode(`/config/changes/${n}`))!).entity_path as string));
}

before(async () => {
  zk = await startZooKeeper();
  client = await KafkaZkClient.connect({ connectString: zk.connectString });
  await client.createTopLevelPaths();
  await client.registerControllerAndIncrementControllerEpoch(1);
  await client.createTopicWithAssignment('orders', { 'retention.ms': '86400000' }, new Map([[0, [1]]]));
  const metadataCache = new MetadataCache(1);
  metadataCache.updateMetadata({
    controllerId: 1,
    controllerEpoch: 1,
    liveBrokers: [{ id: 1, rack: null, endpoints: [] }],
    partitionStates: [
      { topic: 'orders', partition: 0, controllerEpoch: 1, leader: 1, leaderEpoch: 0, isr: [1], zkVersion: 0, replicas: [1], offlineReplicas: [] },
    ],
    topicIds: new Map(),
  });
  const config = loadBrokerConfig({ properties: { 'zookeeper.connect': zk.connectString, 'broker.id': '1' } });
  manager = new ZkAdminManager({ config, zkClient: client, metadataCache, logger: NOOP_LOGGER });
});

after(async () => {
  await client?.close();
  await zk?.stop();
});

beforeEach(async () => {
  await client.deleteConfigChangeNotifications(await client.getConfigChangeNotifications());
});

const ok = (resourceType: number, resourceName: string) => ({ resourceType, resourceName, errorCode: ErrorCode.NONE, errorMessage: null });
const failed = (resourceType: number, resourceName: string, errorCode: number, errorMessage: string | null) => ({
  resourceType,
  resourceName,
  errorCode,
  errorMessage,
});

describe('AlterConfigs', () => {
  it('replaces a topic’s overrides and announces the change as Kafka does', async () => {
    const results = await manager.alterConfigs(
      [{ resourceType: TOPIC, resourceName: 'orders', configs: [{ name: 'segment.bytes', value: '1048576' }, { name: 'cleanup.policy', value: 'compact' }] }],
      { validateOnly: false },
    );
    assert.deepEqual(results, [ok(TOPIC, 'orders')]);
    // Every key given, and only those (retention.ms is gone); keys in java.util.Properties order.
    assert.equal(await znode('/config/topics/orders'), '{"version":1,"config":{"segment.bytes":"1048576","cleanup.policy":"compact"}}');
    assert.deepEqual(await notifications(), ['topics/orders']);
    assert.equal((await znode(`/config/changes/${(await client.getConfigChangeNotifications())[0]}`)), '{"version":2,"entity_path":"topics/orders"}');
  });

  it('validateOnly checks and writes nothing', async () => {
    const before = await znode('/config/topics/orders');
    const results = await manager.alterConfigs(
      [{ resourceType: TOPIC, resourceName: 'orders', configs: [{ name: 'retention.ms', value: '1' }] }],
      { validateOnly: true },
    );
    assert.deepEqual(results, [ok(TOPIC, 'orders')]);
    assert.equal(await znode('/config/topics/orders'), before);
    assert.deepEqual(await notifications(), []);
  });

  it('writes the cluster default and this broker’s entity', async () => {
    const results = await manager.alterConfigs(
      [
        { resourceType: BROKER, resourceName: '', configs: [{ name: 'log.retention.ms', value: '3600000' }] },
        { resourceType: BROKER, resourceName: '1', configs: [{ name: 'min.insync.replicas', value: '2' }, { name: 'sasl.enabled.mechanisms', value: 'PLAIN' }] },
      ],
      { validateOnly: false },
    );
    assert.deepEqual(results, [ok(BROKER, ''), ok(BROKER, '1')]);
    assert.equal(await znode('/config/brokers/<default>'), '{"version":1,"config":{"log.retention.ms":"3600000"}}');
    assert.equal(await znode('/config/brokers/1'), '{"version":1,"config":{"sasl.enabled.mechanisms":"PLAIN","min.insync.replicas":"2"}}');
    assert.deepEqual(await notifications(), ['brokers/<default>', 'brokers/1']);
  });

  it("refuses what Kafka refuses, with Kafka's messages, and writes nothing", async () => {
    const results = await manager.alterConfigs(
      [
        { resourceType: TOPIC, resourceName: 'nope', configs: [{ name: 'retention.ms', value: '1' }] },
        { resourceType: TOPIC, resourceName: 'orders', configs: [{ name: 'retention.mss', value: '1' }] },
        { resourceType: TOPIC, resourceName: 'orders', configs: [{ name: 'retention.ms', value: 'abc' }] },
        { resourceType: BROKER, resourceName: '2', configs: [{ name: 'min.insync.replicas', value: '2' }] },
        { resourceType: BROKER, resourceName: 'one', configs: [] },
        { resourceType: BROKER, resourceName: '1', configs: [{ name: 'num.partitions', value: '3' }] },
        { resourceType: BROKER, resourceName: '', configs: [{ name: 'sasl.enabled.mechanisms', value: 'PLAIN' }] },
        { resourceType: BROKER, resourceName: '', configs: [{ name: 'min.insync.replicas', value: '0' }] },
        { resourceType: 8, resourceName: '1', configs: [] },
      ],
      { validateOnly: false },
    );
    assert.deepEqual(results, [
      failed(TOPIC, 'nope', ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, "The topic 'nope' does not exist."),
      failed(TOPIC, 'orders', ErrorCode.INVALID_REQUEST, 'Each resource must appear at most once.'),
      failed(TOPIC, 'orders', ErrorCode.INVALID_REQUEST, 'Each resource must appear at most once.'),
      failed(BROKER, '2', ErrorCode.INVALID_REQUEST, 'Unexpected broker id, expected 1, but received 2'),
      failed(BROKER, 'one', ErrorCode.INVALID_REQUEST, 'Node id must be an integer, but it is: one'),
      failed(BROKER, '1', ErrorCode.INVALID_REQUEST, 'Cannot update these configs dynamically: Set(num.partitions)'),
      failed(BROKER, '', ErrorCode.INVALID_REQUEST, 'Each resource must appear at most once.'),
      failed(BROKER, '', ErrorCode.INVALID_REQUEST, 'Each resource must appear at most once.'),
      failed(8, '1', ErrorCode.INVALID_REQUEST, 'Unknown resource type 8'),
    ]);
    assert.deepEqual(await notifications(), []);
  });

  it('checks each resource on its own: names, values, per-broker configs, nulls, duplicate keys', async () => {
    const one = async (resourceType: number, resourceName: string, configs: { name: string; value: string | null }[]) =>
      (await manager.alterConfigs([{ resourceType, resourceName, configs }], { validateOnly: false }))[0];
    assert.deepEqual(
      await one(TOPIC, 'orders', [{ name: 'retention.mss', value: '1' }]),
      failed(TOPIC, 'orders', ErrorCode.INVALID_CONFIG, 'Unknown topic config name: retention.mss'),
    );
    assert.deepEqual(
      await one(TOPIC, 'orders', [{ name: 'retention.ms', value: 'abc' }]),
      failed(
        TOPIC,
        'orders',
        ErrorCode.INVALID_REQUEST,
        "Invalid config value for resource ConfigResource(type=TOPIC, name='orders'): Invalid value abc for configuration retention.ms: Not a number of type LONG",
      ),
    );
    assert.deepEqual(
      await one(BROKER, '', [{ name: 'sasl.enabled.mechanisms', value: 'PLAIN' }]),
      failed(BROKER, '', ErrorCode.INVALID_REQUEST, 'Cannot update these configs at default cluster level, broker id must be specified: Set(sasl.enabled.mechanisms)'),
    );
    assert.deepEqual(
      await one(BROKER, '', [{ name: 'min.insync.replicas', value: '0' }]),
      failed(BROKER, '', ErrorCode.INVALID_REQUEST, 'Invalid value 0 for configuration min.insync.replicas: Value must be at least 1'),
    );
    assert.deepEqual(
      await one(TOPIC, 'orders', [{ name: 'retention.ms', value: null }, { name: 'segment.bytes', value: null }]),
      failed(TOPIC, 'orders', ErrorCode.INVALID_REQUEST, 'Null value not supported for : retention.ms, segment.bytes'),
    );
    assert.deepEqual(
      await one(TOPIC, 'orders', [{ name: 'retention.ms', value: '1' }, { name: 'retention.ms', value: '2' }]),
      failed(TOPIC, 'orders', ErrorCode.INVALID_REQUEST, 'Error due to duplicate config keys'),
    );
    assert.deepEqual(await notifications(), []);
  });
});

describe('IncrementalAlterConfigs', () => {
  const ops = (...list: [string, number, string | null][]) => list.map(([name, configOperation, value]) => ({ name, configOperation, value }));

  it('SET, DELETE, APPEND and SUBTRACT edit a topic’s stored overrides', async () => {
    await client.changeTopicConfig('orders', { 'retention.ms': '1000', 'segment.bytes': '2048' });
    await client.deleteConfigChangeNotifications(await client.getConfigChangeNotifications());
    const results = await manager.incrementalAlterConfigs(
      [
        {
          resourceType: TOPIC,
          resourceName: 'orders',
          configs: ops(
            ['retention.ms', AlterConfigOpType.SET, '5000'],
            ['segment.bytes', AlterConfigOpType.DELETE, null],
            ['cleanup.policy', AlterConfigOpType.APPEND, 'compact'],
            ['leader.replication.throttled.replicas', AlterConfigOpType.APPEND, '0:1,0:2'],
          ),
        },
      ],
      { validateOnly: false },
    );
    assert.deepEqual(results, [ok(TOPIC, 'orders')]);
    assert.deepEqual(await client.fetchEntityConfig('topics', 'orders'), {
      'retention.ms': '5000',
      'cleanup.policy': 'delete,compact',
      'leader.replication.throttled.replicas': '0:1,0:2',
    });
    assert.deepEqual(await notifications(), ['topics/orders']);

    await manager.incrementalAlterConfigs(
      [{ resourceType: TOPIC, resourceName: 'orders', configs: ops(['cleanup.policy', AlterConfigOpType.SUBTRACT, 'delete']) }],
      { validateOnly: false },
    );
    assert.equal((await client.fetchEntityConfig('topics', 'orders'))['cleanup.policy'], 'compact');
  });

  it('edits this broker’s dynamic configs and the cluster default', async () => {
    await client.changeBrokerConfig([1], { 'min.insync.replicas': '2', 'log.cleanup.policy': 'delete' });
    const results = await manager.incrementalAlterConfigs(
      [
        { resourceType: BROKER, resourceName: '1', configs: ops(['min.insync.replicas', AlterConfigOpType.DELETE, null], ['log.cleanup.policy', AlterConfigOpType.APPEND, 'compact']) },
        { resourceType: BROKER, resourceName: '', configs: ops(['unclean.leader.election.enable', AlterConfigOpType.SET, 'true']) },
      ],
      { validateOnly: false },
    );
    assert.deepEqual(results, [ok(BROKER, '1'), ok(BROKER, '')]);
    assert.deepEqual(await client.fetchEntityConfig('brokers', '1'), { 'log.cleanup.policy': 'delete,compact' });
    assert.equal((await client.fetchEntityConfig('brokers', '<default>'))['unclean.leader.election.enable'], 'true');
  });

  it('validateOnly writes nothing', async () => {
    const before = await znode('/config/topics/orders');
    const results = await manager.incrementalAlterConfigs(
      [{ resourceType: TOPIC, resourceName: 'orders', configs: ops(['retention.ms', AlterConfigOpType.SET, '1']) }],
      { validateOnly: true },
    );
    assert.deepEqual(results, [ok(TOPIC, 'orders')]);
    assert.equal(await znode('/config/topics/orders'), before);
    assert.deepEqual(await notifications(), []);
  });

  it("refuses what Kafka refuses, with Kafka's messages", async () => {
    const one = async (resourceType: number, resourceName: string, configs: ReturnType<typeof ops>) =>
      (await manager.incrementalAlterConfigs([{ resourceType, resourceName, configs }], { validateOnly: false }))[0];
    assert.deepEqual(
      await one(TOPIC, '', ops(['retention.ms', AlterConfigOpType.SET, '1'])),
      failed(TOPIC, '', ErrorCode.INVALID_REQUEST, 'Default topic resources are not allowed.'),
    );
    assert.deepEqual(
      await one(TOPIC, 'orders', ops(['retention.ms', AlterConfigOpType.APPEND, '1'])),
      failed(TOPIC, 'orders', ErrorCode.INVALID_REQUEST, 'Config value append is not allowed for config key: retention.ms'),
    );
    assert.deepEqual(
      await one(TOPIC, 'orders', ops(['retention.ms', AlterConfigOpType.SET, null])),
      failed(TOPIC, 'orders', ErrorCode.INVALID_REQUEST, 'Null value not supported for : retention.ms'),
    );
    assert.deepEqual(
      await one(TOPIC, 'orders', ops(['retention.ms', 9, '1'])),
      failed(TOPIC, 'orders', ErrorCode.INVALID_REQUEST, 'Unknown operations type 9'),
    );
    assert.deepEqual(
      await one(TOPIC, 'orders', ops(['no.such.config', AlterConfigOpType.SET, '1'])),
      failed(TOPIC, 'orders', ErrorCode.INVALID_CONFIG, 'Unknown topic config name: no.such.config'),
    );
    assert.deepEqual(
      await one(BROKER, '1', ops(['broker.id', AlterConfigOpType.SET, '7'])),
      failed(BROKER, '1', ErrorCode.INVALID_REQUEST, 'Cannot update these configs dynamically: Set(broker.id)'),
    );
    assert.deepEqual(
      await one(BROKER, '3', ops(['min.insync.replicas', AlterConfigOpType.SET, '2'])),
      failed(BROKER, '3', ErrorCode.INVALID_REQUEST, 'Unexpected broker id, expected 1, but received 3'),
    );
    assert.deepEqual(await notifications(), []);
  });
});
