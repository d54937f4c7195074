/**
 * Rebuilding a partition's producer state from its latest snapshot and the log after it (Kafka's
 * UnifiedLog.rebuildProducerState, 3.9), used when a log is loaded and after a truncation:
 *
 * - snapshots above the log end offset (or at/below the log start offset) are deleted;
 * - a log without any snapshot that was shut down cleanly is not scanned (Kafka's shortcut for logs
 *   written before producer state existed: they hold no idempotent producers worth remembering);
 * - otherwise the state is loaded from the latest valid snapshot (corrupt ones are deleted) and the
 *   batch headers from there to the log end are replayed without validation, reading only headers;
 * - a snapshot is then written at the log end offset, so the next load starts from there.
 */
import type { Logger } from '../common/logger';
import { BatchScanner } from './file-records';
import type { LogSegment } from './log-segment';
import { producerBatchOf, type ProducerStateManager } from './producer-state-manager';

/** Inputs of rebuildProducerState. */
export interface RebuildProducerStateOptions {
  segments: readonly LogSegment[];
  logStartOffset: number;
  logEndOffset: number;
  /** Whether the log was shut down cleanly (load only). */
  reloadFromCleanShutdown: boolean;
  now: number;
  /** producer.id.expiration.ms, to skip expired entries of a snapshot; undefined keeps them all. */
  expirationMs?: number;
  logger: Logger;
}

/** Rebuilds `psm` so that it covers the log up to `opts.logEndOffset`; see the file comment. */
export async function rebuildProducerState(psm: ProducerStateManager, opts: RebuildProducerStateOptions): Promise<void> {
  const { logEndOffset, logger } = opts;
  logger.info(`Loading producer state till offset ${logEndOffset}`);
  if (psm.latestSnapshotOffset === undefined && opts.reloadFromCleanShutdown) {
    psm.updateMapEndOffset(logEndOffset);
    await psm.takeSnapshot({ sync: true });
    return;
  }
  const isEmptyBeforeTruncation = psm.isEmpty && psm.mapEndOffset >= logEndOffset;
  await psm.truncateAndReload(logEndOffset, { logStartOffset: opts.logStartOffset, now: opts.now, expirationMs: opts.expirationMs });
  // With no producers before a truncation there are none after it: skip the scan (Kafka's optimisation).
  if (logEndOffset > psm.mapEndOffset && !isEmptyBeforeTruncation) {
    const from = Math.max(psm.mapEndOffset, opts.logStartOffset);
    logger.info(`Reloading from producer snapshot and rebuilding producer state from offset ${from}`);
    await replaySegments(psm, { segments: opts.segments, from, to: logEndOffset });
  }
  psm.updateMapEndOffset(logEndOffset);
  await psm.takeSnapshot({ sync: true });
}

/** Applies the headers of the batches holding offsets in [from, to) without validation. */
async function replaySegments(psm: ProducerStateManager, range: { segments: readonly LogSegment[]; from: number; to: number }): Promise<void> {
  const { segments } = range;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i];
    const next = segments[i + 1];
    if (next !== undefined && next.baseOffset <= range.from) continue;
    if (segment.baseOffset >= range.to) break;
    const start = await segment.translateOffset(Math.max(range.from, segment.baseOffset));
    if (!start) continue;
    const scanner = new BatchScanner(segment.log, { limit: segment.log.size, chunkSize: 1024 * 1024 });
    for (let position = start.position; ; ) {
      const found = await scanner.at(position, false);
      if (found.status !== 'ok') break;
      const view = found.view;
      if (view.baseOffset >= range.to) return;
      if (view.lastOffset >= range.from) psm.loadBatch(producerBatchOf(view));
      position += found.size;
    }
  }
}
