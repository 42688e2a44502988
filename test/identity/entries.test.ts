import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { fromBase64url, toBase64url } from '../../src/identity/base64url.js';
import { canonicalBytes, canonicalEncode } from '../../src/identity/canonical.js';
import { MAX_ENTRY_BYTES, roomTag, signEntry, unsignedPart } from '../../src/identity/entries.js';
import { VerificationCache, verifyEntry } from '../../src/identity/verification.js';
import { isBoundedString, isBoundedStringList } from '../../src/plain.js';
import { GatherError } from '../../src/errors.js';
import { createSigner, loadDeviceSigner } from '../../src/identity/keys.js';
import { SIGNATURE_ALGORITHMS, type SignatureAlgorithm, type Signer } from '../../src/identity/types.js';

/** Signs any fields as they are, with no size or shape checks: how a hostile peer would. */
const rawSign = async (signer: Signer, fields: Record<string, unknown>): Promise<Record<string, unknown>> => ({
  ...fields,
  sig: toBase64url(await signer.sign(canonicalBytes(fields))),
});

const signers = new Map<SignatureAlgorithm, Signer>();
const signerFor = async (alg: SignatureAlgorithm): Promise<Signer> => {
  let signer = signers.get(alg);
  if (signer === undefined) signers.set(alg, (signer = await createSigner(alg)));
  return signer;
};

describe('base64url', () => {
  test('roundtrips every length', () => {
    for (let n = 0; n < 70; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 37 + n) & 0xff);
      const text = toBase64url(bytes);
      assert.match(text, /^[A-Za-z0-9_-]*$/);
      assert.deepEqual(fromBase64url(text), bytes);
    }
  });

  test('matches Node base64url', () => {
    const bytes = Uint8Array.from({ length: 65 }, (_, i) => (i * 91) & 0xff);
    assert.equal(toBase64url(bytes), Buffer.from(bytes).toString('base64url'));
  });

  test('rejects invalid input with null', () => {
    for (const bad of ['A', 'AB==', 'A+B/', 'AB C', 'é', 'AAAAA', '\u0000\u0000']) {
      assert.equal(fromBase64url(bad), null, bad);
    }
    assert.equal(fromBase64url('AB'), null, 'non-zero trailing bits');
    assert.deepEqual(fromBase64url('AA'), new Uint8Array([0]));
    assert.equal(fromBase64url(42 as unknown as string), null);
    assert.equal(fromBase64url(null as unknown as string), null);
  });
});

describe('canonical encoding', () => {
  test('is independent of key order, at every depth', () => {
    const a = { b: 1, a: [{ y: 'x', x: null }], c: { z: true, m: -0.5 } };
    const b = { c: { m: -0.5, z: true }, a: [{ x: null, y: 'x' }], b: 1 };
    assert.equal(canonicalEncode(a), canonicalEncode(b));
    assert.equal(canonicalEncode(a), '{"a":[{"x":null,"y":"x"}],"b":1,"c":{"m":-0.5,"z":true}}');
  });

  test('leaves out undefined object fields', () => {
    assert.equal(canonicalEncode({ a: undefined, b: 2 }), '{"b":2}');
  });

  test('rejects what JSON cannot say exactly', () => {
    for (const bad of [NaN, Infinity, -Infinity, [undefined], [1, , 3], undefined, () => 1, Symbol('s'), 1n, new Date(0), new Uint8Array(2), new Map()]) {
      assert.throws(() => canonicalEncode(bad), GatherError);
      if (bad !== undefined) assert.throws(() => canonicalEncode({ nested: bad }), GatherError);
    }
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    assert.throws(() => canonicalEncode(cyclic), GatherError);
  });

  test('field helpers', () => {
    assert.equal(isBoundedString('abc', 3), true);
    assert.equal(isBoundedString('abcd', 3), false);
    assert.equal(isBoundedString('', 3), false);
    assert.equal(isBoundedString('', 3, true), true);
    assert.equal(isBoundedString(3, 3), false);
    assert.equal(isBoundedStringList(['a', 'b'], 2, 1), true);
    assert.equal(isBoundedStringList(['a', 'b', 'c'], 2, 1), false);
    assert.equal(isBoundedStringList(['ab'], 2, 1), false);
    assert.equal(isBoundedStringList([1], 2, 1), false);
    assert.equal(isBoundedStringList('a', 2, 1), false);
  });
});

