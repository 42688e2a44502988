/**
 * The deliberation thread: comments with replies, reactions, proposals that are consent polls, the
 * decisions recorded on them, and organizer moderation.
 *
 * Entries in the root map `thread:<name>` (every id is signed inside the body too, since a map key
 * is not signed: an entry copied under another id of its author's does not count):
 * - `comment:<author>:<local>` — `{ id, text, replyTo?, name? }`; its public id is `<author>:<local>`.
 * - `edit:<author>:<local>` — `{ id, text }`: the author's latest wording of their comment.
 * - `retract:<author>:<local>` — `{ id }`: the author took their comment back (its text is no longer shown).
 * - `react:<author>:<comment id>` — `{ target, on }`: the author's reactions to a comment (toggled by rewriting).
 * - `proposal:<author>:<local>` — `{ id, text, name? }`. Stances on it are ballots of a consent
 *   poll (`PollModel`, scope `poll:<thread name>/proposal/<proposal id>`): the poll's own ballot
 *   entries and counting (`tally`), nothing copied.
 * - `decision:<author>:<proposal id>` — `{ proposal, outcome, count }`, by the proposer or one of
 *   the page's organizers, and `decisionset:<author>:<proposal id>:<part>` — `{ proposal, part, of,
 *   ids }`: the ids of the ballots it counted (`of` names the decision by its signed time), in parts
 *   as the poll's close does. Once every part is here every peer counts exactly those; until then,
 *   the ballots signed before the decision. The first decision in the shared order stands. The poll
 *   itself is not closed (only organizers could close it): the thread refuses stances on a decided
 *   proposal, and a late or forged ballot is not in the counted set.
 * - `hide:<author>:<comment id>` — `{ target, hidden, reason }`, organizers only; the latest decides.
 * - `lock:<author>` — `{ locked }`, organizers only; the latest decides. Comments, edits, reactions
 *   and proposals signed after it (in the shared order) do not count; retractions, stances and
 *   decisions still do.
 *
 * Limits every peer applies: text lengths (thread.types.ts), and per author at most
 * {@link MAX_POSTS_PER_WINDOW} comments and proposals within {@link RATE_WINDOW_MS} and
 * {@link MAX_POSTS_PER_AUTHOR} in all, in the shared order; the rest are not shown.
 */
import type * as Y from 'yjs';
import { GatherError } from '../errors.js';
import type { SignedEntry, Signer } from '../identity/types.js';
import { toBase64url } from '../identity/base64url.js';
import { isBoundedString, isBoundedStringList, plainEqual } from '../plain.js';
import { entryKey } from './entry-key.js';
import { compareEntries, compareStrings, sortEntries } from './order.js';
import { ballotId, CLOSE_SET_PART, PollModel, type BallotEntry } from './poll.js';
import type { PollConfig } from './poll.types.js';
import { SignedEntryModel, type SignedEntryModelOptions } from './signed-entry-model.js';
import { MAX_REASON_LENGTH } from './tally/ballots.js';
import { countedBallot, tally } from './tally/index.js';
import { STANCES, type ConsentBallot, type Stance } from './tally/types.js';
import {
  MAX_COMMENT_LENGTH,
  MAX_HIDE_REASON_LENGTH,
  MAX_OUTCOME_LENGTH,
  MAX_POSTS_PER_AUTHOR,
  MAX_POSTS_PER_WINDOW,
  MAX_SHOWN_DEPTH,
  RATE_WINDOW_MS,
  REACTIONS,
  type CommentView,
  type DecisionView,
  type ProposalView,
  type Reaction,
  type ThreadConfig,
  type ThreadView,
} from './thread.types.js';
import { MAX_DISPLAY_NAME } from '../identity/display-name.js';

/** Root map name of the thread called `name`. */
export const threadScope = (name: string): string => `thread:${name}`;
/** The poll name (in the same room) that holds the stances on a proposal of thread `name`. */
export const proposalPollName = (name: string, proposalId: string): string => `${name}/proposal/${proposalId}`;

const COMMENT = 'comment';
const EDIT = 'edit';
const RETRACT = 'retract';
const REACT = 'react';
const PROPOSAL = 'proposal';
const DECISION = 'decision';
const DECISION_SET = 'decisionset';
const HIDE = 'hide';
const LOCK = 'lock';

/** A local id: base64url, as {@link newLocalId} makes them. */
const LOCAL_ID = /^[A-Za-z0-9_-]{1,22}$/;
/** A public id: `<author>:<local id>` (authors are base64url keys). */
const PUBLIC_ID = /^[A-Za-z0-9_-]{40,90}:[A-Za-z0-9_-]{1,22}$/;
const isLocalId = (value: unknown): value is string => typeof value === 'string' && LOCAL_ID.test(value);
const isPublicId = (value: unknown): value is string => typeof value === 'string' && PUBLIC_ID.test(value);
/** Not empty, nor only spaces (`\S`: what trim() would leave, without making the trimmed copy). */
const NOT_BLANK = /\S/;
const isText = (value: unknown, max: number): value is string => isBoundedString(value, max) && NOT_BLANK.test(value);
const isName = (value: unknown): value is string => isBoundedString(value, MAX_DISPLAY_NAME, true);
const isReaction = (value: unknown): value is Reaction => (REACTIONS as readonly unknown[]).includes(value);

