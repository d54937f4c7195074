/**
 * kafka-topics through `--zookeeper`: the ZooKeeper-based TopicCommand of Kafka 2.x
 * (ZookeeperTopicService), writing and reading ZooKeeper directly with the project's ZooKeeper layer —
 * no broker involved. Create writes /config/topics/<t> then /brokers/topics/<t> (Kafka's replica
 * placement over the registered brokers, rack-aware unless --disable-rack-aware); delete creates
 * /admin/delete_topics/<t>; alter --partitions rewrites the topic's assignment (the controller then
 * creates the new partitions); describe reads the assignment (with the replicas a reassignment is adding
 * and removing) and the partition state znodes.
 * Output lines are those of Kafka 3.9's tool, so both back-ends print the same thing.
 */

import { validateTopicConfigs } from '../config/log-config-builder';
import { RackAwareMode, type AdminZkClientOptions } from '../zk/admin-zk-client';
import { KafkaZkClient } from '../zk/kafka-zk-client';
import type { ReplicaAssignment } from '../zk/zk-types';
import {
  AdminCommandError,
  DescribeOptions,
  IllegalArgumentError,
  ensureTopicExists,
  filterTopics,
  isInternalTopic,
  printTopicAndPartitions,
  replicationFactorOf,
  type OngoingReassignment,
} from './topic-command-support';
import type { TopicCommandRequest, TopicService } from './topic-service-admin';
import type { ToolIO } from './tool-support';

/**
 * The ongoing reassignment of a partition from its topic znode: the controller keeps the replicas being
 * added and removed there (`adding_replicas` / `removing_replicas`) until the move completes, for
 * reassignments submitted through the API and through /admin/reassign_partitions alike; they are what
 * its ListPartitionReassignments answers. Kafka 2.x's ZooKeeper-mode describe printed none.
 */
function reassignmentOf(a: ReplicaAssignment): OngoingReassignment | null {
  if (a.addingReplicas.length === 0 && a.removingReplicas.length === 0) return null;
  return { replicas: a.replicas, addingReplicas: a.addingReplicas, removingReplicas: a.removingReplicas };
}

/**
 * The ZooKeeper client of the `--zookeeper` tools: 30 s session and connection timeouts, as Kafka's tools
 * use, and no chroot created; `options` are the tool's own checks.
 */
export function connectToolZkClient(zkConnect: string, options: AdminZkClientOptions): Promise<KafkaZkClient> {
  return KafkaZkClient.connect({ connectString: zkConnect, sessionTimeoutMs: 30_000, connectionTimeoutMs: 30_000, createChroot: false, ...options });
}

/** kafka-topics over ZooKeeper. */
export class ZooKeeperTopicService implements TopicService {
  private constructor(
    private readonly io: ToolIO,
    private readonly zk: KafkaZkClient,
  ) {}

  /** Connects to ZooKeeper (30 s session and connection timeouts, as Kafka's tool). */
  static async connect(io: ToolIO, zkConnect: string): Promise<ZooKeeperTopicService> {
    const zk = await connectToolZkClient(zkConnect, { validateTopicConfigs: (configs) => validateTopicConfigs(configs) });
    return new ZooKeeperTopicService(io, zk);
  }

  async createTopic(req: TopicCommandRequest): Promise<void> {
    const name = req.topic!;
    try {
      if (req.replicaAssignment) {
        await this.zk.createTopicWithAssignment(name, req.configs, new Map(req.replicaAssignment.map((r, i) => [i, r])));
      } else {
        await this.zk.createTopic(name, {
          partitions: req.partitions!,
          replicationFactor: req.replicationFactor!,
          config: req.configs,
          rackAwareMode: req.disableRackAware ? RackAwareMode.Disabled : RackAwareMode.Enforced,
        });
      }
    } catch (err) {
      if ((err as { code?: unknown }).code === 36 && req.ifNotExists) return;
      throw err;
    }
    this.io.out(`Created topic ${name}.\n`);
  }

  async listTopics(req: TopicCommandRequest): Promise<void> {
    const topics = await this.getTopics(req.topic, req.excludeInternal);
    for (const topic of topics) {
      if (await this.zk.isTopicMarkedForDeletion(topic)) this.io.out(`${topic} - marked for deletion\n`);
      else this.io.out(`${topic}\n`);
    }
  }

