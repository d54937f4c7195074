/**
 * A segment's `.log` file (Kafka's FileRecords): the raw concatenation of RecordBatches exactly as
 * they were appended. Writes are positioned at the logical end, reads are positioned reads of just the
 * bytes asked for; nothing here blocks the event loop. `BatchScanner` walks batch headers from a
 * position, reading the file in chunks, for offset and timestamp searches and for recovery.
 *
 * With `preallocate` (Kafka's `preallocate` topic config) a new file is extended to its maximum size up
 * front and trimmed back to the data on roll and close; the logical size is tracked in memory.
 *
 * The last `tailCacheBytes` appended (256 KiB by default) stay in memory as the Buffers that were
 * appended, and reads that fall entirely inside them are answered from there: follower fetches and
 * consumers at the end of the log read what was just written, and on a small machine the file read
 * (a thread-pool round trip and a fresh buffer per fetch) cost far more than the bytes. A read within
 * one appended Buffer is a slice of it, no copy. Kafka leaves this to the page cache and sendfile,
 * which Node cannot use for sockets. The cache goes when the segment stops being active
 * (`dropTailCache`), and is cut by truncation; callers must not modify a Buffer after appending it.
 */
import { type FileHandle, open, rename, unlink } from 'node:fs/promises';
import {
  BatchField,
  HEADER_SIZE_UP_TO_MAGIC,
  LOG_OVERHEAD,
  MAGIC_V2,
  RECORD_BATCH_OVERHEAD,
  RecordBatchView,
} from '../protocol/records/record-batch';

/** Bytes of the most recent appends kept in memory per file by default (see the file comment). */
export const DEFAULT_TAIL_CACHE_BYTES = 256 * 1024;

/** A segment's `.log` file; see the file comment. */
export class FileRecords {
  private filePath: string;
  private handle: Promise<FileHandle> | undefined;
  private logicalSize: number;
  private readonly preallocated: boolean;
  private tailCacheBytes: number;
  /** The most recent appends, in file order, ending at logicalSize. */
  private tail: { position: number; data: Buffer }[] = [];
  private tailBytes = 0;

  private constructor(file: string, size: number, opts: { preallocated: boolean; tailCacheBytes: number }) {
    this.filePath = file;
    this.logicalSize = size;
    this.preallocated = opts.preallocated;
    this.tailCacheBytes = opts.tailCacheBytes;
  }

  /**
   * Creates (or empties) the file; with `preallocateBytes` it is extended to that size. `tailCacheBytes`
   * (default DEFAULT_TAIL_CACHE_BYTES, 0 for none) bounds the appends kept in memory.
   */
  static async create(file: string, opts: { preallocateBytes?: number; tailCacheBytes?: number } = {}): Promise<FileRecords> {
    const handle = await open(file, 'w+');
    const preallocate = (opts.preallocateBytes ?? 0) > 0;
    if (preallocate) await handle.truncate(opts.preallocateBytes);
    const records = new FileRecords(file, 0, { preallocated: preallocate, tailCacheBytes: opts.tailCacheBytes ?? DEFAULT_TAIL_CACHE_BYTES });
    records.handle = Promise.resolve(handle);
    return records;
  }

  /** Opens an existing file; its data is taken to be the whole file (recovery trims what is invalid). */
  static async open(file: string): Promise<FileRecords> {
    const handle = await open(file, 'r+');
    const { size } = await handle.stat();
    const records = new FileRecords(file, size, { preallocated: false, tailCacheBytes: DEFAULT_TAIL_CACHE_BYTES });
    records.handle = Promise.resolve(handle);
    return records;
  }

  get file(): string {
    return this.filePath;
  }

  /** Bytes of data (not counting preallocated space). */
  get size(): number {
    return this.logicalSize;
  }

  private fileHandle(): Promise<FileHandle> {
    if (!this.handle) throw new Error(`${this.filePath} is closed`);
    return this.handle;
  }

