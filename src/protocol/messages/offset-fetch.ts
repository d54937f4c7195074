// OffsetFetch (key 9), versions 0-9; flexible from v6; v0 deprecated (KIP-896). v0 reads
// offsets from ZooKeeper, v1+ from __consumer_offsets.
// Request: v2 accepts null Topics (all topics) and answers with a top-level ErrorCode; v7 RequireStable; v8
// batches several groups in Groups, replacing GroupId/Topics; v9 MemberId and MemberEpoch (KIP-848).
// Response: v2 ErrorCode; v3 ThrottleTimeMs; v5 CommittedLeaderEpoch; v7 may return UNSTABLE_OFFSET_COMMIT;
// v8 per-group results.

import type { MessageData, MessageInput } from '../data-types';
import { defineApi, defineMessage, field } from '../definition';

/** OffsetFetch (api key 9): every version of the request and the response. */
export const OffsetFetchApi = defineApi({
  apiKey: 9,
  name: 'OffsetFetch',
  request: defineMessage({
    name: 'OffsetFetchRequest',
    type: 'request',
    listeners: ['zkBroker', 'broker'],
    validVersions: '0-9',
    deprecatedVersions: '0',
    flexibleVersions: '6+',
    fields: [
      field('GroupId', 'string', { versions: '0-7', entityType: 'groupId' }),
      field('Topics', '[]OffsetFetchRequestTopic', { versions: '0-7', nullableVersions: '2-7', fields: [
        field('Name', 'string', { versions: '0-7', entityType: 'topicName' }),
        field('PartitionIndexes', '[]int32', { versions: '0-7' }),
      ] }),
      field('Groups', '[]OffsetFetchRequestGroup', { versions: '8+', fields: [
        field('GroupId', 'string', { versions: '8+', entityType: 'groupId' }),
        field('MemberId', 'string', { versions: '9+', nullableVersions: '9+', default: null, ignorable: true }),
        field('MemberEpoch', 'int32', { versions: '9+', default: -1, ignorable: true }),
        field('Topics', '[]OffsetFetchRequestTopics', { versions: '8+', nullableVersions: '8+', fields: [
          field('Name', 'string', { versions: '8+', entityType: 'topicName' }),
          field('PartitionIndexes', '[]int32', { versions: '8+' }),
        ] }),
      ] }),
      field('RequireStable', 'bool', { versions: '7+', default: false }),
    ],
  }),
  response: defineMessage({
    name: 'OffsetFetchResponse',
    type: 'response',
    validVersions: '0-9',
    flexibleVersions: '6+',
    fields: [
      field('ThrottleTimeMs', 'int32', { versions: '3+', ignorable: true }),
      field('Topics', '[]OffsetFetchResponseTopic', { versions: '0-7', fields: [
        field('Name', 'string', { versions: '0-7', entityType: 'topicName' }),
        field('Partitions', '[]OffsetFetchResponsePartition', { versions: '0-7', fields: [
          field('PartitionIndex', 'int32', { versions: '0-7' }),
          field('CommittedOffset', 'int64', { versions: '0-7' }),
          field('CommittedLeaderEpoch', 'int32', { versions: '5-7', default: -1, ignorable: true }),
          field('Metadata', 'string', { versions: '0-7', nullableVersions: '0-7' }),
          field('ErrorCode', 'int16', { versions: '0-7' }),
        ] }),
      ] }),
      field('ErrorCode', 'int16', { versions: '2-7', default: 0, ignorable: true }),
      field('Groups', '[]OffsetFetchResponseGroup', { versions: '8+', fields: [
        field('GroupId', 'string', { versions: '8+', entityType: 'groupId' }),
        field('Topics', '[]OffsetFetchResponseTopics', { versions: '8+', fields: [
          field('Name', 'string', { versions: '8+', entityType: 'topicName' }),
          field('Partitions', '[]OffsetFetchResponsePartitions', { versions: '8+', fields: [
            field('PartitionIndex', 'int32', { versions: '8+' }),
            field('CommittedOffset', 'int64', { versions: '8+' }),
            field('CommittedLeaderEpoch', 'int32', { versions: '8+', default: -1, ignorable: true }),
            field('Metadata', 'string', { versions: '8+', nullableVersions: '8+' }),
            field('ErrorCode', 'int16', { versions: '8+' }),
          ] }),
        ] }),
        field('ErrorCode', 'int16', { versions: '8+', default: 0 }),
      ] }),
    ],
  }),
});

/** A decoded OffsetFetch request (every field present, defaults filled in). */
export type OffsetFetchRequest = MessageData<typeof OffsetFetchApi.request>;
/** A decoded OffsetFetch response. */
export type OffsetFetchResponse = MessageData<typeof OffsetFetchApi.response>;
/** What encodeRequest accepts for OffsetFetch: missing fields take their defaults. */
export type OffsetFetchRequestInput = MessageInput<typeof OffsetFetchApi.request>;
/** What encodeResponse accepts for OffsetFetch: missing fields take their defaults. */
export type OffsetFetchResponseInput = MessageInput<typeof OffsetFetchApi.response>;

// Nested structs, named as in Kafka's definitions.
export type OffsetFetchRequestTopic = NonNullable<OffsetFetchRequest['topics']>[number];
export type OffsetFetchRequestGroup = OffsetFetchRequest['groups'][number];
export type OffsetFetchRequestTopics = NonNullable<OffsetFetchRequest['groups'][number]['topics']>[number];
export type OffsetFetchResponseTopic = OffsetFetchResponse['topics'][number];
export type OffsetFetchResponsePartition = OffsetFetchResponse['topics'][number]['partitions'][number];
export type OffsetFetchResponseGroup = OffsetFetchResponse['groups'][number];
export type OffsetFetchResponseTopics = OffsetFetchResponse['groups'][number]['topics'][number];
export type OffsetFetchResponsePartitions = OffsetFetchResponse['groups'][number]['topics'][number]['partitions'][number];
