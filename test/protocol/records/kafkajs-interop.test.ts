// Cross-checks against a real client's codec: batches encoded by kafkajs's own RecordBatch encoder
// validate and decode here, and batches built here decode with kafkajs's decoder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CompressionCodecs, CompressionTypes } from 'kafkajs';
import {
  assignOffsets,
  buildRecordBatch,
  decodeRecords,
  lz4Codec,
  snappyCodec,
  validateRecords,
  type CompressionCodec,
  type ValidRecords,
  zstdCodec,
} from '../../../src/protocol/records';

interface KafkajsEncoder {
  buffer: Buffer;
}
interface KafkajsDecodedRecord {
  offset: string;
  timestamp: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, Buffer>;
}
/* eslint-disable @typescript-eslint/no-require-imports */
const { RecordBatch } = require('kafkajs/src/protocol/recordBatch/v0') as {
  RecordBatch: (opts: Record<string, unknown>) => Promise<KafkajsEncoder>;
};
const KafkajsRecord = require('kafkajs/src/protocol/recordBatch/record/v0') as (opts: Record<string, unknown>) => KafkajsEncoder;
const decodeKafkajsBatch = require('kafkajs/src/protocol/recordBatch/v0/decoder') as (
  decoder: unknown,
) => Promise<{ records: KafkajsDecodedRecord[]; firstOffset: string; timestampType: number; maxTimestamp: string }>;
const KafkajsDecoder = require('kafkajs/src/protocol/decoder') as new (buf: Buffer) => unknown;
/* eslint-enable @typescript-eslint/no-require-imports */

// kafkajs ships only gzip; plug this module's codecs in for the others, as applications do.
function register(type: number, codec: CompressionCodec): void {
  (CompressionCodecs as Record<number, () => unknown>)[type] = () => ({
    compress: async (encoder: KafkajsEncoder) => codec.compress(encoder.buffer),
    decompress: async (buffer: Buffer) => codec.decompress(buffer),
  });
}
register(CompressionTypes.Snappy, snappyCodec());
register(CompressionTypes.LZ4, lz4Codec());
register(CompressionTypes.ZSTD, zstdCodec());

const NOW = 1_700_000_000_000;
const kafkajsTypes = {
  none: CompressionTypes.None,
  gzip: CompressionTypes.GZIP,
  snappy: CompressionTypes.Snappy,
  lz4: CompressionTypes.LZ4,
  zstd: CompressionTypes.ZSTD,
} as const;

/** Encodes messages the way kafkajs's Produce v3+ request does. */
async function kafkajsBatch(compression: number, messages: { key: string; value: string; timestamp: number; headers?: Record<string, string> }[]) {
  const firstTimestamp = Math.min(...messages.map((m) => m.timestamp));
  const maxTimestamp = Math.max(...messages.map((m) => m.timestamp));
  const records = messages.map((m, i) =>
    KafkajsRecord({
      key: Buffer.from(m.key),
      value: Buffer.from(m.value),
      headers: m.headers ?? {},
      offsetDelta: i,
      timestampDelta: m.timestamp - firstTimestamp,
    }),
  );
  const batch = await RecordBatch({
    compression,
    records,
    firstTimestamp,
    maxTimestamp,
    lastOffsetDelta: records.length - 1,
  });
  return Buffer.from(batch.buffer);
}

for (const [name, type] of Object.entries(kafkajsTypes)) {
  test(`a kafkajs-encoded ${name} batch validates, takes offsets and decodes`, async () => {
    const messages = Array.from({ length: 20 }, (_, i) => ({
      key: `k${i}`,
      value: `value number ${i}`,
      timestamp: NOW + i,
      headers: { source: `kafkajs-${i}` },
    }));
    const buf = await kafkajsBatch(type, messages);
    const v = validateRecords(buf, { maxMessageBytes: 1048588, now: NOW });
    assert.ok(v.ok, v.ok ? '' : v.message);
    assert.equal((v as ValidRecords).recordCount, 20);
    assert.equal((v as ValidRecords).maxTimestamp, NOW + 19);
    assert.equal(assignOffsets(buf, 500, { partitionLeaderEpoch: 3 }), 519);
    const decoded = await decodeRecords(buf);
    assert.deepEqual(
      decoded.map((r) => [r.offset, r.timestamp, r.key?.toString(), r.value?.toString(), r.headers[0].value?.toString()]),
      messages.map((m, i) => [500 + i, m.timestamp, m.key, m.value, `kafkajs-${i}`]),
    );
  });

  test(`kafkajs decodes a ${name} batch built and stamped with LogAppendTime here`, async () => {
    const buf = await buildRecordBatch(
      [
        { key: 'a', value: 'first', timestamp: NOW, headers: [{ key: 'h', value: Buffer.from('v') }] },
        { key: 'b', value: 'second', timestamp: NOW + 1 },
      ],
      { compression: name as keyof typeof kafkajsTypes },
    );
    assignOffsets(buf, 42, { partitionLeaderEpoch: 1, logAppendTime: NOW + 5000 });
    const batch = await decodeKafkajsBatch(new KafkajsDecoder(buf));
    assert.equal(batch.firstOffset, '42');
    assert.equal(batch.maxTimestamp, String(NOW + 5000));
    assert.deepEqual(
      batch.records.map((r) => [r.offset, r.key?.toString(), r.value?.toString(), r.timestamp]),
      [
        ['42', 'a', 'first', String(NOW + 5000)],
        ['43', 'b', 'second', String(NOW + 5000)],
      ],
    );
    assert.equal(batch.records[0].headers.h.toString(), 'v');
  });
}
