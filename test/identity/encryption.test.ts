// Sealing a message for one person: X25519 and P-256 pairs, HKDF bound to a context and both keys,
// AES-GCM with a fresh IV; nothing opens outside its context, for anyone else, or after tampering.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fromBase64url, toBase64url } from '../../src/identity/base64url.js';
import { createEncryption, curveOfKey, encryptionFor } from '../../src/identity/encryption.js';
import { GatherError } from '../../src/errors.js';

const text = (bytes: Uint8Array | null) => (bytes === null ? null : new TextDecoder().decode(bytes));
const bytes = (s: string) => new TextEncoder().encode(s);

describe('encryption', () => {
  test('a device has an X25519 pair (preferred) and a P-256 pair; keys are recognised by length', async () => {
    const me = await createEncryption();
    assert.equal(me.publicKeys.length, 2);
    assert.equal(curveOfKey(me.publicKeys[0]), 'X25519');
    assert.equal(curveOfKey(me.publicKeys[1]), 'P-256');
    assert.equal(me.publicKeyOn('P-256'), me.publicKeys[1]);
    assert.equal(curveOfKey('AAAA'), null);
    assert.equal(curveOfKey(42), null);
  });

  for (const curve of ['X25519', 'P-256'] as const) {
    test(`${curve}: only the recipient opens, only in the same context, from the same sender`, async () => {
      const [alice, bob, carol] = await Promise.all([createEncryption(), createEncryption(), createEncryption()]);
      const context = bytes('room|aid:eastside|post 1|response');
      const to = bob.publicKeyOn(curve)!;
      const from = alice.publicKeyOn(curve)!;
      const sealed = await alice.seal(to, bytes('call 555-0100'), context);
      assert.equal(text(await bob.open(from, sealed, context)), 'call 555-0100');
      assert.equal(await carol.open(from, sealed, context), null, 'someone else');
      assert.equal(await bob.open(from, sealed, bytes('room|aid:eastside|post 2|response')), null, 'another context');
      assert.equal(await bob.open(carol.publicKeyOn(curve)!, sealed, context), null, 'another sender');
      const raw = fromBase64url(sealed)!;
      raw[raw.length - 1]! ^= 1;
      assert.equal(await bob.open(from, toBase64url(raw), context), null, 'tampered');
      assert.ok(!sealed.includes(toBase64url(bytes('555-0100'))), 'no plaintext in the sealed form');
      // A fresh IV each time: the same message seals differently.
      assert.notEqual(await alice.seal(to, bytes('call 555-0100'), context), sealed);
      // Sealing for oneself: the same device opens it later.
      const own = await alice.seal(from, bytes('mine'), context);
      assert.equal(text(await alice.open(from, own, context)), 'mine');
    });
  }

  test('hostile input opens as null and never throws; lengths are padded', async () => {
    const [alice, bob] = await Promise.all([createEncryption(), createEncryption()]);
    const ctx = bytes('c');
    for (const junk of ['', 'AQ', 'not base64!', 'A'.repeat(10_000), toBase64url(new Uint8Array(80))]) {
      assert.equal(await bob.open(alice.publicKeys[0]!, junk, ctx), null, JSON.stringify(junk.slice(0, 10)));
    }
    assert.equal(await bob.open('junk', await alice.seal(bob.publicKeys[0]!, bytes('x'), ctx), ctx), null);
    const short = await alice.seal(bob.publicKeys[0]!, bytes('a'), ctx);
    const longer = await alice.seal(bob.publicKeys[0]!, bytes('abcdefghijklmnop'), ctx);
    assert.equal(short.length, longer.length, 'padded to the same size');
    await assert.rejects(alice.seal('junk', bytes('x'), ctx), (e) => e instanceof GatherError && e.code === 'invalid-entry');
    const p256only = await createEncryption(['P-256']);
    await assert.rejects(p256only.seal(alice.publicKeys[0]!, bytes('x'), ctx), (e) => e instanceof GatherError && e.code === 'unsupported-algorithm');
    // A P-256-only device writes to a device that has both, on P-256.
    const sealed = await p256only.seal(alice.publicKeyOn('P-256')!, bytes('hello'), ctx);
    assert.equal(text(await alice.open(p256only.publicKeys[0]!, sealed, ctx)), 'hello');
  });

  test('without IndexedDB (Node): one in-memory identity per signing key', async () => {
    const [a, again, b] = await Promise.all([encryptionFor('signer-a'), encryptionFor('signer-a'), encryptionFor('signer-b')]);
    assert.equal(a, again);
    assert.notDeepEqual(a.publicKeys, b.publicKeys);
  });
});
