// The compact entry format (v2): the deterministic CBOR it uses, the stored form and the object
// form, room binding, old (v1) entries, and verification once per entry.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { toBase64url } from '../../src/identity/base64url.js';
import { cborDecode, cborEncode } from '../../src/identity/binary.js';
import { canonicalBytes } from '../../src/identity/canonical.js';
import {
  entrySite,
  MAX_ENTRY_BYTES,
  prepareEntry,
  readStoredEntry,
  roomTag,
  signCompactEntry,
  signEntry,
  storeEntry,
} from '../../src/identity/entries.js';
import { createSigner } from '../../src/identity/keys.js';
import { SIGNATURE_ALGORITHMS, type Signer } from '../../src/identity/types.js';
import { VerificationCache, verifyEntry } from '../../src/identity/verification.js';
import { GatherError } from '../../src/errors.js';

const hex = (text: string): Uint8Array => Uint8Array.from(text.match(/../g)!.map((b) => parseInt(b, 16)));
const ballotFields = (type: string) => (type === 'ballot' ? ['choices'] : undefined);

describe('deterministic CBOR', () => {
  test('base64url is Node\'s, at every length up to 200 bytes, around its 4,096-character chunks, at 10,000 and 60,000 bytes (a buffer not kept), then short again', () => {
    const lengths = [...Array.from({ length: 201 }, (_, i) => i), 3071, 3072, 3073, 6144, 6145, 10_000, 60_000, 5];
    for (const length of lengths) {
      const bytes = new Uint8Array(length).map(() => Math.floor(Math.random() * 256));
      assert.equal(toBase64url(bytes), Buffer.from(bytes).toString('base64url'), `${length} bytes`);
    }
  });

  test('round-trips plain values, with one spelling each', () => {
    const values: unknown[] = [
      0, 1, 23, 24, 255, 256, 65535, 65536, 2 ** 32, Number.MAX_SAFE_INTEGER, -1, -24, -25, -(2 ** 40), Number.MIN_SAFE_INTEGER,
      0.5, -1.25, 1e300, 2 ** 60, '', 'tue', 'é✓😀', true, false, null, [], [1, [2, ['x']]], {}, { b: 1, a: { c: [null] } },
    ];
    for (const value of values) assert.deepEqual(cborDecode(cborEncode(value)), value, JSON.stringify(value));
    // Known encodings (RFC 8949 appendix A).
    assert.deepEqual(cborEncode(100), hex('1864'));
    assert.deepEqual(cborEncode(-1000), hex('3903e7'));
    assert.deepEqual(cborEncode(1.1), hex('fb3ff199999999999a'));
    assert.deepEqual(cborEncode({ a: 1, b: [2, 3] }), hex('a26161016162820203'));
    // Keys sort by encoded bytes: shorter first.
    assert.deepEqual(cborEncode({ aa: 1, b: 2 }), hex('a261620262616101'));
    assert.deepEqual(cborEncode(-0), cborEncode(0));
  });

  test('decoding refuses every other spelling and anything outside the subset', () => {
    const bad = [
      '1817', // 23 in two bytes
      '190017', // 23 in three bytes
      'fb4000000000000000', // 2.0 as a float: integers are integers
      'fb8000000000000000', // -0.0
      'fb7ff8000000000000', // NaN
      'f97e00', // float16
      'a2616201616101', // keys out of order
      'a2616101616102', // duplicate key
      'a10101', // integer key
      '5f', // indefinite byte string
      '9f01ff', // indefinite array
      '4101', // byte string
      'c001', // tag
      'f7', // undefined
      '6261', // text cut short
      '62c328', // invalid UTF-8
      '0101', // trailing bytes
      '1b0020000000000000', // 2^53: not a safe integer
      '9a7fffffff', // array longer than the input
    ];
    for (const bytes of bad) assert.equal(cborDecode(hex(bytes)), undefined, bytes);
  });

  test('refuses to encode what it cannot say exactly', () => {
    for (const value of [NaN, Infinity, undefined, [undefined], 1n, new Date(0), new Uint8Array(1), '\uDC00', { x: 'a\uD800' }]) {
      assert.throws(() => cborEncode(value), GatherError);
    }
  });

  test('a "__proto__" key is data, never a prototype', () => {
    const decoded = cborDecode(cborEncode(JSON.parse('{"__proto__": {"polluted": true}}'))) as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(decoded), Object.prototype);
    assert.deepEqual(Object.keys(decoded), ['__proto__']);
    assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
  });
});

