/**
 * What every command-line tool shares, following Kafka's CommandLineUtils / CommandDefaultOptions and
 * tools-log4j.properties:
 *
 * - `--help` and `--version` on every tool; no arguments, `--help` and usage errors print the message and
 *   the option table to stderr and exit 1 (Kafka 3.9's printUsageAndExit exits 1, even for --help);
 * - log lines on stderr in Kafka's tools layout `[%d] %p %m (%c)` at WARN and above;
 * - client properties files (`--command-config`, `--producer.config`...) read with the project's Java
 *   .properties parser;
 * - the start of every main (parse, required options, check, usage or version, exit code) in one call,
 *   startTool;
 * - failures that carry the Java exception class Kafka's tool would report (JavaException);
 * - a main wrapper that sets the exit code only after stdout/stderr are flushed.
 */

import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadPropertiesFile } from '../config/properties';
import { KafkaResponseError } from '../client/client-errors';
import type { ClientLogger } from '../client/kafka-client';
import { errorInfo } from '../protocol';
import { OptionException, type OptionParser, type ParsedOptions } from './command-line';

/** The Kafka release whose tools these reproduce (printed by --version). */
export const KAFKA_VERSION = '3.9.0';

/** Kafka's CommandLineUtils.printUsageAndExit as an exception: message + help on stderr, exit 1. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * A tool failure reported as a Java exception (`<javaClass>: <message>`, or the JVM's
 * `Exception in thread "main" ...`); each tool subclasses it with its own name.
 */
export class JavaException extends Error {
  override readonly name: string = 'JavaException';
  constructor(
    message: string,
    readonly javaClass: string,
  ) {
    super(message);
  }
}

/** The Java exception class of a failure: a JavaException's own, a Kafka error's, else RuntimeException. */
export function javaExceptionClassOf(err: unknown): string {
  if (err instanceof JavaException) return err.javaClass;
  if (err instanceof KafkaResponseError) return kafkaExceptionClass(err.code, err.errorName);
  return 'java.lang.RuntimeException';
}

/** Where the tools write; injectable so tests can run tools in-process. */
export interface ToolIO {
  out(text: string): void;
  err(text: string): void;
}

/** The process's stdout/stderr. */
export const processIO: ToolIO = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

/** Adds Kafka's CommandDefaultOptions (`--help`, `--version`) to a parser. */
export function addDefaultOptions(parser: OptionParser): void {
  parser.flag('help', 'Print usage information.');
  parser.flag('version', 'Display Kafka version.');
}

/**
 * Parses `args`, handling what CommandLineUtils does before a tool looks at its options: no arguments
 * or `--help` → UsageError(helpMessage), `--version` → prints the version (returns null), and jopt-simple
 * errors. `noArgsMessage` is what Kafka prints when there are no arguments at all, if it differs.
 */
export function parseToolOptions(
  parser: OptionParser,
  args: readonly string[],
  options: { io: ToolIO; help: string; noArgs?: string },
): ParsedOptions | null {
  const { io } = options;
  const texts = options;
  if (args.length === 0) throw new UsageError(texts.noArgs ?? texts.help);
  let parsed: ParsedOptions;
  try {
    parsed = parser.parse(args);
  } catch (err) {
    if (err instanceof OptionException) throw new UsageError(err.message);
    throw err;
  }
  if (parsed.has('help')) throw new UsageError(texts.help);
  if (parsed.has('version')) {
    io.out(`${KAFKA_VERSION}\n`);
    return null;
  }
  return parsed;
}

/**
 * The start of a tool's main, as CommandLineUtils handles it before the tool runs: parses `args`
 * (parseToolOptions), checks the `required` options (checkRequiredArgs) and runs the tool's own `check`; what ends the tool there becomes its exit code —
 * a UsageError prints its message and the option table (1), `--version` prints the version (0), and
 * the errors `messageOnly` accepts print only their message on stderr (1). Other errors propagate.
 * Returns the parsed options, or the exit code.
 */
export function startTool(
  parser: OptionParser,
  args: readonly string[],
  options: {
    io: ToolIO;
    help: string;
    noArgs?: string;
    required?: readonly string[];
    check?: (parsed: ParsedOptions) => void;
    messageOnly?: (err: unknown) => boolean;
  },
): ParsedOptions | number {
  const { io } = options;
  try {
    const parsed = parseToolOptions(parser, args, options);
    if (parsed === null) return 0;
    if (options.required) checkRequiredArgs(parsed, options.required);
    options.check?.(parsed);
    return parsed;
  } catch (err) {
    if (err instanceof UsageError) {
      printUsage(io, { parser, message: err.message });
      return 1;
    }
    if (options.messageOnly?.(err)) {
      io.err(`${(err as Error).message}\n`);
      return 1;
    }
    throw err;
  }
}

/** The properties file an option names (`--command-config f`...), or none when the option is not given. */
export function propertiesOption(options: ParsedOptions, name: string): Record<string, string> {
  const file = options.valueOf(name);
  return file === undefined ? {} : loadClientProperties(file);
}

/**
 * Kafka's TopicFilter.IncludeList clean-up of a topic regex given on the command line (`--include`,
 * `--topic`): trimmed, commas as alternatives, spaces and surrounding quotes dropped.
 */
