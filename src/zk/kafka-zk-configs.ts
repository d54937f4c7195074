/**
 * Entity configs and the other shared, non-controller state of KafkaZkClient: /config/<type>/<entity> and
 * its change notifications, /feature, /latest_producer_id_block and the legacy /consumers offsets.
 *
 * Config writes follow Kafka 3.9's setOrCreateEntityConfigs: a multi [check(/controller, its dataVersion),
 * setData], so no write lands while the controller changes (in Kafka, against a KRaft controller taking over
 * during a migration); create on NONODE. Part of KafkaZkClient (see kafka-zk-client.ts for the layering).
 */
import { KafkaZkQueues } from './kafka-zk-queues';
import { isCode, type ZkClientOptions } from './zk-client-base';
import { ControllerMovedError, ZkError, ZkMultiError } from './zk-errors';
import { CreateMode, ZkVersion, type ZkSession } from './zk-session';
import type { TopicPartition } from './zk-types';
import {
  ConfigEntityChangeNotificationSequenceZNode,
  ConfigEntityChangeNotificationZNode,
  ConfigEntityTypeZNode,
  ConfigEntityZNode,
  ConsumerOffset,
  ControllerZNode,
  FeatureZNode,
  FeatureZNodeStatus,
  PRODUCER_ID_BLOCK_SIZE,
  ProducerIdBlockZNode,
  lastProducerId,
  type ConfigChangeNotification,
  type FeatureZNodeContents,
  type ProducerIdsBlock,
} from './znodes';

/** Options of KafkaZkClient. */
export interface KafkaZkClientOptions extends ZkClientOptions {
  /**
   * Guard config writes with a check on /controller (Kafka's enableEntityConfigControllerCheck). True for
   * brokers; only offline tools that write configs before any broker runs turn it off.
   */
  enableEntityConfigControllerCheck?: boolean;
}

/** Entity configs, feature node, producer-id blocks and legacy offsets (a layer of KafkaZkClient). */
export class KafkaZkConfigs extends KafkaZkQueues {
  private readonly enableEntityConfigControllerCheck: boolean;

  constructor(session: ZkSession, options: KafkaZkClientOptions = {}) {
    super(session, options);
    this.enableEntityConfigControllerCheck = options.enableEntityConfigControllerCheck ?? true;
  }

  // --- entity configs ----------------------------------------------------------------------------------------

  /** The overrides of one entity (empty when it has none). `entityName` is sanitized. */
  async getEntityConfigs(entityType: string, entityName: string): Promise<Record<string, string>> {
    const path = ConfigEntityZNode.path(entityType, entityName);
    const node = await this.getDataAndStat(path);
    return node === null ? {} : ConfigEntityZNode.decode(node.data, path);
  }

  /** The overrides of several entities of one type, by entity name. */
  async getEntitiesConfigs(entityType: string, entityNames: readonly string[]): Promise<Map<string, Record<string, string>>> {
    const configs = await Promise.all(entityNames.map((name) => this.getEntityConfigs(entityType, name)));
    return new Map(entityNames.map((name, i) => [name, configs[i]]));
  }

  /** Names of the entities of a type that have a config node. */
  async getAllEntitiesWithConfig(entityType: string): Promise<string[]> {
    return this.getChildren(ConfigEntityTypeZNode.path(entityType));
  }

