/**
 * kafka-topics through `--bootstrap-server`: Kafka 3.9's TopicCommand.TopicService, on the project's
 * admin client (CreateTopics / DeleteTopics / CreatePartitions to the controller, Metadata for listing
 * and describing, DescribeConfigs for the `Configs:` column and min.insync.replicas,
 * ListPartitionReassignments for the `Adding Replicas` / `Removing Replicas` of partitions being moved).
 */

import { Admin, ConfigResourceType, type PartitionReassignment, type TopicPartition } from '../client/admin';
import { KafkaResponseError, UnsupportedVersionError } from '../client/client-errors';
import { KafkaClient, type ClientLogger } from '../client/kafka-client';
import { ErrorCode } from '../protocol';
import {
  DescribeOptions,
  IllegalArgumentError,
  ensureTopicExists,
  filterTopics,
  printTopicAndPartitions,
  replicationFactorOf,
  type DescribeFilters,
} from './topic-command-support';
import type { ToolIO } from './tool-support';

/** What the topic services need from the parsed command line. */
export interface TopicCommandRequest {
  topic: string | undefined;
  topicId: string | undefined;
  partitions: number | undefined;
  replicationFactor: number | undefined;
  replicaAssignment: number[][] | undefined;
  configs: Record<string, string>;
  ifExists: boolean;
  ifNotExists: boolean;
  excludeInternal: boolean;
  disableRackAware: boolean;
  deleteConfigs: string[];
  filters: DescribeFilters;
}

/** The operations of kafka-topics, implemented by each back-end. */
export interface TopicService {
  createTopic(req: TopicCommandRequest): Promise<void>;
  listTopics(req: TopicCommandRequest): Promise<void>;
  alterTopic(req: TopicCommandRequest): Promise<void>;
  describeTopic(req: TopicCommandRequest): Promise<void>;
  deleteTopic(req: TopicCommandRequest): Promise<void>;
  close(): Promise<void>;
}

/** Client settings a `--command-config` file may give (others are ignored, as unknown client props). */
export function clientSettingsFrom(props: Record<string, string>): {
  clientId?: string;
  requestTimeoutMs?: number;
  defaultApiTimeoutMs?: number;
  retryBackoffMs?: number;
  connectTimeoutMs?: number;
} {
  const num = (k: string) => (props[k] !== undefined && props[k]!.trim() !== '' ? Number(props[k]) : undefined);
  return {
    clientId: props['client.id'],
    requestTimeoutMs: num('request.timeout.ms'),
    defaultApiTimeoutMs: num('default.api.timeout.ms'),
    retryBackoffMs: num('retry.backoff.ms'),
    connectTimeoutMs: num('socket.connection.setup.timeout.ms'),
  };
}

/**
 * The client of kafka-topics and kafka-configs over `--bootstrap-server`: the `--command-config`
 * settings they use (client.id `adminclient-1` unless given), log lines prefixed as AdminClient's.
 */
export function adminToolClient(options: { bootstrapServers: string; commandConfig: Record<string, string>; logger?: ClientLogger }): KafkaClient {
  const settings = clientSettingsFrom(options.commandConfig);
  const clientId = settings.clientId ?? 'adminclient-1';
  return new KafkaClient({
    bootstrapServers: options.bootstrapServers,
    clientId,
    logContext: `AdminClient clientId=${clientId}`,
    requestTimeoutMs: settings.requestTimeoutMs,
    retryBackoffMs: settings.retryBackoffMs,
    connectTimeoutMs: settings.connectTimeoutMs,
    logger: options.logger,
  });
}

/** kafka-topics over the Kafka protocol. */
export class AdminTopicService implements TopicService {
  private readonly client: KafkaClient;
  private readonly admin: Admin;

  constructor(
    private readonly io: ToolIO,
    options: { bootstrapServers: string; commandConfig: Record<string, string>; logger?: ClientLogger },
  ) {
    this.client = adminToolClient(options);
    this.admin = new Admin(this.client, { defaultApiTimeoutMs: clientSettingsFrom(options.commandConfig).defaultApiTimeoutMs });
  }

  async createTopic(req: TopicCommandRequest): Promise<void> {
    const name = req.topic!;
    if (req.replicationFactor !== undefined && (req.replicationFactor > 32767 || req.replicationFactor < 1)) {
      throw new IllegalArgumentError('The replication factor must be between 1 and 32767 inclusive');
    }
    if (req.partitions !== undefined && req.partitions < 1) {
      throw new IllegalArgumentError('The partitions must be greater than 0');
    }
    const [result] = await this.admin.createTopics([
      req.replicaAssignment
        ? { name, replicaAssignment: req.replicaAssignment, configs: req.configs }
        : { name, numPartitions: req.partitions ?? -1, replicationFactor: req.replicationFactor ?? -1, configs: req.configs },
    ]);
    if (result!.error) {
      if (result!.error.code === ErrorCode.TOPIC_ALREADY_EXISTS && req.ifNotExists) return;
      throw result!.error;
    }
    this.io.out(`Created topic ${name}.\n`);
  }

