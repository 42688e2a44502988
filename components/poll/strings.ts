// The poll's section of the translation, registered by the widget in English (Spanish, French and
// Arabic in their own modules, loaded when shown).
import { pluralOf } from '../../src/i18n/plural.js';
import { registerBuiltInTranslation, registerTranslationLoaders } from '../../src/i18n/registry.js';
import '../../src/i18n/languages.js';
import type { Availability, Stance } from '../../src/models/tally/types.js';

/**
 * `<gather-poll>`'s strings. A count comes as the thread's strings take it: the number (for plural
 * rules) and the same number formatted for the widget's language (Intl), which is what is shown;
 * where no plural depends on it, only the formatted number.
 */
export interface PollStrings {
  readonly vote: string;
  readonly changeVote: string;
  readonly retract: string;
  readonly cancel: string;
  readonly chooseFirst: string;
  readonly voteFailed: string;
  /** The Vote button while a vote cast before the poll loaded waits to be saved. */
  readonly saving: string;
  readonly results: string;
  readonly yourChoice: (label: string) => string;
  readonly youVoted: string;
  readonly notVoted: string;
  readonly optionResult: (count: number, shown: string, percent: string) => string;
  readonly total: (count: number, shown: string) => string;
  readonly noOptions: string;
  readonly updated: (total: number, shown: string) => string;
  // hidden results, closing, quorum, anonymity
  readonly hiddenUntilVote: (count: number, shown: string) => string;
  readonly hiddenUntilClose: (count: number, shown: string) => string;
  readonly closed: string;
  readonly closes: (when: string) => string;
  readonly closedOn: (when: string) => string;
  readonly clockNote: string;
  readonly quorum: (count: number, needed: number, countText: string, neededText: string) => string;
  readonly quorumLabel: string;
  readonly anonymousNote: string;
  // organizers and export
  readonly closeNow: string;
  readonly reopen: string;
  readonly exportJson: string;
  readonly exportCsv: string;
  // reason
  readonly reason: string;
  readonly reasonLeft: (left: number, shown: string) => string;
  readonly reasons: string;
  // multiple
  readonly chooseUpTo: (max: number, shown: string) => string;
  readonly tooMany: (max: number, shown: string) => string;
  // ranked
  readonly rankHint: string;
  readonly rankFor: (label: string) => string;
  readonly notRanked: string;
  readonly rank: (n: number, shown: string) => string;
  readonly rankTwice: string;
  readonly rankOne: string;
  readonly winner: (label: string) => string;
  readonly noWinner: string;
  readonly condorcetSame: (label: string) => string;
  readonly condorcetOther: (label: string) => string;
  readonly noCondorcet: string;
  readonly rounds: string;
  readonly round: (n: number, shown: string) => string;
  readonly roundCount: (label: string, count: string) => string;
  readonly exhausted: (count: number, shown: string) => string;
  readonly eliminated: (label: string, moved: string) => string;
  readonly movedTo: (label: string, count: string) => string;
  readonly movedNowhere: string;
  readonly wins: (label: string) => string;
  // score
  readonly scoreFor: (label: string) => string;
  readonly noScore: string;
  readonly average: string;
  readonly mean: (value: string) => string;
  readonly notScored: string;
  readonly option: string;
  // consent
  readonly stances: Readonly<Record<Stance, string>>;
  readonly stanceHelp: Readonly<Record<Stance, string>>;
  readonly stanceResult: (stance: string, count: string) => string;
  readonly chooseStance: string;
  // time
  readonly availability: Readonly<Record<Availability, string>>;
  readonly availabilityFor: (label: string) => string;
  readonly best: string;
  readonly bestTimes: (labels: string) => string;
}

declare module '../../src/i18n/types.js' {
  interface TranslationSections {
    readonly poll: PollStrings;
  }
}

const enMany = pluralOf('en');
const enVotes = (n: number, shown: string) => `${shown} ${enMany(n, 'vote', 'votes')}`;
const enOrdinal = new Intl.PluralRules('en', { type: 'ordinal' });
const enSuffix: Record<string, string> = { one: 'st', two: 'nd', few: 'rd', other: 'th' };

