/**
 * The keeper as a gatekeeper of signed entries: what it refuses, what it keeps, what it puts back.
 *
 * Every widget keeps people's words as signed entries under their authors' own keys
 * (docs/entries.md). The keeper reads each update a client sends before it is applied and
 * refuses it when it would lose an entry the keeper holds as valid:
 *
 * | reason       | the update…                                                                  |
 * |--------------|------------------------------------------------------------------------------|
 * | `delete`     | deletes the current value of an entry key holding a valid entry, without putting a valid, at-least-as-new entry of its author there |
 * | `overwrite`  | puts something that is not a valid entry of the key's author over a valid entry |
 * | `replay`     | puts the author's own older entry over their newer one                       |
 * | `not-owner`  | writes, under a Yjs client id bound to one author, junk under another author's key |
 *
 * A Yjs client id is bound to the author of the first new signed entry it writes (new: newer than
 * what the keeper holds, so a peer putting back someone else's entry binds to nothing). The
 * keeper keeps the newest valid entry of every key apart from the document (the store's `k:`
 * records) and puts it back whenever the document loses it anyway (an update from another keeper
 * through Redis, a refused update let in because others built on it, a document stored by an
 * older version). What it cannot read (a kind whose compact fields it does not know) it neither
 * protects nor refuses.
 *
 * A refused update is held back (bounded, per room): when a later update from an honest client
 * builds on it (Yjs then waits for it), it is let in, and whatever it broke is put back at once.
 *
 * @module
 */
import * as Y from 'yjs';
import { entrySite, ENTRY_VERSION, isEntryHeader, prepareEntry, readStoredEntry, roomTag, type EntrySite, type PreparedEntry } from '../identity/entries.js';
import type { SignedEntry } from '../identity/types.js';
import { VerificationCache } from '../identity/verification.js';
import { guardDocument } from '../models/doc-guard.js';
import { keyAuthor, keyKind } from '../models/entry-key.js';
import { compareEntries } from '../models/order.js';

/**
 * The compact body fields of each widget's entry types (`<widget>/<type>`): the same lists as the
 * models' `bodyFields` (poll.ts, signup.ts, aid-board-entries.ts). test/server/entry-guard.test.ts
 * signs entries with each model and checks that the keeper reads them.
 */
export const BODY_FIELDS: Readonly<Record<string, readonly string[]>> = Object.freeze({
  'poll/ballot': ['ballot'],
  'poll/closeset': ['ids', 'of'],
  'signup/signup': ['name', 'note', 'slot'],
  'aid/post': ['area', 'category', 'contact', 'description', 'keys', 'kind', 'neededBy', 'title', 'urgency'],
  'aid/response': ['key', 'sealed'],
  'aid/status': ['contact', 'responder', 'status'],
  'aid/hide': ['hidden', 'reason'],
});

/** What `Y.decodeUpdate` reads of an update (its structs and delete set). */
export interface DecodedUpdate {
  readonly structs: (Y.Item | Y.GC | Y.Skip)[];
  readonly ds: { clients: Map<number, { clock: number; len: number }[]> };
}

/** Why an update was refused (see the module's table). */
export type RefusalReason = 'delete' | 'overwrite' | 'replay' | 'not-owner';

export interface Refusal {
  readonly reason: RefusalReason;
  /** Entry keys it would have damaged. */
  readonly keys: number;
}

/** An entry the keeper holds as the newest valid one of its key. */
interface Kept {
  readonly raw: unknown;
  readonly header: SignedEntry;
}

/** Transaction origin of the keeper's own write-backs. */
export const KEEPER_HEAL = Symbol('gather-keeper-heal');
/** Transaction origin of a held-back update let in. */
export const KEEPER_RELEASE = Symbol('gather-keeper-release');

/** Held-back updates per room at most, and their bytes. */
const MAX_HELD = 32;
const MAX_HELD_BYTES = 1024 * 1024;
/** Write-backs per second per room at most. */
const HEALS_PER_SECOND = 1000;

