/**
 * Kafka's AdminZkClient (core/src/main/scala/kafka/zk/AdminZkClient.scala, 3.9): the admin verbs any broker
 * runs against ZooKeeper, not fenced by the controller epoch: topic creation (config node, then the topic
 * node v3 with a new topic id), partition additions, deletion marking, and entity config changes followed
 * by a v2 change notification. Replica placement is replica-assignment.ts.
 *
 * A layer of KafkaZkClient (see kafka-zk-client.ts): brokers hold one client and use these verbs on it.
 */
import { KafkaError, InvalidPartitionsError, InvalidReplicaAssignmentError, InvalidTopicError, TopicExistsError, UnknownTopicOrPartitionError } from '../common/kafka-error';
import { randomTopicId } from './base64-uuid';
import type { KafkaZkClientOptions } from './kafka-zk-configs';
import { KafkaZkCore } from './kafka-zk-core';
import { AdminOperationError, assignReplicasToBrokers, type BrokerMetadata } from './replica-assignment';
import { isCode } from './zk-client-base';
import type { ZkSession } from './zk-session';
import type { ReplicaAssignment } from './zk-types';
import { ConfigEntityDefault, ConfigType } from './znodes';

/** How rack information is used when placing replicas (kafka.admin.RackAwareMode). */
export const RackAwareMode = {
  /** Ignore racks. */
  Disabled: 'Disabled',
  /** Use racks only if every broker has one (what CreateTopics does). */
  Safe: 'Safe',
  /** Use racks; fail if only some brokers have one. */
  Enforced: 'Enforced',
} as const;
export type RackAwareMode = (typeof RackAwareMode)[keyof typeof RackAwareMode];

/** Options of the admin layer (part of KafkaZkClient's options). */
export interface AdminZkClientOptions extends KafkaZkClientOptions {
  /** Randomness for replica placement start indexes, in [0, 1). Default Math.random. */
  random?: () => number;
  /** Topic config validation (Kafka's LogConfig.validate); throw a KafkaError (e.g. InvalidConfigurationError). */
  validateTopicConfigs?: (config: Readonly<Record<string, string>>) => void;
}

type Configs = Readonly<Record<string, string>> | ReadonlyMap<string, string>;

/** Kafka's Topic.MAX_NAME_LENGTH. */
const MAX_TOPIC_NAME_LENGTH = 249;
/** Kafka's BROKER_NOT_AVAILABLE error code. */
const BROKER_NOT_AVAILABLE = 8;

/** Admin verbs (Kafka's AdminZkClient), a layer of KafkaZkClient. */
export class AdminZkClient extends KafkaZkCore {
  private readonly random: () => number;
  private readonly validateTopicConfigs: (config: Readonly<Record<string, string>>) => void;

  constructor(session: ZkSession, options: AdminZkClientOptions = {}) {
    super(session, options);
    this.random = options.random ?? Math.random;
    this.validateTopicConfigs = options.validateTopicConfigs ?? (() => {});
  }

  /** Registered brokers as replica placement sees them, sorted by id (Kafka's getBrokerMetadatas). */
  async getBrokerMetadatas(rackAwareMode: RackAwareMode = RackAwareMode.Enforced): Promise<BrokerMetadata[]> {
    const brokers = await this.getAllBrokersInCluster();
    const withRack = brokers.filter((b) => b.rack !== null);
    if (rackAwareMode === RackAwareMode.Enforced && withRack.length > 0 && withRack.length < brokers.length) {
      throw new AdminOperationError(
        'Not all brokers have rack information. Add --disable-rack-aware in command line to make replica assignment without rack information.',
      );
    }
    const useRacks =
      rackAwareMode === RackAwareMode.Enforced || (rackAwareMode === RackAwareMode.Safe && withRack.length === brokers.length);
    return brokers.map((b) => ({ id: b.id, rack: useRacks ? b.rack : null })).sort((a, b) => a.id - b.id);
  }

