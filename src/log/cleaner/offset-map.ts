/**
 * The cleaner's key → last offset map (Kafka's SkimpyOffsetMap): an open-addressing hash table of
 * fixed-size slots holding the key's digest (MD5, 16 bytes) and the offset (8 bytes), so its memory is
 * bounded by `log.cleaner.dedupe.buffer.size / log.cleaner.threads` whatever the keys are. Two keys with
 * the same digest count as one (Kafka accepts the same negligible risk). Probing follows Kafka: the
 * first attempts read successive 4-byte windows of the digest, later ones step linearly.
 *
 * Kafka allocates the whole buffer up front; here the table starts small and doubles (rehashing) up
 * to the configured size, so a broker with small compacted logs does not hold the full buffer. The
 * capacity, utilization and "full" limits are those of the full-size table.
 *
 * An occupied slot stores offset + 1, so a zero word marks an empty slot.
 */
import { createHash, hash } from 'node:crypto';
import { readInt64, writeInt64 } from '../../protocol/records/record-batch';

const INITIAL_SLOTS = 1 << 14;
/** Grow the table when it is this full (until it has all of its slots). */
const GROW_AT = 0.7;

/** The map; see the file comment. */
export class SkimpyOffsetMap {
  /** Largest number of entries (memory / bytesPerEntry), as Kafka's `slots`. */
  readonly slots: number;
  readonly bytesPerEntry: number;
  private readonly hashAlgorithm: string;
  private readonly hashSize: number;
  private table: Buffer;
  private capacity: number;
  private entries = 0;
  private lastOffset = -1;

  constructor(opts: { memory: number; hashAlgorithm?: string }) {
    this.hashAlgorithm = opts.hashAlgorithm ?? 'MD5';
    this.hashSize = createHash(this.hashAlgorithm).digest().length;
    this.bytesPerEntry = this.hashSize + 8;
    this.slots = Math.floor(opts.memory / this.bytesPerEntry);
    if (this.slots < 1) throw new RangeError(`An offset map of ${opts.memory} bytes has no room for a single entry`);
    this.capacity = Math.min(this.slots, INITIAL_SLOTS);
    this.table = Buffer.alloc(this.capacity * this.bytesPerEntry);
  }

  /** Number of distinct key digests in the map. */
  get size(): number {
    return this.entries;
  }

  /** The offset of the last put, or the one set by updateLatestOffset; -1 when empty. */
  get latestOffset(): number {
    return this.lastOffset;
  }

  /** entries / slots. */
  get utilization(): number {
    return this.entries / this.slots;
  }

  /** The digest of a key. */
  hash(key: Buffer): Buffer {
    return hash(this.hashAlgorithm, key, 'buffer');
  }

  /** Records `offset` as the latest offset of `key`. Throws when the map is full. */
  put(key: Buffer, offset: number): void {
    if (this.entries >= this.slots) throw new RangeError('Attempt to add a new entry to a full offset map.');
    const digest = this.hash(key);
    if (this.entries >= this.capacity * GROW_AT && this.capacity < this.slots) this.grow();
    const at = this.find(digest, this.table, this.capacity) * this.bytesPerEntry;
    if (readInt64(this.table, at + this.hashSize) === 0) {
      digest.copy(this.table, at);
      this.entries++;
    }
    writeInt64(this.table, offset + 1, at + this.hashSize);
    this.lastOffset = offset;
  }

  /** The latest offset recorded for `key`, or -1. */
  get(key: Buffer): number {
    const slot = this.find(this.hash(key), this.table, this.capacity);
    if (slot < 0) return -1;
    return readInt64(this.table, slot * this.bytesPerEntry + this.hashSize) - 1;
  }

  /** Moves the latest offset (the end of a segment mapped in full). */
  updateLatestOffset(offset: number): void {
    this.lastOffset = offset;
  }

  /** Empties the map (before each cleaning). */
  clear(): void {
    this.capacity = Math.min(this.slots, INITIAL_SLOTS);
    this.table = Buffer.alloc(this.capacity * this.bytesPerEntry);
    this.entries = 0;
    this.lastOffset = -1;
  }

  /**
   * The slot holding `digest`, or the empty slot where it would go; -1 when the table is full and
   * does not hold it (the linear steps after the digest windows visit every slot).
   */
  private find(digest: Buffer, table: Buffer, capacity: number): number {
    for (let attempt = 0; attempt < capacity + this.hashSize; attempt++) {
      const window = Math.min(attempt, this.hashSize - 4);
      const probe = (digest.readInt32BE(window) + Math.max(0, attempt - this.hashSize + 4)) | 0;
      const slot = (probe & 0x7fffffff) % capacity;
      const at = slot * this.bytesPerEntry;
      if (readInt64(table, at + this.hashSize) === 0 || table.compare(digest, 0, this.hashSize, at, at + this.hashSize) === 0) return slot;
    }
    return -1;
  }

  private grow(): void {
    const capacity = Math.min(this.slots, this.capacity * 2);
    const table = Buffer.alloc(capacity * this.bytesPerEntry);
    for (let slot = 0; slot < this.capacity; slot++) {
      const at = slot * this.bytesPerEntry;
      if (readInt64(this.table, at + this.hashSize) === 0) continue;
      const digest = this.table.subarray(at, at + this.hashSize);
      const to = this.find(digest, table, capacity) * this.bytesPerEntry;
      this.table.copy(table, to, at, at + this.bytesPerEntry);
    }
    this.table = table;
    this.capacity = capacity;
  }
}
