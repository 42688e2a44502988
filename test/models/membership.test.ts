// Organizers who add and remove organizers, invites that admit a bounded number of devices,
// members-only polls, revocations, withdrawn invites — every peer deriving the same, over a seeded
// network with random delivery and disconnects.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import * as prng from 'lib0/prng';
import { GatherError } from '../../src/errors.js';
import { createCapability, inviteLink, outdatedInviteRoom, readCapability, readInvite, readInviteFragment, signClaimProof, verifyCapability, withoutInvite, MAX_INVITE_DEVICES, type Invite } from '../../src/identity/capability.js';
import { fromBase64url, toBase64url } from '../../src/identity/base64url.js';
import { roomTag, signCompactEntry } from '../../src/identity/entries.js';
import { createSigner } from '../../src/identity/keys.js';
import type { Signer } from '../../src/identity/types.js';
import { entryKey } from '../../src/models/entry-key.js';
import { VerificationCache } from '../../src/identity/verification.js';
import { deriveOrganizers, MAX_UNADMITTED_LISTED, MembershipModel, MEMBER_TYPE, ORGANIZER_TYPE, TRUST_SCOPE } from '../../src/models/membership.js';
import { PollModel } from '../../src/models/poll.js';
import type { PollConfig, PollView } from '../../src/models/poll.types.js';
import { MemoryNetwork, type MemorySource } from '../../src/room/memory-room.js';
import type { RoomOptions } from '../../src/room/types.js';

const ROOM = 'eastside-tenants';
const ROOM_OPTIONS: RoomOptions = { signaling: [], iceServers: [], password: null, persist: false };
const config: PollConfig = { question: 'Strike?', options: [{ id: 'yes', label: 'Yes' }, { id: 'no', label: 'No' }], results: 'always' };
const counts = (view: PollView) => Object.fromEntries(view.options.map(({ id, count }) => [id, count]));
const isCode = (code: string) => (error: unknown) => error instanceof GatherError && error.code === code;

let root: Signer;
let signers: Signer[];
before(async () => {
  root = await createSigner('Ed25519');
  signers = await Promise.all(Array.from({ length: 8 }, (_, i) => createSigner(i % 3 === 2 ? 'ECDSA-P256' : 'Ed25519')));
});

