/**
 * The classic group coordinator (Kafka's GroupCoordinator): the service behind the group APIs
 * (JoinGroup, SyncGroup, Heartbeat, LeaveGroup, OffsetCommit, OffsetFetch, ListGroups, DescribeGroups,
 * DeleteGroups, OffsetDelete) for the groups whose `__consumer_offsets` partition this broker leads.
 *
 * Every group request is first checked like Kafka's validateGroupStatus: a valid group id
 * (INVALID_GROUP_ID), a running coordinator (COORDINATOR_NOT_AVAILABLE), the partition loaded
 * (COORDINATOR_LOAD_IN_PROGRESS) and owned by this broker (NOT_COORDINATOR). Membership and rebalancing
 * are in group-join.ts and group-membership.ts, persistence in group-metadata-manager.ts.
 *
 * Leadership: the broker calls onElection / onResignation (or onLeadershipChange with the outcome of a
 * LeaderAndIsr request) for `__consumer_offsets` partitions, and handleDeletedPartitions when topics
 * are deleted, so their committed offsets go too.
 */
import { NOOP_LOGGER, type Logger, type Logging } from '../../common/logger';
import { KafkaScheduler, type Scheduler } from '../../common/scheduler';
import { SystemTime, type Time } from '../../common/time';
import type { KafkaConfig } from '../../config/broker-config';
import { ErrorCode } from '../../protocol';
import { groupConfigFrom, offsetConfigFrom, type GroupConfig, type OffsetConfig } from './group-config';
import { GroupJoinHandler, type JoinGroupParams } from './group-join';
import { GroupMembership, type LeaveGroupResult, type LeavingMember, type SyncGroupParams } from './group-membership';
import { GroupMetadata, type GroupOverview, type GroupSummary } from './group-metadata';
import {
  GroupMetadataManager,
  type FetchedOffset,
  type OffsetCommitEntry,
  type OffsetsReplicaAccess,
} from './group-metadata-manager';
import { GroupState, parseGroupState } from './group-state';
import { UNKNOWN_MEMBER_ID, joinGroupError, syncGroupError, type JoinGroupResult, type SyncGroupResult } from './member-metadata';
import { GROUP_METADATA_TOPIC_NAME } from './offsets-topic';
import { topicPartitionKey, type OffsetAndMetadata, type TopicPartition } from './offset-and-metadata';

/** The group APIs, for group id validation. */
export type GroupApi =
  | 'JoinGroup'
  | 'SyncGroup'
  | 'Heartbeat'
  | 'LeaveGroup'
  | 'OffsetCommit'
  | 'OffsetFetch'
  | 'DescribeGroups'
  | 'DeleteGroups'
  | 'OffsetDelete';

/** An OffsetCommit request as the coordinator sees it. */
export interface CommitOffsetsParams {
  groupId: string;
  memberId: string;
  groupInstanceId: string | null;
  /** -1 for commits from outside group management (admin tools, assign()-based consumers). */
  generationId: number;
  offsets: OffsetCommitEntry[];
}

/** A leadership change of a partition, as a LeaderAndIsr request applied it. */
export interface PartitionLeadership {
  topic: string;
  partition: number;
  leader: number;
  leaderEpoch: number;
  /** The replica manager's outcome for the partition; only successful changes count. */
  errorCode: number;
}

/** The group type ListGroups v5 reports for every group of the classic protocol. */
export const CLASSIC_GROUP_TYPE = 'classic';

/** DescribeGroups' answer for a group that does not exist. */
const DEAD_GROUP: GroupSummary = { state: GroupState.Dead, protocolType: '', protocol: '', members: [] };
/** DescribeGroups' answer when the request failed. */
const EMPTY_GROUP: GroupSummary = { state: '', protocolType: '', protocol: '', members: [] };

export interface GroupCoordinatorOptions {
  brokerId: number;
  groupConfig: GroupConfig;
  offsetConfig: OffsetConfig;
  replicaManager: OffsetsReplicaAccess;
  time?: Time;
  /** Runs the offset expiration task; a KafkaScheduler of its own by default. */
  scheduler?: Scheduler;
  /** kafka.coordinator.group.GroupCoordinator */
  logger?: Logger;
  /** kafka.coordinator.group.GroupMetadataManager */
  managerLogger?: Logger;
}

export class GroupCoordinator {
  readonly groupManager: GroupMetadataManager;
  private readonly membership: GroupMembership;
  private readonly joins: GroupJoinHandler;
  private readonly logger: Logger;
  private readonly time: Time;
  private readonly ownScheduler: KafkaScheduler | undefined;
  private active = false;

