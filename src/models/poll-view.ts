/**
 * The poll's view derived from the ballots that count: pure, with no Yjs, so that a page paints a
 * poll (its derive over no entries) before the sync stack and the poll's model (poll.ts) arrive.
 */
import type { BallotEntry } from './poll.js';
import type { PollConfig, PollOptionView, PollView } from './poll.types.js';
import { kindOf } from './tally/ballots.js';
import { countedBallot, tally } from './tally/index.js';
import type { Ballot, TallyResults } from './tally/types.js';

/** The counted results, hidden as the view hides them (null counts). */
const hide = (results: TallyResults): Pick<PollView, 'options' | 'reasons' | 'rounds' | 'winner' | 'condorcet' | 'stances' | 'best'> => ({
  options: results.options.map((o) => {
    const hidden: Record<string, unknown> = { id: o.id, label: o.label };
    for (const field of ['count', 'mean', 'distribution', 'yes', 'maybe', 'no'] as const) if (field in o) hidden[field] = null;
    return hidden as unknown as PollOptionView;
  }),
  reasons: null,
  ...('rounds' in results ? { rounds: null, winner: null, condorcet: null } : {}),
  ...('stances' in results ? { stances: null } : {}),
  ...('best' in results ? { best: null } : {}),
});

/** What the counting rules decide before the tally: which ballots count, and whether the poll is closed. */
export interface CountedSet {
  readonly ballots: readonly BallotEntry[];
  readonly closed: boolean;
}

/**
 * Derives the view of a poll: `tally` over the ballots that count, hidden as `results` says, with
 * this viewer's (`me`) ballot. With no entries, it is what the poll shows before anything loads.
 */
export const derivePollView = (config: PollConfig, counted: CountedSet, me: string | null): PollView => {
  const own = me === null ? undefined : counted.ballots.find((b) => b.author === me);
  const mine = own === undefined ? null : (countedBallot(config, own)?.ballot ?? null);
  return pollView(config, tally(config, counted.ballots), mine, counted.closed);
};

/** The view of counted `results`, with this viewer's counted ballot (`mine`), hidden as `results` says. */
export const pollView = (config: PollConfig, results: TallyResults, mine: Ballot | null, closed: boolean): PollView => {
  const visibility = config.results ?? 'after-vote';
  const resultsVisible = visibility === 'always' || closed || (visibility === 'after-vote' && mine !== null);
  const { total, reasons, options, ...rest } = results;
  const shown = resultsVisible ? { options, reasons, ...rest } : hide(results);
  return {
    kind: kindOf(config),
    question: config.question,
    total,
    mine,
    closed,
    resultsVisible,
    closes: config.closes ?? null,
    quorum: config.quorum ?? null,
    ...shown,
  } as PollView;
};
