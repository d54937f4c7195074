/**
 * The topic-level config table (Kafka 3.9 LogConfig / TopicConfig): name, type, default, validator,
 * and the broker property that supplies the default when a topic has no override (Kafka's
 * ServerTopicConfigSynonyms). Topic overrides live in `/config/topics/<topic>`; every topic config can
 * change at runtime.
 */
import { gzipLevelValidator, lz4LevelValidator, zstdLevelValidator, BROKER_COMPRESSION_TYPES } from './broker-config-defs';
import {
  atLeast, customValidator, Importance, metadataVersionValidator, range, validList, validString,
  type ConfigDefinition, type Validator,
} from './config-def';
import { ConfigType } from './config-types';

/** A topic config definition: a ConfigDefinition plus its broker-level default property. */
export interface TopicConfigDefinition extends ConfigDefinition {
  /** The broker property whose value is the topic default (Kafka's TOPIC_CONFIG_SYNONYMS), if any. */
  brokerSynonym: string | null;
}

const { BOOLEAN, STRING, INT, LONG, DOUBLE, LIST } = ConfigType;
const { MEDIUM, LOW } = Importance;
const LONG_MAX = '9223372036854775807';

/** Kafka's ThrottledReplicaListValidator: `*` or `partitionId:brokerId,...`. */
function throttledReplicasValidator(name: string): Validator {
  return customValidator('[partitionId]:[brokerId],[partitionId]:[brokerId],...', (value) => {
    if (!Array.isArray(value)) return null;
    const entries = value.map((v) => v.trim());
    if (entries.every((e) => /^(\d+:\d+)?$/.test(e)) || entries.join('') === '*') return null;
    return `${name} must be the literal '*' or a list of replicas in the following format: [partitionId]:[brokerId],[partitionId]:[brokerId],...`;
  });
}

function row(
  name: string, type: ConfigType, dflt: string, brokerSynonym: string | null, importance: Importance, doc: string, validator?: Validator,
): TopicConfigDefinition {
  return { name, type, default: dflt, brokerSynonym, importance, doc, validator };
}

