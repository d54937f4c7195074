/**
 * kafka-configs through `--zookeeper`: Kafka's ZooKeeper-based ConfigCommand (alterConfigWithZk,
 * describeConfigWithZk), reading and writing `/config/<type>/<entity>` and the change notification with
 * the project's ZooKeeper layer, no broker involved.
 *
 * Broker configs follow Kafka 3.9: only while the brokers concerned are down ("Broker configuration
 * operations using ZooKeeper are only supported if the affected broker(s) are not running."), checked
 * the way a starting broker would check them (read-only configs, per-broker configs at the default level,
 * values). Topic configs are written as Kafka 2.x's tool wrote them (the topic must exist, overrides are
 * validated). As an offline tool it writes without the /controller check brokers use.
 */
import { InvalidConfigurationError } from '../common/kafka-error';
import { KafkaConfig } from '../config/broker-config';
import { validateTopicConfigs } from '../config/log-config-builder';
import { TOPIC_CONFIGS } from '../config/topic-config-defs';
import type { KafkaZkClient } from '../zk/kafka-zk-client';
import { ConfigEntityDefault } from '../zk/znodes';
import { java8HashtableOrder } from '../zk/znodes/key-order';
import { IllegalArgumentError } from './topic-command-support';
import { connectToolZkClient } from './topic-service-zk';
import type { ToolIO } from './tool-support';

/** Kafka's ConfigCommand.Entity.toString: `topic 'orders'`, `brokers '1'`, `default brokers`. */
function entityString(entityType: string, sanitizedName: string): string {
  const typeName = entityType === 'topics' ? 'topic' : entityType;
  return sanitizedName === ConfigEntityDefault ? `default ${typeName}` : `${typeName} '${sanitizedName}'`;
}

/** java.util.Properties.toString: `{k=v, k2=v2}` in Hashtable order. */
function propertiesString(props: Readonly<Record<string, string>>): string {
  return `{${java8HashtableOrder(Object.keys(props)).map((k) => `${k}=${props[k]}`).join(', ')}}`;
}

/** kafka-configs over ZooKeeper. */
export class ZooKeeperConfigService {
  private constructor(
    private readonly io: ToolIO,
    private readonly zk: KafkaZkClient,
    private readonly zkConnect: string,
  ) {}

  /** Connects to ZooKeeper (30 s session and connection timeouts, as Kafka's tool). */
  static async connect(io: ToolIO, zkConnect: string): Promise<ZooKeeperConfigService> {
    const zk = await connectToolZkClient(zkConnect, {
      enableEntityConfigControllerCheck: false,
      validateTopicConfigs: (configs) => {
        const unknown = Object.keys(configs).find((name) => !TOPIC_CONFIGS.has(name));
        if (unknown !== undefined) throw new InvalidConfigurationError(`Unknown topic config name: ${unknown}`);
        validateTopicConfigs(configs);
      },
    });
    return new ZooKeeperConfigService(io, zk, zkConnect);
  }

  /** `--alter`: merges the additions and deletions into the stored overrides and writes them with a notification. */
  async alterConfig(entityType: string, entityName: string, toAdd: Record<string, string>, toDelete: string[]): Promise<void> {
    const name = entityName === '' ? ConfigEntityDefault : entityName;
    if (entityType === 'brokers' && (Object.keys(toAdd).length > 0 || toDelete.length > 0)) {
      const deleted = toDelete.length === 0 ? 'List()' : `ArrayBuffer(${toDelete.join(', ')})`;
      await this.validateBrokersNotRunning(
        name,
        `--bootstrap-server option must be specified to update ${entityType} configs: {add: ${propertiesString(toAdd)}, delete: ${deleted}}`,
      );
      // DynamicBrokerConfig.validateConfigs, against a broker that has only the defaults.
      new KafkaConfig({ 'zookeeper.connect': this.zkConnect }).validateDynamic(toAdd, { perBroker: name !== ConfigEntityDefault });
    }
    const configs = await this.zk.fetchEntityConfig(entityType, name);
    const invalid = toDelete.filter((k) => !(k in configs));
    if (invalid.length > 0) throw new InvalidConfigurationError(`Invalid config(s): ${invalid.join(',')}`);
    Object.assign(configs, toAdd);
    for (const k of toDelete) delete configs[k];
    if (entityType === 'topics') await this.zk.changeTopicConfig(name, configs);
    else await this.zk.changeBrokerConfig(name === ConfigEntityDefault ? [] : [Number(name)], configs);
    this.io.out(`Completed updating config for entity: ${entityString(entityType, name)}.\n`);
  }

  /** `--describe`: the stored overrides of the named entity, or of every entity of the type that has some. */
  async describeConfig(entityType: string, entityName: string | undefined): Promise<void> {
    const name = entityName === '' ? ConfigEntityDefault : entityName;
    if (entityType === 'brokers' && name !== undefined) {
      await this.validateBrokersNotRunning(name, `--bootstrap-server option must be specified to describe ${entityType}`);
    }
    const entities = name !== undefined ? [name] : await this.zk.getAllEntitiesWithConfig(entityType);
    for (const entity of entities) {
      const configs = await this.zk.fetchEntityConfig(entityType, entity);
      const shown = java8HashtableOrder(Object.keys(configs)).map((k) => `${k}=${configs[k]}`).join(',');
      this.io.out(`Configs for ${entityString(entityType, entity)} are ${shown}\n`);
    }
  }

  async close(): Promise<void> {
    await this.zk.close();
  }

  private async validateBrokersNotRunning(name: string, errorMessage: string): Promise<void> {
    const info = 'Broker configuration operations using ZooKeeper are only supported if the affected broker(s) are not running.';
    if (name !== ConfigEntityDefault) {
      const id = Number(name);
      if (Number.isInteger(id) && (await this.zk.getBroker(id)) !== null) {
        throw new IllegalArgumentError(`requirement failed: ${errorMessage} - broker ${id} is running. ${info}`);
      }
      return;
    }
    const running = (await this.zk.getAllBrokersInCluster()).length;
    if (running !== 0) throw new IllegalArgumentError(`requirement failed: ${errorMessage} - ${running} brokers are running. ${info}`);
  }
}
