// OffsetCommit (key 8), versions 0-9; flexible from v8; v0-1 deprecated (KIP-896). v0 commits
// are stored in ZooKeeper, v1+ in __consumer_offsets.
// Request: v1 GenerationIdOrMemberEpoch, MemberId and a per-partition CommitTimestamp; v2 replaces the
// commit timestamp by RetentionTimeMs; v5 drops RetentionTimeMs (broker config only); v6
// CommittedLeaderEpoch; v7 GroupInstanceId; v9 usable with the new consumer protocol (KIP-848).
// Response: v3 ThrottleTimeMs; v9 may return STALE_MEMBER_EPOCH and GROUP_ID_NOT_FOUND.

import type { MessageData, MessageInput } from '../data-types';
import { defineApi, defineMessage, field } from '../definition';

/** OffsetCommit (api key 8): every version of the request and the response. */
export const OffsetCommitApi = defineApi({
  apiKey: 8,
  name: 'OffsetCommit',
  request: defineMessage({
    name: 'OffsetCommitRequest',
    type: 'request',
    listeners: ['zkBroker', 'broker'],
    validVersions: '0-9',
    deprecatedVersions: '0-1',
    flexibleVersions: '8+',
    fields: [
      field('GroupId', 'string', { versions: '0+', entityType: 'groupId' }),
      field('GenerationIdOrMemberEpoch', 'int32', { versions: '1+', default: -1, ignorable: true }),
      field('MemberId', 'string', { versions: '1+', ignorable: true }),
      field('GroupInstanceId', 'string', { versions: '7+', nullableVersions: '7+', default: null }),
      field('RetentionTimeMs', 'int64', { versions: '2-4', default: -1, ignorable: true }),
      field('Topics', '[]OffsetCommitRequestTopic', { versions: '0+', fields: [
        field('Name', 'string', { versions: '0+', entityType: 'topicName' }),
        field('Partitions', '[]OffsetCommitRequestPartition', { versions: '0+', fields: [
          field('PartitionIndex', 'int32', { versions: '0+' }),
          field('CommittedOffset', 'int64', { versions: '0+' }),
          field('CommittedLeaderEpoch', 'int32', { versions: '6+', default: -1, ignorable: true }),
          // Only v1 carries a commit timestamp; v2-4 use RetentionTimeMs instead.
          field('CommitTimestamp', 'int64', { versions: '1', default: -1 }),
          field('CommittedMetadata', 'string', { versions: '0+', nullableVersions: '0+' }),
        ] }),
      ] }),
    ],
  }),
  response: defineMessage({
    name: 'OffsetCommitResponse',
    type: 'response',
    validVersions: '0-9',
    flexibleVersions: '8+',
    fields: [
      field('ThrottleTimeMs', 'int32', { versions: '3+', ignorable: true }),
      field('Topics', '[]OffsetCommitResponseTopic', { versions: '0+', fields: [
        field('Name', 'string', { versions: '0+', entityType: 'topicName' }),
        field('Partitions', '[]OffsetCommitResponsePartition', { versions: '0+', fields: [
          field('PartitionIndex', 'int32', { versions: '0+' }),
          field('ErrorCode', 'int16', { versions: '0+' }),
        ] }),
      ] }),
    ],
  }),
});

/** A decoded OffsetCommit request (every field present, defaults filled in). */
export type OffsetCommitRequest = MessageData<typeof OffsetCommitApi.request>;
/** A decoded OffsetCommit response. */
export type OffsetCommitResponse = MessageData<typeof OffsetCommitApi.response>;
/** What encodeRequest accepts for OffsetCommit: missing fields take their defaults. */
export type OffsetCommitRequestInput = MessageInput<typeof OffsetCommitApi.request>;
/** What encodeResponse accepts for OffsetCommit: missing fields take their defaults. */
export type OffsetCommitResponseInput = MessageInput<typeof OffsetCommitApi.response>;

// Nested structs, named as in Kafka's definitions.
export type OffsetCommitRequestTopic = OffsetCommitRequest['topics'][number];
export type OffsetCommitRequestPartition = OffsetCommitRequest['topics'][number]['partitions'][number];
export type OffsetCommitResponseTopic = OffsetCommitResponse['topics'][number];
export type OffsetCommitResponsePartition = OffsetCommitResponse['topics'][number]['partitions'][number];
