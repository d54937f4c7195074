/**
 * ControllerContext: the active controller's in-memory view of the cluster, as Kafka's ControllerContext.scala.
 * It holds live brokers (id -> endpoints, rack, broker epoch = czxid of /brokers/ids/<id>), all topics and
 * their ids, replica assignments (replicas, adding, removing), partition leadership (leader, leader epoch, ISR,
 * controller epoch, partition epoch = state znode zkVersion), the partition and replica states of the two state
 * machines, topic deletion bookkeeping, and the controller epoch with its zkVersion (the fencing token).
 *
 * Only the controller event loop touches it, one event at a time, so it needs no locking.
 */
import {
  type ControllerBroker,
  type LeaderIsrAndControllerEpoch,
  type PartitionAndReplica,
  type ReplicaAssignment,
  type TopicPartition,
  partitionKey,
  replicaKey,
} from './controller-types';
import {
  PartitionState,
  type PartitionStateName,
  ReplicaState,
  type ReplicaStateName,
  isValidPartitionTransition,
  isValidReplicaTransition,
} from './controller-states';

/** Kafka's KafkaController.InitialControllerEpoch / InitialControllerEpochZkVersion. */
export const InitialControllerEpoch = 0;
export const InitialControllerEpochZkVersion = 0;

export class ControllerContext {
  /** Controller epoch of this controller (the value stored in /controller_epoch). */
  epoch = InitialControllerEpoch;
  /** dataVersion of /controller_epoch: every fenced write checks it. */
  epochZkVersion = InitialControllerEpochZkVersion;

  /** Brokers that sent ControlledShutdown; they stay registered but may not lead. */
  readonly shuttingDownBrokerIds = new Set<number>();
  /** Partitions under reassignment, by partition key. */
  readonly partitionsBeingReassigned = new Map<string, TopicPartition>();
  /** Replicas a broker reported as KAFKA_STORAGE_ERROR in a LeaderAndIsr response, by broker id. */
  readonly replicasOnOfflineDirs = new Map<number, Set<string>>();

  readonly topicsToBeDeleted = new Set<string>();
  /** Topics whose replicas were sent StopReplica(delete) at least once. */
  readonly topicsWithDeletionStarted = new Set<string>();
  readonly topicsIneligibleForDeletion = new Set<string>();

  private liveBrokersById = new Map<number, ControllerBroker>();
  private allTopicsSet = new Set<string>();
  private readonly topicIdsByName = new Map<string, string>();
  private readonly partitionAssignments = new Map<string, Map<number, ReplicaAssignment>>();
  private readonly leadership = new Map<string, { tp: TopicPartition; info: LeaderIsrAndControllerEpoch }>();
  private readonly partitionStates = new Map<string, { tp: TopicPartition; state: PartitionStateName }>();
  private readonly replicaStates = new Map<string, { replica: PartitionAndReplica; state: ReplicaStateName }>();

  // ---- brokers -------------------------------------------------------------------------------------------

  setLiveBrokers(brokers: Iterable<ControllerBroker>): void {
    this.liveBrokersById = new Map();
    this.addLiveBrokers(brokers);
  }

  addLiveBrokers(brokers: Iterable<ControllerBroker>): void {
    for (const b of brokers) this.liveBrokersById.set(b.id, b);
  }

  removeLiveBrokers(ids: Iterable<number>): void {
    for (const id of ids) this.liveBrokersById.delete(id);
  }

  /** Replaces a broker's metadata (endpoints changed) keeping its epoch. */
  updateBrokerMetadata(broker: ControllerBroker): void {
    this.liveBrokersById.set(broker.id, broker);
  }

  /** Live brokers that are not shutting down. */
  get liveBrokerIds(): Set<number> {
    return new Set([...this.liveBrokersById.keys()].filter((id) => !this.shuttingDownBrokerIds.has(id)));
  }

  get liveOrShuttingDownBrokerIds(): Set<number> {
    return new Set(this.liveBrokersById.keys());
  }

  get liveOrShuttingDownBrokers(): ControllerBroker[] {
    return [...this.liveBrokersById.values()];
  }

  liveOrShuttingDownBroker(id: number): ControllerBroker | undefined {
    return this.liveBrokersById.get(id);
  }

