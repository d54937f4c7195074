// Tests for the jopt-simple-compatible option parser and help formatter used by the tools.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OptionException, OptionParser, wrap } from '../../src/tools/command-line';

function topicsLikeParser(): OptionParser {
  const p = new OptionParser();
  p.withRequiredArg('bootstrap-server', 'REQUIRED: The Kafka server to connect to.', { describedAs: 'server to connect to' });
  p.withRequiredArg('topic', 'The topic.', { describedAs: 'topic' });
  p.withRequiredArg('partitions', 'The number of partitions.', { describedAs: '# of partitions', type: 'Integer' });
  p.withRequiredArg('config', 'A topic configuration override.', { describedAs: 'name=value' });
  p.withOptionalArg('compression-codec', 'The compression codec.', { describedAs: 'compression-codec' });
  p.withRequiredArg('offset', 'The offset.', { describedAs: 'consume offset', defaultValue: 'latest' });
  p.flag('create', 'Create a new topic.');
  p.flag('list', 'List all available topics.');
  return p;
}

test('parses values, repeated options, --name=value and prefixes', () => {
  const o = topicsLikeParser().parse([
    '--bootstrap', 'localhost:9092', '--create', '--topic=t1', '--config', 'a=1', '--config', 'b=2', '--partitions', '3',
  ]);
  assert.equal(o.valueOf('bootstrap-server'), 'localhost:9092');
  assert.ok(o.has('create'));
  assert.ok(!o.has('list'));
  assert.equal(o.valueOf('topic'), 't1');
  assert.deepEqual(o.valuesOf('config'), ['a=1', 'b=2']);
  assert.equal(o.numberOf('partitions'), 3);
  assert.equal(o.valueOf('offset'), 'latest'); // default
  assert.ok(!o.has('offset'));
});

test('a required argument is taken even when it starts with a dash', () => {
  const o = topicsLikeParser().parse(['--offset', '-2']);
  assert.equal(o.valueOf('offset'), '-2');
});

test('an optional argument may be omitted', () => {
  const p = topicsLikeParser();
  assert.equal(p.parse(['--compression-codec', '--create']).valueOf('compression-codec'), undefined);
  assert.ok(p.parse(['--compression-codec', '--create']).has('compression-codec'));
  assert.equal(p.parse(['--compression-codec', 'lz4']).valueOf('compression-codec'), 'lz4');
});

test('errors use jopt-simple messages', () => {
  const p = topicsLikeParser();
  assert.throws(() => p.parse(['--nope']), new OptionException('nope is not a recognized option'));
  assert.throws(() => p.parse(['--topic']), new OptionException('Option topic requires an argument'));
  assert.throws(() => p.parse(['--partitions', 'x']), new OptionException("Cannot parse argument 'x' of option partitions"));
  assert.throws(() => p.parse(['--partitions', '99999999999']), /Cannot parse argument/);
  // "--c" is ambiguous (config, compression-codec, create).
  assert.throws(() => p.parse(['--c']), new OptionException('c is not a recognized option'));
});

test('help is an 80-column two-column table sorted by option name', () => {
  const help = topicsLikeParser().formatHelp();
  const lines = help.slice(0, -1).split('\n');
  assert.equal(lines[0], 'Option                                   Description                            ');
  assert.equal(lines[1], '------                                   -----------                            ');
  for (const line of lines) assert.equal(line.length, 80, JSON.stringify(line));
  const names = lines.filter((l) => l.startsWith('--')).map((l) => l.split(' ')[0]);
  assert.deepEqual(names, [...names].sort());
  assert.ok(lines.includes('--bootstrap-server <String: server to    REQUIRED: The Kafka server to connect  '));
  assert.ok(lines.includes('  connect to>                              to.                                  '));
  assert.ok(help.includes('--compression-codec [String:'));
  assert.ok(help.includes('(default: latest)'));
  assert.ok(help.includes('--partitions <Integer: # of partitions>'));
});

test('wrap breaks at spaces and after inner hyphens, indenting continuation lines', () => {
  assert.deepEqual(wrap('Alter the number of partitions and replica assignment. (To alter topic configurations, the kafka-configs tool can be used.)', 39), [
    'Alter the number of partitions and',
    '  replica assignment. (To alter topic',
    '  configurations, the kafka-configs',
    '  tool can be used.)',
  ]);
  assert.deepEqual(wrap('DEPRECATED, use --bootstrap-server instead; ignored if --bootstrap-server is specified.', 39), [
    'DEPRECATED, use --bootstrap-server',
    '  instead; ignored if --bootstrap-',
    '  server is specified.',
  ]);
  assert.deepEqual(wrap('a\nb', 39), ['a', '  b']);
});

test('help lines match jopt-simple output captured from Kafka tools', () => {
  const p = new OptionParser();
  p.flag('enable-systest-events', 'Log lifecycle events of the consumer in addition to logging consumed messages. (This is specific for system tests.)');
  p.withRequiredArg('consumer-property', 'A mechanism to pass user-defined properties in the form key=value to the consumer.', { describedAs: 'consumer_prop' });
  const lines = p.formatHelp().split('\n');
  // As printed by Kafka's kafka-console-consumer.sh (trailing padding to 80 columns included).
  assert.deepEqual(lines.slice(2, 9), [
    '--consumer-property <String:             A mechanism to pass user-defined       ',
    '  consumer_prop>                           properties in the form key=value to  ',
    '                                           the consumer.                        ',
    '--enable-systest-events                  Log lifecycle events of the consumer   ',
    '                                           in addition to logging consumed      ',
    '                                           messages. (This is specific for      ',
    '                                           system tests.)                       ',
  ]);
});
