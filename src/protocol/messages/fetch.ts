// Fetch (key 1), versions 0-17; flexible from v12; v0-3 deprecated (KIP-896). Also the replication
// protocol: followers fetch with their replica id (v0-14 ReplicaId, v15+ ReplicaState, KIP-903).
// Request: v3 adds MaxBytes and makes partition order significant; v4 IsolationLevel (message format v2);
// v5 LogStartOffset; v7 fetch sessions (KIP-227); v9 CurrentLeaderEpoch (KIP-320); v10 allows zstd; v12
// LastFetchedEpoch for divergence detection and ClusterId; v13 identifies topics by TopicId (KIP-516); v14
// may return OFFSET_MOVED_TO_TIERED_STORAGE (KIP-405); v15 moves the replica id into ReplicaState; v16 is
// v15 (KIP-951); v17 adds ReplicaDirectoryId (KIP-853).
// Response: v1 ThrottleTimeMs; v4 LastStableOffset and AbortedTransactions; v5 LogStartOffset; v7 ErrorCode
// and SessionId; v11 PreferredReadReplica; v12 DivergingEpoch, CurrentLeader and SnapshotId tagged fields;
// v13 TopicId instead of names; v16 NodeEndpoints (KIP-951). Records travel as an opaque slice.

import type { MessageData, MessageInput } from '../data-types';
import { defineApi, defineMessage, field } from '../definition';

/** Fetch (api key 1): every version of the request and the response. */
export const FetchApi = defineApi({
  apiKey: 1,
  name: 'Fetch',
  request: defineMessage({
    name: 'FetchRequest',
    type: 'request',
    listeners: ['zkBroker', 'broker', 'controller'],
    validVersions: '0-17',
    deprecatedVersions: '0-3',
    flexibleVersions: '12+',
    fields: [
      field('ClusterId', 'string', {
        versions: '12+', nullableVersions: '12+', taggedVersions: '12+', tag: 0, default: null, ignorable: true,
      }),
      // Followers send their broker id here up to v14; from v15 it moves into ReplicaState (KIP-903).
      field('ReplicaId', 'int32', { versions: '0-14', default: -1, entityType: 'brokerId' }),
      // v15+: the follower's id and broker epoch; -1 for consumers.
      field('ReplicaState', 'ReplicaState', { versions: '15+', taggedVersions: '15+', tag: 1, fields: [
        field('ReplicaId', 'int32', { versions: '15+', default: -1, entityType: 'brokerId' }),
        field('ReplicaEpoch', 'int64', { versions: '15+', default: -1 }),
      ] }),
      field('MaxWaitMs', 'int32', { versions: '0+' }),
      field('MinBytes', 'int32', { versions: '0+' }),
      field('MaxBytes', 'int32', { versions: '3+', default: 0x7fffffff, ignorable: true }),
      field('IsolationLevel', 'int8', { versions: '4+', default: 0, ignorable: true }),
      field('SessionId', 'int32', { versions: '7+', default: 0, ignorable: true }),
      field('SessionEpoch', 'int32', { versions: '7+', default: -1, ignorable: true }),
      field('Topics', '[]FetchTopic', { versions: '0+', fields: [
        field('Topic', 'string', { versions: '0-12', ignorable: true, entityType: 'topicName' }),
        field('TopicId', 'uuid', { versions: '13+', ignorable: true }),
        field('Partitions', '[]FetchPartition', { versions: '0+', fields: [
          field('Partition', 'int32', { versions: '0+' }),
          field('CurrentLeaderEpoch', 'int32', { versions: '9+', default: -1, ignorable: true }),
          field('FetchOffset', 'int64', { versions: '0+' }),
          field('LastFetchedEpoch', 'int32', { versions: '12+', default: -1 }),
          field('LogStartOffset', 'int64', { versions: '5+', default: -1, ignorable: true }),
          field('PartitionMaxBytes', 'int32', { versions: '0+' }),
          field('ReplicaDirectoryId', 'uuid', { versions: '17+', taggedVersions: '17+', tag: 0, ignorable: true }),
        ] }),
      ] }),
      field('ForgottenTopicsData', '[]ForgottenTopic', { versions: '7+', fields: [
        field('Topic', 'string', { versions: '7-12', ignorable: true, entityType: 'topicName' }),
        field('TopicId', 'uuid', { versions: '13+', ignorable: true }),
        field('Partitions', '[]int32', { versions: '7+' }),
      ] }),
      field('RackId', 'string', { versions: '11+', default: '', ignorable: true }),
    ],
  }),
  response: defineMessage({
    name: 'FetchResponse',
    type: 'response',
    validVersions: '0-17',
    flexibleVersions: '12+',
    fields: [
      field('ThrottleTimeMs', 'int32', { versions: '1+', ignorable: true }),
      field('ErrorCode', 'int16', { versions: '7+', ignorable: true }),
      field('SessionId', 'int32', { versions: '7+', default: 0 }),
      field('Responses', '[]FetchableTopicResponse', { versions: '0+', fields: [
        field('Topic', 'string', { versions: '0-12', ignorable: true, entityType: 'topicName' }),
        field('TopicId', 'uuid', { versions: '13+', ignorable: true }),
        field('Partitions', '[]PartitionData', { versions: '0+', fields: [
          field('PartitionIndex', 'int32', { versions: '0+' }),
          field('ErrorCode', 'int16', { versions: '0+' }),
          field('HighWatermark', 'int64', { versions: '0+' }),
          field('LastStableOffset', 'int64', { versions: '4+', default: -1, ignorable: true }),
          field('LogStartOffset', 'int64', { versions: '5+', default: -1, ignorable: true }),
          field('DivergingEpoch', 'EpochEndOffset', { versions: '12+', taggedVersions: '12+', tag: 0, fields: [
            field('Epoch', 'int32', { versions: '12+', default: -1 }),
            field('EndOffset', 'int64', { versions: '12+', default: -1 }),
          ] }),
          field('CurrentLeader', 'LeaderIdAndEpoch', { versions: '12+', taggedVersions: '12+', tag: 1, fields: [
            field('LeaderId', 'int32', { versions: '12+', default: -1, entityType: 'brokerId' }),
            field('LeaderEpoch', 'int32', { versions: '12+', default: -1 }),
          ] }),
          field('SnapshotId', 'SnapshotId', { versions: '12+', taggedVersions: '12+', tag: 2, fields: [
            field('EndOffset', 'int64', { versions: '0+', default: -1 }),
            field('Epoch', 'int32', { versions: '0+', default: -1 }),
          ] }),
          field('AbortedTransactions', '[]AbortedTransaction', {
            versions: '4+', nullableVersions: '4+', ignorable: true,
            fields: [
              field('ProducerId', 'int64', { versions: '4+', entityType: 'producerId' }),
              field('FirstOffset', 'int64', { versions: '4+' }),
            ],
          }),
          field('PreferredReadReplica', 'int32', { versions: '11+', default: -1, entityType: 'brokerId' }),
          // An opaque slice of record batches, never decoded here.
          field('Records', 'records', { versions: '0+', nullableVersions: '0+' }),
        ] }),
      ] }),
      field('NodeEndpoints', '[]NodeEndpoint', { versions: '16+', taggedVersions: '16+', tag: 0, fields: [
        field('NodeId', 'int32', { versions: '16+', mapKey: true, entityType: 'brokerId' }),
        field('Host', 'string', { versions: '16+' }),
        field('Port', 'int32', { versions: '16+' }),
        field('Rack', 'string', { versions: '16+', nullableVersions: '16+', default: null }),
      ] }),
    ],
  }),
});

