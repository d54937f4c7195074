// SyncGroup (key 14), versions 0-5; flexible from v4.
// Request: v3 GroupInstanceId; v5 ProtocolType and ProtocolName, which the broker checks against the
// group's (KIP-559).
// Response: v1 ThrottleTimeMs; v5 ProtocolType and ProtocolName.

import type { MessageData, MessageInput } from '../data-types';
import { defineApi, defineMessage, field } from '../definition';

/** SyncGroup (api key 14): every version of the request and the response. */
export const SyncGroupApi = defineApi({
  apiKey: 14,
  name: 'SyncGroup',
  request: defineMessage({
    name: 'SyncGroupRequest',
    type: 'request',
    listeners: ['zkBroker', 'broker'],
    validVersions: '0-5',
    flexibleVersions: '4+',
    fields: [
      field('GroupId', 'string', { versions: '0+', entityType: 'groupId' }),
      field('GenerationId', 'int32', { versions: '0+' }),
      field('MemberId', 'string', { versions: '0+' }),
      field('GroupInstanceId', 'string', { versions: '3+', nullableVersions: '3+', default: null }),
      field('ProtocolType', 'string', { versions: '5+', nullableVersions: '5+', default: null, ignorable: true }),
      field('ProtocolName', 'string', { versions: '5+', nullableVersions: '5+', default: null, ignorable: true }),
      field('Assignments', '[]SyncGroupRequestAssignment', { versions: '0+', fields: [
        field('MemberId', 'string', { versions: '0+' }),
        field('Assignment', 'bytes', { versions: '0+' }),
      ] }),
    ],
  }),
  response: defineMessage({
    name: 'SyncGroupResponse',
    type: 'response',
    validVersions: '0-5',
    flexibleVersions: '4+',
    fields: [
      field('ThrottleTimeMs', 'int32', { versions: '1+', ignorable: true }),
      field('ErrorCode', 'int16', { versions: '0+' }),
      field('ProtocolType', 'string', { versions: '5+', nullableVersions: '5+', default: null, ignorable: true }),
      field('ProtocolName', 'string', { versions: '5+', nullableVersions: '5+', default: null, ignorable: true }),
      field('Assignment', 'bytes', { versions: '0+' }),
    ],
  }),
});

/** A decoded SyncGroup request (every field present, defaults filled in). */
export type SyncGroupRequest = MessageData<typeof SyncGroupApi.request>;
/** A decoded SyncGroup response. */
export type SyncGroupResponse = MessageData<typeof SyncGroupApi.response>;
/** What encodeRequest accepts for SyncGroup: missing fields take their defaults. */
export type SyncGroupRequestInput = MessageInput<typeof SyncGroupApi.request>;
/** What encodeResponse accepts for SyncGroup: missing fields take their defaults. */
export type SyncGroupResponseInput = MessageInput<typeof SyncGroupApi.response>;

// Nested structs, named as in Kafka's definitions.
export type SyncGroupRequestAssignment = SyncGroupRequest['assignments'][number];
