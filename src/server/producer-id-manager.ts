/**
 * Hands out producer ids for InitProducerId (Kafka's ZkProducerIdManager, the pre-IBP-3.0 way a
 * ZooKeeper-mode broker gets them, KIP-98): ids come from blocks of 1000 that the broker claims in
 * /latest_producer_id_block with a conditional write (KafkaZkClient.allocateProducerIdBlock), so two
 * brokers never hand out the same id.
 *
 * The first block is claimed on the first request (a cluster without idempotent producers never writes
 * the node). Once 90% of a block is used the next one is claimed in the background, as Kafka's
 * RPCProducerIdManager prefetches, so requests only wait for ZooKeeper when the first block is claimed
 * (or when a prefetch failed).
 */
import type { Logger } from '../common/logger';
import { type ProducerIdsBlock, lastProducerId } from '../zk/znodes/producer-id-block';

/** Share of a block used before the next one is fetched. */
const PREFETCH_RATIO = 0.9;

/** Constructor options of ProducerIdManager. */
export interface ProducerIdManagerOptions {
  brokerId: number;
  /** Claims the next block for this broker (KafkaZkClient.allocateProducerIdBlock). */
  allocateBlock: (brokerId: number) => Promise<ProducerIdsBlock>;
  logger: Logger;
}

/** A broker's source of producer ids; see the file comment. */
export class ProducerIdManager {
  private readonly brokerId: number;
  private readonly allocateBlock: (brokerId: number) => Promise<ProducerIdsBlock>;
  private readonly logger: Logger;
  private current: ProducerIdsBlock | undefined;
  private nextProducerId = 0;
  /** The block being claimed (first, prefetch or after a failed prefetch). */
  private pending: Promise<ProducerIdsBlock> | undefined;
  private prefetched: ProducerIdsBlock | undefined;

  constructor(opts: ProducerIdManagerOptions) {
    this.brokerId = opts.brokerId;
    this.allocateBlock = opts.allocateBlock;
    this.logger = opts.logger;
  }

  /** The block ids are handed out from, undefined before the first request. */
  get currentBlock(): ProducerIdsBlock | undefined {
    return this.current;
  }

  /** The next producer id; claims a block from ZooKeeper when none is available (errors propagate). */
  async generateProducerId(): Promise<number> {
    for (;;) {
      const block = this.current;
      if (block !== undefined && this.nextProducerId <= lastProducerId(block)) {
        const id = this.nextProducerId++;
        if (id - block.firstProducerId >= block.size * PREFETCH_RATIO) this.maybePrefetch();
        return id;
      }
      if (this.prefetched !== undefined) {
        this.install(this.prefetched);
        this.prefetched = undefined;
        continue;
      }
      // No usable block: wait for the claim in flight, or start one. Concurrent callers share it.
      const claimed = await (this.pending ?? this.claim());
      if (this.current === undefined || this.nextProducerId > lastProducerId(this.current)) {
        if (this.prefetched === claimed) this.prefetched = undefined;
        this.install(claimed);
      }
    }
  }

  private install(block: ProducerIdsBlock): void {
    this.current = block;
    this.nextProducerId = block.firstProducerId;
  }

  private claim(): Promise<ProducerIdsBlock> {
    const pending = this.allocateBlock(this.brokerId).then(
      (block) => {
        this.logger.info(
          `Acquired new producerId block ${JSON.stringify({ brokerId: block.assignedBrokerId, firstProducerId: block.firstProducerId, size: block.size })} by writing to Zk`,
        );
        return block;
      },
    );
    this.pending = pending;
    const clear = () => {
      if (this.pending === pending) this.pending = undefined;
    };
    pending.then(clear, clear);
    return pending;
  }

  private maybePrefetch(): void {
    if (this.pending !== undefined || this.prefetched !== undefined) return;
    this.claim().then(
      (block) => {
        // Used only once the current block runs out (generateProducerId installs it).
        if (this.current === undefined || block.firstProducerId > lastProducerId(this.current)) this.prefetched = block;
      },
      (err: unknown) => this.logger.warn(`Failed to prefetch the next producer id block; will claim it when needed: ${String(err)}`),
    );
  }
}
