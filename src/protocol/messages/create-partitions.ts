// CreatePartitions (key 37), versions 0-3; flexible from v2. Served by the controller.
// Request/response: v1 equals v0 (throttled brokers answer before throttling); v3 may return
// THROTTLING_QUOTA_EXCEEDED (KIP-599).

import type { MessageData, MessageInput } from '../data-types';
import { defineApi, defineMessage, field } from '../definition';

/** CreatePartitions (api key 37): every version of the request and the response. */
export const CreatePartitionsApi = defineApi({
  apiKey: 37,
  name: 'CreatePartitions',
  request: defineMessage({
    name: 'CreatePartitionsRequest',
    type: 'request',
    listeners: ['zkBroker', 'broker', 'controller'],
    validVersions: '0-3',
    flexibleVersions: '2+',
    fields: [
      field('Topics', '[]CreatePartitionsTopic', { versions: '0+', fields: [
        field('Name', 'string', { versions: '0+', mapKey: true, entityType: 'topicName' }),
        field('Count', 'int32', { versions: '0+' }),
        field('Assignments', '[]CreatePartitionsAssignment', { versions: '0+', nullableVersions: '0+', fields: [
          field('BrokerIds', '[]int32', { versions: '0+', entityType: 'brokerId' }),
        ] }),
      ] }),
      field('TimeoutMs', 'int32', { versions: '0+' }),
      field('ValidateOnly', 'bool', { versions: '0+' }),
    ],
  }),
  response: defineMessage({
    name: 'CreatePartitionsResponse',
    type: 'response',
    validVersions: '0-3',
    flexibleVersions: '2+',
    fields: [
      field('ThrottleTimeMs', 'int32', { versions: '0+' }),
      field('Results', '[]CreatePartitionsTopicResult', { versions: '0+', fields: [
        field('Name', 'string', { versions: '0+', entityType: 'topicName' }),
        field('ErrorCode', 'int16', { versions: '0+' }),
        field('ErrorMessage', 'string', { versions: '0+', nullableVersions: '0+', default: null }),
      ] }),
    ],
  }),
});

/** A decoded CreatePartitions request (every field present, defaults filled in). */
export type CreatePartitionsRequest = MessageData<typeof CreatePartitionsApi.request>;
/** A decoded CreatePartitions response. */
export type CreatePartitionsResponse = MessageData<typeof CreatePartitionsApi.response>;
/** What encodeRequest accepts for CreatePartitions: missing fields take their defaults. */
export type CreatePartitionsRequestInput = MessageInput<typeof CreatePartitionsApi.request>;
/** What encodeResponse accepts for CreatePartitions: missing fields take their defaults. */
export type CreatePartitionsResponseInput = MessageInput<typeof CreatePartitionsApi.response>;

// Nested structs, named as in Kafka's definitions.
export type CreatePartitionsTopic = CreatePartitionsRequest['topics'][number];
export type CreatePartitionsAssignment = NonNullable<CreatePartitionsRequest['topics'][number]['assignments']>[number];
export type CreatePartitionsTopicResult = CreatePartitionsResponse['results'][number];
