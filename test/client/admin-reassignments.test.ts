// The Admin client's reassignment, election and config calls against a real two-broker cluster with a real
// ZooKeeper: per-partition and per-resource results with Kafka's error codes (AlterPartitionReassignments,
// ListPartitionReassignments, ElectLeaders, IncrementalAlterConfigs with SET/APPEND/SUBTRACT/DELETE and
// validateOnly, AlterConfigs), and describeCluster. A reassignment held pending is in
// test/tools/kafka-topics-reassignment.test.ts.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Admin, AlterConfigOpType, ConfigResourceType, ElectionType } from '../../src/client/admin';
import { ErrorCode } from '../../src/protocol';
import { type AdminCluster, startAdminCluster } from './admin-cluster';
import { eventually } from '../harness/eventually';

let admin: Admin;
let running: AdminCluster | undefined;

before(async () => {
  running = await startAdminCluster(2, { clientId: 'admin-calls-test' });
  ({ admin } = running);
});

after(async () => {
  await running?.stop();
});

describe('Admin client: reassignment, election and config calls', () => {
  test('alterPartitionReassignments reports each partition, errors as Kafka error codes', async () => {
    const [created] = await admin.createTopics([{ name: 'admin-calls', replicaAssignment: [[0, 1], [1, 0]] }]);
    assert.equal(created!.error, null);
    const results = await admin.alterPartitionReassignments([
      { topic: 'admin-calls', partition: 0, replicas: [0, 1] },
      { topic: 'admin-calls', partition: 7, replicas: [0, 1] },
      { topic: 'admin-calls', partition: 1, replicas: null },
    ]);
    assert.deepEqual(results.map((r) => [r.topic, r.partition, r.error?.code ?? 0]), [
      ['admin-calls', 0, 0],
      ['admin-calls', 7, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION],
      // Cancelling a partition that is not being reassigned.
      ['admin-calls', 1, ErrorCode.NO_REASSIGNMENT_IN_PROGRESS],
    ]);
    assert.equal(results[1]!.error!.errorName, 'UNKNOWN_TOPIC_OR_PARTITION');
  });

  test('electLeaders: preferred elections per partition, ELECTION_NOT_NEEDED when the preferred one leads', async () => {
    await eventually(
      () => admin.describeTopics(['admin-calls']),
      ([d]) => d!.partitions.every((p) => p.isr.length === 2 && p.leader === p.replicas[0]),
      { ignoreErrors: true, what: 'the preferred leaders' },
    );
    const results = await admin.electLeaders(ElectionType.PREFERRED, [
      { topic: 'admin-calls', partition: 0 },
      { topic: 'admin-calls', partition: 1 },
      { topic: 'no-such-topic', partition: 0 },
    ]);
    const byName = new Map(results.map((r) => [`${r.topic}-${r.partition}`, r.error?.code ?? 0]));
    assert.equal(byName.get('admin-calls-0'), ErrorCode.ELECTION_NOT_NEEDED);
    assert.equal(byName.get('admin-calls-1'), ErrorCode.ELECTION_NOT_NEEDED);
    assert.equal(byName.get('no-such-topic-0'), ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  });

  test('incrementalAlterConfigs: SET, APPEND, SUBTRACT, DELETE and validateOnly, per resource', async () => {
    const topic = { type: ConfigResourceType.TOPIC, name: 'admin-calls' };
    const value = async (name: string) => {
      const [r] = await admin.describeConfigs([{ ...topic, configNames: [name] }]);
      const e = r!.entries.find((x) => x.name === name)!;
      return { value: e.value, isDefault: e.isDefault };
    };
    const set = await admin.incrementalAlterConfigs([
      { ...topic, configs: [{ name: 'retention.ms', op: AlterConfigOpType.SET, value: '3600000' }] },
      { type: ConfigResourceType.TOPIC, name: 'no-such-topic', configs: [{ name: 'retention.ms', op: AlterConfigOpType.SET, value: '1' }] },
    ]);
    assert.equal(set[0]!.error, null);
    assert.equal(set[1]!.error?.code, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
    assert.deepEqual(await value('retention.ms'), { value: '3600000', isDefault: false });

    const dryRun = await admin.incrementalAlterConfigs(
      [{ ...topic, configs: [{ name: 'retention.ms', op: AlterConfigOpType.SET, value: '60000' }] }],
      { validateOnly: true },
    );
    assert.equal(dryRun[0]!.error, null);
    assert.deepEqual(await value('retention.ms'), { value: '3600000', isDefault: false });

    const appended = await admin.incrementalAlterConfigs([
      { ...topic, configs: [{ name: 'cleanup.policy', op: AlterConfigOpType.APPEND, value: 'compact' }] },
    ]);
    assert.equal(appended[0]!.error, null);
    assert.equal((await value('cleanup.policy')).value, 'delete,compact');
    await admin.incrementalAlterConfigs([{ ...topic, configs: [{ name: 'cleanup.policy', op: AlterConfigOpType.SUBTRACT, value: 'delete' }] }]);
    assert.equal((await value('cleanup.policy')).value, 'compact');

    const bad = await admin.incrementalAlterConfigs([{ ...topic, configs: [{ name: 'retention.ms', op: AlterConfigOpType.SET, value: 'soon' }] }]);
    // ZkAdminManager turns the ConfigException into an InvalidRequestException.
    assert.equal(bad[0]!.error?.code, ErrorCode.INVALID_REQUEST);

    await admin.incrementalAlterConfigs([
      { ...topic, configs: [
        { name: 'retention.ms', op: AlterConfigOpType.DELETE, value: null },
        { name: 'cleanup.policy', op: AlterConfigOpType.DELETE, value: null },
      ] },
    ]);
    assert.deepEqual(await value('retention.ms'), { value: '604800000', isDefault: true });
  });

  test('listPartitionReassignments lists a running move and nothing once it completed', async () => {
    const [created] = await admin.createTopics([{ name: 'moved', replicaAssignment: [[0]] }]);
    assert.equal(created!.error, null);
    assert.deepEqual(await admin.listPartitionReassignments([{ topic: 'moved', partition: 0 }]), []);
    const [started] = await admin.alterPartitionReassignments([{ topic: 'moved', partition: 0, replicas: [1] }]);
    assert.equal(started!.error, null);
    await eventually(() => admin.listPartitionReassignments(null), (l) => l.length === 0, { ignoreErrors: true, what: 'the move to complete' });
    const [d] = await admin.describeTopics(['moved']);
    assert.deepEqual(d!.partitions[0]!.replicas, [1]);
  });

  test('alterConfigs replaces a broker\'s dynamic configs; the cluster default goes to any broker', async () => {
    const broker = { type: ConfigResourceType.BROKER, name: '1' };
    const [set] = await admin.alterConfigs([{ ...broker, configs: [{ name: 'log.retention.ms', value: '7200000' }] }]);
    assert.equal(set!.error, null);
    // The broker applies it once ZooKeeper notified it of the change.
    const value = async () => (await admin.describeConfigs([{ ...broker, configNames: ['log.retention.ms'] }]))[0]!.entries[0]!.value;
    await eventually(value, (v) => v === '7200000', { ignoreErrors: true, what: 'the new value on broker 1' });
    const [cleared] = await admin.alterConfigs([{ ...broker, configs: [] }]);
    assert.equal(cleared!.error, null);
    await eventually(value, (v) => v === null, { ignoreErrors: true, what: 'the dynamic value removed' });
    const [clusterDefault] = await admin.describeConfigs([{ type: ConfigResourceType.BROKER, name: '' }]);
    assert.equal(clusterDefault!.error, null);
  });

  test('describeCluster lists the brokers and the controller', async () => {
    const d = await admin.describeCluster();
    assert.deepEqual(d.brokers.map((b) => b.nodeId), [0, 1]);
    assert.ok([0, 1].includes(d.controllerId));
    assert.equal(typeof d.clusterId, 'string');
  });
});
