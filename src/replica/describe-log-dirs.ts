/**
 * DescribeLogDirs on one broker (Kafka's ReplicaManager.describeLogDirs, KIP-113 and KIP-827): for each
 * configured log dir its absolute path, its file system's total and usable bytes, and the partitions
 * asked for that live there with their size in bytes and offset lag (high watermark minus log end
 * offset, at least 0; -1 when this broker has no online replica of it). Topics are grouped as Kafka
 * groups them: every topic with a log in the dir appears, with only the partitions asked for. A dir
 * that cannot be read answers KAFKA_STORAGE_ERROR. ts-kafka has no future replicas (no
 * AlterReplicaLogDirs), so isFutureKey is always false.
 */
import { statfs } from 'node:fs/promises';
import { ErrorCode } from '../protocol/errors';

/** DescribeLogDirsResponse.INVALID_OFFSET_LAG */
export const INVALID_OFFSET_LAG = -1;

/** What describeLogDirs reads of a log. */
export interface LogDirsLog {
  readonly topic: string;
  readonly partition: number;
  readonly parentDir: string;
  readonly size: number;
  readonly logEndOffset: number;
}

export interface LogDirPartition {
  partitionIndex: number;
  partitionSize: number;
  offsetLag: number;
  isFutureKey: boolean;
}

export interface LogDirDescription {
  errorCode: number;
  logDir: string;
  topics: { name: string; partitions: LogDirPartition[] }[];
  totalBytes: number;
  usableBytes: number;
}

/**
 * Describes `logDirs` holding `logs`. `wanted` is the set of `topic-partition` names asked for, or
 * null for all of them; `highWatermark` gives the high watermark of an online replica (undefined when
 * there is none).
 */
export async function describeLogDirs(
  source: { logDirs: readonly string[]; logs: readonly LogDirsLog[]; highWatermark: (topic: string, partition: number) => number | undefined },
  wanted: ReadonlySet<string> | null,
): Promise<LogDirDescription[]> {
  return Promise.all(
    source.logDirs.map(async (logDir) => {
      let totalBytes: number;
      let usableBytes: number;
      try {
        const fs = await statfs(logDir);
        totalBytes = fs.blocks * fs.bsize;
        usableBytes = fs.bavail * fs.bsize;
      } catch {
        return { errorCode: ErrorCode.KAFKA_STORAGE_ERROR, logDir, topics: [], totalBytes: -1, usableBytes: -1 };
      }
      const byTopic = new Map<string, LogDirPartition[]>();
      for (const log of source.logs) {
        if (log.parentDir !== logDir) continue;
        let partitions = byTopic.get(log.topic);
        if (partitions === undefined) byTopic.set(log.topic, (partitions = []));
        if (wanted !== null && !wanted.has(`${log.topic}-${log.partition}`)) continue;
        const hw = source.highWatermark(log.topic, log.partition);
        partitions.push({
          partitionIndex: log.partition,
          partitionSize: log.size,
          offsetLag: hw === undefined ? INVALID_OFFSET_LAG : Math.max(hw - log.logEndOffset, 0),
          isFutureKey: false,
        });
      }
      const topics = [...byTopic].map(([name, partitions]) => ({ name, partitions }));
      return { errorCode: ErrorCode.NONE, logDir, topics, totalBytes, usableBytes };
    }),
  );
}
