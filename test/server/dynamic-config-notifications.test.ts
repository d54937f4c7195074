// Config change notifications as Kafka's DynamicConfigManager reads them (v1, v2, malformed ones and their
// messages, sequence numbers) and the IncrementalAlterConfigs operations on stored overrides.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidConfigurationError, InvalidRequestError } from '../../src/common/kafka-error';
import { ConfigType } from '../../src/config/config-types';
import {
  changeNumber, InvalidConfigChangeNotificationError, parseConfigChangeNotification,
} from '../../src/server/config/config-change-notification';
import { AlterConfigOpType, prepareIncrementalConfigs, type ConfigKeyInfo } from '../../src/server/config/incremental-configs';
import { CONFIG_HANDLER_TYPES } from '../../src/server/dynamic-config-manager';
import { ConfigEntityChangeNotificationSequenceZNode } from '../../src/zk/znodes';

const parse = (json: string) => parseConfigChangeNotification(Buffer.from(json), CONFIG_HANDLER_TYPES);

describe('parseConfigChangeNotification', () => {
  it('reads the v2 notification Kafka writes', () => {
    const data = ConfigEntityChangeNotificationSequenceZNode.encode('topics/orders');
    assert.equal(data.toString(), '{"version":2,"entity_path":"topics/orders"}');
    assert.deepEqual(parseConfigChangeNotification(data, CONFIG_HANDLER_TYPES), { entityType: 'topics', entityName: 'orders' });
  });

  it('keeps everything after the first slash as the entity name', () => {
    assert.deepEqual(parse('{"version":2,"entity_path":"brokers/<default>"}'), { entityType: 'brokers', entityName: '<default>' });
    assert.deepEqual(parse('{"entity_path":"users/alice/clients/app-1","version":2}'), {
      entityType: 'users',
      entityName: 'alice/clients/app-1',
    });
  });

  it('accepts v1 for topics and clients', () => {
    assert.deepEqual(parse('{"version":1,"entity_type":"topics","entity_name":"orders"}'), { entityType: 'topics', entityName: 'orders' });
    assert.deepEqual(parse('{"version":1,"entity_type":"clients","entity_name":"app"}'), { entityType: 'clients', entityName: 'app' });
  });

  it('ignores data that is not JSON (old TopicConfigManager notifications)', () => {
    assert.equal(parse('orders'), null);
    assert.equal(parseConfigChangeNotification(Buffer.alloc(0), CONFIG_HANDLER_TYPES), null);
  });

  it("refuses malformed notifications with Kafka's messages", () => {
    const refuses = (json: string, message: RegExp) =>
      assert.throws(() => parse(json), (e: unknown) => e instanceof InvalidConfigChangeNotificationError && message.test(e.message));
    refuses('{"version":1,"entity_type":"brokers","entity_name":"0"}', /^Version 1 config change notification must have 'entity_type' set to 'clients' or 'topics'\. Received: /);
    refuses('{"version":1,"entity_type":"topics"}', /^Version 1 config change notification does not specify 'entity_name'\./);
    refuses('{"version":2}', /^Version 2 config change notification must specify 'entity_path'\./);
    refuses(
      '{"version":2,"entity_path":"groups/g1"}',
      /^Version 2 config change notification must have 'entity_path' starting with one of 'topics'\/, 'clients'\/, 'users'\/, 'brokers'\/, 'ips'\/\. Received: \{"version":2,"entity_path":"groups\/g1"\}$/,
    );
    refuses('{"version":2,"entity_path":"topics"}', /must have 'entity_path' starting with one of/);
    refuses('{"version":3,"entity_path":"topics/a"}', /^Config change notification has unsupported version '3', supported versions are 1 and 2\.$/);
    refuses('[1,2]', /^Config change notification has an unexpected value\./);
  });
});

describe('changeNumber', () => {
  it('is the sequence number ZooKeeper appended', () => {
    assert.equal(changeNumber('config_change_0000000000'), 0);
    assert.equal(changeNumber('config_change_0000000042'), 42);
    assert.equal(changeNumber('config_change_2147483647'), 2147483647);
  });

  it('is null for children that are not notifications', () => {
    assert.equal(changeNumber('something_else'), null);
    assert.equal(changeNumber('config_change_'), null);
    assert.equal(changeNumber('config_change_12a'), null);
  });
});

