/**
 * kafka-reassign-partitions.sh: Kafka 3.9's ReassignPartitionsCommand through `--bootstrap-server` (KIP-455):
 *
 * - `--generate --topics-to-move-json-file f --broker-list 1,2 [--disable-rack-aware]`: the current assignment of
 *   the topics and a proposal over the brokers (Kafka's rack-aware assignment), both as reassignment JSON;
 * - `--execute --reassignment-json-file f [--additional] [--throttle n] [--replica-alter-log-dirs-throttle n]`:
 *   prints the current assignment for rollback, sets the throttles, then AlterPartitionReassignments;
 * - `--verify`: the state of each listed reassignment; once none is running the throttles are cleared
 *   (unless `--preserve-throttles`);
 * - `--cancel`: AlterPartitionReassignments with null replicas for the listed partitions still moving;
 * - `--list`: every ongoing reassignment (ListPartitionReassignments).
 *
 * JSON is Kafka's: `{"version":1,"partitions":[{"topic":"t","partition":0,"replicas":[1,2],"log_dirs":["any","any"]}]}`.
 * The JSON files are read in reassign-partitions-json.ts, the actions run in reassign-partitions-command.ts.
 * Output lines, checks and their messages follow the Java command: a TerseException prints its message, any
 * other failure "Error: <message>" and the exception, on stdout (exit 1); usage errors print the option table.
 * Moving replicas between log directories (log_dirs other than "any") needs AlterReplicaLogDirs and
 * DescribeLogDirs, which ts-kafka brokers do not serve: such requests fail as Kafka's tool fails against them.
 */
import * as fs from 'node:fs';
import { Admin } from '../client/admin';
import { KafkaClientError, KafkaResponseError, UnsupportedVersionError } from '../client/client-errors';
import { KafkaError } from '../common/kafka-error';
import { KafkaClient } from '../client/kafka-client';
import { AdminOperationError } from '../zk/replica-assignment';
import { toolKafkaClient } from './client-config';
import { OptionException, OptionParser, type ParsedOptions } from './command-line';
import { ReassignPartitionsCommand, ReassignmentAdmin } from './reassign-partitions-command';
import { ReassignCommandError } from './reassign-partitions-json';
import { JsonMappingError } from './tool-json';
import {
  UsageError,
  addDefaultOptions,
  kafkaExceptionClass,
  propertiesOption,
  runTool,
  startTool,
  type ToolIO,
} from './tool-support';

export {
  ReassignCommandError,
  type PartitionReplicas,
  formatAsReassignmentJson,
  parseExecuteAssignmentArgs,
  parseGenerateAssignmentArgs,
  parsePartitionReassignmentData,
} from './reassign-partitions-json';

const HELP = 'This tool helps to move topic partitions between replicas.';
const ACTIONS = ['generate', 'execute', 'verify', 'cancel', 'list'] as const;

