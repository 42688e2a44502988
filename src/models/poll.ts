/**
 * The poll model: ballots are signed entries `{ type: 'ballot', choices }` under
 * `ballot:<author>` in the root map `poll:<name>`; a change of mind replaces the author's ballot,
 * a retraction is a ballot with no choices.
 */
import type * as Y from 'yjs';
import { isBoundedString, isBoundedStringList, MAX_ID_LENGTH, signEntry, type VerificationCache } from '../identity/entries.js';
import { GatherError } from '../identity/errors.js';
import type { SignedEntry, Signer } from '../identity/types.js';
import { EntryModel } from './entry-model.js';
import type { ChangeOrigin, Model } from './model.types.js';
import type { BallotBody, PollConfig, PollExport, PollOptionView, PollView } from './poll.types.js';

/** Entry type of a ballot. */
export const BALLOT_TYPE = 'ballot';
/** Most choices a ballot may carry (structurally; a single-choice poll counts ballots with exactly one). */
export const MAX_BALLOT_CHOICES = 64;

/** A verified ballot entry. */
export type BallotEntry = SignedEntry<BallotBody>;

/** Root map name of the poll called `name`. */
export const pollScope = (name: string): string => `poll:${name}`;

/** Map key of `author`'s ballot: each author owns exactly one key. */
export const ballotKey = (author: string): string => `ballot:${author}`;

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
 * page declares. `me` is the viewer's author key (or null).
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
export interface PollModelOptions {
  /** Verdict cache shared between the page's models. */
  readonly cache?: VerificationCache;
}

/**
 * A single-choice poll over `doc`. The page is the authority for question and options
 * (`config`, changeable with {@link setConfig}); the doc holds only ballots. Without a signer
 * the model is read-only.
 */
export class PollModel implements Model<PollView> {
  /** The root map name, `poll:<name>`. */
  readonly scope: string;
  readonly signer: Signer | null;
  private config: PollConfig;
  private readonly model: EntryModel<BallotEntry, PollView>;

  constructor(doc: Y.Doc, name: string, config: PollConfig, signer: Signer | null, { cache }: PollModelOptions = {}) {
    this.scope = pollScope(name);
    this.signer = signer;
    this.config = normalizePollConfig(config);
    const me = signer?.publicKey ?? null;
    this.model = new EntryModel<BallotEntry, PollView>(doc, {
      scope: this.scope,
      parse: parseBallot,
      derive: (ballots) => derivePollView(this.config, ballots, me),
      ...(cache === undefined ? {} : { cache }),
    });
  }

  get view(): PollView {
    return this.model.view;
  }

  subscribe(listener: (view: PollView, origin: ChangeOrigin) => void): () => void {
    return this.model.subscribe(listener);
  }

  settled(): Promise<void> {
    return this.model.settled();
  }

  /** Replaces the page's question and options and derives the view again (origin `local`). */
  setConfig(config: PollConfig): void {
    this.config = normalizePollConfig(config);
    this.model.refresh('local');
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
    await this.write(signer, [optionId]);
  }

  /** Withdraws this device's ballot (writes a signed ballot with no choices). Rejects like {@link vote}. */
  async retract(): Promise<void> {
    await this.write(this.requireSigner(), []);
  }

  /** The results with every verified ballot behind them (see {@link PollExport}). */
  export(): PollExport<BallotEntry> {
    const { question, options, total } = this.view;
    const ballots = [...this.model.entries.values()].sort((a, b) => (a.author < b.author ? -1 : a.author > b.author ? 1 : 0));
    return { question, options, total, ballots };
  }

  destroy(): void {
    this.model.destroy();
  }

  private requireSigner(): Signer {
    if (this.model.isDestroyed) throw new GatherError('destroyed', 'This poll model was destroyed');
    if (this.signer === null) throw new GatherError('no-signer', 'This poll is read-only: no signing identity');
    return this.signer;
  }

  private async write(signer: Signer, choices: readonly string[]): Promise<void> {
    const key = ballotKey(signer.publicKey);
    await this.model.enqueue(async () => {
      // Keep an author's timestamps increasing even if the clock steps back.
      const last = this.model.entries.get(key)?.ts ?? -Infinity;
      const entry = await signEntry<BallotBody>(signer, { type: BALLOT_TYPE, scope: this.scope, choices: [...choices] }, Math.max(Date.now(), last + 1));
      if (this.model.isDestroyed) throw new GatherError('destroyed', 'This poll model was destroyed');
      this.model.put(key, entry);
    });
    await this.model.settled();
  }
}
