// kafka-producer-perf-test.sh and kafka-consumer-perf-test.sh: their number formatting (Java's %f),
// statistics and argument errors as units, then both tools run through bin/*.sh as a user runs them
// against a real ZooKeeper and broker, their output lines checked against Kafka 3.9's formats; the
// consumer tool shares a topic with another member of its group. The scripts run the compiled tools
// (`npm run build` first).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startCluster, type Cluster } from '../harness/cluster';
import { Admin } from '../../src/client/admin';
import { KafkaClient } from '../../src/client/kafka-client';
import { GroupConsumer } from '../../src/client/group-consumer';
import { Producer } from '../../src/client/producer';
import { SimpleConsumer } from '../../src/client/simple-consumer';
import { ArgumentParserError, ProducerStats, javaFixed, parseProducerPerfArgs } from '../../src/tools/kafka-producer-perf-test';
import { formatJavaDate } from '../../src/tools/kafka-consumer-perf-test';
import { projectRoot as root, runBin } from './bin-runner';

test("javaFixed rounds the shortest decimal form half-up, as Java's %.Nf", () => {
  assert.equal(javaFixed(1.005, 2), '1.01');
  assert.equal(javaFixed(2.5, 0), '3');
  assert.equal(javaFixed(0.125, 2), '0.13');
  assert.equal(javaFixed(123.456, 1), '123.5');
  assert.equal(javaFixed(99.96, 1), '100.0');
  assert.equal(javaFixed(1234567.5, 6), '1234567.500000');
  assert.equal(javaFixed(-1.25, 1), '-1.3');
  assert.equal(javaFixed(-0.04, 1), '0.0');
  assert.equal(javaFixed(0, 4), '0.0000');
  assert.equal(javaFixed(NaN, 1), 'NaN');
  assert.equal(javaFixed(Infinity, 2), 'Infinity');
});

test('ProducerStats prints windows every 5 s and the totals with sampled percentiles, as Kafka', () => {
  let now = 1_000_000;
  const lines: string[] = [];
  const stats = new ProducerStats(10, { out: (l) => lines.push(l), now: () => now });
  // Ten records acknowledged in three runs; the third comes 5 s after the start and closes a window.
  stats.record(2, { count: 4, bytes: 400, time: now });
  now += 2000;
  stats.record(10, { count: 5, bytes: 500, time: now });
  now += 3000;
  stats.record(30, { count: 1, bytes: 100, time: now });
  assert.deepEqual(lines, ['10 records sent, 2.0 records/sec (0.00 MB/sec), 8.8 ms avg latency, 30.0 ms max latency.\n']);
  now += 5000;
  const totals = stats.printTotal();
  assert.equal(
    lines[1],
    '10 records sent, 1.000000 records/sec (0.00 MB/sec), 8.80 ms avg latency, 30.00 ms max latency, 10 ms 50th, 30 ms 95th, 30 ms 99th, 30 ms 99.9th.\n',
  );
  assert.equal(totals.records, 10);
  assert.equal(totals.p50, 10);
});

test('ProducerStats keeps every sampling-th latency once there are more than 500 000 records', () => {
  const lines: string[] = [];
  const stats = new ProducerStats(2_000_000, { out: (l) => lines.push(l), now: () => 0 });
  // sampling = 4: records 0, 4, 8, ... keep their latency; 1 000 000 records at 1 ms, then 1 000 000 at 9 ms.
  stats.record(1, { count: 1_000_000, bytes: 1_000_000, time: 0 });
  stats.record(9, { count: 1_000_000, bytes: 1_000_000, time: 0 });
  const totals = stats.printTotal();
  assert.equal(totals.p50, 9);
  assert.equal(totals.p95, 9);
  assert.equal(totals.records, 2_000_000);
});

