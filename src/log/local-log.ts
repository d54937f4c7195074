/**
 * The segments of a partition's log and their files (Kafka's LocalLog): the ordered list of segments in
 * `<logDir>/<topic>-<partition>/`, the log end offset and the recovery point; writing, rolling, flushing,
 * deleting and closing segments. Log (log.ts) builds on it as Kafka's UnifiedLog builds on LocalLog.
 *
 * Every mutation (append, roll, truncation, retention, log start offset moves, close) goes through one
 * serial queue, so appends keep their order and never interleave with the others. Reads and flushes
 * run outside the queue: a read sees the data complete when it started and holds the segments it
 * reads, so a segment deleted meanwhile is closed only after the read. Segments are deleted as Kafka
 * does: renamed to `.deleted` at once and removed `file.delete.delay.ms` later.
 */
import { EventEmitter } from 'node:events';
import path from 'node:path';
import type { Logger } from '../common/logger';
import { KafkaError, KafkaStorageError } from '../common/kafka-error';
import { maxSegmentMs, type LogConfig } from './log-config';
import { LogCleaningAbortedError, OffsetsOutOfOrderError, UnexpectedAppendOffsetError } from './log-errors';
import { DELETED_FILE_SUFFIX } from './log-file-names';
import { segmentOptions } from './log-loader';
import type { Scheduler } from './log-scheduler';
import { LogSegment } from './log-segment';
import { SerialQueue } from './serial-queue';
import type { LogAppendInfo } from './log-types';

/** What a LocalLog is built from. */
export interface LocalLogOptions {
  topic: string;
  partition: number;
  /** The partition directory. */
  dir: string;
  config: LogConfig;
  logger: Logger;
  scheduler: Scheduler;
  now: () => number;
}

/** The segments and files of a partition's log; see the file comment. Extended by Log. */
export class LocalLog extends EventEmitter {
  readonly topic: string;
  readonly partition: number;
  readonly dir: string;
  config: LogConfig;
  protected readonly logger: Logger;
  protected readonly scheduler: Scheduler;
  protected readonly now: () => number;
  protected readonly queue = new SerialQueue();
  protected segments: LogSegment[];
  protected leo: number;
  protected recovery: number;
  protected unflushedMessages = 0;
  /** Bumped when data below the recovery point may have changed, so a concurrent flush does not move it. */
  protected truncations = 0;
  protected closed = false;
  protected failure: unknown;
  /** Segments renamed to `.deleted` whose files are not removed yet. */
  protected readonly deleting = new Set<LogSegment>();
  /** Time of the last flush (ms), for flush.ms. */
  lastFlushTime: number;

  protected constructor(opts: LocalLogOptions, state: { segments: LogSegment[]; logEndOffset: number; recoveryPoint: number }) {
    super();
    this.setMaxListeners(0);
    this.topic = opts.topic;
    this.partition = opts.partition;
    this.dir = opts.dir;
    this.config = opts.config;
    this.logger = opts.logger;
    this.scheduler = opts.scheduler;
    this.now = opts.now;
    this.segments = state.segments;
    this.leo = state.logEndOffset;
    this.recovery = state.recoveryPoint;
    this.lastFlushTime = opts.now();
  }

  /** Called in the queue after a roll created the segment at `newOffset` (Log writes a producer snapshot). */
  protected async onRoll(_newOffset: number): Promise<void> {}

  /** Called in the queue when a usable log closes, before its segments are (Log writes a producer snapshot). */
  protected async beforeClose(): Promise<void> {}

  /** `topic-partition`. */
  get name(): string {
    return `${this.topic}-${this.partition}`;
  }

  /** The log dir holding this partition's directory. */
  get parentDir(): string {
    return path.dirname(this.dir);
  }

  get logEndOffset(): number {
    return this.leo;
  }

  /** Offsets below this are flushed to disk. */
  get recoveryPoint(): number {
    return this.recovery;
  }

  /**
   * How many truncations the log has had (follower truncation, full truncation). The log cleaner
   * notes it before cleaning and replaceSegments refuses a swap if it changed meanwhile.
   */
  get truncationCount(): number {
    return this.truncations;
  }

  /** The segments, oldest first (a copy). */
  logSegments(): LogSegment[] {
    return [...this.segments];
  }

  get numberOfSegments(): number {
    return this.segments.length;
  }

  /** Total bytes of all segments. */
  get size(): number {
    let total = 0;
    for (const s of this.segments) total += s.size;
    return total;
  }

  protected get activeSegment(): LogSegment {
    return this.segments[this.segments.length - 1];
  }

  protected checkUsable(): void {
    if (this.failure !== undefined) {
      throw new KafkaStorageError(`The log of ${this.name} in ${this.parentDir} is offline after an I/O error`, { cause: this.failure });
    }
    if (this.closed) throw new KafkaStorageError(`The log of ${this.name} in ${this.parentDir} is closed`);
  }

  /** Runs a mutation in the queue; I/O errors take the log offline (Kafka marks the dir offline). */
  protected mutate<T>(what: string, task: () => Promise<T>): Promise<T> {
    return this.queue.run(async () => {
      this.checkUsable();
      try {
        return await task();
      } catch (err) {
        if (
          err instanceof KafkaError ||
          err instanceof UnexpectedAppendOffsetError ||
          err instanceof OffsetsOutOfOrderError ||
          err instanceof RangeError ||
          err instanceof LogCleaningAbortedError
        ) {
          throw err;
        }
        this.failure = err;
        this.logger.error(`Error while ${what} for ${this.name} in dir ${this.parentDir}`, err);
        throw new KafkaStorageError(`Error while ${what} for ${this.name} in dir ${this.parentDir}`, { cause: err });
      }
    });
  }

