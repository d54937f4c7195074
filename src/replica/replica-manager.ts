/**
 * ReplicaManager (Kafka's server.ReplicaManager): the partitions this broker hosts and what clients and
 * the controller do with them.
 *
 * - LeaderAndIsr: create logs and become leader or follower of each partition, fenced by controller epoch
 *   and per partition by leader epoch.
 * - StopReplica: stop serving partitions, deleting their logs when asked.
 * - Produce: append record batches (as byte slices) to partition leaders; acks=all waits in the produce
 *   purgatory for the ISR.
 * - Fetch: read whole batches below the high watermark (consumers) or the log end (followers); waits in
 *   the fetch purgatory for fetch.min.bytes.
 * - ListOffsets: offsets by timestamp through the log's time index.
 * The reads themselves (fetch, ListOffsets, OffsetForLeaderEpoch) are in local-reads.ts.
 */
import type { Log } from '../log/log';
import type { LogManager } from '../log/log-manager';
import type { LogConfig } from '../log/log-config';
import { KafkaError } from '../common/kafka-error';
import type { MetadataCache } from '../metadata/metadata-cache';
import { DelayedOperationPurgatory } from '../server/purgatory/delayed-operation';
import {
  deleteRecords,
  type DelayedDeleteRecords,
  type DeleteRecordsPartitionRequest,
  type DeleteRecordsPartitionResult,
} from './delete-records';
import { describeLogDirs, type LogDirDescription } from './describe-log-dirs';
import { IsrChanges } from './isr-changes';
import {
  fetchOffsetForTimestamp,
  lastOffsetForLeaderEpoch,
  readFromLocalLogs,
  shouldLeaderThrottle,
  type FetchParams,
  type FetchPartitionResult,
  type LocalReadContext,
  type OffsetForTimestamp,
} from './local-reads';
import type { ReplicationQuotaManager } from '../server/quota/replication-quota-manager';
import { DelayedFetch, type DelayedFetchPartition } from './delayed-fetch';
import { DelayedProduce, type DelayedProducePartition } from './delayed-produce';
import { Partition, type LeaderAndIsrPartitionInfo } from './partition';
import type { ZkIsrManager } from './zk-isr-manager';
import type { ReplicaFetcherManager } from './replica-fetcher-manager';
import type { SourceBroker } from './replica-fetcher';
import { ErrorCode as Errors } from '../protocol/errors';
import { recordErrorsOf } from '../log/log-errors';
import type { RecordError } from '../protocol/records/produce-validation';

export {
  EARLIEST_LOCAL_TIMESTAMP,
  EARLIEST_TIMESTAMP,
  LATEST_TIERED_TIMESTAMP,
  LATEST_TIMESTAMP,
  MAX_TIMESTAMP,
  type FetchParams,
  type FetchPartitionRequest,
  type FetchPartitionResult,
  type OffsetForTimestamp,
} from './local-reads';

export interface ReplicaManagerLogger {
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string, err?: unknown): void;
  debug(msg: string): void;
  isDebugEnabled(): boolean;
}

export interface ReplicaManagerOptions {
  brokerId: number;
  logManager: LogManager;
  metadataCache: MetadataCache;
  /** The log configuration of a topic: broker defaults plus /config/topics/<topic> overrides. */
  logConfigFor: (topic: string) => Promise<LogConfig>;
  logger: ReplicaManagerLogger;
  stateChangeLogger: ReplicaManagerLogger;
  now?: () => number;
  /** Writes leader-side ISR changes to ZooKeeper; without it (unit tests) the ISR never changes locally. */
  isrManager?: ZkIsrManager;
  /** Follower replication; without it followers only keep their logs. */
  fetcherManager?: ReplicaFetcherManager;
  /** replica.lag.time.max.ms */
  replicaLagTimeMaxMs?: number;
  /** The leader-side replication throttle (leader.replication.throttled.*); none: never throttled. */
  leaderQuota?: ReplicationQuotaManager;
  /** Listener followers use to reach leaders when LeaderAndIsr names no live leader endpoint. */
  interBrokerListenerName?: string;
}

