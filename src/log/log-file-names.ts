/**
 * Kafka's on-disk names for log directories and segment files (LocalLog / LogFileUtils):
 * `<logDir>/<topic>-<partition>/` holding `<20-digit base offset>.log`, `.index` and `.timeindex`;
 * `.deleted` for segments awaiting removal, `.cleaned`/`.swap` for the cleaner, and
 * `<topic>-<partition>.<uuid>-delete` for partitions whose directory is being removed.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';

export const LOG_FILE_SUFFIX = '.log';
export const INDEX_FILE_SUFFIX = '.index';
export const TIME_INDEX_FILE_SUFFIX = '.timeindex';
export const DELETED_FILE_SUFFIX = '.deleted';
export const CLEANED_FILE_SUFFIX = '.cleaned';
export const SWAP_FILE_SUFFIX = '.swap';
export const TMP_FILE_SUFFIX = '.tmp';
export const DELETE_DIR_SUFFIX = '-delete';
export const FUTURE_DIR_SUFFIX = '-future';
export const STRAY_DIR_SUFFIX = '-stray';

/** The 20-digit zero-padded offset used in segment file names. */
export function filenamePrefixFromOffset(offset: number): string {
  return String(offset).padStart(20, '0');
}

/** Parses the base offset from a segment file name (`00000000000000000042.log` → 42). */
export function offsetFromFileName(fileName: string): number {
  const dot = fileName.indexOf('.');
  const prefix = dot < 0 ? fileName : fileName.slice(0, dot);
  return /^\d{20}$/.test(prefix) ? Number(prefix) : Number.NaN;
}

/** `<dir>/<20-digit base offset>.log` */
export function logFile(dir: string, baseOffset: number): string {
  return path.join(dir, filenamePrefixFromOffset(baseOffset) + LOG_FILE_SUFFIX);
}

/** `<dir>/<20-digit base offset>.index` */
export function offsetIndexFile(dir: string, baseOffset: number): string {
  return path.join(dir, filenamePrefixFromOffset(baseOffset) + INDEX_FILE_SUFFIX);
}

/** `<dir>/<20-digit base offset>.timeindex` */
export function timeIndexFile(dir: string, baseOffset: number): string {
  return path.join(dir, filenamePrefixFromOffset(baseOffset) + TIME_INDEX_FILE_SUFFIX);
}

/** `topic-partition`, the name of a partition's directory and the key used for partitions everywhere. */
export function topicPartitionKey(topic: string, partition: number): string {
  return `${topic}-${partition}`;
}

/** A topic and partition parsed from a directory name. */
export interface TopicPartitionName {
  topic: string;
  partition: number;
}

/**
 * Parses `<topic>-<partition>` (the topic may itself contain dashes); undefined for names that are
 * not partition directories, including `-delete`, `-future` and `-stray` directories.
 */
export function parseTopicPartitionName(dirName: string): TopicPartitionName | undefined {
  if (dirName.endsWith(DELETE_DIR_SUFFIX) || dirName.endsWith(FUTURE_DIR_SUFFIX) || dirName.endsWith(STRAY_DIR_SUFFIX)) {
    return undefined;
  }
  const dash = dirName.lastIndexOf('-');
  if (dash <= 0 || dash === dirName.length - 1) return undefined;
  const partitionText = dirName.slice(dash + 1);
  if (!/^\d+$/.test(partitionText)) return undefined;
  const partition = Number(partitionText);
  if (partition > 2147483647) return undefined;
  return { topic: dirName.slice(0, dash), partition };
}

/**
 * The name a partition directory is renamed to before removal, as Kafka's LocalLog.logDeleteDirName:
 * `<topic>-<partition>.<32 hex digits>-delete`, the topic cut so the name stays within 255 bytes.
 */
export function logDeleteDirName(topic: string, partition: number): string {
  const suffix = `-${partition}.${randomUUID().replace(/-/g, '')}${DELETE_DIR_SUFFIX}`;
  return topic.slice(0, Math.min(topic.length, 255 - suffix.length)) + suffix;
}
