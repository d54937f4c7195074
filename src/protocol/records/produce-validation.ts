/**
 * Validation of the record batches of an append, as Kafka's UnifiedLog.analyzeAndValidateRecords and
 * LogValidator do for magic 2 (KIP-98 batches, KIP-32 timestamps, KIP-467 per-record errors, KIP-937
 * timestamp bounds):
 *
 * - every batch complete, at least RECORD_BATCH_OVERHEAD bytes, magic 2, CRC-32C correct (one pass);
 * - leader appends: exactly one batch, count consistent with lastOffsetDelta; from clients also
 *   baseOffset 0, no control batches, a sequence when a producer id is set;
 * - uncompressed batches: every record's framing is walked (varints only, no allocation) to check the
 *   count and that offset deltas are 0..n-1, and each record's timestamp is checked;
 * - compressed batches are not decompressed: the count must equal lastOffsetDelta + 1 and the batch's
 *   base and max timestamps are checked against the bounds;
 * - batch size against max.message.bytes (skipped for replication, as Kafka's followers do).
 *
 * Errors are returned as data with Kafka's error codes; nothing is thrown.
 */
import { ErrorCode } from '../errors';
import {
  BatchAttribute,
  BatchField,
  CompressionType,
  compressionName,
  HEADER_SIZE_UP_TO_MAGIC,
  LOG_OVERHEAD,
  MAGIC_V2,
  NO_TIMESTAMP,
  RECORD_BATCH_OVERHEAD,
  readInt64,
} from './record-batch';
import { crc32c } from './crc32c';
import { InvalidRecordFormatError, RecordWalker } from './record';
import { VarintError } from './varint';

/** The Kafka error codes validation can return (from the protocol's error table). */
export const RecordsErrorCode = {
  CORRUPT_MESSAGE: ErrorCode.CORRUPT_MESSAGE,
  MESSAGE_TOO_LARGE: ErrorCode.MESSAGE_TOO_LARGE,
  INVALID_TIMESTAMP: ErrorCode.INVALID_TIMESTAMP,
  UNSUPPORTED_FOR_MESSAGE_FORMAT: ErrorCode.UNSUPPORTED_FOR_MESSAGE_FORMAT,
  UNSUPPORTED_COMPRESSION_TYPE: ErrorCode.UNSUPPORTED_COMPRESSION_TYPE,
  INVALID_RECORD: ErrorCode.INVALID_RECORD,
} as const;
export type RecordsErrorCode = (typeof RecordsErrorCode)[keyof typeof RecordsErrorCode];

/** Who is appending, as Kafka's AppendOrigin. */
export type AppendOrigin = 'client' | 'coordinator' | 'replication';

/** Settings for `validateRecords`; the timestamp fields are the topic's LogConfig values. */
export interface ValidateRecordsOptions {
  origin?: AppendOrigin;
  /** `max.message.bytes`: largest batch (LOG_OVERHEAD included). */
  maxMessageBytes: number;
  /** Broker time for the timestamp bounds (default Date.now()). */
  now?: number;
  /** `message.timestamp.type` (default CreateTime). */
  timestampType?: 'CreateTime' | 'LogAppendTime';
  /** `message.timestamp.before.max.ms` (default unbounded). */
  timestampBeforeMaxMs?: number;
  /** `message.timestamp.after.max.ms` (default unbounded). */
  timestampAfterMaxMs?: number;
  /** `cleanup.policy` includes compact: records of uncompressed batches must have keys. */
  compacted?: boolean;
  /** `topic-partition`, used in error messages only. */
  topicPartition?: string;
}

/** A per-record error of a ProduceResponse (KIP-467): index of the record in its batch. */
export interface RecordError {
  batchIndex: number;
  message: string;
}