type CommentEntry = SignedEntry<{ readonly id: string; readonly text: string; readonly replyTo?: string; readonly name?: string }>;
type EditEntry = SignedEntry<{ readonly id: string; readonly text: string }>;
type RetractEntry = SignedEntry<{ readonly id: string }>;
type ReactEntry = SignedEntry<{ readonly target: string; readonly on: readonly Reaction[] }>;
type ProposalEntry = SignedEntry<{ readonly id: string; readonly text: string; readonly name?: string }>;
type DecisionEntry = SignedEntry<{ readonly proposal: string; readonly outcome: string; readonly count: number }>;
type DecisionSetEntry = SignedEntry<{ readonly proposal: string; readonly part: number; readonly of: number; readonly ids: readonly string[] }>;
type HideEntry = SignedEntry<{ readonly target: string; readonly hidden: boolean; readonly reason: string }>;
type LockEntry = SignedEntry<{ readonly locked: boolean }>;
export type ThreadEntry = CommentEntry | EditEntry | RetractEntry | ReactEntry | ProposalEntry | DecisionEntry | DecisionSetEntry | HideEntry | LockEntry;

/** `<author>:<local id>`: a comment's or proposal's public id (CommentView.id). */
const publicIdOf = (entry: { readonly author: string; readonly id: string }): string => `${entry.author}:${entry.id}`;

/** A field a body may have besides the required ones: absent, or passing its check. */
const optional = (value: unknown, check: (v: unknown) => boolean): boolean => value === undefined || check(value);

/**
 * Accepts a header-valid entry of this thread's scope stored under `key` if it is one of the
 * kinds above, well formed, within its limits, and under exactly the key its signed body names.
 * Null otherwise (never throws).
 */
export const parseThreadEntry = (key: string, entry: SignedEntry): ThreadEntry | null => {
  const under = (id?: string) => key === entryKey(entry.type, entry.author, id);
  switch (entry.type) {
    case COMMENT:
      return isLocalId(entry['id']) && under(entry['id']) && isText(entry['text'], MAX_COMMENT_LENGTH) && optional(entry['replyTo'], isPublicId) && optional(entry['name'], isName)
        ? (entry as unknown as CommentEntry)
        : null;
    case EDIT:
      return isLocalId(entry['id']) && under(entry['id']) && isText(entry['text'], MAX_COMMENT_LENGTH) ? (entry as unknown as EditEntry) : null;
    case RETRACT:
      return isLocalId(entry['id']) && under(entry['id']) ? (entry as unknown as RetractEntry) : null;
    case REACT: {
      const on = entry['on'];
      return isPublicId(entry['target']) && under(entry['target']) && Array.isArray(on) && on.length <= REACTIONS.length && on.every(isReaction) && new Set(on).size === on.length
        ? (entry as unknown as ReactEntry)
        : null;
    }
    case PROPOSAL:
      return isLocalId(entry['id']) && under(entry['id']) && isText(entry['text'], MAX_COMMENT_LENGTH) && optional(entry['name'], isName) ? (entry as unknown as ProposalEntry) : null;
    case DECISION:
      return isPublicId(entry['proposal']) && under(entry['proposal']) && isText(entry['outcome'], MAX_OUTCOME_LENGTH) && Number.isSafeInteger(entry['count']) && (entry['count'] as number) >= 0
        ? (entry as unknown as DecisionEntry)
        : null;
    case DECISION_SET: {
      const part = entry['part'];
      return isPublicId(entry['proposal']) && Number.isSafeInteger(part) && (part as number) >= 0 && under(`${entry['proposal'] as string}:${part as number}`) &&
        Number.isSafeInteger(entry['of']) && isBoundedStringList(entry['ids'], CLOSE_SET_PART, 16)
        ? (entry as unknown as DecisionSetEntry)
        : null;
    }
    case HIDE:
      return isPublicId(entry['target']) && under(entry['target']) && typeof entry['hidden'] === 'boolean' && isBoundedString(entry['reason'], MAX_HIDE_REASON_LENGTH, true)
        ? (entry as unknown as HideEntry)
        : null;
    case LOCK:
      return under() && typeof entry['locked'] === 'boolean' ? (entry as unknown as LockEntry) : null;
    default:
      return null;
  }
};

/** A fresh local id: 72 random bits, base64url. */
export const newLocalId = (): string => toBase64url(globalThis.crypto.getRandomValues(new Uint8Array(9)));

const noReactions = (): Record<Reaction, number> => ({ agree: 0, disagree: 0, question: 0, thanks: 0 });
/** What most comments have: shared (views are frozen), not made again for each comment at each derive. */
const NO_REACTIONS: Readonly<Record<Reaction, number>> = Object.freeze(noReactions());
const NONE_REACTED: readonly Reaction[] = Object.freeze([]);

/**
 * Whether two views of a comment are the same: {@link plainEqual} field by field, without its
 * generic walk (a long thread compares thousands at each derive, one more comment included).
 */
