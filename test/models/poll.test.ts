import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import * as prng from 'lib0/prng';
import { fromBase64url, toBase64url } from '../../src/identity/base64url.js';
import { canonicalBytes } from '../../src/identity/canonical.js';
import { roomTag, signCompactEntry, signEntry } from '../../src/identity/entries.js';
import { VerificationCache, verifyEntry } from '../../src/identity/verification.js';
import { GatherError } from '../../src/errors.js';
import { createSigner } from '../../src/identity/keys.js';
import type { Signer } from '../../src/identity/types.js';
import type { ViewOrigin } from '../../src/models/model.types.js';
import { BALLOT_FIELDS, ballotKey, PollModel, pollScope } from '../../src/models/poll.js';
import { tally } from '../../src/models/tally/index.js';
import type { PollConfig, PollView } from '../../src/models/poll.types.js';
import { MemoryNetwork } from '../../src/room/memory-room.js';
import type { RoomOptions } from '../../src/room/types.js';

const ROOM_OPTIONS: RoomOptions = { signaling: [], iceServers: [], password: null, persist: false };

/** Results always shown, so that every peer's counts can be compared (visibility has its own tests). */
const config: PollConfig = {
  question: 'Which evening works?',
  options: [
    { id: 'tue', label: 'Tuesday' },
    { id: 'wed', label: 'Wednesday' },
    { id: 'thu', label: 'Thursday' },
  ],
  results: 'always',
};
const optionIds = config.options.map(({ id }) => id);

const counts = (view: Pick<PollView, 'options'>): Record<string, number> => Object.fromEntries(view.options.map(({ id, count }) => [id, count as number]));

const isCode = (code: string) => (error: unknown) => error instanceof GatherError && error.code === code;

/** Signs any fields as they are, with no checks: how a hostile peer would. */
const rawSign = async (signer: Signer, fields: Record<string, unknown>): Promise<Record<string, unknown>> => ({
  ...fields,
  sig: toBase64url(await signer.sign(canonicalBytes(fields))),
});

let signers: Signer[] = [];
before(async () => {
  signers = [await createSigner('Ed25519'), await createSigner('ECDSA-P256'), await createSigner('Ed25519'), await createSigner('Ed25519'), await createSigner('ECDSA-P256')];
});

