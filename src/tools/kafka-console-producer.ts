/**
 * kafka-console-producer.sh: Kafka 3.9's ConsoleProducer. Reads stdin line by line (LineMessageReader:
 * `--property parse.key=true --property key.separator=:`, headers...), sends each line as a record with
 * the project's producer (asynchronously with an error-logging callback, or one at a time with --sync),
 * flushes at end of input and exits 0. Options, defaults and messages as Kafka's; the producer settings
 * the options control (linger.ms ← --timeout, acks ← --request-required-acks, ...) take precedence over
 * --producer-property / --producer.config only when given explicitly (CommandLineUtils.maybeMergeOptions).
 */

import * as readline from 'node:readline';
import { KafkaClient } from '../client/kafka-client';
import { Producer, type ProducerRecord } from '../client/producer';
import { OptionParser, type ParsedOptions } from './command-line';
import { ClientConfigError, producerOptionsFromProps, toolKafkaClient } from './client-config';
import { LineMessageReader, LineReaderError } from './line-message-reader';
import {
  UsageError,
  addDefaultOptions,
  checkRequiredArgs,
  loadClientProperties,
  logLine,
  parseKeyValueArgs,
  runTool,
  startTool,
  type ToolIO,
} from './tool-support';

function buildParser(): OptionParser {
  const p = new OptionParser();
  p.withRequiredArg('topic', 'REQUIRED: The topic id to produce messages to.', { describedAs: 'topic' });
  p.withRequiredArg(
    'broker-list',
    'DEPRECATED, use --bootstrap-server instead; ignored if --bootstrap-server is specified.  The broker list string in the form HOST1:PORT1,HOST2:PORT2.',
    { describedAs: 'broker-list' },
  );
  p.withRequiredArg(
    'bootstrap-server',
    'REQUIRED unless --broker-list(deprecated) is specified. The server(s) to connect to. The broker list string in the form HOST1:PORT1,HOST2:PORT2.',
    { describedAs: 'server to connect to' },
  );
  p.flag('sync', 'If set message send requests to the brokers are synchronously, one at a time as they arrive.');
  p.withOptionalArg(
    'compression-codec',
    "The compression codec: either 'none', 'gzip', 'snappy', 'lz4', or 'zstd'.If specified without value, then it defaults to 'gzip'",
    { describedAs: 'compression-codec' },
  );
  p.withRequiredArg(
    'batch-size',
    'Number of messages to send in a single batch if they are not being sent synchronously. please note that this option will be replaced if max-partition-memory-bytes is also set',
    { describedAs: 'size', type: 'Integer', defaultValue: '16384' },
  );
  p.withRequiredArg(
    'message-send-max-retries',
    'Brokers can fail receiving the message for multiple reasons, and being unavailable transiently is just one of them. This property specifies the number of retries before the producer give up and drop this message. This is the option to control `retries` in producer configs.',
    { type: 'Integer', defaultValue: '3' },
  );
  p.withRequiredArg(
    'retry-backoff-ms',
    'Before each retry, the producer refreshes the metadata of relevant topics. Since leader election takes a bit of time, this property specifies the amount of time that the producer waits before refreshing the metadata. This is the option to control `retry.backoff.ms` in producer configs.',
    { type: 'Long', defaultValue: '100' },
  );
  p.withRequiredArg(
    'timeout',
    'If set and the producer is running in asynchronous mode, this gives the maximum amount of time a message will queue awaiting sufficient batch size. The value is given in ms. This is the option to control `linger.ms` in producer configs.',
    { describedAs: 'timeout_ms', type: 'Long', defaultValue: '1000' },
  );
  p.withRequiredArg('request-required-acks', 'The required `acks` of the producer requests', {
    describedAs: 'request required acks',
    defaultValue: '-1',
  });
  p.withRequiredArg('request-timeout-ms', 'The ack timeout of the producer requests. Value must be non-negative and non-zero.', {
    describedAs: 'request timeout ms',
    type: 'Integer',
    defaultValue: '1500',
  });
  p.withRequiredArg(
    'metadata-expiry-ms',
    "The period of time in milliseconds after which we force a refresh of metadata even if we haven't seen any leadership changes. This is the option to control `metadata.max.age.ms` in producer configs.",
    { describedAs: 'metadata expiration interval', type: 'Long', defaultValue: '300000' },
  );
  p.withRequiredArg('max-block-ms', 'The max time that the producer will block for during a send request.', {
    describedAs: 'max block on send',
    type: 'Long',
    defaultValue: '60000',
  });
  p.withRequiredArg(
    'max-memory-bytes',
    'The total memory used by the producer to buffer records waiting to be sent to the server. This is the option to control `buffer.memory` in producer configs.',
    { describedAs: 'total memory in bytes', type: 'Long', defaultValue: '33554432' },
  );
  p.withRequiredArg(
    'max-partition-memory-bytes',
    'The buffer size allocated for a partition. When records are received which are smaller than this size the producer will attempt to optimistically group them together until this size is reached. This is the option to control `batch.size` in producer configs.',
    { describedAs: 'memory in bytes per partition', type: 'Integer', defaultValue: '16384' },
  );
  p.withRequiredArg(
    'line-reader',
    'The class name of the class to use for reading lines from standard in. By default each line is read as a separate message.',
    { describedAs: 'reader_class', defaultValue: 'org.apache.kafka.tools.LineMessageReader' },
  );
  p.withRequiredArg(
    'socket-buffer-size',
    'The size of the tcp RECV size. This is the option to control `send.buffer.bytes` in producer configs.',
    { describedAs: 'size', type: 'Integer', defaultValue: '102400' },
  );
  p.withRequiredArg(
    'property',
    'A mechanism to pass user-defined properties in the form key=value to the message reader. This allows custom configuration for a user-defined message reader.Default properties include:' +
      '\n parse.key=false\n parse.headers=false\n ignore.error=false\n key.separator=\\t\n headers.delimiter=\\t\n headers.separator=,\n headers.key.separator=:' +
      '\n null.marker=   When set, any fields (key, value and headers) equal to this will be replaced by null' +
      '\nDefault parsing pattern when:\n parse.headers=true and parse.key=true:\n  "h1:v1,h2:v2...\\tkey\\tvalue"\n parse.key=true:\n  "key\\tvalue"\n parse.headers=true:\n  "h1:v1,h2:v2...\\tvalue"',
    { describedAs: 'prop' },
  );
  p.withRequiredArg('reader-config', 'Config properties file for the message reader. Note that [property] takes precedence over this config.', {
    describedAs: 'config file',
  });
  p.withRequiredArg('producer-property', 'A mechanism to pass user-defined properties in the form key=value to the producer. ', {
    describedAs: 'producer_prop',
  });
  p.withRequiredArg('producer.config', 'Producer config properties file. Note that [producer-property] takes precedence over this config.', {
    describedAs: 'config file',
  });
  addDefaultOptions(p);
  return p;
}

