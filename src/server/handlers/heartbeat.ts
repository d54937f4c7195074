/**
 * Heartbeat (key 12), versions 0-4 (v3 group instance ids, v4 flexible): keeps a member's session
 * alive; REBALANCE_IN_PROGRESS tells it to rejoin.
 */
import { ApiKeys } from '../../protocol';
import { defineHandler } from '../api-handler';
import type { GroupServices } from './group-handlers';

export function heartbeatHandler(services: GroupServices) {
  return defineHandler({
    apiKey: ApiKeys.Heartbeat,
    minVersion: 0,
    maxVersion: 4,
    handle(request) {
      const errorCode = services.groupCoordinator.handleHeartbeat({
        groupId: request.groupId,
        memberId: request.memberId,
        groupInstanceId: request.groupInstanceId,
        generationId: request.generationId,
      });
      return { throttleTimeMs: 0, errorCode };
    },
  });
}
