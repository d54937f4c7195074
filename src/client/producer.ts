/**
 * The project's producer (Kafka's KafkaProducer without idempotence or transactions): records are
 * partitioned (explicit partition, murmur2 of the key, or uniform sticky for null keys — see
 * partitioner.ts), batched per partition by the RecordAccumulator (batch.size, linger.ms,
 * compression.type), and sent by leader in Produce requests (v3-11, RecordBatch v2), at most
 * max.in.flight.requests.per.connection at a time per broker. Retriable errors re-enqueue the batch
 * after a metadata refresh until delivery.timeout.ms.
 *
 * Built to push hundreds of thousands of small records per second from one process: `send(record,
 * callback)` allocates no promise, completion is per batch, and a record costs one small object.
 * `send(record)` without a callback returns a promise for convenience.
 */

import { ApiKeys, ErrorCode, type RequestInputOf, type ResponseOf } from '../protocol';
import type { CompressionName } from '../protocol/records/record-batch';
import type { RecordHeader } from '../protocol/records/record';
import type { BrokerConnection } from './broker-connection';
import { ClientClosedError, KafkaResponseError, OperationTimeoutError, isRetriable } from './client-errors';
import type { KafkaClient, TopicMetadata } from './kafka-client';
import { StickyPartitioner, partitionForKey } from './partitioner';
import {
  RecordAccumulator,
  estimateRecordSize,
  type AccumulatedRecord,
  type ProducerBatch,
  type RecordMetadata,
  type SendCallback,
} from './record-accumulator';

export type { RecordMetadata, SendCallback } from './record-accumulator';

/** A record to send. */
export interface ProducerRecord {
  topic: string;
  /** Explicit partition; otherwise chosen by the partitioner. */
  partition?: number;
  key?: Buffer | string | null;
  value?: Buffer | string | null;
  headers?: RecordHeader[];
  /** CreateTime; defaults to the time of send(). */
  timestamp?: number;
}

/** Producer configuration (Kafka's names in camelCase; defaults as Kafka 3.9). */
export interface ProducerOptions {
  /** acks: 0, 1 or -1 (all). Default -1. */
  acks?: 0 | 1 | -1;
  /** compression.type. Default none. */
  compression?: CompressionName;
  /** batch.size. Default 16384. */
  batchSize?: number;
  /** linger.ms. Default 5 (Kafka 4.0's default; 3.9 used 0). */
  lingerMs?: number;
  /** max.in.flight.requests.per.connection. Default 5. */
  maxInFlightRequestsPerConnection?: number;
  /** request.timeout.ms (also the Produce request's timeout). Default 30000. */
  requestTimeoutMs?: number;
  /** delivery.timeout.ms: give up on a record this long after send(). Default 120000. */
  deliveryTimeoutMs?: number;
  /** retries: attempts after the first. Default unlimited (bounded by deliveryTimeoutMs). */
  retries?: number;
  /** buffer.memory: bytes of unacknowledged records before isBufferFull. Default 32 MiB. */
  bufferMemory?: number;
  /** max.request.size: bytes of batches in one Produce request. Default 1048576. */
  maxRequestSize?: number;
  /** max.block.ms: how long to wait for a topic's metadata. Default 60000. */
  maxBlockMs?: number;
  /** Time source (tests). */
  now?: () => number;
}

interface LeaderState {
  inFlight: number;
  connecting: boolean;
}

/** Sends records to Kafka. Owns none of the client's connections: close the client separately. */
export class Producer {
  private readonly acks: 0 | 1 | -1;
  private readonly compression: CompressionName;
  private readonly batchSize: number;
  private readonly lingerMs: number;
  private readonly maxInFlight: number;
  private readonly requestTimeoutMs: number;
  private readonly deliveryTimeoutMs: number;
  private readonly retries: number;
  private readonly bufferMemory: number;
  private readonly maxRequestSize: number;
  private readonly maxBlockMs: number;
  private readonly now: () => number;
  private readonly accumulator: RecordAccumulator;
  private readonly sticky: StickyPartitioner;
  private readonly leaders = new Map<number, LeaderState>();
  private readonly waitingForMetadata = new Map<string, { record: ProducerRecord; callback?: SendCallback; since: number }[]>();
  private readonly metadataInFlight = new Set<string>();
  private bufferedBytes = 0;
  private inFlightBatches = 0;
  private drainScheduled = false;
  private drainTimer: NodeJS.Timeout | undefined;
  private draining = false;
  private flushing = 0;
  private closed = false;
  private idleWaiters: (() => void)[] = [];
  private spaceWaiters: (() => void)[] = [];
  private metadataRefresh: Promise<void> | undefined;

