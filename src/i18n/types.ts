/**
 * Every user-facing string, one section per widget (`t.poll.vote`) plus the shared ones
 * (`t.status`). Strings that depend on a number are functions, so each language can use its own
 * plural rules (through Intl.PluralRules).
 *
 * A new widget adds its section here (an interface and a member of {@link TranslationSections})
 * and registers its strings in each language with `registerTranslation({ $code, <section> })`;
 * no other section changes. A language that lacks a section falls back to English for it.
 */

/** What every widget shows: the room's connection and whether this browser can take part. */
export interface StatusStrings {
  readonly connecting: string;
  readonly online: (peers: number) => string;
  readonly offline: (saved: boolean) => string;
  /** No signing identity can be made (no WebCrypto: a page served over plain http). */
  readonly cannotSign: string;
  /** A command failed; nothing was saved. */
  readonly saveFailed: string;
}

/** `<gather-poll>`. */
export interface PollStrings {
  readonly vote: string;
  readonly changeVote: string;
  readonly retract: string;
  readonly cancel: string;
  readonly chooseFirst: string;
  readonly voteFailed: string;
  readonly results: string;
  readonly yourChoice: (label: string) => string;
  readonly notVoted: string;
  readonly optionResult: (count: number, percent: string) => string;
  readonly total: (count: number) => string;
  readonly noOptions: string;
  readonly updated: (total: number) => string;
}

/** The sections this package ships in every language it ships. */
export interface BuiltInSections {
  readonly status: StatusStrings;
  readonly poll: PollStrings;
}

/**
 * Every section of a translation. A widget that registers its own strings adds its section here
 * by declaration merging (see components/rsvp/strings.ts).
 */
export interface TranslationSections extends BuiltInSections {}

/** What names a language. */
export interface TranslationMeta {
  /** BCP 47 tag this translation is for (`en`, `es`, `ar`). */
  readonly $code: string;
  readonly $name: string;
  readonly $dir: 'ltr' | 'rtl';
}

/** A whole translation: every section, in one language. */
export type Translation = TranslationMeta & TranslationSections;

/** A language as this package ships it: the built-in sections (widgets register the rest). */
export type BuiltInTranslation = TranslationMeta & BuiltInSections;

/** What `registerTranslation` takes: a language's tag and any of its sections (and names). */
export type TranslationPatch = Pick<TranslationMeta, '$code'> & Partial<TranslationMeta> & Partial<TranslationSections>;
