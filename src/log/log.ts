/**
 * A partition's log (Kafka's UnifiedLog): on top of its segments, end offset, recovery point and the
 * serial queue of mutations (local-log.ts, Kafka's LocalLog) it keeps the log start offset, the high
 * watermark, the leader epoch cache and the producer state, validates appends, and applies truncation,
 * retention and cleaning.
 *
 * The leader epoch cache (leader-epoch-cache.ts, KIP-101/279) follows the log as in Kafka's
 * UnifiedLog: every append assigns the epochs of its batches before writing them (so the checkpoint
 * never lags the data), truncation drops the entries past the new end, a full truncation clears it,
 * and a log start offset move (retention, DeleteRecords) truncates it from the start. Its
 * `leader-epoch-checkpoint` is written inside the same queue.
 *
 * The log cleaner (cleaner/) swaps compacted copies of inactive segments in with replaceSegments, the
 * crash-safe `.cleaned` → `.swap` → live rename sequence of Kafka's LocalLog.replaceSegments (the
 * loader completes or discards an interrupted swap, see segment-swap.ts).
 *
 * Idempotent producers (KIP-98/360): the producer state (producer-state-manager.ts) is checked inside the
 * queue after offsets are assigned; a client batch repeating one of a producer's last 5 is not written
 * and the append answers with the original offsets (validBytes 0). Followers and recovery apply batches
 * without checks. A snapshot is written at every roll and at close; truncation reloads the state from
 * the latest snapshot below the new end and replays the log (producer-state-recovery.ts); retention
 * deletes the snapshots of the segments it removes.
 *
 * Events: 'append' (LogAppendInfo) after every append, for the fetch purgatory; 'truncate' (the new
 * log end offset) after a truncation, so the log cleaner can move its checkpoint back.
 */
import type { Logger } from '../common/logger';
import { OffsetOutOfRangeError } from '../common/kafka-error';
import { assignOffsets } from '../protocol/records/assign-offsets';
import { validateRecords, type AppendOrigin } from '../protocol/records/produce-validation';
import { batches, CompressionType, RecordBatchView } from '../protocol/records/record-batch';
import { TimestampType } from './log-config';
import { LogCleaningAbortedError, toAppendError, UnexpectedAppendOffsetError } from './log-errors';
import type { EpochEndOffset, LeaderEpochCacheView, LeaderEpochFileCache } from './leader-epoch-cache';
import { checkFitsInSegment, checkOffsetsIncrease, epochStartsOf, prepareLeaderRecords, splitIntoSegmentRuns } from './append-batches';
import { CLEANED_FILE_SUFFIX, DELETED_FILE_SUFFIX, SWAP_FILE_SUFFIX } from './log-file-names';
import { LocalLog, type LocalLogOptions } from './local-log';
import { fsyncDir } from './atomic-file';
import { loadLog, segmentOptions } from './log-loader';
import { LogSegment, type TimestampAndOffset } from './log-segment';
import type { LogAppendInfo, LogReadInfo } from './log-types';
import { lookupOffsetByTimestamp } from './log-offset-lookup';
import { readFromSegments } from './log-read';
import { retentionRules, type DeletionPlan } from './log-retention';
import type { ProducerStateManager } from './producer-state-manager';
import { firstOffsetOf } from './producer-state-entry';
import { rebuildProducerState } from './producer-state-recovery';

export { ListOffsetsTimestamp, type LogAppendInfo, type LogReadInfo } from './log-types';

/** What a Log is built from (see Log.load). */
export interface LogOptions extends LocalLogOptions {
  /** The leader epoch cache's logger (Kafka's `[LeaderEpochCache topic-partition]`); default `logger`. */
  leaderEpochCacheLogger?: Logger;
  /** producer.id.expiration.ms: producers of a snapshot idle for longer are not loaded (default: all are). */
  producerIdExpirationMs?: number;
}

/** A partition's log; see the file comment. Create with Log.load (or LogManager.getOrCreateLog). */
export class Log extends LocalLog {
  private lso: number;
  private hw: number;
  private readonly epochCache: LeaderEpochFileCache;
  private readonly producerState: ProducerStateManager;

