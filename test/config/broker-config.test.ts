// Loading and validating the broker configuration: defaults, precedence, warnings, invalid values.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { BrokerConfigAccessors } from '../../src/config/broker-config-accessors';
import { BROKER_CONFIG_DEFS } from '../../src/config/broker-config-defs';
import { KafkaConfig, loadBrokerConfig, parseOverrides } from '../../src/config/broker-config';
import { ConfigException } from '../../src/config/config-exception';
import { parseConfigValue } from '../../src/config/config-types';
import { InvalidConfigurationError } from '../../src/common/kafka-error';

/** The repository root (tests run from test/ with tsx and from dist/test/ once compiled). */
function repoRoot(): string {
  let dir = __dirname;
  while (!existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}

const ZK = { 'zookeeper.connect': 'localhost:2181' };

function load(props: Record<string, string>): KafkaConfig {
  return loadBrokerConfig({ properties: { ...ZK, ...props } });
}

function assertConfigError(props: Record<string, string>, configName: string, message: string | RegExp): void {
  assert.throws(
    () => loadBrokerConfig({ properties: props }),
    (err: unknown) => {
      assert.ok(err instanceof ConfigException, `expected ConfigException, got ${String(err)}`);
      assert.equal(err.configName, configName);
      if (typeof message === 'string') assert.equal(err.message, message);
      else assert.match(err.message, message);
      return true;
    },
  );
}

describe('broker config defaults', () => {
  it('every property of the table loads with its default', () => {
    const config = load({});
    assert.equal(config.warnings.length, 0);
    for (const def of BROKER_CONFIG_DEFS) {
      const expected = def.name === 'zookeeper.connect' ? 'localhost:2181' : parseConfigValue(def, def.default).value;
      assert.deepEqual(config.get(def.name), expected, def.name);
    }
  });

  it('some well-known defaults have Kafka 3.9 values', () => {
    const c = load({});
    assert.equal(c.brokerId, -1);
    assert.equal(c.numPartitions, 1);
    assert.equal(c.defaultReplicationFactor, 1);
    assert.equal(c.messageMaxBytes, 1048588);
    assert.equal(c.offsetsTopicNumPartitions, 50);
    assert.equal(c.offsetsTopicReplicationFactor, 3);
    assert.equal(c.zookeeperSessionTimeoutMs, 18000);
    assert.equal(c.interBrokerProtocolVersion, '3.9-IV0');
    assert.equal(c.logCleanerIoMaxBytesPerSecond, Number.MAX_VALUE);
    assert.equal(c.logFlushIntervalMessages, Number.MAX_SAFE_INTEGER);
    assert.deepEqual(c.logCleanupPolicy, ['delete']);
    assert.deepEqual(c.saslEnabledMechanisms, ['GSSAPI']);
    assert.equal(c.brokerRack, null);
    assert.equal(c.minInsyncReplicas, 1);
    assert.equal(c.fetchMaxBytes, 57671680);
  });

  it('every typed accessor returns a value of its property', () => {
    const config = load({});
    const names = new Set<string>();
    for (const proto of [BrokerConfigAccessors.prototype, KafkaConfig.prototype]) {
      for (const [name, desc] of Object.entries(Object.getOwnPropertyDescriptors(proto))) {
        if (desc.get !== undefined) names.add(name);
      }
    }
    assert.ok(names.size > 140, `only ${names.size} accessors`);
    for (const name of names) {
      const value = (config as unknown as Record<string, unknown>)[name];
      assert.notEqual(value, undefined, name);
    }
  });
});

describe('loadBrokerConfig sources', () => {
  it('reads a file; programmatic properties and then --override win', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'broker-config-'));
    const file = path.join(dir, 'server.properties');
    writeFileSync(file, 'broker.id=1\nnum.partitions=3\nzookeeper.connect=zk:2181/kafka\nlog.dirs=/a,/b\n');
    const c = loadBrokerConfig({ file, properties: { 'num.partitions': '4', 'default.replication.factor': '2' }, overrides: ['broker.id=5'] });
    assert.equal(c.brokerId, 5);
    assert.equal(c.numPartitions, 4);
    assert.equal(c.defaultReplicationFactor, 2);
    assert.equal(c.zookeeperConnect, 'zk:2181/kafka');
    assert.deepEqual(c.logDirs, ['/a', '/b']);
    assert.deepEqual(c.originals()['broker.id'], '5');
  });

  it('parses --override arguments as Kafka does', () => {
    assert.deepEqual(parseOverrides(['a=1', 'b=x=y', 'c']), { a: '1', b: 'x=y', c: '' });
    assert.throws(() => parseOverrides(['=1']), ConfigException);
  });

  it('an override with an empty value is validated like any value', () => {
    assert.throws(() => loadBrokerConfig({ properties: ZK, overrides: ['num.partitions'] }), /Invalid value {2}for configuration num.partitions: Not a number of type INT/);
  });

  it('an unknown property is a warning, not an error', () => {
    const c = load({ 'foo.bar': 'x', 'super.users': 'User:admin', 'listener.name.sasl_plaintext.plain.sasl.jaas.config': 'x' });
    assert.deepEqual(c.warnings, ["The configuration 'foo.bar' was supplied but isn't a known config."]);
    assert.equal(c.originals()['foo.bar'], 'x');
  });

  it('the shipped conf/server.properties loads without warnings', () => {
    const c = loadBrokerConfig({ file: path.join(repoRoot(), 'conf', 'server.properties') });
    assert.deepEqual(c.warnings, []);
    assert.equal(c.brokerId, 0);
    assert.deepEqual(c.listeners, [{ name: 'PLAINTEXT', host: 'localhost', port: 9092, securityProtocol: 'PLAINTEXT' }]);
    assert.deepEqual(c.logDirs, ['/tmp/kafka-logs']);
    assert.equal(c.zookeeperConnect, 'localhost:2181');
    assert.equal(c.offsetsTopicReplicationFactor, 1);
    assert.equal(c.groupInitialRebalanceDelayMs, 0);
    assert.equal(c.logRetentionMs, 168 * 3600 * 1000);
  });
});