const sameComment = (a: CommentView, b: CommentView): boolean =>
  a.id === b.id &&
  a.author === b.author &&
  a.name === b.name &&
  a.text === b.text &&
  a.replyTo === b.replyTo &&
  a.depth === b.depth &&
  a.edited === b.edited &&
  a.retracted === b.retracted &&
  a.hidden === b.hidden &&
  a.hiddenReason === b.hiddenReason &&
  a.mine === b.mine &&
  a.at === b.at &&
  a.unread === b.unread &&
  (a.reactions === b.reactions ||
    (a.reactions.agree === b.reactions.agree && a.reactions.disagree === b.reactions.disagree && a.reactions.question === b.reactions.question && a.reactions.thanks === b.reactions.thanks)) &&
  (a.reacted === b.reacted || (a.reacted.length === b.reacted.length && a.reacted.every((r, i) => b.reacted[i] === r)));
/** The four reactions, by name, compared above (another reaction fails to typecheck here). */
const comparedReactions: readonly ['agree', 'disagree', 'question', 'thanks'] = REACTIONS;
void comparedReactions;
/** Every field of a comment's view is compared above (this fails to typecheck when one is added and not compared there). */
type ComparedFields = 'id' | 'author' | 'name' | 'text' | 'replyTo' | 'depth' | 'edited' | 'retracted' | 'hidden' | 'hiddenReason' | 'mine' | 'at' | 'unread' | 'reactions' | 'reacted';
type SameCommentCoversEveryField = [Exclude<keyof CommentView, ComparedFields>] extends [never] ? true : never;
const everyFieldCompared: SameCommentCoversEveryField = true;
void everyFieldCompared;
/** Likewise every field of a view, in ThreadModel.sameView. */
type SameViewCoversEveryField = [Exclude<keyof ThreadView, 'topic' | 'locked' | 'unread' | 'comments' | 'proposals' | 'decision'>] extends [never] ? true : never;
const everyViewFieldCompared: SameViewCoversEveryField = true;
void everyViewFieldCompared;
const noStances = (): Record<Stance, number> => Object.fromEntries(STANCES.map((s) => [s, 0])) as Record<Stance, number>;

/** The consent poll that holds a proposal's stances. */
const proposalConfig = (text: string): PollConfig => ({ kind: 'consent', question: text, options: [], results: 'always' });

/**
 * Which posts (comments and proposals) count, per author, in the shared order: at most
 * {@link MAX_POSTS_PER_WINDOW} signed within any {@link RATE_WINDOW_MS}, and
 * {@link MAX_POSTS_PER_AUTHOR} in all.
 */
export const withinRate = <T extends SignedEntry<object>>(posts: readonly T[]): T[] => rateOf(posts).kept;

/** Each author's counted posts (their signed times, in the shared order) as {@link withinRate} counts them. */
type AuthorPosts = Map<string, { readonly counted: number[]; start: number }>;

/** {@link withinRate}, with the last post in the shared order (kept or not) and what each author has counted. */
const rateOf = <T extends SignedEntry<object>>(posts: readonly T[]): { kept: T[]; last: T | undefined; byAuthor: AuthorPosts } => {
  // One sort of every post: each author's posts are then in the shared order too, and what is
  // kept is too (not a sort per author and another of what is kept).
  const sorted = sortEntries(posts);
  const byAuthor: AuthorPosts = new Map();
  const kept: T[] = [];
  for (const post of sorted) {
    let author = byAuthor.get(post.author);
    if (author === undefined) byAuthor.set(post.author, (author = { counted: [], start: 0 }));
    if (!counts(author, post.ts)) continue;
    author.counted.push(post.ts);
    kept.push(post);
  }
  return { kept, last: sorted.at(-1), byAuthor };
};

/** Whether one more post signed at `ts`, after every post `author` has counted (in the shared order), counts too. */
const counts = (author: { readonly counted: readonly number[]; start: number }, ts: number): boolean => {
  const { counted } = author;
  if (counted.length >= MAX_POSTS_PER_AUTHOR) return false;
  while (author.start < counted.length && counted[author.start]! <= ts - RATE_WINDOW_MS) author.start++;
  return counted.length - author.start < MAX_POSTS_PER_WINDOW;
};

/** Comments added to the last view at most (more are derived with everything else). */
const MAX_ADDED = 64;

/**
 * What a derive leaves for the next one to add new comments to, rather than derive every comment
 * again (one more comment in a 2,000-comment thread): what it was derived from, and the tree.
 */
interface Derived {
  readonly entries: ReadonlyMap<string, ThreadEntry>;
  readonly config: ThreadConfig;
  readonly me: string | null;
  readonly trust: unknown;
  /** How many entries it was derived from (the changed keys are all new when it grew by as many). */
  size: number;
  /** The last post (comment or proposal) in the shared order, counted or not. */
  last: SignedEntry<object> | undefined;
  readonly byAuthor: AuthorPosts;
  /** Shown comments by public id, and their depth in the tree (not capped). */
  readonly comments: Map<string, CommentEntry>;
  readonly depths: Map<string, number>;
  /** Public ids an edit, retraction, reaction or hide names (whether it counts or not). */
  readonly targets: Set<string>;
  view: ThreadView;
}

/** Options of a {@link ThreadModel}. */
export type ThreadModelOptions = SignedEntryModelOptions;

/**
 * A deliberation thread over `doc`, in the root map `thread:<name>`, with one consent
 * {@link PollModel} per proposal in the same doc. The page is the authority for the topic.
 * Without a signer the model is read-only.
 */
