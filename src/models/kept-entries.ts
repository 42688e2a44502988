/**
 * Where a device remembers the newest valid entry it has seen under every key of a widget, apart
 * from the Yjs document, so that it can put an entry back after a hostile peer deleted or
 * overwrote it — even after a reload of a page whose stored document already holds the damage.
 *
 * Browsers: IndexedDB (`gather-kept`), the stored values exactly as they sat in the map (a compact
 * entry's bytes, or a v1 entry object), written as segments: one row per site and burst of saves,
 * `{ keys, bytes, ends, objects }` (the bytes packed in one buffer; rows `{ keys, values }` written
 * before are still read), keyed `[site, time, nonce]`, later rows overriding earlier ones. A room of
 * 10,000 entries thus loads as a few rows (one row per entry took 100–350 ms to read in Chromium,
 * longer than verifying the room's changes, and 10,000 puts blocked the page ~200 ms as it was first
 * saved); loading compacts a site of many segments into one. Node and pages without
 * IndexedDB: none by default (each test's document is its own world); {@link memoryKeptStore}
 * for tests. Only entries that verified on this device are saved, so a value loaded back that is
 * byte for byte the document's under the same key is this device's own earlier verdict (the model
 * counts it unchecked: entry-model.ts); any other loaded value is checked again like anything from
 * a peer, and one that does not verify is ignored. Whoever can write this origin's IndexedDB can
 * equally write the verdict store (verdict-store.ts): the trust is the same.
 *
 * The same database keeps one view record per site (object store `views`, kept-view.ts): a
 * widget's derived view and what it was derived from. Saving entries of a site drops its record
 * in the same write, and a record is written after the entries saved before it, so a record that
 * stands was made when nothing newer than its room was kept.
 *
 * Framework-free; knows nothing of any widget.
 */

/** A device's memory of entries, per site (a widget in a room: see {@link keptSite}). */
export interface KeptEntryStore {
  /** Every remembered value of `site`, by map key (empty when nothing is remembered). */
  load(site: string): Promise<ReadonlyMap<string, unknown>>;
  /**
   * Remembers these values of `site` (each the newest valid entry under its key). Best effort.
   * Forgets `site`'s view record (kept-view.ts), in the same write: it no longer says what the
   * device holds.
   */
  save(site: string, values: ReadonlyMap<string, unknown>): void;
  /**
   * The view record kept for `site` (kept-view.ts: a widget's derived view and what it was derived
   * from), or undefined. None once entries of `site` were saved after it. Never rejects.
   */
  loadView?(site: string): Promise<unknown>;
  /** Keeps `record` as `site`'s view record, written after (in the same write as) the entries saved so far. Best effort. */
  saveView?(site: string, record: unknown): void;
}

/** The name of the IndexedDB database of remembered entries. */
export const KEPT_DB_NAME = 'gather-kept';
/** Segments `{ keys, values }` keyed `[site, time, nonce]` (database version 2). */
const STORE_NAME = 'segments';
/** One view record per site (kept-view.ts), keyed by site (database version 3). */
const VIEW_STORE_NAME = 'views';
/** Version 1's store, one row per `[site, key]`: moved into segments on upgrade. */
const V1_STORE_NAME = 'entries';
/** A site read as more segments than this is rewritten as one. */
const COMPACT_SEGMENTS = 16;
/** Rows kept per site at most: past it, newer keys are not remembered (the view still heals in memory). */
export const MAX_KEPT_PER_SITE = 20_000;

/** The site of a widget: its room's tag (empty for no room) and its scope. */
export const keptSite = (roomTag: string | undefined, scope: string): string => `${roomTag ?? ''}\n${scope}`;

