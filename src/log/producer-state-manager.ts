/**
 * Per-partition state of idempotent producers (Kafka's ProducerStateManager and ProducerAppendInfo,
 * storage module of 3.9; KIP-98 and KIP-360, the non-transactional part).
 *
 * For every producer id the partition holds the epoch and the last 5 batches. A leader append of a batch
 * with a producer id (origin client) is checked against it before it is written:
 * - a batch with the epoch and exact sequence range of a cached batch is a duplicate: the log does not
 *   write it and answers with the offsets of the original (UnifiedLog.analyzeAndValidateProducerState);
 * - an epoch below the producer's is refused with INVALID_PRODUCER_EPOCH (since 2.7 Kafka answers
 *   Produce with it rather than PRODUCER_FENCED);
 * - a new epoch must start at sequence 0 unless the producer is unknown, and within an epoch the first
 *   sequence must follow the last one (with the int32 wrap to 0), else OUT_OF_ORDER_SEQUENCE_NUMBER;
 * - a producer the partition does not know (never seen, expired, or its data deleted) is accepted at any
 *   sequence: since KIP-360 brokers no longer answer UNKNOWN_PRODUCER_ID to produce requests.
 * Follower appends and log recovery (origin replication) apply batches without these checks; an older
 * epoch there is only logged.
 *
 * The state covers the log below `mapEndOffset`. Snapshots (producer-state-snapshot.ts) are taken at
 * segment rolls and at close, named by that offset; after a restart or a truncation the state is
 * reloaded from the latest snapshot at or below the log end and the log after it is replayed
 * (producer-state-recovery.ts). Idle producers are forgotten after producer.id.expiration.ms, counted
 * from the max timestamp of their last batch, as Kafka's isProducerExpired.
 */
import type { Logger } from '../common/logger';
import { KafkaError } from '../common/kafka-error';
import { ErrorCode } from '../protocol/errors';
import { batches, NO_PRODUCER_ID, type RecordBatchView } from '../protocol/records/record-batch';
import {
  type BatchMetadata,
  incrementSequence,
  inSequence,
  NO_PRODUCER_EPOCH,
  NO_SEQUENCE,
  ProducerStateEntry,
} from './producer-state-entry';
import {
  CorruptSnapshotError,
  deleteProducerSnapshot,
  listProducerSnapshots,
  producerSnapshotFile,
  readProducerSnapshot,
  writeProducerSnapshot,
} from './producer-state-snapshot';

/** Who appends: a client through Produce, a coordinator of this broker, or replication/recovery. */
export type ProducerAppendOrigin = 'client' | 'coordinator' | 'replication';

/** OUT_OF_ORDER_SEQUENCE_NUMBER (Kafka's OutOfOrderSequenceException). */
export class OutOfOrderSequenceError extends KafkaError {
  override readonly name = 'OutOfOrderSequenceError';
  constructor(message: string) {
    super(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER, message);
  }
}

/** INVALID_PRODUCER_EPOCH (Kafka's InvalidProducerEpochException). */
export class InvalidProducerEpochError extends KafkaError {
  override readonly name = 'InvalidProducerEpochError';
  constructor(message: string) {
    super(ErrorCode.INVALID_PRODUCER_EPOCH, message);
  }
}

/** The header fields of a batch the producer state looks at. */
export interface ProducerBatch {
  producerId: number;
  producerEpoch: number;
  baseSequence: number;
  baseOffset: number;
  lastOffset: number;
  maxTimestamp: number;
}

/** The last sequence of a batch (DefaultRecordBatch.lastSequence, with wrap). */
export function lastSequenceOf(batch: ProducerBatch): number {
  if (batch.baseSequence === NO_SEQUENCE) return NO_SEQUENCE;
  return incrementSequence(batch.baseSequence, batch.lastOffset - batch.baseOffset);
}

/**
 * The batches of one producer in one append, validated against its current entry and collected into a
 * new entry that update() applies once the append is written (Kafka's ProducerAppendInfo).
 */
export class ProducerAppendInfo {
  readonly producerId: number;
  private readonly current: ProducerStateEntry;
  private readonly origin: ProducerAppendOrigin;
  private readonly ctx: { topicPartition: string; logger: Logger };
  private readonly updated: ProducerStateEntry;