  constructor(private readonly opts: GroupCoordinatorOptions) {
    this.logger = opts.logger ?? NOOP_LOGGER;
    this.time = opts.time ?? new SystemTime();
    if (!opts.scheduler) this.ownScheduler = new KafkaScheduler({ logger: this.logger });
    this.groupManager = new GroupMetadataManager({
      brokerId: opts.brokerId,
      config: opts.offsetConfig,
      replicaManager: opts.replicaManager,
      time: this.time,
      scheduler: opts.scheduler ?? this.ownScheduler!,
      logger: opts.managerLogger ?? this.logger,
    });
    this.membership = new GroupMembership({ groupConfig: opts.groupConfig, groupManager: this.groupManager, logger: this.logger });
    this.joins = new GroupJoinHandler({
      groupConfig: opts.groupConfig,
      groupManager: this.groupManager,
      membership: this.membership,
      logger: this.logger,
    });
  }

  /**
   * Starts serving. `partitionCount` is the partition count of an existing `__consumer_offsets` (Kafka
   * reads it from ZooKeeper), else offsets.topic.num.partitions applies.
   */
  startup(options: { partitionCount?: number; enableMetadataExpiration?: boolean } = {}): void {
    this.logger.info('Starting up.');
    this.groupManager.startup(options);
    this.active = true;
    this.logger.info('Startup complete.');
  }

  async shutdown(): Promise<void> {
    this.logger.info('Shutting down.');
    this.active = false;
    await this.groupManager.shutdown();
    this.membership.shutdown();
    await this.ownScheduler?.shutdown();
    this.logger.info('Shutdown complete.');
  }

  get isActive(): boolean {
    return this.active;
  }

  /** Operations waiting in the Heartbeat and Rebalance purgatories (Kafka's NumDelayedOperations). */
  get delayedOperations(): { heartbeat: number; rebalance: number } {
    return { heartbeat: this.membership.heartbeatPurgatory.delayedCount, rebalance: this.membership.rebalancePurgatory.delayedCount };
  }

  /** The `__consumer_offsets` partition of a group. */
  partitionFor(groupId: string): number {
    return this.groupManager.partitionFor(groupId);
  }

  private isValidGroupId(groupId: string, api: GroupApi): boolean {
    // Offset APIs, DescribeGroups and DeleteGroups accept the empty group id, for compatibility.
    switch (api) {
      case 'OffsetCommit':
      case 'OffsetFetch':
      case 'DescribeGroups':
      case 'DeleteGroups':
        return true;
      default:
        return groupId !== '';
    }
  }

  /** Kafka's validateGroupStatus: null when the group may be served here. */
  validateGroupStatus(groupId: string, api: GroupApi): number | null {
    if (!this.isValidGroupId(groupId, api)) return ErrorCode.INVALID_GROUP_ID;
    if (!this.active) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    if (this.groupManager.isGroupLoading(groupId)) return ErrorCode.COORDINATOR_LOAD_IN_PROGRESS;
    if (!this.groupManager.isGroupLocal(groupId)) return ErrorCode.NOT_COORDINATOR;
    return null;
  }

  // --- membership ---------------------------------------------------------------------------------

  async handleJoinGroup(p: JoinGroupParams): Promise<JoinGroupResult> {
    const error = this.validateGroupStatus(p.groupId, 'JoinGroup');
    if (error !== null) return joinGroupError(p.memberId, error);
    const { groupMinSessionTimeoutMs: min, groupMaxSessionTimeoutMs: max } = this.opts.groupConfig;
    if (p.sessionTimeoutMs < min || p.sessionTimeoutMs > max) return joinGroupError(p.memberId, ErrorCode.INVALID_SESSION_TIMEOUT);
    return this.joins.joinGroup(p);
  }

  async handleSyncGroup(p: SyncGroupParams): Promise<SyncGroupResult> {
    const error = this.validateGroupStatus(p.groupId, 'SyncGroup');
    // While loading, the rebalance state is lost and the group must start over at JoinGroup; older
    // clients do not expect COORDINATOR_LOAD_IN_PROGRESS here.
    if (error === ErrorCode.COORDINATOR_LOAD_IN_PROGRESS) return syncGroupError(ErrorCode.REBALANCE_IN_PROGRESS);
    if (error !== null) return syncGroupError(error);
    const group = this.groupManager.getGroup(p.groupId);
    if (!group) return syncGroupError(ErrorCode.UNKNOWN_MEMBER_ID);
    return this.membership.syncGroup(group, p);
  }

