/**
 * kafka-get-offsets.sh: Kafka 3.9's GetOffsetShell. Lists the partitions of the topics that match the
 * filters (`--topic-partitions 'regex:0-3,other:5'`, or `--topic regex` with `--partitions 0,1`; internal
 * topics unless `--exclude-internal-topics`), asks each partition's leader for the offset of `--time`
 * (latest by default; -1/latest, -2/earliest, -3/max-timestamp (KIP-734), -4/earliest-local,
 * -5/latest-tiered (KIP-1005) or a timestamp) through ListOffsets and prints `topic:partition:offset`,
 * sorted by the `topic-partition` string as Kafka's TreeMap sorts them. Partitions without an offset
 * (a timestamp past the last record) are left out.
 *
 * Errors as GetOffsetShell.mainNoExit reports them: `Error occurred: <message>` on stderr and exit 1 (with
 * the exception on the next line for unexpected failures); no arguments, --help and a missing or malformed
 * --bootstrap-server print the option table (exit 1).
 */
import { Admin } from '../client/admin';
import { KafkaClientError, KafkaResponseError, OperationTimeoutError, RequestTimeoutError } from '../client/client-errors';
import type { KafkaClient } from '../client/kafka-client';
import { type OffsetAndTimestamp, SimpleConsumer, type TopicPartition } from '../client/simple-consumer';
import { ClientConfigError, toolKafkaClient } from './client-config';
import { OptionException, OptionParser, type ParsedOptions } from './command-line';
import {
  JavaException,
  UsageError,
  addDefaultOptions,
  includeListRegex,
  kafkaExceptionClass,
  propertiesOption,
  runTool,
  startTool,
  type ToolIO,
} from './tool-support';

const USAGE_TEXT = 'An interactive shell for getting topic-partition offsets.';
/** GetOffsetShell.TOPIC_PARTITION_PATTERN, printed in the --topic-partitions help as Java prints the Pattern. */
const TOPIC_PARTITION_PATTERN_TEXT = '([^:,]*)(?::(?:([0-9]*)|(?:([0-9]*)-([0-9]*))))?';
const TOPIC_PARTITION_PATTERN = new RegExp(`^(?:${TOPIC_PARTITION_PATTERN_TEXT})$`, 's');
const INT32_MAX = 2147483647;

/** GetOffsetShell's TerseException: `Error occurred: <message>` alone. */
export class GetOffsetsError extends Error {
  override readonly name = 'GetOffsetsError';
}

/** ListOffsets timestamps of the OffsetSpecs (ListOffsetsRequest constants). */
export const OffsetSpecTimestamp = {
  latest: -1,
  earliest: -2,
  'max-timestamp': -3,
  'earliest-local': -4,
  'latest-tiered': -5,
} as const;

function buildParser(): OptionParser {
  const p = new OptionParser();
  p.withRequiredArg('bootstrap-server', 'REQUIRED. The server(s) to connect to in the form HOST1:PORT1,HOST2:PORT2.', {
    describedAs: 'HOST1:PORT1,...,HOST3:PORT3',
  });
  p.withRequiredArg(
    'topic-partitions',
    `Comma separated list of topic-partition patterns to get the offsets for, with the format of '${TOPIC_PARTITION_PATTERN_TEXT}'. ` +
      'The first group is an optional regex for the topic name, if omitted, it matches any topic name. ' +
      "The section after ':' describes a 'partition' pattern, which can be: a number, a range in the format of " +
      "'NUMBER-NUMBER' (lower inclusive, upper exclusive), an inclusive lower bound in the format of 'NUMBER-', an " +
      "exclusive upper bound in the format of '-NUMBER' or may be omitted to accept all partitions.",
    { describedAs: 'topic1:1,topic2:0-3,topic3,topic4:5-,topic5:-3' },
  );
  p.withRequiredArg(
    'topic',
    'The topic to get the offsets for. It also accepts a regular expression. If not present, all authorized topics are ' +
      'queried. Cannot be used if --topic-partitions is present.',
    { describedAs: 'topic' },
  );
  p.withRequiredArg(
    'partitions',
    'Comma separated list of partition ids to get the offsets for. If not present, all partitions of the authorized ' +
      'topics are queried. Cannot be used if --topic-partitions is present.',
    { describedAs: 'partition ids' },
  );
  p.withRequiredArg(
    'time',
    'timestamp of the offsets before that. [Note: No offset is returned, if the timestamp greater than recently ' +
      'committed record timestamp is given.]',
    {
      describedAs:
        '<timestamp> / -1 or latest / -2 or earliest / -3 or max-timestamp / -4 or earliest-local / -5 or latest-tiered',
      defaultValue: 'latest',
    },
  );
  p.withRequiredArg('command-config', 'Property file containing configs to be passed to Admin Client.', {
    describedAs: 'config file',
  });
  p.flag('exclude-internal-topics', 'By default, internal topics are included. If specified, internal topics are excluded.');
  addDefaultOptions(p);
  return p;
}

