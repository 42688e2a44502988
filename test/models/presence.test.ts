// Signed presence (issue 11 "Presence", issue 13 "Signed presence") against a hostile awareness:
// a verdict is bound to the exact signed content, only signed readers are counted (once per
// author, capped), and a flood of forged states delivered first neither pushes honest readers
// out nor costs more than the checks a window allows. Over a real y-protocols Awareness, with
// forged states applied as a peer's update would be.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as prng from 'lib0/prng';
import { applyAwarenessUpdate, Awareness } from 'y-protocols/awareness';
import { toBase64url } from '../../src/identity/base64url.js';
import { roomTag, signEntry } from '../../src/identity/entries.js';
import { createSigner } from '../../src/identity/keys.js';
import type { Signer } from '../../src/identity/types.js';
import { CHECK_WINDOW_MS, CHECKS_PER_WINDOW, MAX_COUNTED_READERS, Presence, PRESENCE_TYPE, type PresenceView } from '../../src/models/presence.js';

const ROOM = 'eastside';
const SCOPE = 'thread:rent';
const FIELD = `gather:${SCOPE}`;

let ana: Signer;
let bo: Signer;
let organizer: Signer;
before(async () => {
  [ana, bo, organizer] = await Promise.all([createSigner('Ed25519'), createSigner('ECDSA-P256'), createSigner('Ed25519')]);
});

const made: { destroy(): void }[] = [];
after(() => {
  for (const m of made) m.destroy();
});

/** A watcher's awareness, and the watcher (a visitor who cannot sign: counted here, never named). */
const watch = () => {
  const doc = new Y.Doc();
  const awareness = new Awareness(doc);
  const presence = new Presence(awareness, { scope: SCOPE, room: ROOM, signer: null });
  made.push(presence, awareness, doc);
  return { awareness, presence };
};

let clock = 1;
/** Applies, as a peer's update, `states` (a presence value each) under the given client ids, clocks rising. */
const deliver = (awareness: Awareness, states: readonly (readonly [number, unknown])[]) => {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, states.length);
  for (const [id, value] of states) {
    encoding.writeVarUint(encoder, id);
    encoding.writeVarUint(encoder, clock++);
    encoding.writeVarString(encoder, JSON.stringify({ [FIELD]: value }));
  }
  applyAwarenessUpdate(awareness, encoding.toUint8Array(encoder), 'peer');
};

const presenceOf = (signer: Signer, name: string, ts = Date.now(), room = ROOM) =>
  signEntry(signer, { type: PRESENCE_TYPE, scope: SCOPE, room: roomTag(room), name }, ts) as Promise<unknown> as Promise<Record<string, unknown>>;

const names = (view: PresenceView) => view.people.map((p) => p.name).sort();

