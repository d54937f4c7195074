/**
 * A consumer of explicitly assigned partitions (no consumer group): ListOffsets (v1-9) to find the
 * earliest / latest / by-timestamp offsets, a Fetch loop (v4-12, partitions addressed by topic name)
 * with fetch.min.bytes / fetch.max.bytes / fetch.max.wait.ms / max.partition.fetch.bytes, records
 * decoded with the records module, positions tracked per partition, records below the requested offset
 * inside a batch skipped (a fetch returns whole batches), control batches skipped, and
 * OFFSET_OUT_OF_RANGE handled by auto.offset.reset as Kafka's consumer does.
 */

import { ApiKeys, ErrorCode, type RequestInputOf, type ResponseOf } from '../protocol';
import { batches } from '../protocol/records/record-batch';
import { decodeRecords } from '../protocol/records/record-batch-builder';
import type { RecordHeader } from '../protocol/records/record';
import { ClientClosedError, KafkaResponseError, isRetriable } from './client-errors';
import type { KafkaClient } from './kafka-client';

/** Special ListOffsets timestamps (Kafka's ListOffsetsRequest constants). */
export const OffsetSpec = {
  LATEST: -1,
  EARLIEST: -2,
  /** KIP-734: the offset of the record with the largest timestamp. */
  MAX_TIMESTAMP: -3,
} as const;

/** auto.offset.reset values. */
export type AutoOffsetReset = 'earliest' | 'latest' | 'none';

/** A topic partition. */
export interface TopicPartition {
  topic: string;
  partition: number;
}

/** A record as the consumer hands it out. */
export interface ConsumerRecord {
  topic: string;
  partition: number;
  offset: number;
  timestamp: number;
  timestampType: 'CreateTime' | 'LogAppendTime';
  key: Buffer | null;
  value: Buffer | null;
  headers: RecordHeader[];
  /** Partition leader epoch of the batch (-1 if unknown). */
  leaderEpoch: number;
}

/** Result of a ListOffsets lookup. */
export interface OffsetAndTimestamp {
  offset: number;
  timestamp: number;
  leaderEpoch: number;
}

/** Consumer configuration (Kafka's names in camelCase; defaults as Kafka 3.9). */
export interface SimpleConsumerOptions {
  /** auto.offset.reset: where to start when there is no position or it is out of range. Default latest. */
  autoOffsetReset?: AutoOffsetReset;
  /** fetch.min.bytes. Default 1. */
  fetchMinBytes?: number;
  /** fetch.max.bytes. Default 52428800. */
  fetchMaxBytes?: number;
  /** fetch.max.wait.ms. Default 500. */
  fetchMaxWaitMs?: number;
  /** max.partition.fetch.bytes. Default 1048576. */
  maxPartitionFetchBytes?: number;
  /** isolation.level: 0 read_uncommitted (default), 1 read_committed. */
  isolationLevel?: 0 | 1;
}

interface PartitionState {
  tp: TopicPartition;
  /** Next offset to fetch; undefined until resolved. */
  position: number | undefined;
  /** Pending reset (ListOffsets timestamp) when the position must be looked up. */
  reset: number | undefined;
  highWatermark: number;
  /** Set after a retriable error: metadata must be refreshed before the next fetch. */
  needsMetadata: boolean;
}

const FETCH_MIN_VERSION = 4;
/** v13+ address topics by id; names are enough for this client. */
const FETCH_MAX_VERSION = 12;

function key(tp: TopicPartition): string {
  return `${tp.topic}\u0000${tp.partition}`;
}

/** Consumes assigned partitions. Not safe for concurrent poll() calls. */
export class SimpleConsumer {
  private readonly autoOffsetReset: AutoOffsetReset;
  private readonly fetchMinBytes: number;
  private readonly fetchMaxBytes: number;
  private readonly fetchMaxWaitMs: number;
  private readonly maxPartitionFetchBytes: number;
  private readonly isolationLevel: 0 | 1;
  private readonly partitions = new Map<string, PartitionState>();
  private closed = false;

  constructor(
    private readonly client: KafkaClient,
    options?: SimpleConsumerOptions,
  ) {
    this.autoOffsetReset = options?.autoOffsetReset ?? 'latest';
    this.fetchMinBytes = options?.fetchMinBytes ?? 1;
    this.fetchMaxBytes = options?.fetchMaxBytes ?? 52_428_800;
    this.fetchMaxWaitMs = options?.fetchMaxWaitMs ?? 500;
    this.maxPartitionFetchBytes = options?.maxPartitionFetchBytes ?? 1_048_576;
    this.isolationLevel = options?.isolationLevel ?? 0;
  }

