import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SystemTime } from '../../src/common/time';
import { ControllerEventManager, type ControllerEventProcessor } from '../../src/controller/controller-event-manager';
import { MemoryLogging } from './controller-test-utils';

interface TestEvent {
  name: string;
  work?: () => Promise<void>;
}

function manager(processor: ControllerEventProcessor<TestEvent>, logging = new MemoryLogging()) {
  return new ControllerEventManager<TestEvent>({
    processor,
    time: new SystemTime(),
    logger: logging.logger('kafka.controller.ControllerEventManager', 'ControllerEventThread controllerId=0'),
    describe: (e) => e.name,
  });
}

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('ControllerEventManager', { timeout: 180_000 }, () => {
  it('handles strictly one event at a time, in order, even when handlers await', async () => {
    const trace: string[] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    const em = manager({
      async process(e) {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        trace.push(`start ${e.name}`);
        // Several awaits of different lengths: interleaving would show in the trace.
        await tick(e.name === 'a' ? 30 : 5);
        await Promise.resolve();
        await tick(1);
        trace.push(`end ${e.name}`);
        inFlight--;
      },
      preempt() {},
    });
    em.start();
    const events = ['a', 'b', 'c', 'd'].map((name) => em.put({ name }));
    await Promise.all(events.map((q) => q.processed));
    assert.equal(maxInFlight, 1);
    assert.deepEqual(trace, ['start a', 'end a', 'start b', 'end b', 'start c', 'end c', 'start d', 'end d']);
  });

  it('queues events put while one is being processed and from inside a handler', async () => {
    const seen: string[] = [];
    const em: ControllerEventManager<TestEvent> = manager({
      async process(e) {
        seen.push(e.name);
        if (e.name === 'first') {
          em.put({ name: 'from-handler' });
          await tick(10);
          seen.push('first-done');
        }
      },
      preempt() {},
    });
    em.start();
    em.put({ name: 'first' });
    await tick(2);
    const last = em.put({ name: 'second' });
    await last.processed;
    await tick(5);
    assert.deepEqual(seen, ['first', 'first-done', 'from-handler', 'second']);
  });

  it('does not process events before start()', async () => {
    const seen: string[] = [];
    const em = manager({ async process(e) { seen.push(e.name); }, preempt() {} });
    const q = em.put({ name: 'early' });
    await tick(10);
    assert.deepEqual(seen, []);
    assert.equal(em.size, 1);
    em.start();
    await q.processed;
    assert.deepEqual(seen, ['early']);
  });

  it('a failing handler is logged and the next event still runs', async () => {
    const logging = new MemoryLogging();
    const seen: string[] = [];
    const em = manager({
      async process(e) {
        if (e.name === 'bad') throw new Error('boom');
        seen.push(e.name);
      },
      preempt() {},
    }, logging);
    em.start();
    em.put({ name: 'bad' });
    await em.put({ name: 'good' }).processed;
    assert.deepEqual(seen, ['good']);
    assert.ok(logging.lines('kafka.controller', ['error']).some((l) => l.includes('Uncaught error processing event bad')));
  });

  it('clearAndPut preempts queued events and runs the new one after the current event', async () => {
    const seen: string[] = [];
    const preempted: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => { release = r; });
    const em = manager({
      async process(e) {
        seen.push(e.name);
        if (e.name === 'slow') await gate;
      },
      preempt(e) { preempted.push(e.name); },
    });
    em.start();
    em.put({ name: 'slow' });
    const dropped = [em.put({ name: 'x' }), em.put({ name: 'y' })];
    await tick(5);
    const expire = em.clearAndPut({ name: 'Expire' });
    assert.deepEqual(preempted, ['x', 'y']);
    await Promise.all(dropped.map((q) => q.processed)); // preempted events settle too
    release();
    await expire.processed;
    assert.deepEqual(seen, ['slow', 'Expire']);
  });

  it('close() lets the current event finish, preempts the queue and later puts', async () => {
    const seen: string[] = [];
    const preempted: string[] = [];
    const em = manager({
      async process(e) {
        await tick(20);
        seen.push(e.name);
      },
      preempt(e) { preempted.push(e.name); },
    });
    em.start();
    em.put({ name: 'running' });
    em.put({ name: 'queued' });
    await tick(5);
    await em.close();
    assert.deepEqual(seen, ['running']);
    em.put({ name: 'late' });
    assert.deepEqual(preempted, ['queued', 'late']);
    assert.equal(em.state, 'Idle');
  });

  it('logs queue time and processing time at debug', async () => {
    const logging = new MemoryLogging();
    const em = manager({ async process() { await tick(5); }, preempt() {} }, logging);
    em.start();
    await em.put({ name: 'measured' }).processed;
    await tick(1);
    const line = logging.lines('kafka.controller.ControllerEventManager', ['debug']).find((l) => l.includes('measured'));
    assert.match(line ?? '', /Processed event measured in \d+ ms after \d+ ms in the queue/);
  });
});
