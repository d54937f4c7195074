/**
 * kafka-broker-api-versions.sh: Kafka 3.9's BrokerApiVersionsCommand. Finds the brokers through Metadata and
 * asks each one for its ApiVersions, printing per broker Kafka's NodeApiVersions.toString(true):
 *
 *   127.0.0.1:9092 (id: 0 rack: null) -> (
 *   	Produce(0): 0 to 11 [usable: 11],
 *   	...
 *   	LeaderAndIsr(4): UNSUPPORTED,
 *   	...
 *   )
 *
 * one line per API key the broker advertises and per API of Kafka 3.9's ApiKeys.zkBrokerApis() it does not
 * (UNSUPPORTED), ascending by key, with Kafka's API names. `[usable: N]` is the highest version both the
 * broker and this client support — the client's versions being the ones the project's protocol definitions
 * know — or `[unusable: node too new|old]` when the ranges do not meet. Brokers are printed in ascending id
 * order (Kafka's order is the shuffled node list of its Cluster, so no order is Kafka's own).
 *
 * No arguments and --help print the option table (exit 1), --version the version. As in Kafka, option errors
 * and a cluster that cannot be reached end the command with an uncaught exception
 * (`Exception in thread "main" <class>: <message>`, exit 1); a broker whose ApiVersions fails is printed as
 * `<broker> -> ERROR: <exception>`.
 */
import { type BrokerNode, type KafkaClient, parseBootstrapServers } from '../client/kafka-client';
import { KafkaResponseError } from '../client/client-errors';
import { ApiKeys, apiName, supportedVersions } from '../protocol';
import type { VersionRange } from '../protocol/versions';
import { toolKafkaClient } from './client-config';
import { OptionException, OptionParser, type ParsedOptions } from './command-line';
import {
  JavaException,
  addDefaultOptions,
  kafkaExceptionClass,
  propertiesOption,
  runTool,
  startTool,
  type ToolIO,
} from './tool-support';

const HELP = 'This tool helps to retrieve broker version information.';
/** The legacy AdminClient's request.timeout.ms default in BrokerApiVersionsCommand. */
const DEFAULT_REQUEST_TIMEOUT_MS = 5000;

/**
 * Kafka 3.9's ApiKeys.zkBrokerApis(): the APIs whose request definition lists the zkBroker listener. The
 * project defines only the APIs it serves, so the set is Kafka's, written out.
 */
export const ZK_BROKER_API_KEYS: readonly number[] = [
  ...Array.from({ length: 52 }, (_, i) => i),
  ApiKeys.AlterPartition,
  ApiKeys.UpdateFeatures,
  ApiKeys.Envelope,
  ApiKeys.DescribeCluster,
  ApiKeys.DescribeProducers,
  ApiKeys.DescribeTransactions,
  ApiKeys.ListTransactions,
  ApiKeys.AllocateProducerIds,
  ApiKeys.ConsumerGroupHeartbeat,
  ApiKeys.ConsumerGroupDescribe,
];

function buildParser(): OptionParser {
  const p = new OptionParser();
  p.withRequiredArg('command-config', 'A property file containing configs to be passed to Admin Client.', {
    describedAs: 'command config property file',
  });
  p.withRequiredArg('bootstrap-server', 'REQUIRED: The server to connect to.', {
    describedAs: 'server(s) to use for bootstrapping',
  });
  addDefaultOptions(p);
  return p;
}

/** An uncaught exception: the JVM prints `Exception in thread "main" <class>: <message>` and exits 1. */
class UncaughtException extends JavaException {
  override readonly name = 'UncaughtException';
}

/** jopt-simple's exception class for one of its messages. */
function joptExceptionClass(message: string): string {
  if (message.endsWith('is not a recognized option')) return 'joptsimple.UnrecognizedOptionException';
  if (message.endsWith('requires an argument')) return 'joptsimple.OptionMissingRequiredArgumentException';
  if (message.startsWith('Cannot parse argument')) return 'joptsimple.OptionArgumentConversionException';
  return 'joptsimple.OptionException';
}

/** Kafka's Node.toString. */
export function nodeString(node: { host: string; port: number; nodeId: number; rack: string | null }): string {
  return `${node.host}:${node.port} (id: ${node.nodeId} rack: ${node.rack})`;
}

