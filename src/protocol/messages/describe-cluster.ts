// DescribeCluster (key 60), versions 0-1, flexible (KIP-700).
// v1 adds EndpointType (KIP-919): 1 = brokers, 2 = controllers; MISMATCHED_ENDPOINT_TYPE and
// UNSUPPORTED_ENDPOINT_TYPE become possible top-level errors.

import type { MessageData, MessageInput } from '../data-types';
import { defineApi, defineMessage, field } from '../definition';

/** DescribeCluster (api key 60): every version of the request and the response. */
export const DescribeClusterApi = defineApi({
  apiKey: 60,
  name: 'DescribeCluster',
  request: defineMessage({
    name: 'DescribeClusterRequest',
    type: 'request',
    listeners: ['zkBroker', 'broker', 'controller'],
    validVersions: '0-1',
    flexibleVersions: '0+',
    fields: [
      field('IncludeClusterAuthorizedOperations', 'bool', { versions: '0+' }),
      field('EndpointType', 'int8', { versions: '1+', default: 1 }),
    ],
  }),
  response: defineMessage({
    name: 'DescribeClusterResponse',
    type: 'response',
    validVersions: '0-1',
    flexibleVersions: '0+',
    fields: [
      field('ThrottleTimeMs', 'int32', { versions: '0+' }),
      field('ErrorCode', 'int16', { versions: '0+' }),
      field('ErrorMessage', 'string', { versions: '0+', nullableVersions: '0+', default: null }),
      field('EndpointType', 'int8', { versions: '1+', default: 1 }),
      field('ClusterId', 'string', { versions: '0+' }),
      field('ControllerId', 'int32', { versions: '0+', default: -1, entityType: 'brokerId' }),
      field('Brokers', '[]DescribeClusterBroker', { versions: '0+', fields: [
        field('BrokerId', 'int32', { versions: '0+', mapKey: true, entityType: 'brokerId' }),
        field('Host', 'string', { versions: '0+' }),
        field('Port', 'int32', { versions: '0+' }),
        field('Rack', 'string', { versions: '0+', nullableVersions: '0+', default: null }),
      ] }),
      field('ClusterAuthorizedOperations', 'int32', { versions: '0+', default: -2147483648 }),
    ],
  }),
});

/** A decoded DescribeCluster request (every field present, defaults filled in). */
export type DescribeClusterRequest = MessageData<typeof DescribeClusterApi.request>;
/** A decoded DescribeCluster response. */
export type DescribeClusterResponse = MessageData<typeof DescribeClusterApi.response>;
/** What encodeRequest accepts for DescribeCluster: missing fields take their defaults. */
export type DescribeClusterRequestInput = MessageInput<typeof DescribeClusterApi.request>;
/** What encodeResponse accepts for DescribeCluster: missing fields take their defaults. */
export type DescribeClusterResponseInput = MessageInput<typeof DescribeClusterApi.response>;

// Nested structs, named as in Kafka's definitions.
export type DescribeClusterBroker = DescribeClusterResponse['brokers'][number];
