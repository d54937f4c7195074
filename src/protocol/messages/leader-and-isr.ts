// LeaderAndIsr (key 4), versions 0-7; flexible from v4. Controller-to-broker only; v7 is sent
// at IBP 3.4+.
// Request: v1 IsNew; v2 BrokerEpoch and partitions grouped by topic (v0-1 list each partition with its
// topic name); v3 AddingReplicas/RemovingReplicas; v5 TopicId and Type (KIP-516); v6 LeaderRecoveryState
// (KIP-704); v7 IsKRaftController (KIP-866).
// Response: v1 may return KAFKA_STORAGE_ERROR; v5 reports errors per topic id instead of per name.

import type { MessageData, MessageInput } from '../data-types';
import { defineApi, defineMessage, field } from '../definition';

/** LeaderAndIsr (api key 4): every version of the request and the response. */
export const LeaderAndIsrApi = defineApi({
  apiKey: 4,
  name: 'LeaderAndIsr',
  request: defineMessage({
    name: 'LeaderAndIsrRequest',
    type: 'request',
    listeners: ['zkBroker'],
    validVersions: '0-7',
    flexibleVersions: '4+',
    fields: [
      field('ControllerId', 'int32', { versions: '0+', entityType: 'brokerId' }),
      field('isKRaftController', 'bool', { versions: '7+', default: false }),
      field('ControllerEpoch', 'int32', { versions: '0+' }),
      field('BrokerEpoch', 'int64', { versions: '2+', default: -1, ignorable: true }),
      field('Type', 'int8', { versions: '5+' }),
      // v0-1 list every partition with its topic name; v2+ group them under TopicStates.
      field('UngroupedPartitionStates', '[]LeaderAndIsrPartitionState', { versions: '0-1' }),
      field('TopicStates', '[]LeaderAndIsrTopicState', { versions: '2+', fields: [
        field('TopicName', 'string', { versions: '2+', entityType: 'topicName' }),
        field('TopicId', 'uuid', { versions: '5+', ignorable: true }),
        field('PartitionStates', '[]LeaderAndIsrPartitionState', { versions: '2+' }),
      ] }),
      field('LiveLeaders', '[]LeaderAndIsrLiveLeader', { versions: '0+', fields: [
        field('BrokerId', 'int32', { versions: '0+', entityType: 'brokerId' }),
        field('HostName', 'string', { versions: '0+' }),
        field('Port', 'int32', { versions: '0+' }),
      ] }),
    ],
    commonStructs: {
      LeaderAndIsrPartitionState: {
        versions: '0+',
        fields: [
          field('TopicName', 'string', { versions: '0-1', ignorable: true, entityType: 'topicName' }),
          field('PartitionIndex', 'int32', { versions: '0+' }),
          field('ControllerEpoch', 'int32', { versions: '0+' }),
          field('Leader', 'int32', { versions: '0+', entityType: 'brokerId' }),
          field('LeaderEpoch', 'int32', { versions: '0+' }),
          field('Isr', '[]int32', { versions: '0+', entityType: 'brokerId' }),
          field('PartitionEpoch', 'int32', { versions: '0+' }),
          field('Replicas', '[]int32', { versions: '0+', entityType: 'brokerId' }),
          field('AddingReplicas', '[]int32', { versions: '3+', ignorable: true, entityType: 'brokerId' }),
          field('RemovingReplicas', '[]int32', { versions: '3+', ignorable: true, entityType: 'brokerId' }),
          field('IsNew', 'bool', { versions: '1+', default: false, ignorable: true }),
          field('LeaderRecoveryState', 'int8', { versions: '6+', default: 0 }),
        ],
      },
    },
  }),
  response: defineMessage({
    name: 'LeaderAndIsrResponse',
    type: 'response',
    validVersions: '0-7',
    flexibleVersions: '4+',
    fields: [
      field('ErrorCode', 'int16', { versions: '0+' }),
      field('PartitionErrors', '[]LeaderAndIsrPartitionError', { versions: '0-4' }),
      field('Topics', '[]LeaderAndIsrTopicError', { versions: '5+', fields: [
        field('TopicId', 'uuid', { versions: '5+', mapKey: true }),
        field('PartitionErrors', '[]LeaderAndIsrPartitionError', { versions: '5+' }),
      ] }),
    ],
    commonStructs: {
      LeaderAndIsrPartitionError: {
        versions: '0+',
        fields: [
          field('TopicName', 'string', { versions: '0-4', ignorable: true, entityType: 'topicName' }),
          field('PartitionIndex', 'int32', { versions: '0+' }),
          field('ErrorCode', 'int16', { versions: '0+' }),
        ],
      },
    },
  }),
});

/** A decoded LeaderAndIsr request (every field present, defaults filled in). */
export type LeaderAndIsrRequest = MessageData<typeof LeaderAndIsrApi.request>;
/** A decoded LeaderAndIsr response. */
export type LeaderAndIsrResponse = MessageData<typeof LeaderAndIsrApi.response>;
/** What encodeRequest accepts for LeaderAndIsr: missing fields take their defaults. */
export type LeaderAndIsrRequestInput = MessageInput<typeof LeaderAndIsrApi.request>;
/** What encodeResponse accepts for LeaderAndIsr: missing fields take their defaults. */
export type LeaderAndIsrResponseInput = MessageInput<typeof LeaderAndIsrApi.response>;

// Nested structs, named as in Kafka's definitions.
export type LeaderAndIsrPartitionState = LeaderAndIsrRequest['ungroupedPartitionStates'][number];
export type LeaderAndIsrTopicState = LeaderAndIsrRequest['topicStates'][number];
export type LeaderAndIsrLiveLeader = LeaderAndIsrRequest['liveLeaders'][number];
export type LeaderAndIsrPartitionError = LeaderAndIsrResponse['partitionErrors'][number];
export type LeaderAndIsrTopicError = LeaderAndIsrResponse['topics'][number];
