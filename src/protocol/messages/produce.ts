// Produce (key 0), versions 0-11; flexible from v9; v0-6 deprecated (KIP-896).
// Request: v1-2 equal v0; v3 adds TransactionalId and requires message format v2; v4 only means the client
// handles KAFKA_STORAGE_ERROR; v7 allows zstd (KIP-110); v8 responses carry RecordErrors (KIP-467); v10 is
// v9 (KIP-951); v11 allows the TRANSACTION_ABORTABLE error (KIP-890). acks=0 requests get no response.
// Response: v1 ThrottleTimeMs; v2 LogAppendTimeMs; v5 LogStartOffset; v8 RecordErrors and ErrorMessage;
// v10 adds the CurrentLeader and NodeEndpoints tagged fields so clients can redirect without a metadata
// refresh (KIP-951).

import type { MessageData, MessageInput } from '../data-types';
import { defineApi, defineMessage, field } from '../definition';

/** Produce (api key 0): every version of the request and the response. */
export const ProduceApi = defineApi({
  apiKey: 0,
  name: 'Produce',
  request: defineMessage({
    name: 'ProduceRequest',
    type: 'request',
    listeners: ['zkBroker', 'broker'],
    validVersions: '0-11',
    deprecatedVersions: '0-6',
    flexibleVersions: '9+',
    fields: [
      field('TransactionalId', 'string', {
        versions: '3+', nullableVersions: '3+', default: null, entityType: 'transactionalId',
      }),
      field('Acks', 'int16', { versions: '0+' }),
      field('TimeoutMs', 'int32', { versions: '0+' }),
      field('TopicData', '[]TopicProduceData', { versions: '0+', fields: [
        field('Name', 'string', { versions: '0+', mapKey: true, entityType: 'topicName' }),
        field('PartitionData', '[]PartitionProduceData', { versions: '0+', fields: [
          field('Index', 'int32', { versions: '0+' }),
          // An opaque slice of record batches (zero-copy on decode).
          field('Records', 'records', { versions: '0+', nullableVersions: '0+' }),
        ] }),
      ] }),
    ],
  }),
  response: defineMessage({
    name: 'ProduceResponse',
    type: 'response',
    validVersions: '0-11',
    flexibleVersions: '9+',
    fields: [
      field('Responses', '[]TopicProduceResponse', { versions: '0+', fields: [
        field('Name', 'string', { versions: '0+', mapKey: true, entityType: 'topicName' }),
        field('PartitionResponses', '[]PartitionProduceResponse', { versions: '0+', fields: [
          field('Index', 'int32', { versions: '0+' }),
          field('ErrorCode', 'int16', { versions: '0+' }),
          field('BaseOffset', 'int64', { versions: '0+' }),
          field('LogAppendTimeMs', 'int64', { versions: '2+', default: -1, ignorable: true }),
          field('LogStartOffset', 'int64', { versions: '5+', default: -1, ignorable: true }),
          field('RecordErrors', '[]BatchIndexAndErrorMessage', { versions: '8+', ignorable: true, fields: [
            field('BatchIndex', 'int32', { versions: '8+' }),
            field('BatchIndexErrorMessage', 'string', { versions: '8+', nullableVersions: '8+', default: null }),
          ] }),
          field('ErrorMessage', 'string', { versions: '8+', nullableVersions: '8+', default: null, ignorable: true }),
          field('CurrentLeader', 'LeaderIdAndEpoch', { versions: '10+', taggedVersions: '10+', tag: 0, fields: [
            field('LeaderId', 'int32', { versions: '10+', default: -1, entityType: 'brokerId' }),
            field('LeaderEpoch', 'int32', { versions: '10+', default: -1 }),
          ] }),
        ] }),
      ] }),
      field('ThrottleTimeMs', 'int32', { versions: '1+', default: 0, ignorable: true }),
      field('NodeEndpoints', '[]NodeEndpoint', { versions: '10+', taggedVersions: '10+', tag: 0, fields: [
        field('NodeId', 'int32', { versions: '10+', mapKey: true, entityType: 'brokerId' }),
        field('Host', 'string', { versions: '10+' }),
        field('Port', 'int32', { versions: '10+' }),
        field('Rack', 'string', { versions: '10+', nullableVersions: '10+', default: null }),
      ] }),
    ],
  }),
});

/** A decoded Produce request (every field present, defaults filled in). */
export type ProduceRequest = MessageData<typeof ProduceApi.request>;
/** A decoded Produce response. */
export type ProduceResponse = MessageData<typeof ProduceApi.response>;
/** What encodeRequest accepts for Produce: missing fields take their defaults. */
export type ProduceRequestInput = MessageInput<typeof ProduceApi.request>;
/** What encodeResponse accepts for Produce: missing fields take their defaults. */
export type ProduceResponseInput = MessageInput<typeof ProduceApi.response>;

// Nested structs, named as in Kafka's definitions.
export type TopicProduceData = ProduceRequest['topicData'][number];
export type PartitionProduceData = ProduceRequest['topicData'][number]['partitionData'][number];
export type TopicProduceResponse = ProduceResponse['responses'][number];
export type PartitionProduceResponse = ProduceResponse['responses'][number]['partitionResponses'][number];
export type BatchIndexAndErrorMessage = ProduceResponse['responses'][number]['partitionResponses'][number]['recordErrors'][number];
export type LeaderIdAndEpoch = ProduceResponse['responses'][number]['partitionResponses'][number]['currentLeader'];
export type NodeEndpoint = ProduceResponse['nodeEndpoints'][number];
