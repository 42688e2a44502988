// Self-healing and limits in the kit (EntryModel through PollModel): a deleted, junked or replayed
// entry keeps counting at once and is written back by one peer, without honest peers fighting; a
// retraction is respected; entries remembered on the device come back into a document that lost
// them (and only into one that held them); per-author caps and the widget's fair share.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { roomTag, signEntry } from '../../src/identity/entries.js';
import { createSigner } from '../../src/identity/keys.js';
import type { Signer } from '../../src/identity/types.js';
import { applyEntryLimits } from '../../src/models/entry-limits.js';
import { type KeptEntryStore, memoryKeptStore } from '../../src/models/kept-entries.js';
import { VerificationCache } from '../../src/identity/verification.js';
import { ballotKey, PollModel, pollScope } from '../../src/models/poll.js';
import type { PollConfig, PollView } from '../../src/models/poll.types.js';
import { sortEntries } from '../../src/models/order.js';
import { MemoryNetwork } from '../../src/room/memory-room.js';
import type { RoomOptions } from '../../src/room/types.js';
import { until } from '../helpers/until.js';

const ROOM = 'eastside';
const ROOM_OPTIONS: RoomOptions = { signaling: [], iceServers: [], password: null, persist: false };
const config: PollConfig = {
  question: 'Which evening?',
  options: [
    { id: 'tue', label: 'Tuesday' },
    { id: 'thu', label: 'Thursday' },
  ],
  results: 'always',
};
const FAST = { delayMs: 10, spreadMs: 40 };
const counts = (view: PollView) => Object.fromEntries(view.options.map((o) => [o.id, o.count]));

let signers: Signer[] = [];
before(async () => {
  signers = await Promise.all(Array.from({ length: 4 }, (_, i) => createSigner(i === 1 ? 'ECDSA-P256' : 'Ed25519')));
});

/** Three linked peers, each voting; returns their models and rooms. */
const threePeers = async (heal: object = FAST) => {
  const network = new MemoryNetwork();
  const rooms = [0, 1, 2].map(() => network.source().acquire(ROOM, ROOM_OPTIONS));
  const models = rooms.map((room, i) => new PollModel(room.doc, 'evening', config, signers[i]!, { room: ROOM, heal: { store: null, ...heal } }));
  await models[0]!.vote('tue');
  await models[1]!.vote('thu');
  await models[2]!.vote('thu');
  await Promise.all(models.map((m) => m.settled()));
  return { network, rooms, models, map: (i: number) => rooms[i]!.doc.getMap<unknown>(pollScope('evening')) };
};

