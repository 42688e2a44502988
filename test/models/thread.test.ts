// The deliberation thread's model: comments and replies, edits, retractions, reactions, proposals
// as consent polls with recorded decisions, moderation, limits, unread, presence; peers on a seeded
// simulated network converge to the same tree.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import * as prng from 'lib0/prng';
import { GatherError } from '../../src/errors.js';
import { plainEqual } from '../../src/plain.js';
import { roomTag, signEntry, storeEntry } from '../../src/identity/entries.js';
import { createSigner } from '../../src/identity/keys.js';
import { VerificationCache } from '../../src/identity/verification.js';
import type { Signer } from '../../src/identity/types.js';
import { entryKey } from '../../src/models/entry-key.js';
import { PollModel } from '../../src/models/poll.js';
import { Presence, PRESENCE_TYPE } from '../../src/models/presence.js';
import { proposalPollName, threadScope, ThreadModel, withinRate } from '../../src/models/thread.js';
import { MAX_COMMENT_LENGTH, MAX_POSTS_PER_WINDOW, REACTIONS, RATE_WINDOW_MS, type ThreadView } from '../../src/models/thread.types.js';
import { STANCES } from '../../src/models/tally/types.js';
import { MemoryNetwork } from '../../src/room/memory-room.js';
import type { RoomOptions } from '../../src/room/types.js';

const ROOM = 'eastside';
const ROOM_OPTIONS: RoomOptions = { signaling: [], iceServers: [], password: null, persist: false };
const config = { topic: 'Should we withhold December rent?' };
const isCode = (code: string) => (error: unknown) => error instanceof GatherError && error.code === code;

let signers: Signer[] = [];
before(async () => {
  signers = await Promise.all([createSigner('Ed25519'), createSigner('ECDSA-P256'), createSigner('Ed25519'), createSigner('Ed25519')]);
});

/** A clock that moves a little with every reading, so entries are strictly ordered. */
const ticking = (start = Date.now()) => {
  let t = start;
  return () => (t += 7);
};

const thread = (doc: Y.Doc, signer: Signer | null, options: { organizers?: string[]; now?: () => number } = {}) =>
  new ThreadModel(doc, 'rent-strike', config, signer, { room: ROOM, ...options });

/** Puts a signed entry straight into the thread's map, as a hostile peer could. */
async function plant(doc: Y.Doc, signer: Signer, key: string, type: string, body: Record<string, unknown>, ts = Date.now(), scope = threadScope('rent-strike')) {
  const entry = await signEntry(signer, { type, scope, room: roomTag(ROOM), ...body }, ts);
  doc.getMap(scope).set(key, storeEntry(entry, key.slice(0, key.indexOf(':'))));
  return entry;
}

