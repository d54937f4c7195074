/**
 * kafka-console-consumer.sh: Kafka 3.9's ConsoleConsumer. Prints each record with
 * DefaultMessageFormatter (`--property print.key=true` ...), stops after --max-messages, after
 * --timeout-ms without a record (logging Kafka's TimeoutException error), or on SIGINT/SIGTERM, and
 * always ends with "Processed a total of N messages" on stderr.
 *
 * `--partition` with `--offset earliest|latest|N` reads one assigned partition (SimpleConsumer, no
 * group). Otherwise the consumer subscribes to `--topic` (or the topics matching `--include`) through
 * its group (GroupConsumer): `--group` / `group.id`, else a generated `console-consumer-<random>` group
 * with enable.auto.commit=false unless set, as Kafka's ConsoleConsumerOptions do. Members of one group
 * split the partitions, start at the group's committed offsets (auto.offset.reset otherwise:
 * `--from-beginning` = earliest), auto-commit as Kafka's consumer does and commit again on exit. With
 * --max-messages a poll takes no more records than are still to print, so what is committed on exit is
 * exactly what was printed.
 */

import type { KafkaClient } from '../client/kafka-client';
import { GroupConsumer } from '../client/group-consumer';
import { OffsetSpec, SimpleConsumer, type ConsumerRecord, type TopicPartition } from '../client/simple-consumer';
import { ErrorCode } from '../protocol';
import { OptionParser, type ParsedOptions } from './command-line';
import { ClientConfigError, consumerOptionsFromProps, toolKafkaClient } from './client-config';
import { groupOptionsFromProps } from './consumer-group-config';
import { DEFAULT_FORMATTER_CLASSES, DefaultMessageFormatter } from './message-formatter';
import {
  UsageError,
  addDefaultOptions,
  checkRequiredArgs,
  includeListRegex,
  logLine,
  parseKeyValueArgs,
  propertiesOption,
  runTool,
  startTool,
  toolClientLogger,
  type ToolIO,
} from './tool-support';

const CONSOLE_CONSUMER_LOGGER = 'org.apache.kafka.tools.consumer.ConsoleConsumer';

function buildParser(): OptionParser {
  const p = new OptionParser();
  p.withRequiredArg('topic', 'The topic to consume on.', { describedAs: 'topic' });
  p.withRequiredArg('include', 'Regular expression specifying list of topics to include for consumption.', {
    describedAs: 'Java regex (String)',
  });
  p.withRequiredArg(
    'partition',
    "The partition to consume from. Consumption starts from the end of the partition unless '--offset' is specified.",
    { describedAs: 'partition', type: 'Integer' },
  );
  p.withRequiredArg(
    'offset',
    "The offset to consume from (a non-negative number), or 'earliest' which means from beginning, or 'latest' which means from end",
    { describedAs: 'consume offset', defaultValue: 'latest' },
  );
  p.withRequiredArg('consumer-property', 'A mechanism to pass user-defined properties in the form key=value to the consumer.', {
    describedAs: 'consumer_prop',
  });
  p.withRequiredArg('consumer.config', 'Consumer config properties file. Note that [consumer-property] takes precedence over this config.', {
    describedAs: 'config file',
  });
  p.withRequiredArg('formatter', 'The name of a class to use for formatting kafka messages for display.', {
    describedAs: 'class',
    defaultValue: DEFAULT_FORMATTER_CLASSES[0],
  });
  p.withRequiredArg(
    'property',
    'The properties to initialize the message formatter. Default properties include: \n print.timestamp=true|false\n print.key=true|false\n print.offset=true|false\n print.epoch=true|false\n print.partition=true|false\n print.headers=true|false\n print.value=true|false\n key.separator=<key.separator>\n line.separator=<line.separator>\n headers.separator=<line.separator>\n null.literal=<null.literal>\n key.deserializer=<key.deserializer>\n value.deserializer=<value.deserializer>\n header.deserializer=<header.deserializer>\n' +
      "\nUsers can also pass in customized properties for their formatter; more specifically, users can pass in properties keyed with 'key.deserializer.', 'value.deserializer.' and 'headers.deserializer.' prefixes to configure their deserializers.",
    { describedAs: 'prop' },
  );
  p.withRequiredArg('formatter-config', 'Config properties file to initialize the message formatter. Note that [property] takes precedence over this config.', {
    describedAs: 'config file',
  });
  p.flag(
    'from-beginning',
    'If the consumer does not already have an established offset to consume from, start with the earliest message present in the log rather than the latest message.',
  );
  p.withRequiredArg('max-messages', 'The maximum number of messages to consume before exiting. If not set, consumption is continual.', {
    describedAs: 'num_messages',
    type: 'Integer',
  });
  p.withRequiredArg('timeout-ms', 'If specified, exit if no message is available for consumption for the specified interval.', {
    describedAs: 'timeout_ms',
    type: 'Long',
  });
  p.flag('skip-message-on-error', 'If there is an error when processing a message, skip it instead of halt.');
  p.withRequiredArg('bootstrap-server', 'REQUIRED: The server(s) to connect to.', { describedAs: 'server to connect to' });
  p.withRequiredArg('key-deserializer', '', { describedAs: 'deserializer for key' });
  p.withRequiredArg('value-deserializer', '', { describedAs: 'deserializer for values' });
  p.flag(
    'enable-systest-events',
    'Log lifecycle events of the consumer in addition to logging consumed messages. (This is specific for system tests.)',
  );
  p.withRequiredArg(
    'isolation-level',
    'Set to read_committed in order to filter out transactional messages which are not committed. Set to read_uncommitted to read all messages.',
    { defaultValue: 'read_uncommitted' },
  );
  p.withRequiredArg('group', 'The consumer group id of the consumer.', { describedAs: 'consumer group id' });
  addDefaultOptions(p);
  return p;
}

