/**
 * Broker startup as an operator sees it: invalid configuration exits 1 naming the property; unknown
 * properties are warnings; broker.id=-1 gets an id from /brokers/seqid (1001) and keeps it in
 * meta.properties; a chroot in zookeeper.connect is created; a second broker with a taken id refuses to
 * start; SIGTERM shuts down cleanly and the next start skips log recovery.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import * as zookeeper from 'node-zookeeper-client';
import { BrokerProcess, freePort } from '../harness/cluster';
import { startZooKeeper } from '../harness/zookeeper';

type ZooKeeperHandle = Awaited<ReturnType<typeof startZooKeeper>>;

const root = path.resolve(__dirname, '..', '..', __filename.endsWith('.js') ? '..' : '.');
const main = __filename.endsWith('.js') ? path.join(root, 'dist', 'src', 'server', 'main.js') : path.join(root, 'src', 'server', 'main.ts');

function runMain(args: string[], timeoutMs = 20_000): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const nodeArgs = main.endsWith('.ts') ? ['--import', 'tsx', main, ...args] : [main, ...args];
    const child = spawn(process.execPath, nodeArgs, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LOG_DIR: os.tmpdir() } });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

function zkGet(connect: string, p: string): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const client = zookeeper.createClient(connect);
    client.once('connected', () => {
      client.getData(p, (err, data) => {
        client.close();
        if (err) {
          if ((err as { getCode?: () => number }).getCode?.() === zookeeper.Exception.NO_NODE) resolve(null);
          else reject(err);
        } else resolve(data ? data.toString() : '');
      });
    });
    client.connect();
  });
}

describe('broker startup', { timeout: 120_000 }, () => {
  let zk: ZooKeeperHandle;
  const dirs: string[] = [];
  before(async () => {
    zk = await startZooKeeper();
  });
  after(async () => {
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
    await zk?.stop();
  });

  function props(extra: Record<string, string>): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ts-kafka-startup-'));
    dirs.push(dir);
    const file = path.join(dir, 'server.properties');
    const all = { 'zookeeper.connect': zk.connectString, 'log.dirs': path.join(dir, 'data'), ...extra };
    fs.writeFileSync(file, Object.entries(all).map(([k, v]) => `${k}=${v}`).join('\n'));
    return file;
  }

  test('an invalid value exits 1 with a message naming the property', async () => {
    const r = await runMain([props({ 'broker.id': '0', 'num.partitions': 'abc', listeners: 'PLAINTEXT://127.0.0.1:0' })]);
    assert.equal(r.code, 1);
    assert.match(r.out, /num\.partitions/);
    const o = await runMain([props({ 'broker.id': '0' }), '--override', 'log.segment.bytes=-5']);
    assert.equal(o.code, 1);
    assert.match(o.out, /log\.segment\.bytes/);
    const missing = await runMain([props({ 'zookeeper.connect': '' })]);
    assert.equal(missing.code, 1);
    assert.match(missing.out, /zookeeper\.connect/);
  });

  test('broker.id=-1 gets 1001 from /brokers/seqid under a created chroot; unknown properties only warn', async () => {
    const port = await freePort();
    const broker = new BrokerProcess({
      id: -1,
      expectedId: 1001,
      zkConnect: `${zk.connectString}/kafka/cluster-a`,
      port,
      props: { 'broker.id': '-1', 'some.unknown.property': 'x' },
    });
    dirs.push(broker.dir);
    await broker.start(); // resolves on "[KafkaServer id=1001] started"
    assert.match(broker.output, /The configuration 'some\.unknown\.property' was supplied but isn't a known config/);
    const reg = JSON.parse((await zkGet(zk.connectString, '/kafka/cluster-a/brokers/ids/1001'))!) as { endpoints: string[] };
    assert.deepEqual(reg.endpoints, [`PLAINTEXT://127.0.0.1:${port}`]);
    const meta = fs.readFileSync(path.join(broker.logDir, 'meta.properties'), 'utf8');
    assert.match(meta, /broker\.id=1001/);
    assert.match(meta, /cluster\.id=/);
    await broker.stop();
  });

  test('a taken broker id refuses to start; SIGTERM is clean and the next start skips recovery', async () => {
    const first = new BrokerProcess({ id: 7, zkConnect: zk.connectString });
    dirs.push(first.dir);
    await first.start();
    const second = new BrokerProcess({ id: 7, zkConnect: zk.connectString });
    dirs.push(second.dir);
    await assert.rejects(second.start(), /broker\.id 7 is in use|node already exists/);
    assert.equal(await first.stop(), 0);
    assert.match(first.output, /\[KafkaServer id=7\] shut down completed/);
    assert.ok(fs.existsSync(path.join(first.logDir, '.kafka_cleanshutdown')), 'clean shutdown marker written');
    const from = first.output.length;
    await first.start();
    assert.doesNotMatch(first.output.slice(from), /Attempting recovery/);
    await first.stop();
  });
});
