/**
 * kafka-producer-perf-test.sh: Kafka 3.9's ProducerPerformance. Sends --num-records records of
 * --record-size random uppercase letters (or payloads from --payload-file, or --payload-monotonic
 * numbers) with null keys to --topic, at most --throughput records/s (-1: as fast as possible), and
 * prints ProducerPerformance's lines: every 5 s `N records sent, X records/sec (Y MB/sec), Z ms avg
 * latency, W ms max latency.` and at the end the totals with the 50th/95th/99th/99.9th latency
 * percentiles, sampled as Kafka samples them (at most 500 000 latencies). Latency is the time from
 * send to acknowledgement. Options and error texts follow argparse4j, which Kafka's tool uses.
 *
 * One process must be able to saturate a broker, so records do not go through per-record objects: each
 * is written straight into the open RecordBatch v2 of its partition (null key, no headers), and
 * PerfSender sends the batches in Produce requests (v3-11) as the Java producer's sender does: one
 * batch per partition per request, max.in.flight.requests.per.connection requests per broker,
 * batch.size / linger.ms / compression.type / acks / buffer.memory, retries of retriable errors after
 * a metadata refresh until delivery.timeout.ms. Null-key records go to partitions with Kafka's uniform
 * sticky partitioner (KIP-794): a partition is kept until batch.size bytes went to it. Records sent in
 * the same millisecond share one latency entry per batch, so acknowledging costs one entry per run.
 */

import * as fs from 'node:fs';
import * as path from 'node:path';
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
import { ClientConfigError, clientOptionsFromProps, producerOptionsFromProps } from './client-config';
import { kafkaExceptionClass, loadClientProperties, runTool, toolClientLogger, type ToolIO } from './tool-support';

// ---------------------------------------------------------------------------------------------------
// Output formatting as Java's Formatter does it.

/** Java's `%.Nf`: the shortest decimal form of the double rounded HALF_UP (not binary-exact as toFixed). */
export function javaFixed(value: number, digits: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
  const shortest = String(Math.abs(value));
  if (shortest.includes('e')) return value.toFixed(digits);
  const [intPart, fracPart = ''] = shortest.split('.') as [string, string?];
  let digitsStr = intPart + fracPart.padEnd(digits, '0').slice(0, digits);
  if (fracPart.length > digits && fracPart.charCodeAt(digits) >= 53 /* '5' */) {
    const chars = digitsStr.split('');
    let i = chars.length - 1;
    for (; i >= 0; i--) {
      if (chars[i] === '9') chars[i] = '0';
      else {
        chars[i] = String.fromCharCode(chars[i]!.charCodeAt(0) + 1);
        break;
      }
    }
    digitsStr = (i < 0 ? '1' : '') + chars.join('');
  }
  const cut = digitsStr.length - digits;
  const text = digits > 0 ? `${digitsStr.slice(0, cut)}.${digitsStr.slice(cut)}` : digitsStr;
  return value < 0 && /[1-9]/.test(text) ? `-${text}` : text;
}

// ---------------------------------------------------------------------------------------------------
// ProducerPerformance.Stats

/** Throughput and latency bookkeeping, printed as ProducerPerformance.Stats prints it. */
export class ProducerStats {
  private readonly start: number;
  private readonly latencies: Int32Array;
  private readonly sampling: number;
  private readonly reportingIntervalMs = 5000;
  private iteration = 0;
  private index = 0;
  private count = 0;
  private bytes = 0;
  private maxLatency = 0;
  private totalLatency = 0;
  private windowCount = 0;
  private windowMaxLatency = 0;
  private windowTotalLatency = 0;
  private windowBytes = 0;
  private windowStart: number;

  constructor(
    numRecords: number,
    private readonly opts: { out: (line: string) => void; now?: () => number },
  ) {
    const now = this.now();
    this.start = now;
    this.windowStart = now;
    this.sampling = Math.floor(numRecords / Math.min(numRecords, 500_000));
    this.latencies = new Int32Array(Math.floor(numRecords / this.sampling) + 1);
  }

  private now(): number {
    return (this.opts.now ?? Date.now)();
  }

