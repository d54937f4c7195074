/**
 * One segment of a partition's log (Kafka's LogSegment): the `.log` file plus its `.index` and
 * `.timeindex`, all named by the segment's base offset. Appends add a sparse index entry whenever more
 * than `index.interval.bytes` have been written since the last one (the entry maps the append's last
 * offset to the position where the append started, as Kafka does). Lookups go through the offset index
 * and then scan batch headers forward from the indexed position.
 *
 * Reads may run concurrently with appends: a read only sees the bytes written when it started. A
 * segment that is deleted or truncated away is closed only when no read holds it (`retain`/`release`).
 */
import { decodeRecords } from '../protocol/records/record-batch-builder';
import { RecordBatchView, batches as batchesOf } from '../protocol/records/record-batch';
import { stat, utimes } from 'node:fs/promises';
import { BatchScanner, FileRecords } from './file-records';
import { logFile, offsetIndexFile, timeIndexFile } from './log-file-names';
import { LogSegmentOffsetOverflowError } from './log-errors';
import type { EpochEntry } from './leader-epoch-checkpoint';
import { type OffsetPosition, OffsetIndex } from './offset-index';
import { type TimestampOffset, TimeIndex } from './time-index';

/** Settings a segment takes from the topic config. */
export interface SegmentOptions {
  indexIntervalBytes: number;
  /** segment.index.bytes */
  maxIndexSize: number;
  /** Random jitter subtracted from segment.ms for this segment. */
  rollJitterMs: number;
  /** Preallocate the `.log` file to this many bytes (0 = no preallocation). */
  preallocateBytes?: number;
  /** Clock, for the segment's creation time. */
  now: number;
}

/** The batch holding an offset: its last offset, position and size. */
export interface LogOffsetPosition {
  offset: number;
  position: number;
  size: number;
  baseOffset: number;
  partitionLeaderEpoch: number;
}

/** Data read from a segment. */
export interface SegmentRead {
  /** Whole batches, one contiguous buffer (possibly empty). */
  records: Buffer;
  /** baseOffset of the first batch returned, or the requested offset if none. */
  firstOffset: number;
  /** Offset after the last batch returned, or the requested offset if none. */
  nextOffset: number;
}

/** Inputs of the roll decision (Kafka's RollParams). */
export interface RollParams {
  segmentBytes: number;
  segmentMs: number;
  now: number;
  maxTimestampInMessages: number;
  maxOffsetInMessages: number;
  messagesSize: number;
}

/** A timestamp/offset pair found by a search, with the leader epoch of its batch. */
export interface TimestampAndOffset {
  timestamp: number;
  offset: number;
  leaderEpoch: number;
}

/** One segment: `.log` + `.index` + `.timeindex`; see the file comment. */
export class LogSegment {
  readonly baseOffset: number;
  readonly log: FileRecords;
  readonly offsetIndex: OffsetIndex;
  readonly timeIndex: TimeIndex;
  private readonly indexIntervalBytes: number;
  private readonly rollJitterMs: number;
  private created: number;
  private rollingBasedTimestamp: number | undefined;
  private bytesSinceLastIndexEntry = 0;
  private maxTimestampAndOffset: TimestampOffset;
  /** Last modification time in ms (file mtime at open, then append time). */
  lastModified: number;
  private refs = 0;
  private idleWaiters: (() => void)[] = [];
  private closed = false;

  private constructor(
    baseOffset: number,
    files: { log: FileRecords; offsetIndex: OffsetIndex; timeIndex: TimeIndex },
    opts: SegmentOptions & { lastModified: number },
  ) {
    this.baseOffset = baseOffset;
    this.log = files.log;
    this.offsetIndex = files.offsetIndex;
    this.timeIndex = files.timeIndex;
    this.indexIntervalBytes = opts.indexIntervalBytes;
    this.rollJitterMs = opts.rollJitterMs;
    this.created = opts.now;
    this.lastModified = opts.lastModified;
    this.maxTimestampAndOffset = this.timeIndex.lastEntry;
  }

