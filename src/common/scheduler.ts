/**
 * Background task scheduling (Kafka's KafkaScheduler / MockScheduler): retention checks, checkpoint
 * writes, ISR shrink checks, offset expiration, ...
 *
 * Tasks are async functions. A periodic task never overlaps itself: if its previous run is still in
 * progress when it is due again, that run is skipped. Timers are unref'd so they never keep the
 * process alive, a task's error is logged (not thrown), and shutdown() cancels every timer and waits
 * for the runs in progress.
 */
import { NOOP_LOGGER, type Logger } from './logger';
import type { MockTime } from './time';

/** A scheduled task's body. */
export type TaskFunction = () => Promise<void> | void;

/** When a task runs: after `delayMs` (default 0), then every `periodMs` if it is given and > 0. */
export interface ScheduleOptions {
  delayMs?: number;
  periodMs?: number;
}

/** Handle of a scheduled task. */
export interface ScheduledTask {
  readonly name: string;
  /** Stops future runs (a run in progress completes). */
  cancel(): void;
}

/** A task scheduler. */
export interface Scheduler {
  schedule(name: string, fn: TaskFunction, options?: ScheduleOptions): ScheduledTask;
  /** Cancels every task and resolves once the runs in progress have finished. */
  shutdown(): Promise<void>;
}

/** Thrown when scheduling on a scheduler that was shut down. */
export class SchedulerShutdownError extends Error {
  override readonly name = 'SchedulerShutdownError';
  constructor(taskName: string) {
    super(`Kafka scheduler is not running (task '${taskName}' not scheduled)`);
  }
}

/** Runs one task invocation without overlap, logging failures; shared by both schedulers. */
class TaskRunner {
  running: Promise<void> | null = null;
  cancelled = false;

  constructor(readonly name: string, private readonly fn: TaskFunction, private readonly logger: Logger) {}

  /** Starts a run unless one is in progress; returns the run (or null if skipped). */
  run(): Promise<void> | null {
    if (this.cancelled) return null;
    if (this.running !== null) {
      this.logger.debug(() => `Skipping scheduled task '${this.name}': its previous run has not finished`);
      return null;
    }
    this.logger.trace(() => `Beginning execution of scheduled task '${this.name}'.`);
    // Assigned before the body starts (it runs in a microtask), so a body that fails synchronously
    // still clears `running` afterwards.
    const run = Promise.resolve()
      .then(() => this.fn())
      .catch((err: unknown) => this.logger.error(`Uncaught exception in scheduled task '${this.name}'`, err))
      .finally(() => {
        this.running = null;
        this.logger.trace(() => `Completed execution of scheduled task '${this.name}'.`);
      });
    this.running = run;
    return run;
  }
}

// Node timers fire after at most 2^31-1 ms (longer delays fire at once), so longer waits are chained.
const MAX_TIMER_MS = 2 ** 31 - 1;

/** The broker's scheduler, on Node timers. */
export class KafkaScheduler implements Scheduler {
  private readonly logger: Logger;
  private readonly tasks = new Set<{ runner: TaskRunner; timer: NodeJS.Timeout | null }>();
  private stopped = false;

  constructor(options: { logger?: Logger } = {}) {
    this.logger = options.logger ?? NOOP_LOGGER;
  }

