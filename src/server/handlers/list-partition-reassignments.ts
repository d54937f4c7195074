/**
 * ListPartitionReassignments (key 46), version 0 (flexible; KIP-455). Served by the active controller (elsewhere
 * NOT_CONTROLLER): the ongoing reassignments of the listed partitions, or of every partition when Topics is
 * null, each with its full replica set and the replicas being added and removed.
 */
import { ApiKeys, ErrorCode, errorInfo } from '../../protocol';
import { defineHandler } from '../api-handler';
import type { BrokerServices } from '../broker-services';

export function listPartitionReassignmentsHandler(broker: BrokerServices) {
  return defineHandler({
    apiKey: ApiKeys.ListPartitionReassignments,
    minVersion: 0,
    maxVersion: 0,
    async handle(request) {
      const controller = broker.controller();
      const partitions = request.topics === null
        ? null
        : request.topics.flatMap((t) => t.partitionIndexes.map((partition) => ({ topic: t.name, partition })));
      const result = controller === undefined
        ? { error: { code: ErrorCode.NOT_CONTROLLER, message: errorInfo(ErrorCode.NOT_CONTROLLER).message } }
        : await controller.listPartitionReassignments(partitions);
      if ('error' in result) {
        return { throttleTimeMs: 0, errorCode: result.error.code, errorMessage: result.error.message, topics: [] };
      }
      const byTopic = new Map<string, Array<{ partitionIndex: number; replicas: number[]; addingReplicas: number[]; removingReplicas: number[] }>>();
      for (const { tp, assignment } of result.reassignments) {
        const list = byTopic.get(tp.topic) ?? [];
        list.push({
          partitionIndex: tp.partition,
          replicas: [...assignment.replicas],
          addingReplicas: [...assignment.addingReplicas],
          removingReplicas: [...assignment.removingReplicas],
        });
        byTopic.set(tp.topic, list);
      }
      return {
        throttleTimeMs: 0,
        errorCode: ErrorCode.NONE,
        errorMessage: null,
        topics: [...byTopic].map(([name, partitions]) => ({ name, partitions })),
      };
    },
  });
}
