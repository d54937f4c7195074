/**
 * The index and state files of kafka-dump-log, as Kafka 3.9's DumpLogSegments prints them:
 *
 * - `.index` (dumpIndex): `offset: O position: P` per entry, each checked against the last offset of the
 *   batch at P in the segment's `.log` (mismatches reported on stderr at the end); `<file> is empty.`;
 *   --index-sanity-check runs OffsetIndex.sanityCheck and prints `<file> passed sanity check.`;
 *   --verify-index-only checks without printing the entries;
 * - `.timeindex` (dumpTimeIndex): `timestamp: T offset: O` per entry, each checked against the batch whose
 *   last offset it names (largest record timestamp, increasing timestamps);
 * - `.snapshot` (dumpProducerIdSnapshot): one line per producer of a producer state snapshot, read with the
 *   project's snapshot reader (the format Kafka writes); a corrupt snapshot prints its error on stderr;
 * - `.txnindex` (dumpTxnIndex): one line per aborted transaction entry.
 *
 * Entries are read in the formats documented in src/log/offset-index.ts and time-index.ts (8-byte and 12-byte
 * big-endian entries, offsets relative to the base offset in the file name). An index is dumped read-only:
 * Kafka's reader counts floor(size / entrySize) entries and stops at a zero entry past the first (the tail of a
 * preallocated file).
 */
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { CorruptSnapshotError, readProducerSnapshot } from '../log/producer-state-snapshot';
import { decrementSequence } from '../log/producer-state-entry';
import { readInt64 } from '../protocol/records/record-batch';
import { batches, decodeRecords, NO_TIMESTAMP } from '../protocol/records';
import type { ToolIO } from './tool-support';
import { DumpLogUncaughtError } from './dump-log-offsets';
import { DumpReport, absolutePath, readLogFile } from './dump-log-segments';

const OFFSET_ENTRY_SIZE = 8;
const TIME_ENTRY_SIZE = 12;
const TXN_ENTRY_SIZE = 34;
const CORRUPT_INDEX = 'org.apache.kafka.common.errors.CorruptIndexException';

/** `<dir>/<base offset>.<suffix>` for the files that go with an index (the `.log`, the `.index`). */
function sibling(file: string, suffix: string): string {
  return path.join(path.dirname(absolutePath(file)), path.basename(file).split('.')[0] + suffix);
}

/** The base offset in the name (`file.getName.split("\\.")(0).toLong`). */
function baseOffsetOf(file: string): number {
  const prefix = path.basename(file).split('.')[0]!;
  if (!/^[+-]?\d+$/.test(prefix)) throw new DumpLogUncaughtError(`For input string: "${prefix}"`, 'java.lang.NumberFormatException');
  return Number(prefix);
}

/** The bytes of an index file; a missing one reads as empty (Kafka's AbstractIndex creates it). */
async function readIndexFile(file: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return Buffer.alloc(0);
    throw err;
  }
}

interface OffsetEntry {
  offset: number;
  position: number;
}

function offsetEntries(buf: Buffer, baseOffset: number): OffsetEntry[] {
  const entries: OffsetEntry[] = [];
  for (let at = 0; at + OFFSET_ENTRY_SIZE <= buf.length; at += OFFSET_ENTRY_SIZE) {
    entries.push({ offset: baseOffset + buf.readInt32BE(at), position: buf.readInt32BE(at + 4) });
  }
  return entries;
}

/** OffsetIndex.lookup: the largest entry whose offset is <= target, or (baseOffset, 0). */
function lookup(entries: readonly OffsetEntry[], target: number, baseOffset: number): OffsetEntry {
  let found: OffsetEntry = { offset: baseOffset, position: 0 };
  for (const e of entries) {
    if (e.offset > target) break;
    found = e;
  }
  return found;
}

/** FileRecords.toString of a log opened by the tool. */
function fileRecordsString(file: string, size: number): string {
  return `FileRecords(size=${size}, file=${file}, start=0, end=2147483647)`;
}

