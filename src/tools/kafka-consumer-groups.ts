/**
 * kafka-consumer-groups.sh: Kafka 3.9's ConsumerGroupCommand — list, describe (offsets and lag, members,
 * state), delete, reset offsets and delete offsets of consumer groups — over `--bootstrap-server` with
 * the project's client: FindCoordinator, ListGroups (every broker), DescribeGroups, OffsetFetch,
 * ListOffsets, OffsetCommit (generation -1, as Kafka's admin client commits), DeleteGroups and
 * OffsetDelete.
 *
 * Options, checks, messages and table layouts follow Kafka's tool: usage problems print the message and
 * the option table on stderr (exit 1); a failed command prints "Error: Executing consumer group command
 * failed due to ..." on stdout (Kafka exits 0 then, and so does this tool). `--describe --members
 * --verbose` prints each member's assignment as `topic(0,1)`, as Kafka's tool did before its 3.7
 * rewrite lost the topic names.
 */
import { readFileSync } from 'node:fs';
import { KafkaClient } from '../client/kafka-client';
import { KafkaResponseError, OperationTimeoutError } from '../client/client-errors';
import { decodeAssignment } from '../coordinator/group/consumer-protocol';
import { ApiKeys, ErrorCode, errorInfo, type ApiKey, type RequestInputOf, type ResponseOf } from '../protocol';
import { OptionParser, type ParsedOptions } from './command-line';
import { clientOptionsFromProps } from './client-config';
import {
  UsageError,
  addDefaultOptions,
  checkInvalidArgs,
  checkRequiredArgs,
  kafkaExceptionClass,
  loadClientProperties,
  logLine,
  parseToolOptions,
  printUsage,
  runTool,
  toolClientLogger,
  type ToolIO,
} from './tool-support';

const MISSING = '-';
const NL = '\n';
const ACTIONS = ['list', 'describe', 'delete', 'reset-offsets', 'delete-offsets'] as const;
const RESET_SCENARIOS = ['to-offset', 'shift-by', 'to-datetime', 'by-duration', 'to-earliest', 'to-latest', 'to-current', 'from-file'];
/** Kafka's ConsumerGroupState names (--list --state). */
const STATES = ['PreparingRebalance', 'CompletingRebalance', 'Stable', 'Dead', 'Empty', 'Assigning', 'Reconciling'];
const TYPES = ['Consumer', 'Classic'];

function buildParser(): OptionParser {
  const p = new OptionParser();
  p.withRequiredArg('bootstrap-server', 'REQUIRED: The server(s) to connect to.', { describedAs: 'server to connect to' });
  p.withRequiredArg('group', 'The consumer group we wish to act on.', { describedAs: 'consumer group' });
  p.withRequiredArg(
    'topic',
    'The topic whose consumer group information should be deleted or topic whose should be included in the reset offset process. ' +
      'In `reset-offsets` case, partitions can be specified using this format: `topic1:0,1,2`, where 0,1,2 are the partition to be included in the process. ' +
      'Reset-offsets also supports multiple topic inputs.',
    { describedAs: 'topic' },
  );
  p.flag('all-topics', 'Consider all topics assigned to a group in the `reset-offsets` process.');
  p.flag('list', 'List all consumer groups.');
  p.flag('describe', 'Describe consumer group and list offset lag (number of messages not yet processed) related to given group.');
  p.flag('all-groups', 'Apply to all consumer groups.');
  p.flag('delete', 'Pass in groups to delete topic partition offsets and ownership information over the entire consumer group. For instance --group g1 --group g2');
  p.withRequiredArg(
    'timeout',
    'The timeout that can be set for some use cases. For example, it can be used when describing the group to specify the maximum amount of time in milliseconds to wait before the group stabilizes (when the group is just created, or is going through some changes).',
    { describedAs: 'timeout (ms)', type: 'Long', defaultValue: '5000' },
  );
  p.withRequiredArg('command-config', 'Property file containing configs to be passed to Admin Client and Consumer.', { describedAs: 'command config property file' });
  p.flag(
    'reset-offsets',
    `Reset offsets of consumer group. Supports one consumer group at the time, and instances should be inactive${NL}Has 2 execution options: --dry-run (the default) to plan which offsets to reset, and --execute to update the offsets. Additionally, the --export option is used to export the results to a CSV format.${NL}You must choose one of the following reset specifications: --to-datetime, --by-duration, --to-earliest, --to-latest, --shift-by, --from-file, --to-current, --to-offset.${NL}To define the scope use --all-topics or --topic. One scope must be specified unless you use '--from-file'.`,
  );
  p.flag('delete-offsets', 'Delete offsets of consumer group. Supports one consumer group at the time, and multiple topics.');
  p.flag('dry-run', 'Only show results without executing changes on Consumer Groups. Supported operations: reset-offsets.');
  p.flag('execute', 'Execute operation. Supported operations: reset-offsets.');
  p.flag('export', 'Export operation execution to a CSV file. Supported operations: reset-offsets.');
  p.withRequiredArg('to-offset', 'Reset offsets to a specific offset.', { describedAs: 'offset', type: 'Long' });
  p.withRequiredArg('from-file', 'Reset offsets to values defined in CSV file.', { describedAs: 'path to CSV file' });
  p.withRequiredArg('to-datetime', "Reset offsets to offset from datetime. Format: 'YYYY-MM-DDTHH:mm:SS.sss'", { describedAs: 'datetime' });
  p.withRequiredArg('by-duration', "Reset offsets to offset by duration from current timestamp. Format: 'PnDTnHnMnS'", { describedAs: 'duration' });
  p.flag('to-earliest', 'Reset offsets to earliest offset.');
  p.flag('to-latest', 'Reset offsets to latest offset.');
  p.flag('to-current', 'Reset offsets to current offset.');
  p.withRequiredArg('shift-by', "Reset offsets shifting current offset by 'n', where 'n' can be positive or negative.", { describedAs: 'number-of-offsets', type: 'Long' });
  p.flag('members', `Describe members of the group. This option may be used with '--describe' and '--bootstrap-server' options only.${NL}Example: --bootstrap-server localhost:9092 --describe --group group1 --members`);
  p.flag('verbose', `Provide additional information, if any, when describing the group. This option may be used with '--offsets'/'--members'/'--state' and '--bootstrap-server' options only.${NL}Example: --bootstrap-server localhost:9092 --describe --group group1 --members --verbose`);
  p.flag('offsets', `Describe the group and list all topic partitions in the group along with their offset lag. This is the default sub-action of and may be used with '--describe' and '--bootstrap-server' options only.${NL}Example: --bootstrap-server localhost:9092 --describe --group group1 --offsets`);
  p.withOptionalArg(
    'state',
    `When specified with '--describe', includes the state of the group.${NL}Example: --bootstrap-server localhost:9092 --describe --group group1 --state${NL}When specified with '--list', it displays the state of all groups. It can also be used to list groups with specific states.${NL}Example: --bootstrap-server localhost:9092 --list --state stable,empty${NL}This option may be used with '--describe', '--list' and '--bootstrap-server' options only.`,
  );
  p.withOptionalArg(
    'type',
    `When specified with '--list', it displays the types of all the groups. It can also be used to list groups with specific types.${NL}Example: --bootstrap-server localhost:9092 --list --type classic,consumer${NL}This option may be used with the '--list' option only.`,
  );
  addDefaultOptions(p);
  return p;
}

