/**
 * TopicDeletionManager (Kafka's TopicDeletionManager.scala, 3.9 behaviour).
 *
 * A topic marked under /admin/delete_topics is queued. When it is eligible (no replica deletion in flight and
 * not ineligible) deletion starts: its partitions go Offline then NonExistent, UpdateMetadata publishes them
 * with leader -2, live replicas go OfflineReplica (StopReplica delete=false, out of the ISR) and then
 * ReplicaDeletionStarted (StopReplica delete=true). Replicas on dead brokers go ReplicaDeletionIneligible and
 * make the topic ineligible until their broker returns. StopReplica responses move replicas to
 * ReplicaDeletionSuccessful (or Ineligible, then retried). When every replica succeeded, the topic's znodes
 * (/brokers/topics/<t> recursively, /config/topics/<t>, /admin/delete_topics/<t>) are deleted, fenced.
 * With delete.topic.enable=false the markers are simply removed.
 */
import type { ControllerContext } from './controller-context';
import type { ControllerLogger } from './controller-logger';
import { PartitionState, ReplicaState } from './controller-states';
import type { PartitionAndReplica, TopicPartition } from './controller-types';
import { formatReplica } from './controller-types';
import type { PartitionStateMachine } from './partition-state-machine';
import type { ReplicaStateMachine } from './replica-state-machine';

/** The side effects deletion needs from the controller (Kafka's ControllerDeletionClient). */
export interface DeletionClient {
  /** Deletes the topic's assignment, config and deletion marker znodes (fenced). */
  deleteTopic(topic: string, epochZkVersion: number): Promise<void>;
  /** Deletes deletion markers (fenced). */
  deleteTopicDeletions(topics: readonly string[], epochZkVersion: number): Promise<void>;
  /** Stops watching the topic's znode so that a re-created topic is seen as new. */
  mutePartitionModifications(topic: string): void;
  /** UpdateMetadata for these partitions to every live broker. */
  sendMetadataUpdate(partitions: readonly TopicPartition[]): void;
}

/** Options of a TopicDeletionManager. */
export interface TopicDeletionManagerOptions {
  deleteTopicEnable: boolean;
  context: ControllerContext;
  replicaStateMachine: ReplicaStateMachine;
  partitionStateMachine: PartitionStateMachine;
  client: DeletionClient;
  logger: ControllerLogger;
}

export class TopicDeletionManager {
  constructor(private readonly opts: TopicDeletionManagerOptions) {}

  private get ctx(): ControllerContext {
    return this.opts.context;
  }

  private get enabled(): boolean {
    return this.opts.deleteTopicEnable;
  }

  /** On failover: queue the pending deletions (or, with deletion disabled, drop their markers). */
  async init(initialTopicsToBeDeleted: ReadonlySet<string>, initialTopicsIneligibleForDeletion: ReadonlySet<string>): Promise<void> {
    this.opts.logger.info(`Initializing manager with initial deletions: ${[...initialTopicsToBeDeleted].join(',')}, ` +
      `initial ineligible deletions: ${[...initialTopicsIneligibleForDeletion].join(',')}`);
    if (this.enabled) {
      this.ctx.queueTopicDeletion(initialTopicsToBeDeleted);
      for (const t of initialTopicsIneligibleForDeletion) {
        if (this.ctx.topicsToBeDeleted.has(t)) this.ctx.topicsIneligibleForDeletion.add(t);
      }
    } else {
      this.opts.logger.info(`Removing ${[...initialTopicsToBeDeleted].join(',')} since delete topic is disabled`);
      await this.opts.client.deleteTopicDeletions([...initialTopicsToBeDeleted], this.ctx.epochZkVersion);
    }
  }

  /** Resumes deletions after failover. */
  async tryTopicDeletion(): Promise<void> {
    if (this.enabled) await this.resumeDeletions();
  }

  async enqueueTopicsForDeletion(topics: ReadonlySet<string>): Promise<void> {
    if (!this.enabled) return;
    this.ctx.queueTopicDeletion(topics);
    await this.resumeDeletions();
  }

