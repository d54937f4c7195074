/**
 * One cleaner thread's cleaning of a compacted log (Kafka's Cleaner: doClean, buildOffsetMap,
 * groupSegmentsBySize, cleanSegments, cleanInto, shouldRetainRecord; Kafka 3.x with KIP-534's delete
 * horizon):
 *
 * 1. Map: every keyed record of the dirty section [first dirty offset, first uncleanable offset) goes
 *    into the key → latest offset map, until the map is as full as log.cleaner.io.buffer.load.factor
 *    allows; the cleaning then covers the log up to the last offset mapped (the end offset, which
 *    becomes the new cleaner checkpoint).
 * 2. Copy: the segments below the end offset, in groups that fit one segment (segment.bytes, the
 *    index size and int32 relative offsets), are copied into a `.cleaned` segment keeping a record
 *    only if no later offset of its key is in the map, and a tombstone only until its batch's delete
 *    horizon (set to now + delete.retention.ms the first time it is cleaned). Records without a key
 *    are dropped, as Kafka does. Offsets never change: batches keep their base and last offsets.
 *    The last batch of each producer in the log's producer state is kept even when none of its
 *    records stay, as an empty batch with its producer id, epoch and sequences (active-producers.ts,
 *    KAFKA-5490): a producer state rebuilt from the cleaned log still continues its sequence.
 * 3. Swap: the copy is flushed and swapped in for the group (Log.replaceSegments), crash-safely.
 *
 * The work is done in chunks of the thread's I/O buffer, with a yield to the event loop after each,
 * so request handling is never blocked for long; reads and writes go through the shared throttle.
 * A cleaning is aborted (LogCleaningAbortedError) when the thread stops, the partition's cleaning is
 * aborted, the log is closed or truncated, or a segment it reads is deleted.
 */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Logger } from '../../common/logger';
import { batches, batchSizeAt, RECORD_BATCH_OVERHEAD, type RecordBatchView, validBytes } from '../../protocol/records/record-batch';
import { decodeRecords } from '../../protocol/records/record-batch-builder';
import type { DecodedRecord } from '../../protocol/records/record';
import type { Log } from '../log';
import { LogCleaningAbortedError } from '../log-errors';
import { CLEANED_FILE_SUFFIX } from '../log-file-names';
import { segmentOptions } from '../log-loader';
import { LogSegment } from '../log-segment';
import { type LastRecord, lastRecordsOfActiveProducers, producerBatchRetention } from './active-producers';
import { CleanerStats } from './cleaner-stats';
import { type LogToClean, segmentsInRange } from './log-to-clean';
import type { SkimpyOffsetMap } from './offset-map';
import { filterTo, RECORDS_PER_SLICE } from './record-filter';
import { deleteHorizonOf } from './retained-batch';
import type { Throttler } from './throttler';

/** A log the cleaner cannot process (corrupt data); the partition is then left alone. */
export class LogCleaningError extends Error {
  override readonly name = 'LogCleaningError';
}

/** What a Cleaner is built from. */
export interface CleanerOptions {
  id: number;
  offsetMap: SkimpyOffsetMap;
  /** Bytes read from a segment at a time (a larger batch is read whole). */
  ioBufferSize: number;
  /** `log.cleaner.io.buffer.load.factor`. */
  dupBufferLoadFactor: number;
  throttler: Throttler;
  now: () => number;
  /** The `kafka.log.LogCleaner` logger; lines get Kafka's `Cleaner <id>: ` prefix. */
  logger: Logger;
  /** Throws LogCleaningAbortedError when the cleaning of `log` must stop. */
  checkDone: (log: Log) => void;
}

/** Java's Date.toString (`Thu Jan 01 00:00:00 UTC 1970`), as Kafka's cleaner prints horizons. */
export function javaDateString(ms: number): string {
  const d = new Date(ms);
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const pad = (n: number) => String(n).padStart(2, '0');
  const zone = new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' }).formatToParts(d).find((p) => p.type === 'timeZoneName')?.value ?? 'UTC';
  return `${days[d.getDay()]} ${months[d.getMonth()]} ${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())} ${zone} ${d.getFullYear()}`;
}

/** Kafka's UnifiedLog.toString. */
function describeLog(log: Log): string {
  return (
    `UnifiedLog(dir=${log.dir}, topic=${log.topic}, partition=${log.partition}, highWatermark=${log.highWatermark}, ` +
    `lastStableOffset=${log.highWatermark}, logStartOffset=${log.logStartOffset}, logEndOffset=${log.logEndOffset})`
  );
}

