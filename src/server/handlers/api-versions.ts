/**
 * ApiVersions (key 18), versions 0-4 (KIP-511 client software name/version in v3+, flexible from v3).
 *
 * The list comes from the handlers' own version declarations. A ZooKeeper-mode broker reports no supported
 * or finalized features and the /feature znode's data version as FinalizedFeaturesEpoch. A v3+ request
 * whose client software name or version is not a valid identifier gets INVALID_REQUEST.
 */
import { ApiKeys, ErrorCode } from '../../protocol';
import { defineHandler } from '../api-handler';
import type { BrokerServices } from '../broker-services';

const SOFTWARE_PATTERN = /^[a-zA-Z0-9](?:[a-zA-Z0-9\-.]*[a-zA-Z0-9])?$/;

export function apiVersionsHandler(broker: BrokerServices) {
  return defineHandler({
    apiKey: ApiKeys.ApiVersions,
    minVersion: 0,
    maxVersion: 4,
    handle(request, ctx) {
      const apiKeys = broker.apiVersions();
      if (
        ctx.header.apiVersion >= 3 &&
        (!SOFTWARE_PATTERN.test(request.clientSoftwareName) || !SOFTWARE_PATTERN.test(request.clientSoftwareVersion))
      ) {
        return { errorCode: ErrorCode.INVALID_REQUEST, apiKeys, throttleTimeMs: 0 };
      }
      return {
        errorCode: ErrorCode.NONE,
        apiKeys,
        throttleTimeMs: 0,
        supportedFeatures: [],
        finalizedFeaturesEpoch: broker.finalizedFeaturesEpoch(),
        finalizedFeatures: [],
        zkMigrationReady: false,
      };
    },
  });
}
