/**
 * The mutual-aid board: offers and requests that neighbours match themselves, without anyone's
 * contact details readable by anyone but the one person they are for.
 *
 * Entries in the root map `aid:<name>` (see docs/entries.md), each under its author's own key:
 * - `post:<poster>:<local>` — `{ kind, title, description, category, area, urgency, neededBy,
 *   keys, contact }`: `keys` are the poster's encryption public keys (encryption.ts), `contact` the
 *   poster's contact sealed for the poster's own device (so that it can be sealed again, later, for
 *   the responder the poster accepts). The post's id is `<poster>:<local>`.
 * - `response:<responder>:<post id>` — `{ key, sealed }`: the responder's encryption key and their
 *   message and contact sealed for the poster alone. A new response replaces the old.
 * - `status:<poster>:<local>` — `{ status, responder, contact }`, by the poster only (the key says
 *   so): open, matched (with the accepted responder and the poster's contact sealed for them),
 *   done, or withdrawn. The latest replaces the one before; un-matching is `open` again.
 * - `hide:<organizer>:<post id>` — `{ hidden, reason }` by one of the page's organizers; the
 *   latest in the shared order decides.
 *
 * Every message is sealed with a context naming the room, the board, the post, the purpose and
 * the responder, so a ciphertext copied elsewhere does not open. Limits (aid-board.types.ts) are
 * applied in the shared order, so every peer shows the same posts and responses.
 */
import type * as Y from 'yjs';
import { GatherError } from '../errors.js';
import { plainEqual } from '../plain.js';
import { toBase64url } from '../identity/base64url.js';
import { curveOfKey, type EncryptionIdentity } from '../identity/encryption.js';
import type { SignedEntry, Signer } from '../identity/types.js';
import { entryKey } from './entry-key.js';
import { compareEntries } from './order.js';
import { SignedEntryModel, type SignedEntryModelOptions } from './signed-entry-model.js';
import {
  aidScope,
  dayEnds,
  FIELDS,
  HIDE_TYPE,
  isDay,
  isOneOf,
  parseAidEntry,
  parsePostId,
  POST_TYPE,
  postIdOf,
  RESPONSE_TYPE,
  STATUS_TYPE,
  type AidEntry,
  type HideBody,
  type HideEntry,
  type PostBody,
  type PostEntry,
  type ResponseEntry,
  type StatusBody,
  type StatusEntry,
} from './aid-board-entries.js';
import { comparePosts, emptyCounts, normalizeAidConfig } from './aid-board-view.js';
import {
  AID_KINDS,
  AID_LIMITS,
  AID_URGENCIES,
  type AidBoardConfig,
  type AidBoardView,
  type AidContact,
  type AidCounts,
  type AidPostInput,
  type AidPostView,
  type AidResponseInput,
  type AidStatus,
} from './aid-board.types.js';

export { aidScope, dayEnds, isDay, parseAidEntry, parsePostId, POST_TYPE, RESPONSE_TYPE, STATUS_TYPE, HIDE_TYPE } from './aid-board-entries.js';
export { comparePosts, emptyAidView, emptyCounts, normalizeAidConfig, parseList } from './aid-board-view.js';

/** What a post's view is derived from. */
interface ViewBasis {
  readonly post: PostEntry;
  readonly status: StatusEntry | null;
  readonly hidden: HideEntry | null;
  readonly responses: readonly ResponseEntry[];
  readonly expired: boolean;
  readonly messages: readonly (string | null)[] | null;
  readonly me: string | null;
}

const sameList = <T>(a: readonly T[] | null, b: readonly T[] | null): boolean =>
  a === b || (a !== null && b !== null && a.length === b.length && a.every((x, i) => x === b[i]));

const sameBasis = (a: ViewBasis, b: ViewBasis): boolean =>
  a.post === b.post && a.status === b.status && a.hidden === b.hidden && a.expired === b.expired && a.me === b.me && sameList(a.responses, b.responses) && sameList(a.messages, b.messages);

/** Options of an {@link AidBoardModel}. */
export interface AidBoardModelOptions extends SignedEntryModelOptions {
  /**
   * This visitor's encryption identity (encryption.ts), to seal and open contacts. Without it the
   * visitor can read the board but not post or respond.
   */
  readonly encryption?: Promise<EncryptionIdentity> | null;
}

