/**
 * Auto-creation of topics named by Metadata requests (Kafka's AutoTopicCreationManager in ZooKeeper mode:
 * the receiving broker writes the topic znodes itself) with num.partitions and default.replication.factor.
 * Concurrent requests for the same topic share one creation attempt.
 */
import type { KafkaConfig } from '../config/broker-config';
import { ErrorCode } from '../protocol';
import type { ZkAdminManager } from './zk-admin-manager';
import { GROUP_METADATA_TOPIC_NAME, offsetsTopicSpec } from '../coordinator/group/offsets-topic';
import { offsetConfigFrom } from '../coordinator/group/group-config';

export class AutoTopicCreationManager {
  private readonly inflight = new Map<string, Promise<number>>();

  constructor(
    private readonly opts: {
      config: KafkaConfig;
      adminManager: ZkAdminManager;
      logger: { info(msg: string): void; warn(msg: string): void };
    },
  ) {}

  /** Creates the topics; resolves to each topic's error code (NONE when created). Does not wait for leaders. */
  async createTopics(names: string[]): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    await Promise.all(
      names.map(async (name) => {
        let p = this.inflight.get(name);
        if (!p) {
          p = this.createOne(name).finally(() => this.inflight.delete(name));
          this.inflight.set(name, p);
        }
        out.set(name, await p);
      }),
    );
    return out;
  }

  private async createOne(name: string): Promise<number> {
    // __consumer_offsets is created as FindCoordinator creates it (offsets.topic.* settings, compacted).
    const spec =
      name === GROUP_METADATA_TOPIC_NAME
        ? offsetsTopicSpec(offsetConfigFrom(this.opts.config))
        : { name, numPartitions: -1, replicationFactor: -1, assignments: [], configs: [] };
    const [result] = await this.opts.adminManager.createTopics(
      [spec],
      { validateOnly: false, timeoutMs: 0, includeConfigs: false },
    );
    if (result!.errorCode === ErrorCode.NONE) {
      this.opts.logger.info(`Auto creation of topic ${name} with ${result!.numPartitions} partitions and replication factor ${result!.replicationFactor} is successful`);
    } else if (result!.errorCode !== ErrorCode.TOPIC_ALREADY_EXISTS) {
      this.opts.logger.warn(`Auto creation of topic ${name} failed: ${result!.errorMessage}`);
    }
    return result!.errorCode;
  }
}