describe('invalid values throw ConfigException naming the property', () => {
  it('is an INVALID_CONFIG KafkaError', () => {
    assert.throws(() => load({ 'num.partitions': 'abc' }), (err: unknown) => err instanceof InvalidConfigurationError && err.code === 40);
  });

  it('type errors', () => {
    assertConfigError({ ...ZK, 'num.partitions': 'abc' }, 'num.partitions', 'Invalid value abc for configuration num.partitions: Not a number of type INT');
    assertConfigError({ ...ZK, 'log.retention.ms': '1h' }, 'log.retention.ms', 'Invalid value 1h for configuration log.retention.ms: Not a number of type LONG');
    assertConfigError({ ...ZK, 'offsets.topic.replication.factor': '70000' }, 'offsets.topic.replication.factor', /Not a number of type SHORT/);
    assertConfigError({ ...ZK, 'log.cleaner.min.cleanable.ratio': 'x' }, 'log.cleaner.min.cleanable.ratio', /Not a number of type DOUBLE/);
    assertConfigError({ ...ZK, 'auto.create.topics.enable': 'yes' }, 'auto.create.topics.enable', /Expected value to be either true or false/);
  });

  it('range errors', () => {
    assertConfigError({ ...ZK, 'num.partitions': '0' }, 'num.partitions', 'Invalid value 0 for configuration num.partitions: Value must be at least 1');
    assertConfigError({ ...ZK, 'log.segment.bytes': '13' }, 'log.segment.bytes', 'Invalid value 13 for configuration log.segment.bytes: Value must be at least 14');
    assertConfigError(
      { ...ZK, 'log.cleaner.min.cleanable.ratio': '1.5' },
      'log.cleaner.min.cleanable.ratio',
      'Invalid value 1.5 for configuration log.cleaner.min.cleanable.ratio: Value must be no more than 1',
    );
    assertConfigError({ ...ZK, 'compression.gzip.level': '0' }, 'compression.gzip.level', /between 1 and 9 or equal to -1/);
  });

  it('enum errors', () => {
    assertConfigError(
      { ...ZK, 'compression.type': 'brotli' },
      'compression.type',
      'Invalid value brotli for configuration compression.type: String must be one of: uncompressed, zstd, lz4, snappy, gzip, producer',
    );
    assertConfigError(
      { ...ZK, 'log.cleanup.policy': 'delete,archive' },
      'log.cleanup.policy',
      'Invalid value archive for configuration log.cleanup.policy: String must be one of: compact, delete',
    );
    assertConfigError({ ...ZK, 'log.message.timestamp.type': 'createtime' }, 'log.message.timestamp.type', /String must be one of: CreateTime, LogAppendTime/);
    assertConfigError({ ...ZK, 'inter.broker.protocol.version': '9.9' }, 'inter.broker.protocol.version', /Version 9.9 is not a valid version/);
  });

  it('the first invalid property in table order is reported', () => {
    assertConfigError({ ...ZK, 'num.partitions': 'x', 'broker.id': 'y' }, 'broker.id', /Invalid value y for configuration broker.id/);
  });

  it('a missing zookeeper.connect is an error naming it', () => {
    assertConfigError({}, 'zookeeper.connect', 'Missing required configuration `zookeeper.connect` which has no default value.');
    assertConfigError({ 'zookeeper.connect': ' ' }, 'zookeeper.connect', /Missing required configuration/);
  });

  it('broker.id rules', () => {
    assert.equal(load({ 'broker.id': '-1' }).brokerId, -1);
    assertConfigError({ ...ZK, 'broker.id': '-1', 'broker.id.generation.enable': 'false' }, 'broker.id', 'broker.id must be greater than or equal to 0');
    assertConfigError({ ...ZK, 'broker.id': '-2' }, 'broker.id', /greater than or equal to -1 and not greater than reserved.broker.max.id/);
    assertConfigError({ ...ZK, 'broker.id': '1001' }, 'broker.id', /not greater than reserved.broker.max.id/);
    assert.equal(load({ 'broker.id': '1001', 'reserved.broker.max.id': '2000' }).brokerId, 1001);
  });

  it('cross-property rules', () => {
    assertConfigError({ ...ZK, 'replica.fetch.wait.max.ms': '40000' }, 'replica.socket.timeout.ms', /at least replica.fetch.wait.max.ms/);
    assertConfigError({ ...ZK, 'log.retention.ms': '0' }, 'log.retention.ms', 'log.retention.ms must be unlimited (-1) or, greater than or equal to 1');
    assertConfigError({ ...ZK, 'log.dirs': ' , ' }, 'log.dirs', /At least one log directory/);
    assertConfigError({ ...ZK, 'process.roles': 'broker' }, 'process.roles', /ZooKeeper mode only/);
    assertConfigError({ ...ZK, 'queued.max.request.bytes': '10' }, 'queued.max.request.bytes', /must be larger or equal to socket.request.max.bytes/);
    assertConfigError({ ...ZK, 'max.connections.per.ip': '0' }, 'max.connections.per.ip', /only if max.connections.per.ip.overrides/);
    assert.deepEqual(load({ 'max.connections.per.ip.overrides': 'host1:5, 10.0.0.1:7' }).maxConnectionsPerIpOverrides, new Map([['host1', 5], ['10.0.0.1', 7]]));
  });
});

