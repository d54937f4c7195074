/**
 * The `leader-epoch-checkpoint` file of a partition directory (Kafka's LeaderEpochCheckpointFile,
 * KIP-101/279): the leader epoch cache's entries in Kafka's checkpoint text, version 0:
 *
 *   0
 *   <number of entries>
 *   <epoch> <start offset>
 *   ...
 *
 * Written like every checkpoint (to `<file>.tmp`, fsynced, renamed over the file, directory fsynced).
 * Kafka creates the file empty with the log, and an empty file reads as no entries; a missing file
 * reads as null so that the loader knows to rebuild the cache from the log's batches.
 */
import { access, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomically } from './atomic-file';
import { formatCheckpointLines, parseCheckpointLines } from './checkpoint-file';

/** The file name Kafka uses in each partition directory. */
export const LEADER_EPOCH_CHECKPOINT_FILE = 'leader-epoch-checkpoint';

const MAX_EPOCH = 2147483647;

/** One entry of the leader epoch cache: the first offset written under a leader epoch. */
export interface EpochEntry {
  readonly epoch: number;
  readonly startOffset: number;
}

/** Kafka's EpochEntry.toString, used in log lines. */
export function formatEpochEntry(entry: EpochEntry): string {
  return `EpochEntry(epoch=${entry.epoch}, startOffset=${entry.startOffset})`;
}

/** Renders entries in the file's format. */
export function formatLeaderEpochCheckpoint(entries: readonly EpochEntry[]): string {
  return formatCheckpointLines(entries.map((e) => `${e.epoch} ${e.startOffset}`));
}

/**
 * Parses the file's format; an epoch or offset that is negative, not an integer, or out of range is
 * malformed. Throws CheckpointFileError naming `file`.
 */
export function parseLeaderEpochCheckpoint(text: string, file: string): EpochEntry[] {
  return parseCheckpointLines(text, {
    file,
    parseLine: (parts) => {
      if (parts.length !== 2 || !/^\d+$/.test(parts[0]) || !/^\d+$/.test(parts[1])) return undefined;
      const epoch = Number(parts[0]);
      const startOffset = Number(parts[1]);
      if (epoch > MAX_EPOCH || !Number.isSafeInteger(startOffset)) return undefined;
      return { epoch, startOffset };
    },
  });
}

/** A partition's `leader-epoch-checkpoint` on disk. */
export class LeaderEpochCheckpointFile {
  readonly file: string;

  constructor(file: string) {
    this.file = file;
  }

  /** The checkpoint file of the partition directory `dir`. */
  static inDir(dir: string): LeaderEpochCheckpointFile {
    return new LeaderEpochCheckpointFile(path.join(dir, LEADER_EPOCH_CHECKPOINT_FILE));
  }

  /** Replaces the file's content with `entries` (atomically and durably). */
  async write(entries: readonly EpochEntry[]): Promise<void> {
    await writeFileAtomically(this.file, formatLeaderEpochCheckpoint(entries));
  }

  /**
   * Reads the entries; null when the file does not exist. Throws CheckpointFileError when the
   * content is malformed, and the I/O error when the file cannot be read.
   */
  async read(): Promise<EpochEntry[] | null> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
    return parseLeaderEpochCheckpoint(text, this.file);
  }

  /** Creates the file empty if it does not exist, as Kafka's CheckpointFile constructor does. */
  async createIfMissing(): Promise<void> {
    try {
      await access(this.file);
    } catch {
      await writeFile(this.file, '', { flag: 'a' });
    }
  }
}
