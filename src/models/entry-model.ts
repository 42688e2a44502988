/**
 * The mechanism every widget model reuses: a root `Y.Map` of signed entries, verified through a
 * shared cache, derived into a frozen view in batches, published to subscribers.
 */
import type * as Y from 'yjs';
import { type BodyFields, entrySite, type EntrySite, ENTRY_VERSION, isEntryHeader, prepareEntry, type PreparedEntry, readStoredEntry, roomTag } from '../identity/entries.js';
import type { SignedEntry } from '../identity/types.js';
import { VerificationCache } from '../identity/verification.js';
import { POOL_MIN_JOBS } from '../identity/verifier-worker.js';
import type { VerdictStore } from '../identity/verdict-store.js';
import { deepFreeze, plainEqual } from '../plain.js';
import { yieldTask } from '../yield-task.js';
import { keyAuthor, keyKind } from './entry-key.js';
import { ensureOwnClientId, guardDocument } from './doc-guard.js';
import { applyEntryLimits, type EntryLimits, type LimitReport, NOTHING_LIMITED } from './entry-limits.js';
import { defaultKeptStore, type KeptEntryStore, keptSite } from './kept-entries.js';
import { firstKey, isKeptViewRecord, keptViewDigest, type KeptViewRecord, type MapContent, mapContent, sameDigest } from './kept-view.js';
import type { Model, ViewOrigin } from './model.types.js';
import { compareEntries, dueAt, isDue } from './order.js';

/**
 * How a model heals its document (see {@link EntryModel}): when it writes back what a peer
 * removed, and where it remembers entries between visits.
 */
export interface HealOptions {
  /** Where entries are remembered apart from the document. Default: IndexedDB in a browser, none in Node. */
  readonly store?: KeptEntryStore | null;
  /** Least wait before writing an entry back, in ms. Default 250. */
  readonly delayMs?: number;
  /** The wait grows by up to this much, derived from the key and this peer's Yjs client id. Default 750. */
  readonly spreadMs?: number;
  /** Entries written back per second at most. Default 500. */
  readonly perSecond?: number;
}

/** Transaction origin of a model's write-backs (a peer's own, so `local`). */
export const HEAL_ORIGIN: unique symbol = Symbol('gather-heal');

/** How far a model has got verifying what it was handed: `verified` of `total` entries checked. */
export interface VerificationProgress {
  readonly verified: number;
  readonly total: number;
}

/** What a kind of widget plugs into an {@link EntryModel}. */
export interface EntryModelOptions<T extends SignedEntry<object>, View> {
  /** The root map's name (`poll:<name>`); entries naming another scope are ignored. */
  readonly scope: string;
  /**
   * The name of the room the document belongs to: compact (v2) entries count only if signed for
   * this room. Leave it out for a document that belongs to no room.
   */
  readonly room?: string | undefined;
  /**
   * Kind-specific check of an entry stored under `key` whose header is well-formed and whose
   * scope matches: returns the typed entry, or null to ignore it. Runs before the (costlier)
   * signature check. Exceptions count as null.
   */
  readonly parse: (key: string, entry: SignedEntry) => T | null;
  /**
   * Derives the view from every valid entry that is due (see order.ts), by map key. Called once
   * per batch of changes, and first when the view is first read (so a subclass's fields exist).
   * `changed`, when given, holds at least every key whose entry differs from the last call's, and
   * `entries` is then the same map object as last time (changed in place): a kind that keeps its
   * results up to date can read those keys alone. Without it, anything may have changed.
   */
  readonly derive: (entries: ReadonlyMap<string, T>, changed?: ReadonlySet<string>) => View;
  /**
   * The body fields each type of entry usually has (a ballot: `['choices']`): a compact entry
   * with exactly these leaves their names out of the document. Must match what the writer used.
   */
  readonly fields?: BodyFields;
  /** Verdict cache, shared between models of a page; a private one by default. */
  readonly cache?: VerificationCache;
  /** Whether two views are the same (no change event then). Structural equality by default. */
  readonly equal?: (a: View, b: View) => boolean;
  /** This device's clock (tests pass their own). */
  readonly now?: () => number;
  /**
   * Self-healing: keep the newest valid entry seen under every key, go on counting it when the
   * document loses it (deleted, overwritten by something invalid or older, corrupted), and write
   * it back. Off by default here; {@link SignedEntryModel} (every widget) turns it on.
   */
  readonly heal?: boolean | HealOptions;
  /** Limits per author and per widget (entry-limits.ts); none by default here, on for widgets. */
  readonly limits?: EntryLimits | false;
  /** Authors the limits do not apply to (the page's organizers). */
  readonly unlimited?: (author: string) => boolean;
  /**
   * What the view depends on besides the entries, as text (null: nothing to keep now). With it and
   * a kept store, the model keeps its derived view on the device, bound to exactly what it was
   * derived from, and shows it at once to a returning visitor whose room did not change
   * (kept-view.ts). It must name everything `derive` reads apart from the entries.
   */
  readonly viewKey?: () => string | null;
}

/** A value read from the map (or from the device's memory) as an entry of this model. */
interface ReadValue<T> {
  /** The kind's entry, or null for a well-formed, signed entry the kind does not accept. */
  readonly entry: T | null;
  /** Its header (author, ts, sig), for ordering. */
  readonly header: SignedEntry;
  readonly prepared: PreparedEntry;
  /** The value as stored. */
  readonly raw: unknown;
}

/** A 32-bit FNV-1a hash of a string: the write-back delay's spread, the same on every run. */
const hash32 = (text: string): number => {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
};

/** Stored size of a value: its bytes, or a v1 entry's JSON. */
const storedSize = (raw: unknown): number => {
  if (raw instanceof Uint8Array) return raw.length;
  try {
    return JSON.stringify(raw)?.length ?? 0;
  } catch {
    return 0;
  }
};

