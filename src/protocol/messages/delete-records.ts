// DeleteRecords (key 21), versions 0-2; flexible from v2.
// v1 equals v0 (throttled brokers answer before throttling).

import type { MessageData, MessageInput } from '../data-types';
import { defineApi, defineMessage, field } from '../definition';

/** DeleteRecords (api key 21): every version of the request and the response. */
export const DeleteRecordsApi = defineApi({
  apiKey: 21,
  name: 'DeleteRecords',
  request: defineMessage({
    name: 'DeleteRecordsRequest',
    type: 'request',
    listeners: ['zkBroker', 'broker'],
    validVersions: '0-2',
    flexibleVersions: '2+',
    fields: [
      field('Topics', '[]DeleteRecordsTopic', { versions: '0+', fields: [
        field('Name', 'string', { versions: '0+', entityType: 'topicName' }),
        field('Partitions', '[]DeleteRecordsPartition', { versions: '0+', fields: [
          field('PartitionIndex', 'int32', { versions: '0+' }),
          field('Offset', 'int64', { versions: '0+' }),
        ] }),
      ] }),
      field('TimeoutMs', 'int32', { versions: '0+' }),
    ],
  }),
  response: defineMessage({
    name: 'DeleteRecordsResponse',
    type: 'response',
    validVersions: '0-2',
    flexibleVersions: '2+',
    fields: [
      field('ThrottleTimeMs', 'int32', { versions: '0+' }),
      field('Topics', '[]DeleteRecordsTopicResult', { versions: '0+', fields: [
        field('Name', 'string', { versions: '0+', mapKey: true, entityType: 'topicName' }),
        field('Partitions', '[]DeleteRecordsPartitionResult', { versions: '0+', fields: [
          field('PartitionIndex', 'int32', { versions: '0+', mapKey: true }),
          field('LowWatermark', 'int64', { versions: '0+' }),
          field('ErrorCode', 'int16', { versions: '0+' }),
        ] }),
      ] }),
    ],
  }),
});

/** A decoded DeleteRecords request (every field present, defaults filled in). */
export type DeleteRecordsRequest = MessageData<typeof DeleteRecordsApi.request>;
/** A decoded DeleteRecords response. */
export type DeleteRecordsResponse = MessageData<typeof DeleteRecordsApi.response>;
/** What encodeRequest accepts for DeleteRecords: missing fields take their defaults. */
export type DeleteRecordsRequestInput = MessageInput<typeof DeleteRecordsApi.request>;
/** What encodeResponse accepts for DeleteRecords: missing fields take their defaults. */
export type DeleteRecordsResponseInput = MessageInput<typeof DeleteRecordsApi.response>;

// Nested structs, named as in Kafka's definitions.
export type DeleteRecordsTopic = DeleteRecordsRequest['topics'][number];
export type DeleteRecordsPartition = DeleteRecordsRequest['topics'][number]['partitions'][number];
export type DeleteRecordsTopicResult = DeleteRecordsResponse['topics'][number];
export type DeleteRecordsPartitionResult = DeleteRecordsResponse['topics'][number]['partitions'][number];
