/**
 * Who may speak for a room, and who belongs to it: the room-level map `trust:room`, shared by
 * every widget of the room.
 *
 * Entries (each under one of its author's own keys, signed like every entry):
 * - `organizer:<author>:<subject>` — `{ subject, organizer }`: an organizer adds (`true`) or
 *   removes (`false`) another organizer. The page's keys (`organizer="…"`) are the roots: they
 *   are always organizers and cannot be removed. Additions and removals take effect in the shared
 *   order (signed time, author, signature), each only if its author is an organizer at that
 *   point; a removal by a root wins over any addition, whatever the order (until that root adds
 *   the key back), so the removed key's own additions no longer count either; a removal by
 *   another organizer takes effect at its place in the order (what the key did before stands).
 * - `member:<author>` — `{ invite, proof }`: this device joined with an invite (capability.ts's
 *   token) whose own key signed `proof` over the room, this device's key and the claim's time
 *   (only a holder of the link has that key: a claim copied out of the room admits no other
 *   device). It counts when the invite's signature and the proof verify, it is for this room, its
 *   issuer is an organizer, it had not expired or been withdrawn when the device joined, and the
 *   device is among the first `max` (in the shared order) that joined with it. Organizers are
 *   members without taking a place.
 * - `revoke:<author>:<subject>` — `{ subject, revoked }`: an organizer revokes a member (or takes
 *   that back). A revoked member's entries signed after the revocation do not count; their place
 *   in the invite stays taken.
 * - `withdraw:<author>:<invite id>` — `{ invite, withdrawn }`: an organizer withdraws an invite
 *   link: devices joining with it after that are not members.
 *
 * Like the widgets' entries, the map heals (entry-model.ts, on by default): the newest valid entry
 * under every key keeps counting when a peer deletes it, overwrites it with junk or replays its
 * author's older one, and is written back; so nobody can strip an organizer or a member from the
 * room, or bring back a removal or a revocation that was taken back.
 *
 * Every peer with the same entries derives the same organizers and members. Checking an invite's
 * signature is asynchronous: an invite not yet checked does not admit anyone until it is, then the
 * view is derived again.
 *
 * Limits against vandalism (anyone can make thousands of keys and write a claim with each): what
 * no organizer could have written and no invite of one admits costs no signature check and is not
 * shown. Before an entry's signature is checked, organizer, revocation and withdrawal entries are
 * read only from keys that may be organizers (the roots, and every key an addition by such a key
 * names: a superset of the organizers, so nothing that could count is turned away), and a claim
 * only when its invite reads, is for this room, comes from such a key, was in force when the claim
 * was signed, and verifies — one check per invite, before any claim on it — and then its proof
 * verifies (one check per claim, before its own signature's). What is turned away is
 * read again when the keys that may be organizers grow, or its invite verifies; such a device
 * stands `refused` without being listed. The view lists at most {@link MAX_UNADMITTED_LISTED}
 * refused or over-limit devices (a leaked invite's copies), counting the others in `unlisted`; and
 * each author has at most {@link TRUST_LIMITS} entries and bytes here (in practice an organizer:
 * any other key has one `member:` entry).
 */
import type * as Y from 'yjs';
import { GatherError } from '../errors.js';
import { createCapability, MAX_INVITE_DEVICES, outdatedInviteRoom, prepareClaimProof, readCapability, readInvite, signClaimProof, verifyCapability, type Capability, type Invite } from '../identity/capability.js';
import { signCompactEntry, type PreparedEntry } from '../identity/entries.js';
import type { SignedEntry, Signer } from '../identity/types.js';
import { VerificationCache } from '../identity/verification.js';
import { isBoundedString } from '../plain.js';
import { entryKey, keyAuthor, keyKind, ownsKey } from './entry-key.js';
import type { EntryLimits } from './entry-limits.js';
import { EntryModel, type HealOptions } from './entry-model.js';
import type { Model, ViewOrigin } from './model.types.js';
import { compareEntries, compareStrings, MAX_CLOCK_SKEW_MS, sortEntries } from './order.js';
import { TRUST_SCOPE, type RoomTrust } from './room-trust.js';

/** The room-level map every widget of a room reads organizers and members from (room-trust.ts). */
export { TRUST_SCOPE };
/** Entry types. */
export const ORGANIZER_TYPE = 'organizer';
export const MEMBER_TYPE = 'member';
export const REVOKE_TYPE = 'revoke';
export const WITHDRAW_TYPE = 'withdraw';

