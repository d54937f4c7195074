/**
 * ControllerBrokerRequestBatch (Kafka's AbstractControllerBrokerRequestBatch in ControllerChannelManager.scala):
 * the LeaderAndIsr, UpdateMetadata and StopReplica requests one controller event produces, collected per broker
 * between `newBatch()` and `sendRequestsToBrokers()`, then handed to the channel manager.
 *
 * Versions: a 3.9 controller (IBP 3.9) sends LeaderAndIsr v7, UpdateMetadata v8 and StopReplica v4; the bodies
 * are built for whatever version the receiving broker negotiated (down to LeaderAndIsr v0, UpdateMetadata v1,
 * StopReplica v0). Every request carries controllerId, controllerEpoch and the receiving broker's epoch.
 * Adding a LeaderAndIsr partition also adds that partition to the UpdateMetadata sent to every live broker;
 * partitions of a topic being deleted are published with leader -2 (LeaderDuringDelete).
 * Responses become controller events: LeaderAndIsr errors, UpdateMetadata errors, and the per-partition results
 * of StopReplica(delete=true) for topics being deleted, which feed the TopicDeletionManager.
 */
import { ApiKeys, ZERO_UUID } from '../protocol';
import type { ControlRequest } from './controller-channel-manager';
import type { ControllerContext } from './controller-context';
import type { ControllerEvent, PartitionErrorResult } from './controller-events';
import type { ControllerLogger, StateChangeLogger } from './controller-logger';
import {
  LeaderAndIsr,
  LeaderAndIsrConstants,
  type LeaderIsrAndControllerEpoch,
  type ReplicaAssignment,
  SecurityProtocolId,
  type TopicPartition,
  partitionKey,
  scalaSet,
} from './controller-types';

/** Request versions sent by a 3.9 controller (inter.broker.protocol.version 3.9). */
export const ControlRequestVersions = {
  LeaderAndIsr: { min: 0, max: 7 },
  UpdateMetadata: { min: 1, max: 8 },
  StopReplica: { min: 0, max: 4 },
} as const;

/** The batch was not empty when a new one started, or sending failed: the controller's state is suspect. */
export class ControllerIllegalStateError extends Error {
  override readonly name = 'ControllerIllegalStateError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Version-agnostic LeaderAndIsr partition state. */
interface LeaderAndIsrPartitionInfo {
  topicName: string;
  partitionIndex: number;
  controllerEpoch: number;
  leader: number;
  leaderEpoch: number;
  isr: number[];
  partitionEpoch: number;
  replicas: number[];
  addingReplicas: number[];
  removingReplicas: number[];
  isNew: boolean;
  leaderRecoveryState: number;
}

/** Version-agnostic UpdateMetadata partition state. */
interface UpdateMetadataPartitionInfo {
  topicName: string;
  partitionIndex: number;
  controllerEpoch: number;
  leader: number;
  leaderEpoch: number;
  isr: number[];
  zkVersion: number;
  replicas: number[];
  offlineReplicas: number[];
}

interface StopReplicaPartitionInfo {
  tp: TopicPartition;
  leaderEpoch: number;
  deletePartition: boolean;
}

/** What the batch needs from the controller. */
export interface ControllerBrokerRequestBatchOptions {
  controllerId: number;
  context: ControllerContext;
  /** Queues a request to a broker (ControllerChannelManager.sendRequest). */
  sendRequest: (brokerId: number, request: ControlRequest) => void;
  /** Enqueues a controller event (responses are handled on the event loop). */
  sendEvent: (event: ControllerEvent) => void;
  stateChangeLogger: StateChangeLogger;
  logger: ControllerLogger;
  /** Listener whose endpoints are sent as LiveLeaders in LeaderAndIsr. */
  interBrokerListenerName: string;
}

export class ControllerBrokerRequestBatch {
  private readonly leaderAndIsrRequestMap = new Map<number, Map<string, LeaderAndIsrPartitionInfo>>();
  private readonly stopReplicaRequestMap = new Map<number, Map<string, StopReplicaPartitionInfo>>();
  private readonly updateMetadataRequestBrokerSet = new Set<number>();
  private readonly updateMetadataRequestPartitionInfoMap = new Map<string, UpdateMetadataPartitionInfo>();

  constructor(private readonly opts: ControllerBrokerRequestBatchOptions) {}

  private get ctx(): ControllerContext {
    return this.opts.context;
  }

