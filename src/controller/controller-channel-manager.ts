/**
 * ControllerChannelManager: the controller's connections to the brokers (Kafka's ControllerChannelManager.scala).
 *
 * One queue and one BrokerConnection per live broker, to the endpoint of `inter.broker.listener.name` taken from
 * the broker's znode. Requests to a broker go out one at a time, in order (Kafka's RequestSendThread with one
 * request in flight). A failed send (connect refused, timeout, reset) is logged, the connection is rebuilt after a
 * 100 ms backoff and the same request is retried for as long as the broker stays registered; removing the
 * broker (its znode vanished, or the controller resigned) drops its queue. The request version is the one a
 * 3.9 controller sends unless the broker's ApiVersions answer says it only knows older ones.
 */
import { BrokerConnection } from '../client/broker-connection';
import type { ApiKey } from '../protocol';
import type { ControllerLogger, ControllerLogging } from './controller-logger';
import type { BrokerEndPoint, ControllerBroker } from './controller-types';

/**
 * One control request (LeaderAndIsr, UpdateMetadata or StopReplica) to one broker. The bodies are built once the
 * version is known: StopReplica below v3 needs separate requests for deleted and kept partitions.
 */
export interface ControlRequest {
  readonly apiKey: ApiKey;
  /** The version a 3.9 controller sends (IBP 3.9). */
  readonly maxVersion: number;
  /** The oldest version this request can be expressed in. */
  readonly minVersion: number;
  /** Printable summary for logs. */
  readonly description: string;
  build(version: number): unknown[];
  /** Handles each decoded response; runs outside the event loop, so it may only enqueue events. */
  onResponse?(response: unknown, version: number): void;
}

/** Options of a ControllerChannelManager. */
export interface ControllerChannelManagerOptions {
  controllerId: number;
  /** `inter.broker.listener.name`: which advertised endpoint of each broker the controller connects to. */
  interBrokerListenerName: string;
  /** `controller.socket.timeout.ms`: how long connecting to a broker may take. */
  socketTimeoutMs: number;
  /** `request.timeout.ms`: how long a request may wait for its response (default: the socket timeout). */
  requestTimeoutMs?: number;
  /** Current controller epoch, for log lines. */
  controllerEpoch: () => number;
  logging: ControllerLogging;
  /** Pause before a failed request is retried. Default 100 ms (Kafka's RequestSendThread backoff). */
  retryBackoffMs?: number;
  /** Builds a connection; tests may substitute one. */
  connectionFactory?: (broker: ControllerBroker, endpoint: BrokerEndPoint) => BrokerConnection;
}

/** Kafka's Node.toString, used in channel log lines: `host:port (id: 1 rack: null)`. */
export function describeBrokerNode(broker: ControllerBroker, endpoint: BrokerEndPoint): string {
  return `${endpoint.host}:${endpoint.port} (id: ${broker.id} rack: ${broker.rack ?? 'null'})`;
}

export class ControllerChannelManager {
  private readonly senders = new Map<number, RequestSendLoop>();
  private readonly logger: ControllerLogger;

  constructor(private readonly opts: ControllerChannelManagerOptions) {
    this.logger = opts.logging.logger('kafka.controller.ControllerChannelManager',
      `Channel manager on controller ${opts.controllerId}`);
  }

  /** Ids of the brokers with a queue. */
  get brokerIds(): number[] {
    return [...this.senders.keys()];
  }

  startup(brokers: Iterable<ControllerBroker>): void {
    for (const b of brokers) this.addBroker(b);
  }

  /** Drops every queue and closes every connection. */
  shutdown(): void {
    for (const id of [...this.senders.keys()]) this.removeBroker(id);
  }

  addBroker(broker: ControllerBroker): void {
    if (this.senders.has(broker.id)) return;
    const endpoint = broker.endPoints.find((e) => e.listenerName === this.opts.interBrokerListenerName);
    if (endpoint === undefined) {
      this.logger.error(`Broker ${broker.id} has no endpoint for listener ${this.opts.interBrokerListenerName}; ` +
        `the controller cannot send it state change requests`);
      return;
    }
    this.logger.debug(`Controller ${this.opts.controllerId} trying to connect to broker ${broker.id}`);
    this.senders.set(broker.id, new RequestSendLoop(broker, endpoint, this.opts));
  }

  removeBroker(brokerId: number): void {
    const sender = this.senders.get(brokerId);
    if (sender === undefined) return;
    this.senders.delete(brokerId);
    sender.stop();
  }