describe('thread: comments', () => {
  test('comments, replies nested to depth 3 and flattened below, edits, retractions, reactions once per person', async () => {
    const doc = new Y.Doc();
    const now = ticking();
    const [a, b] = [thread(doc, signers[0]!, { now }), thread(doc, signers[1]!, { now })];
    const first = await a.comment('Line one\nline two https://example.org', { name: 'Ana' });
    const second = await b.comment('A second top-level comment', { name: 'Ben' });
    let parent = first;
    const chain: string[] = [];
    for (let i = 0; i < 5; i++) {
      await Promise.all([a.settled(), b.settled()]);
      parent = await (i % 2 ? a : b).comment(`reply ${i}`, { replyTo: parent });
      chain.push(parent);
    }
    await Promise.all([a.settled(), b.settled()]);
    await a.edit(first, 'Line one, edited');
    await b.retract(chain[0]!);
    await a.react(second, 'agree');
    await b.react(second, 'agree');
    await b.react(second, 'thanks');
    await b.react(second, 'thanks'); // toggled off again
    await a.react(second, 'question');
    await a.settled();
    await b.settled();
    const view = b.view;
    assert.deepEqual(
      view.comments.map((c) => [c.text, c.depth]),
      [['Line one, edited', 0], ['', 1], ['reply 1', 2], ['reply 2', 3], ['reply 3', 3], ['reply 4', 3], ['A second top-level comment', 0]],
    );
    const [top, retracted] = view.comments;
    assert.equal(top!.edited, true);
    assert.equal(top!.name, 'Ana');
    assert.equal(top!.mine, false);
    assert.equal(retracted!.retracted, true);
    assert.equal(retracted!.replyTo, first);
    assert.equal(view.comments[4]!.replyTo, chain[2], 'a flattened reply still says what it answers');
    const reacted = view.comments.find((c) => c.id === second)!;
    assert.deepEqual(reacted.reactions, { agree: 2, disagree: 0, question: 1, thanks: 0 });
    assert.deepEqual(a.view.comments.find((c) => c.id === second)!.reacted, ['agree', 'question']);
    assert.deepEqual(reacted.reacted, ['agree']);
    assert.equal(view.topic, config.topic);
    assert.equal(view.locked, false);
    a.destroy();
    b.destroy();
  });

  test('commands refuse what the thread does not allow', async () => {
    const doc = new Y.Doc();
    const [a, b] = [thread(doc, signers[0]!), thread(doc, signers[1]!)];
    const id = await a.comment('mine');
    await b.settled();
    await assert.rejects(b.edit(id, 'not yours'), isCode('unknown-comment'));
    await assert.rejects(b.retract(id), isCode('unknown-comment'));
    await assert.rejects(b.comment('   \n '), isCode('invalid-text'));
    await assert.rejects(b.comment('x'.repeat(MAX_COMMENT_LENGTH + 1)), isCode('invalid-text'));
    await assert.rejects(b.comment('reply', { replyTo: `${signers[1]!.publicKey}:nope` }), isCode('unknown-comment'));
    await assert.rejects(b.react(id, 'love' as never), isCode('unknown-option'));
    await assert.rejects(b.hide(id, 'spam'), isCode('not-organizer'));
    await assert.rejects(b.lock(), isCode('not-organizer'));
    await assert.rejects(thread(doc, null).comment('read-only'), isCode('no-signer'));
    a.destroy();
    b.destroy();
  });

  test('a forged comment, an edit by someone else, an entry moved to another id, and hides or locks not signed by an organizer are ignored', async () => {
    const doc = new Y.Doc();
    const [alice, bob, organizer] = signers as [Signer, Signer, Signer];
    const model = thread(doc, alice, { organizers: [organizer.publicKey] });
    const id = await model.comment('the real words');
    const local = id.slice(alice.publicKey.length + 1);
    // Bob signs a comment and claims it is Alice's (her key, his signature).
    const forged = await signEntry(bob, { type: 'comment', scope: threadScope('rent-strike'), room: roomTag(ROOM), id: 'forged', text: 'forged words' });
    doc.getMap(threadScope('rent-strike')).set(entryKey('comment', alice.publicKey, 'forged'), { ...forged, author: alice.publicKey });
    // Bob's edit of Alice's comment, under her key and under his own.
    await plant(doc, bob, entryKey('edit', alice.publicKey, local), 'edit', { id: local, text: 'put in her mouth' });
    await plant(doc, bob, entryKey('edit', bob.publicKey, local), 'edit', { id: local, text: 'put in her mouth' });
    // Alice's own comment body copied under another id of hers (the key is not signed; the id inside is).
    const copy = doc.getMap(threadScope('rent-strike')).get(entryKey('comment', alice.publicKey, local));
    doc.getMap(threadScope('rent-strike')).set(entryKey('comment', alice.publicKey, 'copy'), copy);
    // Hide and lock by someone the page does not name.
    await plant(doc, bob, entryKey('hide', bob.publicKey, id), 'hide', { target: id, hidden: true, reason: 'I disagree' });
    await plant(doc, bob, entryKey('lock', bob.publicKey), 'lock', { locked: true });
    // Junk of every shape.
    doc.getMap(threadScope('rent-strike')).set('junk', 42);
    doc.getMap(threadScope('rent-strike')).set(entryKey('comment', bob.publicKey, 'x'), new Uint8Array([2, 1, 2, 3]));
    await model.settled();
    assert.deepEqual(model.view.comments.map((c) => [c.text, c.edited, c.hidden]), [['the real words', false, false]]);
    assert.equal(model.view.locked, false);
    model.destroy();
  });

  test('an organizer hides a comment with a reason and locks the thread; talk signed after the lock does not count, retracting still does', async () => {
    const doc = new Y.Doc();
    const now = ticking();
    const [organizer, member] = [thread(doc, signers[0]!, { organizers: [signers[0]!.publicKey], now }), thread(doc, signers[1]!, { organizers: [signers[0]!.publicKey], now })];
    const rude = await member.comment('something rude');
    const fine = await member.comment('something fine');
    await organizer.hide(rude, 'Personal attack');
    await member.settled();
    const hidden = member.view.comments.find((c) => c.id === rude)!;
    assert.deepEqual([hidden.hidden, hidden.hiddenReason, hidden.text], [true, 'Personal attack', '']);
    await organizer.lock();
    await member.settled();
    assert.equal(member.view.locked, true);
    await assert.rejects(member.comment('after the lock'), isCode('locked'));
    await assert.rejects(member.react(fine, 'agree'), isCode('locked'));
    await assert.rejects(member.edit(fine, 'changed'), isCode('locked'));
    // A peer that did not hear of the lock yet: its comment is signed after it, and does not count.
    await plant(doc, signers[2]!, entryKey('comment', signers[2]!.publicKey, 'late'), 'comment', { id: 'late', text: 'late' }, now());
    await member.retract(fine);
    await member.settled();
    assert.deepEqual(member.view.comments.map((c) => [c.id, c.retracted]), [[rude, false], [fine, true]]);
    await organizer.lock(false);
    await member.settled();
    assert.equal(member.view.locked, false);
    assert.equal(member.view.comments.length, 3, 'unlocked: the late comment counts again');
    organizer.destroy();
    member.destroy();
  });

  test('a bounded rate per author: posts beyond it are not shown, and comment() says so', async () => {
    const start = Date.now();
    const posts = Array.from({ length: MAX_POSTS_PER_WINDOW + 5 }, (_, i) => ({ author: 'a', ts: start + i * 1000, sig: String(i).padStart(3, '0') }));
    const later = { author: 'a', ts: start + RATE_WINDOW_MS + 1000, sig: 'zzz' };
    const other = { author: 'b', ts: start, sig: 'b' };
    const kept = withinRate([...posts, later, other] as never[]) as unknown as { sig: string }[];
    assert.equal(kept.length, MAX_POSTS_PER_WINDOW + 2, 'the window admits a post once the first ones are old enough, and other authors are not affected');
    assert.ok(kept.some((p) => p.sig === 'zzz'));

    const doc = new Y.Doc();
    const model = thread(doc, signers[0]!, { now: ticking(start) });
    for (let i = 0; i < MAX_POSTS_PER_WINDOW; i++) await model.comment(`comment ${i}`);
    await assert.rejects(model.comment('one too many'), isCode('rate-limited'));
    assert.equal(model.view.comments.length, MAX_POSTS_PER_WINDOW);
    model.destroy();
  });

  test('unread: comments by others since the last visit, counted and marked', async () => {
    const doc = new Y.Doc();
    const now = ticking();
    const [a, b] = [thread(doc, signers[0]!, { now }), thread(doc, signers[1]!, { now })];
    await b.comment('seen before');
    const seenUntil = now();
    const fresh = await b.comment('new since');
    await a.comment('my own, not unread');
    await a.settled();
    assert.equal(a.view.unread, 0, 'a first visit marks nothing');
    a.setConfig({ ...config, seenUntil });
    assert.equal(a.view.unread, 1);
    assert.deepEqual(a.view.comments.filter((c) => c.unread).map((c) => c.id), [fresh]);
    a.destroy();
    b.destroy();
  });
});

