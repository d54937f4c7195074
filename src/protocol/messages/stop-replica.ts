// StopReplica (key 5), versions 0-4; flexible from v2. Controller-to-broker only; v4 is sent at
// IBP 3.4+.
// Request: v1 BrokerEpoch and partitions grouped by topic; v3 moves DeletePartitions into per-partition
// states with the LeaderEpoch (KIP-570); v4 IsKRaftController (KIP-866).
// Response: v3 may return FENCED_LEADER_EPOCH for a stale leader epoch (KIP-570).

import type { MessageData, MessageInput } from '../data-types';
import { defineApi, defineMessage, field } from '../definition';

/** StopReplica (api key 5): every version of the request and the response. */
export const StopReplicaApi = defineApi({
  apiKey: 5,
  name: 'StopReplica',
  request: defineMessage({
    name: 'StopReplicaRequest',
    type: 'request',
    listeners: ['zkBroker'],
    validVersions: '0-4',
    flexibleVersions: '2+',
    fields: [
      field('ControllerId', 'int32', { versions: '0+', entityType: 'brokerId' }),
      field('isKRaftController', 'bool', { versions: '4+', default: false }),
      field('ControllerEpoch', 'int32', { versions: '0+' }),
      field('BrokerEpoch', 'int64', { versions: '1+', default: -1, ignorable: true }),
      field('DeletePartitions', 'bool', { versions: '0-2' }),
      field('UngroupedPartitions', '[]StopReplicaPartitionV0', { versions: '0', fields: [
        field('TopicName', 'string', { versions: '0', entityType: 'topicName' }),
        field('PartitionIndex', 'int32', { versions: '0' }),
      ] }),
      field('Topics', '[]StopReplicaTopicV1', { versions: '1-2', fields: [
        field('Name', 'string', { versions: '1-2', entityType: 'topicName' }),
        field('PartitionIndexes', '[]int32', { versions: '1-2' }),
      ] }),
      field('TopicStates', '[]StopReplicaTopicState', { versions: '3+', fields: [
        field('TopicName', 'string', { versions: '3+', entityType: 'topicName' }),
        field('PartitionStates', '[]StopReplicaPartitionState', { versions: '3+', fields: [
          field('PartitionIndex', 'int32', { versions: '3+' }),
          field('LeaderEpoch', 'int32', { versions: '3+', default: -1 }),
          field('DeletePartition', 'bool', { versions: '3+' }),
        ] }),
      ] }),
    ],
  }),
  response: defineMessage({
    name: 'StopReplicaResponse',
    type: 'response',
    validVersions: '0-4',
    flexibleVersions: '2+',
    fields: [
      field('ErrorCode', 'int16', { versions: '0+' }),
      field('PartitionErrors', '[]StopReplicaPartitionError', { versions: '0+', fields: [
        field('TopicName', 'string', { versions: '0+', entityType: 'topicName' }),
        field('PartitionIndex', 'int32', { versions: '0+' }),
        field('ErrorCode', 'int16', { versions: '0+' }),
      ] }),
    ],
  }),
});

/** A decoded StopReplica request (every field present, defaults filled in). */
export type StopReplicaRequest = MessageData<typeof StopReplicaApi.request>;
/** A decoded StopReplica response. */
export type StopReplicaResponse = MessageData<typeof StopReplicaApi.response>;
/** What encodeRequest accepts for StopReplica: missing fields take their defaults. */
export type StopReplicaRequestInput = MessageInput<typeof StopReplicaApi.request>;
/** What encodeResponse accepts for StopReplica: missing fields take their defaults. */
export type StopReplicaResponseInput = MessageInput<typeof StopReplicaApi.response>;

// Nested structs, named as in Kafka's definitions.
export type StopReplicaPartitionV0 = StopReplicaRequest['ungroupedPartitions'][number];
export type StopReplicaTopicV1 = StopReplicaRequest['topics'][number];
export type StopReplicaTopicState = StopReplicaRequest['topicStates'][number];
export type StopReplicaPartitionState = StopReplicaRequest['topicStates'][number]['partitionStates'][number];
export type StopReplicaPartitionError = StopReplicaResponse['partitionErrors'][number];
