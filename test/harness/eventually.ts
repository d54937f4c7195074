/**
 * Polling for the integration tests: asks `fn` again until `check` accepts its answer or the time is up,
 * then fails with what was waited for and the last answer. Real brokers and ZooKeeper move on their own
 * schedule; tests wait for a state, never for a fixed time.
 */

/** Options of eventually. */
export interface EventuallyOptions {
  /** What is waited for, for the timeout's message. */
  what: string;
  /** Default 60 000 ms. */
  timeoutMs?: number;
  /** Between attempts; default 250 ms. */
  intervalMs?: number;
  /** Treat a rejected `fn` as "not yet" (a broker restarting, a leader moving) instead of failing. */
  ignoreErrors?: boolean;
}

/** Resolves with the first answer of `fn` that `check` accepts; throws after `timeoutMs`. */
export async function eventually<T>(fn: () => Promise<T> | T, check: (value: T) => boolean, options: EventuallyOptions): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  for (;;) {
    let last: T | undefined;
    let ok = false;
    if (options.ignoreErrors) {
      try {
        last = await fn();
        ok = check(last);
      } catch {
        last = undefined;
      }
    } else {
      last = await fn();
      ok = check(last);
    }
    if (ok) return last as T;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${options.what}; last: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 250));
  }
}

/** Resolves with the first defined answer of `fn`; throws after `timeoutMs`. */
export async function eventuallyDefined<T>(fn: () => Promise<T | undefined>, options: EventuallyOptions): Promise<T> {
  return (await eventually(fn, (v) => v !== undefined, options)) as T;
}
