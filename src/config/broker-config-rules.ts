/**
 * Kafka's cross-property rules for the broker config (KafkaConfig.validateValues and the derived
 * getters of ZooKeeper-mode Kafka 3.9): values that fall back on other properties (log.dirs →
 * log.dir, log.retention.ms → .minutes → .hours, log.roll.*, log.flush.interval.ms,
 * zookeeper.connection.timeout.ms, advertised.listeners → listeners, the inter-broker listener) and
 * the checks that span several properties. Messages are Kafka's, without Scala's "requirement failed".
 */
import { ConfigException } from './config-exception';
import type { ConfigValue } from './config-types';
import { parseListeners, parseSecurityProtocolMap, SecurityProtocol, type Endpoint } from './listeners';

/** The values KafkaConfig derives from several properties. */
export interface DerivedBrokerConfig {
  listenerSecurityProtocolMap: Map<string, SecurityProtocol>;
  listeners: Endpoint[];
  advertisedListeners: Endpoint[];
  interBrokerListenerName: string;
  interBrokerSecurityProtocol: SecurityProtocol;
  controlPlaneListenerName: string | null;
  logDirs: string[];
  logRollMs: number;
  logRollJitterMs: number;
  logRetentionMs: number;
  logFlushIntervalMs: number;
  zookeeperConnectionTimeoutMs: number;
  maxConnectionsPerIpOverrides: Map<string, number>;
  /** Non-fatal findings, in the form Kafka would log them. */
  warnings: string[];
}

const HOUR_MS = 60 * 60 * 1000;
const MINUTE_MS = 60 * 1000;

function ensure(condition: boolean, message: string, configName?: string): void {
  if (!condition) throw new ConfigException(message, { configName });
}

/** Kafka's CoreUtils.parseCsvList: comma-separated, blanks dropped. */
export function parseCsvList(value: string): string[] {
  return value.trim().split(/\s*,\s*/).filter((v) => v.length > 0);
}

// Host names or IP addresses allowed as keys of max.connections.per.ip.overrides (Utils.validHostPattern).
const HOST_PATTERN = /^[\w.:%-]+$/;

function parseConnectionOverrides(value: string): Map<string, number> {
  const map = new Map<string, number>();
  if (value.trim() === '') return map;
  const invalid: string[] = [];
  for (const entry of value.trim().split(/\s*,\s*/)) {
    const colon = entry.lastIndexOf(':');
    const host = colon < 0 ? entry : entry.slice(0, colon).trim();
    const count = colon < 0 ? NaN : Number(entry.slice(colon + 1).trim());
    if (colon < 0 || !Number.isInteger(count)) {
      throw new ConfigException(`Error parsing configuration property 'max.connections.per.ip.overrides': invalid entry '${entry}'`, {
        configName: 'max.connections.per.ip.overrides',
        value,
      });
    }
    if (!HOST_PATTERN.test(host)) invalid.push(host);
    map.set(host, count);
  }
  ensure(invalid.length === 0, `max.connections.per.ip.overrides contains invalid addresses : ${invalid.join(',')}`, 'max.connections.per.ip.overrides');
  return map;
}

/**
 * Computes the derived broker values and checks the cross-property rules. `values` holds every
 * broker property's typed value; `explicitlySet` the names supplied in some layer (Kafka's
 * `originals`), needed because setting both inter-broker properties is an error even to the default.
 */
