/**
 * Which batches the cleaner keeps for idempotent producers (Kafka 3.9's Cleaner.cleanInto
 * checkBatchRetention with UnifiedLog.lastRecordsOfActiveProducers; KIP-98, KAFKA-5490, KAFKA-8335).
 *
 * For every producer still in the log's producer state the batch holding its last data offset is
 * kept even when compaction removes all of its records: it carries the producer's epoch and last
 * sequence, so that a producer state rebuilt from the log (a restart without snapshots, a new
 * replica copying the log) still knows where the producer's sequence stands and still recognises a
 * retry of that batch as a duplicate. Every other batch is dropped once it has no records left.
 *
 * Kafka matches the last data offset rather than the last sequence (KAFKA-8335: sequences are not
 * unique, coordinators reuse sequence 0). Its third case, a producer whose last entry is a
 * transaction marker (kept for its epoch), cannot occur here: this broker writes no markers, and
 * control batches are kept as they are anyway (record-filter.ts).
 */
import type { RecordBatchView } from '../../protocol/records/record-batch';
import type { ProducerStateEntry } from '../producer-state-entry';

/** What the cleaner needs of an active producer (Kafka's LastRecord). */
export interface LastRecord {
  /** Offset of the producer's last data record, undefined when it has no batch. */
  readonly lastDataOffset: number | undefined;
  readonly producerEpoch: number;
}

/** How filterTo treats a batch (Kafka's RecordFilter.BatchRetention). */
export const BatchRetention = {
  /** Drop the whole batch, whatever its records. */
  DELETE: 'DELETE',
  /** Keep the records that stay; drop the batch when none does. */
  DELETE_EMPTY: 'DELETE_EMPTY',
  /** Keep the records that stay; keep the batch as an empty header when none does. */
  RETAIN_EMPTY: 'RETAIN_EMPTY',
} as const;
export type BatchRetention = (typeof BatchRetention)[keyof typeof BatchRetention];

/**
 * A copy of the producers' last records (Kafka's UnifiedLog.lastRecordsOfActiveProducers), taken
 * before a group of segments is cleaned: appends that happen meanwhile do not change the decisions.
 */
export function lastRecordsOfActiveProducers(producers: ReadonlyMap<number, ProducerStateEntry>): Map<number, LastRecord> {
  const result = new Map<number, LastRecord>();
  for (const [producerId, entry] of producers) {
    const lastDataOffset = entry.lastDataOffset;
    result.set(producerId, { lastDataOffset: lastDataOffset >= 0 ? lastDataOffset : undefined, producerEpoch: entry.producerEpoch });
  }
  return result;
}

/** Whether `batch` holds the last data offset of a producer in `lastRecords` (isBatchLastRecordOfProducer). */
export function isBatchLastRecordOfProducer(batch: RecordBatchView, lastRecords: ReadonlyMap<number, LastRecord>): boolean {
  if (batch.producerId < 0) return false;
  const last = lastRecords.get(batch.producerId);
  if (last === undefined) return false;
  return last.lastDataOffset !== undefined && batch.lastOffset === last.lastDataOffset;
}

/** The cleaner's retention of a data batch: its producer's last one is kept, even empty. */
export function producerBatchRetention(batch: RecordBatchView, lastRecords: ReadonlyMap<number, LastRecord>): BatchRetention {
  return isBatchLastRecordOfProducer(batch, lastRecords) ? BatchRetention.RETAIN_EMPTY : BatchRetention.DELETE_EMPTY;
}
