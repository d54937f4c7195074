// Controller election and fencing against a real ZooKeeper, with one session per broker: one broker wins and
// bumps /controller_epoch, the other gets ControllerMovedError; when the winner's session ends the other wins
// with epoch + 1; writes fenced by an old epoch zkVersion are rejected; partition state updates with a stale
// partition epoch come back as BADVERSION "retry".
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startZooKeeper, type TestZooKeeper } from '../harness/zookeeper';
import { KafkaZkClient } from '../../src/zk/kafka-zk-client';
import { ControllerMovedError, ZkError } from '../../src/zk/zk-errors';
import { LeaderRecoveryState, type LeaderAndIsr } from '../../src/zk/zk-types';

let zk: TestZooKeeper;
const clients: KafkaZkClient[] = [];
let chrootCounter = 0;

before(async () => {
  zk = await startZooKeeper();
});

after(async () => {
  for (const c of clients) await c.close();
  await zk.stop();
});

/** Two brokers' clients on a fresh chroot with the bootstrap paths. */
async function twoBrokers(): Promise<[KafkaZkClient, KafkaZkClient]> {
  const chroot = `/election-${++chrootCounter}`;
  const open = async () => {
    const c = await KafkaZkClient.connect({ connectString: `${zk.connectString}${chroot}`, sessionTimeoutMs: 6000 });
    clients.push(c);
    return c;
  };
  const a = await open();
  const b = await open();
  await a.createTopLevelPaths();
  return [a, b];
}

const leaderAndIsr = (leader: number, leaderEpoch: number, isr: number[], partitionEpoch: number): LeaderAndIsr => ({
  leader,
  leaderEpoch,
  isr,
  leaderRecoveryState: LeaderRecoveryState.RECOVERED,
  partitionEpoch,
});

async function eventually(fn: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!fn()) {
    if (Date.now() > deadline) assert.fail('condition not reached in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('first election creates /controller_epoch "0", bumps it to 1 and creates /controller', { timeout: 60_000 }, async () => {
  const [a, b] = await twoBrokers();
  assert.equal(await a.getControllerId(), null);
  assert.equal(await a.getControllerEpoch(), null);
  const won = await a.registerControllerAndIncrementControllerEpoch(1);
  assert.deepEqual(won, { epoch: 1, epochZkVersion: 1 });
  const epochNode = await a.session.getData('/controller_epoch');
  assert.equal(epochNode.data.toString(), '1');
  assert.equal(epochNode.stat.version, 1);
  const controller = await b.session.getData('/controller');
  assert.match(controller.data.toString(), /^\{"version":2,"brokerid":1,"timestamp":"\d+","kraftControllerEpoch":-1\}$/);
  assert.equal(controller.stat.ephemeralOwner, a.session.sessionId);
  assert.equal(await b.getControllerId(), 1);

  await assert.rejects(b.registerControllerAndIncrementControllerEpoch(2), (e) => e instanceof ControllerMovedError);
  assert.deepEqual(await b.getControllerEpoch(), { epoch: 1, zkVersion: 1 }, 'a lost election changes nothing');
});

test('concurrent elections: exactly one broker wins', { timeout: 60_000 }, async () => {
  const [a, b] = await twoBrokers();
  const results = await Promise.allSettled([
    a.registerControllerAndIncrementControllerEpoch(1),
    b.registerControllerAndIncrementControllerEpoch(2),
  ]);
  const won = results.filter((r) => r.status === 'fulfilled');
  const lost = results.filter((r) => r.status === 'rejected');
  assert.equal(won.length, 1);
  assert.equal(lost.length, 1);
  assert.ok((lost[0] as PromiseRejectedResult).reason instanceof ControllerMovedError);
  const winner = results[0].status === 'fulfilled' ? 1 : 2;
  assert.equal(await a.getControllerId(), winner);
  assert.equal((await a.getControllerEpoch())?.epoch, 1);
});

test('when the controller session ends, /controller goes away, watchers hear it, and the next winner has epoch + 1', { timeout: 60_000 }, async () => {
  const [a, b] = await twoBrokers();
  await a.registerControllerAndIncrementControllerEpoch(1);
  const seen: string[] = [];
  const exists = await b.registerZNodeChangeHandlerAndCheckExistence('/controller', {
    onDelete: () => seen.push('deleted'),
    onCreate: () => seen.push('created'),
    onDataChange: () => seen.push('changed'),
  });
  assert.equal(exists, true);
  await a.close();
  await eventually(() => seen.includes('deleted'));
  assert.equal(await b.getControllerId({ watch: true }), null);
  const won = await b.registerControllerAndIncrementControllerEpoch(2);
  assert.deepEqual(won, { epoch: 2, epochZkVersion: 2 });
  await eventually(() => seen.includes('created'));
  assert.equal(await b.getControllerId(), 2);
  assert.equal((await b.getControllerRegistration())?.registration.kraftControllerEpoch, -1);
});

