/**
 * One TCP connection from a client (tools, producer, consumer, the controller) to one Kafka broker.
 *
 * Size-prefixed framing (FrameDecoder: frames inside one socket chunk are sliced, never copied),
 * increasing correlation ids, any number of requests in flight with responses matched in order (Kafka
 * answers in request order on a connection), a request written in one syscall (cork/uncork → writev),
 * acks=0 Produce requests that expect no response, and ApiVersions negotiation (KIP-35/KIP-511: send the
 * newest ApiVersions we know; a broker that does not know it answers a v0 body with UNSUPPORTED_VERSION
 * and its own range, and we retry within that range).
 *
 * Like Kafka's NetworkClient, a request that times out closes the connection: every other request in
 * flight on it is rejected with a KafkaConnectionError. A connection closed by an error reconnects on
 * the next request; one closed with close() stays closed.
 */

import { EventEmitter } from 'node:events';
import * as net from 'node:net';
import {
  ApiKeys,
  ErrorCode,
  apiName,
  decodeResponse,
  encodeRequest,
  supportedVersions,
  type ApiKey,
  type RequestInputOf,
  type ResponseOf,
} from '../protocol';
import { FrameDecoder } from '../network/frame-decoder';
import {
  ClientClosedError,
  CorrelationMismatchError,
  KafkaConnectionError,
  RequestTimeoutError,
  UnsupportedVersionError,
} from './client-errors';

/** Options of a BrokerConnection. */
export interface BrokerConnectionOptions {
  host: string;
  port: number;
  /** Sent in every request header; null sends a null client id. Default `ts-kafka`. */
  clientId?: string | null;
  /** Broker id, when known (only for messages). */
  nodeId?: number;
  /** Time allowed for the TCP connect (Kafka's socket.connection.setup.timeout.ms). Default 10000. */
  connectTimeoutMs?: number;
  /** Default per-request timeout (Kafka's request.timeout.ms). Default 30000. */
  requestTimeoutMs?: number;
  /** Largest response frame accepted. Default 1 GiB. */
  maxResponseBytes?: number;
  /** Client software name/version sent in ApiVersions v3+. */
  clientSoftwareName?: string;
  clientSoftwareVersion?: string;
}

/** Per-request options. */
export interface RequestOptions {
  /** Overrides the connection's requestTimeoutMs for this request. */
  timeoutMs?: number;
  /** False for requests the broker does not answer (Produce with acks=0). Default true. */
  expectResponse?: boolean;
}

/** An inclusive range of versions of one API. */
export interface VersionRange {
  min: number;
  max: number;
}

interface InFlight {
  correlationId: number;
  apiKey: number;
  version: number;
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout | undefined;
}

const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024 * 1024;
const MAX_CORRELATION_ID = 0x7fffffff;

type State = 'disconnected' | 'connecting' | 'connected' | 'closed';

/**
 * A connection to one broker. Emits `close` (with the error that closed it, if any) each time the
 * socket goes away.
 */
export class BrokerConnection extends EventEmitter {
  readonly host: string;
  readonly port: number;
  readonly clientId: string | null;
  readonly nodeId: number | undefined;
  private readonly connectTimeoutMs: number;
  private readonly requestTimeoutMs: number;
  private readonly maxResponseBytes: number;
  private readonly clientSoftwareName: string;
  private readonly clientSoftwareVersion: string;

  private state: State = 'disconnected';
  private socket: net.Socket | undefined;
  private connecting: Promise<void> | undefined;
  private connectReject: ((err: Error) => void) | undefined;
  private decoder: FrameDecoder | undefined;
  private readonly inFlight: InFlight[] = [];
  private nextCorrelationId = 0;
  private versions: Map<number, VersionRange> | undefined;
  private negotiating: Promise<Map<number, VersionRange>> | undefined;

  constructor(options: BrokerConnectionOptions) {
    super();
    this.host = options.host;
    this.port = options.port;
    this.clientId = options.clientId === undefined ? 'ts-kafka' : options.clientId;
    this.nodeId = options.nodeId;
    this.connectTimeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    this.requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    this.maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    this.clientSoftwareName = options.clientSoftwareName ?? 'ts-kafka';
    this.clientSoftwareVersion = options.clientSoftwareVersion ?? '0.1.0';
  }