const LINE_READER_CLASSES = ['org.apache.kafka.tools.LineMessageReader', 'kafka.tools.LineMessageReader'];

/** ToolsUtils.validateBootstrapServer. */
function validateBootstrapServer(hostPort: string | undefined): void {
  if (hostPort === undefined || hostPort.trim() === '') {
    throw new UsageError('Error while validating the bootstrap address\n');
  }
  const list = hostPort.split(',');
  const valid = list.filter((h) => /:\d+$/.test(h.trim()));
  if (valid.length === 0 || valid.length !== list.length) {
    throw new UsageError('Please provide valid host:port like host1:9091,host2:9092\n');
  }
}

/** The producer properties as ConsoleProducerConfig.producerProps() builds them. */
function producerProps(o: ParsedOptions): Record<string, string> {
  const props: Record<string, string> = {};
  if (o.has('producer.config')) Object.assign(props, loadClientProperties(o.valueOf('producer.config')!));
  Object.assign(props, parseKeyValueArgs(o.valuesOf('producer-property')));
  props['bootstrap.servers'] = o.has('bootstrap-server') ? o.valueOf('bootstrap-server')! : o.valueOf('broker-list')!;
  props['compression.type'] = o.has('compression-codec') ? (o.valueOf('compression-codec') || 'gzip') : 'none';
  if (props['client.id'] === undefined) props['client.id'] = 'console-producer';
  const merge = (key: string, option: string) => {
    if (o.has(option) || props[key] === undefined) props[key] = o.valueOf(option)!;
  };
  merge('linger.ms', 'timeout');
  merge('acks', 'request-required-acks');
  merge('request.timeout.ms', 'request-timeout-ms');
  merge('retries', 'message-send-max-retries');
  merge('retry.backoff.ms', 'retry-backoff-ms');
  merge('send.buffer.bytes', 'socket-buffer-size');
  merge('buffer.memory', 'max-memory-bytes');
  merge('batch.size', 'batch-size');
  merge('batch.size', 'max-partition-memory-bytes');
  merge('metadata.max.age.ms', 'metadata-expiry-ms');
  merge('max.block.ms', 'max-block-ms');
  return props;
}

/** The reader properties as ConsoleProducerConfig.readerProps() builds them. */
function readerProps(o: ParsedOptions): Record<string, string> {
  const props: Record<string, string> = {};
  if (o.has('reader-config')) Object.assign(props, loadClientProperties(o.valueOf('reader-config')!));
  props['topic'] = o.valueOf('topic')!;
  Object.assign(props, parseKeyValueArgs(o.valuesOf('property')));
  return props;
}

