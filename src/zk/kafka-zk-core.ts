/**
 * The core of Kafka's KafkaZkClient (core/src/main/scala/kafka/zk/KafkaZkClient.scala, 3.9): bootstrap paths
 * and cluster id, broker id generation, broker registration (multi create-ephemeral + setData@0; the broker
 * epoch is the czxid), the controller election (create /controller and bump /controller_epoch in one multi),
 * and the controller's fenced writes to topic and partition-state nodes. A layer of KafkaZkClient (see
 * kafka-zk-client.ts).
 */
import { randomClusterId, randomTopicId } from './base64-uuid';
import { KafkaZkConfigs } from './kafka-zk-configs';
import { isCode } from './zk-client-base';
import {
  BrokerEndpointInUseError,
  BrokerIdInUseError,
  ControllerMovedError,
  ZkError,
  ZkMultiError,
} from './zk-errors';
import { CreateMode, ZkVersion, type ZkSession, type ZkStat } from './zk-session';
import type {
  Broker,
  BrokerAndEpoch,
  BrokerInfo,
  LeaderAndIsr,
  LeaderIsrAndControllerEpoch,
  ReplicaAssignment,
  TopicIdReplicaAssignment,
  TopicPartition,
} from './zk-types';
import {
  BrokerIdZNode,
  BrokerIdsZNode,
  BrokerSequenceIdZNode,
  ClusterIdZNode,
  ConfigEntityZNode,
  ConfigType,
  ControllerEpochZNode,
  ControllerZNode,
  DeleteTopicsTopicZNode,
  DeleteTopicsZNode,
  InitialControllerEpoch,
  InitialControllerEpochZkVersion,
  PersistentZkPaths,
  TopicPartitionStateZNode,
  TopicPartitionZNode,
  TopicPartitionsZNode,
  TopicZNode,
  TopicsZNode,
  type BrokerEncodeOptions,
  type ControllerRegistration,
} from './znodes';

/** The outcome of a controller election won by this broker. */
export interface ControllerEpochAndZkVersion {
  /** The new controller epoch. */
  readonly epoch: number;
  /** The dataVersion of /controller_epoch after the bump: the fencing token of every controller write. */
  readonly epochZkVersion: number;
}

/** Per-partition outcome of {@link KafkaZkClient.updateLeaderAndIsr}. */
export type UpdateLeaderAndIsrOutcome =
  | { readonly partition: TopicPartition; readonly outcome: 'updated'; readonly leaderAndIsr: LeaderAndIsr }
  /** BADVERSION: someone else changed the state; re-read it and retry. */
  | { readonly partition: TopicPartition; readonly outcome: 'retry' }
  | { readonly partition: TopicPartition; readonly outcome: 'failed'; readonly error: Error };

/** Per-partition result of creating a partition state node. */
export interface CreatePartitionStateResult {
  readonly partition: TopicPartition;
  /** OK, or why the state node could not be created (e.g. NODEEXISTS). */
  readonly code: ZkError['code'];
}

/** Bootstrap, brokers, controller election, partition states and topics (a layer of KafkaZkClient). */
export class KafkaZkCore extends KafkaZkConfigs {
  /** Session id under which this broker last registered (Kafka's KAFKA-7165 bookkeeping). */
  private registeredSessionId: bigint | null = null;

  // --- bootstrap ---------------------------------------------------------------------------------------------

  /** Creates the persistent top-level paths of a cluster, in the reference order (no-ops when present). */
  async createTopLevelPaths(): Promise<void> {
    for (const path of PersistentZkPaths) await this.makeSurePersistentPathExists(path);
  }

  /** The cluster id, or null before the first broker wrote it. */
  async getClusterId(): Promise<string | null> {
    const node = await this.getDataAndStat(ClusterIdZNode.path());
    return node === null ? null : ClusterIdZNode.decode(node.data);
  }

  /** Creates /cluster/id with `proposedClusterId` unless it exists; returns the cluster's id. */
  async createOrGetClusterId(proposedClusterId: string): Promise<string> {
    try {
      await this.createRecursive(ClusterIdZNode.path(), ClusterIdZNode.encode(proposedClusterId));
      return proposedClusterId;
    } catch (e) {
      if (!isCode(e, 'NODEEXISTS')) throw e;
      const id = await this.getClusterId();
      if (id === null) {
        throw new ZkError('NONODE', 'Failed to get cluster id from Zookeeper. This can happen if /cluster/id is deleted from Zookeeper.', {
          path: ClusterIdZNode.path(),
        });
      }
      return id;
    }
  }

