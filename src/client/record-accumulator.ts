/**
 * The producer's per-partition batching (Kafka's RecordAccumulator): records are appended to the open
 * batch of their partition until it holds about `batch.size` bytes or `linger.ms` passed; closed batches
 * are encoded as RecordBatch v2 (with the records module, compressed as configured) while they wait for
 * the sender. Nothing here touches the network.
 */

import { buildRecordBatch } from '../protocol/records/record-batch-builder';
import type { CompressionName } from '../protocol/records/record-batch';
import type { RecordHeader } from '../protocol/records/record';

/** What the producer knows of a record once it has been acknowledged. */
export interface RecordMetadata {
  topic: string;
  partition: number;
  /** -1 when acks=0. */
  offset: number;
  /** CreateTime given or assigned at send(), or the broker's LogAppendTime. */
  timestamp: number;
}

/** Completion callback of one record. */
export type SendCallback = (err: Error | null, metadata?: RecordMetadata) => void;

/** A record inside the accumulator (bytes resolved, timestamp assigned). */
export interface AccumulatedRecord {
  key: Buffer | null;
  value: Buffer | null;
  headers: RecordHeader[] | undefined;
  timestamp: number;
}

/** One batch for one partition, from first append to acknowledgement. */
export class ProducerBatch {
  readonly records: AccumulatedRecord[] = [];
  /** Per-record callbacks, allocated only when a record has one. */
  callbacks: (SendCallback | undefined)[] | null = null;
  estimatedBytes = 0;
  /** Encoded RecordBatch v2, once built. */
  payload: Buffer | null = null;
  building: Promise<void> | null = null;
  buildError: Error | null = null;
  attempts = 0;
  /** Not to be sent again before this time (retry backoff). */
  retryAfterMs = 0;
  done = false;
  /** Called once when the batch completes or fails (the producer releases its buffer bytes). */
  onDone: ((batch: ProducerBatch) => void) | null = null;

  constructor(
    readonly topic: string,
    readonly partition: number,
    readonly createdMs: number,
  ) {}

  get recordCount(): number {
    return this.records.length;
  }

  append(record: AccumulatedRecord, bytes: number, callback: SendCallback | undefined): void {
    if (callback) {
      if (!this.callbacks) this.callbacks = new Array<SendCallback | undefined>(this.records.length);
      this.callbacks[this.records.length] = callback;
    } else if (this.callbacks) {
      this.callbacks.push(undefined);
    }
    this.records.push(record);
    this.estimatedBytes += bytes;
  }

  /** Starts encoding the batch (once). */
  build(compression: CompressionName): Promise<void> {
    if (!this.building) {
      this.building = buildRecordBatch(this.records, { compression }).then(
        (buf) => {
          this.payload = buf;
        },
        (err: unknown) => {
          this.buildError = err instanceof Error ? err : new Error(String(err));
        },
      );
    }
    return this.building;
  }

  /** Calls every callback with the outcome; `baseOffset` -1 for acks=0. */
  complete(baseOffset: number, logAppendTime: number): void {
    if (this.done) return;
    this.done = true;
    this.onDone?.(this);
    const callbacks = this.callbacks;
    if (!callbacks) return;
    for (let i = 0; i < callbacks.length; i++) {
      const cb = callbacks[i];
      if (!cb) continue;
      cb(null, {
        topic: this.topic,
        partition: this.partition,
        offset: baseOffset < 0 ? -1 : baseOffset + i,
        timestamp: logAppendTime >= 0 ? logAppendTime : this.records[i]!.timestamp,
      });
    }
  }

  /** Fails every record of the batch. */
  fail(err: Error): void {
    if (this.done) return;
    this.done = true;
    this.onDone?.(this);
    const callbacks = this.callbacks;
    if (!callbacks) return;
    for (const cb of callbacks) cb?.(err);
  }
}

/** The batches of one partition: at most one open, then closed ones in send order. */
export class PartitionQueue {
  open: ProducerBatch | null = null;
  readonly closed: ProducerBatch[] = [];

  constructor(
    readonly topic: string,
    readonly partition: number,
  ) {}

