/**
 * /brokers/seqid (Kafka's BrokerSequenceIdZNode): no data. A broker generates an id by a setData on it
 * (any version) and adding `reserved.broker.max.id` to the returned dataVersion.
 */
export const BrokerSequenceIdZNode = {
  path: (): string => '/brokers/seqid',
} as const;
