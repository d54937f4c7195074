// __consumer_offsets record formats: exact bytes as Kafka 3.9 writes them, round trips of every value
// version, tombstones and unknown key versions; Java's String.hashCode placement; the group state table.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MockTime } from '../../src/common/time';
import { GroupStateError } from '../../src/coordinator/group/coordinator-errors';
import { GroupMetadata } from '../../src/coordinator/group/group-metadata';
import { GroupState, VALID_PREVIOUS_STATES, isValidTransition, parseGroupState } from '../../src/coordinator/group/group-state';
import { javaStringHashCode, kafkaAbs, offsetsTopicConfigs, partitionFor } from '../../src/coordinator/group/offsets-topic';
import {
  groupMetadataKey,
  groupMetadataValue,
  offsetCommitKey,
  offsetCommitValue,
  readGroupMessageValue,
  readMessageKey,
  readOffsetMessageValue,
} from '../../src/coordinator/group/records/group-records';
import { decodeAssignment, decodeSubscription, encodeAssignment, encodeSubscription, subscribedTopics } from '../../src/coordinator/group/consumer-protocol';

const hex = (b: Buffer) => b.toString('hex');

describe('__consumer_offsets keys and values', () => {
  test('offset commit key: version 1, group, topic, partition', () => {
    assert.equal(hex(offsetCommitKey('g', { topic: 't', partition: 3 })), '0001' + '000167' + '000174' + '00000003');
    assert.deepEqual(readMessageKey(offsetCommitKey('my-group', { topic: 'orders', partition: 7 })), {
      type: 'offset',
      version: 1,
      group: 'my-group',
      topic: 'orders',
      partition: 7,
    });
  });

  test('key version 0 is an offset key too; version 2 is group metadata; others are unknown', () => {
    const v0 = Buffer.from('0000' + '000167' + '000174' + '00000001', 'hex');
    assert.deepEqual(readMessageKey(v0), { type: 'offset', version: 0, group: 'g', topic: 't', partition: 1 });
    assert.equal(hex(groupMetadataKey('g')), '0002000167');
    assert.deepEqual(readMessageKey(groupMetadataKey('grp')), { type: 'group', version: 2, group: 'grp' });
    assert.deepEqual(readMessageKey(Buffer.from('0003000167', 'hex')), { type: 'unknown', version: 3 });
  });

  test('offset commit value: v3 with leader epoch, v1 when the commit has an expire timestamp', () => {
    const v3 = offsetCommitValue({ committedOffset: 5, leaderEpoch: 2, metadata: '', commitTimestamp: 1000, expireTimestamp: null });
    assert.equal(hex(v3), '0003' + '0000000000000005' + '00000002' + '0000' + '00000000000003e8');
    const v1 = offsetCommitValue({ committedOffset: 5, leaderEpoch: 2, metadata: 'm', commitTimestamp: 1000, expireTimestamp: 2000 });
    assert.equal(hex(v1), '0001' + '0000000000000005' + '00016d' + '00000000000003e8' + '00000000000007d0');
    assert.deepEqual(readOffsetMessageValue(v1), { committedOffset: 5, leaderEpoch: -1, metadata: 'm', commitTimestamp: 1000, expireTimestamp: 2000 });
    assert.deepEqual(readOffsetMessageValue(v3), { committedOffset: 5, leaderEpoch: 2, metadata: '', commitTimestamp: 1000, expireTimestamp: null });
    assert.equal(readOffsetMessageValue(null), null);
  });

  test('offset commit values of versions 0, 2 and 4 (flexible) decode', () => {
    const v0 = Buffer.from('0000' + '000000000000000a' + '0000' + '0000000000000064', 'hex');
    assert.deepEqual(readOffsetMessageValue(v0), { committedOffset: 10, leaderEpoch: -1, metadata: '', commitTimestamp: 100, expireTimestamp: null });
    const v4 = Buffer.from('0004' + '000000000000000a' + '00000001' + '01' + '0000000000000064' + '00', 'hex');
    assert.deepEqual(readOffsetMessageValue(v4), { committedOffset: 10, leaderEpoch: 1, metadata: '', commitTimestamp: 100, expireTimestamp: null });
    assert.throws(() => readOffsetMessageValue(Buffer.from('0009', 'hex')), /Unknown offset message version: 9/);
  });

  test('group metadata value v3 round trip, with a static member; v0 takes the session timeout as rebalance timeout', () => {
    const stored = {
      protocolType: 'consumer',
      generationId: 4,
      protocolName: 'range',
      leaderId: 'm1',
      currentStateTimestamp: 1234,
      members: [
        {
          memberId: 'm1',
          groupInstanceId: 'instance-1',
          clientId: 'c1',
          clientHost: '/127.0.0.1',
          rebalanceTimeoutMs: 300000,
          sessionTimeoutMs: 45000,
          subscription: encodeSubscription(['orders']),
          assignment: encodeAssignment([{ topic: 'orders', partitions: [0, 1] }]),
        },
      ],
    };
    const value = groupMetadataValue(stored);
    assert.equal(value.readInt16BE(0), 3);
    assert.deepEqual(readGroupMessageValue(value), stored);
    const empty = groupMetadataValue({ protocolType: 'consumer', generationId: 5, protocolName: null, leaderId: null, currentStateTimestamp: 99, members: [] });
    assert.equal(hex(empty), '0003' + '0008' + Buffer.from('consumer').toString('hex') + '00000005' + 'ffff' + 'ffff' + '0000000000000063' + '00000000');
    const v0 = Buffer.from(
      '0000' + '0001' + '78' + '00000001' + '000170' + '00016d' + '00000001' + '00016d' + '000163' + '000168' + '000003e8' + '00000000' + '00000000',
      'hex',
    );
    const decoded = readGroupMessageValue(v0)!;
    assert.equal(decoded.members[0]!.rebalanceTimeoutMs, 1000);
    assert.equal(decoded.currentStateTimestamp, null);
    assert.equal(readGroupMessageValue(null), null);
  });
});

