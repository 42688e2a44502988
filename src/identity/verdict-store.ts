/**
 * Verdicts kept on this device, so that a returning visitor does not verify again what it
 * verified before: the ids of entries whose signature checked (see verification.ts: SHA-256 of
 * the signed bytes and the signature), in IndexedDB. Only good verdicts are kept: a bad entry is
 * checked again (and still fails). Bounded: past `max`, the oldest ids are forgotten.
 *
 * Stored as segments: one row `{ ids }` per burst of verdicts, keyed by age (a 10,000-ballot first
 * sync is one put, not 10,000, which blocked the page ~100–200 ms; it loads as a few rows, not
 * 10,000 keys). Loading rewrites a store of many small segments as a few.
 *
 * Small and framework-free; where there is no IndexedDB (Node, some private modes) there is no
 * store, and where opening it fails the store knows nothing — never an error for the caller.
 */

/** IndexedDB database of kept verdicts. */
export const VERDICT_DB_NAME = 'gather-verdicts';
/** Segments `{ ids }` keyed by age (database version 2). */
const STORE_NAME = 'segments';
/** Version 1's store, one row `{ id, age }` per id: moved into a segment on upgrade. */
const V1_STORE_NAME = 'valid';
/** More segments than this are rewritten as few when loaded. */
const COMPACT_SEGMENTS = 64;

/** The ids of entries that verified on this device. */
export interface VerdictStore {
  /** Resolves once the kept ids are loaded (or could not be: then none are known). Never rejects. */
  readonly ready: Promise<void>;
  /** How many ids are known. */
  readonly size: number;
  /** Whether `id` verified before on this device (false until {@link ready}). */
  has(id: string): boolean;
  /** Remembers that `id` verified; written in the background, many at a time. */
  add(id: string): void;
  /** Resolves once everything added so far is written (or writing failed). Never rejects. */
  flush(): Promise<void>;
  /** Stops taking ids; those not written yet are written first, then the database closes. */
  close(): void;
}

/** Options of {@link openVerdictStore}. */
export interface VerdictStoreOptions {
  /** Database name; tests use their own. */
  readonly name?: string;
  /** Ids kept at most; past it, the oldest tenth goes. */
  readonly max?: number;
}

/** A burst of verdicts, as one row. */
interface Segment {
  readonly ids: readonly string[];
}

interface Loaded {
  readonly key: number;
  readonly ids: readonly string[];
}

const request = <T>(req: IDBRequest<T>): Promise<T> =>
  new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });

const done = (tx: IDBTransaction): Promise<void> =>
  new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error ?? new Error('aborted'));
  });

/** Row keys in age order without a clock read per id: milliseconds, then a counter within the millisecond. */
let lastKey = 0;
const nextKey = (): number => (lastKey = Math.max(Date.now() * 1000, lastKey + 1));

const openDatabase = (name: string): Promise<IDBDatabase> =>
  new Promise((resolve, reject) => {
    const req = indexedDB.open(name, 2);
    req.onupgradeneeded = () => {
      const db = req.result;
      if (!db.objectStoreNames.contains(STORE_NAME)) db.createObjectStore(STORE_NAME);
      if (db.objectStoreNames.contains(V1_STORE_NAME)) {
        const tx = req.transaction!;
        const ids = tx.objectStore(V1_STORE_NAME).getAllKeys();
        ids.onsuccess = () => {
          const kept = ids.result.filter((id): id is string => typeof id === 'string');
          if (kept.length > 0) tx.objectStore(STORE_NAME).put({ ids: kept } satisfies Segment, nextKey());
          db.deleteObjectStore(V1_STORE_NAME);
        };
      }
    };
    req.onsuccess = () => {
      const db = req.result;
      // A newer version opened in another tab: let it upgrade (this tab then keeps nothing more).
      db.onversionchange = () => db.close();
      resolve(db);
    };
    req.onerror = () => reject(req.error);
    req.onblocked = () => reject(new Error('IndexedDB upgrade blocked by another tab'));
  });

const isSegment = (row: unknown): row is Segment => typeof row === 'object' && row !== null && Array.isArray((row as Segment).ids);

/**
 * Opens this device's verdict store, or returns null where there is no IndexedDB. Loading starts
 * at once (one `getAll` of a few segments), so it overlaps with the room's first sync.
 */
/**
 * How long new verdicts wait to be written (at once on `flush()` and when the page goes away). Each
 * write is an IndexedDB transaction (~0.5-1 ms of the page): written per live vote, it took CPU from
 * the next vote's way to the screen, and from every other peer on the same machine.
 */
const WRITE_AFTER_MS = 1000;

