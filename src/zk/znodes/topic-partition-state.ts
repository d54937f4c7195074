/**
 * /brokers/topics/<topic>/partitions/<p>/state (Kafka's TopicPartitionStateZNode): leader and ISR.
 *
 * Always version 1: {"controller_epoch":7,"leader":1,"version":1,"leader_epoch":12,"isr":[1,2,3]}
 * (a Scala 2.13 immutable HashMap, whose fixed key order this is). `leader_recovery_state` (KIP-704, 3.2+) is
 * written only when RECOVERING (1); absent means RECOVERED. The node's dataVersion is the partition epoch.
 */
import {
  LeaderRecoveryState,
  type LeaderIsrAndControllerEpoch,
  type TopicPartition,
} from '../zk-types';
import { jsonObject, parseZNodeJson, toJsonBytes, type JsonValue } from './znode-json';
import { TopicPartitionZNode } from './topic-partitions';

interface PartitionStateJson {
  version?: number;
  leader: number;
  leader_epoch: number;
  controller_epoch: number;
  isr: number[];
  leader_recovery_state?: 0 | 1;
}

export const TopicPartitionStateZNode = {
  path: (tp: TopicPartition): string => `${TopicPartitionZNode.path(tp)}/state`,

  /** The JSON Kafka writes (the partition epoch is the znode's version, not part of the data). */
  encode(state: LeaderIsrAndControllerEpoch): Buffer {
    const { leaderAndIsr, controllerEpoch } = state;
    const entries: Array<readonly [string, JsonValue]> = [
      ['controller_epoch', controllerEpoch],
      ['leader', leaderAndIsr.leader],
      ['version', 1],
    ];
    if (leaderAndIsr.leaderRecoveryState !== LeaderRecoveryState.RECOVERED) {
      entries.push(['leader_recovery_state', leaderAndIsr.leaderRecoveryState]);
    }
    entries.push(['leader_epoch', leaderAndIsr.leaderEpoch], ['isr', [...leaderAndIsr.isr]]);
    return toJsonBytes(jsonObject(...entries));
  },

  /**
   * Decodes the state; `zkVersion` (the node's dataVersion) becomes the partition epoch.
   * @throws ZNodeDecodeError naming the path
   */
  decode(data: Buffer, options: { partition?: TopicPartition; zkVersion?: number } = {}): LeaderIsrAndControllerEpoch {
    const path = options.partition ? TopicPartitionStateZNode.path(options.partition) : '/brokers/topics/<topic>/partitions/<p>/state';
    const json = parseZNodeJson<PartitionStateJson>(data, path, 'partition-state');
    return {
      leaderAndIsr: {
        leader: json.leader,
        leaderEpoch: json.leader_epoch,
        isr: json.isr,
        leaderRecoveryState: json.leader_recovery_state ?? LeaderRecoveryState.RECOVERED,
        partitionEpoch: options.zkVersion ?? 0,
      },
      controllerEpoch: json.controller_epoch,
    };
  },
} as const;
