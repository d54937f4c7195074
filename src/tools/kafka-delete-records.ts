/**
 * kafka-delete-records.sh: Kafka 3.9's DeleteRecordsCommand. Reads `--offset-json-file`
 * (`{"partitions":[{"topic":"foo","partition":1,"offset":1}],"version":1}`; version 1 when absent), refuses
 * duplicate partitions, sends DeleteRecords through the Admin client to each partition's leader and prints
 * Kafka's lines: "Executing records delete operation", "Records delete operation completed:", then per
 * partition `partition: foo-1\tlow_watermark: 1` or `partition: foo-1\terror: <exception>: <message>`, in the
 * order of the Java HashMap the command iterates. The command has no error handler of its own: a failure
 * ends the JVM with `Exception in thread "main" <class>: <message>` on stderr and exit code 1.
 */
import * as fs from 'node:fs';
import { Admin, type DeletedRecords } from '../client/admin';
import type { KafkaClient } from '../client/kafka-client';
import { toolKafkaClient } from './client-config';
import { OptionParser } from './command-line';
import {
  JavaException,
  addDefaultOptions,
  errorCodeExceptionClass,
  javaExceptionClassOf,
  propertiesOption,
  runTool,
  startTool,
  type ToolIO,
} from './tool-support';
import { DecodeJson, JsonMappingError, javaHashSetOrder, topicPartitionHash } from './tool-json';

const HELP = 'This tool helps to delete records of the given partitions down to the specified offset.';

/** A failure of the command, with the Java exception class the JVM would name. */
export class DeleteRecordsCommandError extends JavaException {
  override readonly name = 'DeleteRecordsCommandError';
}

const adminOperation = (message: string) => new DeleteRecordsCommandError(message, 'org.apache.kafka.server.common.AdminOperationException');

function buildParser(): OptionParser {
  const p = new OptionParser();
  p.withRequiredArg('bootstrap-server', 'REQUIRED: The server to connect to.', { describedAs: 'server(s) to use for bootstrapping' });
  p.withRequiredArg(
    'offset-json-file',
    'REQUIRED: The JSON file with offset per partition. The format to use is:\n' +
      '{"partitions":\n  [{"topic": "foo", "partition": 1, "offset": 1}],\n "version":1\n}',
    { describedAs: 'Offset json file path' },
  );
  p.withRequiredArg('command-config', 'A property file containing configs to be passed to Admin Client.', {
    describedAs: 'command config property file path',
  });
  addDefaultOptions(p);
  return p;
}

/** A partition and the offset to delete records below, as read from the JSON file. */
export interface OffsetEntry {
  topic: string;
  partition: number;
  offset: number;
}

/**
 * DeleteRecordsCommand.parseOffsetJsonStringWithoutDedup and the duplicate check: the partitions of the file
 * with their offsets, in the HashMap order the command uses.
 */
export function parseOffsetJson(text: string): OffsetEntry[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw adminOperation('The input string is not a valid JSON');
  }
  const byPartition = new Map<string, OffsetEntry[]>();
  try {
    if (json === null || typeof json !== 'object' || Array.isArray(json)) {
      throw new JsonMappingError(`Expected JSON object, received ${JSON.stringify(json)}`);
    }
    const obj = json as Record<string, unknown>;
    const version = obj.version === undefined ? 1 : DecodeJson.int(obj.version);
    if (version !== 1) throw adminOperation(`Not supported version field value ${version}`);
    if (obj.partitions === undefined) throw adminOperation('Missing partitions field');
    for (const entry of DecodeJson.list(obj.partitions, (x) => x)) {
      const topic = DecodeJson.string(DecodeJson.field(entry, 'topic'));
      const partition = DecodeJson.int(DecodeJson.field(entry, 'partition'));
      const offset = DecodeJson.field(entry, 'offset');
      if (typeof offset !== 'number' || !Number.isSafeInteger(offset)) {
        throw new JsonMappingError(`Expected \`Long\` value, received ${JSON.stringify(offset)}`);
      }
      const key = `${topic}-${partition}`;
      byPartition.set(key, [...(byPartition.get(key) ?? []), { topic, partition, offset }]);
    }
  } catch (err) {
    if (err instanceof JsonMappingError) {
      throw new DeleteRecordsCommandError(err.message, 'com.fasterxml.jackson.databind.JsonMappingException');
    }
    throw err;
  }
  const entries = [...byPartition.values()];
  const duplicates = javaHashSetOrder(entries.filter((list) => list.length > 1).map((list) => list[0]!), topicPartitionHash);
  if (duplicates.length > 0) {
    throw new DeleteRecordsCommandError(
      `Offset json file contains duplicate topic partitions: ${duplicates.map((d) => `${d.topic}-${d.partition}`).join(',')}`,
      'org.apache.kafka.server.common.AdminCommandFailedException',
    );
  }
  return javaHashSetOrder(
    entries.map((list) => list[0]!),
    topicPartitionHash,
  );
}

/** The result lines, in the order of the Admin's lowWatermarks map (a HashMap sized for the partitions). */
function printResults(io: ToolIO, results: readonly DeletedRecords[]): void {
  for (const r of javaHashSetOrder(results, topicPartitionHash, { initialCapacity: results.length })) {
    const tp = `${r.topic}-${r.partition}`;
    if (r.error === null) io.out(`partition: ${tp}\tlow_watermark: ${r.lowWatermark}\n`);
    else io.out(`partition: ${tp}\terror: ${errorCodeExceptionClass(r.error.code)}: ${r.error.message}\n`);
  }
}

/** Runs kafka-delete-records with `args`; resolves with the exit code. */
export async function kafkaDeleteRecordsMain(args: string[], io: ToolIO): Promise<number> {
  const options = startTool(buildParser(), args, {
    io,
    help: HELP,
    required: ['bootstrap-server', 'offset-json-file'],
  });
  if (typeof options === 'number') return options;
  let client: KafkaClient | undefined;
  try {
    const props = propertiesOption(options, 'command-config');
    const file = options.valueOf('offset-json-file')!;
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      throw new DeleteRecordsCommandError(file, 'java.nio.file.NoSuchFileException');
    }
    const entries = parseOffsetJson(text);
    client = toolKafkaClient(io, { bootstrapServers: options.valueOf('bootstrap-server')!, props, clientId: 'adminclient-1' });
    io.out('Executing records delete operation\n');
    const timeoutMs = props['default.api.timeout.ms'] !== undefined ? Number(props['default.api.timeout.ms']) : 60_000;
    const results = await new Admin(client, { defaultApiTimeoutMs: timeoutMs }).deleteRecords(entries);
    io.out('Records delete operation completed:\n');
    printResults(io, results);
    return 0;
  } catch (err) {
    io.err(`Exception in thread "main" ${javaExceptionClassOf(err)}: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  } finally {
    await client?.close();
  }
}

if (require.main === module) runTool((args, io) => kafkaDeleteRecordsMain(args, io));