export interface LeaderAndIsrPartitionRequest extends LeaderAndIsrPartitionInfo {
  topic: string;
  partition: number;
  topicId: string;
}

export interface PartitionError {
  topic: string;
  topicId: string;
  partition: number;
  errorCode: number;
}

export interface ProducePartitionResult {
  topic: string;
  partition: number;
  errorCode: number;
  errorMessage: string | null;
  /** Records of the batch that made the append fail (ProduceResponse v8+ RecordErrors). */
  recordErrors?: readonly RecordError[];
  baseOffset: number;
  logAppendTimeMs: number;
  logStartOffset: number;
}

export class ReplicaManager {
  private readonly partitions = new Map<string, Partition>();
  private readonly fetchPurgatory = new DelayedOperationPurgatory<DelayedFetch>('Fetch');
  private readonly producePurgatory = new DelayedOperationPurgatory<DelayedProduce>('Produce');
  private readonly deleteRecordsPurgatory = new DelayedOperationPurgatory<DelayedDeleteRecords>('DeleteRecords');
  private readonly now: () => number;
  /** Highest controller epoch seen in a controller request. */
  controllerEpoch = 0;
  /** This broker's epoch: czxid of /brokers/ids/<id>; set by the server after (re-)registration. */
  brokerEpoch = -1;

  private isrExpirationTimer: NodeJS.Timeout | undefined;
  /** What the reads (local-reads.ts) use. */
  private readonly readContext: LocalReadContext;
  /** ISR shrinks and expansions of the partitions this broker leads (isr-changes.ts). */
  private readonly isrChanges: IsrChanges;

  constructor(private readonly opts: ReplicaManagerOptions) {
    this.now = opts.now ?? Date.now;
    this.readContext = {
      getPartition: (topic, partition) => this.partitions.get(`${topic}-${partition}`),
      metadataCache: opts.metadataCache,
      logger: opts.logger,
      leaderQuota: opts.leaderQuota,
    };
    this.isrChanges = new IsrChanges({
      brokerId: opts.brokerId,
      isrManager: opts.isrManager,
      metadataCache: opts.metadataCache,
      logger: opts.logger,
      isHosted: (partition) => this.partitions.get(partition.key) === partition,
      // A smaller ISR may let the high watermark move, and waiting produces see the new ISR size.
      onIsrChanged: (partition) => {
        this.fetchPurgatory.checkAndComplete(partition.key);
        this.producePurgatory.checkAndComplete(partition.key);
      },
    });
  }

  /** Starts the ISR expiration task (every replica.lag.time.max.ms / 2) and ISR change propagation. */
  startup(): void {
    const lag = this.opts.replicaLagTimeMaxMs;
    if (lag === undefined || !this.opts.isrManager) return;
    this.opts.isrManager.start();
    this.isrExpirationTimer = setInterval(() => {
      this.maybeShrinkIsr(lag).catch((err: unknown) => this.opts.logger.error('Error while shrinking ISRs', err));
    }, Math.max(100, Math.floor(lag / 2)));
    this.isrExpirationTimer.unref();
  }

  /** Removes followers that have not caught up within replica.lag.time.max.ms from the ISR of led partitions. */
  maybeShrinkIsr(maxLagMs: number): Promise<void> {
    return this.isrChanges.maybeShrinkIsr(this.partitions.values(), maxLagMs);
  }

  getPartition(topic: string, partition: number): Partition | undefined {
    return this.partitions.get(`${topic}-${partition}`);
  }

  allPartitions(): Partition[] {
    return [...this.partitions.values()];
  }

