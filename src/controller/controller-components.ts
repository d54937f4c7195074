/**
 * The parts of one KafkaController that its event handlers share. KafkaController builds them once and hands
 * this bundle to the handler classes (cluster changes, leader elections) so that each stays a small file.
 */
import type { KafkaConfig } from '../config/broker-config';
import type { ControllerChannelManager } from './controller-channel-manager';
import type { ControllerContext } from './controller-context';
import type { ControllerEvent } from './controller-events';
import type { ControllerLogger, StateChangeLogger } from './controller-logger';
import type { ControllerBrokerRequestBatch } from './controller-request-batch';
import type { TopicPartition } from './controller-types';
import type { ControllerWatches } from './controller-watches';
import type { ControllerZkClient } from './controller-zk-client';
import type { PartitionStateMachine } from './partition-state-machine';
import type { ReplicaStateMachine } from './replica-state-machine';
import type { TopicDeletionManager } from './topic-deletion-manager';

/** The reassignment steps other handlers trigger (implemented by PartitionReassignmentHandler). */
export interface ReassignmentHooks {
  /** Completes the partition's reassignment if its target replicas are all in the ISR. */
  maybeCompleteReassignment(tp: TopicPartition): Promise<void>;
  /** Resumes reassignments that have a target replica on one of these (re)started brokers. */
  maybeResumeReassignmentsForBrokers(brokerIds: readonly number[]): Promise<void>;
}

export interface ControllerComponents {
  readonly brokerId: number;
  readonly config: KafkaConfig;
  readonly context: ControllerContext;
  readonly zk: ControllerZkClient;
  readonly watches: ControllerWatches;
  readonly channelManager: ControllerChannelManager;
  /** The batch used by the controller itself (each state machine has its own). */
  readonly requestBatch: ControllerBrokerRequestBatch;
  readonly partitionStateMachine: PartitionStateMachine;
  readonly replicaStateMachine: ReplicaStateMachine;
  readonly topicDeletionManager: TopicDeletionManager;
  readonly reassignments: ReassignmentHooks;
  readonly logger: ControllerLogger;
  readonly stateChangeLogger: StateChangeLogger;
  /** Enqueues an event on the controller's queue. */
  readonly put: (event: ControllerEvent) => void;
  /** Whether this broker is the active controller. */
  isActive(): boolean;
  /** UpdateMetadata for `partitions` to `brokers`; an illegal batch state makes the controller resign. */
  sendUpdateMetadataRequest(brokers: Iterable<number>, partitions: Iterable<TopicPartition>): Promise<void>;
}
