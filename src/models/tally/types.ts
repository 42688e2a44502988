/**
 * Poll kinds: their settings, ballots and results. Pure types, shared by the counting modules,
 * the poll model and whoever recounts an export.
 */

/** How a poll decides. */
export const POLL_KINDS = ['single', 'multiple', 'ranked', 'score', 'consent', 'time'] as const;
export type PollKind = (typeof POLL_KINDS)[number];

/** When results are shown: always, once this visitor has voted (the default), or once the poll is closed. */
export const RESULTS_VISIBILITY = ['always', 'after-vote', 'after-close'] as const;
export type ResultsVisibility = (typeof RESULTS_VISIBILITY)[number];

export const STANCES = ['agree', 'abstain', 'disagree', 'block'] as const;
export type Stance = (typeof STANCES)[number];

export const AVAILABILITY = ['yes', 'maybe', 'no'] as const;
export type Availability = (typeof AVAILABILITY)[number];

/** A poll option as the page declares it: `<option value="id">label</option>`. */
export interface TallyOption {
  readonly id: string;
  readonly label: string;
}

/** What counting needs to know about a poll (its page configuration, by attribute name). */
export interface TallyConfig {
  readonly kind?: PollKind;
  readonly options: readonly TallyOption[];
  /** `multiple`: most choices a ballot may make (more: the ballot does not count). `score`: highest score. */
  readonly max?: number;
  /** `score`: lowest score (default 0). */
  readonly min?: number;
  /** Who voted what is left out of the results (`reasons` carry no author). */
  readonly anonymous?: boolean;
}

/** A ballot in the shape `vote()` takes, per kind. */
export type SingleBallot = string;
export type MultipleBallot = readonly string[];
export type RankedBallot = readonly string[];
export type ScoreBallot = Readonly<Record<string, number>>;
export interface ConsentBallot {
  readonly stance: Stance;
  readonly reason?: string;
}
export type TimeBallot = Readonly<Record<string, Availability>>;
export type Ballot = SingleBallot | MultipleBallot | RankedBallot | ScoreBallot | ConsentBallot | TimeBallot;

/** What counting reads of a verified ballot entry. */
export interface CountedBallot {
  readonly author: string;
  /** The ballot, valid for the poll's kind and options (see `normalizeBallot`). */
  readonly ballot: Ballot;
  readonly reason?: string;
}

/** A reason given with a ballot. `author` is null in an anonymous poll. */
export interface Reason {
  readonly author: string | null;
  readonly reason: string;
  /** The stance, in a consent poll. */
  readonly stance?: Stance;
}

/** One round of instant-runoff counting. */
export interface RankedRound {
  /** Votes for each option still in the race. */
  readonly counts: Readonly<Record<string, number>>;
  /** Ballots that rank no continuing option. */
  readonly exhausted: number;
  /** The option eliminated after this round (none in the last round). */
  readonly eliminated: readonly string[];
}

/** An option in the results, with the fields of its kind. */
export interface OptionResult extends TallyOption {
  /** single, multiple: ballots choosing it. */
  readonly count?: number;
  /** score: mean score, or null if nobody scored it. */
  readonly mean?: number | null;
  /** score: how many gave each score, `min`…`max`. */
  readonly distribution?: readonly number[];
  /** time: availability counts. */
  readonly yes?: number;
  readonly maybe?: number;
  readonly no?: number;
}

/** The results part of a poll's view: what `tally(config, ballots)` returns. */
export interface TallyResults {
  readonly options: readonly OptionResult[];
  /** Voters counted. */
  readonly total: number;
  /** Reasons given with counted ballots, in the shared order of their authors. */
  readonly reasons: readonly Reason[];
  /** ranked */
  readonly rounds?: readonly RankedRound[];
  readonly winner?: string | null;
  readonly condorcet?: string | null;
  /** consent */
  readonly stances?: Readonly<Record<Stance, number>>;
  /** time: the options with most yes, then most maybe (all tied ones). */
  readonly best?: readonly string[];
}
