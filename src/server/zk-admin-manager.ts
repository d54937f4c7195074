/**
 * ZkAdminManager (Kafka's server.ZkAdminManager): the ZooKeeper-writing side of CreateTopics, DeleteTopics
 * and DescribeConfigs.
 *
 * CreateTopics validates the request (name, partitions, replication factor against the live brokers,
 * manual assignments, topic configs), computes Kafka's replica assignment, writes /config/topics/<t> and
 * /brokers/topics/<t>, and then waits until the controller's UpdateMetadata shows a leader for every
 * partition (Kafka's DelayedCreatePartitions). DeleteTopics marks /admin/delete_topics/<t> and waits
 * until the topic left the metadata cache (DelayedDeleteTopics). CreatePartitions extends a topic's
 * assignment with Kafka's placement and waits for the new partitions' leaders the same way
 * (DelayedCreatePartitions). AlterConfigs and IncrementalAlterConfigs are config/config-admin.ts.
 */
import { randomBytes } from 'node:crypto';
import type { KafkaConfig } from '../config/broker-config';
import { ErrorCode } from '../protocol';
import {
  InvalidPartitionsError, InvalidReplicaAssignmentError, KafkaError, UnknownTopicOrPartitionError,
} from '../common/kafka-error';
import type { MetadataCache } from '../metadata/metadata-cache';
import type { KafkaZkClient } from '../zk/kafka-zk-client';
import { assignReplicasToBrokers, type BrokerMetadata } from '../zk/replica-assignment';
import { RackAwareMode } from '../zk/admin-zk-client';
import {
  ZkConfigAdmin, type AlterConfigsResourceInput, type AlterConfigsResourceResult, type IncrementalAlterConfigsResourceInput,
} from './config/config-admin';
import { validateTopicConfigs, describeTopicConfigs } from '../config/log-config-builder';
import { ConfigSource, type ConfigEntry } from '../config/config-types';
import { hasCollisionChars, unifyCollisionChars, validateTopicName } from './topic-names';

export interface CreatableTopicSpec {
  name: string;
  numPartitions: number;
  replicationFactor: number;
  assignments: { partitionIndex: number; brokerIds: number[] }[];
  configs: { name: string; value: string | null }[];
}

/** A topic of a CreatePartitions request: the new total count and, optionally, the new partitions' replicas. */
export interface CreatePartitionsSpec {
  name: string;
  count: number;
  assignments: number[][] | null;
}

export interface DescribedConfig {
  name: string;
  value: string | null;
  readOnly: boolean;
  source: number;
  isSensitive: boolean;
  synonyms: { name: string; value: string | null; source: number }[];
  configType: number;
  documentation: string | null;
}

export interface CreateTopicResult {
  name: string;
  topicId: string;
  errorCode: number;
  errorMessage: string | null;
  numPartitions: number;
  replicationFactor: number;
  configs: { name: string; value: string | null; readOnly: boolean; configSource: number; isSensitive: boolean }[] | null;
}

interface AdminLogger {
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string, err?: unknown): void;
}

export class ZkAdminManager {
  private readonly configAdmin: ZkConfigAdmin;

  constructor(
    private readonly opts: {
      config: KafkaConfig;
      zkClient: KafkaZkClient;
      metadataCache: MetadataCache;
      logger: AdminLogger;
    },
  ) {
    this.configAdmin = new ZkConfigAdmin(opts);
  }

  async createTopics(
    topics: CreatableTopicSpec[],
    opts: { validateOnly: boolean; timeoutMs: number; includeConfigs: boolean },
  ): Promise<CreateTopicResult[]> {
    const results = await Promise.all(topics.map((t) => this.createTopic(t, opts)));
    const created = results.filter((r) => r.errorCode === ErrorCode.NONE && !opts.validateOnly).map((r) => r.name);
    if (created.length > 0 && opts.timeoutMs > 0) {
      const ready = await this.waitFor(
        () => created.every((name) => this.allPartitionsHaveLeaders(name)),
        opts.timeoutMs,
      );
      if (!ready) {
        for (const r of results) {
          if (created.includes(r.name) && !this.allPartitionsHaveLeaders(r.name)) {
            r.errorCode = ErrorCode.REQUEST_TIMED_OUT;
            r.errorMessage = `Timed out waiting for the leaders of topic ${r.name} to be elected`;
          }
        }
      }
    }
    return results;
  }