  async alterTopic(req: TopicCommandRequest): Promise<void> {
    const topics = await this.getTopics(req.topic, req.excludeInternal);
    ensureTopicExists(topics, { requested: req.topic, requireExists: !req.ifExists });
    for (const topic of topics) {
      if (Object.keys(req.configs).length > 0 || req.deleteConfigs.length > 0) {
        this.io.out('WARNING: Altering topic configuration from this script has been deprecated and may be removed in future releases.\n');
        this.io.out('         Going forward, please use kafka-configs.sh for this functionality\n');
        const configs = { ...(await this.zk.fetchEntityConfig('topics', topic)), ...req.configs };
        for (const name of req.deleteConfigs) delete configs[name];
        await this.zk.changeTopicConfig(topic, configs);
        this.io.out(`Updated config for topic ${topic}.\n`);
      }
      if (req.partitions !== undefined) {
        if (isInternalTopic(topic)) {
          throw new IllegalArgumentError(`The number of partitions for the internal topic ${topic} cannot be changed.`);
        }
        this.io.out(
          'WARNING: If partitions are increased for a topic that has a key, the partition logic or ordering of the messages will be affected\n',
        );
        const [existing] = await this.zk.getReplicaAssignmentAndTopicIdForTopics([topic]);
        if (!existing || existing.assignment.size === 0) {
          throw new AdminCommandError(`The topic ${topic} does not exist`, 'org.apache.kafka.common.errors.InvalidTopicException');
        }
        const added = req.replicaAssignment
          ? new Map(req.replicaAssignment.map((r, i) => [i, r] as const).slice(existing.assignment.size))
          : undefined;
        await this.zk.addPartitions(topic, {
          existingAssignment: existing.assignment,
          allBrokers: await this.zk.getBrokerMetadatas(req.disableRackAware ? RackAwareMode.Disabled : RackAwareMode.Enforced),
          numPartitions: req.partitions,
          replicaAssignment: added !== undefined && added.size > 0 ? added : undefined,
        });
        this.io.out('Adding partitions succeeded!\n');
      }
    }
  }

  async describeTopic(req: TopicCommandRequest): Promise<void> {
    const topics = await this.getTopics(req.topic, req.excludeInternal);
    ensureTopicExists(topics, { requested: req.topic, requireExists: !req.ifExists });
    const live = new Set((await this.zk.getAllBrokersInCluster()).map((b) => b.id));
    const describe = new DescribeOptions(req.filters, live);
    for (const topic of topics) {
      const [assigned] = await this.zk.getReplicaAssignmentAndTopicIdForTopics([topic]);
      if (!assigned || assigned.assignment.size === 0) {
        this.io.out(`Topic ${topic} doesn't exist!\n`);
        continue;
      }
      const markedForDeletion = await this.zk.isTopicMarkedForDeletion(topic);
      const overrides = await this.zk.fetchEntityConfig('topics', topic);
      const partitionIds = [...assigned.assignment.keys()].sort((a, b) => a - b);
      const states = new Map(
        (await this.zk.getTopicPartitionStates(partitionIds.map((partition) => ({ topic, partition })))).map((s) => [
          s.partition.partition,
          s.state.leaderAndIsr,
        ]),
      );
      const first = assigned.assignment.get(partitionIds[0]!)!;
      const minIsr = overrides['min.insync.replicas'] !== undefined ? Number(overrides['min.insync.replicas']) : undefined;
      printTopicAndPartitions(this.io, {
        options: describe,
        topic: {
          topic,
          topicId: assigned.topicId,
          numPartitions: assigned.assignment.size,
          replicationFactor: replicationFactorOf(first.replicas, reassignmentOf(first)),
          configs: Object.entries(overrides).map(([name, value]) => ({ name, value })),
          markedForDeletion,
        },
        partitions: partitionIds.map((partition) => {
          const state = states.get(partition);
          return {
            topic,
            partition,
            leader: state && state.leader >= 0 ? state.leader : null,
            replicas: [...assigned.assignment.get(partition)!.replicas],
            isr: state ? [...state.isr] : [],
            markedForDeletion,
            minIsr,
            reassignment: reassignmentOf(assigned.assignment.get(partition)!),
          };
        }),
      });
    }
  }

  async deleteTopic(req: TopicCommandRequest): Promise<void> {
    const topics = await this.getTopics(req.topic, req.excludeInternal);
    ensureTopicExists(topics, { requested: req.topic, requireExists: !req.ifExists });
    for (const topic of topics) {
      if (isInternalTopic(topic)) {
        throw new AdminCommandError(
          `Topic ${topic} is a kafka internal topic and is not allowed to be marked for deletion.`,
          'kafka.admin.AdminOperationException',
        );
      }
      if (await this.zk.markTopicForDeletion(topic)) {
        this.io.out(`Topic ${topic} is marked for deletion.\n`);
        this.io.out('Note: This will have no impact if delete.topic.enable is not set to true.\n');
      } else {
        this.io.out(`Topic ${topic} is already marked for deletion.\n`);
      }
    }
  }

  async close(): Promise<void> {
    await this.zk.close();
  }

  private async getTopics(include: string | undefined, excludeInternal: boolean): Promise<string[]> {
    return filterTopics(await this.zk.getAllTopicsInCluster(), { include, excludeInternal });
  }
}
