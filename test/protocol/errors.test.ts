// The error-code table: every Kafka 3.9 code from -1 to 127 exactly once, names and retriable flags as in
// Kafka, and agreement with the typed KafkaError classes services throw.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as kafkaErrors from '../../src/common/kafka-error';
import { ErrorCode, allErrorInfos, errorInfo } from '../../src/protocol/errors';

test('codes -1..127 each appear exactly once, with unique names', () => {
  const infos = allErrorInfos();
  assert.deepEqual(infos.map((i) => i.code), Array.from({ length: 129 }, (_, i) => i - 1));
  assert.equal(new Set(infos.map((i) => i.name)).size, infos.length);
  for (const i of infos) {
    assert.match(i.name, /^[A-Z][A-Z_]+$/);
    assert.equal((ErrorCode as Record<string, number>)[i.name], i.code);
    if (i.code !== 0) assert.ok(i.message.length > 10, `${i.name} has a message`);
  }
});

test('well-known codes, names and retriable flags', () => {
  assert.equal(ErrorCode.NONE, 0);
  assert.equal(ErrorCode.UNKNOWN_SERVER_ERROR, -1);
  assert.equal(ErrorCode.OFFSET_OUT_OF_RANGE, 1);
  assert.equal(ErrorCode.NOT_LEADER_OR_FOLLOWER, 6);
  assert.equal(ErrorCode.UNSUPPORTED_VERSION, 35);
  assert.equal(ErrorCode.TOPIC_ALREADY_EXISTS, 36);
  assert.equal(ErrorCode.NOT_CONTROLLER, 41);
  assert.equal(ErrorCode.STALE_BROKER_EPOCH, 77);
  assert.equal(ErrorCode.UNKNOWN_TOPIC_ID, 100);
  assert.equal(ErrorCode.TRANSACTION_ABORTABLE, 120);
  assert.equal(ErrorCode.VOTER_NOT_FOUND, 127);
  const retriable = [2, 3, 5, 6, 7, 9, 13, 14, 15, 16, 19, 20, 41, 51, 56, 70, 71, 72, 74, 75, 78, 80, 83, 84, 88, 89, 100, 103, 106, 122, 123];
  for (const i of allErrorInfos()) assert.equal(i.retriable, retriable.includes(i.code), i.name);
  assert.deepEqual(errorInfo(35), { code: 35, name: 'UNSUPPORTED_VERSION', retriable: false, message: 'The version of API is not supported.' });
});

test('unknown codes are reported as UNKNOWN, not retriable', () => {
  const i = errorInfo(4242);
  assert.equal(i.code, 4242);
  assert.equal(i.name, 'UNKNOWN');
  assert.equal(i.retriable, false);
});

test('the typed KafkaError classes agree with the table', () => {
  let checked = 0;
  for (const [name, cls] of Object.entries(kafkaErrors)) {
    if (name === 'KafkaError' || typeof cls !== 'function') continue;
    const err = new (cls as new (m: string) => kafkaErrors.KafkaError)('x');
    if (!(err instanceof kafkaErrors.KafkaError)) continue;
    assert.equal(err.retriable, errorInfo(err.code).retriable, `${name} (code ${err.code})`);
    assert.notEqual(errorInfo(err.code).name, 'UNKNOWN', name);
    checked++;
  }
  assert.ok(checked > 10);
});