  /** Appends on top of `current` (the producer's entry, or an empty one for a producer never seen). */
  constructor(current: ProducerStateEntry, opts: { origin: ProducerAppendOrigin; topicPartition: string; logger: Logger }) {
    this.producerId = current.producerId;
    this.current = current;
    this.origin = opts.origin;
    this.ctx = { topicPartition: opts.topicPartition, logger: opts.logger };
    this.updated = current.emptyCopy();
  }

  /** Validates a batch (unless replicated) and adds it; throws the KafkaError of a failed check. */
  append(batch: ProducerBatch): void {
    const lastSeq = lastSequenceOf(batch);
    this.checkProducerEpoch(batch.producerEpoch, batch.baseOffset);
    if (this.origin === 'client') this.checkSequence(batch.producerEpoch, batch.baseSequence, batch.baseOffset);
    this.updated.addBatch(batch.producerEpoch, {
      lastSeq,
      lastOffset: batch.lastOffset,
      offsetDelta: batch.lastOffset - batch.baseOffset,
      timestamp: batch.maxTimestamp,
    });
  }

  private checkProducerEpoch(producerEpoch: number, offset: number): void {
    if (producerEpoch >= this.updated.producerEpoch) return;
    const message =
      `Epoch of producer ${this.producerId} at offset ${offset} in ${this.ctx.topicPartition} is ${producerEpoch}, ` +
      `which is smaller than the last seen epoch ${this.updated.producerEpoch}`;
    if (this.origin === 'replication') this.ctx.logger.warn(message);
    else throw new InvalidProducerEpochError(message);
  }

  private checkSequence(producerEpoch: number, appendFirstSeq: number, offset: number): void {
    if (producerEpoch !== this.updated.producerEpoch) {
      if (appendFirstSeq !== 0 && this.updated.producerEpoch !== NO_PRODUCER_EPOCH) {
        throw new OutOfOrderSequenceError(
          `Invalid sequence number for new epoch of producer ${this.producerId} at offset ${offset} in partition ` +
            `${this.ctx.topicPartition}: ${producerEpoch} (request epoch), ${appendFirstSeq} (seq. number), ` +
            `${this.updated.producerEpoch} (current producer epoch)`,
        );
      }
      return;
    }
    let currentLastSeq: number;
    if (!this.updated.isEmpty) currentLastSeq = this.updated.lastSeq;
    else if (producerEpoch === this.current.producerEpoch) currentLastSeq = this.current.lastSeq;
    else currentLastSeq = NO_SEQUENCE;
    // A producer whose records are all gone (retention, DeleteRecords) has no epoch: any sequence is accepted.
    if (this.current.producerEpoch !== NO_PRODUCER_EPOCH && !inSequence(currentLastSeq, appendFirstSeq)) {
      throw new OutOfOrderSequenceError(
        `Out of order sequence number for producer ${this.producerId} at offset ${offset} in partition ` +
          `${this.ctx.topicPartition}: ${appendFirstSeq} (incoming seq. number), ${currentLastSeq} (current end sequence number)`,
      );
    }
  }

  /** The entry to merge into the partition's state. */
  toEntry(): ProducerStateEntry {
    return this.updated;
  }
}

/** The outcome of checking an append against the producer state. */
export interface AnalyzedAppend {
  /** The cached batch a client append repeats; nothing is then written. */
  duplicate?: BatchMetadata;
  /** Per producer id, what update() applies once the batches are written. */
  updates: Map<number, ProducerAppendInfo>;
}

/** What a ProducerStateManager is built from. */
export interface ProducerStateManagerOptions {
  /** The partition directory, where snapshots live. */
  dir: string;
  topicPartition: string;
  logger: Logger;
}

/** A partition's producer state; see the file comment. */
export class ProducerStateManager {
  readonly dir: string;
  readonly topicPartition: string;
  private readonly logger: Logger;
  private readonly producers = new Map<number, ProducerStateEntry>();
  /** Offsets of the snapshot files on disk. */
  private readonly snapshots = new Set<number>();
  private lastMapOffset = 0;
  private lastSnapOffset = 0;

