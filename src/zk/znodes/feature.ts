/**
 * /feature (Kafka's FeatureZNode): cluster-wide finalized features (KIP-584).
 *
 * v2 (IBP >= 3.3): {"features":{},"version":2,"status":1} with entries "<name>":{"max_version_level":n};
 * v1 entries also carried min_version_level. status 1 = enabled, 0 = disabled. A 3.9 ZooKeeper cluster
 * finalizes no features. Kafka fills a Scala 2.13 mutable.HashMap (hence the fixed key order) and the feature
 * map is an immutable Map. The node's dataVersion is the FinalizedFeaturesEpoch reported in ApiVersions.
 */
import { ZNodeDecodeError } from '../zk-errors';
import { scala213ImmutableMapOrder } from './key-order';
import { jsonObject, parseZNodeJson, toJsonBytes } from './znode-json';

/** FeatureZNodeStatus. */
export const FeatureZNodeStatus = {
  Disabled: 0,
  Enabled: 1,
} as const;
export type FeatureZNodeStatus = (typeof FeatureZNodeStatus)[keyof typeof FeatureZNodeStatus];

/** The contents of /feature. */
export interface FeatureZNodeContents {
  readonly version: 1 | 2;
  readonly status: FeatureZNodeStatus;
  /** Feature name → finalized max version level. */
  readonly features: ReadonlyMap<string, number>;
}

interface FeatureJson {
  version: 1 | 2;
  status: 0 | 1;
  features: Record<string, { min_version_level?: number; max_version_level: number }>;
}

export const FeatureZNode = {
  path: (): string => '/feature',

  encode(contents: FeatureZNodeContents): Buffer {
    const names = scala213ImmutableMapOrder([...contents.features.keys()]);
    const features = jsonObject(
      ...names.map((name) => {
        const level = contents.features.get(name)!;
        return [
          name,
          contents.version === 1
            ? jsonObject(['max_version_level', level], ['min_version_level', level])
            : jsonObject(['max_version_level', level]),
        ] as const;
      }),
    );
    return toJsonBytes(jsonObject(['features', features], ['version', contents.version], ['status', contents.status]));
  },

  /** @throws ZNodeDecodeError naming the path (also for v1 entries with min > max) */
  decode(data: Buffer, path: string = FeatureZNode.path()): FeatureZNodeContents {
    const json = parseZNodeJson<FeatureJson>(data, path, 'feature');
    const features = new Map<string, number>();
    for (const [name, levels] of Object.entries(json.features)) {
      if (levels.min_version_level !== undefined && levels.max_version_level < levels.min_version_level) {
        throw new ZNodeDecodeError(path, `znode ${path}: feature ${name} has max_version_level < min_version_level`);
      }
      features.set(name, levels.max_version_level);
    }
    return { version: json.version, status: json.status, features };
  },
} as const;
