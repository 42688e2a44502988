// Every poll kind through the model: peers converge to tally(config, final ballots); closing by
// time and by an organizer; hidden results; what a hostile or late ballot gets.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import * as prng from 'lib0/prng';
import { GatherError } from '../../src/errors.js';
import { signEntry } from '../../src/identity/entries.js';
import { createSigner } from '../../src/identity/keys.js';
import type { Signer } from '../../src/identity/types.js';
import { entryKey } from '../../src/models/entry-key.js';
import { MAX_CLOCK_SKEW_MS } from '../../src/models/order.js';
import { ballotKey, PollModel, pollScope } from '../../src/models/poll.js';
import type { Ballot, PollConfig, PollKind } from '../../src/models/poll.types.js';
import { tally } from '../../src/models/tally/index.js';
import { MemoryNetwork } from '../../src/room/memory-room.js';
import type { RoomOptions } from '../../src/room/types.js';

const ROOM_OPTIONS: RoomOptions = { signaling: [], iceServers: [], password: null, persist: false };
const OPTIONS = ['a', 'b', 'c', 'd'].map((id) => ({ id, label: id.toUpperCase() }));
const isCode = (code: string) => (error: unknown) => error instanceof GatherError && error.code === code;

const configs: Record<PollKind, PollConfig> = {
  single: { kind: 'single', question: 'Q', options: OPTIONS, results: 'always' },
  multiple: { kind: 'multiple', question: 'Q', options: OPTIONS, max: 2, results: 'always' },
  ranked: { kind: 'ranked', question: 'Q', options: OPTIONS, results: 'always' },
  score: { kind: 'score', question: 'Q', options: OPTIONS, min: 0, max: 3, results: 'always' },
  consent: { kind: 'consent', question: 'Q', options: [], results: 'always' },
  time: { kind: 'time', question: 'Q', options: OPTIONS, results: 'always' },
};

/** A random valid ballot of `kind`. */
const randomBallot = (gen: prng.PRNG, kind: PollKind): Ballot => {
  const ids = OPTIONS.map((o) => o.id);
  const shuffled = () => [...ids].sort(() => prng.real53(gen) - 0.5);
  switch (kind) {
    case 'single':
      return prng.oneOf(gen, ids);
    case 'multiple':
      return shuffled().slice(0, prng.int32(gen, 0, 2));
    case 'ranked':
      return shuffled().slice(0, prng.int32(gen, 1, 4));
    case 'score':
      return Object.fromEntries(shuffled().slice(0, prng.int32(gen, 0, 4)).map((id) => [id, prng.int32(gen, 0, 3)]));
    case 'consent':
      return prng.bool(gen) ? { stance: prng.oneOf(gen, ['agree', 'abstain', 'disagree', 'block'] as const) } : { stance: 'block', reason: 'not yet' };
    case 'time':
      return Object.fromEntries(shuffled().slice(0, prng.int32(gen, 0, 4)).map((id) => [id, prng.oneOf(gen, ['yes', 'maybe', 'no'] as const)]));
  }
};

let signers: Signer[] = [];
before(async () => {
  signers = await Promise.all(Array.from({ length: 5 }, (_, i) => createSigner(i % 2 ? 'ECDSA-P256' : 'Ed25519')));
});

describe('every kind converges to the tally of the final ballots', () => {
  for (const kind of Object.keys(configs) as PollKind[]) {
    test(kind, async () => {
      const config = configs[kind];
      let diverged = 0;
      for (let seed = 1; seed <= 4; seed++) {
        const network = new MemoryNetwork({ delivery: 'manual', seed });
        const gen = prng.create(seed * 31 + kind.length);
        const sources = [network.source(), network.source(), network.source()];
        const voters = signers.map((signer, i) => new PollModel(sources[i % 3]!.acquire('r', ROOM_OPTIONS).doc, 'p', config, signer, { room: 'r' }));
        for (let step = 0; step < 50; step++) {
          const r = prng.real53(gen);
          const voter = prng.oneOf(gen, voters);
          if (r < 0.35) await voter.vote(randomBallot(gen, kind));
          else if (r < 0.4) await voter.retract();
          else if (r < 0.85) for (let n = prng.int32(gen, 1, 5); n > 0; n--) network.deliverRandom();
          else if (r < 0.93) network.disconnect(prng.oneOf(gen, sources));
          else network.reconnect(prng.oneOf(gen, sources));
        }
        await Promise.all(voters.map((v) => v.settled()));
        if (voters.some((v) => JSON.stringify({ ...v.view, mine: null }) !== JSON.stringify({ ...voters[0]!.view, mine: null }))) diverged++;
        network.reconnectAll();
        network.flushAll();
        await Promise.all(voters.map((v) => v.settled()));
        const { ballots, results } = voters[0]!.export();
        assert.deepEqual(tally(config, ballots), results);
        const { total, options, reasons, ...rest } = results;
        for (const voter of voters) {
          const { kind: k, question, total: t, options: o, reasons: re, mine: _mine, closed, resultsVisible, closes, quorum, ...others } = voter.view;
          assert.deepEqual([k, question, t, o, re, closed, resultsVisible, closes, quorum], [kind, 'Q', total, options, reasons, false, true, null, null], `seed ${seed}`);
          assert.deepEqual(others, rest, `seed ${seed}`);
        }
        voters.forEach((v) => v.destroy());
        network.destroy();
      }
      assert.ok(diverged > 0, 'the simulated network never split the peers');
    });
  }
});