const id = (scope: string, key: string): string => `${scope}\n${key}`;

/** A root map that may hold entries: `<widget>:<name>`. */
const isEntryScope = (name: string): boolean => /^[a-z][a-z0-9-]*:./.test(name);

/** Stored form of a kept value: a tag byte (0 bytes, 1 JSON), then the value. */
export const encodeKept = (raw: unknown): Uint8Array => {
  if (raw instanceof Uint8Array) {
    const out = new Uint8Array(raw.length + 1);
    out.set(raw, 1);
    return out;
  }
  const json = new TextEncoder().encode(JSON.stringify(raw));
  const out = new Uint8Array(json.length + 1);
  out[0] = 1;
  out.set(json, 1);
  return out;
};

export const decodeKept = (bytes: Uint8Array): unknown => {
  if (bytes.length === 0) return undefined;
  // A plain Uint8Array (LevelDB hands out Buffers, which Yjs does not take as binary content).
  if (bytes[0] === 0) return new Uint8Array(bytes.subarray(1));
  try {
    return JSON.parse(new TextDecoder().decode(bytes.subarray(1))) as unknown;
  } catch {
    return undefined;
  }
};

const sameValue = (a: unknown, b: unknown): boolean => {
  if (a instanceof Uint8Array && b instanceof Uint8Array) return a.length === b.length && a.every((byte, i) => byte === b[i]);
  if (a instanceof Uint8Array || b instanceof Uint8Array) return false;
  return isEntryHeader(a) && isEntryHeader(b) && a.sig === b.sig && JSON.stringify(a) === JSON.stringify(b);
};

/** The value an item holds, if it is one a map entry can be (bytes or a plain JSON value). */
const itemValue = (item: Y.Item): unknown => {
  const content = item.content;
  if (content instanceof Y.ContentBinary) return content.content;
  if (content instanceof Y.ContentAny) return content.arr[content.arr.length - 1];
  return Symbol.for('gather-junk');
};

/** Options of a {@link RoomGuard}. */
export interface RoomGuardOptions {
  /** Verdict cache (shared by the keeper's rooms). */
  readonly cache: VerificationCache;
  /** Persists a kept entry (the store's `k:` record). */
  readonly keep: (entryId: string, value: Uint8Array) => void;
  /** Reports a write-back or a release (for the log and metrics). */
  readonly report?: (event: 'restored' | 'released', count: number) => void;
}

/** One room's gatekeeper, over the live document Hocuspocus holds. */
export class RoomGuard {
  readonly room: string;
  readonly doc: Y.Doc;
  private readonly tag: string;
  private readonly sites = new Map<string, EntrySite>();
  private readonly kept = new Map<string, Kept>();
  private readonly clients = new Map<number, string>();
  private readonly held: { update: Uint8Array; clients: Map<number, [number, number]> }[] = [];
  private heldBytes = 0;
  private readonly cache: VerificationCache;
  private readonly options: RoomGuardOptions;
  private readonly review = new Set<string>();
  private reviewing: Promise<void> | null = null;
  private healTokens = HEALS_PER_SECOND;
  private healRefilled = Date.now();
  private destroyed = false;

  private readonly afterTransaction = (transaction: Y.Transaction): void => {
    if (this.destroyed) return;
    if (transaction.origin !== KEEPER_HEAL) {
      for (const [type, keys] of transaction.changed) {
        const scope = this.scopeOf(type);
        if (scope === null) continue;
        // A key naming no author holds no entry: nothing there is kept, learned or put back.
        for (const key of keys) if (key !== null && keyAuthor(key) !== null) this.review.add(id(scope, key));
      }
      if (this.review.size > 0) this.startReview();
    }
    this.releaseHeld();
  };

  constructor(room: string, doc: Y.Doc, options: RoomGuardOptions) {
    this.room = room;
    this.doc = doc;
    this.tag = roomTag(room);
    this.cache = options.cache;
    this.options = options;
    guardDocument(doc);
    doc.on('afterTransaction', this.afterTransaction);
  }

