/**
 * The Admin config operations: DescribeConfigs v0-4, IncrementalAlterConfigs v0-1 (KIP-339: SET,
 * DELETE, APPEND, SUBTRACT per entry) and the legacy AlterConfigs v0-2 (the resource's whole new set).
 * Kafka's Admin routing: a broker or broker-logger resource naming a broker goes to that broker;
 * topic resources and the cluster-wide broker default (empty name) go to any broker. Results are
 * per resource, in the order given, each with a KafkaResponseError when it failed.
 */

import { AlterConfigOpType, ConfigResourceType, ConfigSource } from '../config/config-types';
import { ApiKeys, ErrorCode, type RequestInputOf } from '../protocol';
import { type AdminContext, adminRetry, groupBy, itemError } from './admin-support';
import type { BrokerConnection } from './broker-connection';
import { KafkaResponseError } from './client-errors';

export { AlterConfigOpType, ConfigResourceType, ConfigSource };

/** A config resource: a topic, a broker (by id; "" for the cluster-wide default) or a broker's loggers. */
export interface ConfigResource {
  readonly type: number;
  readonly name: string;
}

/** One config entry of a described resource. */
export interface ConfigEntry {
  name: string;
  value: string | null;
  /** ConfigSource id (UNKNOWN for v0 answers that are not defaults). */
  source: number;
  /** Kafka's ConfigEntry.isDefault(): the value is the built-in default. */
  isDefault: boolean;
  isReadOnly: boolean;
  isSensitive: boolean;
  synonyms: { name: string; value: string | null; source: number }[];
  /** DescribeConfigs v3+ config type id (0 = unknown). */
  type: number;
  documentation: string | null;
}

/** The configs of one resource. */
export interface ConfigResourceResult {
  resourceType: number;
  resourceName: string;
  error: KafkaResponseError | null;
  entries: ConfigEntry[];
}

/** One change of an IncrementalAlterConfigs call (`value` null for DELETE). */
export interface AlterConfigOp {
  readonly name: string;
  readonly op: AlterConfigOpType;
  readonly value: string | null;
}

/** The outcome of altering one resource's configs. */
export interface AlterConfigsResult {
  resourceType: number;
  resourceName: string;
  error: KafkaResponseError | null;
}

/** The broker a resource must be sent to, or -1 for any broker. */
function targetBroker(r: ConfigResource): number {
  const perBroker = r.type === ConfigResourceType.BROKER || r.type === ConfigResourceType.BROKER_LOGGER;
  return perBroker && r.name !== '' ? Number(r.name) : -1;
}

function connectionFor(ctx: AdminContext, broker: number): Promise<BrokerConnection> {
  return broker >= 0 ? ctx.client.connectionTo(broker) : ctx.client.anyConnection();
}

const resourceKey = (type: number, name: string) => `${type}:${name}`;

function noResult(): KafkaResponseError {
  return new KafkaResponseError(ErrorCode.UNKNOWN_SERVER_ERROR, { message: 'No result in the response' });
}

/** DescribeConfigs: per resource its entries (all, or `configNames`), synonyms and docs on request. */
export async function describeConfigs(
  ctx: AdminContext,
  resources: readonly (ConfigResource & { configNames?: readonly string[] })[],
  options?: { includeSynonyms?: boolean; includeDocumentation?: boolean; timeoutMs?: number },
): Promise<ConfigResourceResult[]> {
  const results = new Map<string, ConfigResourceResult>();
  for (const [target, list] of groupBy(resources, targetBroker)) {
    const response = await adminRetry(
      ctx,
      async () => {
        const conn = await connectionFor(ctx, target);
        const version = conn.pickVersion(ApiKeys.DescribeConfigs, 0, 4);
        const request = {
          resources: list.map((r) => ({
            resourceType: r.type,
            resourceName: r.name,
            configurationKeys: r.configNames ? [...r.configNames] : null,
          })),
          includeSynonyms: version >= 1 ? (options?.includeSynonyms ?? false) : false,
          includeDocumentation: version >= 3 ? (options?.includeDocumentation ?? false) : false,
        } as RequestInputOf<typeof ApiKeys.DescribeConfigs>;
        return { version, body: await conn.request(ApiKeys.DescribeConfigs, version, request) };
      },
      { operation: 'describeConfigs', timeoutMs: options?.timeoutMs },
    );
    for (const r of response.body.results) {
      results.set(resourceKey(r.resourceType, r.resourceName), {
        resourceType: r.resourceType,
        resourceName: r.resourceName,
        error: itemError(r.errorCode, r.errorMessage),
        entries: r.configs.map((c) => {
          const source = response.version >= 1 ? c.configSource : c.isDefault ? ConfigSource.DEFAULT_CONFIG : ConfigSource.UNKNOWN;
          return {
            name: c.name,
            value: c.value,
            source,
            isDefault: source === ConfigSource.DEFAULT_CONFIG,
            isReadOnly: c.readOnly,
            isSensitive: c.isSensitive,
            synonyms: c.synonyms.map((s) => ({ name: s.name, value: s.value, source: s.source })),
            type: c.configType,
            documentation: c.documentation,
          };
        }),
      });
    }
  }
  return resources.map(
    (r) =>
      results.get(resourceKey(r.type, r.name)) ?? { resourceType: r.type, resourceName: r.name, error: noResult(), entries: [] },
  );
}

