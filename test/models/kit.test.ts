// The shared model layer every widget builds on: EntryModel with a made-up entry kind, entry keys,
// the shared order, the future-stamped rule, writing through SignedEntryModel, the organizer role.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { GatherError } from '../../src/errors.js';
import { signEntry } from '../../src/identity/entries.js';
import { createSigner } from '../../src/identity/keys.js';
import type { SignedEntry, Signer } from '../../src/identity/types.js';
import { entryKey, ownsKey } from '../../src/models/entry-key.js';
import { EntryModel } from '../../src/models/entry-model.js';
import { compareEntries, MAX_CLOCK_SKEW_MS, sortEntries } from '../../src/models/order.js';
import { parseOrganizers, SignedEntryModel, type SignedEntryModelOptions } from '../../src/models/signed-entry-model.js';

/** A made-up kind: each author keeps one note; the view lists notes in the shared order. */
type Note = SignedEntry<{ readonly text: string }>;
const parseNote = (key: string, entry: SignedEntry): Note | null =>
  entry.type === 'note' && typeof entry['text'] === 'string' && key === entryKey('note', entry.author) ? (entry as unknown as Note) : null;

interface NotesView {
  readonly notes: readonly string[];
  readonly pinned: readonly string[];
}

class NotesModel extends SignedEntryModel<Note, NotesView> {
  constructor(doc: Y.Doc, signer: Signer | null, options?: SignedEntryModelOptions) {
    super(doc, 'notes:test', signer, options);
  }
  protected parse(key: string, entry: SignedEntry): Note | null {
    return entry.type === 'pin' ? (entry as unknown as Note) : parseNote(key, entry);
  }
  protected derive(entries: ReadonlyMap<string, Note>): NotesView {
    return {
      notes: sortEntries([...entries.values()].filter((e) => e.type === 'note')).map((e) => e.text),
      pinned: this.organizerEntries(entries, 'pin').map((e) => e.text),
    };
  }
  async note(text: string) {
    return this.write(entryKey('note', this.requireSigner().publicKey), 'note', { text });
  }
  async pin(text: string, id: string) {
    return this.writeAsOrganizer(entryKey('pin', this.requireSigner().publicKey, id), 'pin', { text });
  }
  /** For the test: write under any key. */
  async writeUnder(key: string) {
    return this.write(key, 'note', { text: 'x' });
  }
}

const isCode = (code: string) => (error: unknown) => error instanceof GatherError && error.code === code;

let alice: Signer;
let bob: Signer;
let carol: Signer;
before(async () => {
  [alice, bob, carol] = await Promise.all([createSigner('Ed25519'), createSigner('ECDSA-P256'), createSigner('Ed25519')]);
});

describe('EntryModel with a made-up kind', () => {
  test('derives from its own verified entries only, and ignores other kinds, scopes and keys', async () => {
    const doc = new Y.Doc();
    const map = doc.getMap('notes:a');
    const model = new EntryModel<Note, string[]>(doc, { scope: 'notes:a', parse: parseNote, derive: (notes) => [...notes.values()].map((n) => n.text).sort() });
    assert.deepEqual(model.view, []);
    const good = await signEntry(alice, { type: 'note', scope: 'notes:a', text: 'hello' });
    const otherScope = await signEntry(bob, { type: 'note', scope: 'notes:b', text: 'elsewhere' });
    const otherKind = await signEntry(bob, { type: 'ballot', scope: 'notes:a', choices: [] });
    const forged = { ...(await signEntry(carol, { type: 'note', scope: 'notes:a', text: 'real' })), text: 'forged' };
    doc.transact(() => {
      map.set(entryKey('note', alice.publicKey), good);
      map.set(entryKey('note', bob.publicKey), otherScope);
      map.set(entryKey('ballot', bob.publicKey), otherKind);
      map.set(entryKey('note', carol.publicKey), forged);
      map.set('junk', 42);
    });
    await model.settled();
    assert.deepEqual(model.view, ['hello']);
    assert.deepEqual([...model.entries.keys()], [entryKey('note', alice.publicKey)]);
    model.destroy();
  });

  test('the view is derived lazily: a subclass field set after super() is there for the first view', () => {
    const model = new NotesModel(new Y.Doc(), alice);
    assert.deepEqual(model.view, { notes: [], pinned: [] });
  });
});