  /** `host:port` (with the node id when known), for messages. */
  get address(): string {
    return this.nodeId === undefined
      ? `${this.host}:${this.port}`
      : `${this.host}:${this.port} (id: ${this.nodeId})`;
  }

  /** True while the TCP connection is established. */
  get isConnected(): boolean {
    return this.state === 'connected';
  }

  /** True once close() was called. */
  get isClosed(): boolean {
    return this.state === 'closed';
  }

  /** Number of requests sent and not yet answered. */
  get inFlightCount(): number {
    return this.inFlight.length;
  }

  /** The broker's API version ranges from the last negotiation on the current socket, if any. */
  get apiVersions(): ReadonlyMap<number, VersionRange> | undefined {
    return this.versions;
  }

  /** Opens the TCP connection (no-op when connected). Rejects with KafkaConnectionError. */
  connect(): Promise<void> {
    if (this.state === 'connected') return Promise.resolve();
    if (this.state === 'closed') return Promise.reject(new ClientClosedError(`Connection to ${this.address}`));
    if (this.connecting) return this.connecting;
    this.state = 'connecting';
    const socket = net.connect({ host: this.host, port: this.port });
    socket.setNoDelay(true);
    socket.setKeepAlive(true);
    this.socket = socket;
    this.decoder = new FrameDecoder(this.maxResponseBytes);
    this.connecting = new Promise<void>((resolve, reject) => {
      this.connectReject = reject;
      let lastError: Error | undefined;
      const timer = setTimeout(() => {
        socket.destroy(new Error(`connection setup timed out after ${this.connectTimeoutMs} ms`));
      }, this.connectTimeoutMs);
      timer.unref();
      socket.once('connect', () => {
        clearTimeout(timer);
        if (this.socket !== socket) return;
        this.state = 'connected';
        this.connecting = undefined;
        this.connectReject = undefined;
        resolve();
      });
      socket.on('data', (chunk: Buffer) => this.onData(socket, chunk));
      // 'close' always follows 'error'; the error is only remembered for the message.
      socket.on('error', (err) => {
        lastError = err;
      });
      socket.once('close', () => {
        clearTimeout(timer);
        if (this.socket !== socket) return;
        const wasConnecting = this.state === 'connecting';
        const reason = lastError ? `: ${lastError.message}` : '';
        this.teardown(
          new KafkaConnectionError(
            this.address,
            wasConnecting ? `Connection to ${this.address} failed${reason}` : `Connection to ${this.address} was closed${reason}`,
            { cause: lastError },
          ),
        );
      });
    });
    return this.connecting;
  }

  /**
   * Sends one request and resolves with the decoded response body. Rejects with KafkaConnectionError
   * when the connection fails or is closed, RequestTimeoutError when no response comes in time.
   */
  request<K extends ApiKey>(
    apiKey: K,
    version: number,
    body: RequestInputOf<K>,
    options: RequestOptions & { expectResponse: false },
  ): Promise<undefined>;
  request<K extends ApiKey>(
    apiKey: K,
    version: number,
    body: RequestInputOf<K>,
    options?: RequestOptions,
  ): Promise<ResponseOf<K>>;
  request<K extends ApiKey>(
    apiKey: K,
    version: number,
    body: RequestInputOf<K>,
    options?: RequestOptions,
  ): Promise<ResponseOf<K> | undefined> {
    if (this.state === 'closed') {
      return Promise.reject(new ClientClosedError(`Connection to ${this.address}`));
    }
    if (this.state === 'disconnected') {
      // Node queues writes on a connecting socket, so the request goes out as soon as it connects;
      // a connect failure rejects it through teardown().
      this.connect().catch(() => undefined);
    }
    const correlationId = this.nextCorrelationId;
    this.nextCorrelationId = correlationId === MAX_CORRELATION_ID ? 0 : correlationId + 1;
    let frame: Buffer[];
    try {
      frame = encodeRequest<K>(
        { apiKey, apiVersion: version, correlationId, clientId: this.clientId },
        body,
      );
    } catch (err) {
      return Promise.reject(err);
    }
    const socket = this.socket!;
    if (options?.expectResponse === false) {
      return new Promise<undefined>((resolve, reject) => {
        this.write(socket, frame, (err) => {
          if (err) {
            reject(new KafkaConnectionError(this.address, `Write to ${this.address} failed: ${err.message}`, { cause: err }));
          } else {
            resolve(undefined);
          }
        });
      });
    }
    return new Promise<ResponseOf<K>>((resolve, reject) => {
      const timeoutMs = options?.timeoutMs ?? this.requestTimeoutMs;
      const entry: InFlight = {
        correlationId,
        apiKey,
        version,
        resolve: resolve as (value: unknown) => void,
        reject,
        timer: undefined,
      };
      if (timeoutMs > 0 && Number.isFinite(timeoutMs)) {
        entry.timer = setTimeout(() => this.onTimeout(entry, timeoutMs), timeoutMs);
        entry.timer.unref();
      }
      this.inFlight.push(entry);
      this.write(socket, frame);
    });
  }