export class ThreadModel extends SignedEntryModel<ThreadEntry, ThreadView> {
  readonly name: string;
  private config: ThreadConfig;
  private readonly doc: Y.Doc;
  private readonly pollOptions: SignedEntryModelOptions;
  private readonly clock: () => number;
  private readonly polls = new Map<string, { readonly model: PollModel; readonly off: () => void }>();
  /** The last view's comments and proposals by id, so unchanged ones keep their (frozen) object. */
  private previous = new Map<string, ProposalView>();
  /**
   * The last view of each comment, by its (kept, unchanging) entry: an unchanged comment keeps its
   * frozen object, found without a map of thousands rebuilt at every derive.
   */
  private commentViews = new WeakMap<CommentEntry, CommentView>();
  /** The last derive's, for the next to add new comments to (null: derive everything). */
  private derived: Derived | null = null;
  /**
   * Public ids made so far, by entry: the same string each derive, so its hash is computed once for
   * the maps keyed by it. This model's own, not the page's: a page-wide weak map also took the
   * entries of every thread that had left the page (a thread opened after another, a remount), and
   * adding one more comment's id to it took 0.4-0.6 ms (of the comment's 2 ms) in most runs of
   * bench/thread.ts, V8 rebuilding the table once the dead entries were collected, it appears; in a
   * map of this model's entries alone, too little to measure.
   */
  private readonly publicIds = new WeakMap<object, string>();
  private readonly publicId = (entry: { readonly author: string; readonly id: string }): string => {
    let id = this.publicIds.get(entry);
    if (id === undefined) this.publicIds.set(entry, (id = publicIdOf(entry)));
    return id;
  };
  /** A proposal's stances changed since the last derive (the next derives everything). */
  private stancesChanged = false;

  constructor(doc: Y.Doc, name: string, config: ThreadConfig, signer: Signer | null, options: ThreadModelOptions = {}) {
    super(doc, threadScope(name), signer, options);
    this.name = name;
    this.doc = doc;
    this.config = config;
    this.pollOptions = options;
    this.clock = options.now ?? Date.now;
  }

  protected parse(key: string, entry: SignedEntry): ThreadEntry | null {
    return parseThreadEntry(key, entry);
  }

  /**
   * {@link plainEqual}'s answer, without its walk of thousands of comments (nor the list of an
   * array's indexes it makes to compare two arrays' lengths): a comment kept from the last derive
   * is the same object, and one more comment is a longer list.
   */
  protected override sameView(a: ThreadView, b: ThreadView): boolean {
    if (a === b) return true;
    if (a.topic !== b.topic || a.locked !== b.locked || a.unread !== b.unread || a.comments.length !== b.comments.length) return false;
    for (let i = 0; i < a.comments.length; i++) if (a.comments[i] !== b.comments[i] && !sameComment(a.comments[i]!, b.comments[i]!)) return false;
    return plainEqual(a.proposals, b.proposals) && plainEqual(a.decision, b.decision);
  }

  /** Replaces the page's configuration (topic, last visit) and derives again (no change event: the page made it). */
  setConfig(config: ThreadConfig): void {
    this.config = config;
    this.refresh();
  }

  get threadConfig(): ThreadConfig {
    return this.config;
  }

  /** The consent poll of a proposal, made when the proposal first appears. */
  private pollOf(id: string, text: string): PollModel {
    let poll = this.polls.get(id);
    if (poll === undefined) {
      const model = new PollModel(this.doc, proposalPollName(this.name, id), proposalConfig(text), this.signer, this.pollOptions);
      // A stance (here or from a peer) changes the thread's view, with the poll's origin.
      const off = model.subscribe((_view, origin) => {
        this.stancesChanged = true;
        if (!this.store.isDestroyed) this.store.refresh(origin);
      });
      poll = { model, off };
      this.polls.set(id, poll);
    }
    return poll.model;
  }

  /** Keeps the previous object when a proposal did not change (a keyed render then skips it). */
  private reuse(next: ProposalView, into: Map<string, ProposalView>): ProposalView {
    const before = this.previous.get(next.id);
    const kept = before !== undefined && plainEqual(before, next) ? before : next;
    into.set(next.id, kept);
    return kept;
  }

