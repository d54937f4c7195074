/**
 * The project's admin client: Kafka's Admin API over a KafkaClient.
 *
 * - CreateTopics (v0-7), DeleteTopics (v0-6, by name) and CreatePartitions (v0-3) go to the active
 *   controller (Metadata's controllerId); NOT_CONTROLLER and other retriable errors refresh the
 *   metadata and retry until the API timeout (default.api.timeout.ms), as Kafka's KafkaAdminClient does.
 * - Topic listing and descriptions, and the cluster's brokers, come from Metadata.
 * - Configs (DescribeConfigs, IncrementalAlterConfigs, AlterConfigs) are in admin-configs.ts;
 *   reassignments and leader elections (AlterPartitionReassignments, ListPartitionReassignments,
 *   ElectLeaders) in admin-reassignments.ts; this class is their single entry point.
 *
 * Results are per item (a topic's failure does not hide the others' outcome), with errors as
 * KafkaResponseError carrying the Kafka error code; `*OrThrow` helpers raise the first error, like
 * KafkaFuture.all().get().
 */

import { ApiKeys, ErrorCode, type RequestInputOf } from '../protocol';
import {
  type AlterConfigOp,
  type AlterConfigsResult,
  type ConfigResource,
  type ConfigResourceResult,
  alterConfigs,
  describeConfigs,
  incrementalAlterConfigs,
} from './admin-configs';
import {
  type ElectionType,
  type PartitionReassignment,
  type PartitionResult,
  type ReassignmentTarget,
  type TopicPartition,
  alterPartitionReassignments,
  electLeaders,
  listPartitionReassignments,
} from './admin-reassignments';
import {
  type DeletedRecords,
  type LogDirDescription,
  type RecordsToDelete,
  deleteRecords,
  describeLogDirs,
} from './admin-log-dirs';
import { type AdminContext, adminRetry, itemError, noTopicResultError, perTopicControllerCall } from './admin-support';
import { KafkaResponseError } from './client-errors';
import type { BrokerNode, KafkaClient, PartitionMetadata } from './kafka-client';

export * from './admin-configs';
export * from './admin-reassignments';
export * from './admin-log-dirs';

/** A topic to create. Unset counts/factors (-1) take the broker defaults (KIP-464). */
export interface NewTopic {
  name: string;
  numPartitions?: number;
  replicationFactor?: number;
  /** Explicit assignment: replica broker ids per partition, partition 0 first. */
  replicaAssignment?: readonly (readonly number[])[];
  configs?: Readonly<Record<string, string>>;
}

/** Outcome of creating one topic. */
export interface CreateTopicResult {
  name: string;
  error: KafkaResponseError | null;
  topicId: string | null;
  numPartitions: number;
  replicationFactor: number;
}

/** Outcome of deleting one topic. */
export interface DeleteTopicResult {
  name: string;
  error: KafkaResponseError | null;
}

/** A topic in a listing. */
export interface TopicListing {
  name: string;
  topicId: string;
  isInternal: boolean;
}

/** A topic's description from Metadata. */
export interface TopicDescription {
  name: string;
  topicId: string;
  isInternal: boolean;
  partitions: PartitionMetadata[];
}

/** What describeCluster returns. */
export interface ClusterDescription {
  clusterId: string | null;
  controllerId: number;
  brokers: BrokerNode[];
}

/** Options of Admin. */
export interface AdminOptions {
  /** default.api.timeout.ms: overall time an operation may take with its retries. Default 60000. */
  defaultApiTimeoutMs?: number;
}

/** Admin operations over a KafkaClient (the client is owned by the caller). */
export class Admin {
  private readonly defaultApiTimeoutMs: number;
  private readonly context: AdminContext;

  constructor(
    private readonly client: KafkaClient,
    options?: AdminOptions,
  ) {
    this.defaultApiTimeoutMs = options?.defaultApiTimeoutMs ?? 60_000;
    this.context = { client, defaultApiTimeoutMs: this.defaultApiTimeoutMs };
  }

