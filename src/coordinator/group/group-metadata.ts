/**
 * One classic group as its coordinator holds it (Kafka's GroupMetadata): state and generation, the
 * members with their protocols (and KIP-345 static members by group instance id), the protocol votes
 * that pick the group protocol, the members still expected in the current JoinGroup or SyncGroup round,
 * and the committed offsets (with commits whose write to `__consumer_offsets` is still pending).
 *
 * The coordinator runs on one thread, so unlike Kafka's there is no group lock: every method runs to
 * completion, and code that awaits a write re-checks the group's state and generation afterwards.
 */
import { randomUUID } from 'node:crypto';
import type { Time } from '../../common/time';
import { ErrorCode } from '../../protocol';
import { GroupStateError } from './coordinator-errors';
import { CONSUMER_PROTOCOL_TYPE, subscribedTopics } from './consumer-protocol';
import { GroupState, isValidTransition, VALID_PREVIOUS_STATES } from './group-state';
import {
  MemberMetadata,
  joinGroupError,
  syncGroupError,
  type GroupProtocol,
  type JoinGroupResult,
  type JoinGroupResultMember,
  type MemberSummary,
  type SyncGroupResult,
} from './member-metadata';
import {
  olderThan,
  sameOffsetAndMetadata,
  topicPartitionKey,
  type CommitRecordMetadataAndOffset,
  type OffsetAndMetadata,
  type TopicPartition,
} from './offset-and-metadata';
import type { StoredGroup } from './records/group-records';

/** A committed offset of the group with its partition. */
export interface GroupOffset extends CommitRecordMetadataAndOffset, TopicPartition {}

/** ListGroups' view of a group. */
export interface GroupOverview {
  groupId: string;
  protocolType: string;
  state: GroupState;
}

/** DescribeGroups' view of a group. */
export interface GroupSummary {
  state: string;
  protocolType: string;
  protocol: string;
  members: MemberSummary[];
}

export class GroupMetadata {
  private state: GroupState;
  /** When the group last changed state: offsets of an Empty group expire relative to it. */
  currentStateTimestamp: number | null;
  protocolType: string | null = null;
  protocolName: string | null = null;
  generationId = 0;
  private leaderId: string | null = null;
  private readonly members = new Map<string, MemberMetadata>();
  /** group.instance.id → member id. */
  private readonly staticMembers = new Map<string, string>();
  /** Member ids handed out with MEMBER_ID_REQUIRED whose second JoinGroup has not come yet (KIP-394). */
  private readonly pendingMembers = new Set<string>();
  /** Members that got a JoinGroup response and have not sent SyncGroup yet. */
  private readonly pendingSyncMembers = new Set<string>();
  private numMembersAwaitingJoin = 0;
  /** Protocol name → how many members support it. */
  private readonly supportedProtocols = new Map<string, number>();
  private readonly offsets = new Map<string, GroupOffset>();
  private readonly pendingOffsetCommits = new Map<string, OffsetAndMetadata>();
  /** Topics the members subscribe to (consumer groups), null when unknown. */
  private subscribedTopics: Set<string> | null = null;
  /** Set when a member joins during the initial rebalance delay, so the delay is extended. */
  newMemberAdded = false;

  private readonly time: Time;

  constructor(
    readonly groupId: string,
    options: { initialState: GroupState; time: Time },
  ) {
    this.time = options.time;
    this.state = options.initialState;
    this.currentStateTimestamp = this.time.milliseconds();
  }