  /**
   * Creates a new, empty segment (replacing any files at that offset). With `fileSuffix` the three
   * files get it appended to their names (the cleaner's `.cleaned` segments).
   */
  static async create(dir: string, baseOffset: number, opts: SegmentOptions & { fileSuffix?: string }): Promise<LogSegment> {
    const suffix = opts.fileSuffix ?? '';
    // The cleaner's copies are not read at the log end: no tail cache for them.
    const log = await FileRecords.create(logFile(dir, baseOffset) + suffix, {
      preallocateBytes: opts.preallocateBytes,
      tailCacheBytes: suffix === '' ? undefined : 0,
    });
    const offsetIndex = await OffsetIndex.create(offsetIndexFile(dir, baseOffset) + suffix, baseOffset, { maxIndexSize: opts.maxIndexSize });
    const timeIndex = await TimeIndex.create(timeIndexFile(dir, baseOffset) + suffix, baseOffset, { maxIndexSize: opts.maxIndexSize });
    return new LogSegment(baseOffset, { log, offsetIndex, timeIndex }, { ...opts, lastModified: opts.now });
  }

  /**
   * Opens an existing segment. Its indexes are checked; when one is missing or corrupt the error
   * (ENOENT or CorruptIndexError) is passed to `onBadIndex`, new empty indexes are created, and the
   * caller must `recover()` the segment to rebuild them.
   */
  static async open(
    dir: string,
    baseOffset: number,
    opts: SegmentOptions & { onBadIndex: (err: unknown) => void },
  ): Promise<{ segment: LogSegment; needsRecovery: boolean }> {
    const log = await FileRecords.open(logFile(dir, baseOffset));
    const mtime = (await stat(log.file)).mtimeMs;
    let offsetIndex: OffsetIndex;
    let timeIndex: TimeIndex;
    let needsRecovery = false;
    try {
      offsetIndex = await OffsetIndex.open(offsetIndexFile(dir, baseOffset), baseOffset, {
        maxIndexSize: opts.maxIndexSize,
        logSize: log.size,
      });
      timeIndex = await TimeIndex.open(timeIndexFile(dir, baseOffset), baseOffset, { maxIndexSize: opts.maxIndexSize });
    } catch (err) {
      opts.onBadIndex(err);
      offsetIndex = await OffsetIndex.create(offsetIndexFile(dir, baseOffset), baseOffset, { maxIndexSize: opts.maxIndexSize });
      timeIndex = await TimeIndex.create(timeIndexFile(dir, baseOffset), baseOffset, { maxIndexSize: opts.maxIndexSize });
      needsRecovery = true;
    }
    const segment = new LogSegment(baseOffset, { log, offsetIndex, timeIndex }, { ...opts, lastModified: Math.floor(mtime) });
    return { segment, needsRecovery };
  }

  /** Bytes in the `.log` file. */
  get size(): number {
    return this.log.size;
  }

  /** The largest timestamp seen in this segment, -1 if none. */
  get maxTimestampSoFar(): number {
    return this.maxTimestampAndOffset.timestamp;
  }

  /** The offset at which maxTimestampSoFar was seen (a batch's last offset after recovery). */
  get offsetOfMaxTimestampSoFar(): number {
    return this.maxTimestampAndOffset.offset;
  }

  /** What retention compares against: the max timestamp, or the file's mtime when there is none. */
  get largestTimestamp(): number {
    return this.maxTimestampSoFar >= 0 ? this.maxTimestampSoFar : this.lastModified;
  }

  /** Marks the segment in use by a reader; close() waits for release(). False if already closed. */
  tryRetain(): boolean {
    if (this.closed) return false;
    this.refs++;
    return true;
  }

  release(): void {
    this.refs--;
    if (this.refs === 0) for (const wake of this.idleWaiters.splice(0)) wake();
  }

  /** Whether the segment was closed (a reader must look the segment up again). */
  get isClosed(): boolean {
    return this.closed;
  }

  /**
   * Appends batches whose offsets are already assigned. `largestOffset` is their last offset,
   * `largestTimestamp` their max timestamp and `offsetOfMaxTimestamp` where it was seen.
   */
  async append(
    records: Buffer,
    info: { largestOffset: number; largestTimestamp: number; offsetOfMaxTimestamp: number; now: number },
  ): Promise<void> {
    const { largestOffset, largestTimestamp, offsetOfMaxTimestamp, now } = info;
    if (records.length === 0) return;
    const physicalPosition = this.log.size;
    if (physicalPosition === 0) this.rollingBasedTimestamp = largestTimestamp;
    if (!this.offsetIndex.canAppendOffset(largestOffset)) {
      throw new LogSegmentOffsetOverflowError(
        `Detected offset overflow at offset ${largestOffset} in segment with base offset ${this.baseOffset}`,
      );
    }
    await this.log.append(records);
    this.lastModified = now;
    if (largestTimestamp > this.maxTimestampSoFar) {
      this.maxTimestampAndOffset = { timestamp: largestTimestamp, offset: offsetOfMaxTimestamp };
    }
    if (this.bytesSinceLastIndexEntry > this.indexIntervalBytes) {
      await this.offsetIndex.append(largestOffset, physicalPosition);
      await this.timeIndex.maybeAppend(this.maxTimestampSoFar, this.offsetOfMaxTimestampSoFar);
      this.bytesSinceLastIndexEntry = 0;
    }
    this.bytesSinceLastIndexEntry += records.length;
  }

