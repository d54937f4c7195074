/**
 * The offset index (`<base offset>.index`, Kafka's OffsetIndex): a sparse map from offsets to byte
 * positions in the segment's `.log` file. Entries are 8 bytes, big-endian: relative offset (int32,
 * offset - baseOffset) and physical position (int32). An entry (o, p) means the batch starting at p
 * contains offset o as its last offset; lookups take the largest entry <= the target and scan the log
 * forward from its position. See index-file.ts for how the file is kept.
 */
import { CorruptIndexError, InvalidIndexOffsetError } from './log-errors';
import { IndexFile } from './index-file';

const ENTRY_SIZE = 8;

/** An offset and the file position of the batch holding it. */
export interface OffsetPosition {
  offset: number;
  position: number;
}

/** A segment's `.index` file; see the file comment. */
export class OffsetIndex extends IndexFile {
  private last: OffsetPosition;

  private constructor(file: string, baseOffset: number, maxIndexSize: number, entries: number, last: OffsetPosition) {
    super(file, baseOffset, { maxIndexSize, entrySize: ENTRY_SIZE, entries });
    this.last = last;
  }

  /** Creates a new, empty index file. */
  static async create(file: string, baseOffset: number, opts: { maxIndexSize: number }): Promise<OffsetIndex> {
    await IndexFile.createEmptyFile(file);
    return new OffsetIndex(file, baseOffset, opts.maxIndexSize, 0, { offset: baseOffset, position: 0 });
  }

  /**
   * Opens an existing index file and checks it (Kafka's sanityCheck, plus positions within the log);
   * throws CorruptIndexError, or an ENOENT error if it does not exist.
   */
  static async open(file: string, baseOffset: number, opts: { maxIndexSize: number; logSize: number }): Promise<OffsetIndex> {
    const { entries, first, last } = await IndexFile.probe(file, ENTRY_SIZE);
    let lastEntry: OffsetPosition = { offset: baseOffset, position: 0 };
    if (first && last) {
      const firstRelative = first.readInt32BE(0);
      lastEntry = { offset: baseOffset + last.readInt32BE(0), position: last.readInt32BE(4) };
      if (firstRelative < 0 || lastEntry.offset < baseOffset + firstRelative) {
        throw new CorruptIndexError(
          `Corrupt index found, index file (${file}) has non-zero size but the last offset is ${lastEntry.offset} ` +
            `which is less than the base offset ${baseOffset}.`,
        );
      }
      if (lastEntry.position < 0 || lastEntry.position > opts.logSize) {
        throw new CorruptIndexError(`Index file ${file} points at position ${lastEntry.position}, beyond the log's ${opts.logSize} bytes`);
      }
    }
    return new OffsetIndex(file, baseOffset, opts.maxIndexSize, entries, lastEntry);
  }

  /** The last entry, or (baseOffset, 0) when empty. */
  get lastEntry(): OffsetPosition {
    return this.last;
  }

  /** The last offset in the index (baseOffset when empty). */
  get lastOffset(): number {
    return this.last.offset;
  }

  private offsetAt(entry: number): number {
    return this.baseOffset + this.buffer.readInt32BE(entry * ENTRY_SIZE);
  }

  private entryAt(entry: number): OffsetPosition {
    return { offset: this.offsetAt(entry), position: this.buffer.readInt32BE(entry * ENTRY_SIZE + 4) };
  }

  /** The largest entry whose offset is <= `targetOffset`, or (baseOffset, 0) if there is none. */
  async lookup(targetOffset: number): Promise<OffsetPosition> {
    await this.ensureLoaded();
    const slot = this.largestLowerBound(targetOffset, (i) => this.offsetAt(i));
    return slot < 0 ? { offset: this.baseOffset, position: 0 } : this.entryAt(slot);
  }

  /** Whether `offset` fits a relative int32 offset of this segment. */
  canAppendOffset(offset: number): boolean {
    const relative = offset - this.baseOffset;
    return relative >= 0 && relative <= 2147483647;
  }

  /** Appends an entry; the offset must be larger than the last one and the index not full. */
  async append(offset: number, position: number): Promise<void> {
    if (this.isFull()) throw new InvalidIndexOffsetError(`Attempt to append to a full index (size = ${this.entries}).`);
    if (this.entries > 0 && offset <= this.last.offset) {
      throw new InvalidIndexOffsetError(
        `Attempt to append an offset (${offset}) to position ${this.entries} no larger than the last offset appended (${this.last.offset}) to ${this.file}.`,
      );
    }
    const entry = Buffer.allocUnsafe(ENTRY_SIZE);
    entry.writeInt32BE(offset - this.baseOffset, 0);
    entry.writeInt32BE(position, 4);
    this.last = { offset, position };
    await this.appendEntry(entry);
  }

  /** Removes every entry whose offset is >= `offset`. */
  async truncateTo(offset: number): Promise<void> {
    await this.ensureLoaded();
    const keep = this.smallestUpperBound(offset, (i) => this.offsetAt(i));
    await this.truncateToEntries(keep);
    this.last = keep === 0 ? { offset: this.baseOffset, position: 0 } : this.entryAt(keep - 1);
  }

  /** Replaces all entries with `entries` (index rebuild). */
  async rebuild(entries: readonly OffsetPosition[]): Promise<void> {
    const data = Buffer.alloc(entries.length * ENTRY_SIZE);
    entries.forEach((e, i) => {
      data.writeInt32BE(e.offset - this.baseOffset, i * ENTRY_SIZE);
      data.writeInt32BE(e.position, i * ENTRY_SIZE + 4);
    });
    await this.replaceEntries(data, entries.length);
    this.last = entries.length === 0 ? { offset: this.baseOffset, position: 0 } : entries[entries.length - 1];
  }
}