function buildParser(): OptionParser {
  const p = new OptionParser();
  p.flag('verify', 'Verify if the reassignment completed as specified by the --reassignment-json-file option. If there is ' +
    'a throttle engaged for the replicas specified, and the rebalance has completed, the throttle will be removed');
  p.flag('generate', 'Generate a candidate partition reassignment configuration. Note that this only generates a candidate ' +
    'assignment, it does not execute it.');
  p.flag('execute', 'Kick off the reassignment as specified by the --reassignment-json-file option.');
  p.flag('cancel', 'Cancel an active reassignment.');
  p.flag('list', 'List all active partition reassignments.');
  p.withRequiredArg('bootstrap-server', 'REQUIRED: the server(s) to use for bootstrapping.', { describedAs: 'Server(s) to use for bootstrapping' });
  p.withRequiredArg('command-config', 'Property file containing configs to be passed to Admin Client.', { describedAs: 'Admin client property file' });
  p.withRequiredArg('reassignment-json-file', 'The JSON file with the partition reassignment configurationThe format to use is - \n' +
    '{"partitions":\n\t[{"topic": "foo",\n\t  "partition": 1,\n\t  "replicas": [1,2,3],\n\t  "log_dirs": ["dir1","dir2","dir3"] }],\n"version":1\n}\n' +
    'Note that "log_dirs" is optional. When it is specified, its length must equal the length of the replicas list. The value ' +
    'in this list can be either "any" or the absolution path of the log directory on the broker. If absolute log directory path ' +
    'is specified, the replica will be moved to the specified log directory on the broker.', { describedAs: 'manual assignment json file path' });
  p.withRequiredArg('topics-to-move-json-file', 'Generate a reassignment configuration to move the partitions of the specified ' +
    'topics to the list of brokers specified by the --broker-list option. The format to use is - \n' +
    '{"topics":\n\t[{"topic": "foo"},{"topic": "foo1"}],\n"version":1\n}', { describedAs: 'topics to reassign json file path' });
  p.withRequiredArg('broker-list', 'The list of brokers to which the partitions need to be reassigned in the form "0,1,2". This ' +
    'is required if --topics-to-move-json-file is used to generate reassignment configuration', { describedAs: 'brokerlist' });
  p.flag('disable-rack-aware', 'Disable rack aware replica assignment');
  const throttleHelp = 'This option can be included with --execute when a reassignment is started, and it can be altered by ' +
    'resubmitting the current reassignment along with the --additional flag. The throttle rate should be at least 1 KB/s.';
  p.withRequiredArg('throttle', `The movement of partitions between brokers will be throttled to this value (bytes/sec). ${throttleHelp}`,
    { describedAs: 'throttle', type: 'Long', defaultValue: '-1' });
  p.withRequiredArg('replica-alter-log-dirs-throttle', 'The movement of replicas between log directories on the same broker will be ' +
    `throttled to this value (bytes/sec). ${throttleHelp}`, { describedAs: 'replicaAlterLogDirsThrottle', type: 'Long', defaultValue: '-1' });
  p.withRequiredArg('timeout', 'The maximum time in ms to wait for log directory replica assignment to begin.',
    { describedAs: 'timeout', type: 'Long', defaultValue: '10000' });
  p.flag('additional', 'Execute this reassignment in addition to any other ongoing ones. This option can also be used to change ' +
    'the throttle of an ongoing reassignment.');
  p.flag('preserve-throttles', 'Do not modify broker or topic throttles.');
  addDefaultOptions(p);
  return p;
}

const REQUIRED: Readonly<Record<(typeof ACTIONS)[number], readonly string[]>> = {
  verify: ['reassignment-json-file'],
  generate: ['topics-to-move-json-file', 'broker-list'],
  execute: ['reassignment-json-file'],
  cancel: ['reassignment-json-file'],
  list: [],
};
const PERMITTED: Readonly<Record<(typeof ACTIONS)[number], readonly string[]>> = {
  verify: ['bootstrap-server', 'command-config', 'preserve-throttles'],
  generate: ['bootstrap-server', 'broker-list', 'command-config', 'disable-rack-aware'],
  execute: ['additional', 'bootstrap-server', 'command-config', 'throttle', 'replica-alter-log-dirs-throttle', 'timeout'],
  cancel: ['bootstrap-server', 'command-config', 'preserve-throttles', 'timeout'],
  list: ['bootstrap-server', 'command-config'],
};

/** validateAndParseArgs: exactly one action, --bootstrap-server, the action's required and permitted options. */
function validateArgs(o: ParsedOptions): (typeof ACTIONS)[number] {
  const actions = ACTIONS.filter((a) => o.has(a));
  if (actions.length !== 1) throw new UsageError(`Command must include exactly one action: ${ACTIONS.map((a) => `--${a}`).join(', ')}`);
  const action = actions[0]!;
  if (!o.has('bootstrap-server')) throw new UsageError('Please specify --bootstrap-server');
  for (const name of REQUIRED[action]) if (!o.has(name)) throw new UsageError(`Missing required argument "[${name}]"`);
  for (const name of o.given) {
    if (name !== action && !REQUIRED[action].includes(name) && !PERMITTED[action].includes(name)) {
      throw new UsageError(`Option "[${name}]" can't be used with action "[${action}]"`);
    }
  }
  return action;
}

