/**
 * Change handlers keyed by path, as in Kafka's ZooKeeperClient: ZooKeeper watches are one-shot and carry no
 * data, so a watch event only says "look again"; the handler re-reads with `watch: true` to re-arm it.
 * Handlers survive session re-creation (the new session has no watches until they re-read).
 */
import * as zookeeper from 'node-zookeeper-client';

/** Callbacks for data/existence watches on one path (Kafka's ZNodeChangeHandler). */
export interface ZNodeChangeHandler {
  onCreate?(path: string): void;
  onDelete?(path: string): void;
  onDataChange?(path: string): void;
}

/** Where watch notifications are logged when a handler fails. */
interface WarnLogger {
  warn(message: string): void;
}

/** The handler tables of one ZkSession. */
export class WatchHandlers {
  readonly zNodeChangeHandlers = new Map<string, ZNodeChangeHandler>();
  readonly zNodeChildChangeHandlers = new Map<string, (path: string) => void>();
  private readonly seenEvents = new WeakSet<object>();
  private readonly logger: WarnLogger;

  constructor(logger: WarnLogger) {
    this.logger = logger;
  }

  clear(): void {
    this.zNodeChangeHandlers.clear();
    this.zNodeChildChangeHandlers.clear();
  }

  /** Routes a watch event to the handler registered for its path. */
  dispatch(event: zookeeper.Event): void {
    // A deletion fires both the data and the child watch of a path with the same event object; Kafka's
    // single default watcher sees it once.
    if (this.seenEvents.has(event)) return;
    this.seenEvents.add(event);
    const path = event.getPath();
    const run = (fn: ((path: string) => void) | undefined) => {
      if (fn === undefined) return;
      try {
        const result: unknown = fn(path);
        if (result instanceof Promise) {
          result.catch((e: unknown) => this.logger.warn(`watch handler for ${path} failed: ${String(e)}`));
        }
      } catch (e) {
        this.logger.warn(`watch handler for ${path} threw: ${String(e)}`);
      }
    };
    const handler = this.zNodeChangeHandlers.get(path);
    switch (event.getType()) {
      case zookeeper.Event.NODE_CREATED:
        run(handler?.onCreate?.bind(handler));
        break;
      case zookeeper.Event.NODE_DELETED:
        run(handler?.onDelete?.bind(handler));
        break;
      case zookeeper.Event.NODE_DATA_CHANGED:
        run(handler?.onDataChange?.bind(handler));
        break;
      case zookeeper.Event.NODE_CHILDREN_CHANGED:
        run(this.zNodeChildChangeHandlers.get(path));
        break;
    }
  }
}