  constructor(
    private readonly client: KafkaClient,
    options?: ProducerOptions,
  ) {
    this.acks = options?.acks ?? -1;
    this.compression = options?.compression ?? 'none';
    this.batchSize = Math.max(1, options?.batchSize ?? 16384);
    this.lingerMs = options?.lingerMs ?? 5;
    this.maxInFlight = Math.max(1, options?.maxInFlightRequestsPerConnection ?? 5);
    this.requestTimeoutMs = options?.requestTimeoutMs ?? 30_000;
    this.deliveryTimeoutMs = options?.deliveryTimeoutMs ?? 120_000;
    this.retries = options?.retries ?? Number.MAX_SAFE_INTEGER;
    this.bufferMemory = options?.bufferMemory ?? 32 * 1024 * 1024;
    this.maxRequestSize = options?.maxRequestSize ?? 1024 * 1024;
    this.maxBlockMs = options?.maxBlockMs ?? 60_000;
    this.now = options?.now ?? Date.now;
    this.accumulator = new RecordAccumulator(this.batchSize, this.lingerMs, this.compression, (batch) =>
      this.release(batch.estimatedBytes),
    );
    this.sticky = new StickyPartitioner(this.batchSize);
  }

  /** Bytes of records sent but not yet acknowledged or failed. */
  get bufferedRecordBytes(): number {
    return this.bufferedBytes;
  }

  /** True while buffered bytes exceed buffer.memory: callers should `await waitForBufferSpace()`. */
  get isBufferFull(): boolean {
    return this.bufferedBytes >= this.bufferMemory;
  }

  /** Resolves once buffered bytes are below buffer.memory. */
  waitForBufferSpace(): Promise<void> {
    if (!this.isBufferFull) return Promise.resolve();
    return new Promise((resolve) => this.spaceWaiters.push(resolve));
  }

  /** Sends a record; resolves with its partition and offset once acknowledged (per acks). */
  send(record: ProducerRecord): Promise<RecordMetadata>;
  /** Sends a record; `callback` is called once with the outcome. No promise is allocated. */
  send(record: ProducerRecord, callback: SendCallback): void;
  send(record: ProducerRecord, callback?: SendCallback): Promise<RecordMetadata> | void {
    if (callback) {
      this.enqueue(record, callback);
      return;
    }
    return new Promise<RecordMetadata>((resolve, reject) => {
      this.enqueue(record, (err, metadata) => (err ? reject(err) : resolve(metadata!)));
    });
  }

  /** Sends everything buffered now (ignoring linger.ms) and resolves when all of it completed. */
  async flush(): Promise<void> {
    this.flushing++;
    try {
      this.scheduleDrain(true);
      while (!this.isIdle()) {
        await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
      }
    } finally {
      this.flushing--;
    }
  }

