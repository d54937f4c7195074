/**
 * The client core shared by the admin client, the producer and the consumer: bootstrap from
 * `host:port,...`, Metadata requests (v0-12, newest the broker supports) with a cached cluster view, one
 * BrokerConnection per broker address, leader lookup per partition, and retries of retriable errors
 * with exponential backoff (Kafka's retry.backoff.ms / retry.backoff.max.ms, KIP-580).
 */

import { ApiKeys, ErrorCode, type RequestInputOf, type ResponseOf } from '../protocol';
import { BrokerConnection } from './broker-connection';
import {
  BootstrapError,
  ClientClosedError,
  KafkaConnectionError,
  KafkaResponseError,
  OperationTimeoutError,
  isRetriable,
} from './client-errors';

/** Minimal logging interface of the client (the project's logger fits it). */
export interface ClientLogger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string, cause?: unknown): void;
}

const SILENT_LOGGER: ClientLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/** Options of a KafkaClient (Kafka's common client configs). */
export interface KafkaClientOptions {
  /** `host:port,host:port` or a list of `host:port` (bootstrap.servers). */
  bootstrapServers: string | readonly string[];
  /** client.id, sent in every request header. Default `ts-kafka`. */
  clientId?: string;
  /** request.timeout.ms. Default 30000. */
  requestTimeoutMs?: number;
  /** socket.connection.setup.timeout.ms. Default 10000. */
  connectTimeoutMs?: number;
  /** retry.backoff.ms. Default 100. */
  retryBackoffMs?: number;
  /** retry.backoff.max.ms. Default 1000. */
  retryBackoffMaxMs?: number;
  /** metadata.max.age.ms: cached topic metadata older than this is refreshed. Default 300000. */
  metadataMaxAgeMs?: number;
  logger?: ClientLogger;
  /** What log lines are prefixed with, e.g. `AdminClient clientId=adminclient-1`. Default `Client clientId=<id>`. */
  logContext?: string;
  /** Clock, injectable for tests. */
  now?: () => number;
}

/** A broker as Metadata describes it. */
export interface BrokerNode {
  nodeId: number;
  host: string;
  port: number;
  rack: string | null;
}

/** A partition as Metadata describes it. */
export interface PartitionMetadata {
  partition: number;
  errorCode: number;
  /** -1 when the partition has no leader. */
  leader: number;
  leaderEpoch: number;
  replicas: number[];
  isr: number[];
  offlineReplicas: number[];
}

/** A topic as Metadata describes it; partitions sorted by index. */
export interface TopicMetadata {
  name: string;
  errorCode: number;
  /** 22-character base64 topic id (all-zero `AAAAAAAAAAAAAAAAAAAAAA` when unknown). */
  topicId: string;
  isInternal: boolean;
  partitions: PartitionMetadata[];
}

/** The cluster view from the last Metadata response(s). */
export interface ClusterMetadata {
  clusterId: string | null;
  /** -1 when unknown. */
  controllerId: number;
  brokers: Map<number, BrokerNode>;
  topics: Map<string, TopicMetadata>;
}

/** Options of KafkaClient.retry. */
export interface RetryOptions {
  /** Overall deadline, from the first attempt. Default: the client's requestTimeoutMs. */
  timeoutMs?: number;
  /** Called before each retry with the error that caused it (e.g. to refresh metadata). */
  onRetry?: (err: unknown, attempt: number) => Promise<void> | void;
  /** Which errors to retry. Default: isRetriable(). */
  retriable?: (err: unknown) => boolean;
  /** Text naming the operation, for the timeout error. */
  operation?: string;
}

const ZERO_UUID = 'AAAAAAAAAAAAAAAAAAAAAA';

/** Splits `host:port` (IPv6 hosts in brackets) into its parts. */
export function parseHostPort(address: string): { host: string; port: number } {
  const trimmed = address.trim();
  const m = /^\[([^\]]+)\]:(\d+)$/.exec(trimmed) ?? /^([^:]+):(\d+)$/.exec(trimmed);
  if (!m) throw new BootstrapError(`Invalid url in bootstrap.servers: ${trimmed}`);
  const port = Number(m[2]);
  if (port < 0 || port > 65535) throw new BootstrapError(`Invalid port in bootstrap.servers: ${trimmed}`);
  return { host: m[1]!, port };
}

