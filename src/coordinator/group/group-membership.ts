/**
 * Group membership and rebalancing: the rebalance itself, SyncGroup, Heartbeat and LeaveGroup for groups
 * this broker coordinates (the membership half of Kafka's classic GroupCoordinator).
 *
 * - Rebalance: new members and members with changed metadata (see group-join.ts) move the group to
 *   PreparingRebalance; JoinGroup requests are parked until all known members rejoined or the rebalance
 *   timeout passed (the first rebalance of an Empty group waits group.initial.rebalance.delay.ms); then
 *   the next generation starts, every member gets its JoinGroup response and the leader also gets the
 *   members' metadata.
 * - SyncGroup: followers wait for the leader's assignment, which is written to `__consumer_offsets`
 *   before anyone gets it; members that do not sync within the rebalance timeout are removed.
 * - Heartbeat: keeps the member's session alive (DelayedHeartbeat); REBALANCE_IN_PROGRESS tells it to
 *   rejoin. A member whose session expires is removed and the group rebalances.
 * - LeaveGroup: removes members (by member id, or by group instance id for admin removal, v3+ batches).
 */
import { NOOP_LOGGER, type Logger } from '../../common/logger';
import { ErrorCode } from '../../protocol';
import { DelayedOperationPurgatory } from '../../server/purgatory/delayed-operation';
import { GroupStateError } from './coordinator-errors';
import {
  DelayedHeartbeat,
  DelayedJoin,
  DelayedSync,
  InitialDelayedJoin,
  groupJoinKey,
  groupSyncKey,
  memberKey,
  type DelayedOperationCallbacks,
  type DelayedRebalance,
} from './delayed-group-operations';
import type { GroupConfig } from './group-config';
import type { GroupMetadata } from './group-metadata';
import type { GroupMetadataManager } from './group-metadata-manager';
import { GroupState } from './group-state';
import {
  MemberMetadata,
  UNKNOWN_MEMBER_ID,
  joinGroupError,
  syncGroupError,
  type SyncGroupResult,
} from './member-metadata';

/** A SyncGroup request as the coordinator sees it. */
export interface SyncGroupParams {
  groupId: string;
  generationId: number;
  memberId: string;
  groupInstanceId: string | null;
  /** v5+; null when not given. */
  protocolType: string | null;
  protocolName: string | null;
  assignments: ReadonlyMap<string, Buffer>;
}

/** A member named in a LeaveGroup request. */
export interface LeavingMember {
  memberId: string;
  groupInstanceId: string | null;
  reason: string | null;
}

export interface LeaveMemberResult {
  memberId: string;
  groupInstanceId: string | null;
  error: number;
}

export interface LeaveGroupResult {
  error: number;
  members: LeaveMemberResult[];
}

export class GroupMembership implements DelayedOperationCallbacks {
  readonly heartbeatPurgatory = new DelayedOperationPurgatory<DelayedHeartbeat>('Heartbeat');
  readonly rebalancePurgatory = new DelayedOperationPurgatory<DelayedRebalance>('Rebalance');
  private readonly logger: Logger;
  /** Set by shutdown: completing the parked operations must not start new rebalances or timers. */
  private stopped = false;

  constructor(
    private readonly opts: {
      groupConfig: GroupConfig;
      groupManager: GroupMetadataManager;
      logger?: Logger;
    },
  ) {
    this.logger = opts.logger ?? NOOP_LOGGER;
  }

  private get groupManager(): GroupMetadataManager {
    return this.opts.groupManager;
  }

  private describePartition(group: GroupMetadata): string {
    return `__consumer_offsets-${this.groupManager.partitionFor(group.groupId)}`;
  }

  /** Completes every parked request (broker shutdown). */
  shutdown(): void {
    this.stopped = true;
    this.heartbeatPurgatory.shutdown();
    this.rebalancePurgatory.shutdown();
  }

  validateCurrentMember(group: GroupMetadata, request: { memberId: string; groupInstanceId: string | null; operation: string }): number | null {
    const { memberId, groupInstanceId, operation } = request;
    if (groupInstanceId !== null) {
      const current = group.currentStaticMemberId(groupInstanceId);
      if (current === undefined) return ErrorCode.UNKNOWN_MEMBER_ID;
      if (current !== memberId) {
        this.logger.info(
          `Request memberId=${memberId} for static member with groupInstanceId=${groupInstanceId} is fenced by current ` +
            `memberId=${current} during operation ${operation}`,
        );
        return ErrorCode.FENCED_INSTANCE_ID;
      }
      return null;
    }
    return group.has(memberId) ? null : ErrorCode.UNKNOWN_MEMBER_ID;
  }

