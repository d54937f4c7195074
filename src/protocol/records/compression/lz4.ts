/**
 * lz4 codec (compression id 3): the standard LZ4 frame format (magic 0x184D2204), which Kafka has
 * written and read since magic 1 (KAFKA-3160 fixed its header checksum). Uses `lz4-napi` (napi-rs,
 * prebuilt). Its frames have independent blocks and no content size or checksum, like Kafka's
 * KafkaLZ4BlockOutputStream; the block size is 64 KiB for inputs below that (Kafka's choice) and grows
 * up to 4 MiB for larger ones, which every Kafka reader accepts (block size ids 4-7).
 */
import * as lz4 from 'lz4-napi';
import { type CompressionCodec, CompressionError } from './codec';

/** Creates the lz4 codec. */
export function lz4Codec(): CompressionCodec {
  return {
    name: 'lz4',
    compress: (data) => lz4.compressFrame(data),
    decompress: async (data) => {
      try {
        return await lz4.decompressFrame(data);
      } catch (err) {
        throw new CompressionError('invalid lz4 frame', { cause: err });
      }
    },
  };
}
