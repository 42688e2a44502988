// The mutual-aid board's own section of the translation: registered by the widget, in English
// (other languages in their own modules, loaded when shown), without touching any other widget's strings.
import { pluralOf } from '../../src/i18n/plural.js';
import { registerBuiltInTranslation, registerTranslationLoaders } from '../../src/i18n/registry.js';
import '../../src/i18n/languages.js';
import type { AidKind, AidStatus, AidUrgency } from '../../src/models/aid-board.types.js';

/** `<gather-aid-board>`'s strings. */
export interface AidBoardStrings {
  readonly heading: string;
  readonly intro: string;
  readonly all: (count: string) => string;
  readonly mine: (count: string) => string;
  readonly viewsLabel: string;

  // Posting
  readonly newPost: string;
  readonly kindLegend: string;
  readonly kindChoice: Readonly<Record<AidKind, string>>;
  readonly title: string;
  readonly description: string;
  readonly category: string;
  readonly area: string;
  readonly areaHint: string;
  readonly urgencyLegend: string;
  readonly urgency: Readonly<Record<AidUrgency, string>>;
  readonly neededBy: string;
  readonly contact: string;
  readonly contactHint: string;
  readonly postPrivacy: string;
  readonly submitPost: string;
  /** The Post button while a post made before the board loaded waits to be saved. */
  readonly saving: string;
  readonly posted: string;
  readonly postFailed: string;
  readonly limitReached: string;

  // Browsing
  readonly filters: string;
  readonly kindFilter: string;
  readonly anyKind: string;
  readonly kindPlural: Readonly<Record<AidKind, (count: string) => string>>;
  readonly anyCategory: string;
  readonly anyArea: string;
  readonly statusFilter: string;
  readonly anyStatus: string;
  readonly withCount: (label: string, count: string) => string;
  readonly expired: string;
  readonly search: string;
  readonly order: string;
  readonly newest: string;
  readonly urgent: string;
  readonly showing: (shown: string, total: string, totalCount: number) => string;
  readonly empty: string;
  readonly noMatches: string;
  readonly clearFilters: string;
  readonly posts: string;

  // A post
  readonly kind: Readonly<Record<AidKind, string>>;
  readonly status: Readonly<Record<AidStatus, string>>;
  readonly neededByDate: (date: string) => string;
  readonly postedOn: (date: string) => string;
  readonly postedByYou: string;
  readonly responses: (count: number, formatted: string) => string;
  readonly hiddenByOrganizers: string;
  readonly hiddenReason: (reason: string) => string;
  readonly responseNumber: (n: string) => string;
  readonly posterOnly: string;
  readonly acceptedMark: string;

  // Responding
  readonly respondTo: Readonly<Record<AidKind, string>>;
  readonly message: string;
  readonly respondContact: string;
  readonly respondPrivacy: string;
  readonly send: string;
  readonly cancel: string;
  readonly responded: string;
  readonly respondedAccepted: string;
  readonly respondedOther: string;
  readonly respondFailed: string;

  // The poster's and organizers' actions
  readonly accept: string;
  readonly unmatch: string;
  readonly markDone: string;
  readonly withdraw: string;
  readonly showContacts: string;
  readonly hideContacts: string;
  readonly contactsHeading: string;
  readonly contactOf: (who: string) => string;
  readonly posterContact: string;
  readonly noContacts: string;
  readonly hide: string;
  readonly hideReason: string;
  readonly confirmHide: string;
  readonly unhide: string;
  readonly actionFailed: string;

  readonly updated: (count: number, formatted: string) => string;
}

declare module '../../src/i18n/types.js' {
  interface TranslationSections {
    readonly aidBoard: AidBoardStrings;
  }
}

const en = pluralOf('en');

