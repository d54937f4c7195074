/**
 * The bench scenarios (the "Performance" issue): S1/S2 produce to one broker, S3 consume 5 M records
 * from the beginning, S4 produce to three brokers with RF=3 and acks=all, S5 end-to-end latency at a
 * fixed rate, S6 kcat (librdkafka) producing lines from stdin and consuming them. Each returns its
 * table rows; `quick` shrinks every run to a smoke test. The produce scenarios first send an unmeasured
 * warm-up of 5% of their records (the brokers' code is compiled by then), S5 leaves its first 3
 * seconds out; S3 and S6 measure cold brokers.
 */
import { runEndToEndLatency } from './e2e-latency';
import {
  GIB,
  createTopic,
  linesFile,
  measureBrokers,
  parseConsumerPerf,
  parseProducerPerf,
  runCommand,
  withCluster,
  type BenchContext,
  type ScenarioResult,
} from './bench-support';

/** A scenario: its id, what it does, its target, and how to run it once. */
export interface Scenario {
  id: string;
  description: string;
  run(ctx: BenchContext): Promise<ScenarioResult[]>;
}

/** Runs kafka-producer-perf-test and fails loudly unless every record was acknowledged. */
async function producePerf(topic: string, spec: { bootstrap: string; records: number; recordSize: number; acks: string; throughput?: number }) {
  const result = await runCommand('kafka-producer-perf-test.sh', [
    '--topic', topic,
    '--num-records', String(spec.records),
    '--record-size', String(spec.recordSize),
    '--throughput', String(spec.throughput ?? -1),
    '--producer-props', `bootstrap.servers=${spec.bootstrap}`, `acks=${spec.acks}`, 'linger.ms=5', 'batch.size=65536',
  ]);
  const line = parseProducerPerf(result.stdout);
  if (result.code !== 0 || line.records !== spec.records) {
    throw new Error(`kafka-producer-perf-test acknowledged ${line.records} of ${spec.records} records (exit ${result.code}):\n${result.stderr.slice(0, 2000)}`);
  }
  return line;
}

function produceScenario(spec: { id: string; description: string; brokers: number; partitions: number; rf: number; acks: string; recordSize: number; records: number; quickRecords: number; configs?: Record<string, string> }): Scenario {
  return {
    id: spec.id,
    description: spec.description,
    run: (ctx) =>
      withCluster(ctx, { name: spec.id, brokers: spec.brokers }, async (cluster) => {
        const topic = `bench-${spec.id.toLowerCase()}`;
        await createTopic(cluster.bootstrap, { name: topic, partitions: spec.partitions, replicationFactor: spec.rf, configs: spec.configs });
        const records = ctx.quick ? spec.quickRecords : spec.records;
        // Warm-up (not measured): the brokers' hot paths are compiled before the measured run, as in
        // a broker that has been up for a while.
        const warmup = Math.max(1000, Math.floor(records / 20));
        await producePerf(topic, { bootstrap: cluster.bootstrap, records: warmup, recordSize: spec.recordSize, acks: spec.acks });
        const m = await measureBrokers(cluster, () => producePerf(topic, { bootstrap: cluster.bootstrap, records, recordSize: spec.recordSize, acks: spec.acks }));
        const line = m.value;
        const bytes = records * spec.recordSize;
        return [
          {
            scenario: spec.id,
            description: spec.description,
            records,
            seconds: records / line.recordsPerSec,
            recordsPerSec: line.recordsPerSec,
            mbPerSec: line.mbPerSec,
            latency: { avg: line.avg, p50: line.p50, p99: line.p99, p999: line.p999, max: line.max },
            brokerCpuSeconds: m.cpuSeconds,
            brokerCpuSecondsPerGb: m.cpuSeconds / (bytes / GIB),
            brokerPeakRssMb: m.peakRssMb,
          },
        ];
      }),
  };
}