const opt = (names: readonly string[]) => names.map((n) => `[${n}]`).join(', ');

/** ConsumerGroupCommandOptions.checkArgs. */
function checkArgs(o: ParsedOptions, io: ToolIO): void {
  if (ACTIONS.filter((a) => o.has(a)).length !== 1) {
    throw new UsageError('Command must include exactly one action: --list, --describe, --delete, --reset-offsets, --delete-offsets');
  }
  // jopt-simple's availableIf.
  for (const [name, allowedWith] of [['members', ['describe']], ['verbose', ['describe']], ['offsets', ['describe']], ['state', ['describe', 'list']], ['type', ['list']]] as const) {
    if (o.has(name) && !allowedWith.some((a) => o.has(a))) throw new UsageError(`Option(s) [${name}] are unavailable given other options on the command line`);
  }
  checkRequiredArgs(o, ['bootstrap-server']);
  const scope = ['group', 'all-groups'];
  if (o.has('describe')) {
    if (!o.has('group') && !o.has('all-groups')) throw new UsageError(`Option [describe] takes one of these options: ${opt(scope)}`);
    if (['members', 'offsets', 'state'].filter((x) => o.has(x)).length > 1) {
      throw new UsageError(`Option [describe] takes at most one of these options: ${opt(['members', 'offsets', 'state'])}`);
    }
    if (o.has('state') && o.valueOf('state') !== undefined) throw new UsageError('Option [describe] does not take a value for [state]');
  }
  if (o.has('delete')) {
    if (!o.has('group') && !o.has('all-groups')) throw new UsageError(`Option [delete] takes one of these options: ${opt(scope)}`);
    if (o.has('topic')) throw new UsageError('The consumer does not support topic-specific offset deletion from a consumer group.');
  }
  if (o.has('delete-offsets') && (!o.has('group') || !o.has('topic'))) {
    throw new UsageError(`Option [delete-offsets] takes the following options: ${opt(['group', 'topic'])}`);
  }
  if (o.has('reset-offsets')) {
    if (o.has('dry-run') && o.has('execute')) throw new UsageError('Option [reset-offsets] only accepts one of [execute] and [dry-run]');
    if (!o.has('dry-run') && !o.has('execute')) {
      io.err(
        'WARN: No action will be performed as the --execute option is missing.In a future major release, the default behavior of this command will be to prompt the user before executing the reset rather than doing a dry run. You should add the --dry-run option explicitly if you are scripting this command and want to keep the current default behavior without prompting.\n',
      );
    }
    if (!o.has('group') && !o.has('all-groups')) throw new UsageError(`Option [reset-offsets] takes one of these options: ${opt(scope)}`);
    for (const s of RESET_SCENARIOS) checkInvalidArgs(o, { used: s, invalid: RESET_SCENARIOS.filter((x) => x !== s) });
  }
  checkInvalidArgs(o, { used: 'group', invalid: ['all-groups'] });
  checkInvalidArgs(o, { used: 'group', invalid: ['list'] });
  checkInvalidArgs(o, { used: 'topic', invalid: ['list', 'describe'] });
}

/** A failed admin operation, reported like the Java exception Kafka's tool would print. */
class GroupCommandError extends Error {
  override readonly name = 'GroupCommandError';
}

interface TP {
  topic: string;
  partition: number;
}
const tpKey = (tp: TP) => `${tp.topic}-${tp.partition}`;
const byTopicPartition = (a: TP, b: TP) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition);

