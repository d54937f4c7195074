/**
 * kafka-configs through `--bootstrap-server`: Kafka 3.9's ConfigCommand.describeResourceConfig /
 * alterConfig for topics and brokers, over the Kafka protocol as Kafka's Admin client sends it:
 * DescribeConfigs, IncrementalAlterConfigs (topics) and AlterConfigs (brokers) go to the broker a
 * per-broker resource names, anything else to any broker; Metadata lists the topics and brokers when no
 * entity name is given.
 */
import { Admin, AlterConfigOpType, ConfigResourceType } from '../client/admin';
import type { ClientLogger, KafkaClient } from '../client/kafka-client';
import { InvalidConfigurationError } from '../common/kafka-error';
import { validateTopicName } from '../zk/admin-zk-client';
import { IllegalArgumentError } from './topic-command-support';
import { adminToolClient, clientSettingsFrom } from './topic-service-admin';
import type { ToolIO } from './tool-support';

/** Java's ConfigEntry.ConfigSource names, by DescribeConfigs source id. */
const SOURCE_NAMES: Readonly<Record<number, string>> = {
  0: 'UNKNOWN',
  1: 'DYNAMIC_TOPIC_CONFIG',
  2: 'DYNAMIC_BROKER_CONFIG',
  3: 'DYNAMIC_DEFAULT_BROKER_CONFIG',
  4: 'STATIC_BROKER_CONFIG',
  5: 'DEFAULT_CONFIG',
  6: 'DYNAMIC_BROKER_LOGGER_CONFIG',
  7: 'DYNAMIC_CLIENT_METRICS_CONFIG',
  8: 'DYNAMIC_GROUP_CONFIG',
};

/** One described config, as Kafka's ConfigEntry. */
interface DescribedEntry {
  name: string;
  value: string | null;
  source: number;
  isSensitive: boolean;
  synonyms: { name: string; value: string | null; source: number }[];
}

/** How long the tool waits for each call (Kafka's `.get(30s)` for describes, `.get(60s)` for alters). */
const DESCRIBE_TIMEOUT_MS = 30_000;
const ALTER_TIMEOUT_MS = 60_000;

/** kafka-configs over the Kafka protocol. */
export class AdminConfigService {
  private readonly client: KafkaClient;
  private readonly admin: Admin;

  constructor(
    private readonly io: ToolIO,
    options: { bootstrapServers: string; commandConfig: Record<string, string>; logger?: ClientLogger },
  ) {
    const settings = clientSettingsFrom(options.commandConfig);
    this.client = adminToolClient(options);
    this.admin = new Admin(this.client, { defaultApiTimeoutMs: Math.min(settings.defaultApiTimeoutMs ?? DESCRIBE_TIMEOUT_MS, DESCRIBE_TIMEOUT_MS) });
  }

  /** `--describe`: the named entity, or every topic / every broker and the cluster default. */
  async describeConfig(entityType: string, entityName: string | undefined, describeAll: boolean): Promise<void> {
    let entities: string[];
    if (entityName !== undefined) entities = [entityName];
    else if (entityType === 'topics') entities = (await this.admin.listTopics({ listInternal: true })).map((t) => t.name);
    else entities = [...(await this.admin.describeCluster()).brokers.map((b) => String(b.nodeId)), ''];
    for (const entity of entities) {
      if (entity === '') this.io.out(`Default configs for ${entityType} in the cluster are:\n`);
      else this.io.out(`${describeAll ? 'All' : 'Dynamic'} configs for ${entityType.slice(0, -1)} ${entity} are:\n`);
      for (const e of await this.getResourceConfig(entityType, entity, { includeSynonyms: true, describeAll })) {
        const synonyms = e.synonyms.map((s) => `${SOURCE_NAMES[s.source] ?? 'UNKNOWN'}:${s.name}=${s.value}`).join(', ');
        this.io.out(`  ${e.name}=${e.value} sensitive=${e.isSensitive} synonyms={${synonyms}}\n`);
      }
    }
  }

  /** `--alter`: topics through IncrementalAlterConfigs, brokers through AlterConfigs with the whole new set. */
  async alterConfig(entityType: string, entityName: string, toAdd: Record<string, string>, toDelete: string[]): Promise<void> {
    const old = new Map((await this.getResourceConfig(entityType, entityName, { includeSynonyms: false, describeAll: false })).map((e) => [e.name, e]));
    const invalid = toDelete.filter((name) => !old.has(name));
    if (invalid.length > 0) throw new InvalidConfigurationError(`Invalid config(s): ${invalid.join(',')}`);
    if (entityType === 'topics') {
      const configs = [
        ...Object.entries(toAdd).map(([name, value]) => ({ name, op: AlterConfigOpType.SET, value })),
        // Kafka's ConfigCommand sends DELETE with an empty value.
        ...toDelete.map((name) => ({ name, op: AlterConfigOpType.DELETE, value: '' })),
      ];
      const [result] = await this.admin.incrementalAlterConfigs([{ type: ConfigResourceType.TOPIC, name: entityName, configs }], {
        timeoutMs: ALTER_TIMEOUT_MS,
      });
      if (result!.error) throw result!.error;
    } else {
      const entries = new Map<string, string | null>([...old].map(([name, e]) => [name, e.value]));
      for (const [name, value] of Object.entries(toAdd)) entries.set(name, value);
      for (const name of toDelete) entries.delete(name);
      const sensitive = [...entries].filter(([, value]) => value === null).map(([name]) => name);
      if (sensitive.length > 0) {
        throw new InvalidConfigurationError(
          `All sensitive broker config entries must be specified for --alter, missing entries: Set(${sensitive.join(', ')})`,
        );
      }
      const configs = [...entries].map(([name, value]) => ({ name, value }));
      const [result] = await this.admin.alterConfigs([{ type: ConfigResourceType.BROKER, name: entityName, configs }], {
        timeoutMs: ALTER_TIMEOUT_MS,
      });
      if (result!.error) throw result!.error;
    }
    if (entityName !== '') this.io.out(`Completed updating config for ${entityType.slice(0, -1)} ${entityName}.\n`);
    else this.io.out(`Completed updating default config for ${entityType} in the cluster.\n`);
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  /** ConfigCommand.getResourceConfig: the entity's configs, only the dynamic ones unless describeAll, by name. */
  private async getResourceConfig(
    entityType: string,
    entityName: string,
    options: { includeSynonyms: boolean; describeAll: boolean },
  ): Promise<DescribedEntry[]> {
    let type: number;
    let dynamicSource: number;
    if (entityType === 'topics') {
      if (entityName !== '') validateTopicName(entityName);
      type = ConfigResourceType.TOPIC;
      dynamicSource = 1;
    } else {
      if (entityName !== '' && !/^[+-]?\d+$/.test(entityName)) {
        throw new IllegalArgumentError(`The entity name for ${entityType} must be a valid integer broker id, found: ${entityName}`);
      }
      type = ConfigResourceType.BROKER;
      dynamicSource = entityName === '' ? 3 : 2;
    }
    const entries = await this.describeConfigs(type, entityName, options.includeSynonyms);
    return entries.filter((e) => options.describeAll || e.source === dynamicSource).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  private async describeConfigs(type: number, name: string, includeSynonyms: boolean): Promise<DescribedEntry[]> {
    const [result] = await this.admin.describeConfigs([{ type, name }], { includeSynonyms });
    if (result!.error) throw result!.error;
    return result!.entries;
  }
}