describe('entry keys', () => {
  test('every key names its author; nobody owns another author\'s key', () => {
    assert.equal(entryKey('ballot', 'AAA'), 'ballot:AAA');
    assert.equal(entryKey('post', 'AAA', 'p1'), 'post:AAA:p1');
    assert.ok(ownsKey('ballot:AAA', 'AAA'));
    assert.ok(ownsKey('post:AAA:p1', 'AAA'));
    for (const key of ['ballot:AAAB', 'ballot:AA', 'ballot:BAAA', 'AAA', ':AAA', 'ballot:', 'x:y:AAA']) assert.equal(ownsKey(key, 'AAA'), false, key);
  });

  test('an entry stored under someone else\'s key is ignored, whatever its signature', async () => {
    const doc = new Y.Doc();
    const model = new NotesModel(doc, alice);
    const bobs = await signEntry(bob, { type: 'note', scope: 'notes:test', text: 'mine?' });
    doc.getMap('notes:test').set(entryKey('note', alice.publicKey), bobs);
    await model.settled();
    assert.deepEqual(model.view.notes, []);
    await assert.rejects(model.writeUnder(entryKey('note', bob.publicKey)), isCode('invalid-entry'));
    model.destroy();
  });
});

describe('the shared order', () => {
  const header = (ts: number, author: string, sig: string) => ({ v: 1 as const, type: 't', scope: 's', alg: 'Ed25519' as const, ts, author, sig });
  test('signed time, then author key, then signature', () => {
    const entries = [header(2, 'a', 'x'), header(1, 'b', 'x'), header(1, 'a', 'y'), header(1, 'a', 'x')];
    assert.deepEqual(sortEntries(entries), [entries[3], entries[2], entries[1], entries[0]]);
    assert.equal(compareEntries(entries[3]!, entries[3]!), 0);
  });

  test('every peer derives the same order from the same entries, whatever order they arrived in', async () => {
    const docs = [new Y.Doc(), new Y.Doc()];
    const signers = [alice, bob, carol];
    const entries = await Promise.all(signers.map((s, i) => signEntry(s, { type: 'note', scope: 'notes:test', text: `n${i}` }, 1000)));
    const models = docs.map((doc) => new NotesModel(doc, null));
    for (const i of [0, 1, 2]) docs[0]!.getMap('notes:test').set(entryKey('note', signers[i]!.publicKey), entries[i]);
    for (const i of [2, 0, 1]) docs[1]!.getMap('notes:test').set(entryKey('note', signers[i]!.publicKey), entries[i]);
    await Promise.all(models.map((m) => m.settled()));
    assert.equal(models[0]!.view.notes.length, 3);
    assert.deepEqual(models[0]!.view, models[1]!.view);
  });
});

