import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ControllerContext } from '../../src/controller/controller-context';
import { LeaderAndIsr, LeaderRecoveryState, ReplicaAssignment } from '../../src/controller/controller-types';
import {
  controlledShutdownPartitionLeaderElection,
  leaderForControlledShutdown,
  leaderForOffline,
  leaderForPreferredReplica,
  leaderForReassign,
  offlinePartitionLeaderElection,
  preferredReplicaPartitionLeaderElection,
  reassignPartitionLeaderElection,
} from '../../src/controller/election';

const live = (...ids: number[]) => new Set(ids);

describe('leader election algorithms (Kafka\'s PartitionLeaderElectionAlgorithms)', () => {
  it('offline: first live ISR member in assignment order; unclean only when allowed', () => {
    const c = { assignment: [3, 1, 2], isr: [2, 1], liveReplicas: live(1, 2, 3) };
    assert.deepEqual(offlinePartitionLeaderElection(c, { uncleanLeaderElectionEnabled: false }), { leader: 1, unclean: false });
    const noLiveIsr = { assignment: [3, 1, 2], isr: [1], liveReplicas: live(2, 3) };
    assert.equal(offlinePartitionLeaderElection(noLiveIsr, { uncleanLeaderElectionEnabled: false }), undefined);
    assert.deepEqual(offlinePartitionLeaderElection(noLiveIsr, { uncleanLeaderElectionEnabled: true }), { leader: 3, unclean: true });
    assert.equal(offlinePartitionLeaderElection({ ...noLiveIsr, liveReplicas: live() }, { uncleanLeaderElectionEnabled: true }), undefined);
  });

  it('reassignment, preferred and controlled shutdown', () => {
    assert.equal(reassignPartitionLeaderElection({ assignment: [4, 5], isr: [1, 5], liveReplicas: live(1, 4, 5) }), 5);
    assert.equal(preferredReplicaPartitionLeaderElection({ assignment: [1, 2], isr: [2, 1], liveReplicas: live(1, 2) }), 1);
    assert.equal(preferredReplicaPartitionLeaderElection({ assignment: [1, 2], isr: [2], liveReplicas: live(1, 2) }), undefined);
    assert.equal(preferredReplicaPartitionLeaderElection({ assignment: [1, 2], isr: [1, 2], liveReplicas: live(2) }), undefined);
    assert.equal(controlledShutdownPartitionLeaderElection({ assignment: [1, 2, 3], isr: [1, 2, 3], liveReplicas: live(1, 2, 3) },
      { shuttingDownBrokers: live(1) }), 2);
  });

  it('leaderForOffline bumps the leader epoch, shrinks the ISR to live members, and marks unclean leaders RECOVERING', () => {
    const ctx = new ControllerContext();
    ctx.setLiveBrokers([2, 3].map((id) => ({ id, endPoints: [], rack: null, epoch: id })));
    const tp = { topic: 't', partition: 0 };
    ctx.updatePartitionFullReplicaAssignment(tp, new ReplicaAssignment([1, 2, 3]));
    const current = new LeaderAndIsr(1, 7, [1, 2], LeaderRecoveryState.RECOVERED, 12);
    const [clean] = leaderForOffline(ctx, [{ tp, leaderAndIsr: current, uncleanAllowed: false }], { isLeaderRecoverySupported: true });
    assert.deepEqual([clean!.leaderAndIsr?.leader, clean!.leaderAndIsr?.leaderEpoch, clean!.leaderAndIsr?.isr,
      clean!.leaderAndIsr?.leaderRecoveryState, clean!.leaderAndIsr?.partitionEpoch, clean!.liveReplicas, clean!.unclean],
    [2, 8, [2], LeaderRecoveryState.RECOVERED, 12, [2, 3], false]);

    const deadIsr = new LeaderAndIsr(1, 7, [1], LeaderRecoveryState.RECOVERED, 12);
    const [none] = leaderForOffline(ctx, [{ tp, leaderAndIsr: deadIsr, uncleanAllowed: false }], { isLeaderRecoverySupported: true });
    assert.equal(none!.leaderAndIsr, undefined);
    const [unclean] = leaderForOffline(ctx, [{ tp, leaderAndIsr: deadIsr, uncleanAllowed: true }], { isLeaderRecoverySupported: true });
    assert.deepEqual([unclean!.leaderAndIsr?.leader, unclean!.leaderAndIsr?.isr, unclean!.leaderAndIsr?.leaderRecoveryState, unclean!.unclean],
      [2, [2], LeaderRecoveryState.RECOVERING, true]);
    const [old] = leaderForOffline(ctx, [{ tp, leaderAndIsr: deadIsr, uncleanAllowed: true }], { isLeaderRecoverySupported: false });
    assert.equal(old!.leaderAndIsr?.leaderRecoveryState, LeaderRecoveryState.RECOVERED, 'IBP < 3.2 has no RECOVERING state');
  });

  it('preferred, reassignment and controlled-shutdown elections on the context', () => {
    const ctx = new ControllerContext();
    ctx.setLiveBrokers([1, 2, 3, 4].map((id) => ({ id, endPoints: [], rack: null, epoch: id })));
    const tp = { topic: 't', partition: 0 };
    ctx.updatePartitionFullReplicaAssignment(tp, new ReplicaAssignment([1, 2, 4, 3], [4], [3]));
    const current = new LeaderAndIsr(2, 3, [2, 1, 3], LeaderRecoveryState.RECOVERED, 5);
    const [pref] = leaderForPreferredReplica(ctx, [{ tp, leaderAndIsr: current }]);
    assert.deepEqual([pref!.leaderAndIsr?.leader, pref!.leaderAndIsr?.leaderEpoch, pref!.leaderAndIsr?.isr], [1, 4, [2, 1, 3]]);
    const [reassign] = leaderForReassign(ctx, [{ tp, leaderAndIsr: new LeaderAndIsr(3, 3, [3, 4, 2], 0, 5) }]);
    assert.deepEqual([reassign!.leaderAndIsr?.leader, reassign!.liveReplicas], [2, [1, 2, 4]], 'first live ISR member of RS - RR');
    ctx.shuttingDownBrokerIds.add(2);
    const [cs] = leaderForControlledShutdown(ctx, [{ tp, leaderAndIsr: current }]);
    assert.deepEqual([cs!.leaderAndIsr?.leader, cs!.leaderAndIsr?.isr, cs!.liveReplicas], [1, [1, 3], [1, 2, 4, 3]]);
  });
});
