// Counting every poll kind, from configuration and ballots alone: hand-worked elections.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ballotProblem, normalizeBallot } from '../../src/models/tally/ballots.js';
import { tally, type BallotLike } from '../../src/models/tally/index.js';
import type { TallyConfig } from '../../src/models/tally/types.js';

const options = (...ids: string[]) => ids.map((id) => ({ id, label: id.toUpperCase() }));
/** Ballots by made-up authors, `times` copies each. */
const cast = (...groups: [number, unknown][]): BallotLike[] => {
  const out: BallotLike[] = [];
  for (const [times, ballot] of groups) for (let i = 0; i < times; i++) out.push({ author: `voter-${out.length}`, ballot });
  return out;
};

describe('ranked: instant-runoff and Condorcet', () => {
  const ranked = (...ids: string[]): TallyConfig => ({ kind: 'ranked', options: options(...ids) });

  test('a majority in the first round wins at once', () => {
    const r = tally(ranked('a', 'b', 'c'), cast([2, ['a']], [1, ['b']]));
    assert.deepEqual(r.rounds, [{ counts: { a: 2, b: 1, c: 0 }, exhausted: 0, eliminated: [] }]);
    assert.equal(r.winner, 'a');
    assert.equal(r.total, 3);
  });

  test('a tie at the bottom goes to the previous round; exhausted ballots leave the count', () => {
    const r = tally(ranked('a', 'b', 'c', 'd'), cast([4, ['a']], [3, ['b']], [2, ['c', 'b']], [1, ['d', 'c']]));
    assert.deepEqual(r.rounds, [
      { counts: { a: 4, b: 3, c: 2, d: 1 }, exhausted: 0, eliminated: ['d'] },
      { counts: { a: 4, b: 3, c: 3 }, exhausted: 0, eliminated: ['c'] }, // b and c tie at 3; c had fewer in round 1
      { counts: { a: 4, b: 5 }, exhausted: 1, eliminated: [] }, // 5 of 9 continuing ballots
    ]);
    assert.equal(r.winner, 'b');
    assert.equal(r.condorcet, null, 'b and c tie head to head');
  });

  test('a tie in every round eliminates the option listed later on the page', () => {
    const r = tally(ranked('a', 'b'), cast([1, ['a']], [1, ['b']]));
    assert.deepEqual(r.rounds, [
      { counts: { a: 1, b: 1 }, exhausted: 0, eliminated: ['b'] },
      { counts: { a: 1 }, exhausted: 1, eliminated: [] },
    ]);
    assert.equal(r.winner, 'a');
  });

  test('a Condorcet winner can lose instant-runoff (the centre squeeze)', () => {
    const r = tally(ranked('l', 'c', 'r'), cast([4, ['l', 'c', 'r']], [3, ['r', 'c', 'l']], [2, ['c', 'l', 'r']]));
    assert.deepEqual(r.rounds![0], { counts: { l: 4, c: 2, r: 3 }, exhausted: 0, eliminated: ['c'] });
    assert.equal(r.winner, 'l');
    assert.equal(r.condorcet, 'c');
  });

  test('a cycle has no Condorcet winner', () => {
    const r = tally(ranked('a', 'b', 'c'), cast([1, ['a', 'b', 'c']], [1, ['b', 'c', 'a']], [1, ['c', 'a', 'b']]));
    assert.equal(r.condorcet, null);
    assert.deepEqual(r.rounds![0]!.eliminated, ['c']);
    assert.equal(r.winner, 'a');
  });

  test('ranking X and not Y counts as preferring X; no ballots, no winner', () => {
    assert.equal(tally(ranked('a', 'b', 'c'), cast([2, ['b']], [1, ['a', 'c']])).condorcet, 'b');
    const empty = tally(ranked('a', 'b'), []);
    assert.deepEqual([empty.rounds, empty.winner, empty.condorcet], [[], null, null]);
  });

  test('duplicates make a ballot invalid; options the page dropped are skipped', () => {
    const r = tally(ranked('a', 'b'), cast([1, ['a', 'a']], [1, ['gone', 'b']]));
    assert.equal(r.total, 1);
    assert.deepEqual(r.rounds![0]!.counts, { a: 0, b: 1 });
  });
});

