/**
 * /controller_epoch (Kafka's ControllerEpochZNode): the controller epoch as plain decimal text (`7`), not JSON.
 *
 * Created as `0` by the first election attempt; every won election sets it to epoch + 1 conditionally on its
 * dataVersion, and that dataVersion ("epochZkVersion") fences every controller write.
 */
import { parseZNodeDecimal } from './znode-json';

export const ControllerEpochZNode = {
  path: (): string => '/controller_epoch',

  encode(epoch: number): Buffer {
    return Buffer.from(String(epoch), 'utf8');
  },

  /** @throws ZNodeDecodeError when the text is not a decimal integer. */
  decode(data: Buffer, path: string = ControllerEpochZNode.path()): number {
    return parseZNodeDecimal(data, path);
  },
} as const;

/** Kafka's KafkaController.InitialControllerEpoch / InitialControllerEpochZkVersion. */
export const InitialControllerEpoch = 0;
export const InitialControllerEpochZkVersion = 0;
