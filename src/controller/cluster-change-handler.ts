/**
 * The controller's handling of cluster changes seen in ZooKeeper (KafkaController.scala, 3.9 behaviour):
 *
 * - BrokerChange (/brokers/ids children): new brokers get UpdateMetadata and LeaderAndIsr for their replicas, and
 *   reassignments with a target replica on them resume;
 *   dead brokers' partitions go Offline and get a leader from the live ISR, their replicas go OfflineReplica;
 *   a broker whose czxid changed (bounced) is handled as a failure followed by a startup.
 * - BrokerModifications (/brokers/ids/<id> data): changed endpoints -> UpdateMetadata to every broker.
 * - TopicChange (/brokers/topics children) and PartitionModifications (/brokers/topics/<t> data): new partitions
 *   go NewPartition/NewReplica -> OnlinePartition/OnlineReplica; topics without an id get one (fenced).
 * - TopicDeletion (/admin/delete_topics children) and the StopReplica responses that drive it.
 * - LeaderAndIsr / UpdateMetadata responses: errors are logged, KAFKA_STORAGE_ERROR marks replicas offline.
 */
import { ErrorCode, errorInfo } from '../protocol';
import type { ControllerComponents } from './controller-components';
import type { ControllerEvent } from './controller-events';
import type { TopicAssignment } from './controller-zk-client';
import { PartitionState, ReplicaState } from './controller-states';
import {
  type ControllerBroker,
  type PartitionAndReplica,
  type ReplicaAssignment,
  type TopicPartition,
  formatReplica,
  partitionKey,
  scalaMap,
  scalaSet,
} from './controller-types';
import { ElectionStrategy } from './election';

type EventOf<T extends ControllerEvent['type']> = Extract<ControllerEvent, { type: T }>;

function describeTopicAssignment(a: TopicAssignment): string {
  return `TopicIdReplicaAssignment(${a.topic},${a.topicId === null ? 'None' : `Some(${a.topicId})`},${scalaMap([...a.assignment].map(([p, ra]): [string, ReplicaAssignment] => [`${a.topic}-${p}`, ra]), { key: (k) => k, value: (v) => v.toString() })})`;
}

function endpointsEqual(a: ControllerBroker, b: ControllerBroker): boolean {
  const key = (x: ControllerBroker) => x.endPoints.map((e) => `${e.listenerName}://${e.host}:${e.port}/${e.securityProtocol}`).join(',');
  return key(a) === key(b);
}

export class ClusterChangeHandler {
  constructor(private readonly c: ControllerComponents) {}

  private get ctx() {
    return this.c.context;
  }

  // ---- brokers -------------------------------------------------------------------------------------------

  async processBrokerChange(): Promise<void> {
    if (!this.c.isActive()) return;
    const current = await this.c.zk.getAllBrokerAndEpochsInCluster();
    const currentIds = new Set(current.map((b) => b.id));
    const known = this.ctx.liveOrShuttingDownBrokerIds;
    const newIds = [...currentIds].filter((id) => !known.has(id)).sort((a, b) => a - b);
    const deadIds = [...known].filter((id) => !currentIds.has(id)).sort((a, b) => a - b);
    const bouncedIds = current
      .filter((b) => known.has(b.id) && b.epoch > this.ctx.liveBrokerEpoch(b.id))
      .map((b) => b.id).sort((a, b) => a - b);
    const newBrokers = current.filter((b) => newIds.includes(b.id));
    const bouncedBrokers = current.filter((b) => bouncedIds.includes(b.id));
    this.c.logger.info(`Newly added brokers: ${newIds.join(',')}, deleted brokers: ${deadIds.join(',')}, ` +
      `bounced brokers: ${bouncedIds.join(',')}, all live brokers: ${[...currentIds].sort((a, b) => a - b).join(',')}`);

    for (const b of newBrokers) this.c.channelManager.addBroker(b);
    for (const id of bouncedIds) this.c.channelManager.removeBroker(id);
    for (const b of bouncedBrokers) this.c.channelManager.addBroker(b);
    for (const id of deadIds) this.c.channelManager.removeBroker(id);
    if (newIds.length > 0) {
      this.ctx.addLiveBrokers(newBrokers);
      await this.onBrokerStartup(newIds);
    }
    if (bouncedIds.length > 0) {
      this.ctx.removeLiveBrokers(bouncedIds);
      await this.onBrokerFailure(bouncedIds);
      this.ctx.addLiveBrokers(bouncedBrokers);
      await this.onBrokerStartup(bouncedIds);
    }
    if (deadIds.length > 0) {
      this.ctx.removeLiveBrokers(deadIds);
      await this.onBrokerFailure(deadIds);
    }
    if (newIds.length > 0 || deadIds.length > 0 || bouncedIds.length > 0) {
      this.c.logger.info(`Updated broker epochs cache: ${scalaMap(this.ctx.liveBrokerIdAndEpochs(), { key: String, value: String })}`);
    }
  }

