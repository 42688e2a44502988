/**
 * The organizer identity this browser acts as, if any: kept in the device identity database
 * (keys.ts's `gather-identity` / `keys`, record `organizer`), its private key extractable so that
 * it can be backed up again. Where IndexedDB keeps nothing, it is held for as long as the page is
 * open. While one is held, this browser's widgets sign with it instead of the device's own key
 * (components/shared/visitor-signer.ts).
 */
import { isSignatureAlgorithm } from './algorithms.js';
import { organizerKeyFromPair, type OrganizerKey } from './organizer-key.js';
import { IDENTITY_STORE_NAME, openIdentityDatabase } from './keys.js';

/** Key of the organizer record inside the identity store. */
export const ORGANIZER_RECORD_KEY = 'organizer';

let pageOnly: OrganizerKey | null | undefined;

const run = async <T>(mode: IDBTransactionMode, body: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> => {
  const db = await openIdentityDatabase();
  try {
    return await new Promise<T>((resolve, reject) => {
      const tx = db.transaction(IDENTITY_STORE_NAME, mode);
      const req = body(tx.objectStore(IDENTITY_STORE_NAME));
      tx.oncomplete = () => resolve(req.result);
      tx.onerror = (event) => {
        event.preventDefault();
        reject(tx.error);
      };
      tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
    });
  } finally {
    db.close();
  }
};

/** The organizer identity this browser holds, or null. Never rejects. */
export async function loadOrganizerKey(): Promise<OrganizerKey | null> {
  if (pageOnly !== undefined) return pageOnly;
  if (typeof indexedDB === 'undefined') return null;
  try {
    const record = (await run('readonly', (store) => store.get(ORGANIZER_RECORD_KEY))) as Record<string, unknown> | undefined;
    const { alg, publicKey, privateKey } = record ?? {};
    if (!isSignatureAlgorithm(alg) || !(publicKey instanceof CryptoKey) || !(privateKey instanceof CryptoKey)) return null;
    return await organizerKeyFromPair(alg, { publicKey, privateKey });
  } catch {
    return null;
  }
}

/**
 * Makes `key` the organizer identity this browser acts as (null: none, the device's own key
 * again). Resolves true when it is stored on the device, false when only this page holds it.
 */
export async function storeOrganizerKey(key: OrganizerKey | null): Promise<boolean> {
  pageOnly = key;
  if (typeof indexedDB === 'undefined') return false;
  try {
    if (key === null) await run('readwrite', (store) => store.delete(ORGANIZER_RECORD_KEY));
    else await run('readwrite', (store) => store.put({ alg: key.alg, publicKey: key.keys.publicKey, privateKey: key.keys.privateKey, created: Date.now() }, ORGANIZER_RECORD_KEY));
    pageOnly = undefined;
    return true;
  } catch {
    return false;
  }
}
