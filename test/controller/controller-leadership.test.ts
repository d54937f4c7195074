/**
 * Leadership moves on request: ISR change notifications, preferred replica election through
 * /admin/preferred_replica_election, ControlledShutdown, and the auto leader rebalance task.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { StaleBrokerEpochError } from '../../src/common/kafka-error';
import { BrokerNotAvailableError } from '../../src/controller/leader-election-handler';
import { ApiKeys } from '../../src/protocol';
import { ControllerMovedError } from '../../src/zk/zk-errors';
import { CreateMode, ZkSession } from '../../src/zk/zk-session';
import { startZooKeeper, type TestZooKeeper } from '../harness/zookeeper';
import { type ControllerNode, eventually, startNode } from './controller-test-utils';
import { FakeBroker, leaderAndIsrPartitions, stopReplicaPartitions, updateMetadataPartitions } from './fake-broker';

async function setup(zkConnect: string, props: Record<string, string> = {}) {
  const node = await startNode(zkConnect, 0, props);
  const brokers: FakeBroker[] = [];
  for (const id of [1, 2]) {
    const b = new FakeBroker({ id, zkConnect });
    await b.start();
    brokers.push(b);
  }
  const tool = await ZkSession.connect({ connectString: zkConnect, sessionTimeoutMs: 10_000 });
  await eventually(() => node.controller.controllerContext.liveBrokerIds.size === 3, 'three live brokers');
  return { node, b1: brokers[0]!, b2: brokers[1]!, tool, brokers };
}

const stateOf = async (tool: ZkSession, topic: string, p = 0) =>
  JSON.parse((await tool.getData(`/brokers/topics/${topic}/partitions/${p}/state`)).data.toString());

/** Writes a partition state as a leader at IBP < 2.7 would (conditional on the current version). */
async function leaderWritesIsr(tool: ZkSession, topic: string, isr: number[]): Promise<void> {
  const path = `/brokers/topics/${topic}/partitions/0/state`;
  const { data, stat } = await tool.getData(path);
  const s = JSON.parse(data.toString());
  await tool.setData(path, Buffer.from(JSON.stringify({ ...s, isr })), stat.version);
}

