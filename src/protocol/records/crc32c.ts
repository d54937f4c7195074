/**
 * CRC-32C (Castagnoli), the checksum of RecordBatch v2 (magic 2, KIP-98).
 *
 * Wraps `fast-crc32c`, which uses the SSE4.2 instruction through the native `sse4_crc32` addon when
 * that addon was built and falls back to a table-driven JavaScript implementation otherwise. The
 * server logs which one is in use at startup, since the JavaScript one is several times slower on the
 * produce path (one CRC pass per batch).
 */

interface Crc32cModule {
  calculate(buf: Uint8Array, initial?: number): number;
}

// fast-crc32c ships no type declarations; its whole API is `calculate`.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const fastCrc32c = require('fast-crc32c') as Crc32cModule;

/** Which CRC-32C implementation fast-crc32c loaded. */
export type Crc32cImplementation = 'sse4.2 (native)' | 'javascript';

/**
 * CRC-32C of `buf`. Pass the result of a previous call as `initial` to continue a checksum over
 * several buffers. Views (`subarray`) are checksummed without copying.
 */
export function crc32c(buf: Uint8Array, initial = 0): number {
  return fastCrc32c.calculate(buf, initial);
}

/** Tells which implementation fast-crc32c picked when it was loaded. */
export function crc32cImplementation(): Crc32cImplementation {
  try {
    // fast-crc32c's loader returns the first implementation module that loads and passes its
    // self-test; the native one is `impls/sse4_crc32c`, which only loads if the addon was built.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const native: unknown = require('fast-crc32c/impls/sse4_crc32c');
    return native === fastCrc32c ? 'sse4.2 (native)' : 'javascript';
  } catch {
    return 'javascript';
  }
}