  maybePrepareRebalance(group: GroupMetadata, reason: string): void {
    if (group.canRebalance) this.prepareRebalance(group, reason);
  }

  /** Moves the group to PreparingRebalance and parks a DelayedJoin (InitialDelayedJoin for an Empty group). */
  prepareRebalance(group: GroupMetadata, reason: string): void {
    if (this.stopped) return;
    // Members waiting for an assignment must rejoin instead.
    if (group.is(GroupState.CompletingRebalance)) this.resetAndPropagateAssignmentError(group, ErrorCode.REBALANCE_IN_PROGRESS);
    this.removeSyncExpiration(group);
    const delay = this.opts.groupConfig.groupInitialRebalanceDelayMs;
    const delayedRebalance = group.is(GroupState.Empty)
      ? new InitialDelayedJoin(this, {
          purgatory: this.rebalancePurgatory,
          group,
          configuredRebalanceDelayMs: delay,
          delayMs: delay,
          remainingMs: Math.max(group.rebalanceTimeoutMs - delay, 0),
        })
      : new DelayedJoin(this, { group, rebalanceTimeoutMs: group.rebalanceTimeoutMs });
    group.transitionTo(GroupState.PreparingRebalance);
    this.logger.info(
      `Preparing to rebalance group ${group.groupId} in state ${group.currentState} with old generation ${group.generationId} ` +
        `(${this.describePartition(group)}) (reason: ${reason})`,
    );
    this.rebalancePurgatory.tryCompleteElseWatch(delayedRebalance, [groupJoinKey(group.groupId)]);
  }

  tryCompleteJoin(group: GroupMetadata, forceComplete: () => boolean): boolean {
    return group.hasAllMembersJoined() ? forceComplete() : false;
  }

  /** The join phase ended: drop members that did not rejoin and start the next generation. */
  onCompleteJoin(group: GroupMetadata): void {
    if (this.stopped) return;
    const notRejoined = group.notYetRejoinedMembers().filter((m) => !m.isStaticMember);
    if (notRejoined.length > 0) {
      this.logger.info(`Group ${group.groupId} removed dynamic members who haven't joined: ${notRejoined.map((m) => m.memberId).join(',')}`);
      for (const m of notRejoined) {
        group.remove(m.memberId);
        this.removeHeartbeatForLeavingMember(group, m.memberId);
      }
    }
    if (group.is(GroupState.Dead)) {
      this.logger.info(`Group ${group.groupId} is dead, skipping rebalance stage`);
      return;
    }
    if (!group.maybeElectNewJoinedLeader() && group.size > 0) {
      // No member rejoined (static members are kept): wait again until their sessions expire.
      this.logger.error(`Group ${group.groupId} could not complete rebalance because no members rejoined`);
      this.rebalancePurgatory.tryCompleteElseWatch(new DelayedJoin(this, { group, rebalanceTimeoutMs: group.rebalanceTimeoutMs }), [groupJoinKey(group.groupId)]);
      return;
    }
    group.initNextGeneration();
    if (group.is(GroupState.Empty)) {
      this.logger.info(`Group ${group.groupId} with generation ${group.generationId} is now empty (${this.describePartition(group)})`);
      // A lost write is harmless: the previous generation has no live members either.
      this.groupManager.storeGroup(group, new Map()).then(
        (error) => {
          if (error !== ErrorCode.NONE) this.logger.warn(`Failed to write empty metadata for group ${group.groupId}: error code ${error}`);
        },
        (err: unknown) => this.logger.warn(`Failed to write empty metadata for group ${group.groupId}`, err),
      );
      return;
    }
    this.logger.info(
      `Stabilized group ${group.groupId} generation ${group.generationId} (${this.describePartition(group)}) with ${group.size} members`,
    );
    for (const member of group.allMemberMetadata()) {
      const isLeader = group.isLeader(member.memberId);
      group.maybeInvokeJoinCallback(member, {
        members: isLeader ? group.currentMemberMetadata() : [],
        memberId: member.memberId,
        generationId: group.generationId,
        protocolType: group.protocolType,
        protocolName: group.protocolName,
        leaderId: group.leaderOrNull ?? '',
        skipAssignment: false,
        error: ErrorCode.NONE,
      });
      this.completeAndScheduleNextHeartbeatExpiration(group, member);
      member.isNew = false;
      group.addPendingSyncMember(member.memberId);
    }
    const sync = new DelayedSync(this, { group, generationId: group.generationId, rebalanceTimeoutMs: group.rebalanceTimeoutMs });
    this.rebalancePurgatory.tryCompleteElseWatch(sync, [groupSyncKey(group.groupId)]);
  }