  /** Starts a batch; the previous one must have been sent or cleared. */
  newBatch(): void {
    if (this.leaderAndIsrRequestMap.size > 0) {
      throw new ControllerIllegalStateError('Controller to broker state change requests batch is not empty while ' +
        'creating a new one. Some LeaderAndIsr state changes might be lost');
    }
    if (this.stopReplicaRequestMap.size > 0) {
      throw new ControllerIllegalStateError('Controller to broker state change requests batch is not empty while ' +
        'creating a new one. Some StopReplica state changes might be lost');
    }
    if (this.updateMetadataRequestBrokerSet.size > 0) {
      throw new ControllerIllegalStateError('Controller to broker state change requests batch is not empty while ' +
        `creating a new one. Some UpdateMetadata state changes to brokers ${scalaSet(this.updateMetadataRequestBrokerSet)} ` +
        'might be lost');
    }
  }

  clear(): void {
    this.leaderAndIsrRequestMap.clear();
    this.stopReplicaRequestMap.clear();
    this.updateMetadataRequestBrokerSet.clear();
    this.updateMetadataRequestPartitionInfoMap.clear();
  }

  get isEmpty(): boolean {
    return this.leaderAndIsrRequestMap.size === 0 && this.stopReplicaRequestMap.size === 0 &&
      this.updateMetadataRequestBrokerSet.size === 0;
  }

  /** LeaderAndIsr for `tp` to `brokerIds` (and UpdateMetadata for it to every live broker). */
  addLeaderAndIsrRequestForBrokers(
    brokerIds: Iterable<number>,
    tp: TopicPartition,
    state: { leaderIsrAndControllerEpoch: LeaderIsrAndControllerEpoch; replicaAssignment: ReplicaAssignment; isNew: boolean },
  ): void {
    const { leaderIsrAndControllerEpoch, replicaAssignment, isNew } = state;
    const key = partitionKey(tp);
    const l = leaderIsrAndControllerEpoch.leaderAndIsr;
    for (const brokerId of brokerIds) {
      if (brokerId < 0) continue;
      let perBroker = this.leaderAndIsrRequestMap.get(brokerId);
      if (perBroker === undefined) {
        perBroker = new Map();
        this.leaderAndIsrRequestMap.set(brokerId, perBroker);
      }
      const alreadyNew = perBroker.get(key)?.isNew ?? false;
      perBroker.set(key, {
        topicName: tp.topic,
        partitionIndex: tp.partition,
        controllerEpoch: leaderIsrAndControllerEpoch.controllerEpoch,
        leader: l.leader,
        leaderEpoch: l.leaderEpoch,
        isr: [...l.isr],
        partitionEpoch: l.partitionEpoch,
        replicas: [...replicaAssignment.replicas],
        addingReplicas: [...replicaAssignment.addingReplicas],
        removingReplicas: [...replicaAssignment.removingReplicas],
        isNew: isNew || alreadyNew,
        leaderRecoveryState: l.leaderRecoveryState,
      });
    }
    this.addUpdateMetadataRequestForBrokers(this.ctx.liveOrShuttingDownBrokerIds, [tp]);
  }

  /** StopReplica for `tp` to `brokerIds`; a partition asked once with delete stays deleted in this batch. */
  addStopReplicaRequestForBrokers(brokerIds: Iterable<number>, tp: TopicPartition, options: { deletePartition: boolean }): void {
    const { deletePartition } = options;
    // A sentinel (-2) is the epoch of partitions of a topic queued for deletion: it overrides any existing epoch.
    const leaderEpoch = this.ctx.isTopicQueuedUpForDeletion(tp.topic)
      ? LeaderAndIsrConstants.EpochDuringDelete
      : this.ctx.partitionLeadershipInfo(tp)?.leaderAndIsr.leaderEpoch ?? LeaderAndIsrConstants.NoEpoch;
    const key = partitionKey(tp);
    for (const brokerId of brokerIds) {
      if (brokerId < 0) continue;
      let perBroker = this.stopReplicaRequestMap.get(brokerId);
      if (perBroker === undefined) {
        perBroker = new Map();
        this.stopReplicaRequestMap.set(brokerId, perBroker);
      }
      const alreadyDelete = perBroker.get(key)?.deletePartition ?? false;
      perBroker.set(key, { tp: { topic: tp.topic, partition: tp.partition }, leaderEpoch, deletePartition: alreadyDelete || deletePartition });
    }
  }

