/**
 * kafka-consumer-groups' actions (Kafka 3.9's ConsumerGroupCommand): --list (with --state / --type),
 * --describe (--offsets with lag, --members [--verbose], --state), --delete, --reset-offsets (every
 * scenario, --dry-run / --execute / --export) and --delete-offsets, printing the Java tool's tables and
 * messages; and the date and duration formats --to-datetime and --by-duration accept.
 */
import { readFileSync } from 'node:fs';
import { ErrorCode, errorInfo } from '../protocol';
import type { ParsedOptions } from './command-line';
import { type GroupAdmin, type GroupDescription, GroupCommandError, type TP, byTopicPartition, javaError, tpKey } from './consumer-group-admin';
import { UsageError, logLine, type ToolIO } from './tool-support';

/** What the tables print for an unknown value. */
const MISSING = '-';
/** Java's line separator, as the tool prints it. */
export const NL = '\n';
/** The --reset-offsets scenarios, one of which must be given. */
export const RESET_SCENARIOS = ['to-offset', 'shift-by', 'to-datetime', 'by-duration', 'to-earliest', 'to-latest', 'to-current', 'from-file'];
/** Kafka's ConsumerGroupState names (--list --state). */
const STATES = ['PreparingRebalance', 'CompletingRebalance', 'Stable', 'Dead', 'Empty', 'Assigning', 'Reconciling'];
/** Kafka's GroupType names (--list --type). */
const TYPES = ['Consumer', 'Classic'];
/** Options as jopt-simple lists them in messages: `[a], [b]`. */
export const opt = (names: readonly string[]) => names.map((n) => `[${n}]`).join(', ');

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

/** The actions of kafka-consumer-groups, printing what Kafka's ConsumerGroupCommand prints. */
export class ConsumerGroupCommand {
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

