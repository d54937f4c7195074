/**
 * AlterConfigs (legacy, whole-resource) and IncrementalAlterConfigs (KIP-339) for TOPIC and BROKER
 * resources in ZooKeeper mode: Kafka 3.9's ConfigAdminManager.preprocess followed by
 * ZkAdminManager.alterConfigs / incrementalAlterConfigs.
 *
 * - Preprocessing: a resource named twice fails ("Each resource must appear at most once."), as does one
 *   with a config named twice or a null value (DELETE excepted). A BROKER resource must be this broker's
 *   id or empty (the cluster default, `<default>`): in ZooKeeper mode a broker only validates and writes
 *   its own dynamic configs, since it can check them only against its own static configuration; Kafka's
 *   Admin client sends per-broker resources to that broker. Broker updates are validated here (read-only
 *   configs, per-broker configs at the default level, values, cross-property rules) and refused with
 *   INVALID_REQUEST and Kafka's message.
 * - Topics: the topic must exist; names must be topic configs (INVALID_CONFIG "Unknown topic config
 *   name"), values are checked against the broker defaults (INVALID_REQUEST "Invalid config value for
 *   resource ...").
 * - Writes: `/config/<topics|brokers>/<entity>` through the multi-op guarded by /controller's version, then
 *   a v2 change notification (AdminZkClient.changeTopicConfig / changeBrokerConfig). Nothing is written with
 *   validateOnly. Every broker, this one included, applies the change when it sees the notification.
 */
import { InvalidConfigurationError, InvalidRequestError, InvalidTopicError, KafkaError, UnknownTopicOrPartitionError } from '../../common/kafka-error';
import type { KafkaConfig } from '../../config/broker-config';
import { BROKER_CONFIGS } from '../../config/broker-config-defs';
import { ConfigException } from '../../config/config-exception';
import { AlterConfigOpType, ConfigResourceType, ConfigType as ConfigValueType } from '../../config/config-types';
import { parseTopicConfigs } from '../../config/log-config-builder';
import { TOPIC_CONFIGS } from '../../config/topic-config-defs';
import type { MetadataCache } from '../../metadata/metadata-cache';
import { ErrorCode } from '../../protocol';
import type { KafkaZkClient } from '../../zk/kafka-zk-client';
import { ConfigEntityDefault, ConfigType } from '../../zk/znodes';
import { validateTopicName } from '../topic-names';
import { fromPersistentProps } from './dynamic-broker-config';
import { isKnownOpType, prepareIncrementalConfigs, type AlterConfigOperation, type ConfigKeyInfo } from './incremental-configs';

type Props = Record<string, string>;

/** A resource of an AlterConfigs request. */
export interface AlterConfigsResourceInput {
  resourceType: number;
  resourceName: string;
  configs: ReadonlyArray<{ name: string; value: string | null }>;
}

/** A resource of an IncrementalAlterConfigs request. */
export interface IncrementalAlterConfigsResourceInput {
  resourceType: number;
  resourceName: string;
  configs: ReadonlyArray<{ name: string; configOperation: number; value: string | null }>;
}

/** The outcome for one resource, in request order. */
export interface AlterConfigsResourceResult {
  resourceType: number;
  resourceName: string;
  errorCode: number;
  errorMessage: string | null;
}

interface AdminLogger {
  info(msg: string): void;
  error(msg: string, err?: unknown): void;
}

/** Options of ZkConfigAdmin. */
export interface ZkConfigAdminOptions {
  config: KafkaConfig;
  zkClient: KafkaZkClient;
  metadataCache: MetadataCache;
  logger: AdminLogger;
}

/** Kafka's ConfigResource.toString. */
export function configResourceString(resourceType: number, resourceName: string): string {
  const type = Object.entries(ConfigResourceType).find(([, id]) => id === resourceType)?.[0] ?? 'UNKNOWN';
  return `ConfigResource(type=${type}, name='${resourceName}')`;
}

const TOPIC_KEYS: ConfigKeyInfo = {
  typeOf: (name) => TOPIC_CONFIGS.get(name)?.type,
  defaultText: (name) => TOPIC_CONFIGS.get(name)?.default ?? null,
  unknownName: (name) => `Unknown topic config name: ${name}`,
};

const BROKER_KEYS: ConfigKeyInfo = {
  typeOf: (name) => BROKER_CONFIGS.get(name)?.type,
  defaultText: (name) => BROKER_CONFIGS.get(name)?.default ?? null,
  unknownName: (name) => `Unknown config name: ${name}`,
};