/** The records passed validation. */
export interface ValidRecords {
  ok: true;
  batchCount: number;
  /** Kafka's shallowCount: number of batches. */
  shallowCount: number;
  recordCount: number;
  /** Bytes covered by complete batches; less than the buffer only for replication (trailing partial batch). */
  validBytes: number;
  /** Largest timestamp (from the records of uncompressed batches, else from batch headers); -1 if none. */
  maxTimestamp: number;
  /**
   * Position of the record holding maxTimestamp, counted in offsets from the first offset of the
   * append (exact for uncompressed batches, the batch's last record for compressed ones); -1 if none.
   */
  offsetOfMaxTimestamp: number;
  /** baseTimestamp of the first batch. */
  firstTimestamp: number;
  /** baseOffset of the first batch and lastOffset of the last one, as sent. */
  firstOffset: number;
  lastOffset: number;
  /** Compression id of the last compressed batch, 0 if none. */
  compression: number;
}

/** The records failed validation. */
export interface InvalidRecords {
  ok: false;
  errorCode: RecordsErrorCode;
  message: string;
  recordErrors?: RecordError[];
}

export type RecordsValidation = ValidRecords | InvalidRecords;

const UNBOUNDED = Number.MAX_SAFE_INTEGER;

function fail(errorCode: RecordsErrorCode, message: string, recordErrors?: RecordError[]): InvalidRecords {
  return recordErrors === undefined ? { ok: false, errorCode, message } : { ok: false, errorCode, message, recordErrors };
}

/** Per-call state shared by the batch checks. */
interface Context {
  origin: AppendOrigin;
  now: number;
  logAppendTimeTopic: boolean;
  beforeMaxMs: number;
  afterMaxMs: number;
  compacted: boolean;
  where: string;
}

