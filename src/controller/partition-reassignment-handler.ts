/**
 * Partition reassignment in the classic controller (KIP-455; KafkaController.scala, 3.9 behaviour, with the
 * ZooKeeper ISR path of IBP < 2.7).
 *
 * Triggers: AlterPartitionReassignments (null replicas cancel), the legacy /admin/reassign_partitions node
 * (watched for existence; entries are removed as they finish and the node is deleted when empty; an API
 * reassignment of a partition cancels its ZooKeeper entry), a change of the state znode of a reassigning
 * partition (watched while it is reassigned) or an ISR change notification naming it, a broker startup that
 * brings a target replica back, and controller failover (resumed from the topic znodes' adding/removing).
 *
 * With RS the replica set, ORS/TRS the original/target sets, AR = TRS - ORS and RR = ORS - TRS:
 *   U1-U3  write RS = TRS + ORS with AR/RR to the topic znode (fenced), then memory; replicas of a superseded
 *          reassignment that are no longer wanted are stopped and deleted;
 *   A1-A2  (TRS not all in the ISR) bump the leader epoch, send LeaderAndIsr to ORS and (isNew) to AR, and move
 *          AR to NewReplica;
 *   B1-B8  (TRS all in the ISR) AR -> OnlineReplica; RS = TRS in memory; elect a leader from TRS if the
 *          current one is not in it or is dead (else just bump the epoch); RR -> OfflineReplica (out of the ISR)
 *          -> ReplicaDeletionStarted (StopReplica delete) -> NonExistentReplica; write RS = TRS with empty AR/RR
 *          (last, so that a new controller can resume); drop the ZooKeeper entry; UpdateMetadata to everyone.
 * While a topic has a partition being reassigned its deletion waits.
 */
import { ErrorCode, errorInfo } from '../protocol';
import { ZkError, ControllerMovedError } from '../zk/zk-errors';
import type { ControllerComponents } from './controller-components';
import type { ApiError, AlterReassignmentsResult, ListReassignmentsResult } from './controller-events';
import { PartitionState, ReplicaState } from './controller-states';
import {
  LeaderIsrAndControllerEpoch,
  ReplicaAssignment,
  type TopicPartition,
  partitionKey,
  scalaList,
  scalaMap,
  scalaSet,
} from './controller-types';
import { ControllerIllegalStateError } from './controller-request-batch';
import { ControllerPaths } from './controller-watches';
import { ElectionStrategy } from './election';
import { StateChangeFailedError } from './partition-state-machine';

/** A reassignment step found the controller's view inconsistent (Kafka's IllegalStateException). */
export class PartitionReassignmentError extends Error {
  override readonly name = 'PartitionReassignmentError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Kafka's `new ApiError(error)`: the code with its default message (none for NONE). */
export function apiError(code: number, message?: string | null): ApiError {
  return { code, message: message !== undefined ? message : code === ErrorCode.NONE ? null : errorInfo(code).message };
}

/** Kafka's ApiError.toString, for log lines. */
function describeApiError(e: ApiError): string {
  return `ApiError(error=${errorInfo(e.code).name}, message=${e.message ?? 'null'})`;
}

type PartitionResult = { tp: TopicPartition; error: ApiError };

/** The reassignment events of one controller; every method runs on the controller's event loop. */
export class PartitionReassignmentHandler {
  constructor(private readonly c: ControllerComponents) {}

  private get ctx() {
    return this.c.context;
  }

  // ---- triggers ------------------------------------------------------------------------------------------

