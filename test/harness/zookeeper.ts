/**
 * Test harness: a real standalone ZooKeeper server per test file, on a free 127.0.0.1 port in a fresh temp
 * directory. Uses the same launcher as the quickstart (src/zk/local-zookeeper.ts); `stop()` kills the JVM and
 * removes the directory. `expireSession` expires a ZkSession for real (fault tests).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zookeeper from 'node-zookeeper-client';
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
      return {
        connectString: zk.connectString,
        host: zk.host,
        port: zk.port,
        dataDir: zk.dataDir,
        pid: zk.pid,
        async stop() {
          if (stopped) return;
          stopped = true;
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
 * Expires a ZkSession for real, the standard way: a second client joins the same session (same id and
 * password), then closes it, which ends the session on the server. The original client learns on its next
 * contact that its session expired. Resolves once the session has emitted 'sessionExpired'.
 */
export async function expireSession(session: ZkSession, options: { timeoutMs?: number } = {}): Promise<void> {
  const { servers, sessionId, password } = session.sessionCredentials();
  const timeoutMs = options.timeoutMs ?? 20_000;
  const expired = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the session did not notice its expiry in time')), timeoutMs);
    session.once('sessionExpired', () => {
      clearTimeout(timer);
      resolve();
    });
  });
  const intruder = zookeeper.createClient(servers, {
    sessionTimeout: session.sessionTimeoutMs,
    sessionId,
    sessionPassword: password,
  } as Partial<zookeeper.Option>);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('could not join the session to expire it')), timeoutMs);
    intruder.once('connected', () => {
      clearTimeout(timer);
      resolve();
    });
    intruder.connect();
  });
  await new Promise<void>((resolve) => {
    intruder.once('disconnected', () => resolve());
    intruder.close();
  });
  await expired;
}