  // --- SyncGroup --------------------------------------------------------------------------------

  private validateSyncGroup(group: GroupMetadata, p: SyncGroupParams): number | null {
    if (group.is(GroupState.Dead)) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    const memberError = this.validateCurrentMember(group, { memberId: p.memberId, groupInstanceId: p.groupInstanceId, operation: 'sync-group' });
    if (memberError !== null) return memberError;
    if (p.generationId !== group.generationId) return ErrorCode.ILLEGAL_GENERATION;
    if (p.protocolType !== null && group.protocolType !== p.protocolType) return ErrorCode.INCONSISTENT_GROUP_PROTOCOL;
    if (p.protocolName !== null && group.protocolName !== p.protocolName) return ErrorCode.INCONSISTENT_GROUP_PROTOCOL;
    return null;
  }

  /** Handles SyncGroup for an existing group. */
  syncGroup(group: GroupMetadata, p: SyncGroupParams): Promise<SyncGroupResult> {
    return new Promise((respond) => {
      const error = this.validateSyncGroup(group, p);
      if (error !== null) {
        respond(syncGroupError(error));
        return;
      }
      switch (group.currentState) {
        case GroupState.Empty:
          respond(syncGroupError(ErrorCode.UNKNOWN_MEMBER_ID));
          return;
        case GroupState.PreparingRebalance:
          respond(syncGroupError(ErrorCode.REBALANCE_IN_PROGRESS));
          return;
        case GroupState.CompletingRebalance: {
          group.get(p.memberId).awaitingSyncCallback = respond;
          this.removePendingSyncMember(group, p.memberId);
          if (group.isLeader(p.memberId)) this.completeSyncFromLeader(group, p);
          return;
        }
        case GroupState.Stable: {
          this.removePendingSyncMember(group, p.memberId);
          const member = group.get(p.memberId);
          respond({ protocolType: group.protocolType, protocolName: group.protocolName, assignment: member.assignment, error: ErrorCode.NONE });
          this.completeAndScheduleNextHeartbeatExpiration(group, member);
          return;
        }
        case GroupState.Dead:
          throw new GroupStateError(`Reached unexpected condition for Dead group ${group.groupId}`);
      }
    });
  }

  /** The leader's assignment: store it, then hand every member its part and make the group Stable. */
  private completeSyncFromLeader(group: GroupMetadata, p: SyncGroupParams): void {
    this.logger.info(
      `Assignment received from leader ${p.memberId} for group ${group.groupId} for generation ${group.generationId}. ` +
        `The group has ${group.size} members, ${group.allStaticMembers().length} of which are static.`,
    );
    const assignment = new Map(p.assignments);
    const missing = group.allMembers().filter((id) => !assignment.has(id));
    for (const id of missing) assignment.set(id, Buffer.alloc(0));
    if (missing.length > 0) {
      this.logger.warn(`Setting empty assignments for members ${missing.join(',')} of ${group.groupId} for generation ${group.generationId}`);
    }
    const generationId = group.generationId;
    const stored = this.groupManager.storeGroup(group, assignment).catch((err: unknown) => {
      this.logger.error(`Error storing the assignment of group ${group.groupId} generation ${generationId}`, err);
      return ErrorCode.UNKNOWN_SERVER_ERROR as number;
    });
    void stored.then((error) => {
      // Someone may have joined or left while the write was in flight: only the same generation, still
      // completing its rebalance, takes the assignment.
      if (!group.is(GroupState.CompletingRebalance) || group.generationId !== generationId) return;
      if (error !== ErrorCode.NONE) {
        this.resetAndPropagateAssignmentError(group, error);
        this.maybePrepareRebalance(group, `Error ${error} when storing group assignment during SyncGroup (member: ${p.memberId})`);
      } else {
        for (const m of group.allMemberMetadata()) m.assignment = assignment.get(m.memberId) ?? Buffer.alloc(0);
        this.propagateAssignment(group, ErrorCode.NONE);
        group.transitionTo(GroupState.Stable);
      }
    });
  }