  /**
   * /admin/reassign_partitions was created (also run on failover). Re-arms its existence watch, starts every
   * listed reassignment and removes the entries that could not start. Returns the keys of those that started.
   */
  async processZkPartitionReassignment(): Promise<Set<string>> {
    if (!this.c.isActive()) return new Set();
    this.c.watches.registerPartitionReassignmentHandler();
    if ((await this.c.zk.session.exists(ControllerPaths.reassignPartitions, { watch: true })) === null) return new Set();
    const results = new Map<string, PartitionResult>();
    const toReassign: Array<{ tp: TopicPartition; assignment: ReplicaAssignment }> = [];
    for (const { tp, replicas } of await this.c.zk.getPartitionReassignment()) {
      const assignment = this.maybeBuildReassignment(tp, replicas);
      if (assignment === undefined) results.set(partitionKey(tp), { tp, error: apiError(ErrorCode.NO_REASSIGNMENT_IN_PROGRESS) });
      else toReassign.push({ tp, assignment });
    }
    for (const r of await this.maybeTriggerPartitionReassignment(toReassign)) results.set(partitionKey(r.tp), r);
    const failed = [...results.values()].filter((r) => r.error.code !== ErrorCode.NONE);
    if (failed.length > 0) {
      this.c.logger.warn(`Failed reassignment through zk with the following errors: ${scalaMap(failed.map((f): [string, ApiError] =>
        [partitionKey(f.tp), f.error]), { value: describeApiError })}`);
      const failedKeys = new Set(failed.map((f) => partitionKey(f.tp)));
      await this.maybeRemoveFromZkReassignment((tp) => failedKeys.has(partitionKey(tp)));
    }
    return new Set([...results.values()].filter((r) => r.error.code === ErrorCode.NONE).map((r) => partitionKey(r.tp)));
  }

  /**
   * AlterPartitionReassignments. The latest request for a partition wins: its /admin/reassign_partitions entry,
   * if any, is removed first. Null replicas cancel (the partition goes back to its original replicas).
   */
  async processApiPartitionReassignment(
    reassignments: ReadonlyArray<{ tp: TopicPartition; replicas: readonly number[] | null }>,
  ): Promise<AlterReassignmentsResult> {
    if (!this.c.isActive()) return { error: apiError(ErrorCode.NOT_CONTROLLER) };
    const requested = new Map(reassignments.map((r) => [partitionKey(r.tp), r]));
    const results = new Map<string, PartitionResult>();
    const toReassign: Array<{ tp: TopicPartition; assignment: ReplicaAssignment }> = [];
    for (const [key, { tp, replicas }] of requested) {
      const invalid = replicas === null ? undefined : this.validateReplicas(tp, replicas);
      if (invalid !== undefined) {
        results.set(key, { tp, error: invalid });
        continue;
      }
      const assignment = this.maybeBuildReassignment(tp, replicas);
      if (assignment === undefined) results.set(key, { tp, error: apiError(ErrorCode.NO_REASSIGNMENT_IN_PROGRESS) });
      else toReassign.push({ tp, assignment });
    }
    const keys = new Set(toReassign.map((r) => partitionKey(r.tp)));
    await this.maybeRemoveFromZkReassignment((tp) => keys.has(partitionKey(tp)));
    for (const r of await this.maybeTriggerPartitionReassignment(toReassign)) results.set(partitionKey(r.tp), r);
    return { partitions: [...requested.keys()].map((k) => results.get(k)!) };
  }

  /** ListPartitionReassignments: the given partitions (or all) that are being reassigned. */
  processListPartitionReassignments(partitions: readonly TopicPartition[] | null): ListReassignmentsResult {
    if (!this.c.isActive()) return { error: apiError(ErrorCode.NOT_CONTROLLER) };
    const wanted = new Map((partitions ?? [...this.ctx.partitionsBeingReassigned.values()]).map((tp) => [partitionKey(tp), tp]));
    const reassignments: Array<{ tp: TopicPartition; assignment: ReplicaAssignment }> = [];
    for (const tp of wanted.values()) {
      const assignment = this.ctx.partitionFullReplicaAssignment(tp);
      if (assignment?.isBeingReassigned) reassignments.push({ tp: { topic: tp.topic, partition: tp.partition }, assignment });
    }
    return { reassignments };
  }

  /** The state znode of a reassigning partition changed. */
  async processPartitionReassignmentIsrChange(tp: TopicPartition): Promise<void> {
    if (!this.c.isActive()) return;
    if (this.ctx.partitionsBeingReassigned.has(partitionKey(tp))) await this.maybeCompleteReassignment(tp);
  }

  /** Completes the reassignment of `tp` if every target replica is in the ISR now. */
  async maybeCompleteReassignment(tp: TopicPartition): Promise<void> {
    const reassignment = this.ctx.partitionFullReplicaAssignment(tp);
    if (reassignment === undefined || !(await this.isReassignmentComplete(tp, reassignment))) return;
    this.c.logger.info(`Target replicas ${scalaList(reassignment.targetReplicas)} have all caught up with the leader for ` +
      `reassigning partition ${partitionKey(tp)}`);
    await this.onPartitionReassignment(tp, reassignment);
  }