  private constructor(
    opts: LogOptions,
    state: {
      segments: LogSegment[];
      logStartOffset: number;
      logEndOffset: number;
      recoveryPoint: number;
      leaderEpochCache: LeaderEpochFileCache;
      producerStateManager: ProducerStateManager;
    },
  ) {
    super(opts, state);
    this.lso = state.logStartOffset;
    this.hw = state.logStartOffset;
    this.epochCache = state.leaderEpochCache;
    this.producerState = state.producerStateManager;
  }

  /**
   * Loads the log in `opts.dir` (which must exist), recovering it after an unclean shutdown, and
   * sets its high watermark from the checkpoint (clamped to the log).
   */
  static async load(
    opts: LogOptions & { hadCleanShutdown: boolean; recoveryPoint?: number; logStartOffset?: number; highWatermark?: number },
  ): Promise<Log> {
    const state = await loadLog({
      dir: opts.dir,
      config: opts.config,
      hadCleanShutdown: opts.hadCleanShutdown,
      recoveryPoint: opts.recoveryPoint ?? 0,
      logStartOffset: opts.logStartOffset ?? 0,
      now: opts.now(),
      logger: opts.logger,
      leaderEpochCacheLogger: opts.leaderEpochCacheLogger,
      producerIdExpirationMs: opts.producerIdExpirationMs,
    });
    const log = new Log(opts, state);
    log.highWatermark = opts.highWatermark ?? 0;
    return log;
  }

  get logStartOffset(): number {
    return this.lso;
  }

  /** The high watermark; setting it clamps it to [logStartOffset, logEndOffset], as Kafka's updateHighWatermark. */
  get highWatermark(): number {
    return this.hw;
  }

  set highWatermark(offset: number) {
    this.hw = Math.min(Math.max(offset, this.lso), this.leo);
  }

  /** The leader epoch cache, for reading (the log keeps it in step with its data). */
  get leaderEpochCache(): LeaderEpochCacheView {
    return this.epochCache;
  }

  /** The idempotent producers' state (for reading; the log keeps it in step with its data). */
  get producerStateManager(): Pick<ProducerStateManager, 'activeProducers' | 'lastEntry' | 'mapEndOffset' | 'snapshotOffsets' | 'latestSnapshotOffset'> {
    return this.producerState;
  }

  /** Forgets producers idle for producer.id.expiration.ms (Kafka's scheduled removeExpiredProducers). */
  removeExpiredProducers(now: number, expirationMs: number): Promise<number> {
    return this.mutate('removing expired producers', async () => this.producerState.removeExpiredProducers(now, expirationMs));
  }

  /** The latest leader epoch in the leader epoch cache; undefined when the cache is empty. */
  latestEpoch(): number | undefined {
    return this.epochCache.latestEpoch();
  }

  /**
   * OffsetsForLeaderEpoch (KIP-101/279): the end offset of `leaderEpoch` on this log and the largest
   * epoch <= it that the log knows, by the rules of LeaderEpochFileCache.endOffsetFor with the log
   * end offset for the latest epoch; { epoch: -1, endOffset: -1 } (UNDEFINED_EPOCH and
   * UNDEFINED_EPOCH_OFFSET) when there is no answer.
   */
  endOffsetForEpoch(leaderEpoch: number): EpochEndOffset {
    return this.epochCache.endOffsetFor(leaderEpoch, this.leo);
  }

  /**
   * Records that `leaderEpoch` starts at `startOffset` (Kafka's maybeAssignEpochStartOffset): a new
   * leader calls it with its log end offset on election, before appending anything, so that
   * followers asking for the previous epoch get its true end.
   */
  maybeAssignEpochStartOffset(leaderEpoch: number, startOffset: number): Promise<void> {
    return this.mutate('assigning a leader epoch start offset', () => this.epochCache.assign(leaderEpoch, startOffset));
  }

