/**
 * KafkaZkClient: every verb a broker, its controller and its admin paths use on ZooKeeper, over one
 * ZkSession (Kafka's KafkaZkClient plus AdminZkClient, 3.9).
 *
 * The verbs are layered by theme so that no file grows too large; each layer extends the previous one:
 *   ZkClientBase      generic reads/writes and controller-epoch fencing       (zk-client-base.ts)
 *   KafkaZkQueues     legacy admin requests and the controller's queues       (kafka-zk-queues.ts)
 *   KafkaZkConfigs    entity configs, change notifications, /feature,
 *                     producer-id blocks, legacy offsets                      (kafka-zk-configs.ts)
 *   KafkaZkCore       bootstrap, brokers, controller election, partition
 *                     states, topics                                          (kafka-zk-core.ts)
 *   AdminZkClient     topic creation/deletion marking, config changes        (admin-zk-client.ts)
 * In Kafka AdminZkClient wraps a KafkaZkClient; here it is a layer of it, so any component holding the
 * client can run admin verbs.
 */
import { AdminZkClient, type AdminZkClientOptions } from './admin-zk-client';
import { ZkSession, type ZkSessionOptions } from './zk-session';
import type { BrokerInfo } from './zk-types';

export type { KafkaZkClientOptions } from './kafka-zk-configs';
export type { ControllerEpochAndZkVersion, CreatePartitionStateResult, UpdateLeaderAndIsrOutcome } from './kafka-zk-core';
export { RackAwareMode, type AdminZkClientOptions } from './admin-zk-client';

/** What a broker registers in /brokers/ids/<id> (alias of BrokerInfo). */
export type BrokerRegistrationInfo = BrokerInfo;

/** The broker's ZooKeeper client. */
export class KafkaZkClient extends AdminZkClient {
  /** Opens a session (creating a missing chroot) and wraps it. */
  static async connect(options: ZkSessionOptions & AdminZkClientOptions): Promise<KafkaZkClient> {
    return new KafkaZkClient(await ZkSession.connect(options), options);
  }

  constructor(session: ZkSession, options: AdminZkClientOptions = {}) {
    super(session, options);
  }

  /** Closes the session: this broker's ephemeral nodes disappear at once. */
  async close(): Promise<void> {
    await this.session.close();
  }
}