  /**
   * Creates a topic with Kafka's replica placement over the registered brokers. Returns the topic id.
   */
  async createTopic(
    topic: string,
    options: { partitions: number; replicationFactor: number; config?: Configs; rackAwareMode?: RackAwareMode },
  ): Promise<string> {
    const brokers = await this.getBrokerMetadatas(options.rackAwareMode ?? RackAwareMode.Enforced);
    const assignment = assignReplicasToBrokers(brokers, options.partitions, options.replicationFactor, { random: this.random });
    return this.createTopicWithAssignment(topic, options.config ?? {}, assignment);
  }

  /**
   * Writes /config/topics/<topic> (`"config":{}` when there are no overrides; no change notification), then
   * /brokers/topics/<topic> v3. Returns the topic id (a new random one unless given).
   * @throws InvalidTopicError, TopicExistsError (also when marked for deletion), InvalidReplicaAssignmentError,
   *   whatever `validateTopicConfigs` throws; ControllerMovedError when there is no controller.
   */
  async createTopicWithAssignment(
    topic: string,
    config: Configs,
    assignment: ReadonlyMap<number, readonly number[]>,
    topicId: string = randomTopicId(),
    options: { validate?: boolean } = {},
  ): Promise<string> {
    const configRecord = toRecord(config);
    if (options.validate ?? true) await this.validateTopicCreate(topic, assignment, configRecord);
    this.logger.info(`Creating topic ${topic} with configuration ${JSON.stringify(configRecord)} and initial partition assignment ${formatAssignment(assignment)}`);
    await this.setOrCreateEntityConfigs(ConfigType.TOPIC, topic, configRecord);
    try {
      await this.createTopicAssignment(topic, topicId, assignment);
    } catch (e) {
      if (isCode(e, 'NODEEXISTS')) throw new TopicExistsError(`Topic '${topic}' already exists.`, { cause: e });
      throw e;
    }
    return topicId;
  }

  /** Kafka's validateTopicCreate: name, existence/deletion, collisions, assignment shape, configs. */
  async validateTopicCreate(
    topic: string,
    assignment: ReadonlyMap<number, readonly number[]>,
    config: Readonly<Record<string, string>>,
  ): Promise<void> {
    validateTopicName(topic);
    if (await this.isTopicMarkedForDeletion(topic)) throw new TopicExistsError(`Topic '${topic}' is marked for deletion.`);
    if (await this.topicExists(topic)) throw new TopicExistsError(`Topic '${topic}' already exists.`);
    if (hasCollisionChars(topic)) {
      const all = await this.getAllTopicsInCluster();
      if (all.includes(topic)) throw new TopicExistsError(`Topic '${topic}' already exists.`);
      const colliding = all.filter((t) => unifyCollisionChars(t) === unifyCollisionChars(topic));
      if (colliding.length > 0) {
        throw new InvalidTopicError(`Topic '${topic}' collides with existing topics: ${colliding.join(', ')}`);
      }
    }
    const sizes = new Set([...assignment.values()].map((r) => r.length));
    if (sizes.size !== 1) throw new InvalidReplicaAssignmentError('All partitions should have the same number of replicas');
    for (const replicas of assignment.values()) {
      if (new Set(replicas).size !== replicas.length) {
        throw new InvalidReplicaAssignmentError(`Duplicate replica assignment found: ${formatAssignment(assignment)}`);
      }
    }
    const ids = [...assignment.keys()].sort((a, b) => a - b);
    if (ids.some((id, i) => id !== i)) {
      throw new InvalidReplicaAssignmentError('partitions should be a consecutive 0-based integer sequence');
    }
    this.validateTopicConfigs(config);
  }

