/**
 * The clean-shutdown marker `.kafka_cleanshutdown` (Kafka's CleanShutdownFileHandler). The log manager
 * writes it in every log dir after closing all logs; its presence at startup means the logs were
 * flushed and their indexes can be trusted, so recovery is skipped. It is removed once the logs are
 * loaded. Since KIP-966 it holds the broker epoch, as Jackson writes a HashMap of strings:
 * `{"broker_epoch":"-1","version":"0"}`.
 */
import { access, open, unlink } from 'node:fs/promises';
import path from 'node:path';
import { fsyncDir } from './atomic-file';

export const CLEAN_SHUTDOWN_FILE_NAME = '.kafka_cleanshutdown';

/** Whether `logDir` holds the clean-shutdown marker. */
export async function hasCleanShutdownFile(logDir: string): Promise<boolean> {
  try {
    await access(path.join(logDir, CLEAN_SHUTDOWN_FILE_NAME));
    return true;
  } catch {
    return false;
  }
}

/** Writes the marker (fsynced). */
export async function writeCleanShutdownFile(logDir: string, brokerEpoch = -1): Promise<void> {
  const handle = await open(path.join(logDir, CLEAN_SHUTDOWN_FILE_NAME), 'w');
  try {
    await handle.writeFile(JSON.stringify({ broker_epoch: String(brokerEpoch), version: '0' }));
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fsyncDir(logDir);
}

/** Removes the marker if present. */
export async function deleteCleanShutdownFile(logDir: string): Promise<void> {
  try {
    await unlink(path.join(logDir, CLEAN_SHUTDOWN_FILE_NAME));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}
