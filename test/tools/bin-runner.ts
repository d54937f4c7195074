/**
 * Test helpers for running programs as a user runs them: the project root (the directory holding
 * package.json, found from test/ under tsx and from dist/test/ once compiled), the path of a bin/ script,
 * and one runner that spawns a program (a bin/*.sh script by name) and collects its stdout, stderr and
 * exit code, optionally feeding stdin, adding environment variables and bounding its run time; and
 * startProcess for programs left running while a test watches their output (console consumers, kcat -G);
 * and runToolMain, a tool's main run in-process with its output captured.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ToolIO } from '../../src/tools/tool-support';

/** What a finished program printed and its exit code (null when it was ended by a signal). */
export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** How a program is run by runProcess / runBin. */
export interface RunOptions {
  /** Written to stdin, which is then closed; without it stdin is /dev/null. */
  input?: string;
  /** Variables added to the test's own environment. */
  env?: NodeJS.ProcessEnv;
  /** The program is killed (SIGKILL) after this long; default 60 s, Infinity for no limit. */
  timeoutMs?: number;
  /**
   * What a timeout does: 'resolve' (default) resolves with the killed program's result (code null),
   * 'reject' rejects with an error quoting the command and what it printed so far.
   */
  onTimeout?: 'resolve' | 'reject';
}

/** The directory holding package.json at or above `dir`. */
export function findRoot(dir: string): string {
  let d = dir;
  while (!fs.existsSync(path.join(d, 'package.json'))) {
    const up = path.dirname(d);
    if (up === d) throw new Error(`package.json not found above ${dir}`);
    d = up;
  }
  return d;
}

/** The project root (the checkout, not dist/). */
export const projectRoot = findRoot(__dirname);

/** The path of a bin/ script, e.g. binPath('kafka-topics.sh'). */
export function binPath(script: string): string {
  return path.join(projectRoot, 'bin', script);
}

/** Runs `command` to completion; never rejects for a non-zero exit. */
export function runProcess(command: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      env: { ...process.env, ...options.env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer =
      timeoutMs === Infinity
        ? undefined
        : setTimeout(() => {
            child.kill('SIGKILL');
            if (options.onTimeout === 'reject') {
              reject(new Error(`${path.basename(command)} ${args.join(' ')} did not finish in time:\n${stdout}\n${stderr}`));
            }
          }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin?.end(options.input);
  });
}

/** Runs a bin/ script by name (`runBin('kafka-topics.sh', [...])`), as a shell user would. */
export function runBin(script: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  return runProcess(binPath(script), args, options);
}

/** A program left running: its non-empty stdout lines as they arrive, its stderr so far, its exit. */
export interface RunningProcess {
  child: ChildProcess;
  lines: string[];
  stderr(): string;
  /** The exit code once the program ended and its output was read (null when a signal ended it). */
  exited: Promise<number | null>;
}

/** Starts `command` (stdin /dev/null) and collects its stdout lines; the test stops it. */
export function startProcess(command: string, args: readonly string[]): RunningProcess {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    const parts = out.split('\n');
    out = parts.pop()!;
    lines.push(...parts.filter((l) => l !== ''));
  });
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, lines, stderr: () => err, exited };
}

/** What a tool's main run in-process printed, and its exit code. */
export interface ToolRunResult {
  code: number;
  out: string;
  err: string;
}

/** Runs a tool's main (`kafkaTopicsMain`...) in this process with `args`, capturing its stdout and stderr. */
export async function runToolMain(main: (args: string[], io: ToolIO) => Promise<number>, args: string[]): Promise<ToolRunResult> {
  let out = '';
  let err = '';
  const code = await main(args, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

/** runBin for tests that need the result synchronously; a timeout kills the script with SIGTERM (code null). */
export function runBinSync(script: string, args: readonly string[], options: Omit<RunOptions, 'input' | 'onTimeout'> = {}): RunResult {
  const r = spawnSync(binPath(script), args, {
    env: { ...process.env, ...options.env },
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
