/**
 * zstd codec (compression id 4, KIP-110): standard Zstandard frames via `zstd-napi`. Decompression
 * also accepts frames without a content size (streaming frames, as zstd-jni and librdkafka write).
 * zstd-napi's one-shot API is synchronous; batches are bounded by max.message.bytes, so one call
 * stays short.
 */
import * as zstd from 'zstd-napi';
import { type CompressionCodec, CompressionError } from './codec';

/** Creates the zstd codec; `level` is Kafka's `compression.zstd.level` (default 3). */
export function zstdCodec(opts: { level?: number } = {}): CompressionCodec {
  const compressionLevel = opts.level ?? 3;
  return {
    name: 'zstd',
    compress: (data) => zstd.compress(data, { compressionLevel }),
    decompress: (data) => {
      try {
        return zstd.decompress(data);
      } catch (err) {
        throw new CompressionError('invalid zstd frame', { cause: err });
      }
    },
  };
}
