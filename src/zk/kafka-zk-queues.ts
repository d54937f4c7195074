/**
 * The legacy admin requests and notification queues of a ZooKeeper-mode cluster, as KafkaZkClient reads and
 * clears them: /admin/reassign_partitions, /admin/preferred_replica_election, /isr_change_notification and
 * /log_dir_event_notification. Deletes made by the controller are fenced by its epoch zkVersion.
 * Part of KafkaZkClient (see kafka-zk-client.ts for the layering).
 */
import { ZkClientBase } from './zk-client-base';
import { ZNodeDecodeError } from './zk-errors';
import { CreateMode, ZkVersion } from './zk-session';
import { isCode } from './zk-client-base';
import type { TopicPartition } from './zk-types';
import {
  IsrChangeNotificationSequenceZNode,
  IsrChangeNotificationZNode,
  LogDirEventNotificationSequenceZNode,
  LogDirEventNotificationZNode,
  PreferredReplicaElectionZNode,
  ReassignPartitionsZNode,
  type PartitionReassignment,
} from './znodes';

/** Legacy admin requests and controller notification queues (a layer of KafkaZkClient). */
export class KafkaZkQueues extends ZkClientBase {
  // --- legacy admin nodes ------------------------------------------------------------------------------------

  /** The legacy /admin/reassign_partitions request (empty when absent; invalid JSON is logged and ignored). */
  async getPartitionReassignment(): Promise<PartitionReassignment[]> {
    const node = await this.getDataAndStat(ReassignPartitionsZNode.path());
    if (node === null) return [];
    try {
      return ReassignPartitionsZNode.decode(node.data);
    } catch (e) {
      if (!(e instanceof ZNodeDecodeError)) throw e;
      this.logger.warn(`Ignoring partition reassignment due to invalid json: ${e.message}`);
      return [];
    }
  }

  /** Writes /admin/reassign_partitions (what old tools do). Throws NODEEXISTS. */
  async createPartitionReassignment(reassignment: readonly PartitionReassignment[]): Promise<void> {
    await this.createRecursive(ReassignPartitionsZNode.path(), ReassignPartitionsZNode.encode(reassignment));
  }

  /** Sets or creates /admin/reassign_partitions, fenced (the controller trims finished partitions). */
  async setOrCreatePartitionReassignment(
    reassignment: readonly PartitionReassignment[],
    expectedControllerEpochZkVersion: number,
  ): Promise<void> {
    const data = ReassignPartitionsZNode.encode(reassignment);
    const path = ReassignPartitionsZNode.path();
    try {
      await this.fencedOp({ type: 'setData', path, data, version: ZkVersion.MatchAny }, expectedControllerEpochZkVersion);
    } catch (e) {
      if (!isCode(e, 'NONODE')) throw e;
      await this.fencedOp({ type: 'create', path, data, mode: CreateMode.PERSISTENT }, expectedControllerEpochZkVersion);
    }
  }

  /** Deletes /admin/reassign_partitions, fenced. */
  async deletePartitionReassignment(expectedControllerEpochZkVersion: number): Promise<void> {
    await this.deletePath(ReassignPartitionsZNode.path(), { expectedControllerEpochZkVersion });
  }

  async reassignPartitionsInProgress(): Promise<boolean> {
    return this.pathExists(ReassignPartitionsZNode.path());
  }

  /** Writes /admin/preferred_replica_election. Throws NODEEXISTS when an election is pending. */
  async createPreferredReplicaElection(partitions: readonly TopicPartition[]): Promise<void> {
    await this.createRecursive(PreferredReplicaElectionZNode.path(), PreferredReplicaElectionZNode.encode(partitions));
  }

  /** Partitions of a pending legacy preferred-leader election (empty when none). */
  async getPreferredReplicaElection(): Promise<TopicPartition[]> {
    const node = await this.getDataAndStat(PreferredReplicaElectionZNode.path());
    return node === null ? [] : PreferredReplicaElectionZNode.decode(node.data);
  }

