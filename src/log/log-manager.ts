/**
 * The log manager (Kafka's LogManager): owns every partition log in every log dir.
 *
 * Startup loads each `<topic>-<partition>` directory, recovering logs when the dir's clean-shutdown
 * marker is absent (several logs at once, each sequentially), with recovery points, log start offsets
 * and high watermarks from the dir's checkpoint files; then it removes the marker. Background tasks run
 * retention (`log.retention.check.interval.ms`), flushes by `flush.ms`, and write the recovery-point
 * and log-start-offset checkpoints. Shutdown flushes and closes every log, writes the checkpoints and
 * the marker. New partitions go to the log dir holding the fewest; deleted ones are renamed to
 * `<topic>-<partition>.<uuid>-delete` and removed after `file.delete.delay.ms`, as Kafka does.
 *
 * The log cleaner (cleaner/, `log.cleaner.enable`) is owned here as in Kafka: it starts with the
 * background tasks and stops first on shutdown; while it runs, retention of compacted logs happens in
 * its threads (never during a cleaning of the same log) and the retention task only handles the
 * others. A deleted log's cleaning is aborted first and its `cleaner-offset-checkpoint` entry dropped;
 * a truncated log's entry is moved back.
 */
import { mkdir, readdir, rename, rm, writeFile, access } from 'node:fs/promises';
import path from 'node:path';
import type { Logger, Logging } from '../common/logger';
import {
  LOG_START_OFFSET_CHECKPOINT_FILE,
  OffsetCheckpointFile,
  RECOVERY_POINT_CHECKPOINT_FILE,
  REPLICATION_OFFSET_CHECKPOINT_FILE,
  type CheckpointEntry,
} from './checkpoint-file';
import { deleteCleanShutdownFile, hasCleanShutdownFile, writeCleanShutdownFile } from './clean-shutdown';
import { fsyncDir } from './atomic-file';
import { Log } from './log';
import type { LogConfig } from './log-config';
import { DELETE_DIR_SUFFIX, logDeleteDirName, parseTopicPartitionName, topicPartitionKey } from './log-file-names';
import { type ScheduledTask, type Scheduler, TimerScheduler } from './log-scheduler';
import { SerialQueue } from './serial-queue';
import { type CleanerConfig, defaultCleanerConfig } from './cleaner/cleaner-config';
import { LogCleaner } from './cleaner/log-cleaner';

const UNBOUNDED = Number.MAX_SAFE_INTEGER;
/** Kafka 3.9's class, whose name its log lines carry. */
const LEADER_EPOCH_CACHE_LOGGER = 'org.apache.kafka.storage.internals.epoch.LeaderEpochFileCache';

/** Constructor options; the interval settings are the broker's properties of the same names. */
export interface LogManagerOptions {
  logDirs: string[];
  /** The topic config of topics without overrides (broker defaults). */
  defaultConfig: LogConfig;
  /**
   * The config of a topic (broker defaults plus `/config/topics/<topic>` overrides), used when loading
   * its logs at startup; without it loaded logs get `defaultConfig` until updateConfig.
   */
  logConfigFor?: (topic: string) => Promise<LogConfig>;
  logger: Logger;
  /** When given, each log logs as `kafka.log.UnifiedLog` with Kafka's `[UnifiedLog partition=…, dir=…]` ident. */
  logging?: Logging;
  scheduler?: Scheduler;
  now?: () => number;
  /** log.retention.check.interval.ms (default 300000). */
  retentionCheckIntervalMs?: number;
  /** log.flush.scheduler.interval.ms (default: never). */
  flushCheckIntervalMs?: number;
  /** log.flush.offset.checkpoint.interval.ms (default 60000). */
  flushRecoveryOffsetCheckpointIntervalMs?: number;
  /** log.flush.start.offset.checkpoint.interval.ms (default 60000). */
  flushStartOffsetCheckpointIntervalMs?: number;
  /** log.initial.task.delay.ms (default 30000). */
  initialTaskDelayMs?: number;
  /** Logs loaded at once per log dir (default 4). */
  recoveryConcurrency?: number;
  /** producer.id.expiration.ms: producers idle longer are not loaded from a producer state snapshot. */
  producerIdExpirationMs?: number;
  /** The `log.cleaner.*` settings (default: Kafka's, cleaner enabled); see cleanerConfigFrom. */
  cleanerConfig?: CleanerConfig;
}

