// kafka-console-consumer.sh as a group member, spawned through bin/*.sh against a real ZooKeeper and a
// real ts-kafka broker: two runs with the same --group read each record once in total (the first commits
// what it printed) while a generated group commits nothing; --include subscribes to every matching
// topic; kafka-consumer-groups.sh --describe shows a running console consumer with its partitions, and
// its committed offsets once it exits; a console consumer killed with SIGKILL is dropped after its
// session timeout and its partitions go to the other member; a kcat balanced consumer (-G, librdkafka's
// range) and a console consumer in one group split the partitions and the records.
// The scripts run the compiled tools (`npm run build` first).

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Admin } from '../../src/client/admin';
import { GroupConsumer } from '../../src/client/group-consumer';
import { KafkaClient } from '../../src/client/kafka-client';
import { Producer } from '../../src/client/producer';
import { startCluster, type Cluster } from '../harness/cluster';
import { binPath as bin, projectRoot as root, runBin, startProcess, type RunResult } from './bin-runner';
import { eventually } from '../harness/eventually';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const run = (script: string, args: string[], timeoutMs = 60_000) => runBin(script, args, { timeoutMs, onTimeout: 'reject' });

/** A long-running process whose stdout lines are collected. */
const background = startProcess;


/** Table rows of kafka-consumer-groups output: lines split on runs of spaces. */
const rows = (out: string) =>
  out
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => l.trim().split(/ +/));

