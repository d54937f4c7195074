/**
 * kafka-dump-log.sh: Kafka 3.9's DumpLogSegments, an offline tool reading a broker's files:
 * `--files a.log,a.index,a.timeindex,a.snapshot,...` prints `Dumping <file>` and then, by file suffix, the
 * batches of a `.log` (records too with --deep-iteration, keys and payloads with --print-data-log, decoded as
 * `__consumer_offsets` records with --offsets-decoder), the entries of a `.index` / `.timeindex` (checked
 * against the log; --verify-index-only, --index-sanity-check), the producers of a `.snapshot`, the aborted
 * transactions of a `.txnindex`; other suffixes print `Ignoring unknown file <file>` on stderr. Problems found
 * on the way are reported on stderr at the end. See dump-log-segments.ts and dump-log-indexes.ts for the
 * formats.
 *
 * Keys and values are decoded by `--key-decoder-class` / `--value-decoder-class` (StringDecoder by default;
 * Kafka's Integer, Long and Default decoders too, and the deprecated kafka.serializer names with Kafka's
 * deprecation line). Like DumpLogSegments, the tool lets exceptions end it: option errors, missing files,
 * corrupt indexes and a name without a suffix (`leader-epoch-checkpoint`, whose suffix lookup fails with
 * StringIndexOutOfBoundsException in 3.9) print `Exception in thread "main" <class>: <message>` (exit 1).
 */
import * as path from 'node:path';
import type { DecodedRecord } from '../protocol/records';
import { OptionException, OptionParser, type ParsedOptions } from './command-line';
import { dumpIndex, dumpProducerIdSnapshot, dumpTimeIndex, dumpTxnIndex } from './dump-log-indexes';
import { DumpLogUncaughtError, parseOffsetsRecord } from './dump-log-offsets';
import { DumpReport, dumpLog, type DumpLogSettings, type MessageParser } from './dump-log-segments';
import { addDefaultOptions, runTool, startTool, type ToolIO } from './tool-support';

const HELP =
  'This tool helps to parse a log file and dump its contents to the console, useful for debugging a seemingly corrupt log segment.';
const INT32_MAX = 2147483647;
const DECODER_PACKAGE = 'org.apache.kafka.tools.api.';
const DEFAULT_DECODER = `${DECODER_PACKAGE}StringDecoder`;

function buildParser(): OptionParser {
  const p = new OptionParser();
  p.flag('print-data-log', 'If set, printing the messages content when dumping data logs. Automatically set if any decoder option is specified.');
  p.flag('verify-index-only', 'If set, just verify the index log without printing its content.');
  p.flag(
    'index-sanity-check',
    'If set, just checks the index sanity without printing its content. This is the same check that is executed on broker ' +
      'startup to determine if an index needs rebuilding or not.',
  );
  p.withRequiredArg('files', 'REQUIRED: The comma separated list of data and index log files to be dumped.', {
    describedAs: 'file1, file2, ...',
  });
  p.withRequiredArg('max-message-size', 'Size of largest message.', { describedAs: 'size', type: 'Integer', defaultValue: String(5 * 1024 * 1024) });
  p.withRequiredArg('max-bytes', 'Limit the amount of total batches read in bytes avoiding reading the whole .log file(s).', {
    describedAs: 'size',
    type: 'Integer',
    defaultValue: String(INT32_MAX),
  });
  p.flag('deep-iteration', 'If set, uses deep instead of shallow iteration. Automatically set if print-data-log is enabled.');
  // jopt-simple prints an optional argument's default after the description, as these do.
  p.withOptionalArg(
    'value-decoder-class',
    'If set, used to deserialize the messages. This class should implement org.apache.kafka.tools.api.Decoder trait. ' +
      `Custom jar should be available in kafka/libs directory. (default: ${DEFAULT_DECODER})`,
  );
  p.withOptionalArg(
    'key-decoder-class',
    'If set, used to deserialize the keys. This class should implement org.apache.kafka.tools.api.Decoder trait. ' +
      `Custom jar should be available in kafka/libs directory. (default: ${DEFAULT_DECODER})`,
  );
  p.flag('offsets-decoder', 'If set, log data will be parsed as offset data from the __consumer_offsets topic.');
  p.flag('skip-record-metadata', 'Whether to skip printing metadata for each record.');
  addDefaultOptions(p);
  return p;
}

/** A Decoder: the bytes of a key or value as the text DumpLogSegments prints. */
type Decoder = (bytes: Buffer) => string;

const DECODERS: Readonly<Record<string, Decoder>> = {
  StringDecoder: (bytes) => bytes.toString('utf8'),
  IntegerDecoder: (bytes) => {
    if (bytes.length < 4) throw new DumpLogUncaughtError('', 'java.nio.BufferUnderflowException');
    return String(bytes.readInt32BE(0));
  },
  LongDecoder: (bytes) => {
    if (bytes.length < 8) throw new DumpLogUncaughtError('', 'java.nio.BufferUnderflowException');
    return bytes.readBigInt64BE(0).toString();
  },
  // A byte[] printed by string interpolation: its class and identity hash code (here: one of its content).
  DefaultDecoder: (bytes) => {
    let hash = 0;
    for (const b of bytes) hash = (Math.imul(hash, 31) + b) | 0;
    return `[B@${(hash >>> 0).toString(16)}`;
  },
};

