/**
 * DescribeProducers (key 61), version 0 (KIP-664): the active idempotent producers of each partition this
 * broker leads, from its producer state (Kafka's Partition.activeProducerState): producer id, epoch, last
 * sequence, last write's timestamp, coordinator epoch and open transaction's first offset (always -1: no
 * transactions here). A partition this broker does not lead answers NOT_LEADER_OR_FOLLOWER, an unknown one
 * UNKNOWN_TOPIC_OR_PARTITION.
 */
import { ApiKeys, ErrorCode } from '../../protocol';
import { defineHandler } from '../api-handler';
import type { BrokerServices } from '../broker-services';

export function describeProducersHandler(broker: BrokerServices) {
  return defineHandler({
    apiKey: ApiKeys.DescribeProducers,
    minVersion: 0,
    maxVersion: 0,
    async handle(request) {
      const partitionState = (topic: string, partitionIndex: number) => {
        const out = { partitionIndex, errorCode: ErrorCode.NONE as number, errorMessage: null, activeProducers: [] as ActiveProducer[] };
        const partition = broker.replicaManager.getPartition(topic, partitionIndex);
        if (partition === undefined) {
          const known = broker.metadataCache.partitionState(topic, partitionIndex) !== undefined;
          out.errorCode = known ? ErrorCode.NOT_LEADER_OR_FOLLOWER : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
        } else if (!partition.isLeader || partition.log === undefined) {
          out.errorCode = ErrorCode.NOT_LEADER_OR_FOLLOWER;
        } else {
          for (const [producerId, entry] of partition.log.producerStateManager.activeProducers) {
            out.activeProducers.push({
              producerId,
              producerEpoch: entry.producerEpoch,
              lastSequence: entry.lastSeq,
              lastTimestamp: entry.lastTimestamp,
              coordinatorEpoch: entry.coordinatorEpoch,
              currentTxnStartOffset: entry.currentTxnFirstOffset,
            });
          }
        }
        return out;
      };
      return {
        throttleTimeMs: 0,
        topics: request.topics.map((t) => ({ name: t.name, partitions: t.partitionIndexes.map((p) => partitionState(t.name, p)) })),
      };
    },
  });
}

interface ActiveProducer {
  producerId: number;
  producerEpoch: number;
  lastSequence: number;
  lastTimestamp: number;
  coordinatorEpoch: number;
  currentTxnStartOffset: number;
}
