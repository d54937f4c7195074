// KafkaScheduler (real timers) and MockScheduler (MockTime): delays, periods, no overlap, errors
// logged, cancellation and shutdown.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Logger } from '../../src/common/logger';
import { KafkaScheduler, MockScheduler, SchedulerShutdownError } from '../../src/common/scheduler';
import { MockTime } from '../../src/common/time';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function recordingLogger(): Logger & { errors: Array<{ message: string; cause: unknown }> } {
  const errors: Array<{ message: string; cause: unknown }> = [];
  const text = (m: string | (() => string)): string => (typeof m === 'function' ? m() : m);
  return {
    name: 'test',
    errors,
    error: (m, cause) => errors.push({ message: text(m), cause }),
    warn: () => {},
    info: () => {},
    debug: () => {},
    trace: () => {},
    isDebugEnabled: () => true,
    isTraceEnabled: () => true,
  };
}

describe('KafkaScheduler', () => {
  it('runs a one-shot task after its delay', async () => {
    const scheduler = new KafkaScheduler();
    const start = Date.now();
    let ranAt = 0;
    scheduler.schedule('once', () => {
      ranAt = Date.now();
    }, { delayMs: 30 });
    await sleep(80);
    assert.ok(ranAt - start >= 25, `ran after ${ranAt - start} ms`);
    await scheduler.shutdown();
  });

  it('runs a periodic task repeatedly', async () => {
    const scheduler = new KafkaScheduler();
    let runs = 0;
    scheduler.schedule('tick', () => {
      runs++;
    }, { delayMs: 0, periodMs: 10 });
    await sleep(150);
    await scheduler.shutdown();
    assert.ok(runs >= 3, `only ${runs} runs`);
  });

  it('skips a periodic run while the previous one is still running', async () => {
    const scheduler = new KafkaScheduler();
    let concurrent = 0;
    let maxConcurrent = 0;
    let runs = 0;
    scheduler.schedule('slow', async () => {
      runs++;
      concurrent++;
      maxConcurrent = Math.max(maxConcurrent, concurrent);
      await sleep(50);
      concurrent--;
    }, { periodMs: 5 });
    await sleep(180);
    await scheduler.shutdown();
    assert.equal(maxConcurrent, 1);
    assert.ok(runs >= 2 && runs <= 5, `${runs} runs`);
  });

  it('logs task errors and keeps running the task', async () => {
    const logger = recordingLogger();
    const scheduler = new KafkaScheduler({ logger });
    let runs = 0;
    scheduler.schedule('failing', () => {
      runs++;
      throw new Error('boom');
    }, { periodMs: 10 });
    scheduler.schedule('rejecting', () => Promise.reject(new Error('async boom')));
    await sleep(60);
    await scheduler.shutdown();
    assert.ok(runs >= 2);
    assert.ok(logger.errors.some((e) => e.message === "Uncaught exception in scheduled task 'failing'" && (e.cause as Error).message === 'boom'));
    assert.ok(logger.errors.some((e) => e.message === "Uncaught exception in scheduled task 'rejecting'"));
  });

  it('delays beyond the Node timer limit (Kafka\'s Long.MAX_VALUE intervals) do not fire early', async () => {
    const scheduler = new KafkaScheduler();
    let periodic = 0;
    let delayed = 0;
    scheduler.schedule('flush-check', () => {
      periodic++;
    }, { delayMs: 0, periodMs: Number.MAX_SAFE_INTEGER });
    scheduler.schedule('far-future', () => {
      delayed++;
    }, { delayMs: 2 ** 31 + 1000 });
    await sleep(60);
    await scheduler.shutdown();
    assert.equal(periodic, 1);
    assert.equal(delayed, 0);
  });

  it('cancel stops future runs', async () => {
    const scheduler = new KafkaScheduler();
    let runs = 0;
    const task = scheduler.schedule('c', () => {
      runs++;
    }, { periodMs: 10 });
    await sleep(35);
    task.cancel();
    const after = runs;
    await sleep(40);
    assert.equal(runs, after);
    const never = scheduler.schedule('never', () => assert.fail('should not run'), { delayMs: 20 });
    never.cancel();
    await sleep(40);
    await scheduler.shutdown();
  });

  it('shutdown waits for running tasks and refuses new ones', async () => {
    const scheduler = new KafkaScheduler();
    let finished = false;
    scheduler.schedule('long', async () => {
      await sleep(60);
      finished = true;
    });
    await sleep(10);
    await scheduler.shutdown();
    assert.equal(finished, true);
    assert.equal(scheduler.isShutdown, true);
    assert.throws(() => scheduler.schedule('late', () => {}), SchedulerShutdownError);
  });

  it('its timers do not keep the process alive', async () => {
    const { execFileSync } = await import('node:child_process');
    const path = await import('node:path');
    const module = JSON.stringify(path.join(__dirname, '..', '..', 'src', 'common', 'scheduler'));
    const script = `const { KafkaScheduler } = require(${module}); new KafkaScheduler().schedule('t', () => {}, { delayMs: 60000, periodMs: 1000 });`;
    const start = Date.now();
    execFileSync(process.execPath, ['--import', 'tsx', '-e', script], { timeout: 20000 });
    assert.ok(Date.now() - start < 20000);
  });
});

describe('MockScheduler', () => {
  it('runs tasks as the mock clock passes their due time, in order', async () => {
    const time = new MockTime({ startMs: 0 });
    const scheduler = new MockScheduler(time);
    const log: string[] = [];
    scheduler.schedule('periodic', () => {
      log.push(`p@${time.milliseconds()}`);
    }, { delayMs: 100, periodMs: 100 });
    scheduler.schedule('once', () => {
      log.push(`o@${time.milliseconds()}`);
    }, { delayMs: 150 });
    time.advance(99);
    await scheduler.tick();
    assert.deepEqual(log, []);
    time.advance(1);
    await scheduler.tick();
    assert.deepEqual(log, ['p@100']);
    time.advance(200);
    await scheduler.tick();
    // Everything due by t=300 ran, each as many times as it was due.
    assert.deepEqual(log, ['p@100', 'o@300', 'p@300', 'p@300']);
    await scheduler.shutdown();
    time.advance(1000);
    await scheduler.tick();
    assert.equal(log.length, 4);
  });

  it('logs errors, supports cancel and an immediate first run', async () => {
    const time = new MockTime();
    const logger = recordingLogger();
    const scheduler = new MockScheduler(time, { logger });
    let runs = 0;
    const task = scheduler.schedule('now', () => {
      runs++;
      throw new Error('bad');
    }, { periodMs: 10 });
    await scheduler.tick();
    assert.equal(runs, 1);
    assert.equal(logger.errors.length, 1);
    task.cancel();
    time.advance(100);
    await scheduler.tick();
    assert.equal(runs, 1);
    await scheduler.shutdown();
  });
});