test('producer-performance argument errors are argparse4j’s', () => {
  const error = (args: string[]) => {
    try {
      parseProducerPerfArgs(args);
    } catch (err) {
      assert.ok(err instanceof ArgumentParserError);
      return err.message;
    }
    throw new Error('no error');
  };
  const base = ['--topic', 't', '--num-records', '10', '--throughput', '-1', '--producer-props', 'bootstrap.servers=x:1'];
  assert.equal(error(['--num-records', '10', '--record-size', '1', '--throughput', '1']), 'argument --topic is required');
  assert.equal(error([...base]), 'one of the arguments --record-size --payload-file --payload-monotonic is required');
  assert.equal(error([...base, '--record-size', '10', '--payload-file', 'f']), 'argument --payload-file: not allowed with argument --record-size');
  assert.equal(error(['--topic', 't', '--num-records', 'ten']), `argument --num-records: could not convert 'ten' to Long (For input string: "ten")`);
  assert.equal(error([...base, '--record-size', '0']), '--record-size should be greater than zero');
  assert.equal(error(['--topic', 't', '--num-records', '10', '--throughput', '-1', '--record-size', '10']), 'Either --producer-props or --producer.config must be specified.');
  assert.equal(error([...base, '--record-size', '10', '--bogus', 'x']), "unrecognized arguments: '--bogus x'");
  assert.equal(parseProducerPerfArgs(['-h']), null);
  const ok = parseProducerPerfArgs([...base, '--record-size', '100', '--print-metrics'])!;
  assert.deepEqual(ok.producerProps, ['bootstrap.servers=x:1']);
  assert.equal(ok.recordSize, 100);
  assert.equal(ok.printMetrics, true);
});

test('formatJavaDate follows SimpleDateFormat letters', () => {
  const ms = new Date(2024, 0, 31, 9, 5, 7, 42).getTime();
  assert.equal(formatJavaDate(ms, 'yyyy-MM-dd HH:mm:ss:SSS'), '2024-01-31 09:05:07:042');
  assert.equal(formatJavaDate(ms, "yy/M/d h 'at' a"), '24/1/31 9 at AM');
});

const run = (script: string, args: string[], timeoutMs = 120_000) => runBin(script, args, { timeoutMs, onTimeout: 'reject' });

const TOTAL_LINE =
  /^(\d+) records sent, \d+\.\d{6} records\/sec \(\d+\.\d{2} MB\/sec\), \d+\.\d{2} ms avg latency, \d+\.\d{2} ms max latency, \d+ ms 50th, \d+ ms 95th, \d+ ms 99th, \d+ ms 99\.9th\.$/;
const WINDOW_LINE = /^\d+ records sent, \d+\.\d records\/sec \(\d+\.\d{2} MB\/sec\), \d+\.\d ms avg latency, \d+\.\d ms max latency\.$/;
const DATE = '\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}:\\d{3}';
const HEADER = 'start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec';

let cluster: Cluster;

before(async () => {
  assert.ok(
    fs.existsSync(path.join(root, 'dist', 'src', 'tools', 'kafka-producer-perf-test.js')),
    'the tools are not compiled: run `npm run build` before these tests',
  );
  cluster = await startCluster({ brokers: 1 });
  const client = new KafkaClient({ bootstrapServers: cluster.bootstrap });
  try {
    await new Admin(client).createTopicsOrThrow([
      { name: 'perf', numPartitions: 1, replicationFactor: 1 },
      { name: 'perf-throttled', numPartitions: 2, replicationFactor: 1 },
    ]);
  } finally {
    await client.close();
  }
});

after(async () => {
  await cluster?.stop();
});

