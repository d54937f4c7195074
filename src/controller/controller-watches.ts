/**
 * The controller's ZooKeeper change handlers (Kafka's ControllerChangeHandler, BrokerChangeHandler,
 * BrokerModificationsHandler, TopicChangeHandler, PartitionModificationsHandler, TopicDeletionHandler,
 * PreferredReplicaElectionHandler, IsrChangeNotificationHandler, PartitionReassignmentHandler and, for each partition
 * being reassigned, PartitionReassignmentIsrChangeHandler on its state znode, as Kafka does below IBP 2.7).
 *
 * Each handler only enqueues a controller event. Registering a handler does not arm a watch: watches are armed
 * by the reads that follow (getChildren/getData/exists with `watch`), and re-armed by the reads each event does,
 * exactly as in Kafka.
 */
import type { ZkSession } from '../zk/zk-session';
import {
  BrokerIdZNode,
  BrokerIdsZNode,
  ControllerZNode,
  DeleteTopicsZNode,
  IsrChangeNotificationZNode,
  PreferredReplicaElectionZNode,
  ReassignPartitionsZNode,
  TopicPartitionStateZNode,
  TopicZNode,
  TopicsZNode,
} from '../zk/znodes';
import type { ControllerEvent } from './controller-events';
import { type TopicPartition, partitionKey } from './controller-types';

export const ControllerPaths = {
  controller: ControllerZNode.path(),
  brokerIds: BrokerIdsZNode.path(),
  topics: TopicsZNode.path(),
  deleteTopics: DeleteTopicsZNode.path(),
  preferredReplicaElection: PreferredReplicaElectionZNode.path(),
  isrChangeNotification: IsrChangeNotificationZNode.path(),
  reassignPartitions: ReassignPartitionsZNode.path(),
} as const;

/** Registers and unregisters the controller's handlers on a session. */
export class ControllerWatches {
  private readonly brokerModifications = new Set<number>();
  private readonly partitionModifications = new Set<string>();
  /** State znode paths watched for partitions being reassigned, by partition key. */
  private readonly reassignmentIsrChanges = new Map<string, string>();

  constructor(private readonly session: ZkSession, private readonly put: (event: ControllerEvent) => void) {}

  /** /controller: created or changed -> ControllerChange, deleted -> Reelect. Every broker has it. */
  registerControllerChangeHandler(): void {
    this.session.registerZNodeChangeHandler(ControllerPaths.controller, {
      onCreate: () => this.put({ type: 'ControllerChange' }),
      onDataChange: () => this.put({ type: 'ControllerChange' }),
      onDelete: () => this.put({ type: 'Reelect' }),
    });
  }

  unregisterControllerChangeHandler(): void {
    this.session.unregisterZNodeChangeHandler(ControllerPaths.controller);
  }

  /** The handlers an active controller installs on failover (before it reads the cluster state). */
  registerFailoverHandlers(): void {
    this.session.registerZNodeChildChangeHandler(ControllerPaths.brokerIds, () => this.put({ type: 'BrokerChange' }));
    this.session.registerZNodeChildChangeHandler(ControllerPaths.topics, () => this.put({ type: 'TopicChange' }));
    this.session.registerZNodeChildChangeHandler(ControllerPaths.deleteTopics, () => this.put({ type: 'TopicDeletion' }));
    this.session.registerZNodeChildChangeHandler(ControllerPaths.isrChangeNotification,
      () => this.put({ type: 'IsrChangeNotification' }));
    this.registerPreferredReplicaElectionHandler();
    this.registerPartitionReassignmentHandler();
  }

  /** /admin/preferred_replica_election: created -> PreferredReplicaElection. */
  registerPreferredReplicaElectionHandler(): void {
    this.session.registerZNodeChangeHandler(ControllerPaths.preferredReplicaElection, {
      onCreate: () => this.put({ type: 'PreferredReplicaElection' }),
    });
  }