  /** The cached broker epoch of a live broker (-1 if unknown, which brokers accept). */
  liveBrokerEpoch(id: number): number {
    return this.liveBrokersById.get(id)?.epoch ?? -1;
  }

  /** `id -> epoch` of all registered brokers, for logs. */
  liveBrokerIdAndEpochs(): Map<number, number> {
    return new Map([...this.liveBrokersById.values()].map((b) => [b.id, b.epoch]));
  }

  /** Whether a replica's broker is registered (and not shutting down, unless asked) and its log dir is online. */
  isReplicaOnline(brokerId: number, tp: TopicPartition, options: { includeShuttingDownBrokers?: boolean } = {}): boolean {
    const brokerOnline = options.includeShuttingDownBrokers
      ? this.liveBrokersById.has(brokerId)
      : this.liveBrokersById.has(brokerId) && !this.shuttingDownBrokerIds.has(brokerId);
    return brokerOnline && !(this.replicasOnOfflineDirs.get(brokerId)?.has(partitionKey(tp)) ?? false);
  }

  // ---- topics and assignments ----------------------------------------------------------------------------

  get allTopics(): Set<string> {
    return this.allTopicsSet;
  }

  setAllTopics(topics: Iterable<string>): void {
    this.allTopicsSet = new Set(topics);
  }

  get topicIds(): ReadonlyMap<string, string> {
    return this.topicIdsByName;
  }

  addTopicId(topic: string, topicId: string): void {
    this.topicIdsByName.set(topic, topicId);
  }

  get allPartitions(): TopicPartition[] {
    const out: TopicPartition[] = [];
    for (const [topic, parts] of this.partitionAssignments) for (const p of parts.keys()) out.push({ topic, partition: p });
    return out;
  }

  partitionsForTopic(topic: string): TopicPartition[] {
    const parts = this.partitionAssignments.get(topic);
    return parts ? [...parts.keys()].sort((a, b) => a - b).map((partition) => ({ topic, partition })) : [];
  }

  /** Replicas (RS) of a partition, empty when unknown. */
  partitionReplicaAssignment(tp: TopicPartition): number[] {
    return [...(this.partitionFullReplicaAssignment(tp)?.replicas ?? [])];
  }

  partitionFullReplicaAssignment(tp: TopicPartition): ReplicaAssignment | undefined {
    return this.partitionAssignments.get(tp.topic)?.get(tp.partition);
  }

  /** `partition -> assignment` of one topic. */
  partitionFullReplicaAssignmentForTopic(topic: string): Map<number, ReplicaAssignment> {
    return new Map(this.partitionAssignments.get(topic) ?? []);
  }

  updatePartitionFullReplicaAssignment(tp: TopicPartition, assignment: ReplicaAssignment): void {
    let parts = this.partitionAssignments.get(tp.topic);
    if (!parts) {
      parts = new Map();
      this.partitionAssignments.set(tp.topic, parts);
    }
    parts.set(tp.partition, assignment);
  }

  partitionsOnBroker(brokerId: number): TopicPartition[] {
    return this.allPartitions.filter((tp) => this.partitionReplicaAssignment(tp).includes(brokerId));
  }

  replicasOnBrokers(brokerIds: Iterable<number>): PartitionAndReplica[] {
    const ids = new Set(brokerIds);
    const out: PartitionAndReplica[] = [];
    for (const tp of this.allPartitions) {
      for (const r of this.partitionReplicaAssignment(tp)) if (ids.has(r)) out.push({ ...tp, replica: r });
    }
    return out;
  }

  replicasForTopic(topic: string): PartitionAndReplica[] {
    return this.replicasForPartition(this.partitionsForTopic(topic));
  }

  replicasForPartition(partitions: Iterable<TopicPartition>): PartitionAndReplica[] {
    const out: PartitionAndReplica[] = [];
    for (const tp of partitions) {
      for (const r of this.partitionReplicaAssignment(tp)) out.push({ topic: tp.topic, partition: tp.partition, replica: r });
    }
    return out;
  }