  /** A replica of these topics came back (broker restart): their deletion may continue. */
  async resumeDeletionForTopics(topics: ReadonlySet<string>): Promise<void> {
    if (!this.enabled) return;
    const toResume = [...topics].filter((t) => this.ctx.topicsToBeDeleted.has(t));
    if (toResume.length === 0) return;
    for (const t of toResume) this.ctx.topicsIneligibleForDeletion.delete(t);
    await this.resumeDeletions();
  }

  /** Replicas whose StopReplica(delete) failed, or whose broker died, halt their topic's deletion. */
  async failReplicaDeletion(replicas: readonly PartitionAndReplica[]): Promise<void> {
    if (!this.enabled) return;
    const failed = replicas.filter((r) => this.isTopicQueuedUpForDeletion(r.topic));
    if (failed.length === 0) return;
    const topics = new Set(failed.map((r) => r.topic));
    this.opts.logger.debug(`Deletion failed for replicas ${failed.map(formatReplica).join(',')}. Halting deletion ` +
      `for topics ${[...topics].join(',')}`);
    await this.opts.replicaStateMachine.handleStateChanges(failed, ReplicaState.ReplicaDeletionIneligible);
    this.markTopicIneligibleForDeletion(topics, 'replica deletion failure');
    await this.resumeDeletions();
  }

  /** Halts deletion of these topics (e.g. a replica is offline or a reassignment runs). */
  markTopicIneligibleForDeletion(topics: ReadonlySet<string>, reason: string): void {
    if (!this.enabled) return;
    const halted = [...topics].filter((t) => this.ctx.topicsToBeDeleted.has(t));
    for (const t of halted) this.ctx.topicsIneligibleForDeletion.add(t);
    if (halted.length > 0) this.opts.logger.info(`Halted deletion of topics ${halted.join(',')} due to ${reason}`);
  }

  isTopicQueuedUpForDeletion(topic: string): boolean {
    return this.enabled && this.ctx.isTopicQueuedUpForDeletion(topic);
  }

  /** StopReplica(delete=true) succeeded for these replicas. */
  async completeReplicaDeletion(replicas: readonly PartitionAndReplica[]): Promise<void> {
    const deleted = replicas.filter((r) => this.isTopicQueuedUpForDeletion(r.topic));
    this.opts.logger.debug(`Deletion successfully completed for replicas ${deleted.map(formatReplica).join(',')}`);
    await this.opts.replicaStateMachine.handleStateChanges(deleted, ReplicaState.ReplicaDeletionSuccessful);
    await this.resumeDeletions();
  }

  private isTopicIneligibleForDeletion(topic: string): boolean {
    return this.enabled ? this.ctx.topicsIneligibleForDeletion.has(topic) : true;
  }

  private isTopicDeletionInProgress(topic: string): boolean {
    return this.enabled ? this.ctx.isAnyReplicaInState(topic, ReplicaState.ReplicaDeletionStarted) : false;
  }

  private isTopicEligibleForDeletion(topic: string): boolean {
    return this.ctx.isTopicQueuedUpForDeletion(topic) && !this.isTopicDeletionInProgress(topic) &&
      !this.isTopicIneligibleForDeletion(topic);
  }

  /** Puts failed replicas back to OfflineReplica so that deletion is retried. */
  private async retryDeletionForIneligibleReplicas(topics: readonly string[]): Promise<void> {
    const failed = topics.flatMap((t) => this.ctx.replicasInState(t, ReplicaState.ReplicaDeletionIneligible));
    this.opts.logger.debug(`Retrying deletion of topics ${topics.join(',')} since replicas ` +
      `${failed.map(formatReplica).join(',')} were not successfully deleted`);
    await this.opts.replicaStateMachine.handleStateChanges(failed, ReplicaState.OfflineReplica);
  }

  private async completeDeleteTopic(topic: string): Promise<void> {
    // Stop watching the topic's znode first, so that a topic auto-created again under the same name is new.
    this.opts.client.mutePartitionModifications(topic);
    const replicas = this.ctx.replicasInState(topic, ReplicaState.ReplicaDeletionSuccessful);
    await this.opts.replicaStateMachine.handleStateChanges(replicas, ReplicaState.NonExistentReplica);
    await this.opts.client.deleteTopic(topic, this.ctx.epochZkVersion);
    this.ctx.removeTopic(topic);
  }