interface GroupDescription {
  groupId: string;
  state: string;
  assignor: string;
  coordinator: { id: number; host: string; port: number };
  members: { consumerId: string; groupInstanceId: string; clientId: string; host: string; assignment: TP[] }[];
}

/** The admin-client calls the tool needs, on the project's KafkaClient. */
class GroupAdmin {
  constructor(
    readonly client: KafkaClient,
    private readonly timeoutMs: number,
  ) {}

  private async send<K extends ApiKey>(
    nodeId: number | null,
    api: { key: K; min: number; max: number },
    body: (version: number) => RequestInputOf<K>,
  ): Promise<ResponseOf<K>> {
    const conn = nodeId === null ? await this.client.anyConnection() : await this.client.connectionTo(nodeId);
    const version = conn.pickVersion(api.key, api.min, api.max);
    return conn.request(api.key, version, body(version), { timeoutMs: this.timeoutMs });
  }

  /** FindCoordinator, retried while the coordinator is not (yet) available. */
  async coordinator(groupId: string): Promise<{ id: number; host: string; port: number }> {
    return this.client.retry(
      async () => {
        const r = await this.send(null, { key: ApiKeys.FindCoordinator, min: 0, max: 4 }, (v) =>
          v >= 4 ? { keyType: 0, coordinatorKeys: [groupId] } : { key: groupId, keyType: 0 },
        );
        const c = r.coordinators.length > 0 ? r.coordinators[0]! : { errorCode: r.errorCode, nodeId: r.nodeId, host: r.host, port: r.port };
        if (c.errorCode !== ErrorCode.NONE) throw new KafkaResponseError(c.errorCode, { context: `FindCoordinator ${groupId}` });
        await this.client.fetchMetadata([]);
        return { id: c.nodeId, host: c.host, port: c.port };
      },
      { timeoutMs: this.timeoutMs, operation: 'findCoordinator' },
    );
  }

  /** ListGroups on every broker: consumer groups (protocol type `consumer`, or empty for offsets-only groups). */
  async listGroups(filter: { states: string[]; types: string[] }): Promise<{ groupId: string; state: string; type: string }[]> {
    const cluster = await this.client.fetchMetadata([]);
    const out: { groupId: string; state: string; type: string }[] = [];
    for (const broker of [...cluster.brokers.keys()].sort((a, b) => a - b)) {
      const r = await this.send(broker, { key: ApiKeys.ListGroups, min: 0, max: 5 }, (v) => ({
        ...(v >= 4 ? { statesFilter: filter.states } : {}),
        ...(v >= 5 ? { typesFilter: filter.types } : {}),
      }));
      if (r.errorCode !== ErrorCode.NONE) throw new KafkaResponseError(r.errorCode, { context: `ListGroups on broker ${broker}` });
      for (const g of r.groups) {
        if (g.protocolType !== 'consumer' && g.protocolType !== '') continue;
        out.push({ groupId: g.groupId, state: g.groupState || 'Unknown', type: g.groupType ? g.groupType.charAt(0).toUpperCase() + g.groupType.slice(1) : 'Unknown' });
      }
    }
    return out;
  }

  async describe(groupId: string): Promise<GroupDescription> {
    const coordinator = await this.coordinator(groupId);
    const r = await this.send(coordinator.id, { key: ApiKeys.DescribeGroups, min: 0, max: 5 }, () => ({ groups: [groupId] }));
    const g = r.groups[0]!;
    if (g.errorCode !== ErrorCode.NONE) throw new KafkaResponseError(g.errorCode, { context: `DescribeGroups ${groupId}` });
    if (g.protocolType !== 'consumer' && g.protocolType !== '') throw new GroupCommandError(`Consumer Group ${groupId} with protocol type '${g.protocolType}' is not a valid consumer group`);
    return {
      groupId,
      state: g.groupState,
      assignor: g.protocolData,
      coordinator,
      members: g.members.map((m) => ({
        consumerId: m.memberId,
        groupInstanceId: m.groupInstanceId ?? '',
        clientId: m.clientId,
        host: m.clientHost,
        assignment: (decodeAssignment(m.memberAssignment)?.assignedPartitions ?? []).flatMap((a) => a.partitions.map((partition) => ({ topic: a.topic, partition }))),
      })),
    };
  }

  /** The group's committed offsets (partitions without one are left out). */
  async committedOffsets(groupId: string): Promise<Map<string, TP & { offset: number }>> {
    const coordinator = await this.coordinator(groupId);
    const r = await this.send(coordinator.id, { key: ApiKeys.OffsetFetch, min: 2, max: 7 }, () => ({ groupId, topics: null }));
    if (r.errorCode !== ErrorCode.NONE) throw new KafkaResponseError(r.errorCode, { context: `OffsetFetch ${groupId}` });
    const out = new Map<string, TP & { offset: number }>();
    for (const t of r.topics) {
      for (const p of t.partitions) {
        if (p.errorCode !== ErrorCode.NONE) throw new KafkaResponseError(p.errorCode, { context: `OffsetFetch ${t.name}-${p.partitionIndex}` });
        if (p.committedOffset >= 0) out.set(tpKey({ topic: t.name, partition: p.partitionIndex }), { topic: t.name, partition: p.partitionIndex, offset: p.committedOffset });
      }
    }
    return out;
  }