  private async createTopic(
    spec: CreatableTopicSpec,
    opts: { validateOnly: boolean; includeConfigs: boolean },
  ): Promise<CreateTopicResult> {
    const result: CreateTopicResult = {
      name: spec.name,
      topicId: 'AAAAAAAAAAAAAAAAAAAAAA',
      errorCode: ErrorCode.NONE,
      errorMessage: null,
      numPartitions: -1,
      replicationFactor: -1,
      configs: null,
    };
    const fail = (code: number, message: string) => {
      result.errorCode = code;
      result.errorMessage = message;
      return result;
    };
    try {
      const invalidName = validateTopicName(spec.name);
      if (invalidName !== null) return fail(ErrorCode.INVALID_TOPIC_EXCEPTION, invalidName);
      const zk = this.opts.zkClient;
      if (await zk.topicExists(spec.name)) {
        const marked = await zk.isTopicMarkedForDeletion(spec.name);
        return fail(
          ErrorCode.TOPIC_ALREADY_EXISTS,
          marked ? `Topic '${spec.name}' is marked for deletion.` : `Topic '${spec.name}' already exists.`,
        );
      }
      if (hasCollisionChars(spec.name)) {
        const unified = unifyCollisionChars(spec.name);
        const clash = (await zk.getAllTopicsInCluster()).find((t) => t !== spec.name && unifyCollisionChars(t) === unified);
        if (clash !== undefined) {
          return fail(ErrorCode.INVALID_TOPIC_EXCEPTION, `Topic '${spec.name}' collides with existing topic: ${clash}`);
        }
      }
      const configs: Record<string, string> = {};
      for (const c of spec.configs) {
        if (c.value === null) return fail(ErrorCode.INVALID_CONFIG, `Null value not supported for topic configs: ${c.name}`);
        configs[c.name] = c.value;
      }
      try {
        validateTopicConfigs(configs);
      } catch (err) {
        return fail(ErrorCode.INVALID_CONFIG, err instanceof Error ? err.message : String(err));
      }
      const assignment = this.assignment(spec);
      result.numPartitions = assignment.size;
      result.replicationFactor = assignment.get(0)?.length ?? spec.replicationFactor;
      if (opts.includeConfigs) {
        result.configs = describeTopicConfigs(this.opts.config, configs, { includeSynonyms: false, includeDocumentation: false }).map(
          (c) => ({ name: c.name, value: c.value, readOnly: c.readOnly, configSource: ConfigSource[c.source], isSensitive: c.sensitive }),
        );
      }
      if (opts.validateOnly) return result;
      const topicId = randomTopicId();
      await zk.createTopicWithAssignment(spec.name, configs, assignment, topicId);
      result.topicId = topicId;
      this.opts.logger.info(
        `Creating topic ${spec.name} with configuration {${Object.entries(configs).map(([k, v]) => `${k}=${v}`).join(', ')}} ` +
          `and initial partition assignment ${formatAssignment(assignment)}`,
      );
      return result;
    } catch (err) {
      if (err instanceof KafkaError) return fail(err.code, err.message);
      this.opts.logger.error(`Error processing create topic request for topic ${spec.name}`, err);
      return fail(ErrorCode.UNKNOWN_SERVER_ERROR, err instanceof Error ? err.message : String(err));
    }
  }

