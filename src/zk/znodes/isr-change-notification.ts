/**
 * /isr_change_notification and its isr_change_<seq> children (Kafka's IsrChangeNotificationZNode,
 * IsrChangeNotificationSequenceZNode). Leaders write them only at IBP < 2.7, after changing an ISR themselves:
 *   {"version":1,"partitions":[{"topic":"orders","partition":0}]}
 * The controller watches the children, refreshes those partitions and deletes the processed nodes.
 */
import type { TopicPartition } from '../zk-types';
import { jsonObject, parseZNodeJson, toJsonBytes } from './znode-json';

const SEQUENCE_PREFIX = 'isr_change_';

interface PartitionsJson {
  version?: number;
  partitions: Array<{ topic: string; partition: number }>;
}

export const IsrChangeNotificationZNode = {
  path: (): string => '/isr_change_notification',
} as const;

export const IsrChangeNotificationSequenceZNode = {
  SequenceNumberPrefix: SEQUENCE_PREFIX,

  /** The node of a sequence number; with no argument, the prefix to create a sequential node with. */
  path: (sequenceNumber = ''): string => `${IsrChangeNotificationZNode.path()}/${SEQUENCE_PREFIX}${sequenceNumber}`,

  encode(partitions: readonly TopicPartition[]): Buffer {
    return toJsonBytes(
      jsonObject(['version', 1], ['partitions', partitions.map((tp) => jsonObject(['topic', tp.topic], ['partition', tp.partition]))]),
    );
  },

  /** @throws ZNodeDecodeError naming the path */
  decode(data: Buffer, path: string = `${IsrChangeNotificationZNode.path()}/${SEQUENCE_PREFIX}<seq>`): TopicPartition[] {
    const json = parseZNodeJson<PartitionsJson>(data, path, 'isr-change-notification');
    return json.partitions.map((p) => ({ topic: p.topic, partition: p.partition }));
  },

  /** The sequence number of a child name or path (`isr_change_0000000003` → `0000000003`). */
  sequenceNumber: (name: string): string => name.slice(name.lastIndexOf(SEQUENCE_PREFIX) + SEQUENCE_PREFIX.length),
} as const;
