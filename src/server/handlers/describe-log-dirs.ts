/**
 * DescribeLogDirs (key 35), versions 0-4 (flexible from v2; v3 adds the top-level ErrorCode, v4 the log
 * dirs' TotalBytes and UsableBytes, KIP-827): this broker's log dirs with the size and offset lag of the
 * partitions asked for (Topics null: every partition it holds). See replica/describe-log-dirs.ts.
 */
import { ApiKeys, ErrorCode } from '../../protocol';
import { defineHandler } from '../api-handler';
import type { BrokerServices } from '../broker-services';

export function describeLogDirsHandler(broker: BrokerServices) {
  return defineHandler({
    apiKey: ApiKeys.DescribeLogDirs,
    minVersion: 0,
    maxVersion: 4,
    async handle(request) {
      const wanted =
        request.topics === null ? null : new Set(request.topics.flatMap((t) => t.partitions.map((p) => `${t.topic}-${p}`)));
      const results = await broker.replicaManager.describeLogDirs(wanted);
      return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, results };
    },
  });
}
