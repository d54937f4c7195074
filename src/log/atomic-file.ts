/**
 * Durable whole-file replacement, as Kafka writes checkpoints and meta.properties: write
 * `<file>.tmp`, fsync it, rename it over the file, fsync the directory.
 */
import { open, rename } from 'node:fs/promises';
import path from 'node:path';

/** Atomically replaces `file` with `content` and makes the change durable. */
export async function writeFileAtomically(file: string, content: string | Buffer): Promise<void> {
  const tmp = `${file}.tmp`;
  const handle = await open(tmp, 'w');
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmp, file);
  await fsyncDir(path.dirname(file));
}

/** fsyncs a directory so that a rename or create in it survives a crash. */
export async function fsyncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } catch (err) {
    // Some file systems refuse fsync on directories (EINVAL/EISDIR); the rename is still atomic there.
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EINVAL' && code !== 'EISDIR' && code !== 'EPERM') throw err;
  } finally {
    await handle.close();
  }
}
