// Metadata handler edge cases found by the protocol fuzz test: an empty topic name with the zero topic id
// is an invalid topic name (INVALID_TOPIC_EXCEPTION, as Kafka's Topic.validate), not a lookup by id whose
// null name could not be written in versions before 12 (which closed the connection).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiKeys, ErrorCode } from '../../../src/protocol';
import { metadataHandler } from '../../../src/server/handlers/metadata';
import { MetadataCache, ZERO_UUID } from '../../../src/metadata/metadata-cache';
import { brokerWith, contextFor } from './handler-support';

const broker = brokerWith({
  metadataCache: new MetadataCache(0),
  clusterId: 'c',
  config: { autoCreateTopicsEnable: false },
});

for (const version of [1, 9, 10, 11, 12]) {
  test(`Metadata v${version}: topic "" is INVALID_TOPIC_EXCEPTION under its own name`, async () => {
    const res = await metadataHandler(broker).handle(
      { topics: [{ name: '', topicId: ZERO_UUID }], allowAutoTopicCreation: true, includeTopicAuthorizedOperations: false } as never,
      contextFor(ApiKeys.Metadata, version),
    );
    assert.deepEqual(res!.topics!.map((t) => [t.name, t.errorCode]), [['', ErrorCode.INVALID_TOPIC_EXCEPTION]]);
  });
}

test('Metadata v12: a null name with an unknown topic id is UNKNOWN_TOPIC_ID', async () => {
  const res = await metadataHandler(broker).handle(
    { topics: [{ name: null, topicId: 'AQIDBAUGBwgJCgsMDQ4PEA' }], allowAutoTopicCreation: false, includeTopicAuthorizedOperations: false } as never,
    contextFor(ApiKeys.Metadata, 12),
  );
  assert.deepEqual(res!.topics!.map((t) => [t.name, t.errorCode]), [[null, ErrorCode.UNKNOWN_TOPIC_ID]]);
});
