// Request/response framing: header versions per api and version (KIP-482, KIP-511, ControlledShutdown v0),
// size prefixes, zero-copy records chunks, unknown api keys, and the public entry points end to end.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ApiKeys,
  decodeRequest,
  decodeRequestHeader,
  decodeResponse,
  encodeRequest,
  encodeResponse,
  isDefinedApiKey,
  requestHeaderVersion,
  responseHeaderVersion,
  supportedVersions,
  ProtocolDecodeError,
  UnsupportedApiVersionError,
  type ApiKey,
} from '../../src/protocol/index';
import { ApiDefinitions } from '../../src/protocol/messages/index';
import { parseVersionRange, rangeContains } from '../../src/protocol/versions';
import { sampleMessage } from './samples';

const frameOf = (chunks: Buffer[]): Buffer => {
  const all = Buffer.concat(chunks);
  assert.equal(all.readInt32BE(0), all.length - 4, 'size prefix excludes itself');
  return all.subarray(4);
};

test('supportedVersions covers exactly the 36 defined APIs with the 3.9 ranges', () => {
  const expected: Record<string, [number, number]> = {
    ApiVersions: [0, 4], Metadata: [0, 12], Produce: [0, 11], Fetch: [0, 17], ListOffsets: [0, 9],
    CreateTopics: [0, 7], DeleteTopics: [0, 6], DescribeConfigs: [0, 4], LeaderAndIsr: [0, 7],
    UpdateMetadata: [0, 8], StopReplica: [0, 4], ControlledShutdown: [0, 3], OffsetForLeaderEpoch: [0, 4],
    CreatePartitions: [0, 3], AlterConfigs: [0, 2], IncrementalAlterConfigs: [0, 1], ElectLeaders: [0, 2],
    AlterPartitionReassignments: [0, 0], ListPartitionReassignments: [0, 0], DescribeCluster: [0, 1],
    FindCoordinator: [0, 6], JoinGroup: [0, 9], Heartbeat: [0, 4], LeaveGroup: [0, 5], SyncGroup: [0, 5],
    DescribeGroups: [0, 5], ListGroups: [0, 5], OffsetCommit: [0, 9], OffsetFetch: [0, 9], DeleteGroups: [0, 2],
    OffsetDelete: [0, 0], InitProducerId: [0, 5], DeleteRecords: [0, 2], DescribeLogDirs: [0, 4], SaslHandshake: [0, 1],
    DescribeProducers: [0, 0],
  };
  for (const [name, [min, max]] of Object.entries(expected)) {
    const key = ApiKeys[name as keyof typeof ApiKeys];
    assert.deepEqual(supportedVersions(key), { min, max }, name);
    assert.equal(isDefinedApiKey(key), true);
  }
  assert.equal(Object.keys(ApiDefinitions).length, Object.keys(expected).length);
  assert.equal(supportedVersions(ApiKeys.AddPartitionsToTxn), undefined);
  assert.equal(supportedVersions(999), undefined);
});

test('request header: v2 when flexible, v1 otherwise, v0 for ControlledShutdown v0 only', () => {
  for (const def of Object.values(ApiDefinitions)) {
    const valid = parseVersionRange(def.request.validVersions);
    const flexible = parseVersionRange(def.request.flexibleVersions);
    for (let v = valid.min; v <= valid.max; v++) {
      const expected = def.apiKey === 7 && v === 0 ? 0 : rangeContains(flexible, v) ? 2 : 1;
      assert.equal(requestHeaderVersion(def.apiKey, v), expected, `${def.name} v${v}`);
      const expectedResponse = def.apiKey === 18 ? 0 : rangeContains(flexible, v) ? 1 : 0;
      assert.equal(responseHeaderVersion(def.apiKey, v), expectedResponse, `${def.name} v${v} response`);
    }
  }
  assert.equal(requestHeaderVersion(ApiKeys.ApiVersions, 9), 2, 'a future ApiVersions version is still flexible');
  assert.equal(requestHeaderVersion(ApiKeys.Vote, 0), 1, 'APIs we do not define: v1');
});

