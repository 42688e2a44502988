// The signup sheet's model: capacity across peers (the last-place race on a seeded simulated
// network), organizers, open sheets, hostile entries, export and CSV.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import * as prng from 'lib0/prng';
import { GatherError } from '../../src/errors.js';
import { roomTag, signEntry, storeEntry } from '../../src/identity/entries.js';
import { createSigner } from '../../src/identity/keys.js';
import type { Signer } from '../../src/identity/types.js';
import { VerificationCache, verifyEntry } from '../../src/identity/verification.js';
import { memoryKeptStore } from '../../src/models/kept-entries.js';
import { compareStrings, MAX_CLOCK_SKEW_MS } from '../../src/models/order.js';
import {
  csvCell,
  MAX_NOTE_LENGTH,
  MAX_SLOTS_PER_AUTHOR,
  SIGNUP_FIELDS,
  signupKey,
  SignupModel,
  signupScope,
  visitorSlotName,
  type SignupConfig,
  type SignupView,
} from '../../src/models/signup.js';
import { MemoryNetwork, type MemorySource } from '../../src/room/memory-room.js';
import type { RoomOptions } from '../../src/room/types.js';
import { until } from '../helpers/until.js';

const ROOM = 'r';
const ROOM_OPTIONS: RoomOptions = { signaling: [], iceServers: [], password: null, persist: false };
const isCode = (code: string) => (error: unknown) => error instanceof GatherError && error.code === code;

const config = (capacity = 2, extra: Partial<SignupConfig> = {}): SignupConfig => ({
  title: 'Saturday food drive',
  slots: [
    { name: 'pickup', label: 'Pick-up drivers', capacity, start: '2099-12-05T09:00-05:00', end: '2099-12-05T11:00-05:00', location: 'Church hall' },
    { name: 'sorting', label: 'Sorting and packing', capacity: null, start: null, end: null, location: null },
  ],
  ...extra,
});

const names = (view: SignupView, slot = 'pickup') => {
  const s = view.slots.find((x) => x.name === slot)!;
  return { confirmed: s.confirmed.map((p) => p.name), waitlist: s.waitlist.map((p) => p.name) };
};
const authors = (view: SignupView, slot = 'pickup') => {
  const s = view.slots.find((x) => x.name === slot)!;
  return { confirmed: s.confirmed.map((p) => p.author), waitlist: s.waitlist.map((p) => p.author) };
};
/** The view every peer shares: without this viewer's own standing. */
const shared = (view: SignupView) => ({ ...view, mine: null });

let signers: Signer[] = [];
before(async () => {
  signers = await Promise.all(Array.from({ length: 8 }, (_, i) => createSigner(i === 1 ? 'ECDSA-P256' : 'Ed25519')));
});