  /**
   * On failover: reassignments written to /admin/reassign_partitions while no controller was active start (and
   * supersede API ones); the other in-flight reassignments found in the topic znodes resume.
   */
  async initializePartitionReassignments(): Promise<void> {
    const zkPartitionsResumed = await this.processZkPartitionReassignment();
    await this.maybeResumeReassignments((tp) => !zkPartitionsResumed.has(partitionKey(tp)));
  }

  /** A broker came back: reassignments with a target replica on it continue. */
  async maybeResumeReassignmentsForBrokers(brokerIds: readonly number[]): Promise<void> {
    const ids = new Set(brokerIds);
    await this.maybeResumeReassignments((_, assignment) => assignment.targetReplicas.some((r) => ids.has(r)));
  }

  private async maybeResumeReassignments(shouldResume: (tp: TopicPartition, a: ReplicaAssignment) => boolean): Promise<void> {
    for (const tp of [...this.ctx.partitionsBeingReassigned.values()]) {
      const current = this.ctx.partitionFullReplicaAssignment(tp);
      if (current === undefined || !shouldResume(tp, current)) continue;
      try {
        await this.onPartitionReassignment(tp, current);
      } catch (e) {
        if (e instanceof ControllerMovedError || e instanceof ControllerIllegalStateError) throw e;
        this.c.logger.error(`Error completing reassignment of partition ${partitionKey(tp)}`, e);
      }
    }
  }

  // ---- validation ----------------------------------------------------------------------------------------

  private validateReplicas(tp: TopicPartition, replicas: readonly number[]): ApiError | undefined {
    const shown = `ArrayBuffer(${replicas.join(', ')})`;
    if (replicas.length === 0) {
      return apiError(ErrorCode.INVALID_REPLICA_ASSIGNMENT, 'Empty replica list specified in partition reassignment.');
    }
    if (new Set(replicas).size !== replicas.length) {
      return apiError(ErrorCode.INVALID_REPLICA_ASSIGNMENT, `Duplicate replica ids in partition reassignment replica list: ${shown}`);
    }
    if (replicas.some((r) => r < 0)) {
      return apiError(ErrorCode.INVALID_REPLICA_ASSIGNMENT, `Invalid broker id in replica list: ${shown}`);
    }
    const current = this.ctx.partitionFullReplicaAssignment(tp) ?? new ReplicaAssignment([]);
    const adding = current.reassignTo(replicas).addingReplicas;
    const live = this.ctx.liveBrokerIds;
    if (!adding.every((r) => live.has(r))) {
      return apiError(ErrorCode.INVALID_REPLICA_ASSIGNMENT, 'Replica assignment has brokers that are not alive. Replica list: ' +
        `ArrayBuffer(${adding.join(', ')}), live broker list: ${scalaSet([...live].sort((a, b) => a - b))}`);
    }
    return undefined;
  }

  /** The assignment to move to; undefined for a cancellation of a partition that is not being reassigned. */
  private maybeBuildReassignment(tp: TopicPartition, target: readonly number[] | null): ReplicaAssignment | undefined {
    const current = this.ctx.partitionFullReplicaAssignment(tp) ?? new ReplicaAssignment([]);
    if (current.isBeingReassigned) return current.reassignTo(target ?? current.originReplicas);
    return target === null ? undefined : current.reassignTo(target);
  }

