import { pluralOf } from './plural.js';
import type { Translation } from './types.js';

const many = pluralOf('en');

export const en: Translation = {
  $code: 'en',
  $name: 'English',
  $dir: 'ltr',

  statusConnecting: 'Connecting…',
  statusOnline: (peers) =>
    peers === 0 ? 'Connected · nobody else is here right now' : `Connected · ${peers} ${many(peers, 'other person', 'other people')} here`,
  statusOffline: (saved) => (saved ? 'Offline · saved on this device' : 'Offline'),
  identityUnavailable: 'This browser cannot take part here: the page must be served over https.',

  pollVote: 'Vote',
  pollChangeVote: 'Change vote',
  pollRetract: 'Withdraw vote',
  pollCancel: 'Cancel',
  pollChooseFirst: 'Choose an option first.',
  pollVoteFailed: 'Your vote could not be saved. Please try again.',
  pollResults: 'Results',
  pollYourChoice: (label) => `You voted for ${label}.`,
  pollNotVoted: 'You have not voted.',
  pollVotes: (count) => `${count} ${many(count, 'vote', 'votes')}`,
  pollOptionResult: (count, percent) => `${count} ${many(count, 'vote', 'votes')}, ${percent}`,
  pollTotal: (count) => `${count} ${many(count, 'vote', 'votes')} in total`,
  pollNoOptions: 'This poll has no options.',
  pollUpdated: (total) => `Results updated: ${total} ${many(total, 'vote', 'votes')} in total.`,
};