for (const alg of SIGNATURE_ALGORITHMS) {
  describe(`compact entries (${alg})`, () => {
    let signer: Signer;
    const scope = 'poll:evening';
    const room = roomTag('eastside');
    const site = entrySite(scope, room);

    test('stored form and object form carry the same signed entry', async () => {
      signer = await createSigner(alg);
      const { entry, stored } = await signCompactEntry(signer, { type: 'ballot', scope, room, choices: ['tue'] }, 1_700_000_000_123, 'ballot', ballotFields);
      assert.deepEqual(Object.keys(entry), ['v', 'type', 'scope', 'room', 'author', 'alg', 'ts', 'choices', 'sig']);
      assert.equal(entry.v, 2);
      assert.equal(stored[0], 0x32, 'type and field names left out');
      // Header, 6-byte time, the one choice (5 bytes), the signature: no author, scope or room.
      assert.equal(stored.length, 1 + 6 + 5 + 64);
      const read = readStoredEntry(stored, site, signer.publicKey, 'ballot', ballotFields);
      assert.ok(read);
      assert.deepEqual(read.entry, entry);
      assert.deepEqual(storeEntry(entry, 'ballot', ballotFields), stored, 'object → stored gives the same bytes');
      assert.deepEqual(read.prepared.data, prepareEntry(entry)!.data, 'both forms sign the same bytes');
      assert.equal(await verifyEntry(entry), true);
      assert.equal(await new VerificationCache().verifyPrepared(read.prepared), true);
    });

    test('flipping any bit of any stored byte is rejected', async () => {
      const { stored } = await signCompactEntry(signer, { type: 'ballot', scope, room, choices: ['thu'] }, 1_700_000_000_000, 'ballot', ballotFields);
      const cache = new VerificationCache();
      let checked = 0;
      for (let i = 0; i < stored.length; i++) {
        for (const bit of [0x01, 0x80]) {
          const flipped = stored.slice();
          flipped[i]! ^= bit;
          const read = readStoredEntry(flipped, site, signer.publicKey, 'ballot', ballotFields);
          if (read === null) continue;
          checked++;
          assert.equal(await cache.verifyPrepared(read.prepared), false, `byte ${i} ^ ${bit}`);
        }
      }
      assert.ok(checked > stored.length, `most flips decode, and then fail their signature (${checked})`);
      // Cut short or extended.
      assert.equal(readStoredEntry(stored.subarray(0, -1), site, signer.publicKey, 'ballot', ballotFields), null);
      const extended = readStoredEntry(new Uint8Array([...stored, 0]), site, signer.publicKey, 'ballot', ballotFields);
      assert.ok(extended === null || !(await cache.verifyPrepared(extended.prepared)));
    });

    test('an entry moved to another author, kind, widget or room fails', async () => {
      const other = await createSigner(alg);
      const { stored } = await signCompactEntry(signer, { type: 'ballot', scope, room, choices: ['tue'] }, 1_700_000_000_000, 'ballot', ballotFields);
      const cache = new VerificationCache();
      const elsewhere = [
        readStoredEntry(stored, site, other.publicKey, 'ballot', ballotFields),
        readStoredEntry(stored, site, signer.publicKey, 'close', ballotFields),
        readStoredEntry(stored, entrySite('poll:other', room), signer.publicKey, 'ballot', ballotFields),
        readStoredEntry(stored, entrySite(scope, roomTag('westside')), signer.publicKey, 'ballot', ballotFields),
        readStoredEntry(stored, entrySite(scope), signer.publicKey, 'ballot', ballotFields),
      ];
      for (const read of elsewhere) if (read !== null) assert.equal(await cache.verifyPrepared(read.prepared), false);
      assert.equal(await cache.verifyPrepared(readStoredEntry(stored, site, signer.publicKey, 'ballot', ballotFields)!.prepared), true);
    });

    test('bodies the model has no field list for keep their names; a type unlike the key is written out', async () => {
      const { entry, stored } = await signCompactEntry(signer, { type: 'close', scope, closed: true, reason: 'done' }, 5, 'ballot', ballotFields);
      assert.equal(stored[0], 0x02);
      const read = readStoredEntry(stored, entrySite(scope), signer.publicKey, 'ballot', ballotFields)!;
      assert.deepEqual(read.entry, entry);
      assert.equal(await verifyEntry(read.entry), true);
      // A ballot with an extra field is not the usual shape: names kept.
      const extra = await signCompactEntry(signer, { type: 'ballot', scope, choices: ['a'], note: 'x' }, 5, 'ballot', ballotFields);
      assert.equal(extra.stored[0], 0x12);
      assert.deepEqual(readStoredEntry(extra.stored, entrySite(scope), signer.publicKey, 'ballot', ballotFields)!.entry, extra.entry);
    });

    test('non-canonical stored forms are refused', async () => {
      const plain = await signCompactEntry(signer, { type: 'ballot', scope, room, choices: ['tue'] }, 7, 'ballot');
      // Names written although the model leaves them out: a second spelling of the same entry.
      assert.equal(readStoredEntry(plain.stored, site, signer.publicKey, 'ballot', ballotFields), null);
      // Field names left out, read by a model that has no list.
      const compact = await signCompactEntry(signer, { type: 'ballot', scope, room, choices: ['tue'] }, 7, 'ballot', ballotFields);
      assert.equal(readStoredEntry(compact.stored, site, signer.publicKey, 'ballot'), null);
      // The type written out although it is the key's kind.
      const written = await signCompactEntry(signer, { type: 'ballot', scope, room, choices: ['tue'] }, 7, 'other', ballotFields);
      assert.equal(readStoredEntry(written.stored, site, signer.publicKey, 'ballot', ballotFields), null);
      // Unknown header bits, a non-shortest time.
      const header = compact.stored.slice();
      header[0] = 0x72;
      assert.equal(readStoredEntry(header, site, signer.publicKey, 'ballot', ballotFields), null);
      const longTime = new Uint8Array([compact.stored[0]!, 0x87, 0x00, ...compact.stored.subarray(2)]);
      assert.equal(readStoredEntry(longTime, site, signer.publicKey, 'ballot', ballotFields), null);
    });
  });
}

