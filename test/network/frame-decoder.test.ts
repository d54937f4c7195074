import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FrameDecoder, InvalidFrameSizeError } from '../../src/network/frame-decoder';

function framed(...payloads: string[]): Buffer {
  return Buffer.concat(
    payloads.map((p) => {
      const b = Buffer.alloc(4 + p.length);
      b.writeInt32BE(p.length, 0);
      b.write(p, 4);
      return b;
    }),
  );
}

describe('FrameDecoder', () => {
  test('whole frames inside one chunk are sliced, not copied', () => {
    const chunk = framed('hello', 'world', '');
    const frames = new FrameDecoder(1024).push(chunk);
    assert.deepEqual(frames.map(String), ['hello', 'world', '']);
    assert.equal(frames[0]!.buffer, chunk.buffer, 'a subarray of the chunk');
  });

  test('frames split at every possible byte boundary reassemble', () => {
    const data = framed('alpha', 'beta-gamma', 'x'.repeat(300));
    for (let step = 1; step <= 17; step++) {
      const d = new FrameDecoder(1024);
      const out: string[] = [];
      for (let i = 0; i < data.length; i += step) out.push(...d.push(data.subarray(i, i + step)).map(String));
      assert.deepEqual(out, ['alpha', 'beta-gamma', 'x'.repeat(300)], `step ${step}`);
      assert.equal(d.pendingBytes, 0);
    }
  });

  test('a size above the maximum or below zero is refused', () => {
    const big = Buffer.alloc(8);
    big.writeInt32BE(2048, 0);
    assert.throws(() => new FrameDecoder(1024).push(big), InvalidFrameSizeError);
    const neg = Buffer.alloc(4);
    neg.writeInt32BE(-5, 0);
    assert.throws(() => new FrameDecoder(1024).push(neg), /negative frame size/);
    const d = new FrameDecoder(1024);
    d.push(Buffer.from([0, 0]));
    assert.throws(() => d.push(Buffer.from([0x10, 0x00])), /larger than the maximum of 1024 bytes/);
  });
});