  private async onTopicDeletion(topics: ReadonlySet<string>): Promise<void> {
    const unseen = [...topics].filter((t) => !this.ctx.topicsWithDeletionStarted.has(t));
    if (unseen.length > 0) {
      const partitions = unseen.flatMap((t) => this.ctx.partitionsForTopic(t));
      await this.opts.partitionStateMachine.handleStateChanges(partitions, PartitionState.OfflinePartition);
      await this.opts.partitionStateMachine.handleStateChanges(partitions, PartitionState.NonExistentPartition);
      this.ctx.beginTopicDeletion(unseen);
    }
    // Brokers must stop serving the topic: UpdateMetadata publishes its partitions with leader -2.
    this.opts.client.sendMetadataUpdate([...topics].flatMap((t) => this.ctx.partitionsForTopic(t)));
    await this.onPartitionDeletion(topics);
  }

  private async onPartitionDeletion(topics: ReadonlySet<string>): Promise<void> {
    const allDeadReplicas: PartitionAndReplica[] = [];
    const allReplicasForDeletionRetry: PartitionAndReplica[] = [];
    const ineligible = new Set<string>();
    for (const topic of topics) {
      const replicas = this.ctx.replicasForTopic(topic);
      const alive = replicas.filter((r) => this.ctx.isReplicaOnline(r.replica, r));
      const dead = replicas.filter((r) => !this.ctx.isReplicaOnline(r.replica, r));
      const successful = new Set(this.ctx.replicasInState(topic, ReplicaState.ReplicaDeletionSuccessful).map(formatReplica));
      allDeadReplicas.push(...dead);
      allReplicasForDeletionRetry.push(...alive.filter((r) => !successful.has(formatReplica(r))));
      if (dead.length > 0) {
        this.opts.logger.debug(`Dead Replicas (${dead.map(formatReplica).join(',')}) found for topic ${topic}`);
        ineligible.add(topic);
      }
    }
    await this.opts.replicaStateMachine.handleStateChanges(allDeadReplicas, ReplicaState.ReplicaDeletionIneligible);
    // StopReplica(delete=false) first, so that followers stop fetching, then StopReplica(delete=true).
    await this.opts.replicaStateMachine.handleStateChanges(allReplicasForDeletionRetry, ReplicaState.OfflineReplica);
    await this.opts.replicaStateMachine.handleStateChanges(allReplicasForDeletionRetry, ReplicaState.ReplicaDeletionStarted);
    if (ineligible.size > 0) this.markTopicIneligibleForDeletion(ineligible, 'offline replicas');
  }

  /** Completes topics whose replicas are all deleted, retries failed ones and starts eligible ones. */
  private async resumeDeletions(): Promise<void> {
    const queued = [...this.ctx.topicsToBeDeleted];
    const eligibleForRetry: string[] = [];
    const eligibleForDeletion = new Set<string>();
    if (queued.length > 0) this.opts.logger.info(`Handling deletion for topics ${queued.join(',')}`);
    for (const topic of queued) {
      if (this.ctx.areAllReplicasInState(topic, ReplicaState.ReplicaDeletionSuccessful)) {
        await this.completeDeleteTopic(topic);
        this.opts.logger.info(`Deletion of topic ${topic} successfully completed`);
      } else if (!this.ctx.isAnyReplicaInState(topic, ReplicaState.ReplicaDeletionStarted)) {
        // Nothing in flight and not all done: either deletion never started or a replica failed and is retried.
        if (this.ctx.isAnyReplicaInState(topic, ReplicaState.ReplicaDeletionIneligible)) eligibleForRetry.push(topic);
      }
      if (this.isTopicEligibleForDeletion(topic)) {
        this.opts.logger.info(`Deletion of topic ${topic} (re)started`);
        eligibleForDeletion.add(topic);
      }
    }
    if (eligibleForRetry.length > 0) await this.retryDeletionForIneligibleReplicas(eligibleForRetry);
    if (eligibleForDeletion.size > 0) await this.onTopicDeletion(eligibleForDeletion);
  }
}
