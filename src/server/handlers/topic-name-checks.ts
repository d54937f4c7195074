/**
 * Checks the admin handlers make on topic names before anything reaches ZooKeeper. A topic name becomes a
 * znode path (/brokers/topics/<name>, /config/topics/<name>), and names such as "", "." or ".." make paths
 * ZooKeeper refuses (or that point elsewhere); Kafka fails those inside its ZooKeeper client and logs an
 * error. No topic can have an invalid name, so such requests are answered up front with the error a client
 * gets for that resource: INVALID_TOPIC_EXCEPTION for config changes (Kafka's Topic.validate in
 * validateTopicConfig), UNKNOWN_TOPIC_OR_PARTITION where the topic must already exist.
 */
import { ErrorCode } from '../../protocol';
import { validateTopicName } from '../topic-names';

/** ConfigResource type TOPIC. */
const TOPIC_RESOURCE = 2;

/**
 * The answer to a config change on a TOPIC resource with an invalid name (INVALID_TOPIC_EXCEPTION, the
 * resource named as asked), else null ("" is left to config-admin).
 */
export function invalidTopicResource(r: {
  resourceType: number;
  resourceName: string;
}): { resourceType: number; resourceName: string; errorCode: number; errorMessage: string } | null {
  if (r.resourceType !== TOPIC_RESOURCE || r.resourceName === '') return null;
  const why = validateTopicName(r.resourceName);
  return why === null
    ? null
    : { resourceType: r.resourceType, resourceName: r.resourceName, errorCode: ErrorCode.INVALID_TOPIC_EXCEPTION, errorMessage: why };
}

/** UNKNOWN_TOPIC_OR_PARTITION for a topic that must exist but cannot, because its name is invalid; else null. */
export function unknownInvalidTopic(name: string): { errorCode: number; errorMessage: string } | null {
  if (validateTopicName(name) === null) return null;
  return { errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, errorMessage: `The topic '${name}' does not exist.` };
}

/**
 * Answers the items `precheck` refuses with its result and the others with `run`, keeping request order.
 * `run` gets the remaining items and returns one result per item, in their order.
 */
export async function withPrechecked<T, R>(
  items: readonly T[],
  opts: { precheck: (item: T) => R | null; run: (items: T[]) => Promise<R[]> },
): Promise<R[]> {
  const early = items.map(opts.precheck);
  const rest = items.filter((_, i) => early[i] === null);
  const answered = rest.length > 0 ? await opts.run(rest) : [];
  let next = 0;
  return early.map((e) => e ?? answered[next++]!);
}
