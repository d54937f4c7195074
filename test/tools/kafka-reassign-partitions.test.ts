// kafka-reassign-partitions: Kafka 3.9's argument checks and messages (ReassignPartitionsCommandArgsTest), the
// reassignment JSON it reads and writes, and the failures it reports before talking to a broker. The actions
// against a real cluster are in test/integration/reassignment.test.ts.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  formatAsReassignmentJson,
  kafkaReassignPartitionsMain,
  parseExecuteAssignmentArgs,
  parseGenerateAssignmentArgs,
  parsePartitionReassignmentData,
} from '../../src/tools/kafka-reassign-partitions';
import { runToolMain } from './bin-runner';

const run = (...args: string[]) => runToolMain(kafkaReassignPartitionsMain, args);

const HELP = 'This tool helps to move topic partitions between replicas.';
const BS = ['--bootstrap-server', 'localhost:1234'];

describe('kafka-reassign-partitions arguments', () => {
  const usage = async (args: string[], message: string) => {
    const r = await run(...args);
    assert.equal(r.code, 1, `${args.join(' ')}: ${r.out}${r.err}`);
    assert.equal(r.out, '');
    assert.ok(r.err.startsWith(`${message}\nOption `), r.err.slice(0, 300));
    assert.match(r.err, /\n--reassignment-json-file <String: {8}The JSON file with the partition {7}\n  manual assignment json file path> /);
    assert.match(r.err, /--throttle <Long: throttle>/);
  };

  it('no arguments and --help print the help, --version the version', async () => {
    await usage([], HELP);
    await usage(['--help'], HELP);
    assert.deepEqual(await run('--version'), { code: 0, out: '3.9.0\n', err: '' });
  });

  it('exactly one action and --bootstrap-server are required', async () => {
    await usage([' '], 'Command must include exactly one action: --generate, --execute, --verify, --cancel, --list');
    await usage([...BS, '--execute', '--verify', '--reassignment-json-file', 'f.json'],
      'Command must include exactly one action: --generate, --execute, --verify, --cancel, --list');
    await usage(['--execute'], 'Please specify --bootstrap-server');
    await usage(['--cancel'], 'Please specify --bootstrap-server');
  });

  it("each action's required options", async () => {
    await usage([...BS, '--execute'], 'Missing required argument "[reassignment-json-file]"');
    await usage([...BS, '--verify'], 'Missing required argument "[reassignment-json-file]"');
    await usage([...BS, '--cancel', '--preserve-throttles'], 'Missing required argument "[reassignment-json-file]"');
    await usage([...BS, '--generate'], 'Missing required argument "[topics-to-move-json-file]"');
    await usage([...BS, '--topics-to-move-json-file', 'f.json', '--generate'], 'Missing required argument "[broker-list]"');
    await usage([...BS, '--broker-list', '101,102', '--generate'], 'Missing required argument "[topics-to-move-json-file]"');
  });

  it('options another action owns are refused, the first one given named', async () => {
    await usage([...BS, '--execute', '--reassignment-json-file', 'f.json', '--topics-to-move-json-file', 'f.json'],
      'Option "[topics-to-move-json-file]" can\'t be used with action "[execute]"');
    await usage([...BS, '--execute', '--reassignment-json-file', 'f.json', '--broker-list', '101,102'],
      'Option "[broker-list]" can\'t be used with action "[execute]"');
    await usage([...BS, '--generate', '--broker-list', '101,102', '--throttle', '100', '--topics-to-move-json-file', 'f.json'],
      'Option "[throttle]" can\'t be used with action "[generate]"');
    await usage([...BS, '--generate', '--broker-list', '101,102', '--topics-to-move-json-file', 'f.json', '--reassignment-json-file', 'f.json'],
      'Option "[reassignment-json-file]" can\'t be used with action "[generate]"');
    await usage([...BS, '--verify', '--broker-list', '100,101', '--reassignment-json-file', 'f.json'],
      'Option "[broker-list]" can\'t be used with action "[verify]"');
    await usage([...BS, '--verify', '--throttle', '100', '--reassignment-json-file', 'f.json'],
      'Option "[throttle]" can\'t be used with action "[verify]"');
    await usage(['--list', ...BS, '--additional'], 'Option "[additional]" can\'t be used with action "[list]"');
  });

  it('option values are checked as jopt-simple does', async () => {
    await usage([...BS, '--execute', '--reassignment-json-file', 'f.json', '--throttle', 'fast'], "Cannot parse argument 'fast' of option throttle");
    await usage([...BS, '--list', '--bogus'], 'bogus is not a recognized option');
  });
});

