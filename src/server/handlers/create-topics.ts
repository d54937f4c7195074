/**
 * CreateTopics (key 19), versions 0-7 (validateOnly from v1, flexible from v5 with the resulting
 * configuration in the response, topic ids from v7). Served by the active controller only
 * (NOT_CONTROLLER elsewhere); the topic is written to ZooKeeper and the response waits until every
 * partition has a leader in this broker's metadata cache, or the request's timeout passes. A partition
 * count over MAX_PARTITIONS_PER_TOPIC is refused with INVALID_PARTITIONS before any assignment is computed.
 */
import { ApiKeys, ErrorCode } from '../../protocol';
import { defineHandler } from '../api-handler';
import type { BrokerServices } from '../broker-services';
import { partitionCountOverLimit } from './partition-count-limit';

export function createTopicsHandler(broker: BrokerServices) {
  return defineHandler({
    apiKey: ApiKeys.CreateTopics,
    minVersion: 0,
    maxVersion: 7,
    async handle(request, ctx) {
      const version = ctx.header.apiVersion;
      if (!broker.isActiveController()) {
        return {
          throttleTimeMs: 0,
          topics: request.topics.map((t) => ({
            name: t.name,
            errorCode: ErrorCode.NOT_CONTROLLER,
            errorMessage: 'This is not the correct controller for this cluster.',
          })),
        };
      }
      const seen = new Map<string, number>();
      for (const t of request.topics) seen.set(t.name, (seen.get(t.name) ?? 0) + 1);
      const tooMany = (t: (typeof request.topics)[number]) => partitionCountOverLimit(Math.max(t.numPartitions, t.assignments.length));
      const unique = request.topics.filter((t) => seen.get(t.name) === 1 && tooMany(t) === null);
      const results = await broker.adminManager.createTopics(
        unique.map((t) => ({
          name: t.name,
          numPartitions: t.numPartitions,
          replicationFactor: t.replicationFactor,
          assignments: t.assignments.map((a) => ({ partitionIndex: a.partitionIndex, brokerIds: a.brokerIds })),
          configs: t.configs.map((c) => ({ name: c.name, value: c.value })),
        })),
        { validateOnly: request.validateOnly, timeoutMs: request.timeoutMs, includeConfigs: version >= 5 },
      );
      const byName = new Map(results.map((r) => [r.name, r]));
      const answered = new Set<string>();
      const topics = [];
      for (const t of request.topics) {
        if (answered.has(t.name)) continue;
        answered.add(t.name);
        if ((seen.get(t.name) ?? 0) > 1) {
          topics.push({
            name: t.name,
            errorCode: ErrorCode.INVALID_REQUEST,
            errorMessage: 'Create topics request from client contains duplicate topics',
          });
          continue;
        }
        const overLimit = tooMany(t);
        if (overLimit !== null) {
          topics.push({ name: t.name, ...overLimit });
          continue;
        }
        const r = byName.get(t.name)!;
        topics.push({
          name: r.name,
          topicId: r.topicId,
          errorCode: r.errorCode,
          errorMessage: r.errorMessage,
          numPartitions: r.numPartitions,
          replicationFactor: r.replicationFactor,
          configs: r.configs,
        });
      }
      return { throttleTimeMs: 0, topics };
    },
  });
}
