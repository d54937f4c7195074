// kafka-dump-log.sh through bin/ on the files of a real broker, compared line by line with Kafka 3.9's
// DumpLogSegments formats: an idempotent kafkajs producer writes a plain batch (keys, a null key, headers), a
// gzip batch (a null value) and a zstd batch with fixed timestamps into a topic indexed at every batch; a consumer
// group commits; the broker is stopped and its .log (shallow, --deep-iteration, --print-data-log,
// --skip-record-metadata, --max-bytes, a torn tail), .index / .timeindex (entries, --verify-index-only,
// --index-sanity-check, a mismatching index), .snapshot, leader-epoch-checkpoint and __consumer_offsets
// (--offsets-decoder) files are dumped. Unit tests cover the offsets decoder's JSON on crafted records.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CompressionTypes } from 'kafkajs';
import {
  groupMetadataKey,
  groupMetadataValue,
  offsetCommitKey,
  offsetCommitValue,
} from '../../src/coordinator/group/records/group-records';
import { encodeSubscription } from '../../src/coordinator/group/consumer-protocol';
import { buildRecordBatch } from '../../src/protocol/records';
import { parseOffsetsRecord } from '../../src/tools/dump-log-offsets';
import { jacksonString } from '../../src/tools/dump-log-json';
import { startCluster, type Cluster } from '../harness/cluster';
import { runBin } from './bin-runner';
import { kafkajs, registerKafkajsCodecs } from '../integration/clients';

// fast-crc32c ships no type declarations.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { calculate: crc32c } = require('fast-crc32c') as { calculate(buf: Buffer): number };

const run = (args: string[]) => runBin('kafka-dump-log.sh', args, { timeoutMs: Infinity });

describe('kafka-dump-log --offsets-decoder records', () => {
  test('offset commits, group metadata, tombstones and records it cannot read', () => {
    const key = offsetCommitKey('g', { topic: 't', partition: 3 });
    const v3 = offsetCommitValue({ committedOffset: 42, leaderEpoch: 5, metadata: 'm"\n', commitTimestamp: 1700000000000, expireTimestamp: null });
    assert.deepEqual(parseOffsetsRecord({ offset: 7, key, value: v3 }), {
      key: '{"type":"1","data":{"group":"g","topic":"t","partition":3}}',
      payload: '{"version":"3","data":{"offset":42,"leaderEpoch":5,"metadata":"m\\"\\n","commitTimestamp":1700000000000}}',
    });
    const v1 = offsetCommitValue({ committedOffset: 1, leaderEpoch: -1, metadata: '', commitTimestamp: 10, expireTimestamp: 20 });
    assert.equal(
      parseOffsetsRecord({ offset: 0, key, value: v1 }).payload,
      '{"version":"1","data":{"offset":1,"metadata":"","commitTimestamp":10,"expireTimestamp":20}}',
    );
    assert.deepEqual(parseOffsetsRecord({ offset: 0, key, value: null }), {
      key: '{"type":"1","data":{"group":"g","topic":"t","partition":3}}',
      payload: '<DELETE>',
    });
    const group = groupMetadataValue({
      protocolType: 'consumer',
      generationId: 4,
      protocolName: 'range',
      leaderId: 'm1',
      currentStateTimestamp: 99,
      members: [
        {
          memberId: 'm1',
          groupInstanceId: 'static-1',
          clientId: 'c',
          clientHost: '/127.0.0.1',
          rebalanceTimeoutMs: 300000,
          sessionTimeoutMs: 45000,
          subscription: encodeSubscription(['t'], { version: 1 }),
          // Not a consumer assignment: kept as Base64, as Kafka keeps bytes it cannot read.
          assignment: Buffer.from([0xff]),
        },
      ],
    });
    assert.deepEqual(parseOffsetsRecord({ offset: 1, key: groupMetadataKey('g'), value: group }), {
      key: '{"type":"2","data":{"group":"g"}}',
      payload:
        '{"version":"3","data":{"protocolType":"consumer","generation":4,"protocol":"range","leader":"m1",' +
        '"currentStateTimestamp":99,"members":[{"memberId":"m1","groupInstanceId":"static-1","clientId":"c",' +
        '"clientHost":"/127.0.0.1","rebalanceTimeout":300000,"sessionTimeout":45000,' +
        '"subscription":{"topics":["t"],"userData":null,"ownedPartitions":[]},"assignment":"/w=="}]}}',
    });
    const unknownType = Buffer.from([0x00, 0x0b, 0x00]);
    assert.deepEqual(parseOffsetsRecord({ offset: 9, key: unknownType, value: null }), {
      key: 'Unknown record type 11 at offset 9, skipping.',
      payload: null,
    });
    assert.deepEqual(parseOffsetsRecord({ offset: 3, key, value: Buffer.from([0x00, 0x03, 0x01]) }), {
      key: "Error at offset 3, skipping. Could not read record with version 3 from value's buffer due to: null.",
      payload: null,
    });
    assert.deepEqual(parseOffsetsRecord({ offset: 4, key, value: Buffer.from([0x00, 0x09]) }), {
      key: "Error at offset 4, skipping. Could not read record with version 9 from value's buffer due to: Can't read version 9 of OffsetCommitValue.",
      payload: null,
    });
    assert.deepEqual(parseOffsetsRecord({ offset: 6, key: Buffer.from([0x01]), value: null }), {
      key: "Error at offset 6, skipping. Could not read version from key's buffer.",
      payload: null,
    });
    assert.throws(() => parseOffsetsRecord({ offset: 5, key: null, value: v3 }), {
      message: 'Failed to decode message at offset 5 using offset topic decoder (message had a missing key)',
    });
  });

  test('JSON as Jackson prints it', () => {
    assert.equal(jacksonString({ a: 'x\u0001\t/é', b: [1, null, true], c: Buffer.from('hi') }), '{"a":"x\\u0001\\t/é","b":[1,null,true],"c":"aGk="}');
  });
});