/** Validates the batches of one append. See the file comment for what is checked. */
export function validateRecords(buf: Buffer, opts: ValidateRecordsOptions): RecordsValidation {
  const ctx: Context = {
    origin: opts.origin ?? 'client',
    now: opts.now ?? Date.now(),
    logAppendTimeTopic: opts.timestampType === 'LogAppendTime',
    beforeMaxMs: opts.timestampBeforeMaxMs ?? UNBOUNDED,
    afterMaxMs: opts.timestampAfterMaxMs ?? UNBOUNDED,
    compacted: opts.compacted ?? false,
    where: opts.topicPartition === undefined ? '' : ` in topic partition ${opts.topicPartition}`,
  };
  const leader = ctx.origin !== 'replication';
  const result: ValidRecords = {
    ok: true,
    batchCount: 0,
    shallowCount: 0,
    recordCount: 0,
    validBytes: 0,
    maxTimestamp: NO_TIMESTAMP,
    offsetOfMaxTimestamp: -1,
    firstTimestamp: NO_TIMESTAMP,
    firstOffset: -1,
    lastOffset: -1,
    compression: CompressionType.none,
  };
  let position = 0;
  let offsetsSoFar = 0;
  while (position < buf.length) {
    const remaining = buf.length - position;
    if (remaining < HEADER_SIZE_UP_TO_MAGIC || remaining < LOG_OVERHEAD + buf.readInt32BE(position + BatchField.batchLength)) {
      if (!leader) break; // a follower fetch may end in a partial batch: keep the complete ones
      return fail(RecordsErrorCode.CORRUPT_MESSAGE, `Truncated record batch at byte ${position}${ctx.where}`);
    }
    const size = LOG_OVERHEAD + buf.readInt32BE(position + BatchField.batchLength);
    const magic = buf.readInt8(position + BatchField.magic);
    if (magic < MAGIC_V2) {
      return fail(
        RecordsErrorCode.UNSUPPORTED_FOR_MESSAGE_FORMAT,
        `Message format v${magic} is not supported${ctx.where}; only record batches with magic 2 are accepted`,
      );
    }
    if (magic > MAGIC_V2) return fail(RecordsErrorCode.CORRUPT_MESSAGE, `Unknown magic ${magic}${ctx.where}`);
    if (size < RECORD_BATCH_OVERHEAD) {
      return fail(
        RecordsErrorCode.CORRUPT_MESSAGE,
        `Record batch is corrupt (the size ${size} is smaller than the minimum allowed overhead ${RECORD_BATCH_OVERHEAD})`,
      );
    }
    if (leader && result.batchCount === 1) {
      return fail(RecordsErrorCode.INVALID_RECORD, `Compressed outer record has more than one batch${ctx.where}`);
    }
    const baseOffset = readInt64(buf, position + BatchField.baseOffset);
    if (ctx.origin === 'client' && baseOffset !== 0) {
      return fail(
        RecordsErrorCode.INVALID_RECORD,
        `The baseOffset of the record batch in the append${ctx.where} should be 0, but it is ${baseOffset}`,
      );
    }
    if (leader && size > opts.maxMessageBytes) {
      return fail(
        RecordsErrorCode.MESSAGE_TOO_LARGE,
        `The record batch size in the append${ctx.where} is ${size} bytes which exceeds the maximum configured value of ${opts.maxMessageBytes}.`,
      );
    }
    const storedCrc = buf.readUInt32BE(position + BatchField.crc);
    if (storedCrc !== crc32c(buf.subarray(position + BatchField.attributes, position + size))) {
      return fail(RecordsErrorCode.CORRUPT_MESSAGE, `Record is corrupt (stored crc = ${storedCrc})${ctx.where}.`);
    }
    const lastOffset = baseOffset + buf.readInt32BE(position + BatchField.lastOffsetDelta);
    if (!leader && result.lastOffset >= 0 && baseOffset <= result.lastOffset) {
      return fail(RecordsErrorCode.INVALID_RECORD, `Out of order offsets found in append${ctx.where}: ${baseOffset} after ${result.lastOffset}`);
    }
    if (result.batchCount === 0) {
      result.firstOffset = baseOffset;
      result.firstTimestamp = readInt64(buf, position + BatchField.baseTimestamp);
    }
    result.lastOffset = lastOffset;
    const compression = buf.readInt16BE(position + BatchField.attributes) & BatchAttribute.compressionMask;
    if (compressionName(compression) === undefined) {
      return fail(RecordsErrorCode.CORRUPT_MESSAGE, `Unknown compression type id ${compression}${ctx.where}`);
    }
    if (compression !== CompressionType.none) result.compression = compression;

    if (leader) {
      const failure = validateLeaderBatch(buf, position, size, offsetsSoFar, ctx, result);
      if (failure !== undefined) return failure;
    } else {
      result.recordCount += buf.readInt32BE(position + BatchField.recordsCount);
      const maxTimestamp = readInt64(buf, position + BatchField.maxTimestamp);
      if (maxTimestamp > result.maxTimestamp) {
        result.maxTimestamp = maxTimestamp;
        result.offsetOfMaxTimestamp = lastOffset - result.firstOffset;
      }
    }
    offsetsSoFar += lastOffset - baseOffset + 1;
    result.batchCount++;
    result.shallowCount++;
    position += size;
  }
  result.validBytes = position;
  if (leader && result.batchCount === 0) {
    return fail(RecordsErrorCode.INVALID_RECORD, `Record batch has no batches at all${ctx.where}`);
  }
  return result;
}

