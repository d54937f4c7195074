// SystemTime and MockTime.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MockTime, SystemTime } from '../../src/common/time';

describe('SystemTime', () => {
  it('tracks the wall clock and sleeps', async () => {
    const time = new SystemTime();
    const before = time.milliseconds();
    const nanos = time.hiResNanos();
    await time.sleep(20);
    assert.ok(Math.abs(before - Date.now()) < 5000);
    assert.ok(time.milliseconds() - before >= 15);
    assert.ok(time.hiResNanos() - nanos >= 15_000_000n);
  });
});

describe('MockTime', () => {
  it('moves only when told to; sleep advances it at once', async () => {
    const time = new MockTime({ startMs: 1000 });
    assert.equal(time.milliseconds(), 1000);
    await time.sleep(500);
    assert.equal(time.milliseconds(), 1500);
    assert.equal(time.hiResNanos(), 500_000_000n);
    time.advance(10);
    assert.equal(time.milliseconds(), 1510);
    assert.throws(() => time.advance(-1), RangeError);
    time.setMilliseconds(0);
    assert.equal(time.milliseconds(), 0);
    assert.equal(time.hiResNanos(), 510_000_000n);
  });

  it('notifies tick listeners until removed', () => {
    const time = new MockTime({ startMs: 0 });
    const seen: number[] = [];
    const remove = time.onTick((now) => seen.push(now));
    time.advance(5);
    time.advance(5);
    remove();
    time.advance(5);
    assert.deepEqual(seen, [5, 10]);
  });
});
