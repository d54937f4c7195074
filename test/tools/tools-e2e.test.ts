// The command-line tools end to end, spawned through bin/*.sh as a user runs them, against a real
// ZooKeeper and a real ts-kafka broker from the test harness: kafka-topics through --bootstrap-server and
// --zookeeper (output lines checked against Kafka 3.9's), console producer with keys → console consumer
// with print.key / print.timestamp / --partition --offset / --max-messages / --timeout-ms, and
// kafka-server-stop for one broker. The scripts run the compiled tools (`npm run build` first).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BrokerProcess, startCluster, type Cluster } from '../harness/cluster';
import { binPath, projectRoot as root, runBin } from './bin-runner';

/** Runs a bin script with arguments (and stdin), as a shell user would; a run over its time fails the test. */
const run = (script: string, args: string[], options: { input?: string; timeoutMs?: number } = {}) =>
  runBin(script, args, { ...options, onTimeout: 'reject' });

async function eventually<T>(fn: () => Promise<T>, check: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (check(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 300));
  }
}

let cluster: Cluster;

before(async () => {
  assert.ok(
    fs.existsSync(path.join(root, 'dist', 'src', 'tools', 'kafka-topics.js')),
    'the tools are not compiled: run `npm run build` before these tests',
  );
  cluster = await startCluster({ brokers: 1 });
});

after(async () => {
  await cluster?.stop();
});

test('kafka-topics --bootstrap-server: create, list, describe, duplicate, delete', async () => {
  const bs = cluster.bootstrap;
  const created = await run('kafka-topics.sh', ['--bootstrap-server', bs, '--create', '--topic', 'orders', '--partitions', '3', '--replication-factor', '1', '--config', 'retention.ms=3600000']);
  assert.equal(created.code, 0, created.stdout + created.stderr);
  assert.equal(created.stdout, 'Created topic orders.\n');

  const list = await run('kafka-topics.sh', ['--bootstrap-server', bs, '--list']);
  assert.equal(list.code, 0);
  assert.ok(list.stdout.split('\n').includes('orders'), list.stdout);

  const describe = await run('kafka-topics.sh', ['--bootstrap-server', bs, '--describe', '--topic', 'orders']);
  assert.equal(describe.code, 0, describe.stderr);
  const lines = describe.stdout.trimEnd().split('\n');
  assert.match(lines[0]!, /^Topic: orders\tTopicId: [A-Za-z0-9_-]{22}\tPartitionCount: 3\tReplicationFactor: 1\tConfigs: (.*,)?retention\.ms=3600000(,.*)?$/);
  assert.deepEqual(lines.slice(1), [0, 1, 2].map((p) => `\tTopic: orders\tPartition: ${p}\tLeader: 0\tReplicas: 0\tIsr: 0\tElr: N/A\tLastKnownElr: N/A`));

  const dup = await run('kafka-topics.sh', ['--bootstrap-server', bs, '--create', '--topic', 'orders']);
  assert.equal(dup.code, 1);
  assert.equal(dup.stdout, "Error while executing topic command : Topic 'orders' already exists.\n");
  assert.match(dup.stderr, /ERROR org\.apache\.kafka\.common\.errors\.TopicExistsException: Topic 'orders' already exists\./);
  const quiet = await run('kafka-topics.sh', ['--bootstrap-server', bs, '--create', '--topic', 'orders', '--if-not-exists']);
  assert.deepEqual([quiet.code, quiet.stdout], [0, '']);

  const missing = await run('kafka-topics.sh', ['--bootstrap-server', bs, '--describe', '--topic', 'nope']);
  assert.equal(missing.code, 1);
  assert.equal(missing.stdout, "Error while executing topic command : Topic 'Optional[nope]' does not exist as expected\n");

  const deleted = await run('kafka-topics.sh', ['--bootstrap-server', bs, '--delete', '--topic', 'orders']);
  assert.equal(deleted.code, 0, deleted.stdout + deleted.stderr);
  assert.equal(deleted.stdout, '');
  const after = await eventually(
    () => run('kafka-topics.sh', ['--bootstrap-server', bs, '--list']),
    (r) => !r.stdout.split('\n').includes('orders'),
  );
  assert.ok(!after.stdout.split('\n').includes('orders'), after.stdout);
});