/** Thrown by the per-resource steps with the error to answer (code and message as Kafka's ApiError). */
class ResourceError extends Error {
  override readonly name = 'ResourceError';
  constructor(
    readonly code: number,
    message: string | null,
  ) {
    super(message ?? '');
  }
}

/** The AlterConfigs and IncrementalAlterConfigs logic; see the file comment. */
export class ZkConfigAdmin {
  constructor(private readonly opts: ZkConfigAdminOptions) {}

  /** Legacy AlterConfigs: each resource's overrides become exactly the configs given. */
  async alterConfigs(
    resources: readonly AlterConfigsResourceInput[],
    options: { validateOnly: boolean },
  ): Promise<AlterConfigsResourceResult[]> {
    const duplicates = duplicateResources(resources);
    const results: AlterConfigsResourceResult[] = [];
    for (const r of resources) {
      results.push(
        await this.outcome(r, duplicates, async () => {
          checkConfigNames(r.configs.map((c) => c.name));
          const nulls = r.configs.filter((c) => c.value === null).map((c) => c.name);
          if (nulls.length > 0) throw new InvalidRequestError(`Null value not supported for : ${nulls.join(', ')}`);
          const props: Props = Object.fromEntries(r.configs.map((c) => [c.name, c.value as string]));
          if (r.resourceType === ConfigResourceType.TOPIC) return this.alterTopicConfigs(r.resourceName, props, options.validateOnly);
          if (r.resourceType === ConfigResourceType.BROKER) {
            const brokerId = this.brokerIdOf(r.resourceName);
            this.validateBrokerConfigs(props, brokerId !== null);
            return this.alterBrokerConfigs(brokerId, props, options.validateOnly);
          }
          throw new InvalidRequestError(`Unknown resource type ${r.resourceType}`);
        }),
      );
    }
    return results;
  }

  /** IncrementalAlterConfigs: SET / DELETE / APPEND / SUBTRACT on each resource's stored overrides. */
  async incrementalAlterConfigs(
    resources: readonly IncrementalAlterConfigsResourceInput[],
    options: { validateOnly: boolean },
  ): Promise<AlterConfigsResourceResult[]> {
    const duplicates = duplicateResources(resources);
    const results: AlterConfigsResourceResult[] = [];
    for (const r of resources) {
      results.push(
        await this.outcome(r, duplicates, async () => {
          checkConfigNames(r.configs.map((c) => c.name));
          const nulls = r.configs.filter((c) => c.configOperation !== AlterConfigOpType.DELETE && c.value === null).map((c) => c.name);
          if (nulls.length > 0) throw new InvalidRequestError(`Null value not supported for : ${nulls.join(', ')}`);
          const ops: AlterConfigOperation[] = r.configs.map((c) => ({ name: c.name, op: c.configOperation, value: c.value }));
          const unknownOp = ops.find((o) => !isKnownOpType(o.op));
          if (unknownOp !== undefined) throw new InvalidRequestError(`Unknown operations type ${unknownOp.op}`);
          const zk = this.opts.zkClient;
          if (r.resourceType === ConfigResourceType.TOPIC) {
            if (r.resourceName === '') throw new InvalidRequestError('Default topic resources are not allowed.');
            const current = await zk.fetchEntityConfig(ConfigType.TOPIC, r.resourceName);
            return this.alterTopicConfigs(r.resourceName, prepareIncrementalConfigs(ops, current, TOPIC_KEYS), options.validateOnly);
          }
          if (r.resourceType === ConfigResourceType.BROKER) {
            const brokerId = this.brokerIdOf(r.resourceName);
            const perBroker = brokerId !== null;
            const stored = await zk.fetchEntityConfig(ConfigType.BROKER, perBroker ? String(brokerId) : ConfigEntityDefault);
            const current = fromPersistentProps(stored, { perBroker, logger: this.opts.logger });
            const props = prepareIncrementalConfigs(ops, current, BROKER_KEYS);
            this.validateBrokerConfigs(props, perBroker);
            return this.alterBrokerConfigs(brokerId, props, options.validateOnly);
          }
          throw new InvalidRequestError(`Unknown resource type ${r.resourceType}`);
        }),
      );
    }
    return results;
  }

