/**
 * Value types shared by the classic (ZooKeeper-mode) controller: topic partitions, replicas, replica assignments
 * and leader/ISR records, with the sentinel values Kafka 3.9 uses (LeaderAndIsr.NoLeader, LeaderDuringDelete,
 * EpochDuringDelete...) and Scala-style formatting so that controller and state-change log lines read the way
 * a Kafka operator expects them (`t-0`, `List(0, 1)`, `LeaderAndIsr(leader=0, leaderEpoch=0, ...)`).
 */

/** A topic partition as the controller tracks it. */
export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

/** One replica of a partition, i.e. the partition as hosted by one broker. */
export interface PartitionAndReplica {
  readonly topic: string;
  readonly partition: number;
  readonly replica: number;
}

/** Map key of a topic partition: Kafka's `topic-partition` text, unambiguous because the partition is last. */
export function partitionKey(tp: TopicPartition): string {
  return `${tp.topic}-${tp.partition}`;
}

/** Map key of a replica. */
export function replicaKey(r: PartitionAndReplica): string {
  return `${r.topic}-${r.partition}:${r.replica}`;
}

/** Kafka's PartitionAndReplica.toString: `[Topic=t,Partition=0,Replica=1]`. */
export function formatReplica(r: PartitionAndReplica): string {
  return `[Topic=${r.topic},Partition=${r.partition},Replica=${r.replica}]`;
}

/** Scala's `List(1, 2)` rendering, used throughout Kafka's controller logs. */
export function scalaList(items: Iterable<unknown>): string {
  return `List(${[...items].join(', ')})`;
}

/** Scala's `Set(a, b)` rendering. */
export function scalaSet(items: Iterable<unknown>): string {
  return `Set(${[...items].join(', ')})`;
}

/** Scala's `Map(k -> v)` rendering (keys and values printed with String() unless formatters are given). */
export function scalaMap<K, V>(entries: Iterable<[K, V]>, format: { key?: (k: K) => string; value?: (v: V) => string } = {}): string {
  const key = format.key ?? String;
  const value = format.value ?? String;
  const parts: string[] = [];
  for (const [k, v] of entries) parts.push(`${key(k)} -> ${value(v)}`);
  return `Map(${parts.join(', ')})`;
}

/**
 * A partition's replica assignment as stored in /brokers/topics/<t>: the full replica set (RS) and, during a
 * reassignment, the replicas being added (AR) and removed (RR). The first replica is the preferred leader.
 */
export class ReplicaAssignment {
  constructor(
    readonly replicas: readonly number[],
    readonly addingReplicas: readonly number[] = [],
    readonly removingReplicas: readonly number[] = [],
  ) {}

  /** Target replica set of a reassignment (RS - RR); the whole set when none is in progress. */
  get targetReplicas(): number[] {
    return this.replicas.filter((r) => !this.removingReplicas.includes(r));
  }

  /** Original replica set of a reassignment (RS - AR). */
  get originReplicas(): number[] {
    return this.replicas.filter((r) => !this.addingReplicas.includes(r));
  }

  get isBeingReassigned(): boolean {
    return this.addingReplicas.length > 0 || this.removingReplicas.length > 0;
  }

  /**
   * The assignment while moving to `target` (Kafka's ReplicaAssignment.reassignTo): RS = target first, then the
   * original replicas not in it; AR = RS - ORS; RR = RS - target. Reassigning to the original replicas is how a
   * reassignment is cancelled.
   */
  reassignTo(target: readonly number[]): ReplicaAssignment {
    const origin = this.originReplicas;
    const full = [...new Set([...target, ...origin])];
    return new ReplicaAssignment(full, full.filter((r) => !origin.includes(r)), full.filter((r) => !target.includes(r)));
  }

  /** The assignment without one replica (a replica deleted from the state machine). */
  removeReplica(replica: number): ReplicaAssignment {
    return new ReplicaAssignment(
      this.replicas.filter((r) => r !== replica),
      this.addingReplicas.filter((r) => r !== replica),
      this.removingReplicas.filter((r) => r !== replica),
    );
  }

  equals(other: ReplicaAssignment): boolean {
    const same = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((x, i) => x === b[i]);
    return same(this.replicas, other.replicas) && same(this.addingReplicas, other.addingReplicas) &&
      same(this.removingReplicas, other.removingReplicas);
  }

  toString(): string {
    return `ReplicaAssignment(replicas=${this.replicas.join(',')}, addingReplicas=${this.addingReplicas.join(',')}, ` +
      `removingReplicas=${this.removingReplicas.join(',')})`;
  }
}

/** KIP-704 leader recovery state: RECOVERING after an unclean election until the new leader has recovered. */
export const LeaderRecoveryState = {
  RECOVERED: 0,
  RECOVERING: 1,
} as const;
export type LeaderRecoveryStateValue = (typeof LeaderRecoveryState)[keyof typeof LeaderRecoveryState];