  /** UpdateMetadata to `brokerIds` carrying `partitions` (partitions without a leader yet are skipped). */
  addUpdateMetadataRequestForBrokers(brokerIds: Iterable<number>, partitions: Iterable<TopicPartition> = []): void {
    for (const id of brokerIds) if (id >= 0) this.updateMetadataRequestBrokerSet.add(id);
    for (const tp of partitions) {
      const beingDeleted = this.ctx.isTopicQueuedUpForDeletion(tp.topic);
      const info = this.ctx.partitionLeadershipInfo(tp);
      if (info === undefined) {
        this.opts.logger.info(`Leader not yet assigned for partition ${partitionKey(tp)}. Skip sending UpdateMetadataRequest.`);
        continue;
      }
      const replicas = this.ctx.partitionReplicaAssignment(tp);
      const offlineReplicas = replicas.filter((r) => !this.ctx.isReplicaOnline(r, tp));
      const l = beingDeleted ? LeaderAndIsr.duringDelete(info.leaderAndIsr.isr) : info.leaderAndIsr;
      this.updateMetadataRequestPartitionInfoMap.set(partitionKey(tp), {
        topicName: tp.topic,
        partitionIndex: tp.partition,
        controllerEpoch: info.controllerEpoch,
        leader: l.leader,
        leaderEpoch: l.leaderEpoch,
        isr: [...l.isr],
        zkVersion: l.partitionEpoch,
        replicas,
        offlineReplicas,
      });
    }
  }

  /** Hands every collected request to the channel manager and empties the batch. */
  sendRequestsToBrokers(controllerEpoch: number): void {
    try {
      const log = this.opts.stateChangeLogger.withControllerEpoch(controllerEpoch);
      this.sendLeaderAndIsrRequests(controllerEpoch, log);
      this.sendUpdateMetadataRequests(controllerEpoch, log);
      this.sendStopReplicaRequests(controllerEpoch, log);
    } catch (e) {
      this.opts.logger.error('Haven\'t been able to send requests to brokers', e);
      this.clear();
      throw new ControllerIllegalStateError('Failed to send controller requests to brokers', { cause: e });
    }
  }

  // ---- LeaderAndIsr --------------------------------------------------------------------------------------

  private sendLeaderAndIsrRequests(controllerEpoch: number, log: ControllerLogger): void {
    const live = this.ctx.liveOrShuttingDownBrokerIds;
    for (const [brokerId, states] of this.leaderAndIsrRequestMap) {
      if (!live.has(brokerId)) continue;
      const partitions = [...states.values()];
      const leaderIds = new Set(partitions.map((p) => p.leader));
      const numBecomeLeaders = partitions.filter((p) => p.leader === brokerId).length;
      for (const p of partitions) {
        log.trace(`Sending ${p.leader === brokerId ? 'become-leader' : 'become-follower'} LeaderAndIsr request ` +
          `${describeLeaderAndIsrState(p)} to broker ${brokerId} for partition ${p.topicName}-${p.partitionIndex}`);
      }
      log.info(`Sending LeaderAndIsr request to broker ${brokerId} with ${numBecomeLeaders} become-leader and ` +
        `${partitions.length - numBecomeLeaders} become-follower partitions`);
      const liveLeaders = this.ctx.liveOrShuttingDownBrokers
        .filter((b) => leaderIds.has(b.id))
        .flatMap((b) => {
          const ep = b.endPoints.find((e) => e.listenerName === this.opts.interBrokerListenerName);
          return ep === undefined ? [] : [{ brokerId: b.id, hostName: ep.host, port: ep.port }];
        });
      const brokerEpoch = this.ctx.liveBrokerEpoch(brokerId);
      const topicIds = new Map<string, string>();
      for (const p of partitions) topicIds.set(p.topicName, this.ctx.topicIds.get(p.topicName) ?? ZERO_UUID);
      const controllerId = this.opts.controllerId;
      this.opts.sendRequest(brokerId, {
        apiKey: ApiKeys.LeaderAndIsr,
        minVersion: ControlRequestVersions.LeaderAndIsr.min,
        maxVersion: ControlRequestVersions.LeaderAndIsr.max,
        description: `LeaderAndIsr(controllerId=${controllerId}, controllerEpoch=${controllerEpoch}, ` +
          `brokerEpoch=${brokerEpoch}, partitions=${partitions.length})`,
        build: (version) => [buildLeaderAndIsrBody(version, {
          controllerId, controllerEpoch, brokerEpoch, partitions, topicIds, liveLeaders,
        })],
        onResponse: (response, version) => this.onLeaderAndIsrResponse(brokerId, response as LeaderAndIsrResponseBody, version),
      });
    }
    this.leaderAndIsrRequestMap.clear();
  }