describe('self-healing', () => {
  test('a deleted ballot still counts at once, and one peer writes it back', async () => {
    const { network, rooms, models, map } = await threePeers();
    const key = ballotKey(signers[1]!.publicKey);
    const stored = map(0).get(key);
    // A hostile fourth peer deletes it: the deletion reaches everyone.
    const mallory = network.source().acquire(ROOM, ROOM_OPTIONS);
    mallory.doc.getMap(pollScope('evening')).delete(key);
    assert.equal(map(0).has(key), false);
    await Promise.all(models.map((m) => m.settled()));
    for (const m of models) assert.deepEqual(counts(m.view), { tue: 1, thu: 2 }, 'still counted');
    assert.ok(models.every((m) => m.damaged === 1));
    await until(() => rooms.every((_, i) => map(i).get(key) !== undefined), 2000, 'written back');
    await Promise.all(models.map((m) => m.settled()));
    assert.deepEqual(map(2).get(key), stored, 'the same bytes');
    const repaired = models.reduce((n, m) => n + m.repaired, 0);
    assert.ok(repaired >= 1 && repaired <= 3, `${repaired} write-backs`);
    assert.equal(models.filter((m) => m.repaired > 0).length, 1, 'the first writer wins; the others find it restored');
    assert.ok(models.every((m) => m.damaged === 0));
    network.destroy();
  });

  test('junk, a forged entry and a replayed older ballot over a voter\'s key: the newest valid one counts and returns', async () => {
    const { network, rooms, models, map } = await threePeers();
    const key = ballotKey(signers[2]!.publicKey);
    const old = map(0).get(key) as Uint8Array;
    await models[2]!.vote('tue'); // a change of mind: `old` is now a replay
    await Promise.all(models.map((m) => m.settled()));
    const newest = map(0).get(key) as Uint8Array;
    const flipped = newest.slice();
    flipped[flipped.length - 3]! ^= 1;
    const forged = await signEntry(signers[3]!, { type: 'ballot', scope: pollScope('evening'), room: undefined, ballot: 'thu' });
    for (const junk of [flipped, 'x'.repeat(5000), { ...forged, author: signers[2]!.publicKey }, old, new Y.Map()]) {
      rooms[0]!.doc.getMap(pollScope('evening')).set(key, junk);
      await Promise.all(models.map((m) => m.settled()));
      for (const m of models) assert.deepEqual(counts(m.view), { tue: 2, thu: 1 }, `counted through ${String(junk).slice(0, 20)}`);
      await until(() => rooms.every((_, i) => map(i).get(key) instanceof Uint8Array && Buffer.from(map(i).get(key) as Uint8Array).equals(newest)), 2000, 'newest written back');
    }
    network.destroy();
  });

  test('a retraction and a change of mind are the author\'s word, not damage', async () => {
    const { network, models, map } = await threePeers();
    await models[1]!.retract();
    await models[2]!.vote('tue');
    await Promise.all(models.map((m) => m.settled()));
    for (const m of models) assert.deepEqual(counts(m.view), { tue: 2, thu: 0 });
    assert.ok(models.every((m) => m.damaged === 0));
    await new Promise((resolve) => setTimeout(resolve, 80)); // past every write-back delay (FAST)
    assert.ok(models.every((m) => m.repaired === 0), 'nothing written back');
    assert.ok(map(0).get(ballotKey(signers[1]!.publicKey)) instanceof Uint8Array, 'the tombstone stays');
    network.destroy();
  });

  test('ten peers heal a hundred deletions with at most one write-back each per entry, and the write-backs are rate-capped', async () => {
    const network = new MemoryNetwork();
    const voters = await Promise.all(Array.from({ length: 100 }, () => createSigner('Ed25519')));
    const first = network.source().acquire(ROOM, ROOM_OPTIONS);
    for (const signer of voters) await new PollModel(first.doc, 'evening', config, signer, { room: ROOM, heal: false }).vote('tue');
    const rooms = [first, ...Array.from({ length: 9 }, () => network.source().acquire(ROOM, ROOM_OPTIONS))];
    const models = rooms.map((room) => new PollModel(room.doc, 'evening', config, null, { room: ROOM, heal: { store: null, delayMs: 0, spreadMs: 200, perSecond: 400 } }));
    await Promise.all(models.map((m) => m.settled()));
    const mallory = network.source().acquire(ROOM, ROOM_OPTIONS);
    const started = Date.now();
    mallory.doc.transact(() => {
      for (const signer of voters) mallory.doc.getMap(pollScope('evening')).delete(ballotKey(signer.publicKey));
    });
    await Promise.all(models.map((m) => m.settled()));
    assert.ok(models.every((m) => m.view.total === 100), 'every peer still counts 100');
    await until(() => models.every((m) => m.damaged === 0) && mallory.doc.getMap(pollScope('evening')).size === 100, 3000, 'all written back');
    const writes = models.reduce((n, m) => n + m.repaired, 0);
    assert.ok(writes >= 100 && writes <= 200, `${writes} write-backs for 100 entries`);
    assert.ok(Date.now() - started < 3000);
    const newcomer = new PollModel(network.source().acquire(ROOM, ROOM_OPTIONS).doc, 'evening', config, null, { room: ROOM, heal: false });
    await newcomer.settled();
    assert.equal(newcomer.view.total, 100, 'a newcomer gets the room whole');
    network.destroy();
  });

  test('remembered on the device: put back into a document that lost an entry while the tab was closed, not into another one', async () => {
    const store = memoryKeptStore();
    const doc = new Y.Doc();
    const voter = new PollModel(doc, 'evening', config, signers[0]!, { room: ROOM, heal: { store, ...FAST } });
    await voter.vote('thu');
    await new Promise((resolve) => setTimeout(resolve, 0));
    voter.destroy();
    assert.equal(store.sites.size, 1);
    // While the tab is closed, a peer deletes the ballot from the stored document.
    doc.getMap(pollScope('evening')).delete(ballotKey(signers[0]!.publicKey));
    const reopened = new PollModel(doc, 'evening', config, null, { room: ROOM, heal: { store, ...FAST } });
    await reopened.settled();
    assert.equal(reopened.view.total, 1, 'counted from memory');
    await until(() => doc.getMap(pollScope('evening')).size === 1, 2000, 'written back');
    // Another document of the same room and poll that never held the key is left alone.
    const other = new Y.Doc();
    const fresh = new PollModel(other, 'evening', config, null, { room: ROOM, heal: { store, ...FAST } });
    await fresh.settled();
    assert.equal(fresh.view.total, 0);
    assert.equal(other.getMap(pollScope('evening')).size, 0);
  });

  test('a device that holds what the document holds checks none of it again (its own verdicts) and writes nothing again as the page opens; changed bytes are checked', async () => {
    const store = memoryKeptStore();
    const doc = new Y.Doc();
    const voters = await Promise.all(signers.slice(0, 3).map((s) => new PollModel(doc, 'evening', config, s, { room: ROOM, heal: { store, ...FAST } })));
    for (const voter of voters) await voter.vote('thu');
    await new Promise((resolve) => setTimeout(resolve, 0));
    voters.forEach((v) => v.destroy());
    let saved = 0;
    let checked = 0;
    const counting: KeptEntryStore = { load: (site) => store.load(site), save: (site, values) => ((saved += values.size), store.save(site, values)) };
    const cache = new VerificationCache();
    const verify = cache.verifyBatch.bind(cache);
    cache.verifyBatch = (batch) => ((checked += batch.length), verify(batch));
    const reopened = new PollModel(doc, 'evening', config, null, { room: ROOM, heal: { store: counting, ...FAST }, cache });
    await reopened.settled();
    await new Promise((resolve) => setTimeout(resolve, 0));
    assert.equal(reopened.view.total, 3);
    assert.deepEqual({ checked, saved }, { checked: 0, saved: 0 });
    reopened.destroy();
    // While the tab is closed, the first voter changes their ballot from another device: those bytes are checked.
    const elsewhere = new PollModel(doc, 'evening', config, signers[0]!, { room: ROOM, heal: { store: memoryKeptStore(), ...FAST } });
    await elsewhere.vote('tue');
    elsewhere.destroy();
    checked = 0;
    const fresh = new VerificationCache();
    const verifyFresh = fresh.verifyBatch.bind(fresh);
    fresh.verifyBatch = (batch) => ((checked += batch.length), verifyFresh(batch));
    const again = new PollModel(doc, 'evening', config, null, { room: ROOM, heal: { store: counting, ...FAST }, cache: fresh });
    await again.settled();
    assert.equal(again.view.total, 3);
    assert.equal(again.view.options.find((o) => o.id === 'tue')?.count, 1);
    // The document's new bytes, and the device's older entry under that key, which now differs and is weighed against it.
    assert.equal(checked, 2);
    again.destroy();
  });

  test('healing off: the document is the truth (the kit\'s own default)', async () => {
    const doc = new Y.Doc();
    const a = new PollModel(doc, 'evening', config, signers[0]!, { heal: false });
    await a.vote('tue');
    doc.getMap(pollScope('evening')).delete(ballotKey(signers[0]!.publicKey));
    await a.settled();
    assert.equal(a.view.total, 0);
    assert.equal(a.damaged, 0);
  });
});

