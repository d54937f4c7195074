/**
 * DelayedProduce (Kafka's server.DelayedProduce): a Produce with acks=all waits in the produce purgatory
 * until, for each partition it appended to, the high watermark reached the end of its append (the whole
 * ISR has the records), the partition lost leadership, or the request timed out.
 */
import { DelayedOperation } from '../server/purgatory/delayed-operation';
import { ErrorCode } from '../protocol/errors';
import type { Partition } from './partition';

export interface DelayedProducePartition {
  partition: Partition;
  /** Offset after the appended batch; done when the high watermark reaches it. */
  requiredOffset: number;
  leaderEpoch: number;
  /** Error code to answer with; NONE while waiting or when acknowledged. */
  errorCode: number;
  done: boolean;
}


export class DelayedProduce extends DelayedOperation {
  constructor(
    delayMs: number,
    private readonly waiting: DelayedProducePartition[],
    private readonly complete: () => void,
  ) {
    super(delayMs);
  }

  override tryComplete(): boolean {
    for (const w of this.waiting) {
      if (w.done) continue;
      const p = w.partition;
      if (!p.isLeader || p.leaderEpoch !== w.leaderEpoch || !p.log) {
        w.errorCode = ErrorCode.NOT_LEADER_OR_FOLLOWER;
        w.done = true;
      } else if (p.highWatermark >= w.requiredOffset) {
        const minIsr = p.log.config.minInSyncReplicas;
        // Kafka answers NOT_ENOUGH_REPLICAS_AFTER_APPEND when the ISR shrank below min.insync.replicas
        // while the records were being replicated.
        w.errorCode = p.isr.length < minIsr ? ErrorCode.NOT_ENOUGH_REPLICAS_AFTER_APPEND : ErrorCode.NONE;
        w.done = true;
      }
    }
    if (this.waiting.every((w) => w.done)) return this.forceComplete();
    return false;
  }

  protected override onExpiration(): void {
    for (const w of this.waiting) {
      if (!w.done) {
        w.errorCode = ErrorCode.REQUEST_TIMED_OUT;
        w.done = true;
      }
    }
  }

  protected override onComplete(): void {
    this.complete();
  }
}
