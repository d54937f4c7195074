/**
 * The ZooKeeper session layer: Kafka's ZooKeeperClient (core/src/main/scala/kafka/zookeeper) over
 * node-zookeeper-client, with a promise API.
 *
 * - Parses `zookeeper.connect` (`host1:2181,host2:2181/chroot`) and, like Kafka, creates a missing chroot
 *   through a chroot-less connection before opening the chrooted session.
 * - Requests that fail with CONNECTIONLOSS are retried once the client reconnects (Kafka's
 *   retryRequestsUntilConnected); any other result code surfaces as a typed ZkError.
 * - Watches are one-shot. Change handlers are registered by path and re-armed by reading with `watch: true`,
 *   exactly as Kafka's ZNodeChangeHandler / ZNodeChildChangeHandler.
 * - Like the Java client, a connection that stops answering (or a handshake that never completes) is dropped
 *   and re-established (zk-connection-watchdog.ts); node-zookeeper-client has no read timeout of its own.
 * - On session expiry it emits 'sessionExpired' (beforeInitializingSession), opens a new session, then emits
 *   'sessionReestablished' (afterInitializingSession) so the broker re-registers and re-runs the election.
 *   Listeners must only enqueue work: they run synchronously from the client's event loop turn.
 */
import { EventEmitter } from 'node:events';
import * as zookeeper from 'node-zookeeper-client';
import { ZkError, ZooKeeperClientTimeoutError } from './zk-errors';
import {
  CreateMode,
  DEFAULT_MAX_REQUEST_BYTES,
  ZkVersion,
  joinPath,
  multiError,
  parentOf,
  parseZkConnect,
  toOpResult,
  toStat,
  translate,
  type RawOpResult,
  type ZkConnectString,
  type ZkOp,
  type ZkOpResult,
  type ZkStat,
} from './zk-ops';
import { ConnectionWatchdog } from './zk-connection-watchdog';
import { WatchHandlers, type ZNodeChangeHandler } from './zk-watch-handlers';

export * from './zk-ops';
export type { ZNodeChangeHandler } from './zk-watch-handlers';

/** Minimal logger; a winston Logger fits. */
export interface ZkLogger {
  info(message: string): void;
  warn(message: string): void;
  debug?(message: string): void;
}

/** Options for {@link ZkSession}. */
export interface ZkSessionOptions {
  /** `zookeeper.connect`: `host:port[,host:port...][/chroot]`. */
  connectString: string;
  /** `zookeeper.session.timeout.ms` (Kafka 3.9 default 18000). */
  sessionTimeoutMs?: number;
  /** `zookeeper.connection.timeout.ms` (defaults to the session timeout, as in Kafka). */
  connectionTimeoutMs?: number;
  /** Create the chroot if it is missing (Kafka does for brokers). Default true. */
  createChroot?: boolean;
  /** Cap on the bytes of data in one request. Default {@link DEFAULT_MAX_REQUEST_BYTES}. */
  maxRequestBytes?: number;
  logger?: ZkLogger;
}

interface Inflight {
  client: zookeeper.Client;
  reject(error: unknown): void;
}

const NO_LOGGER: ZkLogger = { info() {}, warn() {} };

/** Events emitted by {@link ZkSession}. */
export interface ZkSessionEvents {
  sessionExpired: [];
  sessionReestablished: [];
  /** A new session could not be opened after expiry; retried until close(). */
  sessionReestablishFailed: [error: unknown];
}

/**
 * A ZooKeeper session with automatic re-creation after expiry. Create with {@link ZkSession.connect}.
 */
