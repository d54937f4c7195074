/**
 * DescribeGroups (key 15), versions 0-5 (v3 authorized operations, v4 group instance ids, v5 flexible):
 * state, protocol type and protocol of each group, and its members — with their metadata and
 * assignment only while the group is Stable. An unknown group is described as Dead.
 */
import { ApiKeys } from '../../protocol';
import { defineHandler } from '../api-handler';
import { AUTHORIZED_OPERATIONS_OMITTED } from '../broker-services';
import type { GroupServices } from './group-handlers';

/**
 * The operations on a group that clients may perform: READ (3), DELETE (6) and DESCRIBE (8) as a bit
 * field — all of them, since this broker has no authorizer.
 */
export const GROUP_AUTHORIZED_OPERATIONS = (1 << 3) | (1 << 6) | (1 << 8);

export function describeGroupsHandler(services: GroupServices) {
  return defineHandler({
    apiKey: ApiKeys.DescribeGroups,
    minVersion: 0,
    maxVersion: 5,
    handle(request, ctx) {
      const version = ctx.header.apiVersion;
      return {
        throttleTimeMs: 0,
        groups: request.groups.map((groupId) => {
          const { error, summary } = services.groupCoordinator.handleDescribeGroup(groupId);
          return {
            errorCode: error,
            groupId,
            groupState: summary.state,
            protocolType: summary.protocolType,
            protocolData: summary.protocol,
            members: summary.members.map((m) => ({
              memberId: m.memberId,
              groupInstanceId: m.groupInstanceId,
              clientId: m.clientId,
              clientHost: m.clientHost,
              memberMetadata: m.metadata,
              memberAssignment: m.assignment,
            })),
            authorizedOperations: version >= 3 && request.includeAuthorizedOperations ? GROUP_AUTHORIZED_OPERATIONS : AUTHORIZED_OPERATIONS_OMITTED,
          };
        }),
      };
    },
  });
}
