/**
 * kafka-configs.sh: Kafka 3.9's ConfigCommand for topic and broker configs.
 *
 * - `--bootstrap-server` (kafka-configs-admin.ts): describe through DescribeConfigs (dynamic configs, or
 *   every config with `--all`); alter topics through IncrementalAlterConfigs (SET / DELETE) and brokers
 *   (one broker, or the cluster default with `--entity-default` / `--broker-defaults`) through AlterConfigs
 *   with the whole new set of dynamic configs, as Kafka's tool does.
 * - `--zookeeper` (kafka-configs-zk.ts): reads and writes `/config/<type>/<entity>` plus a change
 *   notification directly. As in Kafka 3.9, broker configs only while the brokers concerned are down; topic
 *   configs as Kafka 2.x's tool could (3.9 accepts only users and brokers here).
 *
 * Options, checks, messages and output lines are Kafka's: usage problems print the message and the option
 * table on stderr; IllegalArgumentException-style errors print just the message on stderr; anything else
 * prints "Error while executing config command with args '...'" and the exception. All exit 1. Other
 * entity types (clients, users, ips, broker-loggers, client-metrics) are refused by the argument checks:
 * ts-kafka has no quotas, SCRAM credentials or runtime log levels to configure.
 */
import { InvalidConfigurationError } from '../common/kafka-error';
import { KafkaResponseError, OperationTimeoutError } from '../client/client-errors';
import { BROKER_CONFIG_DEFS } from '../config/broker-config-defs';
import { DynamicMode } from '../config/config-def';
import { ConfigException } from '../config/config-exception';
import { loadPropertiesFile } from '../config/properties';
import { TOPIC_CONFIG_DEFS } from '../config/topic-config-defs';
import { OptionException, OptionParser, type ParsedOptions } from './command-line';
import { AdminConfigService } from './kafka-configs-admin';
import { ZooKeeperConfigService } from './kafka-configs-zk';
import { IllegalArgumentError } from './topic-command-support';
import {
  KAFKA_VERSION,
  UsageError,
  addDefaultOptions,
  checkInvalidArgs,
  kafkaExceptionClass,
  printUsage,
  propertiesOption,
  runTool,
  toolClientLogger,
  type ToolIO,
} from './tool-support';

const HELP = 'This tool helps to manipulate and describe entity config for a topic, client, user, broker, ip or client-metrics';
const TOPICS = 'topics';
const BROKERS = 'brokers';
/** The entity types this tool configures (see the file comment). */
const SUPPORTED_TYPES = [TOPICS, BROKERS];

/** Specific entity flags and the type each stands for (Kafka's entityFlags, then entityDefaultsFlags). */
const ENTITY_FLAGS: ReadonlyArray<[string, string]> = [
  ['topic', TOPICS], ['client', 'clients'], ['user', 'users'], ['broker', BROKERS], ['broker-logger', 'broker-loggers'], ['ip', 'ips'],
];
const ENTITY_DEFAULT_FLAGS: ReadonlyArray<[string, string]> = [
  ['client-defaults', 'clients'], ['user-defaults', 'users'], ['broker-defaults', BROKERS], ['ip-defaults', 'ips'],
];

function list(names: readonly string[]): string {
  return `\n${names.map((n) => `\t${n}`).join('\n')}\n`;
}

