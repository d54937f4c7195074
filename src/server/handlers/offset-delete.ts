/**
 * OffsetDelete (key 47), version 0 (KIP-496): deletes committed offsets of a group — any partition of
 * an Empty group; of a consumer group with members only partitions of topics it does not subscribe to
 * (GROUP_SUBSCRIBED_TO_TOPIC). Unknown partitions get UNKNOWN_TOPIC_OR_PARTITION; a group error is
 * answered alone, without partitions.
 */
import { ApiKeys, ErrorCode } from '../../protocol';
import { topicPartitionKey, type TopicPartition } from '../../coordinator/group/offset-and-metadata';
import { defineHandler } from '../api-handler';
import type { GroupServices } from './group-handlers';

export function offsetDeleteHandler(services: GroupServices) {
  return defineHandler({
    apiKey: ApiKeys.OffsetDelete,
    minVersion: 0,
    maxVersion: 0,
    async handle(request) {
      const errors = new Map<string, number>();
      const known: TopicPartition[] = [];
      for (const t of request.topics) {
        for (const p of t.partitions) {
          if (services.metadataCache.partitionState(t.name, p.partitionIndex) === undefined) {
            errors.set(topicPartitionKey(t.name, p.partitionIndex), ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
          } else {
            known.push({ topic: t.name, partition: p.partitionIndex });
          }
        }
      }
      const result = await services.groupCoordinator.handleDeleteOffsets(request.groupId, known);
      if (result.error !== ErrorCode.NONE) return { errorCode: result.error, throttleTimeMs: 0, topics: [] };
      for (const [key, error] of result.partitions) errors.set(key, error);
      return {
        errorCode: ErrorCode.NONE,
        throttleTimeMs: 0,
        topics: request.topics.map((t) => ({
          name: t.name,
          partitions: t.partitions.map((p) => ({
            partitionIndex: p.partitionIndex,
            errorCode: errors.get(topicPartitionKey(t.name, p.partitionIndex)) ?? ErrorCode.UNKNOWN_SERVER_ERROR,
          })),
        })),
      };
    },
  });
}
