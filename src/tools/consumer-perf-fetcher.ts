/**
 * The fetch side of kafka-consumer-perf-test: fetches the partitions the group assigned from their
 * leaders (Fetch v4-12) and counts records by walking the record headers in the fetched batches (no
 * per-record objects, as the tool only needs counts and key + value bytes); the next Fetch to a leader
 * is sent before the previous response is counted. Polls return at most max.poll.records records, as
 * Kafka's consumer does. Start positions are the group's committed offsets, else auto.offset.reset
 * (ListOffsets); positions() are what the group commits.
 */

import { KafkaResponseError, isRetriable } from '../client/client-errors';
import type { KafkaClient } from '../client/kafka-client';
import { OffsetSpec, SimpleConsumer, type TopicPartition } from '../client/simple-consumer';
import { ApiKeys, ErrorCode, type RequestInputOf, type ResponseOf } from '../protocol';
import { codecFor } from '../protocol/records/compression';
import { BatchAttribute, BatchField, CompressionType, LOG_OVERHEAD, RECORD_BATCH_OVERHEAD, readInt64 } from '../protocol/records/record-batch';
import { readVarint, readVarlong, type Cursor } from '../protocol/records/varint';

/** Records and key+value bytes of one poll; `firstBytes` is the first record's share. */
export interface PollResult {
  count: number;
  bytes: number;
  firstBytes: number;
}

interface PartitionState {
  tp: TopicPartition;
  /** The offset after the last record counted (what is committed). */
  position: number;
  /** The offset to fetch next: after the last complete batch received. */
  fetchPosition: number;
  /** Fetched chunks not yet counted. */
  pending: number;
  leader: number;
}

/** Fetched data of one partition being counted; `at` walks its batches. */
interface Chunk {
  state: PartitionState;
  data: Buffer;
  /** Records below this offset are skipped (a fetch answers with whole batches). */
  from: number;
  at: number;
  /** Records section being walked (decompressed when needed), and where in it. */
  records: Buffer | null;
  recordPos: number;
  recordsLeft: number;
  baseOffset: number;
}

/** Fetches the assigned partitions from their leaders and counts records; see the file comment. */
export class PerfFetcher {
  private partitions: PartitionState[] = [];
  private chunks: Chunk[] = [];
  private readonly fetching = new Set<number>();
  private readonly cursor: Cursor = { pos: 0, end: 0 };
  private waiter: (() => void) | undefined;
  private failure: Error | undefined;
  private closed = false;
  readonly metrics = { fetches: 0, fetchLatencyTotal: 0, fetchLatencyMax: 0, records: 0, bytes: 0 };

  constructor(
    private readonly client: KafkaClient,
    private readonly opts: { topic: string; fetchSize: number; fetchMinBytes: number; fetchMaxBytes: number; fetchMaxWaitMs: number; maxPollRecords: number; isolationLevel: 0 | 1 },
  ) {}

