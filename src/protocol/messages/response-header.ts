// ResponseHeader, versions 0-1; flexible from v1 (KIP-482).
// v0 is the correlation id alone; v1 adds a tagged-field section. A response uses v1 when its version is
// flexible, except ApiVersions, whose responses always use v0 (KIP-511).

import { defineMessage, field } from '../definition';

/** The response header definition. */
export const ResponseHeaderDefinition = defineMessage({
  name: 'ResponseHeader',
  type: 'header',
  validVersions: '0-1',
  flexibleVersions: '1+',
  fields: [field('CorrelationId', 'int32', { versions: '0+' })],
});