  /** Applies a LeaderAndIsr request; returns per-partition errors (NONE on success). */
  async becomeLeaderOrFollower(
    controllerId: number,
    controllerEpoch: number,
    states: LeaderAndIsrPartitionRequest[],
    liveLeaders: { brokerId: number; hostName: string; port: number }[] = [],
  ): Promise<{ errorCode: number; partitionErrors: PartitionError[] }> {
    const log = this.opts.stateChangeLogger;
    if (controllerEpoch < this.controllerEpoch) {
      log.warn(
        `[Broker id=${this.opts.brokerId}] Ignoring LeaderAndIsr request from controller ${controllerId} with epoch ` +
          `${controllerEpoch} since its epoch is older than the current controller epoch ${this.controllerEpoch}`,
      );
      return { errorCode: Errors.STALE_CONTROLLER_EPOCH, partitionErrors: [] };
    }
    this.controllerEpoch = controllerEpoch;
    const partitionErrors: PartitionError[] = [];
    const followers: { partition: Partition; leader: SourceBroker }[] = [];
    for (const state of states) {
      const key = `${state.topic}-${state.partition}`;
      const result: PartitionError = {
        topic: state.topic,
        topicId: state.topicId,
        partition: state.partition,
        errorCode: Errors.NONE,
      };
      partitionErrors.push(result);
      let partition = this.partitions.get(key);
      if (partition && state.leaderEpoch <= partition.leaderEpoch && partition.log) {
        log.info(
          `[Broker id=${this.opts.brokerId}] Ignoring LeaderAndIsr request from controller ${controllerId} with ` +
            `correlation epoch ${controllerEpoch} for partition ${key} since its associated leader epoch ` +
            `${state.leaderEpoch} is not higher than the current leader epoch ${partition.leaderEpoch}`,
        );
        result.errorCode = Errors.STALE_CONTROLLER_EPOCH;
        continue;
      }
      if (!state.replicas.includes(this.opts.brokerId)) {
        log.warn(
          `[Broker id=${this.opts.brokerId}] Ignoring LeaderAndIsr request from controller ${controllerId} for ` +
            `partition ${key} as itself is not in assigned replica list ${state.replicas.join(',')}`,
        );
        result.errorCode = Errors.UNKNOWN_TOPIC_OR_PARTITION;
        continue;
      }
      try {
        if (!partition) {
          partition = new Partition(state.topic, state.partition, this.opts.brokerId, this.now);
          this.partitions.set(key, partition);
        }
        if (state.topicId !== 'AAAAAAAAAAAAAAAAAAAAAA') partition.topicId = state.topicId;
        const p = partition;
        const partitionLog = await this.getOrCreateLog(state.topic, state.partition);
        // Appends in progress finish first and new ones wait: none may straddle the epoch change.
        await p.leaderIsrUpdateLock.write(async () => {
          // A fetch response being appended or a truncation in progress must land before the log changes hands.
          await this.opts.fetcherManager?.removeFetcherForPartitions([key]);
          if (state.leader === this.opts.brokerId) {
            const previousEpoch = p.leaderEpoch;
            // A new leader records where its epoch starts, so followers can truncate against it (KIP-101).
            await partitionLog.maybeAssignEpochStartOffset(state.leaderEpoch, partitionLog.logEndOffset);
            p.makeLeader(state, partitionLog);
            log.info(
              `[Broker id=${this.opts.brokerId}] Leader ${key} with topic id ${p.topicId} starts at leader epoch ` +
                `${state.leaderEpoch} from offset ${partitionLog.logEndOffset} with partition epoch ` +
                `${state.partitionEpoch}, high watermark ${partitionLog.highWatermark}, ISR [${state.isr.join(',')}], ` +
                `replicas [${state.replicas.join(',')}]. Previous leader epoch was ${previousEpoch}.`,
            );
          } else {
            p.makeFollower(state, partitionLog);
            const leader = this.leaderEndpoint(state.leader, liveLeaders);
            if (leader) followers.push({ partition: p, leader });
            else if (state.leader >= 0) {
              log.warn(`[Broker id=${this.opts.brokerId}] No endpoint known for leader ${state.leader} of ${key}; not fetching`);
            }
            log.info(
              `[Broker id=${this.opts.brokerId}] Follower ${key} starts at leader epoch ${state.leaderEpoch} from ` +
                `offset ${partitionLog.logEndOffset} with partition epoch ${state.partitionEpoch} and high watermark ` +
                `${partitionLog.highWatermark}. Current leader is ${state.leader}.`,
            );
          }
        });
      } catch (err) {
        this.opts.logger.error(`Error while making broker the leader or follower of ${key}`, err);
        result.errorCode = err instanceof KafkaError ? err.code : Errors.KAFKA_STORAGE_ERROR;
        continue;
      }
      // Waiting fetches, produces and record deletions learn about the new leadership at once.
      this.fetchPurgatory.checkAndComplete(key);
      this.producePurgatory.checkAndComplete(key);
      this.deleteRecordsPurgatory.checkAndComplete(key);
    }
    if (followers.length > 0) await this.opts.fetcherManager?.addFetcherForPartitions(followers);
    return { errorCode: Errors.NONE, partitionErrors };
  }

