// The group API handlers through the real request dispatcher and codec, every version each serves:
// requests are encoded as a client would, answered by a real coordinator on real logs, and the
// responses decoded again. FindCoordinator creates `__consumer_offsets` in a real ZooKeeper (with
// Kafka's configs, or not at all while too few brokers are alive); OffsetCommit/OffsetFetch v0 use
// the `/consumers` offsets in ZooKeeper.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { NOOP_LOGGER } from '../../src/common/logger';
import { loadBrokerConfig } from '../../src/config/broker-config';
import { encodeSubscription } from '../../src/coordinator/group/consumer-protocol';
import { GROUP_METADATA_TOPIC_NAME, OffsetsTopicCreator } from '../../src/coordinator/group/offsets-topic';
import { MetadataCache } from '../../src/metadata/metadata-cache';
import type { KafkaChannel } from '../../src/network/kafka-channel';
import { ApiKeys, ErrorCode, decodeResponse, encodeRequest, type ApiKey, type RequestInputOf, type ResponseOf } from '../../src/protocol';
import { RequestDispatcher } from '../../src/server/request-dispatcher';
import { ZkAdminManager } from '../../src/server/zk-admin-manager';
import { createGroupHandlers, type GroupServices } from '../../src/server/handlers/group-handlers';
import { GROUP_AUTHORIZED_OPERATIONS } from '../../src/server/handlers/describe-groups';
import { KafkaZkClient } from '../../src/zk/kafka-zk-client';
import { startZooKeeper, type TestZooKeeper } from '../harness/zookeeper';
import { assignmentOf, startCoordinator, testOffsetConfig, type CoordinatorFixture } from './coordinator-harness';

const channel = { id: 'test-1', listenerName: 'PLAINTEXT', remoteAddress: '127.0.0.1', remotePort: 50000 } as unknown as KafkaChannel;
const silent = { info() {}, warn() {}, error() {}, debug() {}, isDebugEnabled: () => false };

