/**
 * kafka-producer-perf-test.sh: Kafka 3.9's ProducerPerformance. Sends --num-records records of
 * --record-size random uppercase letters (or payloads from --payload-file, or --payload-monotonic
 * numbers) with null keys to --topic, at most --throughput records/s (-1: as fast as possible), and
 * prints ProducerPerformance's lines: every 5 s `N records sent, X records/sec (Y MB/sec), Z ms avg
 * latency, W ms max latency.` and at the end the totals with the 50th/95th/99th/99.9th latency
 * percentiles, sampled as Kafka samples them (at most 500 000 latencies). Latency is the time from
 * send to acknowledgement. Options and error texts follow argparse4j, which Kafka's tool uses.
 *
 * The records are sent by PerfSender (perf-sender.ts) and counted by ProducerStats (producer-perf-stats.ts).
 */

import * as fs from 'node:fs';
import * as path from 'node:path';
import { KafkaClient } from '../client/kafka-client';
import { KafkaResponseError } from '../client/client-errors';
import { RECORD_BATCH_OVERHEAD } from '../protocol/records/record-batch';
import { ClientConfigError, producerOptionsFromProps, toolKafkaClient } from './client-config';
import { ClientTimeoutError, PerfSender } from './perf-sender';
import { ProducerStats, javaFixed } from './producer-perf-stats';
import { errorCodeExceptionClass, loadClientProperties, runTool, type ToolIO } from './tool-support';

// kafka-consumer-perf-test formats with javaFixed; bench scenarios drive PerfSender directly.
export { ClientTimeoutError, PerfSender, type PerfSenderOptions } from './perf-sender';
export { ProducerStats, javaFixed, type PerfTotals } from './producer-perf-stats';

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
    client = toolKafkaClient(io, { bootstrapServers: props['bootstrap.servers'], props, clientId: 'perf-producer-client' });
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
  if (err instanceof KafkaResponseError) return errorCodeExceptionClass(err.code);
  if (err instanceof ClientTimeoutError) return 'org.apache.kafka.common.errors.TimeoutException';
  return `org.apache.kafka.common.KafkaException: ${err.name}`;
}

if (require.main === module) runTool((args, io) => kafkaProducerPerfTestMain(args, io));
