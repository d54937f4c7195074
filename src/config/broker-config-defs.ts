/**
 * The broker configuration table: every broker property ts-kafka knows, with Kafka 3.9's name, type,
 * default, validator, importance and dynamic update mode (ZooKeeper-mode Kafka 3.9, see
 * kafka_config.html of that release). KafkaConfig, DescribeConfigs and the dynamic-config layer are
 * all driven by this one table.
 */
import {
  atLeast, customValidator, DynamicMode, Importance, metadataVersionValidator, range, validList, validString,
  type ConfigDefinition, type Validator,
} from './config-def';
import { ConfigType } from './config-types';

/** A broker config definition: a ConfigDefinition plus its dynamic update mode. */
export interface BrokerConfigDefinition extends ConfigDefinition {
  dynamic: DynamicMode;
}

const { BOOLEAN, STRING, INT, SHORT, LONG, DOUBLE, LIST, PASSWORD } = ConfigType;
const { HIGH, MEDIUM, LOW } = Importance;
const { READ_ONLY: ro, PER_BROKER: pb, CLUSTER_WIDE: cw } = DynamicMode;
const LONG_MAX = '9223372036854775807';
const INT_MAX = '2147483647';

/** Codecs a broker (or topic) may store: `producer` keeps the producer's codec. */
export const BROKER_COMPRESSION_TYPES = ['uncompressed', 'zstd', 'lz4', 'snappy', 'gzip', 'producer'] as const;

/** Kafka's GzipCompression.LevelValidator: 1..9, or -1 for zlib's default. */
export const gzipLevelValidator: Validator = customValidator('[1,...,9] or -1', (value) =>
  typeof value === 'number' && (value > 9 || (value < 1 && value !== -1)) ? 'Value must be between 1 and 9 or equal to -1' : null,
);
/** Kafka's Lz4Compression level range. */
export const lz4LevelValidator: Validator = range(1, 17);
/** Kafka's ZstdCompression level range (zstd's minimum negative level to its maximum). */
export const zstdLevelValidator: Validator = range(-131072, 22);

function row(
  name: string, type: ConfigType, dflt: string | null, dynamic: DynamicMode, importance: Importance, doc: string,
  validator?: Validator, internal?: boolean,
): BrokerConfigDefinition {
  return { name, type, default: dflt, dynamic, importance, doc, validator, internal };
}

