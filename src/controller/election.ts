/**
 * Partition leader election strategies of the classic controller (Kafka's Election.scala and
 * PartitionLeaderElectionAlgorithms in PartitionStateMachine.scala, 3.9 behaviour):
 *
 * - offline: the first replica in assignment order that is live and in the ISR; if there is none and unclean
 *   election is allowed (topic config or cluster default), the first live replica, which becomes leader with
 *   ISR = [itself] and, at IBP >= 3.2 (KIP-704), leader recovery state RECOVERING;
 * - reassignment: the first live ISR member of the target replicas;
 * - preferred: the first assigned replica, only if it is live and in the ISR;
 * - controlled shutdown: the first live ISR member that is not shutting down; shutting-down brokers leave the ISR.
 *
 * Every elected leader gets the next leader epoch. Each result also names the replicas that receive the
 * LeaderAndIsr request.
 */
import type { ControllerContext } from './controller-context';
import { LeaderAndIsr, type TopicPartition } from './controller-types';

/** Kafka's ElectionType (KIP-460): what an ElectLeaders request asks for, by its wire value. */
export const ElectionType = {
  PREFERRED: 0,
  UNCLEAN: 1,
} as const;
export type ElectionTypeValue = (typeof ElectionType)[keyof typeof ElectionType];

/** `PREFERRED` / `UNCLEAN`, as Kafka prints an ElectionType. */
export function electionTypeName(type: ElectionTypeValue): string {
  return type === ElectionType.UNCLEAN ? 'UNCLEAN' : 'PREFERRED';
}

export const ElectionStrategy = {
  Offline: 'OfflinePartitionLeaderElectionStrategy',
  Reassign: 'ReassignPartitionLeaderElectionStrategy',
  PreferredReplica: 'PreferredReplicaPartitionLeaderElectionStrategy',
  ControlledShutdown: 'ControlledShutdownPartitionLeaderElectionStrategy',
} as const;

/** How a leader is chosen when a partition moves to OnlinePartition from Online/Offline. */
export type PartitionLeaderElectionStrategy =
  | { readonly kind: typeof ElectionStrategy.Offline; readonly allowUnclean: boolean }
  | { readonly kind: typeof ElectionStrategy.Reassign }
  | { readonly kind: typeof ElectionStrategy.PreferredReplica }
  | { readonly kind: typeof ElectionStrategy.ControlledShutdown };

/** Kafka's toString of a strategy, used in state-change log lines. */
export function describeStrategy(s: PartitionLeaderElectionStrategy): string {
  return s.kind === ElectionStrategy.Offline ? `${s.kind}(${s.allowUnclean})` : s.kind;
}

/** Outcome of one election: the new leader/ISR (undefined: no eligible leader) and the LeaderAndIsr recipients. */
export interface ElectionResult {
  readonly tp: TopicPartition;
  readonly leaderAndIsr: LeaderAndIsr | undefined;
  readonly liveReplicas: number[];
  /** True when the leader was chosen outside the ISR. */
  readonly unclean: boolean;
}

/** What a leader election algorithm looks at: the candidates in order, the ISR and the live replicas. */
export interface ElectionCandidates {
  readonly assignment: readonly number[];
  readonly isr: readonly number[];
  readonly liveReplicas: ReadonlySet<number>;
}

/** First live ISR member in assignment order, else (if allowed) the first live replica. */
export function offlinePartitionLeaderElection(
  c: ElectionCandidates, options: { uncleanLeaderElectionEnabled: boolean },
): { leader: number; unclean: boolean } | undefined {
  const clean = c.assignment.find((id) => c.liveReplicas.has(id) && c.isr.includes(id));
  if (clean !== undefined) return { leader: clean, unclean: false };
  if (!options.uncleanLeaderElectionEnabled) return undefined;
  const unclean = c.assignment.find((id) => c.liveReplicas.has(id));
  return unclean === undefined ? undefined : { leader: unclean, unclean: true };
}

/** First live ISR member of the reassignment's target replicas. */
export function reassignPartitionLeaderElection(c: ElectionCandidates): number | undefined {
  return c.assignment.find((id) => c.liveReplicas.has(id) && c.isr.includes(id));
}

/** The first assigned replica, only if it is live and in the ISR. */
export function preferredReplicaPartitionLeaderElection(c: ElectionCandidates): number | undefined {
  const head = c.assignment[0];
  return head !== undefined && c.liveReplicas.has(head) && c.isr.includes(head) ? head : undefined;
}

/** First live ISR member that is not shutting down. */
export function controlledShutdownPartitionLeaderElection(
  c: ElectionCandidates, options: { shuttingDownBrokers: ReadonlySet<number> },
): number | undefined {
  return c.assignment.find((id) => c.liveReplicas.has(id) && c.isr.includes(id) && !options.shuttingDownBrokers.has(id));
}