/** LogValidator's per-batch checks for leader appends; fills counts and timestamps into `result`. */
function validateLeaderBatch(
  buf: Buffer,
  position: number,
  size: number,
  offsetsSoFar: number,
  ctx: Context,
  result: ValidRecords,
): InvalidRecords | undefined {
  const attributes = buf.readInt16BE(position + BatchField.attributes);
  const lastOffsetDelta = buf.readInt32BE(position + BatchField.lastOffsetDelta);
  const count = buf.readInt32BE(position + BatchField.recordsCount);
  const countFromOffsets = lastOffsetDelta + 1;
  if (countFromOffsets <= 0) {
    return fail(RecordsErrorCode.INVALID_RECORD, `Batch has an invalid offset range: [0, ${lastOffsetDelta}]${ctx.where}.`);
  }
  if (count <= 0) return fail(RecordsErrorCode.INVALID_RECORD, `Invalid reported count for record batch: ${count}${ctx.where}.`);
  if (count !== countFromOffsets) {
    return fail(
      RecordsErrorCode.INVALID_RECORD,
      `Inconsistent batch offset range [0, ${lastOffsetDelta}] and count of records ${count}${ctx.where}.`,
    );
  }
  if (ctx.origin === 'client') {
    if ((attributes & BatchAttribute.control) !== 0) {
      return fail(RecordsErrorCode.INVALID_RECORD, `Clients are not allowed to write control records${ctx.where}.`);
    }
    const producerId = readInt64(buf, position + BatchField.producerId);
    const baseSequence = buf.readInt32BE(position + BatchField.baseSequence);
    if (producerId >= 0 && baseSequence < 0) {
      return fail(
        RecordsErrorCode.INVALID_RECORD,
        `Invalid sequence number ${baseSequence} in record batch with producerId ${producerId}${ctx.where}.`,
      );
    }
  }
  const batchIsLogAppendTime = (attributes & BatchAttribute.timestampTypeLogAppendTime) !== 0;
  const baseTimestamp = readInt64(buf, position + BatchField.baseTimestamp);
  result.recordCount += count;
  if ((attributes & BatchAttribute.compressionMask) !== CompressionType.none) {
    // Compressed: header-level checks only (the records are not decompressed on the produce path).
    const maxTimestamp = readInt64(buf, position + BatchField.maxTimestamp);
    for (const [ts, batchIndex] of [
      [baseTimestamp, 0],
      [maxTimestamp, -1],
    ] as const) {
      const message = timestampError(ts, batchIsLogAppendTime, ctx);
      if (message !== undefined) {
        return fail(RecordsErrorCode.INVALID_TIMESTAMP, message, batchIndex >= 0 ? [{ batchIndex, message }] : []);
      }
    }
    if (maxTimestamp > result.maxTimestamp) {
      result.maxTimestamp = maxTimestamp;
      result.offsetOfMaxTimestamp = offsetsSoFar + lastOffsetDelta;
    }
    return undefined;
  }
  return walkUncompressedRecords(buf, { position, size, count, baseTimestamp, batchIsLogAppendTime, offsetsSoFar }, ctx, result);
}

/** Walks the records of an uncompressed batch: framing, offset deltas, keys and timestamps. */
function walkUncompressedRecords(
  buf: Buffer,
  batch: { position: number; size: number; count: number; baseTimestamp: number; batchIsLogAppendTime: boolean; offsetsSoFar: number },
  ctx: Context,
  result: ValidRecords,
): InvalidRecords | undefined {
  const count = batch.count;
  const walker = new RecordWalker(buf, { start: batch.position + BatchField.records, end: batch.position + batch.size });
  let recordErrors: RecordError[] | undefined;
  let timestampFailed = false;
  let batchMax = NO_TIMESTAMP;
  let batchMaxIndex = -1;
  for (let i = 0; i < count; i++) {
    try {
      if (!walker.hasRemaining()) {
        return fail(RecordsErrorCode.INVALID_RECORD, `Incorrect declared batch size, premature EOF reached${ctx.where}`);
      }
      walker.next();
    } catch (err) {
      if (err instanceof InvalidRecordFormatError || err instanceof VarintError) {
        return fail(RecordsErrorCode.INVALID_RECORD, `${err.message}${ctx.where}`);
      }
      throw err;
    }
    if (walker.offsetDelta !== i) {
      return fail(
        RecordsErrorCode.INVALID_RECORD,
        `Record ${i} of the batch has offset delta ${walker.offsetDelta}; expected ${i}${ctx.where}`,
      );
    }
    const timestamp = batch.baseTimestamp + walker.timestampDelta;
    if (ctx.compacted && walker.keyLength < 0) {
      (recordErrors ??= []).push({ batchIndex: i, message: `Compacted topic cannot accept message without key${ctx.where}.` });
    } else {
      const message = timestampError(timestamp, batch.batchIsLogAppendTime, ctx);
      if (message !== undefined) {
        (recordErrors ??= []).push({ batchIndex: i, message });
        timestampFailed = true;
      }
    }
    if (timestamp > batchMax) {
      batchMax = timestamp;
      batchMaxIndex = i;
    }
  }
  if (walker.hasRemaining()) {
    return fail(RecordsErrorCode.INVALID_RECORD, `Incorrect declared batch size, records still remaining in file${ctx.where}`);
  }
  if (recordErrors !== undefined) {
    // As Kafka's processRecordErrors: any timestamp error makes the whole append INVALID_TIMESTAMP.
    const code = timestampFailed ? RecordsErrorCode.INVALID_TIMESTAMP : RecordsErrorCode.INVALID_RECORD;
    return fail(code, recordErrors[0].message, recordErrors);
  }
  if (batchMax > result.maxTimestamp) {
    result.maxTimestamp = batchMax;
    result.offsetOfMaxTimestamp = batch.offsetsSoFar + batchMaxIndex;
  }
  return undefined;
}

