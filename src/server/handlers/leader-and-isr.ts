/**
 * LeaderAndIsr (key 4), versions 0-7 (flexible from v4; topic grouping from v2; topic ids from v5), sent by
 * the controller to the replicas of partitions whose leadership changed. Fenced by broker epoch; the
 * replica manager fences by controller epoch and, per partition, by leader epoch.
 */
import { ApiKeys, ErrorCode } from '../../protocol';
import { defineHandler } from '../api-handler';
import type { BrokerServices } from '../broker-services';
import { ZERO_UUID } from '../../metadata/metadata-cache';
import type { LeaderAndIsrPartitionRequest } from '../../replica/replica-manager';
import { fenceUnknownController, isBrokerEpochStale } from './controller-requests';

export function leaderAndIsrHandler(broker: BrokerServices, stateChangeLogger: { warn(msg: string): void }) {
  return defineHandler({
    apiKey: ApiKeys.LeaderAndIsr,
    minVersion: 0,
    maxVersion: 7,
    async handle(request, ctx) {
      const version = ctx.header.apiVersion;
      const rm = broker.replicaManager;
      const fenced = await fenceUnknownController(broker, request);
      if (fenced !== null) {
        stateChangeLogger.warn(
          `[Broker id=${broker.brokerId}] Ignoring LeaderAndIsr request with controller epoch ${request.controllerEpoch} ` +
            `from controller ${request.controllerId}: ${fenced}`,
        );
        return { errorCode: ErrorCode.STALE_CONTROLLER_EPOCH, partitionErrors: [], topics: [] };
      }
      if (isBrokerEpochStale(request.brokerEpoch, rm.brokerEpoch)) {
        stateChangeLogger.warn(
          `[Broker id=${broker.brokerId}] Received LeaderAndIsr request with broker epoch ${request.brokerEpoch} ` +
            `smaller than the current broker epoch ${rm.brokerEpoch} from controller ${request.controllerId}`,
        );
        return { errorCode: ErrorCode.STALE_BROKER_EPOCH, partitionErrors: [], topics: [] };
      }
      const states: LeaderAndIsrPartitionRequest[] = [];
      type P = (typeof request.ungroupedPartitionStates)[number];
      const add = (topic: string, topicId: string, p: P) =>
        states.push({
          topic,
          topicId,
          partition: p.partitionIndex,
          controllerEpoch: p.controllerEpoch,
          leader: p.leader,
          leaderEpoch: p.leaderEpoch,
          isr: p.isr,
          partitionEpoch: p.partitionEpoch,
          replicas: p.replicas,
          addingReplicas: p.addingReplicas,
          removingReplicas: p.removingReplicas,
          isNew: p.isNew,
        });
      for (const p of request.ungroupedPartitionStates) add(p.topicName, ZERO_UUID, p);
      for (const t of request.topicStates) for (const p of t.partitionStates) add(t.topicName, t.topicId, p);
      const result = await rm.becomeLeaderOrFollower(request.controllerId, request.controllerEpoch, states, request.liveLeaders);
      if (result.errorCode !== ErrorCode.NONE) return { errorCode: result.errorCode, partitionErrors: [], topics: [] };
      // The group coordinator loads or unloads the __consumer_offsets partitions whose leadership changed.
      const errors = new Map(result.partitionErrors.map((e) => [`${e.topic}-${e.partition}`, e.errorCode]));
      void broker.groupCoordinator.onLeadershipChange(
        states.map((s) => ({
          topic: s.topic,
          partition: s.partition,
          leader: s.leader,
          leaderEpoch: s.leaderEpoch,
          errorCode: errors.get(`${s.topic}-${s.partition}`) ?? ErrorCode.UNKNOWN_SERVER_ERROR,
        })),
      );
      if (version < 5) {
        return {
          errorCode: ErrorCode.NONE,
          partitionErrors: result.partitionErrors.map((e) => ({
            topicName: e.topic,
            partitionIndex: e.partition,
            errorCode: e.errorCode,
          })),
        };
      }
      const byTopic = new Map<string, { topicId: string; partitionErrors: { partitionIndex: number; errorCode: number }[] }>();
      for (const e of result.partitionErrors) {
        let t = byTopic.get(e.topic);
        if (!t) byTopic.set(e.topic, (t = { topicId: e.topicId, partitionErrors: [] }));
        t.partitionErrors.push({ partitionIndex: e.partition, errorCode: e.errorCode });
      }
      return { errorCode: ErrorCode.NONE, topics: [...byTopic.values()] };
    },
  });
}
