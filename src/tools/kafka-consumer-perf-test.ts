/**
 * kafka-consumer-perf-test.sh: Kafka 3.9's ConsumerPerformance. Subscribes to --topic through --group
 * (a generated `perf-consumer-<random>` by default) as Kafka's tool does, consumes --messages records
 * starting at the group's committed offsets (else from the beginning; --from-latest: the end), and
 * prints Kafka's CSV: the header `start.time, end.time, data.consumed.in.MB, MB.sec,
 * data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec` and
 * one row, or with --show-detailed-stats a row per --reporting-interval. Bytes are key + value bytes, as
 * Kafka counts them; polls return at most max.poll.records (500) records, so a run stops within one
 * poll of --messages, as Kafka's does; --timeout ends a run with no record for that long.
 *
 * rebalance.time.ms is the time from the start to the first assignment plus that of later rebalances
 * (from giving the partitions up to getting new ones), as ConsumerPerformance's rebalance listener
 * counts it. Positions are auto-committed (enable.auto.commit, default true) every
 * auto.commit.interval.ms, before a rebalance and on exit, which then leaves the group. Fetching and
 * counting are in consumer-perf-fetcher.ts.
 */

import type { KafkaClient } from '../client/kafka-client';
import { ConsumerCoordinator } from '../client/consumer-coordinator';
import { ConsumerOffsets } from '../client/consumer-offsets';
import { topicPartitionKey } from '../client/simple-consumer';
import { OptionParser } from './command-line';
import { ClientConfigError, consumerOptionsFromProps, toolKafkaClient } from './client-config';
import { groupOptionsFromProps } from './consumer-group-config';
import { PerfFetcher } from './consumer-perf-fetcher';
import { javaFixed } from './kafka-producer-perf-test';
import {
  UsageError,
  addDefaultOptions,
  checkRequiredArgs,
  propertiesOption,
  runTool,
  startTool,
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

/** Runs the tool with `args`; resolves with the exit code. */
export async function kafkaConsumerPerfTestMain(args: string[], io: ToolIO): Promise<number> {
  const o = startTool(buildParser(), args, {
    io,
    help: 'This tool is used to verify the consumer performance.',
    check: (parsed) => {
      if (parsed.has('threads') || parsed.has('num-fetch-threads')) {
        io.out('WARNING: option [threads] and [num-fetch-threads] have been deprecated and will be ignored by the test\n');
      }
      if (!parsed.has('bootstrap-server') && !parsed.has('broker-list')) throw new UsageError('Missing required option(s) [bootstrap-server]');
      checkRequiredArgs(parsed, ['topic', 'messages']);
      if (!/^\d+$/.test(parsed.valueOf('reporting-interval')!)) {
        throw new UsageError(`Value [${parsed.valueOf('reporting-interval')}] did not match pattern [^\\d+$]`);
      }
    },
  });
  if (typeof o === 'number') return o;
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
  const props = propertiesOption(o, 'consumer.config');
  props['bootstrap.servers'] = o.valueOf(o.has('bootstrap-server') ? 'bootstrap-server' : 'broker-list')!;
  props['group.id'] = o.valueOf('group')!;
  props['max.partition.fetch.bytes'] = o.valueOf('fetch-size')!;
  props['auto.offset.reset'] = o.has('from-latest') ? 'latest' : 'earliest';
  if (props['client.id'] === undefined) props['client.id'] = 'perf-consumer-client';

  if (!o.has('hide-header')) {
    const extra = ', rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec';
    io.out(showDetailedStats ? `time, threadId, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec${extra}\n` : `start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec${extra}\n`);
  }
  const logContext = `Consumer clientId=${props['client.id']}, groupId=${props['group.id']}`;
  let client: KafkaClient;
  let fetcher: PerfFetcher;
  let group: ReturnType<typeof groupOptionsFromProps>;
  try {
    const c = consumerOptionsFromProps(props);
    group = groupOptionsFromProps(props);
    client = toolKafkaClient(io, {
      bootstrapServers: props['bootstrap.servers'],
      props,
      clientId: 'perf-consumer-client',
      overrides: { logContext },
    });
    fetcher = new PerfFetcher(client, {
      topic,
      fetchSize: c.maxPartitionFetchBytes ?? 1_048_576,
      fetchMinBytes: c.fetchMinBytes ?? 1,
      fetchMaxBytes: c.fetchMaxBytes ?? 52_428_800,
      fetchMaxWaitMs: c.fetchMaxWaitMs ?? 500,
      maxPollRecords: group.maxPollRecords ?? 500,
      isolationLevel: c.isolationLevel ?? 0,
    });
  } catch (err) {
    if (err instanceof ClientConfigError) {
      io.err(`${err.message}\norg.apache.kafka.common.config.ConfigException: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
  const startMs = Date.now();
  // ConsumerPerformance's rebalance listener: the time between giving partitions up and getting some.
  let joinStartMs = startMs;
  let joinTimeMs = 0;
  let joinTimeMsInSingleRound = 0;
  const autoCommit = group.enableAutoCommit ?? true;
  const coordinator: ConsumerCoordinator = new ConsumerCoordinator(
    client,
    {
      onJoinPrepare: async (generation) => {
        if (fetcher.assignment().length === 0) return;
        if (autoCommit && generation.generationId >= 0) await offsets.commit(fetcher.positions()).catch(() => undefined);
        fetcher.revokeAll();
        joinStartMs = Date.now();
      },
      onJoinComplete: async (_generation, assignment) => {
        const committed = await offsets.fetch(assignment);
        const starts = new Map(assignment.flatMap((tp) => {
          const c = committed.get(topicPartitionKey(tp));
          return c ? [[tp.partition, c.offset] as const] : [];
        }));
        await fetcher.assign(assignment.map((tp) => tp.partition), { starts, reset: o.has('from-latest') ? 'latest' : 'earliest' });
        const elapsed = Date.now() - joinStartMs;
        joinTimeMs += elapsed;
        joinTimeMsInSingleRound += elapsed;
      },
    },
    {
      groupId: group.groupId,
      groupInstanceId: group.groupInstanceId,
      sessionTimeoutMs: group.sessionTimeoutMs,
      rebalanceTimeoutMs: group.maxPollIntervalMs,
      heartbeatIntervalMs: group.heartbeatIntervalMs,
      assignors: group.assignors,
      logContext,
      logger: toolClientLogger(io, 'org.apache.kafka.clients.consumer.internals.ConsumerCoordinator'),
    },
  );
  const offsets = new ConsumerOffsets(client, coordinator);
  const autoCommitIntervalMs = group.autoCommitIntervalMs ?? 5000;
  let lastCommitMs = startMs;
  try {
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
      coordinator.recordPoll();
      const stable = await coordinator.ensureActiveGroup([topic], 100);
      if (stable && autoCommit && Date.now() - lastCommitMs >= autoCommitIntervalMs) {
        lastCommitMs = Date.now();
        void offsets.commit(fetcher.positions()).catch(() => undefined);
      }
      const polled = stable ? await fetcher.poll(100) : { count: 0, bytes: 0, firstBytes: 0 };
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
    // KafkaConsumer.close(), after the stats as in Kafka: a last auto-commit, then LeaveGroup.
    fetcher.close();
    if (autoCommit && coordinator.isStable()) await offsets.commit(fetcher.positions()).catch(() => undefined);
    return 0;
  } catch (err) {
    io.err(`${(err as Error).message}\n${(err as Error).stack ?? ''}\n`);
    return 1;
  } finally {
    fetcher.close();
    await coordinator.close().catch(() => undefined);
    await client.close();
  }
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
