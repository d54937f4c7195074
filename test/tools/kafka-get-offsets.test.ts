// kafka-get-offsets.sh (Kafka 3.9's GetOffsetShell): the --time values and topic-partition patterns as the
// command parses them, its argument errors through bin/, and every --time form against a real broker — latest,
// earliest, max-timestamp, earliest-local, latest-tiered (no tiered storage: no offset, so no line) and
// timestamps — with --topic / --partitions / --topic-partitions filters, internal topics in and out, and the
// `topic:partition:offset` lines sorted as Kafka's TreeMap of "topic-partition" strings sorts them.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  parseOffsetSpec,
  topicPartitionFilterFromOptions,
  topicPartitionFilterFromPatterns,
} from '../../src/tools/kafka-get-offsets';
import { startCluster, type Cluster } from '../harness/cluster';
import { runBin } from './bin-runner';
import { kafkajs } from '../integration/clients';

const run = (args: string[]) => runBin('kafka-get-offsets.sh', args);

describe('kafka-get-offsets parsing', () => {
  test('--time values', () => {
    assert.equal(parseOffsetSpec('latest'), -1);
    assert.equal(parseOffsetSpec('earliest'), -2);
    assert.equal(parseOffsetSpec('max-timestamp'), -3);
    assert.equal(parseOffsetSpec('earliest-local'), -4);
    assert.equal(parseOffsetSpec('latest-tiered'), -5);
    assert.equal(parseOffsetSpec('-2'), -2);
    assert.equal(parseOffsetSpec('+1700000000000'), 1700000000000);
    for (const bad of ['LATEST', '1.5', '', '9223372036854775808']) {
      assert.throws(() => parseOffsetSpec(bad), {
        message:
          `Malformed time argument ${bad}. Please use -1 or latest / -2 or earliest / -3 or max-timestamp / -4 or earliest-local / ` +
          '-5 or latest-tiered, or a specified long format timestamp',
      });
    }
  });

  test('topic-partition patterns and --topic / --partitions', () => {
    const f = topicPartitionFilterFromPatterns('orders:1,pay.*:0-3,logs:5-,:-2');
    const allowed = (topic: string, partition: number) => f.isTopicPartitionAllowed({ topic, partition });
    assert.equal(allowed('orders', 1), true);
    assert.equal(allowed('orders', 2), false);
    assert.equal(allowed('payments', 2), true);
    assert.equal(allowed('payments', 3), false);
    assert.equal(allowed('logs', 9), true);
    assert.equal(allowed('logs', 4), false);
    assert.equal(allowed('anything', 1), true);
    assert.equal(allowed('anything', 2), false);
    assert.equal(f.isTopicAllowed('xpay'), true);
    // The regex must match the whole name.
    assert.equal(topicPartitionFilterFromPatterns('pay:0').isTopicAllowed('payments'), false);
    assert.throws(() => topicPartitionFilterFromPatterns('a:b'), { message: 'org.apache.kafka.tools.TerseException: Invalid rule specification: a:b' });
    const o = topicPartitionFilterFromOptions('t.*', '0,2');
    assert.equal(o.isTopicPartitionAllowed({ topic: 'top', partition: 2 }), true);
    assert.equal(o.isTopicPartitionAllowed({ topic: 'top', partition: 1 }), false);
    assert.equal(topicPartitionFilterFromOptions(undefined, undefined).isTopicPartitionAllowed({ topic: 'x', partition: 7 }), true);
    assert.throws(() => topicPartitionFilterFromOptions('t', '1,a'), {
      message: '--partitions expects a comma separated list of numeric partition ids, but received: 1,a',
    });
  });
});