  /** Records `count` acknowledged records of `bytes` payload bytes in all, each with `latency` ms. */
  record(latency: number, run: { count: number; bytes: number; time: number }): void {
    const { count, time } = run;
    if (count <= 0) return;
    const perRecord = run.bytes / count;
    // The first record alone, so that a window closing here ends with it, as in Kafka's per-record loop.
    this.add(latency, 1, perRecord);
    if (time - this.windowStart >= this.reportingIntervalMs) {
      this.printWindow();
      this.newWindow();
    }
    if (count > 1) this.add(latency, count - 1, run.bytes - perRecord);
  }

  private add(latency: number, count: number, bytes: number): void {
    this.count += count;
    this.bytes += bytes;
    this.totalLatency += latency * count;
    this.maxLatency = Math.max(this.maxLatency, latency);
    this.windowCount += count;
    this.windowBytes += bytes;
    this.windowTotalLatency += latency * count;
    this.windowMaxLatency = Math.max(this.windowMaxLatency, latency);
    // Every sampling-th iteration keeps its latency.
    const end = this.iteration + count;
    for (let i = Math.ceil(this.iteration / this.sampling) * this.sampling; i < end; i += this.sampling) {
      if (this.index < this.latencies.length) this.latencies[this.index++] = latency;
    }
    this.iteration = end;
  }

  /** Records acknowledged so far. */
  get totalCount(): number {
    return this.count;
  }

  printWindow(): void {
    const elapsed = this.now() - this.windowStart;
    const recsPerSec = (1000 * this.windowCount) / elapsed;
    const mbPerSec = (1000 * this.windowBytes) / elapsed / (1024 * 1024);
    this.opts.out(
      `${this.windowCount} records sent, ${javaFixed(recsPerSec, 1)} records/sec (${javaFixed(mbPerSec, 2)} MB/sec), ` +
        `${javaFixed(this.windowTotalLatency / this.windowCount, 1)} ms avg latency, ${javaFixed(this.windowMaxLatency, 1)} ms max latency.\n`,
    );
  }

  private newWindow(): void {
    this.windowStart = this.now();
    this.windowCount = 0;
    this.windowMaxLatency = 0;
    this.windowTotalLatency = 0;
    this.windowBytes = 0;
  }

  /** The final line; also returns its figures (the bench reads them). */
  printTotal(): PerfTotals {
    const elapsed = this.now() - this.start;
    const recordsPerSec = (1000 * this.count) / elapsed;
    const mbPerSec = (1000 * this.bytes) / elapsed / (1024 * 1024);
    const sorted = this.latencies.subarray(0, Math.min(this.index, this.latencies.length)).sort();
    const pick = (p: number) => (sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!);
    const totals: PerfTotals = {
      records: this.count,
      recordsPerSec,
      mbPerSec,
      avgLatencyMs: this.totalLatency / this.count,
      maxLatencyMs: this.maxLatency,
      p50: pick(0.5),
      p95: pick(0.95),
      p99: pick(0.99),
      p999: pick(0.999),
    };
    this.opts.out(
      `${this.count} records sent, ${javaFixed(recordsPerSec, 6)} records/sec (${javaFixed(mbPerSec, 2)} MB/sec), ` +
        `${javaFixed(totals.avgLatencyMs, 2)} ms avg latency, ${javaFixed(this.maxLatency, 2)} ms max latency, ` +
        `${totals.p50} ms 50th, ${totals.p95} ms 95th, ${totals.p99} ms 99th, ${totals.p999} ms 99.9th.\n`,
    );
    return totals;
  }
}

/** The figures of the final line. */
export interface PerfTotals {
  records: number;
  recordsPerSec: number;
  mbPerSec: number;
  avgLatencyMs: number;
  maxLatencyMs: number;
  p50: number;
  p95: number;
  p99: number;
  p999: number;
}

// ---------------------------------------------------------------------------------------------------
// The sender

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

// ---------------------------------------------------------------------------------------------------
// Command line (argparse4j)