for (const alg of SIGNATURE_ALGORITHMS) {
  describe(`signed entries (${alg})`, () => {
    test('sign and verify roundtrip', async () => {
      const signer = await signerFor(alg);
      const entry = await signEntry(signer, { type: 'ballot', scope: 'poll:x', choices: ['a'] }, 1234);
      assert.equal(entry.v, 2);
      assert.equal(entry.author, signer.publicKey);
      assert.equal(entry.alg, alg);
      assert.equal(entry.ts, 1234);
      assert.equal(fromBase64url(entry.sig)?.length, 64);
      assert.equal(await verifyEntry(entry), true);
      // Survives a JSON roundtrip with keys in another order (what a peer sees).
      const reordered = Object.fromEntries(Object.entries(JSON.parse(JSON.stringify(entry))).reverse());
      assert.equal(await verifyEntry(reordered), true);
    });

    test('header fields in the draft are overwritten', async () => {
      const signer = await signerFor(alg);
      const other = await createSigner(alg);
      // A careless (or hostile) caller passing header fields in the body.
      const draft = { type: 't', scope: 's', author: other.publicKey, v: 7, sig: 'x', ts: 5 } as unknown as { type: string; scope: string };
      const entry = await signEntry(signer, draft, 99);
      assert.equal(entry.author, signer.publicKey);
      assert.equal(entry.v, 2);
      assert.equal(entry.ts, 99);
      assert.equal(await verifyEntry(entry), true);
    });

    test('any tampering fails', async () => {
      const signer = await signerFor(alg);
      const other = await createSigner(alg);
      const entry = await signEntry(signer, { type: 'ballot', scope: 'poll:x', choices: ['a'] }, 1000);
      const otherAlg = alg === 'Ed25519' ? 'ECDSA-P256' : 'Ed25519';
      const tampered: Record<string, unknown>[] = [
        { ...entry, choices: ['b'] },
        { ...entry, choices: ['a', 'b'] },
        { ...entry, extra: 1 },
        { ...entry, ts: 1001 },
        { ...entry, scope: 'poll:y' },
        { ...entry, type: 'close' },
        { ...entry, author: other.publicKey },
        { ...entry, alg: otherAlg },
        { ...entry, room: roomTag('elsewhere') },
        { ...entry, v: 1 },
      ];
      const { choices: _c, ...noBody } = entry;
      tampered.push(noBody);
      const sigBytes = fromBase64url(entry.sig)!;
      sigBytes[0]! ^= 1;
      tampered.push({ ...entry, sig: toBase64url(sigBytes) });
      for (const bad of tampered) assert.equal(await verifyEntry(bad), false, JSON.stringify(bad));
    });

    test('malformed headers fail without throwing', async () => {
      const signer = await signerFor(alg);
      const entry = await signEntry(signer, { type: 'ballot', scope: 'poll:x', choices: ['a'] }, 1000);
      const key = fromBase64url(entry.author)!;
      const bad: unknown[] = [
        { ...entry, v: 3 },
        { ...entry, v: '2' },
        { ...entry, ts: 1000.5 },
        { ...entry, ts: -1 },
        { ...entry, room: 'short' },
        { ...entry, room: 42 },
        { ...entry, nested: { s: '\uD800' } },
        { ...entry, alg: 'RSA' },
        { ...entry, ts: '1000' },
        { ...entry, ts: NaN },
        { ...entry, ts: Infinity },
        { ...entry, type: 1 },
        { ...entry, type: '' },
        { ...entry, scope: null },
        { ...entry, author: toBase64url(key.subarray(1)) },
        { ...entry, author: toBase64url(new Uint8Array([...key, 0])) },
        { ...entry, author: '!!!not base64!!!' },
        { ...entry, author: entry.author + '=' },
        { ...entry, sig: entry.sig.slice(0, -2) },
        { ...entry, sig: entry.sig + 'AA' },
        { ...entry, sig: '***' },
        { ...entry, sig: 42 },
        { ...entry, nested: { deep: NaN } },
        { ...entry, nested: new Date() },
      ];
      for (const field of ['v', 'type', 'scope', 'author', 'alg', 'ts', 'sig']) {
        const copy: Record<string, unknown> = { ...entry };
        delete copy[field];
        bad.push(copy);
      }
      for (const value of bad) assert.equal(await verifyEntry(value), false, JSON.stringify(value));
    });

    test('entries over the size limit fail, even correctly signed', async () => {
      const signer = await signerFor(alg);
      const big = await rawSign(signer, {
        v: 1, type: 'ballot', scope: 'poll:x', author: signer.publicKey, alg, ts: 1, pad: 'x'.repeat(MAX_ENTRY_BYTES),
      });
      assert.equal(await verifyEntry(big), false);
      await assert.rejects(
        signEntry(signer, { type: 'ballot', scope: 'poll:x', pad: 'x'.repeat(MAX_ENTRY_BYTES) }),
        (error: unknown) => error instanceof GatherError && error.code === 'entry-too-large',
      );
      // Just under the limit is fine.
      const small = await rawSign(signer, { v: 1, type: 'ballot', scope: 'poll:x', author: signer.publicKey, alg, ts: 1, pad: 'x'.repeat(3000) });
      assert.equal(await verifyEntry(small), true);
    });
  });
}

