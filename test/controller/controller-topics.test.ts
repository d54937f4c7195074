import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApiKeys } from '../../src/protocol';
import { ZkSession } from '../../src/zk/zk-session';
import { startZooKeeper, type TestZooKeeper } from '../harness/zookeeper';
import { type ControllerNode, eventually, startNode } from './controller-test-utils';
import {
  FakeBroker,
  leaderAndIsrPartitions,
  stopReplicaPartitions,
  updateMetadataPartitions,
  type ReceivedRequest,
} from './fake-broker';

/** Topic creation, new partitions, broker failure/return and topic deletion, driven through ZooKeeper. */
describe('controller: topics and brokers, with requests over TCP to fake brokers', { timeout: 180_000 }, () => {
  let zk: TestZooKeeper;
  let tool: ZkSession;
  let node: ControllerNode;
  const brokers = new Map<number, FakeBroker>();

  const all = () => [node.broker, ...brokers.values()];
  /** Lets the controller finish its queued events and the channels deliver everything, before a test clears. */
  const quiesce = async () => {
    await node.controller.runOnEventLoop('quiesce', () => undefined);
    await node.controller.awaitChannelIdle();
  };
  const state = async (topic: string, p: number) => (await tool.getData(`/brokers/topics/${topic}/partitions/${p}/state`)).data.toString();
  const lairFor = (b: FakeBroker, topic: string) =>
    b.requestsOf(ApiKeys.LeaderAndIsr).flatMap((r) => leaderAndIsrPartitions(r).map((p) => ({ ...p, request: r })))
      .filter((p) => p.topicName === topic);
  const umFor = (b: FakeBroker, topic: string) =>
    b.requestsOf(ApiKeys.UpdateMetadata).flatMap((r) => updateMetadataPartitions(r).map((p) => ({ ...p, request: r })))
      .filter((p) => p.topicName === topic);

  before(async () => {
    zk = await startZooKeeper();
    node = await startNode(zk.connectString, 0);
    for (const id of [1, 2]) {
      const b = new FakeBroker({ id, zkConnect: zk.connectString });
      await b.start();
      brokers.set(id, b);
    }
    tool = await ZkSession.connect({ connectString: zk.connectString, sessionTimeoutMs: 10_000 });
    await eventually(() => node.controller.controllerContext.liveBrokerIds.size === 3, 'the controller to see 3 brokers');
  });

  after(async () => {
    for (const b of brokers.values()) await b.stop();
    await node.stop();
    await tool.close();
    await zk.stop();
  });

  it('new brokers get UpdateMetadata listing every live broker with its endpoints', async () => {
    for (const b of all()) {
      await b.waitFor(() => b.requestsOf(ApiKeys.UpdateMetadata).some((r) => r.body.liveBrokers.length === 3), `UpdateMetadata to ${b.id}`);
    }
    const um = brokers.get(2)!.requestsOf(ApiKeys.UpdateMetadata).find((r) => r.body.liveBrokers.length === 3)!;
    const b2 = um.body.liveBrokers.find((x: { id: number }) => x.id === 2);
    assert.deepEqual(b2.endpoints, [{ port: brokers.get(2)!.port, host: '127.0.0.1', listener: 'PLAINTEXT', securityProtocol: 0 }]);
    assert.equal(b2.rack, null);
  });

  it('a topic written directly to ZooKeeper goes online: state znodes, LeaderAndIsr (isNew) and UpdateMetadata', async () => {
    // What a tool (or CreateTopics on any broker) writes: the config first, then the assignment with a topic id.
    const topicId = 'kHq3yxsYQ3uYxT5nbL1Z7w';
    await tool.create('/config/topics/orders', Buffer.from('{"version":1,"config":{}}'));
    await tool.create('/brokers/topics/orders', Buffer.from(
      `{"removing_replicas":{},"partitions":{"1":[2,0],"0":[1,2]},"topic_id":"${topicId}","adding_replicas":{},"version":3}`));
    await eventually(async () => (await tool.exists('/brokers/topics/orders/partitions/1/state')) !== null, 'state znodes');
    assert.equal(await state('orders', 0), '{"controller_epoch":1,"leader":1,"version":1,"leader_epoch":0,"isr":[1,2]}');
    assert.equal(await state('orders', 1), '{"controller_epoch":1,"leader":2,"version":1,"leader_epoch":0,"isr":[2,0]}');
    assert.equal((await tool.getData('/brokers/topics/orders/partitions/0/state')).stat.version, 0);

    const b1 = brokers.get(1)!;
    const b2 = brokers.get(2)!;
    await b1.waitFor(() => lairFor(b1, 'orders').length >= 1, 'LeaderAndIsr to broker 1');
    await b2.waitFor(() => lairFor(b2, 'orders').length >= 2, 'LeaderAndIsr to broker 2');
    await node.broker.waitFor(() => lairFor(node.broker, 'orders').length >= 1, 'LeaderAndIsr to broker 0');
    const p0 = lairFor(b1, 'orders')[0]!;
    assert.equal(p0.request.version, 7);
    assert.equal(p0.request.body.controllerId, 0);
    assert.equal(p0.request.body.controllerEpoch, 1);
    assert.equal(p0.request.body.brokerEpoch, b1.brokerEpoch);
    assert.equal(p0.request.body.isKRaftController, false);
    assert.equal(p0.topicId, topicId);
    assert.deepEqual(
      { partitionIndex: p0.partitionIndex, leader: p0.leader, leaderEpoch: p0.leaderEpoch, isr: p0.isr, replicas: p0.replicas,
        partitionEpoch: p0.partitionEpoch, isNew: p0.isNew, controllerEpoch: p0.controllerEpoch, leaderRecoveryState: p0.leaderRecoveryState },
      { partitionIndex: 0, leader: 1, leaderEpoch: 0, isr: [1, 2], replicas: [1, 2], partitionEpoch: 0, isNew: true,
        controllerEpoch: 1, leaderRecoveryState: 0 },
    );
    assert.deepEqual(p0.request.body.liveLeaders.map((l: { brokerId: number }) => l.brokerId), [1]);
    assert.deepEqual(lairFor(node.broker, 'orders').map((p) => p.partitionIndex), [1], 'broker 0 only hosts orders-1');
    // Every live broker learns both partitions.
    for (const b of all()) {
      await b.waitFor(() => new Set(umFor(b, 'orders').map((p) => p.partitionIndex)).size === 2, `UpdateMetadata(orders) to ${b.id}`);
      const um = umFor(b, 'orders').find((p) => p.partitionIndex === 0)!;
      assert.deepEqual({ leader: um.leader, isr: um.isr, replicas: um.replicas, zkVersion: um.zkVersion, offlineReplicas: um.offlineReplicas },
        { leader: 1, isr: [1, 2], replicas: [1, 2], zkVersion: 0, offlineReplicas: [] });
      assert.equal(um.request.body.topicStates.find((t: { topicName: string }) => t.topicName === 'orders').topicId, topicId);
    }
    const lines = node.logging.lines('', ['info']);
    assert.ok(lines.some((l) => l.startsWith('[Controller id=0] New topics: [Set(orders)], deleted topics: [Set()], new partition ' +
      `replica assignment [Set(TopicIdReplicaAssignment(orders,Some(${topicId}),Map(orders-0 -> ReplicaAssignment(replicas=1,2`)));
    assert.ok(lines.includes('[Controller id=0 epoch=1] Changed partition orders-0 from NewPartition to OnlinePartition with state ' +
      'LeaderAndIsr(leader=1, leaderEpoch=0, isr=List(1, 2), leaderRecoveryState=RECOVERED, partitionEpoch=0)'));
    assert.ok(lines.includes('[Controller id=0 epoch=1] Sending LeaderAndIsr request to broker 2 with 1 become-leader and ' +
      '1 become-follower partitions'));
  });

  it('a topic znode without topic_id (old tool) gets one, written fenced, in Kafka\'s format', async () => {
    await tool.create('/brokers/topics/legacy', Buffer.from('{"version":1,"partitions":{"0":[2]}}'));
    await eventually(async () => (await tool.exists('/brokers/topics/legacy/partitions/0/state')) !== null, 'legacy online');
    const json = (await tool.getData('/brokers/topics/legacy')).data.toString();
    const id = node.controller.controllerContext.topicIds.get('legacy');
    assert.match(id ?? '', /^[A-Za-z0-9_-]{22}$/);
    assert.equal(json, `{"removing_replicas":{},"partitions":{"0":[2]},"topic_id":"${id}","adding_replicas":{},"version":3}`);
  });

  it('new partitions added to the topic znode go online', async () => {
    const { data } = await tool.getData('/brokers/topics/orders');
    const json = JSON.parse(data.toString());
    json.partitions['2'] = [0, 1];
    await tool.setData('/brokers/topics/orders', Buffer.from(JSON.stringify(json)));
    await eventually(async () => (await tool.exists('/brokers/topics/orders/partitions/2/state')) !== null, 'orders-2 state');
    assert.equal(await state('orders', 2), '{"controller_epoch":1,"leader":0,"version":1,"leader_epoch":0,"isr":[0,1]}');
    const b1 = brokers.get(1)!;
    await b1.waitFor(() => lairFor(b1, 'orders').some((p) => p.partitionIndex === 2 && p.isNew), 'LeaderAndIsr(orders-2)');
    assert.ok(node.logging.lines('kafka.controller.KafkaController', ['info']).some((l) =>
      l.includes('New partitions to be added Map(orders-2 -> ReplicaAssignment(replicas=0,1, addingReplicas=, removingReplicas=))')));
  });

  it('a dead broker: its partitions get a new leader from the ISR, a sole-ISR partition keeps its ISR with leader -1', async () => {
    await tool.create('/brokers/topics/solo', Buffer.from('{"version":1,"partitions":{"0":[1]}}'));
    await eventually(async () => (await tool.exists('/brokers/topics/solo/partitions/0/state')) !== null, 'solo online');
    // 'dirty' allows unclean election (topic config); its ISR has shrunk to broker 1 alone (a leader-side write).
    await tool.create('/config/topics/dirty', Buffer.from('{"version":1,"config":{"unclean.leader.election.enable":"true"}}'));
    await tool.create('/brokers/topics/dirty', Buffer.from('{"version":1,"partitions":{"0":[1,2]}}'));
    await eventually(async () => (await tool.exists('/brokers/topics/dirty/partitions/0/state')) !== null, 'dirty online');
    await tool.setData('/brokers/topics/dirty/partitions/0/state',
      Buffer.from('{"controller_epoch":1,"leader":1,"version":1,"leader_epoch":0,"isr":[1]}'), 0);
    const b1 = brokers.get(1)!;
    const b2 = brokers.get(2)!;
    await quiesce();
    b2.clear();
    await b1.killSession();
    await eventually(async () => (await state('orders', 0)).includes('"leader":2'), 'orders-0 to move to broker 2');
    assert.equal(await state('orders', 0), '{"controller_epoch":1,"leader":2,"version":1,"leader_epoch":1,"isr":[2]}');
    await eventually(async () => (await state('solo', 0)).includes('"leader":-1'), 'solo-0 offline');
    assert.equal(await state('solo', 0), '{"controller_epoch":1,"leader":-1,"version":1,"leader_epoch":1,"isr":[1]}');
    // No ISR member of dirty-0 is alive, but its topic allows unclean election: broker 2 leads, RECOVERING (KIP-704).
    await eventually(async () => (await state('dirty', 0)).includes('"leader":2'), 'dirty-0 unclean election');
    assert.equal(await state('dirty', 0),
      '{"controller_epoch":1,"leader":2,"version":1,"leader_recovery_state":1,"leader_epoch":1,"isr":[2]}');
    assert.ok(node.logging.lines('kafka.controller.ZkPartitionStateMachine', ['warn']).includes(
      '[PartitionStateMachine controllerId=0] No broker in ISR is alive for dirty-0. Elect leader 2 from live brokers 2. ' +
      'There\'s potential data loss.'));
    // orders-2 was led by broker 0 with ISR [0,1]: broker 1 leaves the ISR, leader unchanged, epoch +1.
    assert.equal(await state('orders', 2), '{"controller_epoch":1,"leader":0,"version":1,"leader_epoch":1,"isr":[0]}');
    await b2.waitFor(() => lairFor(b2, 'orders').some((p) => p.partitionIndex === 0 && p.leader === 2 && p.leaderEpoch === 1),
      'LeaderAndIsr making broker 2 leader of orders-0');
    await b2.waitFor(() => umFor(b2, 'solo').some((p) => p.leader === -1), 'UpdateMetadata with solo-0 offline');
    const um = umFor(b2, 'solo').find((p) => p.leader === -1)!;
    assert.deepEqual(um.offlineReplicas, [1]);
    assert.deepEqual(um.request.body.liveBrokers.map((x: { id: number }) => x.id).sort(), [0, 2]);
    const ctx = node.controller.controllerContext;
    assert.equal(ctx.partitionState({ topic: 'solo', partition: 0 }), 'OfflinePartition');
    assert.equal(ctx.replicaState({ topic: 'orders', partition: 0, replica: 1 }), 'OfflineReplica');
    assert.ok(node.logging.lines('kafka.controller.KafkaController', ['info']).includes(
      '[Controller id=0] Newly added brokers: , deleted brokers: 1, bounced brokers: , all live brokers: 0,2'));
  });

  it('the broker comes back: it gets every partition in UpdateMetadata, its replicas, and the offline partition a leader', async () => {
    const b1 = brokers.get(1)!;
    await quiesce();
    b1.clear();
    await b1.register();
    await eventually(async () => (await state('solo', 0)).includes('"leader":1'), 'solo-0 back online');
    assert.equal(await state('solo', 0), '{"controller_epoch":1,"leader":1,"version":1,"leader_epoch":2,"isr":[1]}');
    await b1.waitFor(() => umFor(b1, 'orders').length >= 3, 'full UpdateMetadata to the returning broker');
    await b1.waitFor(() => lairFor(b1, 'orders').some((p) => p.partitionIndex === 0) &&
      lairFor(b1, 'orders').some((p) => p.partitionIndex === 2), 'LeaderAndIsr for its replicas');
    const p0 = lairFor(b1, 'orders').find((p) => p.partitionIndex === 0)!;
    assert.equal(p0.leader, 2);
    assert.equal(p0.isNew, false);
    assert.equal(p0.request.body.brokerEpoch, b1.brokerEpoch, 'requests carry the new broker epoch');
    assert.equal(node.controller.controllerContext.partitionState({ topic: 'solo', partition: 0 }), 'OnlinePartition');
  });

  it('topic deletion: leader -2 in UpdateMetadata, StopReplica without then with delete, then the znodes go', async () => {
    await quiesce();
    for (const b of all()) b.clear();
    await tool.create('/admin/delete_topics/orders', null);
    // The controller deletes the assignment, then the config, then the marker.
    await eventually(async () => (await tool.exists('/admin/delete_topics/orders')) === null, 'orders to be deleted');
    assert.equal(await tool.exists('/brokers/topics/orders'), null);
    assert.equal(await tool.exists('/config/topics/orders'), null);
    // Every replica got StopReplica(delete=false), then StopReplica(delete=true), epoch -2 (deletion sentinel).
    const replicas: Record<number, number[]> = { 0: [1, 2], 1: [0, 2], 2: [0, 1] };
    for (const [p, hosts] of Object.entries(replicas)) {
      for (const id of hosts) {
        const b = all().find((x) => x.id === id)!;
        const seen = b.requestsOf(ApiKeys.StopReplica).flatMap((r: ReceivedRequest) => stopReplicaPartitions(r))
          .filter((s) => s.topicName === 'orders' && s.partitionIndex === Number(p));
        assert.deepEqual(seen.map((s) => s.deletePartition), [false, true], `StopReplica sequence for orders-${p} on ${id}`);
        assert.ok(seen.every((s) => s.leaderEpoch === -2));
      }
    }
    assert.equal(brokers.get(2)!.requestsOf(ApiKeys.StopReplica)[0]!.version, 4);
    for (const b of all()) {
      const deleting = umFor(b, 'orders');
      assert.ok(deleting.length >= 3, `UpdateMetadata(orders) to ${b.id}`);
      assert.ok(deleting.every((p) => p.leader === -2), 'partitions of a topic being deleted are published with leader -2');
    }
    const ctx = node.controller.controllerContext;
    await eventually(() => !ctx.allTopics.has('orders'), 'the context to forget orders');
    assert.equal(ctx.topicsToBeDeleted.size, 0);
    assert.ok(node.logging.lines('kafka.controller.TopicDeletionManager', ['info']).includes(
      '[Topic Deletion Manager 0] Deletion of topic orders successfully completed'));
  });

  it('a topic with a replica on a dead broker is ineligible for deletion until the broker returns', async () => {
    await tool.create('/brokers/topics/stuck', Buffer.from('{"version":1,"partitions":{"0":[1,2]}}'));
    await eventually(async () => (await tool.exists('/brokers/topics/stuck/partitions/0/state')) !== null, 'stuck online');
    const b1 = brokers.get(1)!;
    await b1.killSession();
    await eventually(() => !node.controller.controllerContext.liveBrokerIds.has(1), 'broker 1 gone');
    await tool.create('/admin/delete_topics/stuck', null);
    await eventually(() => node.controller.controllerContext.topicsIneligibleForDeletion.has('stuck'), 'stuck ineligible');
    await new Promise((r) => setTimeout(r, 300));
    assert.notEqual(await tool.exists('/brokers/topics/stuck'), null, 'not deleted while a replica is offline');
    const ctx = node.controller.controllerContext;
    // The live replica was deleted; the dead one waits (back in OfflineReplica, ready for a retry, as in Kafka).
    await eventually(() => ctx.replicaState({ topic: 'stuck', partition: 0, replica: 2 }) === 'ReplicaDeletionSuccessful',
      'the live replica deleted');
    assert.equal(ctx.replicaState({ topic: 'stuck', partition: 0, replica: 1 }), 'OfflineReplica');
    assert.ok(ctx.topicsIneligibleForDeletion.has('stuck'));
    assert.ok(node.logging.lines('kafka.controller.TopicDeletionManager', ['info']).includes(
      '[Topic Deletion Manager 0] Halted deletion of topics stuck due to offline replicas'));
    await b1.register();
    await eventually(async () => (await tool.exists('/admin/delete_topics/stuck')) === null, 'stuck deleted after broker 1 returned');
    assert.equal(await tool.exists('/brokers/topics/stuck'), null);
  });

  it('a deletion marker for a topic that does not exist is removed', async () => {
    await tool.create('/admin/delete_topics/ghost', null);
    await eventually(async () => (await tool.exists('/admin/delete_topics/ghost')) === null, 'ghost marker removed');
    assert.ok(node.logging.lines('kafka.controller.KafkaController', ['warn']).includes(
      '[Controller id=0] Ignoring request to delete non-existing topics ghost'));
  });
});

