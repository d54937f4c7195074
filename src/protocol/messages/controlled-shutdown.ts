// ControlledShutdown (key 7), versions 0-3; flexible from v3. Broker-to-controller.
// Request: v0 uses request header v0 (no client id); v1 equals v0; v2 adds BrokerEpoch.
// Response: unchanged across versions.

import type { MessageData, MessageInput } from '../data-types';
import { defineApi, defineMessage, field } from '../definition';

/** ControlledShutdown (api key 7): every version of the request and the response. */
export const ControlledShutdownApi = defineApi({
  apiKey: 7,
  name: 'ControlledShutdown',
  request: defineMessage({
    name: 'ControlledShutdownRequest',
    type: 'request',
    listeners: ['zkBroker', 'controller'],
    validVersions: '0-3',
    flexibleVersions: '3+',
    fields: [
      field('BrokerId', 'int32', { versions: '0+', entityType: 'brokerId' }),
      field('BrokerEpoch', 'int64', { versions: '2+', default: -1, ignorable: true }),
    ],
  }),
  response: defineMessage({
    name: 'ControlledShutdownResponse',
    type: 'response',
    validVersions: '0-3',
    flexibleVersions: '3+',
    fields: [
      field('ErrorCode', 'int16', { versions: '0+' }),
      field('RemainingPartitions', '[]RemainingPartition', { versions: '0+', fields: [
        field('TopicName', 'string', { versions: '0+', mapKey: true, entityType: 'topicName' }),
        field('PartitionIndex', 'int32', { versions: '0+', mapKey: true }),
      ] }),
    ],
  }),
});

/** A decoded ControlledShutdown request (every field present, defaults filled in). */
export type ControlledShutdownRequest = MessageData<typeof ControlledShutdownApi.request>;
/** A decoded ControlledShutdown response. */
export type ControlledShutdownResponse = MessageData<typeof ControlledShutdownApi.response>;
/** What encodeRequest accepts for ControlledShutdown: missing fields take their defaults. */
export type ControlledShutdownRequestInput = MessageInput<typeof ControlledShutdownApi.request>;
/** What encodeResponse accepts for ControlledShutdown: missing fields take their defaults. */
export type ControlledShutdownResponseInput = MessageInput<typeof ControlledShutdownApi.response>;

// Nested structs, named as in Kafka's definitions.
export type RemainingPartition = ControlledShutdownResponse['remainingPartitions'][number];