/** A store in memory (tests; a page that must not write to IndexedDB). */
export const memoryKeptStore = (): KeptEntryStore & {
  readonly sites: ReadonlyMap<string, ReadonlyMap<string, unknown>>;
  readonly views: Map<string, unknown>;
} => {
  const sites = new Map<string, Map<string, unknown>>();
  const views = new Map<string, unknown>();
  return {
    sites,
    views,
    load: (site) => Promise.resolve(new Map(sites.get(site) ?? [])),
    save(site, values) {
      let rows = sites.get(site);
      if (rows === undefined) sites.set(site, (rows = new Map()));
      for (const [key, value] of values) if (rows.has(key) || rows.size < MAX_KEPT_PER_SITE) rows.set(key, value);
      views.delete(site);
    },
    loadView: (site) => Promise.resolve(structuredClone(views.get(site))),
    saveView(site, record) {
      views.set(site, structuredClone(record));
    },
  };
};

const request = <T>(req: IDBRequest<T>): Promise<T> =>
  new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });

/** A burst of saved values of one site, as one row (as written before values were packed; still read). */
interface Segment {
  readonly keys: readonly string[];
  readonly values: readonly unknown[];
}

/**
 * A burst of saved values of one site, as one row, the compact entries' bytes packed into one
 * buffer: value `i` is `bytes[ends[i - 1] ?? 0, ends[i])`, unless `objects` lists `i` with an entry
 * object (v1). Reading 10,000 small byte arrays back from IndexedDB cost a returning visitor ~20 ms
 * of structured clone and more of garbage collection; one buffer is one copy.
 */
interface PackedSegment {
  readonly keys: readonly string[];
  readonly bytes: Uint8Array;
  readonly ends: Uint32Array;
  readonly objects: readonly (readonly [number, unknown])[];
}

const isSegment = (row: unknown): row is Segment =>
  typeof row === 'object' && row !== null && Array.isArray((row as Segment).keys) && Array.isArray((row as Segment).values);

const isPacked = (row: unknown): row is PackedSegment =>
  typeof row === 'object' &&
  row !== null &&
  Array.isArray((row as PackedSegment).keys) &&
  (row as PackedSegment).bytes instanceof Uint8Array &&
  (row as PackedSegment).ends instanceof Uint32Array &&
  (row as PackedSegment).ends.length === (row as PackedSegment).keys.length &&
  Array.isArray((row as PackedSegment).objects);

/**
 * Values (each {@link storable}) under their keys as one packed row. Its two loops are functions
 * of their own, with nothing after the loop: optimized while they ran over a first sync's 10,000
 * values (on-stack replacement), the code after them had never run and bailed out on the live
 * entries' writes after the sync (--trace-deopt, 20 ballots: 10 deopts in pack; after: none).
 */
const pack = (values: ReadonlyMap<string, unknown>): PackedSegment => {
  const bytes = new Uint8Array(packedSize(values));
  const ends = new Uint32Array(values.size);
  const keys: string[] = [];
  const objects: [number, unknown][] = [];
  packInto(values, bytes, ends, keys, objects);
  return { keys, bytes, ends, objects };
};

/** The bytes of `values`' byte values, together. */
const packedSize = (values: ReadonlyMap<string, unknown>): number => {
  let size = 0;
  for (const value of values.values()) if (value instanceof Uint8Array) size += value.length;
  return size;
};

/** {@link pack}'s pass: byte values into `bytes` (ending at `ends`), other values into `objects`, keys in order. */
const packInto = (values: ReadonlyMap<string, unknown>, bytes: Uint8Array, ends: Uint32Array, keys: string[], objects: [number, unknown][]): void => {
  let o = 0;
  for (const [key, value] of values) {
    if (value instanceof Uint8Array) {
      bytes.set(value, o);
      o += value.length;
    } else objects.push([keys.length, value]);
    ends[keys.length] = o;
    keys.push(key);
  }
};

