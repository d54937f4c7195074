/**
 * ReplicaStateMachine (Kafka's ZkReplicaStateMachine, 3.9 behaviour). States and their valid previous states
 * are the table in controller-states.ts; an illegal transition is logged to the state-change logger and refused.
 *
 * - NonExistentReplica -> NewReplica: LeaderAndIsr (isNew) with the current leader/ISR to the replica, unless it
 *   is asked to become leader.
 * - New/Online/Offline/ReplicaDeletionIneligible -> OnlineReplica: LeaderAndIsr with the current state to the
 *   replica (a NewReplica only joins the assignment).
 * - New/Online/Offline/ReplicaDeletionIneligible -> OfflineReplica: StopReplica(delete=false) to the replica, then
 *   the replica leaves the ISR (leader -1 if it led; the last ISR member stays), leader epoch +1, written
 *   conditionally and fenced, and LeaderAndIsr to the remaining replicas.
 * - OfflineReplica -> ReplicaDeletionStarted: StopReplica(delete=true).
 * - ReplicaDeletionStarted -> ReplicaDeletionSuccessful / -> ReplicaDeletionIneligible (also from Offline): memory.
 * - ReplicaDeletionSuccessful -> NonExistentReplica: the replica leaves the cached assignment.
 */
import type { ControllerContext } from './controller-context';
import type { ControllerLogger, StateChangeLogger } from './controller-logger';
import type { ControllerBrokerRequestBatch } from './controller-request-batch';
import {
  ReplicaState,
  type ReplicaStateName,
  ReplicaValidPreviousStates,
} from './controller-states';
import {
  LeaderAndIsrConstants,
  type LeaderAndIsr,
  LeaderIsrAndControllerEpoch,
  type PartitionAndReplica,
  ReplicaAssignment,
  type TopicPartition,
  formatReplica,
  partitionKey,
} from './controller-types';
import type { ControllerZkClient } from './controller-zk-client';
import { StateChangeFailedError } from './partition-state-machine';
import { ControllerMovedError } from '../zk/zk-errors';

/** What the replica state machine needs from the controller. */
export interface ReplicaStateMachineOptions {
  controllerId: number;
  context: ControllerContext;
  zkClient: ControllerZkClient;
  requestBatch: ControllerBrokerRequestBatch;
  stateChangeLogger: StateChangeLogger;
  logger: ControllerLogger;
}

export class ReplicaStateMachine {
  constructor(private readonly opts: ReplicaStateMachineOptions) {}

  private get ctx(): ControllerContext {
    return this.opts.context;
  }

  /**
   * On failover: replicas on live brokers are Online, the others ReplicaDeletionIneligible (so that deletion of
   * their topics waits for them); then the usual Online/Offline transitions run.
   */
  async startup(): Promise<void> {
    this.opts.logger.info('Initializing replica state');
    for (const tp of this.ctx.allPartitions) {
      for (const replica of this.ctx.partitionReplicaAssignment(tp)) {
        const r = { topic: tp.topic, partition: tp.partition, replica };
        this.ctx.putReplicaState(r, this.ctx.isReplicaOnline(replica, tp) ? ReplicaState.OnlineReplica
          : ReplicaState.ReplicaDeletionIneligible);
      }
    }
    const { online, offline } = this.ctx.onlineAndOfflineReplicas();
    this.opts.logger.info('Triggering online replica state changes');
    await this.handleStateChanges(online, ReplicaState.OnlineReplica);
    this.opts.logger.info('Triggering offline replica state changes');
    await this.handleStateChanges(offline, ReplicaState.OfflineReplica);
  }

  shutdown(): void {
    this.opts.logger.info('Stopped replica state machine');
  }

  /** Moves replicas to `targetState` in one request batch; a fenced write (ControllerMovedError) propagates. */
  async handleStateChanges(replicas: readonly PartitionAndReplica[], targetState: ReplicaStateName): Promise<void> {
    if (replicas.length === 0) return;
    try {
      this.opts.requestBatch.newBatch();
      const byBroker = new Map<number, PartitionAndReplica[]>();
      for (const r of replicas) {
        const list = byBroker.get(r.replica);
        if (list === undefined) byBroker.set(r.replica, [r]);
        else list.push(r);
      }
      for (const [replicaId, rs] of byBroker) await this.doHandleStateChanges(replicaId, rs, targetState);
      this.opts.requestBatch.sendRequestsToBrokers(this.ctx.epoch);
    } catch (e) {
      this.opts.requestBatch.clear();
      if (e instanceof ControllerMovedError) {
        this.opts.logger.error(`Controller moved to another broker when moving some replicas to ${targetState} state`, e);
        throw e;
      }
      this.opts.logger.error(`Error while moving some replicas to ${targetState} state`, e);
    }
  }

