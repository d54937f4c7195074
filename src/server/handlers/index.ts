/**
 * The handler table: every API this broker serves. Adding an API means adding its handler file here.
 */
import type { ApiHandler } from '../api-handler';
import type { BrokerServices } from '../broker-services';
import { alterConfigsHandler } from './alter-configs';
import { alterPartitionReassignmentsHandler } from './alter-partition-reassignments';
import { apiVersionsHandler } from './api-versions';
import { controlledShutdownHandler } from './controlled-shutdown';
import { createPartitionsHandler } from './create-partitions';
import { createTopicsHandler } from './create-topics';
import { deleteRecordsHandler } from './delete-records';
import { deleteTopicsHandler } from './delete-topics';
import { describeClusterHandler } from './describe-cluster';
import { describeConfigsHandler } from './describe-configs';
import { describeLogDirsHandler } from './describe-log-dirs';
import { describeProducersHandler } from './describe-producers';
import { electLeadersHandler } from './elect-leaders';
import { fetchHandler } from './fetch';
import { initProducerIdHandler, type InitProducerIdServices } from './init-producer-id';
import { incrementalAlterConfigsHandler } from './incremental-alter-configs';
import { leaderAndIsrHandler } from './leader-and-isr';
import { listOffsetsHandler } from './list-offsets';
import { listPartitionReassignmentsHandler } from './list-partition-reassignments';
import { metadataHandler } from './metadata';
import { offsetForLeaderEpochHandler } from './offset-for-leader-epoch';
import { produceHandler } from './produce';
import { stopReplicaHandler } from './stop-replica';
import { updateMetadataHandler } from './update-metadata';

export function createHandlers(
  broker: BrokerServices,
  stateChangeLogger: { warn(msg: string): void; error(msg: string, err?: unknown): void },
  services: { initProducerId: InitProducerIdServices },
): ApiHandler<any>[] {
  return [
    produceHandler(broker),
    initProducerIdHandler(services.initProducerId),
    fetchHandler(broker),
    listOffsetsHandler(broker),
    metadataHandler(broker),
    leaderAndIsrHandler(broker, stateChangeLogger),
    stopReplicaHandler(broker, stateChangeLogger),
    updateMetadataHandler(broker, stateChangeLogger),
    apiVersionsHandler(broker),
    createTopicsHandler(broker),
    deleteTopicsHandler(broker),
    deleteRecordsHandler(broker),
    describeConfigsHandler(broker),
    describeLogDirsHandler(broker),
    describeProducersHandler(broker),
    alterConfigsHandler(broker),
    incrementalAlterConfigsHandler(broker),
    createPartitionsHandler(broker),
    describeClusterHandler(broker),
    offsetForLeaderEpochHandler(broker),
    controlledShutdownHandler(broker, stateChangeLogger),
    electLeadersHandler(broker),
    alterPartitionReassignmentsHandler(broker),
    listPartitionReassignmentsHandler(broker),
  ];
}