  /** Creates topics through the controller; per-topic results (TOPIC_ALREADY_EXISTS etc. as errors). */
  async createTopics(
    topics: readonly NewTopic[],
    options?: { timeoutMs?: number; validateOnly?: boolean },
  ): Promise<CreateTopicResult[]> {
    const timeoutMs = options?.timeoutMs ?? this.defaultApiTimeoutMs;
    const answers = await perTopicControllerCall(this.context, topics, {
      nameOf: (t) => t.name,
      operation: 'createTopics',
      timeoutMs,
      send: async (conn, pending) => {
        const request = {
          topics: pending.map((t) => ({
            name: t.name,
            numPartitions: t.replicaAssignment ? -1 : (t.numPartitions ?? -1),
            replicationFactor: t.replicaAssignment ? -1 : (t.replicationFactor ?? -1),
            assignments: (t.replicaAssignment ?? []).map((brokerIds, partitionIndex) => ({
              partitionIndex,
              brokerIds: [...brokerIds],
            })),
            configs: Object.entries(t.configs ?? {}).map(([name, value]) => ({ name, value })),
          })),
          timeoutMs: Math.min(timeoutMs, 2_147_483_647),
          validateOnly: options?.validateOnly ?? false,
        } as RequestInputOf<typeof ApiKeys.CreateTopics>;
        const version = conn.pickVersion(ApiKeys.CreateTopics, 0, 7);
        const response = await conn.request(ApiKeys.CreateTopics, version, request, {
          timeoutMs: this.client.requestTimeoutMs + timeoutMs,
        });
        return response.topics;
      },
    });
    return topics.map((t) => {
      const r = answers.get(t.name);
      if (!r) return { name: t.name, error: noTopicResultError(), topicId: null, numPartitions: -1, replicationFactor: -1 };
      return {
        name: r.name,
        error: itemError(r.errorCode, r.errorMessage),
        topicId: r.topicId && r.topicId !== 'AAAAAAAAAAAAAAAAAAAAAA' ? r.topicId : null,
        numPartitions: r.numPartitions,
        replicationFactor: r.replicationFactor,
      };
    });
  }

  /** createTopics, throwing the first per-topic error. */
  async createTopicsOrThrow(topics: readonly NewTopic[], options?: { timeoutMs?: number }): Promise<CreateTopicResult[]> {
    const results = await this.createTopics(topics, options);
    for (const r of results) if (r.error) throw r.error;
    return results;
  }

  /** Deletes topics (by name) through the controller; per-topic results. */
  async deleteTopics(names: readonly string[], options?: { timeoutMs?: number }): Promise<DeleteTopicResult[]> {
    const timeoutMs = options?.timeoutMs ?? this.defaultApiTimeoutMs;
    const answers = await perTopicControllerCall(this.context, names, {
      nameOf: (name) => name,
      operation: 'deleteTopics',
      timeoutMs,
      send: async (conn, pending) => {
        const request = {
          topics: pending.map((name) => ({ name })),
          topicNames: pending,
          timeoutMs: Math.min(timeoutMs, 2_147_483_647),
        } as RequestInputOf<typeof ApiKeys.DeleteTopics>;
        const version = conn.pickVersion(ApiKeys.DeleteTopics, 0, 6);
        const response = await conn.request(ApiKeys.DeleteTopics, version, request, {
          timeoutMs: this.client.requestTimeoutMs + timeoutMs,
        });
        return response.responses.map((r) => ({ ...r, name: r.name ?? '' }));
      },
    });
    return names.map((name) => {
      const r = answers.get(name);
      return { name, error: r ? itemError(r.errorCode, r.errorMessage) : noTopicResultError() };
    });
  }

  /**
   * Increases topics' partition counts (CreatePartitions v0-3, to the controller). `assignment` gives
   * the replicas of the new partitions only. Throws UnsupportedVersionError if the broker lacks the API.
   */
  async createPartitions(
    topics: readonly { name: string; totalCount: number; assignment?: readonly (readonly number[])[] }[],
    options?: { timeoutMs?: number; validateOnly?: boolean },
  ): Promise<DeleteTopicResult[]> {
    const timeoutMs = options?.timeoutMs ?? this.defaultApiTimeoutMs;
    const answers = await perTopicControllerCall(this.context, topics, {
      nameOf: (t) => t.name,
      operation: 'createPartitions',
      timeoutMs,
      send: async (conn, pending) => {
        const request: RequestInputOf<typeof ApiKeys.CreatePartitions> = {
          topics: pending.map((t) => ({
            name: t.name,
            count: t.totalCount,
            assignments: t.assignment ? t.assignment.map((brokerIds) => ({ brokerIds: [...brokerIds] })) : null,
          })),
          timeoutMs: Math.min(timeoutMs, 2_147_483_647),
          validateOnly: options?.validateOnly ?? false,
        };
        const version = conn.pickVersion(ApiKeys.CreatePartitions, 0, 3);
        const response = await conn.request(ApiKeys.CreatePartitions, version, request, {
          timeoutMs: this.client.requestTimeoutMs + timeoutMs,
        });
        return response.results;
      },
    });
    return topics.map((t) => {
      const r = answers.get(t.name);
      return { name: t.name, error: r ? itemError(r.errorCode, r.errorMessage) : noTopicResultError() };
    });
  }