export class ZkSession extends EventEmitter<ZkSessionEvents> {
  readonly sessionTimeoutMs: number;
  readonly connectionTimeoutMs: number;
  /** The servers and chroot of `zookeeper.connect`. */
  readonly zkConnect: ZkConnectString;
  private readonly options: ZkSessionOptions;
  private readonly logger: ZkLogger;
  private readonly maxRequestBytes: number;
  private client: zookeeper.Client | null = null;
  private watchdog: ConnectionWatchdog | null = null;
  private ready: Promise<zookeeper.Client>;
  private resolveReady: (client: zookeeper.Client) => void = () => {};
  private rejectReady: (error: unknown) => void = () => {};
  private closed = false;
  private readonly inflight = new Set<Inflight>();
  private readonly handlers: WatchHandlers;
  private readonly watcher = (event: zookeeper.Event): void => this.handlers.dispatch(event);

  /** Opens a session (creating the chroot first if needed). Throws ZooKeeperClientTimeoutError on timeout. */
  static async connect(options: ZkSessionOptions): Promise<ZkSession> {
    const session = new ZkSession(options);
    await session.start();
    return session;
  }

  constructor(options: ZkSessionOptions) {
    super();
    this.options = options;
    this.zkConnect = parseZkConnect(options.connectString);
    this.sessionTimeoutMs = options.sessionTimeoutMs ?? 18_000;
    this.connectionTimeoutMs = options.connectionTimeoutMs ?? this.sessionTimeoutMs;
    this.maxRequestBytes = options.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES;
    this.logger = options.logger ?? NO_LOGGER;
    this.handlers = new WatchHandlers(this.logger);
    this.ready = this.newReadyPromise();
  }

  /** Connects; called by {@link ZkSession.connect}. */
  async start(): Promise<void> {
    const { servers, chroot } = this.zkConnect;
    if (chroot !== null && this.options.createChroot !== false) {
      const bootstrap = await this.openClient(servers);
      try {
        await this.ensureChroot(bootstrap, chroot);
      } finally {
        await closeClient(bootstrap, 2000);
      }
    }
    const client = await this.openClient(chroot === null ? servers : `${servers}${chroot}`);
    if (this.closed) {
      await closeClient(client, 2000);
      throw ZkError.of('CONNECTIONLOSS');
    }
    this.install(client);
  }

  /** The current session id (as ZooKeeper's signed 64-bit value), or 0n before connecting. */
  get sessionId(): bigint {
    return this.client === null ? 0n : this.client.getSessionId().readBigInt64BE(0);
  }

  /** Whether the session is connected right now. */
  get isConnected(): boolean {
    return this.client !== null && this.client.getState() === zookeeper.State.SYNC_CONNECTED;
  }

  /**
   * The current session's id and password and the chroot-less server list: what a test needs to expire the
   * session for real (connect a second client with them and close it).
   */
  sessionCredentials(): { servers: string; sessionId: Buffer; password: Buffer } {
    if (this.client === null) throw ZkError.of('CONNECTIONLOSS');
    return {
      servers: this.zkConnect.servers,
      sessionId: this.client.getSessionId(),
      password: this.client.getSessionPassword(),
    };
  }

  /** Creates a znode; returns the created path (with the sequence suffix for sequential modes). */
  async create(path: string, data: Buffer | null, mode: CreateMode = CreateMode.PERSISTENT): Promise<string> {
    this.checkSize([data], path);
    return this.request<string>(path, (client, done) => {
      const cb = (error: Error | zookeeper.Exception | null, created: string) => done(error, created);
      if (data === null) client.create(path, mode, cb);
      else client.create(path, data, mode, cb);
    });
  }

  /**
   * Creates `path`, creating missing parents (with no data) first, as Kafka's createRecursive.
   * @param options.throwIfPathExists default true: NODEEXISTS on `path` itself is thrown.
   */
  async createRecursive(
    path: string,
    data: Buffer | null = null,
    options: { throwIfPathExists?: boolean; mode?: CreateMode } = {},
  ): Promise<void> {
    const throwIfPathExists = options.throwIfPathExists ?? true;
    try {
      await this.create(path, data, options.mode ?? CreateMode.PERSISTENT);
      return;
    } catch (e) {
      if (!(e instanceof ZkError)) throw e;
      if (e.code === 'NODEEXISTS') {
        if (throwIfPathExists) throw e;
        return;
      }
      if (e.code !== 'NONODE') throw e;
    }
    await this.createParents(parentOf(path));
    try {
      await this.create(path, data, options.mode ?? CreateMode.PERSISTENT);
    } catch (e) {
      if (!(e instanceof ZkError) || e.code !== 'NODEEXISTS' || throwIfPathExists) throw e;
    }
  }

