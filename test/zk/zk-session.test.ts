// The session layer against a real ZooKeeper: chroot creation, the promise API and its typed errors, multi
// (including version-0 conditions), Stat fields, one-shot watches dispatched to handlers, close, forced
// session expiry with re-creation, connection timeout, request size cap, and CONNECTIONLOSS retry across a
// server restart.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startZooKeeper, expireSession, type TestZooKeeper } from '../harness/zookeeper';
import { startLocalZooKeeper, findFreePort } from '../../src/zk/local-zookeeper';
import { ZkError, ZkMultiError, ZooKeeperClientTimeoutError } from '../../src/zk/zk-errors';
import { CreateMode, ZkSession, parseZkConnect } from '../../src/zk/zk-session';

let zk: TestZooKeeper;
const sessions: ZkSession[] = [];

before(async () => {
  zk = await startZooKeeper();
});

after(async () => {
  for (const s of sessions) await s.close();
  await zk.stop();
});

async function open(chroot: string, options: { sessionTimeoutMs?: number } = {}): Promise<ZkSession> {
  const s = await ZkSession.connect({ connectString: `${zk.connectString}${chroot}`, sessionTimeoutMs: options.sessionTimeoutMs ?? 6000 });
  sessions.push(s);
  return s;
}

function code(e: unknown): string {
  assert.ok(e instanceof ZkError, `expected a ZkError, got ${String(e)}`);
  return e.code;
}

/** Resolves when `fn` returns true, polling every 20 ms (at most `ms`). */
async function eventually(fn: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!fn()) {
    if (Date.now() > deadline) assert.fail('condition not reached in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('parseZkConnect splits servers and chroot', () => {
  assert.deepEqual(parseZkConnect('zk1:2181,zk2:2181/kafka'), { servers: 'zk1:2181,zk2:2181', chroot: '/kafka' });
  assert.deepEqual(parseZkConnect('zk1:2181'), { servers: 'zk1:2181', chroot: null });
  assert.deepEqual(parseZkConnect('zk1:2181/'), { servers: 'zk1:2181', chroot: null });
  assert.deepEqual(parseZkConnect('zk1:2181/a/b/'), { servers: 'zk1:2181', chroot: '/a/b' });
  assert.throws(() => parseZkConnect('/kafka'), ZkError);
  assert.throws(() => parseZkConnect('zk1:2181/a//b'), ZkError);
});

test('a missing chroot is created recursively and everything happens inside it', { timeout: 60_000 }, async () => {
  const s = await open('/chroot-test/kafka');
  await s.create('/hello', Buffer.from('world'));
  const root = await open('');
  assert.deepEqual(await root.getChildren('/chroot-test'), ['kafka']);
  assert.equal((await root.getData('/chroot-test/kafka/hello')).data.toString(), 'world');
  assert.equal((await s.getData('/hello')).data.toString(), 'world');
});

test('CRUD with typed Kafka-style error codes', { timeout: 60_000 }, async () => {
  const s = await open('/crud');
  assert.equal(await s.create('/a', Buffer.from('1')), '/a');
  await assert.rejects(s.create('/a', null), (e) => code(e) === 'NODEEXISTS');
  await assert.rejects(s.getData('/missing'), (e) => code(e) === 'NONODE' && (e as ZkError).path === '/missing');
  await assert.rejects(s.create('/missing/child', null), (e) => code(e) === 'NONODE');
  const stat = await s.setData('/a', Buffer.from('2'), 0);
  assert.equal(stat.version, 1);
  await assert.rejects(s.setData('/a', Buffer.from('3'), 0), (e) => code(e) === 'BADVERSION');
  await s.create('/a/b', null);
  await assert.rejects(s.delete('/a'), (e) => code(e) === 'NOTEMPTY');
  await assert.rejects(s.delete('/a/b', 5), (e) => code(e) === 'BADVERSION');
  assert.deepEqual(await s.getChildren('/a'), ['b']);
  assert.equal((await s.getData('/a/b')).data.length, 0);
  assert.equal(await s.exists('/nope'), null);
  assert.equal(await s.deleteRecursive('/a'), true);
  assert.equal(await s.deleteRecursive('/a'), false);
  const seq = await s.create('/seq-', Buffer.from('x'), CreateMode.PERSISTENT_SEQUENTIAL);
  assert.match(seq, /^\/seq-\d{10}$/);
  await s.createRecursive('/x/y/z', Buffer.from('deep'));
  assert.equal((await s.getData('/x/y/z')).data.toString(), 'deep');
  await assert.rejects(s.createRecursive('/x/y/z'), (e) => code(e) === 'NODEEXISTS');
  await s.createRecursive('/x/y/z', null, { throwIfPathExists: false });
});