describe('poll basics', () => {
  test('export: the results and the signed ballots behind them, which verify and count again to the same view', async () => {
    const doc = new Y.Doc();
    const models = signers.slice(0, 4).map((signer) => new PollModel(doc, 'evening', config, signer));
    await models[0]!.vote('tue');
    await models[1]!.vote('thu');
    await models[2]!.vote('thu');
    await models[3]!.vote('wed');
    await models[3]!.retract();
    await models[0]!.settled();

    const exported = models[0]!.export();
    assert.equal(exported.total, 3);
    assert.deepEqual(counts({ ...models[0]!.view, options: exported.options }), { tue: 1, wed: 0, thu: 2 });
    assert.equal(exported.ballots.length, 4, 'the retraction is exported too');
    const cache = new VerificationCache();
    for (const ballot of exported.ballots) assert.equal(await cache.verify(ballot), true);
    assert.deepEqual(tally(exported.config, exported.ballots), exported.results, 'anyone can count again');
    assert.deepEqual(exported.results.options, exported.options);
    assert.deepEqual(JSON.parse(JSON.stringify(exported)), exported, 'plain JSON');
    for (const model of models) model.destroy();
  });

  test('vote, change vote, retract', async () => {
    const doc = new Y.Doc();
    const [alice, bob] = signers as [Signer, Signer];
    const a = new PollModel(doc, 'evening', config, alice);
    const b = new PollModel(doc, 'evening', config, bob);
    assert.deepEqual(a.view, {
      kind: 'single',
      question: config.question,
      options: config.options.map((o) => ({ ...o, count: 0 })),
      total: 0,
      mine: null,
      closed: false,
      resultsVisible: true,
      closes: null,
      quorum: null,
      reasons: [],
    });

    await a.vote('tue');
    await b.settled();
    assert.deepEqual(counts(a.view), { tue: 1, wed: 0, thu: 0 });
    assert.equal(a.view.total, 1);
    assert.equal(a.view.mine, 'tue');
    assert.equal(b.view.mine, null);
    assert.deepEqual(counts(b.view), counts(a.view));

    await b.vote('thu');
    await a.vote('thu'); // change of mind
    await b.settled();
    assert.deepEqual(counts(a.view), { tue: 0, wed: 0, thu: 2 });
    assert.equal(a.view.total, 2);
    assert.equal(a.view.mine, 'thu');
    assert.equal(b.view.mine, 'thu');

    await a.retract();
    await b.settled();
    assert.deepEqual(counts(b.view), { tue: 0, wed: 0, thu: 1 });
    assert.equal(b.view.total, 1);
    assert.equal(a.view.mine, null);
    // The retraction is a signed tombstone, not a deletion: a compact entry, exported as a null ballot.
    const tombstone = doc.getMap(pollScope('evening')).get(ballotKey(alice.publicKey));
    assert.ok(tombstone instanceof Uint8Array);
    const exported = b.export().ballots.find((ballot) => ballot.author === alice.publicKey)!;
    assert.equal((exported as { ballot?: unknown }).ballot, null);
    assert.equal(await verifyEntry(exported), true);
    a.destroy();
    b.destroy();
  });

  test('views are deeply frozen', async () => {
    const model = new PollModel(new Y.Doc(), 'p', config, signers[0]!);
    await model.vote('wed');
    const { view } = model;
    assert.ok(Object.isFrozen(view));
    assert.ok(Object.isFrozen(view.options));
    assert.ok(view.options.every((o) => Object.isFrozen(o)));
    assert.throws(() => {
      (view as { total: number }).total = 9;
    }, TypeError);
    model.destroy();
  });

  test('an unknown option throws a clear error and changes nothing', async () => {
    const doc = new Y.Doc();
    const model = new PollModel(doc, 'p', config, signers[0]!);
    await model.vote('tue');
    const before = model.view;
    const map = doc.getMap(pollScope('p'));
    const stored = map.get(ballotKey(signers[0]!.publicKey));
    for (const bad of ['fri', '', 'x'.repeat(200), 42 as unknown as string]) {
      await assert.rejects(model.vote(bad), isCode('unknown-option'));
    }
    await model.settled();
    assert.equal(model.view, before);
    assert.equal(map.get(ballotKey(signers[0]!.publicKey)), stored);
    assert.equal(map.size, 1);
    model.destroy();
  });

  test('a read-only model refuses commands; a destroyed one too', async () => {
    const doc = new Y.Doc();
    const readOnly = new PollModel(doc, 'p', config, null);
    await assert.rejects(readOnly.vote('tue'), isCode('no-signer'));
    await assert.rejects(readOnly.retract(), isCode('no-signer'));
    const model = new PollModel(doc, 'p', config, signers[0]!);
    let calls = 0;
    model.subscribe(() => calls++);
    model.destroy();
    await assert.rejects(model.vote('tue'), isCode('destroyed'));
    await new PollModel(doc, 'p', config, signers[1]!).vote('tue');
    await readOnly.settled();
    assert.equal(calls, 0);
    assert.equal(readOnly.view.total, 1);
    assert.equal(doc.getMap(pollScope('p')).size, 1);
  });

  test('quick successive votes land in order', async () => {
    const model = new PollModel(new Y.Doc(), 'p', config, signers[0]!);
    await Promise.all([model.vote('tue'), model.vote('wed'), model.vote('thu'), model.retract(), model.vote('wed')]);
    assert.equal(model.view.mine, 'wed');
    assert.equal(model.view.total, 1);
  });

  test('setConfig derives again; ballots for options the page dropped do not count', async () => {
    const doc = new Y.Doc();
    const model = new PollModel(doc, 'p', config, signers[0]!);
    const other = new PollModel(doc, 'p', config, signers[1]!);
    await model.vote('tue');
    await other.vote('thu');
    await model.settled(); // model verifies other's ballot on its own schedule
    const origins: ViewOrigin[] = [];
    model.subscribe((_view, origin) => origins.push(origin));
    model.setConfig({ question: 'Which day?', options: [{ id: 'thu', label: 'Thu' }, { id: 'fri', label: 'Fri' }], results: 'always' });
    assert.equal(model.view.question, 'Which day?');
    assert.deepEqual(counts(model.view), { thu: 1, fri: 0 });
    assert.equal(model.view.total, 1);
    assert.equal(model.view.mine, null);
    assert.deepEqual(origins, ['config'], 'the page changed it: no change event for it');
    model.setConfig(config);
    assert.equal(model.view.mine, 'tue');
    assert.equal(model.view.total, 2);
  });

  test('a model on a doc that already holds ballots derives them', async () => {
    const doc = new Y.Doc();
    await new PollModel(doc, 'p', config, signers[0]!).vote('tue');
    await new PollModel(doc, 'p', config, signers[1]!).vote('wed');
    const late = new PollModel(doc, 'p', config, signers[0]!);
    await late.settled();
    assert.deepEqual(counts(late.view), { tue: 1, wed: 1, thu: 0 });
    assert.equal(late.view.mine, 'tue');
  });

  test('polls with different names in one doc are independent', async () => {
    const doc = new Y.Doc();
    const one = new PollModel(doc, 'one', config, signers[0]!);
    const two = new PollModel(doc, 'two', config, signers[0]!);
    await one.vote('tue');
    await two.settled();
    assert.equal(two.view.total, 0);
  });
});

