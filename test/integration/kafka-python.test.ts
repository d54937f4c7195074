/**
 * kafka-python (Debian's python3-kafka) against a real broker: a producer with keys and gzip, and a
 * consumer with assigned partitions and no group (assign, seek_to_beginning, offsets_for_times,
 * end_offsets).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startCluster, type Cluster } from '../harness/cluster';
import { python } from './clients';

describe('kafka-python', { timeout: 120_000 }, () => {
  let cluster: Cluster;
  before(async () => {
    cluster = await startCluster({ brokers: 1, props: { 'num.partitions': '3' } });
  });
  after(async () => {
    await cluster?.stop();
  });

  test('producer and an assigned-partition consumer without a group', async () => {
    const script = `
import json, sys, time
from kafka import KafkaProducer, KafkaConsumer, TopicPartition
bootstrap = ${JSON.stringify(cluster.bootstrap)}
p = KafkaProducer(bootstrap_servers=bootstrap, acks='all', compression_type='gzip', linger_ms=5)
sent = []
for i in range(300):
    md = p.send('py-topic', key=('k%d' % (i % 7)).encode(), value=('v%d' % i).encode()).get(timeout=30)
    sent.append([md.partition, md.offset, 'k%d' % (i % 7), 'v%d' % i, md.timestamp])
p.flush(); p.close()
c = KafkaConsumer(bootstrap_servers=bootstrap, group_id=None, enable_auto_commit=False, consumer_timeout_ms=3000)
parts = [TopicPartition('py-topic', n) for n in sorted(c.partitions_for_topic('py-topic'))]
c.assign(parts)
c.seek_to_beginning()
got = []
for m in c:
    got.append([m.partition, m.offset, m.key.decode(), m.value.decode(), m.timestamp])
ends = c.end_offsets(parts)
first_ts = min(s[4] for s in sent)
times = c.offsets_for_times({tp: first_ts for tp in parts})
print(json.dumps({'sent': sent, 'got': got,
  'ends': {str(tp.partition): o for tp, o in ends.items()},
  'times': {str(tp.partition): (ot.offset if ot else None) for tp, ot in times.items()}}))
`;
    const res = await python(script, { timeoutMs: 90_000 });
    assert.equal(res.code, 0, res.stderr);
    const out = JSON.parse(res.stdout) as {
      sent: [number, number, string, string, number][];
      got: [number, number, string, string, number][];
      ends: Record<string, number>;
      times: Record<string, number | null>;
    };
    assert.equal(out.got.length, 300);
    const key = (r: [number, number, string, string, number]) => `${r[0]}/${r[1]}/${r[2]}/${r[3]}`;
    assert.deepEqual(out.got.map(key).sort(), out.sent.map(key).sort());
    // Same key, same partition (Kafka's murmur2 partitioner in kafka-python).
    const partitionOfKey = new Map<string, number>();
    for (const r of out.sent) {
      const p = partitionOfKey.get(r[2]);
      if (p !== undefined) assert.equal(p, r[0]);
      partitionOfKey.set(r[2], r[0]);
    }
    for (const [p, end] of Object.entries(out.ends)) {
      assert.equal(end, out.sent.filter((s) => String(s[0]) === p).length);
    }
    for (const [p, off] of Object.entries(out.times)) {
      const hasData = out.sent.some((s) => String(s[0]) === p);
      if (hasData) assert.equal(off, 0, `partition ${p}: the earliest timestamp maps to offset 0`);
    }
  });
});
