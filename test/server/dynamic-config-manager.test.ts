// DynamicConfigManager against a real ZooKeeper and a real LogManager: dynamic broker configs are loaded
// before the logs, stored topic configs are applied at startup, and changes announced under /config/changes
// reach the logs (topic overrides, cluster-default and per-broker configs) and KafkaConfig's DescribeConfigs
// sources; invalid stored entries are ignored; the watch survives a session expiry.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { NOOP_LOGGER, type Logger } from '../../src/common/logger';
import { loadBrokerConfig, type KafkaConfig } from '../../src/config/broker-config';
import { buildLogConfig } from '../../src/config/log-config-builder';
import { LogManager } from '../../src/log/log-manager';
import { initializeDynamicBrokerConfig } from '../../src/server/config/dynamic-broker-config';
import { DynamicConfigManager } from '../../src/server/dynamic-config-manager';
import { KafkaZkClient } from '../../src/zk/kafka-zk-client';
import { ZkSession } from '../../src/zk/zk-session';
import { expireSession, startZooKeeper, type TestZooKeeper } from '../harness/zookeeper';

let zk: TestZooKeeper;
let admin: KafkaZkClient;
let session: ZkSession;
let broker: KafkaZkClient;
let config: KafkaConfig;
let logManager: LogManager;
let manager: DynamicConfigManager;
let dir: string;
const errors: string[] = [];
const logger: Logger = { ...NOOP_LOGGER, error: (m) => void errors.push(typeof m === 'function' ? m() : m) };