describe('poll convergence', () => {
  const SEEDS = 20;
  /** Seeds where the peers disagreed before the final flush: proof the network really split them. */
  let diverged = 0;
  for (let seed = 1; seed <= SEEDS; seed++) {
    test(`seed ${seed}: three peers with random delivery, disconnects and votes agree`, async () => {
      const network = new MemoryNetwork({ delivery: 'manual', seed });
      const gen = prng.create(seed * 7919 + 17);
      const sources = [network.source(), network.source(), network.source()];
      const rooms = sources.map((source) => source.acquire('assembly', ROOM_OPTIONS));
      const caches = rooms.map(() => new VerificationCache());
      const observers = rooms.map((room, i) => new PollModel(room.doc, 'evening', config, null, { cache: caches[i]! }));
      const voters = signers.map((signer, i) => ({
        signer,
        model: new PollModel(rooms[i % 3]!.doc, 'evening', config, signer, { cache: caches[i % 3]! }),
      }));
      const latest = new Map<string, string | null>();
      const act = async (voter: (typeof voters)[number]): Promise<void> => {
        if (prng.real53(gen) < 0.2) {
          latest.set(voter.signer.publicKey, null);
          await voter.model.retract();
        } else {
          const choice = prng.oneOf(gen, optionIds);
          latest.set(voter.signer.publicKey, choice);
          await voter.model.vote(choice);
        }
      };

      for (let step = 0; step < 80; step++) {
        const r = prng.real53(gen);
        if (r < 0.35) {
          await act(prng.oneOf(gen, voters));
        } else if (r < 0.45) {
          // Two voters at once (possibly on the same peer).
          const [x, y] = [prng.oneOf(gen, voters), prng.oneOf(gen, voters)];
          if (x === y) await act(x);
          else await Promise.all([act(x), act(y)]);
        } else if (r < 0.85) {
          for (let n = prng.int32(gen, 1, 6); n > 0; n--) network.deliverRandom();
          if (prng.bool(gen)) await Promise.all(observers.map((o) => o.settled()));
        } else if (r < 0.93) {
          network.disconnect(prng.oneOf(gen, sources));
        } else {
          network.reconnect(prng.oneOf(gen, sources));
        }
      }

      await Promise.all(observers.map((o) => o.settled()));
      if (observers.some((o) => !(JSON.stringify(o.view) === JSON.stringify(observers[0]!.view)))) diverged++;

      network.reconnectAll();
      network.flushAll();
      assert.equal(network.pending, 0);
      const models = [...observers, ...voters.map((v) => v.model)];
      await Promise.all(models.map((m) => m.settled()));

      const expectedTotal = [...latest.values()].filter((choice) => choice !== null).length;
      const expectedCounts = Object.fromEntries(optionIds.map((id) => [id, [...latest.values()].filter((c) => c === id).length]));
      const reference = observers[0]!.view;
      for (const observer of observers) assert.deepEqual(observer.view, reference);
      assert.equal(reference.total, expectedTotal);
      assert.deepEqual(counts(reference), expectedCounts);
      assert.equal(reference.options.reduce((sum, o) => sum + (o.count as number), 0), reference.total);
      for (const { signer, model } of voters) {
        assert.deepEqual({ ...model.view, mine: null }, reference);
        assert.equal(model.view.mine, latest.get(signer.publicKey) ?? null);
      }
      for (const room of rooms) assert.equal(room.status.state, 'online');
      assert.equal(rooms[0]!.status.peers, 2);
      models.forEach((m) => m.destroy());
      network.destroy();
    });
  }

  test('the simulated network did split the peers', () => {
    assert.ok(diverged >= SEEDS / 2, `only ${diverged} of ${SEEDS} seeds diverged before the final flush`);
  });
});