describe('invite capabilities', () => {
  test('made by a signer, read back, verified; tampering, other rooms and junk are refused', async () => {
    const cap = await createCapability(root, { room: ROOM, max: 3, now: 1000 });
    assert.deepEqual({ room: cap.room, max: cap.max, issued: cap.issued, expires: cap.expires, issuer: cap.issuer }, { room: roomTag(ROOM), max: 3, issued: 1000, expires: null, issuer: root.publicKey });
    assert.notEqual(cap.inviteKey, root.publicKey, 'the invite has a key of its own');
    assert.equal(cap.code, `${cap.token}.${cap.secret}`);
    assert.ok(!cap.token.includes(cap.secret), 'the token (what the room sees) does not carry the private key');
    assert.ok(cap.token.length <= 230 && cap.code.length <= 275, `a short token (${cap.token.length}) and code (${cap.code.length})`);
    assert.ok(await verifyCapability(cap.token));
    const { secret: _secret, code: _code, ...capability } = cap;
    assert.deepEqual(readCapability(cap.token), capability);
    assert.deepEqual(readInvite(cap.code), cap);
    assert.equal(readInvite(cap.token), null, 'a token without its key is no invite code');
    assert.equal(readInvite(`${cap.token}.${cap.secret.slice(1)}`), null);
    // Every single-character change either fails to read or fails to verify.
    for (let i = 0; i < cap.token.length; i += 7) {
      const c = cap.token[i] === 'A' ? 'B' : 'A';
      const changed = cap.token.slice(0, i) + c + cap.token.slice(i + 1);
      assert.equal(await verifyCapability(changed), false, `position ${i}`);
    }
    for (const junk of [null, 42, '', 'AAAA', 'x'.repeat(5000), cap.token + 'A', cap.token.slice(0, -4)]) {
      assert.equal(readCapability(junk) !== null && (await verifyCapability(junk)), false);
    }
    await assert.rejects(createCapability(root, { room: ROOM, max: 0 }), isCode('invalid-invite'));
    await assert.rejects(createCapability(root, { room: ROOM, max: MAX_INVITE_DEVICES + 1 }), isCode('invalid-invite'));
  });

  test('a link made before invites had keys (version 1) is recognised as outdated, for its room, and refused with a message', async () => {
    const cap = await createCapability(root, { room: ROOM, max: 3 });
    // A version-1 token: the same layout up to the keys, one key, version byte 1.
    const bytes = fromBase64url(cap.token)!;
    const v1 = bytes.slice(0, bytes.length - 64 - 33);
    v1[0] = 1;
    const old = toBase64url(new Uint8Array([...v1, ...new Uint8Array(64)]));
    assert.equal(readCapability(old), null);
    assert.equal(outdatedInviteRoom(old), roomTag(ROOM));
    assert.equal(outdatedInviteRoom(cap.token), null);
    assert.deepEqual(readInviteFragment(`#invite=${old}`), { code: null, password: null, outdated: roomTag(ROOM) });
    const model = new MembershipModel(new Y.Doc(), signers[0]!, { roots: [root.publicKey], room: ROOM });
    await assert.rejects(model.join(old), (error: unknown) => isCode('invalid-invite')(error) && /earlier version/.test((error as Error).message));
    await assert.rejects(model.join(cap.token), isCode('invalid-invite'), 'a token without the invite key admits no one');
    model.destroy();
  });

  test('links carry the invite and the password in the fragment only', async () => {
    const cap = await createCapability(root, { room: ROOM, max: 3 });
    const link = inviteLink('https://eastside.example/assembly?x=1#top', cap, 'pw with spaces & symbols');
    const url = new URL(link);
    assert.equal(url.search, '?x=1');
    assert.ok(!url.search.includes(cap.token) && !url.pathname.includes(cap.token) && !url.search.includes(cap.secret));
    assert.deepEqual(readInviteFragment(url.hash), { code: cap.code, password: 'pw with spaces & symbols', outdated: null });
    assert.deepEqual(readInviteFragment(`#password=abc`), { code: null, password: 'abc', outdated: null });
    const plain = inviteLink('https://eastside.example/assembly', cap);
    console.log(`  (an invite link on https://eastside.example/assembly: ${plain.length} characters, Ed25519; the code ${cap.code.length})`);
    assert.ok(plain.length <= 320, `a link short enough to paste (${plain.length})`);
    assert.equal(readInviteFragment('#invite=garbage'), null);
    assert.equal(readInviteFragment('#top'), null);
    assert.equal(readInviteFragment(42), null);
    assert.equal(withoutInvite(`#a=1&invite=${cap.token}&password=x`), '#a=1');
    assert.equal(withoutInvite(`#invite=${cap.token}`), '');
  });
});

