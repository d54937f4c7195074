/**
 * DeleteRecords (key 21), versions 0-2 (v1 equals v0; flexible from v2): moves the log start offset of
 * the partitions this broker leads and answers each partition's low watermark once every live replica
 * moved its own (see replica/delete-records.ts). Clients send each partition to its leader.
 */
import { ApiKeys } from '../../protocol';
import { defineHandler } from '../api-handler';
import type { BrokerServices } from '../broker-services';

export function deleteRecordsHandler(broker: BrokerServices) {
  return defineHandler({
    apiKey: ApiKeys.DeleteRecords,
    minVersion: 0,
    maxVersion: 2,
    async handle(request) {
      const requests = request.topics.flatMap((t) =>
        t.partitions.map((p) => ({ topic: t.name, partition: p.partitionIndex, offset: p.offset })),
      );
      const results = await broker.replicaManager.deleteRecords(requests, { timeoutMs: request.timeoutMs });
      let i = 0;
      return {
        throttleTimeMs: 0,
        topics: request.topics.map((t) => ({
          name: t.name,
          partitions: t.partitions.map((p) => {
            const r = results[i++]!;
            return { partitionIndex: p.partitionIndex, lowWatermark: r.lowWatermark, errorCode: r.errorCode };
          }),
        })),
      };
    },
  });
}
