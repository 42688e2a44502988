// The mutual-aid board's model: posts, sealed responses and contacts, the poster's status
// lifecycle, organizers hiding posts, limits, and convergence over a simulated network.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import * as prng from 'lib0/prng';
import { GatherError } from '../../src/errors.js';
import { createEncryption, type EncryptionIdentity } from '../../src/identity/encryption.js';
import { createSigner } from '../../src/identity/keys.js';
import type { Signer } from '../../src/identity/types.js';
import { AidBoardModel, aidScope, parsePostId, type AidBoardModelOptions } from '../../src/models/aid-board.js';
import { AID_LIMITS, type AidBoardConfig, type AidPostInput } from '../../src/models/aid-board.types.js';
import { MemoryNetwork } from '../../src/room/memory-room.js';
import type { RoomOptions } from '../../src/room/types.js';

const ROOM_OPTIONS: RoomOptions = { signaling: [], iceServers: [], password: null, persist: false };
const config: AidBoardConfig = { categories: ['food', 'rides', 'childcare', 'other'], areas: ['North', 'South', 'Downtown'] };
const isCode = (code: string) => (error: unknown) => error instanceof GatherError && error.code === code;
const request = (over: Partial<AidPostInput> = {}): AidPostInput => ({
  kind: 'request',
  title: 'Groceries for my mother',
  description: 'She cannot leave the house this week.',
  category: 'food',
  area: 'North',
  urgency: 'this-week',
  neededBy: null,
  contact: 'call 555-0100',
  ...over,
});

interface Person {
  signer: Signer;
  encryption: EncryptionIdentity;
}
let people: Person[] = [];
before(async () => {
  people = await Promise.all(
    ['Ed25519', 'ECDSA-P256', 'Ed25519', 'Ed25519'].map(async (alg) => ({ signer: await createSigner(alg as 'Ed25519'), encryption: await createEncryption() })),
  );
});

const board = (doc: Y.Doc, person: Person | null, options: AidBoardModelOptions = {}, cfg = config) =>
  new AidBoardModel(doc, 'aid', cfg, person?.signer ?? null, { room: 'eastside', encryption: person ? Promise.resolve(person.encryption) : null, ...options });

/** Every stored byte of the document, as text: where a readable contact would show. */
const stateText = (doc: Y.Doc) => Buffer.from(Y.encodeStateAsUpdate(doc)).toString('latin1');

