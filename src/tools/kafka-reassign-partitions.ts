/**
 * kafka-reassign-partitions.sh: Kafka 3.9's ReassignPartitionsCommand through `--bootstrap-server` (KIP-455):
 *
 * - `--generate --topics-to-move-json-file f --broker-list 1,2 [--disable-rack-aware]`: the current assignment of
 *   the topics and a proposal over the brokers (Kafka's rack-aware assignment), both as reassignment JSON;
 * - `--execute --reassignment-json-file f [--additional] [--throttle n] [--replica-alter-log-dirs-throttle n]`:
 *   prints the current assignment for rollback, sets the throttles, then AlterPartitionReassignments;
 * - `--verify`: the state of each listed reassignment; once none is running the throttles are cleared
 *   (unless `--preserve-throttles`);
 * - `--cancel`: AlterPartitionReassignments with null replicas for the listed partitions still moving;
 * - `--list`: every ongoing reassignment (ListPartitionReassignments).
 *
 * JSON is Kafka's: `{"version":1,"partitions":[{"topic":"t","partition":0,"replicas":[1,2],"log_dirs":["any","any"]}]}`.
 * Output lines, checks and their messages follow the Java command: a TerseException prints its message, any
 * other failure "Error: <message>" and the exception, on stdout (exit 1); usage errors print the option table.
 * Moving replicas between log directories (log_dirs other than "any") needs AlterReplicaLogDirs and
 * DescribeLogDirs, which ts-kafka brokers do not serve: such requests fail as Kafka's tool fails against them.
 */
import * as fs from 'node:fs';
import { Admin } from '../client/admin';
import { KafkaClientError, KafkaResponseError, UnsupportedVersionError, isRetriable } from '../client/client-errors';
import { KafkaError } from '../common/kafka-error';
import { KafkaClient } from '../client/kafka-client';
import { ApiKeys, ErrorCode, errorInfo } from '../protocol';
import { AdminOperationError, assignReplicasToBrokers } from '../zk/replica-assignment';
import { javaStringHash } from '../zk/znodes/key-order';
import { clientOptionsFromProps } from './client-config';
import { OptionException, OptionParser, type ParsedOptions } from './command-line';
import { DecodeJson, JsonMappingError, javaHashSetOrder } from './kafka-leader-election';
import { UsageError, addDefaultOptions, kafkaExceptionClass, loadClientProperties, parseToolOptions, printUsage, runTool, toolClientLogger, type ToolIO } from './tool-support';

const HELP = 'This tool helps to move topic partitions between replicas.';
const ACTIONS = ['generate', 'execute', 'verify', 'cancel', 'list'] as const;
const ANY_LOG_DIR = 'any';
const BROKER_LEVEL_THROTTLES = ['leader.replication.throttled.rate', 'follower.replication.throttled.rate',
  'replica.alter.log.dirs.io.max.bytes.per.second'];
const TOPIC_LEVEL_THROTTLES = ['leader.replication.throttled.replicas', 'follower.replication.throttled.replicas'];
const CANNOT_EXECUTE = 'Cannot execute because there is an existing partition assignment.  Use --additional to override ' +
  'this and create a new partition assignment in addition to the existing one. The --additional flag can also be used ' +
  'to change the throttle by resubmitting the current reassignment.';
const MUST_VERIFY = 'Warning: You must run --verify periodically, until the reassignment completes, to ensure the throttle is removed.';
const CONFIG_OP = { SET: 0, DELETE: 1 } as const;
const RESOURCE = { TOPIC: 2, BROKER: 4 } as const;

/** A failure printed as Kafka's command prints it: `terse` ones (TerseException) show only their message. */
export class ReassignCommandError extends Error {
  override readonly name = 'ReassignCommandError';
  readonly javaClass: string;
  readonly terse: boolean;
  constructor(message: string, options: { javaClass?: string; terse?: boolean } = {}) {
    super(message);
    this.javaClass = options.javaClass ?? 'org.apache.kafka.server.common.AdminCommandFailedException';
    this.terse = options.terse ?? false;
  }
}

