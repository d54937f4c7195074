/**
 * DynamicConfigManager (Kafka 3.9's ZooKeeper-mode DynamicConfigManager / ZkConfigManager with its
 * TopicConfigHandler and BrokerConfigHandler): applies config changes written to `/config/<type>/<entity>`
 * while the broker runs.
 *
 * Every broker watches /config/changes (config/config-change-listener.ts). For each new notification it
 * re-reads `/config/<entity_path>` and hands it to the handler of the entity type:
 * - topics: the new LogConfig (broker defaults + the topic's overrides) replaces the config of every log of
 *   the topic this broker hosts, so retention, segment size, cleanup policy, min.insync.replicas,
 *   max.message.bytes, ... take effect at once; the throttled replicas lists (leader/follower side) of
 *   every topic, hosted or not, go to the replication quota managers;
 * - brokers: `<default>` and this broker's id become the dynamic layers of KafkaConfig (DescribeConfigs
 *   then reports DYNAMIC_* sources); when a broker-level default of a topic config changed, every hosted
 *   log's config is rebuilt from the new defaults and its topic's overrides; this broker's entity also
 *   sets the leader/follower replication throttle rates;
 * - clients, users, ips: quotas and SCRAM credentials, which ts-kafka does not implement; the notification
 *   is read and acknowledged so that it does not count as malformed.
 *
 * At startup (after the controller started, as in Kafka) the stored configs of the hosted topics and of
 * the broker entities are applied once, then every notification present is processed.
 */
import { cleanerConfigFrom, type CleanerConfig } from '../log/cleaner/cleaner-config';
import type { Logger } from '../common/logger';
import type { KafkaConfig } from '../config/broker-config';
import { buildLogConfig } from '../config/log-config-builder';
import type { LogConfig } from '../log/log-config';
import type { KafkaZkClient } from '../zk/kafka-zk-client';
import type { ZkSession } from '../zk/zk-session';
import { ConfigEntityDefault, ConfigType } from '../zk/znodes';
import { ConfigChangeListener } from './config/config-change-listener';
import { parseConfigChangeNotification } from './config/config-change-notification';
import { updateDynamicBrokerConfig } from './config/dynamic-broker-config';
import { parseThrottledPartitions, UNBOUNDED_RATE, type ReplicationQuotaManager } from './quota/replication-quota-manager';

type Props = Readonly<Record<string, string>>;

/** The entity types Kafka's ZooKeeper-mode broker has a config handler for. */
export const CONFIG_HANDLER_TYPES: readonly string[] = [ConfigType.TOPIC, ConfigType.CLIENT, ConfigType.USER, ConfigType.BROKER, ConfigType.IP];

/** The logs whose configs the manager keeps current (the broker's LogManager). */
export interface HostedLogs {
  allLogs(): ReadonlyArray<{ readonly topic: string; readonly config: LogConfig }>;
  updateConfig(topic: string, config: LogConfig): void;
  /** The log cleaner, reconfigured when `log.cleaner.*` broker settings change. */
  readonly cleaner?: { reconfigure(config: CleanerConfig): void };
}

/** Options of DynamicConfigManager. */
export interface DynamicConfigManagerOptions {
  config: KafkaConfig;
  zkClient: KafkaZkClient;
  session: ZkSession;
  logManager: HostedLogs;
  /** The replication throttles this broker applies (leader and follower side). */
  replicationQuotas?: { leader: ReplicationQuotaManager; follower: ReplicationQuotaManager };
  logger: Logger;
  /** How long notifications are kept (by ctime) before a broker deletes them. Default 15 minutes. */
  changeExpirationMs?: number;
  /**
   * Called when unclean.leader.election.enable became true for a topic (or, with null, as a cluster-wide
   * broker default), so the active controller can elect leaders for offline partitions at once (Kafka's
   * enableTopicUncleanLeaderElection / enableDefaultUncleanLeaderElection).
   */
  onUncleanLeaderElectionEnabled?: (topic: string | null) => void;
  now?: () => number;
}