/** Longest key (a subject) an entry may name: a P-256 key is 87 base64url characters. */
const MAX_KEY_LENGTH = 100;
/** Longest invite token an entry may carry. */
const MAX_TOKEN_LENGTH = 400;
/** Longest proof (base64url of a 64-byte signature: 86 characters). */
const MAX_PROOF_LENGTH = 86;
/** Refused and over-limit devices the view lists at most (the first in the shared order); the others are counted, not listed. */
export const MAX_UNADMITTED_LISTED = 100;
/**
 * Entries and bytes one author may have in the trust map, the newest cut first (entry-limits.ts):
 * room for an organizer revoking every device of two full invites.
 */
export const TRUST_LIMITS: EntryLimits = Object.freeze({ entriesPerAuthor: 2 * MAX_INVITE_DEVICES, bytesPerAuthor: 4 * 1024 * 1024, bytes: Infinity });

type OrganizerEntry = SignedEntry<{ readonly subject: string; readonly organizer: boolean }>;
type MemberEntry = SignedEntry<{ readonly invite: string; readonly proof: string }>;
type RevokeEntry = SignedEntry<{ readonly subject: string; readonly revoked: boolean }>;
type WithdrawEntry = SignedEntry<{ readonly invite: string; readonly withdrawn: boolean }>;
type TrustEntry = OrganizerEntry | MemberEntry | RevokeEntry | WithdrawEntry;

/** Where one device stands in the room. */
export type MemberState =
  /** A root (the page names it) or an organizer added by one. */
  | 'organizer'
  /** Joined with a valid invite, not revoked. */
  | 'member'
  /** Joined, then revoked by an organizer. */
  | 'revoked'
  /** Joined with an invite that had already admitted as many devices as it may. */
  | 'over-limit'
  /** Joined with an invite that was expired or withdrawn, not (or not yet) from an organizer, or for another room; or without the invite's proof. */
  | 'refused'
  /** Joined with an invite whose signature, or whose proof, is still being checked. */
  | 'checking'
  /** Has not joined. */
  | 'none';

/** A device that joined. */
export interface MemberView {
  readonly author: string;
  /** The id of the invite it joined with. */
  readonly invite: string;
  readonly state: MemberState;
  /** When it joined (its signed clock). */
  readonly since: number;
}

/** An invite some device joined with. */
export interface InviteView {
  readonly id: string;
  readonly issuer: string;
  readonly max: number;
  readonly expires: number | null;
  /** Devices it admitted (places taken, revoked members included). */
  readonly admitted: number;
  /** Devices that joined with it after its places were taken. */
  readonly overLimit: number;
  readonly withdrawn: boolean;
}

/** The room's organizers and members. */
export interface TrustView {
  /** The keys the page names: always organizers. */
  readonly roots: readonly string[];
  /** Every organizer: the roots, then the others in key order. */
  readonly organizers: readonly string[];
  /**
   * Every device that joined with an invite of an organizer, in the shared order: all those it
   * admitted, and the first {@link MAX_UNADMITTED_LISTED} refused or over its limit.
   */
  readonly members: readonly MemberView[];
  /** Refused or over-limit devices left out of `members` past the first {@link MAX_UNADMITTED_LISTED}. */
  readonly unlisted: number;
  /** Every invite a device joined with, in the order first used. */
  readonly invites: readonly InviteView[];
  /** The ids of the invites an organizer withdrew (used or not). */
  readonly withdrawn: readonly string[];
}

/** What the derive works out, beside the view: lookups for the widgets' filters. */
interface TrustState {
  readonly organizers: ReadonlySet<string>;
  readonly states: ReadonlyMap<string, MemberState>;
  /** The revocation in force per revoked member (the earliest, in the shared order). */
  readonly revokedAt: ReadonlyMap<string, RevokeEntry>;
}

const isKey = (value: unknown): value is string => isBoundedString(value, MAX_KEY_LENGTH);

