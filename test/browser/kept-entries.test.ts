// The device's memory of entries (kept-entries.ts) in real Chromium with real IndexedDB: values
// round-trip by site, and a poll reopened over a document that lost a ballot while the tab was
// closed puts it back from IndexedDB.
import { expect } from '@open-wc/testing';
import * as Y from 'yjs';
import { createSigner } from '../../src/identity/keys.js';
import { roomTag } from '../../src/identity/entries.js';
import { keptSite, openKeptStore } from '../../src/models/kept-entries.js';
import { ballotKey, PollModel, pollScope } from '../../src/models/poll.js';
import { until } from '../helpers/until.js';

const unique = (label: string) => `test-${label}-${Math.random().toString(36).slice(2)}`;
const config = { question: 'Which evening?', options: [{ id: 'tue', label: 'Tuesday' }], results: 'always' as const };

describe('kept entries in IndexedDB', () => {
  it('stores values by site and key, bytes and objects, and loads each site apart', async () => {
    const store = openKeptStore(unique('kept'))!;
    expect(store).to.not.equal(null);
    store.save('a', new Map<string, unknown>([['ballot:x', new Uint8Array([1, 2, 3])], ['note:y', { v: 1, sig: 's' }]]));
    store.save('b', new Map([['ballot:x', new Uint8Array([9])]]));
    await until(async () => (await store.load('a')).size === 2, 5000, 'site a written');
    const a = await store.load('a');
    expect([...(a.get('ballot:x') as Uint8Array)]).to.deep.equal([1, 2, 3]);
    expect(a.get('note:y')).to.deep.equal({ v: 1, sig: 's' });
    expect([...((await store.load('b')).get('ballot:x') as Uint8Array)]).to.deep.equal([9]);
    expect((await store.load('c')).size).to.equal(0);
  });

  it('each burst of saves is one segment: later values override earlier ones, and a site read as many segments is compacted', async () => {
    const name = unique('segments');
    const store = openKeptStore(name)!;
    for (let i = 0; i < 20; i++) {
      store.save('s', new Map([['ballot:x', new Uint8Array([i])], [`note:${i}`, new Uint8Array([100 + i])]]));
      // One burst per save: each is written before the next.
      await until(async () => ((await store.load('s')).get('ballot:x') as Uint8Array | undefined)?.[0] === i, 5000, `burst ${i} written`);
    }
    const loaded = await store.load('s');
    expect(loaded.size).to.equal(21);
    expect([...(loaded.get('ballot:x') as Uint8Array)]).to.deep.equal([19]);
    const rows = async () => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const req = indexedDB.open(name);
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      });
      const count = await new Promise<number>((resolve) => {
        const req = db.transaction('segments').objectStore('segments').count();
        req.onsuccess = () => resolve(req.result);
      });
      db.close();
      return count;
    };
    // The load after the 17th burst read 17 segments and rewrote them as one; the bursts after it added theirs.
    expect(await rows()).to.be.within(2, 4);
    const again = await store.load('s');
    expect(again.size).to.equal(21);
    expect([...(again.get('ballot:x') as Uint8Array)]).to.deep.equal([19]);
    expect([...(again.get('note:7') as Uint8Array)]).to.deep.equal([107]);
  });

  it('a device that kept entries one row per key (version 1) finds them after the upgrade', async () => {
    const name = unique('v1');
    await new Promise<void>((resolve, reject) => {
      const req = indexedDB.open(name, 1);
      req.onupgradeneeded = () => {
        const store = req.result.createObjectStore('entries');
        store.put(new Uint8Array([1, 2]), ['a', 'ballot:x']);
        store.put({ v: 1, sig: 's' }, ['a', 'note:y']);
        store.put(new Uint8Array([3]), ['b', 'ballot:x']);
      };
      req.onsuccess = () => {
        req.result.close();
        resolve();
      };
      req.onerror = () => reject(req.error);
    });
    const store = openKeptStore(name)!;
    const a = await store.load('a');
    expect(a.size).to.equal(2);
    expect([...(a.get('ballot:x') as Uint8Array)]).to.deep.equal([1, 2]);
    expect(a.get('note:y')).to.deep.equal({ v: 1, sig: 's' });
    expect([...((await store.load('b')).get('ballot:x') as Uint8Array)]).to.deep.equal([3]);
  });

  it('a burst is one packed row (the bytes in one buffer); rows written before packing are still read; a malformed row is ignored', async () => {
    const name = unique('packed');
    const store = openKeptStore(name)!;
    store.save('a', new Map<string, unknown>([['ballot:x', new Uint8Array([1, 2, 3])], ['note:y', { v: 1, sig: 's' }], ['ballot:z', new Uint8Array([4])]]));
    await until(async () => (await store.load('a')).size === 3, 5000, 'written');
    const open = () =>
      new Promise<IDBDatabase>((resolve, reject) => {
        const req = indexedDB.open(name);
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      });
    const db = await open();
    const all = (query?: IDBKeyRange) =>
      new Promise<unknown[]>((resolve) => {
        const req = db.transaction('segments').objectStore('segments').getAll(query);
        req.onsuccess = () => resolve(req.result);
      });
    const [row] = (await all()) as { keys: string[]; bytes: Uint8Array; ends: Uint32Array }[];
    expect(row!.keys).to.deep.equal(['ballot:x', 'note:y', 'ballot:z']);
    expect([...row!.bytes]).to.deep.equal([1, 2, 3, 4]);
    expect([...row!.ends]).to.deep.equal([3, 3, 4]);
    // Another site: a row as written before packing, a later packed row over one of its keys, and a malformed one.
    await new Promise<void>((resolve) => {
      const tx = db.transaction('segments', 'readwrite');
      const segments = tx.objectStore('segments');
      segments.put({ keys: ['ballot:x', 'note:y'], values: [new Uint8Array([5, 6]), { v: 1, sig: 't' }] }, ['b', 1, 0.5]);
      segments.put({ keys: ['ballot:x'], bytes: new Uint8Array([7]), ends: Uint32Array.of(1), objects: [] }, ['b', 2, 0.5]);
      segments.put({ keys: ['ballot:w'], bytes: new Uint8Array([8]), ends: Uint32Array.of(9), objects: [] }, ['b', 3, 0.5]);
      tx.oncomplete = () => resolve();
    });
    db.close();
    const b = await openKeptStore(name)!.load('b');
    expect([...b.keys()].sort()).to.deep.equal(['ballot:x', 'note:y']);
    expect([...(b.get('ballot:x') as Uint8Array)]).to.deep.equal([7]);
    expect(b.get('note:y')).to.deep.equal({ v: 1, sig: 't' });
  });

  it('a poll reopened over a document that lost a ballot puts it back from this device', async () => {
    const store = openKeptStore(unique('poll'))!;
    const doc = new Y.Doc();
    const voter = new PollModel(doc, 'evening', config, await createSigner(), { room: 'eastside', heal: { store, delayMs: 10, spreadMs: 20 } });
    await voter.vote('tue');
    const key = ballotKey(voter.signer!.publicKey);
    await until(async () => (await store.load(keptSite(roomTag('eastside'), pollScope('evening')))).has(key), 5000, 'remembered');
    voter.destroy();
    doc.getMap(pollScope('evening')).delete(key);
    const reopened = new PollModel(doc, 'evening', config, null, { room: 'eastside', heal: { store, delayMs: 10, spreadMs: 20 } });
    await reopened.settled();
    expect(reopened.view.total).to.equal(1);
    await until(() => doc.getMap(pollScope('evening')).has(key), 5000, 'written back');
    expect(reopened.repaired).to.equal(1);
    reopened.destroy();
  });
});