  /** Flushes, then refuses further sends. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.flush();
    this.closed = true;
    if (this.drainTimer) clearTimeout(this.drainTimer);
  }

  private enqueue(record: ProducerRecord, callback: SendCallback | undefined): void {
    if (this.closed) {
      callback?.(new ClientClosedError('Producer'));
      return;
    }
    const waiting = this.waitingForMetadata.get(record.topic);
    const meta = waiting ? undefined : this.usableMetadata(record.topic);
    if (!meta) {
      const list = waiting ?? [];
      list.push({ record, callback, since: this.now() });
      this.waitingForMetadata.set(record.topic, list);
      this.bufferedBytes += 64;
      this.fetchTopicMetadata(record.topic);
      return;
    }
    this.appendWithMetadata(record, callback, meta);
  }

  private appendWithMetadata(record: ProducerRecord, callback: SendCallback | undefined, meta: TopicMetadata): void {
    const numPartitions = meta.partitions.length;
    const acc: AccumulatedRecord = {
      key: toBuffer(record.key),
      value: toBuffer(record.value),
      headers: record.headers,
      timestamp: record.timestamp ?? this.now(),
    };
    const bytes = estimateRecordSize(acc);
    let partition: number;
    if (record.partition !== undefined && record.partition !== null) {
      partition = record.partition;
      if (!Number.isInteger(partition) || partition < 0 || partition >= numPartitions) {
        callback?.(
          new KafkaResponseError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, {
            message: `Invalid partition given with record: ${partition} is not in the range [0...${numPartitions}).`,
          }),
        );
        return;
      }
    } else if (acc.key !== null) {
      partition = partitionForKey(acc.key, numPartitions);
    } else {
      const available: number[] = [];
      for (const p of meta.partitions) if (p.leader >= 0) available.push(p.partition);
      partition = this.sticky.partition(record.topic, { numPartitions, available }, bytes);
    }
    this.bufferedBytes += bytes;
    const full = this.accumulator.append(record.topic, partition, acc, bytes, callback, this.now());
    this.scheduleDrain(full);
  }

  /** Releases the buffer bytes of a completed (or failed) batch. */
  private release(bytes: number): void {
    this.bufferedBytes -= bytes;
    if (this.spaceWaiters.length > 0 && !this.isBufferFull) {
      const waiters = this.spaceWaiters.splice(0);
      for (const w of waiters) w();
    }
  }

  private usableMetadata(topic: string): TopicMetadata | undefined {
    const meta = this.client.metadata.topics.get(topic);
    if (!meta || meta.errorCode !== ErrorCode.NONE || meta.partitions.length === 0) return undefined;
    return meta;
  }

  private fetchTopicMetadata(topic: string): void {
    if (this.metadataInFlight.has(topic)) return;
    this.metadataInFlight.add(topic);
    const started = this.now();
    const attempt = async (): Promise<void> => {
      for (let i = 0; ; i++) {
        try {
          await this.client.fetchMetadata([topic], { allowAutoTopicCreation: true });
        } catch {
          // Connection trouble: retried below like a missing topic.
        }
        const meta = this.usableMetadata(topic);
        if (meta) return this.releaseWaiting(topic, meta, null);
        const known = this.client.metadata.topics.get(topic);
        if (known && known.errorCode !== ErrorCode.NONE && !new KafkaResponseError(known.errorCode).retriable) {
          return this.releaseWaiting(topic, undefined, new KafkaResponseError(known.errorCode, { context: `Topic ${topic}` }));
        }
        if (this.now() - started >= this.maxBlockMs || this.closed) {
          return this.releaseWaiting(
            topic,
            undefined,
            new OperationTimeoutError(`Topic ${topic} not present in metadata after ${this.maxBlockMs} ms.`),
          );
        }
        await new Promise((resolve) => setTimeout(resolve, this.client.backoffMs(i)));
      }
    };
    void attempt().finally(() => this.metadataInFlight.delete(topic));
  }

  private releaseWaiting(topic: string, meta: TopicMetadata | undefined, err: Error | null): void {
    const list = this.waitingForMetadata.get(topic) ?? [];
    this.waitingForMetadata.delete(topic);
    for (const w of list) {
      this.bufferedBytes -= 64;
      if (meta) this.appendWithMetadata(w.record, w.callback, meta);
      else w.callback?.(err!);
    }
    this.notifyIdle();
  }

  private scheduleDrain(immediate: boolean): void {
    if (this.drainScheduled) return;
    const run = () => {
      this.drainScheduled = false;
      this.drainTimer = undefined;
      void this.drain();
    };
    if (immediate || this.lingerMs <= 0 || this.flushing > 0) {
      if (this.drainTimer) clearTimeout(this.drainTimer);
      this.drainTimer = undefined;
      this.drainScheduled = true;
      setImmediate(run);
      return;
    }
    if (this.drainTimer) return;
    const expiry = this.accumulator.nextLingerExpiry();
    if (expiry === undefined) return;
    this.drainTimer = setTimeout(run, Math.max(0, expiry - this.now()));
  }

