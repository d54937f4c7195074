/**
 * The values the ZooKeeper layer reads and writes, named as in Kafka (kafka.cluster.Broker/EndPoint,
 * kafka.controller.ReplicaAssignment, LeaderAndIsr, LeaderIsrAndControllerEpoch). Plain data: the znode
 * modules encode and decode them, the domain layer moves them in and out of ZooKeeper.
 */

/** A topic partition. */
export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

/** Security protocols of listeners (org.apache.kafka.common.security.auth.SecurityProtocol). */
export const SecurityProtocol = {
  PLAINTEXT: 'PLAINTEXT',
  SSL: 'SSL',
  SASL_PLAINTEXT: 'SASL_PLAINTEXT',
  SASL_SSL: 'SASL_SSL',
} as const;
export type SecurityProtocol = (typeof SecurityProtocol)[keyof typeof SecurityProtocol];

/** An advertised listener: `listenerName://host:port` speaking `securityProtocol`. */
export interface EndPoint {
  readonly listenerName: string;
  /** null when registered without a host (`PLAINTEXT://:9092`). */
  readonly host: string | null;
  readonly port: number;
  readonly securityProtocol: SecurityProtocol;
}

/** A supported version range a broker advertises for a feature (KIP-584). */
export interface SupportedVersionRange {
  readonly minVersion: number;
  readonly maxVersion: number;
}

/** What a broker registers in /brokers/ids/<id>. */
export interface BrokerInfo {
  readonly id: number;
  /** Advertised listeners, in `advertised.listeners` order. */
  readonly endpoints: readonly EndPoint[];
  /** `broker.rack`, or null. */
  readonly rack?: string | null;
  /** From -Dcom.sun.management.jmxremote.port; -1 when none. */
  readonly jmxPort?: number;
  /** Supported features (a 3.9 ZooKeeper-mode broker registers none). */
  readonly features?: ReadonlyMap<string, SupportedVersionRange>;
}

/** A broker as read back from /brokers/ids/<id>. */
export interface Broker {
  readonly id: number;
  readonly endpoints: readonly EndPoint[];
  readonly rack: string | null;
  readonly jmxPort: number;
  readonly features: ReadonlyMap<string, SupportedVersionRange>;
  /** The registration format version (1-5). */
  readonly version: number;
  /** Registration time (ms), when present. */
  readonly timestamp: number | null;
}

/** A broker with its epoch: the czxid of its /brokers/ids/<id> znode. */
export interface BrokerAndEpoch {
  readonly broker: Broker;
  readonly epoch: number;
}

/** A partition's replicas, and those being added/removed by a reassignment (kafka.controller.ReplicaAssignment). */
export interface ReplicaAssignment {
  /** The full replica set (RS); the first replica is the preferred leader. */
  readonly replicas: readonly number[];
  /** Replicas being added (AR). */
  readonly addingReplicas: readonly number[];
  /** Replicas being removed (RR). */
  readonly removingReplicas: readonly number[];
}

/** A ReplicaAssignment with no reassignment in progress. */
export function replicaAssignment(replicas: readonly number[]): ReplicaAssignment {
  return { replicas, addingReplicas: [], removingReplicas: [] };
}

/** A topic's id and partition → replica assignment, as stored in /brokers/topics/<topic>. */
export interface TopicIdReplicaAssignment {
  readonly topic: string;
  /** Base64 topic id (22 chars), or null for topics created before IBP 2.8 and not yet given one. */
  readonly topicId: string | null;
  /** Partition number → assignment, in partition order. */
  readonly assignment: ReadonlyMap<number, ReplicaAssignment>;
}

/** Leader recovery state (KIP-704). */
export const LeaderRecoveryState = {
  RECOVERED: 0,
  RECOVERING: 1,
} as const;
export type LeaderRecoveryState = (typeof LeaderRecoveryState)[keyof typeof LeaderRecoveryState];

/** Leader, leader epoch, ISR and partition epoch of a partition (org.apache.kafka.metadata.LeaderAndIsr). */
export interface LeaderAndIsr {
  /** Broker id, or -1 (NoLeader). */
  readonly leader: number;
  readonly leaderEpoch: number;
  readonly isr: readonly number[];
  readonly leaderRecoveryState: LeaderRecoveryState;
  /** The state znode's dataVersion (zkVersion); 0 for a new node. */
  readonly partitionEpoch: number;
}

/** LeaderAndIsr plus the epoch of the controller that made the decision. */
export interface LeaderIsrAndControllerEpoch {
  readonly leaderAndIsr: LeaderAndIsr;
  readonly controllerEpoch: number;
}

/** Kafka's constants for LeaderAndIsr. */
export const LeaderAndIsrConstants = {
  NoLeader: -1,
  /** Leader -2 in UpdateMetadata marks a partition of a topic being deleted. */
  LeaderDuringDelete: -2,
  InitialLeaderEpoch: 0,
  InitialPartitionEpoch: 0,
} as const;

/** Key of a TopicPartition for use in Maps: `topic-partition`, as Kafka prints it. */
export function topicPartitionKey(tp: TopicPartition): string {
  return `${tp.topic}-${tp.partition}`;
}
