/**
 * The events of the classic controller's single event queue (Kafka's ControllerEvent case objects in
 * KafkaController.scala). ZooKeeper watch callbacks, broker responses and API calls only create one of these and
 * enqueue it; KafkaController.process handles them one at a time.
 */
import type { ReplicaAssignment, TopicPartition } from './controller-types';
import { type ElectionTypeValue, electionTypeName } from './election';

/** Kafka's ControllerState: what the event thread is doing (reported by the ControllerState gauge). */
export const ControllerState = {
  Idle: 'Idle',
  ControllerChange: 'ControllerChange',
  BrokerChange: 'BrokerChange',
  TopicChange: 'TopicChange',
  TopicDeletion: 'TopicDeletion',
  AlterPartitionReassignment: 'AlterPartitionReassignment',
  ListPartitionReassignment: 'ListPartitionReassignment',
  AutoLeaderBalance: 'AutoLeaderBalance',
  ManualLeaderBalance: 'ManualLeaderBalance',
  ControlledShutdown: 'ControlledShutdown',
  IsrChange: 'IsrChange',
  LeaderAndIsrResponseReceived: 'LeaderAndIsrResponseReceived',
  UpdateMetadataResponseReceived: 'UpdateMetadataResponseReceived',
  ControllerShutdown: 'ControllerShutdown',
} as const;
export type ControllerStateName = (typeof ControllerState)[keyof typeof ControllerState];

/** Per-partition error code of a LeaderAndIsr or StopReplica response. */
export interface PartitionErrorResult {
  readonly tp: TopicPartition;
  readonly errorCode: number;
}

/** Kafka's ApiError: an error code and its message (null: the code's default text, or none for NONE). */
export interface ApiError {
  readonly code: number;
  readonly message: string | null;
}

/** Outcome of AlterPartitionReassignments: a request-level error, or one error (maybe NONE) per partition. */
export type AlterReassignmentsResult =
  | { readonly error: ApiError }
  | { readonly partitions: ReadonlyArray<{ readonly tp: TopicPartition; readonly error: ApiError }> };

/** Outcome of ListPartitionReassignments: a request-level error, or the partitions being reassigned. */
export type ListReassignmentsResult =
  | { readonly error: ApiError }
  | { readonly reassignments: ReadonlyArray<{ readonly tp: TopicPartition; readonly assignment: ReplicaAssignment }> };

/** Outcome of one partition of an ElectLeaders request: the new leader, or why there is none. */
export type ElectionResultEntry =
  | { readonly tp: TopicPartition; readonly leader: number; readonly error?: undefined }
  | { readonly tp: TopicPartition; readonly error: ApiError };

/** Every event the controller handles. */
export type ControllerEvent =
  | { readonly type: 'Startup' }
  | { readonly type: 'ControllerChange' }
  | { readonly type: 'Reelect' }
  | { readonly type: 'RegisterBrokerAndReelect' }
  | { readonly type: 'Expire' }
  | { readonly type: 'BrokerChange' }
  | { readonly type: 'BrokerModifications'; readonly brokerId: number }
  | { readonly type: 'TopicChange' }
  | { readonly type: 'PartitionModifications'; readonly topic: string }
  | { readonly type: 'TopicDeletion' }
  | {
    readonly type: 'TopicDeletionStopReplicaResponseReceived';
    readonly replicaId: number;
    readonly requestErrorCode: number;
    readonly partitionErrors: readonly PartitionErrorResult[];
  }
  | {
    readonly type: 'LeaderAndIsrResponseReceived';
    readonly brokerId: number;
    readonly errorCode: number;
    readonly partitionErrors: readonly PartitionErrorResult[];
  }
  | { readonly type: 'UpdateMetadataResponseReceived'; readonly brokerId: number; readonly errorCode: number }
  | { readonly type: 'PreferredReplicaElection' }
  | {
    readonly type: 'ControlledShutdown';
    readonly brokerId: number;
    readonly brokerEpoch: number;
    readonly callback: (result: { partitionsRemaining: TopicPartition[] } | { error: Error }) => void;
  }
  | { readonly type: 'IsrChangeNotification' }
  | { readonly type: 'AutoPreferredReplicaLeaderElection' }
  /** /admin/reassign_partitions was created (or its existence watch must be re-armed). */
  | { readonly type: 'ZkPartitionReassignment' }
  /** AlterPartitionReassignments: null replicas cancel the partition's reassignment. */
  | {
    readonly type: 'ApiPartitionReassignment';
    readonly reassignments: ReadonlyArray<{ readonly tp: TopicPartition; readonly replicas: readonly number[] | null }>;
    readonly callback: (result: AlterReassignmentsResult) => void;
  }
  /** The state znode of a partition being reassigned changed (its ISR may now hold every target replica). */
  | { readonly type: 'PartitionReassignmentIsrChange'; readonly tp: TopicPartition }
  | {
    readonly type: 'ListPartitionReassignments';
    /** null: every ongoing reassignment. */
    readonly partitions: readonly TopicPartition[] | null;
    readonly callback: (result: ListReassignmentsResult) => void;
  }
  /** ElectLeaders from the admin API (preferred or unclean). */
  | {
    readonly type: 'ReplicaLeaderElection';
    readonly partitions: readonly TopicPartition[];
    readonly electionType: ElectionTypeValue;
    readonly callback: (results: ElectionResultEntry[]) => void;
  }
  /** Test/maintenance hook: runs a function on the event thread. */
  | { readonly type: 'Callback'; readonly name: string; readonly run: () => Promise<void> | void };

