/**
 * Whether this browser keeps what a visitor does: a small write to IndexedDB, once per page.
 *
 * A browser may keep nothing — site data blocked (IndexedDB refuses to open: Chromium says
 * `UnknownError`, localStorage throws `SecurityError`), a full quota (writes fail with
 * `QuotaExceededError`), some private modes. Then every reload is a new identity: the widgets
 * say so, and do not join a members-only room from such a browser. Never throws.
 */

/** What this browser keeps: `kept` (IndexedDB takes a write), `blocked` (no IndexedDB, or it refuses), `full` (no room left). */
export type StorageVerdict = 'kept' | 'blocked' | 'full';

/** The database the check writes to (one small record, overwritten each time). */
export const STORAGE_CHECK_DB = 'gather-storage-check';

const isQuota = (error: unknown): boolean => {
  const name = (error as { name?: unknown } | null)?.name;
  return name === 'QuotaExceededError' || name === 'NS_ERROR_DOM_QUOTA_REACHED';
};

const probe = (): Promise<StorageVerdict> =>
  new Promise<StorageVerdict>((resolve) => {
    let settled = false;
    const done = (verdict: StorageVerdict) => {
      if (settled) return;
      settled = true;
      resolve(verdict);
    };
    try {
      if (typeof indexedDB === 'undefined' || indexedDB === null) return done('blocked');
      const open = indexedDB.open(STORAGE_CHECK_DB, 1);
      open.onupgradeneeded = () => {
        try {
          if (!open.result.objectStoreNames.contains('check')) open.result.createObjectStore('check');
        } catch {
          /* the open's error handler decides */
        }
      };
      open.onblocked = () => done('blocked');
      open.onerror = (event) => {
        event.preventDefault(); // handled here: not an uncaught error in the console
        done(isQuota(open.error) ? 'full' : 'blocked');
      };
      open.onsuccess = () => {
        const db = open.result;
        try {
          const tx = db.transaction('check', 'readwrite');
          // Enough bytes that a quota at its end refuses them.
          tx.objectStore('check').put({ at: Date.now(), pad: new Uint8Array(16 * 1024) }, 'probe');
          tx.oncomplete = () => {
            db.close();
            done('kept');
          };
          tx.onerror = (event) => event.preventDefault();
          tx.onabort = () => {
            db.close();
            done(isQuota(tx.error) ? 'full' : 'blocked');
          };
        } catch (error) {
          db.close();
          done(isQuota(error) ? 'full' : 'blocked');
        }
      };
    } catch (error) {
      done(isQuota(error) ? 'full' : 'blocked');
    }
  });

let checked: Promise<StorageVerdict> | null = null;
let verdict: StorageVerdict | null = null;

/** Whether this browser keeps what a visitor does (checked once per page; see the module comment). */
export const checkStorage = (): Promise<StorageVerdict> =>
  (checked ??= probe().then((found) => {
    verdict = found;
    return found;
  }));

/** The page's verdict once {@link checkStorage} has settled; null before. */
export const storageVerdict = (): StorageVerdict | null => verdict;

/** Forgets the page's verdict, so that the next {@link checkStorage} checks again (tests). */
export const resetStorageCheck = (): void => {
  checked = null;
  verdict = null;
};
