// ElectLeaders (key 43), versions 0-2; flexible from v2. Served by the controller.
// Request: v1 ElectionType (0 preferred, 1 unclean; KIP-460); TopicPartitions null means all partitions.
// Response: v1 adds the top-level ErrorCode.

import type { MessageData, MessageInput } from '../data-types';
import { defineApi, defineMessage, field } from '../definition';

/** ElectLeaders (api key 43): every version of the request and the response. */
export const ElectLeadersApi = defineApi({
  apiKey: 43,
  name: 'ElectLeaders',
  request: defineMessage({
    name: 'ElectLeadersRequest',
    type: 'request',
    listeners: ['zkBroker', 'broker', 'controller'],
    validVersions: '0-2',
    flexibleVersions: '2+',
    fields: [
      field('ElectionType', 'int8', { versions: '1+' }),
      field('TopicPartitions', '[]TopicPartitions', { versions: '0+', nullableVersions: '0+', fields: [
        field('Topic', 'string', { versions: '0+', mapKey: true, entityType: 'topicName' }),
        field('Partitions', '[]int32', { versions: '0+' }),
      ] }),
      field('TimeoutMs', 'int32', { versions: '0+', default: 60000 }),
    ],
  }),
  response: defineMessage({
    name: 'ElectLeadersResponse',
    type: 'response',
    validVersions: '0-2',
    flexibleVersions: '2+',
    fields: [
      field('ThrottleTimeMs', 'int32', { versions: '0+' }),
      field('ErrorCode', 'int16', { versions: '1+' }),
      field('ReplicaElectionResults', '[]ReplicaElectionResult', { versions: '0+', fields: [
        field('Topic', 'string', { versions: '0+', entityType: 'topicName' }),
        field('PartitionResult', '[]PartitionResult', { versions: '0+', fields: [
          field('PartitionId', 'int32', { versions: '0+' }),
          field('ErrorCode', 'int16', { versions: '0+' }),
          field('ErrorMessage', 'string', { versions: '0+', nullableVersions: '0+' }),
        ] }),
      ] }),
    ],
  }),
});

/** A decoded ElectLeaders request (every field present, defaults filled in). */
export type ElectLeadersRequest = MessageData<typeof ElectLeadersApi.request>;
/** A decoded ElectLeaders response. */
export type ElectLeadersResponse = MessageData<typeof ElectLeadersApi.response>;
/** What encodeRequest accepts for ElectLeaders: missing fields take their defaults. */
export type ElectLeadersRequestInput = MessageInput<typeof ElectLeadersApi.request>;
/** What encodeResponse accepts for ElectLeaders: missing fields take their defaults. */
export type ElectLeadersResponseInput = MessageInput<typeof ElectLeadersApi.response>;

// Nested structs, named as in Kafka's definitions.
export type TopicPartitions = NonNullable<ElectLeadersRequest['topicPartitions']>[number];
export type ReplicaElectionResult = ElectLeadersResponse['replicaElectionResults'][number];
export type PartitionResult = ElectLeadersResponse['replicaElectionResults'][number]['partitionResult'][number];
