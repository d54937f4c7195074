// KafkaChannel closing on a processor's CloseConnectionError: the reason is logged at the level the error
// asks for (an acks=0 produce failure is routine, INFO; a malformed request WARN), over a real socket.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { CloseConnectionError, KafkaChannel, type FrameProcessor } from '../../src/network/kafka-channel';
import { RequestDispatcher } from '../../src/server/request-dispatcher';
import { ApiKeys, encodeRequest } from '../../src/protocol';
import { defineHandler } from '../../src/server/api-handler';

interface Logged {
  level: string;
  msg: string;
}

describe('KafkaChannel close reasons', () => {
  let server: net.Server;
  let port: number;
  let processor: FrameProcessor;
  let logged: Logged[];
  const closed: KafkaChannel[] = [];

  before(async () => {
    server = net.createServer((socket) => {
      const log = (level: string) => (msg: string) => logged.push({ level, msg });
      new KafkaChannel('test', socket, 'PLAINTEXT', 'PLAINTEXT', {
        maxRequestSize: 1024,
        maxQueuedRequests: 10,
        processor: (ch, frame) => processor(ch, frame),
        logger: { info: log('info'), warn: log('warn'), debug: log('debug'), isDebugEnabled: () => false },
        onClose: (ch) => closed.push(ch),
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as net.AddressInfo).port;
  });
  after(() => server.close());

  /** Sends one frame and resolves once the broker side closed the connection. */
  function sendAndAwaitClose(frame: Buffer): Promise<void> {
    return new Promise((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => s.write(frame));
      s.on('close', () => resolve());
      s.on('error', () => undefined);
    });
  }

  const someFrame = () => Buffer.concat(encodeRequest({ apiKey: ApiKeys.Produce, apiVersion: 9, correlationId: 1, clientId: 'c' }, { acks: 0, timeoutMs: 1, topicData: [] }));

  test('CloseConnectionError with level info is logged at info', async () => {
    logged = [];
    processor = async () => {
      throw new CloseConnectionError('acks=0 failure', { level: 'info' });
    };
    await sendAndAwaitClose(someFrame());
    assert.equal(logged.length, 1);
    assert.equal(logged[0]!.level, 'info');
    assert.match(logged[0]!.msg, /acks=0 failure/);
  });

  test('any other processing error is logged at warn', async () => {
    logged = [];
    processor = async () => {
      throw new Error('boom');
    };
    await sendAndAwaitClose(someFrame());
    assert.deepEqual(logged.map((l) => l.level), ['warn']);
  });

  test('the dispatcher passes a handler\'s CloseConnectionError through without logging it as an error', async () => {
    logged = [];
    const errors: string[] = [];
    const dispatcher = new RequestDispatcher(
      [
        defineHandler({
          apiKey: ApiKeys.Produce,
          minVersion: 3,
          maxVersion: 11,
          handle: () => {
            throw new CloseConnectionError('produce with acks=0 failed', { level: 'info' });
          },
        }),
      ],
      {
        info: () => undefined,
        warn: () => undefined,
        error: (msg: string) => errors.push(msg),
        debug: () => undefined,
        isDebugEnabled: () => false,
      },
    );
    processor = dispatcher.process;
    await sendAndAwaitClose(someFrame());
    assert.deepEqual(errors, []);
    assert.deepEqual(logged.map((l) => [l.level, /produce with acks=0 failed/.test(l.msg)]), [['info', true]]);
  });
});
