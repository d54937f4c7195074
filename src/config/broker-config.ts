/**
 * KafkaConfig: the broker configuration of ZooKeeper-mode Kafka 3.9.
 *
 * Values come in layers, as in Kafka's DynamicBrokerConfig: per-broker dynamic config
 * (`/config/brokers/<id>`) > cluster-wide dynamic config (`/config/brokers/<default>`) > the static
 * `server.properties` (with `--override`s) > the table default. Every layer is validated by the same
 * table (BROKER_CONFIG_DEFS) through convict, and then by Kafka's cross-property rules. DescribeConfigs
 * entries (value, source, synonyms, read-only, sensitive) are computed as Kafka's ConfigHelper does.
 */
import { BrokerConfigAccessors } from './broker-config-accessors';
import {
  BROKER_CONFIG_DEFS, BROKER_CONFIGS, brokerConfigSynonyms, isPassThroughName, type BrokerConfigDefinition,
} from './broker-config-defs';
import { deriveBrokerConfig, type DerivedBrokerConfig } from './broker-config-rules';
import { DynamicMode } from './config-def';
import { ConfigException } from './config-exception';
import {
  ConfigType, configTypeId, parseConfigValue, type ConfigEntry, type ConfigSourceName, type ConfigSynonym, type ConfigValue,
} from './config-types';
import { validateLayers } from './convict-schema';
import type { Endpoint, SecurityProtocol } from './listeners';
import { loadPropertiesFile } from './properties';

type Props = Readonly<Record<string, string>>;

interface BrokerConfigState {
  values: Map<string, ConfigValue>;
  derived: DerivedBrokerConfig;
}

/** The canonical default text of every definition with a non-null default (Kafka's staticDefaultConfigs). */
const STATIC_DEFAULTS: Props = Object.fromEntries(
  BROKER_CONFIG_DEFS.filter((d) => d.default !== null).map((d) => [d.name, parseConfigValue(d, d.default).text ?? '']),
);

function knownOnly(props: Props, allowed: (def: BrokerConfigDefinition) => boolean): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(props)) {
    const def = BROKER_CONFIGS.get(name);
    if (def !== undefined && allowed(def)) out[name] = value;
  }
  return out;
}

const isDynamic = (def: BrokerConfigDefinition): boolean => def.dynamic !== DynamicMode.READ_ONLY;
const isClusterWide = (def: BrokerConfigDefinition): boolean => def.dynamic === DynamicMode.CLUSTER_WIDE;

function buildState(staticProps: Props, dynamicDefault: Props, dynamicBroker: Props): BrokerConfigState {
  const values = validateLayers(BROKER_CONFIG_DEFS, [
    knownOnly(staticProps, () => true),
    knownOnly(dynamicDefault, isClusterWide),
    knownOnly(dynamicBroker, isDynamic),
  ]);
  const explicitlySet = new Set([...Object.keys(staticProps), ...Object.keys(dynamicDefault), ...Object.keys(dynamicBroker)]);
  return { values, derived: deriveBrokerConfig(values, { explicitlySet }) };
}

function scalaSet(names: string[]): string {
  return `Set(${names.join(', ')})`;
}

/** Kafka's name checks of a dynamic update: read-only names, and per-broker names at the default level. */
function checkDynamicNames(props: Props, options: { perBroker: boolean }): void {
  const names = Object.keys(props);
  const readOnly = names.filter((n) => BROKER_CONFIGS.get(n)?.dynamic === DynamicMode.READ_ONLY);
  if (readOnly.length > 0) {
    throw new ConfigException(`Cannot update these configs dynamically: ${scalaSet(readOnly)}`, { configName: readOnly[0] });
  }
  if (!options.perBroker) {
    const perBroker = names.filter((n) => BROKER_CONFIGS.get(n)?.dynamic === DynamicMode.PER_BROKER || n.startsWith('listener.name.'));
    if (perBroker.length > 0) {
      throw new ConfigException(`Cannot update these configs at default cluster level, broker id must be specified: ${scalaSet(perBroker)}`, {
        configName: perBroker[0],
      });
    }
  }
}

/** Options of the KafkaConfig constructor. */
export interface KafkaConfigOptions {
  /** Per-broker dynamic config (`/config/brokers/<id>`). */
  dynamicBroker?: Props;
  /** Cluster-wide dynamic config (`/config/brokers/<default>`). */
  dynamicDefault?: Props;
  /** Warnings found while loading (unknown properties), reported with the config's own. */
  warnings?: readonly string[];
  /** The broker id in use when broker.id was -1 and an id was generated or read from meta.properties. */
  brokerId?: number;
}

/**
 * The validated broker configuration. Typed accessors (numPartitions, logDirs, listeners, ...) read
 * the current effective values; `get(name)` reads any property by its Kafka name.
 */