  /** Returns the cluster id, creating a random one (22-char URL-safe base64 UUID) if there is none. */
  async getOrCreateClusterId(): Promise<string> {
    return (await this.getClusterId()) ?? this.createOrGetClusterId(randomClusterId());
  }

  /** Bumps /brokers/seqid and returns its new dataVersion (1, 2, ...). */
  async generateBrokerSequenceId(): Promise<number> {
    try {
      return (await this.session.setData(BrokerSequenceIdZNode.path(), Buffer.alloc(0), ZkVersion.MatchAny)).version;
    } catch (e) {
      if (!isCode(e, 'NONODE')) throw e;
      await this.makeSurePersistentPathExists(BrokerSequenceIdZNode.path());
      return this.generateBrokerSequenceId();
    }
  }

  /** A generated broker id: sequence + `reserved.broker.max.id` (so the first is 1001 by default). */
  async generateBrokerId(reservedBrokerMaxId = 1000): Promise<number> {
    return (await this.generateBrokerSequenceId()) + reservedBrokerMaxId;
  }

  // --- brokers -----------------------------------------------------------------------------------------------

  /**
   * Registers the broker (ephemeral /brokers/ids/<id>, dataVersion 1) and returns its epoch (the czxid).
   * @throws BrokerEndpointInUseError if another registered broker advertises one of our host:port pairs.
   * @throws BrokerIdInUseError if another live session holds the id.
   */
  async registerBroker(info: BrokerInfo, options: BrokerEncodeOptions = {}): Promise<number> {
    const ours = info.endpoints.map((e) => `${e.host}:${e.port}`);
    for (const other of await this.getAllBrokersInCluster()) {
      if (other.id === info.id) continue;
      const common = other.endpoints.map((e) => `${e.host}:${e.port}`).filter((hp) => ours.includes(hp));
      if (common.length > 0) {
        throw new BrokerEndpointInUseError(
          other.id,
          `Configured end points ${common.join(',')} in advertised listeners are already registered by broker ${other.id}`,
        );
      }
    }
    const path = BrokerIdZNode.path(info.id);
    const stat = await this.checkedEphemeralCreate(info.id, BrokerIdZNode.encode(info, { ...options, timestamp: options.timestamp ?? this.time.milliseconds() }));
    this.logger.info(`Registered broker ${info.id} at path ${path}, czxid (broker epoch): ${stat.czxid}`);
    return stat.czxid;
  }

  /** Rewrites our registration in place (dynamic listener changes). */
  async updateBrokerInfo(info: BrokerInfo, options: BrokerEncodeOptions = {}): Promise<void> {
    await this.session.setData(
      BrokerIdZNode.path(info.id),
      BrokerIdZNode.encode(info, { ...options, timestamp: options.timestamp ?? this.time.milliseconds() }),
      ZkVersion.MatchAny,
    );
  }

  /** A registered broker, or null. */
  async getBroker(brokerId: number): Promise<Broker | null> {
    return (await this.getBrokerAndEpoch(brokerId))?.broker ?? null;
  }

  /** A registered broker with its epoch (czxid), or null. */
  async getBrokerAndEpoch(brokerId: number, options: { watch?: boolean } = {}): Promise<BrokerAndEpoch | null> {
    const node = await this.getDataAndStat(BrokerIdZNode.path(brokerId), options);
    return node === null ? null : { broker: BrokerIdZNode.decode(node.data, brokerId), epoch: node.stat.czxid };
  }

  /** Ids of the registered brokers, ascending (arms the child watch on /brokers/ids). */
  async getSortedBrokerIdList(): Promise<number[]> {
    return (await this.getChildren(BrokerIdsZNode.path())).map(Number).sort((a, b) => a - b);
  }

  /** All registered brokers, by id. */
  async getAllBrokersInCluster(): Promise<Broker[]> {
    return (await this.getAllBrokerAndEpochsInCluster()).map((b) => b.broker);
  }