/** A partition and its replica list. */
export interface PartitionReplicas {
  readonly topic: string;
  readonly partition: number;
  readonly replicas: readonly number[];
}

type TP = { topic: string; partition: number };
const tpName = (tp: TP) => `${tp.topic}-${tp.partition}`;
const compareTopicPartitions = (a: TP, b: TP) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition);
const plural = (n: number, word: string) => `${word}${n === 1 ? '' : 's'}`;

/** Kafka's ExecutionException around an admin client error: its message is `<exception class>: <message>`. */
function executionError(code: number, message: string): ReassignCommandError {
  return new ReassignCommandError(`${kafkaExceptionClass(code, errorInfo(code).name)}: ${message}`,
    { javaClass: 'java.util.concurrent.ExecutionException' });
}

/** formatAsReassignmentJson: partitions sorted by topic and partition, every log dir "any" unless given. */
export function formatAsReassignmentJson(parts: readonly PartitionReplicas[], logDirs: ReadonlyMap<string, string> = new Map()): string {
  const partitions = [...parts].sort(compareTopicPartitions).map((p) => ({
    topic: p.topic,
    partition: p.partition,
    replicas: [...p.replicas],
    log_dirs: p.replicas.map((r) => logDirs.get(`${tpName(p)}:${r}`) ?? ANY_LOG_DIR),
  }));
  return JSON.stringify({ version: 1, partitions });
}

function parseJson(text: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new ReassignCommandError(`com.fasterxml.jackson.core.JsonParseException: ${(e as Error).message}`,
      { javaClass: 'org.apache.kafka.server.common.AdminOperationException' });
  }
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  throw new JsonMappingError(`Expected JSON object, received ${JSON.stringify(v)}`);
}

/** The "version" field: 1 when absent, the only one known. */
function checkVersion(json: Record<string, unknown>): void {
  const v = json.version === undefined ? 1 : DecodeJson.int(json.version);
  if (v !== 1) throw new ReassignCommandError(`Not supported version field value ${v}`, { javaClass: 'org.apache.kafka.server.common.AdminOperationException' });
}

/** parsePartitionReassignmentData: the partitions in file order (duplicates kept) and the non-"any" log dirs. */
export function parsePartitionReassignmentData(text: string): { partitions: PartitionReplicas[]; logDirs: Map<string, string> } {
  const json = parseJson(text);
  checkVersion(json);
  const partitions: PartitionReplicas[] = [];
  const logDirs = new Map<string, string>();
  for (const entry of json.partitions === undefined ? [] : DecodeJson.list(json.partitions, (x) => x)) {
    const topic = DecodeJson.string(DecodeJson.field(entry, 'topic'));
    const partition = DecodeJson.int(DecodeJson.field(entry, 'partition'));
    const replicas = DecodeJson.list(DecodeJson.field(entry, 'replicas'), DecodeJson.int);
    const given = (entry as Record<string, unknown>).log_dirs;
    const dirs = given === undefined ? replicas.map(() => ANY_LOG_DIR) : DecodeJson.list(given, DecodeJson.string);
    if (dirs.length !== replicas.length) {
      throw new ReassignCommandError(`Size of replicas list [${replicas.join(', ')}] is different from size of log dirs list ` +
        `[${dirs.join(', ')}] for partition ${topic}-${partition}`);
    }
    partitions.push({ topic, partition, replicas });
    dirs.forEach((d, i) => d !== ANY_LOG_DIR && logDirs.set(`${topic}-${partition}:${replicas[i]}`, d));
  }
  return { partitions, logDirs };
}

