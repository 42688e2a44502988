// The kept view (kept-view.ts) in real Chromium with real IndexedDB: a poll's view is kept as the
// model goes, a returning visitor of the same room is shown it with nothing checked and the kept
// entries not read until the room is decoded; entries saved after it drop it; a database of
// version 2 (no views) is upgraded with its entries.
import { expect } from '@open-wc/testing';
import * as Y from 'yjs';
import { createSigner } from '../../src/identity/keys.js';
import { roomTag } from '../../src/identity/entries.js';
import { VerificationCache } from '../../src/identity/verification.js';
import { type KeptEntryStore, keptSite, openKeptStore } from '../../src/models/kept-entries.js';
import { PollModel, pollScope } from '../../src/models/poll.js';
import { until } from '../helpers/until.js';

const ROOM = 'eastside';
const SITE = keptSite(roomTag(ROOM), pollScope('evening'));
const unique = (label: string) => `test-${label}-${Math.random().toString(36).slice(2)}`;
const config = { question: 'Which evening?', options: [{ id: 'tue', label: 'Tuesday' }, { id: 'thu', label: 'Thursday' }], results: 'always' as const };

const room = async (n: number): Promise<Uint8Array> => {
  const doc = new Y.Doc();
  for (let i = 0; i < n; i++) {
    const model = new PollModel(doc, 'evening', config, await createSigner('Ed25519'), { room: ROOM, heal: false });
    await model.vote(i % 3 === 0 ? 'thu' : 'tue');
    model.destroy();
  }
  return Y.encodeStateAsUpdate(doc);
};

/** A visit over the device's database `name`: whether the view was the kept one (nothing checked, the kept entries not read as it settled). */
const visit = async (state: Uint8Array, name: string) => {
  const store = openKeptStore(name)!;
  let loads = 0;
  const spy: KeptEntryStore = { ...store, load: (site) => ((loads += site === SITE ? 1 : 0), store.load(site)) };
  let checked = 0;
  const cache = new VerificationCache({ workers: false });
  const verify = cache.verifyBatch.bind(cache);
  cache.verifyBatch = (batch) => ((checked += batch.length), verify(batch));
  const doc = new Y.Doc();
  const model = new PollModel(doc, 'evening', config, null, { room: ROOM, cache, heal: { store: spy } });
  Y.applyUpdate(doc, state);
  await model.settled();
  return { model, store, kept: loads === 0 && checked === 0, loads: () => loads, checked: () => checked };
};

const viewRecord = (name: string): Promise<unknown> =>
  new Promise((resolve, reject) => {
    const req = indexedDB.open(name);
    req.onsuccess = () => {
      const db = req.result;
      const get = db.transaction('views').objectStore('views').get(SITE);
      get.onsuccess = () => {
        db.close();
        resolve(get.result);
      };
      get.onerror = () => reject(get.error);
    };
    req.onerror = () => reject(req.error);
  });

describe('the kept view in IndexedDB', () => {
  it('a returning visitor is shown the kept tally at once; entries saved after it drop it', async () => {
    const name = unique('view');
    const state = await room(12);
    const first = await visit(state, name);
    expect(first.kept).to.equal(false);
    expect(first.model.view.total).to.equal(12);
    first.model.destroy();
    await until(async () => (await viewRecord(name)) !== undefined, 5000, 'the view kept');

    const again = await visit(state, name);
    expect(again.kept).to.equal(true);
    expect(again.model.view.total).to.equal(12);
    expect(again.model.view.options.map((o) => o.count)).to.deep.equal([8, 4]);
    // Decoded afterwards, then the kept entries read: the same tally, nothing checked.
    await until(() => again.loads() === 1, 5000, 'decoded');
    expect(again.model.export().ballots.length).to.equal(12);
    expect(again.checked()).to.equal(0);
    again.model.destroy();

    // Another tab saves an entry of the site: the record goes in the same write.
    again.store.save(SITE, new Map([['ballot:someone', new Uint8Array([1, 2, 3])]]));
    await until(async () => (await viewRecord(name)) === undefined, 5000, 'the view dropped');
    const after = await visit(state, name);
    expect(after.kept).to.equal(false);
    expect(after.model.view.total).to.equal(12);
    after.model.destroy();
  });

  it('a device whose database is of version 2 keeps its entries through the upgrade', async () => {
    const name = unique('v2');
    await new Promise<void>((resolve, reject) => {
      const req = indexedDB.open(name, 2);
      req.onupgradeneeded = () => {
        const segments = req.result.createObjectStore('segments');
        segments.put({ keys: ['ballot:x'], values: [new Uint8Array([7])] }, [SITE, 1, 0.5]);
      };
      req.onsuccess = () => {
        req.result.close();
        resolve();
      };
      req.onerror = () => reject(req.error);
    });
    const store = openKeptStore(name)!;
    expect([...((await store.load(SITE)).get('ballot:x') as Uint8Array)]).to.deep.equal([7]);
    expect(await store.loadView!(SITE)).to.equal(undefined);
    store.saveView!(SITE, { v: 1 });
    await until(async () => (await viewRecord(name)) !== undefined, 5000, 'a view written after the upgrade');
  });
});
