/**
 * OffsetCommit (key 8), versions 0-9: v0 stores offsets in ZooKeeper (`/consumers/<group>/offsets/...`,
 * the pre-0.9 consumers' store), v1+ in `__consumer_offsets` through the group coordinator: v1 member id,
 * generation and a per-partition commit timestamp, v2-4 a retention time, v6 leader epochs, v7 group
 * instance ids, v8 flexible.
 *
 * Partitions of topics (or partitions) the metadata cache does not know get UNKNOWN_TOPIC_OR_PARTITION
 * and are not committed; the rest get the coordinator's answer.
 */
import { ApiKeys, ErrorCode } from '../../protocol';
import { KafkaError } from '../../common/kafka-error';
import { topicPartitionKey } from '../../coordinator/group/offset-and-metadata';
import type { OffsetCommitEntry } from '../../coordinator/group/group-metadata-manager';
import { defineHandler } from '../api-handler';
import type { GroupServices } from './group-handlers';

export function offsetCommitHandler(services: GroupServices) {
  return defineHandler({
    apiKey: ApiKeys.OffsetCommit,
    minVersion: 0,
    maxVersion: 9,
    async handle(request, ctx) {
      const version = ctx.header.apiVersion;
      const cache = services.metadataCache;
      const errors = new Map<string, number>();
      type Partition = (typeof request.topics)[number]['partitions'][number];
      const valid: { topic: string; p: Partition }[] = [];
      for (const t of request.topics) {
        for (const p of t.partitions) {
          if (cache.partitionState(t.name, p.partitionIndex) === undefined) {
            errors.set(topicPartitionKey(t.name, p.partitionIndex), ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
          } else {
            valid.push({ topic: t.name, p });
          }
        }
      }
      if (version === 0) {
        for (const { topic, p } of valid) {
          errors.set(topicPartitionKey(topic, p.partitionIndex), await commitToZooKeeper(services, request.groupId, topic, p));
        }
      } else if (valid.length > 0) {
        const coordinator = services.groupCoordinator;
        const offsets: OffsetCommitEntry[] = valid.map(({ topic, p }) => ({
          topic,
          partition: p.partitionIndex,
          offset: coordinator.offsetAndMetadata({
            committedOffset: p.committedOffset,
            leaderEpoch: p.committedLeaderEpoch,
            metadata: p.committedMetadata,
            commitTimestamp: p.commitTimestamp,
            retentionTimeMs: request.retentionTimeMs,
          }),
        }));
        const committed = await coordinator.handleCommitOffsets({
          groupId: request.groupId,
          memberId: request.memberId,
          groupInstanceId: request.groupInstanceId,
          generationId: request.generationIdOrMemberEpoch,
          offsets,
        });
        for (const [key, error] of committed) errors.set(key, error);
      }
      return {
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

async function commitToZooKeeper(
  services: GroupServices,
  groupId: string,
  topic: string,
  p: { partitionIndex: number; committedOffset: number; committedMetadata: string | null },
): Promise<number> {
  if (p.committedMetadata !== null && p.committedMetadata.length > services.config.offsetMetadataMaxBytes) {
    return ErrorCode.OFFSET_METADATA_TOO_LARGE;
  }
  try {
    await services.zkConsumerOffsets.setOrCreateConsumerOffset(groupId, { topic, partition: p.partitionIndex }, p.committedOffset);
    return ErrorCode.NONE;
  } catch (err) {
    return err instanceof KafkaError ? err.code : ErrorCode.UNKNOWN_SERVER_ERROR;
  }
}