describe('the other kinds', () => {
  test('single: one option per ballot; 0.1 ballots (choices: [id]) still count', () => {
    const r = tally({ options: options('x', 'y') }, [...cast([2, 'x'], [1, 'nope'], [1, ['x']]), { author: 'old', choices: ['y'] }, { author: 'gone', choices: [] }]);
    assert.deepEqual(r.options.map((o) => o.count), [2, 1]);
    assert.equal(r.total, 3);
  });

  test('multiple (approval): at most max; a ballot with more does not count at all', () => {
    const config: TallyConfig = { kind: 'multiple', options: options('a', 'b', 'c'), max: 2 };
    const r = tally(config, cast([1, ['a', 'b']], [1, ['a', 'b', 'c']], [1, []], [1, ['c']]));
    assert.deepEqual(r.options.map((o) => o.count), [1, 1, 1]);
    assert.equal(r.total, 3, 'an empty approval ballot is a voter who approved none');
  });

  test('score: means (null when unscored) and distributions over min…max', () => {
    const config: TallyConfig = { kind: 'score', options: options('a', 'b', 'c'), min: 1, max: 3 };
    const r = tally(config, cast([1, { a: 3, b: 1 }], [1, { a: 2 }], [1, { a: 4 }], [1, { a: 1.5 }]));
    assert.equal(r.total, 2, 'out of range or not an integer: the ballot does not count');
    assert.deepEqual(r.options.map((o) => [o.mean, o.distribution]), [[2.5, [0, 1, 1]], [1, [1, 0, 0]], [null, [0, 0, 0]]]);
  });

  test('consent: stances and reasons (no authors when anonymous)', () => {
    const ballots = cast([2, { stance: 'agree' }], [1, { stance: 'block', reason: 'We cannot afford it' }], [1, { stance: 'maybe' }]);
    const r = tally({ kind: 'consent', options: [] }, ballots);
    assert.deepEqual(r.stances, { agree: 2, abstain: 0, disagree: 0, block: 1 });
    assert.deepEqual(r.reasons, [{ author: 'voter-2', stance: 'block', reason: 'We cannot afford it' }]);
    assert.equal(r.total, 3);
    assert.deepEqual(tally({ kind: 'consent', options: [], anonymous: true }, ballots).reasons, [{ author: null, stance: 'block', reason: 'We cannot afford it' }]);
  });

  test('time: yes / maybe / no per option; best is most yes, then most maybe, all tied', () => {
    const config: TallyConfig = { kind: 'time', options: options('t1', 't2', 't3') };
    const r = tally(config, cast([1, { t1: 'yes', t2: 'yes', t3: 'no' }], [1, { t1: 'maybe', t2: 'yes' }], [1, { t1: 'yes', t2: 'no', t3: 'maybe' }]));
    assert.deepEqual(r.options.map((o) => [o.yes, o.maybe, o.no]), [[2, 1, 0], [2, 0, 1], [0, 1, 1]]);
    assert.deepEqual(r.best, ['t1']);
    assert.deepEqual(tally(config, cast([1, { t1: 'yes', t2: 'yes' }])).best, ['t1', 't2']);
    assert.deepEqual(tally(config, []).best, []);
  });

  test('a reason may come with any ballot, bounded', () => {
    const r = tally({ options: options('x') }, [{ author: 'a', ballot: 'x', reason: 'close to the bus' }, { author: 'b', ballot: 'x', reason: 'y'.repeat(501) }]);
    assert.deepEqual(r.reasons, [{ author: 'a', reason: 'close to the bus' }]);
    assert.equal(r.total, 2);
  });
});

describe('what vote() refuses', () => {
  const config: TallyConfig = { kind: 'multiple', options: options('a', 'b'), max: 1 };
  test('unknown options and ballots the kind does not allow, with the reason', () => {
    assert.equal(ballotProblem(config, ['a']), null);
    assert.equal(ballotProblem(config, ['zz']), 'unknown-option');
    assert.equal(ballotProblem(config, ['a', 'b']), 'invalid-ballot');
    assert.equal(ballotProblem(config, 'a'), 'invalid-ballot');
    assert.equal(ballotProblem({ kind: 'ranked', options: options('a') }, []), 'invalid-ballot');
    assert.equal(ballotProblem({ kind: 'score', options: options('a') }, { a: 9 }), 'invalid-ballot');
    assert.equal(ballotProblem({ kind: 'consent', options: [] }, { stance: 'agree', reason: 'fine' }), null);
  });

  test('hostile values never throw', () => {
    const hostile = [null, undefined, 42, 'x', [], [1, 2], { __proto__: { a: 1 } }, Object.create(null), { stance: 'agree', reason: 7 }, new Array(10_000).fill('a')];
    for (const kind of ['single', 'multiple', 'ranked', 'score', 'consent', 'time'] as const) {
      for (const value of hostile) normalizeBallot({ kind, options: options('a') }, value);
    }
  });
});
