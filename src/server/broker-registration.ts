/**
 * What this broker publishes in /brokers/ids/<id>: its advertised listeners (an empty host becomes the
 * canonical local host name, port 0 the port actually bound), the security protocol of each, and its rack.
 */
import os from 'node:os';
import type { KafkaConfig } from '../config/broker-config';
import type { BrokerRegistrationInfo } from '../zk/kafka-zk-client';

export function brokerRegistration(
  config: KafkaConfig,
  brokerId: number,
  boundPort: (listenerName: string) => number | undefined,
): BrokerRegistrationInfo {
  const endpoints = config.advertisedListeners.map((l) => ({
    listenerName: l.name,
    host: l.host === null || l.host === '' ? os.hostname() : l.host,
    port: l.port === 0 ? (boundPort(l.name) ?? 0) : l.port,
    securityProtocol: l.securityProtocol,
  }));
  return { id: brokerId, endpoints, rack: config.brokerRack, jmxPort: -1 };
}
