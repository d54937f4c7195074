// How the stop scripts recognise ts-kafka brokers and ZooKeeper servers by command line, on a /proc-like
// directory tree written for the test, and the "nothing to stop" answers on the real /proc.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { brokerIdOf, brokerMainIndex, isZooKeeperServer, listProcesses } from '../../src/tools/process-finder';
import { kafkaServerStopMain } from '../../src/tools/kafka-server-stop';
import { zookeeperServerStopMain } from '../../src/tools/zookeeper-server-stop';

function fakeProc(entries: Record<number, { argv: string[]; cwd?: string }>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fake-proc-'));
  for (const [pid, e] of Object.entries(entries)) {
    fs.mkdirSync(path.join(dir, pid));
    fs.writeFileSync(path.join(dir, pid, 'cmdline'), e.argv.join('\0') + '\0');
    if (e.cwd) fs.symlinkSync(e.cwd, path.join(dir, pid, 'cwd'));
  }
  fs.mkdirSync(path.join(dir, 'self'));
  return dir;
}

test('brokers are node processes running src/server/main; their id comes from --override or the properties file', () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'fake-broker-'));
  fs.writeFileSync(path.join(work, 'server.properties'), '# broker\nbroker.id = 7\nlog.dirs=/tmp/x\n');
  const proc = fakeProc({
    101: { argv: ['/usr/bin/node', '/opt/ts-kafka/dist/src/server/main.js', 'server.properties'], cwd: work },
    102: { argv: ['node', '--import', 'tsx', 'src/server/main.ts', '/nope.properties', '--override', 'broker.id=3'] },
    103: { argv: ['/usr/bin/node', '/opt/other/app.js'] },
    104: { argv: ['/usr/bin/java', '-cp', 'x.jar', 'org.apache.zookeeper.server.quorum.QuorumPeerMain', '/etc/zk.cfg'] },
    105: { argv: ['bash', '-c', 'echo src/server/main.js'] },
  });
  try {
    const procs = listProcesses(proc);
    assert.deepEqual(procs.map((p) => p.pid), [101, 102, 103, 104, 105]);
    const brokers = procs.filter((p) => brokerMainIndex(p.argv) >= 0);
    assert.deepEqual(brokers.map((p) => p.pid), [101, 102]);
    assert.equal(brokerIdOf(brokers[0]!), 7);
    assert.equal(brokerIdOf(brokers[1]!), 3);
    assert.deepEqual(procs.filter((p) => isZooKeeperServer(p.argv)).map((p) => p.pid), [104]);
  } finally {
    fs.rmSync(proc, { recursive: true, force: true });
    fs.rmSync(work, { recursive: true, force: true });
  }
});

test('kafka-server-stop and zookeeper-server-stop report when there is nothing to stop', async () => {
  let out = '';
  const io = { out: (t: string) => (out += t), err: () => undefined };
  // A broker id and a config path no running server uses: nothing matches, nothing is signalled.
  assert.equal(await kafkaServerStopMain(['--node-id=987654321'], io), 1);
  assert.equal(out, 'No kafka server to stop\n');
  out = '';
  assert.equal(await kafkaServerStopMain(['--process-role=controller'], io), 1);
  assert.equal(out, 'No kafka server to stop\n');
  out = '';
  assert.equal(await zookeeperServerStopMain(['/nonexistent/zookeeper-987654321.properties'], io), 1);
  assert.equal(out, 'No zookeeper server to stop\n');
});
