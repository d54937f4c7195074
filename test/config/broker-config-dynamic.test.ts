// DescribeConfigs for broker resources and the dynamic config layers (KIP-226 sources and synonyms).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BROKER_CONFIG_DEFS } from '../../src/config/broker-config-defs';
import { loadBrokerConfig, type KafkaConfig } from '../../src/config/broker-config';
import { ConfigException } from '../../src/config/config-exception';
import { ConfigTypeId, type ConfigEntry } from '../../src/config/config-types';

function load(props: Record<string, string> = {}): KafkaConfig {
  return loadBrokerConfig({ properties: { 'zookeeper.connect': 'localhost:2181', ...props } });
}

function entry(config: KafkaConfig, name: string, options: { clusterDefault?: boolean } = {}): ConfigEntry {
  const found = config.describe({ names: [name], ...options });
  assert.equal(found.length, 1, `no entry for ${name}`);
  return found[0];
}

describe('KafkaConfig.describe', () => {
  it('lists every non-internal property, sorted, with its type and documentation', () => {
    const entries = load().describe();
    const expected = BROKER_CONFIG_DEFS.filter((d) => !d.internal).map((d) => d.name).sort();
    assert.deepEqual(entries.map((e) => e.name), expected);
    const np = entries.find((e) => e.name === 'num.partitions')!;
    assert.equal(np.type, ConfigTypeId.INT);
    assert.equal(np.readOnly, true);
    assert.equal(np.sensitive, false);
    assert.match(np.documentation!, /partitions/);
    assert.equal(entries.find((e) => e.name === 'log.cleanup.policy')!.type, ConfigTypeId.LIST);
    assert.equal(entries.find((e) => e.name === 'min.insync.replicas')!.readOnly, false);
  });

  it('a default value: DEFAULT_CONFIG with itself as the synonym', () => {
    assert.deepEqual(entry(load(), 'num.partitions'), {
      name: 'num.partitions',
      value: '1',
      source: 'DEFAULT_CONFIG',
      readOnly: true,
      sensitive: false,
      type: ConfigTypeId.INT,
      synonyms: [{ name: 'num.partitions', value: '1', source: 'DEFAULT_CONFIG' }],
      documentation: entry(load(), 'num.partitions').documentation,
    });
  });

  it('a static value: STATIC_BROKER_CONFIG, then the default', () => {
    const e = entry(load({ 'num.partitions': '6' }), 'num.partitions');
    assert.equal(e.value, '6');
    assert.equal(e.source, 'STATIC_BROKER_CONFIG');
    assert.deepEqual(e.synonyms, [
      { name: 'num.partitions', value: '6', source: 'STATIC_BROKER_CONFIG' },
      { name: 'num.partitions', value: '1', source: 'DEFAULT_CONFIG' },
    ]);
  });

  it('null defaults show as null with no synonyms (log.retention.ms left to log.retention.hours)', () => {
    const c = load({ 'log.retention.hours': '24' });
    const ms = entry(c, 'log.retention.ms');
    assert.equal(ms.value, null);
    assert.equal(ms.source, 'DEFAULT_CONFIG');
    assert.deepEqual(ms.synonyms, []);
    const hours = entry(c, 'log.retention.hours');
    assert.deepEqual(hours.synonyms, [
      { name: 'log.retention.hours', value: '24', source: 'STATIC_BROKER_CONFIG' },
      { name: 'log.retention.hours', value: '168', source: 'DEFAULT_CONFIG' },
    ]);
  });

  it('synonyms list the more general properties after the property itself', () => {
    const c = load({ 'log.retention.minutes': '30', 'log.retention.ms': '1000' });
    assert.deepEqual(entry(c, 'log.retention.ms').synonyms, [
      { name: 'log.retention.ms', value: '1000', source: 'STATIC_BROKER_CONFIG' },
      { name: 'log.retention.minutes', value: '30', source: 'STATIC_BROKER_CONFIG' },
      { name: 'log.retention.hours', value: '168', source: 'DEFAULT_CONFIG' },
    ]);
    assert.deepEqual(entry(c, 'log.retention.minutes').synonyms.map((s) => s.name), ['log.retention.minutes', 'log.retention.hours']);
    assert.deepEqual(entry(load({ 'log.flush.interval.ms': '5' }), 'log.flush.interval.ms').synonyms.map((s) => s.name), [
      'log.flush.interval.ms',
      'log.flush.scheduler.interval.ms',
    ]);
  });

  it('values are printed as Kafka prints them', () => {
    const c = load({ 'log.cleanup.policy': ' compact , delete ', 'num.partitions': '+4' });
    assert.equal(entry(c, 'log.cleanup.policy').value, 'compact,delete');
    assert.equal(entry(c, 'log.cleanup.policy').synonyms[0].value, ' compact , delete ');
    assert.equal(entry(c, 'num.partitions').value, '4');
    assert.equal(entry(c, 'log.cleaner.io.max.bytes.per.second').value, '1.7976931348623157E308');
    assert.equal(entry(c, 'log.flush.interval.messages').value, '9223372036854775807');
    assert.equal(entry(c, 'process.roles').value, '');
  });

  it('passwords and untyped properties are sensitive with hidden values', () => {
    const c = load({ 'delegation.token.secret.key': 's3cret', 'super.users': 'User:admin' });
    const secret = entry(c, 'delegation.token.secret.key');
    assert.equal(secret.value, null);
    assert.equal(secret.sensitive, true);
    assert.equal(secret.type, ConfigTypeId.PASSWORD);
    assert.deepEqual(secret.synonyms, [{ name: 'delegation.token.secret.key', value: null, source: 'STATIC_BROKER_CONFIG' }]);
    const untyped = entry(c, 'super.users');
    assert.equal(untyped.value, null);
    assert.equal(untyped.sensitive, true);
    assert.equal(untyped.type, ConfigTypeId.UNKNOWN);
    assert.equal(untyped.source, 'STATIC_BROKER_CONFIG');
  });

  it('can leave out synonyms and documentation, keeping the source', () => {
    const [e] = load({ 'num.partitions': '6' }).describe({ names: ['num.partitions'], includeSynonyms: false, includeDocumentation: false });
    assert.equal(e.source, 'STATIC_BROKER_CONFIG');
    assert.deepEqual(e.synonyms, []);
    assert.equal(e.documentation, null);
  });

  it('internal properties are listed only when set', () => {
    assert.equal(load().describe({ names: ['log.initial.task.delay.ms'] }).length, 0);
    assert.equal(entry(load({ 'log.initial.task.delay.ms': '100' }), 'log.initial.task.delay.ms').value, '100');
  });
});

