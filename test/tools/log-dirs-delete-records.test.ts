// kafka-log-dirs.sh and kafka-delete-records.sh through bin/ against a real two-broker cluster (RF=2):
// the log dirs JSON line in Kafka 3.9's key order with each broker's data dir, partition sizes and lags,
// --topic-list / --broker-list and the unknown-broker refusal; records deleted below an offset (and below the
// high watermark with -1), Kafka's per-partition error line, and the JSON file checks (duplicates, version,
// missing fields) with Kafka's exceptions.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parseOffsetJson } from '../../src/tools/kafka-delete-records';
import { startCluster, type Cluster } from '../harness/cluster';
import { kafkajs } from '../integration/clients';
import { runBin } from './bin-runner';

const run = (script: string, args: string[]) => runBin(script, args);

describe('kafka-delete-records offset JSON', () => {
  test('partitions, version and Kafka refusals', () => {
    assert.deepEqual(parseOffsetJson('{"partitions":[{"topic":"t","partition":1,"offset":5}]}'), [{ topic: 't', partition: 1, offset: 5 }]);
    const fails = (text: string, message: string, javaClass: string) =>
      assert.throws(() => parseOffsetJson(text), (e: Error & { javaClass?: string }) => {
        assert.equal(e.message, message);
        assert.equal(e.javaClass, javaClass);
        return true;
      });
    fails('nope', 'The input string is not a valid JSON', 'org.apache.kafka.server.common.AdminOperationException');
    fails('{"version":2,"partitions":[]}', 'Not supported version field value 2', 'org.apache.kafka.server.common.AdminOperationException');
    fails('{"version":1}', 'Missing partitions field', 'org.apache.kafka.server.common.AdminOperationException');
    fails('{"partitions":[{"topic":"t","offset":1}]}', 'No such field exists: `partition`', 'com.fasterxml.jackson.databind.JsonMappingException');
    fails(
      '{"partitions":[{"topic":"t","partition":0,"offset":1},{"topic":"t","partition":0,"offset":2},{"topic":"a","partition":3,"offset":2},{"topic":"a","partition":3,"offset":1}]}',
      'Offset json file contains duplicate topic partitions: t-0,a-3',
      'org.apache.kafka.server.common.AdminCommandFailedException',
    );
  });
});

