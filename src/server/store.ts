/**
 * The keeper's durable storage: every room's Yjs updates in an embedded
 * LevelDB (`classic-level`, whose prebuilt binaries ship inside its npm
 * package), one directory, nothing else to install.
 *
 * Layout (keys are UTF-8 strings, `<room>` is `encodeURIComponent(room)`):
 * - `u:<room>:<epoch>:<n>` → one Yjs update (v1 encoding) as received. `<epoch>` is
 *   unique per opening of the store and `<n>` counts within it, so keys never
 *   collide across restarts; their order does not matter (Yjs updates commute).
 * - `m:<room>` → the room's record, JSON `{ created, tokenHash }`; `tokenHash` is
 *   null for an open room. Written once, when the first client is admitted.
 * - `k:<room>:<entry>` → the newest valid signed entry the keeper has seen under one
 *   entry key (`<entry>` is `encodeURIComponent(scope + "\n" + key)`), apart from the
 *   document, so that it can put the entry back if the document loses it
 *   (entry-guard.ts). Overwritten by newer entries; never deleted by a client.
 *
 * {@link RoomStore.append} resolves once LevelDB has the write in its log: a
 * crash of the process (`kill -9`) after that loses nothing. Writes are not
 * fsynced, so a power cut may lose the last few seconds (see `sync`).
 * {@link RoomStore.compact} replaces a room's updates by one update of its
 * whole state (deleted content garbage-collected) in one atomic batch.
 *
 * @module
 */
import { mkdir } from 'node:fs/promises';
import { ClassicLevel } from 'classic-level';
import * as Y from 'yjs';

/** A room's record, written when it is created. */
export interface RoomRecord {
  /** ISO date of creation. */
  readonly created: string;
  /** base64url SHA-256 of the room's access token, or null for an open room. */
  readonly tokenHash: string | null;
}

/** What {@link RoomStore.load} returns. */
export interface LoadedRoom {
  /** The stored updates, oldest write first within each opening of the store. */
  readonly updates: Uint8Array[];
  /** Their total size in bytes. */
  readonly bytes: number;
}

/** Options of {@link RoomStore.open}. */
export interface RoomStoreOptions {
  /** fsync every write (survives a power cut, not only a crash; much slower). Default false. */
  sync?: boolean;
}

/** Thrown by {@link RoomStore.open} when another process holds the directory. */
export class StoreLockedError extends Error {
  constructor(readonly directory: string) {
    super(`The data directory ${directory} is in use by another process (is \`gather serve\` running?)`);
    this.name = 'StoreLockedError';
  }
}

const roomKey = (room: string) => encodeURIComponent(room);
const updatePrefix = (room: string) => `u:${roomKey(room)}:`;
const recordKey = (room: string) => `m:${roomKey(room)}`;
const keptPrefix = (room: string) => `k:${roomKey(room)}:`;
/** The end of a key range (`:` < `;`). */
const after = (prefix: string) => `${prefix.slice(0, -1)};`;

/**
 * Rooms on disk. One process at a time may open a directory (LevelDB's lock).
 */
export class RoomStore {
  private readonly db: ClassicLevel<string, Uint8Array>;
  private readonly epoch = Date.now().toString(36).padStart(9, '0') + Math.random().toString(36).slice(2, 6);
  private counter = 0;
  private readonly sync: boolean;
  /** room → the compaction in progress, so two never overlap. */
  private readonly compactions = new Map<string, Promise<unknown>>();
  /** room → the creation in progress, so two first clients agree on the record. */
  private readonly creations = new Map<string, Promise<RoomRecord>>();
  private readonly pending = new Set<Promise<unknown>>();
  /** The puts of this turn of the event loop, written together when it ends. */
  private batch: { ops: { type: 'put'; key: string; value: Uint8Array }[]; done: Promise<void> } | undefined;

  private constructor(db: ClassicLevel<string, Uint8Array>, sync: boolean) {
    this.db = db;
    this.sync = sync;
  }

