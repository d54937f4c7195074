// Committed offsets and persistence against a real coordinator on real logs: commits from members and
// from outside group management, fetches (with require_stable), what lands in __consumer_offsets, the
// reload after a restart, offset expiry, DeleteGroups, OffsetDelete, deleted topics, and loading or
// unloading partitions on leadership changes (COORDINATOR_LOAD_IN_PROGRESS, NOT_COORDINATOR, epochs).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MockTime } from '../../src/common/time';
import { ErrorCode } from '../../src/protocol';
import { batches } from '../../src/protocol/records/record-batch';
import { decodeRecords } from '../../src/protocol/records/record-batch-builder';
import type { GroupCoordinator } from '../../src/coordinator/group/group-coordinator';
import type { OffsetAndMetadata } from '../../src/coordinator/group/offset-and-metadata';
import { GROUP_METADATA_TOPIC_NAME } from '../../src/coordinator/group/offsets-topic';
import { readMessageKey, readOffsetMessageValue } from '../../src/coordinator/group/records/group-records';
import { assignmentOf, consumerJoin, groupOnPartition, startCoordinator, type CoordinatorFixture } from './coordinator-harness';

const offset = (committedOffset: number, extra: Partial<OffsetAndMetadata> = {}): OffsetAndMetadata => ({
  committedOffset,
  leaderEpoch: -1,
  metadata: '',
  commitTimestamp: Date.now(),
  expireTimestamp: null,
  ...extra,
});

function commit(c: GroupCoordinator, groupId: string, entries: [string, number, OffsetAndMetadata][], member = { memberId: '', generationId: -1 }) {
  return c.handleCommitOffsets({
    groupId,
    memberId: member.memberId,
    groupInstanceId: null,
    generationId: member.generationId,
    offsets: entries.map(([topic, partition, o]) => ({ topic, partition, offset: o })),
  });
}

/** A Stable one-member consumer group subscribed to `orders`. */
async function stableGroup(c: GroupCoordinator, groupId: string) {
  const first = await c.handleJoinGroup(consumerJoin(groupId));
  const joined = await c.handleJoinGroup(consumerJoin(groupId, { memberId: first.memberId }));
  await c.handleSyncGroup({
    groupId,
    generationId: joined.generationId,
    memberId: joined.memberId,
    groupInstanceId: null,
    protocolType: 'consumer',
    protocolName: 'range',
    assignments: new Map([[joined.memberId, assignmentOf('orders', [0, 1])]]),
  });
  return joined;
}

/** Every record of a __consumer_offsets partition, decoded. */
async function offsetsTopicRecords(fx: CoordinatorFixture, partition: number) {
  const log = fx.replicaManager.getPartition(GROUP_METADATA_TOPIC_NAME, partition)!.log!;
  const out: { key: ReturnType<typeof readMessageKey>; value: Buffer | null }[] = [];
  let position = log.logStartOffset;
  while (position < log.logEndOffset) {
    const data = await log.read(position, { maxBytes: 1 << 20, minOneMessage: true });
    for (const buf of data.records) {
      for (const batch of batches(buf)) {
        for (const r of await decodeRecords(batch)) out.push({ key: readMessageKey(r.key!), value: r.value });
        position = batch.nextOffset;
      }
    }
  }
  return out;
}

