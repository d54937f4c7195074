/**
 * /config/changes and its config_change_<seq> children (Kafka's ConfigEntityChangeNotificationZNode,
 * ConfigEntityChangeNotificationSequenceZNode), created after every config write except topic creation.
 *
 * v2: {"version":2,"entity_path":"topics/orders"}   (entity_path = <type>/<entity>, e.g. users/alice/clients/app-1)
 * v1 (legacy, still accepted): {"version":1,"entity_type":"topics","entity_name":"orders"}
 * Every broker watches the children and re-reads /config/<entity_path> for each new notification.
 */
import { ConfigZNode } from './config-entity';
import { jsonObject, parseZNodeJson, toJsonBytes } from './znode-json';

const SEQUENCE_PREFIX = 'config_change_';

/** A decoded config change notification. */
export interface ConfigChangeNotification {
  readonly version: 1 | 2;
  /** `<type>/<entity>` */
  readonly entityPath: string;
  /** The root entity type (`topics`, `users`, ...). */
  readonly entityType: string;
  /** Everything after the type (`orders`, `alice/clients/app-1`). */
  readonly entityName: string;
}

interface ConfigChangeJson {
  version: 1 | 2;
  entity_path?: string;
  entity_type?: string;
  entity_name?: string;
}

export const ConfigEntityChangeNotificationZNode = {
  path: (): string => `${ConfigZNode.path()}/changes`,
} as const;

export const ConfigEntityChangeNotificationSequenceZNode = {
  SequenceNumberPrefix: SEQUENCE_PREFIX,

  /** The prefix to create a persistent-sequential notification with. */
  createPath: (): string => `${ConfigEntityChangeNotificationZNode.path()}/${SEQUENCE_PREFIX}`,

  /** The node of a child name (`config_change_0000000042`) or sequence number. */
  path: (nameOrSequence: string): string =>
    `${ConfigEntityChangeNotificationZNode.path()}/${
      nameOrSequence.startsWith(SEQUENCE_PREFIX) ? nameOrSequence : SEQUENCE_PREFIX + nameOrSequence
    }`,

  /** v2 JSON for a sanitized entity path. */
  encode(sanitizedEntityPath: string): Buffer {
    return toJsonBytes(jsonObject(['version', 2], ['entity_path', sanitizedEntityPath]));
  },

  /** @throws ZNodeDecodeError naming the path */
  decode(data: Buffer, path = `${ConfigEntityChangeNotificationZNode.path()}/${SEQUENCE_PREFIX}<seq>`): ConfigChangeNotification {
    const json = parseZNodeJson<ConfigChangeJson>(data, path, 'config-change');
    if (json.version === 1) {
      const entityType = json.entity_type!;
      const entityName = json.entity_name!;
      return { version: 1, entityPath: `${entityType}/${entityName}`, entityType, entityName };
    }
    const entityPath = json.entity_path!;
    const slash = entityPath.indexOf('/');
    return { version: 2, entityPath, entityType: entityPath.slice(0, slash), entityName: entityPath.slice(slash + 1) };
  },

  /** The sequence number of a child name or path. */
  sequenceNumber: (name: string): string => name.slice(name.lastIndexOf(SEQUENCE_PREFIX) + SEQUENCE_PREFIX.length),
} as const;
