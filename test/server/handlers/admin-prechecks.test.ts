// Regression tests for what the protocol fuzz test found in the admin handlers: a partition count near
// Integer.MAX_VALUE blocked the broker computing its assignment, and topic names no topic can have ("",
// ".", "..") reached ZooKeeper paths and came back as UNKNOWN_SERVER_ERROR with an ERROR log.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiKeys, ErrorCode } from '../../../src/protocol';
import { createPartitionsHandler } from '../../../src/server/handlers/create-partitions';
import { createTopicsHandler } from '../../../src/server/handlers/create-topics';
import { alterConfigsHandler } from '../../../src/server/handlers/alter-configs';
import { incrementalAlterConfigsHandler } from '../../../src/server/handlers/incremental-alter-configs';
import { MAX_PARTITIONS_PER_TOPIC, partitionCountOverLimit } from '../../../src/server/handlers/partition-count-limit';
import { invalidTopicResource, unknownInvalidTopic, withPrechecked } from '../../../src/server/handlers/topic-name-checks';
import { brokerWith, contextFor } from './handler-support';

test('partition counts over the limit are INVALID_PARTITIONS, counts up to it pass', () => {
  assert.equal(partitionCountOverLimit(MAX_PARTITIONS_PER_TOPIC), null);
  assert.equal(partitionCountOverLimit(-1), null); // left to the admin manager's own message
  assert.equal(partitionCountOverLimit(0x7fffffff)?.errorCode, ErrorCode.INVALID_PARTITIONS);
});

test('topic-name prechecks: config resources and topics that must exist', () => {
  for (const name of ['.', '..', 'a/b', 'x'.repeat(250), 'é']) {
    assert.equal(invalidTopicResource({ resourceType: 2, resourceName: name })?.errorCode, ErrorCode.INVALID_TOPIC_EXCEPTION, name);
    assert.equal(unknownInvalidTopic(name)?.errorCode, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, name);
  }
  assert.equal(unknownInvalidTopic('')?.errorCode, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  assert.equal(invalidTopicResource({ resourceType: 2, resourceName: '' }), null, 'the default topic resource keeps its own error');
  assert.equal(invalidTopicResource({ resourceType: 4, resourceName: '..' }), null, 'only TOPIC resources are topic names');
  assert.equal(invalidTopicResource({ resourceType: 2, resourceName: 'ok.topic_1' }), null);
  assert.equal(unknownInvalidTopic('ok.topic_1'), null);
});

test('withPrechecked keeps request order and runs only the items that pass', async () => {
  const ran: number[][] = [];
  const out = await withPrechecked([1, -2, 3, -4, 5], {
    precheck: (n) => (n < 0 ? `refused ${n}` : null),
    run: async (items) => {
      ran.push(items);
      return items.map((n) => `ran ${n}`);
    },
  });
  assert.deepEqual(out, ['ran 1', 'refused -2', 'ran 3', 'refused -4', 'ran 5']);
  assert.deepEqual(ran, [[1, 3, 5]]);
  const none = await withPrechecked([-1], { precheck: () => 'x', run: async () => assert.fail('nothing to run') });
  assert.deepEqual(none, ['x']);
});

test('CreatePartitions: invalid names and huge counts never reach the admin manager', async () => {
  const seen: { name: string; count: number }[][] = [];
  const handler = createPartitionsHandler(
    brokerWith({
      isActiveController: () => true,
      adminManager: {
        createPartitions: async (specs: { name: string; count: number }[]) => {
          seen.push(specs.map((s) => ({ name: s.name, count: s.count })));
          return new Map(specs.map((s) => [s.name, { errorCode: ErrorCode.NONE, errorMessage: null }]));
        },
      },
    }),
  );
  const res = await handler.handle(
    {
      topics: [
        { name: '', count: 3, assignments: null },
        { name: '..', count: 3, assignments: null },
        { name: 'huge', count: 0x7fffffff, assignments: null },
        { name: 'fine', count: 3, assignments: null },
      ],
      timeoutMs: 1000,
      validateOnly: false,
    } as never,
    contextFor(ApiKeys.CreatePartitions, 3),
  );
  assert.deepEqual(seen, [[{ name: 'fine', count: 3 }]]);
  assert.deepEqual(
    res!.results!.map((r) => [r.name, r.errorCode]),
    [
      ['', ErrorCode.UNKNOWN_TOPIC_OR_PARTITION],
      ['..', ErrorCode.UNKNOWN_TOPIC_OR_PARTITION],
      ['huge', ErrorCode.INVALID_PARTITIONS],
      ['fine', ErrorCode.NONE],
    ],
  );
});

test('CreateTopics: a partition count over the limit is refused before any assignment', async () => {
  const seen: string[] = [];
  const handler = createTopicsHandler(
    brokerWith({
      isActiveController: () => true,
      adminManager: {
        createTopics: async (specs: { name: string; numPartitions: number }[]) => {
          seen.push(...specs.map((s) => s.name));
          return specs.map((s) => ({ name: s.name, topicId: 'AAAAAAAAAAAAAAAAAAAAAA', errorCode: 0, errorMessage: null, numPartitions: s.numPartitions, replicationFactor: 1, configs: [] }));
        },
      },
    }),
  );
  const res = await handler.handle(
    {
      topics: [
        { name: 'huge', numPartitions: 0x7fffffff, replicationFactor: 1, assignments: [], configs: [] },
        { name: 'fine', numPartitions: 2, replicationFactor: 1, assignments: [], configs: [] },
      ],
      timeoutMs: 1000,
      validateOnly: true,
    } as never,
    contextFor(ApiKeys.CreateTopics, 5),
  );
  assert.deepEqual(seen, ['fine']);
  assert.deepEqual(res!.topics!.map((t) => [t.name, t.errorCode]), [['huge', ErrorCode.INVALID_PARTITIONS], ['fine', ErrorCode.NONE]]);
});

for (const [name, make, method, version] of [
  ['AlterConfigs', alterConfigsHandler, 'alterConfigs', 2],
  ['IncrementalAlterConfigs', incrementalAlterConfigsHandler, 'incrementalAlterConfigs', 1],
] as const) {
  test(`${name}: a TOPIC resource named "." or ".." is INVALID_TOPIC_EXCEPTION without reaching ZooKeeper`, async () => {
    const seen: string[] = [];
    const handler = make(
      brokerWith({
        adminManager: {
          [method]: async (resources: { resourceType: number; resourceName: string }[]) => {
            seen.push(...resources.map((r) => r.resourceName));
            return resources.map((r) => ({ ...r, errorCode: 0, errorMessage: null }));
          },
        },
      }),
    );
    const configs = [{ name: 'retention.ms', value: '1', configOperation: 0 }];
    const res = await handler.handle(
      {
        resources: [
          { resourceType: 2, resourceName: '.', configs },
          { resourceType: 2, resourceName: 'ok', configs },
          { resourceType: 2, resourceName: '..', configs },
        ],
        validateOnly: false,
      } as never,
      contextFor(name === 'AlterConfigs' ? ApiKeys.AlterConfigs : ApiKeys.IncrementalAlterConfigs, version),
    );
    assert.deepEqual(seen, ['ok']);
    assert.deepEqual(
      res!.responses!.map((r) => [r.resourceName, r.errorCode]),
      [['.', ErrorCode.INVALID_TOPIC_EXCEPTION], ['ok', ErrorCode.NONE], ['..', ErrorCode.INVALID_TOPIC_EXCEPTION]],
    );
  });
}
