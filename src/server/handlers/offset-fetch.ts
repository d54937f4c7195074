/**
 * OffsetFetch (key 9), versions 0-9: v0 reads ZooKeeper (`/consumers/<group>/offsets/...`); v1+ asks
 * the group coordinator: v2 null topics for every committed partition and a top-level error, v5 leader
 * epochs, v6 flexible, v7 require_stable (UNSTABLE_OFFSET_COMMIT while a commit is in flight), v8
 * several groups per request (errors per group).
 *
 * A partition without a committed offset answers offset -1 and empty metadata. Before v2 a group error
 * is repeated in every requested partition.
 */
import { ApiKeys, ErrorCode } from '../../protocol';
import { KafkaError } from '../../common/kafka-error';
import type { FetchedOffset } from '../../coordinator/group/group-metadata-manager';
import type { TopicPartition } from '../../coordinator/group/offset-and-metadata';
import { defineHandler } from '../api-handler';
import type { GroupServices } from './group-handlers';

type RequestTopics = { name: string; partitionIndexes: number[] }[] | null;

const partitionsOf = (topics: RequestTopics): TopicPartition[] | null =>
  topics === null ? null : topics.flatMap((t) => t.partitionIndexes.map((partition) => ({ topic: t.name, partition })));

/** Groups fetched offsets by topic, in first-seen order. */
function byTopic(offsets: readonly FetchedOffset[], version: number) {
  const topics = new Map<string, FetchedOffset[]>();
  for (const o of offsets) {
    let list = topics.get(o.topic);
    if (!list) topics.set(o.topic, (list = []));
    list.push(o);
  }
  return [...topics].map(([name, partitions]) => ({
    name,
    partitions: partitions.map((o) => ({
      partitionIndex: o.partition,
      committedOffset: o.committedOffset,
      committedLeaderEpoch: version >= 5 ? o.leaderEpoch : -1,
      metadata: o.metadata,
      errorCode: o.error,
    })),
  }));
}

export function offsetFetchHandler(services: GroupServices) {
  const fetchFromZooKeeper = async (groupId: string, partitions: TopicPartition[]): Promise<FetchedOffset[]> =>
    Promise.all(
      partitions.map(async (tp): Promise<FetchedOffset> => {
        const unknown = { ...tp, committedOffset: -1, leaderEpoch: -1, metadata: '', error: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION };
        if (services.metadataCache.partitionState(tp.topic, tp.partition) === undefined) return unknown;
        try {
          const offset = await services.zkConsumerOffsets.getConsumerOffset(groupId, tp);
          return offset === null ? unknown : { ...tp, committedOffset: offset, leaderEpoch: -1, metadata: '', error: ErrorCode.NONE };
        } catch (err) {
          return { ...unknown, error: err instanceof KafkaError ? err.code : ErrorCode.UNKNOWN_SERVER_ERROR };
        }
      }),
    );

  return defineHandler({
    apiKey: ApiKeys.OffsetFetch,
    minVersion: 0,
    maxVersion: 9,
    async handle(request, ctx) {
      const version = ctx.header.apiVersion;
      const coordinator = services.groupCoordinator;
      if (version >= 8) {
        return {
          throttleTimeMs: 0,
          groups: request.groups.map((g) => {
            const result = coordinator.handleFetchOffsets(g.groupId, { requireStable: request.requireStable, partitions: partitionsOf(g.topics) });
            return { groupId: g.groupId, topics: byTopic(result.offsets, version), errorCode: result.error };
          }),
        };
      }
      const requested = partitionsOf(request.topics);
      if (version === 0) {
        return { throttleTimeMs: 0, topics: byTopic(await fetchFromZooKeeper(request.groupId, requested ?? []), version) };
      }
      const result = coordinator.handleFetchOffsets(request.groupId, { requireStable: request.requireStable, partitions: requested });
      if (result.error !== ErrorCode.NONE) {
        if (version >= 2) return { throttleTimeMs: 0, errorCode: result.error, topics: [] };
        const failed = (requested ?? []).map((tp) => ({ ...tp, committedOffset: -1, leaderEpoch: -1, metadata: '', error: result.error }));
        return { throttleTimeMs: 0, topics: byTopic(failed, version) };
      }
      return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, topics: byTopic(result.offsets, version) };
    },
  });
}
