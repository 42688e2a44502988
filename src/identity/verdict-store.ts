/**
 * Verdicts kept on this device, so that a returning visitor does not verify again what it
 * verified before: the ids of entries whose signature checked (see verification.ts: SHA-256 of
 * the signed bytes and the signature), in IndexedDB. Only good verdicts are kept: a bad entry is
 * checked again (and still fails). Bounded: past `max`, the oldest ids are forgotten.
 *
 * Small and framework-free; where there is no IndexedDB (Node, some private modes) there is no
 * store, and where opening it fails the store knows nothing — never an error for the caller.
 */

/** IndexedDB database of kept verdicts. */
export const VERDICT_DB_NAME = 'gather-verdicts';
const STORE_NAME = 'valid';
const BY_AGE = 'age';

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
  /** Stops writing; ids not flushed yet are dropped. */
  close(): void;
}

/** Options of {@link openVerdictStore}. */
export interface VerdictStoreOptions {
  /** Database name; tests use their own. */
  readonly name?: string;
  /** Ids kept at most; past it, the oldest tenth goes. */
  readonly max?: number;
}

interface Row {
  readonly id: string;
  readonly age: number;
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

const openDatabase = (name: string): Promise<IDBDatabase> =>
  new Promise((resolve, reject) => {
    const req = indexedDB.open(name, 1);
    req.onupgradeneeded = () => {
      const db = req.result;
      if (!db.objectStoreNames.contains(STORE_NAME)) db.createObjectStore(STORE_NAME, { keyPath: 'id' }).createIndex(BY_AGE, 'age');
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
    req.onblocked = () => reject(new Error('IndexedDB upgrade blocked by another tab'));
  });

/**
 * Opens this device's verdict store, or returns null where there is no IndexedDB. Loading starts
 * at once (one `getAllKeys`), so it overlaps with the room's first sync.
 */
export const openVerdictStore = ({ name = VERDICT_DB_NAME, max = 100_000 }: VerdictStoreOptions = {}): VerdictStore | null => {
  if (typeof indexedDB === 'undefined') return null;
  const known = new Set<string>();
  let pending: string[] = [];
  let closed = false;
  let writing: Promise<void> = Promise.resolve();
  let scheduled = false;
  // Age order without a clock read per id: milliseconds, then a counter within the millisecond.
  let counter = 0;

  const database = openDatabase(name).catch(() => null);
  const ready = database.then(async (db) => {
    if (db === null) return;
    try {
      const keys = await request(db.transaction(STORE_NAME, 'readonly').objectStore(STORE_NAME).getAllKeys());
      for (const key of keys) if (typeof key === 'string') known.add(key);
    } catch {
      // Nothing known: entries are verified again, as on a first visit.
    }
  });

  const evict = async (db: IDBDatabase, count: number): Promise<void> => {
    const tx = db.transaction(STORE_NAME, 'readwrite');
    const cursorRequest = tx.objectStore(STORE_NAME).index(BY_AGE).openCursor();
    let left = count;
    cursorRequest.onsuccess = () => {
      const cursor = cursorRequest.result;
      if (cursor === null || left <= 0) return;
      known.delete((cursor.value as Row).id);
      cursor.delete();
      left--;
      cursor.continue();
    };
    await done(tx);
  };

  const write = async (): Promise<void> => {
    scheduled = false;
    const db = await database;
    const batch = pending;
    pending = [];
    if (db === null || closed || batch.length === 0) return;
    try {
      const tx = db.transaction(STORE_NAME, 'readwrite');
      const store = tx.objectStore(STORE_NAME);
      const base = Date.now() * 1000;
      for (const id of batch) store.put({ id, age: base + (counter++ % 1000) } satisfies Row);
      await done(tx);
      if (known.size > max) await evict(db, known.size - max + Math.ceil(max / 10));
    } catch {
      // A verdict not kept is verified again next time.
    }
  };

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
      if (!scheduled) {
        scheduled = true;
        // After the current burst of verdicts: one transaction for many.
        writing = writing.then(() => new Promise((resolve) => setTimeout(resolve, 0))).then(write);
      }
    },
    flush: () => writing.then(() => (pending.length > 0 ? write() : undefined)),
    close() {
      closed = true;
      pending = [];
      void database.then((db) => db?.close());
    },
  };
};
