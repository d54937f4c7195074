/**
 * The events of the classic controller's single event queue (Kafka's ControllerEvent case objects in
 * KafkaController.scala). ZooKeeper watch callbacks, broker responses and API calls only create one of these and
 * enqueue it; KafkaController.process handles them one at a time.
 */
import type { TopicPartition } from './controller-types';

/** Kafka's ControllerState: what the event thread is doing (reported by the ControllerState gauge). */
export const ControllerState = {
  Idle: 'Idle',
  ControllerChange: 'ControllerChange',
  BrokerChange: 'BrokerChange',
  TopicChange: 'TopicChange',
  TopicDeletion: 'TopicDeletion',
  AlterPartitionReassignment: 'AlterPartitionReassignment',
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
      return ControllerState.ManualLeaderBalance;
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
    default:
      return event.type;
  }
}
