/**
 * Partition reassignment in the controller (KIP-455) against a real ZooKeeper and fake brokers over TCP: the
 * AlterPartitionReassignments steps (RS = TRS + ORS with AR/RR first, LeaderAndIsr with a new epoch, new replicas
 * isNew; then, once the leader wrote the targets into the ISR, a leader from the targets, removed replicas out of
 * the ISR and deleted, RS = TRS), Kafka's refusals, cancellation, the legacy /admin/reassign_partitions node, and
 * resumption by a new controller.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApiKeys, ErrorCode } from '../../src/protocol';
import { ReplicaAssignment } from '../../src/controller/controller-types';
import { CreateMode, ZkSession } from '../../src/zk/zk-session';
import { startZooKeeper, type TestZooKeeper } from '../harness/zookeeper';
import { type ControllerNode, eventually, startNode } from './controller-test-utils';
import { FakeBroker, leaderAndIsrPartitions, stopReplicaPartitions, updateMetadataPartitions } from './fake-broker';

const NONE = { code: ErrorCode.NONE, message: null };

async function setup(zkConnect: string) {
  const node = await startNode(zkConnect, 0);
  const brokers = new Map<number, FakeBroker>();
  for (const id of [1, 2, 3]) {
    const b = new FakeBroker({ id, zkConnect });
    await b.start();
    brokers.set(id, b);
  }
  const tool = await ZkSession.connect({ connectString: zkConnect, sessionTimeoutMs: 10_000 });
  await eventually(() => node.controller.controllerContext.liveBrokerIds.size === 4, 'four live brokers');
  return { node, brokers, tool };
}

const json = async (tool: ZkSession, path: string) => JSON.parse((await tool.getData(path)).data.toString());
const topicZnode = (tool: ZkSession, topic: string) => json(tool, `/brokers/topics/${topic}`);
const stateOf = (tool: ZkSession, topic: string, p = 0) => json(tool, `/brokers/topics/${topic}/partitions/${p}/state`);

/** What a partition leader at IBP < 2.7 does when its ISR changes: a conditional write of the state znode. */
async function leaderWritesIsr(tool: ZkSession, topic: string, isr: number[], p = 0): Promise<void> {
  const path = `/brokers/topics/${topic}/partitions/${p}/state`;
  const { data, stat } = await tool.getData(path);
  await tool.setData(path, Buffer.from(JSON.stringify({ ...JSON.parse(data.toString()), isr })), stat.version);
}

async function createTopic(tool: ZkSession, topic: string, partitions: Record<string, number[]>): Promise<void> {
  await tool.create(`/brokers/topics/${topic}`, Buffer.from(JSON.stringify({ version: 1, partitions })));
  const last = Object.keys(partitions).length - 1;
  await eventually(async () => (await tool.exists(`/brokers/topics/${topic}/partitions/${last}/state`)) !== null, `${topic} online`);
}

const lairFor = (b: FakeBroker, topic: string) =>
  b.requestsOf(ApiKeys.LeaderAndIsr).flatMap((r) => leaderAndIsrPartitions(r)).filter((p) => p.topicName === topic);
const stopsFor = (b: FakeBroker, topic: string) =>
  b.requestsOf(ApiKeys.StopReplica).flatMap((r) => stopReplicaPartitions(r)).filter((p) => p.topicName === topic);

