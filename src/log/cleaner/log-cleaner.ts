/**
 * The log cleaner (Kafka's LogCleaner and its CleanerThreads): `log.cleaner.threads` asynchronous
 * workers, each with its own key → offset map (`log.cleaner.dedupe.buffer.size` shared out) and I/O
 * buffer, sharing one throttle (`log.cleaner.io.max.bytes.per.second`). A worker repeatedly takes the
 * filthiest compacted log (LogCleanerManager), cleans it (Cleaner), logs Kafka's summary and moves the
 * `cleaner-offset-checkpoint`; then it runs retention on the compacted logs nobody is cleaning (for
 * compact,delete logs, and log start offset moves on compacted ones), and sleeps
 * `log.cleaner.backoff.ms` when there was nothing to clean.
 *
 * Workers never block the event loop for long (see cleaner.ts). Shutdown wakes sleeping workers and
 * aborts cleanings at their next chunk; the partial `.cleaned` files are removed. A cleaning that
 * fails for another reason than an abort marks its partition uncleanable, as Kafka does.
 *
 * Logs go to the `kafka.log.LogCleaner` logger (log-cleaner.log in Kafka's log4j setup).
 */
import type { Logger } from '../../common/logger';
import { KafkaStorageError } from '../../common/kafka-error';
import type { Log } from '../log';
import { LogCleaningAbortedError } from '../log-errors';
import type { CleanerConfig } from './cleaner-config';
import { Cleaner } from './cleaner';
import { formatCleanerStats, type CleanerStats } from './cleaner-stats';
import { LogCleanerManager } from './log-cleaner-manager';
import { SkimpyOffsetMap } from './offset-map';
import { Throttler } from './throttler';

/** What a LogCleaner is built from. */
export interface LogCleanerOptions {
  config: CleanerConfig;
  logDirs: readonly string[];
  /** The broker's logs (the log manager's). */
  logs: () => Log[];
  /** `kafka.log.LogCleaner`. */
  logger: Logger;
  /** `kafka.log.LogCleanerManager` (default: `logger`). */
  managerLogger?: Logger;
  now?: () => number;
}

/** Largest map memory per thread (Kafka's cap: a Java array index). */
const MAX_MAP_MEMORY = 2147483647;

interface CleanerThread {
  id: number;
  cleaner: Cleaner;
  running: boolean;
  /** The worker's loop; resolves when it stops. */
  done: Promise<void>;
  /** Ends the current sleep early. */
  wake: () => void;
  lastStats: CleanerStats | undefined;
}

/** See the file comment. */
export class LogCleaner {
  readonly cleanerManager: LogCleanerManager;
  private config: CleanerConfig;
  private readonly logger: Logger;
  private readonly now: () => number;
  private throttler: Throttler;
  private threads: CleanerThread[] = [];
  /** Wakes the threads sleeping in the throttle. */
  private readonly throttleWakers = new Set<() => void>();

  constructor(opts: LogCleanerOptions) {
    this.config = opts.config;
    this.logger = opts.logger;
    this.now = opts.now ?? Date.now;
    this.cleanerManager = new LogCleanerManager({ logDirs: opts.logDirs, logs: opts.logs, logger: opts.managerLogger ?? opts.logger });
    this.throttler = this.newThrottler();
  }

  /** The configuration the threads run with. */
  get currentConfig(): CleanerConfig {
    return this.config;
  }

  /** Number of running cleaner threads. */
  get cleanerCount(): number {
    return this.threads.length;
  }

  /** The statistics of each thread's last cleaning. */
  lastStats(): (CleanerStats | undefined)[] {
    return this.threads.map((t) => t.lastStats);
  }

  private newThrottler(): Throttler {
    return new Throttler({
      desiredRatePerSec: this.config.maxIoBytesPerSecond,
      checkIntervalMs: 300,
      now: this.now,
      sleep: (ms) => this.sleepAll(ms),
    });
  }