describe('kafka-get-offsets argument errors', () => {
  test('usage, option errors and Kafka\'s refusals', async () => {
    const none = await run([]);
    assert.equal(none.code, 1);
    assert.match(none.stderr, /^An interactive shell for getting topic-partition offsets\.\nOption {2,}Description/);
    assert.deepEqual(await run(['--bogus']), { code: 1, stdout: '', stderr: 'Error occurred: bogus is not a recognized option\n' });
    const missing = await run(['--time', '-1']);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /^Missing required argument "\[bootstrap-server\]"\nOption/);
    const badServer = await run(['--bootstrap-server', 'localhost']);
    assert.equal(badServer.code, 1);
    assert.match(badServer.stderr, /^Please provide valid host:port like host1:9091,host2:9092\n\nOption/);
    const refusals: [string[], string][] = [
      [['--topic-partitions', 't', '--partitions', '0'], '--topic-partitions cannot be used with --topic or --partitions'],
      [['--time', 'yesterday'], 'Malformed time argument yesterday. Please use -1 or latest / -2 or earliest / -3 or max-timestamp / -4 or earliest-local / -5 or latest-tiered, or a specified long format timestamp'],
      [['--partitions', '0,x'], '--partitions expects a comma separated list of numeric partition ids, but received: 0,x'],
    ];
    for (const [args, message] of refusals) {
      assert.deepEqual(await run(['--bootstrap-server', '127.0.0.1:1', ...args]), { code: 1, stdout: '', stderr: `Error occurred: ${message}\n` });
    }
    // Unexpected failures add the exception (the first line of Kafka's stack trace).
    assert.deepEqual(await run(['--bootstrap-server', '127.0.0.1:1', '--topic-partitions', 'a:b']), {
      code: 1,
      stdout: '',
      stderr:
        'Error occurred: org.apache.kafka.tools.TerseException: Invalid rule specification: a:b\n' +
        'java.lang.RuntimeException: org.apache.kafka.tools.TerseException: Invalid rule specification: a:b\n',
    });
    assert.deepEqual(await run(['--bootstrap-server', '127.0.0.1:1', '--command-config', '/nonexistent/admin.properties']), {
      code: 1,
      stdout: '',
      stderr: 'Error occurred: /nonexistent/admin.properties\njava.nio.file.NoSuchFileException: /nonexistent/admin.properties\n',
    });
  });
});

