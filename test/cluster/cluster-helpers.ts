/**
 * Shared pieces of the replicated-cluster fault tests: reading what the brokers wrote into ZooKeeper (partition
 * state, /controller, /brokers/ids with their czxids) over a plain session, asking one particular broker for
 * its metadata, polling with deadlines, reading a replica's segment files batch by batch, reading a partition
 * back with kcat, and tearing a cluster down fast (SIGKILL: these tests check their own shutdowns).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ZkSession } from '../../src/zk/zk-session';
import { KafkaClient, type ClusterMetadata } from '../../src/client/kafka-client';
import { startCluster, type BrokerProcess, type Cluster } from '../harness/cluster';
import { kafkajs, kcat } from '../integration/clients';

/** Broker settings every cluster test uses: quick failure detection and short controlled-shutdown retries. */
export const CLUSTER_PROPS: Readonly<Record<string, string>> = {
  'zookeeper.session.timeout.ms': '6000',
  'default.replication.factor': '3',
  'offsets.topic.replication.factor': '3',
  'offsets.topic.num.partitions': '3',
  'controlled.shutdown.retry.backoff.ms': '500',
  'auto.create.topics.enable': 'false',
};

/** Starts three brokers (ids 0..2) with CLUSTER_PROPS plus `props`. */
export function startReplicatedCluster(props: Record<string, string> = {}): Promise<Cluster> {
  return startCluster({ brokers: 3, props: { ...CLUSTER_PROPS, ...props } });
}

/**
 * Kills every broker (no controlled shutdown), stops ZooKeeper and removes the brokers' directories. With
 * TS_KAFKA_KEEP_CLUSTER_DIRS=<dir> set, each broker's directory (data and logs/) is copied there first.
 */
export async function destroyCluster(cluster: Cluster | undefined): Promise<void> {
  if (!cluster) return;
  try {
    for (const b of cluster.brokers) {
      // A broker paused by a test would never die of SIGKILL's default handling otherwise.
      if (b.pid !== undefined && b.running) process.kill(b.pid, 'SIGCONT');
      await b.kill();
    }
    const keep = process.env.TS_KAFKA_KEEP_CLUSTER_DIRS;
    if (keep) for (const b of cluster.brokers) fs.cpSync(b.dir, path.join(keep, path.basename(b.dir)), { recursive: true });
  } finally {
    // ZooKeeper runs detached: whatever failed above, it must not outlive the test.
    for (const b of cluster.brokers) b.cleanup();
    await cluster.zk.stop();
    // A kafkajs client whose brokers are gone may keep reconnect timers alive for ever; the file's process
    // must still end once its tests are done (what --test-force-exit does), so results are reported.
    setTimeout(() => process.exit(), 15_000).unref();
  }
}

/** Polls `check` until it returns something other than undefined/false; fails with `what` after timeoutMs. */
export async function waitUntil<T>(
  what: string,
  check: () => Promise<T | undefined | false> | T | undefined | false,
  options: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  let lastError: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined && v !== false) return v;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      const why = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`timed out after ${options.timeoutMs ?? 30_000} ms waiting for ${what}${why}`);
    }
    await sleep(options.intervalMs ?? 200);
  }
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Waits for `p` (its failure ignored) at most `ms`: a client stuck in a retry loop must not hang teardown. */
export async function withDeadline(p: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([p.catch(() => undefined), new Promise<void>((r) => (timer = setTimeout(r, ms)))]);
  clearTimeout(timer);
}

/** The partition state znode as Kafka writes it, plus its dataVersion (the partition epoch). */
export interface PartitionStateZNode {
  controller_epoch: number;
  leader: number;
  version: number;
  leader_epoch: number;
  isr: number[];
  zkVersion: number;
  /** When the znode was last written (ZooKeeper server time). */
  mtime: number;
}

/** Reads ZooKeeper as an operator would with zkCli: raw paths, JSON parsed here. */
export class ClusterZk {
  private constructor(readonly session: ZkSession) {}

  static async open(cluster: Cluster): Promise<ClusterZk> {
    return new ClusterZk(await ZkSession.connect({ connectString: cluster.zk.connectString, sessionTimeoutMs: 30_000 }));
  }

  async partitionState(topic: string, partition: number): Promise<PartitionStateZNode> {
    const { data, stat } = await this.session.getData(`/brokers/topics/${topic}/partitions/${partition}/state`);
    const json = JSON.parse(data.toString()) as Omit<PartitionStateZNode, 'zkVersion' | 'mtime'>;
    return { ...json, zkVersion: stat.version, mtime: stat.mtime };
  }

  /** The id in /controller, or undefined when nobody is controller. */
  async controllerId(): Promise<number | undefined> {
    const stat = await this.session.exists('/controller');
    if (!stat) return undefined;
    const { data } = await this.session.getData('/controller');
    return (JSON.parse(data.toString()) as { brokerid: number }).brokerid;
  }