  private leaderEndpoint(
    leaderId: number,
    liveLeaders: { brokerId: number; hostName: string; port: number }[],
  ): SourceBroker | undefined {
    if (leaderId < 0) return undefined;
    const live = liveLeaders.find((l) => l.brokerId === leaderId);
    if (live) return { id: leaderId, host: live.hostName, port: live.port };
    const listener = this.opts.interBrokerListenerName;
    const ep = listener !== undefined ? this.opts.metadataCache.endPoint(leaderId, listener) : undefined;
    return ep ? { id: leaderId, host: ep.host, port: ep.port } : undefined;
  }

  /** Stops replicas (and deletes their logs when asked). Returns per-partition errors. */
  async stopReplicas(
    controllerId: number,
    controllerEpoch: number,
    partitions: { topic: string; partition: number; leaderEpoch: number; deletePartition: boolean }[],
  ): Promise<{ errorCode: number; partitionErrors: PartitionError[] }> {
    if (controllerEpoch < this.controllerEpoch) {
      this.opts.stateChangeLogger.warn(
        `[Broker id=${this.opts.brokerId}] Ignoring StopReplica request from controller ${controllerId} with epoch ` +
          `${controllerEpoch} since its epoch is older than the current controller epoch ${this.controllerEpoch}`,
      );
      return { errorCode: Errors.STALE_CONTROLLER_EPOCH, partitionErrors: [] };
    }
    this.controllerEpoch = controllerEpoch;
    const partitionErrors: PartitionError[] = [];
    for (const p of partitions) {
      const key = `${p.topic}-${p.partition}`;
      const partition = this.partitions.get(key);
      const result: PartitionError = { topic: p.topic, topicId: '', partition: p.partition, errorCode: Errors.NONE };
      partitionErrors.push(result);
      // -1: no epoch given (older versions); -2: the topic is being deleted. Both always apply.
      if (partition && p.leaderEpoch >= 0 && p.leaderEpoch < partition.leaderEpoch) {
        result.errorCode = Errors.FENCED_LEADER_EPOCH;
        continue;
      }
      if (partition) {
        // Appends in progress finish before the log is detached (and perhaps deleted).
        await partition.leaderIsrUpdateLock.write(async () => {
          await this.opts.fetcherManager?.removeFetcherForPartitions([key]);
          this.partitions.delete(key);
          // Detach the log so waiting fetches and produces complete with an error.
          partition.leaderReplicaId = -1;
          partition.log = undefined;
        });
        this.fetchPurgatory.checkAndComplete(key);
        this.producePurgatory.checkAndComplete(key);
        this.deleteRecordsPurgatory.checkAndComplete(key);
      } else {
        await this.opts.fetcherManager?.removeFetcherForPartitions([key]);
      }
      if (p.deletePartition) {
        try {
          if (this.opts.logManager.getLog(p.topic, p.partition)) {
            await this.opts.logManager.deleteLog(p.topic, p.partition);
          }
        } catch (err) {
          this.opts.logger.error(`Error while deleting the log of ${key}`, err);
          result.errorCode = Errors.KAFKA_STORAGE_ERROR;
        }
      }
      this.opts.stateChangeLogger.info(
        `[Broker id=${this.opts.brokerId}] Stopped replica ${key}${p.deletePartition ? ' and deleted its log' : ''}`,
      );
    }
    return { errorCode: Errors.NONE, partitionErrors };
  }