  /** A throttle sleep, cut short when the cleaner shuts down. */
  private sleepAll(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.throttleWakers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      timer.unref();
      this.throttleWakers.add(wake);
    });
  }

  /** Starts the cleaner threads (Kafka's startup). */
  startup(): void {
    this.logger.info('Starting the log cleaner');
    for (let i = 0; i < this.config.numThreads; i++) this.threads.push(this.startThread(i));
  }

  /** Stops the threads, aborting cleanings in progress, and waits for them (Kafka's shutdown). */
  async shutdown(): Promise<void> {
    this.logger.info('Shutting down the log cleaner.');
    const threads = this.threads.splice(0);
    for (const t of threads) {
      this.threadLog(t, 'Shutting down');
      t.running = false;
      t.wake();
    }
    for (const wake of [...this.throttleWakers]) wake();
    await Promise.all(threads.map((t) => t.done));
    for (const t of threads) this.threadLog(t, 'Shutdown completed');
  }

  /**
   * Applies new `log.cleaner.*` settings by restarting the threads (Kafka's reconfigure, for the
   * dynamic settings; `log.cleaner.enable` is read-only and ignored here).
   */
  async reconfigure(config: CleanerConfig): Promise<void> {
    await this.shutdown();
    this.config = config;
    this.throttler = this.newThrottler();
    this.startup();
  }

  /** Aborts the cleaning of a log, if one is under way, and waits for it to stop. */
  abortCleaning(log: Log): Promise<void> {
    return this.cleanerManager.abortCleaning(log.name);
  }

  /** Rewrites the checkpoint of a log dir, dropping logs that are gone and `remove`. */
  updateCheckpoints(dir: string, opts: { remove?: string } = {}): Promise<void> {
    return this.cleanerManager.updateCheckpoints(dir, opts);
  }

  /** After a truncation to `offset`: the log's checkpoint must not stay beyond it. */
  maybeTruncateCheckpoint(log: Log, offset: number): Promise<void> {
    return this.cleanerManager.maybeTruncateCheckpoint(log, offset);
  }

  /**
   * Waits until the log's cleaner checkpoint reaches `offset` (Kafka's awaitCleaned, for tests and
   * tools); false after `maxWaitMs`.
   */
  async awaitCleaned(log: Log, offset: number, maxWaitMs = 60000): Promise<boolean> {
    const deadline = Date.now() + maxWaitMs;
    for (;;) {
      if ((this.cleanerManager.allCleanerCheckpoints().get(log.name) ?? -1) >= offset) return true;
      if (Date.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, Math.min(100, deadline - Date.now())));
    }
  }

  private threadLog(thread: { id: number }, message: string): void {
    this.logger.info(`[kafka-log-cleaner-thread-${thread.id}]: ${message}`);
  }

  private startThread(id: number): CleanerThread {
    const memory = Math.min(Math.floor(this.config.dedupeBufferSize / this.config.numThreads), MAX_MAP_MEMORY);
    if (this.config.dedupeBufferSize / this.config.numThreads > MAX_MAP_MEMORY) {
      this.logger.warn('Cannot use more than 2G of cleaner buffer space per cleaner thread, ignoring excess buffer space...');
    }
    const thread: CleanerThread = {
      id,
      running: true,
      done: Promise.resolve(),
      wake: () => undefined,
      lastStats: undefined,
      cleaner: undefined as unknown as Cleaner,
    };
    thread.cleaner = new Cleaner({
      id,
      offsetMap: new SkimpyOffsetMap({ memory, hashAlgorithm: this.config.hashAlgorithm }),
      ioBufferSize: Math.floor(this.config.ioBufferSize / this.config.numThreads / 2),
      dupBufferLoadFactor: this.config.dedupeBufferLoadFactor,
      throttler: this.throttler,
      now: this.now,
      logger: this.logger,
      checkDone: (log) => {
        if (!thread.running) throw new LogCleaningAbortedError('The log cleaner is shutting down');
        if (log.isClosed) throw new LogCleaningAbortedError(`The log of ${log.name} was closed`);
        this.cleanerManager.checkCleaningAborted(log.name);
      },
    });
    thread.done = this.runThread(thread);
    return thread;
  }

  /** The worker loop (Kafka's CleanerThread.doWork). */
  private async runThread(thread: CleanerThread): Promise<void> {
    this.threadLog(thread, 'Starting');
    while (thread.running) {
      let cleaned = false;
      try {
        cleaned = await this.tryCleanFilthiestLog(thread);
      } catch (err) {
        this.logger.error(`[kafka-log-cleaner-thread-${thread.id}]: Error due to`, err);
      }
      if (!thread.running) break;
      if (!cleaned) await this.pause(thread, this.config.backOffMs);
      this.cleanerManager.maintainUncleanablePartitions();
    }
    this.threadLog(thread, 'Stopped');
  }

  private pause(thread: CleanerThread, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      timer.unref();
      thread.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  /** Cleans the filthiest log, then runs retention of the compacted logs; whether a log was cleaned. */
  private async tryCleanFilthiestLog(thread: CleanerThread): Promise<boolean> {
    const cleanable = await this.cleanerManager.grabFilthiestCompactedLog(this.now());
    if (cleanable !== undefined) {
      const { log } = cleanable;
      let endOffset = cleanable.firstDirtyOffset;
      try {
        const result = await thread.cleaner.clean(cleanable);
        endOffset = result.endOffset;
        this.recordStats(thread, { name: log.name, from: cleanable.firstDirtyOffset, to: endOffset, stats: result.stats });
      } catch (err) {
        if (err instanceof LogCleaningAbortedError) {
          this.logger.debug(`Cleaner ${thread.id}: ${err.message}`);
          endOffset = cleanable.firstDirtyOffset;
        } else if (err instanceof KafkaStorageError) {
          // The log went offline or was closed: let it go, as Kafka does.
          endOffset = cleanable.firstDirtyOffset;
        } else {
          this.logger.warn(`Unexpected exception thrown when cleaning log ${log.name}. Marking its partition (${log.name}) as uncleanable`, err);
          this.cleanerManager.markPartitionUncleanable(log);
          endOffset = cleanable.firstDirtyOffset;
        }
      } finally {
        await this.cleanerManager.doneCleaning(cleanable, endOffset);
      }
    }
    const deletable = this.cleanerManager.deletableLogs();
    try {
      for (const log of deletable) {
        if (!thread.running) break;
        try {
          await log.deleteOldSegments();
        } catch (err) {
          if (!(err instanceof KafkaStorageError)) {
            this.logger.warn(`Unexpected exception thrown when deleting old segments of ${log.name}. Marking its partition (${log.name}) as uncleanable`, err);
            this.cleanerManager.markPartitionUncleanable(log);
          }
        }
      }
    } finally {
      this.cleanerManager.doneDeleting(deletable);
    }
    return cleanable !== undefined;
  }

  /** Kafka's recordStats: the summary of a cleaning. */
  private recordStats(thread: CleanerThread, opts: { name: string; from: number; to: number; stats: CleanerStats }): void {
    thread.lastStats = opts.stats;
    this.threadLog(thread, formatCleanerStats(opts.stats, { threadId: thread.id, name: opts.name, from: opts.from, to: opts.to }));
    if (opts.stats.invalidMessagesRead > 0) {
      this.logger.warn(`[kafka-log-cleaner-thread-${thread.id}]: \tFound ${opts.stats.invalidMessagesRead} invalid messages during compaction.`);
    }
  }
}