describe('thread: proposals', () => {
  test('proposal → stances with reasons (the poll\'s consent ballots) → the proposer records the outcome, pinned with its tally', async () => {
    const doc = new Y.Doc();
    const now = ticking();
    const organizers = [signers[3]!.publicKey];
    const [proposer, x, y, organizer] = signers.map((s) => thread(doc, s, { now, organizers })) as [ThreadModel, ThreadModel, ThreadModel, ThreadModel];
    const pid = await proposer.propose('Withhold December rent from January 1', { name: 'Ana' });
    await x.settled();
    await proposer.stance(pid, { stance: 'agree' });
    await x.stance(pid, { stance: 'block', reason: 'Not before we have a lawyer' });
    await x.stance(pid, { stance: 'disagree', reason: 'Too soon' }); // a change of mind replaces the stance
    await y.settled();
    await assert.rejects(y.decide(pid, 'Adopted'), isCode('not-organizer'));
    await assert.rejects(y.stance(pid, { stance: 'maybe' as never }), isCode('invalid-ballot'));
    let proposal = y.view.proposals[0]!;
    assert.deepEqual(proposal.stances, { agree: 1, abstain: 0, disagree: 1, block: 0 });
    assert.deepEqual(proposal.reasons, [{ author: signers[1]!.publicKey, reason: 'Too soon', stance: 'disagree' }]);
    assert.deepEqual([proposal.open, proposal.text, proposal.name, proposal.outcome], [true, 'Withhold December rent from January 1', 'Ana', null]);
    assert.equal(x.view.proposals[0]!.mine, 'disagree');

    await proposer.decide(pid, 'Adopted, with one disagreement noted');
    await y.settled();
    await assert.rejects(y.stance(pid, { stance: 'agree' }), isCode('closed'));
    await assert.rejects(organizer.decide(pid, 'Again'), isCode('closed'));
    // A ballot written straight to the poll after the decision (a peer that ignores the thread's rule): not counted.
    const poll = new PollModel(doc, proposalPollName('rent-strike', pid), { kind: 'consent', question: '', options: [], results: 'always' }, signers[2]!, { room: ROOM, now });
    await poll.vote({ stance: 'agree' });
    await y.settled();
    proposal = y.view.proposals[0]!;
    assert.equal(proposal.open, false);
    assert.equal(proposal.outcome, 'Adopted, with one disagreement noted');
    assert.deepEqual(proposal.stances, { agree: 1, abstain: 0, disagree: 1, block: 0 });
    assert.deepEqual(y.view.decision, { proposalId: pid, outcome: 'Adopted, with one disagreement noted', decidedAt: proposal.decidedAt, stances: proposal.stances });

    // An organizer records the outcome of someone else's proposal: the latest decision is pinned.
    const second = await x.propose('Meet again on the 15th');
    await organizer.settled();
    await organizer.stance(second, { stance: 'agree' });
    await organizer.decide(second, 'Agreed');
    await proposer.settled();
    assert.deepEqual(proposer.view.decision, { proposalId: second, outcome: 'Agreed', decidedAt: proposer.view.proposals[1]!.decidedAt, stances: { agree: 1, abstain: 0, disagree: 0, block: 0 } });
    const exported = proposer.export();
    assert.equal(exported.ballots[pid]!.length, 3, 'the export carries every signed ballot');
    assert.ok(exported.entries.some((e) => e.type === 'decision'));
    for (const m of [proposer, x, y, organizer, poll]) m.destroy();
  });

  test('a decision signed by someone who is neither the proposer nor an organizer is ignored', async () => {
    const doc = new Y.Doc();
    const model = thread(doc, signers[0]!);
    const pid = await model.propose('Something');
    await plant(doc, signers[1]!, entryKey('decision', signers[1]!.publicKey, pid), 'decision', { proposal: pid, outcome: 'Hijacked', count: 0 });
    await model.settled();
    assert.equal(model.view.proposals[0]!.open, true);
    assert.equal(model.view.decision, null);
    model.destroy();
  });
});

