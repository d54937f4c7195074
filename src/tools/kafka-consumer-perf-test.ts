/**
 * kafka-consumer-perf-test.sh: Kafka 3.9's ConsumerPerformance. Consumes --messages records of --topic
 * from the beginning (--from-latest: the end) unless --group has committed offsets, and prints Kafka's
 * CSV: the header `start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec,
 * rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec` and one row, or with
 * --show-detailed-stats a row per --reporting-interval. Bytes are key + value bytes, as Kafka counts
 * them; polls return at most max.poll.records (500) records, so a run stops within one poll of
 * --messages, as Kafka's does; --timeout ends a run with no record for that long.
 *
 * The project's consumer has no group membership, so the partitions of the topic are assigned
 * directly: rebalance.time.ms is the time to find the partitions and their start offsets (the group's
 * committed offsets when --group has some, else auto.offset.reset), and on exit the positions are
 * committed to the group (OffsetCommit outside group management, generation -1), as a Java consumer's
 * auto-commit would. Records are counted by walking the record headers in the fetched batches (no
 * per-record objects), and the next Fetch to a leader is sent before the previous response is counted.
 */

import { KafkaClient } from '../client/kafka-client';
import { KafkaResponseError, isRetriable } from '../client/client-errors';
import { OffsetSpec, SimpleConsumer, type TopicPartition } from '../client/simple-consumer';
import { ApiKeys, ErrorCode, type ApiKey, type RequestInputOf, type ResponseOf } from '../protocol';
import { codecFor } from '../protocol/records/compression';
import { BatchAttribute, BatchField, CompressionType, LOG_OVERHEAD, RECORD_BATCH_OVERHEAD, readInt64 } from '../protocol/records/record-batch';
import { readVarint, readVarlong, type Cursor } from '../protocol/records/varint';
import { OptionParser, type ParsedOptions } from './command-line';
import { ClientConfigError, clientOptionsFromProps, consumerOptionsFromProps } from './client-config';
import { javaFixed } from './kafka-producer-perf-test';
import {
  UsageError,
  addDefaultOptions,
  checkRequiredArgs,
  loadClientProperties,
  parseToolOptions,
  printUsage,
  runTool,
  toolClientLogger,
  type ToolIO,
} from './tool-support';

function buildParser(): OptionParser {
  const p = new OptionParser();
  p.withRequiredArg(
    'broker-list',
    'DEPRECATED, use --bootstrap-server instead; ignored if --bootstrap-server is specified. The broker list string in the form HOST1:PORT1,HOST2:PORT2.',
    { describedAs: 'broker-list' },
  );
  p.withRequiredArg('bootstrap-server', 'REQUIRED unless --broker-list(deprecated) is specified. The server(s) to connect to.', {
    describedAs: 'server to connect to',
  });
  p.withRequiredArg('topic', 'REQUIRED: The topic to consume from.', { describedAs: 'topic' });
  p.withRequiredArg('group', 'The group id to consume on.', { describedAs: 'gid', defaultValue: `perf-consumer-${Math.floor(Math.random() * 100_000)}` });
  p.withRequiredArg('fetch-size', 'The amount of data to fetch in a single request.', { describedAs: 'size', type: 'Integer', defaultValue: '1048576' });
  p.flag(
    'from-latest',
    'If the consumer does not already have an established offset to consume from, start with the latest message present in the log rather than the earliest message.',
  );
  p.withRequiredArg('socket-buffer-size', 'The size of the tcp RECV size.', { describedAs: 'size', type: 'Integer', defaultValue: '2097152' });
  p.withRequiredArg('threads', 'DEPRECATED AND IGNORED: Number of processing threads.', { describedAs: 'count', type: 'Integer', defaultValue: '10' });
  p.withRequiredArg('num-fetch-threads', 'DEPRECATED AND IGNORED: Number of fetcher threads.', { describedAs: 'count', type: 'Integer', defaultValue: '1' });
  p.withRequiredArg('consumer.config', 'Consumer config properties file.', { describedAs: 'config file' });
  p.flag('print-metrics', 'Print out the metrics.');
  p.flag('show-detailed-stats', 'If set, stats are reported for each reporting interval as configured by reporting-interval');
  p.withOptionalArg('timeout', 'The maximum allowed time in milliseconds between returned records.', { describedAs: 'milliseconds', type: 'Long' });
  p.withRequiredArg('messages', 'REQUIRED: The number of messages to send or consume', { describedAs: 'count', type: 'Long' });
  p.withRequiredArg('reporting-interval', 'Interval in milliseconds at which to print progress info.', {
    describedAs: 'interval_ms',
    type: 'Long',
    defaultValue: '5000',
  });
  p.withRequiredArg('date-format', 'The date format to use for formatting the time field. See java.text.SimpleDateFormat for options.', {
    describedAs: 'date format',
    defaultValue: 'yyyy-MM-dd HH:mm:ss:SSS',
  });
  p.flag('hide-header', 'If set, skips printing the header for the stats');
  addDefaultOptions(p);
  return p;
}

