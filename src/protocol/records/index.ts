/**
 * RecordBatch v2 handling: views, validation, offset assignment, building and decoding, codecs.
 */
export * from './assign-offsets';
export * from './compressed-validation';
export * from './crc32c';
export * from './produce-validation';
export * from './record';
export * from './record-batch';
export * from './record-batch-builder';
export { codecFor, CompressionError, type CompressionCodec, gzipCodec, lz4Codec, snappyCodec, zstdCodec } from './compression';
export * from './recompress';
