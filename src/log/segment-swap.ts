/**
 * The load-time half of Kafka's crash-safe segment swap (LogLoader.removeTempFilesAndCollectSwapFiles
 * and the swap handling of LogLoader.load, Kafka 3.x). The log cleaner writes a compacted copy of some
 * segments as `<base>.log.cleaned` (+ `.index.cleaned`, `.timeindex.cleaned`), flushes it, renames it
 * to `.swap`, renames the replaced segments to `.deleted`, then drops the `.swap` suffix (Log.replaceSegments).
 * A crash can stop that sequence anywhere; before the segments are opened this module puts the
 * directory back into a consistent state:
 *
 * - `.deleted` files are removed (their data is either replaced or was meant to go);
 * - `.cleaned` files are removed: the swap had not started, the old segments are intact. A `.swap`
 *   at or above the lowest `.cleaned` offset belongs to an unfinished split and is removed too;
 * - a `<base>.log.swap` means the swap had started: the copy is complete and flushed. Every other
 *   segment file whose base offset lies in [base, next offset of the swap segment) is one it replaces
 *   and is removed, then every `.swap` file is renamed to its final name. A missing index of the swapped
 *   segment is rebuilt by the loader like any missing index.
 */
import { readdir, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../common/logger';
import { fsyncDir } from './atomic-file';
import { BatchScanner, FileRecords } from './file-records';
import { CLEANED_FILE_SUFFIX, DELETED_FILE_SUFFIX, LOG_FILE_SUFFIX, SWAP_FILE_SUFFIX, offsetFromFileName } from './log-file-names';

async function removeIfExists(file: string): Promise<void> {
  try {
    await unlink(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

/** The offset after the last complete batch of a `.log.swap` file (its base offset when empty). */
async function swapLogNextOffset(file: string, baseOffset: number): Promise<number> {
  const records = await FileRecords.open(file);
  try {
    const scanner = new BatchScanner(records, { limit: records.size, chunkSize: 1024 * 1024 });
    let next = baseOffset;
    for (let position = 0; ; ) {
      const found = await scanner.at(position, false);
      if (found.status !== 'ok') return next;
      next = found.view.nextOffset;
      position += found.size;
    }
  } finally {
    await records.close();
  }
}

/**
 * Removes the cleaner's and retention's leftovers from a partition directory and completes an
 * interrupted swap, as described in the file comment. Run before the directory's segments are listed.
 */
export async function removeTempFilesAndCompleteSwaps(dir: string, logger: Logger): Promise<void> {
  const names = await readdir(dir);
  const swapFiles: string[] = [];
  const cleanedFiles: string[] = [];
  let minCleanedFileOffset = Number.POSITIVE_INFINITY;
  for (const name of names) {
    if (name.endsWith(DELETED_FILE_SUFFIX)) {
      logger.info(`Deleting stray temporary file ${path.join(dir, name)}`);
      await removeIfExists(path.join(dir, name));
    } else if (name.endsWith(CLEANED_FILE_SUFFIX)) {
      const offset = offsetFromFileName(name);
      if (!Number.isNaN(offset)) minCleanedFileOffset = Math.min(minCleanedFileOffset, offset);
      cleanedFiles.push(name);
    } else if (name.endsWith(SWAP_FILE_SUFFIX)) {
      swapFiles.push(name);
    }
  }
  const validSwapFiles: string[] = [];
  for (const name of swapFiles) {
    if (offsetFromFileName(name) >= minCleanedFileOffset) {
      logger.info(`Deleting invalid swap file ${path.join(dir, name)} minCleanedFileOffset: ${minCleanedFileOffset}`);
      await removeIfExists(path.join(dir, name));
    } else {
      validSwapFiles.push(name);
    }
  }
  for (const name of cleanedFiles) {
    logger.info(`Deleting stray .clean file ${path.join(dir, name)}`);
    await removeIfExists(path.join(dir, name));
  }
  if (validSwapFiles.length === 0) return;

  let minSwapFileOffset = Number.POSITIVE_INFINITY;
  let maxSwapFileOffset = Number.NEGATIVE_INFINITY;
  for (const name of validSwapFiles) {
    const baseOffset = offsetFromFileName(name);
    if (Number.isNaN(baseOffset) || !name.endsWith(LOG_FILE_SUFFIX + SWAP_FILE_SUFFIX)) continue;
    logger.info(`Found log file ${path.join(dir, name)} from interrupted swap operation, which is recoverable from ${SWAP_FILE_SUFFIX} files by renaming.`);
    minSwapFileOffset = Math.min(minSwapFileOffset, baseOffset);
    maxSwapFileOffset = Math.max(maxSwapFileOffset, await swapLogNextOffset(path.join(dir, name), baseOffset));
  }
  for (const name of await readdir(dir)) {
    if (name.endsWith(SWAP_FILE_SUFFIX)) continue;
    const offset = offsetFromFileName(name);
    if (!Number.isNaN(offset) && offset >= minSwapFileOffset && offset < maxSwapFileOffset) {
      logger.info(`Deleting segment files ${name} that is compacted but has not been deleted yet.`);
      await removeIfExists(path.join(dir, name));
    }
  }
  for (const name of validSwapFiles) {
    logger.info(`Recovering file ${name} by renaming from ${SWAP_FILE_SUFFIX} files.`);
    await rename(path.join(dir, name), path.join(dir, name.slice(0, name.length - SWAP_FILE_SUFFIX.length)));
  }
  await fsyncDir(dir);
}