describe('thread: peers', () => {
  const strip = (view: ThreadView) => ({
    ...view,
    comments: view.comments.map(({ mine: _m, reacted: _r, unread: _u, ...c }) => c),
    proposals: view.proposals.map(({ mine: _m, ...p }) => p),
  });

  test('replies, edits, reactions, retractions and stances made on disconnected peers converge to the same tree everywhere', async () => {
    for (let seed = 1; seed <= 4; seed++) {
      const network = new MemoryNetwork({ delivery: 'manual', seed });
      const gen = prng.create(seed);
      const sources = [network.source(), network.source(), network.source()];
      const organizers = [signers[0]!.publicKey];
      const models = signers.map((signer, i) => new ThreadModel(sources[i % 3]!.acquire(ROOM, ROOM_OPTIONS).doc, 'rent-strike', config, signer, { organizers, room: ROOM, now: ticking() }));
      let splits = 0;
      for (let step = 0; step < 50; step++) {
        const r = prng.real53(gen);
        const model = prng.oneOf(gen, models);
        const others = model.view.comments.filter((c) => !c.retracted);
        const mine = others.filter((c) => c.mine && !c.retracted);
        try {
          if (r < 0.25) await model.comment(`c${step}`, others.length && prng.bool(gen) ? { replyTo: prng.oneOf(gen, others).id } : {});
          else if (r < 0.32 && mine.length) await model.edit(prng.oneOf(gen, mine).id, `e${step}`);
          else if (r < 0.36 && mine.length) await model.retract(prng.oneOf(gen, mine).id);
          else if (r < 0.46 && others.length) await model.react(prng.oneOf(gen, others).id, prng.oneOf(gen, [...REACTIONS]));
          else if (r < 0.5) await model.propose(`p${step}`);
          else if (r < 0.56 && model.view.proposals.length) await model.stance(prng.oneOf(gen, [...model.view.proposals]).id, { stance: prng.oneOf(gen, [...STANCES]) });
          else if (r < 0.58 && models[0]!.view.comments.length) await models[0]!.hide(prng.oneOf(gen, [...models[0]!.view.comments]).id, 'moderated');
          else if (r < 0.85) for (let n = prng.int32(gen, 1, 6); n > 0; n--) network.deliverRandom();
          else if (r < 0.93) {
            network.disconnect(prng.oneOf(gen, sources));
            splits++;
          } else network.reconnect(prng.oneOf(gen, sources));
        } catch (error) {
          // Acting on what a peer has not seen yet may be refused; nothing else may fail.
          if (!(error instanceof GatherError) || !['closed', 'unknown-comment', 'locked'].includes(error.code)) throw error;
        }
      }
      network.reconnectAll();
      network.flushAll();
      await Promise.all(models.map((m) => m.settled()));
      // The polls of proposals first seen in the last sync settle after the thread: settle once more.
      await Promise.all(models.map((m) => m.settled()));
      const first = strip(models[0]!.view);
      assert.ok(first.comments.length > 5, `seed ${seed}: a real conversation (${first.comments.length} comments)`);
      assert.ok(splits > 0, `seed ${seed}: the network really split`);
      for (const model of models) assert.deepEqual(strip(model.view), first, `seed ${seed}`);
      models.forEach((m) => m.destroy());
      network.destroy();
    }
  });

  test('one new comment leaves every other comment\'s view object as it was (a keyed render redraws one)', async () => {
    const doc = new Y.Doc();
    const model = thread(doc, signers[0]!, { now: ticking() });
    for (let i = 0; i < 10; i++) await model.comment(`comment ${i}`);
    const before = model.view.comments;
    await model.comment('one more');
    const afterwards = model.view.comments;
    assert.equal(afterwards.length, 11);
    assert.ok(before.every((c, i) => afterwards[i] === c), 'the ten earlier comments are the same objects');
    model.destroy();
  });
});

