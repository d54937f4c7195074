/**
 * /brokers/topics/<topic>/partitions and /partitions/<p> (Kafka's TopicPartitionsZNode, TopicPartitionZNode):
 * persistent nodes with no data, created by the controller with the state node when a partition first goes
 * online.
 */
import type { TopicPartition } from '../zk-types';
import { TopicZNode } from './topics';

export const TopicPartitionsZNode = {
  path: (topic: string): string => `${TopicZNode.path(topic)}/partitions`,
} as const;

export const TopicPartitionZNode = {
  path: (tp: TopicPartition): string => `${TopicPartitionsZNode.path(tp.topic)}/${tp.partition}`,
} as const;
