/**
 * PartitionStateMachine (Kafka's ZkPartitionStateMachine, 3.9 behaviour). States and their valid previous
 * states are the table in controller-states.ts; an illegal transition is logged to the state-change logger and
 * refused.
 *
 * - NonExistentPartition -> NewPartition: the assignment is known, nothing is written.
 * - NewPartition -> OnlinePartition: leader = first live replica, ISR = live replicas, leader epoch 0; the state
 *   znode is created (fenced by the controller epoch, with its `partitions` parents) and LeaderAndIsr (isNew)
 *   goes to the ISR, UpdateMetadata to every live broker.
 * - Online/OfflinePartition -> OnlinePartition: a leader is elected with the given strategy; the state znode is
 *   written conditionally on its zkVersion (re-read and retried on BADVERSION), aborting if a newer controller
 *   wrote it; LeaderAndIsr goes to the live replicas.
 * - New/Online/OfflinePartition -> OfflinePartition, OfflinePartition -> NonExistentPartition: in memory only.
 */
import type { ControllerContext } from './controller-context';
import type { ControllerLogger, StateChangeLogger } from './controller-logger';
import type { ControllerBrokerRequestBatch } from './controller-request-batch';
import {
  PartitionState,
  type PartitionStateName,
  PartitionValidPreviousStates,
} from './controller-states';
import {
  LeaderAndIsr,
  LeaderIsrAndControllerEpoch,
  type TopicPartition,
  partitionKey,
} from './controller-types';
import type { ControllerZkClient } from './controller-zk-client';
import {
  ElectionStrategy,
  type ElectionResult,
  type PartitionLeaderElectionStrategy,
  describeStrategy,
  leaderForControlledShutdown,
  leaderForOffline,
  leaderForPreferredReplica,
  leaderForReassign,
} from './election';
import { ControllerMovedError } from '../zk/zk-errors';

/** A state change could not be made (Kafka's StateChangeFailedException). */
export class StateChangeFailedError extends Error {
  override readonly name = 'StateChangeFailedError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Per partition: the new leader and ISR, or why the election failed. */
export type ElectionOutcome = { leaderAndIsr: LeaderAndIsr } | { error: Error };

/** What the partition state machine needs from the controller. */
export interface PartitionStateMachineOptions {
  controllerId: number;
  context: ControllerContext;
  zkClient: ControllerZkClient;
  requestBatch: ControllerBrokerRequestBatch;
  stateChangeLogger: StateChangeLogger;
  logger: ControllerLogger;
  /** Cluster-wide `unclean.leader.election.enable`. */
  uncleanLeaderElectionEnable: () => boolean;
  /** KIP-704 (IBP >= 3.2): unclean leaders start RECOVERING. True for IBP 3.9. */
  isLeaderRecoverySupported?: boolean;
}

export class PartitionStateMachine {
  constructor(private readonly opts: PartitionStateMachineOptions) {}

  private get ctx(): ControllerContext {
    return this.opts.context;
  }

  /** On failover: every known partition becomes Online (live leader), Offline (dead leader) or New (no state). */
  async startup(): Promise<void> {
    this.opts.logger.info('Initializing partition state');
    for (const tp of this.ctx.allPartitions) {
      const info = this.ctx.partitionLeadershipInfo(tp);
      if (info === undefined) this.ctx.putPartitionState(tp, PartitionState.NewPartition);
      else if (this.ctx.isReplicaOnline(info.leaderAndIsr.leader, tp)) this.ctx.putPartitionState(tp, PartitionState.OnlinePartition);
      else this.ctx.putPartitionState(tp, PartitionState.OfflinePartition);
    }
    this.opts.logger.info('Triggering online partition state changes');
    await this.triggerOnlinePartitionStateChange();
  }

  shutdown(): void {
    this.opts.logger.info('Stopped partition state machine');
  }

