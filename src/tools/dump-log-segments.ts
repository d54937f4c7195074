/**
 * The `.log` part of kafka-dump-log (Kafka 3.9's DumpLogSegments.dumpLog and printBatchLevel), over the
 * project's RecordBatch v2 views and record decoder (compressed batches are decompressed by the project's
 * codecs). Per batch:
 *
 *   baseOffset: 0 lastOffset: 2 count: 3 baseSequence: 0 lastSequence: 2 producerId: 0 producerEpoch: 0
 *   partitionLeaderEpoch: 0 isTransactional: false isControl: false deleteHorizonMs: OptionalLong.empty
 *   position: 0 CreateTime: 1700000000000 size: 95 magic: 2 compresscodec: none crc: 1234 isvalid: true
 *
 * (one line) and, with --deep-iteration or --print-data-log, per record
 * `| offset: 0 CreateTime: 1700000000000 keySize: 1 valueSize: 5 sequence: 0 headerKeys: [h1,h2]`, with
 * ` key: k payload: v` appended when printing data (control records show their end transaction marker
 * instead). A file ending in a partial batch gets `Found N invalid bytes at the end of <name>` (only without
 * --max-bytes); offsets that do not follow each other are collected for the report on stderr.
 *
 * KRaft snapshot files (`<offset>-<epoch>.checkpoint`, `bootstrap.checkpoint`) are dumped the same way after
 * their own first line, as DumpLogSegments does.
 */
import { open } from 'node:fs/promises';
import * as path from 'node:path';
import { incrementSequence } from '../log/producer-state-entry';
import { BatchAttribute, type DecodedRecord, RecordBatchView, batches, compressionName, decodeRecords, NO_SEQUENCE, validBytes } from '../protocol/records';
import { scala212MutableHashMapOrder } from '../zk/znodes/key-order';
import type { ToolIO } from './tool-support';
import { DumpLogUncaughtError, type ParsedRecord } from './dump-log-offsets';

/** RecordIndent. */
const RECORD_INDENT = '|';
const INT32_MAX = 2147483647;
const KRAFT_SNAPSHOT_SUFFIX = '.checkpoint';
const BOOTSTRAP_SNAPSHOT = 'bootstrap.checkpoint';

/** Turns a record into its printed key and payload (a decoder pair, or --offsets-decoder). */
export type MessageParser = (record: DecodedRecord) => ParsedRecord;

/** What dumpLog prints. */
export interface DumpLogSettings {
  printContents: boolean;
  deepIteration: boolean;
  skipRecordMetadata: boolean;
  maxBytes: number;
  parser: MessageParser;
}

/** Problems found while dumping, reported on stderr once every file is done (DumpLogSegments.main). */
export class DumpReport {
  /** Index entries that do not point at their batch: file → (index offset, log offset), newest first. */
  readonly indexMismatches = new Map<string, [number, number][]>();
  /** Time index entries whose timestamp differs from the batch's largest record timestamp. */
  readonly timeIndexMismatches = new Map<string, [number, number][]>();
  /** Time index entries whose timestamp is not above the previous entry's. */
  readonly outOfOrderTimestamps = new Map<string, [number, number][]>();
  /** Time index entries whose offset is not the last offset of a batch. */
  readonly shallowOffsetNotFound = new Map<string, [number, number][]>();
  /** Deep-iteration offsets that do not follow each other: file → (previous, next), newest first. */
  readonly nonConsecutivePairs = new Map<string, [number, number][]>();

  /** Adds to a list kept newest first (Scala's `list ::= pair`). */
  static prepend(map: Map<string, [number, number][]>, file: string, pair: [number, number]): void {
    map.set(file, [pair, ...(map.get(file) ?? [])]);
  }

  /** Adds to a list kept in order (ArrayBuffer `+=`). */
  static append(map: Map<string, [number, number][]>, file: string, pair: [number, number]): void {
    const list = map.get(file) ?? [];
    list.push(pair);
    map.set(file, list);
  }

