/**
 * The broker's listeners (Kafka's SocketServer): one TCP server per entry of `listeners`, each connection
 * wrapped in a KafkaChannel that hands request frames to the request processor.
 *
 * Only PLAINTEXT listeners are served; SSL and SASL listeners are refused at startup with a clear message.
 * Idle connections are closed after connections.max.idle.ms, as Kafka does.
 */
import net from 'node:net';
import { KafkaChannel, type ChannelLogger, type FrameProcessor } from './kafka-channel';

export interface ListenerEndPoint {
  name: string;
  /** Null or empty: the default interface. */
  host: string | null;
  port: number;
  securityProtocol: string;
}

export interface SocketServerOptions {
  maxRequestSize: number;
  maxQueuedRequests: number;
  connectionsMaxIdleMs: number;
  processor: FrameProcessor;
  logger: ChannelLogger & { error(msg: string, err?: unknown): void };
}

export class SocketServer {
  private readonly servers = new Map<string, net.Server>();
  private readonly bound = new Map<string, number>();
  private readonly channels = new Set<KafkaChannel>();
  private nextId = 0;
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(private readonly opts: SocketServerOptions) {}

  /** Binds every listener; resolves once all accept connections. Port 0 binds a free port. */
  async startup(listeners: readonly ListenerEndPoint[]): Promise<void> {
    for (const l of listeners) {
      if (l.securityProtocol !== 'PLAINTEXT') {
        throw new Error(
          `Listener ${l.name} uses security protocol ${l.securityProtocol}; this broker serves PLAINTEXT listeners only`,
        );
      }
      const server = net.createServer({ noDelay: true }, (socket) => this.accept(socket, l));
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        const host = l.host === null || l.host === '' ? undefined : l.host;
        server.listen({ port: l.port, host, backlog: 50 }, () => {
          server.off('error', reject);
          resolve();
        });
      });
      server.on('error', (err) => this.opts.logger.error(`Listener ${l.name} failed: ${err.message}`, err));
      const addr = server.address();
      this.bound.set(l.name, typeof addr === 'object' && addr !== null ? addr.port : l.port);
      this.servers.set(l.name, server);
      this.opts.logger.info(`Listening on ${l.name}://${l.host ?? ''}:${this.bound.get(l.name)} (${l.securityProtocol})`);
    }
    if (this.opts.connectionsMaxIdleMs > 0) {
      const period = Math.min(this.opts.connectionsMaxIdleMs, 30_000);
      this.idleTimer = setInterval(() => this.closeIdle(), period);
      this.idleTimer.unref();
    }
  }

  /** The port a listener is bound to (differs from the configured one when that was 0). */
  boundPort(listenerName: string): number | undefined {
    return this.bound.get(listenerName);
  }

  /** Stops accepting connections and closes every open one. */
  async shutdown(): Promise<void> {
    if (this.idleTimer) clearInterval(this.idleTimer);
    const closing = [...this.servers.values()].map(
      (s) => new Promise<void>((resolve) => s.close(() => resolve())),
    );
    for (const ch of [...this.channels]) ch.close('broker shutting down', 'debug');
    await Promise.all(closing);
    this.servers.clear();
  }

  get connectionCount(): number {
    return this.channels.size;
  }

  private accept(socket: net.Socket, listener: ListenerEndPoint): void {
    const id = `${socket.localAddress}:${socket.localPort}-${socket.remoteAddress}:${socket.remotePort}-${this.nextId++}`;
    const channel = new KafkaChannel(id, socket, listener.name, listener.securityProtocol, {
      maxRequestSize: this.opts.maxRequestSize,
      maxQueuedRequests: this.opts.maxQueuedRequests,
      processor: this.opts.processor,
      logger: this.opts.logger,
      onClose: (ch) => this.channels.delete(ch),
    });
    this.channels.add(channel);
  }

  private closeIdle(): void {
    const now = Date.now();
    for (const ch of this.channels) {
      if (now - ch.lastActivityMs > this.opts.connectionsMaxIdleMs) {
        ch.close(`idle for more than ${this.opts.connectionsMaxIdleMs} ms (connections.max.idle.ms)`, 'debug');
      }
    }
  }
}