/** A decoded Fetch request (every field present, defaults filled in). */
export type FetchRequest = MessageData<typeof FetchApi.request>;
/** A decoded Fetch response. */
export type FetchResponse = MessageData<typeof FetchApi.response>;
/** What encodeRequest accepts for Fetch: missing fields take their defaults. */
export type FetchRequestInput = MessageInput<typeof FetchApi.request>;
/** What encodeResponse accepts for Fetch: missing fields take their defaults. */
export type FetchResponseInput = MessageInput<typeof FetchApi.response>;

// Nested structs, named as in Kafka's definitions.
export type ReplicaState = FetchRequest['replicaState'];
export type FetchTopic = FetchRequest['topics'][number];
export type FetchPartition = FetchRequest['topics'][number]['partitions'][number];
export type ForgottenTopic = FetchRequest['forgottenTopicsData'][number];
export type FetchableTopicResponse = FetchResponse['responses'][number];
export type PartitionData = FetchResponse['responses'][number]['partitions'][number];
export type EpochEndOffset = FetchResponse['responses'][number]['partitions'][number]['divergingEpoch'];
export type LeaderIdAndEpoch = FetchResponse['responses'][number]['partitions'][number]['currentLeader'];
export type SnapshotId = FetchResponse['responses'][number]['partitions'][number]['snapshotId'];
export type AbortedTransaction = NonNullable<FetchResponse['responses'][number]['partitions'][number]['abortedTransactions']>[number];
export type NodeEndpoint = FetchResponse['nodeEndpoints'][number];
