/**
 * The background-task scheduler the log manager uses for retention, flushing and checkpoints (Kafka's
 * KafkaScheduler). Injected so tests can run tasks by hand; the default uses unref'd timers.
 * A periodic task never overlaps itself: the next run is scheduled when the previous one has finished.
 */

/** A scheduled task; cancel() prevents future runs. */
export interface ScheduledTask {
  cancel(): void;
}

/** What the log manager needs from a scheduler. */
export interface Scheduler {
  /** Runs `task` after `delayMs`, then every `periodMs` if given. */
  schedule(name: string, task: () => Promise<void> | void, opts: { delayMs: number; periodMs?: number }): ScheduledTask;
}

/** A Scheduler on Node timers. Errors thrown by tasks go to `onError` and do not stop periodic tasks. */
export class TimerScheduler implements Scheduler {
  private readonly onError: (name: string, err: unknown) => void;

  constructor(opts: { onError?: (name: string, err: unknown) => void } = {}) {
    this.onError = opts.onError ?? (() => undefined);
  }

  schedule(name: string, task: () => Promise<void> | void, opts: { delayMs: number; periodMs?: number }): ScheduledTask {
    let cancelled = false;
    let timer: NodeJS.Timeout | undefined;
    const arm = (delayMs: number) => {
      timer = setTimeout(run, Math.max(0, Math.min(delayMs, 2147483647)));
      timer.unref();
    };
    const run = async () => {
      try {
        await task();
      } catch (err) {
        this.onError(name, err);
      }
      if (!cancelled && opts.periodMs !== undefined) arm(opts.periodMs);
    };
    arm(opts.delayMs);
    return {
      cancel: () => {
        cancelled = true;
        if (timer) clearTimeout(timer);
      },
    };
  }
}
