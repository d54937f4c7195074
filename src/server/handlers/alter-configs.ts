/**
 * AlterConfigs (key 33), versions 0-2 (v1 equals v0; flexible from v2): the legacy whole-resource config
 * update for TOPIC (2) and BROKER (4) resources. Each resource's overrides become exactly the configs
 * given; see config/config-admin.ts for the checks and the ZooKeeper writes. Any broker serves it; a
 * BROKER resource must name this broker or be empty (the cluster default).
 */
import { ApiKeys } from '../../protocol';
import { defineHandler } from '../api-handler';
import type { BrokerServices } from '../broker-services';
import { invalidTopicResource, withPrechecked } from './topic-name-checks';

export function alterConfigsHandler(broker: BrokerServices) {
  return defineHandler({
    apiKey: ApiKeys.AlterConfigs,
    minVersion: 0,
    maxVersion: 2,
    async handle(request) {
      const responses = await withPrechecked(request.resources, {
        precheck: invalidTopicResource,
        run: (resources) =>
          broker.adminManager.alterConfigs(
            resources.map((r) => ({
              resourceType: r.resourceType,
              resourceName: r.resourceName,
              configs: r.configs.map((c) => ({ name: c.name, value: c.value })),
            })),
            { validateOnly: request.validateOnly },
          ),
      });
      return { throttleTimeMs: 0, responses };
    },
  });
}