describe('controller: partition reassignment', { timeout: 180_000 }, () => {
  let zk: TestZooKeeper;
  let env: Awaited<ReturnType<typeof setup>>;
  let other: ControllerNode | undefined;
  const b = (id: number) => env.brokers.get(id)!;
  const quiesce = async () => {
    await env.node.controller.runOnEventLoop('quiesce', () => undefined);
    await env.node.controller.awaitChannelIdle();
  };

  before(async () => {
    zk = await startZooKeeper();
    env = await setup(zk.connectString);
  });

  after(async () => {
    await other?.stop();
    for (const fb of env.brokers.values()) await fb.stop();
    await env.node.stop();
    await env.tool.close();
    await zk.stop();
  });

  it('moves a partition from {0,1} to {1,2}: RS = TRS + ORS with AR/RR, then RS = TRS once the targets are in the ISR', async () => {
    const { tool, node } = env;
    const ctl = node.controller;
    await createTopic(tool, 'move', { 0: [0, 1] });
    const topicId = (await topicZnode(tool, 'move')).topic_id;
    await quiesce();
    for (const fb of [node.broker, ...env.brokers.values()]) fb.clear();

    const tp = { topic: 'move', partition: 0 };
    assert.deepEqual(await ctl.alterPartitionReassignments([{ tp, replicas: [1, 2] }]), { partitions: [{ tp, error: NONE }] });
    // U1: the topic znode lists the targets first, then the original replicas that go.
    assert.deepEqual(await topicZnode(tool, 'move'), {
      removing_replicas: { 0: [0] }, partitions: { 0: [1, 2, 0] }, topic_id: topicId, adding_replicas: { 0: [2] }, version: 3,
    });
    // A1: same leader and ISR, next leader epoch.
    assert.deepEqual(await stateOf(tool, 'move'), { controller_epoch: 1, leader: 0, version: 1, leader_epoch: 1, isr: [0, 1] });
    await b(2).waitFor(() => lairFor(b(2), 'move').some((p) => p.isNew), 'LeaderAndIsr (isNew) to the new replica');
    const toNew = lairFor(b(2), 'move').find((p) => p.isNew)!;
    assert.deepEqual([toNew.leader, toNew.leaderEpoch, toNew.isr, toNew.replicas, toNew.addingReplicas, toNew.removingReplicas],
      [0, 1, [0, 1], [1, 2, 0], [2], [0]]);
    await b(1).waitFor(() => lairFor(b(1), 'move').some((p) => p.leaderEpoch === 1 && !p.isNew), 'LeaderAndIsr to an original replica');
    await node.broker.waitFor(() => lairFor(node.broker, 'move').some((p) => p.leaderEpoch === 1 && !p.isNew), 'LeaderAndIsr to the leader');
    assert.deepEqual(await ctl.listPartitionReassignments(null), {
      reassignments: [{ tp, assignment: new ReplicaAssignment([1, 2, 0], [2], [0]) }],
    });
    assert.equal(ctl.controllerContext.partitionsBeingReassigned.has('move-0'), true);

    // The leader takes broker 2 into the ISR; the watch on the state znode completes the reassignment.
    await leaderWritesIsr(tool, 'move', [0, 1, 2]);
    await eventually(async () => (await topicZnode(tool, 'move')).partitions[0].length === 2, 'RS = TRS');
    assert.deepEqual(await topicZnode(tool, 'move'), {
      removing_replicas: {}, partitions: { 0: [1, 2] }, topic_id: topicId, adding_replicas: {}, version: 3,
    });
    // B3 elected broker 1 (epoch 2), B4 took broker 0 out of the ISR (epoch 3).
    assert.deepEqual(await stateOf(tool, 'move'), { controller_epoch: 1, leader: 1, version: 1, leader_epoch: 3, isr: [1, 2] });
    await node.broker.waitFor(() => stopsFor(node.broker, 'move').some((p) => p.deletePartition), 'StopReplica(delete) to broker 0');
    assert.deepEqual(stopsFor(node.broker, 'move').map((p) => p.deletePartition), [false, true]);
    await b(3).waitFor(() => b(3).requestsOf(ApiKeys.UpdateMetadata).some((r) => updateMetadataPartitions(r).some((p) =>
      p.topicName === 'move' && p.replicas.join() === '1,2' && p.leader === 1)), 'UpdateMetadata with the new replicas');
    assert.deepEqual(await ctl.listPartitionReassignments(null), { reassignments: [] });
    assert.deepEqual(ctl.controllerContext.partitionReplicaAssignment(tp), [1, 2]);
    const log = node.logging.lines('kafka.controller.KafkaController', ['info']);
    assert.ok(log.includes('[Controller id=0] Target replicas List(1, 2) have all caught up with the leader for reassigning partition move-0'));
    assert.ok(log.includes('[Controller id=0] Leader 0 for partition move-0 being reassigned, is not in the new list of replicas 1,2. Re-electing leader'));
    assert.ok(log.includes('[Controller id=0] Successfully updated assignment of partition move-0 to ReplicaAssignment(replicas=1,2, addingReplicas=, removingReplicas=)'));
    assert.ok(node.logging.lines('state.change.logger', ['info']).some((l) => l.startsWith('[Controller id=0 epoch=1] Sent LeaderAndIsr request ' +
      '(Leader:0,ISR:0,1,LeaderRecoveryState:RECOVERED,LeaderEpoch:1,ControllerEpoch:1) with new replica assignment ' +
      'ReplicaAssignment(replicas=1,2,0, addingReplicas=2, removingReplicas=0) to leader 0 for partition being reassigned move-0')));
  });

  it('refuses what Kafka refuses, per partition', async () => {
    const { tool, node } = env;
    await createTopic(tool, 'val', { 0: [1, 2], 1: [2, 3] });
    const ctl = node.controller;
    const one = async (partition: number, replicas: number[] | null) => {
      const r = await ctl.alterPartitionReassignments([{ tp: { topic: 'val', partition }, replicas }]);
      assert.ok('partitions' in r);
      return r.partitions[0]!.error;
    };
    const invalid = (message: string) => ({ code: ErrorCode.INVALID_REPLICA_ASSIGNMENT, message });
    assert.deepEqual(await one(0, []), invalid('Empty replica list specified in partition reassignment.'));
    assert.deepEqual(await one(0, [1, 1]), invalid('Duplicate replica ids in partition reassignment replica list: ArrayBuffer(1, 1)'));
    assert.deepEqual(await one(0, [-1, 2]), invalid('Invalid broker id in replica list: ArrayBuffer(-1, 2)'));
    assert.deepEqual(await one(0, [1, 9]), invalid('Replica assignment has brokers that are not alive. Replica list: ArrayBuffer(9), ' +
      'live broker list: Set(0, 1, 2, 3)'));
    assert.deepEqual(await one(7, [1, 2]), { code: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, message: 'The partition does not exist.' });
    assert.deepEqual(await one(1, null), { code: ErrorCode.NO_REASSIGNMENT_IN_PROGRESS, message: 'No partition reassignment is in progress.' });
    // Nothing was written.
    assert.deepEqual((await topicZnode(tool, 'val')).partitions, { 0: [1, 2], 1: [2, 3] });
    // A broker that is not the controller answers NOT_CONTROLLER for the whole request.
    other = await startNode(zk.connectString, 4);
    assert.equal(other.controller.isActive, false);
    const notController = { error: { code: ErrorCode.NOT_CONTROLLER, message: 'This is not the correct controller for this cluster.' } };
    assert.deepEqual(await other.controller.alterPartitionReassignments([{ tp: { topic: 'val', partition: 0 }, replicas: [1, 2] }]), notController);
    assert.deepEqual(await other.controller.listPartitionReassignments(null), notController);
    await other.stop();
    other = undefined;
    await eventually(() => !node.controller.controllerContext.liveOrShuttingDownBrokerIds.has(4), 'node 4 gone');
  });

  it('cancels a reassignment: the original replicas stay, the added one is stopped and deleted', async () => {
    const { tool, node } = env;
    const ctl = node.controller;
    await createTopic(tool, 'cancel', { 0: [1, 2] });
    const tp = { topic: 'cancel', partition: 0 };
    assert.deepEqual(await ctl.alterPartitionReassignments([{ tp, replicas: [2, 3] }]), { partitions: [{ tp, error: NONE }] });
    assert.deepEqual((await topicZnode(tool, 'cancel')).adding_replicas, { 0: [3] });
    await quiesce();
    b(3).clear();
    assert.deepEqual(await ctl.alterPartitionReassignments([{ tp, replicas: null }]), { partitions: [{ tp, error: NONE }] });
    // RS - AR, in RS order (Kafka cannot restore the original order once targets went first).
    const znode = await topicZnode(tool, 'cancel');
    assert.deepEqual([znode.partitions, znode.adding_replicas, znode.removing_replicas], [{ 0: [2, 1] }, {}, {}]);
    await b(3).waitFor(() => stopsFor(b(3), 'cancel').some((p) => p.deletePartition), 'StopReplica(delete) to the cancelled replica');
    assert.deepEqual(await ctl.listPartitionReassignments([tp]), { reassignments: [] });
    assert.equal((await stateOf(tool, 'cancel')).leader, 1);
  });

  it('/admin/reassign_partitions: entries start, failed ones and then finished ones are removed, the node goes when empty', async () => {
    const { tool, node } = env;
    await createTopic(tool, 'zk', { 0: [1, 2], 1: [1, 2] });
    await tool.create('/admin/reassign_partitions', Buffer.from(JSON.stringify({ version: 1, partitions: [
      { topic: 'zk', partition: 0, replicas: [2, 3] },
      { topic: 'nope', partition: 0, replicas: [1, 2] },
      { topic: 'zk', partition: 1, replicas: [3, 1] },
    ] })));
    await eventually(async () => (await topicZnode(tool, 'zk')).adding_replicas[1]?.join() === '3', 'zk-0 and zk-1 started');
    assert.deepEqual((await topicZnode(tool, 'zk')).adding_replicas, { 0: [3], 1: [3] });
    // The entry that could not start is removed; the running ones stay.
    await eventually(async () => (await json(tool, '/admin/reassign_partitions')).partitions.length === 2, 'failed entry removed');
    assert.deepEqual(await json(tool, '/admin/reassign_partitions'), { version: 1, partitions: [
      { topic: 'zk', partition: 0, replicas: [2, 3] }, { topic: 'zk', partition: 1, replicas: [3, 1] },
    ] });
    // An API reassignment of a listed partition supersedes its entry (here: back to the original replicas).
    const tp1 = { topic: 'zk', partition: 1 };
    assert.deepEqual(await node.controller.alterPartitionReassignments([{ tp: tp1, replicas: [1, 2] }]), { partitions: [{ tp: tp1, error: NONE }] });
    assert.deepEqual(await json(tool, '/admin/reassign_partitions'), { version: 1, partitions: [{ topic: 'zk', partition: 0, replicas: [2, 3] }] });
    assert.deepEqual((await topicZnode(tool, 'zk')).partitions[1], [1, 2]);
    // zk-0 completes: its entry was the last, so the node is deleted...
    await leaderWritesIsr(tool, 'zk', [1, 2, 3]);
    await eventually(async () => (await tool.exists('/admin/reassign_partitions')) === null, 'node deleted');
    assert.deepEqual((await topicZnode(tool, 'zk')).partitions[0], [2, 3]);
    // ...and its existence watch re-armed: the next request is seen.
    await tool.create('/admin/reassign_partitions', Buffer.from(JSON.stringify({ version: 1, partitions: [
      { topic: 'zk', partition: 1, replicas: [2, 3] },
    ] })));
    await eventually(async () => (await topicZnode(tool, 'zk')).adding_replicas[1]?.join() === '3', 'second request started');
    await leaderWritesIsr(tool, 'zk', [1, 2, 3], 1);
    await eventually(async () => (await tool.exists('/admin/reassign_partitions')) === null, 'second node deleted');
    assert.deepEqual((await topicZnode(tool, 'zk')).partitions, { 0: [2, 3], 1: [2, 3] });
  });

  it('an ISR change notification naming a reassigning partition completes it too', async () => {
    const { tool, node } = env;
    await createTopic(tool, 'notify', { 0: [1, 2] });
    const tp = { topic: 'notify', partition: 0 };
    assert.deepEqual(await node.controller.alterPartitionReassignments([{ tp, replicas: [1, 3] }]), { partitions: [{ tp, error: NONE }] });
    // The state watch is dropped here so that only the notification can tell the controller (the events of the
    // controller's own state writes are let through first).
    const settle = async () => {
      await quiesce();
      await new Promise((r) => setTimeout(r, 300));
      await quiesce();
    };
    await settle();
    node.session.unregisterZNodeChangeHandler('/brokers/topics/notify/partitions/0/state');
    await leaderWritesIsr(tool, 'notify', [1, 2, 3]);
    await settle();
    assert.deepEqual((await topicZnode(tool, 'notify')).partitions[0], [1, 3, 2]);
    await tool.create('/isr_change_notification/isr_change_', Buffer.from('{"version":1,"partitions":[{"topic":"notify","partition":0}]}'),
      CreateMode.PERSISTENT_SEQUENTIAL);
    await eventually(async () => (await topicZnode(tool, 'notify')).partitions[0].join() === '1,3', 'completed by the notification');
    assert.deepEqual(await stateOf(tool, 'notify'), { controller_epoch: 1, leader: 1, version: 1, leader_epoch: 3, isr: [1, 3] });
  });
});