  /** The stderr report, in DumpLogSegments' order. */
  print(io: ToolIO): void {
    for (const [file, list] of scalaOrder(this.indexMismatches)) {
      io.err(`Mismatches in :${file}\n`);
      for (const [indexOffset, logOffset] of list) io.err(`  Index offset: ${indexOffset}, log offset: ${logOffset}\n`);
    }
    for (const [file, list] of scalaOrder(this.timeIndexMismatches)) {
      io.err(`Found timestamp mismatch in :${file}\n`);
      for (const [indexTs, logTs] of list) io.err(`  Index timestamp: ${indexTs}, log timestamp: ${logTs}\n`);
    }
    for (const [file, list] of scalaOrder(this.outOfOrderTimestamps)) {
      io.err(`Found out of order timestamp in :${file}\n`);
      for (const [indexTs, prevTs] of list) io.err(`  Index timestamp: ${indexTs}, Previously indexed timestamp: ${prevTs}\n`);
    }
    for (const [, list] of scalaOrder(this.shallowOffsetNotFound)) {
      io.err('The following indexed offsets are not found in the log.\n');
      for (const [indexed, found] of list) io.err(`Indexed offset: ${indexed}, found log offset: ${found}\n`);
    }
    for (const [file, list] of scalaOrder(this.nonConsecutivePairs)) {
      io.err(`Non-consecutive offsets in ${file}\n`);
      for (const [first, second] of list) io.err(`  ${first} is followed by ${second}\n`);
    }
  }
}

/**
 * The entries of a report map in the iteration order of the Scala `mutable.Map` (a HashMap keyed by absolute
 * path) DumpLogSegments collects them in — the Scala 2.12 order the project reproduces for Kafka's maps.
 */
function scalaOrder<V>(map: ReadonlyMap<string, V>): [string, V][] {
  return scala212MutableHashMapOrder([...map.keys()]).map((k) => [k, map.get(k)!]);
}

/** java.io.File.getAbsolutePath: the path against the working directory, not normalised. */
export function absolutePath(file: string): string {
  return path.isAbsolute(file) ? file : `${process.cwd()}/${file}`;
}

/**
 * The first `limit` bytes of a log file (all of it by default); a missing or unreadable file fails as
 * FileRecords.open does.
 */
export async function readLogFile(file: string, limit = INT32_MAX): Promise<Buffer> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ENOENT') throw new DumpLogUncaughtError(file, 'java.nio.file.NoSuchFileException');
    if (e.code === 'EACCES') throw new DumpLogUncaughtError(file, 'java.nio.file.AccessDeniedException');
    throw err;
  }
  try {
    const size = Math.min((await handle.stat()).size, Math.max(0, limit));
    const buf = Buffer.alloc(size);
    let read = 0;
    while (read < size) {
      const { bytesRead } = await handle.read(buf, read, size - read, read);
      if (bytesRead === 0) break;
      read += bytesRead;
    }
    return buf.subarray(0, read);
  } finally {
    await handle.close();
  }
}

/** DefaultRecordBatch.lastSequence. */
export function lastSequence(batch: RecordBatchView): number {
  return batch.baseSequence === NO_SEQUENCE ? NO_SEQUENCE : incrementSequence(batch.baseSequence, batch.lastOffsetDelta);
}

/** TimestampType's name for a v2 batch. */
export function timestampType(batch: RecordBatchView): string {
  return batch.isLogAppendTime ? 'LogAppendTime' : 'CreateTime';
}

/** DumpLogSegments.printBatchLevel. */
export function batchLine(batch: RecordBatchView, position: number): string {
  const deleteHorizon = batch.attributes & BatchAttribute.deleteHorizon ? `OptionalLong[${batch.baseTimestamp}]` : 'OptionalLong.empty';
  return (
    `baseOffset: ${batch.baseOffset} lastOffset: ${batch.lastOffset} count: ${batch.recordsCount} ` +
    `baseSequence: ${batch.baseSequence} lastSequence: ${lastSequence(batch)} producerId: ${batch.producerId} ` +
    `producerEpoch: ${batch.producerEpoch} partitionLeaderEpoch: ${batch.partitionLeaderEpoch} ` +
    `isTransactional: ${batch.isTransactional} isControl: ${batch.isControl} deleteHorizonMs: ${deleteHorizon}` +
    ` position: ${position} ${timestampType(batch)}: ${batch.maxTimestamp} size: ${batch.sizeInBytes} magic: ${batch.magic}` +
    ` compresscodec: ${compressionName(batch.compression) ?? 'unknown'} crc: ${batch.crc} isvalid: ${batch.isValid()}`
  );
}

/** ControlRecordType ids and names. */
const CONTROL_TYPES = ['ABORT', 'COMMIT', 'LEADER_CHANGE', 'SNAPSHOT_HEADER', 'SNAPSHOT_FOOTER', 'KRAFT_VERSION', 'KRAFT_VOTERS'];