  /** Queues an append, then flushes if flush.messages is reached and announces it. */
  protected async append(what: string, task: () => Promise<LogAppendInfo>): Promise<LogAppendInfo> {
    const info = await this.mutate(what, task);
    if (info.validBytes > 0) {
      this.unflushedMessages += info.lastOffset - info.firstOffset + 1;
      if (this.unflushedMessages >= this.config.flushMessages) await this.flush();
      this.emit('append', info);
    }
    return info;
  }

  /**
   * Rolls if needed and writes batches with assigned offsets; updates the log end offset. The
   * caller has checked that they fit in a segment.
   */
  protected async writeLocked(
    records: Buffer,
    a: { firstOffset: number; lastOffset: number; maxTimestamp: number; offsetOfMaxTimestamp: number; now: number },
  ): Promise<void> {
    let segment = this.activeSegment;
    const shouldRoll = await segment.shouldRoll({
      segmentBytes: this.config.segmentBytes,
      segmentMs: maxSegmentMs(this.config),
      now: a.now,
      maxTimestampInMessages: a.maxTimestamp,
      maxOffsetInMessages: a.lastOffset,
      messagesSize: records.length,
    });
    if (shouldRoll) segment = await this.rollLocked(a.firstOffset);
    await segment.append(records, {
      largestOffset: a.lastOffset,
      largestTimestamp: a.maxTimestamp,
      offsetOfMaxTimestamp: a.offsetOfMaxTimestamp,
      now: a.now,
    });
    this.leo = a.lastOffset + 1;
  }

  /** Rolls a new active segment now (Kafka's UnifiedLog.roll). */
  roll(): Promise<LogSegment> {
    return this.mutate('rolling', () => this.rollLocked());
  }

  protected async rollLocked(expectedNextOffset?: number): Promise<LogSegment> {
    const started = Date.now();
    const active = this.activeSegment;
    const newOffset = Math.max(expectedNextOffset ?? 0, this.leo);
    if (active.baseOffset === newOffset && active.size === 0) return active;
    await active.onBecomeInactiveSegment();
    const segment = await LogSegment.create(this.dir, newOffset, segmentOptions(this.config, this.now()));
    await this.onRoll(newOffset);
    this.segments.push(segment);
    this.logger.info(`Rolled new log segment at offset ${newOffset} in ${Date.now() - started} ms.`);
    // Flush the finished segment in the background, as Kafka's roll schedules flushUptoOffsetExclusive.
    this.flushUpTo(newOffset).catch((err: unknown) => this.logger.error(`Error flushing ${this.name} after roll`, err));
    return segment;
  }

  /** What readFromSegments sees of this log. */
  protected readonly segmentsForRead = { segments: () => this.segments, checkUsable: () => this.checkUsable() };

  /** Runs `fn` on a segment held open for the duration. */
  protected async withSegment<T>(segment: LogSegment, fn: (s: LogSegment) => Promise<T>): Promise<T | null> {
    if (!segment.tryRetain()) return null;
    try {
      return await fn(segment);
    } finally {
      segment.release();
    }
  }

  /** Takes segments out of the log, renames their files to `.deleted` and deletes them later. */
  protected async removeAndDeleteSegments(doomed: LogSegment[], reason: string): Promise<void> {
    if (doomed.length === 0) return;
    const set = new Set(doomed);
    this.segments = this.segments.filter((s) => !set.has(s));
    for (const s of doomed) {
      await s.changeFileSuffixes(DELETED_FILE_SUFFIX);
      this.deleting.add(s);
    }
    this.scheduleFileDeletion(doomed, reason);
  }

  /** Removes the files of segments already renamed to `.deleted`, file.delete.delay.ms from now. */
  protected scheduleFileDeletion(doomed: LogSegment[], reason: string): void {
    const deleteFiles = async () => {
      for (const s of doomed) {
        if (!this.deleting.delete(s)) continue; // closed with the log; the loader removes the files
        try {
          await s.deleteIfExists();
        } catch (err) {
          this.logger.error(`Error deleting ${s.log.file} after ${reason}`, err);
        }
      }
    };
    this.scheduler.schedule(`delete-file-${this.name}`, deleteFiles, { delayMs: this.config.fileDeleteDelayMs });
  }

  /** fsyncs every segment holding unflushed data and moves the recovery point to the log end offset. */
  flush(): Promise<void> {
    return this.flushUpTo(this.leo);
  }

  /** fsyncs the segments holding offsets below `offset` that may be unflushed; moves the recovery point. */
  protected async flushUpTo(offset: number): Promise<void> {
    if (offset <= this.recovery) return;
    const generation = this.truncations;
    const segments = this.segments.filter((s, i) => {
      const next = this.segments[i + 1];
      return s.baseOffset < offset && (next === undefined || next.baseOffset > this.recovery);
    });
    for (const s of segments) await this.withSegment(s, (seg) => seg.flush());
    if (generation === this.truncations && offset > this.recovery) {
      this.recovery = offset;
      this.unflushedMessages = 0;
    }
    this.lastFlushTime = this.now();
  }

  /**
   * Waits for queued mutations, then closes every segment (after in-flight reads). Later calls throw
   * KafkaStorageError.
   */
  close(): Promise<void> {
    return this.queue.run(async () => {
      if (this.closed) return;
      this.closed = true;
      if (this.failure === undefined) await this.beforeClose();
      const pendingDeletion = [...this.deleting];
      this.deleting.clear();
      for (const s of [...this.segments, ...pendingDeletion]) {
        try {
          await s.close();
        } catch (err) {
          this.logger.error(`Error closing segment ${s.baseOffset} of ${this.name}`, err);
        }
      }
    });
  }

  /** Whether close() has run. */
  get isClosed(): boolean {
    return this.closed;
  }
}
