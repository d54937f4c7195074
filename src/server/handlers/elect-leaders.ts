/**
 * ElectLeaders (key 43), versions 0-2 (v1 adds the election type, KIP-460, and the top-level error code; flexible
 * from v2). Elections run on this broker's controller, which answers NOT_CONTROLLER per partition unless it is
 * the active one. Null TopicPartitions means every partition in this broker's metadata cache; then partitions
 * that needed no election are left out of the answer. As Kafka's DelayedElectLeader, the response waits until
 * this broker's metadata shows each elected leader, or the request's timeout passed (REQUEST_TIMED_OUT).
 */
import { ApiKeys, ErrorCode } from '../../protocol';
import type { ElectionResultEntry } from '../../controller/controller-events';
import { ElectionType, type ElectionTypeValue } from '../../controller/election';
import type { MetadataCache } from '../../metadata/metadata-cache';
import { defineHandler } from '../api-handler';
import type { BrokerServices } from '../broker-services';

type PartitionResult = { partitionId: number; errorCode: number; errorMessage: string | null };

export function electLeadersHandler(broker: BrokerServices) {
  return defineHandler({
    apiKey: ApiKeys.ElectLeaders,
    minVersion: 0,
    maxVersion: 2,
    async handle(request) {
      const listed = request.topicPartitions === null
        ? null
        : request.topicPartitions.flatMap((t) => t.partitions.map((partition) => ({ topic: t.topic, partition })));
      const respond = (errorCode: number, results: ReadonlyArray<{ topic: string; result: PartitionResult }>) => {
        const byTopic = new Map<string, PartitionResult[]>();
        for (const { topic, result } of results) byTopic.set(topic, [...(byTopic.get(topic) ?? []), result]);
        return {
          throttleTimeMs: 0,
          errorCode,
          replicaElectionResults: [...byTopic].map(([topic, partitionResult]) => ({ topic, partitionResult })),
        };
      };
      if (request.electionType !== ElectionType.PREFERRED && request.electionType !== ElectionType.UNCLEAN) {
        // Kafka fails the whole request (ElectLeadersRequest.getErrorResponse) when the type is unknown.
        const message = `Unknown election type ${request.electionType}`;
        return respond(ErrorCode.UNKNOWN_SERVER_ERROR, (listed ?? []).map((tp) => ({
          topic: tp.topic, result: { partitionId: tp.partition, errorCode: ErrorCode.UNKNOWN_SERVER_ERROR, errorMessage: message },
        })));
      }
      const cache = broker.metadataCache;
      const partitions = listed ?? cache.allTopics().flatMap((topic) => cache.partitions(topic).map((p) => ({ topic, partition: p.partition })));
      const controller = broker.controller();
      const results: ElectionResultEntry[] = controller === undefined
        ? partitions.map((tp) => ({ tp, error: { code: ErrorCode.NOT_CONTROLLER, message: null } }))
        : await controller.electLeaders(partitions, request.electionType as ElectionTypeValue);
      const timedOut = await awaitLeaders(cache, { results, timeoutMs: request.timeoutMs });
      const answered = results
        .filter((r) => listed !== null || r.error?.code !== ErrorCode.ELECTION_NOT_NEEDED)
        .map((r) => {
          const key = `${r.tp.topic}-${r.tp.partition}`;
          const error = r.error ?? (timedOut.has(key) ? { code: ErrorCode.REQUEST_TIMED_OUT, message: null } : { code: ErrorCode.NONE, message: null });
          return { topic: r.tp.topic, result: { partitionId: r.tp.partition, errorCode: error.code, errorMessage: error.message } };
        });
      return respond(ErrorCode.NONE, answered);
    },
  });
}

/**
 * Waits until the metadata cache shows every elected leader; returns the keys of the partitions still waiting
 * when the timeout passed.
 */
function awaitLeaders(cache: MetadataCache, options: { results: readonly ElectionResultEntry[]; timeoutMs: number }): Promise<Set<string>> {
  const expected = options.results.filter((r) => r.error === undefined) as Array<{ tp: { topic: string; partition: number }; leader: number }>;
  const waiting = () => new Set(expected
    .filter((r) => cache.partitionState(r.tp.topic, r.tp.partition)?.leader !== r.leader)
    .map((r) => `${r.tp.topic}-${r.tp.partition}`));
  if (waiting().size === 0) return Promise.resolve(new Set());
  return new Promise((resolve) => {
    const finish = () => {
      clearTimeout(timer);
      stop();
      resolve(waiting());
    };
    const stop = cache.onUpdate(() => {
      if (waiting().size === 0) finish();
    });
    const timer = setTimeout(finish, Math.max(0, options.timeoutMs));
  });
}
