// kafka-topics --describe while a reassignment is in progress, on a real three-broker cluster with a real
// ZooKeeper: the partition is moved from {0,1} to {1,2} with broker 2 stopped, so the move stays pending; both
// --bootstrap-server (ListPartitionReassignments) and --zookeeper (the topic znode's adding/removing replicas)
// print Kafka 3.9's "Adding Replicas"/"Removing Replicas" fields and the target replication factor. Once broker
// 2 is back the move completes and the fields disappear.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Admin } from '../../src/client/admin';
import { KafkaClient } from '../../src/client/kafka-client';
import { kafkaTopicsMain } from '../../src/tools/kafka-topics';
import { startCluster, type Cluster } from '../harness/cluster';

let cluster: Cluster;
let client: KafkaClient;
let admin: Admin;

async function topics(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await kafkaTopicsMain(args, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

async function eventually<T>(fn: () => Promise<T>, check: (v: T) => boolean, what: string, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    last = await fn().catch(() => undefined);
    if (last !== undefined && check(last)) return last;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

before(async () => {
  cluster = await startCluster({ brokers: 3 });
  client = new KafkaClient({ bootstrapServers: cluster.bootstrap, clientId: 'reassignment-describe-test' });
  admin = new Admin(client, { defaultApiTimeoutMs: 30_000 });
});

after(async () => {
  await client?.close();
  await cluster?.stop();
});

describe('kafka-topics --describe during a reassignment', () => {
  const bs = () => ['--bootstrap-server', cluster.brokers[0]!.bootstrap];
  const zk = () => ['--zookeeper', cluster.zk.connectString];

  test('prints Adding/Removing Replicas while the move is pending, and not after it completed', async () => {
    const created = await topics(...bs(), '--create', '--topic', 'moving', '--replica-assignment', '0:1');
    assert.equal(created.code, 0, created.out + created.err);
    await eventually(() => admin.describeTopics(['moving']), ([d]) => d!.partitions[0]!.isr.length === 2, 'both replicas in sync');

    // The controller only accepts new replicas on live (registered) brokers, and an idle partition is caught up at
    // the first fetch: broker 2 is frozen while the move is submitted, then stopped for good (SIGKILL, the one
    // signal a frozen process obeys) so the reassignment stays pending while we describe.
    const target = cluster.brokers[2]!;
    process.kill(target.pid!, 'SIGSTOP');
    try {
      const [started] = await admin.alterPartitionReassignments([{ topic: 'moving', partition: 0, replicas: [1, 2] }]);
      assert.equal(started!.error, null);
    } finally {
      await target.kill();
    }
    const [ongoing] = await eventually(
      () => admin.listPartitionReassignments([{ topic: 'moving', partition: 0 }]),
      (l) => l.length === 1,
      'the reassignment to be listed',
    );
    assert.deepEqual(ongoing, { topic: 'moving', partition: 0, replicas: [1, 2, 0], addingReplicas: [2], removingReplicas: [0] });

    for (const mode of [bs(), zk()]) {
      const d = await topics(...mode, '--describe', '--topic', 'moving');
      assert.equal(d.code, 0, d.out + d.err);
      const [topicLine, partitionLine] = d.out.split('\n');
      // The replication factor is the target's (3 replicas, 1 being added).
      assert.match(topicLine!, /^Topic: moving\tTopicId: \S+\tPartitionCount: 1\tReplicationFactor: 2\tConfigs: /);
      assert.match(
        partitionLine!,
        /^\tTopic: moving\tPartition: 0\tLeader: [01]\tReplicas: 1,2,0\tIsr: [01],[01]\tAdding Replicas: 2\tRemoving Replicas: 0\tElr: N\/A\tLastKnownElr: N\/A$/,
        `${mode[0]}: ${partitionLine}`,
      );
      // Two of the two target replicas in sync: not under-replicated, as Kafka's TopicCommand judges it.
      const under = await topics(...mode, '--describe', '--topic', 'moving', '--under-replicated-partitions');
      assert.equal(under.out, '', mode[0]);
    }

    await target.start();
    await eventually(() => admin.listPartitionReassignments(null), (l) => l.length === 0, 'the reassignment to complete');
    for (const mode of [bs(), zk()]) {
      const d = await eventually(
        () => topics(...mode, '--describe', '--topic', 'moving'),
        (r) => /Isr: [12],[12]\t/.test(r.out),
        'the new replica in the ISR',
      );
      const [topicLine, partitionLine] = d.out.split('\n');
      assert.match(topicLine!, /\tReplicationFactor: 2\t/);
      assert.match(partitionLine!, /^\tTopic: moving\tPartition: 0\tLeader: [12]\tReplicas: 1,2\tIsr: [12],[12]\tElr: N\/A\tLastKnownElr: N\/A$/);
      assert.doesNotMatch(d.out, /Adding Replicas|Removing Replicas/);
    }
  });
});
