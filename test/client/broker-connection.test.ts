// BrokerConnection against a real TCP server on 127.0.0.1 that speaks the Kafka framing through the
// project's codec: correlation and in-order matching with many requests in flight, responses split
// across chunks or coalesced, disconnects and timeouts rejecting pending requests, acks=0 requests,
// ApiVersions negotiation including the KIP-511 fallback.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as net from 'node:net';
import { ApiKeys, ErrorCode } from '../../src/protocol';
import { BrokerConnection } from '../../src/client/broker-connection';
import {
  ClientClosedError,
  CorrelationMismatchError,
  KafkaConnectionError,
  RequestTimeoutError,
  UnsupportedVersionError,
} from '../../src/client/client-errors';
import { apiVersionsBody, responseFrame, startFakeBroker, type ReceivedRequest } from './fake-broker';

const FULL_RANGES: Record<number, [number, number]> = {
  [ApiKeys.Produce]: [0, 11],
  [ApiKeys.Fetch]: [0, 17],
  [ApiKeys.ListOffsets]: [0, 9],
  [ApiKeys.Metadata]: [0, 12],
  [ApiKeys.ApiVersions]: [0, 4],
};

function metadataBody(tag: number): Record<string, unknown> {
  return { brokers: [{ nodeId: tag, host: 'h', port: 1, rack: null }], clusterId: `c${tag}`, controllerId: tag, topics: [] };
}

test('negotiates ApiVersions and picks the highest common version', async () => {
  const broker = await startFakeBroker((req) => {
    if (req.header.apiKey === ApiKeys.ApiVersions) req.respond(apiVersionsBody({ ...FULL_RANGES, [ApiKeys.Fetch]: [4, 12] }));
  });
  const conn = new BrokerConnection({ host: '127.0.0.1', port: broker.port, clientId: 'test-client' });
  try {
    await conn.ready();
    const sent = broker.requests[0]!;
    assert.equal(sent.header.apiVersion, 4);
    assert.equal(sent.header.clientId, 'test-client');
    assert.equal(sent.body.clientSoftwareName, 'ts-kafka');
    assert.equal(conn.pickVersion(ApiKeys.Fetch, 0, 17), 12);
    assert.equal(conn.pickVersion(ApiKeys.Metadata, 1, 9), 9);
    assert.throws(() => conn.pickVersion(ApiKeys.Fetch, 13, 17), UnsupportedVersionError);
    assert.throws(() => conn.pickVersion(ApiKeys.CreateTopics, 0, 7), UnsupportedVersionError);
  } finally {
    conn.close();
    await broker.close();
  }
});

test('falls back when the broker answers UNSUPPORTED_VERSION with a v0 body (KIP-511)', async () => {
  const broker = await startFakeBroker((req) => {
    if (req.header.apiKey !== ApiKeys.ApiVersions) return;
    if (req.header.apiVersion > 2) {
      // What an older broker does: a v0 body with the error and ApiVersions' own range.
      const frame = responseFrame({ ...req.header, apiVersion: 0 }, {
        errorCode: ErrorCode.UNSUPPORTED_VERSION,
        apiKeys: [{ apiKey: ApiKeys.ApiVersions, minVersion: 0, maxVersion: 2 }],
      });
      req.socket.write(frame);
    } else {
      req.respond(apiVersionsBody({ [ApiKeys.ApiVersions]: [0, 2], [ApiKeys.Metadata]: [0, 8] }));
    }
  });
  const conn = new BrokerConnection({ host: '127.0.0.1', port: broker.port });
  try {
    const versions = await conn.negotiateApiVersions();
    assert.deepEqual(broker.requests.map((r) => r.header.apiVersion), [4, 2]);
    assert.deepEqual(versions.get(ApiKeys.Metadata), { min: 0, max: 8 });
    assert.equal(conn.pickVersion(ApiKeys.Metadata, 0, 12), 8);
  } finally {
    conn.close();
    await broker.close();
  }
});

test('many requests in flight are matched in order even when responses are split or coalesced', async () => {
  const held: ReceivedRequest[] = [];
  const broker = await startFakeBroker((req) => {
    held.push(req);
    if (held.length === 50) {
      // Answer all 50 in one buffer, then write it a few bytes at a time.
      const all = Buffer.concat(held.map((r) => responseFrame(r.header, metadataBody(r.body.topics ? (r.body.topics as unknown[]).length : 0))));
      let pos = 0;
      const step = () => {
        if (pos >= all.length) return;
        const n = 1 + ((pos * 7) % 13);
        req.socket.write(all.subarray(pos, pos + n));
        pos += n;
        setImmediate(step);
      };
      step();
    }
  });
  const conn = new BrokerConnection({ host: '127.0.0.1', port: broker.port });
  try {
    const promises = [];
    for (let i = 0; i < 50; i++) {
      const topics = Array.from({ length: i }, (_, j) => ({ name: `t${j}` }));
      promises.push(conn.request(ApiKeys.Metadata, 9, { topics }));
    }
    assert.equal(conn.inFlightCount, 50);
    const responses = await Promise.all(promises);
    responses.forEach((r, i) => {
      assert.equal(r.controllerId, i);
      assert.equal(r.clusterId, `c${i}`);
    });
    const ids = broker.requests.map((r) => r.header.correlationId);
    assert.deepEqual(ids, [...ids].sort((a, b) => a - b));
    assert.equal(new Set(ids).size, 50);
    assert.equal(conn.inFlightCount, 0);
  } finally {
    conn.close();
    await broker.close();
  }
});

