// Request and response framing: headers plus bodies, on top of the schema interpreter.
//
// Header versions follow Kafka 3.9: a request uses header v2 when its version is flexible, otherwise v1,
// and ControlledShutdown v0 uses header v0 (no client id); a response uses header v1 when flexible, v0
// otherwise, and ApiVersions responses always use v0 (KIP-511) so a client can read the reply to a version
// the broker does not know. Frames handed to the decoders exclude the 4-byte size prefix; the encoders
// include it and return chunks ready for socket.writev (records fields stay separate, uncopied Buffers).

import type { ApiDefinition } from './definition';
import type { MessageData, MessageInput } from './data-types';
import { ApiDefinitions } from './messages/index';
import { RequestHeaderDefinition } from './messages/request-header';
import { ResponseHeaderDefinition } from './messages/response-header';
import { ProtocolDecodeError, UnsupportedApiVersionError } from './protocol-errors';
import { ByteReader } from './reader';
import { messagePlan } from './schema';
import { parseVersionRange, rangeContains, type VersionRange } from './versions';
import { ByteWriter } from './writer';

/** An api key this project has a definition for. */
export type ApiKey = keyof typeof ApiDefinitions;

/** The definition of an api key. */
export type ApiDefinitionOf<K extends ApiKey> = (typeof ApiDefinitions)[K];

/** The decoded request of an api key (version-agnostic: absent fields hold defaults). */
export type RequestOf<K extends ApiKey> = MessageData<ApiDefinitionOf<K>['request']>;

/** The decoded response of an api key. */
export type ResponseOf<K extends ApiKey> = MessageData<ApiDefinitionOf<K>['response']>;

/** What encodeRequest accepts as the body for an api key (missing fields take defaults). */
export type RequestInputOf<K extends ApiKey> = MessageInput<ApiDefinitionOf<K>['request']>;

/** What encodeResponse accepts as the body for an api key (missing fields take defaults). */
export type ResponseInputOf<K extends ApiKey> = MessageInput<ApiDefinitionOf<K>['response']>;

/** The fields of a request header that matter to the broker. */
export interface RequestHeader {
  apiKey: number;
  apiVersion: number;
  correlationId: number;
  /** Null when the client sends a null id; "" (Kafka's default) in header v0, which has none. */
  clientId: string | null;
}

const API_VERSIONS_KEY = 18;
const CONTROLLED_SHUTDOWN_KEY = 7;

interface ApiRanges {
  readonly valid: VersionRange;
  readonly flexible: VersionRange;
}

const RANGES: ReadonlyMap<number, ApiRanges> = new Map(
  (Object.values(ApiDefinitions) as ApiDefinition[]).map((d) => [
    d.apiKey,
    { valid: parseVersionRange(d.request.validVersions), flexible: parseVersionRange(d.request.flexibleVersions) },
  ]),
);

/** The definition of `apiKey`, or undefined if we have none. */
export function apiDefinition(apiKey: number): ApiDefinition | undefined {
  return (ApiDefinitions as Readonly<Record<number, ApiDefinition>>)[apiKey];
}

/** True if we have a definition for `apiKey`. */
export function isDefinedApiKey(apiKey: number): apiKey is ApiKey {
  return RANGES.has(apiKey);
}

/** The version range our definitions know for `apiKey` (what we can decode), or undefined. */
export function supportedVersions(apiKey: number): { min: number; max: number } | undefined {
  const r = RANGES.get(apiKey);
  return r === undefined ? undefined : { min: r.valid.min, max: r.valid.max };
}

/**
 * The request header version of a request: 2 if the version is flexible, else 1; ControlledShutdown v0
 * uses 0. For an api key we do not define, 1 (enough to read the client id and answer). For a version
 * beyond our range the API's open flexible range still applies, as in Kafka.
 */
export function requestHeaderVersion(apiKey: number, apiVersion: number): 0 | 1 | 2 {
  if (apiKey === CONTROLLED_SHUTDOWN_KEY && apiVersion === 0) return 0;
  const r = RANGES.get(apiKey);
  return r !== undefined && rangeContains(r.flexible, apiVersion) ? 2 : 1;
}