  protected derive(entries: ReadonlyMap<string, ThreadEntry>, changed?: ReadonlySet<string>): ThreadView {
    const me = this.signer?.publicKey ?? null;
    const added = changed === undefined ? null : this.addComments(entries, changed, me);
    if (added !== null) return added;
    this.stancesChanged = false;
    const targets = new Set<string>();
    const byType = new Map<string, ThreadEntry[]>();
    for (const entry of entries.values()) {
      let list = byType.get(entry.type);
      if (list === undefined) byType.set(entry.type, (list = []));
      list.push(entry);
      if (entry.type === EDIT || entry.type === RETRACT) targets.add(this.publicId(entry as EditEntry));
      else if (entry.type === REACT || entry.type === HIDE) targets.add((entry as ReactEntry).target);
    }
    const of = <E extends ThreadEntry>(type: string) => (byType.get(type) ?? []) as E[];

    // The organizers' entries of one type, in the shared order (from this type's list, not a pass over every entry).
    const byOrganizers = <E extends ThreadEntry>(type: string) => sortEntries(of<E>(type).filter((entry) => this.isOrganizer(entry.author)));
    // The organizers' latest word on the lock decides; talk signed after it does not count.
    const lastLock = byOrganizers<LockEntry>(LOCK).at(-1);
    const lock = lastLock?.locked ? lastLock : null;
    const beforeLock = (entry: ThreadEntry) => lock === null || compareEntries(entry, lock) < 0;

    const rate = rateOf<CommentEntry | ProposalEntry>([...of<CommentEntry>(COMMENT), ...of<ProposalEntry>(PROPOSAL)].filter(beforeLock));
    const posts = rate.kept;
    const comments = new Map<string, CommentEntry>();
    const proposals: ProposalEntry[] = [];
    for (const post of posts) {
      if (post.type === COMMENT) comments.set(this.publicId(post), post as CommentEntry);
      else proposals.push(post as ProposalEntry);
    }

    const edits = new Map<string, EditEntry>();
    for (const edit of of<EditEntry>(EDIT)) {
      const id = this.publicId(edit);
      const comment = comments.get(id);
      if (comment !== undefined && compareEntries(comment, edit) < 0 && beforeLock(edit)) edits.set(id, edit);
    }
    const retracted = new Set(of<RetractEntry>(RETRACT).map(this.publicId));
    const hides = new Map<string, HideEntry>();
    for (const hide of byOrganizers<HideEntry>(HIDE)) hides.set(hide.target, hide);
    const reactions = new Map<string, Record<Reaction, number>>();
    const reacted = new Map<string, readonly Reaction[]>();
    for (const react of of<ReactEntry>(REACT)) {
      if (!comments.has(react.target) || !beforeLock(react)) continue;
      let counts = reactions.get(react.target);
      if (counts === undefined) reactions.set(react.target, (counts = noReactions()));
      for (const reaction of react.on) counts[reaction]++;
      if (react.author === me) reacted.set(react.target, Object.freeze(REACTIONS.filter((r) => react.on.includes(r))));
    }
    // Frozen as made, so that publishing the view (deepFreeze) need not walk thousands of comments.
    for (const counts of reactions.values()) Object.freeze(counts);

    // The tree: a reply hangs under its parent if that is here and comes first in the shared order
    // (so no cycle can form); otherwise it is shown at the top level.
    const children = new Map<string | null, CommentEntry[]>();
    for (const comment of comments.values()) {
      const parent = comment.replyTo !== undefined ? comments.get(comment.replyTo) : undefined;
      const under = parent !== undefined && compareEntries(parent, comment) < 0 ? comment.replyTo! : null;
      let list = children.get(under);
      if (list === undefined) children.set(under, (list = []));
      list.push(comment);
    }
    const seenUntil = this.config.seenUntil ?? null;
    const next = new Map<string, ProposalView>();
    const shown: CommentView[] = [];
    const depths = new Map<string, number>();
    let unread = 0;
    // Depth-first, iteratively (a hostile chain of replies cannot overflow the stack); `comments` is in the shared order.
    const stack: { entry: CommentEntry; depth: number; parent: string | null }[] = [];
    const push = (parent: string | null, depth: number) => {
      const list = children.get(parent) ?? [];
      for (let i = list.length - 1; i >= 0; i--) stack.push({ entry: list[i]!, depth, parent });
    };
    push(null, 0);
    while (stack.length > 0) {
      const { entry, depth, parent } = stack.pop()!;
      const id = this.publicId(entry);
      const hide = hides.get(id);
      const hidden = hide?.hidden === true;
      const isRetracted = retracted.has(id);
      const edit = edits.get(id);
      const isUnread = seenUntil !== null && entry.author !== me && entry.ts > seenUntil && !hidden && !isRetracted;
      if (isUnread) unread++;
      const view: CommentView = {
        id,
        author: entry.author,
        name: entry.name ?? '',
        text: hidden || isRetracted ? '' : (edit?.text ?? entry.text),
        replyTo: parent,
        depth: Math.min(depth, MAX_SHOWN_DEPTH),
        edited: edit !== undefined && !isRetracted,
        retracted: isRetracted,
        hidden,
        hiddenReason: hidden ? hide!.reason : null,
        reactions: reactions.get(id) ?? NO_REACTIONS,
        mine: entry.author === me,
        at: entry.ts,
        reacted: reacted.get(id) ?? NONE_REACTED,
        unread: isUnread,
      };
      depths.set(id, depth);
      const before = this.commentViews.get(entry);
      if (before !== undefined && sameComment(before, view)) {
        shown.push(before);
      } else {
        shown.push(Object.freeze(view));
        this.commentViews.set(entry, view);
      }
      push(id, depth + 1);
    }
    Object.freeze(shown);

    // Proposals, their stances (the poll's counting), and the decisions recorded on them.
    const decisions = new Map<string, DecisionEntry>();
    const byId = new Map(proposals.map((p) => [this.publicId(p), p]));
    for (const decision of sortEntries(of<DecisionEntry>(DECISION))) {
      const proposal = byId.get(decision.proposal);
      if (proposal === undefined || decisions.has(decision.proposal)) continue;
      if (decision.author === proposal.author || this.isOrganizer(decision.author)) decisions.set(decision.proposal, decision);
    }
    const sets = of<DecisionSetEntry>(DECISION_SET);
    let pinned: DecisionView | null = null;
    let pinnedEntry: DecisionEntry | null = null;
    const proposalViews = proposals.map((proposal) => {
      const id = this.publicId(proposal);
      const poll = this.pollOf(id, proposal.text);
      const config = poll.pollConfig;
      const decision = decisions.get(id);
      let ballots: readonly BallotEntry[] = poll.export().ballots;
      if (decision !== undefined) {
        const frozen = frozenSet(sets, decision);
        ballots = frozen === null ? ballots.filter((b) => compareEntries(b, decision) < 0) : ballots.filter((b) => frozen.has(ballotId(b)));
      }
      const results = tally(config, ballots);
      const own = me === null ? undefined : ballots.find((b) => b.author === me);
      const counted = own === undefined ? null : countedBallot(config, own);
      const stances = results.stances ?? noStances();
      const view = this.reuse(
        {
          id,
          author: proposal.author,
          name: proposal.name ?? '',
          text: proposal.text,
          open: decision === undefined,
          stances,
          reasons: results.reasons,
          outcome: decision?.outcome ?? null,
          at: proposal.ts,
          decidedAt: decision?.ts ?? null,
          mine: counted === null ? null : (counted.ballot as ConsentBallot).stance,
        },
        next,
      );
      if (decision !== undefined && (pinnedEntry === null || compareEntries(pinnedEntry, decision) < 0)) {
        pinnedEntry = decision;
        pinned = { proposalId: id, outcome: decision.outcome, decidedAt: decision.ts, stances };
      }
      return view;
    });
    this.previous = next;

    const view: ThreadView = { topic: this.config.topic, locked: lock !== null, comments: shown, proposals: proposalViews, decision: pinned, unread };
    // Comments can be added to this view later only while nothing locks the thread (talk signed after a lock does not count).
    this.derived =
      lock === null
        ? { entries, config: this.config, me, trust: this.trust.view, size: entries.size, last: rate.last, byAuthor: rate.byAuthor, comments, depths, targets, view }
        : null;
    return view;
  }