describe('signup sheet: one peer', () => {
  test('confirms the first capacity signups in order, waitlists the rest with positions; a withdrawal promotes the first waitlisted', async () => {
    const doc = new Y.Doc();
    let clock = 1_000_000;
    const now = () => (clock += 10);
    const [a, b, c] = signers.slice(0, 3).map((s) => new SignupModel(doc, 'food', config(2), s, { now, room: ROOM })) as [SignupModel, SignupModel, SignupModel];
    await a.join('pickup', { name: '  Ana   María ', note: 'I have a van' });
    await b.join('pickup', { name: 'Bo' });
    await c.join('pickup', { name: 'Cy' });
    await c.settled();
    assert.deepEqual(names(c.view), { confirmed: ['Ana María', 'Bo'], waitlist: ['Cy'] });
    const pickup = c.view.slots[0]!;
    assert.equal(pickup.left, 0);
    assert.deepEqual(pickup.confirmed[0], { author: signers[0]!.publicKey, name: 'Ana María', note: 'I have a van' });
    assert.deepEqual(c.view.mine, { pickup: { state: 'waitlisted', position: 1 } });
    assert.deepEqual(b.view.mine, { pickup: { state: 'confirmed', position: 2 } });
    assert.equal(c.view.title, 'Saturday food drive');

    await a.leave('pickup');
    await c.settled();
    assert.deepEqual(names(c.view), { confirmed: ['Bo', 'Cy'], waitlist: [] });
    assert.deepEqual(c.view.mine, { pickup: { state: 'confirmed', position: 2 } });
    // Signing up again puts Ana at the end of the queue.
    await a.join('pickup', { name: 'Ana' });
    await c.settled();
    assert.deepEqual(names(c.view), { confirmed: ['Bo', 'Cy'], waitlist: ['Ana'] });
    // A slot without a limit has no waitlist and no count of places left.
    await a.join('sorting', { name: 'Ana' });
    assert.deepEqual(a.view.slots[1]!.left, null);
    assert.deepEqual(a.view.mine['sorting'], { state: 'confirmed', position: 1 });
    for (const m of [a, b, c]) m.destroy();
  });

  test('signing again while on a slot changes name and note and keeps the place', async () => {
    const doc = new Y.Doc();
    let clock = 1_000_000;
    const now = () => (clock += 10);
    const [a, b, c] = signers.slice(0, 3).map((s) => new SignupModel(doc, 'food', config(1), s, { now })) as [SignupModel, SignupModel, SignupModel];
    await a.join('pickup', { name: 'Ana' });
    await b.join('pickup', { name: 'Bo' });
    await c.join('pickup', { name: 'Cy' });
    await b.join('pickup', { name: 'Bo', note: 'after 10' });
    await a.join('pickup', { name: 'Ana', note: 'with a van' });
    await c.settled();
    assert.deepEqual(names(c.view), { confirmed: ['Ana'], waitlist: ['Bo', 'Cy'] });
    assert.equal(c.view.slots[0]!.confirmed[0]!.note, 'with a van');
    assert.deepEqual(b.view.mine['pickup'], { state: 'waitlisted', position: 1 });
    // The same name and note again writes nothing.
    const before = doc.getMap(signupScope('food')).get(signupKey(signers[0]!.publicKey, 'pickup'));
    await a.join('pickup', { name: 'Ana', note: 'with a van' });
    assert.equal(doc.getMap(signupScope('food')).get(signupKey(signers[0]!.publicKey, 'pickup')), before);
    for (const m of [a, b, c]) m.destroy();
  });

  test('commands reject with codes: unknown-slot, invalid-name, closed, no-signer', async () => {
    const doc = new Y.Doc();
    const model = new SignupModel(doc, 'food', config(), signers[0]!);
    await assert.rejects(model.join('nope', { name: 'Ana' }), isCode('unknown-slot'));
    await assert.rejects(model.leave('nope'), isCode('unknown-slot'));
    await assert.rejects(model.join('pickup', { name: '   ' }), isCode('invalid-name'));
    await assert.rejects(model.join('pickup', { name: 'x'.repeat(81) }), isCode('invalid-name'));
    await assert.rejects(model.join('pickup', { name: 'Ana', note: 'x'.repeat(MAX_NOTE_LENGTH + 1) }), isCode('invalid-name'));
    await assert.rejects(new SignupModel(doc, 'food', config(), null).join('pickup', { name: 'Ana' }), isCode('no-signer'));
    await assert.rejects(model.close('pickup'), isCode('not-organizer'));
    await model.leave('pickup'); // not on it: nothing to do
    assert.equal(doc.getMap(signupScope('food')).size, 0);

    const past = new SignupModel(doc, 'past', config(2, { slots: [{ name: 'old', label: 'Last year', capacity: 3, start: '2020-01-01T09:00Z', end: '2020-01-01T10:00Z', location: null }] }), signers[0]!);
    assert.equal(past.view.slots[0]!.closed, true, 'a slot that is over is closed');
    await assert.rejects(past.join('old', { name: 'Ana' }), isCode('closed'));
    for (const m of [model, past]) m.destroy();
  });

  test('a slot closes when its end passes, on its own timer', async () => {
    let clock = Date.parse('2030-01-01T09:59:59.900Z');
    const model = new SignupModel(new Y.Doc(), 'food', { title: 't', slots: [{ name: 's', label: 'S', capacity: 1, start: '2030-01-01T09:00Z', end: '2030-01-01T10:00Z', location: null }] }, signers[0]!, { now: () => clock });
    assert.equal(model.view.slots[0]!.closed, false);
    const closed = new Promise<boolean>((resolve, reject) => {
      const limit = setTimeout(() => reject(new Error('never closed')), 3000);
      model.subscribe((view) => {
        clearTimeout(limit);
        resolve(view.slots[0]!.closed);
      });
    });
    clock += 200;
    assert.equal(await closed, true);
    model.destroy();
  });

  test('without show-names the view has counts and keys, no names or notes', async () => {
    const doc = new Y.Doc();
    const model = new SignupModel(doc, 'food', config(2, { showNames: false }), signers[0]!);
    await model.join('pickup', { name: 'Ana', note: 'secret' });
    assert.deepEqual(model.view.slots[0]!.confirmed, [{ author: signers[0]!.publicKey }]);
    assert.deepEqual(model.view.mine, { pickup: { state: 'confirmed', position: 1 } });
    assert.equal(model.export().slots[0]!.confirmed[0]!.name, 'Ana', 'the export still names people');
    model.destroy();
  });

  test('a new visitor reads a stored sheet and takes its signer later: signups are checked as read, not after the device\'s memory answers', async () => {
    const stored = new Y.Doc();
    for (const signer of signers.slice(0, 6)) {
      const peer = new SignupModel(stored, 'food', config(4), signer, { room: ROOM });
      await peer.join('pickup', { name: `P${signer.publicKey.slice(0, 4)}` });
      peer.destroy();
    }
    const doc = new Y.Doc();
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(stored));
    // This device holds no verdict (its store has loaded), and its memory of entries never answers.
    const verdicts = { ready: Promise.resolve(), size: 0, has: () => false, add: () => undefined, flush: () => Promise.resolve(), close: () => undefined };
    const memory = { load: () => new Promise<ReadonlyMap<string, unknown>>(() => undefined), save: () => undefined };
    const cache = new VerificationCache({ persist: verdicts, workers: false });
    const started = performance.now();
    const model = new SignupModel(doc, 'food', config(4), null, { room: ROOM, cache, heal: { store: memory } });
    const counted = () => model.view.slots[0]!.confirmed.length + model.view.slots[0]!.waitlist.length === 6;
    while (!counted() && performance.now() - started < 5000) await new Promise((resolve) => setTimeout(resolve, 5));
    assert.ok(counted(), 'every signup counted');
    assert.ok(performance.now() - started < 900, `counted without waiting for the memory (${Math.round(performance.now() - started)} ms; it is given up after 1 s)`);
    assert.equal(cache.signaturesChecked, 6);
    assert.deepEqual(model.view.mine, {});
    model.setSigner(signers[5]!);
    assert.equal(model.view.mine['pickup']?.state, 'waitlisted', 'the signer given later: where this visitor stands, at once');
    model.destroy();
  });

  test('a first sync\'s signups are kept on the device, also when the sheet goes right after its first pass', async () => {
    const authors = await Promise.all(Array.from({ length: 70 }, () => createSigner('Ed25519')));
    const stored = new Y.Doc();
    for (const [i, signer] of authors.entries()) {
      const peer = new SignupModel(stored, 'food', config(100), signer, { room: ROOM });
      await peer.join(i % 2 === 0 ? 'pickup' : 'sorting', { name: `P${i}` });
      peer.destroy();
    }
    const state = Y.encodeStateAsUpdate(stored);
    const kept = (memory: ReturnType<typeof memoryKeptStore>) => [...memory.sites.values()].reduce((n, rows) => n + rows.size, 0);
    for (const leaves of [true, false]) {
      const memory = memoryKeptStore();
      const doc = new Y.Doc();
      Y.applyUpdate(doc, state);
      const model = new SignupModel(doc, 'food', config(100), null, { room: ROOM, cache: new VerificationCache({ persist: false, workers: false }), heal: { store: memory } });
      await model.settled();
      assert.equal(model.view.slots[0]!.confirmed.length + model.view.slots[1]!.confirmed.length, 70);
      if (leaves) {
        model.destroy();
        assert.equal(kept(memory), 70, 'written as the sheet goes');
      } else {
        await until(() => kept(memory) === 70, 2000, 'written');
        model.destroy();
      }
    }
  });

  test('a signup stamped more than five minutes ahead waits, then takes its place by its signed time', async () => {
    const doc = new Y.Doc();
    // The reader's clock stands still until the test moves it (a slow machine cannot make the signup due early).
    let clock = Date.now();
    const reader = new SignupModel(doc, 'food', config(1), null, { room: ROOM, now: () => clock });
    const scope = signupScope('food');
    const ahead = clock + MAX_CLOCK_SKEW_MS + 200;
    const early = await signEntry(signers[3]!, { type: 'signup', scope, room: roomTag(ROOM), slot: 'pickup', name: 'Early', note: '' }, ahead);
    doc.getMap(scope).set(signupKey(signers[3]!.publicKey, 'pickup'), storeEntry(early, 'signup', () => SIGNUP_FIELDS));
    const now = new SignupModel(doc, 'food', config(1), signers[4]!, { room: ROOM });
    await now.join('pickup', { name: 'Now' });
    await reader.settled();
    assert.deepEqual(names(reader.view), { confirmed: ['Now'], waitlist: [] });
    const due = new Promise<ReturnType<typeof names>>((resolve, reject) => {
      const limit = setTimeout(() => reject(new Error('the waiting signup never became due')), 5000);
      reader.subscribe((view) => {
        clearTimeout(limit);
        resolve(names(view));
      });
    });
    clock += 250; // by the time the reader's timer (200 ms) fires
    assert.deepEqual(await due, { confirmed: ['Now'], waitlist: ['Early'] });
    reader.destroy();
    now.destroy();
  });
});

