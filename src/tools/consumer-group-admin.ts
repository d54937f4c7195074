/**
 * The admin calls of kafka-consumer-groups (Kafka 3.9's ConsumerGroupCommand), on the project's
 * KafkaClient: FindCoordinator, ListGroups (every broker), DescribeGroups, OffsetFetch, ListOffsets,
 * OffsetCommit (generation -1, as Kafka's admin client commits), DeleteGroups and OffsetDelete; and the
 * Java exception text the tool prints for an error code.
 */
import { KafkaClient } from '../client/kafka-client';
import { KafkaResponseError } from '../client/client-errors';
import { decodeAssignment } from '../coordinator/group/consumer-protocol';
import { ApiKeys, ErrorCode, errorInfo, type ApiKey, type RequestInputOf, type ResponseOf } from '../protocol';
import { errorCodeExceptionClass } from './tool-support';

/** A failed admin operation, reported like the Java exception Kafka's tool would print. */
export class GroupCommandError extends Error {
  override readonly name = 'GroupCommandError';
}

/** A topic partition. */
export interface TP {
  topic: string;
  partition: number;
}
/** `topic-partition`, the key partitions are mapped by. */
export const tpKey = (tp: TP) => `${tp.topic}-${tp.partition}`;
/** Orders by topic name, then partition. */
export const byTopicPartition = (a: TP, b: TP) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition);

/** A consumer group as --describe prints it. */
export interface GroupDescription {
  groupId: string;
  state: string;
  assignor: string;
  coordinator: { id: number; host: string; port: number };
  members: { consumerId: string; groupInstanceId: string; clientId: string; host: string; assignment: TP[] }[];
}

/** The admin-client calls the tool needs, on the project's KafkaClient. */
export class GroupAdmin {
  constructor(
    readonly client: KafkaClient,
    private readonly timeoutMs: number,
  ) {}

  private async send<K extends ApiKey>(
    nodeId: number | null,
    api: { key: K; min: number; max: number },
    body: (version: number) => RequestInputOf<K>,
  ): Promise<ResponseOf<K>> {
    const conn = nodeId === null ? await this.client.anyConnection() : await this.client.connectionTo(nodeId);
    const version = conn.pickVersion(api.key, api.min, api.max);
    return conn.request(api.key, version, body(version), { timeoutMs: this.timeoutMs });
  }

  /** FindCoordinator, retried while the coordinator is not (yet) available. */
  async coordinator(groupId: string): Promise<{ id: number; host: string; port: number }> {
    return this.client.retry(
      async () => {
        const r = await this.send(null, { key: ApiKeys.FindCoordinator, min: 0, max: 4 }, (v) =>
          v >= 4 ? { keyType: 0, coordinatorKeys: [groupId] } : { key: groupId, keyType: 0 },
        );
        const c = r.coordinators.length > 0 ? r.coordinators[0]! : { errorCode: r.errorCode, nodeId: r.nodeId, host: r.host, port: r.port };
        if (c.errorCode !== ErrorCode.NONE) throw new KafkaResponseError(c.errorCode, { context: `FindCoordinator ${groupId}` });
        await this.client.fetchMetadata([]);
        return { id: c.nodeId, host: c.host, port: c.port };
      },
      { timeoutMs: this.timeoutMs, operation: 'findCoordinator' },
    );
  }

  /** ListGroups on every broker: consumer groups (protocol type `consumer`, or empty for offsets-only groups). */
  async listGroups(filter: { states: string[]; types: string[] }): Promise<{ groupId: string; state: string; type: string }[]> {
    const cluster = await this.client.fetchMetadata([]);
    const out: { groupId: string; state: string; type: string }[] = [];
    for (const broker of [...cluster.brokers.keys()].sort((a, b) => a - b)) {
      const r = await this.send(broker, { key: ApiKeys.ListGroups, min: 0, max: 5 }, (v) => ({
        ...(v >= 4 ? { statesFilter: filter.states } : {}),
        ...(v >= 5 ? { typesFilter: filter.types } : {}),
      }));
      if (r.errorCode !== ErrorCode.NONE) throw new KafkaResponseError(r.errorCode, { context: `ListGroups on broker ${broker}` });
      for (const g of r.groups) {
        if (g.protocolType !== 'consumer' && g.protocolType !== '') continue;
        out.push({ groupId: g.groupId, state: g.groupState || 'Unknown', type: g.groupType ? g.groupType.charAt(0).toUpperCase() + g.groupType.slice(1) : 'Unknown' });
      }
    }
    return out;
  }

  async describe(groupId: string): Promise<GroupDescription> {
    const coordinator = await this.coordinator(groupId);
    const r = await this.send(coordinator.id, { key: ApiKeys.DescribeGroups, min: 0, max: 5 }, () => ({ groups: [groupId] }));
    const g = r.groups[0]!;
    if (g.errorCode !== ErrorCode.NONE) throw new KafkaResponseError(g.errorCode, { context: `DescribeGroups ${groupId}` });
    if (g.protocolType !== 'consumer' && g.protocolType !== '') throw new GroupCommandError(`Consumer Group ${groupId} with protocol type '${g.protocolType}' is not a valid consumer group`);
    return {
      groupId,
      state: g.groupState,
      assignor: g.protocolData,
      coordinator,
      members: g.members.map((m) => ({
        consumerId: m.memberId,
        groupInstanceId: m.groupInstanceId ?? '',
        clientId: m.clientId,
        host: m.clientHost,
        assignment: (decodeAssignment(m.memberAssignment)?.assignedPartitions ?? []).flatMap((a) => a.partitions.map((partition) => ({ topic: a.topic, partition }))),
      })),
    };
  }

