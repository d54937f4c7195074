/**
 * JoinGroup (key 11), versions 0-9: v1 rebalance timeout (v0 uses the session timeout for both), v4
 * MEMBER_ID_REQUIRED for dynamic members (KIP-394), v5 group instance ids (KIP-345), v6 flexible, v7
 * protocol type in the response and a nullable protocol name, v8 join reason, v9 SkipAssignment
 * (KIP-814). The request waits in the coordinator until the rebalance completes.
 */
import { ApiKeys } from '../../protocol';
import { defineHandler } from '../api-handler';
import type { GroupServices } from './group-handlers';

export function joinGroupHandler(services: GroupServices) {
  return defineHandler({
    apiKey: ApiKeys.JoinGroup,
    minVersion: 0,
    maxVersion: 9,
    async handle(request, ctx) {
      const version = ctx.header.apiVersion;
      const result = await services.groupCoordinator.handleJoinGroup({
        groupId: request.groupId,
        memberId: request.memberId,
        groupInstanceId: request.groupInstanceId,
        requireKnownMemberId: version >= 4 && request.groupInstanceId === null,
        supportSkippingAssignment: version >= 9,
        clientId: ctx.header.clientId ?? '',
        clientHost: `/${ctx.channel.remoteAddress}`,
        rebalanceTimeoutMs: version === 0 ? request.sessionTimeoutMs : request.rebalanceTimeoutMs,
        sessionTimeoutMs: request.sessionTimeoutMs,
        protocolType: request.protocolType,
        protocols: request.protocols.map((p) => ({ name: p.name, metadata: p.metadata })),
        reason: request.reason,
      });
      return {
        throttleTimeMs: 0,
        errorCode: result.error,
        generationId: result.generationId,
        protocolType: result.protocolType,
        // Before v7 the protocol name is not nullable (empty when none); from v7 empty means null.
        protocolName: version >= 7 ? result.protocolName || null : (result.protocolName ?? ''),
        leader: result.leaderId,
        skipAssignment: version >= 9 && result.skipAssignment,
        memberId: result.memberId,
        members: result.members.map((m) => ({ memberId: m.memberId, groupInstanceId: m.groupInstanceId, metadata: m.metadata })),
      };
    },
  });
}
