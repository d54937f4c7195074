/**
 * End-to-end latency (bench scenario S5): one process produces records at a fixed rate with the perf
 * tool's sender (acks=all) and consumes them with a Fetch loop from the partition leader; each record's
 * value starts with the time it was handed to the sender (performance.now(), a float64), so latency is
 * the time from the produce call to the consumer holding the record, on one clock. The first
 * `warmupRecords` latencies are left out (JIT and connection warm-up). The producer uses linger.ms=0
 * (the latency measured is the broker's, not the client's batching) and batch.size 64 KiB as the other
 * scenarios do: with acks=all a connection carries one request at a time, so a backlog (after a
 * hiccup) drains at one batch per replication round trip, which 16 KiB batches of 1 KiB records
 * barely outrun at 5 k/s.
 */
import { performance } from 'node:perf_hooks';
import { KafkaClient } from '../../src/client/kafka-client';
import { ApiKeys, ErrorCode, errorInfo, type RequestInputOf } from '../../src/protocol';
import { BatchField, LOG_OVERHEAD, RECORD_BATCH_OVERHEAD, readInt64 } from '../../src/protocol/records/record-batch';
import { readVarint, readVarlong, type Cursor } from '../../src/protocol/records/varint';
import { PerfSender } from '../../src/tools/kafka-producer-perf-test';

/** Options of runEndToEndLatency. */
export interface EndToEndOptions {
  bootstrap: string;
  topic: string;
  recordsPerSec: number;
  records: number;
  recordSize: number;
  warmupRecords: number;
}

/** Latency percentiles in milliseconds over the measured records. */
export interface EndToEndResult {
  records: number;
  seconds: number;
  avg: number;
  p50: number;
  p99: number;
  p999: number;
  max: number;
}

/** Produces and consumes `records` records at a fixed rate; see the file comment. */
export async function runEndToEndLatency(opts: EndToEndOptions): Promise<EndToEndResult> {
  const client = new KafkaClient({ bootstrapServers: opts.bootstrap, clientId: 'e2e-latency-producer' });
  // Its own connections: a broker serves one request per connection at a time, so a fetch parked in
  // the purgatory would hold up produce requests sharing its connection.
  const consumerClient = new KafkaClient({ bootstrapServers: opts.bootstrap, clientId: 'e2e-latency-consumer' });
  const latencies = new Float64Array(opts.records);
  let received = 0;
  let failed: Error | undefined;
  const sender = new PerfSender(client, {
    topic: opts.topic,
    acks: -1,
    batchSize: 65536,
    lingerMs: 0,
    compression: 'none',
    maxInFlight: 5,
    requestTimeoutMs: 30_000,
    deliveryTimeoutMs: 120_000,
    retries: Number.MAX_SAFE_INTEGER,
    bufferMemory: 32 * 1024 * 1024,
    maxRequestSize: 1024 * 1024,
    onAcknowledged: () => undefined,
    onFailed: (err) => {
      failed = err;
    },
  });
  try {
    await sender.start(30_000);
    const meta = client.metadata.topics.get(opts.topic)!;
    const leader = meta.partitions[0]!.leader;
    let consuming = true;
    await consumerClient.fetchMetadata([opts.topic]);
    const consumer = consume(consumerClient, { topic: opts.topic, leader, stop: () => !consuming || received >= opts.records }, (sentAt) => {
      if (received < latencies.length) latencies[received++] = performance.now() - sentAt;
    }).catch((err: unknown) => {
      failed = err instanceof Error ? err : new Error(String(err));
    });
    const value = Buffer.alloc(opts.recordSize, 65);
    const start = performance.now();
    let sent = 0;
    while (sent < opts.records) {
      const due = Math.min(opts.records, Math.floor(((performance.now() - start) * opts.recordsPerSec) / 1000) + 1);
      while (sent < due) {
        const now = performance.now();
        value.writeDoubleBE(now, 0);
        sender.append(value, Date.now());
        sent++;
      }
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    await sender.flush();
    const deadline = Date.now() + 30_000;
    while (received < opts.records && Date.now() < deadline && !failed) await new Promise((resolve) => setTimeout(resolve, 10));
    consuming = false;
    await consumer;
    if (failed) throw failed;
    const seconds = (performance.now() - start) / 1000;
    const measured = latencies.slice(Math.min(opts.warmupRecords, received), received).sort();
    const pick = (p: number) => measured[Math.min(measured.length - 1, Math.floor(p * measured.length))] ?? NaN;
    let sum = 0;
    for (const l of measured) sum += l;
    return { records: received, seconds, avg: sum / measured.length, p50: pick(0.5), p99: pick(0.99), p999: pick(0.999), max: measured[measured.length - 1] ?? NaN };
  } finally {
    await client.close();
    await consumerClient.close();
  }
}

/** Fetches partition 0 from offset 0 until `stop()`, calling `onRecord` with each value's leading float64. */
async function consume(
  client: KafkaClient,
  target: { topic: string; leader: number; stop: () => boolean },
  onRecord: (sentAt: number) => void,
): Promise<void> {
  const conn = await client.connectionTo(target.leader);
  const version = conn.pickVersion(ApiKeys.Fetch, 4, 12);
  const cursor: Cursor = { pos: 0, end: 0 };
  let offset = 0;
  while (!target.stop()) {
    const body: RequestInputOf<typeof ApiKeys.Fetch> = {
      replicaId: -1,
      maxWaitMs: 100,
      minBytes: 1,
      maxBytes: 52_428_800,
      isolationLevel: 0,
      sessionId: 0,
      sessionEpoch: -1,
      topics: [{ topic: target.topic, partitions: [{ partition: 0, currentLeaderEpoch: -1, fetchOffset: offset, lastFetchedEpoch: -1, logStartOffset: -1, partitionMaxBytes: 1_048_576 }] }],
      forgottenTopicsData: [],
      rackId: '',
    };
    const response = await conn.request(ApiKeys.Fetch, version, body);
    const p = response.responses[0]?.partitions[0];
    const code = p?.errorCode ?? response.errorCode;
    if (code !== ErrorCode.NONE) {
      // A leader that has not processed its LeaderAndIsr yet answers with a retriable error.
      if (!errorInfo(code).retriable) throw new Error(`Fetch failed with error code ${code}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
      continue;
    }
    if (!p) continue;
    const data = p.records;
    if (!data) continue;
    for (let at = 0; data.length - at >= RECORD_BATCH_OVERHEAD; ) {
      const size = LOG_OVERHEAD + data.readInt32BE(at + BatchField.batchLength);
      if (at + size > data.length) break;
      const baseOffset = readInt64(data, at + BatchField.baseOffset);
      cursor.pos = at + RECORD_BATCH_OVERHEAD;
      cursor.end = at + size;
      const count = data.readInt32BE(at + BatchField.recordsCount);
      for (let i = 0; i < count; i++) {
        const length = readVarint(data, cursor);
        const next = cursor.pos + length;
        cursor.pos += 1;
        readVarlong(data, cursor);
        const recordOffset = baseOffset + readVarint(data, cursor);
        const keyLength = readVarint(data, cursor);
        if (keyLength > 0) cursor.pos += keyLength;
        readVarint(data, cursor);
        if (recordOffset >= offset) onRecord(data.readDoubleBE(cursor.pos));
        cursor.pos = next;
      }
      offset = Math.max(offset, baseOffset + data.readInt32BE(at + BatchField.lastOffsetDelta) + 1);
      at += size;
    }
  }
}
