/**
 * Generic ZooKeeper verbs shared by KafkaZkClient and AdminZkClient, and controller fencing.
 *
 * Fencing (KafkaZkClient.retryRequestsUntilConnected with an expected controller epoch zkVersion): every
 * controller write is sent as a multi `[check(/controller_epoch, epochZkVersion), op]`. A failed check means a
 * newer controller bumped the epoch: ControllerMovedError, and the caller resigns. Only the check guards the
 * write; the op keeps its own version condition, whose failure comes back as a plain ZkError.
 * `ZkVersion.MatchAny` (-1) as the epoch zkVersion means "not a controller write": the op is sent alone.
 */
import { SystemTime, type Time } from '../common/time';
import { ControllerMovedError, ZkError, ZkMultiError } from './zk-errors';
import { CreateMode, ZkVersion, joinPath, type ZkLogger, type ZkOp, type ZkOpResult, type ZkSession, type ZkStat } from './zk-session';
import { ControllerEpochZNode } from './znodes/controller-epoch';

/** Options shared by the ZooKeeper domain clients. */
export interface ZkClientOptions {
  /** Clock for the timestamps written into znodes. Defaults to the system clock. */
  time?: Time;
  logger?: ZkLogger;
}

const NO_LOGGER: ZkLogger = { info() {}, warn() {} };

/** Base of the domain clients: owns nothing but a reference to the session. */
export class ZkClientBase {
  readonly session: ZkSession;
  protected readonly time: Time;
  protected readonly logger: ZkLogger;

  constructor(session: ZkSession, options: ZkClientOptions = {}) {
    this.session = session;
    this.time = options.time ?? new SystemTime();
    this.logger = options.logger ?? NO_LOGGER;
  }

  /** Whether `path` exists. */
  async pathExists(path: string): Promise<boolean> {
    return (await this.session.exists(path)) !== null;
  }

  /** Data and Stat of `path`, or null if it does not exist. */
  async getDataAndStat(path: string, options: { watch?: boolean } = {}): Promise<{ data: Buffer; stat: ZkStat } | null> {
    try {
      return await this.session.getData(path, options);
    } catch (e) {
      if (isCode(e, 'NONODE')) return null;
      throw e;
    }
  }

  /** Children of `path` (empty if it does not exist). Arms a child watch, as Kafka's getChildren does. */
  async getChildren(path: string, options: { watch?: boolean } = { watch: true }): Promise<string[]> {
    try {
      return await this.session.getChildren(path, options);
    } catch (e) {
      if (isCode(e, 'NONODE')) return [];
      throw e;
    }
  }

  /** Creates `path` (and missing parents). NODEEXISTS is thrown unless `throwIfPathExists` is false. */
  async createRecursive(path: string, data: Buffer | null = null, options: { throwIfPathExists?: boolean } = {}): Promise<void> {
    await this.session.createRecursive(path, data, options);
  }

  /** Makes sure a persistent path exists (no data). */
  async makeSurePersistentPathExists(path: string): Promise<void> {
    await this.session.createRecursive(path, null, { throwIfPathExists: false });
  }

  /** Creates a persistent-sequential node; returns the created path. */
  async createSequentialPersistentPath(path: string, data: Buffer | null): Promise<string> {
    return this.session.create(path, data, CreateMode.PERSISTENT_SEQUENTIAL);
  }

  /**
   * Conditional setData (Kafka's conditionalUpdatePath): `{ succeeded: true, version }` on success,
   * `{ succeeded: false }` on BADVERSION or NONODE.
   */
  async conditionalUpdatePath(
    path: string,
    data: Buffer,
    expectedVersion: number,
  ): Promise<{ succeeded: true; version: number } | { succeeded: false }> {
    try {
      const stat = await this.session.setData(path, data, expectedVersion);
      return { succeeded: true, version: stat.version };
    } catch (e) {
      if (isCode(e, 'BADVERSION') || isCode(e, 'NONODE')) return { succeeded: false };
      throw e;
    }
  }