describe('limits', () => {
  const entry = (author: string, ts: number) => ({ v: 2 as const, type: 'note', scope: 's', author, alg: 'Ed25519' as const, ts, sig: `${author}${ts}` });

  test('per author: the oldest N entries in the shared order stay, by count and by bytes; organizers are not limited', () => {
    const entries = new Map<string, ReturnType<typeof entry>>();
    for (let i = 0; i < 30; i++) entries.set(`note:A:${i}`, entry('A', 1000 - i));
    for (let i = 0; i < 5; i++) entries.set(`note:B:${i}`, entry('B', i));
    for (let i = 0; i < 30; i++) entries.set(`note:O:${i}`, entry('O', i));
    const limits = { entriesPerAuthor: 10, bytesPerAuthor: 10_000, bytes: 1e9 };
    const { entries: kept, report } = applyEntryLimits(entries, () => 100, limits, (author) => author === 'O');
    const ofA = sortEntries([...kept.values()].filter((e) => e.author === 'A'));
    assert.equal(ofA.length, 10);
    assert.deepEqual(ofA.map((e) => e.ts), sortEntries([...entries.values()].filter((e) => e.author === 'A')).slice(0, 10).map((e) => e.ts));
    assert.equal([...kept.values()].filter((e) => e.author === 'B').length, 5);
    assert.equal([...kept.values()].filter((e) => e.author === 'O').length, 30, 'organizer unlimited');
    assert.deepEqual(report, { entries: 20, authors: 1 });
    const bytes = applyEntryLimits(entries, () => 100, { ...limits, bytesPerAuthor: 350 });
    assert.equal([...bytes.entries.values()].filter((e) => e.author === 'B').length, 3);
    const none = applyEntryLimits(entries, () => 1, { entriesPerAuthor: 100, bytesPerAuthor: 1e6, bytes: 1e9 });
    assert.equal(none.entries, entries, 'nothing to cut: the same map');
  });

  test('the widget\'s size: past it, authors over an equal share are cut to it, small authors keep everything', () => {
    const entries = new Map<string, ReturnType<typeof entry>>();
    for (let i = 0; i < 100; i++) entries.set(`note:big:${i}`, entry('big', i));
    for (const small of ['s1', 's2', 's3']) entries.set(`note:${small}`, entry(small, 5));
    const { entries: kept } = applyEntryLimits(entries, () => 100, { entriesPerAuthor: 1000, bytesPerAuthor: 1e9, bytes: 2000 });
    for (const small of ['s1', 's2', 's3']) assert.ok(kept.has(`note:${small}`));
    const big = [...kept.values()].filter((e) => e.author === 'big');
    assert.equal(big.length, 17, '2000 − 300 bytes left for the big author');
    assert.deepEqual(big.map((e) => e.ts), Array.from({ length: 17 }, (_, i) => i), 'its oldest');
  });

  test('a poll: an author\'s 1,200 signed entries count up to the cap, and the tally is untouched', async () => {
    const doc = new Y.Doc();
    const voter = new PollModel(doc, 'evening', config, signers[0]!, { room: ROOM });
    await voter.vote('tue');
    const mallory = signers[3]!;
    const map = doc.getMap(pollScope('evening'));
    const parts = await Promise.all(
      Array.from({ length: 1200 }, (_, i) => signEntry(mallory, { type: 'closeset', scope: pollScope('evening'), room: roomTag(ROOM), of: 1, ids: [String(i)] }, 1000 + i)),
    );
    doc.transact(() => parts.forEach((part, i) => map.set(`closeset:${mallory.publicKey}:${i}`, part)));
    await voter.settled();
    assert.deepEqual(voter.limited, { entries: 200, authors: 1 });
    assert.equal(voter.view.total, 1);
  });
});