  /** The group's committed offsets (partitions without one are left out). */
  async committedOffsets(groupId: string): Promise<Map<string, TP & { offset: number }>> {
    const coordinator = await this.coordinator(groupId);
    const r = await this.send(coordinator.id, { key: ApiKeys.OffsetFetch, min: 2, max: 7 }, () => ({ groupId, topics: null }));
    if (r.errorCode !== ErrorCode.NONE) throw new KafkaResponseError(r.errorCode, { context: `OffsetFetch ${groupId}` });
    const out = new Map<string, TP & { offset: number }>();
    for (const t of r.topics) {
      for (const p of t.partitions) {
        if (p.errorCode !== ErrorCode.NONE) throw new KafkaResponseError(p.errorCode, { context: `OffsetFetch ${t.name}-${p.partitionIndex}` });
        if (p.committedOffset >= 0) out.set(tpKey({ topic: t.name, partition: p.partitionIndex }), { topic: t.name, partition: p.partitionIndex, offset: p.committedOffset });
      }
    }
    return out;
  }

  /** ListOffsets (-1 latest, -2 earliest, or a timestamp) from each partition's leader; undefined when unknown. */
  async listOffsets(partitions: readonly TP[], timestamp: number): Promise<Map<string, number | undefined>> {
    const out = new Map<string, number | undefined>();
    const byLeader = new Map<number, TP[]>();
    for (const tp of partitions) {
      let leader = -1;
      try {
        leader = await this.client.leaderFor(tp.topic, tp.partition, { refresh: false });
      } catch {
        leader = -1;
      }
      if (leader < 0) out.set(tpKey(tp), undefined);
      else byLeader.set(leader, [...(byLeader.get(leader) ?? []), tp]);
    }
    for (const [leader, tps] of byLeader) {
      const topics = [...new Set(tps.map((tp) => tp.topic))].map((name) => ({
        name,
        partitions: tps.filter((tp) => tp.topic === name).map((tp) => ({ partitionIndex: tp.partition, timestamp, currentLeaderEpoch: -1 })),
      }));
      const r = await this.send(leader, { key: ApiKeys.ListOffsets, min: 1, max: 7 }, () => ({ replicaId: -1, isolationLevel: 0, topics }));
      for (const t of r.topics) {
        for (const p of t.partitions) out.set(tpKey({ topic: t.name, partition: p.partitionIndex }), p.errorCode === ErrorCode.NONE ? p.offset : undefined);
      }
    }
    return out;
  }

  /** Commits offsets from outside group management (generation -1), as AdminClient.alterConsumerGroupOffsets. */
  async commit(groupId: string, offsets: readonly (TP & { offset: number })[]): Promise<void> {
    const coordinator = await this.coordinator(groupId);
    const topics = [...new Set(offsets.map((o) => o.topic))].map((name) => ({
      name,
      partitions: offsets.filter((o) => o.topic === name).map((o) => ({ partitionIndex: o.partition, committedOffset: o.offset, committedMetadata: '' })),
    }));
    const r = await this.send(coordinator.id, { key: ApiKeys.OffsetCommit, min: 2, max: 8 }, () => ({ groupId, generationIdOrMemberEpoch: -1, memberId: '', topics }));
    for (const t of r.topics) {
      for (const p of t.partitions) {
        if (p.errorCode !== ErrorCode.NONE) throw new KafkaResponseError(p.errorCode, { context: `OffsetCommit ${t.name}-${p.partitionIndex}` });
      }
    }
  }

  async deleteGroup(groupId: string): Promise<number> {
    const coordinator = await this.coordinator(groupId);
    const r = await this.send(coordinator.id, { key: ApiKeys.DeleteGroups, min: 0, max: 2 }, () => ({ groupsNames: [groupId] }));
    return r.results[0]?.errorCode ?? ErrorCode.UNKNOWN_SERVER_ERROR;
  }

  async deleteOffsets(groupId: string, partitions: readonly TP[]): Promise<{ error: number; partitions: Map<string, number> }> {
    const coordinator = await this.coordinator(groupId);
    const topics = [...new Set(partitions.map((p) => p.topic))].map((name) => ({
      name,
      partitions: partitions.filter((p) => p.topic === name).map((p) => ({ partitionIndex: p.partition })),
    }));
    const r = await this.send(coordinator.id, { key: ApiKeys.OffsetDelete, min: 0, max: 0 }, () => ({ groupId, topics }));
    const out = new Map<string, number>();
    for (const t of r.topics) for (const p of t.partitions) out.set(tpKey({ topic: t.name, partition: p.partitionIndex }), p.errorCode);
    return { error: r.errorCode, partitions: out };
  }

  /** The partitions of topics, from Metadata. */
  async partitionsOf(topic: string): Promise<TP[]> {
    const meta = await this.client.topicMetadata(topic, { refresh: true });
    return meta.partitions.map((p) => ({ topic, partition: p.partition }));
  }
}

/** How Java prints the exception of an error code (`ExecutionException.getMessage()`: class and message). */
export function javaError(code: number): string {
  const cls = code === ErrorCode.NON_EMPTY_GROUP ? 'org.apache.kafka.common.errors.GroupNotEmptyException' : errorCodeExceptionClass(code);
  return `${cls}: ${errorInfo(code).message}`;
}

