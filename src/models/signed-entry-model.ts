/**
 * The base of every widget model: a widget model is its `parse`, its `derive` and its commands.
 *
 * It holds the {@link EntryModel} (verification, batching, the view), writes this visitor's
 * signed entries one command at a time, and knows the page's organizer keys.
 */
import type * as Y from 'yjs';
import { GatherError } from '../errors.js';
import { signCompactEntry } from '../identity/entries.js';
import type { SignedEntry, Signer } from '../identity/types.js';
import type { VerificationCache } from '../identity/verification.js';
import { keyKind, ownsKey } from './entry-key.js';
import { EntryModel, type HealOptions, type VerificationProgress } from './entry-model.js';
import { DEFAULT_ENTRY_LIMITS, type EntryLimits, type LimitReport } from './entry-limits.js';
import type { MembershipModel } from './membership.js';
import { NO_TRUST, TRUST_SCOPE, type RoomTrust } from './room-trust.js';
import { acquireTrust, releaseTrust } from './trust-source.js';
import type { Model, ViewOrigin } from './model.types.js';
import { sortEntries } from './order.js';
import { plainEqual } from '../plain.js';

/** What every widget model takes besides its doc, name, configuration and signer. */
export interface SignedEntryModelOptions {
  /** Verdict cache shared between the page's models. */
  readonly cache?: VerificationCache;
  /**
   * Public keys (base64url) of the people the page names as organizers (`organizer="…"`):
   * entries they sign can close, hide or moderate, as each widget defines.
   */
  readonly organizers?: Iterable<string>;
  /** This device's clock (tests pass their own). */
  readonly now?: () => number;
  /**
   * The name of the room the document belongs to (widgets pass their room's). Entries are signed
   * for it, and entries signed for another room do not count. Leave it out for a document that
   * belongs to no room.
   */
  readonly room?: string | undefined;
  /**
   * Count and show only members' entries (the room's organizers, and devices admitted with an
   * organizer's invite: membership.ts). Off by default: anyone in the room counts.
   */
  readonly membersOnly?: boolean;
  /**
   * Self-healing (on by default): the model keeps the newest valid entry under every key, counts
   * it while the document has lost it, and writes it back (entry-model.ts). `false` turns it off.
   */
  readonly heal?: boolean | HealOptions;
  /** Limits per author and per widget (entry-limits.ts); the defaults unless `false`. Organizers are not limited. */
  readonly limits?: EntryLimits | false;
}

/** Organizer keys as the page writes them: space- (or comma-) separated, duplicates and blanks dropped. */
export const parseOrganizers = (text: string | null | undefined): readonly string[] =>
  Object.freeze([...new Set((text ?? '').split(/[\s,]+/).filter(Boolean))]);

/**
 * An abstract widget model over `doc.getMap(scope)`. Subclasses implement {@link parse} (is this
 * stored value one of my entries?) and {@link derive} (entries → view), and write with
 * {@link write} / {@link writeAsOrganizer}. Without a signer the model is read-only: commands
 * reject with `no-signer`.
 */
export abstract class SignedEntryModel<T extends SignedEntry<object>, View> implements Model<View> {
  /** The root map's name, `<kind>:<name>`; signed into every entry. */
  readonly scope: string;
  /** The room's name (its tag is signed into every entry), or undefined for a document of no room. */
  readonly room: string | undefined;
  /** Signs this visitor's entries; null for a read-only model (or until {@link setSigner} gives one). */
  get signer(): Signer | null {
    return this.signerNow;
  }
  private signerNow: Signer | null;
  /** The verified entries and the derived view. */
  protected readonly store: EntryModel<T, View>;
  private readonly now: () => number;
  private readonly organizerKeys: ReadonlySet<string>;
  private lastTs = -Infinity;
  /**
   * The room's organizers and members (the room-level map `trust:room`, shared by the widgets
   * naming the same organizers): organizers the page's keys added count as organizers here too.
   */
  readonly trust: RoomTrust;
  /** The trust map this model holds ({@link trust}), or null for a page naming no organizer (then {@link NO_TRUST}). */
  private readonly membership: MembershipModel | null;
  private membersOnlyFlag: boolean;
  private readonly unsubscribeTrust: () => void;
  /** The last {@link keptViewKey} and what it was made from. */
  private lastViewKey: { readonly own: string; readonly signer: Signer | null; readonly membersOnly: boolean; readonly key: string } | null = null;

