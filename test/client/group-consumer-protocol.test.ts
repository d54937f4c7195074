// The consumer's embedded protocol and assignors, without a broker: ConsumerProtocol subscription and
// assignment round trips for v0-3, the bytes kafkajs writes (v0) read and written identically, a v3
// subscription built by hand from ConsumerProtocolSubscription.json, and the range / roundrobin
// assignments of the examples in Kafka's RangeAssignor and RoundRobinAssignor documentation.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AssignerProtocol } from 'kafkajs';
import {
  ConsumerProtocolError,
  deserializeAssignment,
  deserializeSubscription,
  serializeAssignment,
  serializeSubscription,
} from '../../src/client/consumer-protocol';
import { RangeAssignor, RoundRobinAssignor, compareMembers, type MemberSubscription } from '../../src/client/partition-assignors';
import type { TopicPartition } from '../../src/client/simple-consumer';

test('subscriptions round-trip in every version, fields a version lacks taking their defaults', () => {
  const full = {
    topics: ['orders', 'payments'],
    userData: Buffer.from([1, 2, 3]),
    ownedPartitions: [
      { topic: 'orders', partition: 0 },
      { topic: 'orders', partition: 3 },
      { topic: 'payments', partition: 1 },
    ],
    generationId: 7,
    rackId: 'rack-a',
  };
  for (let version = 0; version <= 3; version++) {
    const decoded = deserializeSubscription(serializeSubscription(full, version));
    assert.equal(decoded.version, version);
    assert.deepEqual(decoded.topics, full.topics);
    assert.deepEqual(decoded.userData, full.userData);
    assert.deepEqual(decoded.ownedPartitions, version >= 1 ? full.ownedPartitions : []);
    assert.equal(decoded.generationId, version >= 2 ? 7 : -1);
    assert.equal(decoded.rackId, version >= 3 ? 'rack-a' : null);
  }
});

test('assignments round-trip in every version; an empty payload is an empty assignment', () => {
  const partitions = [
    { topic: 'a', partition: 2 },
    { topic: 'a', partition: 0 },
    { topic: 'b', partition: 5 },
  ];
  for (let version = 0; version <= 3; version++) {
    const decoded = deserializeAssignment(serializeAssignment({ partitions, userData: null }, version));
    assert.deepEqual(decoded, { version, partitions, userData: null });
  }
  assert.deepEqual(deserializeAssignment(Buffer.alloc(0)), { version: 0, partitions: [], userData: null });
  assert.throws(() => deserializeAssignment(Buffer.from([0, 0, 0, 0, 0, 9])), ConsumerProtocolError);
  assert.throws(() => deserializeSubscription(Buffer.from([0xff, 0xff])), ConsumerProtocolError);
});

test('the v0 bytes kafkajs writes are the ones this client writes and reads', () => {
  const kafkajsSubscription = AssignerProtocol.MemberMetadata.encode({ version: 0, topics: ['orders', 'payments'], userData: Buffer.alloc(0) });
  assert.equal(kafkajsSubscription.toString('hex'), '00000000000200066f726465727300087061796d656e747300000000');
  assert.deepEqual(serializeSubscription({ topics: ['orders', 'payments'], userData: Buffer.alloc(0) }, 0), kafkajsSubscription);
  const sub = deserializeSubscription(kafkajsSubscription);
  assert.deepEqual(sub.topics, ['orders', 'payments']);
  assert.deepEqual(sub.userData, Buffer.alloc(0));

  const kafkajsAssignment = AssignerProtocol.MemberAssignment.encode({ version: 0, assignment: { orders: [0, 2], payments: [1] }, userData: Buffer.alloc(0) });
  assert.equal(kafkajsAssignment.toString('hex'), '00000000000200066f726465727300000002000000000000000200087061796d656e7473000000010000000100000000');
  assert.deepEqual(deserializeAssignment(kafkajsAssignment).partitions, [
    { topic: 'orders', partition: 0 },
    { topic: 'orders', partition: 2 },
    { topic: 'payments', partition: 1 },
  ]);
  // What this client sends kafkajs decodes (any version: the assignment layout never changed).
  const ours = serializeAssignment({ partitions: [{ topic: 'orders', partition: 1 }] });
  assert.deepEqual(AssignerProtocol.MemberAssignment.decode(ours)?.assignment, { orders: [1] });
});