test('kafka-topics --zookeeper: the controller picks up the topic, and its deletion', async () => {
  const zk = cluster.zk.connectString;
  const created = await run('kafka-topics.sh', ['--zookeeper', zk, '--create', '--topic', 'zk-made', '--partitions', '2', '--replication-factor', '1']);
  assert.equal(created.code, 0, created.stdout + created.stderr);
  assert.equal(created.stdout, 'Created topic zk-made.\n');
  // The controller elects leaders; both back-ends then describe it the same way.
  const expected = [0, 1].map((p) => `\tTopic: zk-made\tPartition: ${p}\tLeader: 0\tReplicas: 0\tIsr: 0\tElr: N/A\tLastKnownElr: N/A`);
  const viaZk = await eventually(
    () => run('kafka-topics.sh', ['--zookeeper', zk, '--describe', '--topic', 'zk-made']),
    (r) => r.stdout.includes('Leader: 0'),
  );
  assert.deepEqual(viaZk.stdout.trimEnd().split('\n').slice(1), expected);
  const viaBroker = await eventually(
    () => run('kafka-topics.sh', ['--bootstrap-server', cluster.bootstrap, '--describe', '--topic', 'zk-made']),
    (r) => r.code === 0,
  );
  assert.deepEqual(viaBroker.stdout.trimEnd().split('\n').slice(1), expected);
  assert.equal(viaZk.stdout.split('\n')[0]!.split('\tConfigs:')[0], viaBroker.stdout.split('\n')[0]!.split('\tConfigs:')[0]);

  const deleted = await run('kafka-topics.sh', ['--zookeeper', zk, '--delete', '--topic', 'zk-made']);
  assert.equal(deleted.stdout, 'Topic zk-made is marked for deletion.\nNote: This will have no impact if delete.topic.enable is not set to true.\n');
  const gone = await eventually(
    () => run('kafka-topics.sh', ['--zookeeper', zk, '--list']),
    (r) => !r.stdout.includes('zk-made'),
  );
  assert.ok(!gone.stdout.includes('zk-made'), gone.stdout);
});

test('console producer with keys, then console consumer printing keys, timestamps, partitions', async () => {
  const bs = cluster.bootstrap;
  const created = await run('kafka-topics.sh', ['--bootstrap-server', bs, '--create', '--topic', 'events', '--partitions', '2']);
  assert.equal(created.code, 0, created.stdout + created.stderr);
  const before = Date.now();
  const produced = await run('kafka-console-producer.sh', ['--bootstrap-server', bs, '--topic', 'events', '--property', 'parse.key=true', '--property', 'key.separator=:'], {
    input: 'user1:{"n":1}\nuser2:{"n":2}\nuser1:{"n":3}\nuser3:{"n":4}\n',
  });
  assert.equal(produced.code, 0, produced.stderr);
  assert.equal(produced.stdout, '');

  const consumed = await run('kafka-console-consumer.sh', [
    '--bootstrap-server', bs, '--topic', 'events', '--from-beginning', '--max-messages', '4',
    '--property', 'print.key=true', '--property', 'print.timestamp=true', '--property', 'print.partition=true',
  ]);
  assert.equal(consumed.code, 0, consumed.stderr);
  assert.match(consumed.stderr, /Processed a total of 4 messages\n$/);
  const lines = consumed.stdout.trimEnd().split('\n');
  assert.equal(lines.length, 4);
  const parsed = lines.map((l) => {
    const m = /^CreateTime:(\d+)\tPartition:(\d)\t(user\d)\t(\{"n":\d\})$/.exec(l);
    assert.ok(m, `unexpected line ${JSON.stringify(l)}`);
    return { ts: Number(m[1]), partition: Number(m[2]), key: m[3]!, value: m[4]! };
  });
  for (const p of parsed) assert.ok(p.ts >= before - 1000 && p.ts <= Date.now(), `timestamp ${p.ts}`);
  // Keys are partitioned like Kafka's default partitioner: the same key always lands together, in order.
  const user1 = parsed.filter((p) => p.key === 'user1');
  assert.deepEqual(user1.map((p) => p.value), ['{"n":1}', '{"n":3}']);
  assert.equal(new Set(user1.map((p) => p.partition)).size, 1);
  assert.deepEqual(parsed.map((p) => p.value).sort(), ['{"n":1}', '{"n":2}', '{"n":3}', '{"n":4}']);

  // One partition from an offset, stopping at --timeout-ms.
  const p = user1[0]!.partition;
  const fromOffset = await run('kafka-console-consumer.sh', [
    '--bootstrap-server', bs, '--topic', 'events', '--partition', String(p), '--offset', '1', '--timeout-ms', '2000',
    '--property', 'print.offset=true', '--property', 'print.key=true',
  ]);
  assert.equal(fromOffset.code, 0);
  const expected = parsed.filter((x) => x.partition === p).slice(1).map((x, i) => `Offset:${i + 1}\t${x.key}\t${x.value}`);
  assert.deepEqual(fromOffset.stdout.trimEnd().split('\n'), expected);
  assert.match(fromOffset.stderr, /ERROR Error processing message, terminating consumer process: {2}\(org\.apache\.kafka\.tools\.consumer\.ConsoleConsumer\)\norg\.apache\.kafka\.common\.errors\.TimeoutException\n/);
  assert.match(fromOffset.stderr, new RegExp(`Processed a total of ${expected.length} messages\\n$`));

  // --offset without --partition is refused as Kafka does.
  const bad = await run('kafka-console-consumer.sh', ['--bootstrap-server', bs, '--topic', 'events', '--offset', '0']);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /^The partition is required when offset is specified\.\nOption/);
});