/** DumpLogSegments.dumpIndex. */
export async function dumpIndex(
  file: string,
  options: { io: ToolIO; report: DumpReport; indexSanityOnly: boolean; verifyOnly: boolean; maxMessageSize: number },
): Promise<void> {
  const { io } = options;
  const baseOffset = baseOffsetOf(file);
  const logFile = sibling(file, '.log');
  const log = await readLogFile(logFile);
  const buf = await readIndexFile(file);
  const entries = offsetEntries(buf, baseOffset);
  if (entries.length === 0) {
    io.out(`${file} is empty.\n`);
    return;
  }
  if (options.indexSanityOnly) {
    const last = entries[entries.length - 1]!;
    if (last.offset < baseOffset) {
      throw new DumpLogUncaughtError(
        `Corrupt index found, index file ${absolutePath(file)} has non-zero size but the last offset is ${last.offset} ` +
          `which is less than the base offset ${baseOffset}`,
        CORRUPT_INDEX,
      );
    }
    if (buf.length % OFFSET_ENTRY_SIZE !== 0) {
      throw new DumpLogUncaughtError(
        `Index file ${absolutePath(file)} is corrupt, found ${buf.length} bytes which is neither positive nor a multiple of ${OFFSET_ENTRY_SIZE}`,
        CORRUPT_INDEX,
      );
    }
    io.out(`${file} passed sanity check.\n`);
    return;
  }
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i]!;
    // A zero entry past the first is the unused tail of a preallocated index.
    if (entry.offset === baseOffset && i > 0) return;
    if (entry.position > log.length) {
      throw new DumpLogUncaughtError(
        `Slice from position ${entry.position} exceeds end position of ${fileRecordsString(logFile, log.length)}`,
        'java.lang.IllegalArgumentException',
      );
    }
    const slice = log.subarray(entry.position, entry.position + Math.max(0, options.maxMessageSize));
    const first = batches(slice).next();
    if (first.done) throw new DumpLogUncaughtError('', 'java.util.NoSuchElementException');
    const firstBatchLastOffset = first.value.lastOffset;
    if (firstBatchLastOffset !== entry.offset) {
      DumpReport.prepend(options.report.indexMismatches, absolutePath(file), [entry.offset, firstBatchLastOffset]);
    }
    if (!options.verifyOnly) io.out(`offset: ${entry.offset} position: ${entry.position}\n`);
  }
}

/** DumpLogSegments.dumpTimeIndex. */
export async function dumpTimeIndex(
  file: string,
  options: { io: ToolIO; report: DumpReport; indexSanityOnly: boolean; verifyOnly: boolean },
): Promise<void> {
  const { io, report } = options;
  const baseOffset = baseOffsetOf(file);
  const log = await readLogFile(sibling(file, '.log'));
  const offsetIndex = offsetEntries(await readIndexFile(sibling(file, '.index')), baseOffset);
  const buf = await readIndexFile(file);
  const entries: { timestamp: number; offset: number }[] = [];
  for (let at = 0; at + TIME_ENTRY_SIZE <= buf.length; at += TIME_ENTRY_SIZE) {
    entries.push({ timestamp: readInt64(buf, at), offset: baseOffset + buf.readInt32BE(at + 8) });
  }
  if (options.indexSanityOnly) {
    timeIndexSanityCheck(file, { buf, entries, baseOffset });
    io.out(`${file} passed sanity check.\n`);
    return;
  }
  const absolute = absolutePath(file);
  let prevTimestamp = NO_TIMESTAMP;
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i]!;
    if (entry.offset === baseOffset && i > 0) return;
    const position = lookup(offsetIndex, entry.offset, baseOffset).position;
    const from = log.subarray(Math.min(position, log.length));
    let batch;
    for (const b of batches(from)) {
      if (b.lastOffset >= entry.offset) {
        batch = b;
        break;
      }
    }
    if (batch === undefined) {
      DumpReport.append(report.shallowOffsetNotFound, absolute, [entry.offset, -1]);
    } else if (batch.lastOffset !== entry.offset) {
      DumpReport.append(report.shallowOffsetNotFound, absolute, [entry.offset, batch.lastOffset]);
    } else {
      let maxTimestamp = NO_TIMESTAMP;
      for (const record of await decodeRecords(batch)) maxTimestamp = Math.max(maxTimestamp, record.timestamp);
      if (maxTimestamp !== entry.timestamp) DumpReport.append(report.timeIndexMismatches, absolute, [entry.timestamp, maxTimestamp]);
      if (prevTimestamp >= entry.timestamp) DumpReport.append(report.outOfOrderTimestamps, absolute, [entry.timestamp, prevTimestamp]);
    }
    if (!options.verifyOnly) io.out(`timestamp: ${entry.timestamp} offset: ${entry.offset}\n`);
    prevTimestamp = entry.timestamp;
  }
}

