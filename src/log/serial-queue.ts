/**
 * A FIFO queue of async tasks that runs them one at a time. Each Log owns one so that appends stay in
 * order and never interleave with a roll, a truncation or retention (in Node, interleaved awaits are
 * the race condition that a lock prevents in Kafka's UnifiedLog).
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private pending = 0;

  /** Runs `task` after every task queued before it; resolves or rejects with its result. */
  run<T>(task: () => Promise<T>): Promise<T> {
    this.pending++;
    const result = this.tail.then(task, task);
    this.tail = result.then(
      () => this.pending--,
      () => this.pending--,
    );
    return result;
  }

  /** Number of tasks queued or running. */
  get size(): number {
    return this.pending;
  }
}
