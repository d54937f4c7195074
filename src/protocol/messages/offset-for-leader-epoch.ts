// OffsetForLeaderEpoch (key 23), versions 0-4; flexible from v4; v0-1 deprecated
// (KIP-896). Followers use it to find where their log diverges from the leader's.
// Request: v2 CurrentLeaderEpoch for fencing; v3 ReplicaId (-2 = a debugging consumer allowed past the high
// watermark; followers send their broker id).
// Response: v1 LeaderEpoch; v2 ThrottleTimeMs.

import type { MessageData, MessageInput } from '../data-types';
import { defineApi, defineMessage, field } from '../definition';

/** OffsetForLeaderEpoch (api key 23): every version of the request and the response. */
export const OffsetForLeaderEpochApi = defineApi({
  apiKey: 23,
  name: 'OffsetForLeaderEpoch',
  request: defineMessage({
    name: 'OffsetForLeaderEpochRequest',
    type: 'request',
    listeners: ['zkBroker', 'broker'],
    validVersions: '0-4',
    deprecatedVersions: '0-1',
    flexibleVersions: '4+',
    fields: [
      // -2 = a debugging consumer, -1 = a normal consumer; followers send their broker id.
      field('ReplicaId', 'int32', { versions: '3+', default: -2, ignorable: true, entityType: 'brokerId' }),
      field('Topics', '[]OffsetForLeaderTopic', { versions: '0+', fields: [
        field('Topic', 'string', { versions: '0+', mapKey: true, entityType: 'topicName' }),
        field('Partitions', '[]OffsetForLeaderPartition', { versions: '0+', fields: [
          field('Partition', 'int32', { versions: '0+' }),
          field('CurrentLeaderEpoch', 'int32', { versions: '2+', default: -1, ignorable: true }),
          field('LeaderEpoch', 'int32', { versions: '0+' }),
        ] }),
      ] }),
    ],
  }),
  response: defineMessage({
    name: 'OffsetForLeaderEpochResponse',
    type: 'response',
    validVersions: '0-4',
    flexibleVersions: '4+',
    fields: [
      field('ThrottleTimeMs', 'int32', { versions: '2+', ignorable: true }),
      field('Topics', '[]OffsetForLeaderTopicResult', { versions: '0+', fields: [
        field('Topic', 'string', { versions: '0+', mapKey: true, entityType: 'topicName' }),
        field('Partitions', '[]EpochEndOffset', { versions: '0+', fields: [
          field('ErrorCode', 'int16', { versions: '0+' }),
          field('Partition', 'int32', { versions: '0+' }),
          field('LeaderEpoch', 'int32', { versions: '1+', default: -1, ignorable: true }),
          field('EndOffset', 'int64', { versions: '0+', default: -1 }),
        ] }),
      ] }),
    ],
  }),
});

/** A decoded OffsetForLeaderEpoch request (every field present, defaults filled in). */
export type OffsetForLeaderEpochRequest = MessageData<typeof OffsetForLeaderEpochApi.request>;
/** A decoded OffsetForLeaderEpoch response. */
export type OffsetForLeaderEpochResponse = MessageData<typeof OffsetForLeaderEpochApi.response>;
/** What encodeRequest accepts for OffsetForLeaderEpoch: missing fields take their defaults. */
export type OffsetForLeaderEpochRequestInput = MessageInput<typeof OffsetForLeaderEpochApi.request>;
/** What encodeResponse accepts for OffsetForLeaderEpoch: missing fields take their defaults. */
export type OffsetForLeaderEpochResponseInput = MessageInput<typeof OffsetForLeaderEpochApi.response>;

// Nested structs, named as in Kafka's definitions.
export type OffsetForLeaderTopic = OffsetForLeaderEpochRequest['topics'][number];
export type OffsetForLeaderPartition = OffsetForLeaderEpochRequest['topics'][number]['partitions'][number];
export type OffsetForLeaderTopicResult = OffsetForLeaderEpochResponse['topics'][number];
export type EpochEndOffset = OffsetForLeaderEpochResponse['topics'][number]['partitions'][number];