test('header bytes: v1 client id is an int16 string, v2 adds an empty tagged section, v0 has none', () => {
  const v1 = frameOf(encodeRequest({ apiKey: ApiKeys.Metadata, apiVersion: 1, correlationId: 5, clientId: 'c' }, { topics: [] }));
  assert.equal(v1.toString('hex'), '0003' + '0001' + '00000005' + '000163' + '00000000');
  const v2 = frameOf(encodeRequest({ apiKey: ApiKeys.Metadata, apiVersion: 9, correlationId: 5, clientId: 'c' }, { topics: [] }));
  assert.equal(v2.toString('hex'), '0003' + '0009' + '00000005' + '000163' + '00' + '01' + '01' + '00' + '00' + '00');
  const cs0 = frameOf(encodeRequest({ apiKey: ApiKeys.ControlledShutdown, apiVersion: 0, correlationId: 1, clientId: 'dropped' }, { brokerId: 2 }));
  assert.equal(cs0.toString('hex'), '0007' + '0000' + '00000001' + '00000002');
  const { header, bodyOffset } = decodeRequestHeader(cs0);
  assert.deepEqual(header, { apiKey: 7, apiVersion: 0, correlationId: 1, clientId: '' }, 'header v0 has no client id: Kafka\'s default, ""');
  assert.deepEqual(decodeRequest(ApiKeys.ControlledShutdown, 0, cs0, bodyOffset), { brokerId: 2, brokerEpoch: -1 });
  const nullId = frameOf(encodeRequest({ apiKey: ApiKeys.Heartbeat, apiVersion: 0, correlationId: 1, clientId: null }, {}));
  assert.equal(decodeRequestHeader(nullId).header.clientId, null);
});

test('unknown api keys and versions still yield a header (v1) and the body offset', () => {
  const frame = Buffer.from('03e7' + '0005' + '0000002a' + '0003616263' + 'deadbeef', 'hex');
  const { header, bodyOffset } = decodeRequestHeader(frame);
  assert.deepEqual(header, { apiKey: 999, apiVersion: 5, correlationId: 42, clientId: 'abc' });
  assert.equal(bodyOffset, 13);
  assert.throws(() => decodeRequest(999 as ApiKey, 5, frame, bodyOffset), UnsupportedApiVersionError);
  // ApiVersions v7 (unknown to 3.9) from a future client: header v2 is read so the broker can answer.
  const future = Buffer.from('0012' + '0007' + '00000001' + '0001' + '78' + '00' + 'ffff', 'hex');
  const h = decodeRequestHeader(future);
  assert.deepEqual(h.header, { apiKey: 18, apiVersion: 7, correlationId: 1, clientId: 'x' });
  assert.equal(h.bodyOffset, 12);
  assert.throws(
    () => decodeRequest(ApiKeys.ApiVersions, 7, future, h.bodyOffset),
    (e: unknown) => e instanceof UnsupportedApiVersionError && e.apiKey === 18 && e.apiVersion === 7,
  );
  assert.throws(() => decodeRequestHeader(Buffer.from('0003000100', 'hex')), ProtocolDecodeError);
});

test('ApiVersions responses always use header v0, even when flexible (KIP-511)', () => {
  const chunks = encodeResponse(ApiKeys.ApiVersions, 3, 77, {
    errorCode: 0,
    apiKeys: [{ apiKey: 18, minVersion: 0, maxVersion: 4 }],
  });
  const frame = frameOf(chunks);
  // correlation id, then straight into the body: error code int16, compact array of 1 entry
  assert.equal(frame.subarray(0, 7).toString('hex'), '0000004d' + '0000' + '02');
  const { correlationId, body } = decodeResponse(ApiKeys.ApiVersions, 3, frame);
  assert.equal(correlationId, 77);
  assert.deepEqual(body.apiKeys, [{ apiKey: 18, minVersion: 0, maxVersion: 4 }]);
  assert.equal(body.finalizedFeaturesEpoch, -1);
  // The v0 fallback body a broker sends for an unsupported ApiVersions version.
  const fallback = frameOf(encodeResponse(ApiKeys.ApiVersions, 0, 1, { errorCode: 35, apiKeys: [{ apiKey: 18, minVersion: 0, maxVersion: 4 }] }));
  assert.equal(fallback.toString('hex'), '00000001' + '0023' + '00000001' + '0012' + '0000' + '0004');
});

