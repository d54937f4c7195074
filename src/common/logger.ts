/**
 * Kafka-style logging on winston, configured from a log4j.properties file.
 *
 * Lines look like Kafka's (log4j pattern `[%d] %p %m (%c)%n`, with the component's log ident at the
 * start of the message):
 *   [2026-11-20 23:41:01,123] INFO [KafkaServer id=0] started (kafka.server.KafkaServer)
 * Levels, appenders and additivity follow log4j 1.x: a logger's level is that of its nearest
 * configured ancestor in the dot hierarchy (`kafka.controller` for `kafka.controller.KafkaController`),
 * and an event goes to the appenders of the logger and its ancestors up to the first one with
 * additivity=false. Each appender is a winston logger with one transport (Console or File). The level
 * is checked before anything is formatted, and messages may be passed as functions so that building
 * them costs nothing when the level is off.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import winston from 'winston';
import { ConfigException } from '../config/config-exception';
import { LogLevel, parseLog4jConfig, type Log4jConfig, type LogLevelName } from '../config/log4j-config';
import { SystemTime, type Time } from './time';

/** A message, or a function producing it (called only if the level is enabled). */
export type LogMessage = string | (() => string);

/** A named logger (Kafka's `Logging` trait). Each method takes an optional cause whose stack is printed. */
export interface Logger {
  readonly name: string;
  error(message: LogMessage, cause?: unknown): void;
  warn(message: LogMessage, cause?: unknown): void;
  info(message: LogMessage, cause?: unknown): void;
  debug(message: LogMessage, cause?: unknown): void;
  trace(message: LogMessage, cause?: unknown): void;
  isDebugEnabled(): boolean;
  isTraceEnabled(): boolean;
}

/** The logger factory returned by createLogging. */
export interface Logging {
  /**
   * A logger named like Kafka's (e.g. `kafka.server.KafkaServer`, `state.change.logger`), with an
   * optional log ident printed in brackets before each message (e.g. `KafkaServer id=0`).
   */
  logger(loggerName: string, ident?: string): Logger;
  /** Sets (or with null, clears) a logger's level at runtime (BROKER_LOGGER configs). */
  setLevel(loggerName: string, level: LogLevelName | null): void;
  /** The effective level of a logger name. */
  effectiveLevel(loggerName: string): LogLevelName;
  /** Every configured or created logger name with its effective level (`root` for the root logger). */
  loggerLevels(): Record<string, LogLevelName>;
  /** Problems found in the log4j configuration. */
  readonly warnings: readonly string[];
  /** Flushes and closes every appender; later events are dropped. */
  close(): Promise<void>;
}

/** Options of createLogging. */
export interface LoggingOptions {
  /** A log4j.properties file; without one, INFO and above go to stdout. */
  configFile?: string;
  /** `${kafka.logs.dir}`; defaults to env LOG_DIR, else `<install>/logs`. */
  logDir?: string;
  /** Whether console appenders write at all (false for daemons and tests). Default true. */
  stdout?: boolean;
  /** Clock for timestamps. */
  time?: Time;
  /** Environment to read LOG_DIR from; defaults to process.env. */
  env?: Readonly<Record<string, string | undefined>>;
}

const WINSTON_LEVELS = { fatal: 0, error: 1, warn: 2, info: 3, debug: 4, trace: 5 };

