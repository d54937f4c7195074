/**
 * The classic consumer group state machine (Kafka's GroupState in GroupMetadata.scala), as a table of
 * valid previous states: a transition to state S is legal only from one of S's previous states.
 *
 *   Empty ──join──▶ PreparingRebalance ──all joined / timeout──▶ CompletingRebalance ──leader sync──▶ Stable
 *     ▲                 │   ▲   ▲                                      │                               │
 *     └──no members─────┘   │   └──────── join, leave, member failure ─┘───────────────────────────────┘
 *                           └─ (Stable/CompletingRebalance rebalance)
 *   any state ──partition emigration, deletion, expiry──▶ Dead (final)
 *
 * The names are the ones Kafka prints in DescribeGroups, ListGroups and kafka-consumer-groups.sh.
 */

export const GroupState = {
  /** Rebalance in progress: JoinGroup requests are parked until every known member rejoined. */
  PreparingRebalance: 'PreparingRebalance',
  /** Joined: waiting for the leader's assignment in SyncGroup. */
  CompletingRebalance: 'CompletingRebalance',
  /** Assignment propagated: members heartbeat and commit offsets. */
  Stable: 'Stable',
  /** Final state: the group was unloaded, deleted or expired. */
  Dead: 'Dead',
  /** No members; the group lingers while it has committed offsets (also simple, offset-only groups). */
  Empty: 'Empty',
} as const;

export type GroupState = (typeof GroupState)[keyof typeof GroupState];

/** For each state, the states it may be entered from. */
export const VALID_PREVIOUS_STATES: Readonly<Record<GroupState, readonly GroupState[]>> = {
  PreparingRebalance: [GroupState.Stable, GroupState.CompletingRebalance, GroupState.Empty],
  CompletingRebalance: [GroupState.PreparingRebalance],
  Stable: [GroupState.CompletingRebalance],
  Dead: [GroupState.Stable, GroupState.PreparingRebalance, GroupState.CompletingRebalance, GroupState.Empty, GroupState.Dead],
  Empty: [GroupState.PreparingRebalance],
};

/** True when `to` may follow `from`. */
export function isValidTransition(from: GroupState, to: GroupState): boolean {
  return VALID_PREVIOUS_STATES[to].includes(from);
}

/** The state named `name` ignoring case (ListGroups states filter, v4+), or undefined. */
export function parseGroupState(name: string): GroupState | undefined {
  const lower = name.toLowerCase();
  return (Object.values(GroupState) as GroupState[]).find((s) => s.toLowerCase() === lower);
}
