// The registry of API definitions this project can decode and encode, by api key.
//
// Adding an API means adding its definition file here; the codec, the round-trip tests and
// supportedVersions() pick it up from this table.

import { AlterConfigsApi } from './alter-configs';
import { AlterPartitionReassignmentsApi } from './alter-partition-reassignments';
import { ApiVersionsApi } from './api-versions';
import { ControlledShutdownApi } from './controlled-shutdown';
import { CreatePartitionsApi } from './create-partitions';
import { CreateTopicsApi } from './create-topics';
import { DeleteGroupsApi } from './delete-groups';
import { DeleteRecordsApi } from './delete-records';
import { DeleteTopicsApi } from './delete-topics';
import { DescribeClusterApi } from './describe-cluster';
import { DescribeProducersApi } from './describe-producers';
import { DescribeConfigsApi } from './describe-configs';
import { DescribeGroupsApi } from './describe-groups';
import { DescribeLogDirsApi } from './describe-log-dirs';
import { ElectLeadersApi } from './elect-leaders';
import { FetchApi } from './fetch';
import { FindCoordinatorApi } from './find-coordinator';
import { HeartbeatApi } from './heartbeat';
import { IncrementalAlterConfigsApi } from './incremental-alter-configs';
import { InitProducerIdApi } from './init-producer-id';
import { JoinGroupApi } from './join-group';
import { LeaderAndIsrApi } from './leader-and-isr';
import { LeaveGroupApi } from './leave-group';
import { ListGroupsApi } from './list-groups';
import { ListOffsetsApi } from './list-offsets';
import { ListPartitionReassignmentsApi } from './list-partition-reassignments';
import { MetadataApi } from './metadata';
import { OffsetCommitApi } from './offset-commit';
import { OffsetDeleteApi } from './offset-delete';
import { OffsetFetchApi } from './offset-fetch';
import { OffsetForLeaderEpochApi } from './offset-for-leader-epoch';
import { ProduceApi } from './produce';
import { SaslHandshakeApi } from './sasl-handshake';
import { StopReplicaApi } from './stop-replica';
import { SyncGroupApi } from './sync-group';
import { UpdateMetadataApi } from './update-metadata';

/** Every defined API, by api key. */
export const ApiDefinitions = {
  0: ProduceApi,
  1: FetchApi,
  2: ListOffsetsApi,
  3: MetadataApi,
  4: LeaderAndIsrApi,
  5: StopReplicaApi,
  6: UpdateMetadataApi,
  7: ControlledShutdownApi,
  8: OffsetCommitApi,
  9: OffsetFetchApi,
  10: FindCoordinatorApi,
  11: JoinGroupApi,
  12: HeartbeatApi,
  13: LeaveGroupApi,
  14: SyncGroupApi,
  15: DescribeGroupsApi,
  16: ListGroupsApi,
  17: SaslHandshakeApi,
  18: ApiVersionsApi,
  19: CreateTopicsApi,
  20: DeleteTopicsApi,
  21: DeleteRecordsApi,
  22: InitProducerIdApi,
  23: OffsetForLeaderEpochApi,
  32: DescribeConfigsApi,
  33: AlterConfigsApi,
  35: DescribeLogDirsApi,
  37: CreatePartitionsApi,
  42: DeleteGroupsApi,
  43: ElectLeadersApi,
  44: IncrementalAlterConfigsApi,
  45: AlterPartitionReassignmentsApi,
  46: ListPartitionReassignmentsApi,
  47: OffsetDeleteApi,
  60: DescribeClusterApi,
  61: DescribeProducersApi,
} as const;