/** GetOffsetShell.parseOffsetSpec: the ListOffsets timestamp of a --time value. */
export function parseOffsetSpec(text: string): number {
  const named = (OffsetSpecTimestamp as Readonly<Record<string, number>>)[text];
  if (named !== undefined) return named;
  // Long.parseLong: an optional sign and decimal digits, within the int64 range.
  if (!/^[+-]?\d+$/.test(text) || BigInt(text) > 2n ** 63n - 1n || BigInt(text) < -(2n ** 63n)) {
    throw new GetOffsetsError(
      `Malformed time argument ${text}. Please use -1 or latest / -2 or earliest / -3 or max-timestamp / ` +
        '-4 or earliest-local / -5 or latest-tiered, or a specified long format timestamp',
    );
  }
  return Number(text);
}

/** Which topics and partitions a rule accepts (Kafka's TopicPartitionFilter). */
export interface TopicPartitionFilter {
  isTopicAllowed(topic: string): boolean;
  isTopicPartitionAllowed(tp: TopicPartition): boolean;
}

/**
 * TopicFilter.IncludeList: the regex after Kafka's clean-up (trimmed, `,` → `|`, spaces and surrounding
 * quotes removed), matched against the whole topic name.
 */
function includeList(rawRegex: string): (topic: string) => boolean {
  const regex = includeListRegex(rawRegex);
  let re: RegExp;
  try {
    re = new RegExp(`^(?:${regex})$`, 's');
  } catch {
    throw new Error(`${regex} is an invalid regex.`);
  }
  return (topic) => re.test(topic);
}

function topicAndPartitionFilter(topic: (t: string) => boolean, partition: (p: number) => boolean): TopicPartitionFilter {
  return {
    isTopicAllowed: topic,
    isTopicPartitionAllowed: (tp) => topic(tp.topic) && partition(tp.partition),
  };
}

/** Integer.parseInt, or null when the text is not an int32. */
function parseJavaInt(text: string): number | null {
  if (!/^[+-]?\d+$/.test(text)) return null;
  const n = Number(text);
  return n >= -(2 ** 31) && n <= INT32_MAX ? n : null;
}

/** GetOffsetShell.createTopicPartitionFilterWithPatternList: `regex:N`, `regex:A-B`, `regex:A-`, `:-B`, `regex`. */
export function topicPartitionFilterFromPatterns(patterns: string): TopicPartitionFilter {
  // Java's String.split drops trailing empty strings.
  const specs = patterns.split(',');
  while (specs.length > 1 && specs[specs.length - 1] === '') specs.pop();
  const rules = specs.map((spec) => {
    const m = TOPIC_PARTITION_PATTERN.exec(spec);
    if (!m) {
      // The command wraps the TerseException of a rule in a RuntimeException.
      throw new GetOffsetShellFailure(
        `org.apache.kafka.tools.TerseException: Invalid rule specification: ${spec}`,
        'java.lang.RuntimeException',
      );
    }
    const group = (i: number) => (m[i] !== undefined && m[i] !== '' ? m[i]! : null);
    const topic = includeList(group(1) ?? '.*');
    const asInt = (text: string) => {
      const n = parseJavaInt(text);
      if (n === null) throw new GetOffsetShellFailure(`For input string: "${text}"`, 'java.lang.NumberFormatException');
      return n;
    };
    if (group(2) !== null) {
      const only = asInt(group(2)!);
      return topicAndPartitionFilter(topic, (p) => p === only);
    }
    const lower = group(3) !== null ? asInt(group(3)!) : 0;
    const upper = group(4) !== null ? asInt(group(4)!) : INT32_MAX;
    return topicAndPartitionFilter(topic, (p) => p >= lower && p < upper);
  });
  return {
    isTopicAllowed: (t) => rules.some((r) => r.isTopicAllowed(t)),
    isTopicPartitionAllowed: (tp) => rules.some((r) => r.isTopicPartitionAllowed(tp)),
  };
}

