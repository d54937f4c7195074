/**
 * Rack-aware replica placement on a real cluster: four brokers in three racks (`broker.rack`: two in rack-a, one
 * in rack-b, one in rack-c). The racks reach /brokers/ids/<id>, every broker's metadata (Metadata shows them),
 * and Kafka's rack-aware assignment: topics created through kafkajs and kafka-topics, partitions added later and
 * the proposal of kafka-reassign-partitions --generate put each partition's replicas on distinct racks.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Admin as KafkajsAdmin } from 'kafkajs';
import { Admin } from '../../src/client/admin';
import { KafkaClient } from '../../src/client/kafka-client';
import { kafkaReassignPartitionsMain } from '../../src/tools/kafka-reassign-partitions';
import { kafkaTopicsMain } from '../../src/tools/kafka-topics';
import { KafkaZkClient } from '../../src/zk/kafka-zk-client';
import { BrokerProcess } from '../harness/cluster';
import { startZooKeeper, type TestZooKeeper } from '../harness/zookeeper';
import { kafkajs } from './clients';

const RACKS = ['rack-a', 'rack-a', 'rack-b', 'rack-c'];

type Tool = (args: string[], io: { out(t: string): void; err(t: string): void }) => Promise<number>;
async function tool(main: Tool, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

describe('rack-aware replica assignment with three racks', { timeout: 300_000 }, () => {
  let zkServer: TestZooKeeper;
  const brokers: BrokerProcess[] = [];
  let bootstrap: string;
  let admin: KafkajsAdmin;
  let zk: KafkaZkClient;
  let dir: string;

  /** Every partition's replicas from the topic znode. */
  const assignment = async (topic: string) => {
    const [a] = await zk.getReplicaAssignmentAndTopicIdForTopics([topic]);
    return [...a!.assignment].sort(([x], [y]) => x - y).map(([, ra]) => [...ra.replicas]);
  };
  const racksOf = (replicas: readonly number[]) => replicas.map((r) => RACKS[r]!);
  const assertDistinctRacks = (parts: number[][], what: string) => {
    for (const [p, replicas] of parts.entries()) {
      assert.equal(new Set(racksOf(replicas)).size, replicas.length, `${what} partition ${p}: ${replicas} on ${racksOf(replicas)}`);
    }
  };

  before(async () => {
    zkServer = await startZooKeeper();
    for (const [id, rack] of RACKS.entries()) {
      const b = new BrokerProcess({ id, zkConnect: zkServer.connectString, props: { 'broker.rack': rack, 'offsets.topic.replication.factor': '1' } });
      brokers.push(b);
      await b.start();
    }
    bootstrap = brokers.map((b) => b.bootstrap).join(',');
    admin = kafkajs(bootstrap).admin();
    await admin.connect();
    zk = await KafkaZkClient.connect({ connectString: zkServer.connectString });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rack-aware-'));
  });

  after(async () => {
    await admin?.disconnect();
    await zk?.close();
    await Promise.all(brokers.map((b) => b.stop()));
    for (const b of brokers) b.cleanup();
    await zkServer?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  test('the racks are registered and published in Metadata', async () => {
    for (const [id, rack] of RACKS.entries()) {
      const registered = JSON.parse((await zk.session.getData(`/brokers/ids/${id}`)).data.toString());
      assert.equal(registered.rack, rack);
    }
    // Every broker learnt every rack from the controller's UpdateMetadata.
    for (const b of brokers) {
      const client = new KafkaClient({ bootstrapServers: b.bootstrap, clientId: 'rack-test' });
      try {
        const cluster = await new Admin(client).describeCluster();
        assert.deepEqual(cluster.brokers.map((n) => [n.nodeId, n.rack]), RACKS.map((rack, id) => [id, rack]));
      } finally {
        await client.close();
      }
    }
  });

  test('CreateTopics (kafkajs, kafka-topics) and CreatePartitions place replicas on distinct racks', async () => {
    await admin.createTopics({ topics: [{ topic: 'spread3', numPartitions: 12, replicationFactor: 3 }], waitForLeaders: true });
    const spread3 = await assignment('spread3');
    assert.equal(spread3.length, 12);
    assertDistinctRacks(spread3, 'spread3');
    // With three racks and RF 3 each partition has exactly one of the two rack-a brokers.
    for (const replicas of spread3) assert.equal(replicas.filter((r) => r <= 1).length, 1);
    // Leaders are spread over the racks as Kafka's rack-alternated broker list does.
    assert.deepEqual(new Set(spread3.map((r) => RACKS[r[0]!])), new Set(['rack-a', 'rack-b', 'rack-c']));

    const created = await tool(kafkaTopicsMain, '--bootstrap-server', bootstrap, '--create', '--topic', 'spread2', '--partitions', '8', '--replication-factor', '2');
    assert.deepEqual(created, { code: 0, out: 'Created topic spread2.\n', err: '' });
    assertDistinctRacks(await assignment('spread2'), 'spread2');

    await admin.createPartitions({ topicPartitions: [{ topic: 'spread3', count: 20 }] });
    const grown = await assignment('spread3');
    assert.equal(grown.length, 20);
    assert.deepEqual(grown.slice(0, 12), spread3, 'existing partitions unchanged');
    assertDistinctRacks(grown, 'spread3 after CreatePartitions');
  });

  test('kafka-reassign-partitions --generate proposes a rack-aware assignment', async () => {
    const file = path.join(dir, 'topics.json');
    fs.writeFileSync(file, '{"topics":[{"topic":"spread2"}],"version":1}');
    const generated = await tool(kafkaReassignPartitionsMain, '--bootstrap-server', bootstrap, '--generate',
      '--topics-to-move-json-file', file, '--broker-list', '0,1,2,3');
    assert.equal(generated.code, 0, generated.out + generated.err);
    const [currentLine, proposedLine] = generated.out.split('\n').filter((l) => l.startsWith('{'));
    const current = JSON.parse(currentLine!);
    assert.deepEqual(current.partitions.map((p: { replicas: number[] }) => p.replicas), await assignment('spread2'));
    const proposed = JSON.parse(proposedLine!);
    assert.equal(proposed.partitions.length, 8);
    assertDistinctRacks(proposed.partitions.map((p: { replicas: number[] }) => p.replicas), 'proposal');
    // Over brokers of a single rack replicas share it (Kafka's algorithm allows that once every rack has one),
    // and --disable-rack-aware ignores the racks altogether.
    for (const extra of [[], ['--disable-rack-aware']]) {
      const oneRack = await tool(kafkaReassignPartitionsMain, '--bootstrap-server', bootstrap, '--generate',
        '--topics-to-move-json-file', file, '--broker-list', '0,1', ...extra);
      assert.equal(oneRack.code, 0, oneRack.out + oneRack.err);
      const proposal = JSON.parse(oneRack.out.split('\n').filter((l) => l.startsWith('{'))[1]!);
      for (const p of proposal.partitions) assert.deepEqual([...p.replicas].sort(), [0, 1]);
    }
  });
});