/** Owns every partition log of the broker; see the file comment. */
export class LogManager {
  private readonly logDirs: string[];
  private readonly defaultConfig: LogConfig;
  private readonly logger: Logger;
  private readonly logging: Logging | undefined;
  private readonly scheduler: Scheduler;
  private readonly now: () => number;
  private readonly opts: LogManagerOptions;
  private readonly logs = new Map<string, Log>();
  private readonly creating = new Map<string, Promise<Log>>();
  private readonly checkpointQueues = new Map<string, SerialQueue>();
  private readonly tasks: ScheduledTask[] = [];
  private started = false;
  private readonly logCleaner: LogCleaner | undefined;
  private cleanerStarted = false;
  /** Set once every log dir is loaded: only then may shutdown vouch for the logs with the marker. */
  private loaded = false;
  private shutDown = false;

  constructor(opts: LogManagerOptions) {
    if (opts.logDirs.length === 0) throw new RangeError('LogManager needs at least one log dir');
    this.opts = opts;
    this.logDirs = opts.logDirs.map((d) => path.resolve(d));
    this.defaultConfig = opts.defaultConfig;
    this.logger = opts.logger;
    this.logging = opts.logging;
    this.now = opts.now ?? Date.now;
    this.scheduler =
      opts.scheduler ?? new TimerScheduler({ onError: (name, err) => this.logger.error(`Uncaught error in scheduled task '${name}'`, err) });
    const cleanerConfig = opts.cleanerConfig ?? defaultCleanerConfig();
    if (cleanerConfig.enableCleaner) {
      this.logCleaner = new LogCleaner({
        config: cleanerConfig,
        logDirs: this.logDirs,
        logs: () => this.allLogs(),
        logger: this.logging ? this.logging.logger('kafka.log.LogCleaner') : this.logger,
        managerLogger: this.logging ? this.logging.logger('kafka.log.LogCleanerManager') : this.logger,
        now: this.now,
      });
    }
  }

  /** The log cleaner, when `log.cleaner.enable` is on. */
  get cleaner(): LogCleaner | undefined {
    return this.logCleaner;
  }

  /** Adds a loaded or created log; its truncations move its cleaner checkpoint back. */
  private addLog(log: Log): void {
    this.logs.set(log.name, log);
    log.on('truncate', () => {
      const active = log.logSegments().at(-1);
      if (!this.logCleaner || active === undefined) return;
      this.logCleaner
        .maybeTruncateCheckpoint(log, active.baseOffset)
        .catch((err: unknown) => this.logger.error(`Error updating the cleaner checkpoint of ${log.name} after truncation`, err));
    });
  }

  private logLogger(topic: string, partition: number, dir: string): Logger {
    return this.identLogger('kafka.log.UnifiedLog', `UnifiedLog partition=${topicPartitionKey(topic, partition)}, dir=${dir}`);
  }

  /** The leader epoch cache's logger, named and prefixed as Kafka's (`[LeaderEpochCache t-0]`). */
  private leaderEpochCacheLogger(topic: string, partition: number): Logger {
    return this.identLogger(LEADER_EPOCH_CACHE_LOGGER, `LeaderEpochCache ${topicPartitionKey(topic, partition)}`);
  }

  private identLogger(name: string, ident: string): Logger {
    if (this.logging) return this.logging.logger(name, ident);
    const base = this.logger;
    const prefix = `[${ident}] `;
    const wrap = (m: string | (() => string)) => (typeof m === 'function' ? () => prefix + m() : prefix + m);
    return {
      name: base.name,
      error: (m, c) => base.error(wrap(m), c),
      warn: (m, c) => base.warn(wrap(m), c),
      info: (m, c) => base.info(wrap(m), c),
      debug: (m, c) => base.debug(wrap(m), c),
      trace: (m, c) => base.trace(wrap(m), c),
      isDebugEnabled: () => base.isDebugEnabled(),
      isTraceEnabled: () => base.isTraceEnabled(),
    };
  }