function buildParser(): OptionParser {
  const p = new OptionParser();
  p.withRequiredArg(
    'zookeeper',
    'DEPRECATED. The connection string for the zookeeper connection in the form host:port. Multiple URLS can be given to allow fail-over. Required when configuring SCRAM credentials for users or dynamic broker configs when the relevant broker(s) are down. Not allowed otherwise.',
    { describedAs: 'urls' },
  );
  p.withRequiredArg('bootstrap-server', 'The Kafka servers to connect to.', { describedAs: 'server to connect to' });
  p.withRequiredArg('bootstrap-controller', 'The Kafka controllers to connect to.', { describedAs: 'controller to connect to' });
  p.withRequiredArg(
    'command-config',
    'Property file containing configs to be passed to Admin Client. This is used only with --bootstrap-server option for describing and altering broker configs.',
    { describedAs: 'command config property file' },
  );
  p.flag('alter', 'Alter the configuration for the entity.');
  p.flag('describe', 'List configs for the given entity.');
  p.flag('all', 'List all configs for the given topic, broker, or broker-logger entity (includes static configuration when the entity type is brokers)');
  p.withRequiredArg('entity-type', 'Type of entity (topics/clients/users/brokers/broker-loggers/ips/client-metrics)');
  p.withRequiredArg('entity-name', 'Name of entity (topic name/client id/user principal name/broker id/ip/client metrics)');
  p.flag('entity-default', 'Default entity name for clients/users/brokers/ips (applies to corresponding entity type in command line)');
  const brokerNames = [
    ...BROKER_CONFIG_DEFS.filter((d) => d.dynamic !== DynamicMode.READ_ONLY && !d.internal).map((d) => d.name),
    'follower.replication.throttled.rate', 'leader.replication.throttled.rate', 'replica.alter.log.dirs.io.max.bytes.per.second',
  ].sort();
  const quotas = ['consumer_byte_rate', 'controller_mutation_rate', 'producer_byte_rate', 'request_percentage'];
  p.withRequiredArg(
    'add-config',
    "Key Value pairs of configs to add. Square brackets can be used to group values which contain commas: 'k1=v1,k2=[v1,v2,v2],k3=v3'. The following is a list of valid configurations: " +
      `For entity-type '${TOPICS}': ${list(TOPIC_CONFIG_DEFS.map((d) => d.name).sort())}` +
      `For entity-type '${BROKERS}': ${list(brokerNames)}` +
      `For entity-type 'users': ${list(['SCRAM-SHA-256', 'SCRAM-SHA-512', ...quotas])}` +
      `For entity-type 'clients': ${list(quotas)}` +
      `For entity-type 'ips': ${list(['connection_creation_rate'])}` +
      `For entity-type 'client-metrics': ${list(['interval.ms', 'match', 'metrics'])}` +
      "Entity types 'users' and 'clients' may be specified together to update config for clients of a specific user.",
  );
  p.withRequiredArg('add-config-file', 'Path to a properties file with configs to add. See add-config for a list of valid configurations.');
  p.withRequiredArg('delete-config', "config keys to remove 'k1,k2'");
  p.flag('force', 'Suppress console prompts');
  p.withRequiredArg('topic', "The topic's name.");
  p.withRequiredArg('client', "The client's ID.");
  p.flag('client-defaults', 'The config defaults for all clients.');
  p.withRequiredArg('user', "The user's principal name.");
  p.flag('user-defaults', 'The config defaults for all users.');
  p.withRequiredArg('broker', "The broker's ID.");
  p.flag('broker-defaults', 'The config defaults for all brokers.');
  p.withRequiredArg('broker-logger', "The broker's ID for its logger config.");
  p.flag('ip-defaults', 'The config defaults for all IPs.');
  p.withRequiredArg('ip', 'The IP address.');
  addDefaultOptions(p);
  return p;
}

/** The entity types named on the command line (ConfigCommandOptions.entityTypes). */
export function entityTypesOf(o: ParsedOptions): string[] {
  return [...o.valuesOf('entity-type'), ...[...ENTITY_FLAGS, ...ENTITY_DEFAULT_FLAGS].filter(([flag]) => o.has(flag)).map(([, type]) => type)];
}

/** The entity names (`""` for a default entity), in command-line order (ConfigCommandOptions.entityNames). */
export function entityNamesOf(o: ParsedOptions): string[] {
  const names = o.valuesOf('entity-name');
  const generic = o.given
    .filter((g) => g === 'entity-name' || g === 'entity-default')
    .flatMap((g) => (g === 'entity-name' ? names : ['']));
  return [
    ...generic,
    ...ENTITY_FLAGS.filter(([flag]) => o.has(flag)).map(([flag]) => o.valueOf(flag)!),
    ...ENTITY_DEFAULT_FLAGS.filter(([flag]) => o.has(flag)).map(() => ''),
  ];
}

