// The schema interpreter's rules: defaults for absent fields, ignorable vs non-ignorable fields, tagged
// fields (written only when non-default, in tag order; unknown tags kept and re-emitted), nullability per
// version, nullable structs, plan caching, and the static types derived from definitions.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defineMessage, field } from '../../src/protocol/definition';
import type { MessageData } from '../../src/protocol/data-types';
import { FetchApi, type FetchRequest } from '../../src/protocol/messages/fetch';
import { MetadataApi, type MetadataRequest, type MetadataResponse } from '../../src/protocol/messages/metadata';
import { ProduceApi } from '../../src/protocol/messages/produce';
import { ProtocolDecodeError, ProtocolEncodeError, ProtocolSchemaError } from '../../src/protocol/protocol-errors';
import { ByteReader } from '../../src/protocol/reader';
import { messageDefaults, messagePlan } from '../../src/protocol/schema';
import { ByteWriter } from '../../src/protocol/writer';

// A test-only message exercising every rule in a few versions.
const Sample = defineMessage({
  name: 'SampleRequest',
  type: 'request',
  validVersions: '0-3',
  flexibleVersions: '2+',
  fields: [
    field('Id', 'int32', { versions: '0+' }),
    field('Name', 'string', { versions: '0+', nullableVersions: '1+', default: 'anon' }),
    field('OnlyV0', 'int64', { versions: '0', default: -1 }),
    field('Hint', 'int32', { versions: '1+', default: 7, ignorable: true }),
    field('Strict', 'int16', { versions: '3+' }),
    field('Items', '[]SampleItem', { versions: '0+', nullableVersions: '3+', fields: [
      field('Key', 'string', { versions: '0+' }),
      field('Tag', 'int8', { versions: '2+', taggedVersions: '2+', tag: 5, default: -1 }),
    ] }),
    field('Cursor', 'SampleCursor', { versions: '1+', nullableVersions: '1+', default: null }),
    field('Extra', 'int64', { versions: '2+', taggedVersions: '2+', tag: 1, default: -1 }),
    field('Note', 'string', { versions: '2+', taggedVersions: '2+', tag: 0, nullableVersions: '2+', default: null }),
  ],
  commonStructs: {
    SampleCursor: { versions: '0+', fields: [field('Position', 'int32', { versions: '0+' })] },
  },
});
type SampleData = MessageData<typeof Sample>;

function encode(value: object, version: number): Buffer {
  const w = new ByteWriter();
  messagePlan(Sample, version).encode(w, value as Record<string, unknown>);
  return w.toBuffer();
}

function decode(bytes: Buffer, version: number): SampleData {
  const r = new ByteReader(bytes);
  const v = messagePlan(Sample, version).decode(r) as SampleData;
  assert.equal(r.remaining, 0);
  return v;
}

test('absent fields decode as their defaults; missing input fields encode as defaults', () => {
  const bytes = encode({ id: 3 }, 0);
  assert.equal(bytes.toString('hex'), '00000003' + '0004616e6f6e' + 'ffffffffffffffff' + '00000000');
  const d = decode(bytes, 0);
  assert.deepEqual(d, { id: 3, name: 'anon', onlyV0: -1, hint: 7, strict: 0, items: [], cursor: null, extra: -1, note: null });
});

test('a non-default value in a non-ignorable field the version lacks is an error; ignorable ones are dropped', () => {
  assert.throws(() => encode({ strict: 5 }, 2), (e: unknown) => e instanceof ProtocolEncodeError && /non-default SampleRequest.Strict at version 2/.test(e.message));
  assert.throws(() => encode({ onlyV0: 12 }, 1), ProtocolEncodeError);
  assert.doesNotThrow(() => encode({ strict: 0, onlyV0: -1 }, 1), 'default values are fine');
  const bytes = encode({ hint: 99 }, 0);
  assert.equal(decode(bytes, 0).hint, 7, 'Hint is ignorable: dropped in v0, read back as the default');
  assert.equal(decode(encode({ hint: 99 }, 1), 1).hint, 99);
});

test('null is only accepted where the version allows it, in both directions', () => {
  assert.throws(() => encode({ name: null }, 0), ProtocolEncodeError);
  assert.equal(decode(encode({ name: null }, 1), 1).name, null);
  assert.throws(() => encode({ items: null }, 2), ProtocolEncodeError);
  assert.equal(decode(encode({ items: null }, 3), 3).items, null);
  // A v0 frame with a null name (int16 -1) must be rejected, as Kafka does.
  const frame = Buffer.from('00000003' + 'ffff' + 'ffffffffffffffff' + '00000000', 'hex');
  assert.throws(() => decode(frame, 0), (e: unknown) => e instanceof ProtocolDecodeError && /Non-nullable field SampleRequest.Name/.test(e.message));
});

test('tagged fields are written only when non-default, in ascending tag order', () => {
  const plain = encode({ id: 1, name: 'n' }, 2);
  // id, compact name, hint, items (empty compact array), cursor marker (null), no tagged fields
  assert.equal(plain.toString('hex'), '00000001' + '026e' + '00000007' + '01' + 'ff' + '00');
  const tagged = encode({ id: 1, name: 'n', extra: 0x0102, note: 'hi' }, 2);
  assert.equal(tagged.toString('hex'), '00000001' + '026e' + '00000007' + '01' + 'ff' + '02' + '00' + '03' + '036869' + '01' + '08' + '0000000000000102');
  const d = decode(tagged, 2);
  assert.equal(d.extra, 0x0102);
  assert.equal(d.note, 'hi');
  assert.equal(decode(plain, 2).extra, -1);
});