/** parseExecuteAssignmentArgs's checks: not empty, no empty replica list, no duplicate partition or replica. */
export function parseExecuteAssignmentArgs(text: string): { partitions: PartitionReplicas[]; logDirs: Map<string, string> } {
  const data = parsePartitionReassignmentData(text);
  if (data.partitions.length === 0) throw new ReassignCommandError('Partition reassignment list cannot be empty');
  if (data.partitions.some((p) => p.replicas.length === 0)) throw new ReassignCommandError('Partition replica list cannot be empty');
  const names = data.partitions.map(tpName);
  const duplicates = [...new Set(names.filter((n, i) => names.indexOf(n) !== i))];
  if (duplicates.length > 0) {
    throw new ReassignCommandError(`Partition reassignment contains duplicate topic partitions: ${duplicates.join(',')}`);
  }
  const replicaDups = data.partitions
    .map((p) => ({ p, dups: [...new Set(p.replicas.filter((r, i) => p.replicas.indexOf(r) !== i))] }))
    .filter((e) => e.dups.length > 0);
  if (replicaDups.length > 0) {
    throw new ReassignCommandError('Partition replica lists may not contain duplicate entries: ' +
      replicaDups.map((e) => `${tpName(e.p)} contains multiple entries for ${e.dups.join(',')}`).join('. '));
  }
  return data;
}

/** parseGenerateAssignmentArgs: the broker ids and topics (no duplicates in either). */
export function parseGenerateAssignmentArgs(topicsJson: string, brokerList: string): { brokers: number[]; topics: string[] } {
  const brokers = brokerList.split(',').map((s) => {
    if (!/^[+-]?\d+$/.test(s)) throw new ReassignCommandError(`For input string: "${s}"`, { javaClass: 'java.lang.NumberFormatException' });
    return Number(s);
  });
  const dupBrokers = [...new Set(brokers.filter((b, i) => brokers.indexOf(b) !== i))];
  if (dupBrokers.length > 0) throw new ReassignCommandError(`Broker list contains duplicate entries: [${dupBrokers.join(', ')}]`);
  let json: Record<string, unknown>;
  try {
    json = parseJson(topicsJson);
  } catch (e) {
    if (e instanceof ReassignCommandError && e.javaClass.endsWith('AdminOperationException')) {
      throw new ReassignCommandError('The input string is not a valid JSON', { javaClass: e.javaClass });
    }
    throw e;
  }
  checkVersion(json);
  const topics = json.topics === undefined ? [] : DecodeJson.list(json.topics, (t) => DecodeJson.string(DecodeJson.field(t, 'topic')));
  const dupTopics = [...new Set(topics.filter((t, i) => topics.indexOf(t) !== i))];
  if (dupTopics.length > 0) throw new ReassignCommandError(`List of topics to reassign contains duplicate entries: [${dupTopics.join(', ')}]`);
  return { brokers, topics };
}

/** An ongoing reassignment as ListPartitionReassignments reports it. */
interface OngoingReassignment {
  readonly tp: TP;
  readonly replicas: number[];
  readonly addingReplicas: number[];
  readonly removingReplicas: number[];
}

/** The admin calls the command makes, over the project's client. */
class ReassignmentAdmin {
  private readonly admin: Admin;

  constructor(private readonly client: KafkaClient, private readonly timeoutMs: number) {
    this.admin = new Admin(client, { defaultApiTimeoutMs: timeoutMs });
  }

  /** ListPartitionReassignments (to the controller); null lists every ongoing reassignment. */
  async listPartitionReassignments(partitions: readonly TP[] | null): Promise<Map<string, OngoingReassignment>> {
    const topics = partitions === null ? null : [...groupPartitions(partitions)].map(([name, partitionIndexes]) => ({ name, partitionIndexes }));
    const response = await this.toController('listPartitionReassignments', async (conn) =>
      conn.request(ApiKeys.ListPartitionReassignments, conn.pickVersion(ApiKeys.ListPartitionReassignments, 0, 0), { timeoutMs: this.timeoutMs, topics }));
    if (response.errorCode !== ErrorCode.NONE) throw executionError(response.errorCode, response.errorMessage ?? errorInfo(response.errorCode).message);
    const out = new Map<string, OngoingReassignment>();
    for (const t of response.topics) {
      for (const p of t.partitions) {
        const tp = { topic: t.name, partition: p.partitionIndex };
        out.set(tpName(tp), { tp, replicas: p.replicas, addingReplicas: p.addingReplicas, removingReplicas: p.removingReplicas });
      }
    }
    return out;
  }