  constructor(doc: Y.Doc, scope: string, signer: Signer | null, { cache, organizers = [], now = Date.now, room, membersOnly = false, heal = true, limits = DEFAULT_ENTRY_LIMITS }: SignedEntryModelOptions = {}) {
    this.scope = scope;
    this.room = room;
    this.signerNow = signer;
    this.organizerKeys = new Set(organizers);
    this.now = now;
    this.membersOnlyFlag = membersOnly;
    // The room's trust map heals like the widget's entries (the first widget of the room sets how).
    // With no organizer named it admits no one (room-trust.ts): nothing to read.
    this.membership = this.organizerKeys.size === 0 ? null : acquireTrust(doc, [...this.organizerKeys], { room, now, heal, ...(cache === undefined ? {} : { cache }) });
    this.trust = this.membership ?? NO_TRUST;
    this.store = new EntryModel<T, View>(doc, {
      scope,
      parse: (key, entry) => (ownsKey(key, entry.author) ? this.parse(key, entry) : null),
      derive: (entries, changed) => (this.membersOnlyFlag ? this.derive(this.memberEntries(entries)) : this.derive(entries, changed)),
      now,
      room,
      fields: (type) => this.bodyFields(type),
      heal,
      limits,
      unlimited: (author) => this.isOrganizer(author),
      // A widget that says what its view depends on keeps the view on the device (kept-view.ts).
      ...(this.viewKey === SignedEntryModel.prototype.viewKey ? {} : { viewKey: () => this.keptViewKey() }),
      // A widget that compares its views itself (cheaper than the structural walk) does so.
      ...(this.sameView === SignedEntryModel.prototype.sameView ? {} : { equal: (a: View, b: View) => this.sameView(a, b) }),
      ...(cache === undefined ? {} : { cache }),
    });
    // A change of organizers or members changes what counts.
    this.unsubscribeTrust = this.trust.subscribe((_view, origin) => this.store.refresh(origin));
  }

  /**
   * Gives the model the identity that signs this visitor's entries (null: read-only), for a widget
   * that builds its model before the device's key has loaded, so that the room is read and checked
   * meanwhile. Derives the view again (what is this visitor's), with no change event: nothing in
   * the room changed.
   */
  setSigner(signer: Signer | null): void {
    if (this.signerNow === signer) return;
    this.signerNow = signer;
    this.refresh();
  }

  /** Whether only members' entries count (see {@link SignedEntryModelOptions.membersOnly}). */
  get membersOnly(): boolean {
    return this.membersOnlyFlag;
  }

  /** Counts only members' entries from now on (or everyone's, with false); no change event: the page made it. */
  setMembersOnly(membersOnly: boolean): void {
    if (this.membersOnlyFlag === membersOnly) return;
    this.membersOnlyFlag = membersOnly;
    this.refresh();
  }

  /** The entries of members (and organizers), a revoked member's only up to the revocation. */
  private memberEntries(entries: ReadonlyMap<string, T>): ReadonlyMap<string, T> {
    const out = new Map<string, T>();
    for (const [key, entry] of entries) if (this.trust.counts(entry)) out.set(key, entry);
    return out;
  }

  /**
   * Accepts a stored entry (header checked, scope matching, stored under one of its author's own
   * keys) as one of this widget's, or returns null to ignore it. Runs before the signature check.
   */
  protected abstract parse(key: string, entry: SignedEntry): T | null;

  /**
   * Derives the view from the valid, due entries by key. Pure: the same entries, the same view.
   * `changed`, when given: `entries` is the last call's map, changed in place under those keys at most.
   */
  protected abstract derive(entries: ReadonlyMap<string, T>, changed?: ReadonlySet<string>): View;

  /**
   * What this widget's view depends on besides its entries (its configuration, the clock's part),
   * as text, for keeping the view on the device (kept-view.ts); null: not kept. None by default: a
   * widget opts in by naming everything its `derive` reads apart from the entries.
   */
  protected viewKey(): string | null {
    return null;
  }

  /**
   * Whether two views are the same (then no change event): structural equality by default. A
   * widget whose views hold thousands of items may compare them more cheaply, with the same answer.
   */
  protected sameView(a: View, b: View): boolean {
    return plainEqual(a, b);
  }

  /**
   * The widget's {@link viewKey} with what every widget's view depends on: the page's organizers,
   * this visitor's key, members-only. Null while the room's trust map holds anything and the page
   * names organizers (the view then depends on more than the widget's map: such a room is read the
   * usual way; with no organizer named, the trust map is not read at all).
   */
  private keptViewKey(): string | null {
    const own = this.viewKey();
    if (own === null) return null;
    const trust = this.store.doc.share.get(TRUST_SCOPE) as unknown as { _map: Map<string, unknown> } | undefined;
    if (this.membership !== null && trust !== undefined && trust._map.size > 0) return null;
    // Taken on every derive (every live vote): made again only when what it names changed.
    const last = this.lastViewKey;
    if (last !== null && last.own === own && last.signer === this.signer && last.membersOnly === this.membersOnlyFlag) return last.key;
    const key = JSON.stringify([own, [...this.organizerKeys].sort(), this.signer?.publicKey ?? null, this.membersOnlyFlag]);
    this.lastViewKey = { own, signer: this.signer, membersOnly: this.membersOnlyFlag, key };
    return key;
  }

  /**
   * The body fields entries of `type` usually carry (a ballot: `['choices']`): an entry with
   * exactly these is stored without their names (entries.ts). None by default. Must not change
   * once entries are written (an entry stored without names is read with the same list).
   */
  protected bodyFields(_type: string): readonly string[] | undefined {
    return undefined;
  }