/** Splits a bootstrap.servers value into addresses (comma-separated, empty entries ignored). */
export function parseBootstrapServers(servers: string | readonly string[]): { host: string; port: number }[] {
  const list = typeof servers === 'string' ? servers.split(',') : servers.flatMap((s) => s.split(','));
  const out = list.filter((s) => s.trim() !== '').map(parseHostPort);
  if (out.length === 0) throw new BootstrapError('No resolvable bootstrap urls given in bootstrap.servers');
  return out;
}

/** Metadata request versions this client can send (v1+: null topics means all topics). */
const METADATA_MIN_VERSION = 1;
const METADATA_MAX_VERSION = 12;

/**
 * Connections, metadata and retries for one logical client. Not a singleton: each tool, producer or
 * consumer creates its own (or shares one it was given).
 */
export class KafkaClient {
  readonly clientId: string;
  readonly requestTimeoutMs: number;
  readonly logger: ClientLogger;
  private readonly logContext: string;
  private readonly bootstrap: { host: string; port: number }[];
  private readonly connectTimeoutMs: number;
  private readonly retryBackoffMs: number;
  private readonly retryBackoffMaxMs: number;
  private readonly metadataMaxAgeMs: number;
  private readonly now: () => number;
  private readonly connections = new Map<string, BrokerConnection>();
  private readonly cluster: ClusterMetadata = {
    clusterId: null,
    controllerId: -1,
    brokers: new Map(),
    topics: new Map(),
  };
  private readonly topicRefreshedAt = new Map<string, number>();
  private bootstrapped = false;
  private closed = false;

  constructor(options: KafkaClientOptions) {
    this.bootstrap = parseBootstrapServers(options.bootstrapServers);
    this.clientId = options.clientId ?? 'ts-kafka';
    this.requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
    this.connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
    this.retryBackoffMs = options.retryBackoffMs ?? 100;
    this.retryBackoffMaxMs = options.retryBackoffMaxMs ?? 1000;
    this.metadataMaxAgeMs = options.metadataMaxAgeMs ?? 300_000;
    this.logger = options.logger ?? SILENT_LOGGER;
    this.logContext = options.logContext ?? `Client clientId=${this.clientId}`;
    this.now = options.now ?? Date.now;
  }

  /** The cluster view from the Metadata responses received so far. */
  get metadata(): ClusterMetadata {
    return this.cluster;
  }

  /** Fetches cluster metadata (brokers, controller, no topics) from the first bootstrap server that answers. */
  async connect(): Promise<ClusterMetadata> {
    if (!this.bootstrapped) await this.fetchMetadata([]);
    return this.cluster;
  }

  /**
   * Sends one Metadata request (to a known broker, else a bootstrap server) for `topics` (null = all
   * topics) and merges the answer into the cached view. Topic errors are left in the result
   * (`errorCode`); only connection failures throw.
   */
  async fetchMetadata(
    topics: readonly string[] | null,
    options?: { allowAutoTopicCreation?: boolean },
  ): Promise<ClusterMetadata> {
    this.ensureOpen();
    const candidates = this.metadataCandidates();
    let lastError: unknown;
    for (const address of candidates) {
      const conn = this.connectionFor(address);
      try {
        await conn.ready();
        const version = conn.pickVersion(ApiKeys.Metadata, METADATA_MIN_VERSION, METADATA_MAX_VERSION);
        const request = {
          topics: topics === null ? null : topics.map((name) => ({ name })),
          allowAutoTopicCreation: options?.allowAutoTopicCreation ?? false,
          includeClusterAuthorizedOperations: false,
          includeTopicAuthorizedOperations: false,
        } as RequestInputOf<typeof ApiKeys.Metadata>;
        const response = await conn.request(ApiKeys.Metadata, version, request, { timeoutMs: this.requestTimeoutMs });
        this.mergeMetadata(response, topics === null);
        this.bootstrapped = true;
        return this.cluster;
      } catch (err) {
        lastError = err;
        if (err instanceof KafkaConnectionError && !conn.isConnected) {
          // Kafka's NetworkClient wording; node -1 is a bootstrap server whose id is not known yet.
          this.logger.warn(
            `[${this.logContext}] Connection to node ${address.nodeId ?? -1} (${address.host}:${address.port}) could not be established. Node may not be available.`,
          );
        } else {
          this.logger.warn(`[${this.logContext}] Metadata request to ${conn.address} failed: ${(err as Error).message}`);
        }
      }
    }
    throw new BootstrapError(
      `Unable to fetch metadata from any of ${candidates.map((c) => `${c.host}:${c.port}`).join(',')}: ${
        (lastError as Error | undefined)?.message ?? 'no broker'
      }`,
      { cause: lastError },
    );
  }

