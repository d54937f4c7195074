// DeleteGroups (key 42), versions 0-2; flexible from v2; v0 deprecated (KIP-896).
// v1 equals v0 (throttled brokers answer before throttling).

import type { MessageData, MessageInput } from '../data-types';
import { defineApi, defineMessage, field } from '../definition';

/** DeleteGroups (api key 42): every version of the request and the response. */
export const DeleteGroupsApi = defineApi({
  apiKey: 42,
  name: 'DeleteGroups',
  request: defineMessage({
    name: 'DeleteGroupsRequest',
    type: 'request',
    listeners: ['zkBroker', 'broker'],
    validVersions: '0-2',
    deprecatedVersions: '0',
    flexibleVersions: '2+',
    fields: [
      field('GroupsNames', '[]string', { versions: '0+', entityType: 'groupId' }),
    ],
  }),
  response: defineMessage({
    name: 'DeleteGroupsResponse',
    type: 'response',
    validVersions: '0-2',
    flexibleVersions: '2+',
    fields: [
      field('ThrottleTimeMs', 'int32', { versions: '0+' }),
      field('Results', '[]DeletableGroupResult', { versions: '0+', fields: [
        field('GroupId', 'string', { versions: '0+', mapKey: true, entityType: 'groupId' }),
        field('ErrorCode', 'int16', { versions: '0+' }),
      ] }),
    ],
  }),
});

/** A decoded DeleteGroups request (every field present, defaults filled in). */
export type DeleteGroupsRequest = MessageData<typeof DeleteGroupsApi.request>;
/** A decoded DeleteGroups response. */
export type DeleteGroupsResponse = MessageData<typeof DeleteGroupsApi.response>;
/** What encodeRequest accepts for DeleteGroups: missing fields take their defaults. */
export type DeleteGroupsRequestInput = MessageInput<typeof DeleteGroupsApi.request>;
/** What encodeResponse accepts for DeleteGroups: missing fields take their defaults. */
export type DeleteGroupsResponseInput = MessageInput<typeof DeleteGroupsApi.response>;

// Nested structs, named as in Kafka's definitions.
export type DeletableGroupResult = DeleteGroupsResponse['results'][number];