  /**
   * Replaces the assignment with `partitions` of the topic, starting at `starts` (committed offsets) or
   * else at `reset`; waits for their leaders to be known. Fetched data of earlier partitions is dropped.
   */
  async assign(partitions: readonly number[], options: { starts: ReadonlyMap<number, number>; reset: 'earliest' | 'latest' }): Promise<void> {
    this.revokeAll();
    if (partitions.length === 0) return;
    const { topic } = this.opts;
    for (let attempt = 0; ; attempt++) {
      const meta = (await this.client.fetchMetadata([topic])).topics.get(topic);
      const leaders = new Map((meta?.partitions ?? []).map((p) => [p.partition, p.leader]));
      if (partitions.every((p) => (leaders.get(p) ?? -1) >= 0)) {
        const spec = options.reset === 'earliest' ? OffsetSpec.EARLIEST : OffsetSpec.LATEST;
        const lookups = partitions.filter((p) => !options.starts.has(p)).map((partition) => ({ topic, partition, timestamp: spec }));
        const found = lookups.length > 0 ? await new SimpleConsumer(this.client).listOffsets(lookups) : new Map();
        this.partitions = partitions.map((partition) => {
          const position = options.starts.get(partition) ?? found.get(`${topic}\u0000${partition}`)?.offset ?? 0;
          return { tp: { topic, partition }, position, fetchPosition: position, pending: 0, leader: leaders.get(partition)! };
        });
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, this.client.backoffMs(attempt)));
    }
  }

  /** Gives every partition up (before a rebalance); fetches under way are ignored when they answer. */
  revokeAll(): void {
    this.partitions = [];
    this.chunks = [];
  }

  /** The assigned partitions. */
  assignment(): TopicPartition[] {
    return this.partitions.map((s) => ({ ...s.tp }));
  }

  /** Current positions (the offsets to commit). */
  positions(): (TopicPartition & { offset: number })[] {
    return this.partitions.map((s) => ({ ...s.tp, offset: s.position }));
  }

  /** Counts up to max.poll.records records, waiting up to `timeoutMs` for data. */
  async poll(timeoutMs: number): Promise<PollResult> {
    this.startFetches();
    if (this.chunks.length === 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          this.waiter = undefined;
          resolve();
        }, timeoutMs);
        this.waiter = () => {
          clearTimeout(timer);
          this.waiter = undefined;
          resolve();
        };
      });
    }
    if (this.failure) throw this.failure;
    const result: PollResult = { count: 0, bytes: 0, firstBytes: 0 };
    while (this.chunks.length > 0 && result.count < this.opts.maxPollRecords) {
      const chunk = this.chunks[0]!;
      if (!(await this.countChunk(chunk, result))) {
        this.chunks.shift();
        chunk.state.pending--;
      }
    }
    this.metrics.records += result.count;
    this.metrics.bytes += result.bytes;
    this.startFetches();
    return result;
  }

  /** Stops fetching. */
  close(): void {
    this.closed = true;
  }

  /** Counts records of `chunk` into `result` until the poll is full; false once the chunk is used up. */
  private async countChunk(chunk: Chunk, result: PollResult): Promise<boolean> {
    const c = this.cursor;
    for (;;) {
      if (chunk.records !== null && chunk.recordsLeft > 0) {
        const buf = chunk.records;
        c.end = buf.length;
        while (chunk.recordsLeft > 0 && result.count < this.opts.maxPollRecords) {
          c.pos = chunk.recordPos;
          const length = readVarint(buf, c);
          const next = c.pos + length;
          c.pos += 1; // attributes
          readVarlong(buf, c);
          const offset = chunk.baseOffset + readVarint(buf, c);
          const keyLength = readVarint(buf, c);
          if (keyLength > 0) c.pos += keyLength;
          const valueLength = readVarint(buf, c);
          chunk.recordPos = next;
          chunk.recordsLeft--;
          if (offset < chunk.from) continue;
          const bytes = Math.max(keyLength, 0) + Math.max(valueLength, 0);
          if (result.count === 0) result.firstBytes = bytes;
          result.count++;
          result.bytes += bytes;
          chunk.state.position = offset + 1;
        }
        if (chunk.recordsLeft > 0) return true;
      }
      // The next complete batch (a fetch may end with a partial one).
      const data = chunk.data;
      if (data.length - chunk.at < RECORD_BATCH_OVERHEAD) return false;
      const size = LOG_OVERHEAD + data.readInt32BE(chunk.at + BatchField.batchLength);
      if (chunk.at + size > data.length) return false;
      const at = chunk.at;
      chunk.at += size;
      const attributes = data.readInt16BE(at + BatchField.attributes);
      chunk.baseOffset = readInt64(data, at + BatchField.baseOffset);
      const nextOffset = chunk.baseOffset + data.readInt32BE(at + BatchField.lastOffsetDelta) + 1;
      if (nextOffset <= chunk.from) continue;
      if ((attributes & BatchAttribute.control) !== 0) {
        chunk.state.position = Math.max(chunk.state.position, nextOffset);
        continue;
      }
      const section = data.subarray(at + RECORD_BATCH_OVERHEAD, at + size);
      const compression = attributes & BatchAttribute.compressionMask;
      chunk.records = compression === CompressionType.none ? section : await codecFor(compression).decompress(section);
      chunk.recordPos = 0;
      chunk.recordsLeft = data.readInt32BE(at + BatchField.recordsCount);
    }
  }

  /**
   * Sends a Fetch to every leader that has none in flight, for its partitions with at most one fetched
   * chunk waiting: the next fetch is on its way while the previous one is counted.
   */
  private startFetches(): void {
    if (this.closed || this.failure) return;
    const byLeader = new Map<number, PartitionState[]>();
    for (const s of this.partitions) {
      if (this.fetching.has(s.leader) || s.pending > 1) continue;
      byLeader.set(s.leader, [...(byLeader.get(s.leader) ?? []), s]);
    }
    for (const [leader, list] of byLeader) {
      this.fetching.add(leader);
      this.fetchFrom(leader, list)
        .catch((err: unknown) => {
          if (!isRetriable(err)) this.failure = err instanceof Error ? err : new Error(String(err));
          else return this.refreshLeaders();
        })
        .finally(() => {
          this.fetching.delete(leader);
          this.waiter?.();
        });
    }
  }

  private async fetchFrom(leader: number, list: PartitionState[]): Promise<void> {
    const conn = await this.client.connectionTo(leader);
    const version = conn.pickVersion(ApiKeys.Fetch, 4, 12);
    const body: RequestInputOf<typeof ApiKeys.Fetch> = {
      replicaId: -1,
      maxWaitMs: this.opts.fetchMaxWaitMs,
      minBytes: this.opts.fetchMinBytes,
      maxBytes: this.opts.fetchMaxBytes,
      isolationLevel: this.opts.isolationLevel,
      sessionId: 0,
      sessionEpoch: -1,
      topics: [
        {
          topic: this.opts.topic,
          partitions: list.map((s) => ({
            partition: s.tp.partition,
            currentLeaderEpoch: -1,
            fetchOffset: s.fetchPosition,
            lastFetchedEpoch: -1,
            logStartOffset: -1,
            partitionMaxBytes: this.opts.fetchSize,
          })),
        },
      ],
      forgottenTopicsData: [],
      rackId: '',
    };
    const started = Date.now();
    const response = await conn.request(ApiKeys.Fetch, version, body, { timeoutMs: this.client.requestTimeoutMs + this.opts.fetchMaxWaitMs });
    const latency = Date.now() - started;
    this.metrics.fetches++;
    this.metrics.fetchLatencyTotal += latency;
    this.metrics.fetchLatencyMax = Math.max(this.metrics.fetchLatencyMax, latency);
    if (response.errorCode !== ErrorCode.NONE) throw new KafkaResponseError(response.errorCode, { context: 'Fetch' });
    this.onFetchResponse(list, response);
  }

  private onFetchResponse(list: PartitionState[], response: ResponseOf<typeof ApiKeys.Fetch>): void {
    let refresh = false;
    for (const t of response.responses) {
      for (const p of t.partitions) {
        const state = list.find((s) => s.tp.partition === p.partitionIndex);
        // A partition revoked while its fetch was under way.
        if (!state || !this.partitions.includes(state)) continue;
        if (p.errorCode === ErrorCode.OFFSET_OUT_OF_RANGE) {
          throw new KafkaResponseError(p.errorCode, { message: `Fetch position ${state.fetchPosition} is out of range for partition ${t.topic}-${p.partitionIndex}` });
        }
        if (p.errorCode !== ErrorCode.NONE) {
          const err = new KafkaResponseError(p.errorCode, { context: `Fetch ${t.topic}-${p.partitionIndex}` });
          if (!err.retriable) throw err;
          refresh = true;
          continue;
        }
        const data = p.records;
        if (!data || data.length < RECORD_BATCH_OVERHEAD) continue;
        const from = state.fetchPosition;
        // The next fetch starts after the last complete batch (header fields only).
        for (let at = 0; data.length - at >= RECORD_BATCH_OVERHEAD; ) {
          const size = LOG_OVERHEAD + data.readInt32BE(at + BatchField.batchLength);
          if (at + size > data.length) break;
          const next = readInt64(data, at + BatchField.baseOffset) + data.readInt32BE(at + BatchField.lastOffsetDelta) + 1;
          if (next > state.fetchPosition) state.fetchPosition = next;
          at += size;
        }
        state.pending++;
        this.chunks.push({ state, data, from, at: 0, records: null, recordPos: 0, recordsLeft: 0, baseOffset: 0 });
      }
    }
    if (refresh) void this.refreshLeaders();
  }

  private async refreshLeaders(): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, this.client.backoffMs(0)));
    const meta = (await this.client.fetchMetadata([this.opts.topic]).catch(() => undefined))?.topics.get(this.opts.topic);
    for (const s of this.partitions) {
      const leader = meta?.partitions.find((p) => p.partition === s.tp.partition)?.leader ?? -1;
      if (leader >= 0) s.leader = leader;
    }
  }
}
