import type { KeeperRefusal } from '../room/types.js';

/**
 * Every user-facing string: the shared ones (`t.status`) and one section per widget
 * (`t.poll.vote`). Strings that depend on a number are functions, so each language can use its
 * own plural rules (through Intl.PluralRules); they are given the number and, to show, the same
 * number formatted for the widget's language (Intl.NumberFormat), as `(count, shown)`.
 *
 * A widget declares its section by merging into {@link TranslationSections} and registers its
 * strings in each language with `registerTranslation({ $code, <section> })`, in its own strings
 * module (components/poll/strings.ts); no other section changes. A language that lacks a
 * section falls back to English for it.
 */

/**
 * What every widget shows: the room's connection and whether this browser can take part. A count
 * comes twice, as thread strings take it: the number (for plural rules) and the number formatted
 * for the widget's language (Intl.NumberFormat: its digits and grouping), which is what is shown.
 */
export interface StatusStrings {
  readonly connecting: string;
  readonly online: (peers: number, shown: string) => string;
  readonly offline: (saved: boolean) => string;
  /** No signing identity can be made (no WebCrypto: a page served over plain http). */
  readonly cannotSign: string;
  /** A command failed; nothing was saved. */
  readonly saveFailed: string;
  /** The keeper (the group's own server) has stored every change this browser holds. */
  readonly keeperSaved: string;
  /** Connected to the keeper, which has not yet confirmed `changes` changes as stored. */
  readonly keeperWaiting: (changes: number, shown: string) => string;
  /** Reaching the keeper for the first time. */
  readonly keeperConnecting: string;
  /** The keeper cannot be reached; `changes` of them are still to be handed to it. */
  readonly keeperOffline: (changes: number, shown: string) => string;
  /** The keeper refused the room, and why. */
  readonly keeperRefused: (reason: KeeperRefusal) => string;
  /** The status line when a keeper is named: the peers part (`online`, `connecting`) and the keeper part. */
  readonly withKeeper: (peers: string, keeper: string) => string;
  /**
   * This browser keeps nothing once the page closes (`blocked`: no site data, IndexedDB refuses;
   * `full`: its storage quota is used up): each visit is a new identity.
   */
  readonly notKept: (reason: 'blocked' | 'full') => string;
  /** A long first sync: signatures checked so far (numbers already formatted). */
  readonly checking: (verified: string, total: string) => string;
  /** A large room's state on its way from another participant's browser: how much has come (a percentage, formatted). */
  readonly receiving: (part: string) => string;
  /** This browser put back `entries` entries that another participant deleted or damaged (a model's `repaired`). */
  readonly repaired: (entries: number, shown: string) => string;
}

/** The sections every language of this package has (widgets register their own). */
export interface BuiltInSections {
  readonly status: StatusStrings;
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

/** What `registerTranslation` takes: a language's tag and any of its sections, whole or in part (and names). */
export type TranslationPatch = Pick<TranslationMeta, '$code'> & Partial<TranslationMeta> & { readonly [K in keyof TranslationSections]?: Partial<TranslationSections[K]> };
