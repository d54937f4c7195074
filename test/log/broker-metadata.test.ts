import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import {
  checkBrokerMetadata,
  formatMetaProperties,
  readBrokerMetadata,
  readMetaProperties,
  writeBrokerMetadata,
} from '../../src/log/broker-metadata';
import { InconsistentBrokerIdError, InconsistentBrokerMetadataError, InconsistentClusterIdError } from '../../src/log/log-errors';
import { tempDir } from './helpers';

test('meta.properties is written as Kafka writes it', () => {
  const text = formatMetaProperties({ version: 0, brokerId: 3, clusterId: 'Xr9Qr8lVQZ-yR6cBPoMfBA' }, Date.UTC(2026, 10, 20, 23, 49, 53));
  assert.equal(text, '#\n#Fri Nov 20 23:49:53 UTC 2026\ncluster.id=Xr9Qr8lVQZ-yR6cBPoMfBA\nversion=0\nbroker.id=3\n');
});

test('broker metadata is written to every log dir, read back and checked', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const dirs = [path.join(dir, 'a'), path.join(dir, 'b')];
    assert.deepEqual(await readBrokerMetadata(dirs), { brokerId: undefined, clusterId: undefined, files: [] });
    await writeBrokerMetadata(dirs, { brokerId: 7, clusterId: 'cluster-1' });
    for (const d of dirs) assert.deepEqual(await readMetaProperties(d), { version: 0, brokerId: 7, clusterId: 'cluster-1' });
    assert.deepEqual(await readBrokerMetadata(dirs), {
      brokerId: 7,
      clusterId: 'cluster-1',
      files: dirs.map((d) => path.join(d, 'meta.properties')),
    });
    await checkBrokerMetadata(dirs, { brokerId: 7, clusterId: 'cluster-1' });
    await checkBrokerMetadata(dirs, { brokerId: -1, clusterId: 'cluster-1' });

    const file = path.join(dirs[0], 'meta.properties');
    await assert.rejects(
      checkBrokerMetadata(dirs, { brokerId: 8, clusterId: 'cluster-1' }),
      (e: unknown) => e instanceof InconsistentBrokerIdError && e.message.includes(file) && e.message.includes('broker.id 8'),
    );
    await assert.rejects(
      writeBrokerMetadata(dirs, { brokerId: 7, clusterId: 'other' }),
      (e: unknown) => e instanceof InconsistentClusterIdError && e.message.includes(file),
    );
    assert.match(await readFile(file, 'utf8'), /cluster\.id=cluster-1/, 'a refused write leaves the file alone');

    await writeFile(path.join(dirs[1], 'meta.properties'), '#\nversion=0\nbroker.id=9\ncluster.id=cluster-1\n');
    await assert.rejects(
      readBrokerMetadata(dirs),
      (e: unknown) => e instanceof InconsistentBrokerMetadataError && e.message.includes(path.join(dirs[1], 'meta.properties')),
    );
  } finally {
    await cleanup();
  }
});

test('meta.properties of another version or without broker.id is refused', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'meta.properties'), 'version=1\nnode.id=1\ncluster.id=x\n');
    await assert.rejects(readMetaProperties(dir), InconsistentBrokerMetadataError);
    await writeFile(path.join(dir, 'meta.properties'), 'version=0\ncluster.id=x\n');
    await assert.rejects(readMetaProperties(dir), /broker.id is missing/);
  } finally {
    await cleanup();
  }
});
