/**
 * The `__consumer_offsets` topic: which of its partitions holds a group (Kafka's
 * GroupMetadataManager.partitionFor: `Utils.abs(groupId.hashCode) % offsets.topic.num.partitions`, with
 * Java's String.hashCode), the configs it is created with, and its creation on the first FindCoordinator
 * (Kafka's AutoTopicCreationManager for internal topics).
 *
 * Creation follows Kafka's rule: offsets.topic.num.partitions partitions, offsets.topic.replication.factor
 * replicas — refused while fewer brokers are alive (FindCoordinator answers COORDINATOR_NOT_AVAILABLE and
 * the client retries) — with cleanup.policy=compact, segment.bytes=offsets.topic.segment.bytes and
 * compression.type=producer.
 */
import { ErrorCode } from '../../protocol';
import type { CreatableTopicSpec, CreateTopicResult } from '../../server/zk-admin-manager';
import type { OffsetConfig } from './group-config';

export const GROUP_METADATA_TOPIC_NAME = '__consumer_offsets';

/** Java's String.hashCode over UTF-16 code units, as a signed 32-bit int. */
export function javaStringHashCode(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}

/** Kafka's Utils.abs: Math.abs, except that Integer.MIN_VALUE maps to 0. */
export function kafkaAbs(n: number): number {
  return n === -2147483648 ? 0 : Math.abs(n);
}

/** The `__consumer_offsets` partition of a group. */
export function partitionFor(groupId: string, numPartitions: number): number {
  return kafkaAbs(javaStringHashCode(groupId)) % numPartitions;
}

/** The topic configs `__consumer_offsets` is created with (GroupCoordinator.offsetsTopicConfigs). */
export function offsetsTopicConfigs(config: Pick<OffsetConfig, 'offsetsTopicSegmentBytes'>): { name: string; value: string }[] {
  return [
    { name: 'cleanup.policy', value: 'compact' },
    { name: 'segment.bytes', value: String(config.offsetsTopicSegmentBytes) },
    { name: 'compression.type', value: 'producer' },
  ];
}

/** The CreateTopics spec of `__consumer_offsets`. */
export function offsetsTopicSpec(config: OffsetConfig): CreatableTopicSpec {
  return {
    name: GROUP_METADATA_TOPIC_NAME,
    numPartitions: config.offsetsTopicNumPartitions,
    replicationFactor: config.offsetsTopicReplicationFactor,
    assignments: [],
    configs: offsetsTopicConfigs(config),
  };
}

/** What the creator needs of the admin manager (ZkAdminManager fits). */
export interface TopicCreator {
  createTopics(
    topics: CreatableTopicSpec[],
    opts: { validateOnly: boolean; timeoutMs: number; includeConfigs: boolean },
  ): Promise<CreateTopicResult[]>;
}

/**
 * Creates `__consumer_offsets` on demand; concurrent FindCoordinator requests share one attempt. Does not
 * wait for leaders: until the controller elected them, FindCoordinator keeps answering
 * COORDINATOR_NOT_AVAILABLE.
 */
export class OffsetsTopicCreator {
  private inflight: Promise<number> | null = null;

  constructor(
    private readonly opts: {
      adminManager: TopicCreator;
      config: OffsetConfig;
      logger: { info(msg: string): void; warn(msg: string): void };
    },
  ) {}

  /** Starts (or joins) creation; resolves to the error code (NONE when created, or already there). */
  create(): Promise<number> {
    if (!this.inflight) this.inflight = this.createOnce().finally(() => (this.inflight = null));
    return this.inflight;
  }

  private async createOnce(): Promise<number> {
    const [result] = await this.opts.adminManager.createTopics([offsetsTopicSpec(this.opts.config)], {
      validateOnly: false,
      timeoutMs: 0,
      includeConfigs: false,
    });
    const code = result?.errorCode ?? ErrorCode.UNKNOWN_SERVER_ERROR;
    if (code === ErrorCode.NONE) {
      this.opts.logger.info(
        `Auto creation of topic ${GROUP_METADATA_TOPIC_NAME} with ${this.opts.config.offsetsTopicNumPartitions} partitions and ` +
          `replication factor ${this.opts.config.offsetsTopicReplicationFactor} is successful`,
      );
      return code;
    }
    if (code === ErrorCode.TOPIC_ALREADY_EXISTS) return ErrorCode.NONE;
    this.opts.logger.warn(`Auto creation of topic ${GROUP_METADATA_TOPIC_NAME} failed: ${result?.errorMessage ?? 'unknown error'}`);
    return code;
  }
}