describe('thread: views compared', () => {
  test('sameView answers as plainEqual does (a copy, a changed comment, a longer list, a changed proposal), and the same view is not published again', async () => {
    const doc = new Y.Doc();
    const now = ticking();
    const [a, b] = [thread(doc, signers[0]!, { now }), thread(doc, signers[1]!, { now })];
    const first = await a.comment('first', { name: 'Ana' });
    await b.settled();
    await b.comment('a reply', { replyTo: first, name: 'Ben' });
    await b.react(first, 'agree');
    const proposal = await a.propose('We answer together');
    await b.settled();
    await b.stance(proposal, { stance: 'agree', reason: 'yes' });
    await a.settled();
    const view = a.view;
    const same = (x: ThreadView, y: ThreadView) => (a as unknown as { sameView(x: ThreadView, y: ThreadView): boolean }).sameView(x, y);
    const copy = JSON.parse(JSON.stringify(view)) as ThreadView;
    const changed = { ...copy, comments: copy.comments.map((c, i) => (i === 0 ? { ...c, reactions: { ...c.reactions, agree: 2 } } : c)) };
    const longer = { ...copy, comments: [...copy.comments, copy.comments[0]!] };
    const stances = { ...copy, proposals: copy.proposals.map((p) => ({ ...p, stances: { ...p.stances, block: 1 } })) };
    for (const [other, equal] of [[view, true], [copy, true], [changed, false], [longer, false], [stances, false], [{ ...copy, unread: 1 }, false]] as const) {
      assert.equal(same(view, other), equal);
      assert.equal(same(view, other), plainEqual(view, other));
    }
    let published = 0;
    const off = a.subscribe(() => published++);
    a.setConfig({ ...config });
    await a.settled();
    assert.equal(published, 0, 'derived again, the same view: not published');
    await b.comment('one more');
    await a.settled();
    assert.equal(published, 1);
    off();
    a.destroy();
    b.destroy();
  });
});

