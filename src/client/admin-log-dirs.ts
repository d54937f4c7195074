/**
 * The Admin log-dir and record operations: DescribeLogDirs v1-4 sent to each broker asked about (every
 * partition it holds, KIP-113; total and usable bytes from v4, KIP-827) and DeleteRecords v0-2 sent to
 * each partition's leader, with the partitions whose leader moved (NOT_LEADER_OR_FOLLOWER and other
 * retriable errors) sent again to the new one until the operation's timeout — as Kafka's
 * KafkaAdminClient does. Results carry a KafkaResponseError per failed log dir or partition.
 */

import { ApiKeys, ErrorCode } from '../protocol';
import { type AdminContext, adminRetry, groupBy, itemError, missingResultError } from './admin-support';
import { KafkaResponseError, isRetriable } from './client-errors';

/** A replica in a log dir (Kafka's ReplicaInfo). */
export interface ReplicaInfo {
  topic: string;
  partition: number;
  /** Bytes of the replica's log. */
  size: number;
  /** The high watermark minus the log end offset (0 when caught up), -1 when unknown. */
  offsetLag: number;
  isFuture: boolean;
}

/** One log dir of a broker (Kafka's LogDirDescription). */
export interface LogDirDescription {
  path: string;
  error: KafkaResponseError | null;
  replicas: ReplicaInfo[];
  /** The file system's size and free space (DescribeLogDirs v4+); undefined when not reported. */
  totalBytes: number | undefined;
  usableBytes: number | undefined;
}

/** The log dirs of each broker asked about, in the order given. */
export async function describeLogDirs(
  ctx: AdminContext,
  brokerIds: readonly number[],
  options?: { timeoutMs?: number },
): Promise<Map<number, LogDirDescription[]>> {
  const out = new Map<number, LogDirDescription[]>();
  await Promise.all(
    brokerIds.map(async (brokerId) => {
      const response = await adminRetry(
        ctx,
        async () => {
          const conn = await ctx.client.connectionTo(brokerId);
          const r = await conn.request(ApiKeys.DescribeLogDirs, conn.pickVersion(ApiKeys.DescribeLogDirs, 1, 4), { topics: null });
          if (r.errorCode !== ErrorCode.NONE) throw new KafkaResponseError(r.errorCode, { context: `DescribeLogDirs on broker ${brokerId}` });
          return r;
        },
        { operation: `describeLogDirs(${brokerId})`, timeoutMs: options?.timeoutMs },
      );
      out.set(
        brokerId,
        response.results.map((d) => ({
          path: d.logDir,
          error: itemError(d.errorCode),
          replicas: d.topics.flatMap((t) =>
            t.partitions.map((p) => ({
              topic: t.name,
              partition: p.partitionIndex,
              size: p.partitionSize,
              offsetLag: p.offsetLag,
              isFuture: p.isFutureKey,
            })),
          ),
          totalBytes: d.totalBytes >= 0 ? d.totalBytes : undefined,
          usableBytes: d.usableBytes >= 0 ? d.usableBytes : undefined,
        })),
      );
    }),
  );
  return new Map(brokerIds.filter((id) => out.has(id)).map((id) => [id, out.get(id)!]));
}

/** What to delete: the records of a partition below `offset` (-1: below the high watermark). */
export interface RecordsToDelete {
  topic: string;
  partition: number;
  offset: number;
}

/** A partition's DeleteRecords outcome: its new low watermark, or the error. */
export interface DeletedRecords {
  topic: string;
  partition: number;
  lowWatermark: number;
  error: KafkaResponseError | null;
}

/** DeleteRecords: per partition in the order given. */
export async function deleteRecords(
  ctx: AdminContext,
  partitions: readonly RecordsToDelete[],
  options?: { timeoutMs?: number },
): Promise<DeletedRecords[]> {
  const timeoutMs = options?.timeoutMs ?? ctx.defaultApiTimeoutMs;
  const deadline = Date.now() + timeoutMs;
  const key = (p: { topic: string; partition: number }) => `${p.topic}-${p.partition}`;
  const results = new Map<string, DeletedRecords>();
  let pending = [...partitions];
  for (let attempt = 0; pending.length > 0; attempt++) {
    if (attempt > 0) {
      await new Promise((r) => setTimeout(r, ctx.client.backoffMs(attempt)));
      await ctx.client.fetchMetadata(pending.map((p) => p.topic)).catch(() => undefined);
    }
    const byLeader = new Map<number, RecordsToDelete[]>();
    for (const p of pending) {
      const leader = await ctx.client.leaderFor(p.topic, p.partition, { refresh: attempt === 0 }).catch((err: unknown) => err);
      if (typeof leader !== 'number') {
        results.set(key(p), { ...p, lowWatermark: -1, error: leader instanceof KafkaResponseError ? leader : missingResultError() });
      } else if (leader < 0) {
        results.set(key(p), { ...p, lowWatermark: -1, error: new KafkaResponseError(ErrorCode.LEADER_NOT_AVAILABLE) });
      } else {
        byLeader.set(leader, [...(byLeader.get(leader) ?? []), p]);
      }
    }
    await Promise.all(
      [...byLeader].map(async ([leader, list]) => {
        try {
          const conn = await ctx.client.connectionTo(leader);
          const r = await conn.request(
            ApiKeys.DeleteRecords,
            conn.pickVersion(ApiKeys.DeleteRecords, 0, 2),
            {
              topics: [...groupBy(list, (p) => p.topic)].map(([name, ps]) => ({
                name,
                partitions: ps.map((p) => ({ partitionIndex: p.partition, offset: p.offset })),
              })),
              timeoutMs: Math.max(0, deadline - Date.now()),
            },
            { timeoutMs: ctx.client.requestTimeoutMs + Math.max(0, deadline - Date.now()) },
          );
          for (const t of r.topics) {
            for (const p of t.partitions) {
              results.set(`${t.name}-${p.partitionIndex}`, {
                topic: t.name,
                partition: p.partitionIndex,
                lowWatermark: p.lowWatermark,
                error: itemError(p.errorCode),
              });
            }
          }
        } catch (err) {
          const error = err instanceof KafkaResponseError ? err : new KafkaResponseError(ErrorCode.NETWORK_EXCEPTION, { message: String(err) });
          for (const p of list) results.set(key(p), { ...p, lowWatermark: -1, error });
        }
      }),
    );
    pending = pending.filter((p) => {
      const error = results.get(key(p))?.error;
      return error != null && isRetriable(error) && error.code !== ErrorCode.REQUEST_TIMED_OUT && Date.now() < deadline;
    });
  }
  return partitions.map((p) => results.get(key(p)) ?? { ...p, lowWatermark: -1, error: missingResultError() });
}