  /** Queues a request; a request to a broker without a queue is dropped with a warning, as in Kafka. */
  sendRequest(brokerId: number, request: ControlRequest): void {
    const sender = this.senders.get(brokerId);
    if (sender === undefined) {
      this.logger.warn(`Not sending request ${request.description} to broker ${brokerId}, since it is offline.`);
      return;
    }
    sender.enqueue(request);
  }

  /** Number of requests waiting for a broker (including the one being sent). */
  queueSize(brokerId: number): number {
    return this.senders.get(brokerId)?.size ?? 0;
  }

  /** Resolves once every queue is empty (for orderly tests and shutdown). */
  async idle(): Promise<void> {
    await Promise.all([...this.senders.values()].map((s) => s.idle()));
  }
}

/** The queue, connection and send loop of one broker (Kafka's RequestSendThread). */
class RequestSendLoop {
  private readonly queue: ControlRequest[] = [];
  private connection: BrokerConnection | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  private wakeBackoff: (() => void) | undefined;
  private readonly logger: ControllerLogger;
  private readonly node: string;

  constructor(
    private readonly broker: ControllerBroker,
    private readonly endpoint: BrokerEndPoint,
    private readonly opts: ControllerChannelManagerOptions,
  ) {
    this.logger = opts.logging.logger('kafka.controller.RequestSendThread',
      `RequestSendThread controllerId=${opts.controllerId}`);
    this.node = describeBrokerNode(broker, endpoint);
  }

  get size(): number {
    return this.queue.length;
  }

  enqueue(request: ControlRequest): void {
    if (this.stopped) return;
    this.queue.push(request);
    if (this.running === undefined) {
      this.running = this.loop().finally(() => {
        this.running = undefined;
      });
    }
  }

  async idle(): Promise<void> {
    while (this.running !== undefined) await this.running;
  }

  stop(): void {
    this.stopped = true;
    this.queue.length = 0;
    this.connection?.close();
    this.connection = undefined;
    this.wakeBackoff?.();
  }

  private async loop(): Promise<void> {
    while (!this.stopped && this.queue.length > 0) {
      const request = this.queue[0]!;
      await this.sendWithRetries(request);
      if (this.queue[0] === request) this.queue.shift();
    }
  }

  private async sendWithRetries(request: ControlRequest): Promise<void> {
    while (!this.stopped) {
      try {
        const connection = await this.readyConnection();
        const version = connection.pickVersion(request.apiKey, request.minVersion, request.maxVersion);
        const responses: unknown[] = [];
        for (const body of request.build(version)) {
          responses.push(await connection.request(request.apiKey, version, body as never,
            { timeoutMs: this.opts.requestTimeoutMs ?? this.opts.socketTimeoutMs }));
        }
        if (this.stopped) return;
        for (const response of responses) {
          try {
            request.onResponse?.(response, version);
          } catch (e) {
            this.logger.error(`Controller ${this.opts.controllerId} failed to handle the response to ` +
              `${request.description} from broker ${this.node}`, e);
          }
        }
        return;
      } catch (e) {
        if (this.stopped) return;
        this.logger.warn(`Controller ${this.opts.controllerId} epoch ${this.opts.controllerEpoch()} fails to send ` +
          `request ${request.description} to broker ${this.node}. Reconnecting to broker.`, e);
        this.connection?.close();
        this.connection = undefined;
        await this.backoff();
      }
    }
  }

  private async readyConnection(): Promise<BrokerConnection> {
    if (this.connection !== undefined && this.connection.isConnected && this.connection.apiVersions !== undefined) {
      return this.connection;
    }
    this.connection?.close();
    const connection = this.opts.connectionFactory?.(this.broker, this.endpoint) ?? new BrokerConnection({
      host: this.endpoint.host,
      port: this.endpoint.port,
      nodeId: this.broker.id,
      // Kafka's controller NetworkClient uses the controller's broker id as client id.
      clientId: String(this.opts.controllerId),
      connectTimeoutMs: this.opts.socketTimeoutMs,
      requestTimeoutMs: this.opts.requestTimeoutMs ?? this.opts.socketTimeoutMs,
    });
    this.connection = connection;
    try {
      await connection.ready();
    } catch (e) {
      this.logger.warn(`Controller ${this.opts.controllerId}'s connection to broker ${this.node} was unsuccessful`, e);
      throw e;
    }
    this.logger.info(`Controller ${this.opts.controllerId} connected to ${this.node} for sending state change requests`);
    return connection;
  }

  private backoff(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wakeBackoff = undefined;
        resolve();
      }, this.opts.retryBackoffMs ?? 100);
      this.wakeBackoff = () => {
        clearTimeout(timer);
        this.wakeBackoff = undefined;
        resolve();
      };
    });
  }
}
