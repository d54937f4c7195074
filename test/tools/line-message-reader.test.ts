// LineMessageReader: how kafka-console-producer turns stdin lines into records (keys, headers, null
// markers, errors with Kafka's messages).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineMessageReader, LineReaderError } from '../../src/tools/line-message-reader';

function reader(props: Record<string, string>): LineMessageReader {
  const r = new LineMessageReader();
  r.configure({ topic: 't', ...props });
  return r;
}

const str = (b: Buffer | string | null | undefined) => (b === null || b === undefined ? null : b.toString());

test('a plain line is a value without key', () => {
  const rec = reader({}).readRecord('hello world');
  assert.equal(rec.topic, 't');
  assert.equal(str(rec.key), null);
  assert.equal(str(rec.value), 'hello world');
  assert.equal(rec.headers, undefined);
});

test('parse.key with the default tab and a custom separator', () => {
  assert.deepEqual(
    [reader({ 'parse.key': 'true' }).readRecord('k\tv\tw')].map((r) => [str(r.key), str(r.value)]),
    [['k', 'v\tw']],
  );
  const r = reader({ 'parse.key': 'true', 'key.separator': ':' }).readRecord('user1:{"a":1}');
  assert.equal(str(r.key), 'user1');
  assert.equal(str(r.value), '{"a":1}');
});

test('a line without the key separator is an error naming the line, or value-only with ignore.error', () => {
  const r = reader({ 'parse.key': 'true', 'key.separator': ':' });
  r.readRecord('a:b');
  assert.throws(() => r.readRecord('no separator'), new LineReaderError("No key separator found on line number 2: 'no separator'"));
  const lenient = reader({ 'parse.key': 'true', 'key.separator': ':', 'ignore.error': 'true' }).readRecord('plain');
  assert.equal(str(lenient.key), null);
  assert.equal(str(lenient.value), 'plain');
});

test('headers, key and value; null.marker', () => {
  const r = reader({ 'parse.headers': 'true', 'parse.key': 'true', 'null.marker': 'NULL' });
  const rec = r.readRecord('h1:v1,h2:NULL\tkey\tvalue');
  assert.deepEqual(rec.headers!.map((h) => [h.key, str(h.value)]), [['h1', 'v1'], ['h2', null]]);
  assert.equal(str(rec.key), 'key');
  assert.equal(str(rec.value), 'value');
  const nulls = r.readRecord('h:x\tNULL\tNULL');
  assert.equal(nulls.key, null);
  assert.equal(nulls.value, null);
  assert.throws(() => r.readRecord('novalue\tk\tv'), /No header key separator found in pair 'novalue' on line number 3/);
});

test('conflicting separators are refused as Kafka does', () => {
  assert.throws(() => reader({ 'headers.delimiter': ',' }), /headers.delimiter and headers.separator may not be equal/);
  assert.throws(() => reader({ 'null.marker': '\t' }), /null.marker and key.separator may not be equal/);
});
