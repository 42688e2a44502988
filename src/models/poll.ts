/**
 * The poll model, for every kind (single, multiple, ranked, score, consent, time).
 *
 * Entries in the root map `poll:<name>`:
 * - `ballot:<author>` — `{ ballot, reason? }`, the ballot in the shape `vote()` takes (null:
 *   withdrawn). A change of mind replaces the author's ballot. 0.1 ballots `{ choices: [id] }`
 *   are still read.
 * - `close:<author>` — an organizer's `{ closed, count? }`: closed (with how many ballots it
 *   counted) or reopened. The latest close by any organizer, in the shared order, decides.
 * - `closeset:<author>:<i>` — the ids of the ballots that close counted (`{ of, ids }`, `of`
 *   naming the close by its signed time), in parts small enough for an entry. Once every part is
 *   there, every peer counts exactly those ballots; until then, the ballots signed before it.
 *
 * Counting is `tally(config, ballots)` (tally/index.ts), pure, over the ballots that count:
 * signed before `closes`, and, after an organizer's close, the ones it froze. The model keeps the
 * same results up to date as ballots change (tally/running.ts), so one more ballot in a
 * 10,000-voter poll is not a recount of 10,000; after an organizer's close it recounts.
 */
import type * as Y from 'yjs';
import { GatherError } from '../errors.js';
import type { SignedEntry, Signer } from '../identity/types.js';
import { isBoundedStringList, plainEqual } from '../plain.js';
import { entryKey, keyKind, MAX_ID_LENGTH } from './entry-key.js';
import { compareEntries, compareStrings } from './order.js';
import { SignedEntryModel, type SignedEntryModelOptions } from './signed-entry-model.js';
import { ballotProblem, isReason, kindOf, MAX_REASON_LENGTH } from './tally/ballots.js';
import { countedBallot, tally } from './tally/index.js';
import { RunningTally } from './tally/running.js';
import { POLL_KINDS, RESULTS_VISIBILITY, type Ballot } from './tally/types.js';
import type { BallotBody, LegacyBallotBody, PollConfig, PollExport, PollView } from './poll.types.js';
import { derivePollView, pollView, type CountedSet } from './poll-view.js';

export { derivePollView, type CountedSet };

/** Entry type of a ballot. */
export const BALLOT_TYPE = 'ballot';
/** Entry type of an organizer's close (or reopen). */
export const CLOSE_TYPE = 'close';
/** Entry type of a part of the ballot set a close froze. */
export const CLOSE_SET_TYPE = 'closeset';
/** Ballot ids per close-set part (an id is 16 characters: an entry stays under its size limit). */
export const CLOSE_SET_PART = 200;
/** The usual body of a ballot: stored without the field's name (entries.ts). */
export const BALLOT_FIELDS: readonly string[] = Object.freeze(['ballot']);
/** Most choices a 0.1 ballot may carry. */
export const MAX_BALLOT_CHOICES = 64;

/** A verified ballot entry (or a 0.1 one). */
export type BallotEntry = SignedEntry<BallotBody> | SignedEntry<LegacyBallotBody>;
type CloseEntry = SignedEntry<{ readonly closed: boolean; readonly count?: number }>;
type CloseSetEntry = SignedEntry<{ readonly of: number; readonly ids: readonly string[] }>;
type PollEntry = BallotEntry | CloseEntry | CloseSetEntry;

/** Root map name of the poll called `name`. */
export const pollScope = (name: string): string => `poll:${name}`;

/** Map key of `author`'s ballot: each author owns exactly one key. */
export const ballotKey = (author: string): string => entryKey(BALLOT_TYPE, author);

/** A ballot's id, as a close lists it: the start of its signature (72 bits; no signer can aim at another's). */
export const ballotId = (entry: { readonly sig: string }): string => entry.sig.slice(0, 16);

const isBallotEntry = (entry: PollEntry): entry is BallotEntry => entry.type === BALLOT_TYPE;

/** Whether every one of `keys` is a ballot's. */
const onlyBallots = (keys: ReadonlySet<string>): boolean => {
  for (const key of keys) if (keyKind(key) !== BALLOT_TYPE) return false;
  return true;
};

/**
 * Counts again the ballots under `keys` (those that changed) in `running`. A loop in a function of
 * its own: optimized (on-stack replacement) while it ran over the many keys of a sync's later pass,
 * the code after it in PollModel.track had never run, and bailed out on every live ballot after
 * (see entry-model.ts's addAll).
 */