/** Accepts a trust entry stored under its author's own key of its type; null for anything else. */
export const parseTrustEntry = (key: string, entry: SignedEntry): TrustEntry | null => {
  switch (entry.type) {
    case ORGANIZER_TYPE:
      return isKey(entry['subject']) && typeof entry['organizer'] === 'boolean' && key === entryKey(ORGANIZER_TYPE, entry.author, entry['subject'])
        ? (entry as unknown as OrganizerEntry)
        : null;
    case MEMBER_TYPE:
      return isBoundedString(entry['invite'], MAX_TOKEN_LENGTH) && isBoundedString(entry['proof'], MAX_PROOF_LENGTH) && key === entryKey(MEMBER_TYPE, entry.author)
        ? (entry as unknown as MemberEntry)
        : null;
    case REVOKE_TYPE:
      return isKey(entry['subject']) && typeof entry['revoked'] === 'boolean' && key === entryKey(REVOKE_TYPE, entry.author, entry['subject'])
        ? (entry as unknown as RevokeEntry)
        : null;
    case WITHDRAW_TYPE:
      return isBoundedString(entry['invite'], 16) && typeof entry['withdrawn'] === 'boolean' && key === entryKey(WITHDRAW_TYPE, entry.author, entry['invite'])
        ? (entry as unknown as WithdrawEntry)
        : null;
    default:
      return null;
  }
};

/**
 * The organizers: the roots, then additions and removals in the shared order, each by an
 * organizer of that moment; a root's removal holds whatever the order.
 */
export const deriveOrganizers = (roots: ReadonlySet<string>, entries: Iterable<OrganizerEntry>): Set<string> => {
  const sorted = sortEntries(entries);
  const banned = new Set<string>();
  for (const e of sorted) if (!e.organizer && roots.has(e.author) && !roots.has(e.subject)) banned.add(e.subject);
  const organizers = new Set(roots);
  for (const e of sorted) {
    if (!organizers.has(e.author) || roots.has(e.subject)) continue;
    if (e.organizer) {
      if (!banned.has(e.subject)) organizers.add(e.subject);
    } else organizers.delete(e.subject);
  }
  return organizers;
};

/** Options of a {@link MembershipModel}. */
export interface MembershipOptions {
  /** The keys the page names as organizers (the roots). */
  readonly roots?: Iterable<string>;
  /** The room's name: invites for other rooms admit no one here. Without it, nobody is admitted. */
  readonly room?: string | undefined;
  readonly cache?: VerificationCache;
  readonly now?: () => number;
  /**
   * Self-healing (on by default), as for the widgets' entries (entry-model.ts): the newest valid
   * entry under every key keeps counting when a peer deletes it, overwrites it with junk or replays
   * the author's older entry, and is written back; so a hostile peer cannot strip an organizer or
   * a member from the room. `false` turns it off.
   */
  readonly heal?: boolean | HealOptions;
}

/** What {@link MembershipModel.createInvite} takes. */
export interface InviteOptions {
  /** Devices the invite admits. */
  readonly max: number;
  /** When it stops admitting (ms since the epoch), or null (the default) for never. */
  readonly expires?: number | null;
}

/** Invite verdicts kept per model at most, good and bad apart (forged invites cannot push out good ones). */
const MAX_INVITE_VERDICTS = 10_000;
/** Claims' proof verdicts kept per model at most, good and bad apart (a forgotten one is asked of the cache again). */
const MAX_PROOF_VERDICTS = 2 * MAX_INVITE_DEVICES;

/** What names a claim's proof verdict: everything the proof's check reads. */
const proofId = (claim: MemberEntry): string => `${claim.alg}\0${claim.author}\0${claim.ts}\0${claim.proof}\0${claim.invite}`;

/**
 * The keys that may be organizers: `roots`, and every key an addition (`organizer: true`) by such
 * a key names, removals ignored. Every organizer {@link deriveOrganizers} finds is among them.
 */
export const admittingKeys = (roots: ReadonlySet<string>, entries: readonly OrganizerEntry[]): Set<string> => {
  const keys = new Set(roots);
  for (let grew = true; grew; ) {
    grew = false;
    for (const e of entries) {
      if (e.organizer && keys.has(e.author) && !keys.has(e.subject)) {
        keys.add(e.subject);
        grew = true;
      }
    }
  }
  return keys;
};

/** Adds `value` to `set`, forgetting the oldest past `max`. */
const rememberIn = (set: Set<string>, value: string, max: number): void => {
  set.add(value);
  while (set.size > max) set.delete(set.values().next().value!);
};

/**
 * The room's organizers and members, over `doc.getMap('trust:room')`. Without a signer it is
 * read-only (the widgets' filters); with one, an organizer adds and removes organizers, makes
 * and withdraws invites and revokes members, and any visitor joins with an invite.
 */
