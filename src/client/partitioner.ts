/**
 * The producer's default partitioner, as Kafka's Java producer (3.x) chooses partitions:
 *
 * - a record with a key goes to `toPositive(murmur2(keyBytes)) % numPartitions` — the exact murmur2
 *   variant of Kafka's `Utils.murmur2` (seed 0x9747b28c), so keys land where Java, librdkafka's
 *   `murmur2_random` and kafkajs's JavaCompatiblePartitioner put them;
 * - a record without a key uses the "uniform sticky" strategy of KIP-794: stick to one partition (picked
 *   at random among those with a leader) until about `batch.size` bytes went to it, then switch, so
 *   batches fill up instead of spreading one record per partition.
 */

const SEED = 0x9747b28c;
const M = 0x5bd1e995;
const R = 24;

/** Kafka's `Utils.murmur2`: the 32-bit signed murmur2 hash of the bytes. */
export function murmur2(data: Uint8Array): number {
  const length = data.length;
  let h = (SEED ^ length) | 0;
  const length4 = length >>> 2;
  for (let i = 0; i < length4; i++) {
    const i4 = i << 2;
    let k = data[i4]! | (data[i4 + 1]! << 8) | (data[i4 + 2]! << 16) | (data[i4 + 3]! << 24);
    k = Math.imul(k, M);
    k ^= k >>> R;
    k = Math.imul(k, M);
    h = Math.imul(h, M);
    h ^= k;
  }
  // The 1-3 trailing bytes, as the fall-through switch of the Java original.
  const tail = length & ~3;
  const rest = length & 3;
  if (rest > 0) {
    if (rest === 3) h ^= data[tail + 2]! << 16;
    if (rest >= 2) h ^= data[tail + 1]! << 8;
    h ^= data[tail]!;
    h = Math.imul(h, M);
  }
  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h | 0;
}

/** Kafka's `Utils.toPositive`: clears the sign bit (not Math.abs, which differs for MIN_VALUE). */
export function toPositive(n: number): number {
  return n & 0x7fffffff;
}

/** The partition Kafka's default partitioner assigns to a non-null key. */
export function partitionForKey(key: Uint8Array, numPartitions: number): number {
  return toPositive(murmur2(key)) % numPartitions;
}

/** What the sticky partitioner needs to know about a topic's partitions. */
export interface PartitionAvailability {
  numPartitions: number;
  /** Partitions that currently have a leader; all partitions are used when empty. */
  available: readonly number[];
}

/**
 * Chooses partitions for records without a key (KIP-794 uniform sticky partitioning). One instance
 * serves one producer; the state is per topic.
 */
export class StickyPartitioner {
  private readonly sticky = new Map<string, { partition: number; bytes: number }>();

  /**
   * @param batchSize bytes sent to one partition before switching (the producer's `batch.size`).
   * @param random source of randomness in [0, 1) (injectable for tests).
   */
  constructor(
    private readonly batchSize: number,
    private readonly random: () => number = Math.random,
  ) {}

  /** The partition for the next keyless record of `recordBytes` (estimated) bytes. */
  partition(topic: string, info: PartitionAvailability, recordBytes: number): number {
    let state = this.sticky.get(topic);
    if (state === undefined || state.partition >= info.numPartitions) {
      state = { partition: this.pick(info, -1), bytes: 0 };
      this.sticky.set(topic, state);
    } else if (state.bytes >= this.batchSize) {
      state.partition = this.pick(info, state.partition);
      state.bytes = 0;
    }
    state.bytes += recordBytes;
    return state.partition;
  }

  private pick(info: PartitionAvailability, previous: number): number {
    const candidates = info.available.length > 0 ? info.available : undefined;
    const count = candidates ? candidates.length : info.numPartitions;
    if (count <= 1) return candidates ? candidates[0]! : 0;
    // Switch to a different partition than the one just filled, uniformly among the others.
    for (;;) {
      const index = Math.floor(this.random() * count);
      const partition = candidates ? candidates[index]! : index;
      if (partition !== previous) return partition;
    }
  }
}
