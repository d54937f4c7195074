/**
 * What the Admin operations (admin.ts and its admin-*.ts companions) share: the client and the
 * operation timeout they run with (default.api.timeout.ms), retries of retriable errors with a
 * metadata refresh in between, requests to the active controller that follow it when it moves
 * (NOT_CONTROLLER at the top level of a response), and per-item errors as KafkaResponseError — as
 * Kafka's KafkaAdminClient completes each item's future with the exception of its error code.
 */

import { ErrorCode } from '../protocol';
import type { BrokerConnection } from './broker-connection';
import { KafkaResponseError, isRetriable } from './client-errors';
import type { KafkaClient } from './kafka-client';

/** The client and the default operation timeout an Admin's operations share. */
export interface AdminContext {
  readonly client: KafkaClient;
  /** default.api.timeout.ms: the overall time an operation may take with its retries. */
  readonly defaultApiTimeoutMs: number;
}

/** The per-item error of a response: null for NONE, else a KafkaResponseError with the broker's message. */
export function itemError(code: number, message?: string | null): KafkaResponseError | null {
  return code === ErrorCode.NONE ? null : new KafkaResponseError(code, { message });
}

/** The error given to items a response did not mention (Kafka's admin fails their futures too). */
export function missingResultError(): KafkaResponseError {
  return new KafkaResponseError(ErrorCode.UNKNOWN_SERVER_ERROR, { message: 'No response for this partition' });
}

/**
 * Runs `fn` until it succeeds or fails with a non-retriable error, within `timeoutMs` (default the
 * context's default.api.timeout.ms); Kafka errors refresh the metadata before the next attempt, since
 * they usually mean it is stale (NOT_CONTROLLER, LEADER_NOT_AVAILABLE...).
 */
export function adminRetry<T>(
  ctx: AdminContext,
  fn: () => Promise<T>,
  options: { operation: string; timeoutMs?: number },
): Promise<T> {
  return ctx.client.retry(fn, {
    timeoutMs: options.timeoutMs ?? ctx.defaultApiTimeoutMs,
    operation: options.operation,
    retriable: isRetriable,
    onRetry: async (err) => {
      if (err instanceof KafkaResponseError) await ctx.client.fetchMetadata([]).catch(() => undefined);
    },
  });
}

/**
 * Sends a request to the active controller with retries; a response whose top-level error is
 * NOT_CONTROLLER (the controller moved between Metadata and the request) is sent again to the new one.
 */
export function controllerRequest<T extends { errorCode: number }>(
  ctx: AdminContext,
  send: (conn: BrokerConnection) => Promise<T>,
  options: { operation: string; timeoutMs?: number },
): Promise<T> {
  return adminRetry(
    ctx,
    async () => {
      const response = await send(await ctx.client.controllerConnection());
      if (response.errorCode === ErrorCode.NOT_CONTROLLER) throw new KafkaResponseError(ErrorCode.NOT_CONTROLLER);
      return response;
    },
    options,
  );
}

/** Groups items by a key, keeping the first-seen order of keys and of items within a key. */
export function groupBy<T, K>(items: readonly T[], keyOf: (item: T) => K): Map<K, T[]> {
  const out = new Map<K, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const list = out.get(key);
    if (list) list.push(item);
    else out.set(key, [item]);
  }
  return out;
}

/**
 * A controller request about topics answered per topic (CreateTopics, DeleteTopics, CreatePartitions):
 * topics answered NOT_CONTROLLER (the controller moved between Metadata and the request) are sent again,
 * to the new controller, until the operation times out; the other answers are kept, by topic name.
 */
export async function perTopicControllerCall<T, R extends { name: string; errorCode: number }>(
  ctx: AdminContext,
  topics: readonly T[],
  call: { nameOf: (topic: T) => string; send: (conn: BrokerConnection, pending: T[]) => Promise<R[]>; operation: string; timeoutMs: number },
): Promise<Map<string, R>> {
  const answers = new Map<string, R>();
  let pending = [...topics];
  await ctx.client.retry(
    async () => {
      const results = await call.send(await ctx.client.controllerConnection(), pending);
      const retry: T[] = [];
      for (const r of results) {
        const wanted = pending.find((t) => call.nameOf(t) === r.name);
        if (r.errorCode === ErrorCode.NOT_CONTROLLER && wanted !== undefined) retry.push(wanted);
        else answers.set(r.name, r);
      }
      pending = retry;
      if (pending.length > 0) throw new KafkaResponseError(ErrorCode.NOT_CONTROLLER);
    },
    { timeoutMs: call.timeoutMs, operation: call.operation },
  );
  return answers;
}

/** The error of a topic a response did not mention. */
export function noTopicResultError(): KafkaResponseError {
  return new KafkaResponseError(ErrorCode.UNKNOWN_SERVER_ERROR, { message: 'No result in the response' });
}
