import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { formatCheckpoint, OffsetCheckpointFile, parseCheckpoint } from '../../src/log/checkpoint-file';
import { CheckpointFileError } from '../../src/log/log-errors';
import { tempDir } from './helpers';

test('checkpoint files use Kafka\'s text format: version, count, one "topic partition offset" line each', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const file = new OffsetCheckpointFile(path.join(dir, 'recovery-point-offset-checkpoint'));
    await file.write([
      { topic: 'orders', partition: 0, offset: 42 },
      { topic: 'my-topic.v2', partition: 11, offset: 9007199254740991 },
    ]);
    assert.equal(await readFile(file.file, 'utf8'), '0\n2\norders 0 42\nmy-topic.v2 11 9007199254740991\n');
    assert.deepEqual(await readdir(dir), ['recovery-point-offset-checkpoint'], 'the .tmp file is renamed away');
    assert.deepEqual([...(await file.readMap())], [
      ['orders-0', 42],
      ['my-topic.v2-11', 9007199254740991],
    ]);
    await file.write([]);
    assert.equal(await readFile(file.file, 'utf8'), '0\n0\n');
  } finally {
    await cleanup();
  }
});

test('missing and empty checkpoint files read as empty', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    assert.deepEqual(await new OffsetCheckpointFile(path.join(dir, 'nope')).read(), []);
    await writeFile(path.join(dir, 'empty'), '');
    assert.deepEqual(await new OffsetCheckpointFile(path.join(dir, 'empty')).read(), []);
  } finally {
    await cleanup();
  }
});

test('malformed checkpoint files are rejected with the file named', () => {
  assert.throws(() => parseCheckpoint('1\n0\n', '/x/cp'), (e: unknown) => e instanceof CheckpointFileError && /Unrecognized version.*\/x\/cp/.test(e.message));
  assert.throws(() => parseCheckpoint('0\n2\nt 0 1\n', '/x/cp'), /Expected 2 entries/);
  assert.throws(() => parseCheckpoint('0\n1\nt zero 1\n', '/x/cp'), /Malformed line in checkpoint file \(\/x\/cp\)/);
  assert.equal(formatCheckpoint([{ topic: 'a', partition: 1, offset: 2 }]), '0\n1\na 1 2\n');
});
