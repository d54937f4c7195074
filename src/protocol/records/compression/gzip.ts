/**
 * gzip codec (compression id 1): RFC 1952 streams via node:zlib, run on the libuv thread pool.
 * Kafka writes a single gzip member; reading accepts anything zlib's gunzip accepts.
 */
import { promisify } from 'node:util';
import * as zlib from 'node:zlib';
import type { CompressionCodec } from './codec';

const gzip = promisify(zlib.gzip);
const gunzip = promisify(zlib.gunzip);

/** Creates the gzip codec; `level` is Kafka's `compression.gzip.level` (-1 = zlib default). */
export function gzipCodec(opts: { level?: number } = {}): CompressionCodec {
  const level = opts.level ?? zlib.constants.Z_DEFAULT_COMPRESSION;
  return {
    name: 'gzip',
    compress: (data) => gzip(data, { level }),
    decompress: (data) => gunzip(data),
  };
}
