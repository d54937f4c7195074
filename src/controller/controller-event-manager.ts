/**
 * ControllerEventManager: the controller's single event queue (Kafka's ControllerEventManager.scala).
 *
 * ZooKeeper watch callbacks, broker responses and API calls only `put` events. One drain loop takes them in
 * FIFO order and awaits the processor for each, so an event's awaits (ZooKeeper reads and fenced writes) all
 * finish before the next event starts: in Node, interleaved awaits would be exactly the race Kafka's single
 * controller thread avoids. `clearAndPut` drops (preempts) everything still queued, as Kafka does for the
 * session-expiry event. Queue time and processing time of each event are logged at debug.
 */
import type { Time } from '../common/time';
import type { ControllerLogger } from './controller-logger';

/** Handles events; `preempt` answers an event that will never be processed (e.g. fail its callback). */
export interface ControllerEventProcessor<E> {
  process(event: E): Promise<void>;
  preempt(event: E): void;
}

/** An event in the queue; `processed` settles once it has been handled or preempted. */
export class QueuedEvent<E> {
  private spent = false;
  private resolveDone!: () => void;
  /** Resolves when the event has been processed or preempted. */
  readonly processed: Promise<void>;

  constructor(readonly event: E, readonly enqueueTimeMs: number) {
    this.processed = new Promise((resolve) => {
      this.resolveDone = resolve;
    });
  }

  /** Runs the event once; returns false if it was already processed or preempted. */
  async process(processor: ControllerEventProcessor<E>): Promise<boolean> {
    if (this.spent) return false;
    this.spent = true;
    try {
      await processor.process(this.event);
    } finally {
      this.resolveDone();
    }
    return true;
  }

  preempt(processor: ControllerEventProcessor<E>): void {
    if (this.spent) return;
    this.spent = true;
    try {
      processor.preempt(this.event);
    } finally {
      this.resolveDone();
    }
  }
}

/** Options of a ControllerEventManager. */
export interface ControllerEventManagerOptions<E> {
  processor: ControllerEventProcessor<E>;
  time: Time;
  logger: ControllerLogger;
  /** Printable name of an event for logs. */
  describe: (event: E) => string;
  /** State the controller is in while processing an event (for `state`). */
  stateOf?: (event: E) => string;
}

export class ControllerEventManager<E> {
  private readonly queue: QueuedEvent<E>[] = [];
  private running = false;
  private closed = false;
  private draining: Promise<void> | null = null;
  private currentState = 'Idle';

  constructor(private readonly opts: ControllerEventManagerOptions<E>) {}

  /** What the event loop is doing now ('Idle' between events). */
  get state(): string {
    return this.currentState;
  }

  /** Number of events waiting (not counting the one being processed). */
  get size(): number {
    return this.queue.length;
  }

  get isEmpty(): boolean {
    return this.queue.length === 0;
  }

  /** Starts processing; events put before `start` wait in the queue. */
  start(): void {
    if (this.closed) return;
    this.running = true;
    this.kick();
  }

  /** Enqueues an event. After close() the event is preempted at once. */
  put(event: E): QueuedEvent<E> {
    const queued = new QueuedEvent(event, this.opts.time.milliseconds());
    if (this.closed) {
      queued.preempt(this.opts.processor);
      return queued;
    }
    this.queue.push(queued);
    this.kick();
    return queued;
  }

  /** Preempts every queued event, then enqueues this one (Kafka's clearAndPut, used for session expiry). */
  clearAndPut(event: E): QueuedEvent<E> {
    const dropped = this.queue.splice(0, this.queue.length);
    for (const q of dropped) q.preempt(this.opts.processor);
    return this.put(event);
  }

  /**
   * Stops the loop: the event being processed finishes, the queued ones are preempted, later puts are
   * preempted immediately. Resolves when the loop is idle.
   */
  async close(): Promise<void> {
    this.closed = true;
    this.running = false;
    const dropped = this.queue.splice(0, this.queue.length);
    for (const q of dropped) q.preempt(this.opts.processor);
    if (this.draining) await this.draining;
  }

  private kick(): void {
    if (!this.running || this.draining) return;
    this.draining = this.drain().finally(() => {
      this.draining = null;
      // An event may have been put between the loop's last check and this point.
      if (this.running && this.queue.length > 0) this.kick();
    });
  }

  private async drain(): Promise<void> {
    // Yield once so that a put() from inside a ZooKeeper callback never runs the handler synchronously.
    await Promise.resolve();
    while (this.running && this.queue.length > 0) {
      const queued = this.queue.shift()!;
      const name = this.opts.describe(queued.event);
      const startMs = this.opts.time.milliseconds();
      this.currentState = this.opts.stateOf?.(queued.event) ?? name;
      try {
        await queued.process(this.opts.processor);
      } catch (e) {
        this.opts.logger.error(`Uncaught error processing event ${name}`, e);
      } finally {
        this.currentState = 'Idle';
      }
      if (this.opts.logger.isDebugEnabled()) {
        const endMs = this.opts.time.milliseconds();
        this.opts.logger.debug(`Processed event ${name} in ${endMs - startMs} ms after ` +
          `${startMs - queued.enqueueTimeMs} ms in the queue`);
      }
    }
  }
}