test('a flexible response carries header v1 (an empty tagged section after the correlation id)', () => {
  const frame = frameOf(encodeResponse(ApiKeys.Heartbeat, 4, 3, { errorCode: 0 }));
  assert.equal(frame.toString('hex'), '00000003' + '00' + '00000000' + '0000' + '00');
  assert.deepEqual(decodeResponse(ApiKeys.Heartbeat, 4, frame), { correlationId: 3, body: { throttleTimeMs: 0, errorCode: 0 } });
});

test('Fetch responses emit records Buffers as their own chunks, uncopied', () => {
  const batchA = Buffer.from('first batch bytes');
  const batchB = Buffer.from('second');
  const chunks = encodeResponse(ApiKeys.Fetch, 17, 9, {
    responses: [{ topicId: 'AAAAAAAAAAAAAAAAAAAAAQ', partitions: [{ partitionIndex: 0, highWatermark: 10, records: [batchA, batchB] }] }],
  });
  assert.ok(chunks.includes(batchA) && chunks.includes(batchB), 'the very same Buffer objects');
  const { body } = decodeResponse(ApiKeys.Fetch, 17, frameOf(chunks));
  const p = body.responses[0]!.partitions[0]!;
  assert.equal(p.records!.toString(), 'first batch bytessecond');
  assert.equal(p.highWatermark, 10);
  assert.equal(p.lastStableOffset, -1);
});

test('Produce request records decode as a slice of the request frame', () => {
  const batch = Buffer.from('pretend record batch');
  const frame = frameOf(encodeRequest({ apiKey: ApiKeys.Produce, apiVersion: 9, correlationId: 1, clientId: 'p' }, {
    acks: -1,
    timeoutMs: 30000,
    topicData: [{ name: 't', partitionData: [{ index: 0, records: batch }] }],
  }));
  const { bodyOffset } = decodeRequestHeader(frame);
  const req = decodeRequest(ApiKeys.Produce, 9, frame, bodyOffset);
  const records = req.topicData[0]!.partitionData[0]!.records!;
  assert.equal(records.toString(), 'pretend record batch');
  assert.equal(records.buffer, frame.buffer, 'zero-copy: same memory as the frame');
  assert.equal(req.transactionalId, null);
});

test('every API and version goes through encodeRequest/decodeRequest and encodeResponse/decodeResponse', () => {
  let n = 0;
  for (const def of Object.values(ApiDefinitions)) {
    const key = def.apiKey as ApiKey;
    const valid = parseVersionRange(def.request.validVersions);
    for (let v = valid.min; v <= valid.max; v++) {
      const req = sampleMessage(def.request, v, 'full');
      const reqFrame = frameOf(encodeRequest({ apiKey: key, apiVersion: v, correlationId: v + 100, clientId: 'rt' }, req as never));
      const { header, bodyOffset } = decodeRequestHeader(reqFrame);
      assert.deepEqual(header, { apiKey: key, apiVersion: v, correlationId: v + 100, clientId: key === 7 && v === 0 ? '' : 'rt' });
      assert.deepEqual(decodeRequest(key, v, reqFrame, bodyOffset), req);
      const res = sampleMessage(def.response, v, 'full');
      const resFrame = frameOf(encodeResponse(key, v, v + 200, res as never));
      assert.deepEqual(decodeResponse(key, v, resFrame), { correlationId: v + 200, body: res });
      n++;
    }
  }
  assert.equal(n, 212);
});

test('encoding a version outside the definitions is refused', () => {
  assert.throws(() => encodeResponse(ApiKeys.Metadata, 13, 1, {}), UnsupportedApiVersionError);
  assert.throws(() => encodeRequest({ apiKey: ApiKeys.Fetch, apiVersion: -1, correlationId: 1, clientId: null }, {}), UnsupportedApiVersionError);
});
