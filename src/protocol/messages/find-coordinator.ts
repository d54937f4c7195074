// FindCoordinator (key 10), versions 0-6; flexible from v3; v0 deprecated (KIP-896).
// Request: v1 KeyType (0 group, 1 transaction); v4 batches keys in CoordinatorKeys (KIP-699), replacing Key;
// v5 allows TRANSACTION_ABORTABLE (KIP-890); v6 key type 2 = share group (KIP-932).
// Response: v1 ThrottleTimeMs and ErrorMessage; v4 one Coordinators entry per key instead of top-level
// fields.

import type { MessageData, MessageInput } from '../data-types';
import { defineApi, defineMessage, field } from '../definition';

/** FindCoordinator (api key 10): every version of the request and the response. */
export const FindCoordinatorApi = defineApi({
  apiKey: 10,
  name: 'FindCoordinator',
  request: defineMessage({
    name: 'FindCoordinatorRequest',
    type: 'request',
    listeners: ['zkBroker', 'broker'],
    validVersions: '0-6',
    deprecatedVersions: '0',
    flexibleVersions: '3+',
    fields: [
      field('Key', 'string', { versions: '0-3' }),
      field('KeyType', 'int8', { versions: '1+', default: 0 }),
      field('CoordinatorKeys', '[]string', { versions: '4+' }),
    ],
  }),
  response: defineMessage({
    name: 'FindCoordinatorResponse',
    type: 'response',
    validVersions: '0-6',
    flexibleVersions: '3+',
    fields: [
      field('ThrottleTimeMs', 'int32', { versions: '1+', ignorable: true }),
      field('ErrorCode', 'int16', { versions: '0-3' }),
      field('ErrorMessage', 'string', { versions: '1-3', nullableVersions: '1-3', ignorable: true }),
      field('NodeId', 'int32', { versions: '0-3', entityType: 'brokerId' }),
      field('Host', 'string', { versions: '0-3' }),
      field('Port', 'int32', { versions: '0-3' }),
      field('Coordinators', '[]Coordinator', { versions: '4+', fields: [
        field('Key', 'string', { versions: '4+' }),
        field('NodeId', 'int32', { versions: '4+', entityType: 'brokerId' }),
        field('Host', 'string', { versions: '4+' }),
        field('Port', 'int32', { versions: '4+' }),
        field('ErrorCode', 'int16', { versions: '4+' }),
        field('ErrorMessage', 'string', { versions: '4+', nullableVersions: '4+', ignorable: true }),
      ] }),
    ],
  }),
});

/** A decoded FindCoordinator request (every field present, defaults filled in). */
export type FindCoordinatorRequest = MessageData<typeof FindCoordinatorApi.request>;
/** A decoded FindCoordinator response. */
export type FindCoordinatorResponse = MessageData<typeof FindCoordinatorApi.response>;
/** What encodeRequest accepts for FindCoordinator: missing fields take their defaults. */
export type FindCoordinatorRequestInput = MessageInput<typeof FindCoordinatorApi.request>;
/** What encodeResponse accepts for FindCoordinator: missing fields take their defaults. */
export type FindCoordinatorResponseInput = MessageInput<typeof FindCoordinatorApi.response>;

// Nested structs, named as in Kafka's definitions.
export type Coordinator = FindCoordinatorResponse['coordinators'][number];
