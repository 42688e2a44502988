import type { Ballot, OptionResult, PollKind, RankedRound, Reason, ResultsVisibility, Stance, TallyResults } from './tally/types.js';

export type { Ballot, PollKind, RankedRound, Reason, ResultsVisibility, Stance } from './tally/types.js';

/** A poll option as the page declares it: `<option value="id">label</option>`. */
export interface PollOption {
  readonly id: string;
  readonly label: string;
}

/**
 * The page is the authority for its own widget: question, options and settings come from HTML
 * (by attribute name), not from the doc.
 */
export interface PollConfig {
  readonly question: string;
  readonly options: readonly PollOption[];
  /** How the poll decides (`single` when absent). */
  readonly kind?: PollKind;
  /** `multiple`: most choices a ballot may make. `score`: highest score (default 5). */
  readonly max?: number;
  /** `score`: lowest score (default 0). */
  readonly min?: number;
  /** ISO date-time after which ballots (by their signed time) no longer count. */
  readonly closes?: string;
  /** When results show (default `after-vote`). */
  readonly results?: ResultsVisibility;
  /** Voters needed for the result to stand, shown as progress. */
  readonly quorum?: number;
  /** Who voted what is left out of the view and the UI (pseudonymous: the signed ballots are in the shared document). */
  readonly anonymous?: boolean;
  /** Who may export: `organizers` (default) or `everyone`. */
  readonly export?: 'organizers' | 'everyone';
}

/** An option in the view: the page's option and its kind's results (null while results are hidden). */
export interface PollOptionView extends PollOption {
  /** single, multiple */
  readonly count?: number | null;
  /** score */
  readonly mean?: number | null;
  readonly distribution?: readonly number[] | null;
  /** time */
  readonly yes?: number | null;
  readonly maybe?: number | null;
  readonly no?: number | null;
}

export interface PollView {
  readonly kind: PollKind;
  readonly question: string;
  readonly options: readonly PollOptionView[];
  /** Voters counted (shown even while results are hidden, so a visitor sees the poll is alive). */
  readonly total: number;
  /** The viewer's counted ballot, in the shape `vote()` takes, or null. */
  readonly mine: Ballot | null;
  /** Closed: by its closing time or by an organizer. */
  readonly closed: boolean;
  /** While false, counts, rounds, stances and reasons are null. */
  readonly resultsVisible: boolean;
  /** The closing time the page names, or null. */
  readonly closes: string | null;
  /** Voters needed, or null. */
  readonly quorum: number | null;
  /** Reasons given with counted ballots (authors null in an anonymous poll). */
  readonly reasons: readonly Reason[] | null;
  /** ranked */
  readonly rounds?: readonly RankedRound[] | null;
  readonly winner?: string | null;
  readonly condorcet?: string | null;
  /** consent */
  readonly stances?: Readonly<Record<Stance, number>> | null;
  /** time */
  readonly best?: readonly string[] | null;
}

/** Body of a `ballot` entry: the ballot in the shape `vote()` takes (null: withdrawn), and an optional reason. */
export interface BallotBody {
  readonly ballot: Ballot | null;
  readonly reason?: string;
}

/** Body of a 0.1 single-choice ballot, still read: one choice, or none (withdrawn). */
export interface LegacyBallotBody {
  readonly choices: readonly string[];
}

/**
 * What a poll hands over for taking away: its configuration, its results, and every ballot
 * behind them as signed entries, so that anyone can verify each signature and recount:
 * `tally(config, ballots)` reproduces `results` exactly.
 */
export interface PollExport<BallotEntry = unknown> {
  readonly config: PollConfig;
  readonly results: TallyResults;
  /** The counted ballots, by author key. */
  readonly ballots: readonly BallotEntry[];
  /** As in 0.1: the question, the options with their results, and the voters counted. */
  readonly question: string;
  readonly options: readonly OptionResult[];
  readonly total: number;
}