test('Stat: czxid as number, ephemeralOwner is the session id, ctime is wall-clock ms', { timeout: 60_000 }, async () => {
  const s = await open('/stat');
  const before = Date.now();
  await s.create('/p', null);
  await s.create('/e', null, CreateMode.EPHEMERAL);
  const p = await s.exists('/p');
  const e = await s.exists('/e');
  assert.ok(p !== null && e !== null);
  assert.equal(typeof p.czxid, 'number');
  assert.ok(e.czxid > p.czxid);
  assert.equal(p.ephemeralOwner, 0n);
  assert.equal(e.ephemeralOwner, s.sessionId);
  assert.notEqual(s.sessionId, 0n);
  assert.ok(Math.abs(p.ctime - before) < 60_000);
  assert.equal(p.version, 0);
});

test('multi: per-op results, version-0 conditions honoured, failures name the op and apply nothing', { timeout: 60_000 }, async () => {
  const s = await open('/multi');
  const results = await s.multi([
    { type: 'create', path: '/node', data: null, mode: CreateMode.EPHEMERAL },
    { type: 'setData', path: '/node', data: Buffer.from('{}'), version: 0 },
    { type: 'create', path: '/seq-', data: null, mode: CreateMode.PERSISTENT_SEQUENTIAL },
  ]);
  assert.equal(results[0].type, 'create');
  assert.equal(results[1].type, 'setData');
  assert.equal(results[1].type === 'setData' && results[1].stat.version, 1);
  assert.match(results[2].type === 'create' ? results[2].path : '', /^\/seq-\d{10}$/);

  // setData expecting version 0 must fail now that the version is 1 (the client library would send -1).
  await assert.rejects(
    s.multi([{ type: 'setData', path: '/node', data: Buffer.from('x'), version: 0 }]),
    (e) => e instanceof ZkMultiError && e.code === 'BADVERSION' && e.failedOpIndex === 0,
  );
  // check version 0 likewise.
  await assert.rejects(
    s.multi([
      { type: 'check', path: '/node', version: 0 },
      { type: 'create', path: '/never', data: null },
    ]),
    (e) => e instanceof ZkMultiError && e.failedOpIndex === 0 && e.opErrors[1].code === 'RUNTIMEINCONSISTENCY',
  );
  assert.equal(await s.exists('/never'), null);
  // the second op fails: the first is rolled back
  await assert.rejects(
    s.multi([
      { type: 'create', path: '/rolled-back', data: null },
      { type: 'delete', path: '/absent', version: -1 },
    ]),
    (e) => e instanceof ZkMultiError && e.failedOpIndex === 1 && e.code === 'NONODE' && e.path === '/absent',
  );
  assert.equal(await s.exists('/rolled-back'), null);
  await s.multi([
    { type: 'check', path: '/node', version: 1 },
    { type: 'delete', path: '/node', version: 1 },
  ]);
  assert.equal(await s.exists('/node'), null);
});

test('watches are one-shot and dispatched to the handlers registered for the path', { timeout: 60_000 }, async () => {
  const s = await open('/watch');
  const writer = await open('/watch');
  const events: string[] = [];
  s.registerZNodeChangeHandler('/w', {
    onCreate: (p) => events.push(`create ${p}`),
    onDataChange: (p) => events.push(`data ${p}`),
    onDelete: (p) => events.push(`delete ${p}`),
  });
  s.registerZNodeChildChangeHandler('/w', (p) => events.push(`children ${p}`));

  assert.equal(await s.exists('/w', { watch: true }), null);
  await writer.create('/w', null);
  await eventually(() => events.length === 1);
  assert.deepEqual(events, ['create /w']);

  await s.getData('/w', { watch: true });
  await s.getChildren('/w', { watch: true });
  await writer.setData('/w', Buffer.from('1'));
  await writer.setData('/w', Buffer.from('2')); // not re-armed: no second event
  await writer.create('/w/c', null);
  await eventually(() => events.length === 3);
  await new Promise((r) => setTimeout(r, 200));
  assert.deepEqual(events, ['create /w', 'data /w', 'children /w']);

  // re-arm both; deleting the node fires the data and the child watch with one deletion event
  await s.getData('/w', { watch: true });
  await s.getChildren('/w', { watch: true });
  await writer.deleteRecursive('/w');
  await eventually(() => events.includes('delete /w'));
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(events.filter((e) => e === 'delete /w').length, 1);
  assert.deepEqual(events.slice(3), ['children /w', 'delete /w']);

  // an unregistered handler receives nothing
  s.unregisterZNodeChangeHandler('/w');
  await s.exists('/w', { watch: true });
  await writer.create('/w', null);
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(events.filter((e) => e.startsWith('create')).length, 1);
});

