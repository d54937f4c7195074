/**
 * Dynamic configuration on a real three-broker cluster with a real ZooKeeper: kafka-configs.sh's
 * (in-process) alter and describe, kafkajs admin alterConfigs (AlterConfigs), IncrementalAlterConfigs from
 * the project's client, DescribeCluster. Changes take effect on every broker without a restart: the logs
 * of each broker roll at the new segment size and delete expired segments, a cluster-default
 * min.insync.replicas refuses acks=all writes on every leader, and DescribeConfigs on each broker reports
 * the dynamic sources, also right after a restart.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Admin as KafkajsAdmin } from 'kafkajs';
import { KafkaClient } from '../../src/client/kafka-client';
import { ApiKeys, ErrorCode } from '../../src/protocol';
import { kafkaConfigsMain } from '../../src/tools/kafka-configs';
import { startCluster, type Cluster } from '../harness/cluster';
import { kafkajs } from './clients';
import { eventually } from '../harness/eventually';

const TOPIC = 2;
const BROKER = 4;

async function configs(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await kafkaConfigsMain(args, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}


describe('dynamic configs', { timeout: 300_000 }, () => {
  let cluster: Cluster;
  let admin: KafkajsAdmin;
  let client: KafkaClient;
  /** partition → the broker hosting it (RF 1: each broker hosts one of the three partitions). */
  const hosts = new Map<number, number>();

  /** DescribeConfigs sent to one broker for one resource; the entries by name. */
  async function describeOn(brokerId: number, resourceType: number, resourceName: string) {
    const conn = await client.connectionTo(brokerId);
    const response = await conn.request(ApiKeys.DescribeConfigs, 4, {
      resources: [{ resourceType, resourceName, configurationKeys: null }],
      includeSynonyms: true,
      includeDocumentation: false,
    });
    const result = response.results[0]!;
    assert.equal(result.errorCode, ErrorCode.NONE, result.errorMessage ?? '');
    return new Map(result.configs.map((c) => [c.name, c]));
  }

  /** The .log files of a partition on the broker hosting it. */
  function segmentFiles(topic: string, partition: number): string[] {
    const broker = cluster.brokers[hosts.get(partition)!]!;
    const dir = path.join(broker.logDir, `${topic}-${partition}`);
    return fs.readdirSync(dir).filter((f) => f.endsWith('.log')).sort();
  }

  async function produce(topic: string, options: { partitions: number[]; count: number; timestamp?: number; acks?: number; size?: number }) {
    const producer = kafkajs(cluster.bootstrap).producer({ allowAutoTopicCreation: false, retry: { retries: 0 } });
    await producer.connect();
    try {
      for (const partition of options.partitions) {
        await producer.send({
          topic,
          acks: options.acks ?? -1,
          messages: Array.from({ length: options.count }, (_, i) => ({
            partition,
            value: `${i}:${'x'.repeat(options.size ?? 200)}`,
            timestamp: options.timestamp === undefined ? undefined : String(options.timestamp),
          })),
        });
      }
    } finally {
      await producer.disconnect();
    }
  }

  before(async () => {
    cluster = await startCluster({ brokers: 3, props: { 'log.retention.check.interval.ms': '1000' } });
    admin = kafkajs(cluster.bootstrap).admin();
    await admin.connect();
    client = new KafkaClient({ bootstrapServers: cluster.bootstrap, clientId: 'dynamic-config-test' });
    await admin.createTopics({ topics: [{ topic: 'orders', numPartitions: 3, replicationFactor: 1 }], waitForLeaders: true });
    const meta = await admin.fetchTopicMetadata({ topics: ['orders'] });
    for (const p of meta.topics[0]!.partitions) hosts.set(p.partitionId, p.replicas[0]!);
    assert.deepEqual([...hosts.values()].sort(), [0, 1, 2], 'one partition on each broker');
  });

  after(async () => {
    await admin?.disconnect();
    await client?.close();
    await cluster?.stop();
  });

  test('kafka-configs --alter on a topic takes effect on every broker without a restart', async () => {
    const twoHoursAgo = Date.now() - 2 * 3600_000;
    await produce('orders', { partitions: [0, 1, 2], count: 5, timestamp: twoHoursAgo });
    for (const p of [0, 1, 2]) assert.deepEqual(segmentFiles('orders', p), ['00000000000000000000.log']);

    const altered = await configs('--bootstrap-server', cluster.bootstrap, '--alter', '--entity-type', 'topics', '--entity-name', 'orders',
      '--add-config', 'segment.bytes=1024,retention.ms=3600000');
    assert.deepEqual(altered, { code: 0, out: 'Completed updating config for topic orders.\n', err: '' });

    const described = await configs('--bootstrap-server', cluster.bootstrap, '--describe', '--topic', 'orders');
    assert.equal(described.code, 0, described.err);
    assert.equal(
      described.out,
      'Dynamic configs for topic orders are:\n' +
        '  retention.ms=3600000 sensitive=false synonyms={DYNAMIC_TOPIC_CONFIG:retention.ms=3600000}\n' +
        '  segment.bytes=1024 sensitive=false synonyms={DYNAMIC_TOPIC_CONFIG:segment.bytes=1024, DEFAULT_CONFIG:log.segment.bytes=1073741824}\n',
    );
    for (const b of [0, 1, 2]) {
      const entries = await describeOn(b, TOPIC, 'orders');
      assert.equal(entries.get('segment.bytes')!.value, '1024', `broker ${b}`);
      assert.equal(entries.get('segment.bytes')!.configSource, 1);
    }

    // Each broker's log now rolls at 1 KiB: the change reached the log on every broker.
    await eventually(
      async () => {
        await produce('orders', { partitions: [0, 1, 2], count: 10, size: 40, timestamp: twoHoursAgo });
        return [0, 1, 2].map((p) => segmentFiles('orders', p).length);
      },
      (counts) => counts.every((n) => n >= 3), { what: 'new segments on every broker', timeoutMs: 30_000 });

    // The records are two hours old, retention is one hour: every broker deletes them (the retention task
    // starts 30 s after the broker).
    await eventually(
      async () => (await admin.fetchTopicOffsets('orders')).map((o) => ({ p: o.partition, low: Number(o.low), high: Number(o.high) })),
      (offsets) => offsets.every((o) => o.low > 0 && o.low === o.high), { what: 'retention on every broker', timeoutMs: 90_000 });
    for (const p of [0, 1, 2]) assert.ok(!segmentFiles('orders', p).includes('00000000000000000000.log'), `partition ${p}: ${segmentFiles('orders', p)}`);

    const deleted = await configs('--bootstrap-server', cluster.bootstrap, '--alter', '--topic', 'orders', '--delete-config', 'retention.ms');
    assert.equal(deleted.code, 0, deleted.err);
    const missing = await configs('--bootstrap-server', cluster.bootstrap, '--alter', '--topic', 'orders', '--delete-config', 'retention.ms');
    assert.deepEqual(missing, { code: 1, out: '', err: 'Invalid config(s): retention.ms\n' });
    const unknown = await configs('--bootstrap-server', cluster.bootstrap, '--alter', '--topic', 'orders', '--add-config', 'retention.mss=1');
    assert.equal(unknown.code, 1);
    assert.equal(
      unknown.err,
      `Error while executing config command with args '--bootstrap-server ${cluster.bootstrap} --alter --topic orders --add-config retention.mss=1'\n` +
        'java.util.concurrent.ExecutionException: org.apache.kafka.common.errors.InvalidConfigurationException: Unknown topic config name: retention.mss\n' +
        'Caused by: org.apache.kafka.common.errors.InvalidConfigurationException: Unknown topic config name: retention.mss\n',
    );
  });

  test('a cluster-default broker config reaches every broker: DescribeConfigs sources and acks=all writes', async () => {
    const altered = await configs('--bootstrap-server', cluster.bootstrap, '--alter', '--entity-type', 'brokers', '--entity-default',
      '--add-config', 'min.insync.replicas=2');
    assert.deepEqual(altered, { code: 0, out: 'Completed updating default config for brokers in the cluster.\n', err: '' });
    for (const b of [0, 1, 2]) {
      const entry = await eventually(
        async () => (await describeOn(b, BROKER, String(b))).get('min.insync.replicas')!,
        (e) => e.value === '2', { what: `min.insync.replicas on broker ${b}`, timeoutMs: 30_000 });
      assert.equal(entry.configSource, 3, 'DYNAMIC_DEFAULT_BROKER_CONFIG');
      assert.deepEqual(entry.synonyms.map((s) => [s.name, s.value, s.source]), [['min.insync.replicas', '2', 3], ['min.insync.replicas', '1', 5]]);
    }
    const described = await configs('--bootstrap-server', cluster.bootstrap, '--describe', '--broker-defaults');
    assert.equal(
      described.out,
      'Default configs for brokers in the cluster are:\n  min.insync.replicas=2 sensitive=false synonyms={DYNAMIC_DEFAULT_BROKER_CONFIG:min.insync.replicas=2}\n',
    );
    // One replica is fewer than two: every leader refuses acks=all, and still takes acks=1.
    for (const p of [0, 1, 2]) {
      await assert.rejects(produce('orders', { partitions: [p], count: 1 }), (e: Error) => /NOT_ENOUGH_REPLICAS|not enough replicas|fewer in-sync replicas/i.test(`${e.message} ${String((e as { cause?: Error }).cause?.message)}`));
    }
    await produce('orders', { partitions: [0, 1, 2], count: 1, acks: 1 });

    const removed = await configs('--bootstrap-server', cluster.bootstrap, '--alter', '--broker-defaults', '--delete-config', 'min.insync.replicas');
    assert.equal(removed.code, 0, removed.err);
    await eventually(
      async () => produce('orders', { partitions: [0, 1, 2], count: 1 }).then(() => true, () => false),
      (ok) => ok, { what: 'acks=all writes accepted again', timeoutMs: 30_000 });
  });

  test('a per-broker config applies to that broker only, and is loaded again after a restart', async () => {
    const altered = await configs('--bootstrap-server', cluster.bootstrap, '--alter', '--entity-type', 'brokers', '--entity-name', '2',
      '--add-config', 'log.retention.ms=7200000');
    assert.deepEqual(altered, { code: 0, out: 'Completed updating config for broker 2.\n', err: '' });
    await eventually(async () => (await describeOn(2, BROKER, '2')).get('log.retention.ms')!.value, (v) => v === '7200000', { what: 'broker 2', timeoutMs: 30_000 });
    assert.equal((await describeOn(1, BROKER, '1')).get('log.retention.ms')!.value, null, 'broker 1 keeps its own');

    const described = await configs('--bootstrap-server', cluster.bootstrap, '--describe', '--entity-type', 'brokers');
    assert.equal(described.code, 0, described.err);
    assert.equal(
      described.out,
      'Dynamic configs for broker 0 are:\nDynamic configs for broker 1 are:\nDynamic configs for broker 2 are:\n' +
        '  log.retention.ms=7200000 sensitive=false synonyms={DYNAMIC_BROKER_CONFIG:log.retention.ms=7200000, DEFAULT_CONFIG:log.retention.hours=168}\n' +
        'Default configs for brokers in the cluster are:\n',
    );

    const all = await configs('--bootstrap-server', cluster.bootstrap, '--describe', '--all', '--broker', '2');
    assert.equal(all.code, 0, all.err);
    const lines = all.out.split('\n');
    assert.equal(lines[0], 'All configs for broker 2 are:');
    assert.ok(lines.includes('  num.partitions=1 sensitive=false synonyms={STATIC_BROKER_CONFIG:num.partitions=1, DEFAULT_CONFIG:num.partitions=1}'), all.out);
    assert.ok(lines.includes('  log.retention.ms=7200000 sensitive=false synonyms={DYNAMIC_BROKER_CONFIG:log.retention.ms=7200000, DEFAULT_CONFIG:log.retention.hours=168}'));

    // Broker 2's own resource can only be changed through broker 2.
    const conn = await client.connectionTo(1);
    const wrongBroker = await conn.request(ApiKeys.AlterConfigs, 2, {
      resources: [{ resourceType: BROKER, resourceName: '2', configs: [{ name: 'log.retention.ms', value: '1' }] }],
      validateOnly: false,
    });
    assert.deepEqual(
      wrongBroker.responses.map((r) => [r.errorCode, r.errorMessage]),
      [[ErrorCode.INVALID_REQUEST, 'Unexpected broker id, expected 1, but received 2']],
    );

    await cluster.brokers[2]!.stop();
    await cluster.brokers[2]!.start();
    const entry = (await describeOn(2, BROKER, '2')).get('log.retention.ms')!;
    assert.deepEqual([entry.value, entry.configSource], ['7200000', 2], 'loaded at startup');
  });

  test('kafkajs admin alterConfigs (AlterConfigs) for topics and brokers', async () => {
    await admin.createTopics({ topics: [{ topic: 'payments', numPartitions: 3, replicationFactor: 1 }], waitForLeaders: true });
    const result = await admin.alterConfigs({
      validateOnly: false,
      resources: [
        { type: TOPIC, name: 'payments', configEntries: [{ name: 'max.message.bytes', value: '1000' }, { name: 'retention.ms', value: '86400000' }] },
        { type: BROKER, name: '1', configEntries: [{ name: 'log.cleaner.backoff.ms', value: '20000' }] },
      ],
    });
    assert.deepEqual(
      result.resources.map((r: { resourceType: number; resourceName: string; errorCode: number }) => [r.resourceType, r.resourceName, r.errorCode]).sort(),
      [[TOPIC, 'payments', 0], [BROKER, '1', 0]].sort(),
    );
    const read = await admin.describeConfigs({ resources: [{ type: TOPIC, name: 'payments', configNames: ['max.message.bytes', 'retention.ms'] }], includeSynonyms: false });
    const entries = new Map(read.resources[0]!.configEntries.map((e) => [e.configName, e.configValue]));
    assert.deepEqual([entries.get('max.message.bytes'), entries.get('retention.ms')], ['1000', '86400000']);
    await eventually(async () => (await describeOn(1, BROKER, '1')).get('log.cleaner.backoff.ms')!.value, (v) => v === '20000', { what: 'broker 1 config', timeoutMs: 30_000 });

    // Every leader of the topic now refuses batches over 1000 bytes.
    await eventually(
      async () => Promise.all([0, 1, 2].map((p) => produce('payments', { partitions: [p], count: 1, size: 3000 }).then(() => 'accepted', (e: Error) => e.message))),
      (outcomes) => outcomes.every((o) => /too large|MESSAGE_TOO_LARGE|larger than/i.test(o)), { what: 'max.message.bytes on every leader', timeoutMs: 30_000 });
    await produce('payments', { partitions: [0, 1, 2], count: 1, size: 10 });

    // kafkajs reports the error code with its own text (the broker's message is checked in the unit tests).
    await assert.rejects(
      admin.alterConfigs({ validateOnly: false, resources: [{ type: TOPIC, name: 'payments', configEntries: [{ name: 'retention.ms', value: 'never' }] }] }),
      (e: { type?: string }) => e.type === 'INVALID_REQUEST',
    );
  });

  test('IncrementalAlterConfigs from the project client: APPEND, SUBTRACT, DELETE and validateOnly', async () => {
    const conn = await client.anyConnection();
    const send = (configs: { name: string; configOperation: number; value: string | null }[], validateOnly = false) =>
      conn.request(ApiKeys.IncrementalAlterConfigs, 1, { resources: [{ resourceType: TOPIC, resourceName: 'payments', configs }], validateOnly });
    const cleanup = async () => (await describeOn(0, TOPIC, 'payments')).get('cleanup.policy')!.value;

    let response = await send([{ name: 'cleanup.policy', configOperation: 3, value: 'compact' }]);
    assert.deepEqual(response.responses.map((r) => [r.resourceName, r.errorCode, r.errorMessage]), [['payments', 0, null]]);
    assert.equal(await cleanup(), 'delete');
    response = await send([{ name: 'cleanup.policy', configOperation: 2, value: 'compact' }, { name: 'max.message.bytes', configOperation: 1, value: null }]);
    assert.equal(response.responses[0]!.errorCode, 0);
    assert.equal(await cleanup(), 'delete,compact');
    assert.equal((await describeOn(0, TOPIC, 'payments')).get('max.message.bytes')!.configSource, 5, 'back to the default');
    response = await send([{ name: 'cleanup.policy', configOperation: 0, value: 'compact' }], true);
    assert.equal(response.responses[0]!.errorCode, 0);
    assert.equal(await cleanup(), 'delete,compact', 'validateOnly changes nothing');
    response = await send([{ name: 'segment.bytes', configOperation: 2, value: '1' }]);
    assert.deepEqual(
      response.responses.map((r: { errorCode: number; errorMessage: string | null }) => [r.errorCode, r.errorMessage]),
      [[ErrorCode.INVALID_REQUEST, 'Config value append is not allowed for config key: segment.bytes']],
    );
  });

  test('DescribeCluster v0 and v1: brokers, controller, cluster id, endpoint type', async () => {
    // kafkajs learns the controller and cluster id from Metadata: DescribeCluster must agree.
    const { controller, clusterId } = await admin.describeCluster();
    const conn = await client.connectionTo(0);
    for (const version of [0, 1]) {
      const r = await conn.request(ApiKeys.DescribeCluster, version, { includeClusterAuthorizedOperations: version === 1, endpointType: 1 });
      assert.equal(r.errorCode, ErrorCode.NONE);
      assert.equal(r.clusterId, clusterId);
      assert.equal(r.controllerId, controller);
      assert.deepEqual(
        [...r.brokers].sort((a, b) => a.brokerId - b.brokerId).map((b) => [b.brokerId, b.host, b.port, b.rack]),
        cluster.brokers.map((b) => [b.id, '127.0.0.1', b.port, null]),
      );
      assert.equal(r.clusterAuthorizedOperations, version === 1 ? 8096 : -2147483648);
      if (version === 1) assert.equal(r.endpointType, 1);
    }
    const mismatched = await conn.request(ApiKeys.DescribeCluster, 1, { includeClusterAuthorizedOperations: false, endpointType: 2 });
    assert.deepEqual(
      [mismatched.errorCode, mismatched.errorMessage],
      [ErrorCode.MISMATCHED_ENDPOINT_TYPE, 'The request was sent to an endpoint of type BROKER, but we wanted an endpoint of type CONTROLLER'],
    );
    const unknown = await conn.request(ApiKeys.DescribeCluster, 1, { includeClusterAuthorizedOperations: false, endpointType: 7 });
    assert.deepEqual([unknown.errorCode, unknown.errorMessage], [ErrorCode.UNSUPPORTED_ENDPOINT_TYPE, 'Unsupported endpoint type 7']);
  });
});