  /** Reads a znode's data (empty when it has none) and Stat. Throws NONODE. */
  async getData(path: string, options: { watch?: boolean } = {}): Promise<{ data: Buffer; stat: ZkStat }> {
    return this.request(path, (client, done) => {
      const cb = (error: Error | zookeeper.Exception | null, data: Buffer, stat: zookeeper.Stat) =>
        done(error, error ? undefined : { data: data ?? Buffer.alloc(0), stat: toStat(stat) });
      if (options.watch) client.getData(path, this.watcher, cb);
      else client.getData(path, cb);
    });
  }

  /** Writes a znode's data if its dataVersion equals `version` (-1: any). Returns the new Stat. */
  async setData(path: string, data: Buffer | null, version: number = ZkVersion.MatchAny): Promise<ZkStat> {
    this.checkSize([data], path);
    return this.request(path, (client, done) => {
      client.setData(path, data, version, (error, stat) => done(error, error ? undefined : toStat(stat)));
    });
  }

  /** Deletes a znode if its dataVersion equals `version` (-1: any). Throws NONODE, NOTEMPTY, BADVERSION. */
  async delete(path: string, version: number = ZkVersion.MatchAny): Promise<void> {
    await this.request<void>(path, (client, done) => {
      client.remove(path, version, (error) => done(error, undefined));
    });
  }

  /**
   * Deletes a znode and everything under it (children first). Returns false if it did not exist.
   * Children that vanish concurrently are fine.
   */
  async deleteRecursive(path: string): Promise<boolean> {
    let children: string[];
    try {
      children = await this.getChildren(path);
    } catch (e) {
      if (e instanceof ZkError && e.code === 'NONODE') return false;
      throw e;
    }
    for (const child of children) await this.deleteRecursive(joinPath(path, child));
    try {
      await this.delete(path);
    } catch (e) {
      if (!(e instanceof ZkError) || e.code !== 'NONODE') throw e;
    }
    return true;
  }

  /** Returns the Stat of `path`, or null if it does not exist. With `watch`, arms a data/existence watch. */
  async exists(path: string, options: { watch?: boolean } = {}): Promise<ZkStat | null> {
    return this.request(path, (client, done) => {
      const cb = (error: Error | zookeeper.Exception | null, stat: zookeeper.Stat) =>
        done(error, error ? undefined : stat ? toStat(stat) : null);
      if (options.watch) client.exists(path, this.watcher, cb);
      else client.exists(path, cb);
    });
  }

  /** Lists the children's names (unsorted, as ZooKeeper returns them). Throws NONODE. */
  async getChildren(path: string, options: { watch?: boolean } = {}): Promise<string[]> {
    return this.request(path, (client, done) => {
      const cb = (error: Error | zookeeper.Exception | null, children: string[]) =>
        done(error, error ? undefined : children);
      if (options.watch) client.getChildren(path, this.watcher, cb);
      else client.getChildren(path, cb);
    });
  }