  /** Forgets everything about a topic once its deletion completed (or the znode vanished). */
  removeTopic(topic: string): void {
    this.topicsToBeDeleted.delete(topic);
    this.topicsWithDeletionStarted.delete(topic);
    this.topicsIneligibleForDeletion.delete(topic);
    this.allTopicsSet.delete(topic);
    this.topicIdsByName.delete(topic);
    const parts = this.partitionAssignments.get(topic);
    if (parts) {
      for (const [partition, assignment] of parts) {
        const key = partitionKey({ topic, partition });
        this.leadership.delete(key);
        this.partitionStates.delete(key);
        this.partitionsBeingReassigned.delete(key);
        for (const r of assignment.replicas) this.replicaStates.delete(replicaKey({ topic, partition, replica: r }));
      }
    }
    this.partitionAssignments.delete(topic);
  }

  // ---- leadership ----------------------------------------------------------------------------------------

  partitionLeadershipInfo(tp: TopicPartition): LeaderIsrAndControllerEpoch | undefined {
    return this.leadership.get(partitionKey(tp))?.info;
  }

  putPartitionLeadershipInfo(tp: TopicPartition, info: LeaderIsrAndControllerEpoch): void {
    this.leadership.set(partitionKey(tp), { tp: { topic: tp.topic, partition: tp.partition }, info });
  }

  clearPartitionLeadershipInfo(): void {
    this.leadership.clear();
  }

  partitionsLeadershipInfo(): Array<[TopicPartition, LeaderIsrAndControllerEpoch]> {
    return [...this.leadership.values()].map((e) => [e.tp, e.info]);
  }

  /** Partitions that have a leader/ISR record (a state znode), except those of topics being deleted. */
  get partitionsWithLeaders(): TopicPartition[] {
    return [...this.leadership.values()].filter((e) => !this.isTopicQueuedUpForDeletion(e.tp.topic)).map((e) => e.tp);
  }

  /** Partitions whose recorded leader is not an online replica (excluding topics being deleted). */
  partitionsWithOfflineLeader(): TopicPartition[] {
    return [...this.leadership.values()]
      .filter((e) => !this.isTopicQueuedUpForDeletion(e.tp.topic) &&
        !this.isReplicaOnline(e.info.leaderAndIsr.leader, e.tp))
      .map((e) => e.tp);
  }

  /** Partitions currently led by a broker (what a controlled shutdown still has to move). */
  partitionLeadersOnBroker(brokerId: number): TopicPartition[] {
    return [...this.leadership.values()]
      .filter((e) => !this.isTopicQueuedUpForDeletion(e.tp.topic) && e.info.leaderAndIsr.leader === brokerId &&
        this.partitionReplicaAssignment(e.tp).length > 1)
      .map((e) => e.tp);
  }

  // ---- partition states ----------------------------------------------------------------------------------

  partitionState(tp: TopicPartition): PartitionStateName {
    return this.partitionStates.get(partitionKey(tp))?.state ?? PartitionState.NonExistentPartition;
  }

  putPartitionState(tp: TopicPartition, state: PartitionStateName): void {
    this.partitionStates.set(partitionKey(tp), { tp: { topic: tp.topic, partition: tp.partition }, state });
  }

  putPartitionStateIfNotExists(tp: TopicPartition, state: PartitionStateName): void {
    if (!this.partitionStates.has(partitionKey(tp))) this.putPartitionState(tp, state);
  }

  partitionsInStates(states: Iterable<PartitionStateName>, topic?: string): TopicPartition[] {
    const wanted = new Set(states);
    return [...this.partitionStates.values()]
      .filter((e) => wanted.has(e.state) && (topic === undefined || e.tp.topic === topic))
      .map((e) => e.tp);
  }

  /** Splits partitions into those that may move to `target` and those that may not. */
  checkValidPartitionStateChange(partitions: readonly TopicPartition[], target: PartitionStateName):
    { valid: TopicPartition[]; invalid: TopicPartition[] } {
    const valid: TopicPartition[] = [];
    const invalid: TopicPartition[] = [];
    for (const tp of partitions) (isValidPartitionTransition(this.partitionState(tp), target) ? valid : invalid).push(tp);
    return { valid, invalid };
  }

  get offlinePartitionCount(): number {
    return [...this.partitionStates.values()].filter((e) => e.state === PartitionState.OfflinePartition &&
      !this.isTopicQueuedUpForDeletion(e.tp.topic)).length;
  }

