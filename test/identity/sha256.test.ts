// The synchronous SHA-256 behind every entry's id (src/identity/sha256.ts) against Node's own.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { sha256Pair } from '../../src/identity/sha256.js';

const node = (first: Uint8Array, second: Uint8Array): string => createHash('sha256').update(first).update(second).digest('hex');
const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

describe('sha256Pair', () => {
  test('the empty string and "abc" (FIPS 180-4 examples)', () => {
    assert.equal(hex(sha256Pair(new Uint8Array(0), new Uint8Array(0))), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    assert.equal(hex(sha256Pair(new TextEncoder().encode('ab'), new TextEncoder().encode('c'))), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  test('equals node:crypto for every length around the block edges, split anywhere, and for a long message after a short one', () => {
    const lengths = [...Array.from({ length: 200 }, (_, i) => i), 447, 448, 511, 512, 513, 5000];
    for (const length of lengths) {
      const whole = randomBytes(length);
      const cut = length === 0 ? 0 : (length * 7919) % (length + 1);
      const first = new Uint8Array(whole.subarray(0, cut));
      const second = new Uint8Array(whole.subarray(cut));
      assert.equal(hex(sha256Pair(first, second)), node(first, second), `length ${length}, cut at ${cut}`);
    }
    // A short message after the buffer grew: no bytes of the long one leak into it.
    const short = randomBytes(10);
    assert.equal(hex(sha256Pair(short, new Uint8Array(0))), node(short, new Uint8Array(0)));
  });
});
