// UpdateMetadata (key 6), versions 0-8; flexible from v6. Controller-to-broker only; v8 is
// sent at IBP 3.4+.
// Request: v0 has a single host/port per broker; v1 a list of endpoints; v2 Rack; v3 ListenerName; v4
// OfflineReplicas; v5 BrokerEpoch and partitions grouped by topic; v7 TopicId; v8 IsKRaftController
// (KIP-866) and the Type tagged field.
// Response: only an error code in every version.

import type { MessageData, MessageInput } from '../data-types';
import { defineApi, defineMessage, field } from '../definition';

/** UpdateMetadata (api key 6): every version of the request and the response. */
export const UpdateMetadataApi = defineApi({
  apiKey: 6,
  name: 'UpdateMetadata',
  request: defineMessage({
    name: 'UpdateMetadataRequest',
    type: 'request',
    listeners: ['zkBroker'],
    validVersions: '0-8',
    flexibleVersions: '6+',
    fields: [
      field('ControllerId', 'int32', { versions: '0+', entityType: 'brokerId' }),
      field('isKRaftController', 'bool', { versions: '8+', default: false }),
      field('Type', 'int8', { versions: '8+', taggedVersions: '8+', tag: 0, default: 0 }),
      field('ControllerEpoch', 'int32', { versions: '0+' }),
      field('BrokerEpoch', 'int64', { versions: '5+', default: -1, ignorable: true }),
      field('UngroupedPartitionStates', '[]UpdateMetadataPartitionState', { versions: '0-4' }),
      field('TopicStates', '[]UpdateMetadataTopicState', { versions: '5+', fields: [
        field('TopicName', 'string', { versions: '5+', entityType: 'topicName' }),
        field('TopicId', 'uuid', { versions: '7+', ignorable: true }),
        field('PartitionStates', '[]UpdateMetadataPartitionState', { versions: '5+' }),
      ] }),
      field('LiveBrokers', '[]UpdateMetadataBroker', { versions: '0+', fields: [
        field('Id', 'int32', { versions: '0+', entityType: 'brokerId' }),
        // v0 carries one plaintext host/port per broker instead of a list of endpoints.
        field('V0Host', 'string', { versions: '0', ignorable: true }),
        field('V0Port', 'int32', { versions: '0', ignorable: true }),
        field('Endpoints', '[]UpdateMetadataEndpoint', { versions: '1+', ignorable: true, fields: [
          field('Port', 'int32', { versions: '1+' }),
          field('Host', 'string', { versions: '1+' }),
          field('Listener', 'string', { versions: '3+', ignorable: true }),
          field('SecurityProtocol', 'int16', { versions: '1+' }),
        ] }),
        field('Rack', 'string', { versions: '2+', nullableVersions: '0+', ignorable: true }),
      ] }),
    ],
    commonStructs: {
      UpdateMetadataPartitionState: {
        versions: '0+',
        fields: [
          field('TopicName', 'string', { versions: '0-4', ignorable: true, entityType: 'topicName' }),
          field('PartitionIndex', 'int32', { versions: '0+' }),
          field('ControllerEpoch', 'int32', { versions: '0+' }),
          field('Leader', 'int32', { versions: '0+', entityType: 'brokerId' }),
          field('LeaderEpoch', 'int32', { versions: '0+' }),
          field('Isr', '[]int32', { versions: '0+', entityType: 'brokerId' }),
          field('ZkVersion', 'int32', { versions: '0+' }),
          field('Replicas', '[]int32', { versions: '0+', entityType: 'brokerId' }),
          field('OfflineReplicas', '[]int32', { versions: '4+', ignorable: true, entityType: 'brokerId' }),
        ],
      },
    },
  }),
  response: defineMessage({
    name: 'UpdateMetadataResponse',
    type: 'response',
    validVersions: '0-8',
    flexibleVersions: '6+',
    fields: [
      field('ErrorCode', 'int16', { versions: '0+' }),
    ],
  }),
});

/** A decoded UpdateMetadata request (every field present, defaults filled in). */
export type UpdateMetadataRequest = MessageData<typeof UpdateMetadataApi.request>;
/** A decoded UpdateMetadata response. */
export type UpdateMetadataResponse = MessageData<typeof UpdateMetadataApi.response>;
/** What encodeRequest accepts for UpdateMetadata: missing fields take their defaults. */
export type UpdateMetadataRequestInput = MessageInput<typeof UpdateMetadataApi.request>;
/** What encodeResponse accepts for UpdateMetadata: missing fields take their defaults. */
export type UpdateMetadataResponseInput = MessageInput<typeof UpdateMetadataApi.response>;

// Nested structs, named as in Kafka's definitions.
export type UpdateMetadataPartitionState = UpdateMetadataRequest['ungroupedPartitionStates'][number];
export type UpdateMetadataTopicState = UpdateMetadataRequest['topicStates'][number];
export type UpdateMetadataBroker = UpdateMetadataRequest['liveBrokers'][number];
export type UpdateMetadataEndpoint = UpdateMetadataRequest['liveBrokers'][number]['endpoints'][number];