  /**
   * Runs ops atomically. Returns one result per op; if any op fails, nothing is applied and a ZkMultiError
   * names the failing op (`failedOpIndex`) and every op's code.
   */
  async multi(ops: readonly ZkOp[]): Promise<ZkOpResult[]> {
    if (ops.length === 0) return [];
    this.checkSize(
      ops.map((op) => (op.type === 'create' || op.type === 'setData' ? op.data : null)),
      ops[0].path,
    );
    return this.request(ops[0].path, (client, done) => {
      const tx = client.transaction();
      for (const op of ops) {
        switch (op.type) {
          case 'create':
            tx.create(op.path, op.data ?? undefined, op.mode ?? CreateMode.PERSISTENT);
            break;
          case 'setData':
            tx.setData(op.path, op.data, op.version);
            break;
          case 'delete':
            tx.remove(op.path, op.version);
            break;
          case 'check':
            tx.check(op.path, op.version);
            break;
        }
      }
      // node-zookeeper-client's Transaction turns version 0 into -1 (`version || -1`), which would make
      // "setData expecting version 0" and "check version 0" unconditional. Restore the versions we meant.
      const queued = (tx as unknown as { ops: Array<{ version?: number }> }).ops;
      ops.forEach((op, i) => {
        if (op.type !== 'create') queued[i].version = op.version;
      });
      tx.commit((error, results: RawOpResult[] | undefined) => {
        if (error !== null && error !== undefined) {
          if (Array.isArray(results) && results.length === ops.length) {
            done(null, undefined, multiError(ops, results));
          } else {
            done(error, undefined);
          }
          return;
        }
        done(null, (results ?? []).map((r) => toOpResult(r)));
      });
    });
  }

  /** Registers the handler for data/existence events on `path`; arm it with exists/getData `watch: true`. */
  registerZNodeChangeHandler(path: string, handler: ZNodeChangeHandler): void {
    this.handlers.zNodeChangeHandlers.set(path, handler);
  }

  unregisterZNodeChangeHandler(path: string): void {
    this.handlers.zNodeChangeHandlers.delete(path);
  }

  /** Registers the handler for child changes of `path`; arm it with getChildren `watch: true`. */
  registerZNodeChildChangeHandler(path: string, onChildChange: (path: string) => void): void {
    this.handlers.zNodeChildChangeHandlers.set(path, onChildChange);
  }

  unregisterZNodeChildChangeHandler(path: string): void {
    this.handlers.zNodeChildChangeHandlers.delete(path);
  }

  /** Resolves when the session is connected (throws SESSIONEXPIRED if it expires first). */
  async waitUntilConnected(): Promise<void> {
    const client = await this.currentClient();
    await this.awaitConnected(client);
  }

  /** Ends the session: its ephemeral nodes disappear at once. Pending requests fail with CONNECTIONLOSS. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const client = this.client;
    this.client = null;
    this.watchdog?.stop();
    this.rejectReady(new ZkError('CONNECTIONLOSS', 'the ZooKeeper session is closed'));
    for (const entry of [...this.inflight]) entry.reject(ZkError.of('CONNECTIONLOSS'));
    this.inflight.clear();
    this.handlers.clear();
    if (client !== null) await closeClient(client, this.connectionTimeoutMs);
  }

  // --- internals -------------------------------------------------------------------------------------------

  private newReadyPromise(): Promise<zookeeper.Client> {
    const promise = new Promise<zookeeper.Client>((resolve, reject) => {
      this.resolveReady = resolve;
      this.rejectReady = reject;
    });
    // Rejected only by close(); requests awaiting it see the rejection, nobody else needs to.
    promise.catch(() => {});
    return promise;
  }

  private install(client: zookeeper.Client): void {
    this.client = client;
    client.on('expired', () => this.onExpired(client));
    this.watchdog = new ConnectionWatchdog(client, (reason, socketDropped) => {
      this.logger.warn(`${reason}; ${socketDropped ? 'reconnecting' : 'giving the session up'}`);
      if (!socketDropped) this.onExpired(client);
    });
    this.watchdog.start();
    this.resolveReady(client);
    this.ready = Promise.resolve(client);
    this.logger.info(`ZooKeeper session 0x${this.sessionId.toString(16)} established (${this.options.connectString})`);
  }

  private async currentClient(): Promise<zookeeper.Client> {
    if (this.closed) throw new ZkError('CONNECTIONLOSS', 'the ZooKeeper session is closed');
    return this.ready;
  }

  /** Opens a client and waits for SyncConnected, at most connectionTimeoutMs. */
  private openClient(connect: string): Promise<zookeeper.Client> {
    const client = zookeeper.createClient(connect, {
      sessionTimeout: this.sessionTimeoutMs,
      spinDelay: 200,
      retries: 0,
    });
    // A server that accepts the connection but never answers the handshake would otherwise hold us until the
    // connection timeout; retry the connection a few times within it.
    const watchdog = new ConnectionWatchdog(client, () => {}, {
      notConnectedTimeoutMs: Math.max(500, Math.floor(this.connectionTimeoutMs / 3)),
    });
    watchdog.start();
    return new Promise((resolve, reject) => {
      let state = 'CONNECTING';
      const onState = (s: zookeeper.State) => {
        state = s.name;
        if (s === zookeeper.State.SYNC_CONNECTED) {
          clearTimeout(timer);
          watchdog.stop();
          client.removeListener('state', onState);
          resolve(client);
        }
      };
      const timer = setTimeout(() => {
        watchdog.stop();
        client.removeListener('state', onState);
        void closeClient(client, 0);
        reject(
          new ZooKeeperClientTimeoutError(
            `Timed out waiting for connection to ZooKeeper (${connect}) while in state: ${state}` +
              ` after ${this.connectionTimeoutMs} ms (zookeeper.connection.timeout.ms)`,
          ),
        );
      }, this.connectionTimeoutMs);
      client.on('state', onState);
      client.connect();
    });
  }

