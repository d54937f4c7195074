// Fetch handler: a client claiming a replica id (found by the protocol fuzz test) gets
// NOT_LEADER_OR_FOLLOWER for partitions that broker does not follow, as Kafka's followerReplicaOrThrow,
// and its fetch never reaches the replica manager as a follower fetch.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiKeys, ErrorCode } from '../../../src/protocol';
import { MetadataCache } from '../../../src/metadata/metadata-cache';
import { fetchHandler } from '../../../src/server/handlers/fetch';
import { brokerWith, contextFor } from './handler-support';

function setup() {
  const asked: { replicaId: number; partitions: number[] }[] = [];
  const broker = brokerWith({
    brokerId: 0,
    metadataCache: new MetadataCache(0),
    config: { fetchMaxBytes: 1 << 20 },
    replicaManager: {
      // Partition 0 is led here with followers 1 and 2; partition 1 is not led here.
      getPartition: (_topic: string, partition: number) =>
        partition === 0 ? { isLeader: true, assignment: [0, 1, 2] } : partition === 1 ? { isLeader: false, assignment: [1, 0] } : undefined,
      fetchMessages: async (params: { replicaId: number; partitions: { partition: number }[] }) => {
        asked.push({ replicaId: params.replicaId, partitions: params.partitions.map((p) => p.partition) });
        return params.partitions.map(() => ({ errorCode: 0, highWatermark: 5, lastStableOffset: 5, logStartOffset: 0, records: [] }));
      },
    },
  });
  return { broker, asked };
}

async function fetchAs(replicaId: number, partitions: number[]) {
  const { broker, asked } = setup();
  const res = await fetchHandler(broker).handle(
    {
      replicaId,
      maxWaitMs: 0,
      minBytes: 1,
      maxBytes: 1000,
      isolationLevel: 0,
      sessionId: 0,
      sessionEpoch: -1,
      topics: [{ topic: 't', partitions: partitions.map((partition) => ({ partition, fetchOffset: 0, partitionMaxBytes: 100, currentLeaderEpoch: -1, logStartOffset: -1 })) }],
    } as never,
    contextFor(ApiKeys.Fetch, 12),
  );
  return { codes: res!.responses![0]!.partitions!.map((p) => p.errorCode), asked };
}

test('a follower of the partition fetches as a replica', async () => {
  const { codes, asked } = await fetchAs(1, [0]);
  assert.deepEqual(codes, [ErrorCode.NONE]);
  assert.deepEqual(asked, [{ replicaId: 1, partitions: [0] }]);
});

test('a replica id that is not a follower, or this broker itself, is NOT_LEADER_OR_FOLLOWER', async () => {
  for (const replicaId of [0, 7]) {
    const { codes, asked } = await fetchAs(replicaId, [0]);
    assert.deepEqual(codes, [ErrorCode.NOT_LEADER_OR_FOLLOWER], `replica ${replicaId}`);
    assert.deepEqual(asked[0]?.partitions ?? [], []);
  }
});

test('partitions not led here, and consumers, are left to the replica manager', async () => {
  assert.deepEqual((await fetchAs(7, [1, 2])).asked, [{ replicaId: 7, partitions: [1, 2] }]);
  assert.deepEqual((await fetchAs(-1, [0])).codes, [ErrorCode.NONE]);
});
