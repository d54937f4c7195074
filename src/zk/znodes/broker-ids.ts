/**
 * /brokers, /brokers/ids and /brokers/ids/<id> (Kafka's BrokersZNode, BrokerIdsZNode, BrokerIdZNode).
 *
 * A 3.9 broker registers v5 (IBP >= 2.7):
 *   {"features":{},"listener_security_protocol_map":{"INTERNAL":"PLAINTEXT","EXTERNAL":"SASL_SSL"},
 *    "endpoints":["INTERNAL://kafka-1.internal:9092","EXTERNAL://kafka-1.example.com:9093"],
 *    "rack":"us-east-1a","jmx_port":-1,"port":9092,"host":"kafka-1.internal","version":5,
 *    "timestamp":"1730000000001"}
 * Kafka fills a Scala 2.13 mutable.HashMap, hence that fixed key order; the listener map is an immutable Map
 * (insertion order up to four listeners). `host`/`port` are the first PLAINTEXT listener's, or null/-1;
 * `rack` only when set. v4 drops features, v2 also the listener map and rack.
 * Decoding accepts v1-v5: v1 has only host/port (PLAINTEXT); without the listener map the listener names are
 * security protocol names.
 */
import { ZNodeDecodeError } from '../zk-errors';
import { SecurityProtocol, type Broker, type BrokerInfo, type EndPoint, type SupportedVersionRange } from '../zk-types';
import { scala213ImmutableMapOrder } from './key-order';
import { jsonObject, parseZNodeJson, toJsonBytes, type JsonValue } from './znode-json';

export const BrokersZNode = {
  path: (): string => '/brokers',
} as const;

export const BrokerIdsZNode = {
  path: (): string => '/brokers/ids',
} as const;

interface BrokerJson {
  version: number;
  host?: string | null;
  port?: number;
  jmx_port: number;
  timestamp?: string | number;
  endpoints?: string[];
  rack?: string | null;
  listener_security_protocol_map?: Record<string, string>;
  features?: Record<string, { min_version?: number; max_version: number }>;
}

/** Options for {@link BrokerIdZNode.encode}. */
export interface BrokerEncodeOptions {
  /** Registration format: 5 (IBP >= 2.7, the default), 4 (IBP >= 0.10.0-IV1) or 2. */
  version?: 2 | 4 | 5;
  /** Registration time; defaults to now. */
  timestamp?: number;
}

/** The default listener name → security protocol map assumed when a registration has none. */
const DEFAULT_SECURITY_PROTOCOL_MAP: ReadonlyMap<string, SecurityProtocol> = new Map(
  Object.values(SecurityProtocol).map((p) => [p, p]),
);

