/**
 * /brokers/topics and /brokers/topics/<topic> (Kafka's TopicsZNode, TopicZNode): a topic's replica assignment.
 *
 * 3.9 always writes version 3:
 *   {"removing_replicas":{},"partitions":{"2":[3,1,2],"1":[2,3,1],"0":[1,2,3]},
 *    "topic_id":"kHq3yxsYQ3uYxT5nbL1Z7w","adding_replicas":{},"version":3}
 * Kafka builds it from Scala mutable.HashMaps; the key orders here are those of the reference cluster's build
 * (Scala 2.12: see key-order.ts), partitions inserted in ascending order. Only partitions under reassignment
 * appear in adding_replicas/removing_replicas. Decoding accepts v1 (partitions only), v2 (adds
 * adding/removing_replicas) and v3 (adds topic_id); missing keys mean empty or none.
 */
import { replicaAssignment, type ReplicaAssignment, type TopicIdReplicaAssignment } from '../zk-types';
import { scala212MutableHashMapOrder } from './key-order';
import { jsonObject, jsonObjectInOrder, parseZNodeJson, toJsonBytes, type JsonValue } from './znode-json';

export const TopicsZNode = {
  path: (): string => '/brokers/topics',
} as const;

interface TopicJson {
  version?: number;
  partitions?: Record<string, number[]>;
  adding_replicas?: Record<string, number[]>;
  removing_replicas?: Record<string, number[]>;
  topic_id?: string;
}

export const TopicZNode = {
  path: (topic: string): string => `${TopicsZNode.path()}/${topic}`,

  /**
   * v3 JSON for a topic. `assignment` values may be plain replica lists (no reassignment in progress).
   * With a null topicId the `topic_id` key is left out, as Kafka does.
   */
  encode(topicId: string | null, assignment: ReadonlyMap<number, ReplicaAssignment | readonly number[]>): Buffer {
    const partitions = new Map<string, JsonValue>();
    const adding = new Map<string, JsonValue>();
    const removing = new Map<string, JsonValue>();
    for (const partition of [...assignment.keys()].sort((a, b) => a - b)) {
      const value = assignment.get(partition)!;
      const a: ReplicaAssignment = isReplicaList(value) ? replicaAssignment(value) : value;
      const key = String(partition);
      partitions.set(key, [...a.replicas]);
      if (a.addingReplicas.length > 0) adding.set(key, [...a.addingReplicas]);
      if (a.removingReplicas.length > 0) removing.set(key, [...a.removingReplicas]);
    }
    const ordered = (m: Map<string, JsonValue>) => jsonObjectInOrder(m, scala212MutableHashMapOrder([...m.keys()]));
    const entries: Array<readonly [string, JsonValue]> = [
      ['removing_replicas', ordered(removing)],
      ['partitions', ordered(partitions)],
    ];
    if (topicId !== null) entries.push(['topic_id', topicId]);
    entries.push(['adding_replicas', ordered(adding)], ['version', 3]);
    return toJsonBytes(jsonObject(...entries));
  },

  /** @throws ZNodeDecodeError naming the path */
  decode(data: Buffer, topic: string): TopicIdReplicaAssignment {
    const json = parseZNodeJson<TopicJson>(data, TopicZNode.path(topic), 'topic');
    const assignment = new Map<number, ReplicaAssignment>();
    const partitions = Object.keys(json.partitions ?? {})
      .map(Number)
      .sort((a, b) => a - b);
    for (const partition of partitions) {
      const key = String(partition);
      assignment.set(partition, {
        replicas: json.partitions![key],
        addingReplicas: json.adding_replicas?.[key] ?? [],
        removingReplicas: json.removing_replicas?.[key] ?? [],
      });
    }
    return { topic, topicId: json.topic_id ?? null, assignment };
  },
} as const;

function isReplicaList(value: ReplicaAssignment | readonly number[]): value is readonly number[] {
  return Array.isArray(value);
}
