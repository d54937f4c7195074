// A BrokerServices for handler unit tests: the parts a test names, everything else absent (a handler that
// reaches for a service the test did not give fails with a TypeError instead of silently passing).
import type { BrokerServices } from '../../../src/server/broker-services';
import type { RequestContext } from '../../../src/server/api-handler';

/** BrokerServices with only `parts` present. */
export function brokerWith(parts: Record<string, unknown>): BrokerServices {
  return parts as unknown as BrokerServices;
}

/** A request context for api version `apiVersion`. */
export function contextFor(apiKey: number, apiVersion: number): RequestContext {
  return {
    header: { apiKey, apiVersion, correlationId: 1, clientId: 'test' },
    channel: undefined as never,
    listenerName: 'PLAINTEXT',
  };
}
