// Topic configs: validation, LogConfig from broker defaults + overrides, DescribeConfigs for topics.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadBrokerConfig, type KafkaConfig } from '../../src/config/broker-config';
import { ConfigException } from '../../src/config/config-exception';
import { ConfigTypeId } from '../../src/config/config-types';
import {
  buildLogConfig, describeTopicConfigs, internalTopicConfigs, parseTopicConfigs, validateTopicConfigs,
} from '../../src/config/log-config-builder';
import { TOPIC_CONFIG_DEFS } from '../../src/config/topic-config-defs';
import { defaultLogConfig, UNBOUNDED } from '../../src/log/log-config';

function broker(props: Record<string, string> = {}): KafkaConfig {
  return loadBrokerConfig({ properties: { 'zookeeper.connect': 'localhost:2181', ...props } });
}

function rejects(overrides: Record<string, string>, configName: string, message: string | RegExp, b?: KafkaConfig): void {
  assert.throws(
    () => validateTopicConfigs(overrides, { broker: b }),
    (err: unknown) => {
      assert.ok(err instanceof ConfigException);
      assert.equal(err.code, 40);
      assert.equal(err.configName, configName);
      if (typeof message === 'string') assert.equal(err.message, message);
      else assert.match(err.message, message);
      return true;
    },
  );
}

describe('buildLogConfig', () => {
  it('with Kafka defaults equals the log module\'s defaults', () => {
    assert.deepEqual(buildLogConfig(broker(), {}), defaultLogConfig());
  });

  it('takes broker-level defaults from the broker properties', () => {
    const lc = buildLogConfig(
      broker({
        'log.retention.hours': '24',
        'log.segment.bytes': '1048576',
        'log.roll.hours': '1',
        'log.roll.jitter.ms': '100',
        'log.cleanup.policy': 'compact',
        'log.flush.scheduler.interval.ms': '2000',
        'message.max.bytes': '2000000',
        'min.insync.replicas': '2',
        'log.message.timestamp.type': 'LogAppendTime',
        'compression.type': 'lz4',
        'log.index.size.max.bytes': '4096',
        'log.cleaner.min.cleanable.ratio': '0.25',
        'unclean.leader.election.enable': 'true',
        'log.preallocate': 'true',
        'log.message.timestamp.difference.max.ms': '60000',
      }),
      {},
    );
    assert.equal(lc.retentionMs, 24 * 3600_000);
    assert.equal(lc.segmentBytes, 1048576);
    assert.equal(lc.segmentMs, 3600_000);
    assert.equal(lc.segmentJitterMs, 100);
    assert.deepEqual(lc.cleanupPolicy, ['compact']);
    assert.equal(lc.flushMs, 2000);
    assert.equal(lc.flushMessages, UNBOUNDED);
    assert.equal(lc.maxMessageBytes, 2000000);
    assert.equal(lc.minInSyncReplicas, 2);
    assert.equal(lc.messageTimestampType, 'LogAppendTime');
    assert.equal(lc.compressionType, 'lz4');
    assert.equal(lc.segmentIndexBytes, 4096);
    assert.equal(lc.minCleanableDirtyRatio, 0.25);
    assert.equal(lc.uncleanLeaderElectionEnable, true);
    assert.equal(lc.preallocate, true);
    assert.equal(lc.messageTimestampBeforeMaxMs, 60000);
    assert.equal(lc.messageTimestampAfterMaxMs, 60000);
  });

  it('topic overrides win over broker defaults', () => {
    const lc = buildLogConfig(broker({ 'log.retention.hours': '24', 'log.segment.bytes': '1048576' }), {
      'retention.ms': '-1',
      'segment.bytes': '2048',
      'cleanup.policy': 'compact,delete',
      'max.compaction.lag.ms': '100000',
      'min.compaction.lag.ms': '100',
      'message.timestamp.before.max.ms': '10',
      'flush.messages': '1',
    });
    assert.equal(lc.retentionMs, -1);
    assert.equal(lc.segmentBytes, 2048);
    assert.deepEqual(lc.cleanupPolicy, ['compact', 'delete']);
    assert.equal(lc.maxCompactionLagMs, 100000);
    assert.equal(lc.minCompactionLagMs, 100);
    assert.equal(lc.messageTimestampBeforeMaxMs, 10);
    assert.equal(lc.messageTimestampAfterMaxMs, UNBOUNDED);
    assert.equal(lc.flushMessages, 1);
  });

  it('follows dynamic broker changes', () => {
    const b = broker();
    b.applyDynamic({}, { 'log.retention.ms': '5000' });
    assert.equal(buildLogConfig(b, {}).retentionMs, 5000);
  });

  it('throws on an invalid override', () => {
    assert.throws(() => buildLogConfig(broker(), { 'segment.bytes': 'big' }), /Invalid value big for configuration segment.bytes: Not a number of type INT/);
  });
});

