// Listener parsing and the listener-related broker config rules.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadBrokerConfig } from '../../src/config/broker-config';
import { ConfigException } from '../../src/config/config-exception';
import { endpointToString, parseListeners, parseSecurityProtocolMap } from '../../src/config/listeners';

const ZK = { 'zookeeper.connect': 'localhost:2181' };
const MAP = parseSecurityProtocolMap('PLAINTEXT:PLAINTEXT,SSL:SSL,INTERNAL:PLAINTEXT,EXTERNAL:SASL_SSL');

function rejects(props: Record<string, string>, configName: string, message: RegExp): void {
  assert.throws(
    () => loadBrokerConfig({ properties: { ...ZK, ...props } }),
    (err: unknown) => err instanceof ConfigException && err.configName === configName && message.test(err.message),
  );
}

describe('parseListeners', () => {
  it('parses names, hosts (empty = null, IPv6 in brackets) and ports', () => {
    const eps = parseListeners('plaintext://:9092, SSL://broker1.example.com:9093,INTERNAL://[::1]:9094,EXTERNAL://10.0.0.1:0', {
      securityProtocolMap: MAP,
    });
    assert.deepEqual(eps, [
      { name: 'PLAINTEXT', host: null, port: 9092, securityProtocol: 'PLAINTEXT' },
      { name: 'SSL', host: 'broker1.example.com', port: 9093, securityProtocol: 'SSL' },
      { name: 'INTERNAL', host: '::1', port: 9094, securityProtocol: 'PLAINTEXT' },
      { name: 'EXTERNAL', host: '10.0.0.1', port: 0, securityProtocol: 'SASL_SSL' },
    ]);
    assert.deepEqual(eps.map(endpointToString), ['PLAINTEXT://:9092', 'SSL://broker1.example.com:9093', 'INTERNAL://[::1]:9094', 'EXTERNAL://10.0.0.1:0']);
  });

  it('allows one IPv4 and one IPv6 listener on the same port', () => {
    const eps = parseListeners('PLAINTEXT://127.0.0.1:9092,SSL://[::1]:9092', { securityProtocolMap: MAP });
    assert.equal(eps.length, 2);
  });

  it('rejects malformed entries, unknown names, duplicate names and ports', () => {
    const bad: Array<[string, RegExp]> = [
      ['PLAINTEXT:9092', /Unable to parse PLAINTEXT:9092 to a broker endpoint/],
      ['PLAINTEXT://host', /Unable to parse/],
      ['FOO://:9092', /No security protocol defined for listener FOO/],
      ['PLAINTEXT://:70000', /Invalid port 70000/],
      ['PLAINTEXT://:9092,PLAINTEXT://:9093', /Each listener must have a different name/],
      ['PLAINTEXT://:9092,SSL://:9092', /Each listener must have a different port/],
      ['PLAINTEXT://127.0.0.1:9092,SSL://10.0.0.1:9092', /one needs to be IPv4 and the other IPv6/],
      ['PLAINTEXT://127.0.0.1:9092,SSL://host:9092', /unless exactly one listener has an IPv4 address/],
    ];
    for (const [value, message] of bad) {
      assert.throws(() => parseListeners(value, { securityProtocolMap: MAP }), (err: unknown) => err instanceof ConfigException && message.test(err.message), value);
    }
  });

  it('advertised listeners may share ports', () => {
    assert.equal(parseListeners('PLAINTEXT://a:9092,SSL://b:9092', { securityProtocolMap: MAP, requireDistinctPorts: false }).length, 2);
  });
});

describe('parseSecurityProtocolMap', () => {
  it('upper-cases names and protocols', () => {
    assert.deepEqual(parseSecurityProtocolMap('internal:plaintext, external : sasl_ssl'), new Map([['INTERNAL', 'PLAINTEXT'], ['EXTERNAL', 'SASL_SSL']]));
  });

  it('rejects unknown protocols and entries without a colon', () => {
    assert.throws(() => parseSecurityProtocolMap('A:TLS'), /Invalid security protocol `TLS` defined in listener.security.protocol.map/);
    assert.throws(() => parseSecurityProtocolMap('A'), /missing ':'/);
  });
});