  private async drain(): Promise<void> {
    if (this.draining) {
      this.scheduleDrain(true);
      return;
    }
    this.draining = true;
    try {
      const now = this.now();
      this.accumulator.closeExpired(now, this.flushing > 0 || this.lingerMs <= 0);
      const byLeader = new Map<number, ProducerBatch[][]>();
      let waitingOnSomething = false;
      let staleMetadata = false;
      for (const queue of this.accumulator.all()) {
        if (queue.closed.length === 0) continue;
        const meta = this.client.metadata.topics.get(queue.topic);
        const leader = meta?.partitions.find((p) => p.partition === queue.partition)?.leader ?? -1;
        // Expire batches past delivery.timeout.ms, whatever their state.
        while (queue.closed.length > 0 && now - queue.closed[0]!.createdMs >= this.deliveryTimeoutMs) {
          const b = queue.closed.shift()!;
          b.fail(new OperationTimeoutError(
            `Expiring ${b.recordCount} record(s) for ${b.topic}-${b.partition}:${now - b.createdMs} ms has passed since batch creation`,
          ));
        }
        if (queue.closed.length === 0) continue;
        if (leader < 0) {
          staleMetadata = true;
          waitingOnSomething = true;
          continue;
        }
        const ready: ProducerBatch[] = [];
        for (const b of queue.closed) {
          if (b.buildError) continue;
          if (!b.payload || b.retryAfterMs > now) break;
          ready.push(b);
        }
        // Batches whose encoding failed can never be sent.
        for (let i = queue.closed.length - 1; i >= 0; i--) {
          const b = queue.closed[i]!;
          if (b.buildError) {
            queue.closed.splice(i, 1);
            b.fail(b.buildError);
          }
        }
        if (ready.length < queue.closed.length) waitingOnSomething = true;
        if (ready.length === 0) continue;
        const list = byLeader.get(leader) ?? [];
        list.push(ready);
        byLeader.set(leader, list);
      }
      for (const [leader, perPartition] of byLeader) this.sendToLeader(leader, perPartition);
      if (staleMetadata) this.refreshMetadata();
      if (waitingOnSomething) this.retryDrainLater();
      if (!this.accumulator.isEmpty && this.lingerMs > 0) this.scheduleDrain(false);
    } finally {
      this.draining = false;
      this.notifyIdle();
    }
  }

  /** Some batch is encoding, backing off or waiting for a leader: look again shortly. */
  private retryDrainLater(): void {
    if (this.drainTimer || this.drainScheduled) return;
    this.drainTimer = setTimeout(() => {
      this.drainTimer = undefined;
      void this.drain();
    }, 5);
  }

  private sendToLeader(leader: number, perPartition: ProducerBatch[][]): void {
    let state = this.leaders.get(leader);
    if (!state) {
      state = { inFlight: 0, connecting: false };
      this.leaders.set(leader, state);
    }
    const node = this.client.metadata.brokers.get(leader);
    if (!node) {
      this.refreshMetadata();
      return;
    }
    const conn = this.client.connectionFor(node);
    if (!conn.isConnected || !conn.apiVersions) {
      if (!state.connecting) {
        state.connecting = true;
        const s = state;
        conn.ready().then(
          () => {
            s.connecting = false;
            this.scheduleDrain(true);
          },
          () => {
            s.connecting = false;
            this.refreshMetadata();
            setTimeout(() => this.scheduleDrain(true), this.client.backoffMs(0));
          },
        );
      }
      return;
    }
    // One batch per partition per request, as Kafka's sender does; several requests while in-flight room.
    let round = 0;
    while (state.inFlight < this.maxInFlight) {
      const batches: ProducerBatch[] = [];
      let size = 0;
      for (const list of perPartition) {
        const b = list[round];
        if (!b) continue;
        const len = b.payload!.length;
        if (batches.length > 0 && size + len > this.maxRequestSize) continue;
        batches.push(b);
        size += len;
      }
      if (batches.length === 0) break;
      for (const b of batches) this.accumulator.remove(b);
      this.sendProduce(conn, state, batches);
      round++;
    }
  }

