/**
 * JoinGroup handling (the join half of Kafka's classic GroupCoordinator): new dynamic members get a
 * member id with MEMBER_ID_REQUIRED (KIP-394, v4+) and join again with it; static members (KIP-345,
 * group.instance.id) that rejoin replace their old member id, without a rebalance when the group is
 * Stable and its protocol does not change (with KIP-814's SkipAssignment for a static leader, v9+);
 * new members and members whose metadata changed start a rebalance (group.max.size,
 * INCONSISTENT_GROUP_PROTOCOL and the session timeout bounds are checked first). The rebalance itself
 * (DelayedJoin, the next generation, SyncGroup) is in group-membership.ts.
 */
import { NOOP_LOGGER, type Logger } from '../../common/logger';
import { ErrorCode } from '../../protocol';
import { GroupStateError } from './coordinator-errors';
import { groupJoinKey } from './delayed-group-operations';
import type { GroupConfig } from './group-config';
import type { GroupMetadata } from './group-metadata';
import type { GroupMetadataManager } from './group-metadata-manager';
import type { GroupMembership } from './group-membership';
import { GroupState } from './group-state';
import {
  MemberMetadata,
  UNKNOWN_MEMBER_ID,
  joinGroupError,
  type GroupProtocol,
  type JoinGroupResult,
} from './member-metadata';

/** How long a new member's JoinGroup may stay parked before the member is dropped (5 minutes). */
export const NEW_MEMBER_JOIN_TIMEOUT_MS = 5 * 60 * 1000;

/** A JoinGroup request as the coordinator sees it. */
export interface JoinGroupParams {
  groupId: string;
  memberId: string;
  groupInstanceId: string | null;
  /** v4+ dynamic members must first get a member id (MEMBER_ID_REQUIRED). */
  requireKnownMemberId: boolean;
  /** v9+ (KIP-814). */
  supportSkippingAssignment: boolean;
  clientId: string;
  clientHost: string;
  rebalanceTimeoutMs: number;
  sessionTimeoutMs: number;
  protocolType: string;
  protocols: GroupProtocol[];
  reason: string | null;
}

type JoinCallback = (result: JoinGroupResult) => void;

export class GroupJoinHandler {
  private readonly logger: Logger;

  constructor(
    private readonly opts: {
      groupConfig: GroupConfig;
      groupManager: GroupMetadataManager;
      membership: GroupMembership;
      logger?: Logger;
    },
  ) {
    this.logger = opts.logger ?? NOOP_LOGGER;
  }

  private get groupManager(): GroupMetadataManager {
    return this.opts.groupManager;
  }

  private get membership(): GroupMembership {
    return this.opts.membership;
  }

  /** Whether the group has room for the member (group.max.size). */
  private acceptJoiningMember(group: GroupMetadata, memberId: string): boolean {
    const max = this.opts.groupConfig.groupMaxSize;
    switch (group.currentState) {
      case GroupState.Empty:
      case GroupState.Dead:
        return true;
      case GroupState.PreparingRebalance:
        // Awaiting members, not the group size: the size may exceed a lowered maximum, and counting the
        // rejoined ones lets the last rejoining members be the ones kicked out.
        return (group.has(memberId) && group.get(memberId).isAwaitingJoin) || group.numAwaiting < max;
      case GroupState.CompletingRebalance:
      case GroupState.Stable:
        return group.has(memberId) || group.size < max;
    }
  }

  /** Handles a validated JoinGroup (session timeout in range, group local and loaded). */
  joinGroup(p: JoinGroupParams): Promise<JoinGroupResult> {
    return new Promise((respond) => {
      const isUnknownMember = p.memberId === UNKNOWN_MEMBER_ID;
      // The group is created by an unknown member's join; a known member id for a missing group is refused.
      const group = this.groupManager.getOrMaybeCreateGroup(p.groupId, isUnknownMember);
      if (!group) {
        respond(joinGroupError(p.memberId, ErrorCode.UNKNOWN_MEMBER_ID));
        return;
      }
      const reason = p.reason ?? 'not provided';
      if (!this.acceptJoiningMember(group, p.memberId)) {
        group.remove(p.memberId);
        respond(joinGroupError(UNKNOWN_MEMBER_ID, ErrorCode.GROUP_MAX_SIZE_REACHED));
      } else if (isUnknownMember) {
        this.doNewMemberJoinGroup(group, p, reason, respond);
      } else {
        this.doCurrentMemberJoinGroup(group, p, reason, respond);
      }
      if (group.is(GroupState.PreparingRebalance)) this.membership.rebalancePurgatory.checkAndComplete(groupJoinKey(group.groupId));
    });
  }