/**
 * `racers` peers, each on its own source, take the last `places` places of a slot at the same
 * signed moment while disconnected, then reconnect one by one in a random order with updates
 * delivered at random; then the first confirmed racer withdraws. Returns whether the peers had
 * really split (each racer saw itself confirmed before reconnecting).
 */
async function race(seed: number, racers: number, places: number, capacity: number): Promise<boolean> {
  const network = new MemoryNetwork({ delivery: 'manual', seed });
  const gen = prng.create(seed);
  const T0 = 1_700_000_000_000;
  const T1 = T0 + 60_000;
  const early = capacity - places;
  const sources: MemorySource[] = Array.from({ length: racers + 1 }, () => network.source());
  const clocks = sources.map(() => T0);
  const models = sources.map(
    (source, i) => new SignupModel(source.acquire(ROOM, ROOM_OPTIONS).doc, 'food', config(capacity), signers[i]!, { room: ROOM, now: () => clocks[i]! }),
  );
  // The first peer filled the earlier places, and everyone has them.
  const earlyNames = Array.from({ length: early }, (_, i) => `early-${i}`);
  const earlySigners = await Promise.all(earlyNames.map(() => createSigner()));
  for (const [i, signer] of earlySigners.entries()) {
    const m = new SignupModel(sources[0]!.acquire(ROOM, ROOM_OPTIONS).doc, 'food', config(capacity), signer, { room: ROOM, now: () => T0 + i });
    await m.join('pickup', { name: earlyNames[i]! });
    m.destroy();
  }
  network.flushAll();
  await Promise.all(models.map((m) => m.settled()));
  for (const m of models) assert.equal(m.view.slots[0]!.confirmed.length, early);

  // The race: every racer offline, all at the same signed moment.
  network.disconnectAll();
  const racing = models.slice(1);
  racing.forEach((_, i) => (clocks[i + 1] = T1));
  await Promise.all(racing.map((m, i) => m.join('pickup', { name: `racer-${i}` })));
  const split = racing.every((m) => m.view.mine['pickup']?.state === 'confirmed');

  // Back online one by one, in a random order, with updates delivered at random in between.
  const order = [...sources];
  for (let i = order.length - 1; i > 0; i--) {
    const j = prng.int32(gen, 0, i);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  for (const source of order) {
    network.reconnect(source);
    for (let n = prng.int32(gen, 0, 6); n > 0; n--) network.deliverRandom();
  }
  network.flushAll();
  await Promise.all(models.map((m) => m.settled()));

  // The racers in the shared order: same signed time, so by author key.
  const racerKeys = racing.map((m) => m.signer!.publicKey).sort(compareStrings);
  const view = models[0]!.view;
  for (const m of models) assert.deepEqual(shared(m.view), shared(view), `seed ${seed}: every peer shows the same sheet`);
  const { confirmed, waitlist } = authors(view);
  assert.ok(confirmed.length <= capacity, `seed ${seed}: ${confirmed.length} confirmed over capacity ${capacity}`);
  assert.deepEqual(confirmed, [...earlySigners.map((s) => s.publicKey), ...racerKeys.slice(0, places)]);
  assert.deepEqual(waitlist, racerKeys.slice(places));
  for (const m of racing) {
    const at = racerKeys.indexOf(m.signer!.publicKey);
    const expected = at < places ? { state: 'confirmed', position: early + at + 1 } : { state: 'waitlisted', position: at - places + 1 };
    assert.deepEqual(m.view.mine['pickup'], expected, `seed ${seed}: each racer sees where they stand`);
  }

  // The first confirmed racer withdraws: the first waitlisted moves up, everywhere.
  const winner = racing.find((m) => m.signer!.publicKey === racerKeys[0])!;
  const firstWaiting = racing.find((m) => m.signer!.publicKey === racerKeys[places])!;
  clocks[models.indexOf(winner)] = T1 + 1000;
  await winner.leave('pickup');
  for (let n = prng.int32(gen, 0, 10); n > 0; n--) network.deliverRandom();
  network.flushAll();
  await Promise.all(models.map((m) => m.settled()));
  for (const m of models) {
    assert.deepEqual(authors(m.view), { confirmed: [...earlySigners.map((s) => s.publicKey), ...racerKeys.slice(1, places + 1)], waitlist: racerKeys.slice(places + 1) }, `seed ${seed}: promoted everywhere`);
  }
  assert.equal(firstWaiting.view.mine['pickup']?.state, 'confirmed');
  assert.equal(winner.view.mine['pickup'], undefined);
  models.forEach((m) => m.destroy());
  network.destroy();
  return split;
}

describe('the last-place race on a simulated network', () => {
  for (const [racers, places, capacity] of [
    [2, 1, 3],
    [5, 2, 4],
  ] as const) {
    test(`${racers} disconnected peers take the last ${places} place(s) at once; every peer agrees, then a withdrawal promotes`, async () => {
      let splits = 0;
      for (let seed = 1; seed <= 6; seed++) if (await race(seed, racers, places, capacity)) splits++;
      assert.equal(splits, 6, 'every racer saw itself confirmed while offline: the network really split');
    });
  }

  test('random joins, leaves, closes and removals with random delivery and disconnects: every peer derives the same sheet', async () => {
    for (let seed = 1; seed <= 5; seed++) {
      const network = new MemoryNetwork({ delivery: 'manual', seed });
      const gen = prng.create(seed);
      const sources = [network.source(), network.source(), network.source()];
      const organizers = [signers[0]!.publicKey];
      const models = signers.slice(0, 6).map((s, i) => new SignupModel(sources[i % 3]!.acquire(ROOM, ROOM_OPTIONS).doc, 'food', config(2), s, { organizers, room: ROOM }));
      let diverged = false;
      for (let step = 0; step < 50; step++) {
        const r = prng.real53(gen);
        const model = prng.oneOf(gen, models);
        const slot = prng.oneOf(gen, ['pickup', 'sorting']);
        try {
          if (r < 0.35) await model.join(slot, { name: `p${models.indexOf(model)}` });
          else if (r < 0.5) await model.leave(slot);
          else if (r < 0.54) await models[0]!.close('pickup', prng.bool(gen));
          else if (r < 0.58) await models[0]!.removeSignup('pickup', prng.oneOf(gen, models).signer!.publicKey);
          else if (r < 0.85) for (let n = prng.int32(gen, 1, 5); n > 0; n--) network.deliverRandom();
          else if (r < 0.93) network.disconnect(prng.oneOf(gen, sources));
          else network.reconnect(prng.oneOf(gen, sources));
        } catch (error) {
          if (!isCode('closed')(error)) throw error;
        }
        await Promise.all(models.map((m) => m.settled()));
        if (!diverged) diverged = models.some((m) => JSON.stringify(shared(m.view)) !== JSON.stringify(shared(models[0]!.view)));
      }
      network.reconnectAll();
      network.flushAll();
      await Promise.all(models.map((m) => m.settled()));
      for (const m of models) {
        assert.deepEqual(shared(m.view), shared(models[0]!.view), `seed ${seed}`);
        assert.ok(m.view.slots[0]!.confirmed.length <= 2);
      }
      assert.ok(diverged, `seed ${seed}: the peers never disagreed before the final flush`);
      models.forEach((m) => m.destroy());
      network.destroy();
    }
  });
});

describe('organizers', () => {
  test('an organizer removes a signup (the first waitlisted moves up) and closes a slot; nobody else can', async () => {
    const doc = new Y.Doc();
    let clock = 1_000_000;
    const now = () => (clock += 10);
    const organizers = [signers[0]!.publicKey];
    const [org, a, b, c] = signers.slice(0, 4).map((s) => new SignupModel(doc, 'food', config(2), s, { organizers, now, room: ROOM })) as SignupModel[] as [SignupModel, SignupModel, SignupModel, SignupModel];
    await a.join('pickup', { name: 'Ana' });
    await b.join('pickup', { name: 'Bo' });
    await c.join('pickup', { name: 'Cy' });
    await assert.rejects(b.removeSignup('pickup', signers[1]!.publicKey), isCode('not-organizer'));
    await org.removeSignup('pickup', signers[1]!.publicKey);
    await c.settled();
    assert.deepEqual(names(c.view), { confirmed: ['Bo', 'Cy'], waitlist: [] });
    await a.settled();
    assert.equal(a.view.mine['pickup'], undefined, 'removed');

    // A removal signed by someone who is not an organizer, written straight into the map: ignored.
    const scope = signupScope('food');
    const forged = await signEntry(signers[2]!, { type: 'remove', scope, room: roomTag(ROOM), slot: 'pickup', who: signers[3]!.publicKey }, clock + 5);
    doc.getMap(scope).set(`remove:${signers[2]!.publicKey}:${signers[3]!.publicKey}:pickup`, storeEntry(forged, 'remove'));
    const forgedClose = await signEntry(signers[2]!, { type: 'close', scope, room: roomTag(ROOM), slot: 'pickup', closed: true }, clock + 6);
    doc.getMap(scope).set(`close:${signers[2]!.publicKey}:pickup`, storeEntry(forgedClose, 'close'));
    await c.settled();
    assert.deepEqual(names(c.view), { confirmed: ['Bo', 'Cy'], waitlist: [] });
    assert.equal(c.view.slots[0]!.closed, false);

    // Ana may sign up again: at the end of the queue.
    await a.join('pickup', { name: 'Ana' });
    await org.close('pickup');
    await c.settled();
    assert.equal(c.view.slots[0]!.closed, true);
    assert.deepEqual(names(c.view), { confirmed: ['Bo', 'Cy'], waitlist: ['Ana'] });
    await assert.rejects(a.leave('pickup'), isCode('closed'));
    await assert.rejects(org.join('pickup', { name: 'Org' }), isCode('closed'));
    await org.close('pickup', false);
    await c.settled();
    assert.equal(c.view.slots[0]!.closed, false);
    for (const m of [org, a, b, c]) m.destroy();
  });

  test('a signup signed after the close (on a peer that had not seen it) does not count', async () => {
    const network = new MemoryNetwork({ delivery: 'manual', seed: 3 });
    const [s1, s2] = [network.source(), network.source()];
    const organizers = [signers[0]!.publicKey];
    let clock = 1_000_000;
    const now = () => (clock += 10);
    const org = new SignupModel(s1.acquire(ROOM, ROOM_OPTIONS).doc, 'food', config(3), signers[0]!, { organizers, now, room: ROOM });
    const late = new SignupModel(s2.acquire(ROOM, ROOM_OPTIONS).doc, 'food', config(3), signers[1]!, { organizers, now, room: ROOM });
    network.disconnectAll();
    await org.close('pickup');
    await late.join('pickup', { name: 'Late' });
    network.reconnectAll();
    network.flushAll();
    await Promise.all([org.settled(), late.settled()]);
    assert.deepEqual(names(org.view), { confirmed: [], waitlist: [] });
    assert.deepEqual(shared(org.view), shared(late.view));
    org.destroy();
    late.destroy();
  });
});

describe('open sheets', () => {
  test('visitors add slots (signed by them), removable by their author or an organizer; at most a few each', async () => {
    const doc = new Y.Doc();
    let clock = 1_000_000;
    const now = () => (clock += 10);
    const organizers = [signers[0]!.publicKey];
    const open = config(2, { open: true });
    const [org, a, b] = signers.slice(0, 3).map((s) => new SignupModel(doc, 'food', open, s, { organizers, now, room: ROOM })) as [SignupModel, SignupModel, SignupModel];
    const car = await a.addSlot({ label: '  I can also bring a car ', capacity: 3, start: '2099-12-05T09:00-05:00', location: 'Main St' });
    assert.equal(car, visitorSlotName(car.split('@')[0]!, signers[1]!.publicKey));
    await b.settled();
    const slot = b.view.slots.find((s) => s.name === car)!;
    assert.deepEqual({ ...slot }, { name: car, label: 'I can also bring a car', capacity: 3, start: '2099-12-05T09:00-05:00', end: null, location: 'Main St', closed: false, confirmed: [], waitlist: [], left: 3 });
    await b.join(car, { name: 'Bo' });
    assert.equal(b.view.mine[car]?.state, 'confirmed');
    assert.equal(a.mayRemoveSlot(car), true);
    assert.equal(org.mayRemoveSlot(car), true);
    assert.equal(b.mayRemoveSlot(car), false);
    await assert.rejects(b.removeSlot(car), isCode('not-organizer'));
    await assert.rejects(b.removeSlot('pickup'), isCode('unknown-slot'));
    await assert.rejects(a.addSlot({ label: '' }), isCode('invalid-entry'));
    await assert.rejects(a.addSlot({ label: 'x', capacity: 0 }), isCode('invalid-entry'));
    await assert.rejects(a.addSlot({ label: 'x', start: 'tomorrow' }), isCode('invalid-entry'));

    // An organizer removes it; its author adds another and removes that one themself.
    await org.removeSlot(car);
    await b.settled();
    assert.equal(b.view.slots.some((s) => s.name === car), false);
    const spare = await a.addSlot({ label: 'Spare seats' });
    await a.removeSlot(spare);
    await b.settled();
    assert.deepEqual(b.view.slots.map((s) => s.name), ['pickup', 'sorting']);

    // The limit per author: the organizer's removal still counts against it, the author's own does not.
    assert.equal(a.slotsLeftToAdd, MAX_SLOTS_PER_AUTHOR - 1);
    for (let i = 1; i < MAX_SLOTS_PER_AUTHOR; i++) await a.addSlot({ label: `Extra ${i}` });
    assert.equal(a.slotsLeftToAdd, 0);
    await assert.rejects(a.addSlot({ label: 'One too many' }), isCode('closed'));
    // A hostile client writes a sixth anyway: every peer ignores it.
    const scope = signupScope('food');
    const sixth = await signEntry(signers[1]!, { type: 'slot', scope, room: roomTag(ROOM), id: 'sixth', label: 'Sixth' }, clock + 100);
    doc.getMap(scope).set(`slot:${signers[1]!.publicKey}:sixth`, storeEntry(sixth, 'slot'));
    await b.settled();
    assert.equal(b.view.slots.length, 2 + MAX_SLOTS_PER_AUTHOR - 1);
    assert.equal(b.view.slots.some((s) => s.label === 'Sixth'), false);

    // On a sheet that is not open, visitors' slots are not shown and none can be added.
    const closedSheet = new SignupModel(doc, 'food', config(2), signers[2]!, { organizers, room: ROOM });
    await closedSheet.settled();
    assert.deepEqual(closedSheet.view.slots.map((s) => s.name), ['pickup', 'sorting']);
    await assert.rejects(closedSheet.addSlot({ label: 'x' }), isCode('closed'));
    for (const m of [org, a, b, closedSheet]) m.destroy();
  });
});

describe('hostile map contents', () => {
  test('forged, malformed and misplaced entries are ignored; honest signups count', async () => {
    const doc = new Y.Doc();
    const model = new SignupModel(doc, 'food', config(5, { open: true }), signers[0]!, { room: ROOM });
    await model.join('pickup', { name: 'Ana' });
    const mallory = signers[5]!;
    const victim = signers[6]!;
    const scope = signupScope('food');
    const room = roomTag(ROOM);
    const sign = (body: Record<string, unknown>, signer = mallory, type = 'signup') => signEntry(signer, { type, scope, room, ...body });
    // Signed a millisecond after Ana's signup at least: the shared order then puts Ana first, whatever the keys.
    const valid = await signEntry(mallory, { type: 'signup', scope, room, slot: 'pickup', name: 'Mallory', note: '' }, Date.now() + 1);
    const map = doc.getMap<unknown>(scope);
    const stored = (entry: Awaited<ReturnType<typeof sign>>, kind = 'signup') => storeEntry(entry, kind, () => SIGNUP_FIELDS);
    const hostile: [string, unknown][] = [
      [signupKey(victim.publicKey, 'pickup'), stored(valid)], // Mallory's entry under the victim's key
      [signupKey(mallory.publicKey, 'sorting'), stored(valid)], // moved to another slot
      [signupKey(mallory.publicKey, 'pickup') + 'x', stored(valid)],
      [signupKey(mallory.publicKey, 'pickup'), { ...valid, name: 'Forged' }], // body changed after signing
      [signupKey(mallory.publicKey, 'pickup'), stored(await sign({ slot: 'pickup', name: '', note: '' }))],
      [signupKey(mallory.publicKey, 'pickup'), stored(await sign({ slot: 'pickup', name: 'x'.repeat(81), note: '' }))],
      [signupKey(mallory.publicKey, 'pickup'), stored(await sign({ slot: 'pickup', name: 'M', note: 'x'.repeat(MAX_NOTE_LENGTH + 1) }))],
      [signupKey(mallory.publicKey, 'pickup'), stored(await sign({ slot: 'pickup', name: 'M', note: '', since: Date.now() + 10 ** 9 }))],
      [signupKey(mallory.publicKey, 'pickup'), stored(await sign({ slot: 'pickup', name: 'M', note: '', extra: 1 }))],
      [signupKey(mallory.publicKey, 'pickup'), stored(await sign({ slot: 'pickup', name: ['M'], note: '' }))],
      [signupKey(mallory.publicKey, 'pickup'), stored(await sign({ slot: 'pickup', name: 'M', note: '' }, mallory, 'ballot'))],
      [`slot:${mallory.publicKey}:a b`, stored(await sign({ id: 'a b', label: 'bad id' }, mallory, 'slot'), 'slot')],
      [`slot:${mallory.publicKey}:big`, stored(await sign({ id: 'big', label: 'big', capacity: 10 ** 9 }, mallory, 'slot'), 'slot')],
      [`slot:${mallory.publicKey}:when`, stored(await sign({ id: 'when', label: 'when', start: 'soon' }, mallory, 'slot'), 'slot')],
      [`slot:${victim.publicKey}:taken`, stored(await sign({ id: 'taken', label: 'not yours' }, mallory, 'slot'), 'slot')],
      ['junk', 42],
      [signupKey(mallory.publicKey, 'pickup'), new Uint8Array([0x32, 1, 2, 3])],
      [signupKey(mallory.publicKey, 'pickup'), 'text'],
      [signupKey(mallory.publicKey, 'pickup'), null],
    ];
    for (const [key, value] of hostile) {
      map.set(key, value);
      await model.settled();
      assert.deepEqual(names(model.view), { confirmed: ['Ana'], waitlist: [] }, `after ${key}`);
      assert.deepEqual(model.view.slots.map((s) => s.name), ['pickup', 'sorting'], `after ${key}`);
    }
    // And the valid one, in its place, counts.
    map.set(signupKey(mallory.publicKey, 'pickup'), stored(valid));
    await model.settled();
    assert.deepEqual(names(model.view), { confirmed: ['Ana', 'Mallory'], waitlist: [] });
    // An entry signed for another room does not count in this one.
    const elsewhere = await signEntry(victim, { type: 'signup', scope, room: roomTag('other'), slot: 'pickup', name: 'Elsewhere', note: '' });
    map.set(signupKey(victim.publicKey, 'pickup'), stored(elsewhere));
    await model.settled();
    assert.deepEqual(names(model.view), { confirmed: ['Ana', 'Mallory'], waitlist: [] });
    model.destroy();
  });
});

describe('export', () => {
  test('the roster with every signed entry behind it, each verifiable; CSV for the organizer, never a formula', async () => {
    const doc = new Y.Doc();
    let clock = 1_000_000;
    const now = () => (clock += 10);
    const organizers = [signers[0]!.publicKey];
    const [org, a, b] = signers.slice(0, 3).map((s) => new SignupModel(doc, 'food', config(1, { showNames: false }), s, { organizers, now, room: ROOM })) as [SignupModel, SignupModel, SignupModel];
    await a.join('pickup', { name: '=HYPERLINK("x")', note: 'van, "big"' });
    await b.join('pickup', { name: 'Bo' });
    await b.join('sorting', { name: 'Bo' });
    await org.close('sorting');
    const exported = org.export();
    assert.equal(exported.title, 'Saturday food drive');
    assert.deepEqual(exported.slots[0]!.confirmed.map((p) => p.name), ['=HYPERLINK("x")']);
    assert.deepEqual(exported.slots[0]!.waitlist.map((p) => p.name), ['Bo']);
    assert.deepEqual(exported.entries.map((e) => e.type), ['signup', 'signup', 'signup', 'close']);
    for (const entry of exported.entries) assert.ok(await verifyEntry(entry), `${entry.type} verifies on its own`);
    const csv = org.exportCsv();
    const lines = csv.split('\r\n');
    assert.equal(lines[0], 'slot,label,start,end,location,state,position,name,note,signer,signed_at');
    assert.equal(lines[1], `pickup,Pick-up drivers,2099-12-05T09:00-05:00,2099-12-05T11:00-05:00,Church hall,confirmed,1,"'=HYPERLINK(""x"")","van, ""big""",${signers[1]!.publicKey},${new Date(exported.entries[0]!.ts).toISOString()}`);
    assert.match(lines[2]!, /^pickup,.*,waitlisted,1,Bo,,/);
    assert.match(lines[3]!, /^sorting,Sorting and packing,,,,confirmed,1,Bo,,/);
    assert.equal(lines.length, 5);
    assert.equal(lines[4], '');
    assert.equal(csvCell('-1'), "'-1");
    assert.equal(csvCell('@me'), "'@me");
    for (const m of [org, a, b]) m.destroy();
  });
});
