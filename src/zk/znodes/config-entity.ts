/**
 * /config, /config/<entityType> and /config/<entityType>/<entity> (Kafka's ConfigZNode, ConfigEntityTypeZNode,
 * ConfigEntityZNode): dynamic config overrides.
 *
 *   {"version":1,"config":{"retention.ms":"86400000","cleanup.policy":"compact"}}
 * Kafka serialises a java.util.Properties, so the config keys come in Hashtable order (key-order.ts); values
 * are always strings. Entity types: topics, clients, users, brokers, ips; `<default>` is the default entity
 * and users may nest clients (`users/<user>/clients/<client-id>`). A node with no data (a parent created for a
 * nested entity) decodes as no overrides, as in Kafka.
 */
import { java8HashtableOrder } from './key-order';
import { jsonObject, jsonObjectInOrder, parseZNodeJson, toJsonBytes } from './znode-json';

/** Entity types under /config (org.apache.kafka.server.config.ConfigType, ZooKeeper mode). */
export const ConfigType = {
  TOPIC: 'topics',
  CLIENT: 'clients',
  USER: 'users',
  BROKER: 'brokers',
  IP: 'ips',
} as const;
export type ConfigType = (typeof ConfigType)[keyof typeof ConfigType];

/** The name of the default entity (`/config/brokers/<default>`). */
export const ConfigEntityDefault = '<default>';

export const ConfigZNode = {
  path: (): string => '/config',
} as const;

export const ConfigEntityTypeZNode = {
  path: (entityType: string): string => `${ConfigZNode.path()}/${entityType}`,
} as const;

export const ConfigEntityZNode = {
  /** `entityName` is already sanitized (URL-encoded user/client names; may contain `/clients/`). */
  path: (entityType: string, entityName: string): string => `${ConfigEntityTypeZNode.path(entityType)}/${entityName}`,

  /** `{"version":1,"config":{...}}`; keys in the order Kafka's Properties would write them. */
  encode(config: Readonly<Record<string, string>> | ReadonlyMap<string, string>): Buffer {
    const map: ReadonlyMap<string, string> = config instanceof Map ? config : new Map(Object.entries(config));
    return toJsonBytes(jsonObject(['version', 1], ['config', jsonObjectInOrder(map, java8HashtableOrder([...map.keys()]))]));
  },

  /** Returns the overrides (empty for a node without data). @throws ZNodeDecodeError naming the path */
  decode(data: Buffer, path = '/config/<entityType>/<entity>'): Record<string, string> {
    if (data.length === 0) return {};
    const json = parseZNodeJson<{ config?: Record<string, string> }>(data, path, 'config-entity');
    return Object.fromEntries(Object.entries(json.config ?? {}));
  },
} as const;