const S1 = produceScenario({
  id: 'S1',
  description: 'produce 100 B, 1 broker, 1 partition, acks=1, batch 64 KiB, linger 5 ms',
  brokers: 1,
  partitions: 1,
  rf: 1,
  acks: '1',
  recordSize: 100,
  records: 5_000_000,
  quickRecords: 300_000,
});

const S2 = produceScenario({
  id: 'S2',
  description: 'produce 1 KiB, 1 broker, 1 partition, acks=1, batch 64 KiB, linger 5 ms',
  brokers: 1,
  partitions: 1,
  rf: 1,
  acks: '1',
  recordSize: 1024,
  records: 2_000_000,
  quickRecords: 30_000,
});

const S4 = produceScenario({
  id: 'S4',
  description: 'produce 1 KiB, 3 brokers, RF=3, 6 partitions, acks=all, min.insync.replicas=2',
  brokers: 3,
  partitions: 6,
  rf: 3,
  acks: 'all',
  recordSize: 1024,
  records: 1_000_000,
  quickRecords: 30_000,
  configs: { 'min.insync.replicas': '2' },
});

const S3: Scenario = {
  id: 'S3',
  description: 'consume 5 M x 100 B from the beginning, 1 broker (restarted after the load)',
  run: (ctx) =>
    withCluster(ctx, { name: 'S3', brokers: 1 }, async (cluster) => {
      const topic = 'bench-s3';
      const records = ctx.quick ? 300_000 : 5_000_000;
      await createTopic(cluster.bootstrap, { name: topic, partitions: 1, replicationFactor: 1 });
      await producePerf(topic, { bootstrap: cluster.bootstrap, records, recordSize: 100, acks: '1' });
      // A restart: the consumer reads what a broker finds on disk, and its CPU profile and peak RSS
      // cover consumption only.
      const broker = cluster.brokers[0]!;
      await broker.stop();
      await broker.start();
      const m = await measureBrokers(cluster, () =>
        runCommand('kafka-consumer-perf-test.sh', ['--bootstrap-server', cluster.bootstrap, '--topic', topic, '--messages', String(records), '--timeout', '30000']),
      );
      const row = parseConsumerPerf(m.value.stdout);
      if (row.messages < records) throw new Error(`kafka-consumer-perf-test consumed ${row.messages} of ${records} records:\n${m.value.stdout}${m.value.stderr}`);
      return [
        {
          scenario: 'S3',
          description: S3.description,
          records: row.messages,
          seconds: m.value.seconds,
          recordsPerSec: row.fetchMessagesPerSec,
          mbPerSec: row.fetchMbPerSec,
          brokerCpuSeconds: m.cpuSeconds,
          brokerCpuSecondsPerGb: m.cpuSeconds / ((row.mb * 1024 * 1024) / GIB),
          brokerPeakRssMb: m.peakRssMb,
        },
      ];
    }),
};

const S5: Scenario = {
  id: 'S5',
  description: 'end-to-end latency, 5 k/s x 1 KiB, acks=all, 3 brokers, RF=3, min.insync.replicas=2',
  run: (ctx) =>
    withCluster(ctx, { name: 'S5', brokers: 3 }, async (cluster) => {
      const topic = 'bench-s5';
      await createTopic(cluster.bootstrap, { name: topic, partitions: 1, replicationFactor: 3, configs: { 'min.insync.replicas': '2' } });
      const recordsPerSec = 5000;
      // 20 s measured after 3 s of warm-up (the brokers' code compiles in the first seconds).
      const warmupRecords = recordsPerSec * (ctx.quick ? 1 : 3);
      const records = warmupRecords + recordsPerSec * (ctx.quick ? 5 : 20);
      const m = await measureBrokers(cluster, () =>
        runEndToEndLatency({ bootstrap: cluster.bootstrap, topic, recordsPerSec, records, recordSize: 1024, warmupRecords }),
      );
      const r = m.value;
      return [
        {
          scenario: 'S5',
          description: S5.description,
          records: r.records,
          seconds: r.seconds,
          recordsPerSec: r.records / r.seconds,
          mbPerSec: (r.records * 1024) / r.seconds / (1024 * 1024),
          latency: { avg: r.avg, p50: r.p50, p99: r.p99, p999: r.p999, max: r.max },
          brokerCpuSeconds: m.cpuSeconds,
          brokerCpuSecondsPerGb: m.cpuSeconds / ((r.records * 1024) / GIB),
          brokerPeakRssMb: m.peakRssMb,
        },
      ];
    }),
};