  private resetAndPropagateAssignmentError(group: GroupMetadata, error: number): void {
    if (!group.is(GroupState.CompletingRebalance)) throw new GroupStateError(`Group ${group.groupId} is not completing a rebalance`);
    for (const m of group.allMemberMetadata()) m.assignment = Buffer.alloc(0);
    this.propagateAssignment(group, error);
  }

  private propagateAssignment(group: GroupMetadata, error: number): void {
    const ok = error === ErrorCode.NONE;
    for (const member of group.allMemberMetadata()) {
      if (member.assignment.length === 0 && ok) {
        this.logger.warn(`Sending empty assignment to member ${member.memberId} of ${group.groupId} for generation ${group.generationId} with no errors`);
      }
      const delivered = group.maybeInvokeSyncCallback(member, {
        protocolType: ok ? group.protocolType : null,
        protocolName: ok ? group.protocolName : null,
        assignment: member.assignment,
        error,
      });
      // A session that expired while the member waited for the assignment was ignored; restart it.
      if (delivered) this.completeAndScheduleNextHeartbeatExpiration(group, member);
    }
  }

  private removePendingSyncMember(group: GroupMetadata, memberId: string): void {
    group.removePendingSyncMember(memberId);
    this.rebalancePurgatory.checkAndComplete(groupSyncKey(group.groupId));
  }

  private removeSyncExpiration(group: GroupMetadata): void {
    group.clearPendingSyncMembers();
    this.rebalancePurgatory.checkAndComplete(groupSyncKey(group.groupId));
  }

  tryCompletePendingSync(group: GroupMetadata, check: { generationId: number; forceComplete: () => boolean }): boolean {
    const { generationId, forceComplete } = check;
    if (generationId !== group.generationId) return forceComplete();
    switch (group.currentState) {
      case GroupState.Dead:
      case GroupState.Empty:
      case GroupState.PreparingRebalance:
        return forceComplete();
      case GroupState.CompletingRebalance:
      case GroupState.Stable:
        return group.hasReceivedSyncFromAllMembers() ? forceComplete() : false;
    }
  }

  onExpirePendingSync(group: GroupMetadata, generationId: number): void {
    if (generationId !== group.generationId) {
      this.logger.error(
        `Received unexpected notification of sync expiration for ${group.groupId} with an old generation ${generationId} ` +
          `while the group has ${group.generationId}.`,
      );
      return;
    }
    if (!group.is(GroupState.CompletingRebalance) && !group.is(GroupState.Stable)) {
      this.logger.error(
        `Received unexpected notification of sync expiration after group ${group.groupId} already transitioned to the ${group.currentState} state.`,
      );
      return;
    }
    if (group.hasReceivedSyncFromAllMembers()) return;
    const pending = group.allPendingSyncMembers();
    for (const memberId of pending) {
      group.remove(memberId);
      this.removeHeartbeatForLeavingMember(group, memberId);
    }
    this.logger.debug(`Group ${group.groupId} removed members who haven't sent their sync request: ${pending.join(',')}`);
    this.prepareRebalance(group, `Removing ${pending.join(',')} on pending sync request expiration`);
  }

  // --- Heartbeat --------------------------------------------------------------------------------

  /** Handles a Heartbeat for an existing group; returns the error code to answer. */
  heartbeat(group: GroupMetadata, request: { memberId: string; groupInstanceId: string | null; generationId: number }): number {
    const { memberId, groupInstanceId, generationId } = request;
    if (group.is(GroupState.Dead)) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    const memberError = this.validateCurrentMember(group, { memberId, groupInstanceId, operation: 'heartbeat' });
    if (memberError !== null) return memberError;
    if (generationId !== group.generationId) return ErrorCode.ILLEGAL_GENERATION;
    switch (group.currentState) {
      case GroupState.Empty:
        return ErrorCode.UNKNOWN_MEMBER_ID;
      case GroupState.CompletingRebalance:
        // Consumers may heartbeat between their JoinGroup response and SyncGroup.
        this.completeAndScheduleNextHeartbeatExpiration(group, group.get(memberId));
        return ErrorCode.NONE;
      case GroupState.PreparingRebalance:
        this.completeAndScheduleNextHeartbeatExpiration(group, group.get(memberId));
        return ErrorCode.REBALANCE_IN_PROGRESS;
      case GroupState.Stable:
        this.completeAndScheduleNextHeartbeatExpiration(group, group.get(memberId));
        return ErrorCode.NONE;
      case GroupState.Dead:
        throw new GroupStateError(`Reached unexpected condition for Dead group ${group.groupId}`);
    }
  }