describe('compact entries: hostile input', () => {
  test('never throws on junk, whatever its type or size', async () => {
    const signer = await createSigner('Ed25519');
    const site = entrySite('poll:x');
    const junk: unknown[] = [
      undefined, null, 42, 'text', {}, [], new Uint8Array(0), new Uint8Array(66), new Uint8Array(MAX_ENTRY_BYTES + 1), new Uint16Array(40),
      Uint8Array.from({ length: 200 }, (_, i) => (i * 37) & 0xff), new Uint8Array(100).fill(0xff),
    ];
    for (const value of junk) {
      for (const author of [signer.publicKey, '', 'not base64!', 'A'.repeat(43), 'A'.repeat(44)]) {
        assert.equal(readStoredEntry(value, site, author, 'ballot', () => ['choices']), null);
      }
    }
    const valid = await signCompactEntry(signer, { type: 'ballot', scope: 'poll:x', choices: ['a'] }, 1, 'ballot');
    assert.ok(readStoredEntry(valid.stored, site, signer.publicKey, 'ballot'));
    // A body may not reuse a header field's name (the object form would be ambiguous).
    const sneaky = new Uint8Array([0x12, 0x01, ...cborEncode({ author: 'x' }), ...new Uint8Array(64)]);
    assert.equal(readStoredEntry(sneaky, site, signer.publicKey, 'ballot'), null);
    const honest = new Uint8Array([0x12, 0x01, ...cborEncode({ authors: 'x' }), ...new Uint8Array(64)]);
    assert.ok(readStoredEntry(honest, site, signer.publicKey, 'ballot'), 'the same shape with a free name reads (and fails its signature later)');
  });

  test('a body cannot carry header names; too large an entry cannot be signed', async () => {
    const signer = await createSigner('Ed25519');
    const entry = await signEntry(signer, { type: 't', scope: 's', author: 'x', ts: 4, extra: 1 } as unknown as { type: string; scope: string }, 3);
    assert.equal(entry.author, signer.publicKey);
    assert.equal(entry.ts, 3);
    await assert.rejects(signEntry(signer, { type: 't', scope: 's', pad: 'x'.repeat(MAX_ENTRY_BYTES) }), (e: unknown) => e instanceof GatherError && e.code === 'entry-too-large');
    await assert.rejects(signEntry(signer, { type: 't', scope: 's' }, 1.5), (e: unknown) => e instanceof GatherError && e.code === 'invalid-entry');
    await assert.rejects(signEntry(signer, { type: 't', scope: 's', room: 'eastside' }), (e: unknown) => e instanceof GatherError && e.code === 'invalid-entry');
  });
});