describe('kafka-log-dirs and kafka-delete-records against a cluster', { timeout: 180_000 }, () => {
  let cluster: Cluster;
  let dir: string;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'delete-records-tool-'));
    cluster = await startCluster({ brokers: 2 });
    const admin = kafkajs(cluster.bootstrap).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'dirs', numPartitions: 2, replicationFactor: 2 }], waitForLeaders: true });
    await admin.disconnect();
    const producer = kafkajs(cluster.bootstrap).producer();
    await producer.connect();
    for (const partition of [0, 1]) {
      await producer.send({ topic: 'dirs', acks: -1, messages: Array.from({ length: 20 }, (_, i) => ({ value: `r${i}`, partition })) });
    }
    await producer.disconnect();
  });

  after(async () => {
    await cluster?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('kafka-log-dirs --describe: every broker, its data dir and the replicas in it', async () => {
    const r = await run('kafka-log-dirs.sh', ['--bootstrap-server', cluster.bootstrap, '--describe']);
    assert.equal(r.code, 0, r.stderr);
    const [querying, received, json, ...rest] = r.stdout.split('\n');
    assert.equal(querying, 'Querying brokers for log directories information');
    assert.equal(received, 'Received log directory information from brokers 0,1');
    assert.deepEqual(rest, ['']);
    // Kafka's key order (Java HashMaps): brokers before version, partitions/error/logDir, partition/size/offsetLag/isFuture.
    assert.match(json!, /^\{"brokers":\[\{"broker":0,"logDirs":\[\{"partitions":\[\{"partition":"[^"]+","size":\d+,"offsetLag":\d+,"isFuture":false\}/);
    assert.match(json!, /"error":null,"logDir":"[^"]+"\}\]\}.*\],"version":1\}$/);
    const parsed = JSON.parse(json!) as {
      brokers: { broker: number; logDirs: { logDir: string; error: null; partitions: { partition: string; size: number; offsetLag: number }[] }[] }[];
    };
    assert.deepEqual(parsed.brokers.map((b) => b.broker), [0, 1]);
    for (const b of parsed.brokers) {
      const broker = cluster.brokers.find((x) => x.id === b.broker)!;
      assert.equal(b.logDirs.length, 1);
      assert.equal(b.logDirs[0]!.logDir, broker.logDir);
      const dirsPartitions = b.logDirs[0]!.partitions.filter((p) => p.partition.startsWith('dirs-'));
      assert.deepEqual(dirsPartitions.map((p) => p.partition).sort(), ['dirs-0', 'dirs-1']);
      for (const p of dirsPartitions) {
        const onDisk = fs.statSync(path.join(broker.logDir, p.partition, '00000000000000000000.log')).size;
        assert.equal(p.size, onDisk, `${b.broker} ${p.partition}`);
        assert.equal(p.offsetLag, 0);
      }
    }

    const filtered = await run('kafka-log-dirs.sh', ['--bootstrap-server', cluster.bootstrap, '--describe', '--broker-list', '1', '--topic-list', 'other']);
    assert.equal(filtered.code, 0, filtered.stderr);
    assert.equal(filtered.stdout.split('\n')[1], 'Received log directory information from brokers 1');
    assert.equal(
      filtered.stdout.split('\n')[2],
      `{"brokers":[{"broker":1,"logDirs":[{"partitions":[],"error":null,"logDir":${JSON.stringify(cluster.brokers[1]!.logDir)}}]}],"version":1}`,
    );

    const missing = await run('kafka-log-dirs.sh', ['--bootstrap-server', cluster.bootstrap, '--describe', '--broker-list', '0,7']);
    assert.deepEqual(missing, {
      code: 1,
      stdout: '',
      stderr: 'ERROR: The given brokers do not exist from --broker-list: 7. Current existent brokers: 0,1\n',
    });
    const usage = await run('kafka-log-dirs.sh', ['--bootstrap-server', cluster.bootstrap]);
    assert.equal(usage.code, 1);
    assert.ok(usage.stderr.startsWith('Missing required argument "[describe]"\n'), usage.stderr);
  });

  test('kafka-delete-records: low watermarks per partition, and the error line of a refused one', async () => {
    const file = path.join(dir, 'offsets.json');
    fs.writeFileSync(
      file,
      JSON.stringify({
        partitions: [
          { topic: 'dirs', partition: 0, offset: 5 },
          { topic: 'dirs', partition: 1, offset: -1 },
        ],
        version: 1,
      }),
    );
    const r = await run('kafka-delete-records.sh', ['--bootstrap-server', cluster.bootstrap, '--offset-json-file', file]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      r.stdout,
      'Executing records delete operation\nRecords delete operation completed:\n' +
        'partition: dirs-0\tlow_watermark: 5\npartition: dirs-1\tlow_watermark: 20\n',
    );

    fs.writeFileSync(file, JSON.stringify({ partitions: [{ topic: 'dirs', partition: 0, offset: 99 }] }));
    const refused = await run('kafka-delete-records.sh', ['--bootstrap-server', cluster.bootstrap, '--offset-json-file', file]);
    assert.equal(refused.code, 0, refused.stderr);
    assert.equal(
      refused.stdout,
      'Executing records delete operation\nRecords delete operation completed:\n' +
        'partition: dirs-0\terror: org.apache.kafka.common.errors.OffsetOutOfRangeException: ' +
        'The requested offset is not within the range of offsets maintained by the server.\n',
    );

    fs.writeFileSync(file, '{"partitions":[{"topic":"dirs","partition":0,"offset":1},{"topic":"dirs","partition":0,"offset":2}]}');
    const duplicate = await run('kafka-delete-records.sh', ['--bootstrap-server', cluster.bootstrap, '--offset-json-file', file]);
    assert.deepEqual(duplicate, {
      code: 1,
      stdout: '',
      stderr:
        'Exception in thread "main" org.apache.kafka.server.common.AdminCommandFailedException: ' +
        'Offset json file contains duplicate topic partitions: dirs-0\n',
    });
  });
});