  /**
   * Appends each entry's record batches to its partition leader. With acks=-1 the result waits until the ISR
   * has the records or timeoutMs passes.
   */
  async appendRecords(opts: {
    requiredAcks: number;
    timeoutMs: number;
    entries: { topic: string; partition: number; records: Buffer | null }[];
  }): Promise<ProducePartitionResult[]> {
    const results = await Promise.all(opts.entries.map((e) => this.appendToLeader(e, opts.requiredAcks)));
    // Waiting fetches are woken once every partition of the request is appended: a follower fetching
    // several of them then gets them all in one response rather than one per round trip, which halves
    // the acks=all latency of a two-partition request.
    for (const r of results) {
      if (!r.partition) continue;
      if (r.highWatermarkMoved) this.fetchPurgatory.checkAndComplete(r.partition.key);
      // Followers waiting in the fetch purgatory read up to the log end, not the HW.
      this.fetchPurgatory.checkAndComplete(`${r.partition.key}#log-end`);
    }
    if (opts.requiredAcks !== -1) return results.map((r) => r.result);
    const waiting: DelayedProducePartition[] = [];
    for (const r of results) {
      if (r.result.errorCode !== Errors.NONE || !r.partition) continue;
      waiting.push({
        partition: r.partition,
        requiredOffset: r.requiredOffset,
        leaderEpoch: r.partition.leaderEpoch,
        errorCode: Errors.NONE,
        done: false,
      });
    }
    if (waiting.length === 0) return results.map((r) => r.result);
    await new Promise<void>((resolve) => {
      const op = new DelayedProduce(opts.timeoutMs, waiting, resolve);
      this.producePurgatory.tryCompleteElseWatch(
        op,
        waiting.map((w) => w.partition.key),
      );
    });
    for (const r of results) {
      const w = waiting.find((x) => x.partition === r.partition);
      if (w && w.errorCode !== Errors.NONE) r.result.errorCode = w.errorCode;
    }
    return results.map((r) => r.result);
  }

  private async appendToLeader(
    entry: { topic: string; partition: number; records: Buffer | null },
    requiredAcks: number,
  ): Promise<{ result: ProducePartitionResult; partition?: Partition; requiredOffset: number; highWatermarkMoved?: boolean }> {
    const result: ProducePartitionResult = {
      topic: entry.topic,
      partition: entry.partition,
      errorCode: Errors.NONE,
      errorMessage: null,
      baseOffset: -1,
      logAppendTimeMs: -1,
      logStartOffset: -1,
    };
    const partition = this.partitions.get(`${entry.topic}-${entry.partition}`);
    const fail = (code: number, message: string | null = null) => {
      result.errorCode = code;
      result.errorMessage = message;
      return { result, requiredOffset: -1 };
    };
    if (!partition) {
      return fail(
        this.opts.metadataCache.partitionState(entry.topic, entry.partition)
          ? Errors.NOT_LEADER_OR_FOLLOWER
          : Errors.UNKNOWN_TOPIC_OR_PARTITION,
      );
    }
    // Held shared: the leader epoch stamped on the batch is the one the epoch cache has at its offset.
    return partition.leaderIsrUpdateLock.read(async () => {
      if (!partition.log) {
        return fail(
          this.opts.metadataCache.partitionState(entry.topic, entry.partition)
            ? Errors.NOT_LEADER_OR_FOLLOWER
            : Errors.UNKNOWN_TOPIC_OR_PARTITION,
        );
      }
      if (!partition.isLeader) return fail(Errors.NOT_LEADER_OR_FOLLOWER);
      if (!entry.records || entry.records.length === 0) return fail(Errors.CORRUPT_MESSAGE, 'Produce request has no records');
      const log = partition.log;
      if (requiredAcks === -1 && partition.isr.length < log.config.minInSyncReplicas) {
        return fail(
          Errors.NOT_ENOUGH_REPLICAS,
          `The size of the current ISR [${partition.isr.join(',')}] is insufficient to satisfy the min.isr requirement ` +
            `of ${log.config.minInSyncReplicas} for partition ${partition.key}`,
        );
      }
      try {
        const info = await log.appendAsLeader(entry.records, { leaderEpoch: partition.leaderEpoch });
        result.baseOffset = info.firstOffset;
        result.logAppendTimeMs = info.logAppendTime;
        result.logStartOffset = log.logStartOffset;
        // A duplicate of an idempotent producer's batch (validBytes 0) wrote nothing: the original's offsets.
        const highWatermarkMoved = info.validBytes > 0 && partition.onLocalAppend(info.lastOffset + 1, entry.records.length);
        return { result, partition, requiredOffset: info.lastOffset + 1, highWatermarkMoved };
      } catch (err) {
        if (err instanceof KafkaError) {
          result.recordErrors = recordErrorsOf(err);
          return fail(err.code, err.message);
        }
        this.opts.logger.error(`Error processing append operation on partition ${partition.key}`, err);
        return fail(Errors.KAFKA_STORAGE_ERROR, err instanceof Error ? err.message : String(err));
      }
    });
  }

