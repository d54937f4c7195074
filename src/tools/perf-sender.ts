/**
 * PerfSender: the producer of kafka-producer-perf-test. One process must be able to saturate a broker,
 * so records do not go through per-record objects: each is written straight into the open RecordBatch v2
 * of its partition (null key, no headers), and the batches go out in Produce requests (v3-11) as the Java
 * producer's sender sends them: one batch per partition per request,
 * max.in.flight.requests.per.connection requests per broker, batch.size / linger.ms / compression.type /
 * acks / buffer.memory, retries of retriable errors after a metadata refresh until delivery.timeout.ms.
 * Null-key records go to partitions with Kafka's uniform sticky partitioner (KIP-794): a partition is
 * kept until batch.size bytes went to it. Records sent in the same millisecond share one latency entry
 * per batch, so acknowledging costs one entry per run.
 */

import { KafkaClient } from '../client/kafka-client';
import { KafkaResponseError, isRetriable } from '../client/client-errors';
import type { BrokerConnection } from '../client/broker-connection';
import { ApiKeys, ErrorCode, errorInfo, type RequestInputOf, type ResponseOf } from '../protocol';
import { codecFor } from '../protocol/records/compression';
import {
  BatchField,
  CompressionType,
  MAGIC_V2,
  NO_PARTITION_LEADER_EPOCH,
  NO_PRODUCER_ID,
  NO_SEQUENCE,
  LOG_OVERHEAD,
  RECORD_BATCH_OVERHEAD,
  type CompressionName,
  updateCrc,
  writeInt64,
} from '../protocol/records/record-batch';
import { sizeOfVarint, sizeOfVarlong, writeVarint, writeVarlong, type WriteCursor } from '../protocol/records/varint';

/** Settings of a PerfSender (Kafka's producer configs in camelCase). */
export interface PerfSenderOptions {
  topic: string;
  acks: 0 | 1 | -1;
  batchSize: number;
  lingerMs: number;
  compression: CompressionName;
  maxInFlight: number;
  requestTimeoutMs: number;
  deliveryTimeoutMs: number;
  retries: number;
  bufferMemory: number;
  maxRequestSize: number;
  /** Called once per run of records acknowledged together (same send millisecond, same batch). */
  onAcknowledged: (latencyMs: number, run: { count: number; bytes: number; time: number }) => void;
  /** Called for each record of a batch that failed for good, as Kafka's callback gets its exception. */
  onFailed: (err: Error, records: number) => void;
}

/** One RecordBatch being filled, then sent. Send times are run-length encoded (times/counts/bytes). */
interface PerfBatch {
  readonly partition: PartitionState;
  buf: Buffer;
  pos: number;
  count: number;
  baseTimestamp: number;
  maxTimestamp: number;
  readonly createdMs: number;
  readonly runTimes: number[];
  readonly runCounts: number[];
  readonly runBytes: number[];
  /** The encoded batch once closed (and compressed); null while compressing. */
  encoded: Buffer | null;
  attempts: number;
  retryAtMs: number;
}

interface PartitionState {
  readonly index: number;
  leader: number;
  open: PerfBatch | null;
  readonly queue: PerfBatch[];
}

interface LeaderState {
  readonly id: number;
  inFlight: number;
  connecting: boolean;
  partitions: PartitionState[];
}

/** Produce error codes a retry can fix, as Kafka's RetriableException subclasses. */
function retriableCode(code: number): boolean {
  return errorInfo(code).retriable;
}

/** Writes records into RecordBatch v2 buffers per partition and sends them; see the file comment. */
export class PerfSender {
  private readonly partitions: PartitionState[] = [];
  private readonly leaders = new Map<number, LeaderState>();
  private readonly cursor: WriteCursor = { buf: Buffer.alloc(0), pos: 0 };
  private readonly freeBuffers: Buffer[] = [];
  private sticky: PartitionState | undefined;
  private stickyBytes = 0;
  private nextPartition = 0;
  private bufferedBytes = 0;
  private inFlightTotal = 0;
  private lingerTimer: NodeJS.Timeout | NodeJS.Immediate | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private refreshing: Promise<void> | undefined;
  private waiters: (() => void)[] = [];
  /** --print-metrics figures. */
  readonly metrics = { batches: 0, batchBytes: 0, batchBytesMax: 0, requests: 0, requestLatencyTotal: 0, requestLatencyMax: 0, records: 0, errors: 0, retries: 0, outgoingBytes: 0 };

