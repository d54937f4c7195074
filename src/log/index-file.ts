/**
 * Shared machinery of the sparse segment indexes (Kafka's AbstractIndex), on Kafka's file formats:
 * fixed-size big-endian entries whose offsets are relative to the segment's base offset.
 *
 * Kafka memory-maps its index files and preallocates them to `segment.index.bytes`, trimming them to
 * the used size on roll and close. Node has no mmap, so here the entries live in a Buffer that is
 * loaded from the file on first lookup (inactive segments that are never read cost nothing), and
 * appended entries are written to the end of the file in groups (every PERSIST_BATCH entries, and on
 * flush, roll and close), like the page-cache write-back of Kafka's mmap: after a crash the entries
 * past the last flush may be missing, which recovery handles because it rebuilds the indexes of every
 * segment after the recovery point, and the recovery point only moves on flush. Files are not
 * preallocated: an index file holds exactly its persisted entries, which is what Kafka leaves on disk
 * after trimming, so Kafka's tools read these files unchanged. `maxEntries` still follows
 * `segment.index.bytes`, and a full index makes the log roll, as in Kafka.
 */
import { type FileHandle, open, rename, stat, truncate, unlink, writeFile } from 'node:fs/promises';
import { CorruptIndexError } from './log-errors';
import { SerialQueue } from './serial-queue';

const INITIAL_CAPACITY_ENTRIES = 256;
/** Entries buffered in memory before they are written to the file. */
const PERSIST_BATCH = 64;

/** Base class of OffsetIndex and TimeIndex. */
export abstract class IndexFile {
  /** The segment's base offset; entries store offsets relative to it. */
  readonly baseOffset: number;
  /** Largest number of entries (segment.index.bytes / entrySize). */
  readonly maxEntries: number;
  protected readonly entrySize: number;
  private filePath: string;
  private count: number;
  /** Entries already written to the file (the rest are only in memory). */
  private persisted: number;
  /** Entries in memory once loaded; capacity grows by doubling. */
  private mem: Buffer | undefined;
  private loading: Promise<void> | undefined;
  private handle: Promise<FileHandle> | undefined;
  /** Orders the file operations (group writes, truncation, rewrite, close) that may overlap. */
  private readonly io = new SerialQueue();

  protected constructor(file: string, baseOffset: number, opts: { maxIndexSize: number; entrySize: number; entries: number }) {
    this.filePath = file;
    this.baseOffset = baseOffset;
    this.entrySize = opts.entrySize;
    this.maxEntries = Math.max(1, Math.floor(opts.maxIndexSize / opts.entrySize));
    this.count = opts.entries;
    this.persisted = opts.entries;
  }

  /** Path of the index file. */
  get file(): string {
    return this.filePath;
  }

  /** Number of entries. */
  get entries(): number {
    return this.count;
  }

  /** Size of the index file in bytes. */
  get sizeInBytes(): number {
    return this.count * this.entrySize;
  }

  isFull(): boolean {
    return this.count >= this.maxEntries;
  }

  /** Creates an empty index file (replacing any existing one). */
  protected static async createEmptyFile(file: string): Promise<void> {
    await writeFile(file, Buffer.alloc(0));
  }

  /**
   * Reads the size and the first and last entries of an existing index file without loading it;
   * throws CorruptIndexError if the size is not a whole number of entries.
   */
  protected static async probe(file: string, entrySize: number): Promise<{ entries: number; first?: Buffer; last?: Buffer }> {
    const size = (await stat(file)).size;
    if (size % entrySize !== 0) {
      throw new CorruptIndexError(`Index file ${file} is corrupt, found ${size} bytes which is not positive or not a multiple of ${entrySize}.`);
    }
    const entries = size / entrySize;
    if (entries === 0) return { entries };
    const handle = await open(file, 'r');
    try {
      const first = Buffer.alloc(entrySize);
      const last = Buffer.alloc(entrySize);
      await handle.read(first, 0, entrySize, 0);
      await handle.read(last, 0, entrySize, size - entrySize);
      return { entries, first, last };
    } finally {
      await handle.close();
    }
  }

  /** Loads the entries into memory (once; concurrent callers share the load). */
  protected ensureLoaded(): Promise<void> {
    if (this.mem) return Promise.resolve();
    this.loading ??= (async () => {
      const data = this.count === 0 ? Buffer.alloc(0) : await this.readFileBytes();
      const capacity = Math.max(INITIAL_CAPACITY_ENTRIES, this.count) * this.entrySize;
      const mem = Buffer.alloc(Math.min(capacity, Math.max(this.maxEntries, this.count) * this.entrySize));
      data.copy(mem, 0, 0, this.count * this.entrySize);
      this.mem = mem;
    })().finally(() => {
      this.loading = undefined;
    });
    return this.loading;
  }