  /** Satisfies the member's current heartbeat expectation and schedules the next, a session timeout away. */
  completeAndScheduleNextHeartbeatExpiration(group: GroupMetadata, member: MemberMetadata): void {
    this.completeAndScheduleNextExpiration(group, { member, timeoutMs: member.sessionTimeoutMs });
  }

  /** Satisfies the member's current heartbeat expectation and expects the next within `timeoutMs`. */
  completeAndScheduleNextExpiration(group: GroupMetadata, next: { member: MemberMetadata; timeoutMs: number }): void {
    const { member, timeoutMs } = next;
    if (this.stopped) return;
    const key = memberKey(group.groupId, member.memberId);
    member.heartbeatSatisfied = true;
    this.heartbeatPurgatory.checkAndComplete(key);
    member.heartbeatSatisfied = false;
    this.heartbeatPurgatory.tryCompleteElseWatch(new DelayedHeartbeat(this, { group, memberId: member.memberId, isPending: false, timeoutMs }), [key]);
  }

  /** Expires a KIP-394 pending member that does not send its second JoinGroup within `timeoutMs`. */
  addPendingMemberExpiration(group: GroupMetadata, pending: { memberId: string; timeoutMs: number }): void {
    if (this.stopped) return;
    this.heartbeatPurgatory.tryCompleteElseWatch(
      new DelayedHeartbeat(this, { group, memberId: pending.memberId, isPending: true, timeoutMs: pending.timeoutMs }),
      [memberKey(group.groupId, pending.memberId)],
    );
  }

  private removeHeartbeatForLeavingMember(group: GroupMetadata, memberId: string): void {
    this.heartbeatPurgatory.checkAndComplete(memberKey(group.groupId, memberId));
  }

  tryCompleteHeartbeat(group: GroupMetadata, check: { memberId: string; isPending: boolean; forceComplete: () => boolean }): boolean {
    const { memberId, isPending, forceComplete } = check;
    if (group.is(GroupState.Dead)) return forceComplete();
    if (isPending) return group.has(memberId) ? forceComplete() : false;
    // A member that is gone needs no heartbeat.
    if (!group.has(memberId) || group.get(memberId).hasSatisfiedHeartbeat()) return forceComplete();
    return false;
  }

  onExpireHeartbeat(group: GroupMetadata, expired: { memberId: string; isPending: boolean }): void {
    const { memberId, isPending } = expired;
    if (group.is(GroupState.Dead)) {
      this.logger.info(`Received notification of heartbeat expiration for member ${memberId} after group ${group.groupId} had already been unloaded or deleted.`);
    } else if (isPending) {
      this.logger.info(`Pending member ${memberId} in group ${group.groupId} has been removed after session timeout expiration.`);
      this.removePendingMemberAndUpdateGroup(group, memberId);
    } else if (!group.has(memberId)) {
      this.logger.debug(`Member ${memberId} has already been removed from the group.`);
    } else {
      const member = group.get(memberId);
      if (!member.hasSatisfiedHeartbeat()) {
        this.logger.info(`Member ${memberId} in group ${group.groupId} has failed, removing it from the group`);
        this.removeMemberAndUpdateGroup(group, member, `removing member ${memberId} on heartbeat expiration`);
      }
    }
  }

  // --- LeaveGroup -------------------------------------------------------------------------------

