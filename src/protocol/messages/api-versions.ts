// ApiVersions (key 18), versions 0-4; flexible from v3.
// Request: v0-2 are identical; v3 adds ClientSoftwareName/ClientSoftwareVersion (KIP-511); v4 only lifts
// the ban on SupportedFeatures.MinVersion = 0 (KAFKA-17011).
// Response: v1 adds ThrottleTimeMs; from v2 a throttled broker answers first and throttles afterwards; v3
// adds the feature tagged fields. The response header is always v0 (KIP-511), so a client can read the
// reply to a version it guessed; on UNSUPPORTED_VERSION the ApiKeys list still carries ApiVersions' range.

import type { MessageData, MessageInput } from '../data-types';
import { defineApi, defineMessage, field } from '../definition';

/** ApiVersions (api key 18): every version of the request and the response. */
export const ApiVersionsApi = defineApi({
  apiKey: 18,
  name: 'ApiVersions',
  request: defineMessage({
    name: 'ApiVersionsRequest',
    type: 'request',
    listeners: ['zkBroker', 'broker', 'controller'],
    validVersions: '0-4',
    flexibleVersions: '3+',
    fields: [
      field('ClientSoftwareName', 'string', { versions: '3+', ignorable: true }),
      field('ClientSoftwareVersion', 'string', { versions: '3+', ignorable: true }),
    ],
  }),
  response: defineMessage({
    name: 'ApiVersionsResponse',
    type: 'response',
    validVersions: '0-4',
    flexibleVersions: '3+',
    fields: [
      field('ErrorCode', 'int16', { versions: '0+' }),
      // On UNSUPPORTED_VERSION this still holds ApiVersions' own range (KIP-511).
      field('ApiKeys', '[]ApiVersion', { versions: '0+', fields: [
        field('ApiKey', 'int16', { versions: '0+', mapKey: true }),
        field('MinVersion', 'int16', { versions: '0+' }),
        field('MaxVersion', 'int16', { versions: '0+' }),
      ] }),
      field('ThrottleTimeMs', 'int32', { versions: '1+', ignorable: true }),
      field('SupportedFeatures', '[]SupportedFeatureKey', {
        versions: '3+', taggedVersions: '3+', tag: 0, ignorable: true,
        fields: [
          field('Name', 'string', { versions: '3+', mapKey: true }),
          field('MinVersion', 'int16', { versions: '3+' }),
          field('MaxVersion', 'int16', { versions: '3+' }),
        ],
      }),
      field('FinalizedFeaturesEpoch', 'int64', {
        versions: '3+', taggedVersions: '3+', tag: 1, default: -1, ignorable: true,
      }),
      field('FinalizedFeatures', '[]FinalizedFeatureKey', {
        versions: '3+', taggedVersions: '3+', tag: 2, ignorable: true,
        fields: [
          field('Name', 'string', { versions: '3+', mapKey: true }),
          field('MaxVersionLevel', 'int16', { versions: '3+' }),
          field('MinVersionLevel', 'int16', { versions: '3+' }),
        ],
      }),
      field('ZkMigrationReady', 'bool', {
        versions: '3+', taggedVersions: '3+', tag: 3, default: false, ignorable: true,
      }),
    ],
  }),
});

/** A decoded ApiVersions request (every field present, defaults filled in). */
export type ApiVersionsRequest = MessageData<typeof ApiVersionsApi.request>;
/** A decoded ApiVersions response. */
export type ApiVersionsResponse = MessageData<typeof ApiVersionsApi.response>;
/** What encodeRequest accepts for ApiVersions: missing fields take their defaults. */
export type ApiVersionsRequestInput = MessageInput<typeof ApiVersionsApi.request>;
/** What encodeResponse accepts for ApiVersions: missing fields take their defaults. */
export type ApiVersionsResponseInput = MessageInput<typeof ApiVersionsApi.response>;

// Nested structs, named as in Kafka's definitions.
export type ApiVersion = ApiVersionsResponse['apiKeys'][number];
export type SupportedFeatureKey = ApiVersionsResponse['supportedFeatures'][number];
export type FinalizedFeatureKey = ApiVersionsResponse['finalizedFeatures'][number];
