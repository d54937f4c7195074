// DescribeConfigs (key 32), versions 0-4; flexible from v4; v0 deprecated (KIP-896).
// Request: v1 IncludeSynonyms; v3 IncludeDocumentation.
// Response: v1 replaces IsDefault by ConfigSource and adds synonyms; v3 ConfigType and Documentation.
// ConfigSource's -1 default is a placeholder: for v0 the caller derives it from the resource type.

import type { MessageData, MessageInput } from '../data-types';
import { defineApi, defineMessage, field } from '../definition';

/** DescribeConfigs (api key 32): every version of the request and the response. */
export const DescribeConfigsApi = defineApi({
  apiKey: 32,
  name: 'DescribeConfigs',
  request: defineMessage({
    name: 'DescribeConfigsRequest',
    type: 'request',
    listeners: ['zkBroker', 'broker', 'controller'],
    validVersions: '0-4',
    deprecatedVersions: '0',
    flexibleVersions: '4+',
    fields: [
      field('Resources', '[]DescribeConfigsResource', { versions: '0+', fields: [
        field('ResourceType', 'int8', { versions: '0+' }),
        field('ResourceName', 'string', { versions: '0+' }),
        field('ConfigurationKeys', '[]string', { versions: '0+', nullableVersions: '0+' }),
      ] }),
      field('IncludeSynonyms', 'bool', { versions: '1+', default: false }),
      field('IncludeDocumentation', 'bool', { versions: '3+', default: false }),
    ],
  }),
  response: defineMessage({
    name: 'DescribeConfigsResponse',
    type: 'response',
    validVersions: '0-4',
    flexibleVersions: '4+',
    fields: [
      field('ThrottleTimeMs', 'int32', { versions: '0+' }),
      field('Results', '[]DescribeConfigsResult', { versions: '0+', fields: [
        field('ErrorCode', 'int16', { versions: '0+' }),
        field('ErrorMessage', 'string', { versions: '0+', nullableVersions: '0+' }),
        field('ResourceType', 'int8', { versions: '0+' }),
        field('ResourceName', 'string', { versions: '0+' }),
        field('Configs', '[]DescribeConfigsResourceResult', { versions: '0+', fields: [
          field('Name', 'string', { versions: '0+' }),
          field('Value', 'string', { versions: '0+', nullableVersions: '0+' }),
          field('ReadOnly', 'bool', { versions: '0+' }),
          field('IsDefault', 'bool', { versions: '0' }),
          // For v0 the real source depends on the resource (4 for a broker); -1 is a placeholder.
          field('ConfigSource', 'int8', { versions: '1+', default: -1, ignorable: true }),
          field('IsSensitive', 'bool', { versions: '0+' }),
          field('Synonyms', '[]DescribeConfigsSynonym', { versions: '1+', ignorable: true, fields: [
            field('Name', 'string', { versions: '1+' }),
            field('Value', 'string', { versions: '1+', nullableVersions: '0+' }),
            field('Source', 'int8', { versions: '1+' }),
          ] }),
          field('ConfigType', 'int8', { versions: '3+', default: 0, ignorable: true }),
          field('Documentation', 'string', { versions: '3+', nullableVersions: '0+', ignorable: true }),
        ] }),
      ] }),
    ],
  }),
});

/** A decoded DescribeConfigs request (every field present, defaults filled in). */
export type DescribeConfigsRequest = MessageData<typeof DescribeConfigsApi.request>;
/** A decoded DescribeConfigs response. */
export type DescribeConfigsResponse = MessageData<typeof DescribeConfigsApi.response>;
/** What encodeRequest accepts for DescribeConfigs: missing fields take their defaults. */
export type DescribeConfigsRequestInput = MessageInput<typeof DescribeConfigsApi.request>;
/** What encodeResponse accepts for DescribeConfigs: missing fields take their defaults. */
export type DescribeConfigsResponseInput = MessageInput<typeof DescribeConfigsApi.response>;

// Nested structs, named as in Kafka's definitions.
export type DescribeConfigsResource = DescribeConfigsRequest['resources'][number];
export type DescribeConfigsResult = DescribeConfigsResponse['results'][number];
export type DescribeConfigsResourceResult = DescribeConfigsResponse['results'][number]['configs'][number];
export type DescribeConfigsSynonym = DescribeConfigsResponse['results'][number]['configs'][number]['synonyms'][number];
