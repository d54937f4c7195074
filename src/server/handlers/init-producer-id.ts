/**
 * InitProducerId (key 22), versions 0-5 (flexible from v2; v3+ carry ProducerId/ProducerEpoch, KIP-360):
 * gives an idempotent producer its identity (KIP-98), as Kafka 3.9's KafkaApis.handleInitProducerIdRequest
 * and TransactionCoordinator.handleInitProducerId do for a null TransactionalId:
 *
 * - ProducerId and ProducerEpoch must both be -1 or both be set, else INVALID_REQUEST;
 * - with no TransactionalId the answer is always a new producer id with epoch 0 — also when the
 *   producer sent its current id and epoch (Kafka "blindly accepts" the request: an idempotent
 *   producer's sequences start again at 0 under the new id, so nothing needs fencing);
 * - any broker answers (clients send it to the least loaded node, kafkajs to the controller).
 *
 * Transactions are not available on this broker (there is no transaction coordinator or
 * __transaction_state). A TransactionalId gets COORDINATOR_NOT_AVAILABLE, what Kafka answers while no
 * transaction coordinator can serve it: the Java client and librdkafka look the coordinator up again
 * and retry until their transaction timeout (max.block.ms / init_transactions timeout) expires, kafkajs
 * retries with its retry policy and then fails; none of them mistakes it for an authorization problem
 * or a fencing. An empty TransactionalId is INVALID_REQUEST, as in Kafka.
 */
import { ApiKeys, ErrorCode } from '../../protocol';
import { defineHandler } from '../api-handler';
import type { Logger } from '../../common/logger';
import type { ProducerIdManager } from '../producer-id-manager';

/** What the handler uses. */
export interface InitProducerIdServices {
  producerIdManager: ProducerIdManager;
  logger: Logger;
}

export function initProducerIdHandler(services: InitProducerIdServices) {
  return defineHandler({
    apiKey: ApiKeys.InitProducerId,
    minVersion: 0,
    maxVersion: 5,
    async handle(request) {
      const answer = (errorCode: number, producerId = -1, producerEpoch = -1) => ({ throttleTimeMs: 0, errorCode, producerId, producerEpoch });
      const { transactionalId, producerId, producerEpoch } = request;
      if ((producerId === -1) !== (producerEpoch === -1)) return answer(ErrorCode.INVALID_REQUEST);
      if (transactionalId !== null) {
        return answer(transactionalId === '' ? ErrorCode.INVALID_REQUEST : ErrorCode.COORDINATOR_NOT_AVAILABLE);
      }
      try {
        return answer(ErrorCode.NONE, await services.producerIdManager.generateProducerId(), 0);
      } catch (err) {
        services.logger.error('Failed to generate a producer id', err);
        return answer(ErrorCode.UNKNOWN_SERVER_ERROR);
      }
    },
  });
}
