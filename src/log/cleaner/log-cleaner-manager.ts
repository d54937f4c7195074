/**
 * The cleaner's bookkeeping (Kafka's LogCleanerManager): which partitions are being cleaned or
 * deleted, which cleanings were aborted, which partitions failed and are left alone, and the
 * `cleaner-offset-checkpoint` file of each log dir, Kafka's checkpoint format (version 0, then
 * `<topic> <partition> <first dirty offset>` lines) giving where each log's dirty section starts.
 *
 * State changes happen synchronously between awaits, so two cleaner threads never take the same log.
 * The checkpoints are kept in memory (read once per dir) and written through one queue per file.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../../common/logger';
import { OffsetCheckpointFile } from '../checkpoint-file';
import type { Log } from '../log';
import { LogCleaningAbortedError } from '../log-errors';
import { SerialQueue } from '../serial-queue';
import { cleanableOffsets, logToClean, maxCompactionDelay, type LogToClean } from './log-to-clean';

/** Kafka's name for the per-dir checkpoint of cleaned offsets. */
export const CLEANER_OFFSET_CHECKPOINT_FILE = 'cleaner-offset-checkpoint';

/** Kafka's LogCleaningState: what is happening to a partition. */
const CleaningState = {
  inProgress: 'LogCleaningInProgress',
  aborted: 'LogCleaningAborted',
} as const;
type CleaningState = (typeof CleaningState)[keyof typeof CleaningState];

interface InProgress {
  state: CleaningState;
  /** Resolved when the cleaning (or deletion) ends; abortCleaning waits for it. */
  done: Promise<void>;
  finish: () => void;
}

/** Options of a LogCleanerManager. */
export interface LogCleanerManagerOptions {
  logDirs: readonly string[];
  /** The logs of the broker (the log manager's). */
  logs: () => Log[];
  logger: Logger;
}

/** See the file comment. */
export class LogCleanerManager {
  private readonly logDirs: string[];
  private readonly logs: () => Log[];
  private readonly logger: Logger;
  private readonly inProgress = new Map<string, InProgress>();
  /** Partitions whose cleaning failed, per log dir (Kafka's uncleanablePartitions). */
  private readonly uncleanable = new Map<string, Set<string>>();
  private readonly checkpoints = new Map<string, Map<string, number>>();
  private readonly checkpointQueues = new Map<string, SerialQueue>();
  private loading: Promise<void> | undefined;
  /** The largest cleanable ratio seen by the last grab (Kafka's max-dirty-percent gauge). */
  dirtiestLogCleanableRatio = 0;

  constructor(opts: LogCleanerManagerOptions) {
    this.logDirs = opts.logDirs.map((d) => path.resolve(d));
    this.logs = opts.logs;
    this.logger = opts.logger;
  }

  /**
   * Reads every dir's checkpoint once, creating missing files empty as Kafka's CheckpointFile does; a
   * malformed file counts as empty (everything is dirty).
   */
  load(): Promise<void> {
    this.loading ??= (async () => {
      for (const dir of this.logDirs) {
        const file = new OffsetCheckpointFile(path.join(dir, CLEANER_OFFSET_CHECKPOINT_FILE));
        try {
          await writeFile(file.file, '', { flag: 'a' });
          this.checkpoints.set(dir, await file.readMap());
        } catch (err) {
          this.logger.warn(`Failed to access checkpoint file ${CLEANER_OFFSET_CHECKPOINT_FILE} in dir ${dir}`, err);
          this.checkpoints.set(dir, new Map());
        }
      }
    })();
    return this.loading;
  }

  /** Every log's cleaner checkpoint, keyed `topic-partition` (Kafka's allCleanerCheckpoints). */
  allCleanerCheckpoints(): Map<string, number> {
    const all = new Map<string, number>();
    for (const entries of this.checkpoints.values()) for (const [tp, offset] of entries) all.set(tp, offset);
    return all;
  }

  private checkpointOf(log: Log): number | undefined {
    return this.checkpoints.get(log.parentDir)?.get(log.name);
  }

  /** Whether a cleaning or deletion of the partition is under way. */
  isInProgress(name: string): boolean {
    return this.inProgress.has(name);
  }

  private isUncleanable(log: Log): boolean {
    return this.uncleanable.get(log.parentDir)?.has(log.name) ?? false;
  }

  private begin(name: string): void {
    let finish = () => undefined as void;
    const done = new Promise<void>((resolve) => (finish = resolve));
    this.inProgress.set(name, { state: CleaningState.inProgress, done, finish });
  }

  private end(name: string): void {
    const entry = this.inProgress.get(name);
    if (!entry) return;
    this.inProgress.delete(name);
    entry.finish();
  }

  /**
   * Kafka's grabFilthiestCompactedLog: the compacted log with the largest cleanable ratio among those
   * worth cleaning, marked in progress; undefined when none is.
   */
  async grabFilthiestCompactedLog(now: number): Promise<LogToClean | undefined> {
    await this.load();
    const candidates: LogToClean[] = [];
    for (const log of this.logs()) {
      if (!log.config.cleanupPolicy.includes('compact') || log.isClosed || this.inProgress.has(log.name) || this.isUncleanable(log)) continue;
      const segments = log.logSegments();
      const offsets = cleanableOffsets(log, { lastCleanOffset: this.checkpointOf(log), now, segments, warn: (m) => this.logger.warn(m) });
      if (offsets.forceUpdateCheckpoint) await this.updateCheckpoints(log.parentDir, { update: [log.name, offsets.firstDirtyOffset] });
      const delay = await maxCompactionDelay(log, { firstDirtyOffset: offsets.firstDirtyOffset, now, segments });
      const ltc = logToClean(log, {
        firstDirtyOffset: offsets.firstDirtyOffset,
        uncleanableOffset: offsets.firstUncleanableDirtyOffset,
        needCompactionNow: delay > 0,
        segments,
      });
      if (ltc.totalBytes > 0) candidates.push(ltc);
    }
    this.dirtiestLogCleanableRatio = candidates.reduce((max, c) => Math.max(max, c.cleanableRatio), 0);
    // The awaits above let another thread run: check the state again before taking a log.
    const cleanable = candidates.filter(
      (c) =>
        !this.inProgress.has(c.log.name) &&
        !c.log.isClosed &&
        ((c.needCompactionNow && c.cleanableBytes > 0) || c.cleanableRatio > c.log.config.minCleanableDirtyRatio),
    );
    if (cleanable.length === 0) return undefined;
    const filthiest = cleanable.reduce((best, c) => (c.cleanableRatio > best.cleanableRatio ? c : best));
    this.begin(filthiest.log.name);
    return filthiest;
  }

