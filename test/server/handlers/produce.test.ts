// Produce handler regressions from the protocol fuzz test: compressed payloads that do not decompress were
// appended; an acks=0 failure closed the connection through the "unexpected error" path.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiKeys, ErrorCode } from '../../../src/protocol';
import { BatchField, buildRecordBatch, updateCrc } from '../../../src/protocol/records';
import { CloseConnectionError } from '../../../src/network/kafka-channel';
import { produceHandler } from '../../../src/server/handlers/produce';
import { brokerWith, contextFor } from './handler-support';

function brokerRecordingAppends(appended: string[]) {
  return brokerWith({
    replicaManager: {
      getPartition: (topic: string) => (topic === 't' ? { isLeader: true, log: { config: { cleanupPolicy: ['delete'] } } } : undefined),
      appendRecords: async (opts: { entries: { topic: string; partition: number }[] }) =>
        opts.entries.map((e) => {
          appended.push(`${e.topic}-${e.partition}`);
          return { topic: e.topic, partition: e.partition, errorCode: 0, errorMessage: null, baseOffset: 0, logAppendTimeMs: -1, logStartOffset: 0 };
        }),
    },
  });
}

test('a gzip batch whose payload does not decompress is CORRUPT_MESSAGE and never appended', async () => {
  const good = await buildRecordBatch([{ value: Buffer.alloc(100, 1) }], { compression: 'gzip' });
  const bad = Buffer.from(good);
  bad.fill(0x33, BatchField.records);
  updateCrc(bad, 0);
  const appended: string[] = [];
  const res = await produceHandler(brokerRecordingAppends(appended)).handle(
    {
      acks: 1,
      timeoutMs: 1000,
      transactionalId: null,
      topicData: [{ name: 't', partitionData: [{ index: 0, records: bad }, { index: 1, records: good }] }],
    } as never,
    contextFor(ApiKeys.Produce, 9),
  );
  assert.deepEqual(appended, ['t-1']);
  const parts = res!.responses![0]!.partitionResponses!;
  assert.deepEqual(
    parts.map((p) => [p.index, p.errorCode]).sort(),
    [[0, ErrorCode.CORRUPT_MESSAGE], [1, ErrorCode.NONE]],
  );
});

test('a corrupt compressed batch for a partition not led here is left to the replica manager', async () => {
  const bad = await buildRecordBatch([{ value: Buffer.alloc(100, 1) }], { compression: 'gzip' });
  bad.fill(0x33, BatchField.records);
  updateCrc(bad, 0);
  const appended: string[] = [];
  await produceHandler(brokerRecordingAppends(appended)).handle(
    { acks: 1, timeoutMs: 1000, transactionalId: null, topicData: [{ name: 'elsewhere', partitionData: [{ index: 0, records: bad }] }] } as never,
    contextFor(ApiKeys.Produce, 9),
  );
  assert.deepEqual(appended, ['elsewhere-0']);
});

test('an acks=0 failure closes the connection with an INFO-level CloseConnectionError', async () => {
  const appended: string[] = [];
  await assert.rejects(
    async () =>
      produceHandler(brokerRecordingAppends(appended)).handle(
        { acks: 0, timeoutMs: 1000, transactionalId: null, topicData: [{ name: '__consumer_offsets', partitionData: [{ index: 0, records: null }] }] } as never,
        contextFor(ApiKeys.Produce, 9),
      ),
    (err: unknown) => err instanceof CloseConnectionError && err.level === 'info' && /acks=0 failed/.test(err.message),
  );
  assert.deepEqual(appended, []);
});