  // ---- replica states ------------------------------------------------------------------------------------

  replicaState(r: PartitionAndReplica): ReplicaStateName {
    return this.replicaStates.get(replicaKey(r))?.state ?? ReplicaState.NonExistentReplica;
  }

  hasReplicaState(r: PartitionAndReplica): boolean {
    return this.replicaStates.has(replicaKey(r));
  }

  putReplicaState(r: PartitionAndReplica, state: ReplicaStateName): void {
    this.replicaStates.set(replicaKey(r), { replica: { topic: r.topic, partition: r.partition, replica: r.replica }, state });
  }

  putReplicaStateIfNotExists(r: PartitionAndReplica, state: ReplicaStateName): void {
    if (!this.replicaStates.has(replicaKey(r))) this.putReplicaState(r, state);
  }

  removeReplicaState(r: PartitionAndReplica): void {
    this.replicaStates.delete(replicaKey(r));
  }

  checkValidReplicaStateChange(replicas: readonly PartitionAndReplica[], target: ReplicaStateName):
    { valid: PartitionAndReplica[]; invalid: PartitionAndReplica[] } {
    const valid: PartitionAndReplica[] = [];
    const invalid: PartitionAndReplica[] = [];
    for (const r of replicas) (isValidReplicaTransition(this.replicaState(r), target) ? valid : invalid).push(r);
    return { valid, invalid };
  }

  replicasInState(topic: string, state: ReplicaStateName): PartitionAndReplica[] {
    return this.replicasForTopic(topic).filter((r) => this.replicaState(r) === state);
  }

  isAnyReplicaInState(topic: string, state: ReplicaStateName): boolean {
    return this.replicasForTopic(topic).some((r) => this.replicaState(r) === state);
  }

  areAllReplicasInState(topic: string, state: ReplicaStateName): boolean {
    return this.replicasForTopic(topic).every((r) => this.replicaState(r) === state);
  }

  /** All replicas split by whether their broker (and log dir) is online. */
  onlineAndOfflineReplicas(): { online: PartitionAndReplica[]; offline: PartitionAndReplica[] } {
    const online: PartitionAndReplica[] = [];
    const offline: PartitionAndReplica[] = [];
    for (const r of this.replicasForPartition(this.allPartitions)) {
      (this.isReplicaOnline(r.replica, r) ? online : offline).push(r);
    }
    return { online, offline };
  }

  // ---- topic deletion ------------------------------------------------------------------------------------

  queueTopicDeletion(topics: Iterable<string>): void {
    for (const t of topics) this.topicsToBeDeleted.add(t);
  }

  beginTopicDeletion(topics: Iterable<string>): void {
    for (const t of topics) this.topicsWithDeletionStarted.add(t);
  }

  isTopicDeletionInProgress(topic: string): boolean {
    return this.topicsWithDeletionStarted.has(topic);
  }

  isTopicQueuedUpForDeletion(topic: string): boolean {
    return this.topicsToBeDeleted.has(topic);
  }

  /** Number of partitions whose preferred replica (first in the assignment) is not the leader. */
  get preferredReplicaImbalanceCount(): number {
    let n = 0;
    for (const tp of this.allPartitions) {
      if (this.isTopicQueuedUpForDeletion(tp.topic)) continue;
      const leader = this.partitionLeadershipInfo(tp)?.leaderAndIsr.leader;
      if (leader !== undefined && leader !== this.partitionReplicaAssignment(tp)[0]) n++;
    }
    return n;
  }

  /** Drops everything; used on resignation. */
  resetContext(): void {
    this.topicsToBeDeleted.clear();
    this.topicsWithDeletionStarted.clear();
    this.topicsIneligibleForDeletion.clear();
    this.shuttingDownBrokerIds.clear();
    this.partitionsBeingReassigned.clear();
    this.replicasOnOfflineDirs.clear();
    this.liveBrokersById = new Map();
    this.allTopicsSet = new Set();
    this.topicIdsByName.clear();
    this.partitionAssignments.clear();
    this.leadership.clear();
    this.partitionStates.clear();
    this.replicaStates.clear();
    this.epoch = InitialControllerEpoch;
    this.epochZkVersion = InitialControllerEpochZkVersion;
  }
}