describe('offset commits and fetches', () => {
  test('commits from outside group management create an offsets-only group', async () => {
    const fx = await startCoordinator({ numPartitions: 2 });
    try {
      const c = fx.coordinator;
      const result = await commit(c, 'simple', [['orders', 0, offset(42, { metadata: 'hello', leaderEpoch: 3 })], ['orders', 1, offset(7)]]);
      assert.deepEqual(Object.fromEntries(result), { 'orders-0': ErrorCode.NONE, 'orders-1': ErrorCode.NONE });
      const fetched = c.handleFetchOffsets('simple', { requireStable: false, partitions: null });
      assert.equal(fetched.error, ErrorCode.NONE);
      assert.deepEqual(
        fetched.offsets.map((o) => [o.topic, o.partition, o.committedOffset, o.leaderEpoch, o.metadata, o.error]).sort(),
        [
          ['orders', 0, 42, 3, 'hello', 0],
          ['orders', 1, 7, -1, '', 0],
        ],
      );
      const listed = c.handleFetchOffsets('simple', { requireStable: false, partitions: [{ topic: 'orders', partition: 1 }, { topic: 'other', partition: 0 }] });
      assert.deepEqual(listed.offsets.map((o) => o.committedOffset), [7, -1]);
      assert.deepEqual(c.handleFetchOffsets('nobody', { requireStable: false, partitions: [{ topic: 'orders', partition: 0 }] }).offsets.map((o) => o.committedOffset), [-1]);
      assert.deepEqual(c.handleListGroups([], []).groups, [{ groupId: 'simple', protocolType: '', state: 'Empty' }]);

      // Written as Kafka writes them: offset keys v1, values v3 (one batch, the commit's records).
      const records = await offsetsTopicRecords(fx, c.partitionFor('simple'));
      assert.deepEqual(records.map((r) => r.key), [
        { type: 'offset', version: 1, group: 'simple', topic: 'orders', partition: 0 },
        { type: 'offset', version: 1, group: 'simple', topic: 'orders', partition: 1 },
      ]);
      assert.equal(records[0]!.value!.readInt16BE(0), 3);
      assert.equal(readOffsetMessageValue(records[0]!.value)!.committedOffset, 42);
    } finally {
      await fx.close();
    }
  });

  test('member commits are checked against generation and membership', async () => {
    const fx = await startCoordinator({ numPartitions: 1, offsetConfig: { maxMetadataSize: 10 } });
    try {
      const c = fx.coordinator;
      const m = await stableGroup(c, 'members');
      const ok = await commit(c, 'members', [['orders', 0, offset(5)]], { memberId: m.memberId, generationId: 1 });
      assert.deepEqual([...ok.values()], [ErrorCode.NONE]);
      const wrongGen = await commit(c, 'members', [['orders', 0, offset(6)]], { memberId: m.memberId, generationId: 3 });
      assert.deepEqual([...wrongGen.values()], [ErrorCode.ILLEGAL_GENERATION]);
      const stranger = await commit(c, 'members', [['orders', 0, offset(6)]], { memberId: 'x', generationId: 1 });
      assert.deepEqual([...stranger.values()], [ErrorCode.UNKNOWN_MEMBER_ID]);
      const outsider = await commit(c, 'members', [['orders', 0, offset(6)]]);
      assert.deepEqual([...outsider.values()], [ErrorCode.UNKNOWN_MEMBER_ID], 'generation -1 may not commit to a group with members');
      const missing = await commit(c, 'never-joined', [['orders', 0, offset(6)]], { memberId: 'm', generationId: 2 });
      assert.deepEqual([...missing.values()], [ErrorCode.ILLEGAL_GENERATION]);
      const large = await commit(c, 'members', [['orders', 0, offset(6, { metadata: 'x'.repeat(11) })], ['orders', 1, offset(9)]], {
        memberId: m.memberId,
        generationId: 1,
      });
      assert.deepEqual(Object.fromEntries(large), { 'orders-0': ErrorCode.OFFSET_METADATA_TOO_LARGE, 'orders-1': ErrorCode.NONE });
      assert.deepEqual(c.handleFetchOffsets('members', { requireStable: true, partitions: null }).offsets.map((o) => [o.partition, o.committedOffset]).sort(), [[0, 5], [1, 9]]);
    } finally {
      await fx.close();
    }
  });

  test('require_stable: a partition with a commit in flight is UNSTABLE_OFFSET_COMMIT', async () => {
    const fx = await startCoordinator({ numPartitions: 1 });
    try {
      const c = fx.coordinator;
      await commit(c, 'g', [['t', 0, offset(1)]]);
      const pending = commit(c, 'g', [['t', 0, offset(2)]]);
      const during = c.handleFetchOffsets('g', { requireStable: true, partitions: [{ topic: 't', partition: 0 }] }).offsets[0]!;
      assert.equal(during.error, ErrorCode.UNSTABLE_OFFSET_COMMIT);
      assert.equal(c.handleFetchOffsets('g', { requireStable: false, partitions: [{ topic: 't', partition: 0 }] }).offsets[0]!.committedOffset, 1);
      await pending;
      assert.equal(c.handleFetchOffsets('g', { requireStable: true, partitions: [{ topic: 't', partition: 0 }] }).offsets[0]!.committedOffset, 2);
    } finally {
      await fx.close();
    }
  });
});

