/**
 * ElectLeaders in the controller (KIP-460) against a real ZooKeeper and fake brokers: PREFERRED moves leadership
 * back to the first replica when it is live and in the ISR, UNCLEAN elects a live replica outside the ISR where
 * no ISR member is alive (leader recovery state RECOVERING), and the per-partition answers for everything else
 * (ELECTION_NOT_NEEDED, PREFERRED_LEADER_NOT_AVAILABLE, ELIGIBLE_LEADERS_NOT_AVAILABLE, unknown partitions,
 * topics being deleted, NOT_CONTROLLER).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ElectionType } from '../../src/controller/election';
import { ErrorCode } from '../../src/protocol';
import { CreateMode, ZkSession } from '../../src/zk/zk-session';
import { startZooKeeper, type TestZooKeeper } from '../harness/zookeeper';
import { type ControllerNode, eventually, startNode } from './controller-test-utils';
import { FakeBroker } from './fake-broker';

const stateOf = async (tool: ZkSession, topic: string, p = 0) =>
  JSON.parse((await tool.getData(`/brokers/topics/${topic}/partitions/${p}/state`)).data.toString());

async function leaderWritesIsr(tool: ZkSession, topic: string, isr: number[]): Promise<void> {
  const path = `/brokers/topics/${topic}/partitions/0/state`;
  const { data, stat } = await tool.getData(path);
  await tool.setData(path, Buffer.from(JSON.stringify({ ...JSON.parse(data.toString()), isr })), stat.version);
  // The controller learns it through the notification a leader at IBP < 2.7 writes.
  await tool.create('/isr_change_notification/isr_change_', Buffer.from(JSON.stringify({ version: 1, partitions: [{ topic, partition: 0 }] })),
    CreateMode.PERSISTENT_SEQUENTIAL);
}

describe('controller: ElectLeaders', { timeout: 180_000 }, () => {
  let zk: TestZooKeeper;
  let node: ControllerNode;
  let tool: ZkSession;
  const brokers = new Map<number, FakeBroker>();
  const tp = (topic: string, partition = 0) => ({ topic, partition });
  const cachedIsr = (topic: string) => node.controller.controllerContext.partitionLeadershipInfo(tp(topic))?.leaderAndIsr.isr.join();

  before(async () => {
    zk = await startZooKeeper();
    node = await startNode(zk.connectString, 0);
    for (const id of [1, 2, 3]) {
      const b = new FakeBroker({ id, zkConnect: zk.connectString });
      await b.start();
      brokers.set(id, b);
    }
    tool = await ZkSession.connect({ connectString: zk.connectString, sessionTimeoutMs: 10_000 });
    await eventually(() => node.controller.controllerContext.liveBrokerIds.size === 4, 'four live brokers');
    for (const [topic, replicas] of [['pref', [1, 2]], ['gone', [3, 2]], ['lost', [3, 2]], ['dead', [3]], ['del', [3, 1]]] as const) {
      await tool.create(`/brokers/topics/${topic}`, Buffer.from(JSON.stringify({ version: 1, partitions: { 0: replicas } })));
      await eventually(async () => (await tool.exists(`/brokers/topics/${topic}/partitions/0/state`)) !== null, `${topic} online`);
    }
    // 'lost' keeps only broker 3 in its ISR, so that when 3 dies no ISR member is left.
    await leaderWritesIsr(tool, 'lost', [3]);
    await eventually(() => cachedIsr('lost') === '3', 'ISR of lost-0 is [3]');
    // Broker 1 leaves and comes back: pref-0 is led by broker 2, then broker 1 rejoins the ISR.
    await brokers.get(1)!.killSession();
    await eventually(async () => (await stateOf(tool, 'pref')).leader === 2, 'pref-0 led by broker 2');
    await brokers.get(1)!.register();
    await leaderWritesIsr(tool, 'pref', [2, 1]);
    await eventually(() => cachedIsr('pref') === '2,1', 'broker 1 back in the ISR of pref-0');
    // Broker 3 dies for good; 'del' is marked for deletion and waits for it.
    await brokers.get(3)!.killSession();
    await eventually(() => !node.controller.controllerContext.liveBrokerIds.has(3), 'broker 3 dead');
    await tool.create('/admin/delete_topics/del', null);
    await eventually(() => node.controller.controllerContext.isTopicQueuedUpForDeletion('del'), 'del queued for deletion');
  });

  after(async () => {
    for (const b of brokers.values()) await b.stop();
    await node.stop();
    await tool.close();
    await zk.stop();
  });

  it('PREFERRED: the first replica leads again; then no election is needed', async () => {
    const ctl = node.controller;
    const epoch = (await stateOf(tool, 'pref')).leader_epoch;
    assert.deepEqual(await ctl.electLeaders([tp('pref'), tp('pref', 7), tp('nope')], ElectionType.PREFERRED), [
      { tp: tp('pref'), leader: 1 },
      { tp: tp('pref', 7), error: { code: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, message: 'The partition does not exist.' } },
      { tp: tp('nope'), error: { code: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, message: 'The partition does not exist.' } },
    ]);
    assert.deepEqual(await stateOf(tool, 'pref'), { controller_epoch: 1, leader: 1, version: 1, leader_epoch: epoch + 1, isr: [2, 1] });
    assert.deepEqual(await ctl.electLeaders([tp('pref')], ElectionType.PREFERRED), [
      { tp: tp('pref'), error: { code: ErrorCode.ELECTION_NOT_NEEDED, message: 'Leader election not needed for topic partition.' } },
    ]);
    assert.ok(node.logging.lines('kafka.controller.KafkaController', ['info']).includes(
      '[Controller id=0] Starting replica leader election (PREFERRED) for partitions pref-0 triggered by AdminClientTriggered'));
  });

  it('PREFERRED_LEADER_NOT_AVAILABLE when the preferred replica is dead; topics being deleted are refused', async () => {
    const ctl = node.controller;
    assert.deepEqual(await ctl.electLeaders([tp('gone'), tp('del')], ElectionType.PREFERRED), [
      { tp: tp('gone'), error: { code: ErrorCode.PREFERRED_LEADER_NOT_AVAILABLE,
        message: 'Failed to elect leader for partition gone-0 under strategy PreferredReplicaPartitionLeaderElectionStrategy' } },
      { tp: tp('del'), error: { code: ErrorCode.INVALID_TOPIC_EXCEPTION, message: 'The topic is being deleted' } },
    ]);
    assert.equal((await stateOf(tool, 'gone')).leader, 2);
  });

  it('UNCLEAN: a live replica outside the ISR leads (RECOVERING) where no ISR member is alive', async () => {
    const ctl = node.controller;
    const before = await stateOf(tool, 'lost');
    assert.equal(before.leader, -1);
    assert.deepEqual(await ctl.electLeaders([tp('lost'), tp('dead'), tp('gone')], ElectionType.UNCLEAN), [
      { tp: tp('lost'), leader: 2 },
      { tp: tp('dead'), error: { code: ErrorCode.ELIGIBLE_LEADERS_NOT_AVAILABLE,
        message: 'Failed to elect leader for partition dead-0 under strategy OfflinePartitionLeaderElectionStrategy(true)' } },
      // Its leader (broker 2) is alive: nothing to do.
      { tp: tp('gone'), error: { code: ErrorCode.ELECTION_NOT_NEEDED, message: 'Leader election not needed for topic partition.' } },
    ]);
    assert.deepEqual(await stateOf(tool, 'lost'), {
      controller_epoch: 1, leader: 2, version: 1, leader_recovery_state: 1, leader_epoch: before.leader_epoch + 1, isr: [2],
    });
  });

  it('a broker that is not the controller answers NOT_CONTROLLER for every partition', async () => {
    const other = await startNode(zk.connectString, 4);
    try {
      assert.equal(other.controller.isActive, false);
      assert.deepEqual(await other.controller.electLeaders([tp('pref')], ElectionType.PREFERRED), [
        { tp: tp('pref'), error: { code: ErrorCode.NOT_CONTROLLER, message: null } },
      ]);
    } finally {
      await other.stop();
    }
  });
});