describe('organizers', () => {
  const at = (author: Signer, subject: Signer, organizer: boolean, ts: number, sig = 'x') =>
    ({ v: 2, type: 'organizer', scope: TRUST_SCOPE, author: author.publicKey, alg: author.alg, ts, subject: subject.publicKey, organizer, sig }) as never;

  test('the roots, additions by organizers in the shared order, a root\'s removal wins, a root cannot be removed', () => {
    const [a, b, c, d] = signers as [Signer, Signer, Signer, Signer];
    const roots = new Set([root.publicKey]);
    const list = (entries: never[]) => [...deriveOrganizers(roots, entries)].sort();
    assert.deepEqual(list([]), [root.publicKey]);
    assert.deepEqual(list([at(root, a, true, 1), at(a, b, true, 2)]), [root.publicKey, a.publicKey, b.publicKey].sort());
    assert.deepEqual(list([at(a, b, true, 1)]), [root.publicKey], 'a non-organizer adds nobody');
    assert.deepEqual(list([at(a, b, true, 1), at(root, a, true, 2)]), [root.publicKey, a.publicKey].sort(), 'an addition counts only if its author was an organizer then');
    // b adds c, then a root removes b: whatever the order, b never was one, so neither is c.
    assert.deepEqual(list([at(root, a, true, 1), at(a, b, true, 2), at(b, c, true, 3), at(root, b, false, 0)]), [root.publicKey, a.publicKey].sort());
    // Removed by a non-root, b's earlier additions stand.
    assert.deepEqual(list([at(root, a, true, 1), at(a, b, true, 2), at(b, c, true, 3), at(a, b, false, 4)]), [root.publicKey, a.publicKey, c.publicKey].sort());
    // A non-root removal is undone by a later addition; a root's removal is not.
    assert.deepEqual(list([at(root, a, true, 1), at(root, b, true, 1), at(a, b, false, 2), at(root, c, true, 1), at(c, b, true, 3)]), [root.publicKey, a.publicKey, b.publicKey, c.publicKey].sort());
    assert.deepEqual(list([at(root, a, true, 1), at(root, d, false, 1), at(a, d, true, 5)]), [root.publicKey, a.publicKey].sort());
    assert.deepEqual(list([at(root, a, true, 1), at(a, root, false, 2)]), [root.publicKey, a.publicKey].sort(), 'a root stays');
  });

  test('an organizer adds another, who can then close a poll; removed, their close no longer counts — on every peer', async () => {
    const network = new MemoryNetwork({ delivery: 'manual', seed: 7 });
    const [a, b, voter] = signers as [Signer, Signer, Signer];
    const sources = [network.source(), network.source(), network.source()];
    const docs = sources.map((s) => s.acquire(ROOM, ROOM_OPTIONS).doc);
    const options = { organizers: [root.publicKey], room: ROOM };
    const trustRoot = new MembershipModel(docs[0]!, root, { roots: [root.publicKey], room: ROOM });
    const trustA = new MembershipModel(docs[1]!, a, { roots: [root.publicKey], room: ROOM });
    const polls = [new PollModel(docs[0]!, 'p', config, root, options), new PollModel(docs[1]!, 'p', config, a, options), new PollModel(docs[2]!, 'p', config, voter, options)];

    await assert.rejects(trustA.addOrganizer(b.publicKey), isCode('not-organizer'));
    await assert.rejects(polls[1]!.close(), isCode('not-organizer'));
    await trustRoot.addOrganizer(a.publicKey);
    network.flushAll();
    await Promise.all(polls.map((p) => p.settled()));
    assert.ok(polls[1]!.signsAsOrganizer, 'a was added: an organizer on the poll too');
    assert.ok(polls[2]!.isOrganizer(a.publicKey));
    await polls[2]!.vote('yes');
    network.flushAll();
    await polls[1]!.settled();
    await polls[1]!.close();
    network.flushAll();
    await Promise.all(polls.map((p) => p.settled()));
    for (const p of polls) assert.equal(p.view.closed, true);

    await trustRoot.removeOrganizer(a.publicKey);
    // Delivered at random, some sources cut off and back.
    network.disconnect(sources[2]!);
    for (let i = 0; i < 3; i++) network.deliverRandom();
    network.reconnect(sources[2]!);
    network.flushAll();
    await Promise.all(polls.map((p) => p.settled()));
    for (const p of polls) {
      assert.equal(p.isOrganizer(a.publicKey), false);
      assert.equal(p.view.closed, false, 'a removed organizer\'s close no longer counts');
    }
    assert.deepEqual(counts(polls[0]!.view), counts(polls[2]!.view));
    await assert.rejects(trustA.addOrganizer(b.publicKey), isCode('not-organizer'));
    for (const m of [...polls, trustRoot, trustA]) m.destroy();
  });
});

/** A room of `n` visitors on their own sources, each with a members-only poll and a trust model. */
function room(seed: number, n: number) {
  const network = new MemoryNetwork({ delivery: 'manual', seed });
  const sources: MemorySource[] = Array.from({ length: n + 1 }, () => network.source());
  const docs = sources.map((s) => s.acquire(ROOM, ROOM_OPTIONS).doc);
  const who = [root, ...signers.slice(0, n)];
  const options = { organizers: [root.publicKey], room: ROOM, membersOnly: true };
  const polls = docs.map((doc, i) => new PollModel(doc, 'strike', config, who[i]!, options));
  const trust = docs.map((doc, i) => new MembershipModel(doc, who[i]!, { roots: [root.publicKey], room: ROOM }));
  const settle = async () => {
    network.flushAll();
    await Promise.all([...polls, ...trust].map((m) => m.settled()));
  };
  const destroy = () => [...polls, ...trust].forEach((m) => m.destroy());
  return { network, sources, docs, who, polls, trust, settle, destroy };
}