describe('controller with delete.topic.enable=false', { timeout: 180_000 }, () => {
  let zk: TestZooKeeper;
  let tool: ZkSession;
  let node: ControllerNode;

  before(async () => {
    zk = await startZooKeeper();
    tool = await ZkSession.connect({ connectString: zk.connectString, sessionTimeoutMs: 10_000 });
    // A marker left from before this controller started is removed at failover.
    await tool.createRecursive('/admin/delete_topics/early');
    await tool.createRecursive('/brokers/topics/early', Buffer.from('{"version":1,"partitions":{"0":[0]}}'));
    node = await startNode(zk.connectString, 0, { 'delete.topic.enable': 'false' });
  });

  after(async () => {
    await node.stop();
    await tool.close();
    await zk.stop();
  });

  it('only deletes the markers; the topics stay', async () => {
    await eventually(async () => (await tool.exists('/admin/delete_topics/early')) === null, 'the early marker removed');
    await tool.create('/brokers/topics/kept', Buffer.from('{"version":1,"partitions":{"0":[0]}}'));
    await eventually(async () => (await tool.exists('/brokers/topics/kept/partitions/0/state')) !== null, 'kept online');
    await tool.create('/admin/delete_topics/kept', null);
    await eventually(async () => (await tool.exists('/admin/delete_topics/kept')) === null, 'the marker removed');
    assert.notEqual(await tool.exists('/brokers/topics/kept'), null);
    assert.notEqual(await tool.exists('/brokers/topics/early'), null);
    assert.equal(node.broker.requestsOf(ApiKeys.StopReplica).length, 0);
    assert.ok(node.logging.lines('kafka.controller.KafkaController', ['info']).includes(
      '[Controller id=0] Removing Set(kept) since delete topic is disabled'));
  });
});