  /** The replica assignment asked for, or Kafka's computed one over the live brokers. */
  private assignment(spec: CreatableTopicSpec): Map<number, number[]> {
    const cfg = this.opts.config;
    if (spec.assignments.length > 0) {
      if (spec.numPartitions !== -1 || spec.replicationFactor !== -1) {
        throw new KafkaError(
          ErrorCode.INVALID_REQUEST,
          'Both numPartitions or replicationFactor and replicasAssignments were set. Both cannot be used at the same time.',
        );
      }
      const out = new Map<number, number[]>();
      const sorted = [...spec.assignments].sort((a, b) => a.partitionIndex - b.partitionIndex);
      sorted.forEach((a, i) => {
        if (a.partitionIndex !== i) {
          throw new KafkaError(ErrorCode.INVALID_REPLICA_ASSIGNMENT, 'Unexpected existing replica assignment for partition ' + a.partitionIndex);
        }
        if (a.brokerIds.length === 0) {
          throw new KafkaError(ErrorCode.INVALID_REPLICA_ASSIGNMENT, `Replica list for partition ${a.partitionIndex} is empty`);
        }
        if (new Set(a.brokerIds).size !== a.brokerIds.length) {
          throw new KafkaError(ErrorCode.INVALID_REPLICA_ASSIGNMENT, `Duplicate replica assignment found: ${a.brokerIds.join(',')}`);
        }
        for (const id of a.brokerIds) {
          if (!this.opts.metadataCache.hasAliveBroker(id)) {
            throw new KafkaError(ErrorCode.INVALID_REPLICA_ASSIGNMENT, `Unknown broker id ${id} in replica assignment`);
          }
        }
        out.set(a.partitionIndex, a.brokerIds);
      });
      const rf = out.get(0)!.length;
      for (const [p, r] of out) {
        if (r.length !== rf) {
          throw new KafkaError(ErrorCode.INVALID_REPLICA_ASSIGNMENT, `All partitions should have the same number of replicas; partition ${p} has ${r.length}`);
        }
      }
      return out;
    }
    const partitions = spec.numPartitions === -1 ? cfg.numPartitions : spec.numPartitions;
    const rf = spec.replicationFactor === -1 ? cfg.defaultReplicationFactor : spec.replicationFactor;
    if (partitions <= 0) throw new KafkaError(ErrorCode.INVALID_PARTITIONS, 'Number of partitions must be larger than 0.');
    if (rf <= 0) throw new KafkaError(ErrorCode.INVALID_REPLICATION_FACTOR, 'Replication factor must be larger than 0.');
    const brokers = this.opts.metadataCache.aliveBrokers().map((b) => ({ id: b.id, rack: b.rack }));
    if (rf > brokers.length) {
      throw new KafkaError(
        ErrorCode.INVALID_REPLICATION_FACTOR,
        `Replication factor: ${rf} larger than available brokers: ${brokers.length}.`,
      );
    }
    return assignReplicasToBrokers(brokers, partitions, rf);
  }

  async deleteTopics(names: string[], timeoutMs: number): Promise<Map<string, { errorCode: number; errorMessage: string | null }>> {
    const results = new Map<string, { errorCode: number; errorMessage: string | null }>();
    for (const name of names) {
      try {
        await this.opts.zkClient.markTopicForDeletion(name);
        this.opts.logger.info(`Topic ${name} is marked for deletion.`);
        results.set(name, { errorCode: ErrorCode.NONE, errorMessage: null });
      } catch (err) {
        if (err instanceof KafkaError) results.set(name, { errorCode: err.code, errorMessage: err.message });
        else {
          this.opts.logger.error(`Error processing delete topic request for topic ${name}`, err);
          results.set(name, { errorCode: ErrorCode.UNKNOWN_SERVER_ERROR, errorMessage: String(err) });
        }
      }
    }
    const marked = names.filter((n) => results.get(n)!.errorCode === ErrorCode.NONE);
    if (marked.length > 0 && timeoutMs > 0) {
      const done = await this.waitFor(() => marked.every((n) => !this.opts.metadataCache.contains(n)), timeoutMs);
      if (!done) {
        for (const n of marked) {
          if (this.opts.metadataCache.contains(n)) {
            results.set(n, { errorCode: ErrorCode.REQUEST_TIMED_OUT, errorMessage: `Timed out waiting for topic ${n} to be deleted` });
          }
        }
      }
    }
    return results;
  }

