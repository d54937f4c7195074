/**
 * The controller's request batch and channel manager against fake brokers over TCP: request versions follow
 * each broker's ApiVersions, bodies are right for every version, requests are retried until the broker is
 * reachable, dropped when it is removed, delivered in order, and responses come back as controller events.
 */
import assert from 'node:assert/strict';
import * as net from 'node:net';
import { after, describe, it } from 'node:test';
import { ControllerChannelManager } from '../../src/controller/controller-channel-manager';
import { ControllerContext } from '../../src/controller/controller-context';
import type { ControllerEvent } from '../../src/controller/controller-events';
import { StateChangeLogger } from '../../src/controller/controller-logger';
import { ControllerBrokerRequestBatch } from '../../src/controller/controller-request-batch';
import {
  type ControllerBroker,
  LeaderAndIsr,
  LeaderIsrAndControllerEpoch,
  ReplicaAssignment,
} from '../../src/controller/controller-types';
import { ApiKeys } from '../../src/protocol';
import { MemoryLogging, eventually } from './controller-test-utils';
import { FakeBroker, leaderAndIsrPartitions, updateMetadataPartitions } from './fake-broker';

async function reservePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

function brokerRecord(id: number, port: number, epoch: number): ControllerBroker {
  return {
    id,
    endPoints: [{ listenerName: 'PLAINTEXT', host: '127.0.0.1', port, securityProtocol: 'PLAINTEXT' }],
    rack: id === 1 ? 'rack-a' : null,
    epoch,
  };
}

function harness() {
  const logging = new MemoryLogging();
  const ctx = new ControllerContext();
  ctx.epoch = 5;
  const events: ControllerEvent[] = [];
  const channel = new ControllerChannelManager({
    controllerId: 0, interBrokerListenerName: 'PLAINTEXT', socketTimeoutMs: 2000, controllerEpoch: () => ctx.epoch, logging,
    retryBackoffMs: 50,
  });
  const batch = new ControllerBrokerRequestBatch({
    controllerId: 0, context: ctx, sendRequest: (id, r) => channel.sendRequest(id, r), sendEvent: (e) => events.push(e),
    stateChangeLogger: new StateChangeLogger(logging, 0), logger: logging.logger('kafka.controller.KafkaController', 'Controller id=0'),
    interBrokerListenerName: 'PLAINTEXT',
  });
  return { logging, ctx, events, channel, batch };
}

