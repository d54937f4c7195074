/**
 * kafka-topics.sh: Kafka 3.9's TopicCommand (create, list, describe, alter --partitions, delete), through
 * `--bootstrap-server` (the Kafka protocol, topic-service-admin.ts) or, as Kafka 2.x could,
 * `--zookeeper` (direct ZooKeeper writes, topic-service-zk.ts). Exactly one of the two must be given.
 *
 * Options, checks and their messages, output lines and exit codes follow Kafka's tool: usage problems
 * print the message and the option table on stderr (exit 1); failures print
 * "Error while executing topic command : <message>" on stdout and the exception on stderr (exit 1).
 */

import { KafkaError } from '../common/kafka-error';
import {
  BootstrapError,
  KafkaClientError,
  KafkaConnectionError,
  KafkaResponseError,
  OperationTimeoutError,
  UnsupportedVersionError,
} from '../client/client-errors';
import { TOPIC_CONFIG_DEFS } from '../config/topic-config-defs';
import { OptionException, OptionParser, type ParsedOptions } from './command-line';
import {
  AdminCommandError,
  IllegalArgumentError,
  NumberFormatError,
  hasCollisionChars,
  parseReplicaAssignment,
  parseTopicConfigs,
} from './topic-command-support';
import { AdminTopicService, type TopicCommandRequest, type TopicService } from './topic-service-admin';
import { ZooKeeperTopicService } from './topic-service-zk';
import {
  UsageError,
  addDefaultOptions,
  checkInvalidArgs,
  checkRequiredArgs,
  kafkaExceptionClass,
  logLine,
  propertiesOption,
  runTool,
  startTool,
  toolClientLogger,
  type ToolIO,
} from './tool-support';

const TOPIC_COMMAND_LOGGER = 'org.apache.kafka.tools.TopicCommand';
const ALTER_CONFIGS_HINT = ' (To alter topic configurations, the kafka-configs tool can be used.)';
const ACTIONS = ['create', 'list', 'alter', 'describe', 'delete'] as const;
const REPORT_OPTIONS = ['under-replicated-partitions', 'under-min-isr-partitions', 'at-min-isr-partitions', 'unavailable-partitions'];

function buildParser(): OptionParser {
  const p = new OptionParser();
  p.withRequiredArg('bootstrap-server', 'REQUIRED: The Kafka server to connect to.', { describedAs: 'server to connect to' });
  p.withRequiredArg(
    'zookeeper',
    'DEPRECATED, The connection string for the zookeeper connection in the form host:port. Multiple hosts can be given to allow fail-over.',
    { describedAs: 'hosts' },
  );
  p.withRequiredArg('command-config', 'Property file containing configs to be passed to Admin Client.', {
    describedAs: 'command config property file',
  });
  p.flag('list', 'List all available topics.');
  p.flag('create', 'Create a new topic.');
  p.flag('delete', 'Delete a topic.');
  p.flag('alter', `Alter the number of partitions and replica assignment.${ALTER_CONFIGS_HINT}`);
  p.flag('describe', 'List details for the given topics.');
  p.withRequiredArg(
    'topic',
    "The topic to create, alter, describe or delete. It also accepts a regular expression, except for --create option. Put topic name in double quotes and use the '\\' prefix to escape regular expression symbols; e.g. \"test\\.topic\".",
    { describedAs: 'topic' },
  );
  p.withRequiredArg('topic-id', 'The topic-id to describe.', { describedAs: 'topic-id' });
  const names = TOPIC_CONFIG_DEFS.map((d) => d.name).sort();
  p.withRequiredArg(
    'config',
    'A topic configuration override for the topic being created. The following is a list of valid configurations: \n' +
      names.map((n) => `\t${n}`).join('\n') +
      '\nSee the Kafka documentation for full details on the topic configs. It is supported only in combination with --create.' +
      ALTER_CONFIGS_HINT,
    { describedAs: 'name=value' },
  );
  p.withRequiredArg(
    'delete-config',
    'A topic configuration override to be removed for an existing topic (see the list of configurations under the --config option). Not supported with the --bootstrap-server option.',
    { describedAs: 'name' },
  );
  p.withRequiredArg(
    'partitions',
    'The number of partitions for the topic being created or altered. If not supplied with --create, the topic uses the cluster default. (WARNING: If partitions are increased for a topic that has a key, the partition logic or ordering of the messages will be affected).',
    { describedAs: '# of partitions', type: 'Integer' },
  );
  p.withRequiredArg(
    'replication-factor',
    'The replication factor for each partition in the topic being created. If not supplied, the topic uses the cluster default.',
    { describedAs: 'replication factor', type: 'Integer' },
  );
  p.withRequiredArg('replica-assignment', 'A list of manual partition-to-broker assignments for the topic being created or altered.', {
    describedAs:
      'broker_id_for_part1_replica1 : broker_id_for_part1_replica2 , broker_id_for_part2_replica1 : broker_id_for_part2_replica2 , ...',
  });
  p.flag('under-replicated-partitions', 'If set when describing topics, only show under-replicated partitions.');
  p.flag('unavailable-partitions', 'If set when describing topics, only show partitions whose leader is not available.');
  p.flag(
    'under-min-isr-partitions',
    'If set when describing topics, only show partitions whose isr count is less than the configured minimum.',
  );
  p.flag('at-min-isr-partitions', 'If set when describing topics, only show partitions whose isr count is equal to the configured minimum.');
  p.flag('topics-with-overrides', 'If set when describing topics, only show topics that have overridden configs.');
  p.flag('if-exists', 'If set when altering or deleting or describing topics, the action will only execute if the topic exists.');
  p.flag('if-not-exists', 'If set when creating topics, the action will only execute if the topic does not already exist.');
  p.flag('disable-rack-aware', 'Disable rack aware replica assignment');
  p.flag(
    'exclude-internal',
    'Exclude internal topics when listing or describing topics. By default, the internal topics are included.',
  );
  p.withRequiredArg('partition-size-limit-per-response', 'The maximum partition size to be included in one DescribeTopicPartitions response.', {
    describedAs: 'maximum number of partitions per response',
    type: 'Integer',
  });
  addDefaultOptions(p);
  return p;
}

