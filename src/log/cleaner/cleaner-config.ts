/**
 * The broker-level settings of the log cleaner (Kafka's CleanerConfig, built by LogCleaner.cleanerConfig
 * from the `log.cleaner.*` properties). The per-topic settings (min.cleanable.dirty.ratio,
 * min/max.compaction.lag.ms, delete.retention.ms, segment.ms) come from each log's LogConfig, whose
 * defaults are the `log.cleaner.*` synonyms.
 */
import type { BrokerConfigAccessors } from '../../config/broker-config-accessors';

/** What the cleaner threads run with. */
export interface CleanerConfig {
  /** `log.cleaner.enable` */
  enableCleaner: boolean;
  /** `log.cleaner.threads` */
  numThreads: number;
  /** `log.cleaner.dedupe.buffer.size`: memory of the key → offset maps, across all threads. */
  dedupeBufferSize: number;
  /** `log.cleaner.io.buffer.load.factor`: how full a map may get before a cleaning stops mapping. */
  dedupeBufferLoadFactor: number;
  /** `log.cleaner.io.buffer.size`: read and write buffer memory across all threads. */
  ioBufferSize: number;
  /** `message.max.bytes`: the largest batch the buffers are expected to grow to. */
  maxMessageSize: number;
  /** `log.cleaner.io.max.bytes.per.second`: throttle on the cleaner's reads and writes. */
  maxIoBytesPerSecond: number;
  /** `log.cleaner.backoff.ms`: sleep when no log needs cleaning. */
  backOffMs: number;
  /** The key hash of the offset map (Kafka's `MD5`). */
  hashAlgorithm: string;
}

/** Kafka 3.9's defaults. */
export function defaultCleanerConfig(): CleanerConfig {
  return {
    enableCleaner: true,
    numThreads: 1,
    dedupeBufferSize: 128 * 1024 * 1024,
    dedupeBufferLoadFactor: 0.9,
    ioBufferSize: 512 * 1024,
    maxMessageSize: 1048588,
    maxIoBytesPerSecond: Number.MAX_VALUE,
    backOffMs: 15000,
    hashAlgorithm: 'MD5',
  };
}

/** The broker properties the cleaner reads (a KafkaConfig has them all). */
export type CleanerBrokerSettings = Pick<
  BrokerConfigAccessors,
  | 'logCleanerEnable'
  | 'logCleanerThreads'
  | 'logCleanerDedupeBufferSize'
  | 'logCleanerIoBufferLoadFactor'
  | 'logCleanerIoBufferSize'
  | 'messageMaxBytes'
  | 'logCleanerIoMaxBytesPerSecond'
  | 'logCleanerBackoffMs'
>;

/** Kafka's LogCleaner.cleanerConfig: the CleanerConfig of a broker config. */
export function cleanerConfigFrom(config: CleanerBrokerSettings): CleanerConfig {
  return {
    enableCleaner: config.logCleanerEnable,
    numThreads: config.logCleanerThreads,
    dedupeBufferSize: config.logCleanerDedupeBufferSize,
    dedupeBufferLoadFactor: config.logCleanerIoBufferLoadFactor,
    ioBufferSize: config.logCleanerIoBufferSize,
    maxMessageSize: config.messageMaxBytes,
    maxIoBytesPerSecond: config.logCleanerIoMaxBytesPerSecond,
    backOffMs: config.logCleanerBackoffMs,
    hashAlgorithm: 'MD5',
  };
}
