/**
 * The RSVP's answers, configuration and view, with no Yjs: what `<gather-rsvp>` paints before the
 * sync stack and its model (rsvp.ts, which re-exports these) have come.
 */

/** What a visitor can answer, in the order they are shown. */
export const RSVP_ANSWERS = ['yes', 'maybe', 'no'] as const;
export type RsvpAnswer = (typeof RSVP_ANSWERS)[number];

/** The page's configuration: what the replies are for. */
export interface RsvpConfig {
  readonly event: string;
}

export interface RsvpView {
  readonly event: string;
  /** Counted answers per kind. */
  readonly counts: Readonly<Record<RsvpAnswer, number>>;
  /** The viewer's counted answer, or null. */
  readonly mine: RsvpAnswer | null;
  /** Closed by an organizer: answers signed after that do not count. */
  readonly closed: boolean;
}

/** The view over no entries: what the RSVP shows before its model has loaded. */
export const emptyRsvpView = (config: RsvpConfig): RsvpView => ({ event: config.event, counts: { yes: 0, maybe: 0, no: 0 }, mine: null, closed: false });
