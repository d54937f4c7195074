/**
 * The group API handlers (FindCoordinator, JoinGroup, SyncGroup, Heartbeat, LeaveGroup, OffsetCommit,
 * OffsetFetch, ListGroups, DescribeGroups, DeleteGroups, OffsetDelete) and what they need from the broker:
 * the group coordinator, the metadata cache (topic existence, coordinator endpoints), the creator of
 * `__consumer_offsets`, and ZooKeeper for the offsets of OffsetCommit/OffsetFetch v0.
 */
import type { KafkaConfig } from '../../config/broker-config';
import type { GroupCoordinator } from '../../coordinator/group/group-coordinator';
import type { MetadataCache } from '../../metadata/metadata-cache';
import type { ApiHandler } from '../api-handler';
import { deleteGroupsHandler } from './delete-groups';
import { describeGroupsHandler } from './describe-groups';
import { findCoordinatorHandler } from './find-coordinator';
import { heartbeatHandler } from './heartbeat';
import { joinGroupHandler } from './join-group';
import { leaveGroupHandler } from './leave-group';
import { listGroupsHandler } from './list-groups';
import { offsetCommitHandler } from './offset-commit';
import { offsetDeleteHandler } from './offset-delete';
import { offsetFetchHandler } from './offset-fetch';
import { syncGroupHandler } from './sync-group';

/** Where OffsetCommit/OffsetFetch v0 keep offsets: `/consumers/<group>/offsets/<topic>/<partition>` (KafkaZkClient fits). */
export interface ZkConsumerOffsets {
  getConsumerOffset(group: string, tp: { topic: string; partition: number }): Promise<number | null>;
  setOrCreateConsumerOffset(group: string, tp: { topic: string; partition: number }, offset: number): Promise<void>;
}

/** Creates `__consumer_offsets` on demand (OffsetsTopicCreator fits); resolves to the error code. */
export interface InternalTopicCreator {
  create(): Promise<number>;
}

/** What the group handlers use. */
export interface GroupServices {
  readonly brokerId: number;
  readonly config: Pick<KafkaConfig, 'offsetMetadataMaxBytes'>;
  readonly metadataCache: MetadataCache;
  readonly groupCoordinator: GroupCoordinator;
  readonly offsetsTopicCreator: InternalTopicCreator;
  readonly zkConsumerOffsets: ZkConsumerOffsets;
}

/** Every group API handler, for the dispatcher's table. */
export function createGroupHandlers(services: GroupServices): ApiHandler<any>[] {
  return [
    findCoordinatorHandler(services),
    joinGroupHandler(services),
    syncGroupHandler(services),
    heartbeatHandler(services),
    leaveGroupHandler(services),
    offsetCommitHandler(services),
    offsetFetchHandler(services),
    listGroupsHandler(services),
    describeGroupsHandler(services),
    deleteGroupsHandler(services),
    offsetDeleteHandler(services),
  ];
}
