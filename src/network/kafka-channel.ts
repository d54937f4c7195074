/**
 * One client connection: frames in, responses out, in request order.
 *
 * Requests on a connection are handled one at a time, as Kafka's processor does (it mutes a channel until
 * the response to its current request is sent): a client that pipelines produce requests for a partition
 * gets them appended in the order it sent them. Responses are written with cork/uncork so a response made
 * of several slices (header, body, record batches read from disk) leaves in as few syscalls as possible.
 * A processing error that is not a Kafka error (a malformed request) closes the connection with a
 * logged reason.
 */
import type { Socket } from 'node:net';
import { FrameDecoder, InvalidFrameSizeError } from './frame-decoder';

export interface ChannelLogger {
  info(msg: string): void;
  warn(msg: string): void;
  debug(msg: string): void;
  isDebugEnabled(): boolean;
}

/** Handles one request frame; resolves to the size-prefixed response chunks, or null for no response. */
export type FrameProcessor = (channel: KafkaChannel, frame: Buffer) => Promise<Buffer[] | null>;

/**
 * Thrown by a processor when the connection must be closed; the message is logged as the reason, at `level`
 * (warn unless told: a malformed request deserves an operator's attention, an acks=0 produce error does not).
 */
export class CloseConnectionError extends Error {
  override readonly name = 'CloseConnectionError';
  readonly level: 'info' | 'warn';

  constructor(message: string, options?: { level?: 'info' | 'warn'; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.level = options?.level ?? 'warn';
  }
}

export class KafkaChannel {
  private readonly decoder: FrameDecoder;
  private readonly queue: Buffer[] = [];
  private processing = false;
  private closed = false;
  private paused = false;
  lastActivityMs = Date.now();

  constructor(
    readonly id: string,
    readonly socket: Socket,
    readonly listenerName: string,
    readonly securityProtocol: string,
    private readonly opts: {
      maxRequestSize: number;
      maxQueuedRequests: number;
      processor: FrameProcessor;
      logger: ChannelLogger;
      onClose: (channel: KafkaChannel) => void;
    },
  ) {
    this.decoder = new FrameDecoder(opts.maxRequestSize);
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (err) => this.close(`socket error: ${err.message}`, 'debug'));
    socket.on('close', () => this.close('closed by peer', 'debug'));
  }

  get remoteAddress(): string {
    return this.socket.remoteAddress ?? 'unknown';
  }

  get remotePort(): number {
    return this.socket.remotePort ?? -1;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Closes the connection, logging why (info by default: operators want to know why a client was cut). */
  close(reason: string, level: 'info' | 'warn' | 'debug' = 'info'): void {
    if (this.closed) return;
    this.closed = true;
    this.queue.length = 0;
    if (level !== 'debug' || this.opts.logger.isDebugEnabled()) {
      this.opts.logger[level](`Closing connection ${this.id} from ${this.remoteAddress}:${this.remotePort}: ${reason}`);
    }
    this.socket.destroy();
    this.opts.onClose(this);
  }

  private onData(chunk: Buffer): void {
    if (this.closed) return;
    this.lastActivityMs = Date.now();
    let frames: Buffer[];
    try {
      frames = this.decoder.push(chunk);
    } catch (err) {
      if (err instanceof InvalidFrameSizeError) {
        this.close(err.message, 'warn');
        return;
      }
      throw err;
    }
    if (frames.length === 0) return;
    for (const f of frames) this.queue.push(f);
    if (!this.paused && this.queue.length >= this.opts.maxQueuedRequests) {
      this.paused = true;
      this.socket.pause();
    }
    if (!this.processing) void this.drain();
  }

  private async drain(): Promise<void> {
    this.processing = true;
    try {
      while (!this.closed && this.queue.length > 0) {
        const frame = this.queue.shift()!;
        let response: Buffer[] | null;
        try {
          response = await this.opts.processor(this, frame);
        } catch (err) {
          const reason = err instanceof Error ? err.message : String(err);
          this.close(reason, err instanceof CloseConnectionError ? err.level : 'warn');
          return;
        }
        if (response !== null && !this.closed) this.write(response);
        if (this.paused && this.queue.length < this.opts.maxQueuedRequests / 2) {
          this.paused = false;
          this.socket.resume();
        }
      }
    } finally {
      this.processing = false;
    }
  }

  private write(chunks: Buffer[]): void {
    this.lastActivityMs = Date.now();
    if (chunks.length === 1) {
      this.socket.write(chunks[0]!);
      return;
    }
    this.socket.cork();
    for (const c of chunks) this.socket.write(c);
    this.socket.uncork();
  }
}
