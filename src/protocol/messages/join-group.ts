// JoinGroup (key 11), versions 0-9; flexible from v6; v0-1 deprecated (KIP-896).
// Request: v1 RebalanceTimeoutMs (when absent, SessionTimeoutMs is used: -1 is only a placeholder); from v4
// a new member must join again with the member id the broker assigned (MEMBER_ID_REQUIRED); v5
// GroupInstanceId for static membership (KIP-345); v8 Reason (KIP-800).
// Response: v2 ThrottleTimeMs; v5 members' GroupInstanceId; v7 ProtocolType (KIP-559); v9 SkipAssignment.

import type { MessageData, MessageInput } from '../data-types';
import { defineApi, defineMessage, field } from '../definition';

/** JoinGroup (api key 11): every version of the request and the response. */
export const JoinGroupApi = defineApi({
  apiKey: 11,
  name: 'JoinGroup',
  request: defineMessage({
    name: 'JoinGroupRequest',
    type: 'request',
    listeners: ['zkBroker', 'broker'],
    validVersions: '0-9',
    deprecatedVersions: '0-1',
    flexibleVersions: '6+',
    fields: [
      field('GroupId', 'string', { versions: '0+', entityType: 'groupId' }),
      field('SessionTimeoutMs', 'int32', { versions: '0+' }),
      // v0 has no rebalance timeout: SessionTimeoutMs applies, -1 is only a placeholder.
      field('RebalanceTimeoutMs', 'int32', { versions: '1+', default: -1, ignorable: true }),
      field('MemberId', 'string', { versions: '0+' }),
      field('GroupInstanceId', 'string', { versions: '5+', nullableVersions: '5+', default: null }),
      field('ProtocolType', 'string', { versions: '0+' }),
      field('Protocols', '[]JoinGroupRequestProtocol', { versions: '0+', fields: [
        field('Name', 'string', { versions: '0+', mapKey: true }),
        field('Metadata', 'bytes', { versions: '0+' }),
      ] }),
      field('Reason', 'string', { versions: '8+', nullableVersions: '8+', default: null, ignorable: true }),
    ],
  }),
  response: defineMessage({
    name: 'JoinGroupResponse',
    type: 'response',
    validVersions: '0-9',
    flexibleVersions: '6+',
    fields: [
      field('ThrottleTimeMs', 'int32', { versions: '2+', ignorable: true }),
      field('ErrorCode', 'int16', { versions: '0+' }),
      field('GenerationId', 'int32', { versions: '0+', default: -1 }),
      field('ProtocolType', 'string', { versions: '7+', nullableVersions: '7+', default: null, ignorable: true }),
      field('ProtocolName', 'string', { versions: '0+', nullableVersions: '7+' }),
      field('Leader', 'string', { versions: '0+' }),
      field('SkipAssignment', 'bool', { versions: '9+', default: false }),
      field('MemberId', 'string', { versions: '0+' }),
      field('Members', '[]JoinGroupResponseMember', { versions: '0+', fields: [
        field('MemberId', 'string', { versions: '0+' }),
        field('GroupInstanceId', 'string', { versions: '5+', nullableVersions: '5+', default: null, ignorable: true }),
        field('Metadata', 'bytes', { versions: '0+' }),
      ] }),
    ],
  }),
});

/** A decoded JoinGroup request (every field present, defaults filled in). */
export type JoinGroupRequest = MessageData<typeof JoinGroupApi.request>;
/** A decoded JoinGroup response. */
export type JoinGroupResponse = MessageData<typeof JoinGroupApi.response>;
/** What encodeRequest accepts for JoinGroup: missing fields take their defaults. */
export type JoinGroupRequestInput = MessageInput<typeof JoinGroupApi.request>;
/** What encodeResponse accepts for JoinGroup: missing fields take their defaults. */
export type JoinGroupResponseInput = MessageInput<typeof JoinGroupApi.response>;

// Nested structs, named as in Kafka's definitions.
export type JoinGroupRequestProtocol = JoinGroupRequest['protocols'][number];
export type JoinGroupResponseMember = JoinGroupResponse['members'][number];
