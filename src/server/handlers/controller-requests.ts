/**
 * Helpers shared by the handlers of the controller's requests (LeaderAndIsr, UpdateMetadata, StopReplica).
 */

/**
 * A controller request is stale when it names an epoch of this broker older than the current one: it was
 * meant for this broker's previous ZooKeeper session. -1 means the controller did not say (older versions).
 */
export function isBrokerEpochStale(requestBrokerEpoch: number, currentBrokerEpoch: number): boolean {
  return requestBrokerEpoch !== -1 && requestBrokerEpoch < currentBrokerEpoch;
}

const SECURITY_PROTOCOLS = ['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'] as const;

/** Kafka's SecurityProtocol ids: 0 PLAINTEXT, 1 SSL, 2 SASL_PLAINTEXT, 3 SASL_SSL. */
export function securityProtocolName(id: number): string {
  return SECURITY_PROTOCOLS[id] ?? `UNKNOWN(${id})`;
}

export function securityProtocolId(name: string): number {
  const i = SECURITY_PROTOCOLS.indexOf(name as (typeof SECURITY_PROTOCOLS)[number]);
  if (i < 0) throw new Error(`Unknown security protocol ${name}`);
  return i;
}
