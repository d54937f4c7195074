/**
 * FindCoordinator (key 10), versions 0-6 (key type from v1, flexible from v3, batched keys from v4).
 *
 * A group's coordinator is the leader of its `__consumer_offsets` partition (Java String.hashCode of the
 * group id, modulo the topic's partition count), as this broker's metadata cache knows it. When the
 * topic does not exist yet it is created (offsets.topic.num.partitions × offsets.topic.replication.factor,
 * refused while fewer brokers are alive) and the answer is COORDINATOR_NOT_AVAILABLE until its leaders
 * are elected; clients retry. Transaction coordinators are not served (no transactions): such keys get
 * TRANSACTIONAL_ID_AUTHORIZATION_FAILED, as Produce answers transactional writes.
 */
import { ApiKeys, ErrorCode, errorInfo } from '../../protocol';
import { GROUP_METADATA_TOPIC_NAME } from '../../coordinator/group/offsets-topic';
import { defineHandler } from '../api-handler';
import type { GroupServices } from './group-handlers';

/** CoordinatorType: GROUP 0, TRANSACTION 1 (SHARE 2 is KRaft only). */
const CoordinatorType = { GROUP: 0, TRANSACTION: 1 } as const;

interface Found {
  error: number;
  message: string | null;
  nodeId: number;
  host: string;
  port: number;
}

const noNode = (error: number, message: string | null = null): Found => ({ error, message, nodeId: -1, host: '', port: -1 });

export function findCoordinatorHandler(services: GroupServices) {
  const find = async (keyType: number, key: string, listener: string): Promise<Found> => {
    if (keyType === CoordinatorType.TRANSACTION) {
      return noNode(ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED, 'Transactions are not supported by this broker');
    }
    if (keyType !== CoordinatorType.GROUP) return noNode(ErrorCode.INVALID_REQUEST, `Unknown coordinator type ${keyType}`);
    const cache = services.metadataCache;
    if (!cache.contains(GROUP_METADATA_TOPIC_NAME)) {
      await services.offsetsTopicCreator.create();
      return noNode(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    }
    const state = cache.partitionState(GROUP_METADATA_TOPIC_NAME, services.groupCoordinator.partitionFor(key));
    const endpoint = state && state.leader >= 0 ? cache.endPoint(state.leader, listener) : undefined;
    if (!state || !endpoint) return noNode(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    return { error: ErrorCode.NONE, message: null, nodeId: state.leader, host: endpoint.host, port: endpoint.port };
  };

  return defineHandler({
    apiKey: ApiKeys.FindCoordinator,
    minVersion: 0,
    maxVersion: 6,
    async handle(request, ctx) {
      const version = ctx.header.apiVersion;
      if (version < 4) {
        const r = await find(request.keyType, request.key, ctx.listenerName);
        return {
          throttleTimeMs: 0,
          errorCode: r.error,
          // Kafka's Errors.message(): the exception text, "NONE" on success.
          errorMessage: r.message ?? (r.error === ErrorCode.NONE ? 'NONE' : errorInfo(r.error).message),
          nodeId: r.nodeId,
          host: r.host,
          port: r.port,
        };
      }
      const coordinators = await Promise.all(
        request.coordinatorKeys.map(async (key) => {
          const r = await find(request.keyType, key, ctx.listenerName);
          return { key, nodeId: r.nodeId, host: r.host, port: r.port, errorCode: r.error, errorMessage: r.message };
        }),
      );
      return { throttleTimeMs: 0, coordinators };
    },
  });
}
