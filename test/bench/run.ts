/**
 * `npm run bench`: starts a ZooKeeper and, per scenario run, fresh brokers in temp dirs (a chroot each),
 * runs the scenarios of scenarios.ts, and prints a table of the medians (each figure's median over the
 * runs) with the targets; the figures of every run go to a JSON file. Never part of `npm test`.
 *
 *   node dist/test/bench/run.js [--scenarios S1,S3] [--runs 3] [--quick] [--json file] [--profile]
 *                               [--broker-node-opts "--flag ..."]
 *
 * --quick: one short run of each (a smoke test). --profile: brokers run with `node --cpu-prof`; the
 * profiles land next to the JSON file and their busiest functions are printed. --broker-node-opts: the
 * flags of the brokers' node processes instead of kafka-server-start.sh's default KAFKA_HEAP_OPTS
 * (`""` for none; e.g. `--trace-gc`). The default JSON file is
 * `.bench/bench-results.json` in the working directory (.bench/ is git-ignored).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startZooKeeper } from '../harness/zookeeper';
import type { BenchContext, ScenarioResult } from './bench-support';
import { formatProfileSummary, summariseProfile, type ProfileSummary } from './profile-summary';
import { RSS_TARGET_MB, SCENARIOS, TARGETS } from './scenarios';

interface BenchOptions {
  scenarios: string[];
  runs: number;
  quick: boolean;
  json: string;
  profile: boolean;
  brokerNodeOpts: string[] | undefined;
}

function parseArgs(argv: readonly string[]): BenchOptions {
  const o: BenchOptions = { scenarios: SCENARIOS.map((s) => s.id), runs: 3, quick: false, json: path.resolve('.bench', 'bench-results.json'), profile: false, brokerNodeOpts: undefined };
  let runsGiven = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--scenarios') o.scenarios = value().split(',').map((s) => s.trim().toUpperCase()).filter(Boolean);
    else if (a === '--runs') {
      o.runs = Math.max(1, Number(value()));
      runsGiven = true;
    } else if (a === '--quick') o.quick = true;
    else if (a === '--json') o.json = path.resolve(value());
    else if (a === '--profile') o.profile = true;
    else if (a === '--broker-node-opts') o.brokerNodeOpts = value().split(/\s+/).filter(Boolean);
    else throw new Error(`unknown option ${a} (options: --scenarios S1,S3 --runs N --quick --json file --profile --broker-node-opts "...")`);
  }
  if (o.quick && !runsGiven) o.runs = 1;
  const unknown = o.scenarios.filter((id) => !SCENARIOS.some((s) => s.id === id));
  if (unknown.length > 0) throw new Error(`unknown scenario(s) ${unknown.join(', ')}; known: ${SCENARIOS.map((s) => s.id).join(', ')}`);
  return o;
}

function median(values: number[]): number {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  const mid = v.length >> 1;
  return v.length % 2 === 1 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2;
}

/** The median of every figure over the runs of one row. */
function medianRow(runs: ScenarioResult[]): ScenarioResult {
  const first = runs[0]!;
  const m = (f: (r: ScenarioResult) => number) => median(runs.map(f));
  const withLatency = runs.filter((r) => r.latency !== undefined);
  return {
    scenario: first.scenario,
    description: first.description,
    records: m((r) => r.records),
    seconds: m((r) => r.seconds),
    recordsPerSec: m((r) => r.recordsPerSec),
    mbPerSec: m((r) => r.mbPerSec),
    latency:
      withLatency.length === 0
        ? undefined
        : {
            avg: median(withLatency.map((r) => r.latency!.avg)),
            p50: median(withLatency.map((r) => r.latency!.p50)),
            p99: median(withLatency.map((r) => r.latency!.p99)),
            p999: median(withLatency.map((r) => r.latency!.p999)),
            max: median(withLatency.map((r) => r.latency!.max)),
          },
    brokerCpuSeconds: m((r) => r.brokerCpuSeconds),
    brokerCpuSecondsPerGb: m((r) => r.brokerCpuSecondsPerGb),
    brokerPeakRssMb: m((r) => r.brokerPeakRssMb),
  };
}

