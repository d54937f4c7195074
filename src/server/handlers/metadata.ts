/**
 * Metadata (key 3), versions 0-12 (topic ids from v10, nullable topic names from v12, flexible from v9).
 *
 * Answers from the metadata cache: the live brokers' endpoints on the listener the request came in on,
 * the controller id, and per partition leader/leader epoch/replicas/ISR/offline replicas. A request naming
 * unknown topics auto-creates them when auto.create.topics.enable is on and the request allows it (v4+;
 * always for v0-3), answering LEADER_NOT_AVAILABLE until the controller elected leaders.
 */
import { ApiKeys, ErrorCode } from '../../protocol';
import { defineHandler } from '../api-handler';
import {
  ALL_CLUSTER_OPERATIONS,
  ALL_TOPIC_OPERATIONS,
  AUTHORIZED_OPERATIONS_OMITTED,
  INTERNAL_TOPICS,
  type BrokerServices,
} from '../broker-services';
import { ZERO_UUID } from '../../metadata/metadata-cache';
import { validateTopicName } from '../topic-names';

export function metadataHandler(broker: BrokerServices) {
  return defineHandler({
    apiKey: ApiKeys.Metadata,
    minVersion: 0,
    maxVersion: 12,
    async handle(request, ctx) {
      const version = ctx.header.apiVersion;
      const cache = broker.metadataCache;
      const listener = ctx.listenerName;
      const allTopics = request.topics === null || (version === 0 && request.topics.length === 0);
      // No authorizer: every supported operation is allowed, reported only when asked for (v8+).
      const topicOperations = request.includeTopicAuthorizedOperations ? ALL_TOPIC_OPERATIONS : AUTHORIZED_OPERATIONS_OMITTED;

      type TopicOut = {
        errorCode: number;
        name: string | null;
        topicId: string;
        isInternal: boolean;
        partitions: {
          errorCode: number;
          partitionIndex: number;
          leaderId: number;
          leaderEpoch: number;
          replicaNodes: number[];
          isrNodes: number[];
          offlineReplicas: number[];
        }[];
        topicAuthorizedOperations: number;
      };
      const topics: TopicOut[] = [];
      const describe = (name: string): TopicOut => ({
        errorCode: ErrorCode.NONE,
        name,
        topicId: cache.topicId(name),
        isInternal: INTERNAL_TOPICS.has(name),
        partitions: cache.partitions(name).map((p) => {
          const leaderAlive = p.leader >= 0 && cache.endPoint(p.leader, listener) !== undefined;
          return {
            errorCode: leaderAlive ? ErrorCode.NONE : ErrorCode.LEADER_NOT_AVAILABLE,
            partitionIndex: p.partition,
            leaderId: leaderAlive ? p.leader : -1,
            leaderEpoch: p.leaderEpoch,
            replicaNodes: p.replicas,
            isrNodes: p.isr,
            offlineReplicas: p.offlineReplicas,
          };
        }),
        topicAuthorizedOperations: topicOperations,
      });
      const unavailable = (name: string | null, topicId: string, errorCode: number): TopicOut => ({
        errorCode,
        name,
        topicId,
        isInternal: name !== null && INTERNAL_TOPICS.has(name),
        partitions: [],
        topicAuthorizedOperations: AUTHORIZED_OPERATIONS_OMITTED,
      });

      if (allTopics) {
        for (const name of cache.allTopics().sort()) topics.push(describe(name));
      } else {
        const allowAutoCreate = version < 4 || request.allowAutoTopicCreation;
        const toCreate: string[] = [];
        for (const t of request.topics ?? []) {
          let name = t.name;
          // As in Kafka, a topic is looked up by id when it has no name or names a real id; an empty name
          // with the zero id is just an invalid topic name (INVALID_TOPIC_EXCEPTION below).
          if (name === null || (name === '' && t.topicId !== ZERO_UUID)) {
            if (t.topicId === ZERO_UUID) {
              topics.push(unavailable(null, ZERO_UUID, ErrorCode.INVALID_REQUEST));
              continue;
            }
            const found = cache.topicName(t.topicId);
            if (found === undefined) {
              topics.push(unavailable(null, t.topicId, ErrorCode.UNKNOWN_TOPIC_ID));
              continue;
            }
            name = found;
          }
          if (cache.contains(name)) {
            topics.push(describe(name));
            continue;
          }
          if (validateTopicName(name) !== null) {
            topics.push(unavailable(name, ZERO_UUID, ErrorCode.INVALID_TOPIC_EXCEPTION));
          } else if (allowAutoCreate && broker.config.autoCreateTopicsEnable) {
            toCreate.push(name);
            topics.push(unavailable(name, ZERO_UUID, ErrorCode.LEADER_NOT_AVAILABLE));
          } else {
            topics.push(unavailable(name, ZERO_UUID, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION));
          }
        }
        if (toCreate.length > 0) {
          const results = await broker.autoTopicCreation.createTopics(toCreate);
          for (const out of topics) {
            const code = out.name !== null ? results.get(out.name) : undefined;
            // Creation errors other than "already exists" are reported; a created topic stays
            // LEADER_NOT_AVAILABLE until the controller's UpdateMetadata arrives.
            if (code !== undefined && code !== ErrorCode.NONE && code !== ErrorCode.TOPIC_ALREADY_EXISTS) {
              out.errorCode = code;
            }
          }
        }
      }

      const brokers = cache
        .aliveBrokers()
        .map((b) => {
          const ep = b.endpoints.find((e) => e.listener === listener);
          return ep ? { nodeId: b.id, host: ep.host, port: ep.port, rack: b.rack } : undefined;
        })
        .filter((b): b is NonNullable<typeof b> => b !== undefined);

      return {
        throttleTimeMs: 0,
        brokers,
        clusterId: broker.clusterId,
        controllerId: cache.controllerId,
        topics,
        clusterAuthorizedOperations: request.includeClusterAuthorizedOperations ? ALL_CLUSTER_OPERATIONS : AUTHORIZED_OPERATIONS_OMITTED,
      };
    },
  });
}
