/**
 * LeaveGroup (key 13), versions 0-5: v0-2 one member id; v3 a batch of members, each by member id or,
 * for administrative removal of static members, by group instance id (KIP-345), with per-member errors;
 * v4 flexible; v5 a reason per member. Before v3 a member's error becomes the top-level error.
 */
import { ApiKeys, ErrorCode } from '../../protocol';
import { defineHandler } from '../api-handler';
import type { GroupServices } from './group-handlers';

export function leaveGroupHandler(services: GroupServices) {
  return defineHandler({
    apiKey: ApiKeys.LeaveGroup,
    minVersion: 0,
    maxVersion: 5,
    handle(request, ctx) {
      const version = ctx.header.apiVersion;
      const members =
        version >= 3
          ? request.members.map((m) => ({ memberId: m.memberId, groupInstanceId: m.groupInstanceId, reason: m.reason }))
          : [{ memberId: request.memberId, groupInstanceId: null, reason: null }];
      const result = services.groupCoordinator.handleLeaveGroup(request.groupId, members);
      if (version >= 3) {
        return {
          throttleTimeMs: 0,
          errorCode: result.error,
          members: result.members.map((m) => ({ memberId: m.memberId, groupInstanceId: m.groupInstanceId, errorCode: m.error })),
        };
      }
      const memberError = result.members.find((m) => m.error !== ErrorCode.NONE)?.error ?? ErrorCode.NONE;
      return { throttleTimeMs: 0, errorCode: result.error !== ErrorCode.NONE ? result.error : memberError };
    },
  });
}
