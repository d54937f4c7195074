// DescribeLogDirs (key 35), versions 0-4; flexible from v2; v0 deprecated (KIP-896).
// Request: Topics null describes every log dir; v3-4 only change the response.
// Response: v3 top-level ErrorCode; v4 TotalBytes and UsableBytes (KIP-827). IsFutureKey marks the future
// replica of a partition being moved between log dirs.

import type { MessageData, MessageInput } from '../data-types';
import { defineApi, defineMessage, field } from '../definition';

/** DescribeLogDirs (api key 35): every version of the request and the response. */
export const DescribeLogDirsApi = defineApi({
  apiKey: 35,
  name: 'DescribeLogDirs',
  request: defineMessage({
    name: 'DescribeLogDirsRequest',
    type: 'request',
    listeners: ['zkBroker', 'broker'],
    validVersions: '0-4',
    deprecatedVersions: '0',
    flexibleVersions: '2+',
    fields: [
      field('Topics', '[]DescribableLogDirTopic', { versions: '0+', nullableVersions: '0+', fields: [
        field('Topic', 'string', { versions: '0+', mapKey: true, entityType: 'topicName' }),
        field('Partitions', '[]int32', { versions: '0+' }),
      ] }),
    ],
  }),
  response: defineMessage({
    name: 'DescribeLogDirsResponse',
    type: 'response',
    validVersions: '0-4',
    flexibleVersions: '2+',
    fields: [
      field('ThrottleTimeMs', 'int32', { versions: '0+' }),
      field('ErrorCode', 'int16', { versions: '3+', ignorable: true }),
      field('Results', '[]DescribeLogDirsResult', { versions: '0+', fields: [
        field('ErrorCode', 'int16', { versions: '0+' }),
        field('LogDir', 'string', { versions: '0+' }),
        field('Topics', '[]DescribeLogDirsTopic', { versions: '0+', fields: [
          field('Name', 'string', { versions: '0+', entityType: 'topicName' }),
          field('Partitions', '[]DescribeLogDirsPartition', { versions: '0+', fields: [
            field('PartitionIndex', 'int32', { versions: '0+' }),
            field('PartitionSize', 'int64', { versions: '0+' }),
            field('OffsetLag', 'int64', { versions: '0+' }),
            field('IsFutureKey', 'bool', { versions: '0+' }),
          ] }),
        ] }),
        field('TotalBytes', 'int64', { versions: '4+', default: -1, ignorable: true }),
        field('UsableBytes', 'int64', { versions: '4+', default: -1, ignorable: true }),
      ] }),
    ],
  }),
});

/** A decoded DescribeLogDirs request (every field present, defaults filled in). */
export type DescribeLogDirsRequest = MessageData<typeof DescribeLogDirsApi.request>;
/** A decoded DescribeLogDirs response. */
export type DescribeLogDirsResponse = MessageData<typeof DescribeLogDirsApi.response>;
/** What encodeRequest accepts for DescribeLogDirs: missing fields take their defaults. */
export type DescribeLogDirsRequestInput = MessageInput<typeof DescribeLogDirsApi.request>;
/** What encodeResponse accepts for DescribeLogDirs: missing fields take their defaults. */
export type DescribeLogDirsResponseInput = MessageInput<typeof DescribeLogDirsApi.response>;

// Nested structs, named as in Kafka's definitions.
export type DescribableLogDirTopic = NonNullable<DescribeLogDirsRequest['topics']>[number];
export type DescribeLogDirsResult = DescribeLogDirsResponse['results'][number];
export type DescribeLogDirsTopic = DescribeLogDirsResponse['results'][number]['topics'][number];
export type DescribeLogDirsPartition = DescribeLogDirsResponse['results'][number]['topics'][number]['partitions'][number];
