/**
 * SyncGroup (key 14), versions 0-5: v3 group instance ids, v4 flexible, v5 protocol type and name
 * (mandatory in the request: INCONSISTENT_GROUP_PROTOCOL when missing, and checked against the group's).
 * Followers wait here for the leader's assignment.
 */
import { ApiKeys, ErrorCode } from '../../protocol';
import { defineHandler } from '../api-handler';
import type { GroupServices } from './group-handlers';

export function syncGroupHandler(services: GroupServices) {
  return defineHandler({
    apiKey: ApiKeys.SyncGroup,
    minVersion: 0,
    maxVersion: 5,
    async handle(request, ctx) {
      const version = ctx.header.apiVersion;
      if (version >= 5 && (request.protocolType === null || request.protocolName === null)) {
        return { throttleTimeMs: 0, errorCode: ErrorCode.INCONSISTENT_GROUP_PROTOCOL, assignment: Buffer.alloc(0) };
      }
      const result = await services.groupCoordinator.handleSyncGroup({
        groupId: request.groupId,
        generationId: request.generationId,
        memberId: request.memberId,
        groupInstanceId: request.groupInstanceId,
        protocolType: request.protocolType,
        protocolName: request.protocolName,
        assignments: new Map(request.assignments.map((a) => [a.memberId, a.assignment])),
      });
      return {
        throttleTimeMs: 0,
        errorCode: result.error,
        protocolType: result.protocolType,
        protocolName: result.protocolName,
        assignment: result.assignment,
      };
    },
  });
}
