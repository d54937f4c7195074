/**
 * Hostile and malformed input over raw sockets: random bytes, a frame larger than socket.request.max.bytes,
 * a truncated request, an unknown API key, and API versions out of range. Each gets the right error or a
 * closed connection with a logged reason, and the broker keeps serving other clients throughout.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import { startCluster, type Cluster } from '../harness/cluster';
import { kcat } from './clients';

interface Exchange {
  closed: boolean;
  response: Buffer | null;
}

/** Sends raw bytes; resolves with the first response frame, or closed=true when the broker hangs up. */
function exchange(port: number, data: Buffer, waitMs = 3000): Promise<Exchange> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let buf = Buffer.alloc(0);
    const done = (result: Exchange) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => done({ closed: false, response: null }), waitMs);
    socket.on('connect', () => socket.write(data));
    socket.on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      if (buf.length >= 4 && buf.length >= 4 + buf.readInt32BE(0)) done({ closed: false, response: buf.subarray(4, 4 + buf.readInt32BE(0)) });
    });
    socket.on('close', () => done({ closed: true, response: null }));
    socket.on('error', () => undefined);
  });
}

/**
 * A request frame: size, api key, version, correlation id, client id, then body bytes. Flexible versions
 * use request header v2, which ends with an (empty) tagged-field section.
 */
function frame(apiKey: number, version: number, correlationId: number, body = Buffer.alloc(0), flexible = false): Buffer {
  const clientId = Buffer.from('bad-input-test');
  const header = Buffer.alloc(10 + clientId.length + (flexible ? 1 : 0));
  header.writeInt16BE(apiKey, 0);
  header.writeInt16BE(version, 2);
  header.writeInt32BE(correlationId, 4);
  header.writeInt16BE(clientId.length, 8);
  clientId.copy(header, 10);
  const size = Buffer.alloc(4);
  size.writeInt32BE(header.length + body.length, 0);
  return Buffer.concat([size, header, body]);
}

describe('bad input', { timeout: 120_000 }, () => {
  let cluster: Cluster;
  let port: number;
  before(async () => {
    cluster = await startCluster({ brokers: 1, props: { 'socket.request.max.bytes': '1048576' } });
    port = cluster.brokers[0]!.port;
  });
  after(async () => {
    await cluster?.stop();
  });

  async function brokerStillServes(): Promise<void> {
    const res = await kcat(['-b', cluster.bootstrap, '-L', '-m', '10']);
    assert.equal(res.code, 0, `broker stopped serving: ${res.stderr}`);
    assert.match(res.stdout, /broker 0 at/);
  }

  test('random bytes close the connection with a logged reason', async () => {
    for (let i = 0; i < 20; i++) {
      const junk = randomBytes(64 + i * 37);
      junk.writeInt32BE(60 + i * 37, 0); // a plausible frame size so the junk is parsed as a request
      const r = await exchange(port, junk);
      assert.ok(r.closed || r.response !== null);
    }
    const pure = await exchange(port, randomBytes(4096));
    assert.equal(pure.closed, true);
    await brokerStillServes();
  });

  test('a frame over socket.request.max.bytes closes the connection', async () => {
    const broker = cluster.brokers[0]!;
    const from = broker.output.length;
    const size = Buffer.alloc(4);
    size.writeInt32BE(2 * 1048576, 0);
    const r = await exchange(port, Buffer.concat([size, Buffer.alloc(100)]));
    assert.equal(r.closed, true);
    await broker.waitForOutput(/larger than the maximum of 1048576 bytes/, 5000, from);
    await brokerStillServes();
  });

  test('a truncated request closes the connection', async () => {
    // Metadata v1: one topic whose name claims 5 bytes but the frame ends after 2 of them.
    const cut = frame(3, 1, 7, Buffer.from([0, 0, 0, 1, 0, 5, 0x61, 0x62]));
    const r = await exchange(port, cut);
    assert.equal(r.closed, true);
    await brokerStillServes();
  });

  test('an unknown API key closes the connection with a logged reason', async () => {
    const broker = cluster.brokers[0]!;
    const from = broker.output.length;
    const r = await exchange(port, frame(999, 0, 42));
    assert.equal(r.closed, true);
    await broker.waitForOutput(/Unknown API key 999/, 5000, from);
    await brokerStillServes();
  });

  test('an out-of-range version gets UNSUPPORTED_VERSION and the connection stays usable', async () => {
    // ApiVersions v127: a v0 response with error 35 and ApiVersions' own range.
    const av = await exchange(port, frame(18, 127, 5, Buffer.alloc(0), true));
    assert.ok(av.response, 'ApiVersions answered');
    assert.equal(av.response!.readInt32BE(0), 5);
    assert.equal(av.response!.readInt16BE(4), 35);
    assert.equal(av.response!.readInt32BE(6), 1, 'one api listed');
    assert.equal(av.response!.readInt16BE(10), 18);
    // Metadata v99: response header then UNSUPPORTED_VERSION.
    const md = await exchange(port, frame(3, 99, 6, Buffer.alloc(0), true));
    assert.ok(md.response, 'Metadata answered');
    assert.equal(md.response!.readInt32BE(0), 6);
    assert.equal(md.response!.readInt16BE(4), 35);
    await brokerStillServes();
  });

  test('a request that fails mid-stream does not disturb a healthy client on another connection', async () => {
    const healthy = kcat(['-b', cluster.bootstrap, '-L', '-m', '10']);
    await Promise.all(Array.from({ length: 10 }, () => exchange(port, randomBytes(512), 500)));
    const res = await healthy;
    assert.equal(res.code, 0);
  });
});