/** Runs kafka-console-producer with `args`; resolves with the exit code. */
export async function kafkaConsoleProducerMain(
  args: string[],
  io: ToolIO,
  options: { input?: NodeJS.ReadableStream } = {},
): Promise<number> {
  const input = options.input ?? process.stdin;
  const parser = buildParser();
  const parsed = startTool(parser, args, {
    io,
    help: 'This tool helps to read data from standard input and publish it to Kafka.',
    check: (o) => {
      // jopt-simple's requiredUnless("broker-list") is checked while parsing.
      if (!o.has('bootstrap-server') && !o.has('broker-list')) {
        throw new UsageError('Missing required option(s) [bootstrap-server]');
      }
      checkRequiredArgs(o, ['topic']);
      validateBootstrapServer(o.has('bootstrap-server') ? o.valueOf('bootstrap-server') : o.valueOf('broker-list'));
    },
  });
  if (typeof parsed === 'number') return parsed;
  const readerClass = parsed.valueOf('line-reader')!;
  if (!LINE_READER_CLASSES.includes(readerClass)) {
    io.err(`java.lang.ClassNotFoundException: ${readerClass}\n`);
    return 1;
  }

  let producer: Producer | undefined;
  let client: KafkaClient | undefined;
  try {
    const reader = new LineMessageReader();
    reader.configure(readerProps(parsed));
    const props = producerProps(parsed);
    const producerOptions = producerOptionsFromProps(props);
    client = toolKafkaClient(io, {
      bootstrapServers: props['bootstrap.servers']!,
      props,
      clientId: 'console-producer',
      overrides: { logContext: `Producer clientId=${props['client.id'] ?? 'console-producer'}` },
    });
    producer = new Producer(client, producerOptions);
    const sync = parsed.has('sync');
    const interactive = Boolean((input as NodeJS.ReadStream).isTTY) && Boolean(process.stdout.isTTY);
    const p = producer;
    const stopOnSignal = installSignalHandlers(async () => {
      await p.close();
    });
    try {
      await loopReader(p, reader, input, io, { sync, interactive });
    } finally {
      stopOnSignal();
    }
    await producer.close();
    return 0;
  } catch (err) {
    await producer?.close().catch(() => undefined);
    io.err(`${javaExceptionText(err)}\n`);
    return 1;
  } finally {
    await client?.close();
  }
}

async function loopReader(
  producer: Producer,
  reader: LineMessageReader,
  input: NodeJS.ReadableStream,
  io: ToolIO,
  opts: { sync: boolean; interactive: boolean },
): Promise<void> {
  const lines = readline.createInterface({ input, crlfDelay: Infinity, terminal: false });
  if (opts.interactive) io.out('>');
  for await (const line of lines) {
    const record = reader.readRecord(line);
    if (opts.sync) {
      await producer.send(record);
    } else {
      producer.send(record, (err) => {
        if (err) io.err(errorLoggingCallbackLine(record, err));
      });
      if (producer.isBufferFull) await producer.waitForBufferSpace();
    }
    if (opts.interactive) io.out('>');
  }
}

/** What Kafka's ErrorLoggingCallback logs for a failed asynchronous send. */
function errorLoggingCallbackLine(record: ProducerRecord, err: Error): string {
  const size = (v: Buffer | string | null | undefined) =>
    v === null || v === undefined ? 'null' : `${typeof v === 'string' ? Buffer.byteLength(v) : v.length} bytes`;
  return (
    logLine(
      'ERROR',
      `Error when sending message to topic ${record.topic} with key: ${size(record.key)}, value: ${size(record.value)} with error:`,
      { logger: 'org.apache.kafka.clients.producer.internals.ErrorLoggingCallback' },
    ) + `${javaExceptionText(err)}\n`
  );
}

/** An error as Java's Throwable.toString() would print it (class name, colon, message). */
function javaExceptionText(err: unknown): string {
  if (err instanceof LineReaderError) return `org.apache.kafka.common.KafkaException: ${err.message}`;
  if (err instanceof ClientConfigError) return `org.apache.kafka.common.config.ConfigException: ${err.message}`;
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'number') return `org.apache.kafka.common.errors.${err.name}: ${err.message}`;
    return `${err.name}: ${err.message}`;
  }
  return String(err);
}

/**
 * On SIGINT/SIGTERM, runs `shutdown` (Kafka's shutdown hook closes, hence flushes, the producer) and
 * exits with the JVM's status for the signal. Returns a function removing the handlers.
 */
function installSignalHandlers(shutdown: () => Promise<void>): () => void {
  const handler = (signal: NodeJS.Signals) => {
    const code = signal === 'SIGINT' ? 130 : 143;
    shutdown().finally(() => process.exit(code));
  };
  process.once('SIGINT', handler);
  process.once('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}

if (require.main === module) runTool((args, io) => kafkaConsoleProducerMain(args, io));