export function includeListRegex(raw: string): string {
  return raw.trim().replace(/,/g, '|').replace(/ /g, '').replace(/^["']+/, '').replace(/["']+$/, '');
}

/** Kafka's CommandLineUtils.checkRequiredArgs. */
export function checkRequiredArgs(options: ParsedOptions, names: readonly string[]): void {
  for (const name of names) {
    if (!options.has(name)) throw new UsageError(`Missing required argument "[${name}]"`);
  }
}

/** Kafka's CommandLineUtils.checkInvalidArgs: `used` may not be combined with any of `invalid`. */
export function checkInvalidArgs(options: ParsedOptions, check: { used: string; invalid: readonly string[] }): void {
  const { used, invalid } = check;
  if (!options.has(used)) return;
  for (const other of invalid) {
    if (options.has(other)) throw new UsageError(`Option "[${used}]" can't be used with option "[${other}]"`);
  }
}

/** Kafka's CommandLineUtils.parseKeyValueArgs: `k=v` pairs, the value may contain `=`; a missing value is "". */
export function parseKeyValueArgs(args: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const arg of args) {
    const i = arg.indexOf('=');
    if (i < 0) out[arg] = '';
    else out[arg.slice(0, i)] = arg.slice(i + 1);
  }
  return out;
}

/** Reads a client properties file (Kafka's Utils.loadProps). */
export function loadClientProperties(file: string): Record<string, string> {
  return loadPropertiesFile(file);
}

/** `2024-01-31 12:34:56,789`, log4j's ISO8601 date in local time. */
export function log4jTimestamp(date: Date = new Date()): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return (
    `${date.getFullYear()}-${p(date.getMonth() + 1)}-${p(date.getDate())} ` +
    `${p(date.getHours())}:${p(date.getMinutes())}:${p(date.getSeconds())},${p(date.getMilliseconds(), 3)}`
  );
}

/** A log line as Kafka's tools print them on stderr (`[%d] %p %m (%c)%n`). */
export function logLine(level: 'ERROR' | 'WARN' | 'INFO', message: string, options: { logger: string }): string {
  return `[${log4jTimestamp()}] ${level} ${message} (${options.logger})\n`;
}

/** A ClientLogger printing WARN and ERROR on the tool's stderr, as tools-log4j.properties does. */
export function toolClientLogger(io: ToolIO, loggerName: string): ClientLogger {
  return {
    debug: () => undefined,
    info: () => undefined,
    warn: (message) => io.err(logLine('WARN', message, { logger: loggerName })),
    error: (message, cause) =>
      io.err(logLine('ERROR', cause instanceof Error ? `${message} ${cause.message}` : message, { logger: loggerName })),
  };
}

/** Kafka's exception class names for the Kafka error codes the tools report. */
const EXCEPTION_NAMES: Readonly<Record<number, string>> = {
  3: 'UnknownTopicOrPartitionException',
  7: 'TimeoutException',
  17: 'InvalidTopicException',
  35: 'UnsupportedVersionException',
  36: 'TopicExistsException',
  37: 'InvalidPartitionsException',
  38: 'InvalidReplicationFactorException',
  39: 'InvalidReplicaAssignmentException',
  40: 'InvalidConfigurationException',
  41: 'NotControllerException',
  42: 'InvalidRequestException',
  44: 'PolicyViolationException',
  73: 'TopicDeletionDisabledException',
};

/** `org.apache.kafka.common.errors.<Name>Exception` for a Kafka error code (or its constant name). */
export function kafkaExceptionClass(code: number, errorName?: string): string {
  const known = EXCEPTION_NAMES[code];
  if (known) return `org.apache.kafka.common.errors.${known}`;
  const camel = (errorName ?? 'UNKNOWN_SERVER_ERROR')
    .toLowerCase()
    .split('_')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
  return `org.apache.kafka.common.errors.${camel.endsWith('Exception') ? camel : `${camel}Exception`}`;
}

/** The exception class of a Kafka error code, named as Kafka's Errors enum names it (errorInfo). */
export function errorCodeExceptionClass(code: number): string {
  return kafkaExceptionClass(code, errorInfo(code).name);
}

/** Prints the usage error the way printUsageAndExit does (message, then the option table). */
export function printUsage(io: ToolIO, usage: { parser: OptionParser; message: string }): void {
  const { parser, message } = usage;
  io.err(`${message}\n`);
  io.err(parser.formatHelp());
}

/** The installation directory (the one holding package.json above the running tool). */
export function installDir(): string {
  let dir = __dirname;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) return process.cwd();
    dir = up;
  }
}

/**
 * Runs a tool's main in the current process and exits with its code once stdout and stderr are
 * flushed (open sockets or timers cannot keep a finished tool alive).
 */
export function runTool(main: (args: string[], io: ToolIO) => Promise<number>): void {
  main(process.argv.slice(2), processIO).then(
    (code) => exitAfterFlush(code),
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      exitAfterFlush(1);
    },
  );
}

/** Exits with `code` after pending stdout/stderr writes completed. */
export function exitAfterFlush(code: number): void {
  process.exitCode = code;
  let pending = 2;
  const done = () => {
    if (--pending === 0) process.exit(code);
  };
  process.stdout.write('', done);
  process.stderr.write('', done);
}