  handleHeartbeat(p: { groupId: string; memberId: string; groupInstanceId: string | null; generationId: number }): number {
    const error = this.validateGroupStatus(p.groupId, 'Heartbeat');
    // While loading, answer blindly: the member finds out at its next heartbeat.
    if (error === ErrorCode.COORDINATOR_LOAD_IN_PROGRESS) return ErrorCode.NONE;
    if (error !== null) return error;
    const group = this.groupManager.getGroup(p.groupId);
    if (!group) return ErrorCode.UNKNOWN_MEMBER_ID;
    return this.membership.heartbeat(group, p);
  }

  handleLeaveGroup(groupId: string, members: readonly LeavingMember[]): LeaveGroupResult {
    const error = this.validateGroupStatus(groupId, 'LeaveGroup');
    if (error !== null) return { error, members: [] };
    const group = this.groupManager.getGroup(groupId);
    if (!group) {
      return {
        error: ErrorCode.NONE,
        members: members.map((m) => ({ memberId: m.memberId, groupInstanceId: m.groupInstanceId, error: ErrorCode.UNKNOWN_MEMBER_ID })),
      };
    }
    return this.membership.leaveGroup(group, members);
  }

  // --- offsets ------------------------------------------------------------------------------------

  /**
   * A commit as the coordinator stores it (Kafka's createOffsetAndMetadata): committed now unless the
   * request carried a commit timestamp (OffsetCommit v1); an explicit expiry only when the request asked
   * for a retention time (v2-4), else offsets.retention.minutes applies.
   */
  offsetAndMetadata(p: { committedOffset: number; leaderEpoch: number; metadata: string | null; commitTimestamp: number; retentionTimeMs: number }): OffsetAndMetadata {
    const now = this.time.milliseconds();
    return {
      committedOffset: p.committedOffset,
      leaderEpoch: p.leaderEpoch,
      metadata: p.metadata ?? '',
      commitTimestamp: p.commitTimestamp === -1 ? now : p.commitTimestamp,
      expireTimestamp: p.retentionTimeMs === -1 ? null : now + p.retentionTimeMs,
    };
  }

