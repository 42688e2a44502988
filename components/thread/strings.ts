// The thread's own section of the translation: registered by the widget, in English (other
// languages in their own modules, loaded when shown), without touching any other widget's strings.
import { pluralOf } from '../../src/i18n/plural.js';
import { registerBuiltInTranslation, registerTranslationLoaders } from '../../src/i18n/registry.js';
import '../../src/i18n/languages.js';
import type { Stance } from '../../src/models/tally/types.js';
import type { Reaction } from '../../src/models/thread.types.js';

/** `<gather-thread>`'s strings. Dates and numbers arrive already formatted (Intl). */
export interface ThreadStrings {
  readonly someone: string;
  readonly you: string;
  // reading now, unread, order
  readonly reading: (count: string) => string;
  readonly readingNamed: (count: string, names: string) => string;
  /** A count that reached its cap: more may be reading (`50+`). */
  readonly atLeast: (count: string) => string;
  readonly unread: (count: number, shown: string) => string;
  readonly jumpToUnread: string;
  readonly newBadge: string;
  readonly order: string;
  readonly oldest: string;
  readonly newest: string;
  readonly showEarlier: (count: number, shown: string) => string;
  // comments
  readonly comments: (count: number, shown: string) => string;
  readonly noComments: string;
  readonly commentBy: (name: string) => string;
  readonly edited: string;
  readonly replyingTo: (name: string) => string;
  readonly retracted: string;
  readonly hiddenBy: (reason: string) => string;
  readonly hiddenNoReason: string;
  readonly reactions: string;
  readonly reaction: Readonly<Record<Reaction, string>>;
  readonly reactionLabel: (reaction: string, count: string) => string;
  /** The one button per comment that opens its four reactions. */
  readonly addReaction: string;
  readonly reply: string;
  readonly edit: string;
  readonly retract: string;
  readonly retractConfirm: string;
  readonly hide: string;
  readonly hideReason: string;
  readonly cancel: string;
  readonly save: string;
  // writing
  readonly yourName: string;
  readonly yourComment: string;
  readonly yourReply: (name: string) => string;
  readonly editComment: string;
  readonly charactersLeft: (left: number, shown: string) => string;
  readonly post: string;
  readonly postReply: string;
  readonly propose: string;
  readonly locked: string;
  readonly lock: string;
  readonly unlock: string;
  // proposals and decisions
  readonly proposals: string;
  readonly proposalBy: (name: string) => string;
  readonly open: string;
  readonly decided: (when: string) => string;
  readonly stance: Readonly<Record<Stance, string>>;
  readonly stanceCount: (stance: string, count: string) => string;
  readonly yourStance: string;
  readonly reason: string;
  readonly saveStance: string;
  readonly chooseStance: string;
  readonly youTook: (stance: string) => string;
  readonly reasons: string;
  readonly outcome: string;
  readonly recordOutcome: string;
  readonly decision: string;
  readonly decisionOn: (proposal: string) => string;
  // failures and announcements
  readonly failed: string;
  readonly tooFast: string;
  readonly lockedFailed: string;
  readonly updated: (comments: number, shown: string) => string;
  readonly posted: string;
}

declare module '../../src/i18n/types.js' {
  interface TranslationSections {
    readonly thread: ThreadStrings;
  }
}

const en = pluralOf('en');

registerBuiltInTranslation(
  {
    $code: 'en',
    thread: {
      someone: 'Someone',
      you: 'You',
      reading: (count) => `${count} reading now`,
      readingNamed: (count, names) => `${count} reading now, including ${names}`,
      atLeast: (count) => `${count}+`,
      unread: (count, shown) => `${shown} new ${en(count, 'comment', 'comments')} since your last visit`,
      jumpToUnread: 'Go to the first new comment',
      newBadge: 'New',
      order: 'Show',
      oldest: 'Oldest first',
      newest: 'Newest first',
      showEarlier: (count, shown) => `Show ${shown} more ${en(count, 'comment', 'comments')}`,
      comments: (count, shown) => `${shown} ${en(count, 'comment', 'comments')}`,
      noComments: 'No comments yet. Start the conversation.',
      commentBy: (name) => `Comment by ${name}`,
      edited: 'edited',
      replyingTo: (name) => `Replying to ${name}`,
      retracted: 'Its author took this comment back.',
      hiddenBy: (reason) => `Hidden by organizers: ${reason}`,
      hiddenNoReason: 'Hidden by organizers.',
      reactions: 'Reactions',
      reaction: { agree: 'Agree', disagree: 'Disagree', question: 'Question', thanks: 'Thanks' },
      reactionLabel: (reaction, count) => `${reaction} (${count})`,
      addReaction: 'Add reaction',
      reply: 'Reply',
      edit: 'Edit',
      retract: 'Take back',
      retractConfirm: 'Take back this comment for good',
      hide: 'Hide',
      hideReason: 'Why hide it (shown to everyone)',
      cancel: 'Cancel',
      save: 'Save',
      yourName: 'Your name (remembered on this device)',
      yourComment: 'Your comment',
      yourReply: (name) => `Your reply to ${name}`,
      editComment: 'Edit your comment',
      charactersLeft: (left, shown) => `${shown} ${en(left, 'character', 'characters')} left`,
      post: 'Post comment',
      postReply: 'Post reply',
      propose: 'Put it forward as a proposal',
      locked: 'Organizers locked this thread: no new comments for now.',
      lock: 'Lock thread',
      unlock: 'Unlock thread',
      proposals: 'Proposals',
      proposalBy: (name) => `Proposal by ${name}`,
      open: 'Open for stances',
      decided: (when) => `Decided ${when}`,
      stance: { agree: 'Agree', abstain: 'Abstain', disagree: 'Disagree', block: 'Block' },
      stanceCount: (stance, count) => `${stance}: ${count}`,
      yourStance: 'Your stance',
      reason: 'Reason (optional)',
      saveStance: 'Save stance',
      chooseStance: 'Choose a stance first.',
      youTook: (stance) => `Your stance: ${stance}`,
      reasons: 'Reasons given',
      outcome: 'Outcome',
      recordOutcome: 'Record the outcome',
      decision: 'Decision',
      decisionOn: (proposal) => `On the proposal: ${proposal}`,
      failed: 'That could not be saved. Please try again.',
      tooFast: 'You have written a lot in a short time. Please wait a few minutes.',
      lockedFailed: 'This thread is locked.',
      updated: (comments, shown) => `Thread updated: ${shown} ${en(comments, 'comment', 'comments')}.`,
      posted: 'Posted.',
    },
  },
);

// The other languages' strings load the first time a widget on the page is in that language
// (their modules register themselves); the shared status line's too (../../src/i18n/languages.js).
registerTranslationLoaders('gather-thread', {
  es: () => import('./strings.es.js'),
  fr: () => import('./strings.fr.js'),
  ar: () => import('./strings.ar.js'),
});
