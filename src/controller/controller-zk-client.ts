/**
 * The controller's view of ZooKeeper: the KafkaZkClient verbs it uses, converted to the controller's value
 * types (classes with Kafka's helpers and log formats), plus the few controller-only verbs KafkaZkClient does
 * not offer: reading a topic's config overrides for unclean election, and creating or enabling /feature on
 * failover (v2 `{"features":{},"version":2,"status":1}`, as a 3.9 controller with IBP >= 2.7 does).
 *
 * Every write here is fenced by the controller epoch zkVersion; a failed fence surfaces as ControllerMovedError.
 */
import type { KafkaZkClient } from '../zk/kafka-zk-client';
import { ZNodeDecodeError, ZkError } from '../zk/zk-errors';
import { CreateMode, ZkVersion, type ZkSession } from '../zk/zk-session';
import type { Broker, BrokerAndEpoch, TopicIdReplicaAssignment } from '../zk/zk-types';
import {
  ConfigEntityZNode,
  ConfigType,
  FeatureZNode,
  FeatureZNodeStatus,
  ReassignPartitionsZNode,
  TopicPartitionStateZNode,
  TopicPartitionsZNode,
} from '../zk/znodes';
import {
  type ControllerBroker,
  LeaderAndIsr,
  LeaderIsrAndControllerEpoch,
  ReplicaAssignment,
  type TopicPartition,
  partitionKey,
} from './controller-types';

/** A topic's id and assignment as the controller caches them. */
export interface TopicAssignment {
  readonly topic: string;
  readonly topicId: string | null;
  readonly assignment: Map<number, ReplicaAssignment>;
}

/** Result of a conditional partition-state write: new states, and the partitions to re-read and retry. */
export interface UpdateLeaderAndIsrResult {
  readonly finished: Map<string, LeaderAndIsr | Error>;
  readonly retry: TopicPartition[];
}

/** Converts a registered broker to the controller's broker record. */
export function toControllerBroker(broker: Broker, epoch: number): ControllerBroker {
  return {
    id: broker.id,
    endPoints: broker.endpoints.map((e) => ({
      listenerName: e.listenerName,
      host: e.host ?? '',
      port: e.port,
      securityProtocol: e.securityProtocol,
    })),
    rack: broker.rack,
    epoch,
  };
}

function toTopicAssignment(a: TopicIdReplicaAssignment): TopicAssignment {
  const assignment = new Map<number, ReplicaAssignment>();
  for (const [p, ra] of a.assignment) {
    assignment.set(p, new ReplicaAssignment([...ra.replicas], [...ra.addingReplicas], [...ra.removingReplicas]));
  }
  return { topic: a.topic, topicId: a.topicId, assignment };
}

export class ControllerZkClient {
  /** `logger` receives the warnings Kafka's KafkaZkClient logs for unreadable admin znodes. */
  constructor(readonly zk: KafkaZkClient, private readonly logger: { warn(message: string): void } = { warn: () => undefined }) {}

  get session(): ZkSession {
    return this.zk.session;
  }

  // ---- brokers -------------------------------------------------------------------------------------------

  /** Registered brokers with their epochs; arms the child watch on /brokers/ids. */
  async getAllBrokerAndEpochsInCluster(): Promise<ControllerBroker[]> {
    // getSortedBrokerIdList reads the children with a watch: the controller's broker-change handler re-arms here.
    const all: BrokerAndEpoch[] = await this.zk.getAllBrokerAndEpochsInCluster();
    return all.map((b) => toControllerBroker(b.broker, b.epoch));
  }

  /** One broker with its epoch; with `watch`, arms the data watch of its znode. */
  async getBroker(brokerId: number, options: { watch?: boolean } = {}): Promise<ControllerBroker | null> {
    const b = await this.zk.getBrokerAndEpoch(brokerId, options);
    return b === null ? null : toControllerBroker(b.broker, b.epoch);
  }

  // ---- topics --------------------------------------------------------------------------------------------

  async getAllTopicsInCluster(watch: boolean): Promise<string[]> {
    return this.zk.getAllTopicsInCluster(watch);
  }

  /** Assignments and ids of topics; with `watch`, arms each topic znode's data watch. */
  async getReplicaAssignmentAndTopicIdForTopics(topics: readonly string[], options: { watch?: boolean } = {}):
    Promise<TopicAssignment[]> {
    if (topics.length === 0) return [];
    return (await this.zk.getReplicaAssignmentAndTopicIdForTopics(topics, options)).map(toTopicAssignment);
  }