const PROG = 'producer-performance';
const USAGE =
  `usage: ${PROG} [-h] --topic TOPIC --num-records NUM-RECORDS [--payload-delimiter PAYLOAD-DELIMITER] --throughput THROUGHPUT\n` +
  '                            [--producer-props PROP-NAME=PROP-VALUE [PROP-NAME=PROP-VALUE ...]] [--producer.config CONFIG-FILE] [--print-metrics]\n' +
  '                            (--record-size RECORD-SIZE | --payload-file PAYLOAD-FILE | --payload-monotonic)\n';

const HELP =
  `${USAGE}\nThis tool is used to verify the producer performance.\n\n` +
  'optional arguments:\n' +
  '  -h, --help             show this help message and exit\n' +
  '  --topic TOPIC          produce messages to this topic\n' +
  '  --num-records NUM-RECORDS\n                         number of messages to produce\n' +
  '  --payload-delimiter PAYLOAD-DELIMITER\n                         provides delimiter to be used when --payload-file is provided. Defaults to new line. Note that this parameter will be ignored if --payload-file is not provided. (default: \\n)\n' +
  '  --throughput THROUGHPUT\n                         throttle maximum message throughput to *approximately* THROUGHPUT messages/sec. Set this to -1 to disable throttling.\n' +
  '  --producer-props PROP-NAME=PROP-VALUE [PROP-NAME=PROP-VALUE ...]\n                         kafka producer related configuration properties like bootstrap.servers,client.id etc. These configs take precedence over those passed via --producer.config.\n' +
  '  --producer.config CONFIG-FILE\n                         producer config properties file.\n' +
  '  --print-metrics        print out metrics at the end of the test. (default: false)\n\n' +
  '  either --record-size or --payload-file must be specified but not both.\n\n' +
  '  --record-size RECORD-SIZE\n                         message size in bytes. Note that you must provide exactly one of --record-size or --payload-file or --payload-monotonic.\n' +
  '  --payload-file PAYLOAD-FILE\n                         file to read the message payloads from. This works only for UTF-8 encoded text files. Payloads will be read from this file and a payload will be randomly selected when sending messages. Note that you must provide exactly one of --record-size or --payload-file or --payload-monotonic.\n' +
  '  --payload-monotonic    payload is monotonically increasing integer. Note that you must provide exactly one of --record-size or --payload-file or --payload-monotonic. (default: false)\n';

/** argparse4j's ArgumentParserException: printed as usage + `producer-performance: error: ...`, exit 1. */
export class ArgumentParserError extends Error {
  override readonly name = 'ArgumentParserError';
}

/** What the command line asks for. */
export interface ProducerPerfConfig {
  topic: string;
  numRecords: number;
  recordSize: number | undefined;
  payloadFile: string | undefined;
  payloadDelimiter: string;
  payloadMonotonic: boolean;
  throughput: number;
  producerProps: string[] | undefined;
  producerConfig: string | undefined;
  printMetrics: boolean;
}

const VALUE_OPTIONS: Record<string, { dest: keyof ProducerPerfConfig; type: 'String' | 'Long' | 'Integer' | 'Double' }> = {
  '--topic': { dest: 'topic', type: 'String' },
  '--num-records': { dest: 'numRecords', type: 'Long' },
  '--record-size': { dest: 'recordSize', type: 'Integer' },
  '--payload-file': { dest: 'payloadFile', type: 'String' },
  '--payload-delimiter': { dest: 'payloadDelimiter', type: 'String' },
  '--throughput': { dest: 'throughput', type: 'Double' },
  '--producer.config': { dest: 'producerConfig', type: 'String' },
};
const PAYLOAD_OPTIONS = ['--record-size', '--payload-file', '--payload-monotonic'];

function convert(option: string, type: string, raw: string): number | string {
  if (type === 'String') return raw;
  const ok = type === 'Double' ? /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(raw.trim()) : /^[+-]?\d+$/.test(raw);
  const n = Number(raw);
  if (!ok || (type === 'Integer' && (n < -(2 ** 31) || n >= 2 ** 31))) {
    throw new ArgumentParserError(`argument ${option}: could not convert '${raw}' to ${type} (For input string: "${raw}")`);
  }
  return n;
}

