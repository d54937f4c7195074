/**
 * kafka-leader-election.sh: Kafka 3.9's LeaderElectionCommand (KIP-460). Elects leaders through ElectLeaders
 * (sent to the controller, retried while the controller moves) for one partition (`--topic --partition`), the
 * partitions of a JSON file (`--path-to-json-file`, `{"partitions":[{"topic":"foo","partition":1}]}`) or every
 * partition (`--all-topic-partitions`), with `--election-type PREFERRED|UNCLEAN` (case-insensitive).
 *
 * Output as Kafka's: "Successfully completed leader election (PREFERRED) for partitions t-0, t-1", "Valid replica
 * already elected for partitions ...", and per failure "Error completing leader election (PREFERRED) for
 * partition: t-0: <exception>" followed by a failure (exit 1). Usage problems print the message and the
 * exception on stderr (exit 1), as the command's mainNoExit does; no arguments or --help print the option table.
 */
import * as fs from 'node:fs';
import { Admin, type PartitionResult } from '../client/admin';
import { KafkaClient } from '../client/kafka-client';
import { OperationTimeoutError } from '../client/client-errors';
import { ErrorCode } from '../protocol';
import { toolKafkaClient } from './client-config';
import { OptionException, OptionParser, type ParsedOptions } from './command-line';
import {
  JavaException,
  KAFKA_VERSION,
  addDefaultOptions,
  errorCodeExceptionClass,
  javaExceptionClassOf,
  printUsage,
  propertiesOption,
  runTool,
  type ToolIO,
} from './tool-support';
import { DecodeJson, JsonMappingError, type TopicPartitionName, javaHashSetOrder, topicPartitionHash } from './tool-json';

const HELP = 'This tool attempts to elect a new leader for a set of topic partitions. The type of elections supported ' +
  'are preferred replicas and unclean replicas.';
const ELECTION_TYPES = ['PREFERRED', 'UNCLEAN'] as const;
/** LeaderElectionCommand's admin timeout: default.api.timeout.ms 30 s, request.timeout.ms half of it. */
const DEFAULT_TIMEOUT_MS = 30_000;

/** A command failure, with the Java exception class Kafka's tool would report (`AdminCommandFailedException`...). */
export class LeaderElectionCommandError extends JavaException {
  override readonly name = 'LeaderElectionCommandError';
  constructor(message: string, javaClass = 'org.apache.kafka.server.common.AdminCommandFailedException') {
    super(message, javaClass);
  }
}

function buildParser(): OptionParser {
  const p = new OptionParser();
  p.withRequiredArg('bootstrap-server',
    'A hostname and port for the broker to connect to, in the form host:port. Multiple comma separated URLs can be given. REQUIRED.',
    { describedAs: 'host:port' });
  p.withRequiredArg('admin.config', 'Configuration properties files to pass to the admin client', { describedAs: 'config file' });
  p.withRequiredArg('path-to-json-file',
    'The JSON file with the list  of partition for which leader elections should be performed. This is an example format. ' +
    '\n{"partitions":\n\t[{"topic": "foo", "partition": 1},\n\t {"topic": "foobar", "partition": 2}]\n}\nNot allowed if ' +
    '--all-topic-partitions or --topic flags are specified.', { describedAs: 'Path to JSON file' });
  p.withRequiredArg('topic',
    'Name of topic for which to perform an election. Not allowed if --path-to-json-file or --all-topic-partitions is specified.',
    { describedAs: 'topic name' });
  p.withRequiredArg('partition', 'Partition id for which to perform an election. REQUIRED if --topic is specified.',
    { describedAs: 'partition id', type: 'Integer' });
  p.flag('all-topic-partitions', 'Perform election on all of the eligible topic partitions based on the type of election ' +
    '(see the --election-type flag). Not allowed if --topic or --path-to-json-file is specified.');
  p.withRequiredArg('election-type', 'Type of election to attempt. Possible values are "preferred" for preferred leader ' +
    'election or "unclean" for unclean leader election. If preferred election is selection, the election is only performed ' +
    'if the current leader is not the preferred leader for the topic partition. If unclean election is selected, the ' +
    'election is only performed if there are no leader for the topic partition. REQUIRED.', { describedAs: 'election type' });
  addDefaultOptions(p);
  return p;
}

/** LeaderElectionCommandOptions.validate. */
function validate(o: ParsedOptions): void {
  const missing = ['bootstrap-server', 'election-type'].filter((n) => !o.has(n));
  if (missing.length > 0) throw new LeaderElectionCommandError(`Missing required option(s): ${missing.join(', ')}`);
  const exclusive = ['topic', 'all-topic-partitions', 'path-to-json-file'];
  if (exclusive.filter((n) => o.has(n)).length !== 1) {
    throw new LeaderElectionCommandError(`One and only one of the following options is required: ${exclusive.join(', ')}`);
  }
  if (o.has('topic') && !o.has('partition')) throw new LeaderElectionCommandError('Missing required option(s): partition');
  if (!o.has('topic') && o.has('partition')) throw new LeaderElectionCommandError('Option partition is only allowed if topic is used');
}

/** jopt-simple's EnumConverter: the constant whose name matches case-insensitively. */
function electionTypeOf(value: string): 0 | 1 {
  const i = ELECTION_TYPES.findIndex((t) => t.toLowerCase() === value.toLowerCase());
  if (i < 0) {
    throw new LeaderElectionCommandError(`Cannot parse argument '${value}' of option election-type`,
      'joptsimple.OptionArgumentConversionException');
  }
  return i as 0 | 1;
}