  /**
   * The last view with the comments under `changed` added, when that is all that changed: every
   * key is new and holds a comment signed after every post derived so far (so nothing counted
   * before changes: the rate limits, the tree, the order), that nothing derived so far names (an
   * edit or reaction waiting for it), within the rate limits; the page's configuration, this
   * visitor, the organizers and the proposals' stances as they were. Null otherwise (then
   * everything is derived again). One more comment is then a few map reads, not a pass over
   * thousands.
   */
  private addComments(entries: ReadonlyMap<string, ThreadEntry>, changed: ReadonlySet<string>, me: string | null): ThreadView | null {
    const last = this.derived;
    // A large burst (a first sync) is derived at once: adding comments one by one finds each reply's place in the list.
    if (last === null || changed.size === 0 || changed.size > MAX_ADDED || last.entries !== entries || last.config !== this.config || last.me !== me || last.trust !== this.trust.view || this.stancesChanged) return null;
    // Every changed key new: the map grew by as many (a key changed in place, or gone, would not add one).
    if (entries.size !== last.size + changed.size) return null;
    const fresh: CommentEntry[] = [];
    for (const key of changed) {
      const entry = entries.get(key);
      if (entry === undefined || entry.type !== COMMENT) return null;
      fresh.push(entry as CommentEntry);
    }
    const ordered = sortEntries(fresh);
    if (last.last !== undefined && compareEntries(last.last, ordered[0]!) >= 0) return null;
    // (Counted as they are checked: when one fails, everything is derived again, and `derived` with it.)
    for (const comment of ordered) {
      let author = last.byAuthor.get(comment.author);
      if (author === undefined) last.byAuthor.set(comment.author, (author = { counted: [], start: 0 }));
      if (last.targets.has(this.publicId(comment)) || !counts(author, comment.ts)) return null;
      author.counted.push(comment.ts);
    }
    const comments = [...last.view.comments];
    const seenUntil = this.config.seenUntil ?? null;
    let unread = last.view.unread;
    for (const comment of ordered) {
      const id = this.publicId(comment);
      // A reply hangs under its parent (shown, and earlier in the shared order), after the parent's
      // other replies and theirs; any other comment comes last.
      const parent = comment.replyTo === undefined ? undefined : last.comments.get(comment.replyTo);
      let at = comments.length;
      let depth = 0;
      if (parent !== undefined) {
        const parentDepth = last.depths.get(comment.replyTo!)!;
        depth = parentDepth + 1;
        // The parent's view, found by identity from the end (replies mostly answer recent comments).
        const parentView = this.commentViews.get(parent);
        let index = parentView === undefined ? -1 : comments.lastIndexOf(parentView);
        if (index === -1) index = comments.findIndex((c) => c.id === comment.replyTo);
        at = index + 1;
        while (at < comments.length && last.depths.get(comments[at]!.id)! > parentDepth) at++;
      }
      const isUnread = seenUntil !== null && comment.author !== me && comment.ts > seenUntil;
      if (isUnread) unread++;
      const view: CommentView = Object.freeze({
        id,
        author: comment.author,
        name: comment.name ?? '',
        text: comment.text,
        replyTo: parent === undefined ? null : comment.replyTo!,
        depth: Math.min(depth, MAX_SHOWN_DEPTH),
        edited: false,
        retracted: false,
        hidden: false,
        hiddenReason: null,
        reactions: NO_REACTIONS,
        mine: comment.author === me,
        at: comment.ts,
        reacted: NONE_REACTED,
        unread: isUnread,
      });
      comments.splice(at, 0, view);
      this.commentViews.set(comment, view);
      last.comments.set(id, comment);
      last.depths.set(id, depth);
      last.last = comment;
    }
    last.size = entries.size;
    last.view = { ...last.view, comments: Object.freeze(comments), unread };
    return last.view;
  }