  /**
   * Appends whole batches whose offsets are already assigned (the log cleaner's copies) in one write,
   * updating the max timestamp and the indexes batch by batch as if each batch had been appended
   * alone. Index entries are skipped once an index is full (lookups then scan further), since a
   * cleaned segment may gather more batches than the segments it replaces had index entries.
   */
  async appendBatches(records: Buffer, now: number): Promise<void> {
    if (records.length === 0) return;
    let position = this.log.size;
    const views = [...batchesOf(records)];
    for (const view of views) {
      if (!this.offsetIndex.canAppendOffset(view.lastOffset)) {
        throw new LogSegmentOffsetOverflowError(`Detected offset overflow at offset ${view.lastOffset} in segment with base offset ${this.baseOffset}`);
      }
    }
    if (position === 0 && views.length > 0) this.rollingBasedTimestamp = views[0].maxTimestamp;
    await this.log.append(records);
    this.lastModified = now;
    for (const view of views) {
      if (view.maxTimestamp > this.maxTimestampSoFar) this.maxTimestampAndOffset = { timestamp: view.maxTimestamp, offset: view.lastOffset };
      if (this.bytesSinceLastIndexEntry > this.indexIntervalBytes && !this.offsetIndex.isFull() && !this.timeIndex.isFull()) {
        await this.offsetIndex.append(view.lastOffset, position);
        await this.timeIndex.maybeAppend(this.maxTimestampSoFar, this.offsetOfMaxTimestampSoFar);
        this.bytesSinceLastIndexEntry = 0;
      }
      this.bytesSinceLastIndexEntry += view.sizeInBytes;
      position += view.sizeInBytes;
    }
  }

  /**
   * The first batch whose last offset is >= `offset`, searching from the index entry below it
   * (never from the start of the segment); null if no batch in this segment qualifies.
   */
  async translateOffset(offset: number, maxPosition: number = this.log.size): Promise<LogOffsetPosition | null> {
    const entry = await this.offsetIndex.lookup(offset);
    const scanner = new BatchScanner(this.log, { limit: maxPosition });
    let position = entry.position;
    for (;;) {
      const found = await scanner.at(position, false);
      if (found.status !== 'ok') return null;
      const view = found.view;
      const lastOffset = view.lastOffset;
      if (lastOffset >= offset) {
        return { offset: lastOffset, position, size: found.size, baseOffset: view.baseOffset, partitionLeaderEpoch: view.partitionLeaderEpoch };
      }
      position += found.size;
    }
  }

  /**
   * Reads whole batches starting with the one holding `startOffset`: at most `maxSize` bytes, but at
   * least the first batch when `minOneMessage`; only batches whose last offset is below `maxOffset`.
   * Returns null when no batch in this segment holds an offset >= startOffset.
   */
  async read(startOffset: number, opts: { maxSize: number; maxOffset?: number; minOneMessage: boolean }): Promise<SegmentRead | null> {
    const maxPosition = this.log.size; // only data complete when the read started
    const start = await this.translateOffset(startOffset, maxPosition);
    if (!start) return null;
    const empty = { records: Buffer.alloc(0), firstOffset: startOffset, nextOffset: startOffset };
    if (opts.maxOffset !== undefined && start.offset >= opts.maxOffset) return empty;
    const adjustedMaxSize = opts.minOneMessage ? Math.max(opts.maxSize, start.size) : opts.maxSize;
    const fetchSize = Math.min(maxPosition - start.position, adjustedMaxSize);
    if (fetchSize < start.size) return empty;
    const data = await this.log.read(start.position, fetchSize);
    // Keep whole batches below maxOffset.
    let end = 0;
    let nextOffset = startOffset;
    for (const batch of batchesOf(data)) {
      if (opts.maxOffset !== undefined && batch.lastOffset >= opts.maxOffset) break;
      end = batch.position + batch.sizeInBytes;
      nextOffset = batch.nextOffset;
    }
    if (end === 0) return empty;
    return { records: data.subarray(0, end), firstOffset: start.baseOffset, nextOffset };
  }