/** Scala's `HashMap(k -> v, ...)`, how Kafka logs an entity's config. */
function scalaMap(props: Props): string {
  return `HashMap(${Object.entries(props).map(([k, v]) => `${k} -> ${v}`).join(', ')})`;
}

/** Applies dynamic config changes from ZooKeeper; see the file comment. */
export class DynamicConfigManager {
  private readonly opts: DynamicConfigManagerOptions;
  private readonly listener: ConfigChangeListener;
  private started = false;

  constructor(opts: DynamicConfigManagerOptions) {
    this.opts = opts;
    this.listener = new ConfigChangeListener({
      zkClient: opts.zkClient,
      session: opts.session,
      handler: (data) => this.processNotification(data),
      logger: opts.logger,
      changeExpirationMs: opts.changeExpirationMs,
      now: opts.now,
    });
  }

  /** The sequence number of the last notification processed (-1 before any). */
  get lastProcessedChange(): number {
    return this.listener.lastProcessedChange;
  }

  /** Applies the stored configs of the hosted topics and of this broker, then processes every notification. */
  async startup(): Promise<void> {
    if (this.started) return;
    this.started = true;
    const zk = this.opts.zkClient;
    const hosted = new Set(this.opts.logManager.allLogs().map((l) => l.topic));
    for (const topic of await zk.getAllEntitiesWithConfig(ConfigType.TOPIC)) {
      // Throttles concern every topic: a replica of an unhosted one may be on its way here (a reassignment).
      if (!hosted.has(topic) && this.opts.replicationQuotas === undefined) continue;
      const overrides = await zk.fetchEntityConfig(ConfigType.TOPIC, topic);
      if (!hosted.has(topic)) {
        this.updateThrottledReplicas(topic, overrides);
        continue;
      }
      try {
        this.processTopicConfig(topic, overrides);
      } catch (e) {
        this.opts.logger.error(`Invalid config overrides of topic ${topic} in ZooKeeper: ${scalaMap(overrides)}`, e);
      }
    }
    for (const entity of [ConfigEntityDefault, String(this.opts.config.brokerId)]) {
      await this.processBrokerConfig(entity, await zk.fetchEntityConfig(ConfigType.BROKER, entity));
    }
    await this.listener.init();
  }

  /** Stops watching; resolves once the notification being processed (if any) is done. */
  async shutdown(): Promise<void> {
    await this.listener.close();
  }

  /** Processes one notification's data (Kafka's ConfigChangedNotificationHandler). */
  private async processNotification(data: Buffer): Promise<void> {
    const target = parseConfigChangeNotification(data, CONFIG_HANDLER_TYPES);
    if (target === null) return;
    const { entityType, entityName } = target;
    const overrides = await this.opts.zkClient.fetchEntityConfig(entityType, entityName);
    // SCRAM credentials (users) are never logged.
    const shown = Object.fromEntries(Object.entries(overrides).map(([k, v]) => [k, k.startsWith('SCRAM-') ? '[hidden]' : v]));
    this.opts.logger.info(`Processing override for entityPath: ${entityType}/${entityName} with config: ${scalaMap(shown)}`);
    await this.processConfigChanges(entityType, entityName, overrides);
  }

  /** Hands an entity's current overrides to the handler of its type (Kafka's ConfigHandler.processConfigChanges). */
  async processConfigChanges(entityType: string, entityName: string, overrides: Props): Promise<void> {
    if (entityType === ConfigType.TOPIC) this.processTopicConfig(entityName, overrides);
    else if (entityType === ConfigType.BROKER) await this.processBrokerConfig(entityName, overrides);
  }

