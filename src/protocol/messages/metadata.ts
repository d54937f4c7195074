// Metadata (key 3), versions 0-12; flexible from v9; v0-3 deprecated (KIP-896).
// Request: in v0 an empty topic list means "all topics"; from v1 null means all and [] means none. v4 adds
// AllowAutoTopicCreation; v8 lets clients ask for authorized operations; v10 adds TopicId and nullable
// names (not usable until v12: v10-11 clients must send names); v11 drops
// IncludeClusterAuthorizedOperations (moved to DescribeCluster, KIP-700); v12 supports lookup by topic id.
// Response: v1 adds broker rack, controller id and IsInternal; v2 ClusterId; v3 ThrottleTimeMs; v5
// OfflineReplicas; v7 LeaderEpoch; v8 authorized operations; v10 TopicId; v11 removes
// ClusterAuthorizedOperations.

import type { MessageData, MessageInput } from '../data-types';
import { defineApi, defineMessage, field } from '../definition';

/** Metadata (api key 3): every version of the request and the response. */
export const MetadataApi = defineApi({
  apiKey: 3,
  name: 'Metadata',
  request: defineMessage({
    name: 'MetadataRequest',
    type: 'request',
    listeners: ['zkBroker', 'broker'],
    validVersions: '0-12',
    deprecatedVersions: '0-3',
    flexibleVersions: '9+',
    fields: [
      // v0: [] means all topics; v1+: null means all topics, [] means none.
      field('Topics', '[]MetadataRequestTopic', { versions: '0+', nullableVersions: '1+', fields: [
        // Only honoured from v12; v10-11 clients must look topics up by name.
        field('TopicId', 'uuid', { versions: '10+', ignorable: true }),
        field('Name', 'string', { versions: '0+', nullableVersions: '10+', entityType: 'topicName' }),
      ] }),
      field('AllowAutoTopicCreation', 'bool', { versions: '4+', default: true }),
      field('IncludeClusterAuthorizedOperations', 'bool', { versions: '8-10' }),
      field('IncludeTopicAuthorizedOperations', 'bool', { versions: '8+' }),
    ],
  }),
  response: defineMessage({
    name: 'MetadataResponse',
    type: 'response',
    validVersions: '0-12',
    flexibleVersions: '9+',
    fields: [
      field('ThrottleTimeMs', 'int32', { versions: '3+', ignorable: true }),
      field('Brokers', '[]MetadataResponseBroker', { versions: '0+', fields: [
        field('NodeId', 'int32', { versions: '0+', mapKey: true, entityType: 'brokerId' }),
        field('Host', 'string', { versions: '0+' }),
        field('Port', 'int32', { versions: '0+' }),
        field('Rack', 'string', { versions: '1+', nullableVersions: '1+', default: null, ignorable: true }),
      ] }),
      field('ClusterId', 'string', { versions: '2+', nullableVersions: '2+', default: null, ignorable: true }),
      field('ControllerId', 'int32', { versions: '1+', default: -1, ignorable: true, entityType: 'brokerId' }),
      field('Topics', '[]MetadataResponseTopic', { versions: '0+', fields: [
        field('ErrorCode', 'int16', { versions: '0+' }),
        field('Name', 'string', { versions: '0+', nullableVersions: '12+', mapKey: true, entityType: 'topicName' }),
        field('TopicId', 'uuid', { versions: '10+', ignorable: true }),
        field('IsInternal', 'bool', { versions: '1+', default: false, ignorable: true }),
        field('Partitions', '[]MetadataResponsePartition', { versions: '0+', fields: [
          field('ErrorCode', 'int16', { versions: '0+' }),
          field('PartitionIndex', 'int32', { versions: '0+' }),
          field('LeaderId', 'int32', { versions: '0+', entityType: 'brokerId' }),
          field('LeaderEpoch', 'int32', { versions: '7+', default: -1, ignorable: true }),
          field('ReplicaNodes', '[]int32', { versions: '0+', entityType: 'brokerId' }),
          field('IsrNodes', '[]int32', { versions: '0+', entityType: 'brokerId' }),
          field('OfflineReplicas', '[]int32', { versions: '5+', ignorable: true, entityType: 'brokerId' }),
        ] }),
        field('TopicAuthorizedOperations', 'int32', { versions: '8+', default: -2147483648 }),
      ] }),
      field('ClusterAuthorizedOperations', 'int32', { versions: '8-10', default: -2147483648 }),
    ],
  }),
});

/** A decoded Metadata request (every field present, defaults filled in). */
export type MetadataRequest = MessageData<typeof MetadataApi.request>;
/** A decoded Metadata response. */
export type MetadataResponse = MessageData<typeof MetadataApi.response>;
/** What encodeRequest accepts for Metadata: missing fields take their defaults. */
export type MetadataRequestInput = MessageInput<typeof MetadataApi.request>;
/** What encodeResponse accepts for Metadata: missing fields take their defaults. */
export type MetadataResponseInput = MessageInput<typeof MetadataApi.response>;

// Nested structs, named as in Kafka's definitions.
export type MetadataRequestTopic = NonNullable<MetadataRequest['topics']>[number];
export type MetadataResponseBroker = MetadataResponse['brokers'][number];
export type MetadataResponseTopic = MetadataResponse['topics'][number];
export type MetadataResponsePartition = MetadataResponse['topics'][number]['partitions'][number];