  /**
   * Rebuilds both indexes from the `.log` file and cuts the file at the first invalid batch (torn
   * write, bad size, magic or CRC, offsets going backwards or overflowing the segment), as Kafka's
   * LogSegment.recover. Returns the number of bytes cut and, as leaderEpochStarts does, where each
   * leader epoch starts among the valid batches.
   */
  async recover(): Promise<{ truncatedBytes: number; epochStarts: EpochEntry[]; reason?: string }> {
    const scanner = new BatchScanner(this.log, { limit: this.log.size, chunkSize: 1024 * 1024 });
    const offsetEntries: OffsetPosition[] = [];
    const timeEntries: TimestampOffset[] = [];
    let maxSoFar: TimestampOffset = { timestamp: -1, offset: this.baseOffset };
    let validBytes = 0;
    let lastIndexEntry = 0;
    let previousLastOffset = this.baseOffset - 1;
    let reason: string | undefined;
    const epochStarts: EpochEntry[] = [];
    let previousEpoch: number | undefined;
    for (;;) {
      const found = await scanner.at(validBytes, true);
      if (found.status === 'end') break;
      if (found.status !== 'ok') {
        reason = found.status === 'corrupt' ? found.message : 'incomplete batch at the end of the file';
        break;
      }
      const view = found.view;
      if (!view.isValid()) {
        reason = `Record is corrupt (stored crc = ${view.crc}, computed crc = ${view.computeCrc()})`;
        break;
      }
      const lastOffset = view.lastOffset;
      if (view.baseOffset <= previousLastOffset || lastOffset < view.baseOffset || !this.offsetIndex.canAppendOffset(lastOffset)) {
        reason = `batch offsets [${view.baseOffset}, ${lastOffset}] out of order or outside the segment`;
        break;
      }
      previousLastOffset = lastOffset;
      if (view.partitionLeaderEpoch !== previousEpoch) epochStarts.push({ epoch: view.partitionLeaderEpoch, startOffset: view.baseOffset });
      previousEpoch = view.partitionLeaderEpoch;
      if (view.maxTimestamp > maxSoFar.timestamp) maxSoFar = { timestamp: view.maxTimestamp, offset: lastOffset };
      if (validBytes - lastIndexEntry > this.indexIntervalBytes) {
        offsetEntries.push({ offset: lastOffset, position: validBytes });
        const lastTime = timeEntries[timeEntries.length - 1];
        if (lastTime === undefined || maxSoFar.timestamp > lastTime.timestamp) timeEntries.push(maxSoFar);
        lastIndexEntry = validBytes;
      }
      validBytes += found.size;
    }
    const truncatedBytes = await this.log.truncateTo(validBytes);
    // A normally closed segment ends its time index with its largest timestamp; do the same.
    const lastTime = timeEntries[timeEntries.length - 1];
    if (maxSoFar.timestamp >= 0 && (lastTime === undefined || maxSoFar.timestamp > lastTime.timestamp)) timeEntries.push(maxSoFar);
    await this.offsetIndex.rebuild(offsetEntries);
    await this.timeIndex.rebuild(timeEntries);
    this.maxTimestampAndOffset = maxSoFar;
    this.bytesSinceLastIndexEntry = validBytes - lastIndexEntry;
    this.rollingBasedTimestamp = undefined;
    return reason === undefined ? { truncatedBytes, epochStarts } : { truncatedBytes, epochStarts, reason };
  }

  /**
   * Where each leader epoch starts in this segment, from the batch headers alone: the base offset of
   * every batch whose partitionLeaderEpoch differs from the previous batch's (for rebuilding the
   * leader epoch cache; NO_PARTITION_LEADER_EPOCH batches included, the cache's owner skips them).
   */
  async leaderEpochStarts(): Promise<EpochEntry[]> {
    const scanner = new BatchScanner(this.log, { limit: this.log.size, chunkSize: 1024 * 1024 });
    const starts: EpochEntry[] = [];
    let previousEpoch: number | undefined;
    for (let position = 0; ; ) {
      const found = await scanner.at(position, false);
      if (found.status !== 'ok') return starts;
      const epoch = found.view.partitionLeaderEpoch;
      if (epoch !== previousEpoch) starts.push({ epoch, startOffset: found.view.baseOffset });
      previousEpoch = epoch;
      position += found.size;
    }
  }

