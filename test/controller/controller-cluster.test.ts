/**
 * End to end with real ts-kafka brokers (separate processes) and a real ZooKeeper: the controller elected among
 * them creates partition states for a topic created through kafkajs, moves leadership when a broker stops,
 * publishes it to the other brokers (seen in Metadata), deletes the topic, and fails over to another broker
 * with the next epoch when the controller's broker stops.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { ZkSession } from '../../src/zk/zk-session';
import { startCluster, type Cluster } from '../harness/cluster';
import { eventually } from './controller-test-utils';

describe('controller with real brokers', { timeout: 240_000 }, () => {
  let cluster: Cluster;
  let zk: ZkSession;
  let admin: Admin;

  const json = async (path: string) => JSON.parse((await zk.getData(path)).data.toString());
  const connectAdmin = async (brokers: string[]) => {
    const a = new Kafka({ clientId: 'controller-e2e', brokers, logLevel: logLevel.NOTHING, retry: { retries: 8 } }).admin();
    await a.connect();
    return a;
  };

  before(async () => {
    cluster = await startCluster({ brokers: 3, props: { 'auto.leader.rebalance.enable': 'false' } });
    zk = await ZkSession.connect({ connectString: cluster.zk.connectString, sessionTimeoutMs: 10_000 });
    admin = await connectAdmin(cluster.brokers.map((b) => b.bootstrap));
  });

  after(async () => {
    await admin?.disconnect();
    await zk?.close();
    await cluster?.stop();
  });

  it('elects one controller among the brokers and writes Kafka\'s partition states for a new topic', async () => {
    const controller = (await json('/controller')).brokerid as number;
    assert.ok([0, 1, 2].includes(controller));
    assert.equal(Number((await zk.getData('/controller_epoch')).data.toString()), 1);
    assert.deepEqual(await json('/feature'), { features: {}, version: 2, status: 1 });

    assert.equal(await admin.createTopics({ topics: [{ topic: 'e2e', numPartitions: 3, replicationFactor: 3 }], waitForLeaders: true }), true);
    const assignment = (await json('/brokers/topics/e2e')).partitions as Record<string, number[]>;
    for (const [p, replicas] of Object.entries(assignment)) {
      const state = await json(`/brokers/topics/e2e/partitions/${p}/state`);
      assert.deepEqual(state, { controller_epoch: 1, leader: replicas[0], version: 1, leader_epoch: 0, isr: replicas });
    }
    const meta = await admin.fetchTopicMetadata({ topics: ['e2e'] });
    for (const p of meta.topics[0]!.partitions) assert.equal(p.leader, assignment[String(p.partitionId)]![0]);
  });

  it('moves leadership off a stopped broker and tells the others', async () => {
    const controller = (await json('/controller')).brokerid as number;
    const victim = cluster.brokers.find((b) => b.id !== controller)!;
    const assignment = (await json('/brokers/topics/e2e')).partitions as Record<string, number[]>;
    await victim.stop();
    for (const [p, replicas] of Object.entries(assignment)) {
      const expectedLeader = replicas.find((r) => r !== victim.id)!;
      await eventually(async () => {
        const s = await json(`/brokers/topics/e2e/partitions/${p}/state`);
        return !s.isr.includes(victim.id) && s.leader === expectedLeader;
      }, `e2e-${p} without broker ${victim.id}`);
    }
    const others = cluster.brokers.filter((b) => b !== victim).map((b) => b.bootstrap);
    const a = await connectAdmin(others);
    try {
      await eventually(async () => {
        const meta = await a.fetchTopicMetadata({ topics: ['e2e'] });
        return meta.topics[0]!.partitions.every((p) => p.leader !== victim.id && !p.isr.includes(victim.id));
      }, 'metadata without the stopped broker');
    } finally {
      await a.disconnect();
    }
    await victim.start();
    await eventually(async () => (await zk.exists(`/brokers/ids/${victim.id}`)) !== null, 'the broker back');
  });

  it('deletes a topic: every znode of it goes', async () => {
    await admin.deleteTopics({ topics: ['e2e'], timeout: 20_000 });
    // The controller deletes the assignment, then the config, then the marker.
    await eventually(async () => (await zk.exists('/admin/delete_topics/e2e')) === null, 'deletion marker removed');
    assert.equal(await zk.exists('/brokers/topics/e2e'), null);
    assert.equal(await zk.exists('/config/topics/e2e'), null);
  });

  it('fails over to another broker with the next epoch when the controller stops', async () => {
    const old = (await json('/controller')).brokerid as number;
    const epoch = Number((await zk.getData('/controller_epoch')).data.toString());
    await cluster.brokers.find((b) => b.id === old)!.stop();
    const next = await eventually(async () => {
      const c = await json('/controller').catch(() => null);
      return c !== null && c.brokerid !== old ? (c.brokerid as number) : null;
    }, 'a new controller');
    assert.equal(Number((await zk.getData('/controller_epoch')).data.toString()), epoch + 1);
    // The new controller works: a topic created now gets its partition state with the new controller epoch.
    const a = await connectAdmin(cluster.brokers.filter((b) => b.id !== old).map((b) => b.bootstrap));
    try {
      // The brokers learn the new controller from its UpdateMetadata.
      await eventually(async () => {
        const d = await a.describeCluster();
        return d.controller === next && d.brokers.every((b) => b.nodeId !== old);
      }, 'the brokers to report the new controller');
      assert.equal(await a.createTopics({ topics: [{ topic: 'after-failover', numPartitions: 1, replicationFactor: 1 }], waitForLeaders: true }), true);
    } finally {
      await a.disconnect();
    }
    const state = await json('/brokers/topics/after-failover/partitions/0/state');
    assert.equal(state.controller_epoch, epoch + 1);
    assert.notEqual(state.leader, old);
    assert.ok(next !== old);
  });
});
