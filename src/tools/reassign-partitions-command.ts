/**
 * kafka-reassign-partitions' actions (Kafka 3.9's ReassignPartitionsCommand over `--bootstrap-server`,
 * KIP-455) on the project's Admin client: --generate (current assignment and a rack-aware proposal),
 * --execute (rollback JSON, throttles, AlterPartitionReassignments), --verify (state of each listed
 * reassignment, throttles cleared once none runs), --cancel and --list (ListPartitionReassignments),
 * writing what the Java command prints.
 */
import { Admin, AlterConfigOpType, ConfigResourceType, type AlterConfigOp } from '../client/admin';
import { KafkaResponseError } from '../client/client-errors';
import { ErrorCode } from '../protocol';
import { assignReplicasToBrokers } from '../zk/replica-assignment';
import { javaStringHash } from '../zk/znodes/key-order';
import {
  type PartitionReplicas,
  ReassignCommandError,
  type TP,
  compareTopicPartitions,
  executionError,
  formatAsReassignmentJson,
  parseExecuteAssignmentArgs,
  parseGenerateAssignmentArgs,
  parsePartitionReassignmentData,
  plural,
  tpName,
} from './reassign-partitions-json';
import { javaHashSetOrder } from './tool-json';
import type { ToolIO } from './tool-support';

const BROKER_LEVEL_THROTTLES = ['leader.replication.throttled.rate', 'follower.replication.throttled.rate',
  'replica.alter.log.dirs.io.max.bytes.per.second'];
const TOPIC_LEVEL_THROTTLES = ['leader.replication.throttled.replicas', 'follower.replication.throttled.replicas'];
const CANNOT_EXECUTE = 'Cannot execute because there is an existing partition assignment.  Use --additional to override ' +
  'this and create a new partition assignment in addition to the existing one. The --additional flag can also be used ' +
  'to change the throttle by resubmitting the current reassignment.';
const MUST_VERIFY = 'Warning: You must run --verify periodically, until the reassignment completes, to ensure the throttle is removed.';

/** An ongoing reassignment as ListPartitionReassignments reports it. */
interface OngoingReassignment {
  readonly tp: TP;
  readonly replicas: number[];
  readonly addingReplicas: number[];
  readonly removingReplicas: number[];
}

/** The Admin calls the command makes, in the shapes its actions use. */
export class ReassignmentAdmin {
  constructor(private readonly admin: Admin) {}

  /** The ongoing reassignments (of `partitions`, or all when null) by partition name. */
  async listPartitionReassignments(partitions: readonly TP[] | null): Promise<Map<string, OngoingReassignment>> {
    const listed = await this.admin.listPartitionReassignments(partitions);
    return new Map(listed.map((r) => [tpName(r), { tp: { topic: r.topic, partition: r.partition }, replicas: r.replicas,
      addingReplicas: r.addingReplicas, removingReplicas: r.removingReplicas }]));
  }

  /** Per partition name, null or the error message. */
  async alterPartitionReassignments(entries: ReadonlyArray<{ tp: TP; replicas: readonly number[] | null }>): Promise<Map<string, string | null>> {
    const results = await this.admin.alterPartitionReassignments(entries.map((e) => ({ ...e.tp, replicas: e.replicas })));
    return new Map(results.map((r) => [tpName(r), r.error === null ? null : r.error.message]));
  }

  /** The replica lists of each topic's partitions; null for a topic that does not exist. */
  async describeTopic(topic: string): Promise<Map<number, number[]> | null> {
    try {
      const [d] = await this.admin.describeTopics([topic]);
      return new Map(d!.partitions.map((p) => [p.partition, [...p.replicas]]));
    } catch (e) {
      if (e instanceof KafkaResponseError && e.code === ErrorCode.UNKNOWN_TOPIC_OR_PARTITION) return null;
      throw e;
    }
  }

  async describeCluster(): Promise<Array<{ id: number; rack: string | null }>> {
    return (await this.admin.describeCluster()).brokers.map((b) => ({ id: b.nodeId, rack: b.rack }));
  }

  /** IncrementalAlterConfigs; the first resource that failed throws its error. */
  async incrementalAlterConfigs(resources: ReadonlyArray<{ type: number; name: string; configs: AlterConfigOp[] }>): Promise<void> {
    for (const r of await this.admin.incrementalAlterConfigs(resources)) if (r.error) throw r.error;
  }
}

