// In-process fixtures for the group coordinator tests: a real LogManager and ReplicaManager on a temp
// dir leading every `__consumer_offsets` partition (as a LeaderAndIsr from the controller would make
// it), a GroupCoordinator on top, and helpers to build requests. Restarting reopens the same dir, so
// tests see exactly what was persisted.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { NOOP_LOGGER, type Logger } from '../../src/common/logger';
import type { Scheduler, ScheduledTask } from '../../src/common/scheduler';
import { SystemTime, type Time } from '../../src/common/time';
import { GroupCoordinator } from '../../src/coordinator/group/group-coordinator';
import type { GroupConfig, OffsetConfig } from '../../src/coordinator/group/group-config';
import type { JoinGroupParams } from '../../src/coordinator/group/group-join';
import { encodeAssignment, encodeSubscription } from '../../src/coordinator/group/consumer-protocol';
import { GROUP_METADATA_TOPIC_NAME, partitionFor } from '../../src/coordinator/group/offsets-topic';
import { defaultLogConfig } from '../../src/log/log-config';
import { LogManager } from '../../src/log/log-manager';
import { MetadataCache } from '../../src/metadata/metadata-cache';
import { ReplicaManager } from '../../src/replica/replica-manager';

export const TEST_GROUP_CONFIG: GroupConfig = {
  groupMinSessionTimeoutMs: 50,
  groupMaxSessionTimeoutMs: 60_000,
  groupMaxSize: 100,
  groupInitialRebalanceDelayMs: 0,
};

export function testOffsetConfig(numPartitions: number): OffsetConfig {
  return {
    maxMetadataSize: 4096,
    loadBufferSize: 5 * 1024 * 1024,
    offsetsRetentionMs: 7 * 24 * 3600_000,
    offsetsRetentionCheckIntervalMs: 600_000,
    offsetsTopicNumPartitions: numPartitions,
    offsetsTopicSegmentBytes: 100 * 1024 * 1024,
    offsetsTopicReplicationFactor: 1,
    offsetsTopicCompressionCodec: 0,
    offsetCommitTimeoutMs: 5000,
  };
}

/** A scheduler that never runs anything by itself (tests call the expiration task directly). */
export class IdleScheduler implements Scheduler {
  readonly names: string[] = [];
  schedule(name: string): ScheduledTask {
    this.names.push(name);
    return { name, cancel: () => undefined };
  }
  async shutdown(): Promise<void> {}
}

export interface CoordinatorFixture {
  dir: string;
  coordinator: GroupCoordinator;
  replicaManager: ReplicaManager;
  logManager: LogManager;
  /** Shuts everything down cleanly (the data dir stays). */
  stop(): Promise<void>;
  /** Stops and starts again on the same data dir. */
  restart(): Promise<CoordinatorFixture>;
  /** Stops and removes the data dir. */
  close(): Promise<void>;
}

export interface FixtureOptions {
  numPartitions?: number;
  groupConfig?: Partial<GroupConfig>;
  offsetConfig?: Partial<OffsetConfig>;
  time?: Time;
  logger?: Logger;
  /** Partitions this broker leads (default: all). */
  ledPartitions?: number[];
  dir?: string;
}

/** Starts a coordinator leading the `__consumer_offsets` partitions, with their groups loaded. */
export async function startCoordinator(opts: FixtureOptions = {}): Promise<CoordinatorFixture> {
  const numPartitions = opts.numPartitions ?? 3;
  const dir = opts.dir ?? (await mkdtemp(path.join(os.tmpdir(), 'ts-kafka-coordinator-')));
  const time = opts.time ?? new SystemTime();
  const offsetsLogConfig = { ...defaultLogConfig(), cleanupPolicy: ['compact' as const], segmentBytes: 100 * 1024 * 1024 };
  const logManager = new LogManager({ logDirs: [dir], defaultConfig: defaultLogConfig(), logger: NOOP_LOGGER, initialTaskDelayMs: 0 });
  await logManager.startup();
  const metadataCache = new MetadataCache(0);
  const replicaManager = new ReplicaManager({
    brokerId: 0,
    logManager,
    metadataCache,
    logConfigFor: async () => offsetsLogConfig,
    logger: NOOP_LOGGER,
    stateChangeLogger: NOOP_LOGGER,
  });
  const led = opts.ledPartitions ?? [...Array(numPartitions).keys()];
  await replicaManager.becomeLeaderOrFollower(
    1,
    1,
    led.map((partition) => ({
      topic: GROUP_METADATA_TOPIC_NAME,
      topicId: 'AAAAAAAAAAAAAAAAAAAAAA',
      partition,
      controllerEpoch: 1,
      leader: 0,
      leaderEpoch: 0,
      isr: [0],
      partitionEpoch: 0,
      replicas: [0],
      addingReplicas: [],
      removingReplicas: [],
      isNew: false,
    })),
  );
  const coordinator = new GroupCoordinator({
    brokerId: 0,
    groupConfig: { ...TEST_GROUP_CONFIG, ...opts.groupConfig },
    offsetConfig: { ...testOffsetConfig(numPartitions), ...opts.offsetConfig },
    replicaManager,
    time,
    scheduler: new IdleScheduler(),
    logger: opts.logger,
  });
  coordinator.startup({ partitionCount: numPartitions });
  await Promise.all(led.map((p) => coordinator.onElection(p, 0)));
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await coordinator.shutdown();
    replicaManager.shutdown();
    await logManager.checkpointHighWatermarks(replicaManager.highWatermarks());
    await logManager.shutdown();
  };
  const fixture: CoordinatorFixture = {
    dir,
    coordinator,
    replicaManager,
    logManager,
    stop,
    restart: async () => {
      await stop();
      return startCoordinator({ ...opts, dir });
    },
    close: async () => {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
  return fixture;
}

/** A group id whose `__consumer_offsets` partition is `partition`. */
export function groupOnPartition(partition: number, numPartitions: number, prefix = 'group'): string {
  for (let i = 0; ; i++) {
    const id = `${prefix}-${i}`;
    if (partitionFor(id, numPartitions) === partition) return id;
  }
}

/** A consumer's JoinGroup, range assignor, subscribed to `topics`. */
export function consumerJoin(groupId: string, overrides: Partial<JoinGroupParams> & { topics?: string[] } = {}): JoinGroupParams {
  const { topics, ...rest } = overrides;
  return {
    groupId,
    memberId: '',
    groupInstanceId: null,
    requireKnownMemberId: true,
    supportSkippingAssignment: false,
    clientId: 'consumer-1',
    clientHost: '/127.0.0.1',
    rebalanceTimeoutMs: 5000,
    sessionTimeoutMs: 10_000,
    protocolType: 'consumer',
    protocols: [{ name: 'range', metadata: encodeSubscription(topics ?? ['orders']) }],
    reason: null,
    ...rest,
  };
}

/** An assignment of the given partitions of `topic`. */
export function assignmentOf(topic: string, partitions: number[]): Buffer {
  return encodeAssignment([{ topic, partitions }]);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `cond` until true or the timeout passes. */
export async function waitFor(cond: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}