/** Reads `{"partitions":[{"topic":..,"partition":..}]}` as LeaderElectionCommand.parseReplicaElectionData does. */
export function parseReplicaElectionData(text: string): TopicPartitionName[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new LeaderElectionCommandError('Replica election data is empty', 'org.apache.kafka.server.common.AdminOperationException');
  }
  const list = (json as { partitions?: unknown } | null)?.partitions;
  if (list === undefined) {
    throw new LeaderElectionCommandError('Replica election data is missing "partitions" field',
      'org.apache.kafka.server.common.AdminOperationException');
  }
  let partitions: TopicPartitionName[];
  try {
    partitions = DecodeJson.list(list, (entry) => ({
      topic: DecodeJson.string(DecodeJson.field(entry, 'topic')),
      partition: DecodeJson.int(DecodeJson.field(entry, 'partition')),
    }));
  } catch (e) {
    // The command wraps the JsonMappingException in a RuntimeException, whose message is its toString.
    if (!(e instanceof JsonMappingError)) throw e;
    throw new LeaderElectionCommandError(`com.fasterxml.jackson.databind.JsonMappingException: ${e.message}`, 'java.lang.RuntimeException');
  }
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  for (const tp of partitions) {
    const key = `${tp.topic}-${tp.partition}`;
    if (seen.has(key)) duplicates.add(key);
    seen.add(key);
  }
  if (duplicates.size > 0) {
    throw new LeaderElectionCommandError(`Replica election data contains duplicate partitions: [${[...duplicates].join(', ')}]`,
      'org.apache.kafka.server.common.AdminOperationException');
  }
  return [...new Map(partitions.map((tp) => [`${tp.topic}-${tp.partition}`, tp])).values()];
}

/** Prints the election results as LeaderElectionCommand does; throws when some partition failed. */
function printResults(io: ToolIO, type: string, results: readonly PartitionResult[]): void {
  const name = (tp: TopicPartitionName) => `${tp.topic}-${tp.partition}`;
  const ordered = javaHashSetOrder(results, topicPartitionHash);
  const succeeded = ordered.filter((r) => r.error === null);
  const noop = ordered.filter((r) => r.error?.code === ErrorCode.ELECTION_NOT_NEEDED);
  const failed = ordered.filter((r) => r.error !== null && r.error.code !== ErrorCode.ELECTION_NOT_NEEDED);
  if (succeeded.length > 0) {
    io.out(`Successfully completed leader election (${type}) for partitions ${succeeded.map(name).join(', ')}\n`);
  }
  if (noop.length > 0) io.out(`Valid replica already elected for partitions ${noop.map(name).join(', ')}\n`);
  if (failed.length > 0) {
    for (const r of failed) {
      const e = r.error!;
      io.out(`Error completing leader election (${type}) for partition: ${name(r)}: ` +
        `${errorCodeExceptionClass(e.code)}: ${e.message}\n`);
    }
    throw new LeaderElectionCommandError(`${failed.length} replica(s) could not be elected`);
  }
}

/** mainNoExit's report of a failure: the message and the exception, on stderr. */
function printFailure(io: ToolIO, err: unknown): void {
  const message = err instanceof Error ? err.message : String(err);
  io.err(`${message}\n${javaExceptionClassOf(err)}: ${message}\n`);
}

/** Runs kafka-leader-election with `args`; resolves with the exit code. */
export async function kafkaLeaderElectionMain(args: string[], io: ToolIO): Promise<number> {
  const parser = buildParser();
  if (args.length === 0) {
    printUsage(io, { parser, message: HELP });
    return 1;
  }
  let options: ParsedOptions;
  try {
    options = parser.parse(args);
  } catch (err) {
    if (!(err instanceof OptionException)) throw err;
    printFailure(io, new LeaderElectionCommandError(err.message, 'joptsimple.OptionException'));
    return 1;
  }
  if (options.has('help')) {
    printUsage(io, { parser, message: HELP });
    return 1;
  }
  if (options.has('version')) {
    io.out(`${KAFKA_VERSION}\n`);
    return 0;
  }
  let client: KafkaClient | undefined;
  try {
    validate(options);
    const electionType = electionTypeOf(options.valueOf('election-type')!);
    const fromFile = options.has('path-to-json-file') ? parseReplicaElectionData(readFile(options.valueOf('path-to-json-file')!)) : null;
    const single = options.has('topic') ? [{ topic: options.valueOf('topic')!, partition: options.numberOf('partition')! }] : null;
    const props = propertiesOption(options, 'admin.config');
    const timeoutMs = props['default.api.timeout.ms'] !== undefined ? Number(props['default.api.timeout.ms']) : DEFAULT_TIMEOUT_MS;
    client = toolKafkaClient(io, {
      bootstrapServers: options.valueOf('bootstrap-server')!,
      props: { 'request.timeout.ms': String(DEFAULT_TIMEOUT_MS / 2), ...props },
      clientId: 'adminclient-1',
    });
    let results: PartitionResult[];
    try {
      results = await new Admin(client, { defaultApiTimeoutMs: timeoutMs }).electLeaders(electionType, fromFile ?? single);
    } catch (err) {
      if (!(err instanceof OperationTimeoutError)) throw err;
      io.out('Timeout waiting for election results\n');
      throw new LeaderElectionCommandError('Timeout waiting for election results');
    }
    printResults(io, ELECTION_TYPES[electionType], results);
    return 0;
  } catch (err) {
    printFailure(io, err);
    return 1;
  } finally {
    await client?.close();
  }
}

/** Utils.readFileAsString; a missing file is reported as Java's NoSuchFileException wrapped by the command. */
function readFile(path: string): string {
  try {
    return fs.readFileSync(path, 'utf8');
  } catch {
    throw new LeaderElectionCommandError(`java.nio.file.NoSuchFileException: ${path}`, 'java.lang.RuntimeException');
  }
}

if (require.main === module) runTool((args, io) => kafkaLeaderElectionMain(args, io));