const trackKeys = (running: RunningTally, entries: ReadonlyMap<string, PollEntry>, keys: ReadonlySet<string>, closesAt: number): void => {
  for (const key of keys) {
    const entry = entries.get(key);
    running.set(key, entry !== undefined && isBallotEntry(entry) && entry.ts <= closesAt ? entry : null);
  }
};

/**
 * Accepts a header-valid entry of this poll's scope as a ballot if it is one, stored under its
 * own author's key: `{ ballot, reason? }` (the ballot's validity for the poll's kind is checked
 * when counting, since the page may change the kind), or a 0.1 `{ choices }`. Null otherwise.
 */
export const parseBallot = (key: string, entry: SignedEntry): BallotEntry | null => {
  if (entry.type !== BALLOT_TYPE || key !== ballotKey(entry.author)) return null;
  if ('choices' in entry) return isBoundedStringList(entry['choices'], MAX_BALLOT_CHOICES, MAX_ID_LENGTH) ? (entry as unknown as BallotEntry) : null;
  if (!('ballot' in entry)) return null;
  if (entry['reason'] !== undefined && !isReason(entry['reason'])) return null;
  return entry as unknown as BallotEntry;
};

const parsePollEntry = (key: string, entry: SignedEntry): PollEntry | null => {
  if (entry.type === BALLOT_TYPE) return parseBallot(key, entry);
  if (entry.type === CLOSE_TYPE && key === entryKey(CLOSE_TYPE, entry.author) && typeof entry['closed'] === 'boolean') {
    const count = entry['count'];
    return count === undefined || (Number.isSafeInteger(count) && (count as number) >= 0) ? (entry as unknown as CloseEntry) : null;
  }
  if (entry.type === CLOSE_SET_TYPE && key.startsWith(`${CLOSE_SET_TYPE}:${entry.author}:`) && Number.isSafeInteger(entry['of'])) {
    return isBoundedStringList(entry['ids'], CLOSE_SET_PART, 16) ? (entry as unknown as CloseSetEntry) : null;
  }
  return null;
};

const positiveInteger = (value: unknown): number | undefined => (Number.isSafeInteger(value) && (value as number) >= 0 ? (value as number) : undefined);

/**
 * A copy of `config` the model can keep: options with duplicate ids dropped (the first one wins),
 * unknown kinds and settings left out.
 */
export const normalizePollConfig = (config: PollConfig): PollConfig => {
  const seen = new Set<string>();
  const options = [];
  for (const { id, label } of config.options) {
    if (seen.has(id)) continue;
    seen.add(id);
    options.push(Object.freeze({ id, label }));
  }
  const out: Record<string, unknown> = { question: config.question, options: Object.freeze(options) };
  if ((POLL_KINDS as readonly unknown[]).includes(config.kind)) out['kind'] = config.kind;
  const max = positiveInteger(config.max);
  const min = positiveInteger(config.min);
  const quorum = positiveInteger(config.quorum);
  if (max !== undefined) out['max'] = max;
  if (min !== undefined) out['min'] = min;
  if (quorum !== undefined && quorum > 0) out['quorum'] = quorum;
  if (typeof config.closes === 'string' && Number.isFinite(Date.parse(config.closes))) out['closes'] = config.closes;
  if ((RESULTS_VISIBILITY as readonly unknown[]).includes(config.results)) out['results'] = config.results;
  if (config.anonymous === true) out['anonymous'] = true;
  if (config.export === 'everyone' || config.export === 'organizers') out['export'] = config.export;
  return Object.freeze(out) as unknown as PollConfig;
};

/** Options of a {@link PollModel}. */
export type PollModelOptions = SignedEntryModelOptions;

/** Longest a timer may wait (setTimeout's limit). */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * A poll over `doc`, of any kind. The page is the authority for question, options and settings
 * (`config`, changeable with {@link setConfig}); the doc holds ballots and organizers' closes.
 * Without a signer the model is read-only.
 */
