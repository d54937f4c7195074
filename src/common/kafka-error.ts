/**
 * Base class for errors that carry a Kafka error code.
 *
 * Services (log, replica manager, controller, coordinators) throw subclasses of KafkaError; handlers turn
 * them into the per-partition / per-resource error codes of their responses. Anything that is not a
 * KafkaError reaching a handler is an internal fault and is answered with UNKNOWN_SERVER_ERROR (-1).
 * The numeric codes are Kafka's (see src/protocol/errors.ts for the full table).
 */
export class KafkaError extends Error {
  override readonly name: string = 'KafkaError';
  /** Kafka protocol error code, e.g. 3 for UNKNOWN_TOPIC_OR_PARTITION. */
  readonly code: number;
  /** Whether a client may retry the request that failed with this error. */
  readonly retriable: boolean;

  constructor(code: number, message: string, options?: { retriable?: boolean; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.retriable = options?.retriable ?? false;
  }
}

/** Declares a KafkaError subclass with a fixed Kafka error code and name. */
function kafkaErrorClass(name: string, code: number, retriable = false) {
  const cls = class extends KafkaError {
    override readonly name = name;
    constructor(message: string, options?: { cause?: unknown }) {
      super(code, message, { retriable, cause: options?.cause });
    }
  };
  Object.defineProperty(cls, 'name', { value: name });
  return cls;
}

export const UnknownServerError = kafkaErrorClass('UnknownServerError', -1);
export const OffsetOutOfRangeError = kafkaErrorClass('OffsetOutOfRangeError', 1);
export const CorruptRecordError = kafkaErrorClass('CorruptRecordError', 2, true);
export const UnknownTopicOrPartitionError = kafkaErrorClass('UnknownTopicOrPartitionError', 3, true);
export const LeaderNotAvailableError = kafkaErrorClass('LeaderNotAvailableError', 5, true);
export const NotLeaderOrFollowerError = kafkaErrorClass('NotLeaderOrFollowerError', 6, true);
export const RequestTimedOutError = kafkaErrorClass('RequestTimedOutError', 7, true);
export const RecordTooLargeError = kafkaErrorClass('RecordTooLargeError', 10);
export const StaleControllerEpochError = kafkaErrorClass('StaleControllerEpochError', 11);
export const InvalidTopicError = kafkaErrorClass('InvalidTopicError', 17);
export const RecordBatchTooLargeError = kafkaErrorClass('RecordBatchTooLargeError', 18);
export const NotEnoughReplicasError = kafkaErrorClass('NotEnoughReplicasError', 19, true);
export const NotEnoughReplicasAfterAppendError = kafkaErrorClass('NotEnoughReplicasAfterAppendError', 20, true);
export const InvalidRequiredAcksError = kafkaErrorClass('InvalidRequiredAcksError', 21);
export const InvalidTimestampError = kafkaErrorClass('InvalidTimestampError', 32);
export const UnsupportedForMessageFormatError = kafkaErrorClass('UnsupportedForMessageFormatError', 43);
export const PolicyViolationError = kafkaErrorClass('PolicyViolationError', 44);
export const KafkaStorageError = kafkaErrorClass('KafkaStorageError', 56, true);
export const TopicExistsError = kafkaErrorClass('TopicExistsError', 36);
export const InvalidPartitionsError = kafkaErrorClass('InvalidPartitionsError', 37);
export const InvalidReplicationFactorError = kafkaErrorClass('InvalidReplicationFactorError', 38);
export const InvalidReplicaAssignmentError = kafkaErrorClass('InvalidReplicaAssignmentError', 39);
export const InvalidConfigurationError = kafkaErrorClass('InvalidConfigurationError', 40);
export const NotControllerError = kafkaErrorClass('NotControllerError', 41, true);
export const InvalidRequestError = kafkaErrorClass('InvalidRequestError', 42);
export const TopicDeletionDisabledError = kafkaErrorClass('TopicDeletionDisabledError', 73);
export const StaleBrokerEpochError = kafkaErrorClass('StaleBrokerEpochError', 77);
export const InvalidRecordError = kafkaErrorClass('InvalidRecordError', 87);