const INT32_MAX = 2147483647;

/**
 * Kafka's groupSegmentsBySize: consecutive segments whose logs and indexes together fit one segment
 * and whose offsets fit int32 offsets relative to the group's first.
 */
export function groupSegmentsBySize(
  segments: readonly LogSegment[],
  opts: { maxSize: number; maxIndexSize: number; firstUncleanableOffset: number },
): LogSegment[][] {
  const groups: LogSegment[][] = [];
  let i = 0;
  while (i < segments.length) {
    const group = [segments[i]];
    let logSize = segments[i].size;
    let indexSize = segments[i].offsetIndex.sizeInBytes;
    let timeIndexSize = segments[i].timeIndex.sizeInBytes;
    i++;
    while (i < segments.length) {
      const next = segments[i];
      const lastOffsetOfNext = i + 1 < segments.length ? segments[i + 1].baseOffset - 1 : opts.firstUncleanableOffset - 1;
      const fits =
        logSize + next.size <= opts.maxSize &&
        indexSize + next.offsetIndex.sizeInBytes <= opts.maxIndexSize &&
        timeIndexSize + next.timeIndex.sizeInBytes <= opts.maxIndexSize &&
        (next.size === 0 || lastOffsetOfNext - group[0].baseOffset <= INT32_MAX);
      if (!fits) break;
      group.push(next);
      logSize += next.size;
      indexSize += next.offsetIndex.sizeInBytes;
      timeIndexSize += next.timeIndex.sizeInBytes;
      i++;
    }
    groups.push(group);
  }
  return groups;
}

/** One thread's cleaner; see the file comment. */
export class Cleaner {
  readonly id: number;
  private readonly map: SkimpyOffsetMap;
  private readonly ioBufferSize: number;
  private readonly dupBufferLoadFactor: number;
  private readonly throttler: Throttler;
  private readonly now: () => number;
  private readonly logger: Logger;
  private readonly checkDone: (log: Log) => void;
  /** The truncation count of the log being cleaned when its cleaning started. */
  private truncationCount = 0;

  constructor(opts: CleanerOptions) {
    this.id = opts.id;
    this.map = opts.offsetMap;
    this.ioBufferSize = Math.max(opts.ioBufferSize, RECORD_BATCH_OVERHEAD);
    this.dupBufferLoadFactor = opts.dupBufferLoadFactor;
    this.throttler = opts.throttler;
    this.now = opts.now;
    this.logger = opts.logger;
    this.checkDone = opts.checkDone;
  }

  private info(message: string): void {
    this.logger.info(`Cleaner ${this.id}: ${message}`);
  }

  /**
   * Cleans the log's cleanable section; returns the offset up to which it is now clean (the next
   * first dirty offset) and the statistics.
   */
  async clean(cleanable: LogToClean): Promise<{ endOffset: number; stats: CleanerStats }> {
    return this.doClean(cleanable, this.now());
  }

  /** Kafka's doClean, with the time used for delete horizons given. */
  async doClean(cleanable: LogToClean, currentTime: number): Promise<{ endOffset: number; stats: CleanerStats }> {
    const { log } = cleanable;
    this.truncationCount = cleanable.truncationCount;
    this.info(`Beginning cleaning of log ${log.name}`);
    const segments = log.logSegments();
    // Only used for old-format records in Kafka; printed as Kafka does.
    const lastClean = segmentsInRange(segments, { from: 0, to: cleanable.firstDirtyOffset }).at(-1);
    const legacyDeleteHorizonMs = lastClean === undefined ? 0 : lastClean.lastModified - log.config.deleteRetentionMs;
    const stats = new CleanerStats(this.now);

    this.info(`Building offset map for ${log.name}...`);
    const upperBoundOffset = cleanable.firstUncleanableOffset;
    await this.buildOffsetMap(log, { start: cleanable.firstDirtyOffset, end: upperBoundOffset, segments, stats });
    const endOffset = this.map.latestOffset + 1;
    stats.indexDone();

    const cleanableHorizonMs = segmentsInRange(segments, { from: 0, to: cleanable.firstUncleanableOffset }).at(-1)?.lastModified ?? 0;
    this.info(
      `Cleaning log ${log.name} (cleaning prior to ${javaDateString(cleanableHorizonMs)}, discarding tombstones prior to upper bound ` +
        `deletion horizon ${javaDateString(legacyDeleteHorizonMs)})...`,
    );
    const groups = groupSegmentsBySize(segmentsInRange(segments, { from: 0, to: endOffset }), {
      maxSize: log.config.segmentBytes,
      maxIndexSize: log.config.segmentIndexBytes,
      firstUncleanableOffset: cleanable.firstUncleanableOffset,
    });
    for (const group of groups) {
      await this.cleanSegments(log, group, { currentTime, stats, legacyDeleteHorizonMs, truncationCount: cleanable.truncationCount });
    }
    stats.bufferUtilization = this.map.utilization;
    stats.allDone();
    return { endOffset, stats };
  }