  /** Tries to bring every New/Offline partition (of `topic`, if given) online, except topics being deleted. */
  async triggerOnlinePartitionStateChange(topic?: string): Promise<Map<string, ElectionOutcome>> {
    const partitions = this.ctx.partitionsInStates([PartitionState.OfflinePartition, PartitionState.NewPartition], topic)
      .filter((tp) => !this.ctx.isTopicQueuedUpForDeletion(tp.topic));
    return this.handleStateChanges(partitions, PartitionState.OnlinePartition,
      { strategy: { kind: ElectionStrategy.Offline, allowUnclean: false } });
  }

  /**
   * Moves partitions to `targetState` in one request batch; `strategy` chooses leaders for Online/Offline ->
   * OnlinePartition. Returns, for OnlinePartition, each partition's election outcome. A fenced ZooKeeper write (ControllerMovedError) propagates: the controller must resign.
   */
  async handleStateChanges(
    partitions: readonly TopicPartition[],
    targetState: PartitionStateName,
    options: { strategy?: PartitionLeaderElectionStrategy } = {},
  ): Promise<Map<string, ElectionOutcome>> {
    if (partitions.length === 0) return new Map();
    const { strategy } = options;
    try {
      this.opts.requestBatch.newBatch();
      const result = await this.doHandleStateChanges(partitions, targetState, strategy);
      this.opts.requestBatch.sendRequestsToBrokers(this.ctx.epoch);
      return result;
    } catch (e) {
      this.opts.requestBatch.clear();
      if (e instanceof ControllerMovedError) {
        this.opts.logger.error(`Controller moved to another broker when moving some partitions to ${targetState} state`, e);
        throw e;
      }
      this.opts.logger.error(`Error while moving some partitions to ${targetState} state`, e);
      const err = e instanceof Error ? e : new Error(String(e));
      return new Map(partitions.map((tp) => [partitionKey(tp), { error: err }]));
    }
  }

  private async doHandleStateChanges(
    partitions: readonly TopicPartition[],
    targetState: PartitionStateName,
    strategy: PartitionLeaderElectionStrategy | undefined,
  ): Promise<Map<string, ElectionOutcome>> {
    const log = this.opts.stateChangeLogger.withControllerEpoch(this.ctx.epoch);
    for (const tp of partitions) this.ctx.putPartitionStateIfNotExists(tp, PartitionState.NonExistentPartition);
    const { valid, invalid } = this.ctx.checkValidPartitionStateChange(partitions, targetState);
    for (const tp of invalid) this.logInvalidTransition(tp, targetState);

    switch (targetState) {
      case PartitionState.NewPartition:
        for (const tp of valid) {
          log.info(`Changed partition ${partitionKey(tp)} state from ${this.ctx.partitionState(tp)} to ${targetState} ` +
            `with assigned replicas ${this.ctx.partitionReplicaAssignment(tp).join(',')}`);
          this.ctx.putPartitionState(tp, PartitionState.NewPartition);
        }
        return new Map();
      case PartitionState.OnlinePartition: {
        const uninitialized = valid.filter((tp) => this.ctx.partitionState(tp) === PartitionState.NewPartition);
        const toElect = valid.filter((tp) => {
          const s = this.ctx.partitionState(tp);
          return s === PartitionState.OfflinePartition || s === PartitionState.OnlinePartition;
        });
        const results = new Map<string, ElectionOutcome>();
        if (uninitialized.length > 0) {
          for (const tp of await this.initializeLeaderAndIsrForPartitions(uninitialized)) {
            const info = this.ctx.partitionLeadershipInfo(tp)!;
            log.info(`Changed partition ${partitionKey(tp)} from ${this.ctx.partitionState(tp)} to ${targetState} ` +
              `with state ${info.leaderAndIsr}`);
            this.ctx.putPartitionState(tp, PartitionState.OnlinePartition);
          }
        }
        if (toElect.length > 0) {
          if (strategy === undefined) {
            throw new Error('Election strategy is a required field when the target state is OnlinePartition');
          }
          const elections = await this.electLeaderForPartitions(toElect, strategy);
          for (const tp of toElect) {
            const outcome = elections.get(partitionKey(tp));
            if (outcome === undefined) continue;
            if ('leaderAndIsr' in outcome) {
              log.info(`Changed partition ${partitionKey(tp)} from ${this.ctx.partitionState(tp)} to ${targetState} ` +
                `with state ${outcome.leaderAndIsr}`);
              this.ctx.putPartitionState(tp, PartitionState.OnlinePartition);
            }
            results.set(partitionKey(tp), outcome);
          }
        }
        return results;
      }
      case PartitionState.OfflinePartition:
      case PartitionState.NonExistentPartition:
        for (const tp of valid) {
          log.trace(`Changed partition ${partitionKey(tp)} state from ${this.ctx.partitionState(tp)} to ${targetState}`);
          this.ctx.putPartitionState(tp, targetState);
        }
        return new Map();
    }
  }