describe('v1 entries (JSON) are still read', () => {
  test('a v1 entry as written before verifies; any change to it fails', async () => {
    for (const alg of SIGNATURE_ALGORITHMS) {
      const signer = await createSigner(alg);
      const fields = { v: 1, type: 'ballot', scope: 'poll:x', author: signer.publicKey, alg, ts: 1234.5, choices: ['a'] };
      const v1 = { ...fields, sig: toBase64url(await signer.sign(canonicalBytes(fields))) };
      assert.equal(await verifyEntry(v1), true);
      assert.equal(await new VerificationCache().verify(v1), true);
      for (const bad of [{ ...v1, choices: ['b'] }, { ...v1, v: 2 }, { ...v1, ts: 1234 }, { ...v1, room: roomTag('r') }]) {
        assert.equal(await verifyEntry(bad), false, JSON.stringify(bad));
      }
    }
  });
});

describe('VerificationCache batches', () => {
  test('checks each signature once, answers repeats from memory, and keeps bad verdicts apart', async () => {
    const signer = await createSigner('Ed25519');
    const cache = new VerificationCache();
    const entries = await Promise.all(Array.from({ length: 100 }, (_, i) => signEntry(signer, { type: 'n', scope: 's', i }, i)));
    const prepared = entries.map((e) => prepareEntry(e)!);
    const forged = prepareEntry({ ...entries[0]!, i: 99 })!;
    assert.deepEqual(await cache.verifyBatch([...prepared, forged]), [...prepared.map(() => true), false]);
    assert.equal(cache.signaturesChecked, 101);
    assert.deepEqual(await cache.verifyBatch([forged, ...prepared]), [false, ...prepared.map(() => true)]);
    assert.equal(cache.signaturesChecked, 101, 'nothing checked twice');
    assert.equal(cache.verdictStore, null, 'no IndexedDB in Node: no store, no error');
  });

  test('batches asking at once for an entry being checked wait for that one check', async () => {
    const signer = await createSigner('Ed25519');
    const cache = new VerificationCache();
    const good = prepareEntry(await signEntry(signer, { type: 'n', scope: 's', i: 1 }, 1))!;
    const forged = prepareEntry({ ...(await signEntry(signer, { type: 'n', scope: 's', i: 2 }, 2)), i: 3 })!;
    const answers = await Promise.all([cache.verifyBatch([good, forged]), cache.verifyBatch([forged, good]), cache.verifyPrepared(good)]);
    assert.deepEqual(answers, [[true, false], [false, true], true]);
    assert.equal(cache.signaturesChecked, 2);
  });
});