/** What the poster's device opened: a response's message and contact. */
interface Opened {
  readonly message: string;
  readonly contact: string;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Trims, and checks a bound; throws `invalid-field`. */
const field = (value: unknown, max: number, name: string, required: boolean): string => {
  const text = typeof value === 'string' ? value.trim() : value === undefined || value === null ? '' : null;
  if (text === null || text.length > max || (required && text.length === 0)) {
    throw new GatherError('invalid-field', `${name} is ${required ? 'required and ' : ''}at most ${max} characters`);
  }
  return text;
};

const randomLocalId = (): string => toBase64url(globalThis.crypto.getRandomValues(new Uint8Array(9)));

/**
 * A mutual-aid board over `doc`, in the root map `aid:<name>`. The page's `categories` and
 * `areas` (and the order shown) are its configuration. Without a signer (or an encryption
 * identity) the board is read-only.
 */
export class AidBoardModel extends SignedEntryModel<AidEntry, AidBoardView> {
  private config: AidBoardConfig;
  private readonly encryption: Promise<EncryptionIdentity> | null;
  private readonly clock: () => number;
  /** Sealed texts this device opened (by the entry's signature), or null when they did not open. In memory only. */
  private readonly opened = new Map<string, Opened | null>();
  private readonly toOpen = new Map<string, () => Promise<Opened | null>>();
  private opening: Promise<void> | null = null;
  private expiryTimer: ReturnType<typeof setTimeout> | undefined;
  /** Derived state behind the view, for commands. */
  /** Post views by id, with what they were derived from (see derive). */
  private viewCache = new Map<string, { basis: ViewBasis; view: AidPostView }>();
  private posts = new Map<string, { post: PostEntry; status: StatusEntry | null; responses: ResponseEntry[]; hidden: HideEntry | null }>();

  constructor(doc: Y.Doc, name: string, config: AidBoardConfig, signer: Signer | null, options: AidBoardModelOptions = {}) {
    super(doc, aidScope(name), signer, options);
    this.config = normalizeAidConfig(config);
    this.encryption = signer === null ? null : (options.encryption ?? null);
    this.clock = options.now ?? Date.now;
  }

  protected parse(key: string, entry: SignedEntry): AidEntry | null {
    return parseAidEntry(key, entry);
  }

  protected override bodyFields(type: string): readonly string[] | undefined {
    return FIELDS[type];
  }

  /** The page's configuration, as the model keeps it. */
  get boardConfig(): AidBoardConfig {
    return this.config;
  }

  /** Replaces the page's categories, areas and order (no change event: the page made it). */
  setConfig(config: AidBoardConfig): void {
    const next = normalizeAidConfig(config);
    if (plainEqual(next, this.config)) return;
    this.config = next;
    this.refresh();
  }

