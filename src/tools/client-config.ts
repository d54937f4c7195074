/**
 * Kafka client properties (as given to the console tools with --producer-property, --producer.config,
 * --consumer-property, --consumer.config, --command-config) turned into the options of the project's
 * client classes. Properties the client does not use are ignored, like unknown configs in Kafka's
 * clients (which only log them); values of the ones it uses are checked as Kafka's ConfigDef does, with
 * Kafka's ConfigException wording. toolKafkaClient builds a tool's client from them.
 */

import { KafkaClient, type KafkaClientOptions } from '../client/kafka-client';
import type { ProducerOptions } from '../client/producer';
import type { SimpleConsumerOptions } from '../client/simple-consumer';
import type { CompressionName } from '../protocol/records/record-batch';
import { toolClientLogger, type ToolIO } from './tool-support';

/** Kafka's org.apache.kafka.common.config.ConfigException. */
export class ClientConfigError extends Error {
  override readonly name = 'ClientConfigError';
}

function invalid(name: string, value: string, why: string): ClientConfigError {
  return new ClientConfigError(`Invalid value ${value} for configuration ${name}: ${why}`);
}

function intProp(props: Readonly<Record<string, string>>, name: string, min = -Infinity): number | undefined {
  const raw = props[name];
  if (raw === undefined) return undefined;
  const value = raw.trim();
  if (!/^[+-]?\d+$/.test(value)) throw invalid(name, raw, 'Not a number of type INT');
  const n = Number(value);
  if (n < min) throw invalid(name, raw, `Value must be at least ${min}`);
  return n;
}

function longProp(props: Readonly<Record<string, string>>, name: string, min = -Infinity): number | undefined {
  const raw = props[name];
  if (raw === undefined) return undefined;
  const value = raw.trim();
  if (!/^[+-]?\d+$/.test(value)) throw invalid(name, raw, 'Not a number of type LONG');
  const n = Math.min(Number(value), Number.MAX_SAFE_INTEGER);
  if (n < min) throw invalid(name, raw, `Value must be at least ${min}`);
  return n;
}

/** Settings of KafkaClient from common client properties (bootstrap.servers is given separately). */
export function clientOptionsFromProps(
  props: Readonly<Record<string, string>>,
  defaults: { clientId: string },
): Omit<KafkaClientOptions, 'bootstrapServers'> {
  return {
    clientId: props['client.id'] ?? defaults.clientId,
    requestTimeoutMs: intProp(props, 'request.timeout.ms', 0),
    retryBackoffMs: longProp(props, 'retry.backoff.ms', 0),
    retryBackoffMaxMs: longProp(props, 'retry.backoff.max.ms', 0),
    connectTimeoutMs: longProp(props, 'socket.connection.setup.timeout.ms', 0),
    metadataMaxAgeMs: longProp(props, 'metadata.max.age.ms', 0),
  };
}

/**
 * The KafkaClient of a command-line tool: the common client properties of its config file or options,
 * its default client.id, and Kafka's NetworkClient warnings on the tool's stderr. `overrides` are
 * settings the tool fixes itself (e.g. kafka-consumer-groups' --timeout as request.timeout.ms).
 */
export function toolKafkaClient(
  io: ToolIO,
  options: {
    bootstrapServers: string;
    props: Readonly<Record<string, string>>;
    clientId: string;
    overrides?: Omit<KafkaClientOptions, 'bootstrapServers'>;
  },
): KafkaClient {
  return new KafkaClient({
    ...clientOptionsFromProps(options.props, { clientId: options.clientId }),
    logger: toolClientLogger(io, 'org.apache.kafka.clients.NetworkClient'),
    ...options.overrides,
    bootstrapServers: options.bootstrapServers,
  });
}

const COMPRESSION_TYPES: readonly CompressionName[] = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];

/** ProducerOptions from producer properties (acks, compression.type, batch.size, linger.ms, ...). */
export function producerOptionsFromProps(props: Readonly<Record<string, string>>): ProducerOptions {
  let acks: 0 | 1 | -1 | undefined;
  if (props['acks'] !== undefined) {
    const a = props['acks'].trim().toLowerCase();
    if (a === 'all' || a === '-1') acks = -1;
    else if (a === '0') acks = 0;
    else if (a === '1') acks = 1;
    else throw invalid('acks', props['acks'], 'String must be one of: all, -1, 0, 1');
  }
  let compression: CompressionName | undefined;
  if (props['compression.type'] !== undefined) {
    const c = props['compression.type'].trim().toLowerCase();
    if (!(COMPRESSION_TYPES as readonly string[]).includes(c)) {
      throw invalid('compression.type', props['compression.type'], `String must be one of: ${COMPRESSION_TYPES.join(', ')}`);
    }
    compression = c as CompressionName;
  }
  return {
    acks,
    compression,
    batchSize: intProp(props, 'batch.size', 0),
    lingerMs: longProp(props, 'linger.ms', 0),
    maxInFlightRequestsPerConnection: intProp(props, 'max.in.flight.requests.per.connection', 1),
    requestTimeoutMs: intProp(props, 'request.timeout.ms', 0),
    deliveryTimeoutMs: intProp(props, 'delivery.timeout.ms', 0),
    retries: intProp(props, 'retries', 0),
    bufferMemory: longProp(props, 'buffer.memory', 0),
    maxRequestSize: intProp(props, 'max.request.size', 0),
    maxBlockMs: longProp(props, 'max.block.ms', 0),
  };
}

/** SimpleConsumerOptions from consumer properties (auto.offset.reset, fetch.*, isolation.level). */
export function consumerOptionsFromProps(props: Readonly<Record<string, string>>): SimpleConsumerOptions {
  let autoOffsetReset: SimpleConsumerOptions['autoOffsetReset'];
  if (props['auto.offset.reset'] !== undefined) {
    const v = props['auto.offset.reset'].trim().toLowerCase();
    if (v !== 'earliest' && v !== 'latest' && v !== 'none') {
      throw invalid('auto.offset.reset', props['auto.offset.reset'], `Invalid value \`${props['auto.offset.reset']}\` for configuration auto.offset.reset`);
    }
    autoOffsetReset = v;
  }
  let isolationLevel: 0 | 1 | undefined;
  if (props['isolation.level'] !== undefined) {
    const v = props['isolation.level'].trim().toLowerCase();
    if (v === 'read_uncommitted') isolationLevel = 0;
    else if (v === 'read_committed') isolationLevel = 1;
    else throw invalid('isolation.level', props['isolation.level'], 'String must be one of: read_committed, read_uncommitted');
  }
  return {
    autoOffsetReset,
    isolationLevel,
    fetchMinBytes: intProp(props, 'fetch.min.bytes', 0),
    fetchMaxBytes: intProp(props, 'fetch.max.bytes', 0),
    fetchMaxWaitMs: intProp(props, 'fetch.max.wait.ms', 0),
    maxPartitionFetchBytes: intProp(props, 'max.partition.fetch.bytes', 0),
  };
}