  /**
   * Appends a producer's (or a coordinator's) records: validates them, re-encodes them if the topic's
   * compression.type asks for another codec, assigns offsets from the log end offset with the leader
   * epoch (which the leader epoch cache records at the first offset, unless negative), stamps
   * LogAppendTime if the topic uses it, rolls if needed and writes. Validation and
   * re-encoding happen before the append queue; only offset assignment and the write are serialised.
   * Throws the KafkaError of a failed validation (with recordErrors).
   */
  async appendAsLeader(
    records: Buffer,
    opts: { leaderEpoch: number; now?: number; origin?: Exclude<AppendOrigin, 'replication'> },
  ): Promise<LogAppendInfo> {
    this.checkUsable();
    const config = this.config;
    const prepared = await prepareLeaderRecords(records, {
      config,
      now: opts.now ?? this.now(),
      origin: opts.origin ?? 'client',
      topicPartition: this.name,
    });
    records = prepared.records;
    const valid = prepared.valid;
    return this.append('appending', async () => {
      const now = opts.now ?? this.now();
      checkFitsInSegment(records.length, { segmentBytes: config.segmentBytes, topicPartition: this.name });
      const logAppendTimeTopic = config.messageTimestampType === TimestampType.LogAppendTime;
      const firstOffset = this.leo;
      const lastOffset = assignOffsets(records, firstOffset, {
        partitionLeaderEpoch: opts.leaderEpoch,
        logAppendTime: logAppendTimeTopic ? now : undefined,
      });
      if (!logAppendTimeTopic && valid.compression === CompressionType.none) {
        // As Kafka's LogValidator: the batch header carries the max timestamp found in its records.
        new RecordBatchView(records, 0).setMaxTimestamp(valid.maxTimestamp, { logAppendTime: false });
      }
      const maxTimestamp = logAppendTimeTopic ? now : valid.maxTimestamp;
      const offsetOfMaxTimestamp = logAppendTimeTopic ? lastOffset : firstOffset + Math.max(0, valid.offsetOfMaxTimestamp);
      // Throws INVALID_PRODUCER_EPOCH / OUT_OF_ORDER_SEQUENCE_NUMBER before anything changes.
      const producers = this.producerState.analyzeAppend(records, opts.origin ?? 'client');
      if (producers.duplicate) {
        const d = producers.duplicate;
        // As Kafka's UnifiedLog.append: the original batch's offsets, its timestamp as the append time.
        return { ...emptyAppend(firstOffsetOf(d), this.lso), lastOffset: d.lastOffset, logAppendTime: d.timestamp, maxTimestamp: d.timestamp };
      }
      // Batches without an epoch (-1) are written as they are; Kafka would refuse them.
      if (opts.leaderEpoch >= 0) await this.epochCache.assign(opts.leaderEpoch, firstOffset);
      await this.writeLocked(records, { firstOffset, lastOffset, maxTimestamp, offsetOfMaxTimestamp, now });
      this.producerState.update(producers.updates.values());
      this.producerState.updateMapEndOffset(lastOffset + 1);
      return {
        firstOffset,
        lastOffset,
        logAppendTime: logAppendTimeTopic ? now : -1,
        logStartOffset: this.lso,
        recordCount: valid.recordCount,
        maxTimestamp,
        offsetOfMaxTimestamp,
        validBytes: records.length,
        shallowCount: valid.shallowCount,
      };
    });
  }

  /**
   * Appends batches a follower fetched from the leader (any number of them): offsets and epochs are
   * kept. The batches are checked (offsets strictly increasing, else OffsetsOutOfOrderError; size,
   * magic and CRC, else the KafkaError of the failed check) and a trailing partial batch is dropped.
   * A first offset below the log end offset throws UnexpectedAppendOffsetError. Each batch's
   * partitionLeaderEpoch goes into the leader epoch cache before the data is written. Segments roll
   * as for leader appends; see append-batches.ts for appends larger than segment.bytes.
   */
  appendAsFollower(records: Buffer): Promise<LogAppendInfo> {
    return this.append('appending as follower', async () => {
      const now = this.now();
      checkOffsetsIncrease(records, { topicPartition: this.name });
      const v = validateRecords(records, { origin: 'replication', maxMessageBytes: this.config.maxMessageBytes, topicPartition: this.name });
      if (!v.ok) throw toAppendError(v);
      const data = records.subarray(0, v.validBytes);
      const info: LogAppendInfo = {
        firstOffset: v.firstOffset,
        lastOffset: v.lastOffset,
        logAppendTime: -1,
        logStartOffset: this.lso,
        recordCount: v.recordCount,
        maxTimestamp: v.maxTimestamp,
        offsetOfMaxTimestamp: v.firstOffset + Math.max(0, v.offsetOfMaxTimestamp),
        validBytes: data.length,
        shallowCount: v.shallowCount,
      };
      if (data.length === 0) return info;
      if (v.firstOffset < this.leo) {
        throw new UnexpectedAppendOffsetError(
          `Unexpected offset in append to ${this.name}. First offset ${v.firstOffset} is less than the next offset ${this.leo}. ` +
            `First 10 offsets in append: ${[...batches(data)].slice(0, 10).map((b) => b.baseOffset).join(', ')}, last offset in append: ${v.lastOffset}. ` +
            `Log start offset = ${this.lso}`,
          { firstOffset: v.firstOffset, lastOffset: v.lastOffset },
        );
      }
      const runs = splitIntoSegmentRuns(data, { segmentBytes: this.config.segmentBytes, topicPartition: this.name });
      await this.epochCache.assignAll(epochStartsOf(data));
      for (const run of runs) {
        await this.writeLocked(run.records, { ...run, now });
        this.producerState.loadBatches(run.records);
        this.producerState.updateMapEndOffset(run.lastOffset + 1);
      }
      return info;
    });
  }