  /**
   * Adds partitions to a topic (Kafka's createPartitions): placement continues where the existing assignment
   * left off unless `replicaAssignment` gives the new partitions' replicas. Returns the full assignment.
   */
  async addPartitions(
    topic: string,
    options: {
      existingAssignment: ReadonlyMap<number, ReplicaAssignment>;
      allBrokers: readonly BrokerMetadata[];
      numPartitions: number;
      replicaAssignment?: ReadonlyMap<number, readonly number[]>;
      validateOnly?: boolean;
    },
  ): Promise<Map<number, number[]>> {
    const { existingAssignment, allBrokers, numPartitions } = options;
    const partition0 = existingAssignment.get(0)?.replicas;
    if (partition0 === undefined) {
      throw new AdminOperationError(`Unexpected existing replica assignment for topic '${topic}', partition id 0 is missing.`);
    }
    const partitionsToAdd = numPartitions - existingAssignment.size;
    if (partitionsToAdd <= 0) {
      throw new InvalidPartitionsError(
        `The number of partitions for a topic can only be increased. Topic ${topic} currently has ${existingAssignment.size} partitions, ${numPartitions} would not be an increase.`,
      );
    }
    let added: Map<number, number[]>;
    if (options.replicaAssignment !== undefined) {
      validateNewReplicaAssignment(options.replicaAssignment, partition0.length, new Set(allBrokers.map((b) => b.id)));
      added = new Map([...options.replicaAssignment].map(([p, r]) => [p, [...r]]));
    } else {
      const startIndex = Math.max(0, allBrokers.findIndex((b) => b.id >= partition0[0]));
      added = assignReplicasToBrokers(allBrokers, partitionsToAdd, partition0.length, {
        fixedStartIndex: startIndex,
        startPartitionId: existingAssignment.size,
        random: this.random,
      });
    }
    const combined = new Map<number, ReplicaAssignment>(existingAssignment);
    for (const [p, replicas] of added) combined.set(p, { replicas, addingReplicas: [], removingReplicas: [] });
    if (!options.validateOnly) {
      this.logger.info(`Creating ${added.size} partitions for '${topic}' with the following replica assignment: ${formatAssignment(added)}.`);
      const [current] = await this.getReplicaAssignmentAndTopicIdForTopics([topic]);
      await this.setTopicAssignment(topic, current.topicId, combined);
    }
    return new Map([...combined].map(([p, a]) => [p, [...a.replicas]]));
  }

  /**
   * Marks a topic for deletion. Returns false when it already was marked.
   * @throws UnknownTopicOrPartitionError when the topic does not exist.
   */
  async markTopicForDeletion(topic: string): Promise<boolean> {
    if (!(await this.topicExists(topic))) throw new UnknownTopicOrPartitionError(`Topic \`${topic}\` to delete does not exist`);
    try {
      await this.createDeleteTopicPath(topic);
      return true;
    } catch (e) {
      if (isCode(e, 'NODEEXISTS')) return false;
      throw e;
    }
  }

  /** An entity's config overrides (empty when none). */
  async fetchEntityConfig(entityType: string, sanitizedEntityName: string): Promise<Record<string, string>> {
    return this.getEntityConfigs(entityType, sanitizedEntityName);
  }

  /** Every entity of a type with its overrides. */
  async getAllEntityConfigs(entityType: string): Promise<Map<string, Record<string, string>>> {
    return this.getEntitiesConfigs(entityType, await this.getAllEntitiesWithConfig(entityType));
  }

  /**
   * Replaces a topic's overrides and notifies every broker.
   * @throws UnknownTopicOrPartitionError, or whatever `validateTopicConfigs` throws
   */
  async changeTopicConfig(topic: string, configs: Configs): Promise<void> {
    if (!(await this.topicExists(topic))) throw new UnknownTopicOrPartitionError(`Topic '${topic}' does not exist.`);
    const record = toRecord(configs);
    this.validateTopicConfigs(record);
    await this.changeEntityConfig(ConfigType.TOPIC, topic, record);
  }

  /** Replaces a client id's (quota) overrides; `<default>` for the default. */
  async changeClientIdConfig(sanitizedClientId: string, configs: Configs): Promise<void> {
    await this.changeEntityConfig(ConfigType.CLIENT, sanitizedClientId, configs);
  }