  private async doHandleStateChanges(replicaId: number, replicas: readonly PartitionAndReplica[], target: ReplicaStateName):
    Promise<void> {
    const log = this.opts.stateChangeLogger.withControllerEpoch(this.ctx.epoch);
    const batch = this.opts.requestBatch;
    for (const r of replicas) this.ctx.putReplicaStateIfNotExists(r, ReplicaState.NonExistentReplica);
    const { valid, invalid } = this.ctx.checkValidReplicaStateChange(replicas, target);
    for (const r of invalid) this.logInvalidTransition(r, target);
    const logSuccess = (r: PartitionAndReplica, from: ReplicaStateName) =>
      log.trace(() => `Changed state of replica ${replicaId} for partition ${partitionKey(r)} from ${from} to ${target}`);

    switch (target) {
      case ReplicaState.NewReplica:
        for (const r of valid) {
          const current = this.ctx.replicaState(r);
          const info = this.ctx.partitionLeadershipInfo(r);
          if (info !== undefined) {
            if (info.leaderAndIsr.leader === replicaId) {
              this.logFailedStateChange(r, current, ReplicaState.OfflineReplica, new StateChangeFailedError(`Replica ` +
                `${replicaId} for partition ${partitionKey(r)} cannot be moved to NewReplica state as it is being ` +
                'requested to become leader'));
              continue;
            }
            batch.addLeaderAndIsrRequestForBrokers([replicaId], r, { leaderIsrAndControllerEpoch: info, replicaAssignment: this.ctx.partitionFullReplicaAssignment(r)!, isNew: true });
          }
          logSuccess(r, current);
          this.ctx.putReplicaState(r, ReplicaState.NewReplica);
        }
        return;
      case ReplicaState.OnlineReplica:
        for (const r of valid) {
          const current = this.ctx.replicaState(r);
          if (current === ReplicaState.NewReplica) {
            const assignment = this.ctx.partitionFullReplicaAssignment(r);
            if (assignment !== undefined && !assignment.replicas.includes(replicaId)) {
              this.opts.logger.error(`Adding replica (${replicaId}) that is not part of the assignment ${assignment}`);
              this.ctx.updatePartitionFullReplicaAssignment(r, new ReplicaAssignment(
                [...assignment.replicas, replicaId], assignment.addingReplicas, assignment.removingReplicas));
            }
          } else {
            const info = this.ctx.partitionLeadershipInfo(r);
            if (info !== undefined) {
              batch.addLeaderAndIsrRequestForBrokers([replicaId], r, { leaderIsrAndControllerEpoch: info, replicaAssignment: this.ctx.partitionFullReplicaAssignment(r)!, isNew: false });
            }
          }
          logSuccess(r, current);
          this.ctx.putReplicaState(r, ReplicaState.OnlineReplica);
        }
        return;
      case ReplicaState.OfflineReplica: {
        for (const r of valid) batch.addStopReplicaRequestForBrokers([replicaId], r, { deletePartition: false });
        const withLeadership = valid.filter((r) => this.ctx.partitionLeadershipInfo(r) !== undefined);
        const withoutLeadership = valid.filter((r) => this.ctx.partitionLeadershipInfo(r) === undefined);
        const updated = await this.removeReplicasFromIsr(replicaId, withLeadership);
        for (const [key, { tp, info }] of updated) {
          log.info(`Partition ${key} state changed to ${info} after removing replica ${replicaId} from the ISR as ` +
            `part of transition to ${ReplicaState.OfflineReplica}`);
          if (!this.ctx.isTopicQueuedUpForDeletion(tp.topic)) {
            const recipients = this.ctx.partitionReplicaAssignment(tp).filter((id) => id !== replicaId);
            batch.addLeaderAndIsrRequestForBrokers(recipients, tp, { leaderIsrAndControllerEpoch: info, replicaAssignment: this.ctx.partitionFullReplicaAssignment(tp)!, isNew: false });
          }
          const r = { ...tp, replica: replicaId };
          logSuccess(r, this.ctx.replicaState(r));
          this.ctx.putReplicaState(r, ReplicaState.OfflineReplica);
        }
        for (const r of withoutLeadership) {
          logSuccess(r, this.ctx.replicaState(r));
          batch.addUpdateMetadataRequestForBrokers(this.ctx.liveOrShuttingDownBrokerIds, [r]);
          this.ctx.putReplicaState(r, ReplicaState.OfflineReplica);
        }
        return;
      }
      case ReplicaState.ReplicaDeletionStarted:
        for (const r of valid) {
          logSuccess(r, this.ctx.replicaState(r));
          this.ctx.putReplicaState(r, ReplicaState.ReplicaDeletionStarted);
          batch.addStopReplicaRequestForBrokers([replicaId], r, { deletePartition: true });
        }
        return;
      case ReplicaState.ReplicaDeletionIneligible:
      case ReplicaState.ReplicaDeletionSuccessful:
        for (const r of valid) {
          logSuccess(r, this.ctx.replicaState(r));
          this.ctx.putReplicaState(r, target);
        }
        return;
      case ReplicaState.NonExistentReplica:
        for (const r of valid) {
          const current = this.ctx.replicaState(r);
          const assignment = this.ctx.partitionFullReplicaAssignment(r);
          if (assignment !== undefined) this.ctx.updatePartitionFullReplicaAssignment(r, assignment.removeReplica(r.replica));
          logSuccess(r, current);
          this.ctx.removeReplicaState(r);
        }
        return;
    }
  }

