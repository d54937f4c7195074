/**
 * The leader epoch cache of a partition (Kafka's LeaderEpochFileCache, KIP-101 and KIP-279): for each
 * leader epoch, the first offset written under it, ascending in both epoch and start offset. Followers
 * truncate by it on leader change (OffsetsForLeaderEpoch answers from `endOffsetFor`), and ListOffsets
 * v4+ and Fetch report epochs from it.
 *
 * Reads are synchronous. Every mutation changes the entries at once (so readers see it immediately)
 * and resolves once `leader-epoch-checkpoint` holds the new state; writes go one at a time, and a
 * write that a later one already covered is skipped. Kafka flushes truncations in the background; here
 * the owning Log awaits every write inside its serial queue, so the file never lags the log (the
 * loader still truncates the cache to the log after a crash, as Kafka's does).
 */
import type { Logger } from '../common/logger';
import { type EpochEntry, formatEpochEntry, type LeaderEpochCheckpointFile } from './leader-epoch-checkpoint';
import { SerialQueue } from './serial-queue';

export type { EpochEntry } from './leader-epoch-checkpoint';

/** OffsetsForLeaderEpochResponse.UNDEFINED_EPOCH. */
export const UNDEFINED_EPOCH = -1;
/** OffsetsForLeaderEpochResponse.UNDEFINED_EPOCH_OFFSET. */
export const UNDEFINED_EPOCH_OFFSET = -1;

/** The answer to an end-offset query (OffsetsForLeaderEpoch's leader_epoch and end_offset). */
export interface EpochEndOffset {
  epoch: number;
  endOffset: number;
}

/** The read-only side of the cache, which is what a Log exposes. */
export interface LeaderEpochCacheView {
  /** The latest epoch with an entry; undefined when the cache is empty. */
  latestEpoch(): number | undefined;
  latestEntry(): EpochEntry | undefined;
  earliestEntry(): EpochEntry | undefined;
  /** The entries, oldest first (a copy). */
  epochEntries(): EpochEntry[];
  /** The epoch whose range holds `offset` (offsets past the last start map to the latest epoch). */
  epochForOffset(offset: number): number | undefined;
  /** See LeaderEpochFileCache.endOffsetFor. */
  endOffsetFor(requestedEpoch: number, logEndOffset: number): EpochEndOffset;
}

/** Constructor options of LeaderEpochFileCache. */
export interface LeaderEpochFileCacheOptions {
  /** `topic-partition`, for log lines. */
  topicPartition: string;
  checkpoint: LeaderEpochCheckpointFile;
  logger: Logger;
  /** Initial entries (e.g. read from the checkpoint); they go through `assign`'s rules, unwritten. */
  entries?: readonly EpochEntry[];
}

function formatEntries(entries: readonly EpochEntry[]): string {
  return `[${entries.map(formatEpochEntry).join(', ')}]`;
}

/** A partition's leader epoch cache backed by its `leader-epoch-checkpoint`; see the file comment. */
export class LeaderEpochFileCache implements LeaderEpochCacheView {
  readonly topicPartition: string;
  private readonly checkpoint: LeaderEpochCheckpointFile;
  private readonly logger: Logger;
  private entries: EpochEntry[] = [];
  private readonly writes = new SerialQueue();
  /** Bumped by every change; `written` is the version the file holds. */
  private version = 0;
  private written = 0;

  constructor(opts: LeaderEpochFileCacheOptions) {
    this.topicPartition = opts.topicPartition;
    this.checkpoint = opts.checkpoint;
    this.logger = opts.logger;
    for (const entry of opts.entries ?? []) this.assignInMemory(entry);
    this.written = this.version;
  }

  /** The checkpoint file's path. */
  get file(): string {
    return this.checkpoint.file;
  }

  /**
   * Records that `epoch` starts at `startOffset`, as Kafka's assign: ignored when the latest entry
   * has this epoch and a start offset at or below it (every later batch of the epoch); otherwise every
   * entry with an epoch >= `epoch` or a start offset >= `startOffset` is dropped first, with a
   * warning unless that only replaces an epoch that started at the same offset with no data. Rejects
   * a negative epoch or offset with a RangeError.
   */
  async assign(epoch: number, startOffset: number): Promise<void> {
    if (this.assignInMemory({ epoch, startOffset })) await this.persist();
  }

  /** Assigns each entry in order (Kafka's assign(List)), then writes the file once. */
  async assignAll(entries: readonly EpochEntry[]): Promise<void> {
    let changed = false;
    for (const entry of entries) if (this.assignInMemory(entry)) changed = true;
    if (changed) await this.persist();
  }

  private assignInMemory(entry: EpochEntry): boolean {
    const { epoch, startOffset } = entry;
    if (!Number.isInteger(epoch) || epoch < 0 || !Number.isInteger(startOffset) || startOffset < 0) {
      throw new RangeError(`Received invalid partition leader epoch entry ${formatEpochEntry(entry)}`);
    }
    const latest = this.latestEntry();
    if (latest !== undefined && latest.epoch === epoch && startOffset >= latest.startOffset) return false;
    // Keep epochs and start offsets strictly increasing: drop what conflicts with the new entry.
    const removed: EpochEntry[] = [];
    while (this.entries.length > 0) {
      const last = this.entries[this.entries.length - 1];
      if (last.epoch < epoch && last.startOffset < startOffset) break;
      removed.push(last);
      this.entries.pop();
    }
    if (removed.length > 1 || (removed.length === 1 && removed[0].startOffset !== startOffset)) {
      this.logger.warn(
        `New epoch entry ${formatEpochEntry(entry)} caused truncation of conflicting entries ${formatEntries(removed)}. ` +
          `Cache now contains ${this.entries.length} entries.`,
      );
    }
    this.entries.push({ epoch, startOffset });
    this.version++;
    this.logger.debug(() => `Appended new epoch entry ${formatEpochEntry(entry)}. Cache now contains ${this.entries.length} entries.`);
    return true;
  }