  async describeConfigs(resource: {
    resourceType: number;
    resourceName: string;
    configurationKeys: string[] | null;
    includeSynonyms: boolean;
    includeDocumentation: boolean;
  }): Promise<{ errorCode: number; errorMessage: string | null; configs: DescribedConfig[] }> {
    const names = resource.configurationKeys ?? undefined;
    const filter = (configs: ConfigEntry[]): DescribedConfig[] => configs.map(toDescribedConfig);
    const describeOpts = {
      names,
      includeSynonyms: resource.includeSynonyms,
      includeDocumentation: resource.includeDocumentation,
    };
    try {
      if (resource.resourceType === RESOURCE_TOPIC) {
        const invalid = validateTopicName(resource.resourceName);
        if (invalid !== null) return { errorCode: ErrorCode.INVALID_TOPIC_EXCEPTION, errorMessage: invalid, configs: [] };
        if (!this.opts.metadataCache.contains(resource.resourceName) && !(await this.opts.zkClient.topicExists(resource.resourceName))) {
          return {
            errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
            errorMessage: `Topic ${resource.resourceName} does not exist`,
            configs: [],
          };
        }
        const overrides = await this.opts.zkClient.fetchEntityConfig('topics', resource.resourceName);
        return {
          errorCode: ErrorCode.NONE,
          errorMessage: null,
          configs: filter(describeTopicConfigs(this.opts.config, overrides, describeOpts)),
        };
      }
      if (resource.resourceType === RESOURCE_BROKER) {
        const name = resource.resourceName;
        if (name !== '' && name !== String(this.opts.config.brokerId)) {
          return {
            errorCode: ErrorCode.INVALID_REQUEST,
            errorMessage: `Unexpected broker id, expected ${this.opts.config.brokerId} or empty string, but received ${name}`,
            configs: [],
          };
        }
        // The empty name is the cluster default: only its dynamic (`<default>`) configs, as Kafka reports them.
        return {
          errorCode: ErrorCode.NONE,
          errorMessage: null,
          configs: filter(this.opts.config.describe({ ...describeOpts, clusterDefault: name === '' })),
        };
      }
      return {
        errorCode: ErrorCode.INVALID_REQUEST,
        errorMessage: `Unsupported resource type ${resource.resourceType}`,
        configs: [],
      };
    } catch (err) {
      if (err instanceof KafkaError) return { errorCode: err.code, errorMessage: err.message, configs: [] };
      this.opts.logger.error(`Error processing describe configs request for resource ${resource.resourceName}`, err);
      return { errorCode: ErrorCode.UNKNOWN_SERVER_ERROR, errorMessage: String(err), configs: [] };
    }
  }

  /** AlterConfigs for TOPIC and BROKER resources (see config/config-admin.ts). */
  alterConfigs(resources: readonly AlterConfigsResourceInput[], opts: { validateOnly: boolean }): Promise<AlterConfigsResourceResult[]> {
    return this.configAdmin.alterConfigs(resources, opts);
  }

  /** IncrementalAlterConfigs for TOPIC and BROKER resources (see config/config-admin.ts). */
  incrementalAlterConfigs(
    resources: readonly IncrementalAlterConfigsResourceInput[],
    opts: { validateOnly: boolean },
  ): Promise<AlterConfigsResourceResult[]> {
    return this.configAdmin.incrementalAlterConfigs(resources, opts);
  }

  /**
   * CreatePartitions (Kafka's ZkAdminManager.createPartitions): per topic, checks the request against the
   * current assignment, places the new partitions with Kafka's algorithm (continuing from the existing
   * assignment's start broker) unless assignments are given, and rewrites /brokers/topics/<t> with the same
   * topic id; the controller then creates the partitions. Unless validateOnly, waits until the metadata cache
   * shows a leader for every partition of the changed topics (REQUEST_TIMED_OUT after timeoutMs).
   */
  async createPartitions(
    topics: readonly CreatePartitionsSpec[],
    opts: { validateOnly: boolean; timeoutMs: number },
  ): Promise<Map<string, { errorCode: number; errorMessage: string | null }>> {
    const results = new Map<string, { errorCode: number; errorMessage: string | null }>();
    const changed: { name: string; partitions: number }[] = [];
    let brokers: Promise<BrokerMetadata[]> | undefined;
    for (const spec of topics) {
      try {
        brokers ??= this.opts.zkClient.getBrokerMetadatas(RackAwareMode.Enforced);
        const assignment = await this.createPartitionsFor(spec, await brokers, opts.validateOnly);
        changed.push({ name: spec.name, partitions: assignment.size });
        results.set(spec.name, { errorCode: ErrorCode.NONE, errorMessage: null });
      } catch (err) {
        if (err instanceof KafkaError) {
          results.set(spec.name, { errorCode: err.code, errorMessage: err.message });
        } else {
          this.opts.logger.error(`Error processing create partitions request for topic ${spec.name}`, err);
          results.set(spec.name, { errorCode: ErrorCode.UNKNOWN_SERVER_ERROR, errorMessage: null });
        }
      }
    }
    if (opts.validateOnly || changed.length === 0) return results;
    const ready = (t: { name: string; partitions: number }) => {
      for (let p = 0; p < t.partitions; p++) {
        const state = this.opts.metadataCache.partitionState(t.name, p);
        if (state === undefined || state.leader < 0) return false;
      }
      return true;
    };
    if (opts.timeoutMs > 0) await this.waitFor(() => changed.every(ready), opts.timeoutMs);
    for (const t of changed) {
      if (opts.timeoutMs <= 0 || !ready(t)) results.set(t.name, { errorCode: ErrorCode.REQUEST_TIMED_OUT, errorMessage: null });
    }
    return results;
  }

