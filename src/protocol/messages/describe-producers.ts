// DescribeProducers (key 61), version 0, flexible (KIP-664): the active producers of partitions, as
// their leader's producer state holds them.

import type { MessageData, MessageInput } from '../data-types';
import { defineApi, defineMessage, field } from '../definition';

/** DescribeProducers (api key 61): every version of the request and the response. */
export const DescribeProducersApi = defineApi({
  apiKey: 61,
  name: 'DescribeProducers',
  request: defineMessage({
    name: 'DescribeProducersRequest',
    type: 'request',
    listeners: ['zkBroker', 'broker'],
    validVersions: '0',
    flexibleVersions: '0+',
    fields: [
      field('Topics', '[]TopicRequest', { versions: '0+', fields: [
        field('Name', 'string', { versions: '0+', entityType: 'topicName' }),
        field('PartitionIndexes', '[]int32', { versions: '0+' }),
      ] }),
    ],
  }),
  response: defineMessage({
    name: 'DescribeProducersResponse',
    type: 'response',
    validVersions: '0',
    flexibleVersions: '0+',
    fields: [
      field('ThrottleTimeMs', 'int32', { versions: '0+' }),
      field('Topics', '[]TopicResponse', { versions: '0+', fields: [
        field('Name', 'string', { versions: '0+', entityType: 'topicName' }),
        field('Partitions', '[]PartitionResponse', { versions: '0+', fields: [
          field('PartitionIndex', 'int32', { versions: '0+' }),
          field('ErrorCode', 'int16', { versions: '0+' }),
          field('ErrorMessage', 'string', { versions: '0+', nullableVersions: '0+', default: null }),
          field('ActiveProducers', '[]ProducerState', { versions: '0+', fields: [
            field('ProducerId', 'int64', { versions: '0+', entityType: 'producerId' }),
            field('ProducerEpoch', 'int32', { versions: '0+' }),
            field('LastSequence', 'int32', { versions: '0+', default: -1 }),
            field('LastTimestamp', 'int64', { versions: '0+', default: -1 }),
            field('CoordinatorEpoch', 'int32', { versions: '0+' }),
            field('CurrentTxnStartOffset', 'int64', { versions: '0+', default: -1 }),
          ] }),
        ] }),
      ] }),
    ],
  }),
});

/** A decoded DescribeProducers request (every field present, defaults filled in). */
export type DescribeProducersRequest = MessageData<typeof DescribeProducersApi.request>;
/** A decoded DescribeProducers response. */
export type DescribeProducersResponse = MessageData<typeof DescribeProducersApi.response>;
/** What encodeRequest accepts for DescribeProducers: missing fields take their defaults. */
export type DescribeProducersRequestInput = MessageInput<typeof DescribeProducersApi.request>;
/** What encodeResponse accepts for DescribeProducers: missing fields take their defaults. */
export type DescribeProducersResponseInput = MessageInput<typeof DescribeProducersApi.response>;
