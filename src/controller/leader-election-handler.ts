/**
 * Leadership moves the controller makes on request (KafkaController.scala, 3.9 behaviour):
 *
 * - ElectLeaders from the admin API (KIP-460): PREFERRED elects the first replica where it is not the leader and
 *   is live and in the ISR; UNCLEAN elects, where the leader is missing or dead, a live ISR member or else any live
 *   replica; per partition the answer is the new leader or ELECTION_NOT_NEEDED, PREFERRED_LEADER_NOT_AVAILABLE,
 *   ELIGIBLE_LEADERS_NOT_AVAILABLE, INVALID_TOPIC_EXCEPTION (topic being deleted), UNKNOWN_TOPIC_OR_PARTITION;
 * - preferred replica election from /admin/preferred_replica_election (legacy tools): the listed partitions whose
 *   leader is not their first replica elect it if it is live and in the ISR; the znode is then deleted (fenced)
 *   and its existence watch re-armed;
 * - auto leader rebalance: every `leader.imbalance.check.interval.seconds` (first 5 s after failover), a broker
 *   whose share of partitions led elsewhere exceeds `leader.imbalance.per.broker.percentage` gets a preferred
 *   election for them;
 * - ControlledShutdown: leadership moves off the broker (and it leaves the ISRs it follows); the answer is the
 *   partitions it still leads;
 * - /isr_change_notification (leaders at IBP < 2.7): partition states are re-read, UpdateMetadata is sent and the
 *   notifications are deleted; partitions being reassigned among them may complete their reassignment.
 */
import { KafkaError, StaleBrokerEpochError } from '../common/kafka-error';
import { ControllerMovedError } from '../zk/zk-errors';
import type { ControllerComponents } from './controller-components';
import { PartitionState, ReplicaState } from './controller-states';
import { LeaderAndIsrConstants, LeaderIsrAndControllerEpoch, type TopicPartition, partitionKey } from './controller-types';
import { ControllerPaths } from './controller-watches';
import type { ApiError, ElectionResultEntry } from './controller-events';
import { ElectionStrategy, ElectionType, type ElectionTypeValue, electionTypeName } from './election';
import { type ElectionOutcome, StateChangeFailedError } from './partition-state-machine';
import { ErrorCode, errorInfo } from '../protocol';

/** Who asked for an election (Kafka's ElectionTrigger). */
export const ElectionTrigger = {
  AutoTriggered: 'AutoTriggered',
  ZkTriggered: 'ZkTriggered',
  AdminClientTriggered: 'AdminClientTriggered',
} as const;
export type ElectionTriggerName = (typeof ElectionTrigger)[keyof typeof ElectionTrigger];

/** The broker named in a ControlledShutdown is not registered (BROKER_NOT_AVAILABLE, code 8). */
export class BrokerNotAvailableError extends KafkaError {
  override readonly name = 'BrokerNotAvailableError';
  constructor(message: string) {
    super(8, message);
  }
}

export class LeaderElectionHandler {
  constructor(private readonly c: ControllerComponents) {}

  private get ctx() {
    return this.c.context;
  }

  // ---- preferred replica election ------------------------------------------------------------------------

  /** /admin/preferred_replica_election was created (or this runs to re-arm its existence watch). */
  async processZkPreferredReplicaElection(): Promise<void> {
    if (!this.c.isActive()) return;
    this.c.watches.registerPreferredReplicaElectionHandler();
    const exists = (await this.c.zk.session.exists(ControllerPaths.preferredReplicaElection, { watch: true })) !== null;
    if (!exists) return;
    const partitions = await this.c.zk.zk.getPreferredReplicaElection();
    const all = new Set(this.ctx.allPartitions.map(partitionKey));
    const known = partitions.filter((tp) => all.has(partitionKey(tp)));
    for (const tp of partitions.filter((p) => !all.has(partitionKey(p)))) {
      this.c.logger.info(`Skipping replica leader election (PREFERRED) for partition ${partitionKey(tp)} by ZkTriggered ` +
        'since it doesn\'t exist.');
    }
    const beingDeleted = known.filter((tp) => this.c.topicDeletionManager.isTopicQueuedUpForDeletion(tp.topic));
    if (beingDeleted.length > 0) {
      this.c.logger.warn(`Skipping replica leader election (PREFERRED) for partitions ${beingDeleted.map(partitionKey).join(',')} ` +
        'by ZkTriggered since the respective topics are being deleted');
    }
    const live = known.filter((tp) => !this.c.topicDeletionManager.isTopicQueuedUpForDeletion(tp.topic));
    const electable = live.filter((tp) => this.ctx.partitionLeadershipInfo(tp)?.leaderAndIsr.leader !==
      this.ctx.partitionReplicaAssignment(tp)[0]);
    await this.onReplicaElection(electable, ElectionTrigger.ZkTriggered);
  }

