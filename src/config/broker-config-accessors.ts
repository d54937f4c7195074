/**
 * Typed, camelCase accessors for the broker properties of BROKER_CONFIG_DEFS (`num.partitions` →
 * numPartitions). KafkaConfig extends this class and adds the derived values (listeners, log dirs,
 * retention and roll times, ...) whose Kafka semantics combine several properties. Accessors read the
 * current effective value, so dynamic updates are visible through them.
 */
import { ConfigException } from './config-exception';
import type { ConfigValue } from './config-types';

/** Base of KafkaConfig: the typed view over `get(name)`. */
export abstract class BrokerConfigAccessors {
  /** The effective typed value of a broker property, by Kafka name. */
  abstract get(name: string): ConfigValue;

  private typed<T>(name: string, check: (v: ConfigValue) => boolean, nullable: boolean): T {
    const v = this.get(name);
    if ((v === null && nullable) || (v !== null && check(v))) return v as T;
    throw new ConfigException(`Configuration ${name} has no value of the expected type (${String(v)})`, { configName: name });
  }
  protected num(name: string): number { return this.typed(name, (v) => typeof v === 'number', false); }
  protected numOrNull(name: string): number | null { return this.typed(name, (v) => typeof v === 'number', true); }
  protected bool(name: string): boolean { return this.typed(name, (v) => typeof v === 'boolean', false); }
  protected str(name: string): string { return this.typed(name, (v) => typeof v === 'string', false); }
  protected strOrNull(name: string): string | null { return this.typed(name, (v) => typeof v === 'string', true); }
  protected list(name: string): string[] { return [...this.typed<string[]>(name, (v) => Array.isArray(v), false)]; }