  private doNewMemberJoinGroup(group: GroupMetadata, p: JoinGroupParams, reason: string, respond: JoinCallback): void {
    if (group.is(GroupState.Dead)) {
      // Removed meanwhile (unloaded or deleted): the member finds the coordinator again and rejoins.
      respond(joinGroupError(UNKNOWN_MEMBER_ID, ErrorCode.COORDINATOR_NOT_AVAILABLE));
    } else if (!group.supportsProtocols(p.protocolType, new Set(p.protocols.map((x) => x.name)))) {
      respond(joinGroupError(UNKNOWN_MEMBER_ID, ErrorCode.INCONSISTENT_GROUP_PROTOCOL));
    } else {
      const newMemberId = group.generateMemberId(p.clientId, p.groupInstanceId);
      if (p.groupInstanceId !== null) this.doStaticNewMemberJoinGroup(group, p, p.groupInstanceId, newMemberId, reason, respond);
      else this.doDynamicNewMemberJoinGroup(group, p, newMemberId, reason, respond);
    }
  }

  private doStaticNewMemberJoinGroup(
    group: GroupMetadata,
    p: JoinGroupParams,
    groupInstanceId: string,
    newMemberId: string,
    reason: string,
    respond: JoinCallback,
  ): void {
    const oldMemberId = group.currentStaticMemberId(groupInstanceId);
    if (oldMemberId !== undefined) {
      this.logger.info(
        `Static member with groupInstanceId=${groupInstanceId} and unknown member id joins group ${group.groupId} in ` +
          `${group.currentState} state. Replacing previously mapped member ${oldMemberId} with this groupInstanceId.`,
      );
      this.updateStaticMemberAndRebalance(group, oldMemberId, newMemberId, groupInstanceId, p, reason, respond).catch((err: unknown) => {
        this.logger.error(`Error handling the rejoin of static member ${groupInstanceId} of group ${group.groupId}`, err);
        respond(joinGroupError(newMemberId, ErrorCode.UNKNOWN_SERVER_ERROR));
      });
    } else {
      this.logger.info(
        `Static member with groupInstanceId=${groupInstanceId} and unknown member id joins group ${group.groupId} in ` +
          `${group.currentState} state. Created a new member id ${newMemberId} for this member and add to the group.`,
      );
      this.addMemberAndRebalance(group, p, newMemberId, reason, respond);
    }
  }

  private doDynamicNewMemberJoinGroup(group: GroupMetadata, p: JoinGroupParams, newMemberId: string, reason: string, respond: JoinCallback): void {
    if (p.requireKnownMemberId) {
      // KIP-394: register the id as pending and ask the member to join again with it.
      this.logger.info(
        `Dynamic member with unknown member id joins group ${group.groupId} in ${group.currentState} state. Created a ` +
          `new member id ${newMemberId} and request the member to rejoin with this id.`,
      );
      group.addPendingMember(newMemberId);
      this.membership.addPendingMemberExpiration(group, { memberId: newMemberId, timeoutMs: p.sessionTimeoutMs });
      respond(joinGroupError(newMemberId, ErrorCode.MEMBER_ID_REQUIRED));
    } else {
      this.logger.info(
        `Dynamic Member with unknown member id joins group ${group.groupId} in ${group.currentState} state. Created a ` +
          `new member id ${newMemberId} for this member and add to the group.`,
      );
      this.addMemberAndRebalance(group, p, newMemberId, reason, respond);
    }
  }