  /** Preferred elections still listed in the znode at failover, minus finished ones and deleted topics. */
  async fetchPendingPreferredReplicaElections(): Promise<TopicPartition[]> {
    const listed = await this.c.zk.zk.getPreferredReplicaElection();
    const completed = listed.filter((tp) => {
      const replicas = this.ctx.partitionReplicaAssignment(tp);
      return replicas.length === 0 || this.ctx.partitionLeadershipInfo(tp)?.leaderAndIsr.leader === replicas[0];
    }).map(partitionKey);
    const pendingIgnoringDeletion = listed.filter((tp) => !completed.includes(partitionKey(tp)));
    const skipped = pendingIgnoringDeletion.filter((tp) => this.c.topicDeletionManager.isTopicQueuedUpForDeletion(tp.topic));
    const pending = pendingIgnoringDeletion.filter((tp) => !this.c.topicDeletionManager.isTopicQueuedUpForDeletion(tp.topic));
    this.c.logger.info(`Partitions undergoing preferred replica election: ${listed.map(partitionKey).join(',')}`);
    this.c.logger.info(`Partitions that completed preferred replica election: ${completed.join(',')}`);
    this.c.logger.info(`Skipping preferred replica election for partitions due to topic deletion: ${skipped.map(partitionKey).join(',')}`);
    this.c.logger.info(`Resuming preferred replica election for partitions: ${pending.map(partitionKey).join(',')}`);
    return pending;
  }

  /**
   * ElectLeaders (admin client): elects leaders of the given partitions as `electionType` asks. Partitions that
   * already have a valid leader, unknown ones and those of topics being deleted are answered without election.
   */
  async processReplicaLeaderElection(partitions: readonly TopicPartition[], electionType: ElectionTypeValue):
    Promise<ElectionResultEntry[]> {
    const unique = [...new Map(partitions.map((tp) => [partitionKey(tp), { topic: tp.topic, partition: tp.partition }])).values()];
    const error = (code: number, message?: string | null): ApiError =>
      ({ code, message: message !== undefined ? message : errorInfo(code).message });
    if (!this.c.isActive()) return unique.map((tp) => ({ tp, error: error(ErrorCode.NOT_CONTROLLER, null) }));
    const type = electionTypeName(electionType);
    const trigger = ElectionTrigger.AdminClientTriggered;
    const all = new Set(this.ctx.allPartitions.map(partitionKey));
    const unknown = unique.filter((tp) => !all.has(partitionKey(tp)));
    for (const tp of unknown) {
      this.c.logger.info(`Skipping replica leader election (${type}) for partition ${partitionKey(tp)} by ${trigger} since it doesn't exist.`);
    }
    const known = unique.filter((tp) => all.has(partitionKey(tp)));
    const beingDeleted = known.filter((tp) => this.c.topicDeletionManager.isTopicQueuedUpForDeletion(tp.topic));
    if (beingDeleted.length > 0) {
      this.c.logger.warn(`Skipping replica leader election (${type}) for partitions ${beingDeleted.map(partitionKey).join(',')} ` +
        `by ${trigger} since the respective topics are being deleted`);
    }
    const live = known.filter((tp) => !this.c.topicDeletionManager.isTopicQueuedUpForDeletion(tp.topic));
    const leaderOf = (tp: TopicPartition) => this.ctx.partitionLeadershipInfo(tp)?.leaderAndIsr.leader ?? LeaderAndIsrConstants.NoLeader;
    const needsElection = (tp: TopicPartition) => electionType === ElectionType.PREFERRED
      ? leaderOf(tp) !== this.ctx.partitionReplicaAssignment(tp)[0]
      : leaderOf(tp) === LeaderAndIsrConstants.NoLeader || !this.ctx.liveBrokerIds.has(leaderOf(tp));
    const electable = live.filter(needsElection);
    const outcomes = await this.onReplicaElection(electable, trigger, electionType);
    const results: ElectionResultEntry[] = [];
    for (const tp of unique) {
      const key = partitionKey(tp);
      const outcome = outcomes.get(key);
      if (outcome !== undefined) {
        if ('leaderAndIsr' in outcome) {
          results.push({ tp, leader: outcome.leaderAndIsr.leader });
        } else if (outcome.error instanceof StateChangeFailedError) {
          const code = electionType === ElectionType.PREFERRED ? ErrorCode.PREFERRED_LEADER_NOT_AVAILABLE : ErrorCode.ELIGIBLE_LEADERS_NOT_AVAILABLE;
          results.push({ tp, error: error(code, outcome.error.message) });
        } else {
          const code = outcome.error instanceof KafkaError ? outcome.error.code : ErrorCode.UNKNOWN_SERVER_ERROR;
          results.push({ tp, error: error(code, outcome.error.message) });
        }
      } else if (unknown.includes(tp)) {
        results.push({ tp, error: error(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, 'The partition does not exist.') });
      } else if (beingDeleted.includes(tp)) {
        results.push({ tp, error: error(ErrorCode.INVALID_TOPIC_EXCEPTION, 'The topic is being deleted') });
      } else {
        results.push({ tp, error: error(ErrorCode.ELECTION_NOT_NEEDED) });
      }
    }
    this.c.logger.debug(`Waiting for any successful result for election type (${type}) by ${trigger} for partitions: ` +
      results.map((r) => `${partitionKey(r.tp)} -> ${r.error === undefined ? `Right(${r.leader})` : `Left(${errorInfo(r.error.code).name})`}`).join(', '));
    return results;
  }

