/**
 * ISR changes made by a partition leader (Kafka's Partition.maybeShrinkIsr / maybeExpandIsr in ZooKeeper
 * mode): followers that have not caught up within replica.lag.time.max.ms leave the ISR; a follower that
 * caught up, and whose broker is alive in the metadata cache, joins it. Each change is decided and written
 * (ZkIsrManager: the partition state znode, conditionally on its version) holding the partition's
 * leader-ISR lock exclusively, so a LeaderAndIsr applied meanwhile is never overwritten with an older view.
 */
import type { MetadataCache } from '../metadata/metadata-cache';
import type { Partition } from './partition';
import type { ZkIsrManager } from './zk-isr-manager';

/** What IsrChanges needs from the replica manager. */
export interface IsrChangesContext {
  brokerId: number;
  /** Without it (unit tests) the ISR never changes locally. */
  isrManager: ZkIsrManager | undefined;
  metadataCache: MetadataCache;
  logger: { info(msg: string): void };
  /** Whether the partition is still the one this broker hosts under its name. */
  isHosted(partition: Partition): boolean;
  /** Called after an ISR change was written and applied (waiting fetches and produces re-check). */
  onIsrChanged(partition: Partition): void;
}

export class IsrChanges {
  constructor(private readonly ctx: IsrChangesContext) {}

  /** Removes followers that have not caught up within `maxLagMs` from the ISR of the led partitions. */
  async maybeShrinkIsr(partitions: Iterable<Partition>, maxLagMs: number): Promise<void> {
    if (!this.ctx.isrManager) return;
    for (const partition of [...partitions]) {
      if (!partition.isLeader || partition.isrUpdateInFlight || partition.outOfSyncReplicas(maxLagMs).length === 0) continue;
      await this.changeIsr(partition, () => {
        // Decided under the lock: the state may have changed while it waited.
        const outOfSync = partition.outOfSyncReplicas(maxLagMs);
        if (outOfSync.length === 0) return undefined;
        const newIsr = partition.isr.filter((id) => !outOfSync.includes(id));
        this.ctx.logger.info(
          `[Partition ${partition.key} broker=${this.ctx.brokerId}] Shrinking ISR from ${partition.isr.join(',')} to ` +
            `${newIsr.join(',')}. Leader: (highWatermark: ${partition.highWatermark}, endOffset: ` +
            `${partition.log?.logEndOffset}). Out of sync replicas: ${outOfSync.join(',')}.`,
        );
        return newIsr;
      });
    }
  }

  /** Adds `replicaId` to the ISR of a led partition when it is eligible. */
  async maybeExpandIsr(partition: Partition, replicaId: number): Promise<void> {
    if (!this.ctx.isrManager || partition.isrUpdateInFlight || !this.isIsrEligible(partition, replicaId)) return;
    await this.changeIsr(partition, () => {
      if (!this.isIsrEligible(partition, replicaId)) return undefined;
      const newIsr = [...partition.isr, replicaId];
      this.ctx.logger.info(
        `[Partition ${partition.key} broker=${this.ctx.brokerId}] Expanding ISR from ${partition.isr.join(',')} to ${newIsr.join(',')}`,
      );
      return newIsr;
    });
  }

  /**
   * A follower may join the ISR when it caught up and, as Kafka 3.9 checks in ZooKeeper mode
   * (Partition.isReplicaIsrEligible), its broker is alive in the metadata cache: a broker whose session expired
   * keeps fetching until it learns of it, and must not be put back before it registered again.
   */
  isIsrEligible(partition: Partition, replicaId: number): boolean {
    return partition.isIsrExpansionCandidate(replicaId) && this.ctx.metadataCache.hasAliveBroker(replicaId);
  }

  /** Writes the ISR `decide` returns (nothing when it returns undefined) holding the partition's lock exclusively. */
  private async changeIsr(partition: Partition, decide: () => number[] | undefined): Promise<void> {
    const isrManager = this.ctx.isrManager;
    if (!isrManager) return;
    partition.isrUpdateInFlight = true;
    try {
      await partition.leaderIsrUpdateLock.write(async () => {
        if (!partition.isLeader || !this.ctx.isHosted(partition)) return;
        const newIsr = decide();
        if (newIsr === undefined || !(await isrManager.updateIsr(partition, newIsr))) return;
        partition.maybeIncrementLeaderHW();
        this.ctx.onIsrChanged(partition);
      });
    } finally {
      partition.isrUpdateInFlight = false;
    }
  }
}
