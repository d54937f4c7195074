/**
 * How the controller answers the admin API events it serves (AlterPartitionReassignments,
 * ListPartitionReassignments, ElectLeaders): their callers always get an answer, even when the event is
 * preempted (controller shutting down or session expired) or fails because the controller moved, which Kafka
 * reports as NOT_CONTROLLER.
 */
import { ErrorCode } from '../protocol';
import { ControllerMovedError } from '../zk/zk-errors';
import type { AlterReassignmentsResult, ControllerEvent, ElectionResultEntry } from './controller-events';
import { ControllerIllegalStateError } from './controller-request-batch';
import { apiError } from './partition-reassignment-handler';

type ApiEvent = Extract<ControllerEvent, { type: 'ApiPartitionReassignment' | 'ListPartitionReassignments' | 'ReplicaLeaderElection' }>;

/** Answers an API event with `code` (per partition for ElectLeaders, request-level for the others). */
export function failApiEvent(event: ApiEvent, code: number): void {
  if (event.type === 'ReplicaLeaderElection') {
    // Kafka's ElectLeaders NOT_CONTROLLER carries no message; other errors carry the code's text.
    const message = code === ErrorCode.NOT_CONTROLLER ? null : undefined;
    event.callback(event.partitions.map((tp) => ({ tp, error: apiError(code, message) })));
  } else {
    event.callback({ error: apiError(code) });
  }
}

/**
 * Runs an API event and hands its result to the caller. If it fails the caller still gets an answer
 * (NOT_CONTROLLER when the controller moved or must resign) and the error goes on to the event loop.
 */
export async function answerApiEvent(
  event: Extract<ApiEvent, { type: 'ApiPartitionReassignment' | 'ReplicaLeaderElection' }>,
  run: () => Promise<AlterReassignmentsResult | ElectionResultEntry[]>,
): Promise<void> {
  let result: AlterReassignmentsResult | ElectionResultEntry[];
  try {
    result = await run();
  } catch (e) {
    const moved = e instanceof ControllerMovedError || e instanceof ControllerIllegalStateError;
    failApiEvent(event, moved ? ErrorCode.NOT_CONTROLLER : ErrorCode.UNKNOWN_SERVER_ERROR);
    throw e;
  }
  if (event.type === 'ApiPartitionReassignment') event.callback(result as AlterReassignmentsResult);
  else event.callback(result as ElectionResultEntry[]);
}