describe('thread: comments added to the last view', () => {
  test('are the view derived afresh: replies, edits and reactions that waited for them, older posts, rate limits, unread (seeded)', async () => {
    const cache = new VerificationCache({ persist: false });
    for (const seed of [1, 2]) {
      const gen = prng.create(seed);
      const doc = new Y.Doc();
      const start = Date.now() - 3 * RATE_WINDOW_MS;
      const seenUntil = start + RATE_WINDOW_MS / 2;
      const options = { room: ROOM, cache };
      const live = new ThreadModel(doc, 'rent-strike', { ...config, seenUntil }, signers[0]!, options);
      // Which derives added comments to the last view (the rest derived everything).
      let added = 0;
      const addComments = (live as unknown as { addComments: (...args: unknown[]) => unknown }).addComments.bind(live);
      (live as unknown as { addComments: (...args: unknown[]) => unknown }).addComments = (...args: unknown[]) => {
        const view = addComments(...args);
        if (view !== null) added++;
        return view;
      };
      const ids: string[] = [];
      let ts = start;
      for (let step = 0; step < 90; step++) {
        // A burst by one author (more than the rate allows), then everyone again.
        const burst = step >= 40 && step < 65;
        const signer = burst ? signers[2]! : signers[prng.uint32(gen, 0, signers.length - 1)]!;
        const local = `c${step}`;
        const id = `${signer.publicKey}:${local}`;
        const roll = prng.uint32(gen, 0, 99);
        // Mostly later than everything so far; sometimes older (then everything is derived again).
        ts += roll < 8 ? -prng.uint32(gen, 1, 60_000) : prng.uint32(gen, 1, burst || roll < 20 ? 500 : 40_000);
        const replyTo = ids.length > 0 && roll % 3 === 0 ? (roll < 12 ? `${signer.publicKey}:missing${step}` : ids[prng.uint32(gen, 0, ids.length - 1)]!) : undefined;
        if (roll >= 92) {
          // An edit and a reaction that arrive before the comment they name.
          await plant(doc, signer, entryKey('edit', signer.publicKey, local), 'edit', { id: local, text: `edited ${step}` }, ts + 1);
          await plant(doc, signers[1]!, entryKey('react', signers[1]!.publicKey, id), 'react', { target: id, on: ['agree'] }, ts + 2);
          await live.settled();
        }
        await plant(doc, signer, entryKey('comment', signer.publicKey, local), 'comment', { id: local, text: `comment ${step}`, ...(replyTo ? { replyTo } : {}) }, ts);
        ids.push(id);
        await live.settled();
        const fresh = new ThreadModel(doc, 'rent-strike', { ...config, seenUntil }, signers[0]!, options);
        await fresh.settled();
        assert.deepEqual(live.view, fresh.view, `seed ${seed}, step ${step}`);
        fresh.destroy();
      }
      assert.ok(live.view.comments.some((c) => c.depth > 0), `seed ${seed}: replies`);
      assert.ok(live.view.comments.some((c) => c.edited), `seed ${seed}: edits`);
      assert.ok(live.view.unread > 0, `seed ${seed}: unread`);
      assert.ok(live.view.comments.length < ids.length, `seed ${seed}: some comments over the rate limit (${live.view.comments.length} of ${ids.length})`);
      assert.ok(added >= 20 && added < 90, `seed ${seed}: comments added to the last view ${added} times of 90`);
      live.destroy();
    }
  });
});