  constructor(
    private readonly client: KafkaClient,
    private readonly opts: PerfSenderOptions,
  ) {}

  /** Fetches the topic's metadata (creating it if the broker auto-creates topics), waiting up to `maxBlockMs`. */
  async start(maxBlockMs: number): Promise<void> {
    const deadline = Date.now() + maxBlockMs;
    for (let attempt = 0; ; attempt++) {
      try {
        await this.client.fetchMetadata([this.opts.topic], { allowAutoTopicCreation: true });
      } catch {
        // Brokers not reachable yet: retried like a missing topic.
      }
      const meta = this.client.metadata.topics.get(this.opts.topic);
      if (meta && meta.errorCode === ErrorCode.NONE && meta.partitions.length > 0 && meta.partitions.every((p) => p.leader >= 0)) {
        for (const p of meta.partitions) this.partitions.push({ index: p.partition, leader: p.leader, open: null, queue: [] });
        this.assignLeaders();
        return;
      }
      if (meta && meta.errorCode !== ErrorCode.NONE && !retriableCode(meta.errorCode)) {
        throw new KafkaResponseError(meta.errorCode, { context: `Topic ${this.opts.topic}` });
      }
      if (Date.now() >= deadline) {
        throw new ClientTimeoutError(`Topic ${this.opts.topic} not present in metadata after ${maxBlockMs} ms.`);
      }
      await new Promise((resolve) => setTimeout(resolve, this.client.backoffMs(attempt)));
    }
  }

  /** True while unacknowledged bytes exceed buffer.memory (Kafka's send() would block). */
  get isBufferFull(): boolean {
    return this.bufferedBytes >= this.opts.bufferMemory;
  }