export const openVerdictStore = ({ name = VERDICT_DB_NAME, max = 100_000 }: VerdictStoreOptions = {}): VerdictStore | null => {
  if (typeof indexedDB === 'undefined') return null;
  const known = new Set<string>();
  /** Every segment known here, oldest first: what eviction drops. */
  let segments: Loaded[] = [];
  let pending: string[] = [];
  let closed = false;
  let writing: Promise<void> = Promise.resolve();
  /** The write waiting for more verdicts (see {@link WRITE_AFTER_MS}). */
  let timer: ReturnType<typeof setTimeout> | undefined;

  /** Segments of at most a tenth of `max` ids each, so that eviction drops about a tenth at a time. */
  const chunk = Math.max(1, Math.ceil(max / 10));

  /** Rewrites every segment as few (in one transaction: another tab's rows are read in it too). */
  const compact = async (db: IDBDatabase): Promise<void> => {
    const tx = db.transaction(STORE_NAME, 'readwrite');
    const store = tx.objectStore(STORE_NAME);
    const [keys, rows] = await Promise.all([request(store.getAllKeys()), request(store.getAll())]);
    const ids: string[] = [];
    for (const row of rows) if (isSegment(row)) for (const id of row.ids) if (typeof id === 'string') ids.push(id);
    store.clear();
    const first = typeof keys[0] === 'number' ? keys[0] : nextKey();
    const rewritten: Loaded[] = [];
    for (let i = 0; i * chunk < ids.length; i++) {
      const part = ids.slice(i * chunk, (i + 1) * chunk);
      store.put({ ids: part } satisfies Segment, first + i);
      rewritten.push({ key: first + i, ids: part });
    }
    await done(tx);
    // Rows written since (after this transaction) stay known for eviction.
    const read = new Set(keys);
    segments = [...rewritten, ...segments.filter((segment) => !read.has(segment.key))];
  };

  const database = openDatabase(name).catch(() => null);
  const ready = database.then(async (db) => {
    if (db === null) return;
    try {
      const store = db.transaction(STORE_NAME, 'readonly').objectStore(STORE_NAME);
      const [keys, rows] = await Promise.all([request(store.getAllKeys()), request(store.getAll())]);
      rows.forEach((row, i) => {
        const key = keys[i];
        if (!isSegment(row) || typeof key !== 'number') return;
        const ids = row.ids.filter((id): id is string => typeof id === 'string');
        for (const id of ids) known.add(id);
        segments.push({ key, ids });
      });
      if (segments.length > COMPACT_SEGMENTS) void compact(db).catch(() => undefined);
    } catch {
      // Nothing known: entries are verified again, as on a first visit.
    }
  });

  /** Drops the oldest segments until at most `max` ids are known (at least a tenth below it). */
  const evict = (store: IDBObjectStore): void => {
    while (known.size > max - chunk && segments.length > 1) {
      const oldest = segments.shift()!;
      store.delete(oldest.key);
      for (const id of oldest.ids) known.delete(id);
    }
  };

  /** Writes what is pending now (after any write under way). */
  const writeNow = (): Promise<void> => {
    clearTimeout(timer);
    timer = undefined;
    writing = writing.then(write);
    return writing;
  };

  const write = async (): Promise<void> => {
    const batch = pending;
    pending = [];
    if (batch.length === 0) return;
    const db = await database;
    if (db === null) return;
    try {
      const tx = db.transaction(STORE_NAME, 'readwrite');
      const store = tx.objectStore(STORE_NAME);
      for (let i = 0; i < batch.length; i += chunk) {
        const key = nextKey();
        const ids = batch.slice(i, i + chunk);
        store.put({ ids } satisfies Segment, key);
        segments.push({ key, ids });
      }
      if (known.size > max) evict(store);
      await done(tx);
    } catch {
      // A verdict not kept is verified again next time.
    }
  };

  const onPageHide = (): void => void writeNow();
  globalThis.addEventListener?.('pagehide', onPageHide);

  return {
    ready,
    get size() {
      return known.size;
    },
    has: (id) => known.has(id),
    add(id) {
      if (closed || known.has(id)) return;
      known.add(id);
      pending.push(id);
      if (timer === undefined) {
        // A while later: one row (and one transaction) for many verdicts, not one per live vote.
        timer = setTimeout(() => void writeNow(), WRITE_AFTER_MS);
        (timer as { unref?: () => void }).unref?.();
      }
    },
    flush: writeNow,
    close() {
      if (closed) return;
      closed = true;
      globalThis.removeEventListener?.('pagehide', onPageHide);
      void writeNow().then(async () => (await database)?.close());
    },
  };
};