/** GetOffsetShell.createTopicPartitionFilterWithTopicAndPartitionPattern: `--topic` regex and `--partitions` ids. */
export function topicPartitionFilterFromOptions(topic: string | undefined, partitionIds: string | undefined): TopicPartitionFilter {
  let partitions: Set<number> = new Set();
  if (partitionIds !== undefined && partitionIds !== '') {
    const ids = partitionIds.split(',').map((s) => parseJavaInt(s));
    if (ids.some((id) => id === null)) {
      throw new GetOffsetsError(`--partitions expects a comma separated list of numeric partition ids, but received: ${partitionIds}`);
    }
    partitions = new Set(ids as number[]);
  }
  return topicAndPartitionFilter(includeList(topic ?? '.*'), (p) => partitions.size === 0 || partitions.has(p));
}

/** A failure reported with the Java exception GetOffsetShell would show under its message. */
export class GetOffsetShellFailure extends JavaException {
  override readonly name = 'GetOffsetShellFailure';
}

/** ToolsUtils.validateBootstrapServer: every comma-separated entry must end in `:port`. */
function validateBootstrapServer(hostPort: string): void {
  if (hostPort.trim() === '') throw new UsageError('Error while validating the bootstrap address\n');
  const entries = hostPort.split(',');
  while (entries.length > 1 && entries[entries.length - 1] === '') entries.pop();
  // Utils.getPort's pattern: `.*?\[?([0-9a-zA-Z\-%._:]*)\]?:([0-9]+)` over the whole entry.
  const valid = entries.filter((e) => /^.*?\[?[0-9a-zA-Z\-%._:]*\]?:[0-9]+$/s.test(e));
  if (valid.length === 0 || valid.length !== entries.length) {
    throw new UsageError('Please provide valid host:port like host1:9091,host2:9092\n');
  }
}

/** --command-config's properties; a missing file fails as Utils.loadProps does (NoSuchFileException). */
function commandConfig(options: ParsedOptions): Record<string, string> {
  try {
    return propertiesOption(options, 'command-config');
  } catch (err) {
    if (((err as Error).cause as NodeJS.ErrnoException | undefined)?.code !== 'ENOENT') throw err;
    const file = options.valueOf('command-config')!;
    throw new GetOffsetShellFailure(file, 'java.nio.file.NoSuchFileException');
  }
}

/** The partitions that pass `filter`, as GetOffsetShell.listPartitionInfos finds them. */
async function listPartitions(admin: Admin, filter: TopicPartitionFilter, excludeInternal: boolean): Promise<TopicPartition[]> {
  const topics = (await admin.listTopics({ listInternal: !excludeInternal })).map((t) => t.name).filter((t) => filter.isTopicAllowed(t));
  const described = await admin.describeTopics(topics);
  return described.flatMap((t) =>
    t.partitions.map((p) => ({ topic: t.name, partition: p.partition })).filter((tp) => filter.isTopicPartitionAllowed(tp)),
  );
}