  private onLeaderAndIsrResponse(brokerId: number, response: LeaderAndIsrResponseBody, version: number): void {
    const partitionErrors: PartitionErrorResult[] = [];
    if (version >= 5) {
      const names = new Map([...this.ctx.topicIds].map(([name, id]) => [id, name]));
      for (const t of response.topics) {
        const topic = names.get(t.topicId);
        if (topic === undefined) continue;
        for (const p of t.partitionErrors) partitionErrors.push({ tp: { topic, partition: p.partitionIndex }, errorCode: p.errorCode });
      }
    } else {
      for (const p of response.partitionErrors) {
        partitionErrors.push({ tp: { topic: p.topicName, partition: p.partitionIndex }, errorCode: p.errorCode });
      }
    }
    this.opts.sendEvent({ type: 'LeaderAndIsrResponseReceived', brokerId, errorCode: response.errorCode, partitionErrors });
  }

  // ---- UpdateMetadata ------------------------------------------------------------------------------------

  private sendUpdateMetadataRequests(controllerEpoch: number, log: ControllerLogger): void {
    if (this.updateMetadataRequestBrokerSet.size === 0) {
      this.updateMetadataRequestPartitionInfoMap.clear();
      return;
    }
    const partitionStates = [...this.updateMetadataRequestPartitionInfoMap.values()];
    log.info(`Sending UpdateMetadata request to brokers ${scalaSet(this.updateMetadataRequestBrokerSet)} ` +
      `for ${partitionStates.length} partitions`);
    const liveBrokers = this.ctx.liveOrShuttingDownBrokers.map((b) => ({
      id: b.id,
      endpoints: b.endPoints.map((e) => ({
        port: e.port,
        host: e.host,
        listener: e.listenerName,
        securityProtocol: SecurityProtocolId[e.securityProtocol] ?? 0,
      })),
      rack: b.rack,
    }));
    const topicIds = new Map<string, string>();
    for (const p of partitionStates) {
      const id = this.ctx.topicIds.get(p.topicName);
      if (id !== undefined) topicIds.set(p.topicName, id);
    }
    const live = this.ctx.liveOrShuttingDownBrokerIds;
    const controllerId = this.opts.controllerId;
    for (const brokerId of this.updateMetadataRequestBrokerSet) {
      if (!live.has(brokerId)) continue;
      const brokerEpoch = this.ctx.liveBrokerEpoch(brokerId);
      this.opts.sendRequest(brokerId, {
        apiKey: ApiKeys.UpdateMetadata,
        minVersion: ControlRequestVersions.UpdateMetadata.min,
        maxVersion: ControlRequestVersions.UpdateMetadata.max,
        description: `UpdateMetadata(controllerId=${controllerId}, controllerEpoch=${controllerEpoch}, ` +
          `brokerEpoch=${brokerEpoch}, partitions=${partitionStates.length}, liveBrokers=${liveBrokers.length})`,
        build: (version) => [buildUpdateMetadataBody(version, {
          controllerId, controllerEpoch, brokerEpoch, partitionStates, liveBrokers, topicIds,
        })],
        onResponse: (response) => this.opts.sendEvent({
          type: 'UpdateMetadataResponseReceived', brokerId, errorCode: (response as { errorCode: number }).errorCode,
        }),
      });
    }
    this.updateMetadataRequestBrokerSet.clear();
    this.updateMetadataRequestPartitionInfoMap.clear();
  }

  // ---- StopReplica ---------------------------------------------------------------------------------------