/** The command's actions, writing what Kafka's command prints. */
export class ReassignPartitionsCommand {
  constructor(private readonly admin: ReassignmentAdmin, private readonly io: ToolIO) {}

  async generate(topicsJson: string, brokerList: string, rackAware: boolean): Promise<void> {
    const { brokers, topics } = parseGenerateAssignmentArgs(topicsJson, brokerList);
    const current: PartitionReplicas[] = [];
    for (const topic of new Set(topics)) {
      const parts = await this.admin.describeTopic(topic);
      if (parts === null) throw executionError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `Topic ${topic} not found.`);
      for (const [partition, replicas] of parts) current.push({ topic, partition, replicas });
    }
    const wanted = new Set(brokers);
    const metadata = (await this.admin.describeCluster()).filter((b) => wanted.has(b.id))
      .map((b) => ({ id: b.id, rack: rackAware ? b.rack : null }));
    const rackless = metadata.filter((m) => m.rack === null).length;
    if (rackAware && rackless !== 0 && rackless !== metadata.length) {
      throw new ReassignCommandError('Not all brokers have rack information. Add --disable-rack-aware in command line to make ' +
        'replica assignment without rack information.', { javaClass: 'org.apache.kafka.server.common.AdminOperationException' });
    }
    const proposed: PartitionReplicas[] = [];
    for (const topic of new Set(current.map((c) => c.topic))) {
      const parts = current.filter((c) => c.topic === topic).sort(compareTopicPartitions);
      for (const [partition, replicas] of assignReplicasToBrokers(metadata, parts.length, parts[0]!.replicas.length)) {
        proposed.push({ topic, partition, replicas });
      }
    }
    this.io.out(`Current partition replica assignment\n${formatAsReassignmentJson(current)}\n\n`);
    this.io.out(`Proposed partition reassignment configuration\n${formatAsReassignmentJson(proposed)}\n`);
  }

  async execute(json: string, options: { additional: boolean; throttle: number; logDirThrottle: number }): Promise<void> {
    const { partitions: proposed, logDirs } = parseExecuteAssignmentArgs(json);
    const currentReassignments = await this.admin.listPartitionReassignments(null);
    if (!options.additional && currentReassignments.size > 0) throw new ReassignCommandError(CANNOT_EXECUTE, { terse: true });
    const nodes = new Set((await this.admin.describeCluster()).map((b) => b.id));
    const unknown = proposed.flatMap((p) => p.replicas).find((b) => !nodes.has(b));
    if (unknown !== undefined) throw new ReassignCommandError(`Unknown broker id ${unknown}`);
    const current = await this.currentReplicasOf(proposed);
    this.io.out(`Current partition replica assignment\n\n${formatAsReassignmentJson(current)}\n\n` +
      'Save this to use as the --reassignment-json-file option during rollback\n');
    if (options.throttle >= 0 || options.logDirThrottle >= 0) {
      this.io.out(`${MUST_VERIFY}\n`);
      if (options.throttle >= 0) await this.setReassignmentThrottle(currentReassignments, proposed, current, options.throttle);
      // Only replicas moved between log dirs get that throttle; ts-kafka moves none (see the file comment).
      if (options.logDirThrottle >= 0) this.io.out(`The replica-alter-dir throttle limit was set to ${options.logDirThrottle} B/s\n`);
    }
    const errors = [...(await this.admin.alterPartitionReassignments(proposed.map((p) => ({ tp: p, replicas: p.replicas }))))]
      .filter(([, e]) => e !== null);
    if (errors.length > 0) {
      throw new ReassignCommandError(`Error reassigning partition(s):\n${errors.sort(([a], [b]) => compareNames(a, b, proposed))
        .map(([k, e]) => `${k}: ${e}`).join('\n')}`, { terse: true });
    }
    const names = [...proposed].sort(compareTopicPartitions).map(tpName);
    this.io.out(`Successfully started ${plural(names.length, 'partition reassignment')} for ${names.join(',')}\n`);
    if (logDirs.size > 0) throw logDirMovesUnsupported();
  }

  async verify(json: string, preserveThrottles: boolean): Promise<void> {
    const { partitions: targets, logDirs } = parsePartitionReassignmentData(json);
    const ongoing = await this.admin.listPartitionReassignments(null);
    const states = new Map<string, { tp: TP; current: readonly number[]; target: readonly number[]; done: boolean }>();
    const described = new Map<string, Map<number, number[]> | null>();
    for (const t of targets) {
      const found = ongoing.get(tpName(t));
      if (found !== undefined) {
        states.set(tpName(t), { tp: t, current: found.replicas, target: t.replicas, done: false });
        continue;
      }
      if (!described.has(t.topic)) described.set(t.topic, await this.admin.describeTopic(t.topic));
      const current = described.get(t.topic)?.get(t.partition) ?? [];
      states.set(tpName(t), { tp: t, current, target: t.replicas, done: true });
    }
    const lines = ['Status of partition reassignment:'];
    for (const s of [...states.values()].sort((a, b) => compareTopicPartitions(a.tp, b.tp))) {
      if (!s.done) lines.push(`Reassignment of partition ${tpName(s.tp)} is still in progress.`);
      else if (s.current.join(',') === s.target.join(',')) lines.push(`Reassignment of partition ${tpName(s.tp)} is completed.`);
      else {
        lines.push(`There is no active reassignment of partition ${tpName(s.tp)}, but replica set is ${s.current.join(',')} ` +
          `rather than ${s.target.join(',')}.`);
      }
    }
    this.io.out(`${lines.join('\n')}\n`);
    if (logDirs.size > 0) throw logDirMovesUnsupported();
    // No replica moves between log dirs were asked for: their (empty) report is an empty line.
    this.io.out('\n');
    if (ongoing.size === 0 && !preserveThrottles) await this.clearAllThrottles(targets);
  }

  async cancel(json: string, preserveThrottles: boolean): Promise<void> {
    const { partitions: targets, logDirs } = parsePartitionReassignmentData(json);
    const listed = await this.admin.listPartitionReassignments(targets);
    const moving = [...listed.values()].filter((r) => r.addingReplicas.length === 0 || r.removingReplicas.length > 0)
      .map((r) => r.tp).sort(compareTopicPartitions);
    if (moving.length > 0) {
      const errors = [...(await this.admin.alterPartitionReassignments(moving.map((tp) => ({ tp, replicas: null }))))]
        .filter(([, e]) => e !== null);
      if (errors.length > 0) {
        throw new ReassignCommandError(`Error cancelling ${plural(errors.length, 'partition reassignment')} for:\n` +
          errors.sort(([a], [b]) => compareNames(a, b, moving)).map(([k, e]) => `${k}: ${e}`).join('\n'), { terse: true });
      }
      this.io.out(`Successfully cancelled ${plural(moving.length, 'partition reassignment')} for: ${moving.map(tpName).join(',')}\n`);
    } else {
      this.io.out('None of the specified partition reassignments are active.\n');
    }
    if (logDirs.size > 0) throw logDirMovesUnsupported();
    // Kafka prints this one without a line end.
    this.io.out('None of the specified partition moves are active.');
    if (!preserveThrottles) await this.clearAllThrottles(targets);
  }

  async list(): Promise<void> {
    const ongoing = [...(await this.admin.listPartitionReassignments(null)).values()].sort((a, b) => compareTopicPartitions(a.tp, b.tp));
    const text = ongoing.map((r) => `${tpName(r.tp)}: replicas: ${r.replicas.join(',')}.` +
      (r.addingReplicas.length === 0 ? '' : ` adding: ${r.addingReplicas.join(',')}.`) +
      (r.removingReplicas.length === 0 ? '' : ` removing: ${r.removingReplicas.join(',')}.`)).join('\n');
    this.io.out(`${text === '' ? 'No partition reassignments found.' : `Current partition reassignments:\n${text}`}\n`);
  }

  /** getReplicaAssignmentForPartitions: every partition must exist. */
  private async currentReplicasOf(parts: readonly PartitionReplicas[]): Promise<PartitionReplicas[]> {
    const out: PartitionReplicas[] = [];
    for (const topic of new Set(parts.map((p) => p.topic))) {
      const described = await this.admin.describeTopic(topic);
      if (described === null) throw executionError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `Topic ${topic} not found.`);
      for (const p of parts.filter((x) => x.topic === topic)) {
        const replicas = described.get(p.partition);
        if (replicas !== undefined) out.push({ topic, partition: p.partition, replicas });
      }
    }
    const missing = parts.filter((p) => !out.some((o) => tpName(o) === tpName(p)));
    if (missing.length > 0) {
      throw executionError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `Unable to find partition: ${missing.map(tpName).join(', ')}`);
    }
    return out;
  }

  /** modifyReassignmentThrottle: throttled replicas per topic (sources lead, new replicas follow) and broker rates. */
  private async setReassignmentThrottle(
    ongoing: ReadonlyMap<string, OngoingReassignment>, proposed: readonly PartitionReplicas[], current: readonly PartitionReplicas[], rate: number,
  ): Promise<void> {
    const moves = new Map<string, Map<number, { sources: Set<number>; destinations: Set<number> }>>();
    const movesOf = (topic: string) => moves.get(topic) ?? moves.set(topic, new Map()).get(topic)!;
    for (const r of ongoing.values()) {
      movesOf(r.tp.topic).set(r.tp.partition, {
        sources: new Set(r.replicas.filter((x) => !r.addingReplicas.includes(x))), destinations: new Set(r.addingReplicas),
      });
    }
    for (const p of proposed) {
      const existing = movesOf(p.topic).get(p.partition);
      const sources = new Set(existing?.sources ?? current.find((c) => tpName(c) === tpName(p))!.replicas);
      movesOf(p.topic).set(p.partition, { sources, destinations: new Set(p.replicas.filter((r) => !sources.has(r))) });
    }
    const resources: Array<{ type: number; name: string; configs: AlterConfigOp[] }> = [];
    const brokers = new Set<number>();
    for (const [topic, parts] of moves) {
      const leaders = new Set<string>();
      const followers = new Set<string>();
      for (const [partition, move] of parts) {
        for (const s of move.sources) leaders.add(`${partition}:${s}`);
        for (const d of move.destinations) if (!move.sources.has(d)) followers.add(`${partition}:${d}`);
        for (const b of [...move.sources, ...move.destinations]) brokers.add(b);
      }
      resources.push({ type: ConfigResourceType.TOPIC, name: topic, configs: [
        { name: TOPIC_LEVEL_THROTTLES[0]!, value: [...leaders].sort().join(','), op: AlterConfigOpType.SET },
        { name: TOPIC_LEVEL_THROTTLES[1]!, value: [...followers].sort().join(','), op: AlterConfigOpType.SET },
      ] });
    }
    for (const b of [...brokers].sort((x, y) => x - y)) {
      resources.push({ type: ConfigResourceType.BROKER, name: String(b), configs: BROKER_LEVEL_THROTTLES.slice(0, 2)
        .map((name) => ({ name, value: String(rate), op: AlterConfigOpType.SET })) });
    }
    await this.admin.incrementalAlterConfigs(resources);
    this.io.out(`The inter-broker throttle limit was set to ${rate} B/s\n`);
  }

  /** clearAllThrottles: the broker-level throttles of every broker and the topic-level ones of the listed topics. */
  private async clearAllThrottles(targets: readonly PartitionReplicas[]): Promise<void> {
    const brokerIds = [...new Set([...(await this.admin.describeCluster()).map((b) => b.id), ...targets.flatMap((t) => t.replicas)])];
    const brokers = javaHashSetOrder(brokerIds, (id) => id);
    this.io.out(`Clearing broker-level throttles on ${plural(brokers.length, 'broker')} ${brokers.join(',')}\n`);
    const del = (names: readonly string[]) => names.map((name) => ({ name, value: null, op: AlterConfigOpType.DELETE }));
    await this.admin.incrementalAlterConfigs(brokers.map((b) => ({ type: ConfigResourceType.BROKER, name: String(b), configs: del(BROKER_LEVEL_THROTTLES) })));
    const topics = javaHashSetOrder([...new Set(targets.map((t) => t.topic))], javaStringHash);
    this.io.out(`Clearing topic-level throttles on ${plural(topics.length, 'topic')} ${topics.join(',')}\n`);
    await this.admin.incrementalAlterConfigs(topics.map((t) => ({ type: ConfigResourceType.TOPIC, name: t, configs: del(TOPIC_LEVEL_THROTTLES) })));
  }
}

function compareNames(a: string, b: string, parts: readonly TP[]): number {
  const tp = (name: string) => parts.find((p) => tpName(p) === name) ?? { topic: name, partition: 0 };
  return compareTopicPartitions(tp(a), tp(b));
}

function logDirMovesUnsupported(): ReassignCommandError {
  return executionError(ErrorCode.UNSUPPORTED_VERSION, 'The broker does not support ALTER_REPLICA_LOG_DIRS');
}

