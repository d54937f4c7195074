// The registry of API definitions this project can decode and encode, by api key.
//
// Adding an API means adding its definition file here; the codec, the round-trip tests and
// supportedVersions() pick it up from this table.

import { ApiVersionsApi } from './api-versions';
import { CreateTopicsApi } from './create-topics';
import { DeleteTopicsApi } from './delete-topics';
import { DescribeConfigsApi } from './describe-configs';
import { FetchApi } from './fetch';
import { LeaderAndIsrApi } from './leader-and-isr';
import { ListOffsetsApi } from './list-offsets';
import { MetadataApi } from './metadata';
import { ProduceApi } from './produce';
import { StopReplicaApi } from './stop-replica';
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
  18: ApiVersionsApi,
  19: CreateTopicsApi,
  20: DeleteTopicsApi,
  32: DescribeConfigsApi,
} as const;

export { ApiVersionsApi, CreateTopicsApi, DeleteTopicsApi, DescribeConfigsApi, FetchApi, LeaderAndIsrApi };
export { ListOffsetsApi, MetadataApi, ProduceApi, StopReplicaApi, UpdateMetadataApi };
export type { ApiVersionsRequest, ApiVersionsResponse } from './api-versions';
export type { CreateTopicsRequest, CreateTopicsResponse } from './create-topics';
export type { DeleteTopicsRequest, DeleteTopicsResponse } from './delete-topics';
export type { DescribeConfigsRequest, DescribeConfigsResponse } from './describe-configs';
export type { FetchRequest, FetchResponse } from './fetch';
export type { LeaderAndIsrRequest, LeaderAndIsrResponse } from './leader-and-isr';
export type { ListOffsetsRequest, ListOffsetsResponse } from './list-offsets';
export type { MetadataRequest, MetadataResponse } from './metadata';
export type { ProduceRequest, ProduceResponse } from './produce';
export type { StopReplicaRequest, StopReplicaResponse } from './stop-replica';
export type { UpdateMetadataRequest, UpdateMetadataResponse } from './update-metadata';
