/**
 * DeleteTopics (key 20), versions 0-6 (flexible from v4, error messages from v5, topic ids from v6). Served
 * by the active controller only. The topic is marked under /admin/delete_topics; the controller does the
 * rest, and the response waits until the topic has left this broker's metadata cache or the timeout passes.
 * With delete.topic.enable=false the answer is TOPIC_DELETION_DISABLED (INVALID_REQUEST before v3).
 */
import { ApiKeys, ErrorCode } from '../../protocol';
import { defineHandler } from '../api-handler';
import type { BrokerServices } from '../broker-services';
import { ZERO_UUID } from '../../metadata/metadata-cache';

export function deleteTopicsHandler(broker: BrokerServices) {
  return defineHandler({
    apiKey: ApiKeys.DeleteTopics,
    minVersion: 0,
    maxVersion: 6,
    async handle(request, ctx) {
      const version = ctx.header.apiVersion;
      const cache = broker.metadataCache;
      type Out = { name: string | null; topicId: string; errorCode: number; errorMessage: string | null };
      const responses: Out[] = [];
      const wanted: { name: string; out: Out }[] = [];
      const entries: { name: string | null; topicId: string }[] =
        version >= 6 ? request.topics.map((t) => ({ name: t.name, topicId: t.topicId })) : request.topicNames.map((n) => ({ name: n, topicId: ZERO_UUID }));
      for (const e of entries) {
        const out: Out = { name: e.name, topicId: e.topicId, errorCode: ErrorCode.NONE, errorMessage: null };
        responses.push(out);
        if (!broker.isActiveController()) {
          out.errorCode = ErrorCode.NOT_CONTROLLER;
          continue;
        }
        if (!broker.config.deleteTopicEnable) {
          out.errorCode = version < 3 ? ErrorCode.INVALID_REQUEST : ErrorCode.TOPIC_DELETION_DISABLED;
          continue;
        }
        let name = e.name;
        if (name === null || name === '') {
          if (e.topicId === ZERO_UUID) {
            out.errorCode = ErrorCode.INVALID_REQUEST;
            out.errorMessage = 'Neither topic name nor id were specified.';
            continue;
          }
          name = cache.topicName(e.topicId) ?? null;
          if (name === null) {
            out.errorCode = ErrorCode.UNKNOWN_TOPIC_ID;
            continue;
          }
          out.name = name;
        } else if (e.topicId !== ZERO_UUID) {
          out.errorCode = ErrorCode.INVALID_REQUEST;
          out.errorMessage = 'You may not specify both topic name and topic id.';
          continue;
        }
        if (!cache.contains(name)) {
          out.errorCode = ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
          out.errorMessage = 'This server does not host this topic-partition.';
          continue;
        }
        out.topicId = cache.topicId(name);
        wanted.push({ name, out });
      }
      if (wanted.length > 0) {
        const results = await broker.adminManager.deleteTopics(
          wanted.map((w) => w.name),
          request.timeoutMs,
        );
        for (const w of wanted) {
          const r = results.get(w.name);
          if (r) {
            w.out.errorCode = r.errorCode;
            w.out.errorMessage = r.errorMessage;
          }
        }
      }
      return { throttleTimeMs: 0, responses };
    },
  });
}