  /** Opens (creating it if needed) the store in `directory`. */
  static async open(directory: string, { sync = false }: RoomStoreOptions = {}): Promise<RoomStore> {
    await mkdir(directory, { recursive: true });
    const db = new ClassicLevel<string, Uint8Array>(directory, { keyEncoding: 'utf8', valueEncoding: 'view' });
    try {
      await db.open();
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause;
      if (cause?.code === 'LEVEL_LOCKED' || (error as { code?: string }).code === 'LEVEL_LOCKED') {
        throw new StoreLockedError(directory);
      }
      throw error;
    }
    return new RoomStore(db, sync);
  }

  /** The directory the store lives in. */
  get location(): string {
    return this.db.location;
  }

  /**
   * Appends one update to a room; resolves once it is written. Appends (and kept entries) made in
   * one turn of the event loop are written together, as one LevelDB batch, once that turn's work is
   * done: a keeper relays an update to the room before the write starts, and many clients' updates
   * cost one write.
   */
  append(room: string, update: Uint8Array): Promise<void> {
    const key = `${updatePrefix(room)}${this.epoch}:${(this.counter++).toString(36).padStart(8, '0')}`;
    return this.put(key, update);
  }

  /** All stored updates of a room (none for a room never written). */
  async load(room: string): Promise<LoadedRoom> {
    const prefix = updatePrefix(room);
    const updates: Uint8Array[] = [];
    let bytes = 0;
    for await (const value of this.db.values({ gt: prefix, lt: after(prefix) })) {
      updates.push(value);
      bytes += value.length;
    }
    return { updates, bytes };
  }

  /** A room's whole state as one update (empty document if the room has none). */
  async state(room: string): Promise<Uint8Array> {
    const doc = await this.doc(room);
    try {
      return Y.encodeStateAsUpdate(doc);
    } finally {
      doc.destroy();
    }
  }

  /** A new Y.Doc holding the room's stored state (the caller destroys it). */
  async doc(room: string): Promise<Y.Doc> {
    const doc = new Y.Doc();
    for (const update of (await this.load(room)).updates) applyQuietly(doc, update);
    return doc;
  }

  /**
   * Replaces a room's stored updates by one update of its state, atomically.
   * Updates appended meanwhile are kept as they are. Resolves with the sizes
   * before and after (equal when there was nothing to merge).
   */
  compact(room: string): Promise<{ before: number; after: number }> {
    const previous = this.compactions.get(room) ?? Promise.resolve();
    const run = previous.then(async () => {
      const prefix = updatePrefix(room);
      const keys: string[] = [];
      const doc = new Y.Doc();
      let before = 0;
      try {
        for await (const [key, value] of this.db.iterator({ gt: prefix, lt: after(prefix) })) {
          keys.push(key);
          before += value.length;
          applyQuietly(doc, value);
        }
        if (keys.length <= 1) return { before, after: before };
        const merged = Y.encodeStateAsUpdate(doc);
        // Re-use the newest key read: the batch deletes the others and overwrites it.
        const last = keys[keys.length - 1]!;
        await this.db.batch(
          [...keys.slice(0, -1).map((key) => ({ type: 'del' as const, key })), { type: 'put' as const, key: last, value: merged }],
          { sync: this.sync },
        );
        return { before, after: merged.length };
      } finally {
        doc.destroy();
      }
    });
    const settled = run.finally(() => {
      if (this.compactions.get(room) === settled) this.compactions.delete(room);
    });
    this.compactions.set(room, settled);
    return this.track(run);
  }

  /** Remembers the newest valid entry of one entry key of a room (entry-guard.ts); resolves once written. */
  keepEntry(room: string, entry: string, value: Uint8Array): Promise<void> {
    return this.put(`${keptPrefix(room)}${encodeURIComponent(entry)}`, value);
  }