  /** checkDone, and an abort when the log was truncated since the cleaning started. */
  private checkStillValid(log: Log): void {
    this.checkDone(log);
    if (log.truncationCount !== this.truncationCount) throw new LogCleaningAbortedError(`${log.name} was truncated during cleaning`);
  }

  /** Reads a chunk of whole batches (at least one) of `segment` from `position`, holding the segment open. */
  private async readChunk(log: Log, segment: LogSegment, position: number, limit: number): Promise<Buffer> {
    this.checkStillValid(log);
    if (!segment.tryRetain()) throw new LogCleaningAbortedError(`Segment ${segment.baseOffset} of ${log.name} was removed during cleaning`);
    try {
      let chunk = await segment.log.read(position, Math.min(this.ioBufferSize, limit - position));
      const first = batchSizeAt(chunk, 0);
      if (first > chunk.length && first <= limit - position) chunk = await segment.log.read(position, first);
      if (validBytes(chunk) === 0) {
        this.checkStillValid(log); // a truncation cuts segments short: that is an abort, not corruption
        throw new LogCleaningError(`Found no valid record batch at position ${position} of segment ${segment.baseOffset} of ${log.name}`);
      }
      return chunk;
    } finally {
      segment.release();
    }
  }

  /** Kafka's buildOffsetMap over the dirty segments in [start, end). */
  async buildOffsetMap(log: Log, opts: { start: number; end: number; segments: readonly LogSegment[]; stats: CleanerStats }): Promise<void> {
    this.map.clear();
    const dirty = segmentsInRange(opts.segments, { from: opts.start, to: opts.end });
    this.info(`Building offset map for log ${log.name} for ${dirty.length} segments in offset range [${opts.start}, ${opts.end}).`);
    for (let i = 0; i < dirty.length; i++) {
      this.checkStillValid(log);
      const nextSegmentStartOffset = i + 1 < dirty.length ? dirty[i + 1].baseOffset : opts.end;
      const full = await this.buildOffsetMapForSegment(log, dirty[i], { startOffset: opts.start, nextSegmentStartOffset, stats: opts.stats });
      if (full) {
        this.logger.debug(`Cleaner ${this.id}: Offset map is full, ${i} segments fully mapped, segment with base offset ${dirty[i].baseOffset} is partially mapped`);
        break;
      }
    }
    this.info(`Offset map for log ${log.name} complete.`);
  }

  /** Maps the keys of one segment from `startOffset`; true when the map filled up. */
  private async buildOffsetMapForSegment(
    log: Log,
    segment: LogSegment,
    opts: { startOffset: number; nextSegmentStartOffset: number; stats: CleanerStats },
  ): Promise<boolean> {
    const { startOffset, stats } = opts;
    if (!segment.tryRetain()) throw new LogCleaningAbortedError(`Segment ${segment.baseOffset} of ${log.name} was removed during cleaning`);
    let position: number;
    try {
      position = (await segment.offsetIndex.lookup(startOffset)).position;
    } finally {
      segment.release();
    }
    const limit = segment.size;
    const maxDesiredMapSize = Math.floor(this.map.slots * this.dupBufferLoadFactor);
    let sinceYield = 0;
    while (position < limit) {
      const chunk = await this.readChunk(log, segment, position, limit);
      await this.throttler.maybeThrottle(chunk.length);
      for (const batch of batches(chunk)) {
        if (batch.isControl) {
          stats.indexMessagesRead(1);
        } else {
          for (const record of await decodeRecords(batch)) {
            if (record.key !== null && record.offset >= startOffset) {
              if (this.map.size >= maxDesiredMapSize) return true;
              this.map.put(record.key, record.offset);
            }
            stats.indexMessagesRead(1);
            if (++sinceYield >= RECORDS_PER_SLICE) {
              sinceYield = 0;
              await yieldToEventLoop();
            }
          }
        }
        if (batch.lastOffset >= startOffset) this.map.updateLatestOffset(batch.lastOffset);
      }
      const read = validBytes(chunk);
      position += read;
      stats.indexBytesRead(read);
      await yieldToEventLoop();
    }
    // Offsets may have gaps (an earlier cleaning): the segment is mapped up to the next one.
    this.map.updateLatestOffset(opts.nextSegmentStartOffset - 1);
    return false;
  }

