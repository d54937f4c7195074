/**
 * Kafka's offset checkpoint files (CheckpointFile / OffsetCheckpointFile), one of each per log dir:
 * `recovery-point-offset-checkpoint`, `log-start-offset-checkpoint` and
 * `replication-offset-checkpoint`. Text, version 0:
 *
 *   0
 *   <number of entries>
 *   <topic> <partition> <offset>
 *   ...
 *
 * Written to `<file>.tmp`, fsynced, renamed over the file, and the directory fsynced. A missing or
 * empty file reads as no entries (Kafka creates the files empty at startup). The per-partition
 * `leader-epoch-checkpoint` (leader-epoch-checkpoint.ts) uses the same framing.
 */
import { readFile } from 'node:fs/promises';
import { writeFileAtomically } from './atomic-file';
import { CheckpointFileError } from './log-errors';
import { topicPartitionKey } from './log-file-names';

export const RECOVERY_POINT_CHECKPOINT_FILE = 'recovery-point-offset-checkpoint';
export const LOG_START_OFFSET_CHECKPOINT_FILE = 'log-start-offset-checkpoint';
export const REPLICATION_OFFSET_CHECKPOINT_FILE = 'replication-offset-checkpoint';

const CURRENT_VERSION = 0;

/** One line of a checkpoint file. */
export interface CheckpointEntry {
  topic: string;
  partition: number;
  offset: number;
}

/**
 * Renders Kafka's checkpoint text (CheckpointFile, version 0) around already formatted entry lines;
 * shared by the offset checkpoints and `leader-epoch-checkpoint`.
 */
export function formatCheckpointLines(lines: readonly string[]): string {
  let text = `${CURRENT_VERSION}\n${lines.length}\n`;
  for (const line of lines) text += `${line}\n`;
  return text;
}

/**
 * Parses Kafka's checkpoint text: a missing or empty text reads as no entries, otherwise version 0,
 * the entry count and exactly that many entries. `parseLine` gets each entry line split on
 * whitespace and returns undefined when the line is malformed. Throws CheckpointFileError naming
 * `opts.file`.
 */
export function parseCheckpointLines<T>(text: string, opts: { file: string; parseLine: (parts: string[]) => T | undefined }): T[] {
  const { file } = opts;
  if (text.length === 0) return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const malformed = (line: string) => new CheckpointFileError(`Malformed line in checkpoint file (${file}): '${line}'`);
  const version = Number(lines[0]);
  if (lines[0].trim() !== String(version)) throw malformed(lines[0]);
  if (version !== CURRENT_VERSION) {
    throw new CheckpointFileError(`Unrecognized version of the checkpoint file (${file}): ${version}`);
  }
  if (lines.length < 2 || !/^\d+$/.test(lines[1].trim())) throw malformed(lines[1] ?? '');
  const expected = Number(lines[1].trim());
  const entries: T[] = [];
  for (const line of lines.slice(2)) {
    const entry = opts.parseLine(line.trim().split(/\s+/));
    if (entry === undefined) throw malformed(line);
    entries.push(entry);
  }
  if (entries.length !== expected) {
    throw new CheckpointFileError(`Expected ${expected} entries in checkpoint file (${file}), but found only ${entries.length}`);
  }
  return entries;
}

/** Renders entries in Kafka's checkpoint format. */
export function formatCheckpoint(entries: readonly CheckpointEntry[]): string {
  return formatCheckpointLines(entries.map((e) => `${e.topic} ${e.partition} ${e.offset}`));
}

/** Parses Kafka's checkpoint format; throws CheckpointFileError naming `file` when malformed. */
export function parseCheckpoint(text: string, file: string): CheckpointEntry[] {
  return parseCheckpointLines(text, {
    file,
    parseLine: (parts) =>
      parts.length === 3 && /^\d+$/.test(parts[1]) && /^-?\d+$/.test(parts[2])
        ? { topic: parts[0], partition: Number(parts[1]), offset: Number(parts[2]) }
        : undefined,
  });
}

/** A checkpoint file on disk. */
export class OffsetCheckpointFile {
  readonly file: string;

  constructor(file: string) {
    this.file = file;
  }

  /** Replaces the file's content with `entries` (atomically and durably). */
  async write(entries: readonly CheckpointEntry[]): Promise<void> {
    await writeFileAtomically(this.file, formatCheckpoint(entries));
  }

  /** Reads the entries; a missing file reads as none. */
  async read(): Promise<CheckpointEntry[]> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    return parseCheckpoint(text, this.file);
  }

  /** Reads the entries as a map keyed by `topic-partition`. */
  async readMap(): Promise<Map<string, number>> {
    const map = new Map<string, number>();
    for (const e of await this.read()) map.set(topicPartitionKey(e.topic, e.partition), e.offset);
    return map;
  }
}
