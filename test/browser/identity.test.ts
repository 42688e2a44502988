import { expect } from '@open-wc/testing';
import { toBase64url } from '../../src/identity/base64url.js';
import { canonicalBytes } from '../../src/identity/canonical.js';
import { entrySite, prepareEntry, readStoredEntry, roomTag, signCompactEntry, signEntry } from '../../src/identity/entries.js';
import { BOOT_PAGE_JOBS, VerificationCache, verifyEntry, WARM_MIN_JOBS } from '../../src/identity/verification.js';
import { openVerdictStore } from '../../src/identity/verdict-store.js';
import { VerifierPool } from '../../src/identity/verifier-pool.js';
import { type StartedWorkers, verifierPoolSize } from '../../src/identity/verifier-worker.js';
import { createSigner, DEVICE_RECORD_KEY, IDENTITY_DB_NAME, IDENTITY_STORE_NAME, loadDeviceSigner } from '../../src/identity/keys.js';

function readDeviceRecord(): Promise<any> {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open(IDENTITY_DB_NAME);
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const request = open.result.transaction(IDENTITY_STORE_NAME).objectStore(IDENTITY_STORE_NAME).get(DEVICE_RECORD_KEY);
      request.onsuccess = () => {
        open.result.close();
        resolve(request.result);
      };
      request.onerror = () => reject(request.error);
    };
  });
}

describe('base64url in a real browser', () => {
  it("writes what btoa writes, in the URL alphabet and unpadded (the engine's own encoder where it has one)", () => {
    const reference = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes)).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
    for (let length = 0; length <= 100; length++) {
      const bytes = crypto.getRandomValues(new Uint8Array(length));
      expect(toBase64url(bytes), `${length} bytes`).to.equal(reference(bytes));
      // A view into a larger buffer: only its own bytes.
      const inner = new Uint8Array(length + 7);
      inner.set(bytes, 3);
      expect(toBase64url(inner.subarray(3, 3 + length)), `${length} bytes at an offset`).to.equal(reference(bytes));
    }
    expect(toBase64url(new Uint8Array([0xfb, 0xff, 0xbf]))).to.equal('-_-_');
  });
});

describe('device identity in a real browser', () => {
  it('is created once, kept in IndexedDB with a non-extractable private key, and signs verifiable entries', async () => {
    const [first, second] = await Promise.all([loadDeviceSigner(), loadDeviceSigner()]);
    expect(second.publicKey).to.equal(first.publicKey);
    expect(first.alg).to.equal('Ed25519');

    const record = await readDeviceRecord();
    expect(record.signing.alg).to.equal(first.alg);
    const raw = new Uint8Array(await crypto.subtle.exportKey('raw', record.signing.publicKey));
    expect(toBase64url(raw)).to.equal(first.publicKey);
    expect(record.signing.privateKey).to.be.instanceOf(CryptoKey);
    expect(record.signing.privateKey.extractable).to.be.false;

    const entry = await signEntry(first, { type: 'ballot', scope: 'poll:test', choices: ['a'] });
    expect(await verifyEntry(entry)).to.be.true;
    expect(await verifyEntry({ ...entry, choices: ['b'] })).to.be.false;
  });
});

