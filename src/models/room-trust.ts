/**
 * What a widget model reads of its room's organizers and members: the room's trust map
 * (MembershipModel, membership.ts) where the page names organizers, else {@link NO_TRUST}.
 */
import type { SignedEntry } from '../identity/types.js';
import type { MemberState, TrustView } from './membership.js';
import type { ViewOrigin } from './model.types.js';

/** The trust map's root map: one per room document, shared by its widgets. */
export const TRUST_SCOPE = 'trust:room';

/** The part of MembershipModel a widget model and its element read. */
export interface RoomTrust {
  readonly view: TrustView;
  subscribe(listener: (view: TrustView, origin: ViewOrigin) => void): () => void;
  /** Resolves when every change seen so far is verified and derived. */
  settled(): Promise<void>;
  /** Trust entries this peer has put back after another peer deleted or damaged them. */
  readonly repaired: number;
  subscribeRepaired(listener: (repaired: number) => void): () => void;
  /** Whether `author` is an organizer of the room: a root, or added by one. */
  isOrganizer(author: string): boolean;
  /** Where `author` stands: organizer, member, revoked, over-limit, refused, checking or none. */
  stateOf(author: string): MemberState;
  /** Whether `author` is an organizer or a member not revoked. */
  isMember(author: string): boolean;
  /** Whether `entry` counts in a members-only widget. */
  counts(entry: SignedEntry<object>): boolean;
}

const EMPTY_VIEW: TrustView = Object.freeze({ roots: [], organizers: [], members: [], unlisted: 0, invites: [], withdrawn: [] });

/**
 * The trust of a room whose page names no organizer. Every organizer and member of a room goes
 * back to a key the page names (an organizer is a root or added by one; a member holds an
 * organizer's invite): with none, the trust map admits no one, whatever the room holds, so there
 * is nothing to read or check. (Widget models use it then, and the page needs no trust-map code.)
 */
export const NO_TRUST: RoomTrust = Object.freeze({
  view: EMPTY_VIEW,
  subscribe: () => () => undefined,
  settled: () => Promise.resolve(),
  repaired: 0,
  subscribeRepaired: () => () => undefined,
  isOrganizer: () => false,
  stateOf: () => 'none' as const,
  isMember: () => false,
  counts: () => false,
});