  /** Rebuilds a group from its stored record (Kafka's GroupMetadata.loadGroup). */
  static loadGroup(groupId: string, options: { stored: StoredGroup; time: Time }): GroupMetadata {
    const { stored, time } = options;
    const group = new GroupMetadata(groupId, { initialState: stored.members.length === 0 ? GroupState.Empty : GroupState.Stable, time });
    group.generationId = stored.generationId;
    group.protocolType = stored.protocolType === '' ? null : stored.protocolType;
    group.protocolName = stored.protocolName;
    group.leaderId = stored.leaderId;
    group.currentStateTimestamp = stored.currentStateTimestamp;
    for (const m of stored.members) {
      const member = new MemberMetadata({
        memberId: m.memberId,
        groupInstanceId: m.groupInstanceId,
        clientId: m.clientId,
        clientHost: m.clientHost,
        rebalanceTimeoutMs: m.rebalanceTimeoutMs,
        sessionTimeoutMs: m.sessionTimeoutMs,
        protocolType: stored.protocolType,
        supportedProtocols: [{ name: stored.protocolName ?? '', metadata: m.subscription }],
      });
      member.assignment = m.assignment;
      group.add(member, null);
    }
    group.subscribedTopics = group.computeSubscribedTopics();
    return group;
  }

  get currentState(): GroupState {
    return this.state;
  }

  is(state: GroupState): boolean {
    return this.state === state;
  }

  has(memberId: string): boolean {
    return this.members.has(memberId);
  }

  /** The member with `memberId`; throws if there is none (callers check `has` first). */
  get(memberId: string): MemberMetadata {
    const m = this.members.get(memberId);
    if (!m) throw new GroupStateError(`Member ${memberId} is not in group ${this.groupId}`);
    return m;
  }

  get size(): number {
    return this.members.size;
  }

  isLeader(memberId: string): boolean {
    return this.leaderId === memberId;
  }

  get leaderOrNull(): string | null {
    return this.leaderId;
  }

  get isConsumerGroup(): boolean {
    return this.protocolType === CONSUMER_PROTOCOL_TYPE;
  }

  /** Adds a member; `callback` answers its parked JoinGroup (null when loading from the log). */
  add(member: MemberMetadata, callback: ((r: JoinGroupResult) => void) | null): void {
    if (this.members.size === 0) this.protocolType = member.protocolType;
    if (this.leaderId === null) this.leaderId = member.memberId;
    this.members.set(member.memberId, member);
    for (const p of member.supportedProtocols) this.supportedProtocols.set(p.name, (this.supportedProtocols.get(p.name) ?? 0) + 1);
    member.awaitingJoinCallback = callback;
    if (member.isAwaitingJoin) this.numMembersAwaitingJoin++;
    this.pendingMembers.delete(member.memberId);
    if (member.groupInstanceId !== null) this.staticMembers.set(member.groupInstanceId, member.memberId);
  }

  remove(memberId: string): void {
    const member = this.members.get(memberId);
    if (member) {
      this.members.delete(memberId);
      this.decSupportedProtocols(member);
      if (member.isAwaitingJoin) this.numMembersAwaitingJoin--;
      if (member.groupInstanceId !== null) this.staticMembers.delete(member.groupInstanceId);
    }
    if (this.isLeader(memberId)) this.leaderId = this.members.keys().next().value ?? null;
    this.pendingMembers.delete(memberId);
    this.pendingSyncMembers.delete(memberId);
  }

  private decSupportedProtocols(member: MemberMetadata): void {
    for (const p of member.supportedProtocols) {
      const n = (this.supportedProtocols.get(p.name) ?? 0) - 1;
      if (n > 0) this.supportedProtocols.set(p.name, n);
      else this.supportedProtocols.delete(p.name);
    }
  }

  /**
   * Keeps the leader if it rejoined, else makes the first rejoined member the leader. False when no
   * member rejoined (or the group has no leader), so the rebalance cannot complete yet.
   */
  maybeElectNewJoinedLeader(): boolean {
    if (this.leaderId === null) return false;
    const leader = this.members.get(this.leaderId);
    if (leader?.isAwaitingJoin) return true;
    for (const [id, m] of this.members) {
      if (m.isAwaitingJoin) {
        this.leaderId = id;
        return true;
      }
    }
    return false;
  }

