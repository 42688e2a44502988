// The keeper as a gatekeeper of signed entries (entry-guard.ts), against a real keeper in this
// process: honest visitors vote through Hocuspocus's provider, Mallory connects too and deletes,
// overwrites, replays, writes under another client's id, floods, sends 20 MB; the keeper refuses
// what would lose an entry (logged and counted by reason), honest clients never see it, a newcomer
// gets every ballot, and after a restart the keeper puts back what its stored document lost.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { createSigner } from '../../src/identity/keys.js';
import type { Signer } from '../../src/identity/types.js';
import { VerificationCache } from '../../src/identity/verification.js';
import { AidBoardModel } from '../../src/models/aid-board.js';
import { ballotKey, PollModel, pollScope } from '../../src/models/poll.js';
import type { PollConfig } from '../../src/models/poll.types.js';
import { SignupModel } from '../../src/models/signup.js';
import { createEncryption } from '../../src/identity/encryption.js';
import { decodeKept, encodeKept, RoomGuard } from '../../src/server/entry-guard.js';
import { KeeperClient, startLocalKeeper, until, type LocalKeeper } from './keeper-helpers.js';

const config: PollConfig = {
  question: 'Which evening?',
  options: [
    { id: 'tue', label: 'Tuesday' },
    { id: 'thu', label: 'Thursday' },
  ],
  results: 'always',
};
const SCOPE = pollScope('assembly');
let rooms = 0;
const freshRoom = () => `guard-${process.pid}-${++rooms}`;
const counts = (model: PollModel) => Object.fromEntries(model.view.options.map((o) => [o.id, o.count]));

let voters: Signer[] = [];
let mallory: Signer;
before(async () => {
  voters = await Promise.all([createSigner('Ed25519'), createSigner('ECDSA-P256'), createSigner('Ed25519')]);
  mallory = await createSigner('Ed25519');
});

describe('the keeper reads every widget\'s entries', () => {
  test('entries written by the poll, the signup sheet and the aid board are all learned as valid (BODY_FIELDS matches the models)', async () => {
    const doc = new Y.Doc();
    const room = 'fields';
    const poll = new PollModel(doc, 'p', config, voters[0]!, { room, organizers: [voters[0]!.publicKey] });
    await poll.vote('tue');
    await poll.close(); // a close and its close-set part
    const signup = new SignupModel(doc, 's', { title: 'T', slots: [{ name: 'a', label: 'A', capacity: 2, start: null, end: null, location: null }] }, voters[1]!, { room });
    await signup.join('a', { name: 'Ana', note: 'car' });
    const aid = new AidBoardModel(doc, 'aid', { categories: ['food'], areas: [] }, voters[2]!, { room, encryption: createEncryption() });
    await aid.post({ kind: 'offer', title: 'Soup', category: 'food', contact: 'door 4' });
    let entries = 0;
    for (const [name, type] of doc.share) if (name.includes(':') && type instanceof Y.Map) entries += type.size;
    const kept: string[] = [];
    const guard = new RoomGuard(room, doc, { cache: new VerificationCache({ persist: false, workers: false }), keep: (id) => kept.push(id) });
    guard.start(new Map());
    await guard.settled();
    assert.ok(entries >= 5, `${entries} entries`);
    assert.equal(guard.size, entries, 'every entry read and verified');
    assert.equal(new Set(kept).size, entries, 'and kept');
    assert.deepEqual(decodeKept(encodeKept(new Uint8Array([1, 2]))), new Uint8Array([1, 2]));
    assert.deepEqual(decodeKept(encodeKept({ a: 1 })), { a: 1 });
    guard.destroy();
  });
});