  /** All registered brokers with their epochs (czxid), by id. Brokers that vanish meanwhile are skipped. */
  async getAllBrokerAndEpochsInCluster(): Promise<BrokerAndEpoch[]> {
    const ids = await this.getSortedBrokerIdList();
    const brokers = await Promise.all(ids.map((id) => this.getBrokerAndEpoch(id)));
    return brokers.filter((b): b is BrokerAndEpoch => b !== null);
  }

  /**
   * Kafka's CheckedEphemeral: multi [create ephemeral (no data), setData@0]; on NODEEXISTS, a node of our
   * current session is accepted, one of our previous session is deleted and re-created, any other is refused.
   */
  private async checkedEphemeralCreate(brokerId: number, data: Buffer): Promise<ZkStat> {
    const path = BrokerIdZNode.path(brokerId);
    for (;;) {
      try {
        const results = await this.session.multi([
          { type: 'create', path, data: null, mode: CreateMode.EPHEMERAL },
          { type: 'setData', path, data, version: 0 },
        ]);
        this.registeredSessionId = this.session.sessionId;
        return (results[1] as { type: 'setData'; stat: ZkStat }).stat;
      } catch (e) {
        if (!(e instanceof ZkMultiError) || e.code !== 'NODEEXISTS') throw e;
      }
      const existing = await this.getDataAndStat(path);
      if (existing === null) continue; // went away while we looked: create again
      const owner = existing.stat.ephemeralOwner;
      const current = this.session.sessionId;
      if (owner === current) {
        this.registeredSessionId = current;
        return existing.stat;
      }
      if (owner === this.registeredSessionId) {
        this.logger.info(
          `${path} still belongs to our previous session 0x${owner.toString(16)}; deleting and re-creating it with session 0x${current.toString(16)}`,
        );
        try {
          await this.session.delete(path);
        } catch (e) {
          if (!isCode(e, 'NONODE')) throw e;
        }
        continue;
      }
      throw new BrokerIdInUseError(
        brokerId,
        `Error while creating ephemeral at ${path}, node already exists and owner '0x${owner.toString(16)}' does not ` +
          `match current session '0x${current.toString(16)}': broker.id ${brokerId} is in use by another broker`,
      );
    }
  }

  // --- controller --------------------------------------------------------------------------------------------

  /**
   * Tries to become controller: bumps /controller_epoch (created as "0" if missing) and creates the ephemeral
   * /controller in one multi. If the multi fails with NODEEXISTS/BADVERSION, /controller is re-read: if it names
   * us with the new epoch, an earlier attempt whose reply was lost won.
   * @throws ControllerMovedError when another broker won.
   */
  async registerControllerAndIncrementControllerEpoch(controllerId: number): Promise<ControllerEpochAndZkVersion> {
    const timestamp = this.time.milliseconds();
    const current = (await this.getControllerEpoch()) ?? (await this.maybeCreateControllerEpochZNode());
    const newControllerEpoch = current.epoch + 1;
    try {
      const results = await this.session.multi([
        { type: 'create', path: ControllerZNode.path(), data: ControllerZNode.encode(controllerId, { timestamp }), mode: CreateMode.EPHEMERAL },
        { type: 'setData', path: ControllerEpochZNode.path(), data: ControllerEpochZNode.encode(newControllerEpoch), version: current.zkVersion },
      ]);
      const stat = (results[1] as { type: 'setData'; stat: ZkStat }).stat;
      return { epoch: newControllerEpoch, epochZkVersion: stat.version };
    } catch (e) {
      if (!(e instanceof ZkMultiError) || (e.code !== 'NODEEXISTS' && e.code !== 'BADVERSION')) throw e;
    }
    const winner = await this.getControllerId();
    if (winner === null) {
      throw new ControllerMovedError(
        'The ephemeral node at /controller went away while checking whether the controller election succeeds. Aborting controller startup procedure',
      );
    }
    if (winner === controllerId) {
      const epoch = await this.getControllerEpoch();
      if (epoch === null) throw ZkError.of('NONODE', ControllerEpochZNode.path());
      if (epoch.epoch === newControllerEpoch) return { epoch: newControllerEpoch, epochZkVersion: epoch.zkVersion };
    }
    throw new ControllerMovedError(`Controller moved to broker ${winner}. Aborting controller startup procedure`);
  }

