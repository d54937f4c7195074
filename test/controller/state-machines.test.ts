import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ControllerChannelManager } from '../../src/controller/controller-channel-manager';
import { ControllerContext } from '../../src/controller/controller-context';
import { StateChangeLogger } from '../../src/controller/controller-logger';
import { ControllerBrokerRequestBatch } from '../../src/controller/controller-request-batch';
import {
  PartitionState,
  type PartitionStateName,
  ReplicaState,
  type ReplicaStateName,
  isValidPartitionTransition,
  isValidReplicaTransition,
} from '../../src/controller/controller-states';
import { LeaderAndIsr, LeaderIsrAndControllerEpoch, ReplicaAssignment } from '../../src/controller/controller-types';
import { ControllerZkClient } from '../../src/controller/controller-zk-client';
import { ElectionStrategy } from '../../src/controller/election';
import { PartitionStateMachine } from '../../src/controller/partition-state-machine';
import { ReplicaStateMachine } from '../../src/controller/replica-state-machine';
import { KafkaZkClient } from '../../src/zk/kafka-zk-client';
import { ZkSession } from '../../src/zk/zk-session';
import { startZooKeeper, type TestZooKeeper } from '../harness/zookeeper';
import { MemoryLogging } from './controller-test-utils';

// Kafka's tables, written out independently of the implementation: expected[to] = valid previous states.
const partitionStates = Object.values(PartitionState);
const expectedPartition: Record<PartitionStateName, PartitionStateName[]> = {
  NonExistentPartition: ['OfflinePartition'],
  NewPartition: ['NonExistentPartition'],
  OnlinePartition: ['NewPartition', 'OnlinePartition', 'OfflinePartition'],
  OfflinePartition: ['NewPartition', 'OnlinePartition', 'OfflinePartition'],
};
const replicaStates = Object.values(ReplicaState);
const expectedReplica: Record<ReplicaStateName, ReplicaStateName[]> = {
  NewReplica: ['NonExistentReplica'],
  OnlineReplica: ['NewReplica', 'OnlineReplica', 'OfflineReplica', 'ReplicaDeletionIneligible'],
  OfflineReplica: ['NewReplica', 'OnlineReplica', 'OfflineReplica', 'ReplicaDeletionIneligible'],
  ReplicaDeletionStarted: ['OfflineReplica'],
  ReplicaDeletionSuccessful: ['ReplicaDeletionStarted'],
  ReplicaDeletionIneligible: ['OfflineReplica', 'ReplicaDeletionStarted'],
  NonExistentReplica: ['ReplicaDeletionSuccessful'],
};

describe('state tables', () => {
  it('partition transitions: exactly Kafka\'s valid previous states', () => {
    for (const from of partitionStates) {
      for (const to of partitionStates) {
        assert.equal(isValidPartitionTransition(from, to), expectedPartition[to].includes(from), `${from} -> ${to}`);
      }
    }
  });

  it('replica transitions: exactly Kafka\'s valid previous states', () => {
    for (const from of replicaStates) {
      for (const to of replicaStates) {
        assert.equal(isValidReplicaTransition(from, to), expectedReplica[to].includes(from), `${from} -> ${to}`);
      }
    }
  });
});

