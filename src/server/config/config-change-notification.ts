/**
 * Reading a /config/changes/config_change_<seq> notification the way Kafka 3.9's
 * DynamicConfigManager.ConfigChangedNotificationHandler does:
 *
 *   v2 {"version":2,"entity_path":"topics/orders"}   (any entity type with a handler)
 *   v1 {"version":1,"entity_type":"topics","entity_name":"orders"}   (topics and clients only)
 *
 * Non-JSON data is ignored (it may come from the old TopicConfigManager); every other malformed
 * notification throws with Kafka's message, which the listener logs before moving on.
 */

/** The entity a notification names: `/config/<entityType>/<entityName>` is what changed. */
export interface ConfigChangeTarget {
  entityType: string;
  /** The full sanitized entity name (e.g. `orders`, `<default>`, `alice/clients/app-1`). */
  entityName: string;
}

/** A notification that cannot be processed (Kafka throws IllegalArgumentException). */
export class InvalidConfigChangeNotificationError extends Error {
  override readonly name = 'InvalidConfigChangeNotificationError';
}

const V1_TYPES: ReadonlySet<string> = new Set(['topics', 'clients']);

/**
 * Parses a notification's data. Returns null for data that is not JSON.
 * @param handledTypes the entity types a handler exists for (v2 paths must start with one of them)
 * @throws InvalidConfigChangeNotificationError with Kafka's message
 */
export function parseConfigChangeNotification(data: Buffer, handledTypes: readonly string[]): ConfigChangeTarget | null {
  const text = data.toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return null;
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new InvalidConfigChangeNotificationError(
      'Config change notification has an unexpected value. The format is:' +
        '{"version" : 1, "entity_type":"topics/clients", "entity_name" : "my_topic_name/my_client_id"} or ' +
        '{"version" : 2, "entity_path":"entity_type/entity_name"}.' +
        ` Received: ${text}`,
    );
  }
  const obj = json as Record<string, unknown>;
  const str = (key: string): string | undefined => (typeof obj[key] === 'string' ? (obj[key] as string) : undefined);
  switch (obj.version) {
    case 1: {
      const entityType = str('entity_type');
      if (entityType === undefined || !V1_TYPES.has(entityType)) {
        throw new InvalidConfigChangeNotificationError(
          `Version 1 config change notification must have 'entity_type' set to 'clients' or 'topics'. Received: ${text}`,
        );
      }
      const entityName = str('entity_name');
      if (entityName === undefined) {
        throw new InvalidConfigChangeNotificationError(
          `Version 1 config change notification does not specify 'entity_name'. Received: ${text}`,
        );
      }
      return { entityType, entityName };
    }
    case 2: {
      const entityPath = str('entity_path');
      if (entityPath === undefined) {
        throw new InvalidConfigChangeNotificationError(
          `Version 2 config change notification must specify 'entity_path'. Received: ${text}`,
        );
      }
      const index = entityPath.indexOf('/');
      const entityType = index < 0 ? '' : entityPath.slice(0, index);
      if (index < 0 || !handledTypes.includes(entityType)) {
        const types = handledTypes.map((t) => `'${t}'/`).join(', ');
        throw new InvalidConfigChangeNotificationError(
          `Version 2 config change notification must have 'entity_path' starting with one of ${types}. Received: ${text}`,
        );
      }
      return { entityType, entityName: entityPath.slice(index + 1) };
    }
    default:
      throw new InvalidConfigChangeNotificationError(
        `Config change notification has unsupported version '${String(obj.version)}', supported versions are 1 and 2.`,
      );
  }
}

/**
 * The sequence number of a notification child (`config_change_0000000042` → 42), or null for a child
 * that is not a notification.
 */
export function changeNumber(name: string, prefix = 'config_change_'): number | null {
  if (!name.startsWith(prefix)) return null;
  const digits = name.slice(prefix.length);
  return /^\d+$/.test(digits) ? Number(digits) : null;
}