  /** ListOffsets (-1 latest, -2 earliest, or a timestamp) from each partition's leader; undefined when unknown. */
  async listOffsets(partitions: readonly TP[], timestamp: number): Promise<Map<string, number | undefined>> {
    const out = new Map<string, number | undefined>();
    const byLeader = new Map<number, TP[]>();
    for (const tp of partitions) {
      let leader = -1;
      try {
        leader = await this.client.leaderFor(tp.topic, tp.partition, { refresh: false });
      } catch {
        leader = -1;
      }
      if (leader < 0) out.set(tpKey(tp), undefined);
      else byLeader.set(leader, [...(byLeader.get(leader) ?? []), tp]);
    }
    for (const [leader, tps] of byLeader) {
      const topics = [...new Set(tps.map((tp) => tp.topic))].map((name) => ({
        name,
        partitions: tps.filter((tp) => tp.topic === name).map((tp) => ({ partitionIndex: tp.partition, timestamp, currentLeaderEpoch: -1 })),
      }));
      const r = await this.send(leader, { key: ApiKeys.ListOffsets, min: 1, max: 7 }, () => ({ replicaId: -1, isolationLevel: 0, topics }));
      for (const t of r.topics) {
        for (const p of t.partitions) out.set(tpKey({ topic: t.name, partition: p.partitionIndex }), p.errorCode === ErrorCode.NONE ? p.offset : undefined);
      }
    }
    return out;
  }

  /** Commits offsets from outside group management (generation -1), as AdminClient.alterConsumerGroupOffsets. */
  async commit(groupId: string, offsets: readonly (TP & { offset: number })[]): Promise<void> {
    const coordinator = await this.coordinator(groupId);
    const topics = [...new Set(offsets.map((o) => o.topic))].map((name) => ({
      name,
      partitions: offsets.filter((o) => o.topic === name).map((o) => ({ partitionIndex: o.partition, committedOffset: o.offset, committedMetadata: '' })),
    }));
    const r = await this.send(coordinator.id, { key: ApiKeys.OffsetCommit, min: 2, max: 8 }, () => ({ groupId, generationIdOrMemberEpoch: -1, memberId: '', topics }));
    for (const t of r.topics) {
      for (const p of t.partitions) {
        if (p.errorCode !== ErrorCode.NONE) throw new KafkaResponseError(p.errorCode, { context: `OffsetCommit ${t.name}-${p.partitionIndex}` });
      }
    }
  }

  async deleteGroup(groupId: string): Promise<number> {
    const coordinator = await this.coordinator(groupId);
    const r = await this.send(coordinator.id, { key: ApiKeys.DeleteGroups, min: 0, max: 2 }, () => ({ groupsNames: [groupId] }));
    return r.results[0]?.errorCode ?? ErrorCode.UNKNOWN_SERVER_ERROR;
  }

  async deleteOffsets(groupId: string, partitions: readonly TP[]): Promise<{ error: number; partitions: Map<string, number> }> {
    const coordinator = await this.coordinator(groupId);
    const topics = [...new Set(partitions.map((p) => p.topic))].map((name) => ({
      name,
      partitions: partitions.filter((p) => p.topic === name).map((p) => ({ partitionIndex: p.partition })),
    }));
    const r = await this.send(coordinator.id, { key: ApiKeys.OffsetDelete, min: 0, max: 0 }, () => ({ groupId, topics }));
    const out = new Map<string, number>();
    for (const t of r.topics) for (const p of t.partitions) out.set(tpKey({ topic: t.name, partition: p.partitionIndex }), p.errorCode);
    return { error: r.errorCode, partitions: out };
  }

  /** The partitions of topics, from Metadata. */
  async partitionsOf(topic: string): Promise<TP[]> {
    const meta = await this.client.topicMetadata(topic, { refresh: true });
    return meta.partitions.map((p) => ({ topic, partition: p.partition }));
  }
}

/** How Java prints the exception of an error code (`ExecutionException.getMessage()`: class and message). */
function javaError(code: number): string {
  const cls = code === ErrorCode.NON_EMPTY_GROUP ? 'org.apache.kafka.common.errors.GroupNotEmptyException' : kafkaExceptionClass(code, errorInfo(code).name);
  return `${cls}: ${errorInfo(code).message}`;
}

/** Java's `%-Ns` (left-justified, padded to at least N). */
const pad = (value: string | number, width: number) => String(value).padEnd(width);

/** Utils.getDateTime: `YYYY-MM-DDTHH:mm:SS.sss` with an optional zone (Z, ±hh:mm, ±hhmm, ±hh); local time without one. */
export function parseDateTime(text: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.(\d{3})(Z|[+-]\d{2}(?::?\d{2})?)?$/.exec(text);
  if (!m) throw new GroupCommandError(`Unparseable date: "${text}"`);
  const [, y, mo, d, h, mi, s, ms, zone] = m;
  if (zone === undefined) return new Date(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), Number(ms)).getTime();
  const utc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), Number(ms));
  if (zone === 'Z') return utc;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return utc - sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || '0')) * 60_000;
}

/** java.time.Duration.parse (`PnDTnHnMn.nS`, signs allowed), in milliseconds. */
export function parseDuration(text: string): number {
  const m = /^([-+]?)P(?:([-+]?\d+)D)?(?:T(?:([-+]?\d+)H)?(?:([-+]?\d+)M)?(?:([-+]?\d+)(?:[.,](\d{0,9}))?S)?)?$/i.exec(text);
  if (!m || (m[2] ?? m[3] ?? m[4] ?? m[5]) === undefined || /T$/i.test(text)) throw new GroupCommandError(`Text cannot be parsed to a Duration`);
  const n = (s: string | undefined) => (s === undefined ? 0 : Number(s));
  const secondsSign = (m[5] ?? '').startsWith('-') ? -1 : 1;
  const ms = ((n(m[2]) * 24 + n(m[3])) * 60 + n(m[4])) * 60_000 + n(m[5]) * 1000 + secondsSign * Math.round(Number(`0.${m[6] || '0'}`) * 1000);
  return m[1] === '-' ? -ms : ms;
}

