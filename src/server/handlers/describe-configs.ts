/**
 * DescribeConfigs (key 32), versions 0-4 (synonyms from v1, config types and documentation from v3,
 * flexible from v4) for TOPIC (2) and BROKER (4) resources; other resource types get INVALID_REQUEST. Topic
 * values come from /config/topics/<topic> over the broker defaults, with Kafka's sources and synonyms.
 */
import { ApiKeys } from '../../protocol';
import { defineHandler } from '../api-handler';
import type { BrokerServices } from '../broker-services';

/** DescribeConfigs ConfigSource.DEFAULT_CONFIG: reported as isDefault=true in v0. */
const CONFIG_SOURCE_DEFAULT = 5;

export function describeConfigsHandler(broker: BrokerServices) {
  return defineHandler({
    apiKey: ApiKeys.DescribeConfigs,
    minVersion: 0,
    maxVersion: 4,
    async handle(request, ctx) {
      const version = ctx.header.apiVersion;
      const results = await Promise.all(
        request.resources.map(async (r) => {
          const described = await broker.adminManager.describeConfigs({
            resourceType: r.resourceType,
            resourceName: r.resourceName,
            configurationKeys: r.configurationKeys,
            includeSynonyms: version >= 1 && request.includeSynonyms,
            includeDocumentation: version >= 3 && request.includeDocumentation,
          });
          return {
            errorCode: described.errorCode,
            errorMessage: described.errorMessage,
            resourceType: r.resourceType,
            resourceName: r.resourceName,
            configs: described.configs.map((c) => ({
              name: c.name,
              value: c.value,
              readOnly: c.readOnly,
              isDefault: version === 0 && c.source === CONFIG_SOURCE_DEFAULT,
              configSource: c.source,
              isSensitive: c.isSensitive,
              synonyms: c.synonyms,
              configType: c.configType,
              documentation: c.documentation,
            })),
          };
        }),
      );
      return { throttleTimeMs: 0, results };
    },
  });
}
