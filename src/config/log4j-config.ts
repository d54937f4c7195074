/**
 * Reading a Kafka-style `log4j.properties` (log4j 1.x PropertyConfigurator syntax), so operators
 * configure ts-kafka logging in the file they already know.
 *
 * Supported: `log4j.rootLogger` / `log4j.rootCategory`, `log4j.logger.<name>` / `log4j.category.<name>`
 * (`LEVEL[, appender...]`), `log4j.additivity.<name>`, `log4j.threshold`, and appenders of class
 * ConsoleAppender (`Target`) and FileAppender / DailyRollingFileAppender / RollingFileAppender (`File`,
 * `Append`), each with an optional `Threshold`. `${var}` is substituted from the given variables (the
 * JVM system properties of Kafka, e.g. `kafka.logs.dir`), then from the file itself. Layouts are
 * ignored: ts-kafka always prints Kafka's `[%d] %p %m (%c)%n` pattern.
 */
import { ConfigException } from './config-exception';
import { parseProperties } from './properties';

/** log4j levels, most severe first; a logger at level L emits events at L and more severe. */
export const LogLevel = { OFF: 0, FATAL: 1, ERROR: 2, WARN: 3, INFO: 4, DEBUG: 5, TRACE: 6, ALL: 7 } as const;
export type LogLevelName = keyof typeof LogLevel;

/** An appender: where events go. */
export interface AppenderConfig {
  name: string;
  kind: 'console' | 'file';
  /** For file appenders: the file path after variable substitution. */
  file?: string;
  /** For console appenders: stdout (default) or stderr. */
  target?: 'stdout' | 'stderr';
  /** For file appenders: append (default) or truncate at startup. */
  append: boolean;
  /** Events less severe than this are not written by this appender. */
  threshold: LogLevelName;
}

/** A configured logger (`log4j.logger.<name>`). */
export interface LoggerConfig {
  /** Explicit level, or undefined to inherit from the parent logger. */
  level?: LogLevelName;
  appenders: string[];
  additivity: boolean;
}

/** A parsed log4j configuration. The root logger is the entry named `''`. */
export interface Log4jConfig {
  loggers: Map<string, LoggerConfig>;
  appenders: Map<string, AppenderConfig>;
  /** Repository-wide threshold (`log4j.threshold`). */
  threshold: LogLevelName;
  /** Lines that were not understood (unknown appender classes, bad levels), for the caller to report. */
  warnings: string[];
}

const FILE_APPENDERS = new Set([
  'org.apache.log4j.FileAppender',
  'org.apache.log4j.DailyRollingFileAppender',
  'org.apache.log4j.RollingFileAppender',
]);
const CONSOLE_APPENDER = 'org.apache.log4j.ConsoleAppender';

/** Parses a level name (case-insensitive); undefined for empty, `INHERITED` or `NULL`. */
export function parseLogLevel(text: string): LogLevelName | undefined {
  const upper = text.trim().toUpperCase();
  if (upper === '' || upper === 'INHERITED' || upper === 'NULL') return undefined;
  if (upper in LogLevel) return upper as LogLevelName;
  throw new ConfigException(`Unknown log level: ${text.trim()}`, { value: text });
}

/** log4j's OptionConverter.substVars: `${key}` from the variables, then from the file, else empty. */
function substitute(value: string, variables: Readonly<Record<string, string>>, props: Readonly<Record<string, string>>, depth = 0): string {
  return value.replace(/\$\{([^}]*)\}/g, (_, key: string) => {
    const replacement = variables[key] ?? props[key] ?? '';
    return depth < 10 ? substitute(replacement, variables, props, depth + 1) : replacement;
  });
}

function splitLoggerValue(value: string): { level?: LogLevelName; appenders: string[] } {
  const [levelText, ...rest] = value.split(',');
  return { level: parseLogLevel(levelText ?? ''), appenders: rest.map((a) => a.trim()).filter((a) => a.length > 0) };
}