/** ConfigCommandOptions.checkArgs. */
function checkArgs(o: ParsedOptions): void {
  const actions = ['alter', 'describe'].filter((a) => o.has(a)).length;
  if (actions !== 1) throw new UsageError('Command must include exactly one action: --describe, --alter');
  checkInvalidArgs(o, { used: 'alter', invalid: ['describe'] });
  checkInvalidArgs(o, { used: 'describe', invalid: ['alter', 'add-config', 'delete-config'] });
  const types = entityTypesOf(o);
  const duplicates = types.filter((t, i) => types.indexOf(t) !== i);
  if (duplicates.length > 0) throw new IllegalArgumentError(`Duplicate entity type(s) specified: ${[...new Set(duplicates)].join(',')}`);
  const connect = o.has('bootstrap-server') || o.has('bootstrap-controller') ? '--bootstrap-server' : '--zookeeper';
  for (const t of types) {
    if (!SUPPORTED_TYPES.includes(t)) {
      throw new IllegalArgumentError(`Invalid entity type ${t}, the entity type must be one of ${SUPPORTED_TYPES.join(', ')} with a ${connect} argument`);
    }
  }
  if (types.length === 0) throw new IllegalArgumentError('At least one entity type must be specified');
  if (types.length > 1) throw new IllegalArgumentError("Only 'users' and 'clients' entity types may be specified together");
  const specific = [...ENTITY_FLAGS, ...ENTITY_DEFAULT_FLAGS].some(([flag]) => o.has(flag));
  if ((o.has('entity-name') || o.has('entity-type') || o.has('entity-default')) && specific) {
    throw new IllegalArgumentError('--entity-{type,name,default} should not be used in conjunction with specific entity flags');
  }
  const names = entityNamesOf(o);
  const hasEntityName = names.some((n) => n !== '');
  const hasEntityDefault = names.some((n) => n === '');
  const connectOptions = ['bootstrap-server', 'bootstrap-controller', 'zookeeper'].filter((c) => o.has(c)).length;
  if (connectOptions === 0) {
    throw new IllegalArgumentError('One of the required --bootstrap-server, --boostrap-controller, or --zookeeper arguments must be specified');
  }
  if (connectOptions > 1) throw new IllegalArgumentError('Only one of --bootstrap-server, --boostrap-controller, and --zookeeper can be specified');
  if (o.has('bootstrap-controller')) {
    throw new IllegalArgumentError('--bootstrap-controller is not supported: this cluster runs in ZooKeeper mode and has no KRaft controllers');
  }
  if (o.has('all') && o.has('zookeeper')) throw new IllegalArgumentError('--bootstrap-server must be specified for --all');
  if (hasEntityName && types.includes(BROKERS)) {
    for (const id of ['entity-name', 'broker'].filter((f) => o.has(f)).map((f) => o.valueOf(f)!)) {
      if (!/^[+-]?\d+$/.test(id) || Math.abs(Number(id)) >= 2 ** 31) {
        throw new IllegalArgumentError(`The entity name for ${types[0]} must be a valid integer broker id, but it is: ${id}`);
      }
    }
  }
  if (o.has('alter')) {
    if (types.includes(BROKERS)) {
      if (!hasEntityName && !hasEntityDefault) {
        throw new IllegalArgumentError('an entity-name or default entity must be specified with --alter of users, clients, brokers or ips');
      }
    } else if (!hasEntityName) {
      throw new IllegalArgumentError(`an entity name must be specified with --alter of ${types.join(',')}`);
    }
    if (o.has('add-config') && o.has('add-config-file')) throw new IllegalArgumentError('Only one of --add-config or --add-config-file must be specified');
    if (!o.has('add-config') && !o.has('add-config-file') && !o.has('delete-config')) {
      throw new IllegalArgumentError('At least one of --add-config, --add-config-file, or --delete-config must be specified with --alter');
    }
  }
}

/**
 * `--add-config k1=v1,k2=[a,b]` (and `--add-config-file`) as Kafka parses them: pairs split at commas outside
 * square brackets, keys and values trimmed, brackets removed from values.
 */
export function parseConfigsToBeAdded(o: ParsedOptions, io: ToolIO): Record<string, string> {
  const props: Record<string, string> = {};
  if (o.has('add-config-file')) Object.assign(props, loadPropertiesFile(o.valueOf('add-config-file')!));
  if (o.has('add-config')) {
    const outsideBrackets = '(?=[^\\]]*(?:\\[|$))';
    const pairs = o.valueOf('add-config')!.split(new RegExp(`,${outsideBrackets}`)).map((kv) => kv.split(new RegExp(`\\s*=\\s*${outsideBrackets}`)));
    if (!pairs.every((p) => p.length === 2)) {
      throw new IllegalArgumentError('requirement failed: Invalid entity config: all configs to be added must be in the format "key=val".');
    }
    for (const [k, v] of pairs) props[k!.trim()] = v!.replace(/\[?\]?/g, '').trim();
  }
  if (props['message.format.version'] !== undefined) {
    io.out(
      `WARNING: The configuration message.format.version=${props['message.format.version']} is specified. This configuration will be ignored if the version is newer than the inter.broker.protocol.version specified in the broker or if the inter.broker.protocol.version is 3.0 or newer. This configuration is deprecated and it will be removed in Apache Kafka 4.0.\n`,
    );
  }
  for (const key of Object.keys(props)) {
    if (!/^[a-zA-Z0-9._-]*$/.test(key)) throw new IllegalArgumentError(`Invalid character found for config key: ${key}`);
  }
  return props;
}

