/**
 * Kafka's Partition.leaderIsrUpdateLock for a single-threaded broker: appends as leader hold it shared, while
 * changes of leadership or ISR (LeaderAndIsr, StopReplica, the leader's own ISR writes) hold it exclusively.
 * An append therefore never straddles a leader epoch change: the epoch it stamps on its batch and the start
 * offset a new epoch gets in the leader epoch cache (the log end offset, once the appends drained) agree.
 *
 * In Node the race is between awaits, not threads: without it an append queued behind the log's lock with
 * the old epoch lands after the new epoch was assigned its start offset. Writers have preference: once one
 * waits, new appends wait behind it, so a busy partition cannot hold a LeaderAndIsr off.
 */
export class LeaderIsrUpdateLock {
  private readers = 0;
  /** Settles when the writer holding or waiting for the lock is done. */
  private writer: Promise<void> | undefined;
  private onReadersDrained: (() => void) | undefined;

  /** Runs `task` holding the lock shared (with other readers). */
  async read<T>(task: () => Promise<T>): Promise<T> {
    while (this.writer) await this.writer;
    this.readers++;
    try {
      return await task();
    } finally {
      this.readers--;
      if (this.readers === 0) this.onReadersDrained?.();
    }
  }

  /** Runs `task` holding the lock exclusively, once the readers inside finished. */
  async write<T>(task: () => Promise<T>): Promise<T> {
    while (this.writer) await this.writer;
    let release!: () => void;
    this.writer = new Promise<void>((resolve) => (release = resolve));
    try {
      if (this.readers > 0) await new Promise<void>((resolve) => (this.onReadersDrained = resolve));
      this.onReadersDrained = undefined;
      return await task();
    } finally {
      this.writer = undefined;
      release();
    }
  }
}