describe('controller: ISR notifications, preferred election, controlled shutdown', { timeout: 180_000 }, () => {
  let zk: TestZooKeeper;
  let env: Awaited<ReturnType<typeof setup>>;
  let other: ControllerNode;

  before(async () => {
    zk = await startZooKeeper();
    env = await setup(zk.connectString);
    // Broker 1 led 'pref-0' until it died; it came back but is not the leader any more.
    await env.tool.create('/brokers/topics/pref', Buffer.from('{"version":1,"partitions":{"0":[1,2]}}'));
    await eventually(async () => (await env.tool.exists('/brokers/topics/pref/partitions/0/state')) !== null, 'pref online');
    await env.b1.killSession();
    await eventually(async () => (await stateOf(env.tool, 'pref')).leader === 2, 'pref-0 led by broker 2');
    await env.b1.register();
    await eventually(() => env.node.controller.controllerContext.liveBrokerIds.has(1), 'broker 1 back');
  });

  after(async () => {
    await other?.stop();
    for (const b of env.brokers) await b.stop();
    await env.node.stop();
    await env.tool.close();
    await zk.stop();
  });

  it('an ISR change notification refreshes the cached state, sends UpdateMetadata and is deleted', async () => {
    await env.node.controller.runOnEventLoop('quiesce', () => undefined);
    await env.node.controller.awaitChannelIdle();
    env.b2.clear();
    await leaderWritesIsr(env.tool, 'pref', [2, 1]);
    await env.tool.create('/isr_change_notification/isr_change_', Buffer.from('{"version":1,"partitions":[{"topic":"pref","partition":0}]}'),
      CreateMode.PERSISTENT_SEQUENTIAL);
    await eventually(async () => (await env.tool.getChildren('/isr_change_notification')).length === 0, 'notification deleted');
    await env.b2.waitFor(() => env.b2.requestsOf(ApiKeys.UpdateMetadata).some((r) =>
      updateMetadataPartitions(r).some((p) => p.topicName === 'pref' && p.isr.join() === '2,1')), 'UpdateMetadata with the new ISR');
    assert.deepEqual(env.node.controller.controllerContext.partitionLeadershipInfo({ topic: 'pref', partition: 0 })?.leaderAndIsr.isr, [2, 1]);
  });

  it('/admin/preferred_replica_election moves leadership back to the preferred replica, then is deleted', async () => {
    env.b1.clear();
    const before = await stateOf(env.tool, 'pref');
    await env.tool.create('/admin/preferred_replica_election', Buffer.from('{"version":1,"partitions":[{"topic":"pref","partition":0}]}'));
    await eventually(async () => (await env.tool.exists('/admin/preferred_replica_election')) === null, 'request deleted');
    const after = await stateOf(env.tool, 'pref');
    assert.deepEqual(after, { ...before, leader: 1, leader_epoch: before.leader_epoch + 1 });
    await env.b1.waitFor(() => env.b1.requestsOf(ApiKeys.LeaderAndIsr).some((r) =>
      leaderAndIsrPartitions(r).some((p) => p.topicName === 'pref' && p.leader === 1)), 'LeaderAndIsr to the new leader');
    assert.ok(env.node.logging.lines('kafka.controller.KafkaController', ['info']).includes(
      '[Controller id=0] Partition pref-0 completed preferred replica leader election. New leader is 1'));
    // The watch was re-armed: a second request (nothing to do this time) is also processed and removed.
    await env.tool.create('/admin/preferred_replica_election', Buffer.from('{"version":1,"partitions":[{"topic":"pref","partition":0}]}'));
    await eventually(async () => (await env.tool.exists('/admin/preferred_replica_election')) === null, 'second request deleted');
    assert.equal((await stateOf(env.tool, 'pref')).leader_epoch, after.leader_epoch, 'no election needed');
  });

  it('ControlledShutdown moves leadership off the broker and takes it out of the ISRs it follows', async () => {
    await env.tool.create('/brokers/topics/cs', Buffer.from('{"version":1,"partitions":{"0":[1,2],"1":[2,1],"2":[1]}}'));
    await eventually(async () => (await env.tool.exists('/brokers/topics/cs/partitions/2/state')) !== null, 'cs online');
    env.b1.clear();
    const ctl = env.node.controller;
    await assert.rejects(ctl.controlledShutdown(1, env.b1.brokerEpoch - 1), StaleBrokerEpochError);
    await assert.rejects(ctl.controlledShutdown(9, -1), BrokerNotAvailableError);
    const remaining = await ctl.controlledShutdown(1, env.b1.brokerEpoch);
    assert.deepEqual(remaining, [], 'cs-2 has a single replica and is not counted');
    assert.deepEqual(await stateOf(env.tool, 'cs', 0), { controller_epoch: 1, leader: 2, version: 1, leader_epoch: 1, isr: [2] });
    assert.deepEqual(await stateOf(env.tool, 'cs', 1), { controller_epoch: 1, leader: 2, version: 1, leader_epoch: 1, isr: [2] });
    assert.equal((await stateOf(env.tool, 'cs', 2)).leader, 1);
    assert.deepEqual(await stateOf(env.tool, 'pref', 0).then((s) => [s.leader, s.isr]), [2, [2]]);
    // As a follower of cs-1 it got StopReplica(delete=false).
    await env.b1.waitFor(() => env.b1.requestsOf(ApiKeys.StopReplica).some((r) =>
      stopReplicaPartitions(r).some((p) => p.topicName === 'cs' && p.partitionIndex === 1 && !p.deletePartition)), 'StopReplica(cs-1)');
    assert.ok(ctl.controllerContext.shuttingDownBrokerIds.has(1));
  });

  it('ControlledShutdown sent to a broker that is not the controller fails with ControllerMovedError', async () => {
    other = await startNode(zk.connectString, 3);
    assert.equal(other.controller.isActive, false);
    await assert.rejects(other.controller.controlledShutdown(1, -1), ControllerMovedError);
  });
});

describe('controller: auto leader rebalance', { timeout: 180_000 }, () => {
  let zk: TestZooKeeper;
  let env: Awaited<ReturnType<typeof setup>>;

  before(async () => {
    zk = await startZooKeeper();
    env = await setup(zk.connectString, {
      'auto.leader.rebalance.enable': 'true', 'leader.imbalance.check.interval.seconds': '1',
    });
  });

  after(async () => {
    for (const b of env.brokers) await b.stop();
    await env.node.stop();
    await env.tool.close();
    await zk.stop();
  });

  it('moves leadership back to preferred replicas that are in the ISR', async () => {
    await env.tool.create('/brokers/topics/auto', Buffer.from('{"version":1,"partitions":{"0":[1,2]}}'));
    await eventually(async () => (await env.tool.exists('/brokers/topics/auto/partitions/0/state')) !== null, 'auto online');
    await env.b1.killSession();
    await eventually(async () => (await stateOf(env.tool, 'auto')).leader === 2, 'auto-0 led by broker 2');
    await env.b1.register();
    await leaderWritesIsr(env.tool, 'auto', [2, 1]);
    // The controller learns the ISR through the notification a leader at IBP < 2.7 writes.
    await env.tool.create('/isr_change_notification/isr_change_', Buffer.from('{"version":1,"partitions":[{"topic":"auto","partition":0}]}'),
      CreateMode.PERSISTENT_SEQUENTIAL);
    await eventually(async () => (await stateOf(env.tool, 'auto')).leader === 1, 'leadership back on broker 1', 20_000);
    assert.ok(env.node.logging.lines('kafka.controller.KafkaController', ['info']).includes(
      '[Controller id=0] Processing automatic preferred replica leader election'));
  });
});