export type ControllerEventType = ControllerEvent['type'];

/** Which ControllerState an event puts the controller in while it is processed. */
export function controllerStateOf(event: ControllerEvent): ControllerStateName {
  switch (event.type) {
    case 'Startup':
    case 'ControllerChange':
    case 'Reelect':
    case 'RegisterBrokerAndReelect':
    case 'Expire':
      return ControllerState.ControllerChange;
    case 'BrokerChange':
    case 'BrokerModifications':
      return ControllerState.BrokerChange;
    case 'TopicChange':
    case 'PartitionModifications':
      return ControllerState.TopicChange;
    case 'TopicDeletion':
    case 'TopicDeletionStopReplicaResponseReceived':
      return ControllerState.TopicDeletion;
    case 'LeaderAndIsrResponseReceived':
      return ControllerState.LeaderAndIsrResponseReceived;
    case 'UpdateMetadataResponseReceived':
      return ControllerState.UpdateMetadataResponseReceived;
    case 'PreferredReplicaElection':
    case 'ReplicaLeaderElection':
      return ControllerState.ManualLeaderBalance;
    case 'ZkPartitionReassignment':
    case 'ApiPartitionReassignment':
    case 'PartitionReassignmentIsrChange':
      return ControllerState.AlterPartitionReassignment;
    case 'ListPartitionReassignments':
      return ControllerState.ListPartitionReassignment;
    case 'AutoPreferredReplicaLeaderElection':
      return ControllerState.AutoLeaderBalance;
    case 'ControlledShutdown':
      return ControllerState.ControlledShutdown;
    case 'IsrChangeNotification':
      return ControllerState.IsrChange;
    case 'Callback':
      return ControllerState.ControllerChange;
  }
}

/** A short printable name of an event for logs, e.g. `PartitionModifications(t)`. */
export function describeEvent(event: ControllerEvent): string {
  switch (event.type) {
    case 'BrokerModifications':
      return `BrokerModifications(${event.brokerId})`;
    case 'PartitionModifications':
      return `PartitionModifications(${event.topic})`;
    case 'TopicDeletionStopReplicaResponseReceived':
      return `TopicDeletionStopReplicaResponseReceived(${event.replicaId})`;
    case 'LeaderAndIsrResponseReceived':
    case 'UpdateMetadataResponseReceived':
      return `${event.type}(${event.brokerId})`;
    case 'ControlledShutdown':
      return `ControlledShutdown(${event.brokerId},${event.brokerEpoch})`;
    case 'Callback':
      return `Callback(${event.name})`;
    case 'PartitionReassignmentIsrChange':
      return `PartitionReassignmentIsrChange(${event.tp.topic}-${event.tp.partition})`;
    case 'ReplicaLeaderElection':
      return `ReplicaLeaderElection(${electionTypeName(event.electionType)})`;
    default:
      return event.type;
  }
}