  /** NewPartition -> OnlinePartition: creates the state znodes; returns the partitions that succeeded. */
  private async initializeLeaderAndIsrForPartitions(partitions: readonly TopicPartition[]): Promise<TopicPartition[]> {
    const states: Array<[TopicPartition, LeaderIsrAndControllerEpoch]> = [];
    for (const tp of partitions) {
      const replicas = this.ctx.partitionReplicaAssignment(tp);
      const liveReplicas = replicas.filter((r) => this.ctx.isReplicaOnline(r, tp));
      if (liveReplicas.length === 0) {
        this.logFailedStateChange(tp, PartitionState.NewPartition, PartitionState.OnlinePartition,
          new StateChangeFailedError(`Controller ${this.opts.controllerId} epoch ${this.ctx.epoch} encountered error ` +
            `during state change of partition ${partitionKey(tp)} from New to Online, assigned replicas are ` +
            `[${replicas.join(',')}], live brokers are [${[...this.ctx.liveBrokerIds].join(',')}]. No assigned replica is alive.`));
        continue;
      }
      states.push([tp, new LeaderIsrAndControllerEpoch(LeaderAndIsr.initial(liveReplicas[0]!, liveReplicas), this.ctx.epoch)]);
    }
    if (states.length === 0) return [];
    let results: Map<string, Error | null>;
    try {
      results = await this.opts.zkClient.createTopicPartitionStates(states, this.ctx.epochZkVersion);
    } catch (e) {
      if (e instanceof ControllerMovedError) {
        this.opts.logger.error('Controller moved to another broker when trying to create the topic partition state znode', e);
        throw e;
      }
      for (const [tp] of states) this.logFailedStateChange(tp, this.ctx.partitionState(tp), PartitionState.NewPartition, e);
      return [];
    }
    const succeeded: TopicPartition[] = [];
    for (const [tp, state] of states) {
      const error = results.get(partitionKey(tp)) ?? null;
      if (error === null) {
        this.ctx.putPartitionLeadershipInfo(tp, state);
        this.opts.requestBatch.addLeaderAndIsrRequestForBrokers(state.leaderAndIsr.isr, tp, { leaderIsrAndControllerEpoch: state, replicaAssignment: this.ctx.partitionFullReplicaAssignment(tp)!, isNew: true });
        succeeded.push(tp);
      } else {
        this.logFailedStateChange(tp, PartitionState.NewPartition, PartitionState.OnlinePartition, error);
      }
    }
    return succeeded;
  }

  /** Elects leaders, re-reading and retrying partitions whose conditional write hit BADVERSION. */
  private async electLeaderForPartitions(partitions: readonly TopicPartition[], strategy: PartitionLeaderElectionStrategy):
    Promise<Map<string, ElectionOutcome>> {
    let remaining = [...partitions];
    const finished = new Map<string, ElectionOutcome>();
    while (remaining.length > 0) {
      const { done, retry } = await this.doElectLeaderForPartitions(remaining, strategy);
      for (const [key, outcome] of done) {
        if ('error' in outcome) {
          const tp = remaining.find((p) => partitionKey(p) === key)!;
          this.logFailedStateChange(tp, this.ctx.partitionState(tp), PartitionState.OnlinePartition, outcome.error);
        }
        finished.set(key, outcome);
      }
      remaining = retry;
      if (remaining.length > 0) {
        this.opts.logger.info(`Retrying leader election with strategy ${describeStrategy(strategy)} for partitions ` +
          `${remaining.map(partitionKey).join(',')}`);
      }
    }
    return finished;
  }

