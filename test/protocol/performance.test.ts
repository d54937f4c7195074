// Performance sanity: decoding and encoding run on compiled, cached plans and scale linearly with the size
// of the message. Thresholds are deliberately loose (shared 2-core machines); they catch pathologies
// (recompiling per call, quadratic copying), not small regressions.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiKeys, decodeRequest, decodeRequestHeader, encodeRequest, encodeResponse } from '../../src/protocol/index';
import { FetchApi } from '../../src/protocol/messages/fetch';
import { messagePlan } from '../../src/protocol/schema';

function timeMs(iterations: number, fn: () => void): number {
  const started = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) fn();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

function produceFrame(partitions: number, records: Buffer): Buffer {
  const topicData = Array.from({ length: partitions / 10 }, (_, t) => ({
    name: `topic-${t}`,
    partitionData: Array.from({ length: 10 }, (_, p) => ({ index: p, records })),
  }));
  const chunks = encodeRequest({ apiKey: ApiKeys.Produce, apiVersion: 9, correlationId: 1, clientId: 'perf' }, {
    transactionalId: null, acks: -1, timeoutMs: 30000, topicData,
  });
  return Buffer.concat(chunks).subarray(4);
}

function fetchResponse(partitions: number, records: Buffer) {
  return {
    responses: Array.from({ length: partitions / 10 }, (_, t) => ({
      topic: `topic-${t}`,
      partitions: Array.from({ length: 10 }, (_, p) => ({
        partitionIndex: p, highWatermark: 1e9 + p, lastStableOffset: 1e9 + p, logStartOffset: 0, records,
      })),
    })),
  };
}

test('Produce request decoding: fast, zero-copy, linear in partitions', () => {
  const records = Buffer.alloc(16 * 1024, 7);
  const small = produceFrame(20, records);
  const large = produceFrame(200, records);
  const decode = (frame: Buffer) => () => {
    const { header, bodyOffset } = decodeRequestHeader(frame);
    decodeRequest(ApiKeys.Produce, header.apiVersion, frame, bodyOffset);
  };
  decode(small)(); // warm up: compiles the plan
  const smallMs = timeMs(2000, decode(small));
  const largeMs = timeMs(200, decode(large));
  // 2000 requests of 20 partitions (320 KiB each) in well under a second means no copying of records.
  assert.ok(smallMs < 2000, `2000 Produce decodes took ${smallMs.toFixed(0)} ms`);
  // Same number of partitions decoded in both runs: a quadratic decoder would be ~10x slower on `large`.
  assert.ok(largeMs < smallMs * 3 + 50, `large ${largeMs.toFixed(0)} ms vs small ${smallMs.toFixed(0)} ms`);
});

test('Fetch response encoding: fast, records not copied, linear in partitions', () => {
  const records = Buffer.alloc(64 * 1024, 1);
  const small = fetchResponse(20, records);
  const large = fetchResponse(200, records);
  const chunks = encodeResponse(ApiKeys.Fetch, 12, 1, small);
  const total = chunks.reduce((n, c) => n + c.length, 0);
  assert.ok(total > 20 * records.length);
  assert.equal(chunks.filter((c) => c === records).length, 20, 'each partition references the same records Buffer');
  const smallMs = timeMs(1000, () => encodeResponse(ApiKeys.Fetch, 12, 1, small));
  const largeMs = timeMs(100, () => encodeResponse(ApiKeys.Fetch, 12, 1, large));
  assert.ok(smallMs < 2000, `1000 Fetch encodes took ${smallMs.toFixed(0)} ms`);
  assert.ok(largeMs < smallMs * 3 + 50, `large ${largeMs.toFixed(0)} ms vs small ${smallMs.toFixed(0)} ms`);
});

test('plans are compiled once: repeated calls reuse the same plan objects', () => {
  const before = messagePlan(FetchApi.response, 12);
  encodeResponse(ApiKeys.Fetch, 12, 1, fetchResponse(10, Buffer.alloc(1)));
  assert.equal(messagePlan(FetchApi.response, 12), before);
  // Compilation is the expensive part; a cached lookup is orders of magnitude cheaper than compiling.
  const lookups = timeMs(100_000, () => messagePlan(FetchApi.response, 12));
  assert.ok(lookups < 200, `100k plan lookups took ${lookups.toFixed(0)} ms`);
});