export function deriveBrokerConfig(
  values: ReadonlyMap<string, ConfigValue>,
  options: { explicitlySet: ReadonlySet<string> },
): DerivedBrokerConfig {
  const get = <T extends ConfigValue>(name: string): T => values.get(name) as T;
  const warnings: string[] = [];

  const zkConnect = get<string | null>('zookeeper.connect');
  ensure(
    zkConnect !== null && zkConnect.trim() !== '',
    'Missing required configuration `zookeeper.connect` which has no default value.',
    'zookeeper.connect',
  );
  ensure(get<string[]>('process.roles').length === 0, 'process.roles must be empty: ts-kafka runs in ZooKeeper mode only.', 'process.roles');
  ensure(
    !get<boolean>('zookeeper.metadata.migration.enable'),
    'zookeeper.metadata.migration.enable is not supported: ts-kafka has no KRaft controller to migrate to.',
    'zookeeper.metadata.migration.enable',
  );

  const brokerId = get<number>('broker.id');
  if (get<boolean>('broker.id.generation.enable')) {
    ensure(
      brokerId >= -1 && brokerId <= get<number>('reserved.broker.max.id'),
      'broker.id must be greater than or equal to -1 and not greater than reserved.broker.max.id',
      'broker.id',
    );
  } else {
    ensure(brokerId >= 0, 'broker.id must be greater than or equal to 0', 'broker.id');
  }

  const logRollMs = get<number | null>('log.roll.ms') ?? HOUR_MS * get<number>('log.roll.hours');
  const logRollJitterMs = get<number | null>('log.roll.jitter.ms') ?? HOUR_MS * get<number>('log.roll.jitter.hours');
  const minutes = get<number | null>('log.retention.minutes');
  const retention = get<number | null>('log.retention.ms') ?? (minutes !== null ? MINUTE_MS * minutes : HOUR_MS * get<number>('log.retention.hours'));
  const logRetentionMs = retention < 0 ? -1 : retention;
  ensure(logRollMs >= 1, 'log.roll.ms must be greater than or equal to 1', 'log.roll.ms');
  ensure(logRollJitterMs >= 0, 'log.roll.jitter.ms must be greater than or equal to 0', 'log.roll.jitter.ms');
  ensure(logRetentionMs >= 1 || logRetentionMs === -1, 'log.retention.ms must be unlimited (-1) or, greater than or equal to 1', 'log.retention.ms');

  const logDirs = parseCsvList(get<string | null>('log.dirs') ?? get<string>('log.dir'));
  ensure(logDirs.length > 0, 'At least one log directory must be defined via log.dirs or log.dir.', 'log.dirs');

  const cleanerThreads = get<number>('log.cleaner.threads');
  ensure(
    cleanerThreads === 0 || get<number>('log.cleaner.dedupe.buffer.size') / cleanerThreads > 1024 * 1024,
    'log.cleaner.dedupe.buffer.size must be at least 1MB per cleaner thread.',
    'log.cleaner.dedupe.buffer.size',
  );
  const fetchWait = get<number>('replica.fetch.wait.max.ms');
  ensure(
    fetchWait <= get<number>('replica.socket.timeout.ms'),
    'replica.socket.timeout.ms should always be at least replica.fetch.wait.max.ms to prevent unnecessary socket timeouts',
    'replica.socket.timeout.ms',
  );
  ensure(
    fetchWait <= get<number>('replica.lag.time.max.ms'),
    'replica.fetch.wait.max.ms should always be less than or equal to replica.lag.time.max.ms to prevent frequent changes in ISR',
    'replica.fetch.wait.max.ms',
  );
  const commitAcks = get<number>('offsets.commit.required.acks');
  ensure(
    commitAcks >= -1 && commitAcks <= get<number>('offsets.topic.replication.factor'),
    'offsets.commit.required.acks must be greater or equal -1 and less or equal to offsets.topic.replication.factor',
    'offsets.commit.required.acks',
  );
  const queuedBytes = get<number>('queued.max.request.bytes');
  ensure(
    queuedBytes <= 0 || queuedBytes >= get<number>('socket.request.max.bytes'),
    'queued.max.request.bytes must be larger or equal to socket.request.max.bytes',
    'queued.max.request.bytes',
  );
  const maxConnectionsPerIpOverrides = parseConnectionOverrides(get<string>('max.connections.per.ip.overrides'));
  ensure(
    get<number>('max.connections.per.ip') !== 0 || maxConnectionsPerIpOverrides.size > 0,
    'max.connections.per.ip can be set to zero only if max.connections.per.ip.overrides property is set.',
    'max.connections.per.ip',
  );
  const protocols = get<string[]>('group.coordinator.rebalance.protocols');
  ensure(protocols.includes('classic'), "Disabling the 'classic' protocol is not supported.", 'group.coordinator.rebalance.protocols');
  for (const p of protocols.filter((p) => p !== 'classic')) {
    warnings.push(`The '${p}' rebalance protocol is not supported in ZooKeeper mode and is ignored.`);
  }

  const listenerSecurityProtocolMap = parseSecurityProtocolMap(get<string>('listener.security.protocol.map'));
  const listeners = parseListeners(get<string>('listeners'), { securityProtocolMap: listenerSecurityProtocolMap });
  const advertisedValue = get<string | null>('advertised.listeners');
  const advertisedListeners =
    advertisedValue === null
      ? listeners.map((l) => ({ ...l }))
      : parseListeners(advertisedValue, {
          securityProtocolMap: listenerSecurityProtocolMap,
          configName: 'advertised.listeners',
          requireDistinctPorts: false,
        });

  const { interBrokerListenerName, interBrokerSecurityProtocol } = interBrokerListener(values, listenerSecurityProtocolMap, options);
  const listenerNames = listeners.map((l) => l.name);
  const advertisedNames = advertisedListeners.map((l) => l.name);
  ensure(
    advertisedNames.includes(interBrokerListenerName),
    `inter.broker.listener.name must be a listener name defined in advertised.listeners. The valid options based on currently configured listeners are ${advertisedNames.join(',')}`,
    'inter.broker.listener.name',
  );
  ensure(
    advertisedNames.every((n) => listenerNames.includes(n)),
    `advertised.listeners listener names must be equal to or a subset of the ones defined in listeners. Found ${advertisedNames.join(',')}. The valid options based on the current configuration are ${listenerNames.join(',')}`,
    'advertised.listeners',
  );
  ensure(
    !advertisedListeners.some((l) => l.host === '0.0.0.0'),
    'advertised.listeners cannot use the nonroutable meta-address 0.0.0.0. Use a routable IP address.',
    'advertised.listeners',
  );

  const controlPlane = get<string | null>('control.plane.listener.name');
  const controlPlaneListenerName = controlPlane === null ? null : controlPlane.toUpperCase();
  if (controlPlaneListenerName !== null) {
    ensure(
      listenerSecurityProtocolMap.has(controlPlaneListenerName),
      `Listener with ${controlPlaneListenerName} defined in control.plane.listener.name not found in listener.security.protocol.map.`,
      'control.plane.listener.name',
    );
    ensure(
      advertisedNames.includes(controlPlaneListenerName),
      `control.plane.listener.name must be a listener name defined in advertised.listeners. The valid options based on currently configured listeners are ${advertisedNames.join(',')}`,
      'control.plane.listener.name',
    );
    ensure(
      controlPlaneListenerName !== interBrokerListenerName,
      `control.plane.listener.name, when defined, should have a different value from the inter broker listener name. Currently they both have the value ${controlPlaneListenerName}`,
      'control.plane.listener.name',
    );
  }

  if (interBrokerSecurityProtocol === SecurityProtocol.SASL_PLAINTEXT || interBrokerSecurityProtocol === SecurityProtocol.SASL_SSL) {
    ensure(
      get<string[]>('sasl.enabled.mechanisms').includes(get<string>('sasl.mechanism.inter.broker.protocol')),
      'sasl.mechanism.inter.broker.protocol must be included in sasl.enabled.mechanisms when SASL is used for inter-broker communication',
      'sasl.mechanism.inter.broker.protocol',
    );
  }

  return {
    listenerSecurityProtocolMap,
    listeners,
    advertisedListeners,
    interBrokerListenerName,
    interBrokerSecurityProtocol,
    controlPlaneListenerName,
    logDirs,
    logRollMs,
    logRollJitterMs,
    logRetentionMs,
    logFlushIntervalMs: get<number | null>('log.flush.interval.ms') ?? get<number>('log.flush.scheduler.interval.ms'),
    zookeeperConnectionTimeoutMs: get<number | null>('zookeeper.connection.timeout.ms') ?? get<number>('zookeeper.session.timeout.ms'),
    maxConnectionsPerIpOverrides,
    warnings,
  };
}