describe('presence', () => {
  const network = new MemoryNetwork();
  after(() => network.destroy());

  test('counts and names only readers whose fresh, signed presence verifies (and this visitor)', async () => {
    const rooms = [network.source(), network.source(), network.source()].map((s) => s.acquire(ROOM, ROOM_OPTIONS));
    const scope = threadScope('rent-strike');
    const signed = new Presence(rooms[0]!.awareness, { scope, room: ROOM, signer: signers[0]!, name: () => 'Ana' });
    const anonymous = new Presence(rooms[1]!.awareness, { scope, room: ROOM, signer: null });
    await signed.announce();
    await anonymous.announce();
    // A forger copies Ana's presence under its own client, and makes up one for someone else.
    const ana = rooms[0]!.awareness.getLocalState()![`gather:${scope}`] as Record<string, unknown>;
    const stale = await signEntry(signers[2]!, { type: PRESENCE_TYPE, scope, room: roomTag(ROOM), name: 'Old' }, Date.now() - 10 * 60_000);
    rooms[2]!.awareness.setLocalStateField(`gather:${scope}`, { ...ana, name: 'Not Ana', author: signers[1]!.publicKey });
    const watcher = new Presence(rooms[2]!.awareness, { scope, room: ROOM, signer: null });
    await watcher.recount();
    assert.equal(watcher.view.count, 2, 'Ana and the watcher itself; the unsigned reader on another peer is not counted');
    assert.deepEqual(watcher.view.people, [{ author: signers[0]!.publicKey, name: 'Ana' }]);
    rooms[2]!.awareness.setLocalStateField(`gather:${scope}`, stale);
    await watcher.recount();
    assert.deepEqual(watcher.view.people.map((p) => p.name), ['Ana'], 'a stale presence names nobody');
    signed.destroy();
    await watcher.recount();
    assert.equal(watcher.view.count, 0, "the watcher's own state is now the stale one: nobody is counted");
    assert.deepEqual(watcher.view.people, []);
    anonymous.destroy();
    watcher.destroy();
  });
});
