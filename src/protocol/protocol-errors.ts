// Typed errors raised by the wire-protocol layer.
//
// A ProtocolDecodeError means the bytes a peer sent cannot be a valid Kafka message (truncated frame,
// negative length, absurd array count, null where the version forbids it): the network layer logs it and
// closes the connection, as Kafka does. A ProtocolEncodeError means *we* tried to write something the
// chosen version cannot carry (a non-ignorable field the version lacks, a string too long for an int16
// length): that is a bug in the caller, never a client's fault. Kafka errors that belong in responses are
// not exceptions at all: they are error codes (see errors.ts).

/** Stable codes of the protocol layer's internal errors (for logs and tests). */
export const ProtocolErrorCodes = {
  DECODE: 'ERR_KAFKA_PROTOCOL_DECODE',
  ENCODE: 'ERR_KAFKA_PROTOCOL_ENCODE',
  UNSUPPORTED_VERSION: 'ERR_KAFKA_PROTOCOL_UNSUPPORTED_VERSION',
  SCHEMA: 'ERR_KAFKA_PROTOCOL_SCHEMA',
} as const;

/** Base class of every error thrown by src/protocol. */
export class ProtocolError extends Error {
  override readonly name: string = 'ProtocolError';
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
  }
}

/** The input bytes are not a valid encoding of the expected message. */
export class ProtocolDecodeError extends ProtocolError {
  override readonly name = 'ProtocolDecodeError';
  /** Byte offset in the frame at which decoding failed, when known. */
  readonly offset: number | undefined;

  constructor(message: string, options?: { offset?: number; cause?: unknown }) {
    super(ProtocolErrorCodes.DECODE, message, options);
    this.offset = options?.offset;
  }
}

/** A value cannot be written in the requested message version. */
export class ProtocolEncodeError extends ProtocolError {
  override readonly name = 'ProtocolEncodeError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(ProtocolErrorCodes.ENCODE, message, options);
  }
}

/** The api key is unknown to our definitions, or the version is outside the range they describe. */
export class UnsupportedApiVersionError extends ProtocolError {
  override readonly name = 'UnsupportedApiVersionError';
  readonly apiKey: number;
  readonly apiVersion: number;

  constructor(apiKey: number, apiVersion: number, options?: { cause?: unknown }) {
    super(ProtocolErrorCodes.UNSUPPORTED_VERSION, `Unsupported api key ${apiKey} version ${apiVersion}`, options);
    this.apiKey = apiKey;
    this.apiVersion = apiVersion;
  }
}

/** A message definition is inconsistent (unknown type name, bad version range): a programming error. */
export class ProtocolSchemaError extends ProtocolError {
  override readonly name = 'ProtocolSchemaError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(ProtocolErrorCodes.SCHEMA, message, options);
  }
}