  protected derive(entries: ReadonlyMap<string, AidEntry>): AidBoardView {
    const me = this.signer?.publicKey ?? null;
    const now = this.clock();
    const posts: [string, PostEntry][] = [];
    const statuses = new Map<string, StatusEntry>();
    const responses: [string, ResponseEntry][] = [];
    const hides = new Map<string, HideEntry>();
    for (const [key, entry] of entries) {
      switch (entry.type) {
        case POST_TYPE:
          posts.push([postIdOf(entry, key), entry as PostEntry]);
          break;
        case STATUS_TYPE:
          statuses.set(postIdOf(entry, key), entry as StatusEntry);
          break;
        case RESPONSE_TYPE:
          responses.push([postIdOf(entry, key), entry as ResponseEntry]);
          break;
        case HIDE_TYPE: {
          if (!this.isOrganizer(entry.author)) break;
          const postId = postIdOf(entry, key);
          const last = hides.get(postId);
          if (last === undefined || compareEntries(entry, last) > 0) hides.set(postId, entry as HideEntry);
          break;
        }
      }
    }
    const statusOf = (id: string): AidStatus => statuses.get(id)?.status ?? 'open';
    const isActive = (status: AidStatus) => status === 'open' || status === 'matched';

    // Each author's posts in the shared order: at most `posts` in all, `activePosts` open or matched.
    posts.sort((a, b) => compareEntries(a[1], b[1]));
    const kept = new Map<string, { post: PostEntry; status: StatusEntry | null; responses: ResponseEntry[]; hidden: HideEntry | null }>();
    const perAuthor = new Map<string, { all: number; active: number }>();
    for (const [id, post] of posts) {
      const count = perAuthor.get(post.author) ?? { all: 0, active: 0 };
      perAuthor.set(post.author, count);
      const active = isActive(statusOf(id));
      if (count.all >= AID_LIMITS.posts || (active && count.active >= AID_LIMITS.activePosts)) continue;
      count.all++;
      if (active) count.active++;
      const hidden = hides.get(id);
      kept.set(id, { post, status: statuses.get(id) ?? null, responses: [], hidden: hidden?.hidden ? hidden : null });
    }

    // Each responder's responses in the shared order: at most `activeResponses` to open or matched posts.
    responses.sort((a, b) => compareEntries(a[1], b[1]));
    const perResponder = new Map<string, number>();
    for (const [postId, response] of responses) {
      const target = kept.get(postId);
      if (target === undefined || target.responses.length >= AID_LIMITS.responsesPerPost) continue;
      if (isActive(target.status?.status ?? 'open')) {
        const n = perResponder.get(response.author) ?? 0;
        if (n >= AID_LIMITS.activeResponses) continue;
        perResponder.set(response.author, n + 1);
      }
      target.responses.push(response);
    }
    this.posts = kept;

    const counts = emptyCounts(this.config);
    const views: AidPostView[] = [];
    const nextCache = new Map<string, { basis: ViewBasis; view: AidPostView }>();
    let nextExpiry = Infinity;
    for (const [id, { post, status, responses: list, hidden }] of kept) {
      const mine = post.author === me;
      const current = status?.status ?? 'open';
      const responder = current === 'matched' || current === 'done' ? status!.responder : null;
      let expired = false;
      if (post.neededBy !== null) {
        const ends = dayEnds(post.neededBy);
        expired = now >= ends;
        if (!expired) nextExpiry = Math.min(nextExpiry, ends);
      }
      const messages = mine ? list.map((r) => this.openedResponse(id, r)?.message ?? null) : null;
      // The same entries (the same objects: verified entries are kept as they are), the same opened
      // messages and the same expiry give the same post view: reuse the frozen object, so that a
      // change to one post of 10,000 costs one post, not 10,000 (nor a deep comparison of each).
      const basis: ViewBasis = { post, status, hidden, responses: list, expired, messages, me };
      const cached = this.viewCache.get(id);
      const view: AidPostView =
        cached !== undefined && sameBasis(cached.basis, basis)
          ? cached.view
          : {
              id,
              kind: post.kind,
              title: hidden ? '' : post.title,
              description: hidden ? '' : post.description,
              category: post.category,
              area: post.area,
              urgency: post.urgency,
              neededBy: post.neededBy,
              expired,
              status: current,
              author: post.author,
              mine,
              responses: list.map((r, i) => ({ author: r.author, message: messages?.[i] ?? null, accepted: r.author === responder })),
              posted: post.ts,
              hidden: hidden ? hidden.reason : null,
            };
      nextCache.set(id, { basis, view });
      views.push(view);
      this.count(counts, view, me);
    }
    this.viewCache = nextCache;
    views.sort(comparePosts(this.config.order));
    this.scheduleExpiry(nextExpiry);
    return { posts: views, counts };
  }

  private count(counts: AidCounts, post: AidPostView, me: string | null): void {
    const c = counts as { -readonly [K in keyof AidCounts]: AidCounts[K] };
    if (post.mine || (me !== null && post.responses.some((r) => r.author === me))) c.mine++;
    if (post.hidden !== null) {
      c.hidden++;
      return;
    }
    c.total++;
    (c.kind as Record<string, number>)[post.kind]!++;
    (c.status as Record<string, number>)[post.status]!++;
    if (post.category in c.category) (c.category as Record<string, number>)[post.category]!++;
    if (post.area in c.area) (c.area as Record<string, number>)[post.area]!++;
    if (post.expired) c.expired++;
  }

  /** Derives again when the next needed-by day is over. */
  private scheduleExpiry(at: number): void {
    clearTimeout(this.expiryTimer);
    this.expiryTimer = undefined;
    if (at === Infinity) return;
    this.expiryTimer = setTimeout(() => this.store.refresh('remote'), Math.min(MAX_TIMER_MS, Math.max(0, at - this.clock()) + 1));
    (this.expiryTimer as { unref?: () => void }).unref?.();
  }

  override destroy(): void {
    clearTimeout(this.expiryTimer);
    this.toOpen.clear();
    super.destroy();
  }