/** Every broker property, in Kafka's groups. */
export const BROKER_CONFIG_DEFS: readonly BrokerConfigDefinition[] = [
  // Identity, listeners, ZooKeeper
  row('broker.id', INT, '-1', ro, HIGH, 'The broker id. -1 uses the id in meta.properties, or generates one from ZooKeeper.'),
  row('broker.id.generation.enable', BOOLEAN, 'true', ro, MEDIUM, 'Allow generating a broker id from /brokers/seqid when broker.id is -1.'),
  row('reserved.broker.max.id', INT, '1000', ro, MEDIUM, 'Generated broker ids start above this value.', atLeast(0)),
  row('broker.rack', STRING, null, ro, MEDIUM, 'Rack of the broker, used for rack-aware replica assignment and follower fetching.'),
  row('listeners', STRING, 'PLAINTEXT://:9092', pb, HIGH, 'Comma-separated NAME://host:port addresses to listen on. An empty host binds the default interface.'),
  row('advertised.listeners', STRING, null, pb, HIGH, 'Listeners published in ZooKeeper for clients and other brokers; defaults to listeners.'),
  row('listener.security.protocol.map', STRING, 'SASL_SSL:SASL_SSL,PLAINTEXT:PLAINTEXT,SSL:SSL,SASL_PLAINTEXT:SASL_PLAINTEXT', pb, LOW, 'Map from listener name to security protocol.'),
  row('inter.broker.listener.name', STRING, null, ro, MEDIUM, 'Listener used between brokers; if unset, the listener named by security.inter.broker.protocol.'),
  row('security.inter.broker.protocol', STRING, 'PLAINTEXT', ro, MEDIUM, 'Security protocol between brokers. Cannot be set together with inter.broker.listener.name.', validString('PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL')),
  row('control.plane.listener.name', STRING, null, ro, HIGH, 'Optional dedicated listener for controller-to-broker requests.'),
  row('inter.broker.protocol.version', STRING, '3.9-IV0', ro, MEDIUM, 'Inter-broker protocol version: selects inter-broker request versions and ZooKeeper formats.', metadataVersionValidator),
  row('log.message.format.version', STRING, '3.0-IV1', ro, MEDIUM, 'Deprecated; ignored when inter.broker.protocol.version is 3.0 or higher.', metadataVersionValidator),
  row('zookeeper.connect', STRING, null, ro, HIGH, 'ZooKeeper connection string host:port[,host:port...][/chroot].'),
  row('zookeeper.session.timeout.ms', INT, '18000', ro, HIGH, 'ZooKeeper session timeout.'),
  row('zookeeper.connection.timeout.ms', INT, null, ro, HIGH, 'Maximum time to wait for a ZooKeeper connection; defaults to the session timeout.'),
  row('zookeeper.max.in.flight.requests', INT, '10', ro, HIGH, 'Unacknowledged requests the ZooKeeper client sends before blocking.', atLeast(1)),
  row('zookeeper.set.acl', BOOLEAN, 'false', ro, HIGH, 'Create znodes with secure ACLs.'),
  row('zookeeper.metadata.migration.enable', BOOLEAN, 'false', ro, HIGH, 'ZooKeeper to KRaft migration mode; must stay false.'),
  row('process.roles', LIST, '', ro, HIGH, 'KRaft roles; must be empty, which selects ZooKeeper mode.', validList('broker', 'controller')),
  row('unstable.api.versions.enable', BOOLEAN, 'false', ro, HIGH, 'Advertise unstable API versions.', undefined, true),

  // Topics, partitions, leadership
  row('log.dirs', STRING, null, ro, HIGH, 'Comma-separated data directories; log.dir is used when unset.'),
  row('log.dir', STRING, '/tmp/kafka-logs', ro, HIGH, 'The data directory used when log.dirs is unset.'),
  row('num.partitions', INT, '1', ro, MEDIUM, 'Default number of partitions of auto-created topics.', atLeast(1)),
  row('default.replication.factor', INT, '1', ro, MEDIUM, 'Default replication factor of auto-created topics.'),
  row('auto.create.topics.enable', BOOLEAN, 'true', ro, HIGH, 'Create topics named in metadata requests that do not exist.'),
  row('delete.topic.enable', BOOLEAN, 'true', ro, HIGH, 'Allow deleting topics; if false, deletion requests are ignored.'),
  row('min.insync.replicas', INT, '1', cw, HIGH, 'Minimum in-sync replicas for acks=all produce requests to succeed.', atLeast(1)),
  row('unclean.leader.election.enable', BOOLEAN, 'false', cw, HIGH, 'Allow electing an out-of-sync replica as leader as a last resort (may lose data).'),
  row('auto.leader.rebalance.enable', BOOLEAN, 'true', ro, HIGH, 'Periodically move leadership back to preferred replicas.'),
  row('leader.imbalance.check.interval.seconds', LONG, '300', ro, HIGH, 'How often the controller checks for leader imbalance.', atLeast(1)),
  row('leader.imbalance.per.broker.percentage', INT, '10', ro, HIGH, 'Leader imbalance per broker (percent) that triggers a rebalance.'),
  row('controlled.shutdown.enable', BOOLEAN, 'true', ro, MEDIUM, 'Move leadership off the broker before it shuts down.'),
  row('controlled.shutdown.max.retries', INT, '3', ro, MEDIUM, 'Controlled shutdown attempts.'),
  row('controlled.shutdown.retry.backoff.ms', LONG, '5000', ro, MEDIUM, 'Wait between controlled shutdown attempts.'),
  row('controller.socket.timeout.ms', INT, '30000', ro, MEDIUM, 'Socket timeout of controller-to-broker channels.'),

  // Replication
  row('replica.lag.time.max.ms', LONG, '30000', ro, HIGH, 'A follower not caught up for this long is removed from the ISR.'),
  row('replica.fetch.max.bytes', INT, '1048576', ro, MEDIUM, 'Bytes per partition a follower fetch asks for.', atLeast(0)),
  row('replica.fetch.min.bytes', INT, '1', ro, HIGH, 'Minimum bytes of a follower fetch response.'),
  row('replica.fetch.wait.max.ms', INT, '500', ro, HIGH, 'Maximum wait of a follower fetch.'),
  row('replica.fetch.backoff.ms', INT, '1000', ro, MEDIUM, 'Sleep after a follower fetch error.', atLeast(0)),
  row('replica.fetch.response.max.bytes', INT, '10485760', ro, MEDIUM, 'Maximum bytes of a whole follower fetch response.', atLeast(0)),
  row('replica.socket.timeout.ms', INT, '30000', ro, HIGH, 'Socket timeout of follower fetches.'),
  row('replica.socket.receive.buffer.bytes', INT, '65536', ro, HIGH, 'Socket receive buffer of follower fetches.'),
  row('replica.high.watermark.checkpoint.interval.ms', LONG, '5000', ro, HIGH, 'How often high watermarks are checkpointed to disk.'),
  row('num.replica.fetchers', INT, '1', cw, HIGH, 'Fetchers per source broker.'),
  row('num.replica.alter.log.dirs.threads', INT, null, ro, HIGH, 'Threads moving replicas between log directories; defaults to the number of log directories.'),
  row('replica.selector.class', STRING, null, ro, MEDIUM, 'Preferred read replica selector (KIP-392); unset means always the leader.'),

  // Log segments, retention, cleaning, flushing
  row('log.segment.bytes', INT, '1073741824', cw, HIGH, 'Maximum size of a log segment.', atLeast(14)),
  row('log.roll.ms', LONG, null, cw, HIGH, 'Roll a new segment after this time; overrides log.roll.hours.'),
  row('log.roll.hours', INT, '168', ro, HIGH, 'Roll a new segment after this many hours.', atLeast(1)),
  row('log.roll.jitter.ms', LONG, null, cw, HIGH, 'Maximum jitter subtracted from the roll time; overrides log.roll.jitter.hours.'),
  row('log.roll.jitter.hours', INT, '0', ro, HIGH, 'Maximum roll jitter in hours.', atLeast(0)),
  row('log.retention.ms', LONG, null, cw, HIGH, 'Time to keep a segment; -1 is unlimited. Overrides log.retention.minutes and log.retention.hours.'),
  row('log.retention.minutes', INT, null, ro, HIGH, 'Time to keep a segment in minutes; overrides log.retention.hours.'),
  row('log.retention.hours', INT, '168', ro, HIGH, 'Time to keep a segment in hours.'),
  row('log.retention.bytes', LONG, '-1', cw, HIGH, 'Maximum size of a partition before old segments are deleted; -1 is unlimited.'),
  row('log.retention.check.interval.ms', LONG, '300000', ro, MEDIUM, 'How often segments are checked for deletion.', atLeast(1)),
  row('log.segment.delete.delay.ms', LONG, '60000', cw, HIGH, 'Delay before a deleted segment is removed from disk.', atLeast(0)),
  row('log.cleanup.policy', LIST, 'delete', cw, MEDIUM, 'Default cleanup policy: delete, compact or both.', validList('compact', 'delete')),
  row('log.cleaner.enable', BOOLEAN, 'true', ro, MEDIUM, 'Run the log cleaner (needed for compacted topics such as __consumer_offsets).'),
  row('log.cleaner.threads', INT, '1', cw, MEDIUM, 'Log cleaner threads.', atLeast(0)),
  row('log.cleaner.dedupe.buffer.size', LONG, '134217728', cw, MEDIUM, 'Memory for deduplication across all cleaner threads.'),
  row('log.cleaner.io.buffer.size', INT, '524288', cw, MEDIUM, 'I/O buffer memory across all cleaner threads.', atLeast(0)),
  row('log.cleaner.io.buffer.load.factor', DOUBLE, '0.9', cw, MEDIUM, 'Load factor of the cleaner deduplication map.'),
  row('log.cleaner.io.max.bytes.per.second', DOUBLE, '1.7976931348623157E308', cw, MEDIUM, 'Cleaner I/O throttle.'),
  row('log.cleaner.backoff.ms', LONG, '15000', cw, MEDIUM, 'Cleaner sleep when there is nothing to clean.', atLeast(0)),
  row('log.cleaner.min.cleanable.ratio', DOUBLE, '0.5', cw, MEDIUM, 'Minimum dirty ratio for a log to be cleaned.', range(0, 1)),
  row('log.cleaner.min.compaction.lag.ms', LONG, '0', cw, MEDIUM, 'Minimum time a message stays uncompacted.', atLeast(0)),
  row('log.cleaner.max.compaction.lag.ms', LONG, LONG_MAX, cw, MEDIUM, 'Maximum time a message stays ineligible for compaction.', atLeast(1)),
  row('log.cleaner.delete.retention.ms', LONG, '86400000', cw, MEDIUM, 'How long tombstones and transaction markers are kept after cleaning.', atLeast(0)),
  row('log.index.interval.bytes', INT, '4096', cw, MEDIUM, 'Bytes between offset index entries.', atLeast(0)),
  row('log.index.size.max.bytes', INT, '10485760', cw, MEDIUM, 'Maximum size of an offset or time index.', atLeast(4)),
  row('log.flush.interval.messages', LONG, LONG_MAX, cw, HIGH, 'Messages accumulated before a flush to disk.', atLeast(1)),
  row('log.flush.interval.ms', LONG, null, cw, HIGH, 'Maximum time data stays unflushed; defaults to log.flush.scheduler.interval.ms.'),
  row('log.flush.scheduler.interval.ms', LONG, LONG_MAX, ro, HIGH, 'How often the flusher checks whether logs need flushing.'),
  row('log.flush.offset.checkpoint.interval.ms', INT, '60000', ro, HIGH, 'How often the recovery point is checkpointed.', atLeast(0)),
  row('log.flush.start.offset.checkpoint.interval.ms', INT, '60000', ro, HIGH, 'How often log start offsets are checkpointed.', atLeast(0)),
  row('log.preallocate', BOOLEAN, 'false', cw, MEDIUM, 'Preallocate segment files.'),
  row('num.recovery.threads.per.data.dir', INT, '1', cw, HIGH, 'Threads per data directory for recovery at startup and flushing at shutdown.', atLeast(1)),
  row('log.initial.task.delay.ms', LONG, '30000', ro, LOW, 'Delay before the first retention, flush and checkpoint tasks run.', atLeast(0), true),
  row('log.local.retention.ms', LONG, '-2', cw, MEDIUM, 'Local retention time with tiered storage; -2 follows log.retention.ms.', atLeast(-2)),
  row('log.local.retention.bytes', LONG, '-2', cw, MEDIUM, 'Local retention size with tiered storage; -2 follows log.retention.bytes.', atLeast(-2)),
  row('remote.log.storage.system.enable', BOOLEAN, 'false', ro, MEDIUM, 'Enable tiered storage.'),

  // Messages and produce
  row('message.max.bytes', INT, '1048588', cw, HIGH, 'Largest record batch size accepted.', atLeast(0)),
  row('compression.type', STRING, 'producer', cw, HIGH, 'Final compression of data on disk; producer keeps the producer codec.', validString(...BROKER_COMPRESSION_TYPES)),
  row('compression.gzip.level', INT, '-1', cw, MEDIUM, 'Gzip level used when the broker recompresses.', gzipLevelValidator),
  row('compression.lz4.level', INT, '9', cw, MEDIUM, 'LZ4 level used when the broker recompresses.', lz4LevelValidator),
  row('compression.zstd.level', INT, '3', cw, MEDIUM, 'Zstd level used when the broker recompresses.', zstdLevelValidator),
  row('log.message.timestamp.type', STRING, 'CreateTime', cw, MEDIUM, 'CreateTime keeps producer timestamps, LogAppendTime replaces them with broker time.', validString('CreateTime', 'LogAppendTime')),
  row('log.message.timestamp.before.max.ms', LONG, LONG_MAX, cw, MEDIUM, 'Reject CreateTime timestamps older than the broker time minus this.', atLeast(0)),
  row('log.message.timestamp.after.max.ms', LONG, LONG_MAX, cw, MEDIUM, 'Reject CreateTime timestamps newer than the broker time plus this.', atLeast(0)),
  row('log.message.timestamp.difference.max.ms', LONG, LONG_MAX, cw, MEDIUM, 'Deprecated: maximum difference between a CreateTime timestamp and the broker time.', atLeast(0)),
  row('log.message.downconversion.enable', BOOLEAN, 'true', cw, LOW, 'Allow down-converting batches for old fetchers.'),
  row('producer.id.expiration.ms', INT, '86400000', cw, LOW, 'Forget an idle producer id after this long.', atLeast(1)),
  row('producer.id.expiration.check.interval.ms', INT, '600000', ro, LOW, 'How often idle producer ids are looked for.', atLeast(1), true),
  row('transaction.partition.verification.enable', BOOLEAN, 'true', cw, LOW, 'Verify transactional appends with the transaction coordinator.'),

  // Consumer groups and offsets
  row('offsets.topic.num.partitions', INT, '50', ro, HIGH, 'Partitions of __consumer_offsets.', atLeast(1)),
  row('offsets.topic.replication.factor', SHORT, '3', ro, HIGH, 'Replication factor of __consumer_offsets.', atLeast(1)),
  row('offsets.topic.segment.bytes', INT, '104857600', ro, HIGH, 'Segment size of __consumer_offsets.', atLeast(1)),
  row('offsets.topic.compression.codec', INT, '0', ro, HIGH, 'Compression codec of offset commits (0 = none).'),
  row('offsets.load.buffer.size', INT, '5242880', ro, HIGH, 'Read size when loading groups from __consumer_offsets.', atLeast(1)),
  row('offsets.retention.minutes', INT, '10080', ro, HIGH, 'Committed offsets of an empty group expire after this long.', atLeast(1)),
  row('offsets.retention.check.interval.ms', LONG, '600000', ro, HIGH, 'How often expired offsets are removed.', atLeast(1)),
  row('offsets.commit.timeout.ms', INT, '5000', ro, HIGH, 'Maximum wait for an offset commit to be replicated.', atLeast(1)),
  row('offsets.commit.required.acks', SHORT, '-1', ro, HIGH, 'Deprecated: acks required for offset commits.'),
  row('offset.metadata.max.bytes', INT, '4096', ro, HIGH, 'Maximum size of offset commit metadata.'),
  row('group.min.session.timeout.ms', INT, '6000', ro, MEDIUM, 'Minimum member session timeout.'),
  row('group.max.session.timeout.ms', INT, '1800000', ro, MEDIUM, 'Maximum member session timeout.'),
  row('group.initial.rebalance.delay.ms', INT, '3000', ro, MEDIUM, 'Delay of the first rebalance of a new group.'),
  row('group.max.size', INT, INT_MAX, ro, MEDIUM, 'Maximum members of one group.', atLeast(1)),
  row('group.coordinator.rebalance.protocols', LIST, 'classic', ro, MEDIUM, 'Enabled rebalance protocols; only classic is supported in ZooKeeper mode.', validList('classic', 'consumer', 'share')),

  // Transactions
  row('transaction.state.log.num.partitions', INT, '50', ro, HIGH, 'Partitions of __transaction_state.', atLeast(1)),
  row('transaction.state.log.replication.factor', SHORT, '3', ro, HIGH, 'Replication factor of __transaction_state.', atLeast(1)),
  row('transaction.state.log.min.isr', INT, '2', ro, HIGH, 'min.insync.replicas of __transaction_state.', atLeast(1)),
  row('transaction.state.log.segment.bytes', INT, '104857600', ro, HIGH, 'Segment size of __transaction_state.', atLeast(1)),
  row('transaction.state.log.load.buffer.size', INT, '5242880', ro, HIGH, 'Read size when loading transaction state.', atLeast(1)),
  row('transaction.max.timeout.ms', INT, '900000', ro, HIGH, 'Maximum transaction timeout a producer may request.', atLeast(1)),
  row('transactional.id.expiration.ms', INT, '604800000', ro, HIGH, 'Expire an idle transactional id after this long.', atLeast(1)),
  row('transaction.abort.timed.out.transaction.cleanup.interval.ms', INT, '10000', ro, LOW, 'How often timed-out transactions are aborted.', atLeast(1)),
  row('transaction.remove.expired.transaction.cleanup.interval.ms', INT, '3600000', ro, LOW, 'How often expired transactional ids are removed.', atLeast(1)),

  // Network, threads, requests
  row('num.network.threads', INT, '3', cw, HIGH, 'Network threads per listener.', atLeast(1)),
  row('num.io.threads', INT, '8', cw, HIGH, 'Request handler threads.', atLeast(1)),
  row('background.threads', INT, '10', cw, HIGH, 'Background task threads.', atLeast(1)),
  row('queued.max.requests', INT, '500', ro, HIGH, 'Queued requests before network threads stop reading.', atLeast(1)),
  row('queued.max.request.bytes', LONG, '-1', ro, MEDIUM, 'Queued request bytes before reading stops; -1 is unlimited.'),
  row('socket.send.buffer.bytes', INT, '102400', ro, HIGH, 'SO_SNDBUF of sockets; -1 uses the OS default.'),
  row('socket.receive.buffer.bytes', INT, '102400', ro, HIGH, 'SO_RCVBUF of sockets; -1 uses the OS default.'),
  row('socket.request.max.bytes', INT, '104857600', ro, HIGH, 'Maximum size of a request.', atLeast(1)),
  row('socket.listen.backlog.size', INT, '50', ro, MEDIUM, 'Accept backlog of listening sockets.', atLeast(1)),
  row('connections.max.idle.ms', LONG, '600000', ro, MEDIUM, 'Close connections idle for this long.'),
  row('max.connections', INT, INT_MAX, cw, MEDIUM, 'Maximum connections to the broker.', atLeast(0)),
  row('max.connections.per.ip', INT, INT_MAX, cw, MEDIUM, 'Maximum connections from one IP address.', atLeast(0)),
  row('max.connections.per.ip.overrides', STRING, '', cw, MEDIUM, 'Per-host connection limits: host:count,...'),
  row('max.connection.creation.rate', INT, INT_MAX, cw, MEDIUM, 'Maximum new connections per second per listener.', atLeast(0)),
  row('request.timeout.ms', INT, '30000', ro, HIGH, 'Timeout of requests the broker sends.'),
  row('fetch.max.bytes', INT, '57671680', ro, MEDIUM, 'Maximum size of a fetch response.', atLeast(1024)),
  row('max.incremental.fetch.session.cache.slots', INT, '1000', ro, MEDIUM, 'Incremental fetch sessions kept (KIP-227).', atLeast(0)),
  row('fetch.purgatory.purge.interval.requests', INT, '1000', ro, MEDIUM, 'Purge interval of the fetch purgatory.'),
  row('producer.purgatory.purge.interval.requests', INT, '1000', ro, MEDIUM, 'Purge interval of the produce purgatory.'),
  row('delete.records.purgatory.purge.interval.requests', INT, '1', ro, MEDIUM, 'Purge interval of the delete-records purgatory.'),
  row('quota.window.num', INT, '11', ro, LOW, 'Samples kept for client quotas.', atLeast(1)),
  row('quota.window.size.seconds', INT, '1', ro, LOW, 'Time span of one client quota sample.', atLeast(1)),
  row('replication.quota.window.num', INT, '11', ro, LOW, 'Samples kept for replication quotas.', atLeast(1)),
  row('replication.quota.window.size.seconds', INT, '1', ro, LOW, 'Time span of one replication quota sample.', atLeast(1)),

  // Security
  row('authorizer.class.name', STRING, '', ro, LOW, 'Authorizer class; empty disables authorization.'),
  row('sasl.enabled.mechanisms', LIST, 'GSSAPI', pb, MEDIUM, 'SASL mechanisms offered to clients.'),
  row('sasl.mechanism.inter.broker.protocol', STRING, 'GSSAPI', pb, MEDIUM, 'SASL mechanism used between brokers.'),
  row('ssl.client.auth', STRING, 'none', pb, MEDIUM, 'Client authentication for SSL listeners.', validString('required', 'requested', 'none')),
  row('delegation.token.secret.key', PASSWORD, null, ro, MEDIUM, 'Secret for delegation tokens; tokens are disabled when unset.'),
  row('delegation.token.max.lifetime.ms', LONG, '604800000', ro, MEDIUM, 'Maximum lifetime of a delegation token.', atLeast(1)),
  row('delegation.token.expiry.time.ms', LONG, '86400000', ro, MEDIUM, 'Renewal interval of delegation tokens.', atLeast(1)),
  row('delegation.token.expiry.check.interval.ms', LONG, '3600000', ro, LOW, 'How often expired delegation tokens are removed.', atLeast(1)),
  row('password.encoder.secret', PASSWORD, null, ro, MEDIUM, 'Secret used to encrypt dynamic password configs stored in ZooKeeper.'),
];

