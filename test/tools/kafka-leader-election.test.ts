// kafka-leader-election: Kafka 3.9's LeaderElectionCommand checks and messages (stderr, exit 1), the JSON file of
// partitions, and the JVM set order the command prints partitions in. Elections against a real cluster are in
// test/integration/reassignment.test.ts.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { kafkaLeaderElectionMain, parseReplicaElectionData } from '../../src/tools/kafka-leader-election';
import { javaHashSetOrder, topicPartitionHash } from '../../src/tools/tool-json';
import { runToolMain } from './bin-runner';

const run = (...args: string[]) => runToolMain(kafkaLeaderElectionMain, args);

const HELP = 'This tool attempts to elect a new leader for a set of topic partitions. The type of elections supported ' +
  'are preferred replicas and unclean replicas.';
const BS = ['--bootstrap-server', 'localhost:1234'];

describe('kafka-leader-election arguments', () => {
  /** mainNoExit: the message, then the exception, on stderr. */
  const fails = async (args: string[], message: string, javaClass = 'org.apache.kafka.server.common.AdminCommandFailedException') => {
    const r = await run(...args);
    assert.deepEqual(r, { code: 1, out: '', err: `${message}\n${javaClass}: ${message}\n` }, args.join(' '));
  };

  it('no arguments and --help print the help, --version the version', async () => {
    for (const args of [[], ['--help']]) {
      const r = await run(...args);
      assert.equal(r.code, 1);
      assert.ok(r.err.startsWith(`${HELP}\nOption `), r.err.slice(0, 200));
      assert.match(r.err, /\n--partition <Integer: partition id> /);
    }
    assert.deepEqual(await run('--version'), { code: 0, out: '3.9.0\n', err: '' });
  });

  it("validate(): Kafka's messages", async () => {
    await fails(['--topic', 't'], 'Missing required option(s): bootstrap-server, election-type');
    await fails([...BS, '--topic', 't', '--partition', '0'], 'Missing required option(s): election-type');
    await fails([...BS, '--election-type', 'preferred'],
      'One and only one of the following options is required: topic, all-topic-partitions, path-to-json-file');
    await fails([...BS, '--election-type', 'preferred', '--topic', 't', '--all-topic-partitions'],
      'One and only one of the following options is required: topic, all-topic-partitions, path-to-json-file');
    await fails([...BS, '--election-type', 'preferred', '--topic', 't'], 'Missing required option(s): partition');
    await fails([...BS, '--election-type', 'preferred', '--all-topic-partitions', '--partition', '1'], 'Option partition is only allowed if topic is used');
    await fails([...BS, '--election-type', 'leader', '--all-topic-partitions'], "Cannot parse argument 'leader' of option election-type",
      'joptsimple.OptionArgumentConversionException');
    await fails([...BS, '--election-type', 'preferred', '--topic', 't', '--partition', 'x'], "Cannot parse argument 'x' of option partition",
      'joptsimple.OptionException');
    await fails([...BS, '--nope'], 'nope is not a recognized option', 'joptsimple.OptionException');
  });

  describe('--path-to-json-file', () => {
    let dir: string;
    before(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leader-election-'));
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('a missing or unreadable file fails before any broker is asked', async () => {
      const missing = path.join(dir, 'missing.json');
      await fails([...BS, '--election-type', 'preferred', '--path-to-json-file', missing], `java.nio.file.NoSuchFileException: ${missing}`,
        'java.lang.RuntimeException');
      const bad = path.join(dir, 'bad.json');
      fs.writeFileSync(bad, '{"partitions":[{"topic":"t","partition":0},{"topic":"t","partition":0}]}');
      await fails([...BS, '--election-type', 'preferred', '--path-to-json-file', bad], 'Replica election data contains duplicate partitions: [t-0]',
        'org.apache.kafka.server.common.AdminOperationException');
    });
  });
});

describe('kafka-leader-election JSON and output order', () => {
  it('reads {"partitions":[{"topic":..,"partition":..}]} as Kafka does', () => {
    assert.deepEqual(parseReplicaElectionData('{"partitions":[{"topic":"foo","partition":1},{"topic":"foobar","partition":2}]}'),
      [{ topic: 'foo', partition: 1 }, { topic: 'foobar', partition: 2 }]);
    const refuses = (text: string, message: string) => assert.throws(() => parseReplicaElectionData(text), (e: Error) => e.message === message);
    refuses('nope', 'Replica election data is empty');
    refuses('{"version":1}', 'Replica election data is missing "partitions" field');
    refuses('{"partitions":[{"partition":1}]}', 'com.fasterxml.jackson.databind.JsonMappingException: No such field exists: `topic`');
    refuses('{"partitions":[{"topic":"t","partition":"1"}]}', 'com.fasterxml.jackson.databind.JsonMappingException: Expected `Int` value, received "1"');
  });

  it('prints partitions in java.util.HashSet order', () => {
    // TopicPartition#hashCode = 31 * (31 + partition) + topic.hashCode(); "t".hashCode() = 116.
    assert.equal(topicPartitionHash({ topic: 't', partition: 0 }), 31 * 31 + 116);
    // Buckets (hash & 15): t-0 -> 5, t-1 -> 4, t-2 -> 3.
    const tps = [0, 1, 2].map((partition) => ({ topic: 't', partition }));
    assert.deepEqual(javaHashSetOrder(tps, topicPartitionHash).map((tp) => tp.partition), [2, 1, 0]);
    // Integer#hashCode is the value: small broker ids come out sorted, large ones by their low bits.
    assert.deepEqual(javaHashSetOrder([2, 0, 1], (n) => n), [0, 1, 2]);
    assert.deepEqual(javaHashSetOrder([1001, 3, 1002], (n) => n), [3, 1001, 1002]);
    // Past 12 entries the table has 32 buckets.
    const many = Array.from({ length: 13 }, (_, i) => 31 - i);
    assert.deepEqual(javaHashSetOrder(many, (n) => n), [...many].sort((a, b) => a - b));
  });
});
