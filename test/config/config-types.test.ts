// Kafka's ConfigDef type parsing and printing.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigException } from '../../src/config/config-exception';
import { isKnownMetadataVersion } from '../../src/config/config-def';
import { ConfigType, formatConfigValue, javaDoubleToString, parseConfigValue } from '../../src/config/config-types';

function rejects(type: ConfigType, raw: string, reason: string): void {
  assert.throws(
    () => parseConfigValue({ name: 'x.y', type: type }, raw),
    (err: unknown) => err instanceof ConfigException && err.message === `Invalid value ${raw} for configuration x.y: ${reason}` && err.configName === 'x.y',
  );
}

describe('parseConfigValue', () => {
  it('parses each type, trimming first', () => {
    assert.deepEqual(parseConfigValue({ name: 'n', type: ConfigType.INT }, ' +42 '), { value: 42, text: '42' });
    assert.deepEqual(parseConfigValue({ name: 'n', type: ConfigType.SHORT }, '-1'), { value: -1, text: '-1' });
    assert.deepEqual(parseConfigValue({ name: 'n', type: ConfigType.LONG }, '604800000'), { value: 604800000, text: '604800000' });
    assert.deepEqual(parseConfigValue({ name: 'n', type: ConfigType.DOUBLE }, '0.5'), { value: 0.5, text: '0.5' });
    assert.deepEqual(parseConfigValue({ name: 'n', type: ConfigType.DOUBLE }, '2'), { value: 2, text: '2.0' });
    assert.deepEqual(parseConfigValue({ name: 'n', type: ConfigType.BOOLEAN }, 'TRUE'), { value: true, text: 'true' });
    assert.deepEqual(parseConfigValue({ name: 'n', type: ConfigType.STRING }, '  a b  '), { value: 'a b', text: 'a b' });
    assert.deepEqual(parseConfigValue({ name: 'n', type: ConfigType.LIST }, ' compact , delete '), { value: ['compact', 'delete'], text: 'compact,delete' });
    assert.deepEqual(parseConfigValue({ name: 'n', type: ConfigType.LIST }, '  '), { value: [], text: '' });
    assert.deepEqual(parseConfigValue({ name: 'n', type: ConfigType.STRING }, null), { value: null, text: null });
  });

  it('clamps longs beyond 2^53 but keeps their exact text', () => {
    assert.deepEqual(parseConfigValue({ name: 'n', type: ConfigType.LONG }, '9223372036854775807'), {
      value: Number.MAX_SAFE_INTEGER,
      text: '9223372036854775807',
    });
    assert.equal(parseConfigValue({ name: 'n', type: ConfigType.LONG }, '-9223372036854775808').value, -Number.MAX_SAFE_INTEGER);
  });

  it('rejects values of the wrong type with Kafka messages', () => {
    rejects(ConfigType.INT, 'abc', 'Not a number of type INT');
    rejects(ConfigType.INT, '1.5', 'Not a number of type INT');
    rejects(ConfigType.INT, '2147483648', 'Not a number of type INT');
    rejects(ConfigType.INT, '', 'Not a number of type INT');
    rejects(ConfigType.SHORT, '40000', 'Not a number of type SHORT');
    rejects(ConfigType.LONG, '9223372036854775808', 'Not a number of type LONG');
    rejects(ConfigType.DOUBLE, 'half', 'Not a number of type DOUBLE');
    rejects(ConfigType.BOOLEAN, 'yes', 'Expected value to be either true or false');
  });
});

describe('printing values as Java does', () => {
  it('javaDoubleToString', () => {
    assert.equal(javaDoubleToString(0.5), '0.5');
    assert.equal(javaDoubleToString(10), '10.0');
    assert.equal(javaDoubleToString(1e7), '1.0E7');
    assert.equal(javaDoubleToString(1.7976931348623157e308), '1.7976931348623157E308');
    assert.equal(javaDoubleToString(0.0001), '1.0E-4');
    assert.equal(javaDoubleToString(0), '0.0');
  });

  it('formatConfigValue maps the clamped long back to Long.MAX_VALUE', () => {
    assert.equal(formatConfigValue(ConfigType.LONG, Number.MAX_SAFE_INTEGER), '9223372036854775807');
    assert.equal(formatConfigValue(ConfigType.LIST, ['a', 'b']), 'a,b');
    assert.equal(formatConfigValue(ConfigType.INT, null), null);
  });
});

describe('isKnownMetadataVersion', () => {
  it('accepts Kafka version strings and rejects others', () => {
    for (const v of ['3.9', '3.9-IV0', '3.9.0', '2.8-IV1', '2.8.1', '0.10.0-IV1', '0.10.2.0', '0.8.2', '3.0-IV1']) {
      assert.equal(isKnownMetadataVersion(v), true, v);
    }
    for (const v of ['4.1', '3.9-IV1', '0.7.0', 'abc', '']) assert.equal(isKnownMetadataVersion(v), false, v);
  });
});
