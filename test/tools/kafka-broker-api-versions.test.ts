// kafka-broker-api-versions.sh (Kafka 3.9's BrokerApiVersionsCommand): NodeApiVersions.toString(true) on
// made-up ranges (usable, unusable, unknown keys, UNSUPPORTED for the zkBroker APIs not advertised), argument
// errors through bin/, and both brokers of a real cluster: every API a broker advertises in ApiVersions (asked
// here over a raw socket) appears with its range and usable version, and every API of Kafka 3.9's
// ApiKeys.zkBrokerApis() appears once, under Kafka's name, ascending by key.
import assert from 'node:assert/strict';
import * as net from 'node:net';
import { after, before, describe, test } from 'node:test';
import { supportedVersions } from '../../src/protocol';
import { formatNodeApiVersions } from '../../src/tools/kafka-broker-api-versions';
import { startCluster, type Cluster } from '../harness/cluster';
import { runBin } from './bin-runner';

/** Kafka 3.9's ZooKeeper-mode broker APIs (ApiKeys.zkBrokerApis()), by key, with ApiKeys' names. */
const ZK_BROKER_APIS: ReadonlyMap<number, string> = new Map([
  [0, 'Produce'], [1, 'Fetch'], [2, 'ListOffsets'], [3, 'Metadata'], [4, 'LeaderAndIsr'], [5, 'StopReplica'],
  [6, 'UpdateMetadata'], [7, 'ControlledShutdown'], [8, 'OffsetCommit'], [9, 'OffsetFetch'], [10, 'FindCoordinator'],
  [11, 'JoinGroup'], [12, 'Heartbeat'], [13, 'LeaveGroup'], [14, 'SyncGroup'], [15, 'DescribeGroups'], [16, 'ListGroups'],
  [17, 'SaslHandshake'], [18, 'ApiVersions'], [19, 'CreateTopics'], [20, 'DeleteTopics'], [21, 'DeleteRecords'],
  [22, 'InitProducerId'], [23, 'OffsetForLeaderEpoch'], [24, 'AddPartitionsToTxn'], [25, 'AddOffsetsToTxn'], [26, 'EndTxn'],
  [27, 'WriteTxnMarkers'], [28, 'TxnOffsetCommit'], [29, 'DescribeAcls'], [30, 'CreateAcls'], [31, 'DeleteAcls'],
  [32, 'DescribeConfigs'], [33, 'AlterConfigs'], [34, 'AlterReplicaLogDirs'], [35, 'DescribeLogDirs'], [36, 'SaslAuthenticate'],
  [37, 'CreatePartitions'], [38, 'CreateDelegationToken'], [39, 'RenewDelegationToken'], [40, 'ExpireDelegationToken'],
  [41, 'DescribeDelegationToken'], [42, 'DeleteGroups'], [43, 'ElectLeaders'], [44, 'IncrementalAlterConfigs'],
  [45, 'AlterPartitionReassignments'], [46, 'ListPartitionReassignments'], [47, 'OffsetDelete'], [48, 'DescribeClientQuotas'],
  [49, 'AlterClientQuotas'], [50, 'DescribeUserScramCredentials'], [51, 'AlterUserScramCredentials'], [56, 'AlterPartition'],
  [57, 'UpdateFeatures'], [58, 'Envelope'], [60, 'DescribeCluster'], [61, 'DescribeProducers'], [65, 'DescribeTransactions'],
  [66, 'ListTransactions'], [67, 'AllocateProducerIds'], [68, 'ConsumerGroupHeartbeat'], [69, 'ConsumerGroupDescribe'],
]);

const run = (args: string[]) => runBin('kafka-broker-api-versions.sh', args);

/** ApiVersions v0 over a plain socket: the broker's advertised ranges. */
function rawApiVersions(port: number): Promise<Map<number, { min: number; max: number }>> {
  return new Promise((resolve, reject) => {
    const clientId = Buffer.from('raw');
    const req = Buffer.alloc(4 + 2 + 2 + 4 + 2 + clientId.length);
    req.writeInt32BE(req.length - 4, 0);
    req.writeInt16BE(18, 4);
    req.writeInt16BE(0, 6);
    req.writeInt32BE(7, 8);
    req.writeInt16BE(clientId.length, 12);
    clientId.copy(req, 14);
    const socket = net.connect(port, '127.0.0.1', () => socket.write(req));
    let buf = Buffer.alloc(0);
    socket.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      if (buf.length < 4 || buf.length < 4 + buf.readInt32BE(0)) return;
      socket.destroy();
      assert.equal(buf.readInt32BE(4), 7);
      assert.equal(buf.readInt16BE(8), 0);
      const count = buf.readInt32BE(10);
      const out = new Map<number, { min: number; max: number }>();
      for (let i = 0, at = 14; i < count; i++, at += 6) out.set(buf.readInt16BE(at), { min: buf.readInt16BE(at + 2), max: buf.readInt16BE(at + 4) });
      resolve(out);
    });
    socket.on('error', reject);
  });
}