  /** AlterPartitionReassignments (to the controller): per partition, null or the error message. */
  async alterPartitionReassignments(entries: ReadonlyArray<{ tp: TP; replicas: readonly number[] | null }>): Promise<Map<string, string | null>> {
    const topics = [...new Map(entries.map((e) => [e.tp.topic, entries.filter((x) => x.tp.topic === e.tp.topic)]))]
      .map(([name, list]) => ({ name, partitions: list.map((e) => ({ partitionIndex: e.tp.partition, replicas: e.replicas === null ? null : [...e.replicas] })) }));
    const response = await this.toController('alterPartitionReassignments', async (conn) =>
      conn.request(ApiKeys.AlterPartitionReassignments, conn.pickVersion(ApiKeys.AlterPartitionReassignments, 0, 0), { timeoutMs: this.timeoutMs, topics }));
    const out = new Map<string, string | null>();
    for (const e of entries) {
      out.set(tpName(e.tp), response.errorCode === ErrorCode.NONE ? 'No response for this partition' : response.errorMessage ?? errorInfo(response.errorCode).message);
    }
    for (const t of response.responses) {
      for (const p of t.partitions) {
        out.set(`${t.name}-${p.partitionIndex}`, p.errorCode === ErrorCode.NONE ? null : p.errorMessage ?? errorInfo(p.errorCode).message);
      }
    }
    return out;
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

  /** IncrementalAlterConfigs: topic resources to any broker, a broker's resource to that broker. */
  async incrementalAlterConfigs(resources: ReadonlyArray<{ type: number; name: string; configs: Array<{ name: string; value: string | null; op: number }> }>): Promise<void> {
    for (const r of resources) {
      const result = await this.client.retry(async () => {
        const conn = r.type === RESOURCE.BROKER ? await this.client.connectionTo(Number(r.name)) : await this.client.anyConnection();
        const response = await conn.request(ApiKeys.IncrementalAlterConfigs, conn.pickVersion(ApiKeys.IncrementalAlterConfigs, 0, 1), {
          resources: [{ resourceType: r.type, resourceName: r.name, configs: r.configs.map((c) => ({ name: c.name, configOperation: c.op, value: c.value })) }],
          validateOnly: false,
        });
        return response.responses[0];
      }, { timeoutMs: this.timeoutMs, operation: 'incrementalAlterConfigs', retriable: isRetriable });
      if (result !== undefined && result.errorCode !== ErrorCode.NONE) {
        throw executionError(result.errorCode, result.errorMessage ?? errorInfo(result.errorCode).message);
      }
    }
  }

  private toController<T>(operation: string, fn: (conn: Awaited<ReturnType<KafkaClient['controllerConnection']>>) => Promise<T & { errorCode: number }>): Promise<T & { errorCode: number }> {
    return this.client.retry(async () => {
      const response = await fn(await this.client.controllerConnection());
      // The controller moved between Metadata and the request: ask the new one.
      if (response.errorCode === ErrorCode.NOT_CONTROLLER) throw new KafkaResponseError(ErrorCode.NOT_CONTROLLER);
      return response;
    }, { timeoutMs: this.timeoutMs, operation, retriable: isRetriable, onRetry: async () => { await this.client.fetchMetadata([]).catch(() => undefined); } });
  }
}

function groupPartitions(partitions: readonly TP[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const tp of partitions) out.set(tp.topic, [...(out.get(tp.topic) ?? []), tp.partition]);
  return out;
}

/** The command's actions, writing what Kafka's command prints. */
class ReassignPartitionsCommand {
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
    const resources: Array<{ type: number; name: string; configs: Array<{ name: string; value: string | null; op: number }> }> = [];
    const brokers = new Set<number>();
    for (const [topic, parts] of moves) {
      const leaders = new Set<string>();
      const followers = new Set<string>();
      for (const [partition, move] of parts) {
        for (const s of move.sources) leaders.add(`${partition}:${s}`);
        for (const d of move.destinations) if (!move.sources.has(d)) followers.add(`${partition}:${d}`);
        for (const b of [...move.sources, ...move.destinations]) brokers.add(b);
      }
      resources.push({ type: RESOURCE.TOPIC, name: topic, configs: [
        { name: TOPIC_LEVEL_THROTTLES[0]!, value: [...leaders].sort().join(','), op: CONFIG_OP.SET },
        { name: TOPIC_LEVEL_THROTTLES[1]!, value: [...followers].sort().join(','), op: CONFIG_OP.SET },
      ] });
    }
    for (const b of [...brokers].sort((x, y) => x - y)) {
      resources.push({ type: RESOURCE.BROKER, name: String(b), configs: BROKER_LEVEL_THROTTLES.slice(0, 2)
        .map((name) => ({ name, value: String(rate), op: CONFIG_OP.SET })) });
    }
    await this.admin.incrementalAlterConfigs(resources);
    this.io.out(`The inter-broker throttle limit was set to ${rate} B/s\n`);
  }