describe('hostile map contents', () => {
  test('forged, malformed and misplaced entries are ignored; honest ballots count', async () => {
    const hostileConfig: PollConfig = { ...config, options: [...config.options, { id: 'x'.repeat(65), label: 'Long' }] };
    const network = new MemoryNetwork();
    const [here, there] = [network.source(), network.source()];
    const roomHere = here.acquire('r', ROOM_OPTIONS);
    const roomThere = there.acquire('r', ROOM_OPTIONS);
    const [honest1, honest2] = signers as [Signer, Signer];
    const model = new PollModel(roomHere.doc, 'evening', hostileConfig, honest1);
    const peer = new PollModel(roomThere.doc, 'evening', hostileConfig, honest2);
    const views: PollView[] = [];
    model.subscribe((view) => views.push(view));
    await model.vote('tue');
    await peer.vote('wed');

    const mallory = await createSigner('Ed25519');
    const victim = await createSigner('ECDSA-P256');
    const scope = pollScope('evening');
    const ballot = (choices: unknown, extra: Record<string, unknown> = {}, signer = mallory) =>
      signEntry(signer, { type: 'ballot', scope, choices, ...extra } as { type: string; scope: string; choices: unknown });
    const valid = await ballot(['thu']);
    const badSig = { ...valid, sig: toBase64url(fromBase64url(valid.sig)!.map((b, i) => (i === 5 ? b ^ 1 : b))) };
    const otherScope = await signEntry(mallory, { type: 'ballot', scope: pollScope('other'), choices: ['thu'] });
    const wrongType = await signEntry(mallory, { type: 'close', scope, choices: ['thu'] });
    const huge = await rawSign(mallory, { v: 1, type: 'ballot', scope, author: mallory.publicKey, alg: mallory.alg, ts: 1, choices: ['thu'], pad: 'p'.repeat(5000) });
    const yMap = new Y.Map<unknown>();
    const hostile: [string, unknown][] = [
      [ballotKey(mallory.publicKey), badSig],
      [ballotKey(victim.publicKey), valid], // X's valid entry copied under Y's key
      ['ballot:', valid],
      ['whatever', valid],
      [ballotKey(mallory.publicKey) + ' ', valid],
      [ballotKey(victim.publicKey), otherScope],
      ['ballot:' + otherScope.author, otherScope],
      ['ballot:' + wrongType.author, wrongType],
      ['ballot:' + mallory.publicKey, huge],
      ['ballot:' + mallory.publicKey, await ballot(['fri'])], // unknown option
      ['ballot:' + mallory.publicKey, await ballot(['tue', 'wed'])], // two choices
      ['ballot:' + mallory.publicKey, await ballot(['x'.repeat(65)])], // oversized option id
      ['ballot:' + mallory.publicKey, await ballot('tue')],
      ['ballot:' + mallory.publicKey, await ballot([1])],
      ['ballot:' + mallory.publicKey, await ballot(null)],
      ['ballot:' + mallory.publicKey, await ballot([['tue']])],
      ['ballot:' + mallory.publicKey, await ballot(Array(100).fill('tue'))],
      ['ballot:' + victim.publicKey, { ...valid, author: victim.publicKey }],
      ['ballot:' + mallory.publicKey, { ...valid, v: 2 }],
      ['ballot:' + mallory.publicKey, { ...valid, alg: 'none' }],
      ['ballot:' + mallory.publicKey, { ...valid, ts: null }],
      ['ballot:' + mallory.publicKey, { ...valid, sig: undefined }],
      ['ballot:' + mallory.publicKey, JSON.parse('{"__proto__": {"v": 1}, "choices": ["tue"]}')],
      ['ballot:' + mallory.publicKey, yMap],
      ['g1', 'a string'],
      ['g2', 42],
      ['g3', NaN],
      ['g4', null],
      ['g5', true],
      ['g6', [1, 'two', { three: 3 }]],
      ['g7', { deeply: { nested: { junk: [[[[{}]]]] } } }],
      ['g8', new Uint8Array([1, 2, 3])],
      ['g9', new Y.Text('text')],
      ['g10', new Y.Array()],
      ['g11', {}],
      ['g12', -0],
      ['', valid],
    ];
    // Written here (local), and there (remote for `model`), in several bursts.
    for (const [i, [key, value]] of hostile.entries()) {
      const doc = i % 2 === 0 ? roomHere.doc : roomThere.doc;
      doc.transact(() => {
        const map = doc.getMap(scope);
        map.set(key, value instanceof Y.AbstractType ? (i % 2 === 0 ? value : new Y.Map()) : value);
      });
      if (i % 5 === 0) await model.settled();
    }
    yMap.set('v', 1);
    await model.settled();
    await peer.settled();

    for (const m of [model, peer]) {
      assert.deepEqual(counts(m.view), { tue: 1, wed: 1, thu: 0, ['x'.repeat(65)]: 0 });
      assert.equal(m.view.total, 2);
    }
    assert.equal(model.view.mine, 'tue');
    assert.equal(peer.view.mine, 'wed');
    for (const view of views) assert.ok(view.total <= 2);

    // A genuine ballot under its own key still counts among all that junk: a new one (`valid`
    // again would be a replay of an older ballot of its author's, which the model does not count).
    roomThere.doc.getMap(scope).set(ballotKey(mallory.publicKey), await signEntry(mallory, { type: 'ballot', scope, choices: ['thu'] }, Date.now() + 1000));
    await model.settled();
    assert.equal(model.view.total, 3);
    assert.equal(counts(model.view)['thu'], 1);
    model.destroy();
    peer.destroy();
    network.destroy();
  });

  test('a type clash on the root name is not the model\'s to survive, but junk root content is', async () => {
    const doc = new Y.Doc();
    const map = doc.getMap<unknown>(pollScope('p'));
    for (let i = 0; i < 50; i++) map.set(String(i), i % 3 === 0 ? { v: 1, type: 'ballot', scope: pollScope('p'), author: 'A'.repeat(43), alg: 'Ed25519', ts: i, sig: 'A'.repeat(86), choices: ['tue'] } : i);
    const model = new PollModel(doc, 'p', config, null);
    await model.settled();
    assert.equal(model.view.total, 0);
  });
});