interface ConsoleConsumerConfig {
  bootstrapServer: string;
  topic: string | undefined;
  include: string | undefined;
  partition: number | undefined;
  /** OffsetSpec.EARLIEST / LATEST or an offset; only with --partition. */
  offset: number;
  maxMessages: number;
  timeoutMs: number;
  consumerProps: Record<string, string>;
  formatterProps: Record<string, string>;
  skipMessageOnError: boolean;
}

/** ConsoleConsumerOptions: the checks and derived settings, in Kafka's order. Throws UsageError. */
function readConfig(o: ParsedOptions, io: ToolIO): ConsoleConsumerConfig | number {
  const topics = [o.valueOf('topic'), o.valueOf('include')].filter((x) => x !== undefined);
  if (topics.length !== 1) throw new UsageError('Exactly one of --include/--topic is required. ');
  const partition = o.numberOf('partition');
  if (partition !== undefined) {
    if (!o.has('topic')) throw new UsageError('The topic is required when partition is specified.');
    if (o.has('from-beginning') && o.has('offset')) {
      throw new UsageError('Options from-beginning and offset cannot be specified together.');
    }
  } else if (o.has('offset')) {
    throw new UsageError('The partition is required when offset is specified.');
  }
  checkRequiredArgs(o, ['bootstrap-server']);
  const fromFile = propertiesOption(o, 'consumer.config');
  const extra = parseKeyValueArgs(o.valuesOf('consumer-property'));
  const groups = new Set<string>();
  if (o.has('group')) groups.add(o.valueOf('group')!);
  if (fromFile['group.id'] !== undefined) groups.add(fromFile['group.id']);
  if (extra['group.id'] !== undefined) groups.add(extra['group.id']);
  if (groups.size > 1) {
    throw new UsageError(
      "The group ids provided in different places (directly using '--group', via '--consumer-property', or via '--consumer.config') do not match. " +
        `Detected group ids: ${[...groups].map((g) => `'${g}'`).join(', ')}`,
    );
  }
  if (groups.size > 0 && partition !== undefined) throw new UsageError('Options group and partition cannot be specified together.');
  const consumerProps: Record<string, string> = { ...fromFile, ...extra };
  if (consumerProps['auto.offset.reset'] !== undefined) {
    const reset = consumerProps['auto.offset.reset'];
    if (o.has('from-beginning') && reset !== 'earliest') {
      io.err(`Can't simultaneously specify --from-beginning and 'auto.offset.reset=${reset}', please remove one option\n`);
      return 1;
    }
  } else {
    consumerProps['auto.offset.reset'] = o.has('from-beginning') ? 'earliest' : 'latest';
  }
  if (consumerProps['client.id'] === undefined) consumerProps['client.id'] = 'console-consumer';
  if (o.has('isolation-level') || consumerProps['isolation.level'] === undefined) {
    consumerProps['isolation.level'] = o.valueOf('isolation-level')!;
  }
  if (groups.size > 0) {
    consumerProps['group.id'] = [...groups][0]!;
  } else {
    consumerProps['group.id'] = `console-consumer-${Math.floor(Math.random() * 100000)}`;
    // Kafka: the generated group and its offsets are not meant to be used again.
    if (consumerProps['enable.auto.commit'] === undefined) consumerProps['enable.auto.commit'] = 'false';
  }

  let offset: number = o.has('from-beginning') ? OffsetSpec.EARLIEST : OffsetSpec.LATEST;
  if (o.has('offset')) {
    const raw = o.valueOf('offset')!;
    const lower = raw.toLowerCase();
    if (lower === 'earliest') offset = OffsetSpec.EARLIEST;
    else if (lower === 'latest') offset = OffsetSpec.LATEST;
    else if (/^[+-]?\d+$/.test(raw) && Number(raw) >= 0) offset = Number(raw);
    else {
      throw new UsageError(
        `The provided offset value '${raw}' is incorrect. Valid values are 'earliest', 'latest', or a non-negative long.`,
      );
    }
  }
  const timeout = o.numberOf('timeout-ms');
  const formatterClass = o.valueOf('formatter')!;
  if (!DEFAULT_FORMATTER_CLASSES.includes(formatterClass)) throw new UsageError(formatterClass);
  const formatterProps = { ...propertiesOption(o, 'formatter-config'), ...parseKeyValueArgs(o.valuesOf('property')) };
  return {
    bootstrapServer: o.valueOf('bootstrap-server')!,
    topic: o.valueOf('topic'),
    include: o.valueOf('include'),
    partition,
    offset,
    maxMessages: o.has('max-messages') ? o.numberOf('max-messages')! : -1,
    timeoutMs: timeout !== undefined && timeout >= 0 ? timeout : Number.POSITIVE_INFINITY,
    consumerProps,
    formatterProps,
    skipMessageOnError: o.has('skip-message-on-error'),
  };
}

