/**
 * ReplicaFetcher (Kafka's ReplicaFetcherThread / AbstractFetcherThread): one fetch loop per leader broker
 * that keeps this broker's follower replicas of that leader's partitions up to date.
 *
 * Each partition starts in the Truncating state: the follower asks the leader for the end offset of its own
 * latest leader epoch (OffsetsForLeaderEpoch, KIP-101/279) and truncates its log to where the two logs agree
 * (to the high watermark when the log holds no epochs yet). It then fetches from its log end offset with its
 * broker id as replica id, appends the leader's batches as they are (offsets already assigned), and takes
 * the leader's high watermark and log start offset. An offset out of range is resolved with ListOffsets
 * against the leader; a fenced or unknown leader epoch waits for the controller's next LeaderAndIsr.
 *
 * Removing a partition waits for the log changes the fetcher is making to it (the truncation or append of a
 * response being processed), as Kafka's fetcher threads hold their partition map lock while processing: a
 * broker that becomes leader must not see a follower append or truncation land after it took the log over.
 * Network waits are never part of that: a removal does not wait for a fetch to come back.
 *
 * Replication throttles (KIP-73): a partition this broker does not hold in sync and that is throttled on
 * the follower side is left out of the fetch while the follower replication rate is above its bound; the
 * bytes fetched for throttled partitions are counted against it.
 */
import { ApiKeys, ErrorCode } from '../protocol';
import { BrokerConnection } from '../client/broker-connection';
import { KafkaError } from '../common/kafka-error';
import type { Partition } from './partition';
import type { ReplicationQuotaManager } from '../server/quota/replication-quota-manager';

export interface FetcherLogger {
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string, err?: unknown): void;
  debug(msg: string): void;
  isDebugEnabled(): boolean;
}

export interface ReplicaFetcherConfig {
  brokerId: number;
  fetchMaxWaitMs: number;
  fetchMinBytes: number;
  fetchMaxBytes: number;
  fetchResponseMaxBytes: number;
  fetchBackoffMs: number;
  socketTimeoutMs: number;
}

export interface SourceBroker {
  id: number;
  host: string;
  port: number;
}

/** As Kafka's PartitionFetchState: what the partition needs next; a delay (after an error) is kept apart. */
type FetchState = 'Truncating' | 'Fetching';

interface FetchedPartition {
  partition: Partition;
  state: FetchState;
  /** Leader epoch this fetch state belongs to; a new LeaderAndIsr replaces the entry. */
  leaderEpoch: number;
  /** No request for the partition before this time (backoff after an error); its state is kept meanwhile. */
  delayedUntil: number;
}

export interface ReplicaFetcherHooks {
  /** Called after records were appended to a follower log (wakes follower-side waiters). */
  onFollowerAppend(partition: Partition, bytes: number): void;
  /** The follower-side replication throttle (follower.replication.throttled.*); none: never throttled. */
  followerQuota?: ReplicationQuotaManager;
}

export class ReplicaFetcher {
  private readonly partitions = new Map<string, FetchedPartition>();
  private connection: BrokerConnection | undefined;
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  /** The log changes in progress (processing a response); removals wait for it. */
  private processing: Promise<void> = Promise.resolve();

  constructor(
    readonly name: string,
    readonly source: SourceBroker,
    private readonly config: ReplicaFetcherConfig,
    private readonly logger: FetcherLogger,
    private readonly hooks: ReplicaFetcherHooks,
  ) {}

