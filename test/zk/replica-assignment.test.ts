// Kafka's replica placement (AdminUtils.assignReplicasToBrokers): known outputs for fixed start indexes from
// Kafka's own tests and the algorithm's documented example, and the distribution properties it promises.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidPartitionsError, InvalidReplicationFactorError } from '../../src/common/kafka-error';
import {
  AdminOperationError,
  assignReplicasToBrokers,
  getRackAlternatedBrokerList,
  type BrokerMetadata,
} from '../../src/zk/replica-assignment';

const unaware = (ids: number[]): BrokerMetadata[] => ids.map((id) => ({ id }));
const racked = (racks: Record<number, string>): BrokerMetadata[] =>
  Object.entries(racks).map(([id, rack]) => ({ id: Number(id), rack }));
const asObject = (m: Map<number, number[]>) => Object.fromEntries(m);

test('rack-unaware: 5 brokers, 10 partitions, RF 3, start index 0 (Kafka AdminZkClientTest)', () => {
  assert.deepEqual(asObject(assignReplicasToBrokers(unaware([0, 1, 2, 3, 4]), 10, 3, { fixedStartIndex: 0 })), {
    0: [0, 1, 2],
    1: [1, 2, 3],
    2: [2, 3, 4],
    3: [3, 4, 0],
    4: [4, 0, 1],
    5: [0, 2, 3],
    6: [1, 3, 4],
    7: [2, 4, 0],
    8: [3, 0, 1],
    9: [4, 1, 2],
  });
});

test('rack-unaware with a start partition id continues the round-robin (adding partitions)', () => {
  const added = assignReplicasToBrokers(unaware([0, 1, 2, 3, 4]), 3, 3, { fixedStartIndex: 0, startPartitionId: 5 });
  assert.deepEqual(asObject(added), { 5: [0, 2, 3], 6: [1, 3, 4], 7: [2, 4, 0] });
});

test('rack alternation: racks sorted, brokers of a rack sorted (Kafka AdminRackAwareTest)', () => {
  const rackMap = new Map([
    [0, 'rack1'],
    [1, 'rack3'],
    [2, 'rack3'],
    [3, 'rack2'],
    [4, 'rack2'],
    [5, 'rack1'],
  ]);
  assert.deepEqual(getRackAlternatedBrokerList(rackMap), [0, 3, 1, 5, 4, 2]);
  rackMap.delete(5);
  assert.deepEqual(getRackAlternatedBrokerList(rackMap), [0, 3, 1, 4, 2]);
});

test('rack-aware: 6 brokers on 3 racks, 7 partitions, RF 3, start 0 (Kafka AdminRackAwareTest)', () => {
  const brokers = racked({ 0: 'rack1', 1: 'rack3', 2: 'rack3', 3: 'rack2', 4: 'rack2', 5: 'rack1' });
  assert.deepEqual(asObject(assignReplicasToBrokers(brokers, 7, 3, { fixedStartIndex: 0, startPartitionId: 0 })), {
    0: [0, 3, 1],
    1: [3, 1, 5],
    2: [1, 5, 4],
    3: [5, 4, 2],
    4: [4, 2, 0],
    5: [2, 0, 3],
    6: [0, 4, 2],
  });
});

/** Counts of leaders and replicas per broker. */
function distribution(assignment: Map<number, number[]>) {
  const leaders = new Map<number, number>();
  const replicas = new Map<number, number>();
  for (const r of assignment.values()) {
    leaders.set(r[0], (leaders.get(r[0]) ?? 0) + 1);
    for (const b of r) replicas.set(b, (replicas.get(b) ?? 0) + 1);
  }
  return { leaders, replicas };
}

test('rack-unaware distribution: each broker leads nPartitions/nBrokers, replicas spread evenly, no duplicates', () => {
  for (const [nBrokers, nPartitions, rf] of [
    [3, 6, 3],
    [5, 20, 2],
    [4, 12, 3],
    [6, 36, 1],
  ]) {
    for (let start = 0; start < nBrokers; start++) {
      const brokers = unaware(Array.from({ length: nBrokers }, (_, i) => i + 100));
      const assignment = assignReplicasToBrokers(brokers, nPartitions, rf, { fixedStartIndex: start });
      assert.deepEqual([...assignment.keys()], Array.from({ length: nPartitions }, (_, i) => i));
      for (const r of assignment.values()) {
        assert.equal(r.length, rf);
        assert.equal(new Set(r).size, rf, `duplicate replica in ${r}`);
      }
      const { leaders, replicas } = distribution(assignment);
      for (const b of brokers) {
        assert.equal(leaders.get(b.id), nPartitions / nBrokers);
        assert.equal(replicas.get(b.id), (nPartitions * rf) / nBrokers);
      }
    }
  }
});

test('rack-aware distribution: every partition spans min(RF, racks) racks and leaders are even', () => {
  const brokers = racked({ 0: 'a', 1: 'a', 2: 'b', 3: 'b', 4: 'c', 5: 'c' });
  const rackOf = new Map(brokers.map((b) => [b.id, b.rack!]));
  for (let start = 0; start < 6; start++) {
    for (const rf of [2, 3]) {
      const assignment = assignReplicasToBrokers(brokers, 12, rf, { fixedStartIndex: start });
      for (const r of assignment.values()) {
        assert.equal(new Set(r).size, rf);
        assert.equal(new Set(r.map((b) => rackOf.get(b))).size, rf, `replicas ${r} share a rack`);
      }
      const { leaders } = distribution(assignment);
      for (const b of brokers) assert.equal(leaders.get(b.id), 2);
    }
  }
});

test('random start index comes from the injected source', () => {
  const brokers = unaware([0, 1, 2]);
  const a = assignReplicasToBrokers(brokers, 3, 2, { random: () => 0.5 });
  const b = assignReplicasToBrokers(brokers, 3, 2, { fixedStartIndex: 1 });
  assert.deepEqual(asObject(a), asObject(b));
});

test('invalid requests', () => {
  assert.throws(() => assignReplicasToBrokers(unaware([0, 1]), 3, 3), InvalidReplicationFactorError);
  assert.throws(() => assignReplicasToBrokers(unaware([0, 1]), 3, 0), InvalidReplicationFactorError);
  assert.throws(() => assignReplicasToBrokers(unaware([0, 1]), 0, 1), InvalidPartitionsError);
  assert.throws(
    () => assignReplicasToBrokers([{ id: 0, rack: 'a' }, { id: 1 }], 2, 2),
    (e: unknown) => e instanceof AdminOperationError && /rack information/.test(e.message),
  );
  try {
    assignReplicasToBrokers(unaware([0]), 1, 2);
    assert.fail('expected an error');
  } catch (e) {
    assert.ok(e instanceof InvalidReplicationFactorError);
    assert.equal(e.code, 38);
    assert.match(e.message, /larger than available brokers: 1/);
  }
});
