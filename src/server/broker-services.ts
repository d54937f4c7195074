/**
 * What the API handlers may use: the broker's services, injected once by KafkaServer. Handlers reach the
 * log, ZooKeeper and the controller only through these services, never directly.
 */
import type { KafkaConfig } from '../config/broker-config';
import type { MetadataCache } from '../metadata/metadata-cache';
import type { ReplicaManager } from '../replica/replica-manager';
import type { ApiVersionRange } from './request-dispatcher';
import type { ZkAdminManager } from './zk-admin-manager';
import type { AutoTopicCreationManager } from './auto-topic-creation-manager';
import type { KafkaController } from '../controller/kafka-controller';
import type { GroupCoordinator } from '../coordinator/group/group-coordinator';

export interface BrokerServices {
  readonly brokerId: number;
  readonly clusterId: string;
  readonly config: KafkaConfig;
  readonly metadataCache: MetadataCache;
  readonly replicaManager: ReplicaManager;
  readonly adminManager: ZkAdminManager;
  readonly autoTopicCreation: AutoTopicCreationManager;
  readonly groupCoordinator: GroupCoordinator;
  /** Whether this broker is the active controller (CreateTopics/DeleteTopics are served only there). */
  isActiveController(): boolean;
  /** This broker's controller component (active or not); undefined before startup finished. */
  controller(): KafkaController | undefined;
  /** The version ranges this broker serves (ApiVersions). */
  apiVersions(): ApiVersionRange[];
  /** dataVersion of /feature, or -1 when unknown (ApiVersions FinalizedFeaturesEpoch). */
  finalizedFeaturesEpoch(): number;
}

/** Kafka's internal topics: clients may not produce to them and Metadata flags them. */
export const INTERNAL_TOPICS: ReadonlySet<string> = new Set(['__consumer_offsets', '__transaction_state']);

/** Integer.MIN_VALUE: "authorized operations not requested" in Metadata and DescribeGroups. */
export const AUTHORIZED_OPERATIONS_OMITTED = -2147483648;

/**
 * Authorized operations without an authorizer: every operation the resource type supports (Kafka's
 * AclOperation codes as bits). Topic: READ, WRITE, CREATE, DELETE, ALTER, DESCRIBE, DESCRIBE_CONFIGS,
 * ALTER_CONFIGS. Cluster: CREATE, ALTER, DESCRIBE, CLUSTER_ACTION, DESCRIBE_CONFIGS, ALTER_CONFIGS,
 * IDEMPOTENT_WRITE.
 */
export const ALL_TOPIC_OPERATIONS = [3, 4, 5, 6, 7, 8, 10, 11].reduce((bits, op) => bits | (1 << op), 0);
export const ALL_CLUSTER_OPERATIONS = [5, 7, 8, 9, 10, 11, 12].reduce((bits, op) => bits | (1 << op), 0);