export class PollModel extends SignedEntryModel<PollEntry, PollView> {
  private config: PollConfig;
  private closesTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly clock: () => number;
  /** The results of the ballots that count before any organizer's close, kept as entries change (for {@link config}). */
  private running: RunningTally | null = null;
  /** The entries the running tally last saw, in the order the entries came: unchanged ones are passed over by position… */
  private seen: PollEntry[] = [];
  /** …with what each was: a counted ballot (1), a ballot that does not count (2), or an organizer's entry (0). */
  private roles: number[] = [];
  /** The entries map the running tally last saw, and the organizers' entries in it. */
  private tracked: ReadonlyMap<string, PollEntry> | null = null;
  private closes: PollEntry[] = [];
  /** {@link config} as JSON, for {@link viewKey}. */
  private configText: { readonly config: PollConfig; readonly text: string } | null = null;

  constructor(doc: Y.Doc, name: string, config: PollConfig, signer: Signer | null, options: PollModelOptions = {}) {
    super(doc, pollScope(name), signer, options);
    this.clock = options.now ?? Date.now;
    this.config = normalizePollConfig(config);
    this.scheduleClosing();
  }

  protected parse(key: string, entry: SignedEntry): PollEntry | null {
    return parsePollEntry(key, entry);
  }

  /** The usual body fields, stored without their names (entries.ts). */
  protected override bodyFields(type: string): readonly string[] | undefined {
    if (type === BALLOT_TYPE) return BALLOT_FIELDS;
    if (type === CLOSE_SET_TYPE) return ['ids', 'of'];
    return undefined;
  }

  protected derive(entries: ReadonlyMap<string, PollEntry>, changed?: ReadonlySet<string>): PollView {
    const me = this.signer?.publicKey ?? null;
    const closesAt = this.closesAt;
    const { running, closes } = this.track(entries, closesAt, changed);
    const close = this.latestClose(closes);
    if (close?.closed) {
      // An organizer closed the poll: count what it froze (a closed poll seldom changes).
      const ballots: BallotEntry[] = [];
      for (const entry of entries.values()) if (isBallotEntry(entry) && entry.ts <= closesAt) ballots.push(entry);
      return derivePollView(this.config, { ballots: this.frozenBallots(ballots, closes, close), closed: true }, me);
    }
    return pollView(this.config, running.results(), me === null ? null : running.ballot(ballotKey(me)), this.clock() > closesAt);
  }

  /**
   * The view depends on the page's configuration and on whether its `closes` has passed (kept-view.ts):
   * `JSON.stringify([config, closed])`, the configuration's text made once per configuration (the
   * key is taken on every derive, i.e. on every live ballot).
   */
  protected override viewKey(): string | null {
    if (this.configText?.config !== this.config) this.configText = { config: this.config, text: JSON.stringify(this.config) };
    return `[${this.configText.text},${this.clock() > this.closesAt}]`;
  }

  /**
   * Whether a ballot signed now would not count: the view says closed, or `closes` has passed since
   * it was derived (a view is derived when something changes, not when the clock passes `closes`).
   */
  private get isClosedNow(): boolean {
    return this.view.closed || this.clock() > this.closesAt;
  }

  /** When ballots stop counting (signed time), by the page's `closes`. */
  private get closesAt(): number {
    return this.config.closes === undefined ? Infinity : Date.parse(this.config.closes);
  }

  /**
   * Brings the running tally up to `entries`: only the entries that changed since the last derive
   * are counted again (an entry in the same place as last time is the same entry; with `changed`,
   * the keys the entry model says changed are read, and nothing else). Returns it, and the
   * organizers' close entries (few).
   */
  private track(entries: ReadonlyMap<string, PollEntry>, closesAt: number, changed?: ReadonlySet<string>): { running: RunningTally; closes: PollEntry[] } {
    if (this.running?.config !== this.config) {
      this.running = new RunningTally(this.config);
      this.seen = [];
      this.roles = [];
      this.tracked = null;
    }
    const running = this.running;
    if (changed !== undefined && entries === this.tracked && onlyBallots(changed)) {
      // The same map as last time, changed under these ballots' keys only (a live ballot: one key):
      // those are read, the organizers' entries are last time's.
      trackKeys(running, entries, changed, closesAt);
      return { running, closes: this.closes };
    }
    return this.trackAll(running, entries, closesAt);
  }

