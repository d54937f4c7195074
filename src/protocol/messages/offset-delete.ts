// OffsetDelete (key 47), version 0, not flexible (KIP-496).

import type { MessageData, MessageInput } from '../data-types';
import { defineApi, defineMessage, field } from '../definition';

/** OffsetDelete (api key 47): every version of the request and the response. */
export const OffsetDeleteApi = defineApi({
  apiKey: 47,
  name: 'OffsetDelete',
  request: defineMessage({
    name: 'OffsetDeleteRequest',
    type: 'request',
    listeners: ['zkBroker', 'broker'],
    validVersions: '0',
    flexibleVersions: 'none',
    fields: [
      field('GroupId', 'string', { versions: '0+', entityType: 'groupId' }),
      field('Topics', '[]OffsetDeleteRequestTopic', { versions: '0+', fields: [
        field('Name', 'string', { versions: '0+', mapKey: true, entityType: 'topicName' }),
        field('Partitions', '[]OffsetDeleteRequestPartition', { versions: '0+', fields: [
          field('PartitionIndex', 'int32', { versions: '0+' }),
        ] }),
      ] }),
    ],
  }),
  response: defineMessage({
    name: 'OffsetDeleteResponse',
    type: 'response',
    validVersions: '0',
    flexibleVersions: 'none',
    fields: [
      field('ErrorCode', 'int16', { versions: '0+' }),
      field('ThrottleTimeMs', 'int32', { versions: '0+', ignorable: true }),
      field('Topics', '[]OffsetDeleteResponseTopic', { versions: '0+', fields: [
        field('Name', 'string', { versions: '0+', mapKey: true, entityType: 'topicName' }),
        field('Partitions', '[]OffsetDeleteResponsePartition', { versions: '0+', fields: [
          field('PartitionIndex', 'int32', { versions: '0+', mapKey: true }),
          field('ErrorCode', 'int16', { versions: '0+' }),
        ] }),
      ] }),
    ],
  }),
});

/** A decoded OffsetDelete request (every field present, defaults filled in). */
export type OffsetDeleteRequest = MessageData<typeof OffsetDeleteApi.request>;
/** A decoded OffsetDelete response. */
export type OffsetDeleteResponse = MessageData<typeof OffsetDeleteApi.response>;
/** What encodeRequest accepts for OffsetDelete: missing fields take their defaults. */
export type OffsetDeleteRequestInput = MessageInput<typeof OffsetDeleteApi.request>;
/** What encodeResponse accepts for OffsetDelete: missing fields take their defaults. */
export type OffsetDeleteResponseInput = MessageInput<typeof OffsetDeleteApi.response>;

// Nested structs, named as in Kafka's definitions.
export type OffsetDeleteRequestTopic = OffsetDeleteRequest['topics'][number];
export type OffsetDeleteRequestPartition = OffsetDeleteRequest['topics'][number]['partitions'][number];
export type OffsetDeleteResponseTopic = OffsetDeleteResponse['topics'][number];
export type OffsetDeleteResponsePartition = OffsetDeleteResponse['topics'][number]['partitions'][number];