  /* ---------------------------------------------------------------- sealing */

  /** What a sealed text of this board is bound to: room, board, purpose, post, responder. */
  private context(purpose: 'contact' | 'response' | 'accept', postId: string, responder = ''): Uint8Array {
    return encoder.encode(`${this.store.site.room ?? ''}\n${this.scope}\n${purpose}\n${postId}\n${responder}`);
  }

  private async identity(): Promise<EncryptionIdentity> {
    this.requireSigner();
    if (this.encryption === null) throw new GatherError('unsupported-algorithm', 'This browser keeps no encryption keys, so it cannot seal contact details');
    return this.encryption;
  }

  private async openJson(sender: string, sealed: string, context: Uint8Array): Promise<Record<string, unknown> | null> {
    if (this.encryption === null) return null;
    try {
      const plain = await (await this.encryption).open(sender, sealed, context);
      if (plain === null) return null;
      const value: unknown = JSON.parse(decoder.decode(plain));
      return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
    } catch {
      return null;
    }
  }

  /** A response to this visitor's post, opened (from the cache; queued for opening when not yet). */
  private openedResponse(postId: string, response: ResponseEntry): Opened | null {
    const opened = this.opened.get(response.sig);
    if (opened !== undefined) return opened;
    if (this.encryption !== null && !this.toOpen.has(response.sig)) {
      this.toOpen.set(response.sig, async () => {
        const value = await this.openJson(response.key, response.sealed, this.context('response', postId, response.author));
        const message = value?.['m'];
        const contact = value?.['c'];
        return typeof message === 'string' && typeof contact === 'string' ? { message: message.slice(0, AID_LIMITS.message), contact: contact.slice(0, AID_LIMITS.contact) } : null;
      });
      this.kickOpening();
    }
    return null;
  }

  private kickOpening(): void {
    if (this.opening !== null) return;
    this.opening = (async () => {
      await Promise.resolve();
      while (this.toOpen.size > 0 && !this.store.isDestroyed) {
        const batch = [...this.toOpen];
        await Promise.all(batch.map(async ([sig, open]) => this.opened.set(sig, await open())));
        for (const [sig] of batch) this.toOpen.delete(sig);
        // A message from a peer became readable here: a change from elsewhere.
        if (!this.store.isDestroyed) this.store.refresh('remote');
      }
    })().finally(() => {
      this.opening = null;
    });
  }

  /** Resolves when every change seen so far is verified, derived, and what this device can open is opened. */
  override async settled(): Promise<void> {
    await super.settled();
    while (this.opening !== null) {
      await this.opening;
      await super.settled();
    }
  }

  /* ---------------------------------------------------------------- commands */

  private requirePost(postId: string) {
    const found = this.posts.get(postId);
    if (found === undefined) throw new GatherError('unknown-option', `This board has no post ${JSON.stringify(postId)}`);
    return found;
  }

  private requireOwnPost(postId: string) {
    const signer = this.requireSigner();
    const found = this.requirePost(postId);
    if (found.post.author !== signer.publicKey) throw new GatherError('not-author', 'Only the person who posted this can do that');
    return { ...found, signer, local: postId.slice(signer.publicKey.length + 1) };
  }

  private activeCount(author: string, responses: boolean): number {
    let n = 0;
    for (const [, { post, status, responses: list }] of this.posts) {
      const active = (status?.status ?? 'open') === 'open' || status?.status === 'matched';
      if (!active) continue;
      if (responses) n += list.filter((r) => r.author === author).length;
      else if (post.author === author) n++;
    }
    return n;
  }

