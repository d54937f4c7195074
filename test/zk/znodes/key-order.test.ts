// The JVM map orders behind Kafka's znode JSON: each function must reproduce the key order of the
// reference layout's examples, which come from real Kafka clusters.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  java8HashtableOrder,
  javaStringHash,
  scala212MutableHashMapOrder,
  scala213ImmutableMapOrder,
} from '../../../src/zk/znodes/key-order';

test('javaStringHash is String.hashCode', () => {
  assert.equal(javaStringHash(''), 0);
  assert.equal(javaStringHash('a'), 97);
  assert.equal(javaStringHash('version'), 351608024);
  // wraps around like a Java int ("polygenelubricants".hashCode() == Integer.MIN_VALUE)
  assert.equal(javaStringHash('polygenelubricants'), -2147483648);
});

test('Scala 2.12 mutable.HashMap: the /brokers/topics/<t> example', () => {
  assert.deepEqual(scala212MutableHashMapOrder(['version', 'partitions', 'adding_replicas', 'removing_replicas', 'topic_id']), [
    'removing_replicas',
    'partitions',
    'topic_id',
    'adding_replicas',
    'version',
  ]);
  assert.deepEqual(scala212MutableHashMapOrder(['0', '1', '2']), ['2', '1', '0']);
});

test('Scala 2.12 mutable.HashMap keeps every key once across table growth', () => {
  const keys = Array.from({ length: 100 }, (_, i) => String(i));
  const order = scala212MutableHashMapOrder([...keys, '5', '7']);
  assert.equal(order.length, 100);
  assert.deepEqual([...order].sort(), [...keys].sort());
});

test('Scala 2.13 immutable.Map: insertion order up to four keys, CHAMP order beyond (partition state)', () => {
  assert.deepEqual(scala213ImmutableMapOrder(['INTERNAL', 'EXTERNAL']), ['INTERNAL', 'EXTERNAL']);
  assert.deepEqual(scala213ImmutableMapOrder(['d', 'c', 'b', 'a']), ['d', 'c', 'b', 'a']);
  assert.deepEqual(scala213ImmutableMapOrder(['version', 'leader', 'leader_epoch', 'controller_epoch', 'isr']), [
    'controller_epoch',
    'leader',
    'version',
    'leader_epoch',
    'isr',
  ]);
});

test('Java 8 Hashtable (Properties): the /config/<type>/<entity> example', () => {
  assert.deepEqual(java8HashtableOrder(['retention.ms', 'cleanup.policy']), ['retention.ms', 'cleanup.policy']);
  assert.deepEqual(java8HashtableOrder(['cleanup.policy', 'retention.ms']), ['retention.ms', 'cleanup.policy']);
  const many = Array.from({ length: 30 }, (_, i) => `key.${i}`);
  assert.deepEqual([...java8HashtableOrder(many)].sort(), [...many].sort());
});
