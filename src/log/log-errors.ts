/**
 * Errors of the log layer. Append failures that clients see are KafkaErrors from
 * src/common/kafka-error.ts (their code goes into the ProduceResponse); `toAppendError` builds them from
 * a failed validation and carries its per-record errors (KIP-467) for the response's RecordErrors.
 * The other classes are internal faults with stable names.
 */
import {
  CorruptRecordError,
  InvalidRecordError,
  InvalidTimestampError,
  KafkaError,
  RecordTooLargeError,
  UnsupportedForMessageFormatError,
} from '../common/kafka-error';
import { type InvalidRecords, type RecordError, RecordsErrorCode } from '../protocol/records/produce-validation';

/** A KafkaError raised by a failed append, with the per-record errors of the ProduceResponse. */
export type AppendError = KafkaError & { readonly recordErrors: readonly RecordError[] };

/** The typed KafkaError for a failed validation. */
export function toAppendError(failure: InvalidRecords): AppendError {
  let err: KafkaError;
  switch (failure.errorCode) {
    case RecordsErrorCode.CORRUPT_MESSAGE:
      err = new CorruptRecordError(failure.message);
      break;
    case RecordsErrorCode.MESSAGE_TOO_LARGE:
      err = new RecordTooLargeError(failure.message);
      break;
    case RecordsErrorCode.INVALID_TIMESTAMP:
      err = new InvalidTimestampError(failure.message);
      break;
    case RecordsErrorCode.UNSUPPORTED_FOR_MESSAGE_FORMAT:
      err = new UnsupportedForMessageFormatError(failure.message);
      break;
    case RecordsErrorCode.INVALID_RECORD:
      err = new InvalidRecordError(failure.message);
      break;
    default:
      err = new KafkaError(failure.errorCode, failure.message);
  }
  return Object.assign(err, { recordErrors: failure.recordErrors ?? [] });
}

/** The per-record errors attached to an append error, or none. */
export function recordErrorsOf(err: unknown): readonly RecordError[] {
  const recordErrors = (err as { recordErrors?: unknown } | null)?.recordErrors;
  return Array.isArray(recordErrors) ? (recordErrors as RecordError[]) : [];
}

/** An index file whose content cannot be trusted; the segment's indexes are rebuilt from its log. */
export class CorruptIndexError extends Error {
  override readonly name = 'CorruptIndexError';
}

/** An offset that does not fit the int32 relative offsets of a segment's index. */
export class LogSegmentOffsetOverflowError extends Error {
  override readonly name = 'LogSegmentOffsetOverflowError';
}

/** An index append that would break the index's ordering (Kafka's InvalidOffsetException). */
export class InvalidIndexOffsetError extends Error {
  override readonly name = 'InvalidIndexOffsetError';
}

/** A follower append whose first offset is below the log end offset (Kafka's UnexpectedAppendOffsetException). */
export class UnexpectedAppendOffsetError extends Error {
  override readonly name = 'UnexpectedAppendOffsetError';
  readonly firstOffset: number;
  readonly lastOffset: number;

  constructor(message: string, opts: { firstOffset: number; lastOffset: number }) {
    super(message);
    this.firstOffset = opts.firstOffset;
    this.lastOffset = opts.lastOffset;
  }
}

/**
 * A follower append whose batches do not have strictly increasing offsets (Kafka's
 * OffsetsOutOfOrderException); nothing is written.
 */
export class OffsetsOutOfOrderError extends Error {
  override readonly name = 'OffsetsOutOfOrderError';
  /** The base offset of the first batch out of order, and the last offset of the batch before it. */
  readonly baseOffset: number;
  readonly previousLastOffset: number;

  constructor(message: string, opts: { baseOffset: number; previousLastOffset: number }) {
    super(message);
    this.baseOffset = opts.baseOffset;
    this.previousLastOffset = opts.previousLastOffset;
  }
}

/** A checkpoint file that does not follow Kafka's format. */
export class CheckpointFileError extends Error {
  override readonly name = 'CheckpointFileError';
}

/** meta.properties holds a broker.id other than the configured one. */
export class InconsistentBrokerIdError extends Error {
  override readonly name = 'InconsistentBrokerIdError';
}

/** meta.properties holds a cluster.id other than the cluster's. */
export class InconsistentClusterIdError extends Error {
  override readonly name = 'InconsistentClusterIdError';
}

/** The meta.properties files of the log dirs disagree, or one cannot be read. */
export class InconsistentBrokerMetadataError extends Error {
  override readonly name = 'InconsistentBrokerMetadataError';
}

/**
 * A log cleaning that must not complete (Kafka's LogCleaningAbortedException): the log was truncated,
 * lost segments to retention, was closed or deleted, or the cleaner is stopping. The cleaned files are
 * discarded and the log is left as it was.
 */
export class LogCleaningAbortedError extends Error {
  override readonly name = 'LogCleaningAbortedError';
}