  /** Gives topics without an id a random one (fenced); returns the new ids by topic. */
  async setTopicIds(topics: readonly TopicAssignment[], epochZkVersion: number): Promise<Map<string, string>> {
    const updated = await this.zk.setTopicIds(topics.map((t) => ({
      topic: t.topic, topicId: null, assignment: t.assignment,
    })), epochZkVersion);
    return new Map(updated.map((u) => [u.topic, u.topicId!]));
  }

  /** Rewrites a topic's assignment (fenced). */
  async setTopicAssignment(topic: string, options: {
    topicId: string | null; assignment: ReadonlyMap<number, ReplicaAssignment>; epochZkVersion: number;
  }): Promise<void> {
    await this.zk.setTopicAssignment(topic, options.topicId, options.assignment, options.epochZkVersion);
  }

  /** Partition numbers that have a `/partitions/<p>` node. */
  async getPartitionNodes(topic: string): Promise<number[]> {
    return (await this.zk.getChildren(TopicPartitionsZNode.path(topic), { watch: false })).map(Number);
  }

  /** A topic's config overrides (/config/topics/<t>), empty when it has none. */
  async getTopicConfig(topic: string): Promise<Record<string, string>> {
    const path = ConfigEntityZNode.path(ConfigType.TOPIC, topic);
    const node = await this.zk.getDataAndStat(path);
    return node === null ? {} : { ...ConfigEntityZNode.decode(node.data, path) };
  }

  /** Topic deletion completed: the assignment (recursively), config and marker znodes go, each fenced. */
  async deleteTopic(topic: string, epochZkVersion: number): Promise<void> {
    await this.zk.deleteTopicZNode(topic, epochZkVersion);
    await this.zk.deleteTopicConfigs([topic], epochZkVersion);
    await this.zk.deleteTopicDeletions([topic], epochZkVersion);
  }

  /** Topics marked for deletion; arms the child watch on /admin/delete_topics. */
  async getTopicDeletions(): Promise<string[]> {
    return this.zk.getTopicDeletions();
  }

  async deleteTopicDeletions(topics: readonly string[], epochZkVersion: number): Promise<void> {
    if (topics.length > 0) await this.zk.deleteTopicDeletions(topics, epochZkVersion);
  }

  // ---- partition states ----------------------------------------------------------------------------------

  /** Current states by partition key; null where the state znode does not exist. */
  async getTopicPartitionStates(partitions: readonly TopicPartition[]): Promise<Map<string, LeaderIsrAndControllerEpoch | null>> {
    const out = new Map<string, LeaderIsrAndControllerEpoch | null>(partitions.map((tp) => [partitionKey(tp), null]));
    for (const { partition, state } of await this.zk.getTopicPartitionStates(partitions)) {
      const l = state.leaderAndIsr;
      out.set(partitionKey(partition), new LeaderIsrAndControllerEpoch(
        new LeaderAndIsr(l.leader, l.leaderEpoch, [...l.isr], l.leaderRecoveryState, l.partitionEpoch), state.controllerEpoch,
      ));
    }
    return out;
  }

  /**
   * One partition's state, arming a data watch on its state znode (how the controller follows the ISR of a
   * partition being reassigned, as Kafka does below IBP 2.7). Null when the znode does not exist.
   */
  async getTopicPartitionStateAndWatch(tp: TopicPartition): Promise<LeaderIsrAndControllerEpoch | null> {
    const node = await this.zk.getDataAndStat(TopicPartitionStateZNode.path(tp), { watch: true });
    if (node === null) return null;
    const { leaderAndIsr: l, controllerEpoch } = TopicPartitionStateZNode.decode(node.data, { partition: tp, zkVersion: node.stat.version });
    return new LeaderIsrAndControllerEpoch(
      new LeaderAndIsr(l.leader, l.leaderEpoch, [...l.isr], l.leaderRecoveryState, l.partitionEpoch), controllerEpoch,
    );
  }

  /** Creates the state znodes (and `partitions` parents) of new partitions, fenced; null = created. */
  async createTopicPartitionStates(states: ReadonlyArray<[TopicPartition, LeaderIsrAndControllerEpoch]>, epochZkVersion: number):
    Promise<Map<string, Error | null>> {
    const results = await this.zk.createTopicPartitionStatesRaw(
      states.map(([partition, state]) => ({ partition, state })), epochZkVersion,
    );
    return new Map(results.map((r) => [partitionKey(r.partition), r.code === 'OK' ? null : ZkError.of(r.code)]));
  }