  /**
   * Asks the broker which API versions it supports (ApiVersions, newest version we know first, the
   * broker's own range after an UNSUPPORTED_VERSION answer). The result is cached for the life of the
   * current socket.
   */
  negotiateApiVersions(): Promise<ReadonlyMap<number, VersionRange>> {
    if (this.versions && this.state === 'connected') return Promise.resolve(this.versions);
    if (this.negotiating) return this.negotiating;
    const ours = supportedVersions(ApiKeys.ApiVersions)!;
    const run = async (): Promise<Map<number, VersionRange>> => {
      let version = ours.max;
      for (let attempt = 0; attempt < 3; attempt++) {
        const response = await this.request(ApiKeys.ApiVersions, version, {
          clientSoftwareName: this.clientSoftwareName,
          clientSoftwareVersion: this.clientSoftwareVersion,
        });
        if (response.errorCode === ErrorCode.UNSUPPORTED_VERSION) {
          const theirs = response.apiKeys.find((k) => k.apiKey === ApiKeys.ApiVersions);
          const next = theirs ? Math.min(theirs.maxVersion, ours.max) : 0;
          version = next < version ? next : 0;
          continue;
        }
        if (response.errorCode !== ErrorCode.NONE) {
          throw new UnsupportedVersionError(
            ApiKeys.ApiVersions,
            `ApiVersions v${version} to ${this.address} failed with error code ${response.errorCode}`,
          );
        }
        const map = new Map<number, VersionRange>();
        for (const k of response.apiKeys) map.set(k.apiKey, { min: k.minVersion, max: k.maxVersion });
        return map;
      }
      throw new UnsupportedVersionError(ApiKeys.ApiVersions, `No ApiVersions version accepted by ${this.address}`);
    };
    const socket = this.socket;
    this.negotiating = run().then(
      (map) => {
        this.negotiating = undefined;
        if (this.socket === socket || socket === undefined) this.versions = map;
        return map;
      },
      (err: unknown) => {
        this.negotiating = undefined;
        throw err;
      },
    );
    return this.negotiating;
  }

  /** Connects and negotiates API versions (no-op when both are done). */
  async ready(): Promise<void> {
    await this.connect();
    await this.negotiateApiVersions();
  }

  /**
   * The highest version of `apiKey` that both the broker (per the last negotiation) and the caller
   * (`ourMin`..`ourMax`, clamped to what the protocol definitions know) support. Throws
   * UnsupportedVersionError when the ranges do not overlap or versions were not negotiated.
   */
  pickVersion(apiKey: number, ourMin: number, ourMax: number): number {
    const known = supportedVersions(apiKey as ApiKey);
    const theirs = this.versions?.get(apiKey);
    if (!this.versions) {
      throw new UnsupportedVersionError(apiKey, `API versions of ${this.address} have not been negotiated`);
    }
    if (!theirs || !known) {
      throw new UnsupportedVersionError(apiKey, `The broker ${this.address} does not support ${apiName(apiKey) ?? `api key ${apiKey}`}`);
    }
    const max = Math.min(ourMax, theirs.max, known.max);
    const min = Math.max(ourMin, theirs.min, known.min);
    if (max < min) {
      throw new UnsupportedVersionError(
        apiKey,
        `No common version of ${apiName(apiKey) ?? `api key ${apiKey}`}: we support ${ourMin}-${ourMax}, ${this.address} supports ${theirs.min}-${theirs.max}`,
      );
    }
    return max;
  }

