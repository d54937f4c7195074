/**
 * OffsetForLeaderEpoch (key 23), versions 0-4 (leader epoch in the response from v1, current leader epoch
 * fencing from v2, replica id from v3, flexible from v4; KIP-101/279). Followers ask the leader where the
 * leader epoch they last saw ends, and truncate to it before fetching.
 */
import { ApiKeys } from '../../protocol';
import { defineHandler } from '../api-handler';
import type { BrokerServices } from '../broker-services';

export function offsetForLeaderEpochHandler(broker: BrokerServices) {
  return defineHandler({
    apiKey: ApiKeys.OffsetForLeaderEpoch,
    minVersion: 0,
    maxVersion: 4,
    async handle(request, ctx) {
      const version = ctx.header.apiVersion;
      const topics = await Promise.all(
        request.topics.map(async (t) => ({
          topic: t.topic,
          partitions: await Promise.all(
            t.partitions.map(async (p) => {
              const r = await broker.replicaManager.lastOffsetForLeaderEpoch({
                topic: t.topic,
                partition: p.partition,
                currentLeaderEpoch: p.currentLeaderEpoch,
                leaderEpoch: p.leaderEpoch,
                replicaId: request.replicaId,
              });
              return {
                errorCode: r.errorCode,
                partition: p.partition,
                leaderEpoch: version >= 1 ? r.leaderEpoch : -1,
                endOffset: r.endOffset,
              };
            }),
          ),
        })),
      );
      return { throttleTimeMs: 0, topics };
    },
  });
}
