/**
 * Idempotent producers (KIP-98/360) against a real broker and ZooKeeper: kafkajs `idempotent: true` and
 * kcat `enable.idempotence=true` produce and every record is read back once; InitProducerId hands out ids
 * from /latest_producer_id_block; a Produce request re-sent with the same producer id, epoch and sequence
 * gets the original offset and the log holds the batch once — also after a SIGKILL and restart (producer
 * state rebuilt from the whole log, or from the snapshot of the previous clean shutdown plus the log after it).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startCluster, type Cluster } from '../harness/cluster';
import { kafkajs, kcat } from './clients';
import { BrokerConnection } from '../../src/client/broker-connection';
import { ApiKeys, ErrorCode } from '../../src/protocol';
import { buildRecordBatch } from '../../src/protocol/records/record-batch-builder';
import { KafkaZkClient } from '../../src/zk/kafka-zk-client';

async function readValues(bootstrap: string, topic: string): Promise<string[]> {
  const out = await kcat(['-b', bootstrap, '-C', '-t', topic, '-o', 'beginning', '-e', '-q'], { timeoutMs: 60_000 });
  assert.equal(out.code, 0, out.stderr);
  return out.stdout.split('\n').filter((l) => l !== '');
}

describe('idempotent producers', { timeout: 180_000 }, () => {
  let cluster: Cluster;

  before(async () => {
    cluster = await startCluster({ brokers: 1 });
    const admin = kafkajs(cluster.bootstrap).admin();
    await admin.connect();
    await admin.createTopics({
      topics: [
        { topic: 'idem-kafkajs', numPartitions: 3 },
        { topic: 'idem-kcat', numPartitions: 1 },
        { topic: 'idem-raw', numPartitions: 1 },
      ],
      waitForLeaders: true,
    });
    await admin.disconnect();
  });

  after(async () => {
    await cluster?.stop();
  });

  test('kafkajs idempotent producer: every record is read back exactly once; the id comes from a ZooKeeper block', async () => {
    const producer = kafkajs(cluster.bootstrap).producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const sent: string[] = [];
    for (let round = 0; round < 20; round++) {
      const messages = Array.from({ length: 25 }, (_, i) => ({ key: `k${i % 7}`, value: `r${round}-${i}` }));
      await producer.send({ topic: 'idem-kafkajs', acks: -1, messages });
      sent.push(...messages.map((m) => m.value));
    }
    await producer.disconnect();
    const read = await readValues(cluster.bootstrap, 'idem-kafkajs');
    assert.deepEqual([...read].sort(), [...sent].sort());

    const zk = await KafkaZkClient.connect({ connectString: cluster.zk.connectString, sessionTimeoutMs: 6000 });
    try {
      assert.equal((await zk.session.getData('/latest_producer_id_block')).data.toString(), '{"version":1,"broker":0,"block_start":"0","block_end":"999"}');
    } finally {
      await zk.close();
    }
  });

  test('kcat with enable.idempotence=true produces', async () => {
    const lines = Array.from({ length: 200 }, (_, i) => `line-${i}`);
    const out = await kcat(['-b', cluster.bootstrap, '-P', '-t', 'idem-kcat', '-X', 'enable.idempotence=true'], {
      input: lines.join('\n') + '\n',
      timeoutMs: 60_000,
    });
    assert.equal(out.code, 0, out.stderr);
    assert.deepEqual(await readValues(cluster.bootstrap, 'idem-kcat'), lines);
  });

  test('a re-sent batch gets its original offset, before and after SIGKILL + restart', async () => {
    const broker = cluster.brokers[0]!;
    const connect = () => new BrokerConnection({ host: '127.0.0.1', port: broker.port, clientId: 'idem-test' });
    let conn = connect();
    const init = await conn.request(ApiKeys.InitProducerId, 4, { transactionalId: null, transactionTimeoutMs: 60000 });
    assert.equal(init.errorCode, ErrorCode.NONE);
    assert.equal(init.producerEpoch, 0);
    const producerId = init.producerId;
    assert.ok(producerId >= 1, `a second id from the block (got ${producerId})`);

    const batch = (baseSequence: number, values: string[], producerEpoch = 0) =>
      buildRecordBatch(values.map((v) => ({ key: null, value: Buffer.from(v) })), { producerId, producerEpoch, baseSequence });
    const produce = async (records: Buffer) => {
      const r = await conn.request(ApiKeys.Produce, 9, {
        transactionalId: null,
        acks: -1,
        timeoutMs: 10_000,
        topicData: [{ name: 'idem-raw', partitionData: [{ index: 0, records }] }],
      });
      const p = r.responses[0]!.partitionResponses[0]!;
      return { errorCode: p.errorCode, baseOffset: p.baseOffset };
    };

    const first = await batch(0, ['a0', 'a1', 'a2']);
    assert.deepEqual(await produce(first), { errorCode: ErrorCode.NONE, baseOffset: 0 });
    assert.deepEqual(await produce(await batch(0, ['a0', 'a1', 'a2'])), { errorCode: ErrorCode.NONE, baseOffset: 0 }, 'duplicate');
    assert.deepEqual(await produce(await batch(3, ['b3', 'b4'])), { errorCode: ErrorCode.NONE, baseOffset: 3 });
    assert.equal((await produce(await batch(9, ['gap']))).errorCode, ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
    assert.equal((await produce(await batch(1, ['overlap']))).errorCode, ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
    assert.deepEqual(await readValues(cluster.bootstrap, 'idem-raw'), ['a0', 'a1', 'a2', 'b3', 'b4']);

    // SIGKILL with no snapshot on disk: the state is rebuilt from the whole log, all batches are known.
    conn.close();
    await broker.kill();
    await broker.start();
    conn = connect();
    assert.deepEqual(await produce(await batch(0, ['a0', 'a1', 'a2'])), { errorCode: ErrorCode.NONE, baseOffset: 0 });
    assert.deepEqual(await produce(await batch(3, ['b3', 'b4'])), { errorCode: ErrorCode.NONE, baseOffset: 3 });

    // A clean restart writes a snapshot at the log end; one more batch goes after it; then SIGKILL.
    conn.close();
    await broker.stop();
    const partitionDir = path.join(broker.logDir, 'idem-raw-0');
    assert.ok(fs.readdirSync(partitionDir).includes('00000000000000000005.snapshot'), fs.readdirSync(partitionDir).join(','));
    await broker.start();
    conn = connect();
    assert.deepEqual(await produce(await batch(5, ['c5'])), { errorCode: ErrorCode.NONE, baseOffset: 5 });
    conn.close();
    await broker.kill();
    await broker.start();
    conn = connect();
    try {
      // The snapshot's entry (its producer's last batch, offsets 3-4) and the replayed log tail (offset 5).
      assert.deepEqual(await produce(await batch(3, ['b3', 'b4'])), { errorCode: ErrorCode.NONE, baseOffset: 3 });
      assert.deepEqual(await produce(await batch(5, ['c5'])), { errorCode: ErrorCode.NONE, baseOffset: 5 });
      // As in Kafka, a snapshot keeps only each producer's last batch: an older retry is now out of order.
      assert.equal((await produce(await batch(0, ['a0', 'a1', 'a2']))).errorCode, ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
      // An older epoch is fenced once a newer one wrote; a new epoch must start at sequence 0.
      assert.equal((await produce(await batch(4, ['e'], 1))).errorCode, ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
      assert.deepEqual(await produce(await batch(0, ['d0'], 1)), { errorCode: ErrorCode.NONE, baseOffset: 6 });
      assert.equal((await produce(await batch(6, ['old'], 0))).errorCode, ErrorCode.INVALID_PRODUCER_EPOCH);
    } finally {
      conn.close();
    }
    assert.deepEqual(await readValues(cluster.bootstrap, 'idem-raw'), ['a0', 'a1', 'a2', 'b3', 'b4', 'c5', 'd0']);
  });

  test('InitProducerId: a new id each time; transactional ids get COORDINATOR_NOT_AVAILABLE; half-set id/epoch is INVALID_REQUEST', async () => {
    const conn = new BrokerConnection({ host: '127.0.0.1', port: cluster.brokers[0]!.port });
    try {
      const a = await conn.request(ApiKeys.InitProducerId, 0, { transactionalId: null, transactionTimeoutMs: 1000 });
      // KIP-360: an idempotent producer sending its id and epoch gets a fresh id with epoch 0, as Kafka answers.
      const b = await conn.request(ApiKeys.InitProducerId, 5, {
        transactionalId: null,
        transactionTimeoutMs: 1000,
        producerId: a.producerId,
        producerEpoch: 0,
      });
      assert.equal(a.errorCode, ErrorCode.NONE);
      assert.equal(b.errorCode, ErrorCode.NONE);
      assert.ok(b.producerId > a.producerId);
      assert.equal(b.producerEpoch, 0);
      const txn = await conn.request(ApiKeys.InitProducerId, 3, { transactionalId: 'tx', transactionTimeoutMs: 1000 });
      assert.deepEqual([txn.errorCode, txn.producerId], [ErrorCode.COORDINATOR_NOT_AVAILABLE, -1]);
      const half = await conn.request(ApiKeys.InitProducerId, 3, { transactionalId: null, transactionTimeoutMs: 1000, producerId: 7 });
      assert.equal(half.errorCode, ErrorCode.INVALID_REQUEST);
    } finally {
      conn.close();
    }
  });
});