describe('entries bound to their room', () => {
  test('10 ballots copied from room A into room B do not count in B; into a poll of room A they do', async () => {
    const network = new MemoryNetwork();
    const roomA = network.source().acquire('eastside', ROOM_OPTIONS);
    const voters = await Promise.all(Array.from({ length: 10 }, () => createSigner('Ed25519')));
    for (const [i, signer] of voters.entries()) {
      const model = new PollModel(roomA.doc, 'evening', config, signer, { room: 'eastside' });
      await model.vote(optionIds[i % 3]!);
      model.destroy();
    }
    const inA = new PollModel(roomA.doc, 'evening', config, null, { room: 'eastside' });
    await inA.settled();
    assert.equal(inA.view.total, 10);

    // Someone copies room A's whole poll into room B (another document, the same poll name).
    const docB = new Y.Doc();
    const copy = (room: string | undefined, doc = new Y.Doc()) => {
      Y.applyUpdate(doc, Y.encodeStateAsUpdate(roomA.doc));
      return new PollModel(doc, 'evening', config, null, room === undefined ? {} : { room });
    };
    const inB = copy('westside', docB);
    const sameRoom = copy('eastside');
    const noRoom = copy(undefined);
    await Promise.all([inB.settled(), sameRoom.settled(), noRoom.settled()]);
    assert.equal(docB.getMap(pollScope('evening')).size, 10, 'the ballots are there…');
    assert.equal(inB.view.total, 0, '…and do not count in room B');
    assert.equal(noRoom.view.total, 0, 'nor in a document of no room');
    assert.equal(sameRoom.view.total, 10, 'in room A they count');
    assert.deepEqual(counts(sameRoom.view), counts(inA.view));
    // Exported ballots name the room by its tag only, and verify anywhere.
    const exported = inA.export().ballots;
    assert.ok(exported.every((ballot) => ballot.room === roomTag('eastside')));
    assert.ok(!JSON.stringify(exported).includes('eastside'), 'the room name (its join key in an open room) is not exported');
    for (const ballot of exported) assert.equal(await verifyEntry(ballot), true);
    // Room B's own voters count there.
    await new PollModel(docB, 'evening', config, signers[0]!, { room: 'westside' }).vote('tue');
    await inB.settled();
    assert.equal(inB.view.total, 1);
    network.destroy();
  });

  test('the four-argument form is a document of no room, and keeps working', async () => {
    const doc = new Y.Doc();
    const a = new PollModel(doc, 'p', config, signers[0]!);
    const b = new PollModel(doc, 'p', config, signers[1]!);
    await a.vote('wed');
    await b.settled();
    assert.equal(b.view.total, 1);
    assert.equal(a.room, undefined);
    assert.equal(a.export().ballots[0]!.room, undefined);
  });
});

