/** A slot as the page declares it (`<gather-slot>`) or a visitor adds it to an open sheet. */
export interface SignupSlotConfig {
  /** The slot's id within the sheet. */
  readonly name: string;
  readonly label: string;
  /** Places; null for a slot without a limit. */
  readonly capacity: number | null;
  /** ISO 8601 date-time (with its offset, e.g. `2026-12-05T09:00-05:00`) or date; null when not given. */
  readonly start: string | null;
  readonly end: string | null;
  readonly location: string | null;
}

/**
 * The page is the authority for its own sheet: its title and slots come from HTML, not from the
 * doc. Visitors add slots to the doc only when the page says the sheet is `open`.
 */
export interface SignupConfig {
  readonly title: string;
  readonly slots: readonly SignupSlotConfig[];
  /** Visitors may add slots of their own. */
  readonly open?: boolean;
  /** Whether the view names who signed up (default true); without it, only counts. */
  readonly showNames?: boolean;
}

/** Someone on a slot: their key, and (with `showNames`) the name and note they signed. */
export interface SignupPerson {
  readonly author: string;
  readonly name?: string;
  readonly note?: string;
}

export interface SignupSlotView extends SignupSlotConfig {
  /** Closed by an organizer, or over (its end, else its start, has passed): nobody joins or leaves. */
  readonly closed: boolean;
  /** The first `capacity` signups in the shared order. */
  readonly confirmed: readonly SignupPerson[];
  /** The rest, in order: the first moves up when a place frees. */
  readonly waitlist: readonly SignupPerson[];
  /** Places left; null for a slot without a limit. */
  readonly left: number | null;
}

export type SignupState = 'confirmed' | 'waitlisted';

/** Where this visitor stands on a slot: confirmed (position among the confirmed) or waitlisted (position in the waitlist), from 1. */
export interface SignupStanding {
  readonly state: SignupState;
  readonly position: number;
}

export interface SignupView {
  readonly title: string;
  /** The page's slots, then the slots visitors added (on an open sheet), in the shared order. */
  readonly slots: readonly SignupSlotView[];
  /** This visitor's slots, by slot name. */
  readonly mine: Readonly<Record<string, SignupStanding>>;
}

/** What a visitor adds to an open sheet (`addSlot`). */
export interface NewSlot {
  readonly label: string;
  readonly capacity?: number | null;
  readonly start?: string | null;
  readonly end?: string | null;
  readonly location?: string | null;
}

/**
 * What a sheet hands over for taking away: the roster (names and notes always, whatever
 * `showNames`), and every signed entry it was derived from (the signups counted, the visitors'
 * slots, the organizers' closes and removals), each verifiable with `verifyEntry` anywhere.
 */
export interface SignupExport<Entry = unknown> {
  readonly config: SignupConfig;
  readonly title: string;
  readonly slots: readonly SignupSlotView[];
  /** In the shared order (signed time, then author key). */
  readonly entries: readonly Entry[];
}