export class KafkaConfig extends BrokerConfigAccessors {
  /** Non-fatal findings (unknown properties, ignored settings), as Kafka would log them. */
  readonly warnings: readonly string[];
  readonly #static: Props;
  #dynamicDefault: Props;
  #dynamicBroker: Props;
  #state: BrokerConfigState;
  #brokerId: number | null;

  /**
   * Validates static properties (and optional dynamic layers). Throws ConfigException naming the
   * property at fault. Prefer loadBrokerConfig, which also reads the file and reports unknown names.
   */
  constructor(staticProperties: Props, options: KafkaConfigOptions = {}) {
    super();
    this.#static = { ...staticProperties };
    this.#dynamicDefault = { ...(options.dynamicDefault ?? {}) };
    this.#dynamicBroker = { ...(options.dynamicBroker ?? {}) };
    this.#state = buildState(this.#static, this.#dynamicDefault, this.#dynamicBroker);
    this.#brokerId = options.brokerId ?? null;
    this.warnings = [...(options.warnings ?? []), ...this.#state.derived.warnings];
  }

  /** The effective typed value of a broker property by Kafka name; throws for an unknown name. */
  get(name: string): ConfigValue {
    const value = this.#state.values.get(name);
    if (value === undefined) throw new ConfigException(`Unknown configuration '${name}'`, { configName: name });
    return Array.isArray(value) ? [...value] : value;
  }

  /** The definition of a broker property, if it is one. */
  definition(name: string): BrokerConfigDefinition | undefined {
    return BROKER_CONFIGS.get(name);
  }

  /** The broker id: broker.id, or the id given by withBrokerId when broker.id was -1. */
  get brokerId(): number {
    return this.#brokerId ?? this.num('broker.id');
  }

  /**
   * A copy of this config using a generated (or meta.properties) broker id. Call it during startup,
   * before the config is handed to other components. Like Kafka, DescribeConfigs keeps showing the
   * configured broker.id.
   */
  withBrokerId(brokerId: number): KafkaConfig {
    return new KafkaConfig(this.#static, {
      dynamicBroker: this.#dynamicBroker,
      dynamicDefault: this.#dynamicDefault,
      warnings: this.warnings.filter((w) => !this.#state.derived.warnings.includes(w)),
      brokerId,
    });
  }

  /**
   * Sets the broker id in use in place (Kafka's `config.brokerId = ...` after generating an id or
   * reading meta.properties). Like withBrokerId, it leaves the configured broker.id untouched.
   */
  setBrokerId(brokerId: number): void {
    this.#brokerId = brokerId;
  }

  // Derived values (Kafka's KafkaConfig getters that combine properties).

  /** `zookeeper.connect` (required). */
  get zookeeperConnect(): string { return this.str('zookeeper.connect'); }
  /** `zookeeper.connection.timeout.ms`, defaulting to the session timeout. */
  get zookeeperConnectionTimeoutMs(): number { return this.#state.derived.zookeeperConnectionTimeoutMs; }
  /** Parsed `listeners`. */
  get listeners(): Endpoint[] { return this.#state.derived.listeners.map((e) => ({ ...e })); }
  /** Parsed `advertised.listeners`, defaulting to `listeners`. */
  get advertisedListeners(): Endpoint[] { return this.#state.derived.advertisedListeners.map((e) => ({ ...e })); }
  /** Parsed `listener.security.protocol.map` (listener name → protocol). */
  get listenerSecurityProtocolMap(): Map<string, SecurityProtocol> { return new Map(this.#state.derived.listenerSecurityProtocolMap); }
  /** The inter-broker listener: inter.broker.listener.name, else the one named by security.inter.broker.protocol. */
  get interBrokerListenerName(): string { return this.#state.derived.interBrokerListenerName; }
  /** The security protocol of the inter-broker listener. */
  get interBrokerSecurityProtocol(): SecurityProtocol { return this.#state.derived.interBrokerSecurityProtocol; }
  /** `control.plane.listener.name`, upper-cased, or null. */
  get controlPlaneListenerName(): string | null { return this.#state.derived.controlPlaneListenerName; }
  /** `log.dirs`, falling back to `log.dir`. */
  get logDirs(): string[] { return [...this.#state.derived.logDirs]; }
  /** Segment roll time: `log.roll.ms`, else `log.roll.hours`. */
  get logRollMs(): number { return this.#state.derived.logRollMs; }
  /** Segment roll jitter: `log.roll.jitter.ms`, else `log.roll.jitter.hours`. */
  get logRollJitterMs(): number { return this.#state.derived.logRollJitterMs; }
  /** Retention time: `log.retention.ms` > `.minutes` > `.hours`; -1 = unlimited. */
  get logRetentionMs(): number { return this.#state.derived.logRetentionMs; }
  /** Flush interval: `log.flush.interval.ms`, else `log.flush.scheduler.interval.ms`. */
  get logFlushIntervalMs(): number { return this.#state.derived.logFlushIntervalMs; }
  /** `num.replica.alter.log.dirs.threads`, defaulting to the number of log dirs. */
  get numReplicaAlterLogDirsThreads(): number { return this.numOrNull('num.replica.alter.log.dirs.threads') ?? this.#state.derived.logDirs.length; }
  /** `log.message.timestamp.before.max.ms`, falling back to the deprecated `.difference.max.ms` when left at default. */
  get logMessageTimestampBeforeMaxMs(): number { return this.timestampBound('log.message.timestamp.before.max.ms'); }
  /** `log.message.timestamp.after.max.ms`, falling back to the deprecated `.difference.max.ms` when left at default. */
  get logMessageTimestampAfterMaxMs(): number { return this.timestampBound('log.message.timestamp.after.max.ms'); }
  /** Parsed `max.connections.per.ip.overrides` (host → limit). */
  get maxConnectionsPerIpOverrides(): Map<string, number> { return new Map(this.#state.derived.maxConnectionsPerIpOverrides); }

  private timestampBound(name: string): number {
    const value = this.num(name);
    return value !== Number.MAX_SAFE_INTEGER ? value : this.num('log.message.timestamp.difference.max.ms');
  }

  // Layers.

  /** The static properties as supplied (file, then overrides), including ones not in the table. */
  originals(): Record<string, string> {
    return { ...this.#static };
  }

  /** The per-broker dynamic layer currently applied. */
  dynamicBrokerConfigs(): Record<string, string> {
    return { ...this.#dynamicBroker };
  }

  /** The cluster-wide (`<default>`) dynamic layer currently applied. */
  dynamicDefaultConfigs(): Record<string, string> {
    return { ...this.#dynamicDefault };
  }

  /**
   * Checks a dynamic update as Kafka's DynamicBrokerConfig.validate does: read-only properties are
   * refused, per-broker properties are refused at the cluster-wide level, values must be valid, and
   * the resulting config must pass the cross-property rules. Unknown names are allowed (and ignored).
   */
  validateDynamic(props: Props, options: { perBroker: boolean }): void {
    checkDynamicNames(props, options);
    buildState(this.#static, options.perBroker ? this.#dynamicDefault : props, options.perBroker ? props : this.#dynamicBroker);
  }

  /**
   * Replaces both dynamic layers (as read from `/config/brokers/<id>` and `/config/brokers/<default>`).
   * Validates everything first and changes nothing if anything is invalid (throws ConfigException).
   * Returns the names whose effective value changed.
   */
  applyDynamic(perBroker: Props, clusterDefault: Props): string[] {
    checkDynamicNames(clusterDefault, { perBroker: false });
    checkDynamicNames(perBroker, { perBroker: true });
    const state = buildState(this.#static, clusterDefault, perBroker);
    const changed = BROKER_CONFIG_DEFS.map((d) => d.name).filter(
      (n) => JSON.stringify(state.values.get(n)) !== JSON.stringify(this.#state.values.get(n)),
    );
    this.#dynamicBroker = { ...perBroker };
    this.#dynamicDefault = { ...clusterDefault };
    this.#state = state;
    return changed;
  }

  // DescribeConfigs.

  /** The source layer and raw text of a property's effective value. */
  private effective(def: BrokerConfigDefinition): { raw: string | null; source: ConfigSourceName } {
    if (isDynamic(def) && def.name in this.#dynamicBroker) return { raw: this.#dynamicBroker[def.name], source: 'DYNAMIC_BROKER_CONFIG' };
    if (isClusterWide(def) && def.name in this.#dynamicDefault) return { raw: this.#dynamicDefault[def.name], source: 'DYNAMIC_DEFAULT_BROKER_CONFIG' };
    if (def.name in this.#static) return { raw: this.#static[def.name], source: 'STATIC_BROKER_CONFIG' };
    return { raw: def.default, source: 'DEFAULT_CONFIG' };
  }

  /** The effective value of a broker property printed as Kafka prints it (null if unset). */
  valueText(name: string): string | null {
    const def = BROKER_CONFIGS.get(name);
    if (def === undefined) throw new ConfigException(`Unknown configuration '${name}'`, { configName: name });
    return parseConfigValue(def, this.effective(def).raw).text;
  }

  /**
   * Kafka's ConfigHelper.configSynonyms for a broker property: every layer's value of `name` and its
   * synonyms, per-broker dynamic first and defaults last, dropping entries before `name` itself.
   */
  configSynonyms(name: string, options: { sensitive: boolean }): ConfigSynonym[] {
    const names = brokerConfigSynonyms(name);
    const layers: Array<[Props, ConfigSourceName]> = [
      [this.#dynamicBroker, 'DYNAMIC_BROKER_CONFIG'],
      [this.#dynamicDefault, 'DYNAMIC_DEFAULT_BROKER_CONFIG'],
      [this.#static, 'STATIC_BROKER_CONFIG'],
      [STATIC_DEFAULTS, 'DEFAULT_CONFIG'],
    ];
    const all: ConfigSynonym[] = [];
    for (const [layer, source] of layers) {
      for (const n of names) {
        if (Object.prototype.hasOwnProperty.call(layer, n)) all.push({ name: n, value: options.sensitive ? null : layer[n], source });
      }
    }
    const first = all.findIndex((s) => s.name === name);
    return first < 0 ? [] : all.slice(first);
  }

  /**
   * DescribeConfigs for this broker's resource (resource name = broker id), or with `clusterDefault`
   * for the cluster-wide resource (empty resource name: only the `<default>` dynamic configs).
   * `names` restricts the result (Kafka's configurationKeys); entries are sorted by name. As in the
   * request, `includeSynonyms: false` leaves synonyms empty and `includeDocumentation: false` leaves
   * documentation null (both default to true); the source is computed from the synonyms either way.
   */
  describe(
    options: { names?: readonly string[]; clusterDefault?: boolean; includeSynonyms?: boolean; includeDocumentation?: boolean } = {},
  ): ConfigEntry[] {
    const candidates = options.clusterDefault
      ? Object.keys(this.#dynamicDefault)
      : [
          ...BROKER_CONFIG_DEFS.filter((d) => !d.internal).map((d) => d.name),
          ...Object.keys(this.#static),
          ...Object.keys(this.#dynamicDefault),
          ...Object.keys(this.#dynamicBroker),
        ];
    const wanted = options.names === undefined || options.names.length === 0 ? null : new Set(options.names);
    const names = [...new Set(candidates)].filter((n) => wanted === null || wanted.has(n)).sort();
    return names.map((name) => {
      const entry = this.describeOne(name, options.clusterDefault ?? false);
      if (options.includeSynonyms === false) entry.synonyms = [];
      if (options.includeDocumentation === false) entry.documentation = null;
      return entry;
    });
  }

  private describeOne(name: string, clusterDefault: boolean): ConfigEntry {
    const def = BROKER_CONFIGS.get(name);
    const sensitive = def === undefined || def.type === ConfigType.PASSWORD;
    let value: string | null;
    if (sensitive) value = null;
    else if (clusterDefault) value = this.#dynamicDefault[name] ?? null;
    else value = def.internal && name in this.#static ? this.#static[name] : this.valueText(name);
    let synonyms = this.configSynonyms(name, { sensitive });
    if (clusterDefault) synonyms = synonyms.filter((s) => s.source === 'DYNAMIC_DEFAULT_BROKER_CONFIG');
    return {
      name,
      value,
      source: synonyms[0]?.source ?? 'DEFAULT_CONFIG',
      readOnly: def === undefined || def.dynamic === DynamicMode.READ_ONLY,
      sensitive,
      type: configTypeId(def?.type),
      synonyms,
      documentation: def?.doc ?? null,
    };
  }
}

/** Options of loadBrokerConfig. Later sources win: file, then properties, then overrides. */
export interface LoadBrokerConfigOptions {
  /** Path of a server.properties file. */
  file?: string;
  /** Properties given programmatically. */
  properties?: Record<string, string>;
  /** `--override key=value` arguments of kafka-server-start (a missing `=value` means an empty value). */
  overrides?: readonly string[];
}

/** Parses `--override` arguments as Kafka's CommandLineUtils.parseKeyValueArgs. */
export function parseOverrides(overrides: readonly string[]): Record<string, string> {
  const props: Record<string, string> = {};
  for (const arg of overrides) {
    const eq = arg.indexOf('=');
    if (eq === 0) throw new ConfigException(`Invalid command line property: ${arg}`);
    if (eq < 0) props[arg] = '';
    else props[arg.slice(0, eq)] = arg.slice(eq + 1);
  }
  return props;
}

/**
 * Loads the static broker configuration: reads `server.properties`, applies programmatic properties
 * and `--override`s (an override wins, as in Kafka), and validates. A property that is not a known
 * broker config becomes a warning (`config.warnings`); an invalid value throws ConfigException.
 */
export function loadBrokerConfig(options: LoadBrokerConfigOptions): KafkaConfig {
  const props: Record<string, string> = {
    ...(options.file !== undefined ? loadPropertiesFile(options.file) : {}),
    ...(options.properties ?? {}),
    ...parseOverrides(options.overrides ?? []),
  };
  const warnings = Object.keys(props)
    .filter((name) => !BROKER_CONFIGS.has(name) && !isPassThroughName(name))
    .map((name) => `The configuration '${name}' was supplied but isn't a known config.`);
  return new KafkaConfig(props, { warnings });
}