  /** Runs one resource's steps and turns what they throw into the resource's error, as Kafka's ApiError does. */
  private async outcome(
    r: { resourceType: number; resourceName: string },
    duplicates: ReadonlySet<string>,
    run: () => Promise<void>,
  ): Promise<AlterConfigsResourceResult> {
    const result = (errorCode: number, errorMessage: string | null): AlterConfigsResourceResult => ({
      resourceType: r.resourceType,
      resourceName: r.resourceName,
      errorCode,
      errorMessage,
    });
    if (duplicates.has(resourceKey(r))) return result(ErrorCode.INVALID_REQUEST, 'Each resource must appear at most once.');
    const resource = configResourceString(r.resourceType, r.resourceName);
    try {
      await run();
      return result(ErrorCode.NONE, null);
    } catch (e) {
      if (e instanceof ResourceError) return result(e.code, e.message);
      if (e instanceof ConfigException) {
        const message = `Invalid config value for resource ${resource}: ${e.message}`;
        this.opts.logger.info(message);
        return result(ErrorCode.INVALID_REQUEST, message);
      }
      if (e instanceof KafkaError) {
        this.opts.logger.info(`Error processing alter configs request for resource ${resource}: ${e.message}`);
        return result(e.code, e.message);
      }
      this.opts.logger.error(`Error processing alter configs request for resource ${resource}`, e);
      return result(ErrorCode.UNKNOWN_SERVER_ERROR, null);
    }
  }

  /** An empty name is the cluster default (null); otherwise it must be this broker's id. */
  private brokerIdOf(name: string): number | null {
    if (name === '') return null;
    if (!/^[+-]?\d+$/.test(name) || !Number.isSafeInteger(Number(name)) || Math.abs(Number(name)) > 2 ** 31) {
      throw new InvalidRequestError(`Node id must be an integer, but it is: ${name}`);
    }
    const brokerId = this.opts.config.brokerId;
    if (Number(name) !== brokerId) throw new InvalidRequestError(`Unexpected broker id, expected ${brokerId}, but received ${name}`);
    return brokerId;
  }

  /** DynamicBrokerConfig.validate; a failure is INVALID_REQUEST with the bare message (KAFKA-13609). */
  private validateBrokerConfigs(props: Props, perBroker: boolean): void {
    try {
      this.opts.config.validateDynamic(props, { perBroker });
    } catch (e) {
      if (e instanceof ConfigException) throw new ResourceError(ErrorCode.INVALID_REQUEST, e.message);
      throw e;
    }
  }

  private async alterTopicConfigs(topic: string, props: Props, validateOnly: boolean): Promise<void> {
    const zk = this.opts.zkClient;
    if (!this.opts.metadataCache.contains(topic)) throw new UnknownTopicOrPartitionError(`The topic '${topic}' does not exist.`);
    // AdminZkClient.validateTopicConfig: the name, the topic node, then LogConfig.validate over the broker defaults.
    const invalidName = validateTopicName(topic);
    if (invalidName !== null) throw new InvalidTopicError(invalidName);
    if (!(await zk.topicExists(topic))) throw new UnknownTopicOrPartitionError(`Topic '${topic}' does not exist.`);
    const unknown = Object.keys(props).find((n) => !TOPIC_CONFIGS.has(n));
    if (unknown !== undefined) throw new InvalidConfigurationError(`Unknown topic config name: ${unknown}`);
    parseTopicConfigs(props, { broker: this.opts.config });
    if (validateOnly) return;
    this.opts.logger.info(`Updating topic ${topic} with new configuration : ${loggable(props, () => false)}`);
    await zk.changeTopicConfig(topic, props);
  }

  private async alterBrokerConfigs(brokerId: number | null, props: Props, validateOnly: boolean): Promise<void> {
    if (validateOnly) return;
    const shown = loggable(props, (name) => {
      const type = BROKER_CONFIGS.get(name)?.type;
      return type === undefined || type === ConfigValueType.PASSWORD;
    });
    this.opts.logger.info(
      brokerId === null ? `Updating brokers with new configuration : ${shown}` : `Updating broker ${brokerId} with new configuration : ${shown}`,
    );
    await this.opts.zkClient.changeBrokerConfig(brokerId === null ? [] : [brokerId], props);
  }
}

function resourceKey(r: { resourceType: number; resourceName: string }): string {
  return `${r.resourceType}\u0000${r.resourceName}`;
}

function duplicateResources(resources: ReadonlyArray<{ resourceType: number; resourceName: string }>): Set<string> {
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  for (const r of resources) {
    const key = resourceKey(r);
    if (seen.has(key)) duplicates.add(key);
    seen.add(key);
  }
  return duplicates;
}

function checkConfigNames(names: readonly string[]): void {
  if (new Set(names).size !== names.length) throw new InvalidRequestError('Error due to duplicate config keys');
}

/** Kafka's toLoggableProps(...).mkString(","): `name -> value`, sensitive values hidden. */
function loggable(props: Readonly<Props>, sensitive: (name: string) => boolean): string {
  return Object.entries(props)
    .map(([k, v]) => `${k} -> ${sensitive(k) ? '[hidden]' : v}`)
    .join(',');
}