  private sendStopReplicaRequests(controllerEpoch: number, log: ControllerLogger): void {
    const live = this.ctx.liveOrShuttingDownBrokerIds;
    const controllerId = this.opts.controllerId;
    for (const [brokerId, states] of this.stopReplicaRequestMap) {
      if (!live.has(brokerId)) continue;
      const partitions = [...states.values()];
      for (const p of partitions) {
        log.trace(`Sending StopReplica request (partitionIndex=${p.tp.partition}, leaderEpoch=${p.leaderEpoch}, ` +
          `deletePartition=${p.deletePartition}) to broker ${brokerId} for partition ${partitionKey(p.tp)}`);
      }
      log.info(`Sending StopReplica request for ${partitions.length} replicas to broker ${brokerId}`);
      const brokerEpoch = this.ctx.liveBrokerEpoch(brokerId);
      const deleted = new Set(partitions.filter((p) => p.deletePartition).map((p) => partitionKey(p.tp)));
      this.opts.sendRequest(brokerId, {
        apiKey: ApiKeys.StopReplica,
        minVersion: ControlRequestVersions.StopReplica.min,
        maxVersion: ControlRequestVersions.StopReplica.max,
        description: `StopReplica(controllerId=${controllerId}, controllerEpoch=${controllerEpoch}, ` +
          `brokerEpoch=${brokerEpoch}, partitions=${partitions.length}, deletePartitions=${deleted.size})`,
        build: (version) => buildStopReplicaBodies(version, { controllerId, controllerEpoch, brokerEpoch, partitions }),
        onResponse: (response) => this.onStopReplicaResponse(brokerId, response as StopReplicaResponseBody, deleted),
      });
    }
    this.stopReplicaRequestMap.clear();
  }

  private onStopReplicaResponse(brokerId: number, response: StopReplicaResponseBody, deleted: ReadonlySet<string>): void {
    const partitionErrors: PartitionErrorResult[] = [];
    for (const pe of response.partitionErrors) {
      const tp = { topic: pe.topicName, partition: pe.partitionIndex };
      if (this.ctx.isTopicDeletionInProgress(pe.topicName) && deleted.has(partitionKey(tp))) {
        partitionErrors.push({ tp, errorCode: pe.errorCode });
      }
    }
    if (partitionErrors.length > 0) {
      this.opts.sendEvent({
        type: 'TopicDeletionStopReplicaResponseReceived', replicaId: brokerId, requestErrorCode: response.errorCode, partitionErrors,
      });
    }
  }
}

// ---- response shapes (the decoded bodies, only the fields the batch reads) --------------------------------

interface LeaderAndIsrResponseBody {
  errorCode: number;
  partitionErrors: Array<{ topicName: string; partitionIndex: number; errorCode: number }>;
  topics: Array<{ topicId: string; partitionErrors: Array<{ partitionIndex: number; errorCode: number }> }>;
}

interface StopReplicaResponseBody {
  errorCode: number;
  partitionErrors: Array<{ topicName: string; partitionIndex: number; errorCode: number }>;
}

// ---- body builders, one per API, for any supported version -----------------------------------------------

function describeLeaderAndIsrState(p: LeaderAndIsrPartitionInfo): string {
  return `LeaderAndIsrPartitionState(topicName='${p.topicName}', partitionIndex=${p.partitionIndex}, ` +
    `controllerEpoch=${p.controllerEpoch}, leader=${p.leader}, leaderEpoch=${p.leaderEpoch}, isr=[${p.isr.join(', ')}], ` +
    `partitionEpoch=${p.partitionEpoch}, replicas=[${p.replicas.join(', ')}], addingReplicas=[${p.addingReplicas.join(', ')}], ` +
    `removingReplicas=[${p.removingReplicas.join(', ')}], isNew=${p.isNew}, leaderRecoveryState=${p.leaderRecoveryState})`;
}

function groupByTopic<T extends { topicName: string }>(items: readonly T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const list = out.get(item.topicName);
    if (list === undefined) out.set(item.topicName, [item]);
    else list.push(item);
  }
  return out;
}