  /** clearAllThrottles: the broker-level throttles of every broker and the topic-level ones of the listed topics. */
  private async clearAllThrottles(targets: readonly PartitionReplicas[]): Promise<void> {
    const brokerIds = [...new Set([...(await this.admin.describeCluster()).map((b) => b.id), ...targets.flatMap((t) => t.replicas)])];
    const brokers = javaHashSetOrder(brokerIds, (id) => id);
    this.io.out(`Clearing broker-level throttles on ${plural(brokers.length, 'broker')} ${brokers.join(',')}\n`);
    const del = (names: readonly string[]) => names.map((name) => ({ name, value: null, op: CONFIG_OP.DELETE }));
    await this.admin.incrementalAlterConfigs(brokers.map((b) => ({ type: RESOURCE.BROKER, name: String(b), configs: del(BROKER_LEVEL_THROTTLES) })));
    const topics = javaHashSetOrder([...new Set(targets.map((t) => t.topic))], javaStringHash);
    this.io.out(`Clearing topic-level throttles on ${plural(topics.length, 'topic')} ${topics.join(',')}\n`);
    await this.admin.incrementalAlterConfigs(topics.map((t) => ({ type: RESOURCE.TOPIC, name: t, configs: del(TOPIC_LEVEL_THROTTLES) })));
  }
}

function compareNames(a: string, b: string, parts: readonly TP[]): number {
  const tp = (name: string) => parts.find((p) => tpName(p) === name) ?? { topic: name, partition: 0 };
  return compareTopicPartitions(tp(a), tp(b));
}

function logDirMovesUnsupported(): ReassignCommandError {
  return executionError(ErrorCode.UNSUPPORTED_VERSION, 'The broker does not support ALTER_REPLICA_LOG_DIRS');
}

