/**
 * CreatePartitions (key 37), versions 0-3 (v1 equals v0; flexible from v2; v3 only adds
 * THROTTLING_QUOTA_EXCEEDED, which ts-kafka never returns as it has no controller mutation quota).
 * Served by the active controller only (NOT_CONTROLLER elsewhere). A topic named twice is refused with
 * INVALID_REQUEST, a count over MAX_PARTITIONS_PER_TOPIC with INVALID_PARTITIONS, a name no topic
 * can have with UNKNOWN_TOPIC_OR_PARTITION; the others go to ZkAdminManager.createPartitions, which answers once the new partitions
 * have leaders in this broker's metadata cache or the request's timeout passed.
 */
import { ApiKeys, ErrorCode } from '../../protocol';
import { defineHandler } from '../api-handler';
import type { BrokerServices } from '../broker-services';
import { partitionCountOverLimit } from './partition-count-limit';
import { unknownInvalidTopic } from './topic-name-checks';

export function createPartitionsHandler(broker: BrokerServices) {
  return defineHandler({
    apiKey: ApiKeys.CreatePartitions,
    minVersion: 0,
    maxVersion: 3,
    async handle(request) {
      const names = [...new Set(request.topics.map((t) => t.name))];
      if (!broker.isActiveController()) {
        return {
          throttleTimeMs: 0,
          results: names.map((name) => ({ name, errorCode: ErrorCode.NOT_CONTROLLER, errorMessage: null })),
        };
      }
      const counts = new Map<string, number>();
      for (const t of request.topics) counts.set(t.name, (counts.get(t.name) ?? 0) + 1);
      const refused = (t: (typeof request.topics)[number]) => unknownInvalidTopic(t.name) ?? partitionCountOverLimit(t.count);
      const valid = request.topics.filter((t) => counts.get(t.name) === 1 && refused(t) === null);
      const outcomes = await broker.adminManager.createPartitions(
        valid.map((t) => ({
          name: t.name,
          count: t.count,
          assignments: t.assignments === null ? null : t.assignments.map((a) => [...a.brokerIds]),
        })),
        { validateOnly: request.validateOnly, timeoutMs: request.timeoutMs },
      );
      return {
        throttleTimeMs: 0,
        results: names.map((name) => {
          if ((counts.get(name) ?? 0) > 1) return { name, errorCode: ErrorCode.INVALID_REQUEST, errorMessage: 'Duplicate topic in request.' };
          const refusal = refused(request.topics.find((t) => t.name === name)!);
          if (refusal !== null) return { name, ...refusal };
          const outcome = outcomes.get(name)!;
          return { name, errorCode: outcome.errorCode, errorMessage: outcome.errorMessage };
        }),
      };
    },
  });
}
