// Producer ids from /latest_producer_id_block against a real ZooKeeper: two brokers handing out ids at
// the same time never hand out the same one, blocks are claimed with conditional writes (the node may be
// missing or empty), the next block is claimed before the current one runs out, and the node holds
// exactly what Kafka writes.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startZooKeeper, type TestZooKeeper } from '../harness/zookeeper';
import { KafkaZkClient } from '../../src/zk/kafka-zk-client';
import { ProducerIdBlockZNode } from '../../src/zk/znodes';
import { znodeValidator } from '../../src/zk/znodes/znode-json';
import { ProducerIdManager } from '../../src/server/producer-id-manager';
import { NOOP_LOGGER } from '../../src/common/logger';

let zk: TestZooKeeper;
const clients: KafkaZkClient[] = [];
let chroot = 0;

before(async () => {
  zk = await startZooKeeper();
});

after(async () => {
  for (const c of clients) await c.close();
  await zk.stop();
});

async function client(path: string): Promise<KafkaZkClient> {
  const c = await KafkaZkClient.connect({ connectString: `${zk.connectString}${path}`, sessionTimeoutMs: 6000 });
  clients.push(c);
  return c;
}

function manager(c: KafkaZkClient, brokerId: number, claims: number[]): ProducerIdManager {
  return new ProducerIdManager({
    brokerId,
    allocateBlock: async (id) => {
      const block = await c.allocateProducerIdBlock(id);
      claims.push(block.firstProducerId);
      return block;
    },
    logger: NOOP_LOGGER,
  });
}

test('two brokers generating ids concurrently get disjoint blocks and never the same id', { timeout: 60_000 }, async () => {
  const path = `/pid-${++chroot}`;
  const a = await client(path);
  const b = await client(path);
  await a.createTopLevelPaths(); // creates /latest_producer_id_block with no data, as Kafka does
  assert.equal((await a.session.getData('/latest_producer_id_block')).data.length, 0);
  const claimsA: number[] = [];
  const claimsB: number[] = [];
  const ma = manager(a, 1, claimsA);
  const mb = manager(b, 2, claimsB);
  const ids: number[] = [];
  const run = async (m: ProducerIdManager, n: number) => {
    for (let i = 0; i < n; i++) ids.push(await m.generateProducerId());
  };
  // Concurrent callers on one manager share its first claim.
  const firsts = await Promise.all([ma.generateProducerId(), ma.generateProducerId(), mb.generateProducerId()]);
  ids.push(...firsts);
  await Promise.all([run(ma, 1500), run(mb, 1500), run(ma, 200)]);
  assert.equal(new Set(ids).size, ids.length, 'no id handed out twice');
  const blocks = [...claimsA, ...claimsB].sort((x, y) => x - y);
  assert.deepEqual(blocks, blocks.map((_, i) => i * 1000), 'blocks of 1000 from 0, each claimed once');
  // Each broker's ids come from its own blocks.
  const owner = new Map<number, number>([...claimsA.map((s) => [s, 1] as const), ...claimsB.map((s) => [s, 2] as const)]);
  assert.ok(ids.every((id) => owner.has(Math.floor(id / 1000) * 1000)));
  const node = (await a.session.getData('/latest_producer_id_block')).data.toString();
  const last = blocks[blocks.length - 1]!;
  const lastOwner = owner.get(last)!;
  assert.equal(node, `{"version":1,"broker":${lastOwner},"block_start":"${last}","block_end":"${last + 999}"}`);
  assert.ok(znodeValidator('producer-id-block')(JSON.parse(node)), 'matches zk-schema/producer-id-block.json');
  assert.deepEqual(ProducerIdBlockZNode.decode(Buffer.from(node)), { assignedBrokerId: lastOwner, firstProducerId: last, size: 1000 });
});

test('the next block is claimed once 90% of the current one is used, before it runs out', { timeout: 60_000 }, async () => {
  const c = await client(`/pid-${++chroot}`);
  await c.createTopLevelPaths();
  const claims: number[] = [];
  const m = manager(c, 0, claims);
  for (let i = 0; i < 900; i++) assert.equal(await m.generateProducerId(), i);
  assert.deepEqual(claims, [0]);
  await m.generateProducerId(); // id 900: 90% used
  for (let i = 0; i < 50 && claims.length < 2; i++) await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(claims, [0, 1000], 'prefetched in the background');
  for (let i = 901; i < 1000; i++) assert.equal(await m.generateProducerId(), i);
  assert.equal(await m.generateProducerId(), 1000);
  assert.deepEqual(m.currentBlock, { assignedBrokerId: 0, firstProducerId: 1000, size: 1000 });
});

test('a missing node is created; a claim that fails surfaces to the caller and the next call retries', { timeout: 60_000 }, async () => {
  const c = await client(`/pid-${++chroot}`);
  let fail = true;
  const m = new ProducerIdManager({
    brokerId: 3,
    allocateBlock: async (id) => {
      if (fail) {
        fail = false;
        throw new Error('ZooKeeper unavailable');
      }
      return c.allocateProducerIdBlock(id);
    },
    logger: NOOP_LOGGER,
  });
  await assert.rejects(m.generateProducerId(), /ZooKeeper unavailable/);
  assert.equal(await m.generateProducerId(), 0);
  assert.equal((await c.session.getData('/latest_producer_id_block')).data.toString(), '{"version":1,"broker":3,"block_start":"0","block_end":"999"}');
});