export class MembershipModel implements Model<TrustView>, RoomTrust {
  readonly signer: Signer | null;
  readonly room: string | undefined;
  private readonly roots: ReadonlySet<string>;
  private readonly store: EntryModel<TrustEntry, TrustView>;
  private readonly now: () => number;
  private state: TrustState = { organizers: new Set(), states: new Map(), revokedAt: new Map() };
  /** Invites whose signature verified, and those whose did not (by token). */
  private readonly goodInvites = new Set<string>();
  private readonly badInvites = new Set<string>();
  private invitesCheckedCount = 0;
  /** The keys that may be organizers ({@link admittingKeys}) as of the latest derive. */
  private admitting: ReadonlySet<string>;
  /** Keys whose entry {@link admit} turned away unread: read again when {@link admitting} grows. */
  private readonly parked = new Set<string>();
  /** Keys of claims waiting for their invite's check, by token: read once it verifies. */
  private readonly awaiting = new Map<string, Set<string>>();
  /** Devices whose claim was turned away unread (or left out of the view): refused, or checking their invite. */
  private readonly unread = new Map<string, MemberState>();
  /** Invites read from their tokens (many members share one): parsed once, not on every derive. */
  private readonly capabilities = new Map<string, Capability | null>();
  private readonly unchecked = new Set<string>();
  /** Claims' proofs verified, and those that did not verify (by {@link proofId}). */
  private readonly goodProofs = new Set<string>();
  private readonly badProofs = new Set<string>();
  private readonly proofsByEntry = new WeakMap<MemberEntry, boolean>();
  /** Proofs waiting to be checked, by {@link proofId}: the claim's key and the job. */
  private readonly pendingProofs = new Map<string, { readonly key: string; readonly author: string; readonly job: PreparedEntry }>();
  private readonly cache: VerificationCache;
  private checking: Promise<void> | null = null;
  private lastTs = -Infinity;

  constructor(doc: Y.Doc, signer: Signer | null, { roots = [], room, cache, now = Date.now, heal = true }: MembershipOptions = {}) {
    this.signer = signer;
    this.room = room;
    this.roots = new Set(roots);
    this.admitting = this.roots;
    this.now = now;
    // One cache for the entries' signatures and the claims' proofs (kept on the device alike).
    this.cache = cache ?? new VerificationCache();
    this.store = new EntryModel<TrustEntry, TrustView>(doc, {
      scope: TRUST_SCOPE,
      room,
      parse: (key, entry) => (ownsKey(key, entry.author) ? this.admit(key, parseTrustEntry(key, entry)) : null),
      derive: (entries) => this.derive(entries),
      now,
      heal,
      limits: TRUST_LIMITS,
      cache: this.cache,
    });
  }

  get view(): TrustView {
    return this.store.view;
  }

  subscribe(listener: (view: TrustView, origin: ViewOrigin) => void): () => void {
    return this.store.subscribe(listener);
  }

  /** Resolves when every change seen so far is verified and derived, invites' signatures included. */
  async settled(): Promise<void> {
    for (;;) {
      await this.store.settled();
      void this.store.view;
      if (this.checking === null) return;
      await this.checking;
    }
  }

  destroy(): void {
    this.store.destroy();
  }

  /** Trust entries this peer has put back after another peer deleted or damaged them (since it started). */
  get repaired(): number {
    return this.store.repaired;
  }

  /** Calls `listener` with the new {@link repaired} count after each repair; returns the unsubscribe function. */
  subscribeRepaired(listener: (repaired: number) => void): () => void {
    return this.store.subscribeRepaired(listener);
  }

  /** Trust entries the view still counts that the document has lost, waiting to be written back. */
  get damaged(): number {
    return this.store.damaged;
  }

  /** Invite signatures this model has asked to check (once per invite a claim it read names): for tests. */
  get invitesChecked(): number {
    return this.invitesCheckedCount;
  }

  /** Whether `claim`'s proof verified (true), did not (false), or is not known here (undefined). */
  private proofVerdict(claim: MemberEntry): boolean | undefined {
    // By the entry itself first: a derive asks for every claim, and the id is ~400 characters.
    let verdict = this.proofsByEntry.get(claim);
    if (verdict !== undefined) return verdict;
    const id = proofId(claim);
    verdict = this.goodProofs.has(id) ? true : this.badProofs.has(id) ? false : undefined;
    if (verdict !== undefined) this.proofsByEntry.set(claim, verdict);
    return verdict;
  }

  /** Asks for `claim`'s proof to be checked (its invite verified), then `key` read again. */
  private checkProof(key: string, claim: MemberEntry): void {
    const id = proofId(claim);
    const job = prepareClaimProof(claim.invite, claim.alg, claim.author, claim.ts, claim.proof);
    if (job === null) {
      rememberIn(this.badProofs, id, MAX_INVITE_VERDICTS);
      return;
    }
    this.pendingProofs.set(id, { key, author: claim.author, job });
    this.run();
  }