/** java.text.SimpleDateFormat for the letters the tools use (y M d H h m s S a and 'quoted' text), local time. */
export function formatJavaDate(ms: number, pattern: string): string {
  const d = new Date(ms);
  const pad = (n: number, w: number) => String(n).padStart(w, '0');
  let out = '';
  for (let i = 0; i < pattern.length; ) {
    const c = pattern[i]!;
    if (c === "'") {
      const end = pattern.indexOf("'", i + 1);
      out += end === i + 1 ? "'" : pattern.slice(i + 1, end < 0 ? undefined : end);
      i = end < 0 ? pattern.length : end + 1;
      continue;
    }
    let n = 1;
    while (pattern[i + n] === c) n++;
    i += n;
    switch (c) {
      case 'y':
        out += n === 2 ? pad(d.getFullYear() % 100, 2) : pad(d.getFullYear(), n);
        break;
      case 'M':
        out += pad(d.getMonth() + 1, n);
        break;
      case 'd':
        out += pad(d.getDate(), n);
        break;
      case 'H':
        out += pad(d.getHours(), n);
        break;
      case 'h':
        out += pad(d.getHours() % 12 || 12, n);
        break;
      case 'm':
        out += pad(d.getMinutes(), n);
        break;
      case 's':
        out += pad(d.getSeconds(), n);
        break;
      case 'S':
        out += pad(d.getMilliseconds(), n);
        break;
      case 'a':
        out += d.getHours() < 12 ? 'AM' : 'PM';
        break;
      default:
        out += c.repeat(n);
    }
  }
  return out;
}

/** The figures of the summary row (the bench reads them). */
export interface ConsumerPerfTotals {
  messages: number;
  mb: number;
  mbPerSec: number;
  messagesPerSec: number;
  rebalanceTimeMs: number;
  fetchTimeMs: number;
}

/** Records and key+value bytes of one poll; `firstBytes` is the first record's share. */
interface PollResult {
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
  private readonly partitions: PartitionState[] = [];
  private readonly chunks: Chunk[] = [];
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

