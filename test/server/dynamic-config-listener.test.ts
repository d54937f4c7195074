// The /config/changes watch against a real ZooKeeper: notifications present at start are all processed,
// in sequence order; afterwards only newer ones; a malformed one does not stop the others; old ones are
// purged by ctime; the watch survives a ZooKeeper session expiry; nothing is processed after close.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { NOOP_LOGGER, type Logger } from '../../src/common/logger';
import { ConfigChangeListener } from '../../src/server/config/config-change-listener';
import { changeNumber } from '../../src/server/config/config-change-notification';
import { KafkaZkClient } from '../../src/zk/kafka-zk-client';
import { ZkSession } from '../../src/zk/zk-session';
import { expireSession, startZooKeeper, type TestZooKeeper } from '../harness/zookeeper';

let zk: TestZooKeeper;
let writer: KafkaZkClient;

async function eventually(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A listener on its own session that records what it is handed. */
async function listen(options: { now?: () => number; changeExpirationMs?: number; logger?: Logger } = {}) {
  const session = await ZkSession.connect({ connectString: zk.connectString, sessionTimeoutMs: 6000 });
  const client = new KafkaZkClient(session);
  const seen: { name: string; data: string }[] = [];
  const listener = new ConfigChangeListener({
    zkClient: client,
    session,
    logger: options.logger ?? NOOP_LOGGER,
    now: options.now,
    changeExpirationMs: options.changeExpirationMs,
    handler: async (data, name) => {
      seen.push({ name, data: data.toString() });
      if (data.toString().includes('boom')) throw new Error('handler failure');
    },
  });
  return { session, client, seen, listener };
}

before(async () => {
  zk = await startZooKeeper();
  writer = await KafkaZkClient.connect({ connectString: zk.connectString });
  await writer.createTopLevelPaths();
});

after(async () => {
  await writer?.close();
  await zk?.stop();
});

describe('ConfigChangeListener', () => {
  it('processes what is there at start in order, then only newer notifications', async () => {
    const first = await writer.createConfigChangeNotification('topics/a');
    const second = await writer.createConfigChangeNotification('topics/b');
    const { session, seen, listener } = await listen();
    try {
      await listener.init();
      const before = seen.map((s) => s.name);
      assert.ok(before.includes(first.split('/').pop()!) && before.includes(second.split('/').pop()!), before.join());
      assert.deepEqual(before, [...before].sort(), 'in sequence order');
      assert.equal(listener.lastProcessedChange, changeNumber(second.split('/').pop()!));

      const third = (await writer.createConfigChangeNotification('brokers/<default>')).split('/').pop()!;
      await eventually(() => seen.some((s) => s.name === third), 'the new notification');
      assert.equal(seen.filter((s) => s.name === third).length, 1);
      assert.equal(seen.find((s) => s.name === third)!.data, '{"version":2,"entity_path":"brokers/<default>"}');
      // Nothing seen before is handed over again.
      assert.equal(seen.length, before.length + 1);
      assert.equal(listener.lastProcessedChange, changeNumber(third));
    } finally {
      await listener.close();
      await session.close();
    }
  });

  it('a failing notification is logged and the next ones are still processed', async () => {
    const errors: string[] = [];
    const logger: Logger = { ...NOOP_LOGGER, error: (m) => void errors.push(typeof m === 'function' ? m() : m) };
    const { session, seen, listener } = await listen({ logger });
    try {
      await listener.init();
      const bad = (await writer.createSequentialPersistentPath('/config/changes/config_change_', Buffer.from('{"boom":true}'))).split('/').pop()!;
      const good = (await writer.createConfigChangeNotification('topics/after-boom')).split('/').pop()!;
      await eventually(() => seen.some((s) => s.name === good), 'the notification after the failing one');
      assert.ok(seen.some((s) => s.name === bad));
      assert.ok(errors.some((e) => e.startsWith('error processing change notification {"boom":true} from /config/changes/' + bad)), errors.join('\n'));
    } finally {
      await listener.close();
      await session.close();
    }
  });

  it('deletes notifications older than the expiration (by ctime) while processing', async () => {
    const kept = (await writer.createConfigChangeNotification('topics/kept')).split('/').pop()!;
    // A clock 16 minutes ahead makes every existing notification older than Kafka's 15 minutes.
    const { session, listener } = await listen({ now: () => Date.now() + 16 * 60_000 });
    try {
      await listener.init();
      assert.deepEqual(await writer.getConfigChangeNotifications(), []);
    } finally {
      await listener.close();
      await session.close();
    }
    // With the real clock, fresh notifications stay.
    const fresh = (await writer.createConfigChangeNotification('topics/fresh')).split('/').pop()!;
    const second = await listen();
    try {
      await second.listener.init();
      assert.ok((await writer.getConfigChangeNotifications()).includes(fresh));
      assert.ok(!second.seen.some((s) => s.name === kept), 'a purged notification is gone');
    } finally {
      await second.listener.close();
      await second.session.close();
    }
  });

  it('keeps watching after the ZooKeeper session expired and was re-established', async () => {
    const { session, seen, listener } = await listen();
    try {
      await listener.init();
      const reestablished = new Promise<void>((resolve) => session.once('sessionReestablished', () => resolve()));
      await expireSession(session);
      await reestablished;
      const name = (await writer.createConfigChangeNotification('topics/after-expiry')).split('/').pop()!;
      await eventually(() => seen.some((s) => s.name === name), 'a notification created after the new session');
    } finally {
      await listener.close();
      await session.close();
    }
  });

  it('processes nothing after close', async () => {
    const { session, seen, listener } = await listen();
    await listener.init();
    const count = seen.length;
    await listener.close();
    await writer.createConfigChangeNotification('topics/too-late');
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(seen.length, count);
    await session.close();
  });
});