  /**
   * TopicConfigHandler's throttled replicas: the partitions of `topic` whose entries in
   * leader/follower.replication.throttled.replicas name this broker.
   */
  private updateThrottledReplicas(topic: string, overrides: Props): void {
    const quotas = this.opts.replicationQuotas;
    if (quotas === undefined) return;
    const brokerId = this.opts.config.brokerId;
    quotas.leader.markThrottled(topic, parseThrottledPartitions(overrides['leader.replication.throttled.replicas'], brokerId));
    quotas.follower.markThrottled(topic, parseThrottledPartitions(overrides['follower.replication.throttled.replicas'], brokerId));
  }

  /** TopicConfigHandler: the throttled replicas, and the topic's hosted logs get broker defaults + these overrides. */
  private processTopicConfig(topic: string, overrides: Props): void {
    this.updateThrottledReplicas(topic, overrides);
    if (overrides['unclean.leader.election.enable']?.trim().toLowerCase() === 'true') {
      this.opts.onUncleanLeaderElectionEnabled?.(topic);
    }
    const logs = this.opts.logManager.allLogs().filter((l) => l.topic === topic);
    if (logs.length === 0) return;
    this.opts.logManager.updateConfig(topic, buildLogConfig(this.opts.config, overrides));
  }

  /** BrokerConfigHandler: `<default>` and this broker's id update KafkaConfig's dynamic layers. */
  private async processBrokerConfig(entity: string, overrides: Props): Promise<void> {
    const { config, logger } = this.opts;
    let changed: string[];
    if (entity === ConfigEntityDefault) {
      changed = updateDynamicBrokerConfig(config, overrides, { layer: 'default', logger });
    } else {
      const trimmed = entity.trim();
      if (!/^-?\d+$/.test(trimmed)) throw new RangeError(`Invalid broker entity name: ${entity}`);
      if (Number(trimmed) !== config.brokerId) return;
      changed = updateDynamicBrokerConfig(config, overrides, { layer: 'broker', logger });
      this.updateReplicationRates(overrides);
    }
    if (changed.includes('unclean.leader.election.enable') && config.get('unclean.leader.election.enable') === true) {
      this.opts.onUncleanLeaderElectionEnabled?.(null);
    }
    if (changed.some((name) => name.startsWith('log.cleaner.'))) {
      this.opts.logManager.cleaner?.reconfigure(cleanerConfigFrom(config));
    }
    if (changed.length > 0) await this.reconfigureLogs();
  }

  /**
   * BrokerConfigHandler's replication rates: leader/follower.replication.throttled.rate of this broker's
   * entity (unset: unbounded). A value that is not a whole number leaves the rate unbounded and is logged.
   */
  private updateReplicationRates(overrides: Props): void {
    const quotas = this.opts.replicationQuotas;
    if (quotas === undefined) return;
    for (const [side, name] of [
      ['leader', 'leader.replication.throttled.rate'],
      ['follower', 'follower.replication.throttled.rate'],
    ] as const) {
      const text = overrides[name]?.trim();
      let rate = UNBOUNDED_RATE;
      if (text !== undefined) {
        if (/^\d+$/.test(text)) rate = Math.min(Number(text), UNBOUNDED_RATE);
        else this.opts.logger.error(`Invalid value ${text} for ${name}; the ${side} replication rate stays unbounded`);
      }
      quotas[side].updateQuota(rate);
    }
  }

  /**
   * Kafka's DynamicLogConfig.updateLogsConfig: after broker defaults changed, each hosted topic's logs get
   * the new defaults under the topic's own overrides (read from ZooKeeper, as a new log would).
   */
  private async reconfigureLogs(): Promise<void> {
    const { logManager, zkClient, config, logger } = this.opts;
    const current = new Map<string, LogConfig>();
    for (const log of logManager.allLogs()) current.set(log.topic, log.config);
    for (const [topic, old] of current) {
      try {
        const updated = buildLogConfig(config, await zkClient.fetchEntityConfig(ConfigType.TOPIC, topic));
        if (JSON.stringify(updated) !== JSON.stringify(old)) logManager.updateConfig(topic, updated);
      } catch (e) {
        logger.error(`Could not apply the new broker defaults to the logs of topic ${topic}`, e);
      }
    }
  }
}