  private constructor(opts: ProducerStateManagerOptions, snapshotOffsets: readonly number[]) {
    this.dir = opts.dir;
    this.topicPartition = opts.topicPartition;
    this.logger = opts.logger;
    for (const o of snapshotOffsets) this.snapshots.add(o);
  }

  /** A manager for `opts.dir` that knows its snapshot files (the state itself is loaded by truncateAndReload). */
  static async open(opts: ProducerStateManagerOptions): Promise<ProducerStateManager> {
    return new ProducerStateManager(opts, await listProducerSnapshots(opts.dir));
  }

  /** The offset the state covers the log up to (exclusive). */
  get mapEndOffset(): number {
    return this.lastMapOffset;
  }

  get isEmpty(): boolean {
    return this.producers.size === 0;
  }

  /** The producers with state, by id (read-only use). */
  get activeProducers(): ReadonlyMap<number, ProducerStateEntry> {
    return this.producers;
  }

  /** The offset of the latest snapshot file, undefined when there is none. */
  get latestSnapshotOffset(): number | undefined {
    let latest: number | undefined;
    for (const o of this.snapshots) if (latest === undefined || o > latest) latest = o;
    return latest;
  }

  /** Offsets of the snapshot files, ascending. */
  snapshotOffsets(): number[] {
    return [...this.snapshots].sort((a, b) => a - b);
  }

  lastEntry(producerId: number): ProducerStateEntry | undefined {
    return this.producers.get(producerId);
  }

  /** An append info for `producerId` on top of its current entry (or an empty one). */
  prepareUpdate(producerId: number, origin: ProducerAppendOrigin): ProducerAppendInfo {
    const current = this.producers.get(producerId) ?? ProducerStateEntry.empty(producerId);
    return new ProducerAppendInfo(current, { origin, topicPartition: this.topicPartition, logger: this.logger });
  }

  /**
   * Checks the batches of an append (offsets assigned) against the state, as Kafka's
   * analyzeAndValidateProducerState: a client batch repeating a cached one returns it as the duplicate
   * (and nothing else is checked); otherwise every batch with a producer id is validated. Throws the
   * KafkaError of a failed check. Changes nothing: apply the result with update() after writing.
   */
  analyzeAppend(records: Buffer, origin: ProducerAppendOrigin): AnalyzedAppend {
    const updates = new Map<number, ProducerAppendInfo>();
    for (const b of batches(records)) {
      if (b.producerId === NO_PRODUCER_ID) continue;
      const batch = producerBatchOf(b);
      if (origin === 'client') {
        const duplicate = this.producers
          .get(batch.producerId)
          ?.findDuplicateBatch({ producerEpoch: batch.producerEpoch, baseSequence: batch.baseSequence, lastSequence: lastSequenceOf(batch) });
        if (duplicate) return { duplicate, updates: new Map() };
      }
      let info = updates.get(batch.producerId);
      if (!info) updates.set(batch.producerId, (info = this.prepareUpdate(batch.producerId, origin)));
      info.append(batch);
    }
    return { updates };
  }

  /** Applies validated appends (ProducerStateManager.update). */
  update(updates: Iterable<ProducerAppendInfo>): void {
    for (const info of updates) {
      const next = info.toEntry();
      const current = this.producers.get(info.producerId);
      if (current) current.update(next);
      else this.producers.set(info.producerId, next);
    }
  }

  /** Applies written batches without validation (follower appends, log recovery). */
  loadBatches(records: Buffer): void {
    this.update(this.analyzeAppend(records, 'replication').updates.values());
  }

  /** Applies one batch header without validation (recovery scans headers only). */
  loadBatch(batch: ProducerBatch): void {
    if (batch.producerId === NO_PRODUCER_ID) return;
    const info = this.prepareUpdate(batch.producerId, 'replication');
    info.append(batch);
    this.update([info]);
  }

  updateMapEndOffset(offset: number): void {
    this.lastMapOffset = offset;
  }

  /**
   * Writes a snapshot at the map end offset unless one exists there already (takeSnapshot). Returns
   * whether a file was written.
   */
  async takeSnapshot(opts: { sync: boolean } = { sync: true }): Promise<boolean> {
    // Not worth a file unless the state moved past the last snapshot.
    if (this.lastMapOffset <= this.lastSnapOffset) return false;
    await writeProducerSnapshot(producerSnapshotFile(this.dir, this.lastMapOffset), this.producers.values(), opts);
    this.snapshots.add(this.lastMapOffset);
    this.lastSnapOffset = this.lastMapOffset;
    return true;
  }