/** `--delete-config k1,k2` (the option may be repeated). */
export function parseConfigsToBeDeleted(o: ParsedOptions): string[] {
  return o.valuesOf('delete-config').flatMap((v) => v.split(',')).map((k) => k.trim());
}

/** How Kafka's tool prints an unexpected exception: the class and message, then its cause. */
function describeException(err: unknown): string {
  if (err instanceof KafkaResponseError) {
    const cause = `${kafkaExceptionClass(err.code, err.errorName)}: ${err.message}`;
    return `java.util.concurrent.ExecutionException: ${cause}\nCaused by: ${cause}\n`;
  }
  if (err instanceof OperationTimeoutError) return 'java.util.concurrent.TimeoutException\n';
  if (err instanceof ConfigException) return `org.apache.kafka.common.config.ConfigException: ${err.message}\n`;
  if (err instanceof Error && 'code' in err && typeof (err as { code: unknown }).code === 'number') {
    return `${kafkaExceptionClass((err as { code: number }).code)}: ${err.message}\n`;
  }
  return `org.apache.kafka.common.KafkaException: ${err instanceof Error ? err.message : String(err)}\n`;
}

/** Runs kafka-configs with `args`; resolves with the exit code. */
export async function kafkaConfigsMain(args: string[], io: ToolIO): Promise<number> {
  const parser = buildParser();
  let service: AdminConfigService | ZooKeeperConfigService | undefined;
  try {
    const options = parser.parse(args);
    if (args.length === 0 || options.has('help')) throw new UsageError(HELP);
    if (options.has('version')) {
      io.out(`${KAFKA_VERSION}\n`);
      return 0;
    }
    checkArgs(options);
    const types = entityTypesOf(options);
    const names = entityNamesOf(options);
    if (options.has('zookeeper')) {
      io.out('Warning: --zookeeper is deprecated and will be removed in a future version of Kafka.\n');
      io.out('Use --bootstrap-server instead to specify a broker to connect to.\n');
      service = await ZooKeeperConfigService.connect(io, options.valueOf('zookeeper')!);
      if (options.has('alter')) {
        await service.alterConfig(types[0]!, names[0] ?? '', parseConfigsToBeAdded(options, io), parseConfigsToBeDeleted(options));
      } else {
        await service.describeConfig(types[0]!, names[0]);
      }
      return 0;
    }
    const commandConfig = propertiesOption(options, 'command-config');
    service = new AdminConfigService(io, {
      bootstrapServers: options.valueOf('bootstrap-server')!,
      commandConfig,
      logger: toolClientLogger(io, 'org.apache.kafka.clients.NetworkClient'),
    });
    if (options.has('alter')) {
      if (types.length !== names.length) throw new IllegalArgumentError('An entity name must be specified for every entity type');
      await service.alterConfig(types[0]!, names[0]!, parseConfigsToBeAdded(options, io), parseConfigsToBeDeleted(options));
    } else {
      await service.describeConfig(types[0]!, names[0], options.has('all'));
    }
    return 0;
  } catch (err) {
    if (err instanceof UsageError) {
      printUsage(io, { parser, message: err.message });
      return 1;
    }
    const messageOnly =
      err instanceof IllegalArgumentError ||
      err instanceof OptionException ||
      (err instanceof InvalidConfigurationError && !(err instanceof ConfigException));
    if (messageOnly) {
      io.err(`${(err as Error).message}\n`);
      return 1;
    }
    io.err(`Error while executing config command with args '${args.join(' ')}'\n`);
    io.err(describeException(err));
    return 1;
  } finally {
    await service?.close().catch(() => undefined);
  }
}

if (require.main === module) runTool((args, io) => kafkaConfigsMain(args, io));