test('a v3 subscription has the layout of ConsumerProtocolSubscription.json', () => {
  const expected = Buffer.concat([
    Buffer.from('0003', 'hex'), // version 3
    Buffer.from('00000001' + '0001' + '74', 'hex'), // topics: ["t"]
    Buffer.from('ffffffff', 'hex'), // user data: null
    Buffer.from('00000001' + '0001' + '74' + '00000002' + '00000000' + '00000004', 'hex'), // owned: t [0, 4]
    Buffer.from('00000005', 'hex'), // generation 5
    Buffer.from('0002' + '7231', 'hex'), // rack "r1"
  ]);
  const ours = serializeSubscription({
    topics: ['t'],
    ownedPartitions: [
      { topic: 't', partition: 0 },
      { topic: 't', partition: 4 },
    ],
    generationId: 5,
    rackId: 'r1',
  });
  assert.equal(ours.toString('hex'), expected.toString('hex'));
  // A newer version than 3 is read with the v3 layout (later versions only append fields).
  const v4 = Buffer.concat([Buffer.from('0004', 'hex'), expected.subarray(2), Buffer.from('deadbeef', 'hex')]);
  assert.equal(deserializeSubscription(v4).rackId, 'r1');
});

const names = (tps: TopicPartition[] | undefined) => (tps ?? []).map((tp) => `${tp.topic}-${tp.partition}`);
const member = (memberId: string, topics: string[], groupInstanceId: string | null = null): MemberSubscription => ({ memberId, topics, groupInstanceId });

test('range: contiguous ranges per topic, the first members getting the extra partitions', () => {
  const result = new RangeAssignor().assign(
    new Map([
      ['t0', 3],
      ['t1', 3],
    ]),
    [member('C1', ['t0', 't1']), member('C0', ['t0', 't1'])],
  );
  assert.deepEqual(names(result.get('C0')), ['t0-0', 't0-1', 't1-0', 't1-1']);
  assert.deepEqual(names(result.get('C1')), ['t0-2', 't1-2']);

  // Four partitions over two members: two each; a topic not in the metadata is skipped.
  const split = new RangeAssignor().assign(new Map([['four', 4]]), [member('b', ['four', 'absent']), member('a', ['four'])]);
  assert.deepEqual(names(split.get('a')), ['four-0', 'four-1']);
  assert.deepEqual(names(split.get('b')), ['four-2', 'four-3']);

  // More members than partitions: the last ones get nothing but are in the result.
  const sparse = new RangeAssignor().assign(new Map([['one', 1]]), [member('x', ['one']), member('y', ['one'])]);
  assert.deepEqual(names(sparse.get('x')), ['one-0']);
  assert.deepEqual(sparse.get('y'), []);
});

test('range and roundrobin order static members first, by group.instance.id', () => {
  const members = [member('m-a', ['t']), member('m-b', ['t'], 'zeta'), member('m-c', ['t'], 'alpha')];
  assert.deepEqual([...members].sort(compareMembers).map((m) => m.memberId), ['m-c', 'm-b', 'm-a']);
  const result = new RangeAssignor().assign(new Map([['t', 3]]), members);
  assert.deepEqual(names(result.get('m-c')), ['t-0']);
  assert.deepEqual(names(result.get('m-b')), ['t-1']);
  assert.deepEqual(names(result.get('m-a')), ['t-2']);
  const dealt = new RoundRobinAssignor().assign(new Map([['t', 4]]), members);
  assert.deepEqual(names(dealt.get('m-c')), ['t-0', 't-3']);
  assert.deepEqual(names(dealt.get('m-b')), ['t-1']);
  assert.deepEqual(names(dealt.get('m-a')), ['t-2']);
});

test('roundrobin: partitions dealt out in topic order, skipping members not subscribed', () => {
  const same = new RoundRobinAssignor().assign(
    new Map([
      ['t1', 3],
      ['t0', 3],
    ]),
    [member('C0', ['t0', 't1']), member('C1', ['t1', 't0'])],
  );
  assert.deepEqual(names(same.get('C0')), ['t0-0', 't0-2', 't1-1']);
  assert.deepEqual(names(same.get('C1')), ['t0-1', 't1-0', 't1-2']);

  const different = new RoundRobinAssignor().assign(
    new Map([
      ['t0', 1],
      ['t1', 2],
      ['t2', 3],
    ]),
    [member('C0', ['t0']), member('C1', ['t0', 't1']), member('C2', ['t0', 't1', 't2'])],
  );
  assert.deepEqual(names(different.get('C0')), ['t0-0']);
  assert.deepEqual(names(different.get('C1')), ['t1-0']);
  assert.deepEqual(names(different.get('C2')), ['t1-1', 't2-0', 't2-1', 't2-2']);
});
