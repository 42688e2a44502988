/**
 * Every user-facing string of every widget. Strings that depend on a number are functions,
 * so each language can use its own plural rules (through Intl.PluralRules).
 */
export interface Translation {
  /** BCP 47 tag this translation is for (`en`, `es`, `ar`). */
  readonly $code: string;
  readonly $name: string;
  readonly $dir: 'ltr' | 'rtl';

  // room status
  readonly statusConnecting: string;
  readonly statusOnline: (peers: number) => string;
  readonly statusOffline: (saved: boolean) => string;
  /** No signing identity can be made (no WebCrypto: a page served over plain http). */
  readonly identityUnavailable: string;

  // poll
  readonly pollVote: string;
  readonly pollChangeVote: string;
  readonly pollRetract: string;
  readonly pollCancel: string;
  readonly pollChooseFirst: string;
  readonly pollVoteFailed: string;
  readonly pollResults: string;
  readonly pollYourChoice: (label: string) => string;
  readonly pollNotVoted: string;
  readonly pollVotes: (count: number) => string;
  readonly pollOptionResult: (count: number, percent: string) => string;
  readonly pollTotal: (count: number) => string;
  readonly pollNoOptions: string;
  readonly pollUpdated: (total: number) => string;
}