  /** Resolves once a batch completed (buffer space may be free again). */
  waitForProgress(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Appends a null-key record with `value`, sent at `now`; returns true when a batch was closed. */
  append(value: Buffer, now: number): boolean {
    const p = this.choosePartition();
    const len = value.length;
    let b = p.open;
    let closed = false;
    let tsDelta = b ? now - b.baseTimestamp : 0;
    let bodySize = 1 + sizeOfVarlong(tsDelta) + sizeOfVarint(b ? b.count : 0) + 1 + sizeOfVarint(len) + len + 1;
    let size = sizeOfVarint(bodySize) + bodySize;
    if (b && b.pos + size > b.buf.length) {
      this.close(b);
      closed = true;
      b = null;
      tsDelta = 0;
      bodySize = 1 + 1 + 1 + 1 + sizeOfVarint(len) + len + 1;
      size = sizeOfVarint(bodySize) + bodySize;
    }
    if (!b) b = this.openBatch(p, now, size);
    const out = this.cursor;
    out.buf = b.buf;
    out.pos = b.pos;
    writeVarint(out, bodySize);
    b.buf[out.pos++] = 0; // attributes
    writeVarlong(out, tsDelta);
    writeVarint(out, b.count);
    b.buf[out.pos++] = 1; // key length -1 (zig-zag)
    writeVarint(out, len);
    value.copy(b.buf, out.pos);
    out.pos += len;
    b.buf[out.pos++] = 0; // no headers
    b.pos = out.pos;
    b.count++;
    if (now > b.maxTimestamp) b.maxTimestamp = now;
    const last = b.runTimes.length - 1;
    if (last >= 0 && b.runTimes[last] === now) {
      b.runCounts[last]!++;
      b.runBytes[last]! += len;
    } else {
      b.runTimes.push(now);
      b.runCounts.push(1);
      b.runBytes.push(len);
    }
    this.bufferedBytes += size;
    this.stickyBytes += size;
    // Full once a record like this one would not fit: sending now saves waiting for the next append.
    if (b.buf.length - b.pos < size) {
      this.close(b);
      closed = true;
    }
    return closed;
  }

  /** Sends everything buffered (ignoring linger.ms) and resolves when it was all acknowledged or failed. */
  async flush(): Promise<void> {
    for (const p of this.partitions) if (p.open) this.close(p.open);
    while (this.bufferedBytes > 0 || this.inFlightTotal > 0) await this.waitForProgress();
    this.clearLingerTimer();
    if (this.retryTimer) clearTimeout(this.retryTimer);
  }

  private choosePartition(): PartitionState {
    let p = this.sticky;
    if (p === undefined || this.stickyBytes >= this.opts.batchSize) {
      const n = this.partitions.length;
      p = this.partitions[this.nextPartition++ % n]!;
      this.sticky = p;
      this.stickyBytes = 0;
    }
    return p;
  }

  private openBatch(p: PartitionState, now: number, firstRecordSize: number): PerfBatch {
    const capacity = Math.max(this.opts.batchSize, RECORD_BATCH_OVERHEAD + firstRecordSize);
    const pooled = capacity === this.opts.batchSize ? this.freeBuffers.pop() : undefined;
    const b: PerfBatch = {
      partition: p,
      buf: pooled ?? Buffer.allocUnsafe(capacity),
      pos: RECORD_BATCH_OVERHEAD,
      count: 0,
      baseTimestamp: now,
      maxTimestamp: now,
      createdMs: now,
      runTimes: [],
      runCounts: [],
      runBytes: [],
      encoded: null,
      attempts: 0,
      retryAtMs: 0,
    };
    p.open = b;
    // linger.ms=0 sends what the current burst of sends put in the batch, once the burst yields.
    if (this.lingerTimer === undefined) {
      this.lingerTimer = this.opts.lingerMs > 0 ? setTimeout(() => this.onLinger(), this.opts.lingerMs) : setImmediate(() => this.onLinger());
    }
    return b;
  }

  private clearLingerTimer(): void {
    const t = this.lingerTimer;
    this.lingerTimer = undefined;
    if (t === undefined) return;
    if (this.opts.lingerMs > 0) clearTimeout(t as NodeJS.Timeout);
    else clearImmediate(t as NodeJS.Immediate);
  }

  /**
   * Closes batches whose linger.ms passed, but, as Kafka's sender drains only leaders that can take a
   * request, only when nothing queues before them and their leader has in-flight room; the others keep
   * filling until a response frees a slot (drainLingered).
   */
  private onLinger(): void {
    this.lingerTimer = undefined;
    const now = Date.now();
    let next = Infinity;
    for (const p of this.partitions) {
      const b = p.open;
      if (!b) continue;
      if (now - b.createdMs < this.opts.lingerMs) next = Math.min(next, b.createdMs + this.opts.lingerMs);
      else if (p.queue.length === 0 && (this.leaders.get(p.leader)?.inFlight ?? 0) < this.opts.maxInFlight) this.close(b);
    }
    if (next !== Infinity) this.lingerTimer = setTimeout(() => this.onLinger(), Math.max(1, next - now));
  }

  /** After a response: closes the lingered batches of the leader's partitions that waited for room. */
  private drainLingered(leader: LeaderState): void {
    const now = Date.now();
    for (const p of leader.partitions) {
      const b = p.open;
      if (b && p.queue.length === 0 && now - b.createdMs >= this.opts.lingerMs) this.close(b);
    }
  }

  /** Writes the batch header (compressing the records section if asked), queues the batch and sends. */
  private close(b: PerfBatch): void {
    const p = b.partition;
    if (p.open === b) p.open = null;
    p.queue.push(b);
    const buf = b.buf;
    writeInt64(buf, 0, BatchField.baseOffset);
    buf.writeInt32BE(NO_PARTITION_LEADER_EPOCH, BatchField.partitionLeaderEpoch);
    buf.writeInt8(MAGIC_V2, BatchField.magic);
    buf.writeInt32BE(b.count - 1, BatchField.lastOffsetDelta);
    writeInt64(buf, b.baseTimestamp, BatchField.baseTimestamp);
    writeInt64(buf, b.maxTimestamp, BatchField.maxTimestamp);
    writeInt64(buf, NO_PRODUCER_ID, BatchField.producerId);
    buf.writeInt16BE(-1, BatchField.producerEpoch);
    buf.writeInt32BE(NO_SEQUENCE, BatchField.baseSequence);
    buf.writeInt32BE(b.count, BatchField.recordsCount);
    const compression = CompressionType[this.opts.compression];
    if (compression === CompressionType.none) {
      buf.writeInt16BE(0, BatchField.attributes);
      this.seal(b, buf.subarray(0, b.pos));
      return;
    }
    buf.writeInt16BE(compression, BatchField.attributes);
    Promise.resolve(codecFor(compression).compress(buf.subarray(RECORD_BATCH_OVERHEAD, b.pos))).then(
      (section) => {
        const out = Buffer.allocUnsafe(RECORD_BATCH_OVERHEAD + section.length);
        buf.copy(out, 0, 0, RECORD_BATCH_OVERHEAD);
        section.copy(out, RECORD_BATCH_OVERHEAD);
        if (buf.length === this.opts.batchSize) this.freeBuffers.push(buf);
        this.seal(b, out);
      },
      (err: unknown) => {
        p.queue.splice(p.queue.indexOf(b), 1);
        this.finish(b, err instanceof Error ? err : new Error(String(err)));
      },
    );
  }

  private seal(b: PerfBatch, encoded: Buffer): void {
    encoded.writeInt32BE(encoded.length - LOG_OVERHEAD, BatchField.batchLength);
    updateCrc(encoded, 0);
    b.encoded = encoded;
    this.metrics.batches++;
    this.metrics.batchBytes += encoded.length;
    this.metrics.batchBytesMax = Math.max(this.metrics.batchBytesMax, encoded.length);
    const leader = this.leaders.get(b.partition.leader);
    if (leader) this.trySend(leader);
  }

  private assignLeaders(): void {
    for (const l of this.leaders.values()) l.partitions = [];
    for (const p of this.partitions) {
      let l = this.leaders.get(p.leader);
      if (!l) {
        l = { id: p.leader, inFlight: 0, connecting: false, partitions: [] };
        this.leaders.set(p.leader, l);
      }
      l.partitions.push(p);
    }
  }

  /** Sends ready batches to a leader while it has request room (one batch per partition per request). */
  private trySend(leader: LeaderState): void {
    const node = this.client.metadata.brokers.get(leader.id);
    if (!node) return this.refreshMetadata();
    const conn = this.client.connectionFor(node);
    if (!conn.isConnected || !conn.apiVersions) {
      if (leader.connecting) return;
      leader.connecting = true;
      conn.ready().then(
        () => {
          leader.connecting = false;
          this.trySend(leader);
        },
        () => {
          leader.connecting = false;
          this.refreshMetadata();
        },
      );
      return;
    }
    const now = Date.now();
    while (leader.inFlight < this.opts.maxInFlight) {
      const batches: PerfBatch[] = [];
      let size = 0;
      let waiting = false;
      for (const p of leader.partitions) {
        const b = p.queue[0];
        if (!b || !b.encoded) continue;
        if (now - b.createdMs >= this.opts.deliveryTimeoutMs) {
          p.queue.shift();
          this.finish(b, new ClientTimeoutError(`Expiring ${b.count} record(s) for ${this.opts.topic}-${p.index}:${now - b.createdMs} ms has passed since batch creation`));
          continue;
        }
        if (b.retryAtMs > now) {
          waiting = true;
          continue;
        }
        if (batches.length > 0 && size + b.encoded.length > this.opts.maxRequestSize) continue;
        p.queue.shift();
        batches.push(b);
        size += b.encoded.length;
      }
      if (waiting) this.retryLater();
      if (batches.length === 0) return;
      this.sendProduce(conn, leader, batches);
    }
  }

  private sendProduce(conn: BrokerConnection, leader: LeaderState, batches: PerfBatch[]): void {
    leader.inFlight++;
    this.inFlightTotal++;
    this.metrics.requests++;
    for (const b of batches) b.attempts++;
    const body: RequestInputOf<typeof ApiKeys.Produce> = {
      transactionalId: null,
      acks: this.opts.acks,
      timeoutMs: this.opts.requestTimeoutMs,
      topicData: [{ name: this.opts.topic, partitionData: batches.map((b) => ({ index: b.partition.index, records: b.encoded! })) }],
    };
    for (const b of batches) this.metrics.outgoingBytes += b.encoded!.length;
    const sentAt = Date.now();
    const done = () => {
      leader.inFlight--;
      this.inFlightTotal--;
      const latency = Date.now() - sentAt;
      this.metrics.requestLatencyTotal += latency;
      this.metrics.requestLatencyMax = Math.max(this.metrics.requestLatencyMax, latency);
      this.trySend(leader);
      if (leader.inFlight < this.opts.maxInFlight) this.drainLingered(leader);
      this.wake();
    };
    const onError = (err: unknown) => {
      this.retryOrFail(batches, err instanceof Error ? err : new Error(String(err)));
      done();
    };
    let version: number;
    try {
      version = conn.pickVersion(ApiKeys.Produce, 3, 11);
    } catch (err) {
      onError(err);
      return;
    }
    if (this.opts.acks === 0) {
      conn.request(ApiKeys.Produce, version, body, { expectResponse: false }).then(() => {
        for (const b of batches) this.finish(b, null);
        done();
      }, onError);
      return;
    }
    conn.request(ApiKeys.Produce, version, body, { timeoutMs: this.opts.requestTimeoutMs + 5000 }).then((response) => {
      this.onResponse(batches, response);
      done();
    }, onError);
  }

  private onResponse(batches: PerfBatch[], response: ResponseOf<typeof ApiKeys.Produce>): void {
    const codes = new Map<number, { errorCode: number; errorMessage: string | null }>();
    for (const t of response.responses) for (const r of t.partitionResponses) codes.set(r.index, r);
    const retry: PerfBatch[] = [];
    let retryError: Error | undefined;
    for (const b of batches) {
      const r = codes.get(b.partition.index);
      const code = r ? r.errorCode : ErrorCode.UNKNOWN_SERVER_ERROR;
      if (code === ErrorCode.NONE) {
        this.finish(b, null);
        continue;
      }
      const err = new KafkaResponseError(code, { message: r?.errorMessage ?? undefined, context: `${this.opts.topic}-${b.partition.index}` });
      retry.push(b);
      retryError = err;
    }
    if (retryError) this.retryOrFail(retry, retryError);
  }

  private retryOrFail(batches: PerfBatch[], err: Error): void {
    const now = Date.now();
    let retried = false;
    for (let i = batches.length - 1; i >= 0; i--) {
      const b = batches[i]!;
      if (isRetriable(err) && b.attempts <= this.opts.retries && now - b.createdMs < this.opts.deliveryTimeoutMs) {
        b.retryAtMs = now + this.client.backoffMs(b.attempts - 1);
        b.partition.queue.unshift(b);
        this.metrics.retries += b.count;
        retried = true;
      } else {
        this.finish(b, err);
      }
    }
    if (retried) {
      this.refreshMetadata();
      this.retryLater();
    }
  }

  private retryLater(): void {
    if (this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      for (const l of this.leaders.values()) this.trySend(l);
    }, 10);
  }