  /** All topics (internal ones only with `listInternal`), sorted by name. */
  async listTopics(options?: { listInternal?: boolean }): Promise<TopicListing[]> {
    const cluster = await this.withRetries(() => this.client.fetchMetadata(null), 'listTopics');
    return [...cluster.topics.values()]
      .filter((t) => t.errorCode === ErrorCode.NONE && (options?.listInternal || !t.isInternal))
      .map((t) => ({ name: t.name, topicId: t.topicId, isInternal: t.isInternal }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /**
   * Describes topics from Metadata. A topic that does not exist (or has another error) throws its
   * Kafka error, as Admin.describeTopics(...).allTopicNames().get() does.
   */
  async describeTopics(names: readonly string[]): Promise<TopicDescription[]> {
    if (names.length === 0) return [];
    const cluster = await this.withRetries(async () => {
      const c = await this.client.fetchMetadata(names);
      // Partitions without a leader during creation come back as LEADER_NOT_AVAILABLE at topic level.
      for (const name of names) {
        const t = c.topics.get(name);
        if (t && t.errorCode === ErrorCode.LEADER_NOT_AVAILABLE) throw new KafkaResponseError(t.errorCode);
      }
      return c;
    }, 'describeTopics');
    return names.map((name) => {
      const t = cluster.topics.get(name);
      if (!t) throw new KafkaResponseError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, { context: name });
      if (t.errorCode !== ErrorCode.NONE) {
        throw new KafkaResponseError(t.errorCode, {
          message: t.errorCode === ErrorCode.UNKNOWN_TOPIC_OR_PARTITION ? 'This server does not host this topic-partition.' : null,
        });
      }
      return { name: t.name, topicId: t.topicId, isInternal: t.isInternal, partitions: t.partitions };
    });
  }

  /** Brokers and controller from Metadata. */
  async describeCluster(): Promise<ClusterDescription> {
    const cluster = await this.withRetries(() => this.client.fetchMetadata([]), 'describeCluster');
    return {
      clusterId: cluster.clusterId,
      controllerId: cluster.controllerId,
      brokers: [...cluster.brokers.values()].sort((a, b) => a.nodeId - b.nodeId),
    };
  }

  /**
   * DescribeConfigs: per resource its entries. Topic resources and the cluster-wide broker default go
   * to any broker, a broker resource to that broker.
   */
  describeConfigs(
    resources: readonly (ConfigResource & { configNames?: readonly string[] })[],
    options?: { includeSynonyms?: boolean; includeDocumentation?: boolean; timeoutMs?: number },
  ): Promise<ConfigResourceResult[]> {
    return describeConfigs(this.context, resources, options);
  }

  /** DescribeLogDirs: the log dirs of each broker given, with the replicas in them. */
  describeLogDirs(brokerIds: readonly number[], options?: { timeoutMs?: number }): Promise<Map<number, LogDirDescription[]>> {
    return describeLogDirs(this.context, brokerIds, options);
  }

  /** DeleteRecords: moves each partition's log start offset up to the offset given (-1: the high watermark). */
  deleteRecords(partitions: readonly RecordsToDelete[], options?: { timeoutMs?: number }): Promise<DeletedRecords[]> {
    return deleteRecords(this.context, partitions, options);
  }

  /** IncrementalAlterConfigs (SET, DELETE, APPEND, SUBTRACT per entry); per-resource results. */
  incrementalAlterConfigs(
    resources: readonly (ConfigResource & { configs: readonly AlterConfigOp[] })[],
    options?: { validateOnly?: boolean; timeoutMs?: number },
  ): Promise<AlterConfigsResult[]> {
    return incrementalAlterConfigs(this.context, resources, options);
  }

  /** AlterConfigs (legacy): each resource's whole new set of dynamic configs; per-resource results. */
  alterConfigs(
    resources: readonly (ConfigResource & { configs: readonly { name: string; value: string | null }[] })[],
    options?: { validateOnly?: boolean; timeoutMs?: number },
  ): Promise<AlterConfigsResult[]> {
    return alterConfigs(this.context, resources, options);
  }

  /** AlterPartitionReassignments: start (replicas) or cancel (null) reassignments; per-partition results. */
  alterPartitionReassignments(
    targets: readonly ReassignmentTarget[],
    options?: { timeoutMs?: number },
  ): Promise<PartitionResult[]> {
    return alterPartitionReassignments(this.context, targets, options);
  }

  /** ListPartitionReassignments: the ongoing reassignments of `partitions` (all when null or omitted). */
  listPartitionReassignments(
    partitions?: readonly TopicPartition[] | null,
    options?: { timeoutMs?: number },
  ): Promise<PartitionReassignment[]> {
    return listPartitionReassignments(this.context, partitions ?? null, options);
  }

  /** ElectLeaders (PREFERRED or UNCLEAN) for `partitions`, or every partition when null; per-partition results. */
  electLeaders(
    electionType: ElectionType,
    partitions: readonly TopicPartition[] | null,
    options?: { timeoutMs?: number },
  ): Promise<PartitionResult[]> {
    return electLeaders(this.context, { electionType, partitions }, options);
  }

  private withRetries<T>(fn: () => Promise<T>, operation: string): Promise<T> {
    return adminRetry(this.context, fn, { operation });
  }
}