/** TopicCommandOptions.checkArgs: exactly one action, required and incompatible options. */
function checkArgs(o: ParsedOptions): void {
  const actions = ACTIONS.filter((a) => o.has(a)).length;
  if (actions !== 1) {
    throw new UsageError('Command must include exactly one action: --list, --describe, --create, --alter or --delete');
  }
  if (o.has('bootstrap-server') === o.has('zookeeper')) {
    throw new IllegalArgumentError('Only one of --bootstrap-server or --zookeeper must be specified');
  }
  if (o.has('describe') && o.has('if-exists')) {
    if (!o.has('topic') && !o.has('topic-id')) throw new UsageError('--topic or --topic-id is required to describe a topic');
  }
  if (!o.has('list') && !o.has('describe')) checkRequiredArgs(o, ['topic']);
  if (o.has('create') && !o.has('replica-assignment') && o.has('zookeeper')) {
    checkRequiredArgs(o, ['partitions', 'replication-factor']);
  }
  if (o.has('alter') && o.has('bootstrap-server')) {
    if (o.has('config')) {
      throw new UsageError(`Option combination "[bootstrap-server, config]" can't be used with option "[alter]"${ALTER_CONFIGS_HINT}`);
    }
    checkRequiredArgs(o, ['partitions']);
  }
  const others = (keep: readonly string[]) => ACTIONS.filter((a) => !keep.includes(a));
  checkInvalidArgs(o, { used: 'config', invalid: others(['alter', 'create']) });
  checkInvalidArgs(o, { used: 'delete-config', invalid: [...others(['alter']), 'bootstrap-server'] });
  checkInvalidArgs(o, { used: 'partitions', invalid: others(['alter', 'create']) });
  checkInvalidArgs(o, { used: 'replication-factor', invalid: others(['create']) });
  checkInvalidArgs(o, { used: 'replica-assignment', invalid: others(['alter', 'create']) });
  if (o.has('create')) checkInvalidArgs(o, { used: 'replica-assignment', invalid: ['partitions', 'replication-factor'] });
  for (const report of REPORT_OPTIONS) {
    checkInvalidArgs(o, { used: report, invalid: [...others(['describe']), 'topics-with-overrides'] });
  }
  checkInvalidArgs(o, { used: 'topics-with-overrides', invalid: [...others(['describe']), ...REPORT_OPTIONS] });
  checkInvalidArgs(o, { used: 'if-exists', invalid: others(['alter', 'delete', 'describe']) });
  checkInvalidArgs(o, { used: 'if-not-exists', invalid: others(['create']) });
  checkInvalidArgs(o, { used: 'exclude-internal', invalid: others(['list', 'describe']) });
}

/** The request the services execute, from the checked options (parsing --config and --replica-assignment). */
function toRequest(o: ParsedOptions, io: ToolIO): TopicCommandRequest {
  const raw = o.valueOf('replica-assignment');
  const configs = o.has('create') || o.has('alter') ? parseTopicConfigs(o.valuesOf('config')) : {};
  if (configs['message.format.version'] !== undefined) {
    io.out(
      `WARNING: The configuration message.format.version=${configs['message.format.version']} is specified. This configuration will be ignored if the version is newer than the inter.broker.protocol.version specified in the broker or if the inter.broker.protocol.version is 3.0 or newer. This configuration is deprecated and it will be removed in Apache Kafka 4.0.\n`,
    );
  }
  return {
    topic: o.valueOf('topic'),
    topicId: o.valueOf('topic-id'),
    partitions: o.numberOf('partitions'),
    replicationFactor: o.numberOf('replication-factor'),
    replicaAssignment: raw !== undefined && raw !== '' ? parseReplicaAssignment(raw) : undefined,
    configs,
    ifExists: o.has('if-exists'),
    ifNotExists: o.has('if-not-exists'),
    excludeInternal: o.has('exclude-internal'),
    disableRackAware: o.has('disable-rack-aware'),
    deleteConfigs: o.valuesOf('delete-config').map((s) => s.trim()),
    filters: {
      underReplicated: o.has('under-replicated-partitions'),
      unavailable: o.has('unavailable-partitions'),
      underMinIsr: o.has('under-min-isr-partitions'),
      atMinIsr: o.has('at-min-isr-partitions'),
      topicsWithOverrides: o.has('topics-with-overrides'),
    },
  };
}