  /** DeleteRecords on the partitions this broker leads: see delete-records.ts. */
  deleteRecords(requests: readonly DeleteRecordsPartitionRequest[], opts: { timeoutMs: number }): Promise<DeleteRecordsPartitionResult[]> {
    const ctx = {
      getPartition: (topic: string, partition: number) => this.getPartition(topic, partition),
      isAlive: (brokerId: number) => this.opts.metadataCache.hasAliveBroker(brokerId),
      purgatory: this.deleteRecordsPurgatory,
    };
    return deleteRecords(ctx, requests, opts);
  }

  /** DescribeLogDirs: this broker's log dirs and the given `topic-partition`s in them (null: all); see describe-log-dirs.ts. */
  describeLogDirs(wanted: ReadonlySet<string> | null): Promise<LogDirDescription[]> {
    const logManager = this.opts.logManager;
    return describeLogDirs(
      {
        logDirs: logManager.liveLogDirs,
        logs: logManager.allLogs(),
        highWatermark: (topic, partition) => {
          const p = this.getPartition(topic, partition);
          return p?.log === undefined ? undefined : p.highWatermark;
        },
      },
      wanted,
    );
  }

  /** Reads from local logs; waits in the fetch purgatory for minBytes up to maxWaitMs. */
  async fetchMessages(params: FetchParams): Promise<FetchPartitionResult[]> {
    const isFollower = params.replicaId >= 0;
    if (isFollower) {
      for (const p of params.partitions) {
        const partition = this.partitions.get(`${p.topic}-${p.partition}`);
        if (!partition?.isLeader || !partition.log) continue;
        // As Kafka, only a fetch the leader serves tells where the follower is: one from another leader epoch,
        // or past the log end (a follower that has not truncated yet), must not move the HW or the ISR.
        if (p.currentLeaderEpoch >= 0 && p.currentLeaderEpoch !== partition.leaderEpoch) continue;
        if (p.fetchOffset > partition.log.logEndOffset || p.fetchOffset < partition.log.logStartOffset) continue;
        if (partition.updateFollowerFetchState(params.replicaId, p.fetchOffset, p.logStartOffset)) {
          this.fetchPurgatory.checkAndComplete(partition.key);
          this.producePurgatory.checkAndComplete(partition.key);
        }
        this.deleteRecordsPurgatory.checkAndComplete(partition.key);
        if (this.isrChanges.isIsrEligible(partition, params.replicaId)) {
          this.isrChanges.maybeExpandIsr(partition, params.replicaId).catch((err: unknown) =>
            this.opts.logger.error(`Error while expanding the ISR of ${partition.key}`, err),
          );
        }
      }
    }
    const first = await readFromLocalLogs(this.readContext, params, { isFollower });
    const bytes = first.reduce((n, r) => n + r.bytes, 0);
    const hasError = first.some((r) => r.errorCode !== Errors.NONE);
    if (params.maxWaitMs <= 0 || params.partitions.length === 0 || bytes >= params.minBytes || hasError) {
      return this.recordLeaderThrottle(first, isFollower);
    }
    const watched: DelayedFetchPartition[] = params.partitions.map((p) => {
      const partition = this.partitions.get(`${p.topic}-${p.partition}`);
      return {
        partition,
        startBytes: partition ? this.fetchableBytes(partition, isFollower) : 0,
        leaderEpoch: partition?.leaderEpoch ?? -1,
        throttled: isFollower && partition ? () => shouldLeaderThrottle(this.readContext, partition, params.replicaId) : undefined,
      };
    });
    await new Promise<void>((resolve) => {
      const op = new DelayedFetch(params.maxWaitMs, params.minBytes, bytes, watched, isFollower, resolve);
      const keys = params.partitions.map((p) => `${p.topic}-${p.partition}${isFollower ? '#log-end' : ''}`);
      // Leadership changes are announced on the plain key.
      if (isFollower) keys.push(...params.partitions.map((p) => `${p.topic}-${p.partition}`));
      this.fetchPurgatory.tryCompleteElseWatch(op, keys);
    });
    return this.recordLeaderThrottle(await readFromLocalLogs(this.readContext, params, { isFollower }), isFollower);
  }