  /**
   * {@link track}'s pass over every entry. A function of its own: optimized while it loops over a
   * first sync's 10,000 entries, `track` was compiled without its one-key path's feedback and
   * bailed out (deoptimized) on every live ballot after that.
   */
  private trackAll(running: RunningTally, entries: ReadonlyMap<string, PollEntry>, closesAt: number): { running: RunningTally; closes: PollEntry[] } {
    const { seen, roles } = this;
    this.tracked = entries;
    const closes: PollEntry[] = [];
    let counted = 0;
    let i = 0;
    // One pass of identity checks over a 10,000-voter poll; an entry is read only if it changed.
    for (const entry of entries.values()) {
      let role = roles[i];
      if (seen[i] !== entry) {
        seen[i] = entry;
        role = roles[i] = !isBallotEntry(entry) ? 0 : entry.ts <= closesAt ? 1 : 2;
        // A ballot sits under its author's key (parseBallot), so the key need not be carried along.
        if (role !== 0) running.set(ballotKey(entry.author), role === 1 ? entry : null);
      }
      if (role === 1) counted++;
      else if (role === 0) closes.push(entry);
      i++;
    }
    seen.length = i;
    roles.length = i;
    this.closes = closes;
    // Keys that no longer hold a counted ballot (rare: a peer's entry became invalid).
    if (running.size > counted) {
      for (const key of running.keys()) {
        const entry = entries.get(key);
        running.set(key, entry !== undefined && isBallotEntry(entry) && entry.ts <= closesAt ? entry : null);
      }
    }
    return { running, closes };
  }

  /** The organizers' latest close (or reopen) in the shared order, if any. */
  private latestClose(closes: readonly PollEntry[]): CloseEntry | undefined {
    let close: CloseEntry | undefined;
    for (const entry of closes) {
      if (entry.type === CLOSE_TYPE && this.isOrganizer(entry.author) && (close === undefined || compareEntries(entry, close) > 0)) close = entry as CloseEntry;
    }
    return close;
  }

  /** Of `ballots`, those `close` counted: the ones it froze once all its parts are here, until then those signed before it. */
  private frozenBallots(ballots: BallotEntry[], entries: Iterable<PollEntry>, close: CloseEntry): BallotEntry[] {
    const frozen = this.frozenSet(entries, close);
    return frozen === null ? ballots.filter((b) => compareEntries(b, close) < 0) : ballots.filter((b) => frozen.has(ballotId(b)));
  }

  /** The ballots that count, and whether the poll is closed (see the module comment). */
  private countedSet(entries: ReadonlyMap<string, PollEntry>): CountedSet {
    const closesAt = this.closesAt;
    const ballots: BallotEntry[] = [];
    const closes: PollEntry[] = [];
    for (const entry of entries.values()) {
      if (isBallotEntry(entry)) {
        if (entry.ts <= closesAt) ballots.push(entry);
      } else closes.push(entry);
    }
    const close = this.latestClose(closes);
    if (close?.closed) return { ballots: this.frozenBallots(ballots, closes, close), closed: true };
    return { ballots, closed: this.clock() > closesAt };
  }

  /** The ids `close` froze, once all its parts are here; null until then. */
  private frozenSet(entries: Iterable<PollEntry>, close: CloseEntry): Set<string> | null {
    const ids = new Set<string>();
    for (const entry of entries) {
      if (entry.type === CLOSE_SET_TYPE && entry.author === close.author && (entry as CloseSetEntry).of === close.ts) {
        for (const id of (entry as CloseSetEntry).ids) ids.add(id);
      }
    }
    return ids.size === (close.count ?? 0) ? ids : null;
  }

  /** Derives again when the closing time passes. */
  private scheduleClosing(): void {
    clearTimeout(this.closesTimer);
    if (this.config.closes === undefined) return;
    const wait = Date.parse(this.config.closes) - this.clock();
    if (wait < 0) return;
    this.closesTimer = setTimeout(() => (this.clock() > Date.parse(this.config.closes!) ? this.refresh() : this.scheduleClosing()), Math.min(wait + 1, MAX_TIMER_MS));
    (this.closesTimer as { unref?: () => void }).unref?.();
  }

  override destroy(): void {
    clearTimeout(this.closesTimer);
    super.destroy();
  }

  /** The page's configuration, as the model keeps it. */
  get pollConfig(): PollConfig {
    return this.config;
  }