  get partitionCount(): number {
    return this.partitions.size;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Adds partitions (in Truncating state); replaces existing entries for them. */
  addPartitions(partitions: Partition[]): void {
    for (const p of partitions) {
      this.partitions.set(p.key, { partition: p, state: 'Truncating', leaderEpoch: p.leaderEpoch, delayedUntil: 0 });
    }
    this.logger.info(
      `[ReplicaFetcher replicaId=${this.config.brokerId}, leaderId=${this.source.id}, fetcherId=${this.name}] ` +
        `Added fetcher for partitions ${partitions.map((p) => p.key).join(', ')}`,
    );
    this.wake?.();
  }

  /** Stops fetching the partitions; resolves once no log change the fetcher started for them is in progress. */
  removePartitions(keys: Iterable<string>): Promise<void> {
    for (const k of keys) this.partitions.delete(k);
    return this.processing;
  }

  /** Runs log changes as the fetcher's current processing step, which removals wait for. */
  private mutating(task: () => Promise<void>): Promise<void> {
    const run = task();
    this.processing = run.catch(() => undefined);
    return run;
  }

  /** The entry is still the one the fetcher works on (not removed or replaced by a new LeaderAndIsr). */
  private isCurrent(f: FetchedPartition): boolean {
    return this.partitions.get(f.partition.key) === f;
  }

  async shutdown(): Promise<void> {
    this.running = false;
    this.wake?.();
    this.connection?.close();
    await this.loop?.catch(() => undefined);
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        if (this.partitions.size === 0) {
          await this.sleep(1000);
          continue;
        }
        const conn = await this.ready();
        await this.truncate(conn);
        const fetched = await this.fetch(conn);
        if (!fetched) await this.sleep(this.config.fetchBackoffMs);
      } catch (err) {
        if (!this.running) return;
        this.logger.warn(
          `[ReplicaFetcher replicaId=${this.config.brokerId}, leaderId=${this.source.id}, fetcherId=${this.name}] ` +
            `Error in fetch from ${this.source.host}:${this.source.port}: ${err instanceof Error ? err.message : String(err)}`,
        );
        this.connection?.close();
        this.connection = undefined;
        await this.sleep(this.config.fetchBackoffMs);
      }
    }
  }

  private async ready(): Promise<BrokerConnection> {
    if (this.connection?.isConnected) return this.connection;
    this.connection?.close();
    const conn = new BrokerConnection({
      host: this.source.host,
      port: this.source.port,
      nodeId: this.source.id,
      clientId: `broker-${this.config.brokerId}-fetcher-${this.name}`,
      requestTimeoutMs: this.config.socketTimeoutMs,
    });
    this.connection = conn;
    await conn.connect();
    await conn.negotiateApiVersions();
    return conn;
  }

  /** Resolves Truncating partitions with OffsetsForLeaderEpoch. */
  private async truncate(conn: BrokerConnection): Promise<void> {
    const now = Date.now();
    const truncating = [...this.partitions.values()].filter((f) => f.state === 'Truncating' && f.delayedUntil <= now);
    if (truncating.length === 0) return;
    const withEpoch: FetchedPartition[] = [];
    await this.mutating(async () => {
      for (const f of truncating) {
        const log = f.partition.log;
        if (!log || !this.isCurrent(f)) continue;
        const latest = log.latestEpoch();
        if (latest === undefined) {
          // No epochs in the log: fall back to the high watermark, as Kafka does for such logs.
          await this.truncateTo(f, log.highWatermark);
          f.state = 'Fetching';
        } else withEpoch.push(f);
      }
    });
    if (withEpoch.length === 0) return;
    const version = conn.pickVersion(ApiKeys.OffsetForLeaderEpoch, 3, 4);
    const byTopic = new Map<string, FetchedPartition[]>();
    for (const f of withEpoch) {
      let list = byTopic.get(f.partition.topic);
      if (!list) byTopic.set(f.partition.topic, (list = []));
      list.push(f);
    }
    const response = await conn.request(ApiKeys.OffsetForLeaderEpoch, version, {
      replicaId: this.config.brokerId,
      topics: [...byTopic].map(([topic, list]) => ({
        topic,
        partitions: list.map((f) => ({
          partition: f.partition.partitionId,
          currentLeaderEpoch: f.leaderEpoch,
          leaderEpoch: f.partition.log!.latestEpoch()!,
        })),
      })),
    });
    await this.mutating(async () => {
      for (const t of response.topics) {
        for (const p of t.partitions) {
          const f = this.partitions.get(`${t.topic}-${p.partition}`);
          // Only the entries this request was for: one re-added meanwhile asks again with its own epoch.
          if (!f || f.state !== 'Truncating' || !withEpoch.includes(f) || !f.partition.log) continue;
          if (p.errorCode !== ErrorCode.NONE) {
            this.delay(f, `OffsetsForLeaderEpoch error ${p.errorCode}`);
            continue;
          }
          const log = f.partition.log;
          let target: number;
          if (p.endOffset < 0) {
            target = log.highWatermark;
          } else if (p.leaderEpoch < log.latestEpoch()!) {
            // The leader does not know our latest epoch: go to the end of the largest epoch both know.
            target = Math.min(p.endOffset, log.endOffsetForEpoch(p.leaderEpoch).endOffset);
          } else {
            target = p.endOffset;
          }
          await this.truncateTo(f, Math.min(target, log.logEndOffset));
          f.state = 'Fetching';
        }
      }
    });
  }

  private async truncateTo(f: FetchedPartition, offset: number): Promise<void> {
    const log = f.partition.log!;
    if (offset >= log.logEndOffset) return;
    this.logger.info(
      `[ReplicaFetcher replicaId=${this.config.brokerId}, leaderId=${this.source.id}, fetcherId=${this.name}] ` +
        `Truncating partition ${f.partition.key} with TruncationState(offset=${offset}, completed=true) due to leader ` +
        `epoch and offset EpochEndOffset`,
    );
    await log.truncateTo(offset);
  }

  /** One Fetch round trip; returns false when nothing was fetchable. */
  private async fetch(conn: BrokerConnection): Promise<boolean> {
    const now = Date.now();
    const fetching = [...this.partitions.values()].filter(
      (f) => f.state === 'Fetching' && f.delayedUntil <= now && f.partition.log && !this.shouldFollowerThrottle(f.partition),
    );
    if (fetching.length === 0) return false;
    const version = conn.pickVersion(ApiKeys.Fetch, 4, 12);
    const byTopic = new Map<string, FetchedPartition[]>();
    for (const f of fetching) {
      let list = byTopic.get(f.partition.topic);
      if (!list) byTopic.set(f.partition.topic, (list = []));
      list.push(f);
    }
    const response = await conn.request(
      ApiKeys.Fetch,
      version,
      {
        replicaId: this.config.brokerId,
        maxWaitMs: this.config.fetchMaxWaitMs,
        minBytes: this.config.fetchMinBytes,
        maxBytes: this.config.fetchResponseMaxBytes,
        isolationLevel: 0,
        sessionId: 0,
        sessionEpoch: -1,
        topics: [...byTopic].map(([topic, list]) => ({
          topic,
          partitions: list.map((f) => ({
            partition: f.partition.partitionId,
            currentLeaderEpoch: f.leaderEpoch,
            fetchOffset: f.partition.log!.logEndOffset,
            logStartOffset: f.partition.log!.logStartOffset,
            partitionMaxBytes: this.config.fetchMaxBytes,
          })),
        })),
      },
      { timeoutMs: this.config.socketTimeoutMs + this.config.fetchMaxWaitMs },
    );
    if (response.errorCode !== ErrorCode.NONE) throw new KafkaError(response.errorCode, `Fetch failed with error ${response.errorCode}`);
    const outOfRange: FetchedPartition[] = [];
    await this.mutating(async () => {
      // Partitions are independent logs: their appends (each a thread-pool write) run side by side
      // rather than one after the other; the step ends when all of them have.
      const appends: Promise<void>[] = [];
      for (const t of response.responses) {
        for (const p of t.partitions) {
          const f = this.partitions.get(`${t.topic}-${p.partitionIndex}`);
          // The partition may have been removed or re-added for a new epoch while the fetch was in flight.
          if (!f || f.state !== 'Fetching' || !fetching.includes(f)) continue;
          if (p.errorCode === ErrorCode.OFFSET_OUT_OF_RANGE) outOfRange.push(f);
          else appends.push(this.processPartitionData(f, p));
        }
      }
      const failed = (await Promise.allSettled(appends)).find((r) => r.status === 'rejected');
      if (failed) throw (failed as PromiseRejectedResult).reason;
    });
    const quota = this.hooks.followerQuota;
    if (quota !== undefined) {
      let bytes = 0;
      for (const t of response.responses) {
        for (const p of t.partitions) if (quota.isThrottled(t.topic, p.partitionIndex)) bytes += p.records?.length ?? 0;
      }
      quota.record(bytes);
    }
    for (const f of outOfRange) await this.handleOutOfRange(f);
    return true;
  }

  /**
   * Kafka's shouldFollowerThrottle: a replica outside the ISR of a throttled partition is not fetched while
   * this broker's follower replication rate is above its bound.
   */
  private shouldFollowerThrottle(partition: Partition): boolean {
    const quota = this.hooks.followerQuota;
    return (
      quota !== undefined &&
      !partition.isr.includes(this.config.brokerId) &&
      quota.isThrottled(partition.topic, partition.partitionId) &&
      quota.isQuotaExceeded()
    );
  }

  private async processPartitionData(
    f: FetchedPartition,
    p: { errorCode: number; highWatermark: number; logStartOffset: number; records: Buffer | null },
  ): Promise<void> {
    const log = f.partition.log;
    if (!log) return;
    switch (p.errorCode) {
      case ErrorCode.NONE: {
        if (p.records && p.records.length > 0) {
          try {
            await log.appendAsFollower(p.records);
          } catch (err) {
            // Offsets that do not continue our log (OffsetsOutOfOrder, UnexpectedAppendOffset) or a corrupt
            // batch: find the divergence point with the leader again before fetching more.
            this.logger.warn(
              `[ReplicaFetcher replicaId=${this.config.brokerId}, leaderId=${this.source.id}, fetcherId=${this.name}] ` +
                `Unexpected error appending to ${f.partition.key}; truncating against the leader again: ` +
                `${err instanceof Error ? err.message : String(err)}`,
            );
            f.state = 'Truncating';
            return;
          }
          this.hooks.onFollowerAppend(f.partition, p.records.length);
        }
        f.partition.updateFollowerHighWatermark(p.highWatermark);
        if (p.logStartOffset > log.logStartOffset) await log.maybeIncrementLogStartOffset(Math.min(p.logStartOffset, log.highWatermark));
        return;
      }
      case ErrorCode.FENCED_LEADER_EPOCH:
      case ErrorCode.UNKNOWN_LEADER_EPOCH:
      case ErrorCode.NOT_LEADER_OR_FOLLOWER:
      case ErrorCode.UNKNOWN_TOPIC_OR_PARTITION:
        this.delay(f, `error ${p.errorCode} from the leader; waiting for the controller's next LeaderAndIsr`);
        return;
      default:
        this.delay(f, `error ${p.errorCode}`);
    }
  }

  /**
   * Kafka's handleOutOfRangeError: compare with the leader's log end and start offsets. The questions to the
   * leader are asked outside the processing step; the truncation is one, if the entry is still current.
   */
  private async handleOutOfRange(f: FetchedPartition): Promise<void> {
    const conn = this.connection!;
    const version = conn.pickVersion(ApiKeys.ListOffsets, 1, 7);
    const ask = async (timestamp: number): Promise<number> => {
      const r = await conn.request(ApiKeys.ListOffsets, version, {
        replicaId: this.config.brokerId,
        isolationLevel: 0,
        topics: [
          {
            name: f.partition.topic,
            partitions: [{ partitionIndex: f.partition.partitionId, currentLeaderEpoch: f.leaderEpoch, timestamp }],
          },
        ],
      });
      const part = r.topics[0]?.partitions[0];
      if (!part || part.errorCode !== ErrorCode.NONE) throw new KafkaError(part?.errorCode ?? -1, 'ListOffsets failed');
      return part.offset;
    };
    const leaderEnd = await ask(-1);
    const leaderStart = await ask(-2);
    await this.mutating(async () => {
      const log = f.partition.log;
      if (!log || !this.isCurrent(f) || f.state !== 'Fetching') return;
      if (leaderEnd < log.logEndOffset) {
        this.logger.warn(
          `Reset fetch offset for partition ${f.partition.key} from ${log.logEndOffset} to the leader's latest offset ${leaderEnd}`,
        );
        await log.truncateTo(leaderEnd);
      } else if (log.logEndOffset < leaderStart) {
        this.logger.warn(
          `Reset fetch offset for partition ${f.partition.key} from ${log.logEndOffset} to the leader's start offset ${leaderStart}`,
        );
        await log.truncateFullyAndStartAt(leaderStart);
      }
    });
  }

  private delay(f: FetchedPartition, why: string): void {
    // The state stays: a partition whose OffsetsForLeaderEpoch failed must still truncate before it fetches.
    f.delayedUntil = Date.now() + this.config.fetchBackoffMs;
    if (this.logger.isDebugEnabled()) this.logger.debug(`Delaying fetch of ${f.partition.key}: ${why}`);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}