describe('persistence in __consumer_offsets', () => {
  test('groups and offsets survive a restart', async () => {
    let fx = await startCoordinator({ numPartitions: 3 });
    try {
      const m = await stableGroup(fx.coordinator, 'durable');
      await commit(fx.coordinator, 'durable', [['orders', 0, offset(100)], ['orders', 1, offset(200)]], { memberId: m.memberId, generationId: 1 });
      await commit(fx.coordinator, 'durable', [['orders', 0, offset(150)]], { memberId: m.memberId, generationId: 1 });
      await commit(fx.coordinator, 'offsets-only', [['orders', 0, offset(9)]]);
      fx = await fx.restart();
      const c = fx.coordinator;
      const described = c.handleDescribeGroup('durable');
      assert.equal(described.summary.state, 'Stable');
      assert.equal(described.summary.members[0]!.memberId, m.memberId);
      assert.deepEqual(described.summary.members[0]!.assignment, assignmentOf('orders', [0, 1]));
      assert.deepEqual(c.handleFetchOffsets('durable', { requireStable: false, partitions: null }).offsets.map((o) => [o.partition, o.committedOffset]).sort(), [[0, 150], [1, 200]]);
      assert.deepEqual(c.handleFetchOffsets('offsets-only', { requireStable: false, partitions: null }).offsets.map((o) => o.committedOffset), [9]);
      // The loaded member carries on in its generation.
      assert.equal(c.handleHeartbeat({ groupId: 'durable', memberId: m.memberId, groupInstanceId: null, generationId: 1 }), ErrorCode.NONE);
    } finally {
      await fx.close();
    }
  });

  test('DeleteGroups: only Empty groups; tombstones make the deletion survive a restart', async () => {
    let fx = await startCoordinator({ numPartitions: 1 });
    try {
      let c = fx.coordinator;
      const m = await stableGroup(c, 'doomed');
      await commit(c, 'doomed', [['orders', 0, offset(1)]], { memberId: m.memberId, generationId: 1 });
      assert.deepEqual(Object.fromEntries(await c.handleDeleteGroups(['doomed', 'unknown-group'])), {
        doomed: ErrorCode.NON_EMPTY_GROUP,
        'unknown-group': ErrorCode.GROUP_ID_NOT_FOUND,
      });
      c.handleLeaveGroup('doomed', [{ memberId: m.memberId, groupInstanceId: null, reason: null }]);
      assert.equal(c.handleDescribeGroup('doomed').summary.state, 'Empty');
      assert.deepEqual(Object.fromEntries(await c.handleDeleteGroups(['doomed'])), { doomed: ErrorCode.NONE });
      assert.equal(c.handleFetchOffsets('doomed', { requireStable: false, partitions: [{ topic: 'orders', partition: 0 }] }).offsets[0]!.committedOffset, -1);
      const records = await offsetsTopicRecords(fx, 0);
      const tail = records.slice(-2);
      assert.deepEqual(tail.map((r) => [r.key.type, r.value]), [['offset', null], ['group', null]]);
      fx = await fx.restart();
      c = fx.coordinator;
      assert.equal(c.handleDescribeGroup('doomed').summary.state, 'Dead');
      assert.deepEqual(Object.fromEntries(await c.handleDeleteGroups(['doomed'])), { doomed: ErrorCode.GROUP_ID_NOT_FOUND });
    } finally {
      await fx.close();
    }
  });

  test('OffsetDelete: any partition of an Empty group, only unsubscribed topics of an active consumer group', async () => {
    const fx = await startCoordinator({ numPartitions: 1 });
    try {
      const c = fx.coordinator;
      const m = await stableGroup(c, 'active');
      await commit(c, 'active', [['orders', 0, offset(1)], ['old-topic', 0, offset(2)]], { memberId: m.memberId, generationId: 1 });
      const result = await c.handleDeleteOffsets('active', [{ topic: 'orders', partition: 0 }, { topic: 'old-topic', partition: 0 }]);
      assert.equal(result.error, ErrorCode.NONE);
      assert.deepEqual(Object.fromEntries(result.partitions), { 'orders-0': ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC, 'old-topic-0': ErrorCode.NONE });
      assert.deepEqual(c.handleFetchOffsets('active', { requireStable: false, partitions: null }).offsets.map((o) => o.topic), ['orders']);

      await commit(c, 'idle', [['orders', 0, offset(3)]]);
      const idle = await c.handleDeleteOffsets('idle', [{ topic: 'orders', partition: 0 }]);
      assert.deepEqual(Object.fromEntries(idle.partitions), { 'orders-0': ErrorCode.NONE });
      assert.equal((await c.handleDeleteOffsets('missing', [{ topic: 'orders', partition: 0 }])).error, ErrorCode.GROUP_ID_NOT_FOUND);
    } finally {
      await fx.close();
    }
  });

  test('offsets expire offsets.retention after the group became Empty; the empty group is then deleted', async () => {
    const time = new MockTime({ startMs: Date.now() });
    let fx = await startCoordinator({ numPartitions: 1, time, offsetConfig: { offsetsRetentionMs: 60_000 } });
    try {
      let c = fx.coordinator;
      await commit(c, 'simple', [['orders', 0, offset(1, { commitTimestamp: time.milliseconds() })]]);
      const m = await stableGroup(c, 'consumers');
      await commit(c, 'consumers', [['orders', 0, offset(5)], ['gone', 0, offset(6)]], { memberId: m.memberId, generationId: 1 });
      time.advance(30_000);
      assert.equal(await c.groupManager.cleanupExpiredGroupMetadata(), 0);
      time.advance(31_000);
      // The simple group's offset expired; the consumer group keeps the offsets of topics it consumes
      // and loses the one of a topic it no longer subscribes to.
      assert.equal(await c.groupManager.cleanupExpiredGroupMetadata(), 2);
      assert.equal(c.handleDescribeGroup('simple').summary.state, 'Dead');
      assert.deepEqual(c.handleFetchOffsets('consumers', { requireStable: false, partitions: null }).offsets.map((o) => o.topic), ['orders']);

      c.handleLeaveGroup('consumers', [{ memberId: m.memberId, groupInstanceId: null, reason: null }]);
      time.advance(59_000);
      assert.equal(await c.groupManager.cleanupExpiredGroupMetadata(), 0, 'retention counts from when the group became Empty');
      time.advance(2_000);
      assert.equal(await c.groupManager.cleanupExpiredGroupMetadata(), 1);
      assert.equal(c.handleListGroups([], []).groups.length, 0);
      fx = await fx.restart();
      c = fx.coordinator;
      assert.equal(c.handleListGroups([], []).groups.length, 0, 'tombstones keep them deleted after a reload');
    } finally {
      await fx.close();
    }
  });

  test('offsets of deleted topics are removed from every group', async () => {
    const fx = await startCoordinator({ numPartitions: 2 });
    try {
      const c = fx.coordinator;
      await commit(c, 'a', [['doomed-topic', 0, offset(1)], ['kept', 0, offset(2)]]);
      await commit(c, 'b', [['doomed-topic', 0, offset(3)]]);
      await c.handleDeletedPartitions([{ topic: 'doomed-topic', partition: 0 }]);
      assert.deepEqual(c.handleFetchOffsets('a', { requireStable: false, partitions: null }).offsets.map((o) => o.topic), ['kept']);
      assert.equal(c.handleDescribeGroup('b').summary.state, 'Dead');
    } finally {
      await fx.close();
    }
  });
});