  /** Replaces the page's question, options and settings and derives the view again (no change event: the page made it). */
  setConfig(config: PollConfig): void {
    const next = normalizePollConfig(config);
    // Widgets hand their configuration over on every render: derive again only when it changed.
    if (plainEqual(next, this.config)) return;
    this.config = next;
    this.scheduleClosing();
    this.refresh();
  }

  /**
   * Casts (or changes) this visitor's ballot, in the shape of the poll's kind (`'id'` for a
   * single-choice poll; see PollView). Resolves once the ballot is written and the view derived.
   * Rejects with a {@link GatherError}: `unknown-option`, `invalid-ballot`, `closed`, `no-signer`,
   * `destroyed`.
   */
  async vote(ballot: Ballot, { reason }: { reason?: string } = {}): Promise<void> {
    const signer = this.requireSigner();
    if (this.isClosedNow) throw new GatherError('closed', 'This poll is closed');
    const problem = ballotProblem(this.config, ballot);
    if (problem === 'unknown-option') throw new GatherError(problem, `This poll has no such option: ${JSON.stringify(ballot)}`);
    if (problem !== null) throw new GatherError(problem, `Not a ballot this ${kindOf(this.config)} poll allows: ${JSON.stringify(ballot)}`);
    if (reason !== undefined && !isReason(reason)) throw new GatherError('invalid-ballot', `A reason is at most ${MAX_REASON_LENGTH} characters`);
    const body: BallotBody = reason ? { ballot, reason } : { ballot };
    await this.write(ballotKey(signer.publicKey), BALLOT_TYPE, body);
  }

  /** Withdraws this visitor's ballot (a signed ballot of null). Rejects like {@link vote}. */
  async retract(): Promise<void> {
    const signer = this.requireSigner();
    if (this.isClosedNow) throw new GatherError('closed', 'This poll is closed');
    await this.write<BallotBody>(ballotKey(signer.publicKey), BALLOT_TYPE, { ballot: null });
  }

  /**
   * Closes the poll as an organizer, freezing the ballots counted now: every peer counts exactly
   * those from then on. Rejects with `not-organizer` unless this visitor is one of the page's.
   */
  async close(): Promise<void> {
    const signer = this.requireSigner();
    if (!this.signsAsOrganizer) throw new GatherError('not-organizer', 'Only the organizers this page names can close the poll');
    await this.settled();
    const ids = this.countedSet(this.store.entries).ballots.map(ballotId).sort(compareStrings);
    const closing = await this.writeAsOrganizer(entryKey(CLOSE_TYPE, signer.publicKey), CLOSE_TYPE, { closed: true, count: ids.length });
    for (let part = 0; part * CLOSE_SET_PART < ids.length; part++) {
      const slice = ids.slice(part * CLOSE_SET_PART, (part + 1) * CLOSE_SET_PART);
      await this.writeAsOrganizer(entryKey(CLOSE_SET_TYPE, signer.publicKey, String(part)), CLOSE_SET_TYPE, { of: closing.ts, ids: slice });
    }
  }

  /** Reopens the poll as an organizer. Rejects like {@link close}. */
  async reopen(): Promise<void> {
    const signer = this.requireSigner();
    await this.writeAsOrganizer(entryKey(CLOSE_TYPE, signer.publicKey), CLOSE_TYPE, { closed: false });
  }

  /**
   * The configuration, the results and every counted ballot behind them (see {@link PollExport}):
   * `tally(config, ballots)` gives `results` again.
   */
  export(): PollExport<BallotEntry> {
    const ballots = [...this.countedSet(this.store.entries).ballots].sort((a, b) => compareStrings(a.author, b.author));
    const results = tally(this.config, ballots);
    return { config: this.config, results, ballots, question: this.config.question, options: results.options, total: results.total };
  }

  /** The counted ballots as CSV, one row per ballot: voter (left out when anonymous), signed time, ballot (JSON), reason. */
  exportCsv(): string {
    const { config, ballots } = this.export();
    const cell = (text: string) => (/[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text);
    const header = [...(config.anonymous ? [] : ['voter']), 'signed_at', 'ballot', 'reason'];
    const rows = ballots.map((b) => {
      const counted = countedBallot(config, b);
      return [...(config.anonymous ? [] : [b.author]), new Date(b.ts).toISOString(), JSON.stringify(counted?.ballot ?? null), counted?.reason ?? ''].map(cell).join(',');
    });
    return [header.join(','), ...rows].join('\r\n') + '\r\n';
  }
}
