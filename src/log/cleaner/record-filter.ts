/**
 * Filtering a chunk of record batches read from a segment (Kafka's MemoryRecords.filterTo as the log
 * cleaner uses it, Kafka 3.x with KIP-534):
 *
 * - the filter first decides for the whole batch (checkBatchRetention, Kafka's BatchRetention):
 *   DELETE drops it unread; DELETE_EMPTY drops it when none of its records stay; RETAIN_EMPTY keeps
 *   it even then, as a header without records (the last batch of an active idempotent producer,
 *   active-producers.ts; the header is built by retained-batch.ts);
 * - a batch whose records all stay, and that needs no new delete horizon, is copied byte for byte;
 * - otherwise it is rebuilt from the records that stay (retained-batch.ts), with the original offsets
 *   and codec. A data batch that keeps a tombstone and has no delete horizon yet gets one:
 *   `currentTime + delete.retention.ms`; later cleanings drop its tombstones once that time has passed.
 *
 * Control batches (transaction markers) are kept as they are: this broker refuses transactional
 * produce and keeps no transaction index, so it can never tell that a marker's transaction is gone.
 */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Logger } from '../../common/logger';
import { batches, type RecordBatchView } from '../../protocol/records/record-batch';
import { decodeRecords } from '../../protocol/records/record-batch-builder';
import type { DecodedRecord } from '../../protocol/records/record';
import { BatchRetention } from './active-producers';
import { buildEmptyBatch, buildRetainedBatch, deleteHorizonOf } from './retained-batch';

/** Records processed between two yields to the event loop. */
export const RECORDS_PER_SLICE = 2048;

/** The cleaner's decisions. */
export interface CleanerRecordFilter {
  /** The cleaning's start time, for delete horizons. */
  currentTime: number;
  /** `delete.retention.ms` of the log. */
  deleteRetentionMs: number;
  /** What happens to a data batch as a whole (asked before its records). */
  checkBatchRetention(batch: RecordBatchView): BatchRetention;
  /** Whether a record of a data batch stays. */
  shouldRetainRecord(batch: RecordBatchView, record: DecodedRecord): boolean;
}

/** What filterTo did with a chunk. */
export interface FilterResult {
  /** The retained batches, ready to append. */
  output: Buffer;
  /** Bytes of the complete batches processed (where the next chunk starts). */
  bytesRead: number;
  messagesRead: number;
  messagesRetained: number;
  bytesRetained: number;
}

/**
 * Filters the complete batches at the start of `chunk`; a trailing partial batch is left for the next
 * read (bytesRead stops before it).
 */
export async function filterTo(
  chunk: Buffer,
  filter: CleanerRecordFilter,
  opts: { topicPartition: string; maxRecordBatchSize: number; logger: Logger },
): Promise<FilterResult> {
  const out: Buffer[] = [];
  let sinceYield = 0;
  const result: FilterResult = { output: Buffer.alloc(0), bytesRead: 0, messagesRead: 0, messagesRetained: 0, bytesRetained: 0 };
  for (const batch of batches(chunk)) {
    result.bytesRead += batch.sizeInBytes;
    if (batch.isControl) {
      result.messagesRead += batch.recordsCount;
      result.messagesRetained += batch.recordsCount;
      out.push(batch.bytes());
      continue;
    }
    const retention = filter.checkBatchRetention(batch);
    if (retention === BatchRetention.DELETE) continue;
    const records = await decodeRecords(batch);
    result.messagesRead += records.length;
    const retained: DecodedRecord[] = [];
    for (const record of records) {
      if (filter.shouldRetainRecord(batch, record)) retained.push(record);
      // Hashing keys is the costly part: let requests through every few thousand records.
      if (++sinceYield >= RECORDS_PER_SLICE) {
        sinceYield = 0;
        await yieldToEventLoop();
      }
    }
    if (retained.length === 0) {
      if (retention === BatchRetention.RETAIN_EMPTY) out.push(buildEmptyBatch(batch));
      continue;
    }
    const horizon = deleteHorizonOf(batch);
    const needToSetDeleteHorizon = horizon === undefined && retained.some((r) => r.value === null);
    result.messagesRetained += retained.length;
    if (retained.length === records.length && !needToSetDeleteHorizon) {
      out.push(batch.bytes());
      continue;
    }
    const rebuilt = await buildRetainedBatch(batch, retained, {
      deleteHorizonMs: needToSetDeleteHorizon ? filter.currentTime + filter.deleteRetentionMs : horizon,
    });
    if (rebuilt.length > batch.sizeInBytes && rebuilt.length > opts.maxRecordBatchSize) {
      opts.logger.warn(
        `Record batch from ${opts.topicPartition} with last offset ${batch.lastOffset} exceeded max record batch size ` +
          `${opts.maxRecordBatchSize} after cleaning (new size is ${rebuilt.length}). Consumers with version earlier than ` +
          '0.10.1.0 may need to increase their fetch sizes.',
      );
    }
    out.push(rebuilt);
  }
  result.output = out.length === 1 ? Buffer.from(out[0]) : Buffer.concat(out);
  result.bytesRetained = result.output.length;
  return result;
}