/** Parses the arguments as ProducerPerformance's argparse4j parser and ConfigPostProcessor do; null for --help. */
export function parseProducerPerfArgs(args: readonly string[]): ProducerPerfConfig | null {
  const values: Record<string, unknown> = {};
  const payloadGiven: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '-h' || arg === '--help') return null;
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    if (PAYLOAD_OPTIONS.includes(name)) {
      const other = payloadGiven.find((o) => o !== name);
      if (other) throw new ArgumentParserError(`argument ${name}: not allowed with argument ${other}`);
      payloadGiven.push(name);
    }
    if (name === '--print-metrics' || name === '--payload-monotonic') {
      values[name === '--print-metrics' ? 'printMetrics' : 'payloadMonotonic'] = true;
    } else if (name === '--producer-props') {
      const props: string[] = [];
      if (eq > 0) props.push(arg.slice(eq + 1));
      while (i + 1 < args.length && !args[i + 1]!.startsWith('--')) props.push(args[++i]!);
      if (props.length === 0) throw new ArgumentParserError('argument --producer-props: expected at least one argument');
      values.producerProps = [...((values.producerProps as string[] | undefined) ?? []), ...props];
    } else if (VALUE_OPTIONS[name]) {
      const spec = VALUE_OPTIONS[name]!;
      let raw: string | undefined = eq > 0 ? arg.slice(eq + 1) : args[i + 1];
      if (eq <= 0) {
        if (raw === undefined || (raw.startsWith('--') && spec.type === 'String')) throw new ArgumentParserError(`argument ${name}: expected one argument`);
        i++;
      }
      raw = raw!;
      values[spec.dest] = convert(name, spec.type, raw);
    } else {
      throw new ArgumentParserError(`unrecognized arguments: '${args.slice(i).join(' ')}'`);
    }
  }
  for (const [option, dest] of [['--topic', 'topic'], ['--num-records', 'numRecords']] as const) {
    if (values[dest] === undefined) throw new ArgumentParserError(`argument ${option} is required`);
  }
  if (payloadGiven.length === 0) throw new ArgumentParserError(`one of the arguments ${PAYLOAD_OPTIONS.join(' ')} is required`);
  if (values.throughput === undefined) throw new ArgumentParserError('argument --throughput is required');
  const config: ProducerPerfConfig = {
    topic: values.topic as string,
    numRecords: values.numRecords as number,
    recordSize: values.recordSize as number | undefined,
    payloadFile: values.payloadFile as string | undefined,
    payloadDelimiter: (values.payloadDelimiter as string | undefined) ?? '\\n',
    payloadMonotonic: values.payloadMonotonic === true,
    throughput: values.throughput as number,
    producerProps: values.producerProps as string[] | undefined,
    producerConfig: values.producerConfig as string | undefined,
    printMetrics: values.printMetrics === true,
  };
  if (config.numRecords <= 0) throw new ArgumentParserError('--num-records should be greater than zero');
  if (config.recordSize !== undefined && config.recordSize <= 0) throw new ArgumentParserError('--record-size should be greater than zero');
  if (config.producerProps === undefined && config.producerConfig === undefined) {
    throw new ArgumentParserError('Either --producer-props or --producer.config must be specified.');
  }
  return config;
}

/** ProducerPerformance.readProps: the config file, then --producer-props (each exactly `name=value`). */
function readProps(config: ProducerPerfConfig): Record<string, string> {
  const props: Record<string, string> = config.producerConfig ? loadClientProperties(config.producerConfig) : {};
  for (const prop of config.producerProps ?? []) {
    const pieces = prop.split('=');
    if (pieces.length !== 2) throw new IllegalArgumentError(`Invalid property: ${prop}`);
    props[pieces[0]!] = pieces[1]!;
  }
  if (props['client.id'] === undefined) props['client.id'] = 'perf-producer-client';
  return props;
}

/** java.lang.IllegalArgumentException thrown out of main. */
export class IllegalArgumentError extends Error {
  override readonly name = 'IllegalArgumentError';
}

// ---------------------------------------------------------------------------------------------------
// Payloads and throttling