  /**
   * Removes every batch holding offsets >= `offset` (whole batches: a batch straddling the offset
   * goes too). Returns the bytes removed and the log end offset to use: the base offset of the first
   * batch removed, or `offset` itself when nothing was removed (as Kafka, which sets LEO = offset).
   */
  async truncateTo(offset: number, now: number): Promise<{ truncatedBytes: number; nextOffset: number }> {
    const mapping = await this.translateOffset(offset);
    await this.offsetIndex.truncateTo(offset);
    await this.timeIndex.truncateTo(offset);
    if (!mapping) return { truncatedBytes: 0, nextOffset: offset };
    const truncatedBytes = await this.log.truncateTo(mapping.position);
    if (this.log.size === 0) {
      this.created = now;
      this.rollingBasedTimestamp = undefined;
    }
    this.bytesSinceLastIndexEntry = 0;
    if (this.maxTimestampSoFar >= 0) this.maxTimestampAndOffset = this.timeIndex.lastEntry;
    return { truncatedBytes, nextOffset: mapping.baseOffset };
  }

  /** The offset after the last batch (baseOffset when empty), scanning from the last index entry. */
  async readNextOffset(): Promise<number> {
    const last = await this.lastBatch();
    return last ? last.nextOffset : this.baseOffset;
  }

  /** Header fields of the last batch, or undefined when the segment is empty. */
  async lastBatch(): Promise<{ nextOffset: number; partitionLeaderEpoch: number } | undefined> {
    const scanner = new BatchScanner(this.log, { limit: this.log.size });
    let position = this.offsetIndex.lastEntry.position;
    let last: { nextOffset: number; partitionLeaderEpoch: number } | undefined;
    for (;;) {
      const found = await scanner.at(position, false);
      if (found.status !== 'ok') return last;
      last = { nextOffset: found.view.nextOffset, partitionLeaderEpoch: found.view.partitionLeaderEpoch };
      position += found.size;
    }
  }

  /**
   * Kafka's shouldRoll: the segment would exceed segment.bytes, is older than segment.ms (minus
   * jitter) counted from its first batch's timestamp, an index is full, or the offsets would not fit.
   */
  async shouldRoll(p: RollParams): Promise<boolean> {
    const size = this.size;
    // An empty segment is never rolled for size: the next one could not hold the batch either.
    if (size > 0 && size > p.segmentBytes - p.messagesSize) return true;
    if (size > 0) {
      const rollingTimestamp = await this.firstBatchTimestamp();
      const waited = rollingTimestamp !== undefined && rollingTimestamp >= 0 ? p.maxTimestampInMessages - rollingTimestamp : p.now - this.created;
      if (waited > p.segmentMs - this.rollJitterMs) return true;
    }
    return this.offsetIndex.isFull() || this.timeIndex.isFull() || !this.offsetIndex.canAppendOffset(p.maxOffsetInMessages);
  }

  /**
   * The max timestamp of the segment's first append (Kafka's getFirstBatchTimestamp, read from the
   * first batch after a restart); undefined when the segment is empty. The roll decision and the
   * cleaner's max.compaction.lag.ms check use it.
   */
  async firstBatchTimestamp(): Promise<number | undefined> {
    if (this.rollingBasedTimestamp === undefined && this.size > 0) {
      const found = await new BatchScanner(this.log, { limit: this.size }).at(0, false);
      if (found.status === 'ok') this.rollingBasedTimestamp = found.view.maxTimestamp;
    }
    return this.rollingBasedTimestamp;
  }

  /**
   * Offset and timestamp of the first record with timestamp >= `timestamp` and offset >=
   * `startingOffset`, via the time index and then a scan of this segment's batches (Kafka's
   * findOffsetByTimestamp); null if none. Decodes only the batch that holds the answer.
   */
  async findOffsetByTimestamp(timestamp: number, startingOffset: number): Promise<TimestampAndOffset | null> {
    const indexed = await this.timeIndex.lookup(timestamp);
    const { position } = await this.offsetIndex.lookup(Math.max(indexed.offset, startingOffset));
    return this.searchRecords(position, (view) => view.maxTimestamp >= timestamp, (r) => r.timestamp >= timestamp && r.offset >= startingOffset);
  }

  /** The record holding this segment's max timestamp (ListOffsets MAX_TIMESTAMP, KIP-734). */
  async findMaxTimestampRecord(): Promise<TimestampAndOffset | null> {
    const maxTimestamp = this.maxTimestampSoFar;
    if (maxTimestamp < 0) return null;
    const { position } = await this.offsetIndex.lookup(this.offsetOfMaxTimestampSoFar);
    return this.searchRecords(position, (view) => view.maxTimestamp === maxTimestamp, (r) => r.timestamp === maxTimestamp);
  }