/** The response header version: 1 if the version is flexible, else 0; ApiVersions always 0 (KIP-511). */
export function responseHeaderVersion(apiKey: number, apiVersion: number): 0 | 1 {
  if (apiKey === API_VERSIONS_KEY) return 0;
  const r = RANGES.get(apiKey);
  return r !== undefined && rangeContains(r.flexible, apiVersion) ? 1 : 0;
}

function checkVersion(apiKey: number, version: number): ApiDefinition {
  const def = apiDefinition(apiKey);
  const r = RANGES.get(apiKey);
  if (def === undefined || r === undefined || !Number.isInteger(version) || !rangeContains(r.valid, version)) {
    throw new UnsupportedApiVersionError(apiKey, version);
  }
  return def;
}

/**
 * Decodes the header of one request frame (without its size prefix). Works for any api key and version,
 * known or not, so the server can still answer UNSUPPORTED_VERSION or log who sent what.
 */
export function decodeRequestHeader(frame: Buffer): { header: RequestHeader; bodyOffset: number } {
  if (frame.length < 8) {
    throw new ProtocolDecodeError(`Request frame of ${frame.length} bytes is shorter than a request header`, { offset: 0 });
  }
  const apiKey = frame.readInt16BE(0);
  const apiVersion = frame.readInt16BE(2);
  const reader = new ByteReader(frame);
  const h = messagePlan(RequestHeaderDefinition, requestHeaderVersion(apiKey, apiVersion)).decode(reader);
  return {
    header: { apiKey, apiVersion, correlationId: h.correlationId as number, clientId: h.clientId as string | null },
    bodyOffset: reader.offset,
  };
}

/**
 * Decodes the body of a request of `apiKey` at `version`, starting at `offset` in `frame` (the bodyOffset
 * returned by decodeRequestHeader). Bytes and records fields are slices of `frame`.
 * Throws UnsupportedApiVersionError for a version outside our definitions, ProtocolDecodeError for bad bytes.
 */
export function decodeRequest<K extends ApiKey>(apiKey: K, version: number, frame: Buffer, offset: number): RequestOf<K> {
  const def = checkVersion(apiKey, version);
  const reader = new ByteReader(frame, { offset });
  return messagePlan(def.request, version).decode(reader) as RequestOf<K>;
}

/**
 * Encodes a response: 4-byte size prefix, response header, body. Returns the chunks for socket.writev;
 * records fields given as Buffers (or lists of Buffers) are separate chunks, not copies.
 */
export function encodeResponse<K extends ApiKey>(
  apiKey: K,
  version: number,
  correlationId: number,
  body: ResponseInputOf<K>,
): Buffer[] {
  const def = checkVersion(apiKey, version);
  const w = new ByteWriter();
  const size = w.reserveInt32();
  messagePlan(ResponseHeaderDefinition, responseHeaderVersion(apiKey, version)).encode(w, { correlationId });
  messagePlan(def.response, version).encode(w, body as Record<string, unknown>);
  w.patchInt32(size, w.length - 4);
  return w.finish();
}

/** Encodes a request (size prefix, header, body), for our own clients and the controller channel. */
export function encodeRequest<K extends ApiKey>(header: RequestHeader & { apiKey: K }, body: RequestInputOf<K>): Buffer[] {
  const { apiKey, apiVersion } = header;
  const def = checkVersion(apiKey, apiVersion);
  const w = new ByteWriter();
  const size = w.reserveInt32();
  messagePlan(RequestHeaderDefinition, requestHeaderVersion(apiKey, apiVersion)).encode(w, {
    requestApiKey: apiKey,
    requestApiVersion: apiVersion,
    correlationId: header.correlationId,
    clientId: header.clientId,
  });
  messagePlan(def.request, apiVersion).encode(w, body as Record<string, unknown>);
  w.patchInt32(size, w.length - 4);
  return w.finish();
}

/** Decodes a response frame (without its size prefix) to a request of `apiKey` at `version`. */
export function decodeResponse<K extends ApiKey>(
  apiKey: K,
  version: number,
  frame: Buffer,
): { correlationId: number; body: ResponseOf<K> } {
  const def = checkVersion(apiKey, version);
  const reader = new ByteReader(frame);
  const h = messagePlan(ResponseHeaderDefinition, responseHeaderVersion(apiKey, version)).decode(reader);
  const body = messagePlan(def.response, version).decode(reader) as ResponseOf<K>;
  return { correlationId: h.correlationId as number, body };
}
