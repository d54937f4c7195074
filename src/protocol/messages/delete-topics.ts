// DeleteTopics (key 20), versions 0-6; flexible from v4; v0 deprecated (KIP-896). Served by
// the controller.
// Request: v0-3 are identical; v5 may be throttled (KIP-599); v6 replaces TopicNames by Topics that may
// name a topic by id (KIP-516).
// Response: v1 ThrottleTimeMs; v3 may return TOPIC_DELETION_DISABLED; v5 ErrorMessage; v6 TopicId and
// nullable names.

import type { MessageData, MessageInput } from '../data-types';
import { defineApi, defineMessage, field } from '../definition';

/** DeleteTopics (api key 20): every version of the request and the response. */
export const DeleteTopicsApi = defineApi({
  apiKey: 20,
  name: 'DeleteTopics',
  request: defineMessage({
    name: 'DeleteTopicsRequest',
    type: 'request',
    listeners: ['zkBroker', 'broker', 'controller'],
    validVersions: '0-6',
    deprecatedVersions: '0',
    flexibleVersions: '4+',
    fields: [
      field('Topics', '[]DeleteTopicState', { versions: '6+', fields: [
        field('Name', 'string', { versions: '6+', nullableVersions: '6+', default: null, entityType: 'topicName' }),
        field('TopicId', 'uuid', { versions: '6+' }),
      ] }),
      field('TopicNames', '[]string', { versions: '0-5', ignorable: true, entityType: 'topicName' }),
      field('TimeoutMs', 'int32', { versions: '0+' }),
    ],
  }),
  response: defineMessage({
    name: 'DeleteTopicsResponse',
    type: 'response',
    validVersions: '0-6',
    flexibleVersions: '4+',
    fields: [
      field('ThrottleTimeMs', 'int32', { versions: '1+', ignorable: true }),
      field('Responses', '[]DeletableTopicResult', { versions: '0+', fields: [
        field('Name', 'string', { versions: '0+', nullableVersions: '6+', mapKey: true, entityType: 'topicName' }),
        field('TopicId', 'uuid', { versions: '6+', ignorable: true }),
        field('ErrorCode', 'int16', { versions: '0+' }),
        field('ErrorMessage', 'string', { versions: '5+', nullableVersions: '5+', default: null, ignorable: true }),
      ] }),
    ],
  }),
});

/** A decoded DeleteTopics request (every field present, defaults filled in). */
export type DeleteTopicsRequest = MessageData<typeof DeleteTopicsApi.request>;
/** A decoded DeleteTopics response. */
export type DeleteTopicsResponse = MessageData<typeof DeleteTopicsApi.response>;
/** What encodeRequest accepts for DeleteTopics: missing fields take their defaults. */
export type DeleteTopicsRequestInput = MessageInput<typeof DeleteTopicsApi.request>;
/** What encodeResponse accepts for DeleteTopics: missing fields take their defaults. */
export type DeleteTopicsResponseInput = MessageInput<typeof DeleteTopicsApi.response>;

// Nested structs, named as in Kafka's definitions.
export type DeleteTopicState = DeleteTopicsRequest['topics'][number];
export type DeletableTopicResult = DeleteTopicsResponse['responses'][number];