  /**
   * Runs one op fenced by the controller epoch zkVersion (or alone for `ZkVersion.MatchAny`).
   * @throws ControllerMovedError when the epoch check fails; ZkError with the op's own code when the op fails.
   */
  async fencedOp(op: ZkOp, expectedControllerEpochZkVersion: number): Promise<ZkOpResult> {
    if (expectedControllerEpochZkVersion === ZkVersion.MatchAny) return this.plainOp(op);
    if (expectedControllerEpochZkVersion < 0) {
      throw new RangeError(
        `expected controller epoch zkVersion ${expectedControllerEpochZkVersion} should be non-negative or ${ZkVersion.MatchAny}`,
      );
    }
    const epochPath = ControllerEpochZNode.path();
    try {
      const results = await this.session.multi([
        { type: 'check', path: epochPath, version: expectedControllerEpochZkVersion },
        op,
      ]);
      return results[1];
    } catch (e) {
      if (!(e instanceof ZkMultiError)) throw e;
      if (e.failedOpIndex === 0) {
        if (e.code === 'BADVERSION') {
          throw new ControllerMovedError(
            `Controller epoch zkVersion check fails. Expected zkVersion = ${expectedControllerEpochZkVersion}`,
            { cause: e },
          );
        }
        throw ZkError.of(e.code, epochPath, e);
      }
      throw ZkError.of(e.code, op.path, e);
    }
  }

  /**
   * Runs ops, each fenced separately (Kafka pipelines one multi per request); results in op order, each either
   * the op's result or its ZkError.
   * @throws ControllerMovedError if any epoch check failed.
   */
  async fencedOps(ops: readonly ZkOp[], expectedControllerEpochZkVersion: number): Promise<Array<ZkOpResult | ZkError>> {
    const settled = await Promise.allSettled(ops.map((op) => this.fencedOp(op, expectedControllerEpochZkVersion)));
    const moved = settled.find((s) => s.status === 'rejected' && s.reason instanceof ControllerMovedError);
    if (moved !== undefined) throw (moved as PromiseRejectedResult).reason;
    return settled.map((s) => {
      if (s.status === 'fulfilled') return s.value;
      if (s.reason instanceof ZkError) return s.reason;
      throw s.reason;
    });
  }

  /**
   * Deletes `path` and everything below it, each delete fenced (Kafka's deleteRecursive). False if it did not
   * exist.
   */
  async deleteRecursive(path: string, expectedControllerEpochZkVersion: number = ZkVersion.MatchAny): Promise<boolean> {
    let children: string[];
    try {
      children = await this.session.getChildren(path);
    } catch (e) {
      if (isCode(e, 'NONODE')) return false;
      throw e;
    }
    for (const child of children) await this.deleteRecursive(joinPath(path, child), expectedControllerEpochZkVersion);
    try {
      await this.fencedOp({ type: 'delete', path, version: ZkVersion.MatchAny }, expectedControllerEpochZkVersion);
    } catch (e) {
      if (!isCode(e, 'NONODE')) throw e;
    }
    return true;
  }

  /** Deletes a path (recursively by default), fenced; a missing path is fine (Kafka's deletePath). */
  async deletePath(
    path: string,
    options: { expectedControllerEpochZkVersion?: number; recursive?: boolean } = {},
  ): Promise<void> {
    const version = options.expectedControllerEpochZkVersion ?? ZkVersion.MatchAny;
    if (options.recursive ?? true) {
      await this.deleteRecursive(path, version);
      return;
    }
    try {
      await this.fencedOp({ type: 'delete', path, version: ZkVersion.MatchAny }, version);
    } catch (e) {
      if (!isCode(e, 'NONODE')) throw e;
    }
  }

  /** Deletes each path (any version), fenced; missing ones are fine. */
  protected async deletePathsFenced(paths: readonly string[], expectedControllerEpochZkVersion: number): Promise<void> {
    const results = await this.fencedOps(
      paths.map((path) => ({ type: 'delete', path, version: ZkVersion.MatchAny }) as const),
      expectedControllerEpochZkVersion,
    );
    const failure = results.find((r): r is ZkError => r instanceof ZkError && r.code !== 'NONODE');
    if (failure !== undefined) throw failure;
  }

  private async plainOp(op: ZkOp): Promise<ZkOpResult> {
    switch (op.type) {
      case 'create':
        return { type: 'create', path: await this.session.create(op.path, op.data, op.mode) };
      case 'setData':
        return { type: 'setData', stat: await this.session.setData(op.path, op.data, op.version) };
      case 'delete':
        await this.session.delete(op.path, op.version);
        return { type: 'delete' };
      case 'check': {
        const stat = await this.session.exists(op.path);
        if (stat === null) throw ZkError.of('NONODE', op.path);
        if (op.version !== ZkVersion.MatchAny && stat.version !== op.version) throw ZkError.of('BADVERSION', op.path);
        return { type: 'check' };
      }
    }
  }
}

/** Whether `e` is a ZkError with `code`. */
export function isCode(e: unknown, code: ZkError['code']): boolean {
  return e instanceof ZkError && e.code === code;
}