function interBrokerListener(
  values: ReadonlyMap<string, ConfigValue>,
  map: ReadonlyMap<string, SecurityProtocol>,
  options: { explicitlySet: ReadonlySet<string> },
): { interBrokerListenerName: string; interBrokerSecurityProtocol: SecurityProtocol } {
  const name = values.get('inter.broker.listener.name') as string | null;
  if (name !== null) {
    ensure(
      !options.explicitlySet.has('security.inter.broker.protocol'),
      'Only one of inter.broker.listener.name and security.inter.broker.protocol should be set.',
      'inter.broker.listener.name',
    );
    const listenerName = name.toUpperCase();
    const protocol = map.get(listenerName);
    if (protocol === undefined) {
      throw new ConfigException(
        `Listener with name ${listenerName} defined in inter.broker.listener.name not found in listener.security.protocol.map.`,
        { configName: 'inter.broker.listener.name', value: name },
      );
    }
    return { interBrokerListenerName: listenerName, interBrokerSecurityProtocol: protocol };
  }
  // The validator of security.inter.broker.protocol already restricted it to a SecurityProtocol name;
  // the listener of the same name is used.
  const protocol = values.get('security.inter.broker.protocol') as SecurityProtocol;
  return { interBrokerListenerName: protocol, interBrokerSecurityProtocol: protocol };
}
