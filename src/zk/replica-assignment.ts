/**
 * Kafka's replica assignment for new topics and partitions (kafka.admin.AdminUtils.assignReplicasToBrokers).
 *
 * Goals, as in Kafka: spread replicas evenly over brokers; spread the followers of each broker's partitions
 * over the other brokers; with rack information on every broker, put the replicas of a partition on
 * different racks where possible.
 *
 * Rack-unaware: the first replica of each partition goes round-robin over the broker list from a random start
 * index; the others follow at an increasing shift (bumped every full round) so that successive rounds do not
 * repeat the same follower sequences. Rack-aware: the same over a rack-alternated broker list (racks sorted,
 * brokers of each rack sorted, taken in turn), skipping brokers whose rack (or the broker itself) already holds
 * a replica while some rack (or broker) holds none.
 */
import { InvalidPartitionsError, InvalidReplicationFactorError } from '../common/kafka-error';

/** A broker as the assignment sees it. */
export interface BrokerMetadata {
  readonly id: number;
  /** `broker.rack`; null/undefined when unknown. */
  readonly rack?: string | null;
}

/** Options for {@link assignReplicasToBrokers}. */
export interface AssignReplicasOptions {
  /** Start index (and initial shift) instead of a random one (-1 or absent: random). */
  fixedStartIndex?: number;
  /** First partition id to assign (when adding partitions). Default 0. */
  startPartitionId?: number;
  /** Source of randomness in [0, 1) for the start index and shift. Default Math.random. */
  random?: () => number;
}

/** Some brokers have rack information and some do not (Kafka's AdminOperationException). */
export class AdminOperationError extends Error {
  override readonly name = 'AdminOperationError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * Assigns `nPartitions` partitions with `replicationFactor` replicas over `brokers` (which Kafka passes sorted
 * by id). Returns partition id → replica list; the first replica is the preferred leader.
 * @throws InvalidPartitionsError, InvalidReplicationFactorError, AdminOperationError (partial rack info)
 */
export function assignReplicasToBrokers(
  brokers: readonly BrokerMetadata[],
  nPartitions: number,
  replicationFactor: number,
  options: AssignReplicasOptions = {},
): Map<number, number[]> {
  if (nPartitions <= 0) throw new InvalidPartitionsError('Number of partitions must be larger than 0.');
  if (replicationFactor <= 0) throw new InvalidReplicationFactorError('Replication factor must be larger than 0.');
  if (replicationFactor > brokers.length) {
    throw new InvalidReplicationFactorError(
      `Replication factor: ${replicationFactor} larger than available brokers: ${brokers.length}.`,
    );
  }
  const hasRack = (b: BrokerMetadata) => b.rack !== undefined && b.rack !== null;
  if (brokers.every((b) => !hasRack(b))) {
    return assignRackUnaware(nPartitions, replicationFactor, brokers.map((b) => b.id), options);
  }
  if (brokers.some((b) => !hasRack(b))) {
    throw new AdminOperationError('Not all brokers have rack information for replica rack aware assignment.');
  }
  return assignRackAware(nPartitions, replicationFactor, brokers as ReadonlyArray<{ id: number; rack: string }>, options);
}

function assignRackUnaware(
  nPartitions: number,
  replicationFactor: number,
  brokerList: readonly number[],
  options: AssignReplicasOptions,
): Map<number, number[]> {
  const n = brokerList.length;
  const random = options.random ?? Math.random;
  const fixed = options.fixedStartIndex ?? -1;
  const startIndex = fixed >= 0 ? fixed : randomInt(random, n);
  let nextReplicaShift = fixed >= 0 ? fixed : randomInt(random, n);
  let currentPartitionId = Math.max(0, options.startPartitionId ?? -1);
  const result = new Map<number, number[]>();
  for (let i = 0; i < nPartitions; i++) {
    if (currentPartitionId > 0 && currentPartitionId % n === 0) nextReplicaShift += 1;
    const firstReplicaIndex = (currentPartitionId + startIndex) % n;
    const replicas = [brokerList[firstReplicaIndex]];
    for (let j = 0; j < replicationFactor - 1; j++) {
      replicas.push(brokerList[replicaIndex(firstReplicaIndex, nextReplicaShift, j, n)]);
    }
    result.set(currentPartitionId, replicas);
    currentPartitionId += 1;
  }
  return result;
}