/** TimeIndex.sanityCheck. */
function timeIndexSanityCheck(
  file: string,
  index: { buf: Buffer; entries: readonly { timestamp: number; offset: number }[]; baseOffset: number },
): void {
  const { buf, entries, baseOffset } = index;
  const absolute = absolutePath(file);
  if (entries.length > 0) {
    const first = entries[0]!;
    const last = entries[entries.length - 1]!;
    if (last.timestamp < first.timestamp) {
      throw new DumpLogUncaughtError(
        `Corrupt time index found, time index file (${absolute}) has non-zero size but the last timestamp is ` +
          `${last.timestamp} which is less than the first timestamp ${first.timestamp}`,
        CORRUPT_INDEX,
      );
    }
    if (last.offset < baseOffset) {
      throw new DumpLogUncaughtError(
        `Corrupt time index found, time index file (${absolute}) has non-zero size but the last offset is ` +
          `${last.offset} which is less than the first offset ${baseOffset}`,
        CORRUPT_INDEX,
      );
    }
  }
  if (buf.length % TIME_ENTRY_SIZE !== 0) {
    throw new DumpLogUncaughtError(
      `Time index file ${absolute} is corrupt, found ${buf.length} bytes which is neither positive nor a multiple of ${TIME_ENTRY_SIZE}.`,
      CORRUPT_INDEX,
    );
  }
}

/** An OptionalLong as Java prints it. */
function optionalLong(value: number): string {
  return value >= 0 ? `OptionalLong[${value}]` : 'OptionalLong.empty';
}

/** DumpLogSegments.dumpProducerIdSnapshot. */
export async function dumpProducerIdSnapshot(file: string, options: { io: ToolIO }): Promise<void> {
  const { io } = options;
  let entries;
  try {
    entries = await readProducerSnapshot(file);
  } catch (err) {
    if (err instanceof CorruptSnapshotError) {
      io.err(`${err.message}\n`);
      return;
    }
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new DumpLogUncaughtError(file, 'java.nio.file.NoSuchFileException');
    throw err;
  }
  for (const entry of entries) {
    let line =
      `producerId: ${entry.producerId} producerEpoch: ${entry.producerEpoch} coordinatorEpoch: ${entry.coordinatorEpoch} ` +
      `currentTxnFirstOffset: ${optionalLong(entry.currentTxnFirstOffset)} lastTimestamp: ${entry.lastTimestamp} `;
    const batch = entry.batchMetadata[0];
    if (batch) {
      line +=
        `firstSequence: ${decrementSequence(batch.lastSeq, batch.offsetDelta)} lastSequence: ${batch.lastSeq} ` +
        `lastOffset: ${batch.lastOffset} offsetDelta: ${batch.offsetDelta} timestamp: ${batch.timestamp}`;
    }
    io.out(`${line}\n`);
  }
}

/**
 * DumpLogSegments.dumpTxnIndex: a transaction index holds 34-byte AbortedTxn entries (version int16,
 * producerId, firstOffset, lastOffset, lastStableOffset int64).
 */
export async function dumpTxnIndex(file: string, options: { io: ToolIO }): Promise<void> {
  const buf = await readIndexFile(file);
  for (let at = 0; at + TXN_ENTRY_SIZE <= buf.length; at += TXN_ENTRY_SIZE) {
    const version = buf.readInt16BE(at);
    if (version > 0) {
      throw new DumpLogUncaughtError(
        `Unexpected aborted transaction version ${version} in transaction index ${absolutePath(file)}, current version is 0`,
        'org.apache.kafka.common.KafkaException',
      );
    }
    options.io.out(
      `version: ${version} producerId: ${readInt64(buf, at + 2)} firstOffset: ${readInt64(buf, at + 10)} ` +
        `lastOffset: ${readInt64(buf, at + 18)} lastStableOffset: ${readInt64(buf, at + 26)}\n`,
    );
  }
}