  /** Whether `token`'s signature verified (true), did not (false), or is not known here (undefined). */
  private verdict(token: string): boolean | undefined {
    return this.goodInvites.has(token) ? true : this.badInvites.has(token) ? false : undefined;
  }

  /**
   * The gate before an entry's signature is checked (see the module comment): returns `entry` to
   * check, or null to leave it unread until what it needs is known. A key this model already keeps
   * an entry under is let through: a newer entry there is its author's word (entry-model.ts).
   */
  private admit(key: string, entry: TrustEntry | null): TrustEntry | null {
    if (entry === null || this.store.latest(key) !== undefined) return entry;
    if (entry.type !== MEMBER_TYPE) {
      if (this.admitting.has(entry.author)) return entry;
      this.parked.add(key);
      return null;
    }
    const claim = entry as MemberEntry;
    if (this.claimable(claim) === null) {
      this.parked.add(key);
      this.unread.set(claim.author, 'refused');
      return null;
    }
    if (this.verdict(claim.invite) === true) {
      // Then the claim's proof (one check per claim, and none of its signature when it fails).
      const proof = this.proofVerdict(claim);
      if (proof === true) return entry;
      if (proof === undefined) this.checkProof(key, claim);
      if (this.proofVerdict(claim) === false) {
        this.parked.add(key);
        this.unread.set(claim.author, 'refused');
      } else this.unread.set(claim.author, 'checking');
      return null;
    }
    // The invite first (one check for every claim on it), then the claim.
    let keys = this.awaiting.get(claim.invite);
    if (keys === undefined) this.awaiting.set(claim.invite, (keys = new Set()));
    keys.add(key);
    this.unread.set(claim.author, 'checking');
    this.check(claim.invite);
    return null;
  }

  /**
   * The invite of a claim that could admit its author: it reads, is for this room, comes from a
   * key that may be an organizer, is not known to be forged, and was in force when the claim was
   * signed (a device cannot have joined much before the invite was made: no jumping the queue by
   * backdating). Null otherwise.
   */
  private claimable(claim: MemberEntry): Capability | null {
    const capability = this.capability(claim.invite);
    if (capability === null || capability.room !== this.store.site.room || !this.admitting.has(capability.issuer)) return null;
    if (this.badInvites.has(claim.invite)) return null;
    if (capability.expires !== null && claim.ts > capability.expires) return null;
    if (claim.ts < capability.issued - MAX_CLOCK_SKEW_MS) return null;
    return capability;
  }

  /** The lookups of the latest derive (deriving first if nothing has been). */
  private get current(): TrustState {
    void this.store.view;
    return this.state;
  }

  /** Whether `author` is an organizer of the room: a root, or added by one (see the module comment). */
  isOrganizer(author: string): boolean {
    return this.current.organizers.has(author);
  }

  /** Where `author` stands: organizer, member, revoked, over-limit, refused, checking or none. */
  stateOf(author: string): MemberState {
    const state = this.current;
    if (state.organizers.has(author)) return 'organizer';
    return state.states.get(author) ?? this.unread.get(author) ?? 'none';
  }

  /** Whether `author` is an organizer or a member not revoked. */
  isMember(author: string): boolean {
    const state = this.stateOf(author);
    return state === 'organizer' || state === 'member';
  }

  /**
   * Whether `entry` counts in a members-only widget: its author is an organizer, or a member it
   * admitted — and, for a revoked member, it was signed before the revocation.
   */
  counts(entry: SignedEntry<object>): boolean {
    const state = this.current;
    if (state.organizers.has(entry.author)) return true;
    const member = state.states.get(entry.author);
    if (member === 'member') return true;
    if (member !== 'revoked') return false;
    const revocation = state.revokedAt.get(entry.author);
    return revocation !== undefined && compareEntries(entry, revocation) < 0;
  }