  latestEntry(): EpochEntry | undefined {
    return this.entries[this.entries.length - 1];
  }

  earliestEntry(): EpochEntry | undefined {
    return this.entries[0];
  }

  latestEpoch(): number | undefined {
    return this.latestEntry()?.epoch;
  }

  /** Whether the cache has any entry. */
  get nonEmpty(): boolean {
    return this.entries.length > 0;
  }

  epochEntries(): EpochEntry[] {
    return [...this.entries];
  }

  /** The epoch of the entry before the latest one (Kafka's previousEpoch). */
  previousEpoch(): number | undefined {
    return this.entries[this.entries.length - 2]?.epoch;
  }

  /** The entry of exactly `epoch`, if any. */
  epochEntry(epoch: number): EpochEntry | undefined {
    const i = this.indexAfter(epoch) - 1;
    return i >= 0 && this.entries[i].epoch === epoch ? this.entries[i] : undefined;
  }

  /** Index of the first entry whose epoch is greater than `epoch` (entries.length if none). */
  private indexAfter(epoch: number): number {
    let lo = 0;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.entries[mid].epoch <= epoch) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  epochForOffset(offset: number): number | undefined {
    let previous: number | undefined;
    for (const entry of this.entries) {
      if (entry.startOffset === offset) return entry.epoch;
      if (entry.startOffset > offset) return previous;
      previous = entry.epoch;
    }
    return previous;
  }

  /**
   * The end offset of `requestedEpoch` and the epoch it belongs to, as Kafka's endOffsetFor:
   *
   * - UNDEFINED_EPOCH requested, an empty cache, or an epoch above every known one: (-1, -1);
   * - the latest epoch: (it, `logEndOffset`);
   * - an epoch below the first known one: (the requested epoch, the first entry's start offset), so
   *   a follower truncates to where the leader's data starts (Kafka's behaviour since KIP-279; its
   *   Javadoc still describes the older UNDEFINED answer);
   * - otherwise: (the largest known epoch <= requested, the start offset of the next known epoch).
   */
  endOffsetFor(requestedEpoch: number, logEndOffset: number): EpochEndOffset {
    let result: EpochEndOffset;
    if (requestedEpoch === UNDEFINED_EPOCH) {
      result = { epoch: UNDEFINED_EPOCH, endOffset: UNDEFINED_EPOCH_OFFSET };
    } else if (this.latestEpoch() === requestedEpoch) {
      result = { epoch: requestedEpoch, endOffset: logEndOffset };
    } else {
      const higher = this.indexAfter(requestedEpoch);
      if (higher === this.entries.length) {
        result = { epoch: UNDEFINED_EPOCH, endOffset: UNDEFINED_EPOCH_OFFSET };
      } else if (higher === 0) {
        result = { epoch: requestedEpoch, endOffset: this.entries[0].startOffset };
      } else {
        result = { epoch: this.entries[higher - 1].epoch, endOffset: this.entries[higher].startOffset };
      }
    }
    if (this.logger.isTraceEnabled()) {
      this.logger.trace(
        `Processed end offset request for epoch ${requestedEpoch} and returning epoch ${result.epoch} with end offset ` +
          `${result.endOffset} from epoch cache of size ${this.entries.length}`,
      );
    }
    return result;
  }

  /** Drops every entry whose start offset is >= `endOffset` (the log was truncated to it). */
  async truncateFromEnd(endOffset: number): Promise<void> {
    const latest = this.latestEntry();
    if (endOffset < 0 || latest === undefined || latest.startOffset < endOffset) return;
    const keep = this.entries.findIndex((e) => e.startOffset >= endOffset);
    const removed = this.entries.splice(keep);
    this.version++;
    this.logger.debug(
      () =>
        `Cleared entries ${formatEntries(removed)} from epoch cache after truncating to end offset ${endOffset}, ` +
        `leaving ${this.entries.length} entries in the cache.`,
    );
    await this.persist();
  }

  /**
   * Drops the entries wholly below `startOffset` (the log start offset moved there); the last entry
   * at or below it is kept with `startOffset` as its start, since its epoch still owns that offset.
   */
  async truncateFromStart(startOffset: number): Promise<void> {
    let count = 0;
    while (count < this.entries.length && this.entries[count].startOffset <= startOffset) count++;
    if (count === 0) return;
    const removed = this.entries.slice(0, count);
    const first = { epoch: removed[count - 1].epoch, startOffset };
    if (count === 1 && removed[0].startOffset === startOffset) return;
    this.entries.splice(0, count, first);
    this.version++;
    this.logger.debug(
      () =>
        `Cleared entries ${formatEntries(removed)} and rewrote first entry ${formatEpochEntry(first)} after truncating ` +
        `to start offset ${startOffset}, leaving ${this.entries.length} in the cache.`,
    );
    await this.persist();
  }

  /** Deletes every entry and writes the empty file (Kafka's clearAndFlush). */
  async clear(): Promise<void> {
    this.entries = [];
    this.version++;
    await this.persist();
  }

  /** Writes the current entries to the file, whether or not they changed. */
  async flush(): Promise<void> {
    this.version++;
    await this.persist();
  }

  /** Writes the file unless a write since the last change already did. */
  private persist(): Promise<void> {
    const target = this.version;
    return this.writes.run(async () => {
      if (this.written >= target) return;
      const version = this.version;
      await this.checkpoint.write(this.entries);
      this.written = Math.max(this.written, version);
    });
  }
}
