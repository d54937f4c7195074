// Kafka-style logging configured from log4j.properties: line format, per-logger levels, appenders,
// additivity, runtime level changes. Files are written to a temp dir and read back.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { createLogging, formatLogLine, formatLogTimestamp } from '../../src/common/logger';
import { MockTime } from '../../src/common/time';

const KAFKA_LAYOUT = `
log4j.rootLogger=INFO, stdout, kafkaAppender
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.kafkaAppender=org.apache.log4j.DailyRollingFileAppender
log4j.appender.kafkaAppender.File=\${kafka.logs.dir}/server.log
log4j.appender.controllerAppender=org.apache.log4j.DailyRollingFileAppender
log4j.appender.controllerAppender.File=\${kafka.logs.dir}/controller.log
log4j.appender.stateChangeAppender=org.apache.log4j.DailyRollingFileAppender
log4j.appender.stateChangeAppender.File=\${kafka.logs.dir}/state-change.log
log4j.appender.requestAppender=org.apache.log4j.DailyRollingFileAppender
log4j.appender.requestAppender.File=\${kafka.logs.dir}/kafka-request.log
log4j.logger.kafka=INFO
log4j.logger.kafka.request.logger=WARN, requestAppender
log4j.additivity.kafka.request.logger=false
log4j.logger.kafka.controller=TRACE, controllerAppender
log4j.additivity.kafka.controller=false
log4j.logger.state.change.logger=INFO, stateChangeAppender
log4j.additivity.state.change.logger=false
log4j.logger.kafka.log=DEBUG
`;

function setup(config = KAFKA_LAYOUT): { dir: string; configFile: string; time: MockTime } {
  const dir = mkdtempSync(path.join(tmpdir(), 'logging-'));
  const configFile = path.join(dir, 'log4j.properties');
  writeFileSync(configFile, config);
  return { dir, configFile, time: new MockTime({ startMs: Date.UTC(2026, 10, 20, 23, 41, 1, 123) }) };
}

function lines(file: string): string[] {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter((l) => l.length > 0) : [];
}

describe('log line format', () => {
  it('prints Kafka\'s pattern with local time and a comma before milliseconds', () => {
    const ms = new Date(2026, 10, 20, 23, 41, 1, 123).getTime();
    assert.equal(formatLogTimestamp(ms), '2026-11-20 23:41:01,123');
    assert.equal(
      formatLogLine({ timeMs: ms, level: 'INFO', loggerName: 'kafka.server.KafkaServer', ident: 'KafkaServer id=0', message: 'started' }),
      '[2026-11-20 23:41:01,123] INFO [KafkaServer id=0] started (kafka.server.KafkaServer)',
    );
    assert.equal(formatLogLine({ timeMs: ms, level: 'WARN', loggerName: 'x', message: 'm' }), '[2026-11-20 23:41:01,123] WARN m (x)');
  });
});