describe('kafka-dump-log option errors', () => {
  test('usage, unknown options and missing --files', async () => {
    const none = await run([]);
    assert.equal(none.code, 1);
    assert.match(none.stderr, /^This tool helps to parse a log file and dump its contents to the console, useful for debugging a seemingly corrupt log segment\.\nOption {2,}Description/);
    assert.match(none.stderr, /--offsets-decoder +If set, log data will be parsed as/);
    const unknown = await run(['--files', 'x.log', '--nope']);
    assert.deepEqual(unknown, { code: 1, stdout: '', stderr: 'Exception in thread "main" joptsimple.UnrecognizedOptionException: nope is not a recognized option\n' });
    const missing = await run(['--print-data-log']);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /^Missing required argument "\[files\]"\nOption/);
    const noArg = await run(['--files']);
    assert.deepEqual(noArg, {
      code: 1,
      stdout: '',
      stderr: 'Exception in thread "main" joptsimple.OptionMissingRequiredArgumentException: Option files requires an argument\n',
    });
    const badInt = await run(['--files', 'a.log', '--max-bytes', 'ten']);
    assert.equal(badInt.stderr, 'Exception in thread "main" joptsimple.OptionArgumentConversionException: Cannot parse argument \'ten\' of option max-bytes\n');
    const version = await run(['--version']);
    assert.deepEqual(version, { code: 0, stdout: '3.9.0\n', stderr: '' });
  });

  test('missing, unknown and suffix-less files', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dump-log-args-'));
    try {
      const missing = path.join(dir, '00000000000000000000.log');
      assert.deepEqual(await run(['--files', missing]), {
        code: 1,
        stdout: `Dumping ${missing}\nLog starting offset: 0\n`,
        stderr: `Exception in thread "main" java.nio.file.NoSuchFileException: ${missing}\n`,
      });
      const other = path.join(dir, 'notes.txt');
      assert.deepEqual(await run(['--files', other]), { code: 0, stdout: `Dumping ${other}\n`, stderr: `Ignoring unknown file ${other}\n` });
      fs.writeFileSync(path.join(dir, '00000000000000000000.log'), Buffer.alloc(0));
      assert.deepEqual(await run(['--files', missing, '--value-decoder-class', 'com.example.Nope']), {
        code: 1,
        stdout: `Dumping ${missing}\n`,
        stderr: 'Exception in thread "main" java.lang.ClassNotFoundException: com.example.Nope\n',
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('kafka-dump-log on crafted segments', () => {
  const T0 = 1700000000000;
  let dir: string;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dump-log-crafted-'));
  });

  after(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** size, crc and whether the crc holds, read from the bytes of the batch at `position`. */
  function header(buf: Buffer, position: number): string {
    const size = 12 + buf.readInt32BE(position + 8);
    const crc = buf.readUInt32BE(position + 17);
    return `size: ${size} magic: 2 compresscodec: %CODEC% crc: ${crc} isvalid: ${crc32c(buf.subarray(position + 21, position + size)) === crc}`;
  }

  test('transactions, control records, LogAppendTime, snappy and offset gaps', async () => {
    const txn = await buildRecordBatch(
      [
        { key: 'a', value: 'x', timestamp: T0 },
        { key: 'b', value: 'y', timestamp: T0 + 1, headers: [{ key: 'trace', value: Buffer.from('1') }] },
      ],
      { baseOffset: 0, partitionLeaderEpoch: 3, producerId: 7, producerEpoch: 1, baseSequence: 0, transactional: true },
    );
    const markers = await buildRecordBatch(
      [
        { key: Buffer.from([0, 0, 0, 1]), value: Buffer.from([0, 0, 0, 0, 0, 5]), timestamp: T0 + 2 },
        { key: Buffer.from([0, 0, 0, 2]), value: Buffer.from([0, 0]), timestamp: T0 + 2 },
      ],
      { baseOffset: 2, partitionLeaderEpoch: 3, producerId: 7, producerEpoch: 1, transactional: true, control: true },
    );
    const appended = await buildRecordBatch(
      [
        { key: 'c', value: 'z', timestamp: T0 + 5 },
        { key: null, value: null, timestamp: T0 + 6 },
      ],
      { baseOffset: 10, partitionLeaderEpoch: 4, compression: 'snappy', logAppendTime: T0 + 100 },
    );
    const log = Buffer.concat([txn, markers, appended]);
    const file = path.join(dir, '00000000000000000000.log');
    fs.writeFileSync(file, log);
    const p1 = txn.length;
    const p2 = txn.length + markers.length;
    const batches = [
      `baseOffset: 0 lastOffset: 1 count: 2 baseSequence: 0 lastSequence: 1 producerId: 7 producerEpoch: 1 partitionLeaderEpoch: 3 ` +
        `isTransactional: true isControl: false deleteHorizonMs: OptionalLong.empty position: 0 CreateTime: ${T0 + 1} ${header(log, 0).replace('%CODEC%', 'none')}`,
      `baseOffset: 2 lastOffset: 3 count: 2 baseSequence: -1 lastSequence: -1 producerId: 7 producerEpoch: 1 partitionLeaderEpoch: 3 ` +
        `isTransactional: true isControl: true deleteHorizonMs: OptionalLong.empty position: ${p1} CreateTime: ${T0 + 2} ${header(log, p1).replace('%CODEC%', 'none')}`,
      `baseOffset: 10 lastOffset: 11 count: 2 baseSequence: -1 lastSequence: -1 producerId: -1 producerEpoch: -1 partitionLeaderEpoch: 4 ` +
        `isTransactional: false isControl: false deleteHorizonMs: OptionalLong.empty position: ${p2} LogAppendTime: ${T0 + 100} ${header(log, p2).replace('%CODEC%', 'snappy')}`,
    ];
    assert.ok(batches.every((b) => b.endsWith('isvalid: true')));
    const r = await run(['--print-data-log', '--files', file]);
    assert.deepEqual(r, {
      code: 0,
      stdout: [
        `Dumping ${file}`,
        'Log starting offset: 0',
        batches[0],
        `| offset: 0 CreateTime: ${T0} keySize: 1 valueSize: 1 sequence: 0 headerKeys: [] key: a payload: x`,
        `| offset: 1 CreateTime: ${T0 + 1} keySize: 1 valueSize: 1 sequence: 1 headerKeys: [trace] key: b payload: y`,
        batches[1],
        `| offset: 2 CreateTime: ${T0 + 2} keySize: 4 valueSize: 6 sequence: -1 headerKeys: [] endTxnMarker: COMMIT coordinatorEpoch: 5`,
        `| offset: 3 CreateTime: ${T0 + 2} keySize: 4 valueSize: 2 sequence: -1 headerKeys: [] controlType: LEADER_CHANGE(2)`,
        batches[2],
        `| offset: 10 LogAppendTime: ${T0 + 100} keySize: 1 valueSize: 1 sequence: -1 headerKeys: [] key: c payload: z`,
        `| offset: 11 LogAppendTime: ${T0 + 100} keySize: -1 valueSize: -1 sequence: -1 headerKeys: []`,
        '',
      ].join('\n'),
      stderr: `Non-consecutive offsets in ${file}\n  3 is followed by 10\n`,
    });
  });

  test('Integer and Long decoders, and a transaction index', async () => {
    const value = Buffer.alloc(8);
    value.writeBigInt64BE(-5n);
    const batch = await buildRecordBatch([{ key: Buffer.from([0, 0, 1, 0]), value, timestamp: T0 }], { baseOffset: 100 });
    const file = path.join(dir, '00000000000000000100.log');
    fs.writeFileSync(file, batch);
    const r = await run([
      '--key-decoder-class', 'org.apache.kafka.tools.api.IntegerDecoder',
      '--value-decoder-class', 'kafka.serializer.LongDecoder',
      '--skip-record-metadata',
      '--files', file,
    ]);
    assert.equal(r.code, 0);
    assert.equal(
      r.stdout.split('\n').filter((l) => !l.startsWith('baseOffset')).join('\n'),
      `Dumping ${file}\nkafka.serializer.LongDecoder is deprecated. Please use org.apache.kafka.tools.api.LongDecoder instead\n` +
        'Log starting offset: 100\n| key: 256 payload: -5\n',
    );
    const txnIndex = path.join(dir, '00000000000000000000.txnindex');
    const entry = Buffer.alloc(34);
    entry.writeInt16BE(0, 0);
    entry.writeBigInt64BE(7n, 2);
    entry.writeBigInt64BE(0n, 10);
    entry.writeBigInt64BE(3n, 18);
    entry.writeBigInt64BE(0n, 26);
    fs.writeFileSync(txnIndex, entry);
    assert.deepEqual(await run(['--files', txnIndex]), {
      code: 0,
      stdout: `Dumping ${txnIndex}\nversion: 0 producerId: 7 firstOffset: 0 lastOffset: 3 lastStableOffset: 0\n`,
      stderr: '',
    });
  });
});

describe('kafka-dump-log on a broker\'s files', { timeout: 180_000 }, () => {
  const T0 = 1700000000000;
  let cluster: Cluster;
  let dataDir: string;
  let scratch: string;
  let seg: string;
  let memberId: string;

  before(async () => {
    registerKafkajsCodecs();
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'dump-log-'));
    cluster = await startCluster({ brokers: 1 });
    const admin = kafkajs(cluster.bootstrap).admin();
    await admin.connect();
    await admin.createTopics({
      topics: [{ topic: 'dump', numPartitions: 1, configEntries: [{ name: 'index.interval.bytes', value: '1' }] }],
      waitForLeaders: true,
    });
    const producer = kafkajs(cluster.bootstrap).producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    await producer.send({
      topic: 'dump',
      messages: [
        { key: 'k1', value: 'v1', headers: { h1: 'a', h2: 'b' }, timestamp: String(T0) },
        { value: 'v2', timestamp: String(T0 + 1) },
      ],
    });
    await producer.send({
      topic: 'dump',
      compression: CompressionTypes.GZIP,
      messages: [
        { key: 'k3', value: 'v3', timestamp: String(T0 + 2) },
        { key: 'k4', value: null, timestamp: String(T0 + 3) },
      ],
    });
    await producer.send({ topic: 'dump', compression: CompressionTypes.ZSTD, messages: [{ key: 'k5', value: 'ü', timestamp: String(T0 + 4) }] });
    await producer.disconnect();
    const consumer = kafkajs(cluster.bootstrap, 'dump-client').consumer({ groupId: 'dump-group' });
    await consumer.connect();
    await consumer.subscribe({ topic: 'dump', fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      consumer
        .run({
          autoCommit: false,
          eachMessage: async ({ message, partition }) => {
            if (message.offset !== '4') return;
            await consumer.commitOffsets([{ topic: 'dump', partition, offset: '5' }]);
            resolve();
          },
        })
        .catch(reject);
    });
    const described = await admin.describeGroups(['dump-group']);
    memberId = described.groups[0]!.members[0]!.memberId;
    await consumer.disconnect();
    await admin.disconnect();
    dataDir = cluster.brokers[0]!.logDir;
    await cluster.brokers[0]!.stop();
    seg = path.join(dataDir, 'dump-0', '00000000000000000000');
  });

  after(async () => {
    await cluster?.stop();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  /** The header fields of the batches in the segment, read straight from the bytes. */
  function rawBatches(): { position: number; size: number; crc: number; producerId: number; valid: boolean }[] {
    const buf = fs.readFileSync(`${seg}.log`);
    const out = [];
    for (let position = 0; position < buf.length; ) {
      const size = 12 + buf.readInt32BE(position + 8);
      const crc = buf.readUInt32BE(position + 17);
      out.push({
        position,
        size,
        crc,
        producerId: Number(buf.readBigInt64BE(position + 43)),
        valid: crc32c(buf.subarray(position + 21, position + size)) === crc,
      });
      position += size;
    }
    return out;
  }

  function batchLines(): string[] {
    const raw = rawBatches();
    assert.equal(raw.length, 3);
    const [b0, b1, b2] = raw as [(typeof raw)[0], (typeof raw)[0], (typeof raw)[0]];
    const common = (b: typeof b0) =>
      `producerId: ${b.producerId} producerEpoch: 0 partitionLeaderEpoch: 0 isTransactional: false isControl: false deleteHorizonMs: OptionalLong.empty position: ${b.position}`;
    const tail = (b: typeof b0, codec: string) => `size: ${b.size} magic: 2 compresscodec: ${codec} crc: ${b.crc} isvalid: ${b.valid}`;
    assert.ok(raw.every((b) => b.valid));
    return [
      `baseOffset: 0 lastOffset: 1 count: 2 baseSequence: 0 lastSequence: 1 ${common(b0)} CreateTime: ${T0 + 1} ${tail(b0, 'none')}`,
      `baseOffset: 2 lastOffset: 3 count: 2 baseSequence: 2 lastSequence: 3 ${common(b1)} CreateTime: ${T0 + 3} ${tail(b1, 'gzip')}`,
      `baseOffset: 4 lastOffset: 4 count: 1 baseSequence: 4 lastSequence: 4 ${common(b2)} CreateTime: ${T0 + 4} ${tail(b2, 'zstd')}`,
    ];
  }

  test('.log: batches, records and their keys, payloads and header keys', async () => {
    const [l0, l1, l2] = batchLines() as [string, string, string];
    const shallow = await run(['--files', `${seg}.log`]);
    assert.deepEqual(shallow, { code: 0, stdout: `Dumping ${seg}.log\nLog starting offset: 0\n${l0}\n${l1}\n${l2}\n`, stderr: '' });

    const records = [
      `| offset: 0 CreateTime: ${T0} keySize: 2 valueSize: 2 sequence: 0 headerKeys: [h1,h2]`,
      `| offset: 1 CreateTime: ${T0 + 1} keySize: -1 valueSize: 2 sequence: 1 headerKeys: []`,
      `| offset: 2 CreateTime: ${T0 + 2} keySize: 2 valueSize: 2 sequence: 2 headerKeys: []`,
      `| offset: 3 CreateTime: ${T0 + 3} keySize: 2 valueSize: -1 sequence: 3 headerKeys: []`,
      `| offset: 4 CreateTime: ${T0 + 4} keySize: 2 valueSize: 2 sequence: 4 headerKeys: []`,
    ];
    const deep = await run(['--deep-iteration', '--files', `${seg}.log`]);
    assert.equal(deep.stdout, [`Dumping ${seg}.log`, 'Log starting offset: 0', l0, records[0], records[1], l1, records[2], records[3], l2, records[4], ''].join('\n'));

    const data = await run(['--print-data-log', '--files', `${seg}.log`]);
    const contents = [' key: k1 payload: v1', ' payload: v2', ' key: k3 payload: v3', ' key: k4', ' key: k5 payload: ü'];
    const withData = records.map((r, i) => r + contents[i]);
    assert.equal(data.stdout, [`Dumping ${seg}.log`, 'Log starting offset: 0', l0, withData[0], withData[1], l1, withData[2], withData[3], l2, withData[4], ''].join('\n'));
    assert.equal(data.stderr, '');

    const bare = await run(['--print-data-log', '--skip-record-metadata', '--key-decoder-class', '--files', `${seg}.log`]);
    assert.equal(
      bare.stdout,
      [`Dumping ${seg}.log`, 'Log starting offset: 0', l0, '| key: k1 payload: v1', ' payload: v2', l1, '| key: k3 payload: v3', '| key: k4', l2, '| key: k5 payload: ü', ''].join('\n'),
    );

    const deprecated = await run(['--value-decoder-class', 'kafka.serializer.StringDecoder', '--files', `${seg}.log`]);
    assert.ok(
      deprecated.stdout.startsWith(
        `Dumping ${seg}.log\nkafka.serializer.StringDecoder is deprecated. Please use org.apache.kafka.tools.api.StringDecoder instead\nLog starting offset: 0\n${l0}\n`,
      ),
    );
  });

  test('.log: --max-bytes and a torn tail', async () => {
    const [l0] = batchLines() as [string];
    const firstSize = rawBatches()[0]!.size;
    const limited = await run(['--max-bytes', String(firstSize + 20), '--files', `${seg}.log`]);
    assert.deepEqual(limited, { code: 0, stdout: `Dumping ${seg}.log\nLog starting offset: 0\n${l0}\n`, stderr: '' });
    const torn = path.join(scratch, '00000000000000000000.log');
    fs.writeFileSync(torn, fs.readFileSync(`${seg}.log`).subarray(0, firstSize + 20));
    const r = await run(['--files', torn]);
    assert.deepEqual(r, {
      code: 0,
      stdout: `Dumping ${torn}\nLog starting offset: 0\n${l0}\nFound 20 invalid bytes at the end of 00000000000000000000.log\n`,
      stderr: '',
    });
  });

  test('.index and .timeindex: entries checked against the log', async () => {
    const raw = rawBatches();
    const b1 = raw[1]!;
    const b2 = raw[2]!;
    // As in Kafka's LogSegment.append, an append is indexed once more than index.interval.bytes were written
    // before it: the first batch of a segment never is.
    const index = await run(['--files', `${seg}.index,${seg}.timeindex`]);
    assert.deepEqual(index, {
      code: 0,
      stdout: [
        `Dumping ${seg}.index`,
        `offset: 3 position: ${b1.position}`,
        `offset: 4 position: ${b2.position}`,
        `Dumping ${seg}.timeindex`,
        `timestamp: ${T0 + 3} offset: 3`,
        `timestamp: ${T0 + 4} offset: 4`,
        '',
      ].join('\n'),
      stderr: '',
    });
    const verify = await run(['--verify-index-only', '--files', `${seg}.index,${seg}.timeindex`]);
    assert.deepEqual(verify, { code: 0, stdout: `Dumping ${seg}.index\nDumping ${seg}.timeindex\n`, stderr: '' });
    const sanity = await run(['--index-sanity-check', '--files', `${seg}.index,${seg}.timeindex`]);
    assert.deepEqual(sanity, {
      code: 0,
      stdout: `Dumping ${seg}.index\n${seg}.index passed sanity check.\nDumping ${seg}.timeindex\n${seg}.timeindex passed sanity check.\n`,
      stderr: '',
    });

    // An index whose first entry names offset 2 (the batch there ends at 3), and a time index out of order.
    const copy = path.join(scratch, '00000000000000000000');
    fs.copyFileSync(`${seg}.log`, `${copy}.log`);
    const idx = fs.readFileSync(`${seg}.index`);
    idx.writeInt32BE(2, 0);
    fs.writeFileSync(`${copy}.index`, idx);
    const tidx = Buffer.alloc(24);
    tidx.writeBigInt64BE(BigInt(T0 + 3), 0);
    tidx.writeInt32BE(3, 8);
    tidx.writeBigInt64BE(BigInt(T0 + 2), 12);
    tidx.writeInt32BE(4, 20);
    fs.writeFileSync(`${copy}.timeindex`, tidx);
    const bad = await run(['--files', `${copy}.index,${copy}.timeindex`]);
    assert.equal(bad.code, 0);
    assert.equal(
      bad.stdout,
      [`Dumping ${copy}.index`, `offset: 2 position: ${b1.position}`, `offset: 4 position: ${b2.position}`,
        `Dumping ${copy}.timeindex`, `timestamp: ${T0 + 3} offset: 3`, `timestamp: ${T0 + 2} offset: 4`, ''].join('\n'),
    );
    assert.equal(
      bad.stderr,
      [`Mismatches in :${copy}.index`, '  Index offset: 2, log offset: 3',
        `Found timestamp mismatch in :${copy}.timeindex`, `  Index timestamp: ${T0 + 2}, log timestamp: ${T0 + 4}`,
        `Found out of order timestamp in :${copy}.timeindex`, `  Index timestamp: ${T0 + 2}, Previously indexed timestamp: ${T0 + 3}`, ''].join('\n'),
    );
    fs.writeFileSync(`${copy}.index`, Buffer.concat([idx, Buffer.from([1, 2, 3])]));
    const corrupt = await run(['--index-sanity-check', '--files', `${copy}.index`]);
    assert.deepEqual(corrupt, {
      code: 1,
      stdout: `Dumping ${copy}.index\n`,
      stderr: `Exception in thread "main" org.apache.kafka.common.errors.CorruptIndexException: Index file ${copy}.index is corrupt, found 19 bytes which is neither positive nor a multiple of 8\n`,
    });
  });

  test('.snapshot and leader-epoch-checkpoint', async () => {
    const producerId = rawBatches()[0]!.producerId;
    const snapshot = path.join(dataDir, 'dump-0', '00000000000000000005.snapshot');
    const r = await run(['--files', snapshot]);
    assert.deepEqual(r, {
      code: 0,
      stdout:
        `Dumping ${snapshot}\nproducerId: ${producerId} producerEpoch: 0 coordinatorEpoch: -1 currentTxnFirstOffset: OptionalLong.empty ` +
        `lastTimestamp: ${T0 + 4} firstSequence: 4 lastSequence: 4 lastOffset: 4 offsetDelta: 0 timestamp: ${T0 + 4}\n`,
      stderr: '',
    });
    const broken = path.join(scratch, '00000000000000000005.snapshot');
    const bytes = fs.readFileSync(snapshot);
    bytes[bytes.length - 1] ^= 0xff;
    fs.writeFileSync(broken, bytes);
    const corrupt = await run(['--files', broken]);
    assert.equal(corrupt.code, 0);
    assert.match(corrupt.stderr, /^Snapshot is corrupt \(CRC is no longer valid\)\. Stored crc: \d+\. Computed crc: \d+\n$/);
    // DumpLogSegments takes the suffix from the last '.', which a name without one does not have.
    const checkpoint = path.join(dataDir, 'dump-0', 'leader-epoch-checkpoint');
    assert.deepEqual(await run(['--files', checkpoint]), {
      code: 1,
      stdout: `Dumping ${checkpoint}\n`,
      stderr: 'Exception in thread "main" java.lang.StringIndexOutOfBoundsException: begin -1, end 23, length 23\n',
    });
  });

  test('__consumer_offsets with --offsets-decoder', async () => {
    const logs = fs
      .readdirSync(dataDir)
      .filter((d) => d.startsWith('__consumer_offsets-'))
      .map((d) => path.join(dataDir, d, '00000000000000000000.log'))
      .filter((f) => fs.statSync(f).size > 0);
    assert.equal(logs.length, 1);
    const r = await run(['--offsets-decoder', '--files', logs[0]!]);
    assert.equal(r.code, 0);
    assert.equal(r.stderr, '');
    const records = r.stdout.split('\n').filter((l) => l.startsWith('| '));
    const ts = '(\\d{13})';
    const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const member =
      `{"memberId":"${memberId}","groupInstanceId":null,"clientId":"dump-client","clientHost":"/127.0.0.1",` +
      '"rebalanceTimeout":60000,"sessionTimeout":30000,"subscription":{"topics":["dump"],"userData":""},' +
      '"assignment":{"assignedPartitions":[{"topic":"dump","partitions":[0]}],"userData":""}}';
    const expected = [
      `| offset: 0 CreateTime: TS keySize: 14 valueSize: NUM sequence: -1 headerKeys: [] key: {"type":"2","data":{"group":"dump-group"}} ` +
        `payload: {"version":"3","data":{"protocolType":"consumer","generation":1,"protocol":"RoundRobinAssigner","leader":"${memberId}",` +
        `"currentStateTimestamp":TS,"members":[${member}]}}`,
      '| offset: 1 CreateTime: TS keySize: 24 valueSize: 24 sequence: -1 headerKeys: [] key: {"type":"1","data":{"group":"dump-group","topic":"dump","partition":0}} ' +
        'payload: {"version":"3","data":{"offset":5,"leaderEpoch":-1,"metadata":"","commitTimestamp":TS}}',
      '| offset: 2 CreateTime: TS keySize: 14 valueSize: 32 sequence: -1 headerKeys: [] key: {"type":"2","data":{"group":"dump-group"}} ' +
        'payload: {"version":"3","data":{"protocolType":"consumer","generation":2,"protocol":null,"leader":null,"currentStateTimestamp":TS,"members":[]}}',
    ];
    assert.equal(records.length, expected.length);
    expected.forEach((line, i) => {
      const pattern = new RegExp(`^${escape(line).replace(/TS/g, ts).replace(/NUM/g, '\\d+')}$`);
      assert.match(records[i]!, pattern);
    });
  });
});
