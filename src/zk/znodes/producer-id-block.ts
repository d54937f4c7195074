/**
 * /latest_producer_id_block (Kafka's ProducerIdBlockZNode): the last producer-id block handed out,
 *   {"version":1,"broker":2,"block_start":"3000","block_end":"3999"}
 * (start and end are decimal strings; an immutable Map4, so insertion order). The node starts with no data;
 * the first block is 0-999. Written with a conditional setData on the version just read.
 */
import { jsonObject, parseZNodeJson, toJsonBytes } from './znode-json';

/** A block of producer ids (org.apache.kafka.server.common.ProducerIdsBlock). */
export interface ProducerIdsBlock {
  readonly assignedBrokerId: number;
  readonly firstProducerId: number;
  readonly size: number;
}

/** The last id of a block. */
export function lastProducerId(block: ProducerIdsBlock): number {
  return block.firstProducerId + block.size - 1;
}

/** Kafka's ProducerIdsBlock.PRODUCER_ID_BLOCK_SIZE. */
export const PRODUCER_ID_BLOCK_SIZE = 1000;

export const ProducerIdBlockZNode = {
  path: (): string => '/latest_producer_id_block',

  encode(block: ProducerIdsBlock): Buffer {
    return toJsonBytes(
      jsonObject(
        ['version', 1],
        ['broker', block.assignedBrokerId],
        ['block_start', String(block.firstProducerId)],
        ['block_end', String(lastProducerId(block))],
      ),
    );
  },

  /** @throws ZNodeDecodeError naming the path */
  decode(data: Buffer, path: string = ProducerIdBlockZNode.path()): ProducerIdsBlock {
    const json = parseZNodeJson<{ broker: number; block_start: string; block_end: string }>(data, path, 'producer-id-block');
    const first = Number(json.block_start);
    const last = Number(json.block_end);
    return { assignedBrokerId: json.broker, firstProducerId: first, size: last - first + 1 };
  },
} as const;
