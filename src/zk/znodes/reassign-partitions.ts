/**
 * /admin/reassign_partitions (Kafka's ReassignPartitionsZNode), the legacy reassignment node written by old
 * tools (deprecated since 2.4 in favour of AlterPartitionReassignments):
 *   {"version":1,"partitions":[{"topic":"orders","partition":0,"replicas":[1,2,4]}]}
 * (Jackson bean properties in declaration order). The controller watches it for existence.
 */
import type { TopicPartition } from '../zk-types';
import { AdminZNode } from './delete-topics';
import { jsonObject, parseZNodeJson, toJsonBytes } from './znode-json';

/** One partition's target replicas. */
export interface PartitionReassignment extends TopicPartition {
  readonly replicas: readonly number[];
}

interface ReassignJson {
  version: 1;
  partitions: Array<{ topic: string; partition: number; replicas: number[] }>;
}

export const ReassignPartitionsZNode = {
  path: (): string => `${AdminZNode.path()}/reassign_partitions`,

  encode(reassignments: readonly PartitionReassignment[]): Buffer {
    return toJsonBytes(
      jsonObject(
        ['version', 1],
        [
          'partitions',
          reassignments.map((r) =>
            jsonObject(['topic', r.topic], ['partition', r.partition], ['replicas', [...r.replicas]]),
          ),
        ],
      ),
    );
  },

  /** @throws ZNodeDecodeError naming the path */
  decode(data: Buffer, path: string = ReassignPartitionsZNode.path()): PartitionReassignment[] {
    const json = parseZNodeJson<ReassignJson>(data, path, 'reassign-partitions');
    return json.partitions.map((p) => ({ topic: p.topic, partition: p.partition, replicas: p.replicas }));
  },
} as const;
