/**
 * The watch on /config/changes (Kafka's ZkNodeChangeNotificationListener, as DynamicConfigManager uses
 * it): every broker reads the `config_change_<seq>` children, hands each notification with a sequence
 * number above the last one it processed to the handler, in sequence order, and then deletes the
 * notifications older than 15 minutes (by their ZooKeeper ctime). The first run after start processes
 * every notification still present, as after a Kafka restart.
 *
 * Runs never overlap: a child-change watch or a new ZooKeeper session only queues one more run (at most
 * one waits), like Kafka's single-slot queue in front of its processing thread. Reading the children
 * re-arms the watch; after a session expiry the re-established session has no watches, so a run is
 * queued then too.
 */
import type { Logger } from '../../common/logger';
import type { KafkaZkClient } from '../../zk/kafka-zk-client';
import type { ZkSession } from '../../zk/zk-session';
import { ConfigEntityChangeNotificationSequenceZNode, ConfigEntityChangeNotificationZNode } from '../../zk/znodes';
import { changeNumber } from './config-change-notification';

/** Kafka's default changeExpirationMs: notifications are kept 15 minutes. */
export const CONFIG_CHANGE_EXPIRATION_MS = 15 * 60 * 1000;

/** Options of ConfigChangeListener. */
export interface ConfigChangeListenerOptions {
  zkClient: KafkaZkClient;
  session: ZkSession;
  /** Processes one notification's data; a throw is logged and the next notification follows. */
  handler: (data: Buffer, name: string) => Promise<void>;
  logger: Logger;
  /** How old (by ctime) a notification must be before it is deleted. Default 15 minutes. */
  changeExpirationMs?: number;
  /** The clock compared with the notifications' ctime. */
  now?: () => number;
}

/** Watches /config/changes and feeds new notifications to a handler; see the file comment. */
export class ConfigChangeListener {
  private readonly opts: ConfigChangeListenerOptions;
  private readonly root = ConfigEntityChangeNotificationZNode.path();
  private lastExecutedChange = -1;
  private chain: Promise<void> = Promise.resolve();
  private queued = false;
  private closed = false;
  private readonly onChildChange = (): void => void this.addChangeNotification();
  private readonly onSessionReestablished = (): void => void this.addChangeNotification();

  constructor(opts: ConfigChangeListenerOptions) {
    this.opts = opts;
  }

  /** The sequence number of the last notification handed to the handler (-1 before any). */
  get lastProcessedChange(): number {
    return this.lastExecutedChange;
  }

  /** Registers the watch and the session handler; resolves once the notifications present now are processed. */
  init(): Promise<void> {
    this.opts.session.registerZNodeChildChangeHandler(this.root, this.onChildChange);
    this.opts.session.on('sessionReestablished', this.onSessionReestablished);
    return this.addChangeNotification();
  }

  /** Stops watching; resolves when the run in progress (if any) has finished. */
  async close(): Promise<void> {
    this.closed = true;
    this.opts.session.unregisterZNodeChildChangeHandler(this.root);
    this.opts.session.off('sessionReestablished', this.onSessionReestablished);
    await this.chain;
  }

  /** Queues a run unless one is already waiting; resolves when that run is done. */
  addChangeNotification(): Promise<void> {
    if (this.closed) return this.chain;
    if (this.queued) return this.chain;
    this.queued = true;
    this.chain = this.chain.then(async () => {
      this.queued = false;
      if (!this.closed) await this.processNotifications();
    });
    return this.chain;
  }

  private async processNotifications(): Promise<void> {
    const { zkClient, logger } = this.opts;
    try {
      const notifications = await zkClient.getConfigChangeNotifications();
      if (notifications.length === 0) return;
      logger.info(`Processing notification(s) to ${this.root}`);
      const now = (this.opts.now ?? Date.now)();
      for (const name of notifications) {
        if (this.closed) return;
        const id = changeNumber(name);
        if (id === null || id <= this.lastExecutedChange) continue;
        await this.processNotification(name);
        this.lastExecutedChange = id;
      }
      await this.purgeObsoleteNotifications(now, notifications);
    } catch (e) {
      if (!this.closed) logger.error(`Error while processing notification change for path = ${this.root}`, e);
    }
  }

  private async processNotification(name: string): Promise<void> {
    const path = ConfigEntityChangeNotificationSequenceZNode.path(name);
    const node = await this.opts.zkClient.getDataAndStat(path);
    if (node === null) {
      this.opts.logger.warn(`read null data from ${path}`);
      return;
    }
    try {
      await this.opts.handler(node.data, name);
    } catch (e) {
      this.opts.logger.error(`error processing change notification ${node.data.toString('utf8')} from ${path}`, e);
    }
  }

  private async purgeObsoleteNotifications(now: number, notifications: readonly string[]): Promise<void> {
    const expirationMs = this.opts.changeExpirationMs ?? CONFIG_CHANGE_EXPIRATION_MS;
    for (const name of notifications) {
      const path = ConfigEntityChangeNotificationSequenceZNode.path(name);
      const node = await this.opts.zkClient.getDataAndStat(path);
      if (node !== null && now - node.stat.ctime > expirationMs) {
        this.opts.logger.debug(`Purging change notification ${path}`);
        await this.opts.zkClient.deleteConfigChangeNotifications([name]);
      }
    }
  }
}
