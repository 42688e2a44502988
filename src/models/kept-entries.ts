/**
 * Where a device remembers the newest valid entry it has seen under every key of a widget, apart
 * from the Yjs document, so that it can put an entry back after a hostile peer deleted or
 * overwrote it — even after a reload of a page whose stored document already holds the damage.
 *
 * Browsers: IndexedDB (`gather-kept`), one row per (site, key) holding the stored value exactly as
 * it sat in the map (a compact entry's bytes, or a v1 entry object). Node and pages without
 * IndexedDB: none by default (each test's document is its own world); {@link memoryKeptStore}
 * for tests. What is loaded is checked again like anything from a peer: a row that does not
 * verify is ignored.
 *
 * Framework-free; knows nothing of any widget.
 */

/** A device's memory of entries, per site (a widget in a room: see {@link keptSite}). */
export interface KeptEntryStore {
  /** Every remembered value of `site`, by map key (empty when nothing is remembered). */
  load(site: string): Promise<ReadonlyMap<string, unknown>>;
  /** Remembers these values of `site` (each the newest valid entry under its key). Best effort. */
  save(site: string, values: ReadonlyMap<string, unknown>): void;
}

/** The name of the IndexedDB database of remembered entries. */
export const KEPT_DB_NAME = 'gather-kept';
const STORE_NAME = 'entries';
/** Rows kept per site at most: past it, newer keys are not remembered (the view still heals in memory). */
export const MAX_KEPT_PER_SITE = 20_000;

/** The site of a widget: its room's tag (empty for no room) and its scope. */
export const keptSite = (roomTag: string | undefined, scope: string): string => `${roomTag ?? ''}\n${scope}`;

/** A store in memory (tests; a page that must not write to IndexedDB). */
export const memoryKeptStore = (): KeptEntryStore & { readonly sites: ReadonlyMap<string, ReadonlyMap<string, unknown>> } => {
  const sites = new Map<string, Map<string, unknown>>();
  return {
    sites,
    load: (site) => Promise.resolve(new Map(sites.get(site) ?? [])),
    save(site, values) {
      let rows = sites.get(site);
      if (rows === undefined) sites.set(site, (rows = new Map()));
      for (const [key, value] of values) if (rows.has(key) || rows.size < MAX_KEPT_PER_SITE) rows.set(key, value);
    },
  };
};

const request = <T>(req: IDBRequest<T>): Promise<T> =>
  new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });

const openDatabase = (name: string): Promise<IDBDatabase> =>
  new Promise((resolve, reject) => {
    const req = indexedDB.open(name, 1);
    req.onupgradeneeded = () => {
      const db = req.result;
      if (!db.objectStoreNames.contains(STORE_NAME)) db.createObjectStore(STORE_NAME);
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
    req.onblocked = () => reject(new Error('IndexedDB upgrade blocked by another tab'));
  });

/** Whether a value can be remembered as it is: bytes, or a plain entry object. */
const storable = (value: unknown): boolean => value instanceof Uint8Array || (typeof value === 'object' && value !== null);

/**
 * This device's store in IndexedDB, or null where there is none. Rows are keyed `[site, key]`;
 * writes are batched (one transaction per burst). A failing database (blocked site data, full
 * quota) remembers nothing and says nothing: the view still heals in memory.
 */
export const openKeptStore = (name: string = KEPT_DB_NAME): KeptEntryStore | null => {
  if (typeof indexedDB === 'undefined') return null;
  const database = openDatabase(name).catch(() => null);
  const known = new Map<string, Set<string>>();
  const keysOf = (site: string): Set<string> => {
    let keys = known.get(site);
    if (keys === undefined) known.set(site, (keys = new Set()));
    return keys;
  };
  let pending = new Map<string, Map<string, unknown>>();
  let scheduled = false;

  const write = async (): Promise<void> => {
    scheduled = false;
    const batch = pending;
    pending = new Map();
    const db = await database;
    if (db === null) return;
    try {
      const tx = db.transaction(STORE_NAME, 'readwrite');
      const store = tx.objectStore(STORE_NAME);
      for (const [site, values] of batch) for (const [key, value] of values) store.put(value, [site, key]);
      await new Promise<void>((resolve, reject) => {
        tx.oncomplete = () => resolve();
        tx.onerror = () => reject(tx.error);
        tx.onabort = () => reject(tx.error);
      });
    } catch {
      // Not remembered: healing still works while the page is open.
    }
  };

  return {
    async load(site) {
      const out = new Map<string, unknown>();
      const db = await database;
      if (db === null) return out;
      try {
        const range = IDBKeyRange.bound([site], [site, []]);
        const store = db.transaction(STORE_NAME, 'readonly').objectStore(STORE_NAME);
        const [keys, values] = await Promise.all([request(store.getAllKeys(range, MAX_KEPT_PER_SITE)), request(store.getAll(range, MAX_KEPT_PER_SITE))]);
        keys.forEach((key, i) => {
          if (Array.isArray(key) && typeof key[1] === 'string') out.set(key[1], values[i]);
        });
      } catch {
        // Nothing remembered.
      }
      const keys = keysOf(site);
      for (const key of out.keys()) keys.add(key);
      return out;
    },
    save(site, values) {
      let rows = pending.get(site);
      if (rows === undefined) pending.set(site, (rows = new Map()));
      const keys = keysOf(site);
      for (const [key, value] of values) {
        if (!storable(value) || (!keys.has(key) && keys.size >= MAX_KEPT_PER_SITE)) continue;
        keys.add(key);
        rows.set(key, value);
      }
      if (!scheduled) {
        scheduled = true;
        setTimeout(() => void write(), 50);
      }
    },
  };
};

let shared: KeptEntryStore | null | undefined;

/** The page's store (IndexedDB), opened on first use; null where there is no IndexedDB (Node). */
export const defaultKeptStore = (): KeptEntryStore | null => (shared === undefined ? (shared = openKeptStore()) : shared);
