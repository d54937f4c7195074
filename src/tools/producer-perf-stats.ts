/**
 * kafka-producer-perf-test's figures as Kafka 3.9's ProducerPerformance prints them: Java's `%.Nf`
 * formatting (also used by kafka-consumer-perf-test), and ProducerPerformance.Stats — the 5-second window
 * lines, the final totals and the 50th/95th/99th/99.9th latency percentiles over at most 500 000 sampled
 * latencies, recorded once per run of records acknowledged together.
 */

// ---------------------------------------------------------------------------------------------------
// Output formatting as Java's Formatter does it.

/** Java's `%.Nf`: the shortest decimal form of the double rounded HALF_UP (not binary-exact as toFixed). */
export function javaFixed(value: number, digits: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
  const shortest = String(Math.abs(value));
  if (shortest.includes('e')) return value.toFixed(digits);
  const [intPart, fracPart = ''] = shortest.split('.') as [string, string?];
  let digitsStr = intPart + fracPart.padEnd(digits, '0').slice(0, digits);
  if (fracPart.length > digits && fracPart.charCodeAt(digits) >= 53 /* '5' */) {
    const chars = digitsStr.split('');
    let i = chars.length - 1;
    for (; i >= 0; i--) {
      if (chars[i] === '9') chars[i] = '0';
      else {
        chars[i] = String.fromCharCode(chars[i]!.charCodeAt(0) + 1);
        break;
      }
    }
    digitsStr = (i < 0 ? '1' : '') + chars.join('');
  }
  const cut = digitsStr.length - digits;
  const text = digits > 0 ? `${digitsStr.slice(0, cut)}.${digitsStr.slice(cut)}` : digitsStr;
  return value < 0 && /[1-9]/.test(text) ? `-${text}` : text;
}

// ---------------------------------------------------------------------------------------------------
// ProducerPerformance.Stats

/** Throughput and latency bookkeeping, printed as ProducerPerformance.Stats prints it. */
export class ProducerStats {
  private readonly start: number;
  private readonly latencies: Int32Array;
  private readonly sampling: number;
  private readonly reportingIntervalMs = 5000;
  private iteration = 0;
  private index = 0;
  private count = 0;
  private bytes = 0;
  private maxLatency = 0;
  private totalLatency = 0;
  private windowCount = 0;
  private windowMaxLatency = 0;
  private windowTotalLatency = 0;
  private windowBytes = 0;
  private windowStart: number;

  constructor(
    numRecords: number,
    private readonly opts: { out: (line: string) => void; now?: () => number },
  ) {
    const now = this.now();
    this.start = now;
    this.windowStart = now;
    this.sampling = Math.floor(numRecords / Math.min(numRecords, 500_000));
    this.latencies = new Int32Array(Math.floor(numRecords / this.sampling) + 1);
  }

  private now(): number {
    return (this.opts.now ?? Date.now)();
  }

  /** Records `count` acknowledged records of `bytes` payload bytes in all, each with `latency` ms. */
  record(latency: number, run: { count: number; bytes: number; time: number }): void {
    const { count, time } = run;
    if (count <= 0) return;
    const perRecord = run.bytes / count;
    // The first record alone, so that a window closing here ends with it, as in Kafka's per-record loop.
    this.add(latency, 1, perRecord);
    if (time - this.windowStart >= this.reportingIntervalMs) {
      this.printWindow();
      this.newWindow();
    }
    if (count > 1) this.add(latency, count - 1, run.bytes - perRecord);
  }

  private add(latency: number, count: number, bytes: number): void {
    this.count += count;
    this.bytes += bytes;
    this.totalLatency += latency * count;
    this.maxLatency = Math.max(this.maxLatency, latency);
    this.windowCount += count;
    this.windowBytes += bytes;
    this.windowTotalLatency += latency * count;
    this.windowMaxLatency = Math.max(this.windowMaxLatency, latency);
    // Every sampling-th iteration keeps its latency.
    const end = this.iteration + count;
    for (let i = Math.ceil(this.iteration / this.sampling) * this.sampling; i < end; i += this.sampling) {
      if (this.index < this.latencies.length) this.latencies[this.index++] = latency;
    }
    this.iteration = end;
  }

  /** Records acknowledged so far. */
  get totalCount(): number {
    return this.count;
  }

  printWindow(): void {
    const elapsed = this.now() - this.windowStart;
    const recsPerSec = (1000 * this.windowCount) / elapsed;
    const mbPerSec = (1000 * this.windowBytes) / elapsed / (1024 * 1024);
    this.opts.out(
      `${this.windowCount} records sent, ${javaFixed(recsPerSec, 1)} records/sec (${javaFixed(mbPerSec, 2)} MB/sec), ` +
        `${javaFixed(this.windowTotalLatency / this.windowCount, 1)} ms avg latency, ${javaFixed(this.windowMaxLatency, 1)} ms max latency.\n`,
    );
  }

  private newWindow(): void {
    this.windowStart = this.now();
    this.windowCount = 0;
    this.windowMaxLatency = 0;
    this.windowTotalLatency = 0;
    this.windowBytes = 0;
  }

  /** The final line; also returns its figures (the bench reads them). */
  printTotal(): PerfTotals {
    const elapsed = this.now() - this.start;
    const recordsPerSec = (1000 * this.count) / elapsed;
    const mbPerSec = (1000 * this.bytes) / elapsed / (1024 * 1024);
    const sorted = this.latencies.subarray(0, Math.min(this.index, this.latencies.length)).sort();
    const pick = (p: number) => (sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!);
    const totals: PerfTotals = {
      records: this.count,
      recordsPerSec,
      mbPerSec,
      avgLatencyMs: this.totalLatency / this.count,
      maxLatencyMs: this.maxLatency,
      p50: pick(0.5),
      p95: pick(0.95),
      p99: pick(0.99),
      p999: pick(0.999),
    };
    this.opts.out(
      `${this.count} records sent, ${javaFixed(recordsPerSec, 6)} records/sec (${javaFixed(mbPerSec, 2)} MB/sec), ` +
        `${javaFixed(totals.avgLatencyMs, 2)} ms avg latency, ${javaFixed(this.maxLatency, 2)} ms max latency, ` +
        `${totals.p50} ms 50th, ${totals.p95} ms 95th, ${totals.p99} ms 99th, ${totals.p999} ms 99.9th.\n`,
    );
    return totals;
  }
}

/** The figures of the final line. */
export interface PerfTotals {
  records: number;
  recordsPerSec: number;
  mbPerSec: number;
  avgLatencyMs: number;
  maxLatencyMs: number;
  p50: number;
  p95: number;
  p99: number;
  p999: number;
}
