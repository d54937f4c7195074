/**
 * KafkaServer: one broker's lifecycle, in Kafka's startup and shutdown order.
 *
 * Startup: ZooKeeper session (chroot created when missing) → persistent top-level paths and /cluster/id →
 * meta.properties check (broker.id and cluster.id, broker id generated from /brokers/seqid when -1) → log
 * recovery (LogManager) → replica manager and metadata cache → listeners → /brokers/ids/<id> (the broker
 * epoch) → controller election → background tasks. Shutdown runs the other way and ends with a clean-shutdown
 * marker in every log dir, so the next start skips recovery.
 */
import type { KafkaConfig } from '../config/broker-config';
import type { Logging, Logger } from '../common/logger';
import { buildLogConfig } from '../config/log-config-builder';
import { crc32cImplementation } from '../protocol/records/crc32c';
import { LogManager } from '../log/log-manager';
import { cleanerConfigFrom } from '../log/cleaner/cleaner-config';
import { readBrokerMetadata, writeBrokerMetadata } from '../log/broker-metadata';
import { MetadataCache } from '../metadata/metadata-cache';
import { ReplicaManager } from '../replica/replica-manager';
import { ReplicaFetcherManager } from '../replica/replica-fetcher-manager';
import { ZkIsrManager } from '../replica/zk-isr-manager';
import { SocketServer } from '../network/socket-server';
import { ZkSession } from '../zk/zk-session';
import { KafkaZkClient } from '../zk/kafka-zk-client';
import { BrokerIdInUseError } from '../zk/zk-errors';
import type { BrokerInfo } from '../zk/zk-types';
import { KafkaController } from '../controller/kafka-controller';
import { ElectionType } from '../controller/election';
import { RequestDispatcher } from './request-dispatcher';
import { createHandlers } from './handlers';
import { ZkAdminManager } from './zk-admin-manager';
import { ReplicationQuotaManager } from './quota/replication-quota-manager';
import { DynamicConfigManager } from './dynamic-config-manager';
import { initializeDynamicBrokerConfig } from './config/dynamic-broker-config';
import { AutoTopicCreationManager } from './auto-topic-creation-manager';
import type { BrokerServices } from './broker-services';
import { brokerRegistration } from './broker-registration';
import { controlledShutdown } from './controlled-shutdown';
import { createGroupCoordinator, type GroupCoordinator } from '../coordinator/group/group-coordinator';
import { GROUP_METADATA_TOPIC_NAME, OffsetsTopicCreator } from '../coordinator/group/offsets-topic';
import { offsetConfigFrom } from '../coordinator/group/group-config';
import { createGroupHandlers } from './handlers/group-handlers';
import { ProducerIdManager } from './producer-id-manager';

export class KafkaServer {
  private log: Logger;
  private zkSession: ZkSession | undefined;
  private zkClient: KafkaZkClient | undefined;
  private logManager: LogManager | undefined;
  private replicaManager: ReplicaManager | undefined;
  private socketServer: SocketServer | undefined;
  private controller: KafkaController | undefined;
  private dynamicConfigManager: DynamicConfigManager | undefined;
  private hwCheckpointTimer: NodeJS.Timeout | undefined;
  private producerExpirationTimer: NodeJS.Timeout | undefined;
  private featureEpoch = -1;
  private startedUp = false;
  private groupCoordinator: GroupCoordinator | undefined;
  private metadataCache: MetadataCache | undefined;
  private shuttingDown: Promise<void> | undefined;
  brokerId: number;
  clusterId = '';

  constructor(
    private readonly config: KafkaConfig,
    private readonly logging: Logging,
  ) {
    this.brokerId = config.brokerId;
    this.log = logging.logger('kafka.server.KafkaServer', `KafkaServer id=${config.brokerId}`);
  }

  /** The port a listener is bound to (useful when it was configured as 0). */
  boundPort(listenerName?: string): number | undefined {
    const name = listenerName ?? this.config.listeners[0]?.name;
    return name === undefined ? undefined : this.socketServer?.boundPort(name);
  }