export const BrokerIdZNode = {
  path: (brokerId: number): string => `${BrokerIdsZNode.path()}/${brokerId}`,

  /** The registration JSON Kafka 3.9 writes for `info`. */
  encode(info: BrokerInfo, options: BrokerEncodeOptions = {}): Buffer {
    const version = options.version ?? 5;
    const plaintext = info.endpoints.find((e) => e.securityProtocol === SecurityProtocol.PLAINTEXT);
    const entries: Array<readonly [string, JsonValue]> = [];
    if (version >= 5) {
      const features = info.features ?? new Map<string, SupportedVersionRange>();
      entries.push([
        'features',
        jsonObject(
          ...[...features].map(
            ([name, range]) =>
              [name, jsonObject(['min_version', range.minVersion], ['max_version', range.maxVersion])] as const,
          ),
        ),
      ]);
    }
    if (version >= 4) {
      const protocols = new Map<string, string>();
      for (const e of info.endpoints) protocols.set(e.listenerName, e.securityProtocol);
      const order = scala213ImmutableMapOrder(info.endpoints.map((e) => e.listenerName));
      entries.push(['listener_security_protocol_map', jsonObject(...order.map((n) => [n, protocols.get(n)!] as const))]);
    }
    entries.push(['endpoints', info.endpoints.map(endpointConnectionString)]);
    if (version >= 3 && info.rack !== undefined && info.rack !== null) entries.push(['rack', info.rack]);
    entries.push(
      ['jmx_port', info.jmxPort ?? -1],
      ['port', plaintext?.port ?? -1],
      ['host', plaintext?.host ?? null],
      ['version', version],
      ['timestamp', String(options.timestamp ?? Date.now())],
    );
    return toJsonBytes(jsonObject(...entries));
  },

  /**
   * Decodes a registration of any version (1-5).
   * @throws ZNodeDecodeError naming the path on invalid JSON, schema mismatch or an unparsable endpoint.
   */
  decode(data: Buffer, brokerId: number): Broker {
    const path = BrokerIdZNode.path(brokerId);
    const json = parseZNodeJson<BrokerJson>(data, path, 'broker');
    let endpoints: EndPoint[];
    if (json.version === 1) {
      endpoints = [
        {
          listenerName: SecurityProtocol.PLAINTEXT,
          host: json.host ?? null,
          port: json.port ?? -1,
          securityProtocol: SecurityProtocol.PLAINTEXT,
        },
      ];
    } else {
      const map =
        json.listener_security_protocol_map === undefined
          ? DEFAULT_SECURITY_PROTOCOL_MAP
          : new Map(
              Object.entries(json.listener_security_protocol_map).map(
                ([name, protocol]) => [name.toUpperCase(), protocol as SecurityProtocol] as const,
              ),
            );
      endpoints = (json.endpoints ?? []).map((s) => parseEndpoint(s, map, path));
      const names = new Set<string>();
      for (const e of endpoints) {
        if (names.has(e.listenerName)) {
          throw new ZNodeDecodeError(path, `znode ${path} registers listener ${e.listenerName} twice`);
        }
        names.add(e.listenerName);
      }
    }
    const features = new Map<string, SupportedVersionRange>();
    for (const [name, range] of Object.entries(json.features ?? {})) {
      features.set(name, { minVersion: range.min_version ?? 1, maxVersion: range.max_version });
    }
    return {
      id: brokerId,
      endpoints,
      rack: json.rack ?? null,
      jmxPort: json.jmx_port,
      features,
      version: json.version,
      timestamp: json.timestamp === undefined ? null : Number(json.timestamp),
    };
  },
} as const;

/** `NAME://host:port`, bracketing IPv6 hosts (Kafka's EndPoint.connectionString). */
export function endpointConnectionString(endpoint: EndPoint): string {
  const host = endpoint.host;
  const hostPort =
    host === null ? `:${endpoint.port}` : host.includes(':') ? `[${host}]:${endpoint.port}` : `${host}:${endpoint.port}`;
  return `${endpoint.listenerName}://${hostPort}`;
}

/** Kafka's listener URI pattern: `NAME://host:port`, host optionally bracketed, possibly empty. */
const ENDPOINT_PATTERN = /^(.*):\/\/\[?([0-9a-zA-Z\-%._:]*)\]?:(-?[0-9]+)$/;

/**
 * Parses `NAME://host:port` with the listener → security protocol map (Kafka's EndPoint.createEndPoint).
 * @throws ZNodeDecodeError naming `path`
 */
export function parseEndpoint(
  connectionString: string,
  securityProtocolMap: ReadonlyMap<string, SecurityProtocol>,
  path = '/brokers/ids/<id>',
): EndPoint {
  const match = ENDPOINT_PATTERN.exec(connectionString);
  if (match === null) {
    throw new ZNodeDecodeError(path, `znode ${path}: unable to parse endpoint ${connectionString}`);
  }
  const listenerName = match[1].toUpperCase();
  const protocol = securityProtocolMap.get(listenerName);
  if (protocol === undefined) {
    throw new ZNodeDecodeError(path, `znode ${path}: no security protocol defined for listener ${listenerName}`);
  }
  return { listenerName, host: match[2] === '' ? null : match[2], port: Number(match[3]), securityProtocol: protocol };
}
