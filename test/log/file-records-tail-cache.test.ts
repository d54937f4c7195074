// FileRecords' tail cache: reads of recently appended bytes come from memory and are the same bytes as
// the file holds; truncation and the size bound cut the cache; dropTailCache and reads outside it go to
// the file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FileRecords } from '../../src/log/file-records';

function filled(length: number, seed: number): Buffer {
  // Its own ArrayBuffer (not the shared pool), so that "same .buffer" means "a view of it".
  const b = Buffer.allocUnsafeSlow(length);
  for (let i = 0; i < length; i++) b[i] = (seed * 31 + i * 7) & 0xff;
  return b;
}

async function withFile(fn: (file: string) => Promise<void>): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ts-kafka-tail-'));
  try {
    await fn(path.join(dir, '00000000000000000000.log'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test('reads inside the cached tail equal the file bytes, within one append and across appends', async () => {
  await withFile(async (file) => {
    const records = await FileRecords.create(file, { tailCacheBytes: 1000 });
    const parts = [filled(300, 1), filled(200, 2), filled(400, 3)];
    for (const p of parts) await records.append(p);
    const onDisk = fs.readFileSync(file);
    assert.equal(onDisk.length, 900);
    for (const [position, length] of [[0, 300], [10, 50], [300, 200], [250, 300], [0, 900], [899, 1], [450, 450]] as const) {
      assert.deepEqual(await records.read(position, length), onDisk.subarray(position, position + length), `read(${position}, ${length})`);
    }
    // A read inside one appended buffer is a view of it, not a copy.
    const slice = await records.read(310, 20);
    assert.equal(slice.buffer, parts[1]!.buffer);
    await records.close();
  });
});

test('the size bound evicts the oldest appends; older bytes are read from the file', async () => {
  await withFile(async (file) => {
    const records = await FileRecords.create(file, { tailCacheBytes: 500 });
    const parts = [filled(300, 4), filled(300, 5), filled(100, 6)];
    for (const p of parts) await records.append(p);
    const onDisk = fs.readFileSync(file);
    const first = await records.read(0, 300);
    assert.deepEqual(first, onDisk.subarray(0, 300));
    assert.notEqual(first.buffer, parts[0]!.buffer, 'evicted: read from the file');
    const latest = await records.read(300, 300);
    assert.equal(latest.buffer, parts[1]!.buffer, 'still cached');
    // An append larger than the bound is not cached at all.
    const big = filled(600, 7);
    await records.append(big);
    const read = await records.read(700, 600);
    assert.deepEqual(read, big);
    assert.notEqual(read.buffer, big.buffer);
    await records.close();
  });
});

test('truncation cuts the cached tail, and appends after it are read back correctly', async () => {
  await withFile(async (file) => {
    const records = await FileRecords.create(file, { tailCacheBytes: 10_000 });
    await records.append(filled(300, 8));
    await records.append(filled(300, 9));
    await records.truncateTo(450);
    const replacement = filled(200, 10);
    await records.append(replacement);
    const onDisk = fs.readFileSync(file);
    assert.equal(onDisk.length, 650);
    assert.deepEqual(await records.read(0, 650), onDisk);
    assert.deepEqual(await records.read(400, 100), onDisk.subarray(400, 500));
    await records.truncateTo(100);
    assert.deepEqual(await records.read(0, 100), fs.readFileSync(file));
    await records.close();
  });
});

test('dropTailCache sends reads to the file; tailCacheBytes 0 caches nothing', async () => {
  await withFile(async (file) => {
    const records = await FileRecords.create(file);
    const data = filled(100, 11);
    await records.append(data);
    assert.equal((await records.read(0, 100)).buffer, data.buffer);
    records.dropTailCache();
    const fromFile = await records.read(0, 100);
    assert.deepEqual(fromFile, data);
    assert.notEqual(fromFile.buffer, data.buffer);
    await records.close();
  });
  await withFile(async (file) => {
    const records = await FileRecords.create(file, { tailCacheBytes: 0 });
    const data = filled(100, 12);
    await records.append(data);
    const read = await records.read(0, 100);
    assert.deepEqual(read, data);
    assert.notEqual(read.buffer, data.buffer);
    await records.close();
  });
});

test('cachedView is a view of the append holding the position, cut at the limit', async () => {
  await withFile(async (file) => {
    const records = await FileRecords.create(file, { tailCacheBytes: 1000 });
    const a = filled(300, 13);
    const b = filled(200, 14);
    await records.append(a);
    await records.append(b);
    const view = records.cachedView(350, 500)!;
    assert.equal(view.buffer, b.buffer);
    assert.deepEqual(view, b.subarray(50));
    assert.deepEqual(records.cachedView(10, 100), a.subarray(10, 100));
    assert.equal(records.cachedView(500, 500), undefined, 'the end of the data');
    records.dropTailCache();
    assert.equal(records.cachedView(10, 100), undefined);
    await records.close();
  });
});
