/**
 * Iteration orders of the JVM maps Kafka serialises into znodes.
 *
 * Kafka builds znode JSON from Scala and Java maps and Jackson writes their entries in iteration order, so the
 * key order of a znode is the hash order of the map that produced it. Readers never depend on it, but we write
 * exactly what Kafka writes, and for maps with data-dependent keys (partition numbers, listener names, config
 * names) that order has to be computed. Which map each znode used is documented where it is encoded; the
 * reference layout's examples come from real clusters, and each function below reproduces one of them:
 *
 * - scala212MutableHashMapOrder: Scala 2.12 `mutable.HashMap` (the /brokers/topics/<t> example, e.g.
 *   partitions "2","1","0").
 * - scala213ImmutableMapOrder: Scala 2.13 `immutable.Map` (Map1..Map4 keep insertion order, then a CHAMP trie;
 *   the partition-state example).
 * - java8HashtableOrder: `java.util.Properties` on Java 8 (the /config/<type>/<entity> example).
 *
 * Keys are Java Strings here; `javaStringHash` is String.hashCode over UTF-16 code units.
 */

/** java.lang.String#hashCode. */
export function javaStringHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}

/**
 * Key order of a Scala 2.12 `mutable.HashMap` after inserting `keys` in order into an empty map (initial table
 * of 16, load factor 0.75). Iteration runs from the last bucket down, each bucket newest-first; growth re-links
 * entries by walking the old table downwards and prepending.
 */
export function scala212MutableHashMapOrder(keys: readonly string[]): string[] {
  // The hash seed is fixed when the table is created (bitCount(16 - 1) = 4) and kept across resizes.
  const seed = 4;
  let table: string[][] = Array.from({ length: 16 }, () => []);
  let threshold = 12;
  let size = 0;
  const indexFor = (key: string, length: number): number => {
    const ones = length - 1;
    const exponent = Math.clz32(ones);
    return (improve212(javaStringHash(key), seed) >>> exponent) & ones;
  };
  const seen = new Set<string>();
  for (const key of keys) {
    if (seen.has(key)) continue;
    seen.add(key);
    table[indexFor(key, table.length)].unshift(key);
    size++;
    if (size > threshold) {
      const newLength = table.length * 2;
      const next: string[][] = Array.from({ length: newLength }, () => []);
      for (let i = table.length - 1; i >= 0; i--) {
        for (const k of table[i]) next[indexFor(k, newLength)].unshift(k);
      }
      table = next;
      threshold = Math.floor((newLength * 750) / 1000);
    }
  }
  const order: string[] = [];
  for (let i = table.length - 1; i >= 0; i--) order.push(...table[i]);
  return order;
}

/** scala.collection.mutable.HashTable#improve (2.12): byteswap32 then rotate right by the seed. */
function improve212(hcode: number, seed: number): number {
  let i = Math.imul(hcode, 0x9e3775cd);
  i = reverseBytes(i);
  const improved = Math.imul(i, 0x9e3775cd);
  const rotation = seed % 32;
  return ((improved >>> rotation) | (improved << (32 - rotation))) | 0;
}

function reverseBytes(i: number): number {
  return ((i << 24) | ((i & 0xff00) << 8) | ((i >>> 8) & 0xff00) | (i >>> 24)) | 0;
}

/**
 * Key order of a Scala 2.13 `immutable.Map` built from `keys`: insertion order up to four entries (Map1..Map4),
 * otherwise the CHAMP trie order (per level, the node's own entries by 5-bit hash fragment, then its sub-nodes).
 */
export function scala213ImmutableMapOrder(keys: readonly string[]): string[] {
  const unique = [...new Set(keys)];
  if (unique.length <= 4) return unique;
  const entries = unique.map((key) => ({ key, hash: improve213(javaStringHash(key)) }));
  return champOrder(entries, 0);
}

function champOrder(entries: ReadonlyArray<{ key: string; hash: number }>, shift: number): string[] {
  if (shift >= 32) return entries.map((e) => e.key); // full hash collision: a collision node keeps insertion order
  const byFragment = new Map<number, Array<{ key: string; hash: number }>>();
  for (const e of entries) {
    const fragment = (e.hash >>> shift) & 0x1f;
    const bucket = byFragment.get(fragment);
    if (bucket === undefined) byFragment.set(fragment, [e]);
    else bucket.push(e);
  }
  const fragments = [...byFragment.keys()].sort((a, b) => a - b);
  const payload: string[] = [];
  const subNodes: string[] = [];
  for (const f of fragments) {
    const bucket = byFragment.get(f)!;
    if (bucket.length === 1) payload.push(bucket[0].key);
    else subNodes.push(...champOrder(bucket, shift + 5));
  }
  return [...payload, ...subNodes];
}

/** scala.collection.Hashing#improve (2.13), applied by immutable.HashMap to key.##. */
function improve213(hcode: number): number {
  let h = (hcode + ~(hcode << 9)) | 0;
  h ^= h >>> 14;
  h = (h + (h << 4)) | 0;
  return h ^ (h >>> 10);
}

/**
 * Key order of a Java 8 `java.util.Hashtable` (what `new Properties()` is) after putting `keys` in order:
 * 11 buckets, rehash to 2n+1 when the count reaches the threshold, iteration from the last bucket down, each
 * bucket newest-first.
 */
export function java8HashtableOrder(keys: readonly string[]): string[] {
  let table: string[][] = Array.from({ length: 11 }, () => []);
  let threshold = Math.floor(11 * 0.75);
  let count = 0;
  const indexFor = (key: string, length: number) => (javaStringHash(key) & 0x7fffffff) % length;
  const seen = new Set<string>();
  for (const key of keys) {
    if (seen.has(key)) continue;
    seen.add(key);
    if (count >= threshold) {
      const newLength = table.length * 2 + 1;
      const next: string[][] = Array.from({ length: newLength }, () => []);
      for (let i = table.length - 1; i >= 0; i--) {
        for (const k of table[i]) next[indexFor(k, newLength)].unshift(k);
      }
      table = next;
      threshold = Math.floor(newLength * 0.75);
    }
    table[indexFor(key, table.length)].unshift(key);
    count++;
  }
  const order: string[] = [];
  for (let i = table.length - 1; i >= 0; i--) order.push(...table[i]);
  return order;
}