  /** Resolves once the thread and the polls of its proposals have verified and derived what they hold. */
  override async settled(): Promise<void> {
    for (;;) {
      await super.settled();
      const polls = [...this.polls.values()];
      await Promise.all(polls.map((p) => p.model.settled()));
      if (polls.length === this.polls.size) return;
    }
  }

  override destroy(): void {
    for (const { model, off } of this.polls.values()) {
      off();
      model.destroy();
    }
    this.polls.clear();
    super.destroy();
  }

  /* ------------------------------------------------------------ commands */

  private requireOpen(): void {
    if (this.view.locked) throw new GatherError('locked', `This thread (${this.scope}) is locked`);
  }

  private requireText(text: string, max: number, what: string): void {
    if (!isText(text, max)) throw new GatherError('invalid-text', `A ${what} is 1–${max} characters, not only spaces`);
  }

  private comment_(id: string): CommentView {
    const comment = this.view.comments.find((c) => c.id === id);
    if (comment === undefined) throw new GatherError('unknown-comment', `This thread has no comment ${JSON.stringify(id)}`);
    return comment;
  }

  private ownComment(id: string): CommentView {
    const comment = this.comment_(id);
    if (!comment.mine) throw new GatherError('unknown-comment', 'Only its author can change a comment');
    return comment;
  }

  /** Rejects with `rate-limited` when one more post by this visitor would not be shown. */
  private requireRate(author: string): void {
    const now = this.clock();
    const mine = [...this.store.entries.values()].filter((e) => (e.type === COMMENT || e.type === PROPOSAL) && e.author === author);
    const recent = mine.filter((e) => e.ts > now - RATE_WINDOW_MS).length;
    if (recent >= MAX_POSTS_PER_WINDOW || mine.length >= MAX_POSTS_PER_AUTHOR) {
      throw new GatherError('rate-limited', `At most ${MAX_POSTS_PER_WINDOW} comments in ${RATE_WINDOW_MS / 60_000} minutes, ${MAX_POSTS_PER_AUTHOR} in all`);
    }
  }

  /**
   * Adds a comment (a reply when `replyTo` names one) signed with `name`; resolves with its id once
   * it is in the view. Rejects with a {@link GatherError}: `invalid-text`, `unknown-comment`,
   * `locked`, `rate-limited`, `no-signer`, `destroyed`.
   */
  async comment(text: string, { replyTo, name }: { replyTo?: string | null; name?: string } = {}): Promise<string> {
    const signer = this.requireSigner();
    this.requireText(text, MAX_COMMENT_LENGTH, 'comment');
    this.requireOpen();
    if (replyTo != null) this.comment_(replyTo);
    this.requireRate(signer.publicKey);
    const id = newLocalId();
    const body = { id, text, ...(replyTo != null ? { replyTo } : {}), ...(name ? { name: name.slice(0, MAX_DISPLAY_NAME) } : {}) };
    await this.write(entryKey(COMMENT, signer.publicKey, id), COMMENT, body);
    return publicIdOf({ author: signer.publicKey, id });
  }

  /** Rewords this visitor's own comment. Rejects like {@link comment}; `unknown-comment` for someone else's or a retracted one. */
  async edit(id: string, text: string): Promise<void> {
    const signer = this.requireSigner();
    this.requireText(text, MAX_COMMENT_LENGTH, 'comment');
    this.requireOpen();
    const comment = this.ownComment(id);
    if (comment.retracted) throw new GatherError('unknown-comment', 'A retracted comment cannot be edited');
    const local = id.slice(signer.publicKey.length + 1);
    await this.write(entryKey(EDIT, signer.publicKey, local), EDIT, { id: local, text });
  }

  /** Takes back this visitor's own comment (allowed even in a locked thread). Rejects with `unknown-comment` for someone else's. */
  async retract(id: string): Promise<void> {
    const signer = this.requireSigner();
    this.ownComment(id);
    const local = id.slice(signer.publicKey.length + 1);
    await this.write(entryKey(RETRACT, signer.publicKey, local), RETRACT, { id: local });
  }

  /** Turns this visitor's `reaction` to a comment on or off. Rejects with `unknown-option`, `unknown-comment`, `locked`. */
  async react(id: string, reaction: Reaction): Promise<void> {
    const signer = this.requireSigner();
    if (!isReaction(reaction)) throw new GatherError('unknown-option', `A reaction is one of ${REACTIONS.join(', ')}`);
    this.requireOpen();
    const comment = this.comment_(id);
    const on = comment.reacted.includes(reaction) ? comment.reacted.filter((r) => r !== reaction) : REACTIONS.filter((r) => r === reaction || comment.reacted.includes(r));
    await this.write(entryKey(REACT, signer.publicKey, id), REACT, { target: id, on });
  }