class ConsumerGroupCommand {
  constructor(
    private readonly o: ParsedOptions,
    private readonly admin: GroupAdmin,
    private readonly io: ToolIO,
  ) {}

  private printError(message: string): void {
    this.io.out(`${NL}Error: ${message}${NL}`);
  }

  private async groupIds(): Promise<string[]> {
    return this.o.has('all-groups') ? (await this.admin.listGroups({ states: [], types: [] })).map((g) => g.groupId) : this.o.valuesOf('group');
  }

  async list(): Promise<void> {
    const withType = this.o.has('type');
    const withState = this.o.has('state');
    if (!withType && !withState) {
      for (const g of await this.admin.listGroups({ states: [], types: [] })) this.io.out(`${g.groupId}${NL}`);
      return;
    }
    const parse = (raw: string | undefined, valid: string[], what: string) => {
      if (raw === undefined || raw === '') return [];
      const parsed = raw.split(',').map((s) => valid.find((v) => v.toLowerCase() === s.trim().toLowerCase()));
      if (parsed.includes(undefined)) throw new UsageError(`Invalid ${what} list '${raw}'. Valid ${what}s are: ${valid.join(', ')}`);
      return parsed as string[];
    };
    const states = parse(this.o.valueOf('state'), STATES, 'state');
    const types = parse(this.o.valueOf('type'), TYPES, 'type').map((t) => t.toLowerCase());
    const groups = await this.admin.listGroups({ states, types });
    const groupLen = Math.max(15, ...groups.map((g) => g.groupId.length)) + 10;
    const row = (id: string, type: string, state: string) =>
      [pad(id, groupLen), ...(withType ? [pad(type, 20)] : []), ...(withState ? [pad(state, 20)] : [])].join(' ') + NL;
    this.io.out(row('GROUP', 'TYPE', 'STATE'));
    for (const g of groups) this.io.out(row(g.groupId, g.type, g.state));
  }

  /** Prints why a group is not shown, as shouldPrintMemberState; true when its rows should be printed. */
  private shouldPrint(group: string, state: string, rows: number): boolean {
    if (state === 'Dead') this.printError(`Consumer group '${group}' does not exist.`);
    else if (state === 'Empty') this.io.err(`${NL}Consumer group '${group}' has no active members.${NL}`);
    else if (state !== 'Stable') this.io.err(`${NL}Warning: Consumer group '${group}' is rebalancing.${NL}`);
    return state !== 'Dead' && rows > 0;
  }

  async describe(): Promise<void> {
    const groups = [...(await this.groupIds())].sort();
    for (const groupId of groups) {
      const d = await this.admin.describe(groupId);
      if (this.o.has('members')) this.printMembers(d);
      else if (this.o.has('state')) this.printState(d);
      else await this.printOffsets(d);
    }
  }

  private async printOffsets(d: GroupDescription): Promise<void> {
    const committed = await this.admin.committedOffsets(d.groupId);
    type Row = { topic: string; partition: string; offset: string; end: string; lag: string; consumer: string; host: string; client: string };
    const rows: Row[] = [];
    const describePartitions = async (tps: TP[], member?: GroupDescription['members'][number]) => {
      const ends = await this.admin.listOffsets(tps, -1);
      for (const tp of [...tps].sort(byTopicPartition)) {
        const offset = committed.get(tpKey(tp))?.offset;
        const end = ends.get(tpKey(tp));
        rows.push({
          topic: tp.topic,
          partition: String(tp.partition),
          offset: offset === undefined ? MISSING : String(offset),
          end: end === undefined ? MISSING : String(end),
          lag: offset !== undefined && end !== undefined ? String(end - offset) : MISSING,
          consumer: member?.consumerId ?? MISSING,
          host: member?.host ?? MISSING,
          client: member?.clientId ?? MISSING,
        });
      }
    };
    const assigned = new Set<string>();
    const members = d.members.filter((m) => m.assignment.length > 0).sort((a, b) => b.assignment.length - a.assignment.length);
    for (const m of members) {
      for (const tp of m.assignment) assigned.add(tpKey(tp));
      await describePartitions(m.assignment, m);
    }
    const unassigned = [...committed.values()].filter((tp) => !assigned.has(tpKey(tp)));
    if (unassigned.length > 0) await describePartitions(unassigned);
    if (!this.shouldPrint(d.groupId, d.state, rows.length)) return;
    const g = Math.max(15, d.groupId.length);
    const t = Math.max(15, ...rows.map((r) => r.topic.length));
    const c = Math.max(15, ...rows.map((r) => r.consumer.length));
    const h = Math.max(15, ...rows.map((r) => r.host.length));
    const line = (v: string[]) => `${NL}${pad(v[0]!, g)} ${pad(v[1]!, t)} ${pad(v[2]!, 10)} ${pad(v[3]!, 15)} ${pad(v[4]!, 15)} ${pad(v[5]!, 15)} ${pad(v[6]!, c)} ${pad(v[7]!, h)} ${v[8]}`;
    let out = line(['GROUP', 'TOPIC', 'PARTITION', 'CURRENT-OFFSET', 'LOG-END-OFFSET', 'LAG', 'CONSUMER-ID', 'HOST', 'CLIENT-ID']);
    for (const r of rows) out += line([d.groupId, r.topic, r.partition, r.offset, r.end, r.lag, r.consumer, r.host, r.client]);
    this.io.out(`${out}${NL}`);
  }

