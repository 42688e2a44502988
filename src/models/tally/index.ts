/**
 * `tally(config, ballots)`: a poll's results from its configuration and its counted ballots,
 * pure (no Yjs, no Lit, no clock). The poll model uses it; anyone holding an export can run it
 * again and get the same results.
 */
import { compareStrings } from '../order.js';
import { isReason, kindOf, normalizeBallot, scoreRange } from './ballots.js';
import { condorcetWinner, instantRunoff } from './ranked.js';
import {
  STANCES,
  type ConsentBallot,
  type CountedBallot,
  type OptionResult,
  type Reason,
  type ScoreBallot,
  type Stance,
  type TallyConfig,
  type TallyResults,
  type TimeBallot,
} from './types.js';

/** A verified ballot entry as counting reads it: its author, and its ballot (or legacy `choices`). */
export interface BallotLike {
  readonly author: string;
  readonly ballot?: unknown;
  /** Single-choice ballots of format 0.1: `[id]`; `[]` withdrew. */
  readonly choices?: unknown;
  readonly reason?: unknown;
}

/** The ballot an entry casts, valid for `config`, or null (withdrawn, malformed, or not this kind's). */
export const countedBallot = (config: TallyConfig, entry: BallotLike): CountedBallot | null => {
  let raw: unknown = entry.ballot;
  if (raw === undefined && Array.isArray(entry.choices)) {
    // 0.1 single-choice ballots: exactly one choice.
    if (kindOf(config) !== 'single' || entry.choices.length !== 1) return null;
    raw = entry.choices[0];
  }
  if (raw === undefined || raw === null) return null;
  const ballot = normalizeBallot(config, raw);
  if (ballot === null) return null;
  // A reason comes with the ballot (`vote(ballot, { reason })`), or inside a consent ballot.
  const reason = isReason(entry.reason) && entry.reason ? entry.reason : (ballot as Partial<ConsentBallot>).reason;
  return reason ? { author: entry.author, ballot, reason } : { author: entry.author, ballot };
};

/**
 * The results of `ballots` (verified entries, one per author: the poll model passes the counted
 * ones, in any order) for a poll configured as `config`.
 */
export const tally = (config: TallyConfig, ballots: Iterable<BallotLike>): TallyResults => {
  const counted: CountedBallot[] = [];
  for (const entry of ballots) {
    const ballot = countedBallot(config, entry);
    if (ballot !== null) counted.push(ballot);
  }
  counted.sort((a, b) => compareStrings(a.author, b.author));
  const reasons: Reason[] = counted
    .filter((b) => b.reason)
    .map((b) => {
      const stance = (b.ballot as ConsentBallot).stance as Stance | undefined;
      return { author: config.anonymous ? null : b.author, reason: b.reason!, ...(stance ? { stance } : {}) };
    });
  const total = counted.length;
  const ids = config.options.map((o) => o.id);
  const base = (extra: (id: string) => Partial<OptionResult>): OptionResult[] => config.options.map(({ id, label }) => ({ id, label, ...extra(id) }));

  switch (kindOf(config)) {
    case 'single':
    case 'multiple': {
      const counts = new Map(ids.map((id) => [id, 0]));
      for (const { ballot } of counted) for (const id of typeof ballot === 'string' ? [ballot] : (ballot as readonly string[])) counts.set(id, counts.get(id)! + 1);
      return { options: base((id) => ({ count: counts.get(id)! })), total, reasons };
    }
    case 'ranked': {
      const ranked = counted.map((b) => b.ballot as readonly string[]);
      const { rounds, winner } = instantRunoff(ids, ranked);
      return { options: base(() => ({})), total, reasons, rounds, winner, condorcet: condorcetWinner(ids, ranked) };
    }
    case 'score': {
      const { min, max } = scoreRange(config);
      const width = Math.max(0, max - min + 1);
      const results = base((id) => {
        const distribution = new Array<number>(width).fill(0);
        let sum = 0;
        let n = 0;
        for (const { ballot } of counted) {
          const score = (ballot as ScoreBallot)[id];
          if (score === undefined) continue;
          distribution[score - min]!++;
          sum += score;
          n++;
        }
        return { mean: n === 0 ? null : sum / n, distribution };
      });
      return { options: results, total, reasons };
    }
    case 'consent': {
      const stances = Object.fromEntries(STANCES.map((s) => [s, 0])) as Record<Stance, number>;
      for (const { ballot } of counted) stances[(ballot as ConsentBallot).stance]++;
      return { options: [], total, reasons, stances };
    }
    case 'time': {
      const results = base((id) => {
        const counts = { yes: 0, maybe: 0, no: 0 };
        for (const { ballot } of counted) {
          const answer = (ballot as TimeBallot)[id];
          if (answer !== undefined) counts[answer]++;
        }
        return counts;
      });
      const most = (field: 'yes' | 'maybe', among: readonly OptionResult[]) => {
        const top = Math.max(...among.map((o) => o[field]!));
        return among.filter((o) => o[field] === top);
      };
      const best = total === 0 ? [] : most('maybe', most('yes', results)).map((o) => o.id);
      return { options: results, total, reasons, best };
    }
  }
};
