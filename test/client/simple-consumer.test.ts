// SimpleConsumer against an in-test TCP broker serving a small log built with the records module:
// ListOffsets (earliest/latest/by timestamp), fetch positions inside batches, OFFSET_OUT_OF_RANGE with
// each auto.offset.reset policy, control batches skipped, multiple partitions.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiKeys, ErrorCode } from '../../src/protocol';
import { buildRecordBatch } from '../../src/protocol/records/record-batch-builder';
import { KafkaClient } from '../../src/client/kafka-client';
import { OffsetSpec, SimpleConsumer, topicPartitionKey } from '../../src/client/simple-consumer';
import { KafkaResponseError } from '../../src/client/client-errors';
import { apiVersionsBody, startFakeBroker, type FakeBroker } from './fake-broker';

interface FakeLog {
  batches: { base: number; last: number; timestamps: number[]; bytes: Buffer }[];
  logStart: number;
}

async function appendBatch(log: FakeLog, values: string[], timestamps: number[], opts?: { control?: boolean }): Promise<void> {
  const base = log.batches.length === 0 ? 0 : log.batches[log.batches.length - 1]!.last + 1;
  const bytes = await buildRecordBatch(
    values.map((v, i) => ({ key: `k${base + i}`, value: v, timestamp: timestamps[i] })),
    { baseOffset: base, partitionLeaderEpoch: 4, control: opts?.control, transactional: opts?.control },
  );
  log.batches.push({ base, last: base + values.length - 1, timestamps, bytes });
}

function endOffset(log: FakeLog): number {
  return log.batches.length === 0 ? 0 : log.batches[log.batches.length - 1]!.last + 1;
}

async function startLogBroker(logs: FakeLog[]): Promise<{ broker: FakeBroker; fetchOffsets: number[] }> {
  let port = 0;
  const fetchOffsets: number[] = [];
  const broker = await startFakeBroker((req) => {
    switch (req.header.apiKey) {
      case ApiKeys.ApiVersions:
        req.respond(apiVersionsBody({ [ApiKeys.Fetch]: [0, 17], [ApiKeys.ListOffsets]: [0, 9], [ApiKeys.Metadata]: [0, 12], [ApiKeys.ApiVersions]: [0, 4] }));
        return;
      case ApiKeys.Metadata:
        req.respond({
          brokers: [{ nodeId: 1, host: '127.0.0.1', port, rack: null }],
          controllerId: 1,
          topics: [{
            errorCode: 0, name: 'log',
            partitions: logs.map((_, i) => ({ errorCode: 0, partitionIndex: i, leaderId: 1, leaderEpoch: 4, replicaNodes: [1], isrNodes: [1], offlineReplicas: [] })),
          }],
        });
        return;
      case ApiKeys.ListOffsets: {
        const topics = req.body.topics as { name: string; partitions: { partitionIndex: number; timestamp: number }[] }[];
        req.respond({
          topics: topics.map((t) => ({
            name: t.name,
            partitions: t.partitions.map((p) => {
              const log = logs[p.partitionIndex]!;
              let offset = -1;
              let timestamp = -1;
              if (p.timestamp === OffsetSpec.EARLIEST) offset = log.logStart;
              else if (p.timestamp === OffsetSpec.LATEST) offset = endOffset(log);
              else {
                outer: for (const b of log.batches) {
                  for (let i = 0; i < b.timestamps.length; i++) {
                    if (b.base + i >= log.logStart && b.timestamps[i]! >= p.timestamp) {
                      offset = b.base + i;
                      timestamp = b.timestamps[i]!;
                      break outer;
                    }
                  }
                }
              }
              return { partitionIndex: p.partitionIndex, errorCode: 0, timestamp, offset, leaderEpoch: 4 };
            }),
          })),
        });
        return;
      }
      case ApiKeys.Fetch: {
        const topics = req.body.topics as { topic: string; partitions: { partition: number; fetchOffset: number }[] }[];
        req.respond({
          errorCode: 0,
          sessionId: 0,
          responses: topics.map((t) => ({
            topic: t.topic,
            partitions: t.partitions.map((p) => {
              fetchOffsets.push(p.fetchOffset);
              const log = logs[p.partition]!;
              const end = endOffset(log);
              if (p.fetchOffset < log.logStart || p.fetchOffset > end) {
                return { partitionIndex: p.partition, errorCode: ErrorCode.OFFSET_OUT_OF_RANGE, highWatermark: end, records: null };
              }
              const chunks = log.batches.filter((b) => b.last >= p.fetchOffset).map((b) => b.bytes);
              // Like a real broker near fetch.max.bytes: a truncated trailing batch.
              if (chunks.length > 1) chunks.push(chunks[chunks.length - 1]!.subarray(0, 30));
              return { partitionIndex: p.partition, errorCode: 0, highWatermark: end, logStartOffset: log.logStart, records: chunks.length ? Buffer.concat(chunks) : null };
            }),
          })),
        });
        return;
      }
    }
  });
  port = broker.port;
  return { broker, fetchOffsets };
}

