// Producer against an in-test TCP broker that decodes requests with the project's codec and the
// records module: batching per partition, murmur2 placement of keyed records, sticky keyless records,
// offsets handed back per record, compression, acks=0, retries after NOT_LEADER_OR_FOLLOWER, and the
// metadata timeout for a topic that never appears.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiKeys, ErrorCode } from '../../src/protocol';
import { decodeRecords } from '../../src/protocol/records/record-batch-builder';
import { batches, CompressionType } from '../../src/protocol/records/record-batch';
import { KafkaClient } from '../../src/client/kafka-client';
import { Producer, type RecordMetadata } from '../../src/client/producer';
import { partitionForKey } from '../../src/client/partitioner';
import { OperationTimeoutError } from '../../src/client/client-errors';
import { apiVersionsBody, startFakeBroker, type FakeBroker, type ReceivedRequest } from './fake-broker';

interface StoredBatch {
  topic: string;
  partition: number;
  compression: number;
  records: { key: string | null; value: string | null; timestamp: number }[];
}

interface ProduceBroker {
  broker: FakeBroker;
  stored: StoredBatch[];
  produceRequests: ReceivedRequest[];
  /** Per-partition error to return once (then succeed). */
  failOnce: Map<number, number>;
}

async function startProduceBroker(topics: Record<string, number>): Promise<ProduceBroker> {
  const stored: StoredBatch[] = [];
  const produceRequests: ReceivedRequest[] = [];
  const failOnce = new Map<number, number>();
  const nextOffset = new Map<string, number>();
  let port = 0;
  const broker = await startFakeBroker((req) => {
    switch (req.header.apiKey) {
      case ApiKeys.ApiVersions:
        req.respond(apiVersionsBody({ [ApiKeys.Produce]: [3, 11], [ApiKeys.Metadata]: [0, 12], [ApiKeys.ApiVersions]: [0, 4] }));
        return;
      case ApiKeys.Metadata: {
        const asked = (req.body.topics as { name: string }[] | null) ?? Object.keys(topics).map((name) => ({ name }));
        req.respond({
          brokers: [{ nodeId: 0, host: '127.0.0.1', port, rack: null }],
          clusterId: 'fake',
          controllerId: 0,
          topics: asked.map(({ name }) =>
            topics[name] === undefined
              ? { errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, name, partitions: [] }
              : {
                  errorCode: 0,
                  name,
                  partitions: Array.from({ length: topics[name]! }, (_, i) => ({
                    errorCode: 0, partitionIndex: i, leaderId: 0, leaderEpoch: 0, replicaNodes: [0], isrNodes: [0], offlineReplicas: [],
                  })),
                },
          ),
        });
        return;
      }
      case ApiKeys.Produce: {
        produceRequests.push(req);
        void (async () => {
          const topicData = req.body.topicData as { name: string; partitionData: { index: number; records: Buffer }[] }[];
          const responses = [];
          for (const t of topicData) {
            const partitionResponses = [];
            for (const p of t.partitionData) {
              const err = failOnce.get(p.index);
              if (err !== undefined) {
                failOnce.delete(p.index);
                partitionResponses.push({ index: p.index, errorCode: err, baseOffset: -1 });
                continue;
              }
              const key = `${t.name}-${p.index}`;
              const base = nextOffset.get(key) ?? 0;
              let count = 0;
              for (const view of batches(p.records)) {
                const recs = await decodeRecords(view);
                count += recs.length;
                stored.push({
                  topic: t.name,
                  partition: p.index,
                  compression: view.compression,
                  records: recs.map((r) => ({ key: r.key?.toString() ?? null, value: r.value?.toString() ?? null, timestamp: r.timestamp })),
                });
              }
              nextOffset.set(key, base + count);
              partitionResponses.push({ index: p.index, errorCode: 0, baseOffset: base, logAppendTimeMs: -1, logStartOffset: 0 });
            }
            responses.push({ name: t.name, partitionResponses });
          }
          if ((req.body.acks as number) !== 0) req.respond({ responses, throttleTimeMs: 0 });
        })();
        return;
      }
    }
  });
  port = broker.port;
  return { broker, stored, produceRequests, failOnce };
}

test('keyed records are batched per partition at murmur2 partitions with dense offsets', async () => {
  const fb = await startProduceBroker({ events: 3 });
  const client = new KafkaClient({ bootstrapServers: `127.0.0.1:${fb.broker.port}` });
  const producer = new Producer(client, { lingerMs: 20, batchSize: 4096 });
  try {
    const results: (RecordMetadata | undefined)[] = new Array(500);
    const errors: Error[] = [];
    for (let i = 0; i < 500; i++) {
      producer.send({ topic: 'events', key: `key-${i % 37}`, value: `value-${i}` }, (err, md) => {
        if (err) errors.push(err);
        results[i] = md;
      });
    }
    await producer.flush();
    assert.deepEqual(errors, []);
    // Partition as Kafka's default partitioner would choose it.
    for (let i = 0; i < 500; i++) {
      assert.equal(results[i]!.partition, partitionForKey(Buffer.from(`key-${i % 37}`), 3), `record ${i}`);
    }
    // Offsets: per partition 0..n-1 in send order.
    for (let p = 0; p < 3; p++) {
      const offsets = results.filter((r) => r!.partition === p).map((r) => r!.offset);
      assert.deepEqual(offsets, offsets.map((_, i) => i));
    }
    // What the broker stored is what was sent, in order, in far fewer batches than records.
    const storedCount = fb.stored.reduce((n, b) => n + b.records.length, 0);
    assert.equal(storedCount, 500);
    assert.ok(fb.stored.length < 50, `expected batching, got ${fb.stored.length} batches`);
    for (let p = 0; p < 3; p++) {
      const values = fb.stored.filter((b) => b.partition === p).flatMap((b) => b.records.map((r) => r.value));
      const expected = results.map((r, i) => (r!.partition === p ? `value-${i}` : null)).filter((v) => v !== null);
      assert.deepEqual(values, expected);
    }
    assert.ok(fb.stored.every((b) => b.compression === CompressionType.none));
    assert.ok(fb.produceRequests.every((r) => r.body.acks === -1));
  } finally {
    await producer.close();
    await client.close();
    await fb.broker.close();
  }
});