describe('validateTopicConfigs', () => {
  it('accepts every topic config at its default', () => {
    const all = Object.fromEntries(TOPIC_CONFIG_DEFS.map((d) => [d.name, d.default ?? '']));
    validateTopicConfigs(all);
    validateTopicConfigs(all, { broker: broker() });
  });

  it('rejects unknown names, bad types, ranges and enums, naming the property', () => {
    rejects({ foo: '1' }, 'foo', 'Unknown topic config name: foo');
    rejects({ 'retention.ms': 'forever' }, 'retention.ms', 'Invalid value forever for configuration retention.ms: Not a number of type LONG');
    rejects({ 'retention.ms': '-2' }, 'retention.ms', 'Invalid value -2 for configuration retention.ms: Value must be at least -1');
    rejects({ 'segment.bytes': '10' }, 'segment.bytes', 'Invalid value 10 for configuration segment.bytes: Value must be at least 14');
    rejects({ 'min.cleanable.dirty.ratio': '2' }, 'min.cleanable.dirty.ratio', 'Invalid value 2.0 for configuration min.cleanable.dirty.ratio: Value must be no more than 1');
    rejects({ 'cleanup.policy': 'compact,archive' }, 'cleanup.policy', 'Invalid value archive for configuration cleanup.policy: String must be one of: compact, delete');
    rejects({ 'message.timestamp.type': 'Now' }, 'message.timestamp.type', /String must be one of: CreateTime, LogAppendTime/);
    rejects({ 'compression.type': 'brotli' }, 'compression.type', /String must be one of: uncompressed, zstd, lz4, snappy, gzip, producer/);
    rejects({ preallocate: 'maybe' }, 'preallocate', /Expected value to be either true or false/);
    rejects({ 'compression.zstd.level': '23' }, 'compression.zstd.level', /Value must be no more than 22/);
  });

  it('checks throttled replica lists', () => {
    validateTopicConfigs({ 'leader.replication.throttled.replicas': '0:1,1:2', 'follower.replication.throttled.replicas': '*' });
    rejects(
      { 'leader.replication.throttled.replicas': '0-1' },
      'leader.replication.throttled.replicas',
      "Invalid value [0-1] for configuration leader.replication.throttled.replicas: leader.replication.throttled.replicas must be the literal '*' or a list of replicas in the following format: [partitionId]:[brokerId],[partitionId]:[brokerId],...",
    );
  });

  it('cross-checks compaction lags and tiered storage', () => {
    rejects({ 'min.compaction.lag.ms': '10', 'max.compaction.lag.ms': '5' }, 'min.compaction.lag.ms', 'conflict topic config setting min.compaction.lag.ms (10) > max.compaction.lag.ms (5)');
    rejects({ 'remote.storage.enable': 'true' }, 'remote.storage.enable', /Tiered Storage functionality is disabled in the broker/, broker());
  });

  it('parseTopicConfigs returns typed values', () => {
    const v = parseTopicConfigs({ 'retention.ms': '1000' });
    assert.equal(v.get('retention.ms'), 1000);
    assert.equal(v.get('segment.bytes'), 1073741824);
  });
});