test('writes fenced with an old epoch zkVersion fail with ControllerMovedError after a newer controller won', { timeout: 60_000 }, async () => {
  const [a, b] = await twoBrokers();
  const old = await a.registerControllerAndIncrementControllerEpoch(1);
  await a.createTopicAssignment('orders', 'kHq3yxsYQ3uYxT5nbL1Z7w', new Map([[0, [1, 2]]]));
  await a.createTopicPartitionStatesRaw(
    [{ partition: { topic: 'orders', partition: 0 }, state: { leaderAndIsr: leaderAndIsr(1, 0, [1, 2], 0), controllerEpoch: old.epoch } }],
    old.epochZkVersion,
  );
  // Broker 1's controller is deposed: its /controller node is removed and broker 2 wins.
  await a.deleteController(old.epochZkVersion);
  const current = await b.registerControllerAndIncrementControllerEpoch(2);
  assert.equal(current.epochZkVersion, old.epochZkVersion + 1);

  await assert.rejects(
    a.setTopicAssignment('orders', 'kHq3yxsYQ3uYxT5nbL1Z7w', new Map([[0, [2, 1]]]), old.epochZkVersion),
    (e) => e instanceof ControllerMovedError && /Expected zkVersion = 1/.test(e.message),
  );
  await assert.rejects(
    a.updateLeaderAndIsr([{ partition: { topic: 'orders', partition: 0 }, leaderAndIsr: leaderAndIsr(2, 1, [2], 0) }], old.epoch, old.epochZkVersion),
    ControllerMovedError,
  );
  await assert.rejects(a.deleteTopicZNode('orders', old.epochZkVersion), ControllerMovedError);
  await assert.rejects(a.deleteController(old.epochZkVersion), ControllerMovedError);
  assert.equal(await a.getControllerId(), 2, 'the fenced delete left the new controller in place');

  // nothing the old controller tried landed; the new one writes fine
  assert.deepEqual((await b.getPartitionAssignmentForTopic('orders'))?.get(0)?.replicas, [1, 2]);
  await b.setTopicAssignment('orders', 'kHq3yxsYQ3uYxT5nbL1Z7w', new Map([[0, [2, 1]]]), current.epochZkVersion);
  assert.deepEqual((await b.getPartitionAssignmentForTopic('orders'))?.get(0)?.replicas, [2, 1]);
  await b.deleteTopicZNode('orders', current.epochZkVersion);
  assert.equal(await b.topicExists('orders'), false);
});

