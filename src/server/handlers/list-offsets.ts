/**
 * ListOffsets (key 2), versions 0-9 (flexible from v6): earliest (-2), latest (-1), max timestamp (-3,
 * KIP-734), earliest local (-4), latest tiered (-5), or the first offset at or after a timestamp through
 * the time index. Consumers (replica id -1) see offsets up to the high watermark only.
 * v0 answers in its old style: a list of offsets.
 */
import { ApiKeys } from '../../protocol';
import { defineHandler } from '../api-handler';
import type { BrokerServices } from '../broker-services';

export function listOffsetsHandler(broker: BrokerServices) {
  return defineHandler({
    apiKey: ApiKeys.ListOffsets,
    minVersion: 0,
    maxVersion: 9,
    async handle(request, ctx) {
      const version = ctx.header.apiVersion;
      const v0 = version === 0;
      const topics = await Promise.all(
        request.topics.map(async (t) => ({
          name: t.name,
          partitions: await Promise.all(
            t.partitions.map(async (p) => {
              const r = await broker.replicaManager.fetchOffsetForTimestamp({
                topic: t.name,
                partition: p.partitionIndex,
                timestamp: p.timestamp,
                currentLeaderEpoch: p.currentLeaderEpoch,
                replicaId: request.replicaId,
              });
              return {
                partitionIndex: p.partitionIndex,
                errorCode: r.errorCode,
                // v0 answers with a list of offsets; v1+ with one offset and its timestamp; v4+ adds the epoch.
                oldStyleOffsets: v0 && r.offset >= 0 ? [r.offset] : [],
                timestamp: v0 ? -1 : r.timestamp,
                offset: v0 ? -1 : r.offset,
                leaderEpoch: version >= 4 ? r.leaderEpoch : -1,
              };
            }),
          ),
        })),
      );
      return { throttleTimeMs: 0, topics };
    },
  });
}