describe('entries stamped in the future wait', () => {
  test('an entry more than the allowed skew ahead counts only once it is due', async () => {
    const doc = new Y.Doc();
    // The reader's clock stands still until the test moves it (a slow machine cannot make the entry due early).
    let clock = Date.now();
    const reader = new NotesModel(doc, null, { now: () => clock });
    const ahead = clock + MAX_CLOCK_SKEW_MS + 150;
    doc.getMap('notes:test').set(entryKey('note', bob.publicKey), await signEntry(bob, { type: 'note', scope: 'notes:test', text: 'early' }, ahead));
    doc.getMap('notes:test').set(entryKey('note', alice.publicKey), await signEntry(alice, { type: 'note', scope: 'notes:test', text: 'now' }));
    await reader.settled();
    assert.deepEqual(reader.view.notes, ['now'], 'the future entry waits');
    // The model's own timer does not keep Node alive (unref): this test's time limit does.
    const due = new Promise<readonly string[]>((resolve, reject) => {
      const limit = setTimeout(() => reject(new Error('the waiting entry never became due')), 5000);
      reader.subscribe((view) => {
        clearTimeout(limit);
        resolve(view.notes);
      });
    });
    clock += 200; // by the time the reader's timer (150 ms) fires
    assert.deepEqual(await due, ['now', 'early'], 'and counts once due, with no other change');
    reader.destroy();
  });

  test('within the allowed skew an entry counts at once', async () => {
    const doc = new Y.Doc();
    const reader = new NotesModel(doc, null);
    doc.getMap('notes:test').set(entryKey('note', bob.publicKey), await signEntry(bob, { type: 'note', scope: 'notes:test', text: 'soon' }, Date.now() + MAX_CLOCK_SKEW_MS - 1000));
    await reader.settled();
    assert.deepEqual(reader.view.notes, ['soon']);
    reader.destroy();
  });
});

describe('writing', () => {
  test('an author\'s timestamps only increase, even when the clock steps back', async () => {
    let clock = 1_000_000;
    const model = new NotesModel(new Y.Doc(), alice, { now: () => clock });
    const first = await model.note('one');
    clock -= 500_000;
    const second = await model.note('two');
    assert.ok(second.ts > first.ts, `${second.ts} > ${first.ts}`);
    assert.equal(first.ts, 1_000_000);
    model.destroy();
  });

  test('a read-only model refuses, a destroyed one too, with codes', async () => {
    await assert.rejects(new NotesModel(new Y.Doc(), null).note('x'), isCode('no-signer'));
    const model = new NotesModel(new Y.Doc(), alice);
    model.destroy();
    await assert.rejects(model.note('x'), isCode('destroyed'));
  });
});

describe('the organizer role', () => {
  test('organizer="…" is parsed once: space- or comma-separated keys, duplicates and blanks dropped', () => {
    assert.deepEqual(parseOrganizers(` ${alice.publicKey}  ${bob.publicKey},${alice.publicKey} `), [alice.publicKey, bob.publicKey]);
    assert.deepEqual(parseOrganizers(undefined), []);
    assert.deepEqual(parseOrganizers(''), []);
  });

  test('only keys the page names act as organizers; their entries count, in the shared order', async () => {
    const doc = new Y.Doc();
    const organizers = [alice.publicKey];
    const asAlice = new NotesModel(doc, alice, { organizers });
    const asBob = new NotesModel(doc, bob, { organizers });
    assert.ok(asAlice.isOrganizer(alice.publicKey));
    assert.equal(asBob.isOrganizer(bob.publicKey), false);
    assert.ok(asAlice.signsAsOrganizer);
    assert.equal(asBob.signsAsOrganizer, false);
    assert.deepEqual(asBob.organizers, organizers);

    await asAlice.pin('first', 'a');
    await asAlice.pin('second', 'b');
    await assert.rejects(asBob.pin('not mine to pin', 'c'), isCode('not-organizer'));
    // Bob writes a pin entry directly, as a hostile peer would: signed, but not an organizer's.
    doc.getMap('notes:test').set(entryKey('pin', bob.publicKey, 'd'), await signEntry(bob, { type: 'pin', scope: 'notes:test', text: 'forged pin' }));
    await asBob.settled();
    assert.deepEqual(asBob.view.pinned, ['first', 'second']);
    // A page that names no organizer: nobody's pins count.
    const noOrganizers = new NotesModel(doc, carol);
    await noOrganizers.settled();
    assert.deepEqual(noOrganizers.view.pinned, []);
    for (const model of [asAlice, asBob, noOrganizers]) model.destroy();
  });
});