/** NodeApiVersions.apiVersionToText for an API the broker advertises. */
function apiVersionText(apiKey: number, theirs: VersionRange): string {
  const name = apiName(apiKey);
  let text = name !== undefined ? `${name}(${apiKey}): ` : `UNKNOWN(${apiKey}): `;
  text += theirs.min === theirs.max ? `${theirs.min}` : `${theirs.min} to ${theirs.max}`;
  if (name === undefined) return text;
  // The client's versions: what the project's protocol definitions know (the broker's own range for an API
  // the project does not define, which it cannot advertise since it could not decode it).
  const ours = supportedVersions(apiKey) ?? theirs;
  if (ours.max < theirs.min) return `${text} [unusable: node too new]`;
  if (theirs.max < ours.min) return `${text} [unusable: node too old]`;
  return `${text} [usable: ${Math.min(ours.max, theirs.max)}]`;
}

/** Kafka's NodeApiVersions.toString(true) for the ranges a broker advertised. */
export function formatNodeApiVersions(versions: ReadonlyMap<number, VersionRange>): string {
  const lines = new Map<number, string>();
  for (const [apiKey, range] of versions) lines.set(apiKey, apiVersionText(apiKey, range));
  for (const apiKey of ZK_BROKER_API_KEYS) {
    if (!lines.has(apiKey)) lines.set(apiKey, `${apiName(apiKey)}(${apiKey}): UNSUPPORTED`);
  }
  const ordered = [...lines].sort(([a], [b]) => a - b).map(([, text]) => text);
  return `(\n\t${ordered.join(',\n\t')}\n)`;
}

/** A Throwable's toString for a failed ApiVersions exchange. */
function throwableString(err: unknown): string {
  if (err instanceof KafkaResponseError) return `${kafkaExceptionClass(err.code, err.errorName)}: ${err.message}`;
  if (err instanceof Error) return `org.apache.kafka.common.errors.DisconnectException: ${err.message}`;
  return String(err);
}

/** The brokers of the cluster, as the legacy AdminClient's findAllBrokers gets them from any bootstrap broker. */
async function findAllBrokers(client: KafkaClient, bootstrap: string): Promise<BrokerNode[]> {
  try {
    const cluster = await client.fetchMetadata([]);
    return [...cluster.brokers.values()].sort((a, b) => a.nodeId - b.nodeId);
  } catch {
    const nodes = parseBootstrapServers(bootstrap).map((a) => nodeString({ ...a, nodeId: -1, rack: null }));
    throw new UncaughtException(`Request METADATA failed on brokers List(${nodes.join(', ')})`, 'java.lang.RuntimeException');
  }
}

/** Runs kafka-broker-api-versions with `args`; resolves with the exit code. */
export async function kafkaBrokerApiVersionsMain(args: string[], io: ToolIO): Promise<number> {
  const parser = buildParser();
  try {
    // BrokerVersionCommandOptions parses without catching jopt-simple's exceptions.
    try {
      parser.parse(args);
    } catch (err) {
      if (err instanceof OptionException) throw new UncaughtException(err.message, joptExceptionClass(err.message));
      throw err;
    }
    // CommandLineUtils.maybePrintHelpOrVersion, then the required --bootstrap-server.
    const started = startTool(parser, args, { io, help: HELP, required: ['bootstrap-server'] });
    if (typeof started === 'number') return started;
    const options: ParsedOptions = started;
    const bootstrap = options.valueOf('bootstrap-server')!;
    let props: Record<string, string>;
    try {
      props = propertiesOption(options, 'command-config');
    } catch (err) {
      // Utils.loadProps: a missing file is a NoSuchFileException the command does not catch.
      if (((err as Error).cause as NodeJS.ErrnoException | undefined)?.code !== 'ENOENT') throw err;
      throw new UncaughtException(options.valueOf('command-config')!, 'java.nio.file.NoSuchFileException');
    }
    const client = toolKafkaClient(io, {
      bootstrapServers: bootstrap,
      // The legacy AdminClient names itself admin-<n> whatever client.id the file sets.
      props: { 'request.timeout.ms': String(DEFAULT_REQUEST_TIMEOUT_MS), ...props, 'client.id': 'admin-1' },
      clientId: 'admin-1',
    });
    try {
      const brokers = await findAllBrokers(client, bootstrap);
      for (const broker of brokers) {
        let text: string;
        try {
          const conn = await client.connectionTo(broker.nodeId);
          text = formatNodeApiVersions(await conn.negotiateApiVersions());
        } catch (err) {
          text = `ERROR: ${throwableString(err)}`;
        }
        io.out(`${nodeString(broker)} -> ${text}\n`);
      }
    } finally {
      await client.close();
    }
    return 0;
  } catch (err) {
    if (!(err instanceof UncaughtException)) throw err;
    io.err(`Exception in thread "main" ${err.javaClass}: ${err.message}\n`);
    return 1;
  }
}

if (require.main === module) runTool((args, io) => kafkaBrokerApiVersionsMain(args, io));