/** Sentinels of Kafka's LeaderAndIsr object. */
export const LeaderAndIsrConstants = {
  InitialLeaderEpoch: 0,
  InitialPartitionEpoch: 0,
  NoLeader: -1,
  NoEpoch: -1,
  /** Leader sent in UpdateMetadata for partitions of a topic being deleted. */
  LeaderDuringDelete: -2,
  /** Leader epoch sent in StopReplica for partitions of a topic being deleted. */
  EpochDuringDelete: -2,
} as const;

/**
 * Leader, leader epoch, ISR and partition epoch of a partition. The partition epoch is the dataVersion of the
 * partition's state znode; it becomes the expected version of the next conditional write.
 */
export class LeaderAndIsr {
  constructor(
    readonly leader: number,
    readonly leaderEpoch: number,
    readonly isr: readonly number[],
    readonly leaderRecoveryState: LeaderRecoveryStateValue = LeaderRecoveryState.RECOVERED,
    readonly partitionEpoch: number = LeaderAndIsrConstants.InitialPartitionEpoch,
  ) {}

  /** A brand-new partition's state: leader epoch 0, partition epoch 0. */
  static initial(leader: number, isr: readonly number[]): LeaderAndIsr {
    return new LeaderAndIsr(leader, LeaderAndIsrConstants.InitialLeaderEpoch, isr);
  }

  /** What UpdateMetadata carries for a partition whose topic is being deleted (Kafka's LeaderAndIsr.duringDelete). */
  static duringDelete(isr: readonly number[]): LeaderAndIsr {
    return LeaderAndIsr.initial(LeaderAndIsrConstants.LeaderDuringDelete, isr);
  }

  /** New leader and ISR; every leadership decision of the controller bumps the leader epoch. */
  newLeaderAndIsr(leader: number, isr: readonly number[]): LeaderAndIsr {
    return new LeaderAndIsr(leader, this.leaderEpoch + 1, isr, this.leaderRecoveryState, this.partitionEpoch);
  }

  /** A leader chosen by unclean election: its log may miss records, so it starts RECOVERING (IBP >= 3.2). */
  newRecoveringLeaderAndIsr(leader: number, isr: readonly number[]): LeaderAndIsr {
    return new LeaderAndIsr(leader, this.leaderEpoch + 1, isr, LeaderRecoveryState.RECOVERING, this.partitionEpoch);
  }

  /** Same leader and ISR with the next leader epoch. */
  newEpoch(): LeaderAndIsr {
    return this.newLeaderAndIsr(this.leader, this.isr);
  }

  /** The state after a successful conditional write produced a new znode dataVersion. */
  withPartitionEpoch(partitionEpoch: number): LeaderAndIsr {
    return new LeaderAndIsr(this.leader, this.leaderEpoch, this.isr, this.leaderRecoveryState, partitionEpoch);
  }

  toString(): string {
    const recovery = this.leaderRecoveryState === LeaderRecoveryState.RECOVERING ? 'RECOVERING' : 'RECOVERED';
    return `LeaderAndIsr(leader=${this.leader}, leaderEpoch=${this.leaderEpoch}, isr=${scalaList(this.isr)}, ` +
      `leaderRecoveryState=${recovery}, partitionEpoch=${this.partitionEpoch})`;
  }
}

/** A partition's leader/ISR together with the epoch of the controller that made the last leadership decision. */
export class LeaderIsrAndControllerEpoch {
  constructor(readonly leaderAndIsr: LeaderAndIsr, readonly controllerEpoch: number) {}

  toString(): string {
    const l = this.leaderAndIsr;
    return `(Leader:${l.leader},ISR:${l.isr.join(',')},LeaderRecoveryState:${
      l.leaderRecoveryState === LeaderRecoveryState.RECOVERING ? 'RECOVERING' : 'RECOVERED'
    },LeaderEpoch:${l.leaderEpoch},ControllerEpoch:${this.controllerEpoch})`;
  }
}

/** One advertised endpoint of a broker, parsed from the `endpoints` of its /brokers/ids/<id> znode. */
export interface BrokerEndPoint {
  readonly listenerName: string;
  readonly host: string;
  readonly port: number;
  readonly securityProtocol: string;
}

/** What the controller knows about a live broker. `epoch` is the czxid of its registration znode. */
export interface ControllerBroker {
  readonly id: number;
  readonly endPoints: readonly BrokerEndPoint[];
  readonly rack: string | null;
  readonly epoch: number;
}

/** Kafka's SecurityProtocol ids, sent in UpdateMetadata endpoints. */
export const SecurityProtocolId: Readonly<Record<string, number>> = {
  PLAINTEXT: 0,
  SSL: 1,
  SASL_PLAINTEXT: 2,
  SASL_SSL: 3,
};