describe('coordinator placement', () => {
  test("Java's String.hashCode and Kafka's Utils.abs", () => {
    assert.equal(javaStringHashCode(''), 0);
    assert.equal(javaStringHashCode('hello'), 99162322);
    assert.equal(javaStringHashCode('console-consumer-12345'), 158455506);
    // Non-ASCII: UTF-16 code units, as Java (value from java.lang.String.hashCode).
    assert.equal(javaStringHashCode('grüße'), 98768023);
    // The string whose hash is Integer.MIN_VALUE: Math.abs would stay negative, Utils.abs gives 0.
    assert.equal(javaStringHashCode('polygenelubricants'), -2147483648);
    assert.equal(kafkaAbs(-2147483648), 0);
    assert.equal(partitionFor('polygenelubricants', 50), 0);
    assert.equal(partitionFor('hello', 50), 99162322 % 50);
    assert.equal(partitionFor('console-consumer-12345', 50), 158455506 % 50);
  });

  test('__consumer_offsets topic configs', () => {
    assert.deepEqual(offsetsTopicConfigs({ offsetsTopicSegmentBytes: 104857600 }), [
      { name: 'cleanup.policy', value: 'compact' },
      { name: 'segment.bytes', value: '104857600' },
      { name: 'compression.type', value: 'producer' },
    ]);
  });
});

describe('consumer protocol', () => {
  test('subscriptions of every version give their topics; garbage gives null', () => {
    for (const version of [0, 1, 2, 3]) {
      const bytes = encodeSubscription(['a', 'b'], { version });
      assert.deepEqual(subscribedTopics(bytes), ['a', 'b']);
      assert.deepEqual(decodeSubscription(bytes)?.topics, ['a', 'b']);
    }
    assert.equal(subscribedTopics(Buffer.from('00', 'hex')), null);
    assert.deepEqual(decodeAssignment(encodeAssignment([{ topic: 't', partitions: [2, 5] }]))?.assignedPartitions, [{ topic: 't', partitions: [2, 5] }]);
    assert.deepEqual(decodeAssignment(Buffer.alloc(0))?.assignedPartitions, []);
  });
});

describe('group state machine', () => {
  test('the table of valid previous states', () => {
    assert.deepEqual(VALID_PREVIOUS_STATES.PreparingRebalance, ['Stable', 'CompletingRebalance', 'Empty']);
    assert.deepEqual(VALID_PREVIOUS_STATES.CompletingRebalance, ['PreparingRebalance']);
    assert.deepEqual(VALID_PREVIOUS_STATES.Stable, ['CompletingRebalance']);
    assert.deepEqual(VALID_PREVIOUS_STATES.Empty, ['PreparingRebalance']);
    assert.deepEqual(VALID_PREVIOUS_STATES.Dead, ['Stable', 'PreparingRebalance', 'CompletingRebalance', 'Empty', 'Dead']);
    const all = Object.values(GroupState);
    let legal = 0;
    for (const from of all) for (const to of all) if (isValidTransition(from, to)) legal++;
    assert.equal(legal, 3 + 1 + 1 + 1 + 5);
  });

  test('GroupMetadata refuses illegal transitions and stamps the state time', () => {
    const time = new MockTime({ startMs: 1000 });
    const group = new GroupMetadata('g', { initialState: GroupState.Empty, time });
    assert.throws(() => group.transitionTo(GroupState.Stable), GroupStateError);
    assert.throws(() => group.transitionTo(GroupState.CompletingRebalance), /should be in the PreparingRebalance states before moving to CompletingRebalance/);
    time.advance(500);
    group.transitionTo(GroupState.PreparingRebalance);
    assert.equal(group.currentStateTimestamp, 1500);
    assert.equal(group.canRebalance, false);
    group.transitionTo(GroupState.Dead);
    assert.throws(() => group.transitionTo(GroupState.Empty), GroupStateError);
    group.transitionTo(GroupState.Dead);
  });

  test('state names parse case-insensitively (ListGroups v4 filter)', () => {
    assert.equal(parseGroupState('stable'), 'Stable');
    assert.equal(parseGroupState('PREPARINGREBALANCE'), 'PreparingRebalance');
    assert.equal(parseGroupState('rebalancing'), undefined);
  });
});