describe('leadership of __consumer_offsets partitions', () => {
  test('loading answers COORDINATOR_LOAD_IN_PROGRESS; resignation unloads and answers parked joins with NOT_COORDINATOR', async () => {
    const fx = await startCoordinator({ numPartitions: 1 });
    try {
      const c = fx.coordinator;
      await commit(c, 'g', [['orders', 0, offset(11)]]);
      const groupId = groupOnPartition(0, 1, 'parked');
      const first = await c.handleJoinGroup(consumerJoin(groupId, { rebalanceTimeoutMs: 60_000 }));
      const member = await c.handleJoinGroup(consumerJoin(groupId, { memberId: first.memberId }));
      await c.handleSyncGroup({
        groupId,
        generationId: 1,
        memberId: member.memberId,
        groupInstanceId: null,
        protocolType: 'consumer',
        protocolName: 'range',
        assignments: new Map([[member.memberId, Buffer.alloc(0)]]),
      });
      // A second member parks its join while the first has not rejoined.
      const newcomer = await c.handleJoinGroup(consumerJoin(groupId));
      const parked = c.handleJoinGroup(consumerJoin(groupId, { memberId: newcomer.memberId }));

      await c.onResignation(0, 1);
      assert.equal((await parked).error, ErrorCode.NOT_COORDINATOR);
      assert.equal(c.validateGroupStatus('g', 'OffsetFetch'), ErrorCode.NOT_COORDINATOR);
      assert.equal(c.handleFetchOffsets('g', { requireStable: false, partitions: null }).error, ErrorCode.NOT_COORDINATOR);

      // An election with an older epoch than the resignation is ignored.
      await c.onElection(0, 0);
      assert.equal(c.validateGroupStatus('g', 'OffsetFetch'), ErrorCode.NOT_COORDINATOR);

      const loading = c.onElection(0, 2);
      assert.equal(c.validateGroupStatus('g', 'OffsetFetch'), ErrorCode.COORDINATOR_LOAD_IN_PROGRESS);
      assert.equal(c.handleHeartbeat({ groupId: 'g', memberId: 'm', groupInstanceId: null, generationId: 1 }), ErrorCode.NONE);
      assert.equal((await c.handleSyncGroup({ groupId: 'g', generationId: 1, memberId: 'm', groupInstanceId: null, protocolType: null, protocolName: null, assignments: new Map() })).error, ErrorCode.REBALANCE_IN_PROGRESS);
      assert.equal(c.handleListGroups([], []).error, ErrorCode.COORDINATOR_LOAD_IN_PROGRESS);
      await loading;
      assert.equal(c.validateGroupStatus('g', 'OffsetFetch'), null);
      assert.equal(c.handleFetchOffsets('g', { requireStable: false, partitions: null }).offsets[0]!.committedOffset, 11);

      // A stale resignation (older epoch) does not unload.
      await c.onLeadershipChange([{ topic: GROUP_METADATA_TOPIC_NAME, partition: 0, leader: 5, leaderEpoch: 1, errorCode: ErrorCode.NONE }]);
      assert.equal(c.validateGroupStatus('g', 'OffsetFetch'), null);
      await c.onLeadershipChange([{ topic: GROUP_METADATA_TOPIC_NAME, partition: 0, leader: 5, leaderEpoch: 3, errorCode: ErrorCode.NONE }]);
      assert.equal(c.validateGroupStatus('g', 'OffsetFetch'), ErrorCode.NOT_COORDINATOR);
      await c.onLeadershipChange([
        { topic: 'other', partition: 0, leader: 0, leaderEpoch: 9, errorCode: ErrorCode.NONE },
        { topic: GROUP_METADATA_TOPIC_NAME, partition: 0, leader: 0, leaderEpoch: 4, errorCode: ErrorCode.NONE },
      ]);
      assert.equal(c.handleFetchOffsets('g', { requireStable: false, partitions: null }).offsets[0]!.committedOffset, 11);
      await c.onStopReplica([{ topic: GROUP_METADATA_TOPIC_NAME, partition: 0, leaderEpoch: -2, deletePartition: true, errorCode: ErrorCode.NONE }]);
      assert.equal(c.validateGroupStatus('g', 'OffsetFetch'), ErrorCode.NOT_COORDINATOR);
    } finally {
      await fx.close();
    }
  });

  test('a stopped coordinator answers COORDINATOR_NOT_AVAILABLE and leaves no timers behind', async () => {
    const fx = await startCoordinator({ numPartitions: 1 });
    const c = fx.coordinator;
    const groupId = groupOnPartition(0, 1, 'stopping');
    const first = await c.handleJoinGroup(consumerJoin(groupId));
    const member = await c.handleJoinGroup(consumerJoin(groupId, { memberId: first.memberId }));
    await c.handleSyncGroup({
      groupId,
      generationId: 1,
      memberId: member.memberId,
      groupInstanceId: null,
      protocolType: 'consumer',
      protocolName: 'range',
      assignments: new Map([[member.memberId, Buffer.alloc(0)]]),
    });
    const newcomer = await c.handleJoinGroup(consumerJoin(groupId));
    void c.handleJoinGroup(consumerJoin(groupId, { memberId: newcomer.memberId }));
    assert.deepEqual(c.delayedOperations, { heartbeat: 2, rebalance: 1 }, 'two sessions and a parked rebalance');
    await fx.coordinator.shutdown();
    assert.deepEqual(c.delayedOperations, { heartbeat: 0, rebalance: 0 });
    assert.equal(fx.coordinator.validateGroupStatus('g', 'JoinGroup'), ErrorCode.COORDINATOR_NOT_AVAILABLE);
    assert.equal(fx.coordinator.handleListGroups([], []).error, ErrorCode.COORDINATOR_NOT_AVAILABLE);
    await fx.close();
  });
});
