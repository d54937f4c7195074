// zookeeper-server-start.sh / zookeeper-server-stop.sh through the bin scripts: a real ZooKeeper started
// in the background from a zookeeper.properties, answering, then stopped (only that one: the stop script
// is given its config file); usage and the missing-installation message.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findFreePort, fourLetterWord } from '../../src/zk/local-zookeeper';
import { projectRoot as root, runBinSync } from './bin-runner';

const run = (script: string, args: string[], env: NodeJS.ProcessEnv = {}) => runBinSync(script, args, { env, timeoutMs: 90_000 });

test('start -daemon, answer, stop the server of that config', async () => {
  assert.ok(fs.existsSync(path.join(root, 'dist', 'src', 'tools', 'zookeeper-server-start.js')), 'run `npm run build` first');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zk-scripts-'));
  const port = await findFreePort();
  const config = path.join(dir, 'zookeeper.properties');
  fs.writeFileSync(
    config,
    `dataDir=${path.join(dir, 'data')}\nclientPort=${port}\nclientPortAddress=127.0.0.1\nmaxClientCnxns=0\nadmin.enableServer=false\n4lw.commands.whitelist=*\n`,
  );
  try {
    const started = run('zookeeper-server-start.sh', ['-daemon', config], { LOG_DIR: path.join(dir, 'logs') });
    assert.equal(started.code, 0, started.stdout + started.stderr);
    assert.match(await fourLetterWord(`127.0.0.1:${port}`, 'srvr'), /Mode: standalone/);
    assert.ok(fs.existsSync(path.join(dir, 'logs', 'zookeeper.out')));

    const stopped = run('zookeeper-server-stop.sh', [config]);
    assert.equal(stopped.code, 0, stopped.stdout + stopped.stderr);
    let answering = true;
    for (let i = 0; i < 100 && answering; i++) {
      answering = await fourLetterWord(`127.0.0.1:${port}`, 'ruok', { timeoutMs: 300 }).then(() => true, () => false);
      if (answering) await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(answering, false, 'ZooKeeper still answers after zookeeper-server-stop.sh');
    const again = run('zookeeper-server-stop.sh', [config]);
    assert.deepEqual([again.code, again.stdout], [1, 'No zookeeper server to stop\n']);
  } finally {
    run('zookeeper-server-stop.sh', [config]);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('usage without a config, and how to install ZooKeeper when it is missing', () => {
  const usage = run('zookeeper-server-start.sh', []);
  assert.equal(usage.code, 1);
  assert.match(usage.stdout, /^USAGE: .*zookeeper-server-start\.sh \[-daemon\] zookeeper\.properties\n$/);
  const missing = run('zookeeper-server-start.sh', [path.join(root, 'conf', 'zookeeper.properties')], {
    ZOOKEEPER_HOME: path.join(os.tmpdir(), 'no-zookeeper-here'),
  });
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /apt-get install -y zookeeper/);
});
