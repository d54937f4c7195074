/**
 * The broker's metadata cache (Kafka's ZkMetadataCache): live brokers with their endpoints per listener,
 * every partition's leader/ISR/replicas, topic ids, and the active controller id — fed only by the
 * controller's UpdateMetadata requests, and read by Metadata, Produce, Fetch, CreateTopics and friends.
 *
 * A partition whose leader is -2 (LeaderDuringDelete) in an UpdateMetadata is a topic being deleted: it is
 * removed from the cache, as Kafka does.
 */

export const LEADER_DURING_DELETE = -2;
export const NO_LEADER = -1;

export interface BrokerEndPoint {
  host: string;
  port: number;
  listener: string;
  securityProtocol: number;
}

export interface CachedBroker {
  id: number;
  rack: string | null;
  endpoints: BrokerEndPoint[];
}

export interface CachedPartitionState {
  topic: string;
  partition: number;
  controllerEpoch: number;
  leader: number;
  leaderEpoch: number;
  isr: number[];
  zkVersion: number;
  replicas: number[];
  offlineReplicas: number[];
}

/** UpdateMetadata in a version-agnostic shape (the handler flattens v0-4 and v5+ topic grouping). */
export interface MetadataUpdate {
  controllerId: number;
  controllerEpoch: number;
  liveBrokers: CachedBroker[];
  partitionStates: CachedPartitionState[];
  topicIds: Map<string, string>;
}

export class MetadataCache {
  private brokers = new Map<number, CachedBroker>();
  private readonly topics = new Map<string, Map<number, CachedPartitionState>>();
  private readonly topicIds = new Map<string, string>();
  private readonly topicNamesById = new Map<string, string>();
  private controller = -1;
  private epoch = -1;
  private readonly listeners = new Set<() => void>();

  constructor(readonly brokerId: number) {}

  /** Applies an UpdateMetadata; returns the partitions it deleted from the cache. */
  updateMetadata(update: MetadataUpdate): CachedPartitionState[] {
    this.controller = update.controllerId;
    this.epoch = update.controllerEpoch;
    this.brokers = new Map(update.liveBrokers.map((b) => [b.id, b]));
    const deleted: CachedPartitionState[] = [];
    for (const [topic, id] of update.topicIds) {
      if (id === ZERO_UUID) continue;
      this.topicIds.set(topic, id);
      this.topicNamesById.set(id, topic);
    }
    for (const state of update.partitionStates) {
      if (state.leader === LEADER_DURING_DELETE) {
        const parts = this.topics.get(state.topic);
        const existing = parts?.get(state.partition);
        if (existing) deleted.push(existing);
        parts?.delete(state.partition);
        if (parts && parts.size === 0) this.removeTopic(state.topic);
        continue;
      }
      let parts = this.topics.get(state.topic);
      if (!parts) {
        parts = new Map();
        this.topics.set(state.topic, parts);
      }
      parts.set(state.partition, state);
    }
    for (const l of this.listeners) l();
    return deleted;
  }

  /** Registers a callback run after every update (used by requests that wait for metadata to settle). */
  onUpdate(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get controllerId(): number {
    return this.controller;
  }

  get controllerEpoch(): number {
    return this.epoch;
  }

  aliveBrokers(): CachedBroker[] {
    return [...this.brokers.values()].sort((a, b) => a.id - b.id);
  }

  hasAliveBroker(id: number): boolean {
    return this.brokers.has(id);
  }

  /** The endpoint of a broker on a listener, or undefined when the broker or listener is unknown. */
  endPoint(brokerId: number, listenerName: string): BrokerEndPoint | undefined {
    return this.brokers.get(brokerId)?.endpoints.find((e) => e.listener === listenerName);
  }

  rack(brokerId: number): string | null {
    return this.brokers.get(brokerId)?.rack ?? null;
  }

  contains(topic: string): boolean {
    return this.topics.has(topic);
  }

  allTopics(): string[] {
    return [...this.topics.keys()];
  }

  partitions(topic: string): CachedPartitionState[] {
    const parts = this.topics.get(topic);
    return parts ? [...parts.values()].sort((a, b) => a.partition - b.partition) : [];
  }

  partitionState(topic: string, partition: number): CachedPartitionState | undefined {
    return this.topics.get(topic)?.get(partition);
  }

  numPartitions(topic: string): number | undefined {
    return this.topics.get(topic)?.size;
  }

  topicId(topic: string): string {
    return this.topicIds.get(topic) ?? ZERO_UUID;
  }

  topicName(topicId: string): string | undefined {
    return this.topicNamesById.get(topicId);
  }

  private removeTopic(topic: string): void {
    this.topics.delete(topic);
    const id = this.topicIds.get(topic);
    if (id !== undefined) this.topicNamesById.delete(id);
    this.topicIds.delete(topic);
  }
}

/** Kafka's Uuid.ZERO_UUID in its base64 form. */
export const ZERO_UUID = 'AAAAAAAAAAAAAAAAAAAAAA';