  get isEmpty(): boolean {
    return this.open === null && this.closed.length === 0;
  }
}

/** Estimated encoded size of a record (Kafka's DefaultRecord.sizeInBytes upper bound). */
export function estimateRecordSize(record: AccumulatedRecord): number {
  let size = 21 + (record.key?.length ?? 0) + (record.value?.length ?? 0);
  if (record.headers) {
    for (const h of record.headers) size += 10 + Buffer.byteLength(h.key) + (h.value?.length ?? 0);
  }
  return size;
}

/** Per-partition batching state of a producer. */
export class RecordAccumulator {
  private readonly queues = new Map<string, PartitionQueue>();

  constructor(
    private readonly batchSize: number,
    private readonly lingerMs: number,
    private readonly compression: CompressionName,
    private readonly onBatchDone: ((batch: ProducerBatch) => void) | null = null,
  ) {}

  /**
   * Appends a record; returns true when a batch became ready to send (full). Positional arguments on
   * purpose: this runs once per record, and an options object would be one more allocation each time.
   */
  append(
    topic: string,
    partition: number,
    record: AccumulatedRecord,
    bytes: number,
    callback: SendCallback | undefined,
    nowMs: number,
  ): boolean {
    const queue = this.queue(topic, partition);
    let batch = queue.open;
    if (batch && batch.estimatedBytes + bytes > this.batchSize && batch.recordCount > 0) {
      this.close(queue);
      batch = null;
    }
    if (!batch) {
      batch = new ProducerBatch(topic, partition, nowMs);
      batch.onDone = this.onBatchDone;
      queue.open = batch;
    }
    batch.append(record, bytes, callback);
    if (batch.estimatedBytes >= this.batchSize) {
      this.close(queue);
      return true;
    }
    return false;
  }

  /** Closes open batches whose linger expired (or all of them when `force`); returns how many. */
  closeExpired(nowMs: number, force: boolean): number {
    let n = 0;
    for (const queue of this.queues.values()) {
      if (queue.open && (force || nowMs - queue.open.createdMs >= this.lingerMs)) {
        this.close(queue);
        n++;
      }
    }
    return n;
  }

  /** The earliest time an open batch's linger expires, or undefined. */
  nextLingerExpiry(): number | undefined {
    let next: number | undefined;
    for (const queue of this.queues.values()) {
      if (queue.open) {
        const t = queue.open.createdMs + this.lingerMs;
        if (next === undefined || t < next) next = t;
      }
    }
    return next;
  }

  /** Every partition queue (for the sender). */
  all(): IterableIterator<PartitionQueue> {
    return this.queues.values();
  }

  /** Puts a batch back at the head of its partition's queue for another attempt. */
  reenqueue(batch: ProducerBatch): void {
    const queue = this.queue(batch.topic, batch.partition);
    queue.closed.unshift(batch);
  }

  /** Takes a closed batch out of its partition's queue (it is being sent). */
  remove(batch: ProducerBatch): void {
    const queue = this.queues.get(`${batch.topic}\u0000${batch.partition}`);
    if (!queue) return;
    const i = queue.closed.indexOf(batch);
    if (i >= 0) queue.closed.splice(i, 1);
  }

  /** True if no batch is open or waiting. */
  get isEmpty(): boolean {
    for (const q of this.queues.values()) if (!q.isEmpty) return false;
    return true;
  }

  /** Removes and returns every waiting batch (on close/abort). */
  drainAll(): ProducerBatch[] {
    const out: ProducerBatch[] = [];
    for (const q of this.queues.values()) {
      out.push(...q.closed.splice(0));
      if (q.open) out.push(q.open);
      q.open = null;
    }
    return out;
  }

  private queue(topic: string, partition: number): PartitionQueue {
    const key = `${topic}\u0000${partition}`;
    let q = this.queues.get(key);
    if (!q) {
      q = new PartitionQueue(topic, partition);
      this.queues.set(key, q);
    }
    return q;
  }

  private close(queue: PartitionQueue): void {
    const batch = queue.open;
    if (!batch) return;
    queue.open = null;
    queue.closed.push(batch);
    void batch.build(this.compression);
  }
}