describe('listener rules of the broker config', () => {
  it('advertised.listeners defaults to listeners', () => {
    const c = loadBrokerConfig({ properties: { ...ZK, listeners: 'PLAINTEXT://localhost:9092' } });
    assert.deepEqual(c.advertisedListeners, c.listeners);
    assert.equal(c.interBrokerListenerName, 'PLAINTEXT');
    assert.equal(c.interBrokerSecurityProtocol, 'PLAINTEXT');
  });

  it('named listeners with an explicit inter-broker listener', () => {
    const c = loadBrokerConfig({
      properties: {
        ...ZK,
        listeners: 'INTERNAL://:9092,EXTERNAL://:9093',
        'advertised.listeners': 'INTERNAL://broker1:9092,EXTERNAL://public.example.com:9093',
        'listener.security.protocol.map': 'INTERNAL:PLAINTEXT,EXTERNAL:SASL_SSL',
        'inter.broker.listener.name': 'internal',
        'sasl.enabled.mechanisms': 'PLAIN',
        'sasl.mechanism.inter.broker.protocol': 'PLAIN',
      },
    });
    assert.equal(c.interBrokerListenerName, 'INTERNAL');
    assert.equal(c.interBrokerSecurityProtocol, 'PLAINTEXT');
    assert.deepEqual(c.advertisedListeners.map((l) => l.host), ['broker1', 'public.example.com']);
    assert.equal(c.listenerSecurityProtocolMap.get('EXTERNAL'), 'SASL_SSL');
  });

  it('security.inter.broker.protocol picks the listener of that name', () => {
    const c = loadBrokerConfig({ properties: { ...ZK, listeners: 'PLAINTEXT://:9092,SSL://:9093', 'security.inter.broker.protocol': 'SSL' } });
    assert.equal(c.interBrokerListenerName, 'SSL');
  });

  it('rejects inconsistent listener settings', () => {
    rejects({ listeners: 'FOO://:9092' }, 'listeners', /No security protocol defined for listener FOO/);
    rejects({ listeners: 'PLAINTEXT://:9092,SSL://:9092' }, 'listeners', /Each listener must have a different port/);
    rejects({ 'advertised.listeners': 'PLAINTEXT://0.0.0.0:9092' }, 'advertised.listeners', /nonroutable meta-address 0.0.0.0/);
    rejects(
      { 'inter.broker.listener.name': 'PLAINTEXT', 'security.inter.broker.protocol': 'PLAINTEXT' },
      'inter.broker.listener.name',
      /Only one of inter.broker.listener.name and security.inter.broker.protocol should be set/,
    );
    rejects({ 'inter.broker.listener.name': 'BAR' }, 'inter.broker.listener.name', /Listener with name BAR defined in inter.broker.listener.name not found/);
    rejects({ 'security.inter.broker.protocol': 'SSL' }, 'inter.broker.listener.name', /must be a listener name defined in advertised.listeners/);
    rejects({ 'security.inter.broker.protocol': 'TLS' }, 'security.inter.broker.protocol', /String must be one of: PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL/);
    rejects(
      { listeners: 'PLAINTEXT://:9092', 'advertised.listeners': 'PLAINTEXT://h:9092,SSL://h:9093' },
      'advertised.listeners',
      /must be equal to or a subset of the ones defined in listeners/,
    );
    rejects(
      { listeners: 'PLAINTEXT://:9092,CONTROL://:9093', 'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,CONTROL:PLAINTEXT', 'control.plane.listener.name': 'PLAINTEXT' },
      'control.plane.listener.name',
      /should have a different value from the inter broker listener name/,
    );
    rejects(
      { listeners: 'SASL_PLAINTEXT://:9092', 'security.inter.broker.protocol': 'SASL_PLAINTEXT', 'sasl.enabled.mechanisms': 'PLAIN' },
      'sasl.mechanism.inter.broker.protocol',
      /must be included in sasl.enabled.mechanisms/,
    );
  });

  it('a control plane listener distinct from the inter-broker one', () => {
    const c = loadBrokerConfig({
      properties: {
        ...ZK,
        listeners: 'PLAINTEXT://:9092,CONTROL://:9093',
        'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,CONTROL:PLAINTEXT',
        'control.plane.listener.name': 'control',
      },
    });
    assert.equal(c.controlPlaneListenerName, 'CONTROL');
  });
});
