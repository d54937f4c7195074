/**
 * The group coordinator's delayed operations (Kafka's DelayedJoin, InitialDelayedJoin, DelayedSync and
 * DelayedHeartbeat), held in the broker's purgatory:
 *
 * - DelayedJoin waits, up to the group's rebalance timeout, for every known member to rejoin; members
 *   that did not are then dropped and the next generation starts.
 * - InitialDelayedJoin is the first rebalance of an Empty group: it never completes early and waits
 *   group.initial.rebalance.delay.ms, extended by the same delay (up to the rebalance timeout) while new
 *   members keep arriving, so a starting group rebalances once rather than once per consumer.
 * - DelayedSync waits, up to the rebalance timeout, for every member to send SyncGroup after its
 *   JoinGroup response; members that did not are removed and the group rebalances again.
 * - DelayedHeartbeat expires a member whose session timeout passed without a heartbeat (or a pending
 *   member, KIP-394, that never sent its second JoinGroup).
 */
import { DelayedOperation, type DelayedOperationPurgatory } from '../../server/purgatory/delayed-operation';
import type { GroupMetadata } from './group-metadata';

/** The coordinator side of the delayed operations. */
export interface DelayedOperationCallbacks {
  tryCompleteJoin(group: GroupMetadata, forceComplete: () => boolean): boolean;
  onCompleteJoin(group: GroupMetadata): void;
  tryCompletePendingSync(group: GroupMetadata, generationId: number, forceComplete: () => boolean): boolean;
  onExpirePendingSync(group: GroupMetadata, generationId: number): void;
  tryCompleteHeartbeat(group: GroupMetadata, memberId: string, isPending: boolean, forceComplete: () => boolean): boolean;
  onExpireHeartbeat(group: GroupMetadata, memberId: string, isPending: boolean): void;
}

/** Purgatory key of a group's join phase. */
export function groupJoinKey(groupId: string): string {
  return `join:${groupId}`;
}

/** Purgatory key of a group's sync phase. */
export function groupSyncKey(groupId: string): string {
  return `sync:${groupId}`;
}

/** Purgatory key of a member's heartbeat. */
export function memberKey(groupId: string, memberId: string): string {
  return `member:${groupId}\u0000${memberId}`;
}

/** Base of DelayedJoin and DelayedSync (Kafka's DelayedRebalance). */
export abstract class DelayedRebalance extends DelayedOperation {}

export class DelayedJoin extends DelayedRebalance {
  constructor(
    protected readonly coordinator: DelayedOperationCallbacks,
    protected readonly group: GroupMetadata,
    rebalanceTimeoutMs: number,
  ) {
    super(rebalanceTimeoutMs);
  }

  tryComplete(): boolean {
    return this.coordinator.tryCompleteJoin(this.group, () => this.forceComplete());
  }

  protected onComplete(): void {
    this.coordinator.onCompleteJoin(this.group);
  }
}

export class InitialDelayedJoin extends DelayedJoin {
  constructor(
    coordinator: DelayedOperationCallbacks,
    private readonly purgatory: DelayedOperationPurgatory<DelayedRebalance>,
    group: GroupMetadata,
    private readonly configuredRebalanceDelayMs: number,
    private readonly thisDelayMs: number,
    private readonly remainingMs: number,
  ) {
    super(coordinator, group, thisDelayMs);
  }

  override tryComplete(): boolean {
    return false;
  }

  protected override onComplete(): void {
    if (this.group.newMemberAdded && this.remainingMs !== 0) {
      this.group.newMemberAdded = false;
      const delay = Math.min(this.configuredRebalanceDelayMs, this.remainingMs);
      const remaining = Math.max(this.remainingMs - this.thisDelayMs, 0);
      this.purgatory.tryCompleteElseWatch(
        new InitialDelayedJoin(this.coordinator, this.purgatory, this.group, this.configuredRebalanceDelayMs, delay, remaining),
        [groupJoinKey(this.group.groupId)],
      );
    } else {
      super.onComplete();
    }
  }
}

export class DelayedSync extends DelayedRebalance {
  constructor(
    private readonly coordinator: DelayedOperationCallbacks,
    private readonly group: GroupMetadata,
    private readonly generationId: number,
    rebalanceTimeoutMs: number,
  ) {
    super(rebalanceTimeoutMs);
  }

  tryComplete(): boolean {
    return this.coordinator.tryCompletePendingSync(this.group, this.generationId, () => this.forceComplete());
  }

  protected override onExpiration(): void {
    this.coordinator.onExpirePendingSync(this.group, this.generationId);
  }

  protected onComplete(): void {}
}

export class DelayedHeartbeat extends DelayedOperation {
  constructor(
    private readonly coordinator: DelayedOperationCallbacks,
    private readonly group: GroupMetadata,
    private readonly memberId: string,
    private readonly isPending: boolean,
    timeoutMs: number,
  ) {
    super(timeoutMs);
  }

  tryComplete(): boolean {
    return this.coordinator.tryCompleteHeartbeat(this.group, this.memberId, this.isPending, () => this.forceComplete());
  }

  protected override onExpiration(): void {
    this.coordinator.onExpireHeartbeat(this.group, this.memberId, this.isPending);
  }

  protected onComplete(): void {}
}
