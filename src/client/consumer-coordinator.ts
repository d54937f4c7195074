/**
 * Group membership of a consumer, as Kafka's AbstractCoordinator / ConsumerCoordinator (classic
 * protocol, eager rebalancing):
 *
 * - FindCoordinator (v0-4) for the group, then a connection of its own to the coordinator (as Kafka's
 *   client opens one), so heartbeats never wait behind a long-polling Fetch;
 * - JoinGroup (v0-9): a v4+ dynamic member first gets MEMBER_ID_REQUIRED with its id and joins again
 *   with it (KIP-394); static members send group.instance.id (v5+, KIP-345); the request may wait on the
 *   broker up to rebalance.timeout.ms, so its timeout is that plus 5 s, as Kafka's;
 * - the leader decodes the members' subscriptions, fetches the metadata of every subscribed topic and
 *   runs the assignor the group chose; SyncGroup (v0-5) hands the assignments out;
 * - Heartbeat (v0-4) every heartbeat.interval.ms while Stable; REBALANCE_IN_PROGRESS,
 *   ILLEGAL_GENERATION and UNKNOWN_MEMBER_ID make the member rejoin (the last two also drop its
 *   generation, UNKNOWN_MEMBER_ID its member id); a member not polled for max.poll.interval.ms leaves;
 * - LeaveGroup (v0-5) on close, except for static members, which keep their partitions until their
 *   session times out (KIP-345).
 *
 * What a member does with its partitions is up to its owner, through RebalanceHooks: onJoinPrepare
 * before each (re)join (commit, then give up every partition: eager) and onJoinComplete with the new
 * assignment. Offsets are committed and fetched by ConsumerOffsets (consumer-offsets.ts).
 */

import { ApiKeys, ErrorCode, type RequestInputOf } from '../protocol';
import { BrokerConnection } from './broker-connection';
import { ClientClosedError, KafkaResponseError, isRetriable } from './client-errors';
import { CONSUMER_PROTOCOL_TYPE, deserializeAssignment, deserializeSubscription, serializeAssignment, serializeSubscription } from './consumer-protocol';
import type { ClientLogger, KafkaClient } from './kafka-client';
import { defaultAssignors, type MemberSubscription, type PartitionAssignor } from './partition-assignors';
import type { TopicPartition } from './simple-consumer';

/** Kafka's MemberState. */
export const MemberState = {
  UNJOINED: 'UNJOINED',
  PREPARING_REBALANCE: 'PREPARING_REBALANCE',
  COMPLETING_REBALANCE: 'COMPLETING_REBALANCE',
  STABLE: 'STABLE',
} as const;
export type MemberStateValue = (typeof MemberState)[keyof typeof MemberState];

/** The member's generation (Kafka's AbstractCoordinator.Generation). */
export interface Generation {
  generationId: number;
  memberId: string;
  protocolName: string | null;
}

/** What the owner of the partitions does around a rebalance. */
export interface RebalanceHooks {
  /** Before (re)joining; `generation` is the one being left (generationId -1 when it is already lost). */
  onJoinPrepare(generation: Generation): Promise<void>;
  /** After SyncGroup, with the partitions assigned to this member. */
  onJoinComplete(generation: Generation, assignment: TopicPartition[]): Promise<void>;
}

/** Group membership settings (Kafka's consumer configs; defaults as Kafka 3.9). */
export interface ConsumerCoordinatorOptions {
  groupId: string;
  /** group.instance.id: set for a static member. */
  groupInstanceId?: string | null;
  /** session.timeout.ms. Default 45000. */
  sessionTimeoutMs?: number;
  /** max.poll.interval.ms, sent as the rebalance timeout. Default 300000. */
  rebalanceTimeoutMs?: number;
  /** heartbeat.interval.ms. Default 3000. */
  heartbeatIntervalMs?: number;
  /** partition.assignment.strategy, in order of preference. Default range, roundrobin. */
  assignors?: readonly PartitionAssignor[];
  /** Log lines of the coordinator (default: the client's logger). */
  logger?: ClientLogger;
  /** Prefix of log lines, e.g. `Consumer clientId=x, groupId=g`. */
  logContext?: string;
}

