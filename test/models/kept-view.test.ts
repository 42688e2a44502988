// The kept view (kept-view.ts, entry-model.ts): a returning visitor whose room did not change is
// shown the view this device derived before, at once, with no signature checked and the device's
// kept entries not read until the room has been decoded afterwards; a changed room, another
// configuration, a passed `closes`, a ballot not yet due, a clock set back and a tampered record
// all take the usual path and give the right tally.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { roomTag } from '../../src/identity/entries.js';
import { createSigner } from '../../src/identity/keys.js';
import type { Signer } from '../../src/identity/types.js';
import { VerificationCache } from '../../src/identity/verification.js';
import { type KeptEntryStore, keptSite, memoryKeptStore } from '../../src/models/kept-entries.js';
import { PollModel, pollScope } from '../../src/models/poll.js';
import type { PollConfig, PollView } from '../../src/models/poll.types.js';
import { until } from '../helpers/until.js';

const ROOM = 'eastside';
const SITE = keptSite(roomTag(ROOM), pollScope('evening'));
const config: PollConfig = {
  question: 'Which evening?',
  options: [
    { id: 'tue', label: 'Tuesday' },
    { id: 'thu', label: 'Thursday' },
  ],
  results: 'always',
};
const counts = (view: PollView) => Object.fromEntries(view.options.map((o) => [o.id, o.count]));

let signers: Signer[] = [];
before(async () => {
  signers = await Promise.all(Array.from({ length: 32 }, () => createSigner('Ed25519')));
});

/** A room where `voters` each voted (every third 'thu'), as one update; `ahead` ms on the last voter's clock. */
const room = async (voters: readonly Signer[], ahead = 0): Promise<Uint8Array> => {
  const doc = new Y.Doc();
  for (const [i, signer] of voters.entries()) {
    const skew = i === voters.length - 1 ? ahead : 0;
    const model = new PollModel(doc, 'evening', config, signer, { room: ROOM, heal: false, now: () => Date.now() + skew });
    await model.vote(i % 3 === 0 ? 'thu' : 'tue');
    model.destroy();
  }
  return Y.encodeStateAsUpdate(doc);
};

interface Visit {
  readonly model: PollModel;
  readonly doc: Y.Doc;
  /** Whether the view was the kept one: settled with no signature checked and the device's entries not yet read. */
  readonly kept: boolean;
  readonly checked: () => number;
  readonly loads: () => number;
}

/** A visitor receiving `state`, on a device whose memory is `store`. */
interface VisitOptions {
  readonly pollConfig?: PollConfig;
  readonly now?: () => number;
  readonly signer?: Signer | null;
  readonly organizers?: readonly string[];
}

const visit = async (state: Uint8Array, store: ReturnType<typeof memoryKeptStore>, { pollConfig = config, now, signer = null, organizers = [] }: VisitOptions = {}): Promise<Visit> => {
  let loads = 0;
  let checked = 0;
  const spy: KeptEntryStore = {
    load: (site) => ((loads += site === SITE ? 1 : 0), store.load(site)),
    save: (site, values) => store.save(site, values),
    loadView: (site) => store.loadView!(site),
    saveView: (site, record) => store.saveView!(site, record),
  };
  const cache = new VerificationCache();
  const verify = cache.verifyBatch.bind(cache);
  cache.verifyBatch = (batch) => ((checked += batch.length), verify(batch));
  const doc = new Y.Doc();
  const model = new PollModel(doc, 'evening', pollConfig, signer, { room: ROOM, cache, organizers, heal: { store: spy }, ...(now ? { now } : {}) });
  Y.applyUpdate(doc, state);
  await model.settled();
  return { model, doc, kept: checked === 0 && loads === 0, checked: () => checked, loads: () => loads };
};

/** A first visit that keeps its view (kept as the model is destroyed). */
const firstVisit = async (state: Uint8Array, store: ReturnType<typeof memoryKeptStore>, options: VisitOptions = {}): Promise<PollView> => {
  const previous = store.views.get(SITE);
  const first = await visit(state, store, options);
  assert.equal(first.kept, false, 'a first visit reads and checks the room');
  const view = first.model.view;
  first.model.destroy();
  await until(() => store.views.get(SITE) !== undefined && store.views.get(SITE) !== previous, 2000, 'the view kept');
  return view;
};