/** The payload of record i: random uppercase letters, a line of --payload-file, or i itself. */
function payloadSource(config: ProducerPerfConfig, io: ToolIO): (i: number) => Buffer {
  let seed = 0x2545f491;
  const random = () => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return seed >>> 0;
  };
  if (config.payloadFile !== undefined) {
    const file = path.resolve(config.payloadFile);
    io.out(`Reading payloads from: ${file}\n`);
    if (!fs.existsSync(file) || fs.statSync(file).size === 0) throw new IllegalArgumentError('File does not exist or empty file provided.');
    const delimiter = config.payloadDelimiter === '\\n' ? '\n' : config.payloadDelimiter;
    const list = fs.readFileSync(file, 'utf8').split(delimiter).filter((s) => s !== '').map((s) => Buffer.from(s, 'utf8'));
    io.out(`Number of messages read: ${list.length}\n`);
    return () => list[random() % list.length]!;
  }
  if (config.recordSize === undefined) return (i) => Buffer.from(String(i), 'utf8');
  // Kafka draws every payload from a random generator; a window at a random position of a pool of
  // random letters gives records just as distinct (and as compressible) for the cost of a copy.
  const size = config.recordSize;
  const pool = Buffer.allocUnsafe(Math.max(4 * 1024 * 1024, 4 * size));
  for (let i = 0; i < pool.length; i++) pool[i] = 65 + (random() % 26);
  const span = pool.length - size;
  return () => {
    const at = random() % span;
    return pool.subarray(at, at + size);
  };
}

/** Kafka's ThroughputThrottler: sleeps (in steps of at least 2 ms) while ahead of the target rate. */
class ThroughputThrottler {
  private readonly sleepTimeMs: number;
  private sleepDeficitMs = 0;

  constructor(
    private readonly targetThroughput: number,
    private readonly startMs: number,
  ) {
    this.sleepTimeMs = targetThroughput > 0 ? 1000 / targetThroughput : Infinity;
  }

  get active(): boolean {
    return this.targetThroughput >= 0;
  }

  shouldThrottle(amountSoFar: number, sendStartMs: number): boolean {
    if (this.targetThroughput < 0) return false;
    const elapsedSec = (sendStartMs - this.startMs) / 1000;
    return elapsedSec > 0 && amountSoFar / elapsedSec > this.targetThroughput;
  }

  async throttle(): Promise<void> {
    if (this.targetThroughput === 0) return new Promise(() => undefined);
    this.sleepDeficitMs += this.sleepTimeMs;
    if (this.sleepDeficitMs < 2) return;
    const ms = this.sleepDeficitMs;
    this.sleepDeficitMs = 0;
    await new Promise((resolve) => setTimeout(resolve, Math.max(1, Math.round(ms))));
  }
}

// ---------------------------------------------------------------------------------------------------
// main

/** ToolsUtils.printMetrics for the metrics this producer keeps. */
function printMetrics(io: ToolIO, sender: PerfSender, clientId: string): void {
  const m = sender.metrics;
  const tags = `{client-id=${clientId}}`;
  const entries: [string, number][] = [
    ['batch-size-avg', m.batches === 0 ? 0 : m.batchBytes / m.batches],
    ['batch-size-max', m.batchBytesMax],
    ['outgoing-byte-total', m.outgoingBytes],
    ['record-error-total', m.errors],
    ['record-retry-total', m.retries],
    ['record-send-total', m.records],
    ['records-per-request-avg', m.requests === 0 ? 0 : m.records / m.requests],
    ['request-latency-avg', m.requests === 0 ? 0 : m.requestLatencyTotal / m.requests],
    ['request-latency-max', m.requestLatencyMax],
    ['request-total', m.requests],
  ];
  const names = entries.map(([n]) => `producer-metrics:${n}:${tags}`);
  const width = Math.max(...names.map((n) => n.length));
  io.out(`\n${'Metric Name'.padEnd(width)}   Value\n`);
  entries.forEach(([, v], i) => io.out(`${names[i]!.padEnd(width)} : ${javaFixed(v, 3)}\n`));
}