/** Kafka's org.apache.kafka.common.errors.TimeoutException from ConsumerWrapper.receive(). */
class ReceiveTimeoutError extends Error {
  override readonly name = 'ReceiveTimeoutError';
}

/** Runs kafka-console-consumer with `args`; resolves with the exit code. */
export async function kafkaConsoleConsumerMain(
  args: string[],
  io: ToolIO,
  options: { output?: (bytes: Buffer) => void } = {},
): Promise<number> {
  const output = options.output ?? ((b: Buffer) => void process.stdout.write(b));
  // readConfig runs as startTool's check, so its usage errors print as every tool's do.
  let config = undefined as ConsoleConsumerConfig | number | undefined;
  const parsed = startTool(buildParser(), args, {
    io,
    help: 'This tool helps to read data from Kafka topics and outputs it to standard output.',
    check: (o) => {
      config = readConfig(o, io);
    },
  });
  if (typeof parsed === 'number') return parsed;
  if (config === undefined || typeof config === 'number') return config ?? 1;

  let client: KafkaClient;
  let consumer: SimpleConsumer | GroupConsumer;
  const formatter = new DefaultMessageFormatter();
  try {
    formatter.configure(config.formatterProps);
    const consumerOptions = consumerOptionsFromProps(config.consumerProps);
    const logContext = `Consumer clientId=${config.consumerProps['client.id']}, groupId=${config.consumerProps['group.id']}`;
    client = toolKafkaClient(io, {
      bootstrapServers: config.bootstrapServer,
      props: config.consumerProps,
      clientId: 'console-consumer',
      overrides: { logContext },
    });
    consumer =
      config.partition !== undefined
        ? new SimpleConsumer(client, consumerOptions)
        : new GroupConsumer(client, {
            ...consumerOptions,
            ...groupOptionsFromProps(config.consumerProps),
            logContext,
            logger: toolClientLogger(io, 'org.apache.kafka.clients.consumer.internals.ConsumerCoordinator'),
          });
  } catch (err) {
    if (err instanceof ClientConfigError) {
      io.err(`org.apache.kafka.common.config.ConfigException: ${err.message}\n`);
      return 1;
    }
    throw err;
  }

  let messageCount = 0;
  let stopped = false;
  let signalCode = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    stopped = true;
    signalCode = signal === 'SIGINT' ? 130 : 143;
    // A group consumer is closed below, once its poll returned: it commits and leaves the group.
    if (consumer instanceof SimpleConsumer) consumer.close();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    let assigned = true;
    if (consumer instanceof GroupConsumer) consumer.subscribe(config.topic !== undefined ? [config.topic] : includePattern(config.include!));
    else assigned = await assignPartitions(client, consumer, config, io, () => stopped);
    if (!assigned && !stopped) {
      io.err(logLine('ERROR', 'Error processing message, terminating consumer process: ', { logger: CONSOLE_CONSUMER_LOGGER }));
      io.err('org.apache.kafka.common.errors.TimeoutException\n');
      stopped = true;
    }
    const pending: ConsumerRecord[] = [];
    while (!stopped && (config.maxMessages === -1 || messageCount < config.maxMessages)) {
      let record: ConsumerRecord | undefined;
      try {
        const wanted = config.maxMessages === -1 ? undefined : config.maxMessages - messageCount;
        record = await receive(consumer, pending, { timeoutMs: config.timeoutMs, maxRecords: wanted, stopped: () => stopped });
      } catch (err) {
        if (stopped) break;
        io.err(logLine('ERROR', 'Error processing message, terminating consumer process: ', { logger: CONSOLE_CONSUMER_LOGGER }));
        io.err(`${err instanceof ReceiveTimeoutError ? 'org.apache.kafka.common.errors.TimeoutException' : `${(err as Error).name}: ${(err as Error).message}`}\n`);
        break;
      }
      if (record === undefined) break;
      messageCount += 1;
      try {
        output(formatter.format(record));
      } catch (err) {
        if (!config.skipMessageOnError) throw err;
        io.err(logLine('ERROR', `Error processing message, skipping this message: ${(err as Error).message}`, { logger: CONSOLE_CONSUMER_LOGGER }));
      }
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    if (consumer instanceof GroupConsumer) {
      await consumer.close().catch((err: unknown) => {
        io.err(logLine('WARN', `Failed to close the consumer: ${(err as Error).message}`, { logger: CONSOLE_CONSUMER_LOGGER }));
      });
    } else {
      consumer.close();
    }
    await client.close();
    io.err(`Processed a total of ${messageCount} messages\n`);
  }
  return signalCode;
}