function formatTable(rows: ScenarioResult[], runs: number): string {
  const header = ['scenario', 'records/s', 'MB/s', 'p50 ms', 'p99 ms', 'p99.9 ms', 'CPU s/GiB', 'peak RSS MB', 'target'];
  const fmt = (n: number | undefined, digits: number) => (n === undefined || !Number.isFinite(n) ? '-' : n.toFixed(digits));
  const body = rows.map((r) => {
    const t = TARGETS[r.scenario];
    const verdict = t ? `${t.text} ${t.met(r) ? 'ok' : 'BELOW'}` : '';
    const rss = `${fmt(r.brokerPeakRssMb, 0)}${r.brokerPeakRssMb > RSS_TARGET_MB ? ' (>300)' : ''}`;
    return [r.scenario, fmt(r.recordsPerSec, 0), fmt(r.mbPerSec, 1), fmt(r.latency?.p50, 1), fmt(r.latency?.p99, 1), fmt(r.latency?.p999, 1), fmt(r.brokerCpuSecondsPerGb, 1), rss, verdict];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 || i === cells.length - 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  const out = [`Medians of ${runs} run(s); broker CPU per GiB of record payload; peak RSS of the largest broker.`, line(header), line(widths.map((w) => '-'.repeat(w)))];
  for (const row of body) out.push(line(row));
  for (const r of rows) out.push(`  ${r.scenario}: ${r.description}`);
  return out.join('\n') + '\n';
}

function profilesIn(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return profilesIn(full);
    return e.name.endsWith('.cpuprofile') ? [full] : [];
  });
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const workDir = path.dirname(opts.json);
  fs.mkdirSync(workDir, { recursive: true });
  const profileDir = opts.profile ? path.join(workDir, `profiles-${Date.now()}`) : undefined;
  const log = (message: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
  log(`scenarios ${opts.scenarios.join(',')}, ${opts.runs} run(s)${opts.quick ? ', quick' : ''}; load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  const zk = await startZooKeeper({ logLevel: 'warn' });
  const results = new Map<string, ScenarioResult[]>();
  const failures: { scenario: string; run: number; error: string }[] = [];
  try {
    for (const id of opts.scenarios) {
      const scenario = SCENARIOS.find((s) => s.id === id)!;
      for (let run = 1; run <= opts.runs; run++) {
        const ctx: BenchContext = { zk, run, quick: opts.quick, workDir, profileDir, brokerNodeOpts: opts.brokerNodeOpts, log };
        log(`${id} run ${run}: ${scenario.description}`);
        try {
          for (const row of await scenario.run(ctx)) {
            results.set(row.scenario, [...(results.get(row.scenario) ?? []), row]);
            log(`  ${row.scenario}: ${row.recordsPerSec.toFixed(0)} records/s, ${row.mbPerSec.toFixed(1)} MB/s, broker CPU ${row.brokerCpuSeconds.toFixed(2)} s (${row.brokerCpuSecondsPerGb.toFixed(1)} s/GiB)` +
              (row.latency ? `, p50 ${row.latency.p50.toFixed(1)} p99 ${row.latency.p99.toFixed(1)} p99.9 ${row.latency.p999.toFixed(1)} ms` : ''));
          }
        } catch (err) {
          const error = err instanceof Error ? err.message : String(err);
          failures.push({ scenario: id, run, error });
          log(`  ${id} run ${run} failed: ${error}`);
        }
      }
    }
  } finally {
    await zk.stop();
  }
  const medians = [...results.values()].map(medianRow);
  process.stdout.write(formatTable(medians, opts.runs));
  const profiles: ProfileSummary[] = profileDir ? profilesIn(profileDir).map((f) => summariseProfile(f, 20)) : [];
  for (const p of profiles) process.stdout.write(`\n${formatProfileSummary(p)}`);
  const report = {
    date: new Date().toISOString(),
    machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version, loadAverageAtEnd: os.loadavg() },
    options: opts,
    medians,
    runs: Object.fromEntries(results),
    failures,
    profiles,
  };
  fs.writeFileSync(opts.json, JSON.stringify(report, null, 2));
  log(`figures written to ${opts.json}`);
  if (failures.length > 0) {
    for (const f of failures) process.stderr.write(`FAILED ${f.scenario} run ${f.run}: ${f.error}\n`);
    process.exitCode = 1;
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
