// kafka-topics helpers: Kafka's include-list regex, --replica-assignment and --config parsing, and the
// exact describe lines of Kafka 3.9 with the report filters and the fields of a partition being reassigned.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AdminCommandError,
  DescribeOptions,
  IllegalArgumentError,
  IncludeList,
  ensureTopicExists,
  filterTopics,
  formatPartitionDescription,
  formatTopicDescription,
  parseReplicaAssignment,
  parseTopicConfigs,
  printTopicAndPartitions,
  replicationFactorOf,
  type DescribeFilters,
} from '../../src/tools/topic-command-support';

test('the include list is a whole-name regular expression; commas are alternatives', () => {
  const all = ['__consumer_offsets', 'orders', 'orders-eu', 'payments', 'test.topic', 'testXtopic'];
  assert.deepEqual(filterTopics(all, { include: 'orders', excludeInternal: false }), ['orders']);
  assert.deepEqual(filterTopics(all, { include: 'orders.*', excludeInternal: false }), ['orders', 'orders-eu']);
  assert.deepEqual(filterTopics(all, { include: 'orders, payments', excludeInternal: false }), ['orders', 'payments']);
  assert.deepEqual(filterTopics(all, { include: 'test\\.topic', excludeInternal: false }), ['test.topic']);
  assert.deepEqual(filterTopics(all, { include: '"test.topic"', excludeInternal: false }), ['test.topic', 'testXtopic']);
  assert.deepEqual(filterTopics(all, { include: undefined, excludeInternal: true }), ['orders', 'orders-eu', 'payments', 'test.topic', 'testXtopic']);
  assert.deepEqual(filterTopics(all, { include: '__.*', excludeInternal: true }), []);
  assert.ok(new IncludeList('.*').isTopicAllowed('__consumer_offsets', false));
});

test('ensureTopicExists reproduces Kafka 3.9 message', () => {
  assert.throws(() => ensureTopicExists([], { requested: 'missing', requireExists: true }), new IllegalArgumentError("Topic 'Optional[missing]' does not exist as expected"));
  ensureTopicExists([], { requested: 'missing', requireExists: false });
  ensureTopicExists([], { requested: undefined, requireExists: true });
});

test('--replica-assignment parsing and its errors', () => {
  assert.deepEqual(parseReplicaAssignment('0:1,1:2, 2 : 0'), [[0, 1], [1, 2], [2, 0]]);
  assert.throws(() => parseReplicaAssignment('0:0'), (err: unknown) => err instanceof AdminCommandError && err.message === 'Partition replica lists may not contain duplicate entries: 0');
  assert.throws(() => parseReplicaAssignment('0:1,2'), /Partition 1 has different replication factor: \[2\]/);
  assert.throws(() => parseReplicaAssignment('0:x'), /For input string: "x"/);
});

test('--config parsing: key=val pairs, whitespace, Kafka validation', () => {
  assert.deepEqual(parseTopicConfigs(['retention.ms = 1000', 'cleanup.policy=compact']), {
    'retention.ms': '1000',
    'cleanup.policy': 'compact',
  });
  assert.throws(() => parseTopicConfigs(['retention.ms']), /all configs to be added must be in the format "key=val"/);
  assert.throws(() => parseTopicConfigs(['a=b=c']), /all configs to be added must be in the format "key=val"/);
  assert.throws(() => parseTopicConfigs(['no.such.config=1']), /no.such.config/);
});

test('describe lines are Kafka 3.9 lines, tab separated', () => {
  assert.equal(
    formatTopicDescription({
      topic: 'first',
      topicId: 'RhyHqkK4THSDUQ5hJN4OrA',
      numPartitions: 3,
      replicationFactor: 1,
      configs: [],
      markedForDeletion: false,
    }),
    'Topic: first\tTopicId: RhyHqkK4THSDUQ5hJN4OrA\tPartitionCount: 3\tReplicationFactor: 1\tConfigs: \n',
  );
  assert.equal(
    formatTopicDescription({
      topic: 't',
      topicId: 'AAAAAAAAAAAAAAAAAAAAAA',
      numPartitions: 1,
      replicationFactor: 2,
      configs: [{ name: 'retention.ms', value: '1000' }, { name: 'segment.bytes', value: '1073741824' }],
      markedForDeletion: true,
    }),
    'Topic: t\tPartitionCount: 1\tReplicationFactor: 2\tConfigs: retention.ms=1000,segment.bytes=1073741824\tMarkedForDeletion: true\n',
  );
  assert.equal(
    formatPartitionDescription({ topic: 'first', partition: 0, leader: 1001, replicas: [1001, 2], isr: [2, 1001], markedForDeletion: false, minIsr: 1 }),
    '\tTopic: first\tPartition: 0\tLeader: 1001\tReplicas: 1001,2\tIsr: 2,1001\tElr: N/A\tLastKnownElr: N/A\n',
  );
  assert.equal(
    formatPartitionDescription({ topic: 'x', partition: 3, leader: null, replicas: [1], isr: [], markedForDeletion: false, minIsr: 1 }),
    '\tTopic: x\tPartition: 3\tLeader: none\tReplicas: 1\tIsr: \tElr: N/A\tLastKnownElr: N/A\n',
  );
});