  /** Replaces the assignment. New partitions start per auto.offset.reset unless seek() is called. */
  assign(partitions: readonly TopicPartition[]): void {
    const next = new Map<string, PartitionState>();
    for (const tp of partitions) {
      const existing = this.partitions.get(key(tp));
      next.set(
        key(tp),
        existing ?? { tp: { ...tp }, position: undefined, reset: undefined, highWatermark: -1, needsMetadata: false },
      );
    }
    this.partitions.clear();
    for (const [k, v] of next) this.partitions.set(k, v);
  }

  /** The assigned partitions. */
  assignment(): TopicPartition[] {
    return [...this.partitions.values()].map((s) => ({ ...s.tp }));
  }

  /** Starts `tp` at `offset` on the next poll. */
  seek(tp: TopicPartition, offset: number): void {
    const s = this.state(tp);
    s.position = offset;
    s.reset = undefined;
  }

  /** Starts the partitions (default: all assigned) at their log start offset. */
  seekToBeginning(tps?: readonly TopicPartition[]): void {
    for (const tp of tps ?? this.assignment()) this.markReset(tp, OffsetSpec.EARLIEST);
  }

  /** Starts the partitions (default: all assigned) at their log end offset. */
  seekToEnd(tps?: readonly TopicPartition[]): void {
    for (const tp of tps ?? this.assignment()) this.markReset(tp, OffsetSpec.LATEST);
  }

  /** The next offset that will be fetched for `tp`, resolving a pending reset first. */
  async position(tp: TopicPartition): Promise<number> {
    await this.resolvePositions();
    const p = this.state(tp).position;
    if (p === undefined) throw new KafkaResponseError(ErrorCode.OFFSET_OUT_OF_RANGE, { context: `No position for ${tp.topic}-${tp.partition}` });
    return p;
  }

  /**
   * The next offset to fetch for `tp` as known now, without a lookup: undefined while its start is still
   * to be resolved or when it is not assigned (the group consumer commits these).
   */
  currentPosition(tp: TopicPartition): number | undefined {
    return this.partitions.get(key(tp))?.position;
  }

  /** The high watermark seen in the last fetch of `tp` (-1 before any). */
  highWatermark(tp: TopicPartition): number {
    return this.state(tp).highWatermark;
  }

  /**
   * ListOffsets for each partition (timestamp, or OffsetSpec.EARLIEST / LATEST / MAX_TIMESTAMP),
   * sent to each partition's leader. A partition with no matching offset maps to null.
   */
  async listOffsets(
    requests: readonly (TopicPartition & { timestamp: number })[],
  ): Promise<Map<string, OffsetAndTimestamp | null>> {
    const out = new Map<string, OffsetAndTimestamp | null>();
    let pending = [...requests];
    await this.client.retry(
      async () => {
        const byLeader = await this.groupByLeader(pending);
        const retry: (TopicPartition & { timestamp: number })[] = [];
        let lastError: unknown;
        await Promise.all(
          [...byLeader].map(async ([leader, list]) => {
            const conn = await this.client.connectionTo(leader);
            const version = conn.pickVersion(ApiKeys.ListOffsets, 1, 9);
            const topics = new Map<string, { partitionIndex: number; timestamp: number; currentLeaderEpoch: number }[]>();
            for (const r of list) {
              const l = topics.get(r.topic) ?? [];
              l.push({ partitionIndex: r.partition, timestamp: r.timestamp, currentLeaderEpoch: -1 });
              topics.set(r.topic, l);
            }
            const body: RequestInputOf<typeof ApiKeys.ListOffsets> = {
              replicaId: -1,
              isolationLevel: this.isolationLevel,
              topics: [...topics].map(([name, partitions]) => ({ name, partitions })),
            };
            const response = await conn.request(ApiKeys.ListOffsets, version, body);
            for (const t of response.topics) {
              for (const p of t.partitions) {
                const tp = { topic: t.name, partition: p.partitionIndex };
                const req = list.find((r) => r.topic === tp.topic && r.partition === tp.partition);
                if (!req) continue;
                if (p.errorCode === ErrorCode.NONE) {
                  out.set(key(tp), p.offset < 0 ? null : { offset: p.offset, timestamp: p.timestamp, leaderEpoch: p.leaderEpoch });
                  continue;
                }
                const err = new KafkaResponseError(p.errorCode, { context: `ListOffsets ${tp.topic}-${tp.partition}` });
                if (!err.retriable) throw err;
                lastError = err;
                retry.push(req);
              }
            }
          }),
        );
        pending = retry;
        if (pending.length > 0) throw lastError;
      },
      {
        operation: 'listOffsets',
        onRetry: async () => {
          await this.client.fetchMetadata([...new Set(pending.map((p) => p.topic))]).catch(() => undefined);
        },
      },
    );
    return out;
  }

