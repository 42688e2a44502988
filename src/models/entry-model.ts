/**
 * The mechanism every widget model reuses: a root `Y.Map` of signed entries, verified through a
 * shared cache, derived into a frozen view in batches, published to subscribers.
 */
import type * as Y from 'yjs';
import { type BodyFields, entrySite, type EntrySite, ENTRY_VERSION, isEntryHeader, prepareEntry, type PreparedEntry, readStoredEntry, roomTag } from '../identity/entries.js';
import type { SignedEntry } from '../identity/types.js';
import { VerificationCache } from '../identity/verification.js';
import { deepFreeze, plainEqual } from '../plain.js';
import { keyAuthor, keyKind } from './entry-key.js';
import type { Model, ViewOrigin } from './model.types.js';
import { dueAt, isDue } from './order.js';

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
   */
  readonly derive: (entries: ReadonlyMap<string, T>) => View;
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
}

/** Longest a timer may wait (setTimeout's limit); a later due time is checked again then. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** Entries read (decoded, parsed) per slice of a long sync, at most… */
const SLICE_ENTRIES = 500;
/** …and for about this long, before the page gets the main thread back. */
const SLICE_MS = 8;

const now = (): number => (typeof performance === 'undefined' ? Date.now() : performance.now());

/** Gives the page its turn (input, rendering) in the middle of a long sync. */
const yieldToPage = (): Promise<void> => {
  const scheduler = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler;
  if (typeof scheduler?.yield === 'function') return scheduler.yield();
  return new Promise((resolve) => setTimeout(resolve, 0));
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

  private readonly observer = (event: Y.YMapEvent<unknown>, transaction: Y.Transaction): void => {
    for (const key of event.keysChanged) this.dirty.add(key);
    if (!transaction.local) this.remote = true;
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
    this.map.observe(this.observer);
    if (this.map.size > 0) {
      for (const key of this.map.keys()) this.dirty.add(key);
      this.remote = true;
      this.kick();
    }
  }

  /** The current frozen view. */
  get view(): View {
    this.current ??= deepFreeze(this.options.derive(this.due));
    return this.current;
  }

  /** Every entry the view is derived from (verified, accepted by the kind, due), by map key. */
  get entries(): ReadonlyMap<string, T> {
    return this.due;
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
    while (this.pump !== null) await this.pump;
  }

  /**
   * Derives again from the entries already verified and publishes as `origin`: `config` when
   * the page changed the widget's configuration (no change event for the page's own change).
   */
  refresh(origin: ViewOrigin = 'config'): void {
    if (this.destroyed) return;
    this.publish(this.deriveDue(), origin);
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
    this.destroyed = true;
    clearTimeout(this.dueTimer);
    this.map.unobserve(this.observer);
    this.listeners.clear();
    this.progressListeners.clear();
    this.dirty.clear();
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
    let verified = 0;
    let total = 0;
    while (this.dirty.size > 0) {
      if (this.destroyed) return;
      const keys = [...this.dirty];
      this.dirty.clear();
      total += keys.length;
      this.setProgress(verified, total);
      const results = new Map<string, T | null>();
      const checking: Promise<void>[] = [];
      // Read in slices of ~8 ms, handing each slice to the verifier at once (workers check it
      // while the next is read) and giving the page its turn between slices.
      for (let i = 0; i < keys.length; ) {
        if (i > 0) {
          await yieldToPage();
          if (this.destroyed) return;
        }
        const started = now();
        const slice: [string, T][] = [];
        const prepared: PreparedEntry[] = [];
        let rejected = 0;
        for (let n = 0; i < keys.length && n < SLICE_ENTRIES && (n % 64 !== 63 || now() - started < SLICE_MS); i++, n++) {
          const key = keys[i]!;
          const read = this.read(key);
          if (read === null) {
            results.set(key, null);
            rejected++;
          } else {
            slice.push([key, read.entry]);
            prepared.push(read.prepared);
          }
        }
        verified += rejected;
        if (slice.length === 0) {
          this.setProgress(verified, total);
          continue;
        }
        checking.push(
          this.cache.verifyBatch(prepared).then((verdicts) => {
            slice.forEach(([key, entry], j) => results.set(key, verdicts[j] ? entry : null));
            verified += slice.length;
            if (!this.destroyed) this.setProgress(verified, total);
          }),
        );
      }
      await Promise.all(checking);
      if (this.destroyed) return;
      for (const key of keys) {
        // Changed again while we verified: the next pass reads the newer value.
        if (this.dirty.has(key)) continue;
        const entry = results.get(key);
        if (entry == null) this.valid.delete(key);
        else this.valid.set(key, entry);
      }
    }
    this.setProgress(total, total);
    const origin: ViewOrigin = this.remote ? 'remote' : 'local';
    this.remote = false;
    this.publish(this.deriveDue(), origin);
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
    for (const entry of this.valid.values()) if (!isDue(entry.ts, now)) next = Math.min(next, dueAt(entry.ts));
    if (next === Infinity) {
      this.due = this.valid;
    } else {
      this.due = new Map([...this.valid].filter(([, entry]) => isDue(entry.ts, now)));
    }
    clearTimeout(this.dueTimer);
    this.dueTimer = undefined;
    if (next !== Infinity) {
      // A waiting entry becomes due then: derive again, as a change from elsewhere.
      this.dueTimer = setTimeout(() => this.refresh('remote'), Math.min(MAX_TIMER_MS, Math.max(0, next - now)));
      // In Node, a waiting entry must not keep the process alive.
      (this.dueTimer as { unref?: () => void }).unref?.();
    }
    return this.options.derive(this.due);
  }

  /**
   * Reads the value under `key` as one of this model's entries: a compact (v2) entry, whose author
   * and kind come from the key, or an entry object (v1, or v2's object form) of this scope and
   * room; then the kind's parse. Null for anything else. Never throws.
   */
  private read(key: string): { entry: T; prepared: PreparedEntry } | null {
    try {
      const value: unknown = this.map.get(key);
      if (value instanceof Uint8Array) {
        const author = keyAuthor(key);
        const kind = keyKind(key);
        if (author === null || kind === null) return null;
        const read = readStoredEntry(value, this.site, author, kind, this.options.fields);
        if (read === null) return null;
        const entry = this.options.parse(key, read.entry);
        return entry === null ? null : { entry, prepared: read.prepared };
      }
      if (value === undefined || !isEntryHeader(value) || value.scope !== this.scope) return null;
      if (value.v === ENTRY_VERSION && value.room !== this.site.room) return null;
      const entry = this.options.parse(key, value as SignedEntry);
      if (entry === null) return null;
      const prepared = prepareEntry(value);
      return prepared === null ? null : { entry, prepared };
    } catch {
      return null;
    }
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
