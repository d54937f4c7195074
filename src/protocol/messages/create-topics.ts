// CreateTopics (key 19), versions 0-7; flexible from v5; v0-1 deprecated (KIP-896). Served by
// the controller; other brokers answer NOT_CONTROLLER.
// Request: v1 ValidateOnly; v4 lets NumPartitions/ReplicationFactor be -1 (broker defaults, KIP-464); v6
// may be throttled with THROTTLING_QUOTA_EXCEEDED (KIP-599); v7 equals v6.
// Response: v1 per-topic ErrorMessage; v2 ThrottleTimeMs; v5 returns the resulting configs, partitions
// and replication factor (KIP-525); v7 returns the TopicId.

import type { MessageData, MessageInput } from '../data-types';
import { defineApi, defineMessage, field } from '../definition';

/** CreateTopics (api key 19): every version of the request and the response. */
export const CreateTopicsApi = defineApi({
  apiKey: 19,
  name: 'CreateTopics',
  request: defineMessage({
    name: 'CreateTopicsRequest',
    type: 'request',
    listeners: ['zkBroker', 'broker', 'controller'],
    validVersions: '0-7',
    deprecatedVersions: '0-1',
    flexibleVersions: '5+',
    fields: [
      field('Topics', '[]CreatableTopic', { versions: '0+', fields: [
        field('Name', 'string', { versions: '0+', mapKey: true, entityType: 'topicName' }),
        field('NumPartitions', 'int32', { versions: '0+' }),
        field('ReplicationFactor', 'int16', { versions: '0+' }),
        field('Assignments', '[]CreatableReplicaAssignment', { versions: '0+', fields: [
          field('PartitionIndex', 'int32', { versions: '0+', mapKey: true }),
          field('BrokerIds', '[]int32', { versions: '0+', entityType: 'brokerId' }),
        ] }),
        field('Configs', '[]CreatableTopicConfig', { versions: '0+', fields: [
          field('Name', 'string', { versions: '0+', mapKey: true }),
          field('Value', 'string', { versions: '0+', nullableVersions: '0+' }),
        ] }),
      ] }),
      field('timeoutMs', 'int32', { versions: '0+', default: 60000 }),
      field('validateOnly', 'bool', { versions: '1+', default: false }),
    ],
  }),
  response: defineMessage({
    name: 'CreateTopicsResponse',
    type: 'response',
    validVersions: '0-7',
    flexibleVersions: '5+',
    fields: [
      field('ThrottleTimeMs', 'int32', { versions: '2+', ignorable: true }),
      field('Topics', '[]CreatableTopicResult', { versions: '0+', fields: [
        field('Name', 'string', { versions: '0+', mapKey: true, entityType: 'topicName' }),
        field('TopicId', 'uuid', { versions: '7+', ignorable: true }),
        field('ErrorCode', 'int16', { versions: '0+' }),
        field('ErrorMessage', 'string', { versions: '1+', nullableVersions: '0+', ignorable: true }),
        field('TopicConfigErrorCode', 'int16', { versions: '5+', taggedVersions: '5+', tag: 0, ignorable: true }),
        field('NumPartitions', 'int32', { versions: '5+', default: -1, ignorable: true }),
        field('ReplicationFactor', 'int16', { versions: '5+', default: -1, ignorable: true }),
        field('Configs', '[]CreatableTopicConfigs', { versions: '5+', nullableVersions: '5+', ignorable: true, fields: [
          field('Name', 'string', { versions: '5+' }),
          field('Value', 'string', { versions: '5+', nullableVersions: '5+' }),
          field('ReadOnly', 'bool', { versions: '5+' }),
          field('ConfigSource', 'int8', { versions: '5+', default: -1, ignorable: true }),
          field('IsSensitive', 'bool', { versions: '5+' }),
        ] }),
      ] }),
    ],
  }),
});

/** A decoded CreateTopics request (every field present, defaults filled in). */
export type CreateTopicsRequest = MessageData<typeof CreateTopicsApi.request>;
/** A decoded CreateTopics response. */
export type CreateTopicsResponse = MessageData<typeof CreateTopicsApi.response>;
/** What encodeRequest accepts for CreateTopics: missing fields take their defaults. */
export type CreateTopicsRequestInput = MessageInput<typeof CreateTopicsApi.request>;
/** What encodeResponse accepts for CreateTopics: missing fields take their defaults. */
export type CreateTopicsResponseInput = MessageInput<typeof CreateTopicsApi.response>;

// Nested structs, named as in Kafka's definitions.
export type CreatableTopic = CreateTopicsRequest['topics'][number];
export type CreatableReplicaAssignment = CreateTopicsRequest['topics'][number]['assignments'][number];
export type CreatableTopicConfig = CreateTopicsRequest['topics'][number]['configs'][number];
export type CreatableTopicResult = CreateTopicsResponse['topics'][number];
export type CreatableTopicConfigs = NonNullable<CreateTopicsResponse['topics'][number]['configs']>[number];
