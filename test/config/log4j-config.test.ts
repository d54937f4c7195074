// Reading Kafka's log4j.properties format.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parseLog4jConfig } from '../../src/config/log4j-config';

/** The repository root (tests run from test/ with tsx and from dist/test/ once compiled). */
function repoRoot(): string {
  let dir = __dirname;
  while (!existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}

describe('parseLog4jConfig', () => {
  it('reads the shipped conf/log4j.properties', () => {
    const text = readFileSync(path.join(repoRoot(), 'conf', 'log4j.properties'), 'utf8');
    const config = parseLog4jConfig(text, { variables: { 'kafka.logs.dir': '/var/log/kafka' } });
    assert.deepEqual(config.warnings, []);
    assert.deepEqual(config.loggers.get(''), { level: 'INFO', appenders: ['stdout', 'kafkaAppender'], additivity: true });
    assert.deepEqual(config.loggers.get('kafka.controller'), { level: 'TRACE', appenders: ['controllerAppender'], additivity: false });
    assert.deepEqual(config.loggers.get('state.change.logger'), { level: 'INFO', appenders: ['stateChangeAppender'], additivity: false });
    assert.equal(config.loggers.get('kafka.request.logger')!.level, 'WARN');
    assert.equal(config.loggers.get('kafka.network.RequestChannel$')!.additivity, false);
    assert.equal(config.loggers.get('kafka')!.level, 'INFO');
    assert.deepEqual(config.appenders.get('stdout'), { name: 'stdout', kind: 'console', target: 'stdout', append: true, threshold: 'ALL' });
    assert.equal(config.appenders.get('kafkaAppender')!.file, '/var/log/kafka/server.log');
    assert.equal(config.appenders.get('controllerAppender')!.file, '/var/log/kafka/controller.log');
    assert.equal(config.appenders.get('stateChangeAppender')!.file, '/var/log/kafka/state-change.log');
  });

  it('supports categories, inherited levels, thresholds, targets and file-defined variables', () => {
    const config = parseLog4jConfig(
      [
        'base=/logs',
        'log4j.rootCategory=warn, err',
        'log4j.category.a.b=INHERITED, f',
        'log4j.appender.err=org.apache.log4j.ConsoleAppender',
        'log4j.appender.err.Target=System.err',
        'log4j.appender.err.Threshold=error',
        'log4j.appender.f=org.apache.log4j.FileAppender',
        'log4j.appender.f.File=${base}/${missing}x.log',
        'log4j.appender.f.Append=false',
        'log4j.threshold=DEBUG',
      ].join('\n'),
    );
    assert.equal(config.loggers.get('')!.level, 'WARN');
    assert.equal(config.loggers.get('a.b')!.level, undefined);
    assert.deepEqual(config.appenders.get('err'), { name: 'err', kind: 'console', target: 'stderr', append: true, threshold: 'ERROR' });
    assert.deepEqual(config.appenders.get('f'), { name: 'f', kind: 'file', file: '/logs/x.log', append: false, threshold: 'ALL' });
    assert.equal(config.threshold, 'DEBUG');
  });

  it('reports what it cannot use instead of failing', () => {
    const config = parseLog4jConfig(
      [
        'log4j.rootLogger=INFO, a, ghost',
        'log4j.logger.x=LOUD',
        'log4j.appender.a=org.apache.log4j.net.SyslogAppender',
        'log4j.appender.b=org.apache.log4j.FileAppender',
      ].join('\n'),
    );
    assert.equal(config.warnings.length, 5);
    assert.deepEqual(config.loggers.get('')!.appenders, []);
    assert.ok(config.warnings.some((w) => w.includes('Unknown log level: LOUD')));
    assert.ok(config.warnings.some((w) => w.includes('SyslogAppender is not supported')));
    assert.ok(config.warnings.some((w) => w.includes('File option not set')));
  });
});