  /** Puts a proposal to the thread; resolves with its id. Rejects like {@link comment}. */
  async propose(text: string, { name }: { name?: string } = {}): Promise<string> {
    const signer = this.requireSigner();
    this.requireText(text, MAX_COMMENT_LENGTH, 'proposal');
    this.requireOpen();
    this.requireRate(signer.publicKey);
    const id = newLocalId();
    await this.write(entryKey(PROPOSAL, signer.publicKey, id), PROPOSAL, { id, text, ...(name ? { name: name.slice(0, MAX_DISPLAY_NAME) } : {}) });
    const pid = publicIdOf({ author: signer.publicKey, id });
    await this.settled();
    return pid;
  }

  private proposal(id: string): ProposalView {
    const proposal = this.view.proposals.find((p) => p.id === id);
    if (proposal === undefined) throw new GatherError('unknown-comment', `This thread has no proposal ${JSON.stringify(id)}`);
    return proposal;
  }

  /**
   * Takes (or changes) this visitor's stance on an open proposal, with an optional reason (the
   * poll's consent ballot). Rejects with `unknown-comment`, `closed` (decided), `invalid-ballot`.
   */
  async stance(proposalId: string, { stance, reason }: { stance: Stance; reason?: string }): Promise<void> {
    this.requireSigner();
    const proposal = this.proposal(proposalId);
    if (!proposal.open) throw new GatherError('closed', 'A decision was recorded on this proposal');
    if (reason !== undefined && reason.length > MAX_REASON_LENGTH) throw new GatherError('invalid-ballot', `A reason is at most ${MAX_REASON_LENGTH} characters`);
    await this.polls.get(proposalId)!.model.vote({ stance }, reason?.trim() ? { reason } : {});
    await this.settled();
  }

  /**
   * Records the outcome of a proposal, counting the stances as they stand now; the proposer or an
   * organizer only. Rejects with `not-organizer`, `unknown-comment`, `closed` (already decided), `invalid-text`.
   */
  async decide(proposalId: string, outcome: string): Promise<void> {
    const signer = this.requireSigner();
    this.requireText(outcome, MAX_OUTCOME_LENGTH, 'outcome');
    await this.settled();
    const proposal = this.proposal(proposalId);
    if (proposal.author !== signer.publicKey && !this.signsAsOrganizer) {
      throw new GatherError('not-organizer', 'Only the proposer or an organizer can record the outcome');
    }
    if (!proposal.open) throw new GatherError('closed', 'A decision was already recorded on this proposal');
    const ids = this.polls.get(proposalId)!.model.export().ballots.map(ballotId).sort(compareStrings);
    const decision = await this.write(entryKey(DECISION, signer.publicKey, proposalId), DECISION, { proposal: proposalId, outcome, count: ids.length });
    for (let part = 0; part * CLOSE_SET_PART < ids.length; part++) {
      const slice = ids.slice(part * CLOSE_SET_PART, (part + 1) * CLOSE_SET_PART);
      await this.write(entryKey(DECISION_SET, signer.publicKey, `${proposalId}:${part}`), DECISION_SET, { proposal: proposalId, part, of: decision.ts, ids: slice });
    }
  }

  /** Hides a comment (or, with `hidden` false, shows it again), giving a reason; organizers only (`not-organizer`). */
  async hide(id: string, reason: string, hidden = true): Promise<void> {
    const signer = this.requireSigner();
    if (!isBoundedString(reason, MAX_HIDE_REASON_LENGTH, true)) throw new GatherError('invalid-text', `A reason is at most ${MAX_HIDE_REASON_LENGTH} characters`);
    if (!this.signsAsOrganizer) throw new GatherError('not-organizer', 'Only the organizers this page names can hide a comment');
    this.comment_(id);
    await this.writeAsOrganizer(entryKey(HIDE, signer.publicKey, id), HIDE, { target: id, hidden, reason });
  }

  /** Locks (or, with false, unlocks) the thread; organizers only (`not-organizer`). */
  async lock(locked = true): Promise<void> {
    const signer = this.requireSigner();
    await this.writeAsOrganizer(entryKey(LOCK, signer.publicKey), LOCK, { locked });
  }

  /**
   * Everything worth taking away: the topic, the view, and the signed entries behind it (the
   * thread's, and each proposal's counted ballots), so anyone can check every signature.
   */
  export(): { topic: string; view: ThreadView; entries: readonly ThreadEntry[]; ballots: Readonly<Record<string, readonly BallotEntry[]>> } {
    const ballots: Record<string, readonly BallotEntry[]> = {};
    for (const [id, { model }] of this.polls) ballots[id] = model.export().ballots;
    return { topic: this.config.topic, view: this.view, entries: sortEntries(this.store.entries.values()), ballots };
  }
}

/** The ballot ids `decision` counted, once all its parts are here; null until then. */
const frozenSet = (sets: readonly DecisionSetEntry[], decision: DecisionEntry): Set<string> | null => {
  const ids = new Set<string>();
  for (const set of sets) {
    if (set.author === decision.author && set.proposal === decision.proposal && set.of === decision.ts) for (const id of set.ids) ids.add(id);
  }
  return ids.size === decision.count ? ids : null;
};
