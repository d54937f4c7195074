/**
 * Produce (key 0), versions 0-11 (flexible from v9; v3+ carry RecordBatch v2 only, which is all this
 * broker stores).
 *
 * Record batches go to the replica manager as the byte slices the request decoder cut out of the frame.
 * Compressed batches are decompressed and their records walked first (CORRUPT_MESSAGE when they do not
 * decompress), as Kafka's LogValidator does. acks must be 0, 1 or -1 (INVALID_REQUIRED_ACKS otherwise); clients may not write to internal topics.
 * With acks=0 there is no response; an error then closes the connection, as Kafka does, so the client
 * notices and refreshes its metadata.
 */
import { ApiKeys, ErrorCode } from '../../protocol';
import { CloseConnectionError } from '../../network/kafka-channel';
import { defineHandler } from '../api-handler';
import { INTERNAL_TOPICS, type BrokerServices } from '../broker-services';
import type { ProducePartitionResult } from '../../replica/replica-manager';
import { checkProduceRequestRecords } from '../../protocol/records/produce-validation';
import { checkCompressedRecords } from '../../protocol/records/compressed-validation';
import type { RecordError } from '../../protocol/records/produce-validation';

export function produceHandler(broker: BrokerServices) {
  return defineHandler({
    apiKey: ApiKeys.Produce,
    // v0-2 carry legacy message sets (magic 0/1), which this broker does not store; clients that speak
    // RecordBatch v2 all use v3+.
    minVersion: 3,
    maxVersion: 11,
    async handle(request, ctx) {
      const acks = request.acks;
      const entries: { topic: string; partition: number; records: Buffer | null }[] = [];
      const early: ProducePartitionResult[] = [];
      const fail = (topic: string, partition: number, errorCode: number, errorMessage: string | null = null, recordErrors?: readonly RecordError[]) =>
        early.push({ topic, partition, errorCode, errorMessage, recordErrors, baseOffset: -1, logAppendTimeMs: -1, logStartOffset: -1 });
      for (const t of request.topicData) {
        for (const p of t.partitionData) {
          if (acks !== 0 && acks !== 1 && acks !== -1) fail(t.name, p.index, ErrorCode.INVALID_REQUIRED_ACKS);
          else if (INTERNAL_TOPICS.has(t.name) && ctx.header.clientId !== '__admin_client') {
            fail(t.name, p.index, ErrorCode.INVALID_TOPIC_EXCEPTION, `Cannot append to internal topic ${t.name}`);
          } else if (request.transactionalId !== null) {
            fail(t.name, p.index, ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED, 'Transactions are not supported');
          } else {
            // Kafka's per-partition Produce rules: exactly one RecordBatch v2 (zstd only from v7).
            const invalid = p.records === null ? undefined : checkProduceRequestRecords(p.records, ctx.header.apiVersion);
            if (invalid) fail(t.name, p.index, invalid.errorCode, invalid.message);
            else entries.push({ topic: t.name, partition: p.index, records: p.records });
          }
        }
      }
      // As Kafka's LogValidator, compressed client batches are decompressed and their records walked: a
      // payload that does not decompress is CORRUPT_MESSAGE before anything reaches the log, and on a
      // compacted topic a record without a key is INVALID_RECORD. Only for the
      // partitions this broker leads: the others get the replica manager's error, at no decompression cost.
      const sound: typeof entries = [];
      for (const e of entries) {
        const partition = broker.replicaManager.getPartition(e.topic, e.partition);
        const log = partition?.isLeader === true ? partition.log : undefined;
        const invalid =
          e.records === null || log === undefined
            ? undefined
            : await checkCompressedRecords(e.records, {
                topicPartition: `${e.topic}-${e.partition}`,
                compacted: log.config.cleanupPolicy.includes('compact'),
              });
        if (invalid) fail(e.topic, e.partition, invalid.errorCode, invalid.message, invalid.recordErrors);
        else sound.push(e);
      }
      entries.length = 0;
      entries.push(...sound);
      const appended =
        entries.length > 0
          ? await broker.replicaManager.appendRecords({
              requiredAcks: acks,
              timeoutMs: request.timeoutMs,
              entries,
            })
          : [];
      const results = [...early, ...appended];
      if (acks === 0) {
        const failed = results.find((r) => r.errorCode !== ErrorCode.NONE);
        if (failed) {
          throw new CloseConnectionError(
            `Produce request with acks=0 failed for ${failed.topic}-${failed.partition} with error code ` +
              `${failed.errorCode}; closing the connection so the client refreshes its metadata`,
            { level: 'info' },
          );
        }
        return null;
      }
      const byTopic = new Map<string, ProducePartitionResult[]>();
      for (const r of results) {
        let list = byTopic.get(r.topic);
        if (!list) byTopic.set(r.topic, (list = []));
        list.push(r);
      }
      return {
        throttleTimeMs: 0,
        responses: [...byTopic].map(([name, parts]) => ({
          name,
          partitionResponses: parts.map((r) => ({
            index: r.partition,
            errorCode: r.errorCode,
            baseOffset: r.baseOffset,
            logAppendTimeMs: r.logAppendTimeMs,
            logStartOffset: r.logStartOffset,
            recordErrors: (r.recordErrors ?? []).map((e) => ({ batchIndex: e.batchIndex, batchIndexErrorMessage: e.message })),
            errorMessage: r.errorCode === ErrorCode.NONE ? null : r.errorMessage,
          })),
        })),
      };
    },
  });
}
