/**
 * Topic configuration: validating topic overrides (CreateTopics, AlterConfigs, kafka-topics
 * --config), building the LogConfig a partition's log uses (broker defaults + `/config/topics/<t>`
 * overrides, Kafka's extractLogConfigMap + LogConfig.fromProps), DescribeConfigs for topic resources,
 * and the overrides Kafka applies when it creates its internal topics.
 */
import type { CleanupPolicy, LogConfig, TimestampType, TopicCompressionType } from '../log/log-config';
import type { KafkaConfig } from './broker-config';
import { ConfigException } from './config-exception';
import {
  configTypeId, formatConfigValue, parseConfigValue, type ConfigEntry, type ConfigSynonym, type ConfigValue,
} from './config-types';
import { validateLayers } from './convict-schema';
import { TOPIC_CONFIG_DEFS, TOPIC_CONFIGS, type TopicConfigDefinition } from './topic-config-defs';

type Props = Readonly<Record<string, string>>;

/**
 * The broker-supplied default of a topic config (Kafka's KafkaConfig.extractLogConfigMap): the
 * broker's effective value of the synonym property, with Kafka's fallbacks for roll, retention,
 * flush and timestamp bounds; the table default when the config has no broker synonym.
 */
function brokerDefault(broker: KafkaConfig, def: TopicConfigDefinition): ConfigValue {
  switch (def.name) {
    case 'segment.ms': return broker.logRollMs;
    case 'segment.jitter.ms': return broker.logRollJitterMs;
    case 'flush.ms': return broker.logFlushIntervalMs;
    case 'retention.ms': return broker.logRetentionMs;
    case 'message.timestamp.before.max.ms': return broker.logMessageTimestampBeforeMaxMs;
    case 'message.timestamp.after.max.ms': return broker.logMessageTimestampAfterMaxMs;
  }
  if (def.brokerSynonym !== null) return broker.get(def.brokerSynonym);
  return parseConfigValue(def, def.default).value;
}

/** The broker defaults of all topic configs, as property text. */
function brokerDefaultProps(broker: KafkaConfig): Record<string, string> {
  const props: Record<string, string> = {};
  for (const def of TOPIC_CONFIG_DEFS) {
    const text = formatConfigValue(def.type, brokerDefault(broker, def));
    if (text !== null) props[def.name] = text;
  }
  return props;
}

/**
 * Validates topic config overrides and returns every topic config's effective typed value. Unknown
 * names, unparsable or out-of-range values, and Kafka's cross-checks throw ConfigException (an
 * InvalidConfigurationError: INVALID_CONFIG) naming the property. Without a broker, defaults are the
 * table's; with one, the broker's (which is what Kafka validates CreateTopics against).
 */
export function parseTopicConfigs(overrides: Props, options: { broker?: KafkaConfig } = {}): Map<string, ConfigValue> {
  for (const name of Object.keys(overrides)) {
    if (!TOPIC_CONFIGS.has(name)) throw new ConfigException(`Unknown topic config name: ${name}`, { configName: name });
  }
  const layers = options.broker === undefined ? [overrides] : [brokerDefaultProps(options.broker), overrides];
  const values = validateLayers(TOPIC_CONFIG_DEFS, layers);
  const minLag = values.get('min.compaction.lag.ms') as number;
  const maxLag = values.get('max.compaction.lag.ms') as number;
  if (minLag > maxLag) {
    throw new ConfigException(`conflict topic config setting min.compaction.lag.ms (${minLag}) > max.compaction.lag.ms (${maxLag})`, {
      configName: 'min.compaction.lag.ms',
    });
  }
  if (values.get('remote.storage.enable') === true) {
    if (options.broker !== undefined && !options.broker.remoteLogStorageSystemEnable) {
      throw new ConfigException(
        'Tiered Storage functionality is disabled in the broker. Topic cannot be configured with remote log storage.',
        { configName: 'remote.storage.enable' },
      );
    }
    if ((values.get('cleanup.policy') as string[]).includes('compact')) {
      throw new ConfigException('Remote log storage only supports topics with cleanup.policy=delete', { configName: 'cleanup.policy' });
    }
  }
  return values;
}

/** Validates topic config overrides; see parseTopicConfigs. */
export function validateTopicConfigs(overrides: Props, options: { broker?: KafkaConfig } = {}): void {
  parseTopicConfigs(overrides, options);
}

/**
 * Builds the LogConfig of a topic from the broker's defaults and the topic's overrides
 * (`/config/topics/<topic>`). Throws ConfigException if an override is invalid.
 */