describe('compact ballots and old ones', () => {
  test('a single-choice ballot costs at most 160 bytes of document', async () => {
    const doc = new Y.Doc();
    const n = 40;
    for (let i = 0; i < n; i++) {
      // Each visitor is their own Yjs client, as in a real room.
      const own = new Y.Doc();
      const model = new PollModel(own, 'assembly-day', config, await createSigner('Ed25519'), { room: 'eastside-tenants' });
      await model.vote('tue');
      Y.applyUpdate(doc, Y.encodeStateAsUpdate(own));
      model.destroy();
    }
    const perBallot = Y.encodeStateAsUpdate(doc).length / n;
    assert.ok(perBallot <= 160, `${perBallot} bytes per ballot`);
    const reader = new PollModel(doc, 'assembly-day', config, null, { room: 'eastside-tenants' });
    await reader.settled();
    assert.equal(reader.view.total, n);
  });

  test('v1 ballots written before still count, beside compact ones; a new vote replaces an old ballot', async () => {
    const doc = new Y.Doc();
    const scope = pollScope('evening');
    const [old1, old2, fresh] = signers as [Signer, Signer, Signer];
    const v1 = (signer: Signer, choice: string, ts: number) =>
      rawSign(signer, { v: 1, type: 'ballot', scope, author: signer.publicKey, alg: signer.alg, ts, choices: [choice] });
    doc.transact(() => undefined);
    doc.getMap(scope).set(ballotKey(old1.publicKey), await v1(old1, 'tue', 1000));
    doc.getMap(scope).set(ballotKey(old2.publicKey), await v1(old2, 'thu', 1000.25));
    // A tampered v1 ballot does not count.
    doc.getMap(scope).set(ballotKey(signers[3]!.publicKey), { ...(await v1(signers[3]!, 'tue', 5)), choices: ['wed'] });
    const model = new PollModel(doc, 'evening', config, old2, { room: 'eastside' });
    await new PollModel(doc, 'evening', config, fresh, { room: 'eastside' }).vote('wed');
    await model.settled();
    assert.deepEqual(counts(model.view), { tue: 1, wed: 1, thu: 1 });
    assert.equal(model.view.mine, 'thu');
    const exported = model.export().ballots;
    assert.deepEqual(exported.map((b) => b.v).sort(), [1, 1, 2]);
    for (const ballot of exported) assert.equal(await verifyEntry(ballot), true);
    // old2 changes their mind: the compact ballot replaces the v1 one under the same key, later in time.
    await model.vote('tue');
    assert.deepEqual(counts(model.view), { tue: 2, wed: 1, thu: 0 });
    assert.ok(doc.getMap(scope).get(ballotKey(old2.publicKey)) instanceof Uint8Array);
    assert.ok(model.export().ballots.find((b) => b.author === old2.publicKey)!.ts > 1000.25);
  });

  test('compact junk and forged compact ballots are ignored', async () => {
    const doc = new Y.Doc();
    const model = new PollModel(doc, 'evening', config, signers[0]!, { room: 'r' });
    await model.vote('tue');
    const good = doc.getMap(pollScope('evening')).get(ballotKey(signers[0]!.publicKey)) as Uint8Array;
    const map = doc.getMap(pollScope('evening'));
    doc.transact(() => {
      // signers[1]'s key holding signers[0]'s ballot, flipped copies, random bytes.
      map.set(ballotKey(signers[1]!.publicKey), good);
      for (let i = 0; i < good.length; i += 7) {
        const flipped = good.slice();
        flipped[i]! ^= 0x40;
        map.set(`ballot:${signers[2 + (i % 3)]!.publicKey}${i === 0 ? '' : ':' + i}`, flipped);
      }
      map.set('ballot:', good);
      map.set('ballot', good);
      map.set(':' + signers[0]!.publicKey, good);
      map.set('ballot:' + 'A'.repeat(43), Uint8Array.from({ length: 90 }, (_, i) => i));
    });
    await model.settled();
    assert.equal(model.view.total, 1);
    assert.equal(model.view.mine, 'tue');
  });
});