  async processBrokerModification(brokerId: number): Promise<void> {
    if (!this.c.isActive()) return;
    // Reading with a watch re-arms the data watch of /brokers/ids/<id>.
    const updated = await this.c.zk.getBroker(brokerId, { watch: true });
    const old = this.ctx.liveOrShuttingDownBroker(brokerId);
    if (updated === null || old === undefined || endpointsEqual(old, updated)) return;
    const merged: ControllerBroker = { ...updated, epoch: old.epoch };
    this.c.logger.info(`Updated broker metadata: ${describeBroker(old)} -> ${describeBroker(merged)}`);
    this.ctx.updateBrokerMetadata(merged);
    const listener = this.c.config.interBrokerListenerName;
    const oldEp = old.endPoints.find((e) => e.listenerName === listener);
    const newEp = merged.endPoints.find((e) => e.listenerName === listener);
    if (oldEp?.host !== newEp?.host || oldEp?.port !== newEp?.port) {
      // The controller's own connection must follow the inter-broker endpoint.
      this.c.channelManager.removeBroker(brokerId);
      this.c.channelManager.addBroker(merged);
    }
    await this.onBrokerUpdate(brokerId);
  }

  /**
   * New (or restarted) brokers: UpdateMetadata without partitions to the others, with every partition to the new
   * ones, LeaderAndIsr for their replicas, elections for New/Offline partitions, and resumed topic deletions.
   */
  async onBrokerStartup(newBrokers: readonly number[]): Promise<void> {
    this.c.logger.info(`New broker startup callback for ${newBrokers.join(',')}`);
    for (const id of newBrokers) this.ctx.replicasOnOfflineDirs.delete(id);
    const newSet = new Set(newBrokers);
    const existing = [...this.ctx.liveOrShuttingDownBrokerIds].filter((id) => !newSet.has(id));
    await this.c.sendUpdateMetadataRequest(existing, []);
    await this.c.sendUpdateMetadataRequest(newBrokers, this.ctx.partitionsWithLeaders);
    const replicasOnNewBrokers = this.ctx.replicasOnBrokers(newSet);
    await this.c.replicaStateMachine.handleStateChanges(replicasOnNewBrokers, ReplicaState.OnlineReplica);
    await this.c.partitionStateMachine.triggerOnlinePartitionStateChange();
    await this.c.reassignments.maybeResumeReassignmentsForBrokers(newBrokers);
    const toResume = replicasOnNewBrokers.filter((r) => this.c.topicDeletionManager.isTopicQueuedUpForDeletion(r.topic));
    if (toResume.length > 0) {
      const topics = new Set(toResume.map((r) => r.topic));
      this.c.logger.info(`Some replicas ${toResume.map(formatReplica).join(',')} for topics scheduled for deletion ` +
        `${[...this.ctx.topicsToBeDeleted].join(',')} are on the newly restarted brokers ${newBrokers.join(',')}. ` +
        'Signaling restart of topic deletion for these topics');
      await this.c.topicDeletionManager.resumeDeletionForTopics(topics);
    }
    await this.c.watches.registerBrokerModificationsHandlers(newBrokers);
  }

  async onBrokerFailure(deadBrokers: readonly number[]): Promise<void> {
    this.c.logger.info(`Broker failure callback for ${deadBrokers.join(',')}`);
    for (const id of deadBrokers) this.ctx.replicasOnOfflineDirs.delete(id);
    const wereShuttingDown = deadBrokers.filter((id) => this.ctx.shuttingDownBrokerIds.delete(id));
    if (wereShuttingDown.length > 0) {
      this.c.logger.info(`Removed ${wereShuttingDown.join(',')} from list of shutting down brokers.`);
    }
    await this.onReplicasBecomeOffline(this.ctx.replicasOnBrokers(deadBrokers));
    this.c.watches.unregisterBrokerModificationsHandlers(deadBrokers);
  }