/** The installation directory: the nearest ancestor of this file holding package.json. */
function installDir(): string {
  let dir = __dirname;
  while (!existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** log4j's ISO8601 date format, local time: `2026-11-20 23:41:01,123`. */
export function formatLogTimestamp(ms: number): string {
  const d = new Date(ms);
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())},${pad(d.getMilliseconds(), 3)}`
  );
}

function describeCause(cause: unknown): string {
  const parts: string[] = [];
  let current: unknown = cause;
  for (let depth = 0; current !== undefined && current !== null && depth < 10; depth++) {
    const text = current instanceof Error ? current.stack ?? `${current.name}: ${current.message}` : String(current);
    parts.push(depth === 0 ? text : `Caused by: ${text}`);
    current = current instanceof Error ? current.cause : undefined;
  }
  return parts.join('\n');
}

/** Formats one line in Kafka's layout. */
export function formatLogLine(event: { timeMs: number; level: LogLevelName; loggerName: string; ident?: string; message: string; cause?: unknown }): string {
  const ident = event.ident ? `[${event.ident}] ` : '';
  const line = `[${formatLogTimestamp(event.timeMs)}] ${event.level} ${ident}${event.message} (${event.loggerName})`;
  return event.cause === undefined ? line : `${line}\n${describeCause(event.cause)}`;
}

/** The ancestors of a logger name in log4j's dot hierarchy, nearest first, ending with the root (''). */
function hierarchy(loggerName: string): string[] {
  const names: string[] = [];
  let name = loggerName;
  while (name !== '') {
    names.push(name);
    const dot = name.lastIndexOf('.');
    name = dot < 0 ? '' : name.slice(0, dot);
  }
  names.push('');
  return names;
}

interface Sink {
  logger: winston.Logger;
  /** The appender's Threshold as a LogLevel number. */
  threshold: number;
}

interface Resolved {
  generation: number;
  level: number;
  sinks: Sink[];
}

class LoggingImpl implements Logging {
  readonly warnings: string[];
  private readonly config: Log4jConfig;
  private readonly sinks = new Map<string, Sink>();
  private readonly created = new Set<string>();
  private generation = 0;
  private closed = false;

  constructor(config: Log4jConfig, private readonly time: Time, stdout: boolean) {
    this.config = config;
    this.warnings = [...config.warnings];
    for (const appender of config.appenders.values()) {
      if (appender.kind === 'console' && !stdout) continue;
      const transport =
        appender.kind === 'console'
          ? new winston.transports.Console({ stderrLevels: appender.target === 'stderr' ? Object.keys(WINSTON_LEVELS) : [] })
          : new winston.transports.File({ filename: appender.file!, options: { flags: appender.append ? 'a' : 'w' } });
      const logger = winston.createLogger({
        levels: WINSTON_LEVELS,
        level: 'trace',
        format: winston.format.printf((info) => String(info.message)),
        transports: [transport],
        exitOnError: false,
      });
      this.sinks.set(appender.name, { logger, threshold: LogLevel[appender.threshold] });
    }
  }

  resolve(loggerName: string): Resolved {
    const chain = hierarchy(loggerName);
    let level: LogLevelName = 'DEBUG';
    for (const name of chain) {
      const l = this.config.loggers.get(name)?.level;
      if (l !== undefined) {
        level = l;
        break;
      }
    }
    const sinks: Sink[] = [];
    for (const name of chain) {
      const l = this.config.loggers.get(name);
      if (l === undefined) continue;
      for (const a of l.appenders) {
        const sink = this.sinks.get(a);
        if (sink !== undefined && !sinks.includes(sink)) sinks.push(sink);
      }
      if (!l.additivity) break;
    }
    return { generation: this.generation, level: Math.min(LogLevel[level], LogLevel[this.config.threshold]), sinks };
  }

  emit(sinks: Sink[], level: LogLevelName, line: string): void {
    if (this.closed) return;
    for (const sink of sinks) {
      if (LogLevel[level] <= sink.threshold) sink.logger.log(level.toLowerCase(), line);
    }
  }

  get currentGeneration(): number {
    return this.generation;
  }

  get clock(): Time {
    return this.time;
  }

  logger(loggerName: string, ident?: string): Logger {
    this.created.add(loggerName);
    return new KafkaLogger(this, loggerName, ident);
  }

  setLevel(loggerName: string, level: LogLevelName | null): void {
    const key = loggerName === 'root' ? '' : loggerName;
    const existing = this.config.loggers.get(key);
    if (level === null) {
      if (existing !== undefined) existing.level = key === '' ? 'DEBUG' : undefined;
    } else if (existing !== undefined) {
      existing.level = level;
    } else {
      this.config.loggers.set(key, { level, appenders: [], additivity: true });
    }
    this.generation++;
  }

  effectiveLevel(loggerName: string): LogLevelName {
    for (const name of hierarchy(loggerName === 'root' ? '' : loggerName)) {
      const l = this.config.loggers.get(name)?.level;
      if (l !== undefined) return l;
    }
    return 'DEBUG';
  }

  loggerLevels(): Record<string, LogLevelName> {
    const names = new Set([...this.config.loggers.keys(), ...this.created]);
    const result: Record<string, LogLevelName> = {};
    for (const name of [...names].sort()) result[name === '' ? 'root' : name] = this.effectiveLevel(name);
    return result;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(
      [...this.sinks.values()].map(
        ({ logger }) =>
          new Promise<void>((resolve) => {
            const transports = logger.transports;
            let pending = transports.length;
            if (pending === 0) return resolve();
            for (const t of transports) t.once('finish', () => --pending === 0 && resolve());
            logger.end();
          }),
      ),
    );
  }
}

class KafkaLogger implements Logger {
  private resolved: Resolved;

  constructor(private readonly logging: LoggingImpl, readonly name: string, private readonly ident?: string) {
    this.resolved = logging.resolve(name);
  }

  private current(): Resolved {
    if (this.resolved.generation !== this.logging.currentGeneration) this.resolved = this.logging.resolve(this.name);
    return this.resolved;
  }

  private log(level: LogLevelName, message: LogMessage, cause: unknown): void {
    const resolved = this.current();
    if (LogLevel[level] > resolved.level || resolved.sinks.length === 0) return;
    const line = formatLogLine({
      timeMs: this.logging.clock.milliseconds(),
      level,
      loggerName: this.name,
      ident: this.ident,
      message: typeof message === 'function' ? message() : message,
      cause,
    });
    this.logging.emit(resolved.sinks, level, line);
  }

  error(message: LogMessage, cause?: unknown): void { this.log('ERROR', message, cause); }
  warn(message: LogMessage, cause?: unknown): void { this.log('WARN', message, cause); }
  info(message: LogMessage, cause?: unknown): void { this.log('INFO', message, cause); }
  debug(message: LogMessage, cause?: unknown): void { this.log('DEBUG', message, cause); }
  trace(message: LogMessage, cause?: unknown): void { this.log('TRACE', message, cause); }
  isDebugEnabled(): boolean { return LogLevel.DEBUG <= this.current().level; }
  isTraceEnabled(): boolean { return LogLevel.TRACE <= this.current().level; }
}

const DEFAULT_CONFIG = [
  'log4j.rootLogger=INFO, stdout',
  'log4j.appender.stdout=org.apache.log4j.ConsoleAppender',
].join('\n');

/**
 * Creates the logging system. With `configFile`, reads Kafka's log4j.properties format, with
 * `${kafka.logs.dir}` = `logDir` (or env LOG_DIR, or `<install>/logs`). Without, logs INFO to stdout.
 * An unreadable configuration file throws ConfigException.
 */
export function createLogging(options: LoggingOptions = {}): Logging {
  const env = options.env ?? process.env;
  const logDir = options.logDir ?? env.LOG_DIR ?? path.join(installDir(), 'logs');
  let text = DEFAULT_CONFIG;
  if (options.configFile !== undefined) {
    try {
      text = readFileSync(options.configFile, 'utf8');
    } catch (err) {
      throw new ConfigException(`Could not read logging configuration file ${options.configFile}: ${(err as Error).message}`, { cause: err });
    }
  }
  const config = parseLog4jConfig(text, { variables: { 'kafka.logs.dir': logDir } });
  return new LoggingImpl(config, options.time ?? new SystemTime(), options.stdout ?? true);
}

/** A logger that discards everything (for components created without logging, e.g. in unit tests). */
export const NOOP_LOGGER: Logger = {
  name: 'noop',
  error() {},
  warn() {},
  info() {},
  debug() {},
  trace() {},
  isDebugEnabled: () => false,
  isTraceEnabled: () => false,
};