  /** Assigns every partition of the topic at `starts` (committed offsets), the rest at `reset`. */
  async assign(reset: 'earliest' | 'latest', starts: ReadonlyMap<number, number>): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const meta = (await this.client.fetchMetadata([this.opts.topic], { allowAutoTopicCreation: true })).topics.get(this.opts.topic);
      if (meta && meta.errorCode === ErrorCode.NONE && meta.partitions.length > 0 && meta.partitions.every((p) => p.leader >= 0)) {
        const lookups = meta.partitions
          .filter((p) => !starts.has(p.partition))
          .map((p) => ({ topic: this.opts.topic, partition: p.partition, timestamp: reset === 'earliest' ? OffsetSpec.EARLIEST : OffsetSpec.LATEST }));
        const found = lookups.length > 0 ? await new SimpleConsumer(this.client).listOffsets(lookups) : new Map();
        for (const p of meta.partitions) {
          const tp = { topic: this.opts.topic, partition: p.partition };
          const position = starts.get(p.partition) ?? found.get(`${tp.topic}\u0000${tp.partition}`)?.offset ?? 0;
          this.partitions.push({ tp, position, fetchPosition: position, pending: 0, leader: p.leader });
        }
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, this.client.backoffMs(attempt)));
    }
  }

  /** Current positions (the offsets to commit). */
  positions(): { partition: number; offset: number }[] {
    return this.partitions.map((s) => ({ partition: s.tp.partition, offset: s.position }));
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
        if (!state) continue;
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

/** The group's coordinator and a request to it (FindCoordinator v0-4 first). */
async function coordinatorRequest<K extends ApiKey>(
  client: KafkaClient,
  groupId: string,
  api: { key: K; min: number; max: number; body: RequestInputOf<K> },
): Promise<ResponseOf<K>> {
  return client.retry(
    async () => {
      const any = await client.anyConnection();
      const v = any.pickVersion(ApiKeys.FindCoordinator, 0, 4);
      const r = await any.request(ApiKeys.FindCoordinator, v, v >= 4 ? { keyType: 0, coordinatorKeys: [groupId] } : { key: groupId, keyType: 0 });
      const c = r.coordinators.length > 0 ? r.coordinators[0]! : { errorCode: r.errorCode, nodeId: r.nodeId };
      if (c.errorCode !== ErrorCode.NONE) throw new KafkaResponseError(c.errorCode, { context: `FindCoordinator ${groupId}` });
      const conn = await client.connectionTo(c.nodeId);
      const response = (await conn.request(api.key, conn.pickVersion(api.key, api.min, api.max), api.body)) as ResponseOf<K> & { errorCode?: number };
      if (response.errorCode !== undefined && response.errorCode !== ErrorCode.NONE) {
        throw new KafkaResponseError(response.errorCode, { context: `${groupId}` });
      }
      return response;
    },
    { operation: 'group coordinator request' },
  );
}

/** The group's committed offsets of the topic (partition → offset). */
async function committedOffsets(client: KafkaClient, groupId: string, topic: string): Promise<Map<number, number>> {
  const r = await coordinatorRequest(client, groupId, { key: ApiKeys.OffsetFetch, min: 2, max: 7, body: { groupId, topics: null } });
  const out = new Map<number, number>();
  for (const t of r.topics) {
    if (t.name !== topic) continue;
    for (const p of t.partitions) if (p.errorCode === ErrorCode.NONE && p.committedOffset >= 0) out.set(p.partitionIndex, p.committedOffset);
  }
  return out;
}

/** Runs the tool with `args`; resolves with the exit code. */
export async function kafkaConsumerPerfTestMain(args: string[], io: ToolIO): Promise<number> {
  const parser = buildParser();
  let o: ParsedOptions | null;
  try {
    o = parseToolOptions(parser, args, { io, help: 'This tool is used to verify the consumer performance.' });
    if (o === null) return 0;
    if (o.has('threads') || o.has('num-fetch-threads')) {
      io.out('WARNING: option [threads] and [num-fetch-threads] have been deprecated and will be ignored by the test\n');
    }
    if (!o.has('bootstrap-server') && !o.has('broker-list')) throw new UsageError('Missing required option(s) [bootstrap-server]');
    checkRequiredArgs(o, ['topic', 'messages']);
    if (!/^\d+$/.test(o.valueOf('reporting-interval')!)) {
      throw new UsageError(`Value [${o.valueOf('reporting-interval')}] did not match pattern [^\\d+$]`);
    }
  } catch (err) {
    if (err instanceof UsageError) {
      printUsage(io, { parser, message: err.message });
      return 1;
    }
    throw err;
  }
  const reportingIntervalMs = o.numberOf('reporting-interval')!;
  if (reportingIntervalMs <= 0) {
    io.err('Reporting interval must be greater than 0.\n');
    return 1;
  }
  const showDetailedStats = o.has('show-detailed-stats');
  const dateFormat = o.valueOf('date-format')!;
  const numMessages = o.numberOf('messages')!;
  const timeoutMs = o.has('timeout') && o.valueOf('timeout') !== undefined ? o.numberOf('timeout')! : 10_000;
  const topic = o.valueOf('topic')!;
  const props = o.has('consumer.config') ? loadClientProperties(o.valueOf('consumer.config')!) : {};
  props['bootstrap.servers'] = o.valueOf(o.has('bootstrap-server') ? 'bootstrap-server' : 'broker-list')!;
  props['group.id'] = o.valueOf('group')!;
  props['max.partition.fetch.bytes'] = o.valueOf('fetch-size')!;
  props['auto.offset.reset'] = o.has('from-latest') ? 'latest' : 'earliest';
  if (props['client.id'] === undefined) props['client.id'] = 'perf-consumer-client';

  if (!o.has('hide-header')) {
    const extra = ', rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec';
    io.out(showDetailedStats ? `time, threadId, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec${extra}\n` : `start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec${extra}\n`);
  }
  let client: KafkaClient;
  let fetcher: PerfFetcher;
  try {
    const c = consumerOptionsFromProps(props);
    client = new KafkaClient({
      bootstrapServers: props['bootstrap.servers'],
      ...clientOptionsFromProps(props, { clientId: 'perf-consumer-client' }),
      logContext: `Consumer clientId=${props['client.id']}, groupId=${props['group.id']}`,
      logger: toolClientLogger(io, 'org.apache.kafka.clients.NetworkClient'),
    });
    fetcher = new PerfFetcher(client, {
      topic,
      fetchSize: c.maxPartitionFetchBytes ?? 1_048_576,
      fetchMinBytes: c.fetchMinBytes ?? 1,
      fetchMaxBytes: c.fetchMaxBytes ?? 52_428_800,
      fetchMaxWaitMs: c.fetchMaxWaitMs ?? 500,
      maxPollRecords: Math.max(1, Number(props['max.poll.records'] ?? 500)),
      isolationLevel: c.isolationLevel ?? 0,
    });
  } catch (err) {
    if (err instanceof ClientConfigError) {
      io.err(`${err.message}\norg.apache.kafka.common.config.ConfigException: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
  const groupId = props['group.id']!;
  try {
    const startMs = Date.now();
    // "Joining": partitions and start offsets (see the file comment).
    const committed = await committedOffsets(client, groupId, topic).catch(() => new Map<number, number>());
    await fetcher.assign(o.has('from-latest') ? 'latest' : 'earliest', committed);
    const joinTimeMs = Date.now() - startMs;
    let joinTimeMsInSingleRound = joinTimeMs;
    let messagesRead = 0;
    let bytesRead = 0;
    let lastMessagesRead = 0;
    let lastBytesRead = 0;
    let currentTimeMs = Date.now();
    let lastReportTimeMs = currentTimeMs;
    let lastConsumedTimeMs = currentTimeMs;
    const report = () => {
      if (showDetailedStats) {
        const elapsedMs = currentTimeMs - lastReportTimeMs;
        const totalMb = bytesRead / (1024 * 1024);
        const intervalMb = (bytesRead - lastBytesRead) / (1024 * 1024);
        const fetchTimeMs = elapsedMs - joinTimeMsInSingleRound;
        const intervalMessages = messagesRead - lastMessagesRead;
        io.out(
          `${formatJavaDate(currentTimeMs, dateFormat)}, 0, ${javaFixed(totalMb, 4)}, ${javaFixed((1000 * intervalMb) / elapsedMs, 4)}, ` +
            `${messagesRead}, ${javaFixed((intervalMessages / elapsedMs) * 1000, 4)}, ${joinTimeMsInSingleRound}, ${fetchTimeMs}, ` +
            `${javaFixed(fetchTimeMs <= 0 ? 0 : (1000 * intervalMb) / fetchTimeMs, 4)}, ${javaFixed(fetchTimeMs <= 0 ? 0 : (1000 * intervalMessages) / fetchTimeMs, 4)}\n`,
        );
      }
      joinTimeMsInSingleRound = 0;
      lastReportTimeMs = currentTimeMs;
      lastMessagesRead = messagesRead;
      lastBytesRead = bytesRead;
    };
    while (messagesRead < numMessages && currentTimeMs - lastConsumedTimeMs <= timeoutMs) {
      const polled = await fetcher.poll(100);
      currentTimeMs = Date.now();
      if (polled.count === 0) continue;
      lastConsumedTimeMs = currentTimeMs;
      // Kafka checks the reporting interval after each record; the time is the same for the whole poll.
      messagesRead += 1;
      bytesRead += polled.firstBytes;
      if (currentTimeMs - lastReportTimeMs >= reportingIntervalMs) report();
      messagesRead += polled.count - 1;
      bytesRead += polled.bytes - polled.firstBytes;
    }
    if (messagesRead < numMessages) {
      io.out(
        `WARNING: Exiting before consuming the expected number of messages: timeout (${timeoutMs} ms) exceeded. ` +
          'You can use the --timeout option to increase the timeout.\n',
      );
    }
    fetcher.close();
    await commitPositions(client, groupId, { topic, fetcher }).catch(() => undefined);
    const endMs = Date.now();
    const elapsedSec = (endMs - startMs) / 1000;
    const fetchTimeInMs = endMs - startMs - joinTimeMs;
    const totalMb = bytesRead / (1024 * 1024);
    if (!showDetailedStats) {
      io.out(
        `${formatJavaDate(startMs, dateFormat)}, ${formatJavaDate(endMs, dateFormat)}, ${javaFixed(totalMb, 4)}, ${javaFixed(totalMb / elapsedSec, 4)}, ` +
          `${messagesRead}, ${javaFixed(messagesRead / elapsedSec, 4)}, ${joinTimeMs}, ${fetchTimeInMs}, ` +
          `${javaFixed(totalMb / (fetchTimeInMs / 1000), 4)}, ${javaFixed(messagesRead / (fetchTimeInMs / 1000), 4)}\n`,
      );
    }
    if (o.has('print-metrics')) printMetrics(io, fetcher, props['client.id']!);
    return 0;
  } catch (err) {
    io.err(`${(err as Error).message}\n${(err as Error).stack ?? ''}\n`);
    return 1;
  } finally {
    await client.close();
  }
}

/** Commits the positions to the group, as the Java consumer's auto-commit does on close. */
async function commitPositions(client: KafkaClient, groupId: string, what: { topic: string; fetcher: PerfFetcher }): Promise<void> {
  const partitions = what.fetcher.positions().map((p) => ({ partitionIndex: p.partition, committedOffset: p.offset, committedMetadata: '' }));
  await coordinatorRequest(client, groupId, {
    key: ApiKeys.OffsetCommit,
    min: 2,
    max: 8,
    body: { groupId, generationIdOrMemberEpoch: -1, memberId: '', topics: [{ name: what.topic, partitions }] },
  });
}

/** ToolsUtils.printMetrics for the metrics this consumer keeps. */
function printMetrics(io: ToolIO, fetcher: PerfFetcher, clientId: string): void {
  const m = fetcher.metrics;
  const entries: [string, number][] = [
    ['bytes-consumed-total', m.bytes],
    ['fetch-latency-avg', m.fetches === 0 ? 0 : m.fetchLatencyTotal / m.fetches],
    ['fetch-latency-max', m.fetchLatencyMax],
    ['fetch-total', m.fetches],
    ['records-consumed-total', m.records],
    ['records-per-request-avg', m.fetches === 0 ? 0 : m.records / m.fetches],
  ];
  const names = entries.map(([n]) => `consumer-fetch-manager-metrics:${n}:{client-id=${clientId}}`);
  const width = Math.max(...names.map((n) => n.length));
  io.out(`\n${'Metric Name'.padEnd(width)}   Value\n`);
  entries.forEach(([, v], i) => io.out(`${names[i]!.padEnd(width)} : ${javaFixed(v, 3)}\n`));
}

if (require.main === module) runTool((args, io) => kafkaConsumerPerfTestMain(args, io));