  /**
   * Runs an election (PREFERRED unless told otherwise; UNCLEAN may pick a replica outside the ISR only when the
   * admin client asked); ZooKeeper-triggered ones end by deleting the request znode.
   */
  async onReplicaElection(
    partitions: readonly TopicPartition[],
    trigger: ElectionTriggerName,
    electionType: ElectionTypeValue = ElectionType.PREFERRED,
  ): Promise<Map<string, ElectionOutcome>> {
    const type = electionTypeName(electionType);
    this.c.logger.info(`Starting replica leader election (${type}) for partitions ${partitions.map(partitionKey).join(',')} ` +
      `triggered by ${trigger}`);
    try {
      const strategy = electionType === ElectionType.PREFERRED
        ? { kind: ElectionStrategy.PreferredReplica }
        : { kind: ElectionStrategy.Offline, allowUnclean: trigger === ElectionTrigger.AdminClientTriggered };
      const results = await this.c.partitionStateMachine.handleStateChanges(partitions, PartitionState.OnlinePartition, { strategy });
      if (trigger !== ElectionTrigger.AdminClientTriggered) {
        for (const [key, outcome] of results) {
          if ('error' in outcome) this.c.logger.error(`Error completing replica leader election (${type}) for partition ${key}`, outcome.error);
        }
      }
      return results;
    } finally {
      if (trigger !== ElectionTrigger.AdminClientTriggered) {
        await this.removePartitionsFromPreferredReplicaElection(partitions, trigger === ElectionTrigger.AutoTriggered);
      }
    }
  }

  private async removePartitionsFromPreferredReplicaElection(partitions: readonly TopicPartition[], isAuto: boolean): Promise<void> {
    for (const tp of partitions) {
      const leader = this.ctx.partitionLeadershipInfo(tp)?.leaderAndIsr.leader;
      const preferred = this.ctx.partitionReplicaAssignment(tp)[0];
      if (leader === preferred) {
        this.c.logger.info(`Partition ${partitionKey(tp)} completed preferred replica leader election. New leader is ${preferred}`);
      } else {
        this.c.logger.warn(`Partition ${partitionKey(tp)} failed to complete preferred replica leader election to ${preferred}. ` +
          `Leader is still ${leader}`);
      }
    }
    if (!isAuto) {
      await this.c.zk.zk.deletePreferredReplicaElection(this.ctx.epochZkVersion);
      // Re-arms the existence watch so that the next request is seen.
      this.c.put({ type: 'PreferredReplicaElection' });
    }
  }

  // ---- auto leader rebalance -----------------------------------------------------------------------------

  async checkAndTriggerAutoLeaderRebalance(): Promise<void> {
    this.c.logger.trace('Checking need to trigger auto leader balancing');
    const byPreferred = new Map<number, TopicPartition[]>();
    for (const tp of this.ctx.allPartitions) {
      if (this.c.topicDeletionManager.isTopicQueuedUpForDeletion(tp.topic)) continue;
      const preferred = this.ctx.partitionReplicaAssignment(tp)[0];
      if (preferred === undefined) continue;
      byPreferred.set(preferred, [...(byPreferred.get(preferred) ?? []), tp]);
    }
    for (const [broker, partitions] of byPreferred) {
      const notLedByPreferred = partitions.filter((tp) => {
        const info = this.ctx.partitionLeadershipInfo(tp);
        return info !== undefined && info.leaderAndIsr.leader !== broker;
      });
      this.c.logger.debug(`Topics not in preferred replica for broker ${broker} ${notLedByPreferred.map(partitionKey).join(',')}`);
      const ratio = notLedByPreferred.length / partitions.length;
      this.c.logger.trace(`Leader imbalance ratio for broker ${broker} is ${ratio}`);
      if (ratio > this.c.config.leaderImbalancePerBrokerPercentage / 100) {
        const candidates = notLedByPreferred.filter((tp) => this.ctx.partitionsBeingReassigned.size === 0 &&
          !this.c.topicDeletionManager.isTopicQueuedUpForDeletion(tp.topic) && this.ctx.allTopics.has(tp.topic) &&
          this.canPreferredReplicaBeLeader(tp));
        await this.onReplicaElection(candidates, ElectionTrigger.AutoTriggered);
      }
    }
  }