  /**
   * Writes an entity's overrides (the whole set), creating the node if needed. Last writer wins.
   * @throws ControllerMovedError if there is no controller, a KRaft controller, or the controller changed
   *   during the write (with the controller check enabled).
   */
  async setOrCreateEntityConfigs(
    entityType: string,
    entityName: string,
    config: Readonly<Record<string, string>> | ReadonlyMap<string, string>,
  ): Promise<void> {
    const path = ConfigEntityZNode.path(entityType, entityName);
    let controllerZkVersion: number | null = null;
    if (this.enableEntityConfigControllerCheck) {
      const node = await this.getDataAndStat(ControllerZNode.path());
      if (node === null) {
        throw new ControllerMovedError(`Cannot set entity configs for ${entityType} ${entityName} when there is no controller.`);
      }
      if ((ControllerZNode.decode(node.data).kraftControllerEpoch ?? -1) > 0) {
        throw new ControllerMovedError(
          `Cannot set entity configs for ${entityType} ${entityName} directly when there is a KRaft controller.`,
        );
      }
      controllerZkVersion = node.stat.version;
    }
    const data = ConfigEntityZNode.encode(config);
    const set = async (): Promise<void> => {
      if (controllerZkVersion === null) {
        await this.session.setData(path, data, ZkVersion.MatchAny);
        return;
      }
      try {
        await this.session.multi([
          { type: 'check', path: ControllerZNode.path(), version: controllerZkVersion },
          { type: 'setData', path, data, version: ZkVersion.MatchAny },
        ]);
      } catch (e) {
        if (!(e instanceof ZkMultiError)) throw e;
        if (e.failedOpIndex === 0) {
          throw new ControllerMovedError(`The controller changed while setting entity configs for ${entityType} ${entityName}`, {
            cause: e,
          });
        }
        throw ZkError.of(e.code, path, e);
      }
    };
    try {
      await set();
    } catch (e) {
      if (!isCode(e, 'NONODE')) throw e;
      try {
        await this.createRecursive(path, data);
      } catch (e2) {
        if (!isCode(e2, 'NODEEXISTS')) throw e2;
        await set();
      }
    }
  }

  /** Announces a config change (`<type>/<entity>`) to every broker; returns the created node. */
  async createConfigChangeNotification(sanitizedEntityPath: string): Promise<string> {
    await this.makeSurePersistentPathExists(ConfigEntityChangeNotificationZNode.path());
    return this.createSequentialPersistentPath(
      ConfigEntityChangeNotificationSequenceZNode.createPath(),
      ConfigEntityChangeNotificationSequenceZNode.encode(sanitizedEntityPath),
    );
  }

  /** Names of the pending config change notifications, in sequence order (arms the child watch). */
  async getConfigChangeNotifications(): Promise<string[]> {
    return (await this.getChildren(ConfigEntityChangeNotificationZNode.path())).sort();
  }

  /** One notification with its creation time (for the 15-minute purge), or null if it is gone. */
  async getConfigChangeNotification(name: string): Promise<{ notification: ConfigChangeNotification; ctime: number } | null> {
    const path = ConfigEntityChangeNotificationSequenceZNode.path(name);
    const node = await this.getDataAndStat(path);
    if (node === null) return null;
    return { notification: ConfigEntityChangeNotificationSequenceZNode.decode(node.data, path), ctime: node.stat.ctime };
  }

  /** Deletes config change notifications (already-deleted ones are fine). */
  async deleteConfigChangeNotifications(names: readonly string[]): Promise<void> {
    await this.deletePathsFenced(
      names.map((n) => ConfigEntityChangeNotificationSequenceZNode.path(n)),
      ZkVersion.MatchAny,
    );
  }

  // --- /feature ----------------------------------------------------------------------------------------------

  /** /feature and its dataVersion (the finalized features epoch), or null. `watch` arms a data/exists watch. */
  async getFeatureZNode(options: { watch?: boolean } = {}): Promise<{ contents: FeatureZNodeContents; zkVersion: number } | null> {
    for (;;) {
      const node = await this.getDataAndStat(FeatureZNode.path(), options);
      if (node !== null) return { contents: FeatureZNode.decode(node.data), zkVersion: node.stat.version };
      if (!options.watch) return null;
      if ((await this.session.exists(FeatureZNode.path(), { watch: true })) === null) return null;
    }
  }

