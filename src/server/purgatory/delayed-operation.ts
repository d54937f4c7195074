/**
 * Delayed operations and the purgatory that holds them (Kafka's DelayedOperation and
 * DelayedOperationPurgatory).
 *
 * A request that cannot be answered yet (a fetch waiting for min.bytes, a produce with acks=all waiting for
 * the ISR, a CreateTopics waiting for leaders) becomes a DelayedOperation watched under one or more keys
 * (e.g. "topic-partition"). Whoever changes the state behind a key calls checkAndComplete(key); the
 * operation's tryComplete() decides whether it can finish. Each operation completes exactly once: by
 * tryComplete, by expiry after delayMs, or by forceComplete on shutdown.
 */

export abstract class DelayedOperation {
  private completed = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(readonly delayMs: number) {}

  /** Checks whether the operation can complete now; if so calls forceComplete() and returns true. */
  abstract tryComplete(): boolean;

  /** Produces the result; runs once, whether completed, expired or forced. */
  protected abstract onComplete(): void;

  /** Runs just before onComplete when the operation timed out. */
  protected onExpiration(): void {}

  get isCompleted(): boolean {
    return this.completed;
  }

  /** Completes the operation if nobody else did; returns whether this call completed it. */
  forceComplete(): boolean {
    if (this.completed) return false;
    this.completed = true;
    if (this.timer) clearTimeout(this.timer);
    this.onComplete();
    return true;
  }

  /**
   * @internal Starts the expiry timer (called by the purgatory). Unlike Kafka, onExpiration runs before
   * onComplete, so an operation can record why it completed (e.g. REQUEST_TIMED_OUT) before answering.
   */
  startTimer(onExpire: () => void): void {
    this.timer = setTimeout(() => {
      if (this.completed) return;
      this.onExpiration();
      this.forceComplete();
      onExpire();
    }, Math.max(0, this.delayMs));
  }
}

export class DelayedOperationPurgatory<T extends DelayedOperation> {
  private readonly watchers = new Map<string, Set<T>>();
  /** Operations watched and not completed yet. */
  private readonly waiting = new Set<T>();

  constructor(readonly name: string) {}

  /**
   * Completes the operation at once if it can; otherwise watches it under every key until it completes
   * or expires. Returns true when it completed immediately.
   */
  tryCompleteElseWatch(op: T, keys: readonly string[]): boolean {
    if (op.tryComplete()) return true;
    for (const key of keys) {
      let set = this.watchers.get(key);
      if (!set) {
        set = new Set();
        this.watchers.set(key, set);
      }
      set.add(op);
    }
    this.waiting.add(op);
    op.startTimer(() => this.unwatch(op, keys));
    // The state may have changed between tryComplete and watching only across awaits, which cannot happen
    // here: both run in the same tick.
    return false;
  }

  /** Tries to complete every operation watched under key; returns how many completed. */
  checkAndComplete(key: string): number {
    const set = this.watchers.get(key);
    if (!set) return 0;
    let done = 0;
    for (const op of [...set]) {
      if (op.isCompleted) {
        set.delete(op);
        this.waiting.delete(op);
        continue;
      }
      if (op.tryComplete()) {
        done++;
        set.delete(op);
        this.waiting.delete(op);
      }
    }
    if (set.size === 0) this.watchers.delete(key);
    return done;
  }

  /** Number of operations waiting. */
  get delayedCount(): number {
    for (const op of this.waiting) if (op.isCompleted) this.waiting.delete(op);
    return this.waiting.size;
  }

  /** Forces every waiting operation to complete (broker shutdown). */
  shutdown(): void {
    const all = new Set<T>();
    for (const set of this.watchers.values()) for (const op of set) all.add(op);
    this.watchers.clear();
    this.waiting.clear();
    for (const op of all) op.forceComplete();
  }

  private unwatch(op: T, keys: readonly string[]): void {
    this.waiting.delete(op);
    for (const key of keys) {
      const set = this.watchers.get(key);
      if (!set) continue;
      set.delete(op);
      if (set.size === 0) this.watchers.delete(key);
    }
  }
}