  private async ensureChroot(client: zookeeper.Client, chroot: string): Promise<void> {
    let current = '';
    for (const part of chroot.split('/').slice(1)) {
      current += `/${part}`;
      await new Promise<void>((resolve, reject) => {
        client.create(current, (error) => {
          if (error && (error as zookeeper.Exception).code !== zookeeper.Exception.NODE_EXISTS) {
            reject(translate(error, current));
          } else resolve();
        });
      });
    }
    this.logger.info(`ensured chroot ${chroot} exists`);
  }

  private async createParents(path: string): Promise<void> {
    if (path === '/' || path === '') return;
    try {
      await this.create(path, null, CreateMode.PERSISTENT);
    } catch (e) {
      if (!(e instanceof ZkError)) throw e;
      if (e.code === 'NODEEXISTS') return;
      if (e.code !== 'NONODE') throw e;
      await this.createParents(parentOf(path));
      try {
        await this.create(path, null, CreateMode.PERSISTENT);
      } catch (e2) {
        if (!(e2 instanceof ZkError) || e2.code !== 'NODEEXISTS') throw e2;
      }
    }
  }

  /**
   * Sends one request on the current client; CONNECTIONLOSS is retried after the client reconnects, unless
   * the session expires meanwhile (then SESSIONEXPIRED is thrown, as Kafka does).
   */
  private async request<T>(
    path: string,
    run: (client: zookeeper.Client, done: (error: unknown, value: T | undefined, override?: Error) => void) => void,
  ): Promise<T> {
    for (;;) {
      const client = await this.currentClient();
      try {
        return await new Promise<T>((resolve, reject) => {
          const entry: Inflight = { client, reject };
          this.inflight.add(entry);
          try {
            run(client, (error, value, override) => {
              this.inflight.delete(entry);
              if (override !== undefined) reject(override);
              else if (error !== null && error !== undefined) reject(translate(error, path));
              else resolve(value as T);
            });
          } catch (e) {
            // node-zookeeper-client validates arguments synchronously with assert().
            this.inflight.delete(entry);
            reject(new ZkError('BADARGUMENTS', `invalid ZooKeeper request for ${path}: ${String(e)}`, { path, cause: e }));
          }
        });
      } catch (e) {
        if (e instanceof ZkError && e.code === 'CONNECTIONLOSS' && !this.closed) {
          // The connection dropped: wait for the client to reconnect and resend. If the session expired
          // meanwhile, the request fails with SESSIONEXPIRED as in Kafka (it is not replayed on a new session).
          if (client !== this.client) throw ZkError.of('SESSIONEXPIRED', path, e);
          await this.awaitConnected(client);
          continue;
        }
        if (e instanceof ZkError && e.code === 'SESSIONEXPIRED' && !this.closed && client === this.client) {
          // The server says the session is gone although the connection is up (e.g. it was closed from another
          // connection): same as an Expired event, re-create the session.
          this.onExpired(client);
        }
        throw e;
      }
    }
  }