test('report filters select partitions as Kafka does', () => {
  const none: DescribeFilters = { underReplicated: false, unavailable: false, underMinIsr: false, atMinIsr: false, topicsWithOverrides: false };
  const partitions = [
    { topic: 't', partition: 0, leader: 0, replicas: [0, 1], isr: [0, 1], markedForDeletion: false, minIsr: 2 },
    { topic: 't', partition: 1, leader: 1, replicas: [1, 0], isr: [1], markedForDeletion: false, minIsr: 2 },
    { topic: 't', partition: 2, leader: null, replicas: [2, 0], isr: [], markedForDeletion: false, minIsr: 2 },
    { topic: 't', partition: 3, leader: 2, replicas: [2, 1], isr: [2, 1], markedForDeletion: false, minIsr: 2 },
  ];
  const topic = { topic: 't', topicId: null, numPartitions: 4, replicationFactor: 2, configs: [], markedForDeletion: false };
  const run = (filters: Partial<DescribeFilters>) => {
    let out = '';
    printTopicAndPartitions(
      { out: (t) => (out += t), err: () => undefined },
      { options: new DescribeOptions({ ...none, ...filters }, new Set([0, 1])), topic, partitions },
    );
    if (out === '') return [];
    return out
      .trimEnd()
      .split('\n')
      .map((l) => (l.startsWith('Topic:') ? 'T' : l.split('\t')[2]));
  };
  assert.deepEqual(run({}), ['T', 'Partition: 0', 'Partition: 1', 'Partition: 2', 'Partition: 3']);
  assert.deepEqual(run({ underReplicated: true }), ['Partition: 1', 'Partition: 2']);
  assert.deepEqual(run({ unavailable: true }), ['Partition: 2', 'Partition: 3']);
  assert.deepEqual(run({ underMinIsr: true }), ['Partition: 1', 'Partition: 2']);
  assert.deepEqual(run({ atMinIsr: true }), ['Partition: 0', 'Partition: 3']);
  assert.deepEqual(run({ topicsWithOverrides: true }), []);
});

test('a partition being reassigned shows Adding/Removing Replicas before Elr, and the target replication factor', () => {
  const reassignment = { replicas: [1, 2, 0], addingReplicas: [2], removingReplicas: [0] };
  assert.equal(
    formatPartitionDescription({ topic: 't', partition: 0, leader: 0, replicas: [1, 2, 0], isr: [0, 1], markedForDeletion: false, minIsr: 1, reassignment }),
    '\tTopic: t\tPartition: 0\tLeader: 0\tReplicas: 1,2,0\tIsr: 0,1\tAdding Replicas: 2\tRemoving Replicas: 0\tElr: N/A\tLastKnownElr: N/A\n',
  );
  // Only removing (a shrink): the adding list prints empty, as Kafka's joining of an empty list.
  assert.equal(
    formatPartitionDescription({ topic: 't', partition: 1, leader: 1, replicas: [1, 2], isr: [1, 2], markedForDeletion: false, minIsr: 1,
      reassignment: { replicas: [1, 2], addingReplicas: [], removingReplicas: [2] } }),
    '\tTopic: t\tPartition: 1\tLeader: 1\tReplicas: 1,2\tIsr: 1,2\tAdding Replicas: \tRemoving Replicas: 2\tElr: N/A\tLastKnownElr: N/A\n',
  );
  assert.equal(replicationFactorOf([1, 2, 0], reassignment), 2);
  // Completed between ListPartitionReassignments and Metadata: none of its changing replicas is left.
  assert.equal(replicationFactorOf([3, 4], { replicas: [1, 2, 0], addingReplicas: [2], removingReplicas: [0] }), 2);
  assert.equal(replicationFactorOf([1, 2, 0], null), 3);

  // --under-replicated-partitions compares the ISR with the target's size.
  const filters: DescribeFilters = { underReplicated: true, unavailable: false, underMinIsr: false, atMinIsr: false, topicsWithOverrides: false };
  const options = new DescribeOptions(filters, new Set([0, 1]));
  const moving = { topic: 't', partition: 0, leader: 0, replicas: [1, 2, 0], isr: [0, 1], markedForDeletion: false, minIsr: 1 };
  assert.equal(options.shouldPrintPartition({ ...moving, reassignment }), false);
  assert.equal(options.shouldPrintPartition({ ...moving, reassignment: null }), true);
});
