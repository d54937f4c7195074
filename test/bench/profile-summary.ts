/**
 * Summarises V8 CPU profiles (`node --cpu-prof` writes them as `.cpuprofile` JSON): self time and
 * inclusive time per function, sorted, as percentages of the busy (non-idle) time. The bench uses it
 * to report where a broker spends its time; run it alone as
 * `node dist/test/bench/profile-summary.js <file.cpuprofile> [top]`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Time spent in one function (all its nodes in the call tree). */
export interface FunctionTime {
  /** `name (file:line)`. */
  name: string;
  selfMs: number;
  /** Time with the function anywhere on the stack (counted once per sample). */
  totalMs: number;
  selfPercent: number;
  totalPercent: number;
}

/** A profile reduced to its busiest functions. */
export interface ProfileSummary {
  file: string;
  /** Sampled time that was not `(idle)`. */
  busyMs: number;
  idleMs: number;
  /** Busiest functions by self time. */
  bySelf: FunctionTime[];
  /** Busiest functions by inclusive time. */
  byTotal: FunctionTime[];
}

const IDLE = '(idle)';

function label(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const name = functionName || '(anonymous)';
  if (!url) return name;
  const file = url.replace(/^file:\/\//, '');
  const short = file.includes('/dist/') ? file.slice(file.indexOf('/dist/') + 6) : path.basename(file);
  return `${name} (${short}:${lineNumber + 1})`;
}

/** Reads and summarises one `.cpuprofile` file; `top` functions per list. */
export function summariseProfile(file: string, top = 25): ProfileSummary {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map<number, ProfileNode>();
  const parent = new Map<number, number>();
  for (const n of profile.nodes) {
    byId.set(n.id, n);
    for (const c of n.children ?? []) parent.set(c, n.id);
  }
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  let idleMs = 0;
  let busyMs = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    const node = byId.get(profile.samples[i]!);
    if (!node) continue;
    const name = label(node);
    if (node.callFrame.functionName === IDLE) {
      idleMs += ms;
      continue;
    }
    busyMs += ms;
    self.set(name, (self.get(name) ?? 0) + ms);
    const seen = new Set<string>();
    for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
      const n = byId.get(id)!;
      const l = label(n);
      if (l === '(root)' || seen.has(l)) continue;
      seen.add(l);
      total.set(l, (total.get(l) ?? 0) + ms);
    }
  }
  const entry = (name: string): FunctionTime => {
    const s = self.get(name) ?? 0;
    const t = total.get(name) ?? 0;
    return { name, selfMs: s, totalMs: t, selfPercent: (100 * s) / busyMs, totalPercent: (100 * t) / busyMs };
  };
  const bySelf = [...self.keys()].sort((a, b) => self.get(b)! - self.get(a)!).slice(0, top).map(entry);
  const byTotal = [...total.keys()].sort((a, b) => total.get(b)! - total.get(a)!).slice(0, top).map(entry);
  return { file, busyMs, idleMs, bySelf, byTotal };
}

/** The summary as text (two tables). */
export function formatProfileSummary(s: ProfileSummary): string {
  const lines = [`${s.file}: busy ${(s.busyMs / 1000).toFixed(2)} s, idle ${(s.idleMs / 1000).toFixed(2)} s`, '  self%   self ms  function'];
  for (const f of s.bySelf) lines.push(`  ${f.selfPercent.toFixed(1).padStart(5)}  ${f.selfMs.toFixed(0).padStart(8)}  ${f.name}`);
  lines.push('  total%  total ms  function');
  for (const f of s.byTotal) lines.push(`  ${f.totalPercent.toFixed(1).padStart(5)}  ${f.totalMs.toFixed(0).padStart(8)}  ${f.name}`);
  return lines.join('\n') + '\n';
}

if (require.main === module) {
  const [file, top] = process.argv.slice(2);
  if (!file) {
    process.stderr.write('usage: profile-summary <file.cpuprofile> [top]\n');
    process.exit(1);
  }
  process.stdout.write(formatProfileSummary(summariseProfile(file, top ? Number(top) : 25)));
}