test('send() without callback returns a promise; timestamps and headers travel', async () => {
  const fb = await startProduceBroker({ t: 1 });
  const client = new KafkaClient({ bootstrapServers: `127.0.0.1:${fb.broker.port}` });
  const producer = new Producer(client, { lingerMs: 0 });
  try {
    const md = await producer.send({ topic: 't', value: 'hello', timestamp: 1700000000123, headers: [{ key: 'h', value: Buffer.from('v') }] });
    assert.deepEqual(md, { topic: 't', partition: 0, offset: 0, timestamp: 1700000000123 });
    assert.equal(fb.stored[0]!.records[0]!.timestamp, 1700000000123);
    const md2 = await producer.send({ topic: 't', key: null, value: null });
    assert.equal(md2.offset, 1);
    assert.equal(fb.stored[1]!.records[0]!.value, null);
  } finally {
    await producer.close();
    await client.close();
    await fb.broker.close();
  }
});

test('compressed batches decode to the records sent; keyless records stick to a partition', async () => {
  const fb = await startProduceBroker({ z: 4 });
  const client = new KafkaClient({ bootstrapServers: `127.0.0.1:${fb.broker.port}` });
  const producer = new Producer(client, { compression: 'gzip', lingerMs: 50, batchSize: 1_000_000 });
  try {
    const sends = [];
    for (let i = 0; i < 100; i++) sends.push(producer.send({ topic: 'z', value: `v${i}` }));
    const mds = await Promise.all(sends);
    assert.equal(new Set(mds.map((m) => m.partition)).size, 1, 'sticky partitioner keeps keyless records together');
    assert.equal(fb.stored.length, 1);
    assert.equal(fb.stored[0]!.compression, CompressionType.gzip);
    assert.deepEqual(fb.stored[0]!.records.map((r) => r.value), mds.map((_, i) => `v${i}`));
  } finally {
    await producer.close();
    await client.close();
    await fb.broker.close();
  }
});

test('a retriable partition error is retried after a metadata refresh', async () => {
  const fb = await startProduceBroker({ r: 2 });
  fb.failOnce.set(1, ErrorCode.NOT_LEADER_OR_FOLLOWER);
  const client = new KafkaClient({ bootstrapServers: `127.0.0.1:${fb.broker.port}`, retryBackoffMs: 10 });
  const producer = new Producer(client, { lingerMs: 0 });
  try {
    const [a, b] = await Promise.all([
      producer.send({ topic: 'r', partition: 0, value: 'a' }),
      producer.send({ topic: 'r', partition: 1, value: 'b' }),
    ]);
    assert.equal(a.offset, 0);
    assert.equal(b.offset, 0);
    assert.equal(fb.stored.filter((s) => s.partition === 1).length, 1);
    assert.ok(fb.produceRequests.length >= 2);
  } finally {
    await producer.close();
    await client.close();
    await fb.broker.close();
  }
});

test('a non-retriable error fails the records; an invalid partition fails at once', async () => {
  const fb = await startProduceBroker({ n: 1 });
  fb.failOnce.set(0, ErrorCode.MESSAGE_TOO_LARGE);
  const client = new KafkaClient({ bootstrapServers: `127.0.0.1:${fb.broker.port}` });
  const producer = new Producer(client, { lingerMs: 0 });
  try {
    await assert.rejects(producer.send({ topic: 'n', value: 'x' }), (err: Error & { code?: number }) => {
      assert.equal(err.code, ErrorCode.MESSAGE_TOO_LARGE);
      return true;
    });
    await assert.rejects(producer.send({ topic: 'n', partition: 5, value: 'x' }), /Invalid partition given with record: 5 is not in the range \[0\.\.\.1\)/);
  } finally {
    await producer.close();
    await client.close();
    await fb.broker.close();
  }
});

test('acks=0 completes with offset -1 without waiting for a response', async () => {
  const fb = await startProduceBroker({ a: 1 });
  const client = new KafkaClient({ bootstrapServers: `127.0.0.1:${fb.broker.port}` });
  const producer = new Producer(client, { acks: 0, lingerMs: 0 });
  try {
    const md = await producer.send({ topic: 'a', value: 'fire-and-forget' });
    assert.equal(md.offset, -1);
    // The write completed; the broker reads it a moment later.
    for (let i = 0; i < 100 && fb.produceRequests.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(fb.produceRequests[0]!.body.acks, 0);
  } finally {
    await producer.close();
    await client.close();
    await fb.broker.close();
  }
});

test('records for a topic that never appears fail after max.block.ms', async () => {
  const fb = await startProduceBroker({});
  const client = new KafkaClient({ bootstrapServers: `127.0.0.1:${fb.broker.port}`, retryBackoffMs: 20, retryBackoffMaxMs: 50 });
  const producer = new Producer(client, { maxBlockMs: 300 });
  try {
    await assert.rejects(producer.send({ topic: 'missing', value: 'x' }), (err: unknown) => {
      assert.ok(err instanceof OperationTimeoutError);
      assert.equal(err.message, 'Topic missing not present in metadata after 300 ms.');
      return true;
    });
    await producer.flush();
  } finally {
    await producer.close();
    await client.close();
    await fb.broker.close();
  }
});