  private async maybeTriggerPartitionReassignment(
    reassignments: ReadonlyArray<{ tp: TopicPartition; assignment: ReplicaAssignment }>,
  ): Promise<PartitionResult[]> {
    const results: PartitionResult[] = [];
    for (const { tp, assignment } of reassignments) {
      if (this.c.topicDeletionManager.isTopicQueuedUpForDeletion(tp.topic)) {
        this.c.logger.info(`Skipping reassignment of ${partitionKey(tp)} since the topic is currently being deleted`);
        results.push({ tp, error: apiError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, 'The partition does not exist.') });
      } else if (this.ctx.partitionReplicaAssignment(tp).length === 0) {
        results.push({ tp, error: apiError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, 'The partition does not exist.') });
      } else {
        try {
          await this.onPartitionReassignment(tp, assignment);
          results.push({ tp, error: apiError(ErrorCode.NONE) });
        } catch (e) {
          if (e instanceof ControllerMovedError) {
            this.c.logger.info(`Failed completing reassignment of partition ${partitionKey(tp)} because controller has moved to another broker`);
            throw e;
          }
          if (e instanceof ControllerIllegalStateError) throw e;
          this.c.logger.error(`Error completing reassignment of partition ${partitionKey(tp)}`, e);
          results.push({ tp, error: apiError(ErrorCode.UNKNOWN_SERVER_ERROR) });
        }
      }
    }
    return results;
  }

  // ---- the reassignment steps ----------------------------------------------------------------------------

  private async onPartitionReassignment(tp: TopicPartition, reassignment: ReplicaAssignment): Promise<void> {
    this.c.topicDeletionManager.markTopicIneligibleForDeletion(new Set([tp.topic]), 'topic reassignment in progress');
    await this.updateCurrentReassignment(tp, reassignment);
    const replicasOf = (ids: readonly number[]) => ids.map((replica) => ({ topic: tp.topic, partition: tp.partition, replica }));
    if (!(await this.isReassignmentComplete(tp, reassignment))) {
      // A1-A2: everyone learns the new RS with a new leader epoch; the adding replicas start and fetch.
      await this.updateLeaderEpochAndSendRequest(tp, reassignment);
      for (const r of replicasOf(reassignment.addingReplicas)) {
        await this.c.replicaStateMachine.handleStateChanges([r], ReplicaState.NewReplica);
      }
      return;
    }
    await this.c.replicaStateMachine.handleStateChanges(replicasOf(reassignment.addingReplicas), ReplicaState.OnlineReplica);
    const completed = new ReplicaAssignment(reassignment.targetReplicas);
    this.ctx.updatePartitionFullReplicaAssignment(tp, completed);
    await this.moveReassignedPartitionLeaderIfRequired(tp, completed);
    await this.stopRemovedReplicasOfReassignedPartition(tp, reassignment.removingReplicas);
    await this.updateReplicaAssignmentForPartition(tp, completed);
    await this.removePartitionFromReassigningPartitions(tp, completed);
    await this.c.sendUpdateMetadataRequest(this.ctx.liveOrShuttingDownBrokerIds, [tp]);
    await this.c.topicDeletionManager.resumeDeletionForTopics(new Set([tp.topic]));
  }

  /** U1-U3: the new RS/AR/RR go to ZooKeeper, then memory; replicas a superseded reassignment added are stopped. */
  private async updateCurrentReassignment(tp: TopicPartition, reassignment: ReplicaAssignment): Promise<void> {
    const current = this.ctx.partitionFullReplicaAssignment(tp) ?? new ReplicaAssignment([]);
    if (!current.equals(reassignment)) {
      this.c.logger.debug(`Updating assignment of partition ${partitionKey(tp)} from ${current} to ${reassignment}`);
      await this.updateReplicaAssignmentForPartition(tp, reassignment);
      this.ctx.updatePartitionFullReplicaAssignment(tp, reassignment);
      const unneeded = current.replicas.filter((r) => !reassignment.replicas.includes(r));
      if (unneeded.length > 0) await this.stopRemovedReplicasOfReassignedPartition(tp, unneeded);
    }
    this.c.watches.registerPartitionReassignmentIsrChangeHandler(tp);
    this.ctx.partitionsBeingReassigned.set(partitionKey(tp), { topic: tp.topic, partition: tp.partition });
  }

  /** Every target replica is in the ISR read from ZooKeeper (the read re-arms the state znode's watch). */
  private async isReassignmentComplete(tp: TopicPartition, assignment: ReplicaAssignment): Promise<boolean> {
    if (!assignment.isBeingReassigned) return true;
    const state = await this.c.zk.getTopicPartitionStateAndWatch(tp);
    return state !== null && assignment.targetReplicas.every((r) => state.leaderAndIsr.isr.includes(r));
  }

  /** B3: a leader from TRS if the current one is not in it or is dead; otherwise a new epoch with RS = TRS. */
  private async moveReassignedPartitionLeaderIfRequired(tp: TopicPartition, newAssignment: ReplicaAssignment): Promise<void> {
    const replicas = newAssignment.replicas;
    const currentLeader = this.ctx.partitionLeadershipInfo(tp)?.leaderAndIsr.leader ?? -1;
    const prefix = `Leader ${currentLeader} for partition ${partitionKey(tp)} being reassigned, is`;
    if (!replicas.includes(currentLeader)) {
      this.c.logger.info(`${prefix} not in the new list of replicas ${replicas.join(',')}. Re-electing leader`);
      await this.electFromTargetReplicas(tp);
    } else if (this.ctx.isReplicaOnline(currentLeader, tp)) {
      this.c.logger.info(`${prefix} already in the new list of replicas ${replicas.join(',')} and is alive`);
      await this.updateLeaderEpochAndSendRequest(tp, newAssignment);
    } else {
      this.c.logger.info(`${prefix} already in the new list of replicas ${replicas.join(',')} but is dead`);
      await this.electFromTargetReplicas(tp);
    }
  }

  private async electFromTargetReplicas(tp: TopicPartition): Promise<void> {
    // A failed election is logged by the state machine; the reassignment still completes, as in Kafka.
    await this.c.partitionStateMachine.handleStateChanges([tp], PartitionState.OnlinePartition,
      { strategy: { kind: ElectionStrategy.Reassign } });
  }

  /** B4-B5 (and U3): out of the ISR and StopReplica, then StopReplica(delete) and out of the state machine. */
  private async stopRemovedReplicasOfReassignedPartition(tp: TopicPartition, removed: readonly number[]): Promise<void> {
    const replicas = removed.map((replica) => ({ topic: tp.topic, partition: tp.partition, replica }));
    const rsm = this.c.replicaStateMachine;
    await rsm.handleStateChanges(replicas, ReplicaState.OfflineReplica);
    await rsm.handleStateChanges(replicas, ReplicaState.ReplicaDeletionStarted);
    await rsm.handleStateChanges(replicas, ReplicaState.ReplicaDeletionSuccessful);
    await rsm.handleStateChanges(replicas, ReplicaState.NonExistentReplica);
  }

  /** Rewrites the topic znode with this partition's new assignment (fenced). */
  private async updateReplicaAssignmentForPartition(tp: TopicPartition, assignment: ReplicaAssignment): Promise<void> {
    const topicAssignment = this.ctx.partitionFullReplicaAssignmentForTopic(tp.topic);
    topicAssignment.set(tp.partition, assignment);
    try {
      await this.c.zk.setTopicAssignment(tp.topic, {
        topicId: this.ctx.topicIds.get(tp.topic) ?? null, assignment: topicAssignment, epochZkVersion: this.ctx.epochZkVersion,
      });
    } catch (e) {
      if (e instanceof ZkError && e.code === 'NONODE') {
        throw new PartitionReassignmentError(`Failed to update assignment for ${partitionKey(tp)} since the topic has no current assignment`);
      }
      throw e;
    }
    this.c.logger.info(`Successfully updated assignment of partition ${partitionKey(tp)} to ${assignment}`);
  }

  /** B7: stop watching the state znode and drop the partition's /admin/reassign_partitions entry. */
  private async removePartitionFromReassigningPartitions(tp: TopicPartition, assignment: ReplicaAssignment): Promise<void> {
    const key = partitionKey(tp);
    if (!this.ctx.partitionsBeingReassigned.has(key)) {
      throw new PartitionReassignmentError('Cannot remove a reassigning partition because it is not present in memory');
    }
    this.c.watches.unregisterPartitionReassignmentIsrChangeHandler(tp);
    const same = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((x, i) => x === b[i]);
    await this.maybeRemoveFromZkReassignment((p, replicas) => partitionKey(p) === key && same(replicas, assignment.replicas));
    this.ctx.partitionsBeingReassigned.delete(key);
  }

  /** Removes entries from /admin/reassign_partitions (fenced); the node is deleted once none is left. */
  private async maybeRemoveFromZkReassignment(shouldRemove: (tp: TopicPartition, replicas: readonly number[]) => boolean): Promise<void> {
    if (!(await this.c.zk.reassignPartitionsInProgress())) return;
    const entries = await this.c.zk.getPartitionReassignment();
    const removing = entries.filter((e) => shouldRemove(e.tp, e.replicas));
    const remaining = entries.filter((e) => !shouldRemove(e.tp, e.replicas));
    this.c.logger.info(`Removing partitions ${scalaMap(removing.map((e): [string, number[]] => [partitionKey(e.tp), e.replicas]),
      { value: scalaList })} from the list of reassigned partitions in zookeeper`);
    if (remaining.length === 0) {
      this.c.logger.info(`No more partitions need to be reassigned. Deleting zk path ${ControllerPaths.reassignPartitions}`);
      await this.c.zk.deletePartitionReassignment(this.ctx.epochZkVersion);
      // The existence watch was spent on the node's changes: re-arm it so that future requests are seen.
      this.c.put({ type: 'ZkPartitionReassignment' });
    } else {
      await this.c.zk.setOrCreatePartitionReassignment(remaining, this.ctx.epochZkVersion);
    }
  }

  /** A1 (and B3): same leader and ISR with the next leader epoch, then LeaderAndIsr to ORS and (isNew) to AR. */
  private async updateLeaderEpochAndSendRequest(tp: TopicPartition, assignment: ReplicaAssignment): Promise<void> {
    const log = this.c.stateChangeLogger.withControllerEpoch(this.ctx.epoch);
    const updated = await this.updateLeaderEpoch(tp);
    const batch = this.c.requestBatch;
    batch.newBatch();
    // isNew only for the added replicas: an original replica on an offline log dir must not be re-created.
    batch.addLeaderAndIsrRequestForBrokers(assignment.originReplicas, tp, { leaderIsrAndControllerEpoch: updated, replicaAssignment: assignment, isNew: false });
    batch.addLeaderAndIsrRequestForBrokers(assignment.addingReplicas, tp, { leaderIsrAndControllerEpoch: updated, replicaAssignment: assignment, isNew: true });
    batch.sendRequestsToBrokers(this.ctx.epoch);
    log.info(`Sent LeaderAndIsr request ${updated} with new replica assignment ${assignment} to leader ` +
      `${updated.leaderAndIsr.leader} for partition being reassigned ${partitionKey(tp)}`);
  }

  /** Writes the partition state with the next leader epoch (conditional, retried on a newer zkVersion). */
  private async updateLeaderEpoch(tp: TopicPartition): Promise<LeaderIsrAndControllerEpoch> {
    this.c.logger.debug(`Updating leader epoch for partition ${partitionKey(tp)}`);
    const key = partitionKey(tp);
    for (;;) {
      const state = (await this.c.zk.getTopicPartitionStates([tp])).get(key) ?? null;
      if (state === null) {
        throw new PartitionReassignmentError(`Cannot update leader epoch for partition ${key} as leaderAndIsr path is empty. ` +
          'This could mean we somehow tried to reassign a partition that doesn\'t exist');
      }
      if (state.controllerEpoch > this.ctx.epoch) {
        throw new StateChangeFailedError('Leader and isr path written by another controller. This probably means the ' +
          `current controller with epoch ${this.ctx.epoch} went through a soft failure and another controller was elected ` +
          `with epoch ${state.controllerEpoch}. Aborting state change by this controller`);
      }
      // The epoch moves even though leader and ISR stay, so that the leader caches the new replica set.
      const { finished } = await this.c.zk.updateLeaderAndIsr([{ tp, leaderAndIsr: state.leaderAndIsr.newEpoch() }],
        { controllerEpoch: this.ctx.epoch, epochZkVersion: this.ctx.epochZkVersion });
      const outcome = finished.get(key);
      if (outcome === undefined) continue;
      if (outcome instanceof Error) throw outcome;
      const info = new LeaderIsrAndControllerEpoch(outcome, this.ctx.epoch);
      this.ctx.putPartitionLeadershipInfo(tp, info);
      this.c.logger.info(`Updated leader epoch for partition ${key} to ${outcome.leaderEpoch}, zkVersion=${outcome.partitionEpoch}`);
      return info;
    }
  }
}