  /** Loads every partition directory of every log dir (see the file comment). */
  async startup(): Promise<void> {
    if (this.started) throw new Error('LogManager already started');
    this.started = true;
    const loaded: Log[] = [];
    const configs = new Map<string, Promise<LogConfig>>();
    const configFor = (topic: string): Promise<LogConfig> => {
      const lookup = this.opts.logConfigFor;
      if (!lookup) return Promise.resolve(this.defaultConfig);
      let config = configs.get(topic);
      if (!config) {
        config = lookup(topic);
        configs.set(topic, config);
      }
      return config;
    };
    try {
      for (const dir of this.logDirs) {
        await mkdir(dir, { recursive: true });
        await this.loadLogDir(dir, loaded, configFor);
      }
      for (const log of loaded) {
        const other = this.logs.get(log.name);
        if (other !== undefined) {
          throw new Error(
            `Duplicate log directories for ${log.name} are found in both ${other.dir} and ${log.dir}. It is likely ` +
              'because log directory failure happened while broker was replacing current replica with future replica.',
          );
        }
        this.addLog(log);
      }
    } catch (err) {
      // Leave nothing open; without the marker the next start recovers these logs anyway.
      this.logs.clear();
      await Promise.all(loaded.map((log) => log.close().catch(() => undefined)));
      throw err;
    }
    this.loaded = true;
    this.logger.info(`Loaded ${this.logs.size} logs from ${this.logDirs.join(', ')}`);
  }

