/**
 * ISR changes made by partition leaders, the classic (IBP < 2.7) way: the leader writes the partition state
 * znode itself, conditionally on the partition epoch (the znode's zkVersion) it got from the controller, and
 * announces the change through /isr_change_notification so the controller refreshes its cache and sends
 * UpdateMetadata. Notifications are batched as Kafka does: checked every 2.5 s and written once no change
 * happened for 5 s, or at least every 60 s.
 */
import { LeaderRecoveryState } from '../zk/zk-types';
import { TopicPartitionStateZNode } from '../zk/znodes/topic-partition-state';
import { ZkError } from '../zk/zk-errors';
import type { KafkaZkClient } from '../zk/kafka-zk-client';
import type { Partition } from './partition';

export const ISR_CHANGE_BROADCAST_CHECK_MS = 2500;
export const ISR_CHANGE_QUIET_MS = 5000;
export const ISR_CHANGE_MAX_DELAY_MS = 60_000;

export interface IsrLogger {
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string, err?: unknown): void;
}

export class ZkIsrManager {
  private readonly pending = new Map<string, { topic: string; partition: number }>();
  private lastChangeMs = 0;
  private lastPropagationMs = Date.now();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly zkClient: KafkaZkClient,
    private readonly logger: IsrLogger,
    private readonly now: () => number = Date.now,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      this.maybePropagateIsrChanges().catch((err: unknown) => this.logger.error('Failed to propagate ISR changes', err));
    }, ISR_CHANGE_BROADCAST_CHECK_MS);
    this.timer.unref();
  }

  async shutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.maybePropagateIsrChanges(true).catch(() => undefined);
  }

  /**
   * Writes the new ISR of a partition this broker leads. Returns false (and changes nothing) when the
   * partition epoch in ZooKeeper moved on: the controller changed the state and a LeaderAndIsr is coming.
   */
  async updateIsr(partition: Partition, newIsr: number[]): Promise<boolean> {
    const tp = { topic: partition.topic, partition: partition.partitionId };
    const data = TopicPartitionStateZNode.encode({
      leaderAndIsr: {
        leader: partition.leaderReplicaId,
        leaderEpoch: partition.leaderEpoch,
        isr: newIsr,
        leaderRecoveryState: LeaderRecoveryState.RECOVERED,
        partitionEpoch: partition.partitionEpoch,
      },
      controllerEpoch: partition.controllerEpoch,
    });
    try {
      const stat = await this.zkClient.session.setData(TopicPartitionStateZNode.path(tp), data, partition.partitionEpoch);
      partition.isr = [...newIsr];
      partition.partitionEpoch = stat.version;
      this.pending.set(partition.key, tp);
      this.lastChangeMs = this.now();
      return true;
    } catch (err) {
      if (err instanceof ZkError && err.code === 'BADVERSION') {
        this.logger.info(
          `[Partition ${partition.key} broker=${partition.leaderReplicaId}] Cached zkVersion ${partition.partitionEpoch} not ` +
            `equal to that in zookeeper, skip updating ISR`,
        );
        return false;
      }
      throw err;
    }
  }

  /** Writes one /isr_change_notification node for the batched changes when Kafka's timing says so. */
  async maybePropagateIsrChanges(force = false): Promise<void> {
    if (this.pending.size === 0) return;
    const now = this.now();
    if (!force && now - this.lastChangeMs < ISR_CHANGE_QUIET_MS && now - this.lastPropagationMs < ISR_CHANGE_MAX_DELAY_MS) return;
    const partitions = [...this.pending.values()];
    this.pending.clear();
    this.lastPropagationMs = now;
    await this.zkClient.propagateIsrChanges(partitions);
  }
}
