import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DelayedOperation, DelayedOperationPurgatory } from '../../src/server/purgatory/delayed-operation';

class Counter extends DelayedOperation {
  result: 'completed' | 'expired' | undefined;
  expired = false;
  constructor(delayMs: number, readonly state: { value: number }, readonly target: number) {
    super(delayMs);
  }
  override tryComplete(): boolean {
    return this.state.value >= this.target ? this.forceComplete() : false;
  }
  protected override onExpiration(): void {
    this.expired = true;
  }
  protected override onComplete(): void {
    this.result = this.expired ? 'expired' : 'completed';
  }
}

describe('DelayedOperationPurgatory', () => {
  test('completes at once when possible', () => {
    const p = new DelayedOperationPurgatory<Counter>('test');
    const op = new Counter(1000, { value: 5 }, 1);
    assert.equal(p.tryCompleteElseWatch(op, ['k']), true);
    assert.equal(op.result, 'completed');
    assert.equal(p.delayedCount, 0);
  });

  test('completes on checkAndComplete of any watched key, exactly once', async () => {
    const p = new DelayedOperationPurgatory<Counter>('test');
    const state = { value: 0 };
    const op = new Counter(10_000, state, 2);
    assert.equal(p.tryCompleteElseWatch(op, ['a', 'b']), false);
    assert.equal(p.delayedCount, 1);
    state.value = 1;
    assert.equal(p.checkAndComplete('a'), 0);
    state.value = 2;
    assert.equal(p.checkAndComplete('b'), 1);
    assert.equal(op.result, 'completed');
    assert.equal(p.checkAndComplete('a'), 0, 'already completed');
    assert.equal(op.forceComplete(), false);
  });

  test('expires after its delay', async () => {
    const p = new DelayedOperationPurgatory<Counter>('test');
    const op = new Counter(20, { value: 0 }, 1);
    p.tryCompleteElseWatch(op, ['k']);
    await new Promise((r) => setTimeout(r, 60));
    assert.equal(op.result, 'expired');
    assert.equal(p.delayedCount, 0);
  });

  test('shutdown forces every waiting operation', () => {
    const p = new DelayedOperationPurgatory<Counter>('test');
    const ops = [new Counter(10_000, { value: 0 }, 1), new Counter(10_000, { value: 0 }, 1)];
    p.tryCompleteElseWatch(ops[0]!, ['a']);
    p.tryCompleteElseWatch(ops[1]!, ['a', 'b']);
    p.shutdown();
    assert.deepEqual(ops.map((o) => o.result), ['completed', 'completed']);
  });
});
