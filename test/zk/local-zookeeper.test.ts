// The local ZooKeeper launcher used by the quickstart, zookeeper-server-start.sh and the test harness: the
// classpath from the installed jars, a clear error when they are missing, and a server started from a
// Kafka-style zookeeper.properties that answers four-letter words and stops cleanly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  LocalZooKeeperError,
  findFreePort,
  fourLetterWord,
  startLocalZooKeeper,
  zookeeperClasspath,
} from '../../src/zk/local-zookeeper';
import { ZkSession } from '../../src/zk/zk-session';

test('the classpath holds the installed ZooKeeper server and its jute records', () => {
  const entries = zookeeperClasspath({ javaDir: '/usr/share/java', zookeeperHome: '' }).split(path.delimiter);
  assert.ok(entries.includes('/usr/share/java/zookeeper.jar'));
  assert.ok(entries.includes('/usr/share/java/zookeeper-jute.jar'));
  assert.ok(entries.includes('/usr/share/java/slf4j-api.jar'));
  for (const jar of entries) assert.ok(fs.existsSync(jar), jar);
});

test('missing ZooKeeper jars give an error that says how to install them', () => {
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'ts-kafka-nojars-'));
  try {
    assert.throws(
      () => zookeeperClasspath({ javaDir: empty, zookeeperHome: '' }),
      (e: unknown) => e instanceof LocalZooKeeperError && e.message.includes('apt-get install -y zookeeper'),
    );
    assert.throws(
      () => zookeeperClasspath({ zookeeperHome: empty }),
      (e: unknown) => e instanceof LocalZooKeeperError && e.message.includes('ZOOKEEPER_HOME'),
    );
  } finally {
    fs.rmSync(empty, { recursive: true, force: true });
  }
});

test('starts from a zookeeper.properties file, serves clients and four-letter words, and stops', { timeout: 60_000 }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ts-kafka-zkprops-'));
  const port = await findFreePort();
  const configFile = path.join(dir, 'zookeeper.properties');
  fs.writeFileSync(
    configFile,
    [
      '# Kafka-style zookeeper.properties',
      `dataDir=${path.join(dir, 'data')}`,
      `clientPort=${port}`,
      'maxClientCnxns=0',
      'admin.enableServer=false',
      '',
    ].join('\n'),
  );
  const started = Date.now();
  const server = await startLocalZooKeeper({ configFile, logDir: dir, logLevel: 'warn' });
  try {
    assert.ok(Date.now() - started < 15_000);
    assert.equal(server.port, port);
    assert.equal(server.connectString, `127.0.0.1:${port}`);
    assert.equal(await fourLetterWord(server.connectString, 'ruok'), 'imok');
    assert.match(await fourLetterWord(server.connectString, 'srvr'), /Mode: standalone/);
    const session = await ZkSession.connect({ connectString: server.connectString });
    try {
      assert.deepEqual(await session.getChildren('/'), ['zookeeper']);
    } finally {
      await session.close();
    }
    assert.ok(fs.existsSync(path.join(dir, 'zookeeper.out')));
  } finally {
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  assert.notEqual(await server.exited, undefined);
  await assert.rejects(fourLetterWord(`127.0.0.1:${port}`, 'ruok', { timeoutMs: 500 }));
});

test('bad configurations: an invalid port is refused, a server that exits during startup reports its output', { timeout: 60_000 }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ts-kafka-zkbad-'));
  try {
    const badPort = path.join(dir, 'bad-port.cfg');
    fs.writeFileSync(badPort, `dataDir=${path.join(dir, 'data')}\nclientPort=not-a-port\n`);
    await assert.rejects(startLocalZooKeeper({ configFile: badPort, logDir: dir }), (e) => e instanceof LocalZooKeeperError && /not a valid port/.test(e.message));

    // The data directory is a regular file: the JVM gives up and exits.
    const notADir = path.join(dir, 'file');
    fs.writeFileSync(notADir, 'x');
    const badDir = path.join(dir, 'bad-dir.cfg');
    fs.writeFileSync(badDir, `dataDir=${notADir}\nclientPort=${await findFreePort()}\n`);
    await assert.rejects(
      startLocalZooKeeper({ configFile: badDir, logDir: dir, startupTimeoutMs: 20_000 }),
      (e) => e instanceof LocalZooKeeperError && /exited during startup/.test(e.message),
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