export const pollEn: PollStrings = {
  vote: 'Vote',
  changeVote: 'Change vote',
  retract: 'Withdraw vote',
  cancel: 'Cancel',
  chooseFirst: 'Choose an option first.',
  voteFailed: 'Your vote could not be saved. Please try again.',
  saving: 'Saving…',
  results: 'Results',
  yourChoice: (label) => `You voted for ${label}.`,
  youVoted: 'You have voted.',
  notVoted: 'You have not voted.',
  optionResult: (count, shown, percent) => `${enVotes(count, shown)}, ${percent}`,
  total: (count, shown) => `${enVotes(count, shown)} in total`,
  noOptions: 'This poll has no options.',
  updated: (total, shown) => `Results updated: ${enVotes(total, shown)} in total.`,
  hiddenUntilVote: (count, shown) => `${enVotes(count, shown)} so far — results after you vote.`,
  hiddenUntilClose: (count, shown) => `${enVotes(count, shown)} so far — results when the poll closes.`,
  closed: 'This poll is closed.',
  closes: (when) => `Voting closes ${when}.`,
  closedOn: (when) => `Voting closed ${when}.`,
  clockNote: 'The closing time is checked against the clock of each voter’s device, as signed with their vote.',
  quorum: (count, needed, countText, neededText) => `${countText} of ${neededText} needed`,
  quorumLabel: 'Voters needed',
  anonymousNote: 'Votes are shown without who cast them. They are pseudonymous, not secret: each is signed by a device key and kept in the shared record.',
  closeNow: 'Close the poll',
  reopen: 'Reopen the poll',
  exportJson: 'Download ballots (JSON)',
  exportCsv: 'Download ballots (CSV)',
  reason: 'Reason (optional)',
  reasonLeft: (left, shown) => `${shown} ${enMany(left, 'character', 'characters')} left`,
  reasons: 'Reasons given',
  chooseUpTo: (max, shown) => `Choose up to ${shown}.`,
  tooMany: (max, shown) => `Choose at most ${shown}.`,
  rankHint: 'Rank the options you support: 1 for your first choice. Leave the rest unranked.',
  rankFor: (label) => `Rank for ${label}`,
  notRanked: 'Not ranked',
  rank: (n, shown) => `${shown}${enSuffix[enOrdinal.select(n)]} choice`,
  rankTwice: 'Give each rank to one option only.',
  rankOne: 'Rank at least one option.',
  winner: (label) => `${label} wins.`,
  noWinner: 'No ballots yet.',
  condorcetSame: (label) => `${label} also beats every other option head to head.`,
  condorcetOther: (label) => `${label} beats every other option head to head, but did not win the runoff.`,
  noCondorcet: 'No option beats every other head to head.',
  rounds: 'Counting, round by round',
  round: (n, shown) => `Round ${shown}`,
  roundCount: (label, count) => `${label}: ${count}`,
  exhausted: (count, shown) => `${shown} ${enMany(count, 'ballot', 'ballots')} with no option left`,
  eliminated: (label, moved) => `${label} is eliminated; its votes go to ${moved}.`,
  movedTo: (label, count) => `${label} (${count})`,
  movedNowhere: 'no other option',
  wins: (label) => `${label} has more than half of the votes and wins.`,
  scoreFor: (label) => `Score for ${label}`,
  noScore: 'No score',
  average: 'Average',
  mean: (value) => `average ${value}`,
  notScored: 'not scored',
  option: 'Option',
  stances: { agree: 'Agree', abstain: 'Abstain', disagree: 'Disagree', block: 'Block' },
  stanceHelp: {
    agree: 'I support this.',
    abstain: 'I will go along with the group.',
    disagree: 'I have concerns, but will not stop it.',
    block: 'I have a serious objection and cannot let this go ahead.',
  },
  stanceResult: (stance, count) => `${stance}: ${count}`,
  chooseStance: 'Choose your position first.',
  availability: { yes: 'Yes', maybe: 'If need be', no: 'No' },
  availabilityFor: (label) => `Can you make ${label}?`,
  best: 'Best',
  bestTimes: (labels) => `Best so far: ${labels}.`,
};


registerBuiltInTranslation({ $code: 'en', poll: pollEn });

// The other languages' strings load the first time a widget on the page is in that language
// (their modules register themselves); the shared status line's too (../../src/i18n/languages.js).
registerTranslationLoaders('gather-poll', {
  es: () => import('./strings.es.js'),
  fr: () => import('./strings.fr.js'),
  ar: () => import('./strings.ar.js'),
});