  /** Commits offsets; resolves to each partition's error keyed by topicPartitionKey. */
  async handleCommitOffsets(p: CommitOffsetsParams): Promise<Map<string, number>> {
    const all = (error: number) => new Map(p.offsets.map((o) => [topicPartitionKey(o.topic, o.partition), error]));
    const error = this.validateGroupStatus(p.groupId, 'OffsetCommit');
    if (error !== null) return all(error);
    let group = this.groupManager.getGroup(p.groupId);
    if (!group) {
      // Without a group, only commits from outside group management are accepted (they create it).
      if (p.generationId >= 0) return all(ErrorCode.ILLEGAL_GENERATION);
      this.logger.info(`Creating simple consumer group ${p.groupId} via manual offset commit.`);
      group = this.groupManager.addGroup(new GroupMetadata(p.groupId, { initialState: GroupState.Empty, time: this.time }));
    }
    const invalid = this.validateOffsetCommit(group, p);
    if (invalid !== null) return all(invalid);
    switch (group.currentState) {
      case GroupState.Empty:
        return this.groupManager.storeOffsets(group, { consumerId: p.memberId, offsets: p.offsets });
      case GroupState.Stable:
      case GroupState.PreparingRebalance:
        // Commits stay allowed while preparing a rebalance: the heartbeat tells the member to rejoin.
        this.membership.completeAndScheduleNextHeartbeatExpiration(group, group.get(p.memberId));
        return this.groupManager.storeOffsets(group, { consumerId: p.memberId, offsets: p.offsets });
      case GroupState.CompletingRebalance:
        // The member has its new generation from JoinGroup but not its assignment yet.
        return all(ErrorCode.REBALANCE_IN_PROGRESS);
      default:
        return all(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    }
  }

  private validateOffsetCommit(group: GroupMetadata, p: CommitOffsetsParams): number | null {
    if (group.is(GroupState.Dead)) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    // Generation -1 (admin clients, manual assignment) may commit while the group is Empty.
    if (p.generationId < 0 && group.is(GroupState.Empty)) return null;
    if (p.generationId >= 0 || p.memberId !== UNKNOWN_MEMBER_ID || p.groupInstanceId !== null) {
      const memberError = this.membership.validateCurrentMember(group, { memberId: p.memberId, groupInstanceId: p.groupInstanceId, operation: 'offset-commit' });
      if (memberError !== null) return memberError;
      return p.generationId !== group.generationId ? ErrorCode.ILLEGAL_GENERATION : null;
    }
    // Only members may commit to a group that has members.
    return group.is(GroupState.Empty) ? null : ErrorCode.UNKNOWN_MEMBER_ID;
  }

  /**
   * Committed offsets of a group (of `partitions`, or all when null), whatever the group's state: the
   * group may use Kafka for offsets only.
   */
  handleFetchOffsets(
    groupId: string,
    options: { requireStable: boolean; partitions: readonly TopicPartition[] | null },
  ): { error: number; offsets: FetchedOffset[] } {
    const error = this.validateGroupStatus(groupId, 'OffsetFetch');
    if (error !== null) return { error, offsets: [] };
    return { error: ErrorCode.NONE, offsets: this.groupManager.getOffsets(groupId, options) };
  }

  // --- admin --------------------------------------------------------------------------------------

  /** The groups coordinated here, filtered by state (case-insensitive, v4+) and type (v5+). */
  handleListGroups(states: readonly string[], types: readonly string[]): { error: number; groups: GroupOverview[] } {
    if (!this.active) return { error: ErrorCode.COORDINATOR_NOT_AVAILABLE, groups: [] };
    const error = this.groupManager.isLoading ? ErrorCode.COORDINATOR_LOAD_IN_PROGRESS : ErrorCode.NONE;
    const wanted = new Set(states.map((s) => parseGroupState(s) ?? s.toLowerCase()));
    const classicWanted = types.length === 0 || types.some((t) => t.toLowerCase() === CLASSIC_GROUP_TYPE);
    const groups = classicWanted
      ? this.groupManager.currentGroups().filter((g) => wanted.size === 0 || wanted.has(g.currentState)).map((g) => g.overview())
      : [];
    return { error, groups };
  }

  handleDescribeGroup(groupId: string): { error: number; summary: GroupSummary } {
    const error = this.validateGroupStatus(groupId, 'DescribeGroups');
    if (error !== null) return { error, summary: EMPTY_GROUP };
    const group = this.groupManager.getGroup(groupId);
    return { error: ErrorCode.NONE, summary: group ? group.summary() : DEAD_GROUP };
  }

  /** Deletes Empty groups and their offsets; resolves to each group's error. */
  async handleDeleteGroups(groupIds: readonly string[]): Promise<Map<string, number>> {
    const errors = new Map<string, number>();
    const eligible: GroupMetadata[] = [];
    for (const groupId of new Set(groupIds)) {
      const error = this.validateGroupStatus(groupId, 'DeleteGroups');
      if (error !== null) {
        errors.set(groupId, error);
        continue;
      }
      const group = this.groupManager.getGroup(groupId);
      if (!group || group.is(GroupState.Dead)) {
        errors.set(groupId, this.groupManager.groupNotExists(groupId) ? ErrorCode.GROUP_ID_NOT_FOUND : ErrorCode.NOT_COORDINATOR);
      } else if (group.is(GroupState.Empty)) {
        group.transitionTo(GroupState.Dead);
        eligible.push(group);
      } else {
        errors.set(groupId, ErrorCode.NON_EMPTY_GROUP);
      }
    }
    if (eligible.length > 0) {
      const removed = await this.groupManager.cleanupGroupMetadata(eligible, (g) => g.removeAllOffsets());
      for (const g of eligible) errors.set(g.groupId, ErrorCode.NONE);
      this.logger.info(`The following groups were deleted: ${eligible.map((g) => g.groupId).join(', ')}. A total of ${removed} offsets were removed.`);
    }
    return errors;
  }

  /**
   * Deletes committed offsets of a group (OffsetDelete): any partition of an Empty group, only partitions
   * of topics a consumer group does not subscribe to otherwise (GROUP_SUBSCRIBED_TO_TOPIC).
   */
  async handleDeleteOffsets(groupId: string, partitions: readonly TopicPartition[]): Promise<{ error: number; partitions: Map<string, number> }> {
    const partitionErrors = new Map<string, number>();
    const error = this.validateGroupStatus(groupId, 'OffsetDelete');
    if (error !== null) return { error, partitions: partitionErrors };
    const group = this.groupManager.getGroup(groupId);
    if (!group || group.is(GroupState.Dead)) {
      return { error: this.groupManager.groupNotExists(groupId) ? ErrorCode.GROUP_ID_NOT_FOUND : ErrorCode.NOT_COORDINATOR, partitions: partitionErrors };
    }
    let eligible: TopicPartition[];
    if (group.is(GroupState.Empty)) {
      eligible = [...partitions];
    } else if (group.isConsumerGroup) {
      eligible = [];
      for (const tp of partitions) {
        if (group.isSubscribedToTopic(tp.topic)) partitionErrors.set(topicPartitionKey(tp.topic, tp.partition), ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC);
        else eligible.push(tp);
      }
    } else {
      return { error: ErrorCode.NON_EMPTY_GROUP, partitions: new Map() };
    }
    if (eligible.length > 0) {
      const removed = await this.groupManager.cleanupGroupMetadata([group], (g) => g.removeOffsets(eligible));
      for (const tp of eligible) partitionErrors.set(topicPartitionKey(tp.topic, tp.partition), ErrorCode.NONE);
      this.logger.info(
        `The following offsets of the group ${groupId} were deleted: ${eligible.map((tp) => topicPartitionKey(tp.topic, tp.partition)).join(', ')}. ` +
          `A total of ${removed} offsets were removed.`,
      );
    }
    return { error: ErrorCode.NONE, partitions: partitionErrors };
  }

  /** Partitions of deleted topics: their committed offsets are removed from every group. */
  async handleDeletedPartitions(partitions: readonly TopicPartition[]): Promise<void> {
    const removed = await this.groupManager.cleanupGroupMetadata(this.groupManager.currentGroups(), (g) => g.removeOffsets(partitions));
    this.logger.info(
      `Removed ${removed} offsets associated with deleted partitions: ${partitions.map((tp) => topicPartitionKey(tp.topic, tp.partition)).join(', ')}.`,
    );
  }

  // --- leadership of __consumer_offsets -----------------------------------------------------------

  /** This broker became the leader of `__consumer_offsets-<partition>`: load its groups. */
  onElection(partition: number, coordinatorEpoch: number): Promise<void> {
    this.logger.info(`Elected as the group coordinator for partition ${partition} in epoch ${coordinatorEpoch}`);
    return this.groupManager.scheduleLoadGroupAndOffsets(partition, { coordinatorEpoch, onGroupLoaded: (g) => this.membership.onGroupLoaded(g) });
  }

  /** This broker no longer leads `__consumer_offsets-<partition>`: unload its groups. */
  onResignation(partition: number, coordinatorEpoch: number | null): Promise<void> {
    this.logger.info(`Resigned as the group coordinator for partition ${partition} in epoch ${coordinatorEpoch ?? 'None'}`);
    return this.groupManager.removeGroupsForPartition(partition, { coordinatorEpoch, onGroupUnloaded: (g) => this.membership.onGroupUnloaded(g) });
  }

  /**
   * Applies the outcome of a LeaderAndIsr request (Kafka's onLeadershipChange callback): elected for
   * the `__consumer_offsets` partitions this broker now leads, resigned for those it follows. Other
   * topics and failed partitions are ignored.
   */
  onLeadershipChange(changes: readonly PartitionLeadership[]): Promise<void> {
    const tasks: Promise<void>[] = [];
    for (const c of changes) {
      if (c.topic !== GROUP_METADATA_TOPIC_NAME || c.errorCode !== ErrorCode.NONE) continue;
      tasks.push(c.leader === this.opts.brokerId ? this.onElection(c.partition, c.leaderEpoch) : this.onResignation(c.partition, c.leaderEpoch));
    }
    return Promise.all(tasks).then(() => undefined);
  }

  /** Applies a StopReplica outcome: a deleted `__consumer_offsets` replica resigns (epoch -1/-2: none). */
  onStopReplica(partitions: readonly { topic: string; partition: number; leaderEpoch: number; deletePartition: boolean; errorCode: number }[]): Promise<void> {
    const tasks = partitions
      .filter((p) => p.topic === GROUP_METADATA_TOPIC_NAME && p.deletePartition && p.errorCode === ErrorCode.NONE)
      .map((p) => this.onResignation(p.partition, p.leaderEpoch >= 0 ? p.leaderEpoch : null));
    return Promise.all(tasks).then(() => undefined);
  }
}

/** A coordinator configured from the broker configuration, logging under Kafka's logger names. */
export function createGroupCoordinator(
  config: KafkaConfig,
  deps: { brokerId: number; replicaManager: OffsetsReplicaAccess; logging?: Logging; time?: Time; scheduler?: Scheduler },
): GroupCoordinator {
  return new GroupCoordinator({
    brokerId: deps.brokerId,
    groupConfig: groupConfigFrom(config),
    offsetConfig: offsetConfigFrom(config),
    replicaManager: deps.replicaManager,
    time: deps.time,
    scheduler: deps.scheduler,
    logger: deps.logging?.logger('kafka.coordinator.group.GroupCoordinator', `GroupCoordinator ${deps.brokerId}`),
    managerLogger: deps.logging?.logger('kafka.coordinator.group.GroupMetadataManager', `GroupMetadataManager brokerId=${deps.brokerId}`),
  });
}