  /** Conditional (on each partition epoch), fenced partition-state writes. */
  async updateLeaderAndIsr(updates: ReadonlyArray<{ tp: TopicPartition; leaderAndIsr: LeaderAndIsr }>,
    options: { controllerEpoch: number; epochZkVersion: number }): Promise<UpdateLeaderAndIsrResult> {
    const outcomes = await this.zk.updateLeaderAndIsr(
      updates.map((u) => ({ partition: u.tp, leaderAndIsr: u.leaderAndIsr })), options.controllerEpoch, options.epochZkVersion,
    );
    const finished = new Map<string, LeaderAndIsr | Error>();
    const retry: TopicPartition[] = [];
    outcomes.forEach((o, i) => {
      const key = partitionKey(o.partition);
      if (o.outcome === 'retry') retry.push(updates[i]!.tp);
      else if (o.outcome === 'failed') finished.set(key, o.error);
      else finished.set(key, updates[i]!.leaderAndIsr.withPartitionEpoch(o.leaderAndIsr.partitionEpoch));
    });
    return { finished, retry };
  }

  // ---- reassignments -------------------------------------------------------------------------------------

  /**
   * The legacy /admin/reassign_partitions request, in file order (empty when absent or unreadable). Like every
   * read the active controller makes of it (Kafka's ZooKeeperClient watches paths that have a handler), this
   * arms its watch.
   */
  async getPartitionReassignment(): Promise<Array<{ tp: TopicPartition; replicas: number[] }>> {
    const path = ReassignPartitionsZNode.path();
    const node = await this.zk.getDataAndStat(path, { watch: true });
    if (node === null) return [];
    try {
      return ReassignPartitionsZNode.decode(node.data, path).map((r) => ({
        tp: { topic: r.topic, partition: r.partition }, replicas: [...r.replicas],
      }));
    } catch (e) {
      if (!(e instanceof ZNodeDecodeError)) throw e;
      this.logger.warn(`Ignoring partition reassignment due to invalid json: ${e.message}`);
      return [];
    }
  }

  /** Whether /admin/reassign_partitions exists (arming its watch, as above). */
  async reassignPartitionsInProgress(): Promise<boolean> {
    return (await this.session.exists(ReassignPartitionsZNode.path(), { watch: true })) !== null;
  }

  /** Rewrites /admin/reassign_partitions with the entries still pending, fenced. */
  async setOrCreatePartitionReassignment(entries: ReadonlyArray<{ tp: TopicPartition; replicas: readonly number[] }>,
    epochZkVersion: number): Promise<void> {
    await this.zk.setOrCreatePartitionReassignment(
      entries.map((e) => ({ topic: e.tp.topic, partition: e.tp.partition, replicas: e.replicas })), epochZkVersion,
    );
  }

  /** Deletes /admin/reassign_partitions, fenced. */
  async deletePartitionReassignment(epochZkVersion: number): Promise<void> {
    await this.zk.deletePartitionReassignment(epochZkVersion);
  }

  // ---- controller ----------------------------------------------------------------------------------------

  /**
   * Creates /feature (v2, no finalized features, enabled) when missing, or enables a disabled one, as a 3.9
   * controller does on failover. Fenced.
   */
  async ensureFeatureZNodeEnabled(epochZkVersion: number): Promise<'created' | 'enabled' | 'unchanged'> {
    const path = FeatureZNode.path();
    const node = await this.zk.getDataAndStat(path);
    if (node === null) {
      const data = FeatureZNode.encode({ version: 2, status: FeatureZNodeStatus.Enabled, features: new Map() });
      try {
        await this.zk.fencedOp({ type: 'create', path, data, mode: CreateMode.PERSISTENT }, epochZkVersion);
      } catch (e) {
        if (e instanceof ZkError && e.code === 'NODEEXISTS') return 'unchanged';
        throw e;
      }
      return 'created';
    }
    const contents = FeatureZNode.decode(node.data, path);
    if (contents.status === FeatureZNodeStatus.Enabled) return 'unchanged';
    const data = FeatureZNode.encode({ version: 2, status: FeatureZNodeStatus.Enabled, features: contents.features });
    await this.zk.fencedOp({ type: 'setData', path, data, version: ZkVersion.MatchAny }, epochZkVersion);
    return 'enabled';
  }
}