registerBuiltInTranslation(
  {
    $code: 'en',
    aidBoard: {
      heading: 'Mutual aid',
      intro: 'Offer help or ask for it. Neighbours match themselves; nobody sees your contact details unless you choose them.',
      all: (count) => `All posts (${count})`,
      mine: (count) => `Mine (${count})`,
      viewsLabel: 'Which posts',

      newPost: 'Post an offer or a request',
      kindLegend: 'I want to',
      kindChoice: { offer: 'Offer help', request: 'Ask for help' },
      title: 'Title',
      description: 'Details',
      category: 'Category',
      area: 'Area',
      areaHint: 'A neighbourhood or landmark — never a street address.',
      urgencyLegend: 'How soon',
      urgency: { today: 'Today', 'this-week': 'This week', whenever: 'Whenever' },
      neededBy: 'Needed by (optional)',
      contact: 'How to reach you',
      contactHint: 'A phone number, an e-mail, a Signal name…',
      postPrivacy:
        'Your contact is encrypted on this device. Nobody can read it — not other neighbours, not this website, not the group\'s server — until you accept someone\'s response. Then only that person can.',
      submitPost: 'Post',
      saving: 'Saving…',
      posted: 'Posted.',
      postFailed: 'Your post could not be saved. Please try again.',
      limitReached: 'You already have as many open posts (or responses) as the board allows: mark one done or withdraw it first.',

      filters: 'Filter posts',
      kindFilter: 'Offers or requests',
      anyKind: 'Offers and requests',
      kindPlural: { offer: (n) => `Offers (${n})`, request: (n) => `Requests (${n})` },
      anyCategory: 'All categories',
      anyArea: 'All areas',
      statusFilter: 'Status',
      anyStatus: 'Any status',
      withCount: (label, count) => `${label} (${count})`,
      expired: 'Expired',
      search: 'Search',
      order: 'Order',
      newest: 'Newest first',
      urgent: 'Most urgent first',
      showing: (shown, total, n) => `Showing ${shown} of ${total} ${en(n, 'post', 'posts')}`,
      empty: 'No posts yet. Be the first to offer help or ask for it.',
      noMatches: 'No posts match these filters.',
      clearFilters: 'Clear filters',
      posts: 'Posts',

      kind: { offer: 'Offer', request: 'Request' },
      status: { open: 'Open', matched: 'Matched', done: 'Done', withdrawn: 'Withdrawn' },
      neededByDate: (date) => `Needed by ${date}`,
      postedOn: (date) => `Posted ${date}`,
      postedByYou: 'You posted this',
      responses: (n, formatted) => `${formatted} ${en(n, 'response', 'responses')}`,
      hiddenByOrganizers: 'Hidden by organizers',
      hiddenReason: (reason) => `Hidden by organizers: ${reason}`,
      responseNumber: (n) => `Response ${n}`,
      posterOnly: 'Only the poster can read this response.',
      acceptedMark: 'Accepted',

      respondTo: { offer: 'I need this', request: 'I can help' },
      message: 'Message to the poster',
      respondContact: 'How the poster can reach you',
      respondPrivacy: 'Only the poster can read your message and contact. If they accept you, you will see how to reach them here.',
      send: 'Send',
      cancel: 'Cancel',
      responded: 'You responded. The poster decides.',
      respondedAccepted: 'The poster accepted you.',
      respondedOther: 'The poster accepted someone else.',
      respondFailed: 'Your response could not be sent. Please try again.',

      accept: 'Accept',
      unmatch: 'Un-match',
      markDone: 'Mark done',
      withdraw: 'Withdraw',
      showContacts: 'Show contact details',
      hideContacts: 'Hide contact details',
      contactsHeading: 'Contact details (only you can see these)',
      contactOf: (who) => `${who}:`,
      posterContact: 'The poster',
      noContacts: 'No contact details to show.',
      hide: 'Hide',
      hideReason: 'Reason (everyone sees it)',
      confirmHide: 'Hide post',
      unhide: 'Show again',
      actionFailed: 'That could not be saved. Please try again.',

      updated: (n, formatted) => `Board updated: ${formatted} ${en(n, 'post', 'posts')}.`,
    },
  },
);

// The other languages' strings load the first time a widget on the page is in that language
// (their modules register themselves); the shared status line's too (../../src/i18n/languages.js).
registerTranslationLoaders('gather-aid-board', {
  es: () => import('./strings.es.js'),
  fr: () => import('./strings.fr.js'),
  ar: () => import('./strings.ar.js'),
});