describe('kafka-console-consumer with a consumer group', { timeout: 300_000 }, () => {
  let cluster: Cluster;
  let client: KafkaClient;

  async function produce(topic: string, values: string[]): Promise<void> {
    const producer = new Producer(client, { acks: -1 });
    await Promise.all(values.map((value, i) => producer.send({ topic, partition: i % 4, value })));
    await producer.close();
  }

  async function describeGroup(group: string): Promise<RunResult> {
    return run('kafka-consumer-groups.sh', ['--bootstrap-server', cluster.bootstrap, '--describe', '--group', group]);
  }

  before(async () => {
    assert.ok(fs.existsSync(path.join(root, 'dist', 'src', 'tools', 'kafka-console-consumer.js')), 'the tools are not compiled: run `npm run build` before these tests');
    cluster = await startCluster({ brokers: 1, props: { 'offsets.topic.num.partitions': '3' } });
    client = new KafkaClient({ bootstrapServers: cluster.bootstrap, clientId: 'console-group-test' });
    await new Admin(client).createTopicsOrThrow(
      ['twice', 'described', 'killed', 'mixed', 'inc-a', 'inc-b', 'other'].map((name) => ({ name, numPartitions: 4, replicationFactor: 1 })),
    );
  });

  after(async () => {
    await client?.close();
    await cluster?.stop();
  });

  test('two runs with the same --group read each record once in total', async () => {
    const produced = Array.from({ length: 10 }, (_, i) => `v${i}`);
    await produce('twice', produced);
    const args = ['--bootstrap-server', cluster.bootstrap, '--topic', 'twice', '--group', 'twice-group', '--from-beginning'];
    const first = await run('kafka-console-consumer.sh', [...args, '--max-messages', '6']);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stderr, /Processed a total of 6 messages\n$/);
    const second = await run('kafka-console-consumer.sh', [...args, '--timeout-ms', '4000']);
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stderr, /Processed a total of 4 messages\n$/);
    const firstValues = first.stdout.trimEnd().split('\n');
    const secondValues = second.stdout.trimEnd().split('\n');
    assert.deepEqual([...firstValues, ...secondValues].sort(), [...produced].sort());

    // A run without --group uses a generated group and commits nothing: it reads everything again.
    const anonymous = await run('kafka-console-consumer.sh', ['--bootstrap-server', cluster.bootstrap, '--topic', 'twice', '--from-beginning', '--max-messages', '10']);
    assert.equal(anonymous.stdout.trimEnd().split('\n').length, 10);
    const list = await run('kafka-consumer-groups.sh', ['--bootstrap-server', cluster.bootstrap, '--list']);
    const generated = list.stdout.split('\n').filter((g) => /^console-consumer-\d+$/.test(g));
    for (const g of generated) {
      const d = await describeGroup(g);
      assert.ok(!/twice\s+\d+\s+\d+/.test(d.stdout), `the generated group ${g} committed offsets:\n${d.stdout}`);
    }
  });

  test('--include subscribes the group to every matching topic', async () => {
    await produce('inc-a', ['a0', 'a1']);
    await produce('inc-b', ['b0', 'b1', 'b2']);
    await produce('other', ['o0']);
    const args = ['--bootstrap-server', cluster.bootstrap, '--include', 'inc-.*', '--group', 'include-group', '--from-beginning'];
    const r = await run('kafka-console-consumer.sh', [...args, '--max-messages', '5']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.stdout.trimEnd().split('\n').sort(), ['a0', 'a1', 'b0', 'b1', 'b2']);
    const described = await describeGroup('include-group');
    assert.deepEqual(
      rows(described.stdout).slice(1).map((row) => `${row[1]}-${row[2]}:${row[3]}`).sort(),
      ['inc-a-0:1', 'inc-a-1:1', 'inc-a-2:0', 'inc-a-3:0', 'inc-b-0:1', 'inc-b-1:1', 'inc-b-2:1', 'inc-b-3:0'],
    );
  });

  test('kafka-consumer-groups --describe shows the running console consumer and its partitions', async () => {
    await produce('described', ['a', 'b', 'c', 'd']);
    const consumer = background(bin('kafka-console-consumer.sh'), ['--bootstrap-server', cluster.bootstrap, '--topic', 'described', '--group', 'described-group', '--from-beginning']);
    try {
      await eventually(() => consumer.lines.length, (n) => n === 4, { what: 'the four records', timeoutMs: 40_000 });
      const described = await eventually(
        () => describeGroup('described-group'),
        (r) => rows(r.stdout).length === 5 && rows(r.stdout).slice(1).every((row) => row[3] === '1'), { what: 'the member and its committed offsets', timeoutMs: 40_000 });
      const [header, ...partitions] = rows(described.stdout);
      assert.deepEqual(header, ['GROUP', 'TOPIC', 'PARTITION', 'CURRENT-OFFSET', 'LOG-END-OFFSET', 'LAG', 'CONSUMER-ID', 'HOST', 'CLIENT-ID']);
      assert.deepEqual(partitions.map((r) => r[2]).sort(), ['0', '1', '2', '3']);
      for (const r of partitions) {
        assert.deepEqual(r.slice(0, 2), ['described-group', 'described']);
        assert.deepEqual(r.slice(3, 6), ['1', '1', '0']);
        assert.match(r[6]!, /^console-consumer-[0-9a-f-]{36}$/);
        assert.equal(r[7], '/127.0.0.1');
        assert.equal(r[8], 'console-consumer');
      }
      assert.equal(new Set(partitions.map((r) => r[6])).size, 1);
    } finally {
      consumer.child.kill('SIGINT');
    }
    assert.equal(await consumer.exited, 130);
    assert.match(consumer.stderr(), /Processed a total of 4 messages\n$/);
    // It left the group on exit; its offsets stay.
    const afterExit = await describeGroup('described-group');
    assert.match(afterExit.stderr, /Consumer group 'described-group' has no active members\./);
    assert.deepEqual(rows(afterExit.stdout).slice(1).map((r) => r.slice(2, 7)).sort(), [0, 1, 2, 3].map((p) => [String(p), '1', '1', '0', '-']));
  });

  test('a SIGKILLed console consumer leaves after its session timeout and its partitions are reassigned', async () => {
    const consumer = background(bin('kafka-console-consumer.sh'), [
      '--bootstrap-server', cluster.bootstrap, '--topic', 'killed', '--group', 'killed-group',
      '--consumer-property', 'session.timeout.ms=6000', '--consumer-property', 'heartbeat.interval.ms=500',
    ]);
    const memberClient = new KafkaClient({ bootstrapServers: cluster.bootstrap, clientId: 'survivor' });
    const survivor = new GroupConsumer(memberClient, { groupId: 'killed-group', sessionTimeoutMs: 6000, heartbeatIntervalMs: 300, autoOffsetReset: 'earliest' });
    survivor.subscribe(['killed']);
    try {
      await eventually(() => survivor.poll(200).then(() => survivor.assignment().length), (n) => n === 2, { what: 'the split with the console consumer', timeoutMs: 40_000 });
      const split = await describeGroup('killed-group');
      assert.equal(new Set(rows(split.stdout).slice(1).map((r) => r[6])).size, 2, split.stdout);
      consumer.child.kill('SIGKILL');
      await consumer.exited;
      const killedAt = Date.now();
      await eventually(() => survivor.poll(200).then(() => survivor.assignment().length), (n) => n === 4, { what: 'the survivor to take all partitions', timeoutMs: 40_000 });
      const took = Date.now() - killedAt;
      // Not before the session timeout (the killed member sent no LeaveGroup), not long after it.
      assert.ok(took >= 4000 && took < 20_000, `reassigned after ${took} ms`);
      const values = Array.from({ length: 8 }, (_, i) => `k${i}`);
      await produce('killed', values);
      const got: string[] = [];
      await eventually(() => survivor.poll(200).then((r) => got.push(...r.map((x) => x.value!.toString()))), () => got.length >= 8, { what: 'the records', timeoutMs: 40_000 });
      assert.deepEqual(got.sort(), values.sort());
    } finally {
      consumer.child.kill('SIGKILL');
      await survivor.close();
      await memberClient.close();
    }
  });

  test('a kcat balanced consumer and a console consumer in one group split the partitions (range)', async () => {
    const consumer = background(bin('kafka-console-consumer.sh'), [
      '--bootstrap-server', cluster.bootstrap, '--topic', 'mixed', '--group', 'mixed-group', '--from-beginning',
      '--consumer-property', 'heartbeat.interval.ms=500',
    ]);
    const kcat = background('kcat', ['-b', cluster.bootstrap, '-G', 'mixed-group', '-X', 'auto.offset.reset=earliest', '-X', 'heartbeat.interval.ms=500', '-u', '-q', '-f', '%s\n', 'mixed']);
    try {
      const split = await eventually(
        () => describeGroup('mixed-group'),
        (r) => {
          const members = rows(r.stdout).slice(1).map((row) => row[6]);
          return members.length === 4 && new Set(members).size === 2 && !members.includes('-');
        }, { what: 'both members with two partitions each', timeoutMs: 40_000 });
      const byMember = new Map<string, string[]>();
      for (const r of rows(split.stdout).slice(1)) byMember.set(r[8]!, [...(byMember.get(r[8]!) ?? []), r[2]!]);
      assert.deepEqual([...byMember.keys()].sort(), ['console-consumer', 'rdkafka']);
      // Range: contiguous halves.
      assert.deepEqual([...byMember.values()].map((p) => p.sort().join(',')).sort(), ['0,1', '2,3']);
      const values = Array.from({ length: 12 }, (_, i) => `m${i}`);
      await produce('mixed', values);
      await eventually(() => [consumer.lines.length, kcat.lines.length], ([a, b]) => a! + b! >= 12, { what: 'every record (console, kcat)', timeoutMs: 40_000 });
      await sleep(500);
      assert.deepEqual([...consumer.lines, ...kcat.lines].sort(), values.sort());
      assert.ok(consumer.lines.length > 0 && kcat.lines.length > 0, `console ${consumer.lines.length}, kcat ${kcat.lines.length}`);
    } finally {
      consumer.child.kill('SIGINT');
      kcat.child.kill('SIGTERM');
      await consumer.exited;
      await kcat.exited;
    }
  });
});