/** Recounts until `done` holds or `ms` pass (checks beyond a window's allowance wait for the next). */
const until = async (presence: Presence, done: () => boolean, ms = 10_000) => {
  const started = Date.now();
  for (;;) {
    await presence.recount();
    if (done() || Date.now() - started > ms) return Date.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

describe('signed presence', () => {
  test('a verdict is bound to the exact signed content: a valid signature copied with another author, name, time or field names nobody', async () => {
    const { awareness, presence } = watch();
    const genuine = await presenceOf(ana, 'Ana');
    const copies = [
      { ...genuine, author: organizer.publicKey },
      { ...genuine, name: 'Organizer' },
      { ...genuine, author: organizer.publicKey, name: 'Organizer' },
      { ...genuine, ts: (genuine['ts'] as number) + 1 },
      { ...genuine, admin: true },
      { ...genuine, author: bo.publicKey, alg: 'ECDSA-P256' },
    ];
    // Copies first (each fails), then the genuine one (verifies), then the copies again under new clients.
    deliver(awareness, copies.map((copy, i) => [100 + i, copy]));
    await presence.recount();
    assert.deepEqual(presence.view.people, [], 'no copy names anyone');
    assert.equal(presence.view.count, 1, 'only the watcher itself is counted');
    deliver(awareness, [[1, genuine]]);
    await presence.recount();
    assert.deepEqual(presence.view.people, [{ author: ana.publicKey, name: 'Ana' }], 'the genuine presence names Ana');
    deliver(awareness, copies.map((copy, i) => [200 + i, copy]));
    await presence.recount();
    assert.deepEqual(presence.view.people, [{ author: ana.publicKey, name: 'Ana' }], 'copies of a signature already verified still name nobody');
    assert.equal(presence.view.count, 2);
  });

  test('counts only signed readers, once per author, and at most MAX_COUNTED_READERS', { timeout: 30_000 }, async () => {
    const { awareness, presence } = watch();
    const anaNow = await presenceOf(ana, 'Ana');
    // Unsigned and junk states, a stale and another room's presence, and Ana in two tabs.
    deliver(awareness, [
      [1, true],
      [2, 'x'],
      [3, { type: PRESENCE_TYPE }],
      [4, await presenceOf(bo, 'Bo', Date.now() - 10 * 60_000)],
      [5, await presenceOf(bo, 'Bo', Date.now(), 'another-room')],
      [6, anaNow],
      [7, await presenceOf(ana, 'Ana (phone)')],
    ]);
    await until(presence, () => presence.view.people.length === 1);
    assert.equal(presence.view.count, 2, 'Ana once, and the watcher: no unsigned, stale or other room state counts');
    assert.equal(presence.view.capped, false);
    assert.equal(presence.view.people[0]!.author, ana.publicKey);
    // Sixty more signed readers: the count stops at the cap and says so.
    const many = await Promise.all(Array.from({ length: 60 }, async (_, i) => presenceOf(await createSigner('Ed25519'), `Reader ${i}`)));
    deliver(awareness, many.map((value, i) => [1000 + i, value]));
    await until(presence, () => presence.view.capped);
    assert.equal(presence.view.count, MAX_COUNTED_READERS);
    assert.equal(presence.view.capped, true);
    assert.equal(presence.view.people.length, MAX_COUNTED_READERS - 1, 'the watcher is one of those counted');
    assert.ok(presence.view.people.some((p) => p.author === ana.publicKey), 'Ana, here first, keeps her place under the cap');
  });

  test('a flood of forged states delivered before the honest ones: proven readers stay named, new ones are named, checks stay bounded', { timeout: 30_000 }, async () => {
    const { awareness, presence } = watch();
    deliver(awareness, [[1, await presenceOf(bo, 'Bo')]]);
    await presence.recount();
    assert.deepEqual(names(presence.view), ['Bo']);
    const seen: PresenceView[] = [];
    let checksWhenBoRenamed = -1;
    presence.subscribe((view) => {
      seen.push(view);
      if (checksWhenBoRenamed < 0 && view.people.some((p) => p.name === 'Bo B.')) checksWhenBoRenamed = presence.checks;
    });
    // 400 well-formed presences with made-up authors and signatures, 1,000 junk states, copies of
    // Bo's presence renamed: all before Ana arrives and Bo signs his presence again.
    const gen = prng.create(11);
    const genuine = awareness.getStates().get(1)![FIELD] as Record<string, unknown>;
    const forged = Array.from({ length: 400 }, (_, i) => ({ ...genuine, author: toBase64url(prng.uint8Array(gen, 32)), alg: 'Ed25519', name: `Forged ${i}`, sig: toBase64url(prng.uint8Array(gen, 64)) }));
    const junk = Array.from({ length: 1000 }, (_, i) => [true, 'x', { type: PRESENCE_TYPE, name: 'Junk' }, { ...genuine, name: 'x'.repeat(1000) }][i % 4]);
    const renamed = Array.from({ length: 100 }, (_, i) => ({ ...genuine, name: `Mallory ${i}` }));
    const flood = [...forged, ...junk, ...renamed].map((value, i) => [5000 + i, value] as const);
    const checksBefore = presence.checks;
    deliver(awareness, flood);
    deliver(awareness, [
      [1, await presenceOf(bo, 'Bo B.')],
      [2, await presenceOf(ana, 'Ana')],
    ]);
    const started = Date.now();
    const ms = await until(presence, () => names(presence.view).join() === 'Ana,Bo B.');
    assert.deepEqual(names(presence.view), ['Ana', 'Bo B.'], `Ana is named once her turn comes (after ${ms} ms)`);
    assert.equal(presence.view.count, 3);
    assert.ok(
      seen.every((view) => view.people.some((p) => p.author === bo.publicKey)),
      'Bo was never pushed out while the flood was checked',
    );
    // The flood's first window went to the flood (it arrived first); in the next, Bo's new presence went first.
    assert.ok(checksWhenBoRenamed > 0 && checksWhenBoRenamed - checksBefore <= 2 * CHECKS_PER_WINDOW, `a proven reader's new presence is checked first in its window (named after ${checksWhenBoRenamed} checks)`);
    assert.ok(seen.every((view) => view.people.every((p) => p.name === 'Ana' || p.name.startsWith('Bo'))), 'no forged name ever shown');
    const windows = Math.ceil((Date.now() - started) / CHECK_WINDOW_MS) + 1;
    assert.ok(presence.checks - checksBefore <= windows * CHECKS_PER_WINDOW, `${presence.checks - checksBefore} checks in ${windows} windows`);
    // The same forged states again (higher clocks, same content): remembered, not checked again.
    const checks = presence.checks;
    deliver(awareness, flood);
    await presence.recount();
    assert.equal(presence.checks - checks, 0, 'a bad state sent again is not checked again');
    assert.deepEqual(names(presence.view), ['Ana', 'Bo B.']);
    console.log(`  presence flood: 400 forged + 1,100 junk states before Ana; Ana named after ${ms} ms, ${presence.checks} signature checks`);
  });
});