test('ECDSA keys must be uncompressed points', async () => {
  const signer = await signerFor('ECDSA-P256');
  const entry = await signEntry(signer, { type: 't', scope: 's' }, 1);
  const key = fromBase64url(entry.author)!;
  assert.equal(key[0], 0x04);
  key[0] = 0x02;
  assert.equal(await verifyEntry({ ...entry, author: toBase64url(key) }), false);
});

test('non-objects fail without throwing', async () => {
  const inputs: unknown[] = [null, undefined, 0, 1, NaN, '', 'entry', true, [], [1, 2], () => 1, Symbol('x'), 1n, new Uint8Array(64), new Map(), Object.create({ v: 1 })];
  const cache = new VerificationCache();
  for (const input of inputs) {
    assert.equal(await verifyEntry(input), false);
    assert.equal(await cache.verify(input), false);
  }
  const throwing = new Proxy({}, { get: () => { throw new Error('boom'); }, ownKeys: () => { throw new Error('boom'); } });
  assert.equal(await verifyEntry(throwing), false);
  assert.equal(await cache.verify(throwing), false);
});

describe('VerificationCache', () => {
  test('caches verdicts and never lets a tampered entry through', async () => {
    const signer = await signerFor('Ed25519');
    const cache = new VerificationCache();
    const entry = await signEntry(signer, { type: 'ballot', scope: 'poll:x', choices: ['a'] }, 1);
    assert.equal(await cache.verify(entry), true);
    assert.equal(await cache.verify(entry), true);
    assert.equal(cache.size, 1);
    // Same sig, different content: every variant fails, cached `true` notwithstanding.
    for (const bad of [
      { ...entry, choices: ['b'] },
      { ...entry, ts: 2 },
      { ...entry, scope: 'poll:y' },
      { ...entry, extra: 'x' },
    ]) {
      assert.equal(await cache.verify(bad), false);
      assert.equal(await cache.verify(bad), false);
    }
    assert.equal(await cache.verify(entry), true);
    // A tampered entry seen first does not poison the honest one either.
    const second = await signEntry(signer, { type: 'ballot', scope: 'poll:x', choices: ['c'] }, 3);
    assert.equal(await cache.verify({ ...second, choices: ['d'] }), false);
    assert.equal(await cache.verify(second), true);
  });

  test('is bounded', async () => {
    const signer = await signerFor('Ed25519');
    const cache = new VerificationCache({ maxEntries: 3 });
    const entries = [];
    for (let i = 0; i < 6; i++) entries.push(await signEntry(signer, { type: 't', scope: 's', i }, i));
    for (const entry of entries) assert.equal(await cache.verify(entry), true);
    assert.equal(cache.size, 3);
    for (const entry of entries) assert.equal(await cache.verify(entry), true);
  });

  test('concurrent checks of one entry share the work and agree', async () => {
    const signer = await signerFor('ECDSA-P256');
    const cache = new VerificationCache();
    const entry = await signEntry(signer, { type: 't', scope: 's' }, 1);
    const results = await Promise.all([cache.verify(entry), cache.verify(entry), cache.verify({ ...entry, ts: 2 })]);
    assert.deepEqual(results, [true, true, false]);
    assert.equal(cache.size, 2);
  });
});

test('unsignedPart drops only sig', () => {
  assert.deepEqual(unsignedPart({ a: 1, sig: 'x', v: 1 }), { a: 1, v: 1 });
});

test('createSigner defaults to Ed25519 here and exports raw public keys', async () => {
  const signer = await createSigner();
  assert.equal(signer.alg, 'Ed25519');
  assert.equal(fromBase64url(signer.publicKey)?.length, 32);
  const ecdsa = await signerFor('ECDSA-P256');
  assert.equal(fromBase64url(ecdsa.publicKey)?.length, 65);
  assert.ok(Object.isFrozen(signer));
});

test('loadDeviceSigner explains itself in Node', async () => {
  await assert.rejects(loadDeviceSigner(), (error: unknown) => error instanceof GatherError && error.code === 'no-indexeddb');
});