  /** One topic of CreatePartitions; returns the topic's whole new assignment. */
  private async createPartitionsFor(spec: CreatePartitionsSpec, allBrokers: BrokerMetadata[], validateOnly: boolean): Promise<Map<number, number[]>> {
    const zk = this.opts.zkClient;
    const topic = spec.name;
    if (await zk.isTopicMarkedForDeletion(topic)) throw new KafkaError(ErrorCode.INVALID_TOPIC_EXCEPTION, 'The topic is queued for deletion.');
    const existing = await zk.getPartitionAssignmentForTopic(topic);
    for (const a of existing?.values() ?? []) {
      // No partitions are added while the controller moves replicas: the two rewrites of the node would race.
      if (a.addingReplicas.length > 0 || a.removingReplicas.length > 0) {
        throw new KafkaError(ErrorCode.REASSIGNMENT_IN_PROGRESS, `A partition reassignment is in progress for the topic '${topic}'.`);
      }
    }
    if (existing === null || existing.size === 0) throw new UnknownTopicOrPartitionError(`The topic '${topic}' does not exist.`);
    const current = existing.size;
    const increment = spec.count - current;
    if (increment < 0) {
      throw new InvalidPartitionsError(`Topic currently has ${current} partitions, which is higher than the requested ${spec.count}.`);
    }
    if (increment === 0) throw new InvalidPartitionsError(`Topic already has ${current} partitions.`);
    let replicaAssignment: Map<number, number[]> | undefined;
    if (spec.assignments !== null) {
      const known = new Set(allBrokers.map((b) => b.id));
      const unknown = [...new Set(spec.assignments.flat())].filter((id) => !known.has(id));
      if (unknown.length > 0) throw new InvalidReplicaAssignmentError(`Unknown broker(s) in replica assignment: ${unknown.join(', ')}.`);
      if (spec.assignments.length !== increment) {
        throw new InvalidReplicaAssignmentError(
          `Increasing the number of partitions by ${increment} but ${spec.assignments.length} assignments provided.`,
        );
      }
      replicaAssignment = new Map(spec.assignments.map((replicas, i) => [current + i, [...replicas]]));
    }
    return zk.addPartitions(topic, { existingAssignment: existing, allBrokers, numPartitions: spec.count, replicaAssignment, validateOnly });
  }

  private allPartitionsHaveLeaders(topic: string): boolean {
    const parts = this.opts.metadataCache.partitions(topic);
    return parts.length > 0 && parts.every((p) => p.leader >= 0);
  }

  /** Resolves true once check() holds after a metadata update, false after timeoutMs. */
  private waitFor(check: () => boolean, timeoutMs: number): Promise<boolean> {
    if (check()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const stop = this.opts.metadataCache.onUpdate(() => {
        if (check()) finish(true);
      });
      const timer = setTimeout(() => finish(false), timeoutMs);
      const finish = (ok: boolean) => {
        clearTimeout(timer);
        stop();
        resolve(ok);
      };
    });
  }
}

/** A config entry in DescribeConfigs' terms (numeric sources and types). */
function toDescribedConfig(e: ConfigEntry): DescribedConfig {
  return {
    name: e.name,
    value: e.value,
    readOnly: e.readOnly,
    source: ConfigSource[e.source],
    isSensitive: e.sensitive,
    synonyms: e.synonyms.map((s) => ({ name: s.name, value: s.value, source: ConfigSource[s.source] })),
    configType: e.type,
    documentation: e.documentation,
  };
}

const RESOURCE_TOPIC = 2;
const RESOURCE_BROKER = 4;

/** A random topic id as Kafka makes them: never the zero uuid, never printed with a leading '-'. */
export function randomTopicId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-') && id !== 'AAAAAAAAAAAAAAAAAAAAAA' && id !== 'AAAAAAAAAAAAAAAAAAAAAQ') return id;
  }
}

function formatAssignment(a: Map<number, number[]>): string {
  return `HashMap(${[...a].map(([p, r]) => `${p} -> ArrayBuffer(${r.join(', ')})`).join(', ')})`;
}
