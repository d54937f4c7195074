/**
 * DescribeProducers (KIP-664) on a real broker: after a kafkajs idempotent producer sent three batches
 * (2 + 3 + 5 records) the partition's leader lists that producer with its id (the one InitProducerId
 * gave), epoch 0, last sequence 9 and the time of its last write; a non-idempotent producer adds nothing;
 * a partition of an unknown topic answers UNKNOWN_TOPIC_OR_PARTITION.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { KafkaClient } from '../../src/client/kafka-client';
import { ApiKeys, ErrorCode } from '../../src/protocol';
import { startCluster, type Cluster } from '../harness/cluster';
import { kafkajs } from './clients';

describe('DescribeProducers', { timeout: 120_000 }, () => {
  let cluster: Cluster;
  let client: KafkaClient;

  before(async () => {
    cluster = await startCluster({ brokers: 1 });
    client = new KafkaClient({ bootstrapServers: cluster.bootstrap, clientId: 'describe-producers-test' });
    const admin = kafkajs(cluster.bootstrap).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'tracked', numPartitions: 2 }], waitForLeaders: true });
    await admin.disconnect();
  });

  after(async () => {
    await client?.close();
    await cluster?.stop();
  });

  async function describeProducers(topic: string, partitions: number[]) {
    const conn = await client.connectionTo(0);
    const r = await conn.request(ApiKeys.DescribeProducers, 0, { topics: [{ name: topic, partitionIndexes: partitions }] });
    return r.topics[0]!.partitions;
  }

  test('the idempotent producer of a partition, and nothing for the others', async () => {
    const before = Date.now();
    const idempotent = kafkajs(cluster.bootstrap).producer({ idempotent: true, maxInFlightRequests: 1 });
    await idempotent.connect();
    for (const n of [2, 3, 5]) {
      await idempotent.send({ topic: 'tracked', acks: -1, messages: Array.from({ length: n }, (_, i) => ({ value: `v${i}`, partition: 0 })) });
    }
    await idempotent.disconnect();
    const plain = kafkajs(cluster.bootstrap).producer();
    await plain.connect();
    await plain.send({ topic: 'tracked', acks: -1, messages: [{ value: 'plain', partition: 1 }] });
    await plain.disconnect();

    const [p0, p1] = await describeProducers('tracked', [0, 1]);
    assert.equal(p0!.errorCode, ErrorCode.NONE);
    assert.equal(p0!.activeProducers.length, 1);
    const producer = p0!.activeProducers[0]!;
    assert.ok(producer.producerId >= 0);
    assert.deepEqual(
      { ...producer, producerId: 0, lastTimestamp: 0 },
      { producerId: 0, producerEpoch: 0, lastSequence: 9, lastTimestamp: 0, coordinatorEpoch: -1, currentTxnStartOffset: -1 },
    );
    assert.ok(producer.lastTimestamp >= before - 1000 && producer.lastTimestamp <= Date.now() + 1000, String(producer.lastTimestamp));
    assert.deepEqual({ ...p1!, activeProducers: p1!.activeProducers.length }, { partitionIndex: 1, errorCode: ErrorCode.NONE, errorMessage: null, activeProducers: 0 });

    const [unknown] = await describeProducers('no-such-topic', [0]);
    assert.equal(unknown!.errorCode, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  });
});
