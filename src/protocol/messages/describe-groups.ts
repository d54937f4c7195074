// DescribeGroups (key 15), versions 0-5; flexible from v5.
// Request: v3 IncludeAuthorizedOperations; v4 responses carry GroupInstanceId.
// Response: v1 ThrottleTimeMs; v3 AuthorizedOperations; v4 GroupInstanceId. Member metadata and assignment
// are only filled in for a Stable group, and a Dead group lists no members.

import type { MessageData, MessageInput } from '../data-types';
import { defineApi, defineMessage, field } from '../definition';

/** DescribeGroups (api key 15): every version of the request and the response. */
export const DescribeGroupsApi = defineApi({
  apiKey: 15,
  name: 'DescribeGroups',
  request: defineMessage({
    name: 'DescribeGroupsRequest',
    type: 'request',
    listeners: ['zkBroker', 'broker'],
    validVersions: '0-5',
    flexibleVersions: '5+',
    fields: [
      field('Groups', '[]string', { versions: '0+', entityType: 'groupId' }),
      field('IncludeAuthorizedOperations', 'bool', { versions: '3+' }),
    ],
  }),
  response: defineMessage({
    name: 'DescribeGroupsResponse',
    type: 'response',
    validVersions: '0-5',
    flexibleVersions: '5+',
    fields: [
      field('ThrottleTimeMs', 'int32', { versions: '1+', ignorable: true }),
      field('Groups', '[]DescribedGroup', { versions: '0+', fields: [
        field('ErrorCode', 'int16', { versions: '0+' }),
        field('GroupId', 'string', { versions: '0+', entityType: 'groupId' }),
        field('GroupState', 'string', { versions: '0+' }),
        field('ProtocolType', 'string', { versions: '0+' }),
        // Filled in only for a Stable group; a Dead group lists no members.
        field('ProtocolData', 'string', { versions: '0+' }),
        field('Members', '[]DescribedGroupMember', { versions: '0+', fields: [
          field('MemberId', 'string', { versions: '0+' }),
          field('GroupInstanceId', 'string', {
            versions: '4+', nullableVersions: '4+', default: null, ignorable: true,
          }),
          field('ClientId', 'string', { versions: '0+' }),
          field('ClientHost', 'string', { versions: '0+' }),
          // Only provided while the group is Stable.
          field('MemberMetadata', 'bytes', { versions: '0+' }),
          // Only provided while the group is Stable.
          field('MemberAssignment', 'bytes', { versions: '0+' }),
        ] }),
        field('AuthorizedOperations', 'int32', { versions: '3+', default: -2147483648 }),
      ] }),
    ],
  }),
});

/** A decoded DescribeGroups request (every field present, defaults filled in). */
export type DescribeGroupsRequest = MessageData<typeof DescribeGroupsApi.request>;
/** A decoded DescribeGroups response. */
export type DescribeGroupsResponse = MessageData<typeof DescribeGroupsApi.response>;
/** What encodeRequest accepts for DescribeGroups: missing fields take their defaults. */
export type DescribeGroupsRequestInput = MessageInput<typeof DescribeGroupsApi.request>;
/** What encodeResponse accepts for DescribeGroups: missing fields take their defaults. */
export type DescribeGroupsResponseInput = MessageInput<typeof DescribeGroupsApi.response>;

// Nested structs, named as in Kafka's definitions.
export type DescribedGroup = DescribeGroupsResponse['groups'][number];
export type DescribedGroupMember = DescribeGroupsResponse['groups'][number]['members'][number];
