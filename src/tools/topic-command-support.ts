/**
 * The parts of kafka-topics (Kafka 3.9's org.apache.kafka.tools.TopicCommand) shared by its AdminClient
 * and ZooKeeper back-ends: the `--topic` include list (a regular expression, Kafka's IncludeList),
 * internal-topic rules, `--replica-assignment` and `--config` parsing, and the describe output, whose
 * lines are Kafka 3.9's exactly:
 *
 *   Topic: t\tTopicId: <id>\tPartitionCount: 1\tReplicationFactor: 1\tConfigs: k=v,...
 *   \tTopic: t\tPartition: 0\tLeader: 0\tReplicas: 0\tIsr: 0\tElr: N/A\tLastKnownElr: N/A
 *
 * (ZooKeeper-mode brokers have no ELR, so 3.9 prints N/A for both.) A partition being reassigned gets
 * `\tAdding Replicas: 2\tRemoving Replicas: 0` before `Elr`, and its replication factor (topic line,
 * --under-replicated-partitions) is that of the target: its replicas minus the ones being added.
 */

import { validateTopicConfigs } from '../config/log-config-builder';
import { JavaException, type ToolIO } from './tool-support';

/** Kafka's Topic.isInternal: the two internal topics. */
export function isInternalTopic(topic: string): boolean {
  return topic === '__consumer_offsets' || topic === '__transaction_state';
}

/** Kafka's Topic.hasCollisionChars: '.' and '_' collide in metric names. */
export function hasCollisionChars(topic: string): boolean {
  return topic.includes('.') || topic.includes('_');
}

/** Kafka's IncludeList: `--topic` as a regular expression matched against whole topic names. */
export class IncludeList {
  private readonly pattern: RegExp;

