/**
 * Loading a partition's log from its directory at startup (Kafka's LogLoader):
 *
 * - leftover `.deleted` and `.cleaned` files are removed and a segment swap the log cleaner left
 *   half-done is completed (segment-swap.ts); index files without a `.log` are removed;
 * - every `<base offset>.log` becomes a segment; a missing or corrupt `.index`/`.timeindex` is rebuilt
 *   from the log;
 * - after an unclean shutdown (no `.kafka_cleanshutdown` in the log dir) every segment holding offsets
 *   at or after the recovery point is re-validated batch by batch (size, magic, CRC, offsets); at the
 *   first bad batch the segment is cut there and all later segments are deleted, as Kafka does;
 * - the log end offset comes from the last segment (last index entry, then a header scan), the log
 *   start offset from its checkpoint, never below the first segment's base offset;
 * - the leader epoch cache (KIP-101/279) comes from `leader-epoch-checkpoint`; recovered segments add
 *   the epochs they hold beyond the cache's latest (as Kafka's LogSegment.recover), and the cache is
 *   then truncated to the log end and start offsets. A missing file (with data in the log) or a
 *   malformed one is rebuilt from the batches' partitionLeaderEpoch and rewritten; a new log gets the
 *   empty file Kafka creates.
 * - the idempotent producers' state (KIP-98/360) comes from the latest `<offset>.snapshot` at or below
 *   the log end and a replay of the batch headers after it (producer-state-recovery.ts).
 *
 * Each log is loaded sequentially; the log manager loads several logs at once.
 */
