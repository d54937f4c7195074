// AlterConfigs (key 33), versions 0-2; flexible from v2.
// v1 equals v0 (throttled brokers answer before throttling).

import type { MessageData, MessageInput } from '../data-types';
import { defineApi, defineMessage, field } from '../definition';

/** AlterConfigs (api key 33): every version of the request and the response. */
export const AlterConfigsApi = defineApi({
  apiKey: 33,
  name: 'AlterConfigs',
  request: defineMessage({
    name: 'AlterConfigsRequest',
    type: 'request',
    listeners: ['zkBroker', 'broker', 'controller'],
    validVersions: '0-2',
    flexibleVersions: '2+',
    fields: [
      field('Resources', '[]AlterConfigsResource', { versions: '0+', fields: [
        field('ResourceType', 'int8', { versions: '0+', mapKey: true }),
        field('ResourceName', 'string', { versions: '0+', mapKey: true }),
        field('Configs', '[]AlterableConfig', { versions: '0+', fields: [
          field('Name', 'string', { versions: '0+', mapKey: true }),
          field('Value', 'string', { versions: '0+', nullableVersions: '0+' }),
        ] }),
      ] }),
      field('ValidateOnly', 'bool', { versions: '0+' }),
    ],
  }),
  response: defineMessage({
    name: 'AlterConfigsResponse',
    type: 'response',
    validVersions: '0-2',
    flexibleVersions: '2+',
    fields: [
      field('ThrottleTimeMs', 'int32', { versions: '0+' }),
      field('Responses', '[]AlterConfigsResourceResponse', { versions: '0+', fields: [
        field('ErrorCode', 'int16', { versions: '0+' }),
        field('ErrorMessage', 'string', { versions: '0+', nullableVersions: '0+' }),
        field('ResourceType', 'int8', { versions: '0+' }),
        field('ResourceName', 'string', { versions: '0+' }),
      ] }),
    ],
  }),
});

/** A decoded AlterConfigs request (every field present, defaults filled in). */
export type AlterConfigsRequest = MessageData<typeof AlterConfigsApi.request>;
/** A decoded AlterConfigs response. */
export type AlterConfigsResponse = MessageData<typeof AlterConfigsApi.response>;
/** What encodeRequest accepts for AlterConfigs: missing fields take their defaults. */
export type AlterConfigsRequestInput = MessageInput<typeof AlterConfigsApi.request>;
/** What encodeResponse accepts for AlterConfigs: missing fields take their defaults. */
export type AlterConfigsResponseInput = MessageInput<typeof AlterConfigsApi.response>;

// Nested structs, named as in Kafka's definitions.
export type AlterConfigsResource = AlterConfigsRequest['resources'][number];
export type AlterableConfig = AlterConfigsRequest['resources'][number]['configs'][number];
export type AlterConfigsResourceResponse = AlterConfigsResponse['responses'][number];