export {
  AlterConfigsApi,
  AlterPartitionReassignmentsApi,
  ApiVersionsApi,
  ControlledShutdownApi,
  CreatePartitionsApi,
  CreateTopicsApi,
  DeleteGroupsApi,
  DeleteRecordsApi,
  DeleteTopicsApi,
  DescribeClusterApi,
  DescribeProducersApi,
  DescribeConfigsApi,
  DescribeGroupsApi,
  DescribeLogDirsApi,
  ElectLeadersApi,
  FetchApi,
  FindCoordinatorApi,
  HeartbeatApi,
  IncrementalAlterConfigsApi,
  InitProducerIdApi,
  JoinGroupApi,
  LeaderAndIsrApi,
  LeaveGroupApi,
  ListGroupsApi,
  ListOffsetsApi,
  ListPartitionReassignmentsApi,
  MetadataApi,
  OffsetCommitApi,
  OffsetDeleteApi,
  OffsetFetchApi,
  OffsetForLeaderEpochApi,
  ProduceApi,
  SaslHandshakeApi,
  StopReplicaApi,
  SyncGroupApi,
  UpdateMetadataApi,
};
export type { AlterConfigsRequest, AlterConfigsResponse } from './alter-configs';
export type { AlterPartitionReassignmentsRequest, AlterPartitionReassignmentsResponse } from './alter-partition-reassignments';
export type { ApiVersionsRequest, ApiVersionsResponse } from './api-versions';
export type { ControlledShutdownRequest, ControlledShutdownResponse } from './controlled-shutdown';
export type { CreatePartitionsRequest, CreatePartitionsResponse } from './create-partitions';
export type { CreateTopicsRequest, CreateTopicsResponse } from './create-topics';
export type { DeleteGroupsRequest, DeleteGroupsResponse } from './delete-groups';
export type { DeleteRecordsRequest, DeleteRecordsResponse } from './delete-records';
export type { DeleteTopicsRequest, DeleteTopicsResponse } from './delete-topics';
export type { DescribeClusterRequest, DescribeClusterResponse } from './describe-cluster';
export type { DescribeProducersRequest, DescribeProducersResponse } from './describe-producers';
export type { DescribeConfigsRequest, DescribeConfigsResponse } from './describe-configs';
export type { DescribeGroupsRequest, DescribeGroupsResponse } from './describe-groups';
export type { DescribeLogDirsRequest, DescribeLogDirsResponse } from './describe-log-dirs';
export type { ElectLeadersRequest, ElectLeadersResponse } from './elect-leaders';
export type { FetchRequest, FetchResponse } from './fetch';
export type { FindCoordinatorRequest, FindCoordinatorResponse } from './find-coordinator';
export type { HeartbeatRequest, HeartbeatResponse } from './heartbeat';
export type { IncrementalAlterConfigsRequest, IncrementalAlterConfigsResponse } from './incremental-alter-configs';
export type { InitProducerIdRequest, InitProducerIdResponse } from './init-producer-id';
export type { JoinGroupRequest, JoinGroupResponse } from './join-group';
export type { LeaderAndIsrRequest, LeaderAndIsrResponse } from './leader-and-isr';
export type { LeaveGroupRequest, LeaveGroupResponse } from './leave-group';
export type { ListGroupsRequest, ListGroupsResponse } from './list-groups';
export type { ListOffsetsRequest, ListOffsetsResponse } from './list-offsets';
export type { ListPartitionReassignmentsRequest, ListPartitionReassignmentsResponse } from './list-partition-reassignments';
export type { MetadataRequest, MetadataResponse } from './metadata';
export type { OffsetCommitRequest, OffsetCommitResponse } from './offset-commit';
export type { OffsetDeleteRequest, OffsetDeleteResponse } from './offset-delete';
export type { OffsetFetchRequest, OffsetFetchResponse } from './offset-fetch';
export type { OffsetForLeaderEpochRequest, OffsetForLeaderEpochResponse } from './offset-for-leader-epoch';
export type { ProduceRequest, ProduceResponse } from './produce';
export type { SaslHandshakeRequest, SaslHandshakeResponse } from './sasl-handshake';
export type { StopReplicaRequest, StopReplicaResponse } from './stop-replica';
export type { SyncGroupRequest, SyncGroupResponse } from './sync-group';
export type { UpdateMetadataRequest, UpdateMetadataResponse } from './update-metadata';