  private canPreferredReplicaBeLeader(tp: TopicPartition): boolean {
    const assignment = this.ctx.partitionReplicaAssignment(tp);
    const preferred = assignment[0];
    const isr = this.ctx.partitionLeadershipInfo(tp)?.leaderAndIsr.isr ?? [];
    return preferred !== undefined && this.ctx.isReplicaOnline(preferred, tp) && isr.includes(preferred);
  }

  // ---- controlled shutdown -------------------------------------------------------------------------------

  /** Moves leadership off a shutting-down broker; returns the partitions it still leads. */
  async doControlledShutdown(id: number, brokerEpoch: number): Promise<TopicPartition[]> {
    if (!this.c.isActive()) throw new ControllerMovedError('Controller moved to another broker. Aborting controlled shutdown');
    // -1: the broker did not say (older ControlledShutdown versions); accepted as in Kafka.
    if (brokerEpoch !== -1) {
      const cached = this.ctx.liveBrokerEpoch(id);
      if (brokerEpoch < cached) {
        const msg = `Received controlled shutdown request from an old broker epoch ${brokerEpoch} for broker ${id}. ` +
          `Current broker epoch is ${cached}.`;
        this.c.logger.info(msg);
        throw new StaleBrokerEpochError(msg);
      }
    }
    this.c.logger.info(`Shutting down broker ${id}`);
    if (!this.ctx.liveOrShuttingDownBrokerIds.has(id)) throw new BrokerNotAvailableError(`Broker id ${id} does not exist.`);
    this.ctx.shuttingDownBrokerIds.add(id);
    this.c.logger.debug(`All shutting down brokers: ${[...this.ctx.shuttingDownBrokerIds].join(',')}`);
    this.c.logger.debug(`Live brokers: ${[...this.ctx.liveBrokerIds].join(',')}`);
    const toActOn = this.ctx.partitionsOnBroker(id).filter((tp) => this.ctx.partitionReplicaAssignment(tp).length > 1 &&
      this.ctx.partitionLeadershipInfo(tp) !== undefined && !this.c.topicDeletionManager.isTopicQueuedUpForDeletion(tp.topic));
    const led = toActOn.filter((tp) => this.ctx.partitionLeadershipInfo(tp)!.leaderAndIsr.leader === id);
    const followed = toActOn.filter((tp) => this.ctx.partitionLeadershipInfo(tp)!.leaderAndIsr.leader !== id);
    await this.c.partitionStateMachine.handleStateChanges(led, PartitionState.OnlinePartition, { strategy: { kind: ElectionStrategy.ControlledShutdown } });
    this.c.requestBatch.newBatch();
    for (const tp of followed) this.c.requestBatch.addStopReplicaRequestForBrokers([id], tp, { deletePartition: false });
    this.c.requestBatch.sendRequestsToBrokers(this.ctx.epoch);
    // A follower leaves the ISR (the controller writes it and tells the leader).
    await this.c.replicaStateMachine.handleStateChanges(followed.map((tp) => ({ ...tp, replica: id })), ReplicaState.OfflineReplica);
    return this.ctx.partitionLeadersOnBroker(id);
  }

  // ---- ISR change notifications --------------------------------------------------------------------------

  async processIsrChangeNotification(): Promise<void> {
    if (!this.c.isActive()) return;
    const sequenceNumbers = await this.c.zk.zk.getAllIsrChangeNotifications();
    try {
      const partitions = await this.c.zk.zk.getPartitionsFromIsrChangeNotifications(sequenceNumbers);
      if (partitions.length > 0) {
        const states = await this.c.zk.getTopicPartitionStates(partitions);
        for (const tp of partitions) {
          const state = states.get(partitionKey(tp));
          if (state) this.ctx.putPartitionLeadershipInfo(tp, new LeaderIsrAndControllerEpoch(state.leaderAndIsr, state.controllerEpoch));
        }
        const brokers = this.ctx.liveOrShuttingDownBrokerIds;
        this.c.logger.debug(`Sending MetadataRequest to Brokers: ${[...brokers].join(',')} for TopicPartitions: ` +
          `${partitions.map(partitionKey).join(',')}`);
        await this.c.sendUpdateMetadataRequest(brokers, partitions);
        // The ISR of a partition being reassigned may now hold all its target replicas.
        for (const tp of partitions.filter((p) => this.ctx.partitionsBeingReassigned.has(partitionKey(p)))) {
          await this.c.reassignments.maybeCompleteReassignment(tp);
        }
      }
    } finally {
      await this.c.zk.zk.deleteIsrChangeNotifications(this.ctx.epochZkVersion, { sequenceNumbers });
    }
  }
}
