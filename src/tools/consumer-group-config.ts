/**
 * The group settings of Kafka's consumer properties (group.id, group.instance.id, session.timeout.ms,
 * heartbeat.interval.ms, max.poll.interval.ms, enable.auto.commit, auto.commit.interval.ms,
 * max.poll.records, partition.assignment.strategy, allow.auto.create.topics, exclude.internal.topics,
 * metadata.max.age.ms) turned into GroupConsumer options, checked as Kafka's ConsumerConfig does and
 * with its ConfigException wording. The fetch settings come from client-config.ts.
 */

import type { GroupConsumerOptions } from '../client/group-consumer';
import { PARTITION_ASSIGNORS, type PartitionAssignor } from '../client/partition-assignors';
import type { SimpleConsumerOptions } from '../client/simple-consumer';
import { ClientConfigError } from './client-config';

type GroupSettings = Omit<GroupConsumerOptions, keyof SimpleConsumerOptions | 'rebalanceListener' | 'logger' | 'logContext'>;

function invalid(name: string, value: string, why: string): ClientConfigError {
  return new ClientConfigError(`Invalid value ${value} for configuration ${name}: ${why}`);
}

function intProp(props: Readonly<Record<string, string>>, name: string, min: number, type: 'INT' | 'LONG' = 'INT'): number | undefined {
  const raw = props[name];
  if (raw === undefined) return undefined;
  if (!/^[+-]?\d+$/.test(raw.trim())) throw invalid(name, raw, `Not a number of type ${type}`);
  const n = Number(raw.trim());
  if (n < min) throw invalid(name, raw, `Value must be at least ${min}`);
  return n;
}

function boolProp(props: Readonly<Record<string, string>>, name: string): boolean | undefined {
  const raw = props[name];
  if (raw === undefined) return undefined;
  const v = raw.trim().toLowerCase();
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw invalid(name, raw, 'Expected value to be either true or false');
}

/** Kafka's assignor class names and protocol names, mapped to the assignors this client implements. */
const ASSIGNOR_NAMES: Readonly<Record<string, string>> = {
  'org.apache.kafka.clients.consumer.RangeAssignor': 'range',
  'org.apache.kafka.clients.consumer.RoundRobinAssignor': 'roundrobin',
  range: 'range',
  roundrobin: 'roundrobin',
};

/** Strategies Kafka has that this client does not implement (skipped when another one is listed). */
const OTHER_ASSIGNORS: ReadonlySet<string> = new Set([
  'org.apache.kafka.clients.consumer.CooperativeStickyAssignor',
  'org.apache.kafka.clients.consumer.StickyAssignor',
  'cooperative-sticky',
  'sticky',
]);

function assignorsProp(props: Readonly<Record<string, string>>): PartitionAssignor[] | undefined {
  const raw = props['partition.assignment.strategy'];
  if (raw === undefined) return undefined;
  const names = raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const out: PartitionAssignor[] = [];
  for (const name of names) {
    const known = ASSIGNOR_NAMES[name];
    if (known) {
      if (!out.some((a) => a.name === known)) out.push(PARTITION_ASSIGNORS[known]!());
    } else if (!OTHER_ASSIGNORS.has(name)) {
      throw new ClientConfigError(`Invalid value ${raw} for configuration partition.assignment.strategy: Class ${name} could not be found.`);
    }
  }
  if (out.length === 0) {
    throw new ClientConfigError(`Invalid value ${raw} for configuration partition.assignment.strategy: this client implements only range and roundrobin`);
  }
  return out;
}

/** GroupConsumer settings from consumer properties; group.id must be set. */
export function groupOptionsFromProps(props: Readonly<Record<string, string>>): GroupSettings {
  const groupId = props['group.id'];
  if (groupId === undefined || groupId === '') {
    throw new ClientConfigError('To use the group management or offset commit APIs, you must provide a valid group.id in the consumer configuration.');
  }
  const instanceId = props['group.instance.id'];
  const sessionTimeoutMs = intProp(props, 'session.timeout.ms', -2147483648);
  const heartbeatIntervalMs = intProp(props, 'heartbeat.interval.ms', -2147483648);
  if (heartbeatIntervalMs !== undefined && heartbeatIntervalMs >= (sessionTimeoutMs ?? 45_000)) {
    // Kafka's Heartbeat refuses the same (IllegalArgumentException).
    throw new ClientConfigError('Heartbeat must be set lower than the session timeout');
  }
  return {
    groupId,
    groupInstanceId: instanceId === undefined || instanceId.trim() === '' ? null : instanceId,
    sessionTimeoutMs,
    heartbeatIntervalMs,
    maxPollIntervalMs: intProp(props, 'max.poll.interval.ms', 1),
    enableAutoCommit: boolProp(props, 'enable.auto.commit'),
    autoCommitIntervalMs: intProp(props, 'auto.commit.interval.ms', 0),
    maxPollRecords: intProp(props, 'max.poll.records', 1),
    assignors: assignorsProp(props),
    allowAutoCreateTopics: boolProp(props, 'allow.auto.create.topics'),
    excludeInternalTopics: boolProp(props, 'exclude.internal.topics'),
    metadataMaxAgeMs: intProp(props, 'metadata.max.age.ms', 0, 'LONG'),
  };
}