  get view(): View {
    return this.store.view;
  }

  subscribe(listener: (view: View, origin: ViewOrigin) => void): () => void {
    return this.store.subscribe(listener);
  }

  /** Resolves when every change seen so far (and every queued command) is verified and derived. */
  async settled(): Promise<void> {
    await this.trust.settled();
    await this.store.settled();
  }

  /** How far verification has got (`verified` of `total`; equal when idle): for a "checking N of M" line during a long first sync. */
  get progress(): VerificationProgress {
    return this.store.progress;
  }

  /** Calls `listener` as verification progresses; returns the unsubscribe function. */
  subscribeProgress(listener: (progress: VerificationProgress) => void): () => void {
    return this.store.subscribeProgress(listener);
  }

  destroy(): void {
    if (this.store.isDestroyed) return;
    this.unsubscribeTrust();
    if (this.membership !== null) releaseTrust(this.store.doc, this.membership);
    this.store.destroy();
  }

  /**
   * Entries this peer has put back after another peer deleted or damaged them (since it started):
   * for a status line such as "Restored 3 entries a peer removed".
   */
  get repaired(): number {
    return this.store.repaired;
  }

  /** Calls `listener` with the new {@link repaired} count after each repair; returns the unsubscribe function. */
  subscribeRepaired(listener: (repaired: number) => void): () => void {
    return this.store.subscribeRepaired(listener);
  }

  /** Entries the view still counts that the document has lost, waiting to be written back. */
  get damaged(): number {
    return this.store.damaged;
  }

  /** What the limits leave out of the view (entries, authors). */
  get limited(): LimitReport {
    return this.store.limited;
  }

  /** The organizer keys the page names. */
  get organizers(): readonly string[] {
    return [...this.organizerKeys];
  }

  /** Whether `author` is one of the page's organizers, or an organizer they added to the room (membership.ts). */
  isOrganizer(author: string): boolean {
    return this.organizerKeys.has(author) || this.trust.isOrganizer(author);
  }

  /** Whether this visitor signs as one of the page's organizers. */
  get signsAsOrganizer(): boolean {
    return this.signer !== null && this.isOrganizer(this.signer.publicKey);
  }

  /** The entries of `type` signed by an organizer, in the shared order (signed time, then author). */
  protected organizerEntries(entries: ReadonlyMap<string, T>, type: string): T[] {
    return sortEntries([...entries.values()].filter((entry) => entry.type === type && this.isOrganizer(entry.author)));
  }

  /** Derives the view again from the entries already verified (the page changed the configuration). */
  protected refresh(): void {
    this.store.refresh('config');
  }

  /** The signer, or a {@link GatherError}: `destroyed` after {@link destroy}, `no-signer` for a read-only model. */
  protected requireSigner(): Signer {
    if (this.store.isDestroyed) throw new GatherError('destroyed', `This model (${this.scope}) was destroyed`);
    if (this.signer === null) throw new GatherError('no-signer', `This widget (${this.scope}) is read-only: no signing identity`);
    return this.signer;
  }

  /**
   * Signs `{ type, ...body }` as this visitor (for this widget and room) and stores it, compact
   * (entries.ts), under `key` (one of the visitor's own keys, see entry-key.ts). Commands run one after another, so two quick actions land in the
   * order they were made; an author's timestamps only increase, even if the clock steps back.
   * Resolves with the entry once it is written and the view derived.
   */
  protected async write<Body extends object>(key: string, type: string, body: Body): Promise<SignedEntry<Body>> {
    const signer = this.requireSigner();
    if (!ownsKey(key, signer.publicKey)) throw new GatherError('invalid-entry', `Key ${JSON.stringify(key)} does not belong to this visitor`);
    const entry = await this.store.enqueue(async () => {
      const previous = this.store.latest(key)?.ts ?? -Infinity;
      // Whole milliseconds (the compact format's), even after an older entry with a fractional time.
      const ts = Math.max(Math.floor(this.now()), this.lastTs + 1, Math.floor(previous) + 1);
      const draft = { ...body, type, scope: this.scope, room: this.store.site.room };
      const { entry, stored } = await signCompactEntry<Body>(signer, draft, ts, keyKind(key) ?? '', (t) => this.bodyFields(t));
      if (this.store.isDestroyed) throw new GatherError('destroyed', `This model (${this.scope}) was destroyed`);
      this.lastTs = ts;
      this.store.put(key, stored);
      return entry;
    });
    await this.store.settled();
    return entry;
  }

  /** Like {@link write}, for an organizer's action: rejects with `not-organizer` unless this visitor is one. */
  protected async writeAsOrganizer<Body extends object>(key: string, type: string, body: Body): Promise<SignedEntry<Body>> {
    const signer = this.requireSigner();
    if (!this.isOrganizer(signer.publicKey)) {
      throw new GatherError('not-organizer', `Only the organizers this page names can do this (${this.scope})`);
    }
    return this.write(key, type, body);
  }
}
