// AlterPartitionReassignments (key 45), version 0, flexible (KIP-455).
// Served by the controller. Replicas null cancels a pending reassignment.

import type { MessageData, MessageInput } from '../data-types';
import { defineApi, defineMessage, field } from '../definition';

/** AlterPartitionReassignments (api key 45): every version of the request and the response. */
export const AlterPartitionReassignmentsApi = defineApi({
  apiKey: 45,
  name: 'AlterPartitionReassignments',
  request: defineMessage({
    name: 'AlterPartitionReassignmentsRequest',
    type: 'request',
    listeners: ['broker', 'controller', 'zkBroker'],
    validVersions: '0',
    flexibleVersions: '0+',
    fields: [
      field('TimeoutMs', 'int32', { versions: '0+', default: 60000 }),
      field('Topics', '[]ReassignableTopic', { versions: '0+', fields: [
        field('Name', 'string', { versions: '0+', entityType: 'topicName' }),
        field('Partitions', '[]ReassignablePartition', { versions: '0+', fields: [
          field('PartitionIndex', 'int32', { versions: '0+' }),
          field('Replicas', '[]int32', {
            versions: '0+', nullableVersions: '0+', default: null, entityType: 'brokerId',
          }),
        ] }),
      ] }),
    ],
  }),
  response: defineMessage({
    name: 'AlterPartitionReassignmentsResponse',
    type: 'response',
    validVersions: '0',
    flexibleVersions: '0+',
    fields: [
      field('ThrottleTimeMs', 'int32', { versions: '0+' }),
      field('ErrorCode', 'int16', { versions: '0+' }),
      field('ErrorMessage', 'string', { versions: '0+', nullableVersions: '0+' }),
      field('Responses', '[]ReassignableTopicResponse', { versions: '0+', fields: [
        field('Name', 'string', { versions: '0+', entityType: 'topicName' }),
        field('Partitions', '[]ReassignablePartitionResponse', { versions: '0+', fields: [
          field('PartitionIndex', 'int32', { versions: '0+' }),
          field('ErrorCode', 'int16', { versions: '0+' }),
          field('ErrorMessage', 'string', { versions: '0+', nullableVersions: '0+' }),
        ] }),
      ] }),
    ],
  }),
});

/** A decoded AlterPartitionReassignments request (every field present, defaults filled in). */
export type AlterPartitionReassignmentsRequest = MessageData<typeof AlterPartitionReassignmentsApi.request>;
/** A decoded AlterPartitionReassignments response. */
export type AlterPartitionReassignmentsResponse = MessageData<typeof AlterPartitionReassignmentsApi.response>;
/** What encodeRequest accepts for AlterPartitionReassignments: missing fields take their defaults. */
export type AlterPartitionReassignmentsRequestInput = MessageInput<typeof AlterPartitionReassignmentsApi.request>;
/** What encodeResponse accepts for AlterPartitionReassignments: missing fields take their defaults. */
export type AlterPartitionReassignmentsResponseInput = MessageInput<typeof AlterPartitionReassignmentsApi.response>;

// Nested structs, named as in Kafka's definitions.
export type ReassignableTopic = AlterPartitionReassignmentsRequest['topics'][number];
export type ReassignablePartition = AlterPartitionReassignmentsRequest['topics'][number]['partitions'][number];
export type ReassignableTopicResponse = AlterPartitionReassignmentsResponse['responses'][number];
export type ReassignablePartitionResponse = AlterPartitionReassignmentsResponse['responses'][number]['partitions'][number];