  /** Appends `data` at the end; returns the position it was written at. */
  async append(data: Buffer): Promise<number> {
    const position = this.logicalSize;
    const handle = await this.fileHandle();
    let written = 0;
    while (written < data.length) {
      const { bytesWritten } = await handle.write(data, written, data.length - written, position + written);
      written += bytesWritten;
    }
    this.logicalSize = position + data.length;
    this.cacheTail(position, data);
    return position;
  }

  private cacheTail(position: number, data: Buffer): void {
    if (data.length > this.tailCacheBytes) {
      this.dropTailCache();
      return;
    }
    this.tail.push({ position, data });
    this.tailBytes += data.length;
    while (this.tailBytes > this.tailCacheBytes) this.tailBytes -= this.tail.shift()!.data.length;
  }

  /** Forgets the cached appends (the segment is no longer the active one, or the file closes). */
  dropTailCache(): void {
    this.tail = [];
    this.tailBytes = 0;
  }

  /** Index of the cached append holding `position`, or -1. */
  private tailIndex(position: number): number {
    const tail = this.tail;
    if (tail.length === 0 || position < tail[0]!.position || position >= this.logicalSize) return -1;
    // The last entry starting at or before position.
    let lo = 0;
    let hi = tail.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (tail[mid]!.position <= position) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /**
   * A view (no copy) of the cached append holding `position`, from `position` to the end of that
   * append or to `limit`, whichever comes first; undefined outside the tail cache.
   */
  cachedView(position: number, limit: number): Buffer | undefined {
    const i = this.tailIndex(position);
    if (i < 0) return undefined;
    const entry = this.tail[i]!;
    return entry.data.subarray(position - entry.position, Math.min(entry.data.length, limit - entry.position));
  }

  /** The bytes [position, position+length) if they are all in the tail cache, else undefined. */
  private readTail(position: number, length: number): Buffer | undefined {
    if (position + length > this.logicalSize) return undefined;
    const lo = this.tailIndex(position);
    if (lo < 0) return undefined;
    const tail = this.tail;
    const first = tail[lo]!;
    const offset = position - first.position;
    if (offset + length <= first.data.length) return first.data.subarray(offset, offset + length);
    const out = Buffer.allocUnsafe(length);
    let filled = first.data.copy(out, 0, offset);
    for (let i = lo + 1; filled < length; i++) {
      const data = tail[i]!.data;
      filled += data.copy(out, filled, 0, Math.min(data.length, length - filled));
    }
    return out;
  }

  /** Reads up to `length` bytes at `position` (fewer at the end of the file). */
  async read(position: number, length: number): Promise<Buffer> {
    const cached = this.readTail(position, length);
    if (cached !== undefined) return cached;
    const handle = await this.fileHandle();
    const buf = Buffer.allocUnsafe(Math.max(0, length));
    let filled = 0;
    while (filled < length) {
      const { bytesRead } = await handle.read(buf, filled, length - filled, position + filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return filled === length ? buf : buf.subarray(0, filled);
  }

  /** Cuts the data (and file) to `size` bytes; returns the number of bytes removed. */
  async truncateTo(size: number): Promise<number> {
    if (size > this.logicalSize || size < 0) {
      throw new RangeError(`Attempt to truncate log segment ${this.filePath} to ${size} bytes failed, size of this log segment is ${this.logicalSize} bytes.`);
    }
    const removed = this.logicalSize - size;
    const handle = await this.fileHandle();
    if (removed > 0 || this.preallocated) await handle.truncate(size);
    this.logicalSize = size;
    while (this.tail.length > 0 && this.tail[this.tail.length - 1]!.position >= size) this.tailBytes -= this.tail.pop()!.data.length;
    const last = this.tail[this.tail.length - 1];
    if (last && last.position + last.data.length > size) {
      this.tailBytes -= last.position + last.data.length - size;
      last.data = last.data.subarray(0, size - last.position);
    }
    return removed;
  }

  /** Gives back preallocated space (on roll and close). */
  async trimToSize(): Promise<void> {
    if (!this.preallocated || !this.handle) return;
    await (await this.handle).truncate(this.logicalSize);
  }

  /** fsyncs the data. */
  async flush(): Promise<void> {
    if (this.handle) await (await this.handle).sync();
  }

  async close(): Promise<void> {
    this.dropTailCache();
    const handle = this.handle;
    this.handle = undefined;
    if (handle) await (await handle).close();
  }

  /** Renames the file; the open handle keeps working. */
  async renameTo(file: string): Promise<void> {
    try {
      await rename(this.filePath, file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    this.filePath = file;
  }

  async deleteIfExists(): Promise<void> {
    await this.close();
    try {
      await unlink(this.filePath);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
}

/** A batch found by BatchScanner; `view` is only valid until the scanner's next call. */
export interface ScannedBatch {
  status: 'ok';
  position: number;
  size: number;
  view: RecordBatchView;
}

/** What BatchScanner finds at a position. */
export type ScanResult =
  | ScannedBatch
  | { status: 'end' }
  | { status: 'truncated'; position: number }
  | { status: 'corrupt'; position: number; message: string };

const DEFAULT_CHUNK_SIZE = 64 * 1024;

/**
 * Reads batch headers (or whole batches) one after another from a FileRecords, up to `limit` bytes,
 * caching one chunk of the file so that consecutive small batches cost one read.
 */
export class BatchScanner {
  private chunk: Buffer = Buffer.alloc(0);
  private chunkStart = 0;
  private readonly records: FileRecords;
  private readonly limit: number;
  private readonly chunkSize: number;

  /** Scans `records` up to byte `opts.limit`, reading `opts.chunkSize` bytes at a time (default 64 KiB). */
  constructor(records: FileRecords, opts: { limit: number; chunkSize?: number }) {
    this.records = records;
    this.limit = opts.limit;
    this.chunkSize = opts.chunkSize ?? DEFAULT_CHUNK_SIZE;
  }

  /**
   * The batch at `position`: its header fields are always readable through the view; with
   * `withData` the whole batch is in the view's buffer (for CRC checks and decoding).
   */
  async at(position: number, withData: boolean): Promise<ScanResult> {
    if (position >= this.limit) return { status: 'end' };
    const remaining = this.limit - position;
    if (remaining < HEADER_SIZE_UP_TO_MAGIC) return { status: 'truncated', position };
    if (!(await this.ensure(position, Math.min(RECORD_BATCH_OVERHEAD, remaining)))) return { status: 'truncated', position };
    const at = position - this.chunkStart;
    const size = LOG_OVERHEAD + this.chunk.readInt32BE(at + BatchField.batchLength);
    const magic = this.chunk.readInt8(at + BatchField.magic);
    if (magic !== MAGIC_V2) return { status: 'corrupt', position, message: `unexpected magic ${magic}` };
    if (size < RECORD_BATCH_OVERHEAD) {
      return { status: 'corrupt', position, message: `batch size ${size} is smaller than the minimum ${RECORD_BATCH_OVERHEAD}` };
    }
    if (size > remaining) return { status: 'truncated', position };
    if (withData && !(await this.ensure(position, size))) return { status: 'truncated', position };
    return { status: 'ok', position, size, view: new RecordBatchView(this.chunk, position - this.chunkStart) };
  }

  /** Makes bytes [position, position+length) available in the chunk; false if the file is shorter. */
  private async ensure(position: number, length: number): Promise<boolean> {
    if (position >= this.chunkStart && position + length <= this.chunkStart + this.chunk.length) return true;
    // In the tail cache a batch never straddles two appends: a view of the append holding it will do.
    const cached = this.records.cachedView(position, this.limit);
    if (cached !== undefined && cached.length >= length) {
      this.chunk = cached;
      this.chunkStart = position;
      return true;
    }
    const readLength = Math.min(Math.max(length, this.chunkSize), this.limit - position);
    this.chunk = await this.records.read(position, readLength);
    this.chunkStart = position;
    return this.chunk.length >= length;
  }
}