  /** Deletes /admin/preferred_replica_election, fenced. */
  async deletePreferredReplicaElection(expectedControllerEpochZkVersion: number): Promise<void> {
    await this.deletePath(PreferredReplicaElectionZNode.path(), { expectedControllerEpochZkVersion, recursive: false });
  }

  // --- notification queues the controller consumes -----------------------------------------------------------

  /** Sequence numbers of pending ISR change notifications, ascending (arms the child watch). */
  async getAllIsrChangeNotifications(): Promise<string[]> {
    const children = await this.getChildren(IsrChangeNotificationZNode.path());
    return children.map((c) => IsrChangeNotificationSequenceZNode.sequenceNumber(c)).sort();
  }

  /** Partitions named by the given ISR change notifications (vanished ones are skipped). */
  async getPartitionsFromIsrChangeNotifications(sequenceNumbers: readonly string[]): Promise<TopicPartition[]> {
    const nodes = await Promise.all(sequenceNumbers.map((s) => this.getDataAndStat(IsrChangeNotificationSequenceZNode.path(s))));
    return nodes.flatMap((node, i) =>
      node === null ? [] : IsrChangeNotificationSequenceZNode.decode(node.data, IsrChangeNotificationSequenceZNode.path(sequenceNumbers[i])),
    );
  }

  /** Deletes the given ISR change notifications (all pending ones when none are given), fenced. */
  async deleteIsrChangeNotifications(
    expectedControllerEpochZkVersion: number,
    options: { sequenceNumbers?: readonly string[] } = {},
  ): Promise<void> {
    const seqs = options.sequenceNumbers ?? (await this.getAllIsrChangeNotifications());
    await this.deletePathsFenced(seqs.map((s) => IsrChangeNotificationSequenceZNode.path(s)), expectedControllerEpochZkVersion);
  }

  /** Leader-side (IBP < 2.7): announces ISR changes. Returns the created node. */
  async propagateIsrChanges(partitions: readonly TopicPartition[]): Promise<string> {
    return this.createSequentialPersistentPath(IsrChangeNotificationSequenceZNode.path(), IsrChangeNotificationSequenceZNode.encode(partitions));
  }

  /** Sequence numbers of pending log dir event notifications, ascending (arms the child watch). */
  async getAllLogDirEventNotifications(): Promise<string[]> {
    const children = await this.getChildren(LogDirEventNotificationZNode.path());
    return children.map((c) => LogDirEventNotificationSequenceZNode.sequenceNumber(c)).sort();
  }

  /** Broker ids named by the given log dir event notifications (vanished ones are skipped). */
  async getBrokerIdsFromLogDirEvents(sequenceNumbers: readonly string[]): Promise<number[]> {
    const nodes = await Promise.all(sequenceNumbers.map((s) => this.getDataAndStat(LogDirEventNotificationSequenceZNode.path(s))));
    return nodes.flatMap((node, i) =>
      node === null ? [] : [LogDirEventNotificationSequenceZNode.decode(node.data, LogDirEventNotificationSequenceZNode.path(sequenceNumbers[i]))],
    );
  }

  /** Deletes the given log dir event notifications (all pending ones when none are given), fenced. */
  async deleteLogDirEventNotifications(
    expectedControllerEpochZkVersion: number,
    options: { sequenceNumbers?: readonly string[] } = {},
  ): Promise<void> {
    const seqs = options.sequenceNumbers ?? (await this.getAllLogDirEventNotifications());
    await this.deletePathsFenced(seqs.map((s) => LogDirEventNotificationSequenceZNode.path(s)), expectedControllerEpochZkVersion);
  }

  /** Broker-side: announces that a log directory of `brokerId` failed. Returns the created node. */
  async propagateLogDirEvent(brokerId: number): Promise<string> {
    return this.createSequentialPersistentPath(LogDirEventNotificationSequenceZNode.path(), LogDirEventNotificationSequenceZNode.encode(brokerId));
  }
}
