/**
 * `tally(config, ballots)`: a poll's results from its configuration and its counted ballots,
 * pure (no Yjs, no Lit, no clock). The poll model uses it; anyone holding an export can run it
 * again and get the same results. One pass over the ballots, with the ballot check prepared once:
 * it runs on every change of a 10,000-voter poll.
 */
import { compareStrings } from '../order.js';
import { ballotNormalizer, isReason, kindOf, normalizeBallot, scoreRange } from './ballots.js';
import { condorcetWinner, instantRunoff } from './ranked.js';
import {
  STANCES,
  type Ballot,
  type ConsentBallot,
  type CountedBallot,
  type OptionResult,
  type RankedBallot,
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

/** What an entry casts before it is checked against the poll: its ballot, or a 0.1 entry's one choice. */
export const rawBallot = (config: TallyConfig, entry: BallotLike): unknown => {
  if (entry.ballot !== undefined) return entry.ballot;
  // 0.1 single-choice ballots: exactly one choice.
  if (Array.isArray(entry.choices) && entry.choices.length === 1 && kindOf(config) === 'single') return entry.choices[0];
  return null;
};

/** The reason that comes with a ballot (`vote(ballot, { reason })`), or inside a consent ballot. */
export const reasonOf = (entry: BallotLike, ballot: Ballot): string | undefined =>
  isReason(entry.reason) && entry.reason ? entry.reason : ((ballot as Partial<ConsentBallot>).reason || undefined);

/** The ballot an entry casts, valid for `config`, or null (withdrawn, malformed, or not this kind's). */
export const countedBallot = (config: TallyConfig, entry: BallotLike): CountedBallot | null => {
  const raw = rawBallot(config, entry);
  const ballot = raw === null ? null : normalizeBallot(config, raw);
  if (ballot === null) return null;
  const reason = reasonOf(entry, ballot);
  return reason ? { author: entry.author, ballot, reason } : { author: entry.author, ballot };
};

/**
 * The results of `ballots` (verified entries, one per author: the poll model passes the counted
 * ones, in any order) for a poll configured as `config`.
 */
export const tally = (config: TallyConfig, ballots: Iterable<BallotLike>): TallyResults => {
  const kind = kindOf(config);
  const normalize = ballotNormalizer(config);
  const ids = config.options.map((o) => o.id);
  const counts = new Map(ids.map((id) => [id, 0]));
  const reasons: (Reason & { readonly by: string })[] = [];
  const ranked: RankedBallot[] = [];
  const scores: ScoreBallot[] = [];
  const stances = Object.fromEntries(STANCES.map((s) => [s, 0])) as Record<Stance, number>;
  const availability = new Map(ids.map((id) => [id, { yes: 0, maybe: 0, no: 0 }]));
  let total = 0;
  for (const entry of ballots) {
    const raw = rawBallot(config, entry);
    if (raw === null) continue;
    const ballot = normalize(raw);
    if (ballot === null) continue;
    total++;
    switch (kind) {
      case 'single':
        counts.set(ballot as string, counts.get(ballot as string)! + 1);
        break;
      case 'multiple':
        for (const id of ballot as readonly string[]) counts.set(id, counts.get(id)! + 1);
        break;
      case 'ranked':
        ranked.push(ballot as RankedBallot);
        break;
      case 'score':
        scores.push(ballot as ScoreBallot);
        break;
      case 'consent':
        stances[(ballot as ConsentBallot).stance]++;
        break;
      case 'time':
        for (const [id, answer] of Object.entries(ballot as TimeBallot)) availability.get(id)![answer]++;
        break;
    }
    const reason = entry.reason === undefined && kind !== 'consent' ? undefined : reasonOf(entry, ballot);
    if (reason) {
      const stance = (ballot as Partial<ConsentBallot>).stance;
      reasons.push({ by: entry.author, author: config.anonymous ? null : entry.author, reason, ...(stance ? { stance } : {}) });
    }
  }
  // Reasons in the order of their authors' keys: the same on every peer, whatever order entries arrived in.
  const ordered: Reason[] = reasons.sort((a, b) => compareStrings(a.by, b.by)).map(({ by: _by, ...reason }) => reason);
  const base = (extra: (id: string) => Partial<OptionResult>): OptionResult[] => config.options.map(({ id, label }) => ({ id, label, ...extra(id) }));

  switch (kind) {
    case 'single':
    case 'multiple':
      return { options: base((id) => ({ count: counts.get(id)! })), total, reasons: ordered };
    case 'ranked': {
      const { rounds, winner } = instantRunoff(ids, ranked);
      return { options: base(() => ({})), total, reasons: ordered, rounds, winner, condorcet: condorcetWinner(ids, ranked) };
    }
    case 'score': {
      const { min, max } = scoreRange(config);
      const width = Math.max(0, max - min + 1);
      const options = base((id) => {
        const distribution = new Array<number>(width).fill(0);
        let sum = 0;
        let n = 0;
        for (const ballot of scores) {
          const score = ballot[id];
          if (score === undefined) continue;
          distribution[score - min]!++;
          sum += score;
          n++;
        }
        return { mean: n === 0 ? null : sum / n, distribution };
      });
      return { options, total, reasons: ordered };
    }
    case 'consent':
      return { options: [], total, reasons: ordered, stances };
    case 'time': {
      const options = base((id) => ({ ...availability.get(id)! }));
      const most = (field: 'yes' | 'maybe', among: readonly OptionResult[]) => {
        const top = Math.max(...among.map((o) => o[field]!));
        return among.filter((o) => o[field] === top);
      };
      const best = total === 0 ? [] : most('maybe', most('yes', options)).map((o) => o.id);
      return { options, total, reasons: ordered, best };
    }
  }
};
