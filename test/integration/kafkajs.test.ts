/**
 * kafkajs against a real broker and ZooKeeper: admin create/describe/delete topics, metadata, describe
 * configs, and a producer with keys, headers and every compression codec; what it wrote is read back with
 * kcat, an independent client.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CompressionTypes, type Admin } from 'kafkajs';
import { startCluster, type Cluster } from '../harness/cluster';
import { kafkajs, kcat, registerKafkajsCodecs } from './clients';

describe('kafkajs', { timeout: 120_000 }, () => {
  let cluster: Cluster;
  let admin: Admin;

  before(async () => {
    cluster = await startCluster({ brokers: 1 });
    admin = kafkajs(cluster.bootstrap).admin();
    await admin.connect();
  });

  after(async () => {
    await admin?.disconnect();
    await cluster?.stop();
  });

  test('admin creates topics, reads their metadata and configs, and deletes them', async () => {
    const created = await admin.createTopics({
      topics: [
        { topic: 'orders', numPartitions: 3, replicationFactor: 1, configEntries: [{ name: 'retention.ms', value: '3600000' }] },
        { topic: 'payments', numPartitions: 1 },
      ],
      waitForLeaders: true,
    });
    assert.equal(created, true);
    assert.equal(await admin.createTopics({ topics: [{ topic: 'orders' }] }), false, 'second create reports existing topic');

    const list = await admin.listTopics();
    assert.ok(list.includes('orders') && list.includes('payments'));

    const meta = await admin.fetchTopicMetadata({ topics: ['orders'] });
    const orders = meta.topics[0]!;
    assert.equal(orders.name, 'orders');
    assert.deepEqual(orders.partitions.map((p) => p.partitionId).sort(), [0, 1, 2]);
    for (const p of orders.partitions) {
      assert.equal(p.leader, 0);
      assert.deepEqual(p.replicas, [0]);
      assert.deepEqual(p.isr, [0]);
    }

    const configs = await admin.describeConfigs({
      resources: [{ type: 2, name: 'orders', configNames: ['retention.ms', 'cleanup.policy'] }],
      includeSynonyms: false,
    });
    const entries = configs.resources[0]!.configEntries;
    assert.equal(entries.find((e) => e.configName === 'retention.ms')?.configValue, '3600000');
    assert.equal(entries.find((e) => e.configName === 'cleanup.policy')?.configValue, 'delete');

    const brokerConfigs = await admin.describeConfigs({
      resources: [{ type: 4, name: '0', configNames: ['num.partitions'] }],
      includeSynonyms: false,
    });
    assert.equal(brokerConfigs.resources[0]!.configEntries[0]!.configValue, '1');

    await admin.deleteTopics({ topics: ['payments'], timeout: 15_000 });
    const after = await admin.listTopics();
    assert.ok(!after.includes('payments'), `payments still listed: ${after.join(',')}`);
    assert.ok(after.includes('orders'));
  });

  test('producer with keys, headers and every codec; kcat reads back exactly what was sent', async () => {
    registerKafkajsCodecs();
    await admin.createTopics({ topics: [{ topic: 'codecs', numPartitions: 1 }], waitForLeaders: true });
    const producer = kafkajs(cluster.bootstrap).producer({ allowAutoTopicCreation: false });
    await producer.connect();
    const codecs = [
      ['none', CompressionTypes.None],
      ['gzip', CompressionTypes.GZIP],
      ['snappy', CompressionTypes.Snappy],
      ['lz4', CompressionTypes.LZ4],
      ['zstd', CompressionTypes.ZSTD],
    ] as const;
    const expected: string[] = [];
    for (const [name, compression] of codecs) {
      const messages = Array.from({ length: 20 }, (_, i) => ({
        key: `${name}-key-${i}`,
        value: `${name}-value-${i}-${'x'.repeat(i * 10)}`,
        headers: { codec: name, index: String(i) },
      }));
      const res = await producer.send({ topic: 'codecs', acks: -1, compression, messages });
      assert.equal(res[0]!.errorCode, 0);
      for (const m of messages) expected.push(`${m.key}|${m.value}|codec=${name},index=${m.headers.index}`);
    }
    await producer.disconnect();

    const out = await kcat(['-b', cluster.bootstrap, '-C', '-t', 'codecs', '-p', '0', '-o', 'beginning', '-e', '-q', '-f', '%k|%s|%h\n']);
    assert.equal(out.code, 0, out.stderr);
    assert.deepEqual(out.stdout.trim().split('\n'), expected);
  });

  test('a producer writing to an unknown topic gets it auto-created', async () => {
    const producer = kafkajs(cluster.bootstrap).producer({ allowAutoTopicCreation: true });
    await producer.connect();
    await producer.send({ topic: 'auto-created', messages: [{ value: 'hello' }] });
    await producer.disconnect();
    const meta = await admin.fetchTopicMetadata({ topics: ['auto-created'] });
    assert.equal(meta.topics[0]!.partitions.length, 1, 'num.partitions=1');
    const out = await kcat(['-b', cluster.bootstrap, '-C', '-t', 'auto-created', '-o', 'beginning', '-e', '-q']);
    assert.equal(out.stdout.trim(), 'hello');
  });
});
