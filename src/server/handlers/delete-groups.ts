/**
 * DeleteGroups (key 42), versions 0-2 (flexible from v2): deletes Empty groups with their committed
 * offsets (tombstones in `__consumer_offsets`); NON_EMPTY_GROUP while a group has members,
 * GROUP_ID_NOT_FOUND for unknown groups.
 */
import { ApiKeys, ErrorCode } from '../../protocol';
import { defineHandler } from '../api-handler';
import type { GroupServices } from './group-handlers';

export function deleteGroupsHandler(services: GroupServices) {
  return defineHandler({
    apiKey: ApiKeys.DeleteGroups,
    minVersion: 0,
    maxVersion: 2,
    async handle(request) {
      const errors = await services.groupCoordinator.handleDeleteGroups(request.groupsNames);
      const ids = [...new Set(request.groupsNames)];
      return {
        throttleTimeMs: 0,
        results: ids.map((groupId) => ({ groupId, errorCode: errors.get(groupId) ?? ErrorCode.UNKNOWN_SERVER_ERROR })),
      };
    },
  });
}