describe('derived values', () => {
  it('log.retention.ms beats .minutes beats .hours; negative is unlimited', () => {
    assert.equal(load({}).logRetentionMs, 168 * 3600_000);
    assert.equal(load({ 'log.retention.hours': '2' }).logRetentionMs, 2 * 3600_000);
    assert.equal(load({ 'log.retention.hours': '2', 'log.retention.minutes': '3' }).logRetentionMs, 3 * 60_000);
    assert.equal(load({ 'log.retention.hours': '2', 'log.retention.minutes': '3', 'log.retention.ms': '4' }).logRetentionMs, 4);
    assert.equal(load({ 'log.retention.ms': '-1' }).logRetentionMs, -1);
    assert.equal(load({ 'log.retention.hours': '-5' }).logRetentionMs, -1);
  });

  it('log.roll.ms beats log.roll.hours; jitter likewise', () => {
    assert.equal(load({}).logRollMs, 168 * 3600_000);
    assert.equal(load({ 'log.roll.hours': '1' }).logRollMs, 3600_000);
    assert.equal(load({ 'log.roll.hours': '1', 'log.roll.ms': '500' }).logRollMs, 500);
    assert.equal(load({}).logRollJitterMs, 0);
    assert.equal(load({ 'log.roll.jitter.hours': '2' }).logRollJitterMs, 2 * 3600_000);
    assert.equal(load({ 'log.roll.jitter.hours': '2', 'log.roll.jitter.ms': '7' }).logRollJitterMs, 7);
  });

  it('log.dirs falls back to log.dir', () => {
    assert.deepEqual(load({}).logDirs, ['/tmp/kafka-logs']);
    assert.deepEqual(load({ 'log.dir': '/data' }).logDirs, ['/data']);
    assert.deepEqual(load({ 'log.dir': '/data', 'log.dirs': '/d1, /d2' }).logDirs, ['/d1', '/d2']);
    assert.equal(load({ 'log.dirs': '/d1,/d2' }).numReplicaAlterLogDirsThreads, 2);
  });

  it('flush interval and ZooKeeper connection timeout defaults', () => {
    assert.equal(load({}).logFlushIntervalMs, Number.MAX_SAFE_INTEGER);
    assert.equal(load({ 'log.flush.scheduler.interval.ms': '3000' }).logFlushIntervalMs, 3000);
    assert.equal(load({ 'log.flush.scheduler.interval.ms': '3000', 'log.flush.interval.ms': '10' }).logFlushIntervalMs, 10);
    assert.equal(load({}).zookeeperConnectionTimeoutMs, 18000);
    assert.equal(load({ 'zookeeper.session.timeout.ms': '6000' }).zookeeperConnectionTimeoutMs, 6000);
    assert.equal(load({ 'zookeeper.connection.timeout.ms': '1000' }).zookeeperConnectionTimeoutMs, 1000);
  });

  it('timestamp bounds fall back to the deprecated difference setting', () => {
    assert.equal(load({ 'log.message.timestamp.difference.max.ms': '1000' }).logMessageTimestampBeforeMaxMs, 1000);
    assert.equal(load({ 'log.message.timestamp.difference.max.ms': '1000', 'log.message.timestamp.after.max.ms': '5' }).logMessageTimestampAfterMaxMs, 5);
  });

  it('withBrokerId sets the id in use and keeps everything else', () => {
    const c = load({ 'num.partitions': '3' });
    const generated = c.withBrokerId(1001);
    assert.equal(generated.brokerId, 1001);
    assert.equal(generated.numPartitions, 3);
    assert.equal(c.brokerId, -1);
    assert.equal(generated.describe({ names: ['broker.id'] })[0].value, '-1');
    c.setBrokerId(1002);
    assert.equal(c.brokerId, 1002);
    assert.equal(c.get('broker.id'), -1);
  });
});
