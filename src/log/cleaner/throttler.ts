/**
 * The cleaner's I/O throttle (Kafka's Throttler, `log.cleaner.io.max.bytes.per.second`), shared by all
 * cleaner threads: bytes read and written are counted over periods of `checkIntervalMs`; when a
 * period's rate is above the desired rate the caller sleeps long enough to bring it back down.
 */

/** Options of a Throttler. */
export interface ThrottlerOptions {
  /** Bytes per second; Infinity or Number.MAX_VALUE for no limit. */
  desiredRatePerSec: number;
  /** Length of a measuring period (Kafka's cleaner uses 300 ms). */
  checkIntervalMs?: number;
  now: () => number;
  /** Sleeps (the cleaner's sleep wakes early on shutdown). */
  sleep: (ms: number) => Promise<void>;
}

/** See the file comment. */
export class Throttler {
  private readonly desiredRatePerSec: number;
  private readonly checkIntervalMs: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private periodStartMs: number;
  private observedSoFar = 0;

  constructor(opts: ThrottlerOptions) {
    this.desiredRatePerSec = opts.desiredRatePerSec;
    this.checkIntervalMs = opts.checkIntervalMs ?? 300;
    this.now = opts.now;
    this.sleep = opts.sleep;
    this.periodStartMs = opts.now();
  }

  /** Whether a limit is set at all. */
  get limited(): boolean {
    return Number.isFinite(this.desiredRatePerSec) && this.desiredRatePerSec < Number.MAX_VALUE;
  }

  /** Counts `observed` bytes and sleeps if the current period goes faster than the desired rate. */
  async maybeThrottle(observed: number): Promise<void> {
    if (!this.limited) return;
    this.observedSoFar += observed;
    const elapsedMs = this.now() - this.periodStartMs;
    if (elapsedMs <= this.checkIntervalMs || this.observedSoFar <= 0) return;
    const rate = (this.observedSoFar * 1000) / elapsedMs;
    const sleepMs = rate > this.desiredRatePerSec ? Math.round(this.observedSoFar / (this.desiredRatePerSec / 1000) - elapsedMs) : 0;
    // Start the next period before sleeping, so that other threads do not sleep for the same bytes.
    this.observedSoFar = 0;
    this.periodStartMs = this.now() + Math.max(0, sleepMs);
    if (sleepMs > 0) await this.sleep(sleepMs);
  }
}
