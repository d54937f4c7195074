/**
 * Typed errors of the ZooKeeper layer.
 *
 * ZkError carries ZooKeeper's result code under Kafka's names (KeeperException.Code: NONODE, NODEEXISTS,
 * BADVERSION, ...), so callers branch on `err.code` exactly as Kafka's KafkaZkClient branches on resultCode.
 * The domain errors (ControllerMovedError, BrokerIdInUseError, ...) mirror the exceptions Kafka raises from
 * the same situations.
 */

/** ZooKeeper result codes (org.apache.zookeeper.KeeperException.Code), by name. */
export const ZkCode = {
  OK: 0,
  SYSTEMERROR: -1,
  RUNTIMEINCONSISTENCY: -2,
  DATAINCONSISTENCY: -3,
  CONNECTIONLOSS: -4,
  MARSHALLINGERROR: -5,
  UNIMPLEMENTED: -6,
  OPERATIONTIMEOUT: -7,
  BADARGUMENTS: -8,
  NEWCONFIGNOQUORUM: -13,
  RECONFIGINPROGRESS: -14,
  UNKNOWNSESSION: -12,
  APIERROR: -100,
  NONODE: -101,
  NOAUTH: -102,
  BADVERSION: -103,
  NOCHILDRENFOREPHEMERALS: -108,
  NODEEXISTS: -110,
  NOTEMPTY: -111,
  SESSIONEXPIRED: -112,
  INVALIDCALLBACK: -113,
  INVALIDACL: -114,
  AUTHFAILED: -115,
  SESSIONMOVED: -118,
  NOTREADONLY: -119,
  EPHEMERALONLOCALSESSION: -120,
  NOWATCHER: -121,
  REQUESTTIMEOUT: -122,
  RECONFIGDISABLED: -123,
  SESSIONCLOSEDREQUIRESASLAUTH: -124,
  QUOTAEXCEEDED: -125,
  THROTTLEDOP: -127,
} as const;

/** A ZooKeeper result code name, e.g. 'NONODE'. */
export type ZkErrorCode = keyof typeof ZkCode;

const NAME_BY_NUMBER = new Map<number, ZkErrorCode>(
  Object.entries(ZkCode).map(([name, value]) => [value, name as ZkErrorCode]),
);

/** Maps a numeric ZooKeeper result code to its name ('SYSTEMERROR' for codes this table does not know). */
export function zkCodeName(code: number): ZkErrorCode {
  return NAME_BY_NUMBER.get(code) ?? 'SYSTEMERROR';
}

/** A ZooKeeper operation failed with a result code. */
export class ZkError extends Error {
  override readonly name: string = 'ZkError';
  /** Kafka's name for the ZooKeeper result code. */
  readonly code: ZkErrorCode;
  /** The znode the failed operation addressed, when there is one. */
  readonly path: string | undefined;

  constructor(code: ZkErrorCode, message: string, options?: { path?: string; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.path = options?.path;
  }

  /** Builds the error for `code` on `path` with ZooKeeper's usual wording ("KeeperErrorCode = NoNode for /x"). */
  static of(code: ZkErrorCode, path?: string, cause?: unknown): ZkError {
    const where = path === undefined ? '' : ` for ${path}`;
    return new ZkError(code, `KeeperErrorCode = ${code}${where}`, { path, cause });
  }
}

/** One op of a failed multi, as ZooKeeper reported it. */
export interface ZkMultiOpError {
  /** The op's path. */
  readonly path: string;
  /** OK for ops before the failing one, the failure for it, RUNTIMEINCONSISTENCY for the ones after. */
  readonly code: ZkErrorCode;
}

/** A multi-op failed as a whole; `failedOpIndex` is the op that caused it. */
export class ZkMultiError extends ZkError {
  override readonly name = 'ZkMultiError';
  readonly failedOpIndex: number;
  readonly opErrors: readonly ZkMultiOpError[];

  constructor(opErrors: readonly ZkMultiOpError[], failedOpIndex: number) {
    const failed = opErrors[failedOpIndex];
    super(failed.code, `KeeperErrorCode = ${failed.code} for ${failed.path} (op ${failedOpIndex} of a multi)`, {
      path: failed.path,
    });
    this.failedOpIndex = failedOpIndex;
    this.opErrors = opErrors;
  }
}

/** No connection to ZooKeeper within `zookeeper.connection.timeout.ms` (Kafka's ZooKeeperClientTimeoutException). */
export class ZooKeeperClientTimeoutError extends Error {
  override readonly name = 'ZooKeeperClientTimeoutError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * A controller write was fenced (the /controller_epoch check failed) or an election was lost: another broker is
 * controller now (Kafka's ControllerMovedException). The controller resigns when it sees this.
 */
export class ControllerMovedError extends Error {
  override readonly name = 'ControllerMovedError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** /brokers/ids/<id> is held by another live session: a broker with the same broker.id is running. */
export class BrokerIdInUseError extends ZkError {
  override readonly name = 'BrokerIdInUseError';
  readonly brokerId: number;
  constructor(brokerId: number, message: string) {
    super('NODEEXISTS', message, { path: `/brokers/ids/${brokerId}` });
    this.brokerId = brokerId;
  }
}

/** Another registered broker already advertises one of our host:port endpoints. */
export class BrokerEndpointInUseError extends Error {
  override readonly name = 'BrokerEndpointInUseError';
  readonly otherBrokerId: number;
  constructor(otherBrokerId: number, message: string) {
    super(message);
    this.otherBrokerId = otherBrokerId;
  }
}

/** A znode holds data that is not valid JSON or does not match its zk-schema/ schema. */
export class ZNodeDecodeError extends Error {
  override readonly name = 'ZNodeDecodeError';
  /** The znode whose data failed to decode. */
  readonly path: string;
  constructor(path: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.path = path;
  }
}
