/**
 * UpdateMetadata (key 6), versions 0-8 (flexible from v6; topic grouping from v5; topic ids from v7), sent
 * by the controller to every live broker. Fenced by controller epoch (STALE_CONTROLLER_EPOCH) and by this
 * broker's epoch (STALE_BROKER_EPOCH); on success it replaces the metadata cache's view of the cluster.
 */
import { ApiKeys, ErrorCode } from '../../protocol';
import { defineHandler } from '../api-handler';
import type { BrokerServices } from '../broker-services';
import type { CachedPartitionState } from '../../metadata/metadata-cache';
import { fenceUnknownController, isBrokerEpochStale, securityProtocolName } from './controller-requests';

export function updateMetadataHandler(broker: BrokerServices, stateChangeLogger: { warn(msg: string): void }) {
  return defineHandler({
    apiKey: ApiKeys.UpdateMetadata,
    minVersion: 0,
    maxVersion: 8,
    async handle(request) {
      const rm = broker.replicaManager;
      const fenced = await fenceUnknownController(broker, request);
      if (fenced !== null) {
        stateChangeLogger.warn(
          `[Broker id=${broker.brokerId}] Ignoring UpdateMetadata request with controller epoch ${request.controllerEpoch} ` +
            `from controller ${request.controllerId}: ${fenced}`,
        );
        return { errorCode: ErrorCode.STALE_CONTROLLER_EPOCH };
      }
      if (isBrokerEpochStale(request.brokerEpoch, rm.brokerEpoch)) {
        stateChangeLogger.warn(
          `[Broker id=${broker.brokerId}] Received UpdateMetadata request with broker epoch ${request.brokerEpoch} ` +
            `smaller than the current broker epoch ${rm.brokerEpoch} from controller ${request.controllerId}`,
        );
        return { errorCode: ErrorCode.STALE_BROKER_EPOCH };
      }
      if (request.controllerEpoch < rm.controllerEpoch) {
        stateChangeLogger.warn(
          `[Broker id=${broker.brokerId}] Received UpdateMetadata request from controller ${request.controllerId} ` +
            `with epoch ${request.controllerEpoch}, older than the current controller epoch ${rm.controllerEpoch}`,
        );
        return { errorCode: ErrorCode.STALE_CONTROLLER_EPOCH };
      }
      rm.controllerEpoch = request.controllerEpoch;
      const partitionStates: CachedPartitionState[] = [];
      const topicIds = new Map<string, string>();
      const add = (topic: string, p: (typeof request.ungroupedPartitionStates)[number]) =>
        partitionStates.push({
          topic,
          partition: p.partitionIndex,
          controllerEpoch: p.controllerEpoch,
          leader: p.leader,
          leaderEpoch: p.leaderEpoch,
          isr: p.isr,
          zkVersion: p.zkVersion,
          replicas: p.replicas,
          offlineReplicas: p.offlineReplicas,
        });
      for (const p of request.ungroupedPartitionStates) add(p.topicName, p);
      for (const t of request.topicStates) {
        topicIds.set(t.topicName, t.topicId);
        for (const p of t.partitionStates) add(t.topicName, p);
      }
      const deleted = broker.metadataCache.updateMetadata({
        controllerId: request.controllerId,
        controllerEpoch: request.controllerEpoch,
        liveBrokers: request.liveBrokers.map((b) => ({
          id: b.id,
          rack: b.rack,
          endpoints:
            b.endpoints.length > 0
              ? b.endpoints.map((e) => ({
                  host: e.host,
                  port: e.port,
                  listener: e.listener !== '' ? e.listener : securityProtocolName(e.securityProtocol),
                  securityProtocol: e.securityProtocol,
                }))
              : [{ host: b.v0Host, port: b.v0Port, listener: 'PLAINTEXT', securityProtocol: 0 }],
        })),
        partitionStates,
        topicIds,
      });
      if (deleted.length > 0) {
        void broker.groupCoordinator.handleDeletedPartitions(deleted.map((p) => ({ topic: p.topic, partition: p.partition })));
      }
      return { errorCode: ErrorCode.NONE };
    },
  });
}
