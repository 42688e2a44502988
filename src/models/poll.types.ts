/** A poll option as the page declares it: `<option value="id">label</option>`. */
export interface PollOption {
  readonly id: string;
  readonly label: string;
}

/** The page is the authority for its own widget: question and options come from HTML, not from the doc. */
export interface PollConfig {
  readonly question: string;
  readonly options: readonly PollOption[];
}

export interface PollOptionView extends PollOption {
  readonly count: number;
}

export interface PollView {
  readonly question: string;
  readonly options: readonly PollOptionView[];
  /** Counted ballots (one per author key). */
  readonly total: number;
  /** The viewer's own current choice, or null. */
  readonly mine: string | null;
}

/** Body of a `ballot` entry. Single-choice polls carry exactly one id; an empty list is a retraction (the signed tombstone). */
export interface BallotBody {
  readonly choices: readonly string[];
}

/**
 * What a poll hands over for taking away: the results, and every ballot behind them as signed
 * entries, so that anyone can verify each signature and count again.
 */
export interface PollExport<Ballot = unknown> {
  readonly question: string;
  readonly options: readonly PollOptionView[];
  readonly total: number;
  /** Verified ballots by author key order, retractions included (they count for nothing). */
  readonly ballots: readonly Ballot[];
}