  private async doElectLeaderForPartitions(partitions: readonly TopicPartition[], strategy: PartitionLeaderElectionStrategy):
    Promise<{ done: Map<string, ElectionOutcome>; retry: TopicPartition[] }> {
    const done = new Map<string, ElectionOutcome>();
    let current: Map<string, LeaderIsrAndControllerEpoch | null>;
    try {
      current = await this.opts.zkClient.getTopicPartitionStates(partitions);
    } catch (e) {
      if (e instanceof ControllerMovedError) throw e;
      const err = e instanceof Error ? e : new Error(String(e));
      return { done: new Map(partitions.map((tp) => [partitionKey(tp), { error: err }])), retry: [] };
    }
    const valid: Array<{ tp: TopicPartition; leaderAndIsr: LeaderAndIsr }> = [];
    for (const tp of partitions) {
      const state = current.get(partitionKey(tp)) ?? null;
      if (state === null) {
        done.set(partitionKey(tp), { error: new StateChangeFailedError(`LeaderAndIsr information doesn't exist for ` +
          `partition ${partitionKey(tp)} in ${this.ctx.partitionState(tp)} state`) });
      } else if (state.controllerEpoch > this.ctx.epoch) {
        done.set(partitionKey(tp), { error: new StateChangeFailedError(`Aborted leader election for partition ` +
          `${partitionKey(tp)} since the LeaderAndIsr path was already written by another controller. This probably ` +
          `means that the current controller ${this.opts.controllerId} went through a soft failure and another ` +
          `controller was elected with epoch ${state.controllerEpoch}.`) });
      } else {
        valid.push({ tp, leaderAndIsr: state.leaderAndIsr });
      }
    }
    if (valid.length === 0) return { done, retry: [] };

    const elections = await this.elect(valid, strategy);
    const toWrite = new Map<string, { tp: TopicPartition; leaderAndIsr: LeaderAndIsr; recipients: number[] }>();
    for (const result of elections) {
      if (result.leaderAndIsr === undefined) {
        done.set(partitionKey(result.tp), { error: new StateChangeFailedError(`Failed to elect leader for partition ` +
          `${partitionKey(result.tp)} under strategy ${describeStrategy(strategy)}`) });
      } else {
        if (result.unclean) {
          this.opts.logger.warn(`No broker in ISR is alive for ${partitionKey(result.tp)}. Elect leader ` +
            `${result.leaderAndIsr.leader} from live brokers ${result.liveReplicas.join(',')}. ` +
            `There's potential data loss.`);
        }
        toWrite.set(partitionKey(result.tp), { tp: result.tp, leaderAndIsr: result.leaderAndIsr, recipients: result.liveReplicas });
      }
    }
    if (toWrite.size === 0) return { done, retry: [] };

    const update = await this.opts.zkClient.updateLeaderAndIsr([...toWrite.values()].map((w) => ({ tp: w.tp, leaderAndIsr: w.leaderAndIsr })), { controllerEpoch: this.ctx.epoch, epochZkVersion: this.ctx.epochZkVersion });
    for (const [key, outcome] of update.finished) {
      const w = toWrite.get(key)!;
      if (outcome instanceof Error) {
        done.set(key, { error: outcome });
        continue;
      }
      const info = new LeaderIsrAndControllerEpoch(outcome, this.ctx.epoch);
      this.ctx.putPartitionLeadershipInfo(w.tp, info);
      this.opts.requestBatch.addLeaderAndIsrRequestForBrokers(w.recipients, w.tp, { leaderIsrAndControllerEpoch: info, replicaAssignment: this.ctx.partitionFullReplicaAssignment(w.tp)!, isNew: false });
      done.set(key, { leaderAndIsr: outcome });
    }
    for (const tp of update.retry) {
      this.opts.logger.debug(`Controller failed to elect leader for partition ${partitionKey(tp)}. Attempted to write ` +
        `state ${toWrite.get(partitionKey(tp))?.leaderAndIsr}, but failed with bad ZK version. This will be retried.`);
    }
    return { done, retry: update.retry };
  }

