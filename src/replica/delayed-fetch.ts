/**
 * DelayedFetch (Kafka's server.DelayedFetch): a Fetch that did not find fetch.min.bytes of data waits in the
 * fetch purgatory, watched under each of its partitions, until enough bytes became visible below the high
 * watermark (followers: below the log end offset), a partition changed leadership or vanished, or
 * max.wait.ms passed. It then reads again and answers with whatever is there. New data of a partition the
 * leader's replication throttle holds back does not count (Kafka's DelayedFetch does the same).
 */
import { DelayedOperation } from '../server/purgatory/delayed-operation';
import type { Partition } from './partition';

export interface DelayedFetchPartition {
  partition: Partition | undefined;
  /** Partition.visibleBytes (logEndBytes for followers) when the fetch started to wait. */
  startBytes: number;
  leaderEpoch: number;
  /** A follower fetch of a partition held back by the leader's replication throttle: its bytes do not count. */
  throttled?: () => boolean;
}

export class DelayedFetch extends DelayedOperation {
  constructor(
    delayMs: number,
    private readonly minBytes: number,
    private readonly bytesAlreadyRead: number,
    private readonly watched: DelayedFetchPartition[],
    private readonly isFollower: boolean,
    private readonly complete: () => void,
  ) {
    super(delayMs);
  }

  override tryComplete(): boolean {
    let accumulated = this.bytesAlreadyRead;
    for (const w of this.watched) {
      const p = w.partition;
      // A leadership change or a removed partition answers at once so the client learns of it.
      if (!p || !p.log || p.leaderEpoch !== w.leaderEpoch) return this.forceComplete();
      if (w.throttled?.()) continue;
      accumulated += (this.isFollower ? p.logEndBytes : p.visibleBytes) - w.startBytes;
    }
    if (accumulated >= this.minBytes) return this.forceComplete();
    return false;
  }

  protected override onComplete(): void {
    this.complete();
  }
}