/** ConsumerWrapper.receive(): the next record, polling until one arrives or `timeoutMs` passes. */
async function receive(
  consumer: SimpleConsumer | GroupConsumer,
  pending: ConsumerRecord[],
  options: { timeoutMs: number; maxRecords: number | undefined; stopped: () => boolean },
): Promise<ConsumerRecord | undefined> {
  const { timeoutMs, stopped } = options;
  const start = Date.now();
  while (pending.length === 0) {
    if (stopped()) return undefined;
    const remaining = timeoutMs - (Date.now() - start);
    const wait = Math.max(0, Math.min(remaining, 1000));
    const records = consumer instanceof GroupConsumer ? await consumer.poll(wait, { maxRecords: options.maxRecords }) : await consumer.poll(wait);
    pending.push(...records);
    if (pending.length === 0 && Date.now() - start > timeoutMs) throw new ReceiveTimeoutError('timeout');
  }
  return pending.shift();
}

/** The --include pattern as Kafka reads it (TopicFilter.IncludeList). */
function includePattern(include: string): RegExp {
  return new RegExp(includeListRegex(include));
}

/**
 * Assigns the one partition of --partition (seeking to --offset), waiting (with Kafka's metadata
 * warnings) for a topic that does not exist yet or a broker that is down, until --timeout-ms. Resolves
 * false when that timeout passed first.
 */
async function assignPartitions(
  client: KafkaClient,
  consumer: SimpleConsumer,
  config: ConsoleConsumerConfig,
  io: ToolIO,
  stopped: () => boolean,
): Promise<boolean> {
  const prefix = `[Consumer clientId=${config.consumerProps['client.id']}, groupId=${config.consumerProps['group.id']}]`;
  const deadline = Date.now() + config.timeoutMs;
  for (let attempt = 0; !stopped(); attempt++) {
    let tps: TopicPartition[] = [];
    try {
      tps = await findPartitions(client, config, io, prefix, attempt);
    } catch (err) {
      io.err(
        logLine(
          'WARN',
          `${prefix} Connection to node -1 (${config.bootstrapServer}) could not be established. Node may not be available. (${(err as Error).message})`,
          { logger: 'org.apache.kafka.clients.NetworkClient' },
        ),
      );
    }
    if (config.partition !== undefined && tps.length > 0) {
      const tp = { topic: config.topic!, partition: config.partition };
      consumer.assign([tp]);
      if (config.offset === OffsetSpec.EARLIEST) consumer.seekToBeginning([tp]);
      else if (config.offset === OffsetSpec.LATEST) consumer.seekToEnd([tp]);
      else consumer.seek(tp, config.offset);
      return true;
    }
    const wait = Math.min(1000, client.backoffMs(attempt), Math.max(0, deadline - Date.now()));
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
  return false;
}

/** The partitions of --topic, once its metadata is there. */
async function findPartitions(
  client: KafkaClient,
  config: ConsoleConsumerConfig,
  io: ToolIO,
  prefix: string,
  attempt: number,
): Promise<TopicPartition[]> {
  const topic = config.topic!;
  const cluster = await client.fetchMetadata([topic], { allowAutoTopicCreation: true });
  const meta = cluster.topics.get(topic);
  if (meta && meta.errorCode === ErrorCode.NONE && meta.partitions.length > 0) {
    return meta.partitions.map((p) => ({ topic, partition: p.partition }));
  }
  if (meta && meta.errorCode !== ErrorCode.NONE) {
    io.err(
      logLine('WARN', `${prefix} Error while fetching metadata with correlation id ${attempt + 2} : {${topic}=${errorName(meta.errorCode)}}`, {
        logger: 'org.apache.kafka.clients.NetworkClient',
      }),
    );
  }
  return [];
}

function errorName(code: number): string {
  const entry = Object.entries(ErrorCode).find(([, v]) => v === code);
  return entry ? entry[0] : String(code);
}

if (require.main === module) runTool((args, io) => kafkaConsoleConsumerMain(args, io));
