// kafka-topics --describe while a reassignment is in progress, on a real three-broker cluster with a real
// ZooKeeper: the partition is moved from {0,1} to {1,2} with broker 2 stopped, so the move stays pending; both
// --bootstrap-server (ListPartitionReassignments) and --zookeeper (the topic znode's adding/removing replicas)
// print Kafka 3.9's "Adding Replicas"/"Removing Replicas" fields and the target replication factor. Once broker
// 2 is back the move completes and the fields disappear.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Admin } from '../../src/client/admin';
import { kafkaTopicsMain } from '../../src/tools/kafka-topics';
import type { Cluster } from '../harness/cluster';
import { type AdminCluster, startAdminCluster } from '../client/admin-cluster';
import { runToolMain } from './bin-runner';
import { eventually } from '../harness/eventually';

let cluster: Cluster;
let admin: Admin;
let running: AdminCluster | undefined;

const topics = (...args: string[]) => runToolMain(kafkaTopicsMain, args);

before(async () => {
  running = await startAdminCluster(3, { clientId: 'reassignment-describe-test' });
  ({ cluster, admin } = running);
});

after(async () => {
  await running?.stop();
});

describe('kafka-topics --describe during a reassignment', () => {
  const bs = () => ['--bootstrap-server', cluster.brokers[0]!.bootstrap];
  const zk = () => ['--zookeeper', cluster.zk.connectString];

  test('prints Adding/Removing Replicas while the move is pending, and not after it completed', async () => {
    const created = await topics(...bs(), '--create', '--topic', 'moving', '--replica-assignment', '0:1');
    assert.equal(created.code, 0, created.out + created.err);
    await eventually(() => admin.describeTopics(['moving']), ([d]) => d!.partitions[0]!.isr.length === 2, { ignoreErrors: true, what: 'both replicas in sync' });

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
      { ignoreErrors: true, what: 'the reassignment to be listed' },
    );
    assert.deepEqual(ongoing, { topic: 'moving', partition: 0, replicas: [1, 2, 0], addingReplicas: [2], removingReplicas: [0] });

    for (const mode of [bs(), zk()]) {
      // The brokers learn the new replica set (UpdateMetadata) a little after the controller wrote it.
      const d = await eventually(
        () => topics(...mode, '--describe', '--topic', 'moving'),
        (r) => r.code === 0 && /\tReplicas: 1,2,0\t/.test(r.out),
        { ignoreErrors: true, what: `${mode[0]}: the replicas during the move` },
      );
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
    await eventually(() => admin.listPartitionReassignments(null), (l) => l.length === 0, { ignoreErrors: true, what: 'the reassignment to complete' });
    for (const mode of [bs(), zk()]) {
      const d = await eventually(
        () => topics(...mode, '--describe', '--topic', 'moving'),
        // The brokers' metadata follows the controller's last steps (new leader, old replica dropped) a little later.
        (r) => /\tReplicas: 1,2\tIsr: [12],[12]\t/.test(r.out),
        { ignoreErrors: true, what: 'the final replicas, both in sync' },
      );
      const [topicLine, partitionLine] = d.out.split('\n');
      assert.match(topicLine!, /\tReplicationFactor: 2\t/);
      assert.match(partitionLine!, /^\tTopic: moving\tPartition: 0\tLeader: [12]\tReplicas: 1,2\tIsr: [12],[12]\tElr: N\/A\tLastKnownElr: N\/A$/);
      assert.doesNotMatch(d.out, /Adding Replicas|Removing Replicas/);
    }
  });
});
