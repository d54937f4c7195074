/**
 * Helpers for driving real client programs from integration tests: kcat (librdkafka) and kafka-python
 * (Debian's python3-kafka, run with /usr/bin/python3), plus kafkajs compression codecs backed by the
 * project's own codec module so kafkajs can produce snappy, lz4 and zstd batches.
 */
import { execFile } from 'node:child_process';
import { CompressionCodecs, CompressionTypes, logLevel, Kafka } from 'kafkajs';
import { lz4Codec, snappyCodec, zstdCodec, type CompressionCodec } from '../../src/protocol/records/compression';
import { runProcess, type RunResult } from '../tools/bin-runner';

export function kcat(args: string[], opts: { input?: string; timeoutMs?: number } = {}): Promise<RunResult> {
  return runProcess('kcat', args, opts);
}

/** Runs a Python snippet with the system python3 (where Debian installs python3-kafka). */
export function python(script: string, opts: { timeoutMs?: number } = {}): Promise<RunResult> {
  return runProcess('/usr/bin/python3', ['-c', script], opts);
}

export function execOk(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(cmd, args, (err, stdout) => (err ? reject(err) : resolve(stdout))),
  );
}

function kafkajsCodec(codec: CompressionCodec) {
  return () => ({
    async compress(encoder: { buffer: Buffer }) {
      return codec.compress(encoder.buffer);
    },
    async decompress(buffer: Buffer) {
      return codec.decompress(buffer);
    },
  });
}

let codecsRegistered = false;
/** Registers snappy, lz4 and zstd with kafkajs (it ships gzip only). */
export function registerKafkajsCodecs(): void {
  if (codecsRegistered) return;
  codecsRegistered = true;
  const table = CompressionCodecs as unknown as Record<number, unknown>;
  table[CompressionTypes.Snappy] = kafkajsCodec(snappyCodec());
  table[CompressionTypes.LZ4] = kafkajsCodec(lz4Codec());
  table[CompressionTypes.ZSTD] = kafkajsCodec(zstdCodec());
}

export function kafkajs(bootstrap: string, clientId = 'ts-kafka-test'): Kafka {
  return new Kafka({
    clientId,
    brokers: bootstrap.split(','),
    logLevel: logLevel.NOTHING,
    retry: { retries: 8, initialRetryTime: 100, maxRetryTime: 1000 },
  });
}