/** DumpLogSegments.newDecoder (with convertDeprecatedDecoderClass's stdout line for kafka.serializer names). */
function newDecoder(className: string, io: ToolIO): Decoder {
  const deprecated = /^kafka\.serializer\.(StringDecoder|LongDecoder|IntegerDecoder|DefaultDecoder)$/.exec(className);
  if (deprecated) {
    io.out(`${className} is deprecated. Please use ${DECODER_PACKAGE}${deprecated[1]} instead\n`);
    return DECODERS[deprecated[1]!]!;
  }
  const simple = className.startsWith(DECODER_PACKAGE) ? className.slice(DECODER_PACKAGE.length) : undefined;
  const decoder = simple !== undefined ? DECODERS[simple] : undefined;
  if (!decoder) throw new DumpLogUncaughtError(className, 'java.lang.ClassNotFoundException');
  return decoder;
}

/** DumpLogSegmentsOptions.messageParser: evaluated for each log file, as Kafka's `def` is. */
function messageParser(options: ParsedOptions, io: ToolIO): MessageParser {
  if (options.has('offsets-decoder')) return parseOffsetsRecord;
  const valueDecoder = newDecoder(options.valueOf('value-decoder-class') ?? DEFAULT_DECODER, io);
  const keyDecoder = newDecoder(options.valueOf('key-decoder-class') ?? DEFAULT_DECODER, io);
  return (record: DecodedRecord) => ({
    key: record.key === null ? null : keyDecoder(record.key),
    payload: record.value === null ? null : valueDecoder(record.value),
  });
}

/** java.io.File's normalised path text: no repeated or trailing separators. */
function javaFilePath(arg: string): string {
  const collapsed = arg.replace(/\/+/g, '/');
  return collapsed.length > 1 && collapsed.endsWith('/') ? collapsed.slice(0, -1) : collapsed;
}

/** Java's String.split(","): trailing empty strings dropped. */
function splitFiles(list: string): string[] {
  const parts = list.split(',');
  while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts.length === 0 ? [''] : parts;
}

/** Dumps one file by its suffix. */
async function dumpFile(file: string, context: { options: ParsedOptions; io: ToolIO; report: DumpReport }): Promise<void> {
  const { options, io, report } = context;
  const name = path.basename(file);
  const dot = name.lastIndexOf('.');
  if (dot < 0) {
    throw new DumpLogUncaughtError(`begin -1, end ${name.length}, length ${name.length}`, 'java.lang.StringIndexOutOfBoundsException');
  }
  const printContents = ['print-data-log', 'offsets-decoder', 'value-decoder-class', 'key-decoder-class'].some((o) => options.has(o));
  const indexOptions = { io, report, indexSanityOnly: options.has('index-sanity-check'), verifyOnly: options.has('verify-index-only') };
  switch (name.slice(dot)) {
    case '.log':
    case '.checkpoint': {
      const settings: DumpLogSettings = {
        printContents,
        deepIteration: options.has('deep-iteration') || printContents,
        skipRecordMetadata: options.has('skip-record-metadata'),
        maxBytes: options.numberOf('max-bytes')!,
        parser: messageParser(options, io),
      };
      return dumpLog(file, { io, settings, report });
    }
    case '.index':
      return dumpIndex(file, { ...indexOptions, maxMessageSize: options.numberOf('max-message-size')! });
    case '.timeindex':
      return dumpTimeIndex(file, indexOptions);
    case '.snapshot':
      return dumpProducerIdSnapshot(file, { io });
    case '.txnindex':
      return dumpTxnIndex(file, { io });
    default:
      io.err(`Ignoring unknown file ${file}\n`);
  }
}

/** An exception ending the JVM's main thread. */
function printUncaught(io: ToolIO, err: DumpLogUncaughtError): void {
  io.err(`Exception in thread "main" ${err.javaClass}${err.message === '' ? '' : `: ${err.message}`}\n`);
}

/** jopt-simple's exception class for one of its messages. */
function joptExceptionClass(message: string): string {
  if (message.endsWith('is not a recognized option')) return 'joptsimple.UnrecognizedOptionException';
  if (message.endsWith('requires an argument')) return 'joptsimple.OptionMissingRequiredArgumentException';
  if (message.startsWith('Cannot parse argument')) return 'joptsimple.OptionArgumentConversionException';
  return 'joptsimple.OptionException';
}

/** Runs kafka-dump-log with `args`; resolves with the exit code. */
export async function kafkaDumpLogMain(args: string[], io: ToolIO): Promise<number> {
  const parser = buildParser();
  // DumpLogSegmentsOptions parses in its constructor, without catching jopt-simple's exceptions.
  try {
    parser.parse(args);
  } catch (err) {
    if (!(err instanceof OptionException)) throw err;
    printUncaught(io, new DumpLogUncaughtError(err.message, joptExceptionClass(err.message)));
    return 1;
  }
  const options = startTool(parser, args, { io, help: HELP, required: ['files'] });
  if (typeof options === 'number') return options;
  const report = new DumpReport();
  try {
    for (const arg of splitFiles(options.valueOf('files')!)) {
      const file = javaFilePath(arg);
      io.out(`Dumping ${file}\n`);
      await dumpFile(file, { options, io, report });
    }
  } catch (err) {
    if (!(err instanceof DumpLogUncaughtError)) throw err;
    printUncaught(io, err);
    return 1;
  }
  report.print(io);
  return 0;
}

if (require.main === module) runTool((args, io) => kafkaDumpLogMain(args, io));
