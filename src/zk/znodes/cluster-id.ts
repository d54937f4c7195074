/**
 * /cluster and /cluster/id (Kafka's ClusterZNode, ClusterIdZNode).
 *
 * Written once by the first broker: `{"version":"1","id":"<22-char url-safe base64 uuid>"}` (the version is a
 * JSON string; an immutable Map2 in Kafka, so version comes first). Readers use only `id`.
 */
import { jsonObject, parseZNodeJson, toJsonBytes } from './znode-json';

export const ClusterZNode = {
  path: (): string => '/cluster',
} as const;

export const ClusterIdZNode = {
  path: (): string => '/cluster/id',

  /** `{"version":"1","id":...}` */
  encode(clusterId: string): Buffer {
    return toJsonBytes(jsonObject(['version', '1'], ['id', clusterId]));
  },

  /** Returns the cluster id. @throws ZNodeDecodeError */
  decode(data: Buffer, path: string = ClusterIdZNode.path()): string {
    return parseZNodeJson<{ id: string }>(data, path, 'cluster-id').id;
  },
} as const;