  private refreshMetadata(): void {
    if (this.refreshing) return;
    this.refreshing = this.client
      .fetchMetadata([this.opts.topic], { allowAutoTopicCreation: false })
      .then(
        () => {
          const meta = this.client.metadata.topics.get(this.opts.topic);
          for (const p of this.partitions) {
            const leader = meta?.partitions.find((x) => x.partition === p.index)?.leader ?? -1;
            if (leader >= 0) p.leader = leader;
          }
          this.assignLeaders();
        },
        () => undefined,
      )
      .finally(() => {
        this.refreshing = undefined;
        this.retryLater();
      });
  }

  /** Completes (err null) or fails a batch: callbacks, buffer space, pooled buffer. */
  private finish(b: PerfBatch, err: Error | null): void {
    this.bufferedBytes -= b.pos - RECORD_BATCH_OVERHEAD;
    if (err) {
      this.metrics.errors += b.count;
      this.opts.onFailed(err, b.count);
    } else {
      this.metrics.records += b.count;
      const now = Date.now();
      for (let i = 0; i < b.runTimes.length; i++) {
        this.opts.onAcknowledged(now - b.runTimes[i]!, { count: b.runCounts[i]!, bytes: b.runBytes[i]!, time: now });
      }
    }
    if (b.buf.length === this.opts.batchSize && (b.encoded === null || b.encoded.buffer === b.buf.buffer)) this.freeBuffers.push(b.buf);
    this.wake();
  }

  private wake(): void {
    if (this.waiters.length === 0) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}

/** Kafka's org.apache.kafka.common.errors.TimeoutException raised by the producer itself. */
export class ClientTimeoutError extends Error {
  override readonly name = 'ClientTimeoutError';
}