  /**
   * Fetches once from every leader of the assigned partitions (waiting up to fetch.max.wait.ms on the
   * broker) and returns the records, in offset order per partition; repeats until records arrive or
   * `timeoutMs` passes. Returns [] on timeout.
   */
  async poll(timeoutMs = 1000): Promise<ConsumerRecord[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.closed) throw new ClientClosedError('Consumer');
      await this.resolvePositions();
      const remaining = deadline - Date.now();
      const records = await this.fetchOnce(Math.max(0, Math.min(this.fetchMaxWaitMs, remaining)));
      if (records.length > 0 || Date.now() >= deadline) return records;
    }
  }

  /** Stops the consumer (the client stays open: it belongs to the caller). */
  close(): void {
    this.closed = true;
  }

  private state(tp: TopicPartition): PartitionState {
    const s = this.partitions.get(key(tp));
    if (!s) throw new Error(`Partition ${tp.topic}-${tp.partition} is not assigned`);
    return s;
  }

  private markReset(tp: TopicPartition, spec: number): void {
    const s = this.state(tp);
    s.position = undefined;
    s.reset = spec;
  }

  /** Looks up positions that are unknown (auto.offset.reset) or marked for reset. */
  private async resolvePositions(): Promise<void> {
    const lookups: (TopicPartition & { timestamp: number })[] = [];
    for (const s of this.partitions.values()) {
      if (s.position !== undefined) continue;
      let spec = s.reset;
      if (spec === undefined) {
        if (this.autoOffsetReset === 'none') {
          throw new KafkaResponseError(ErrorCode.OFFSET_OUT_OF_RANGE, {
            message: `Undefined offset with no reset policy for partitions: [${s.tp.topic}-${s.tp.partition}]`,
          });
        }
        spec = this.autoOffsetReset === 'earliest' ? OffsetSpec.EARLIEST : OffsetSpec.LATEST;
      }
      lookups.push({ ...s.tp, timestamp: spec });
    }
    if (lookups.length === 0) return;
    const found = await this.listOffsets(lookups);
    for (const l of lookups) {
      const s = this.state(l);
      const r = found.get(key(l));
      s.position = r ? r.offset : 0;
      s.reset = undefined;
    }
  }

  private async groupByLeader<T extends TopicPartition>(tps: readonly T[]): Promise<Map<number, T[]>> {
    const out = new Map<number, T[]>();
    for (const tp of tps) {
      const leader = await this.client.leaderFor(tp.topic, tp.partition);
      if (leader < 0) {
        await this.client.fetchMetadata([tp.topic]);
        throw new KafkaResponseError(ErrorCode.LEADER_NOT_AVAILABLE, { context: `${tp.topic}-${tp.partition}` });
      }
      const list = out.get(leader) ?? [];
      list.push(tp);
      out.set(leader, list);
    }
    return out;
  }

  private async fetchOnce(maxWaitMs: number): Promise<ConsumerRecord[]> {
    const states = [...this.partitions.values()].filter((s) => s.position !== undefined);
    if (states.length === 0) return [];
    const stale = states.filter((s) => s.needsMetadata).map((s) => s.tp.topic);
    if (stale.length > 0) {
      await this.client.fetchMetadata([...new Set(stale)]).catch(() => undefined);
      for (const s of states) s.needsMetadata = false;
    }
    let byLeader: Map<number, PartitionState[]>;
    try {
      const grouped = await this.groupByLeader(states.map((s) => ({ ...s.tp, state: s })));
      byLeader = new Map([...grouped].map(([leader, list]) => [leader, list.map((x) => x.state)]));
    } catch (err) {
      if (!isRetriable(err)) throw err;
      await new Promise((resolve) => setTimeout(resolve, this.client.backoffMs(0)));
      return [];
    }
    const results = await Promise.all(
      [...byLeader].map(([leader, list]) =>
        this.fetchFromLeader(leader, list, maxWaitMs).catch((err: unknown) => {
          if (!isRetriable(err)) throw err;
          for (const s of list) s.needsMetadata = true;
          return [] as ConsumerRecord[];
        }),
      ),
    );
    return results.flat();
  }

  private async fetchFromLeader(leader: number, list: PartitionState[], maxWaitMs: number): Promise<ConsumerRecord[]> {
    const conn = await this.client.connectionTo(leader);
    const version = conn.pickVersion(ApiKeys.Fetch, FETCH_MIN_VERSION, FETCH_MAX_VERSION);
    const topics = new Map<string, PartitionState[]>();
    for (const s of list) {
      const l = topics.get(s.tp.topic) ?? [];
      l.push(s);
      topics.set(s.tp.topic, l);
    }
    const body: RequestInputOf<typeof ApiKeys.Fetch> = {
      replicaId: -1,
      maxWaitMs,
      minBytes: this.fetchMinBytes,
      maxBytes: this.fetchMaxBytes,
      isolationLevel: this.isolationLevel,
      sessionId: 0,
      sessionEpoch: -1,
      topics: [...topics].map(([topic, states]) => ({
        topic,
        partitions: states.map((s) => ({
          partition: s.tp.partition,
          currentLeaderEpoch: -1,
          fetchOffset: s.position!,
          lastFetchedEpoch: -1,
          logStartOffset: -1,
          partitionMaxBytes: this.maxPartitionFetchBytes,
        })),
      })),
      forgottenTopicsData: [],
      rackId: '',
    };
    const response = await conn.request(ApiKeys.Fetch, version, body, {
      timeoutMs: this.client.requestTimeoutMs + maxWaitMs,
    });
    if (response.errorCode !== ErrorCode.NONE) throw new KafkaResponseError(response.errorCode, { context: 'Fetch' });
    return this.handleFetchResponse(response);
  }

  private async handleFetchResponse(response: ResponseOf<typeof ApiKeys.Fetch>): Promise<ConsumerRecord[]> {
    const out: ConsumerRecord[] = [];
    for (const t of response.responses) {
      for (const p of t.partitions) {
        const s = this.partitions.get(key({ topic: t.topic, partition: p.partitionIndex }));
        if (!s || s.position === undefined) continue;
        if (p.errorCode === ErrorCode.OFFSET_OUT_OF_RANGE) {
          if (this.autoOffsetReset === 'none') {
            throw new KafkaResponseError(p.errorCode, {
              message: `Fetch position ${s.position} is out of range for partition ${t.topic}-${p.partitionIndex}`,
            });
          }
          s.position = undefined;
          s.reset = this.autoOffsetReset === 'earliest' ? OffsetSpec.EARLIEST : OffsetSpec.LATEST;
          continue;
        }
        if (p.errorCode !== ErrorCode.NONE) {
          const err = new KafkaResponseError(p.errorCode, { context: `Fetch ${t.topic}-${p.partitionIndex}` });
          if (!err.retriable) throw err;
          s.needsMetadata = true;
          continue;
        }
        s.highWatermark = p.highWatermark;
        if (!p.records || p.records.length === 0) continue;
        for (const view of batches(p.records)) {
          if (view.nextOffset <= s.position) continue;
          if (!view.isControl) {
            const timestampType = view.isLogAppendTime ? 'LogAppendTime' : 'CreateTime';
            const leaderEpoch = view.partitionLeaderEpoch;
            for (const r of await decodeRecords(view)) {
              // A fetch returns whole batches: skip what lies below the requested offset.
              if (r.offset < s.position) continue;
              out.push({
                topic: t.topic,
                partition: p.partitionIndex,
                offset: r.offset,
                timestamp: r.timestamp,
                timestampType,
                key: r.key,
                value: r.value,
                headers: r.headers,
                leaderEpoch,
              });
              s.position = r.offset + 1;
            }
          }
          // Compacted-away or control records still advance the position past the batch.
          if (view.nextOffset > s.position) s.position = view.nextOffset;
        }
      }
    }
    return out;
  }
}

/** Key of a topic partition in the maps returned by SimpleConsumer.listOffsets. */
export function topicPartitionKey(tp: TopicPartition): string {
  return key(tp);
}
