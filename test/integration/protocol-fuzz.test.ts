/**
 * Protocol fuzzing against a live broker process: for every API and version the broker advertises in
 * ApiVersions, a plausible request is built with the project's codec (test/protocol/samples.ts) and mutated
 * copies are sent — flipped bytes, truncations, length/count/varint fields replaced with huge, negative and
 * off-by-one values, bogus tagged-field sections, nulls where the version forbids them — plus corrupt record
 * batches on Produce and valid-looking but hostile requests (negative partitions, 100k partitions, huge
 * maxBytes/maxWait, bad topic names, client-sent controller requests with huge epochs).
 *
 * Every case must get a response that decodes (with the correlation id it was sent with) or a closed
 * connection; a pipelined ApiVersions after each case tells "answered nothing" (legal only for acks=0
 * Produce) from a hang. The broker process must stay up and log no TypeError/RangeError/uncaught exception.
 * Deterministic: the PRNG seed (FUZZ_SEED to override) is printed with every failure; FUZZ_BROKER_LOG=<file>
 * keeps the broker's log, FUZZ_ROUNDS sets the requests per API version, FUZZ_APIS=<key,key> limits the mutated requests to some api keys.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { startCluster, type Cluster } from '../harness/cluster';
import { BrokerConnection } from '../../src/client/broker-connection';
import { ApiKeys, apiDefinition, decodeResponse, encodeRequest, type ApiKey, type RequestInputOf } from '../../src/protocol';
import { buildRecordBatch, BatchField, updateCrc } from '../../src/protocol/records';
import { sampleMessage } from '../protocol/samples';
import { buildFrame, int, mutate, pick, prng, RawConnection, type Outcome, type Rng } from './fuzz-support';

const SEED = Number(process.env.FUZZ_SEED ?? 20_2611);
/** Requests per API version in the mutation pass: the first valid, the others mutated. */
const ROUNDS = Number(process.env.FUZZ_ROUNDS ?? 12);

interface FuzzCase {
  label: string;
  frame: Buffer;
  /** Checks a decoded response body beyond "it decodes"; returns a failure message or undefined. */
  check?: (body: any) => string | undefined;
  /** True when the case must be answered (not closed). */
  mustAnswer?: boolean;
}

