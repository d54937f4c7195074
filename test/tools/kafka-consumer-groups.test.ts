/**
 * kafka-consumer-groups against a real broker: usage checks, --list (with --state), --describe of the
 * offsets and lag of an inactive group, of the members (--verbose) and state of an active one,
 * --reset-offsets with every scenario (dry run by default, --execute, --export, clamping into the log
 * range, refused while the group is active), --delete-offsets and --delete.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Admin, Consumer, Kafka } from 'kafkajs';
import { startCluster, type Cluster } from '../harness/cluster';
import { kafkajs } from '../integration/clients';
import { kafkaConsumerGroupsMain, parseDateTime, parseDuration } from '../../src/tools/kafka-consumer-groups';
import { runToolMain } from './bin-runner';

const tool = (args: string[]) => runToolMain(kafkaConsumerGroupsMain, args);

/** Table rows of tool output: lines split on runs of spaces. */
const rows = (out: string) =>
  out
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .map((l) => l.split(/\s+/));

describe('kafka-consumer-groups', { timeout: 180_000 }, () => {
  let cluster: Cluster;
  let kafka: Kafka;
  let admin: Admin;
  let live: Consumer;
  let b: string[];

  const committed = async (groupId: string) =>
    (await admin.fetchOffsets({ groupId, topics: ['lagging'] }))[0]!.partitions
      .map((p) => [p.partition, Number(p.offset)])
      .sort((x, y) => x[0]! - y[0]!);

  before(async () => {
    cluster = await startCluster({ brokers: 1, props: { 'offsets.topic.num.partitions': '5' } });
    b = ['--bootstrap-server', cluster.bootstrap];
    kafka = kafkajs(cluster.bootstrap, 'tool-test');
    admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'lagging', numPartitions: 2 }], waitForLeaders: true });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: 'lagging', acks: -1, messages: Array.from({ length: 20 }, (_, i) => ({ partition: i % 2, value: `m${i}` })) });
    await producer.disconnect();
    // An inactive group with committed offsets 4 and 6 (as an admin client commits them).
    await admin.setOffsets({ groupId: 'idle-group', topic: 'lagging', partitions: [{ partition: 0, offset: '4' }, { partition: 1, offset: '6' }] });
    // An active group.
    live = kafka.consumer({ groupId: 'live-group', sessionTimeout: 10_000, heartbeatInterval: 500 });
    await live.connect();
    await live.subscribe({ topic: 'lagging', fromBeginning: true });
    let consumed = 0;
    await live.run({ eachMessage: async () => void consumed++ });
    const deadline = Date.now() + 30_000;
    while (consumed < 20 || (await admin.describeGroups(['live-group'])).groups[0]!.state !== 'Stable') {
      if (Date.now() > deadline) throw new Error('live-group did not stabilize');
      await new Promise((r) => setTimeout(r, 100));
    }
  });

  after(async () => {
    await live?.disconnect();
    await admin?.disconnect();
    await cluster?.stop();
  });

  test('usage errors print the message and the options, exit 1', async () => {
    const none = await tool(b);
    assert.equal(none.code, 1);
    assert.match(none.err, /^Command must include exactly one action: --list, --describe, --delete, --reset-offsets, --delete-offsets\n/);
    assert.match(none.err, /--bootstrap-server <String: server to\s+REQUIRED: The server\(s\) to connect to\./);
    assert.match((await tool([...b, '--describe'])).err, /^Option \[describe\] takes one of these options: \[group\], \[all-groups\]/);
    assert.match((await tool([...b, '--list', '--members'])).err, /^Option\(s\) \[members\] are unavailable given other options on the command line/);
    assert.match((await tool(['--list'])).err, /^Missing required argument "\[bootstrap-server\]"/);
    assert.match((await tool([...b, '--reset-offsets', '--group', 'g', '--to-earliest', '--dry-run', '--execute'])).err, /only accepts one of \[execute\] and \[dry-run\]/);
    assert.match((await tool([...b, '--reset-offsets', '--group', 'g', '--to-earliest', '--to-latest', '--dry-run'])).err, /Option "\[to-earliest\]" can't be used with option "\[to-latest\]"/);
    assert.match((await tool([...b, '--describe', '--group', 'g', '--members', '--state'])).err, /takes at most one of these options/);
  });

  test('--list, and --list --state with a state table', async () => {
    const listed = await tool([...b, '--list']);
    assert.equal(listed.code, 0);
    assert.deepEqual(listed.out.trim().split('\n').sort(), ['idle-group', 'live-group']);
    const withState = await tool([...b, '--list', '--state']);
    assert.deepEqual(rows(withState.out), [['GROUP', 'STATE'], ['idle-group', 'Empty'], ['live-group', 'Stable']].sort((x, y) => (x[0] === 'GROUP' ? -1 : y[0] === 'GROUP' ? 1 : x[0]!.localeCompare(y[0]!))));
    assert.match(withState.out, /^GROUP {21}STATE {15}\n/, 'GROUP padded to 25 columns and a space, STATE to 20');
    const stable = await tool([...b, '--list', '--state', 'stable']);
    assert.deepEqual(rows(stable.out), [['GROUP', 'STATE'], ['live-group', 'Stable']]);
    assert.match((await tool([...b, '--list', '--state', 'sleeping'])).err, /Invalid state list 'sleeping'. Valid states are: PreparingRebalance, CompletingRebalance, Stable, Dead, Empty, Assigning, Reconciling/);
  });

  test('--describe: offsets, log end offsets and lag; members; state', async () => {
    const idle = await tool([...b, '--describe', '--group', 'idle-group']);
    assert.equal(idle.code, 0);
    assert.equal(idle.err, "\nConsumer group 'idle-group' has no active members.\n");
    assert.deepEqual(rows(idle.out), [
      ['GROUP', 'TOPIC', 'PARTITION', 'CURRENT-OFFSET', 'LOG-END-OFFSET', 'LAG', 'CONSUMER-ID', 'HOST', 'CLIENT-ID'],
      ['idle-group', 'lagging', '0', '4', '10', '6', '-', '-', '-'],
      ['idle-group', 'lagging', '1', '6', '10', '4', '-', '-', '-'],
    ]);
    assert.match(idle.out, /^\nGROUP {11}TOPIC {11}PARTITION  CURRENT-OFFSET  LOG-END-OFFSET  LAG {13}CONSUMER-ID {5}HOST {12}CLIENT-ID\n/);

    await live.commitOffsets([{ topic: 'lagging', partition: 0, offset: '10' }, { topic: 'lagging', partition: 1, offset: '10' }]);
    const active = await tool([...b, '--describe', '--group', 'live-group', '--offsets']);
    const activeRows = rows(active.out).slice(1);
    assert.equal(activeRows.length, 2);
    for (const r of activeRows) {
      assert.deepEqual(r.slice(3, 6), ['10', '10', '0']);
      assert.match(r[6]!, /^tool-test-/);
      assert.equal(r[7], '/127.0.0.1');
      assert.equal(r[8], 'tool-test');
    }

    const members = await tool([...b, '--describe', '--group', 'live-group', '--members', '--verbose']);
    const [header, member] = rows(members.out);
    assert.deepEqual(header, ['GROUP', 'CONSUMER-ID', 'HOST', 'CLIENT-ID', '#PARTITIONS', 'ASSIGNMENT']);
    assert.deepEqual([member![0], member![2], member![3], member![4], member!.slice(5).join(' ')], ['live-group', '/127.0.0.1', 'tool-test', '2', 'lagging(0,1)']);

    const state = await tool([...b, '--describe', '--group', 'live-group', '--state']);
    const [stateHeader, stateRow] = rows(state.out);
    assert.deepEqual(stateHeader, ['GROUP', 'COORDINATOR', '(ID)', 'ASSIGNMENT-STRATEGY', 'STATE', '#MEMBERS']);
    assert.deepEqual(stateRow, ['live-group', cluster.bootstrap, '(0)', 'RoundRobinAssigner', 'Stable', '1']);

    const missing = await tool([...b, '--describe', '--group', 'no-such-group']);
    assert.equal(missing.out, "\nError: Consumer group 'no-such-group' does not exist.\n");
    const all = await tool([...b, '--describe', '--all-groups', '--state']);
    assert.deepEqual(rows(all.out).filter((r) => r[0] !== 'GROUP').map((r) => r[0]), ['idle-group', 'live-group']);
  });

  test('--reset-offsets: dry run by default, every scenario, clamped to the log, refused for an active group', async () => {
    const reset = (...args: string[]) => tool([...b, '--reset-offsets', '--group', 'idle-group', '--topic', 'lagging', ...args]);
    const dry = await reset('--to-earliest');
    assert.match(dry.err, /^WARN: No action will be performed as the --execute option is missing/);
    assert.deepEqual(rows(dry.out), [['GROUP', 'TOPIC', 'PARTITION', 'NEW-OFFSET'], ['idle-group', 'lagging', '0', '0'], ['idle-group', 'lagging', '1', '0']]);
    assert.deepEqual(await committed('idle-group'), [[0, 4], [1, 6]], 'a dry run changes nothing');

    assert.equal((await reset('--to-earliest', '--execute')).code, 0);
    assert.deepEqual(await committed('idle-group'), [[0, 0], [1, 0]]);
    await reset('--shift-by', '3', '--execute');
    assert.deepEqual(await committed('idle-group'), [[0, 3], [1, 3]]);
    const clamped = await reset('--to-offset', '100', '--execute');
    assert.match(clamped.err, /WARN New offset \(100\) is higher than latest offset for topic partition lagging-0\. Value will be set to 10/);
    assert.deepEqual(await committed('idle-group'), [[0, 10], [1, 10]]);
    await reset('--shift-by', '-25', '--execute');
    assert.deepEqual(await committed('idle-group'), [[0, 0], [1, 0]], 'never below the log start');
    await reset('--to-latest', '--execute');
    assert.deepEqual(await committed('idle-group'), [[0, 10], [1, 10]]);
    await tool([...b, '--reset-offsets', '--group', 'idle-group', '--topic', 'lagging:1', '--to-offset', '5', '--execute']);
    assert.deepEqual(await committed('idle-group'), [[0, 10], [1, 5]]);
    await reset('--to-datetime', '2000-01-01T00:00:00.000', '--execute');
    assert.deepEqual(await committed('idle-group'), [[0, 0], [1, 0]]);
    const future = await reset('--to-datetime', '2999-01-01T00:00:00.000Z', '--dry-run');
    assert.match(future.out, /Warn: Partition 0 from topic lagging is empty\. Falling back to latest known offset\./);
    assert.deepEqual(rows(future.out).filter((r) => r[0] === 'idle-group').map((r) => r[3]), ['10', '10']);
    await reset('--by-duration', 'PT1H', '--execute');
    assert.deepEqual(await committed('idle-group'), [[0, 0], [1, 0]], 'every record is younger than an hour');
    await tool([...b, '--reset-offsets', '--group', 'idle-group', '--all-topics', '--to-current', '--execute']);
    assert.deepEqual(await committed('idle-group'), [[0, 0], [1, 0]]);
    const exported = await reset('--shift-by', '2', '--dry-run', '--export');
    assert.equal(exported.out, 'lagging,0,2\nlagging,1,2\n\n');

    const refused = await tool([...b, '--reset-offsets', '--group', 'live-group', '--topic', 'lagging', '--to-earliest', '--execute']);
    assert.match(refused.out, /Error: Assignments can only be reset if the group 'live-group' is inactive, but the current state is Stable\./);
    assert.deepEqual(await committed('live-group'), [[0, 10], [1, 10]]);
  });

  test('--delete-offsets and --delete', async () => {
    const subscribed = await tool([...b, '--delete-offsets', '--group', 'live-group', '--topic', 'lagging']);
    assert.match(subscribed.out, /Error: Encounter some partition level error, see the follow-up details:/);
    assert.match(subscribed.out, /lagging\s+0\s+Error: :org\.apache\.kafka\.common\.errors\.GroupSubscribedToTopicException: Deleting offsets of a topic is forbidden while the consumer group is actively subscribed to it\./);

    const deleted = await tool([...b, '--delete-offsets', '--group', 'idle-group', '--topic', 'lagging:0']);
    assert.match(deleted.out, /^Request succeed for deleting offsets with topic lagging:0 group idle-group\n/);
    assert.deepEqual(rows(deleted.out).slice(-1), [['lagging', '0', 'Successful']]);
    assert.deepEqual(await committed('idle-group'), [[0, -1], [1, 0]]);

    const nonEmpty = await tool([...b, '--delete', '--group', 'live-group']);
    assert.match(nonEmpty.out, /Error: Deletion of some consumer groups failed:\n\* Group 'live-group' could not be deleted due to: org\.apache\.kafka\.common\.errors\.GroupNotEmptyException: The group is not empty\./);
    const ok = await tool([...b, '--delete', '--group', 'idle-group']);
    assert.equal(ok.out, "Deletion of requested consumer groups ('idle-group') was successful.\n");
    assert.deepEqual((await tool([...b, '--list'])).out, 'live-group\n');
  });

  test('date-time and duration arguments', () => {
    assert.equal(parseDateTime('2024-03-01T12:00:00.000Z'), Date.UTC(2024, 2, 1, 12));
    assert.equal(parseDateTime('2024-03-01T12:00:00.000+02:00'), Date.UTC(2024, 2, 1, 10));
    assert.equal(parseDateTime('2024-03-01T12:00:00.000-0130'), Date.UTC(2024, 2, 1, 13, 30));
    assert.equal(parseDateTime('2024-03-01T12:00:00.000'), new Date(2024, 2, 1, 12).getTime());
    assert.throws(() => parseDateTime('2024-03-01 12:00'), /Unparseable date: "2024-03-01 12:00"/);
    assert.equal(parseDuration('PT1H'), 3_600_000);
    assert.equal(parseDuration('P1DT2H3M4.5S'), ((24 + 2) * 60 + 3) * 60_000 + 4500);
    assert.equal(parseDuration('-PT30S'), -30_000);
    assert.throws(() => parseDuration('1H'), /cannot be parsed to a Duration/);
    assert.throws(() => parseDuration('PT'), /cannot be parsed to a Duration/);
  });
});
