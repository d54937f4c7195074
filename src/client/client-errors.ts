/**
 * Typed errors of the project's own Kafka client (src/client/).
 *
 * Connection-level failures (connect refused, socket reset, request timeout, a response that does not
 * match the request in flight) are exceptions of their own classes; a Kafka error code found in a
 * response becomes a KafkaError (src/common/kafka-error.ts) carrying the code, Kafka's name for it and
 * its retriable flag, so callers can test `err.code === ErrorCode.TOPIC_ALREADY_EXISTS` or `err.retriable`.
 */

import { KafkaError } from '../common/kafka-error';
import { errorInfo } from '../protocol';

/** Stable codes of the client's internal errors (for logs and tests). */
export const ClientErrorCodes = {
  CONNECTION: 'ERR_KAFKA_CLIENT_CONNECTION',
  REQUEST_TIMEOUT: 'ERR_KAFKA_CLIENT_REQUEST_TIMEOUT',
  CORRELATION: 'ERR_KAFKA_CLIENT_CORRELATION',
  UNSUPPORTED_VERSION: 'ERR_KAFKA_CLIENT_UNSUPPORTED_VERSION',
  BOOTSTRAP: 'ERR_KAFKA_CLIENT_BOOTSTRAP',
  CLOSED: 'ERR_KAFKA_CLIENT_CLOSED',
  TIMEOUT: 'ERR_KAFKA_CLIENT_TIMEOUT',
} as const;

/** Base class of the client's non-Kafka errors. */
export class KafkaClientError extends Error {
  override readonly name: string = 'KafkaClientError';
  readonly code: string;
  /** Whether retrying (possibly on a new connection) may succeed. */
  readonly retriable: boolean;

  constructor(code: string, message: string, options?: { cause?: unknown; retriable?: boolean }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.retriable = options?.retriable ?? false;
  }
}

/** The TCP connection to a broker could not be opened, or was lost with requests still in flight. */
export class KafkaConnectionError extends KafkaClientError {
  override readonly name = 'KafkaConnectionError';
  /** `host:port` of the broker. */
  readonly broker: string;

  constructor(broker: string, message: string, options?: { cause?: unknown }) {
    super(ClientErrorCodes.CONNECTION, message, { cause: options?.cause, retriable: true });
    this.broker = broker;
  }
}

/** A request got no response within its timeout; the connection it was sent on has been closed. */
export class RequestTimeoutError extends KafkaClientError {
  override readonly name = 'RequestTimeoutError';
  readonly broker: string;
  readonly apiKey: number;
  readonly timeoutMs: number;

  constructor(broker: string, apiKey: number, timeoutMs: number) {
    super(
      ClientErrorCodes.REQUEST_TIMEOUT,
      `Request (api key ${apiKey}) to ${broker} timed out after ${timeoutMs} ms`,
      { retriable: true },
    );
    this.broker = broker;
    this.apiKey = apiKey;
    this.timeoutMs = timeoutMs;
  }
}

/** A response's correlation id is not the one of the oldest request in flight: the stream is unusable. */
export class CorrelationMismatchError extends KafkaClientError {
  override readonly name = 'CorrelationMismatchError';

  constructor(broker: string, expected: number, received: number) {
    super(
      ClientErrorCodes.CORRELATION,
      `Correlation id mismatch on ${broker}: expected ${expected}, received ${received}`,
      { retriable: true },
    );
  }
}

/** Neither side of the connection supports a version of the API in the range the caller can use. */
export class UnsupportedVersionError extends KafkaClientError {
  override readonly name = 'UnsupportedVersionError';
  readonly apiKey: number;

  constructor(apiKey: number, message: string) {
    super(ClientErrorCodes.UNSUPPORTED_VERSION, message);
    this.apiKey = apiKey;
  }
}

/** None of the bootstrap servers answered a Metadata request. */
export class BootstrapError extends KafkaClientError {
  override readonly name = 'BootstrapError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(ClientErrorCodes.BOOTSTRAP, message, { cause: options?.cause, retriable: true });
  }
}

/** The client, producer or consumer was closed while the operation was pending. */
export class ClientClosedError extends KafkaClientError {
  override readonly name = 'ClientClosedError';

  constructor(what: string) {
    super(ClientErrorCodes.CLOSED, `${what} is closed`);
  }
}

/** An operation (with its retries) did not complete within its overall deadline. */
export class OperationTimeoutError extends KafkaClientError {
  override readonly name = 'OperationTimeoutError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(ClientErrorCodes.TIMEOUT, message, { cause: options?.cause, retriable: true });
  }
}

/**
 * A Kafka error code received in a response, as a KafkaError. `errorName` is Kafka's constant name
 * (e.g. `NOT_LEADER_OR_FOLLOWER`); the message is the broker's error message when it sent one, else
 * Kafka's default text for the code.
 */
export class KafkaResponseError extends KafkaError {
  override readonly name = 'KafkaResponseError';
  readonly errorName: string;

  constructor(code: number, options?: { message?: string | null; context?: string }) {
    const info = errorInfo(code);
    const text = options?.message ? options.message : info.message;
    super(code, options?.context ? `${options.context}: ${text}` : text, { retriable: info.retriable });
    this.errorName = info.name;
  }
}

/** Builds the KafkaResponseError for a non-zero error code (convenience for per-partition results). */
export function responseError(
  code: number,
  options?: { message?: string | null; context?: string },
): KafkaResponseError {
  return new KafkaResponseError(code, options);
}

/** True for errors after which retrying the same operation may succeed. */
export function isRetriable(err: unknown): boolean {
  return (err instanceof KafkaError || err instanceof KafkaClientError) && err.retriable;
}
