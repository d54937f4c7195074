/**
 * kafka-log-dirs.sh: Kafka 3.9's LogDirsCommand. `--describe` asks every broker (or those of
 * `--broker-list 0,1`) for its log dirs through DescribeLogDirs and prints
 * "Querying brokers for log directories information", "Received log directory information from brokers
 * 0,1" and one JSON line `{"brokers":[{"broker":0,"logDirs":[{"partitions":[{"partition":"t-0","size":..,
 * "offsetLag":..,"isFuture":false}],"error":null,"logDir":"/data"}]}],"version":1}` — keys, brokers, dirs
 * and partitions in the iteration order of the Java HashMaps and HashSets the command builds, so the line
 * matches Kafka's byte for byte. `--topic-list a,b` keeps those topics' partitions. Brokers that do not
 * exist are refused with Kafka's message; failures print the message and the exception (exit 1).
 */
import { Admin, type LogDirDescription } from '../client/admin';
import type { KafkaClient } from '../client/kafka-client';
import { javaStringHash } from '../zk/znodes/key-order';
import { toolKafkaClient } from './client-config';
import { OptionParser } from './command-line';
import {
  addDefaultOptions,
  errorCodeExceptionClass,
  javaExceptionClassOf,
  propertiesOption,
  runTool,
  startTool,
  type ToolIO,
} from './tool-support';
import { javaHashSetOrder, topicPartitionHash } from './tool-json';

const HELP = 'This tool helps to query log directory usage on the specified brokers.';

/** LogDirsCommand's TerseException: the message alone on stderr, exit 1. */
class TerseError extends Error {
  override readonly name = 'TerseError';
}

function buildParser(): OptionParser {
  const p = new OptionParser();
  p.withRequiredArg('bootstrap-server', 'REQUIRED: the server(s) to use for bootstrapping', {
    describedAs: 'The server(s) to use for bootstrapping',
  });
  p.withRequiredArg('command-config', 'Property file containing configs to be passed to Admin Client.', {
    describedAs: 'Admin client property file',
  });
  p.flag('describe', 'Describe the specified log directories on the specified brokers.');
  p.withRequiredArg(
    'topic-list',
    'The list of topics to be queried in the form "topic1,topic2,topic3". All topics will be queried if no topic list is specified',
    { describedAs: 'Topic list', defaultValue: '' },
  );
  p.withRequiredArg(
    'broker-list',
    'The list of brokers to be queried in the form "0,1,2". All brokers in the cluster will be queried if no broker list is specified',
    { describedAs: 'Broker list', defaultValue: '' },
  );
  addDefaultOptions(p);
  return p;
}

/** An object whose keys come out in the order a java.util.HashMap of them iterates (Jackson writes that order). */
function javaHashMap(entries: readonly [string, unknown][]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of javaHashSetOrder(entries, ([key]) => javaStringHash(key))) out[k] = v;
  return out;
}

/** LogDirsCommand.formatAsJson. */
export function formatLogDirsJson(byBroker: ReadonlyMap<number, readonly LogDirDescription[]>, topics: ReadonlySet<string>): string {
  // allDescriptions() is a HashMap sized for the brokers; each broker's dirs a HashMap sized for its dirs.
  const brokers = javaHashSetOrder([...byBroker.keys()], (id) => id, { initialCapacity: byBroker.size }).map((broker) => {
    const dirs = byBroker.get(broker)!;
    const logDirs = javaHashSetOrder(dirs, (d) => javaStringHash(d.path), { initialCapacity: dirs.length }).map((d) => {
      const replicas = d.replicas.filter((r) => topics.size === 0 || topics.has(r.topic));
      const partitions = javaHashSetOrder(replicas, topicPartitionHash).map((r) =>
        javaHashMap([
          ['partition', `${r.topic}-${r.partition}`],
          ['size', r.size],
          ['offsetLag', r.offsetLag],
          ['isFuture', r.isFuture],
        ]),
      );
      const error = d.error === null ? null : errorCodeExceptionClass(d.error.code);
      return javaHashMap([
        ['logDir', d.path],
        ['error', error],
        ['partitions', partitions],
      ]);
    });
    return javaHashMap([
      ['broker', broker],
      ['logDirs', logDirs],
    ]);
  });
  return JSON.stringify(
    javaHashMap([
      ['version', 1],
      ['brokers', brokers],
    ]),
  );
}

const splitList = (value: string) => value.split(',').filter((x) => x.length > 0);

/** Runs kafka-log-dirs with `args`; resolves with the exit code. */
export async function kafkaLogDirsMain(args: string[], io: ToolIO): Promise<number> {
  const options = startTool(buildParser(), args, {
    io,
    help: HELP,
    required: ['bootstrap-server', 'describe'],
  });
  if (typeof options === 'number') return options;
  let client: KafkaClient | undefined;
  try {
    const topics = new Set(splitList(options.valueOf('topic-list') ?? ''));
    const inputBrokers = [...new Set(splitList(options.valueOf('broker-list') ?? '').map(parseBrokerId))];
    const props = propertiesOption(options, 'command-config');
    client = toolKafkaClient(io, { bootstrapServers: options.valueOf('bootstrap-server')!, props, clientId: 'log-dirs-tool' });
    const admin = new Admin(client);
    const clusterBrokers = (await admin.describeCluster()).brokers.map((b) => b.nodeId);
    const idOrder = (ids: number[]) => javaHashSetOrder(ids, (id) => id);
    const existing = idOrder((inputBrokers.length === 0 ? clusterBrokers : inputBrokers).filter((id) => clusterBrokers.includes(id)));
    const missing = idOrder(inputBrokers.filter((id) => !clusterBrokers.includes(id)));
    if (missing.length > 0) {
      throw new TerseError(
        `ERROR: The given brokers do not exist from --broker-list: ${missing.join(',')}. ` +
          `Current existent brokers: ${idOrder(clusterBrokers).join(',')}`,
      );
    }
    io.out('Querying brokers for log directories information\n');
    const byBroker = await admin.describeLogDirs(existing);
    io.out(`Received log directory information from brokers ${existing.join(',')}\n`);
    io.out(`${formatLogDirsJson(byBroker, topics)}\n`);
    return 0;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (err instanceof TerseError) io.err(`${message}\n`);
    else io.err(`${message}\n${javaExceptionClassOf(err)}: ${message}\n`);
    return 1;
  } finally {
    await client?.close();
  }
}

/** Integer.valueOf on a --broker-list item: a NumberFormatException otherwise. */
function parseBrokerId(text: string): number {
  if (!/^[+-]?\d+$/.test(text) || Math.abs(Number(text)) > 2 ** 31) {
    throw new Error(`For input string: "${text}"`);
  }
  return Number(text);
}

if (require.main === module) runTool((args, io) => kafkaLogDirsMain(args, io));
