/**
 * IncrementalAlterConfigs (key 44), versions 0-1 (flexible from v1, KIP-339): SET (0), DELETE (1),
 * APPEND (2) and SUBTRACT (3) on the stored overrides of TOPIC (2) and BROKER (4) resources; see
 * config/config-admin.ts for the checks and the ZooKeeper writes. Any broker serves it; a BROKER resource
 * must name this broker or be empty (the cluster default). A TOPIC resource whose name no topic can have is
 * INVALID_TOPIC_EXCEPTION without touching ZooKeeper.
 */
import { ApiKeys } from '../../protocol';
import { defineHandler } from '../api-handler';
import type { BrokerServices } from '../broker-services';
import { invalidTopicResource, withPrechecked } from './topic-name-checks';

export function incrementalAlterConfigsHandler(broker: BrokerServices) {
  return defineHandler({
    apiKey: ApiKeys.IncrementalAlterConfigs,
    minVersion: 0,
    maxVersion: 1,
    async handle(request) {
      const responses = await withPrechecked(request.resources, {
        precheck: invalidTopicResource,
        run: (resources) =>
          broker.adminManager.incrementalAlterConfigs(
            resources.map((r) => ({
              resourceType: r.resourceType,
              resourceName: r.resourceName,
              configs: r.configs.map((c) => ({ name: c.name, configOperation: c.configOperation, value: c.value })),
            })),
            { validateOnly: request.validateOnly },
          ),
      });
      return { throttleTimeMs: 0, responses };
    },
  });
}