  /**
   * A static member rejoined with an unknown member id: its old member id is replaced by `newMemberId`,
   * and a JoinGroup or SyncGroup still parked under the old id is fenced.
   */
  replaceStaticMember(groupInstanceId: string, ids: { oldMemberId: string; newMemberId: string }): MemberMetadata {
    const { oldMemberId, newMemberId } = ids;
    const member = this.members.get(oldMemberId);
    if (!member) throw new GroupStateError(`Cannot replace non-existing member id ${oldMemberId}`);
    this.members.delete(oldMemberId);
    this.maybeInvokeJoinCallback(member, joinGroupError(oldMemberId, ErrorCode.FENCED_INSTANCE_ID));
    this.maybeInvokeSyncCallback(member, syncGroupError(ErrorCode.FENCED_INSTANCE_ID));
    member.memberId = newMemberId;
    this.members.set(newMemberId, member);
    if (this.isLeader(oldMemberId)) this.leaderId = newMemberId;
    this.staticMembers.set(groupInstanceId, newMemberId);
    return member;
  }

  isPendingMember(memberId: string): boolean {
    return this.pendingMembers.has(memberId) && !this.has(memberId);
  }

  addPendingMember(memberId: string): void {
    this.pendingMembers.add(memberId);
  }

  /** The member id registered for a group instance id, if any. */
  currentStaticMemberId(groupInstanceId: string): string | undefined {
    return this.staticMembers.get(groupInstanceId);
  }

  /** Members that have not rejoined in the current rebalance. */
  notYetRejoinedMembers(): MemberMetadata[] {
    return [...this.members.values()].filter((m) => !m.isAwaitingJoin);
  }

  hasAllMembersJoined(): boolean {
    return this.members.size === this.numMembersAwaitingJoin && this.pendingMembers.size === 0;
  }

  allMembers(): string[] {
    return [...this.members.keys()];
  }

  allStaticMembers(): string[] {
    return [...this.staticMembers.keys()];
  }

  allMemberMetadata(): MemberMetadata[] {
    return [...this.members.values()];
  }

  get numPending(): number {
    return this.pendingMembers.size;
  }

  get numAwaiting(): number {
    return this.numMembersAwaitingJoin;
  }

  /** The largest rebalance timeout of the members: how long a rebalance may wait for rejoins. */
  get rebalanceTimeoutMs(): number {
    let timeout = 0;
    for (const m of this.members.values()) timeout = Math.max(timeout, m.rebalanceTimeoutMs);
    return timeout;
  }

  /** `clientId-uuid`, or `groupInstanceId-uuid` for static members, as Kafka names members. */
  generateMemberId(clientId: string, groupInstanceId: string | null): string {
    return `${groupInstanceId ?? clientId}-${randomUUID()}`;
  }

  get canRebalance(): boolean {
    return VALID_PREVIOUS_STATES.PreparingRebalance.includes(this.state);
  }

  transitionTo(state: GroupState): void {
    if (!isValidTransition(this.state, state)) {
      throw new GroupStateError(
        `Group ${this.groupId} should be in the ${VALID_PREVIOUS_STATES[state].join(',')} states before moving to ${state} ` +
          `state. Instead it is in ${this.state} state`,
      );
    }
    this.state = state;
    this.currentStateTimestamp = this.time.milliseconds();
  }

  /** The protocol every member supports that gets the most first-preference votes. */
  selectProtocol(): string {
    if (this.members.size === 0) throw new GroupStateError('Cannot select protocol for empty group');
    const candidates = this.candidateProtocols();
    const votes = new Map<string, number>();
    for (const m of this.members.values()) {
      const choice = m.vote(candidates);
      votes.set(choice, (votes.get(choice) ?? 0) + 1);
    }
    let best = '';
    let bestVotes = -1;
    for (const [protocol, n] of votes) {
      if (n > bestVotes) {
        best = protocol;
        bestVotes = n;
      }
    }
    return best;
  }

  private candidateProtocols(): Set<string> {
    const n = this.members.size;
    return new Set([...this.supportedProtocols].filter(([, count]) => count === n).map(([name]) => name));
  }

