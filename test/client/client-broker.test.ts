// The client against a real ts-kafka broker (and ZooKeeper) from the test harness: admin create /
// describe / configs / delete, many records through the batching producer with every compression codec,
// read back in order by the SimpleConsumer, ListOffsets earliest/latest/by time, and librdkafka (kcat)
// reading what our producer wrote (the batches are what a real client accepts).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { startCluster, type Cluster } from '../harness/cluster';
import { Admin, ConfigResourceType } from '../../src/client/admin';
import { KafkaClient } from '../../src/client/kafka-client';
import { Producer } from '../../src/client/producer';
import { OffsetSpec, SimpleConsumer, topicPartitionKey } from '../../src/client/simple-consumer';
import { partitionForKey } from '../../src/client/partitioner';
import { ErrorCode } from '../../src/protocol';

let cluster: Cluster;
let client: KafkaClient;
let admin: Admin;

before(async () => {
  cluster = await startCluster({ brokers: 1 });
  client = new KafkaClient({ bootstrapServers: cluster.bootstrap, clientId: 'client-broker-test' });
  admin = new Admin(client, { defaultApiTimeoutMs: 30_000 });
});

after(async () => {
  await client?.close();
  await cluster?.stop();
});

test('admin: create, describe, configs, duplicate and delete', async () => {
  const [created] = await admin.createTopics([{ name: 'admin-t', numPartitions: 3, replicationFactor: 1, configs: { 'retention.ms': '123456' } }]);
  assert.equal(created!.error, null);
  assert.equal(created!.numPartitions, 3);
  const [desc] = await admin.describeTopics(['admin-t']);
  assert.equal(desc!.partitions.length, 3);
  assert.ok(desc!.partitions.every((p) => p.leader === 0 && p.isr.length === 1));
  const [configs] = await admin.describeConfigs([{ type: ConfigResourceType.TOPIC, name: 'admin-t' }]);
  const retention = configs!.entries.find((e) => e.name === 'retention.ms')!;
  assert.equal(retention.value, '123456');
  assert.equal(retention.isDefault, false);
  const [dup] = await admin.createTopics([{ name: 'admin-t', numPartitions: 1 }]);
  assert.equal(dup!.error?.code, ErrorCode.TOPIC_ALREADY_EXISTS);
  const cluster = await admin.describeCluster();
  assert.deepEqual(cluster.brokers.map((b) => b.nodeId), [0]);
  assert.equal(cluster.controllerId, 0);
  const [deleted] = await admin.deleteTopics(['admin-t']);
  assert.equal(deleted!.error, null);
  await assert.rejects(admin.describeTopics(['admin-t']), (err: { code?: number }) => err.code === ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
});

for (const compression of ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const) {
  test(`producer (${compression}) → broker → SimpleConsumer: every record, in order, keyed placement`, async () => {
    const topic = `codec-${compression}`;
    await admin.createTopicsOrThrow([{ name: topic, numPartitions: 3, replicationFactor: 1 }]);
    const producer = new Producer(client, { compression, lingerMs: 5 });
    const n = 3000;
    const sentAt = Date.now();
    let failures = 0;
    for (let i = 0; i < n; i++) {
      producer.send({ topic, key: `k${i % 50}`, value: `v${i}` }, (err) => {
        if (err) failures++;
      });
    }
    await producer.close();
    assert.equal(failures, 0);

    const consumer = new SimpleConsumer(client, { autoOffsetReset: 'earliest' });
    consumer.assign([0, 1, 2].map((partition) => ({ topic, partition })));
    const got: { partition: number; key: string; value: string; offset: number }[] = [];
    for (let i = 0; i < 50 && got.length < n; i++) {
      for (const r of await consumer.poll(1000)) {
        got.push({ partition: r.partition, key: r.key!.toString(), value: r.value!.toString(), offset: r.offset });
      }
    }
    consumer.close();
    assert.equal(got.length, n);
    for (const r of got) assert.equal(r.partition, partitionForKey(Buffer.from(r.key), 3));
    for (let p = 0; p < 3; p++) {
      const inPartition = got.filter((r) => r.partition === p);
      assert.deepEqual(inPartition.map((r) => r.offset), inPartition.map((_, i) => i));
      const indexes = inPartition.map((r) => Number(r.value.slice(1)));
      assert.deepEqual(indexes, [...indexes].sort((a, b) => a - b));
    }
    const offsets = await new SimpleConsumer(client).listOffsets([
      { topic, partition: 0, timestamp: OffsetSpec.EARLIEST },
      { topic, partition: 1, timestamp: OffsetSpec.LATEST },
      { topic, partition: 2, timestamp: sentAt - 60_000 },
    ]);
    assert.equal(offsets.get(topicPartitionKey({ topic, partition: 0 }))!.offset, 0);
    assert.equal(offsets.get(topicPartitionKey({ topic, partition: 1 }))!.offset, got.filter((r) => r.partition === 1).length);
    assert.equal(offsets.get(topicPartitionKey({ topic, partition: 2 }))!.offset, 0);
  });
}

test('librdkafka (kcat) reads what our producer wrote', async () => {
  const topic = 'for-kcat';
  await admin.createTopicsOrThrow([{ name: topic, numPartitions: 1, replicationFactor: 1 }]);
  const producer = new Producer(client, { compression: 'lz4' });
  await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      producer.send({ topic, key: `k${i}`, value: `v${i}`, headers: [{ key: 'h', value: Buffer.from(String(i)) }] }),
    ),
  );
  await producer.close();
  // kcat consumes by assignment (no consumer group), from the beginning to the end, then exits.
  const r = spawnSync('kcat', ['-C', '-b', cluster.bootstrap, '-t', topic, '-o', 'beginning', '-e', '-q', '-f', '%k:%s:%h\\n'], {
    encoding: 'utf8',
    timeout: 30_000,
  });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(r.stdout.trimEnd().split('\n'), Array.from({ length: 20 }, (_, i) => `k${i}:v${i}:h=${i}`));
});

test('records sent while the broker restarts are all delivered once it is back (acks=all)', async () => {
  const topic = 'through-restart';
  await admin.createTopicsOrThrow([{ name: topic, numPartitions: 1, replicationFactor: 1 }]);
  const producer = new Producer(client, { lingerMs: 5 });
  let delivered = 0;
  const errors: string[] = [];
  const sendSome = (n: number, base: number) => {
    for (let i = 0; i < n; i++) {
      producer.send({ topic, value: `v${base + i}` }, (err) => (err ? errors.push(err.message) : delivered++));
    }
  };
  sendSome(500, 0);
  await producer.flush();
  const broker = cluster.brokers[0]!;
  const restart = (async () => {
    await broker.stop();
    await broker.start();
  })();
  for (let k = 0; k < 10; k++) {
    sendSome(50, 500 + k * 50);
    await new Promise((r) => setTimeout(r, 100));
  }
  await restart;
  await producer.close();
  assert.deepEqual(errors, []);
  assert.equal(delivered, 1000);
  const consumer = new SimpleConsumer(client, { autoOffsetReset: 'earliest' });
  consumer.assign([{ topic, partition: 0 }]);
  // Without idempotence delivery is at-least-once: a batch whose response was lost in the restart may be
  // written twice; none may be missing.
  const values = new Set<string>();
  for (let i = 0; i < 40 && values.size < 1000; i++) {
    for (const r of await consumer.poll(500)) values.add(r.value!.toString());
  }
  consumer.close();
  assert.equal(values.size, 1000);
  for (let i = 0; i < 1000; i++) assert.ok(values.has(`v${i}`), `v${i} missing`);
});
