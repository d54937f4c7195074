/**
 * StopReplica (key 5), versions 0-4 (flexible from v2; per-partition leader epoch and delete flag from v3),
 * sent by the controller to stop replicas, deleting their logs when the topic is deleted or the replica
 * reassigned away. Fenced by broker epoch; the replica manager fences by controller epoch and leader epoch.
 */
import { ApiKeys, ErrorCode } from '../../protocol';
import { defineHandler } from '../api-handler';
import type { BrokerServices } from '../broker-services';
import { fenceUnknownController, isBrokerEpochStale } from './controller-requests';

export function stopReplicaHandler(broker: BrokerServices, stateChangeLogger: { warn(msg: string): void }) {
  return defineHandler({
    apiKey: ApiKeys.StopReplica,
    minVersion: 0,
    maxVersion: 4,
    async handle(request) {
      const rm = broker.replicaManager;
      const fenced = await fenceUnknownController(broker, request);
      if (fenced !== null) {
        stateChangeLogger.warn(
          `[Broker id=${broker.brokerId}] Ignoring StopReplica request with controller epoch ${request.controllerEpoch} ` +
            `from controller ${request.controllerId}: ${fenced}`,
        );
        return { errorCode: ErrorCode.STALE_CONTROLLER_EPOCH, partitionErrors: [] };
      }
      if (isBrokerEpochStale(request.brokerEpoch, rm.brokerEpoch)) {
        stateChangeLogger.warn(
          `[Broker id=${broker.brokerId}] Received StopReplica request with broker epoch ${request.brokerEpoch} ` +
            `smaller than the current broker epoch ${rm.brokerEpoch} from controller ${request.controllerId}`,
        );
        return { errorCode: ErrorCode.STALE_BROKER_EPOCH, partitionErrors: [] };
      }
      const partitions: { topic: string; partition: number; leaderEpoch: number; deletePartition: boolean }[] = [];
      for (const p of request.ungroupedPartitions) {
        partitions.push({ topic: p.topicName, partition: p.partitionIndex, leaderEpoch: -1, deletePartition: request.deletePartitions });
      }
      for (const t of request.topics) {
        for (const idx of t.partitionIndexes) {
          partitions.push({ topic: t.name, partition: idx, leaderEpoch: -1, deletePartition: request.deletePartitions });
        }
      }
      for (const t of request.topicStates) {
        for (const p of t.partitionStates) {
          partitions.push({
            topic: t.topicName,
            partition: p.partitionIndex,
            leaderEpoch: p.leaderEpoch,
            deletePartition: p.deletePartition,
          });
        }
      }
      const result = await rm.stopReplicas(request.controllerId, request.controllerEpoch, partitions);
      if (result.errorCode === ErrorCode.NONE) {
        const errors = new Map(result.partitionErrors.map((e) => [`${e.topic}-${e.partition}`, e.errorCode]));
        void broker.groupCoordinator.onStopReplica(
          partitions.map((p) => ({ ...p, errorCode: errors.get(`${p.topic}-${p.partition}`) ?? ErrorCode.UNKNOWN_SERVER_ERROR })),
        );
      }
      return {
        errorCode: result.errorCode,
        partitionErrors: result.partitionErrors.map((e) => ({
          topicName: e.topic,
          partitionIndex: e.partition,
          errorCode: e.errorCode,
        })),
      };
    },
  });
}
