/**
 * AlterPartitionReassignments (key 45), version 0 (flexible; KIP-455). Served by the active controller (elsewhere
 * the whole request fails with NOT_CONTROLLER): each listed partition gets a new target replica list, or, with
 * null replicas, has its reassignment cancelled. The answer comes once each reassignment has started, with one
 * error per partition (NONE, INVALID_REPLICA_ASSIGNMENT, NO_REASSIGNMENT_IN_PROGRESS, UNKNOWN_TOPIC_OR_PARTITION...).
 */
import { ApiKeys, ErrorCode, errorInfo } from '../../protocol';
import { defineHandler } from '../api-handler';
import type { BrokerServices } from '../broker-services';

export function alterPartitionReassignmentsHandler(broker: BrokerServices) {
  return defineHandler({
    apiKey: ApiKeys.AlterPartitionReassignments,
    minVersion: 0,
    maxVersion: 0,
    async handle(request) {
      const controller = broker.controller();
      const notController = { code: ErrorCode.NOT_CONTROLLER, message: errorInfo(ErrorCode.NOT_CONTROLLER).message };
      const reassignments = request.topics.flatMap((t) => t.partitions.map((p) => ({
        tp: { topic: t.name, partition: p.partitionIndex },
        replicas: p.replicas,
      })));
      const result = controller === undefined ? { error: notController } : await controller.alterPartitionReassignments(reassignments);
      if ('error' in result) {
        return { throttleTimeMs: 0, errorCode: result.error.code, errorMessage: result.error.message, responses: [] };
      }
      const byTopic = new Map<string, Array<{ partitionIndex: number; errorCode: number; errorMessage: string | null }>>();
      for (const { tp, error } of result.partitions) {
        const list = byTopic.get(tp.topic) ?? [];
        list.push({ partitionIndex: tp.partition, errorCode: error.code, errorMessage: error.message });
        byTopic.set(tp.topic, list);
      }
      return {
        throttleTimeMs: 0,
        errorCode: ErrorCode.NONE,
        errorMessage: null,
        responses: [...byTopic].map(([name, partitions]) => ({ name, partitions })),
      };
    },
  });
}
