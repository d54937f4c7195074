/**
 * What a partition remembers of one idempotent producer (Kafka's ProducerStateEntry and BatchMetadata,
 * storage module of 3.9; KIP-98, KIP-360): its epoch, the metadata of its last 5 batches (so that a
 * retried batch among the last 5 in flight is recognised as a duplicate) and the timestamp of its last
 * write (for producer.id.expiration.ms).
 *
 * Sequences are int32 and wrap from Integer.MAX_VALUE to 0 (DefaultRecordBatch.incrementSequence /
 * decrementSequence), so the first sequence of a batch is derived from its last one with wrap-around.
 */

/** Kafka's ProducerStateEntry.NUM_BATCHES_TO_RETAIN: how many batches a producer may have in flight. */
export const NUM_BATCHES_TO_RETAIN = 5;
/** RecordBatch.NO_PRODUCER_EPOCH. */
export const NO_PRODUCER_EPOCH = -1;
/** RecordBatch.NO_SEQUENCE. */
export const NO_SEQUENCE = -1;
const INT32_MAX = 2147483647;

/** `sequence + increment` wrapping past Integer.MAX_VALUE to 0 (DefaultRecordBatch.incrementSequence). */
export function incrementSequence(sequence: number, increment: number): number {
  if (sequence > INT32_MAX - increment) return increment - (INT32_MAX - sequence) - 1;
  return sequence + increment;
}

/** `sequence - decrement` wrapping below 0 to Integer.MAX_VALUE (DefaultRecordBatch.decrementSequence). */
export function decrementSequence(sequence: number, decrement: number): number {
  if (sequence < decrement) return INT32_MAX - (decrement - sequence) + 1;
  return sequence - decrement;
}

/** Whether `nextSeq` directly follows `lastSeq` (ProducerAppendInfo.inSequence, with the wrap to 0). */
export function inSequence(lastSeq: number, nextSeq: number): boolean {
  return nextSeq === lastSeq + 1 || (nextSeq === 0 && lastSeq === INT32_MAX);
}

/** One appended batch of a producer (Kafka's BatchMetadata). */
export interface BatchMetadata {
  readonly lastSeq: number;
  readonly lastOffset: number;
  /** lastOffset - firstOffset of the batch (its lastOffsetDelta). */
  readonly offsetDelta: number;
  /** The batch's max timestamp. */
  readonly timestamp: number;
}

/** The first sequence of a cached batch. */
export function firstSeqOf(batch: BatchMetadata): number {
  return decrementSequence(batch.lastSeq, batch.offsetDelta);
}

/** The first offset of a cached batch. */
export function firstOffsetOf(batch: BatchMetadata): number {
  return batch.lastOffset - batch.offsetDelta;
}

/** A producer's state in one partition; see the file comment. */
export class ProducerStateEntry {
  readonly producerId: number;
  producerEpoch: number;
  /** The epoch of the last transaction coordinator that wrote a marker (-1: none; no transactions here). */
  coordinatorEpoch: number;
  lastTimestamp: number;
  /** First offset of an ongoing transaction, -1 when none (always -1: no transactions here). */
  currentTxnFirstOffset: number;
  private readonly batches: BatchMetadata[] = [];

  constructor(
    producerId: number,
    opts: { producerEpoch: number; coordinatorEpoch?: number; lastTimestamp?: number; currentTxnFirstOffset?: number; batch?: BatchMetadata },
  ) {
    this.producerId = producerId;
    this.producerEpoch = opts.producerEpoch;
    this.coordinatorEpoch = opts.coordinatorEpoch ?? -1;
    this.lastTimestamp = opts.lastTimestamp ?? -1;
    this.currentTxnFirstOffset = opts.currentTxnFirstOffset ?? -1;
    if (opts.batch) this.batches.push(opts.batch);
  }

  /** An entry for a producer never seen: no epoch, no batches. */
  static empty(producerId: number): ProducerStateEntry {
    return new ProducerStateEntry(producerId, { producerEpoch: NO_PRODUCER_EPOCH });
  }

  /** The cached batches, oldest first (at most NUM_BATCHES_TO_RETAIN). */
  get batchMetadata(): readonly BatchMetadata[] {
    return this.batches;
  }

  get isEmpty(): boolean {
    return this.batches.length === 0;
  }

  private get last(): BatchMetadata | undefined {
    return this.batches[this.batches.length - 1];
  }

  get firstSeq(): number {
    return this.isEmpty ? NO_SEQUENCE : firstSeqOf(this.batches[0]);
  }

  get lastSeq(): number {
    return this.last?.lastSeq ?? NO_SEQUENCE;
  }

  get firstDataOffset(): number {
    return this.isEmpty ? -1 : firstOffsetOf(this.batches[0]);
  }

  get lastDataOffset(): number {
    return this.last?.lastOffset ?? -1;
  }

  get lastOffsetDelta(): number {
    return this.last?.offsetDelta ?? 0;
  }

  /** A copy with the same epoch and no batches, which an append fills before it is applied. */
  emptyCopy(): ProducerStateEntry {
    return new ProducerStateEntry(this.producerId, {
      producerEpoch: this.producerEpoch,
      coordinatorEpoch: this.coordinatorEpoch,
      lastTimestamp: this.lastTimestamp,
      currentTxnFirstOffset: this.currentTxnFirstOffset,
    });
  }

  /** Adds a batch, forgetting the cached ones when the epoch changes. */
  addBatch(producerEpoch: number, batch: BatchMetadata): void {
    this.maybeUpdateProducerEpoch(producerEpoch);
    this.addBatchMetadata(batch);
    this.lastTimestamp = batch.timestamp;
  }

  /** Sets the epoch; a new epoch clears the cached batches. Returns whether it changed. */
  maybeUpdateProducerEpoch(producerEpoch: number): boolean {
    if (this.producerEpoch === producerEpoch) return false;
    this.batches.length = 0;
    this.producerEpoch = producerEpoch;
    return true;
  }

  private addBatchMetadata(batch: BatchMetadata): void {
    if (this.batches.length === NUM_BATCHES_TO_RETAIN) this.batches.shift();
    this.batches.push(batch);
  }

  /** Applies the entry an append built on top of this one (ProducerStateEntry.update). */
  update(next: ProducerStateEntry): void {
    this.maybeUpdateProducerEpoch(next.producerEpoch);
    this.coordinatorEpoch = next.coordinatorEpoch;
    this.lastTimestamp = next.lastTimestamp;
    this.currentTxnFirstOffset = next.currentTxnFirstOffset;
    for (const b of next.batches) this.addBatchMetadata(b);
  }

  /**
   * The cached batch with exactly this epoch and sequence range (ProducerStateEntry.findDuplicateBatch),
   * i.e. the batch a retried send already appended.
   */
  findDuplicateBatch(batch: { producerEpoch: number; baseSequence: number; lastSequence: number }): BatchMetadata | undefined {
    if (batch.producerEpoch !== this.producerEpoch) return undefined;
    return this.batches.find((b) => firstSeqOf(b) === batch.baseSequence && b.lastSeq === batch.lastSequence);
  }
}