/** A packed row's values in order (byte values are views of its one buffer), or null if malformed. */
const unpack = ({ bytes, ends, objects, keys }: PackedSegment): unknown[] | null => {
  const values: unknown[] = new Array(keys.length);
  let start = 0;
  for (let i = 0; i < keys.length; i++) {
    const end = ends[i]!;
    if (end < start || end > bytes.length) return null;
    values[i] = bytes.subarray(start, end);
    start = end;
  }
  for (const pair of objects) {
    if (!Array.isArray(pair) || typeof pair[0] !== 'number' || !(pair[0] >= 0 && pair[0] < keys.length)) continue;
    values[pair[0]] = pair[1];
  }
  return values;
};

/** Segment row keys: increasing within a tab; the nonce keeps two tabs' rows of one millisecond apart. */
let lastTime = 0;
const segmentKey = (site: string): [string, number, number] => {
  lastTime = Math.max(Date.now(), lastTime + 1);
  return [site, lastTime, Math.random()];
};

/** Every row of `site`, in key order. */
const siteRange = (site: string): IDBKeyRange => IDBKeyRange.bound([site], [site, []]);

/** Version 1's rows (`[site, key]` → value) as one segment per site, in the upgrade's transaction. */
const moveV1Rows = (tx: IDBTransaction): void => {
  const old = tx.objectStore(V1_STORE_NAME);
  const keys = old.getAllKeys();
  const values = old.getAll();
  values.onsuccess = () => {
    const sites = new Map<string, { keys: string[]; values: unknown[] }>();
    (keys.result ?? []).forEach((key, i) => {
      if (!Array.isArray(key) || typeof key[0] !== 'string' || typeof key[1] !== 'string') return;
      let segment = sites.get(key[0]);
      if (segment === undefined) sites.set(key[0], (segment = { keys: [], values: [] }));
      segment.keys.push(key[1]);
      segment.values.push(values.result[i]);
    });
    const store = tx.objectStore(STORE_NAME);
    for (const [site, segment] of sites) store.put(pack(new Map(segment.keys.map((key, i) => [key, segment.values[i]]))), segmentKey(site));
    tx.db.deleteObjectStore(V1_STORE_NAME);
  };
};

const openDatabase = (name: string): Promise<IDBDatabase> =>
  new Promise((resolve, reject) => {
    const req = indexedDB.open(name, 3);
    req.onupgradeneeded = () => {
      const db = req.result;
      if (!db.objectStoreNames.contains(STORE_NAME)) db.createObjectStore(STORE_NAME);
      if (!db.objectStoreNames.contains(VIEW_STORE_NAME)) db.createObjectStore(VIEW_STORE_NAME);
      if (db.objectStoreNames.contains(V1_STORE_NAME)) moveV1Rows(req.transaction!);
    };
    req.onsuccess = () => {
      const db = req.result;
      // A newer version opened in another tab: let it upgrade (this tab then remembers nothing more).
      db.onversionchange = () => db.close();
      resolve(db);
    };
    req.onerror = () => reject(req.error);
    req.onblocked = () => reject(new Error('IndexedDB upgrade blocked by another tab'));
  });

const transactionDone = (tx: IDBTransaction): Promise<void> =>
  new Promise<void>((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });

/** Segments merged in order (a later value under a key overrides an earlier one), at most {@link MAX_KEPT_PER_SITE} keys. */
const mergeSegments = (rows: readonly unknown[]): Map<string, unknown> => {
  const out = new Map<string, unknown>();
  for (const row of rows) {
    const values = isPacked(row) ? unpack(row) : isSegment(row) ? row.values : null;
    if (values === null) continue;
    const { keys } = row as { keys: readonly unknown[] };
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      if (typeof key !== 'string' || !storable(values[i]) || (!out.has(key) && out.size >= MAX_KEPT_PER_SITE)) continue;
      out.set(key, values[i]);
    }
  }
  return out;
};

