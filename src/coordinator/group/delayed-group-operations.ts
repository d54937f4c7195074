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
  tryCompletePendingSync(group: GroupMetadata, check: { generationId: number; forceComplete: () => boolean }): boolean;
  onExpirePendingSync(group: GroupMetadata, generationId: number): void;
  tryCompleteHeartbeat(group: GroupMetadata, check: { memberId: string; isPending: boolean; forceComplete: () => boolean }): boolean;
  onExpireHeartbeat(group: GroupMetadata, expired: { memberId: string; isPending: boolean }): void;
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
  protected readonly group: GroupMetadata;

  constructor(
    protected readonly coordinator: DelayedOperationCallbacks,
    options: { group: GroupMetadata; rebalanceTimeoutMs: number },
  ) {
    super(options.rebalanceTimeoutMs);
    this.group = options.group;
  }

  tryComplete(): boolean {
    return this.coordinator.tryCompleteJoin(this.group, () => this.forceComplete());
  }

  protected onComplete(): void {
    this.coordinator.onCompleteJoin(this.group);
  }
}

export class InitialDelayedJoin extends DelayedJoin {
  private readonly purgatory: DelayedOperationPurgatory<DelayedRebalance>;
  private readonly configuredRebalanceDelayMs: number;
  private readonly thisDelayMs: number;
  private readonly remainingMs: number;

  constructor(
    coordinator: DelayedOperationCallbacks,
    options: {
      purgatory: DelayedOperationPurgatory<DelayedRebalance>;
      group: GroupMetadata;
      /** group.initial.rebalance.delay.ms */
      configuredRebalanceDelayMs: number;
      /** This round's delay. */
      delayMs: number;
      /** What is left of the rebalance timeout after this round. */
      remainingMs: number;
    },
  ) {
    super(coordinator, { group: options.group, rebalanceTimeoutMs: options.delayMs });
    this.purgatory = options.purgatory;
    this.configuredRebalanceDelayMs = options.configuredRebalanceDelayMs;
    this.thisDelayMs = options.delayMs;
    this.remainingMs = options.remainingMs;
  }

  override tryComplete(): boolean {
    return false;
  }

  protected override onComplete(): void {
    if (this.group.newMemberAdded && this.remainingMs !== 0) {
      this.group.newMemberAdded = false;
      const delay = Math.min(this.configuredRebalanceDelayMs, this.remainingMs);
      const remaining = Math.max(this.remainingMs - this.thisDelayMs, 0);
      const next = new InitialDelayedJoin(this.coordinator, {
        purgatory: this.purgatory,
        group: this.group,
        configuredRebalanceDelayMs: this.configuredRebalanceDelayMs,
        delayMs: delay,
        remainingMs: remaining,
      });
      this.purgatory.tryCompleteElseWatch(next, [groupJoinKey(this.group.groupId)]);
    } else {
      super.onComplete();
    }
  }
}

export class DelayedSync extends DelayedRebalance {
  private readonly group: GroupMetadata;
  private readonly generationId: number;

  constructor(
    private readonly coordinator: DelayedOperationCallbacks,
    options: { group: GroupMetadata; generationId: number; rebalanceTimeoutMs: number },
  ) {
    super(options.rebalanceTimeoutMs);
    this.group = options.group;
    this.generationId = options.generationId;
  }

  tryComplete(): boolean {
    return this.coordinator.tryCompletePendingSync(this.group, { generationId: this.generationId, forceComplete: () => this.forceComplete() });
  }

  protected override onExpiration(): void {
    this.coordinator.onExpirePendingSync(this.group, this.generationId);
  }

  protected onComplete(): void {}
}

export class DelayedHeartbeat extends DelayedOperation {
  private readonly group: GroupMetadata;
  private readonly memberId: string;
  /** A KIP-394 pending member (member id handed out, second JoinGroup not received). */
  private readonly isPending: boolean;

  constructor(
    private readonly coordinator: DelayedOperationCallbacks,
    options: { group: GroupMetadata; memberId: string; isPending: boolean; timeoutMs: number },
  ) {
    super(options.timeoutMs);
    this.group = options.group;
    this.memberId = options.memberId;
    this.isPending = options.isPending;
  }

  tryComplete(): boolean {
    return this.coordinator.tryCompleteHeartbeat(this.group, {
      memberId: this.memberId,
      isPending: this.isPending,
      forceComplete: () => this.forceComplete(),
    });
  }

  protected override onExpiration(): void {
    this.coordinator.onExpireHeartbeat(this.group, { memberId: this.memberId, isPending: this.isPending });
  }

  protected onComplete(): void {}
}