describe('prepareIncrementalConfigs', () => {
  const keys: ConfigKeyInfo = {
    typeOf: (name) => ({ 'cleanup.policy': ConfigType.LIST, 'throttled': ConfigType.LIST, 'retention.ms': ConfigType.LONG } as Record<string, ConfigType>)[name],
    defaultText: (name) => ({ 'cleanup.policy': 'delete', throttled: '', 'retention.ms': '604800000' } as Record<string, string>)[name] ?? null,
    unknownName: (name) => `Unknown topic config name: ${name}`,
  };
  const op = (name: string, opType: number, value: string | null) => ({ name, op: opType, value });

  it('SET replaces or adds, DELETE removes, and the input is not modified', () => {
    const current = { 'retention.ms': '1000', 'segment.bytes': '2048' };
    const next = prepareIncrementalConfigs(
      [op('retention.ms', AlterConfigOpType.SET, '5000'), op('segment.bytes', AlterConfigOpType.DELETE, null), op('x', AlterConfigOpType.SET, 'y')],
      current,
      keys,
    );
    assert.deepEqual(next, { 'retention.ms': '5000', x: 'y' });
    assert.deepEqual(current, { 'retention.ms': '1000', 'segment.bytes': '2048' });
  });

  it('DELETE of a config without an override changes nothing', () => {
    assert.deepEqual(prepareIncrementalConfigs([op('retention.ms', AlterConfigOpType.DELETE, null)], {}, keys), {});
  });

  it('APPEND starts from the override, else from the default, and skips values already present', () => {
    assert.deepEqual(prepareIncrementalConfigs([op('cleanup.policy', AlterConfigOpType.APPEND, 'compact')], {}, keys), {
      'cleanup.policy': 'delete,compact',
    });
    assert.deepEqual(prepareIncrementalConfigs([op('cleanup.policy', AlterConfigOpType.APPEND, 'compact,delete')], { 'cleanup.policy': 'compact' }, keys), {
      'cleanup.policy': 'compact,delete',
    });
    // An empty default list does not leave a leading comma.
    assert.deepEqual(prepareIncrementalConfigs([op('throttled', AlterConfigOpType.APPEND, '0:1,1:2')], {}, keys), { throttled: '0:1,1:2' });
  });

  it('SUBTRACT removes one occurrence per value given, from the override or the default', () => {
    assert.deepEqual(prepareIncrementalConfigs([op('cleanup.policy', AlterConfigOpType.SUBTRACT, 'delete')], {}, keys), { 'cleanup.policy': '' });
    assert.deepEqual(prepareIncrementalConfigs([op('throttled', AlterConfigOpType.SUBTRACT, '1:2,9:9')], { throttled: '0:1,1:2,1:2' }, keys), {
      throttled: '0:1,1:2',
    });
  });

  it('operations apply in order', () => {
    const next = prepareIncrementalConfigs(
      [op('cleanup.policy', AlterConfigOpType.SET, 'compact'), op('cleanup.policy', AlterConfigOpType.APPEND, 'delete')],
      {},
      keys,
    );
    assert.deepEqual(next, { 'cleanup.policy': 'compact,delete' });
  });

  it('APPEND/SUBTRACT need a LIST config; unknown operations and names are refused', () => {
    assert.throws(
      () => prepareIncrementalConfigs([op('retention.ms', AlterConfigOpType.APPEND, '1')], {}, keys),
      (e: unknown) => e instanceof InvalidRequestError && e.message === 'Config value append is not allowed for config key: retention.ms',
    );
    assert.throws(
      () => prepareIncrementalConfigs([op('retention.ms', AlterConfigOpType.SUBTRACT, '1')], {}, keys),
      (e: unknown) => e instanceof InvalidRequestError && e.message === 'Config value subtract is not allowed for config key: retention.ms',
    );
    assert.throws(
      () => prepareIncrementalConfigs([op('nope', AlterConfigOpType.APPEND, '1')], {}, keys),
      (e: unknown) => e instanceof InvalidConfigurationError && e.message === 'Unknown topic config name: nope',
    );
    assert.throws(
      () => prepareIncrementalConfigs([op('retention.ms', 7, '1')], {}, keys),
      (e: unknown) => e instanceof InvalidRequestError && e.message === 'Unknown operations type 7',
    );
  });
});