/**
 * Queues `values` in `rows` (known keys in `keys`), up to {@link MAX_KEPT_PER_SITE} keys. A function
 * of its own: optimized while it loops over a first sync's 10,000 entries, the store's `save` was
 * compiled without the feedback of what follows and bailed out (deoptimized) on every live vote.
 */
const addRows = (rows: Map<string, unknown>, keys: Set<string>, values: ReadonlyMap<string, unknown>): void => {
  for (const [key, value] of values) {
    if (!storable(value) || (!keys.has(key) && keys.size >= MAX_KEPT_PER_SITE)) continue;
    keys.add(key);
    rows.set(key, value);
  }
};

/** Whether a value can be remembered as it is: bytes, or a plain entry object. */
const storable = (value: unknown): boolean => value instanceof Uint8Array || (typeof value === 'object' && value !== null);

/**
 * This device's store in IndexedDB, or null where there is none: segments (see the module
 * comment), one row per site per burst of saves. A failing database (blocked site data, full
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
  /** View records to write (null: to delete, as entries of the site were saved after it), in the order learned. */
  let pendingViews = new Map<string, unknown>();
  let scheduled = false;
  const schedule = (): void => {
    if (scheduled) return;
    scheduled = true;
    setTimeout(() => void write(), 50);
  };

  const write = async (): Promise<void> => {
    scheduled = false;
    const batch = pending;
    const views = pendingViews;
    pending = new Map();
    pendingViews = new Map();
    const db = await database;
    if (db === null) return;
    try {
      const tx = db.transaction([STORE_NAME, VIEW_STORE_NAME], 'readwrite');
      const store = tx.objectStore(STORE_NAME);
      for (const [site, values] of batch) if (values.size > 0) store.put(pack(values), segmentKey(site));
      // After the entries, in the same transaction: a record stands only if no entry of its site came after it.
      const viewStore = tx.objectStore(VIEW_STORE_NAME);
      for (const [site, record] of views) {
        if (record === null) viewStore.delete(site);
        else viewStore.put(record, site);
      }
      await transactionDone(tx);
    } catch {
      // Not remembered: healing still works while the page is open.
    }
  };

  /** Rewrites `site`'s segments as one, in one transaction (another tab's rows in between are kept). */
  const compact = async (db: IDBDatabase, site: string): Promise<void> => {
    try {
      const tx = db.transaction(STORE_NAME, 'readwrite');
      const store = tx.objectStore(STORE_NAME);
      const [keys, rows] = await Promise.all([request(store.getAllKeys(siteRange(site))), request(store.getAll(siteRange(site)))]);
      const merged = mergeSegments(rows);
      for (const key of keys) store.delete(key);
      store.put(pack(merged), segmentKey(site));
      await transactionDone(tx);
    } catch {
      // Left as it was: read as several segments again next time.
    }
  };

  return {
    async load(site) {
      let out = new Map<string, unknown>();
      const db = await database;
      if (db === null) return out;
      try {
        const rows = await request(db.transaction(STORE_NAME, 'readonly').objectStore(STORE_NAME).getAll(siteRange(site)));
        out = mergeSegments(rows);
        if (rows.length > COMPACT_SEGMENTS) void compact(db, site);
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
      addRows(rows, keysOf(site), values);
      pendingViews.delete(site);
      pendingViews.set(site, null);
      schedule();
    },
    async loadView(site) {
      const db = await database;
      if (db === null) return undefined;
      try {
        return await request(db.transaction(VIEW_STORE_NAME, 'readonly').objectStore(VIEW_STORE_NAME).get(site));
      } catch {
        return undefined;
      }
    },
    saveView(site, record) {
      pendingViews.delete(site);
      pendingViews.set(site, record);
      schedule();
    },
  };
};

let shared: KeptEntryStore | null | undefined;

/** The page's store (IndexedDB), opened on first use; null where there is no IndexedDB (Node). */
export const defaultKeptStore = (): KeptEntryStore | null => (shared === undefined ? (shared = openKeptStore()) : shared);