describe('closing', () => {
  test('closes="…": a ballot signed after it does not count, and the poll says it is closed', async () => {
    let clock = Date.parse('2026-12-01T12:00:00Z');
    const now = () => clock;
    const config: PollConfig = { ...configs.single, closes: '2026-12-01T13:00:00Z' };
    const doc = new Y.Doc();
    const [early, late] = [new PollModel(doc, 'p', config, signers[0]!, { now }), new PollModel(doc, 'p', config, signers[1]!, { now })];
    await early.vote('a');
    assert.equal(early.view.closed, false);
    await late.settled(); // its view is derived while open; a vote after closes is refused all the same
    clock = Date.parse('2026-12-01T13:30:00Z');
    early.setConfig({ ...config, question: 'Q, edited' }); // a change of the page derives again, at the new time
    await assert.rejects(late.vote('b'), isCode('closed'));
    // A voter whose clock is past the closing time, writing directly: does not count.
    doc.getMap(pollScope('p')).set(ballotKey(signers[2]!.publicKey), await signEntry(signers[2]!, { type: 'ballot', scope: pollScope('p'), ballot: 'b' }, clock));
    await early.settled();
    assert.equal(early.view.closed, true);
    assert.equal(early.view.total, 1);
    early.destroy();
    late.destroy();
  });

  test('an organizer closes: the set freezes (a backdated ballot gains nothing); a close by anyone else is ignored; reopening counts again', async () => {
    const doc = new Y.Doc();
    const organizers = [signers[0]!.publicKey];
    const [org, alice, bob] = [0, 1, 2].map((i) => new PollModel(doc, 'p', configs.single, signers[i]!, { organizers }));
    await alice!.vote('a');
    await bob!.vote('b');
    // Bob, no organizer, signs a close: ignored.
    doc.getMap(pollScope('p')).set(entryKey('close', signers[2]!.publicKey), await signEntry(signers[2]!, { type: 'close', scope: pollScope('p'), closed: true, count: 0 }));
    await alice!.settled();
    assert.equal(alice!.view.closed, false);
    await assert.rejects(alice!.close(), isCode('not-organizer'));

    await org!.close();
    await alice!.settled();
    assert.equal(alice!.view.closed, true);
    assert.equal(alice!.view.total, 2);
    await assert.rejects(alice!.vote('c'), isCode('closed'));
    // Carol backdates a ballot to before the close: the frozen set does not hold it.
    doc.getMap(pollScope('p')).set(ballotKey(signers[3]!.publicKey), await signEntry(signers[3]!, { type: 'ballot', scope: pollScope('p'), ballot: 'c' }, 1000));
    await alice!.settled();
    assert.deepEqual(alice!.view.options.map((o) => o.count), [1, 1, 0, 0]);

    await org!.reopen();
    await alice!.settled();
    assert.equal(alice!.view.closed, false);
    assert.deepEqual(alice!.view.options.map((o) => o.count), [1, 1, 1, 0]);
    for (const m of [org, alice, bob]) m!.destroy();
  });

  test('a close of a large poll is spread over parts, and counts exactly its ballots once they are all there', async () => {
    const doc = new Y.Doc();
    const organizers = [signers[0]!.publicKey];
    const voters = await Promise.all(Array.from({ length: 450 }, () => createSigner('Ed25519')));
    const map = doc.getMap(pollScope('p'));
    for (const v of voters) map.set(ballotKey(v.publicKey), await signEntry(v, { type: 'ballot', scope: pollScope('p'), ballot: 'a' }, 1000));
    const org = new PollModel(doc, 'p', configs.single, signers[0]!, { organizers });
    await org.settled();
    await org.close();
    const parts = [...map.keys()].filter((key) => key.startsWith('closeset:'));
    assert.equal(parts.length, 3);
    const copy = new Y.Doc();
    // A peer that has the close but only two of its parts: provisional (ballots signed before it).
    const update = Y.encodeStateAsUpdate(doc);
    Y.applyUpdate(copy, update);
    copy.getMap(pollScope('p')).delete(parts[2]!);
    const reader = new PollModel(copy, 'p', configs.single, null, { organizers });
    await reader.settled();
    assert.equal(reader.view.closed, true);
    assert.equal(reader.view.total, 450);
    org.destroy();
    reader.destroy();
  });
});

