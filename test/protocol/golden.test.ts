// Golden bytes from real clients: the exact request frames kafkajs and librdkafka (kcat) sent to a fake
// broker (see test/fixtures/protocol/capture.ts, which also records the client versions). Every frame
// must decode to what the client meant and re-encode to the very same bytes.

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import {
  ApiKeys,
  decodeRequest,
  decodeRequestHeader,
  encodeRequest,
  type ApiKey,
  type RequestHeader,
  type RequestOf,
} from '../../src/protocol/index';

interface Fixture {
  client: string;
  version: string;
  librdkafka?: string;
  frames: { label: string; apiKey: number; apiVersion: number; hex: string }[];
}

interface Decoded {
  label: string;
  frame: Buffer;
  header: RequestHeader;
  body: unknown;
}

/** The project root (works from test/ under tsx and from dist/test/ once compiled). */
function projectRoot(): string {
  let dir = __dirname;
  while (!existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  return dir;
}

function load(name: string): { fixture: Fixture; frames: Decoded[] } {
  const file = path.join(projectRoot(), 'test', 'fixtures', 'protocol', `${name}.json`);
  const fixture = JSON.parse(readFileSync(file, 'utf8')) as Fixture;
  const frames = fixture.frames.map((f) => {
    const frame = Buffer.from(f.hex, 'hex');
    const { header, bodyOffset } = decodeRequestHeader(frame);
    assert.equal(header.apiKey, f.apiKey);
    assert.equal(header.apiVersion, f.apiVersion);
    const body = decodeRequest(header.apiKey as ApiKey, header.apiVersion, frame, bodyOffset);
    return { label: f.label, frame, header, body };
  });
  return { fixture, frames };
}

/** Every frame of `apiKey` (optionally of one client operation), bodies typed. */
function bodies<K extends ApiKey>(frames: Decoded[], apiKey: K, label?: string): RequestOf<K>[] {
  const found = frames.filter((f) => f.header.apiKey === apiKey && (label === undefined || f.label === label));
  assert.ok(found.length > 0, `no frame of api ${apiKey}${label === undefined ? '' : ` for ${label}`}`);
  return found.map((f) => f.body as RequestOf<K>);
}

/** Minimal look at a v2 record batch: its length field, magic byte and record count. */
function batchInfo(records: Buffer): { size: number; magic: number; count: number; baseOffset: number } {
  return {
    size: 12 + records.readInt32BE(8),
    magic: records.readInt8(16),
    count: records.readInt32BE(57),
    baseOffset: Number(records.readBigInt64BE(0)),
  };
}

function checkReencoding(frames: Decoded[]): void {
  for (const f of frames) {
    const again = Buffer.concat(encodeRequest(f.header as RequestHeader & { apiKey: ApiKey }, f.body as never));
    assert.equal(again.readInt32BE(0), f.frame.length);
    assert.ok(again.subarray(4).equals(f.frame), `${f.label}: api ${f.header.apiKey} v${f.header.apiVersion} re-encodes differently`);
  }
}

describe('kafkajs golden frames', () => {
  const { fixture, frames } = load('kafkajs');

  test('fixture provenance', () => {
    assert.equal(fixture.client, 'kafkajs');
    assert.match(fixture.version, /^2\.\d+\.\d+$/);
    assert.ok(frames.every((f) => f.header.clientId === 'golden-kafkajs'));
  });

  test('every frame re-encodes to the same bytes', () => checkReencoding(frames));

  test('ApiVersions v2 and Metadata v6', () => {
    assert.ok(frames.some((f) => f.header.apiKey === ApiKeys.ApiVersions && f.header.apiVersion === 2));
    const [metadata] = bodies(frames, ApiKeys.Metadata, 'admin.fetchTopicMetadata');
    assert.deepEqual(metadata!.topics!.map((t) => t.name), ['golden-a']);
    assert.equal(metadata!.allowAutoTopicCreation, false);
    const all = bodies(frames, ApiKeys.Metadata, 'admin.createTopics');
    assert.ok(all.some((m) => m.topics === null), 'kafkajs asks for all topics with a null array');
  });

  test('admin.createTopics: CreateTopics v3 with partitions, replication factor, configs and assignments', () => {
    const [req] = bodies(frames, ApiKeys.CreateTopics);
    assert.equal(req!.timeoutMs, 5000);
    assert.equal(req!.validateOnly, false);
    const [a, b] = req!.topics;
    assert.deepEqual(a, { name: 'golden-a', numPartitions: 2, replicationFactor: 1, assignments: [], configs: [{ name: 'cleanup.policy', value: 'compact' }] });
    assert.equal(b!.name, 'golden-b');
    assert.equal(b!.numPartitions, -1);
    assert.equal(b!.replicationFactor, -1);
    assert.deepEqual(b!.assignments, [{ partitionIndex: 0, brokerIds: [0] }, { partitionIndex: 1, brokerIds: [0] }]);
  });

  test('admin.describeConfigs: DescribeConfigs v2 for a topic', () => {
    const [req] = bodies(frames, ApiKeys.DescribeConfigs);
    assert.deepEqual(req!.resources, [{ resourceType: 2, resourceName: 'golden-a', configurationKeys: ['cleanup.policy', 'retention.ms'] }]);
    assert.equal(req!.includeSynonyms, false);
  });

  test('admin.deleteTopics: DeleteTopics v1 by name', () => {
    const [req] = bodies(frames, ApiKeys.DeleteTopics);
    assert.deepEqual(req!.topicNames, ['golden-b']);
    assert.equal(req!.timeoutMs, 5000);
  });

  test('producer.send: Produce v7, acks=-1, one v2 record batch per partition as a slice', () => {
    const [req] = bodies(frames, ApiKeys.Produce);
    assert.equal(req!.acks, -1);
    assert.equal(req!.timeoutMs, 30000);
    assert.equal(req!.transactionalId, null);
    const [topic] = req!.topicData;
    assert.equal(topic!.name, 'golden-a');
    assert.deepEqual(topic!.partitionData.map((p) => p.index), [0, 1]);
    const [p0, p1] = topic!.partitionData.map((p) => p.records!);
    assert.deepEqual(batchInfo(p0!), { size: p0!.length, magic: 2, count: 2, baseOffset: 0 });
    assert.deepEqual(batchInfo(p1!), { size: p1!.length, magic: 2, count: 1, baseOffset: 0 });
    const frame = frames.find((f) => f.header.apiKey === ApiKeys.Produce)!.frame;
    assert.equal(p0!.buffer, frame.buffer, 'records are a zero-copy slice of the frame');
    assert.ok(p0!.includes('hello') && p0!.includes('world') && p1!.includes('third'));
  });

  test('consumer group: FindCoordinator v2, JoinGroup v5, SyncGroup v3, Heartbeat v3, LeaveGroup v3', () => {
    const [find] = bodies(frames, ApiKeys.FindCoordinator);
    assert.equal(find!.key, 'golden-group');
    assert.equal(find!.keyType, 0);
    const [join] = bodies(frames, ApiKeys.JoinGroup);
    assert.equal(join!.groupId, 'golden-group');
    assert.equal(join!.sessionTimeoutMs, 10000);
    assert.equal(join!.memberId, '');
    assert.equal(join!.protocolType, 'consumer');
    assert.deepEqual(join!.protocols.map((p) => p.name), ['RoundRobinAssigner']);
    const [sync] = bodies(frames, ApiKeys.SyncGroup);
    assert.equal(sync!.generationId, 1);
    assert.equal(sync!.memberId, 'golden-member-1');
    assert.deepEqual(sync!.assignments.map((a) => a.memberId), ['golden-member-1']);
    assert.ok(sync!.assignments[0]!.assignment.includes('golden-a'));
    const [heartbeat] = bodies(frames, ApiKeys.Heartbeat);
    assert.deepEqual(heartbeat, { groupId: 'golden-group', generationId: 1, memberId: 'golden-member-1', groupInstanceId: null });
    const [leave] = bodies(frames, ApiKeys.LeaveGroup);
    assert.deepEqual(leave!.members.map((m) => m.memberId), ['golden-member-1']);
  });

  test('consumer offsets: OffsetFetch v4, ListOffsets v3 (earliest), OffsetCommit v5', () => {
    const [fetchOffsets] = bodies(frames, ApiKeys.OffsetFetch);
    assert.deepEqual(fetchOffsets!.topics, [{ name: 'golden-a', partitionIndexes: [0, 1] }]);
    const [list] = bodies(frames, ApiKeys.ListOffsets);
    assert.equal(list!.replicaId, -1);
    assert.deepEqual(list!.topics[0]!.partitions.map((p) => [p.partitionIndex, p.timestamp]), [[0, -2], [1, -2]]);
    const commits = bodies(frames, ApiKeys.OffsetCommit).flatMap((c) => c.topics[0]!.partitions.map((p) => [p.partitionIndex, p.committedOffset]));
    assert.deepEqual(commits.sort(), [[0, 2], [1, 1]]);
  });

  test('consumer fetch: Fetch v11 with per-partition fetch offsets', () => {
    const fetches = bodies(frames, ApiKeys.Fetch);
    assert.equal(fetches[0]!.replicaId, -1);
    assert.equal(fetches[0]!.isolationLevel, 1);
    assert.deepEqual(fetches[0]!.topics[0]!.partitions.map((p) => [p.partition, p.fetchOffset]), [[0, 0], [1, 0]]);
    assert.ok(fetches.some((f) => f.topics[0]!.partitions.some((p) => p.partition === 0 && p.fetchOffset === 2)));
  });
});

describe('librdkafka (kcat) golden frames', () => {
  const { fixture, frames } = load('librdkafka');

  test('fixture provenance', () => {
    assert.equal(fixture.client, 'kcat');
    assert.match(fixture.librdkafka ?? '', /^\d+\.\d+\.\d+$/);
    assert.ok(frames.every((f) => f.header.clientId === 'golden-kcat'));
  });

  test('every frame re-encodes to the same bytes', () => checkReencoding(frames));

  test('ApiVersions v3 is flexible (header v2) and names the client software (KIP-511)', () => {
    const api = frames.find((f) => f.header.apiKey === ApiKeys.ApiVersions)!;
    assert.equal(api.header.apiVersion, 3);
    const body = api.body as RequestOf<18>;
    assert.equal(body.clientSoftwareName, 'librdkafka');
    assert.equal(body.clientSoftwareVersion, fixture.librdkafka);
    // header v2: client id (int16 length) followed by an empty tagged-field section
    assert.equal(api.frame.subarray(8, 10).readInt16BE(0), 'golden-kcat'.length);
    assert.equal(api.frame[10 + 'golden-kcat'.length], 0);
  });

  test('kcat -L: Metadata v4 for all topics (null) and for one topic', () => {
    const all = bodies(frames, ApiKeys.Metadata, 'kcat -L');
    assert.ok(all.some((m) => m.topics === null));
    const [one] = bodies(frames, ApiKeys.Metadata, 'kcat -L -t golden-a');
    assert.deepEqual(one!.topics!.map((t) => t.name), ['golden-a']);
  });

  test('kcat -P: Produce v7, acks=-1, three records in one batch for partition 0', () => {
    const [req] = bodies(frames, ApiKeys.Produce);
    assert.equal(req!.acks, -1);
    const [topic] = req!.topicData;
    assert.equal(topic!.name, 'golden-a');
    const [p0] = topic!.partitionData;
    assert.equal(p0!.index, 0);
    assert.deepEqual(batchInfo(p0!.records!), { size: p0!.records!.length, magic: 2, count: 3, baseOffset: 0 });
  });

  test('kcat -C: ListOffsets v2 (earliest) then Fetch v11 from offset 0', () => {
    const [list] = bodies(frames, ApiKeys.ListOffsets, 'kcat -C -t golden-a -p 0 -o beginning -e');
    assert.deepEqual(list!.topics, [{ name: 'golden-a', partitions: [{ partitionIndex: 0, currentLeaderEpoch: -1, timestamp: -2, maxNumOffsets: 1 }] }]);
    const [fetch] = bodies(frames, ApiKeys.Fetch, 'kcat -C -t golden-a -p 0 -o beginning -e');
    assert.equal(fetch!.maxBytes, 52428800);
    assert.deepEqual(fetch!.topics[0]!.partitions.map((p) => [p.partition, p.fetchOffset]), [[0, 0]]);
  });

  test('kcat -G: the classic group protocol (JoinGroup v5 with range/roundrobin, OffsetFetch v7, OffsetCommit v7, LeaveGroup v1)', () => {
    const label = 'kcat -G golden-kcat-group golden-a -e';
    const [join] = bodies(frames, ApiKeys.JoinGroup, label);
    assert.equal(join!.groupId, 'golden-kcat-group');
    assert.deepEqual(join!.protocols.map((p) => p.name), ['range', 'roundrobin']);
    const [offsets] = bodies(frames, ApiKeys.OffsetFetch, label);
    assert.equal(offsets!.requireStable, true);
    assert.deepEqual(offsets!.topics, [{ name: 'golden-a', partitionIndexes: [0, 1] }]);
    const [commit] = bodies(frames, ApiKeys.OffsetCommit, label);
    assert.deepEqual(commit!.topics[0]!.partitions.map((p) => [p.partitionIndex, p.committedOffset]), [[0, 2], [1, 1]]);
    const [leave] = bodies(frames, ApiKeys.LeaveGroup, label);
    assert.equal(leave!.memberId, 'golden-member-2');
  });
});