describe('dynamic broker configs', () => {
  it('per-broker > cluster default > static > default', () => {
    const c = load({ 'log.retention.ms': '1000', 'min.insync.replicas': '2' });
    const changed = c.applyDynamic({ 'min.insync.replicas': '3' }, { 'min.insync.replicas': '4', 'log.retention.ms': '2000' });
    assert.deepEqual(changed.sort(), ['log.retention.ms', 'min.insync.replicas']);
    assert.equal(c.minInsyncReplicas, 3);
    assert.equal(c.logRetentionMs, 2000);
    const e = entry(c, 'min.insync.replicas');
    assert.equal(e.source, 'DYNAMIC_BROKER_CONFIG');
    assert.deepEqual(e.synonyms, [
      { name: 'min.insync.replicas', value: '3', source: 'DYNAMIC_BROKER_CONFIG' },
      { name: 'min.insync.replicas', value: '4', source: 'DYNAMIC_DEFAULT_BROKER_CONFIG' },
      { name: 'min.insync.replicas', value: '2', source: 'STATIC_BROKER_CONFIG' },
      { name: 'min.insync.replicas', value: '1', source: 'DEFAULT_CONFIG' },
    ]);
    assert.equal(entry(c, 'log.retention.ms').source, 'DYNAMIC_DEFAULT_BROKER_CONFIG');

    // Removing the dynamic values restores the static ones.
    assert.deepEqual(c.applyDynamic({}, {}).sort(), ['log.retention.ms', 'min.insync.replicas']);
    assert.equal(c.minInsyncReplicas, 2);
    assert.equal(c.logRetentionMs, 1000);
  });

  it('describes the cluster-wide resource with only its dynamic defaults', () => {
    const c = load({ 'min.insync.replicas': '2' });
    c.applyDynamic({}, { 'min.insync.replicas': '4' });
    assert.deepEqual(c.describe({ clusterDefault: true }).map((e) => [e.name, e.value, e.source, e.synonyms.length]), [
      ['min.insync.replicas', '4', 'DYNAMIC_DEFAULT_BROKER_CONFIG', 1],
    ]);
  });

  it('refuses read-only properties and per-broker properties at the cluster level', () => {
    const c = load();
    assert.throws(
      () => c.applyDynamic({ 'num.partitions': '3', 'broker.id': '2' }, {}),
      (err: unknown) => err instanceof ConfigException && err.message === 'Cannot update these configs dynamically: Set(num.partitions, broker.id)',
    );
    assert.throws(
      () => c.applyDynamic({}, { listeners: 'PLAINTEXT://:9093' }),
      (err: unknown) => err instanceof ConfigException && /Cannot update these configs at default cluster level, broker id must be specified: Set\(listeners\)/.test(err.message),
    );
    // A per-broker listener change is allowed.
    c.applyDynamic({ listeners: 'PLAINTEXT://:9093' }, {});
    assert.equal(c.listeners[0].port, 9093);
  });

  it('validates dynamic values with the same table and rules, and changes nothing on error', () => {
    const c = load({ 'min.insync.replicas': '2' });
    assert.throws(() => c.applyDynamic({ 'min.insync.replicas': '0' }, {}), /Invalid value 0 for configuration min.insync.replicas: Value must be at least 1/);
    assert.throws(() => c.applyDynamic({ 'advertised.listeners': 'PLAINTEXT://0.0.0.0:9092' }, {}), /nonroutable/);
    assert.equal(c.minInsyncReplicas, 2);
    assert.deepEqual(c.dynamicBrokerConfigs(), {});
    assert.throws(() => c.validateDynamic({ 'log.cleanup.policy': 'archive' }, { perBroker: false }), /String must be one of: compact, delete/);
    c.validateDynamic({ 'log.cleanup.policy': 'compact' }, { perBroker: false });
  });

  it('keeps unknown dynamic names without applying them', () => {
    const c = load();
    c.applyDynamic({ 'custom.metric.reporter.setting': 'x' }, {});
    assert.deepEqual(c.dynamicBrokerConfigs(), { 'custom.metric.reporter.setting': 'x' });
    assert.equal(entry(c, 'custom.metric.reporter.setting').source, 'DYNAMIC_BROKER_CONFIG');
  });
});
