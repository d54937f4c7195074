/**
 * What the bench scenarios share: clusters on a shared ZooKeeper (one chroot per scenario run), topic
 * creation that waits for leaders and a full ISR, the perf tools and kcat run as child processes the
 * way a user runs them (bin/*.sh), their output lines parsed, and broker CPU / peak RSS around the
 * measured part of a run.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Admin } from '../../src/client/admin';
import { KafkaClient } from '../../src/client/kafka-client';
import { startCluster, type Cluster } from '../harness/cluster';
import { binPath, projectRoot } from '../tools/bin-runner';
import type { TestZooKeeper } from '../harness/zookeeper';
import { peakRssMb, totalCpuSeconds } from './proc-stats';

/** The project root (holding package.json). */
export { projectRoot };

/** One row of the bench table. */
export interface ScenarioResult {
  scenario: string;
  description: string;
  records: number;
  seconds: number;
  recordsPerSec: number;
  mbPerSec: number;
  /** Latency percentiles (ms) where the scenario measures them. */
  latency?: { avg: number; p50: number; p99: number; p999: number; max: number };
  brokerCpuSeconds: number;
  /** Broker CPU seconds per GiB of record payload moved (produced or consumed). */
  brokerCpuSecondsPerGb: number;
  brokerPeakRssMb: number;
}

/** What a scenario run gets. */
export interface BenchContext {
  zk: TestZooKeeper;
  run: number;
  quick: boolean;
  /** Where to write scratch files (payload files). */
  workDir: string;
  /** When set, brokers run with --cpu-prof writing here. */
  profileDir?: string;
  /** Flags for the brokers' node processes (default DEFAULT_BROKER_NODE_OPTS). */
  brokerNodeOpts?: string[];
  log(message: string): void;
}

/**
 * The node flags bin/kafka-server-start.sh gives a broker by default (KAFKA_HEAP_OPTS); the harness
 * starts `node main.js` itself, so the bench passes them (unless --broker-node-opts says otherwise).
 */
export const DEFAULT_BROKER_NODE_OPTS: readonly string[] = ['--initial-old-space-size=128'];

/** Broker settings of every bench cluster (on top of the harness's). */
const BENCH_BROKER_PROPS: Record<string, string> = {
  // Benchmarks load the 2-core machine fully: do not let a slow heartbeat expire a session.
  'zookeeper.session.timeout.ms': '18000',
  'auto.create.topics.enable': 'false',
};

