/**
 * Request dispatch (the table-driven replacement for Kafka's KafkaApis match): decode the header, look the
 * api key up in the handler table, check the version against what the handler declares, decode the body,
 * run the handler, encode the response.
 *
 * - Unknown api key: the connection is closed with a logged reason (Kafka does the same).
 * - Known api, version out of range: ApiVersions answers with a v0 body carrying UNSUPPORTED_VERSION and its
 *   own version range (KIP-511), so the client can retry; any other api gets a response header followed by
 *   the UNSUPPORTED_VERSION error code, and the connection stays open.
 * - A body that does not decode: the connection is closed with a logged reason.
 * - A handler that throws CloseConnectionError closes the connection with its own reason; any other error
 *   thrown by a handler is unexpected, logged with its stack, and closes the connection too.
 */
import {
  ApiKeys,
  ErrorCode,
  decodeRequest,
  decodeRequestHeader,
  encodeResponse,
  type ApiKey,
  type RequestHeader,
} from '../protocol';
import { CloseConnectionError, type KafkaChannel } from '../network/kafka-channel';
import type { ApiHandler, RequestContext } from './api-handler';

export interface DispatcherLogger {
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string, err?: unknown): void;
  debug(msg: string): void;
  isDebugEnabled(): boolean;
}

export interface ApiVersionRange {
  apiKey: number;
  minVersion: number;
  maxVersion: number;
}

const API_NAMES: Map<number, string> = new Map(Object.entries(ApiKeys).map(([name, key]) => [key as number, name]));

export function apiName(apiKey: number): string {
  return API_NAMES.get(apiKey) ?? `UnknownApi(${apiKey})`;
}

export class RequestDispatcher {
  private readonly handlers = new Map<number, ApiHandler>();

  constructor(
    handlers: readonly ApiHandler<any>[],
    private readonly logger: DispatcherLogger,
    private readonly requestLogger?: DispatcherLogger,
  ) {
    for (const h of handlers) {
      if (this.handlers.has(h.apiKey)) throw new Error(`Two handlers for ${apiName(h.apiKey)}`);
      this.handlers.set(h.apiKey, h);
    }
  }

  /** The version ranges served, for ApiVersions, sorted by api key. */
  apiVersions(): ApiVersionRange[] {
    return [...this.handlers.values()]
      .map((h) => ({ apiKey: h.apiKey, minVersion: h.minVersion, maxVersion: h.maxVersion }))
      .sort((a, b) => a.apiKey - b.apiKey);
  }

  /** Handles one request frame; the FrameProcessor of every KafkaChannel. */
  readonly process = async (channel: KafkaChannel, frame: Buffer): Promise<Buffer[] | null> => {
    let header: RequestHeader;
    let bodyOffset: number;
    try {
      ({ header, bodyOffset } = decodeRequestHeader(frame));
    } catch (err) {
      throw new CloseConnectionError(`Malformed request header (${frame.length} bytes): ${describe(err)}`);
    }
    const handler = this.handlers.get(header.apiKey);
    if (!handler) {
      throw new CloseConnectionError(
        `Unknown API key ${header.apiKey} (version ${header.apiVersion}, correlation id ${header.correlationId}, ` +
          `client id ${header.clientId})`,
      );
    }
    if (header.apiVersion < handler.minVersion || header.apiVersion > handler.maxVersion) {
      this.logger.info(
        `Unsupported version ${header.apiVersion} of ${apiName(header.apiKey)} from client ${header.clientId} at ` +
          `${channel.remoteAddress}:${channel.remotePort} (served: ${handler.minVersion}-${handler.maxVersion})`,
      );
      return this.unsupportedVersion(header, handler);
    }
    let request: unknown;
    try {
      request = decodeRequest(header.apiKey as ApiKey, header.apiVersion, frame, bodyOffset);
    } catch (err) {
      throw new CloseConnectionError(
        `Malformed ${apiName(header.apiKey)} v${header.apiVersion} request (correlation id ${header.correlationId}, ` +
          `client id ${header.clientId}): ${describe(err)}`,
      );
    }
    const ctx: RequestContext = { header, channel, listenerName: channel.listenerName };
    const started = this.requestLogger?.isDebugEnabled() ? Date.now() : 0;
    let response: unknown;
    try {
      response = await handler.handle(request as never, ctx);
    } catch (err) {
      // A handler that closes the connection on purpose (an acks=0 produce error) has said why.
      if (err instanceof CloseConnectionError) throw err;
      this.logger.error(
        `Error handling ${apiName(header.apiKey)} v${header.apiVersion} request (correlation id ` +
          `${header.correlationId}, client id ${header.clientId}); closing the connection`,
        err,
      );
      throw new CloseConnectionError(`Unexpected error handling ${apiName(header.apiKey)}: ${describe(err)}`);
    }
    if (started) {
      this.requestLogger!.debug(
        `Completed request:${apiName(header.apiKey)} v${header.apiVersion} correlationId=${header.correlationId} ` +
          `clientId=${header.clientId} from connection ${channel.id} totalTime:${Date.now() - started}`,
      );
    }
    if (response === null) return null;
    return encodeResponse(header.apiKey as ApiKey, header.apiVersion, header.correlationId, response as never);
  };

  private unsupportedVersion(header: RequestHeader, handler: ApiHandler): Buffer[] {
    if (header.apiKey === ApiKeys.ApiVersions) {
      return encodeResponse(ApiKeys.ApiVersions, 0, header.correlationId, {
        errorCode: ErrorCode.UNSUPPORTED_VERSION,
        apiKeys: [{ apiKey: handler.apiKey, minVersion: handler.minVersion, maxVersion: handler.maxVersion }],
      });
    }
    // Response header v0 (correlation id) followed by the error code, the first field of the error
    // responses of most APIs.
    const out = Buffer.alloc(10);
    out.writeInt32BE(6, 0);
    out.writeInt32BE(header.correlationId, 4);
    out.writeInt16BE(ErrorCode.UNSUPPORTED_VERSION, 8);
    return [out];
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
