/**
 * /admin/preferred_replica_election (Kafka's PreferredReplicaElectionZNode), the legacy request for a
 * preferred-leader election: {"version":1,"partitions":[{"topic":"orders","partition":0}]}.
 * The controller watches it for existence, runs the election, then deletes it.
 */
import type { TopicPartition } from '../zk-types';
import { AdminZNode } from './delete-topics';
import { jsonObject, parseZNodeJson, toJsonBytes } from './znode-json';

interface PartitionsJson {
  version?: number;
  partitions: Array<{ topic: string; partition: number }>;
}

export const PreferredReplicaElectionZNode = {
  path: (): string => `${AdminZNode.path()}/preferred_replica_election`,

  encode(partitions: readonly TopicPartition[]): Buffer {
    return toJsonBytes(
      jsonObject(['version', 1], ['partitions', partitions.map((tp) => jsonObject(['topic', tp.topic], ['partition', tp.partition]))]),
    );
  },

  /** @throws ZNodeDecodeError naming the path */
  decode(data: Buffer, path: string = PreferredReplicaElectionZNode.path()): TopicPartition[] {
    const json = parseZNodeJson<PartitionsJson>(data, path, 'preferred-replica-election');
    return dedupe(json.partitions.map((p) => ({ topic: p.topic, partition: p.partition })));
  },
} as const;

function dedupe(partitions: TopicPartition[]): TopicPartition[] {
  const seen = new Set<string>();
  return partitions.filter((tp) => {
    const key = `${tp.topic}\u0000${tp.partition}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