/** The message Kafka's main prints for a failure and the exception class its stack trace starts with. */
function describeFailure(err: unknown): { message: string; javaClass: string } {
  const message = err instanceof Error ? err.message : String(err);
  const wrapped = (cls: string) => ({ message: `${cls}: ${message}`, javaClass: 'java.util.concurrent.ExecutionException' });
  if (err instanceof ReassignCommandError) return { message, javaClass: err.javaClass };
  if (err instanceof JsonMappingError) return { message, javaClass: 'com.fasterxml.jackson.databind.JsonMappingException' };
  if (err instanceof KafkaResponseError) return wrapped(kafkaExceptionClass(err.code, err.errorName));
  if (err instanceof UnsupportedVersionError) return wrapped('org.apache.kafka.common.errors.UnsupportedVersionException');
  if (err instanceof KafkaClientError) return wrapped('org.apache.kafka.common.errors.TimeoutException');
  if (err instanceof KafkaError) return { message, javaClass: kafkaExceptionClass(err.code) };
  if (err instanceof AdminOperationError) return { message, javaClass: 'org.apache.kafka.server.common.AdminOperationException' };
  return { message, javaClass: 'java.lang.RuntimeException' };
}

/** How main reports a failure: TerseException's message, else "Error: <message>" and the exception. */
function printFailure(io: ToolIO, err: unknown): void {
  if (err instanceof ReassignCommandError && err.terse) {
    io.out(`${err.message}\n`);
    return;
  }
  const { message, javaClass } = describeFailure(err);
  io.out(`Error: ${message}\n${javaClass}: ${message}\n`);
}

function readFile(path: string): string {
  try {
    return fs.readFileSync(path, 'utf8');
  } catch {
    throw new ReassignCommandError(path, { javaClass: 'java.nio.file.NoSuchFileException' });
  }
}

/** Runs kafka-reassign-partitions with `args`; resolves with the exit code. */
export async function kafkaReassignPartitionsMain(args: string[], io: ToolIO): Promise<number> {
  const parser = buildParser();
  const options = startTool(parser, args, { io, help: HELP, check: validateArgs, messageOnly: (err) => err instanceof OptionException });
  if (typeof options === 'number') return options;
  const action = ACTIONS.find((a) => options.has(a))!;
  let client: KafkaClient | undefined;
  try {
    const props = propertiesOption(options, 'command-config');
    const timeoutMs = props['default.api.timeout.ms'] !== undefined ? Number(props['default.api.timeout.ms']) : 60_000;
    client = toolKafkaClient(io, { bootstrapServers: options.valueOf('bootstrap-server')!, props, clientId: 'reassign-partitions-tool' });
    const command = new ReassignPartitionsCommand(new ReassignmentAdmin(new Admin(client, { defaultApiTimeoutMs: timeoutMs })), io);
    const file = (name: string) => readFile(options.valueOf(name)!);
    switch (action) {
      case 'verify':
        await command.verify(file('reassignment-json-file'), options.has('preserve-throttles'));
        break;
      case 'generate':
        await command.generate(file('topics-to-move-json-file'), options.valueOf('broker-list')!, !options.has('disable-rack-aware'));
        break;
      case 'execute':
        await command.execute(file('reassignment-json-file'), {
          additional: options.has('additional'),
          throttle: options.numberOf('throttle')!,
          logDirThrottle: options.numberOf('replica-alter-log-dirs-throttle')!,
        });
        break;
      case 'cancel':
        await command.cancel(file('reassignment-json-file'), options.has('preserve-throttles'));
        break;
      case 'list':
        await command.list();
        break;
    }
    return 0;
  } catch (err) {
    printFailure(io, err);
    return 1;
  } finally {
    await client?.close();
  }
}

if (require.main === module) runTool((args, io) => kafkaReassignPartitionsMain(args, io));
