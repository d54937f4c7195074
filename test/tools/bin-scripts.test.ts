// The bin/ launchers: every tool script is a one-liner over kafka-run-class.sh naming a compiled tool of its
// own name, and kafka-run-class.sh runs dist/src/tools/<tool>.js with node — the arguments passed through
// unchanged, LOG_DIR defaulting to <install>/logs, KAFKA_SCRIPT_NAME the invoked script's name,
// KAFKA_NODE_OPTS given to node — or says the tool is not built. The scripts run the compiled tools
// (`npm run build` first).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { binPath, projectRoot, runBin } from './bin-runner';

/** The scripts that do more than launch a tool (the broker, the quick start) and the runner itself. */
const NOT_TOOL_LAUNCHERS = new Set(['kafka-server-start.sh', 'ts-kafka-quickstart.sh', 'kafka-run-class.sh']);

/** node options that print what the runner handed to node instead of running the tool. */
const PRINT_LAUNCH = "-p [process.env.LOG_DIR,process.env.KAFKA_SCRIPT_NAME,process.argv.slice(1).join('/')].join('|')";

test('every tool script launches its own compiled tool through kafka-run-class.sh', () => {
  const scripts = fs.readdirSync(path.join(projectRoot, 'bin')).filter((f) => f.endsWith('.sh') && !NOT_TOOL_LAUNCHERS.has(f));
  assert.ok(scripts.length >= 17, `tool scripts found: ${scripts.join(' ')}`);
  for (const script of scripts) {
    const tool = script.replace(/\.sh$/, '');
    const lines = fs.readFileSync(binPath(script), 'utf8').split('\n').filter((l) => l !== '' && !l.startsWith('#'));
    assert.deepEqual(lines, [`KAFKA_SCRIPT_NAME="$0" exec "$(dirname "$0")/kafka-run-class.sh" ${tool} "$@"`], script);
    assert.ok(fs.existsSync(path.join(projectRoot, 'dist', 'src', 'tools', `${tool}.js`)), `${tool} is not compiled: run \`npm run build\``);
    assert.ok((fs.statSync(binPath(script)).mode & 0o111) !== 0, `${script} is not executable`);
  }
});

test('a tool script hands node its tool, its arguments, LOG_DIR and its own name', async () => {
  const env = { KAFKA_NODE_OPTS: PRINT_LAUNCH, LOG_DIR: '' };
  const launched = await runBin('kafka-log-dirs.sh', ['--describe', 'two words', ''], { env });
  assert.equal(launched.code, 0, launched.stderr);
  const tool = path.join(projectRoot, 'dist', 'src', 'tools', 'kafka-log-dirs.js');
  assert.equal(launched.stdout, `${path.join(projectRoot, 'logs')}|${binPath('kafka-log-dirs.sh')}|${tool}/--describe/two words/\n`);

  const withLogDir = await runBin('kafka-topics.sh', [], { env: { KAFKA_NODE_OPTS: PRINT_LAUNCH, LOG_DIR: '/var/tmp/ts-kafka-logs' } });
  assert.equal(withLogDir.stdout.split('|')[0], '/var/tmp/ts-kafka-logs');
});

test('the script name reaches the tools that print it, and KAFKA_NODE_OPTS reaches node', async () => {
  const usage = await runBin('zookeeper-server-start.sh', []);
  assert.equal(usage.code, 1);
  assert.equal(usage.stdout, `USAGE: ${binPath('zookeeper-server-start.sh')} [-daemon] zookeeper.properties\n`);
  const direct = await runBin('kafka-run-class.sh', ['zookeeper-server-start']);
  assert.equal(direct.stdout, `USAGE: ${binPath('kafka-run-class.sh')} [-daemon] zookeeper.properties\n`);
  const version = await runBin('kafka-topics.sh', ['--help'], { env: { KAFKA_NODE_OPTS: '--version' } });
  assert.equal(version.stdout, `${process.version}\n`);
});

test('kafka-run-class.sh without a tool, or with one that is not built', async () => {
  const none = await runBin('kafka-run-class.sh', []);
  assert.equal(none.code, 1);
  assert.equal(none.stderr, `USAGE: ${binPath('kafka-run-class.sh')} tool [args...]\n`);
  const missing = await runBin('kafka-run-class.sh', ['no-such-tool', '--help']);
  assert.equal(missing.code, 1);
  assert.equal(missing.stdout, '');
  assert.equal(missing.stderr, `ts-kafka is not built: run 'npm ci && npm run build' in ${projectRoot}\n`);
});

test("kafka-run-class.sh runs a tool by Kafka's class name, and refuses a class it has no tool for", async () => {
  for (const cls of ['kafka.admin.TopicCommand', 'kafka.tools.GetOffsetShell', 'org.apache.kafka.tools.LogDirsCommand']) {
    const r = await runBin('kafka-run-class.sh', [cls, '--version']);
    assert.deepEqual(r, { code: 0, stdout: '3.9.0\n', stderr: '' }, cls);
  }
  const unknown = await runBin('kafka-run-class.sh', ['kafka.tools.MirrorMaker', '--help']);
  assert.deepEqual(unknown, { code: 1, stdout: '', stderr: 'ts-kafka has no tool for class kafka.tools.MirrorMaker\n' });
});
