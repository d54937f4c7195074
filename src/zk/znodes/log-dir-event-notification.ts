/**
 * /log_dir_event_notification and its log_dir_event_<seq> children (Kafka's LogDirEventNotificationZNode,
 * LogDirEventNotificationSequenceZNode). A broker whose log directory failed writes
 *   {"version":1,"broker":2,"event":1}      (event 1 = log dir failure)
 * The controller watches the children and deletes them once handled.
 */
import { jsonObject, parseZNodeJson, toJsonBytes } from './znode-json';

const SEQUENCE_PREFIX = 'log_dir_event_';

/** Kafka's only log dir event type. */
export const LogDirFailureEvent = 1;

export const LogDirEventNotificationZNode = {
  path: (): string => '/log_dir_event_notification',
} as const;

export const LogDirEventNotificationSequenceZNode = {
  SequenceNumberPrefix: SEQUENCE_PREFIX,

  /** The node of a sequence number; with no argument, the prefix to create a sequential node with. */
  path: (sequenceNumber = ''): string => `${LogDirEventNotificationZNode.path()}/${SEQUENCE_PREFIX}${sequenceNumber}`,

  encode(brokerId: number): Buffer {
    return toJsonBytes(jsonObject(['version', 1], ['broker', brokerId], ['event', LogDirFailureEvent]));
  },

  /** Returns the broker id. @throws ZNodeDecodeError naming the path */
  decode(data: Buffer, path: string = `${LogDirEventNotificationZNode.path()}/${SEQUENCE_PREFIX}<seq>`): number {
    return parseZNodeJson<{ broker: number }>(data, path, 'log-dir-event-notification').broker;
  },

  /** The sequence number of a child name or path. */
  sequenceNumber: (name: string): string => name.slice(name.lastIndexOf(SEQUENCE_PREFIX) + SEQUENCE_PREFIX.length),
} as const;
