/**
 * Listener configuration: `listener.security.protocol.map` and `NAME://host:port` endpoint lists
 * (`listeners`, `advertised.listeners`), with Kafka 3.9's parsing and checks (CoreUtils /
 * SocketServerConfigs.listenerListToEndPoints): names are upper-cased, an empty host means the
 * default interface and is kept as null, IPv6 hosts are written in brackets, names must be distinct,
 * and ports must be distinct unless exactly two listeners share one with an IPv4 and an IPv6 address.
 */
import { isIP, isIPv4, isIPv6 } from 'node:net';
import { ConfigException } from './config-exception';

/** Kafka's SecurityProtocol names. */
export const SecurityProtocol = {
  PLAINTEXT: 'PLAINTEXT',
  SSL: 'SSL',
  SASL_PLAINTEXT: 'SASL_PLAINTEXT',
  SASL_SSL: 'SASL_SSL',
} as const;
export type SecurityProtocol = (typeof SecurityProtocol)[keyof typeof SecurityProtocol];

/** One listener endpoint. `host` is null for "the default interface" (an empty host in the config). */
export interface Endpoint {
  /** Listener name, upper-cased (ListenerName.normalised). */
  name: string;
  host: string | null;
  port: number;
  securityProtocol: SecurityProtocol;
}

// Kafka's LISTENER_PATTERN: NAME://host:port with an optional [IPv6] host.
const LISTENER_PATTERN = /^(.*):\/\/\[?([0-9a-zA-Z\-%._:]*)\]?:(-?[0-9]+)$/;

function parseCsvList(value: string): string[] {
  return value.trim().split(/\s*,\s*/).filter((v) => v.length > 0);
}

function toSecurityProtocol(name: string, configName: string): SecurityProtocol {
  const upper = name.toUpperCase();
  if (upper in SecurityProtocol) return upper as SecurityProtocol;
  throw new ConfigException(`Invalid security protocol \`${name}\` defined in ${configName}`, { configName, value: name });
}

/**
 * Parses `listener.security.protocol.map` (`NAME:PROTOCOL,...`) into listener name → protocol.
 * Throws ConfigException on a malformed entry or an unknown security protocol.
 */
export function parseSecurityProtocolMap(value: string, configName = 'listener.security.protocol.map'): Map<string, SecurityProtocol> {
  const map = new Map<string, SecurityProtocol>();
  if (value.trim() === '') return map;
  for (const entry of value.trim().split(/\s*,\s*/)) {
    const colon = entry.lastIndexOf(':');
    if (colon < 0) {
      throw new ConfigException(`Error parsing configuration property '${configName}': missing ':' in '${entry}'`, { configName, value });
    }
    const name = entry.slice(0, colon).trim().toUpperCase();
    map.set(name, toSecurityProtocol(entry.slice(colon + 1).trim(), configName));
  }
  return map;
}

function checkDistinctPorts(endpoints: Endpoint[], value: string, configName: string): void {
  const byPort = new Map<number, Endpoint[]>();
  // Port 0 (an ephemeral port) may repeat.
  for (const ep of endpoints.filter((e) => e.port !== 0)) byPort.set(ep.port, [...(byPort.get(ep.port) ?? []), ep]);
  for (const [port, eps] of byPort) {
    if (eps.length < 2) continue;
    const withIp = eps.filter((e) => e.host !== null && isIP(e.host) !== 0);
    const withoutIp = eps.filter((e) => !withIp.includes(e));
    if (withoutIp.length > 1) {
      throw new ConfigException(`Each listener must have a different port, listeners: ${value}`, { configName, value });
    }
    const oneOfEach =
      withIp.length === 2 &&
      withoutIp.length === 0 &&
      ((isIPv4(withIp[0].host!) && isIPv6(withIp[1].host!)) || (isIPv6(withIp[0].host!) && isIPv4(withIp[1].host!)));
    if (!oneOfEach) {
      throw new ConfigException(
        withIp.length === 2
          ? `If you have two listeners on the same port then one needs to be IPv4 and the other IPv6, listeners: ${value}, port: ${port}`
          : `Each listener must have a different port unless exactly one listener has an IPv4 address and the other IPv6 address, listeners: ${value}, port: ${port}`,
        { configName, value },
      );
    }
  }
}

/**
 * Parses a listener list (`listeners` or `advertised.listeners`). Each listener's name must be in the
 * security protocol map. Names must be distinct; ports too when `requireDistinctPorts` (true for
 * `listeners`, false for `advertised.listeners`, as in Kafka).
 */
export function parseListeners(
  value: string,
  options: { securityProtocolMap: ReadonlyMap<string, SecurityProtocol>; configName?: string; requireDistinctPorts?: boolean },
): Endpoint[] {
  const configName = options.configName ?? 'listeners';
  const fail = (reason: string): ConfigException =>
    new ConfigException(`Error creating broker listeners from '${value}': ${reason}`, { configName, value });
  const endpoints: Endpoint[] = [];
  for (const entry of parseCsvList(value)) {
    const m = LISTENER_PATTERN.exec(entry);
    if (!m) throw fail(`Unable to parse ${entry} to a broker endpoint`);
    const name = m[1].toUpperCase();
    const port = Number(m[3]);
    if (!Number.isSafeInteger(port) || port < 0 || port > 65535) throw fail(`Invalid port ${m[3]} in ${entry}`);
    const securityProtocol = options.securityProtocolMap.get(name);
    if (securityProtocol === undefined) throw fail(`No security protocol defined for listener ${name}`);
    endpoints.push({ name, host: m[2] === '' ? null : m[2], port, securityProtocol });
  }
  const names = new Set(endpoints.map((e) => e.name));
  if (names.size !== endpoints.length) {
    throw new ConfigException(`Each listener must have a different name, listeners: ${value}`, { configName, value });
  }
  if (options.requireDistinctPorts ?? true) checkDistinctPorts(endpoints, value, configName);
  return endpoints;
}

/** Formats an endpoint back to Kafka's `NAME://host:port` form (IPv6 hosts in brackets). */
export function endpointToString(endpoint: Endpoint): string {
  const host = endpoint.host === null ? '' : isIPv6(endpoint.host) ? `[${endpoint.host}]` : endpoint.host;
  return `${endpoint.name}://${host}:${endpoint.port}`;
}
