// IncrementalAlterConfigs (key 44), versions 0-1; flexible from v1 (KIP-339).
// ConfigOperation: 0 SET, 1 DELETE, 2 APPEND, 3 SUBTRACT.

import type { MessageData, MessageInput } from '../data-types';
import { defineApi, defineMessage, field } from '../definition';

/** IncrementalAlterConfigs (api key 44): every version of the request and the response. */
export const IncrementalAlterConfigsApi = defineApi({
  apiKey: 44,
  name: 'IncrementalAlterConfigs',
  request: defineMessage({
    name: 'IncrementalAlterConfigsRequest',
    type: 'request',
    listeners: ['zkBroker', 'broker', 'controller'],
    validVersions: '0-1',
    flexibleVersions: '1+',
    fields: [
      field('Resources', '[]AlterConfigsResource', { versions: '0+', fields: [
        field('ResourceType', 'int8', { versions: '0+', mapKey: true }),
        field('ResourceName', 'string', { versions: '0+', mapKey: true }),
        field('Configs', '[]AlterableConfig', { versions: '0+', fields: [
          field('Name', 'string', { versions: '0+', mapKey: true }),
          field('ConfigOperation', 'int8', { versions: '0+', mapKey: true }),
          field('Value', 'string', { versions: '0+', nullableVersions: '0+' }),
        ] }),
      ] }),
      field('ValidateOnly', 'bool', { versions: '0+' }),
    ],
  }),
  response: defineMessage({
    name: 'IncrementalAlterConfigsResponse',
    type: 'response',
    validVersions: '0-1',
    flexibleVersions: '1+',
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

/** A decoded IncrementalAlterConfigs request (every field present, defaults filled in). */
export type IncrementalAlterConfigsRequest = MessageData<typeof IncrementalAlterConfigsApi.request>;
/** A decoded IncrementalAlterConfigs response. */
export type IncrementalAlterConfigsResponse = MessageData<typeof IncrementalAlterConfigsApi.response>;
/** What encodeRequest accepts for IncrementalAlterConfigs: missing fields take their defaults. */
export type IncrementalAlterConfigsRequestInput = MessageInput<typeof IncrementalAlterConfigsApi.request>;
/** What encodeResponse accepts for IncrementalAlterConfigs: missing fields take their defaults. */
export type IncrementalAlterConfigsResponseInput = MessageInput<typeof IncrementalAlterConfigsApi.response>;

// Nested structs, named as in Kafka's definitions.
export type AlterConfigsResource = IncrementalAlterConfigsRequest['resources'][number];
export type AlterableConfig = IncrementalAlterConfigsRequest['resources'][number]['configs'][number];
export type AlterConfigsResourceResponse = IncrementalAlterConfigsResponse['responses'][number];