  /**
   * Replicas went offline (dead broker or failed log dir): partitions they led go Offline and are re-elected,
   * the replicas go OfflineReplica; replicas of topics being deleted fail their deletion instead.
   */
  async onReplicasBecomeOffline(newOfflineReplicas: readonly PartitionAndReplica[]): Promise<void> {
    const forDeletion = newOfflineReplicas.filter((r) => this.c.topicDeletionManager.isTopicQueuedUpForDeletion(r.topic));
    const notForDeletion = newOfflineReplicas.filter((r) => !this.c.topicDeletionManager.isTopicQueuedUpForDeletion(r.topic));
    const partitionsWithOfflineLeader = this.ctx.partitionsWithOfflineLeader();
    await this.c.partitionStateMachine.handleStateChanges(partitionsWithOfflineLeader, PartitionState.OfflinePartition);
    await this.c.partitionStateMachine.triggerOnlinePartitionStateChange();
    await this.c.replicaStateMachine.handleStateChanges(notForDeletion, ReplicaState.OfflineReplica);
    if (forDeletion.length > 0) await this.c.topicDeletionManager.failReplicaDeletion(forDeletion);
    // Without a re-election nobody told the brokers about the offline replicas: send them the news.
    if (partitionsWithOfflineLeader.length === 0) {
      await this.c.sendUpdateMetadataRequest(this.ctx.liveOrShuttingDownBrokerIds, []);
    }
  }

  private async onBrokerUpdate(brokerId: number): Promise<void> {
    this.c.logger.info(`Broker info update callback for ${brokerId}`);
    await this.c.sendUpdateMetadataRequest(this.ctx.liveOrShuttingDownBrokerIds, []);
  }

  // ---- topics --------------------------------------------------------------------------------------------

  async processTopicChange(): Promise<void> {
    if (!this.c.isActive()) return;
    const topics = new Set(await this.c.zk.getAllTopicsInCluster(true));
    const newTopics = [...topics].filter((t) => !this.ctx.allTopics.has(t));
    const deletedTopics = [...this.ctx.allTopics].filter((t) => !topics.has(t));
    this.ctx.setAllTopics(topics);
    this.c.watches.registerPartitionModificationsHandlers(newTopics);
    const added = (await this.c.zk.getReplicaAssignmentAndTopicIdForTopics(newTopics, { watch: true }))
      .filter((a) => a.assignment.size > 0 || a.topicId !== null);
    for (const t of deletedTopics) this.ctx.removeTopic(t);
    await this.processTopicIds(added);
    for (const a of added) {
      for (const [partition, ra] of a.assignment) this.ctx.updatePartitionFullReplicaAssignment({ topic: a.topic, partition }, ra);
    }
    this.c.logger.info(`New topics: [${scalaSet(newTopics)}], deleted topics: [${scalaSet(deletedTopics)}], new partition ` +
      `replica assignment [${scalaSet(added.map(describeTopicAssignment))}]`);
    const newPartitions = added.flatMap((a) => [...a.assignment.keys()].map((partition) => ({ topic: a.topic, partition })));
    if (newPartitions.length > 0) await this.onNewPartitionCreation(newPartitions);
  }

  /** Caches topic ids, giving topics written without one (old tools) a new id, fenced. */
  async processTopicIds(assignments: TopicAssignment[]): Promise<void> {
    const without = assignments.filter((a) => a.topicId === null && a.assignment.size > 0);
    const created = without.length > 0 ? await this.c.zk.setTopicIds(without, this.ctx.epochZkVersion) : new Map<string, string>();
    for (const a of assignments) {
      const id = a.topicId ?? created.get(a.topic);
      if (id !== undefined) this.ctx.addTopicId(a.topic, id);
    }
  }