  /**
   * Posts an offer or a request; resolves with the post's id. The contact is sealed for this
   * device alone, to be sealed again for the responder this visitor accepts. Rejects with a
   * GatherError: `invalid-field`, `unknown-option` (a category the page does not list),
   * `limit-reached`, `no-signer`, `destroyed`.
   */
  async post(input: AidPostInput): Promise<string> {
    const signer = this.requireSigner();
    if (!isOneOf(AID_KINDS, input.kind)) throw new GatherError('invalid-field', 'A post is an offer or a request');
    const urgency = input.urgency ?? 'whenever';
    if (!isOneOf(AID_URGENCIES, urgency)) throw new GatherError('invalid-field', 'Urgency is today, this-week or whenever');
    const title = field(input.title, AID_LIMITS.title, 'A title', true);
    const description = field(input.description, AID_LIMITS.description, 'A description', false);
    const category = field(input.category, AID_LIMITS.category, 'A category', true);
    if (this.config.categories.length > 0 && !this.config.categories.includes(category)) {
      throw new GatherError('unknown-option', `This board has no category ${JSON.stringify(category)}`);
    }
    const area = field(input.area, AID_LIMITS.area, 'An area', false);
    const neededBy = input.neededBy === undefined || input.neededBy === null || input.neededBy === '' ? null : input.neededBy;
    if (neededBy !== null && !isDay(neededBy)) throw new GatherError('invalid-field', 'Needed by is a day, YYYY-MM-DD');
    const contact = field(input.contact, AID_LIMITS.contact, 'A contact', true);
    await this.settled();
    if (this.activeCount(signer.publicKey, false) >= AID_LIMITS.activePosts) {
      throw new GatherError('limit-reached', `At most ${AID_LIMITS.activePosts} open posts each: mark one done or withdraw it first`);
    }
    const identity = await this.identity();
    const local = randomLocalId();
    const id = `${signer.publicKey}:${local}`;
    const own = identity.publicKeys[0]!;
    const sealed = await identity.seal(own, encoder.encode(JSON.stringify({ c: contact })), this.context('contact', id));
    const body: PostBody = { kind: input.kind, title, description, category, area, urgency, neededBy, keys: [...identity.publicKeys], contact: sealed };
    await this.write(entryKey(POST_TYPE, signer.publicKey, local), POST_TYPE, body);
    return id;
  }

  /**
   * Responds to someone's open post ("I can help" / "I need this") with a message and a contact,
   * sealed for the poster alone. A second response replaces the first. Rejects with `unknown-option`,
   * `not-open`, `invalid-field` (also for one's own post), `limit-reached`, `unsupported-algorithm`.
   */
  async respond(postId: string, input: AidResponseInput): Promise<void> {
    const signer = this.requireSigner();
    await this.settled();
    const { post } = this.requirePost(postId);
    const view = this.view.posts.find((p) => p.id === postId)!;
    if (post.author === signer.publicKey) throw new GatherError('invalid-field', 'This is your own post');
    if (view.status !== 'open' || view.expired || view.hidden !== null) throw new GatherError('not-open', 'This post no longer takes responses');
    const message = field(input.message, AID_LIMITS.message, 'A message', false);
    const contact = field(input.contact, AID_LIMITS.contact, 'A contact', true);
    const already = view.responses.some((r) => r.author === signer.publicKey);
    if (!already && this.activeCount(signer.publicKey, true) >= AID_LIMITS.activeResponses) {
      throw new GatherError('limit-reached', `At most ${AID_LIMITS.activeResponses} open responses each`);
    }
    const identity = await this.identity();
    // The poster's preferred curve that this device also has.
    const recipient = post.keys.find((k) => identity.publicKeyOn(curveOfKey(k)!) !== null);
    if (recipient === undefined) throw new GatherError('unsupported-algorithm', 'This browser cannot write to this poster (no common key type)');
    const key = identity.publicKeyOn(curveOfKey(recipient)!)!;
    const sealed = await identity.seal(recipient, encoder.encode(JSON.stringify({ m: message, c: contact })), this.context('response', postId, signer.publicKey));
    await this.write(entryKey(RESPONSE_TYPE, signer.publicKey, postId), RESPONSE_TYPE, { key, sealed });
  }

  /**
   * Accepts `responderKey`'s response to this visitor's post: the post is matched, and this
   * visitor's contact is sealed for that responder alone. Accepting someone else later replaces
   * the match. Rejects with `not-author`, `unknown-option` (no such response), `not-open` (done or withdrawn).
   */
  async accept(postId: string, responderKey: string): Promise<void> {
    await this.settled();
    const { post, status, responses, local, signer } = this.requireOwnPost(postId);
    const response = responses.find((r) => r.author === responderKey);
    if (response === undefined) throw new GatherError('unknown-option', 'No such response to this post');
    const current = status?.status ?? 'open';
    if (current !== 'open' && current !== 'matched') throw new GatherError('not-open', `This post is ${current}`);
    const identity = await this.identity();
    const own = await this.openJson(post.keys.find((k) => identity.publicKeys.includes(k)) ?? post.keys[0]!, post.contact, this.context('contact', postId));
    const contact = own?.['c'];
    if (typeof contact !== 'string') throw new GatherError('identity-unavailable', 'Your contact for this post can only be read on the device you posted from');
    const sealed = await identity.seal(response.key, encoder.encode(JSON.stringify({ c: contact })), this.context('accept', postId, responderKey));
    await this.write(entryKey(STATUS_TYPE, signer.publicKey, local), STATUS_TYPE, { status: 'matched', responder: responderKey, contact: sealed } satisfies StatusBody);
  }

