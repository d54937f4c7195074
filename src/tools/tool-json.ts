/**
 * What the admin tools share for their JSON files and their output: Kafka's server-util Json reads
 * (DecodeJson / JsonObject, failing with Jackson's JsonMappingException messages), and the iteration
 * order of java.util.HashSet, in which Kafka's tools print sets of brokers, topics and partitions.
 */
import { javaStringHash } from '../zk/znodes/key-order';

/** A topic partition named as Kafka prints it (`t-0`). */
export interface TopicPartitionName {
  readonly topic: string;
  readonly partition: number;
}

/** A JSON value of the wrong shape, with the message Jackson's JsonMappingException carries in Kafka's tools. */
export class JsonMappingError extends Error {
  override readonly name = 'JsonMappingError';
}

/** Kafka's DecodeJson / JsonObject reads (server-util Json), failing as they do. */
export const DecodeJson = {
  field(obj: unknown, name: string): unknown {
    const v = obj !== null && typeof obj === 'object' ? (obj as Record<string, unknown>)[name] : undefined;
    if (v === undefined) throw new JsonMappingError(`No such field exists: \`${name}\``);
    return v;
  },
  int(v: unknown): number {
    if (typeof v !== 'number' || !Number.isInteger(v)) throw new JsonMappingError(`Expected \`Int\` value, received ${JSON.stringify(v)}`);
    return v;
  },
  string(v: unknown): string {
    if (typeof v !== 'string') throw new JsonMappingError(`Expected \`String\` value, received ${JSON.stringify(v)}`);
    return v;
  },
  list<T>(v: unknown, item: (x: unknown) => T): T[] {
    if (!Array.isArray(v)) throw new JsonMappingError(`Expected JSON array, received ${JSON.stringify(v)}`);
    return v.map(item);
  },
} as const;

/**
 * The iteration order of a java.util.HashSet (or HashMap keys) holding `items` added in order: by bucket of the
 * spread hash in the final table (16 slots, or the power of two at or above `initialCapacity` for a map built
 * with `new HashMap<>(n)`; doubled past 75% load), insertion order within a bucket. Kafka's tools print sets
 * and maps in this order.
 */
export function javaHashSetOrder<T>(items: readonly T[], hashCode: (item: T) => number, options?: { initialCapacity?: number }): T[] {
  let capacity = 1;
  while (capacity < (options?.initialCapacity ?? 16)) capacity *= 2;
  while (items.length > capacity * 0.75) capacity *= 2;
  const bucket = (item: T) => {
    const h = hashCode(item) | 0;
    return (h ^ (h >>> 16)) & (capacity - 1);
  };
  return items.map((item, i) => ({ item, i, b: bucket(item) })).sort((x, y) => x.b - y.b || x.i - y.i).map((e) => e.item);
}

/** org.apache.kafka.common.TopicPartition#hashCode. */
export function topicPartitionHash(tp: TopicPartitionName): number {
  return (Math.imul(31, 31 + tp.partition) + javaStringHash(tp.topic)) | 0;
}