  /**
   * Deletes the snapshots outside (logStartOffset, logEndOffset] and, unless the state already ends at
   * logEndOffset, reloads it from the latest remaining snapshot (truncateAndReload). The caller then
   * replays the log from mapEndOffset.
   */
  async truncateAndReload(logEndOffset: number, opts: { logStartOffset: number; now: number; expirationMs?: number }): Promise<void> {
    for (const offset of [...this.snapshots]) {
      if (offset > logEndOffset || offset <= opts.logStartOffset) await this.removeSnapshot(offset);
    }
    if (logEndOffset !== this.lastMapOffset) {
      this.producers.clear();
      await this.loadFromSnapshot(opts);
    }
  }

  private async loadFromSnapshot(opts: { logStartOffset: number; now: number; expirationMs?: number }): Promise<void> {
    const { logStartOffset, now, expirationMs } = opts;
    for (;;) {
      const latest = this.latestSnapshotOffset;
      if (latest === undefined) {
        this.lastSnapOffset = logStartOffset;
        this.lastMapOffset = logStartOffset;
        return;
      }
      const file = producerSnapshotFile(this.dir, latest);
      try {
        this.logger.info(`Loading producer state from snapshot file '${file}'`);
        const entries = await readProducerSnapshot(file);
        for (const e of entries) {
          if (expirationMs === undefined || !isProducerExpired(e, { now, expirationMs })) this.producers.set(e.producerId, e);
        }
        this.lastSnapOffset = latest;
        this.lastMapOffset = latest;
        return;
      } catch (err) {
        if (!(err instanceof CorruptSnapshotError)) throw err;
        this.logger.warn(`Failed to load producer snapshot from '${file}': ${err.message}`);
        await this.removeSnapshot(latest);
      }
    }
  }

  /** Clears the state and every snapshot, for a log restarting empty at `offset` (truncateFullyAndStartAt). */
  async truncateFullyAndStartAt(offset: number): Promise<void> {
    this.producers.clear();
    for (const o of [...this.snapshots]) await this.removeSnapshot(o);
    this.lastSnapOffset = offset;
    this.lastMapOffset = offset;
  }

  /** Deletes the snapshots of segments that retention removed (UnifiedLog.deleteProducerSnapshots). */
  async deleteSnapshotsAt(offsets: Iterable<number>): Promise<void> {
    for (const o of offsets) if (this.snapshots.has(o)) await this.removeSnapshot(o);
  }

  /** The log start offset moved: the state never starts before it. */
  onLogStartOffsetIncremented(logStartOffset: number): void {
    if (this.lastMapOffset < logStartOffset) this.lastMapOffset = logStartOffset;
    this.lastSnapOffset = this.latestSnapshotOffset ?? logStartOffset;
  }

  /** Forgets producers idle for `expirationMs` (removeExpiredProducers); returns how many went. */
  removeExpiredProducers(now: number, expirationMs: number): number {
    let removed = 0;
    for (const [id, entry] of this.producers) {
      if (isProducerExpired(entry, { now, expirationMs })) {
        this.producers.delete(id);
        removed++;
      }
    }
    return removed;
  }

  private async removeSnapshot(offset: number): Promise<void> {
    this.snapshots.delete(offset);
    await deleteProducerSnapshot(this.dir, offset);
  }
}

/** Kafka's isProducerExpired: no ongoing transaction and the last batch older than the expiration. */
export function isProducerExpired(entry: ProducerStateEntry, opts: { now: number; expirationMs: number }): boolean {
  return entry.currentTxnFirstOffset < 0 && opts.now - entry.lastTimestamp >= opts.expirationMs;
}

/** The producer fields of a batch header. */
export function producerBatchOf(view: RecordBatchView): ProducerBatch {
  return {
    producerId: view.producerId,
    producerEpoch: view.producerEpoch,
    baseSequence: view.baseSequence,
    baseOffset: view.baseOffset,
    lastOffset: view.lastOffset,
    maxTimestamp: view.maxTimestamp,
  };
}