  async controllerEpoch(): Promise<number> {
    return Number((await this.session.getData('/controller_epoch')).data.toString());
  }

  /** Registered brokers: id → czxid of /brokers/ids/<id> (the broker epoch). */
  async brokerEpochs(): Promise<Map<number, number>> {
    const out = new Map<number, number>();
    for (const child of await this.session.getChildren('/brokers/ids')) {
      const stat = await this.session.exists(`/brokers/ids/${child}`);
      if (stat) out.set(Number(child), stat.czxid);
    }
    return out;
  }

  /** When /brokers/ids/<id> was created (ZooKeeper server time), or undefined when it does not exist. */
  async brokerRegisteredAt(id: number): Promise<number | undefined> {
    return (await this.session.exists(`/brokers/ids/${id}`))?.ctime;
  }

  /** Sequence nodes under /isr_change_notification (the controller deletes them once handled). */
  async isrChangeNotifications(): Promise<string[]> {
    return this.session.getChildren('/isr_change_notification');
  }

  async close(): Promise<void> {
    await this.session.close();
  }
}

/** Waits until every partition of `topic` has exactly `isr` (any order) as its ISR in ZooKeeper. */
export async function waitForIsr(
  zk: ClusterZk,
  options: { topic: string; partitions: number; isr: number[]; timeoutMs?: number },
): Promise<PartitionStateZNode[]> {
  const { topic, partitions } = options;
  const want = [...options.isr].sort().join(',');
  return waitUntil(
    `ISR [${want}] on every partition of ${topic}`,
    async () => {
      const states = await Promise.all(Array.from({ length: partitions }, (_, p) => zk.partitionState(topic, p)));
      return states.every((s) => [...s.isr].sort().join(',') === want) ? states : undefined;
    },
    { timeoutMs: options.timeoutMs ?? 30_000 },
  );
}

/** Metadata as one particular broker answers it (its own metadata cache), all topics. */
export async function metadataFrom(broker: BrokerProcess): Promise<ClusterMetadata> {
  const client = new KafkaClient({ bootstrapServers: broker.bootstrap, requestTimeoutMs: 5000, connectTimeoutMs: 3000 });
  try {
    return await client.fetchMetadata(null);
  } finally {
    await client.close();
  }
}

/**
 * Creates a topic through kafkajs (CreateTopics to the controller) and waits for its leaders; `assignment`
 * gives each partition's replicas (first = preferred leader) instead of letting the controller spread them.
 */
export async function createTopic(
  bootstrap: string,
  options: { topic: string; partitions: number; replicationFactor?: number; configs?: Record<string, string>; assignment?: number[][] },
): Promise<void> {
  const { topic } = options;
  const admin = kafkajs(bootstrap).admin();
  await admin.connect();
  try {
    const created = await admin.createTopics({
      topics: [
        {
          topic,
          ...(options.assignment
            ? { replicaAssignment: options.assignment.map((replicas, partition) => ({ partition, replicas })) }
            : { numPartitions: options.partitions, replicationFactor: options.replicationFactor ?? 3 }),
          configEntries: Object.entries(options.configs ?? {}).map(([name, value]) => ({ name, value })),
        },
      ],
      waitForLeaders: true,
    });
    if (!created) throw new Error(`topic ${topic} already exists`);
  } finally {
    await admin.disconnect();
  }
}

/** One record batch of a segment file: its offsets and its exact bytes. */
export interface StoredBatch {
  baseOffset: number;
  lastOffset: number;
  bytes: Buffer;
}

/**
 * The batches of a replica's log, read from its segment files (`<log.dirs>/<topic>-<p>/<20-digit>.log`) in
 * offset order. RecordBatch v2 framing: baseOffset int64, batchLength int32 (bytes after this field),
 * partitionLeaderEpoch, magic, crc, attributes, lastOffsetDelta int32 at byte 23.
 */
export function readStoredBatches(broker: BrokerProcess, tp: { topic: string; partition: number }): StoredBatch[] {
  const dir = path.join(broker.logDir, `${tp.topic}-${tp.partition}`);
  const segments = fs.readdirSync(dir).filter((f) => /^\d{20}\.log$/.test(f)).sort();
  const batches: StoredBatch[] = [];
  for (const seg of segments) {
    const buf = fs.readFileSync(path.join(dir, seg));
    let pos = 0;
    while (pos + 12 <= buf.length) {
      const size = 12 + buf.readInt32BE(pos + 8);
      if (size < 61 || pos + size > buf.length) break; // a torn tail (never below the high watermark)
      const baseOffset = Number(buf.readBigInt64BE(pos));
      batches.push({ baseOffset, lastOffset: baseOffset + buf.readInt32BE(pos + 23), bytes: buf.subarray(pos, pos + size) });
      pos += size;
    }
  }
  return batches;
}

