/**
 * Size-prefixed framing of the Kafka protocol: every request and response on a connection is an int32
 * byte length followed by that many bytes.
 *
 * FrameDecoder turns socket chunks into whole frames. A frame that lies inside one chunk is returned as
 * a subarray of it (no copy); only frames that straddle chunks are copied once. A declared size above the
 * limit (socket.request.max.bytes) or below zero is a protocol violation: the caller closes the connection.
 */

export class InvalidFrameSizeError extends Error {
  override readonly name = 'InvalidFrameSizeError';
  constructor(readonly size: number, readonly maxSize: number) {
    super(
      size < 0
        ? `Invalid negative frame size ${size}`
        : `Frame size ${size} larger than the maximum of ${maxSize} bytes (socket.request.max.bytes)`,
    );
  }
}

export class FrameDecoder {
  private chunks: Buffer[] = [];
  private buffered = 0;
  /** Size of the frame being assembled, or -1 while its 4-byte length is not known yet. */
  private frameSize = -1;

  constructor(private readonly maxFrameSize: number) {}

  /** Feeds one chunk; returns the frames it completes (possibly none). Throws InvalidFrameSizeError. */
  push(chunk: Buffer): Buffer[] {
    const frames: Buffer[] = [];
    if (this.buffered === 0 && this.frameSize < 0) {
      // Fast path: nothing pending, so the chunk starts with a size; parse frames straight out of it.
      let pos = 0;
      while (chunk.length - pos >= 4) {
        const size = chunk.readInt32BE(pos);
        this.checkSize(size);
        if (chunk.length - pos - 4 < size) break;
        frames.push(chunk.subarray(pos + 4, pos + 4 + size));
        pos += 4 + size;
      }
      if (pos < chunk.length) this.append(chunk.subarray(pos));
      return frames;
    }
    this.append(chunk);
    for (;;) {
      if (this.frameSize < 0) {
        if (this.buffered < 4) return frames;
        const header = this.take(4);
        this.frameSize = header.readInt32BE(0);
        this.checkSize(this.frameSize);
      }
      if (this.buffered < this.frameSize) return frames;
      frames.push(this.take(this.frameSize));
      this.frameSize = -1;
      if (this.buffered === 0) return frames;
    }
  }

  /** Bytes received but not yet part of a returned frame. */
  get pendingBytes(): number {
    return this.buffered;
  }

  private checkSize(size: number): void {
    if (size < 0 || size > this.maxFrameSize) throw new InvalidFrameSizeError(size, this.maxFrameSize);
  }

  private append(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
  }

  /** Removes exactly n bytes from the front of the buffered chunks. */
  private take(n: number): Buffer {
    const first = this.chunks[0]!;
    if (first.length >= n) {
      const out = first.subarray(0, n);
      if (first.length === n) this.chunks.shift();
      else this.chunks[0] = first.subarray(n);
      this.buffered -= n;
      return out;
    }
    const out = Buffer.allocUnsafe(n);
    let filled = 0;
    while (filled < n) {
      const head = this.chunks[0]!;
      const want = n - filled;
      if (head.length <= want) {
        head.copy(out, filled);
        filled += head.length;
        this.chunks.shift();
      } else {
        head.copy(out, filled, 0, want);
        this.chunks[0] = head.subarray(want);
        filled += want;
      }
    }
    this.buffered -= n;
    return out;
  }
}