describe('members-only', () => {
  test('a members-only poll counts only the organizers and the devices an invite admitted', async () => {
    const r = room(1, 4);
    const invite = await r.trust[0]!.createInvite({ max: 10 });
    assert.equal(await r.trust[1]!.join(invite.code), 'member');
    assert.equal(await r.trust[2]!.join(invite.code), 'member');
    // Visitor 3 has no invite; visitor 4 has one made by a non-organizer.
    const fake = await createCapability(r.who[4]!, { room: ROOM, max: 10 });
    await r.trust[4]!.join(fake.code);
    await Promise.all(r.polls.map((p, i) => p.vote(i % 2 === 0 ? 'yes' : 'no')));
    await r.settle();
    for (const p of r.polls) {
      assert.equal(p.view.total, 3, 'root, 1 and 2');
      assert.deepEqual(counts(p.view), { yes: 2, no: 1 });
    }
    assert.equal(r.trust[3]!.stateOf(r.who[3]!.publicKey), 'none');
    assert.equal(r.trust[0]!.stateOf(r.who[4]!.publicKey), 'refused');
    // The same poll without members-only counts everyone.
    r.polls[0]!.setMembersOnly(false);
    assert.equal(r.polls[0]!.view.total, 5);
    r.polls[0]!.setMembersOnly(true);
    assert.equal(r.polls[0]!.view.total, 3);
    r.destroy();
  });

  test('an invite for another room, an expired one, a forged one admit no one', async () => {
    const r = room(2, 3);
    const elsewhere = await createCapability(root, { room: 'another-room', max: 5 });
    await assert.rejects(r.trust[1]!.join(elsewhere.code), isCode('invalid-invite'));
    const expired = await createCapability(root, { room: ROOM, max: 5, expires: Date.now() - 1000, now: Date.now() - 5000 });
    await assert.rejects(r.trust[1]!.join(expired.code), isCode('invalid-invite'));
    // Written anyway by a hostile device: refused on every peer.
    const key = entryKey(MEMBER_TYPE, r.who[2]!.publicKey);
    const ts = Date.now();
    const proof = await signClaimProof(expired, r.who[2]!, ts);
    const { stored } = await signCompactEntry(r.who[2]!, { type: MEMBER_TYPE, scope: TRUST_SCOPE, room: roomTag(ROOM), invite: expired.token, proof }, ts, MEMBER_TYPE);
    r.docs[2]!.getMap(TRUST_SCOPE).set(key, stored);
    await r.polls[2]!.vote('yes');
    await r.polls[1]!.vote('yes');
    await r.settle();
    for (const t of r.trust) assert.equal(t.stateOf(r.who[2]!.publicKey), 'refused');
    for (const p of r.polls) assert.equal(p.view.total, 0);
    r.destroy();
  });

  test('a revoked member\'s ballots cast after the revocation do not count; before it, they did', async () => {
    const r = room(3, 2);
    const invite = await r.trust[0]!.createInvite({ max: 5 });
    await r.trust[1]!.join(invite.code);
    await r.trust[2]!.join(invite.code);
    await r.settle();
    await r.polls[1]!.vote('yes');
    await r.polls[2]!.vote('yes');
    await r.settle();
    for (const p of r.polls) assert.deepEqual(counts(p.view), { yes: 2, no: 0 });
    // Member 1 is offline when the organizer revokes them.
    r.network.disconnect(r.sources[1]!);
    await r.trust[0]!.revokeMember(r.who[1]!.publicKey);
    await r.settle();
    for (const p of r.polls) assert.deepEqual(counts(p.view), { yes: 2, no: 0 }, 'the ballot signed before the revocation still counts');
    // They change their mind, on a peer that has not heard of it yet.
    await r.polls[1]!.vote('no');
    assert.equal(r.polls[1]!.view.total, 2);
    r.network.reconnect(r.sources[1]!);
    await r.settle();
    for (const p of r.polls) assert.deepEqual(counts(p.view), { yes: 1, no: 0 }, 'the later ballot replaced the earlier one and does not count');
    assert.equal(r.trust[2]!.stateOf(r.who[1]!.publicKey), 'revoked');
    // Revoking an organizer as a member changes nothing; a non-organizer cannot revoke.
    await assert.rejects(r.trust[2]!.revokeMember(r.who[1]!.publicKey, false), isCode('not-organizer'));
    // Restored by the organizer: counts again.
    await r.trust[0]!.revokeMember(r.who[1]!.publicKey, false);
    await r.settle();
    for (const p of r.polls) assert.deepEqual(counts(p.view), { yes: 1, no: 1 });
    r.destroy();
  });

  test('an invite used past its device bound admits no one more: the first in the shared order are members, on every peer', async () => {
    for (const seed of [4, 5, 6]) {
      const r = room(seed, 6);
      const invite = await r.trust[0]!.createInvite({ max: 3 });
      r.network.flushAll();
      // Six devices join at once, offline, then vote.
      r.network.disconnectAll();
      await Promise.all(r.trust.slice(1).map((t) => t.join(invite.code)));
      await Promise.all(r.polls.slice(1).map((p) => p.vote('yes')));
      const gen = prng.create(seed);
      for (const s of r.sources) {
        r.network.reconnect(s);
        for (let n = prng.int32(gen, 0, 5); n > 0; n--) r.network.deliverRandom();
      }
      await r.settle();
      const view = r.trust[0]!.view;
      const admitted = view.members.filter((m) => m.state === 'member').map((m) => m.author);
      assert.equal(admitted.length, 3, `seed ${seed}`);
      assert.deepEqual(view.members.slice(0, 3).map((m) => m.author), admitted, 'the first three in the shared order');
      assert.equal(view.members.filter((m) => m.state === 'over-limit').length, 3);
      assert.deepEqual(view.invites.map(({ id, admitted, overLimit, max }) => ({ id, admitted, overLimit, max })), [{ id: invite.id, admitted: 3, overLimit: 3, max: 3 }]);
      for (const t of r.trust) assert.deepEqual(t.view, view, `seed ${seed}: every peer agrees`);
      for (const p of r.polls) assert.deepEqual(counts(p.view), { yes: 3, no: 0 }, `seed ${seed}: only the three admitted count`);
      // A late device with the same link: over the limit.
      const late = new MembershipModel(r.docs[0]!, await createSigner(), { roots: [root.publicKey], room: ROOM });
      assert.equal(await late.join(invite.code), 'over-limit');
      late.destroy();
      r.destroy();
    }
  });

  test('a withdrawn invite admits no one after it is withdrawn; joining twice writes nothing', async () => {
    const r = room(8, 3);
    const invite = await r.trust[0]!.createInvite({ max: 10 });
    assert.equal(await r.trust[1]!.join(invite.code), 'member');
    const before = r.docs[1]!.getMap(TRUST_SCOPE).get(entryKey(MEMBER_TYPE, r.who[1]!.publicKey));
    assert.equal(await r.trust[1]!.join(invite.code), 'member');
    assert.equal(r.docs[1]!.getMap(TRUST_SCOPE).get(entryKey(MEMBER_TYPE, r.who[1]!.publicKey)), before, 'nothing written again');
    await r.settle();
    await r.trust[0]!.withdrawInvite(invite.id);
    await r.settle();
    assert.equal(await r.trust[2]!.join(invite.code), 'refused');
    await r.settle();
    for (const t of r.trust) {
      assert.equal(t.stateOf(r.who[1]!.publicKey), 'member', 'admitted before: stays');
      assert.equal(t.stateOf(r.who[2]!.publicKey), 'refused');
      assert.equal(t.view.invites[0]!.withdrawn, true);
    }
    r.destroy();
  });

  test('members added through an organizer the page did not name, and the poll\'s organizers read from the room', async () => {
    const r = room(9, 3);
    await r.trust[0]!.addOrganizer(r.who[1]!.publicKey);
    await r.settle();
    const invite = await r.trust[1]!.createInvite({ max: 1 });
    assert.equal(await r.trust[2]!.join(invite.code), 'member');
    await r.polls[2]!.vote('no');
    await r.polls[1]!.vote('yes');
    await r.polls[3]!.vote('yes');
    await r.settle();
    for (const p of r.polls) assert.deepEqual(counts(p.view), { yes: 1, no: 1 });
    // The organizer who made the invite is removed: their invites admit no one.
    await r.trust[0]!.removeOrganizer(r.who[1]!.publicKey);
    await r.settle();
    for (const p of r.polls) assert.deepEqual(counts(p.view), { yes: 0, no: 0 });
    r.destroy();
  });

  test('hostile trust entries are ignored, never thrown on', async () => {
    const doc = new Y.Doc();
    const map = doc.getMap(TRUST_SCOPE);
    const trust = new MembershipModel(doc, null, { roots: [root.publicKey], room: ROOM });
    const junk: [string, unknown][] = [
      ['member:x', 42],
      [entryKey(MEMBER_TYPE, signers[0]!.publicKey), new Uint8Array(500)],
      ['organizer:' + signers[0]!.publicKey, { v: 2, nonsense: true }],
      ['', null],
    ];
    doc.transact(() => junk.forEach(([k, v]) => map.set(k, v)));
    // A well-signed entry whose invite field is not a token.
    const { stored } = await signCompactEntry(signers[1]!, { type: MEMBER_TYPE, scope: TRUST_SCOPE, room: roomTag(ROOM), invite: 'not-a-token', proof: 'not-a-proof' }, Date.now(), MEMBER_TYPE);
    map.set(entryKey(MEMBER_TYPE, signers[1]!.publicKey), stored);
    await trust.settled();
    assert.deepEqual(trust.view.organizers, [root.publicKey]);
    assert.equal(trust.stateOf(signers[1]!.publicKey), 'refused');
    assert.equal(trust.isMember(signers[0]!.publicKey), false);
    trust.destroy();
  });
});

