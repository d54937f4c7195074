// Heartbeat (key 12), versions 0-4; flexible from v4.
// Request: v3 GroupInstanceId (KIP-345). Response: v1 ThrottleTimeMs.

import type { MessageData, MessageInput } from '../data-types';
import { defineApi, defineMessage, field } from '../definition';

/** Heartbeat (api key 12): every version of the request and the response. */
export const HeartbeatApi = defineApi({
  apiKey: 12,
  name: 'Heartbeat',
  request: defineMessage({
    name: 'HeartbeatRequest',
    type: 'request',
    listeners: ['zkBroker', 'broker'],
    validVersions: '0-4',
    flexibleVersions: '4+',
    fields: [
      field('GroupId', 'string', { versions: '0+', entityType: 'groupId' }),
      field('GenerationId', 'int32', { versions: '0+' }),
      field('MemberId', 'string', { versions: '0+' }),
      field('GroupInstanceId', 'string', { versions: '3+', nullableVersions: '3+', default: null }),
    ],
  }),
  response: defineMessage({
    name: 'HeartbeatResponse',
    type: 'response',
    validVersions: '0-4',
    flexibleVersions: '4+',
    fields: [
      field('ThrottleTimeMs', 'int32', { versions: '1+', ignorable: true }),
      field('ErrorCode', 'int16', { versions: '0+' }),
    ],
  }),
});

/** A decoded Heartbeat request (every field present, defaults filled in). */
export type HeartbeatRequest = MessageData<typeof HeartbeatApi.request>;
/** A decoded Heartbeat response. */
export type HeartbeatResponse = MessageData<typeof HeartbeatApi.response>;
/** What encodeRequest accepts for Heartbeat: missing fields take their defaults. */
export type HeartbeatRequestInput = MessageInput<typeof HeartbeatApi.request>;
/** What encodeResponse accepts for Heartbeat: missing fields take their defaults. */
export type HeartbeatResponseInput = MessageInput<typeof HeartbeatApi.response>;
