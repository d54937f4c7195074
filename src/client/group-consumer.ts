/**
 * A consumer that subscribes through its group, as Kafka's KafkaConsumer with `subscribe()` (classic
 * group protocol): the group's coordinator hands it partitions (ConsumerCoordinator), it starts each at
 * the group's committed offset or per auto.offset.reset, fetches them with SimpleConsumer's fetch loop,
 * and hands records out at most max.poll.records at a time, so the position it commits is the offset
 * after the last record returned by poll() (records fetched but not yet returned are not committed).
 *
 * enable.auto.commit (default true) commits those positions every auto.commit.interval.ms from poll()
 * (without waiting, as Kafka's auto-commit), before every rebalance (eager: the member gives up all its
 * partitions first) and on close, which then leaves the group. A subscription is a list of topics or a
 * pattern matched against the cluster's topics every metadata.max.age.ms; the member rejoins when the
 * matched set changes, and the leader rejoins when a subscribed topic appears or grows. Subscribed
 * topics that do not exist are created through Metadata when allow.auto.create.topics (default true)
 * and the broker allow it.
 */

import { ErrorCode } from '../protocol';
import { ClientClosedError } from './client-errors';
import { ConsumerCoordinator, type Generation } from './consumer-coordinator';
import { ConsumerOffsets, type CommittedOffset, type OffsetToCommit } from './consumer-offsets';
import type { ClientLogger, KafkaClient } from './kafka-client';
import type { PartitionAssignor } from './partition-assignors';
import { SimpleConsumer, topicPartitionKey, type ConsumerRecord, type SimpleConsumerOptions, type TopicPartition } from './simple-consumer';

/** Kafka's ConsumerRebalanceListener. */
export interface ConsumerRebalanceListener {
  onPartitionsRevoked?(partitions: TopicPartition[]): void | Promise<void>;
  onPartitionsAssigned?(partitions: TopicPartition[]): void | Promise<void>;
}

/** Group consumer configuration (Kafka's names in camelCase; defaults as Kafka 3.9's consumer). */
export interface GroupConsumerOptions extends SimpleConsumerOptions {
  /** group.id (required). */
  groupId: string;
  /** group.instance.id: a static member (KIP-345) when set. */
  groupInstanceId?: string | null;
  /** session.timeout.ms. Default 45000. */
  sessionTimeoutMs?: number;
  /** heartbeat.interval.ms. Default 3000. */
  heartbeatIntervalMs?: number;
  /** max.poll.interval.ms (also the rebalance timeout). Default 300000. */
  maxPollIntervalMs?: number;
  /** enable.auto.commit. Default true. */
  enableAutoCommit?: boolean;
  /** auto.commit.interval.ms. Default 5000. */
  autoCommitIntervalMs?: number;
  /** max.poll.records. Default 500. */
  maxPollRecords?: number;
  /** partition.assignment.strategy. Default range, roundrobin. */
  assignors?: readonly PartitionAssignor[];
  /** allow.auto.create.topics. Default true. */
  allowAutoCreateTopics?: boolean;
  /** exclude.internal.topics: a pattern never matches internal topics. Default true. */
  excludeInternalTopics?: boolean;
  /** metadata.max.age.ms: how often a pattern is matched again. Default 300000. */
  metadataMaxAgeMs?: number;
  rebalanceListener?: ConsumerRebalanceListener;
  /** Log lines of the consumer's group membership (default: the client's logger). */
  logger?: ClientLogger;
  /** Prefix of log lines. Default `Consumer clientId=<client id>, groupId=<group id>`. */
  logContext?: string;
}

/** Consumes the partitions its group assigns it. Not safe for concurrent poll() calls. */
export class GroupConsumer {
  readonly groupId: string;
  private readonly fetcher: SimpleConsumer;
  private readonly coordinator: ConsumerCoordinator;
  private readonly offsets: ConsumerOffsets;
  private readonly enableAutoCommit: boolean;
  private readonly autoCommitIntervalMs: number;
  private readonly maxPollRecords: number;
  private readonly allowAutoCreateTopics: boolean;
  private readonly excludeInternalTopics: boolean;
  private readonly metadataMaxAgeMs: number;
  private readonly listener: ConsumerRebalanceListener | undefined;
  private readonly logger: ClientLogger;
  private readonly logContext: string;
  private subscription: { topics: string[] } | { pattern: RegExp } | undefined;
  private subscribedTopics: string[] = [];
  private buffer: ConsumerRecord[] = [];
  private lastAutoCommitMs = Date.now();
  private autoCommitting: Promise<void> | undefined;
  private lastMetadataMs = 0;
  private topicsMissing = false;
  private metadataErrors = 0;
  private closed = false;