  /**
   * Schedules `fn` after `delayMs` (default 0) and, if `periodMs` > 0, at a fixed rate after that.
   * Delays beyond Node's timer limit (about 24.8 days), such as Kafka's Long.MAX_VALUE intervals,
   * are honoured rather than firing at once.
   */
  schedule(name: string, fn: TaskFunction, options: ScheduleOptions = {}): ScheduledTask {
    if (this.stopped) throw new SchedulerShutdownError(name);
    const delayMs = Math.max(0, options.delayMs ?? 0);
    const periodMs = options.periodMs ?? 0;
    this.logger.debug(() => `Scheduling task ${name} with initial delay ${delayMs} ms and period ${periodMs} ms.`);
    const entry = { runner: new TaskRunner(name, fn, this.logger), timer: null as NodeJS.Timeout | null };
    this.tasks.add(entry);
    let dueAt = Date.now() + delayMs;
    const arm = (): void => {
      const wait = Math.max(0, dueAt - Date.now());
      entry.timer = setTimeout(wait > MAX_TIMER_MS ? arm : fire, Math.min(wait, MAX_TIMER_MS));
      entry.timer.unref();
    };
    const fire = (): void => {
      if (entry.runner.cancelled) return;
      const run = entry.runner.run();
      if (periodMs > 0) {
        // Fixed rate: the next run is due one period after this one was due, not after it ended.
        dueAt += periodMs;
        if (dueAt < Date.now()) dueAt = Date.now();
        arm();
      } else {
        // A one-shot task is forgotten once it has run (shutdown still waits for it meanwhile).
        void (run ?? Promise.resolve()).then(() => this.tasks.delete(entry));
      }
    };
    arm();
    return {
      name,
      cancel: () => {
        entry.runner.cancelled = true;
        if (entry.timer !== null) clearTimeout(entry.timer);
        if (entry.runner.running === null) this.tasks.delete(entry);
        else void entry.runner.running.then(() => this.tasks.delete(entry));
      },
    };
  }

  /** Whether shutdown() has been called. */
  get isShutdown(): boolean {
    return this.stopped;
  }

  async shutdown(): Promise<void> {
    this.stopped = true;
    const running: Promise<void>[] = [];
    for (const entry of this.tasks) {
      entry.runner.cancelled = true;
      if (entry.timer !== null) clearTimeout(entry.timer);
      if (entry.runner.running !== null) running.push(entry.runner.running);
    }
    this.tasks.clear();
    await Promise.all(running);
  }
}

/**
 * A scheduler driven by a MockTime (Kafka's MockScheduler): tasks run when the clock is advanced
 * past their due time, in due-time order, one after another. `await tick()` runs everything due and
 * waits for it, so tests are deterministic.
 */
export class MockScheduler implements Scheduler {
  private readonly logger: Logger;
  private readonly tasks = new Set<{ runner: TaskRunner; dueMs: number; periodMs: number }>();
  private chain: Promise<void> = Promise.resolve();
  private stopped = false;
  private readonly unsubscribe: () => void;

  constructor(private readonly time: MockTime, options: { logger?: Logger } = {}) {
    this.logger = options.logger ?? NOOP_LOGGER;
    this.unsubscribe = time.onTick(() => void this.tick());
  }

  schedule(name: string, fn: TaskFunction, options: ScheduleOptions = {}): ScheduledTask {
    if (this.stopped) throw new SchedulerShutdownError(name);
    const entry = {
      runner: new TaskRunner(name, fn, this.logger),
      dueMs: this.time.milliseconds() + Math.max(0, options.delayMs ?? 0),
      periodMs: options.periodMs ?? 0,
    };
    this.tasks.add(entry);
    if (entry.dueMs <= this.time.milliseconds()) void this.tick();
    return {
      name,
      cancel: () => {
        entry.runner.cancelled = true;
        this.tasks.delete(entry);
      },
    };
  }

  /** Runs every task due at the current time (periodic ones as often as they are due) and waits. */
  tick(): Promise<void> {
    this.chain = this.chain.then(() => this.runDue());
    return this.chain;
  }

  private async runDue(): Promise<void> {
    for (;;) {
      const now = this.time.milliseconds();
      const due = [...this.tasks].filter((t) => t.dueMs <= now).sort((a, b) => a.dueMs - b.dueMs)[0];
      if (due === undefined || this.stopped) return;
      if (due.periodMs > 0) due.dueMs += due.periodMs;
      else this.tasks.delete(due);
      await due.runner.run();
    }
  }

  async shutdown(): Promise<void> {
    this.stopped = true;
    this.unsubscribe();
    this.tasks.clear();
    await this.chain;
  }
}