  async processPartitionModifications(topic: string): Promise<void> {
    if (!this.c.isActive()) return;
    const [current] = await this.c.zk.getReplicaAssignmentAndTopicIdForTopics([topic], { watch: true });
    if (current === undefined) return;
    const toAdd = [...current.assignment].filter(([p]) => this.ctx.partitionReplicaAssignment({ topic, partition: p }).length === 0);
    if (this.c.topicDeletionManager.isTopicQueuedUpForDeletion(topic)) {
      if (toAdd.length > 0) {
        this.c.logger.warn(`Skipping adding partitions ${toAdd.map(([p]) => p).join(',')} for topic ${topic} since it is ` +
          'currently being deleted');
        await this.restorePartitionReplicaAssignment(topic, current);
      } else {
        this.c.logger.info('Ignoring partition change during topic deletion as no new partitions are added');
      }
      return;
    }
    if (toAdd.length === 0) return;
    this.c.logger.info(`New partitions to be added ${scalaMap(toAdd.map(([p, ra]): [string, ReplicaAssignment] =>
      [`${topic}-${p}`, ra]), { key: (k) => k, value: (v) => v.toString() })}`);
    for (const [partition, ra] of toAdd) this.ctx.updatePartitionFullReplicaAssignment({ topic, partition }, ra);
    await this.onNewPartitionCreation(toAdd.map(([partition]) => ({ topic, partition })));
  }

  /** Partitions may not be added to a topic being deleted: put back the assignment of the existing ones. */
  private async restorePartitionReplicaAssignment(topic: string, current: TopicAssignment): Promise<void> {
    this.c.logger.info(`Restoring the partition replica assignment for topic ${topic}`);
    const existing = new Set(await this.c.zk.getPartitionNodes(topic));
    const restored = new Map<number, ReplicaAssignment>();
    for (const p of current.assignment.keys()) {
      const ra = this.ctx.partitionFullReplicaAssignment({ topic, partition: p });
      if (existing.has(p) && ra !== undefined) restored.set(p, ra);
    }
    await this.c.zk.setTopicAssignment(topic, { topicId: this.ctx.topicIds.get(topic) ?? current.topicId, assignment: restored, epochZkVersion: this.ctx.epochZkVersion });
  }

  /** NewPartition/NewReplica, then OnlinePartition (leader = first live replica) and OnlineReplica. */
  async onNewPartitionCreation(newPartitions: readonly TopicPartition[]): Promise<void> {
    this.c.logger.info(`New partition creation callback for ${newPartitions.map(partitionKey).join(',')}`);
    const psm = this.c.partitionStateMachine;
    const rsm = this.c.replicaStateMachine;
    await psm.handleStateChanges(newPartitions, PartitionState.NewPartition);
    await rsm.handleStateChanges(this.ctx.replicasForPartition(newPartitions), ReplicaState.NewReplica);
    await psm.handleStateChanges(newPartitions, PartitionState.OnlinePartition, { strategy: { kind: ElectionStrategy.Offline, allowUnclean: false } });
    await rsm.handleStateChanges(this.ctx.replicasForPartition(newPartitions), ReplicaState.OnlineReplica);
  }

  // ---- topic deletion ------------------------------------------------------------------------------------

  async processTopicDeletion(): Promise<void> {
    if (!this.c.isActive()) return;
    let toDelete = new Set(await this.c.zk.getTopicDeletions());
    this.c.logger.debug(`Delete topics listener fired for topics ${[...toDelete].join(',')} to be deleted`);
    const nonExistent = [...toDelete].filter((t) => !this.ctx.allTopics.has(t));
    if (nonExistent.length > 0) {
      this.c.logger.warn(`Ignoring request to delete non-existing topics ${nonExistent.join(',')}`);
      await this.c.zk.deleteTopicDeletions(nonExistent, this.ctx.epochZkVersion);
    }
    toDelete = new Set([...toDelete].filter((t) => this.ctx.allTopics.has(t)));
    if (this.c.config.deleteTopicEnable) {
      if (toDelete.size > 0) {
        this.c.logger.info(`Starting topic deletion for topics ${[...toDelete].join(',')}`);
        for (const topic of toDelete) {
          if ([...this.ctx.partitionsBeingReassigned.values()].some((tp) => tp.topic === topic)) {
            this.c.topicDeletionManager.markTopicIneligibleForDeletion(new Set([topic]), 'topic reassignment in progress');
          }
        }
        await this.c.topicDeletionManager.enqueueTopicsForDeletion(toDelete);
      }
    } else {
      this.c.logger.info(`Removing ${scalaSet(toDelete)} since delete topic is disabled`);
      await this.c.zk.deleteTopicDeletions([...toDelete], this.ctx.epochZkVersion);
    }
  }