  /** Closes the connection for good; requests in flight are rejected with ClientClosedError. */
  close(): void {
    if (this.state === 'closed') return;
    const err = new ClientClosedError(`Connection to ${this.address}`);
    const socket = this.socket;
    this.teardown(err);
    this.state = 'closed';
    socket?.destroy();
  }

  private write(socket: net.Socket, frame: Buffer[], cb?: (err?: Error | null) => void): void {
    if (frame.length === 1) {
      socket.write(frame[0]!, cb);
      return;
    }
    socket.cork();
    for (let i = 0; i < frame.length; i++) {
      socket.write(frame[i]!, i === frame.length - 1 ? cb : undefined);
    }
    socket.uncork();
  }

  private onData(socket: net.Socket, chunk: Buffer): void {
    if (this.socket !== socket || !this.decoder) return;
    let frames: Buffer[];
    try {
      frames = this.decoder.push(chunk);
    } catch (err) {
      this.fail(
        new KafkaConnectionError(this.address, `Invalid response framing from ${this.address}: ${(err as Error).message}`, {
          cause: err,
        }),
      );
      return;
    }
    for (const frame of frames) {
      if (this.socket !== socket) return;
      this.onFrame(frame);
    }
  }

  private onFrame(frame: Buffer): void {
    const entry = this.inFlight.shift();
    if (frame.length < 4) {
      this.fail(new KafkaConnectionError(this.address, `Truncated response from ${this.address}`));
      if (entry) entry.reject(new KafkaConnectionError(this.address, `Truncated response from ${this.address}`));
      return;
    }
    const correlationId = frame.readInt32BE(0);
    if (!entry || entry.correlationId !== correlationId) {
      const err = new CorrelationMismatchError(this.address, entry ? entry.correlationId : -1, correlationId);
      if (entry) {
        if (entry.timer) clearTimeout(entry.timer);
        entry.reject(err);
      }
      this.fail(err);
      return;
    }
    if (entry.timer) clearTimeout(entry.timer);
    let version = entry.version;
    // KIP-511: a broker that does not know our ApiVersions version answers with a v0 body carrying
    // UNSUPPORTED_VERSION. The error code is the first body field in every version (after the v0
    // response header), so it can be read before choosing the version to decode with.
    if (entry.apiKey === ApiKeys.ApiVersions && frame.length >= 6 && frame.readInt16BE(4) === ErrorCode.UNSUPPORTED_VERSION) {
      version = 0;
    }
    let body: unknown;
    try {
      body = decodeResponse(entry.apiKey as ApiKey, version, frame).body;
    } catch (err) {
      entry.reject(err as Error);
      // The framing is intact but we cannot trust what follows on this stream either.
      this.fail(
        new KafkaConnectionError(this.address, `Undecodable response from ${this.address}: ${(err as Error).message}`, {
          cause: err,
        }),
      );
      return;
    }
    entry.resolve(body);
  }

  private onTimeout(entry: InFlight, timeoutMs: number): void {
    const index = this.inFlight.indexOf(entry);
    if (index < 0) return;
    this.inFlight.splice(index, 1);
    entry.reject(new RequestTimeoutError(this.address, entry.apiKey, timeoutMs));
    this.fail(
      new KafkaConnectionError(this.address, `Disconnected from ${this.address} after a request timed out`),
    );
  }

  /** Drops the socket after an error; the next request reconnects. */
  private fail(err: Error): void {
    const socket = this.socket;
    this.teardown(err);
    socket?.destroy();
  }

  private teardown(err: Error): void {
    if (this.state === 'closed') return;
    this.state = 'disconnected';
    this.socket = undefined;
    this.decoder = undefined;
    this.connecting = undefined;
    this.versions = undefined;
    const connectReject = this.connectReject;
    this.connectReject = undefined;
    connectReject?.(err);
    const pending = this.inFlight.splice(0, this.inFlight.length);
    for (const entry of pending) {
      if (entry.timer) clearTimeout(entry.timer);
      entry.reject(err);
    }
    this.emit('close', err);
  }
}