/** Broker definitions by Kafka name. */
export const BROKER_CONFIGS: ReadonlyMap<string, BrokerConfigDefinition> = new Map(BROKER_CONFIG_DEFS.map((d) => [d.name, d]));

/**
 * Properties that other parts of the broker read from the static config (the authorizer, security
 * settings per listener) and that Kafka therefore does not warn about, although they are not typed
 * here. They are kept in KafkaConfig.originals() and shown by DescribeConfigs as Kafka shows
 * properties it cannot type (sensitive, value hidden).
 */
export const PASS_THROUGH_NAMES: ReadonlySet<string> = new Set(['super.users', 'allow.everyone.if.no.acl.found']);
/** Prefixes of pass-through properties (listener overrides, SSL and SASL settings). */
export const PASS_THROUGH_PREFIXES: readonly string[] = ['listener.name.', 'ssl.', 'sasl.'];

/** Whether a property name is accepted without a warning although it is not in the table. */
export function isPassThroughName(name: string): boolean {
  return PASS_THROUGH_NAMES.has(name) || PASS_THROUGH_PREFIXES.some((p) => name.startsWith(p));
}

const LISTENER_MECHANISM_CONFIGS = [
  'sasl.jaas.config', 'sasl.server.callback.handler.class', 'sasl.login.class', 'sasl.login.callback.handler.class',
];