async function setup(logs: FakeLog[], options?: ConstructorParameters<typeof SimpleConsumer>[1]) {
  const { broker, fetchOffsets } = await startLogBroker(logs);
  const client = new KafkaClient({ bootstrapServers: `127.0.0.1:${broker.port}`, retryBackoffMs: 10 });
  const consumer = new SimpleConsumer(client, { fetchMaxWaitMs: 50, ...options });
  return {
    consumer,
    fetchOffsets,
    async close() {
      consumer.close();
      await client.close();
      await broker.close();
    },
  };
}

test('from the beginning: every record in order with offsets, keys, timestamps and epoch', async () => {
  const log: FakeLog = { batches: [], logStart: 0 };
  await appendBatch(log, ['a', 'b', 'c'], [100, 101, 102]);
  await appendBatch(log, ['d', 'e'], [200, 201]);
  const s = await setup([log]);
  try {
    s.consumer.assign([{ topic: 'log', partition: 0 }]);
    s.consumer.seekToBeginning();
    const records = await s.consumer.poll(1000);
    assert.deepEqual(records.map((r) => r.value?.toString()), ['a', 'b', 'c', 'd', 'e']);
    assert.deepEqual(records.map((r) => r.offset), [0, 1, 2, 3, 4]);
    assert.deepEqual(records.map((r) => r.key?.toString()), ['k0', 'k1', 'k2', 'k3', 'k4']);
    assert.equal(records[3]!.timestamp, 200);
    assert.equal(records[0]!.timestampType, 'CreateTime');
    assert.equal(records[0]!.leaderEpoch, 4);
    assert.equal(await s.consumer.position({ topic: 'log', partition: 0 }), 5);
    assert.equal(s.consumer.highWatermark({ topic: 'log', partition: 0 }), 5);
    assert.deepEqual(await s.consumer.poll(100), []);
  } finally {
    await s.close();
  }
});

test('seek into the middle of a batch skips the records below the offset', async () => {
  const log: FakeLog = { batches: [], logStart: 0 };
  await appendBatch(log, ['a', 'b', 'c', 'd'], [1, 2, 3, 4]);
  const s = await setup([log]);
  try {
    s.consumer.assign([{ topic: 'log', partition: 0 }]);
    s.consumer.seek({ topic: 'log', partition: 0 }, 2);
    const records = await s.consumer.poll(1000);
    assert.deepEqual(records.map((r) => r.offset), [2, 3]);
    assert.equal(s.fetchOffsets[0], 2);
  } finally {
    await s.close();
  }
});

test('latest (the default reset) only sees records appended afterwards', async () => {
  const log: FakeLog = { batches: [], logStart: 0 };
  await appendBatch(log, ['old1', 'old2'], [1, 2]);
  const s = await setup([log]);
  try {
    s.consumer.assign([{ topic: 'log', partition: 0 }]);
    assert.deepEqual(await s.consumer.poll(150), []);
    assert.equal(await s.consumer.position({ topic: 'log', partition: 0 }), 2);
    await appendBatch(log, ['new'], [3]);
    const records = await s.consumer.poll(1000);
    assert.deepEqual(records.map((r) => [r.offset, r.value?.toString()]), [[2, 'new']]);
  } finally {
    await s.close();
  }
});

