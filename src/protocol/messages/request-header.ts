// RequestHeader, versions 0-2; flexible from v2 (KIP-482).
// v0 (api key, api version, correlation id) is used only by ControlledShutdown v0; v1 adds ClientId; v2 adds
// a tagged-field section. ClientId keeps its int16 length even in v2 (flexibleVersions "none"): a broker must
// be able to read the header of an ApiVersions request of any future version, so the header's layout up to
// the client id can never change.

import { defineMessage, field } from '../definition';

/** The request header definition. */
export const RequestHeaderDefinition = defineMessage({
  name: 'RequestHeader',
  type: 'header',
  validVersions: '0-2',
  flexibleVersions: '2+',
  fields: [
    field('RequestApiKey', 'int16', { versions: '0+' }),
    field('RequestApiVersion', 'int16', { versions: '0+' }),
    field('CorrelationId', 'int32', { versions: '0+' }),
    field('ClientId', 'string', {
      versions: '1+', nullableVersions: '1+', ignorable: true, flexibleVersions: 'none',
    }),
  ],
});
