/**
 * Topic deletion on a real three-broker cluster when one replica's broker is down: the live replicas are deleted
 * at once, the deletion then waits (the marker, the topic znode and the down broker's log stay), and it completes
 * when that broker returns: its log directory goes too, then /brokers/topics/<t>, /config/topics/<t> and
 * /admin/delete_topics/<t>. The name can be used again afterwards.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { Admin as KafkajsAdmin, Kafka } from 'kafkajs';
import { kafkaTopicsMain } from '../../src/tools/kafka-topics';
import { KafkaZkClient } from '../../src/zk/kafka-zk-client';
import { startCluster, type Cluster } from '../harness/cluster';
import { kafkajs } from './clients';
import { eventually } from '../harness/eventually';

async function topics(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await kafkaTopicsMain(args, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}


describe('topic deletion with a replica on a broker that is down', { timeout: 300_000 }, () => {
  let cluster: Cluster;
  let kafka: Kafka;
  let admin: KafkajsAdmin;
  let zk: KafkaZkClient;

  const logDirsOf = (broker: number) => fs.readdirSync(cluster.brokers[broker]!.logDir).filter((n) => n.startsWith('doomed-'));
  const exists = async (path: string) => (await zk.session.exists(path)) !== null;

  before(async () => {
    cluster = await startCluster({ brokers: 3, props: { 'log.segment.delete.delay.ms': '200' } });
    kafka = kafkajs(cluster.bootstrap);
    admin = kafka.admin();
    await admin.connect();
    zk = await KafkaZkClient.connect({ connectString: cluster.zk.connectString });
  });

  after(async () => {
    await admin?.disconnect();
    await zk?.close();
    await cluster?.stop();
  });

  test('the deletion waits for the broker and completes when it returns', async () => {
    await admin.createTopics({ topics: [{ topic: 'doomed', numPartitions: 3, replicationFactor: 3, configEntries: [{ name: 'retention.ms', value: '3600000' }] }], waitForLeaders: true });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: 'doomed', acks: -1, messages: Array.from({ length: 30 }, (_, i) => ({ partition: i % 3, value: `v${i}` })) });
    await producer.disconnect();
    for (const b of [0, 1, 2]) assert.deepEqual(logDirsOf(b).sort(), ['doomed-0', 'doomed-1', 'doomed-2'], `broker ${b} hosts every partition`);
    const oldTopicId = JSON.parse((await zk.session.getData('/brokers/topics/doomed')).data.toString()).topic_id;

    const controllerId = (await admin.describeCluster()).controller!;
    const down = [0, 1, 2].find((id) => id !== controllerId)!;
    await cluster.brokers[down]!.kill();
    await eventually(async () => (await zk.getAllBrokersInCluster()).length, (n) => n === 2, { what: `broker ${down} gone`, intervalMs: 200 });

    const deleted = await topics('--bootstrap-server', cluster.brokers[controllerId]!.bootstrap, '--delete', '--topic', 'doomed');
    assert.deepEqual(deleted, { code: 0, out: '', err: '' });
    // The live replicas are deleted; the rest waits for the broker that is down.
    for (const b of [0, 1, 2].filter((id) => id !== down)) {
      await eventually(() => logDirsOf(b), (names) => names.length === 0, { what: `broker ${b}'s replicas deleted`, intervalMs: 200 });
    }
    await new Promise((r) => setTimeout(r, 2000));
    assert.equal(await exists('/admin/delete_topics/doomed'), true, 'the deletion marker stays');
    assert.equal(await exists('/brokers/topics/doomed'), true, 'the topic znode stays');
    assert.equal(await exists('/config/topics/doomed'), true, 'the config znode stays');
    assert.deepEqual(logDirsOf(down).sort(), ['doomed-0', 'doomed-1', 'doomed-2']);
    const listed = await topics('--bootstrap-server', cluster.brokers[controllerId]!.bootstrap, '--list');
    assert.doesNotMatch(listed.out, /doomed/, 'clients no longer see the topic');

    await cluster.brokers[down]!.start();
    await eventually(() => exists('/admin/delete_topics/doomed'), (e) => !e, { what: 'the deletion to complete', intervalMs: 200 });
    assert.equal(await exists('/brokers/topics/doomed'), false);
    assert.equal(await exists('/config/topics/doomed'), false);
    await eventually(() => logDirsOf(down), (names) => names.length === 0, { what: `broker ${down}'s replicas deleted`, intervalMs: 200 });
    for (const b of [0, 1, 2]) assert.deepEqual(logDirsOf(b), [], `no log of the topic left on broker ${b}`);

    // The name is free again: a new topic with a new id.
    await admin.createTopics({ topics: [{ topic: 'doomed', numPartitions: 1, replicationFactor: 3 }], waitForLeaders: true });
    const newTopicId = JSON.parse((await zk.session.getData('/brokers/topics/doomed')).data.toString()).topic_id;
    assert.notEqual(newTopicId, oldTopicId);
    const meta = await eventually(() => admin.fetchTopicMetadata({ topics: ['doomed'] }), (m) => m.topics[0]!.partitions[0]!.isr.length === 3, { what: 'the new topic fully replicated', intervalMs: 200 });
    assert.equal(meta.topics[0]!.partitions.length, 1);
  });
});
