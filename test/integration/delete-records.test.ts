/**
 * DeleteRecords on a real two-broker cluster (RF=2): kafkajs admin.deleteTopicRecords moves the log start
 * offset of each partition on its leader, the answer comes once the follower moved its own (its
 * log-start-offset-checkpoint shows it), consumers and ListOffsets see the new start, and kcat reads
 * from it; while the follower is frozen (SIGSTOP, still registered) the request times out. Refusals carry Kafka's error codes: above the high watermark OFFSET_OUT_OF_RANGE, a compacted
 * topic POLICY_VIOLATION, an internal topic INVALID_TOPIC_EXCEPTION, a follower NOT_LEADER_OR_FOLLOWER,
 * an unknown partition UNKNOWN_TOPIC_OR_PARTITION.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Admin as KafkajsAdmin } from 'kafkajs';
import { KafkaClient } from '../../src/client/kafka-client';
import { ApiKeys, ErrorCode } from '../../src/protocol';
import { startCluster, type Cluster } from '../harness/cluster';
import { kafkajs, kcat } from './clients';

describe('DeleteRecords', { timeout: 180_000 }, () => {
  let cluster: Cluster;
  let admin: KafkajsAdmin;
  let client: KafkaClient;

  /** partition → leader and replicas, from kafkajs metadata. */
  async function layout(topic: string): Promise<Map<number, { leader: number; replicas: number[] }>> {
    const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
    return new Map(topics[0]!.partitions.map((p) => [p.partitionId, { leader: p.leader, replicas: p.replicas }]));
  }

  /** DeleteRecords v2 sent to one broker: [topic, partition, lowWatermark, errorCode] per partition. */
  async function deleteRecords(brokerId: number, topic: string, partitions: [number, number][]): Promise<[number, number, number][]> {
    const conn = await client.connectionTo(brokerId);
    const response = await conn.request(ApiKeys.DeleteRecords, 2, {
      topics: [{ name: topic, partitions: partitions.map(([partitionIndex, offset]) => ({ partitionIndex, offset })) }],
      timeoutMs: 10_000,
    });
    return response.topics[0]!.partitions.map((p) => [p.partitionIndex, p.lowWatermark, p.errorCode]);
  }

  async function produce(topic: string, partition: number, count: number): Promise<void> {
    const producer = kafkajs(cluster.bootstrap).producer();
    await producer.connect();
    try {
      for (let i = 0; i < count; i += 10) {
        const messages = Array.from({ length: 10 }, (_, j) => ({ key: `k${i + j}`, value: `v${i + j}`, partition }));
        await producer.send({ topic, acks: -1, messages });
      }
    } finally {
      await producer.disconnect();
    }
  }

  before(async () => {
    cluster = await startCluster({ brokers: 2, props: { 'log.initial.task.delay.ms': '0', 'log.flush.start.offset.checkpoint.interval.ms': '200' } });
    admin = kafkajs(cluster.bootstrap).admin();
    await admin.connect();
    client = new KafkaClient({ bootstrapServers: cluster.bootstrap, clientId: 'delete-records-test' });
    await admin.createTopics({
      topics: [
        { topic: 'trimmed', numPartitions: 2, replicationFactor: 2 },
        { topic: 'compacted', numPartitions: 1, replicationFactor: 2, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] },
      ],
      waitForLeaders: true,
    });
  });

  after(async () => {
    await admin?.disconnect();
    await client?.close();
    await cluster?.stop();
  });

  test('kafkajs deleteTopicRecords moves the log start offset on the leader and the follower', async () => {
    await produce('trimmed', 0, 100);
    await produce('trimmed', 1, 50);
    // kafkajs looks the leaders up in the metadata it already has before it refreshes it.
    await admin.fetchTopicMetadata({ topics: ['trimmed'] });
    await admin.deleteTopicRecords({
      topic: 'trimmed',
      partitions: [
        { partition: 0, offset: '40' },
        { partition: 1, offset: '-1' },
      ],
    });
    const offsets = await admin.fetchTopicOffsets('trimmed');
    assert.deepEqual(
      offsets.map((o) => [o.partition, o.low, o.high]).sort(),
      [
        [0, '40', '100'],
        [1, '50', '50'],
      ],
    );
    const out = await kcat(['-b', cluster.bootstrap, '-C', '-t', 'trimmed', '-p', '0', '-o', 'beginning', '-e', '-q', '-f', '%o %s\n']);
    assert.equal(out.code, 0, out.stderr);
    const lines = out.stdout.trim().split('\n');
    assert.equal(lines.length, 60);
    assert.equal(lines[0], '40 v40');

    // The answer came after each follower's log start offset reached the new one: its checkpoint shows it.
    for (const [partition, { leader, replicas }] of await layout('trimmed')) {
      const follower = cluster.brokers.find((b) => b.id !== leader && replicas.includes(b.id))!;
      const checkpoint = path.join(follower.logDir, 'log-start-offset-checkpoint');
      const expected = new RegExp(`^trimmed ${partition} ${partition === 0 ? 40 : 50}$`, 'm');
      const deadline = Date.now() + 10_000;
      for (;;) {
        const text = await readFile(checkpoint, 'utf8').catch(() => '');
        if (expected.test(text)) break;
        assert.ok(Date.now() < deadline, `follower ${follower.id} checkpoint: ${text}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  });

  test('the answer waits for a live follower that has not fetched: REQUEST_TIMED_OUT while it is frozen', async () => {
    const { leader, replicas } = (await layout('trimmed')).get(0)!;
    const follower = cluster.brokers.find((b) => b.id !== leader && replicas.includes(b.id))!;
    const conn = await client.connectionTo(leader); // before the freeze: metadata may come from either broker
    process.kill(follower.pid!, 'SIGSTOP');
    try {
      const started = Date.now();
      const response = await conn.request(ApiKeys.DeleteRecords, 2, {
        topics: [{ name: 'trimmed', partitions: [{ partitionIndex: 0, offset: 45 }] }],
        timeoutMs: 1500,
      });
      assert.deepEqual(
        response.topics[0]!.partitions.map((p) => [p.partitionIndex, p.lowWatermark, p.errorCode]),
        [[0, -1, ErrorCode.REQUEST_TIMED_OUT]],
      );
      assert.ok(Date.now() - started >= 1400, 'answered after the timeout');
    } finally {
      process.kill(follower.pid!, 'SIGCONT');
    }
    // The leader's log start offset moved anyway; once the follower fetches again the low watermark follows.
    assert.deepEqual(await deleteRecords(leader, 'trimmed', [[0, 45]]), [[0, 45, ErrorCode.NONE]]);
  });

  test('refusals: above the high watermark, compacted and internal topics, a follower, an unknown partition', async () => {
    const trimmed = await layout('trimmed');
    const leader = trimmed.get(0)!.leader;
    const other = trimmed.get(0)!.replicas.find((id) => id !== leader)!;
    assert.deepEqual(await deleteRecords(leader, 'trimmed', [[0, 101]]), [[0, -1, ErrorCode.OFFSET_OUT_OF_RANGE]]);
    assert.deepEqual(await deleteRecords(leader, 'trimmed', [[0, -7]]), [[0, -1, ErrorCode.OFFSET_OUT_OF_RANGE]]);
    assert.deepEqual(await deleteRecords(other, 'trimmed', [[0, 50]]), [[0, -1, ErrorCode.NOT_LEADER_OR_FOLLOWER]]);
    assert.deepEqual(await deleteRecords(leader, 'trimmed', [[7, 0]]), [[7, -1, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION]]);
    // Below the current log start offset: nothing moves, the low watermark is answered.
    assert.deepEqual(await deleteRecords(leader, 'trimmed', [[0, 10]]), [[0, 45, ErrorCode.NONE]]);

    const compactedLeader = (await layout('compacted')).get(0)!.leader;
    assert.deepEqual(await deleteRecords(compactedLeader, 'compacted', [[0, 0]]), [[0, -1, ErrorCode.POLICY_VIOLATION]]);
    assert.deepEqual(await deleteRecords(leader, '__consumer_offsets', [[0, 0]]), [[0, -1, ErrorCode.INVALID_TOPIC_EXCEPTION]]);
  });

});