test('a disconnect rejects every pending request; the next request reconnects', async () => {
  let drop = true;
  const broker = await startFakeBroker((req) => {
    if (drop && broker.requests.length === 3) {
      req.socket.destroy();
      return;
    }
    if (!drop) req.respond(metadataBody(7));
  });
  const conn = new BrokerConnection({ host: '127.0.0.1', port: broker.port });
  try {
    const closes: unknown[] = [];
    conn.on('close', (err) => closes.push(err));
    const pending = [0, 1, 2].map(() => conn.request(ApiKeys.Metadata, 9, { topics: [] }));
    for (const p of pending) await assert.rejects(p, KafkaConnectionError);
    assert.equal(closes.length, 1);
    assert.equal(conn.isConnected, false);
    drop = false;
    const r = await conn.request(ApiKeys.Metadata, 9, { topics: [] });
    assert.equal(r.controllerId, 7);
  } finally {
    conn.close();
    await broker.close();
  }
});

test('a timed-out request is rejected with RequestTimeoutError and closes the connection', async () => {
  let answer = false;
  const broker = await startFakeBroker((req) => {
    if (answer) req.respond(metadataBody(1));
  });
  const conn = new BrokerConnection({ host: '127.0.0.1', port: broker.port, requestTimeoutMs: 5000 });
  try {
    const slow = conn.request(ApiKeys.Metadata, 9, { topics: [] }, { timeoutMs: 5000 });
    const fast = conn.request(ApiKeys.Metadata, 9, { topics: [] }, { timeoutMs: 100 });
    const started = Date.now();
    await assert.rejects(fast, (err: unknown) => {
      assert.ok(err instanceof RequestTimeoutError);
      assert.equal(err.apiKey, ApiKeys.Metadata);
      return true;
    });
    await assert.rejects(slow, KafkaConnectionError);
    assert.ok(Date.now() - started < 2000);
    answer = true;
    assert.equal((await conn.request(ApiKeys.Metadata, 9, { topics: [] })).controllerId, 1);
  } finally {
    conn.close();
    await broker.close();
  }
});

test('a response with the wrong correlation id fails the connection', async () => {
  const broker = await startFakeBroker((req) => {
    req.socket.write(responseFrame({ ...req.header, correlationId: req.header.correlationId + 100 }, metadataBody(1)));
  });
  const conn = new BrokerConnection({ host: '127.0.0.1', port: broker.port });
  try {
    await assert.rejects(conn.request(ApiKeys.Metadata, 9, { topics: [] }), CorrelationMismatchError);
  } finally {
    conn.close();
    await broker.close();
  }
});

test('acks=0 produce requests expect no response and do not block later responses', async () => {
  const broker = await startFakeBroker((req) => {
    if (req.header.apiKey === ApiKeys.Metadata) req.respond(metadataBody(3));
  });
  const conn = new BrokerConnection({ host: '127.0.0.1', port: broker.port });
  try {
    const produced = await conn.request(
      ApiKeys.Produce,
      9,
      { acks: 0, timeoutMs: 1000, topicData: [] },
      { expectResponse: false },
    );
    assert.equal(produced, undefined);
    assert.equal(conn.inFlightCount, 0);
    const r = await conn.request(ApiKeys.Metadata, 9, { topics: [] });
    assert.equal(r.controllerId, 3);
    assert.equal(broker.requests[0]!.header.apiKey, ApiKeys.Produce);
    assert.equal(broker.requests[0]!.body.acks, 0);
  } finally {
    conn.close();
    await broker.close();
  }
});

test('connection refused rejects with KafkaConnectionError; close() rejects later requests', async () => {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  const conn = new BrokerConnection({ host: '127.0.0.1', port });
  await assert.rejects(conn.request(ApiKeys.Metadata, 9, { topics: [] }), KafkaConnectionError);
  await assert.rejects(conn.connect(), KafkaConnectionError);
  conn.close();
  await assert.rejects(conn.request(ApiKeys.Metadata, 9, { topics: [] }), ClientClosedError);
});

test('close() rejects requests in flight', async () => {
  const broker = await startFakeBroker(() => undefined);
  const conn = new BrokerConnection({ host: '127.0.0.1', port: broker.port });
  try {
    const p = conn.request(ApiKeys.Metadata, 9, { topics: [] });
    await conn.connect();
    conn.close();
    await assert.rejects(p, ClientClosedError);
  } finally {
    await broker.close();
  }
});