  async startup(): Promise<void> {
    const config = this.config;
    this.log.info('starting');
    this.log.info(`CRC32C implementation: ${crc32cImplementation()}`);

    // ZooKeeper: session, bootstrap paths, cluster id.
    this.log.info(`Connecting to zookeeper on ${config.zookeeperConnect}`);
    const zkSession = new ZkSession({
      connectString: config.zookeeperConnect,
      sessionTimeoutMs: config.zookeeperSessionTimeoutMs,
      connectionTimeoutMs: config.zookeeperConnectionTimeoutMs,
      logger: this.logging.logger('kafka.zookeeper.ZooKeeperClient', 'ZooKeeperClient Kafka server'),
    });
    this.zkSession = zkSession;
    await zkSession.start();
    const zkClient = new KafkaZkClient(zkSession);
    this.zkClient = zkClient;
    await zkClient.createTopLevelPaths();
    this.clusterId = await zkClient.getOrCreateClusterId();
    this.log.info(`Cluster ID = ${this.clusterId}`);

    // meta.properties: broker id and cluster id must match what the log dirs were written with.
    this.brokerId = await this.resolveBrokerId(zkClient);
    this.log = this.logging.logger('kafka.server.KafkaServer', `KafkaServer id=${this.brokerId}`);

    // Dynamic broker configs (/config/brokers/<default>, /config/brokers/<id>) before the logs load, as Kafka's
    // DynamicBrokerConfig.initialize: logs and DescribeConfigs see them from the start.
    await initializeDynamicBrokerConfig(config, zkClient, this.logging.logger('kafka.server.DynamicBrokerConfig', ''));

    // Logs: recovery happens here, before the broker registers.
    const defaultLogConfig = buildLogConfig(config, {});
    const logConfigFor = async (topic: string) => buildLogConfig(config, await zkClient.fetchEntityConfig('topics', topic));
    const logManager = new LogManager({
      logConfigFor,
      logDirs: config.logDirs,
      defaultConfig: defaultLogConfig,
      retentionCheckIntervalMs: config.logRetentionCheckIntervalMs,
      flushCheckIntervalMs: config.logFlushSchedulerIntervalMs,
      flushRecoveryOffsetCheckpointIntervalMs: config.logFlushOffsetCheckpointIntervalMs,
      flushStartOffsetCheckpointIntervalMs: config.logFlushStartOffsetCheckpointIntervalMs,
      initialTaskDelayMs: config.logInitialTaskDelayMs,
      producerIdExpirationMs: config.producerIdExpirationMs,
      cleanerConfig: cleanerConfigFrom(config),
      logger: this.logging.logger('kafka.log.LogManager', 'LogManager'),
      logging: this.logging,
    });
    this.logManager = logManager;
    await logManager.startup();

    const metadataCache = new MetadataCache(this.brokerId);
    this.metadataCache = metadataCache;
    // Replication throttles (KIP-73), bounded by the dynamic configs DynamicConfigManager applies.
    const quotaWindows = { samples: config.replicationQuotaWindowNum, windowMs: config.replicationQuotaWindowSizeSeconds * 1000 };
    const replicationQuotas = { leader: new ReplicationQuotaManager(quotaWindows), follower: new ReplicationQuotaManager(quotaWindows) };
    const fetcherLogger = this.logging.logger('kafka.server.ReplicaFetcherThread', '');
    let replicaManagerRef: ReplicaManager | undefined;
    const fetcherManager = new ReplicaFetcherManager(
      {
        brokerId: this.brokerId,
        numFetchers: config.numReplicaFetchers,
        fetchMaxWaitMs: config.replicaFetchWaitMaxMs,
        fetchMinBytes: config.replicaFetchMinBytes,
        fetchMaxBytes: config.replicaFetchMaxBytes,
        fetchResponseMaxBytes: config.replicaFetchResponseMaxBytes,
        fetchBackoffMs: config.replicaFetchBackoffMs,
        socketTimeoutMs: config.replicaSocketTimeoutMs,
      },
      fetcherLogger,
      {
        onFollowerAppend: (partition, bytes) => replicaManagerRef?.onFollowerAppend(partition, bytes),
        followerQuota: replicationQuotas.follower,
      },
    );
    const replicaManager = new ReplicaManager({
      isrManager: new ZkIsrManager(zkClient, this.logging.logger('kafka.cluster.Partition', '')),
      fetcherManager,
      replicaLagTimeMaxMs: config.replicaLagTimeMaxMs,
      interBrokerListenerName: config.interBrokerListenerName,
      leaderQuota: replicationQuotas.leader,
      brokerId: this.brokerId,
      logManager,
      metadataCache,
      logConfigFor,
      logger: this.logging.logger('kafka.server.ReplicaManager', `ReplicaManager broker=${this.brokerId}`),
      stateChangeLogger: this.logging.logger('state.change.logger', ''),
    });
    this.replicaManager = replicaManager;
    replicaManagerRef = replicaManager;

    const adminManager = new ZkAdminManager({
      config,
      zkClient,
      metadataCache,
      logger: this.logging.logger('kafka.server.ZkAdminManager', `Admin Manager on Broker ${this.brokerId}`),
    });
    const autoTopicCreation = new AutoTopicCreationManager({
      config,
      adminManager,
      logger: this.logging.logger('kafka.server.AutoTopicCreationManager', ''),
    });

    const groupCoordinator = createGroupCoordinator(config, { brokerId: this.brokerId, replicaManager, logging: this.logging });
    groupCoordinator.startup({ partitionCount: (await zkClient.getTopicPartitionCount(GROUP_METADATA_TOPIC_NAME)) ?? undefined });
    this.groupCoordinator = groupCoordinator;
    const offsetsTopicCreator = new OffsetsTopicCreator({
      adminManager,
      config: offsetConfigFrom(config),
      logger: this.logging.logger('kafka.server.AutoTopicCreationManager', ''),
    });

    let dispatcher: RequestDispatcher | undefined;
    const services: BrokerServices = {
      brokerId: this.brokerId,
      clusterId: this.clusterId,
      config,
      metadataCache,
      replicaManager,
      adminManager,
      autoTopicCreation,
      groupCoordinator,
      isActiveController: () => this.controller?.isActive ?? false,
      controller: () => this.controller,
      apiVersions: () => dispatcher!.apiVersions(),
      finalizedFeaturesEpoch: () => this.featureEpoch,
    };
    dispatcher = new RequestDispatcher(
      [
        ...createHandlers(services, this.logging.logger('state.change.logger', ''), {
          initProducerId: {
            // Producer ids from blocks this broker claims in /latest_producer_id_block (pre-IBP-3.0 ZooKeeper mode).
            producerIdManager: new ProducerIdManager({
              brokerId: this.brokerId,
              allocateBlock: (id) => zkClient.allocateProducerIdBlock(id),
              logger: this.logging.logger('kafka.coordinator.transaction.ZkProducerIdManager', `[ZkProducerIdManager brokerId=${this.brokerId}] `),
            }),
            logger: this.logging.logger('kafka.server.KafkaApis', ''),
          },
        }),
        ...createGroupHandlers({
          brokerId: this.brokerId,
          config,
          metadataCache,
          groupCoordinator,
          offsetsTopicCreator,
          zkConsumerOffsets: zkClient,
        }),
      ],
      this.logging.logger('kafka.network.RequestChannel', ''),
      this.logging.logger('kafka.request.logger', ''),
    );

    // Listeners. They accept connections now; Kafka also starts its socket server before registering.
    const socketServer = new SocketServer({
      maxRequestSize: config.socketRequestMaxBytes,
      maxQueuedRequests: config.queuedMaxRequests,
      connectionsMaxIdleMs: config.connectionsMaxIdleMs,
      processor: dispatcher.process,
      logger: this.logging.logger('kafka.network.SocketServer', `SocketServer listenerType=ZK_BROKER, nodeId=${this.brokerId}`),
    });
    this.socketServer = socketServer;
    await socketServer.startup(config.listeners);

    // Registration: the broker epoch is the czxid of /brokers/ids/<id>.
    const registration = brokerRegistration(config, this.brokerId, (name) => socketServer.boundPort(name));
    const epoch = await this.registerBroker(zkClient, registration);
    replicaManager.brokerEpoch = epoch;
    this.log.info(`Registered broker ${this.brokerId} at path /brokers/ids/${this.brokerId} with addresses: ` +
      `${registration.endpoints.map((e) => `${e.listenerName}://${e.host}:${e.port}`).join(',')}, czxid (broker epoch): ${epoch}`);

    // Controller election.
    const controller = new KafkaController({
      config,
      zkClient,
      zkSession,
      logging: this.logging,
      brokerInfo: registration,
      brokerEpoch: epoch,
      onBrokerEpochChange: (newEpoch: number) => {
        replicaManager.brokerEpoch = newEpoch;
      },
    });
    this.controller = controller;
    await controller.startup();

    // Config changes announced under /config/changes (Kafka starts its ZkConfigManager after the controller).
    const dynamicConfigManager = new DynamicConfigManager({
      config,
      zkClient,
      session: zkSession,
      logManager,
      replicationQuotas,
      logger: this.logging.logger('kafka.server.DynamicConfigManager', ''),
      onUncleanLeaderElectionEnabled: (topic) => this.electUncleanLeaders(topic, metadataCache),
    });
    this.dynamicConfigManager = dynamicConfigManager;
    await dynamicConfigManager.startup();
    this.featureEpoch = await zkClient.getFeatureZNodeVersion().catch(() => -1);

    replicaManager.startup();
    logManager.startBackgroundTasks();
    this.hwCheckpointTimer = setInterval(() => {
      logManager.checkpointHighWatermarks(replicaManager.highWatermarks()).catch((err: unknown) =>
        this.log.error('Error while writing the high watermark checkpoint', err),
      );
    }, config.replicaHighWatermarkCheckpointIntervalMs);
    this.hwCheckpointTimer.unref();
    // Kafka's PeriodicProducerExpirationCheck: forget producers idle for producer.id.expiration.ms.
    this.producerExpirationTimer = setInterval(() => {
      for (const log of logManager.allLogs()) {
        if (log.isClosed) continue;
        log.removeExpiredProducers(Date.now(), config.producerIdExpirationMs).catch((err: unknown) =>
          this.log.error(`Error removing expired producers of ${log.name}`, err),
        );
      }
    }, config.producerIdExpirationCheckIntervalMs);
    this.producerExpirationTimer.unref();

    this.startedUp = true;
    this.log.info('started');
  }

  /** Clean shutdown; safe to call more than once and after a failed startup. */
  shutdown(): Promise<void> {
    if (!this.shuttingDown) this.shuttingDown = this.doShutdown();
    return this.shuttingDown;
  }

  private async doShutdown(): Promise<void> {
    this.log.info('shutting down');
    if (this.hwCheckpointTimer) clearInterval(this.hwCheckpointTimer);
    if (this.producerExpirationTimer) clearInterval(this.producerExpirationTimer);
    const step = async (what: string, fn: () => Promise<void> | void) => {
      try {
        await fn();
      } catch (err) {
        this.log.error(`Error during shutdown while ${what}`, err);
      }
    };
    if (this.startedUp && this.config.controlledShutdownEnable && this.zkClient && this.replicaManager) {
      const rm = this.replicaManager;
      await step('running the controlled shutdown', async () => {
        await controlledShutdown({
          brokerId: this.brokerId,
          brokerEpoch: () => rm.brokerEpoch,
          maxRetries: this.config.controlledShutdownMaxRetries,
          retryBackoffMs: this.config.controlledShutdownRetryBackoffMs,
          requestTimeoutMs: this.config.requestTimeoutMs,
          interBrokerListenerName: this.config.interBrokerListenerName,
          metadataCache: this.metadataCache!,
          zkClient: this.zkClient!,
          logger: this.log,
        });
      });
    }
    if (this.dynamicConfigManager) await step('stopping the dynamic config manager', () => this.dynamicConfigManager!.shutdown());
    if (this.socketServer) await step('stopping the socket server', () => this.socketServer!.shutdown());
    if (this.groupCoordinator) await step('stopping the group coordinator', () => this.groupCoordinator!.shutdown());
    if (this.replicaManager) await step('stopping the replica manager', () => this.replicaManager!.shutdown());
    if (this.controller) await step('stopping the controller', () => this.controller!.shutdown());
    if (this.logManager) {
      const rm = this.replicaManager;
      if (rm) await step('writing the high watermark checkpoint', () => this.logManager!.checkpointHighWatermarks(rm.highWatermarks()));
      await step('shutting down the log manager', () => this.logManager!.shutdown());
    }
    if (this.zkSession) await step('closing the ZooKeeper session', () => this.zkSession!.close());
    this.log.info('shut down completed');
  }

  /**
   * unclean.leader.election.enable was turned on (for a topic, or cluster-wide when topic is null): the
   * active controller elects leaders for partitions that have none, allowing out-of-sync replicas.
   */
  private electUncleanLeaders(topic: string | null, metadataCache: MetadataCache): void {
    const controller = this.controller;
    if (!controller?.isActive) return;
    const topics = topic === null ? metadataCache.allTopics() : [topic];
    const offline = topics.flatMap((t) =>
      metadataCache.partitions(t).filter((p) => p.leader < 0).map((p) => ({ topic: t, partition: p.partition })),
    );
    if (offline.length === 0) return;
    this.log.info(`Unclean leader election enabled; electing leaders for ${offline.map((p) => `${p.topic}-${p.partition}`).join(',')}`);
    controller.electLeaders(offline, ElectionType.UNCLEAN).catch((err: unknown) =>
      this.log.error('Unclean leader election after a config change failed', err),
    );
  }

  /**
   * Registers /brokers/ids/<id>. When the node is still held by a session whose registration advertises
   * exactly our endpoints, it is this broker's previous incarnation (killed without closing its session):
   * the listeners we just bound prove no other live broker uses them. Instead of failing as Kafka does, wait
   * up to the session timeout for ZooKeeper to expire that session.
   */
  private async registerBroker(zkClient: KafkaZkClient, registration: BrokerInfo): Promise<number> {
    const deadline = Date.now() + this.config.zookeeperSessionTimeoutMs + 5000;
    let warned = false;
    for (;;) {
      try {
        return await zkClient.registerBroker(registration);
      } catch (err) {
        if (!(err instanceof BrokerIdInUseError) || Date.now() > deadline) throw err;
        const existing = await zkClient.getBroker(registration.id);
        const key = (eps: readonly { host: string | null; port: number }[]) =>
          eps.map((e) => `${e.host}:${e.port}`).sort().join(',');
        if (existing && key(existing.endpoints) !== key(registration.endpoints)) throw err;
        if (!warned) {
          warned = true;
          this.log.warn(
            `/brokers/ids/${registration.id} is still held by a previous session of this broker advertising the same ` +
              `endpoints; waiting up to ${this.config.zookeeperSessionTimeoutMs} ms (zookeeper.session.timeout.ms) ` +
              `for ZooKeeper to expire it`,
          );
        }
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  }

  /** Kafka's getOrGenerateBrokerId with the meta.properties checks of every log dir. */
  private async resolveBrokerId(zkClient: KafkaZkClient): Promise<number> {
    const config = this.config;
    const existing = await readBrokerMetadata(config.logDirs);
    let brokerId = config.brokerId;
    if (existing.brokerId !== undefined) {
      if (brokerId >= 0 && brokerId !== existing.brokerId) {
        throw new Error(
          `Configured broker.id ${brokerId} doesn't match stored broker.id Some(${existing.brokerId}) in ` +
            `meta.properties. If you moved your data, make sure your configured broker.id matches. If you ` +
            `intend to create a new broker, you should remove all data in your data directories (log.dirs).`,
        );
      }
      brokerId = existing.brokerId;
    }
    if (existing.clusterId !== undefined && existing.clusterId !== this.clusterId) {
      throw new Error(
        `The Cluster ID ${this.clusterId} doesn't match stored clusterId Some(${existing.clusterId}) in ` +
          `meta.properties. The broker is trying to join the wrong cluster. Configured zookeeper.connect may be wrong.`,
      );
    }
    if (brokerId < 0) {
      if (!config.brokerIdGenerationEnable) {
        throw new Error('broker.id is -1 and broker.id.generation.enable is false: no broker id can be assigned');
      }
      brokerId = await zkClient.generateBrokerId(config.reservedBrokerMaxId);
      this.log.info(`Generated broker id ${brokerId} from /brokers/seqid`);
    }
    await writeBrokerMetadata(config.logDirs, { brokerId, clusterId: this.clusterId });
    if (brokerId !== this.brokerId) {
      this.brokerId = brokerId;
      config.setBrokerId(brokerId);
    }
    return brokerId;
  }
}
