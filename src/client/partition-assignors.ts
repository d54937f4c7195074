/**
 * The group leader's partition assignors, as Kafka's consumer implements them (both EAGER: every member
 * gives up its partitions before a rebalance):
 *
 * - `range` (RangeAssignor): per topic, the subscribed members in order and the partitions in order;
 *   each member gets a contiguous range, the first `partitions % members` members one extra.
 * - `roundrobin` (RoundRobinAssignor): all partitions of all subscribed topics (topics sorted by name,
 *   partitions by index) dealt out one at a time to the members in order, skipping members not
 *   subscribed to the partition's topic.
 *
 * Members are ordered as Kafka's AbstractPartitionAssignor.MemberInfo: static members (group.instance.id)
 * first, by instance id, then dynamic members by member id. Rack-aware assignment (KIP-881) only changes
 * the result when members and partitions carry racks; this client does not send client.rack.
 */

import type { TopicPartition } from './simple-consumer';

/** A member's subscription as the leader sees it. */
export interface MemberSubscription {
  memberId: string;
  groupInstanceId: string | null;
  topics: readonly string[];
}

/** Kafka's ConsumerPartitionAssignor: computes every member's partitions from the subscriptions. */
export interface PartitionAssignor {
  /** The protocol name advertised in JoinGroup. */
  readonly name: string;
  /**
   * Assigns the partitions of the topics in `partitionsPerTopic` (topic → partition count; subscribed
   * topics missing from it are skipped) to the members; every member appears in the result.
   */
  assign(partitionsPerTopic: ReadonlyMap<string, number>, members: readonly MemberSubscription[]): Map<string, TopicPartition[]>;
}

/** Kafka's MemberInfo order: static members by group.instance.id, then dynamic members by member id. */
export function compareMembers(a: MemberSubscription, b: MemberSubscription): number {
  if (a.groupInstanceId !== null && b.groupInstanceId !== null) return compareStrings(a.groupInstanceId, b.groupInstanceId);
  if (a.groupInstanceId !== null) return -1;
  if (b.groupInstanceId !== null) return 1;
  return compareStrings(a.memberId, b.memberId);
}

/** Java's String.compareTo (UTF-16 code units), which is also JavaScript's `<` on strings. */
function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function emptyAssignment(members: readonly MemberSubscription[]): Map<string, TopicPartition[]> {
  return new Map(members.map((m) => [m.memberId, [] as TopicPartition[]]));
}

/** Kafka's RangeAssignor. */
export class RangeAssignor implements PartitionAssignor {
  readonly name = 'range';

  assign(partitionsPerTopic: ReadonlyMap<string, number>, members: readonly MemberSubscription[]): Map<string, TopicPartition[]> {
    const out = emptyAssignment(members);
    const consumersPerTopic = new Map<string, MemberSubscription[]>();
    for (const m of members) {
      for (const topic of new Set(m.topics)) {
        const list = consumersPerTopic.get(topic) ?? [];
        list.push(m);
        consumersPerTopic.set(topic, list);
      }
    }
    for (const [topic, consumers] of consumersPerTopic) {
      const count = partitionsPerTopic.get(topic);
      if (count === undefined) continue;
      consumers.sort(compareMembers);
      const perConsumer = Math.floor(count / consumers.length);
      const withExtra = count % consumers.length;
      consumers.forEach((m, i) => {
        const start = perConsumer * i + Math.min(i, withExtra);
        const length = perConsumer + (i < withExtra ? 1 : 0);
        const list = out.get(m.memberId)!;
        for (let p = start; p < start + length; p++) list.push({ topic, partition: p });
      });
    }
    return out;
  }
}

/** Kafka's RoundRobinAssignor. */
export class RoundRobinAssignor implements PartitionAssignor {
  readonly name = 'roundrobin';

  assign(partitionsPerTopic: ReadonlyMap<string, number>, members: readonly MemberSubscription[]): Map<string, TopicPartition[]> {
    const out = emptyAssignment(members);
    const ordered = [...members].sort(compareMembers);
    if (ordered.length === 0) return out;
    const subscribed = new Map(ordered.map((m) => [m.memberId, new Set(m.topics)]));
    const topics = [...new Set(ordered.flatMap((m) => m.topics))].sort(compareStrings);
    let next = 0;
    for (const topic of topics) {
      const count = partitionsPerTopic.get(topic);
      if (count === undefined) continue;
      for (let partition = 0; partition < count; partition++) {
        // Some member subscribes to every topic in the list, so this stops.
        while (!subscribed.get(ordered[next]!.memberId)!.has(topic)) next = (next + 1) % ordered.length;
        out.get(ordered[next]!.memberId)!.push({ topic, partition });
        next = (next + 1) % ordered.length;
      }
    }
    return out;
  }
}

/** The assignors the client knows, by protocol name. */
export const PARTITION_ASSIGNORS: Readonly<Record<string, () => PartitionAssignor>> = {
  range: () => new RangeAssignor(),
  roundrobin: () => new RoundRobinAssignor(),
};

/** The strategies advertised by default, in order of preference: range, then roundrobin. */
export function defaultAssignors(): PartitionAssignor[] {
  return [new RangeAssignor(), new RoundRobinAssignor()];
}
