/**
 * A tally kept up to date as ballots come and go, one key at a time: what `tally(config, ballots)`
 * would return for the ballots it holds, without a pass over every ballot per change.
 *
 * A 10,000-voter poll receives one ballot at a time; recounting from scratch on each is 10,000
 * ballot checks for one changed ballot. Here a change takes the key's old ballot out of the counts
 * and puts its new one in: counts per option (single, multiple), score distributions and sums
 * (score), stances (consent), availability (time), and the reasons in their authors' order. A
 * ranked poll recounts its instant-runoff rounds from the kept ballots when its results are read
 * (the rounds depend on every ballot), but never checks a ballot twice. `tally` stays the
 * reference: the tests check that both agree after any sequence of changes.
 *
 * Results are rebuilt only after a change, as new small objects; the reasons list (which may be
 * as long as the poll) is the same array until a reason comes or goes, so a view holding it
 * compares and renders in no time.
 */
import { compareStrings } from '../order.js';
import { ballotNormalizer, kindOf, scoreRange } from './ballots.js';
import { rawBallot, reasonOf, type BallotLike } from './index.js';
import { condorcetWinner, instantRunoff } from './ranked.js';
import {
  STANCES,
  type Availability,
  type Ballot,
  type ConsentBallot,
  type OptionResult,
  type PollKind,
  type RankedBallot,
  type Reason,
  type ScoreBallot,
  type Stance,
  type TallyConfig,
  type TallyResults,
  type TimeBallot,
} from './types.js';

/** What a key contributes: the entry it was given and, if it counts, its ballot and reason. */
interface Held {
  readonly entry: BallotLike;
  /** The ballot as it counts, or null: the entry casts nothing valid for this poll. */
  readonly ballot: Ballot | null;
  /** Its place in the reasons (sorted by author), if it gives one. */
  readonly reason: { readonly by: string; readonly out: Reason } | null;
}

/** Index of the first item of `list` (sorted by `by`) whose `by` is not below `by`. */
const lowerBound = (list: readonly { readonly by: string }[], by: string): number => {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareStrings(list[mid]!.by, by) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
};

/**
 * The running results of one poll configuration. {@link set} a key's ballot entry (or null to
 * take it out); {@link results} gives what `tally(config, ballots)` gives for the entries held.
 * The configuration is fixed: a new one needs a new tally.
 */
export class RunningTally {
  readonly config: TallyConfig;
  private readonly kind: PollKind;
  private readonly normalize: (value: unknown) => Ballot | null;
  private readonly ids: readonly string[];
  private readonly index: ReadonlyMap<string, number>;
  private readonly held = new Map<string, Held>();
  private total = 0;
  /** single, multiple: ballots per option, in page order. */
  private readonly counts: number[];
  /** score: per option, how many gave each score, their sum and their number. */
  private readonly distribution: number[][];
  private readonly sums: number[];
  private readonly scored: number[];
  private readonly min: number;
  /** consent */
  private readonly stances: Record<Stance, number>;
  /** time: yes, maybe, no per option. */
  private readonly availability: Record<Availability, number>[];
  /** Reasons in the order of their authors' keys. */
  private readonly reasonList: { readonly by: string; readonly out: Reason }[] = [];
  private reasonsOut: readonly Reason[] | null = Object.freeze([]);
  private cached: TallyResults | null = null;

  constructor(config: TallyConfig) {
    this.config = config;
    this.kind = kindOf(config);
    this.normalize = ballotNormalizer(config);
    this.ids = config.options.map((o) => o.id);
    // The first option of an id wins, as tally's counts do.
    const index = new Map<string, number>();
    this.ids.forEach((id, i) => {
      if (!index.has(id)) index.set(id, i);
    });
    this.index = index;
    const n = this.ids.length;
    this.counts = new Array<number>(n).fill(0);
    const { min, max } = scoreRange(config);
    this.min = min;
    const width = Math.max(0, max - min + 1);
    this.distribution = this.kind === 'score' ? Array.from({ length: n }, () => new Array<number>(width).fill(0)) : [];
    this.sums = new Array<number>(n).fill(0);
    this.scored = new Array<number>(n).fill(0);
    this.stances = Object.fromEntries(STANCES.map((s) => [s, 0])) as Record<Stance, number>;
    this.availability = Array.from({ length: n }, () => ({ yes: 0, maybe: 0, no: 0 }));
  }

  /** Keys held (counting or not). */
  get size(): number {
    return this.held.size;
  }

  /** The keys held. */
  keys(): IterableIterator<string> {
    return this.held.keys();
  }

  /** The entry held under `key`, if any. */
  entry(key: string): BallotLike | undefined {
    return this.held.get(key)?.entry;
  }

