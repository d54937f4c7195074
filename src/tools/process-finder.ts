/**
 * Finds running processes by command line and signals them, for the stop scripts (Kafka's
 * kafka-server-stop.sh and zookeeper-server-stop.sh grep `ps ax` for `kafka.Kafka` / `QuorumPeerMain`
 * and `kill -s $SIGNAL` them). Reads /proc directly: argument boundaries stay exact, and no external
 * command is needed.
 */

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ToolIO } from './tool-support';

/** A process and its arguments. */
export interface ProcessInfo {
  pid: number;
  argv: string[];
  /** Working directory (to resolve relative paths in argv), if readable. */
  cwd: string | undefined;
}

/** Every process whose command line this user may read (Linux /proc). */
export function listProcesses(procDir = '/proc'): ProcessInfo[] {
  let entries: string[];
  try {
    entries = fs.readdirSync(procDir);
  } catch {
    return [];
  }
  const out: ProcessInfo[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    let raw: Buffer;
    try {
      raw = fs.readFileSync(path.join(procDir, entry, 'cmdline'));
    } catch {
      continue;
    }
    if (raw.length === 0) continue;
    const argv = raw.toString('utf8').split('\0');
    if (argv[argv.length - 1] === '') argv.pop();
    let cwd: string | undefined;
    try {
      cwd = fs.readlinkSync(path.join(procDir, entry, 'cwd'));
    } catch {
      cwd = undefined;
    }
    out.push({ pid, argv, cwd });
  }
  return out.sort((a, b) => a.pid - b.pid);
}

/** The index of the ts-kafka broker entry script in a node command line, or -1. */
export function brokerMainIndex(argv: readonly string[]): number {
  if (argv.length === 0 || !/(^|\/)(node|nodejs)$/.test(argv[0]!)) return -1;
  return argv.findIndex((a) => /(^|\/)src\/server\/main\.(js|ts)$/.test(a));
}

/**
 * The broker id a ts-kafka broker process runs with: `--override broker.id=N` (or node.id), else the
 * value in its server.properties (the first argument after the entry script). Undefined if unknown.
 */
export function brokerIdOf(p: ProcessInfo, readFile: (file: string) => string = (f) => fs.readFileSync(f, 'utf8')): number | undefined {
  const main = brokerMainIndex(p.argv);
  if (main < 0) return undefined;
  const args = p.argv.slice(main + 1);
  for (let i = 0; i < args.length - 1; i++) {
    if (args[i] === '--override') {
      const m = /^(?:broker|node)\.id=(-?\d+)$/.exec(args[i + 1]!);
      if (m) return Number(m[1]);
    }
  }
  const config = args[0];
  if (config === undefined || config.startsWith('--')) return undefined;
  const file = path.isAbsolute(config) || p.cwd === undefined ? config : path.join(p.cwd, config);
  try {
    const m = /^\s*(?:broker|node)\.id\s*[=:]\s*(-?\d+)\s*$/m.exec(readFile(file));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** True for a ZooKeeper server JVM (QuorumPeerMain or ZooKeeperServerMain). */
export function isZooKeeperServer(argv: readonly string[]): boolean {
  return (
    argv.length > 0 &&
    /(^|\/)java$/.test(argv[0]!) &&
    argv.some((a) => a === 'org.apache.zookeeper.server.quorum.QuorumPeerMain' || a === 'org.apache.zookeeper.server.ZooKeeperServerMain')
  );
}

/**
 * What both stop scripts do once they know which processes to stop: check $SIGNAL (default TERM) as
 * `kill -s` does, print `No <what> to stop` (exit 1) when `select` finds nothing, else signal each
 * process, reporting the ones that could not be signalled as `kill` does (exit 1).
 */
export function stopProcesses(
  io: ToolIO,
  options: { env: NodeJS.ProcessEnv; what: string; select: () => ProcessInfo[] },
): number {
  const signal = (options.env.SIGNAL ?? 'TERM').toUpperCase().replace(/^SIG/, '');
  const signame = `SIG${signal}` as NodeJS.Signals;
  if (!(signame in os.constants.signals)) {
    io.err(`kill: ${signal}: invalid signal specification\n`);
    return 1;
  }
  const targets = options.select();
  if (targets.length === 0) {
    io.out(`No ${options.what} to stop\n`);
    return 1;
  }
  let status = 0;
  for (const p of targets) {
    try {
      process.kill(p.pid, signame);
    } catch (err) {
      io.err(`kill: (${p.pid}) - ${(err as NodeJS.ErrnoException).code === 'EPERM' ? 'Operation not permitted' : 'No such process'}\n`);
      status = 1;
    }
  }
  return status;
}
