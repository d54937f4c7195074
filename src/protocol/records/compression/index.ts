/**
 * Codec lookup by Kafka compression id (RecordBatch attribute bits 0-2) or name.
 */
import { CompressionType } from '../record-batch';
import { type CompressionCodec, CompressionError } from './codec';
import { gzipCodec } from './gzip';
import { lz4Codec } from './lz4';
import { snappyCodec } from './snappy';
import { zstdCodec } from './zstd';

export { type CompressionCodec, CompressionError } from './codec';
export { gzipCodec } from './gzip';
export { lz4Codec } from './lz4';
export { snappyCodec } from './snappy';
export { zstdCodec } from './zstd';

/** Codecs with their default settings, by compression id (a constant table of stateless codecs). */
const defaultCodecs: ReadonlyMap<number, CompressionCodec> = new Map<number, CompressionCodec>([
  [CompressionType.gzip, gzipCodec()],
  [CompressionType.snappy, snappyCodec()],
  [CompressionType.lz4, lz4Codec()],
  [CompressionType.zstd, zstdCodec()],
]);

/** The codec for a compressed batch's compression id; throws CompressionError for 0 or unknown ids. */
export function codecFor(id: number): CompressionCodec {
  const codec = defaultCodecs.get(id);
  if (codec === undefined) throw new CompressionError(`no codec for compression id ${id}`);
  return codec;
}