describe('compact entries in a real browser', () => {
  const fields = (type: string) => (type === 'ballot' ? ['choices'] : undefined);

  it('verify, reject every flipped byte, and old v1 entries still verify', async () => {
    const signer = await createSigner();
    const room = roomTag('eastside');
    const site = entrySite('poll:x', room);
    const { entry, stored } = await signCompactEntry(signer, { type: 'ballot', scope: 'poll:x', room, choices: ['tue'] }, Date.now(), 'ballot', fields);
    expect(await verifyEntry(entry)).to.be.true;
    const cache = new VerificationCache({ persist: false });
    const read = readStoredEntry(stored, site, signer.publicKey, 'ballot', fields)!;
    expect(read.entry).to.deep.equal(entry);
    expect(await cache.verifyPrepared(read.prepared)).to.be.true;
    for (let i = 0; i < stored.length; i++) {
      const flipped = stored.slice();
      flipped[i] ^= 0x01;
      const bad = readStoredEntry(flipped, site, signer.publicKey, 'ballot', fields);
      if (bad !== null) expect(await cache.verifyPrepared(bad.prepared), `byte ${i}`).to.be.false;
    }
    const v1Fields = { v: 1, type: 'ballot', scope: 'poll:x', author: signer.publicKey, alg: signer.alg, ts: 12, choices: ['a'] };
    const v1 = { ...v1Fields, sig: toBase64url(await signer.sign(canonicalBytes(v1Fields))) };
    expect(await verifyEntry(v1)).to.be.true;
    expect(await verifyEntry({ ...v1, choices: ['b'] })).to.be.false;
  });

  it('checks a large batch in workers, with the same verdicts (both algorithms, packed into one buffer)', async () => {
    const signers = await Promise.all(Array.from({ length: 8 }, (_, i) => createSigner(i % 2 === 0 ? 'Ed25519' : 'ECDSA-P256')));
    const entries = await Promise.all(Array.from({ length: 200 }, (_, i) => signEntry(signers[i % 8]!, { type: 'n', scope: 's', i }, i)));
    const prepared = entries.map((e) => prepareEntry(e)!);
    prepared[7] = prepareEntry({ ...entries[7]!, i: -1 })!;
    prepared[8] = prepareEntry({ ...entries[8]!, i: -1 })!;
    const cache = new VerificationCache({ persist: false });
    await cache.warm(WARM_MIN_JOBS); // a large first sync coming: the workers' code loads and they boot
    const verdicts = await cache.verifyBatch(prepared);
    expect(verdicts.filter((v) => !v)).to.have.length(2);
    expect(verdicts[7]).to.be.false;
    expect(verdicts[8]).to.be.false;
    // The pool itself (the cache falls back to the page when workers fail): the same verdicts.
    const pool = VerifierPool.create()!;
    expect(await pool.verify(prepared)).to.deep.equal(verdicts);
    pool.destroy();
    expect(cache.signaturesChecked).to.equal(200);
  });

  it('hands the workers copies of its chunks: no buffer of the page is detached (V8 then drops its optimized typed-array code, Yjs decoders and all)', async () => {
    const signers = await Promise.all(Array.from({ length: 4 }, () => createSigner('Ed25519')));
    const entries = await Promise.all(Array.from({ length: 100 }, (_, i) => signEntry(signers[i % 4]!, { type: 'n', scope: 's', i }, i)));
    const sent: Uint8Array[] = [];
    const post = Worker.prototype.postMessage;
    Worker.prototype.postMessage = function (this: Worker, message: unknown, ...rest: never[]) {
      const bytes = (message as { bytes?: unknown } | null)?.bytes;
      if (bytes instanceof Uint8Array) sent.push(bytes);
      return (post as (...args: unknown[]) => void).call(this, message, ...rest);
    };
    const pool = VerifierPool.create()!;
    try {
      expect(await pool.verify(entries.map((e) => prepareEntry(e)!))).to.deep.equal(entries.map(() => true));
    } finally {
      Worker.prototype.postMessage = post;
      pool.destroy();
    }
    expect(sent.length).to.be.greaterThan(1);
    // A transferred buffer is detached: empty on the page once posted.
    for (const bytes of sent) expect(bytes.buffer.byteLength, 'a chunk left the page detached').to.be.greaterThan(0);
  });

  it("a new device's first sync is checked and hashed in the workers (but for the page's share while they boot); its verdicts are kept by the ids the page would have made", async () => {
    const name = `test-verdicts-new-device-${Date.now()}`;
    const signers = [await createSigner('Ed25519'), await createSigner('ECDSA-P256')];
    const entries = await Promise.all(Array.from({ length: 150 }, (_, i) => signEntry(signers[i % 2]!, { type: 'n', scope: 's', i }, i)));
    const prepared = entries.map((e) => prepareEntry(e)!);
    // Forged: one among the page's share, one among the workers'.
    prepared[3] = prepareEntry({ ...entries[3]!, i: -1 })!;
    prepared[120] = prepareEntry({ ...entries[120]!, i: -1 })!;
    const hashing = VerifierPool.prototype.verifyAndHash;
    let hashedInWorkers = 0;
    VerifierPool.prototype.verifyAndHash = function (this: VerifierPool, jobs, page) {
      hashedInWorkers += jobs.length;
      return hashing.call(this, jobs, page);
    };
    try {
      const store = openVerdictStore({ name })!;
      const cache = new VerificationCache({ persist: store });
      await cache.warm(WARM_MIN_JOBS);
      const verdicts = await cache.verifyBatch(prepared);
      expect(verdicts.map((ok, i) => ok || i)).to.deep.equal(prepared.map((_, i) => (i !== 3 && i !== 120) || i));
      expect(hashedInWorkers).to.equal(150 - BOOT_PAGE_JOBS);
      // Remembered by the same ids: asked again, nothing is checked again.
      const checked = cache.signaturesChecked;
      expect(checked).to.equal(150);
      for (const i of [10, 100]) expect(await cache.verifyPrepared(prepared[i]!)).to.be.true;
      for (const i of [3, 120]) expect(await cache.verifyPrepared(prepared[i]!)).to.be.false;
      expect(cache.signaturesChecked).to.equal(checked);
      await store.flush();
      // The device's next page (its store no longer empty) looks them up: only the forged ones are checked.
      const next = new VerificationCache({ persist: openVerdictStore({ name })!, workers: false });
      expect(await next.verifyBatch(prepared)).to.deep.equal(verdicts);
      expect(next.signaturesChecked).to.equal(2);
      cache.destroy();
      next.destroy();
    } finally {
      VerifierPool.prototype.verifyAndHash = hashing;
    }
  });

  it('a batch asked for while the workers\' code is still loading waits for the workers rather than taking the page', async () => {
    const signer = await createSigner();
    const entries = await Promise.all(Array.from({ length: 120 }, (_, i) => signEntry(signer, { type: 'n', scope: 's', i }, i)));
    const prepared = entries.map((e) => prepareEntry(e)!);
    const verify = VerifierPool.prototype.verify;
    let toWorkers = 0;
    VerifierPool.prototype.verify = function (this: VerifierPool, jobs, page) {
      toWorkers += jobs.length;
      return verify.call(this, jobs, page);
    };
    try {
      const cache = new VerificationCache({ persist: false });
      void cache.warm(WARM_MIN_JOBS); // not awaited: the first slice of a sync comes while the code loads
      const verdicts = await cache.verifyBatch(prepared);
      expect(verdicts.every(Boolean)).to.be.true;
      expect(toWorkers).to.equal(120);
      cache.destroy();
    } finally {
      VerifierPool.prototype.verify = verify;
    }
  });

  it('while its workers boot, the page checks the first entries of a sync itself (its share, once), the way it checks a live entry', async () => {
    const signer = await createSigner();
    const entries = await Promise.all(Array.from({ length: 500 }, (_, i) => signEntry(signer, { type: 'n', scope: 's', i }, i)));
    const prepared = entries.map((e) => prepareEntry(e)!);
    // Forged: one the workers check, one in the page's share.
    for (const i of [5, 150]) prepared[i] = prepareEntry({ ...entries[i]!, i: -1 })!;
    const forged = (from: number, to: number) => prepared.slice(from, to).map((_, i) => (i + from !== 5 && i + from !== 150) || i + from);
    const verify = VerifierPool.prototype.verify;
    const asked: number[] = [];
    VerifierPool.prototype.verify = function (this: VerifierPool, jobs, page) {
      asked.push(jobs.length);
      return verify.call(this, jobs, page);
    };
    const cache = new VerificationCache({ persist: false });
    try {
      await cache.warm(WARM_MIN_JOBS);
      expect(cache.workersBooting).to.be.true;
      // Two batches asked for while they boot: one too small to leave the workers a batch of their own
      // (all theirs), then one large enough (the page takes its share, the workers the rest).
      const small = cache.verifyBatch(prepared.slice(0, 100));
      const large = cache.verifyBatch(prepared.slice(100, 300));
      expect(asked).to.deep.equal([100, 200 - BOOT_PAGE_JOBS]);
      expect((await small).map((ok, i) => ok || i)).to.deep.equal(forged(0, 100));
      expect((await large).map((ok, i) => ok || i + 100)).to.deep.equal(forged(100, 300));
      // Its share taken, the page hands every later batch on.
      expect((await cache.verifyBatch(prepared.slice(300))).every(Boolean)).to.be.true;
      expect(asked).to.deep.equal([100, 200 - BOOT_PAGE_JOBS, 200]);
      expect(cache.signaturesChecked).to.equal(500);
    } finally {
      VerifierPool.prototype.verify = verify;
      cache.destroy();
    }
  });

  it('starts the workers in the call that asks for them, and the pool takes those when its code has come', async () => {
    const signer = await createSigner();
    const entries = await Promise.all(Array.from({ length: 100 }, (_, i) => signEntry(signer, { type: 'n', scope: 's', i }, i)));
    const prepared = entries.map((e) => prepareEntry(e)!);
    prepared[5] = prepareEntry({ ...entries[5]!, i: -1 })!;
    const Native = globalThis.Worker;
    let started = 0;
    globalThis.Worker = class extends Native {
      constructor(...args: ConstructorParameters<typeof Worker>) {
        super(...args);
        started++;
      }
    };
    const toWorkers = VerifierPool.prototype.verify;
    let checkedInWorkers = 0;
    VerifierPool.prototype.verify = function (this: VerifierPool, jobs, page) {
      checkedInWorkers += jobs.length;
      return toWorkers.call(this, jobs, page);
    };
    try {
      const cache = new VerificationCache({ persist: false });
      const warming = cache.warm(WARM_MIN_JOBS);
      // Started before anything was awaited (the pool's code is a chunk of its own in the embed).
      expect(started).to.be.greaterThan(0);
      expect(started).to.equal(verifierPoolSize());
      await warming;
      const verdicts = await cache.verifyBatch(prepared);
      expect(verdicts.map((ok, i) => ok || i)).to.deep.equal(prepared.map((_, i) => i !== 5 || 5));
      expect(checkedInWorkers).to.equal(100);
      expect(started, 'the pool started no workers of its own').to.equal(verifierPoolSize());
      cache.destroy();
    } finally {
      globalThis.Worker = Native;
      VerifierPool.prototype.verify = toWorkers;
    }
  });

  it('says its workers are booting until each has answered once (a model reading a room meanwhile gives the page its turn often)', async () => {
    const signer = await createSigner();
    const prepared = (await Promise.all(Array.from({ length: 60 }, (_, i) => signEntry(signer, { type: 'n', scope: 's', i }, i)))).map((e) => prepareEntry(e)!);
    // 480 jobs: ten chunks, more than enough for every worker of the pool to get one.
    const jobs = Array.from({ length: 480 }, (_, i) => prepared[i % 60]!);
    const cache = new VerificationCache({ persist: false });
    expect(cache.workersBooting, 'no workers asked for').to.be.false;
    const warming = cache.warm(WARM_MIN_JOBS);
    expect(cache.workersBooting, 'started in the call, not answered yet').to.be.true;
    await warming;
    expect(cache.workersBooting, 'the pool took them: none has answered').to.be.true;
    const pool = VerifierPool.create()!;
    pool.warm();
    expect(pool.booting).to.be.true;
    expect((await pool.verify(jobs)).every(Boolean)).to.be.true;
    expect(pool.booting, 'every worker answered').to.be.false;
    pool.destroy();
    expect(pool.booting, 'no workers').to.be.false;
    expect((await cache.verifyBatch(jobs)).every(Boolean)).to.be.true;
    expect(cache.workersBooting, 'every worker answered').to.be.false;
    cache.destroy();
    expect(new VerificationCache({ persist: false, workers: false }).workersBooting, 'a cache without workers').to.be.false;
  });

  it('a pool handed workers that could not run is unusable at once: its caller checks on the page', async () => {
    const signer = await createSigner();
    const prepared = (await Promise.all(Array.from({ length: 70 }, (_, i) => signEntry(signer, { type: 'n', scope: 's', i }, i)))).map((e) => prepareEntry(e)!);
    // As a page whose CSP refuses the worker would have it: the worker fails before the pool takes it.
    const worker = new Worker(URL.createObjectURL(new Blob(['throw new Error("refused")'], { type: 'text/javascript' })));
    const early: StartedWorkers & { failed: boolean } = { workers: [worker], failed: false };
    await new Promise<void>((resolve) => {
      worker.onerror = (event) => {
        event.preventDefault();
        early.failed = true;
        resolve();
      };
    });
    const pool = VerifierPool.create(early)!;
    let error: unknown;
    await pool.verify(prepared).catch((e: unknown) => (error = e));
    expect(error).to.be.instanceOf(Error);
    expect(pool.usable).to.be.false;
    pool.destroy();
  });

  it('shares a batch between the workers and the page, in small chunks, each verdict in its place', async () => {
    const signers = await Promise.all(Array.from({ length: 4 }, () => createSigner()));
    const entries = await Promise.all(Array.from({ length: 150 }, (_, i) => signEntry(signers[i % 4]!, { type: 'n', scope: 's', i }, i)));
    const good = entries.map((e) => prepareEntry(e)!);
    const bad = entries.map((e) => prepareEntry({ ...e, i: -1 })!);
    // 600 jobs, every seventh forged: more chunks than the workers hold at once.
    const jobs = Array.from({ length: 600 }, (_, i) => (i % 7 === 3 ? bad : good)[i % 150]!);
    const expected = jobs.map((_, i) => i % 7 !== 3);
    let onPage = 0;
    const page = async (chunk: readonly (typeof jobs)[number][]): Promise<boolean[]> => {
      onPage += chunk.length;
      return Promise.all(
        chunk.map(async (job) => crypto.subtle.verify('Ed25519', await crypto.subtle.importKey('raw', job.key, 'Ed25519', false, ['verify']), job.sig, job.data)),
      );
    };
    const pool = VerifierPool.create()!;
    expect(await pool.verify(jobs, page)).to.deep.equal(expected);
    // The workers boot meanwhile: the page takes chunks from the queue, and not all of them.
    expect(onPage).to.be.greaterThan(0).and.lessThan(jobs.length);
    pool.destroy();
  });

  it('keeps good verdicts on the device: a returning visitor checks nothing again', async () => {
    const name = `test-verdicts-${Date.now()}`;
    const signer = await createSigner();
    const entries = await Promise.all(Array.from({ length: 20 }, (_, i) => signEntry(signer, { type: 'n', scope: 's', i }, i)));
    const forged = { ...entries[0]!, i: 99 };
    const first = openVerdictStore({ name })!;
    const firstCache = new VerificationCache({ persist: first, workers: false });
    expect(await Promise.all([...entries, forged].map((e) => firstCache.verify(e)))).to.deep.equal([...entries.map(() => true), false]);
    await first.flush();
    first.close();

    const again = openVerdictStore({ name })!;
    await again.ready;
    expect(again.size).to.equal(20, 'only the good verdicts are kept');
    const cache = new VerificationCache({ persist: again, workers: false });
    expect(await Promise.all(entries.map((e) => cache.verify(e)))).to.deep.equal(entries.map(() => true));
    expect(cache.signaturesChecked).to.equal(0);
    expect(await cache.verify(forged)).to.be.false;
    expect(cache.signaturesChecked).to.equal(1);
    again.close();

    const bounded = openVerdictStore({ name, max: 10 })!;
    await bounded.ready;
    bounded.add('x'.repeat(43));
    await bounded.flush();
    expect(bounded.size).to.be.at.most(10);
    bounded.close();
  });

  it('writes a large batch\'s verdicts at once (a first sync), not a second later as after a live vote', async () => {
    const name = `test-verdicts-sync-${Date.now()}`;
    const signer = await createSigner();
    const entries = await Promise.all(Array.from({ length: 70 }, (_, i) => signEntry(signer, { type: 'n', scope: 's', i }, i)));
    const store = openVerdictStore({ name })!;
    const cache = new VerificationCache({ persist: store, workers: false });
    const started = performance.now();
    expect((await cache.verifyBatch(entries.map((e) => prepareEntry(e)!))).every(Boolean)).to.be.true;
    // What another page of this device (the same visitor, reloaded) reads, well before the second is up.
    let kept = 0;
    while (kept < 70 && performance.now() - started < 700) {
      const reader = openVerdictStore({ name })!;
      await reader.ready;
      kept = reader.size;
      reader.close();
    }
    expect(kept).to.equal(70);
    store.close();
  });

  it('a device that kept verdicts one row per id (version 1) still knows them after the upgrade', async () => {
    const name = `test-verdicts-v1-${Date.now()}`;
    await new Promise<void>((resolve, reject) => {
      const req = indexedDB.open(name, 1);
      req.onupgradeneeded = () => {
        const store = req.result.createObjectStore('valid', { keyPath: 'id' });
        store.createIndex('age', 'age');
        store.put({ id: 'a'.repeat(43), age: 1 });
        store.put({ id: 'b'.repeat(43), age: 2 });
      };
      req.onsuccess = () => {
        req.result.close();
        resolve();
      };
      req.onerror = () => reject(req.error);
    });
    const store = openVerdictStore({ name })!;
    await store.ready;
    expect([store.size, store.has('a'.repeat(43)), store.has('b'.repeat(43)), store.has('c'.repeat(43))]).to.deep.equal([2, true, true, false]);
    store.close();
  });
});
