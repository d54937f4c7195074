/**
 * Replication throttles (KIP-73, Kafka's ReplicationQuotaManager): a byte rate bound for replication on
 * this broker's leader side (`leader.replication.throttled.rate`) or follower side
 * (`follower.replication.throttled.rate`), and the throttled replicas of each topic
 * (`leader.replication.throttled.replicas` / `follower.replication.throttled.replicas`: the partitions
 * whose entry names this broker, or `*` for all). Only throttled partitions count towards the rate and
 * only they are held back while it is exceeded; replicas in the ISR are never held back (the callers
 * check that). Without a rate (the default, Long.MAX_VALUE) nothing is ever held back.
 */
import { SampledRate } from './sampled-rate';

/** QuotaConfigs.QUOTA_BYTES_PER_SECOND_DEFAULT: no bound. */
export const UNBOUNDED_RATE = Number.MAX_SAFE_INTEGER;

/** The throttled partitions of a topic on one broker, from a throttled-replicas list; 'all' for `*`. */
export function parseThrottledPartitions(value: string | undefined, brokerId: number): number[] | 'all' {
  const entries = (value ?? '').split(',').map((e) => e.trim()).filter((e) => e.length > 0);
  if (entries.length === 1 && entries[0] === '*') return 'all';
  const partitions: number[] = [];
  for (const entry of entries) {
    const m = /^(\d+):(\d+)$/.exec(entry);
    if (m && Number(m[2]) === brokerId) partitions.push(Number(m[1]));
  }
  return partitions;
}

export class ReplicationQuotaManager {
  private bound = UNBOUNDED_RATE;
  private readonly rate: SampledRate;
  private readonly throttled = new Map<string, ReadonlySet<number> | 'all'>();

  constructor(opts: { samples: number; windowMs: number; now?: () => number }) {
    this.rate = new SampledRate(opts);
  }

  /** The bound in bytes per second (UNBOUNDED_RATE: none). */
  get quota(): number {
    return this.bound;
  }

  updateQuota(bytesPerSecond: number): void {
    this.bound = bytesPerSecond;
  }

  /** Sets the throttled partitions of a topic (an empty list or 'all' as parseThrottledPartitions gives). */
  markThrottled(topic: string, partitions: readonly number[] | 'all'): void {
    if (partitions !== 'all' && partitions.length === 0) this.throttled.delete(topic);
    else this.throttled.set(topic, partitions === 'all' ? 'all' : new Set(partitions));
  }

  removeThrottle(topic: string): void {
    this.throttled.delete(topic);
  }

  isThrottled(topic: string, partition: number): boolean {
    const t = this.throttled.get(topic);
    return t !== undefined && (t === 'all' || t.has(partition));
  }

  /** True while the throttled bytes' rate is above the bound. */
  isQuotaExceeded(): boolean {
    return this.bound < UNBOUNDED_RATE && this.rate.measure() > this.bound;
  }

  /** Counts `bytes` of throttled partitions' replication. */
  record(bytes: number): void {
    if (bytes > 0) this.rate.record(bytes);
  }
}
