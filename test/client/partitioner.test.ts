// Tests for the default partitioner: murmur2 against Kafka's own reference values (UtilsTest.testMurmur2)
// and against kafkajs's Java-compatible implementation, and the sticky strategy for keyless records.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { murmur2, partitionForKey, StickyPartitioner, toPositive } from '../../src/client/partitioner';

// kafkajs ships the Java-compatible murmur2 used by its JavaCompatiblePartitioner.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const kafkajsMurmur2 = require('kafkajs/src/producer/partitioners/default/murmur2') as (key: Buffer) => number;

test('murmur2 matches the values of Kafka Utils.murmur2', () => {
  const cases: [string, number][] = [
    ['21', -973932308],
    ['foobar', -790332482],
    ['a-little-bit-long-string', -985981536],
    ['a-little-bit-longer-string', -1486304829],
    ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
    ['abc', 479470107],
  ];
  for (const [key, expected] of cases) {
    assert.equal(murmur2(Buffer.from(key)), expected, key);
  }
});

test('murmur2 agrees with kafkajs for random keys of every tail length', () => {
  for (let len = 0; len < 64; len++) {
    const key = randomBytes(len);
    assert.equal(murmur2(key), kafkajsMurmur2(key) | 0, `length ${len}`);
  }
});

test('partitionForKey uses toPositive, not Math.abs', () => {
  assert.equal(toPositive(-2147483648), 0);
  assert.equal(toPositive(-1), 0x7fffffff);
  // "foobar" hashes negative: toPositive(-790332482) = 1357151166.
  assert.equal(partitionForKey(Buffer.from('foobar'), 1000), 1357151166 % 1000);
  assert.equal(partitionForKey(Buffer.from('21'), 3), toPositive(-973932308) % 3);
});

test('sticky partitioner stays on one partition until batch.size bytes, then switches', () => {
  let r = 0;
  const randoms = [0.1, 0.1, 0.9, 0.5];
  const sticky = new StickyPartitioner(100, () => randoms[r++ % randoms.length]!);
  const info = { numPartitions: 4, available: [0, 1, 2, 3] };
  const first = sticky.partition('t', info, 40);
  assert.equal(first, 0);
  assert.equal(sticky.partition('t', info, 40), first);
  assert.equal(sticky.partition('t', info, 40), first); // 120 bytes now went to partition 0
  // Next pick: random 0.1 → partition 0 again is refused (same as previous), 0.9 → partition 3.
  const second = sticky.partition('t', info, 40);
  assert.equal(second, 3);
});

test('sticky partitioner only picks partitions that have a leader', () => {
  const sticky = new StickyPartitioner(10);
  const info = { numPartitions: 6, available: [2, 5] };
  const seen = new Set<number>();
  for (let i = 0; i < 200; i++) seen.add(sticky.partition('t', info, 10));
  assert.deepEqual([...seen].sort(), [2, 5]);
});
