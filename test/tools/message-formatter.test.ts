// DefaultMessageFormatter output for each print.* property, as Kafka's console consumer prints records.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DefaultMessageFormatter } from '../../src/tools/message-formatter';
import type { ConsumerRecord } from '../../src/client/simple-consumer';

function record(overrides: Partial<ConsumerRecord> = {}): ConsumerRecord {
  return {
    topic: 't',
    partition: 2,
    offset: 41,
    timestamp: 1700000000123,
    timestampType: 'CreateTime',
    key: Buffer.from('k1'),
    value: Buffer.from('hello'),
    headers: [],
    leaderEpoch: 0,
    ...overrides,
  };
}

function format(props: Record<string, string>, r = record()): string {
  const f = new DefaultMessageFormatter();
  f.configure(props);
  return f.format(r).toString();
}

test('default: the value and a newline', () => {
  assert.equal(format({}), 'hello\n');
  assert.equal(format({}, record({ value: null })), 'null\n');
});

test('print.key with the default tab separator and a custom one', () => {
  assert.equal(format({ 'print.key': 'true' }), 'k1\thello\n');
  assert.equal(format({ 'print.key': 'true', 'key.separator': ' => ' }), 'k1 => hello\n');
  assert.equal(format({ 'print.key': 'true' }, record({ key: null })), 'null\thello\n');
  assert.equal(format({ 'print.key': 'true', 'null.literal': '<none>' }, record({ key: null })), '<none>\thello\n');
});

test('print.timestamp, partition, offset, headers in Kafka order', () => {
  assert.equal(
    format({ 'print.timestamp': 'true', 'print.partition': 'true', 'print.offset': 'true', 'print.key': 'true' }),
    'CreateTime:1700000000123\tPartition:2\tOffset:41\tk1\thello\n',
  );
  assert.equal(format({ 'print.timestamp': 'true' }, record({ timestampType: 'LogAppendTime' })), 'LogAppendTime:1700000000123\thello\n');
  assert.equal(format({ 'print.timestamp': 'true' }, record({ timestamp: -1 })), 'NO_TIMESTAMP\thello\n');
  assert.equal(format({ 'print.headers': 'true' }), 'NO_HEADERS\thello\n');
  assert.equal(
    format({ 'print.headers': 'true' }, record({ headers: [{ key: 'a', value: Buffer.from('1') }, { key: 'b', value: null }] })),
    'a:1,b:null\thello\n',
  );
});

test('print.value=false and line.separator', () => {
  assert.equal(format({ 'print.key': 'true', 'print.value': 'false' }), 'k1\n');
  assert.equal(format({ 'print.offset': 'true', 'print.value': 'false' }), 'Offset:41\n');
  assert.equal(format({ 'line.separator': '|' }), 'hello|');
  assert.equal(format({ 'print.key': ' TRUE ' }), 'k1\thello\n');
});

test('bytes that are not UTF-8 are written unchanged', () => {
  const f = new DefaultMessageFormatter();
  const out = f.format(record({ value: Buffer.from([0xff, 0x00, 0xfe]) }));
  assert.deepEqual([...out], [0xff, 0x00, 0xfe, 0x0a]);
});
