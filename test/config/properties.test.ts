// Java .properties parsing: the cases java.util.Properties#load defines.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ConfigException } from '../../src/config/config-exception';
import { loadPropertiesFile, parseProperties } from '../../src/config/properties';

describe('parseProperties', () => {
  it('reads the three separator forms and skips comments and blank lines', () => {
    const text = ['# comment', '! also a comment', '', '   ', 'a=1', 'b: 2', 'c 3', '  d   =   4', 'e:5', 'f\t\t6'].join('\n');
    assert.deepEqual(parseProperties(text), { a: '1', b: '2', c: '3', d: '4', e: '5', f: '6' });
  });

  it('keeps trailing whitespace of values and allows empty values', () => {
    assert.deepEqual(parseProperties('a=value  \nb=\nc\nd ='), { a: 'value  ', b: '', c: '', d: '' });
  });

  it('only the first separator ends the key; later ones belong to the value', () => {
    assert.deepEqual(parseProperties('url=http://h:80/x=y\nk = =v\nk2 : :v'), { url: 'http://h:80/x=y', k: '=v', k2: ':v' });
  });

  it('joins continuation lines and drops their leading whitespace', () => {
    const text = 'listeners=PLAINTEXT://:9092,\\\n    SSL://:9093\nnext=1';
    assert.deepEqual(parseProperties(text), { listeners: 'PLAINTEXT://:9092,SSL://:9093', next: '1' });
  });

  it('an even number of trailing backslashes is an escaped backslash, not a continuation', () => {
    assert.deepEqual(parseProperties('dir=C:\\\\temp\\\\\nx=1'), { dir: 'C:\\temp\\', x: '1' });
  });

  it('a comment line ending in a backslash does not continue', () => {
    assert.deepEqual(parseProperties('# comment \\\na=1'), { a: '1' });
  });

  it('a continued line is not read as a comment', () => {
    assert.deepEqual(parseProperties('a=x\\\n  # not a comment'), { a: 'x# not a comment' });
  });

  it('resolves escapes in keys and values', () => {
    const text = 'tab=a\\tb\nnl=a\\nb\nuni=caf\\u00e9\nother=\\q\\z\nkey\\=with\\:seps\\ and\\ space=v';
    assert.deepEqual(parseProperties(text), {
      tab: 'a\tb',
      nl: 'a\nb',
      uni: 'café',
      other: 'qz',
      'key=with:seps and space': 'v',
    });
  });

  it('throws ConfigException on a malformed \\u escape', () => {
    assert.throws(() => parseProperties('a=\\u12G4'), (err: unknown) => err instanceof ConfigException && /Malformed/.test(err.message));
  });

  it('accepts CRLF and CR line endings', () => {
    assert.deepEqual(parseProperties('a=1\r\nb=2\rc=3'), { a: '1', b: '2', c: '3' });
  });

  it('the last duplicate wins', () => {
    assert.deepEqual(parseProperties('a=1\na=2'), { a: '2' });
  });

  it('a trailing backslash at the end of the file keeps what was read', () => {
    assert.deepEqual(parseProperties('a=1\\'), { a: '1' });
  });
});

describe('loadPropertiesFile', () => {
  it('reads a file', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'props-'));
    const file = path.join(dir, 'x.properties');
    writeFileSync(file, 'broker.id=7\nlog.dirs=/data/k\u00e9\n');
    assert.deepEqual(loadPropertiesFile(file), { 'broker.id': '7', 'log.dirs': '/data/k\u00e9' });
  });

  it('a missing file is a ConfigException naming the path', () => {
    assert.throws(() => loadPropertiesFile('/nonexistent/server.properties'), (err: unknown) => {
      return err instanceof ConfigException && err.message.includes('/nonexistent/server.properties');
    });
  });
});