test('tagged fields in nested structs, and nullable structs with an int8 marker', () => {
  const value = { items: [{ key: 'a', tag: 4 }, { key: 'b' }], cursor: { position: 9 } };
  const bytes = encode(value, 2);
  const d = decode(bytes, 2);
  assert.deepEqual(d.items, [{ key: 'a', tag: 4 }, { key: 'b', tag: -1 }]);
  assert.deepEqual(d.cursor, { position: 9 });
  // v1 is not flexible: the struct is a marker byte then the field, no tagged section.
  const v1 = encode({ cursor: { position: 9 } }, 1);
  assert.ok(v1.toString('hex').endsWith('01' + '00000009'));
  assert.deepEqual(decode(v1, 1).cursor, { position: 9 });
});

test('unknown tagged fields are skipped on decode but kept, and re-encoded in tag order', () => {
  // id=1, name null, hint=7, items [], cursor null; tagged: {tag 0: note "x"}, {tag 3: 2 raw bytes}, {tag 9: empty}
  const frame = Buffer.from('00000001' + '00' + '00000007' + '01' + 'ff' + '03' + '00' + '02' + '0278' + '03' + '02' + 'abcd' + '09' + '00', 'hex');
  const d = decode(frame, 2);
  assert.equal(d.note, 'x');
  assert.deepEqual(d._unknownTaggedFields, [
    { tag: 3, data: Buffer.from('abcd', 'hex') },
    { tag: 9, data: Buffer.alloc(0) },
  ]);
  assert.deepEqual(encode(d, 2), frame);
});

test('a known tagged field whose size disagrees with its value is malformed', () => {
  // tag 1 (Extra, int64) announced with 9 bytes
  const frame = Buffer.from('00000001' + '00' + '00000007' + '01' + 'ff' + '01' + '01' + '09' + '000000000000000100', 'hex');
  assert.throws(() => decode(frame, 2), ProtocolDecodeError);
  const short = Buffer.from('00000001' + '00' + '00000007' + '01' + 'ff' + '01' + '01' + '04' + '00000001', 'hex');
  assert.throws(() => decode(short, 2), ProtocolDecodeError);
});

test('decoded defaults are fresh objects, never shared between decodes', () => {
  const a = decode(encode({}, 0), 0);
  const b = decode(encode({}, 0), 0);
  a.items!.push({ key: 'x', tag: 1 });
  assert.deepEqual(b.items, []);
  const f1 = messagePlan(FetchApi.response, 4).decode(new ByteReader(Buffer.from('00000000' + '00000000', 'hex')));
  assert.deepEqual(f1, messageDefaults(FetchApi.response));
});

test('type mismatches are encode errors naming the field', () => {
  assert.throws(() => encode({ id: 'x' }, 0), (e: unknown) => e instanceof ProtocolEncodeError && /SampleRequest.Id/.test(e.message));
  assert.throws(() => encode({ items: {} }, 0), ProtocolEncodeError);
  assert.throws(() => encode({ id: 2 ** 40 }, 0), (e: unknown) => e instanceof ProtocolEncodeError && /SampleRequest.Id/.test(e.message));
  assert.throws(() => encode(null as unknown as object, 0), ProtocolEncodeError);
});

test('plans are compiled once per (definition, version) and cached', () => {
  assert.equal(messagePlan(ProduceApi.request, 9), messagePlan(ProduceApi.request, 9));
  assert.notEqual(messagePlan(ProduceApi.request, 9), messagePlan(ProduceApi.request, 8));
  assert.throws(() => messagePlan(ProduceApi.request, 12), ProtocolSchemaError);
  assert.throws(() => messagePlan(ProduceApi.request, -1), ProtocolSchemaError);
});

test('definitions with dangling struct references fail at compile time', () => {
  const Broken = defineMessage({
    name: 'BrokenRequest',
    type: 'request',
    validVersions: '0',
    flexibleVersions: 'none',
    fields: [field('Things', '[]Missing', { versions: '0+' })],
  });
  assert.throws(() => messagePlan(Broken, 0), ProtocolSchemaError);
});

test('decoded objects use camelCase keys of every field, matching the static types', () => {
  const req: MetadataRequest = messagePlan(MetadataApi.request, 0).decode(
    new ByteReader(Buffer.from('00000001' + '000161', 'hex')),
  ) as MetadataRequest;
  assert.deepEqual(Object.keys(req), ['topics', 'allowAutoTopicCreation', 'includeClusterAuthorizedOperations', 'includeTopicAuthorizedOperations']);
  assert.deepEqual(req.topics, [{ topicId: 'AAAAAAAAAAAAAAAAAAAAAA', name: 'a' }]);
  assert.equal(req.allowAutoTopicCreation, true, 'v0 has no AllowAutoTopicCreation: its default (true) applies');
  const defaults = messageDefaults(MetadataApi.response) as MetadataResponse;
  assert.equal(defaults.controllerId, -1);
  assert.equal(defaults.clusterId, null);
  const fetch = messageDefaults(FetchApi.request) as FetchRequest;
  assert.deepEqual(fetch.replicaState, { replicaId: -1, replicaEpoch: -1 });
  assert.equal(fetch.maxBytes, 0x7fffffff);
});
