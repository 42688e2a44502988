/**
 * Signing identities: in-memory signers, and the one per-device signer kept in IndexedDB.
 * Runs in browsers and in Node 20 (`globalThis.crypto.subtle`); the device signer needs IndexedDB.
 */
import { toBase64url } from './base64url.js';
import { keyGenParams, signParams } from './algorithms.js';
import { GatherError } from '../errors.js';
import type { SignatureAlgorithm, Signer } from './types.js';

/** IndexedDB database holding the device's keys. */
export const IDENTITY_DB_NAME = 'gather-identity';
/** Object store inside {@link IDENTITY_DB_NAME}. */
export const IDENTITY_STORE_NAME = 'keys';
/** Key of the device record inside {@link IDENTITY_STORE_NAME}. */
export const DEVICE_RECORD_KEY = 'device';

/** A stored signing key pair: CryptoKey objects as structured clone keeps them (private key non-extractable). */
export interface StoredSigningKeys {
  readonly alg: SignatureAlgorithm;
  readonly publicKey: CryptoKey;
  readonly privateKey: CryptoKey;
}

/**
 * The device record. `signing` is the signing pair; `encryption` (encryption.ts: ECDH pairs, for
 * contact details readable by one person) sits beside it once a widget needs it. Unknown fields are kept.
 */
export interface DeviceKeyRecord {
  readonly signing: StoredSigningKeys;
  readonly created: number;
  readonly [field: string]: unknown;
}

/**
 * A {@link Signer} over an existing key pair. Exports the raw public key (public keys are always
 * exportable in WebCrypto; the private key stays as it is).
 */
export const signerFromKeyPair = async (alg: SignatureAlgorithm, keys: CryptoKeyPair): Promise<Signer> => {
  const raw = new Uint8Array(await globalThis.crypto.subtle.exportKey('raw', keys.publicKey));
  const { privateKey } = keys;
  const params = signParams(alg);
  return Object.freeze({
    publicKey: toBase64url(raw),
    alg,
    sign: async (data: Uint8Array): Promise<Uint8Array> =>
      new Uint8Array(await globalThis.crypto.subtle.sign(params, privateKey, new Uint8Array(data))),
  });
};

/** Generates a non-extractable key pair for `alg`. Throws a {@link GatherError} (`unsupported-algorithm`) when the platform cannot. */
export const generateSigningKeys = async (alg: SignatureAlgorithm): Promise<StoredSigningKeys> => {
  try {
    const pair = (await globalThis.crypto.subtle.generateKey(keyGenParams(alg), false, ['sign', 'verify'])) as CryptoKeyPair;
    return { alg, publicKey: pair.publicKey, privateKey: pair.privateKey };
  } catch (cause) {
    throw new GatherError('unsupported-algorithm', `This platform cannot generate ${alg} keys`, { cause });
  }
};

const generatePreferred = async (alg?: SignatureAlgorithm): Promise<StoredSigningKeys> => {
  if (alg !== undefined) return generateSigningKeys(alg);
  try {
    return await generateSigningKeys('Ed25519');
  } catch {
    return generateSigningKeys('ECDSA-P256');
  }
};

/**
 * A fresh in-memory signer (nothing stored). Without `alg`: Ed25519, or ECDSA P-256 where the
 * platform lacks Ed25519.
 */
export const createSigner = async (alg?: SignatureAlgorithm): Promise<Signer> => {
  const keys = await generatePreferred(alg);
  return signerFromKeyPair(keys.alg, keys);
};

/* ---------------------------------------------------------------- the device signer */

const isStoredSigningKeys = (value: unknown): value is StoredSigningKeys => {
  if (typeof value !== 'object' || value === null) return false;
  const { alg, publicKey, privateKey } = value as Record<string, unknown>;
  return (
    (alg === 'Ed25519' || alg === 'ECDSA-P256') &&
    typeof CryptoKey !== 'undefined' &&
    publicKey instanceof CryptoKey &&
    privateKey instanceof CryptoKey
  );
};

