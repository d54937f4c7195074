/**
 * /controller (Kafka's ControllerZNode), the ephemeral node of the active controller.
 *
 * v2 (3.4+), written by 3.9: `{"version":2,"brokerid":1,"timestamp":"1730000000123","kraftControllerEpoch":-1}`
 * (an immutable Map4, so insertion order). v1 (<= 3.3) lacks kraftControllerEpoch. Readers use `brokerid`;
 * a positive kraftControllerEpoch means a KRaft controller took over during a migration.
 */
import { jsonObject, parseZNodeJson, toJsonBytes } from './znode-json';

/** The decoded /controller registration. */
export interface ControllerRegistration {
  readonly brokerId: number;
  /** -1 for a ZooKeeper controller; null when absent (v1). */
  readonly kraftControllerEpoch: number | null;
  readonly timestamp: number | null;
  readonly version: number | null;
}

interface ControllerJson {
  version?: number;
  brokerid: number;
  timestamp?: string | number;
  kraftControllerEpoch?: number;
}

export const ControllerZNode = {
  path: (): string => '/controller',

  /** v2 JSON for a ZooKeeper controller (kraftControllerEpoch -1 unless given). */
  encode(brokerId: number, options: { timestamp?: number; kraftControllerEpoch?: number } = {}): Buffer {
    return toJsonBytes(
      jsonObject(
        ['version', 2],
        ['brokerid', brokerId],
        ['timestamp', String(options.timestamp ?? Date.now())],
        ['kraftControllerEpoch', options.kraftControllerEpoch ?? -1],
      ),
    );
  },

  /** @throws ZNodeDecodeError */
  decode(data: Buffer, path: string = ControllerZNode.path()): ControllerRegistration {
    const json = parseZNodeJson<ControllerJson>(data, path, 'controller');
    return {
      brokerId: json.brokerid,
      kraftControllerEpoch: json.kraftControllerEpoch ?? null,
      timestamp: json.timestamp === undefined ? null : Number(json.timestamp),
      version: json.version ?? null,
    };
  },
} as const;