  async processTopicDeletionStopReplicaResponseReceived(event: EventOf<'TopicDeletionStopReplicaResponseReceived'>): Promise<void> {
    if (!this.c.isActive()) return;
    const { replicaId, requestErrorCode, partitionErrors } = event;
    this.c.logger.debug(`Delete topic callback invoked on StopReplica response received from broker ${replicaId}: ` +
      `request error = ${errorInfo(requestErrorCode).name}, partition errors = ${partitionErrors.map((p) =>
        `${partitionKey(p.tp)} -> ${errorInfo(p.errorCode).name}`).join(',')}`);
    const inError = requestErrorCode !== ErrorCode.NONE ? partitionErrors : partitionErrors.filter((p) => p.errorCode !== ErrorCode.NONE);
    const failed = inError.map((p) => ({ ...p.tp, replica: replicaId }));
    await this.c.topicDeletionManager.failReplicaDeletion(failed);
    if (inError.length !== partitionErrors.length) {
      const failedKeys = new Set(inError.map((p) => partitionKey(p.tp)));
      const deleted = partitionErrors.filter((p) => !failedKeys.has(partitionKey(p.tp))).map((p) => ({ ...p.tp, replica: replicaId }));
      await this.c.topicDeletionManager.completeReplicaDeletion(deleted);
    }
  }

  // ---- broker responses ----------------------------------------------------------------------------------

  async processLeaderAndIsrResponseReceived(event: EventOf<'LeaderAndIsrResponseReceived'>): Promise<void> {
    if (!this.c.isActive()) return;
    const log = this.c.stateChangeLogger.withControllerEpoch(this.ctx.epoch);
    if (event.errorCode !== ErrorCode.NONE) {
      log.error(`Received error ${errorInfo(event.errorCode).name} in LeaderAndIsr response from broker ${event.brokerId}`);
      return;
    }
    const offline: TopicPartition[] = [];
    const online: TopicPartition[] = [];
    for (const p of event.partitionErrors) {
      if (p.errorCode === ErrorCode.KAFKA_STORAGE_ERROR) offline.push(p.tp);
      else if (p.errorCode === ErrorCode.NONE) online.push(p.tp);
      else {
        // Kafka's controller ignores the other per-partition errors: STALE_CONTROLLER_EPOCH, the usual one,
        // only says the broker already has a newer leader epoch (it logs that itself, at INFO).
        log.debug(`Received error ${errorInfo(p.errorCode).name} for partition ${partitionKey(p.tp)} in LeaderAndIsr ` +
          `response from broker ${event.brokerId}`);
      }
    }
    const previous = this.ctx.replicasOnOfflineDirs.get(event.brokerId) ?? new Set<string>();
    const current = new Set(previous);
    for (const tp of online) current.delete(partitionKey(tp));
    for (const tp of offline) current.add(partitionKey(tp));
    this.ctx.replicasOnOfflineDirs.set(event.brokerId, current);
    const newlyOffline = offline.filter((tp) => !previous.has(partitionKey(tp)));
    if (newlyOffline.length > 0) {
      log.info(`Mark replicas ${newlyOffline.map(partitionKey).join(',')} on broker ${event.brokerId} as offline`);
      await this.onReplicasBecomeOffline(newlyOffline.map((tp) => ({ ...tp, replica: event.brokerId })));
    }
  }

  processUpdateMetadataResponseReceived(event: EventOf<'UpdateMetadataResponseReceived'>): void {
    if (!this.c.isActive()) return;
    if (event.errorCode !== ErrorCode.NONE) {
      this.c.stateChangeLogger.withControllerEpoch(this.ctx.epoch).error(`Received error ${errorInfo(event.errorCode).name} ` +
        `in UpdateMetadata response from broker ${event.brokerId}`);
    }
  }
}

/** Kafka's Broker.toString: `BrokerInfo(id=1, endpoints=..., rack=...)` style, for logs. */
function describeBroker(b: ControllerBroker): string {
  return `Broker(id=${b.id}, endpoints=${b.endPoints.map((e) => `${e.listenerName}://${e.host}:${e.port}`).join(',')}, ` +
    `rack=${b.rack ?? 'null'})`;
}
