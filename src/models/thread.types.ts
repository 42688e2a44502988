import type { Reason, Stance } from './tally/types.js';

export type { Reason, Stance } from './tally/types.js';

/** The reactions a comment can get, in the order they are shown; each person counts once per kind. */
export const REACTIONS = ['agree', 'disagree', 'question', 'thanks'] as const;
export type Reaction = (typeof REACTIONS)[number];

/** The page's configuration of a thread (the page, not the doc, is its authority). */
export interface ThreadConfig {
  /** What the thread is about ("Should we withhold December rent?"). */
  readonly topic: string;
  /**
   * When this visitor last looked at the thread (ms since the epoch, kept on their device): comments
   * by others signed after it are unread. Null or absent on a first visit: nothing is marked.
   */
  readonly seenUntil?: number | null;
}

/** One comment, in the order the thread shows them (each reply right under what it answers). */
export interface CommentView {
  /** `<author>:<local id>`: what `reply`, `edit`, `react`, `hide` take. */
  readonly id: string;
  /** The author's public key. */
  readonly author: string;
  /** The display name the author signed with the comment ('' when none). */
  readonly name: string;
  /** The words, as last edited by their author; '' once retracted or hidden. */
  readonly text: string;
  /** The comment this one answers (null for a top-level comment, or when that comment is not here). */
  readonly replyTo: string | null;
  /** How deep it is shown: 0 for top level, at most {@link MAX_SHOWN_DEPTH} (deeper replies are flattened there). */
  readonly depth: number;
  readonly edited: boolean;
  readonly retracted: boolean;
  /** Hidden by an organizer (the text is left out; `hiddenReason` says why). */
  readonly hidden: boolean;
  readonly hiddenReason: string | null;
  readonly reactions: Readonly<Record<Reaction, number>>;
  /** Written by this visitor. */
  readonly mine: boolean;
  /** When it was signed (the author's clock, ms since the epoch). */
  readonly at: number;
  /** This visitor's own reactions to it. */
  readonly reacted: readonly Reaction[];
  /** By someone else, signed after {@link ThreadConfig.seenUntil}. */
  readonly unread: boolean;
}

/** A proposal: a consent poll inside the thread. */
export interface ProposalView {
  /** `<author>:<local id>`. */
  readonly id: string;
  readonly author: string;
  readonly name: string;
  readonly text: string;
  /** Still taking stances (no decision recorded). */
  readonly open: boolean;
  /** Stances counted: every counted ballot while open; once decided, those the decision counted. */
  readonly stances: Readonly<Record<Stance, number>>;
  /** Reasons given with counted stances. */
  readonly reasons: readonly Reason[];
  /** The outcome the proposer or an organizer wrote, or null while open. */
  readonly outcome: string | null;
  readonly at: number;
  /** When the outcome was recorded, or null. */
  readonly decidedAt: number | null;
  /** This visitor's counted stance, or null. */
  readonly mine: Stance | null;
}

/** The group's decision, pinned at the top of the thread: the latest recorded outcome. */
export interface DecisionView {
  readonly proposalId: string;
  readonly outcome: string;
  /** When it was recorded (the decider's clock, ms since the epoch). */
  readonly decidedAt: number;
  /** The stances it counted. */
  readonly stances: Readonly<Record<Stance, number>>;
}

export interface ThreadView {
  readonly topic: string;
  /** Locked by an organizer: comments, edits, reactions and proposals signed after the lock do not count. */
  readonly locked: boolean;
  /** Every comment, each followed by its replies (oldest first at every level). */
  readonly comments: readonly CommentView[];
  /** Proposals, oldest first. */
  readonly proposals: readonly ProposalView[];
  readonly decision: DecisionView | null;
  /** Comments by others signed since this visitor's last visit (not retracted or hidden). */
  readonly unread: number;
}

/** Replies deeper than this are shown at this depth, with a "replying to" line. */
export const MAX_SHOWN_DEPTH = 3;
/** Longest comment or proposal, in UTF-16 code units (an entry stays under 4 KiB whatever the script). */
export const MAX_COMMENT_LENGTH = 1000;
/** Longest outcome of a decision. */
export const MAX_OUTCOME_LENGTH = 1000;
/** Longest reason an organizer gives for hiding a comment. */
export const MAX_HIDE_REASON_LENGTH = 200;
/** Comments and proposals one author may sign within {@link RATE_WINDOW_MS}; more are not shown. */
export const MAX_POSTS_PER_WINDOW = 20;
export const RATE_WINDOW_MS = 10 * 60_000;
/** Comments and proposals one author may have in a thread at all; more are not shown. */
export const MAX_POSTS_PER_AUTHOR = 500;
