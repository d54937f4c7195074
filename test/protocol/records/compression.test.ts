import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as zlib from 'node:zlib';
import * as snappy from 'snappy';
import * as zstdNapi from 'zstd-napi';
import { CompressionError, codecFor, gzipCodec, lz4Codec, snappyCodec, zstdCodec } from '../../../src/protocol/records/compression';

const payload = Buffer.from(Array.from({ length: 100_000 }, (_, i) => `record ${i % 977};`).join(''));

for (const codec of [gzipCodec(), snappyCodec(), lz4Codec(), zstdCodec()]) {
  test(`${codec.name} compresses and decompresses`, async () => {
    const compressed = await codec.compress(payload);
    assert.ok(compressed.length < payload.length / 2, `${codec.name} should shrink repetitive data`);
    assert.deepEqual(await codec.decompress(compressed), payload);
    assert.deepEqual(await codec.decompress(await codec.compress(Buffer.alloc(0))), Buffer.alloc(0));
  });
}

test('codecFor maps Kafka compression ids', () => {
  assert.deepEqual([1, 2, 3, 4].map((id) => codecFor(id).name), ['gzip', 'snappy', 'lz4', 'zstd']);
  assert.throws(() => codecFor(0), CompressionError);
  assert.throws(() => codecFor(5), CompressionError);
});

test('snappy writes xerial framing in 32 KiB blocks, as snappy-java', async () => {
  const compressed = await snappyCodec().compress(payload);
  assert.deepEqual([...compressed.subarray(0, 8)], [0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]);
  assert.equal(compressed.readInt32BE(8), 1);
  assert.equal(compressed.readInt32BE(12), 1);
  // Walk the blocks: each is [int32 length][raw snappy block of at most 32 KiB input].
  let pos = 16;
  let blocks = 0;
  while (pos < compressed.length) {
    const length = compressed.readInt32BE(pos);
    const block = (await snappy.uncompress(compressed.subarray(pos + 4, pos + 4 + length), { asBuffer: true })) as Buffer;
    assert.ok(block.length <= 32 * 1024);
    pos += 4 + length;
    blocks++;
  }
  assert.equal(pos, compressed.length);
  assert.equal(blocks, Math.ceil(payload.length / (32 * 1024)));
});

test('snappy reads a raw block as librdkafka writes it', async () => {
  const raw = await snappy.compress(payload);
  assert.deepEqual(await snappyCodec().decompress(raw), payload);
  await assert.rejects(async () => snappyCodec().decompress(Buffer.from('not snappy at all')), CompressionError);
});

test('lz4 writes a standard LZ4 frame with independent blocks Kafka can read', async () => {
  const small = await lz4Codec().compress(payload.subarray(0, 16 * 1024));
  for (const compressed of [small, await lz4Codec().compress(payload)]) {
    assert.equal(compressed.readUInt32LE(0), 0x184d2204);
    const flg = compressed[4];
    assert.equal(flg >> 6, 1, 'frame version 01');
    assert.equal(flg & 0x20, 0x20, 'block independence');
    assert.equal(flg & 0x08, 0, 'no content size field');
    const blockSizeId = (compressed[5] >> 4) & 0x7;
    assert.ok(blockSizeId >= 4 && blockSizeId <= 7, 'a block size Kafka accepts (64 KiB..4 MiB)');
  }
  assert.equal(small[5], 0x40, 'batches below 64 KiB use 64 KiB blocks, as Kafka writes');
  await assert.rejects(async () => lz4Codec().decompress(Buffer.from('garbage')), CompressionError);
});

test('zstd reads streaming frames without a content size', async () => {
  const chunks: Buffer[] = [];
  const stream = new zstdNapi.CompressStream();
  const done = new Promise<void>((resolve, reject) => {
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => resolve());
    stream.on('error', reject);
  });
  stream.end(payload);
  await done;
  assert.deepEqual(await zstdCodec().decompress(Buffer.concat(chunks)), payload);
  assert.throws(() => zstdCodec().decompress(Buffer.from('garbage')), CompressionError);
});

test('gzip reads what other gzip writers produce', async () => {
  assert.deepEqual(await gzipCodec().decompress(zlib.gzipSync(payload, { level: 1 })), payload);
});