/**
 * Sends one IncrementalAlterConfigs or AlterConfigs request per target broker (each resource's entries
 * built by `entries`) and collects the per-resource errors, in the order given.
 */
async function alterEach<R extends ConfigResource>(
  ctx: AdminContext,
  resources: readonly R[],
  request: {
    apiKey: typeof ApiKeys.IncrementalAlterConfigs | typeof ApiKeys.AlterConfigs;
    maxVersion: number;
    entries: (r: R) => object[];
    validateOnly?: boolean;
    timeoutMs?: number;
    operation: string;
  },
): Promise<AlterConfigsResult[]> {
  const { apiKey } = request;
  const results = new Map<string, AlterConfigsResult>();
  for (const [target, list] of groupBy(resources, targetBroker)) {
    const response = await adminRetry(
      ctx,
      async () => {
        const conn = await connectionFor(ctx, target);
        const body = {
          resources: list.map((r) => ({ resourceType: r.type, resourceName: r.name, configs: request.entries(r) })),
          validateOnly: request.validateOnly ?? false,
        } as RequestInputOf<typeof apiKey>;
        return conn.request(apiKey, conn.pickVersion(apiKey, 0, request.maxVersion), body);
      },
      { operation: request.operation, timeoutMs: request.timeoutMs },
    );
    for (const r of response.responses) {
      results.set(resourceKey(r.resourceType, r.resourceName), {
        resourceType: r.resourceType,
        resourceName: r.resourceName,
        error: itemError(r.errorCode, r.errorMessage),
      });
    }
  }
  return resources.map((r) => results.get(resourceKey(r.type, r.name)) ?? { resourceType: r.type, resourceName: r.name, error: noResult() });
}

/**
 * IncrementalAlterConfigs: applies each resource's operations (SET, DELETE, APPEND, SUBTRACT);
 * `validateOnly` checks them without applying.
 */
export function incrementalAlterConfigs(
  ctx: AdminContext,
  resources: readonly (ConfigResource & { configs: readonly AlterConfigOp[] })[],
  options?: { validateOnly?: boolean; timeoutMs?: number },
): Promise<AlterConfigsResult[]> {
  return alterEach(ctx, resources, {
    apiKey: ApiKeys.IncrementalAlterConfigs,
    maxVersion: 1,
    entries: (r) => r.configs.map((c) => ({ name: c.name, configOperation: c.op, value: c.value })),
    operation: 'incrementalAlterConfigs',
    ...options,
  });
}

/** AlterConfigs (legacy): replaces each resource's dynamic configs with the given set. */
export function alterConfigs(
  ctx: AdminContext,
  resources: readonly (ConfigResource & { configs: readonly { name: string; value: string | null }[] })[],
  options?: { validateOnly?: boolean; timeoutMs?: number },
): Promise<AlterConfigsResult[]> {
  return alterEach(ctx, resources, {
    apiKey: ApiKeys.AlterConfigs,
    maxVersion: 2,
    entries: (r) => r.configs.map((c) => ({ name: c.name, value: c.value })),
    operation: 'alterConfigs',
    ...options,
  });
}