  constructor(
    private readonly client: KafkaClient,
    options: GroupConsumerOptions,
  ) {
    if (!options.groupId) throw new Error('To use the group management or offset commit APIs, you must provide a valid group.id in the consumer configuration.');
    this.groupId = options.groupId;
    this.enableAutoCommit = options.enableAutoCommit ?? true;
    this.autoCommitIntervalMs = options.autoCommitIntervalMs ?? 5000;
    this.maxPollRecords = Math.max(1, options.maxPollRecords ?? 500);
    this.allowAutoCreateTopics = options.allowAutoCreateTopics ?? true;
    this.excludeInternalTopics = options.excludeInternalTopics ?? true;
    this.metadataMaxAgeMs = options.metadataMaxAgeMs ?? 300_000;
    this.listener = options.rebalanceListener;
    this.logger = options.logger ?? client.logger;
    this.logContext = options.logContext ?? `Consumer clientId=${client.clientId}, groupId=${this.groupId}`;
    this.fetcher = new SimpleConsumer(client, options);
    this.coordinator = new ConsumerCoordinator(
      client,
      {
        onJoinPrepare: (generation) => this.onJoinPrepare(generation),
        onJoinComplete: (generation, assignment) => this.onJoinComplete(generation, assignment),
      },
      {
        groupId: options.groupId,
        groupInstanceId: options.groupInstanceId,
        sessionTimeoutMs: options.sessionTimeoutMs,
        rebalanceTimeoutMs: options.maxPollIntervalMs,
        heartbeatIntervalMs: options.heartbeatIntervalMs,
        assignors: options.assignors,
        logger: this.logger,
        logContext: this.logContext,
      },
    );
    this.offsets = new ConsumerOffsets(client, this.coordinator);
  }

  /** Subscribes to a list of topics or to the topics matching a pattern (replacing any earlier subscription). */
  subscribe(topics: readonly string[] | RegExp): void {
    this.subscription = topics instanceof RegExp ? { pattern: topics } : { topics: [...new Set(topics)] };
    this.subscribedTopics = topics instanceof RegExp ? [] : [...new Set(topics)];
    this.lastMetadataMs = 0;
  }

  /** The partitions currently assigned to this member. */
  assignment(): TopicPartition[] {
    return this.fetcher.assignment();
  }

  /** The member's generation (Kafka's groupMetadata()). */
  groupMetadata(): Generation {
    return this.coordinator.currentGeneration();
  }

  /**
   * Joins (or rejoins) the group when needed, then returns the next records of the assigned partitions,
   * at most max.poll.records (or `maxRecords`), waiting up to `timeoutMs` for some. Returns [] on timeout.
   */
  async poll(timeoutMs: number, options?: { maxRecords?: number }): Promise<ConsumerRecord[]> {
    if (this.closed) throw new ClientClosedError('Consumer');
    if (!this.subscription) throw new Error('Consumer is not subscribed to any topics or assigned any partitions');
    const max = Math.max(1, Math.min(options?.maxRecords ?? this.maxPollRecords, this.maxPollRecords));
    const deadline = Date.now() + timeoutMs;
    this.coordinator.recordPoll();
    for (;;) {
      await this.refreshMetadataIfDue();
      if (this.buffer.length > 0) return this.buffer.splice(0, max);
      const stable = await this.coordinator.ensureActiveGroup(this.subscribedTopics, deadline - Date.now());
      if (this.closed) return [];
      if (stable) this.maybeAutoCommit();
      const remaining = deadline - Date.now();
      if (stable && this.fetcher.assignment().length > 0) {
        this.buffer.push(...(await this.fetcher.poll(Math.max(0, Math.min(remaining, 1000)))));
        if (this.buffer.length > 0) return this.buffer.splice(0, max);
      } else if (stable && remaining > 0) {
        // Nothing assigned: wait, looking again for a rebalance now and then.
        await new Promise((resolve) => setTimeout(resolve, Math.min(remaining, 200)));
      }
      if (Date.now() >= deadline) return [];
    }
  }

  /**
   * The positions to commit: per assigned partition, the offset of the next record poll() will return
   * (partitions whose start is not resolved yet are left out).
   */
  positions(): OffsetToCommit[] {
    const firstBuffered = new Map<string, number>();
    for (const r of this.buffer) {
      const k = topicPartitionKey(r);
      if (!firstBuffered.has(k)) firstBuffered.set(k, r.offset);
    }
    const out: OffsetToCommit[] = [];
    for (const tp of this.fetcher.assignment()) {
      const offset = firstBuffered.get(topicPartitionKey(tp)) ?? this.fetcher.currentPosition(tp);
      if (offset !== undefined) out.push({ ...tp, offset });
    }
    return out;
  }

  /** Commits `offsets` (default: the positions of the records returned so far) and waits for the answer. */
  async commitSync(offsets?: readonly OffsetToCommit[]): Promise<void> {
    await this.offsets.commit(offsets ?? this.positions());
  }

  /** The group's committed offsets of `partitions` (key: topicPartitionKey). */
  async committed(partitions: readonly TopicPartition[]): Promise<Map<string, CommittedOffset>> {
    return this.offsets.fetch(partitions);
  }