describe('kafka-broker-api-versions output', () => {
  test('NodeApiVersions.toString(true)', () => {
    const text = formatNodeApiVersions(
      new Map([
        [18, { min: 0, max: 4 }],
        [0, { min: 3, max: 11 }],
        [1, { min: 18, max: 20 }],
        [24, { min: 0, max: 5 }],
        [47, { min: 0, max: 0 }],
        [1000, { min: 0, max: 1 }],
      ]),
    );
    const lines = text.split('\n');
    assert.equal(lines[0], '(');
    assert.equal(lines[lines.length - 1], ')');
    const body = lines.slice(1, -1);
    assert.equal(body.length, ZK_BROKER_APIS.size + 1);
    assert.equal(body[0], '\tProduce(0): 3 to 11 [usable: 11],');
    // The client (the project's definitions) knows Fetch up to 17: the broker only serves newer versions.
    assert.equal(body[1], `\tFetch(1): 18 to 20 [unusable: node too new],`);
    assert.equal(body[2], '\tListOffsets(2): UNSUPPORTED,');
    assert.ok(body.includes('\tApiVersions(18): 0 to 4 [usable: 4],'));
    assert.ok(body.includes('\tAddPartitionsToTxn(24): 0 to 5 [usable: 5],'));
    assert.ok(body.includes('\tOffsetDelete(47): 0 [usable: 0],'));
    assert.equal(body[body.length - 2], '\tConsumerGroupDescribe(69): UNSUPPORTED,');
    assert.equal(body[body.length - 1], '\tUNKNOWN(1000): 0 to 1');
  });
});

describe('kafka-broker-api-versions argument errors', () => {
  test('usage, unknown options, missing --bootstrap-server, unreachable cluster', async () => {
    const none = await run([]);
    assert.equal(none.code, 1);
    assert.match(none.stderr, /^This tool helps to retrieve broker version information\.\nOption {2,}Description/);
    assert.deepEqual(await run(['--nope']), {
      code: 1,
      stdout: '',
      stderr: 'Exception in thread "main" joptsimple.UnrecognizedOptionException: nope is not a recognized option\n',
    });
    assert.deepEqual(await run(['--version']), { code: 0, stdout: '3.9.0\n', stderr: '' });
    const missing = await run(['--command-config', 'x.properties']);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /^Missing required argument "\[bootstrap-server\]"\nOption/);
    assert.deepEqual(await run(['--bootstrap-server', '127.0.0.1:1', '--command-config', '/nonexistent/admin.properties']), {
      code: 1,
      stdout: '',
      stderr: 'Exception in thread "main" java.nio.file.NoSuchFileException: /nonexistent/admin.properties\n',
    });
    const down = await run(['--bootstrap-server', '127.0.0.1:1']);
    assert.equal(down.code, 1);
    assert.equal(down.stdout, '');
    assert.match(down.stderr, /Exception in thread "main" java\.lang\.RuntimeException: Request METADATA failed on brokers List\(127\.0\.0\.1:1 \(id: -1 rack: null\)\)\n$/);
  });
});

describe('kafka-broker-api-versions against a cluster', { timeout: 180_000 }, () => {
  let cluster: Cluster;

  before(async () => {
    cluster = await startCluster({ brokers: 2 });
  });

  after(async () => {
    await cluster?.stop();
  });

  test('every broker, every API it advertises and every zkBroker API of Kafka 3.9', async () => {
    const r = await run(['--bootstrap-server', cluster.brokers[1]!.bootstrap]);
    assert.equal(r.code, 0);
    assert.equal(r.stderr, '');
    const blocks = r.stdout.split(/(?<=\n\)\n)/);
    assert.equal(blocks.length, 2);
    for (const [i, broker] of cluster.brokers.entries()) {
      const advertised = await rawApiVersions(broker.port);
      const lines = blocks[i]!.split('\n');
      assert.equal(lines[0], `127.0.0.1:${broker.port} (id: ${broker.id} rack: null) -> (`);
      assert.deepEqual(lines.slice(-2), [')', '']);
      const body = lines.slice(1, -2);
      const keys = [...new Set([...advertised.keys(), ...ZK_BROKER_APIS.keys()])].sort((a, b) => a - b);
      const expected = keys.map((key) => {
        const name = ZK_BROKER_APIS.get(key);
        assert.ok(name, `api key ${key} is a zkBroker API of Kafka 3.9`);
        const range = advertised.get(key);
        if (!range) return `\t${name}(${key}): UNSUPPORTED`;
        const ours = supportedVersions(key)!;
        const versions = range.min === range.max ? `${range.min}` : `${range.min} to ${range.max}`;
        return `\t${name}(${key}): ${versions} [usable: ${Math.min(ours.max, range.max)}]`;
      });
      assert.deepEqual(body, expected.map((l, j) => (j < expected.length - 1 ? `${l},` : l)));
      assert.equal(body.length, ZK_BROKER_APIS.size);
      assert.ok(advertised.size > 30);
    }
  });
});
