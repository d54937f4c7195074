/**
 * Support for the protocol fuzz test: a seeded PRNG, a request encoder that records where each length,
 * count and integer field was written (so mutations hit real fields, not just random bytes), the mutations
 * themselves, and a raw connection that pipelines an ApiVersions probe after each case to tell an
 * unanswered request from a hang.
 */
import net from 'node:net';
import {
  ApiKeys,
  ByteWriter,
  apiDefinition,
  encodeRequest,
  messagePlan,
  requestHeaderVersion,
} from '../../src/protocol';
import { RequestHeaderDefinition } from '../../src/protocol/messages/request-header';

/** How long a case may go without an answer or a close before it counts as a hang. */
export const CASE_TIMEOUT_MS = 10_000;

/** mulberry32: small, fast, deterministic. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A PRNG: uniform in [0, 1). */
export type Rng = () => number;
/** A uniformly chosen element of xs. */
export const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;
/** A uniform integer in [0, n). */
export const int = (rng: Rng, n: number): number => Math.floor(rng() * n);

/** Where a length-like or numeric field was written in a frame. */
interface FieldSpot {
  kind: 'int16' | 'int32' | 'int64' | 'varint' | 'string16' | 'bytes32';
  offset: number;
  /** Bytes the field's own encoding occupies (the length prefix for strings/bytes). */
  width: number;
}

/** A ByteWriter that remembers where each primitive started, so mutations can target real fields. */
class RecordingWriter extends ByteWriter {
  readonly spots: FieldSpot[] = [];
  private depth = 0;
  private note<T>(kind: FieldSpot['kind'], width: () => number, write: () => T): T {
    const start = this.length;
    this.depth++;
    try {
      return write();
    } finally {
      this.depth--;
      if (this.depth === 0) this.spots.push({ kind, offset: start, width: width.call(this) || this.length - start });
    }
  }
  override writeInt16(v: number): void {
    this.note('int16', () => 2, () => super.writeInt16(v));
  }
  override writeInt32(v: number): void {
    this.note('int32', () => 4, () => super.writeInt32(v));
  }
  override writeInt64(v: number): void {
    this.note('int64', () => 8, () => super.writeInt64(v));
  }
  override writeUnsignedVarint(v: number): void {
    this.note('varint', () => 0, () => super.writeUnsignedVarint(v));
  }
  override writeString(v: string | null): void {
    this.note('string16', () => 2, () => super.writeString(v));
  }
  override writeBytes(v: Uint8Array | null): void {
    this.note('bytes32', () => 4, () => super.writeBytes(v));
  }
  override writeCompactString(v: string | null): void {
    const start = this.length;
    super.writeCompactString(v);
    if (this.depth === 0) this.spots.push({ kind: 'varint', offset: start, width: varintWidth(v === null ? 0 : Buffer.byteLength(v) + 1) });
  }
  override writeCompactBytes(v: Uint8Array | null): void {
    const start = this.length;
    super.writeCompactBytes(v);
    if (this.depth === 0) this.spots.push({ kind: 'varint', offset: start, width: varintWidth(v === null ? 0 : v.length + 1) });
  }
}

function varintWidth(v: number): number {
  let n = 1;
  while (v >= 0x80) {
    v = Math.floor(v / 128);
    n++;
  }
  return n;
}

function varint(v: number): Buffer {
  const out: number[] = [];
  while (v >= 0x80) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return Buffer.from(out);
}

/** An encoded request frame (size prefix included), where its body starts and where its fields are. */
export interface Built {
  frame: Buffer;
  spots: FieldSpot[];
  bodyOffset: number;
}

/** Encodes header + body like encodeRequest, recording field positions; the frame includes its size. */
export function buildFrame(apiKey: number, version: number, correlationId: number, body: Record<string, unknown>): Built {
  const def = apiDefinition(apiKey)!;
  const w = new RecordingWriter();
  const size = w.reserveInt32();
  messagePlan(RequestHeaderDefinition, requestHeaderVersion(apiKey, version)).encode(w, {
    requestApiKey: apiKey,
    requestApiVersion: version,
    correlationId,
    clientId: 'fuzz',
  });
  const bodyOffset = w.length;
  w.spots.length = 0;
  messagePlan(def.request, version).encode(w, body);
  w.patchInt32(size, w.length - 4);
  return { frame: Buffer.concat(w.finish()), spots: w.spots, bodyOffset };
}