describe('the keeper as a gatekeeper', () => {
  let k: LocalKeeper;
  before(async () => {
    k = await startLocalKeeper({ maxMessagesPerSecond: 1000 });
  });
  after(async () => {
    await k.close();
  });

  test('hostile updates are refused with a reason, honest clients never see them, a newcomer gets every ballot; a restart puts back what the stored document lost', async () => {
    const room = freshRoom();
    const honest = [new KeeperClient(k.syncUrl, room), new KeeperClient(k.syncUrl, room)];
    await Promise.all(honest.map((c) => c.waitSynced()));
    const models = voters.map((signer, i) => new PollModel(honest[i % 2]!.doc, 'assembly', config, signer, { room }));
    const oldBallot = async () => {
      await models[1]!.vote('thu');
      await honest[1]!.waitStored();
      return honest[1]!.doc.getMap(SCOPE).get(ballotKey(voters[1]!.publicKey));
    };
    const replayable = await oldBallot();
    await models[0]!.vote('tue');
    await models[1]!.vote('tue'); // a change of mind: the first ballot is replay material
    await models[2]!.vote('thu');
    await Promise.all(honest.map((c) => c.waitStored()));
    const observer = new PollModel(honest[0]!.doc, 'assembly', config, null, { room, heal: false });
    await until(() => honest.every((c) => c.doc.getMap(SCOPE).size === 3), 'both clients hold three ballots');
    await observer.settled();
    const expected = { tue: 2, thu: 1 };
    assert.deepEqual(counts(observer), expected);

    const evil = new KeeperClient(k.syncUrl, room);
    await evil.waitSynced();
    await until(() => evil.doc.getMap(SCOPE).size === 3, 'mallory has the room');
    const victimKey = ballotKey(voters[0]!.publicKey);
    const refusals = () => k.logs.filter((l) => l.event === 'refused' && l.room === room).map((l) => l.reason);
    const attacks: { name: string; reason?: string; run: () => void }[] = [
      { name: 'delete a ballot', reason: 'delete', run: () => evil.doc.getMap(SCOPE).delete(victimKey) },
      { name: 'overwrite a ballot with junk', reason: 'overwrite', run: () => evil.doc.getMap(SCOPE).set(ballotKey(voters[2]!.publicKey), new Uint8Array([0x32, 1, 2, 3])) },
      { name: "replay a voter's older ballot", reason: 'replay', run: () => evil.doc.getMap(SCOPE).set(ballotKey(voters[1]!.publicKey), replayable) },
      {
        name: "junk under someone else's key, written under an honest client's Yjs id",
        reason: 'not-owner',
        run: () => {
          const ghost = new Y.Doc();
          Y.applyUpdate(ghost, Y.encodeStateAsUpdate(honest[0]!.doc));
          ghost.clientID = honest[0]!.doc.clientID;
          const before = Y.encodeStateVector(ghost);
          ghost.getMap(SCOPE).set(ballotKey(mallory.publicKey), new Uint8Array([9, 9, 9]));
          Y.applyUpdate(evil.doc, Y.encodeStateAsUpdate(ghost, before));
        },
      },
    ];
    let corrupted = 0;
    for (const attack of attacks) {
      const before = refusals().length;
      attack.run();
      await until(() => refusals().length > before, `refused: ${attack.name}`);
      assert.equal(refusals().at(-1), attack.reason, attack.name);
      // Give a wrongly accepted update the time to reach the honest clients: a sync round trip.
      const probe = new KeeperClient(k.syncUrl, room);
      await probe.waitSynced();
      const seen = new PollModel(probe.doc, 'assembly', config, null, { room, heal: false });
      await seen.settled();
      await observer.settled();
      if (JSON.stringify(counts(seen)) !== JSON.stringify(expected) || JSON.stringify(counts(observer)) !== JSON.stringify(expected)) corrupted++;
      assert.equal(probe.doc.getMap(SCOPE).has(ballotKey(mallory.publicKey)), false);
      seen.destroy();
      probe.destroy();
    }
    // Each refused update is answered (once the connection's earlier writes are done), so a client
    // that relayed it does not count it as unsaved for ever.
    await evil.waitStored('the refused updates are answered');
    // A flood of junk keys is growth, not damage: accepted, ignored by every model.
    evil.doc.transact(() => {
      for (let i = 0; i < 10_000; i++) evil.doc.getMap(SCOPE).set(`junk:${i}`, i);
    });
    await until(() => honest[0]!.doc.getMap(SCOPE).size >= 10_003, 'the junk arrives');
    // 20 MB in one message: over the keeper's message size; the connection is closed.
    evil.doc.getMap(SCOPE).set('big', 'x'.repeat(20 * 1024 * 1024));
    await until(() => evil.closes.includes(1009), 'closed 1009');
    await observer.settled();
    if (JSON.stringify(counts(observer)) !== JSON.stringify(expected)) corrupted++;
    const tried = attacks.length + 2;
    console.log(`hostile harness (real keeper): attacks tried ${tried}, views corrupted ${corrupted}; refusals ${refusals().join(', ')}`);
    assert.equal(corrupted, 0);
    assert.deepEqual(refusals(), ['delete', 'overwrite', 'replay', 'not-owner']);
    const metrics = await k.metrics.registry.getSingleMetricAsString('gather_rejected_total');
    for (const reason of ['delete', 'overwrite', 'replay', 'not-owner']) assert.match(metrics, new RegExp(`reason="${reason}"\\} 1`));
    evil.destroy();

    // The keeper kept every ballot apart from the document. Damage its stored document while the
    // room is unloaded (as an update from an older keeper might have): reloading puts them back.
    observer.destroy();
    for (const m of models) m.destroy();
    for (const c of honest) c.destroy();
    await until(() => k.keeper.roomCount === 0, 'room unloaded', 10_000);
    const stored = await k.store.doc(room);
    const damage = new Y.Doc();
    Y.applyUpdate(damage, Y.encodeStateAsUpdate(stored));
    const sv = Y.encodeStateVector(damage);
    damage.transact(() => {
      for (const voter of voters) damage.getMap(SCOPE).delete(ballotKey(voter.publicKey));
    });
    await k.store.append(room, Y.encodeStateAsUpdate(damage, sv));
    stored.destroy();
    const newcomer = new KeeperClient(k.syncUrl, room);
    await newcomer.waitSynced();
    const fresh = new PollModel(newcomer.doc, 'assembly', config, null, { room, heal: false });
    await until(() => newcomer.doc.getMap(SCOPE).has(victimKey) && newcomer.doc.getMap(SCOPE).has(ballotKey(voters[2]!.publicKey)), 'the keeper put the ballots back');
    await fresh.settled();
    await until(() => fresh.view.total === 3, 'three ballots');
    assert.deepEqual(counts(fresh), expected);
    assert.ok(k.logs.some((l) => l.event === 'restored' && l.room === room && (l.entries as number) >= 3));
    fresh.destroy();
    newcomer.destroy();
  });
});