/** Offline election; `uncleanAllowed` says, per partition, whether an out-of-ISR leader may be chosen. */
export function leaderForOffline(
  ctx: ControllerContext,
  partitions: ReadonlyArray<{ tp: TopicPartition; leaderAndIsr: LeaderAndIsr; uncleanAllowed: boolean }>,
  opts: { isLeaderRecoverySupported: boolean },
): ElectionResult[] {
  return partitions.map(({ tp, leaderAndIsr, uncleanAllowed }) => {
    const assignment = ctx.partitionReplicaAssignment(tp);
    const liveReplicas = assignment.filter((r) => ctx.isReplicaOnline(r, tp));
    const elected = offlinePartitionLeaderElection({ assignment, isr: leaderAndIsr.isr, liveReplicas: new Set(liveReplicas) },
      { uncleanLeaderElectionEnabled: uncleanAllowed });
    let next: LeaderAndIsr | undefined;
    if (elected !== undefined) {
      const { leader } = elected;
      const newIsr = leaderAndIsr.isr.includes(leader)
        ? leaderAndIsr.isr.filter((r) => ctx.isReplicaOnline(r, tp))
        : [leader];
      next = !opts.isLeaderRecoverySupported || leaderAndIsr.isr.includes(leader)
        ? leaderAndIsr.newLeaderAndIsr(leader, newIsr)
        : leaderAndIsr.newRecoveringLeaderAndIsr(leader, newIsr);
    }
    return { tp, leaderAndIsr: next, liveReplicas, unclean: elected?.unclean ?? false };
  });
}

/** Reassignment election: a live ISR member of the target replicas becomes leader; the ISR is kept. */
export function leaderForReassign(
  ctx: ControllerContext, partitions: ReadonlyArray<{ tp: TopicPartition; leaderAndIsr: LeaderAndIsr }>,
): ElectionResult[] {
  return partitions.map(({ tp, leaderAndIsr }) => {
    const target = ctx.partitionFullReplicaAssignment(tp)?.targetReplicas ?? [];
    const liveReplicas = target.filter((r) => ctx.isReplicaOnline(r, tp));
    const leader = reassignPartitionLeaderElection({ assignment: target, isr: leaderAndIsr.isr, liveReplicas: new Set(liveReplicas) });
    return {
      tp,
      leaderAndIsr: leader === undefined ? undefined : leaderAndIsr.newLeaderAndIsr(leader, leaderAndIsr.isr),
      liveReplicas,
      unclean: false,
    };
  });
}

/** Preferred election: the first assigned replica, if live and in the ISR; the ISR is kept. */
export function leaderForPreferredReplica(
  ctx: ControllerContext, partitions: ReadonlyArray<{ tp: TopicPartition; leaderAndIsr: LeaderAndIsr }>,
): ElectionResult[] {
  return partitions.map(({ tp, leaderAndIsr }) => {
    const assignment = ctx.partitionReplicaAssignment(tp);
    const liveReplicas = assignment.filter((r) => ctx.isReplicaOnline(r, tp));
    const leader = preferredReplicaPartitionLeaderElection({ assignment, isr: leaderAndIsr.isr, liveReplicas: new Set(liveReplicas) });
    return {
      tp,
      leaderAndIsr: leader === undefined ? undefined : leaderAndIsr.newLeaderAndIsr(leader, leaderAndIsr.isr),
      liveReplicas,
      unclean: false,
    };
  });
}

/** Controlled-shutdown election: leadership moves off shutting-down brokers, which also leave the ISR. */
export function leaderForControlledShutdown(
  ctx: ControllerContext, partitions: ReadonlyArray<{ tp: TopicPartition; leaderAndIsr: LeaderAndIsr }>,
): ElectionResult[] {
  const shuttingDown = ctx.shuttingDownBrokerIds;
  return partitions.map(({ tp, leaderAndIsr }) => {
    const assignment = ctx.partitionReplicaAssignment(tp);
    const liveOrShuttingDown = assignment.filter((r) => ctx.isReplicaOnline(r, tp, { includeShuttingDownBrokers: true }));
    const leader = controlledShutdownPartitionLeaderElection(
      { assignment, isr: leaderAndIsr.isr, liveReplicas: new Set(liveOrShuttingDown) }, { shuttingDownBrokers: shuttingDown },
    );
    const newIsr = leaderAndIsr.isr.filter((r) => !shuttingDown.has(r));
    return {
      tp,
      leaderAndIsr: leader === undefined ? undefined : leaderAndIsr.newLeaderAndIsr(leader, newIsr),
      liveReplicas: liveOrShuttingDown,
      unclean: false,
    };
  });
}