import { readdir, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../common/logger';
import type { LogConfig } from './log-config';
import { CheckpointFileError } from './log-errors';
import { LeaderEpochFileCache } from './leader-epoch-cache';
import { type EpochEntry, LeaderEpochCheckpointFile } from './leader-epoch-checkpoint';
import { INDEX_FILE_SUFFIX, LOG_FILE_SUFFIX, TIME_INDEX_FILE_SUFFIX, offsetFromFileName } from './log-file-names';
import { LogSegment, type SegmentOptions } from './log-segment';
import { removeTempFilesAndCompleteSwaps } from './segment-swap';
import { ProducerStateManager } from './producer-state-manager';
import { rebuildProducerState } from './producer-state-recovery';

/** Segment settings from a topic config; the roll jitter is drawn per segment as Kafka does. */
export function segmentOptions(config: LogConfig, now: number): SegmentOptions {
  const jitterBound = Math.min(config.segmentJitterMs, config.segmentMs);
  return {
    indexIntervalBytes: config.indexIntervalBytes,
    maxIndexSize: config.segmentIndexBytes,
    rollJitterMs: jitterBound > 0 ? Math.floor(Math.random() * jitterBound) : 0,
    preallocateBytes: config.preallocate ? config.segmentBytes : 0,
    now,
  };
}

/** Inputs of loadLog. */
export interface LoadLogOptions {
  dir: string;
  config: LogConfig;
  /** Whether the log dir held the clean-shutdown marker. */
  hadCleanShutdown: boolean;
  /** From recovery-point-offset-checkpoint; 0 if absent. */
  recoveryPoint: number;
  /** From log-start-offset-checkpoint; 0 if absent. */
  logStartOffset: number;
  now: number;
  logger: Logger;
  /** The leader epoch cache's logger (default `logger`). */
  leaderEpochCacheLogger?: Logger;
  /** producer.id.expiration.ms: snapshot entries idle for longer are not loaded; undefined loads them all. */
  producerIdExpirationMs?: number;
}

/** The state of a loaded log. */
export interface LoadedLog {
  segments: LogSegment[];
  logStartOffset: number;
  logEndOffset: number;
  recoveryPoint: number;
  /** The latest epoch of the leader epoch cache, -1 when it is empty. */
  latestEpoch: number;
  leaderEpochCache: LeaderEpochFileCache;
  producerStateManager: ProducerStateManager;
}

async function removeFile(file: string): Promise<void> {
  try {
    await unlink(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

/** Loads (and if needed recovers) the log in `opts.dir`, creating its first segment if it has none. */
export async function loadLog(opts: LoadLogOptions): Promise<LoadedLog> {
  const { dir, logger } = opts;
  await removeTempFilesAndCompleteSwaps(dir, logger);
  const names = await readdir(dir);
  const logOffsets = new Set<number>();
  for (const name of names) {
    if (name.endsWith(LOG_FILE_SUFFIX) && !Number.isNaN(offsetFromFileName(name))) {
      logOffsets.add(offsetFromFileName(name));
    }
  }
  for (const name of names) {
    if (!name.endsWith(INDEX_FILE_SUFFIX) && !name.endsWith(TIME_INDEX_FILE_SUFFIX)) continue;
    const offset = offsetFromFileName(name);
    if (!Number.isNaN(offset) && !logOffsets.has(offset)) {
      logger.warn(`Found an orphaned index file ${path.join(dir, name)}, with no corresponding log file. Deleting it.`);
      await removeFile(path.join(dir, name));
    }
  }

  const segments: LogSegment[] = [];
  const needsIndexRebuild = new Set<LogSegment>();
  for (const baseOffset of [...logOffsets].sort((a, b) => a - b)) {
    const { segment, needsRecovery } = await LogSegment.open(dir, baseOffset, {
      ...segmentOptions(opts.config, opts.now),
      onBadIndex: (err) =>
        logger.warn(
          `Found a corrupted or missing index of segment ${baseOffset} in ${dir}; it will be rebuilt from the log: ` +
            (err instanceof Error ? err.message : String(err)),
        ),
    });
    segments.push(segment);
    if (needsRecovery) needsIndexRebuild.add(segment);
  }

  const epochCheckpoint = LeaderEpochCheckpointFile.inDir(dir);
  const storedEpochs = await readLeaderEpochCheckpoint(epochCheckpoint, logger);
  const leaderEpochCache = new LeaderEpochFileCache({
    topicPartition: path.basename(dir),
    checkpoint: epochCheckpoint,
    logger: opts.leaderEpochCacheLogger ?? logger,
    entries: storedEpochs ?? [],
  });
  /** Epoch starts found by recovering segments, which spares the rebuild a second scan of them. */
  const recoveredEpochs = new Map<LogSegment, EpochEntry[]>();

  let recoveryPoint = opts.recoveryPoint;
  if (!opts.hadCleanShutdown) {
    await recoverUnflushed(segments, opts, { rebuilt: needsIndexRebuild, recoveredEpochs });
  }
  for (const segment of needsIndexRebuild) {
    if (!segments.includes(segment)) continue;
    const { truncatedBytes, epochStarts } = await segment.recover();
    recoveredEpochs.set(segment, epochStarts);
    if (truncatedBytes > 0) logger.warn(`Truncated ${truncatedBytes} invalid bytes from segment ${segment.baseOffset} of ${dir} while rebuilding its indexes`);
  }

  let logEndOffset = segments.length > 0 ? await segments[segments.length - 1].readNextOffset() : opts.logStartOffset;
  if (segments.length > 0 && logEndOffset < opts.logStartOffset) {
    logger.warn(
      `Deleting all segments because logEndOffset (${logEndOffset}) is smaller than logStartOffset ${opts.logStartOffset}. ` +
        'This could happen if segment files were deleted from the file system.',
    );
    for (const segment of segments.splice(0)) await segment.deleteIfExists();
    await leaderEpochCache.clear();
    logEndOffset = opts.logStartOffset;
  }
  if (segments.length === 0) {
    segments.push(await LogSegment.create(dir, opts.logStartOffset, segmentOptions(opts.config, opts.now)));
    logEndOffset = opts.logStartOffset;
  }
  const logStartOffset = Math.min(Math.max(opts.logStartOffset, segments[0].baseOffset), logEndOffset);
  recoveryPoint = opts.hadCleanShutdown ? logEndOffset : Math.min(recoveryPoint, logEndOffset);

  const rebuild = storedEpochs === undefined || (storedEpochs === null && segments.some((s) => s.size > 0));
  if (rebuild) {
    if (storedEpochs === null) {
      logger.warn(`Leader epoch checkpoint file ${epochCheckpoint.file} is missing; rebuilding the leader epoch cache from the log`);
    }
    for (const segment of segments) {
      if (!recoveredEpochs.has(segment)) recoveredEpochs.set(segment, await segment.leaderEpochStarts());
    }
  }
  const found: EpochEntry[] = [];
  for (const segment of segments) found.push(...(recoveredEpochs.get(segment) ?? []));
  await leaderEpochCache.assignAll(newerEpochs(found, leaderEpochCache.latestEpoch()));
  await leaderEpochCache.truncateFromEnd(logEndOffset);
  await leaderEpochCache.truncateFromStart(logStartOffset);
  if (rebuild) {
    await leaderEpochCache.flush();
    logger.info(`Rebuilt the leader epoch cache from the log: ${leaderEpochCache.epochEntries().length} entries`);
  } else {
    await epochCheckpoint.createIfMissing();
  }
  const latestEpoch = leaderEpochCache.latestEpoch() ?? -1;
  const producerStateManager = await ProducerStateManager.open({ dir, topicPartition: path.basename(dir), logger });
  await rebuildProducerState(producerStateManager, {
    segments,
    logStartOffset,
    logEndOffset,
    reloadFromCleanShutdown: opts.hadCleanShutdown,
    now: opts.now,
    expirationMs: opts.producerIdExpirationMs,
    logger,
  });
  return { segments, logStartOffset, logEndOffset, recoveryPoint, latestEpoch, leaderEpochCache, producerStateManager };
}

/**
 * Reads `leader-epoch-checkpoint`: its entries, null when it is missing, undefined when it is
 * malformed (logged; the cache is then rebuilt). Other I/O errors fail the load, as in Kafka.
 */
async function readLeaderEpochCheckpoint(file: LeaderEpochCheckpointFile, logger: Logger): Promise<EpochEntry[] | null | undefined> {
  try {
    return await file.read();
  } catch (err) {
    if (!(err instanceof CheckpointFileError)) throw err;
    logger.warn(
      `Error reading leader epoch checkpoint file ${file.file}; rebuilding the leader epoch cache from the log: ${err.message}`,
    );
    return undefined;
  }
}

/**
 * The epoch starts a recovery assigns, as Kafka's LogSegment.recover: epochs >= 0 above the latest
 * one so far (the cache already knows the others, or they were truncated away).
 */
function newerEpochs(starts: readonly EpochEntry[], latest: number | undefined): EpochEntry[] {
  const result: EpochEntry[] = [];
  let last = latest ?? -1;
  for (const entry of starts) {
    if (entry.epoch > last) {
      result.push(entry);
      last = entry.epoch;
    }
  }
  return result;
}

/** Recovers the segments at or after the recovery point; cuts the log at the first invalid batch. */
async function recoverUnflushed(
  segments: LogSegment[],
  opts: LoadLogOptions,
  found: { rebuilt: Set<LogSegment>; recoveredEpochs: Map<LogSegment, EpochEntry[]> },
): Promise<void> {
  const { rebuilt, recoveredEpochs } = found;
  const { dir, logger } = opts;
  const firstUnflushed = segments.findIndex((_segment, i) => i === segments.length - 1 || segments[i + 1].baseOffset > opts.recoveryPoint);
  if (firstUnflushed < 0) return;
  const unflushed = segments.slice(firstUnflushed);
  logger.info(`Recovering ${unflushed.length} unflushed segment(s) of ${dir} from recovery point ${opts.recoveryPoint}`);
  for (let i = 0; i < unflushed.length; i++) {
    const segment = unflushed[i];
    logger.info(`Recovering unflushed segment ${segment.baseOffset}. ${i}/${unflushed.length} recovered for ${path.basename(dir)}.`);
    const { truncatedBytes, reason, epochStarts } = await segment.recover();
    rebuilt.delete(segment);
    recoveredEpochs.set(segment, epochStarts);
    if (truncatedBytes > 0) {
      logger.warn(
        `Found invalid messages in log segment ${segment.log.file} (${reason ?? 'invalid data'}); truncated ${truncatedBytes} bytes` +
          (i < unflushed.length - 1 ? ` and deleting ${unflushed.length - 1 - i} later segment(s)` : ''),
      );
      const later = unflushed.slice(i + 1);
      for (const s of later) {
        segments.splice(segments.indexOf(s), 1);
        rebuilt.delete(s);
        await s.deleteIfExists();
      }
      return;
    }
  }
}
