/**
 * Read and handshake timeouts for node-zookeeper-client, which has neither (its `readTimeout` is commented
 * out, and nothing bounds the wait for the server's answer to a connect request).
 *
 * The Java client that Kafka uses drops a connection on which nothing arrived for two thirds of the session
 * timeout, and one whose session handshake does not complete in time, then reconnects; the reconnect either
 * resumes the session or learns that it expired. Without that, a connection the server keeps open but never
 * answers would leave every request pending forever. Both happen with ZooKeeper 3.8: a connection accepted
 * while the server is still starting is neither served nor closed, and a connection that re-attaches to a
 * session being closed from another connection gets no more replies. The watchdog sends a tiny request
 * (exists "/") every third of the session timeout and drops the socket when one stays unanswered for two
 * thirds of it, or when the client has not been connected for a third of it (a handshake takes milliseconds;
 * the reconnect must still happen well within the session timeout for the session to survive).
 */
import * as zookeeper from 'node-zookeeper-client';

/** Watches one client's connection. */
export class ConnectionWatchdog {
  private readonly client: zookeeper.Client;
  private readonly onDeadConnection: (reason: string, socketDropped: boolean) => void;
  private timer: NodeJS.Timeout | null = null;
  private heartbeatSentAt: number | null = null;
  private lastHeartbeatAt = 0;
  private disconnectedSince: number | null = null;
  private readonly notConnectedTimeoutMs: number | undefined;

  /**
   * @param onDeadConnection called after the socket was dropped, or with `socketDropped` false if it could not
   *   be reached (the owner should then give the session up).
   * @param options.notConnectedTimeoutMs how long the client may stay unconnected before its socket is dropped;
   *   default a third of the session timeout.
   */
  constructor(
    client: zookeeper.Client,
    onDeadConnection: (reason: string, socketDropped: boolean) => void,
    options: { notConnectedTimeoutMs?: number } = {},
  ) {
    this.client = client;
    this.onDeadConnection = onDeadConnection;
    this.notConnectedTimeoutMs = options.notConnectedTimeoutMs;
  }

  start(): void {
    if (this.timer !== null) return;
    const intervalMs = Math.max(50, Math.min(1000, Math.floor(this.client.getSessionTimeout() / 3)));
    this.timer = setInterval(() => this.tick(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    this.heartbeatSentAt = null;
    this.disconnectedSince = null;
  }

  private tick(): void {
    const now = Date.now();
    const sessionTimeoutMs = this.client.getSessionTimeout();
    const readTimeoutMs = Math.floor((sessionTimeoutMs * 2) / 3);
    if (this.client.getState() !== zookeeper.State.SYNC_CONNECTED) {
      this.heartbeatSentAt = null;
      this.disconnectedSince ??= now;
      const limitMs = this.notConnectedTimeoutMs ?? Math.floor(sessionTimeoutMs / 3);
      if (now - this.disconnectedSince > limitMs) {
        this.disconnectedSince = now;
        this.dropConnection(`not connected to ZooKeeper for ${limitMs} ms`);
      }
      return;
    }
    this.disconnectedSince = null;
    if (this.heartbeatSentAt !== null) {
      const waited = now - this.heartbeatSentAt;
      if (waited > readTimeoutMs) {
        this.heartbeatSentAt = null;
        this.dropConnection(`no answer from ZooKeeper for ${waited} ms`);
      }
      return;
    }
    if (now - this.lastHeartbeatAt < sessionTimeoutMs / 3) return;
    const sentAt = now;
    this.heartbeatSentAt = sentAt;
    this.lastHeartbeatAt = sentAt;
    this.client.exists('/', () => {
      if (this.heartbeatSentAt === sentAt) this.heartbeatSentAt = null;
    });
  }

  private dropConnection(reason: string): void {
    // The library keeps its socket on its connection manager; destroying it takes the same path as a
    // network failure (pending requests get CONNECTIONLOSS, then it reconnects).
    const socket = (this.client as unknown as { connectionManager?: { socket?: { destroy(): void } } }).connectionManager
      ?.socket;
    if (socket !== undefined) socket.destroy();
    this.onDeadConnection(reason, socket !== undefined);
  }
}
