/**
 * `meta.properties`, the broker metadata file in every log dir (ZooKeeper mode, version 0), written as
 * Java's Properties.store does:
 *
 *   #
 *   #Fri Nov 20 23:49:53 UTC 2026
 *   cluster.id=<22-char base64 uuid>
 *   version=0
 *   broker.id=<id>
 *
 * At startup the server reads it from all log dirs (they must agree), checks the configured broker.id
 * and the cluster's id against it, and writes it where it is missing. Mismatches are errors naming the
 * file, so an operator knows which directory came from another broker or cluster.
 */
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomically } from './atomic-file';
import { InconsistentBrokerIdError, InconsistentBrokerMetadataError, InconsistentClusterIdError } from './log-errors';

export const META_PROPERTIES_FILE = 'meta.properties';

/** The content of a version-0 meta.properties. */
export interface MetaProperties {
  version: 0;
  brokerId: number;
  clusterId?: string;
}

/** What the log dirs agree on; fields are undefined when no dir holds them. */
export interface BrokerMetadata {
  brokerId?: number;
  clusterId?: string;
  /** The meta.properties files that were found. */
  files: string[];
}

/** Parses the `key=value` lines of a Java properties file (comments `#`/`!`, separators `=`/`:`). */
export function parseProperties(text: string): Map<string, string> {
  const props = new Map<string, string>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trimStart();
    if (line === '' || line.startsWith('#') || line.startsWith('!')) continue;
    const match = /^([^=:\s]+)\s*[=:\s]\s*(.*)$/.exec(line);
    if (match) props.set(match[1], match[2].trimEnd());
    else props.set(line.trimEnd(), '');
  }
  return props;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** java.util.Date#toString in UTC: `Fri Nov 20 23:49:53 UTC 2026`. */
function javaDateString(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return (
    `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${p(d.getUTCDate())} ` +
    `${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`
  );
}

/** Renders meta.properties as Kafka writes it. */
export function formatMetaProperties(meta: MetaProperties, nowMs: number = Date.now()): string {
  let text = `#\n#${javaDateString(nowMs)}\n`;
  if (meta.clusterId !== undefined) text += `cluster.id=${meta.clusterId}\n`;
  text += `version=${meta.version}\nbroker.id=${meta.brokerId}\n`;
  return text;
}

/** Reads `<logDir>/meta.properties`; undefined if absent. Throws InconsistentBrokerMetadataError if unusable. */
export async function readMetaProperties(logDir: string): Promise<MetaProperties | undefined> {
  const file = path.join(logDir, META_PROPERTIES_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  const props = parseProperties(text);
  const version = props.get('version');
  if (version !== '0') {
    throw new InconsistentBrokerMetadataError(
      `${file}: unsupported meta.properties version ${version ?? '(missing)'}; ZooKeeper-mode brokers use version 0`,
    );
  }
  const brokerIdText = props.get('broker.id');
  if (brokerIdText === undefined || !/^-?\d+$/.test(brokerIdText)) {
    throw new InconsistentBrokerMetadataError(`${file}: broker.id is missing or not a number: ${brokerIdText ?? ''}`);
  }
  const clusterId = props.get('cluster.id');
  return { version: 0, brokerId: Number(brokerIdText), ...(clusterId ? { clusterId } : {}) };
}

/** Writes `<logDir>/meta.properties` atomically, creating the dir if needed. */
export async function writeMetaProperties(logDir: string, meta: MetaProperties, opts: { nowMs?: number } = {}): Promise<void> {
  await mkdir(logDir, { recursive: true });
  await writeFileAtomically(path.join(logDir, META_PROPERTIES_FILE), formatMetaProperties(meta, opts.nowMs));
}

/**
 * Reads meta.properties from every log dir and checks they agree (Kafka's
 * getBrokerMetadataAndOfflineDirs); throws InconsistentBrokerMetadataError naming the files otherwise.
 */
export async function readBrokerMetadata(logDirs: readonly string[]): Promise<BrokerMetadata> {
  const found: { file: string; meta: MetaProperties }[] = [];
  for (const dir of logDirs) {
    const meta = await readMetaProperties(dir);
    if (meta) found.push({ file: path.join(dir, META_PROPERTIES_FILE), meta });
  }
  const first = found[0];
  for (const other of found.slice(1)) {
    if (other.meta.brokerId !== first.meta.brokerId || other.meta.clusterId !== first.meta.clusterId) {
      throw new InconsistentBrokerMetadataError(
        'BrokerMetadata is not consistent across log.dirs. This could happen if multiple brokers shared a log ' +
          'directory (log.dirs) or partial data was manually copied from another broker. Found: ' +
          found.map((f) => `${f.file} (broker.id=${f.meta.brokerId}, cluster.id=${f.meta.clusterId ?? ''})`).join(', '),
      );
    }
  }
  return {
    brokerId: first?.meta.brokerId,
    clusterId: first?.meta.clusterId,
    files: found.map((f) => f.file),
  };
}

/**
 * Checks every log dir's meta.properties against the configured broker id (skipped when negative,
 * i.e. to be taken from the file) and the cluster id; throws InconsistentBrokerIdError or
 * InconsistentClusterIdError naming the offending file.
 */
export async function checkBrokerMetadata(
  logDirs: readonly string[],
  expected: { brokerId: number; clusterId: string },
): Promise<void> {
  for (const dir of logDirs) {
    const meta = await readMetaProperties(dir);
    if (!meta) continue;
    const file = path.join(dir, META_PROPERTIES_FILE);
    if (meta.clusterId !== undefined && meta.clusterId !== expected.clusterId) {
      throw new InconsistentClusterIdError(
        `The Cluster ID ${expected.clusterId} doesn't match stored clusterId Some(${meta.clusterId}) in ${file}. ` +
          'The broker is trying to join the wrong cluster. Configured zookeeper.connect may be wrong.',
      );
    }
    if (expected.brokerId >= 0 && meta.brokerId !== expected.brokerId) {
      throw new InconsistentBrokerIdError(
        `Configured broker.id ${expected.brokerId} doesn't match stored broker.id Some(${meta.brokerId}) in ${file}. ` +
          'If you moved your data, make sure your configured broker.id matches. If you intend to create a new ' +
          'broker, you should remove all data in your data directories (log.dirs).',
      );
    }
  }
}

/**
 * Writes meta.properties (version 0) into every log dir where it is missing or differs, after checking
 * the existing ones (see checkBrokerMetadata).
 */
export async function writeBrokerMetadata(
  logDirs: readonly string[],
  meta: { brokerId: number; clusterId: string },
): Promise<void> {
  await checkBrokerMetadata(logDirs, meta);
  for (const dir of logDirs) {
    const existing = await readMetaProperties(dir);
    if (existing && existing.brokerId === meta.brokerId && existing.clusterId === meta.clusterId) continue;
    await writeMetaProperties(dir, { version: 0, brokerId: meta.brokerId, clusterId: meta.clusterId });
  }
}
