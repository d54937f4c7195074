/**
 * A rate over sampled time windows, as Kafka's metrics measure quotas (SampledStat + Rate with
 * `samples` windows of `windowMs`): values are summed into the current window; windows that started
 * samples × windowMs ago or earlier are dropped; the rate is the sum over the kept windows divided by the time they
 * cover, which is never taken as less than (samples - 1) full windows — so a fresh rate starts low and a
 * burst is spread over the whole span, as Kafka's Rate.windowSize does.
 */

interface Sample {
  startMs: number;
  value: number;
}

export class SampledRate {
  private readonly samples: Sample[] = [];

  constructor(private readonly opts: { samples: number; windowMs: number; now?: () => number }) {}

  private now(): number {
    return this.opts.now?.() ?? Date.now();
  }

  /** Adds `value` (bytes) at the current time. */
  record(value: number): void {
    const now = this.now();
    const last = this.samples[this.samples.length - 1];
    if (last === undefined || now >= last.startMs + this.opts.windowMs) {
      this.samples.push({ startMs: now, value });
      this.purge(now);
    } else {
      last.value += value;
    }
  }

  /** The rate per second. */
  measure(): number {
    const now = this.now();
    this.purge(now);
    const { samples, windowMs } = this.opts;
    const oldest = this.samples[0];
    let elapsedMs = oldest === undefined ? 0 : now - oldest.startMs;
    const fullWindows = Math.floor(elapsedMs / windowMs);
    if (fullWindows < samples - 1) elapsedMs += (samples - 1 - fullWindows) * windowMs;
    elapsedMs = Math.max(elapsedMs, windowMs);
    let total = 0;
    for (const s of this.samples) total += s.value;
    return total / (elapsedMs / 1000);
  }

  private purge(now: number): void {
    // Kafka's purgeObsoleteSamples: a sample started samples × windowMs ago or earlier is gone.
    const expireAgeMs = this.opts.samples * this.opts.windowMs;
    while (this.samples.length > 0 && now - this.samples[0]!.startMs >= expireAgeMs) this.samples.shift();
  }
}