  /** Replaces a user's or `<user>/clients/<client-id>`'s overrides (quotas, SCRAM credentials). */
  async changeUserOrUserClientIdConfig(sanitizedEntityName: string, configs: Configs): Promise<void> {
    await this.changeEntityConfig(ConfigType.USER, sanitizedEntityName, configs);
  }

  /** Replaces dynamic broker configs of the given brokers, or the cluster default (`<default>`) for none. */
  async changeBrokerConfig(brokerIds: readonly number[], configs: Configs): Promise<void> {
    if (brokerIds.length === 0) await this.changeEntityConfig(ConfigType.BROKER, ConfigEntityDefault, configs);
    for (const id of brokerIds) await this.changeEntityConfig(ConfigType.BROKER, String(id), configs);
  }

  /** Writes an entity's overrides (multi with the /controller check), then a v2 change notification. */
  async changeEntityConfig(rootEntityType: string, fullSanitizedEntityName: string, configs: Configs): Promise<void> {
    await this.setOrCreateEntityConfigs(rootEntityType, fullSanitizedEntityName, configs);
    await this.createConfigChangeNotification(`${rootEntityType}/${fullSanitizedEntityName}`);
  }
}

/** Kafka's Topic.validate. @throws InvalidTopicError */
export function validateTopicName(topic: string): void {
  if (topic.length === 0) throw new InvalidTopicError("Topic name is illegal, it can't be empty");
  if (topic === '.' || topic === '..') throw new InvalidTopicError('Topic name cannot be "." or ".."');
  if (topic.length > MAX_TOPIC_NAME_LENGTH) {
    throw new InvalidTopicError(
      `Topic name is illegal, it can't be longer than ${MAX_TOPIC_NAME_LENGTH} characters, Topic name: ${topic}`,
    );
  }
  if (!/^[a-zA-Z0-9._-]+$/.test(topic)) {
    throw new InvalidTopicError(
      `Topic name "${topic}" is illegal, it contains a character other than ASCII alphanumerics, '.', '_' and '-'`,
    );
  }
}

/** Whether a topic name has '.' or '_', which collide in metric names. */
function hasCollisionChars(topic: string): boolean {
  return topic.includes('.') || topic.includes('_');
}

function unifyCollisionChars(topic: string): string {
  return topic.replace(/\./g, '_');
}

function validateNewReplicaAssignment(
  assignment: ReadonlyMap<number, readonly number[]>,
  expectedReplicationFactor: number,
  availableBrokerIds: ReadonlySet<number>,
): void {
  for (const [partition, replicas] of assignment) {
    if (replicas.length === 0) {
      throw new InvalidReplicaAssignmentError(`Cannot have replication factor of 0 for partition id ${partition}.`);
    }
    if (new Set(replicas).size !== replicas.length) {
      throw new InvalidReplicaAssignmentError(
        `Duplicate brokers not allowed in replica assignment: ${replicas.join(', ')} for partition id ${partition}.`,
      );
    }
    if (!replicas.every((r) => availableBrokerIds.has(r))) {
      throw new KafkaError(
        BROKER_NOT_AVAILABLE,
        `Some brokers specified for partition id ${partition} are not available. Specified brokers: ${replicas.join(', ')}, available brokers: ${[...availableBrokerIds].join(', ')}.`,
      );
    }
    if (replicas.length !== expectedReplicationFactor) {
      throw new InvalidReplicaAssignmentError(
        `Inconsistent replication factor between partitions, partition 0 has ${expectedReplicationFactor} while partition ${partition} has ${replicas.length} replicas.`,
      );
    }
  }
}

function toRecord(configs: Configs): Record<string, string> {
  return configs instanceof Map ? Object.fromEntries(configs) : { ...(configs as Readonly<Record<string, string>>) };
}

function formatAssignment(assignment: ReadonlyMap<number, readonly number[]>): string {
  return `{${[...assignment].map(([p, r]) => `${p}: [${r.join(',')}]`).join(', ')}}`;
}