  private printMembers(d: GroupDescription): void {
    const verbose = this.o.has('verbose');
    if (!this.shouldPrint(d.groupId, d.state, d.members.length)) return;
    const g = Math.max(15, d.groupId.length);
    const c = Math.max(15, ...d.members.map((m) => m.consumerId.length));
    const i = Math.max(17, ...d.members.map((m) => m.groupInstanceId.length));
    const h = Math.max(15, ...d.members.map((m) => m.host.length));
    const cl = Math.max(15, ...d.members.map((m) => m.clientId.length));
    const withInstance = d.members.some((m) => m.groupInstanceId !== '');
    const line = (v: string[]) =>
      (withInstance ? `${pad(v[0]!, g)} ${pad(v[1]!, c)} ${pad(v[2]!, i)} ${pad(v[3]!, h)} ${pad(v[4]!, cl)} ${pad(v[5]!, 15)} ` : `${pad(v[0]!, g)} ${pad(v[1]!, c)} ${pad(v[3]!, h)} ${pad(v[4]!, cl)} ${pad(v[5]!, 15)} `) +
      (verbose ? v[6] : '') +
      NL;
    let out = NL + line(['GROUP', 'CONSUMER-ID', 'GROUP-INSTANCE-ID', 'HOST', 'CLIENT-ID', '#PARTITIONS', 'ASSIGNMENT']);
    for (const m of d.members) {
      const topics = new Map<string, number[]>();
      for (const tp of m.assignment) topics.set(tp.topic, [...(topics.get(tp.topic) ?? []), tp.partition]);
      const assignment =
        m.assignment.length === 0
          ? MISSING
          : [...topics].map(([topic, ps]) => `${topic}(${ps.sort((a, b) => a - b).join(',')})`).sort().join(', ');
      out += line([d.groupId, m.consumerId, m.groupInstanceId, m.host, m.clientId, String(m.assignment.length), assignment]);
    }
    this.io.out(out);
  }

  private printState(d: GroupDescription): void {
    if (!this.shouldPrint(d.groupId, d.state, 1)) return;
    const coordinator = `${d.coordinator.host}:${d.coordinator.port}  (${d.coordinator.id})`;
    const w = Math.max(25, coordinator.length);
    // Kafka's 3.9 layout sizes the GROUP column by the coordinator column's width.
    const line = (v: string[]) => `${NL}${pad(v[0]!, w)} ${pad(v[1]!, 25)} ${pad(v[2]!, 20)} ${pad(v[3]!, 15)} ${v[4]}`;
    this.io.out(line(['GROUP', 'COORDINATOR (ID)', 'ASSIGNMENT-STRATEGY', 'STATE', '#MEMBERS']) + line([d.groupId, coordinator, d.assignor, d.state, String(d.members.length)]) + NL);
  }

  async delete(): Promise<void> {
    const failed: [string, string][] = [];
    const succeeded: string[] = [];
    for (const groupId of await this.groupIds()) {
      const code = await this.admin.deleteGroup(groupId);
      if (code === ErrorCode.NONE) succeeded.push(groupId);
      else failed.push([groupId, javaError(code)]);
    }
    if (failed.length === 0) {
      this.io.out(`Deletion of requested consumer groups ('${succeeded.join(', ')}') was successful.${NL}`);
      return;
    }
    this.printError('Deletion of some consumer groups failed:');
    for (const [group, why] of failed) this.io.out(`* Group '${group}' could not be deleted due to: ${why}${NL}`);
    if (succeeded.length > 0) this.io.out(`${NL}These consumer groups were deleted successfully: '${succeeded.join("', '")}'${NL}`);
  }

  /** --topic values: `topic` (every partition) or `topic:0,1`. */
  private async topicPartitions(args: readonly string[]): Promise<TP[]> {
    const out: TP[] = [];
    for (const arg of args) {
      if (!arg.includes(':')) {
        out.push(...(await this.admin.partitionsOf(arg)));
        continue;
      }
      const [topic, partitions, ...rest] = arg.split(':');
      if (rest.length > 0 || partitions === undefined) throw new UsageError(`Invalid topic arg '${arg}', expected topic name and partitions`);
      for (const p of partitions.split(',')) {
        if (!/^-?\d+$/.test(p)) throw new UsageError(`Invalid partition '${p}' specified in topic arg '${arg}''`);
        out.push({ topic: topic!, partition: Number(p) });
      }
    }
    return out;
  }