  /** Entries the keeper holds as valid. */
  get size(): number {
    return this.kept.size;
  }

  /**
   * Starts from what the store kept (`records`: entry id → {@link encodeKept} bytes) and from the
   * document: binds the client ids of the entries it holds, learns valid entries it did not keep,
   * and puts back what the document lost (in the background: {@link settled}).
   */
  start(records: ReadonlyMap<string, Uint8Array>): void {
    const candidates: { entryId: string; raw: unknown }[] = [];
    for (const [entryId, bytes] of records) {
      const raw = decodeKept(bytes);
      if (raw !== undefined) candidates.push({ entryId, raw });
    }
    // Written by this keeper after they verified: read (for their order), not checked again.
    for (const { entryId, raw } of candidates) {
      const entry = this.readId(entryId, raw);
      if (entry !== null) this.kept.set(entryId, { raw, header: entry.header });
    }
    for (const [name, type] of this.doc.share) {
      const items = (type as unknown as { _map?: Map<string, Y.Item> })._map;
      if (!isEntryScope(name) || items === undefined) continue;
      for (const [key, item] of items) {
        if (!item.deleted) this.review.add(id(name, key));
        const kept = this.kept.get(id(name, key));
        if (kept !== undefined && !item.deleted && sameValue(itemValue(item), kept.raw)) this.bind(item.id.client, kept.header.author);
      }
    }
    for (const entryId of this.kept.keys()) this.review.add(entryId);
    // Verifying a large room's entries the first time takes a while: in the background.
    this.startReview();
  }

  /** Resolves when every change seen so far has been reviewed (learned or put back). */
  async settled(): Promise<void> {
    while (this.reviewing !== null) await this.reviewing;
  }

  /**
   * Checks a client's update before it is applied: null when it may be, else why not. An update
   * that can be read only in part is judged on what can be read; one that cannot be read at all
   * was already refused by the keeper's screening. Never throws.
   *
   * Answers at once (not a promise) unless the update writes values whose signatures must be
   * checked first, so that most updates (awareness-free edits, entries already verified, non-entry
   * keys) reach the room without waiting a turn. `decoded` is `Y.decodeUpdate(update)` if the
   * caller has it already.
   */
  check(update: Uint8Array, decoded?: DecodedUpdate): Refusal | null | Promise<Refusal | null> {
    if (decoded === undefined) {
      try {
        decoded = Y.decodeUpdate(update) as unknown as DecodedUpdate;
      } catch {
        return null;
      }
    }
    const store = this.doc.store;
    const shares = new Map<unknown, string>();
    for (const [name, type] of this.doc.share) shares.set(type, name);
    // New items of this update by id, to resolve origins inside it.
    const fresh = new Map<string, Y.Item>();
    for (const struct of decoded.structs) {
      if (struct instanceof Y.Item && struct.id.clock >= Y.getState(store, struct.id.client)) fresh.set(`${struct.id.client}:${struct.id.clock}`, struct);
    }
    const placeOf = (item: Y.Item, depth = 0): [string, string] | null => {
      if (typeof item.parent === 'string') return item.parentSub === null ? null : [item.parent, item.parentSub];
      if (item.parent !== null && !(item.parent instanceof Y.ID)) {
        const name = shares.get(item.parent);
        return name === undefined || item.parentSub === null ? null : [name, item.parentSub];
      }
      const origin = item.origin ?? item.rightOrigin;
      if (origin === null || depth > 64) return null;
      const inUpdate = fresh.get(`${origin.client}:${origin.clock}`);
      if (inUpdate !== undefined) return placeOf(inUpdate, depth + 1);
      if (origin.clock >= Y.getState(store, origin.client)) return null;
      try {
        const known = Y.getItem(store, origin) as Y.Item | Y.GC;
        return known instanceof Y.Item ? placeOf(known, depth + 1) : null;
      } catch {
        return null;
      }
    };
    // The value each entry key gets from this update (its last new item there), and who wrote it.
    const writes = new Map<string, { scope: string; key: string; raw: unknown; client: number }>();
    for (const item of fresh.values()) {
      const place = placeOf(item);
      if (place === null || !isEntryScope(place[0]) || keyAuthor(place[1]) === null) continue;
      writes.set(id(place[0], place[1]), { scope: place[0], key: place[1], raw: itemValue(item), client: item.id.client });
    }
    // Current values this update deletes.
    const deleted = new Set<string>();
    for (const [client, ranges] of decoded.ds.clients) {
      const structs = store.clients.get(client);
      if (structs === undefined) continue;
      for (const { clock, len } of ranges) {
        if (!(len > 0) || clock >= Y.getState(store, client)) continue;
        let index: number;
        try {
          index = Y.findIndexSS(structs, clock);
        } catch {
          continue;
        }
        for (; index < structs.length && structs[index]!.id.clock < clock + len; index++) {
          const struct = structs[index]!;
          if (!(struct instanceof Y.Item) || struct.deleted || struct.right !== null || struct.parentSub === null) continue;
          const name = shares.get(struct.parent);
          if (name !== undefined && this.kept.has(id(name, struct.parentSub))) deleted.add(id(name, struct.parentSub));
        }
      }
    }
    if (writes.size === 0 && deleted.size === 0) return null;

    // Read and verify what is written; then judge.
    const judged = [...writes].map(([entryId, write]) => ({ entryId, write, read: this.read(write.scope, write.key, write.raw) }));
    const toVerify = judged.flatMap(({ read }) => (read === null ? [] : [read.prepared]));
    if (toVerify.length === 0) return this.judge(update, judged, deleted, []);
    return this.cache.verifyBatch(toVerify).then((verdicts) => this.judge(update, judged, deleted, verdicts));
  }