test('close ends the session: its ephemeral nodes are gone at once, later calls fail', { timeout: 60_000 }, async () => {
  const s = await ZkSession.connect({ connectString: `${zk.connectString}/close`, sessionTimeoutMs: 30_000 });
  sessions.push(s);
  const observer = await open('/close');
  await s.create('/eph', null, CreateMode.EPHEMERAL);
  assert.notEqual(await observer.exists('/eph'), null);
  await s.close();
  assert.equal(await observer.exists('/eph'), null);
  await assert.rejects(s.getData('/eph'), (e) => code(e) === 'CONNECTIONLOSS');
});

test('forced session expiry: sessionExpired, then sessionReestablished with a new session', { timeout: 60_000 }, async () => {
  const s = await open('/expiry');
  const observer = await open('/expiry');
  const events: string[] = [];
  s.on('sessionExpired', () => events.push('expired'));
  s.on('sessionReestablished', () => events.push('reestablished'));
  let watchFired = 0;
  s.registerZNodeChangeHandler('/watched', { onCreate: () => watchFired++ });

  await s.create('/eph', null, CreateMode.EPHEMERAL);
  const oldSession = s.sessionId;
  const reestablished = new Promise<void>((r) => s.once('sessionReestablished', () => r()));
  await expireSession(s);
  await reestablished;
  assert.deepEqual(events, ['expired', 'reestablished']);
  assert.notEqual(s.sessionId, oldSession);
  assert.equal(await observer.exists('/eph'), null, 'the expired session took its ephemeral node with it');

  // the new session works, and handlers survive: re-arming them is the owner's job
  await s.create('/eph', null, CreateMode.EPHEMERAL);
  assert.equal((await observer.exists('/eph'))?.ephemeralOwner, s.sessionId);
  await s.exists('/watched', { watch: true });
  await observer.create('/watched', null);
  await eventually(() => watchFired === 1);
});

test('requests in flight when the session expires fail with SESSIONEXPIRED or succeed on the new one, never hang', { timeout: 60_000 }, async () => {
  const s = await open('/expiry2');
  const reestablished = new Promise<void>((r) => s.once('sessionReestablished', () => r()));
  await expireSession(s);
  const result = await s.getChildren('/').then(
    () => 'ok',
    (e) => code(e),
  );
  assert.ok(result === 'ok' || result === 'SESSIONEXPIRED', result);
  await reestablished;
  assert.deepEqual(await s.getChildren('/'), []);
});

test('no server within zookeeper.connection.timeout.ms: a clear ZooKeeperClientTimeoutError', { timeout: 60_000 }, async () => {
  const port = await findFreePort();
  const started = Date.now();
  await assert.rejects(
    ZkSession.connect({ connectString: `127.0.0.1:${port}`, connectionTimeoutMs: 800 }),
    (e) =>
      e instanceof ZooKeeperClientTimeoutError &&
      e.message.includes(`127.0.0.1:${port}`) &&
      e.message.includes('zookeeper.connection.timeout.ms'),
  );
  assert.ok(Date.now() - started < 5000);
});

test('requests larger than ZooKeeper accepts are refused before sending', { timeout: 60_000 }, async () => {
  const s = await open('/size');
  const big = Buffer.alloc(1024 * 1024 + 1);
  await assert.rejects(s.create('/big', big), (e) => code(e) === 'BADARGUMENTS');
  await assert.rejects(
    s.multi([
      { type: 'create', path: '/a', data: Buffer.alloc(600_000) },
      { type: 'create', path: '/b', data: Buffer.alloc(600_000) },
    ]),
    (e) => code(e) === 'BADARGUMENTS',
  );
  await s.create('/ok', Buffer.alloc(512 * 1024));
  assert.equal((await s.getData('/ok')).data.length, 512 * 1024);
});

test('a request sent while the server is down completes once it is back (CONNECTIONLOSS retry)', { timeout: 60_000 }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ts-kafka-zk-restart-'));
  const port = await findFreePort();
  const start = () =>
    startLocalZooKeeper({ port, dataDir: path.join(dir, 'data'), logDir: dir, logLevel: 'warn', startupTimeoutMs: 20_000 });
  let server = await start();
  const killOnExit = () => process.kill(server.pid, 'SIGKILL');
  process.once('exit', killOnExit);
  // A connection accepted while the server restarts may never be answered; the session's watchdog drops it
  // after a third of the session timeout and reconnects, well within the session timeout.
  const s = await ZkSession.connect({ connectString: `127.0.0.1:${port}`, sessionTimeoutMs: 12_000 });
  try {
    await s.create('/before', Buffer.from('1'));
    const sessionId = s.sessionId;
    await server.stop();
    const pending = s.getData('/before');
    server = await start();
    assert.equal((await pending).data.toString(), '1');
    assert.equal(s.sessionId, sessionId, 'the session survived the restart');
    await s.create('/after', null);
  } finally {
    await s.close();
    await server.stop();
    process.removeListener('exit', killOnExit);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