const S6: Scenario = {
  id: 'S6',
  description: 'kcat: produce 2 M x 100 B lines from stdin (acks=1, batch 64 KiB, linger 5 ms), then kcat -C -e',
  run: (ctx) =>
    withCluster(ctx, { name: 'S6', brokers: 1 }, async (cluster) => {
      const topic = 'bench-s6';
      const records = ctx.quick ? 200_000 : 2_000_000;
      const file = linesFile(ctx, records, 100);
      await createTopic(cluster.bootstrap, { name: topic, partitions: 1, replicationFactor: 1 });
      const bytes = records * 100;
      const produce = await measureBrokers(cluster, () =>
        runCommand('kcat', ['-P', '-b', cluster.bootstrap, '-t', topic, '-X', 'acks=1', '-X', 'linger.ms=5', '-X', 'batch.size=65536'], { stdinFile: file }),
      );
      if (produce.value.code !== 0) throw new Error(`kcat -P failed:\n${produce.value.stderr}`);
      const consume = await measureBrokers(cluster, () =>
        runCommand('kcat', ['-C', '-b', cluster.bootstrap, '-t', topic, '-o', 'beginning', '-e', '-q', '-c', String(records)], { discardStdout: true }),
      );
      if (consume.value.code !== 0) throw new Error(`kcat -C failed:\n${consume.value.stderr}`);
      const row = (id: string, description: string, m: typeof produce): ScenarioResult => ({
        scenario: id,
        description,
        records,
        seconds: m.value.seconds,
        recordsPerSec: records / m.value.seconds,
        mbPerSec: bytes / m.value.seconds / (1024 * 1024),
        brokerCpuSeconds: m.cpuSeconds,
        brokerCpuSecondsPerGb: m.cpuSeconds / (bytes / GIB),
        brokerPeakRssMb: m.peakRssMb,
      });
      return [row('S6-produce', 'kcat -P: 2 M x 100 B lines from stdin, acks=1, batch 64 KiB, linger 5 ms', produce), row('S6-consume', 'kcat -C -e: the same 2 M records from the beginning', consume)];
    }),
};

/** Every scenario, in run order. */
export const SCENARIOS: readonly Scenario[] = [S1, S2, S3, S4, S5, S6];

/** Targets on the 2-core machine (the issue's), for the table's last column. */
export const TARGETS: Readonly<Record<string, { text: string; met: (r: ScenarioResult) => boolean }>> = {
  S1: { text: '>= 800 k rec/s', met: (r) => r.recordsPerSec >= 800_000 },
  S2: { text: '>= 150 MB/s', met: (r) => r.mbPerSec >= 150 },
  S3: { text: '>= 2.5 M rec/s', met: (r) => r.recordsPerSec >= 2_500_000 },
  S4: { text: '>= 60 MB/s', met: (r) => r.mbPerSec >= 60 },
  S5: { text: 'p99 <= 20, p99.9 <= 50 ms', met: (r) => r.latency !== undefined && r.latency.p99 <= 20 && r.latency.p999 <= 50 },
  'S6-produce': { text: '>= 500 k rec/s', met: (r) => r.recordsPerSec >= 500_000 },
  'S6-consume': { text: '>= 1.1 M rec/s', met: (r) => r.recordsPerSec >= 1_100_000 },
};

/** Peak RSS target for every broker. */
export const RSS_TARGET_MB = 300;