  /** Whether a member with this protocol type and protocols may join (INCONSISTENT_GROUP_PROTOCOL otherwise). */
  supportsProtocols(memberProtocolType: string, memberProtocols: ReadonlySet<string>): boolean {
    if (this.is(GroupState.Empty)) return memberProtocolType !== '' && memberProtocols.size > 0;
    return (
      this.protocolType === memberProtocolType &&
      [...memberProtocols].some((p) => (this.supportedProtocols.get(p) ?? 0) === this.members.size)
    );
  }

  /** True when the group consumes `topic`, or when it is not known what it consumes. */
  isSubscribedToTopic(topic: string): boolean {
    return this.subscribedTopics === null || this.subscribedTopics.has(topic);
  }

  /** The subscribed topics of a consumer group with a protocol; null when unknown or not a consumer group. */
  computeSubscribedTopics(): Set<string> | null {
    if (this.protocolType !== CONSUMER_PROTOCOL_TYPE) return null;
    if (this.members.size === 0) return new Set();
    if (this.protocolName === null) return null;
    const topics = new Set<string>();
    for (const m of this.members.values()) {
      const parsed = subscribedTopics(m.metadata(this.protocolName));
      if (parsed === null) return null;
      for (const t of parsed) topics.add(t);
    }
    return topics;
  }

  /** Replaces a member's protocols and timeouts and parks (or clears) its JoinGroup callback. */
  updateMember(
    member: MemberMetadata,
    update: {
      protocols: GroupProtocol[];
      rebalanceTimeoutMs: number;
      sessionTimeoutMs: number;
      callback: ((r: JoinGroupResult) => void) | null;
    },
  ): void {
    const { protocols, rebalanceTimeoutMs, sessionTimeoutMs, callback } = update;
    this.decSupportedProtocols(member);
    for (const p of protocols) this.supportedProtocols.set(p.name, (this.supportedProtocols.get(p.name) ?? 0) + 1);
    member.supportedProtocols = protocols;
    member.rebalanceTimeoutMs = rebalanceTimeoutMs;
    member.sessionTimeoutMs = sessionTimeoutMs;
    if (callback !== null && !member.isAwaitingJoin) this.numMembersAwaitingJoin++;
    else if (callback === null && member.isAwaitingJoin) this.numMembersAwaitingJoin--;
    member.awaitingJoinCallback = callback;
  }

  /** Answers the member's parked JoinGroup, if it has one. */
  maybeInvokeJoinCallback(member: MemberMetadata, result: JoinGroupResult): void {
    const callback = member.awaitingJoinCallback;
    if (callback === null) return;
    member.awaitingJoinCallback = null;
    this.numMembersAwaitingJoin--;
    callback(result);
  }

  /** Answers the member's parked SyncGroup, if it has one; returns whether it had one. */
  maybeInvokeSyncCallback(member: MemberMetadata, result: SyncGroupResult): boolean {
    const callback = member.awaitingSyncCallback;
    if (callback === null) return false;
    member.awaitingSyncCallback = null;
    callback(result);
    return true;
  }

  /** Starts the next generation: CompletingRebalance with a selected protocol, or Empty without members. */
  initNextGeneration(): void {
    this.generationId++;
    if (this.members.size > 0) {
      this.protocolName = this.selectProtocol();
      this.subscribedTopics = this.computeSubscribedTopics();
      this.transitionTo(GroupState.CompletingRebalance);
    } else {
      this.protocolName = null;
      this.subscribedTopics = this.computeSubscribedTopics();
      this.transitionTo(GroupState.Empty);
    }
  }

  /** The members with their metadata for the selected protocol, for the leader's JoinGroup response. */
  currentMemberMetadata(): JoinGroupResultMember[] {
    if (this.is(GroupState.Dead) || this.is(GroupState.PreparingRebalance) || this.protocolName === null) {
      throw new GroupStateError(`Cannot obtain member metadata for group in state ${this.state}`);
    }
    const protocol = this.protocolName;
    return [...this.members.values()].map((m) => ({
      memberId: m.memberId,
      groupInstanceId: m.groupInstanceId,
      metadata: m.metadata(protocol),
    }));
  }

