/**
 * unclean.leader.election.enable takes effect without a restart: a partition whose only in-sync replica is
 * down stays leaderless while unclean election is off, and gets the out-of-sync replica as leader as soon
 * as the topic config turns it on (the controller elects at once, as Kafka's enableTopicUncleanLeaderElection).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startCluster, type Cluster } from '../harness/cluster';
import { runBin } from '../tools/bin-runner';
import { kafkajs, kcat } from './clients';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('dynamic unclean leader election', { timeout: 180_000 }, () => {
  let cluster: Cluster;
  before(async () => {
    cluster = await startCluster({ brokers: 2, props: { 'replica.lag.time.max.ms': '2000', 'zookeeper.session.timeout.ms': '6000' } });
  });
  after(async () => {
    await cluster?.stop();
  });

  test('turning unclean.leader.election.enable on elects the out-of-sync replica', async () => {
    const [b0, b1] = cluster.brokers as [NonNullable<(typeof cluster.brokers)[0]>, NonNullable<(typeof cluster.brokers)[1]>];
    let admin = kafkajs(cluster.bootstrap).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'unclean', replicaAssignment: [{ partition: 0, replicas: [0, 1] }] }], waitForLeaders: true });
    let bootstrap = cluster.bootstrap;
    // kcat reports leaderless partitions as they are (kafkajs throws on LEADER_NOT_AVAILABLE).
    const leaderAndIsr = async () => {
      const r = await kcat(['-b', bootstrap, '-L', '-J', '-t', 'unclean', '-m', '5'], { timeoutMs: 10_000 });
      const t = (JSON.parse(r.stdout) as { topics: { partitions: { leader: number; isrs: { id: number }[] }[] }[] }).topics[0]!;
      const p = t.partitions[0]!;
      return { leader: p.leader, isr: p.isrs.map((i) => i.id) };
    };
    const waitUntil = async (cond: (p: { leader: number; isr: number[] }) => boolean, what: string) => {
      const deadline = Date.now() + 60_000;
      for (;;) {
        const p = await leaderAndIsr().catch(() => undefined);
        if (p && cond(p)) return p;
        assert.ok(Date.now() < deadline, `timed out waiting for ${what}; last ${JSON.stringify(p)}`);
        await sleep(250);
      }
    };
    await waitUntil((p) => p.leader === 0 && p.isr.length === 2, 'leader 0 with both replicas in sync');

    await b1.kill();
    await waitUntil((p) => p.leader === 0 && p.isr.length === 1, 'broker 1 out of the ISR');
    await admin.disconnect();
    await b0.kill();
    await b1.start();
    bootstrap = b1.bootstrap;
    admin = kafkajs(b1.bootstrap).admin();
    await admin.connect();
    await waitUntil((p) => p.leader === -1, 'the partition offline (its only in-sync replica is down)');
    await sleep(2000);
    assert.equal((await leaderAndIsr()).leader, -1, 'no unclean election while it is disabled');

    const altered = await runBin('kafka-configs.sh', [
      '--bootstrap-server', b1.bootstrap, '--entity-type', 'topics', '--entity-name', 'unclean',
      '--alter', '--add-config', 'unclean.leader.election.enable=true',
    ]);
    assert.equal(altered.code, 0, altered.stderr);
    assert.match(altered.stdout, /Completed updating config for topic unclean\./);
    const p = await waitUntil((q) => q.leader === 1, 'broker 1 elected leader after the config change');
    assert.deepEqual(p.isr, [1]);
    await admin.disconnect();
  });
});