test('OFFSET_OUT_OF_RANGE resets to the earliest offset under auto.offset.reset=earliest', async () => {
  const log: FakeLog = { batches: [], logStart: 0 };
  await appendBatch(log, ['a', 'b', 'c'], [1, 2, 3]);
  await appendBatch(log, ['d', 'e', 'f'], [4, 5, 6]);
  log.logStart = 3; // retention removed the first batch
  const s = await setup([log], { autoOffsetReset: 'earliest' });
  try {
    s.consumer.assign([{ topic: 'log', partition: 0 }]);
    s.consumer.seek({ topic: 'log', partition: 0 }, 1);
    const records = await s.consumer.poll(2000);
    assert.deepEqual(records.map((r) => r.offset), [3, 4, 5]);
    assert.equal(s.fetchOffsets[0], 1);
  } finally {
    await s.close();
  }
});

test('auto.offset.reset=none surfaces OFFSET_OUT_OF_RANGE and undefined positions', async () => {
  const log: FakeLog = { batches: [], logStart: 0 };
  await appendBatch(log, ['a'], [1]);
  const s = await setup([log], { autoOffsetReset: 'none' });
  try {
    s.consumer.assign([{ topic: 'log', partition: 0 }]);
    await assert.rejects(s.consumer.poll(100), /Undefined offset with no reset policy/);
    s.consumer.seek({ topic: 'log', partition: 0 }, 10);
    await assert.rejects(s.consumer.poll(500), (err: unknown) => {
      assert.ok(err instanceof KafkaResponseError);
      assert.equal(err.code, ErrorCode.OFFSET_OUT_OF_RANGE);
      return true;
    });
  } finally {
    await s.close();
  }
});

test('listOffsets by timestamp, earliest and latest; control batches are skipped', async () => {
  const p0: FakeLog = { batches: [], logStart: 0 };
  const p1: FakeLog = { batches: [], logStart: 0 };
  await appendBatch(p0, ['a', 'b'], [1000, 2000]);
  await appendBatch(p0, ['marker'], [2500], { control: true });
  await appendBatch(p0, ['c'], [3000]);
  await appendBatch(p1, ['x'], [5000]);
  const s = await setup([p0, p1]);
  try {
    s.consumer.assign([{ topic: 'log', partition: 0 }, { topic: 'log', partition: 1 }]);
    const offsets = await s.consumer.listOffsets([
      { topic: 'log', partition: 0, timestamp: 1500 },
      { topic: 'log', partition: 0, timestamp: 9999 },
      { topic: 'log', partition: 1, timestamp: OffsetSpec.LATEST },
    ]);
    assert.deepEqual(offsets.get(topicPartitionKey({ topic: 'log', partition: 0 })), null);
    s.consumer.seekToBeginning();
    const records = await s.consumer.poll(1000);
    const p0Values = records.filter((r) => r.partition === 0).map((r) => [r.offset, r.value?.toString()]);
    assert.deepEqual(p0Values, [[0, 'a'], [1, 'b'], [3, 'c']]);
    assert.deepEqual(records.filter((r) => r.partition === 1).map((r) => r.value?.toString()), ['x']);
    const byTime = await s.consumer.listOffsets([{ topic: 'log', partition: 0, timestamp: 1500 }]);
    assert.deepEqual(byTime.get(topicPartitionKey({ topic: 'log', partition: 0 })), { offset: 1, timestamp: 2000, leaderEpoch: 4 });
    const latest = await s.consumer.listOffsets([{ topic: 'log', partition: 1, timestamp: OffsetSpec.LATEST }]);
    assert.equal(latest.get(topicPartitionKey({ topic: 'log', partition: 1 }))!.offset, 1);
  } finally {
    await s.close();
  }
});
