import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MetadataCache, type CachedPartitionState } from '../../src/metadata/metadata-cache';

const broker = (id: number) => ({ id, rack: null, endpoints: [{ host: 'h', port: 9000 + id, listener: 'PLAINTEXT', securityProtocol: 0 }] });
const state = (topic: string, partition: number, leader: number): CachedPartitionState => ({
  topic, partition, controllerEpoch: 1, leader, leaderEpoch: 0, isr: [0], zkVersion: 0, replicas: [0], offlineReplicas: [],
});

describe('MetadataCache', () => {
  test('UpdateMetadata replaces brokers and merges partition states; leader -2 deletes', () => {
    const cache = new MetadataCache(0);
    let updates = 0;
    cache.onUpdate(() => updates++);
    cache.updateMetadata({
      controllerId: 0, controllerEpoch: 3, liveBrokers: [broker(0), broker(1)],
      partitionStates: [state('t', 0, 0), state('t', 1, 1)], topicIds: new Map([['t', 'abcdefghijklmnopqrstuv']]),
    });
    assert.equal(cache.controllerId, 0);
    assert.deepEqual(cache.aliveBrokers().map((b) => b.id), [0, 1]);
    assert.equal(cache.endPoint(1, 'PLAINTEXT')?.port, 9001);
    assert.equal(cache.endPoint(1, 'OTHER'), undefined);
    assert.equal(cache.numPartitions('t'), 2);
    assert.equal(cache.topicName('abcdefghijklmnopqrstuv'), 't');

    cache.updateMetadata({ controllerId: 1, controllerEpoch: 4, liveBrokers: [broker(0)], partitionStates: [state('t', 1, 0)], topicIds: new Map() });
    assert.equal(cache.partitionState('t', 1)?.leader, 0);
    assert.equal(cache.partitionState('t', 0)?.leader, 0, 'untouched partitions stay');
    assert.equal(cache.hasAliveBroker(1), false);

    const deleted = cache.updateMetadata({
      controllerId: 1, controllerEpoch: 4, liveBrokers: [broker(0)],
      partitionStates: [state('t', 0, -2), state('t', 1, -2)], topicIds: new Map(),
    });
    assert.equal(deleted.length, 2);
    assert.equal(cache.contains('t'), false);
    assert.equal(cache.topicName('abcdefghijklmnopqrstuv'), undefined);
    assert.equal(updates, 3);
  });
});