/** Runs the tool with `args`; resolves with the exit code. */
export async function kafkaProducerPerfTestMain(args: string[], io: ToolIO): Promise<number> {
  let config: ProducerPerfConfig | null;
  try {
    config = parseProducerPerfArgs(args);
    if (config === null || args.length === 0) {
      io.out(HELP);
      return 0;
    }
  } catch (err) {
    if (!(err instanceof ArgumentParserError)) throw err;
    if (args.length === 0) {
      io.out(HELP);
      return 0;
    }
    io.err(`${USAGE}${PROG}: error: ${err.message}\n`);
    return 1;
  }
  let sender: PerfSender;
  let client: KafkaClient;
  let nextPayload: (i: number) => Buffer;
  let maxBlockMs: number;
  const props = (() => {
    try {
      return readProps(config);
    } catch (err) {
      if (err instanceof IllegalArgumentError) return err;
      throw err;
    }
  })();
  if (props instanceof Error) {
    io.err(`Exception in thread "main" java.lang.IllegalArgumentException: ${props.message}\n`);
    return 1;
  }
  const stats = new ProducerStats(config.numRecords, { out: (line) => io.out(line) });
  try {
    nextPayload = payloadSource(config, io);
    if (props['bootstrap.servers'] === undefined) {
      throw new ClientConfigError('Missing required configuration "bootstrap.servers" which has no default value.');
    }
    const p = producerOptionsFromProps(props);
    maxBlockMs = p.maxBlockMs ?? 60_000;
    client = new KafkaClient({
      bootstrapServers: props['bootstrap.servers'],
      ...clientOptionsFromProps(props, { clientId: 'perf-producer-client' }),
      logger: toolClientLogger(io, 'org.apache.kafka.clients.NetworkClient'),
    });
    sender = new PerfSender(client, {
      topic: config.topic,
      acks: p.acks ?? -1,
      batchSize: Math.max(RECORD_BATCH_OVERHEAD + 16, p.batchSize ?? 16384),
      lingerMs: p.lingerMs ?? 5,
      compression: p.compression ?? 'none',
      maxInFlight: Math.max(1, p.maxInFlightRequestsPerConnection ?? 5),
      requestTimeoutMs: p.requestTimeoutMs ?? 30_000,
      deliveryTimeoutMs: p.deliveryTimeoutMs ?? 120_000,
      retries: p.retries ?? Number.MAX_SAFE_INTEGER,
      bufferMemory: p.bufferMemory ?? 32 * 1024 * 1024,
      maxRequestSize: p.maxRequestSize ?? 1024 * 1024,
      onAcknowledged: (latency, run) => stats.record(latency, run),
      onFailed: (err, records) => {
        const line = `${exceptionClassOf(err)}: ${err.message}\n`;
        for (let i = 0; i < records; i++) io.err(line);
      },
    });
  } catch (err) {
    if (err instanceof ClientConfigError || err instanceof IllegalArgumentError) {
      const cls = err instanceof ClientConfigError ? 'org.apache.kafka.common.config.ConfigException' : 'java.lang.IllegalArgumentException';
      io.err(`Exception in thread "main" ${cls}: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
  try {
    try {
      await sender.start(maxBlockMs);
    } catch (err) {
      io.err(`${exceptionClassOf(err as Error)}: ${(err as Error).message}\n`);
      return 1;
    }
    const startMs = Date.now();
    const throttler = new ThroughputThrottler(config.throughput, startMs);
    let now = startMs;
    for (let i = 0; i < config.numRecords; i++) {
      if (throttler.active || (i & 63) === 0) now = Date.now();
      const batchClosed = sender.append(nextPayload(i), now);
      if (throttler.shouldThrottle(i, now)) await throttler.throttle();
      // Let responses in: after each batch, and whenever buffer.memory is used up (send() blocks).
      while (sender.isBufferFull) await sender.waitForProgress();
      if (batchClosed) await new Promise<void>((resolve) => setImmediate(resolve));
    }
    await sender.flush();
    stats.printTotal();
    if (config.printMetrics) printMetrics(io, sender, props['client.id']!);
    return 0;
  } finally {
    await client.close();
  }
}

function exceptionClassOf(err: Error): string {
  if (err instanceof KafkaResponseError) return kafkaExceptionClass(err.code, errorInfo(err.code).name);
  if (err instanceof ClientTimeoutError) return 'org.apache.kafka.common.errors.TimeoutException';
  return `org.apache.kafka.common.KafkaException: ${err.name}`;
}

if (require.main === module) runTool((args, io) => kafkaProducerPerfTestMain(args, io));