  /** The second half of {@link check}: the verdict on an update once its entries' signatures are checked. */
  private judge(
    update: Uint8Array,
    judged: readonly { entryId: string; write: { scope: string; key: string; raw: unknown; client: number }; read: { header: SignedEntry; prepared: PreparedEntry } | null }[],
    deleted: Set<string>,
    verdicts: readonly boolean[],
  ): Refusal | null {
    let v = 0;
    const counts: Record<RefusalReason, number> = { delete: 0, overwrite: 0, replay: 0, 'not-owner': 0 };
    const accepted: { entryId: string; raw: unknown; header: SignedEntry; client: number; fresh: boolean }[] = [];
    for (const { entryId, write, read } of judged) {
      const valid = read !== null && verdicts[v++] === true;
      const kept = this.kept.get(entryId);
      if (valid) {
        deleted.delete(entryId);
        if (kept !== undefined && compareEntries(read.header, kept.header) < 0) counts.replay++;
        else accepted.push({ entryId, raw: write.raw, header: read.header, client: write.client, fresh: kept === undefined || compareEntries(read.header, kept.header) > 0 });
        continue;
      }
      if (read === null && this.unreadable(write.scope, write.key, write.raw)) continue; // not ours to judge
      if (kept !== undefined) {
        deleted.delete(entryId);
        counts.overwrite++;
        continue;
      }
      const bound = this.clients.get(write.client);
      if (bound !== undefined && bound !== keyAuthor(write.key)) counts['not-owner']++;
    }
    counts.delete = deleted.size;
    const reason = (['replay', 'overwrite', 'delete', 'not-owner'] as const).find((r) => counts[r] > 0);
    if (reason !== undefined) {
      this.hold(update);
      return { reason, keys: counts.delete + counts.overwrite + counts.replay + counts['not-owner'] };
    }
    for (const { entryId, raw, header, client, fresh } of accepted) {
      if (fresh && !this.clients.has(client)) this.bind(client, header.author);
      this.learn(entryId, raw, header);
    }
    return null;
  }

  destroy(): void {
    this.destroyed = true;
    this.doc.off('afterTransaction', this.afterTransaction);
    this.review.clear();
    this.held.length = 0;
  }