  private async readFileBytes(): Promise<Buffer> {
    const handle = await open(this.filePath, 'r');
    try {
      const buf = Buffer.alloc(this.count * this.entrySize);
      const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
      if (bytesRead !== buf.length) throw new CorruptIndexError(`Index file ${this.filePath} is shorter than expected`);
      return buf;
    } finally {
      await handle.close();
    }
  }

  /** The loaded entries (call after ensureLoaded). */
  protected get buffer(): Buffer {
    if (!this.mem) throw new Error(`index ${this.filePath} is not loaded`);
    return this.mem;
  }

  /** Binary search: index of the last entry whose key (from `keyAt`) is <= target, or -1. */
  protected largestLowerBound(target: number, keyAt: (entry: number) => number): number {
    let lo = 0;
    let hi = this.count - 1;
    if (this.count === 0 || keyAt(0) > target) return -1;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (keyAt(mid) <= target) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Index of the first entry whose key is >= target, or `entries` if none. */
  protected smallestUpperBound(target: number, keyAt: (entry: number) => number): number {
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (keyAt(mid) < target) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Appends one encoded entry in memory; it reaches the file with the next group write. */
  protected async appendEntry(entry: Buffer): Promise<void> {
    await this.ensureLoaded();
    let mem = this.buffer;
    const at = this.count * this.entrySize;
    if (at + this.entrySize > mem.length) {
      const grown = Buffer.alloc(Math.max(mem.length * 2, at + this.entrySize));
      mem.copy(grown, 0, 0, at);
      this.mem = mem = grown;
    }
    entry.copy(mem, at);
    this.count++;
    if (this.count - this.persisted >= PERSIST_BATCH) await this.persist();
  }

  /** Writes the entries not yet in the file, in one positioned write. */
  persist(): Promise<void> {
    return this.io.run(async () => {
      const from = this.persisted;
      const to = this.count;
      if (to <= from || !this.mem) return;
      const handle = await this.writeHandle();
      await handle.write(this.mem, from * this.entrySize, (to - from) * this.entrySize, from * this.entrySize);
      this.persisted = to;
    });
  }

  /** Keeps the first `entries` entries, in memory and on disk. */
  protected async truncateToEntries(entries: number): Promise<void> {
    if (entries >= this.count) return;
    this.count = entries;
    await this.io.run(async () => {
      if (this.persisted <= entries) return;
      if (this.handle) await (await this.handle).truncate(entries * this.entrySize);
      else await truncate(this.filePath, entries * this.entrySize);
      this.persisted = entries;
    });
  }

  /** Replaces every entry (used when rebuilding from the log) with one write. */
  protected async replaceEntries(data: Buffer, entries: number): Promise<void> {
    this.mem = Buffer.alloc(Math.max(data.length, INITIAL_CAPACITY_ENTRIES * this.entrySize));
    data.copy(this.mem, 0, 0, entries * this.entrySize);
    this.count = entries;
    await this.io.run(async () => {
      await this.closeHandle();
      await writeFile(this.filePath, data.subarray(0, entries * this.entrySize));
      this.persisted = entries;
    });
  }

  /** Removes every entry. */
  async reset(): Promise<void> {
    await this.replaceEntries(Buffer.alloc(0), 0);
  }

  private writeHandle(): Promise<FileHandle> {
    this.handle ??= open(this.filePath, 'r+');
    return this.handle;
  }

  /** Writes pending entries and fsyncs the file if it was written. */
  async flush(): Promise<void> {
    await this.persist();
    await this.io.run(async () => {
      if (this.handle) await (await this.handle).sync();
    });
  }

  /** Closes the write handle (call from within the io queue). */
  private async closeHandle(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    if (handle) await (await handle).close();
  }

  /** Writes pending entries and closes the write handle (the entries stay readable in memory). */
  async close(): Promise<void> {
    await this.persist();
    await this.io.run(() => this.closeHandle());
  }

  /** Renames the file (e.g. to `.deleted`); an open handle keeps working. */
  renameTo(file: string): Promise<void> {
    return this.io.run(async () => {
      try {
        await rename(this.filePath, file);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
      this.filePath = file;
    });
  }

  /** Closes and deletes the file. */
  deleteIfExists(): Promise<void> {
    return this.io.run(async () => {
      await this.closeHandle();
      try {
        await unlink(this.filePath);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
    });
  }

}