  /** The dataVersion of /feature (ApiVersions' FinalizedFeaturesEpoch), or -1 when there is none. */
  async getFeatureZNodeVersion(): Promise<number> {
    return (await this.session.exists(FeatureZNode.path()))?.version ?? -1;
  }

  /** Creates /feature. Throws NODEEXISTS. */
  async createFeatureZNode(contents: FeatureZNodeContents): Promise<void> {
    await this.session.create(FeatureZNode.path(), FeatureZNode.encode(contents), CreateMode.PERSISTENT);
  }

  /** Rewrites /feature; returns its new dataVersion. */
  async updateFeatureZNode(contents: FeatureZNodeContents): Promise<number> {
    return (await this.session.setData(FeatureZNode.path(), FeatureZNode.encode(contents), ZkVersion.MatchAny)).version;
  }

  /**
   * What a 3.9 controller does on failover: create `{"features":{},"version":2,"status":1}` when /feature is
   * missing. Returns whether it created the node.
   */
  async createFeatureZNodeIfMissing(): Promise<boolean> {
    try {
      await this.createFeatureZNode({ version: 2, status: FeatureZNodeStatus.Enabled, features: new Map() });
      return true;
    } catch (e) {
      if (isCode(e, 'NODEEXISTS')) return false;
      throw e;
    }
  }

  // --- producer id blocks ------------------------------------------------------------------------------------

  /**
   * Claims the next block of producer ids for `brokerId` (Kafka's ZkProducerIdManager.getNewProducerIdBlock):
   * read the node and its version, write the following block conditionally, retry on conflict. The first
   * block is 0-999.
   */
  async allocateProducerIdBlock(brokerId: number): Promise<ProducerIdsBlock> {
    const path = ProducerIdBlockZNode.path();
    for (;;) {
      let node = await this.getDataAndStat(path);
      if (node === null) {
        await this.makeSurePersistentPathExists(path);
        node = await this.getDataAndStat(path);
        if (node === null) continue;
      }
      let firstProducerId = 0;
      if (node.data.length > 0) {
        const current = ProducerIdBlockZNode.decode(node.data);
        if (lastProducerId(current) > Number.MAX_SAFE_INTEGER - PRODUCER_ID_BLOCK_SIZE) {
          throw new RangeError('Have exhausted all producerIds.');
        }
        firstProducerId = lastProducerId(current) + 1;
      }
      const block: ProducerIdsBlock = { assignedBrokerId: brokerId, firstProducerId, size: PRODUCER_ID_BLOCK_SIZE };
      const data = ProducerIdBlockZNode.encode(block);
      // What is written is checked against zk-schema/producer-id-block.json, as every read of it is.
      ProducerIdBlockZNode.decode(data, path);
      const result = await this.conditionalUpdatePath(path, data, node.stat.version);
      if (result.succeeded) return block;
    }
  }

  // --- legacy consumer offsets (OffsetCommit/OffsetFetch v0) -------------------------------------------------

  /** The offset a v0 consumer committed, or null. */
  async getConsumerOffset(group: string, tp: TopicPartition): Promise<number | null> {
    const path = ConsumerOffset.path(group, tp);
    const node = await this.getDataAndStat(path);
    return node === null ? null : ConsumerOffset.decode(node.data, path);
  }

  /** Stores a v0 commit, creating parents as needed. */
  async setOrCreateConsumerOffset(group: string, tp: TopicPartition, offset: number): Promise<void> {
    const path = ConsumerOffset.path(group, tp);
    const data = ConsumerOffset.encode(offset);
    try {
      await this.session.setData(path, data, ZkVersion.MatchAny);
    } catch (e) {
      if (!isCode(e, 'NONODE')) throw e;
      try {
        await this.createRecursive(path, data);
      } catch (e2) {
        if (!isCode(e2, 'NODEEXISTS')) throw e2;
        await this.session.setData(path, data, ZkVersion.MatchAny);
      }
    }
  }
}