const request = <T>(req: IDBRequest<T>): Promise<T> =>
  new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });

const openDatabase = (): Promise<IDBDatabase> =>
  new Promise((resolve, reject) => {
    const req = indexedDB.open(IDENTITY_DB_NAME, 1);
    req.onupgradeneeded = () => {
      if (!req.result.objectStoreNames.contains(IDENTITY_STORE_NAME)) req.result.createObjectStore(IDENTITY_STORE_NAME);
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
    req.onblocked = () => reject(new Error('IndexedDB upgrade blocked by another tab'));
  });

/** Opens the device identity database (for encryption.ts, which keeps its pairs in the same record). */
export const openIdentityDatabase = (): Promise<IDBDatabase> => openDatabase();

const readRecord = async (db: IDBDatabase): Promise<unknown> =>
  request(db.transaction(IDENTITY_STORE_NAME, 'readonly').objectStore(IDENTITY_STORE_NAME).get(DEVICE_RECORD_KEY));

/**
 * Stores `signing` unless another tab stored a valid record first: get and put run in one
 * readwrite transaction, so two tabs opening at once end up with the same identity.
 */
const storeIfAbsent = (db: IDBDatabase, signing: StoredSigningKeys): Promise<StoredSigningKeys> =>
  new Promise((resolve, reject) => {
    const tx = db.transaction(IDENTITY_STORE_NAME, 'readwrite');
    const store = tx.objectStore(IDENTITY_STORE_NAME);
    let result: StoredSigningKeys = signing;
    const get = store.get(DEVICE_RECORD_KEY);
    get.onsuccess = () => {
      const existing: unknown = get.result;
      const existingRecord = typeof existing === 'object' && existing !== null ? (existing as Record<string, unknown>) : null;
      if (existingRecord !== null && isStoredSigningKeys(existingRecord['signing'])) {
        result = existingRecord['signing'];
        return;
      }
      const record: DeviceKeyRecord = { ...existingRecord, signing, created: Date.now() };
      store.put(record, DEVICE_RECORD_KEY);
    };
    tx.oncomplete = () => resolve(result);
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
  });

const openDeviceSigner = async (): Promise<Signer> => {
  if (typeof indexedDB === 'undefined') {
    throw new GatherError('no-indexeddb', 'No IndexedDB here (Node?): use createSigner() for an in-memory identity');
  }
  let db: IDBDatabase;
  try {
    db = await openDatabase();
  } catch (cause) {
    throw new GatherError('identity-unavailable', 'Could not open the device identity database', { cause });
  }
  try {
    const existing = await readRecord(db);
    const stored = typeof existing === 'object' && existing !== null ? (existing as Record<string, unknown>)['signing'] : undefined;
    let signing: StoredSigningKeys;
    if (isStoredSigningKeys(stored)) {
      signing = stored;
    } else {
      signing = await storeIfAbsent(db, await generatePreferred());
    }
    return await signerFromKeyPair(signing.alg, signing);
  } catch (cause) {
    if (cause instanceof GatherError) throw cause;
    throw new GatherError('identity-unavailable', 'Could not load or store the device identity', { cause });
  } finally {
    db.close();
  }
};

/** The one piece of module state: one device identity per page. */
let device: Promise<Signer> | null = null;

/**
 * The per-device signer, kept in IndexedDB (`gather-identity` / `keys` / `device`, field
 * `signing`), created on first use and shared by every caller in the page. Rejects with a
 * {@link GatherError}: `no-indexeddb` where there is no IndexedDB (Node), `identity-unavailable`
 * when storage fails (a later call tries again).
 */
export const loadDeviceSigner = (): Promise<Signer> => {
  if (device === null) {
    device = openDeviceSigner().catch((error: unknown) => {
      device = null;
      throw error;
    });
  }
  return device;
};