/** Starts `brokers` brokers under a fresh chroot, runs `fn`, and stops them. */
export async function withCluster<T>(
  ctx: BenchContext,
  spec: { name: string; brokers: number },
  fn: (cluster: Cluster) => Promise<T>,
): Promise<T> {
  const nodeArgs = [...(ctx.brokerNodeOpts ?? DEFAULT_BROKER_NODE_OPTS)];
  if (ctx.profileDir) nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${path.join(ctx.profileDir, `${spec.name}-run${ctx.run}`)}`);
  const cluster = await startCluster({
    brokers: spec.brokers,
    zk: ctx.zk,
    zkChroot: `/bench-${spec.name}-${ctx.run}-${Date.now()}`,
    props: BENCH_BROKER_PROPS,
    nodeArgs,
  });
  try {
    return await fn(cluster);
  } finally {
    await cluster.stop();
  }
}

/** Creates a topic and waits until every partition has a leader and its whole assignment in the ISR. */
export async function createTopic(
  bootstrap: string,
  topic: { name: string; partitions: number; replicationFactor: number; configs?: Record<string, string> },
): Promise<void> {
  const client = new KafkaClient({ bootstrapServers: bootstrap, clientId: 'bench-admin' });
  try {
    await new Admin(client).createTopicsOrThrow([
      { name: topic.name, numPartitions: topic.partitions, replicationFactor: topic.replicationFactor, configs: topic.configs },
    ]);
    const deadline = Date.now() + 60_000;
    for (;;) {
      const meta = (await client.fetchMetadata([topic.name])).topics.get(topic.name);
      const ready =
        meta !== undefined &&
        meta.partitions.length === topic.partitions &&
        meta.partitions.every((p) => p.leader >= 0 && p.isr.length === topic.replicationFactor);
      if (ready) return;
      if (Date.now() > deadline) throw new Error(`topic ${topic.name} has no leaders or full ISR after 60 s`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    await client.close();
  }
}

/** A finished child process. */
export interface ProcessResult {
  code: number | null;
  stdout: string;
  stderr: string;
  seconds: number;
}

/** Runs a command (a bin script name resolves to bin/), stdin from `stdinFile`, stdout kept unless `discardStdout`. */
export function runCommand(
  command: string,
  args: readonly string[],
  options: { stdinFile?: string; discardStdout?: boolean; timeoutMs?: number } = {},
): Promise<ProcessResult> {
  const file = command.endsWith('.sh') ? binPath(command) : command;
  return new Promise((resolve, reject) => {
    const stdin = options.stdinFile ? fs.openSync(options.stdinFile, 'r') : 'ignore';
    const started = process.hrtime.bigint();
    const child = spawn(file, args, { stdio: [stdin, options.discardStdout ? 'ignore' : 'pipe', 'pipe'] });
    if (typeof stdin === 'number') fs.closeSync(stdin);
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => {
      if (stderr.length < 100_000) stderr += d.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 600_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, seconds: Number(process.hrtime.bigint() - started) / 1e9 });
    });
  });
}

/** The figures of kafka-producer-perf-test's final line. */
export interface ProducerPerfLine {
  records: number;
  recordsPerSec: number;
  mbPerSec: number;
  avg: number;
  max: number;
  p50: number;
  p95: number;
  p99: number;
  p999: number;
}

const PRODUCER_TOTAL =
  /^(\d+) records sent, ([\d.]+) records\/sec \(([\d.]+) MB\/sec\), ([\d.]+) ms avg latency, ([\d.]+) ms max latency, (\d+) ms 50th, (\d+) ms 95th, (\d+) ms 99th, (\d+) ms 99\.9th\.$/m;

/** Parses the final line of kafka-producer-perf-test (throws if absent). */
export function parseProducerPerf(stdout: string): ProducerPerfLine {
  const m = PRODUCER_TOTAL.exec(stdout);
  if (!m) throw new Error(`no final line in kafka-producer-perf-test output:\n${stdout.slice(-2000)}`);
  const n = m.slice(1).map(Number);
  return { records: n[0]!, recordsPerSec: n[1]!, mbPerSec: n[2]!, avg: n[3]!, max: n[4]!, p50: n[5]!, p95: n[6]!, p99: n[7]!, p999: n[8]! };
}

/** The summary row of kafka-consumer-perf-test (after its header). */
export function parseConsumerPerf(stdout: string): { mb: number; mbPerSec: number; messages: number; messagesPerSec: number; fetchMbPerSec: number; fetchMessagesPerSec: number } {
  const lines = stdout.trim().split('\n');
  const i = lines.findIndex((l) => l.startsWith('start.time, end.time'));
  const row = lines[i + 1];
  if (i < 0 || row === undefined) throw new Error(`no summary row in kafka-consumer-perf-test output:\n${stdout.slice(-2000)}`);
  const f = row.split(', ');
  return { mb: Number(f[2]), mbPerSec: Number(f[3]), messages: Number(f[4]), messagesPerSec: Number(f[5]), fetchMbPerSec: Number(f[8]), fetchMessagesPerSec: Number(f[9]) };
}

/** Broker CPU seconds used while `fn` ran, and the brokers' peak RSS afterwards (largest of them). */
export async function measureBrokers<T>(cluster: Cluster, fn: () => Promise<T>): Promise<{ value: T; cpuSeconds: number; peakRssMb: number }> {
  const pids = cluster.brokers.map((b) => b.pid!).filter((p) => p !== undefined);
  const before = totalCpuSeconds(pids);
  const value = await fn();
  const cpuSeconds = totalCpuSeconds(pids) - before;
  return { value, cpuSeconds, peakRssMb: Math.max(...pids.map(peakRssMb)) };
}

/** A file of `lines` lines of `size` random uppercase letters (kcat's stdin), created once per size. */
export function linesFile(ctx: BenchContext, lines: number, size: number): string {
  const file = path.join(ctx.workDir, `lines-${lines}x${size}.txt`);
  if (fs.existsSync(file) && fs.statSync(file).size === lines * (size + 1)) return file;
  const fd = fs.openSync(file, 'w');
  const chunkLines = 10_000;
  const chunk = Buffer.allocUnsafe(chunkLines * (size + 1));
  let seed = 12345;
  for (let written = 0; written < lines; written += chunkLines) {
    for (let i = 0; i < chunk.length; i++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      chunk[i] = (i + 1) % (size + 1) === 0 ? 10 : 65 + (seed >>> 16) % 26;
    }
    fs.writeSync(fd, chunk, 0, Math.min(chunkLines, lines - written) * (size + 1));
  }
  fs.closeSync(fd);
  return file;
}

/** GiB, the unit of the CPU-per-data figure. */
export const GIB = 1024 * 1024 * 1024;
