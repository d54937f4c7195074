// Malformed input: truncated frames, negative lengths, absurd counts and random corruption must all end in
// a ProtocolDecodeError, quickly and without large allocations; nothing else may escape the decoder.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeRequest, decodeRequestHeader, encodeRequest, ApiKeys, ProtocolDecodeError } from '../../src/protocol/index';
import type { MessageDefinition } from '../../src/protocol/definition';
import { ApiDefinitions } from '../../src/protocol/messages/index';
import { ByteReader } from '../../src/protocol/reader';
import { messagePlan } from '../../src/protocol/schema';
import { parseVersionRange } from '../../src/protocol/versions';
import { ByteWriter } from '../../src/protocol/writer';
import { sampleMessage } from './samples';

function encode(message: MessageDefinition, version: number, value: Record<string, unknown>): Buffer {
  const w = new ByteWriter();
  messagePlan(message, version).encode(w, value);
  return w.toBuffer();
}

function decodeAll(message: MessageDefinition, version: number, bytes: Buffer): void {
  messagePlan(message, version).decode(new ByteReader(bytes));
}

test('every truncation of every message version fails with ProtocolDecodeError', () => {
  let cases = 0;
  for (const def of Object.values(ApiDefinitions)) {
    const { min, max } = parseVersionRange(def.request.validVersions);
    for (const v of new Set([min, Math.floor((min + max) / 2), max])) {
      for (const message of [def.request, def.response] as MessageDefinition[]) {
        const bytes = encode(message, v, sampleMessage(message, v, 'full'));
        for (let cut = 0; cut < bytes.length; cut++) {
          assert.throws(() => decodeAll(message, v, bytes.subarray(0, cut)), ProtocolDecodeError, `${message.name} v${v} cut at ${cut}`);
          cases++;
        }
      }
    }
  }
  assert.ok(cases > 10_000, `only ${cases} truncations tried`);
});

test('truncated request frames fail in the header or in the body', () => {
  const full = Buffer.concat(
    encodeRequest({ apiKey: ApiKeys.Produce, apiVersion: 9, correlationId: 1, clientId: 'client' }, {
      acks: 1, timeoutMs: 1000, topicData: [{ name: 'topic', partitionData: [{ index: 0, records: Buffer.alloc(64, 1) }] }],
    }),
  ).subarray(4);
  for (let cut = 0; cut < full.length; cut++) {
    const frame = full.subarray(0, cut);
    assert.throws(() => {
      const { header, bodyOffset } = decodeRequestHeader(frame);
      decodeRequest(ApiKeys.Produce, header.apiVersion, frame, bodyOffset);
    }, ProtocolDecodeError, `cut at ${cut}`);
  }
});

test('negative lengths are rejected', () => {
  const header = '0003' + '0001' + '00000001' + '0000';
  // Metadata v1: topics array of -2
  assert.throws(() => decodeRequest(ApiKeys.Metadata, 1, Buffer.from(header + 'fffffffe', 'hex'), 10), /Negative array length -2/);
  // Metadata v1: one topic whose name length is -3
  assert.throws(() => decodeRequest(ApiKeys.Metadata, 1, Buffer.from(header + '00000001' + 'fffd', 'hex'), 10), /Negative string length -3/);
  // SaslHandshake v0 mechanism of length -1: null where the field is not nullable
  assert.throws(() => decodeRequest(ApiKeys.SaslHandshake, 0, Buffer.from('0011000000000001ffff' + 'ffff', 'hex'), 10), /Non-nullable/);
  // Produce v3: records length -7
  const produce = Buffer.concat([
    // header (v1, null client id), then TransactionalId null, acks -1, timeout, 1 topic "t", 1 partition 0
    Buffer.from('0000000300000001' + 'ffff' + 'ffff' + 'ffff' + '000003e8' + '00000001' + '000174' + '00000001' + '00000000', 'hex'),
    Buffer.from('fffffff9', 'hex'),
  ]);
  assert.throws(() => decodeRequest(ApiKeys.Produce, 3, produce, 10), /Negative bytes length -7/);
});

test('absurd array counts fail fast without allocating', () => {
  const before = process.memoryUsage().heapUsed;
  const started = process.hrtime.bigint();
  // Fetch v4 body: replica id, max wait, min bytes, max bytes, isolation, then 2^31-1 topics
  const fetch = Buffer.from('0001000400000001ffff' + 'ffffffff' + '000001f4' + '00000001' + '00100000' + '00' + '7fffffff' + '0000', 'hex');
  assert.throws(() => decodeRequest(ApiKeys.Fetch, 4, fetch, 10), /cannot fit/);
  // Flexible: compact count of 2^32-2 elements
  const flexible = Buffer.from('00120003000000010000' + '00' + 'ffffffff0f' + '00', 'hex');
  assert.throws(() => decodeRequest(ApiKeys.ApiVersions, 3, flexible, 11), ProtocolDecodeError);
  // A Metadata v1 topic count of 1000 with 4 bytes left
  assert.throws(() => decodeRequest(ApiKeys.Metadata, 1, Buffer.from('00030001000000010000' + '000003e8' + '00000000', 'hex'), 10), /cannot fit/);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  assert.ok(ms < 100, `took ${ms} ms`);
  assert.ok(process.memoryUsage().heapUsed - before < 50 * 1024 * 1024, 'no large allocation');
});

test('random corruption never escapes as anything but ProtocolDecodeError', () => {
  let seed = 12345;
  const rand = (n: number): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  let decoded = 0;
  let rejected = 0;
  const samples: [MessageDefinition, number, Buffer][] = [];
  for (const def of Object.values(ApiDefinitions)) {
    const { max } = parseVersionRange(def.request.validVersions);
    for (const v of [0, max]) {
      for (const message of [def.request, def.response] as MessageDefinition[]) {
        samples.push([message, v, encode(message, v, sampleMessage(message, v, 'full'))]);
      }
    }
  }
  for (let i = 0; i < 3000; i++) {
    const [message, v, original] = samples[rand(samples.length)]!;
    const bytes = Buffer.from(original);
    const flips = 1 + rand(4);
    for (let j = 0; j < flips; j++) bytes[rand(bytes.length)] = rand(256);
    try {
      decodeAll(message, v, bytes);
      decoded++;
    } catch (err) {
      assert.ok(err instanceof ProtocolDecodeError, `${message.name} v${v}: ${String(err)}`);
      rejected++;
    }
  }
  assert.ok(decoded > 0 && rejected > 0);
});

test('unknown api key headers decode; an empty or tiny frame does not', () => {
  const { header } = decodeRequestHeader(Buffer.from('7fff' + '7fff' + '00000009' + 'ffff', 'hex'));
  assert.deepEqual(header, { apiKey: 32767, apiVersion: 32767, correlationId: 9, clientId: null });
  assert.throws(() => decodeRequestHeader(Buffer.alloc(0)), ProtocolDecodeError);
  assert.throws(() => decodeRequestHeader(Buffer.from('0003000c000000', 'hex')), ProtocolDecodeError);
  assert.throws(() => decodeRequestHeader(Buffer.from('0003000c00000001' + '0005616263', 'hex')), ProtocolDecodeError);
});