async function eventually(check: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const logOf = (topic: string) => logManager.getLog(topic, 0)!;
const describeOne = (name: string) => config.describe({ names: [name] })[0]!;

before(async () => {
  zk = await startZooKeeper();
  admin = await KafkaZkClient.connect({ connectString: zk.connectString });
  await admin.createTopLevelPaths();
  // Entity config writes are checked against /controller, as on a running cluster.
  await admin.registerControllerAndIncrementControllerEpoch(0);
  for (const topic of ['orders', 'plain', 'elsewhere']) {
    await admin.createTopicWithAssignment(topic, topic === 'orders' ? { 'segment.bytes': '4096' } : {}, new Map([[0, [1]]]));
  }
  // Stored before the broker starts: the cluster default, this broker's own and another broker's configs, one
  // read-only entry (ignored) among them.
  await admin.changeBrokerConfig([], { 'log.retention.ms': '3600000', 'num.partitions': '9' });
  await admin.changeBrokerConfig([1], { 'log.segment.bytes': '1048576' });
  await admin.changeBrokerConfig([2], { 'log.segment.bytes': '2097152' });

  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ts-kafka-dyncfg-'));
  config = loadBrokerConfig({ properties: { 'zookeeper.connect': zk.connectString, 'broker.id': '1', 'log.dirs': dir } });
  session = await ZkSession.connect({ connectString: zk.connectString, sessionTimeoutMs: 6000 });
  broker = new KafkaZkClient(session);
  await initializeDynamicBrokerConfig(config, broker, logger);
  logManager = new LogManager({ logDirs: [dir], defaultConfig: buildLogConfig(config, {}), logger: NOOP_LOGGER });
  await logManager.startup();
  // The logs start with configs that ignore their topic's overrides: startup must correct them.
  await logManager.getOrCreateLog('orders', 0, buildLogConfig(config, {}));
  await logManager.getOrCreateLog('plain', 0, buildLogConfig(config, { 'retention.ms': '5' }));
  manager = new DynamicConfigManager({ config, zkClient: broker, session, logManager, logger });
  await manager.startup();
});

after(async () => {
  await manager?.shutdown();
  await logManager?.shutdown();
  await session?.close();
  await admin?.close();
  await zk?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('DynamicConfigManager', () => {
  it('loads the cluster-default and per-broker configs before the logs, ignoring read-only entries', () => {
    assert.equal(config.logRetentionMs, 3600000);
    assert.equal(describeOne('log.retention.ms').source, 'DYNAMIC_DEFAULT_BROKER_CONFIG');
    assert.equal(config.get('log.segment.bytes'), 1048576);
    assert.equal(describeOne('log.segment.bytes').source, 'DYNAMIC_BROKER_CONFIG');
    // num.partitions is read-only: the stored value is ignored (and logged), the rest applies.
    assert.equal(config.numPartitions, 1);
    assert.ok(errors.some((e) => e === 'Non-dynamic configs configured in ZooKeeper will be ignored: Set(num.partitions)'), errors.join('\n'));
  });

  it('applies the stored configs of hosted topics at startup', () => {
    assert.equal(logOf('orders').config.segmentBytes, 4096);
    assert.equal(logOf('orders').config.retentionMs, 3600000, 'broker default under the topic override');
    assert.equal(logOf('plain').config.retentionMs, 3600000);
    assert.equal(logOf('plain').config.segmentBytes, 1048576);
  });

  it('a topic config change reaches the topic’s logs without restart', async () => {
    await admin.changeTopicConfig('orders', { 'retention.ms': '1000', 'segment.bytes': '4096', 'cleanup.policy': 'compact', 'max.message.bytes': '2048' });
    await eventually(() => logOf('orders').config.retentionMs === 1000, 'retention.ms on the log');
    const c = logOf('orders').config;
    assert.deepEqual([c.segmentBytes, c.cleanupPolicy, c.maxMessageBytes], [4096, ['compact'], 2048]);
    assert.equal(logOf('plain').config.retentionMs, 3600000, 'other topics untouched');
    // Removing an override falls back to the broker's (dynamic) default.
    await admin.changeTopicConfig('orders', { 'segment.bytes': '4096' });
    await eventually(() => logOf('orders').config.retentionMs === 3600000, 'the broker default again');
  });

  it('a cluster-default change updates KafkaConfig and the logs that follow the broker defaults', async () => {
    await admin.changeBrokerConfig([], { 'log.retention.ms': '7200000', 'min.insync.replicas': '2' });
    await eventually(() => logOf('plain').config.retentionMs === 7200000, 'the new default on the log');
    assert.equal(logOf('plain').config.minInSyncReplicas, 2);
    assert.equal(logOf('orders').config.minInSyncReplicas, 2);
    assert.equal(logOf('orders').config.segmentBytes, 4096, 'topic overrides stay');
    const entry = describeOne('min.insync.replicas');
    assert.deepEqual([entry.value, entry.source], ['2', 'DYNAMIC_DEFAULT_BROKER_CONFIG']);
    assert.deepEqual(config.dynamicDefaultConfigs(), { 'log.retention.ms': '7200000', 'min.insync.replicas': '2' });
  });

  it('per-broker configs apply on their broker only and win over the cluster default', async () => {
    await admin.changeBrokerConfig([2], { 'min.insync.replicas': '3' });
    await admin.changeBrokerConfig([1], { 'log.segment.bytes': '1048576', 'log.retention.ms': '60000' });
    await eventually(() => logOf('plain').config.retentionMs === 60000, 'the per-broker value on the log');
    assert.equal(describeOne('log.retention.ms').source, 'DYNAMIC_BROKER_CONFIG');
    assert.equal(logOf('plain').config.minInSyncReplicas, 2, "broker 2's config is not this broker's");
    await admin.changeBrokerConfig([1], {});
    await eventually(() => logOf('plain').config.retentionMs === 7200000, 'the cluster default after the per-broker entry went');
    assert.equal(config.get('log.segment.bytes'), 1073741824);
  });

  it('a per-broker config at the cluster-default level is ignored there', async () => {
    errors.length = 0;
    await admin.changeBrokerConfig([], { 'log.retention.ms': '7200000', 'min.insync.replicas': '2', 'sasl.enabled.mechanisms': 'PLAIN' });
    await eventually(() => errors.length > 0, 'the error log');
    assert.deepEqual(errors, ['Per-broker configs defined at default cluster level will be ignored: Set(sasl.enabled.mechanisms)']);
    assert.deepEqual(config.dynamicDefaultConfigs(), { 'log.retention.ms': '7200000', 'min.insync.replicas': '2' });
  });

  it('logs of topics this broker does not host are not touched, and new logs need no notification', () => {
    assert.equal(logManager.getLog('elsewhere', 0), undefined);
  });

  it('keeps applying changes after a ZooKeeper session expiry', async () => {
    const reestablished = new Promise<void>((resolve) => session.once('sessionReestablished', () => resolve()));
    await expireSession(session);
    await reestablished;
    await admin.changeTopicConfig('orders', { 'segment.bytes': '8192' });
    await eventually(() => logOf('orders').config.segmentBytes === 8192, 'the change made after the new session');
    assert.ok(manager.lastProcessedChange >= 0);
  });
});