  async resetOffsets(): Promise<void> {
    const plans = new Map<string, (TP & { offset: number })[]>();
    const fromFile = this.o.has('from-file') ? this.readResetPlan(readFileSync(this.o.valueOf('from-file')!, 'utf8')) : undefined;
    for (const groupId of await this.groupIds()) {
      const d = await this.admin.describe(groupId);
      if (d.state !== 'Empty' && d.state !== 'Dead') {
        this.printError(`Assignments can only be reset if the group '${groupId}' is inactive, but the current state is ${d.state}.`);
        plans.set(groupId, []);
        continue;
      }
      const committed = await this.admin.committedOffsets(groupId);
      let partitions: TP[];
      if (this.o.has('all-topics')) partitions = [...committed.values()].map(({ topic, partition }) => ({ topic, partition }));
      else if (this.o.has('topic')) partitions = await this.topicPartitions(this.o.valuesOf('topic'));
      else if (fromFile) partitions = [];
      else throw new UsageError('One of the reset scopes should be defined: --all-topics, --topic.');
      const planned = await this.prepareOffsets(groupId, { partitions, committed, fromFile });
      if (this.o.has('execute') && planned.length > 0) await this.admin.commit(groupId, planned);
      plans.set(groupId, planned);
    }
    if (this.o.has('export')) {
      const single = this.o.valuesOf('group').length === 1;
      let csv = '';
      for (const [group, planned] of plans) for (const p of planned) csv += `${single ? '' : `${group},`}${p.topic},${p.partition},${p.offset}${NL}`;
      this.io.out(`${csv}${NL}`);
      return;
    }
    if (plans.size === 0) return;
    const format = (v: (string | number)[]) => `${pad(v[0]!, 30)} ${pad(v[1]!, 30)} ${pad(v[2]!, 10)} ${pad(v[3]!, 15)}${NL}`;
    let out = NL + format(['GROUP', 'TOPIC', 'PARTITION', 'NEW-OFFSET']);
    for (const [group, planned] of plans) for (const p of planned) out += format([group, p.topic, p.partition, p.offset]);
    this.io.out(out);
  }

  /** A --from-file CSV: `topic,partition,offset` (one group) or `group,topic,partition,offset`. */
  private readResetPlan(csv: string): Map<string, (TP & { offset: number })[]> {
    const plan = new Map<string, (TP & { offset: number })[]>();
    const single = this.o.valuesOf('group').length === 1;
    for (const line of csv.split('\n').map((l) => l.trim()).filter((l) => l !== '')) {
      const cells = line.split(',');
      const [group, topic, partition, offset] = cells.length === 3 && single ? [this.o.valueOf('group')!, ...cells] : cells;
      if (offset === undefined || !/^\d+$/.test(partition ?? '') || !/^-?\d+$/.test(offset)) throw new GroupCommandError(`Invalid reset plan line: ${line}`);
      plan.set(group!, [...(plan.get(group!) ?? []), { topic: topic!, partition: Number(partition), offset: Number(offset) }]);
    }
    return plan;
  }

  private async prepareOffsets(
    groupId: string,
    ctx: { partitions: TP[]; committed: Map<string, TP & { offset: number }>; fromFile?: Map<string, (TP & { offset: number })[]> },
  ): Promise<(TP & { offset: number })[]> {
    const { partitions, committed } = ctx;
    const o = this.o;
    const atTimestamp = async (timestamp: number, what: string) => {
      const found = await this.admin.listOffsets(partitions, timestamp);
      const missing = partitions.filter((tp) => found.get(tpKey(tp)) === undefined || found.get(tpKey(tp)) === -1);
      for (const tp of missing.filter(() => timestamp >= 0)) this.io.out(`${NL}Warn: Partition ${tp.partition} from topic ${tp.topic} is empty. Falling back to latest known offset.${NL}`);
      const latest = missing.length > 0 ? await this.admin.listOffsets(missing, -1) : new Map<string, number | undefined>();
      return partitions.map((tp) => {
        const offset = found.get(tpKey(tp)) !== undefined && found.get(tpKey(tp)) !== -1 ? found.get(tpKey(tp)) : latest.get(tpKey(tp));
        if (offset === undefined) throw new UsageError(`Error getting ${what} of topic partition: ${tp.topic}-${tp.partition}`);
        return { ...tp, offset };
      });
    };
    let requested: (TP & { offset: number })[];
    if (o.has('to-earliest')) return atTimestamp(-2, 'starting offset');
    if (o.has('to-latest')) return atTimestamp(-1, 'ending offset');
    if (o.has('to-datetime')) return atTimestamp(parseDateTime(o.valueOf('to-datetime')!), 'offset by timestamp');
    if (o.has('by-duration')) return atTimestamp(Date.now() - parseDuration(o.valueOf('by-duration')!), 'offset by timestamp');
    if (o.has('to-offset')) {
      requested = partitions.map((tp) => ({ ...tp, offset: o.numberOf('to-offset')! }));
    } else if (o.has('shift-by')) {
      requested = partitions.map((tp) => {
        const current = committed.get(tpKey(tp));
        if (!current) throw new UsageError(`Cannot shift offset for partition ${tp.topic}-${tp.partition} since there is no current committed offset`);
        return { ...tp, offset: current.offset + o.numberOf('shift-by')! };
      });
    } else if (o.has('to-current')) {
      const withoutCommit = partitions.filter((tp) => !committed.has(tpKey(tp)));
      const latest = withoutCommit.length > 0 ? await this.admin.listOffsets(withoutCommit, -1) : new Map<string, number | undefined>();
      return partitions.map((tp) => ({ ...tp, offset: committed.get(tpKey(tp))?.offset ?? latest.get(tpKey(tp)) ?? -1 }));
    } else if (ctx.fromFile) {
      const plan = ctx.fromFile.get(groupId);
      if (!plan) {
        this.printError(`No reset plan for group ${groupId} found`);
        return [];
      }
      requested = plan;
    } else {
      throw new UsageError(`Option '[reset-offsets]' requires one of the following scenarios: ${opt(RESET_SCENARIOS)}`);
    }
    return this.checkOffsetsRange(requested);
  }