  /** Handles LeaveGroup for an existing group. */
  leaveGroup(group: GroupMetadata, leaving: readonly LeavingMember[]): LeaveGroupResult {
    if (group.is(GroupState.Dead)) return { error: ErrorCode.COORDINATOR_NOT_AVAILABLE, members: [] };
    const removeCurrentMember = (memberId: string, reason: string | null) => {
      const member = group.get(memberId);
      const why = reason ?? 'not provided';
      this.removeMemberAndUpdateGroup(group, member, `Removing member ${memberId} on LeaveGroup; client reason: ${why}`);
      this.removeHeartbeatForLeavingMember(group, memberId);
      this.logger.info(`Member ${member} has left group ${group.groupId} through explicit \`LeaveGroup\`; client reason: ${why}`);
    };
    const members = leaving.map((l): LeaveMemberResult => {
      const result = (error: number) => ({ memberId: l.memberId, groupInstanceId: l.groupInstanceId, error });
      if (l.memberId === UNKNOWN_MEMBER_ID) {
        // Administrative removal of a static member by its group instance id.
        const current = l.groupInstanceId !== null ? group.currentStaticMemberId(l.groupInstanceId) : undefined;
        if (current === undefined) return result(ErrorCode.UNKNOWN_MEMBER_ID);
        removeCurrentMember(current, l.reason);
        return result(ErrorCode.NONE);
      }
      if (group.isPendingMember(l.memberId)) {
        this.removePendingMemberAndUpdateGroup(group, l.memberId);
        this.heartbeatPurgatory.checkAndComplete(memberKey(group.groupId, l.memberId));
        this.logger.info(`Pending member with memberId=${l.memberId} has left group ${group.groupId} through explicit \`LeaveGroup\` request`);
        return result(ErrorCode.NONE);
      }
      const error = this.validateCurrentMember(group, { memberId: l.memberId, groupInstanceId: l.groupInstanceId, operation: 'leave-group' });
      if (error !== null) return result(error);
      removeCurrentMember(l.memberId, l.reason);
      return result(ErrorCode.NONE);
    });
    return { error: ErrorCode.NONE, members };
  }

  private removeMemberAndUpdateGroup(group: GroupMetadata, member: MemberMetadata, reason: string): void {
    // A new member may still have a JoinGroup parked: answer it so the client retries if it is alive.
    group.maybeInvokeJoinCallback(member, joinGroupError(UNKNOWN_MEMBER_ID, ErrorCode.UNKNOWN_MEMBER_ID));
    group.remove(member.memberId);
    switch (group.currentState) {
      case GroupState.Dead:
      case GroupState.Empty:
        break;
      case GroupState.Stable:
      case GroupState.CompletingRebalance:
        this.maybePrepareRebalance(group, reason);
        break;
      case GroupState.PreparingRebalance:
        this.rebalancePurgatory.checkAndComplete(groupJoinKey(group.groupId));
        break;
    }
  }

  private removePendingMemberAndUpdateGroup(group: GroupMetadata, memberId: string): void {
    group.remove(memberId);
    if (group.is(GroupState.PreparingRebalance)) this.rebalancePurgatory.checkAndComplete(groupJoinKey(group.groupId));
  }

  // --- loading and unloading --------------------------------------------------------------------

  /** A group was loaded from the log: restart its members' sessions (and rebalance if over capacity). */
  onGroupLoaded(group: GroupMetadata): void {
    this.logger.info(`Loading group metadata for ${group.groupId} with generation ${group.generationId}`);
    if (!group.is(GroupState.Stable) && !group.is(GroupState.Empty)) {
      throw new GroupStateError(`Loaded group ${group.groupId} is in state ${group.currentState}`);
    }
    if (group.size > this.opts.groupConfig.groupMaxSize) {
      this.prepareRebalance(
        group,
        `Freshly-loaded group is over capacity (${this.opts.groupConfig.groupMaxSize}). Rebalancing in order to give a chance for consumers to commit offsets`,
      );
    }
    for (const m of group.allMemberMetadata()) this.completeAndScheduleNextHeartbeatExpiration(group, m);
  }

  /** A group is unloaded (this broker stopped coordinating it): answer its parked requests with NOT_COORDINATOR. */
  onGroupUnloaded(group: GroupMetadata): void {
    this.logger.info(`Unloading group metadata for ${group.groupId} with generation ${group.generationId}`);
    const previous = group.currentState;
    group.transitionTo(GroupState.Dead);
    switch (previous) {
      case GroupState.PreparingRebalance:
        for (const m of group.allMemberMetadata()) group.maybeInvokeJoinCallback(m, joinGroupError(m.memberId, ErrorCode.NOT_COORDINATOR));
        this.rebalancePurgatory.checkAndComplete(groupJoinKey(group.groupId));
        break;
      case GroupState.Stable:
      case GroupState.CompletingRebalance:
        for (const m of group.allMemberMetadata()) {
          group.maybeInvokeSyncCallback(m, syncGroupError(ErrorCode.NOT_COORDINATOR));
          this.heartbeatPurgatory.checkAndComplete(memberKey(group.groupId, m.memberId));
        }
        break;
      default:
        break;
    }
    this.removeSyncExpiration(group);
  }
}