/** Fixes the size prefix after a mutation changed the frame's length. */
function resize(frame: Buffer): Buffer {
  frame.writeInt32BE(frame.length - 4, 0);
  return frame;
}

const HOSTILE_INTS = [-1, -2, 0, 1, 0x7fffffff, -0x80000000, 0x7ffffffe, 0x10000, 100_000];
const HOSTILE_SHORTS = [-1, -2, 0, 0x7fff, -0x8000, 1];

/** One random mutation of a valid frame; returns its description and the mutated frame. */
export function mutate(rng: Rng, built: Built): { what: string; frame: Buffer } {
  const { frame, spots, bodyOffset } = built;
  const body = frame.length - bodyOffset;
  const kind = int(rng, 8);
  if (kind === 7) return mutateHeader(rng, built);
  if (kind === 0 || spots.length === 0) {
    // Flip a few random bytes of the body (or anywhere after the api key/version when there is no body).
    const f = Buffer.from(frame);
    const n = 1 + int(rng, 3);
    const from = body > 0 ? bodyOffset : 8;
    for (let i = 0; i < n && f.length > from; i++) f[from + int(rng, f.length - from)] ^= 1 + int(rng, 255);
    return { what: `flip ${n} bytes`, frame: f };
  }
  if (kind === 1) {
    const at = bodyOffset + int(rng, Math.max(1, body));
    return { what: `truncate at ${at}/${frame.length}`, frame: resize(Buffer.from(frame.subarray(0, Math.min(at, frame.length - 1)))) };
  }
  if (kind === 2) {
    // Trailing garbage, or an unknown tagged field section on a flexible body.
    const extra = Buffer.from([int(rng, 256), int(rng, 256), 0xff, 0xff, 0xff, 0xff, 0x0f]);
    return { what: 'trailing bytes', frame: resize(Buffer.concat([frame, extra])) };
  }
  const spot = pick(rng, spots);
  const f = Buffer.from(frame);
  switch (spot.kind) {
    case 'int16':
    case 'string16': {
      const v = rng() < 0.3 ? f.readInt16BE(spot.offset) + (rng() < 0.5 ? 1 : -1) : pick(rng, HOSTILE_SHORTS);
      f.writeInt16BE(Math.max(-0x8000, Math.min(0x7fff, v)), spot.offset);
      return { what: `${spot.kind}@${spot.offset}=${v}`, frame: f };
    }
    case 'int32':
    case 'bytes32': {
      const v = rng() < 0.3 ? f.readInt32BE(spot.offset) + (rng() < 0.5 ? 1 : -1) : pick(rng, HOSTILE_INTS);
      f.writeInt32BE(Math.max(-0x80000000, Math.min(0x7fffffff, v)) | 0, spot.offset);
      return { what: `${spot.kind}@${spot.offset}=${v}`, frame: f };
    }
    case 'int64': {
      const v = pick(rng, [-1n, -2n, 0n, (1n << 63n) - 1n, -(1n << 63n), 1n << 53n]);
      f.writeBigInt64BE(v, spot.offset);
      return { what: `int64@${spot.offset}=${v}`, frame: f };
    }
    case 'varint': {
      // Replace the varint: huge, 0 (null / compact count 0), off by one, overlong, or unterminated.
      const old = readVarint(f, spot.offset);
      const choices: [string, Buffer][] = [
        ['huge', varint(0xfffffff0)],
        ['zero', varint(0)],
        ['plus1', varint(old + 1)],
        ['minus1', varint(Math.max(0, old - 1))],
        ['overlong', Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0x01])],
        ['unterminated', Buffer.from([0x80, 0x80, 0x80])],
        ['2^31', varint(0x80000000)],
      ];
      const [name, bytes] = pick(rng, choices);
      const out = Buffer.concat([f.subarray(0, spot.offset), bytes, f.subarray(spot.offset + spot.width)]);
      return { what: `varint@${spot.offset} ${old}→${name}`, frame: resize(out) };
    }
  }
}