  summary(): GroupSummary {
    if (this.is(GroupState.Stable)) {
      const protocol = this.protocolName;
      if (protocol === null) throw new GroupStateError('Invalid null group protocol for stable group');
      return {
        state: this.state,
        protocolType: this.protocolType ?? '',
        protocol,
        members: [...this.members.values()].map((m) => m.summary(protocol)),
      };
    }
    return {
      state: this.state,
      protocolType: this.protocolType ?? '',
      protocol: '',
      members: [...this.members.values()].map((m) => m.summaryNoMetadata()),
    };
  }

  overview(): GroupOverview {
    return { groupId: this.groupId, protocolType: this.protocolType ?? '', state: this.state };
  }

  // --- pending SyncGroup ------------------------------------------------------------------------

  addPendingSyncMember(memberId: string): void {
    this.pendingSyncMembers.add(memberId);
  }

  removePendingSyncMember(memberId: string): void {
    this.pendingSyncMembers.delete(memberId);
  }

  hasReceivedSyncFromAllMembers(): boolean {
    return this.pendingSyncMembers.size === 0;
  }

  allPendingSyncMembers(): string[] {
    return [...this.pendingSyncMembers];
  }

  clearPendingSyncMembers(): void {
    this.pendingSyncMembers.clear();
  }

  // --- offsets ----------------------------------------------------------------------------------

  /** Installs offsets read from the log (before the group becomes visible). */
  initializeOffsets(offsets: Iterable<GroupOffset>): void {
    for (const o of offsets) this.offsets.set(topicPartitionKey(o.topic, o.partition), o);
  }

  /** Records commits about to be written, so fetches with require_stable see them as unstable. */
  prepareOffsetCommit(offsets: ReadonlyMap<string, TopicPartition & { offset: OffsetAndMetadata }>): void {
    for (const [key, o] of offsets) this.pendingOffsetCommits.set(key, o.offset);
  }

  /** A commit was written at `appendedBatchOffset`: it becomes the committed offset unless a newer one is. */
  onOffsetCommitAppend(tp: TopicPartition, commit: CommitRecordMetadataAndOffset): void {
    const key = topicPartitionKey(tp.topic, tp.partition);
    const pending = this.pendingOffsetCommits.get(key);
    if (pending !== undefined) {
      if (commit.appendedBatchOffset === null) {
        throw new GroupStateError('Cannot complete offset commit write without providing the metadata of the record in the log.');
      }
      const current = this.offsets.get(key);
      if (current === undefined || olderThan(current, commit)) this.offsets.set(key, { ...tp, ...commit });
      // Removed only if it is this commit; a later commit of the same partition may still be pending.
      if (sameOffsetAndMetadata(pending, commit.offsetAndMetadata)) this.pendingOffsetCommits.delete(key);
    }
  }

  failPendingOffsetWrite(tp: TopicPartition, offset: OffsetAndMetadata): void {
    const key = topicPartitionKey(tp.topic, tp.partition);
    const pending = this.pendingOffsetCommits.get(key);
    if (pending !== undefined && sameOffsetAndMetadata(pending, offset)) this.pendingOffsetCommits.delete(key);
  }

  hasPendingOffsetCommitsForTopicPartition(tp: TopicPartition): boolean {
    return this.pendingOffsetCommits.has(topicPartitionKey(tp.topic, tp.partition));
  }

  removeAllOffsets(): GroupOffset[] {
    return this.removeOffsets([...this.offsets.values()]);
  }

  /** Removes the offsets of `partitions` (and pending commits of them); returns those that existed. */
  removeOffsets(partitions: readonly TopicPartition[]): GroupOffset[] {
    const removed: GroupOffset[] = [];
    for (const tp of partitions) {
      const key = topicPartitionKey(tp.topic, tp.partition);
      this.pendingOffsetCommits.delete(key);
      const existing = this.offsets.get(key);
      if (existing !== undefined) {
        this.offsets.delete(key);
        removed.push(existing);
      }
    }
    return removed;
  }