/**
 * Kafka's DynamicBrokerConfig.brokerConfigSynonyms: the names whose values stand in for one another,
 * most specific first (e.g. log.retention.ms, .minutes, .hours).
 */
export function brokerConfigSynonyms(name: string): string[] {
  switch (name) {
    case 'log.roll.ms':
    case 'log.roll.hours':
      return ['log.roll.ms', 'log.roll.hours'];
    case 'log.roll.jitter.ms':
    case 'log.roll.jitter.hours':
      return ['log.roll.jitter.ms', 'log.roll.jitter.hours'];
    case 'log.flush.interval.ms':
      return ['log.flush.interval.ms', 'log.flush.scheduler.interval.ms'];
    case 'log.retention.ms':
    case 'log.retention.minutes':
    case 'log.retention.hours':
      return ['log.retention.ms', 'log.retention.minutes', 'log.retention.hours'];
    default: {
      // listener.name.<listener>.<config> overrides <config>; the SASL mechanism configs are written
      // listener.name.<listener>.<mechanism>.<config>.
      const m = /^listener\.name\.[^.]+\.(.+)$/.exec(name);
      if (m) return [name, LISTENER_MECHANISM_CONFIGS.find((c) => m[1].endsWith(c)) ?? m[1]];
      return [name];
    }
  }
}
