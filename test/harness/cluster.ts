/**
 * Test harness: real ts-kafka brokers as separate processes on free loopback ports, next to a real
 * ZooKeeper started by ./zookeeper. Each broker gets its own temp dir (log.dirs, logs/, server.properties);
 * tests can stop it cleanly (SIGTERM), kill it (SIGKILL), restart it on the same port and data, and wait
 * for lines in its output.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startZooKeeper } from './zookeeper';
import { findRoot } from '../tools/bin-runner';
import { BrokerConnection } from '../../src/client/broker-connection';
import { ApiKeys } from '../../src/protocol';

type ZooKeeperHandle = Awaited<ReturnType<typeof startZooKeeper>>;

const projectRoot = findRoot(__dirname);
const compiled = __filename.endsWith('.js');
const mainScript = compiled
  ? path.join(projectRoot, 'dist', 'src', 'server', 'main.js')
  : path.join(projectRoot, 'src', 'server', 'main.ts');

/** A free TCP port on 127.0.0.1 (bound then released). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export interface BrokerOptions {
  id: number;
  zkConnect: string;
  port?: number;
  /** Extra server.properties entries (Kafka names). */
  props?: Record<string, string>;
  dir?: string;
  /** Flags for the broker's node process, e.g. `['--cpu-prof', '--cpu-prof-dir=/tmp/prof']`. */
  nodeArgs?: string[];
  /** The id the broker will introduce itself with, when it differs from `id` (broker.id=-1 → generated). */
  expectedId?: number;
}

export class BrokerProcess {
  readonly id: number;
  readonly dir: string;
  readonly logDir: string;
  readonly propsFile: string;
  port = 0;
  output = '';
  private child: ChildProcess | undefined;
  private exited: Promise<number | null> = Promise.resolve(null);
  private waiters: { re: RegExp; from: number; resolve: () => void }[] = [];

  constructor(private readonly opts: BrokerOptions) {
    this.id = opts.id;
    this.dir = opts.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), `ts-kafka-broker-${opts.id}-`));
    this.logDir = path.join(this.dir, 'data');
    this.propsFile = path.join(this.dir, 'server.properties');
  }

  get bootstrap(): string {
    return `127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Writes server.properties and starts the broker; resolves when it logged "started". */
  async start(timeoutMs = 30_000): Promise<void> {
    if (this.port === 0) this.port = this.opts.port ?? (await freePort());
    const props: Record<string, string> = {
      'broker.id': String(this.id),
      listeners: `PLAINTEXT://127.0.0.1:${this.port}`,
      'log.dirs': this.logDir,
      'zookeeper.connect': this.opts.zkConnect,
      'zookeeper.session.timeout.ms': '6000',
      'num.partitions': '1',
      'default.replication.factor': '1',
      'offsets.topic.replication.factor': '1',
      'group.initial.rebalance.delay.ms': '0',
      ...this.opts.props,
    };
    fs.writeFileSync(this.propsFile, Object.entries(props).map(([k, v]) => `${k}=${v}`).join('\n') + '\n');
    const from = this.output.length;
    const nodeArgs = this.opts.nodeArgs ?? [];
    const args = compiled
      ? [...nodeArgs, mainScript, this.propsFile]
      : [...nodeArgs, '--import', 'tsx', mainScript, this.propsFile];
    const child = spawn(process.execPath, args, {
      cwd: projectRoot,
      env: { ...process.env, LOG_DIR: path.join(this.dir, 'logs') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    const onData = (chunk: Buffer) => {
      this.output += chunk.toString();
      this.waiters = this.waiters.filter((w) => {
        if (w.re.test(this.output.slice(w.from))) {
          w.resolve();
          return false;
        }
        return true;
      });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    const started = this.waitForOutput(new RegExp(`\\[KafkaServer id=${this.opts.expectedId ?? this.id}\\] started`), timeoutMs, from);
    const died = this.exited.then((code) => {
      throw new Error(`broker ${this.id} exited with code ${code} during startup:\n${this.output.slice(from)}`);
    });
    await Promise.race([started, died]);
  }

  /** Resolves when output written after `from` (default: now) matches re. */
  waitForOutput(re: RegExp, timeoutMs = 30_000, from = this.output.length): Promise<void> {
    if (re.test(this.output.slice(from))) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`broker ${this.id}: timed out waiting for ${re}; output:\n${this.output.slice(-4000)}`));
      }, timeoutMs);
      const waiter = {
        re,
        from,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      this.waiters.push(waiter);
    });
  }

  /** SIGTERM and wait for exit (clean shutdown); returns the exit code. */
  async stop(timeoutMs = 30_000): Promise<number | null> {
    if (!this.running) return this.exited;
    this.child!.kill('SIGTERM');
    const timer = setTimeout(() => this.child?.kill('SIGKILL'), timeoutMs);
    const code = await this.exited;
    clearTimeout(timer);
    return code;
  }

  /** SIGKILL: no shutdown at all. */
  async kill(): Promise<void> {
    if (!this.running) return;
    this.child!.kill('SIGKILL');
    await this.exited;
  }

  /** Removes the broker's temp dir (after stop or kill). */
  cleanup(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

export interface Cluster {
  zk: ZooKeeperHandle;
  brokers: BrokerProcess[];
  bootstrap: string;
  stop(): Promise<void>;
}

/** Starts a ZooKeeper (unless one is given) and `brokers` brokers with ids 0..n-1. */
/**
 * Waits until every broker's metadata cache lists all of them and a controller: a broker is up once it
 * registered, but the controller tells the others (UpdateMetadata) a moment later, and a topic created in
 * between would see too few brokers for its replication factor.
 */
async function waitForClusterMetadata(brokers: readonly BrokerProcess[], timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (const b of brokers) {
    const [host, port] = [b.bootstrap.slice(0, b.bootstrap.lastIndexOf(':')), Number(b.bootstrap.slice(b.bootstrap.lastIndexOf(':') + 1))];
    const conn = new BrokerConnection({ host, port, clientId: 'test-harness' });
    try {
      for (;;) {
        const r = await conn.request(ApiKeys.Metadata, 1, { topics: [] }).catch(() => undefined);
        if (r !== undefined && r.brokers.length === brokers.length && r.controllerId >= 0) break;
        if (Date.now() > deadline) throw new Error(`broker ${b.id} does not see all ${brokers.length} brokers in its metadata`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    } finally {
      conn.close();
    }
  }
}

export async function startCluster(
  opts: {
    brokers?: number;
    zk?: ZooKeeperHandle;
    props?: Record<string, string>;
    zkChroot?: string;
    /** Flags for every broker's node process (profiling: `--cpu-prof`). */
    nodeArgs?: string[];
  } = {},
): Promise<Cluster> {
  const zk = opts.zk ?? (await startZooKeeper());
  const zkConnect = zk.connectString + (opts.zkChroot ?? '');
  const brokers: BrokerProcess[] = [];
  try {
    for (let i = 0; i < (opts.brokers ?? 1); i++) {
      const b = new BrokerProcess({ id: i, zkConnect, props: opts.props, nodeArgs: opts.nodeArgs });
      brokers.push(b);
      await b.start();
    }
    if (brokers.length > 1) await waitForClusterMetadata(brokers);
  } catch (err) {
    for (const b of brokers) await b.kill();
    if (!opts.zk) await zk.stop();
    throw err;
  }
  return {
    zk,
    brokers,
    bootstrap: brokers.map((b) => b.bootstrap).join(','),
    async stop() {
      await Promise.all(brokers.map((b) => b.stop()));
      for (const b of brokers) b.cleanup();
      if (!opts.zk) await zk.stop();
    },
  };
}
