/**
 * The time index (`<base offset>.timeindex`, Kafka's TimeIndex, KIP-33): a sparse map from timestamps
 * to offsets. Entries are 12 bytes, big-endian: timestamp (int64) and relative offset (int32). Entries
 * only grow in timestamp: one is added only when the segment's max timestamp so far has increased, and
 * its offset is where that max timestamp was seen. A closed segment's last entry holds its largest
 * timestamp. See index-file.ts for how the file is kept.
 */
import { readInt64, writeInt64 } from '../protocol/records/record-batch';
import { CorruptIndexError, InvalidIndexOffsetError } from './log-errors';
import { IndexFile } from './index-file';

const ENTRY_SIZE = 12;

/** A timestamp and the offset at which it was seen. */
export interface TimestampOffset {
  timestamp: number;
  offset: number;
}

/** A segment's `.timeindex` file; see the file comment. */
export class TimeIndex extends IndexFile {
  private last: TimestampOffset;

  private constructor(file: string, baseOffset: number, maxIndexSize: number, entries: number, last: TimestampOffset) {
    super(file, baseOffset, { maxIndexSize, entrySize: ENTRY_SIZE, entries });
    this.last = last;
  }

  /** Creates a new, empty index file. */
  static async create(file: string, baseOffset: number, opts: { maxIndexSize: number }): Promise<TimeIndex> {
    await IndexFile.createEmptyFile(file);
    return new TimeIndex(file, baseOffset, opts.maxIndexSize, 0, { timestamp: -1, offset: baseOffset });
  }

  /** Opens an existing index file and checks it (Kafka's sanityCheck); throws CorruptIndexError or ENOENT. */
  static async open(file: string, baseOffset: number, opts: { maxIndexSize: number }): Promise<TimeIndex> {
    const { entries, first, last } = await IndexFile.probe(file, ENTRY_SIZE);
    let lastEntry: TimestampOffset = { timestamp: -1, offset: baseOffset };
    if (first && last) {
      lastEntry = { timestamp: readInt64(last, 0), offset: baseOffset + last.readInt32BE(8) };
      if (lastEntry.timestamp < readInt64(first, 0)) {
        throw new CorruptIndexError(
          `Corrupt time index found, time index file (${file}) has non-zero size but the last timestamp is ` +
            `${lastEntry.timestamp} which is less than the first timestamp ${readInt64(first, 0)}`,
        );
      }
      if (lastEntry.offset < baseOffset) {
        throw new CorruptIndexError(
          `Corrupt time index found, time index file (${file}) has non-zero size but the last offset is ` +
            `${lastEntry.offset} which is less than the first offset ${baseOffset}`,
        );
      }
    }
    return new TimeIndex(file, baseOffset, opts.maxIndexSize, entries, lastEntry);
  }

  /** The last entry, or (-1, baseOffset) when empty. */
  get lastEntry(): TimestampOffset {
    return this.last;
  }

  private timestampAt(entry: number): number {
    return readInt64(this.buffer, entry * ENTRY_SIZE);
  }

  private entryAt(entry: number): TimestampOffset {
    return { timestamp: this.timestampAt(entry), offset: this.baseOffset + this.buffer.readInt32BE(entry * ENTRY_SIZE + 8) };
  }

  /** The entry with the largest timestamp <= `targetTimestamp`, or (-1, baseOffset) if none. */
  async lookup(targetTimestamp: number): Promise<TimestampOffset> {
    await this.ensureLoaded();
    const slot = this.largestLowerBound(targetTimestamp, (i) => this.timestampAt(i));
    return slot < 0 ? { timestamp: -1, offset: this.baseOffset } : this.entryAt(slot);
  }

  /**
   * Appends (timestamp, offset) if the timestamp is larger than the last entry's. The offset may not
   * go backwards. A full index refuses the entry unless `skipFullCheck` (the final entry on roll).
   */
  async maybeAppend(timestamp: number, offset: number, opts: { skipFullCheck?: boolean } = {}): Promise<void> {
    if (!opts.skipFullCheck && this.isFull()) {
      throw new InvalidIndexOffsetError(`Attempt to append to a full time index (size = ${this.entries}).`);
    }
    if (this.entries > 0 && offset < this.last.offset) {
      throw new InvalidIndexOffsetError(
        `Attempt to append an offset (${offset}) to slot ${this.entries} no larger than the last offset appended (${this.last.offset}) to ${this.file}.`,
      );
    }
    if (this.entries > 0 && timestamp <= this.last.timestamp) return;
    const entry = Buffer.allocUnsafe(ENTRY_SIZE);
    writeInt64(entry, timestamp, 0);
    entry.writeInt32BE(offset - this.baseOffset, 8);
    this.last = { timestamp, offset };
    await this.appendEntry(entry);
  }

  /** Removes every entry whose offset is >= `offset`. */
  async truncateTo(offset: number): Promise<void> {
    await this.ensureLoaded();
    let keep = this.entries;
    while (keep > 0 && this.entryAt(keep - 1).offset >= offset) keep--;
    await this.truncateToEntries(keep);
    this.last = keep === 0 ? { timestamp: -1, offset: this.baseOffset } : this.entryAt(keep - 1);
  }

  /** Replaces all entries with `entries` (index rebuild); they must be increasing in timestamp. */
  async rebuild(entries: readonly TimestampOffset[]): Promise<void> {
    const data = Buffer.alloc(entries.length * ENTRY_SIZE);
    entries.forEach((e, i) => {
      writeInt64(data, e.timestamp, i * ENTRY_SIZE);
      data.writeInt32BE(e.offset - this.baseOffset, i * ENTRY_SIZE + 8);
    });
    await this.replaceEntries(data, entries.length);
    this.last = entries.length === 0 ? { timestamp: -1, offset: this.baseOffset } : entries[entries.length - 1];
  }
}