  /** Counts the bytes of throttled partitions sent to a follower against the leader's replication rate. */
  private recordLeaderThrottle(results: FetchPartitionResult[], isFollower: boolean): FetchPartitionResult[] {
    const quota = this.opts.leaderQuota;
    if (isFollower && quota !== undefined) {
      let bytes = 0;
      for (const r of results) if (quota.isThrottled(r.topic, r.partition)) bytes += r.bytes;
      quota.record(bytes);
    }
    return results;
  }

  private fetchableBytes(partition: Partition, isFollower: boolean): number {
    return isFollower ? partition.logEndBytes : partition.visibleBytes;
  }

  /** ListOffsets for one partition: see local-reads.ts. */
  fetchOffsetForTimestamp(opts: Parameters<typeof fetchOffsetForTimestamp>[1]): Promise<OffsetForTimestamp> {
    return fetchOffsetForTimestamp(this.readContext, opts);
  }

  /** OffsetForLeaderEpoch for one partition: see local-reads.ts. */
  lastOffsetForLeaderEpoch(
    opts: Parameters<typeof lastOffsetForLeaderEpoch>[1],
  ): Promise<{ errorCode: number; leaderEpoch: number; endOffset: number }> {
    return lastOffsetForLeaderEpoch(this.readContext, opts);
  }

  /** High watermarks of every hosted partition, for replication-offset-checkpoint. */
  highWatermarks(): Map<string, number> {
    const hw = new Map<string, number>();
    for (const p of this.partitions.values()) if (p.log) hw.set(p.key, p.log.highWatermark);
    return hw;
  }

  /** Called by the replica fetchers after a follower append. */
  onFollowerAppend(partition: Partition, bytes: number): void {
    if (partition.log) partition.onLocalAppend(partition.log.logEndOffset, bytes);
  }

  /** Stops fetchers and ISR tasks and completes every waiting request (broker shutdown). */
  async shutdown(): Promise<void> {
    if (this.isrExpirationTimer) clearInterval(this.isrExpirationTimer);
    await this.opts.fetcherManager?.shutdown();
    await this.opts.isrManager?.shutdown();
    this.fetchPurgatory.shutdown();
    this.producePurgatory.shutdown();
    this.deleteRecordsPurgatory.shutdown();
  }

  private async getOrCreateLog(topic: string, partition: number): Promise<Log> {
    const existing = this.opts.logManager.getLog(topic, partition);
    if (existing) return existing;
    const config = await this.opts.logConfigFor(topic);
    return this.opts.logManager.getOrCreateLog(topic, partition, config);
  }
}

