/**
 * ZooKeeper primitives shared by the session and the domain layer: create modes, Kafka's version constants,
 * Stat, multi ops and results, `zookeeper.connect` parsing, path helpers, and the translation of
 * node-zookeeper-client results into these types.
 */
import type * as zookeeper from 'node-zookeeper-client';
import { ZkError, ZkMultiError, zkCodeName, type ZkMultiOpError } from './zk-errors';

/** How a znode is created (org.apache.zookeeper.CreateMode; the values are ZooKeeper's wire flags). */
export const CreateMode = {
  PERSISTENT: 0,
  EPHEMERAL: 1,
  PERSISTENT_SEQUENTIAL: 2,
  EPHEMERAL_SEQUENTIAL: 3,
} as const;
export type CreateMode = (typeof CreateMode)[keyof typeof CreateMode];

/** Kafka's ZkVersion constants. */
export const ZkVersion = {
  /** In a conditional write, matches any version. */
  MatchAny: -1,
  /** "No such node" in Kafka's own bookkeeping (never sent to ZooKeeper). */
  Unknown: -2,
} as const;

/**
 * ZooKeeper's per-request limit is jute.maxbuffer on the server (0xfffff bytes by default) for the whole
 * packet; keep a margin for the path, ACLs and headers. Larger requests would make the server drop the
 * connection, which Kafka sees as an endless CONNECTIONLOSS; failing fast is kinder.
 */
export const DEFAULT_MAX_REQUEST_BYTES = 0xfffff - 16 * 1024;

/** A znode's Stat. zxids and times fit a JS number; session ids (ephemeralOwner) need 64 bits. */
export interface ZkStat {
  czxid: number;
  mzxid: number;
  pzxid: number;
  ctime: number;
  mtime: number;
  /** dataVersion, Kafka's "zkVersion". */
  version: number;
  cversion: number;
  aversion: number;
  /** Session id of the owner of an ephemeral node, 0n for persistent nodes. */
  ephemeralOwner: bigint;
  dataLength: number;
  numChildren: number;
}

/** One operation of a multi (transaction). */
export type ZkOp =
  | { type: 'create'; path: string; data: Buffer | null; mode?: CreateMode }
  | { type: 'setData'; path: string; data: Buffer | null; version: number }
  | { type: 'delete'; path: string; version: number }
  | { type: 'check'; path: string; version: number };

/** The result of one op of a successful multi. */
export type ZkOpResult =
  | { type: 'create'; path: string }
  | { type: 'setData'; stat: ZkStat }
  | { type: 'delete' }
  | { type: 'check' };

/** The parts of a `zookeeper.connect` string. */
export interface ZkConnectString {
  /** `host:port,...` without the chroot. */
  servers: string;
  /** The chroot path (e.g. `/kafka`), or null. */
  chroot: string | null;
}

/**
 * Splits `zookeeper.connect` into servers and chroot.
 * @throws ZkError(BADARGUMENTS) when there are no servers or the chroot is not a valid path.
 */
export function parseZkConnect(connect: string): ZkConnectString {
  const trimmed = connect.trim();
  const slash = trimmed.indexOf('/');
  const servers = slash === -1 ? trimmed : trimmed.slice(0, slash);
  let chroot = slash === -1 ? null : trimmed.slice(slash);
  if (chroot !== null) {
    chroot = chroot.replace(/\/+$/, '');
    if (chroot === '') chroot = null;
  }
  if (servers.split(',').filter((s) => s.trim() !== '').length === 0) {
    throw new ZkError('BADARGUMENTS', `zookeeper.connect "${connect}" names no server`);
  }
  if (chroot !== null && (chroot.includes('//') || /\/\.\.?(\/|$)/.test(chroot))) {
    throw new ZkError('BADARGUMENTS', `zookeeper.connect "${connect}" has an invalid chroot path`);
  }
  return { servers, chroot };
}

/** A multi result as node-zookeeper-client reports it. */
export interface RawOpResult {
  type: number;
  path?: string;
  stat?: zookeeper.Stat;
  err?: number;
}

const OP_CREATE = 1;
const OP_DELETE = 2;
const OP_SET_DATA = 5;
const OP_CHECK = 13;

/** Converts one raw multi result. */
export function toOpResult(raw: RawOpResult): ZkOpResult {
  switch (raw.type) {
    case OP_CREATE:
      return { type: 'create', path: raw.path ?? '' };
    case OP_SET_DATA:
      return { type: 'setData', stat: toStat(raw.stat!) };
    case OP_DELETE:
      return { type: 'delete' };
    case OP_CHECK:
      return { type: 'check' };
    default:
      throw new ZkError('MARSHALLINGERROR', `unexpected multi result type ${raw.type}`);
  }
}

/** Builds the ZkMultiError of a failed multi from its per-op results. */
export function multiError(ops: readonly ZkOp[], results: readonly RawOpResult[]): ZkMultiError {
  const opErrors: ZkMultiOpError[] = results.map((r, i) => ({ path: ops[i].path, code: zkCodeName(r.err ?? 0) }));
  let failed = opErrors.findIndex((e) => e.code !== 'OK' && e.code !== 'RUNTIMEINCONSISTENCY');
  if (failed === -1) failed = opErrors.findIndex((e) => e.code !== 'OK');
  return new ZkMultiError(opErrors, failed === -1 ? 0 : failed);
}

/** Turns a node-zookeeper-client Exception (or any error) into a ZkError. */
export function translate(error: unknown, path: string): ZkError {
  if (error instanceof ZkError) return error;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'number') return ZkError.of(zkCodeName(code), path, error);
  return new ZkError('SYSTEMERROR', `ZooKeeper request for ${path} failed: ${String(error)}`, { path, cause: error });
}

/** Converts a node-zookeeper-client Stat (64-bit fields as Buffers). */
export function toStat(stat: zookeeper.Stat): ZkStat {
  return {
    czxid: Number(stat.czxid.readBigInt64BE(0)),
    mzxid: Number(stat.mzxid.readBigInt64BE(0)),
    pzxid: Number(stat.pzxid.readBigInt64BE(0)),
    ctime: Number(stat.ctime.readBigInt64BE(0)),
    mtime: Number(stat.mtime.readBigInt64BE(0)),
    version: stat.version,
    cversion: stat.cversion,
    aversion: stat.aversion,
    ephemeralOwner: stat.ephemeralOwner.readBigInt64BE(0),
    dataLength: stat.dataLength,
    numChildren: stat.numChildren,
  };
}

/** The parent of a znode path ('/a/b' → '/a', '/a' → '/'). */
export function parentOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

/** Joins a parent path and a child name. */
export function joinPath(parent: string, child: string): string {
  return parent === '/' ? `/${child}` : `${parent}/${child}`;
}
