/**
 * The contract between the request dispatcher and the one-file-per-API handlers in ./handlers.
 *
 * A handler declares the API key and the version range it serves (ApiVersions is built from these
 * declarations, so the broker never advertises what it does not do), receives the decoded,
 * version-agnostic request and returns the response body — or null when no response is sent
 * (Produce with acks=0). Kafka errors are response data; a thrown error means the request could not be
 * served at all and the connection is closed with a logged reason.
 */
import type { ApiKey, RequestHeader, RequestOf, ResponseInputOf } from '../protocol';
import type { KafkaChannel } from '../network/kafka-channel';

export interface RequestContext {
  header: RequestHeader;
  channel: KafkaChannel;
  /** Listener the request arrived on (decides which endpoints Metadata returns). */
  listenerName: string;
}

export interface ApiHandler<K extends ApiKey = ApiKey> {
  readonly apiKey: K;
  readonly minVersion: number;
  readonly maxVersion: number;
  handle(request: RequestOf<K>, ctx: RequestContext): Promise<ResponseInputOf<K> | null> | ResponseInputOf<K> | null;
}

/** Type helper so a handler file gets its request and response types from the api key. */
export function defineHandler<K extends ApiKey>(handler: ApiHandler<K>): ApiHandler<K> {
  return handler;
}
