// ListPartitionReassignments (key 46), version 0, flexible (KIP-455). Served by
// the controller. Topics null lists every ongoing reassignment.

import type { MessageData, MessageInput } from '../data-types';
import { defineApi, defineMessage, field } from '../definition';

/** ListPartitionReassignments (api key 46): every version of the request and the response. */
export const ListPartitionReassignmentsApi = defineApi({
  apiKey: 46,
  name: 'ListPartitionReassignments',
  request: defineMessage({
    name: 'ListPartitionReassignmentsRequest',
    type: 'request',
    listeners: ['broker', 'controller', 'zkBroker'],
    validVersions: '0',
    flexibleVersions: '0+',
    fields: [
      field('TimeoutMs', 'int32', { versions: '0+', default: 60000 }),
      field('Topics', '[]ListPartitionReassignmentsTopics', {
        versions: '0+', nullableVersions: '0+', default: null,
        fields: [
          field('Name', 'string', { versions: '0+', entityType: 'topicName' }),
          field('PartitionIndexes', '[]int32', { versions: '0+' }),
        ],
      }),
    ],
  }),
  response: defineMessage({
    name: 'ListPartitionReassignmentsResponse',
    type: 'response',
    validVersions: '0',
    flexibleVersions: '0+',
    fields: [
      field('ThrottleTimeMs', 'int32', { versions: '0+' }),
      field('ErrorCode', 'int16', { versions: '0+' }),
      field('ErrorMessage', 'string', { versions: '0+', nullableVersions: '0+' }),
      field('Topics', '[]OngoingTopicReassignment', { versions: '0+', fields: [
        field('Name', 'string', { versions: '0+', entityType: 'topicName' }),
        field('Partitions', '[]OngoingPartitionReassignment', { versions: '0+', fields: [
          field('PartitionIndex', 'int32', { versions: '0+' }),
          field('Replicas', '[]int32', { versions: '0+', entityType: 'brokerId' }),
          field('AddingReplicas', '[]int32', { versions: '0+', entityType: 'brokerId' }),
          field('RemovingReplicas', '[]int32', { versions: '0+', entityType: 'brokerId' }),
        ] }),
      ] }),
    ],
  }),
});

/** A decoded ListPartitionReassignments request (every field present, defaults filled in). */
export type ListPartitionReassignmentsRequest = MessageData<typeof ListPartitionReassignmentsApi.request>;
/** A decoded ListPartitionReassignments response. */
export type ListPartitionReassignmentsResponse = MessageData<typeof ListPartitionReassignmentsApi.response>;
/** What encodeRequest accepts for ListPartitionReassignments: missing fields take their defaults. */
export type ListPartitionReassignmentsRequestInput = MessageInput<typeof ListPartitionReassignmentsApi.request>;
/** What encodeResponse accepts for ListPartitionReassignments: missing fields take their defaults. */
export type ListPartitionReassignmentsResponseInput = MessageInput<typeof ListPartitionReassignmentsApi.response>;

// Nested structs, named as in Kafka's definitions.
export type ListPartitionReassignmentsTopics = NonNullable<ListPartitionReassignmentsRequest['topics']>[number];
export type OngoingTopicReassignment = ListPartitionReassignmentsResponse['topics'][number];
export type OngoingPartitionReassignment = ListPartitionReassignmentsResponse['topics'][number]['partitions'][number];