  private async elect(
    partitions: Array<{ tp: TopicPartition; leaderAndIsr: LeaderAndIsr }>, strategy: PartitionLeaderElectionStrategy,
  ): Promise<ElectionResult[]> {
    switch (strategy.kind) {
      case ElectionStrategy.Offline: {
        const withUnclean = await this.collectUncleanLeaderElectionState(partitions, strategy.allowUnclean);
        return leaderForOffline(this.ctx, withUnclean, { isLeaderRecoverySupported: this.opts.isLeaderRecoverySupported ?? true });
      }
      case ElectionStrategy.Reassign:
        return leaderForReassign(this.ctx, partitions);
      case ElectionStrategy.PreferredReplica:
        return leaderForPreferredReplica(this.ctx, partitions);
      case ElectionStrategy.ControlledShutdown:
        return leaderForControlledShutdown(this.ctx, partitions);
    }
  }

  /**
   * Unclean election is considered only for partitions without a live ISR member: allowed when the caller says
   * so, else when the topic's `unclean.leader.election.enable` (falling back to the broker's) is true.
   */
  private async collectUncleanLeaderElectionState(
    partitions: Array<{ tp: TopicPartition; leaderAndIsr: LeaderAndIsr }>, allowUnclean: boolean,
  ): Promise<Array<{ tp: TopicPartition; leaderAndIsr: LeaderAndIsr; uncleanAllowed: boolean }>> {
    const noLiveIsr = partitions.filter((p) => !p.leaderAndIsr.isr.some((r) => this.ctx.isReplicaOnline(r, p.tp)));
    const topics = [...new Set(noLiveIsr.map((p) => p.tp.topic))];
    const topicSetting = new Map<string, boolean>();
    if (!allowUnclean) {
      for (const topic of topics) {
        try {
          const overrides = await this.opts.zkClient.getTopicConfig(topic);
          const value = overrides['unclean.leader.election.enable'];
          topicSetting.set(topic, value === undefined ? this.opts.uncleanLeaderElectionEnable() : value.trim().toLowerCase() === 'true');
        } catch (e) {
          if (e instanceof ControllerMovedError) throw e;
          this.opts.logger.error(`Failed to read the configuration of topic ${topic}; no unclean election for its partitions`, e);
          topicSetting.set(topic, false);
        }
      }
    }
    return partitions.map((p) => ({
      ...p,
      uncleanAllowed: noLiveIsr.includes(p) && (allowUnclean || (topicSetting.get(p.tp.topic) ?? false)),
    }));
  }

  private logInvalidTransition(tp: TopicPartition, target: PartitionStateName): void {
    const current = this.ctx.partitionState(tp);
    this.logFailedStateChange(tp, current, target, new StateChangeFailedError(`Partition ${partitionKey(tp)} should be in ` +
      `one of ${PartitionValidPreviousStates[target].join(',')} states before moving to ${target} state. Instead it is ` +
      `in ${current} state`));
  }

  private logFailedStateChange(tp: TopicPartition, current: PartitionStateName, target: PartitionStateName, e: unknown): void {
    this.opts.stateChangeLogger.withControllerEpoch(this.ctx.epoch).error(`Controller ${this.opts.controllerId} epoch ` +
      `${this.ctx.epoch} failed to change state for partition ${partitionKey(tp)} from ${current} to ${target}`, e);
  }
}