  private bind(client: number, author: string): void {
    if (!this.clients.has(client)) this.clients.set(client, author);
  }

  private learn(entryId: string, raw: unknown, header: SignedEntry): void {
    const kept = this.kept.get(entryId);
    if (kept !== undefined && compareEntries(header, kept.header) <= 0) return;
    this.kept.set(entryId, { raw, header });
    this.options.keep(entryId, encodeKept(raw));
  }

  private scopeOf(type: unknown): string | null {
    for (const [name, share] of this.doc.share) if (share === type) return isEntryScope(name) ? name : null;
    return null;
  }

  private site(scope: string): EntrySite {
    let site = this.sites.get(scope);
    if (site === undefined) this.sites.set(scope, (site = entrySite(scope, this.tag)));
    return site;
  }

  private readId(entryId: string, raw: unknown): { header: SignedEntry; prepared: PreparedEntry } | null {
    const cut = entryId.indexOf('\n');
    return cut < 0 ? null : this.read(entryId.slice(0, cut), entryId.slice(cut + 1), raw);
  }

  /** Reads `raw` under `key` of `scope` as a signed entry of the key's author. Never throws. */
  private read(scope: string, key: string, raw: unknown): { header: SignedEntry; prepared: PreparedEntry } | null {
    try {
      const author = keyAuthor(key);
      const kind = keyKind(key);
      if (author === null || kind === null || !isEntryScope(scope)) return null;
      if (raw instanceof Uint8Array) {
        const widget = scope.slice(0, scope.indexOf(':'));
        const read = readStoredEntry(raw, this.site(scope), author, kind, (type) => BODY_FIELDS[`${widget}/${type}`]);
        return read === null ? null : { header: read.entry, prepared: read.prepared };
      }
      if (!isEntryHeader(raw) || raw.scope !== scope || raw.author !== author) return null;
      if (raw.v === ENTRY_VERSION && raw.room !== this.tag) return null;
      const prepared = prepareEntry(raw);
      return prepared === null ? null : { header: raw as SignedEntry, prepared };
    } catch {
      return null;
    }
  }

  /**
   * Whether a compact value this keeper cannot read might still be a valid entry: its fields are
   * left out and the keeper does not know the kind's list (a widget newer than this keeper).
   */
  private unreadable(scope: string, key: string, raw: unknown): boolean {
    if (!(raw instanceof Uint8Array) || raw.length < 1 || (raw[0]! & 0x20) === 0) return false;
    const widget = scope.slice(0, scope.indexOf(':'));
    const kind = keyKind(key) ?? '';
    return BODY_FIELDS[`${widget}/${kind}`] === undefined;
  }

  /** The current value under `key` of the root `scope` (whatever type Yjs holds it as), or undefined. */
  private valueOf(scope: string, key: string): unknown {
    const type = this.doc.share.get(scope) as unknown as { _map?: Map<string, Y.Item> } | undefined;
    const item = type?._map?.get(key);
    return item === undefined || item.deleted ? undefined : itemValue(item);
  }

  private startReview(): void {
    if (this.reviewing !== null || this.destroyed) return;
    this.reviewing = this.runReview().catch(() => {
      // Nothing a client sends may stop the keeper: what was not reviewed is reviewed next change.
    }).finally(() => {
      this.reviewing = null;
      if (this.review.size > 0) this.startReview();
    });
  }

