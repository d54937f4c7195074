/**
 * Producer state snapshot files, `<20-digit offset>.snapshot` in the partition directory, byte for byte
 * as Kafka's ProducerStateManager.writeSnapshot/readSnapshot (3.9, snapshot version 1):
 *
 *   version int16 (1) | crc uint32 | producer_entries: int32 count, then per entry
 *     producer_id int64, epoch int16, last_sequence int32, last_offset int64, offset_delta int32,
 *     timestamp int64, coordinator_epoch int32, current_txn_first_offset int64
 *
 * all big-endian; the CRC is CRC-32C of everything after it (from the entry count on). Only the last
 * batch of each producer is stored, as in Kafka. The offset in the name is the state's map end offset:
 * the state covers the log below it. Kafka writes entries in its HashMap's order; here they are in
 * ascending producer id order, which is the same for ids below the map's capacity.
 */
import { open, readdir, readFile, unlink } from 'node:fs/promises';
import path from 'node:path';
import { crc32c } from '../protocol/records/crc32c';
import { readInt64, writeInt64 } from '../protocol/records/record-batch';
import { filenamePrefixFromOffset, offsetFromFileName } from './log-file-names';
import { ProducerStateEntry } from './producer-state-entry';

export const PRODUCER_SNAPSHOT_FILE_SUFFIX = '.snapshot';
/** ProducerStateManager.PRODUCER_SNAPSHOT_VERSION. */
export const PRODUCER_SNAPSHOT_VERSION = 1;
const CRC_OFFSET = 2;
const PRODUCER_ENTRIES_OFFSET = 6;
const ENTRY_SIZE = 8 + 2 + 4 + 8 + 4 + 8 + 4 + 8;

/** A snapshot file that cannot be trusted (Kafka's CorruptSnapshotException); it is deleted and an older one used. */
export class CorruptSnapshotError extends Error {
  override readonly name = 'CorruptSnapshotError';
}

/** `<dir>/<20-digit offset>.snapshot` */
export function producerSnapshotFile(dir: string, offset: number): string {
  return path.join(dir, filenamePrefixFromOffset(offset) + PRODUCER_SNAPSHOT_FILE_SUFFIX);
}

/** Encodes producer entries as a version-1 snapshot. */
export function encodeProducerSnapshot(entries: Iterable<ProducerStateEntry>): Buffer {
  const sorted = [...entries].sort((a, b) => a.producerId - b.producerId);
  const buf = Buffer.alloc(PRODUCER_ENTRIES_OFFSET + 4 + sorted.length * ENTRY_SIZE);
  buf.writeInt16BE(PRODUCER_SNAPSHOT_VERSION, 0);
  buf.writeInt32BE(sorted.length, PRODUCER_ENTRIES_OFFSET);
  let at = PRODUCER_ENTRIES_OFFSET + 4;
  for (const e of sorted) {
    writeInt64(buf, e.producerId, at);
    buf.writeInt16BE(e.producerEpoch, at + 8);
    buf.writeInt32BE(e.lastSeq, at + 10);
    writeInt64(buf, e.lastDataOffset, at + 14);
    buf.writeInt32BE(e.lastOffsetDelta, at + 22);
    writeInt64(buf, e.lastTimestamp, at + 26);
    buf.writeInt32BE(e.coordinatorEpoch, at + 34);
    writeInt64(buf, e.currentTxnFirstOffset, at + 38);
    at += ENTRY_SIZE;
  }
  buf.writeUInt32BE(crc32c(buf.subarray(PRODUCER_ENTRIES_OFFSET)), CRC_OFFSET);
  return buf;
}

/** Decodes a snapshot; throws CorruptSnapshotError for a bad version, CRC or size. */
export function decodeProducerSnapshot(buf: Buffer, file = 'snapshot'): ProducerStateEntry[] {
  if (buf.length < PRODUCER_ENTRIES_OFFSET + 4) throw new CorruptSnapshotError(`Snapshot ${file} is too short (${buf.length} bytes)`);
  const version = buf.readInt16BE(0);
  if (version !== PRODUCER_SNAPSHOT_VERSION) throw new CorruptSnapshotError(`Snapshot contained an unknown file version ${version}`);
  const crc = buf.readUInt32BE(CRC_OFFSET);
  const computed = crc32c(buf.subarray(PRODUCER_ENTRIES_OFFSET));
  if (crc !== computed) {
    throw new CorruptSnapshotError(`Snapshot is corrupt (CRC is no longer valid). Stored crc: ${crc}. Computed crc: ${computed}`);
  }
  const count = buf.readInt32BE(PRODUCER_ENTRIES_OFFSET);
  if (count < 0 || buf.length !== PRODUCER_ENTRIES_OFFSET + 4 + count * ENTRY_SIZE) {
    throw new CorruptSnapshotError(`Snapshot ${file} holds ${buf.length} bytes, which does not fit ${count} entries`);
  }
  const entries: ProducerStateEntry[] = [];
  for (let i = 0, at = PRODUCER_ENTRIES_OFFSET + 4; i < count; i++, at += ENTRY_SIZE) {
    const producerId = readInt64(buf, at);
    const producerEpoch = buf.readInt16BE(at + 8);
    const lastSeq = buf.readInt32BE(at + 10);
    const lastOffset = readInt64(buf, at + 14);
    const offsetDelta = buf.readInt32BE(at + 22);
    const timestamp = readInt64(buf, at + 26);
    entries.push(
      new ProducerStateEntry(producerId, {
        producerEpoch,
        coordinatorEpoch: buf.readInt32BE(at + 34),
        lastTimestamp: timestamp,
        currentTxnFirstOffset: readInt64(buf, at + 38),
        // As Kafka 3.9: an entry without data (last offset -1) has no batch to remember.
        batch: lastOffset >= 0 ? { lastSeq, lastOffset, offsetDelta, timestamp } : undefined,
      }),
    );
  }
  return entries;
}

/** Writes a snapshot file (fsynced when `sync`), replacing any file of that name. */
export async function writeProducerSnapshot(file: string, entries: Iterable<ProducerStateEntry>, opts: { sync: boolean }): Promise<void> {
  const handle = await open(file, 'w');
  try {
    await handle.writeFile(encodeProducerSnapshot(entries));
    if (opts.sync) await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Reads and decodes a snapshot file. */
export async function readProducerSnapshot(file: string): Promise<ProducerStateEntry[]> {
  return decodeProducerSnapshot(await readFile(file), file);
}

/** The offsets of the snapshot files in `dir`, ascending. */
export async function listProducerSnapshots(dir: string): Promise<number[]> {
  const offsets: number[] = [];
  for (const name of await readdir(dir)) {
    if (!name.endsWith(PRODUCER_SNAPSHOT_FILE_SUFFIX)) continue;
    const offset = offsetFromFileName(name);
    if (!Number.isNaN(offset) && name === filenamePrefixFromOffset(offset) + PRODUCER_SNAPSHOT_FILE_SUFFIX) offsets.push(offset);
  }
  return offsets.sort((a, b) => a - b);
}

/** Deletes a snapshot file if it exists. */
export async function deleteProducerSnapshot(dir: string, offset: number): Promise<void> {
  try {
    await unlink(producerSnapshotFile(dir, offset));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}