  /** The ballot `key`'s entry casts, as it counts (the shape `vote()` takes), or null. */
  ballot(key: string): Ballot | null {
    return this.held.get(key)?.ballot ?? null;
  }

  /**
   * Makes `entry` the ballot entry under `key` (one key per author, as the poll stores them), or
   * takes the key out with null. Giving the same entry object again changes nothing.
   */
  set(key: string, entry: BallotLike | null): void {
    const old = this.held.get(key);
    if (old?.entry === entry || (old === undefined && entry === null)) return;
    if (old !== undefined) {
      this.apply(old, -1);
      this.held.delete(key);
    }
    if (entry !== null) {
      const held = this.read(entry);
      this.held.set(key, held);
      this.apply(held, 1);
    }
  }

  /** What `tally(config, ballots)` returns for the entries held. A new object after each change; the same one until then. */
  results(): TallyResults {
    this.cached ??= this.build();
    return this.cached;
  }

  /** The ballot and reason `entry` casts, checked once. */
  private read(entry: BallotLike): Held {
    // The same reading as tally's.
    const raw = rawBallot(this.config, entry);
    const ballot = raw === null ? null : this.normalize(raw);
    if (ballot === null) return { entry, ballot: null, reason: null };
    const reason = entry.reason === undefined && this.kind !== 'consent' ? undefined : reasonOf(entry, ballot);
    if (!reason) return { entry, ballot, reason: null };
    const stance = (ballot as Partial<ConsentBallot>).stance;
    const out: Reason = Object.freeze({ author: this.config.anonymous ? null : entry.author, reason, ...(stance ? { stance } : {}) });
    return { entry, ballot, reason: { by: entry.author, out } };
  }

  /** Adds (`sign` 1) or takes out (-1) what `held` counts. */
  private apply(held: Held, sign: 1 | -1): void {
    const { ballot } = held;
    if (ballot === null) return;
    this.cached = null;
    this.total += sign;
    switch (this.kind) {
      case 'single':
        this.counts[this.index.get(ballot as string)!]! += sign;
        break;
      case 'multiple':
        for (const id of ballot as readonly string[]) this.counts[this.index.get(id)!]! += sign;
        break;
      case 'ranked':
        // Recounted from the held ballots when read.
        break;
      case 'score':
        for (const [id, score] of Object.entries(ballot as ScoreBallot)) {
          const i = this.index.get(id)!;
          this.distribution[i]![score - this.min]! += sign;
          this.sums[i]! += sign * score;
          this.scored[i]! += sign;
        }
        break;
      case 'consent':
        this.stances[(ballot as ConsentBallot).stance] += sign;
        break;
      case 'time':
        for (const [id, answer] of Object.entries(ballot as TimeBallot)) this.availability[this.index.get(id)!]![answer] += sign;
        break;
    }
    if (held.reason !== null) {
      const at = lowerBound(this.reasonList, held.reason.by);
      if (sign > 0) this.reasonList.splice(at, 0, held.reason);
      else if (this.reasonList[at] === held.reason) this.reasonList.splice(at, 1);
      else this.reasonList.splice(this.reasonList.indexOf(held.reason), 1);
      this.reasonsOut = null;
    }
  }

  private build(): TallyResults {
    this.reasonsOut ??= Object.freeze(this.reasonList.map((r) => r.out));
    const reasons = this.reasonsOut;
    const total = this.total;
    const base = (extra: (i: number) => Partial<OptionResult>): OptionResult[] =>
      this.config.options.map(({ id, label }) => ({ id, label, ...extra(this.index.get(id)!) }));
    switch (this.kind) {
      case 'single':
      case 'multiple':
        return { options: base((i) => ({ count: this.counts[i]! })), total, reasons };
      case 'ranked': {
        const ballots: RankedBallot[] = [];
        for (const held of this.held.values()) if (held.ballot !== null) ballots.push(held.ballot as RankedBallot);
        const { rounds, winner } = instantRunoff(this.ids, ballots);
        return { options: base(() => ({})), total, reasons, rounds, winner, condorcet: condorcetWinner(this.ids, ballots) };
      }
      case 'score':
        return {
          options: base((i) => ({ mean: this.scored[i] === 0 ? null : this.sums[i]! / this.scored[i]!, distribution: [...this.distribution[i]!] })),
          total,
          reasons,
        };
      case 'consent':
        return { options: [], total, reasons, stances: { ...this.stances } };
      case 'time': {
        const options = base((i) => ({ ...this.availability[i]! }));
        const most = (field: 'yes' | 'maybe', among: readonly OptionResult[]) => {
          const top = Math.max(...among.map((o) => o[field]!));
          return among.filter((o) => o[field] === top);
        };
        const best = total === 0 ? [] : most('maybe', most('yes', options)).map((o) => o.id);
        return { options, total, reasons, best };
      }
    }
  }
}