/** The control record part of a record line (ControlRecordType.parseTypeId and EndTransactionMarker). */
function controlText(record: DecodedRecord): string {
  const key = record.key ?? Buffer.alloc(0);
  if (key.length < 4) {
    throw new DumpLogUncaughtError(
      `Invalid value size found for end control record key. Must have at least 4 bytes, but found only ${key.length}`,
      'org.apache.kafka.common.InvalidRecordException',
    );
  }
  const version = key.readInt16BE(0);
  if (version < 0) {
    throw new DumpLogUncaughtError(
      `Invalid version found for control record: ${version}. May indicate data corruption`,
      'org.apache.kafka.common.InvalidRecordException',
    );
  }
  const typeId = key.readInt16BE(2);
  const type = CONTROL_TYPES[typeId] ?? 'UNKNOWN';
  if (type === 'ABORT' || type === 'COMMIT') {
    const value = record.value ?? Buffer.alloc(0);
    if (value.length < 6) {
      throw new DumpLogUncaughtError(
        `Invalid value size found for end control record value. Must have at least 6 bytes, but found only ${value.length}`,
        'org.apache.kafka.common.InvalidRecordException',
      );
    }
    return ` endTxnMarker: ${type} coordinatorEpoch: ${value.readInt32BE(2)}`;
  }
  return ` controlType: ${type}(${typeId})`;
}

/** One record line of a deep iteration (without its newline). */
function recordLine(batch: RecordBatchView, record: DecodedRecord, settings: DumpLogSettings): string {
  let line = '';
  let prefix = `${RECORD_INDENT} `;
  if (!settings.skipRecordMetadata) {
    line +=
      `${prefix}offset: ${record.offset} ${timestampType(batch)}: ${record.timestamp} ` +
      `keySize: ${record.key === null ? -1 : record.key.length} valueSize: ${record.value === null ? -1 : record.value.length}`;
    prefix = ' ';
    const sequence = batch.baseSequence === NO_SEQUENCE ? NO_SEQUENCE : incrementSequence(batch.baseSequence, record.offset - batch.baseOffset);
    line += ` sequence: ${sequence} headerKeys: [${record.headers.map((h) => h.key).join(',')}]`;
    if (batch.isControl) line += controlText(record);
  }
  if (settings.printContents && !batch.isControl) {
    const { key, payload } = settings.parser(record);
    if (key !== null) {
      line += `${prefix}key: ${key}`;
      prefix = ' ';
    }
    if (payload !== null) line += ` payload: ${payload}`;
  }
  return line;
}

/** The first line of a KRaft snapshot (Snapshots.parse), or an uncaught NoSuchElementException. */
function snapshotHeader(name: string): string {
  if (name === BOOTSTRAP_SNAPSHOT) return 'KRaft bootstrap snapshot';
  const m = /^(\d{20})-(\d{10})\.checkpoint$/.exec(name);
  if (!m) throw new DumpLogUncaughtError('No value present', 'java.util.NoSuchElementException');
  return `Snapshot end offset: ${Number(m[1])}, epoch: ${Number(m[2])}`;
}

/** DumpLogSegments.dumpLog for a `.log` (or KRaft `.checkpoint`) file. */
export async function dumpLog(file: string, options: { io: ToolIO; settings: DumpLogSettings; report: DumpReport }): Promise<void> {
  const { io, settings, report } = options;
  const name = path.basename(file);
  if (name.endsWith('.log')) {
    const prefix = name.split('.')[0]!;
    if (!/^[+-]?\d+$/.test(prefix)) throw new DumpLogUncaughtError(`For input string: "${prefix}"`, 'java.lang.NumberFormatException');
    io.out(`Log starting offset: ${Number(prefix)}\n`);
  }
  else if (name.endsWith(KRAFT_SNAPSHOT_SUFFIX)) io.out(`${snapshotHeader(name)}\n`);
  const buf = await readLogFile(file, settings.maxBytes);
  let position = 0;
  let lastOffset = -1;
  for (const batch of batches(buf)) {
    io.out(`${batchLine(batch, position)}\n`);
    if (settings.deepIteration) {
      let records: DecodedRecord[];
      try {
        records = await decodeRecords(batch);
      } catch (err) {
        throw new DumpLogUncaughtError((err as Error).message, 'org.apache.kafka.common.InvalidRecordException');
      }
      for (const record of records) {
        if (lastOffset !== -1 && record.offset !== lastOffset + 1) {
          DumpReport.prepend(report.nonConsecutivePairs, absolutePath(file), [lastOffset, record.offset]);
        }
        lastOffset = record.offset;
        io.out(`${recordLine(batch, record, settings)}\n`);
      }
    }
    position += batch.sizeInBytes;
  }
  const trailing = buf.length - validBytes(buf);
  if (trailing > 0 && settings.maxBytes === INT32_MAX) io.out(`Found ${trailing} invalid bytes at the end of ${name}\n`);
}
