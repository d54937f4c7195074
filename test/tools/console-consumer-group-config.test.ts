// The group settings the console consumer and the consumer perf tool read from consumer properties:
// Kafka's names and checks, partition.assignment.strategy by class or protocol name (Kafka's default
// list, range + cooperative-sticky, keeps range), and ConfigException wording for bad values.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ClientConfigError } from '../../src/tools/client-config';
import { groupOptionsFromProps } from '../../src/tools/consumer-group-config';

test('group settings from properties, unset ones left to the consumer defaults', () => {
  const o = groupOptionsFromProps({
    'group.id': 'g',
    'group.instance.id': 'i-1',
    'session.timeout.ms': '10000',
    'heartbeat.interval.ms': '1000',
    'max.poll.interval.ms': '60000',
    'enable.auto.commit': 'FALSE',
    'auto.commit.interval.ms': '250',
    'max.poll.records': '10',
    'metadata.max.age.ms': '5000',
  });
  assert.equal(o.groupId, 'g');
  assert.equal(o.groupInstanceId, 'i-1');
  assert.equal(o.sessionTimeoutMs, 10000);
  assert.equal(o.heartbeatIntervalMs, 1000);
  assert.equal(o.maxPollIntervalMs, 60000);
  assert.equal(o.enableAutoCommit, false);
  assert.equal(o.autoCommitIntervalMs, 250);
  assert.equal(o.maxPollRecords, 10);
  assert.equal(o.metadataMaxAgeMs, 5000);
  const defaults = groupOptionsFromProps({ 'group.id': 'g' });
  assert.equal(defaults.groupInstanceId, null);
  assert.equal(defaults.enableAutoCommit, undefined);
  assert.equal(defaults.assignors, undefined);
});

test('partition.assignment.strategy: class names or protocol names; the sticky ones are skipped when another is listed', () => {
  const names = (v: string) => groupOptionsFromProps({ 'group.id': 'g', 'partition.assignment.strategy': v }).assignors!.map((a) => a.name);
  assert.deepEqual(names('org.apache.kafka.clients.consumer.RangeAssignor,org.apache.kafka.clients.consumer.CooperativeStickyAssignor'), ['range']);
  assert.deepEqual(names('roundrobin, range'), ['roundrobin', 'range']);
  assert.throws(() => names('org.apache.kafka.clients.consumer.CooperativeStickyAssignor'), ClientConfigError);
  assert.throws(() => names('com.example.Mine'), /Class com\.example\.Mine could not be found/);
});

test('bad values are refused with Kafka wording', () => {
  assert.throws(() => groupOptionsFromProps({}), /you must provide a valid group\.id/);
  assert.throws(() => groupOptionsFromProps({ 'group.id': 'g', 'enable.auto.commit': 'yes' }), /^ClientConfigError: Invalid value yes for configuration enable\.auto\.commit: Expected value to be either true or false$/);
  assert.throws(() => groupOptionsFromProps({ 'group.id': 'g', 'session.timeout.ms': 'ten' }), /Invalid value ten for configuration session\.timeout\.ms: Not a number of type INT/);
  assert.throws(() => groupOptionsFromProps({ 'group.id': 'g', 'max.poll.records': '0' }), /Value must be at least 1/);
  assert.throws(() => groupOptionsFromProps({ 'group.id': 'g', 'heartbeat.interval.ms': '50000' }), /Heartbeat must be set lower than the session timeout/);
});