  constructor(rawRegex: string) {
    // As Kafka: commas separate alternatives, spaces are ignored, surrounding quotes stripped.
    const regex = rawRegex
      .trim()
      .replace(/,/g, '|')
      .replace(/ /g, '')
      .replace(/^["']+/, '')
      .replace(/["']+$/, '');
    this.pattern = new RegExp(`^(?:${regex})$`);
  }

  isTopicAllowed(topic: string, excludeInternalTopics: boolean): boolean {
    return this.pattern.test(topic) && !(isInternalTopic(topic) && excludeInternalTopics);
  }
}

/** TopicCommand.doGetTopics: filters sorted topic names by the include list and the internal flag. */
export function filterTopics(
  allTopics: readonly string[],
  options: { include: string | undefined; excludeInternal: boolean },
): string[] {
  const { include, excludeInternal } = options;
  const sorted = [...allTopics].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (include !== undefined) {
    const list = new IncludeList(include);
    return sorted.filter((t) => list.isTopicAllowed(t, excludeInternal));
  }
  return sorted.filter((t) => !(isInternalTopic(t) && excludeInternal));
}

/** An IllegalArgumentException of the Java tool (printed as `java.lang.IllegalArgumentException`). */
export class IllegalArgumentError extends Error {
  override readonly name = 'IllegalArgumentError';
}

/** Kafka's AdminCommandFailedException / AdminOperationException. */
export class AdminCommandError extends JavaException {
  override readonly name = 'AdminCommandError';
}

/**
 * TopicCommand.ensureTopicExists. Kafka 3.9 formats the Optional holding the name, so the message reads
 * `Topic 'Optional[name]' does not exist as expected`; kept as is, since scripts match on it.
 */
export function ensureTopicExists(
  found: readonly string[],
  options: { requested: string | undefined; requireExists: boolean },
): void {
  const { requested, requireExists } = options;
  if (requested !== undefined && requested !== '' && requireExists && found.length === 0) {
    throw new IllegalArgumentError(`Topic 'Optional[${requested}]' does not exist as expected`);
  }
}

/** TopicCommand.parseReplicaAssignment: `0:1,1:2` → replicas per partition, partition 0 first. */
export function parseReplicaAssignment(text: string): number[][] {
  const out: number[][] = [];
  const partitions = text.split(',');
  for (let i = 0; i < partitions.length; i++) {
    const brokers = partitions[i]!.split(':').map((s) => {
      const t = s.trim();
      if (!/^[+-]?\d+$/.test(t)) throw new NumberFormatError(`For input string: "${t}"`);
      return Number(t);
    });
    const duplicates = [...new Set(brokers.filter((b, j) => brokers.indexOf(b) !== j))];
    if (duplicates.length > 0) {
      throw new AdminCommandError(
        `Partition replica lists may not contain duplicate entries: ${duplicates.join(',')}`,
        'kafka.common.AdminCommandFailedException',
      );
    }
    out.push(brokers);
    if (brokers.length !== out[0]!.length) {
      throw new AdminCommandError(
        `Partition ${i} has different replication factor: [${brokers.join(', ')}]`,
        'kafka.admin.AdminOperationException',
      );
    }
  }
  return out;
}

/** Java's NumberFormatException (bad integers in --replica-assignment). */
export class NumberFormatError extends Error {
  override readonly name = 'NumberFormatError';
}

/** Splits like Java's String.split(regex): trailing empty strings are dropped. */
function javaSplit(text: string, re: RegExp): string[] {
  const parts = text.split(re);
  while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/** TopicCommand.parseTopicConfigsToBeAdded: `k=v` pairs, validated as Kafka's LogConfig.validate does. */
export function parseTopicConfigs(configs: readonly string[]): Record<string, string> {
  const pairs = configs.map((s) => javaSplit(s, /\s*=\s*/));
  if (!pairs.every((p) => p.length === 2)) {
    throw new IllegalArgumentError(
      'requirement failed: Invalid topic config: all configs to be added must be in the format "key=val".',
    );
  }
  const props: Record<string, string> = {};
  for (const [k, v] of pairs) props[k!.trim()] = v!.trim();
  validateTopicConfigs(props);
  return props;
}

/** What the describe output needs about a topic. */
export interface TopicDescriptionLine {
  topic: string;
  topicId: string | null;
  numPartitions: number;
  replicationFactor: number;
  /** Non-default configs, in the order to print. */
  configs: { name: string; value: string | null }[];
  markedForDeletion: boolean;
}

/** What the describe output needs about a partition. */
export interface PartitionDescriptionLine {
  topic: string;
  partition: number;
  /** Null when there is no leader. */
  leader: number | null;
  replicas: number[];
  isr: number[];
  markedForDeletion: boolean;
  /** min.insync.replicas of the topic, when known. */
  minIsr: number | undefined;
  /** The partition's ongoing reassignment (ListPartitionReassignments), if any. */
  reassignment?: OngoingReassignment | null;
}

/** An ongoing reassignment of a partition, as Kafka's PartitionReassignment. */
export interface OngoingReassignment {
  replicas: readonly number[];
  addingReplicas: readonly number[];
  removingReplicas: readonly number[];
}

/**
 * TopicCommand.isReassignmentInProgress: some replica of the partition is still being added or
 * removed. (The reassignment may have completed between listing it and reading the partition.)
 */
export function isReassignmentInProgress(replicas: readonly number[], reassignment: OngoingReassignment | null | undefined): boolean {
  if (!reassignment) return false;
  const changing = new Set([...reassignment.addingReplicas, ...reassignment.removingReplicas]);
  return replicas.some((r) => changing.has(r));
}

/** TopicCommand.getReplicationFactor: the target's size while a reassignment runs, else the replicas'. */
export function replicationFactorOf(replicas: readonly number[], reassignment: OngoingReassignment | null | undefined): number {
  return isReassignmentInProgress(replicas, reassignment)
    ? reassignment!.replicas.length - reassignment!.addingReplicas.length
    : replicas.length;
}

const ZERO_UUID = 'AAAAAAAAAAAAAAAAAAAAAA';

/** TopicDescription.printDescription. */
export function formatTopicDescription(d: TopicDescriptionLine): string {
  let line = `Topic: ${d.topic}`;
  if (d.topicId !== null && d.topicId !== ZERO_UUID) line += `\tTopicId: ${d.topicId}`;
  line += `\tPartitionCount: ${d.numPartitions}`;
  line += `\tReplicationFactor: ${d.replicationFactor}`;
  line += `\tConfigs: ${d.configs.map((c) => `${c.name}=${c.value}`).join(',')}`;
  if (d.markedForDeletion) line += '\tMarkedForDeletion: true';
  return `${line}\n`;
}

/** PartitionDescription.printDescription. */
export function formatPartitionDescription(d: PartitionDescriptionLine): string {
  let line = `\tTopic: ${d.topic}`;
  line += `\tPartition: ${d.partition}`;
  line += `\tLeader: ${d.leader === null ? 'none' : d.leader}`;
  line += `\tReplicas: ${d.replicas.join(',')}`;
  line += `\tIsr: ${d.isr.join(',')}`;
  if (d.reassignment) {
    line += `\tAdding Replicas: ${d.reassignment.addingReplicas.join(',')}`;
    line += `\tRemoving Replicas: ${d.reassignment.removingReplicas.join(',')}`;
  }
  line += '\tElr: N/A';
  line += '\tLastKnownElr: N/A';
  if (d.markedForDeletion) line += '\tMarkedForDeletion: true';
  return `${line}\n`;
}

/** The describe filters (--under-replicated-partitions, ...). */
export interface DescribeFilters {
  underReplicated: boolean;
  unavailable: boolean;
  underMinIsr: boolean;
  atMinIsr: boolean;
  topicsWithOverrides: boolean;
}

/** TopicCommand.DescribeOptions: decides which lines --describe prints. */
export class DescribeOptions {
  /** Print the topic line (no partition filter given). */
  readonly describeConfigs: boolean;
  /** Print partition lines (not --topics-with-overrides). */
  readonly describePartitions: boolean;

  constructor(
    private readonly filters: DescribeFilters,
    private readonly liveBrokers: ReadonlySet<number>,
  ) {
    this.describeConfigs = !filters.unavailable && !filters.underReplicated && !filters.underMinIsr && !filters.atMinIsr;
    this.describePartitions = !filters.topicsWithOverrides;
  }

  /** Whether the topic line is printed, given whether the topic has non-default configs. */
  shouldPrintTopic(hasNonDefaultConfigs: boolean): boolean {
    return this.describeConfigs && (!this.filters.topicsWithOverrides || hasNonDefaultConfigs);
  }

  /** Whether a partition line is printed. */
  shouldPrintPartition(p: PartitionDescriptionLine): boolean {
    const hasLeader = p.leader !== null;
    const underReplicated = replicationFactorOf(p.replicas, p.reassignment) - p.isr.length > 0;
    const unavailable = !hasLeader || !this.liveBrokers.has(p.leader!);
    const underMinIsr = p.minIsr !== undefined && (!hasLeader || p.isr.length < p.minIsr);
    const atMinIsr = p.minIsr !== undefined && p.minIsr === p.isr.length;
    return (
      this.describeConfigs ||
      (this.filters.underReplicated && underReplicated) ||
      (this.filters.unavailable && unavailable) ||
      (this.filters.underMinIsr && underMinIsr) ||
      (this.filters.atMinIsr && atMinIsr)
    );
  }
}

/** Prints a topic and its partitions as --describe does (partitions sorted by index). */
export function printTopicAndPartitions(
  io: ToolIO,
  description: { options: DescribeOptions; topic: TopicDescriptionLine; partitions: PartitionDescriptionLine[] },
): void {
  const { options, topic, partitions } = description;
  const sorted = [...partitions].sort((a, b) => a.partition - b.partition);
  if (options.shouldPrintTopic(topic.configs.length > 0)) io.out(formatTopicDescription(topic));
  if (options.describePartitions) {
    for (const p of sorted) if (options.shouldPrintPartition(p)) io.out(formatPartitionDescription(p));
  }
}