describe('describeTopicConfigs', () => {
  it('lists every topic config, sorted, not read-only', () => {
    const entries = describeTopicConfigs(broker(), {});
    assert.deepEqual(entries.map((e) => e.name), TOPIC_CONFIG_DEFS.map((d) => d.name).sort());
    assert.ok(entries.every((e) => !e.readOnly && !e.sensitive && e.documentation !== null));
  });

  it('an override: TOPIC_CONFIG first, then the broker synonym layers', () => {
    const b = broker({ 'log.segment.bytes': '1048576' });
    const [e] = describeTopicConfigs(b, { 'segment.bytes': '2048' }, { names: ['segment.bytes'] });
    assert.deepEqual(e, {
      name: 'segment.bytes',
      value: '2048',
      source: 'TOPIC_CONFIG',
      readOnly: false,
      sensitive: false,
      type: ConfigTypeId.INT,
      synonyms: [
        { name: 'segment.bytes', value: '2048', source: 'TOPIC_CONFIG' },
        { name: 'log.segment.bytes', value: '1048576', source: 'STATIC_BROKER_CONFIG' },
        { name: 'log.segment.bytes', value: '1073741824', source: 'DEFAULT_CONFIG' },
      ],
      documentation: e.documentation,
    });
  });

  it('no override: the broker value and its source', () => {
    const b = broker({ 'log.retention.ms': '3600000' });
    b.applyDynamic({}, { 'log.segment.bytes': '5000000' });
    const byName = new Map(describeTopicConfigs(b, {}).map((e) => [e.name, e]));
    assert.equal(byName.get('retention.ms')!.value, '3600000');
    assert.equal(byName.get('retention.ms')!.source, 'STATIC_BROKER_CONFIG');
    assert.equal(byName.get('segment.bytes')!.value, '5000000');
    assert.equal(byName.get('segment.bytes')!.source, 'DYNAMIC_DEFAULT_BROKER_CONFIG');
    assert.equal(byName.get('cleanup.policy')!.source, 'DEFAULT_CONFIG');
    assert.deepEqual(byName.get('cleanup.policy')!.synonyms, [{ name: 'log.cleanup.policy', value: 'delete', source: 'DEFAULT_CONFIG' }]);
    assert.equal(byName.get('flush.ms')!.value, '9223372036854775807');
    assert.equal(byName.get('min.cleanable.dirty.ratio')!.value, '0.5');
    assert.equal(byName.get('leader.replication.throttled.replicas')!.value, '');
    assert.deepEqual(byName.get('leader.replication.throttled.replicas')!.synonyms, []);
  });

  it('retention.ms derived from log.retention.hours is reported as Kafka does (DEFAULT_CONFIG, no synonyms)', () => {
    const [e] = describeTopicConfigs(broker({ 'log.retention.hours': '24' }), {}, { names: ['retention.ms'] });
    assert.equal(e.value, String(24 * 3600_000));
    assert.equal(e.source, 'DEFAULT_CONFIG');
    assert.deepEqual(e.synonyms, []);
  });
});

describe('internalTopicConfigs', () => {
  it('gives Kafka\'s creation overrides of the internal topics', () => {
    const b = broker({ 'offsets.topic.segment.bytes': '1048576', 'transaction.state.log.min.isr': '1' });
    assert.deepEqual(internalTopicConfigs(b, '__consumer_offsets'), {
      'cleanup.policy': 'compact',
      'segment.bytes': '1048576',
      'compression.type': 'producer',
    });
    assert.deepEqual(internalTopicConfigs(b, '__transaction_state'), {
      'cleanup.policy': 'compact',
      'segment.bytes': '104857600',
      'min.insync.replicas': '1',
      'unclean.leader.election.enable': 'false',
      'compression.type': 'uncompressed',
    });
    assert.equal(internalTopicConfigs(b, 'orders'), null);
    validateTopicConfigs(internalTopicConfigs(b, '__transaction_state')!, { broker: b });
  });
});