  /**
   * Reads whole batches from `fetchOffset` on, found through the offset index: at most `maxBytes`
   * (but at least one batch when `minOneMessage`), only batches whose offsets are all below
   * `maxOffset` (exclusive, e.g. the high watermark). Reads one segment, like Kafka (log-read.ts).
   * Throws OffsetOutOfRangeError outside [logStartOffset, logEndOffset].
   */
  async read(fetchOffset: number, opts: { maxBytes: number; maxOffset?: number; minOneMessage: boolean }): Promise<LogReadInfo> {
    this.checkUsable();
    const endOffset = this.leo;
    const result: LogReadInfo = {
      records: [],
      firstOffset: fetchOffset,
      nextOffset: fetchOffset,
      highWatermark: this.hw,
      logStartOffset: this.lso,
      logEndOffset: endOffset,
    };
    if (fetchOffset > endOffset || fetchOffset < this.lso) {
      throw new OffsetOutOfRangeError(
        `Received request for offset ${fetchOffset} for partition ${this.name}, but we only have log segments in the range ${this.lso} to ${endOffset}.`,
      );
    }
    const maxOffset = Math.min(opts.maxOffset ?? endOffset, endOffset);
    if (fetchOffset >= maxOffset) return result;
    const read = await readFromSegments(fetchOffset, {
      maxBytes: opts.maxBytes,
      maxOffset,
      minOneMessage: opts.minOneMessage,
      log: this.segmentsForRead,
    });
    return { ...result, ...read };
  }

  /**
   * ListOffsets for `timestamp` (see log-offset-lookup.ts): -1 latest, -2 earliest, -3 max timestamp,
   * -4 earliest local, -5 latest tiered, else the first record with a timestamp >= it; null if none.
   * The leader epoch comes from the leader epoch cache (KIP-279, as ListOffsets v4+ reports it).
   */
  fetchOffsetByTimestamp(timestamp: number): Promise<TimestampAndOffset | null> {
    this.checkUsable();
    return lookupOffsetByTimestamp(timestamp, {
      segments: [...this.segments],
      logStartOffset: this.lso,
      logEndOffset: this.leo,
      leaderEpochCache: this.epochCache,
      withSegment: (segment, fn) => this.withSegment(segment, fn),
    });
  }