  /** The entries kept for a room, by entry id (scope, newline, key). */
  async keptEntries(room: string): Promise<Map<string, Uint8Array>> {
    const prefix = keptPrefix(room);
    const out = new Map<string, Uint8Array>();
    for await (const [key, value] of this.db.iterator({ gt: prefix, lt: after(prefix) })) {
      try {
        out.set(decodeURIComponent(key.slice(prefix.length)), value);
      } catch {
        // A key this version did not write: skipped.
      }
    }
    return out;
  }

  /** A room's record, or undefined if no client was ever admitted to it. */
  async record(room: string): Promise<RoomRecord | undefined> {
    let value: Uint8Array;
    try {
      value = await this.db.get(recordKey(room));
    } catch (error) {
      if ((error as { code?: string }).code === 'LEVEL_NOT_FOUND') return undefined;
      throw error;
    }
    return JSON.parse(Buffer.from(value).toString('utf8')) as RoomRecord;
  }

  /**
   * The room's record, created with `tokenHash` if the room has none yet.
   * Concurrent first calls for one room agree on the first caller's record.
   */
  recordOrCreate(room: string, tokenHash: string | null): Promise<RoomRecord> {
    const inFlight = this.creations.get(room);
    if (inFlight) return inFlight;
    const creation = (async () => {
      const existing = await this.record(room);
      if (existing) return existing;
      const record: RoomRecord = { created: new Date().toISOString(), tokenHash };
      await this.db.put(recordKey(room), Buffer.from(JSON.stringify(record)), { sync: this.sync });
      return record;
    })().finally(() => this.creations.delete(room));
    this.creations.set(room, creation);
    return this.track(creation);
  }

  /** Writes a room's record (import): replaces any existing one. */
  async setRecord(room: string, record: RoomRecord): Promise<void> {
    await this.track(this.db.put(recordKey(room), Buffer.from(JSON.stringify(record)), { sync: this.sync }));
  }

  /** Names of all rooms with a record or stored updates, sorted. */
  async rooms(): Promise<string[]> {
    const names = new Set<string>();
    for await (const key of this.db.keys({ gt: 'm:', lt: 'm;' })) names.add(decodeURIComponent(key.slice(2)));
    for await (const key of this.db.keys({ gt: 'u:', lt: 'u;' })) {
      names.add(decodeURIComponent(key.slice(2, key.indexOf(':', 2))));
    }
    return [...names].sort();
  }

  /** Waits for every write started so far (appends, compactions, records). */
  async flush(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  /** Flushes, then closes the database. */
  async close(): Promise<void> {
    await this.flush();
    await this.db.close();
  }

  /** Adds a put to this turn's batch (see {@link append}); resolves once the batch is written. */
  private put(key: string, value: Uint8Array): Promise<void> {
    let batch = this.batch;
    if (batch === undefined) {
      const ops: { type: 'put'; key: string; value: Uint8Array }[] = [];
      let written!: () => void;
      let failed!: (error: unknown) => void;
      const done = new Promise<void>((resolve, reject) => {
        written = resolve;
        failed = reject;
      });
      this.batch = batch = { ops, done };
      // A timer, not setImmediate: the network I/O already waiting (the next messages, the relayed
      // update's readers) is handled first; writes arriving meanwhile join the batch.
      setTimeout(() => {
        this.batch = undefined;
        this.db.batch(ops, { sync: this.sync }).then(written, failed);
      }, 0);
      this.track(done).catch(() => {}); // each caller handles the failure; flush() waits for it
    }
    batch.ops.push({ type: 'put', key, value });
    return batch.done;
  }

  private track<T>(promise: Promise<T>): Promise<T> {
    this.pending.add(promise);
    const done = () => this.pending.delete(promise);
    promise.then(done, done);
    return promise;
  }
}

/**
 * Applies an update, ignoring one that Yjs cannot read. The keeper validates
 * every update before storing it; this guards against anything stored by an
 * older version, and applies exactly what the live document applied.
 */
export function applyQuietly(doc: Y.Doc, update: Uint8Array, origin?: unknown): boolean {
  try {
    Y.applyUpdate(doc, update, origin);
    return true;
  } catch {
    return false;
  }
}