describe('group API handlers', () => {
  let zk: TestZooKeeper;
  let zkClient: KafkaZkClient;
  let fx: CoordinatorFixture;
  let cache: MetadataCache;
  let dispatcher: RequestDispatcher;
  let creator: OffsetsTopicCreator;
  let adminManager: ZkAdminManager;
  let correlationId = 0;

  async function call<K extends ApiKey>(apiKey: K, version: number, body: RequestInputOf<K>): Promise<ResponseOf<K>> {
    const frame = Buffer.concat(encodeRequest({ apiKey, apiVersion: version, correlationId: ++correlationId, clientId: 'handler-test' }, body));
    const out = await dispatcher.process(channel, frame.subarray(4));
    assert.ok(out, 'a response');
    const { correlationId: echoed, body: response } = decodeResponse(apiKey, version, Buffer.concat(out).subarray(4));
    assert.equal(echoed, correlationId);
    return response;
  }

  function publishMetadata(withOffsetsTopic: boolean): void {
    const partition = (topic: string, p: number) => ({
      topic,
      partition: p,
      controllerEpoch: 1,
      leader: 0,
      leaderEpoch: 0,
      isr: [0],
      zkVersion: 0,
      replicas: [0],
      offlineReplicas: [],
    });
    cache.updateMetadata({
      controllerId: 0,
      controllerEpoch: 1,
      liveBrokers: [{ id: 0, rack: null, endpoints: [{ host: '127.0.0.1', port: 9092, listener: 'PLAINTEXT', securityProtocol: 0 }] }],
      partitionStates: [
        partition('orders', 0),
        partition('orders', 1),
        ...(withOffsetsTopic ? [partition(GROUP_METADATA_TOPIC_NAME, 0), partition(GROUP_METADATA_TOPIC_NAME, 1)] : []),
      ],
      topicIds: new Map(),
    });
  }

  before(async () => {
    zk = await startZooKeeper();
    zkClient = await KafkaZkClient.connect({ connectString: zk.connectString, sessionTimeoutMs: 10_000 });
    await zkClient.createTopLevelPaths();
    // Kafka writes topic configs only while a controller is registered.
    await zkClient.registerControllerAndIncrementControllerEpoch(0);
    fx = await startCoordinator({ numPartitions: 2 });
    cache = new MetadataCache(0);
    publishMetadata(false);
    const config = loadBrokerConfig({ properties: { 'zookeeper.connect': zk.connectString } });
    adminManager = new ZkAdminManager({ config, zkClient, metadataCache: cache, logger: NOOP_LOGGER });
    creator = new OffsetsTopicCreator({ adminManager, config: testOffsetConfig(2), logger: NOOP_LOGGER });
    const services: GroupServices = {
      brokerId: 0,
      config: { offsetMetadataMaxBytes: 4096 },
      metadataCache: cache,
      groupCoordinator: fx.coordinator,
      offsetsTopicCreator: creator,
      zkConsumerOffsets: zkClient,
    };
    dispatcher = new RequestDispatcher(createGroupHandlers(services), silent);
  });

  after(async () => {
    await fx?.close();
    await zkClient?.close();
    await zk?.stop();
  });

  test('the handlers declare the version ranges of a Kafka 3.9 broker', () => {
    assert.deepEqual(dispatcher.apiVersions(), [
      { apiKey: ApiKeys.OffsetCommit, minVersion: 0, maxVersion: 9 },
      { apiKey: ApiKeys.OffsetFetch, minVersion: 0, maxVersion: 9 },
      { apiKey: ApiKeys.FindCoordinator, minVersion: 0, maxVersion: 6 },
      { apiKey: ApiKeys.JoinGroup, minVersion: 0, maxVersion: 9 },
      { apiKey: ApiKeys.Heartbeat, minVersion: 0, maxVersion: 4 },
      { apiKey: ApiKeys.LeaveGroup, minVersion: 0, maxVersion: 5 },
      { apiKey: ApiKeys.SyncGroup, minVersion: 0, maxVersion: 5 },
      { apiKey: ApiKeys.DescribeGroups, minVersion: 0, maxVersion: 5 },
      { apiKey: ApiKeys.ListGroups, minVersion: 0, maxVersion: 5 },
      { apiKey: ApiKeys.DeleteGroups, minVersion: 0, maxVersion: 2 },
      { apiKey: ApiKeys.OffsetDelete, minVersion: 0, maxVersion: 0 },
    ]);
  });

  test('FindCoordinator creates __consumer_offsets as Kafka does, then names the partition leader (v0-6)', async () => {
    // Too few brokers for the replication factor: nothing is created, the client is told to retry.
    const tooBig = new OffsetsTopicCreator({ adminManager, config: { ...testOffsetConfig(2), offsetsTopicReplicationFactor: 3 }, logger: NOOP_LOGGER });
    assert.equal(await tooBig.create(), ErrorCode.INVALID_REPLICATION_FACTOR);
    assert.equal(await zkClient.topicExists(GROUP_METADATA_TOPIC_NAME), false);

    const missing = await call(ApiKeys.FindCoordinator, 0, { key: 'g' });
    assert.equal(missing.errorCode, ErrorCode.COORDINATOR_NOT_AVAILABLE);
    assert.equal(missing.nodeId, -1);
    assert.equal(await zkClient.topicExists(GROUP_METADATA_TOPIC_NAME), true);
    assert.equal(await zkClient.getTopicPartitionCount(GROUP_METADATA_TOPIC_NAME), 2);
    assert.deepEqual(await zkClient.fetchEntityConfig('topics', GROUP_METADATA_TOPIC_NAME), {
      'cleanup.policy': 'compact',
      'segment.bytes': '104857600',
      'compression.type': 'producer',
    });
    // Until the controller's UpdateMetadata shows leaders, still not available; creating again is harmless.
    assert.equal((await call(ApiKeys.FindCoordinator, 3, { key: 'g', keyType: 0 })).errorCode, ErrorCode.COORDINATOR_NOT_AVAILABLE);

    publishMetadata(true);
    for (let v = 0; v <= 3; v++) {
      const r = await call(ApiKeys.FindCoordinator, v, { key: 'g', keyType: 0 });
      assert.deepEqual([r.errorCode, r.nodeId, r.host, r.port], [ErrorCode.NONE, 0, '127.0.0.1', 9092], `v${v}`);
      if (v >= 1) assert.equal(r.errorMessage, 'NONE');
    }
    for (let v = 4; v <= 6; v++) {
      const r = await call(ApiKeys.FindCoordinator, v, { keyType: 0, coordinatorKeys: ['a', 'b'] });
      assert.deepEqual(r.coordinators.map((c) => [c.key, c.errorCode, c.nodeId, c.port]), [['a', 0, 0, 9092], ['b', 0, 0, 9092]]);
    }
    const txn = await call(ApiKeys.FindCoordinator, 4, { keyType: 1, coordinatorKeys: ['tx'] });
    assert.equal(txn.coordinators[0]!.errorCode, ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED);
  });

  test('JoinGroup, SyncGroup, Heartbeat and LeaveGroup at every version', async () => {
    const protocols = [{ name: 'range', metadata: encodeSubscription(['orders']) }];
    for (let v = 0; v <= 9; v++) {
      const groupId = `join-v${v}`;
      const base = { groupId, sessionTimeoutMs: 10_000, rebalanceTimeoutMs: 5000, memberId: '', protocolType: 'consumer', protocols };
      let r = await call(ApiKeys.JoinGroup, v, base);
      if (v >= 4) {
        assert.equal(r.errorCode, ErrorCode.MEMBER_ID_REQUIRED, `v${v}`);
        assert.equal(r.protocolName, v >= 7 ? null : '', `v${v} protocol name of an error`);
        r = await call(ApiKeys.JoinGroup, v, { ...base, memberId: r.memberId });
      }
      assert.equal(r.errorCode, ErrorCode.NONE, `v${v}`);
      assert.equal(r.generationId, 1);
      assert.equal(r.protocolName, 'range');
      assert.equal(r.leader, r.memberId);
      assert.equal(r.members.length, 1);
      if (v >= 7) assert.equal(r.protocolType, 'consumer');
      const memberId = r.memberId;

      const sv = Math.min(v, 5);
      const sync = await call(ApiKeys.SyncGroup, sv, {
        groupId,
        generationId: 1,
        memberId,
        protocolType: 'consumer',
        protocolName: 'range',
        assignments: [{ memberId, assignment: assignmentOf('orders', [0, 1]) }],
      });
      assert.equal(sync.errorCode, ErrorCode.NONE);
      assert.deepEqual(sync.assignment, assignmentOf('orders', [0, 1]));
      if (sv >= 5) assert.deepEqual([sync.protocolType, sync.protocolName], ['consumer', 'range']);

      const hb = await call(ApiKeys.Heartbeat, Math.min(v, 4), { groupId, generationId: 1, memberId });
      assert.equal(hb.errorCode, ErrorCode.NONE);

      const lv = Math.min(v, 5);
      const leave =
        lv >= 3
          ? await call(ApiKeys.LeaveGroup, lv, { groupId, members: [{ memberId }, { memberId: 'stranger' }] })
          : await call(ApiKeys.LeaveGroup, lv, { groupId, memberId });
      if (lv >= 3) assert.deepEqual(leave.members.map((m) => m.errorCode), [ErrorCode.NONE, ErrorCode.UNKNOWN_MEMBER_ID]);
      else assert.equal(leave.errorCode, ErrorCode.NONE);
    }
    // SyncGroup v5 requires the protocol type and name.
    const noProtocol = await call(ApiKeys.SyncGroup, 5, { groupId: 'join-v5', generationId: 2, memberId: 'x', protocolType: null, protocolName: 'range', assignments: [] });
    assert.equal(noProtocol.errorCode, ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    // LeaveGroup before v3: a member error is the top-level error.
    assert.equal((await call(ApiKeys.LeaveGroup, 1, { groupId: 'join-v1', memberId: 'stranger' })).errorCode, ErrorCode.UNKNOWN_MEMBER_ID);
  });

  test('OffsetCommit and OffsetFetch at every version (v0 in ZooKeeper)', async () => {
    // v0 keeps offsets in /consumers/<group>/offsets/<topic>/<partition>.
    const c0 = await call(ApiKeys.OffsetCommit, 0, {
      groupId: 'zk-group',
      topics: [{ name: 'orders', partitions: [{ partitionIndex: 0, committedOffset: 42, committedMetadata: null }] }, { name: 'nope', partitions: [{ partitionIndex: 0, committedOffset: 1, committedMetadata: null }] }],
    });
    assert.deepEqual(c0.topics.map((t) => t.partitions[0]!.errorCode), [ErrorCode.NONE, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION]);
    assert.equal(await zkClient.getConsumerOffset('zk-group', { topic: 'orders', partition: 0 }), 42);
    const f0 = await call(ApiKeys.OffsetFetch, 0, { groupId: 'zk-group', topics: [{ name: 'orders', partitionIndexes: [0, 1] }] });
    assert.deepEqual(f0.topics[0]!.partitions.map((p) => [p.committedOffset, p.errorCode]), [[42, ErrorCode.NONE], [-1, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION]]);

    for (let v = 1; v <= 9; v++) {
      const groupId = `commit-v${v}`;
      const body = {
        groupId,
        generationIdOrMemberEpoch: -1,
        memberId: '',
        retentionTimeMs: v >= 2 && v <= 4 ? 3_600_000 : -1,
        topics: [
          { name: 'orders', partitions: [{ partitionIndex: 1, committedOffset: 100 + v, committedLeaderEpoch: 4, commitTimestamp: v === 1 ? 1_000 : -1, committedMetadata: 'meta' }] },
          { name: 'unknown-topic', partitions: [{ partitionIndex: 0, committedOffset: 1, committedMetadata: null }] },
        ],
      };
      const committed = await call(ApiKeys.OffsetCommit, v, body);
      assert.deepEqual(committed.topics.map((t) => [t.name, t.partitions[0]!.errorCode]), [['orders', ErrorCode.NONE], ['unknown-topic', ErrorCode.UNKNOWN_TOPIC_OR_PARTITION]], `v${v}`);
      if (v === 1) assert.equal(fx.coordinator.groupManager.getGroup(groupId)!.offset({ topic: 'orders', partition: 1 })!.commitTimestamp, 1_000);
      if (v === 3) assert.notEqual(fx.coordinator.groupManager.getGroup(groupId)!.offset({ topic: 'orders', partition: 1 })!.expireTimestamp, null);

      if (v >= 8) {
        const fetched = await call(ApiKeys.OffsetFetch, v, {
          groups: [{ groupId, topics: null }, { groupId: 'nobody', topics: [{ name: 'orders', partitionIndexes: [0] }] }],
          requireStable: true,
        });
        assert.deepEqual(fetched.groups.map((g) => [g.groupId, g.errorCode, g.topics[0]!.partitions[0]!.committedOffset]), [[groupId, 0, 100 + v], ['nobody', 0, -1]]);
        assert.equal(fetched.groups[0]!.topics[0]!.partitions[0]!.committedLeaderEpoch, 4);
      } else {
        const fetched = await call(ApiKeys.OffsetFetch, v, { groupId, topics: v >= 2 ? null : [{ name: 'orders', partitionIndexes: [1] }] });
        const p = fetched.topics[0]!.partitions[0]!;
        assert.deepEqual([p.partitionIndex, p.committedOffset, p.metadata, p.errorCode], [1, 100 + v, 'meta', 0], `v${v}`);
        // The commit carries the epoch from v6; the fetch returns it from v5.
        assert.equal(p.committedLeaderEpoch, v >= 6 ? 4 : -1);
      }
    }
    // A group error: top-level from v2, per partition before.
    const notMine = 'g-' + [...Array(50).keys()].find((i) => fx.coordinator.partitionFor(`g-${i}`) === 0);
    await fx.coordinator.onResignation(0, 1);
    try {
      const v1 = await call(ApiKeys.OffsetFetch, 1, { groupId: notMine, topics: [{ name: 'orders', partitionIndexes: [0] }] });
      assert.equal(v1.topics[0]!.partitions[0]!.errorCode, ErrorCode.NOT_COORDINATOR);
      const v2 = await call(ApiKeys.OffsetFetch, 2, { groupId: notMine, topics: null });
      assert.equal(v2.errorCode, ErrorCode.NOT_COORDINATOR);
    } finally {
      await fx.coordinator.onElection(0, 2);
    }
  });

  test('DescribeGroups, ListGroups, DeleteGroups and OffsetDelete at every version', async () => {
    for (let v = 0; v <= 5; v++) {
      const described = await call(ApiKeys.DescribeGroups, v, { groups: ['commit-v3', 'no-such-group'], includeAuthorizedOperations: v >= 3 });
      assert.deepEqual(described.groups.map((g) => [g.groupId, g.groupState, g.errorCode]), [['commit-v3', 'Empty', 0], ['no-such-group', 'Dead', 0]]);
      assert.equal(described.groups[0]!.authorizedOperations, v >= 3 ? GROUP_AUTHORIZED_OPERATIONS : -2147483648);
    }
    for (let v = 0; v <= 5; v++) {
      const listed = await call(ApiKeys.ListGroups, v, v >= 4 ? { statesFilter: ['empty'], typesFilter: v >= 5 ? ['classic'] : [] } : {});
      assert.equal(listed.errorCode, ErrorCode.NONE);
      const commitGroup = listed.groups.find((g) => g.groupId === 'commit-v3');
      assert.ok(commitGroup, `v${v}`);
      assert.equal(commitGroup.protocolType, '');
      if (v >= 4) assert.equal(commitGroup.groupState, 'Empty');
      if (v >= 5) assert.equal(commitGroup.groupType, 'classic');
    }
    const od = await call(ApiKeys.OffsetDelete, 0, {
      groupId: 'commit-v4',
      topics: [{ name: 'orders', partitions: [{ partitionIndex: 1 }] }, { name: 'missing-topic', partitions: [{ partitionIndex: 0 }] }],
    });
    assert.equal(od.errorCode, ErrorCode.NONE);
    assert.deepEqual(od.topics.map((t) => t.partitions[0]!.errorCode), [ErrorCode.NONE, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION]);
    assert.equal((await call(ApiKeys.OffsetDelete, 0, { groupId: 'never-seen', topics: [] })).errorCode, ErrorCode.GROUP_ID_NOT_FOUND);
    for (let v = 0; v <= 2; v++) {
      const deleted = await call(ApiKeys.DeleteGroups, v, { groupsNames: [`commit-v${v + 5}`, 'never-seen'] });
      assert.deepEqual(deleted.results.map((r) => r.errorCode), [ErrorCode.NONE, ErrorCode.GROUP_ID_NOT_FOUND]);
    }
  });
});
