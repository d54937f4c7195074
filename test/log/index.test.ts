import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { OffsetIndex } from '../../src/log/offset-index';
import { TimeIndex } from '../../src/log/time-index';
import { CorruptIndexError, InvalidIndexOffsetError } from '../../src/log/log-errors';
import { tempDir } from './helpers';

test('offset index stores 8-byte relative entries and finds the largest entry <= target', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const file = path.join(dir, '00000000000000000100.index');
    const index = await OffsetIndex.create(file, 100, { maxIndexSize: 1024 });
    await index.append(104, 0);
    await index.append(110, 4096);
    await index.append(120, 8200);
    assert.equal((await readFile(file)).length, 0, 'entries are written in groups, like mmap write-back');
    assert.deepEqual(await index.lookup(115), { offset: 110, position: 4096 });
    await index.flush();
    assert.deepEqual(
      [...(await readFile(file))],
      [0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 10, 0, 0, 0x10, 0, 0, 0, 0, 20, 0, 0, 0x20, 0x08],
    );
    assert.deepEqual(await index.lookup(99), { offset: 100, position: 0 });
    assert.deepEqual(await index.lookup(104), { offset: 104, position: 0 });
    assert.deepEqual(await index.lookup(115), { offset: 110, position: 4096 });
    assert.deepEqual(await index.lookup(10_000), { offset: 120, position: 8200 });
    await assert.rejects(index.append(120, 9000), InvalidIndexOffsetError);

    const reopened = await OffsetIndex.open(file, 100, { maxIndexSize: 1024, logSize: 10_000 });
    assert.equal(reopened.entries, 3);
    assert.deepEqual(reopened.lastEntry, { offset: 120, position: 8200 });
    assert.deepEqual(await reopened.lookup(111), { offset: 110, position: 4096 });

    await reopened.truncateTo(110);
    assert.equal(reopened.entries, 1);
    assert.equal((await readFile(file)).length, 8);
    assert.deepEqual(reopened.lastEntry, { offset: 104, position: 0 });
    await index.close();
    await reopened.close();
  } finally {
    await cleanup();
  }
});

test('index entries reach the file every 64 entries and on flush', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const file = path.join(dir, 'b.index');
    const index = await OffsetIndex.create(file, 0, { maxIndexSize: 1 << 20 });
    for (let i = 0; i < 70; i++) await index.append(i, i * 10);
    assert.equal((await readFile(file)).length, 64 * 8);
    await index.truncateTo(60);
    assert.equal((await readFile(file)).length, 60 * 8);
    await index.append(60, 600);
    await index.flush();
    assert.equal((await readFile(file)).length, 61 * 8);
    const reopened = await OffsetIndex.open(file, 0, { maxIndexSize: 1 << 20, logSize: 1000 });
    assert.deepEqual(await reopened.lookup(65), { offset: 60, position: 600 });
    await index.close();
  } finally {
    await cleanup();
  }
});

test('offset index is full at segment.index.bytes / 8 entries', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const index = await OffsetIndex.create(path.join(dir, 'a.index'), 0, { maxIndexSize: 24 });
    for (let i = 0; i < 3; i++) await index.append(i, i * 100);
    assert.equal(index.isFull(), true);
    await assert.rejects(index.append(5, 500), InvalidIndexOffsetError);
  } finally {
    await cleanup();
  }
});

test('corrupt offset index files are detected on open', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const file = path.join(dir, 'a.index');
    await writeFile(file, Buffer.alloc(7));
    await assert.rejects(OffsetIndex.open(file, 0, { maxIndexSize: 1024, logSize: 100 }), CorruptIndexError);
    const beyond = Buffer.alloc(8);
    beyond.writeInt32BE(5, 0);
    beyond.writeInt32BE(5000, 4);
    await writeFile(file, beyond);
    await assert.rejects(OffsetIndex.open(file, 0, { maxIndexSize: 1024, logSize: 100 }), CorruptIndexError);
    await assert.rejects(OffsetIndex.open(path.join(dir, 'missing.index'), 0, { maxIndexSize: 1024, logSize: 0 }), { code: 'ENOENT' });
  } finally {
    await cleanup();
  }
});

test('time index keeps 12-byte entries increasing in timestamp', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const file = path.join(dir, '00000000000000000050.timeindex');
    const index = await TimeIndex.create(file, 50, { maxIndexSize: 1200 });
    await index.maybeAppend(1000, 55);
    await index.maybeAppend(900, 60); // not larger: ignored
    await index.maybeAppend(2000, 70);
    await assert.rejects(index.maybeAppend(3000, 65), InvalidIndexOffsetError);
    await index.close();
    const bytes = await readFile(file);
    assert.equal(bytes.length, 24);
    assert.equal(Number(bytes.readBigInt64BE(0)), 1000);
    assert.equal(bytes.readInt32BE(8), 5);
    assert.equal(Number(bytes.readBigInt64BE(12)), 2000);
    assert.equal(bytes.readInt32BE(20), 20);
    assert.deepEqual(await index.lookup(500), { timestamp: -1, offset: 50 });
    assert.deepEqual(await index.lookup(1500), { timestamp: 1000, offset: 55 });
    assert.deepEqual(await index.lookup(2000), { timestamp: 2000, offset: 70 });

    const reopened = await TimeIndex.open(file, 50, { maxIndexSize: 1200 });
    assert.deepEqual(reopened.lastEntry, { timestamp: 2000, offset: 70 });
    await reopened.truncateTo(60);
    assert.deepEqual(reopened.lastEntry, { timestamp: 1000, offset: 55 });
    assert.equal((await readFile(file)).length, 12);

    const decreasing = Buffer.alloc(24);
    decreasing.writeBigInt64BE(5000n, 0);
    decreasing.writeBigInt64BE(10n, 12);
    await writeFile(file, decreasing);
    await assert.rejects(TimeIndex.open(file, 50, { maxIndexSize: 1200 }), CorruptIndexError);
  } finally {
    await cleanup();
  }
});