  private derive(entries: ReadonlyMap<string, TrustEntry>): TrustView {
    const byType = { organizer: [] as OrganizerEntry[], member: [] as MemberEntry[], revoke: [] as RevokeEntry[], withdraw: [] as WithdrawEntry[] };
    for (const entry of entries.values()) (byType[entry.type as keyof typeof byType] as TrustEntry[]).push(entry);
    const organizers = deriveOrganizers(this.roots, byType.organizer);
    const admitting = admittingKeys(this.roots, byType.organizer);
    const grew = [...admitting].some((key) => !this.admitting.has(key));
    this.admitting = admitting;
    if (grew && this.parked.size > 0) {
      // Entries turned away from keys now known to be possible organizers (or their invites): read them.
      const keys = [...this.parked];
      this.parked.clear();
      this.store.reread(keys);
    }

    // Withdrawn invites: the earliest withdrawal in force, by an organizer.
    const withdrawnAt = new Map<string, WithdrawEntry>();
    for (const e of sortEntries(byType.withdraw)) {
      if (e.withdrawn && organizers.has(e.author) && !withdrawnAt.has(e.invite)) withdrawnAt.set(e.invite, e);
    }
    const revokedAt = new Map<string, RevokeEntry>();
    for (const e of sortEntries(byType.revoke)) {
      if (e.revoked && organizers.has(e.author) && !revokedAt.has(e.subject)) revokedAt.set(e.subject, e);
    }

    const states = new Map<string, MemberState>();
    const members: MemberView[] = [];
    let unlisted = 0;
    let listedOut = 0;
    const invites = new Map<string, { capability: Capability; admitted: number; overLimit: number }>();
    for (const e of sortEntries(byType.member)) {
      if (organizers.has(e.author)) continue; // organizers take no place
      const capability = this.claimable(e);
      if (capability === null) {
        // Refused, and left out as by a peer that never read it (admit turns such claims away).
        this.unread.set(e.author, 'refused');
        continue;
      }
      let state: MemberState;
      {
        const verdict = this.verdict(e.invite);
        const proof = verdict === true ? this.proofVerdict(e) : undefined;
        if (proof === false) {
          // A claim its invite's key did not sign (copied from another's): as one never read.
          this.unread.set(e.author, 'refused');
          continue;
        }
        if (verdict === undefined) {
          this.check(e.invite);
          state = 'checking';
        } else if (verdict && proof === undefined) {
          this.checkProof(entryKey(MEMBER_TYPE, e.author), e);
          state = this.proofVerdict(e) === false ? 'refused' : 'checking';
        } else if (!organizers.has(capability.issuer)) state = 'refused';
        else {
          const withdrawn = withdrawnAt.get(capability.id);
          if (withdrawn !== undefined && compareEntries(e, withdrawn) > 0) state = 'refused';
          else {
            let count = invites.get(capability.id);
            if (count === undefined) invites.set(capability.id, (count = { capability, admitted: 0, overLimit: 0 }));
            if (count.admitted < capability.max) {
              count.admitted++;
              state = revokedAt.has(e.author) ? 'revoked' : 'member';
            } else {
              count.overLimit++;
              state = 'over-limit';
            }
          }
        }
      }
      states.set(e.author, state);
      if (state === 'refused' || state === 'over-limit') {
        // A leaked invite copied by thousands of keys: the first listed, the others counted.
        if (listedOut >= MAX_UNADMITTED_LISTED) {
          unlisted++;
          continue;
        }
        listedOut++;
      }
      members.push({ author: e.author, invite: capability.id, state, since: e.ts });
    }
    this.state = { organizers, states, revokedAt };
    const rootList = [...this.roots];
    return {
      roots: rootList,
      organizers: [...rootList, ...[...organizers].filter((k) => !this.roots.has(k)).sort(compareStrings)],
      members,
      invites: [...invites.values()].map(({ capability, admitted, overLimit }) => ({
        id: capability.id,
        issuer: capability.issuer,
        max: capability.max,
        expires: capability.expires,
        admitted,
        overLimit,
        withdrawn: withdrawnAt.has(capability.id),
      })),
      withdrawn: [...withdrawnAt.keys()].sort(compareStrings),
      unlisted,
    };
  }

  private capability(token: string): Capability | null {
    let found = this.capabilities.get(token);
    if (found === undefined) {
      found = readCapability(token);
      if (this.capabilities.size >= MAX_INVITE_VERDICTS) this.capabilities.clear();
      this.capabilities.set(token, found);
    }
    return found;
  }

  /**
   * Checks an invite's signature, then reads the claims waiting for it (or, forged, leaves them
   * unread) and derives again: all the invites waiting, together.
   */
  private check(token: string): void {
    if (this.unchecked.has(token)) return;
    this.unchecked.add(token);
    this.run();
  }