  /** Un-matches this visitor's matched post: open again, the accepted responder no longer chosen. */
  async unmatch(postId: string): Promise<void> {
    await this.settled();
    const { status, local, signer } = this.requireOwnPost(postId);
    if (status?.status !== 'matched') throw new GatherError('not-open', 'This post is not matched');
    await this.write(entryKey(STATUS_TYPE, signer.publicKey, local), STATUS_TYPE, { status: 'open', responder: null, contact: null } satisfies StatusBody);
  }

  /** Marks this visitor's post done (keeping the match) or withdrawn. Rejects with `not-author`, `invalid-field`. */
  async setStatus(postId: string, status: 'done' | 'withdrawn'): Promise<void> {
    if (status !== 'done' && status !== 'withdrawn') throw new GatherError('invalid-field', 'A status is done or withdrawn');
    await this.settled();
    const { status: current, local, signer } = this.requireOwnPost(postId);
    const matched = status === 'done' && (current?.status === 'matched' || current?.status === 'done') ? current : null;
    const body: StatusBody = matched ? { status, responder: matched.responder, contact: matched.contact } : { status, responder: null, contact: null };
    await this.write(entryKey(STATUS_TYPE, signer.publicKey, local), STATUS_TYPE, body);
  }

  /** Hides a post as an organizer, with a reason everyone sees. Rejects with `not-organizer`. */
  async hide(postId: string, reason: string): Promise<void> {
    const signer = this.requireSigner();
    const text = field(reason, AID_LIMITS.reason, 'A reason', false);
    if (parsePostId(postId) === null) throw new GatherError('unknown-option', `This board has no post ${JSON.stringify(postId)}`);
    await this.writeAsOrganizer(entryKey(HIDE_TYPE, signer.publicKey, postId), HIDE_TYPE, { hidden: true, reason: text } satisfies HideBody);
  }

  /** Shows a hidden post again, as an organizer. */
  async unhide(postId: string): Promise<void> {
    const signer = this.requireSigner();
    if (parsePostId(postId) === null) throw new GatherError('unknown-option', `This board has no post ${JSON.stringify(postId)}`);
    await this.writeAsOrganizer(entryKey(HIDE_TYPE, signer.publicKey, postId), HIDE_TYPE, { hidden: false, reason: '' } satisfies HideBody);
  }

  /**
   * The contacts this visitor may read for `postId`, opened on this device: for the poster, each
   * responder's (the accepted one first); for the accepted responder, the poster's. Null when there
   * is none (anyone else, or before acceptance). Contacts are never kept anywhere but in memory.
   */
  async contact(postId: string): Promise<readonly AidContact[] | null> {
    if (this.signer === null || this.encryption === null) return null;
    await this.settled();
    const found = this.posts.get(postId);
    if (found === undefined) return null;
    const me = this.signer.publicKey;
    const { post, status, responses } = found;
    if (post.author === me) {
      const accepted = status?.status === 'matched' || status?.status === 'done' ? status.responder : null;
      const contacts: AidContact[] = [];
      for (const response of [...responses].sort((a, b) => Number(b.author === accepted) - Number(a.author === accepted))) {
        const opened = this.opened.get(response.sig);
        if (opened) contacts.push({ author: response.author, contact: opened.contact });
      }
      return contacts.length > 0 ? contacts : null;
    }
    if ((status?.status === 'matched' || status?.status === 'done') && status.responder === me && status.contact !== null) {
      const mine = responses.find((r) => r.author === me);
      const sender = mine === undefined ? undefined : post.keys.find((k) => curveOfKey(k) === curveOfKey(mine.key));
      if (sender === undefined) return null;
      const opened = await this.openJson(sender, status.contact, this.context('accept', postId, me));
      const contact = opened?.['c'];
      return typeof contact === 'string' ? [{ author: post.author, contact: contact.slice(0, AID_LIMITS.contact) }] : null;
    }
    return null;
  }
}