describe('verification progress', () => {
  test('a long first sync is verified in slices, reporting progress up to the total', async () => {
    const source = new Y.Doc();
    const n = 1500;
    const voters = await Promise.all(Array.from({ length: n }, () => createSigner('Ed25519')));
    for (const [i, signer] of voters.entries()) {
      const { stored } = await signCompactEntry(signer, { type: 'ballot', scope: pollScope('big'), room: roomTag('r'), ballot: optionIds[i % 3]! }, 1000 + i, 'ballot', () => BALLOT_FIELDS);
      source.getMap(pollScope('big')).set(ballotKey(signer.publicKey), stored);
    }
    const doc = new Y.Doc();
    const model = new PollModel(doc, 'big', config, null, { room: 'r' });
    const seen: { verified: number; total: number }[] = [];
    model.subscribeProgress((progress) => seen.push(progress));
    let ticks = 0;
    // Something else that wants the main thread: it runs during the sync, not after it.
    const ticker = setInterval(() => ticks++, 0);
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(source));
    await model.settled();
    clearInterval(ticker);
    assert.equal(model.view.total, n);
    assert.deepEqual(counts(model.view), { tue: 500, wed: 500, thu: 500 });
    assert.deepEqual(model.progress, { verified: n, total: n });
    assert.ok(seen.length >= 3, `progress reported in steps (${seen.length})`);
    assert.ok(seen.every((p, i) => p.total === n && p.verified <= n && (i === 0 || p.verified >= seen[i - 1]!.verified)));
    assert.ok(ticks > 0, 'the event loop ran between slices');
  });
});