  /**
   * Checks that `memberId` is in the group and, for a static member, that its instance id maps to that
   * member id (FENCED_INSTANCE_ID when another member id holds it). Null when valid.
   */
  private doCurrentMemberJoinGroup(group: GroupMetadata, p: JoinGroupParams, reason: string, respond: JoinCallback): void {
    const memberId = p.memberId;
    if (group.is(GroupState.Dead)) {
      respond(joinGroupError(memberId, ErrorCode.COORDINATOR_NOT_AVAILABLE));
      return;
    }
    if (!group.supportsProtocols(p.protocolType, new Set(p.protocols.map((x) => x.name)))) {
      respond(joinGroupError(memberId, ErrorCode.INCONSISTENT_GROUP_PROTOCOL));
      return;
    }
    if (group.isPendingMember(memberId)) {
      // The second join of a KIP-394 member (pending members are never static).
      if (p.groupInstanceId !== null) {
        throw new GroupStateError(`Received unexpected JoinGroup with groupInstanceId=${p.groupInstanceId} for pending member with memberId=${memberId}`);
      }
      this.logger.info(`Pending dynamic member with id ${memberId} joins group ${group.groupId} in ${group.currentState} state. Adding to the group now.`);
      this.addMemberAndRebalance(group, { ...p, groupInstanceId: null }, memberId, reason, respond);
      return;
    }
    const error = this.membership.validateCurrentMember(group, { memberId, groupInstanceId: p.groupInstanceId, operation: 'join-group' });
    if (error !== null) {
      respond(joinGroupError(memberId, error));
      return;
    }
    const member = group.get(memberId);
    const currentGeneration = (): JoinGroupResult => ({
      members: group.isLeader(memberId) ? group.currentMemberMetadata() : [],
      memberId,
      generationId: group.generationId,
      protocolType: group.protocolType,
      protocolName: group.protocolName,
      leaderId: group.leaderOrNull ?? '',
      skipAssignment: false,
      error: ErrorCode.NONE,
    });
    switch (group.currentState) {
      case GroupState.PreparingRebalance:
        this.updateMemberAndRebalance(group, member, p, `Member ${memberId} joining group during ${group.currentState}; client reason: ${reason}`, respond);
        break;
      case GroupState.CompletingRebalance:
        // Same metadata: the member missed its JoinGroup response; give it the current generation again.
        if (member.matches(p.protocols)) respond(currentGeneration());
        else this.updateMemberAndRebalance(group, member, p, `Updating metadata for member ${memberId} during ${group.currentState}; client reason: ${reason}`, respond);
        break;
      case GroupState.Stable:
        if (group.isLeader(memberId)) {
          // The leader rejoining forces a rebalance: that is how it reacts to metadata changes (new partitions).
          this.updateMemberAndRebalance(group, member, p, `Leader ${memberId} re-joining group during ${group.currentState}; client reason: ${reason}`, respond);
        } else if (!member.matches(p.protocols)) {
          this.updateMemberAndRebalance(group, member, p, `Updating metadata for member ${memberId} during ${group.currentState}; client reason: ${reason}`, respond);
        } else {
          respond({ ...currentGeneration(), members: [] });
        }
        break;
      case GroupState.Empty:
      case GroupState.Dead:
        this.logger.warn(`Attempt to add rejoining member ${memberId} of group ${group.groupId} in unexpected group state ${group.currentState}`);
        respond(joinGroupError(memberId, ErrorCode.UNKNOWN_MEMBER_ID));
        break;
    }
  }

  private addMemberAndRebalance(group: GroupMetadata, p: JoinGroupParams, memberId: string, reason: string, respond: JoinCallback): void {
    const member = new MemberMetadata({
      memberId,
      groupInstanceId: p.groupInstanceId,
      clientId: p.clientId,
      clientHost: p.clientHost,
      rebalanceTimeoutMs: p.rebalanceTimeoutMs,
      sessionTimeoutMs: p.sessionTimeoutMs,
      protocolType: p.protocolType,
      supportedProtocols: p.protocols,
    });
    member.isNew = true;
    // A member arriving during the initial rebalance delay extends the delay.
    if (group.is(GroupState.PreparingRebalance) && group.generationId === 0) group.newMemberAdded = true;
    group.add(member, respond);
    // New members cannot heartbeat before their JoinGroup response, and a disconnected one would just
    // retry: its parked join expires after NEW_MEMBER_JOIN_TIMEOUT_MS instead of its session timeout.
    this.membership.completeAndScheduleNextExpiration(group, { member, timeoutMs: NEW_MEMBER_JOIN_TIMEOUT_MS });
    this.membership.maybePrepareRebalance(group, `Adding new member ${memberId} with group instance id ${p.groupInstanceId ?? 'None'}; client reason: ${reason}`);
  }

