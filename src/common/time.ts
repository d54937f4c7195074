/**
 * Clocks (Kafka's org.apache.kafka.common.utils.Time): SystemTime for the broker and MockTime for
 * tests. Components take a Time in their constructor instead of calling Date.now(), so tests can
 * drive timeouts, retention and session expiry deterministically.
 */

/** A clock. */
export interface Time {
  /** Wall-clock milliseconds since the epoch. */
  milliseconds(): number;
  /** A monotonic high-resolution clock in nanoseconds, for measuring durations. */
  hiResNanos?(): bigint;
  /** Resolves after `ms` milliseconds of this clock. */
  sleep(ms: number): Promise<void>;
}

/** The real clock. */
export class SystemTime implements Time {
  milliseconds(): number {
    return Date.now();
  }

  hiResNanos(): bigint {
    return process.hrtime.bigint();
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
  }
}

/**
 * A clock that only moves when told to (Kafka's MockTime): `sleep` advances it immediately, like
 * Kafka's, and `advance` moves it and notifies listeners such as MockScheduler.
 */
export class MockTime implements Time {
  private ms: number;
  private nanos: bigint;
  private readonly listeners = new Set<(nowMs: number) => void>();

  constructor(options: { startMs?: number; startNanos?: bigint } = {}) {
    this.ms = options.startMs ?? 1_700_000_000_000;
    this.nanos = options.startNanos ?? 0n;
  }

  milliseconds(): number {
    return this.ms;
  }

  hiResNanos(): bigint {
    return this.nanos;
  }

  /** Moves the clock forward by `ms` and notifies listeners. */
  advance(ms: number): void {
    if (ms < 0) throw new RangeError(`MockTime cannot go backwards (${ms} ms)`);
    this.ms += ms;
    this.nanos += BigInt(Math.round(ms * 1_000_000));
    for (const listener of this.listeners) listener(this.ms);
  }

  /** Sets the wall clock (it may go backwards, as a real wall clock can); the monotonic clock is unchanged. */
  setMilliseconds(ms: number): void {
    this.ms = ms;
    for (const listener of this.listeners) listener(this.ms);
  }

  sleep(ms: number): Promise<void> {
    this.advance(Math.max(0, ms));
    return Promise.resolve();
  }

  /** Registers a callback run after every clock change; returns a function that removes it. */
  onTick(listener: (nowMs: number) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