/** A fatal membership error (FENCED_INSTANCE_ID, INCONSISTENT_GROUP_PROTOCOL, ...): the consumer cannot go on. */
export class GroupMembershipError extends Error {
  override readonly name = 'GroupMembershipError';
}

/** The coordinator answered that the member must join again (thrown inside the join loop only). */
class RejoinNeeded extends Error {
  override readonly name = 'RejoinNeeded';
}

const NO_GENERATION = -1;
/** Kafka's client talks to a coordinator as node Integer.MAX_VALUE - id, on a connection of its own. */
const COORDINATOR_NODE_BASE = 2_147_483_647;
const COORDINATOR_ERRORS: ReadonlySet<number> = new Set([ErrorCode.COORDINATOR_NOT_AVAILABLE, ErrorCode.NOT_COORDINATOR]);

/** One consumer's membership in its group. Not a singleton: each consumer owns one. */
export class ConsumerCoordinator {
  readonly groupId: string;
  readonly groupInstanceId: string | null;
  readonly sessionTimeoutMs: number;
  readonly rebalanceTimeoutMs: number;
  readonly heartbeatIntervalMs: number;
  private readonly assignors: readonly PartitionAssignor[];
  private readonly logger: ClientLogger;
  private readonly logContext: string;
  private generation: Generation = { generationId: NO_GENERATION, memberId: '', protocolName: null };
  private memberState: MemberStateValue = MemberState.UNJOINED;
  private rejoinReason: string | null = 'initial join';
  private coordinatorNode: { nodeId: number; host: string; port: number } | undefined;
  private conn: BrokerConnection | undefined;
  private joining: Promise<void> | undefined;
  private joinPrepared = false;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private lastPollMs = Date.now();
  private fatal: Error | undefined;
  private subscription: string[] = [];
  private closed = false;
  /** Partition counts the leader assigned from (null when not the leader). */
  private assignedMetadata: Map<string, number> | null = null;

  constructor(
    private readonly client: KafkaClient,
    private readonly hooks: RebalanceHooks,
    options: ConsumerCoordinatorOptions,
  ) {
    this.groupId = options.groupId;
    this.groupInstanceId = options.groupInstanceId ?? null;
    this.sessionTimeoutMs = options.sessionTimeoutMs ?? 45_000;
    this.rebalanceTimeoutMs = options.rebalanceTimeoutMs ?? 300_000;
    this.heartbeatIntervalMs = options.heartbeatIntervalMs ?? 3000;
    this.assignors = options.assignors ?? defaultAssignors();
    if (this.assignors.length === 0) throw new GroupMembershipError('partition.assignment.strategy must name at least one assignor');
    this.logger = options.logger ?? client.logger;
    this.logContext = options.logContext ?? `Consumer clientId=${client.clientId}, groupId=${this.groupId}`;
  }

  /** The current generation (generationId -1 when the member has none). */
  currentGeneration(): Generation {
    return { ...this.generation };
  }

  /** Kafka's MemberState of this member. */
  state(): MemberStateValue {
    return this.memberState;
  }

  /** Whether the member is Stable and no rejoin is pending. */
  isStable(): boolean {
    return this.memberState === MemberState.STABLE && this.rejoinReason === null;
  }

  /** Whether this member is the group's leader in the current generation. */
  isLeader(): boolean {
    return this.assignedMetadata !== null;
  }

  /** Asks for a rejoin at the next ensureActiveGroup (e.g. the subscription or the metadata changed). */
  requestRejoin(reason: string): void {
    if (this.rejoinReason === null) this.logger.info(`[${this.logContext}] Request joining group due to: ${reason}`);
    this.rejoinReason ??= reason;
  }