  async listTopics(req: TopicCommandRequest): Promise<void> {
    const topics = await this.getTopics(req.topic, req.excludeInternal);
    this.io.out(`${topics.join('\n')}\n`);
  }

  async alterTopic(req: TopicCommandRequest): Promise<void> {
    const topics = await this.getTopics(req.topic, req.excludeInternal);
    ensureTopicExists(topics, { requested: req.topic, requireExists: !req.ifExists });
    if (topics.length === 0) return;
    const described = req.replicaAssignment ? await this.admin.describeTopics(topics) : [];
    const requests = topics.map((name) => {
      if (!req.replicaAssignment) return { name, totalCount: req.partitions! };
      const existing = described.find((d) => d.name === name)!.partitions.length;
      return { name, totalCount: req.partitions!, assignment: req.replicaAssignment.slice(existing) };
    });
    const results = await this.admin.createPartitions(requests);
    for (const r of results) if (r.error) throw r.error;
  }

  async describeTopic(req: TopicCommandRequest): Promise<void> {
    let topics: string[];
    const useTopicId = req.topicId !== undefined && req.topicId !== 'AAAAAAAAAAAAAAAAAAAAAA';
    if (useTopicId) {
      const all = await this.admin.listTopics({ listInternal: !req.excludeInternal });
      topics = all.filter((t) => t.topicId === req.topicId).map((t) => t.name);
      if (topics.length === 0 && !req.ifExists) {
        throw new IllegalArgumentError(`TopicId '${req.topicId}' does not exist as expected`);
      }
    } else {
      topics = await this.getTopics(req.topic, req.excludeInternal);
      ensureTopicExists(topics, { requested: req.topic, requireExists: !req.ifExists });
    }
    if (topics.length === 0) return;
    const descriptions = await this.admin.describeTopics(topics);
    const configs = await this.admin.describeConfigs(
      descriptions.map((d) => ({ type: ConfigResourceType.TOPIC, name: d.name })),
    );
    const cluster = await this.admin.describeCluster();
    const describe = new DescribeOptions(req.filters, new Set(cluster.brokers.map((b) => b.nodeId)));
    const reassignments = await this.listAllReassignments(
      descriptions.flatMap((d) => d.partitions.map((p) => ({ topic: d.name, partition: p.partition }))),
    );
    for (const td of descriptions) {
      const config = configs.find((c) => c.resourceName === td.name)!;
      if (config.error) throw config.error;
      const minIsrEntry = config.entries.find((e) => e.name === 'min.insync.replicas');
      const minIsr = minIsrEntry?.value ? Number(minIsrEntry.value) : undefined;
      const sorted = [...td.partitions].sort((a, b) => a.partition - b.partition);
      printTopicAndPartitions(this.io, {
        options: describe,
        topic: {
          topic: td.name,
          topicId: td.topicId,
          numPartitions: td.partitions.length,
          replicationFactor: sorted[0] ? replicationFactorOf(sorted[0].replicas, reassignments.get(`${td.name}-${sorted[0].partition}`)) : 0,
          configs: config.entries.filter((e) => !e.isDefault).map((e) => ({ name: e.name, value: e.value })),
          markedForDeletion: false,
        },
        partitions: sorted.map((p) => ({
          topic: td.name,
          partition: p.partition,
          leader: p.leader >= 0 ? p.leader : null,
          replicas: p.replicas,
          isr: p.isr,
          markedForDeletion: false,
          minIsr,
          reassignment: reassignments.get(`${td.name}-${p.partition}`) ?? null,
        })),
      });
    }
  }

  async deleteTopic(req: TopicCommandRequest): Promise<void> {
    const topics = await this.getTopics(req.topic, req.excludeInternal);
    ensureTopicExists(topics, { requested: req.topic, requireExists: !req.ifExists });
    if (topics.length === 0) return;
    const results = await this.admin.deleteTopics(topics);
    for (const r of results) if (r.error) throw r.error;
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  /**
   * TopicService.listAllReassignments: the ongoing reassignments of the partitions by `topic-partition`;
   * none when the brokers do not serve ListPartitionReassignments or the principal may not use it.
   */
  private async listAllReassignments(partitions: TopicPartition[]): Promise<Map<string, PartitionReassignment>> {
    try {
      const listed = await this.admin.listPartitionReassignments(partitions);
      return new Map(listed.map((r) => [`${r.topic}-${r.partition}`, r]));
    } catch (err) {
      if (err instanceof UnsupportedVersionError) return new Map();
      if (err instanceof KafkaResponseError && err.code === ErrorCode.CLUSTER_AUTHORIZATION_FAILED) return new Map();
      throw err;
    }
  }

  private async getTopics(include: string | undefined, excludeInternal: boolean): Promise<string[]> {
    const all = await this.admin.listTopics({ listInternal: !excludeInternal });
    return filterTopics(all.map((t) => t.name), { include, excludeInternal });
  }
}
