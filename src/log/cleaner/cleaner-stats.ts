/**
 * Statistics of one cleaning (Kafka's CleanerStats) and the summary the cleaner thread logs after it
 * (CleanerThread.recordStats), with Java's number formatting (`%,.1f`: grouping commas, one decimal;
 * NaN and Infinity as Java prints them when a cleaning took no measurable time).
 */

/** Counters of one cleaning; times in ms from the injected clock. */
export class CleanerStats {
  readonly startTime: number;
  mapCompleteTime = -1;
  endTime = -1;
  bytesRead = 0;
  bytesWritten = 0;
  mapBytesRead = 0;
  mapMessagesRead = 0;
  messagesRead = 0;
  invalidMessagesRead = 0;
  messagesWritten = 0;
  bufferUtilization = 0;
  private readonly now: () => number;

  constructor(now: () => number) {
    this.now = now;
    this.startTime = now();
  }

  readMessages(messagesRead: number, bytesRead: number): void {
    this.messagesRead += messagesRead;
    this.bytesRead += bytesRead;
  }

  /** A record without a key found in a compacted log (it is dropped). */
  invalidMessage(): void {
    this.invalidMessagesRead++;
  }

  recopyMessages(messagesWritten: number, bytesWritten: number): void {
    this.messagesWritten += messagesWritten;
    this.bytesWritten += bytesWritten;
  }

  indexMessagesRead(count: number): void {
    this.mapMessagesRead += count;
  }

  indexBytesRead(size: number): void {
    this.mapBytesRead += size;
  }

  indexDone(): void {
    this.mapCompleteTime = this.now();
  }

  allDone(): void {
    this.endTime = this.now();
  }

  get elapsedSecs(): number {
    return (this.endTime - this.startTime) / 1000;
  }

  get elapsedIndexSecs(): number {
    return (this.mapCompleteTime - this.startTime) / 1000;
  }
}

/** Java's `%.Nf` / `%,.Nf` of a double. */
export function javaDecimal(value: number, opts: { decimals?: number; grouping?: boolean } = {}): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
  const fixed = value.toFixed(opts.decimals ?? 1);
  if (!opts.grouping) return fixed;
  const negative = fixed.startsWith('-');
  const [whole, fraction] = (negative ? fixed.slice(1) : fixed).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return (negative ? '-' : '') + grouped + (fraction === undefined ? '' : `.${fraction}`);
}

function mb(bytes: number): number {
  return bytes / (1024 * 1024);
}

/**
 * The multi-line summary Kafka's cleaner thread logs after a cleaning of `name` whose dirty section
 * was [from, to).
 */
export function formatCleanerStats(stats: CleanerStats, opts: { threadId: number; name: string; from: number; to: number }): string {
  const f = (v: number) => javaDecimal(v, { grouping: true });
  const p = (v: number) => javaDecimal(v);
  const cleanSecs = stats.elapsedSecs - stats.elapsedIndexSecs;
  return (
    `\n\tLog cleaner thread ${opts.threadId} cleaned log ${opts.name} (dirty section = [${opts.from}, ${opts.to}])\n` +
    `\t${f(mb(stats.bytesRead))} MB of log processed in ${f(stats.elapsedSecs)} seconds (${f(mb(stats.bytesRead) / stats.elapsedSecs)} MB/sec).\n` +
    `\tIndexed ${f(mb(stats.mapBytesRead))} MB in ${p(stats.elapsedIndexSecs)} seconds (${f(mb(stats.mapBytesRead) / stats.elapsedIndexSecs)} Mb/sec, ` +
    `${p((100 * stats.elapsedIndexSecs) / stats.elapsedSecs)}% of total time)\n` +
    `\tBuffer utilization: ${p(100 * stats.bufferUtilization)}%\n` +
    `\tCleaned ${f(mb(stats.bytesRead))} MB in ${p(cleanSecs)} seconds (${f(mb(stats.bytesRead) / cleanSecs)} Mb/sec, ` +
    `${p((100 * cleanSecs) / stats.elapsedSecs)}% of total time)\n` +
    `\tStart size: ${f(mb(stats.bytesRead))} MB (${stats.messagesRead.toLocaleString('en-US')} messages)\n` +
    `\tEnd size: ${f(mb(stats.bytesWritten))} MB (${stats.messagesWritten.toLocaleString('en-US')} messages)\n` +
    `\t${p(100 * (1 - stats.bytesWritten / stats.bytesRead))}% size reduction (${p(100 * (1 - stats.messagesWritten / stats.messagesRead))}% fewer messages)\n`
  );
}