  /**
   * Removes a replica from the ISR of partitions, retrying those whose conditional write met a newer
   * zkVersion. Returns the partitions whose state now excludes the replica (or never included it).
   */
  private async removeReplicasFromIsr(replicaId: number, partitions: readonly TopicPartition[]):
    Promise<Map<string, { tp: TopicPartition; info: LeaderIsrAndControllerEpoch }>> {
    const results = new Map<string, { tp: TopicPartition; info: LeaderIsrAndControllerEpoch }>();
    let remaining = [...partitions];
    while (remaining.length > 0) {
      const { finished, retry } = await this.doRemoveReplicasFromIsr(replicaId, remaining);
      for (const [key, entry] of finished) {
        if ('error' in entry) {
          const r = { ...entry.tp, replica: replicaId };
          this.logFailedStateChange(r, this.ctx.replicaState(r), ReplicaState.OfflineReplica, entry.error);
        } else {
          results.set(key, entry);
        }
      }
      remaining = retry;
    }
    return results;
  }

  private async doRemoveReplicasFromIsr(replicaId: number, partitions: readonly TopicPartition[]): Promise<{
    finished: Map<string, { tp: TopicPartition; info: LeaderIsrAndControllerEpoch } | { tp: TopicPartition; error: Error }>;
    retry: TopicPartition[];
  }> {
    const finished = new Map<string, { tp: TopicPartition; info: LeaderIsrAndControllerEpoch } | { tp: TopicPartition; error: Error }>();
    const states = await this.opts.zkClient.getTopicPartitionStates(partitions);
    const toWrite: Array<{ tp: TopicPartition; leaderAndIsr: LeaderAndIsr }> = [];
    for (const tp of partitions) {
      const key = partitionKey(tp);
      const state = states.get(key) ?? null;
      if (state === null) {
        // No state znode: the partition never finished initialization.
        if (!this.ctx.isTopicQueuedUpForDeletion(tp.topic)) {
          finished.set(key, { tp, error: new StateChangeFailedError(`Failed to change state of replica ${replicaId} for ` +
            `partition ${key} since the leader and isr path in zookeeper is empty`) });
        }
        continue;
      }
      if (state.controllerEpoch > this.ctx.epoch) {
        finished.set(key, { tp, error: new StateChangeFailedError('Leader and isr path written by another controller. ' +
          `This probably means the current controller with epoch ${this.ctx.epoch} went through a soft failure and ` +
          `another controller was elected with epoch ${state.controllerEpoch}. Aborting state change by this controller`) });
        continue;
      }
      const l = state.leaderAndIsr;
      if (!l.isr.includes(replicaId)) {
        const info = new LeaderIsrAndControllerEpoch(l, this.ctx.epoch);
        this.ctx.putPartitionLeadershipInfo(tp, info);
        finished.set(key, { tp, info });
        continue;
      }
      const newLeader = replicaId === l.leader ? LeaderAndIsrConstants.NoLeader : l.leader;
      // The last ISR member stays in the ISR: it is the only replica known to have all committed records.
      const adjustedIsr = l.isr.length === 1 ? l.isr : l.isr.filter((r) => r !== replicaId);
      toWrite.push({ tp, leaderAndIsr: l.newLeaderAndIsr(newLeader, adjustedIsr) });
    }
    if (toWrite.length === 0) return { finished, retry: [] };
    const update = await this.opts.zkClient.updateLeaderAndIsr(toWrite, { controllerEpoch: this.ctx.epoch, epochZkVersion: this.ctx.epochZkVersion });
    for (const [key, outcome] of update.finished) {
      const tp = toWrite.find((w) => partitionKey(w.tp) === key)!.tp;
      if (outcome instanceof Error) {
        finished.set(key, { tp, error: outcome });
      } else {
        const info = new LeaderIsrAndControllerEpoch(outcome, this.ctx.epoch);
        this.ctx.putPartitionLeadershipInfo(tp, info);
        finished.set(key, { tp, info });
      }
    }
    for (const tp of update.retry) {
      this.opts.logger.debug(`Controller failed to remove replica ${replicaId} from ISR of partition ${partitionKey(tp)}. ` +
        'Attempted to write state, but failed with bad ZK version. This will be retried.');
    }
    return { finished, retry: update.retry };
  }

  private logInvalidTransition(r: PartitionAndReplica, target: ReplicaStateName): void {
    const current = this.ctx.replicaState(r);
    this.logFailedStateChange(r, current, target, new StateChangeFailedError(`Replica ${formatReplica(r)} should be in the ` +
      `${ReplicaValidPreviousStates[target].join(',')} states before moving to ${target} state. Instead it is in ` +
      `${current} state`));
  }

  private logFailedStateChange(r: PartitionAndReplica, current: ReplicaStateName, target: ReplicaStateName, e: unknown): void {
    this.opts.stateChangeLogger.withControllerEpoch(this.ctx.epoch).error(`Controller ${this.opts.controllerId} epoch ` +
      `${this.ctx.epoch} initiated state change of replica ${r.replica} for partition ${partitionKey(r)} from ${current} ` +
      `to ${target} failed`, e);
  }
}
