// LeaveGroup (key 13), versions 0-5; flexible from v4.
// Request: v3 replaces MemberId by a batch of Members with GroupInstanceId (KIP-345); v5 per-member Reason
// (KIP-800).
// Response: v1 ThrottleTimeMs; v3 per-member results.

import type { MessageData, MessageInput } from '../data-types';
import { defineApi, defineMessage, field } from '../definition';

/** LeaveGroup (api key 13): every version of the request and the response. */
export const LeaveGroupApi = defineApi({
  apiKey: 13,
  name: 'LeaveGroup',
  request: defineMessage({
    name: 'LeaveGroupRequest',
    type: 'request',
    listeners: ['zkBroker', 'broker'],
    validVersions: '0-5',
    flexibleVersions: '4+',
    fields: [
      field('GroupId', 'string', { versions: '0+', entityType: 'groupId' }),
      field('MemberId', 'string', { versions: '0-2' }),
      field('Members', '[]MemberIdentity', { versions: '3+', fields: [
        field('MemberId', 'string', { versions: '3+' }),
        field('GroupInstanceId', 'string', { versions: '3+', nullableVersions: '3+', default: null }),
        field('Reason', 'string', { versions: '5+', nullableVersions: '5+', default: null, ignorable: true }),
      ] }),
    ],
  }),
  response: defineMessage({
    name: 'LeaveGroupResponse',
    type: 'response',
    validVersions: '0-5',
    flexibleVersions: '4+',
    fields: [
      field('ThrottleTimeMs', 'int32', { versions: '1+', ignorable: true }),
      field('ErrorCode', 'int16', { versions: '0+' }),
      field('Members', '[]MemberResponse', { versions: '3+', fields: [
        field('MemberId', 'string', { versions: '3+' }),
        field('GroupInstanceId', 'string', { versions: '3+', nullableVersions: '3+' }),
        field('ErrorCode', 'int16', { versions: '3+' }),
      ] }),
    ],
  }),
});

/** A decoded LeaveGroup request (every field present, defaults filled in). */
export type LeaveGroupRequest = MessageData<typeof LeaveGroupApi.request>;
/** A decoded LeaveGroup response. */
export type LeaveGroupResponse = MessageData<typeof LeaveGroupApi.response>;
/** What encodeRequest accepts for LeaveGroup: missing fields take their defaults. */
export type LeaveGroupRequestInput = MessageInput<typeof LeaveGroupApi.request>;
/** What encodeResponse accepts for LeaveGroup: missing fields take their defaults. */
export type LeaveGroupResponseInput = MessageInput<typeof LeaveGroupApi.response>;

// Nested structs, named as in Kafka's definitions.
export type MemberIdentity = LeaveGroupRequest['members'][number];
export type MemberResponse = LeaveGroupResponse['members'][number];
