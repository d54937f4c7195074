// Group membership against a real coordinator (real logs in a temp dir): KIP-394 joins, rebalances
// with several members, the initial rebalance delay, session and rebalance timeouts, SyncGroup,
// LeaveGroup (also by group instance id), static membership (KIP-345, KIP-814) and the error codes of
// JoinGroup.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorCode } from '../../src/protocol';
import { decodeAssignment } from '../../src/coordinator/group/consumer-protocol';
import type { JoinGroupResult } from '../../src/coordinator/group/member-metadata';
import type { GroupCoordinator } from '../../src/coordinator/group/group-coordinator';
import {
  assignmentOf,
  consumerJoin,
  groupOnPartition,
  sleep,
  startCoordinator,
  waitFor,
  type CoordinatorFixture,
} from './coordinator-harness';

/** Joins as a new dynamic member: first join (MEMBER_ID_REQUIRED), then again with the id. */
async function joinNew(c: GroupCoordinator, groupId: string, overrides: Parameters<typeof consumerJoin>[1] = {}): Promise<JoinGroupResult> {
  const first = await c.handleJoinGroup(consumerJoin(groupId, overrides));
  assert.equal(first.error, ErrorCode.MEMBER_ID_REQUIRED);
  return c.handleJoinGroup(consumerJoin(groupId, { ...overrides, memberId: first.memberId }));
}

function sync(c: GroupCoordinator, groupId: string, join: JoinGroupResult, assignments: [string, Buffer][] = []) {
  return c.handleSyncGroup({
    groupId,
    generationId: join.generationId,
    memberId: join.memberId,
    groupInstanceId: null,
    protocolType: 'consumer',
    protocolName: 'range',
    assignments: new Map(assignments),
  });
}

function heartbeat(c: GroupCoordinator, groupId: string, memberId: string, generationId: number, groupInstanceId: string | null = null) {
  return c.handleHeartbeat({ groupId, memberId, generationId, groupInstanceId });
}