describe('protocol fuzz', { timeout: 240_000 }, () => {
  let cluster: Cluster;
  let port: number;
  let served: Map<number, { min: number; max: number }>;
  let topicId: string;
  let validBatch: Buffer;
  const failures: string[] = [];

  before(async () => {
    cluster = await startCluster({ brokers: 1, props: { 'auto.create.topics.enable': 'false' } });
    port = cluster.brokers[0]!.port;
    const conn = new BrokerConnection({ host: '127.0.0.1', port, clientId: 'fuzz-setup' });
    try {
      const av = await conn.request(ApiKeys.ApiVersions, 0, {});
      served = new Map(av.apiKeys.map((k) => [k.apiKey, { min: k.minVersion, max: k.maxVersion }]));
      await conn.request(ApiKeys.CreateTopics, 4, { topics: [{ name: 'fuzz', numPartitions: 2, replicationFactor: 1 }], timeoutMs: 10_000 });
      for (let i = 0; ; i++) {
        const md = await conn.request(ApiKeys.Metadata, 12, { topics: [{ name: 'fuzz', topicId: 'AAAAAAAAAAAAAAAAAAAAAA' }] });
        const t = md.topics[0]!;
        if (t.errorCode === 0 && t.partitions.length === 2 && t.partitions.every((p) => p.leaderId === 0)) {
          topicId = t.topicId;
          break;
        }
        if (i > 100) throw new Error('topic fuzz never got a leader');
        await new Promise((r) => setTimeout(r, 100));
      }
      validBatch = await buildRecordBatch([{ key: Buffer.from('k'), value: Buffer.from('fuzz value') }]);
      const p = await conn.request(ApiKeys.Produce, 9, {
        acks: -1,
        timeoutMs: 5000,
        topicData: [{ name: 'fuzz', partitionData: [{ index: 0, records: validBatch }] }],
      });
      assert.equal(p.responses[0]!.partitionResponses[0]!.errorCode, 0);
    } finally {
      conn.close();
    }
  });

  after(async () => {
    // The broker's log goes with the failures: it says why each connection was closed.
    if (process.env.FUZZ_BROKER_LOG) writeFileSync(process.env.FUZZ_BROKER_LOG, cluster?.brokers[0]?.output ?? '');
    await cluster?.stop();
  });

  let correlation = 0;
  /** How much of the broker's output the health checks have looked at. */
  let logChecked = 0;

  /** The body a case starts from: the round-trip sample, tamed where a valid value would make the broker wait. */
  function baseBody(apiKey: number, version: number, rng: Rng): Record<string, unknown> {
    const def = apiDefinition(apiKey)!;
    const body = sampleMessage(def.request, version, rng() < 0.7 ? 'full' : 'empty');
    // Half the time, point topic names, ids and partitions at the real topic so requests reach the code
    // behind the name checks (not for the APIs that would delete it or add thousands of partitions to it).
    if (rng() < 0.5 && apiKey !== ApiKeys.DeleteTopics && apiKey !== ApiKeys.CreatePartitions && apiKey !== ApiKeys.CreateTopics) {
      aimAtRealTopic(body, rng);
    }
    if (apiKey === ApiKeys.Fetch) {
      body.maxWaitMs = 10;
      body.replicaId = -1;
    }
    if (apiKey === ApiKeys.Produce && Array.isArray(body.topicData)) {
      for (const t of body.topicData as any[]) {
        if (rng() < 0.5) t.name = 'fuzz';
        for (const p of t.partitionData) {
          p.index = int(rng, 3) - (rng() < 0.2 ? 2 : 0);
          if (rng() < 0.6) p.records = validBatch;
        }
      }
    }
    if (apiKey === ApiKeys.CreateTopics && Array.isArray(body.topics)) {
      // The sample asks for 100k+ partitions; real creations would flood ZooKeeper, so validate only.
      if (version >= 1) body.validateOnly = true;
      else for (const t of body.topics as any[]) t.numPartitions = 1 + int(rng, 3);
    }
    return body;
  }

  function aimAtRealTopic(node: unknown, rng: Rng): void {
    if (Array.isArray(node)) {
      for (const x of node) aimAtRealTopic(x, rng);
      return;
    }
    if (node === null || typeof node !== 'object' || Buffer.isBuffer(node)) return;
    const o = node as Record<string, unknown>;
    for (const [k, v] of Object.entries(o)) {
      if (typeof v === 'string' && /^(name|topic|topicName)$/.test(k)) o[k] = 'fuzz';
      else if (typeof v === 'string' && k === 'topicId' && v !== 'AAAAAAAAAAAAAAAAAAAAAA') o[k] = topicId;
      else if (typeof v === 'number' && /^(partition|partitionIndex|index)$/.test(k)) o[k] = int(rng, 3);
      else if (Array.isArray(v) && /^partition(Indexes|s)$/.test(k) && v.every((x) => typeof x === 'number')) o[k] = v.map(() => int(rng, 3));
      else aimAtRealTopic(v, rng);
    }
  }

  async function runCases(cases: FuzzCase[], workers = 4): Promise<void> {
    const broker = cluster.brokers[0]!;
    let nextIndex = 0;
    const work = async () => {
      let conn: RawConnection | undefined;
      while (nextIndex < cases.length) {
        const c = cases[nextIndex++]!;
        conn ??= await RawConnection.open(port);
        const outcome = await conn.send(c.frame);
        const failure = judge(c, outcome);
        if (failure) failures.push(`[seed ${SEED}] ${c.label}: ${failure}`);
        if (outcome.kind === 'closed' || outcome.kind === 'hang') {
          conn.destroy();
          conn = undefined;
        }
        if (!broker.running) {
          failures.push(`[seed ${SEED}] broker exited after ${c.label}`);
          return;
        }
      }
      conn?.destroy();
    };
    await Promise.all(Array.from({ length: workers }, work));
  }

  function judge(c: FuzzCase, outcome: Outcome): string | undefined {
    if (outcome.kind === 'hang') return 'no answer and no close within the timeout';
    if (outcome.kind === 'closed') return c.mustAnswer ? 'connection closed, an answer was expected' : undefined;
    const apiKey = c.frame.readInt16BE(4);
    const version = c.frame.readInt16BE(6);
    if (outcome.kind === 'none') {
      return apiKey === ApiKeys.Produce ? undefined : 'no response (only acks=0 Produce may go unanswered)';
    }
    const res = outcome.response!;
    const sentCorrelation = c.frame.readInt32BE(8);
    if (res.readInt32BE(0) !== sentCorrelation) return `correlation id ${res.readInt32BE(0)}, sent ${sentCorrelation}`;
    const range = served.get(apiKey);
    if (range === undefined) return `answered an api key ${apiKey} the broker does not serve`;
    if (version < range.min || version > range.max) {
      if (apiKey === ApiKeys.ApiVersions) return undefined;
      return res.length === 6 && res.readInt16BE(4) === 35 ? undefined : 'bad UNSUPPORTED_VERSION answer';
    }
    try {
      const { body } = decodeResponse(apiKey as ApiKey, version, res);
      return c.check?.(body);
    } catch (err) {
      return `response does not decode as ${apiKey} v${version}: ${(err as Error).message}`;
    }
  }

  /** A fresh connection gets normal ApiVersions/Metadata answers and the log shows no crash; failures are collected. */
  async function assertBrokerHealthy(): Promise<void> {
    await checkHealth().catch((err: Error) => failures.push(`health check: ${err.message}`));
  }

  async function checkHealth(): Promise<void> {
    const broker = cluster.brokers[0]!;
    assert.ok(broker.running, `[seed ${SEED}] broker process exited`);
    const conn = new BrokerConnection({ host: '127.0.0.1', port, clientId: 'fuzz-health' });
    try {
      const av = await conn.request(ApiKeys.ApiVersions, 3, { clientSoftwareName: 'fuzz', clientSoftwareVersion: '1' });
      assert.equal(av.errorCode, 0);
      const md = await conn.request(ApiKeys.Metadata, 9, { topics: [{ name: 'fuzz' }] });
      assert.equal(md.topics[0]!.errorCode, 0, `[seed ${SEED}] topic fuzz lost after fuzzing`);
      assert.ok(md.topics[0]!.partitions.every((p) => p.leaderId === 0), `[seed ${SEED}] partitions lost their leader`);
    } finally {
      conn.close();
    }
    // Hostile input is the client's fault: it may be logged at WARN, never as a broker ERROR or a crash.
    const lines = broker.output.slice(logChecked).split('\n');
    logChecked = broker.output.length;
    const bad = lines.flatMap((line, i) =>
      /TypeError|RangeError|ReferenceError|[Uu]ncaught|[Uu]nhandled|\] ERROR /.test(line) ? [lines.slice(i, i + 3).join('\n')] : [],
    );
    assert.deepEqual(bad.slice(0, 10), [], `[seed ${SEED}] the broker logged ${bad.length} errors`);
  }

  function reportFailures(): void {
    const list = failures.splice(0);
    assert.deepEqual(list.slice(0, 30), [], `${list.length} failing cases, first ones listed`);
  }

  test('mutated requests of every served API and version', async (t) => {
    const rng = prng(SEED);
    const cases: FuzzCase[] = [];
    const only = process.env.FUZZ_APIS?.split(',').map(Number);
    for (const [apiKey, range] of served) {
      if (only !== undefined && !only.includes(apiKey)) continue;
      for (let v = range.min; v <= range.max; v++) {
        for (let i = 0; i < ROUNDS; i++) {
          const built = buildFrame(apiKey, v, ++correlation, baseBody(apiKey, v, rng));
          if (i === 0) {
            cases.push({ label: `api ${apiKey} v${v} valid`, frame: built.frame });
            continue;
          }
          const m = mutate(rng, built);
          cases.push({ label: `api ${apiKey} v${v} ${m.what}`, frame: m.frame });
        }
      }
    }
    await runCases(cases);
    t.diagnostic(`${cases.length} mutated cases, seed ${SEED}`);
    await assertBrokerHealthy();
    reportFailures();
  });

  test('corrupt record batches on Produce', async () => {
    const rng = prng(SEED + 1);
    const gzipBatch = await buildRecordBatch([{ value: Buffer.alloc(200, 7) }, { value: Buffer.from('x') }], { compression: 'gzip' });
    const cases: FuzzCase[] = [];
    const corruptions: [string, (b: Buffer) => Buffer][] = [
      ['crc', (b) => (b.writeInt32BE(b.readInt32BE(BatchField.crc) ^ 1, BatchField.crc), b)],
      ['batchLength huge', (b) => (b.writeInt32BE(0x7fffffff, BatchField.batchLength), b)],
      ['batchLength negative', (b) => (b.writeInt32BE(-5, BatchField.batchLength), b)],
      ['batchLength short', (b) => (b.writeInt32BE(b.readInt32BE(BatchField.batchLength) - 3, BatchField.batchLength), b)],
      ['batchLength long', (b) => (b.writeInt32BE(b.readInt32BE(BatchField.batchLength) + 3, BatchField.batchLength), b)],
      ['records count huge', (b) => (b.writeInt32BE(0x7fffffff, BatchField.recordsCount), updateCrc(b, 0), b)],
      ['records count negative', (b) => (b.writeInt32BE(-1, BatchField.recordsCount), updateCrc(b, 0), b)],
      ['records count zero', (b) => (b.writeInt32BE(0, BatchField.recordsCount), updateCrc(b, 0), b)],
      ['bad record varint', (b) => (b.fill(0xff, BatchField.records, BatchField.records + 6), updateCrc(b, 0), b)],
      ['magic 7', (b) => ((b[BatchField.magic] = 7), b)],
      ['magic 0', (b) => ((b[BatchField.magic] = 0), b)],
      ['compression 6', (b) => (b.writeInt16BE(6, BatchField.attributes), updateCrc(b, 0), b)],
      ['lastOffsetDelta -1', (b) => (b.writeInt32BE(-1, BatchField.lastOffsetDelta), updateCrc(b, 0), b)],
      ['truncated header', (b) => b.subarray(0, 30)],
      ['short garbage', (b) => b.subarray(0, 5)],
      ['two batches, second cut', (b) => Buffer.concat([b, b.subarray(0, 40)])],
      ['control batch from a client', (b) => (b.writeInt16BE(0x20, BatchField.attributes), updateCrc(b, 0), b)],
      ['transactional without producer id', (b) => (b.writeInt16BE(0x10, BatchField.attributes), updateCrc(b, 0), b)],
    ];
    const compressedCorruptions: [string, (b: Buffer) => Buffer][] = [
      ['gzip payload garbage', (b) => (b.fill(0x5a, BatchField.records, b.length), updateCrc(b, 0), b)],
      ['gzip payload cut', (b) => (b.fill(0, b.length - 10), updateCrc(b, 0), b)],
      ...(['snappy', 'lz4', 'zstd'] as const).map((codec, i): [string, (b: Buffer) => Buffer] => [
        `claims ${codec}, holds gzip`,
        (b) => (b.writeInt16BE(2 + i, BatchField.attributes), updateCrc(b, 0), b),
      ]),
      ['gzip count huge', (b) => (b.writeInt32BE(1_000_000, BatchField.recordsCount), updateCrc(b, 0), b)],
    ];
    for (let round = 0; round < 3; round++) {
      for (const version of [3, 7, 9]) {
        for (const [name, corrupt] of [...corruptions.map((c) => [c, validBatch] as const), ...compressedCorruptions.map((c) => [c, gzipBatch] as const)].map(
          ([c, base]) => [c[0], () => c[1](Buffer.from(base))] as const,
        )) {
          const records = corrupt();
          const acks = pick(rng, [1, -1]);
          const frame = Buffer.concat(
            encodeRequest(
              { apiKey: ApiKeys.Produce, apiVersion: version, correlationId: ++correlation, clientId: 'fuzz' },
              { acks, timeoutMs: 2000, topicData: [{ name: 'fuzz', partitionData: [{ index: int(rng, 2), records }] }] },
            ),
          );
          cases.push({
            label: `produce v${version} ${name}`,
            frame,
            mustAnswer: true,
            check: (body) => {
              const code = body.responses[0].partitionResponses[0].errorCode;
              // Kafka does not refuse a transactional batch without a producer id on the append path.
              return code === 0 && !name.startsWith('transactional') ? `corrupt batch (${name}) was accepted` : undefined;
            },
          });
        }
      }
    }
    // A decompression bomb: 256 MiB of zeros in a ~250 KB gzip member, refused without inflating it all.
    const bomb = Buffer.concat([validBatch.subarray(0, BatchField.records), gzipSync(Buffer.alloc(256 * 1024 * 1024), { level: 9 })]);
    bomb.writeInt32BE(bomb.length - 12, BatchField.batchLength);
    bomb.writeInt16BE(1, BatchField.attributes);
    updateCrc(bomb, 0);
    cases.push({
      label: 'produce gzip bomb',
      mustAnswer: true,
      frame: Buffer.concat(
        encodeRequest(
          { apiKey: ApiKeys.Produce, apiVersion: 9, correlationId: ++correlation, clientId: 'fuzz' },
          { acks: 1, timeoutMs: 2000, topicData: [{ name: 'fuzz', partitionData: [{ index: 0, records: bomb }] }] },
        ),
      ),
      check: (body) => (body.responses[0].partitionResponses[0].errorCode !== 2 ? 'gzip bomb not refused as CORRUPT_MESSAGE' : undefined),
    });
    await runCases(cases, 2);
    await assertBrokerHealthy();
    reportFailures();
  });

  test('valid encodings with hostile semantics', async () => {
    const cases: FuzzCase[] = [];
    const req = <K extends ApiKey>(apiKey: K, apiVersion: number, body: RequestInputOf<K>, label: string, check?: FuzzCase['check']) =>
      cases.push({
        label,
        mustAnswer: true,
        check,
        frame: Buffer.concat(encodeRequest({ apiKey, apiVersion, correlationId: ++correlation, clientId: 'fuzz' }, body)),
      });
    const longName = 'x'.repeat(300);
    const badNames = [longName, 'bad/name', 'a b', '..', '.', '', 'ünïcode', 'x\u0000y'];
    for (const name of badNames) {
      req(ApiKeys.Metadata, 9, { topics: [{ name }], allowAutoTopicCreation: true }, `metadata topic '${name.slice(0, 20)}'`, (b) =>
        b.topics[0].errorCode === 0 ? 'invalid topic name answered without error' : undefined,
      );
      req(ApiKeys.CreateTopics, 5, { topics: [{ name, numPartitions: 1, replicationFactor: 1 }], timeoutMs: 1000 }, `create '${name.slice(0, 20)}'`, (b) =>
        b.topics[0].errorCode === 0 ? 'invalid topic name created' : undefined,
      );
      req(ApiKeys.Produce, 9, { acks: 1, timeoutMs: 1000, topicData: [{ name, partitionData: [{ index: 0, records: validBatch }] }] }, `produce to '${name.slice(0, 20)}'`, (b) =>
        b.responses[0].partitionResponses[0].errorCode === 0 ? 'produce to an invalid topic accepted' : undefined,
      );
    }
    // Topic names that can never exist, through every API that names topics (several reach ZooKeeper paths).
    for (const name of badNames) {
      const short = `'${name.slice(0, 12)}'`;
      req(ApiKeys.DeleteTopics, 5, { topicNames: [name], timeoutMs: 1000 }, `delete topic ${short}`, (b) =>
        b.responses[0].errorCode === 0 ? 'deleting an invalid topic name succeeded' : undefined,
      );
      req(ApiKeys.CreatePartitions, 3, { topics: [{ name, count: 3, assignments: null }], timeoutMs: 1000, validateOnly: false }, `create partitions ${short}`, (b) =>
        b.results[0].errorCode !== 3 ? `expected UNKNOWN_TOPIC_OR_PARTITION, got ${b.results[0].errorCode}` : undefined,
      );
      for (const [resourceType, resourceName] of [[2, name], [4, name], [8, name]] as const) {
        req(ApiKeys.DescribeConfigs, 4, { resources: [{ resourceType, resourceName, configurationKeys: null }], includeSynonyms: true, includeDocumentation: false }, `describe configs ${resourceType} ${short}`);
        req(ApiKeys.AlterConfigs, 2, { resources: [{ resourceType, resourceName, configs: [{ name: 'retention.ms', value: '1000' }] }], validateOnly: false }, `alter configs ${resourceType} ${short}`);
        req(ApiKeys.IncrementalAlterConfigs, 1, { resources: [{ resourceType, resourceName, configs: [{ name: 'retention.ms', configOperation: 0, value: '1000' }] }], validateOnly: false }, `incremental alter configs ${resourceType} ${short}`);
      }
      req(ApiKeys.ElectLeaders, 2, { electionType: 0, topicPartitions: [{ topic: name, partitions: [0] }], timeoutMs: 1000 }, `elect leaders ${short}`);
      req(ApiKeys.AlterPartitionReassignments, 0, { timeoutMs: 1000, topics: [{ name, partitions: [{ partitionIndex: 0, replicas: [0] }] }] }, `reassign ${short}`);
      req(ApiKeys.ListPartitionReassignments, 0, { timeoutMs: 1000, topics: [{ name, partitionIndexes: [0] }] }, `list reassignments ${short}`);
      req(ApiKeys.DeleteRecords, 2, { topics: [{ name, partitions: [{ partitionIndex: 0, offset: 0 }] }], timeoutMs: 1000 }, `delete records ${short}`);
      req(ApiKeys.DescribeLogDirs, 4, { topics: [{ topic: name, partitions: [0] }] }, `describe log dirs ${short}`);
      req(ApiKeys.OffsetCommit, 8, { groupId: 'g-bad-names', generationIdOrMemberEpoch: -1, memberId: '', topics: [{ name, partitions: [{ partitionIndex: 0, committedOffset: 1 }] }] }, `commit ${short}`);
      req(ApiKeys.ListOffsets, 7, { replicaId: -1, topics: [{ name, partitions: [{ partitionIndex: 0, timestamp: -1 }] }] }, `list offsets ${short}`);
      req(ApiKeys.DescribeProducers, 0, { topics: [{ name, partitionIndexes: [0] }] }, `describe producers ${short}`);
    }
    const notZero = (what: string) => (code: number) => (code === 0 ? `${what} answered without error` : undefined);
    for (const index of [-1, -2147483648, 2, 2147483647]) {
      req(ApiKeys.Produce, 9, { acks: 1, timeoutMs: 1000, topicData: [{ name: 'fuzz', partitionData: [{ index, records: validBatch }] }] }, `produce partition ${index}`, (b) =>
        notZero(`produce to partition ${index}`)(b.responses[0].partitionResponses[0].errorCode),
      );
      req(ApiKeys.Fetch, 12, { replicaId: -1, maxWaitMs: 10, minBytes: 1, maxBytes: 1 << 20, topics: [{ topic: 'fuzz', partitions: [{ partition: index, fetchOffset: 0, partitionMaxBytes: 1024 }] }] }, `fetch partition ${index}`, (b) =>
        notZero(`fetch partition ${index}`)(b.responses[0].partitions[0].errorCode),
      );
      req(ApiKeys.ListOffsets, 7, { replicaId: -1, topics: [{ name: 'fuzz', partitions: [{ partitionIndex: index, timestamp: -1 }] }] }, `list offsets partition ${index}`, (b) =>
        notZero(`list offsets partition ${index}`)(b.topics[0].partitions[0].errorCode),
      );
      req(ApiKeys.OffsetForLeaderEpoch, 4, { replicaId: -1, topics: [{ topic: 'fuzz', partitions: [{ partition: index, leaderEpoch: 0 }] }] }, `offset for leader epoch partition ${index}`);
      req(ApiKeys.DeleteRecords, 2, { topics: [{ name: 'fuzz', partitions: [{ partitionIndex: index, offset: 0 }] }], timeoutMs: 1000 }, `delete records partition ${index}`, (b) =>
        notZero(`delete records partition ${index}`)(b.topics[0].partitions[0].errorCode),
      );
      req(ApiKeys.OffsetCommit, 8, { groupId: 'g', generationIdOrMemberEpoch: -1, memberId: '', topics: [{ name: 'fuzz', partitions: [{ partitionIndex: index, committedOffset: 5 }] }] }, `commit partition ${index}`);
      req(ApiKeys.CreatePartitions, 3, { topics: [{ name: 'fuzz', count: index, assignments: null }], timeoutMs: 1000, validateOnly: true }, `create partitions count ${index}`, (b) =>
        notZero(`create partitions count ${index}`)(b.results[0].errorCode),
      );
    }
    // 100k partitions in one request.
    const many = Array.from({ length: 100_000 }, (_, i) => i);
    req(ApiKeys.Produce, 9, { acks: 1, timeoutMs: 1000, topicData: [{ name: 'fuzz', partitionData: many.map((index) => ({ index, records: null })) }] }, 'produce 100k partitions');
    req(ApiKeys.Fetch, 12, { replicaId: -1, maxWaitMs: 100, minBytes: 1, maxBytes: 1 << 20, topics: [{ topic: 'fuzz', partitions: many.map((partition) => ({ partition, fetchOffset: 0, partitionMaxBytes: 1024 })) }] }, 'fetch 100k partitions');
    req(ApiKeys.ListOffsets, 7, { replicaId: -1, topics: [{ name: 'fuzz', partitions: many.map((partitionIndex) => ({ partitionIndex, timestamp: -2 })) }] }, 'list offsets 100k partitions');
    req(ApiKeys.Metadata, 9, { topics: many.slice(0, 20_000).map((i) => ({ name: `t${i}` })), allowAutoTopicCreation: false }, 'metadata 20k topics');
    req(ApiKeys.OffsetFetch, 7, { groupId: 'g', topics: [{ name: 'fuzz', partitionIndexes: many }] }, 'offset fetch 100k partitions');
    req(ApiKeys.CreateTopics, 5, { topics: [{ name: 'huge', numPartitions: 100_000, replicationFactor: 1 }], timeoutMs: 1000, validateOnly: true }, 'validate 100k-partition topic');
    // Huge maxBytes / maxWait on a partition that has data: answered at once with the data.
    req(ApiKeys.Fetch, 12, { replicaId: -1, maxWaitMs: 0x7fffffff, minBytes: 1, maxBytes: 0x7fffffff, topics: [{ topic: 'fuzz', partitions: [{ partition: 0, fetchOffset: 0, partitionMaxBytes: 0x7fffffff }] }] }, 'fetch huge maxBytes', (b) =>
      b.responses[0].partitions[0].errorCode !== 0 || !b.responses[0].partitions[0].records?.length ? 'no data' : undefined,
    );
    req(ApiKeys.Fetch, 12, { replicaId: -1, maxWaitMs: -5, minBytes: -1, maxBytes: -1, topics: [{ topic: 'fuzz', partitions: [{ partition: 0, fetchOffset: -7, partitionMaxBytes: -1 }] }] }, 'fetch negative sizes');
    req(ApiKeys.Fetch, 12, { replicaId: -1, maxWaitMs: 10, minBytes: 1, maxBytes: 1000, topics: [{ topic: 'fuzz', partitions: [{ partition: 0, fetchOffset: 2 ** 53, partitionMaxBytes: 1000 }] }] }, 'fetch offset 2^53', (b) =>
      notZero('fetch beyond the log end')(b.responses[0].partitions[0].errorCode),
    );
    // A client claiming to be a replica (the broker itself, or a broker that does not exist).
    for (const replicaId of [0, 1, 7, -2, -3]) {
      // Kafka's followerReplicaOrThrow: a fetch from a broker that is not a follower of the partition (this
      // broker itself included) is NOT_LEADER_OR_FOLLOWER.
      req(ApiKeys.Fetch, 12, { replicaId, maxWaitMs: 10, minBytes: 1, maxBytes: 1000, topics: [{ topic: 'fuzz', partitions: [{ partition: 0, fetchOffset: 0, partitionMaxBytes: 1000 }] }] }, `fetch as replica ${replicaId}`, (b) => {
        const code = b.responses[0].partitions[0].errorCode;
        return replicaId >= 0 && code !== 6 ? `fetch as non-follower replica ${replicaId} answered ${code}` : undefined;
      });
      req(ApiKeys.ListOffsets, 5, { replicaId, topics: [{ name: 'fuzz', partitions: [{ partitionIndex: 0, timestamp: -1 }] }] }, `list offsets as replica ${replicaId}`);
    }
    // Negative timeouts.
    req(ApiKeys.Produce, 9, { acks: -1, timeoutMs: -100, topicData: [{ name: 'fuzz', partitionData: [{ index: 1, records: validBatch }] }] }, 'produce negative timeout');
    req(ApiKeys.CreateTopics, 5, { topics: [{ name: 'neg-timeout', numPartitions: 1, replicationFactor: 1 }], timeoutMs: -1, validateOnly: true }, 'create negative timeout');
    req(ApiKeys.DeleteTopics, 4, { topicNames: ['no-such-topic'], timeoutMs: -1 }, 'delete negative timeout');
    req(ApiKeys.JoinGroup, 5, { groupId: 'gj', sessionTimeoutMs: -1, rebalanceTimeoutMs: -1, memberId: '', groupInstanceId: null, protocolType: 'consumer', protocols: [{ name: 'range', metadata: Buffer.alloc(0) }] }, 'join negative timeouts', (b) =>
      notZero('join with session timeout -1')(b.errorCode),
    );
    req(ApiKeys.JoinGroup, 5, { groupId: '', sessionTimeoutMs: 10000, rebalanceTimeoutMs: 10000, memberId: '', groupInstanceId: null, protocolType: 'consumer', protocols: [] }, 'join empty group id', (b) =>
      notZero('join with empty group id')(b.errorCode),
    );
    req(ApiKeys.InitProducerId, 3, { transactionalId: null, transactionTimeoutMs: -1, producerId: 2 ** 53, producerEpoch: 32767 }, 'init producer id bogus');
    req(ApiKeys.ElectLeaders, 2, { electionType: 9, topicPartitions: [{ topic: 'fuzz', partitions: [-1, 5] }], timeoutMs: -1 }, 'elect leaders bogus');
    req(ApiKeys.AlterPartitionReassignments, 0, { timeoutMs: 1000, topics: [{ name: 'fuzz', partitions: [{ partitionIndex: -1, replicas: [-5, 99] }] }] }, 'reassign to bogus replicas');
    req(ApiKeys.DescribeConfigs, 4, { resources: [{ resourceType: 99, resourceName: '', configurationKeys: null }], includeSynonyms: true, includeDocumentation: true }, 'describe configs bad resource type');
    req(ApiKeys.IncrementalAlterConfigs, 1, { resources: [{ resourceType: 2, resourceName: 'fuzz', configs: [{ name: 'retention.ms', configOperation: 42, value: 'abc' }] }], validateOnly: true }, 'alter configs bad op');
    req(ApiKeys.AlterConfigs, 2, { resources: [{ resourceType: 4, resourceName: 'not-a-number', configs: [{ name: 'x', value: null }] }], validateOnly: true }, 'alter broker configs bad name');
    for (const c of cases) {
      if (!served.has(c.frame.readInt16BE(4))) throw new Error(`${c.label}: api not served`);
    }
    await runCases(cases, 2);
    await assertBrokerHealthy();
    reportFailures();
  });

  test('controller requests from a client with huge epochs do not fence the real controller', async () => {
    const cases: FuzzCase[] = [];
    const req = <K extends ApiKey>(apiKey: K, apiVersion: number, body: RequestInputOf<K>, label: string) =>
      cases.push({ label, frame: Buffer.concat(encodeRequest({ apiKey, apiVersion, correlationId: ++correlation, clientId: 'fuzz' }, body as never)) });
    const huge = { controllerId: 0, controllerEpoch: 0x7fffffff, brokerEpoch: 2 ** 53 };
    const state = { topicName: 'fuzz', partitionIndex: 0, controllerEpoch: 0x7fffffff, leader: 5, leaderEpoch: 0x7fffffff, isr: [5], partitionEpoch: 0x7fffffff, replicas: [5], addingReplicas: [], removingReplicas: [], isNew: false };
    for (const controllerId of [0, 5, -1]) {
      req(ApiKeys.LeaderAndIsr, 5, { ...huge, controllerId, type: 0, topicStates: [{ topicName: 'fuzz', topicId, partitionStates: [state] }], liveLeaders: [{ brokerId: 5, hostName: 'evil', port: 1 }] }, `LeaderAndIsr from ${controllerId}`);
      req(ApiKeys.UpdateMetadata, 7, { ...huge, controllerId, topicStates: [{ topicName: 'fuzz', topicId, partitionStates: [{ ...state }] }], liveBrokers: [] }, `UpdateMetadata from ${controllerId}`);
      req(ApiKeys.StopReplica, 3, { ...huge, controllerId, topicStates: [{ topicName: 'fuzz', partitionStates: [{ partitionIndex: 1, leaderEpoch: 0x7fffffff, deletePartition: true }] }] }, `StopReplica from ${controllerId}`);
    }
    for (const c of cases) {
      if (!served.has(c.frame.readInt16BE(4))) throw new Error(`${c.label}: api not served`);
    }
    await runCases(cases, 1);
    await assertBrokerHealthy();
    reportFailures();
    // The real controller can still make this broker lead a new topic, and the old topic still takes writes.
    const conn = new BrokerConnection({ host: '127.0.0.1', port, clientId: 'fuzz-after' });
    try {
      const created = await conn.request(ApiKeys.CreateTopics, 5, { topics: [{ name: 'after-fuzz', numPartitions: 1, replicationFactor: 1 }], timeoutMs: 10_000 });
      assert.equal(created.topics[0]!.errorCode, 0);
      let leader = -1;
      for (let i = 0; i < 50 && leader !== 0; i++) {
        const md = await conn.request(ApiKeys.Metadata, 9, { topics: [{ name: 'after-fuzz' }] });
        leader = md.topics[0]!.partitions[0]?.leaderId ?? -1;
        if (leader !== 0) await new Promise((r) => setTimeout(r, 100));
      }
      assert.equal(leader, 0, 'the real controller could not make broker 0 lead a new partition');
      for (const index of [0, 1]) {
        const p = await conn.request(ApiKeys.Produce, 9, { acks: -1, timeoutMs: 5000, topicData: [{ name: 'fuzz', partitionData: [{ index, records: validBatch }] }] });
        assert.equal(p.responses[0]!.partitionResponses[0]!.errorCode, 0, `produce to fuzz-${index} after client-sent controller requests`);
      }
    } finally {
      conn.close();
    }
  });
});