  /**
   * Removes everything at and after `targetOffset` (follower truncation) and the leader epoch
   * entries that started there. When the log ends at or before it only the epoch cache is truncated
   * to the log end (an epoch this broker assigned as leader may have no data). Returns whether
   * anything was removed from the log.
   */
  truncateTo(targetOffset: number): Promise<boolean> {
    if (targetOffset < 0) return Promise.reject(new RangeError(`Cannot truncate partition ${this.name} to a negative offset (${targetOffset}).`));
    return this.mutate('truncating', async () => {
      if (targetOffset >= this.leo) {
        await this.epochCache.truncateFromEnd(this.leo);
        return false;
      }
      this.logger.info(`Truncating to offset ${targetOffset}`);
      this.truncations++;
      if (this.segments[0].baseOffset > targetOffset) {
        await this.truncateFullyAndStartAtLocked(targetOffset);
        this.emit('truncate', this.leo);
        return true;
      }
      const doomed = this.segments.filter((s) => s.baseOffset > targetOffset);
      await this.removeAndDeleteSegments(doomed, 'truncation');
      const { nextOffset } = await this.activeSegment.truncateTo(targetOffset, this.now());
      this.leo = nextOffset;
      this.recovery = Math.min(this.recovery, this.leo);
      this.lso = Math.min(this.lso, this.leo);
      this.hw = Math.min(this.hw, this.leo);
      // The log end may fall below the target (whole batches go), so truncate the epochs to it.
      await this.epochCache.truncateFromEnd(this.leo);
      await this.rebuildProducerStateLocked();
      this.emit('truncate', this.leo);
      return true;
    });
  }

  /**
   * Deletes every segment and starts an empty log at `newOffset`, clearing the leader epoch cache
   * (Kafka's truncateFullyAndStartAt).
   */
  truncateFullyAndStartAt(newOffset: number): Promise<void> {
    return this.mutate('truncating fully', async () => {
      this.truncations++;
      await this.truncateFullyAndStartAtLocked(newOffset);
      this.emit('truncate', this.leo);
    });
  }

  private async truncateFullyAndStartAtLocked(newOffset: number): Promise<void> {
    this.logger.info(`Truncate and start at offset ${newOffset}`);
    await this.removeAndDeleteSegments([...this.segments], 'truncation');
    this.segments.push(await LogSegment.create(this.dir, newOffset, segmentOptions(this.config, this.now())));
    this.leo = newOffset;
    this.lso = newOffset;
    this.recovery = newOffset;
    this.hw = newOffset;
    await this.epochCache.clear();
    await this.producerState.truncateFullyAndStartAt(newOffset);
  }

  /** Reloads the producer state from the latest snapshot below the log end and replays the log after it. */
  private async rebuildProducerStateLocked(): Promise<void> {
    await rebuildProducerState(this.producerState, {
      segments: this.segments,
      logStartOffset: this.lso,
      logEndOffset: this.leo,
      reloadFromCleanShutdown: false,
      now: this.now(),
      logger: this.logger,
    });
  }

  /**
   * Deletes old segments by the rules of log-retention.ts (log start offset breach, then with
   * cleanup.policy=delete retention.bytes and retention.ms); the log start offset moves to the first
   * remaining segment. When every segment qualifies, a new empty active segment is rolled first, so
   * the active segment itself is never deleted. Returns how many segments went.
   */
  deleteOldSegments(): Promise<number> {
    return this.mutate('deleting old segments', async () => {
      let deleted = 0;
      for (const rule of retentionRules(this.config)) {
        deleted += await this.deleteSegmentsLocked(
          rule({
            segments: this.segments,
            logStartOffset: this.lso,
            logEndOffset: this.leo,
            highWatermark: this.hw,
            config: this.config,
            now: this.now(),
          }),
        );
      }
      return deleted;
    });
  }

  private async deleteSegmentsLocked(plan: DeletionPlan): Promise<number> {
    const deletable = plan.segments;
    if (deletable.length === 0) return 0;
    if (deletable.length === this.segments.length) await this.rollLocked();
    for (const s of deletable) {
      this.logger.info(
        `Deleting segment LogSegment(baseOffset=${s.baseOffset}, size=${s.size}, lastModifiedTime=${s.lastModified}, ` +
          `largestRecordTimestamp=${s.maxTimestampSoFar}) due to ${plan.reason(s)}`,
      );
    }
    await this.removeAndDeleteSegments(deletable, 'retention');
    await this.producerState.deleteSnapshotsAt(deletable.map((s) => s.baseOffset));
    const newStart = this.segments[0].baseOffset;
    if (newStart > this.lso) {
      this.logger.info(`Incremented log start offset to ${newStart} due to segment deletion`);
      this.lso = newStart;
      this.hw = Math.max(this.hw, this.lso);
      await this.epochCache.truncateFromStart(this.lso);
      this.producerState.onLogStartOffsetIncremented(this.lso);
    }
    return deletable.length;
  }