describe('state machines on a real ZooKeeper', { timeout: 180_000 }, () => {
  let zk: TestZooKeeper;
  let session: ZkSession;
  let zkClient: KafkaZkClient;
  let ctx: ControllerContext;
  let logging: MemoryLogging;
  let psm: PartitionStateMachine;
  let rsm: ReplicaStateMachine;
  let channel: ControllerChannelManager;

  before(async () => {
    zk = await startZooKeeper();
    session = await ZkSession.connect({ connectString: zk.connectString, sessionTimeoutMs: 10_000 });
    zkClient = new KafkaZkClient(session);
    await zkClient.createTopLevelPaths();
    const { epoch, epochZkVersion } = await zkClient.registerControllerAndIncrementControllerEpoch(0);
    ctx = new ControllerContext();
    ctx.epoch = epoch;
    ctx.epochZkVersion = epochZkVersion;
    // Broker 1 is live (its id in the context is what matters to the state machines).
    ctx.setLiveBrokers([{ id: 1, endPoints: [], rack: null, epoch: 10 }]);
    logging = new MemoryLogging();
    channel = new ControllerChannelManager({
      controllerId: 0, interBrokerListenerName: 'PLAINTEXT', socketTimeoutMs: 1000, controllerEpoch: () => ctx.epoch, logging,
    });
    const stateChangeLogger = new StateChangeLogger(logging, 0);
    const batch = () => new ControllerBrokerRequestBatch({
      controllerId: 0, context: ctx, sendRequest: (id, r) => channel.sendRequest(id, r), sendEvent: () => {},
      stateChangeLogger, logger: logging.logger('kafka.controller.KafkaController', 'Controller id=0'),
      interBrokerListenerName: 'PLAINTEXT',
    });
    const controllerZk = new ControllerZkClient(zkClient);
    psm = new PartitionStateMachine({
      controllerId: 0, context: ctx, zkClient: controllerZk, requestBatch: batch(), stateChangeLogger,
      logger: logging.logger('kafka.controller.ZkPartitionStateMachine'), uncleanLeaderElectionEnable: () => false,
    });
    rsm = new ReplicaStateMachine({
      controllerId: 0, context: ctx, zkClient: controllerZk, requestBatch: batch(), stateChangeLogger,
      logger: logging.logger('kafka.controller.ZkReplicaStateMachine'),
    });
  });

  after(async () => {
    channel.shutdown();
    await session.close();
    await zk.stop();
  });

  it('every partition transition: legal ones happen, illegal ones are refused and logged', async () => {
    let n = 0;
    for (const from of partitionStates) {
      for (const to of partitionStates) {
        const tp = { topic: `p${n++}`, partition: 0 };
        ctx.setAllTopics([...ctx.allTopics, tp.topic]);
        ctx.updatePartitionFullReplicaAssignment(tp, new ReplicaAssignment([1]));
        await zkClient.createTopicAssignment(tp.topic, null, new Map([[0, [1]]]));
        if (from === PartitionState.OnlinePartition || from === PartitionState.OfflinePartition) {
          // An existing partition has its state znode and a cached leader.
          const state = new LeaderIsrAndControllerEpoch(LeaderAndIsr.initial(1, [1]), ctx.epoch);
          await zkClient.createTopicPartitionStatesRaw([{ partition: tp, state }], ctx.epochZkVersion);
          ctx.putPartitionLeadershipInfo(tp, state);
        }
        ctx.putPartitionState(tp, from);
        const before = logging.records.length;
        await psm.handleStateChanges([tp], to, { strategy: { kind: ElectionStrategy.Offline, allowUnclean: false } });
        const errors = logging.records.slice(before).filter((r) => r.loggerName === 'state.change.logger' && r.level === 'error');
        if (expectedPartition[to].includes(from)) {
          assert.equal(ctx.partitionState(tp), to, `${from} -> ${to} should happen`);
          assert.equal(errors.length, 0, `${from} -> ${to}: ${errors.map((e) => e.message).join('; ')}`);
        } else {
          assert.equal(ctx.partitionState(tp), from, `${from} -> ${to} must be refused`);
          assert.equal(errors.length, 1, `${from} -> ${to} must be logged`);
          assert.equal(errors[0]!.ident, `Controller id=0 epoch=${ctx.epoch}`);
          assert.equal(errors[0]!.message, `Controller 0 epoch ${ctx.epoch} failed to change state for partition ${tp.topic}-0 ` +
            `from ${from} to ${to}`);
          assert.match(String((errors[0]!.cause as Error).message),
            new RegExp(`should be in one of ${expectedPartition[to].join(',')} states before moving to ${to} state\\. ` +
              `Instead it is in ${from} state`));
        }
      }
    }
  });

  it('NewPartition -> OnlinePartition writes the state znode as Kafka does and logs the change', async () => {
    const tp = { topic: 'fresh', partition: 0 };
    ctx.setAllTopics([...ctx.allTopics, tp.topic]);
    ctx.updatePartitionFullReplicaAssignment(tp, new ReplicaAssignment([2, 1]));
    await zkClient.createTopicAssignment(tp.topic, null, new Map([[0, [2, 1]]]));
    await psm.handleStateChanges([tp], PartitionState.NewPartition);
    await psm.handleStateChanges([tp], PartitionState.OnlinePartition, { strategy: { kind: ElectionStrategy.Offline, allowUnclean: false } });
    const { data, stat } = await session.getData('/brokers/topics/fresh/partitions/0/state');
    // Broker 2 is not live: broker 1 leads alone.
    assert.equal(data.toString(), `{"controller_epoch":${ctx.epoch},"leader":1,"version":1,"leader_epoch":0,"isr":[1]}`);
    assert.equal(stat.version, 0);
    assert.ok(logging.lines('state.change.logger', ['info']).includes(`[Controller id=0 epoch=${ctx.epoch}] Changed partition ` +
      'fresh-0 from NewPartition to OnlinePartition with state LeaderAndIsr(leader=1, leaderEpoch=0, isr=List(1), ' +
      'leaderRecoveryState=RECOVERED, partitionEpoch=0)'));
  });

  it('NewPartition -> OnlinePartition without a live replica fails and stays New', async () => {
    const tp = { topic: 'orphan', partition: 0 };
    ctx.setAllTopics([...ctx.allTopics, tp.topic]);
    ctx.updatePartitionFullReplicaAssignment(tp, new ReplicaAssignment([7]));
    ctx.putPartitionState(tp, PartitionState.NewPartition);
    await psm.handleStateChanges([tp], PartitionState.OnlinePartition, { strategy: { kind: ElectionStrategy.Offline, allowUnclean: false } });
    assert.equal(ctx.partitionState(tp), PartitionState.NewPartition);
    assert.equal(await session.exists('/brokers/topics/orphan/partitions/0/state'), null);
    const err = logging.records.find((r) => r.loggerName === 'state.change.logger' && r.message.includes('orphan-0'));
    assert.match(String((err?.cause as Error).message), /No assigned replica is alive/);
  });

  it('every replica transition: legal ones happen, illegal ones are refused and logged', async () => {
    let n = 0;
    for (const from of replicaStates) {
      for (const to of replicaStates) {
        const topic = `r${n++}`;
        const r = { topic, partition: 0, replica: 1 };
        ctx.setAllTopics([...ctx.allTopics, topic]);
        ctx.updatePartitionFullReplicaAssignment({ topic, partition: 0 }, new ReplicaAssignment([1]));
        if (from === ReplicaState.NonExistentReplica) ctx.removeReplicaState(r);
        else ctx.putReplicaState(r, from);
        const before = logging.records.length;
        await rsm.handleStateChanges([r], to);
        const errors = logging.records.slice(before).filter((x) => x.loggerName === 'state.change.logger' && x.level === 'error');
        if (expectedReplica[to].includes(from)) {
          assert.equal(ctx.replicaState(r), to, `${from} -> ${to} should happen`);
          assert.equal(errors.length, 0, `${from} -> ${to}`);
          if (to === ReplicaState.NonExistentReplica) {
            assert.equal(ctx.hasReplicaState(r), false);
            assert.deepEqual(ctx.partitionReplicaAssignment(r), [], 'a deleted replica leaves the assignment');
          }
        } else {
          assert.equal(ctx.replicaState(r), from, `${from} -> ${to} must be refused`);
          assert.equal(errors.length, 1, `${from} -> ${to} must be logged`);
          assert.equal(errors[0]!.message, `Controller 0 epoch ${ctx.epoch} initiated state change of replica 1 for partition ` +
            `${topic}-0 from ${from} to ${to} failed`);
          assert.match(String((errors[0]!.cause as Error).message),
            new RegExp(`Replica \\[Topic=${topic},Partition=0,Replica=1\\] should be in the ${expectedReplica[to].join(',')} ` +
              `states before moving to ${to} state\\. Instead it is in ${from} state`));
        }
      }
    }
  });

  it('OfflineReplica removes the replica from the ISR (leader -1 when it led alone, ISR kept)', async () => {
    const tp = { topic: 'isr', partition: 0 };
    ctx.setAllTopics([...ctx.allTopics, tp.topic]);
    ctx.updatePartitionFullReplicaAssignment(tp, new ReplicaAssignment([1, 3]));
    await zkClient.createTopicAssignment(tp.topic, null, new Map([[0, [1, 3]]]));
    const state = new LeaderIsrAndControllerEpoch(LeaderAndIsr.initial(3, [3, 1]), ctx.epoch);
    await zkClient.createTopicPartitionStatesRaw([{ partition: tp, state }], ctx.epochZkVersion);
    ctx.putPartitionLeadershipInfo(tp, state);
    ctx.putReplicaState({ ...tp, replica: 1 }, ReplicaState.OnlineReplica);
    ctx.putReplicaState({ ...tp, replica: 3 }, ReplicaState.OnlineReplica);
    await rsm.handleStateChanges([{ ...tp, replica: 1 }], ReplicaState.OfflineReplica);
    let node = await session.getData('/brokers/topics/isr/partitions/0/state');
    assert.equal(node.data.toString(), `{"controller_epoch":${ctx.epoch},"leader":3,"version":1,"leader_epoch":1,"isr":[3]}`);
    assert.equal(node.stat.version, 1);
    await rsm.handleStateChanges([{ ...tp, replica: 3 }], ReplicaState.OfflineReplica);
    node = await session.getData('/brokers/topics/isr/partitions/0/state');
    assert.equal(node.data.toString(), `{"controller_epoch":${ctx.epoch},"leader":-1,"version":1,"leader_epoch":2,"isr":[3]}`);
    assert.equal(ctx.partitionLeadershipInfo(tp)?.leaderAndIsr.partitionEpoch, 2);
  });

  it('a conditional write that meets a newer zkVersion re-reads and retries', async () => {
    const tp = { topic: 'race', partition: 0 };
    const path = '/brokers/topics/race/partitions/0/state';
    ctx.setAllTopics([...ctx.allTopics, tp.topic]);
    ctx.updatePartitionFullReplicaAssignment(tp, new ReplicaAssignment([1, 4]));
    await zkClient.createTopicAssignment(tp.topic, null, new Map([[0, [1, 4]]]));
    const state = new LeaderIsrAndControllerEpoch(LeaderAndIsr.initial(4, [4, 1]), ctx.epoch);
    await zkClient.createTopicPartitionStatesRaw([{ partition: tp, state }], ctx.epochZkVersion);
    ctx.putPartitionLeadershipInfo(tp, state);
    ctx.putPartitionState(tp, PartitionState.OfflinePartition);
    // Between the controller's read and its conditional write, someone else (a leader at IBP < 2.7) changes the
    // ISR: the first write must fail with BADVERSION, the state be re-read and the election retried.
    let raced = false;
    class RacingZkClient extends ControllerZkClient {
      override async updateLeaderAndIsr(...args: Parameters<ControllerZkClient['updateLeaderAndIsr']>) {
        if (!raced) {
          raced = true;
          await session.setData(path, Buffer.from(`{"controller_epoch":${ctx.epoch},"leader":4,"version":1,"leader_epoch":0,"isr":[4,1]}`), 0);
        }
        return super.updateLeaderAndIsr(...args);
      }
    }
    const racingPsm = new PartitionStateMachine({
      controllerId: 0, context: ctx, zkClient: new RacingZkClient(zkClient),
      requestBatch: new ControllerBrokerRequestBatch({
        controllerId: 0, context: ctx, sendRequest: (id, r) => channel.sendRequest(id, r), sendEvent: () => {},
        stateChangeLogger: new StateChangeLogger(logging, 0), logger: logging.logger('kafka.controller.KafkaController'),
        interBrokerListenerName: 'PLAINTEXT',
      }),
      stateChangeLogger: new StateChangeLogger(logging, 0),
      logger: logging.logger('kafka.controller.ZkPartitionStateMachine'), uncleanLeaderElectionEnable: () => false,
    });
    await racingPsm.handleStateChanges([tp], PartitionState.OnlinePartition, { strategy: { kind: ElectionStrategy.Offline, allowUnclean: false } });
    assert.ok(raced);
    assert.equal(ctx.partitionState(tp), PartitionState.OnlinePartition);
    assert.ok(logging.lines('kafka.controller.ZkPartitionStateMachine', ['debug']).some((l) =>
      l.includes('race-0') && l.includes('failed with bad ZK version. This will be retried.')));
    const node = await session.getData(path);
    // Broker 4 is dead: broker 1 (live, in the ISR) is elected on the retry, from the re-read state.
    assert.equal(node.data.toString(), `{"controller_epoch":${ctx.epoch},"leader":1,"version":1,"leader_epoch":1,"isr":[1]}`);
    assert.equal(node.stat.version, 2);
    assert.equal(ctx.partitionLeadershipInfo(tp)?.leaderAndIsr.partitionEpoch, 2);
  });

  it('an election is aborted when a newer controller wrote the partition state', async () => {
    const tp = { topic: 'newer', partition: 0 };
    ctx.setAllTopics([...ctx.allTopics, tp.topic]);
    ctx.updatePartitionFullReplicaAssignment(tp, new ReplicaAssignment([1]));
    await zkClient.createTopicAssignment(tp.topic, null, new Map([[0, [1]]]));
    const state = new LeaderIsrAndControllerEpoch(LeaderAndIsr.initial(1, [1]), ctx.epoch + 5);
    await zkClient.createTopicPartitionStatesRaw([{ partition: tp, state }], ctx.epochZkVersion);
    ctx.putPartitionState(tp, PartitionState.OfflinePartition);
    await psm.handleStateChanges([tp], PartitionState.OnlinePartition, { strategy: { kind: ElectionStrategy.Offline, allowUnclean: false } });
    assert.equal(ctx.partitionState(tp), PartitionState.OfflinePartition);
    const err = logging.records.find((r) => r.loggerName === 'state.change.logger' && r.message.includes('newer-0'));
    assert.match(String((err?.cause as Error).message), /already written by another controller/);
    const node = await session.getData('/brokers/topics/newer/partitions/0/state');
    assert.equal(node.stat.version, 0, 'nothing written');
  });
});