  /**
   * Removes and returns the offsets that expired (Kafka's removeExpiredOffsets):
   * - an Empty group's offsets expire retention after the group became Empty (or, without that time,
   *   after each commit); a commit with an explicit expire timestamp (v1 values) expires at it;
   * - a consumer group with members expires only offsets of topics it no longer subscribes to;
   * - a group without protocol type (offsets only, "simple" consumers) expires each offset retention
   *   after its commit. Offsets with a pending commit never expire.
   */
  removeExpiredOffsets(currentTimestamp: number, offsetRetentionMs: number): GroupOffset[] {
    const expired = (base: (o: GroupOffset) => number, subscribed: ReadonlySet<string> = new Set()): GroupOffset[] =>
      [...this.offsets.entries()]
        .filter(([key, o]) => {
          if (subscribed.has(o.topic) || this.pendingOffsetCommits.has(key)) return false;
          const expire = o.offsetAndMetadata.expireTimestamp;
          return expire === null ? currentTimestamp - base(o) >= offsetRetentionMs : currentTimestamp >= expire;
        })
        .map(([, o]) => o);
    let result: GroupOffset[] = [];
    if (this.protocolType !== null && this.is(GroupState.Empty)) {
      result = expired((o) => this.currentStateTimestamp ?? o.offsetAndMetadata.commitTimestamp);
    } else if (this.protocolType === CONSUMER_PROTOCOL_TYPE && this.subscribedTopics !== null) {
      result = expired((o) => o.offsetAndMetadata.commitTimestamp, this.subscribedTopics);
    } else if (this.protocolType === null) {
      result = expired((o) => o.offsetAndMetadata.commitTimestamp);
    }
    for (const o of result) this.offsets.delete(topicPartitionKey(o.topic, o.partition));
    return result;
  }

  allOffsets(): GroupOffset[] {
    return [...this.offsets.values()];
  }

  offset(tp: TopicPartition): OffsetAndMetadata | undefined {
    return this.offsets.get(topicPartitionKey(tp.topic, tp.partition))?.offsetAndMetadata;
  }

  get numOffsets(): number {
    return this.offsets.size;
  }

  hasOffsets(): boolean {
    return this.offsets.size > 0 || this.pendingOffsetCommits.size > 0;
  }

  /** What the group metadata record stores, with each member's assignment from `assignment`. */
  toStored(assignment: ReadonlyMap<string, Buffer>): StoredGroup {
    const protocol = this.protocolName;
    return {
      protocolType: this.protocolType ?? '',
      generationId: this.generationId,
      protocolName: protocol,
      leaderId: this.leaderId,
      currentStateTimestamp: this.currentStateTimestamp,
      members: [...this.members.values()].map((m) => {
        if (protocol === null) throw new GroupStateError('Attempted to write non-empty group metadata with no defined protocol.');
        const memberAssignment = assignment.get(m.memberId);
        if (memberAssignment === undefined) {
          throw new GroupStateError(`Attempted to write member ${m.memberId} of group ${this.groupId} with no assignment.`);
        }
        return {
          memberId: m.memberId,
          groupInstanceId: m.groupInstanceId,
          clientId: m.clientId,
          clientHost: m.clientHost,
          rebalanceTimeoutMs: m.rebalanceTimeoutMs,
          sessionTimeoutMs: m.sessionTimeoutMs,
          subscription: m.metadata(protocol),
          assignment: memberAssignment,
        };
      }),
    };
  }

  toString(): string {
    return (
      `GroupMetadata(groupId=${this.groupId}, generation=${this.generationId}, protocolType=${this.protocolType ?? 'None'}, ` +
      `currentState=${this.state}, members=${[...this.members.keys()].join(',')})`
    );
  }
}