describe('aid board', () => {
  test('a post shows to everyone with its fields, its author and counts; bad fields are refused', async () => {
    const doc = new Y.Doc();
    const [a, b] = [board(doc, people[0]!), board(doc, people[1]!)];
    const id = await a.post(request({ neededBy: '2999-01-31' }));
    assert.deepEqual(parsePostId(id), { author: people[0]!.signer.publicKey, local: id.split(':')[1] });
    await b.settled();
    const [post] = b.view.posts;
    assert.deepEqual({ ...post, posted: 0 }, {
      id,
      kind: 'request',
      title: 'Groceries for my mother',
      description: 'She cannot leave the house this week.',
      category: 'food',
      area: 'North',
      urgency: 'this-week',
      neededBy: '2999-01-31',
      expired: false,
      status: 'open',
      author: people[0]!.signer.publicKey,
      mine: false,
      responses: [],
      posted: 0,
      hidden: null,
    });
    assert.equal(a.view.posts[0]!.mine, true);
    assert.deepEqual(b.view.counts, {
      total: 1,
      kind: { offer: 0, request: 1 },
      status: { open: 1, matched: 0, done: 0, withdrawn: 0 },
      category: { food: 1, rides: 0, childcare: 0, other: 0 },
      area: { North: 1, South: 0, Downtown: 0 },
      expired: 0,
      hidden: 0,
      mine: 0,
    });
    await assert.rejects(a.post(request({ title: '  ' })), isCode('invalid-field'));
    await assert.rejects(a.post(request({ title: 'x'.repeat(AID_LIMITS.title + 1) })), isCode('invalid-field'));
    await assert.rejects(a.post(request({ contact: '' })), isCode('invalid-field'));
    await assert.rejects(a.post(request({ category: 'weapons' })), isCode('unknown-option'));
    await assert.rejects(a.post(request({ neededBy: '2025-02-30' })), isCode('invalid-field'));
    await assert.rejects(a.post(request({ kind: 'sale' as 'offer' })), isCode('invalid-field'));
    await assert.rejects(board(doc, null).post(request()), isCode('no-signer'));
    assert.ok(!stateText(doc).includes('555-0100'), 'the contact is not readable in the document');
    a.destroy();
    b.destroy();
  });

  test('responses are sealed for the poster; accepting reveals each contact to the other alone', async () => {
    const doc = new Y.Doc();
    const [a, b, c] = [board(doc, people[0]!), board(doc, people[1]!), board(doc, people[2]!)];
    const id = await a.post(request({ contact: 'Alice: 555-0100' }));
    await Promise.all([b.settled(), c.settled()]);
    await b.respond(id, { message: 'I can shop on Tuesday', contact: 'Bob: bob@example.org' });
    await c.respond(id, { message: 'I have a car', contact: 'Carol: 555-0199' });
    await Promise.all([a.settled(), b.settled(), c.settled()]);
    const B = people[1]!.signer.publicKey;
    const C = people[2]!.signer.publicKey;

    // The poster reads both messages; the responders read none.
    assert.deepEqual(a.view.posts[0]!.responses, [
      { author: B, message: 'I can shop on Tuesday', accepted: false },
      { author: C, message: 'I have a car', accepted: false },
    ]);
    assert.deepEqual(c.view.posts[0]!.responses.map((r) => r.message), [null, null]);
    assert.deepEqual(await a.contact(id), [
      { author: B, contact: 'Bob: bob@example.org' },
      { author: C, contact: 'Carol: 555-0199' },
    ]);
    assert.equal(await b.contact(id), null, 'not accepted yet');
    assert.equal(await c.contact(id), null);
    await assert.rejects(b.accept(id, B), isCode('not-author'));

    await a.accept(id, B);
    await Promise.all([b.settled(), c.settled()]);
    assert.equal(b.view.posts[0]!.status, 'matched');
    assert.deepEqual(b.view.posts[0]!.responses.map((r) => r.accepted), [true, false]);
    assert.deepEqual(await b.contact(id), [{ author: people[0]!.signer.publicKey, contact: 'Alice: 555-0100' }]);
    assert.equal(await c.contact(id), null, 'not chosen');
    assert.equal((await a.contact(id))![0]!.author, B, 'the accepted responder first');
    await assert.rejects(c.respond(id, { contact: 'late' }), isCode('not-open'));

    // Un-match and accept Carol instead: Bob no longer reads Alice's contact; Carol does.
    await a.unmatch(id);
    await a.accept(id, C);
    await Promise.all([b.settled(), c.settled()]);
    assert.equal(await b.contact(id), null);
    assert.deepEqual(await c.contact(id), [{ author: people[0]!.signer.publicKey, contact: 'Alice: 555-0100' }]);
    await a.setStatus(id, 'done');
    await c.settled();
    assert.equal(c.view.posts[0]!.status, 'done');
    assert.deepEqual(await c.contact(id), [{ author: people[0]!.signer.publicKey, contact: 'Alice: 555-0100' }], 'done keeps the match');

    const text = stateText(doc);
    for (const secret of ['555-0100', 'bob@example.org', '555-0199', 'Tuesday', 'I have a car']) assert.ok(!text.includes(secret), `${secret} readable in the document`);
    [a, b, c].forEach((m) => m.destroy());
  });

  test('a response copied into another post or under another author does not open', async () => {
    const doc = new Y.Doc();
    const [a, b, c] = [board(doc, people[0]!), board(doc, people[1]!), board(doc, people[2]!)];
    const first = await a.post(request());
    const second = await a.post(request({ title: 'Second' }));
    await b.settled();
    await b.respond(first, { message: 'hello', contact: 'b-contact' });
    // C takes B's sealed text and sends it as C's own response to the second post.
    const map = doc.getMap(aidScope('aid'));
    const stored = [...map.entries()].find(([key]) => key.startsWith(`response:${people[1]!.signer.publicKey}:`))!;
    const sealed = (b as unknown as { store: { entries: Map<string, { sealed: string; key: string }> } }).store.entries.get(stored[0])!;
    await c.settled();
    await (c as unknown as { write: (k: string, t: string, b: object) => Promise<unknown> }).write(`response:${people[2]!.signer.publicKey}:${second}`, 'response', {
      key: sealed.key,
      sealed: sealed.sealed,
    });
    await a.settled();
    const posts = new Map(a.view.posts.map((p) => [p.id, p]));
    assert.equal(posts.get(first)!.responses[0]!.message, 'hello');
    assert.equal(posts.get(second)!.responses[0]!.message, null, 'the copy does not open');
    assert.deepEqual((await a.contact(second)) ?? [], []);
    [a, b, c].forEach((m) => m.destroy());
  });

  test('status and hide entries count only from the poster and the page\'s organizers; forged entries are ignored', async () => {
    const doc = new Y.Doc();
    const organizers = [people[3]!.signer.publicKey];
    const [a, c, org] = [board(doc, people[0]!, { organizers }), board(doc, people[2]!, { organizers }), board(doc, people[3]!, { organizers })];
    const id = await a.post(request());
    await c.settled();
    const local = id.split(':')[1]!;
    // C writes a status for A's post under C's own key: it names C's post, which does not exist.
    const write = (m: AidBoardModel, key: string, type: string, body: object) => (m as unknown as { write: (k: string, t: string, b: object) => Promise<unknown> }).write(key, type, body);
    await write(c, `status:${people[2]!.signer.publicKey}:${local}`, 'status', { status: 'withdrawn', responder: null, contact: null });
    // C's valid entry bytes moved under A's key: the signature names C, so it fails.
    const map = doc.getMap(aidScope('aid'));
    map.set(`status:${people[0]!.signer.publicKey}:${local}`, map.get(`status:${people[2]!.signer.publicKey}:${local}`));
    // C, not an organizer, hides it: ignored.
    const notOrganizer = board(doc, people[2]!, { organizers: [people[2]!.signer.publicKey] });
    await notOrganizer.hide(id, 'spam');
    map.set('junk', new Uint8Array([1, 2, 3]));
    map.set(`post:${people[2]!.signer.publicKey}:x`, { v: 2, type: 'post' });
    await a.settled();
    assert.equal(a.view.posts.length, 1);
    assert.equal(a.view.posts[0]!.status, 'open');
    assert.equal(a.view.posts[0]!.hidden, null);

    await assert.rejects(c.hide(id, 'no'), isCode('not-organizer'));
    await org.hide(id, 'Shared a street address');
    await Promise.all([a.settled(), c.settled()]);
    for (const m of [a, c]) {
      assert.equal(m.view.posts[0]!.hidden, 'Shared a street address');
      assert.equal(m.view.posts[0]!.title, '', 'a hidden post shows no text');
      assert.equal(m.view.counts.hidden, 1);
      assert.equal(m.view.counts.total, 0);
    }
    await assert.rejects(c.respond(id, { contact: 'x' }), isCode('not-open'));
    await org.unhide(id);
    await a.settled();
    assert.equal(a.view.posts[0]!.title, 'Groceries for my mother');
    [a, c, org, notOrganizer].forEach((m) => m.destroy());
  });

  test('limits: open posts and responses per author, on every peer, whatever a hostile peer writes', async () => {
    const doc = new Y.Doc();
    const [a, b] = [board(doc, people[0]!), board(doc, people[1]!)];
    const ids: string[] = [];
    for (let i = 0; i < AID_LIMITS.activePosts; i++) ids.push(await a.post(request({ title: `Post ${i}` })));
    await assert.rejects(a.post(request()), isCode('limit-reached'));
    // Written past the command (as a hostile client would): not shown anywhere.
    const extra = await (a as unknown as { write: (k: string, t: string, b: object) => Promise<unknown> }).write(
      `post:${people[0]!.signer.publicKey}:extra`,
      'post',
      { ...(a as unknown as { store: { entries: Map<string, object> } }).store.entries.get(`post:${ids[0]}`)!, title: 'Extra' },
    );
    assert.ok(extra);
    await b.settled();
    assert.equal(b.view.posts.length, AID_LIMITS.activePosts);
    assert.ok(!b.view.posts.some((p) => p.title === 'Extra'));
    // Withdrawing one frees a place: the extra one shows (in the shared order, on every peer).
    await a.setStatus(ids[0]!, 'withdrawn');
    await b.settled();
    assert.equal(b.view.posts.length, AID_LIMITS.activePosts + 1);
    assert.ok(b.view.posts.some((p) => p.title === 'Extra'));
    a.destroy();
    b.destroy();
  });

  test('needed-by days expire on this device\'s clock; the urgent order puts open, urgent, soon first', async () => {
    const doc = new Y.Doc();
    let clock = new Date(2030, 0, 10, 12).getTime();
    const now = () => clock;
    const a = board(doc, people[0]!, { now });
    const b = board(doc, people[1]!, { now }, { ...config, order: 'urgent' });
    const late = await a.post(request({ title: 'whenever', urgency: 'whenever' }));
    clock += 1000;
    const today = await a.post(request({ title: 'today', urgency: 'today', neededBy: '2030-01-10' }));
    clock += 1000;
    const week = await a.post(request({ title: 'week soon', urgency: 'this-week', neededBy: '2030-01-12' }));
    clock += 1000;
    const weekLater = await a.post(request({ title: 'week later', urgency: 'this-week', neededBy: '2030-01-14' }));
    await b.settled();
    assert.deepEqual(a.view.posts.map((p) => p.id), [weekLater, week, today, late], 'newest first');
    assert.deepEqual(b.view.posts.map((p) => p.id), [today, week, weekLater, late], 'most urgent first');
    clock = new Date(2030, 0, 11, 0, 0, 1).getTime();
    b.setConfig({ ...config, order: 'urgent' });
    (b as unknown as { refresh: () => void }).refresh();
    assert.equal(b.view.posts.find((p) => p.id === today)!.expired, true);
    assert.equal(b.view.counts.expired, 1);
    assert.equal(b.view.posts.at(-1)!.id, today, 'an expired post sinks');
    await assert.rejects(b.respond(today, { contact: 'x' }), isCode('not-open'));
    a.destroy();
    b.destroy();
  });

  test('peers with random delivery and disconnects converge: posts, responses, matches, un-matches, status changes', async () => {
    const done = { respond: 0, accept: 0, unmatch: 0, status: 0 };
    for (let seed = 1; seed <= 4; seed++) {
      const network = new MemoryNetwork({ delivery: 'manual', seed });
      const gen = prng.create(seed);
      const sources = [network.source(), network.source(), network.source(), network.source()];
      const models = people.map((person, i) => board(sources[i]!.acquire('eastside', ROOM_OPTIONS).doc, person));
      let split = false;
      for (let step = 0; step < 100; step++) {
        const r = prng.real53(gen);
        const model = prng.oneOf(gen, models);
        await model.settled();
        const visible = model.view.posts;
        try {
          if (r < 0.12) await model.post(request({ kind: prng.bool(gen) ? 'offer' : 'request', title: `p${step}` }));
          else if (r < 0.42) {
            const me = model.signer!.publicKey;
            const open = visible.filter((p) => !p.mine && p.status === 'open' && !p.responses.some((r) => r.author === me));
            if (open.length > 0) await model.respond(prng.oneOf(gen, open).id, { message: `m${step}`, contact: `c${step}` }).then(() => done.respond++);
          } else if (r < 0.56) {
            const mine = visible.filter((p) => p.mine && p.responses.length > 0 && (p.status === 'open' || p.status === 'matched'));
            if (mine.length > 0) {
              const post = prng.oneOf(gen, mine);
              await model.accept(post.id, prng.oneOf(gen, [...post.responses]).author);
              done.accept++;
            }
          } else if (r < 0.62) {
            const matched = visible.filter((p) => p.mine && p.status === 'matched');
            if (matched.length > 0) await model.unmatch(prng.oneOf(gen, matched).id).then(() => done.unmatch++);
          } else if (r < 0.66) {
            const mine = visible.filter((p) => p.mine);
            if (mine.length > 0) await model.setStatus(prng.oneOf(gen, mine).id, prng.bool(gen) ? 'done' : 'withdrawn').then(() => done.status++);
          } else if (r < 0.9) for (let n = prng.int32(gen, 1, 6); n > 0; n--) network.deliverRandom();
          else if (r < 0.95) {
            network.disconnect(prng.oneOf(gen, sources));
            split = true;
          } else network.reconnect(prng.oneOf(gen, sources));
        } catch (error) {
          // A peer acting on what it saw may race another's change (a post matched meanwhile).
          if (!(error instanceof GatherError) || !['not-open', 'unknown-option'].includes(error.code)) throw error;
        }
      }
      network.reconnectAll();
      network.flushAll();
      await Promise.all(models.map((m) => m.settled()));
      const shared = (m: AidBoardModel) => m.view.posts.map((p) => ({ ...p, mine: null, responses: p.responses.map((r) => ({ ...r, message: null })) }));
      for (const model of models) assert.deepEqual(shared(model), shared(models[0]!), `seed ${seed}`);
      assert.ok(models[0]!.view.posts.length > 0, `seed ${seed}: something was posted`);
      assert.ok(split, `seed ${seed}: the network was split at some point`);
      // Every poster reads every message to their posts.
      for (const model of models) for (const post of model.view.posts.filter((p) => p.mine)) for (const r of post.responses) assert.notEqual(r.message, null);
      models.forEach((m) => m.destroy());
      network.destroy();
    }
    for (const [what, n] of Object.entries(done)) assert.ok(n > 0, `no ${what} in any run`);
  });
});
