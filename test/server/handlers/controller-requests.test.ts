// Regression tests for controller requests sent by a client (found by the protocol fuzz test): Kafka takes
// any controller epoch not older than the last one, so a client claiming a huge epoch fenced the real
// controller off the broker, and a ControlledShutdown naming a live broker moved leadership off it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiKeys, ErrorCode } from '../../../src/protocol';
import { fenceUnknownController } from '../../../src/server/handlers/controller-requests';
import { controlledShutdownHandler } from '../../../src/server/handlers/controlled-shutdown';
import { updateMetadataHandler } from '../../../src/server/handlers/update-metadata';
import { MetadataCache } from '../../../src/metadata/metadata-cache';
import { brokerWith, contextFor } from './handler-support';

/** The parts of KafkaController the checks read; `onTurn` runs when the event queue is given a turn. */
function controllerStub(opts: { active: number; self?: number; epoch?: number; onTurn?: () => void }) {
  const c = {
    activeControllerId: opts.active,
    isActive: opts.active === (opts.self ?? 0),
    epoch: opts.epoch ?? 3,
    turns: 0,
    runOnEventLoop: async () => {
      c.turns++;
      opts.onTurn?.();
      c.isActive = c.activeControllerId === (opts.self ?? 0);
    },
  };
  return c;
}

test('a controller request naming the known controller passes', async () => {
  const controller = controllerStub({ active: 2 });
  const broker = brokerWith({ brokerId: 0, controller: () => controller });
  assert.equal(await fenceUnknownController(broker, { controllerId: 2, controllerEpoch: 999 }), null);
  assert.equal(controller.turns, 0, 'no wait when the ids match');
});

test('a request naming another controller waits one event-queue turn for a pending /controller change', async () => {
  const controller = controllerStub({ active: 2, onTurn: () => (controller.activeControllerId = 5) });
  const broker = brokerWith({ brokerId: 0, controller: () => controller });
  assert.equal(await fenceUnknownController(broker, { controllerId: 5, controllerEpoch: 4 }), null);
  assert.equal(controller.turns, 1);
});

test('a request naming a controller that is not the active one is fenced', async () => {
  const controller = controllerStub({ active: 2 });
  const broker = brokerWith({ brokerId: 0, controller: () => controller });
  assert.match((await fenceUnknownController(broker, { controllerId: 7, controllerEpoch: 0x7fffffff }))!, /active controller is 2/);
});

test('a request naming this broker as controller must carry its own epoch', async () => {
  const controller = controllerStub({ active: 0, self: 0, epoch: 3 });
  const broker = brokerWith({ brokerId: 0, controller: () => controller });
  assert.equal(await fenceUnknownController(broker, { controllerId: 0, controllerEpoch: 3 }), null);
  assert.match((await fenceUnknownController(broker, { controllerId: 0, controllerEpoch: 0x7fffffff }))!, /its epoch is 3/);
});

test('without a known controller only Kafka\'s own checks apply', async () => {
  assert.equal(await fenceUnknownController(brokerWith({ brokerId: 0, controller: () => undefined }), { controllerId: 9, controllerEpoch: 9 }), null);
  const none = controllerStub({ active: -1 });
  assert.equal(await fenceUnknownController(brokerWith({ brokerId: 0, controller: () => none }), { controllerId: 9, controllerEpoch: 9 }), null);
});

test('UpdateMetadata with a huge epoch from a client leaves the cache and the controller epoch alone', async () => {
  const cache = new MetadataCache(0);
  const warnings: string[] = [];
  const replicaManager = { brokerEpoch: 25, controllerEpoch: 1 };
  const controller = controllerStub({ active: 0, self: 0, epoch: 1 });
  const handler = updateMetadataHandler(
    brokerWith({ brokerId: 0, controller: () => controller, replicaManager, metadataCache: cache }),
    { warn: (m: string) => warnings.push(m) },
  );
  const res = await handler.handle(
    { controllerId: 0, controllerEpoch: 0x7fffffff, brokerEpoch: 2 ** 53, liveBrokers: [], ungroupedPartitionStates: [], topicStates: [] } as never,
    contextFor(ApiKeys.UpdateMetadata, 7),
  );
  assert.equal(res!.errorCode, ErrorCode.STALE_CONTROLLER_EPOCH);
  assert.equal(replicaManager.controllerEpoch, 1);
  assert.equal(cache.controllerId, -1, 'the cache was not replaced');
  assert.match(warnings[0]!, /Ignoring UpdateMetadata request with controller epoch 2147483647/);
});

test('ControlledShutdown must carry the epoch the broker registered with', async () => {
  const calls: [number, number][] = [];
  const controller = {
    isActive: true,
    controllerContext: { liveBrokerEpoch: (id: number) => (id === 1 ? 40 : -1) },
    controlledShutdown: async (id: number, epoch: number) => {
      calls.push([id, epoch]);
      return [];
    },
  };
  const warnings: string[] = [];
  const handler = controlledShutdownHandler(brokerWith({ controller: () => controller }), {
    error: () => assert.fail('no error expected'),
    warn: (m: string) => warnings.push(m),
  });
  const ask = (brokerId: number, brokerEpoch: number) =>
    handler.handle({ brokerId, brokerEpoch } as never, contextFor(ApiKeys.ControlledShutdown, 3));
  assert.equal((await ask(1, 2 ** 53))!.errorCode, ErrorCode.STALE_BROKER_EPOCH);
  assert.equal((await ask(1, -1))!.errorCode, ErrorCode.STALE_BROKER_EPOCH, 'v0/v1 carry no epoch');
  assert.equal((await ask(1, 39))!.errorCode, ErrorCode.STALE_BROKER_EPOCH);
  assert.deepEqual(calls, []);
  assert.equal(warnings.length, 3);
  assert.equal((await ask(1, 40))!.errorCode, ErrorCode.NONE);
  assert.equal((await ask(7, -1))!.errorCode, ErrorCode.NONE, 'an unregistered broker is the controller\'s to answer');
  assert.deepEqual(calls, [[1, 40], [7, -1]]);
});