  private sendProduce(conn: BrokerConnection, state: LeaderState, batches: ProducerBatch[]): void {
    state.inFlight++;
    this.inFlightBatches += batches.length;
    for (const b of batches) b.attempts++;
    const topics = new Map<string, { index: number; records: Buffer }[]>();
    for (const b of batches) {
      const list = topics.get(b.topic) ?? [];
      list.push({ index: b.partition, records: b.payload! });
      topics.set(b.topic, list);
    }
    const body: RequestInputOf<typeof ApiKeys.Produce> = {
      transactionalId: null,
      acks: this.acks,
      timeoutMs: this.requestTimeoutMs,
      topicData: [...topics].map(([name, partitionData]) => ({ name, partitionData })),
    };
    const finish = () => {
      state.inFlight--;
      this.inFlightBatches -= batches.length;
      this.scheduleDrain(true);
      this.notifyIdle();
    };
    let version: number;
    try {
      version = conn.pickVersion(ApiKeys.Produce, 3, 11);
    } catch (err) {
      for (const b of batches) b.fail(err as Error);
      finish();
      return;
    }
    if (this.acks === 0) {
      conn.request(ApiKeys.Produce, version, body, { expectResponse: false }).then(
        () => {
          for (const b of batches) b.complete(-1, -1);
          finish();
        },
        (err: unknown) => {
          this.retryOrFail(batches, err as Error);
          finish();
        },
      );
      return;
    }
    conn.request(ApiKeys.Produce, version, body, { timeoutMs: this.requestTimeoutMs + 5000 }).then(
      (response) => {
        this.handleProduceResponse(batches, response);
        finish();
      },
      (err: unknown) => {
        this.retryOrFail(batches, err as Error);
        finish();
      },
    );
  }

  private handleProduceResponse(batches: ProducerBatch[], response: ResponseOf<typeof ApiKeys.Produce>): void {
    const results = new Map<string, ResponseOf<typeof ApiKeys.Produce>['responses'][number]['partitionResponses'][number]>();
    for (const t of response.responses) {
      for (const p of t.partitionResponses) results.set(`${t.name}\u0000${p.index}`, p);
    }
    for (const b of batches) {
      const r = results.get(`${b.topic}\u0000${b.partition}`);
      if (!r) {
        this.retryOrFail([b], new KafkaResponseError(ErrorCode.UNKNOWN_SERVER_ERROR, { message: 'No result for the partition in the Produce response' }));
        continue;
      }
      if (r.errorCode === ErrorCode.NONE) {
        b.complete(r.baseOffset, r.logAppendTimeMs);
        continue;
      }
      this.retryOrFail([b], new KafkaResponseError(r.errorCode, { message: r.errorMessage, context: `${b.topic}-${b.partition}` }));
    }
  }

  private retryOrFail(batches: ProducerBatch[], err: Error): void {
    const now = this.now();
    let retried = false;
    for (const b of [...batches].reverse()) {
      const canRetry =
        isRetriable(err) && !this.closed && b.attempts <= this.retries && now - b.createdMs < this.deliveryTimeoutMs;
      if (!canRetry) {
        b.fail(err);
        continue;
      }
      b.retryAfterMs = now + this.client.backoffMs(b.attempts - 1);
      this.accumulator.reenqueue(b);
      retried = true;
    }
    if (retried) {
      this.refreshMetadata();
      this.retryDrainLater();
    }
  }

  private refreshMetadata(): void {
    if (this.metadataRefresh) return;
    const topics = new Set<string>();
    for (const q of this.accumulator.all()) if (!q.isEmpty) topics.add(q.topic);
    if (topics.size === 0) return;
    this.metadataRefresh = this.client
      .fetchMetadata([...topics], { allowAutoTopicCreation: false })
      .then(
        () => undefined,
        () => undefined,
      )
      .finally(() => {
        this.metadataRefresh = undefined;
        this.scheduleDrain(true);
      });
  }

  private isIdle(): boolean {
    return this.accumulator.isEmpty && this.inFlightBatches === 0 && this.waitingForMetadata.size === 0;
  }

  private notifyIdle(): void {
    if (this.idleWaiters.length === 0 || !this.isIdle()) return;
    const waiters = this.idleWaiters.splice(0);
    for (const w of waiters) w();
  }
}

function toBuffer(v: Buffer | string | null | undefined): Buffer | null {
  if (v === null || v === undefined) return null;
  return typeof v === 'string' ? Buffer.from(v, 'utf8') : v;
}