describe('createLogging', () => {
  it('routes loggers to the appenders of log4j.properties with additivity and levels', async () => {
    const { dir, configFile, time } = setup();
    const logging = createLogging({ configFile, logDir: dir, stdout: false, time });
    const server = logging.logger('kafka.server.KafkaServer', 'KafkaServer id=0');
    const controller = logging.logger('kafka.controller.KafkaController', 'Controller id=0');
    const stateChange = logging.logger('state.change.logger', 'Controller id=0 epoch=1');
    const request = logging.logger('kafka.request.logger');
    const log = logging.logger('kafka.log.UnifiedLog', 'UnifiedLog partition=t-0, dir=/tmp/kafka-logs');

    server.info('started');
    server.debug('not shown: kafka is at INFO');
    controller.trace('Controller 0 starting');
    stateChange.info('Changed partition t-0 state from NewPartition to OnlinePartition');
    request.debug('not shown: request logger at WARN');
    request.warn('slow request');
    log.debug('Rolled new log segment');
    await logging.close();

    const ts = formatLogTimestamp(time.milliseconds());
    assert.deepEqual(lines(path.join(dir, 'server.log')), [
      `[${ts}] INFO [KafkaServer id=0] started (kafka.server.KafkaServer)`,
      `[${ts}] DEBUG [UnifiedLog partition=t-0, dir=/tmp/kafka-logs] Rolled new log segment (kafka.log.UnifiedLog)`,
    ]);
    assert.deepEqual(lines(path.join(dir, 'controller.log')), [
      `[${ts}] TRACE [Controller id=0] Controller 0 starting (kafka.controller.KafkaController)`,
    ]);
    assert.deepEqual(lines(path.join(dir, 'state-change.log')), [
      `[${ts}] INFO [Controller id=0 epoch=1] Changed partition t-0 state from NewPartition to OnlinePartition (state.change.logger)`,
    ]);
    assert.deepEqual(lines(path.join(dir, 'kafka-request.log')), [`[${ts}] WARN slow request (kafka.request.logger)`]);
  });

  it('does not build disabled messages and reports enabled levels', async () => {
    const { dir, configFile, time } = setup();
    const logging = createLogging({ configFile, logDir: dir, stdout: false, time });
    const server = logging.logger('kafka.server.ReplicaManager', 'ReplicaManager broker=0');
    let built = 0;
    server.debug(() => `expensive ${++built}`);
    assert.equal(built, 0);
    assert.equal(server.isDebugEnabled(), false);
    assert.equal(logging.logger('kafka.log.LogManager').isDebugEnabled(), true);
    assert.equal(logging.logger('kafka.controller.X').isTraceEnabled(), true);
    server.info(() => `built ${++built}`);
    assert.equal(built, 1);
    await logging.close();
  });

  it('prints the stack of a cause, with its own causes', async () => {
    const { dir, configFile, time } = setup();
    const logging = createLogging({ configFile, logDir: dir, stdout: false, time });
    const inner = new Error('disk full');
    logging.logger('kafka.log.LogManager').error('Error while flushing log', new Error('flush failed', { cause: inner }));
    await logging.close();
    const text = readFileSync(path.join(dir, 'server.log'), 'utf8');
    assert.match(text, /ERROR Error while flushing log \(kafka\.log\.LogManager\)\nError: flush failed\n {4}at /);
    assert.match(text, /Caused by: Error: disk full\n {4}at /);
  });

  it('changes levels at runtime and lists logger levels', async () => {
    const { dir, configFile, time } = setup();
    const logging = createLogging({ configFile, logDir: dir, stdout: false, time });
    const server = logging.logger('kafka.server.KafkaApis');
    server.debug('before');
    logging.setLevel('kafka.server', 'DEBUG');
    assert.equal(logging.effectiveLevel('kafka.server.KafkaApis'), 'DEBUG');
    server.debug('after');
    logging.setLevel('kafka.server', null);
    server.debug('cleared');
    const levels = logging.loggerLevels();
    assert.equal(levels.root, 'INFO');
    assert.equal(levels['kafka.controller'], 'TRACE');
    assert.equal(levels['kafka.server.KafkaApis'], 'INFO');
    await logging.close();
    const logged = lines(path.join(dir, 'server.log')).map((l) => l.replace(/^\[[^\]]+\] /, ''));
    assert.deepEqual(logged, ['DEBUG after (kafka.server.KafkaApis)']);
  });

  it('appender thresholds and the console appender', () => {
    const { dir, configFile } = setup(
      [
        'log4j.rootLogger=DEBUG, out, file',
        'log4j.appender.out=org.apache.log4j.ConsoleAppender',
        'log4j.appender.out.Threshold=WARN',
        'log4j.appender.file=org.apache.log4j.FileAppender',
        'log4j.appender.file.File=${kafka.logs.dir}/all.log',
      ].join('\n'),
    );
    const script = `
      const { createLogging } = require(${JSON.stringify(path.join(__dirname, '..', '..', 'src', 'common', 'logger'))});
      const logging = createLogging({ configFile: ${JSON.stringify(configFile)}, logDir: ${JSON.stringify(dir)} });
      const l = logging.logger('kafka.Kafka');
      l.info('to the file only');
      l.warn('to both');
      logging.close();
    `;
    const stdout = execFileSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8' });
    assert.match(stdout, /^\[[^\]]+\] WARN to both \(kafka\.Kafka\)\n$/);
    assert.equal(lines(path.join(dir, 'all.log')).length, 2);
  });

  it('an unreadable configuration file is a ConfigException', () => {
    assert.throws(() => createLogging({ configFile: '/nonexistent/log4j.properties' }), /Could not read logging configuration file \/nonexistent\/log4j.properties/);
  });

  it('without a config file logs INFO to stdout; LOG_DIR locates the files', () => {
    const logging = createLogging({ stdout: false, env: {} });
    assert.equal(logging.effectiveLevel('kafka.server.KafkaServer'), 'INFO');
    assert.deepEqual(logging.warnings, []);
    const { dir, configFile } = setup();
    const viaEnv = createLogging({ configFile, stdout: false, env: { LOG_DIR: dir } });
    viaEnv.logger('kafka.Kafka').info('hello');
    return viaEnv.close().then(() => assert.equal(lines(path.join(dir, 'server.log')).length, 1));
  });
});