describe('kafka-reassign-partitions JSON', () => {
  it('writes Kafka\'s reassignment JSON: sorted by topic then partition, log dirs "any" unless given', () => {
    assert.equal(formatAsReassignmentJson([
      { topic: 'b', partition: 0, replicas: [3] },
      { topic: 'a', partition: 10, replicas: [1, 2] },
      { topic: 'a', partition: 2, replicas: [2, 1] },
    ], new Map([['b-0:3', '/data/d2']])),
    '{"version":1,"partitions":[{"topic":"a","partition":2,"replicas":[2,1],"log_dirs":["any","any"]},' +
      '{"topic":"a","partition":10,"replicas":[1,2],"log_dirs":["any","any"]},{"topic":"b","partition":0,"replicas":[3],"log_dirs":["/data/d2"]}]}');
  });

  it('reads it back, with or without version and log_dirs', () => {
    const text = '{"partitions":[{"topic":"t","partition":0,"replicas":[1,2],"log_dirs":["any","/d"]},{"topic":"t","partition":1,"replicas":[2]}]}';
    const parsed = parsePartitionReassignmentData(text);
    assert.deepEqual(parsed.partitions, [{ topic: 't', partition: 0, replicas: [1, 2] }, { topic: 't', partition: 1, replicas: [2] }]);
    assert.deepEqual([...parsed.logDirs], [['t-0:2', '/d']]);
    assert.deepEqual(parsePartitionReassignmentData('{"version":1}').partitions, []);
  });

  it("refuses what Kafka's parser refuses, with its messages", () => {
    const refuses = (fn: () => unknown, message: string) => assert.throws(fn, (e: Error) => e.message === message);
    refuses(() => parsePartitionReassignmentData('{"version":2,"partitions":[]}'), 'Not supported version field value 2');
    refuses(() => parsePartitionReassignmentData('{"partitions":[{"partition":0,"replicas":[1]}]}'), 'No such field exists: `topic`');
    refuses(() => parsePartitionReassignmentData('{"partitions":[{"topic":"t","partition":"0","replicas":[1]}]}'), 'Expected `Int` value, received "0"');
    refuses(() => parsePartitionReassignmentData('{"partitions":[{"topic":"t","partition":0,"replicas":[1,2],"log_dirs":["any"]}]}'),
      'Size of replicas list [1, 2] is different from size of log dirs list [any] for partition t-0');
    refuses(() => parseExecuteAssignmentArgs('{"version":1,"partitions":[]}'), 'Partition reassignment list cannot be empty');
    refuses(() => parseExecuteAssignmentArgs('{"partitions":[{"topic":"t","partition":0,"replicas":[]}]}'), 'Partition replica list cannot be empty');
    refuses(() => parseExecuteAssignmentArgs('{"partitions":[{"topic":"t","partition":0,"replicas":[1]},{"topic":"t","partition":0,"replicas":[2]}]}'),
      'Partition reassignment contains duplicate topic partitions: t-0');
    refuses(() => parseExecuteAssignmentArgs('{"partitions":[{"topic":"t","partition":0,"replicas":[1,1,2,2]},{"topic":"u","partition":1,"replicas":[3,3]}]}'),
      'Partition replica lists may not contain duplicate entries: t-0 contains multiple entries for 1,2. u-1 contains multiple entries for 3');
    refuses(() => parseGenerateAssignmentArgs('{"topics":[{"topic":"t"}]}', '1,x'), 'For input string: "x"');
    refuses(() => parseGenerateAssignmentArgs('{"topics":[{"topic":"t"}]}', '1,2,1'), 'Broker list contains duplicate entries: [1]');
    refuses(() => parseGenerateAssignmentArgs('{"topics":[{"topic":"t"},{"topic":"t"}]}', '1,2'), 'List of topics to reassign contains duplicate entries: [t]');
    refuses(() => parseGenerateAssignmentArgs('not json', '1,2'), 'The input string is not a valid JSON');
    assert.deepEqual(parseGenerateAssignmentArgs('{"topics":[{"topic":"a"},{"topic":"b"}],"version":1}', '3,1'), { brokers: [3, 1], topics: ['a', 'b'] });
  });
});

describe('kafka-reassign-partitions failures before any broker is asked', () => {
  let dir: string;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reassign-tool-'));
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('a bad file is reported as "Error: <message>" followed by the exception, on stdout', async () => {
    const file = path.join(dir, 'dup.json');
    fs.writeFileSync(file, '{"version":1,"partitions":[{"topic":"t","partition":0,"replicas":[1,1]}]}');
    const r = await run(...BS, '--execute', '--reassignment-json-file', file);
    assert.equal(r.code, 1);
    assert.equal(r.out, 'Error: Partition replica lists may not contain duplicate entries: t-0 contains multiple entries for 1\n' +
      'org.apache.kafka.server.common.AdminCommandFailedException: Partition replica lists may not contain duplicate entries: t-0 contains multiple entries for 1\n');
    const missing = await run(...BS, '--verify', '--reassignment-json-file', path.join(dir, 'nope.json'));
    assert.equal(missing.code, 1);
    assert.equal(missing.out, `Error: ${path.join(dir, 'nope.json')}\njava.nio.file.NoSuchFileException: ${path.join(dir, 'nope.json')}\n`);
  });
});