  /**
   * Swaps a cleaned segment (files named `<base>.log.cleaned` etc., flushed) in for `oldSegments`,
   * consecutive inactive segments whose first has the cleaned segment's base offset, as Kafka's
   * LocalLog.replaceSegments: the cleaned files are renamed to `.swap` (from then on a restart
   * completes the swap), the old segments leave the log and are renamed to `.deleted` (removed
   * file.delete.delay.ms later, after any read holding them), then the `.swap` suffix is dropped.
   * Throws LogCleaningAbortedError, changing nothing, when the log was truncated since
   * `expectedTruncationCount` or an old segment is no longer in the log (retention, closing).
   */
  replaceSegments(cleaned: LogSegment, oldSegments: readonly LogSegment[], opts: { expectedTruncationCount: number }): Promise<void> {
    return this.mutate('replacing segments', async () => {
      const first = this.segments.indexOf(oldSegments[0]);
      const consecutive = first >= 0 && oldSegments.every((s, i) => this.segments[first + i] === s);
      if (this.truncations !== opts.expectedTruncationCount || !consecutive || first + oldSegments.length >= this.segments.length) {
        throw new LogCleaningAbortedError(`The segments of ${this.name} changed while they were being cleaned`);
      }
      if (cleaned.baseOffset !== oldSegments[0].baseOffset) {
        throw new RangeError(`A cleaned segment at ${cleaned.baseOffset} cannot replace segments starting at ${oldSegments[0].baseOffset}`);
      }
      await cleaned.replaceFileSuffix(CLEANED_FILE_SUFFIX, SWAP_FILE_SUFFIX);
      await fsyncDir(this.dir);
      this.segments = [...this.segments.slice(0, first), cleaned, ...this.segments.slice(first + oldSegments.length)];
      for (const s of oldSegments) {
        await s.changeFileSuffixes(DELETED_FILE_SUFFIX);
        this.deleting.add(s);
      }
      await cleaned.replaceFileSuffix(SWAP_FILE_SUFFIX, '');
      await fsyncDir(this.dir);
      this.scheduleFileDeletion([...oldSegments], 'cleaning');
      // As UnifiedLog.replaceSegments: the producer snapshots taken when the merged-away segments were
      // rolled go with them (the one at the cleaned segment's base offset stays).
      await this.producerState.deleteSnapshotsAt(oldSegments.slice(1).map((s) => s.baseOffset));
    });
  }

  /**
   * Moves the log start offset forward (DeleteRecords) and truncates the leader epoch cache from
   * it; segments below it are deleted by the next retention run. Throws OffsetOutOfRangeError beyond
   * the high watermark.
   */
  maybeIncrementLogStartOffset(offset: number): Promise<void> {
    return this.mutate('incrementing the log start offset', async () => {
      if (offset > this.hw) {
        throw new OffsetOutOfRangeError(
          `Cannot increment the log start offset to ${offset} of partition ${this.name} since it is larger than the high watermark ${this.hw}`,
        );
      }
      if (offset > this.lso) {
        this.logger.info(`Incremented log start offset to ${offset} due to client delete records request`);
        this.lso = offset;
        await this.epochCache.truncateFromStart(offset);
      }
    });
  }

  /** A snapshot at the new segment's base offset: recovery then starts there and scans only this segment. */
  protected override async onRoll(newOffset: number): Promise<void> {
    this.producerState.updateMapEndOffset(newOffset);
    await this.producerState.takeSnapshot({ sync: false });
  }

  /** Kafka's close: a producer state snapshot at the log end, so the next load replays nothing. */
  protected override async beforeClose(): Promise<void> {
    try {
      this.producerState.updateMapEndOffset(this.leo);
      await this.producerState.takeSnapshot({ sync: true });
    } catch (err) {
      this.logger.error(`Error writing the producer state snapshot of ${this.name} at close`, err);
    }
  }
}

/** The LogAppendInfo of an append that wrote nothing, at `offset`. */
function emptyAppend(offset: number, logStartOffset: number): LogAppendInfo {
  return {
    firstOffset: offset,
    lastOffset: offset - 1,
    logAppendTime: -1,
    logStartOffset,
    recordCount: 0,
    maxTimestamp: -1,
    offsetOfMaxTimestamp: -1,
    validBytes: 0,
    shallowCount: 0,
  };
}