/** Whether two stored values are compact entries of the same bytes. */
const sameBytes = (a: unknown, b: unknown): boolean => {
  if (!(a instanceof Uint8Array) || !(b instanceof Uint8Array) || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
};

/** Whether `a` and `b` are the same signed entry (the signature covers everything else). */
const sameEntry = (a: SignedEntry<object>, b: SignedEntry<object>): boolean => a.sig === b.sig && a.ts === b.ts && a.author === b.author;

/** Longest a timer may wait (setTimeout's limit); a later due time is checked again then. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** Entries read (decoded, parsed) per slice of a long sync, at most… */
const SLICE_ENTRIES = 500;
/** …and for about this long, before the page gets the main thread back… */
const SLICE_MS = 8;
/**
 * …or this long while the verifier's workers boot: a worker needs several turns of the page's main
 * thread to start, and its first message one more (measured in Chromium on 2 busy cores, two
 * workers started before 35 ms of the page's work had their first message ~95 ms later with 8 ms
 * slices after it, ~70 ms with 2 ms slices; ~25 ms on an idle page).
 */
const BOOT_SLICE_MS = 2;
/** Longest the first pass waits for the device's memory (kept-entries.ts) before checking without it. */
const RECALL_WAIT_MS = 1000;
/**
 * How long after a large pass ({@link REMEMBER_LATER_FROM} entries learned or more: a first sync) its
 * newly learned entries are handed to the device's memory (kept-entries.ts writes what it is handed
 * 50 ms later anyway): that is two loops over every entry, which V8 then optimizes on its helper
 * threads for several ms; begun as the sync's view went out, that work shared the page's two cores
 * with the first live ballot after it (measured in the poll bench, 10,000 voters: its first ballot
 * over 2.7 ms in 19 of 45 runs, 11 of 45 with it begun later). Handed at once if the model goes first.
 */
const REMEMBER_AFTER_MS = 50;
const REMEMBER_LATER_FROM = 256;
/** A view is kept once the model has been quiet this long (and when it is destroyed). */
const VIEW_SAVE_MS = 500;
/** Longest wait for an idle moment after that. */
const VIEW_SAVE_IDLE_TIMEOUT_MS = 5000;

const now = (): number => (typeof performance === 'undefined' ? Date.now() : performance.now());

/** Verdict stores known to have loaded (their `size` is then what the device holds). */
const loadedVerdicts = new WeakSet<VerdictStore>();
const watchVerdicts = (store: VerdictStore | null): void => {
  if (store !== null && !loadedVerdicts.has(store)) void store.ready.then(() => loadedVerdicts.add(store), () => undefined);
};

/**
 * Adds every one of `keys` to `set`. A loop in a function of its own, with nothing after it: a
 * loop that runs over a first sync's 10,000 keys is optimized while it runs (on-stack
 * replacement), and V8 enters that code again on every later pass through the loop, however
 * short; code after such a loop, never run when it was optimized, bailed out (deoptimized) on
 * every live entry after the sync (--trace-deopt: the map observer and the device-memory write,
 * once per ballot each).
 */
const addAll = (set: Set<string>, keys: ReadonlySet<string>): void => {
  for (const key of keys) set.add(key);
};

/**
 * {@link addAll} for an array, by index. Not one function for both: a `for…of` calls the keys'
 * own iterator, a Set's in the map observer and an array's in a pass, and code V8 optimized for
 * one bailed out on the other ('wrong call target') on the first live entry after a sync, then
 * was compiled again within it (bench/poll-profile.ts FIRST=only: addAll ~0.6 ms of the first
 * ballot's ~3 ms).
 */
const addEach = (set: Set<string>, keys: readonly string[]): void => {
  for (let i = 0; i < keys.length; i++) set.add(keys[i]!);
};

/** Deletes every one of `keys` from `set`. A loop of its own: see {@link addAll} and {@link addEach}. */
const deleteEach = (set: Set<string>, keys: readonly string[]): void => {
  for (let i = 0; i < keys.length; i++) set.delete(keys[i]!);
};

const reportAsync = (error: unknown): void => {
  queueMicrotask(() => {
    throw error;
  });
};

/**
 * A model over `doc.getMap(scope)` holding signed entries.
 *
 * Changes are collected per map key; a burst of transactions is verified and derived once (one
 * pass per microtask-batched burst, re-running while new changes keep arriving), so a stale
 * derivation never overwrites a newer one. The view is published with origin `local` only if
 * every transaction in the batch was local. Hostile map contents of any type are ignored.
 * Entries stamped too far in the future are kept but left out of the view until they are due.
 *
 * With `heal`, the model keeps the newest valid entry it has seen under every key (newest in the
 * shared order: the author's signed time, then signature) and derives from those, so a key a peer
 * deleted, overwrote with junk or with the author's older entry (a replay), still counts at once.
 * It then writes the entry back: after a wait derived from the key and this peer's Yjs client id
 * (so honest peers do not all write at once: the first one's write reaches the others, who then
 * have nothing to do), at most `perSecond` a second, never over a change still being checked. A
 * newer entry signed by the key's author always wins, even one this model does not accept (a
 * retraction, or a kind from a newer version): that is the author's word, not damage. Entries
 * are remembered on the device ({@link KeptEntryStore}) and put back into a document that held
 * the key and lost it, e.g. after a reload of a document damaged while this tab was closed.
 *
 * With `heal`, the document is also guarded (doc-guard.ts) against deletions sent in advance of
 * the items they name and items forged under this peer's own future clocks.
 *
 * With `limits`, the view leaves out what an author has beyond their caps (entry-limits.ts).
 */
export class EntryModel<T extends SignedEntry<object>, View> implements Model<View> {
  readonly doc: Y.Doc;
  readonly scope: string;
  /** The root map. Models write through {@link put}; nothing else should touch it. */
  readonly map: Y.Map<unknown>;
  /** The room's name, or undefined for a document of no room. */
  readonly room: string | undefined;
  /** Where this model's entries sit (scope and room tag), as the entry format needs it. */
  readonly site: EntrySite;

  private readonly options: EntryModelOptions<T, View>;
  private readonly cache: VerificationCache;
  private readonly equal: (a: View, b: View) => boolean;
  private readonly now: () => number;
  private readonly valid = new Map<string, T>();
  /** Keys whose entry in {@link valid} changed since the last derive (see {@link EntryModelOptions.derive}'s `changed`). */
  private readonly touched = new Set<string>();
  /** A large pass's learned entries, waiting {@link REMEMBER_AFTER_MS} to be handed to the device's memory. */
  private readonly rememberLater = new Set<() => void>();
  private due: ReadonlyMap<string, T> = this.valid;
  private dueTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly dirty = new Set<string>();
  private readonly listeners = new Set<(view: View, origin: ViewOrigin) => void>();
  private readonly progressListeners = new Set<(progress: VerificationProgress) => void>();
  private progressNow: VerificationProgress = Object.freeze({ verified: 0, total: 0 });
  private current: View | undefined;
  private remote = false;
  private pump: Promise<void> | null = null;
  private commands: Promise<unknown> = Promise.resolve();
  private destroyed = false;
  /** Healing on: the stored value of each entry in {@link valid}. */
  private readonly heal: Required<Omit<HealOptions, 'store'>> | null;
  private readonly raw = new Map<string, unknown>();
  private readonly sizes = new Map<string, number>();
  /** Keys whose document value is not the entry kept for them → when to write it back. */
  private readonly broken = new Map<string, number>();
  /** Keys being verified in the current pass (a write-back must not overwrite them). */
  private readonly checking = new Set<string>();
  /** Values loaded from the device's memory, to weigh against the document's. */
  private readonly remembered = new Map<string, unknown>();
  /** What the device held, byte for byte the document's, by key: not written again when learned (cleared as compared). */
  private readonly stored = new Map<string, unknown>();
  /** Keys the first pass read before the device's memory had loaded, not yet decided. */
  private readonly deferring = new Set<string>();
  private readonly keptStore: KeptEntryStore | null;
  private readonly keptSite: string;
  private loading: Promise<void> = Promise.resolve();
  private recallAwaited = false;
  private healTimer: ReturnType<typeof setTimeout> | undefined;
  private tokens = 0;
  private refilled = 0;
  private repairedCount = 0;
  private readonly repairListeners = new Set<(repaired: number) => void>();
  private readonly limits: EntryLimits | null;
  private readonly unlimited: (author: string) => boolean;
  private limitedNow: LimitReport = NOTHING_LIMITED;
  private readonly authorTotals = new Map<string, { count: number; bytes: number }>();
  private totalBytes = 0;
  private overAuthors = 0;
  /** At least the newest signed time among the kept entries (it may be older than a forgotten one's). */
  private newestTs = -Infinity;
  /** The kept view's record, loading (kept-view.ts), until the first pass has weighed it. */
  private viewLoad: Promise<unknown> | null = null;
  /** A kept view is shown: the room as it was digested, decoded in idle slices from `next` on. */
  private hydrating: { readonly content: MapContent; readonly invalid: ReadonlySet<string>; next: number } | null = null;
  /** The view key as of the last derive (null: that view is not to be kept). */
  private derivedKey: string | null = null;
  private viewTimer: ReturnType<typeof setTimeout> | undefined;
  /**
   * When the view last changed ({@link now}): it is kept once this is {@link VIEW_SAVE_MS} ago.
   * A double from the start (-Infinity: never), not 0: the first view's time, a fraction, written
   * at the end of a first sync, turned V8's small-integer field into a double, a new shape for the
   * model, and V8 threw away the code it had optimized for the model during the sync (read, settle,
   * keep, account, sizeOf, classify, drain; --trace-deopt: "dependent prototype chain changed"), so
   * the first live entry after the sync ran it unoptimized and paid its recompiling.
   */
  private viewChangedAt = -Infinity;
  /** The idle callback that keeps the view, once the timer has fired (browsers only). */
  private viewIdle: number | undefined;
  /** Transactions seen on the map: a digest taken across an `await` stands only if none came meanwhile. */
  private changes = 0;
  /** The kept view shown was matched in key order: kept again in the document's order once decoded. */
  private viewStale = false;

  private readonly observer = (event: Y.YMapEvent<unknown>, transaction: Y.Transaction): void => {
    this.changes++;
    if (!transaction.local) this.remote = true;
    addAll(this.dirty, event.keysChanged);
    this.kick();
  };

  constructor(doc: Y.Doc, options: EntryModelOptions<T, View>) {
    this.doc = doc;
    this.scope = options.scope;
    this.room = options.room;
    this.site = entrySite(options.scope, options.room === undefined ? undefined : roomTag(options.room));
    this.options = options;
    this.cache = options.cache ?? new VerificationCache();
    this.equal = options.equal ?? plainEqual;
    this.now = options.now ?? Date.now;
    this.map = doc.getMap<unknown>(options.scope);
    const heal = options.heal === true ? {} : options.heal === false || options.heal === undefined ? null : options.heal;
    this.heal = heal === null ? null : { delayMs: heal.delayMs ?? 250, spreadMs: heal.spreadMs ?? 750, perSecond: heal.perSecond ?? 500 };
    this.tokens = this.heal?.perSecond ?? 0;
    this.keptStore = heal === null ? null : heal.store === undefined ? defaultKeptStore() : heal.store;
    this.keptSite = keptSite(this.site.room, this.scope);
    this.limits = options.limits === undefined || options.limits === false ? null : options.limits;
    this.unlimited = options.unlimited ?? (() => false);
    if (this.heal !== null) guardDocument(doc);
    watchVerdicts(this.cache.verdictStore);
    this.map.observe(this.observer);
    // Read once: a Y.Map's size is a pass over its entries (an array of them made), 2,000 in a long thread.
    const size = this.map.size;
    if (size > 0) {
      // A stored room: the verifier's workers boot while the device's memory and the room are read
      // (unless this device may have kept it all: the first pass then starts them for what it did not).
      if (!this.mayKnow(size)) this.cache.warm(size);
      for (const key of this.map.keys()) this.dirty.add(key);
      this.remote = true;
      this.kick();
    }
    if (this.keptStore !== null) {
      // A kept view is weighed first: when it stands, the device's memory is read only afterwards, at idle.
      // (Not for a document whose keys are all deleted: no first pass would come to weigh it.)
      const deletedOnly = size === 0 && (this.map as unknown as { _map: Map<string, unknown> })._map.size > 0;
      if (options.viewKey !== undefined && this.keptStore.loadView !== undefined && !deletedOnly) this.viewLoad = this.keptStore.loadView(this.keptSite).catch(() => undefined);
      else this.loading = this.recall(this.keptStore);
    }
  }

  /**
   * Weighs what the device remembers against the document, for keys the document has held (a
   * document that lost an entry, not another document that happens to share the room's name).
   */
  private async recall(store: KeptEntryStore): Promise<void> {
    let values: ReadonlyMap<string, unknown>;
    try {
      values = await store.load(this.keptSite);
    } catch {
      return;
    }
    if (this.destroyed) return;
    const held = (this.map as unknown as { _map: Map<string, unknown> })._map;
    for (const [key, value] of values) {
      if (!held.has(key)) continue;
      // The very bytes the document holds (the usual case: nothing was lost) add nothing to weigh,
      // and checking them again would re-verify a whole room as the page opens.
      const current = this.map.get(key);
      if (sameBytes(value, current)) {
        // The document's own value: the first pass knows it by identity, not by comparing again.
        this.stored.set(key, current);
        continue;
      }
      this.remembered.set(key, value);
      // A key the first pass has read and not yet decided is weighed against this memory there.
      if (!this.deferring.has(key)) this.dirty.add(key);
    }
    if (this.remembered.size > 0) this.kick();
  }

  /** The current frozen view. */
  get view(): View {
    this.current ??= deepFreeze(this.options.derive(this.due));
    return this.current;
  }

  /** Every entry the view is derived from (verified, accepted by the kind, due, within the limits), by map key. */
  get entries(): ReadonlyMap<string, T> {
    this.hydrateNow(true);
    return this.due;
  }

  /** The newest valid entry known under `key`, due or not, within the limits or not. */
  latest(key: string): T | undefined {
    this.hydrateNow(true);
    return this.valid.get(key);
  }

  /** Entries this peer has written back after a peer removed or damaged them, since it started. */
  get repaired(): number {
    return this.repairedCount;
  }

  /** Calls `listener` with the new {@link repaired} count after each write-back; returns the unsubscribe function. */
  subscribeRepaired(listener: (repaired: number) => void): () => void {
    this.repairListeners.add(listener);
    return () => {
      this.repairListeners.delete(listener);
    };
  }

  /** Entries kept in the view that the document has lost, waiting to be written back. */
  get damaged(): number {
    return this.broken.size;
  }

  /** What the limits leave out of the view now. */
  get limited(): LimitReport {
    this.hydrateNow(true);
    return this.limitedNow;
  }

  /** Calls `listener` after each change of the view; returns the unsubscribe function. */
  subscribe(listener: (view: View, origin: ViewOrigin) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /**
   * How far verification has got: during a long first sync `verified` climbs to `total`; when
   * idle they are equal (the last burst's size).
   */
  get progress(): VerificationProgress {
    return this.progressNow;
  }

  /** Calls `listener` as verification progresses (after each slice of a burst); returns the unsubscribe function. */
  subscribeProgress(listener: (progress: VerificationProgress) => void): () => void {
    this.progressListeners.add(listener);
    return () => {
      this.progressListeners.delete(listener);
    };
  }

  /** Resolves when every change seen so far (and every queued command) is verified and derived. */
  async settled(): Promise<void> {
    await this.commands.catch(() => undefined);
    // The device's memory may start loading later (after a kept view was weighed): wait for that one too.
    for (;;) {
      const loading = this.loading;
      await loading;
      while (this.pump !== null) await this.pump;
      if (this.loading === loading) return;
    }
  }

  /**
   * Derives again from the entries already verified and publishes as `origin`: `config` when
   * the page changed the widget's configuration (no change event for the page's own change).
   */
  refresh(origin: ViewOrigin = 'config'): void {
    if (this.destroyed) return;
    this.hydrateNow(false);
    this.publish(this.deriveDue(), origin);
    this.scheduleViewSave();
  }

  /**
   * Reads the values under `keys` again, as a remote change: for a kind whose parse turns entries
   * away by what it has derived (membership.ts: entries from keys not yet known to be organizers).
   */
  reread(keys: Iterable<string>): void {
    if (this.destroyed) return;
    for (const key of keys) this.dirty.add(key);
    this.remote = true;
    this.kick();
  }

  /**
   * Runs commands one after another (signing is asynchronous; two quick votes must land in the
   * order they were cast). A failed command does not block the next.
   */
  enqueue<R>(command: () => Promise<R>): Promise<R> {
    const run = this.commands.catch(() => undefined).then(command);
    this.commands = run;
    return run;
  }

  /** Writes `value` under `key` in one transaction. */
  put(key: string, value: unknown): void {
    if (this.heal !== null) ensureOwnClientId(this.doc);
    this.doc.transact(() => {
      this.map.set(key, value);
    });
  }

  /** Whether {@link destroy} was called. */
  get isDestroyed(): boolean {
    return this.destroyed;
  }

  destroy(): void {
    if (this.destroyed) return;
    // Entries and a view waiting to be kept are kept now (a widget leaving the page, or the page closing).
    for (const run of [...this.rememberLater]) run();
    if (this.viewTimer !== undefined || this.viewIdle !== undefined) void this.saveView();
    this.destroyed = true;
    this.hydrating = null;
    clearTimeout(this.viewTimer);
    if (this.viewIdle !== undefined) cancelIdleCallback(this.viewIdle);
    clearTimeout(this.dueTimer);
    clearTimeout(this.healTimer);
    this.map.unobserve(this.observer);
    this.listeners.clear();
    this.progressListeners.clear();
    this.repairListeners.clear();
    this.dirty.clear();
    this.broken.clear();
  }

  /**
   * Shows the view this device kept for this room (kept-view.ts) if it stands: the record's digest
   * is that of the document as it is now, the model's key now and the record's own fields, and
   * every counted entry is due. Then the room is decoded afterwards, at idle ({@link hydrateIdle}).
   * Otherwise the device's memory is read and the first pass goes on as it would have. True if shown.
   */
  private async restoreView(): Promise<boolean> {
    const load = this.viewLoad!;
    this.viewLoad = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const record = await Promise.race([load, new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), RECALL_WAIT_MS)))]);
    clearTimeout(timer);
    if (this.destroyed) return true;
    let shown = false;
    try {
      shown = isKeptViewRecord(record) && (await this.showKept(record));
    } catch {
      shown = false;
    }
    if (this.destroyed) return true;
    if (!shown && this.keptStore !== null) this.loading = this.recall(this.keptStore);
    return shown;
  }

  private async showKept(record: KeptViewRecord): Promise<boolean> {
    const key = this.options.viewKey?.() ?? null;
    if (key === null || !isDue(record.newest, this.now())) return false;
    const changes = this.changes;
    // The document rebuilt from the same updates holds its keys in the same order: no sort then.
    const held = record.order !== undefined && record.first !== undefined && firstKey(this.map) === record.first;
    let content = mapContent(this.map, held ? 'held' : 'sorted');
    if (content === null) return false;
    let match = sameDigest(await keptViewDigest(this.keptSite, key, record, content), held ? record.order! : record.digest);
    if (!match && held && changes === this.changes) {
      content = mapContent(this.map, 'sorted');
      if (content === null) return false;
      match = sameDigest(await keptViewDigest(this.keptSite, key, record, content), record.digest);
    }
    // Anything that came in while the digest was taken is read the usual way.
    if (this.destroyed || changes !== this.changes || !match) return false;
    // Kept again in the order held now (once decoded and quiet), so that the next visit need not sort.
    if (!held) this.viewStale = true;
    const view = JSON.parse(record.view) as View;
    const total = this.dirty.size;
    this.dirty.clear();
    this.recallAwaited = true;
    this.hydrating = { content, invalid: new Set(record.invalid), next: 0 };
    this.setProgress(total, total);
    this.remote = false;
    this.publish(view, 'remote');
    void this.hydrateIdle();
    return true;
  }

  /** Decodes the shown room in slices of ~8 ms, each a task of its own, then derives again (the view stands, or is replaced). */
  private async hydrateIdle(): Promise<void> {
    while (this.hydrating !== null) {
      await yieldTask();
      if (this.destroyed || this.hydrating === null) return;
      const started = now();
      while (this.hydrating !== null && now() - started < SLICE_MS) this.hydrateStep(64);
      if (this.hydrating === null && !this.destroyed && this.pump === null) {
        this.publish(this.deriveDue(), 'remote');
        if (this.viewStale) this.scheduleViewSave();
        this.viewStale = false;
      }
    }
  }

  /** Finishes decoding the shown room at once: something needs its entries now (a change, a command, a refresh). */
  private hydrateNow(derive: boolean): void {
    if (this.hydrating === null) return;
    this.hydrateStep(Infinity);
    if (derive && !this.destroyed && this.pump === null) this.publish(this.deriveDue(), 'remote');
  }

  /**
   * Decodes up to `count` more entries of the shown room, as they were digested (this device's own
   * earlier verdicts: no check). An entry that does not read as it did drops the kept view.
   */
  private hydrateStep(count: number): void {
    const state = this.hydrating;
    if (state === null) return;
    const { keys, values } = state.content;
    const end = Math.min(keys.length, state.next + count);
    for (; state.next < end; state.next++) {
      const key = keys[state.next]!;
      if (state.invalid.has(key)) continue;
      const read = this.read(key, values[state.next]);
      if (read === null || read.entry === null) return this.dropKept();
      this.keep(key, read.entry, read.raw);
    }
    if (state.next < keys.length) return;
    this.hydrating = null;
    // The device's memory, weighed as a first pass would have (nothing to learn when the room is what it kept).
    if (this.keptStore !== null && !this.destroyed) this.loading = this.recall(this.keptStore);
  }

  /** The kept view did not hold: the room is read again from the start, as a first pass. */
  private dropKept(): void {
    this.hydrating = null;
    for (const key of [...this.valid.keys()]) this.forget(key);
    for (const key of this.map.keys()) this.dirty.add(key);
    this.recallAwaited = false;
    this.remote = true;
    if (this.keptStore !== null) this.loading = this.recall(this.keptStore);
    this.kick();
  }

  /**
   * Keeps the view once the model has been quiet a moment ({@link saveView}). A change while the
   * timer runs moves the time it waits for, not the timer: the timer, when it fires, waits again
   * for what is left (a live ballot is then no clearTimeout and setTimeout on its way to the screen).
   */
  private scheduleViewSave(): void {
    if (this.destroyed || this.options.viewKey === undefined || this.keptStore?.saveView === undefined) return;
    this.viewChangedAt = now();
    if (this.viewIdle !== undefined) cancelIdleCallback(this.viewIdle);
    this.viewIdle = undefined;
    if (this.viewTimer === undefined) this.waitViewSave(VIEW_SAVE_MS);
  }

  private waitViewSave(wait: number): void {
    this.viewTimer = setTimeout(() => {
      this.viewTimer = undefined;
      if (this.destroyed) return;
      const quiet = now() - this.viewChangedAt;
      if (quiet < VIEW_SAVE_MS) return this.waitViewSave(VIEW_SAVE_MS - quiet);
      // Digesting a big room takes a few milliseconds of the main thread: when the page is idle.
      if (typeof requestIdleCallback !== 'function') return void this.saveView();
      this.viewIdle = requestIdleCallback(
        () => {
          this.viewIdle = undefined;
          void this.saveView();
        },
        { timeout: VIEW_SAVE_IDLE_TIMEOUT_MS },
      );
    }, wait);
    (this.viewTimer as { unref?: () => void }).unref?.();
  }

  /**
   * Keeps the current view on the device with what it was derived from (kept-view.ts), if it is
   * the view of the document alone: nothing waiting to be read, written back or weighed, every
   * entry due and within the limits, and every counted entry the document's value under its key.
   */
  private async saveView(): Promise<void> {
    const store = this.keptStore;
    const key = this.derivedKey;
    const view = this.current;
    if (store?.saveView === undefined || key === null || view === undefined || this.destroyed || this.pump !== null) return;
    if (this.dirty.size > 0 || this.hydrating !== null || this.broken.size > 0 || this.remembered.size > 0 || this.due !== this.valid) return;
    const content = mapContent(this.map);
    const order = mapContent(this.map, 'held');
    if (content === null || order === null) return;
    const invalid: string[] = [];
    let counted = 0;
    let newest = -Infinity;
    for (let i = 0; i < content.keys.length; i++) {
      const entry = this.valid.get(content.keys[i]!);
      if (entry === undefined) {
        invalid.push(content.keys[i]!);
        continue;
      }
      const raw = this.raw.get(content.keys[i]!);
      if (raw !== content.values[i] && !sameBytes(raw, content.values[i])) return;
      if (entry.ts > newest) newest = entry.ts;
      counted++;
    }
    if (counted !== this.valid.size) return;
    const text = JSON.stringify(view);
    if (typeof text !== 'string' || !plainEqual(JSON.parse(text), view)) return;
    const fields = { view: text, invalid, newest };
    const changes = this.changes;
    const [digest, held] = await Promise.all([keptViewDigest(this.keptSite, key, fields, content), keptViewDigest(this.keptSite, key, fields, order)]);
    // Kept as of the snapshot above; a change since is a new view (kept in turn once quiet).
    if (changes !== this.changes) return;
    const record: KeptViewRecord = { v: 1, ...fields, digest, order: held, ...(order.keys.length > 0 ? { first: order.keys[0]! } : {}) };
    store.saveView(this.keptSite, record);
  }

  private kick(): void {
    if (this.pump !== null || this.destroyed) return;
    this.pump = this.drain().finally(() => {
      this.pump = null;
      if (this.dirty.size > 0) this.kick();
    });
  }

  private async drain(): Promise<void> {
    // Let the rest of a synchronous burst of transactions arrive first.
    await Promise.resolve();
    // A returning visitor whose room did not change: its kept view, at once (the room is decoded afterwards).
    if (this.viewLoad !== null && (await this.restoreView())) return;
    this.hydrateNow(false);
    // The first pass knows what the device kept (a returning visitor's room), within reason: it
    // reads the room while that loads, and decides what to check once it has.
    let memoryReady = this.recallAwaited;
    const firstPass = !this.recallAwaited;
    let recall: Promise<void> = Promise.resolve();
    if (!this.recallAwaited) {
      this.recallAwaited = true;
      if (!this.mayKnow(this.dirty.size)) this.cache.warm(this.dirty.size);
      // A device known to hold fewer verdicts than the room has entries (a new visitor) hands each
      // slice to the verifier as it is read, so that the workers start on it at once, rather than
      // once the whole room is read and the device's memory has answered: what little it may have
      // kept is checked again (the verdict store answers those without a signature check).
      if (this.knownNew(this.dirty.size)) memoryReady = true;
      let timer: ReturnType<typeof setTimeout> | undefined;
      recall = Promise.race([this.loading, new Promise<void>((resolve) => (timer = setTimeout(resolve, RECALL_WAIT_MS)))]).then(() => {
        clearTimeout(timer);
        memoryReady = true;
        // The workers boot for what is left to check, not for entries this device kept.
        if (!this.destroyed) this.cache.warm(this.map.size - this.stored.size);
      });
    } else {
      // A large burst (a first sync): the verifier's workers boot while it is read.
      this.cache.warm(this.dirty.size);
    }
    let verified = 0;
    let total = 0;
    while (this.dirty.size > 0) {
      if (this.destroyed) return;
      const keys = [...this.dirty];
      this.dirty.clear();
      addEach(this.checking, keys);
      total += keys.length;
      this.setProgress(verified, total);
      const results = new Map<string, ReadValue<T> | null>();
      const recalled = new Map<string, ReadValue<T> | null>();
      const checking: Promise<void>[] = [];
      let slice: [string, ReadValue<T>, Map<string, ReadValue<T> | null>][] = [];
      let prepared: PreparedEntry[] = [];
      let decided = 0;
      /** What to do with the value read under `key`, once the device's memory is known. */
      const classify = (key: string, value: unknown, read: ReadValue<T> | null): void => {
        const held = this.stored.get(key);
        if (read === null) {
          results.set(key, null);
          decided++;
        } else if (held !== undefined && (held === value || sameBytes(held, value))) {
          // Byte for byte what this device kept under this key of this site: only entries that
          // verified here are kept, and the signed bytes are those bytes read at this site and
          // key, so this device's verdict holds (no hash needed; different bytes are checked).
          results.set(key, read);
          // Weighed as the device's memory too: the same entry, so nothing to learn or write again.
          recalled.set(key, read);
          this.stored.delete(key);
          decided++;
        } else {
          slice.push([key, read, results]);
          prepared.push(read.prepared);
        }
        const memory = this.remembered.get(key);
        if (memory !== undefined) {
          this.remembered.delete(key);
          const old = this.read(key, memory);
          if (old !== null && old.entry !== null) {
            slice.push([key, old, recalled]);
            prepared.push(old.prepared);
          }
        }
      };
      /** Hands what a slice left to check to the verifier (workers check it while the next slice is read). */
      const flush = (): void => {
        verified += decided;
        decided = 0;
        if (slice.length === 0) return this.setProgress(verified, total);
        const batch = slice;
        checking.push(
          this.cache.verifyBatch(prepared).then((verdicts) => {
            batch.forEach(([key, read, into], j) => into.set(key, verdicts[j] ? read : null));
            verified += batch.length;
            if (!this.destroyed) this.setProgress(verified, total);
          }),
        );
        slice = [];
        prepared = [];
      };
      /**
       * Hands on what the slices read so far left to check, unless that is under {@link POOL_MIN_JOBS}
       * (a batch under it is checked on the page) and more is to come: the short slices of a pass
       * while the workers boot go together. A slice with nothing to check (a returning visitor's)
       * still says how far it got.
       */
      const handOn = (last: boolean): void => {
        if (prepared.length >= POOL_MIN_JOBS || prepared.length === 0 || last) flush();
      };
      /** Read before the device's memory was known: decided once it is. */
      const deferred: [string, unknown, ReadValue<T> | null][] = [];
      // Read in slices of ~8 ms, handing each slice to the verifier at once and giving the page
      // its turn between slices: a task of its own, after what the page has queued. Not
      // `scheduler.yield()`, whose continuation runs ahead of the page's other tasks: of IndexedDB's
      // answer, of the workers' answers (each hands its worker the next chunk) and of what a worker
      // being started needs from the page (measured: workers started as a first sync was read
      // booted only once the whole room was read, ~150 ms later; with a task between slices, ~30 ms).
      // Workers just started for a first pass (in this task: the constructor or the warm-up above)
      // get the page's turn before its first slice too.
      for (let i = 0; i < keys.length; ) {
        const budget = this.sliceMs();
        if (i > 0 || (firstPass && budget === BOOT_SLICE_MS)) {
          await yieldTask();
          if (this.destroyed) return;
        }
        // The device's verdicts loaded meanwhile, and it is new: what was read goes to the verifier
        // now, not once its memory of entries has loaded too (tens of ms in a fresh browser).
        if (!memoryReady && firstPass && this.knownNew(keys.length)) {
          memoryReady = true;
          for (const [key, value, read] of deferred) {
            this.deferring.delete(key);
            classify(key, value, read);
          }
          deferred.length = 0;
        }
        const started = now();
        for (let n = 0; i < keys.length && n < SLICE_ENTRIES && (n % 16 !== 15 || now() - started < budget); i++, n++) {
          const key = keys[i]!;
          const value = this.map.get(key);
          const read = this.read(key, value);
          if (memoryReady) classify(key, value, read);
          else {
            deferred.push([key, value, read]);
            this.deferring.add(key);
          }
        }
        handOn(i >= keys.length);
      }
      if (deferred.length > 0) {
        await recall;
        if (this.destroyed) return;
        for (let i = 0; i < deferred.length; ) {
          if (i > 0) {
            await yieldTask();
            if (this.destroyed) return;
          }
          const budget = this.sliceMs();
          const started = now();
          for (let n = 0; i < deferred.length && n < SLICE_ENTRIES && (n % 16 !== 15 || now() - started < budget); i++, n++) {
            const [key, value, read] = deferred[i]!;
            this.deferring.delete(key);
            classify(key, value, read);
          }
          handOn(i >= deferred.length);
        }
      }
      await Promise.all(checking);
      deleteEach(this.checking, keys);
      if (this.destroyed) return;
      const learned = new Map<string, unknown>();
      this.settleAll(keys, results, recalled, learned);
      if (learned.size > 0) this.remember(learned);
    }
    this.setProgress(total, total);
    this.scheduleHeal();
    const origin: ViewOrigin = this.remote ? 'remote' : 'local';
    this.remote = false;
    this.publish(this.deriveDue(), origin);
    this.scheduleViewSave();
  }

  /** How long a slice of a long pass reads before the page gets its turn: shorter while the verifier's workers boot. */
  private sliceMs(): number {
    return this.cache.workersBooting ? BOOT_SLICE_MS : SLICE_MS;
  }

  /**
   * Decides what counts under each of `keys` from what the pass read and checked (`results`) and what
   * the device remembered (`recalled`); new entries go to `learned`. A loop in a function of its own,
   * as {@link addAll}: in {@link drain}, optimized while it ran over a first sync's 10,000 keys, the
   * code after it (never run then) bailed out on the first live entry after the sync (--trace-deopt:
   * drain, 'insufficient type feedback' and 'exit from OSR'd inner loop', once).
   */
  private settleAll(keys: readonly string[], results: ReadonlyMap<string, ReadValue<T> | null>, recalled: ReadonlyMap<string, ReadValue<T> | null>, learned: Map<string, unknown>): void {
    for (const key of keys) {
      // Changed again while we verified: the next pass reads the newer value.
      if (this.dirty.has(key)) {
        const memory = recalled.get(key);
        if (memory != null) this.remembered.set(key, memory.raw);
        continue;
      }
      const read = results.get(key) ?? null;
      if (this.heal === null) {
        if (read?.entry == null) this.forget(key);
        else this.keep(key, read.entry, undefined);
        continue;
      }
      this.settle(key, read, recalled.get(key) ?? null, learned);
    }
  }

  /**
   * Whether this device is known to hold fewer verdicts than `count` (its verdict store has loaded):
   * it cannot have kept them all, and its first pass need not wait for its memory of them.
   */
  private knownNew(count: number): boolean {
    const verdicts = this.cache.verdictStore;
    return this.keptStore !== null && verdicts !== null && loadedVerdicts.has(verdicts) && verdicts.size < count;
  }

  /**
   * Whether this device may already know `count` entries (it keeps entries, and holds as many
   * verdicts): then the verifier's workers wait until its memory says how many are left to check.
   * A device that verified fewer cannot have kept them all: its workers boot at once.
   */
  private mayKnow(count: number): boolean {
    const verdicts = this.cache.verdictStore;
    return this.keptStore !== null && verdicts !== null && verdicts.size >= count;
  }

  /**
   * Healing: decides what counts under `key` from the document's value (`read`, null when it is
   * missing or invalid), what the device remembered (`recalled`) and what was kept before; marks
   * the key for a write-back when the document does not hold it. New entries go to `learned`.
   */
  private settle(key: string, read: ReadValue<T> | null, recalled: ReadValue<T> | null, learned: Map<string, unknown>): void {
    const kept = this.valid.get(key);
    let best: { entry: T; raw: unknown } | undefined = kept === undefined ? undefined : { entry: kept, raw: this.raw.get(key) };
    if (recalled?.entry != null && (best === undefined || compareEntries(recalled.header, best.entry) > 0)) best = { entry: recalled.entry, raw: recalled.raw };
    if (read !== null && (best === undefined || compareEntries(read.header, best.entry) >= 0)) {
      if (read.entry === null) {
        // The author's newer word, which this kind does not count: nothing here to keep.
        this.forget(key);
        return;
      }
      if (best === undefined || !sameEntry(read.header, best.entry)) learned.set(key, read.raw);
      this.keep(key, read.entry, read.raw);
      this.broken.delete(key);
      return;
    }
    if (best === undefined) {
      this.forget(key);
      return;
    }
    if (best.entry !== kept) learned.set(key, best.raw);
    this.keep(key, best.entry, best.raw);
    // The document lost it (or never had it, remembered): write it back, once, after a wait.
    if (!this.broken.has(key)) this.broken.set(key, Date.now() + this.healDelay(key));
  }

  /**
   * Saves newly learned entries on the device once what it held is read: a room synced before
   * that would otherwise write every entry it already holds again (thousands of IndexedDB puts).
   */
  private remember(learned: Map<string, unknown>): void {
    const store = this.keptStore;
    if (store === null) return;
    void this.loading.then(() => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const run = (): void => {
        this.rememberLater.delete(run);
        clearTimeout(timer);
        // What this device held (none for a new visitor) is not written again.
        if (this.stored.size > 0) this.dropHeld(learned);
        if (learned.size > 0) store.save(this.keptSite, learned);
      };
      if (learned.size < REMEMBER_LATER_FROM) return run();
      this.rememberLater.add(run);
      timer = setTimeout(run, REMEMBER_AFTER_MS);
      (timer as { unref?: () => void }).unref?.();
    });
  }

  /** Takes out of `learned` the values the device already holds. A loop of its own: see {@link addAll}. */
  private dropHeld(learned: Map<string, unknown>): void {
    for (const [key, value] of learned) {
      const held = this.stored.get(key);
      if (held === undefined) continue;
      this.stored.delete(key);
      if (held === value || sameBytes(held, value)) learned.delete(key);
    }
  }

  /** Makes `entry` (stored as `raw`; undefined without healing: the document's value) the one under `key`. */
  private keep(key: string, entry: T, raw: unknown): void {
    const old = this.valid.get(key);
    if (old === entry && this.raw.get(key) === raw) return;
    if (old !== undefined) this.account(key, old, -1);
    if (old !== entry) this.touched.add(key);
    this.valid.set(key, entry);
    if (entry.ts > this.newestTs) this.newestTs = entry.ts;
    if (raw === undefined) this.raw.delete(key);
    else this.raw.set(key, raw);
    this.sizes.delete(key);
    this.account(key, entry, 1);
  }

  private forget(key: string): void {
    const old = this.valid.get(key);
    if (old !== undefined) {
      this.account(key, old, -1);
      this.touched.add(key);
    }
    this.valid.delete(key);
    this.raw.delete(key);
    this.sizes.delete(key);
    this.broken.delete(key);
  }

  /**
   * Keeps each author's entry count and bytes, and the widget's, up to date, so that a derive
   * only applies the limits (a pass over every entry) when someone is over them.
   */
  private account(key: string, entry: T, sign: 1 | -1): void {
    if (this.limits === null) return;
    const size = this.sizeOf(key);
    let totals = this.authorTotals.get(entry.author);
    if (totals === undefined) this.authorTotals.set(entry.author, (totals = { count: 0, bytes: 0 }));
    const over = (t: { count: number; bytes: number }) => t.count > this.limits!.entriesPerAuthor || t.bytes > this.limits!.bytesPerAuthor;
    const was = over(totals);
    totals.count += sign;
    totals.bytes += sign * size;
    this.totalBytes += sign * size;
    if (was !== over(totals)) this.overAuthors += was ? -1 : 1;
    if (totals.count <= 0) this.authorTotals.delete(entry.author);
  }

  /** The wait before writing `key` back: the same for the same key and client, different between clients. */
  private healDelay(key: string): number {
    const { delayMs, spreadMs } = this.heal!;
    return delayMs + (spreadMs > 0 ? hash32(`${key}\n${this.doc.clientID}`) % spreadMs : 0);
  }

  /** Sets the write-back timer for the first key due (or for when the rate allows more). */
  private scheduleHeal(): void {
    if (this.heal === null || this.destroyed || this.healTimer !== undefined || this.broken.size === 0) return;
    let first = Infinity;
    for (const due of this.broken.values()) first = Math.min(first, due);
    const wait = Math.max(0, first - Date.now(), this.tokens >= 1 ? 0 : 1000 / this.heal.perSecond);
    this.healTimer = setTimeout(() => {
      this.healTimer = undefined;
      this.writeBack();
    }, wait);
    // In Node, a pending write-back must not keep the process alive.
    (this.healTimer as { unref?: () => void }).unref?.();
  }

  /** Writes back the kept entries that are due, within the rate, in one transaction. */
  private writeBack(): void {
    if (this.heal === null || this.destroyed) return;
    const time = Date.now();
    const { perSecond } = this.heal;
    this.tokens = Math.min(perSecond, this.tokens + ((time - this.refilled) / 1000) * perSecond);
    this.refilled = time;
    const due = [...this.broken].filter(([key, at]) => at <= time && !this.dirty.has(key) && !this.checking.has(key));
    due.sort(([a, x], [b, y]) => x - y || (a < b ? -1 : a > b ? 1 : 0));
    const batch = due.slice(0, Math.floor(this.tokens)).map(([key]) => key);
    if (batch.length > 0) {
      this.tokens -= batch.length;
      ensureOwnClientId(this.doc);
      this.doc.transact(() => {
        for (const key of batch) {
          this.broken.delete(key);
          if (this.raw.has(key)) this.map.set(key, this.raw.get(key));
        }
      }, HEAL_ORIGIN);
      this.repairedCount += batch.length;
      for (const listener of [...this.repairListeners]) {
        try {
          listener(this.repairedCount);
        } catch (error) {
          reportAsync(error);
        }
      }
    }
    this.scheduleHeal();
  }

  private setProgress(verified: number, total: number): void {
    if (this.progressNow.verified === verified && this.progressNow.total === total) return;
    this.progressNow = Object.freeze({ verified, total });
    for (const listener of [...this.progressListeners]) {
      try {
        listener(this.progressNow);
      } catch (error) {
        reportAsync(error);
      }
    }
  }

  /** Derives from the entries that are due, and sets a timer for the first one still waiting. */
  private deriveDue(): View {
    const now = this.now();
    let next = Infinity;
    // While even the newest signed time is due, every entry is: no pass over 10,000 of them per change.
    if (!isDue(this.newestTs, now)) {
      let newest = -Infinity;
      for (const entry of this.valid.values()) {
        if (entry.ts > newest) newest = entry.ts;
        if (!isDue(entry.ts, now)) next = Math.min(next, dueAt(entry.ts));
      }
      this.newestTs = newest;
    }
    if (next === Infinity) {
      this.due = this.valid;
    } else {
      this.due = new Map([...this.valid].filter(([, entry]) => isDue(entry.ts, now)));
    }
    if (this.limits !== null && (this.overAuthors > 0 || this.totalBytes > this.limits.bytes)) {
      const limited = applyEntryLimits(this.due, (key) => this.sizeOf(key), this.limits, this.unlimited);
      this.due = limited.entries;
      this.limitedNow = limited.report;
    } else {
      this.limitedNow = NOTHING_LIMITED;
    }
    if (this.dueTimer !== undefined) {
      clearTimeout(this.dueTimer);
      this.dueTimer = undefined;
    }
    if (next !== Infinity) {
      // A waiting entry becomes due then: derive again, as a change from elsewhere.
      this.dueTimer = setTimeout(() => this.refresh('remote'), Math.min(MAX_TIMER_MS, Math.max(0, next - now)));
      // In Node, a waiting entry must not keep the process alive.
      (this.dueTimer as { unref?: () => void }).unref?.();
    }
    // What changed since the last derive, when the view is derived from the kept entries themselves
    // (one more ballot in a 10,000-voter poll is then one key to read, not 10,000 to compare).
    const view = this.due === this.valid ? this.options.derive(this.due, this.touched) : this.options.derive(this.due);
    this.touched.clear();
    // Kept only while every entry is due (a later one would change it as time passes).
    this.derivedKey = next === Infinity && this.options.viewKey !== undefined ? this.options.viewKey() : null;
    return view;
  }

  /** Stored size of the entry under `key` (its value and its key), for the limits. */
  private sizeOf(key: string): number {
    let size = this.sizes.get(key);
    if (size === undefined) {
      size = key.length + storedSize(this.raw.get(key) ?? this.map.get(key));
      this.sizes.set(key, size);
    }
    return size;
  }

  /**
   * Reads `value` (what sits under `key`) as one of this model's entries: a compact (v2) entry,
   * whose author and kind come from the key, or an entry object (v1, or v2's object form) of this
   * scope and room; then the kind's parse. Null for anything else. With healing, an entry the kind
   * does not accept is still read (entry null) where an older one is kept under the key: if it is
   * signed and newer, it supersedes. Never throws.
   */
  private read(key: string, value: unknown): ReadValue<T> | null {
    try {
      let header: SignedEntry;
      let source: { readonly prepared: PreparedEntry };
      if (value instanceof Uint8Array) {
        const author = keyAuthor(key);
        const kind = keyKind(key);
        if (author === null || kind === null) return null;
        const read = readStoredEntry(value, this.site, author, kind, this.options.fields);
        if (read === null) return null;
        header = read.entry;
        // The signed bytes only when checked (an entry this device kept is not: see drain).
        source = read;
      } else {
        if (value === undefined || !isEntryHeader(value) || value.scope !== this.scope) return null;
        if (value.v === ENTRY_VERSION && value.room !== this.site.room) return null;
        header = value as SignedEntry;
        const entry = this.options.parse(key, header);
        if (entry === null) return this.heal !== null && this.valid.has(key) ? this.supersedes(key, header, value) : null;
        const ready = prepareEntry(value);
        return ready === null ? null : { entry, header, prepared: ready, raw: value };
      }
      const entry = this.options.parse(key, header);
      if (entry === null && (this.heal === null || !this.valid.has(key))) return null;
      return {
        entry,
        header,
        get prepared() {
          return source.prepared;
        },
        raw: value,
      };
    } catch {
      return null;
    }
  }

  /** An entry object the kind does not accept, read to see whether it is its author's newer word. */
  private supersedes(key: string, header: SignedEntry, value: unknown): ReadValue<T> | null {
    const author = keyAuthor(key);
    if (author !== header.author) return null;
    const prepared = prepareEntry(value);
    return prepared === null ? null : { entry: null, header, prepared, raw: value };
  }

  private publish(view: View, origin: ViewOrigin): void {
    if (this.current !== undefined && this.equal(view, this.current)) return;
    this.current = deepFreeze(view);
    for (const listener of [...this.listeners]) {
      try {
        listener(this.current, origin);
      } catch (error) {
        reportAsync(error);
      }
    }
  }
}