  private async searchRecords(
    from: number,
    batchMatches: (view: RecordBatchView) => boolean,
    recordMatches: (r: { timestamp: number; offset: number }) => boolean,
  ): Promise<TimestampAndOffset | null> {
    const scanner = new BatchScanner(this.log, { limit: this.log.size });
    let position = from;
    for (;;) {
      const header = await scanner.at(position, false);
      if (header.status !== 'ok') return null;
      if (batchMatches(header.view)) {
        const found = await scanner.at(position, true);
        if (found.status !== 'ok') return null;
        const batch = new RecordBatchView(Buffer.from(found.view.bytes()), 0);
        for (const r of await decodeRecords(batch)) {
          if (recordMatches(r)) return { timestamp: r.timestamp, offset: r.offset, leaderEpoch: batch.partitionLeaderEpoch };
        }
      }
      position += header.size;
    }
  }

  /** On roll: the final time index entry (the segment's max timestamp), indexes written out, file trimmed. */
  async onBecomeInactiveSegment(): Promise<void> {
    if (this.maxTimestampSoFar >= 0) await this.timeIndex.maybeAppend(this.maxTimestampSoFar, this.offsetOfMaxTimestampSoFar, { skipFullCheck: true });
    await this.offsetIndex.persist();
    await this.timeIndex.persist();
    await this.log.trimToSize();
    this.log.dropTailCache();
  }

  /** fsyncs the log and both indexes. */
  async flush(): Promise<void> {
    await this.log.flush();
    await this.offsetIndex.flush();
    await this.timeIndex.flush();
  }

  private waitIdle(): Promise<void> {
    if (this.refs === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Writes the final time index entry, trims and closes the files once no reader holds the segment. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.waitIdle();
    if (this.maxTimestampSoFar >= 0) await this.timeIndex.maybeAppend(this.maxTimestampSoFar, this.offsetOfMaxTimestampSoFar, { skipFullCheck: true });
    await this.log.trimToSize();
    await this.offsetIndex.close();
    await this.timeIndex.close();
    await this.log.close();
  }

  /** Renames the three files with `suffix` appended (e.g. `.deleted`); open handles keep working. */
  async changeFileSuffixes(suffix: string): Promise<void> {
    await this.log.renameTo(this.log.file + suffix);
    await this.offsetIndex.renameTo(this.offsetIndex.file + suffix);
    await this.timeIndex.renameTo(this.timeIndex.file + suffix);
  }

  /**
   * Renames the three files from `<name><oldSuffix>` to `<name><newSuffix>` (the cleaner's `.cleaned`
   * → `.swap` → no suffix); open handles keep working.
   */
  async replaceFileSuffix(oldSuffix: string, newSuffix: string): Promise<void> {
    const renamed = (file: string) => {
      if (!file.endsWith(oldSuffix)) throw new Error(`Expected ${file} to end with ${oldSuffix}`);
      return file.slice(0, file.length - oldSuffix.length) + newSuffix;
    };
    await this.log.renameTo(renamed(this.log.file));
    await this.offsetIndex.renameTo(renamed(this.offsetIndex.file));
    await this.timeIndex.renameTo(renamed(this.timeIndex.file));
  }

  /**
   * Sets the last modification time, in memory and on the three files (Kafka's lastModified_=), so a
   * cleaned segment keeps the time of the segments it replaces across restarts.
   */
  async setLastModified(ms: number): Promise<void> {
    const time = new Date(ms);
    for (const file of [this.log.file, this.offsetIndex.file, this.timeIndex.file]) await utimes(file, time, time);
    this.lastModified = ms;
  }

  /** Kafka's LogSegment.toString, as log lines print segments. */
  toString(): string {
    return `LogSegment(baseOffset=${this.baseOffset}, size=${this.size}, lastModifiedTime=${this.lastModified}, largestRecordTimestamp=${this.maxTimestampSoFar})`;
  }

  /** Closes (once no reader holds it) and deletes the three files. */
  async deleteIfExists(): Promise<void> {
    this.closed = true;
    await this.waitIdle();
    await this.log.deleteIfExists();
    await this.offsetIndex.deleteIfExists();
    await this.timeIndex.deleteIfExists();
  }
}