/** LeaderAndIsr body for `version` (v0-1 ungrouped, v2+ by topic, v5+ topic ids, v6+ recovery state). */
function buildLeaderAndIsrBody(version: number, args: {
  controllerId: number;
  controllerEpoch: number;
  brokerEpoch: number;
  partitions: readonly LeaderAndIsrPartitionInfo[];
  topicIds: ReadonlyMap<string, string>;
  liveLeaders: ReadonlyArray<{ brokerId: number; hostName: string; port: number }>;
}): Record<string, unknown> {
  const state = (p: LeaderAndIsrPartitionInfo) => ({
    topicName: p.topicName,
    partitionIndex: p.partitionIndex,
    controllerEpoch: p.controllerEpoch,
    leader: p.leader,
    leaderEpoch: p.leaderEpoch,
    isr: p.isr,
    partitionEpoch: p.partitionEpoch,
    replicas: p.replicas,
    addingReplicas: p.addingReplicas,
    removingReplicas: p.removingReplicas,
    isNew: p.isNew,
    ...(version >= 6 ? { leaderRecoveryState: p.leaderRecoveryState } : {}),
  });
  const body: Record<string, unknown> = {
    controllerId: args.controllerId,
    controllerEpoch: args.controllerEpoch,
    brokerEpoch: args.brokerEpoch,
    // Type 0 (UNKNOWN): a ZooKeeper-mode controller never sends FULL/INCREMENTAL (those are for KRaft migration).
    type: 0,
    liveLeaders: args.liveLeaders.map((l) => ({ ...l })),
  };
  if (version >= 2) {
    body.topicStates = [...groupByTopic(args.partitions)].map(([topicName, parts]) => ({
      topicName,
      topicId: args.topicIds.get(topicName) ?? ZERO_UUID,
      partitionStates: parts.map(state),
    }));
  } else {
    body.ungroupedPartitionStates = args.partitions.map(state);
  }
  return body;
}

/** UpdateMetadata body for `version` (v1-4 ungrouped, v5+ by topic, v7+ topic ids). */
function buildUpdateMetadataBody(version: number, args: {
  controllerId: number;
  controllerEpoch: number;
  brokerEpoch: number;
  partitionStates: readonly UpdateMetadataPartitionInfo[];
  liveBrokers: ReadonlyArray<{ id: number; endpoints: Array<{ port: number; host: string; listener: string; securityProtocol: number }>; rack: string | null }>;
  topicIds: ReadonlyMap<string, string>;
}): Record<string, unknown> {
  const state = (p: UpdateMetadataPartitionInfo) => ({ ...p });
  const body: Record<string, unknown> = {
    controllerId: args.controllerId,
    controllerEpoch: args.controllerEpoch,
    brokerEpoch: args.brokerEpoch,
    liveBrokers: args.liveBrokers.map((b) => ({
      id: b.id,
      endpoints: b.endpoints.map((e) => ({ ...e })),
      rack: b.rack,
    })),
  };
  if (version >= 5) {
    body.topicStates = [...groupByTopic(args.partitionStates)].map(([topicName, parts]) => ({
      topicName,
      topicId: args.topicIds.get(topicName) ?? ZERO_UUID,
      partitionStates: parts.map(state),
    }));
  } else {
    body.ungroupedPartitionStates = args.partitionStates.map(state);
  }
  return body;
}

/** StopReplica bodies for `version`: one request at v3+, else one per value of DeletePartitions. */
function buildStopReplicaBodies(version: number, args: {
  controllerId: number;
  controllerEpoch: number;
  brokerEpoch: number;
  partitions: readonly StopReplicaPartitionInfo[];
}): Array<Record<string, unknown>> {
  const header = { controllerId: args.controllerId, controllerEpoch: args.controllerEpoch, brokerEpoch: args.brokerEpoch };
  if (version >= 3) {
    const byTopic = new Map<string, StopReplicaPartitionInfo[]>();
    for (const p of args.partitions) {
      const list = byTopic.get(p.tp.topic);
      if (list === undefined) byTopic.set(p.tp.topic, [p]);
      else list.push(p);
    }
    return [{
      ...header,
      topicStates: [...byTopic].map(([topicName, parts]) => ({
        topicName,
        partitionStates: parts.map((p) => ({
          partitionIndex: p.tp.partition, leaderEpoch: p.leaderEpoch, deletePartition: p.deletePartition,
        })),
      })),
    }];
  }
  const bodies: Array<Record<string, unknown>> = [];
  for (const deletePartitions of [false, true]) {
    const parts = args.partitions.filter((p) => p.deletePartition === deletePartitions);
    if (parts.length === 0) continue;
    if (version >= 1) {
      const byTopic = new Map<string, number[]>();
      for (const p of parts) byTopic.set(p.tp.topic, [...(byTopic.get(p.tp.topic) ?? []), p.tp.partition]);
      bodies.push({
        ...header,
        deletePartitions,
        topics: [...byTopic].map(([name, partitionIndexes]) => ({ name, partitionIndexes })),
      });
    } else {
      bodies.push({
        ...header,
        deletePartitions,
        ungroupedPartitions: parts.map((p) => ({ topicName: p.tp.topic, partitionIndex: p.tp.partition })),
      });
    }
  }
  return bodies;
}