export function buildLogConfig(broker: KafkaConfig, overrides: Props): LogConfig {
  const v = parseTopicConfigs(overrides, { broker });
  const num = (name: string): number => v.get(name) as number;
  const difference = num('message.timestamp.difference.max.ms');
  // Kafka 3.9: a before/after bound left at its default falls back to the deprecated difference bound.
  const bound = (name: string): number => (num(name) !== Number.MAX_SAFE_INTEGER ? num(name) : difference);
  return {
    segmentBytes: num('segment.bytes'),
    segmentMs: num('segment.ms'),
    segmentJitterMs: num('segment.jitter.ms'),
    segmentIndexBytes: num('segment.index.bytes'),
    indexIntervalBytes: num('index.interval.bytes'),
    retentionMs: num('retention.ms'),
    retentionBytes: num('retention.bytes'),
    cleanupPolicy: [...new Set(v.get('cleanup.policy') as CleanupPolicy[])],
    maxMessageBytes: num('max.message.bytes'),
    messageTimestampType: v.get('message.timestamp.type') as TimestampType,
    messageTimestampBeforeMaxMs: bound('message.timestamp.before.max.ms'),
    messageTimestampAfterMaxMs: bound('message.timestamp.after.max.ms'),
    flushMessages: num('flush.messages'),
    flushMs: num('flush.ms'),
    fileDeleteDelayMs: num('file.delete.delay.ms'),
    minInSyncReplicas: num('min.insync.replicas'),
    uncleanLeaderElectionEnable: v.get('unclean.leader.election.enable') as boolean,
    compressionType: v.get('compression.type') as TopicCompressionType,
    deleteRetentionMs: num('delete.retention.ms'),
    minCleanableDirtyRatio: num('min.cleanable.dirty.ratio'),
    minCompactionLagMs: num('min.compaction.lag.ms'),
    maxCompactionLagMs: num('max.compaction.lag.ms'),
    preallocate: v.get('preallocate') as boolean,
  };
}

/**
 * DescribeConfigs for a topic resource, as Kafka's ConfigHelper.createTopicConfigEntry: every topic
 * config with its effective value; the source and synonyms are the topic override (TOPIC_CONFIG)
 * followed by the broker synonym's layers (dynamic per-broker, dynamic default, static, default).
 * `names` restricts the result; entries are sorted by name. `includeSynonyms: false` /
 * `includeDocumentation: false` leave synonyms empty / documentation null, as in the request.
 */
export function describeTopicConfigs(
  broker: KafkaConfig,
  overrides: Props,
  options: { names?: readonly string[]; includeSynonyms?: boolean; includeDocumentation?: boolean } = {},
): ConfigEntry[] {
  const wanted = options.names === undefined || options.names.length === 0 ? null : new Set(options.names);
  const entries: ConfigEntry[] = [];
  for (const def of [...TOPIC_CONFIG_DEFS].sort((a, b) => a.name.localeCompare(b.name))) {
    if (wanted !== null && !wanted.has(def.name)) continue;
    const overridden = Object.prototype.hasOwnProperty.call(overrides, def.name);
    const value = overridden
      ? parseConfigValue(def, overrides[def.name]).text
      : formatConfigValue(def.type, brokerDefault(broker, def));
    const synonyms: ConfigSynonym[] = def.brokerSynonym === null ? [] : broker.configSynonyms(def.brokerSynonym, { sensitive: false });
    if (overridden) synonyms.unshift({ name: def.name, value, source: 'TOPIC_CONFIG' });
    entries.push({
      name: def.name,
      value,
      source: synonyms[0]?.source ?? 'DEFAULT_CONFIG',
      readOnly: false,
      sensitive: false,
      type: configTypeId(def.type),
      synonyms: options.includeSynonyms === false ? [] : synonyms,
      documentation: options.includeDocumentation === false ? null : def.doc,
    });
  }
  return entries;
}

/**
 * The config overrides Kafka gives its internal topics at creation (`__consumer_offsets`,
 * `__transaction_state`); null for any other topic.
 */
export function internalTopicConfigs(broker: KafkaConfig, topic: string): Record<string, string> | null {
  if (topic === '__consumer_offsets') {
    return {
      'cleanup.policy': 'compact',
      'segment.bytes': String(broker.offsetsTopicSegmentBytes),
      'compression.type': 'producer',
    };
  }
  if (topic === '__transaction_state') {
    return {
      'cleanup.policy': 'compact',
      'segment.bytes': String(broker.transactionStateLogSegmentBytes),
      'min.insync.replicas': String(broker.transactionStateLogMinIsr),
      'unclean.leader.election.enable': 'false',
      'compression.type': 'uncompressed',
    };
  }
  return null;
}
