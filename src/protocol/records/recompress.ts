/**
 * Re-encoding a batch with another codec, for topics whose `compression.type` is not `producer`
 * (Kafka's LogValidator.buildRecordsAndAssignOffsets): the records are decoded and a new batch is built
 * with the target codec, keeping the producer id, epoch, base sequence, transactional flag, keys,
 * values, headers and timestamps. Control batches written uncompressed stay as they are, as in Kafka.
 * This is the one place the produce path decodes records, and only when the topic asks for it.
 */
import { BatchField, compressionName, type CompressionName, RecordBatchView } from './record-batch';
import { buildRecordBatch, decodeRecords } from './record-batch-builder';

/** The codec a topic's `compression.type` asks for, given the producer's codec id. */
export function targetCompression(topicCompressionType: string, sourceId: number): CompressionName {
  if (topicCompressionType === 'producer') return compressionName(sourceId) ?? 'none';
  if (topicCompressionType === 'uncompressed') return 'none';
  return topicCompressionType as CompressionName;
}

/**
 * Returns the single batch in `buf` re-encoded with `target`, or `buf` itself when it already uses
 * that codec or is an uncompressed control batch.
 */
export async function recompressBatch(buf: Buffer, target: CompressionName): Promise<Buffer> {
  const view = new RecordBatchView(buf, 0);
  const source = compressionName(view.compression);
  if (source === target || (view.isControl && source === 'none')) return buf;
  const records = await decodeRecords(view);
  return buildRecordBatch(
    records.map((r) => ({ key: r.key, value: r.value, headers: r.headers, timestamp: r.timestamp })),
    {
      compression: target,
      baseOffset: view.baseOffset,
      partitionLeaderEpoch: buf.readInt32BE(BatchField.partitionLeaderEpoch),
      producerId: view.producerId,
      producerEpoch: view.producerEpoch,
      baseSequence: view.baseSequence,
      transactional: view.isTransactional,
      control: view.isControl,
    },
  );
}
