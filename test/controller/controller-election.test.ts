import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ControllerMovedError } from '../../src/zk/zk-errors';
import { ZkSession } from '../../src/zk/zk-session';
import { expireSession, startZooKeeper, type TestZooKeeper } from '../harness/zookeeper';
import { type ControllerNode, eventually, startNode } from './controller-test-utils';

describe('controller election, failover and resignation (two controllers, one process)', { timeout: 180_000 }, () => {
  let zk: TestZooKeeper;
  let observer: ZkSession;
  const nodes: ControllerNode[] = [];

  before(async () => {
    zk = await startZooKeeper();
    observer = await ZkSession.connect({ connectString: zk.connectString, sessionTimeoutMs: 10_000 });
  });

  after(async () => {
    for (const n of nodes) await n.stop().catch(() => undefined);
    await observer.close();
    await zk.stop();
  });

  const controllerJson = async () => JSON.parse((await observer.getData('/controller')).data.toString());
  const controllerEpoch = async () => {
    const { data, stat } = await observer.getData('/controller_epoch');
    return { epoch: Number(data.toString()), zkVersion: stat.version };
  };

  it('the first broker to start becomes controller with epoch 1; the second sees it', async () => {
    const a = await startNode(zk.connectString, 1);
    nodes.push(a);
    assert.equal(a.controller.isActive, true);
    assert.equal(a.controller.activeControllerId, 1);
    assert.equal(a.controller.epoch, 1);
    assert.deepEqual(await controllerEpoch(), { epoch: 1, zkVersion: 1 });
    const json = await controllerJson();
    assert.equal(json.version, 2);
    assert.equal(json.brokerid, 1);
    assert.equal(json.kraftControllerEpoch, -1);
    assert.equal(typeof json.timestamp, 'string');
    assert.ok(a.logging.lines('kafka.controller.KafkaController', ['info']).includes(
      '[Controller id=1] 1 successfully elected as the controller. Epoch incremented to 1 and epoch zk version is now 1'));
    // Failover created /feature.
    assert.equal((await observer.getData('/feature')).data.toString(), '{"features":{},"version":2,"status":1}');

    const b = await startNode(zk.connectString, 2);
    nodes.push(b);
    assert.equal(b.controller.isActive, false);
    assert.equal(b.controller.activeControllerId, 1);
    assert.deepEqual(await controllerEpoch(), { epoch: 1, zkVersion: 1 }, 'the loser did not bump the epoch');
    // The active controller saw broker 2 join and sent it UpdateMetadata.
    await b.broker.waitFor(() => b.broker.requestsOf(6).length > 0, 'UpdateMetadata to broker 2');
    const um = b.broker.requestsOf(6).at(-1)!;
    assert.equal(um.version, 8);
    assert.equal(um.body.controllerId, 1);
    assert.equal(um.body.controllerEpoch, 1);
    assert.equal(um.body.brokerEpoch, b.broker.brokerEpoch);
    assert.deepEqual(um.body.liveBrokers.map((x: { id: number }) => x.id).sort(), [1, 2]);
  });

  it('when the controller\'s session ends, /controller is deleted and the other broker takes over with epoch 2', async () => {
    const [a, b] = nodes as [ControllerNode, ControllerNode];
    const staleEpochZkVersion = a.controller.controllerContext.epochZkVersion;
    await a.stop();
    await eventually(() => b.controller.isActive, 'broker 2 to become controller');
    assert.equal(b.controller.epoch, 2);
    assert.deepEqual(await controllerEpoch(), { epoch: 2, zkVersion: 2 });
    assert.equal((await controllerJson()).brokerid, 2);
    // A write fenced with the old controller's epoch zkVersion is rejected.
    await assert.rejects(b.zkClient.deleteTopicDeletions(['anything'], staleEpochZkVersion), ControllerMovedError);
  });

  it('a controller that lost the role (another controller elected) resigns and its fenced writes fail', async () => {
    const b = nodes[1]!;
    const c = await startNode(zk.connectString, 3);
    nodes.push(c);
    assert.equal(c.controller.activeControllerId, 2);
    const bZkVersion = b.controller.controllerContext.epochZkVersion;
    // Hold broker 2's event loop, then delete /controller behind its back (as an operator might): broker 3
    // wins the election while broker 2's Reelect waits in its queue.
    let release!: () => void;
    const gate = new Promise<void>((r) => { release = r; });
    const held = b.controller.runOnEventLoop('hold', () => gate);
    try {
      await observer.delete('/controller');
      await eventually(() => c.controller.isActive, 'broker 3 to become controller');
      assert.deepEqual(await controllerEpoch(), { epoch: 3, zkVersion: 3 });
      assert.equal(b.controller.isActive, true, 'broker 2 has not noticed yet');
      // Its fenced writes already fail: the epoch zkVersion moved on.
      await assert.rejects(b.zkClient.createTopicPartitionStatesRaw([{
        partition: { topic: 'x', partition: 0 },
        state: { leaderAndIsr: { leader: 2, leaderEpoch: 0, isr: [2], leaderRecoveryState: 0, partitionEpoch: 0 }, controllerEpoch: 2 },
      }], bZkVersion), ControllerMovedError);
      assert.equal(await observer.exists('/brokers/topics/x/partitions/0/state'), null);
    } finally {
      // Never leave broker 2's event loop blocked, even when an assertion above failed.
      release();
    }
    await held;
    await eventually(() => !b.controller.isActive && b.controller.activeControllerId === 3, 'broker 2 to resign');
    assert.ok(b.logging.lines('kafka.controller.KafkaController', ['info']).includes('[Controller id=2] Resigned'));
    assert.equal(b.controller.controllerContext.allTopics.size, 0, 'the context was dropped');
    assert.equal(c.controller.epoch, 3);
  });

  it('after a session expiry the broker re-registers (new broker epoch) and runs the election again', async () => {
    const active = nodes.find((n) => n.controller.isActive)!;
    const other = nodes.find((n) => n !== active && n.controller.activeControllerId !== -1 && !n.controller.isActive)!;
    const epochsBefore = active.brokerEpochs.length;
    const oldBrokerEpoch = active.brokerEpochs.at(-1)!;
    await expireSession(active.session);
    // The expired controller resigned; someone (the other broker, or itself after re-registering) is elected.
    await eventually(() => active.brokerEpochs.length > epochsBefore, 'the re-registration');
    assert.ok(active.brokerEpochs.at(-1)! > oldBrokerEpoch, 'the new registration has a newer czxid');
    const { stat } = await observer.getData(`/brokers/ids/${active.id}`);
    assert.equal(stat.czxid, active.brokerEpochs.at(-1));
    assert.equal(stat.version, 1);
    await eventually(async () => {
      const id = (await controllerJson().catch(() => ({ brokerid: -1 }))).brokerid;
      return id !== -1 && nodes.filter((n) => n.controller.activeControllerId === id && n.controller.isActive).length === 1 &&
        active.controller.activeControllerId === id && other.controller.activeControllerId === id;
    }, 'one agreed controller after the expiry');
    assert.equal((await controllerEpoch()).epoch, 4);
    const lines = active.logging.lines('kafka.controller.KafkaController', ['info']);
    assert.ok(lines.some((l) => l.includes(`Re-registered broker ${active.id} with broker epoch`)));
    assert.ok(lines.includes(`[Controller id=${active.id}] Resigned`));
  });
});
