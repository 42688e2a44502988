// The running tally (tally/running.ts) and the poll model that keeps it: after any seeded sequence
// of votes, changes of mind, retractions, malformed and late ballots, closes and reopens, the
// results equal `tally(config, ballots)` recounted from scratch: tally stays the reference.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import * as prng from 'lib0/prng';
import { signEntry } from '../../src/identity/entries.js';
import { createSigner } from '../../src/identity/keys.js';
import type { Signer } from '../../src/identity/types.js';
import { ballotKey, derivePollView, PollModel, pollScope } from '../../src/models/poll.js';
import type { PollConfig, PollKind } from '../../src/models/poll.types.js';
import { tally, type BallotLike } from '../../src/models/tally/index.js';
import { RunningTally } from '../../src/models/tally/running.js';

const OPTIONS = ['a', 'b', 'c', 'd'].map((id) => ({ id, label: id.toUpperCase() }));
const KINDS: readonly PollKind[] = ['single', 'multiple', 'ranked', 'score', 'consent', 'time'];
const configOf = (kind: PollKind, extra: Partial<PollConfig> = {}): PollConfig => ({
  kind,
  question: 'Q',
  options: kind === 'consent' ? [] : OPTIONS,
  ...(kind === 'multiple' ? { max: 2 } : kind === 'score' ? { min: 0, max: 3 } : {}),
  ...extra,
});

/** A ballot of `kind`, usually valid; sometimes one the kind does not count (unknown option, duplicates, out of range, junk). */
const randomBallot = (gen: prng.PRNG, kind: PollKind): unknown => {
  const ids = OPTIONS.map((o) => o.id);
  const shuffled = () => [...ids].sort(() => prng.real53(gen) - 0.5);
  const r = prng.real53(gen);
  if (r < 0.06) return prng.oneOf(gen, [null, 42, 'zz', ['a', 'a'], { a: 99 }, { stance: 'maybe' }, ['a', 'b', 'c'], { a: 'perhaps' }]);
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
      return prng.bool(gen) ? { stance: prng.oneOf(gen, ['agree', 'abstain', 'disagree', 'block'] as const) } : { stance: 'block', reason: `no ${prng.int32(gen, 0, 9)}` };
    case 'time':
      return Object.fromEntries(shuffled().slice(0, prng.int32(gen, 0, 4)).map((id) => [id, prng.oneOf(gen, ['yes', 'maybe', 'no'] as const)]));
  }
};

describe('RunningTally equals tally(config, ballots) after every change', () => {
  for (const kind of KINDS) {
    test(kind, () => {
      for (let seed = 1; seed <= 3; seed++) {
        const gen = prng.create(seed * 97 + kind.length);
        const config = configOf(kind, seed === 2 ? { anonymous: true } : {});
        const running = new RunningTally(config);
        const held = new Map<string, BallotLike>();
        const authors = Array.from({ length: 12 }, (_, i) => `author-${String.fromCharCode(122 - i)}${i}`);
        for (let step = 0; step < 300; step++) {
          const author = prng.oneOf(gen, authors);
          const key = `ballot:${author}`;
          const r = prng.real53(gen);
          let entry: BallotLike | null;
          if (r < 0.15) entry = null; // the entry leaves (invalid now, or no longer counted)
          else if (r < 0.2) entry = { author, ballot: null }; // retracted
          else if (r < 0.23) entry = { author, choices: [prng.oneOf(gen, ['a', 'b', 'x'])] }; // a 0.1 ballot
          else if (r < 0.26 && held.has(key)) entry = held.get(key)!; // the same entry again
          else entry = { author, ballot: randomBallot(gen, kind), ...(prng.bool(gen) ? { reason: prng.oneOf(gen, ['', 'because', 'x'.repeat(501), 'later']) } : {}) };
          running.set(key, entry);
          if (entry === null) held.delete(key);
          else held.set(key, entry);
          assert.deepEqual(running.results(), tally(config, [...held.values()]), `${kind}, seed ${seed}, step ${step}`);
        }
      }
    });
  }
});

let signers: Signer[] = [];
before(async () => {
  signers = await Promise.all(Array.from({ length: 6 }, (_, i) => createSigner(i % 3 === 2 ? 'ECDSA-P256' : 'Ed25519')));
});

describe('the poll model’s incremental view equals the view recounted from its counted ballots', () => {
  for (const kind of KINDS) {
    test(kind, async () => {
      let compared = 0;
      for (let seed = 1; seed <= 2; seed++) {
        const gen = prng.create(seed * 131 + kind.length);
        const doc = new Y.Doc();
        const organizers = [signers[0]!.publicKey];
        let config = configOf(kind, { results: seed === 1 ? 'always' : 'after-vote' });
        // signers[0] is the organizer; a reader without a signer watches.
        const models = [...signers.slice(0, 5).map((signer) => new PollModel(doc, 'p', config, signer, { organizers })), new PollModel(doc, 'p', config, null, { organizers })];
        const map = doc.getMap(pollScope('p'));
        for (let step = 0; step < 40; step++) {
          const r = prng.real53(gen);
          const voter = prng.oneOf(gen, models.slice(0, 5));
          if (r < 0.5) {
            const ballot = randomBallot(gen, kind);
            const reason = prng.bool(gen) ? { reason: `why ${step}` } : {};
            await voter.vote(ballot as never, reason).catch(() => undefined); // refused: closed, or not a ballot of this kind
          } else if (r < 0.6) {
            await voter.retract().catch(() => undefined);
          } else if (r < 0.72) {
            // Written directly by signers[5]: a malformed ballot, or one signed ahead of every clock (it waits).
            const signer = signers[5]!;
            const ts = prng.bool(gen) ? Date.now() + 24 * 3600_000 : Date.now();
            map.set(ballotKey(signer.publicKey), await signEntry(signer, { type: 'ballot', scope: pollScope('p'), ballot: randomBallot(gen, kind) }, ts));
          } else if (r < 0.82) {
            await (models[0]!.view.closed ? models[0]!.reopen() : models[0]!.close());
          } else if (r < 0.9) {
            // The page changes a setting: every model counts afresh under the new configuration.
            config = { ...config, anonymous: !config.anonymous };
            for (const model of models) model.setConfig(config);
          } else if (r < 0.95) {
            // A closing time among the ballots already signed (later ones stop counting), or none again.
            const { closes: _closes, ...open } = config;
            config = config.closes ? open : { ...config, closes: new Date(Date.now() - prng.int32(gen, 0, 40)).toISOString() };
            for (const model of models) model.setConfig(config);
          }
          await Promise.all(models.map((m) => m.settled()));
          for (const model of models) {
            const me = model.signer?.publicKey ?? null;
            const { ballots } = model.export();
            const expected = derivePollView(model.pollConfig, { ballots, closed: model.view.closed }, me);
            assert.deepEqual(model.view, expected, `${kind}, seed ${seed}, step ${step}`);
            assert.deepEqual(tally(model.pollConfig, ballots).total, model.view.total);
            compared++;
          }
        }
        for (const model of models) model.destroy();
      }
      assert.equal(compared, 2 * 40 * 6);
    });
  }
});