  /** Commits (with auto-commit), leaves the group (unless static) and stops; the client stays open. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.autoCommitting;
    if (this.enableAutoCommit && this.coordinator.isStable()) {
      await this.offsets.commit(this.positions()).catch((err: unknown) => {
        this.logger.warn(`[${this.logContext}] Synchronous auto-commit of offsets failed: ${(err as Error).message}`);
      });
    }
    this.fetcher.close();
    await this.coordinator.close();
  }

  private maybeAutoCommit(): void {
    if (!this.enableAutoCommit || this.autoCommitting || Date.now() - this.lastAutoCommitMs < this.autoCommitIntervalMs) return;
    this.lastAutoCommitMs = Date.now();
    const offsets = this.positions();
    this.autoCommitting = this.offsets
      .commit(offsets)
      .catch((err: unknown) => {
        this.logger.warn(`[${this.logContext}] Asynchronous auto-commit of offsets failed: ${(err as Error).message}. Will continue to join group.`);
      })
      .finally(() => {
        this.autoCommitting = undefined;
      });
  }

  private async onJoinPrepare(generation: Generation): Promise<void> {
    await this.autoCommitting;
    const revoked = this.fetcher.assignment();
    // A generation already lost cannot commit: the coordinator would refuse it.
    if (this.enableAutoCommit && generation.generationId >= 0 && revoked.length > 0) {
      await this.offsets.commit(this.positions()).catch((err: unknown) => {
        this.logger.warn(`[${this.logContext}] Synchronous auto-commit of offsets failed: ${(err as Error).message}`);
      });
    }
    if (revoked.length > 0) await this.listener?.onPartitionsRevoked?.(revoked);
    this.buffer = [];
    this.fetcher.assign([]);
  }

  private async onJoinComplete(_generation: Generation, assignment: TopicPartition[]): Promise<void> {
    this.fetcher.assign(assignment);
    const committed = await this.offsets.fetch(assignment);
    for (const tp of assignment) {
      const c = committed.get(topicPartitionKey(tp));
      if (c) this.fetcher.seek(tp, c.offset);
    }
    this.lastAutoCommitMs = Date.now();
    await this.listener?.onPartitionsAssigned?.(assignment);
  }

  /**
   * Refreshes the subscribed topics' metadata every metadata.max.age.ms (every retry backoff while a
   * subscribed topic is missing): matches the pattern again and lets the leader see new partitions.
   */
  private async refreshMetadataIfDue(): Promise<void> {
    const interval = this.topicsMissing ? 1000 : this.metadataMaxAgeMs;
    if (Date.now() - this.lastMetadataMs < interval) return;
    this.lastMetadataMs = Date.now();
    const sub = this.subscription!;
    try {
      const cluster =
        'pattern' in sub
          ? await this.client.fetchMetadata(null)
          : await this.client.fetchMetadata(sub.topics, { allowAutoTopicCreation: this.allowAutoCreateTopics });
      let topics: string[];
      if ('pattern' in sub) {
        topics = [...cluster.topics.values()]
          .filter((t) => t.errorCode === ErrorCode.NONE && !(this.excludeInternalTopics && t.isInternal) && matchesWhole(sub.pattern, t.name))
          .map((t) => t.name)
          .sort();
      } else {
        topics = sub.topics;
      }
      const partitionsPerTopic = new Map<string, number>();
      const missing: string[] = [];
      for (const topic of topics) {
        const meta = cluster.topics.get(topic);
        if (meta && meta.errorCode === ErrorCode.NONE && meta.partitions.length > 0) partitionsPerTopic.set(topic, meta.partitions.length);
        else missing.push(`${topic}=${errorName(meta?.errorCode ?? ErrorCode.UNKNOWN_TOPIC_OR_PARTITION)}`);
      }
      if (missing.length > 0) {
        this.metadataErrors++;
        // Kafka's NetworkClient logs this one, hence the client's logger.
        this.client.logger.warn(`[${this.logContext}] Error while fetching metadata with correlation id ${this.metadataErrors + 1} : {${missing.join(', ')}}`);
      }
      this.topicsMissing = missing.length > 0;
      this.subscribedTopics = topics;
      this.coordinator.checkMetadata(partitionsPerTopic);
    } catch (err) {
      this.topicsMissing = true;
      this.logger.warn(`[${this.logContext}] Metadata refresh failed: ${(err as Error).message}`);
    }
  }
}

/** Java's Pattern.matcher(topic).matches(): the whole name must match. */
function matchesWhole(pattern: RegExp, topic: string): boolean {
  const anchored = new RegExp(`^(?:${pattern.source})$`, pattern.flags.replace(/[gy]/g, ''));
  return anchored.test(topic);
}

function errorName(code: number): string {
  const entry = Object.entries(ErrorCode).find(([, v]) => v === code);
  return entry ? entry[0] : String(code);
}