function buildParser(): OptionParser {
  const p = new OptionParser();
  p.flag('verify', 'Verify if the reassignment completed as specified by the --reassignment-json-file option. If there is ' +
    'a throttle engaged for the replicas specified, and the rebalance has completed, the throttle will be removed');
  p.flag('generate', 'Generate a candidate partition reassignment configuration. Note that this only generates a candidate ' +
    'assignment, it does not execute it.');
  p.flag('execute', 'Kick off the reassignment as specified by the --reassignment-json-file option.');
  p.flag('cancel', 'Cancel an active reassignment.');
  p.flag('list', 'List all active partition reassignments.');
  p.withRequiredArg('bootstrap-server', 'REQUIRED: the server(s) to use for bootstrapping.', { describedAs: 'Server(s) to use for bootstrapping' });
  p.withRequiredArg('command-config', 'Property file containing configs to be passed to Admin Client.', { describedAs: 'Admin client property file' });
  p.withRequiredArg('reassignment-json-file', 'The JSON file with the partition reassignment configurationThe format to use is - \n' +
    '{"partitions":\n\t[{"topic": "foo",\n\t  "partition": 1,\n\t  "replicas": [1,2,3],\n\t  "log_dirs": ["dir1","dir2","dir3"] }],\n"version":1\n}\n' +
    'Note that "log_dirs" is optional. When it is specified, its length must equal the length of the replicas list. The value ' +
    'in this list can be either "any" or the absolution path of the log directory on the broker. If absolute log directory path ' +
    'is specified, the replica will be moved to the specified log directory on the broker.', { describedAs: 'manual assignment json file path' });
  p.withRequiredArg('topics-to-move-json-file', 'Generate a reassignment configuration to move the partitions of the specified ' +
    'topics to the list of brokers specified by the --broker-list option. The format to use is - \n' +
    '{"topics":\n\t[{"topic": "foo"},{"topic": "foo1"}],\n"version":1\n}', { describedAs: 'topics to reassign json file path' });
  p.withRequiredArg('broker-list', 'The list of brokers to which the partitions need to be reassigned in the form "0,1,2". This ' +
    'is required if --topics-to-move-json-file is used to generate reassignment configuration', { describedAs: 'brokerlist' });
  p.flag('disable-rack-aware', 'Disable rack aware replica assignment');
  const throttleHelp = 'This option can be included with --execute when a reassignment is started, and it can be altered by ' +
    'resubmitting the current reassignment along with the --additional flag. The throttle rate should be at least 1 KB/s.';
  p.withRequiredArg('throttle', `The movement of partitions between brokers will be throttled to this value (bytes/sec). ${throttleHelp}`,
    { describedAs: 'throttle', type: 'Long', defaultValue: '-1' });
  p.withRequiredArg('replica-alter-log-dirs-throttle', 'The movement of replicas between log directories on the same broker will be ' +
    `throttled to this value (bytes/sec). ${throttleHelp}`, { describedAs: 'replicaAlterLogDirsThrottle', type: 'Long', defaultValue: '-1' });
  p.withRequiredArg('timeout', 'The maximum time in ms to wait for log directory replica assignment to begin.',
    { describedAs: 'timeout', type: 'Long', defaultValue: '10000' });
  p.flag('additional', 'Execute this reassignment in addition to any other ongoing ones. This option can also be used to change ' +
    'the throttle of an ongoing reassignment.');
  p.flag('preserve-throttles', 'Do not modify broker or topic throttles.');
  addDefaultOptions(p);
  return p;
}

const REQUIRED: Readonly<Record<(typeof ACTIONS)[number], readonly string[]>> = {
  verify: ['reassignment-json-file'],
  generate: ['topics-to-move-json-file', 'broker-list'],
  execute: ['reassignment-json-file'],
  cancel: ['reassignment-json-file'],
  list: [],
};
const PERMITTED: Readonly<Record<(typeof ACTIONS)[number], readonly string[]>> = {
  verify: ['bootstrap-server', 'command-config', 'preserve-throttles'],
  generate: ['bootstrap-server', 'broker-list', 'command-config', 'disable-rack-aware'],
  execute: ['additional', 'bootstrap-server', 'command-config', 'throttle', 'replica-alter-log-dirs-throttle', 'timeout'],
  cancel: ['bootstrap-server', 'command-config', 'preserve-throttles', 'timeout'],
  list: ['bootstrap-server', 'command-config'],
};

/** validateAndParseArgs: exactly one action, --bootstrap-server, the action's required and permitted options. */
function validateArgs(o: ParsedOptions): (typeof ACTIONS)[number] {
  const actions = ACTIONS.filter((a) => o.has(a));
  if (actions.length !== 1) throw new UsageError(`Command must include exactly one action: ${ACTIONS.map((a) => `--${a}`).join(', ')}`);
  const action = actions[0]!;
  if (!o.has('bootstrap-server')) throw new UsageError('Please specify --bootstrap-server');
  for (const name of REQUIRED[action]) if (!o.has(name)) throw new UsageError(`Missing required argument "[${name}]"`);
  for (const name of o.given) {
    if (name !== action && !REQUIRED[action].includes(name) && !PERMITTED[action].includes(name)) {
      throw new UsageError(`Option "[${name}]" can't be used with action "[${action}]"`);
    }
  }
  return action;
}