describe('controller request batch and channel manager', { timeout: 180_000 }, () => {
  const toStop: FakeBroker[] = [];
  const channels: ControllerChannelManager[] = [];
  after(async () => {
    for (const c of channels) c.shutdown();
    for (const b of toStop) await b.stop();
  });

  async function fake(id: number, versions?: ConstructorParameters<typeof FakeBroker>[0]['versions'], port = 0) {
    const b = new FakeBroker({ id, zkConnect: 'unused', versions });
    b.port = port;
    await b.listen();
    toStop.push(b);
    return b;
  }

  it('sends 3.9 versions to a current broker and lower versions to older brokers, with the right bodies', async () => {
    const { ctx, channel, batch, events } = harness();
    channels.push(channel);
    const current = await fake(1);
    const older = await fake(2, { [ApiKeys.LeaderAndIsr]: { min: 0, max: 4 }, [ApiKeys.UpdateMetadata]: { min: 0, max: 5 }, [ApiKeys.StopReplica]: { min: 0, max: 1 } });
    const oldest = await fake(3, { [ApiKeys.LeaderAndIsr]: { min: 0, max: 1 }, [ApiKeys.UpdateMetadata]: { min: 0, max: 3 }, [ApiKeys.StopReplica]: { min: 0, max: 0 } });
    const brokers = [brokerRecord(1, current.port, 101), brokerRecord(2, older.port, 102), brokerRecord(3, oldest.port, 103)];
    ctx.setLiveBrokers(brokers);
    channel.startup(brokers);
    const tp = { topic: 't', partition: 0 };
    ctx.setAllTopics(['t']);
    ctx.addTopicId('t', 'kHq3yxsYQ3uYxT5nbL1Z7w');
    ctx.updatePartitionFullReplicaAssignment(tp, new ReplicaAssignment([1, 2, 3]));
    ctx.updatePartitionFullReplicaAssignment({ topic: 't', partition: 1 }, new ReplicaAssignment([2, 3]));
    const state = new LeaderIsrAndControllerEpoch(new LeaderAndIsr(1, 4, [1, 2, 3], 0, 7), 5);
    ctx.putPartitionLeadershipInfo(tp, state);

    batch.newBatch();
    batch.addLeaderAndIsrRequestForBrokers([1, 2, 3], tp, { leaderIsrAndControllerEpoch: state, replicaAssignment: ctx.partitionFullReplicaAssignment(tp)!, isNew: true });
    batch.addStopReplicaRequestForBrokers([2, 3], tp, { deletePartition: false });
    batch.addStopReplicaRequestForBrokers([2, 3], { topic: 't', partition: 1 }, { deletePartition: true });
    batch.sendRequestsToBrokers(5);
    await channel.idle();

    const [l1] = current.requestsOf(ApiKeys.LeaderAndIsr);
    assert.equal(l1!.version, 7);
    assert.equal(l1!.body.brokerEpoch, 101);
    assert.equal(l1!.clientId, '0', 'the controller\'s broker id is the client id, as in Kafka');
    assert.deepEqual(leaderAndIsrPartitions(l1!).map((p) => [p.topicName, p.topicId, p.partitionIndex, p.leader, p.leaderEpoch,
      p.isr, p.partitionEpoch, p.replicas, p.isNew, p.controllerEpoch]),
    [['t', 'kHq3yxsYQ3uYxT5nbL1Z7w', 0, 1, 4, [1, 2, 3], 7, [1, 2, 3], true, 5]]);
    assert.deepEqual(l1!.body.liveLeaders, [{ brokerId: 1, hostName: '127.0.0.1', port: current.port }]);
    const [l2] = older.requestsOf(ApiKeys.LeaderAndIsr);
    assert.equal(l2!.version, 4);
    assert.deepEqual(leaderAndIsrPartitions(l2!).map((p) => [p.topicName, p.leader, p.isr, p.isNew]), [['t', 1, [1, 2, 3], true]]);
    const [l3] = oldest.requestsOf(ApiKeys.LeaderAndIsr);
    assert.equal(l3!.version, 1);
    assert.deepEqual(leaderAndIsrPartitions(l3!).map((p) => [p.topicName, p.partitionIndex, p.leader, p.isNew]), [['t', 0, 1, true]]);

    const [u1] = current.requestsOf(ApiKeys.UpdateMetadata);
    assert.equal(u1!.version, 8);
    const { id, endpoints, rack } = u1!.body.liveBrokers.find((b: { id: number }) => b.id === 1);
    assert.deepEqual({ id, endpoints, rack }, {
      id: 1, endpoints: [{ port: current.port, host: '127.0.0.1', listener: 'PLAINTEXT', securityProtocol: 0 }], rack: 'rack-a',
    });
    assert.deepEqual(updateMetadataPartitions(u1!).map((p) => [p.topicName, p.partitionIndex, p.leader, p.zkVersion]), [['t', 0, 1, 7]]);
    assert.equal(older.requestsOf(ApiKeys.UpdateMetadata)[0]!.version, 5);
    const u3 = oldest.requestsOf(ApiKeys.UpdateMetadata)[0]!;
    assert.equal(u3.version, 3);
    assert.deepEqual(updateMetadataPartitions(u3).map((p) => [p.topicName, p.leader]), [['t', 1]]);

    // StopReplica below v3 cannot mix kept and deleted partitions: two requests.
    const s2 = older.requestsOf(ApiKeys.StopReplica);
    assert.deepEqual(s2.map((r) => [r.version, r.body.deletePartitions, r.body.topics]), [
      [1, false, [{ name: 't', partitionIndexes: [0] }]],
      [1, true, [{ name: 't', partitionIndexes: [1] }]],
    ]);
    const s3 = oldest.requestsOf(ApiKeys.StopReplica);
    assert.deepEqual(s3.map((r) => [r.version, r.body.deletePartitions, r.body.ungroupedPartitions]), [
      [0, false, [{ topicName: 't', partitionIndex: 0 }]],
      [0, true, [{ topicName: 't', partitionIndex: 1 }]],
    ]);

    // Responses became events: LeaderAndIsr per partition (v5+ mapped back from the topic id), UpdateMetadata.
    await eventually(() => events.filter((e) => e.type === 'LeaderAndIsrResponseReceived').length === 3, 'LeaderAndIsr responses');
    for (const e of events) {
      if (e.type === 'LeaderAndIsrResponseReceived') {
        assert.deepEqual(e.partitionErrors, [{ tp: { topic: 't', partition: 0 }, errorCode: 0 }], `from broker ${e.brokerId}`);
      }
    }
    assert.equal(events.filter((e) => e.type === 'UpdateMetadataResponseReceived').length, 3);
  });

  it('retries a request until the broker is reachable, and keeps requests in order', async () => {
    const { ctx, channel, batch, logging } = harness();
    channels.push(channel);
    const port = await reservePort();
    const broker = brokerRecord(7, port, 70);
    ctx.setLiveBrokers([broker]);
    channel.startup([broker]);
    for (let i = 0; i < 5; i++) {
      const tp = { topic: `o${i}`, partition: 0 };
      ctx.updatePartitionFullReplicaAssignment(tp, new ReplicaAssignment([7]));
      ctx.putPartitionLeadershipInfo(tp, new LeaderIsrAndControllerEpoch(LeaderAndIsr.initial(7, [7]), 5));
      batch.newBatch();
      batch.addUpdateMetadataRequestForBrokers([7], [tp]);
      batch.sendRequestsToBrokers(5);
    }
    await eventually(() => logging.lines('kafka.controller.RequestSendThread', ['warn']).filter((l) =>
      l.includes('fails to send request UpdateMetadata') && l.includes('Reconnecting to broker')).length >= 2, 'failed attempts');
    assert.equal(channel.queueSize(7), 5);
    const late = await fake(7, undefined, port);
    await late.waitFor(() => late.requestsOf(ApiKeys.UpdateMetadata).length === 5, 'all five requests');
    assert.deepEqual(late.requestsOf(ApiKeys.UpdateMetadata).map((r) => updateMetadataPartitions(r)[0].topicName), ['o0', 'o1', 'o2', 'o3', 'o4']);
    assert.ok(logging.lines('kafka.controller.RequestSendThread', ['info']).includes(
      `[RequestSendThread controllerId=0] Controller 0 connected to 127.0.0.1:${port} (id: 7 rack: null) for sending state change requests`));
  });

  it('drops the queue of a removed broker', async () => {
    const { ctx, channel, batch, logging } = harness();
    channels.push(channel);
    const port = await reservePort();
    const broker = brokerRecord(8, port, 80);
    ctx.setLiveBrokers([broker]);
    channel.startup([broker]);
    batch.newBatch();
    batch.addUpdateMetadataRequestForBrokers([8], []);
    batch.sendRequestsToBrokers(5);
    await eventually(() => logging.lines('kafka.controller.RequestSendThread', ['warn']).length > 0, 'a failed attempt');
    channel.removeBroker(8);
    assert.equal(channel.queueSize(8), 0);
    const late = await fake(8, undefined, port);
    await new Promise((r) => setTimeout(r, 400));
    assert.equal(late.received.length, 0, 'nothing is sent to a removed broker');
    // And requests to it are now refused with Kafka's warning.
    batch.newBatch();
    batch.addUpdateMetadataRequestForBrokers([8], []);
    batch.sendRequestsToBrokers(5);
    assert.ok(logging.lines('kafka.controller.ControllerChannelManager', ['warn']).some((l) =>
      l.includes('to broker 8, since it is offline.')));
  });

  it('refuses to start a batch while the previous one was not sent', () => {
    const { ctx, batch } = harness();
    ctx.setLiveBrokers([brokerRecord(1, 1, 1)]);
    batch.newBatch();
    batch.addUpdateMetadataRequestForBrokers([1], []);
    assert.throws(() => batch.newBatch(), /batch is not empty while creating a new one/);
    batch.clear();
    batch.newBatch();
  });
});