  /**
   * The metadata of `topic`, fetched when not cached, older than metadata.max.age.ms, or when
   * `refresh` is set. Throws the topic's Kafka error (e.g. UNKNOWN_TOPIC_OR_PARTITION) if it has one.
   */
  async topicMetadata(
    topic: string,
    options?: { refresh?: boolean; allowAutoTopicCreation?: boolean },
  ): Promise<TopicMetadata> {
    let meta = this.cluster.topics.get(topic);
    const age = this.now() - (this.topicRefreshedAt.get(topic) ?? 0);
    if (!meta || options?.refresh || age > this.metadataMaxAgeMs || meta.errorCode !== ErrorCode.NONE) {
      await this.fetchMetadata([topic], { allowAutoTopicCreation: options?.allowAutoTopicCreation });
      meta = this.cluster.topics.get(topic);
    }
    if (!meta) throw new KafkaResponseError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, { context: `Topic ${topic}` });
    if (meta.errorCode !== ErrorCode.NONE) {
      throw new KafkaResponseError(meta.errorCode, { context: `Topic ${topic}` });
    }
    return meta;
  }

  /** The broker with `nodeId`, from the cached view (refreshed once if unknown). */
  async broker(nodeId: number): Promise<BrokerNode> {
    let node = this.cluster.brokers.get(nodeId);
    if (!node) {
      await this.fetchMetadata([]);
      node = this.cluster.brokers.get(nodeId);
    }
    if (!node) throw new KafkaResponseError(ErrorCode.BROKER_NOT_AVAILABLE, { context: `Broker ${nodeId}` });
    return node;
  }

  /** A ready (connected, versions negotiated) connection to broker `nodeId`. */
  async connectionTo(nodeId: number): Promise<BrokerConnection> {
    const node = await this.broker(nodeId);
    const conn = this.connectionFor(node);
    await conn.ready();
    return conn;
  }

  /** A ready connection to some live broker (one already connected if possible). */
  async anyConnection(): Promise<BrokerConnection> {
    let lastError: unknown;
    for (const address of this.metadataCandidates()) {
      const conn = this.connectionFor(address);
      try {
        await conn.ready();
        return conn;
      } catch (err) {
        lastError = err;
      }
    }
    throw new BootstrapError(`No broker reachable: ${(lastError as Error | undefined)?.message ?? ''}`, {
      cause: lastError,
    });
  }

  /** A ready connection to the active controller (Metadata's controllerId), refreshing metadata first. */
  async controllerConnection(): Promise<BrokerConnection> {
    await this.fetchMetadata([]);
    const id = this.cluster.controllerId;
    if (id < 0) throw new KafkaResponseError(ErrorCode.NOT_CONTROLLER, { context: 'No controller known' });
    return this.connectionTo(id);
  }

  /** The current leader of a partition (-1 when none), from cached metadata unless `refresh`. */
  async leaderFor(topic: string, partition: number, options?: { refresh?: boolean }): Promise<number> {
    const meta = await this.topicMetadata(topic, options);
    const p = meta.partitions.find((x) => x.partition === partition);
    if (!p) {
      throw new KafkaResponseError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, {
        context: `Partition ${topic}-${partition}`,
      });
    }
    return p.leader;
  }

  /**
   * Runs `fn` until it succeeds, retrying retriable errors with exponential backoff (retry.backoff.ms
   * doubling up to retry.backoff.max.ms, with ±20% jitter as KIP-580) until the deadline.
   */
  async retry<T>(fn: (attempt: number) => Promise<T>, options?: RetryOptions): Promise<T> {
    const deadline = this.now() + (options?.timeoutMs ?? this.requestTimeoutMs);
    const retriable = options?.retriable ?? isRetriable;
    for (let attempt = 0; ; attempt++) {
      this.ensureOpen();
      try {
        return await fn(attempt);
      } catch (err) {
        if (!retriable(err) || this.closed) throw err;
        const backoff = this.backoffMs(attempt);
        if (this.now() + backoff >= deadline) {
          throw new OperationTimeoutError(
            `${options?.operation ?? 'Operation'} timed out; last error: ${(err as Error).message}`,
            { cause: err },
          );
        }
        this.logger.debug(`[${this.logContext}] retrying after ${(err as Error).message}`);
        await sleep(backoff);
        await options?.onRetry?.(err, attempt + 1);
      }
    }
  }

  /** Backoff before retry number `attempt` (0-based). */
  backoffMs(attempt: number): number {
    const exp = Math.min(this.retryBackoffMaxMs, this.retryBackoffMs * 2 ** Math.min(attempt, 20));
    const jitter = 0.8 + Math.random() * 0.4;
    return Math.max(1, Math.round(Math.min(this.retryBackoffMaxMs, exp * jitter)));
  }

  /** Closes every connection. */
  async close(): Promise<void> {
    this.closed = true;
    for (const conn of this.connections.values()) conn.close();
    this.connections.clear();
  }

  /** The connection (possibly not yet connected) to an address, created on first use. */
  connectionFor(address: { host: string; port: number; nodeId?: number }): BrokerConnection {
    const { host, port, nodeId } = address;
    const key = `${host}:${port}`;
    let conn = this.connections.get(key);
    if (!conn || conn.isClosed) {
      conn = new BrokerConnection({
        host,
        port,
        nodeId,
        clientId: this.clientId,
        connectTimeoutMs: this.connectTimeoutMs,
        requestTimeoutMs: this.requestTimeoutMs,
      });
      this.connections.set(key, conn);
    }
    return conn;
  }

  private ensureOpen(): void {
    if (this.closed) throw new ClientClosedError('Kafka client');
  }

  /** Brokers to ask for metadata: connected ones first, then other known brokers, then bootstrap servers. */
  private metadataCandidates(): { host: string; port: number; nodeId?: number }[] {
    const seen = new Set<string>();
    const out: { host: string; port: number; nodeId?: number }[] = [];
    const add = (host: string, port: number, nodeId?: number) => {
      const key = `${host}:${port}`;
      if (seen.has(key)) return;
      seen.add(key);
      out.push({ host, port, nodeId });
    };
    const brokers = [...this.cluster.brokers.values()];
    for (const b of brokers) if (this.connections.get(`${b.host}:${b.port}`)?.isConnected) add(b.host, b.port, b.nodeId);
    for (const b of brokers) add(b.host, b.port, b.nodeId);
    for (const b of this.bootstrap) add(b.host, b.port);
    return out;
  }

  private mergeMetadata(response: ResponseOf<typeof ApiKeys.Metadata>, allTopics: boolean): void {
    this.cluster.clusterId = response.clusterId ?? null;
    this.cluster.controllerId = response.controllerId;
    this.cluster.brokers.clear();
    for (const b of response.brokers) {
      this.cluster.brokers.set(b.nodeId, { nodeId: b.nodeId, host: b.host, port: b.port, rack: b.rack ?? null });
    }
    if (allTopics) this.cluster.topics.clear();
    const now = this.now();
    for (const t of response.topics) {
      if (t.name === null) continue;
      const partitions: PartitionMetadata[] = t.partitions
        .map((p) => ({
          partition: p.partitionIndex,
          errorCode: p.errorCode,
          leader: p.leaderId,
          leaderEpoch: p.leaderEpoch,
          replicas: [...p.replicaNodes],
          isr: [...p.isrNodes],
          offlineReplicas: [...p.offlineReplicas],
        }))
        .sort((a, b) => a.partition - b.partition);
      this.cluster.topics.set(t.name, {
        name: t.name,
        errorCode: t.errorCode,
        topicId: t.topicId || ZERO_UUID,
        isInternal: t.isInternal,
        partitions,
      });
      this.topicRefreshedAt.set(t.name, now);
    }
  }
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