  private async maybeCreateControllerEpochZNode(): Promise<{ epoch: number; zkVersion: number }> {
    try {
      await this.session.create(ControllerEpochZNode.path(), ControllerEpochZNode.encode(InitialControllerEpoch));
      this.logger.info(`Successfully created ${ControllerEpochZNode.path()} with initial epoch ${InitialControllerEpoch}`);
      return { epoch: InitialControllerEpoch, zkVersion: InitialControllerEpochZkVersion };
    } catch (e) {
      if (!isCode(e, 'NODEEXISTS')) throw e;
      const epoch = await this.getControllerEpoch();
      if (epoch === null) throw ZkError.of('NONODE', ControllerEpochZNode.path(), e);
      return epoch;
    }
  }

  /**
   * The active controller's broker id, or null. With `watch`, arms a data watch (or an existence watch when
   * there is no controller) for a handler registered on /controller.
   */
  async getControllerId(options: { watch?: boolean } = {}): Promise<number | null> {
    return (await this.getControllerRegistration(options))?.registration.brokerId ?? null;
  }

  /** The decoded /controller and its dataVersion, or null. */
  async getControllerRegistration(
    options: { watch?: boolean } = {},
  ): Promise<{ registration: ControllerRegistration; zkVersion: number } | null> {
    for (;;) {
      const node = await this.getDataAndStat(ControllerZNode.path(), options);
      if (node !== null) return { registration: ControllerZNode.decode(node.data), zkVersion: node.stat.version };
      if (!options.watch) return null;
      // No controller: watch for its creation. If it appeared in between, read it (and arm the data watch).
      if ((await this.session.exists(ControllerZNode.path(), { watch: true })) === null) return null;
    }
  }

  /** The controller epoch and the dataVersion of /controller_epoch, or null before the first election. */
  async getControllerEpoch(): Promise<{ epoch: number; zkVersion: number } | null> {
    const node = await this.getDataAndStat(ControllerEpochZNode.path());
    return node === null ? null : { epoch: ControllerEpochZNode.decode(node.data), zkVersion: node.stat.version };
  }

  /** Deletes /controller (resignation), fenced. */
  async deleteController(expectedControllerEpochZkVersion: number): Promise<void> {
    await this.deletePath(ControllerZNode.path(), { expectedControllerEpochZkVersion, recursive: false });
  }

  /**
   * Registers a change handler for `path` and arms an existence/data watch (Kafka's
   * registerZNodeChangeHandlerAndCheckExistence). Returns whether the node exists.
   */
  async registerZNodeChangeHandlerAndCheckExistence(
    path: string,
    handler: Parameters<ZkSession['registerZNodeChangeHandler']>[1],
  ): Promise<boolean> {
    this.session.registerZNodeChangeHandler(path, handler);
    return (await this.session.exists(path, { watch: true })) !== null;
  }

  // --- partition states (controller, fenced) -----------------------------------------------------------------

  /**
   * Creates `/partitions`, `/partitions/<p>` and `/partitions/<p>/state` for new partitions, each write fenced.
   * Existing parents are fine; the per-partition result is the state node's create result.
   * @throws ControllerMovedError
   */
  async createTopicPartitionStatesRaw(
    states: ReadonlyArray<{ partition: TopicPartition; state: LeaderIsrAndControllerEpoch }>,
    expectedControllerEpochZkVersion: number,
  ): Promise<CreatePartitionStateResult[]> {
    const topics = [...new Set(states.map((s) => s.partition.topic))];
    const create = (path: string, data: Buffer | null) => ({ type: 'create', path, data, mode: CreateMode.PERSISTENT }) as const;
    await this.fencedOps(topics.map((t) => create(TopicPartitionsZNode.path(t), null)), expectedControllerEpochZkVersion);
    await this.fencedOps(states.map((s) => create(TopicPartitionZNode.path(s.partition), null)), expectedControllerEpochZkVersion);
    const results = await this.fencedOps(
      states.map((s) => create(TopicPartitionStateZNode.path(s.partition), TopicPartitionStateZNode.encode(s.state))),
      expectedControllerEpochZkVersion,
    );
    return results.map((r, i) => ({ partition: states[i].partition, code: r instanceof ZkError ? r.code : 'OK' }));
  }