  /**
   * Checks what waits (invites, then claims' proofs), reads again the claims they let through, and
   * derives again; until nothing waits.
   */
  private run(): void {
    this.checking ??= (async () => {
      await Promise.resolve();
      // Until nothing waits: reading the claims an invite admits meets their proofs, and new invites.
      while ((this.unchecked.size > 0 || this.pendingProofs.size > 0) && !this.store.isDestroyed) {
        const ready: string[] = [];
        if (this.unchecked.size > 0) {
          const tokens = [...this.unchecked];
          this.invitesCheckedCount += tokens.length;
          const verdicts = await Promise.all(tokens.map(verifyCapability));
          tokens.forEach((t, i) => {
            rememberIn(verdicts[i] ? this.goodInvites : this.badInvites, t, MAX_INVITE_VERDICTS);
            this.unchecked.delete(t);
          });
          for (const [token, keys] of this.awaiting) {
            const verdict = this.verdict(token);
            if (verdict === undefined) continue;
            this.awaiting.delete(token);
            if (verdict) ready.push(...keys);
            else this.refuse(keys);
          }
        } else {
          const pending = [...this.pendingProofs];
          this.pendingProofs.clear();
          const verdicts = await this.cache.verifyBatch(pending.map(([, { job }]) => job));
          const refused: string[] = [];
          pending.forEach(([id, { key }], i) => {
            rememberIn(verdicts[i] ? this.goodProofs : this.badProofs, id, MAX_PROOF_VERDICTS);
            (verdicts[i] ? ready : refused).push(key);
          });
          this.refuse(refused);
        }
        if (this.store.isDestroyed) break;
        if (ready.length > 0) this.store.reread(ready);
        this.store.refresh('remote');
        // Settled only once the claims read again are checked and derived (see settled()).
        if (ready.length > 0) await this.store.settled();
      }
      this.checking = null;
    })();
  }

  /** Leaves the claims under `keys` unread, their devices refused (read again if the keys that may be organizers grow). */
  private refuse(keys: Iterable<string>): void {
    for (const key of keys) {
      this.parked.add(key);
      const author = keyAuthor(key);
      if (author !== null) this.unread.set(author, 'refused');
    }
  }

  /* ---------------------------------------------------------------- commands */

  private requireSigner(): Signer {
    if (this.store.isDestroyed) throw new GatherError('destroyed', 'This membership model was destroyed');
    if (this.signer === null) throw new GatherError('no-signer', 'Read-only: no signing identity');
    return this.signer;
  }

  private async requireOrganizer(): Promise<Signer> {
    const signer = this.requireSigner();
    await this.settled();
    if (!this.isOrganizer(signer.publicKey)) throw new GatherError('not-organizer', 'Only an organizer of this room can do this');
    return signer;
  }

  /** Signs and stores an entry under `key` (the signer's own), one command at a time; resolves once derived. */
  private async write<Body extends object>(key: string, type: string, body: Body | ((ts: number) => Promise<Body>)): Promise<SignedEntry<Body>> {
    const signer = this.requireSigner();
    const entry = await this.store.enqueue(async () => {
      const previous = this.store.entries.get(key)?.ts ?? -Infinity;
      const ts = Math.max(Math.floor(this.now()), this.lastTs + 1, Math.floor(previous) + 1);
      const draft = { ...(typeof body === 'function' ? await body(ts) : body), type, scope: TRUST_SCOPE, room: this.store.site.room };
      const { entry, stored } = await signCompactEntry<Body>(signer, draft, ts, keyKind(key) ?? '');
      if (this.store.isDestroyed) throw new GatherError('destroyed', 'This membership model was destroyed');
      this.lastTs = ts;
      this.store.put(key, stored);
      return entry;
    });
    await this.settled();
    return entry;
  }

  /** Adds `key` as an organizer. Rejects with `not-organizer` unless this visitor is one, `invalid-field` for a malformed key. */
  async addOrganizer(key: string): Promise<void> {
    await this.setOrganizer(key, true);
  }

  /** Removes `key` as an organizer (a root cannot be removed: the page names it). */
  async removeOrganizer(key: string): Promise<void> {
    await this.setOrganizer(key, false);
  }

  private async setOrganizer(subject: string, organizer: boolean): Promise<void> {
    if (!isKey(subject) || !/^[A-Za-z0-9_-]+$/.test(subject)) throw new GatherError('invalid-field', 'Not a public key');
    const signer = await this.requireOrganizer();
    await this.write(entryKey(ORGANIZER_TYPE, signer.publicKey, subject), ORGANIZER_TYPE, { subject, organizer });
  }