function assignRackAware(
  nPartitions: number,
  replicationFactor: number,
  brokers: ReadonlyArray<{ id: number; rack: string }>,
  options: AssignReplicasOptions,
): Map<number, number[]> {
  const rackOf = new Map(brokers.map((b) => [b.id, b.rack]));
  const numRacks = new Set(rackOf.values()).size;
  const arranged = getRackAlternatedBrokerList(rackOf);
  const numBrokers = arranged.length;
  const random = options.random ?? Math.random;
  const fixed = options.fixedStartIndex ?? -1;
  const startIndex = fixed >= 0 ? fixed : randomInt(random, numBrokers);
  let nextReplicaShift = fixed >= 0 ? fixed : randomInt(random, numBrokers);
  let currentPartitionId = Math.max(0, options.startPartitionId ?? -1);
  const result = new Map<number, number[]>();
  for (let i = 0; i < nPartitions; i++) {
    if (currentPartitionId > 0 && currentPartitionId % numBrokers === 0) nextReplicaShift += 1;
    const firstReplicaIndex = (currentPartitionId + startIndex) % numBrokers;
    const leader = arranged[firstReplicaIndex];
    const replicas = [leader];
    const racksWithReplicas = new Set([rackOf.get(leader)!]);
    const brokersWithReplicas = new Set([leader]);
    let k = 0;
    for (let r = 0; r < replicationFactor - 1; r++) {
      for (;;) {
        const broker = arranged[replicaIndex(firstReplicaIndex, nextReplicaShift * numRacks, k, numBrokers)];
        const rack = rackOf.get(broker)!;
        k += 1;
        // Skip a broker whose rack already has a replica while some rack has none, or that already has a
        // replica while some broker has none.
        if (
          (!racksWithReplicas.has(rack) || racksWithReplicas.size === numRacks) &&
          (!brokersWithReplicas.has(broker) || brokersWithReplicas.size === numBrokers)
        ) {
          replicas.push(broker);
          racksWithReplicas.add(rack);
          brokersWithReplicas.add(broker);
          break;
        }
      }
    }
    result.set(currentPartitionId, replicas);
    currentPartitionId += 1;
  }
  return result;
}

/**
 * Brokers alternated by rack: racks sorted by name, each rack's brokers sorted by id, one from each rack in
 * turn (rack1: 0,1,2; rack2: 3,4,5; rack3: 6,7,8 → 0,3,6,1,4,7,2,5,8).
 */
export function getRackAlternatedBrokerList(rackOf: ReadonlyMap<number, string>): number[] {
  const byRack = new Map<string, number[]>();
  for (const [id, rack] of rackOf) {
    const list = byRack.get(rack);
    if (list === undefined) byRack.set(rack, [id]);
    else list.push(id);
  }
  const racks = [...byRack.keys()].sort(compareJavaStrings);
  for (const list of byRack.values()) list.sort((a, b) => a - b);
  const cursors = new Map(racks.map((r) => [r, 0]));
  const result: number[] = [];
  let rackIndex = 0;
  while (result.length < rackOf.size) {
    const rack = racks[rackIndex];
    const list = byRack.get(rack)!;
    const cursor = cursors.get(rack)!;
    if (cursor < list.length) {
      result.push(list[cursor]);
      cursors.set(rack, cursor + 1);
    }
    rackIndex = (rackIndex + 1) % racks.length;
  }
  return result;
}

function replicaIndex(firstReplicaIndex: number, secondReplicaShift: number, index: number, nBrokers: number): number {
  const shift = 1 + ((secondReplicaShift + index) % (nBrokers - 1));
  return (firstReplicaIndex + shift) % nBrokers;
}

function randomInt(random: () => number, bound: number): number {
  return Math.min(bound - 1, Math.floor(random() * bound));
}

/** Java's String.compareTo order (UTF-16 code units), which Scala's `sorted` uses for rack names. */
function compareJavaStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
