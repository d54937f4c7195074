/**
 * ListGroups (key 16), versions 0-5 (flexible from v3, states filter and group state from v4, types
 * filter and group type from v5): the groups this broker coordinates. Every group is a classic group.
 * COORDINATOR_LOAD_IN_PROGRESS while a `__consumer_offsets` partition is loading (the groups known so
 * far are still listed).
 */
import { ApiKeys } from '../../protocol';
import { CLASSIC_GROUP_TYPE } from '../../coordinator/group/group-coordinator';
import { defineHandler } from '../api-handler';
import type { GroupServices } from './group-handlers';

export function listGroupsHandler(services: GroupServices) {
  return defineHandler({
    apiKey: ApiKeys.ListGroups,
    minVersion: 0,
    maxVersion: 5,
    handle(request) {
      const result = services.groupCoordinator.handleListGroups(request.statesFilter, request.typesFilter);
      return {
        throttleTimeMs: 0,
        errorCode: result.error,
        groups: result.groups.map((g) => ({
          groupId: g.groupId,
          protocolType: g.protocolType,
          groupState: g.state,
          groupType: CLASSIC_GROUP_TYPE,
        })),
      };
    },
  });
}