describe('healing the trust map', () => {
  /** Polls `check` (pumping the network) until it holds; fails after `ms`. */
  const until = async (check: () => boolean, pump: () => void, ms: number, what: string): Promise<number> => {
    const started = Date.now();
    for (;;) {
      pump();
      if (check()) return Date.now() - started;
      if (Date.now() - started > ms) assert.fail(`not within ${ms} ms: ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };

  test('a peer deletes a membership and overwrites organizer entries: members-only tallies and the trust view hold at once, the entries come back to every document', async () => {
    const network = new MemoryNetwork({ delivery: 'manual', seed: 21 });
    const heal = { store: null, delayMs: 10, spreadMs: 40 };
    const [a, b] = signers as [Signer, Signer];
    const who = [root, a, b];
    const sources = [0, 1, 2, 3].map(() => network.source());
    const docs = sources.map((s) => s.acquire(ROOM, ROOM_OPTIONS).doc);
    const evil = docs[3]!.getMap<unknown>(TRUST_SCOPE);
    const polls = who.map((signer, i) => new PollModel(docs[i]!, 'strike', config, signer, { organizers: [root.publicKey], room: ROOM, membersOnly: true, heal }));
    const trust = who.map((signer, i) => new MembershipModel(docs[i]!, signer, { roots: [root.publicKey], room: ROOM, heal }));
    const settle = async () => {
      network.flushAll();
      await Promise.all([...polls, ...trust].map((m) => m.settled()));
    };
    try {
      await trust[0]!.addOrganizer(a.publicKey);
      await settle();
      const invite = await trust[1]!.createInvite({ max: 2 });
      assert.equal(await trust[2]!.join(invite.code), 'member');
      await settle();
      await polls[0]!.vote('yes');
      await polls[1]!.vote('no');
      await polls[2]!.vote('yes');
      await settle();
      const tally = counts(polls[0]!.view);
      const view = trust[0]!.view;
      assert.deepEqual(tally, { yes: 2, no: 1 }, 'the root, the organizer it added and the member that organizer invited');
      const keys = [entryKey(MEMBER_TYPE, b.publicKey), entryKey(ORGANIZER_TYPE, root.publicKey, a.publicKey)];
      const originals = keys.map((key) => docs[0]!.getMap(TRUST_SCOPE).get(key));

      // Mallory deletes the membership and overwrites the organizer entry with junk, then with a forged removal.
      const { entry: forged } = await signCompactEntry(signers[5]!, { type: ORGANIZER_TYPE, scope: TRUST_SCOPE, room: roomTag(ROOM), subject: a.publicKey, organizer: false }, Date.now(), ORGANIZER_TYPE);
      docs[3]!.transact(() => {
        evil.delete(keys[0]!);
        evil.set(keys[1]!, new Uint8Array([2, 0, 1, 2, 3]));
      });
      network.flushAll();
      evil.set(keys[1]!, { ...forged, author: root.publicKey });
      await settle();
      for (const [i, p] of polls.entries()) assert.deepEqual(counts(p.view), tally, `peer ${i}: the members-only tally holds at once`);
      for (const t of trust) assert.deepEqual(t.view, view, 'organizers and members hold at once');
      assert.ok(trust.some((t) => t.damaged > 0), 'the documents lost them meanwhile');

      const whole = () => docs.every((doc) => keys.every((key, k) => doc.getMap(TRUST_SCOPE).get(key) === originals[k] || plainBytesEqual(doc.getMap(TRUST_SCOPE).get(key), originals[k])));
      const took = await until(whole, () => network.flushAll(), 5000, 'every document holds the organizer entry and the membership again');
      await settle();
      const repaired = [...trust, ...polls.map((p) => p.trust)].reduce((n, t) => n + t.repaired, 0);
      assert.ok(repaired >= 2 && repaired <= 6, `each entry written back by one to three honest peers, not in a loop (${repaired} write-backs, documents whole after ${took} ms)`);

      // A newcomer receives a room whose members-only tally is right.
      const newcomer = new PollModel(network.source().acquire(ROOM, ROOM_OPTIONS).doc, 'strike', config, null, { organizers: [root.publicKey], room: ROOM, membersOnly: true, heal });
      network.flushAll();
      await newcomer.settled();
      assert.deepEqual(counts(newcomer.view), tally);
      assert.deepEqual(newcomer.trust.view, view);
      newcomer.destroy();
    } finally {
      for (const m of [...polls, ...trust]) m.destroy();
      network.destroy();
    }
  });
});

/** A membership claim on `invite` by `signer` at `ts`, proof included, as stored: [key, value]. */
const claimWith = async (invite: Invite, signer: Signer, ts: number) => {
  const proof = await signClaimProof(invite, signer, ts);
  const draft = { type: MEMBER_TYPE, scope: TRUST_SCOPE, room: roomTag(ROOM), invite: invite.token, proof };
  return [entryKey(MEMBER_TYPE, signer.publicKey), (await signCompactEntry(signer, draft, ts, MEMBER_TYPE)).stored] as const;
};

/** Whether two stored values are the same bytes. */
const plainBytesEqual = (x: unknown, y: unknown): boolean =>
  x instanceof Uint8Array && y instanceof Uint8Array && x.length === y.length && x.every((byte, i) => byte === y[i]);

describe('limits on the trust map', () => {
  test("a leaked invite link used by 150 fresh keys: each claim's proof and signature checked once, the first 100 listed, the others counted; the members and the members-only tally stand", async () => {
    const r = room(21, 2);
    const invite = await r.trust[0]!.createInvite({ max: 2 });
    for (const i of [1, 2]) assert.equal(await r.trust[i]!.join(invite.code), 'member');
    await Promise.all(r.polls.map((p, i) => p.vote(i === 2 ? 'no' : 'yes')));
    await r.settle();
    const cache = new VerificationCache({ persist: false, workers: false });
    const watcher = new MembershipModel(r.docs[0]!, null, { roots: [root.publicKey], room: ROOM, cache });
    await watcher.settled();
    const before = cache.signaturesChecked;
    // Whoever holds the link (its code: token and invite key) can sign claims for as many keys as they like.
    const copies = await Promise.all(Array.from({ length: 150 }, async () => claimWith(invite, await createSigner('Ed25519'), Date.now() + 1000)));
    r.docs[0]!.transact(() => copies.forEach(([key, value]) => r.docs[0]!.getMap(TRUST_SCOPE).set(key, value)));
    await r.settle();
    await watcher.settled();
    assert.equal(cache.signaturesChecked - before, 300, 'a claim on an organizer\'s genuine invite: its proof and its signature, each checked once');
    for (const t of [...r.trust, watcher]) {
      const { members, unlisted, invites } = t.view;
      assert.equal(members.filter((m) => m.state === 'member').length, 2);
      assert.equal(members.filter((m) => m.state === 'over-limit').length, MAX_UNADMITTED_LISTED);
      assert.equal(unlisted, 150 - MAX_UNADMITTED_LISTED);
      assert.equal(invites[0]!.overLimit, 150);
      assert.equal(t.stateOf(copies[149]![0].slice(MEMBER_TYPE.length + 1)), 'over-limit', 'an unlisted device still stands where it does');
    }
    for (const p of r.polls) assert.deepEqual(counts(p.view), { yes: 2, no: 1 });
    watcher.destroy();
    r.destroy();
  });

  test("claims copied out of the room (a member's invite token and proof) by 150 fresh keys, backdated to the invite's making: none admitted, none listed, one check each; the members, their places and the tally stand", async () => {
    const r = room(23, 2);
    const invite = await r.trust[0]!.createInvite({ max: 2 });
    for (const i of [1, 2]) assert.equal(await r.trust[i]!.join(invite.code), 'member');
    await Promise.all(r.polls.map((p, i) => p.vote(i === 2 ? 'no' : 'yes')));
    await r.settle();
    const view = r.trust[0]!.view;
    const cache = new VerificationCache({ persist: false, workers: false });
    const watcher = new MembershipModel(r.docs[0]!, null, { roots: [root.publicKey], room: ROOM, cache });
    await watcher.settled();
    const before = cache.signaturesChecked;
    // What the room holds of member 1's claim: the token and the proof, in the object form any peer reads.
    const honest = watcher.view.members[0]!;
    const claim = (r.trust[0] as unknown as { store: { entries: ReadonlyMap<string, { invite: string; proof: string }> } }).store.entries.get(entryKey(MEMBER_TYPE, honest.author))!;
    const copies = await Promise.all(
      Array.from({ length: 150 }, async (_, i) => {
        const key = await createSigner(i % 2 === 0 ? 'Ed25519' : 'ECDSA-P256');
        const draft = { type: MEMBER_TYPE, scope: TRUST_SCOPE, room: roomTag(ROOM), invite: claim.invite, proof: claim.proof };
        return [entryKey(MEMBER_TYPE, key.publicKey), (await signCompactEntry(key, draft, invite.issued + (i % 3), MEMBER_TYPE)).stored] as const;
      }),
    );
    r.docs[0]!.transact(() => copies.forEach(([key, value]) => r.docs[0]!.getMap(TRUST_SCOPE).set(key, value)));
    await r.settle();
    await watcher.settled();
    assert.equal(cache.signaturesChecked - before, 150, 'each copy costs one check (its proof), and its own signature is never checked');
    for (const t of [...r.trust, watcher]) {
      assert.deepEqual(t.view, view, 'the same members, places and invites as before the copies');
      assert.equal(t.stateOf(copies[0]![0].slice(MEMBER_TYPE.length + 1)), 'refused');
    }
    for (const p of r.polls) assert.deepEqual(counts(p.view), { yes: 2, no: 1 });
    // The link itself still admits up to its bound: a third device is over it.
    const late = new MembershipModel(r.docs[0]!, await createSigner(), { roots: [root.publicKey], room: ROOM });
    assert.equal(await late.join(invite.code), 'over-limit');
    late.destroy();
    watcher.destroy();
    r.destroy();
  });

  test('a claim on an invite from a key not yet known as an organizer costs no check and is not listed; once the key is added, it is read and admits', async () => {
    const r = room(22, 2);
    await r.trust[0]!.addOrganizer(r.who[1]!.publicKey);
    await r.settle();
    const invite = await r.trust[1]!.createInvite({ max: 1 });
    assert.equal(await r.trust[2]!.join(invite.code), 'member');
    await r.settle();
    // A document that receives the claim first, the addition of its invite's issuer later.
    const doc = new Y.Doc();
    const cache = new VerificationCache({ persist: false, workers: false });
    const late = new MembershipModel(doc, null, { roots: [root.publicKey], room: ROOM, cache });
    const source = r.docs[0]!.getMap<unknown>(TRUST_SCOPE);
    const claim = entryKey(MEMBER_TYPE, r.who[2]!.publicKey);
    const addition = entryKey(ORGANIZER_TYPE, root.publicKey, r.who[1]!.publicKey);
    doc.getMap(TRUST_SCOPE).set(claim, source.get(claim));
    await late.settled();
    assert.equal(cache.signaturesChecked, 0, 'neither the claim nor its invite is checked');
    assert.equal(late.invitesChecked, 0);
    assert.deepEqual(late.view.members, []);
    assert.equal(late.stateOf(r.who[2]!.publicKey), 'refused');
    doc.getMap(TRUST_SCOPE).set(addition, source.get(addition));
    await late.settled();
    assert.equal(late.stateOf(r.who[2]!.publicKey), 'member');
    assert.equal(late.invitesChecked, 1);
    assert.deepEqual(late.view, r.trust[0]!.view, 'the same view as a peer that read them in order');
    late.destroy();
    r.destroy();
  });
});
