/**
 * The ZooKeeper side of Kafka's DynamicBrokerConfig (KIP-226): reading `/config/brokers/<default>` and
 * `/config/brokers/<id>` into the broker's KafkaConfig.
 *
 * What is stored is filtered as Kafka's fromPersistentProps does before it is applied: values that do not
 * parse for their config are dropped, read-only configs are dropped ("Non-dynamic configs configured in
 * ZooKeeper will be ignored"), and per-broker configs at the cluster-default level are dropped. What is
 * left replaces the layer; if the whole no longer passes the broker's cross-property rules the update is
 * refused and logged, and the broker keeps its previous configuration, as Kafka does. ts-kafka has no
 * dynamic password configs, so nothing is decoded with password.encoder.secret.
 */
import type { Logger } from '../../common/logger';
import type { KafkaConfig } from '../../config/broker-config';
import { BROKER_CONFIGS } from '../../config/broker-config-defs';
import { DynamicMode } from '../../config/config-def';
import { parseConfigValue } from '../../config/config-types';
import type { KafkaZkClient } from '../../zk/kafka-zk-client';
import { ConfigEntityDefault, ConfigType } from '../../zk/znodes';

type Props = Readonly<Record<string, string>>;

const LISTENER_PREFIXED = /^listener\.name\.[^.]+\.(.+)$/;

function scalaSet(names: readonly string[]): string {
  return `Set(${names.join(', ')})`;
}

/**
 * Kafka's DynamicBrokerConfig.validateConfigTypes for one property: a known broker config (listener
 * prefixes stripped) must parse and pass its validator; unknown names are not checked.
 * @throws ConfigException with Kafka's message
 */
export function validateBrokerConfigType(name: string, value: string): void {
  const base = LISTENER_PREFIXED.exec(name)?.[1] ?? name;
  const def = BROKER_CONFIGS.get(base);
  if (def === undefined) return;
  const parsed = parseConfigValue(def, value);
  if (parsed.value !== null) def.validator?.ensureValid(def, parsed.value);
}

/**
 * Kafka's DynamicBrokerConfig.fromPersistentProps: the stored overrides of a broker entity with the
 * entries the broker ignores removed (each removal is logged at ERROR, with Kafka's wording).
 */
export function fromPersistentProps(persistent: Props, options: { perBroker: boolean; logger: Pick<Logger, 'error'> }): Record<string, string> {
  const { perBroker, logger } = options;
  const props: Record<string, string> = { ...persistent };
  const invalid: string[] = [];
  let firstError: unknown;
  for (const [name, value] of Object.entries(props)) {
    try {
      validateBrokerConfigType(name, value);
    } catch (e) {
      invalid.push(name);
      firstError ??= e;
    }
  }
  if (invalid.length > 0) {
    for (const name of invalid) delete props[name];
    const source = perBroker ? 'broker' : 'default cluster';
    logger.error(`Dynamic ${source} config contains invalid values in: ${scalaSet(invalid)}, these configs will be ignored`, firstError);
  }
  const remove = (names: string[], message: string) => {
    if (names.length === 0) return;
    for (const name of names) delete props[name];
    logger.error(`${message}: ${scalaSet(names)}`);
  };
  remove(
    Object.keys(props).filter((n) => BROKER_CONFIGS.get(n)?.dynamic === DynamicMode.READ_ONLY),
    'Non-dynamic configs configured in ZooKeeper will be ignored',
  );
  if (!perBroker) {
    remove(
      Object.keys(props).filter((n) => BROKER_CONFIGS.get(n)?.dynamic === DynamicMode.PER_BROKER || LISTENER_PREFIXED.test(n)),
      'Per-broker configs defined at default cluster level will be ignored',
    );
  }
  return props;
}

/**
 * Replaces one dynamic layer of `config` with the stored overrides of `/config/brokers/<default>`
 * (`layer: 'default'`) or `/config/brokers/<id>` (`layer: 'broker'`). Returns the names whose effective
 * value changed; an update the broker cannot take is logged and changes nothing (returns []).
 */
export function updateDynamicBrokerConfig(
  config: KafkaConfig,
  persistent: Props,
  options: { layer: 'broker' | 'default'; logger: Logger },
): string[] {
  const { layer, logger } = options;
  const perBroker = layer === 'broker';
  try {
    const props = fromPersistentProps(persistent, { perBroker, logger });
    const changed = perBroker
      ? config.applyDynamic(props, config.dynamicDefaultConfigs())
      : config.applyDynamic(config.dynamicBrokerConfigs(), props);
    if (changed.length > 0) logger.info(`Updated dynamic ${perBroker ? 'per-broker' : 'cluster default'} configs: ${changed.join(', ')}`);
    return changed;
  } catch (e) {
    const keys = Object.keys(persistent).join(', ');
    logger.error(
      perBroker ? `Per-broker configs of ${config.brokerId} could not be applied: ${keys}` : `Cluster default configs could not be applied: ${keys}`,
      e,
    );
    return [];
  }
}

/**
 * Kafka's DynamicBrokerConfig.initialize: loads `/config/brokers/<default>` and then
 * `/config/brokers/<id>` into `config`. Run after the broker id is known and before the logs load, so
 * that the logs and DescribeConfigs see the dynamic values from the start.
 */
export async function initializeDynamicBrokerConfig(config: KafkaConfig, zkClient: KafkaZkClient, logger: Logger): Promise<void> {
  const clusterDefault = await zkClient.fetchEntityConfig(ConfigType.BROKER, ConfigEntityDefault);
  updateDynamicBrokerConfig(config, clusterDefault, { layer: 'default', logger });
  const perBroker = await zkClient.fetchEntityConfig(ConfigType.BROKER, String(config.brokerId));
  updateDynamicBrokerConfig(config, perBroker, { layer: 'broker', logger });
}