describe('change origin', () => {
  test('a local vote reports local, a synced one remote', async () => {
    const network = new MemoryNetwork();
    const [s1, s2] = [network.source(), network.source()];
    const a = new PollModel(s1.acquire('r', ROOM_OPTIONS).doc, 'p', config, signers[0]!);
    const b = new PollModel(s2.acquire('r', ROOM_OPTIONS).doc, 'p', config, signers[1]!);
    const seenA: ViewOrigin[] = [];
    const seenB: ViewOrigin[] = [];
    a.subscribe((_v, origin) => seenA.push(origin));
    b.subscribe((_v, origin) => seenB.push(origin));

    await a.vote('tue');
    await b.settled();
    assert.deepEqual(seenA, ['local']);
    assert.deepEqual(seenB, ['remote']);

    await b.vote('wed');
    await a.settled();
    assert.deepEqual(seenA, ['local', 'remote']);
    assert.deepEqual(seenB, ['remote', 'local']);
    network.destroy();
  });

  test('a batch mixing local and remote transactions is remote; unchanged views are not published', async () => {
    const network = new MemoryNetwork({ delivery: 'manual', seed: 3 });
    const [s1, s2] = [network.source(), network.source()];
    const a = new PollModel(s1.acquire('r', ROOM_OPTIONS).doc, 'p', config, signers[0]!);
    const b = new PollModel(s2.acquire('r', ROOM_OPTIONS).doc, 'p', config, signers[1]!);
    await b.vote('wed');
    const seen: ViewOrigin[] = [];
    a.subscribe((_v, origin) => seen.push(origin));
    const voting = a.vote('tue');
    // Deliver b's ballot while a's own vote is being signed and derived.
    network.flushAll();
    await voting;
    await a.settled();
    assert.equal(a.view.total, 2);
    assert.ok(seen.includes('remote'));
    const before = seen.length;
    await a.vote('tue'); // same choice again: a new entry, the same view
    assert.equal(seen.length, before);
    network.destroy();
  });
});

describe('memory network', () => {
  test('status, reference counting, reconnect sync', async () => {
    const network = new MemoryNetwork({ delivery: 'manual', seed: 1 });
    const [s1, s2] = [network.source(), network.source()];
    const r1 = s1.acquire('room', ROOM_OPTIONS);
    assert.deepEqual(r1.status, { state: 'online', peers: 0, saved: false, keeper: 'none', unsaved: 0 });
    const statuses: number[] = [];
    r1.on('status', (status) => statuses.push(status.peers));
    const r2 = s2.acquire('room', ROOM_OPTIONS);
    assert.equal(s2.acquire('room', ROOM_OPTIONS), r2);
    assert.equal(r1.status.peers, 1);
    network.disconnect(s2);
    assert.equal(r2.status.state, 'offline');
    assert.equal(r1.status.peers, 0);
    r2.doc.getMap('m').set('k', 1);
    network.flushAll();
    assert.equal(r1.doc.getMap('m').get('k'), undefined);
    network.reconnect(s2);
    network.flushAll();
    assert.equal(r1.doc.getMap('m').get('k'), 1);
    s2.release(r2);
    assert.equal(r1.status.peers, 1);
    s2.release(r2);
    assert.equal(r1.status.peers, 0);
    assert.deepEqual(statuses, [1, 0, 1, 0]);
    network.destroy();
  });
});