describe('kafka-get-offsets against a broker', { timeout: 180_000 }, () => {
  const T0 = 1700000000000;
  let cluster: Cluster;
  const get = async (args: string[]) => {
    const r = await run(['--bootstrap-server', cluster.bootstrap, ...args]);
    assert.equal(r.stderr, '');
    assert.equal(r.code, 0);
    return r.stdout;
  };
  const lines = (entries: [number, number][]) => entries.map(([p, o]) => `offsets:${p}:${o}\n`).join('');

  before(async () => {
    cluster = await startCluster({ brokers: 1 });
    const admin = kafkajs(cluster.bootstrap).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'offsets', numPartitions: 12 }], waitForLeaders: true });
    const producer = kafkajs(cluster.bootstrap).producer();
    await producer.connect();
    // Partition 0: the largest timestamp is on offset 1, not on the last record.
    for (const ts of [T0, T0 + 20, T0 + 10]) await producer.send({ topic: 'offsets', messages: [{ value: 'x', partition: 0, timestamp: String(ts) }] });
    for (const partition of [2, 10]) await producer.send({ topic: 'offsets', messages: [{ value: 'y', partition, timestamp: String(T0 + 100) }] });
    await producer.disconnect();
    // FindCoordinator creates __consumer_offsets, an internal topic.
    await admin.fetchOffsets({ groupId: 'creates-offsets-topic', topics: ['offsets'] });
    await admin.disconnect();
  });

  after(async () => {
    await cluster?.stop();
  });

  test('latest (default, -1, latest), sorted as "topic-partition" strings', async () => {
    const expected = lines([[0, 3], [1, 0], [10, 1], [11, 0], [2, 1], [3, 0], [4, 0], [5, 0], [6, 0], [7, 0], [8, 0], [9, 0]]);
    assert.equal(await get(['--topic', 'offsets']), expected);
    assert.equal(await get(['--topic', 'offsets', '--time', '-1']), expected);
    assert.equal(await get(['--topic', 'offsets', '--time', 'latest']), expected);
  });

  test('earliest, earliest-local, max-timestamp and latest-tiered', async () => {
    const zeros = lines([0, 1, 10, 11, 2, 3, 4, 5, 6, 7, 8, 9].map((p) => [p, 0]));
    for (const time of ['-2', 'earliest', '-4', 'earliest-local']) assert.equal(await get(['--topic', 'offsets', '--time', time]), zeros);
    // Empty partitions have no record with a largest timestamp: no offset, no line.
    for (const time of ['-3', 'max-timestamp']) assert.equal(await get(['--topic', 'offsets', '--time', time]), lines([[0, 1], [10, 0], [2, 0]]));
    for (const time of ['-5', 'latest-tiered']) assert.equal(await get(['--topic', 'offsets', '--time', time]), '');
  });

  test('timestamps: the first offset at or after the time', async () => {
    assert.equal(await get(['--topic', 'offsets', '--time', String(T0 + 15)]), lines([[0, 1], [10, 0], [2, 0]]));
    assert.equal(await get(['--topic', 'offsets', '--time', String(T0)]), lines([[0, 0], [10, 0], [2, 0]]));
    assert.equal(await get(['--topic', 'offsets', '--time', String(T0 + 1000)]), '');
  });

  test('--topic-partitions, --partitions and internal topics', async () => {
    assert.equal(await get(['--topic-partitions', 'offsets:0-3,offsets:10']), lines([[0, 3], [1, 0], [10, 1], [2, 1]]));
    assert.equal(await get(['--topic-partitions', 'off.*:9-']), lines([[10, 1], [11, 0], [9, 0]]));
    assert.equal(await get(['--topic', 'off.*', '--partitions', '2,0']), lines([[0, 3], [2, 1]]));
    const all = await get([]);
    assert.match(all, /^__consumer_offsets:0:0\n__consumer_offsets:1:0\n__consumer_offsets:10:0\n/);
    assert.ok(all.endsWith(lines([[0, 3], [1, 0], [10, 1], [11, 0], [2, 1], [3, 0], [4, 0], [5, 0], [6, 0], [7, 0], [8, 0], [9, 0]])));
    assert.equal(all.split('\n').filter((l) => l.startsWith('__consumer_offsets:')).length, 50);
    assert.equal(await get(['--exclude-internal-topics']), await get(['--topic', 'offsets']));
    const none = await run(['--bootstrap-server', cluster.bootstrap, '--topic', 'no-such-topic']);
    assert.deepEqual(none, { code: 1, stdout: '', stderr: 'Error occurred: Could not match any topic-partitions with the specified filters\n' });
  });
});

describe('kafka-get-offsets with a partition whose leader is down', { timeout: 180_000 }, () => {
  let cluster: Cluster;
  let dir: string;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'get-offsets-'));
    cluster = await startCluster({ brokers: 2 });
    const admin = kafkajs(cluster.bootstrap).admin();
    await admin.connect();
    await admin.createTopics({
      topics: [{ topic: 'halves', replicaAssignment: [{ partition: 0, replicas: [0] }, { partition: 1, replicas: [1] }] }],
      waitForLeaders: true,
    });
    await admin.disconnect();
    const producer = kafkajs(cluster.bootstrap).producer();
    await producer.connect();
    await producer.send({ topic: 'halves', messages: [{ value: 'a', partition: 0 }, { value: 'b', partition: 0 }] });
    await producer.disconnect();
    await cluster.brokers[1]!.stop();
  });

  after(async () => {
    await cluster?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('the other partitions are printed and the failed one skipped with its error (--command-config)', async () => {
    const config = path.join(dir, 'admin.properties');
    fs.writeFileSync(config, 'request.timeout.ms=3000\nretry.backoff.max.ms=200\n');
    const r = await run(['--bootstrap-server', cluster.brokers[0]!.bootstrap, '--topic', 'halves', '--command-config', config]);
    assert.equal(r.code, 0);
    assert.equal(r.stdout, 'halves:0:2\n');
    assert.match(r.stderr, /^Skip getting offsets for topic-partition halves-1 due to error: org\.apache\.kafka\.common\.errors\.\w+Exception: .+\n$/);
  });
});