/** Every topic config, alphabetically as Kafka documents them. */
export const TOPIC_CONFIG_DEFS: readonly TopicConfigDefinition[] = [
  row('cleanup.policy', LIST, 'delete', 'log.cleanup.policy', MEDIUM, 'delete (discard old segments), compact (keep the latest value per key), or both.', validList('compact', 'delete')),
  row('compression.gzip.level', INT, '-1', 'compression.gzip.level', MEDIUM, 'Gzip level when compression.type is gzip.', gzipLevelValidator),
  row('compression.lz4.level', INT, '9', 'compression.lz4.level', MEDIUM, 'LZ4 level when compression.type is lz4.', lz4LevelValidator),
  row('compression.type', STRING, 'producer', 'compression.type', MEDIUM, 'Final compression of the topic data; producer keeps the producer codec.', validString(...BROKER_COMPRESSION_TYPES)),
  row('compression.zstd.level', INT, '3', 'compression.zstd.level', MEDIUM, 'Zstd level when compression.type is zstd.', zstdLevelValidator),
  row('delete.retention.ms', LONG, '86400000', 'log.cleaner.delete.retention.ms', MEDIUM, 'How long tombstones and transaction markers are kept after compaction.', atLeast(0)),
  row('file.delete.delay.ms', LONG, '60000', 'log.segment.delete.delay.ms', MEDIUM, 'Delay before a deleted segment file is removed.', atLeast(0)),
  row('flush.messages', LONG, LONG_MAX, 'log.flush.interval.messages', MEDIUM, 'Force an fsync after this many messages.', atLeast(1)),
  row('flush.ms', LONG, LONG_MAX, 'log.flush.interval.ms', MEDIUM, 'Force an fsync after this much time.', atLeast(0)),
  row('follower.replication.throttled.replicas', LIST, '', null, MEDIUM, 'Replicas throttled on the follower side: partitionId:brokerId,... or *.', throttledReplicasValidator('follower.replication.throttled.replicas')),
  row('index.interval.bytes', INT, '4096', 'log.index.interval.bytes', MEDIUM, 'Bytes between offset index entries.', atLeast(0)),
  row('leader.replication.throttled.replicas', LIST, '', null, MEDIUM, 'Replicas throttled on the leader side: partitionId:brokerId,... or *.', throttledReplicasValidator('leader.replication.throttled.replicas')),
  row('local.retention.bytes', LONG, '-2', 'log.local.retention.bytes', MEDIUM, 'Local size retention with tiered storage; -2 follows retention.bytes.', atLeast(-2)),
  row('local.retention.ms', LONG, '-2', 'log.local.retention.ms', MEDIUM, 'Local time retention with tiered storage; -2 follows retention.ms.', atLeast(-2)),
  row('max.compaction.lag.ms', LONG, LONG_MAX, 'log.cleaner.max.compaction.lag.ms', MEDIUM, 'Maximum time a message stays ineligible for compaction.', atLeast(1)),
  row('max.message.bytes', INT, '1048588', 'message.max.bytes', MEDIUM, 'Largest record batch size accepted.', atLeast(0)),
  row('message.downconversion.enable', BOOLEAN, 'true', 'log.message.downconversion.enable', LOW, 'Allow down-converting batches for old fetchers.'),
  row('message.format.version', STRING, '3.0-IV1', 'log.message.format.version', MEDIUM, 'Deprecated; ignored when inter.broker.protocol.version is 3.0 or higher.', metadataVersionValidator),
  row('message.timestamp.after.max.ms', LONG, LONG_MAX, 'log.message.timestamp.after.max.ms', MEDIUM, 'Reject CreateTime timestamps newer than the broker time plus this.', atLeast(0)),
  row('message.timestamp.before.max.ms', LONG, LONG_MAX, 'log.message.timestamp.before.max.ms', MEDIUM, 'Reject CreateTime timestamps older than the broker time minus this.', atLeast(0)),
  row('message.timestamp.difference.max.ms', LONG, LONG_MAX, 'log.message.timestamp.difference.max.ms', MEDIUM, 'Deprecated: maximum difference between a CreateTime timestamp and the broker time.', atLeast(0)),
  row('message.timestamp.type', STRING, 'CreateTime', 'log.message.timestamp.type', MEDIUM, 'CreateTime or LogAppendTime.', validString('CreateTime', 'LogAppendTime')),
  row('min.cleanable.dirty.ratio', DOUBLE, '0.5', 'log.cleaner.min.cleanable.ratio', MEDIUM, 'Minimum dirty ratio before the log is compacted.', range(0, 1)),
  row('min.compaction.lag.ms', LONG, '0', 'log.cleaner.min.compaction.lag.ms', MEDIUM, 'Minimum time a message stays uncompacted.', atLeast(0)),
  row('min.insync.replicas', INT, '1', 'min.insync.replicas', MEDIUM, 'Minimum in-sync replicas for acks=all produce requests to succeed.', atLeast(1)),
  row('preallocate', BOOLEAN, 'false', 'log.preallocate', MEDIUM, 'Preallocate segment files.'),
  row('remote.log.copy.disable', BOOLEAN, 'false', null, MEDIUM, 'Stop copying segments to remote storage (tiered storage).'),
  row('remote.log.delete.on.disable', BOOLEAN, 'false', null, MEDIUM, 'Delete remote data when tiered storage is turned off for the topic.'),
  row('remote.storage.enable', BOOLEAN, 'false', null, MEDIUM, 'Enable tiered storage for the topic.'),
  row('retention.bytes', LONG, '-1', 'log.retention.bytes', MEDIUM, 'Maximum partition size before old segments are deleted; -1 is unlimited.'),
  row('retention.ms', LONG, '604800000', 'log.retention.ms', MEDIUM, 'Maximum age of a segment before deletion; -1 is unlimited.', atLeast(-1)),
  row('segment.bytes', INT, '1073741824', 'log.segment.bytes', MEDIUM, 'Segment file size.', atLeast(14)),
  row('segment.index.bytes', INT, '10485760', 'log.index.size.max.bytes', MEDIUM, 'Maximum size of the offset and time indexes of a segment.', atLeast(4)),
  row('segment.jitter.ms', LONG, '0', 'log.roll.jitter.ms', MEDIUM, 'Maximum random jitter subtracted from segment.ms.', atLeast(0)),
  row('segment.ms', LONG, '604800000', 'log.roll.ms', MEDIUM, 'Roll a segment after this time even if it is not full.', atLeast(1)),
  row('unclean.leader.election.enable', BOOLEAN, 'false', 'unclean.leader.election.enable', MEDIUM, 'Allow electing an out-of-sync replica as leader as a last resort.'),
];

/** Topic definitions by name. */
export const TOPIC_CONFIGS: ReadonlyMap<string, TopicConfigDefinition> = new Map(TOPIC_CONFIG_DEFS.map((d) => [d.name, d]));