/**
 * Parses the text of a log4j.properties file. `variables` plays the role of JVM system properties
 * (e.g. `{ 'kafka.logs.dir': '/var/log/kafka' }`).
 */
export function parseLog4jConfig(text: string, options: { variables?: Readonly<Record<string, string>> } = {}): Log4jConfig {
  const raw = parseProperties(text);
  const variables = options.variables ?? {};
  const props: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) props[k] = substitute(v, variables, raw);

  const warnings: string[] = [];
  const loggers = new Map<string, LoggerConfig>();
  const loggerFor = (name: string): LoggerConfig => {
    let l = loggers.get(name);
    if (l === undefined) {
      l = { appenders: [], additivity: true };
      loggers.set(name, l);
    }
    return l;
  };
  // log4j's root logger is at DEBUG unless configured.
  loggerFor('').level = 'DEBUG';

  const tryLevel = (key: string, apply: () => void): void => {
    try {
      apply();
    } catch (err) {
      if (!(err instanceof ConfigException)) throw err;
      warnings.push(`${key}: ${err.message}`);
    }
  };

  let threshold: LogLevelName = 'ALL';
  for (const [key, value] of Object.entries(props)) {
    if (key === 'log4j.rootLogger' || key === 'log4j.rootCategory') {
      tryLevel(key, () => {
        const { level, appenders } = splitLoggerValue(value);
        const root = loggerFor('');
        if (level !== undefined) root.level = level;
        root.appenders = appenders;
      });
    } else if (key.startsWith('log4j.logger.') || key.startsWith('log4j.category.')) {
      const name = key.slice(key.indexOf('.', 'log4j.'.length) + 1);
      tryLevel(key, () => {
        const { level, appenders } = splitLoggerValue(value);
        const logger = loggerFor(name);
        logger.level = level;
        logger.appenders = appenders;
      });
    } else if (key.startsWith('log4j.additivity.')) {
      loggerFor(key.slice('log4j.additivity.'.length)).additivity = value.trim().toLowerCase() !== 'false';
    } else if (key === 'log4j.threshold') {
      tryLevel(key, () => {
        threshold = parseLogLevel(value) ?? 'ALL';
      });
    }
  }

  const appenders = new Map<string, AppenderConfig>();
  for (const [key, value] of Object.entries(props)) {
    const m = /^log4j\.appender\.([^.]+)$/.exec(key);
    if (!m) continue;
    const name = m[1];
    const option = (o: string): string | undefined => props[`log4j.appender.${name}.${o}`]?.trim();
    let thresholdOption: LogLevelName = 'ALL';
    tryLevel(`log4j.appender.${name}.Threshold`, () => {
      thresholdOption = parseLogLevel(option('Threshold') ?? '') ?? 'ALL';
    });
    const cls = value.trim();
    if (cls === CONSOLE_APPENDER) {
      const target = option('Target') === 'System.err' ? 'stderr' : 'stdout';
      appenders.set(name, { name, kind: 'console', target, append: true, threshold: thresholdOption });
    } else if (FILE_APPENDERS.has(cls)) {
      const file = option('File');
      if (file === undefined || file === '') {
        warnings.push(`log4j.appender.${name}: File option not set; appender ignored`);
        continue;
      }
      appenders.set(name, { name, kind: 'file', file, append: option('Append')?.toLowerCase() !== 'false', threshold: thresholdOption });
    } else {
      warnings.push(`log4j.appender.${name}: appender class ${cls} is not supported; appender ignored`);
    }
  }
  for (const [loggerName, logger] of loggers) {
    for (const a of logger.appenders) {
      if (!appenders.has(a)) warnings.push(`No appender named ${a} could be found (logger ${loggerName === '' ? 'root' : loggerName})`);
    }
    logger.appenders = logger.appenders.filter((a) => appenders.has(a));
  }
  return { loggers, appenders, threshold, warnings };
}
