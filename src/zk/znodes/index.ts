/**
 * One module per znode, each with Kafka's `path(...)`, `encode(...)` and `decode(...)` (ZkData.scala), and the
 * persistent paths a broker creates at startup.
 */
export * from './broker-ids';
export * from './broker-sequence-id';
export * from './cluster-id';
export * from './config-change-notification';
export * from './config-entity';
export * from './consumer-offset';
export * from './controller';
export * from './controller-epoch';
export * from './delete-topics';
export * from './feature';
export * from './isr-change-notification';
export * from './log-dir-event-notification';
export * from './preferred-replica-election';
export * from './producer-id-block';
export * from './reassign-partitions';
export * from './topic-partition-state';
export * from './topic-partitions';
export * from './topics';

/**
 * The persistent nodes (no data) a broker makes sure exist at startup, in the order of the reference layout.
 */
export const PersistentZkPaths: readonly string[] = [
  '/consumers',
  '/brokers/ids',
  '/brokers/topics',
  '/brokers/seqid',
  '/config/changes',
  '/config/topics',
  '/config/clients',
  '/config/users',
  '/config/brokers',
  '/config/ips',
  '/admin/delete_topics',
  '/isr_change_notification',
  '/latest_producer_id_block',
  '/log_dir_event_notification',
];
