// ListOffsets (key 2), versions 0-9; flexible from v6; v0 deprecated (KIP-896).
// Request: v1 drops MaxNumOffsets (one offset per partition); v2 IsolationLevel; v4 CurrentLeaderEpoch for
// fencing; v7 allows timestamp -3 = max timestamp (KIP-734); v8 -4 = earliest local offset (KIP-405); v9
// -5 = latest tiered offset (KIP-1005).
// Response: v0 returns OldStyleOffsets; v1 a single Timestamp/Offset; v2 ThrottleTimeMs; v4 LeaderEpoch; v5
// may return OFFSET_NOT_AVAILABLE.

import type { MessageData, MessageInput } from '../data-types';
import { defineApi, defineMessage, field } from '../definition';

/** ListOffsets (api key 2): every version of the request and the response. */
export const ListOffsetsApi = defineApi({
  apiKey: 2,
  name: 'ListOffsets',
  request: defineMessage({
    name: 'ListOffsetsRequest',
    type: 'request',
    listeners: ['zkBroker', 'broker'],
    validVersions: '0-9',
    deprecatedVersions: '0',
    flexibleVersions: '6+',
    latestVersionUnstable: false,
    fields: [
      field('ReplicaId', 'int32', { versions: '0+', entityType: 'brokerId' }),
      field('IsolationLevel', 'int8', { versions: '2+' }),
      field('Topics', '[]ListOffsetsTopic', { versions: '0+', fields: [
        field('Name', 'string', { versions: '0+', entityType: 'topicName' }),
        field('Partitions', '[]ListOffsetsPartition', { versions: '0+', fields: [
          field('PartitionIndex', 'int32', { versions: '0+' }),
          field('CurrentLeaderEpoch', 'int32', { versions: '4+', default: -1, ignorable: true }),
          // -1 latest, -2 earliest, -3 max timestamp (v7+), -4 earliest local (v8+), -5 latest tiered (v9+).
          field('Timestamp', 'int64', { versions: '0+' }),
          field('MaxNumOffsets', 'int32', { versions: '0', default: 1 }),
        ] }),
      ] }),
    ],
  }),
  response: defineMessage({
    name: 'ListOffsetsResponse',
    type: 'response',
    validVersions: '0-9',
    flexibleVersions: '6+',
    fields: [
      field('ThrottleTimeMs', 'int32', { versions: '2+', ignorable: true }),
      field('Topics', '[]ListOffsetsTopicResponse', { versions: '0+', fields: [
        field('Name', 'string', { versions: '0+', entityType: 'topicName' }),
        field('Partitions', '[]ListOffsetsPartitionResponse', { versions: '0+', fields: [
          field('PartitionIndex', 'int32', { versions: '0+' }),
          field('ErrorCode', 'int16', { versions: '0+' }),
          field('OldStyleOffsets', '[]int64', { versions: '0' }),
          field('Timestamp', 'int64', { versions: '1+', default: -1 }),
          field('Offset', 'int64', { versions: '1+', default: -1 }),
          field('LeaderEpoch', 'int32', { versions: '4+', default: -1 }),
        ] }),
      ] }),
    ],
  }),
});

/** A decoded ListOffsets request (every field present, defaults filled in). */
export type ListOffsetsRequest = MessageData<typeof ListOffsetsApi.request>;
/** A decoded ListOffsets response. */
export type ListOffsetsResponse = MessageData<typeof ListOffsetsApi.response>;
/** What encodeRequest accepts for ListOffsets: missing fields take their defaults. */
export type ListOffsetsRequestInput = MessageInput<typeof ListOffsetsApi.request>;
/** What encodeResponse accepts for ListOffsets: missing fields take their defaults. */
export type ListOffsetsResponseInput = MessageInput<typeof ListOffsetsApi.response>;

// Nested structs, named as in Kafka's definitions.
export type ListOffsetsTopic = ListOffsetsRequest['topics'][number];
export type ListOffsetsPartition = ListOffsetsRequest['topics'][number]['partitions'][number];
export type ListOffsetsTopicResponse = ListOffsetsResponse['topics'][number];
export type ListOffsetsPartitionResponse = ListOffsetsResponse['topics'][number]['partitions'][number];