describe('group membership', () => {
  let fx: CoordinatorFixture;
  let c: GroupCoordinator;
  before(async () => {
    fx = await startCoordinator({ numPartitions: 3, ledPartitions: [0, 1] });
    c = fx.coordinator;
  });
  after(() => fx.close());

  test('a new member gets MEMBER_ID_REQUIRED, then joins as leader of generation 1 and syncs its assignment', async () => {
    const groupId = groupOnPartition(0, 3, 'single');
    const first = await c.handleJoinGroup(consumerJoin(groupId));
    assert.equal(first.error, ErrorCode.MEMBER_ID_REQUIRED);
    assert.match(first.memberId, /^consumer-1-[0-9a-f-]{36}$/);
    assert.equal(first.generationId, -1);
    const joined = await c.handleJoinGroup(consumerJoin(groupId, { memberId: first.memberId }));
    assert.equal(joined.error, ErrorCode.NONE);
    assert.equal(joined.memberId, first.memberId);
    assert.equal(joined.generationId, 1);
    assert.equal(joined.leaderId, joined.memberId);
    assert.equal(joined.protocolType, 'consumer');
    assert.equal(joined.protocolName, 'range');
    assert.deepEqual(joined.members.map((m) => m.memberId), [joined.memberId]);
    const synced = await sync(c, groupId, joined, [[joined.memberId, assignmentOf('orders', [0, 1])]]);
    assert.equal(synced.error, ErrorCode.NONE);
    assert.deepEqual(decodeAssignment(synced.assignment)?.assignedPartitions, [{ topic: 'orders', partitions: [0, 1] }]);
    const described = c.handleDescribeGroup(groupId);
    assert.equal(described.summary.state, 'Stable');
    assert.equal(described.summary.protocol, 'range');
    assert.equal(described.summary.members[0]!.clientHost, '/127.0.0.1');
    assert.equal(heartbeat(c, groupId, joined.memberId, 1), ErrorCode.NONE);
    assert.equal(heartbeat(c, groupId, joined.memberId, 0), ErrorCode.ILLEGAL_GENERATION);
    assert.equal(heartbeat(c, groupId, 'nobody', 1), ErrorCode.UNKNOWN_MEMBER_ID);
  });

  test('a second member triggers a rebalance; both rejoin into generation 2 and get their own assignment', async () => {
    const groupId = groupOnPartition(1, 3, 'pair');
    const a1 = await joinNew(c, groupId, { clientId: 'a' });
    assert.equal((await sync(c, groupId, a1, [[a1.memberId, assignmentOf('orders', [0, 1])]])).error, ErrorCode.NONE);

    const bPending = joinNew(c, groupId, { clientId: 'b' });
    await waitFor(() => c.handleDescribeGroup(groupId).summary.state === 'PreparingRebalance', 2000, 'rebalance');
    assert.equal(heartbeat(c, groupId, a1.memberId, 1), ErrorCode.REBALANCE_IN_PROGRESS);
    // Commits stay allowed while the rebalance is being prepared.
    const commit = await c.handleCommitOffsets({
      groupId,
      memberId: a1.memberId,
      groupInstanceId: null,
      generationId: 1,
      offsets: [{ topic: 'orders', partition: 0, offset: { committedOffset: 3, leaderEpoch: -1, metadata: '', commitTimestamp: Date.now(), expireTimestamp: null } }],
    });
    assert.deepEqual([...commit.values()], [ErrorCode.NONE]);

    const a2 = await c.handleJoinGroup(consumerJoin(groupId, { clientId: 'a', memberId: a1.memberId }));
    const b = await bPending;
    for (const r of [a2, b]) {
      assert.equal(r.error, ErrorCode.NONE);
      assert.equal(r.generationId, 2);
      assert.equal(r.leaderId, a1.memberId);
    }
    assert.equal(a2.members.length, 2, 'the leader gets every member');
    assert.equal(b.members.length, 0, 'followers get none');

    // The follower syncs first and waits for the leader's assignment.
    const bSync = sync(c, groupId, b);
    const aSync = await sync(c, groupId, a2, [
      [a2.memberId, assignmentOf('orders', [0])],
      [b.memberId, assignmentOf('orders', [1])],
    ]);
    assert.deepEqual(decodeAssignment(aSync.assignment)?.assignedPartitions, [{ topic: 'orders', partitions: [0] }]);
    assert.deepEqual(decodeAssignment((await bSync).assignment)?.assignedPartitions, [{ topic: 'orders', partitions: [1] }]);
    assert.equal(c.handleDescribeGroup(groupId).summary.members.length, 2);

    // Leaving rebalances again; the remaining member rejoins alone.
    const left = c.handleLeaveGroup(groupId, [{ memberId: b.memberId, groupInstanceId: null, reason: 'done' }]);
    assert.deepEqual(left, { error: ErrorCode.NONE, members: [{ memberId: b.memberId, groupInstanceId: null, error: ErrorCode.NONE }] });
    assert.equal(heartbeat(c, groupId, a2.memberId, 2), ErrorCode.REBALANCE_IN_PROGRESS);
    const a3 = await c.handleJoinGroup(consumerJoin(groupId, { clientId: 'a', memberId: a1.memberId }));
    assert.equal(a3.generationId, 3);
    assert.equal(a3.members.length, 1);
  });

  test('a member whose session expires is removed and the group becomes Empty', async () => {
    const groupId = groupOnPartition(0, 3, 'expiring');
    const j = await joinNew(c, groupId, { sessionTimeoutMs: 100 });
    await sync(c, groupId, j, [[j.memberId, assignmentOf('orders', [0])]]);
    assert.equal(heartbeat(c, groupId, j.memberId, 1), ErrorCode.NONE);
    await sleep(60);
    assert.equal(heartbeat(c, groupId, j.memberId, 1), ErrorCode.NONE, 'heartbeats keep the session alive');
    await waitFor(() => c.handleDescribeGroup(groupId).summary.state === 'Empty', 3000, 'session expiry');
    assert.equal(c.handleDescribeGroup(groupId).summary.members.length, 0);
    assert.equal(heartbeat(c, groupId, j.memberId, 1), ErrorCode.UNKNOWN_MEMBER_ID);
  });

  test('a member that does not rejoin within the rebalance timeout is dropped', async () => {
    const groupId = groupOnPartition(1, 3, 'slow');
    const a = await joinNew(c, groupId, { clientId: 'a', rebalanceTimeoutMs: 300 });
    await sync(c, groupId, a, [[a.memberId, assignmentOf('orders', [0])]]);
    const started = Date.now();
    const b = await joinNew(c, groupId, { clientId: 'b', rebalanceTimeoutMs: 300 });
    assert.ok(Date.now() - started >= 250, 'the join waited for the rebalance timeout');
    assert.equal(b.generationId, 2);
    assert.equal(b.leaderId, b.memberId, 'the member that rejoined leads');
    assert.deepEqual(b.members.map((m) => m.memberId), [b.memberId]);
    assert.equal(heartbeat(c, groupId, a.memberId, 1), ErrorCode.UNKNOWN_MEMBER_ID);
  });

  test('members that do not send SyncGroup within the rebalance timeout are removed', async () => {
    const groupId = groupOnPartition(0, 3, 'nosync');
    const j = await joinNew(c, groupId, { rebalanceTimeoutMs: 150 });
    assert.equal(j.generationId, 1);
    await waitFor(() => c.handleDescribeGroup(groupId).summary.state === 'Empty', 3000, 'sync expiry');
    assert.equal(heartbeat(c, groupId, j.memberId, 1), ErrorCode.UNKNOWN_MEMBER_ID);
  });

  test('the initial rebalance delay collects members joining together into one generation', async () => {
    const fx2 = await startCoordinator({ numPartitions: 1, groupConfig: { groupInitialRebalanceDelayMs: 200 } });
    try {
      const c2 = fx2.coordinator;
      const started = Date.now();
      const a = joinNew(c2, 'delayed', { clientId: 'a' });
      await sleep(50);
      const b = joinNew(c2, 'delayed', { clientId: 'b' });
      const [ra, rb] = await Promise.all([a, b]);
      assert.ok(Date.now() - started >= 200);
      assert.equal(ra.generationId, 1);
      assert.equal(rb.generationId, 1);
      assert.equal(ra.members.length + rb.members.length, 2);
    } finally {
      await fx2.close();
    }
  });

  test('static members rejoin without a rebalance; the old member id is fenced', async () => {
    const groupId = groupOnPartition(1, 3, 'static');
    const join = (memberId: string, extra: Parameters<typeof consumerJoin>[1] = {}) =>
      c.handleJoinGroup(consumerJoin(groupId, { memberId, groupInstanceId: 'instance-1', requireKnownMemberId: false, ...extra }));
    const first = await join('');
    assert.equal(first.error, ErrorCode.NONE, 'static members need no member id round trip');
    assert.match(first.memberId, /^instance-1-/);
    await c.handleSyncGroup({
      groupId,
      generationId: 1,
      memberId: first.memberId,
      groupInstanceId: 'instance-1',
      protocolType: 'consumer',
      protocolName: 'range',
      assignments: new Map([[first.memberId, assignmentOf('orders', [0, 1, 2])]]),
    });

    // The process restarts: it joins again with the same instance id and no member id.
    const again = await join('');
    assert.equal(again.error, ErrorCode.NONE);
    assert.notEqual(again.memberId, first.memberId);
    assert.equal(again.generationId, 1, 'no new generation');
    assert.equal(again.leaderId, first.memberId, 'before v9 the old leader id comes back, so no assignment runs');
    assert.equal(c.handleDescribeGroup(groupId).summary.state, 'Stable');
    assert.equal(heartbeat(c, groupId, first.memberId, 1, 'instance-1'), ErrorCode.FENCED_INSTANCE_ID);
    assert.equal(heartbeat(c, groupId, again.memberId, 1, 'instance-1'), ErrorCode.NONE);
    const synced = await c.handleSyncGroup({
      groupId,
      generationId: 1,
      memberId: again.memberId,
      groupInstanceId: 'instance-1',
      protocolType: 'consumer',
      protocolName: 'range',
      assignments: new Map(),
    });
    assert.deepEqual(decodeAssignment(synced.assignment)?.assignedPartitions, [{ topic: 'orders', partitions: [0, 1, 2] }]);

    // v9 (KIP-814): the static leader is told it leads, and to skip the assignment.
    const v9 = await join('', { supportSkippingAssignment: true });
    assert.equal(v9.skipAssignment, true);
    assert.equal(v9.leaderId, v9.memberId);
    assert.equal(v9.members.length, 1);
    assert.equal(v9.generationId, 1);

    // Administrative removal by group instance id (LeaveGroup v3+).
    const removed = c.handleLeaveGroup(groupId, [
      { memberId: '', groupInstanceId: 'instance-1', reason: null },
      { memberId: '', groupInstanceId: 'instance-unknown', reason: null },
    ]);
    assert.deepEqual(removed.members.map((m) => m.error), [ErrorCode.NONE, ErrorCode.UNKNOWN_MEMBER_ID]);
    assert.equal(c.handleDescribeGroup(groupId).summary.state, 'Empty');
  });

  test('JoinGroup errors: session timeout bounds, protocols, group id, unknown member, coordinator, group size', async () => {
    const groupId = groupOnPartition(0, 3, 'errors');
    assert.equal((await c.handleJoinGroup(consumerJoin(groupId, { sessionTimeoutMs: 10 }))).error, ErrorCode.INVALID_SESSION_TIMEOUT);
    assert.equal((await c.handleJoinGroup(consumerJoin(groupId, { sessionTimeoutMs: 70_000 }))).error, ErrorCode.INVALID_SESSION_TIMEOUT);
    assert.equal((await c.handleJoinGroup(consumerJoin(groupId, { protocols: [] }))).error, ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    assert.equal((await c.handleJoinGroup(consumerJoin(groupId, { protocolType: '' }))).error, ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    assert.equal((await c.handleJoinGroup(consumerJoin(''))).error, ErrorCode.INVALID_GROUP_ID);
    assert.equal((await c.handleJoinGroup(consumerJoin(groupOnPartition(0, 3, 'ghost'), { memberId: 'm-1' }))).error, ErrorCode.UNKNOWN_MEMBER_ID);
    assert.equal((await c.handleJoinGroup(consumerJoin(groupOnPartition(2, 3, 'elsewhere')))).error, ErrorCode.NOT_COORDINATOR);

    const member = await joinNew(c, groupId);
    await sync(c, groupId, member, [[member.memberId, assignmentOf('orders', [0])]]);
    const other = await c.handleJoinGroup(consumerJoin(groupId, { protocolType: 'connect', protocols: [{ name: 'default', metadata: Buffer.alloc(0) }] }));
    assert.equal(other.error, ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    const roundrobinOnly = await c.handleJoinGroup(consumerJoin(groupId, { protocols: [{ name: 'roundrobin', metadata: Buffer.alloc(0) }] }));
    assert.equal(roundrobinOnly.error, ErrorCode.INCONSISTENT_GROUP_PROTOCOL, 'no protocol in common with the members');

    const fx2 = await startCoordinator({ numPartitions: 1, groupConfig: { groupMaxSize: 1 } });
    try {
      const only = await joinNew(fx2.coordinator, 'small');
      assert.equal(only.error, ErrorCode.NONE);
      await sync(fx2.coordinator, 'small', only, [[only.memberId, Buffer.alloc(0)]]);
      const extra = await fx2.coordinator.handleJoinGroup(consumerJoin('small'));
      assert.equal(extra.error, ErrorCode.GROUP_MAX_SIZE_REACHED);
      assert.equal(extra.memberId, '');
    } finally {
      await fx2.close();
    }
  });

  test('SyncGroup checks generation, member, protocol type and name', async () => {
    const groupId = groupOnPartition(1, 3, 'syncerrs');
    const j = await joinNew(c, groupId);
    const base = { groupId, generationId: 1, memberId: j.memberId, groupInstanceId: null, protocolType: 'consumer', protocolName: 'range', assignments: new Map() };
    assert.equal((await c.handleSyncGroup({ ...base, generationId: 7 })).error, ErrorCode.ILLEGAL_GENERATION);
    assert.equal((await c.handleSyncGroup({ ...base, memberId: 'x' })).error, ErrorCode.UNKNOWN_MEMBER_ID);
    assert.equal((await c.handleSyncGroup({ ...base, protocolType: 'connect' })).error, ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    assert.equal((await c.handleSyncGroup({ ...base, protocolName: 'roundrobin' })).error, ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    assert.equal((await c.handleSyncGroup({ ...base, groupId: groupOnPartition(1, 3, 'nogroup') })).error, ErrorCode.UNKNOWN_MEMBER_ID);
    const ok = await c.handleSyncGroup({ ...base, protocolType: null, protocolName: null });
    assert.equal(ok.error, ErrorCode.NONE);
    assert.equal(ok.assignment.length, 0, 'a member the leader left out gets an empty assignment');
  });

  test('ListGroups filters by state and type; DescribeGroups of an unknown group is Dead', async () => {
    const listed = c.handleListGroups([], []);
    assert.equal(listed.error, ErrorCode.NONE);
    assert.ok(listed.groups.length >= 5);
    const stable = c.handleListGroups(['stable'], []);
    assert.ok(stable.groups.length >= 1);
    assert.ok(stable.groups.every((g) => g.state === 'Stable'));
    assert.equal(c.handleListGroups([], ['consumer']).groups.length, 0, 'only classic groups exist');
    assert.equal(c.handleListGroups([], ['Classic']).groups.length, listed.groups.length);
    assert.deepEqual(c.handleDescribeGroup(groupOnPartition(0, 3, 'unknown')), {
      error: ErrorCode.NONE,
      summary: { state: 'Dead', protocolType: '', protocol: '', members: [] },
    });
    assert.equal(c.handleDescribeGroup(groupOnPartition(2, 3, 'unknown')).error, ErrorCode.NOT_COORDINATOR);
  });
});