  /** /admin/reassign_partitions: created -> ZkPartitionReassignment (only creation, as in Kafka). */
  registerPartitionReassignmentHandler(): void {
    this.session.registerZNodeChangeHandler(ControllerPaths.reassignPartitions, {
      onCreate: () => this.put({ type: 'ZkPartitionReassignment' }),
    });
  }

  /**
   * The state znode of a partition being reassigned: data changed -> PartitionReassignmentIsrChange(tp). The
   * watch is armed by the state reads the reassignment does (ControllerZkClient.getTopicPartitionStateAndWatch).
   */
  registerPartitionReassignmentIsrChangeHandler(tp: TopicPartition): void {
    const path = TopicPartitionStateZNode.path(tp);
    const partition = { topic: tp.topic, partition: tp.partition };
    this.reassignmentIsrChanges.set(partitionKey(tp), path);
    this.session.registerZNodeChangeHandler(path, {
      onDataChange: () => this.put({ type: 'PartitionReassignmentIsrChange', tp: partition }),
    });
  }

  unregisterPartitionReassignmentIsrChangeHandler(tp: TopicPartition): void {
    const path = this.reassignmentIsrChanges.get(partitionKey(tp));
    if (path === undefined) return;
    this.reassignmentIsrChanges.delete(partitionKey(tp));
    this.session.unregisterZNodeChangeHandler(path);
  }

  /** Every reassignment ISR handler (resignation). */
  unregisterPartitionReassignmentIsrChangeHandlers(): void {
    for (const path of this.reassignmentIsrChanges.values()) this.session.unregisterZNodeChangeHandler(path);
    this.reassignmentIsrChanges.clear();
  }

  /** /brokers/ids/<id>: data changed -> BrokerModifications(id); arms each node's data watch. */
  async registerBrokerModificationsHandlers(brokerIds: Iterable<number>): Promise<void> {
    for (const id of brokerIds) {
      this.brokerModifications.add(id);
      const path = BrokerIdZNode.path(id);
      this.session.registerZNodeChangeHandler(path, {
        onDataChange: () => this.put({ type: 'BrokerModifications', brokerId: id }),
      });
      await this.session.exists(path, { watch: true });
    }
  }

  unregisterBrokerModificationsHandlers(brokerIds: Iterable<number>): void {
    for (const id of brokerIds) {
      if (this.brokerModifications.delete(id)) this.session.unregisterZNodeChangeHandler(BrokerIdZNode.path(id));
    }
  }

  /** /brokers/topics/<t>: data changed -> PartitionModifications(t). */
  registerPartitionModificationsHandlers(topics: Iterable<string>): void {
    for (const topic of topics) {
      this.partitionModifications.add(topic);
      this.session.registerZNodeChangeHandler(TopicZNode.path(topic), {
        onDataChange: () => this.put({ type: 'PartitionModifications', topic }),
      });
    }
  }

  unregisterPartitionModificationsHandlers(topics: Iterable<string>): void {
    for (const topic of topics) {
      if (this.partitionModifications.delete(topic)) this.session.unregisterZNodeChangeHandler(TopicZNode.path(topic));
    }
  }

  /** Everything an active controller registered (resignation); the /controller handler stays. */
  unregisterFailoverHandlers(): void {
    this.session.unregisterZNodeChildChangeHandler(ControllerPaths.isrChangeNotification);
    this.session.unregisterZNodeChangeHandler(ControllerPaths.reassignPartitions);
    this.session.unregisterZNodeChangeHandler(ControllerPaths.preferredReplicaElection);
    this.unregisterPartitionReassignmentIsrChangeHandlers();
    this.unregisterBrokerModificationsHandlers([...this.brokerModifications]);
    this.session.unregisterZNodeChildChangeHandler(ControllerPaths.topics);
    this.unregisterPartitionModificationsHandlers([...this.partitionModifications]);
    this.session.unregisterZNodeChildChangeHandler(ControllerPaths.deleteTopics);
    this.session.unregisterZNodeChildChangeHandler(ControllerPaths.brokerIds);
  }
}
