/**
 * kafka-reassign-partitions' files and failures (Kafka 3.9's ReassignPartitionsCommand): the reassignment
 * JSON it reads (`--reassignment-json-file`, `--topics-to-move-json-file`) and writes
 * (`{"version":1,"partitions":[{"topic":"t","partition":0,"replicas":[1,2],"log_dirs":["any","any"]}]}`),
 * the checks made on them with the command's messages, and the error type its main prints.
 */
import { DecodeJson, JsonMappingError } from './tool-json';
import { JavaException, errorCodeExceptionClass } from './tool-support';

const ANY_LOG_DIR = 'any';

/** A failure printed as Kafka's command prints it: `terse` ones (TerseException) show only their message. */
export class ReassignCommandError extends JavaException {
  override readonly name = 'ReassignCommandError';
  readonly terse: boolean;
  constructor(message: string, options: { javaClass?: string; terse?: boolean } = {}) {
    super(message, options.javaClass ?? 'org.apache.kafka.server.common.AdminCommandFailedException');
    this.terse = options.terse ?? false;
  }
}

/** A partition and its replica list. */
export interface PartitionReplicas {
  readonly topic: string;
  readonly partition: number;
  readonly replicas: readonly number[];
}

/** A topic partition. */
export type TP = { topic: string; partition: number };
/** `topic-partition`, as Kafka prints a TopicPartition. */
export const tpName = (tp: TP) => `${tp.topic}-${tp.partition}`;
/** Orders by topic name, then partition. */
export const compareTopicPartitions = (a: TP, b: TP) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition);
/** `word` or `words`, as the command's messages count. */
export const plural = (n: number, word: string) => `${word}${n === 1 ? '' : 's'}`;

/** Kafka's ExecutionException around an admin client error: its message is `<exception class>: <message>`. */
export function executionError(code: number, message: string): ReassignCommandError {
  return new ReassignCommandError(`${errorCodeExceptionClass(code)}: ${message}`,
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