  /**
   * Kafka's deletableLogs: the compacted logs not being cleaned, marked in progress while their old
   * segments are deleted (retention of compacted logs runs in the cleaner threads, so it never
   * overlaps a cleaning). Call doneDeleting afterwards.
   */
  deletableLogs(): Log[] {
    const logs = this.logs().filter(
      (log) => log.config.cleanupPolicy.includes('compact') && !log.isClosed && !this.inProgress.has(log.name) && !this.isUncleanable(log),
    );
    for (const log of logs) this.begin(log.name);
    return logs;
  }

  doneDeleting(logs: readonly Log[]): void {
    for (const log of logs) this.end(log.name);
  }

  /**
   * Ends a cleaning: the checkpoint moves to `endOffset` unless the cleaning was aborted (or the log
   * was truncated meanwhile, which already moved the checkpoint back).
   */
  async doneCleaning(cleanable: LogToClean, endOffset: number): Promise<void> {
    const { log } = cleanable;
    const entry = this.inProgress.get(log.name);
    try {
      if (entry?.state === CleaningState.inProgress && log.truncationCount === cleanable.truncationCount && !log.isClosed) {
        await this.updateCheckpoints(log.parentDir, { update: [log.name, endOffset] });
      }
    } finally {
      this.end(log.name);
    }
  }

  /** Throws LogCleaningAbortedError if the cleaning of `name` was aborted. */
  checkCleaningAborted(name: string): void {
    if (this.inProgress.get(name)?.state === CleaningState.aborted) {
      throw new LogCleaningAbortedError(`The cleaning of ${name} was aborted`);
    }
  }

  /** Aborts the cleaning of a partition, if one is under way, and waits for it to stop (Kafka's abortCleaning). */
  async abortCleaning(name: string): Promise<void> {
    const entry = this.inProgress.get(name);
    if (!entry) return;
    entry.state = CleaningState.aborted;
    await entry.done;
    this.logger.info(`The cleaning for partition ${name} is aborted`);
  }

  /** Leaves a partition alone after an unexpected failure (Kafka's markPartitionUncleanable). */
  markPartitionUncleanable(log: Log): void {
    let set = this.uncleanable.get(log.parentDir);
    if (!set) {
      set = new Set();
      this.uncleanable.set(log.parentDir, set);
    }
    set.add(log.name);
  }

  /** Names of the partitions of `dir` left alone after a failure. */
  uncleanablePartitions(dir: string): string[] {
    return [...(this.uncleanable.get(path.resolve(dir)) ?? [])];
  }

  /** Forgets failures of partitions that are gone (Kafka's maintainUncleanablePartitions). */
  maintainUncleanablePartitions(): void {
    const live = new Set(this.logs().map((l) => `${l.parentDir}\u0000${l.name}`));
    for (const [dir, set] of this.uncleanable) {
      for (const name of set) if (!live.has(`${dir}\u0000${name}`)) set.delete(name);
    }
  }

  /**
   * After a truncation: moves the partition's checkpoint back to `offset` if it was beyond it, and
   * forgets an earlier failure (the data changed). Kafka's maybeTruncateCheckpoint.
   */
  async maybeTruncateCheckpoint(log: Log, offset: number): Promise<void> {
    this.uncleanable.get(log.parentDir)?.delete(log.name);
    await this.load();
    const current = this.checkpointOf(log);
    if (current !== undefined && current > offset) await this.updateCheckpoints(log.parentDir, { update: [log.name, offset] });
  }

  /**
   * Rewrites the checkpoint of `dir` for the logs that still exist there, optionally setting one
   * entry and removing one (Kafka's updateCheckpoints).
   */
  async updateCheckpoints(dir: string, opts: { update?: [string, number]; remove?: string } = {}): Promise<void> {
    await this.load();
    const resolved = path.resolve(dir);
    const live = new Set(this.logs().filter((l) => l.parentDir === resolved).map((l) => l.name));
    const current = this.checkpoints.get(resolved) ?? new Map<string, number>();
    const next = new Map<string, number>();
    for (const [tp, offset] of current) if (live.has(tp)) next.set(tp, offset);
    if (opts.update) next.set(opts.update[0], opts.update[1]);
    if (opts.remove !== undefined) next.delete(opts.remove);
    this.checkpoints.set(resolved, next);
    const entries = [...next].map(([tp, offset]) => {
      const dash = tp.lastIndexOf('-');
      return { topic: tp.slice(0, dash), partition: Number(tp.slice(dash + 1)), offset };
    });
    const file = path.join(resolved, CLEANER_OFFSET_CHECKPOINT_FILE);
    let queue = this.checkpointQueues.get(file);
    if (!queue) {
      queue = new SerialQueue();
      this.checkpointQueues.set(file, queue);
    }
    await queue.run(() => new OffsetCheckpointFile(file).write(entries));
  }
}
