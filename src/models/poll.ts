/**
 * The poll model: ballots are signed entries `{ type: 'ballot', choices }` under
 * `ballot:<author>` in the root map `poll:<name>`; a change of mind replaces the author's ballot,
 * a retraction is a ballot with no choices.
 */
import type * as Y from 'yjs';
import { GatherError } from '../errors.js';
import type { SignedEntry, Signer } from '../identity/types.js';
import { isBoundedString, isBoundedStringList } from '../plain.js';
import { entryKey, MAX_ID_LENGTH } from './entry-key.js';
import { SignedEntryModel, type SignedEntryModelOptions } from './signed-entry-model.js';
import type { BallotBody, PollConfig, PollExport, PollOptionView, PollView } from './poll.types.js';

/** Entry type of a ballot. */
export const BALLOT_TYPE = 'ballot';
/** Most choices a ballot may carry (structurally; a single-choice poll counts ballots with exactly one). */
export const MAX_BALLOT_CHOICES = 64;

/** The body fields of a ballot (the compact format leaves their names out). */
export const BALLOT_FIELDS: readonly string[] = Object.freeze(['choices']);

/** A verified ballot entry. */
export type BallotEntry = SignedEntry<BallotBody>;

/** Root map name of the poll called `name`. */
export const pollScope = (name: string): string => `poll:${name}`;

/** Map key of `author`'s ballot: each author owns exactly one key. */
export const ballotKey = (author: string): string => entryKey(BALLOT_TYPE, author);

/**
 * Accepts a header-valid entry of this poll's scope as a ballot if it is one (type `ballot`, a
 * bounded list of bounded option ids) stored under its own author's key. Null otherwise.
 */
export const parseBallot = (key: string, entry: SignedEntry): BallotEntry | null => {
  if (entry.type !== BALLOT_TYPE || key !== ballotKey(entry.author)) return null;
  if (!isBoundedStringList(entry['choices'], MAX_BALLOT_CHOICES, MAX_ID_LENGTH)) return null;
  return entry as unknown as BallotEntry;
};

/** A copy of `config` the model can keep (options with duplicate ids: the first one wins). */
export const normalizePollConfig = (config: PollConfig): PollConfig => {
  const seen = new Set<string>();
  const options = [];
  for (const { id, label } of config.options) {
    if (seen.has(id)) continue;
    seen.add(id);
    options.push(Object.freeze({ id, label }));
  }
  return Object.freeze({ question: config.question, options: Object.freeze(options) });
};

/** The one option a single-choice ballot counts for, or null (retraction, unknown option, several choices). */
const countedChoice = (ballot: BallotEntry | undefined, known: ReadonlySet<string>): string | null => {
  if (ballot === undefined || ballot.choices.length !== 1) return null;
  const choice = ballot.choices[0]!;
  return known.has(choice) ? choice : null;
};

/**
 * Derives the view of a single-choice poll: one counted ballot per author key, for an option the
 * page declares. `me` is the viewer's author key (or null). With no ballots, it is what the poll
 * shows before anything has loaded.
 */
export const derivePollView = (config: PollConfig, ballots: ReadonlyMap<string, BallotEntry>, me: string | null): PollView => {
  const counts = new Map<string, number>(config.options.map(({ id }) => [id, 0]));
  const known = new Set(counts.keys());
  let total = 0;
  for (const ballot of ballots.values()) {
    const choice = countedChoice(ballot, known);
    if (choice === null) continue;
    counts.set(choice, counts.get(choice)! + 1);
    total++;
  }
  const options: PollOptionView[] = config.options.map(({ id, label }) => ({ id, label, count: counts.get(id)! }));
  const mine = me === null ? null : countedChoice(ballots.get(ballotKey(me)), known);
  return { question: config.question, options, total, mine };
};

/** Options of a {@link PollModel}. */
export type PollModelOptions = SignedEntryModelOptions;

/**
 * A single-choice poll over `doc`. The page is the authority for question and options
 * (`config`, changeable with {@link setConfig}); the doc holds only ballots. Without a signer
 * the model is read-only.
 */
export class PollModel extends SignedEntryModel<BallotEntry, PollView> {
  private config: PollConfig;

  constructor(doc: Y.Doc, name: string, config: PollConfig, signer: Signer | null, options: PollModelOptions = {}) {
    super(doc, pollScope(name), signer, options);
    this.config = normalizePollConfig(config);
  }

  protected parse(key: string, entry: SignedEntry): BallotEntry | null {
    return parseBallot(key, entry);
  }

  /** A ballot's body is `{ choices }`: stored without the name (see entries.ts). */
  protected override bodyFields(type: string): readonly string[] | undefined {
    return type === BALLOT_TYPE ? BALLOT_FIELDS : undefined;
  }

  protected derive(ballots: ReadonlyMap<string, BallotEntry>): PollView {
    return derivePollView(this.config, ballots, this.signer?.publicKey ?? null);
  }

  /** Replaces the page's question and options and derives the view again (no change event: the page made it). */
  setConfig(config: PollConfig): void {
    this.config = normalizePollConfig(config);
    this.refresh();
  }

  /**
   * Casts (or changes) this device's ballot for `optionId`. Resolves once the ballot is written
   * and the view derived. Rejects with a {@link GatherError}: `unknown-option` if the page has no
   * such option, `no-signer` for a read-only model, `destroyed` after {@link destroy}.
   */
  async vote(optionId: string): Promise<void> {
    const signer = this.requireSigner();
    if (!isBoundedString(optionId, MAX_ID_LENGTH) || !this.config.options.some(({ id }) => id === optionId)) {
      throw new GatherError('unknown-option', `This poll has no option ${JSON.stringify(optionId)}`);
    }
    await this.write<BallotBody>(ballotKey(signer.publicKey), BALLOT_TYPE, { choices: [optionId] });
  }

  /** Withdraws this device's ballot (writes a signed ballot with no choices). Rejects like {@link vote}. */
  async retract(): Promise<void> {
    await this.write<BallotBody>(ballotKey(this.requireSigner().publicKey), BALLOT_TYPE, { choices: [] });
  }

  /** The results with every verified ballot behind them (see {@link PollExport}). */
  export(): PollExport<BallotEntry> {
    const { question, options, total } = this.view;
    const ballots = [...this.store.entries.values()].sort((a, b) => (a.author < b.author ? -1 : a.author > b.author ? 1 : 0));
    return { question, options, total, ballots };
  }
}
