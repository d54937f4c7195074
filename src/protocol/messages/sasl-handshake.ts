// SaslHandshake (key 17), versions 0-1, never flexible; v0 deprecated (KIP-896).
// v0 is followed by raw SASL tokens; v1 by SaslAuthenticate requests. The version cannot be bumped because
// clients up to 2.4 negotiate it incorrectly (KAFKA-9577).

import type { MessageData, MessageInput } from '../data-types';
import { defineApi, defineMessage, field } from '../definition';

/** SaslHandshake (api key 17): every version of the request and the response. */
export const SaslHandshakeApi = defineApi({
  apiKey: 17,
  name: 'SaslHandshake',
  request: defineMessage({
    name: 'SaslHandshakeRequest',
    type: 'request',
    listeners: ['zkBroker', 'broker', 'controller'],
    validVersions: '0-1',
    deprecatedVersions: '0',
    flexibleVersions: 'none',
    fields: [
      field('Mechanism', 'string', { versions: '0+' }),
    ],
  }),
  response: defineMessage({
    name: 'SaslHandshakeResponse',
    type: 'response',
    validVersions: '0-1',
    flexibleVersions: 'none',
    fields: [
      field('ErrorCode', 'int16', { versions: '0+' }),
      field('Mechanisms', '[]string', { versions: '0+' }),
    ],
  }),
});

/** A decoded SaslHandshake request (every field present, defaults filled in). */
export type SaslHandshakeRequest = MessageData<typeof SaslHandshakeApi.request>;
/** A decoded SaslHandshake response. */
export type SaslHandshakeResponse = MessageData<typeof SaslHandshakeApi.response>;
/** What encodeRequest accepts for SaslHandshake: missing fields take their defaults. */
export type SaslHandshakeRequestInput = MessageInput<typeof SaslHandshakeApi.request>;
/** What encodeResponse accepts for SaslHandshake: missing fields take their defaults. */
export type SaslHandshakeResponseInput = MessageInput<typeof SaslHandshakeApi.response>;
