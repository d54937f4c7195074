// A minimal in-test TCP "broker" for client tests: decodes request frames with the project's protocol
// codec and lets each test decide how to answer (or not to). Not a mock of the network: it is a real
// socket server on 127.0.0.1 speaking the Kafka framing.

import * as net from 'node:net';
import { FrameDecoder } from '../../src/network/frame-decoder';
import {
  decodeRequest,
  decodeRequestHeader,
  encodeResponse,
  isDefinedApiKey,
  type ApiKey,
  type RequestHeader,
  type ResponseInputOf,
} from '../../src/protocol';

/** One request received by the fake broker. */
export interface ReceivedRequest {
  header: RequestHeader;
  body: Record<string, unknown>;
  socket: net.Socket;
  /** Encodes and writes the response to this request. */
  respond<K extends ApiKey>(body: ResponseInputOf<K>): void;
}

/** Encodes a response frame for a request (size prefix included). */
export function responseFrame(header: RequestHeader, body: unknown): Buffer {
  return Buffer.concat(
    encodeResponse(header.apiKey as ApiKey, header.apiVersion, header.correlationId, body as never),
  );
}

export interface FakeBroker {
  port: number;
  requests: ReceivedRequest[];
  sockets: Set<net.Socket>;
  close(): Promise<void>;
}

/**
 * Starts a fake broker on a free loopback port. `handler` is called for every request; it answers by
 * calling `req.respond(...)` (now or later) or not at all.
 */
export async function startFakeBroker(handler: (req: ReceivedRequest) => void): Promise<FakeBroker> {
  const requests: ReceivedRequest[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    const decoder = new FrameDecoder(100 * 1024 * 1024);
    socket.on('data', (chunk: Buffer) => {
      for (const frame of decoder.push(chunk)) {
        const { header, bodyOffset } = decodeRequestHeader(frame);
        const body = isDefinedApiKey(header.apiKey)
          ? (decodeRequest(header.apiKey, header.apiVersion, frame, bodyOffset) as Record<string, unknown>)
          : {};
        const req: ReceivedRequest = {
          header,
          body,
          socket,
          respond: (responseBody) => {
            if (!socket.destroyed) socket.write(responseFrame(header, responseBody));
          },
        };
        requests.push(req);
        handler(req);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    requests,
    sockets,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** The ApiVersions answer of a broker supporting the given ranges. */
export function apiVersionsBody(ranges: Record<number, [number, number]>): Record<string, unknown> {
  return {
    errorCode: 0,
    apiKeys: Object.entries(ranges).map(([k, [min, max]]) => ({ apiKey: Number(k), minVersion: min, maxVersion: max })),
    throttleTimeMs: 0,
  };
}
