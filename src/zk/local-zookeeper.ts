/**
 * Starts a local ZooKeeper server (a JVM running org.apache.zookeeper.server.quorum.QuorumPeerMain) the way
 * Kafka's `zookeeper-server-start.sh` does, for the quickstart script, `bin/zookeeper-server-start.sh` and the
 * test harness.
 *
 * The classpath comes from an installed ZooKeeper: `$ZOOKEEPER_HOME/lib` (upstream tarball) or the Debian
 * `zookeeper` package (jars in /usr/share/java). QuorumPeerMain runs standalone when the config names no
 * `server.N` peers, and as an ensemble member otherwise, so one launcher serves both.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadPropertiesFile } from '../config/properties';

const DEBIAN_JAVA_DIR = '/usr/share/java';
const INSTALL_HINT = 'install ZooKeeper and a JRE, e.g. "apt-get install -y zookeeper"';

/**
 * Jars a ZooKeeper 3.6–3.8 server needs besides zookeeper.jar, by Debian base name. Debian's zookeeper.jar also
 * names most of them in its manifest Class-Path; listing them keeps the launcher independent of that. The
 * Jetty jars are left out on purpose: the AdminServer is always disabled here.
 */
const DEPENDENCY_JARS = [
  'zookeeper-jute',
  'slf4j-api',
  'netty-buffer',
  'netty-codec',
  'netty-common',
  'netty-handler',
  'netty-resolver',
  'netty-transport',
  'netty-transport-native-epoll',
  'netty-transport-native-unix-common',
  'metrics-core',
  'snappy-java',
  'commons-cli',
  'commons-io',
  'jackson-annotations',
  'jackson-core',
  'jackson-databind',
] as const;