  private async updateStaticMemberAndRebalance(
    group: GroupMetadata,
    oldMemberId: string,
    newMemberId: string,
    groupInstanceId: string,
    p: JoinGroupParams,
    reason: string,
    respond: JoinCallback,
  ): Promise<void> {
    const currentLeader = group.leaderOrNull;
    const member = group.replaceStaticMember(groupInstanceId, { oldMemberId, newMemberId });
    // The old member id's heartbeat expires without effect; the new id gets its own.
    this.membership.completeAndScheduleNextHeartbeatExpiration(group, member);
    const oldProtocols = member.supportedProtocols;
    const oldRebalanceTimeoutMs = member.rebalanceTimeoutMs;
    const oldSessionTimeoutMs = member.sessionTimeoutMs;
    group.updateMember(member, { protocols: p.protocols, rebalanceTimeoutMs: p.rebalanceTimeoutMs, sessionTimeoutMs: p.sessionTimeoutMs, callback: respond });
    switch (group.currentState) {
      case GroupState.Stable: {
        // No rebalance unless the group protocol of the next generation would change: persist the new
        // member id and answer with the current generation.
        if (group.protocolName !== group.selectProtocol()) {
          this.membership.maybePrepareRebalance(
            group,
            `Group's selectedProtocol will change because static member ${member.memberId} with instance id ` +
              `${groupInstanceId} joined with change of protocol; client reason: ${reason}`,
          );
          return;
        }
        this.logger.info("Static member which joins during Stable stage and doesn't affect selectProtocol will not trigger rebalance.");
        const assignment = new Map(group.allMemberMetadata().map((m) => [m.memberId, m.assignment]));
        let error: number;
        try {
          error = await this.groupManager.storeGroup(group, assignment);
        } catch (err) {
          this.logger.error(`Failed to persist metadata for group ${group.groupId}`, err);
          error = ErrorCode.UNKNOWN_SERVER_ERROR;
        }
        if (error !== ErrorCode.NONE) {
          this.logger.warn(`Failed to persist metadata for group ${group.groupId}: error code ${error}`);
          // Revert: the old member id stays the static member's id.
          group.updateMember(member, { protocols: oldProtocols, rebalanceTimeoutMs: oldRebalanceTimeoutMs, sessionTimeoutMs: oldSessionTimeoutMs, callback: null });
          const oldMember = group.replaceStaticMember(groupInstanceId, { oldMemberId: newMemberId, newMemberId: oldMemberId });
          this.membership.completeAndScheduleNextHeartbeatExpiration(group, oldMember);
          respond({
            members: [],
            memberId: UNKNOWN_MEMBER_ID,
            generationId: group.generationId,
            protocolType: group.protocolType,
            protocolName: group.protocolName,
            leaderId: currentLeader ?? '',
            skipAssignment: false,
            error,
          });
        } else if (p.supportSkippingAssignment) {
          // KIP-814: a static leader learns it leads (to keep watching metadata) but must not reassign.
          const isLeader = group.isLeader(newMemberId);
          group.maybeInvokeJoinCallback(member, {
            members: isLeader ? group.currentMemberMetadata() : [],
            memberId: newMemberId,
            generationId: group.generationId,
            protocolType: group.protocolType,
            protocolName: group.protocolName,
            leaderId: group.leaderOrNull ?? '',
            skipAssignment: isLeader,
            error: ErrorCode.NONE,
          });
        } else {
          // Before v9 the old leader id is returned, so a rejoining static leader does not run an
          // assignment that a Stable group would never propagate.
          group.maybeInvokeJoinCallback(member, {
            members: [],
            memberId: newMemberId,
            generationId: group.generationId,
            protocolType: group.protocolType,
            protocolName: group.protocolName,
            leaderId: currentLeader ?? '',
            skipAssignment: false,
            error: ErrorCode.NONE,
          });
        }
        return;
      }
      case GroupState.CompletingRebalance:
        // The leader may already be assigning with the old member id: rebalance so the new id gets partitions.
        this.membership.prepareRebalance(group, `Updating metadata for static member ${member.memberId} with instance id ${groupInstanceId}; client reason: ${reason}`);
        return;
      case GroupState.PreparingRebalance:
        return;
      case GroupState.Empty:
      case GroupState.Dead:
        throw new GroupStateError(
          `Group ${group.groupId} was not supposed to be in the state ${group.currentState} when the unknown static member ${groupInstanceId} rejoins.`,
        );
    }
  }

  private updateMemberAndRebalance(group: GroupMetadata, member: MemberMetadata, p: JoinGroupParams, reason: string, respond: JoinCallback): void {
    group.updateMember(member, { protocols: p.protocols, rebalanceTimeoutMs: p.rebalanceTimeoutMs, sessionTimeoutMs: p.sessionTimeoutMs, callback: respond });
    this.membership.maybePrepareRebalance(group, reason);
  }
}