  /** Clamps requested offsets into [log start, log end], warning as Kafka does. */
  private async checkOffsetsRange(requested: (TP & { offset: number })[]): Promise<(TP & { offset: number })[]> {
    const starts = await this.admin.listOffsets(requested, -2);
    const ends = await this.admin.listOffsets(requested, -1);
    return requested.map((r) => {
      const end = ends.get(tpKey(r));
      const start = starts.get(tpKey(r));
      const tp = `${r.topic}-${r.partition}`;
      const logger = { logger: 'org.apache.kafka.tools.consumer.group.ConsumerGroupCommand' };
      if (end !== undefined && r.offset > end) {
        this.io.err(logLine('WARN', `New offset (${r.offset}) is higher than latest offset for topic partition ${tp}. Value will be set to ${end}`, logger));
        return { ...r, offset: end };
      }
      if (start !== undefined && r.offset < start) {
        this.io.err(logLine('WARN', `New offset (${r.offset}) is lower than earliest offset for topic partition ${tp}. Value will be set to ${start}`, logger));
        return { ...r, offset: start };
      }
      return r;
    });
  }

  async deleteOffsets(): Promise<void> {
    const groupId = this.o.valueOf('group')!;
    const topics = this.o.valuesOf('topic');
    const partitions = await this.topicPartitions(topics);
    const result = await this.admin.deleteOffsets(groupId, partitions);
    // The admin client's all() fails with the first partition error when the group itself succeeded.
    const topLevel = result.error !== ErrorCode.NONE ? result.error : ([...result.partitions.values()].find((e) => e !== ErrorCode.NONE) ?? ErrorCode.NONE);
    switch (topLevel) {
      case ErrorCode.NONE:
        this.io.out(`Request succeed for deleting offsets with topic ${topics.join(', ')} group ${groupId}${NL}`);
        break;
      case ErrorCode.INVALID_GROUP_ID:
        this.printError(`'${groupId}' is not valid.`);
        break;
      case ErrorCode.GROUP_ID_NOT_FOUND:
        this.printError(`'${groupId}' does not exist.`);
        break;
      case ErrorCode.GROUP_AUTHORIZATION_FAILED:
        this.printError(`Access to '${groupId}' is not authorized.`);
        break;
      case ErrorCode.NON_EMPTY_GROUP:
        this.printError(`Deleting offsets of a consumer group '${groupId}' is forbidden if the group is not empty.`);
        break;
      case ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC:
      case ErrorCode.TOPIC_AUTHORIZATION_FAILED:
      case ErrorCode.UNKNOWN_TOPIC_OR_PARTITION:
        this.printError('Encounter some partition level error, see the follow-up details:');
        break;
      default:
        this.printError(`Encounter some unknown error: ${errorInfo(topLevel).name}`);
    }
    const format = (v: (string | number)[]) => `${pad(v[0]!, 30)} ${pad(v[1]!, 15)} ${pad(v[2]!, 15)}${NL}`;
    let out = NL + format(['TOPIC', 'PARTITION', 'STATUS']);
    for (const tp of [...partitions].sort(byTopicPartition)) {
      const code = result.partitions.get(tpKey(tp));
      const status = code === undefined || code === ErrorCode.NONE ? 'Successful' : `Error: :${javaError(code)}`;
      out += format([tp.topic, tp.partition, status]);
    }
    this.io.out(out);
  }
}

/** Runs kafka-consumer-groups with `args`; resolves with the exit code. */
export async function kafkaConsumerGroupsMain(args: string[], io: ToolIO): Promise<number> {
  const parser = buildParser();
  let options: ParsedOptions | null;
  try {
    options = parseToolOptions(parser, args, {
      io,
      help: 'This tool helps to list all consumer groups, describe a consumer group, delete consumer group info, or reset consumer group offsets.',
    });
    if (options === null) return 0;
    checkArgs(options, io);
  } catch (err) {
    if (err instanceof UsageError) {
      printUsage(io, { parser, message: err.message });
      return 1;
    }
    throw err;
  }
  const timeoutMs = options.numberOf('timeout') ?? 5000;
  const props = options.has('command-config') ? loadClientProperties(options.valueOf('command-config')!) : {};
  const client = new KafkaClient({
    ...clientOptionsFromProps(props, { clientId: 'adminclient-1' }),
    bootstrapServers: options.valueOf('bootstrap-server')!,
    requestTimeoutMs: timeoutMs,
    logger: toolClientLogger(io, 'org.apache.kafka.clients.NetworkClient'),
  });
  const command = new ConsumerGroupCommand(options, new GroupAdmin(client, timeoutMs), io);
  try {
    if (options.has('list')) await command.list();
    else if (options.has('describe')) await command.describe();
    else if (options.has('delete')) await command.delete();
    else if (options.has('reset-offsets')) await command.resetOffsets();
    else await command.deleteOffsets();
  } catch (err) {
    if (err instanceof UsageError) {
      printUsage(io, { parser, message: err.message });
      return 1;
    }
    const message = err instanceof OperationTimeoutError ? `Timed out waiting for a node assignment. ${err.message}` : err instanceof Error ? err.message : String(err);
    io.out(`${NL}Error: Executing consumer group command failed due to ${message}${NL}`);
    if (err instanceof Error && err.stack) io.err(`${err.stack}${NL}`);
  } finally {
    await client.close();
  }
  return 0;
}

if (require.main === module) runTool((args, io) => kafkaConsumerGroupsMain(args, io));
