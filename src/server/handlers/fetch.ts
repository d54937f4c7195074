/**
 * Fetch (key 1), versions 4-17 (flexible from v12, topic ids from v13, ReplicaState from v15).
 *
 * Versions 0-3 return legacy message sets (magic 0/1); this broker stores RecordBatch v2 only and does not
 * down-convert, so it serves v4 and up (every current client). Record data leaves as the slices the log
 * read from disk. Incremental fetch sessions (KIP-227) are not created: every response carries session id
 * 0, which tells clients to keep sending full fetch requests; a request naming a session gets
 * FETCH_SESSION_ID_NOT_FOUND. A replica fetch naming a broker that is not a follower of a partition this
 * broker leads is NOT_LEADER_OR_FOLLOWER for that partition, as Kafka's followerReplicaOrThrow.
 */
import { ApiKeys, ErrorCode } from '../../protocol';
import { defineHandler } from '../api-handler';
import type { BrokerServices } from '../broker-services';
import { ZERO_UUID } from '../../metadata/metadata-cache';
import type { FetchPartitionRequest } from '../../replica/replica-manager';

const NO_RECORDS = Buffer.alloc(0);

export function fetchHandler(broker: BrokerServices) {
  return defineHandler({
    apiKey: ApiKeys.Fetch,
    minVersion: 4,
    maxVersion: 17,
    async handle(request, ctx) {
      const version = ctx.header.apiVersion;
      if (request.sessionId !== 0 || request.sessionEpoch > 0) {
        return { throttleTimeMs: 0, errorCode: ErrorCode.FETCH_SESSION_ID_NOT_FOUND, sessionId: 0, responses: [] };
      }
      const useTopicIds = version >= 13;
      const replicaId = version >= 15 ? request.replicaState.replicaId : request.replicaId;
      const cache = broker.metadataCache;
      type PartOut = {
        partitionIndex: number;
        errorCode: number;
        highWatermark: number;
        lastStableOffset: number;
        logStartOffset: number;
        abortedTransactions: null | [];
        preferredReadReplica: number;
        records: Buffer | Buffer[];
      };
      const responses: { topic: string; topicId: string; partitions: PartOut[] }[] = [];
      const wanted: FetchPartitionRequest[] = [];
      const outs: PartOut[] = [];
      for (const t of request.topics) {
        const name = useTopicIds ? cache.topicName(t.topicId) : t.topic;
        const topicOut = { topic: name ?? '', topicId: useTopicIds ? t.topicId : cache.topicId(t.topic), partitions: [] as PartOut[] };
        responses.push(topicOut);
        for (const p of t.partitions) {
          const out: PartOut = {
            partitionIndex: p.partition,
            errorCode: ErrorCode.NONE,
            highWatermark: -1,
            lastStableOffset: -1,
            logStartOffset: -1,
            abortedTransactions: null,
            preferredReadReplica: -1,
            records: NO_RECORDS,
          };
          topicOut.partitions.push(out);
          if (name === undefined || (useTopicIds && t.topicId === ZERO_UUID)) {
            out.errorCode = ErrorCode.UNKNOWN_TOPIC_ID;
            continue;
          }
          // Kafka's followerReplicaOrThrow: a replica fetch from a broker that is not one of the partition's
          // followers (this broker included) must not move follower state; without it any client could
          // claim a replica id.
          if (replicaId >= 0 && !isFollowerOf(broker.replicaManager.getPartition(name, p.partition), replicaId, broker.brokerId)) {
            out.errorCode = ErrorCode.NOT_LEADER_OR_FOLLOWER;
            continue;
          }
          wanted.push({
            topic: name,
            partition: p.partition,
            fetchOffset: p.fetchOffset,
            partitionMaxBytes: p.partitionMaxBytes,
            currentLeaderEpoch: p.currentLeaderEpoch,
            logStartOffset: p.logStartOffset,
          });
          outs.push(out);
        }
      }
      const results = await broker.replicaManager.fetchMessages({
        replicaId,
        maxWaitMs: request.maxWaitMs,
        minBytes: request.minBytes,
        maxBytes: Math.min(request.maxBytes, broker.config.fetchMaxBytes),
        isolationLevel: request.isolationLevel,
        partitions: wanted,
      });
      for (let i = 0; i < results.length; i++) {
        const r = results[i]!;
        const out = outs[i]!;
        out.errorCode = r.errorCode;
        out.highWatermark = r.highWatermark;
        out.lastStableOffset = r.lastStableOffset;
        out.logStartOffset = r.logStartOffset;
        out.abortedTransactions = request.isolationLevel === 1 ? [] : null;
        // An empty slice, never null: librdkafka rejects a null record set ("invalid MessageSetSize -1").
        out.records = r.records.length > 0 ? r.records : NO_RECORDS;
      }
      return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, sessionId: 0, responses };
    },
  });
}

/**
 * Whether `replicaId` may fetch `partition` as a follower: a partition this broker does not lead is left to
 * the replica manager's own answer (NOT_LEADER_OR_FOLLOWER / UNKNOWN_TOPIC_OR_PARTITION); one it leads
 * must list the replica in its assignment.
 */
function isFollowerOf(partition: { isLeader: boolean; assignment: readonly number[] } | undefined, replicaId: number, brokerId: number): boolean {
  if (partition === undefined || !partition.isLeader) return true;
  return replicaId !== brokerId && partition.assignment.includes(replicaId);
}
