/**
 * The partition and replica states of Kafka's classic controller, written as tables: each state lists the
 * states it may be entered from (Kafka's `validPreviousStates`). The state machines consult these tables
 * before every transition and refuse (and log to the state-change logger) any transition not listed.
 *
 * Partition states (PartitionStateMachine.scala):
 *   NonExistentPartition <- OfflinePartition
 *   NewPartition         <- NonExistentPartition
 *   OnlinePartition      <- NewPartition, OnlinePartition, OfflinePartition
 *   OfflinePartition     <- NewPartition, OnlinePartition, OfflinePartition
 *
 * Replica states (ReplicaStateMachine.scala):
 *   NewReplica                <- NonExistentReplica
 *   OnlineReplica             <- NewReplica, OnlineReplica, OfflineReplica, ReplicaDeletionIneligible
 *   OfflineReplica            <- NewReplica, OnlineReplica, OfflineReplica, ReplicaDeletionIneligible
 *   ReplicaDeletionStarted    <- OfflineReplica
 *   ReplicaDeletionSuccessful <- ReplicaDeletionStarted
 *   ReplicaDeletionIneligible <- OfflineReplica, ReplicaDeletionStarted
 *   NonExistentReplica        <- ReplicaDeletionSuccessful
 */

export const PartitionState = {
  NonExistentPartition: 'NonExistentPartition',
  NewPartition: 'NewPartition',
  OnlinePartition: 'OnlinePartition',
  OfflinePartition: 'OfflinePartition',
} as const;
export type PartitionStateName = (typeof PartitionState)[keyof typeof PartitionState];

/** Valid previous states of each partition state. */
export const PartitionValidPreviousStates: Readonly<Record<PartitionStateName, readonly PartitionStateName[]>> = {
  NonExistentPartition: [PartitionState.OfflinePartition],
  NewPartition: [PartitionState.NonExistentPartition],
  OnlinePartition: [PartitionState.NewPartition, PartitionState.OnlinePartition, PartitionState.OfflinePartition],
  OfflinePartition: [PartitionState.NewPartition, PartitionState.OnlinePartition, PartitionState.OfflinePartition],
};

export const ReplicaState = {
  NewReplica: 'NewReplica',
  OnlineReplica: 'OnlineReplica',
  OfflineReplica: 'OfflineReplica',
  ReplicaDeletionStarted: 'ReplicaDeletionStarted',
  ReplicaDeletionSuccessful: 'ReplicaDeletionSuccessful',
  ReplicaDeletionIneligible: 'ReplicaDeletionIneligible',
  NonExistentReplica: 'NonExistentReplica',
} as const;
export type ReplicaStateName = (typeof ReplicaState)[keyof typeof ReplicaState];

/** Valid previous states of each replica state. */
export const ReplicaValidPreviousStates: Readonly<Record<ReplicaStateName, readonly ReplicaStateName[]>> = {
  NewReplica: [ReplicaState.NonExistentReplica],
  OnlineReplica: [
    ReplicaState.NewReplica, ReplicaState.OnlineReplica, ReplicaState.OfflineReplica, ReplicaState.ReplicaDeletionIneligible,
  ],
  OfflineReplica: [
    ReplicaState.NewReplica, ReplicaState.OnlineReplica, ReplicaState.OfflineReplica, ReplicaState.ReplicaDeletionIneligible,
  ],
  ReplicaDeletionStarted: [ReplicaState.OfflineReplica],
  ReplicaDeletionSuccessful: [ReplicaState.ReplicaDeletionStarted],
  ReplicaDeletionIneligible: [ReplicaState.OfflineReplica, ReplicaState.ReplicaDeletionStarted],
  NonExistentReplica: [ReplicaState.ReplicaDeletionSuccessful],
};

/** Whether a partition may move from `from` to `to`. */
export function isValidPartitionTransition(from: PartitionStateName, to: PartitionStateName): boolean {
  return PartitionValidPreviousStates[to].includes(from);
}

/** Whether a replica may move from `from` to `to`. */
export function isValidReplicaTransition(from: ReplicaStateName, to: ReplicaStateName): boolean {
  return ReplicaValidPreviousStates[to].includes(from);
}