  /**
   * Writes new partition states conditionally on each one's partition epoch (the zkVersion last read), fenced.
   * BADVERSION means someone else changed the state: the partition is reported for retry.
   * @throws ControllerMovedError
   */
  async updateLeaderAndIsr(
    updates: ReadonlyArray<{ partition: TopicPartition; leaderAndIsr: LeaderAndIsr }>,
    controllerEpoch: number,
    expectedControllerEpochZkVersion: number,
  ): Promise<UpdateLeaderAndIsrOutcome[]> {
    let results: Array<unknown>;
    try {
      results = await this.fencedOps(
        updates.map((u) => ({
          type: 'setData',
          path: TopicPartitionStateZNode.path(u.partition),
          data: TopicPartitionStateZNode.encode({ leaderAndIsr: u.leaderAndIsr, controllerEpoch }),
          version: u.leaderAndIsr.partitionEpoch,
        })),
        expectedControllerEpochZkVersion,
      );
    } catch (e) {
      if (e instanceof ControllerMovedError) throw e;
      return updates.map((u) => ({ partition: u.partition, outcome: 'failed', error: e as Error }));
    }
    return updates.map((u, i): UpdateLeaderAndIsrOutcome => {
      const r = results[i];
      if (r instanceof ZkError) {
        return r.code === 'BADVERSION' ? { partition: u.partition, outcome: 'retry' } : { partition: u.partition, outcome: 'failed', error: r };
      }
      const stat = (r as { stat: ZkStat }).stat;
      return { partition: u.partition, outcome: 'updated', leaderAndIsr: { ...u.leaderAndIsr, partitionEpoch: stat.version } };
    });
  }

  /** States of the partitions that have one (partition epoch = the node's dataVersion). */
  async getTopicPartitionStates(
    partitions: readonly TopicPartition[],
  ): Promise<Array<{ partition: TopicPartition; state: LeaderIsrAndControllerEpoch }>> {
    const nodes = await Promise.all(partitions.map((p) => this.getDataAndStat(TopicPartitionStateZNode.path(p))));
    const states: Array<{ partition: TopicPartition; state: LeaderIsrAndControllerEpoch }> = [];
    nodes.forEach((node, i) => {
      if (node === null) return;
      const partition = partitions[i];
      states.push({ partition, state: TopicPartitionStateZNode.decode(node.data, { partition, zkVersion: node.stat.version }) });
    });
    return states;
  }

  /** One partition's state, or null. */
  async getTopicPartitionState(partition: TopicPartition): Promise<LeaderIsrAndControllerEpoch | null> {
    return (await this.getTopicPartitionStates([partition]))[0]?.state ?? null;
  }

  // --- topics ------------------------------------------------------------------------------------------------

  /** All topics (with `watch`, arms the child watch on /brokers/topics). */
  async getAllTopicsInCluster(watch = false): Promise<string[]> {
    return this.getChildren(TopicsZNode.path(), { watch });
  }

  async topicExists(topic: string): Promise<boolean> {
    return this.pathExists(TopicZNode.path(topic));
  }

  /**
   * Topic ids and assignments (a missing topic comes back with no id and no partitions). With `watch`, arms a
   * data watch on each topic node (the controller's partition-modification handlers).
   */
  async getReplicaAssignmentAndTopicIdForTopics(
    topics: readonly string[],
    options: { watch?: boolean } = {},
  ): Promise<TopicIdReplicaAssignment[]> {
    const nodes = await Promise.all(topics.map((t) => this.getDataAndStat(TopicZNode.path(t), options)));
    return nodes.map((node, i) =>
      node === null ? { topic: topics[i], topicId: null, assignment: new Map() } : TopicZNode.decode(node.data, topics[i]),
    );
  }

  /** A topic's partition → assignment, or null if the topic does not exist. */
  async getPartitionAssignmentForTopic(topic: string): Promise<ReadonlyMap<number, ReplicaAssignment> | null> {
    const node = await this.getDataAndStat(TopicZNode.path(topic));
    return node === null ? null : TopicZNode.decode(node.data, topic).assignment;
  }

