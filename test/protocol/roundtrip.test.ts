// Round-trips every version of every request and response we define, driven by the definitions:
// a sample with every field populated (non-default tagged fields and unknown tagged fields included)
// and a sample of nulls/empties are encoded, decoded and compared; re-encoding the decoded object must
// give back the same bytes.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ApiDefinition, MessageDefinition } from '../../src/protocol/definition';
import { ApiDefinitions } from '../../src/protocol/messages/index';
import { ByteReader } from '../../src/protocol/reader';
import { messagePlan } from '../../src/protocol/schema';
import { parseVersionRange } from '../../src/protocol/versions';
import { ByteWriter } from '../../src/protocol/writer';
import { sampleMessage, type Variant } from './samples';

function encode(message: MessageDefinition, version: number, value: Record<string, unknown>): Buffer {
  const w = new ByteWriter();
  messagePlan(message, version).encode(w, value);
  return w.toBuffer();
}

function decode(message: MessageDefinition, version: number, bytes: Buffer): Record<string, unknown> {
  const r = new ByteReader(bytes);
  const value = messagePlan(message, version).decode(r);
  assert.equal(r.remaining, 0, `${message.name} v${version} left ${r.remaining} bytes unread`);
  return value;
}

function roundTrip(message: MessageDefinition, version: number, variant: Variant): void {
  const sample = sampleMessage(message, version, variant);
  const bytes = encode(message, version, sample);
  const decoded = decode(message, version, bytes);
  assert.deepStrictEqual(decoded, sample);
  assert.deepStrictEqual(encode(message, version, decoded), bytes, 're-encoding the decoded object changed the bytes');
}

const apis = Object.values(ApiDefinitions) as ApiDefinition[];
let versionsCovered = 0;

for (const api of apis) {
  describe(`${api.name} (key ${api.apiKey})`, () => {
    const { min, max } = parseVersionRange(api.request.validVersions);
    for (let v = min; v <= max; v++) {
      test(`v${v} request and response round-trip`, () => {
        for (const message of [api.request, api.response]) {
          roundTrip(message, v, 'full');
          roundTrip(message, v, 'empty');
        }
        versionsCovered++;
      });
    }
  });
}

test('every version of every defined API was round-tripped', () => {
  const expected = apis.reduce((n, a) => {
    const r = parseVersionRange(a.request.validVersions);
    assert.equal(a.response.validVersions, a.request.validVersions, `${a.name}: request and response ranges differ`);
    return n + (r.max - r.min + 1);
  }, 0);
  assert.ok(expected > 0);
  assert.equal(versionsCovered, expected);
});