/** Header mutations: another api version (served or not), a bogus client id length, bogus header tags. */
function mutateHeader(rng: Rng, built: Built): { what: string; frame: Buffer } {
  const f = Buffer.from(built.frame);
  const version = f.readInt16BE(6);
  switch (int(rng, 3)) {
    case 0: {
      const v = pick(rng, [-1, 0, 1, 99, 0x7fff, version + 1, version - 1]);
      f.writeInt16BE(v, 6);
      return { what: `header version ${version}→${v}`, frame: f };
    }
    case 1: {
      const v = pick(rng, [-1, -2, 0x7fff, 0, 200]);
      f.writeInt16BE(v, 12);
      return { what: `client id length ${v}`, frame: f };
    }
    default: {
      // The last header byte of a flexible request is its tagged-field count (0): claim one huge field.
      const at = built.bodyOffset - 1;
      const bogus = Buffer.concat([varint(1), varint(int(rng, 1000)), varint(pick(rng, [0x7ffffff0, 5, 1 << 20]))]);
      return { what: 'header tagged fields', frame: resize(Buffer.concat([f.subarray(0, at), bogus, f.subarray(at + 1)])) };
    }
  }
}

function readVarint(b: Buffer, at: number): number {
  let v = 0;
  for (let i = 0, shift = 0; i < 5 && at + i < b.length; i++, shift += 7) {
    v += (b[at + i]! & 0x7f) * 2 ** shift;
    if ((b[at + i]! & 0x80) === 0) break;
  }
  return v;
}

/** What became of one case: a response, no response before the probe's, a closed connection, or nothing. */
export interface Outcome {
  kind: 'response' | 'none' | 'closed' | 'hang';
  response?: Buffer;
}

/** A raw connection that sends a case followed by a pipelined ApiVersions v0 probe. */
export class RawConnection {
  private buf = Buffer.alloc(0);
  private frames: Buffer[] = [];
  closed = false;
  private wake: (() => void) | undefined;
  private readonly socket: net.Socket;
  private probeId = 1_000_000_000;

  private constructor(socket: net.Socket) {
    this.socket = socket;
    socket.on('data', (chunk: Buffer) => {
      this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : Buffer.from(chunk);
      while (this.buf.length >= 4 && this.buf.length >= 4 + this.buf.readInt32BE(0)) {
        this.frames.push(this.buf.subarray(4, 4 + this.buf.readInt32BE(0)));
        this.buf = this.buf.subarray(4 + this.buf.readInt32BE(0));
      }
      this.wake?.();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake?.();
    });
    socket.on('error', () => undefined);
  }

  static open(port: number): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const s = net.connect(port, '127.0.0.1');
      s.once('connect', () => resolve(new RawConnection(s)));
      s.once('error', reject);
    });
  }

  private async next(deadline: number): Promise<Buffer | 'closed' | 'timeout'> {
    for (;;) {
      if (this.frames.length) return this.frames.shift()!;
      if (this.closed) return 'closed';
      const left = deadline - Date.now();
      if (left <= 0) return 'timeout';
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }

  async send(frame: Buffer): Promise<Outcome> {
    const probe = Buffer.concat(encodeRequest({ apiKey: ApiKeys.ApiVersions, apiVersion: 0, correlationId: ++this.probeId, clientId: 'probe' }, {}));
    this.socket.write(Buffer.concat([frame, probe]));
    const deadline = Date.now() + CASE_TIMEOUT_MS;
    let response: Buffer | undefined;
    for (;;) {
      const r = await this.next(deadline);
      if (r === 'closed') return { kind: 'closed' };
      if (r === 'timeout') return { kind: 'hang' };
      if (r.length >= 4 && r.readInt32BE(0) === this.probeId) return response ? { kind: 'response', response } : { kind: 'none' };
      if (response) return { kind: 'response', response: Buffer.concat([response, Buffer.from('EXTRA')]) };
      response = r;
    }
  }

  destroy(): void {
    this.socket.destroy();
  }
}

