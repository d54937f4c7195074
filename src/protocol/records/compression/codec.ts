/**
 * The interface every record-batch compression codec implements. Kafka compresses the whole records
 * section of a v2 batch (everything after recordsCount) as one stream; the codec id lives in attribute
 * bits 0-2. Codecs are asynchronous where the library offers it so that compressing a large batch does
 * not block the event loop.
 */

/** A compression codec for the records section of a RecordBatch. */
export interface CompressionCodec {
  /** Kafka's `compression.type` name. */
  readonly name: 'gzip' | 'snappy' | 'lz4' | 'zstd';
  compress(data: Buffer): Buffer | Promise<Buffer>;
  decompress(data: Buffer): Buffer | Promise<Buffer>;
}

/** Compressed data that a codec cannot decode. */
export class CompressionError extends Error {
  override readonly name = 'CompressionError';
}