  /** Number of partitions of a topic, or null if it does not exist. */
  async getTopicPartitionCount(topic: string): Promise<number | null> {
    return (await this.getPartitionAssignmentForTopic(topic))?.size ?? null;
  }

  /** Every partition that has a `/partitions/<p>` node. */
  async getAllPartitions(): Promise<TopicPartition[]> {
    const partitions: TopicPartition[] = [];
    for (const topic of await this.getChildren(TopicsZNode.path(), { watch: false })) {
      for (const p of await this.getChildren(TopicPartitionsZNode.path(topic), { watch: false })) {
        partitions.push({ topic, partition: Number(p) });
      }
    }
    return partitions;
  }

  /** Creates /brokers/topics/<topic> (v3). Throws NODEEXISTS if the topic exists. */
  async createTopicAssignment(
    topic: string,
    topicId: string | null,
    assignment: ReadonlyMap<number, readonly number[]>,
  ): Promise<void> {
    await this.createRecursive(TopicZNode.path(topic), TopicZNode.encode(topicId, assignment));
  }

  /** Rewrites a topic's assignment (any version), fenced when an epoch zkVersion is given. */
  async setTopicAssignment(
    topic: string,
    topicId: string | null,
    assignment: ReadonlyMap<number, ReplicaAssignment | readonly number[]>,
    expectedControllerEpochZkVersion: number = ZkVersion.MatchAny,
  ): Promise<void> {
    await this.fencedOp(
      { type: 'setData', path: TopicZNode.path(topic), data: TopicZNode.encode(topicId, assignment), version: ZkVersion.MatchAny },
      expectedControllerEpochZkVersion,
    );
  }

  /** Gives topics without an id a new random one (the controller does this on failover), fenced. */
  async setTopicIds(
    assignments: readonly TopicIdReplicaAssignment[],
    expectedControllerEpochZkVersion: number,
  ): Promise<TopicIdReplicaAssignment[]> {
    const updated = assignments.map((a) => {
      if (a.topicId !== null) throw new RangeError(`TopicIdReplicaAssignment for ${a.topic} already contains a topic ID.`);
      return { ...a, topicId: randomTopicId() };
    });
    const results = await this.fencedOps(
      updated.map((a) => ({ type: 'setData', path: TopicZNode.path(a.topic), data: TopicZNode.encode(a.topicId, a.assignment), version: ZkVersion.MatchAny })),
      expectedControllerEpochZkVersion,
    );
    const failure = results.find((r): r is ZkError => r instanceof ZkError);
    if (failure !== undefined) throw failure;
    return updated;
  }

  /** Deletes /brokers/topics/<topic> and everything below it, fenced. */
  async deleteTopicZNode(topic: string, expectedControllerEpochZkVersion: number): Promise<void> {
    await this.deleteRecursive(TopicZNode.path(topic), expectedControllerEpochZkVersion);
  }

  /** Deletes /config/topics/<topic> of each topic, fenced. */
  async deleteTopicConfigs(topics: readonly string[], expectedControllerEpochZkVersion: number): Promise<void> {
    await this.deletePathsFenced(topics.map((t) => ConfigEntityZNode.path(ConfigType.TOPIC, t)), expectedControllerEpochZkVersion);
  }

  /** Marks a topic for deletion (/admin/delete_topics/<topic>). Throws NODEEXISTS if already marked. */
  async createDeleteTopicPath(topic: string): Promise<void> {
    await this.createRecursive(DeleteTopicsTopicZNode.path(topic));
  }

  async isTopicMarkedForDeletion(topic: string): Promise<boolean> {
    return this.pathExists(DeleteTopicsTopicZNode.path(topic));
  }

  /** Topics marked for deletion (arms the child watch on /admin/delete_topics). */
  async getTopicDeletions(): Promise<string[]> {
    return this.getChildren(DeleteTopicsZNode.path());
  }

  /** Removes deletion markers, fenced. */
  async deleteTopicDeletions(topics: readonly string[], expectedControllerEpochZkVersion: number): Promise<void> {
    await this.deletePathsFenced(topics.map((t) => DeleteTopicsTopicZNode.path(t)), expectedControllerEpochZkVersion);
  }
}
