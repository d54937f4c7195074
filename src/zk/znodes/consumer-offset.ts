/**
 * /consumers/<group>/offsets/<topic>/<partition> (Kafka's ConsumerPathZNode and ConsumerOffset): legacy
 * ZooKeeper-stored offsets, still written by OffsetCommit v0 and read by OffsetFetch v0. The data is the offset
 * as decimal text (`42`).
 */
import type { TopicPartition } from '../zk-types';
import { parseZNodeDecimal } from './znode-json';

export const ConsumerPathZNode = {
  path: (): string => '/consumers',
} as const;

export const ConsumerOffset = {
  path: (group: string, tp: TopicPartition): string =>
    `${ConsumerPathZNode.path()}/${group}/offsets/${tp.topic}/${tp.partition}`,

  encode(offset: number): Buffer {
    return Buffer.from(String(offset), 'utf8');
  },

  /** @throws ZNodeDecodeError when the text is not a decimal integer. */
  decode(data: Buffer, path = '/consumers/<group>/offsets/<topic>/<partition>'): number {
    return parseZNodeDecimal(data, path);
  },
} as const;
