// Replication throttles (KIP-73) in isolation, with a fake clock: the sampled rate's windows (a fresh rate
// spread over samples - 1 windows, old windows dropped), the throttled-replicas lists of one broker, and the
// quota check that holds throttled partitions back only above a bound.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ReplicationQuotaManager, UNBOUNDED_RATE, parseThrottledPartitions } from '../../src/server/quota/replication-quota-manager';
import { SampledRate } from '../../src/server/quota/sampled-rate';

describe('SampledRate', () => {
  test('a fresh rate counts at least samples - 1 windows; windows older than the span are dropped', () => {
    let now = 100_000;
    const rate = new SampledRate({ samples: 11, windowMs: 1000, now: () => now });
    assert.equal(rate.measure(), 0);
    rate.record(10_000);
    assert.equal(rate.measure(), 1000); // 10 000 bytes over 10 windows of 1 s
    now += 500;
    rate.record(10_000);
    assert.equal(rate.measure(), 20_000 / 10.5);
    now += 20_000; // every sample is now older than 11 windows
    assert.equal(rate.measure(), 0);
    rate.record(5_000);
    for (let i = 0; i < 15; i++) {
      now += 1000;
      rate.record(5_000);
    }
    // Steady 5 000 bytes per second: the 11 kept windows hold 11 × 5 000 bytes, started 10 s ago.
    assert.equal(rate.measure(), 5_500);
  });
});

describe('ReplicationQuotaManager', () => {
  test('throttled replicas: the partitions naming this broker, or every partition for *', () => {
    assert.deepEqual(parseThrottledPartitions('0:1,1:2, 2:1', 1), [0, 2]);
    assert.deepEqual(parseThrottledPartitions('*', 7), 'all');
    assert.deepEqual(parseThrottledPartitions('', 1), []);
    assert.deepEqual(parseThrottledPartitions(undefined, 1), []);
    const q = new ReplicationQuotaManager({ samples: 11, windowMs: 1000, now: () => 0 });
    q.markThrottled('t', [0, 2]);
    assert.equal(q.isThrottled('t', 0), true);
    assert.equal(q.isThrottled('t', 1), false);
    assert.equal(q.isThrottled('u', 0), false);
    q.markThrottled('u', 'all');
    assert.equal(q.isThrottled('u', 41), true);
    q.markThrottled('t', []);
    assert.equal(q.isThrottled('t', 0), false);
    q.removeThrottle('u');
    assert.equal(q.isThrottled('u', 41), false);
  });

  test('exceeded only above a bound; the bound can change at any time', () => {
    let now = 0;
    const q = new ReplicationQuotaManager({ samples: 11, windowMs: 1000, now: () => now });
    assert.equal(q.quota, UNBOUNDED_RATE);
    q.record(1e12);
    assert.equal(q.isQuotaExceeded(), false, 'no bound: never exceeded');
    q.updateQuota(1e12);
    assert.equal(q.isQuotaExceeded(), false);
    q.updateQuota(1000);
    assert.equal(q.isQuotaExceeded(), true);
    now += 30_000;
    assert.equal(q.isQuotaExceeded(), false, 'the burst left the sampled span');
    q.record(9_000);
    assert.equal(q.isQuotaExceeded(), false, '9 000 bytes over 10 s is 900 B/s');
    q.record(2_000);
    assert.equal(q.isQuotaExceeded(), true);
  });
});