  /** Loads the logs of one log dir into `loaded`. */
  private async loadLogDir(dir: string, loaded: Log[], configFor: (topic: string) => Promise<LogConfig>): Promise<void> {
    const cleanShutdown = await hasCleanShutdownFile(dir);
    const recoveryPoints = await this.readCheckpointLeniently(dir, RECOVERY_POINT_CHECKPOINT_FILE);
    const logStartOffsets = await this.readCheckpointLeniently(dir, LOG_START_OFFSET_CHECKPOINT_FILE);
    const highWatermarks = await this.readCheckpointLeniently(dir, REPLICATION_OFFSET_CHECKPOINT_FILE);
    for (const file of [RECOVERY_POINT_CHECKPOINT_FILE, LOG_START_OFFSET_CHECKPOINT_FILE, REPLICATION_OFFSET_CHECKPOINT_FILE]) {
      await createIfMissing(path.join(dir, file));
    }
    if (!cleanShutdown) this.logger.info(`Attempting recovery for all logs in ${dir} since no clean shutdown file was found`);

    const entries = await readdir(dir, { withFileTypes: true });
    const pending: { topic: string; partition: number; partitionDir: string }[] = [];
    for (const entry of entries) {
      if (!entry.isDirectory()) continue;
      const partitionDir = path.join(dir, entry.name);
      if (entry.name.endsWith(DELETE_DIR_SUFFIX)) {
        this.scheduleDirRemoval(partitionDir, this.defaultConfig.fileDeleteDelayMs);
        continue;
      }
      const tp = parseTopicPartitionName(entry.name);
      if (!tp) {
        this.logger.warn(`Skipping ${partitionDir}: not a <topic>-<partition> log directory`);
        continue;
      }
      pending.push({ ...tp, partitionDir });
    }

    const concurrency = Math.max(1, this.opts.recoveryConcurrency ?? 4);
    const before = loaded.length;

    const started = this.now();
    let next = 0;
    const worker = async () => {
      while (next < pending.length) {
        const { topic, partition, partitionDir } = pending[next++];
        const key = topicPartitionKey(topic, partition);
        const log = await Log.load({
          topic,
          partition,
          dir: partitionDir,
          config: await configFor(topic),
          logger: this.logLogger(topic, partition, dir),
          leaderEpochCacheLogger: this.leaderEpochCacheLogger(topic, partition),
          scheduler: this.scheduler,
          now: this.now,
          hadCleanShutdown: cleanShutdown,
          producerIdExpirationMs: this.opts.producerIdExpirationMs,
          recoveryPoint: recoveryPoints.get(key),
          logStartOffset: logStartOffsets.get(key),
          highWatermark: highWatermarks.get(key),
        });
        loaded.push(log);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, pending.length) }, worker));
    await deleteCleanShutdownFile(dir);
    this.logger.info(`Loaded ${loaded.length - before} logs in ${dir} in ${this.now() - started}ms (clean shutdown: ${cleanShutdown})`);
  }

  /** Reads a checkpoint; a malformed one is logged and treated as empty (recovery then starts from 0). */
  private async readCheckpointLeniently(dir: string, name: string): Promise<Map<string, number>> {
    try {
      return await new OffsetCheckpointFile(path.join(dir, name)).readMap();
    } catch (err) {
      this.logger.warn(`Error occurred while reading ${name} file of directory ${dir}, resetting to the base offset of the first segment`, err);
      return new Map();
    }
  }

  /** The configured log dirs (log.dirs), as absolute paths. */
  get liveLogDirs(): readonly string[] {
    return this.logDirs;
  }

  /** The log of a partition, if this broker has it. */
  getLog(topic: string, partition: number): Log | undefined {
    return this.logs.get(topicPartitionKey(topic, partition));
  }

  /** Every log. */
  allLogs(): Log[] {
    return [...this.logs.values()];
  }

  /** The log of a partition, creating it (empty, at offset 0) in the log dir with the fewest partitions. */
  getOrCreateLog(topic: string, partition: number, config: LogConfig): Promise<Log> {
    const key = topicPartitionKey(topic, partition);
    const existing = this.logs.get(key);
    if (existing) return Promise.resolve(existing);
    let creation = this.creating.get(key);
    if (!creation) {
      creation = this.createLog(topic, partition, config).finally(() => this.creating.delete(key));
      this.creating.set(key, creation);
    }
    return creation;
  }

  private async createLog(topic: string, partition: number, config: LogConfig): Promise<Log> {
    if (this.shutDown) throw new Error('LogManager is shut down');
    const dir = this.nextLogDir();
    const partitionDir = path.join(dir, topicPartitionKey(topic, partition));
    await mkdir(partitionDir, { recursive: true });
    const log = await Log.load({
      topic,
      partition,
      dir: partitionDir,
      config,
      logger: this.logLogger(topic, partition, dir),
      leaderEpochCacheLogger: this.leaderEpochCacheLogger(topic, partition),
      scheduler: this.scheduler,
      now: this.now,
      hadCleanShutdown: true,
      producerIdExpirationMs: this.opts.producerIdExpirationMs,
    });
    this.addLog(log);
    this.logger.info(
      `Created log for partition ${log.name} in ${partitionDir} with properties ${overriddenConfigsAsLoggableString(config, this.opts.defaultConfig)}`,
    );
    return log;
  }

  /** The log dir with the fewest partitions (logs and logs being created), first listed on ties. */
  private nextLogDir(): string {
    const counts = new Map(this.logDirs.map((d) => [d, 0]));
    for (const log of this.logs.values()) counts.set(log.parentDir, (counts.get(log.parentDir) ?? 0) + 1);
    let best = this.logDirs[0];
    for (const dir of this.logDirs) if ((counts.get(dir) ?? 0) < (counts.get(best) ?? 0)) best = dir;
    return best;
  }

  /**
   * Deletes a partition's log: closes it, renames its directory to `<tp>.<uuid>-delete`, rewrites the
   * dir's checkpoints without it and removes the directory after file.delete.delay.ms.
   */
  async deleteLog(topic: string, partition: number): Promise<void> {
    const key = topicPartitionKey(topic, partition);
    const log = this.logs.get(key);
    if (!log) return;
    await this.logCleaner?.abortCleaning(log);
    this.logs.delete(key);
    await log.close();
    const renamed = path.join(log.parentDir, logDeleteDirName(topic, partition));
    await rename(log.dir, renamed);
    await fsyncDir(log.parentDir);
    this.logger.info(`Log for partition ${key} is renamed to ${renamed} and is scheduled for deletion`);
    await this.checkpointRecoveryPointsInDir(log.parentDir);
    await this.checkpointLogStartOffsetsInDir(log.parentDir);
    await this.logCleaner?.updateCheckpoints(log.parentDir, { remove: key });
    this.scheduleDirRemoval(renamed, log.config.fileDeleteDelayMs);
  }

  private scheduleDirRemoval(dir: string, delayMs: number): void {
    this.scheduler.schedule(
      `delete-dir-${path.basename(dir)}`,
      async () => {
        await rm(dir, { recursive: true, force: true });
        this.logger.info(`Deleted log directory ${dir}`);
      },
      { delayMs },
    );
  }

  /** Replaces the config of every log of `topic` (topic config change). */
  updateConfig(topic: string, config: LogConfig): void {
    for (const log of this.logs.values()) if (log.topic === topic) log.config = config;
  }

  private logsIn(dir: string): Log[] {
    return [...this.logs.values()].filter((l) => l.parentDir === dir);
  }

  private async writeCheckpoint(dir: string, name: string, entries: CheckpointEntry[]): Promise<void> {
    const file = path.join(dir, name);
    let queue = this.checkpointQueues.get(file);
    if (!queue) {
      queue = new SerialQueue();
      this.checkpointQueues.set(file, queue);
    }
    await queue.run(() => new OffsetCheckpointFile(file).write(entries));
  }

  private async checkpointRecoveryPointsInDir(dir: string): Promise<void> {
    const entries = this.logsIn(dir).map((l) => ({ topic: l.topic, partition: l.partition, offset: l.recoveryPoint }));
    await this.writeCheckpoint(dir, RECOVERY_POINT_CHECKPOINT_FILE, entries);
  }

  private async checkpointLogStartOffsetsInDir(dir: string): Promise<void> {
    // As Kafka: only logs whose start offset is past their first segment need an entry.
    const entries = this.logsIn(dir)
      .filter((l) => l.logStartOffset > (l.logSegments()[0]?.baseOffset ?? 0))
      .map((l) => ({ topic: l.topic, partition: l.partition, offset: l.logStartOffset }));
    await this.writeCheckpoint(dir, LOG_START_OFFSET_CHECKPOINT_FILE, entries);
  }

  /** Writes `recovery-point-offset-checkpoint` in every log dir. */
  async checkpointRecoveryPoints(): Promise<void> {
    for (const dir of this.logDirs) await this.checkpointRecoveryPointsInDir(dir);
  }

  /** Writes `log-start-offset-checkpoint` in every log dir. */
  async checkpointLogStartOffsets(): Promise<void> {
    for (const dir of this.logDirs) await this.checkpointLogStartOffsetsInDir(dir);
  }

  /**
   * Writes `replication-offset-checkpoint` in every log dir: for each log, the high watermark from
   * `hw` (keyed `topic-partition`, as the replica manager keeps them) or else the log's own.
   */
  async checkpointHighWatermarks(hw?: Map<string, number>): Promise<void> {
    for (const dir of this.logDirs) {
      const entries = this.logsIn(dir).map((l) => ({ topic: l.topic, partition: l.partition, offset: hw?.get(l.name) ?? l.highWatermark }));
      await this.writeCheckpoint(dir, REPLICATION_OFFSET_CHECKPOINT_FILE, entries);
    }
  }

  /**
   * Deletes old segments of every log (retention); once the cleaner has started, compacted logs are
   * left to its threads, as in Kafka.
   */
  async cleanupLogs(): Promise<number> {
    let total = 0;
    const started = this.now();
    for (const log of this.allLogs()) {
      if (log.isClosed) continue;
      if (this.cleanerStarted && log.config.cleanupPolicy.includes('compact')) continue;
      try {
        total += await log.deleteOldSegments();
      } catch (err) {
        this.logger.error(`Error while deleting old segments of ${log.name}`, err);
      }
    }
    this.logger.debug(`Log cleanup completed. ${total} files deleted in ${(this.now() - started) / 1000} seconds`);
    return total;
  }

  /** Flushes logs whose last flush is older than their flush.ms. */
  async flushDirtyLogs(): Promise<void> {
    const now = this.now();
    for (const log of this.allLogs()) {
      if (log.isClosed || now - log.lastFlushTime < log.config.flushMs) continue;
      try {
        await log.flush();
      } catch (err) {
        this.logger.error(`Error flushing topic ${log.topic}`, err);
      }
    }
  }

  /** Schedules retention, flushing and the checkpoints, as Kafka's LogManager.startup does. */
  startBackgroundTasks(): void {
    const delayMs = this.opts.initialTaskDelayMs ?? 30000;
    const every = (name: string, periodMs: number | undefined, task: () => Promise<unknown>) => {
      if (periodMs === undefined || periodMs >= UNBOUNDED) return;
      this.tasks.push(this.scheduler.schedule(name, async () => void (await task()), { delayMs, periodMs }));
    };
    every('kafka-log-retention', this.opts.retentionCheckIntervalMs ?? 300000, () => this.cleanupLogs());
    every('kafka-log-flusher', this.opts.flushCheckIntervalMs, () => this.flushDirtyLogs());
    every('kafka-recovery-point-checkpoint', this.opts.flushRecoveryOffsetCheckpointIntervalMs ?? 60000, () => this.checkpointRecoveryPoints());
    every('kafka-log-start-offset-checkpoint', this.opts.flushStartOffsetCheckpointIntervalMs ?? 60000, () => this.checkpointLogStartOffsets());
    if (this.logCleaner && !this.cleanerStarted && !this.shutDown) {
      this.cleanerStarted = true;
      this.logCleaner.startup();
    }
  }

  /**
   * Stops the background tasks, flushes and closes every log, writes the recovery-point and
   * log-start-offset checkpoints and then the clean-shutdown marker in each log dir (not after a
   * failed startup, and not in a dir where a log failed to close, so that the next start recovers).
   */
  async shutdown(opts: { brokerEpoch?: number } = {}): Promise<void> {
    if (this.shutDown) return;
    this.shutDown = true;
    this.logger.info('Shutting down.');
    for (const task of this.tasks.splice(0)) task.cancel();
    if (this.logCleaner && this.cleanerStarted) await this.logCleaner.shutdown();
    await Promise.all([...this.creating.values()].map((p) => p.catch(() => undefined)));
    await Promise.all(
      this.logDirs.map(async (dir) => {
        let clean = true;
        for (const log of this.logsIn(dir)) {
          try {
            if (!log.isClosed) await log.flush();
            await log.close();
          } catch (err) {
            clean = false;
            this.logger.error(`Error while flushing and closing the log of ${log.name} in ${dir}`, err);
          }
        }
        if (!this.loaded) return; // startup failed part-way: the next start must recover
        await this.checkpointRecoveryPointsInDir(dir);
        await this.checkpointLogStartOffsetsInDir(dir);
        if (clean) await writeCleanShutdownFile(dir, opts.brokerEpoch ?? -1);
      }),
    );
    this.logger.info('Shutdown complete.');
  }
}

async function createIfMissing(file: string): Promise<void> {
  try {
    await access(file);
  } catch {
    await writeFile(file, '', { flag: 'a' });
  }
}

/** Kafka's LogConfig.overriddenConfigsAsLoggableString: the settings that differ from the broker defaults. */
export function overriddenConfigsAsLoggableString(config: LogConfig, defaults: LogConfig): string {
  const entries: string[] = [];
  for (const key of Object.keys(config) as (keyof LogConfig)[]) {
    const value = config[key];
    if (JSON.stringify(value) === JSON.stringify(defaults[key])) continue;
    const name = key === 'minInSyncReplicas' ? 'min.insync.replicas' : key.replace(/[A-Z]/g, (c) => `.${c.toLowerCase()}`);
    entries.push(`${name}=${Array.isArray(value) ? value.join(',') : String(value)}`);
  }
  return `{${entries.join(', ')}}`;
}
