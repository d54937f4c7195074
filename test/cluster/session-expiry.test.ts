/**
 * ZooKeeper session expiry, for real: a broker process is frozen with SIGSTOP for longer than
 * zookeeper.session.timeout.ms (6000), so ZooKeeper expires its session and drops its ephemeral nodes, then
 * thawed with SIGCONT. Done to a plain broker and to the controller. Each time the cluster must recover:
 * exactly one controller that every broker agrees on, every broker registered again (a new czxid, i.e. a new
 * broker epoch), every partition led by a live broker with the full ISR back, and produce/consume working.
 * acks=all writers (sequence-writer.ts) run through both pauses on a second topic; at the end every
 * acknowledged record is read back and the three replicas' logs are identical below the high watermark (the
 * frozen leader's unreplicated appends were truncated away).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { BrokerProcess, Cluster } from '../harness/cluster';
import {
  ClusterZk,
  brokerLogFile,
  createTopic,
  destroyCluster,
  killAndCompareReplicas,
  metadataFrom,
  readPartitionWithKcat,
  sleep,
  startReplicatedCluster,
  waitForIsr,
  waitUntil,
  withDeadline,
} from './cluster-helpers';
import { kafkajs } from '../integration/clients';
import { SequenceWriter, checkSequence } from './sequence-writer';

const TOPIC = 'expiry';
const LOAD_TOPIC = 'expiry-load';
const PARTITIONS = 3;
const SESSION_TIMEOUT_MS = 6000;

describe('ZooKeeper session expiry', { timeout: 240_000 }, () => {
  let cluster: Cluster | undefined;
  let zk: ClusterZk | undefined;
  let produced = 0;
  const writers: SequenceWriter[] = [];

  before(async () => {
    cluster = await startReplicatedCluster({ 'zookeeper.session.timeout.ms': String(SESSION_TIMEOUT_MS) });
    zk = await ClusterZk.open(cluster);
    await createTopic(cluster.bootstrap, { topic: TOPIC, partitions: PARTITIONS, configs: { 'min.insync.replicas': '2' } });
    await createTopic(cluster.bootstrap, { topic: LOAD_TOPIC, partitions: PARTITIONS, configs: { 'min.insync.replicas': '2' } });
    await produceAndConsume(cluster);
    for (let p = 0; p < PARTITIONS; p++) writers.push(new SequenceWriter({ bootstrap: cluster.bootstrap, topic: LOAD_TOPIC, partition: p }));
    await Promise.all(writers.map((w) => w.start()));
  });
  after(async () => {
    await withDeadline(Promise.all(writers.map((w) => w.stop())), 60_000);
    await zk?.close().catch(() => undefined);
    await destroyCluster(cluster);
  });

  /** acks=all to every partition, then everything produced so far is read back. */
  async function produceAndConsume(c: Cluster): Promise<void> {
    const producer = kafkajs(c.bootstrap).producer({ allowAutoTopicCreation: false });
    await producer.connect();
    try {
      for (let p = 0; p < PARTITIONS; p++) {
        const messages = Array.from({ length: 100 }, (_, i) => ({ partition: p, value: `${p}:${produced + i}` }));
        await producer.send({ topic: TOPIC, acks: -1, timeout: 10_000, messages });
      }
      produced += 100;
    } finally {
      await producer.disconnect();
    }
    for (let p = 0; p < PARTITIONS; p++) {
      const values = await readPartitionWithKcat(c.bootstrap, { topic: TOPIC, partition: p });
      assert.deepEqual(values, Array.from({ length: produced }, (_, i) => `${p}:${i}`), `${TOPIC}-${p} reads back in full`);
    }
  }

  /** Freezes `broker` until ZooKeeper expired its session (its /brokers/ids node is gone), then thaws it. */
  async function expireByFreezing(c: Cluster, broker: BrokerProcess): Promise<void> {
    const z = zk!;
    process.kill(broker.pid!, 'SIGSTOP');
    try {
      await waitUntil(`ZooKeeper to expire broker ${broker.id}'s session`, async () => !(await z.brokerEpochs()).has(broker.id), {
        timeoutMs: SESSION_TIMEOUT_MS * 4,
      });
      // Past the expiry the rest of the cluster reacts while the broker is still frozen.
      await sleep(1000);
    } finally {
      process.kill(broker.pid!, 'SIGCONT');
    }
    assert.ok(broker.running, `broker ${broker.id} survived the pause`);
  }

  /** The checks after each recovery. */
  async function assertRecovered(c: Cluster, oldEpochs: Map<number, number>, thawed: number): Promise<number> {
    const z = zk!;
    const epochs = await waitUntil('all three brokers registered', async () => {
      const e = await z.brokerEpochs();
      return e.size === 3 ? e : undefined;
    });
    assert.notEqual(epochs.get(thawed), oldEpochs.get(thawed), `broker ${thawed} registered again with a new czxid`);
    for (const [id, epoch] of oldEpochs) if (id !== thawed) assert.equal(epochs.get(id), epoch, `broker ${id} kept its registration`);
    const states = await waitForIsr(z, { topic: TOPIC, partitions: PARTITIONS, isr: [0, 1, 2], timeoutMs: 60_000 });
    for (const s of states) assert.ok([0, 1, 2].includes(s.leader), `leader ${s.leader} is a live broker`);
    // The thawed broker kept fetching before it learnt that its session had expired; its leaders may put it
    // back into the ISR only once it registered again (Kafka 3.9 checks the broker is alive). The last write
    // of each state znode is that expansion.
    const registeredAt = (await z.brokerRegisteredAt(thawed))!;
    for (const [p, s] of states.entries()) {
      assert.ok(s.mtime >= registeredAt, `${TOPIC}-${p}: broker ${thawed} rejoined the ISR ${registeredAt - s.mtime} ms before it registered again`);
    }
    const controller = (await z.controllerId())!;
    assert.ok(controller !== undefined && epochs.has(controller), 'a registered broker is controller');
    // Exactly one controller: every broker names the one in /controller, and only its log claims the role last.
    await waitUntil('every broker to agree on the controller', async () => {
      for (const b of c.brokers) if ((await metadataFrom(b)).controllerId !== controller) return false;
      return true;
    });
    for (const b of c.brokers) {
      const log = brokerLogFile(b, 'controller.log');
      const elected = log.lastIndexOf(`${b.id} successfully elected as the controller`);
      const resigned = log.lastIndexOf('Resigned');
      if (b.id === controller) assert.ok(elected >= 0 && elected > resigned, `broker ${b.id} is the active controller`);
      else assert.ok(elected < 0 || resigned > elected, `broker ${b.id} resigned after its last election`);
    }
    // Metadata from every broker: every partition has a live leader and the full ISR.
    await waitUntil('metadata with live leaders and full ISRs on every broker', async () => {
      for (const b of c.brokers) {
        const parts = (await metadataFrom(b)).topics.get(TOPIC)?.partitions ?? [];
        if (parts.length !== PARTITIONS || parts.some((x) => x.leader < 0 || x.isr.length !== 3)) return false;
      }
      return true;
    });
    await produceAndConsume(c);
    return controller;
  }

  test('a broker whose session expired registers again and rejoins the ISR', async () => {
    const c = cluster!;
    const z = zk!;
    const controller = (await z.controllerId())!;
    const broker = c.brokers.find((b) => b.id !== controller)!;
    const oldEpochs = await z.brokerEpochs();
    const before = await Promise.all(Array.from({ length: PARTITIONS }, (_, p) => z.partitionState(TOPIC, p)));
    await expireByFreezing(c, broker);
    // While the broker was gone the controller moved its leaderships and took it out of the ISRs.
    const during = await Promise.all(Array.from({ length: PARTITIONS }, (_, p) => z.partitionState(TOPIC, p)));
    for (let p = 0; p < PARTITIONS; p++) {
      if (before[p]!.leader === broker.id) assert.ok(during[p]!.leader_epoch > before[p]!.leader_epoch, `${TOPIC}-${p} got a new leader`);
    }
    assert.equal(await assertRecovered(c, oldEpochs, broker.id), controller, 'the controller did not change');
    assert.match(broker.output + brokerLogFile(broker, 'controller.log'), /Re-registered broker \d+ with broker epoch/);
  });

  test('a controller whose session expired resigns; another broker takes over and it rejoins as a broker', async () => {
    const c = cluster!;
    const z = zk!;
    const controller = (await z.controllerId())!;
    const epochBefore = await z.controllerEpoch();
    const oldEpochs = await z.brokerEpochs();
    await expireByFreezing(c, c.brokers[controller]!);
    const newController = await assertRecovered(c, oldEpochs, controller);
    assert.notEqual(newController, controller, 'another broker became controller while the old one was frozen');
    assert.ok((await z.controllerEpoch()) > epochBefore, 'the controller epoch went up');
  });

  test('the writers that ran through both pauses lost nothing; the replicas agree', async () => {
    const c = cluster!;
    const from = writers.map((w) => w.acked.length);
    await waitUntil('the writers to make progress', () => writers.every((w, i) => w.acked.length >= from[i]! + 50), { timeoutMs: 60_000 });
    for (const w of writers) await w.stop();
    let acked = 0;
    let read = 0;
    for (const w of writers) {
      const r = checkSequence(w, await readPartitionWithKcat(c.bootstrap, { topic: LOAD_TOPIC, partition: w.partition }));
      acked += r.acked;
      read += r.read;
    }
    await killAndCompareReplicas(c, {
      zk: zk!,
      topics: [
        { topic: LOAD_TOPIC, partitions: PARTITIONS },
        { topic: TOPIC, partitions: PARTITIONS },
      ],
    });
    console.log(`session expiry: ${acked} records acknowledged through the pauses, ${read} read back`);
  });
});