  /** Kafka's cleanSegments: copies a group into one `.cleaned` segment and swaps it in. */
  async cleanSegments(
    log: Log,
    segments: readonly LogSegment[],
    opts: { currentTime: number; stats: CleanerStats; legacyDeleteHorizonMs: number; truncationCount: number },
  ): Promise<void> {
    const cleaned = await LogSegment.create(log.dir, segments[0].baseOffset, { ...segmentOptions(log.config, this.now()), fileSuffix: CLEANED_FILE_SUFFIX });
    // Taken once per group, as Kafka's cleanSegments: appends during the copy do not move the decisions.
    const lastRecords = lastRecordsOfActiveProducers(log.producerStateManager.activeProducers);
    try {
      for (const current of segments) {
        const retainDeletes = current.lastModified > opts.legacyDeleteHorizonMs;
        this.info(
          `Cleaning ${current.toString()} in log ${log.name} into ${cleaned.baseOffset} with an upper bound deletion horizon ` +
            `${opts.legacyDeleteHorizonMs} computed from the segment last modified time of ${current.lastModified},` +
            `${retainDeletes ? 'retaining' : 'discarding'} deletes.`,
        );
        await this.cleanInto(log, current, cleaned, { ...opts, lastRecords });
      }
      await cleaned.onBecomeInactiveSegment();
      await cleaned.flush();
      await cleaned.setLastModified(segments[segments.length - 1].lastModified);
      this.info(`Swapping in cleaned segment ${cleaned.toString()} for segment(s) List(${segments.map((s) => s.toString()).join(', ')}) in log ${describeLog(log)}`);
      await log.replaceSegments(cleaned, segments, { expectedTruncationCount: opts.truncationCount });
    } catch (err) {
      // Until it is renamed to .swap the copy is ours to drop; after that the log (or the loader) owns it.
      if (cleaned.log.file.endsWith(CLEANED_FILE_SUFFIX)) {
        await cleaned.deleteIfExists().catch((e: unknown) => this.logger.warn(`Cleaner ${this.id}: Error deleting ${cleaned.log.file}`, e));
      }
      throw err;
    }
  }

  /**
   * Kafka's cleanInto: copies what stays of `source` into `dest`, keeping the batch that holds each
   * active producer's last data offset (`lastRecords`) even when it is left without records.
   */
  private async cleanInto(
    log: Log,
    source: LogSegment,
    dest: LogSegment,
    opts: { currentTime: number; stats: CleanerStats; lastRecords: ReadonlyMap<number, LastRecord> },
  ): Promise<void> {
    const { stats, currentTime, lastRecords } = opts;
    const filter = {
      currentTime,
      deleteRetentionMs: log.config.deleteRetentionMs,
      checkBatchRetention: (batch: RecordBatchView) => producerBatchRetention(batch, lastRecords),
      shouldRetainRecord: (batch: RecordBatchView, record: DecodedRecord) => this.shouldRetainRecord(batch, record, { stats, currentTime }),
    };
    const limit = source.size;
    let position = 0;
    while (position < limit) {
      const chunk = await this.readChunk(log, source, position, limit);
      await this.throttler.maybeThrottle(chunk.length);
      const result = await filterTo(chunk, filter, { topicPartition: log.name, maxRecordBatchSize: log.config.maxMessageBytes, logger: this.logger });
      stats.readMessages(result.messagesRead, result.bytesRead);
      stats.recopyMessages(result.messagesRetained, result.bytesRetained);
      position += result.bytesRead;
      if (result.output.length > 0) {
        await dest.appendBatches(result.output, this.now());
        await this.throttler.maybeThrottle(result.output.length);
      }
      await yieldToEventLoop();
    }
  }

  /**
   * Kafka's shouldRetainRecord: records past the mapped section stay; a keyed record stays if no
   * later offset of its key was mapped, a tombstone only until its batch's delete horizon.
   */
  private shouldRetainRecord(batch: RecordBatchView, record: DecodedRecord, opts: { stats: CleanerStats; currentTime: number }): boolean {
    if (record.offset > this.map.latestOffset) return true;
    if (record.key === null) {
      opts.stats.invalidMessage();
      return false;
    }
    const latestOffsetForKey = record.offset >= this.map.get(record.key);
    const horizon = deleteHorizonOf(batch);
    const retainDeletes = horizon === undefined || opts.currentTime < horizon;
    return latestOffsetForKey && (record.value !== null || retainDeletes);
  }
}