  /** Records a poll of the owner (max.poll.interval.ms is counted from the last one). */
  recordPoll(): void {
    this.lastPollMs = Date.now();
    if (this.fatal) throw this.fatal;
  }

  /**
   * When the leader assigned from partition counts that no longer match `partitionsPerTopic` (a topic
   * was created or grew), requests a rejoin, as Kafka's leader does on a metadata change.
   */
  checkMetadata(partitionsPerTopic: ReadonlyMap<string, number>): void {
    if (this.assignedMetadata === null || !this.isStable()) return;
    for (const topic of this.subscription) {
      if ((partitionsPerTopic.get(topic) ?? 0) !== (this.assignedMetadata.get(topic) ?? 0)) {
        this.requestRejoin(`cached metadata has changed for topic ${topic}`);
        return;
      }
    }
  }

  /**
   * Makes sure the member is in the group with `topics` as its subscription, joining or rejoining when
   * needed. Waits at most `timeoutMs`: a join still under way then goes on in the background and the
   * next call waits for it. Resolves true when the member is Stable.
   */
  async ensureActiveGroup(topics: readonly string[], timeoutMs = Number.POSITIVE_INFINITY): Promise<boolean> {
    if (this.fatal) throw this.fatal;
    if (this.closed) throw new ClientClosedError('Consumer');
    const sorted = [...new Set(topics)].sort();
    if (sorted.join('\u0000') !== this.subscription.join('\u0000')) {
      if (this.memberState !== MemberState.UNJOINED) this.requestRejoin('the subscription changed');
      this.subscription = sorted;
    }
    if (this.isStable()) return true;
    this.joining ??= this.joinLoop().finally(() => {
      this.joining = undefined;
    });
    const joined = this.joining;
    if (timeoutMs === Number.POSITIVE_INFINITY) {
      await joined;
    } else {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        joined,
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, Math.max(0, timeoutMs));
        }),
      ]).finally(() => clearTimeout(timer));
    }
    if (this.fatal) throw this.fatal;
    return this.isStable();
  }

  /** A ready connection to the group's coordinator, finding it first when unknown. */
  async coordinatorConnection(): Promise<BrokerConnection> {
    return this.connect(false);
  }

  private async connect(leaving: boolean): Promise<BrokerConnection> {
    return this.client.retry(
      async () => {
        if (this.closed && !leaving) throw new ClientClosedError('Consumer');
        if (!this.coordinatorNode) await this.findCoordinator();
        const node = this.coordinatorNode!;
        if (!this.conn || this.conn.isClosed) {
          this.conn = new BrokerConnection({
            host: node.host,
            port: node.port,
            nodeId: COORDINATOR_NODE_BASE - node.nodeId,
            clientId: this.client.clientId,
            requestTimeoutMs: this.client.requestTimeoutMs,
          });
        }
        try {
          await this.conn.ready();
        } catch (err) {
          this.markCoordinatorUnknown(`connection failed: ${(err as Error).message}`);
          throw err;
        }
        return this.conn;
      },
      {
        operation: `FindCoordinator for group ${this.groupId}`,
        // Leaving is best effort: the session timeout removes the member anyway.
        timeoutMs: leaving ? Math.min(this.client.requestTimeoutMs, 5000) : Math.max(this.client.requestTimeoutMs, 60_000),
      },
    );
  }

  /** Forgets the coordinator (it moved or went away); the next request looks it up again. */
  markCoordinatorUnknown(reason: string): void {
    if (!this.coordinatorNode) return;
    this.logger.info(`[${this.logContext}] Group coordinator ${this.coordinatorNode.host}:${this.coordinatorNode.port} (id: ${COORDINATOR_NODE_BASE - this.coordinatorNode.nodeId} rack: null) is unavailable or invalid due to cause: ${reason}. isDisconnected: false. Rediscovery will be attempted.`);
    this.coordinatorNode = undefined;
    this.conn?.close();
    this.conn = undefined;
  }

  /** Drops the generation after ILLEGAL_GENERATION / UNKNOWN_MEMBER_ID (and the member id for the latter). */
  resetGeneration(reason: string, options: { resetMemberId: boolean }): void {
    this.logger.info(`[${this.logContext}] Resetting generation${options.resetMemberId ? ' and member id' : ''} due to: ${reason}`);
    this.generation = {
      generationId: NO_GENERATION,
      memberId: options.resetMemberId ? '' : this.generation.memberId,
      protocolName: null,
    };
    this.memberState = MemberState.UNJOINED;
    this.assignedMetadata = null;
    this.stopHeartbeat();
    this.requestRejoin(reason);
  }

  /**
   * Leaves the group: stops heartbeating, aborts a join under way and sends LeaveGroup unless the member
   * is static. The owner commits before calling this.
   */
  async close(reason = 'the consumer is being closed'): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stopHeartbeat();
    if (this.joining) {
      // A JoinGroup may wait on the broker for minutes: drop it with its connection.
      this.conn?.close();
      this.conn = undefined;
      await this.joining.catch(() => undefined);
    }
    try {
      await this.maybeLeaveGroup(reason);
    } finally {
      this.conn?.close();
      this.conn = undefined;
    }
  }

  private async maybeLeaveGroup(reason: string): Promise<void> {
    const { memberId } = this.generation;
    if (this.groupInstanceId === null && memberId !== '' && this.coordinatorNode) {
      this.logger.info(`[${this.logContext}] Member ${memberId} sending LeaveGroup request to coordinator due to ${reason}`);
      try {
        const conn = await this.connect(true);
        const version = conn.pickVersion(ApiKeys.LeaveGroup, 0, 5);
        const body: RequestInputOf<typeof ApiKeys.LeaveGroup> =
          version >= 3
            ? { groupId: this.groupId, members: [{ memberId, groupInstanceId: null, reason }] }
            : { groupId: this.groupId, memberId };
        const response = await conn.request(ApiKeys.LeaveGroup, version, body);
        const code = response.errorCode !== ErrorCode.NONE ? response.errorCode : (response.members?.[0]?.errorCode ?? ErrorCode.NONE);
        if (code !== ErrorCode.NONE) this.logger.warn(`[${this.logContext}] LeaveGroup request failed with error: ${new KafkaResponseError(code).message}`);
      } catch (err) {
        this.logger.warn(`[${this.logContext}] LeaveGroup request failed: ${(err as Error).message}`);
      }
    }
    this.generation = { generationId: NO_GENERATION, memberId: '', protocolName: null };
    this.memberState = MemberState.UNJOINED;
  }

  private async findCoordinator(): Promise<void> {
    const any = await this.client.anyConnection();
    const v = any.pickVersion(ApiKeys.FindCoordinator, 0, 4);
    const r = await any.request(ApiKeys.FindCoordinator, v, v >= 4 ? { keyType: 0, coordinatorKeys: [this.groupId] } : { key: this.groupId, keyType: 0 });
    const c = v >= 4 ? r.coordinators[0] : { errorCode: r.errorCode, nodeId: r.nodeId, host: r.host, port: r.port, errorMessage: r.errorMessage };
    if (!c) throw new KafkaResponseError(ErrorCode.COORDINATOR_NOT_AVAILABLE, { context: `FindCoordinator ${this.groupId}` });
    if (c.errorCode !== ErrorCode.NONE) throw new KafkaResponseError(c.errorCode, { message: c.errorMessage, context: `FindCoordinator ${this.groupId}` });
    this.coordinatorNode = { nodeId: c.nodeId, host: c.host, port: c.port };
    this.logger.info(`[${this.logContext}] Discovered group coordinator ${c.host}:${c.port} (id: ${COORDINATOR_NODE_BASE - c.nodeId} rack: null)`);
  }

  /** Joins until Stable, closed, or a fatal error. */
  private async joinLoop(): Promise<void> {
    for (let attempt = 0; !this.closed; attempt++) {
      try {
        if (!this.joinPrepared) {
          this.stopHeartbeat();
          await this.hooks.onJoinPrepare(this.currentGeneration());
          this.joinPrepared = true;
        }
        const reason = this.rejoinReason ?? 'rebalance';
        this.rejoinReason = null;
        this.memberState = MemberState.PREPARING_REBALANCE;
        const assignment = await this.joinAndSync(reason);
        this.joinPrepared = false;
        this.memberState = MemberState.STABLE;
        this.startHeartbeat();
        await this.hooks.onJoinComplete(this.currentGeneration(), assignment);
        if (this.rejoinReason === null) return;
        this.joinPrepared = false;
        attempt = -1;
      } catch (err) {
        if (this.closed) return;
        if (this.rejoinReason === null) this.rejoinReason = (err as Error).message;
        if (err instanceof RejoinNeeded) continue;
        if (err instanceof KafkaResponseError && COORDINATOR_ERRORS.has(err.code)) {
          this.markCoordinatorUnknown(err.message);
        } else if (!isRetriable(err)) {
          this.fatal = err instanceof Error ? err : new Error(String(err));
          this.memberState = MemberState.UNJOINED;
          return;
        }
        this.logger.debug(`[${this.logContext}] Join attempt failed, retrying: ${(err as Error).message}`);
        await new Promise((resolve) => setTimeout(resolve, this.client.backoffMs(attempt)));
      }
    }
  }

  private async joinAndSync(reason: string): Promise<TopicPartition[]> {
    const conn = await this.coordinatorConnection();
    const version = conn.pickVersion(ApiKeys.JoinGroup, 0, 9);
    const protocols = this.assignors.map((a) => ({
      name: a.name,
      metadata: serializeSubscription({ topics: this.subscription, generationId: this.generation.generationId }),
    }));
    this.logger.info(`[${this.logContext}] (Re-)joining group`);
    const response = await conn.request(
      ApiKeys.JoinGroup,
      version,
      {
        groupId: this.groupId,
        sessionTimeoutMs: this.sessionTimeoutMs,
        rebalanceTimeoutMs: this.rebalanceTimeoutMs,
        memberId: this.generation.memberId,
        groupInstanceId: this.groupInstanceId,
        protocolType: CONSUMER_PROTOCOL_TYPE,
        protocols,
        reason,
      },
      { timeoutMs: Math.max(this.client.requestTimeoutMs, this.rebalanceTimeoutMs + 5000) },
    );
    switch (response.errorCode) {
      case ErrorCode.NONE:
        break;
      case ErrorCode.MEMBER_ID_REQUIRED:
        // KIP-394: join again with the id the coordinator handed out.
        this.generation = { ...this.generation, memberId: response.memberId };
        throw new RejoinNeeded('need to re-join with the given member-id');
      case ErrorCode.UNKNOWN_MEMBER_ID:
      case ErrorCode.ILLEGAL_GENERATION:
        this.resetGeneration(`encountered ${new KafkaResponseError(response.errorCode).errorName} from JOIN_GROUP response`, {
          resetMemberId: response.errorCode === ErrorCode.UNKNOWN_MEMBER_ID,
        });
        throw new RejoinNeeded('rejoin after a JoinGroup error');
      case ErrorCode.REBALANCE_IN_PROGRESS:
        throw new RejoinNeeded('the group is rebalancing');
      case ErrorCode.FENCED_INSTANCE_ID:
      case ErrorCode.INCONSISTENT_GROUP_PROTOCOL:
      case ErrorCode.INVALID_SESSION_TIMEOUT:
      case ErrorCode.GROUP_MAX_SIZE_REACHED:
      case ErrorCode.GROUP_AUTHORIZATION_FAILED:
        throw new GroupMembershipError(`JoinGroup failed: ${new KafkaResponseError(response.errorCode).message}`);
      default:
        throw new KafkaResponseError(response.errorCode, { context: `JoinGroup ${this.groupId}` });
    }
    this.generation = { generationId: response.generationId, memberId: response.memberId, protocolName: response.protocolName ?? null };
    this.memberState = MemberState.COMPLETING_REBALANCE;
    this.logger.info(`[${this.logContext}] Successfully joined group with generation ${response.generationId} and member id ${response.memberId}`);
    let assignments: { memberId: string; assignment: Buffer }[] = [];
    this.assignedMetadata = null;
    if (response.leader === response.memberId && !response.skipAssignment) {
      assignments = await this.assignAsLeader(response.protocolName ?? '', response.members);
    }
    return this.syncGroup(conn, assignments);
  }

  private async assignAsLeader(
    protocolName: string,
    members: readonly { memberId: string; groupInstanceId?: string | null; metadata: Buffer }[],
  ): Promise<{ memberId: string; assignment: Buffer }[]> {
    const assignor = this.assignors.find((a) => a.name === protocolName);
    if (!assignor) throw new GroupMembershipError(`Coordinator selected invalid assignment protocol: ${protocolName}`);
    const subscriptions: MemberSubscription[] = members.map((m) => ({
      memberId: m.memberId,
      groupInstanceId: m.groupInstanceId ?? null,
      topics: deserializeSubscription(m.metadata).topics,
    }));
    const topics = [...new Set(subscriptions.flatMap((s) => s.topics))];
    const partitionsPerTopic = new Map<string, number>();
    if (topics.length > 0) {
      const cluster = await this.client.fetchMetadata(topics);
      for (const topic of topics) {
        const meta = cluster.topics.get(topic);
        if (meta && meta.errorCode === ErrorCode.NONE && meta.partitions.length > 0) partitionsPerTopic.set(topic, meta.partitions.length);
      }
    }
    const result = assignor.assign(partitionsPerTopic, subscriptions);
    this.assignedMetadata = partitionsPerTopic;
    this.logger.info(
      `[${this.logContext}] Finished assignment for group at generation ${this.generation.generationId}: {${[...result]
        .map(([id, tps]) => `${id}=Assignment(partitions=[${tps.map((tp) => `${tp.topic}-${tp.partition}`).join(', ')}])`)
        .join(', ')}}`,
    );
    return [...result].map(([memberId, partitions]) => ({ memberId, assignment: serializeAssignment({ partitions }) }));
  }

  private async syncGroup(conn: BrokerConnection, assignments: { memberId: string; assignment: Buffer }[]): Promise<TopicPartition[]> {
    const version = conn.pickVersion(ApiKeys.SyncGroup, 0, 5);
    const response = await conn.request(ApiKeys.SyncGroup, version, {
      groupId: this.groupId,
      generationId: this.generation.generationId,
      memberId: this.generation.memberId,
      groupInstanceId: this.groupInstanceId,
      protocolType: CONSUMER_PROTOCOL_TYPE,
      protocolName: this.generation.protocolName,
      assignments,
    });
    switch (response.errorCode) {
      case ErrorCode.NONE:
        break;
      case ErrorCode.REBALANCE_IN_PROGRESS:
        throw new RejoinNeeded('the group rebalanced while syncing');
      case ErrorCode.UNKNOWN_MEMBER_ID:
      case ErrorCode.ILLEGAL_GENERATION:
        this.resetGeneration(`encountered ${new KafkaResponseError(response.errorCode).errorName} from SYNC_GROUP response`, {
          resetMemberId: response.errorCode === ErrorCode.UNKNOWN_MEMBER_ID,
        });
        throw new RejoinNeeded('rejoin after a SyncGroup error');
      case ErrorCode.FENCED_INSTANCE_ID:
      case ErrorCode.GROUP_AUTHORIZATION_FAILED:
        throw new GroupMembershipError(`SyncGroup failed: ${new KafkaResponseError(response.errorCode).message}`);
      default:
        throw new KafkaResponseError(response.errorCode, { context: `SyncGroup ${this.groupId}` });
    }
    const assigned = deserializeAssignment(response.assignment).partitions;
    const subscribed = new Set(this.subscription);
    const kept = assigned.filter((tp) => subscribed.has(tp.topic));
    if (kept.length !== assigned.length) {
      this.logger.warn(`[${this.logContext}] The assignment contains partitions of topics this member does not subscribe to; they are ignored`);
    }
    this.logger.info(
      `[${this.logContext}] Successfully synced group in generation ${this.generation.generationId}; assigned partitions: ${kept.map((tp) => `${tp.topic}-${tp.partition}`).join(', ')}`,
    );
    return kept;
  }

  private startHeartbeat(): void {
    this.stopHeartbeat();
    this.heartbeatTimer = setTimeout(() => void this.heartbeat(), this.heartbeatIntervalMs);
    // Heartbeats alone must not keep a process alive whose owner is done.
    this.heartbeatTimer.unref();
  }

  private stopHeartbeat(): void {
    if (this.heartbeatTimer) clearTimeout(this.heartbeatTimer);
    this.heartbeatTimer = undefined;
  }

  private async heartbeat(): Promise<void> {
    this.heartbeatTimer = undefined;
    if (this.closed || this.memberState !== MemberState.STABLE) return;
    if (Date.now() - this.lastPollMs > this.rebalanceTimeoutMs) {
      // Kafka's heartbeat thread: the application stopped polling, so the member gives its partitions up.
      this.logger.warn(
        `[${this.logContext}] consumer poll timeout has expired. This means the time between subsequent calls to poll() was longer than the configured max.poll.interval.ms, which typically implies that the poll loop is spending too much time processing messages.`,
      );
      await this.maybeLeaveGroup('consumer poll timeout has expired.');
      this.requestRejoin('consumer poll timeout has expired');
      return;
    }
    const { generationId, memberId } = this.generation;
    try {
      const conn = await this.coordinatorConnection();
      const version = conn.pickVersion(ApiKeys.Heartbeat, 0, 4);
      const response = await conn.request(ApiKeys.Heartbeat, version, {
        groupId: this.groupId,
        generationId,
        memberId,
        groupInstanceId: this.groupInstanceId,
      });
      if (generationId !== this.generation.generationId || this.memberState !== MemberState.STABLE) return;
      switch (response.errorCode) {
        case ErrorCode.NONE:
          break;
        case ErrorCode.REBALANCE_IN_PROGRESS:
          this.requestRejoin('group is already rebalancing');
          return;
        case ErrorCode.ILLEGAL_GENERATION:
        case ErrorCode.UNKNOWN_MEMBER_ID:
          this.resetGeneration(`encountered ${new KafkaResponseError(response.errorCode).errorName} from HEARTBEAT response`, {
            resetMemberId: response.errorCode === ErrorCode.UNKNOWN_MEMBER_ID,
          });
          return;
        case ErrorCode.FENCED_INSTANCE_ID:
          this.fatal = new GroupMembershipError(`Heartbeat failed: ${new KafkaResponseError(response.errorCode).message}`);
          this.memberState = MemberState.UNJOINED;
          return;
        default:
          if (COORDINATOR_ERRORS.has(response.errorCode)) this.markCoordinatorUnknown(new KafkaResponseError(response.errorCode).message);
          else this.logger.warn(`[${this.logContext}] Heartbeat failed: ${new KafkaResponseError(response.errorCode).message}`);
      }
    } catch (err) {
      if (this.closed) return;
      this.logger.debug(`[${this.logContext}] Heartbeat failed: ${(err as Error).message}`);
      this.markCoordinatorUnknown((err as Error).message);
    }
    if (!this.closed && this.memberState === MemberState.STABLE && generationId === this.generation.generationId) this.startHeartbeat();
  }
}