describe('controller: a reassignment in flight survives controller failover', { timeout: 180_000 }, () => {
  let zk: TestZooKeeper;
  let env: Awaited<ReturnType<typeof setup>>;
  let next: ControllerNode | undefined;

  before(async () => {
    zk = await startZooKeeper();
    env = await setup(zk.connectString);
  });

  after(async () => {
    await next?.stop();
    for (const fb of env.brokers.values()) await fb.stop();
    await env.node.stop();
    await env.tool.close();
    await zk.stop();
  });

  it('the new controller resumes it from the topic znode (adding/removing) and completes it', async () => {
    const { tool, node } = env;
    await createTopic(tool, 'fo', { 0: [1, 2] });
    const tp = { topic: 'fo', partition: 0 };
    assert.deepEqual(await node.controller.alterPartitionReassignments([{ tp, replicas: [2, 3] }]), { partitions: [{ tp, error: NONE }] });
    const epochBefore = (await stateOf(tool, 'fo')).leader_epoch;
    next = await startNode(zk.connectString, 4);
    await node.stop();
    await eventually(() => next!.controller.isActive, 'node 4 elected');
    // Resuming repeats A1 with the new controller's epoch: a new leader epoch and LeaderAndIsr (isNew) to broker 3.
    const b3 = env.brokers.get(3)!;
    await b3.waitFor(() => lairFor(b3, 'fo').some((p) => p.isNew && p.controllerEpoch === 2), 'LeaderAndIsr from the new controller');
    assert.equal((await stateOf(tool, 'fo')).leader_epoch, epochBefore + 1);
    assert.deepEqual(await next.controller.listPartitionReassignments(null), {
      reassignments: [{ tp, assignment: new ReplicaAssignment([2, 3, 1], [3], [1]) }],
    });
    await leaderWritesIsr(tool, 'fo', [1, 2, 3]);
    await eventually(async () => (await topicZnode(tool, 'fo')).partitions[0].join() === '2,3', 'completed by the new controller');
    const done = await topicZnode(tool, 'fo');
    assert.deepEqual([done.adding_replicas, done.removing_replicas], [{}, {}]);
    assert.deepEqual(await stateOf(tool, 'fo'), { controller_epoch: 2, leader: 2, version: 1, leader_epoch: epochBefore + 3, isr: [2, 3] });
    const b1 = env.brokers.get(1)!;
    await b1.waitFor(() => stopsFor(b1, 'fo').some((p) => p.deletePartition), 'StopReplica(delete) to the removed replica');
  });
});