/** Raised when java or the ZooKeeper jars are missing, or the server fails to start. */
export class LocalZooKeeperError extends Error {
  override readonly name = 'LocalZooKeeperError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Options for {@link zookeeperClasspath}. */
export interface ZooKeeperClasspathOptions {
  /** Upstream ZooKeeper install (its `lib/` holds every jar). Defaults to `$ZOOKEEPER_HOME`. */
  zookeeperHome?: string;
  /** Directory of Debian-style unversioned jars. Defaults to /usr/share/java. */
  javaDir?: string;
}

/**
 * Returns the Java classpath (joined with the platform's delimiter) for running a ZooKeeper server.
 * @throws LocalZooKeeperError naming the missing jar and how to install ZooKeeper.
 */
export function zookeeperClasspath(options: ZooKeeperClasspathOptions = {}): string {
  const home = options.zookeeperHome ?? process.env.ZOOKEEPER_HOME;
  if (home !== undefined && home !== '') {
    const libDir = path.join(home, 'lib');
    const jars = fs.existsSync(libDir) ? fs.readdirSync(libDir).filter((f) => f.endsWith('.jar')) : [];
    if (!jars.some((j) => /^zookeeper-\d.*\.jar$/.test(j))) {
      throw new LocalZooKeeperError(`no ZooKeeper jar in ${libDir} (ZOOKEEPER_HOME=${home}); ${INSTALL_HINT}`);
    }
    return jars.sort().map((j) => path.join(libDir, j)).join(path.delimiter);
  }
  const javaDir = options.javaDir ?? DEBIAN_JAVA_DIR;
  const jar = (base: string) => path.join(javaDir, `${base}.jar`);
  const entries = [jar('zookeeper')];
  if (!fs.existsSync(entries[0])) {
    throw new LocalZooKeeperError(`ZooKeeper is not installed: ${entries[0]} is missing; ${INSTALL_HINT}`);
  }
  for (const base of ['zookeeper-jute', 'slf4j-api']) {
    if (!fs.existsSync(jar(base))) {
      throw new LocalZooKeeperError(`ZooKeeper dependency ${jar(base)} is missing; ${INSTALL_HINT}`);
    }
  }
  for (const base of DEPENDENCY_JARS) if (fs.existsSync(jar(base))) entries.push(jar(base));
  // One SLF4J binding: slf4j-simple is configured by system properties alone (no config file to ship).
  if (fs.existsSync(jar('slf4j-simple'))) entries.push(jar('slf4j-simple'));
  else if (fs.existsSync(jar('slf4j-nop'))) entries.push(jar('slf4j-nop'));
  return entries.join(path.delimiter);
}

/**
 * Finds the java executable: `$JAVA_HOME/bin/java`, else `java` on the PATH.
 * @throws LocalZooKeeperError when no Java runtime can be run.
 */
export function findJava(): string {
  const javaHome = process.env.JAVA_HOME;
  const candidate = javaHome ? path.join(javaHome, 'bin', 'java') : 'java';
  const probe = spawnSync(candidate, ['-version'], { stdio: 'ignore' });
  if (probe.error !== undefined || probe.status !== 0) {
    throw new LocalZooKeeperError(`cannot run ${candidate} (no Java runtime found); ${INSTALL_HINT}`, {
      cause: probe.error,
    });
  }
  return candidate;
}

/** Options for {@link startLocalZooKeeper}: either `configFile`, or `port` + `dataDir`. */
export interface LocalZooKeeperOptions {
  /** A zookeeper.properties / zoo.cfg file, used as is. */
  configFile?: string;
  /** Client port when no config file is given (0 picks a free port). */
  port?: number;
  /** Address to bind when no config file is given. Defaults to 127.0.0.1. */
  host?: string;
  /** Data directory when no config file is given. */
  dataDir?: string;
  /** Extra zoo.cfg entries when no config file is given (e.g. `{ tickTime: '500' }`). */
  extraConfig?: Record<string, string>;
  /** Directory for `zookeeper.out` (server output) and the generated zoo.cfg. Defaults to dataDir. */
  logDir?: string;
  /**
   * true: the server shares this process's stdout/stderr (for `zookeeper-server-start.sh` without -daemon);
   * false: output goes to `<logDir>/zookeeper.out` and the JVM outlives this process unless stopped.
   */
  foreground?: boolean;
  /** JVM heap cap in MiB. Defaults to 256 (Kafka's script uses 512). */
  heapMb?: number;
  /** How long to wait for the server to answer. Defaults to 30 s. */
  startupTimeoutMs?: number;
  /** Log level for the server's SLF4J simple logger. Defaults to info. */
  logLevel?: 'trace' | 'debug' | 'info' | 'warn' | 'error';
}

/** A running local ZooKeeper server. */
export interface LocalZooKeeper {
  readonly host: string;
  readonly port: number;
  /** `host:port`, usable as `zookeeper.connect`. */
  readonly connectString: string;
  readonly dataDir: string;
  readonly pid: number;
  readonly process: ChildProcess;
  /** Resolves with the exit code (or null when killed by a signal) when the JVM exits. */
  readonly exited: Promise<number | null>;
  /** Stops the server (SIGTERM, then SIGKILL after 5 s). */
  stop(): Promise<void>;
}

/**
 * Starts ZooKeeper and resolves once it serves requests (`srvr` reports a mode).
 * @throws LocalZooKeeperError if java/jars are missing, the server exits early, or it does not answer in time.
 */
export async function startLocalZooKeeper(options: LocalZooKeeperOptions): Promise<LocalZooKeeper> {
  const java = findJava();
  const classpath = zookeeperClasspath();
  let configFile: string;
  let host: string;
  let port: number;
  let dataDir: string;
  if (options.configFile !== undefined) {
    configFile = path.resolve(options.configFile);
    let props: Record<string, string>;
    try {
      props = loadPropertiesFile(configFile);
    } catch (e) {
      throw new LocalZooKeeperError(`cannot read ZooKeeper config ${configFile}`, { cause: e });
    }
    if (props.clientPort === undefined) {
      throw new LocalZooKeeperError(`${configFile} sets no clientPort`);
    }
    port = Number(props.clientPort);
    if (!Number.isInteger(port) || port <= 0 || port > 65535) {
      throw new LocalZooKeeperError(`${configFile}: clientPort ${props.clientPort} is not a valid port`);
    }
    const address = props.clientPortAddress;
    host = address === undefined || address === '' || address === '0.0.0.0' ? '127.0.0.1' : address;
    dataDir = props.dataDir ?? '';
  } else {
    if (options.dataDir === undefined) throw new LocalZooKeeperError('dataDir is required without a configFile');
    dataDir = path.resolve(options.dataDir);
    host = options.host ?? '127.0.0.1';
    port = options.port === undefined || options.port === 0 ? await findFreePort(host) : options.port;
    fs.mkdirSync(dataDir, { recursive: true });
    configFile = path.join(options.logDir ?? dataDir, 'zoo.cfg');
    fs.mkdirSync(path.dirname(configFile), { recursive: true });
    const entries: Record<string, string> = {
      tickTime: '2000',
      initLimit: '10',
      syncLimit: '5',
      dataDir,
      clientPort: String(port),
      clientPortAddress: host,
      maxClientCnxns: '0',
      'admin.enableServer': 'false',
      '4lw.commands.whitelist': '*',
      ...options.extraConfig,
    };
    fs.writeFileSync(configFile, Object.entries(entries).map(([k, v]) => `${k}=${v}`).join('\n') + '\n');
  }

  const jvmArgs = [
    `-Xmx${options.heapMb ?? 256}m`,
    `-Xms${Math.min(options.heapMb ?? 256, 64)}m`,
    // A short-lived coordination server: C1-only JIT and the serial collector start fastest on 2 cores.
    '-XX:TieredStopAtLevel=1',
    '-XX:+UseSerialGC',
    '-Xshare:auto',
    '-Djava.awt.headless=true',
    '-Dzookeeper.admin.enableServer=false',
    // Readiness is probed with `srvr`; a config file may still narrow the whitelist itself.
    '-Dzookeeper.4lw.commands.whitelist=*',
    '-Dorg.slf4j.simpleLogger.logFile=System.out',
    `-Dorg.slf4j.simpleLogger.defaultLogLevel=${options.logLevel ?? 'info'}`,
    '-Dorg.slf4j.simpleLogger.showDateTime=true',
    '-Dorg.slf4j.simpleLogger.dateTimeFormat=yyyy-MM-dd HH:mm:ss,SSS',
    '-cp',
    classpath,
    'org.apache.zookeeper.server.quorum.QuorumPeerMain',
    configFile,
  ];

  const foreground = options.foreground ?? false;
  let outFd: number | undefined;
  let outPath: string | undefined;
  if (!foreground) {
    const logDir = options.logDir ?? (dataDir !== '' ? dataDir : os.tmpdir());
    fs.mkdirSync(logDir, { recursive: true });
    outPath = path.join(logDir, 'zookeeper.out');
    outFd = fs.openSync(outPath, 'a');
  }
  const child = spawn(java, jvmArgs, {
    stdio: foreground ? 'inherit' : ['ignore', outFd, outFd],
    detached: !foreground,
  });
  if (outFd !== undefined) fs.closeSync(outFd);
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.once('error', () => resolve(null));
  });
  if (child.pid === undefined) {
    throw new LocalZooKeeperError(`failed to start ${java}`);
  }
  const pid = child.pid;
  let hasExited = false;
  void exited.then(() => {
    hasExited = true;
  });

  const stop = async (): Promise<void> => {
    if (hasExited) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => {
      if (!hasExited) child.kill('SIGKILL');
    }, 5000);
    await exited;
    clearTimeout(timer);
  };

  const deadline = Date.now() + (options.startupTimeoutMs ?? 30_000);
  for (;;) {
    if (hasExited) {
      const tail = outPath !== undefined ? tailOf(outPath) : '';
      throw new LocalZooKeeperError(
        `ZooKeeper exited during startup (config ${configFile})${tail !== '' ? `:\n${tail}` : ''}`,
      );
    }
    const reply = await fourLetterWord(`${host}:${port}`, 'srvr', { timeoutMs: 500 }).catch(() => '');
    if (reply.includes('Mode:')) break;
    if (Date.now() > deadline) {
      await stop();
      throw new LocalZooKeeperError(`ZooKeeper did not answer on ${host}:${port} within the startup timeout`);
    }
    await sleep(50);
  }
  if (!foreground) child.unref();
  return { host, port, connectString: `${host}:${port}`, dataDir, pid, process: child, exited, stop };
}

/**
 * Sends a ZooKeeper four-letter command (`ruok`, `srvr`, `stat`, `mntr`...) to `host:port` and returns the
 * whole reply.
 */
export function fourLetterWord(hostPort: string, command: string, options: { timeoutMs?: number } = {}): Promise<string> {
  const colon = hostPort.lastIndexOf(':');
  const host = hostPort.slice(0, colon).replace(/^\[|\]$/g, '');
  const port = Number(hostPort.slice(colon + 1));
  const timeoutMs = options.timeoutMs ?? 2000;
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = net.connect({ host, port });
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`four-letter word ${command} timed out`)));
    socket.on('connect', () => socket.write(command));
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', (hadError) => {
      if (!hadError) resolve(Buffer.concat(chunks).toString('utf8'));
    });
  });
}

/** Asks the OS for a currently free TCP port on `host`. */
export function findFreePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function tailOf(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-15).join('\n').trim();
  } catch {
    return '';
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