/** The bytes of every batch that ends below `highWatermark`, concatenated. */
export function bytesBelow(batches: StoredBatch[], highWatermark: number): Buffer {
  return Buffer.concat(batches.filter((b) => b.lastOffset < highWatermark).map((b) => b.bytes));
}

/**
 * Where a replica's leader epoch cache (its `leader-epoch-checkpoint` file) disagrees with the batches of its
 * log: every batch must carry the epoch the cache gives for its base offset (the entry with the largest start
 * offset at or below it). Entries starting at the log end are a leader's that appended nothing yet.
 */
export function epochCacheMismatches(broker: BrokerProcess, tp: { topic: string; partition: number }): string[] {
  const { topic, partition } = tp;
  const file = path.join(broker.logDir, `${topic}-${partition}`, 'leader-epoch-checkpoint');
  const lines = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim().split('\n') : [];
  const entries = lines.slice(2).map((l) => l.split(' ').map(Number) as [number, number]);
  const problems: string[] = [];
  for (const b of readStoredBatches(broker, tp)) {
    const epoch = b.bytes.readInt32BE(12);
    let cached = -1;
    for (const [e, start] of entries) if (start <= b.baseOffset) cached = e;
    if (cached !== epoch && problems.length < 5) {
      problems.push(`broker ${broker.id} ${topic}-${partition}: batch at offset ${b.baseOffset} has leader epoch ${epoch}, ` +
        `the leader epoch cache says ${cached} (entries ${JSON.stringify(entries)})`);
    }
  }
  return problems;
}

/** Reads one partition from the beginning up to its end with kcat (librdkafka); values, in log order. */
export async function readPartitionWithKcat(bootstrap: string, tp: { topic: string; partition: number }): Promise<string[]> {
  const out = await kcat(['-b', bootstrap, '-C', '-t', tp.topic, '-p', String(tp.partition), '-o', 'beginning', '-e', '-q', '-f', '%s\n'], {
    timeoutMs: 60_000,
  });
  if (out.code !== 0) throw new Error(`kcat failed (${out.code}): ${out.stderr}`);
  const text = out.stdout.trim();
  return text === '' ? [] : text.split('\n');
}

/** The content of a broker's log4j-style log file under `<dir>/logs/`. */
export function brokerLogFile(broker: BrokerProcess, name: 'server.log' | 'controller.log' | 'state-change.log'): string {
  const file = path.join(broker.dir, 'logs', name);
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
}

/**
 * The end-of-test replica check: once every replica of the topics is back in the ISR, takes each partition's
 * high watermark from its leader, lets the followers fetch it, SIGKILLs every broker and compares the segment
 * files: every replica holds each partition up to the high watermark, with the same bytes below it as the
 * others, and a leader epoch cache in step with its batches. Returns the high watermarks by topic.
 */
export async function killAndCompareReplicas(
  cluster: Cluster,
  options: { zk: ClusterZk; topics: { topic: string; partitions: number }[] },
): Promise<Map<string, number[]>> {
  const all = cluster.brokers.map((b) => b.id);
  const highWatermarks = new Map<string, number[]>();
  const admin = kafkajs(cluster.bootstrap).admin();
  await admin.connect();
  try {
    for (const { topic, partitions } of options.topics) {
      await waitForIsr(options.zk, { topic, partitions, isr: all, timeoutMs: 60_000 });
      const offsets = await admin.fetchTopicOffsets(topic);
      highWatermarks.set(topic, Array.from({ length: partitions }, (_, p) => Number(offsets.find((o) => o.partition === p)!.high)));
    }
  } finally {
    await admin.disconnect();
  }
  await sleep(1500); // followers learn the last high watermark on their next fetch
  for (const b of cluster.brokers) await b.kill();
  for (const [topic, hws] of highWatermarks) {
    hws.forEach((hw, partition) => {
      let expected: Buffer | undefined;
      for (const b of cluster.brokers) {
        assert.deepEqual(epochCacheMismatches(b, { topic, partition }), [], `broker ${b.id}'s leader epoch cache matches its log`);
        const batches = readStoredBatches(b, { topic, partition });
        assert.ok(batches.some((x) => x.lastOffset === hw - 1), `broker ${b.id} holds ${topic}-${partition} up to the high watermark ${hw}`);
        const bytes = bytesBelow(batches, hw);
        if (expected === undefined) expected = bytes;
        else assert.ok(bytes.equals(expected), `broker ${b.id}'s ${topic}-${partition} differs from broker ${cluster.brokers[0]!.id}'s below offset ${hw}`);
      }
    });
  }
  return highWatermarks;
}
