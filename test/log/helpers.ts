// Shared fixtures of the log tests: temp dirs, a capturing logger, a hand-driven scheduler, batches.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Logger } from '../../src/common/logger';
import { defaultLogConfig, type LogConfig } from '../../src/log/log-config';
import type { ScheduledTask, Scheduler } from '../../src/log/log-scheduler';
import { buildRecordBatch } from '../../src/protocol/records/record-batch-builder';
import type { CompressionName } from '../../src/protocol/records/record-batch';

export async function tempDir(prefix = 'ts-kafka-log-'): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** A Logger that keeps its lines (level + message) for assertions. */
export class CapturingLogger implements Logger {
  readonly name = 'test';
  readonly lines: string[] = [];
  private add(level: string, m: string | (() => string)) {
    this.lines.push(`${level} ${typeof m === 'function' ? m() : m}`);
  }
  error(m: string | (() => string)) {
    this.add('ERROR', m);
  }
  warn(m: string | (() => string)) {
    this.add('WARN', m);
  }
  info(m: string | (() => string)) {
    this.add('INFO', m);
  }
  debug(m: string | (() => string)) {
    this.add('DEBUG', m);
  }
  trace(m: string | (() => string)) {
    this.add('TRACE', m);
  }
  isDebugEnabled() {
    return true;
  }
  isTraceEnabled() {
    return false;
  }
}

/** A Scheduler whose tasks run only when the test says so. */
export class ManualScheduler implements Scheduler {
  readonly tasks: { name: string; run: () => Promise<void> | void; delayMs: number; periodMs?: number; cancelled: boolean }[] = [];

  schedule(name: string, run: () => Promise<void> | void, opts: { delayMs: number; periodMs?: number }): ScheduledTask {
    const task = { name, run, delayMs: opts.delayMs, periodMs: opts.periodMs, cancelled: false };
    this.tasks.push(task);
    return { cancel: () => void (task.cancelled = true) };
  }

  /** Runs every pending task whose name starts with `prefix`; one-shot tasks are removed. */
  async runAll(prefix = ''): Promise<number> {
    const due = this.tasks.filter((t) => !t.cancelled && t.name.startsWith(prefix));
    for (const t of due) {
      if (t.periodMs === undefined) this.tasks.splice(this.tasks.indexOf(t), 1);
      await t.run();
    }
    return due.length;
  }
}

/** A settable clock. */
export class Clock {
  constructor(public ms = 1_700_000_000_000) {}
  readonly now = () => this.ms;
}

export function config(overrides: Partial<LogConfig> = {}): LogConfig {
  return { ...defaultLogConfig(), fileDeleteDelayMs: 0, ...overrides };
}

/** One batch of `count` records of `valueSize` bytes each, stamped `timestamp`. */
export function batch(
  count: number,
  opts: { timestamp?: number; valueSize?: number; compression?: CompressionName; prefix?: string } = {},
): Promise<Buffer> {
  const records = Array.from({ length: count }, (_, i) => ({
    key: `${opts.prefix ?? 'k'}${i}`,
    value: Buffer.alloc(opts.valueSize ?? 10, i),
    timestamp: opts.timestamp,
  }));
  return buildRecordBatch(records, { compression: opts.compression ?? 'none', now: opts.timestamp });
}