test('partition states: created at dataVersion 0, updated conditionally, stale partition epoch → retry', { timeout: 60_000 }, async () => {
  const [a, b] = await twoBrokers();
  const { epoch, epochZkVersion } = await a.registerControllerAndIncrementControllerEpoch(1);
  const p0 = { topic: 'events', partition: 0 };
  const p1 = { topic: 'events', partition: 1 };
  await a.createTopicAssignment('events', null, new Map([[0, [1, 2]], [1, [2, 1]]]));
  const created = await a.createTopicPartitionStatesRaw(
    [
      { partition: p0, state: { leaderAndIsr: leaderAndIsr(1, 0, [1, 2], 0), controllerEpoch: epoch } },
      { partition: p1, state: { leaderAndIsr: leaderAndIsr(2, 0, [2, 1], 0), controllerEpoch: epoch } },
    ],
    epochZkVersion,
  );
  assert.deepEqual(created.map((r) => r.code), ['OK', 'OK']);
  assert.equal(
    (await b.session.getData('/brokers/topics/events/partitions/0/state')).data.toString(),
    `{"controller_epoch":${epoch},"leader":1,"version":1,"leader_epoch":0,"isr":[1,2]}`,
  );
  const again = await a.createTopicPartitionStatesRaw(
    [{ partition: p0, state: { leaderAndIsr: leaderAndIsr(1, 0, [1, 2], 0), controllerEpoch: epoch } }],
    epochZkVersion,
  );
  assert.deepEqual(again.map((r) => r.code), ['NODEEXISTS']);

  const states = await b.getTopicPartitionStates([p0, p1, { topic: 'events', partition: 9 }]);
  assert.equal(states.length, 2);
  assert.equal(states[0].state.leaderAndIsr.partitionEpoch, 0);

  // A leader (IBP < 2.7 style) changes the ISR of partition 1 behind the controller's back.
  await b.session.setData(
    '/brokers/topics/events/partitions/1/state',
    Buffer.from(`{"controller_epoch":${epoch},"leader":2,"version":1,"leader_epoch":0,"isr":[2]}`),
    0,
  );
  const outcomes = await a.updateLeaderAndIsr(
    [
      { partition: p0, leaderAndIsr: leaderAndIsr(2, 1, [2], 0) },
      { partition: p1, leaderAndIsr: leaderAndIsr(1, 1, [1, 2], 0) },
      { partition: { topic: 'events', partition: 5 }, leaderAndIsr: leaderAndIsr(1, 1, [1], 0) },
    ],
    epoch,
    epochZkVersion,
  );
  assert.equal(outcomes[0].outcome, 'updated');
  assert.equal(outcomes[0].outcome === 'updated' && outcomes[0].leaderAndIsr.partitionEpoch, 1);
  assert.equal(outcomes[1].outcome, 'retry');
  assert.equal(outcomes[2].outcome, 'failed');
  assert.equal(outcomes[2].outcome === 'failed' && (outcomes[2].error as ZkError).code, 'NONODE');

  const reread = await a.getTopicPartitionState(p1);
  assert.deepEqual(reread?.leaderAndIsr.isr, [2]);
  assert.equal(reread?.leaderAndIsr.partitionEpoch, 1);
  const retried = await a.updateLeaderAndIsr([{ partition: p1, leaderAndIsr: leaderAndIsr(1, 1, [1, 2], 1) }], epoch, epochZkVersion);
  assert.equal(retried[0].outcome, 'updated');
  assert.deepEqual(await a.getAllPartitions(), [p0, p1]);
});

test('fenced deletes of the controller queues and admin nodes', { timeout: 60_000 }, async () => {
  const [a, b] = await twoBrokers();
  const { epochZkVersion } = await a.registerControllerAndIncrementControllerEpoch(1);
  await b.propagateIsrChanges([{ topic: 't', partition: 0 }]);
  await b.propagateIsrChanges([{ topic: 't', partition: 1 }]);
  await b.propagateLogDirEvent(2);
  const isr = await a.getAllIsrChangeNotifications();
  assert.deepEqual(isr, ['0000000000', '0000000001']);
  assert.deepEqual(await a.getPartitionsFromIsrChangeNotifications(isr), [
    { topic: 't', partition: 0 },
    { topic: 't', partition: 1 },
  ]);
  const logDir = await a.getAllLogDirEventNotifications();
  assert.deepEqual(await a.getBrokerIdsFromLogDirEvents(logDir), [2]);
  await assert.rejects(a.deleteIsrChangeNotifications(epochZkVersion + 1), ControllerMovedError);
  await a.deleteIsrChangeNotifications(epochZkVersion);
  await a.deleteLogDirEventNotifications(epochZkVersion, { sequenceNumbers: logDir });
  assert.deepEqual(await a.getAllIsrChangeNotifications(), []);
  assert.deepEqual(await a.getAllLogDirEventNotifications(), []);

  await b.createPartitionReassignment([{ topic: 't', partition: 0, replicas: [1, 2, 4] }]);
  assert.equal(
    (await a.session.getData('/admin/reassign_partitions')).data.toString(),
    '{"version":1,"partitions":[{"topic":"t","partition":0,"replicas":[1,2,4]}]}',
  );
  assert.deepEqual(await a.getPartitionReassignment(), [{ topic: 't', partition: 0, replicas: [1, 2, 4] }]);
  await a.setOrCreatePartitionReassignment([{ topic: 't', partition: 1, replicas: [2] }], epochZkVersion);
  assert.deepEqual(await a.getPartitionReassignment(), [{ topic: 't', partition: 1, replicas: [2] }]);
  await a.deletePartitionReassignment(epochZkVersion);
  assert.equal(await a.reassignPartitionsInProgress(), false);
  await b.session.create('/admin/reassign_partitions', Buffer.from('{not json'));
  assert.deepEqual(await a.getPartitionReassignment(), [], 'invalid JSON is ignored, as Kafka does');

  await b.createPreferredReplicaElection([{ topic: 't', partition: 0 }]);
  assert.deepEqual(await a.getPreferredReplicaElection(), [{ topic: 't', partition: 0 }]);
  await a.deletePreferredReplicaElection(epochZkVersion);
  assert.deepEqual(await a.getPreferredReplicaElection(), []);
});