test('kafka-producer-perf-test sends every record and prints ProducerPerformance’s final line', async () => {
  const r = await run('kafka-producer-perf-test.sh', [
    '--topic', 'perf', '--num-records', '20000', '--record-size', '100', '--throughput', '-1',
    '--producer-props', `bootstrap.servers=${cluster.bootstrap}`, 'acks=1', 'linger.ms=5', 'batch.size=65536',
    '--print-metrics',
  ]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const lines = r.stdout.split('\n');
  const total = lines.find((l) => TOTAL_LINE.test(l));
  assert.ok(total, r.stdout);
  assert.equal(TOTAL_LINE.exec(total)![1], '20000');
  assert.ok(lines.some((l) => /^producer-metrics:record-send-total:\{client-id=perf-producer-client\} +: 20000\.000$/.test(l)), r.stdout);
  // The records are in the log: 20 000 of them, each with a 100-byte value of uppercase letters.
  const client = new KafkaClient({ bootstrapServers: cluster.bootstrap });
  try {
    const consumer = new SimpleConsumer(client, { autoOffsetReset: 'earliest' });
    const ends = await consumer.listOffsets([{ topic: 'perf', partition: 0, timestamp: -1 }]);
    assert.equal(ends.get('perf\u00000')?.offset, 20000);
    consumer.assign([{ topic: 'perf', partition: 0 }]);
    const records = await consumer.poll(5000);
    assert.ok(records.length > 0);
    assert.equal(records[0]!.key, null);
    assert.match(records[0]!.value!.toString('latin1'), /^[A-Z]{100}$/);
  } finally {
    await client.close();
  }
});

test('a throttled run prints a window line every 5 s and keeps to the asked rate', async () => {
  const started = Date.now();
  const r = await run('kafka-producer-perf-test.sh', [
    '--topic', 'perf-throttled', '--num-records', '12000', '--record-size', '50', '--throughput', '2000',
    '--producer-props', `bootstrap.servers=${cluster.bootstrap}`, 'acks=all',
  ]);
  const seconds = (Date.now() - started) / 1000;
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.ok(lines.length >= 2, r.stdout);
  for (const l of lines.slice(0, -1)) assert.match(l, WINDOW_LINE);
  assert.match(lines[lines.length - 1]!, TOTAL_LINE);
  assert.ok(seconds >= 5, `12 000 records at 2 000/s took ${seconds} s`);
});

test('kafka-consumer-perf-test consumes the records and prints ConsumerPerformance’s header and row', async () => {
  const group = `perf-group-${Date.now()}`;
  const r = await run('kafka-consumer-perf-test.sh', ['--bootstrap-server', cluster.bootstrap, '--topic', 'perf', '--messages', '20000', '--group', group]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const [header, row, ...rest] = r.stdout.trim().split('\n');
  assert.equal(header, HEADER);
  assert.deepEqual(rest, []);
  // 20 000 x 100 bytes = 1.9073 MB.
  assert.match(row!, new RegExp(`^${DATE}, ${DATE}, 1\\.9073, \\d+\\.\\d{4}, 20000, \\d+\\.\\d{4}, \\d+, \\d+, \\d+\\.\\d{4}, \\d+\\.\\d{4}$`));
  // The group's offsets were committed: the same group finds nothing more and says so.
  const again = await run('kafka-consumer-perf-test.sh', [
    '--bootstrap-server', cluster.bootstrap, '--topic', 'perf', '--messages', '1', '--group', group, '--timeout', '1500', '--hide-header',
  ]);
  assert.equal(again.code, 0, again.stdout + again.stderr);
  const lines = again.stdout.trim().split('\n');
  assert.equal(lines[0], 'WARNING: Exiting before consuming the expected number of messages: timeout (1500 ms) exceeded. You can use the --timeout option to increase the timeout.');
  assert.match(lines[1]!, new RegExp(`^${DATE}, ${DATE}, 0\\.0000, 0\\.0000, 0, 0\\.0000, \\d+, \\d+, 0\\.0000, 0\\.0000$`));
});

test('kafka-consumer-perf-test --show-detailed-stats prints interval rows instead of the summary', async () => {
  const r = await run('kafka-consumer-perf-test.sh', [
    '--bootstrap-server', cluster.bootstrap, '--topic', 'perf-throttled', '--messages', '12000', '--show-detailed-stats', '--reporting-interval', '1',
    '--fetch-size', '4096', '--date-format', 'HH:mm:ss',
  ]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const [header, ...rows] = r.stdout.trim().split('\n');
  assert.equal(header, 'time, threadId, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec');
  assert.ok(rows.length >= 1, r.stdout);
  for (const row of rows) assert.match(row, /^\d{2}:\d{2}:\d{2}, 0, \d+\.\d{4}, -?\d+\.\d{4}, \d+, -?\d+\.\d{4}, \d+, -?\d+, -?\d+\.\d{4}, -?\d+\.\d{4}$/);
});

test('usage errors: the producer prints argparse4j’s usage and error, the consumer jopt-simple’s', async () => {
  const p = await run('kafka-producer-perf-test.sh', ['--topic', 't', '--num-records', '5', '--record-size', '10', '--throughput', '-1']);
  assert.equal(p.code, 1);
  assert.match(p.stderr, /^usage: producer-performance \[-h\] --topic TOPIC/);
  assert.match(p.stderr, /producer-performance: error: Either --producer-props or --producer\.config must be specified\.\n$/);
  const c = await run('kafka-consumer-perf-test.sh', ['--bootstrap-server', cluster.bootstrap, '--topic', 'perf']);
  assert.equal(c.code, 1);
  assert.match(c.stderr, /^Missing required argument "\[messages\]"\n/);
  const bad = await run('kafka-producer-perf-test.sh', ['--topic', 't', '--num-records', '5', '--record-size', '10', '--throughput', '-1', '--producer-props', 'acks']);
  assert.equal(bad.code, 1);
  assert.equal(bad.stderr, 'Exception in thread "main" java.lang.IllegalArgumentException: Invalid property: acks\n');
});

test('kafka-consumer-perf-test subscribes through its group: it shares the partitions with another member', async () => {
  const client = new KafkaClient({ bootstrapServers: cluster.bootstrap, clientId: 'perf-group-member' });
  await new Admin(client).createTopicsOrThrow([{ name: 'perf-shared', numPartitions: 2, replicationFactor: 1 }]);
  const producer = new Producer(client, { acks: -1 });
  const counts = [300, 500];
  await Promise.all(counts.flatMap((n, partition) => Array.from({ length: n }, (_, i) => producer.send({ topic: 'perf-shared', partition, value: `v${i}` }))));
  await producer.close();
  // No commits from the member: the tool starts its partition from the beginning (its default).
  const member = new GroupConsumer(client, { groupId: 'perf-shared', heartbeatIntervalMs: 300, sessionTimeoutMs: 6000, autoOffsetReset: 'latest', enableAutoCommit: false });
  member.subscribe(['perf-shared']);
  try {
    const deadline = Date.now() + 30_000;
    while (member.assignment().length !== 2 && Date.now() < deadline) await member.poll(200);
    assert.equal(member.assignment().length, 2);
    const perf = run('kafka-consumer-perf-test.sh', [
      '--bootstrap-server', cluster.bootstrap, '--topic', 'perf-shared', '--messages', '1000', '--group', 'perf-shared', '--timeout', '3000',
    ]);
    let finished = false;
    void perf.finally(() => (finished = true));
    const held = new Set<number>();
    while (!finished) {
      await member.poll(200);
      if (member.assignment().length === 1) held.add(member.assignment()[0]!.partition);
    }
    const r = await perf;
    assert.equal(r.code, 0, r.stdout + r.stderr);
    // The range split gave the tool one partition: it read exactly that partition's records.
    assert.equal(held.size, 1, `the member held ${[...held].join(',')} while the tool ran`);
    const toolPartition = 1 - [...held][0]!;
    const lines = r.stdout.trim().split('\n');
    assert.match(lines[1]!, /^WARNING: Exiting before consuming the expected number of messages/);
    const row = lines[2]!.split(', ');
    assert.equal(Number(row[4]), counts[toolPartition]);
    // rebalance.time.ms: the time to the first assignment, part of the run, the rest being fetch time.
    const rebalanceMs = Number(row[6]);
    assert.ok(rebalanceMs > 0 && rebalanceMs < 30_000, `rebalance.time.ms ${rebalanceMs}`);
  } finally {
    await member.close();
    await client.close();
  }
});