  private awaitConnected(client: zookeeper.Client): Promise<void> {
    if (client.getState() === zookeeper.State.SYNC_CONNECTED) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const entry: Inflight = {
        client,
        reject: (e) => {
          client.removeListener('state', onState);
          reject(e);
        },
      };
      const onState = (s: zookeeper.State) => {
        if (s === zookeeper.State.SYNC_CONNECTED) {
          client.removeListener('state', onState);
          this.inflight.delete(entry);
          resolve();
        }
      };
      this.inflight.add(entry);
      client.on('state', onState);
    });
  }

  private onExpired(client: zookeeper.Client): void {
    if (this.closed || client !== this.client) return;
    this.logger.warn(`ZooKeeper session 0x${this.sessionId.toString(16)} expired; opening a new session`);
    this.watchdog?.stop();
    this.client = null;
    this.ready = this.newReadyPromise();
    for (const entry of [...this.inflight]) {
      if (entry.client === client) {
        this.inflight.delete(entry);
        entry.reject(ZkError.of('SESSIONEXPIRED'));
      }
    }
    void closeClient(client, 0);
    this.emitSafely('sessionExpired');
    void this.reinitialize();
  }

  private async reinitialize(): Promise<void> {
    const { servers, chroot } = this.zkConnect;
    let backoffMs = 100;
    while (!this.closed) {
      try {
        const client = await this.openClient(chroot === null ? servers : `${servers}${chroot}`);
        if (this.closed) {
          await closeClient(client, 2000);
          return;
        }
        this.install(client);
        this.emitSafely('sessionReestablished');
        return;
      } catch (e) {
        this.logger.warn(`could not re-create the ZooKeeper session: ${String(e)}`);
        this.emitSafely('sessionReestablishFailed', e);
        await new Promise((r) => setTimeout(r, backoffMs));
        backoffMs = Math.min(backoffMs * 2, 5000);
      }
    }
  }

  private emitSafely<K extends keyof ZkSessionEvents>(event: K, ...args: ZkSessionEvents[K]): void {
    try {
      (this.emit as (e: string, ...a: unknown[]) => boolean)(event, ...args);
    } catch (e) {
      this.logger.warn(`a ${event} listener threw: ${String(e)}`);
    }
  }

  private checkSize(datas: ReadonlyArray<Buffer | null>, path: string): void {
    const total = datas.reduce((sum, d) => sum + (d?.length ?? 0), 0);
    if (total > this.maxRequestBytes) {
      throw new ZkError(
        'BADARGUMENTS',
        `request for ${path} carries ${total} bytes, more than ZooKeeper accepts (${this.maxRequestBytes})`,
        { path },
      );
    }
  }
}

/** Closes a client and waits (at most `waitMs`) for the server to end the session. */
function closeClient(client: zookeeper.Client, waitMs: number): Promise<void> {
  const state = client.getState();
  const connected = state === zookeeper.State.SYNC_CONNECTED || state === zookeeper.State.CONNECTED_READ_ONLY;
  return new Promise((resolve) => {
    if (!connected || waitMs <= 0) {
      client.close();
      resolve();
      return;
    }
    const timer = setTimeout(resolve, waitMs);
    client.once('disconnected', () => {
      clearTimeout(timer);
      resolve();
    });
    client.close();
  });
}