test('console producer --sync with headers, and plain values read back in order', async () => {
  const bs = cluster.bootstrap;
  const produced = await run('kafka-console-producer.sh', ['--bootstrap-server', bs, '--topic', 'lines', '--sync', '--property', 'parse.headers=true'], {
    input: 'h1:a,h2:b\tfirst\nh1:c\tsecond\n',
  });
  assert.equal(produced.code, 0, produced.stderr);
  const consumed = await run('kafka-console-consumer.sh', [
    '--bootstrap-server', bs, '--topic', 'lines', '--from-beginning', '--max-messages', '2', '--property', 'print.headers=true',
  ]);
  assert.equal(consumed.stdout, 'h1:a,h2:b\tfirst\nh1:c\tsecond\n');
  const malformed = await run('kafka-console-producer.sh', ['--bootstrap-server', bs, '--topic', 'lines', '--property', 'parse.key=true'], {
    input: 'no-tab-here\n',
  });
  assert.equal(malformed.code, 1);
  assert.match(malformed.stderr, /org\.apache\.kafka\.common\.KafkaException: No key separator found on line number 1: 'no-tab-here'/);
});

test('the console consumer stops on SIGINT and reports what it processed', async () => {
  const bs = cluster.bootstrap;
  const produced = await run('kafka-console-producer.sh', ['--bootstrap-server', bs, '--topic', 'signals'], { input: 'one\ntwo\n' });
  assert.equal(produced.code, 0, produced.stderr);
  const child = spawn(binPath('kafka-console-consumer.sh'), ['--bootstrap-server', bs, '--topic', 'signals', '--from-beginning'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no records printed: ${stdout} ${stderr}`)), 30_000);
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (stdout === 'one\ntwo\n') {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  child.kill('SIGINT');
  assert.equal(await exited, 130);
  assert.match(stderr, /Processed a total of 2 messages\n$/);
});

test('kafka-server-stop --node-id stops that broker cleanly', async () => {
  // An id no other test broker on this machine is likely to use, within reserved.broker.max.id.
  const id = 500 + Math.floor(Math.random() * 490);
  const broker = new BrokerProcess({ id, zkConnect: cluster.zk.connectString });
  try {
    await broker.start();
    const stopped = await run('kafka-server-stop.sh', [`--node-id=${id}`]);
    assert.equal(stopped.code, 0, stopped.stdout + stopped.stderr);
    assert.equal(stopped.stdout, '');
    const exitCode = await broker.stop(30_000);
    assert.equal(exitCode, 0);
    const none = await run('kafka-server-stop.sh', [`--node-id=${id}`]);
    assert.deepEqual([none.code, none.stdout], [1, 'No kafka server to stop\n']);
  } finally {
    await broker.kill();
    broker.cleanup();
  }
});

test('help, version and usage errors through the scripts', async () => {
  const help = await run('kafka-console-producer.sh', ['--help']);
  assert.equal(help.code, 1);
  assert.match(help.stderr, /^This tool helps to read data from standard input and publish it to Kafka\.\nOption {35}Description/);
  const noArgs = await run('kafka-console-consumer.sh', []);
  assert.equal(noArgs.code, 1);
  assert.match(noArgs.stderr, /^This tool helps to read data from Kafka topics and outputs it to standard output\.\n/);
  const version = await run('kafka-topics.sh', ['--version']);
  assert.deepEqual([version.code, version.stdout], [0, '3.9.0\n']);
  const unknown = await run('kafka-topics.sh', ['--bootstrap-server', cluster.bootstrap, '--lst']);
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /^lst is not a recognized option\n/);
  const noTopic = await run('kafka-console-producer.sh', ['--bootstrap-server', cluster.bootstrap]);
  assert.equal(noTopic.code, 1);
  assert.match(noTopic.stderr, /^Missing required argument "\[topic\]"\n/);
});
