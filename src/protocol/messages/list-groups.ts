// ListGroups (key 16), versions 0-5; flexible from v3.
// Request: v4 StatesFilter (KIP-518); v5 TypesFilter (KIP-848).
// Response: v1 ThrottleTimeMs; v4 GroupState; v5 GroupType.

import type { MessageData, MessageInput } from '../data-types';
import { defineApi, defineMessage, field } from '../definition';

/** ListGroups (api key 16): every version of the request and the response. */
export const ListGroupsApi = defineApi({
  apiKey: 16,
  name: 'ListGroups',
  request: defineMessage({
    name: 'ListGroupsRequest',
    type: 'request',
    listeners: ['zkBroker', 'broker'],
    validVersions: '0-5',
    flexibleVersions: '3+',
    fields: [
      field('StatesFilter', '[]string', { versions: '4+' }),
      field('TypesFilter', '[]string', { versions: '5+' }),
    ],
  }),
  response: defineMessage({
    name: 'ListGroupsResponse',
    type: 'response',
    validVersions: '0-5',
    flexibleVersions: '3+',
    fields: [
      field('ThrottleTimeMs', 'int32', { versions: '1+', ignorable: true }),
      field('ErrorCode', 'int16', { versions: '0+' }),
      field('Groups', '[]ListedGroup', { versions: '0+', fields: [
        field('GroupId', 'string', { versions: '0+', entityType: 'groupId' }),
        field('ProtocolType', 'string', { versions: '0+' }),
        field('GroupState', 'string', { versions: '4+', ignorable: true }),
        field('GroupType', 'string', { versions: '5+', ignorable: true }),
      ] }),
    ],
  }),
});

/** A decoded ListGroups request (every field present, defaults filled in). */
export type ListGroupsRequest = MessageData<typeof ListGroupsApi.request>;
/** A decoded ListGroups response. */
export type ListGroupsResponse = MessageData<typeof ListGroupsApi.response>;
/** What encodeRequest accepts for ListGroups: missing fields take their defaults. */
export type ListGroupsRequestInput = MessageInput<typeof ListGroupsApi.request>;
/** What encodeResponse accepts for ListGroups: missing fields take their defaults. */
export type ListGroupsResponseInput = MessageInput<typeof ListGroupsApi.response>;

// Nested structs, named as in Kafka's definitions.
export type ListedGroup = ListGroupsResponse['groups'][number];
