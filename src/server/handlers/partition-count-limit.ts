/**
 * The largest partition count CreateTopics and CreatePartitions accept for one topic.
 *
 * Kafka in ZooKeeper mode has no such limit and would compute the replica assignment of whatever count a
 * request asks for; a count near Integer.MAX_VALUE then blocks the broker's only thread for seconds (long
 * enough for its ZooKeeper session to expire) before failing. The assignment of a topic is one znode, and
 * ZooKeeper refuses znodes over jute.maxbuffer (1 MB by default), which a topic with 100,000 partitions
 * already nears: no count above this bound could ever be written, so refusing it up front changes nothing a
 * client could otherwise have done.
 */
import { ErrorCode } from '../../protocol';

export const MAX_PARTITIONS_PER_TOPIC = 100_000;

/** INVALID_PARTITIONS with its message when `count` is over the bound, else null. */
export function partitionCountOverLimit(count: number): { errorCode: number; errorMessage: string } | null {
  if (count <= MAX_PARTITIONS_PER_TOPIC) return null;
  return {
    errorCode: ErrorCode.INVALID_PARTITIONS,
    errorMessage: `Number of partitions ${count} exceeds the maximum of ${MAX_PARTITIONS_PER_TOPIC} per topic.`,
  };
}