describe('results visibility, reasons, quorum, export', () => {
  test('after-vote: counts are null until this visitor votes; the number of voters shows all along', async () => {
    const doc = new Y.Doc();
    const config: PollConfig = { ...configs.single, results: 'after-vote' };
    const [a, b] = [new PollModel(doc, 'p', config, signers[0]!), new PollModel(doc, 'p', config, signers[1]!)];
    await a.vote('a', { reason: 'closest to the bus' });
    await b.settled();
    assert.equal(b.view.resultsVisible, false);
    assert.equal(b.view.total, 1);
    assert.deepEqual(b.view.options.map((o) => o.count), [null, null, null, null]);
    assert.equal(b.view.reasons, null);
    assert.equal(a.view.resultsVisible, true);
    assert.deepEqual(a.view.reasons, [{ author: signers[0]!.publicKey, reason: 'closest to the bus' }]);
    await assert.rejects(a.vote('a', { reason: 'x'.repeat(501) }), isCode('invalid-ballot'));
    a.destroy();
    b.destroy();
  });

  test('after-close hides even from voters; ranked hides rounds too; quorum is carried', async () => {
    const doc = new Y.Doc();
    const config: PollConfig = { ...configs.ranked, results: 'after-close', quorum: 20 };
    const a = new PollModel(doc, 'p', config, signers[0]!);
    await a.vote(['b', 'a']);
    assert.deepEqual([a.view.resultsVisible, a.view.rounds, a.view.winner, a.view.quorum], [false, null, null, 20]);
    assert.deepEqual(a.view.mine, ['b', 'a']);
    a.destroy();
  });

  test('vote() refuses what the kind does not allow, with the reason', async () => {
    const doc = new Y.Doc();
    const multiple = new PollModel(doc, 'm', configs.multiple, signers[0]!);
    await assert.rejects(multiple.vote(['a', 'b', 'c']), isCode('invalid-ballot'));
    await assert.rejects(multiple.vote(['zz']), isCode('unknown-option'));
    const score = new PollModel(doc, 's', configs.score, signers[0]!);
    await assert.rejects(score.vote({ a: 4 }), isCode('invalid-ballot'));
    await score.vote({ a: 3, c: 0 });
    assert.deepEqual(score.view.mine, { a: 3, c: 0 });
    assert.deepEqual(score.view.options.map((o) => o.mean), [3, null, 0, null]);
    multiple.destroy();
    score.destroy();
  });

  test('a ballot stamped far ahead waits; a malformed one never counts', async () => {
    const doc = new Y.Doc();
    const reader = new PollModel(doc, 'p', configs.single, null);
    const map = doc.getMap(pollScope('p'));
    map.set(ballotKey(signers[1]!.publicKey), await signEntry(signers[1]!, { type: 'ballot', scope: pollScope('p'), ballot: 'a' }, Date.now() + MAX_CLOCK_SKEW_MS + 60_000));
    map.set(ballotKey(signers[2]!.publicKey), await signEntry(signers[2]!, { type: 'ballot', scope: pollScope('p'), ballot: { not: 'a ballot' } }));
    map.set(ballotKey(signers[3]!.publicKey), await signEntry(signers[3]!, { type: 'ballot', scope: pollScope('p'), ballot: 'b' }));
    await reader.settled();
    assert.deepEqual(reader.view.options.map((o) => o.count), [0, 1, 0, 0]);
    reader.destroy();
  });

  test('export(): JSON anyone can recount, and CSV with one row per ballot (no voter column when anonymous)', async () => {
    const doc = new Y.Doc();
    const config: PollConfig = { ...configs.consent, anonymous: true };
    const models = signers.slice(0, 3).map((s) => new PollModel(doc, 'c', config, s));
    await models[0]!.vote({ stance: 'agree' });
    await models[1]!.vote({ stance: 'block', reason: 'We said "no", twice' });
    await models[2]!.vote({ stance: 'abstain' });
    await models[0]!.settled();
    const exported = models[0]!.export();
    assert.deepEqual(tally(exported.config, exported.ballots), exported.results);
    assert.deepEqual(exported.results.reasons, [{ author: null, stance: 'block', reason: 'We said "no", twice' }]);
    const csv = models[0]!.exportCsv().trimEnd().split('\r\n');
    assert.equal(csv[0], 'signed_at,ballot,reason');
    assert.equal(csv.length, 4);
    assert.ok(csv.some((row) => row.endsWith(',"{""stance"":""block"",""reason"":""We said \\""no\\"", twice""}","We said ""no"", twice"')), csv.join('\n'));
    models.forEach((m) => m.destroy());
  });
});
