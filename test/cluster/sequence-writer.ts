/**
 * A kafkajs producer (acks=all, retries on, idempotence off, one request in flight) that writes a numbered
 * sequence to one partition, one batch at a time, and remembers which numbers were acknowledged; plus the
 * check of what was read back against it.
 *
 * Why duplicates are allowed, and only where: without idempotence, a batch whose first attempt ended without
 * an answer (the leader was killed after appending, the connection closed, the acks=all wait timed out) may
 * already be in the log when kafkajs retries it, so the retry can write it a second time. Kafka gives no
 * exactly-once here, so the check cannot ask for it on every batch. It asks for it wherever the broker alone
 * decides: each writer has its own producer and sends its next batch only after the previous one finished
 * (max.in.flight 1), so every kafkajs warning or retry log line during a send belongs to that send. A batch
 * acknowledged at its first attempt must be read back exactly once; only the numbers of a send that had a
 * failed attempt (acknowledged later or never) may appear twice. Every acknowledged number must be read, and
 * in the order of acknowledgement.
 */
import assert from 'node:assert/strict';
import { Kafka, logLevel, type Producer } from 'kafkajs';

export interface SequenceWriterOptions {
  bootstrap: string;
  topic: string;
  partition: number;
  /** Records per send. Default 20. */
  batchSize?: number;
  /** kafkajs retries per send. Default 60 (with maxRetryTime 500 ms: about 30 s of retrying). */
  retries?: number;
}

export class SequenceWriter {
  /** Acknowledged numbers, in acknowledgement order. */
  readonly acked: number[] = [];
  /** Numbers of sends that had at least one failed attempt (acknowledged later or never). */
  readonly ambiguous = new Set<number>();
  /** Sends that were acknowledged only after a failed attempt. */
  retriedSends = 0;
  /** Errors with which a send finally failed (after kafkajs gave up retrying). */
  readonly failures: Error[] = [];
  /** The next number to send (numbers below it were sent at least once). */
  next = 0;
  private troubled = false;
  private stopped = false;
  private loop: Promise<void> | undefined;
  private readonly producer: Producer;

  constructor(private readonly opts: SequenceWriterOptions) {
    const kafka = new Kafka({
      clientId: `sequence-writer-${opts.topic}-${opts.partition}`,
      brokers: opts.bootstrap.split(','),
      // Debug level so that the retry path which only logs at debug ("Cluster has disconnected") is seen too.
      logLevel: logLevel.DEBUG,
      logCreator: () => ({ level, log }) => {
        if (level <= logLevel.WARN || /disconnected/i.test(String(log.message))) this.troubled = true;
      },
      requestTimeout: 15_000,
      retry: { retries: opts.retries ?? 60, initialRetryTime: 100, maxRetryTime: 500 },
    });
    this.producer = kafka.producer({ idempotent: false, maxInFlightRequests: 1, allowAutoTopicCreation: false });
  }

  get partition(): number {
    return this.opts.partition;
  }

  async start(): Promise<void> {
    await this.producer.connect();
    this.loop = this.run();
  }

  /** Finishes the send in progress, then disconnects. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
    await this.producer.disconnect().catch(() => undefined);
  }

  private async run(): Promise<void> {
    const n = this.opts.batchSize ?? 20;
    while (!this.stopped) {
      const first = this.next;
      this.next += n;
      const numbers = Array.from({ length: n }, (_, i) => first + i);
      this.troubled = false;
      try {
        await this.producer.send({
          topic: this.opts.topic,
          acks: -1,
          timeout: 10_000,
          messages: numbers.map((k) => ({ partition: this.opts.partition, value: String(k) })),
        });
        if (this.troubled) {
          this.retriedSends++;
          for (const k of numbers) this.ambiguous.add(k);
        }
        this.acked.push(...numbers);
      } catch (err) {
        for (const k of numbers) this.ambiguous.add(k);
        this.failures.push(err as Error);
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  }
}

/** What a read-back contained, for the test's report. */
export interface SequenceCheck {
  acked: number;
  read: number;
  duplicates: number;
  retriedSends: number;
  failedSends: number;
}

/**
 * Checks the values read back from the writer's partition (in log order): every acknowledged number at least
 * once and in acknowledgement order, a number twice only if its send had a failed attempt, nothing never sent.
 */
export function checkSequence(writer: SequenceWriter, values: readonly string[]): SequenceCheck {
  const where = `partition ${writer.partition}`;
  const firstIndex = new Map<number, number>();
  const count = new Map<number, number>();
  values.forEach((v, i) => {
    const k = Number(v);
    assert.ok(Number.isInteger(k) && k >= 0 && k < writer.next, `${where}: read ${JSON.stringify(v)}, which was never sent`);
    if (!firstIndex.has(k)) firstIndex.set(k, i);
    count.set(k, (count.get(k) ?? 0) + 1);
  });
  let previous = -1;
  for (const k of writer.acked) {
    const at = firstIndex.get(k);
    assert.ok(at !== undefined, `${where}: acknowledged record ${k} was not read back (lost)`);
    assert.ok(at > previous, `${where}: acknowledged record ${k} stands before an earlier acknowledged record`);
    previous = at;
  }
  let duplicates = 0;
  for (const [k, c] of count) {
    if (c === 1) continue;
    duplicates += c - 1;
    assert.ok(writer.ambiguous.has(k), `${where}: record ${k} read ${c} times although its only send was acknowledged at once`);
  }
  return {
    acked: writer.acked.length,
    read: values.length,
    duplicates,
    retriedSends: writer.retriedSends,
    failedSends: writer.failures.length,
  };
}
