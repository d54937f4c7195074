/**
 * ControlledShutdown (key 7), versions 0-3 (broker epoch from v2, flexible from v3; v0 uses request header
 * v0). A broker about to stop asks the active controller to move leadership off it; the answer lists the
 * partitions it still leads, and the broker retries until that list is empty.
 *
 * Fencing is stricter than Kafka's (which refuses only an epoch older than the registered one and takes a
 * request without one): without an authorizer any client could otherwise make the controller move
 * leadership off a healthy broker. The request must carry the epoch the broker registered with (v2+, which
 * every broker since Kafka 2.2 sends); anything else is STALE_BROKER_EPOCH.
 */
import { ApiKeys, ErrorCode } from '../../protocol';
import { KafkaError } from '../../common/kafka-error';
import { defineHandler } from '../api-handler';
import type { BrokerServices } from '../broker-services';

export function controlledShutdownHandler(broker: BrokerServices, logger: { error(msg: string, err?: unknown): void; warn(msg: string): void }) {
  return defineHandler({
    apiKey: ApiKeys.ControlledShutdown,
    minVersion: 0,
    maxVersion: 3,
    async handle(request) {
      const controller = broker.controller();
      if (!controller || !controller.isActive) return { errorCode: ErrorCode.NOT_CONTROLLER, remainingPartitions: [] };
      const registered = controller.controllerContext.liveBrokerEpoch(request.brokerId);
      if (registered !== -1 && request.brokerEpoch !== registered) {
        logger.warn(
          `Refusing controlled shutdown of broker ${request.brokerId} with broker epoch ${request.brokerEpoch}: ` +
            `it registered with epoch ${registered}`,
        );
        return { errorCode: ErrorCode.STALE_BROKER_EPOCH, remainingPartitions: [] };
      }
      try {
        const remaining = await controller.controlledShutdown(request.brokerId, request.brokerEpoch);
        return {
          errorCode: ErrorCode.NONE,
          remainingPartitions: remaining.map((tp) => ({ topicName: tp.topic, partitionIndex: tp.partition })),
        };
      } catch (err) {
        const code = errorCodeOf(err);
        if (code === ErrorCode.UNKNOWN_SERVER_ERROR) logger.error(`Error handling controlled shutdown of broker ${request.brokerId}`, err);
        return { errorCode: code, remainingPartitions: [] };
      }
    },
  });
}

function errorCodeOf(err: unknown): number {
  if (err instanceof KafkaError) return err.code;
  switch ((err as { name?: string } | null)?.name) {
    case 'ControllerMovedError':
      return ErrorCode.NOT_CONTROLLER;
    case 'StaleBrokerEpochError':
      return ErrorCode.STALE_BROKER_EPOCH;
    case 'BrokerNotAvailableError':
      return ErrorCode.BROKER_NOT_AVAILABLE;
    default:
      return ErrorCode.UNKNOWN_SERVER_ERROR;
  }
}