  /** `broker.id.generation.enable` */
  get brokerIdGenerationEnable(): boolean { return this.bool('broker.id.generation.enable'); }
  /** `reserved.broker.max.id` */
  get reservedBrokerMaxId(): number { return this.num('reserved.broker.max.id'); }
  /** `broker.rack` */
  get brokerRack(): string | null { return this.strOrNull('broker.rack'); }
  /** `security.inter.broker.protocol` */
  get securityInterBrokerProtocol(): string { return this.str('security.inter.broker.protocol'); }
  /** `inter.broker.protocol.version` */
  get interBrokerProtocolVersion(): string { return this.str('inter.broker.protocol.version'); }
  /** `log.message.format.version` */
  get logMessageFormatVersion(): string { return this.str('log.message.format.version'); }
  /** `zookeeper.session.timeout.ms` */
  get zookeeperSessionTimeoutMs(): number { return this.num('zookeeper.session.timeout.ms'); }
  /** `zookeeper.max.in.flight.requests` */
  get zookeeperMaxInFlightRequests(): number { return this.num('zookeeper.max.in.flight.requests'); }
  /** `zookeeper.set.acl` */
  get zookeeperSetAcl(): boolean { return this.bool('zookeeper.set.acl'); }
  /** `zookeeper.metadata.migration.enable` */
  get zookeeperMetadataMigrationEnable(): boolean { return this.bool('zookeeper.metadata.migration.enable'); }
  /** `process.roles` */
  get processRoles(): string[] { return this.list('process.roles'); }
  /** `unstable.api.versions.enable` */
  get unstableApiVersionsEnable(): boolean { return this.bool('unstable.api.versions.enable'); }
  /** `log.dir` */
  get logDir(): string { return this.str('log.dir'); }
  /** `num.partitions` */
  get numPartitions(): number { return this.num('num.partitions'); }
  /** `default.replication.factor` */
  get defaultReplicationFactor(): number { return this.num('default.replication.factor'); }
  /** `auto.create.topics.enable` */
  get autoCreateTopicsEnable(): boolean { return this.bool('auto.create.topics.enable'); }
  /** `delete.topic.enable` */
  get deleteTopicEnable(): boolean { return this.bool('delete.topic.enable'); }
  /** `min.insync.replicas` */
  get minInsyncReplicas(): number { return this.num('min.insync.replicas'); }
  /** `unclean.leader.election.enable` */
  get uncleanLeaderElectionEnable(): boolean { return this.bool('unclean.leader.election.enable'); }
  /** `auto.leader.rebalance.enable` */
  get autoLeaderRebalanceEnable(): boolean { return this.bool('auto.leader.rebalance.enable'); }
  /** `leader.imbalance.check.interval.seconds` */
  get leaderImbalanceCheckIntervalSeconds(): number { return this.num('leader.imbalance.check.interval.seconds'); }
  /** `leader.imbalance.per.broker.percentage` */
  get leaderImbalancePerBrokerPercentage(): number { return this.num('leader.imbalance.per.broker.percentage'); }
  /** `controlled.shutdown.enable` */
  get controlledShutdownEnable(): boolean { return this.bool('controlled.shutdown.enable'); }
  /** `controlled.shutdown.max.retries` */
  get controlledShutdownMaxRetries(): number { return this.num('controlled.shutdown.max.retries'); }
  /** `controlled.shutdown.retry.backoff.ms` */
  get controlledShutdownRetryBackoffMs(): number { return this.num('controlled.shutdown.retry.backoff.ms'); }
  /** `controller.socket.timeout.ms` */
  get controllerSocketTimeoutMs(): number { return this.num('controller.socket.timeout.ms'); }
  /** `replica.lag.time.max.ms` */
  get replicaLagTimeMaxMs(): number { return this.num('replica.lag.time.max.ms'); }
  /** `replica.fetch.max.bytes` */
  get replicaFetchMaxBytes(): number { return this.num('replica.fetch.max.bytes'); }
  /** `replica.fetch.min.bytes` */
  get replicaFetchMinBytes(): number { return this.num('replica.fetch.min.bytes'); }
  /** `replica.fetch.wait.max.ms` */
  get replicaFetchWaitMaxMs(): number { return this.num('replica.fetch.wait.max.ms'); }
  /** `replica.fetch.backoff.ms` */
  get replicaFetchBackoffMs(): number { return this.num('replica.fetch.backoff.ms'); }
  /** `replica.fetch.response.max.bytes` */
  get replicaFetchResponseMaxBytes(): number { return this.num('replica.fetch.response.max.bytes'); }
  /** `replica.socket.timeout.ms` */
  get replicaSocketTimeoutMs(): number { return this.num('replica.socket.timeout.ms'); }
  /** `replica.socket.receive.buffer.bytes` */
  get replicaSocketReceiveBufferBytes(): number { return this.num('replica.socket.receive.buffer.bytes'); }
  /** `replica.high.watermark.checkpoint.interval.ms` */
  get replicaHighWatermarkCheckpointIntervalMs(): number { return this.num('replica.high.watermark.checkpoint.interval.ms'); }
  /** `num.replica.fetchers` */
  get numReplicaFetchers(): number { return this.num('num.replica.fetchers'); }
  /** `replica.selector.class` */
  get replicaSelectorClass(): string | null { return this.strOrNull('replica.selector.class'); }
  /** `log.segment.bytes` */
  get logSegmentBytes(): number { return this.num('log.segment.bytes'); }
  /** `log.roll.hours` */
  get logRollHours(): number { return this.num('log.roll.hours'); }
  /** `log.roll.jitter.hours` */
  get logRollJitterHours(): number { return this.num('log.roll.jitter.hours'); }
  /** `log.retention.minutes` */
  get logRetentionMinutes(): number | null { return this.numOrNull('log.retention.minutes'); }
  /** `log.retention.hours` */
  get logRetentionHours(): number { return this.num('log.retention.hours'); }
  /** `log.retention.bytes` */
  get logRetentionBytes(): number { return this.num('log.retention.bytes'); }
  /** `log.retention.check.interval.ms` */
  get logRetentionCheckIntervalMs(): number { return this.num('log.retention.check.interval.ms'); }
  /** `log.segment.delete.delay.ms` */
  get logSegmentDeleteDelayMs(): number { return this.num('log.segment.delete.delay.ms'); }
  /** `log.cleanup.policy` */
  get logCleanupPolicy(): string[] { return this.list('log.cleanup.policy'); }
  /** `log.cleaner.enable` */
  get logCleanerEnable(): boolean { return this.bool('log.cleaner.enable'); }
  /** `log.cleaner.threads` */
  get logCleanerThreads(): number { return this.num('log.cleaner.threads'); }
  /** `log.cleaner.dedupe.buffer.size` */
  get logCleanerDedupeBufferSize(): number { return this.num('log.cleaner.dedupe.buffer.size'); }
  /** `log.cleaner.io.buffer.size` */
  get logCleanerIoBufferSize(): number { return this.num('log.cleaner.io.buffer.size'); }
  /** `log.cleaner.io.buffer.load.factor` */
  get logCleanerIoBufferLoadFactor(): number { return this.num('log.cleaner.io.buffer.load.factor'); }
  /** `log.cleaner.io.max.bytes.per.second` */
  get logCleanerIoMaxBytesPerSecond(): number { return this.num('log.cleaner.io.max.bytes.per.second'); }
  /** `log.cleaner.backoff.ms` */
  get logCleanerBackoffMs(): number { return this.num('log.cleaner.backoff.ms'); }
  /** `log.cleaner.min.cleanable.ratio` */
  get logCleanerMinCleanableRatio(): number { return this.num('log.cleaner.min.cleanable.ratio'); }
  /** `log.cleaner.min.compaction.lag.ms` */
  get logCleanerMinCompactionLagMs(): number { return this.num('log.cleaner.min.compaction.lag.ms'); }
  /** `log.cleaner.max.compaction.lag.ms` */
  get logCleanerMaxCompactionLagMs(): number { return this.num('log.cleaner.max.compaction.lag.ms'); }
  /** `log.cleaner.delete.retention.ms` */
  get logCleanerDeleteRetentionMs(): number { return this.num('log.cleaner.delete.retention.ms'); }
  /** `log.index.interval.bytes` */
  get logIndexIntervalBytes(): number { return this.num('log.index.interval.bytes'); }
  /** `log.index.size.max.bytes` */
  get logIndexSizeMaxBytes(): number { return this.num('log.index.size.max.bytes'); }
  /** `log.flush.interval.messages` */
  get logFlushIntervalMessages(): number { return this.num('log.flush.interval.messages'); }
  /** `log.flush.scheduler.interval.ms` */
  get logFlushSchedulerIntervalMs(): number { return this.num('log.flush.scheduler.interval.ms'); }
  /** `log.flush.offset.checkpoint.interval.ms` */
  get logFlushOffsetCheckpointIntervalMs(): number { return this.num('log.flush.offset.checkpoint.interval.ms'); }
  /** `log.flush.start.offset.checkpoint.interval.ms` */
  get logFlushStartOffsetCheckpointIntervalMs(): number { return this.num('log.flush.start.offset.checkpoint.interval.ms'); }
  /** `log.preallocate` */
  get logPreallocate(): boolean { return this.bool('log.preallocate'); }
  /** `num.recovery.threads.per.data.dir` */
  get numRecoveryThreadsPerDataDir(): number { return this.num('num.recovery.threads.per.data.dir'); }
  /** `log.initial.task.delay.ms` */
  get logInitialTaskDelayMs(): number { return this.num('log.initial.task.delay.ms'); }
  /** `log.local.retention.ms` */
  get logLocalRetentionMs(): number { return this.num('log.local.retention.ms'); }
  /** `log.local.retention.bytes` */
  get logLocalRetentionBytes(): number { return this.num('log.local.retention.bytes'); }
  /** `remote.log.storage.system.enable` */
  get remoteLogStorageSystemEnable(): boolean { return this.bool('remote.log.storage.system.enable'); }
  /** `message.max.bytes` */
  get messageMaxBytes(): number { return this.num('message.max.bytes'); }
  /** `compression.type` */
  get compressionType(): string { return this.str('compression.type'); }
  /** `compression.gzip.level` */
  get compressionGzipLevel(): number { return this.num('compression.gzip.level'); }
  /** `compression.lz4.level` */
  get compressionLz4Level(): number { return this.num('compression.lz4.level'); }
  /** `compression.zstd.level` */
  get compressionZstdLevel(): number { return this.num('compression.zstd.level'); }
  /** `log.message.timestamp.type` */
  get logMessageTimestampType(): string { return this.str('log.message.timestamp.type'); }
  /** `log.message.timestamp.difference.max.ms` */
  get logMessageTimestampDifferenceMaxMs(): number { return this.num('log.message.timestamp.difference.max.ms'); }
  /** `log.message.downconversion.enable` */
  get logMessageDownconversionEnable(): boolean { return this.bool('log.message.downconversion.enable'); }
  /** `producer.id.expiration.ms` */
  get producerIdExpirationMs(): number { return this.num('producer.id.expiration.ms'); }
  /** `producer.id.expiration.check.interval.ms` (internal) */
  get producerIdExpirationCheckIntervalMs(): number { return this.num('producer.id.expiration.check.interval.ms'); }
  /** `transaction.partition.verification.enable` */
  get transactionPartitionVerificationEnable(): boolean { return this.bool('transaction.partition.verification.enable'); }
  /** `offsets.topic.num.partitions` */
  get offsetsTopicNumPartitions(): number { return this.num('offsets.topic.num.partitions'); }
  /** `offsets.topic.replication.factor` */
  get offsetsTopicReplicationFactor(): number { return this.num('offsets.topic.replication.factor'); }
  /** `offsets.topic.segment.bytes` */
  get offsetsTopicSegmentBytes(): number { return this.num('offsets.topic.segment.bytes'); }
  /** `offsets.topic.compression.codec` */
  get offsetsTopicCompressionCodec(): number { return this.num('offsets.topic.compression.codec'); }
  /** `offsets.load.buffer.size` */
  get offsetsLoadBufferSize(): number { return this.num('offsets.load.buffer.size'); }
  /** `offsets.retention.minutes` */
  get offsetsRetentionMinutes(): number { return this.num('offsets.retention.minutes'); }
  /** `offsets.retention.check.interval.ms` */
  get offsetsRetentionCheckIntervalMs(): number { return this.num('offsets.retention.check.interval.ms'); }
  /** `offsets.commit.timeout.ms` */
  get offsetsCommitTimeoutMs(): number { return this.num('offsets.commit.timeout.ms'); }
  /** `offsets.commit.required.acks` */
  get offsetsCommitRequiredAcks(): number { return this.num('offsets.commit.required.acks'); }
  /** `offset.metadata.max.bytes` */
  get offsetMetadataMaxBytes(): number { return this.num('offset.metadata.max.bytes'); }
  /** `group.min.session.timeout.ms` */
  get groupMinSessionTimeoutMs(): number { return this.num('group.min.session.timeout.ms'); }
  /** `group.max.session.timeout.ms` */
  get groupMaxSessionTimeoutMs(): number { return this.num('group.max.session.timeout.ms'); }
  /** `group.initial.rebalance.delay.ms` */
  get groupInitialRebalanceDelayMs(): number { return this.num('group.initial.rebalance.delay.ms'); }
  /** `group.max.size` */
  get groupMaxSize(): number { return this.num('group.max.size'); }
  /** `group.coordinator.rebalance.protocols` */
  get groupCoordinatorRebalanceProtocols(): string[] { return this.list('group.coordinator.rebalance.protocols'); }
  /** `transaction.state.log.num.partitions` */
  get transactionStateLogNumPartitions(): number { return this.num('transaction.state.log.num.partitions'); }
  /** `transaction.state.log.replication.factor` */
  get transactionStateLogReplicationFactor(): number { return this.num('transaction.state.log.replication.factor'); }
  /** `transaction.state.log.min.isr` */
  get transactionStateLogMinIsr(): number { return this.num('transaction.state.log.min.isr'); }
  /** `transaction.state.log.segment.bytes` */
  get transactionStateLogSegmentBytes(): number { return this.num('transaction.state.log.segment.bytes'); }
  /** `transaction.state.log.load.buffer.size` */
  get transactionStateLogLoadBufferSize(): number { return this.num('transaction.state.log.load.buffer.size'); }
  /** `transaction.max.timeout.ms` */
  get transactionMaxTimeoutMs(): number { return this.num('transaction.max.timeout.ms'); }
  /** `transactional.id.expiration.ms` */
  get transactionalIdExpirationMs(): number { return this.num('transactional.id.expiration.ms'); }
  /** `transaction.abort.timed.out.transaction.cleanup.interval.ms` */
  get transactionAbortTimedOutTransactionCleanupIntervalMs(): number { return this.num('transaction.abort.timed.out.transaction.cleanup.interval.ms'); }
  /** `transaction.remove.expired.transaction.cleanup.interval.ms` */
  get transactionRemoveExpiredTransactionCleanupIntervalMs(): number { return this.num('transaction.remove.expired.transaction.cleanup.interval.ms'); }
  /** `num.network.threads` */
  get numNetworkThreads(): number { return this.num('num.network.threads'); }
  /** `num.io.threads` */
  get numIoThreads(): number { return this.num('num.io.threads'); }
  /** `background.threads` */
  get backgroundThreads(): number { return this.num('background.threads'); }
  /** `queued.max.requests` */
  get queuedMaxRequests(): number { return this.num('queued.max.requests'); }
  /** `queued.max.request.bytes` */
  get queuedMaxRequestBytes(): number { return this.num('queued.max.request.bytes'); }
  /** `socket.send.buffer.bytes` */
  get socketSendBufferBytes(): number { return this.num('socket.send.buffer.bytes'); }
  /** `socket.receive.buffer.bytes` */
  get socketReceiveBufferBytes(): number { return this.num('socket.receive.buffer.bytes'); }
  /** `socket.request.max.bytes` */
  get socketRequestMaxBytes(): number { return this.num('socket.request.max.bytes'); }
  /** `socket.listen.backlog.size` */
  get socketListenBacklogSize(): number { return this.num('socket.listen.backlog.size'); }
  /** `connections.max.idle.ms` */
  get connectionsMaxIdleMs(): number { return this.num('connections.max.idle.ms'); }
  /** `max.connections` */
  get maxConnections(): number { return this.num('max.connections'); }
  /** `max.connections.per.ip` */
  get maxConnectionsPerIp(): number { return this.num('max.connections.per.ip'); }
  /** `max.connection.creation.rate` */
  get maxConnectionCreationRate(): number { return this.num('max.connection.creation.rate'); }
  /** `request.timeout.ms` */
  get requestTimeoutMs(): number { return this.num('request.timeout.ms'); }
  /** `fetch.max.bytes` */
  get fetchMaxBytes(): number { return this.num('fetch.max.bytes'); }
  /** `max.incremental.fetch.session.cache.slots` */
  get maxIncrementalFetchSessionCacheSlots(): number { return this.num('max.incremental.fetch.session.cache.slots'); }
  /** `fetch.purgatory.purge.interval.requests` */
  get fetchPurgatoryPurgeIntervalRequests(): number { return this.num('fetch.purgatory.purge.interval.requests'); }
  /** `producer.purgatory.purge.interval.requests` */
  get producerPurgatoryPurgeIntervalRequests(): number { return this.num('producer.purgatory.purge.interval.requests'); }
  /** `delete.records.purgatory.purge.interval.requests` */
  get deleteRecordsPurgatoryPurgeIntervalRequests(): number { return this.num('delete.records.purgatory.purge.interval.requests'); }
  /** `quota.window.num` */
  get quotaWindowNum(): number { return this.num('quota.window.num'); }
  /** `quota.window.size.seconds` */
  get quotaWindowSizeSeconds(): number { return this.num('quota.window.size.seconds'); }
  /** `replication.quota.window.num` */
  get replicationQuotaWindowNum(): number { return this.num('replication.quota.window.num'); }
  /** `replication.quota.window.size.seconds` */
  get replicationQuotaWindowSizeSeconds(): number { return this.num('replication.quota.window.size.seconds'); }
  /** `authorizer.class.name` */
  get authorizerClassName(): string { return this.str('authorizer.class.name'); }
  /** `sasl.enabled.mechanisms` */
  get saslEnabledMechanisms(): string[] { return this.list('sasl.enabled.mechanisms'); }
  /** `sasl.mechanism.inter.broker.protocol` */
  get saslMechanismInterBrokerProtocol(): string { return this.str('sasl.mechanism.inter.broker.protocol'); }
  /** `ssl.client.auth` */
  get sslClientAuth(): string { return this.str('ssl.client.auth'); }
  /** `delegation.token.secret.key` */
  get delegationTokenSecretKey(): string | null { return this.strOrNull('delegation.token.secret.key'); }
  /** `delegation.token.max.lifetime.ms` */
  get delegationTokenMaxLifetimeMs(): number { return this.num('delegation.token.max.lifetime.ms'); }
  /** `delegation.token.expiry.time.ms` */
  get delegationTokenExpiryTimeMs(): number { return this.num('delegation.token.expiry.time.ms'); }
  /** `delegation.token.expiry.check.interval.ms` */
  get delegationTokenExpiryCheckIntervalMs(): number { return this.num('delegation.token.expiry.check.interval.ms'); }
  /** `password.encoder.secret` */
  get passwordEncoderSecret(): string | null { return this.strOrNull('password.encoder.secret'); }
}
