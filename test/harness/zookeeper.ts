/**
 * Test harness: a real standalone ZooKeeper server per test file, on a free 127.0.0.1 port in a fresh temp
 * directory. Uses the same launcher as the quickstart (src/zk/local-zookeeper.ts); `stop()` kills the JVM and
 * removes the directory. `expireSession` expires a ZkSession for real (fault tests).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as net from 'node:net';
import { startLocalZooKeeper, LocalZooKeeperError } from '../../src/zk/local-zookeeper';
import type { ZkSession } from '../../src/zk/zk-session';

/** A ZooKeeper server started for a test. */
export interface TestZooKeeper {
  /** `127.0.0.1:<port>`, usable as `zookeeper.connect` (append a chroot if wanted). */
  connectString: string;
  host: string;
  port: number;
  dataDir: string;
  pid: number;
  /** Kills the server and removes its temp directory. Safe to call twice. */
  stop(): Promise<void>;
}

/** Options for {@link startZooKeeper}. */
export interface StartZooKeeperOptions {
  /** zoo.cfg tickTime; the session timeout a client may ask for is clamped to [2, 20] ticks. Default 2000. */
  tickTimeMs?: number;
  /** Server log level (output goes to `<dir>/zookeeper.out`). Default warn. */
  logLevel?: 'trace' | 'debug' | 'info' | 'warn' | 'error';
}

/**
 * Starts a standalone ZooKeeper for one test file.
 * @throws LocalZooKeeperError with an install hint when java or the ZooKeeper jars are missing.
 */
export async function startZooKeeper(options: StartZooKeeperOptions = {}): Promise<TestZooKeeper> {
  let lastError: unknown;
  // The free port is picked before the JVM binds it; another test may grab it in between, so retry.
  for (let attempt = 0; attempt < 3; attempt++) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ts-kafka-zk-'));
    try {
      const zk = await startLocalZooKeeper({
        port: 0,
        dataDir: path.join(dir, 'data'),
        logDir: dir,
        foreground: false,
        heapMb: 256,
        logLevel: options.logLevel ?? 'warn',
        extraConfig: { tickTime: String(options.tickTimeMs ?? 2000) },
        startupTimeoutMs: 20_000,
      });
      let stopped = false;
      // If the test process ends without running its after() hooks, do not leave the JVM behind.
      const killOnExit = () => {
        try {
          process.kill(zk.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      };
      process.once('exit', killOnExit);
      return {
        connectString: zk.connectString,
        host: zk.host,
        port: zk.port,
        dataDir: zk.dataDir,
        pid: zk.pid,
        async stop() {
          if (stopped) return;
          stopped = true;
          process.removeListener('exit', killOnExit);
          await zk.stop();
          fs.rmSync(dir, { recursive: true, force: true });
        },
      };
    } catch (e) {
      fs.rmSync(dir, { recursive: true, force: true });
      if (e instanceof LocalZooKeeperError && /not installed|missing|cannot run/.test(e.message)) throw e;
      lastError = e;
    }
  }
  throw lastError;
}

/**
 * Expires a ZkSession for real, the standard way: a second connection joins the same session (same id and
 * password) and closes it, which ends the session on the server; the original client then learns on its next
 * contact that its session expired. Resolves once the session has emitted 'sessionExpired'.
 *
 * The join and the close are written to the socket in one go: joining disconnects the original client, which
 * reconnects at once, and a close sent only after the join's reply could lose that race (the original
 * reconnecting first takes the session back). If the original still wins, the attempt is repeated; a request
 * after each attempt lets a client that re-attached to the dead session find out.
 */
export async function expireSession(session: ZkSession, options: { timeoutMs?: number } = {}): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 20_000;
  const deadline = Date.now() + timeoutMs;
  let expired = false;
  const onExpired = () => {
    expired = true;
  };
  session.once('sessionExpired', onExpired);
  try {
    while (!expired) {
      if (Date.now() > deadline) throw new Error('could not expire the ZooKeeper session in time');
      const { servers, sessionId, password } = session.sessionCredentials();
      await joinAndCloseSession(servers.split(',')[0], { sessionId, password, sessionTimeoutMs: session.sessionTimeoutMs });
      const waitUntil = Math.min(deadline, Date.now() + 500);
      while (!expired && Date.now() < waitUntil) await new Promise((r) => setTimeout(r, 10));
      // The original client may have re-attached a connection to the now-dead session without being told;
      // its next request finds out (and the session then expires itself).
      if (!expired) await session.exists('/').catch(() => undefined);
      while (!expired && Date.now() < waitUntil + 200) await new Promise((r) => setTimeout(r, 10));
    }
  } finally {
    session.removeListener('sessionExpired', onExpired);
  }
}

/**
 * Sends a ConnectRequest for an existing session followed by a CloseSession request (ZooKeeper's jute framing:
 * each packet is length-prefixed), and waits for the server to drop the connection.
 */
function joinAndCloseSession(
  hostPort: string,
  session: { sessionId: Buffer; password: Buffer; sessionTimeoutMs: number },
): Promise<void> {
  const connect = Buffer.alloc(4 + 4 + 8 + 4 + 8 + 4 + session.password.length);
  let o = connect.writeInt32BE(connect.length - 4, 0);
  o = connect.writeInt32BE(0, o); // protocolVersion
  o = connect.writeBigInt64BE(0n, o); // lastZxidSeen
  o = connect.writeInt32BE(session.sessionTimeoutMs, o);
  o += session.sessionId.copy(connect, o);
  o = connect.writeInt32BE(session.password.length, o);
  session.password.copy(connect, o);
  const close = Buffer.alloc(12);
  close.writeInt32BE(8, 0);
  close.writeInt32BE(1, 4); // xid
  close.writeInt32BE(-11, 8); // OpCode.closeSession
  const colon = hostPort.lastIndexOf(':');
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostPort.slice(0, colon), port: Number(hostPort.slice(colon + 1)) });
    const timer = setTimeout(() => socket.destroy(), 2000);
    socket.on('connect', () => socket.write(Buffer.concat([connect, close])));
    socket.on('data', () => {});
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