/** The Java exception class Kafka's tool would name for an error. */
function javaClassOf(err: unknown): string {
  if (err instanceof IllegalArgumentError) return 'java.lang.IllegalArgumentException';
  if (err instanceof NumberFormatError) return 'java.lang.NumberFormatException';
  if (err instanceof AdminCommandError) return err.javaClass;
  if (err instanceof KafkaResponseError) return kafkaExceptionClass(err.code, err.errorName);
  if (err instanceof KafkaError) return kafkaExceptionClass(err.code);
  if (err instanceof OperationTimeoutError || err instanceof KafkaConnectionError) {
    return 'org.apache.kafka.common.errors.TimeoutException';
  }
  if (err instanceof UnsupportedVersionError) return 'org.apache.kafka.common.errors.UnsupportedVersionException';
  if (err instanceof KafkaClientError) return 'org.apache.kafka.common.KafkaException';
  if (err instanceof Error && err.name === 'AdminOperationError') return 'kafka.admin.AdminOperationException';
  if (err instanceof Error && err.name === 'ConfigException') return 'org.apache.kafka.common.config.ConfigException';
  if (err instanceof SyntaxError) return 'java.util.regex.PatternSyntaxException';
  return 'org.apache.kafka.common.KafkaException';
}

/** The message Kafka's tool prints for an error (a client that never reached a broker times out). */
function messageOf(err: unknown, operation: string): string {
  if (err instanceof OperationTimeoutError || err instanceof BootstrapError) {
    const cause = err instanceof OperationTimeoutError ? (err.cause as unknown) : err;
    if (cause instanceof BootstrapError || cause instanceof KafkaConnectionError) {
      return `Timed out waiting for a node assignment. Call: ${operation}`;
    }
  }
  return err instanceof Error ? err.message : String(err);
}

/** TopicCommand.printException: the message on stdout, the exception logged at ERROR on stderr. */
function printException(io: ToolIO, err: unknown, operation: string): void {
  const message = messageOf(err, operation);
  io.out(`Error while executing topic command : ${message}\n`);
  io.err(logLine('ERROR', `${javaClassOf(err)}: ${message}\n`, { logger: TOPIC_COMMAND_LOGGER }));
}

/** Runs kafka-topics with `args`; resolves with the exit code. */
export async function kafkaTopicsMain(args: string[], io: ToolIO): Promise<number> {
  const parser = buildParser();
  const options = startTool(parser, args, {
    io,
    help: 'This tool helps to create, delete, describe, or change a topic.',
    noArgs: 'Create, delete, describe, or change a topic.',
    check: checkArgs,
    messageOnly: (err) => err instanceof IllegalArgumentError || err instanceof OptionException,
  });
  if (typeof options === 'number') return options;

  const action = ACTIONS.find((a) => options.has(a))!;
  const operation = { create: 'createTopics', list: 'listTopics', alter: 'createPartitions', describe: 'describeTopics', delete: 'deleteTopics' }[action];
  let service: TopicService | undefined;
  try {
    const commandConfig = propertiesOption(options, 'command-config');
    const request = toRequest(options, io);
    service = options.has('zookeeper')
      ? await ZooKeeperTopicService.connect(io, options.valueOf('zookeeper')!)
      : new AdminTopicService(io, {
          bootstrapServers: options.valueOf('bootstrap-server')!,
          commandConfig,
          logger: toolClientLogger(io, 'org.apache.kafka.clients.NetworkClient'),
        });
    switch (action) {
      case 'create':
        if (hasCollisionChars(request.topic!)) {
          io.out(
            "WARNING: Due to limitations in metric names, topics with a period ('.') or underscore ('_') could collide. To avoid issues it is best to use either, but not both.\n",
          );
        }
        await service.createTopic(request);
        break;
      case 'list':
        await service.listTopics(request);
        break;
      case 'alter':
        await service.alterTopic(request);
        break;
      case 'describe':
        await service.describeTopic(request);
        break;
      case 'delete':
        await service.deleteTopic(request);
        break;
    }
    return 0;
  } catch (err) {
    printException(io, err, operation);
    return 1;
  } finally {
    await service?.close().catch(() => undefined);
  }
}

if (require.main === module) runTool((args, io) => kafkaTopicsMain(args, io));