/** Kafka's LogValidator.validateTimestamp for one timestamp; returns the error message or undefined. */
function timestampError(timestamp: number, batchIsLogAppendTime: boolean, ctx: Context): string | undefined {
  if (!ctx.logAppendTimeTopic && timestamp !== NO_TIMESTAMP) {
    const diff = ctx.now - timestamp;
    if (diff > ctx.beforeMaxMs || -diff > ctx.afterMaxMs) {
      return (
        `Timestamp ${timestamp} of message is out of range${ctx.where}. The timestamp should be within ` +
        `[${ctx.now - ctx.beforeMaxMs}, ${ctx.now + ctx.afterMaxMs}]`
      );
    }
    return undefined;
  }
  if (batchIsLogAppendTime) {
    return `Invalid timestamp type in message${ctx.where}. Producer should not set timestamp type to LogAppendTime.`;
  }
  return undefined;
}

/**
 * Kafka's ProduceRequest.validateRecords, the check the Produce handler makes per partition before
 * the append: from v3 on, exactly one batch, of magic 2, and zstd only from v7 (KIP-110).
 */
export function checkProduceRequestRecords(buf: Buffer, apiVersion: number): InvalidRecords | undefined {
  if (apiVersion < 3) return undefined;
  if (buf.length < HEADER_SIZE_UP_TO_MAGIC) {
    return fail(
      RecordsErrorCode.INVALID_RECORD,
      `Produce requests with version ${apiVersion} must have at least one record batch per partition`,
    );
  }
  const size = LOG_OVERHEAD + buf.readInt32BE(BatchField.batchLength);
  if (size > buf.length) {
    return fail(
      RecordsErrorCode.INVALID_RECORD,
      `Produce requests with version ${apiVersion} must have at least one record batch per partition`,
    );
  }
  if (buf.readInt8(BatchField.magic) !== MAGIC_V2) {
    return fail(
      RecordsErrorCode.INVALID_RECORD,
      `Produce requests with version ${apiVersion} are only allowed to contain record batches with magic version 2`,
    );
  }
  if (
    apiVersion < 7 &&
    size >= RECORD_BATCH_OVERHEAD &&
    (buf.readInt16BE(BatchField.attributes) & BatchAttribute.compressionMask) === CompressionType.zstd
  ) {
    return fail(
      RecordsErrorCode.UNSUPPORTED_COMPRESSION_TYPE,
      `Produce requests with version ${apiVersion} are not allowed to use ZStandard compression`,
    );
  }
  if (size >= LOG_OVERHEAD && buf.length - size >= HEADER_SIZE_UP_TO_MAGIC) {
    const nextSize = LOG_OVERHEAD + buf.readInt32BE(size + BatchField.batchLength);
    if (size + nextSize <= buf.length) {
      return fail(
        RecordsErrorCode.INVALID_RECORD,
        `Produce requests with version ${apiVersion} are only allowed to contain exactly one record batch per partition`,
      );
    }
  }
  return undefined;
}