/** The message Kafka's main prints for a failure and the exception class its stack trace starts with. */
function describeFailure(err: unknown): { message: string; javaClass: string } {
  const message = err instanceof Error ? err.message : String(err);
  const wrapped = (cls: string) => ({ message: `${cls}: ${message}`, javaClass: 'java.util.concurrent.ExecutionException' });
  if (err instanceof ReassignCommandError) return { message, javaClass: err.javaClass };
  if (err instanceof JsonMappingError) return { message, javaClass: 'com.fasterxml.jackson.databind.JsonMappingException' };
  if (err instanceof KafkaResponseError) return wrapped(kafkaExceptionClass(err.code, err.errorName));
  if (err instanceof UnsupportedVersionError) return wrapped('org.apache.kafka.common.errors.UnsupportedVersionException');
  if (err instanceof KafkaClientError) return wrapped('org.apache.kafka.common.errors.TimeoutException');
  if (err instanceof KafkaError) return { message, javaClass: kafkaExceptionClass(err.code) };
  if (err instanceof AdminOperationError) return { message, javaClass: 'org.apache.kafka.server.common.AdminOperationException' };
  return { message, javaClass: 'java.lang.RuntimeException' };
}

/** How main reports a failure: TerseException's message, else "Error: <message>" and the exception. */
function printFailure(io: ToolIO, err: unknown): void {
  if (err instanceof ReassignCommandError && err.terse) {
    io.out(`${err.message}\n`);
    return;
  }
  const { message, javaClass } = describeFailure(err);
  io.out(`Error: ${message}\n${javaClass}: ${message}\n`);
}

function readFile(path: string): string {
  try {
    return fs.readFileSync(path, 'utf8');
  } catch {
    throw new ReassignCommandError(path, { javaClass: 'java.nio.file.NoSuchFileException' });
  }
}

/** Runs kafka-reassign-partitions with `args`; resolves with the exit code. */
export async function kafkaReassignPartitionsMain(args: string[], io: ToolIO): Promise<number> {
  const parser = buildParser();
  let options: ParsedOptions | null;
  let action: (typeof ACTIONS)[number];
  try {
    options = parseToolOptions(parser, args, { io, help: HELP });
    if (options === null) return 0;
    action = validateArgs(options);
  } catch (err) {
    if (err instanceof UsageError) {
      printUsage(io, { parser, message: err.message });
      return 1;
    }
    if (err instanceof OptionException) {
      io.err(`${err.message}\n`);
      return 1;
    }
    throw err;
  }
  let client: KafkaClient | undefined;
  try {
    const props = options.has('command-config') ? loadClientProperties(options.valueOf('command-config')!) : {};
    const timeoutMs = props['default.api.timeout.ms'] !== undefined ? Number(props['default.api.timeout.ms']) : 60_000;
    client = new KafkaClient({
      ...clientOptionsFromProps(props, { clientId: 'reassign-partitions-tool' }),
      bootstrapServers: options.valueOf('bootstrap-server')!,
      logger: toolClientLogger(io, 'org.apache.kafka.clients.NetworkClient'),
    });
    const command = new ReassignPartitionsCommand(new ReassignmentAdmin(client, timeoutMs), io);
    const file = (name: string) => readFile(options!.valueOf(name)!);
    switch (action) {
      case 'verify':
        await command.verify(file('reassignment-json-file'), options.has('preserve-throttles'));
        break;
      case 'generate':
        await command.generate(file('topics-to-move-json-file'), options.valueOf('broker-list')!, !options.has('disable-rack-aware'));
        break;
      case 'execute':
        await command.execute(file('reassignment-json-file'), {
          additional: options.has('additional'),
          throttle: options.numberOf('throttle')!,
          logDirThrottle: options.numberOf('replica-alter-log-dirs-throttle')!,
        });
        break;
      case 'cancel':
        await command.cancel(file('reassignment-json-file'), options.has('preserve-throttles'));
        break;
      case 'list':
        await command.list();
        break;
    }
    return 0;
  } catch (err) {
    printFailure(io, err);
    return 1;
  } finally {
    await client?.close();
  }
}

if (require.main === module) runTool((args, io) => kafkaReassignPartitionsMain(args, io));