  /** Learns new valid entries of changed keys and puts back kept ones the document lost. */
  private async runReview(): Promise<void> {
    // After the network I/O already waiting (a relayed update's readers first); changes arriving
    // meanwhile join this pass.
    await new Promise((resolve) => setTimeout(resolve, 0));
    while (this.review.size > 0 && !this.destroyed) {
      const ids = [...this.review];
      this.review.clear();
      const current = ids.map((entryId) => {
        const cut = entryId.indexOf('\n');
        const scope = entryId.slice(0, cut);
        const key = entryId.slice(cut + 1);
        const raw = this.valueOf(scope, key);
        const kept = this.kept.get(entryId);
        const same = kept !== undefined && sameValue(raw, kept.raw);
        return { entryId, scope, key, raw, kept, same, read: same ? null : this.read(scope, key, raw) };
      });
      const verdicts = await this.cache.verifyBatch(current.flatMap(({ read }) => (read === null ? [] : [read.prepared])));
      if (this.destroyed) return;
      let v = 0;
      const restore: { scope: string; key: string; raw: unknown }[] = [];
      for (const { entryId, scope, key, raw, kept, same, read } of current) {
        if (same) continue;
        const valid = read !== null && verdicts[v++] === true;
        // Changed again meanwhile: the next pass looks at it.
        if (this.review.has(entryId)) continue;
        if (valid && (kept === undefined || compareEntries(read.header, kept.header) >= 0)) {
          this.learn(entryId, raw, read.header);
          continue;
        }
        if (kept !== undefined) restore.push({ scope, key, raw: kept.raw });
      }
      this.writeBack(restore);
    }
  }

  private writeBack(restore: { scope: string; key: string; raw: unknown }[]): void {
    if (restore.length === 0) return;
    const time = Date.now();
    this.healTokens = Math.min(HEALS_PER_SECOND, this.healTokens + ((time - this.healRefilled) / 1000) * HEALS_PER_SECOND);
    this.healRefilled = time;
    const now = restore.slice(0, Math.floor(this.healTokens));
    const later = restore.slice(now.length);
    this.healTokens -= now.length;
    if (now.length > 0) {
      this.doc.transact(() => {
        for (const { scope, key, raw } of now) {
          try {
            this.doc.getMap<unknown>(scope).set(key, raw);
          } catch {
            // The root is not a map (a hostile type clash): nothing to put back into.
          }
        }
      }, KEEPER_HEAL);
      this.options.report?.('restored', now.length);
    }
    if (later.length > 0) {
      const timer = setTimeout(() => {
        for (const { scope, key } of later) this.review.add(id(scope, key));
        this.startReview();
      }, 1000);
      timer.unref?.();
    }
  }

  /** Keeps a refused update back, in case honest clients build on it (bounded; the oldest go first). */
  private hold(update: Uint8Array): void {
    const clients = new Map<number, [number, number]>();
    try {
      for (const struct of Y.decodeUpdate(update).structs) {
        const range = clients.get(struct.id.client);
        const end = struct.id.clock + struct.length;
        clients.set(struct.id.client, range === undefined ? [struct.id.clock, end] : [Math.min(range[0], struct.id.clock), Math.max(range[1], end)]);
      }
    } catch {
      return;
    }
    if (clients.size === 0 || update.length > MAX_HELD_BYTES) return;
    this.held.push({ update, clients });
    this.heldBytes += update.length;
    while (this.held.length > MAX_HELD || this.heldBytes > MAX_HELD_BYTES) this.heldBytes -= this.held.shift()!.update.length;
  }

  /** Lets in held-back updates that the document now waits for (an honest client built on them). */
  private releaseHeld(): void {
    const pending = (this.doc.store as unknown as { pendingStructs: { missing: Map<number, number> } | null }).pendingStructs;
    if (pending === null || this.held.length === 0) return;
    const wanted = this.held.filter(({ clients }) => [...pending.missing].some(([client, clock]) => {
      const range = clients.get(client);
      return range !== undefined && clock >= range[0] && clock < range[1];
    }));
    if (wanted.length === 0) return;
    for (const entry of wanted) {
      this.held.splice(this.held.indexOf(entry), 1);
      this.heldBytes -= entry.update.length;
    }
    // After this transaction's cleanup: the release is a transaction of its own.
    queueMicrotask(() => {
      if (this.destroyed) return;
      for (const { update } of wanted) {
        try {
          Y.applyUpdate(this.doc, update, KEEPER_RELEASE);
        } catch {
          // Screened before it was held: Yjs reads it.
        }
      }
      this.options.report?.('released', wanted.length);
    });
  }
}
