// InitProducerId (key 22), versions 0-5; flexible from v2.
// Request: v3 ProducerId and ProducerEpoch, so a producer can resume after INVALID_PRODUCER_EPOCH (KIP-360);
// v4 may return PRODUCER_FENCED; v5 TRANSACTION_ABORTABLE (KIP-890). TransactionalId null = idempotent only.

import type { MessageData, MessageInput } from '../data-types';
import { defineApi, defineMessage, field } from '../definition';

/** InitProducerId (api key 22): every version of the request and the response. */
export const InitProducerIdApi = defineApi({
  apiKey: 22,
  name: 'InitProducerId',
  request: defineMessage({
    name: 'InitProducerIdRequest',
    type: 'request',
    listeners: ['zkBroker', 'broker'],
    validVersions: '0-5',
    flexibleVersions: '2+',
    fields: [
      field('TransactionalId', 'string', { versions: '0+', nullableVersions: '0+', entityType: 'transactionalId' }),
      field('TransactionTimeoutMs', 'int32', { versions: '0+' }),
      field('ProducerId', 'int64', { versions: '3+', default: -1, entityType: 'producerId' }),
      field('ProducerEpoch', 'int16', { versions: '3+', default: -1 }),
    ],
  }),
  response: defineMessage({
    name: 'InitProducerIdResponse',
    type: 'response',
    validVersions: '0-5',
    flexibleVersions: '2+',
    fields: [
      field('ThrottleTimeMs', 'int32', { versions: '0+', ignorable: true }),
      field('ErrorCode', 'int16', { versions: '0+' }),
      field('ProducerId', 'int64', { versions: '0+', default: -1, entityType: 'producerId' }),
      field('ProducerEpoch', 'int16', { versions: '0+' }),
    ],
  }),
});

/** A decoded InitProducerId request (every field present, defaults filled in). */
export type InitProducerIdRequest = MessageData<typeof InitProducerIdApi.request>;
/** A decoded InitProducerId response. */
export type InitProducerIdResponse = MessageData<typeof InitProducerIdApi.response>;
/** What encodeRequest accepts for InitProducerId: missing fields take their defaults. */
export type InitProducerIdRequestInput = MessageInput<typeof InitProducerIdApi.request>;
/** What encodeResponse accepts for InitProducerId: missing fields take their defaults. */
export type InitProducerIdResponseInput = MessageInput<typeof InitProducerIdApi.response>;