describe('the kept view', () => {
  test('a returning visitor whose room did not change is shown the kept tally at once; the room is decoded afterwards, and a vote and a peer ballot count', async () => {
    const state = await room(signers.slice(0, 30));
    const store = memoryKeptStore();
    const before = await firstVisit(state, store);
    assert.deepEqual(counts(before), { tue: 20, thu: 10 });
    const again = await visit(state, store);
    assert.equal(again.kept, true, 'shown from the kept view');
    assert.equal(again.checked(), 0);
    assert.equal(again.model.view.total, 30);
    assert.deepEqual(again.model.view, before);
    // Decoded at idle, then the device's memory is weighed (nothing to learn).
    await until(() => again.loads() === 1, 2000, 'decoded, then the memory read');
    assert.equal(again.model.export().ballots.length, 30);
    // A peer's ballot and this visitor's own vote count on top of it.
    const peer = new Y.Doc();
    Y.applyUpdate(peer, state);
    const voter = new PollModel(peer, 'evening', config, signers[30]!, { room: ROOM, heal: false });
    await voter.vote('thu');
    Y.applyUpdate(again.doc, Y.encodeStateAsUpdate(peer, Y.encodeStateVector(again.doc)));
    await again.model.settled();
    assert.deepEqual(counts(again.model.view), { tue: 20, thu: 11 });
    again.model.setSigner(signers[31]!);
    await again.model.vote('tue');
    assert.deepEqual(counts(again.model.view), { tue: 21, thu: 11 });
    assert.equal(again.checked(), 2, 'only the two new ballots were checked');
    again.model.destroy();
  });

  test('the same room held in another order is the same room: its kept view is shown', async () => {
    // Each voter's own Yjs client: the room's state, and each vote's update as it arrived.
    const updates: Uint8Array[] = [];
    for (const [i, signer] of signers.slice(0, 12).entries()) {
      const own = new Y.Doc();
      const model = new PollModel(own, 'evening', config, signer, { room: ROOM, heal: false });
      await model.vote(i % 3 === 0 ? 'thu' : 'tue');
      model.destroy();
      updates.push(Y.encodeStateAsUpdate(own));
    }
    const state = Y.mergeUpdates(updates);
    const store = memoryKeptStore();
    await firstVisit(state, store);
    const order = (doc: Y.Doc) => [...doc.getMap(pollScope('evening')).keys()];
    const a = new Y.Doc();
    Y.applyUpdate(a, state);
    const b = new Y.Doc();
    for (const update of [...updates].reverse()) Y.applyUpdate(b, update);
    assert.notDeepEqual(order(a), order(b), 'held in another order');
    // Sent as the reversed updates, one by one (as they arrived): the kept view stands.
    let loads = 0;
    const doc = new Y.Doc();
    const model = new PollModel(doc, 'evening', config, null, { room: ROOM, heal: { store: { ...store, load: (site) => ((loads += site === SITE ? 1 : 0), store.load(site)) } } });
    doc.transact(() => {
      for (const update of [...updates].reverse()) Y.applyUpdate(doc, update);
    });
    await model.settled();
    assert.equal(loads, 0, 'shown from the kept view');
    assert.equal(model.view.total, 12);
    assert.deepEqual(order(doc), order(b));
    model.destroy();
  });

  test('a vote cast before the room is decoded waits for it and counts', async () => {
    const state = await room(signers.slice(0, 30));
    const store = memoryKeptStore();
    await firstVisit(state, store, { signer: signers[31]! });
    // The kept view is this visitor's own: another identity on the device reads the room.
    const other = await visit(state, store, { signer: signers[30]! });
    assert.equal(other.kept, false);
    assert.equal(other.model.view.total, 30);
    let loads = 0;
    const doc = new Y.Doc();
    const model = new PollModel(doc, 'evening', config, signers[31]!, {
      room: ROOM,
      heal: { store: { ...store, load: (site) => ((loads += site === SITE ? 1 : 0), store.load(site)) } },
    });
    Y.applyUpdate(doc, state);
    await model.settled();
    assert.equal(loads, 0, 'shown from the kept view, the room not yet decoded');
    assert.deepEqual(counts(model.view), { tue: 20, thu: 10 });
    await model.vote('thu');
    assert.deepEqual(counts(model.view), { tue: 20, thu: 11 });
    assert.equal(model.view.mine, 'thu');
    assert.equal(model.export().ballots.length, 31);
    model.destroy();
    other.model.destroy();
  });

  test('a changed room, another configuration, a passed closes, a clock set back and a tampered record take the usual path and give the right tally', async () => {
    const state = await room(signers.slice(0, 30));
    const store = memoryKeptStore();
    await firstVisit(state, store);
    const record = store.views.get(SITE) as Record<string, unknown>;

    // One more ballot in the room.
    const grown = await (async () => {
      const doc = new Y.Doc();
      Y.applyUpdate(doc, state);
      const voter = new PollModel(doc, 'evening', config, signers[30]!, { room: ROOM, heal: false });
      await voter.vote('thu');
      voter.destroy();
      return Y.encodeStateAsUpdate(doc);
    })();
    const changed = await visit(grown, store);
    assert.equal(changed.kept, false);
    assert.deepEqual(counts(changed.model.view), { tue: 20, thu: 11 });
    changed.model.destroy();
    await until(() => (store.views.get(SITE) as { view: string } | undefined)?.view.includes('"total":31') === true, 2000, 'the new view kept');

    // A ballot removed (the room as it was before): not the kept room either.
    const removed = await visit(state, store);
    assert.equal(removed.kept, false);
    assert.equal(removed.model.view.total, 30);
    removed.model.destroy();
    await until(() => (store.views.get(SITE) as { view: string } | undefined)?.view.includes('"total":30') === true, 2000, 'kept again');

    // Another configuration of the same poll: labels, and a kind.
    const relabelled = await visit(state, store, { pollConfig: { ...config, options: [{ id: 'tue', label: 'Mardi' }, { id: 'thu', label: 'Jeudi' }] } });
    assert.equal(relabelled.kept, false);
    assert.deepEqual(relabelled.model.view.options.map((o) => o.label), ['Mardi', 'Jeudi']);
    relabelled.model.destroy();
    const hidden = await visit(state, store, { pollConfig: { ...config, results: 'after-close' } });
    assert.equal(hidden.kept, false);
    assert.equal(hidden.model.view.resultsVisible, false);
    hidden.model.destroy();

    // The same room after the page's `closes` passed: kept while open, closed now.
    const closing = { ...config, closes: new Date(Date.now() + 60_000).toISOString() };
    const openStore = memoryKeptStore();
    const open = await firstVisit(state, openStore, { pollConfig: closing });
    assert.equal(open.closed, false);
    const later = await visit(state, openStore, { pollConfig: closing, now: () => Date.now() + 120_000 });
    assert.equal(later.kept, false);
    assert.equal(later.model.view.closed, true);
    assert.equal(later.model.view.total, 30);
    later.model.destroy();
    const stillOpen = await visit(state, openStore, { pollConfig: closing });
    assert.equal(stillOpen.kept, true, 'before closes the kept view stands');
    stillOpen.model.destroy();

    // A clock set back before the ballots were signed: they are not due, the kept view is not shown.
    const back = await visit(state, store, { now: () => Date.now() - 3_600_000 });
    assert.equal(back.kept, false);
    assert.equal(back.model.view.total, 0);
    back.model.destroy();

    // Tampered records: the view, the uncounted keys, the newest time, the digest, the shape.
    const tampered = [
      { ...record, view: (record['view'] as string).replace('"total":30', '"total":31') },
      { ...record, invalid: [...(record['invalid'] as string[]), 'ballot:x'] },
      { ...record, newest: (record['newest'] as number) - 1 },
      { ...record, digest: new Uint8Array(32), order: new Uint8Array(32) },
      { ...record, digest: (record['digest'] as Uint8Array).subarray(0, 31) },
      { ...record, order: (record['order'] as Uint8Array).subarray(0, 31) },
      { ...record, v: 2 },
      'junk',
    ];
    for (const bad of tampered) {
      store.views.set(SITE, bad);
      const visitor = await visit(state, store);
      assert.equal(visitor.kept, false, `tampered: ${JSON.stringify(bad).slice(0, 80)}`);
      assert.deepEqual(counts(visitor.model.view), { tue: 20, thu: 10 });
      visitor.model.destroy();
    }
    // The genuine record still stands.
    store.views.set(SITE, record);
    const genuine = await visit(state, store);
    assert.equal(genuine.kept, true);
    genuine.model.destroy();
  });

  test('a view with a ballot not yet due is not kept; once it is due, it counts', async () => {
    const state = await room(signers.slice(0, 10), 10 * 60_000);
    const store = memoryKeptStore();
    const first = await visit(state, store);
    assert.equal(first.model.view.total, 9);
    first.model.destroy();
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(store.views.has(SITE), false, 'not kept while a ballot waits');
    const later = await visit(state, store, { now: () => Date.now() + 20 * 60_000 });
    assert.equal(later.kept, false);
    assert.equal(later.model.view.total, 10);
    later.model.destroy();
  });

  test('where the page names organizers, a room whose trust map holds anything is read the usual way', async () => {
    const state = await room(signers.slice(0, 10));
    const organizers = [signers[31]!.publicKey];
    const store = memoryKeptStore();
    await firstVisit(state, store, { organizers });
    const again = await visit(state, store, { organizers });
    assert.equal(again.kept, true, 'an empty trust map: kept');
    again.model.destroy();
    const doc = new Y.Doc();
    Y.applyUpdate(doc, state);
    doc.getMap('trust:room').set('organizer:x', new Uint8Array([1]));
    const withTrust = Y.encodeStateAsUpdate(doc);
    const fresh = memoryKeptStore();
    const first = await visit(withTrust, fresh, { organizers });
    assert.equal(first.model.view.total, 10);
    first.model.destroy();
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(fresh.views.has(SITE), false, 'not kept');
  });

  test('entries saved after the view was kept drop it (another tab learned more)', async () => {
    const state = await room(signers.slice(0, 10));
    const store = memoryKeptStore();
    await firstVisit(state, store);
    store.save(SITE, new Map([['ballot:someone', new Uint8Array([1])]]));
    assert.equal(store.views.has(SITE), false);
  });
});
