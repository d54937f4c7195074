/**
 * The records check Kafka's LogValidator makes on compressed client batches (magic 2): the records
 * section must decompress with the batch's codec and hold exactly recordsCount records whose offset deltas
 * run 0..n-1, with no bytes left over, and on compacted topics every record must have a key. Kafka iterates every compressed batch on the produce path (its
 * skipKeyValueIterator), so a batch whose payload does not decompress never reaches the log; validateRecords
 * checks batch headers only and leaves this asynchronous part to the Produce handler.
 *
 * Batches this check cannot judge (truncated, another magic, an unknown codec id) are left to
 * validateRecords, which refuses them with its own error.
 *
 * Kafka streams the records out of the decompressor; here the records section is decompressed whole, so a
 * decompression bomb (a 1 MB gzip member inflates to 1 GB) is cut off at MAX_DECOMPRESSED_BYTES: gzip
 * stops inflating there (zlib's maxOutputLength), the other codecs' output is checked after the fact (their
 * ratios are bounded far lower: about 21:1 for snappy, 255:1 for lz4; zstd frames are the exception).
 */
import { promisify } from 'node:util';
import * as zlib from 'node:zlib';
import { codecFor, CompressionError } from './compression';
import type { InvalidRecords } from './produce-validation';
import { RecordsErrorCode } from './produce-validation';
import { InvalidRecordFormatError, RecordWalker } from './record';
import { BatchAttribute, BatchField, CompressionType, LOG_OVERHEAD, MAGIC_V2, RECORD_BATCH_OVERHEAD } from './record-batch';
import { VarintError } from './varint';

/** The most a batch's records section may decompress to before it is refused as CORRUPT_MESSAGE. */
export const MAX_DECOMPRESSED_BYTES = 128 * 1024 * 1024;

const gunzip = promisify(zlib.gunzip);

/** Known codec ids: anything else is UNSUPPORTED_COMPRESSION_TYPE from validateRecords. */
const KNOWN_CODECS: ReadonlySet<number> = new Set([CompressionType.gzip, CompressionType.snappy, CompressionType.lz4, CompressionType.zstd]);

/**
 * Decompresses the compressed batches of `buf` and walks their records. Resolves to the failure
 * (CORRUPT_MESSAGE when the payload does not decompress, INVALID_RECORD when the records inside are
 * malformed or miscounted) or undefined when every compressed batch is sound.
 */
export async function checkCompressedRecords(
  buf: Buffer,
  opts: { topicPartition?: string; maxDecompressedBytes?: number; compacted?: boolean } = {},
): Promise<InvalidRecords | undefined> {
  const maxBytes = opts.maxDecompressedBytes ?? MAX_DECOMPRESSED_BYTES;
  const where = opts.topicPartition === undefined ? '' : ` in topic partition ${opts.topicPartition}`;
  let position = 0;
  while (buf.length - position >= RECORD_BATCH_OVERHEAD) {
    const size = LOG_OVERHEAD + buf.readInt32BE(position + BatchField.batchLength);
    if (size < RECORD_BATCH_OVERHEAD || position + size > buf.length || buf.readInt8(position + BatchField.magic) !== MAGIC_V2) return undefined;
    const codecId = buf.readInt16BE(position + BatchField.attributes) & BatchAttribute.compressionMask;
    if (codecId !== CompressionType.none && KNOWN_CODECS.has(codecId)) {
      const count = buf.readInt32BE(position + BatchField.recordsCount);
      let records: Buffer;
      try {
        records = await decompressBounded(codecId, buf.subarray(position + BatchField.records, position + size), maxBytes);
      } catch (err) {
        // The codec libraries throw their own error types for bad input; all mean the same here.
        const reason = err instanceof CompressionError || err instanceof Error ? err.message : String(err);
        return { ok: false, errorCode: RecordsErrorCode.CORRUPT_MESSAGE, message: `Record batch${where} does not decompress: ${reason}` };
      }
      const failure = walk(records, { count, where, compacted: opts.compacted === true });
      if (failure !== undefined) return failure;
    }
    position += size;
  }
  return undefined;
}

async function decompressBounded(codecId: number, payload: Buffer, maxBytes: number): Promise<Buffer> {
  if (codecId === CompressionType.gzip) {
    try {
      return await gunzip(payload, { maxOutputLength: maxBytes });
    } catch (err) {
      if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
        throw new CompressionError(`records decompress to more than ${maxBytes} bytes`);
      }
      throw err;
    }
  }
  const out = await codecFor(codecId).decompress(payload);
  if (out.length > maxBytes) throw new CompressionError(`records decompress to ${out.length} bytes, more than ${maxBytes}`);
  return out;
}

function walk(records: Buffer, batch: { count: number; where: string; compacted: boolean }): InvalidRecords | undefined {
  const { count, where } = batch;
  const walker = new RecordWalker(records, { start: 0, end: records.length });
  const invalid = (message: string): InvalidRecords => ({ ok: false, errorCode: RecordsErrorCode.INVALID_RECORD, message: message + where });
  let keyless: number[] | undefined;
  for (let i = 0; i < count; i++) {
    if (!walker.hasRemaining()) return invalid('Incorrect declared batch size, premature EOF reached');
    try {
      walker.next();
    } catch (err) {
      if (err instanceof InvalidRecordFormatError || err instanceof VarintError) return invalid(err.message);
      throw err;
    }
    if (walker.offsetDelta !== i) return invalid(`Record ${i} of the batch has offset delta ${walker.offsetDelta}; expected ${i}`);
    if (batch.compacted && walker.keyLength < 0) (keyless ??= []).push(i);
  }
  if (walker.hasRemaining()) return invalid('Incorrect declared batch size, records still remaining in file');
  if (keyless !== undefined) {
    // As LogValidator: compacted topics refuse records without a key, one record error each.
    const message = `Compacted topic cannot accept message without key${where}.`;
    return { ok: false, errorCode: RecordsErrorCode.INVALID_RECORD, message, recordErrors: keyless.map((batchIndex) => ({ batchIndex, message })) };
  }
  return undefined;
}