  /** Revokes (or, with false, restores) the member `key`: their entries signed from now on do not count. */
  async revokeMember(key: string, revoked = true): Promise<void> {
    if (!isKey(key)) throw new GatherError('invalid-field', 'Not a public key');
    const signer = await this.requireOrganizer();
    await this.write(entryKey(REVOKE_TYPE, signer.publicKey, key), REVOKE_TYPE, { subject: key, revoked });
  }

  /** Withdraws (or, with false, reopens) the invite `id`: devices joining with it from now on are not members. */
  async withdrawInvite(id: string, withdrawn = true): Promise<void> {
    if (!isBoundedString(id, 16)) throw new GatherError('invalid-field', 'Not an invite id');
    const signer = await this.requireOrganizer();
    await this.write(entryKey(WITHDRAW_TYPE, signer.publicKey, id), WITHDRAW_TYPE, { invite: id, withdrawn });
  }

  /**
   * Makes an invite to this room admitting up to `max` devices, with a key pair of its own (its
   * code, token and private key, goes in a link, never in the document). Rejects with `not-organizer` unless this visitor is an organizer of the room,
   * `invalid-invite` for a bad `max` or `expires`, or when the model has no room.
   */
  async createInvite({ max, expires = null }: InviteOptions): Promise<Invite> {
    const signer = await this.requireOrganizer();
    if (this.room === undefined) throw new GatherError('invalid-invite', 'Invites are for a room: this model has none');
    return createCapability(signer, { room: this.room, max, expires, now: this.now() });
  }

  /**
   * Joins the room with an invite's code (`invite.code`, what a link carries after `#invite=`):
   * writes this device's membership entry, its claim signed by the invite's key as well as this
   * device's (once: joining again with the same invite writes nothing), and resolves with where it
   * then stands. Rejects with `invalid-invite` for a code that is malformed, badly signed, for
   * another room, expired, or from a link made before invites had keys of their own.
   */
  async join(code: string): Promise<MemberState> {
    const signer = this.requireSigner();
    const invite = readInvite(code);
    if (invite === null && outdatedInviteRoom(code) !== null) {
      throw new GatherError('invalid-invite', 'This invite link was made by an earlier version of Gather and no longer admits anyone: ask an organizer for a new link');
    }
    if (invite === null || this.room === undefined || invite.room !== this.store.site.room || !(await verifyCapability(invite.token))) {
      throw new GatherError('invalid-invite', 'This invite is not for this room, or it is damaged');
    }
    if (invite.expires !== null && this.now() > invite.expires) throw new GatherError('invalid-invite', 'This invite has expired');
    await this.settled();
    const key = entryKey(MEMBER_TYPE, signer.publicKey);
    const current = this.store.entries.get(key) as MemberEntry | undefined;
    const state = this.stateOf(signer.publicKey);
    // Joined already (with this invite, or as a member through another): nothing to write.
    if (state === 'organizer' || state === 'member' || state === 'revoked' || current?.invite === invite.token) return state;
    await this.write(key, MEMBER_TYPE, async (ts) => ({ invite: invite.token, proof: await signClaimProof(invite, signer, ts) }));
    return this.stateOf(signer.publicKey);
  }
}

/* ---------------------------------------------------------------- shared read-only instances */

interface Shared {
  readonly model: MembershipModel;
  refs: number;
}

const shared = new WeakMap<Y.Doc, Map<string, Shared>>();

/**
 * The read-only trust model of `doc`'s room for the roots `roots`, shared by the widgets that name
 * the same organizers (one verification, one derive); give it back with {@link releaseTrust}. The
 * first call's options (healing included) make the model; later calls share it as it is.
 */
export const acquireTrust = (doc: Y.Doc, roots: readonly string[], options: Omit<MembershipOptions, 'roots'> = {}): MembershipModel => {
  const key = `${options.room ?? ''}\0${[...new Set(roots)].sort(compareStrings).join(' ')}`;
  let byKey = shared.get(doc);
  if (byKey === undefined) shared.set(doc, (byKey = new Map()));
  let found = byKey.get(key);
  if (found === undefined) {
    found = { model: new MembershipModel(doc, null, { ...options, roots }), refs: 0 };
    byKey.set(key, found);
  }
  found.refs++;
  return found.model;
};

/** Gives back a model from {@link acquireTrust}; the last holder's release destroys it. */
export const releaseTrust = (doc: Y.Doc, model: MembershipModel): void => {
  const byKey = shared.get(doc);
  if (byKey === undefined) return;
  for (const [key, found] of byKey) {
    if (found.model !== model) continue;
    if (--found.refs <= 0) {
      byKey.delete(key);
      model.destroy();
    }
    return;
  }
};
