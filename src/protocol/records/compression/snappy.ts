/**
 * snappy codec (compression id 2). Kafka's Java client writes snappy-java's "xerial" stream framing:
 * an 8-byte magic `\x82SNAPPY\0`, int32 version 1, int32 minimum compatible version 1, then blocks of
 * [int32 compressed length][raw snappy block], each block holding up to 32 KiB of input. librdkafka
 * writes a single raw snappy block instead; snappy-java's reader (and so Kafka) accepts both, and so
 * does `decompress` here. Raw block compression is done by the `snappy` package (napi-rs, prebuilt).
 */
import * as snappy from 'snappy';
import { type CompressionCodec, CompressionError } from './codec';

const XERIAL_MAGIC = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]);
const XERIAL_HEADER_SIZE = 16;
/** snappy-java's default block size, which Kafka uses. */
const XERIAL_BLOCK_SIZE = 32 * 1024;

function isXerialFramed(data: Buffer): boolean {
  return data.length >= XERIAL_HEADER_SIZE && data.subarray(0, XERIAL_MAGIC.length).equals(XERIAL_MAGIC);
}

async function uncompressBlock(block: Buffer): Promise<Buffer> {
  try {
    return (await snappy.uncompress(block, { asBuffer: true })) as Buffer;
  } catch (err) {
    throw new CompressionError('invalid snappy data', { cause: err });
  }
}

/** Compresses into xerial framing, as Kafka's Java producer does. */
async function compressXerial(data: Buffer): Promise<Buffer> {
  const header = Buffer.alloc(XERIAL_HEADER_SIZE);
  XERIAL_MAGIC.copy(header, 0);
  header.writeInt32BE(1, 8);
  header.writeInt32BE(1, 12);
  const parts: Buffer[] = [header];
  for (let pos = 0; pos < data.length; pos += XERIAL_BLOCK_SIZE) {
    const block = await snappy.compress(data.subarray(pos, Math.min(pos + XERIAL_BLOCK_SIZE, data.length)));
    const length = Buffer.alloc(4);
    length.writeInt32BE(block.length, 0);
    parts.push(length, block);
  }
  return Buffer.concat(parts);
}

/** Decompresses xerial-framed or raw snappy data. */
async function decompressAny(data: Buffer): Promise<Buffer> {
  if (!isXerialFramed(data)) return uncompressBlock(data);
  const parts: Buffer[] = [];
  let pos = XERIAL_HEADER_SIZE;
  while (pos < data.length) {
    if (pos + 4 > data.length) throw new CompressionError('truncated xerial snappy block length');
    const length = data.readInt32BE(pos);
    pos += 4;
    if (length < 0 || pos + length > data.length) throw new CompressionError('truncated xerial snappy block');
    parts.push(await uncompressBlock(data.subarray(pos, pos + length)));
    pos += length;
  }
  return Buffer.concat(parts);
}

/** Creates the snappy codec. */
export function snappyCodec(): CompressionCodec {
  return { name: 'snappy', compress: compressXerial, decompress: decompressAny };
}