/** TopicPartition.toString order: `topic-partition` compared as strings (UTF-16 code units, like Java). */
function byTopicPartitionString(a: TopicPartition, b: TopicPartition): number {
  const x = `${a.topic}-${a.partition}`;
  const y = `${b.topic}-${b.partition}`;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** SimpleConsumer.listOffsets keys its results by `topic\0partition`. */
const tpKey = (tp: TopicPartition) => `${tp.topic}\u0000${tp.partition}`;

/**
 * The offset (null: none) or the failure of each partition, as Admin.listOffsets reports each partition's
 * result on its own: one request for all, and when that fails, one per partition to tell which failed.
 */
async function listOffsetsPerPartition(
  consumer: SimpleConsumer,
  partitions: readonly TopicPartition[],
  timestamp: number,
): Promise<Map<string, OffsetAndTimestamp | null | Error>> {
  try {
    return await consumer.listOffsets(partitions.map((tp) => ({ ...tp, timestamp })));
  } catch {
    const results = new Map<string, OffsetAndTimestamp | null | Error>();
    await Promise.all(
      partitions.map(async (tp) => {
        try {
          results.set(tpKey(tp), (await consumer.listOffsets([{ ...tp, timestamp }])).get(tpKey(tp)) ?? null);
        } catch (err) {
          results.set(tpKey(tp), err instanceof Error ? err : new Error(String(err)));
        }
      }),
    );
    return results;
  }
}

/** GetOffsetShell.fetchOffsets: the offsets of the matching partitions, in output order. */
async function fetchOffsets(options: ParsedOptions, io: ToolIO): Promise<{ tp: TopicPartition; offset: number }[]> {
  if (options.has('topic-partitions') && (options.has('topic') || options.has('partitions'))) {
    throw new GetOffsetsError('--topic-partitions cannot be used with --topic or --partitions');
  }
  const excludeInternal = options.has('exclude-internal-topics');
  const timestamp = parseOffsetSpec(options.valueOf('time')!);
  const filter = options.has('topic-partitions')
    ? topicPartitionFilterFromPatterns(options.valueOf('topic-partitions')!)
    : topicPartitionFilterFromOptions(options.valueOf('topic'), options.valueOf('partitions'));
  const props = commandConfig(options);
  let client: KafkaClient | undefined;
  try {
    // GetOffsetShell sets client.id over whatever the config file says.
    client = toolKafkaClient(io, {
      bootstrapServers: options.valueOf('bootstrap-server')!,
      props: { ...props, 'client.id': 'GetOffsetShell' },
      clientId: 'GetOffsetShell',
    });
    const partitions = await listPartitions(new Admin(client), filter, excludeInternal);
    if (partitions.length === 0) throw new GetOffsetsError('Could not match any topic-partitions with the specified filters');
    const results = await listOffsetsPerPartition(new SimpleConsumer(client), partitions, timestamp);
    const out: { tp: TopicPartition; offset: number }[] = [];
    for (const tp of partitions) {
      const result = results.get(tpKey(tp));
      if (result instanceof Error) {
        io.err(`Skip getting offsets for topic-partition ${tp.topic}-${tp.partition} due to error: ${javaMessage(result)}\n`);
        continue;
      }
      // No offset (ListOffsetsResponse.UNKNOWN_OFFSET) leaves the partition out.
      if (result) out.push({ tp, offset: result.offset });
    }
    return out.sort((a, b) => byTopicPartitionString(a.tp, b.tp));
  } finally {
    await client?.close();
  }
}

/** The Java exception a failure stands for: `class: message`. */
function javaThrowable(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof GetOffsetShellFailure) return `${err.javaClass}: ${message}`;
  // Admin results fail with an ExecutionException wrapping the Kafka exception.
  if (err instanceof KafkaResponseError || err instanceof KafkaClientError) return `java.util.concurrent.ExecutionException: ${javaMessage(err)}`;
  if (err instanceof ClientConfigError) return `org.apache.kafka.common.config.ConfigException: ${message}`;
  return `java.lang.RuntimeException: ${message}`;
}

/** Throwable.getMessage of that exception (an ExecutionException's is its cause's toString). */
function javaMessage(err: unknown): string {
  if (err instanceof KafkaResponseError) return `${kafkaExceptionClass(err.code, err.errorName)}: ${err.message}`;
  if (err instanceof OperationTimeoutError || err instanceof RequestTimeoutError) {
    return `org.apache.kafka.common.errors.TimeoutException: ${err.message}`;
  }
  if (err instanceof KafkaClientError) return `org.apache.kafka.common.errors.DisconnectException: ${err.message}`;
  return err instanceof Error ? err.message : String(err);
}

/** Runs kafka-get-offsets with `args`; resolves with the exit code. */
export async function kafkaGetOffsetsMain(args: string[], io: ToolIO): Promise<number> {
  const parser = buildParser();
  // jopt-simple errors are GetOffsetShell's TerseExceptions, not usage errors.
  if (args.length > 0) {
    try {
      parser.parse(args);
    } catch (err) {
      if (!(err instanceof OptionException)) throw err;
      io.err(`Error occurred: ${err.message}\n`);
      return 1;
    }
  }
  const options = startTool(parser, args, {
    io,
    help: USAGE_TEXT,
    required: ['bootstrap-server'],
    check: (o) => validateBootstrapServer(o.valueOf('bootstrap-server')!),
  });
  if (typeof options === 'number') return options;
  try {
    for (const { tp, offset } of await fetchOffsets(options, io)) io.out(`${tp.topic}:${tp.partition}:${offset}\n`);
    return 0;
  } catch (err) {
    io.err(`Error occurred: ${javaMessage(err)}\n`);
    // Utils.stackTrace(e) follows unexpected failures; its first line is the exception itself.
    if (!(err instanceof GetOffsetsError)) io.err(`${javaThrowable(err)}\n`);
    return 1;
  }
}

if (require.main === module) runTool((args, io) => kafkaGetOffsetsMain(args, io));
